/* ls-state-panel.c - the loop's state at the playhead (see the header). */
#include "ls-state-panel.h"

#include <glib/gi18n.h>

#include "ls-panel-rows.h"

struct _LsStatePanel {
  GtkWidget parent_instance;
  LsPanelRows rows;
};

G_DEFINE_FINAL_TYPE (LsStatePanel, ls_state_panel, GTK_TYPE_WIDGET)

static const char *
state_text (LsLoopTaskState state)
{
  switch (state)
    {
    case LS_LOOP_TASK_NOT_CREATED: return _("not created yet");
    case LS_LOOP_TASK_READY: return _("ready");
    case LS_LOOP_TASK_RUNNING: return _("running");
    case LS_LOOP_TASK_BLOCKED: return _("blocking the loop");
    case LS_LOOP_TASK_WAITING: return _("waiting");
    case LS_LOOP_TASK_IDLE: return _("idle");
    case LS_LOOP_TASK_DONE: return _("done");
    default: return "?";
    }
}

void
ls_state_panel_show (LsStatePanel *self, const LsTraceModel *model, const LsLoopState *st)
{
  const LsTraceTask *tasks;
  guint n_tasks, shown = 0;
  g_autofree char *tmp = NULL;

  g_return_if_fail (LS_IS_STATE_PANEL (self));
  ls_panel_rows_clear (&self->rows);
  if (!model || !st)
    {
      ls_panel_rows_hint (&self->rows, "media-playback-start-symbolic",
                          _("Run a program, then step through it with the arrow keys to see the event loop's ready queue, timers and tasks at each moment."));
      return;
    }
  tasks = ls_trace_model_get_tasks (model, &n_tasks);

  ls_panel_rows_group (&self->rows, _("Now"), NULL);
  tmp = g_strdup_printf (_("%.6f s"), st->time);
  ls_panel_rows_add (&self->rows, _("Virtual time"), tmp);
  g_clear_pointer (&tmp, g_free);
  tmp = g_strdup_printf ("#%u", st->seq);
  ls_panel_rows_add (&self->rows, _("After event"), tmp);
  g_clear_pointer (&tmp, g_free);
  ls_panel_rows_add (&self->rows, _("Running"),
                     st->running >= 0 ? tasks[st->running].name
                                      : _("no task: the loop is between steps"));

  ls_panel_rows_group (&self->rows, _("Ready queue"),
                       st->ready->len ? _("Runs next, in this order") : NULL);
  if (st->ready->len == 0)
    ls_panel_rows_add (&self->rows, _("(empty)"), NULL);
  for (guint i = 0; i < st->ready->len && i < LS_STATE_PANEL_MAX_ROWS; i++)
    {
      int t = g_array_index (st->ready, int, i);
      g_autofree char *title = g_strdup_printf ("%u. %s", i + 1, tasks[t].name);
      ls_panel_rows_add (&self->rows, title, tasks[t].coro);
    }

  ls_panel_rows_group (&self->rows, _("Timers"), st->timers->len ? _("By deadline") : NULL);
  if (st->timers->len == 0)
    ls_panel_rows_add (&self->rows, _("(none)"), NULL);
  for (guint i = 0; i < st->timers->len && i < LS_STATE_PANEL_MAX_ROWS; i++)
    {
      const LsLoopTimer *tm = &g_array_index (st->timers, LsLoopTimer, i);
      g_autofree char *title = g_strdup_printf (_("at %.6g s (in %.6g s)"), tm->deadline,
                                                MAX (tm->deadline - st->time, 0));
      g_autofree char *what = NULL;
      if (tm->sleeper >= 0)
        what = g_strdup_printf (_("wakes %s (sleep)"), tasks[tm->sleeper].name);
      else
        what = g_strdup_printf ("%s%s%s", tm->callback ? tm->callback : _("callback"),
                                tm->task >= 0 ? " · " : "",
                                tm->task >= 0 ? tasks[tm->task].name : "");
      ls_panel_rows_add (&self->rows, title, what);
    }

  ls_panel_rows_group (&self->rows, _("Tasks"), NULL);
  for (guint i = 0; i < st->tasks->len; i++)
    {
      const LsLoopTask *t = &g_array_index (st->tasks, LsLoopTask, i);
      g_autofree char *value = NULL;
      if (t->state == LS_LOOP_TASK_NOT_CREATED || tasks[t->task].internal)
        continue;
      if (shown == LS_STATE_PANEL_MAX_ROWS)
        {
          g_autofree char *more = g_strdup_printf (_("… and %u more"), st->tasks->len - i);
          ls_panel_rows_add (&self->rows, more, NULL);
          break;
        }
      shown++;
      if (t->state == LS_LOOP_TASK_WAITING && t->await_kind)
        value = g_strdup_printf (_("waiting on %s since %.6g s"), t->await_kind, t->since_time);
      else if (t->state == LS_LOOP_TASK_DONE)
        value = g_strdup_printf (_("done (%s)"), ls_trace_task_outcome_name (tasks[t->task].outcome));
      else
        value = g_strdup (state_text (t->state));
      ls_panel_rows_add (&self->rows, tasks[t->task].name, value);
    }
}

char *
ls_state_panel_get_text (LsStatePanel *self)
{
  g_return_val_if_fail (LS_IS_STATE_PANEL (self), NULL);
  return g_strdup (self->rows.text->str);
}

static void
ls_state_panel_dispose (GObject *object)
{
  ls_panel_rows_dispose (&LS_STATE_PANEL (object)->rows);
  G_OBJECT_CLASS (ls_state_panel_parent_class)->dispose (object);
}

static void
ls_state_panel_class_init (LsStatePanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ls_state_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "loopstate");
}

static void
ls_state_panel_init (LsStatePanel *self)
{
  ls_panel_rows_init (&self->rows, GTK_WIDGET (self));
  ls_state_panel_show (self, NULL, NULL);
}

GtkWidget *
ls_state_panel_new (void)
{
  return g_object_new (LS_TYPE_STATE_PANEL, NULL);
}
