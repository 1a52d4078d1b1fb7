/* ls-trace-findings.c - the patterns of ls-trace-findings.h, found in a
 * model.  Each finder reads the model's arrays once; none looks at the
 * file.  A finding's message names the task as the user named it (its
 * task name and coroutine) and the virtual time.
 */
#include "ls-trace-findings.h"
#include "ls-trace-i18n.h"

#include <stdlib.h>
#include <string.h>

static const char *const finding_names[] = {
#define LS_TRACE_FINDING_NAME(id, name) name,
  LS_TRACE_FINDING_KINDS (LS_TRACE_FINDING_NAME)
#undef LS_TRACE_FINDING_NAME
};

const char *
ls_trace_finding_kind_name (LsTraceFindingKind kind)
{
  g_return_val_if_fail (kind < LS_TRACE_N_FINDINGS, "?");
  return finding_names[kind];
}

static void
finding_clear (gpointer p)
{
  LsTraceFinding *f = p;
  g_free (f->message);
}

typedef struct {
  const LsTraceModel *model;
  const LsTraceTask *tasks;
  guint n_tasks;
  const LsTraceEvent *events;
  guint n_events;
  GArray *out;
} Finder;

/* "Task-2 (worker())", or "outside any task". */
static char *
who (Finder *f, int task)
{
  const LsTraceTask *t;
  if (task < 0 || (guint) task >= f->n_tasks)
    return g_strdup (_("outside any task"));
  t = &f->tasks[task];
  if (t->coro)
    return g_strdup_printf ("%s (%s)", t->name ? t->name : "?", t->coro);
  return g_strdup (t->name ? t->name : "?");
}

static double
time_of (Finder *f, guint32 seq)
{
  return seq && seq <= f->n_events ? f->events[seq - 1].time : 0.0;
}

static void
add (Finder *f, LsTraceFindingKind kind, int task, guint32 seq, int line, double value,
     char *message)
{
  LsTraceFinding x = {
    .kind = kind, .task = task, .seq = seq, .time = time_of (f, seq), .line = line,
    .value = value, .message = message,
  };
  g_array_append_val (f->out, x);
}

/* The line of a "file.py:12: RuntimeWarning: ..." message, or 0. */
static int
warning_line (const char *text)
{
  const char *p = text ? strstr (text, ": RuntimeWarning") : NULL;
  const char *q;
  if (!p)
    return 0;
  q = p;
  while (q > text && g_ascii_isdigit (q[-1]))
    q--;
  if (q == p || q == text || q[-1] != ':')
    return 0;
  return (int) strtol (q, NULL, 10);
}

/* The first line of a possibly multi-line text, without its newline. */
static char *
first_line (const char *text)
{
  const char *nl;
  if (!text)
    return g_strdup ("");
  nl = strchr (text, '\n');
  return nl ? g_strndup (text, nl - text) : g_strdup (text);
}

static void
find_blocking (Finder *f)
{
  guint n;
  const LsTraceBlock *blocks = ls_trace_model_get_blocks (f->model, &n);

  for (guint i = 0; i < n; )
    {
      const LsTraceBlock *b = &blocks[i];
      char *name = who (f, b->task), *msg;
      double total = b->duration, end = b->time + b->duration;
      guint count = 1;

      /* Joining worker threads that had already finished stalls nothing;
       * and a call made while no loop ran (a plain script's time.sleep or
       * f.result()) has no loop to stall. */
      if (!(b->duration > 0) || b->outside_loop)
        {
          g_free (name);
          i++;
          continue;
        }
      /* Calls one after another from the same line, with the loop stuck
       * all along (a time.sleep in a loop), are one finding. */
      for (i++; i < n && blocks[i].task == b->task && blocks[i].line == b->line
                && blocks[i].time == end && blocks[i].duration > 0; i++, count++)
        {
          total += blocks[i].duration;
          end += blocks[i].duration;
        }
      if (count == 1)
        msg = g_strdup_printf (_("%s blocked the loop for %g s at t=%g: nothing else ran meanwhile"),
                               name, b->duration, b->time);
      else
        msg = g_strdup_printf (_("%s blocked the loop %u times in a row, %g s in all from t=%g "
                                 "to t=%g: nothing else ran meanwhile"), name, count, total, b->time, end);
      add (f, LS_TRACE_FINDING_BLOCKING, b->task, b->seq, b->line, total, msg);
      g_free (name);
    }
}

static void
find_warnings (Finder *f)
{
  guint n;
  const LsTraceMark *marks = ls_trace_model_get_marks (f->model, &n);

  for (guint i = 0; i < n; i++)
    {
      const LsTraceMark *mk = &marks[i];
      if (mk->kind != LS_TRACE_MARK_WARNING || !mk->tag)
        continue;
      if (strcmp (mk->tag, "never-awaited") == 0)
        {
          char *text = first_line (mk->text);
          add (f, LS_TRACE_FINDING_NEVER_AWAITED, mk->task, mk->seq, warning_line (mk->text), 0,
               text);
        }
      else if (strcmp (mk->tag, "exception-never-retrieved") == 0)
        {
          int line = 0;
          if (mk->task >= 0 && f->tasks[mk->task].finished_seq)
            line = f->events[f->tasks[mk->task].finished_seq - 1].line;
          add (f, LS_TRACE_FINDING_EXCEPTION_UNRETRIEVED, mk->task, mk->seq, line, 0,
               first_line (mk->text));
        }
    }
}

/* Pending tasks: the engine's "destroyed but it is pending" warning when
 * there is one, else the end of the trace. */
static void
find_pending (Finder *f)
{
  guint n_marks;
  const LsTraceMark *marks = ls_trace_model_get_marks (f->model, &n_marks);

  for (guint ti = 0; ti < f->n_tasks; ti++)
    {
      const LsTraceTask *t = &f->tasks[ti];
      guint n_iv;
      const LsTraceInterval *iv;
      guint32 seq = f->n_events;
      char *name, *msg;
      const char *on = NULL;

      if (t->kind != LS_TRACE_LANE_TASK || t->finished_seq || t->internal)
        continue;
      for (guint i = 0; i < n_marks; i++)
        if (marks[i].kind == LS_TRACE_MARK_WARNING && marks[i].task == (int) ti && marks[i].tag
            && strcmp (marks[i].tag, "destroyed-pending") == 0)
          {
            seq = marks[i].seq;
            break;
          }
      iv = ls_trace_model_get_task_intervals (f->model, ti, &n_iv);
      /* What it last waited on (closing the loop may have woken it since). */
      for (guint j = n_iv; j > 0 && !on; j--)
        if (iv[j - 1].state == LS_TRACE_WAITING)
          on = iv[j - 1].await_kind;
      name = who (f, (int) ti);
      msg = on ? g_strdup_printf (_("%s was still pending when the run ended, waiting on %s"), name, on)
               : g_strdup_printf (_("%s was still pending when the run ended"), name);
      add (f, LS_TRACE_FINDING_PENDING_AT_END, (int) ti, seq, t->line, 0, msg);
      g_free (name);
    }
}

static int
cmp_u32 (const void *a, const void *b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return x < y ? -1 : x > y;
}

static gboolean
is_loop_task (const LsTraceTask *t)
{
  return t->kind == LS_TRACE_LANE_TASK && !ls_trace_task_is_main_program (t);
}

static void
find_long_steps (Finder *f)
{
  guint n, k = 0;
  const LsTraceStep *steps = ls_trace_model_get_steps (f->model, &n);
  guint32 *costs, median, threshold;

  /* Only a loop's tasks make the others wait by running long: not a
   * worker thread's job, a greenlet, or the main program outside a loop. */
  costs = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    if (is_loop_task (&f->tasks[steps[i].task]))
      costs[k++] = ls_trace_step_cost (f->model, &steps[i]);
  if (k == 0)
    {
      g_free (costs);
      return;
    }
  qsort (costs, k, sizeof *costs, cmp_u32);
  median = costs[k / 2];
  g_free (costs);
  threshold = MAX ((guint64) median * LS_TRACE_LONG_STEP_FACTOR, LS_TRACE_LONG_STEP_MIN);
  for (guint i = 0; i < n; i++)
    {
      guint32 cost;
      if (!is_loop_task (&f->tasks[steps[i].task]))
        continue;
      cost = ls_trace_step_cost (f->model, &steps[i]);
      if (cost >= threshold && !f->tasks[steps[i].task].internal)
        {
          char *name = who (f, (int) steps[i].task);
          char *msg = g_strdup_printf (_("a step of %s at t=%g did %u events of work, the median "
                                         "step %u: the other tasks waited"), name,
                                       time_of (f, steps[i].begin_seq), cost, median);
          add (f, LS_TRACE_FINDING_LONG_STEP, (int) steps[i].task, steps[i].begin_seq,
               f->events[steps[i].begin_seq - 1].line, cost, msg);
          g_free (name);
        }
    }
}

/* The request behind a cancellation delivered at `seq`: the latest
 * cancelled-by or timed-out-by edge into the task before it. */
static const LsTraceEdge *
cancel_request (Finder *f, int task, guint32 seq)
{
  guint n;
  const LsTraceEdge *edges = ls_trace_model_get_edges (f->model, &n);
  const LsTraceEdge *best = NULL;

  for (guint i = 0; i < n; i++)
    if ((edges[i].kind == LS_TRACE_EDGE_CANCELLED || edges[i].kind == LS_TRACE_EDGE_TIMED_OUT)
        && edges[i].to_task == task && edges[i].to_seq < seq)
      best = &edges[i];
  return best;
}

/* A requested cancellation, delivered, after which the task did not end
 * cancelled but finished with a result, or awaited again and never ended
 * (or had to be cancelled once more).  Cancellations from a timeout
 * (asyncio.timeout and wait_for turn them into TimeoutError) and from a
 * TaskGroup (its __aexit__ turns them into an ExceptionGroup) are meant
 * to be caught and are not findings. */
static void
find_swallowed (Finder *f)
{
  guint n_marks;
  const LsTraceMark *marks = ls_trace_model_get_marks (f->model, &n_marks);

  for (guint i = 0; i < n_marks; i++)
    {
      const LsTraceMark *mk = &marks[i];
      const LsTraceEdge *req;
      const LsTraceTask *t;
      guint32 window_end = f->n_events, awaited = 0, flagged = 0;
      gboolean ended_in_window;

      if (mk->kind != LS_TRACE_MARK_CANCELLED || !mk->requested || mk->task < 0)
        continue;
      t = &f->tasks[mk->task];
      if (t->finished_seq == mk->seq)
        continue;       /* the mark of the task ending cancelled */
      req = cancel_request (f, mk->task, mk->seq);
      if (req && (req->kind == LS_TRACE_EDGE_TIMED_OUT || req->via))
        continue;
      for (guint j = i + 1; j < n_marks; j++)
        if (marks[j].kind == LS_TRACE_MARK_CANCELLED && marks[j].task == mk->task
            && marks[j].requested && marks[j].seq != t->finished_seq)
          {
            window_end = marks[j].seq;
            break;
          }
      ended_in_window = t->finished_seq && t->finished_seq <= window_end;
      if (ended_in_window && t->outcome != LS_TRACE_RESULT)
        continue;
      if (ended_in_window)
        flagged = t->finished_seq;
      else
        {
          for (guint32 s = mk->seq + 1; s <= window_end && s <= f->n_events; s++)
            {
              const LsTraceEvent *ev = &f->events[s - 1];
              if (ev->kind == LS_EVENT_STEP_END && ev->reason == LS_REASON_AWAITING
                  && ev->task == t->id)
                {
                  awaited = s;
                  break;
                }
            }
          flagged = awaited;
        }
      if (flagged)
        {
          char *name = who (f, mk->task);
          double at = mk->seq ? time_of (f, mk->seq) : 0.0;
          char *msg = ended_in_window
                        ? g_strdup_printf (_("%s caught the cancellation delivered at t=%g and "
                                             "returned a result"), name, at)
                        : g_strdup_printf (_("%s caught the cancellation delivered at t=%g and "
                                             "went on awaiting"), name, at);
          add (f, LS_TRACE_FINDING_SWALLOWED_CANCEL, mk->task, flagged,
               f->events[flagged - 1].line, 0, msg);
          g_free (name);
        }
    }
}

static int
cmp_finding (gconstpointer a, gconstpointer b)
{
  const LsTraceFinding *x = a, *y = b;
  if (x->seq != y->seq)
    return x->seq < y->seq ? -1 : 1;
  return x->kind < y->kind ? -1 : x->kind > y->kind;
}

GArray *
ls_trace_findings_compute (const LsTraceModel *model)
{
  Finder f = { 0 };

  g_return_val_if_fail (model != NULL, NULL);
  f.model = model;
  f.tasks = ls_trace_model_get_tasks (model, &f.n_tasks);
  f.events = ls_trace_model_get_events (model, &f.n_events);
  f.out = g_array_new (FALSE, FALSE, sizeof (LsTraceFinding));
  g_array_set_clear_func (f.out, finding_clear);

  find_blocking (&f);
  find_warnings (&f);
  find_pending (&f);
  find_long_steps (&f);
  find_swallowed (&f);
  g_array_sort (f.out, cmp_finding);
  return f.out;
}
