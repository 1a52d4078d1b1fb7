/* ls-loop-state.c - the loop at one moment (see ls-loop-state.h). */
#include "ls-loop-state.h"

struct _LsLoopCursor {
  const LsTraceModel *model;
  guint32 seq;             /* timers below hold after this seq */
  GHashTable *timers;      /* engine id -> index+1 into `order` (live timers) */
  GArray *order;           /* LsLoopTimer, in the order they were added; gone ones have deadline -1 */
  GHashTable *sleeps;      /* timer id -> creator task index + 1 of the sleep it ends */
};

LsLoopCursor *
ls_loop_cursor_new (const LsTraceModel *model)
{
  LsLoopCursor *c;

  g_return_val_if_fail (model != NULL, NULL);
  c = g_new0 (LsLoopCursor, 1);
  c->model = model;
  guint n_aw;
  const LsTraceAwaitable *aw = ls_trace_model_get_awaitables (model, &n_aw);

  c->timers = g_hash_table_new (g_direct_hash, g_direct_equal);
  c->order = g_array_new (FALSE, TRUE, sizeof (LsLoopTimer));
  c->sleeps = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint a = 0; a < n_aw; a++)
    if (aw[a].timer)
      g_hash_table_insert (c->sleeps, GSIZE_TO_POINTER ((gsize) aw[a].timer),
                           GINT_TO_POINTER (aw[a].creator + 1));
  return c;
}

void
ls_loop_cursor_free (LsLoopCursor *c)
{
  if (!c)
    return;
  g_hash_table_unref (c->timers);
  g_hash_table_unref (c->sleeps);
  g_array_unref (c->order);
  g_free (c);
}

void
ls_loop_state_free (LsLoopState *s)
{
  if (!s)
    return;
  g_array_unref (s->ready);
  g_array_unref (s->timers);
  g_array_unref (s->tasks);
  g_free (s);
}

const char *
ls_loop_task_state_name (LsLoopTaskState state)
{
  switch (state)
    {
    case LS_LOOP_TASK_NOT_CREATED: return "not created";
    case LS_LOOP_TASK_READY: return "ready";
    case LS_LOOP_TASK_RUNNING: return "running";
    case LS_LOOP_TASK_BLOCKED: return "blocked";
    case LS_LOOP_TASK_WAITING: return "waiting";
    case LS_LOOP_TASK_IDLE: return "idle";
    case LS_LOOP_TASK_DONE: return "done";
    default: return "?";
    }
}

LsLoopTaskState
ls_loop_task_state_at (const LsTraceModel *model, guint task, guint32 seq,
                       const LsTraceInterval **interval)
{
  guint n_tasks, n = 0;
  const LsTraceTask *t = ls_trace_model_get_tasks (model, &n_tasks);
  const LsTraceInterval *iv;
  guint lo = 0, hi;

  if (interval)
    *interval = NULL;
  if (task >= n_tasks)
    return LS_LOOP_TASK_NOT_CREATED;
  t += task;
  if (seq < t->created_seq)
    return LS_LOOP_TASK_NOT_CREATED;
  if (t->finished_seq && seq >= t->finished_seq)
    return LS_LOOP_TASK_DONE;
  iv = ls_trace_model_get_task_intervals (model, task, &n);
  if (n == 0)
    return LS_LOOP_TASK_READY;
  /* The last interval that began at or before seq; an interval that
   * begins exactly at seq wins over the one that ends there. */
  hi = n;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (iv[mid].from_seq <= seq)
        lo = mid;
      else
        hi = mid;
    }
  if (interval)
    *interval = &iv[lo];
  switch (iv[lo].state)
    {
    case LS_TRACE_READY: return LS_LOOP_TASK_READY;
    case LS_TRACE_RUNNING: return LS_LOOP_TASK_RUNNING;
    case LS_TRACE_BLOCKED: return LS_LOOP_TASK_BLOCKED;
    case LS_TRACE_WAITING: return LS_LOOP_TASK_WAITING;
    case LS_TRACE_IDLE: return LS_LOOP_TASK_IDLE;
    default: return LS_LOOP_TASK_READY;
    }
}

int
ls_loop_task_line_at (const LsTraceModel *model, guint task, guint32 seq)
{
  guint n_tasks, n_events;
  const LsTraceTask *t = ls_trace_model_get_tasks (model, &n_tasks);
  const LsTraceEvent *ev = ls_trace_model_get_events (model, &n_events);

  if (task >= n_tasks)
    return 0;
  if (seq > n_events)
    seq = n_events;
  /* Walk back through the task's recent events; a step is short, and the
   * task's creation names its first line, so this stops soon. */
  for (guint32 s = seq; s >= 1 && s >= t[task].created_seq; s--)
    if (ev[s - 1].task == t[task].id && ev[s - 1].line > 0)
      return ev[s - 1].line;
  return t[task].line;
}

static gint
compare_timers (gconstpointer a, gconstpointer b)
{
  const LsLoopTimer *x = a, *y = b;
  return x->deadline < y->deadline ? -1 : x->deadline > y->deadline;
}

typedef struct {
  int task;
  guint32 since;
} ReadyEntry;

static gint
compare_ready (gconstpointer a, gconstpointer b)
{
  const ReadyEntry *x = a, *y = b;
  return x->since < y->since ? -1 : x->since > y->since;
}

/* Brings the cursor's timers to seq. */
static void
cursor_move (LsLoopCursor *c, guint32 seq)
{
  guint n_events;
  const LsTraceEvent *ev = ls_trace_model_get_events (c->model, &n_events);

  if (seq < c->seq)
    {
      g_hash_table_remove_all (c->timers);
      g_array_set_size (c->order, 0);
      c->seq = 0;
    }
  for (guint32 s = c->seq + 1; s <= seq; s++)
    {
      const LsTraceEvent *e = &ev[s - 1];
      gpointer idx;

      if (e->kind == LS_EVENT_TIMER_ADDED && e->future)
        {
          LsLoopTimer t = { .id = e->future, .deadline = e->value, .callback = e->detail,
                            .task = e->task ? ls_trace_model_find_task (c->model, e->task) : -1,
                            .sleeper = -1 };
          g_array_append_val (c->order, t);
          g_hash_table_insert (c->timers, GSIZE_TO_POINTER ((gsize) e->future),
                               GUINT_TO_POINTER (c->order->len));
        }
      else if ((e->kind == LS_EVENT_TIMER_FIRED || e->kind == LS_EVENT_TIMER_CANCELLED)
               && (idx = g_hash_table_lookup (c->timers, GSIZE_TO_POINTER ((gsize) e->future))))
        {
          g_hash_table_remove (c->timers, GSIZE_TO_POINTER ((gsize) e->future));
          /* A negative deadline marks the slot as gone. */
          g_array_index (c->order, LsLoopTimer, GPOINTER_TO_UINT (idx) - 1).deadline = -1;
        }
    }
  c->seq = seq;
}

LsLoopState *
ls_loop_cursor_state_at (LsLoopCursor *c, guint32 seq)
{
  guint n_events, n_tasks;
  const LsTraceEvent *ev;
  const LsTraceTask *tasks;
  LsLoopState *s;
  GArray *ready;

  g_return_val_if_fail (c != NULL, NULL);
  ev = ls_trace_model_get_events (c->model, &n_events);
  tasks = ls_trace_model_get_tasks (c->model, &n_tasks);
  if (seq > n_events)
    seq = n_events;

  s = g_new0 (LsLoopState, 1);
  s->seq = seq;
  s->time = seq ? ev[seq - 1].time : 0.0;
  s->running = -1;
  s->ready = g_array_new (FALSE, FALSE, sizeof (int));
  s->timers = g_array_new (FALSE, FALSE, sizeof (LsLoopTimer));
  s->tasks = g_array_sized_new (FALSE, TRUE, sizeof (LsLoopTask), n_tasks);
  ready = g_array_new (FALSE, FALSE, sizeof (ReadyEntry));

  for (guint i = 0; i < n_tasks; i++)
    {
      const LsTraceInterval *iv = NULL;
      LsLoopTask t = { .task = (int) i };

      t.state = ls_loop_task_state_at (c->model, i, seq, &iv);
      if (iv)
        {
          t.since_seq = iv->from_seq;
          t.since_time = iv->from_time;
          if (t.state == LS_LOOP_TASK_WAITING)
            {
              t.await_kind = iv->await_kind;
              t.await_id = iv->await_id;
            }
        }
      else if (t.state == LS_LOOP_TASK_DONE)
        {
          t.since_seq = tasks[i].finished_seq;
          t.since_time = tasks[i].finished_time;
        }
      else if (t.state != LS_LOOP_TASK_NOT_CREATED)
        {
          t.since_seq = tasks[i].created_seq;
          t.since_time = tasks[i].created_time;
        }
      if ((t.state == LS_LOOP_TASK_RUNNING || t.state == LS_LOOP_TASK_BLOCKED)
          && tasks[i].kind == LS_TRACE_LANE_TASK)
        s->running = (int) i;
      if (t.state == LS_LOOP_TASK_READY)
        {
          ReadyEntry r = { (int) i, t.since_seq };
          g_array_append_val (ready, r);
        }
      g_array_append_val (s->tasks, t);
    }
  g_array_sort (ready, compare_ready);
  for (guint i = 0; i < ready->len; i++)
    g_array_append_val (s->ready, g_array_index (ready, ReadyEntry, i).task);
  g_array_unref (ready);

  cursor_move (c, seq);
  for (guint i = 0; i < c->order->len; i++)
    {
      LsLoopTimer t = g_array_index (c->order, LsLoopTimer, i);
      if (t.deadline < 0)
        continue;
      /* A sleep's timer: name the sleeping task, which is what a user
       * recognises ("Task-2's sleep(1)"), not the callback. */
      t.sleeper = GPOINTER_TO_INT (g_hash_table_lookup (c->sleeps, GSIZE_TO_POINTER ((gsize) t.id))) - 1;
      g_array_append_val (s->timers, t);
    }
  /* g_array_sort is a stable merge sort in GLib: equal deadlines keep the
   * order they were added in. */
  g_array_sort (s->timers, compare_timers);
  return s;
}
