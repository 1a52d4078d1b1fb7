/* ls-inspector.c - details of a timeline selection (see ls-inspector.h). */
#include "ls-inspector.h"

#include <glib/gi18n.h>

#include "ls-loop-state.h"
#include "ls-panel-rows.h"

struct _LsInspector {
  GtkWidget parent_instance;

  LsPanelRows rows;
  int line;
};

G_DEFINE_FINAL_TYPE (LsInspector, ls_inspector, GTK_TYPE_WIDGET)

/* The text of source line `line` (1-based) of the run, newly allocated,
 * or NULL. */
static char *
source_line (const LsTraceModel *model, int line)
{
  const char *src = ls_trace_model_get_run (model)->source, *end;

  if (!src || line <= 0)
    return NULL;
  for (int i = 1; i < line; i++)
    {
      src = strchr (src, '\n');
      if (!src)
        return NULL;
      src++;
    }
  end = strchr (src, '\n');
  return g_strstrip (end ? g_strndup (src, end - src) : g_strdup (src));
}

static const char *
what_text (const LsTimelineSelection *s)
{
  switch (s->kind)
    {
    case LS_TIMELINE_HIT_SEGMENT:
      switch (s->seg_kind)
        {
        case LS_TIMELINE_SEG_RUNNING: return _("A step of a task");
        case LS_TIMELINE_SEG_READY: return _("Ready, waiting for its turn");
        case LS_TIMELINE_SEG_WAITING: return _("Waiting on an awaitable");
        case LS_TIMELINE_SEG_BLOCKED: return _("A blocking call");
        case LS_TIMELINE_SEG_IDLE: return _("A worker thread between jobs");
        default: return _("Many short stretches");
        }
    case LS_TIMELINE_HIT_MARK:
      switch (s->mark_kind)
        {
        case LS_TIMELINE_MARK_OUTPUT: return _("A printed line");
        case LS_TIMELINE_MARK_RESULT: return _("A task returned");
        case LS_TIMELINE_MARK_EXCEPTION: return _("A task raised an exception");
        case LS_TIMELINE_MARK_CANCELLED: return _("A cancellation");
        case LS_TIMELINE_MARK_WARNING: return _("A warning");
        default: return _("A timeout");
        }
    case LS_TIMELINE_HIT_ARROW: return _("A cause and its effect");
    case LS_TIMELINE_HIT_BAND: return _("The loop was blocked");
    case LS_TIMELINE_HIT_BRACKET: return _("A group of awaitables");
    case LS_TIMELINE_HIT_BADGE: return _("A member of a group");
    case LS_TIMELINE_HIT_LANE: return _("A task");
    default: return NULL;
    }
}

static const char *
outcome_text (guint8 outcome)
{
  switch (outcome)
    {
    case LS_TRACE_RESULT: return _("returned");
    case LS_TRACE_EXCEPTION: return _("raised");
    case LS_TRACE_CANCELLED: return _("cancelled");
    default: return _("still pending");
    }
}

static const char *
edge_text (guint8 kind)
{
  switch (kind)
    {
    case LS_TRACE_EDGE_CREATED: return _("created");
    case LS_TRACE_EDGE_WOKEN: return _("woke up");
    case LS_TRACE_EDGE_CANCELLED: return _("cancelled");
    case LS_TRACE_EDGE_SWITCHED: return _("switched to");
    default: return _("timed out");
    }
}

void
ls_inspector_show (LsInspector *self, const LsTraceModel *model,
                   const LsTimelineSelection *s)
{
  const LsTraceTask *tasks;
  const LsTraceAwaitable *aw;
  const LsTraceEvent *ev;
  guint n_tasks, n_aw, n;
  g_autofree char *tmp = NULL;
  int line = 0;

  g_return_if_fail (LS_IS_INSPECTOR (self));
  ls_panel_rows_clear (&self->rows);
  self->line = 0;
  if (!model || !s || s->kind == LS_TIMELINE_HIT_NONE)
    {
      ls_panel_rows_hint (&self->rows, "find-location-symbolic",
                          _("Click a step, an arrow or a mark in the timeline to see what happened there."));
      return;
    }
  tasks = ls_trace_model_get_tasks (model, &n_tasks);
  aw = ls_trace_model_get_awaitables (model, &n_aw);
  ev = ls_trace_model_get_event (model, s->seq);

  ls_panel_rows_group (&self->rows, what_text (s), NULL);
  if (s->task >= 0 && (guint) s->task < n_tasks)
    {
      const LsTraceTask *t = &tasks[s->task];
      ls_panel_rows_add (&self->rows, _("Task"), t->name);
      if (t->coro)
        ls_panel_rows_add_code (&self->rows, _("Coroutine"), t->coro);
      if (t->parent >= 0 && (guint) t->parent < n_tasks)
        ls_panel_rows_add (&self->rows, _("Created by"), tasks[t->parent].name);
      tmp = t->result ? g_strdup_printf ("%s: %s", outcome_text (t->outcome), t->result)
                      : g_strdup (outcome_text (t->outcome));
      ls_panel_rows_add (&self->rows, _("Outcome"), tmp);
      g_clear_pointer (&tmp, g_free);
    }
  if (s->kind == LS_TIMELINE_HIT_ARROW && s->edge >= 0)
    {
      const LsTraceEdge *e = ls_trace_model_get_edges (model, &n);
      if ((guint) s->edge < n)
        {
          e += s->edge;
          tmp = g_strdup_printf ("%s → %s (%s)",
                                 e->from_task >= 0 && (guint) e->from_task < n_tasks
                                 ? tasks[e->from_task].name : _("a timer"),
                                 (guint) e->to_task < n_tasks ? tasks[e->to_task].name : "?",
                                 edge_text (e->kind));
          ls_panel_rows_add (&self->rows, _("Arrow"), tmp);
          g_clear_pointer (&tmp, g_free);
          if (e->kind == LS_TRACE_EDGE_TIMED_OUT)
            {
              tmp = g_strdup_printf (_("%.6g s"), e->deadline);
              ls_panel_rows_add (&self->rows, _("Deadline"), tmp);
              g_clear_pointer (&tmp, g_free);
            }
        }
    }
  if (s->awaitable >= 0 && (guint) s->awaitable < n_aw)
    {
      const LsTraceAwaitable *a = &aw[s->awaitable];
      tmp = g_strdup_printf (_("%s (future #%llu)"), a->kind ? a->kind : "future",
                             (unsigned long long) a->id);
      ls_panel_rows_add (&self->rows, _("Awaitable"), tmp);
      g_clear_pointer (&tmp, g_free);
      if (a->n_members)
        {
          const LsTraceMember *m = ls_trace_model_get_group_members (model, s->awaitable, &n);
          GString *list = g_string_new (NULL);
          for (guint i = 0; i < n; i++)
            g_string_append_printf (list, "%s%s", i ? ", " : "",
                                    m[i].task >= 0 && (guint) m[i].task < n_tasks
                                    ? tasks[m[i].task].name : "future");
          ls_panel_rows_add (&self->rows, _("Members"), list->str);
          g_string_free (list, TRUE);
        }
    }
  if (ev)
    {
      const char *kind = ev->kind < LS_EVENT_N_KINDS ? ls_event_kind_name (ev->kind) : "?";
      tmp = g_strdup_printf (_("%.6f s"), ev->time);
      ls_panel_rows_add (&self->rows, _("Virtual time"), tmp);
      g_clear_pointer (&tmp, g_free);
      if (s->from_seq && s->to_seq > s->from_seq)
        tmp = g_strdup_printf ("#%u (#%u … #%u)", s->seq, s->from_seq, s->to_seq);
      else
        tmp = g_strdup_printf ("#%u", s->seq);
      ls_panel_rows_add (&self->rows, _("Sequence number"), tmp);
      g_clear_pointer (&tmp, g_free);
      if (ev->reason != LS_REASON_NONE && ev->reason < LS_REASON_N)
        tmp = g_strdup_printf ("%s (%s)", kind, ls_reason_name (ev->reason));
      else
        tmp = g_strdup (kind);
      ls_panel_rows_add (&self->rows, _("Event"), tmp);
      g_clear_pointer (&tmp, g_free);
      if (ev->detail && *ev->detail)
        ls_panel_rows_add_code (&self->rows, _("Detail"), ev->detail);
      if (ev->extra && *ev->extra)
        ls_panel_rows_add_code (&self->rows, _("More"), ev->extra);
      line = ev->line;
    }
  /* A whole step (clicked, not one of its events): the line where it
   * stopped, its STEP_END, says most. */
  if (s->step >= 0)
    {
      const LsTraceStep *st = ls_trace_model_get_steps (model, &n);
      if ((guint) s->step < n && (line <= 0 || s->seq == st[s->step].begin_seq))
        {
          const LsTraceEvent *end = ls_trace_model_get_event (model, st[s->step].end_seq);
          if (end && end->line > 0)
            line = end->line;
        }
    }
  if (line <= 0 && s->task >= 0 && s->seq)
    line = ls_loop_task_line_at (model, (guint) s->task, s->seq);
  if (line > 0)
    {
      g_autofree char *code = source_line (model, line);
      g_autofree char *title = g_strdup_printf (_("Line %d"), line);
      ls_panel_rows_add_code (&self->rows, title, code ? code : "");
      self->line = line;
    }
}

int
ls_inspector_get_line (LsInspector *self)
{
  g_return_val_if_fail (LS_IS_INSPECTOR (self), 0);
  return self->line;
}

char *
ls_inspector_get_text (LsInspector *self)
{
  g_return_val_if_fail (LS_IS_INSPECTOR (self), NULL);
  return g_strdup (self->rows.text->str);
}

static void
ls_inspector_dispose (GObject *object)
{
  ls_panel_rows_dispose (&LS_INSPECTOR (object)->rows);
  G_OBJECT_CLASS (ls_inspector_parent_class)->dispose (object);
}

static void
ls_inspector_class_init (LsInspectorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ls_inspector_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inspector");
}

static void
ls_inspector_init (LsInspector *self)
{
  ls_panel_rows_init (&self->rows, GTK_WIDGET (self));
  ls_inspector_show (self, NULL, NULL);
}

GtkWidget *
ls_inspector_new (void)
{
  return g_object_new (LS_TYPE_INSPECTOR, NULL);
}
