/* ls-window.c - the main window (see ls-window.h).
 *
 * The window owns what it shows: a run's result (model, recorded trace
 * file, output) or a trace loaded from a file, the findings and the loop
 * state cursor over that model.  Widgets borrow the model; every place
 * that replaces it first gives them the new one (or NULL).
 *
 * Stepping: the playhead stands at the end of a task step (its STEP_END),
 * where the task has just printed what the step printed and stopped at
 * the line it awaits on.  Step -1 means no playhead: the whole run, the
 * whole output.
 */
#include "ls-window-private.h"

#include <glib/gi18n.h>

#include "ls-export.h"
#include "ls-trace-findings.h"
#include "ls-trace-reader.h"

G_DEFINE_FINAL_TYPE (LsWindow, ls_window, ADW_TYPE_APPLICATION_WINDOW)

/* Real time between two steps while playing at 1×. */
#define PLAY_INTERVAL_MS 700

void
_ls_window_toast (LsWindow *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* The last lines of text, for the presentation's output strip. */
static char *
last_lines (const char *text, int n)
{
  const char *end, *p;

  if (!text)
    return g_strdup ("");
  end = text + strlen (text);
  while (end > text && end[-1] == '\n')
    end--;
  for (p = end; p > text; p--)
    if (p[-1] == '\n' && --n == 0)
      break;
  return g_strndup (p, end - p);
}

static void
set_console (LsWindow *self, const char *text)
{
  GtkTextBuffer *buf = gtk_text_view_get_buffer (self->console);
  GtkTextIter end;
  g_autofree char *tail = last_lines (text, 3);

  gtk_label_set_text (self->present_output, tail);

  gtk_text_buffer_set_text (buf, text ? text : "", -1);
  gtk_text_buffer_get_end_iter (buf, &end);
  /* The latest output is what matters: keep it in view. */
  gtk_text_view_scroll_to_mark (self->console, gtk_text_buffer_get_insert (buf), 0, FALSE, 0, 0);
  gtk_text_buffer_place_cursor (buf, &end);
  gtk_text_view_scroll_to_iter (self->console, &end, 0.0, FALSE, 0, 1.0);
}

/* How a run ended, in the user's words. */
static const char *
outcome_text (const LsTraceRun *run)
{
  switch (run->outcome)
    {
    case LS_TRACE_OUTCOME_RUNNING: return _("interrupted recording");
    case LS_TRACE_OUTCOME_FINISHED: return _("finished");
    case LS_TRACE_OUTCOME_EXCEPTION: return _("ended by an exception");
    case LS_TRACE_OUTCOME_SYNTAX: return _("syntax error");
    case LS_TRACE_OUTCOME_LIMIT: return _("stopped by a limit");
    case LS_TRACE_OUTCOME_DEADLOCK: return _("deadlock");
    case LS_TRACE_OUTCOME_STOPPED: return _("stopped");
    default: return run->outcome_name ? run->outcome_name : _("loaded");
    }
}

static void
update_title (LsWindow *self)
{
  const char *title = self->program_title ? self->program_title
                      : self->program_name ? self->program_name : _("Loopscope");
  g_autofree char *subtitle = NULL;

  if (self->model)
    {
      const LsTraceRun *run = ls_trace_model_get_run (self->model);
      guint n_all = 0, n_tasks = 0;
      const LsTraceTask *t = ls_trace_model_get_tasks (self->model, &n_all);
      /* asyncio.run's housekeeping tasks are not the user's. */
      for (guint i = 0; i < n_all; i++)
        n_tasks += !t[i].internal;
      /* Translators: the window subtitle after a run: outcome, tasks, events, virtual time. */
      subtitle = g_strdup_printf (_("%s · %u tasks · %u events · %.6g s of virtual time"),
                                  outcome_text (run),
                                  n_tasks, run->n_events, run->end_time);
    }
  else if (self->program_name && self->program_title)
    subtitle = g_strdup (self->program_name);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle ? subtitle : "");
}

/* ---- stepping --------------------------------------------------------------- */

guint
_ls_window_n_steps (LsWindow *self)
{
  return self->model && self->step_index ? self->step_index->len : 0;
}
#define n_steps _ls_window_n_steps

/* The model's step at stepping position pos (0 .. n_steps - 1). */
static const LsTraceStep *
step_at (LsWindow *self, int pos)
{
  guint n;
  const LsTraceStep *steps = ls_trace_model_get_steps (self->model, &n);

  return steps + g_array_index (self->step_index, guint, pos);
}

/* Which steps the arrow keys go through: those of the lanes shown (not
 * asyncio.run's housekeeping, not the tasks filtered out). */
static void
rebuild_step_index (LsWindow *self)
{
  guint n, n_tasks, n_lanes;
  const LsTraceStep *steps;
  const int *lanes;
  g_autofree gboolean *shown = NULL;

  if (!self->step_index)
    self->step_index = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_set_size (self->step_index, 0);
  if (!self->model)
    return;
  steps = ls_trace_model_get_steps (self->model, &n);
  ls_trace_model_get_tasks (self->model, &n_tasks);
  shown = g_new0 (gboolean, n_tasks);
  lanes = ls_timeline_view_get_lanes (self->timeline, &n_lanes);
  for (guint i = 0; i < n_lanes; i++)
    if (lanes[i] >= 0 && (guint) lanes[i] < n_tasks)
      shown[lanes[i]] = TRUE;
  for (guint i = 0; i < n; i++)
    if (steps[i].task < n_tasks && shown[steps[i].task])
      g_array_append_val (self->step_index, i);
}

/* The stepping position of the last shown step that began at or before
 * seq, -1 if none. */
static int
position_of_seq (LsWindow *self, guint32 seq)
{
  int found = -1;

  for (guint k = 0; k < n_steps (self) && step_at (self, (int) k)->begin_seq <= seq; k++)
    found = (int) k;
  return found;
}

static void
update_step_label (LsWindow *self)
{
  g_autofree char *text = NULL;
  guint n = n_steps (self);

  if (!self->model)
    text = g_strdup ("");
  else if (self->step < 0)
    /* Translators: the step label when the whole run is shown. */
    text = g_strdup_printf (ngettext ("The whole run: %u step", "The whole run: %u steps", n), n);
  else
    {
      const LsTraceStep *st = step_at (self, self->step);
      const LsTraceTask *tasks = ls_trace_model_get_tasks (self->model, NULL);
      const LsTraceEvent *ev = ls_trace_model_get_event (self->model, st->end_seq);
      /* Translators: step number, total, task name, virtual time. */
      text = g_strdup_printf (_("Step %d of %u · %s · t = %.6g s"), self->step + 1, n,
                              tasks[st->task].name, ev ? ev->time : 0.0);
    }
  gtk_label_set_text (self->step_label, text);
}

static void
show_loop_state (LsWindow *self, guint32 seq)
{
  g_autoptr (LsLoopState) state = NULL;

  if (!self->model || !self->cursor)
    {
      ls_state_panel_show (self->state_panel, NULL, NULL);
      return;
    }
  state = ls_loop_cursor_state_at (self->cursor, seq);
  ls_state_panel_show (self->state_panel, self->model, state);
}

void
ls_window_set_step (LsWindow *self, int step)
{
  guint n = n_steps (self);

  g_return_if_fail (LS_IS_WINDOW (self));
  if (!self->model || n == 0)
    step = -1;
  step = CLAMP (step, -1, (int) n - 1);
  self->step = step;
  if (step < 0)
    {
      ls_timeline_view_set_playhead (self->timeline, 0, -1);
      if (self->model)
        {
          g_autofree char *all = NULL;
          guint n_events = ls_trace_model_get_run (self->model)->n_events;
          all = self->output ? NULL : ls_timeline_output_until (self->model, n_events);
          set_console (self, self->output ? self->output : all);
          show_loop_state (self, n_events);
        }
      ls_editor_set_exec_line (self->editor, 0);
      gtk_label_set_text (self->console_heading, _("Output"));
    }
  else
    {
      const LsTraceStep *st = step_at (self, step);
      int model_step = (int) g_array_index (self->step_index, guint, step);
      const LsTraceEvent *end = ls_trace_model_get_event (self->model, st->end_seq);
      g_autofree char *out = ls_timeline_output_until (self->model, st->end_seq);
      int line = end && end->line > 0 ? end->line
                 : ls_loop_task_line_at (self->model, st->task, st->end_seq);

      ls_timeline_view_set_playhead (self->timeline, st->end_seq, model_step);
      ls_timeline_view_select_event (self->timeline, st->end_seq, (int) st->task);
      set_console (self, out);
      ls_editor_set_exec_line (self->editor, line);
      show_loop_state (self, st->end_seq);
      gtk_label_set_text (self->console_heading, _("Output up to the playhead"));
    }
  update_step_label (self);
  _ls_window_update_actions (self);
}

void
ls_window_step (LsWindow *self, int delta)
{
  int n = (int) n_steps (self), next;

  g_return_if_fail (LS_IS_WINDOW (self));
  if (n == 0)
    return;
  if (self->step < 0)
    next = delta > 0 ? delta - 1 : n + delta;
  else
    next = self->step + delta;
  ls_window_set_step (self, CLAMP (next, 0, n - 1));
}

int
ls_window_get_step (LsWindow *self)
{
  g_return_val_if_fail (LS_IS_WINDOW (self), -1);
  return self->step;
}

static gboolean
on_play_tick (gpointer user_data)
{
  LsWindow *self = user_data;

  if (self->step >= (int) n_steps (self) - 1)
    {
      self->play_source = 0;
      _ls_window_set_playing (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  ls_window_step (self, 1);
  return G_SOURCE_CONTINUE;
}

static double
play_speed (LsWindow *self)
{
  static const double speeds[] = { 0.5, 1, 2, 4, 16 };
  guint i = gtk_drop_down_get_selected (self->speed_dropdown);

  return i < G_N_ELEMENTS (speeds) ? speeds[i] : 1.0;
}

void
_ls_window_set_playing (LsWindow *self, gboolean playing)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "play");

  g_clear_handle_id (&self->play_source, g_source_remove);
  if (playing && n_steps (self) > 0)
    {
      if (self->step >= (int) n_steps (self) - 1)
        ls_window_set_step (self, 0);
      self->play_source = g_timeout_add ((guint) (PLAY_INTERVAL_MS / play_speed (self)),
                                         on_play_tick, self);
    }
  if (action)
    g_simple_action_set_state (G_SIMPLE_ACTION (action),
                               g_variant_new_boolean (self->play_source != 0));
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            self->play_source ? "media-playback-pause-symbolic"
                                              : "media-playback-start-symbolic");
}

static void
on_speed_changed (GObject *object, GParamSpec *pspec, LsWindow *self)
{
  if (self->play_source)
    _ls_window_set_playing (self, TRUE);
}

/* ---- findings ---------------------------------------------------------------- */

static const char *
finding_kind_text (LsTraceFindingKind kind)
{
  switch (kind)
    {
    case LS_TRACE_FINDING_BLOCKING: return _("Blocking call");
    case LS_TRACE_FINDING_NEVER_AWAITED: return _("Never awaited");
    case LS_TRACE_FINDING_EXCEPTION_UNRETRIEVED: return _("Exception never retrieved");
    case LS_TRACE_FINDING_PENDING_AT_END: return _("Pending at the end");
    case LS_TRACE_FINDING_LONG_STEP: return _("Long step");
    case LS_TRACE_FINDING_SWALLOWED_CANCEL: return _("Swallowed cancellation");
    default: return "?";
    }
}

static void
on_finding_activated (GtkListBox *list, GtkListBoxRow *row, LsWindow *self)
{
  ls_window_activate_finding (self, (guint) gtk_list_box_row_get_index (row));
}

void
ls_window_activate_finding (LsWindow *self, guint i)
{
  const LsTraceFinding *f;
  int pos;

  g_return_if_fail (LS_IS_WINDOW (self));
  if (!self->findings || i >= self->findings->len)
    return;
  f = &g_array_index (self->findings, LsTraceFinding, i);
  /* Put the playhead on the step the finding happened in (or the last
   * one before it). */
  pos = f->seq ? position_of_seq (self, f->seq) : -1;
  if (pos >= 0)
    ls_window_set_step (self, pos);
  if (f->seq)
    {
      ls_timeline_view_reveal (self->timeline, f->seq, f->task);
      ls_timeline_view_select_event (self->timeline, f->seq, f->task);
    }
  if (f->line > 0)
    ls_editor_set_exec_line (self->editor, f->line);
}

static void
fill_findings (LsWindow *self)
{
  GtkWidget *child;
  const LsTraceTask *tasks = NULL;
  guint n_tasks = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->findings_list))))
    gtk_list_box_remove (self->findings_list, child);
  g_clear_pointer (&self->findings, g_array_unref);
  if (self->model)
    {
      self->findings = ls_trace_findings_compute (self->model);
      tasks = ls_trace_model_get_tasks (self->model, &n_tasks);
    }
  for (guint i = 0; self->findings && i < self->findings->len; i++)
    {
      const LsTraceFinding *f = &g_array_index (self->findings, LsTraceFinding, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_markup_escape_text (f->message ? f->message : "", -1);
      GString *sub = g_string_new (finding_kind_text (f->kind));

      if (f->task >= 0 && (guint) f->task < n_tasks)
        g_string_append_printf (sub, " · %s", tasks[f->task].name);
      if (f->line > 0)
        g_string_append_printf (sub, _(" · line %d"), f->line);
      g_string_append_printf (sub, _(" · t = %.6g s"), f->time);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub->str);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (f->kind == LS_TRACE_FINDING_BLOCKING
                                                               ? "dialog-error-symbolic"
                                                               : "dialog-warning-symbolic"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->findings_list, row);
      g_string_free (sub, TRUE);
    }
  gtk_stack_set_visible_child_name (self->findings_stack,
                                    self->findings && self->findings->len ? "list" : "none");
  adw_view_stack_page_set_needs_attention (self->findings_page,
                                           self->findings && self->findings->len > 0);
  adw_view_stack_page_set_badge_number (self->findings_page,
                                        self->findings ? self->findings->len : 0);
}

guint
ls_window_get_n_findings (LsWindow *self)
{
  g_return_val_if_fail (LS_IS_WINDOW (self), 0);
  return self->findings ? self->findings->len : 0;
}

/* ---- showing a model ---------------------------------------------------------- */

static void
clear_shown (LsWindow *self)
{
  _ls_window_set_playing (self, FALSE);
  ls_timeline_view_set_model (self->timeline, NULL);
  g_clear_pointer (&self->cursor, ls_loop_cursor_free);
  self->model = NULL;
  g_clear_pointer (&self->result, ls_run_result_free);
  g_clear_pointer (&self->loaded_model, ls_trace_model_free);
  g_clear_object (&self->loaded_file);
  g_clear_pointer (&self->output, g_free);
  self->step = -1;
}

/* Gives every widget the model now in self->model. */
void
_ls_window_show_model (LsWindow *self)
{
  ls_timeline_view_set_model (self->timeline, self->model);
  rebuild_step_index (self);
  if (self->model)
    self->cursor = ls_loop_cursor_new (self->model);
  gtk_stack_set_visible_child_name (self->timeline_stack, self->model ? "timeline" : "empty");
  fill_findings (self);
  ls_inspector_show (self->inspector, self->model, NULL);
  ls_window_set_step (self, -1);
  update_title (self);
  _ls_window_update_actions (self);
}

const LsTraceModel *
ls_window_get_model (LsWindow *self)
{
  g_return_val_if_fail (LS_IS_WINDOW (self), NULL);
  return self->model;
}

static void
on_selection_changed (LsTimelineView *view, LsWindow *self)
{
  const LsTimelineSelection *s = ls_timeline_view_get_selection (view);
  int line;

  ls_inspector_show (self->inspector, self->model, s);
  line = ls_inspector_get_line (self->inspector);
  if (line > 0)
    ls_editor_set_exec_line (self->editor, line);
}

static void
on_seek (LsTimelineView *view, guint seq, LsWindow *self)
{
  int found;

  if (!self->model)
    return;
  found = position_of_seq (self, seq);
  ls_window_set_step (self, found < 0 && n_steps (self) ? 0 : found);
}

/* ---- running ---------------------------------------------------------------- */

static void
set_busy (LsWindow *self, gboolean busy, const char *what)
{
  gtk_revealer_set_reveal_child (self->progress_revealer, busy);
  adw_status_page_set_title (self->timeline_status, busy ? _("Running…") : _("No Run Yet"));
  if (what)
    gtk_label_set_text (self->progress_label, what);
  _ls_window_update_actions (self);
}

/* A count with thousands separated, "1,105,920". */
static char *
format_count (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%llu", (unsigned long long) n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static gboolean
on_progress_tick (gpointer user_data)
{
  LsWindow *self = user_data;
  g_autofree char *text = NULL;

  gtk_progress_bar_pulse (self->progress_bar);
  if (self->job)
    {
      /* Translators: progress of a run: events so far and virtual time. */
      g_autofree char *count = format_count (ls_run_job_get_n_events (self->job));
      text = g_strdup_printf (_("Running… %s events, t = %.3f s"), count,
                              ls_run_job_get_virtual_time (self->job));
      gtk_label_set_text (self->progress_label, text);
    }
  return G_SOURCE_CONTINUE;
}

static void
stop_progress (LsWindow *self)
{
  g_clear_handle_id (&self->progress_source, g_source_remove);
}

static void
on_run_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (LsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  LsRunResult *r = ls_run_job_finish (LS_RUN_JOB (source), res, &error);

  g_clear_object (&self->job);
  stop_progress (self);
  set_busy (self, FALSE, NULL);
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    {
      ls_run_result_free (r);
      return;
    }
  if (!r)
    {
      _ls_window_toast (self, error->message);
      return;
    }
  if (r->syntax_error)
    {
      /* Keep what was shown; the editor points at the mistake. */
      ls_editor_show_error (self->editor, r->error_line, r->error_col, r->error_message);
      set_console (self, r->error_text);
      gtk_label_set_text (self->console_heading, _("Output"));
      _ls_window_toast (self, _("The program has a syntax error: nothing ran"));
      ls_run_result_free (r);
      return;
    }
  clear_shown (self);
  self->result = r;
  self->model = r->model;
  self->output = g_strdup (r->output);
  _ls_window_show_model (self);
  if (self->step_after_run >= 0)
    ls_window_set_step (self, self->step_after_run);
  self->step_after_run = -1;
  if (r->cancelled)
    _ls_window_toast (self, _("Run stopped: the trace keeps what ran so far"));
  else if (r->stop_message)
    _ls_window_toast (self, r->stop_message);
}

void
ls_window_run (LsWindow *self)
{
  g_autofree char *source = NULL;

  g_return_if_fail (LS_IS_WINDOW (self));
  if (ls_window_is_busy (self))
    return;
  source = ls_editor_get_text (self->editor);
  ls_editor_clear_error (self->editor);
  _ls_window_set_playing (self, FALSE);
  self->job = ls_run_job_new (self->program_name ? self->program_name : "program.py", source);
  ls_run_job_start (self->job, on_run_done, g_object_ref (self));
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  set_busy (self, TRUE, _("Running…"));
  self->progress_source = g_timeout_add (100, on_progress_tick, self);
}

void
ls_window_run_then_step (LsWindow *self, int step)
{
  g_return_if_fail (LS_IS_WINDOW (self));
  self->step_after_run = step;
  ls_window_run (self);
}

void
ls_window_cancel (LsWindow *self)
{
  g_return_if_fail (LS_IS_WINDOW (self));
  if (self->job)
    ls_run_job_cancel (self->job);
  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
}

gboolean
ls_window_is_busy (LsWindow *self)
{
  g_return_val_if_fail (LS_IS_WINDOW (self), FALSE);
  return self->job != NULL || self->load_cancellable != NULL;
}

/* ---- programs and traces ---------------------------------------------------- */

static void
set_program_names (LsWindow *self, const char *name, const char *title, GFile *file)
{
  g_free (self->program_name);
  self->program_name = g_strdup (name);
  g_free (self->program_title);
  self->program_title = g_strdup (title);
  g_set_object (&self->program_file, file);
}

void
ls_window_set_program (LsWindow *self, const char *name, const char *text)
{
  g_return_if_fail (LS_IS_WINDOW (self));
  clear_shown (self);
  set_program_names (self, name, NULL, NULL);
  ls_editor_set_text (self->editor, text);
  ls_library_select (self->library, NULL);
  set_console (self, "");
  _ls_window_show_model (self);
}

gboolean
ls_window_load_scenario (LsWindow *self, const char *name)
{
  const LsScenario *s;

  g_return_val_if_fail (LS_IS_WINDOW (self), FALSE);
  s = ls_library_get_scenario (self->library, name);
  if (!s)
    return FALSE;
  clear_shown (self);
  set_program_names (self, s->name, s->title, NULL);
  ls_editor_set_text (self->editor, s->source);
  ls_library_select (self->library, name);
  set_console (self, "");
  _ls_window_show_model (self);
  return TRUE;
}

static void
on_scenario_activated (LsLibrary *library, const char *name, LsWindow *self)
{
  if (ls_window_load_scenario (self, name) && adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
load_trace_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  g_autofree char *path = g_file_get_path (task_data);
  LsTraceModel *model = path ? ls_trace_model_load (path, &error) : NULL;

  if (!path)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be opened"));
  if (model)
    g_task_return_pointer (task, model, (GDestroyNotify) ls_trace_model_free);
  else
    g_task_return_error (task, error);
}

static void
on_trace_loaded (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LsWindow *self = LS_WINDOW (source);
  g_autoptr (GFile) file = user_data;
  g_autoptr (GError) error = NULL;
  LsTraceModel *model = g_task_propagate_pointer (G_TASK (res), &error);
  const LsTraceRun *run;
  g_autofree char *base = NULL;

  g_clear_object (&self->load_cancellable);
  stop_progress (self);
  set_busy (self, FALSE, NULL);
  if (!model)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *msg = g_strdup_printf (_("Cannot open %s: %s"), name, error->message);
      _ls_window_toast (self, msg);
      return;
    }
  clear_shown (self);
  run = ls_trace_model_get_run (model);
  base = run->scenario_path ? g_path_get_basename (run->scenario_path) : g_file_get_basename (file);
  set_program_names (self, base, NULL, NULL);
  ls_editor_set_text (self->editor, run->source ? run->source : "");
  ls_library_select (self->library, NULL);
  self->loaded_model = model;
  self->loaded_file = g_object_ref (file);
  self->model = model;
  _ls_window_show_model (self);
  _ls_window_add_recent (self, file);
}

void
_ls_window_load_trace (LsWindow *self, GFile *file)
{
  g_autoptr (GTask) task = NULL;

  if (ls_window_is_busy (self))
    return;
  self->load_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->load_cancellable, on_trace_loaded, g_object_ref (file));
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_trace_in_thread);
  set_busy (self, TRUE, _("Loading the trace…"));
  self->progress_source = g_timeout_add (100, on_progress_tick, self);
}

void
ls_window_open_file (LsWindow *self, GFile *file)
{
  g_autofree char *name = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;

  g_return_if_fail (LS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  name = g_file_get_basename (file);
  if (!g_str_has_suffix (name, ".py"))
    {
      _ls_window_load_trace (self, file);
      return;
    }
  if (!g_file_load_contents (file, NULL, &contents, &len, NULL, &error))
    {
      g_autofree char *msg = g_strdup_printf (_("Cannot open %s: %s"), name, error->message);
      _ls_window_toast (self, msg);
      return;
    }
  if (!g_utf8_validate (contents, len, NULL))
    {
      g_autofree char *msg = g_strdup_printf (_("Cannot open %s: it is not UTF-8 text"), name);
      _ls_window_toast (self, msg);
      return;
    }
  ls_window_set_program (self, name, contents);
  {
    g_autoptr (LsScenario) s = ls_scenario_new (name, contents);
    set_program_names (self, name, g_str_equal (s->title, name) || !strstr (contents, "# title:")
                                   ? NULL : s->title, file);
  }
  update_title (self);
  _ls_window_add_recent (self, file);
}

/* ---- export ------------------------------------------------------------------- */

gboolean
ls_window_export (LsWindow *self, const char *format, const char *path, GError **error)
{
  LsExportFormat fmt;
  LsTimelineOptions opts = { 0 };
  double from, to;
  g_autofree char *title = NULL;
  const char *pattern;

  g_return_val_if_fail (LS_IS_WINDOW (self), FALSE);
  if (!self->model)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There is no run to export yet"));
      return FALSE;
    }
  if (g_str_equal (format, "png"))
    fmt = LS_EXPORT_PNG;
  else if (g_str_equal (format, "svg"))
    fmt = LS_EXPORT_SVG;
  else if (g_str_equal (format, "pdf"))
    fmt = LS_EXPORT_PDF;
  else
    fmt = LS_EXPORT_PERFETTO;
  opts.axis = ls_timeline_view_get_axis (self->timeline);
  pattern = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  opts.tasks_pattern = pattern && *pattern ? pattern : NULL;
  ls_timeline_view_get_range (self->timeline, &from, &to);
  title = g_strdup_printf ("%s · %s", self->program_name ? self->program_name : "Loopscope",
                           ls_timeline_axis_name (opts.axis));
  return ls_export_write (self->model, fmt, &opts, from, to,
                          adw_style_manager_get_dark (adw_style_manager_get_default ()),
                          title, path, error);
}

/* ---- presentation and styles ------------------------------------------------- */

void
ls_window_set_presentation (LsWindow *self, gboolean on)
{
  GAction *action;

  g_return_if_fail (LS_IS_WINDOW (self));
  if (on == self->presentation)
    return;
  self->presentation = on;
  /* Take the editor and panels out of the paned rather than hiding
   * them: GtkPaned 4.8 warns when it draws its handle beside a hidden
   * child. */
  if (on)
    {
      self->paned_position = gtk_paned_get_position (self->main_paned);
      g_object_ref (self->top_paned);
      gtk_paned_set_start_child (self->main_paned, NULL);
    }
  else
    {
      gtk_paned_set_start_child (self->main_paned, self->top_paned);
      g_object_unref (self->top_paned);
      gtk_paned_set_position (self->main_paned, self->paned_position);
    }
  adw_flap_set_reveal_flap (self->flap, on ? FALSE : TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->filter_entry), !on);
  gtk_widget_set_visible (GTK_WIDGET (self->present_output), on);
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), !on);
  ls_timeline_view_set_scale (self->timeline, on ? 1.6 : 1.0);
  if (on)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      self->was_maximized = gtk_window_is_maximized (GTK_WINDOW (self));
      gtk_window_fullscreen (GTK_WINDOW (self));
      gtk_widget_grab_focus (GTK_WIDGET (self->timeline));
      AdwToast *toast = adw_toast_new (_("Presentation mode: arrow keys step, Space plays, F5 or Escape leaves"));
      /* Short: it covers the printed lines the class is reading. */
      adw_toast_set_timeout (toast, 3);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "presentation");
  if (action)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (on));
}

static void
on_dark_changed (AdwStyleManager *manager, GParamSpec *pspec, LsWindow *self)
{
  gboolean dark = adw_style_manager_get_dark (manager);

  ls_timeline_view_set_dark (self->timeline, dark);
  ls_editor_set_dark (self->editor, dark);
}

/* ---- view controls ------------------------------------------------------------ */

static void
on_axis_changed (GObject *object, GParamSpec *pspec, LsWindow *self)
{
  static const LsTimelineAxis axes[] = {
    LS_TIMELINE_AXIS_HYBRID, LS_TIMELINE_AXIS_TIME, LS_TIMELINE_AXIS_SWITCH,
  };
  guint i = gtk_drop_down_get_selected (self->axis_dropdown);

  if (i < G_N_ELEMENTS (axes))
    ls_timeline_view_set_axis (self->timeline, axes[i]);
  if (self->step >= 0)
    ls_window_set_step (self, self->step);
}

static void
on_filter_changed (GtkSearchEntry *entry, LsWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *pattern = NULL;

  /* A plain word finds tasks containing it; a glob is used as typed. */
  if (text && *text && !strpbrk (text, "*?["))
    pattern = g_strdup_printf ("*%s*", text);
  else
    pattern = g_strdup (text);
  ls_timeline_view_set_filter (self->timeline, pattern, FALSE);
  rebuild_step_index (self);
  ls_window_set_step (self, -1);
}

void
ls_window_show_panel (LsWindow *self, const char *name)
{
  g_return_if_fail (LS_IS_WINDOW (self));
  if (adw_view_stack_get_child_by_name (self->side_stack, name))
    adw_view_stack_set_visible_child_name (self->side_stack, name);
}

/* ---- accessors for tests ------------------------------------------------------ */

GtkWidget *
ls_window_get_timeline (LsWindow *self)
{
  return GTK_WIDGET (self->timeline);
}

GtkWidget *
ls_window_get_editor (LsWindow *self)
{
  return GTK_WIDGET (self->editor);
}

GtkWidget *
ls_window_get_inspector (LsWindow *self)
{
  return GTK_WIDGET (self->inspector);
}

GtkWidget *
ls_window_get_state_panel (LsWindow *self)
{
  return GTK_WIDGET (self->state_panel);
}

char *
ls_window_get_console_text (LsWindow *self)
{
  GtkTextBuffer *buf = gtk_text_view_get_buffer (self->console);
  GtkTextIter a, b;

  gtk_text_buffer_get_bounds (buf, &a, &b);
  return gtk_text_buffer_get_text (buf, &a, &b, FALSE);
}

/* ---- life ----------------------------------------------------------------------- */

static void
ls_window_dispose (GObject *object)
{
  LsWindow *self = LS_WINDOW (object);

  if (self->job)
    ls_run_job_cancel (self->job);
  if (self->presentation)
    ls_window_set_presentation (self, FALSE);
  stop_progress (self);
  g_clear_handle_id (&self->play_source, g_source_remove);
  if (self->timeline)
    ls_timeline_view_set_model (self->timeline, NULL);
  g_clear_pointer (&self->cursor, ls_loop_cursor_free);
  self->model = NULL;
  g_clear_pointer (&self->result, ls_run_result_free);
  g_clear_pointer (&self->loaded_model, ls_trace_model_free);
  g_clear_object (&self->loaded_file);
  g_clear_pointer (&self->output, g_free);
  g_clear_pointer (&self->findings, g_array_unref);
  g_clear_pointer (&self->step_index, g_array_unref);
  g_clear_object (&self->program_file);
  g_clear_pointer (&self->program_name, g_free);
  g_clear_pointer (&self->program_title, g_free);
  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LS_TYPE_WINDOW);
  G_OBJECT_CLASS (ls_window_parent_class)->dispose (object);
}

static void
ls_window_class_init (LsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ls_window_dispose;

  g_type_ensure (LS_TYPE_EDITOR);
  g_type_ensure (LS_TYPE_LIBRARY);
  g_type_ensure (LS_TYPE_INSPECTOR);
  g_type_ensure (LS_TYPE_STATE_PANEL);
  g_type_ensure (LS_TYPE_TIMELINE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/loopscope/Loopscope/ui/ls-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, LsWindow, name)
  CHILD (toast_overlay);
  CHILD (header);
  CHILD (window_title);
  CHILD (library_button);
  CHILD (open_button);
  CHILD (run_button);
  CHILD (presentation_button);
  CHILD (progress_revealer);
  CHILD (progress_label);
  CHILD (progress_bar);
  CHILD (flap);
  CHILD (library);
  CHILD (main_paned);
  CHILD (top_paned);
  CHILD (editor);
  CHILD (console);
  CHILD (console_heading);
  CHILD (side_stack);
  CHILD (findings_page);
  CHILD (inspector);
  CHILD (state_panel);
  CHILD (findings_stack);
  CHILD (findings_list);
  CHILD (play_button);
  CHILD (speed_dropdown);
  CHILD (step_label);
  CHILD (filter_entry);
  CHILD (axis_dropdown);
  CHILD (timeline_stack);
  CHILD (timeline_status);
  CHILD (timeline);
  CHILD (present_output);
#undef CHILD
}

static void
ls_window_init (LsWindow *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  self->step = -1;
  self->step_after_run = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self->library, "scenario-activated", G_CALLBACK (on_scenario_activated), self);
  g_signal_connect (self->timeline, "selection-changed", G_CALLBACK (on_selection_changed), self);
  g_signal_connect (self->timeline, "seek", G_CALLBACK (on_seek), self);
  g_signal_connect (self->findings_list, "row-activated", G_CALLBACK (on_finding_activated), self);
  g_signal_connect (self->axis_dropdown, "notify::selected", G_CALLBACK (on_axis_changed), self);
  g_signal_connect (self->speed_dropdown, "notify::selected", G_CALLBACK (on_speed_changed), self);
  g_signal_connect (self->filter_entry, "search-changed", G_CALLBACK (on_filter_changed), self);
  g_signal_connect_object (style, "notify::dark", G_CALLBACK (on_dark_changed), self, 0);
  on_dark_changed (style, NULL, self);

  _ls_window_setup_actions (self);
  _ls_window_update_recent_menu (self);
  update_title (self);
  update_step_label (self);
  _ls_window_update_actions (self);
}

LsWindow *
ls_window_new (GtkApplication *app)
{
  return g_object_new (LS_TYPE_WINDOW, "application", app, NULL);
}
