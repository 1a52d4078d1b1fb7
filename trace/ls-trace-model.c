/* ls-trace-model.c - derives lanes, intervals, groups, edges and marks
 * from a run's events (ls-trace-model.h states the rules).
 *
 * Events are appended first; everything else is derived in one forward
 * pass in ls_trace_model_builder_finish(), with a little state per lane
 * and per id.  A million events must load in well under a second and a
 * half, so the pass allocates per lane and per awaitable, never per event,
 * and ids are looked up in an open-addressing table of plain integers.
 */
#include "ls-trace-model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- id -> index ---------------------------------------------------------- */

/* Open addressing with linear probing; key 0 marks an empty slot (engine
 * ids start at 1).  Values are indices. */
typedef struct {
  guint64 *keys;
  gint32 *vals;
  gsize mask;
  gsize used;
} IdMap;

static void
id_map_init (IdMap *m)
{
  m->mask = 255;
  m->used = 0;
  m->keys = g_new0 (guint64, m->mask + 1);
  m->vals = g_new (gint32, m->mask + 1);
}

static void
id_map_clear (IdMap *m)
{
  g_clear_pointer (&m->keys, g_free);
  g_clear_pointer (&m->vals, g_free);
}

static inline gsize
id_hash (guint64 id)
{
  id ^= id >> 33;
  id *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  id ^= id >> 33;
  return (gsize) id;
}

static int
id_map_get (const IdMap *m, guint64 id)
{
  if (id == 0 || !m->keys)
    return -1;
  for (gsize i = id_hash (id) & m->mask;; i = (i + 1) & m->mask)
    {
      if (m->keys[i] == id)
        return m->vals[i];
      if (m->keys[i] == 0)
        return -1;
    }
}

static void id_map_put (IdMap *m, guint64 id, int val);

static void
id_map_grow (IdMap *m)
{
  IdMap old = *m;
  m->mask = old.mask * 2 + 1;
  m->used = 0;
  m->keys = g_new0 (guint64, m->mask + 1);
  m->vals = g_new (gint32, m->mask + 1);
  for (gsize i = 0; i <= old.mask; i++)
    if (old.keys[i])
      id_map_put (m, old.keys[i], old.vals[i]);
  g_free (old.keys);
  g_free (old.vals);
}

/* Sets (or replaces) the value of id; id 0 is ignored. */
static void
id_map_put (IdMap *m, guint64 id, int val)
{
  if (id == 0)
    return;
  if ((m->used + 1) * 4 > (m->mask + 1) * 3)
    id_map_grow (m);
  for (gsize i = id_hash (id) & m->mask;; i = (i + 1) & m->mask)
    {
      if (m->keys[i] == id)
        {
          m->vals[i] = val;
          return;
        }
      if (m->keys[i] == 0)
        {
          m->keys[i] = id;
          m->vals[i] = val;
          m->used++;
          return;
        }
    }
}

/* ---- the model ------------------------------------------------------------ */

struct _LsTraceModel {
  GStringChunk *text;
  LsTraceRun run;
  GArray *events;       /* LsTraceEvent */
  GArray *tasks;        /* LsTraceTask */
  GArray *intervals;    /* LsTraceInterval */
  GArray *steps;        /* LsTraceStep */
  GArray *awaitables;   /* LsTraceAwaitable */
  GArray *members;      /* LsTraceMember */
  GArray *edges;        /* LsTraceEdge */
  GArray *marks;        /* LsTraceMark */
  GArray *blocks;       /* LsTraceBlock */
  IdMap task_ids;       /* engine id -> tasks index */
  IdMap awaitable_ids;  /* engine id -> awaitables index */
};

struct _LsTraceModelBuilder {
  LsTraceModel *model;
  gboolean have_end_time;
  double meta_end_time;
};

static const char *
intern (LsTraceModel *m, const char *s)
{
  return s ? g_string_chunk_insert_const (m->text, s) : NULL;
}

void
ls_trace_model_free (LsTraceModel *m)
{
  if (!m)
    return;
  g_string_chunk_free (m->text);
  g_array_unref (m->events);
  g_array_unref (m->tasks);
  g_array_unref (m->intervals);
  g_array_unref (m->steps);
  g_array_unref (m->awaitables);
  g_array_unref (m->members);
  g_array_unref (m->edges);
  g_array_unref (m->marks);
  g_array_unref (m->blocks);
  id_map_clear (&m->task_ids);
  id_map_clear (&m->awaitable_ids);
  g_free (m);
}

const LsTraceRun *
ls_trace_model_get_run (const LsTraceModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);
  return &m->run;
}

#define ARRAY_GETTER(fn, type, field)                          \
  const type *                                                 \
  fn (const LsTraceModel *m, guint *n)                         \
  {                                                            \
    g_return_val_if_fail (m != NULL, NULL);                    \
    if (n)                                                     \
      *n = m->field->len;                                      \
    return (const type *) (gpointer) m->field->data;           \
  }

ARRAY_GETTER (ls_trace_model_get_events, LsTraceEvent, events)
ARRAY_GETTER (ls_trace_model_get_tasks, LsTraceTask, tasks)
ARRAY_GETTER (ls_trace_model_get_intervals, LsTraceInterval, intervals)
ARRAY_GETTER (ls_trace_model_get_steps, LsTraceStep, steps)
ARRAY_GETTER (ls_trace_model_get_awaitables, LsTraceAwaitable, awaitables)
ARRAY_GETTER (ls_trace_model_get_members, LsTraceMember, members)
ARRAY_GETTER (ls_trace_model_get_edges, LsTraceEdge, edges)
ARRAY_GETTER (ls_trace_model_get_marks, LsTraceMark, marks)
ARRAY_GETTER (ls_trace_model_get_blocks, LsTraceBlock, blocks)

const LsTraceEvent *
ls_trace_model_get_event (const LsTraceModel *m, guint32 seq)
{
  g_return_val_if_fail (m != NULL, NULL);
  if (seq == 0 || seq > m->events->len)
    return NULL;
  return &g_array_index (m->events, LsTraceEvent, seq - 1);
}

const LsTraceInterval *
ls_trace_model_get_task_intervals (const LsTraceModel *m, guint index, guint *n)
{
  const LsTraceTask *t;

  g_return_val_if_fail (m != NULL, NULL);
  if (n)
    *n = 0;
  if (index >= m->tasks->len)
    return NULL;
  t = &g_array_index (m->tasks, LsTraceTask, index);
  if (n)
    *n = t->n_intervals;
  return &g_array_index (m->intervals, LsTraceInterval, t->first_interval);
}

const LsTraceMember *
ls_trace_model_get_group_members (const LsTraceModel *m, guint index, guint *n)
{
  const LsTraceAwaitable *a;

  g_return_val_if_fail (m != NULL, NULL);
  if (n)
    *n = 0;
  if (index >= m->awaitables->len)
    return NULL;
  a = &g_array_index (m->awaitables, LsTraceAwaitable, index);
  if (n)
    *n = a->n_members;
  return &g_array_index (m->members, LsTraceMember, a->first_member);
}

int
ls_trace_model_find_task (const LsTraceModel *m, guint64 id)
{
  g_return_val_if_fail (m != NULL, -1);
  return id_map_get (&m->task_ids, id);
}

int
ls_trace_model_find_awaitable (const LsTraceModel *m, guint64 id)
{
  g_return_val_if_fail (m != NULL, -1);
  return id_map_get (&m->awaitable_ids, id);
}

guint32
ls_trace_step_cost (const LsTraceModel *m, const LsTraceStep *step)
{
  (void) m;
  return step->cost;
}

const char *
ls_trace_state_name (LsTraceState state)
{
  static const char *const names[] = { "ready", "running", "blocked", "waiting", "idle" };
  return state < G_N_ELEMENTS (names) ? names[state] : "?";
}

const char *
ls_trace_task_outcome_name (LsTraceTaskOutcome outcome)
{
  static const char *const names[] = { "pending", "result", "exception", "cancelled" };
  return outcome < G_N_ELEMENTS (names) ? names[outcome] : "?";
}

const char *
ls_trace_edge_kind_name (LsTraceEdgeKind kind)
{
  static const char *const names[] = { "created", "woken", "cancelled", "timed-out", "switched" };
  return kind < G_N_ELEMENTS (names) ? names[kind] : "?";
}

/* ---- the builder ------------------------------------------------------------ */

LsTraceModelBuilder *
ls_trace_model_builder_new (void)
{
  LsTraceModelBuilder *b = g_new0 (LsTraceModelBuilder, 1);
  LsTraceModel *m = g_new0 (LsTraceModel, 1);

  m->text = g_string_chunk_new (64 * 1024);
  m->events = g_array_new (FALSE, FALSE, sizeof (LsTraceEvent));
  m->tasks = g_array_new (FALSE, FALSE, sizeof (LsTraceTask));
  m->intervals = g_array_new (FALSE, FALSE, sizeof (LsTraceInterval));
  m->steps = g_array_new (FALSE, FALSE, sizeof (LsTraceStep));
  m->awaitables = g_array_new (FALSE, FALSE, sizeof (LsTraceAwaitable));
  m->members = g_array_new (FALSE, FALSE, sizeof (LsTraceMember));
  m->edges = g_array_new (FALSE, FALSE, sizeof (LsTraceEdge));
  m->marks = g_array_new (FALSE, FALSE, sizeof (LsTraceMark));
  m->blocks = g_array_new (FALSE, FALSE, sizeof (LsTraceBlock));
  id_map_init (&m->task_ids);
  id_map_init (&m->awaitable_ids);
  m->run.outcome = -1;
  m->run.exit_status = -1;
  b->model = m;
  return b;
}

void
ls_trace_model_builder_free (LsTraceModelBuilder *b)
{
  if (!b)
    return;
  ls_trace_model_free (b->model);
  g_free (b);
}

static guint64
parse_u64 (const char *s)
{
  return s ? g_ascii_strtoull (s, NULL, 10) : 0;
}

static double
parse_double (const char *s)
{
  return s ? g_ascii_strtod (s, NULL) : 0.0;
}

void
ls_trace_model_builder_set_meta (LsTraceModelBuilder *b, const char *key, const char *value)
{
  LsTraceRun *r;

  g_return_if_fail (b != NULL && key != NULL);
  r = &b->model->run;
  if (!value)
    return;
  if (strcmp (key, "schema_version") == 0)
    r->schema_version = (int) parse_u64 (value);
  else if (strcmp (key, "tool") == 0)
    r->tool = intern (b->model, value);
  else if (strcmp (key, "tool_version") == 0)
    r->tool_version = intern (b->model, value);
  else if (strcmp (key, "semantics") == 0)
    r->semantics = intern (b->model, value);
  else if (strcmp (key, "scenario") == 0 && !r->scenario_path)
    r->scenario_path = intern (b->model, value);
  else if (strcmp (key, "epoch") == 0)
    r->epoch = parse_double (value);
  else if (strcmp (key, "max_steps") == 0)
    r->max_steps = parse_u64 (value);
  else if (strcmp (key, "max_memory") == 0)
    r->max_memory = parse_u64 (value);
  else if (strcmp (key, "max_time") == 0)
    r->max_time = parse_double (value);
  else if (strcmp (key, "max_wall") == 0)
    r->max_wall = parse_double (value);
  else if (strcmp (key, "outcome") == 0)
    {
      r->outcome_name = intern (b->model, value);
      r->outcome = ls_trace_outcome_from_name (value);
    }
  else if (strcmp (key, "outcome_detail") == 0)
    r->outcome_detail = intern (b->model, value);
  else if (strcmp (key, "exit_status") == 0)
    r->exit_status = (int) g_ascii_strtoll (value, NULL, 10);
  else if (strcmp (key, "end_time") == 0)
    {
      b->have_end_time = TRUE;
      b->meta_end_time = parse_double (value);
    }
}

void
ls_trace_model_builder_set_source (LsTraceModelBuilder *b, const char *path, const char *text)
{
  g_return_if_fail (b != NULL);
  if (path)
    b->model->run.scenario_path = intern (b->model, path);
  if (text)
    b->model->run.source = g_string_chunk_insert (b->model->text, text);
}

/* Printed output is rarely repeated; everything else (kinds of futures,
 * callback names, exception types) is, so only that is deduplicated. */
void
ls_trace_model_builder_add (LsTraceModelBuilder *b, const LsEvent *ev)
{
  LsTraceModel *m;
  LsTraceEvent e;

  g_return_if_fail (b != NULL && ev != NULL);
  m = b->model;
  e.time = ev->time;
  e.value = ev->value;
  e.task = ev->task;
  e.future = ev->future;
  e.other = ev->other;
  e.line = ev->line;
  e.kind = ev->kind <= LS_EVENT_N_KINDS ? (guint8) ev->kind : LS_EVENT_N_KINDS;
  e.reason = ev->reason <= LS_REASON_N ? (guint8) ev->reason : LS_REASON_N;
  if (ev->kind == LS_EVENT_OUTPUT && ev->detail)
    e.detail = g_string_chunk_insert (m->text, ev->detail);
  else
    e.detail = intern (m, ev->detail);
  e.extra = ev->extra ? (ev->kind == LS_EVENT_STEP_END ? g_string_chunk_insert (m->text, ev->extra)
                                                      : intern (m, ev->extra))
                      : NULL;
  g_array_append_val (m->events, e);
}

/* ---- derivation ------------------------------------------------------------- */

/* What the pass keeps per lane while it walks the events. */
typedef struct {
  GArray *intervals;      /* LsTraceInterval, this lane's, closed ones */
  LsTraceInterval cur;    /* the open one; cur.state == G_MAXUINT8: none */
  int step;               /* index into steps of the running step, -1 */
  int next_waiter;        /* next task waiting on the same future (+1), 0: end */
  guint32 wake_seq;       /* the FUTURE_DONE that made it ready, 0: none */
  double wake_time;
  int wake_task;
  guint64 wake_id, wake_via;
  guint32 cancel_pending; /* seq of a CANCEL_REQUESTED not yet delivered, 0: none */
  int cancel_edge;        /* edges index of that request, -1 */
  int taskgroup;          /* the TaskGroup (awaitable index) it is a child of, -1 */
  int owned_taskgroup;    /* the last TaskGroup it created, -1 */
  int owned_as_completed; /* the last as_completed set it created, -1 */
  int timeout_timer;      /* timers index of the last timeout timer it added that fired, -1 */
} Lane;

/* What the pass keeps per timer. */
typedef struct {
  guint64 id;
  double deadline;
  int adder;              /* task index, -1 */
  guint32 fired_seq;      /* 0: not fired */
  double fired_time;
  gboolean timeout;       /* its callback names a timeout */
  gboolean used;          /* already blamed for a cancellation */
} Timer;

/* Per awaitable: its members while they arrive, and who failed first in a
 * TaskGroup. */
typedef struct {
  GArray *members;        /* LsTraceMember, with position in done_rank until sorted */
  int failed_child;       /* TaskGroup: task index of the first child that raised, -1 */
  int waiters;            /* first task waiting on it (+1), 0: none */
} AwaitExtra;

typedef struct {
  LsTraceModel *m;
  GArray *lanes;          /* Lane, parallel to m->tasks */
  GArray *extras;         /* AwaitExtra, parallel to m->awaitables */
  GArray *timers;         /* Timer */
  IdMap timer_ids;
  IdMap task_waiters;     /* task id -> first waiting task (+1): `await task` */
  guint32 last_callback_seq;
  guint64 last_callback;  /* the handle of the last CALLBACK_RUN */
  guint live_tasks;       /* asyncio tasks created and not finished: a loop runs */
  GArray *loop_windows;   /* LoopWindow: from the first task alive to the last done */
} Pass;

/* A stretch of the run during which some asyncio task was alive: the main
 * program was inside asyncio.run (or another loop's run). */
typedef struct {
  guint32 from_seq, to_seq;   /* to_seq 0: still open */
  double from_time, to_time;
} LoopWindow;

#define NO_STATE G_MAXUINT8

static LsTraceTask *
task_at (Pass *p, int i)
{
  return &g_array_index (p->m->tasks, LsTraceTask, i);
}

static Lane *
lane_at (Pass *p, int i)
{
  return &g_array_index (p->lanes, Lane, i);
}

static LsTraceAwaitable *
awaitable_at (Pass *p, int i)
{
  return &g_array_index (p->m->awaitables, LsTraceAwaitable, i);
}

static AwaitExtra *
extra_at (Pass *p, int i)
{
  return &g_array_index (p->extras, AwaitExtra, i);
}

static int
task_index (Pass *p, guint64 id)
{
  return id_map_get (&p->m->task_ids, id);
}

static int
add_lane (Pass *p, guint64 id, LsTraceLaneKind kind, guint32 seq, double time)
{
  LsTraceTask t = { 0 };
  Lane l = { 0 };
  int index = (int) p->m->tasks->len;

  t.id = id;
  t.kind = kind;
  t.parent = -1;
  t.created_seq = seq;
  t.created_time = time;
  /* Id 0: the main program's lane, made at the end; not a task of a loop. */
  if (kind == LS_TRACE_LANE_TASK && id != 0 && p->live_tasks++ == 0)
    {
      LoopWindow w = { .from_seq = seq, .from_time = time };
      g_array_append_val (p->loop_windows, w);
    }
  g_array_append_val (p->m->tasks, t);
  l.intervals = g_array_new (FALSE, FALSE, sizeof (LsTraceInterval));
  l.cur.state = NO_STATE;
  l.step = -1;
  l.taskgroup = -1;
  l.owned_taskgroup = -1;
  l.owned_as_completed = -1;
  l.timeout_timer = -1;
  l.cancel_edge = -1;
  g_array_append_val (p->lanes, l);
  id_map_put (&p->m->task_ids, id, index);
  return index;
}

/* Closes the lane's open interval at (seq, time) and opens one in `state`
 * there; NO_STATE opens nothing. */
static LsTraceInterval *
lane_switch (Pass *p, int lane, guint8 state, guint32 seq, double time)
{
  Lane *l = lane_at (p, lane);

  if (l->cur.state != NO_STATE)
    {
      l->cur.to_seq = seq;
      l->cur.to_time = time;
      g_array_append_val (l->intervals, l->cur);
    }
  memset (&l->cur, 0, sizeof l->cur);
  l->cur.state = state;
  l->cur.from_seq = seq;
  l->cur.from_time = time;
  l->cur.awaitable = -1;
  return &l->cur;
}

static int
get_awaitable (Pass *p, guint64 id, const char *kind, guint32 seq, double time)
{
  int i = id_map_get (&p->m->awaitable_ids, id);
  LsTraceAwaitable a = { 0 };
  AwaitExtra x = { 0 };

  if (i >= 0 || id == 0)
    return i;
  a.id = id;
  a.kind = kind;
  a.creator = -1;
  a.created_seq = seq;
  a.created_time = time;
  x.failed_child = -1;
  i = (int) p->m->awaitables->len;
  g_array_append_val (p->m->awaitables, a);
  g_array_append_val (p->extras, x);
  id_map_put (&p->m->awaitable_ids, id, i);
  return i;
}

static void
add_mark (Pass *p, LsTraceMarkKind kind, guint32 seq, int task, const char *text)
{
  LsTraceMark mk = { .seq = seq, .task = task, .text = text, .kind = kind };
  g_array_append_val (p->m->marks, mk);
}

static void
add_edge (Pass *p, const LsTraceEdge *e)
{
  g_array_append_val (p->m->edges, *e);
}

/* Who finished future `id` at event `ev` (seq): fills the wake fields of
 * the waiters (see the top of ls-trace-model.h). */
static void
resolve_finisher (Pass *p, const LsTraceEvent *ev, guint32 seq, int *from_task,
                  guint64 *from_id, guint32 *from_seq, double *from_time)
{
  int ai;

  *from_task = task_index (p, ev->task);
  *from_id = 0;
  *from_seq = seq;
  *from_time = ev->time;
  if (*from_task >= 0)
    return;
  ai = id_map_get (&p->m->awaitable_ids, ev->future);
  if (ai < 0)
    return;
  if (awaitable_at (p, ai)->timer && ev->reason == LS_REASON_RESULT)
    *from_id = awaitable_at (p, ai)->timer;
  else if (awaitable_at (p, ai)->worker)
    *from_task = task_index (p, awaitable_at (p, ai)->worker);
  else
    {
      /* A group: the member that finished last, before now.  The future a
       * task waits on in TaskGroup.__aexit__ stands for the group the task
       * made last, and so does an as_completed getter. */
      GArray *mem = extra_at (p, ai)->members;
      int creator = awaitable_at (p, ai)->creator;
      const char *kind = awaitable_at (p, ai)->kind;
      if (!mem && creator >= 0 && kind && strcmp (kind, "taskgroup") == 0
          && lane_at (p, creator)->owned_taskgroup >= 0)
        mem = extra_at (p, lane_at (p, creator)->owned_taskgroup)->members;
      /* as_completed's getters: a member's done callback filled them. */
      if (!mem && creator >= 0 && kind && strcmp (kind, "queue") == 0
          && lane_at (p, creator)->owned_as_completed >= 0)
        mem = extra_at (p, lane_at (p, creator)->owned_as_completed)->members;
      if (!mem)
        return;
      guint32 best = 0;
      for (guint i = 0; i < mem->len; i++)
        {
          LsTraceMember *mb = &g_array_index (mem, LsTraceMember, i);
          int t = task_index (p, mb->id);
          int a = id_map_get (&p->m->awaitable_ids, mb->id);
          guint32 done = t >= 0 ? task_at (p, t)->finished_seq
                         : a >= 0 ? awaitable_at (p, a)->done_seq : 0;
          if (done && done <= seq && done > best)
            {
              best = done;
              *from_task = t;
              *from_id = mb->id;
              *from_seq = done;
              *from_time = g_array_index (p->m->events, LsTraceEvent, done - 1).time;
            }
        }
    }
}

/* Every task waiting on the future that just finished becomes ready. */
static void
wake_waiters (Pass *p, int *head, const LsTraceEvent *ev, guint32 seq)
{
  int from_task;
  guint64 from_id;
  guint32 from_seq;
  double from_time;
  int next;

  if (!*head)
    return;
  resolve_finisher (p, ev, seq, &from_task, &from_id, &from_seq, &from_time);
  for (int w = *head; w; w = next)
    {
      Lane *l = lane_at (p, w - 1);
      next = l->next_waiter;
      l->next_waiter = 0;
      if (l->cur.state != LS_TRACE_WAITING || l->cur.await_id != ev->future)
        continue;
      lane_switch (p, w - 1, LS_TRACE_READY, seq, ev->time);
      l->wake_via = ev->future;
      if (ev->reason == LS_REASON_CANCELLED && l->cancel_pending && l->cancel_edge >= 0)
        {
          /* Task.cancel() cancelled what it waited on: whoever cancelled
           * the task woke it. */
          const LsTraceEdge *c = &g_array_index (p->m->edges, LsTraceEdge, l->cancel_edge);
          l->wake_seq = c->from_seq;
          l->wake_time = c->from_time;
          l->wake_task = c->from_task;
          l->wake_id = c->from_id;
          continue;
        }
      l->wake_seq = from_seq;
      l->wake_time = from_time;
      l->wake_task = from_task;
      l->wake_id = from_id;
    }
  *head = 0;
}

static gboolean
names_timeout (const char *callback)
{
  return callback && (strstr (callback, "timeout") || strstr (callback, "Timeout"));
}

/* A CANCEL_REQUESTED of task `victim` (see the top of ls-trace-model.h). */
static void
on_cancel_requested (Pass *p, const LsTraceEvent *ev, guint32 seq, int victim)
{
  LsTraceEdge e = {
    .kind = LS_TRACE_EDGE_CANCELLED, .from_task = task_index (p, ev->task), .to_task = victim,
    .from_seq = seq, .to_seq = seq, .from_time = ev->time, .to_time = ev->time,
  };
  Lane *l = lane_at (p, victim);

  if (!l->cancel_pending)
    l->cancel_pending = seq;
  if (e.from_task < 0)
    {
      int tg = l->taskgroup >= 0 && extra_at (p, l->taskgroup)->failed_child >= 0 ? l->taskgroup
               : l->owned_taskgroup >= 0 && extra_at (p, l->owned_taskgroup)->failed_child >= 0
                 ? l->owned_taskgroup : -1;
      /* The engine names the handle whose callback asked (other); a
       * trace without that falls back to the victim's own timeout timer
       * that fired at that instant. */
      int asker = ev->other ? id_map_get (&p->timer_ids, ev->other) : -1;
      if (asker >= 0)
        {
          Timer *t = &g_array_index (p->timers, Timer, asker);
          e.from_id = t->id;
          if (t->timeout)
            {
              t->used = TRUE;
              e.kind = LS_TRACE_EDGE_TIMED_OUT;
              e.from_seq = t->fired_seq ? t->fired_seq : seq;
              e.deadline = t->deadline;
            }
        }
      else if (l->timeout_timer >= 0)
        {
          Timer *t = &g_array_index (p->timers, Timer, l->timeout_timer);
          if (!t->used && t->fired_time == ev->time)
            {
              t->used = TRUE;
              e.kind = LS_TRACE_EDGE_TIMED_OUT;
              e.from_id = t->id;
              e.from_seq = t->fired_seq;
              e.deadline = t->deadline;
            }
        }
      if (e.kind == LS_TRACE_EDGE_CANCELLED && tg >= 0)
        {
          int failed = extra_at (p, tg)->failed_child;
          e.from_task = failed;
          e.from_seq = task_at (p, failed)->finished_seq;
          e.from_time = task_at (p, failed)->finished_time;
          e.via = awaitable_at (p, tg)->id;
        }
      else if (e.kind == LS_TRACE_EDGE_CANCELLED && p->last_callback_seq
               && g_array_index (p->m->events, LsTraceEvent, p->last_callback_seq - 1).time
                  == ev->time)
        e.from_id = p->last_callback;
    }
  l->cancel_edge = (int) p->m->edges->len;
  add_edge (p, &e);
}

static void
finish_task (Pass *p, int ti, const LsTraceEvent *ev, guint32 seq)
{
  LsTraceTask *t = task_at (p, ti);
  Lane *l = lane_at (p, ti);

  if (t->kind == LS_TRACE_LANE_TASK && !t->finished_seq && p->live_tasks > 0 && --p->live_tasks == 0)
    {
      LoopWindow *w = &g_array_index (p->loop_windows, LoopWindow, p->loop_windows->len - 1);
      w->to_seq = seq;
      w->to_time = ev->time;
    }
  t->finished_seq = seq;
  t->finished_time = ev->time;
  t->result = ev->extra;
  switch (ev->reason)
    {
    case LS_REASON_RESULT:
      t->outcome = LS_TRACE_RESULT;
      add_mark (p, LS_TRACE_MARK_RESULT, seq, ti, ev->extra);
      break;
    case LS_REASON_CANCELLED:
      t->outcome = LS_TRACE_CANCELLED;
      add_mark (p, LS_TRACE_MARK_CANCELLED, seq, ti, ev->extra);
      break;
    default:
      t->outcome = LS_TRACE_EXCEPTION;
      t->exc_type = ev->detail;
      add_mark (p, LS_TRACE_MARK_EXCEPTION, seq, ti, ev->extra ? ev->extra : ev->detail);
      if (l->taskgroup >= 0 && extra_at (p, l->taskgroup)->failed_child < 0)
        extra_at (p, l->taskgroup)->failed_child = ti;
      break;
    }
  lane_switch (p, ti, NO_STATE, seq, ev->time);
}

/* The coroutine's name from the engine's description "main() running at
 * f.py:18" (or "main() done, defined at ..."). */
static const char *
short_coro (LsTraceModel *m, const char *desc)
{
  const char *paren;
  char *s;
  const char *r;

  if (!desc)
    return NULL;
  paren = strstr (desc, "()");
  if (!paren || !paren[2])
    return desc;
  s = g_strndup (desc, paren + 2 - desc);
  r = intern (m, s);
  g_free (s);
  return r;
}

static gboolean
is_housekeeping (const char *coro)
{
  return coro && (strcmp (coro, "shutdown_asyncgens()") == 0
                  || strcmp (coro, "shutdown_default_executor()") == 0);
}

/* A greenlet or generator switched in: RUNNING, in a step of its own. */
static void
lane_begin_step (Pass *p, int ti, guint32 seq, double time)
{
  Lane *l = lane_at (p, ti);
  LsTraceStep st = { 0 };

  if (l->step >= 0)
    return;
  lane_switch (p, ti, LS_TRACE_RUNNING, seq, time);
  task_at (p, ti)->steps++;
  st.task = (guint32) ti;
  st.begin_seq = seq;
  l->step = (int) p->m->steps->len;
  g_array_append_val (p->m->steps, st);
}

/* ... and switched out at seq: its step ends there. */
static void
lane_end_step (Pass *p, int ti, guint32 seq, LsReason reason)
{
  Lane *l = lane_at (p, ti);
  if (l->step >= 0)
    {
      LsTraceStep *st = &g_array_index (p->m->steps, LsTraceStep, l->step);
      st->end_seq = MAX (seq, st->begin_seq + 1);
      st->cost = st->end_seq - st->begin_seq - 1;
      st->end_reason = reason;
      l->step = -1;
    }
}

/* When a join of worker threads (a LOOP_BLOCKED of unknown length, at seq)
 * ended: at the first later event that is not the workers' own (their
 * jobs starting and ending, what their jobs printed), whose seq goes to
 * *end_seq, or at the end of the trace (*end_seq: the last event). */
static double
joined_at (const LsTraceModel *m, guint32 seq, guint32 *end_seq)
{
  g_autoptr (GArray) workers = g_array_new (FALSE, FALSE, sizeof (guint64));
  const LsTraceEvent *last = &g_array_index (m->events, LsTraceEvent, seq - 1);

  for (guint32 i = seq; i < m->events->len; i++)
    {
      const LsTraceEvent *ev = &g_array_index (m->events, LsTraceEvent, i);
      gboolean theirs = FALSE;

      if (ev->kind == LS_EVENT_WORKER_STARTED || ev->kind == LS_EVENT_WORKER_FINISHED)
        {
          if (ev->kind == LS_EVENT_WORKER_STARTED)
            g_array_append_val (workers, ev->task);
          theirs = TRUE;
        }
      else
        for (guint k = 0; k < workers->len && !theirs; k++)
          theirs = ev->task == g_array_index (workers, guint64, k);
      if (!theirs)
        {
          *end_seq = i + 1;
          return ev->time;
        }
      last = ev;
    }
  *end_seq = m->events->len;
  return last->time;
}

static void
step_event (Pass *p, const LsTraceEvent *ev, guint32 seq)
{
  LsTraceModel *m = p->m;
  int ti = task_index (p, ev->task);
  int ai;

  switch (ev->kind)
    {
    case LS_EVENT_TASK_CREATED:
      {
        LsTraceTask *t;
        if (ti >= 0 || ev->task == 0)
          break;              /* an id created twice: keep the first */
        ti = add_lane (p, ev->task, LS_TRACE_LANE_TASK, seq, ev->time);
        t = task_at (p, ti);
        t->name = ev->detail;
        t->coro_where = ev->extra;
        t->coro = short_coro (m, ev->extra);
        t->line = ev->line;
        t->parent = task_index (p, ev->other);
        t->internal = t->parent < 0 && is_housekeeping (t->coro);
        lane_switch (p, ti, LS_TRACE_READY, seq, ev->time);
        if (t->parent >= 0)
          {
            LsTraceEdge e = {
              .kind = LS_TRACE_EDGE_CREATED, .from_task = t->parent, .to_task = ti,
              .from_seq = seq, .to_seq = seq, .from_time = ev->time, .to_time = ev->time,
            };
            add_edge (p, &e);
          }
        break;
      }

    case LS_EVENT_TASK_RENAMED:
      if (ti >= 0 && ev->detail)
        task_at (p, ti)->name = ev->detail;
      break;

    case LS_EVENT_STEP_BEGIN:
      {
        Lane *l;
        LsTraceStep st = { 0 };
        if (ti < 0)
          break;
        l = lane_at (p, ti);
        if (l->step >= 0)
          break;              /* already running: a damaged trace, keep going */
        lane_switch (p, ti, LS_TRACE_RUNNING, seq, ev->time);
        task_at (p, ti)->steps++;
        st.task = (guint32) ti;
        st.begin_seq = seq;
        l->step = (int) m->steps->len;
        g_array_append_val (m->steps, st);
        if (l->wake_seq)
          {
            LsTraceEdge e = {
              .kind = LS_TRACE_EDGE_WOKEN, .from_task = l->wake_task, .to_task = ti,
              .from_seq = l->wake_seq, .to_seq = seq, .from_time = l->wake_time,
              .to_time = ev->time, .from_id = l->wake_id, .via = l->wake_via,
            };
            add_edge (p, &e);
            l->wake_seq = 0;
          }
        break;
      }

    case LS_EVENT_STEP_END:
      {
        Lane *l;
        if (ti < 0)
          break;
        l = lane_at (p, ti);
        if (l->step >= 0)
          {
            LsTraceStep *st = &g_array_index (m->steps, LsTraceStep, l->step);
            st->end_seq = seq;
            st->cost = seq - st->begin_seq - 1;
            st->end_reason = ev->reason;
            l->step = -1;
          }
        switch (ev->reason)
          {
          case LS_REASON_AWAITING:
            {
              LsTraceInterval *iv = lane_switch (p, ti, LS_TRACE_WAITING, seq, ev->time);
              int wt = task_index (p, ev->future);
              iv->await_id = ev->future;
              iv->await_kind = ev->detail;
              if (wt >= 0)
                {
                  /* `await task`: the task's own done wakes it. */
                  int head = id_map_get (&p->task_waiters, ev->future);
                  l->next_waiter = head > 0 ? head : 0;
                  id_map_put (&p->task_waiters, ev->future, ti + 1);
                }
              else
                {
                  ai = get_awaitable (p, ev->future, ev->detail, seq, ev->time);
                  if (ai >= 0)
                    {
                      iv->awaitable = ai;
                      l->next_waiter = extra_at (p, ai)->waiters;
                      extra_at (p, ai)->waiters = ti + 1;
                    }
                }
              break;
            }
          case LS_REASON_YIELDED:
          case LS_REASON_RESCHEDULED:
            lane_switch (p, ti, LS_TRACE_READY, seq, ev->time);
            break;
          case LS_REASON_RESULT:
          case LS_REASON_EXCEPTION:
          case LS_REASON_CANCELLED:
            finish_task (p, ti, ev, seq);
            break;
          default:
            lane_switch (p, ti, LS_TRACE_READY, seq, ev->time);
            break;
          }
        break;
      }

    case LS_EVENT_FUTURE_CREATED:
      ai = get_awaitable (p, ev->future, ev->detail, seq, ev->time);
      if (ai >= 0)
        {
          LsTraceAwaitable *a = awaitable_at (p, ai);
          a->kind = ev->detail;
          a->creator = ti;
          a->created_seq = seq;
          a->created_time = ev->time;
          if (ti >= 0 && ev->detail && strcmp (ev->detail, "TaskGroup") == 0)
            lane_at (p, ti)->owned_taskgroup = ai;
          if (ti >= 0 && ev->detail && strcmp (ev->detail, "as_completed") == 0)
            lane_at (p, ti)->owned_as_completed = ai;
        }
      break;

    case LS_EVENT_FUTURE_DONE:
      {
        int done_task = task_index (p, ev->future);
        if (done_task >= 0)
          {
            int head = id_map_get (&p->task_waiters, ev->future);
            if (head > 0)
              {
                wake_waiters (p, &head, ev, seq);
                id_map_put (&p->task_waiters, ev->future, 0);
              }
            break;
          }
        ai = get_awaitable (p, ev->future, ev->detail, seq, ev->time);
        if (ai < 0)
          break;
        if (!awaitable_at (p, ai)->done_seq)
          {
            LsTraceAwaitable *a = awaitable_at (p, ai);
            a->done_seq = seq;
            a->done_time = ev->time;
            a->outcome = ev->reason == LS_REASON_RESULT ? LS_TRACE_RESULT
                         : ev->reason == LS_REASON_CANCELLED ? LS_TRACE_CANCELLED
                         : LS_TRACE_EXCEPTION;
          }
        wake_waiters (p, &extra_at (p, ai)->waiters, ev, seq);
        break;
      }

    case LS_EVENT_AWAIT_LINK:
      {
        LsTraceMember mb = { 0 };
        AwaitExtra *x;
        ai = get_awaitable (p, ev->future, ev->detail, seq, ev->time);
        if (ai < 0 || ev->other == 0)
          break;
        x = extra_at (p, ai);
        if (!x->members)
          x->members = g_array_new (FALSE, FALSE, sizeof (LsTraceMember));
        mb.id = ev->other;
        mb.done_rank = ev->value >= 0 && ev->value < G_MAXUINT32 ? (guint32) ev->value : 0;
        g_array_append_val (x->members, mb);
        if (ev->detail && strcmp (ev->detail, "TaskGroup") == 0)
          {
            int child = task_index (p, ev->other);
            if (child >= 0)
              lane_at (p, child)->taskgroup = ai;
          }
        break;
      }

    case LS_EVENT_CALLBACK_RUN:
      p->last_callback_seq = seq;
      p->last_callback = ev->future;
      break;

    case LS_EVENT_TIMER_ADDED:
      {
        Timer t = { .id = ev->future, .deadline = ev->value, .adder = ti };
        const LsTraceEvent *prev = seq >= 2 ? &g_array_index (m->events, LsTraceEvent, seq - 2)
                                            : NULL;
        t.timeout = names_timeout (ev->detail);
        id_map_put (&p->timer_ids, ev->future, (int) p->timers->len);
        g_array_append_val (p->timers, t);
        /* sleep(): the future, then its timer, in the same step. */
        if (prev && prev->kind == LS_EVENT_FUTURE_CREATED && prev->task == ev->task
            && prev->detail && strcmp (prev->detail, "sleep") == 0)
          {
            ai = id_map_get (&p->m->awaitable_ids, prev->future);
            if (ai >= 0)
              awaitable_at (p, ai)->timer = ev->future;
          }
        break;
      }

    case LS_EVENT_TIMER_FIRED:
      {
        int i = id_map_get (&p->timer_ids, ev->future);
        Timer *t;
        if (i < 0)
          break;
        t = &g_array_index (p->timers, Timer, i);
        t->fired_seq = seq;
        t->fired_time = ev->time;
        if (t->timeout && t->adder >= 0)
          lane_at (p, t->adder)->timeout_timer = i;
        break;
      }

    case LS_EVENT_CANCEL_REQUESTED:
      {
        int victim = task_index (p, ev->future);
        if (victim >= 0 && task_at (p, victim)->kind == LS_TRACE_LANE_TASK)
          on_cancel_requested (p, ev, seq, victim);
        else if ((ai = get_awaitable (p, ev->future, NULL, seq, ev->time)) >= 0
                 && !awaitable_at (p, ai)->cancel_seq)
          awaitable_at (p, ai)->cancel_seq = seq;
        break;
      }

    case LS_EVENT_CANCEL_DELIVERED:
      if (ti >= 0)
        {
          LsTraceMark mk = {
            .seq = seq, .task = ti, .text = ev->detail, .kind = LS_TRACE_MARK_CANCELLED,
            .requested = lane_at (p, ti)->cancel_pending != 0,
          };
          g_array_append_val (m->marks, mk);
          lane_at (p, ti)->cancel_pending = 0;
        }
      break;

    case LS_EVENT_OUTPUT:
      {
        LsTraceMark mk = {
          .seq = seq, .task = ti, .text = ev->detail, .kind = LS_TRACE_MARK_OUTPUT,
          .stderr_ = ev->other == 1,
        };
        g_array_append_val (m->marks, mk);
        break;
      }

    case LS_EVENT_WARNING:
      {
        LsTraceMark mk = {
          .seq = seq, .task = ti >= 0 ? ti : task_index (p, ev->future), .text = ev->detail,
          .tag = ev->extra, .kind = LS_TRACE_MARK_WARNING,
        };
        g_array_append_val (m->marks, mk);
        break;
      }

    case LS_EVENT_LOOP_BLOCKED:
      {
        /* Outside every task while no task is alive: a plain script's
         * call (time.sleep, waiting for a worker), with no loop to stall. */
        LsTraceBlock bl = { .seq = seq, .task = ti, .time = ev->time, .line = ev->line,
                            .outside_loop = ti < 0 && p->live_tasks == 0 };
        if (ev->value >= 0)
          bl.duration = ev->value;
        else
          bl.duration = joined_at (m, seq, &bl.end_seq) - ev->time;
        if (!(bl.duration >= 0))
          bl.duration = 0;
        g_array_append_val (m->blocks, bl);
        if (ti >= 0 && lane_at (p, ti)->cur.state == LS_TRACE_RUNNING)
          {
            lane_switch (p, ti, LS_TRACE_BLOCKED, seq, ev->time);
            lane_at (p, ti)->cur.to_seq = seq;
            lane_at (p, ti)->cur.to_time = ev->time + bl.duration;
            g_array_append_val (lane_at (p, ti)->intervals, lane_at (p, ti)->cur);
            lane_at (p, ti)->cur.state = NO_STATE;
            lane_switch (p, ti, LS_TRACE_RUNNING, seq, ev->time + bl.duration);
          }
        break;
      }

    case LS_EVENT_WORKER_STARTED:
      {
        if (ev->task == 0)
          break;
        if (ti < 0)
          {
            LsTraceTask *t;
            ti = add_lane (p, ev->task, LS_TRACE_LANE_THREAD, seq, ev->time);
            t = task_at (p, ti);
            t->name = ev->detail;
            t->parent = task_index (p, ev->other);
            if (t->parent >= 0)
              {
                LsTraceEdge e = {
                  .kind = LS_TRACE_EDGE_CREATED, .from_task = t->parent, .to_task = ti,
                  .from_seq = seq, .to_seq = seq, .from_time = ev->time, .to_time = ev->time,
                };
                add_edge (p, &e);
              }
          }
        if (task_at (p, ti)->kind != LS_TRACE_LANE_THREAD)
          break;
        /* A job runs beside the loop or the main program, overlapping
         * their steps: it is not a step (which the switch axis and the
         * app's stepping take one after another). */
        lane_switch (p, ti, LS_TRACE_RUNNING, seq, ev->time);
        task_at (p, ti)->steps++;
        ai = get_awaitable (p, ev->future, "executor", seq, ev->time);
        if (ai >= 0)
          awaitable_at (p, ai)->worker = ev->task;
        break;
      }

    case LS_EVENT_GREENLET_CREATED:
      {
        LsTraceTask *t;
        if (ti >= 0 || ev->task == 0)
          break;
        ti = add_lane (p, ev->task, LS_TRACE_LANE_GREENLET, seq, ev->time);
        t = task_at (p, ti);
        t->name = ev->detail;
        t->coro = ev->extra;
        t->line = ev->line;
        t->parent = task_index (p, ev->other);
        if (ev->other == 0)
          lane_begin_step (p, ti, seq, ev->time);      /* the main greenlet runs */
        else
          lane_switch (p, ti, LS_TRACE_WAITING, seq, ev->time)->await_kind = "start";
        {
          /* The arrow comes from whoever made it, which for gevent is
           * not its parent (the hub). */
          int maker = task_index (p, ev->future);
          if (maker >= 0)
            {
              LsTraceEdge e = {
                .kind = LS_TRACE_EDGE_CREATED, .from_task = maker, .to_task = ti,
                .from_seq = seq, .to_seq = seq, .from_time = ev->time, .to_time = ev->time,
              };
              add_edge (p, &e);
            }
        }
        break;
      }

    case LS_EVENT_GREENLET_SWITCH:
      {
        int from = task_index (p, ev->other);
        if (from >= 0 && task_at (p, from)->kind == LS_TRACE_LANE_GREENLET
            && !task_at (p, from)->finished_seq)
          {
            lane_end_step (p, from, seq, LS_REASON_AWAITING);
            lane_switch (p, from, LS_TRACE_WAITING, seq, ev->time)->await_kind = ev->detail;
          }
        if (ti >= 0 && task_at (p, ti)->kind == LS_TRACE_LANE_GREENLET && !task_at (p, ti)->finished_seq)
          {
            lane_begin_step (p, ti, seq, ev->time);
            if (from >= 0)
              {
                LsTraceEdge e = {
                  .kind = LS_TRACE_EDGE_SWITCHED, .from_task = from, .to_task = ti,
                  .from_seq = seq, .to_seq = seq, .from_time = ev->time, .to_time = ev->time,
                };
                add_edge (p, &e);
              }
          }
        break;
      }

    case LS_EVENT_GREENLET_FINISHED:
      if (ti >= 0 && task_at (p, ti)->kind == LS_TRACE_LANE_GREENLET && !task_at (p, ti)->finished_seq)
        {
          lane_end_step (p, ti, seq, ev->reason);
          finish_task (p, ti, ev, seq);
        }
      break;

    case LS_EVENT_GENERATOR_RESUMED:
      if (ev->task == 0)
        break;
      if (ti < 0)
        {
          LsTraceTask *t;
          ti = add_lane (p, ev->task, LS_TRACE_LANE_GENERATOR, seq, ev->time);
          t = task_at (p, ti);
          t->name = ev->extra;
          t->line = ev->line;
          t->parent = task_index (p, ev->other);
        }
      if (task_at (p, ti)->kind == LS_TRACE_LANE_GENERATOR && !task_at (p, ti)->finished_seq)
        lane_begin_step (p, ti, seq, ev->time);
      break;

    case LS_EVENT_GENERATOR_SUSPENDED:
      if (ti < 0 || task_at (p, ti)->kind != LS_TRACE_LANE_GENERATOR || task_at (p, ti)->finished_seq)
        break;
      lane_end_step (p, ti, seq, ev->reason);
      if (ev->reason == LS_REASON_YIELDED)
        lane_switch (p, ti, LS_TRACE_WAITING, seq, ev->time)->await_kind = "next";
      else
        {
          /* finish_task reads the result from extra: the detail here. */
          LsTraceEvent fin = *ev;
          fin.extra = ev->detail;
          fin.detail = NULL;
          finish_task (p, ti, &fin, seq);
        }
      break;

    case LS_EVENT_WORKER_FINISHED:
      if (ti >= 0 && task_at (p, ti)->kind == LS_TRACE_LANE_THREAD)
        lane_switch (p, ti, LS_TRACE_IDLE, seq, ev->time);
      break;

    default:
      break;
    }
}

static int
member_cmp_position (gconstpointer a, gconstpointer b)
{
  const LsTraceMember *x = a, *y = b;
  return x->done_rank < y->done_rank ? -1 : x->done_rank > y->done_rank;
}

/* Members in position order, with when each finished and in which order. */
static void
finish_groups (Pass *p)
{
  LsTraceModel *m = p->m;

  for (guint ai = 0; ai < m->awaitables->len; ai++)
    {
      AwaitExtra *x = extra_at (p, (int) ai);
      LsTraceAwaitable *a = awaitable_at (p, (int) ai);
      GArray *mem = x->members;
      guint32 *order;
      guint32 last = 0;
      gboolean all_done = TRUE;

      a->first_member = m->members->len;
      if (!mem)
        continue;
      g_array_sort (mem, member_cmp_position);
      order = g_new (guint32, mem->len);
      for (guint i = 0; i < mem->len; i++)
        {
          LsTraceMember *mb = &g_array_index (mem, LsTraceMember, i);
          mb->task = task_index (p, mb->id);
          mb->awaitable = mb->task >= 0 ? -1 : id_map_get (&m->awaitable_ids, mb->id);
          mb->done_seq = mb->task >= 0 ? task_at (p, mb->task)->finished_seq
                         : mb->awaitable >= 0 ? awaitable_at (p, mb->awaitable)->done_seq : 0;
          order[i] = mb->done_seq;
          if (!mb->done_seq)
            all_done = FALSE;
          last = MAX (last, mb->done_seq);
        }
      for (guint i = 0; i < mem->len; i++)
        {
          LsTraceMember *mb = &g_array_index (mem, LsTraceMember, i);
          guint32 rank = 0;
          if (mb->done_seq)
            {
              rank = 1;
              for (guint j = 0; j < mem->len; j++)
                if (order[j] && order[j] < mb->done_seq)
                  rank++;
            }
          mb->done_rank = rank;
        }
      g_free (order);
      g_array_append_vals (m->members, mem->data, mem->len);
      a->n_members = mem->len;
      /* TaskGroup and as_completed have no done event of their own. */
      if (!a->done_seq && all_done && mem->len && last)
        {
          a->done_seq = last;
          a->done_time = g_array_index (m->events, LsTraceEvent, last - 1).time;
          a->outcome = LS_TRACE_RESULT;
        }
    }
}

static gint
step_order (gconstpointer a, gconstpointer b)
{
  const LsTraceStep *x = a, *y = b;
  if (x->begin_seq != y->begin_seq)
    return x->begin_seq < y->begin_seq ? -1 : 1;
  return x->task < y->task ? -1 : x->task > y->task;
}

static void
main_step (Pass *p, int ti, guint32 begin_seq, guint32 end_seq)
{
  LsTraceStep st = { .task = (guint32) ti, .begin_seq = begin_seq, .end_seq = end_seq,
                     .cost = end_seq > begin_seq ? end_seq - begin_seq : 0 };
  g_array_append_val (p->m->steps, st);
  task_at (p, ti)->steps++;
}

/* The code outside every task, thread and greenlet (the module's own
 * statements) gets a lane, "main program", when it left something to show:
 * a line it printed or a blocking call it made with no loop running (the
 * sequential way of doing a job; a plain script waiting for worker
 * threads; a print before or after asyncio.run).  It runs from the start
 * to the end of the trace, blocked during its blocking calls and waiting
 * on "asyncio.run" while a loop runs tasks; each stretch it runs (up to a
 * blocking call or a loop, from its end) is one step.  Programs with
 * greenlets have their main greenlet for this. */
static void
main_program_lane (Pass *p, guint32 n)
{
  LsTraceModel *m = p->m;
  gboolean wanted = FALSE;
  guint b = 0, w = 0;
  guint32 step_begin = 1;
  int ti;
  LsTraceTask *t;

  for (guint i = 0; i < m->tasks->len; i++)
    if (task_at (p, (int) i)->kind == LS_TRACE_LANE_GREENLET)
      return;
  for (guint i = 0; i < m->marks->len && !wanted; i++)
    wanted = g_array_index (m->marks, LsTraceMark, i).task < 0;
  for (guint i = 0; i < m->blocks->len && !wanted; i++)
    wanted = g_array_index (m->blocks, LsTraceBlock, i).task < 0
             && g_array_index (m->blocks, LsTraceBlock, i).outside_loop;
  if (!wanted)
    return;

  ti = add_lane (p, 0, LS_TRACE_LANE_TASK, 1, 0.0);
  t = task_at (p, ti);
  t->name = intern (m, "main program");
  t->coro = intern (m, "<module>");
  lane_switch (p, ti, LS_TRACE_RUNNING, 1, 0.0);
  /* Its blocking calls and the loops' windows, merged in seq order. */
  while (b < m->blocks->len || w < p->loop_windows->len)
    {
      LsTraceBlock *bl = b < m->blocks->len ? &g_array_index (m->blocks, LsTraceBlock, b) : NULL;
      LoopWindow *win = w < p->loop_windows->len ? &g_array_index (p->loop_windows, LoopWindow, w) : NULL;

      if (bl && (bl->task >= 0 || !bl->outside_loop))
        {
          b++;
          continue;
        }
      if (bl && (!win || bl->seq < win->from_seq))
        {
          Lane *l = lane_at (p, ti);
          guint32 end = bl->end_seq ? bl->end_seq : bl->seq;
          main_step (p, ti, step_begin, bl->seq);
          step_begin = end;
          bl->task = ti;
          lane_switch (p, ti, LS_TRACE_BLOCKED, bl->seq, bl->time);
          l->cur.to_seq = end;
          l->cur.to_time = bl->time + bl->duration;
          g_array_append_val (l->intervals, l->cur);
          l->cur.state = NO_STATE;
          lane_switch (p, ti, LS_TRACE_RUNNING, end, bl->time + bl->duration);
          b++;
          continue;
        }
      main_step (p, ti, step_begin, win->from_seq);
      lane_switch (p, ti, LS_TRACE_WAITING, win->from_seq, win->from_time)->await_kind = "asyncio.run";
      if (!win->to_seq)
        {
          /* The trace ends inside the loop (a limit, a deadlock). */
          step_begin = 0;
          w++;
          break;
        }
      lane_switch (p, ti, LS_TRACE_RUNNING, win->to_seq, win->to_time);
      step_begin = win->to_seq;
      w++;
    }
  if (step_begin)
    main_step (p, ti, step_begin, n);
  /* It ran to the end of the trace: finished then, not pending. */
  lane_switch (p, ti, NO_STATE, n, m->run.end_time);
  t = task_at (p, ti);
  t->finished_seq = n;
  t->finished_time = m->run.end_time;
  t->outcome = LS_TRACE_RESULT;
  for (guint i = 0; i < m->marks->len; i++)
    if (g_array_index (m->marks, LsTraceMark, i).task < 0)
      g_array_index (m->marks, LsTraceMark, i).task = ti;
  g_array_sort (m->steps, step_order);
}

LsTraceModel *
ls_trace_model_builder_finish (LsTraceModelBuilder *b)
{
  LsTraceModel *m;
  Pass p = { 0 };
  guint32 n;

  g_return_val_if_fail (b != NULL, NULL);
  m = b->model;
  n = m->events->len;
  m->run.n_events = n;
  m->run.end_time = n ? g_array_index (m->events, LsTraceEvent, n - 1).time : 0.0;
  if (b->have_end_time && b->meta_end_time > m->run.end_time && isfinite (b->meta_end_time))
    m->run.end_time = b->meta_end_time;
  m->run.interrupted = m->run.outcome == LS_TRACE_OUTCOME_RUNNING
                       || m->run.outcome_name == NULL;

  p.m = m;
  p.lanes = g_array_new (FALSE, FALSE, sizeof (Lane));
  p.extras = g_array_new (FALSE, FALSE, sizeof (AwaitExtra));
  p.timers = g_array_new (FALSE, FALSE, sizeof (Timer));
  p.loop_windows = g_array_new (FALSE, FALSE, sizeof (LoopWindow));
  id_map_init (&p.timer_ids);
  id_map_init (&p.task_waiters);

  for (guint32 i = 0; i < n; i++)
    step_event (&p, &g_array_index (m->events, LsTraceEvent, i), i + 1);

  /* A blocking call can end the trace: its band reaches past the last event. */
  for (guint i = 0; i < m->blocks->len; i++)
    {
      LsTraceBlock *bl = &g_array_index (m->blocks, LsTraceBlock, i);
      m->run.end_time = MAX (m->run.end_time, bl->time + bl->duration);
    }

  main_program_lane (&p, n);

  /* Close what the trace left open, and lay the lanes' intervals end to end. */
  for (guint i = 0; i < p.lanes->len; i++)
    {
      Lane *l = lane_at (&p, (int) i);
      LsTraceTask *t = task_at (&p, (int) i);
      if (l->cur.state != NO_STATE)
        {
          l->cur.to_seq = n;
          l->cur.to_time = MAX (m->run.end_time, l->cur.from_time);
          l->cur.open = TRUE;
          g_array_append_val (l->intervals, l->cur);
        }
      t->first_interval = m->intervals->len;
      t->n_intervals = l->intervals->len;
      g_array_append_vals (m->intervals, l->intervals->data, l->intervals->len);
      g_array_unref (l->intervals);
    }
  for (guint i = 0; i < m->steps->len; i++)
    {
      LsTraceStep *st = &g_array_index (m->steps, LsTraceStep, i);
      if (!st->end_seq)
        {
          st->end_seq = n;
          st->cost = n - st->begin_seq;
          st->open = TRUE;
        }
    }
  finish_groups (&p);

  for (guint i = 0; i < p.extras->len; i++)
    if (extra_at (&p, (int) i)->members)
      g_array_unref (extra_at (&p, (int) i)->members);
  g_array_unref (p.extras);
  g_array_unref (p.lanes);
  g_array_unref (p.timers);
  g_array_unref (p.loop_windows);
  id_map_clear (&p.timer_ids);
  id_map_clear (&p.task_waiters);
  g_free (b);
  return m;
}
