/* ls-executor.c - ThreadPoolExecutor and loop.run_in_executor on the
 * virtual clock (concurrent/futures/thread.py, concurrent/futures/_base.py,
 * futures.wrap_future/_chain_future, base_events.run_in_executor and
 * shutdown_default_executor).
 *
 * A job is a coroutine standing for the function a worker thread calls:
 * each float it yields is a time.sleep() inside the thread, its return
 * value or exception is the function's outcome.  Worker threads progress in
 * virtual time beside the loop; the loop reaches them through the
 * LsExecutorHooks of ls-sched-private.h (one registry per loop holds every
 * executor made on it).
 *
 * CPython leaves the interleaving of threads to the OS scheduler and the
 * GIL.  Loopscope fixes it with these rules:
 *
 *  1. Worker threads run only while the loop thread does not hold the GIL:
 *     while it waits in select() (virtual_select in ls-loop.c) or sleeps in
 *     time.sleep() (ls_loop_block).  A job submitted during a task step
 *     therefore starts at the loop's next select, at the same virtual time.
 *  2. Every worker has at most one pending event: its thread's start, its
 *     wakeup from queue.get(), or the end of a time.sleep() in a job.  When
 *     several events fall at the same virtual time, the worker of the
 *     executor created first goes first, then the lower worker index.  An
 *     event runs the thread until it blocks again (the job's next sleep, or
 *     an empty queue).
 *  3. A worker that finishes a job takes the next queued job immediately,
 *     at the same virtual time and in the same event, before any other
 *     worker runs (the `while True: work_queue.get_nowait()` of _worker).
 *  4. Threads are created lazily, as _adjust_thread_count does: a submit
 *     that finds the idle semaphore at zero starts one new thread while
 *     there are fewer than max_workers; a worker releases the semaphore
 *     each time it finds the queue empty.  A put wakes the idle thread with
 *     the lowest index.
 *  5. A job's outcome reaches the loop as in CPython: the worker sets the
 *     concurrent future, whose done callback (_chain_future's
 *     _call_set_state) posts _set_state with call_soon_threadsafe; the
 *     asyncio future is finished when the loop runs that handle, in the
 *     iteration after the select that saw the post.
 *  6. A post during select() wakes the loop at that virtual time (the
 *     self-pipe); worker events due at a timer's deadline run before the
 *     timer's callback is queued, so their posts come first.
 *  7. Thread names are CPython's: "asyncio_<i>" for the default executor,
 *     "ThreadPoolExecutor-<n>_<i>" otherwise, with <n> counted per loop (it
 *     is per process in CPython) so that every run names them alike.
 *  8. Worker segments count as steps for the max_steps limit, separately
 *     from task steps; a limit stops the loop as a task-step limit does.
 *
 * While a job runs, the loop has no current task and get_running_loop()
 * is NULL (as in a thread), and loop->current_worker names the thread so
 * that ls_loop_print attributes the output to it.
 */
#include "ls-executor-private.h"
#include "ls-sched-private.h"

#include <math.h>

/* ThreadPoolExecutor's default: min(32, os.cpu_count() + 4), cpu_count 2. */
#define DEFAULT_MAX_WORKERS 6

typedef struct _LsExecutor LsExecutor;
typedef struct _Registry Registry;

/* ---- concurrent.futures.Future ----------------------------------------- */

/* Futures print with made-up addresses, so that a repr is the same on
 * every run: 0x7f1000000000 plus 0x100 times the future's id. */
#define FAKE_ADDRESS(id) (G_GUINT64_CONSTANT (0x7f1000000000) + 0x100 * (guint64) (id))

static void
conc_finalize (LsObject *self)
{
  LsConcFuture *c = (LsConcFuture *) self;
  ls_value_unref (c->result);
  ls_value_unref (c->exception);
  if (c->callbacks)
    {
      for (guint i = 0; i < c->callbacks->len; i++)
        ls_value_unref (g_array_index (c->callbacks, LsCallback, i).target);
      g_array_free (c->callbacks, TRUE);
    }
  if (c->waiters)
    g_ptr_array_free (c->waiters, TRUE);
  ls_loop_unref (c->loop);
}

/* Future.__repr__ */
char *
ls_conc_future_repr (LsConcFuture *c)
{
  static const char *const names[] = {
    "pending", "running", "cancelled", "cancelled", "finished",
  };
  guint64 at = FAKE_ADDRESS (c->id);

  if (c->state == LS_CONC_FINISHED && !ls_is_none (c->exception))
    return g_strdup_printf ("<Future at 0x%" G_GINT64_MODIFIER "x state=finished raised %s>", at,
                            ls_value_class (c->exception) == &ls_exception_class
                            ? ls_exc_type (c->exception)->name : ls_value_class (c->exception)->name);
  if (c->state == LS_CONC_FINISHED)
    return g_strdup_printf ("<Future at 0x%" G_GINT64_MODIFIER "x state=finished returned %s>", at,
                            ls_value_class (c->result)->name);
  return g_strdup_printf ("<Future at 0x%" G_GINT64_MODIFIER "x state=%s>", at, names[c->state]);
}

static char *
conc_repr (LsObject *self)
{
  return ls_conc_future_repr ((LsConcFuture *) self);
}

const LsClass ls_conc_future_class = {
  .name = "Future",
  .finalize = conc_finalize,
  .repr = conc_repr,
  .size = sizeof (LsConcFuture),
  .ops = &_ls_conc_future_ops,
};

static LsConcFuture *
conc_new (LsLoop *loop, guint64 id)
{
  LsConcFuture *c = ls_object_alloc (&ls_conc_future_class, sizeof (LsConcFuture));
  c->state = LS_CONC_PENDING;
  c->result = ls_none ();
  c->exception = ls_none ();
  c->loop = ls_loop_ref (loop);
  c->id = id;
  return c;
}

/* Calls one done callback with the future, then drops it; one that
 * raises is logged ("exception calling callback for <Future ...>"). */
static void
conc_call_callback (LsConcFuture *c, LsCallback *cb)
{
  LsValue self = ls_object (c), r;

  if (ls_callback_call (cb, &self, 1, &r))
    ls_value_unref (r);
  else
    {
      char *repr = ls_conc_future_repr (c);
      char *msg = g_strdup_printf ("exception calling callback for %s", repr);
      if (!c->loop->closed)
        _ls_loop_report_exception (c->loop, msg, r);
      ls_value_unref (r);
      g_free (msg);
      g_free (repr);
    }
  ls_value_unref (cb->target);
}

/* Future._invoke_callbacks, in the thread that completed the future.  A
 * callback that raises is logged ("exception calling callback for …") and
 * the others still run.  Each runs once: the list is emptied first. */
static void
conc_invoke_callbacks (LsConcFuture *c)
{
  GArray *cbs = c->callbacks;

  if (!cbs)
    return;
  c->callbacks = NULL;
  ls_object_ref (c);
  for (guint i = 0; i < cbs->len; i++)
    conc_call_callback (c, &g_array_index (cbs, LsCallback, i));
  g_array_free (cbs, TRUE);
  ls_object_unref (c);
}

/* Drops the callbacks never called (a job that will never run): they
 * may hold the future itself through an asyncio future. */
static void
conc_drop_callbacks (LsConcFuture *c)
{
  GArray *cbs = c->callbacks;

  c->callbacks = NULL;
  if (!cbs)
    return;
  for (guint i = 0; i < cbs->len; i++)
    ls_value_unref (g_array_index (cbs, LsCallback, i).target);
  g_array_free (cbs, TRUE);
}

void
ls_conc_future_add_done_callback (LsConcFuture *c, LsCallback cb)
{
  if (!ls_conc_future_done (c))
    {
      if (!c->callbacks)
        c->callbacks = g_array_new (FALSE, FALSE, sizeof (LsCallback));
      g_array_append_val (c->callbacks, cb);
      return;
    }
  conc_call_callback (c, &cb);
}

/* ---- waiters ------------------------------------------------------------ */

LsConcWaiter *
ls_conc_waiter_new (LsConcWaitKind kind, guint pending_calls)
{
  LsConcWaiter *w = g_new0 (LsConcWaiter, 1);
  w->kind = kind;
  w->pending_calls = pending_calls;
  w->finished = g_ptr_array_new_with_free_func (ls_object_unref);
  return w;
}

void
ls_conc_waiter_free (LsConcWaiter *w)
{
  if (!w)
    return;
  g_ptr_array_free (w->finished, TRUE);
  g_free (w);
}

void
ls_conc_waiter_install (LsConcWaiter *w, LsConcFuture *c)
{
  if (!c->waiters)
    c->waiters = g_ptr_array_new ();
  g_ptr_array_add (c->waiters, w);
}

void
ls_conc_waiter_remove (LsConcWaiter *w, LsConcFuture *c)
{
  if (c->waiters)
    g_ptr_array_remove (c->waiters, w);
}

/* _Waiter.add_result / add_exception / add_cancelled and the subclasses'
 * overrides: the future joins `finished` and the event may be set. */
static void
waiter_add (LsConcWaiter *w, LsConcFuture *c, gboolean is_exception)
{
  g_ptr_array_add (w->finished, ls_object_ref (c));
  switch (w->kind)
    {
    case LS_CONC_WAIT_AS_COMPLETED:
    case LS_CONC_WAIT_FIRST_COMPLETED:
      w->event = TRUE;
      break;
    case LS_CONC_WAIT_FIRST_EXCEPTION:
      if (is_exception)
        {
          w->event = TRUE;
          break;
        }
      /* fall through */
    case LS_CONC_WAIT_ALL_COMPLETED:
      /* _decrement_pending_calls */
      if (w->pending_calls > 0)
        w->pending_calls--;
      if (w->pending_calls == 0)
        w->event = TRUE;
      break;
    }
}

static void
conc_notify_waiters (LsConcFuture *c, gboolean is_exception)
{
  if (!c->waiters)
    return;
  for (guint i = 0; i < c->waiters->len; i++)
    waiter_add (g_ptr_array_index (c->waiters, i), c, is_exception);
}

/* ---- the chain to an asyncio future (futures._chain_future) ------------------ */

/* _chain_future.<locals>._set_state(future, other), on the loop:
 * _copy_future_state(other, future) */
static gboolean
set_state_cb (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  LsFuture *dest = ls_future_from (args[0]);
  LsConcFuture *source = (LsConcFuture *) ls_value_as_object (args[1]);

  *result = ls_none ();
  if (ls_future_cancelled (dest))
    return TRUE;
  /* CPython asserts that dest is not done; set_result reports it here. */
  if (source->state == LS_CONC_CANCELLED || source->state == LS_CONC_CANCELLED_AND_NOTIFIED)
    {
      ls_future_cancel (dest, ls_none ());
      return TRUE;
    }
  if (!ls_is_none (source->exception))
    return ls_future_set_exception (dest, ls_value_ref (source->exception), result);
  return ls_future_set_result (dest, ls_value_ref (source->result), result);
}

static const LsMethod set_state_method = { "_chain_future.<locals>._set_state", set_state_cb };

/* _chain_future.<locals>._call_set_state(source), a done callback of the
 * concurrent future bound to the asyncio one: called on the thread that
 * completed the concurrent future, it posts _set_state to the loop. */
static gboolean
call_set_state_cb (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  LsFuture *dest = ls_future_from (self);
  LsValue a[2];

  *result = ls_none ();
  if (dest->loop->closed)
    return TRUE;
  a[0] = ls_value_ref (self);
  a[1] = ls_value_ref (args[0]);
  ls_object_unref (ls_loop_call_soon_threadsafe (dest->loop,
                                                 ls_callback_method (&set_state_method, ls_none ()),
                                                 2, a));
  return TRUE;
}

static const LsMethod call_set_state_method = {
  "_chain_future.<locals>._call_set_state", call_set_state_cb
};

/* Future.set_result / set_exception, then _invoke_callbacks. */
static void
conc_set_result (LsConcFuture *c, LsValue result)
{
  ls_value_set (&c->result, result);
  c->state = LS_CONC_FINISHED;
  conc_notify_waiters (c, FALSE);
  conc_invoke_callbacks (c);
}

static void
conc_set_exception (LsConcFuture *c, LsValue exc)
{
  ls_value_set (&c->exception, exc);
  c->state = LS_CONC_FINISHED;
  conc_notify_waiters (c, TRUE);
  conc_invoke_callbacks (c);
}

/* concurrent.futures.Future.cancel */
gboolean
ls_conc_future_cancel (LsConcFuture *c)
{
  if (c->state == LS_CONC_RUNNING || c->state == LS_CONC_FINISHED)
    return FALSE;
  if (c->state == LS_CONC_CANCELLED || c->state == LS_CONC_CANCELLED_AND_NOTIFIED)
    return TRUE;
  c->state = LS_CONC_CANCELLED;
  conc_invoke_callbacks (c);
  return TRUE;
}

/* concurrent.futures.Future.set_running_or_notify_cancel */
static gboolean
conc_set_running_or_notify_cancel (LsConcFuture *c)
{
  if (c->state == LS_CONC_CANCELLED)
    {
      c->state = LS_CONC_CANCELLED_AND_NOTIFIED;
      conc_notify_waiters (c, FALSE);
      return FALSE;
    }
  c->state = LS_CONC_RUNNING;
  return TRUE;
}

/* _chain_future.<locals>._call_check_cancel(destination): a done callback
 * of the asyncio future, bound to the concurrent one (source_loop is None,
 * so source.cancel() is called directly). */
static gboolean
call_check_cancel_cb (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  if (ls_future_cancelled (ls_future_from (args[0])))
    ls_conc_future_cancel ((LsConcFuture *) ls_value_as_object (self));
  *result = ls_none ();
  return TRUE;
}

static const LsMethod call_check_cancel_method = {
  "_chain_future.<locals>._call_check_cancel", call_check_cancel_cb
};

/* futures.wrap_future(source, loop=loop): loop.create_future() and
 * _chain_future(source, new_future). */
LsValue
ls_conc_future_wrap (LsConcFuture *c, LsLoop *loop)
{
  LsValue dest = ls_future_new_labeled (loop, "run_in_executor");

  ls_future_add_done_callback (ls_future_from (dest),
                               ls_callback_method (&call_check_cancel_method,
                                                   ls_value_ref (ls_object (c))));
  ls_conc_future_add_done_callback (c, ls_callback_method (&call_set_state_method,
                                                           ls_value_ref (dest)));
  return dest;
}

/* ---- work items, workers, executors ------------------------------------- */

/* _WorkItem: the concurrent future and the job. */
typedef struct {
  LsConcFuture *future;    /* owned */
  LsValue job;             /* owned */
  guint64 dest_id;         /* the asyncio future's id (or the concurrent one's), for events */
  guint64 submitter;       /* the task that submitted it, or 0 */
} WorkItem;

static void
work_item_free (WorkItem *item)
{
  /* A job that never ran (the loop closed) never calls its callbacks,
   * which may hold an asyncio future that holds this one. */
  if (!ls_conc_future_done (item->future))
    conc_drop_callbacks (item->future);
  ls_object_unref (item->future);
  ls_value_unref (item->job);
  g_free (item);
}

typedef enum {
  WORKER_STARTING,   /* thread started; at `when` it calls get_nowait() */
  WORKER_WOKEN,      /* a put woke it in queue.get(); runs at `when` */
  WORKER_SLEEPING,   /* in a job, in time.sleep() until `when` */
  WORKER_IDLE,       /* blocked in queue.get() */
  WORKER_EXITED,
} WorkerState;

typedef struct {
  LsExecutor *executor;    /* borrowed: the executor owns its workers */
  guint index;             /* position in the executor's threads */
  guint64 id;              /* the thread's id in events */
  char *name;              /* Thread.name */
  WorkerState state;
  double when;             /* the pending event's time */
  WorkItem *item;          /* the job running, or NULL */
  LsValue throw_in;        /* an error for the job's next resume, or None */
} Worker;

struct _LsExecutor {
  LsObject base;
  LsLoop *loop;            /* strong reference */
  Registry *reg;           /* NULL once the loop has closed */
  guint max_workers;
  char *prefix;            /* _thread_name_prefix */
  GQueue queue;            /* _work_queue: WorkItem *, FIFO */
  GPtrArray *threads;      /* Worker *, owned, by index */
  guint idle_semaphore;    /* _idle_semaphore's value */
  gboolean shutdown;       /* _shutdown */
  LsValue shutdown_waiter; /* shutdown_default_executor's future, or None */
};

/* Every executor of one loop; its hooks are what loop->executor points at. */
struct _Registry {
  LsExecutorHooks hooks;   /* first: loop->executor points here */
  LsLoop *loop;            /* borrowed: the loop owns the registry */
  GPtrArray *executors;    /* LsExecutor *, strong, creation order */
  guint counter;           /* ThreadPoolExecutor._counter */
  guint64 worker_steps;    /* job segments run, for max_steps */
  gboolean shutdown_called;   /* loop._executor_shutdown_called */
  gboolean advancing;      /* inside advance: workers do not nest */
};

static void
worker_free (gpointer p)
{
  Worker *w = p;
  if (w->item)
    work_item_free (w->item);
  ls_value_unref (w->throw_in);
  g_free (w->name);
  g_free (w);
}

/* Drops the queue and the workers' jobs (never resumed again): the
 * executor's threads vanish with the loop, as daemon threads do at exit. */
static void
executor_detach (LsExecutor *ex)
{
  WorkItem *item;

  while ((item = g_queue_pop_head (&ex->queue)))
    work_item_free (item);
  for (guint i = 0; i < ex->threads->len; i++)
    {
      Worker *w = g_ptr_array_index (ex->threads, i);
      if (w->item)
        {
          work_item_free (w->item);
          w->item = NULL;
        }
      ls_value_set (&w->throw_in, ls_none ());
      w->state = WORKER_EXITED;
    }
  ls_value_set (&ex->shutdown_waiter, ls_none ());
  ex->shutdown = TRUE;
  ex->reg = NULL;
}

static void
executor_finalize (LsObject *self)
{
  LsExecutor *ex = (LsExecutor *) self;

  executor_detach (ex);
  g_ptr_array_free (ex->threads, TRUE);
  g_free (ex->prefix);
  ls_loop_unref (ex->loop);
}

static char *
executor_repr (LsObject *self)
{
  return g_strdup_printf ("<concurrent.futures.thread.ThreadPoolExecutor object at %p>",
                          (void *) self);
}

const LsClass ls_executor_class = {
  .name = "ThreadPoolExecutor",
  .finalize = executor_finalize,
  .repr = executor_repr,
  .size = sizeof (LsExecutor),
};

/* ---- running workers --------------------------------------------------- */

/* A limit stops the loop the way ls-loop.c's limits do. */
static void
hit_step_limit (LsLoop *loop)
{
  if (!loop->limit_hit)
    {
      loop->limit_hit = TRUE;
      ls_value_set (&loop->stop_error,
                    ls_exc_newf (&ls_exc_RuntimeError,
                                 "limit reached: %" G_GUINT64_FORMAT " worker thread steps",
                                 loop->max_steps));
    }
  loop->stopping = TRUE;
}

static gboolean
worker_has_event (Worker *w)
{
  return w->state == WORKER_STARTING || w->state == WORKER_WOKEN
    || w->state == WORKER_SLEEPING;
}

static void
emit_worker (LsLoop *loop, Worker *w, LsEventKind kind, LsReason reason, const char *exc)
{
  LsEvent ev = {
    .kind = kind, .task = w->id, .future = w->item->dest_id,
    .other = w->item->submitter, .reason = reason, .value = w->index,
    .detail = w->name, .extra = exc,
  };
  _ls_loop_emit_event (loop, &ev);
}

/* shutdown(wait=True) has returned on _do_shutdown's helper thread:
 * call_soon_threadsafe(future.set_result, None). */
static gboolean
waiter_set_result_cb (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_none ();
  return ls_future_set_result (ls_future_from (self), ls_none (), result);
}

static const LsMethod waiter_set_result_method = { "Future.set_result", waiter_set_result_cb };

static void
executor_check_joined (LsExecutor *ex)
{
  LsValue waiter;

  if (!ls_is_object (ex->shutdown_waiter))
    return;
  for (guint i = 0; i < ex->threads->len; i++)
    if (((Worker *) g_ptr_array_index (ex->threads, i))->state != WORKER_EXITED)
      return;
  waiter = ls_value_steal (&ex->shutdown_waiter);
  if (!ex->loop->closed)
    ls_object_unref (ls_loop_call_soon_threadsafe (ex->loop,
                                                   ls_callback_method (&waiter_set_result_method,
                                                                       waiter),
                                                   0, NULL));
  else
    ls_value_unref (waiter);
}

/* time.sleep(secs)'s argument checks; FALSE and the error to throw in. */
static gboolean
sleep_seconds (LsValue v, double *secs, LsValue *error)
{
  if (ls_value_kind (v) == LS_KIND_FLOAT)
    *secs = ls_value_as_float (v);
  else if (ls_value_kind (v) == LS_KIND_INT)
    *secs = (double) ls_value_as_int (v);
  else if (ls_value_kind (v) == LS_KIND_BOOL)
    *secs = ls_value_as_bool (v);
  else
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                            ls_value_class (v)->name);
      return FALSE;
    }
  if (isnan (*secs))
    {
      *error = ls_exc_newf (&ls_exc_ValueError, "Invalid value NaN (not a number)");
      return FALSE;
    }
  if (*secs < 0)
    {
      *error = ls_exc_newf (&ls_exc_ValueError, "sleep length must be non-negative");
      return FALSE;
    }
  if (isinf (*secs))
    {
      LsValue type = ls_exc_type_new ("OverflowError", &ls_exc_ArithmeticError);
      *error = ls_exc_newf ((const LsExcType *) ls_value_as_object (type),
                            "timestamp out of range for platform time_t");
      ls_value_unref (type);
      return FALSE;
    }
  return TRUE;
}

/* The end of _WorkItem.run: the job returned (TRUE) or raised. */
static void
worker_finish_job (LsLoop *loop, Worker *w, gboolean ok, LsValue outcome)
{
  WorkItem *item = w->item;
  const LsExcType *t = ok ? NULL : ls_exc_type (outcome);

  if (_ls_loop_observed (loop))
    emit_worker (loop, w, LS_EVENT_WORKER_FINISHED, ok ? LS_REASON_RESULT : LS_REASON_EXCEPTION,
                 t ? t->name : NULL);
  w->item = NULL;
  if (ok)
    conc_set_result (item->future, outcome);
  else
    conc_set_exception (item->future, outcome);
  work_item_free (item);
}

/* Resumes w's job once; TRUE when the job ended, FALSE when it sleeps. */
static gboolean
worker_resume_job (Registry *reg, Worker *w)
{
  LsLoop *loop = reg->loop;
  LsValue throw_in = ls_value_steal (&w->throw_in), out, error;
  LsCoroStatus status;
  double secs;

  reg->worker_steps++;
  status = ls_coro_resume (w->item->job, ls_none (), throw_in, &out);
  ls_value_unref (throw_in);
  if (status == LS_CORO_YIELD)
    {
      w->state = WORKER_SLEEPING;
      if (sleep_seconds (out, &secs, &error))
        w->when = loop->now + secs;
      else
        {
          /* time.sleep raised: the job gets the error at once. */
          w->when = loop->now;
          w->throw_in = error;
        }
      ls_value_unref (out);
      return FALSE;
    }
  worker_finish_job (loop, w, status == LS_CORO_RETURN, out);
  return TRUE;
}

/* One event of worker w: its thread runs until it blocks again. */
static void
worker_run_event (Registry *reg, Worker *w)
{
  LsExecutor *ex = w->executor;
  LsLoop *loop = reg->loop;
  LsTask *saved_task = loop->current_task;
  guint64 saved_worker = loop->current_worker;
  LsLoop *saved_running = ls_loop_get_running ();
  gboolean in_get = (w->state == WORKER_WOKEN);

  /* The thread has no current task and no running loop. */
  loop->current_task = NULL;
  loop->current_worker = w->id;
  _ls_loop_set_running (NULL);

  if (w->state == WORKER_SLEEPING && !worker_resume_job (reg, w))
    goto out;

  /* _worker: while True: work_item = work_queue.get_nowait() ... */
  for (;;)
    {
      WorkItem *item = g_queue_pop_head (&ex->queue);

      if (!item)
        {
          if (ex->shutdown)
            {
              /* The None sentinel: the executor was shut down. */
              w->state = WORKER_EXITED;
              executor_check_joined (ex);
              break;
            }
          /* get_nowait() failed: executor._idle_semaphore.release(), then
           * block in get().  A thread woken in get() that lost the item to
           * another is still in get() and releases nothing. */
          if (!in_get)
            ex->idle_semaphore++;
          w->state = WORKER_IDLE;
          break;
        }
      in_get = FALSE;
      /* _WorkItem.run */
      if (!conc_set_running_or_notify_cancel (item->future))
        {
          work_item_free (item);
          continue;
        }
      w->item = item;
      if (_ls_loop_observed (loop))
        emit_worker (loop, w, LS_EVENT_WORKER_STARTED, LS_REASON_NONE, NULL);
      if (!ls_is_coroutine (item->job))
        {
          LsValue err = ls_exc_newf (&ls_exc_TypeError, "'%s' object is not callable",
                                     ls_value_class (item->job)->name);
          worker_finish_job (loop, w, FALSE, err);
          continue;
        }
      if (!worker_resume_job (reg, w))
        break;
    }

out:
  _ls_loop_set_running (saved_running);
  loop->current_worker = saved_worker;
  loop->current_task = saved_task;
}

/* ---- the loop's hooks --------------------------------------------------- */

/* The worker with the earliest event: time, then executor, then index. */
static Worker *
registry_next_worker (Registry *reg)
{
  Worker *best = NULL;

  for (guint e = 0; e < reg->executors->len; e++)
    {
      LsExecutor *ex = g_ptr_array_index (reg->executors, e);
      for (guint i = 0; i < ex->threads->len; i++)
        {
          Worker *w = g_ptr_array_index (ex->threads, i);
          if (worker_has_event (w) && (!best || w->when < best->when))
            best = w;
        }
    }
  return best;
}

static double
registry_next_event (gpointer data)
{
  Worker *w = registry_next_worker (data);
  return w ? w->when : INFINITY;
}

static gboolean
registry_busy (gpointer data)
{
  return registry_next_worker (data) != NULL;
}

static void
registry_advance (gpointer data, double until)
{
  Registry *reg = data;
  LsLoop *loop = reg->loop;

  if (reg->advancing)
    return;
  reg->advancing = TRUE;
  for (;;)
    {
      Worker *w = registry_next_worker (reg);
      if (!w || w->when > until)
        break;
      if (loop->max_steps && reg->worker_steps >= loop->max_steps)
        {
          hit_step_limit (loop);
          break;
        }
      if (loop->now < w->when)
        loop->now = w->when;
      worker_run_event (reg, w);
    }
  reg->advancing = FALSE;
}

/* The calling thread waits: see ls-executor-private.h.  Workers run one
 * event at a time, so that the waiter wakes right after the event that
 * satisfied it, before other events of the same instant, as rule 1 has
 * the loop's thread run before the workers once it holds the GIL again. */
LsBlockOutcome
ls_executor_block_until (LsLoop *loop, gboolean (*done) (gpointer data), gpointer data,
                         double deadline, guint64 task, int line)
{
  Registry *reg = (Registry *) loop->executor;

  for (;;)
    {
      Worker *w;

      if (done (data))
        return LS_BLOCK_DONE;
      w = reg && !reg->advancing ? registry_next_worker (reg) : NULL;
      if (!w || w->when > deadline)
        {
          if (isinf (deadline))
            return LS_BLOCK_NEVER;
          if (deadline > loop->now)
            {
              _ls_loop_emit (loop, LS_EVENT_LOOP_BLOCKED, task, 0, 0, LS_REASON_NONE,
                             deadline - loop->now, line, NULL);
              loop->now = deadline;
            }
          return LS_BLOCK_TIMEOUT;
        }
      if (loop->max_steps && reg->worker_steps >= loop->max_steps)
        return LS_BLOCK_LIMIT_STEPS;
      if (loop->max_time > 0 && w->when > loop->max_time)
        return LS_BLOCK_LIMIT_TIME;
      if (w->when > loop->now)
        {
          _ls_loop_emit (loop, LS_EVENT_LOOP_BLOCKED, task, 0, 0, LS_REASON_NONE,
                         w->when - loop->now, line, NULL);
          loop->now = w->when;
        }
      reg->advancing = TRUE;
      worker_run_event (reg, w);
      reg->advancing = FALSE;
    }
}

gboolean
ls_executor_in_worker (LsLoop *loop)
{
  return loop->current_worker != 0;
}

void
ls_executor_run_until (LsLoop *loop, double until)
{
  if (loop->executor)
    loop->executor->advance (loop->executor->data, until);
  if (until > loop->now)
    loop->now = until;
}

static void
registry_close (gpointer data)
{
  Registry *reg = data;

  for (guint e = 0; e < reg->executors->len; e++)
    executor_detach (g_ptr_array_index (reg->executors, e));
  g_ptr_array_free (reg->executors, TRUE);
  reg->loop->executor = NULL;
  g_free (reg);
}

static Registry *
registry_get (LsLoop *loop)
{
  Registry *reg;

  if (loop->executor)
    return (Registry *) loop->executor;
  reg = g_new0 (Registry, 1);
  reg->hooks.next_event = registry_next_event;
  reg->hooks.advance = registry_advance;
  reg->hooks.busy = registry_busy;
  reg->hooks.close = registry_close;
  reg->hooks.data = reg;
  reg->loop = loop;
  reg->executors = g_ptr_array_new_with_free_func (ls_object_unref);
  loop->executor = &reg->hooks;
  return reg;
}

/* ---- ThreadPoolExecutor --------------------------------------------------- */

static LsExecutor *
executor_new (LsLoop *loop, guint max_workers, const char *prefix)
{
  LsExecutor *ex = ls_object_alloc (&ls_executor_class, sizeof (LsExecutor));

  ex->loop = ls_loop_ref (loop);
  ex->max_workers = max_workers ? max_workers : DEFAULT_MAX_WORKERS;
  g_queue_init (&ex->queue);
  ex->threads = g_ptr_array_new_with_free_func (worker_free);
  ex->shutdown_waiter = ls_none ();
  if (loop->closed)
    {
      /* Nothing will ever run on a closed loop: the executor is born shut
       * down, and submit() says so. */
      ex->prefix = g_strdup (prefix ? prefix : "ThreadPoolExecutor");
      ex->shutdown = TRUE;
      return ex;
    }
  ex->reg = registry_get (loop);
  ex->prefix = prefix ? g_strdup (prefix)
    : g_strdup_printf ("ThreadPoolExecutor-%u", ex->reg->counter++);
  g_ptr_array_add (ex->reg->executors, ls_object_ref (ex));
  return ex;
}

/* ThreadPoolExecutor(max_workers) */
LsValue
ls_executor_new (LsLoop *loop, guint max_workers)
{
  g_return_val_if_fail (loop != NULL, ls_none ());
  return ls_object (executor_new (loop, max_workers, NULL));
}

/* ThreadPoolExecutor._adjust_thread_count */
static void
executor_adjust_thread_count (LsExecutor *ex)
{
  Worker *w;

  /* if idle threads are available, don't spin new threads */
  if (ex->idle_semaphore > 0)
    {
      ex->idle_semaphore--;
      return;
    }
  if (ex->threads->len >= ex->max_workers)
    return;
  w = g_new0 (Worker, 1);
  w->executor = ex;
  w->index = ex->threads->len;
  w->id = _ls_loop_next_id (ex->loop);
  w->name = g_strdup_printf ("%s_%u", ex->prefix, w->index);
  w->state = WORKER_STARTING;
  w->when = ex->loop->now;
  w->throw_in = ls_none ();
  g_ptr_array_add (ex->threads, w);
}

/* SimpleQueue.put: a thread blocked in get() (the lowest) wakes up. */
static void
executor_put (LsExecutor *ex, WorkItem *item)
{
  g_queue_push_tail (&ex->queue, item);
  for (guint i = 0; i < ex->threads->len; i++)
    {
      Worker *w = g_ptr_array_index (ex->threads, i);
      if (w->state == WORKER_IDLE)
        {
          w->state = WORKER_WOKEN;
          w->when = ex->loop->now;
          break;
        }
    }
}

static LsValue
failed_future (LsLoop *loop, LsValue exc)
{
  LsValue fut = ls_future_new_labeled (loop, "run_in_executor"), err;
  if (!ls_future_set_exception (ls_future_from (fut), exc, &err))
    ls_value_unref (err);
  return fut;
}

/* ThreadPoolExecutor.submit: the work item queued, a thread started if
 * needed; the concurrent future (new reference).  Takes job. */
static LsConcFuture *
executor_submit (LsExecutor *ex, LsValue job, guint64 id)
{
  LsConcFuture *c = conc_new (ex->loop, id);
  WorkItem *item = g_new0 (WorkItem, 1);

  item->future = ls_object_ref (c);
  item->job = job;
  item->dest_id = id;
  item->submitter = _ls_loop_current_task_id (ex->loop);
  executor_put (ex, item);
  executor_adjust_thread_count (ex);
  return c;
}

/* ThreadPoolExecutor.submit(job), then wrap_future() on the executor's
 * loop, whose _chain_future links the two futures.  Takes job. */
static LsValue
executor_submit_wrapped (LsExecutor *ex, LsValue job)
{
  LsConcFuture *c;
  WorkItem *item;
  LsValue dest;

  if (ex->shutdown)
    {
      ls_value_unref (job);
      return failed_future (ex->loop, ls_exc_newf (&ls_exc_RuntimeError,
                                                   "cannot schedule new futures after shutdown"));
    }
  c = executor_submit (ex, job, 0);
  item = g_queue_peek_tail (&ex->queue);   /* no worker ran since the put */
  dest = ls_conc_future_wrap (c, ex->loop);
  /* The events name the asyncio future, which the trace knows. */
  item->dest_id = ls_future_from (dest)->id;
  ls_object_unref (c);
  return dest;
}

static LsExecutor *
executor_from (LsValue v)
{
  return ls_value_is (v, &ls_executor_class) ? (LsExecutor *) ls_value_as_object (v) : NULL;
}

LsValue
ls_executor_submit (LsValue executor, LsValue job)
{
  LsExecutor *ex = executor_from (executor);

  if (!ex)
    {
      LsLoop *loop = ls_loop_get_running ();
      LsValue exc = ls_exc_newf (&ls_exc_TypeError, "executor must be ThreadPoolExecutor instance");
      return loop ? failed_future (loop, exc) : exc;
    }
  return executor_submit_wrapped (ex, ls_value_ref (job));
}

gboolean
ls_executor_submit_concurrent (LsValue executor, LsValue job, LsValue *out)
{
  LsExecutor *ex = executor_from (executor);

  g_return_val_if_fail (ex != NULL, FALSE);
  if (ex->shutdown)
    {
      ls_value_unref (job);
      *out = ls_exc_newf (&ls_exc_RuntimeError, "cannot schedule new futures after shutdown");
      return FALSE;
    }
  *out = ls_object (executor_submit (ex, job, _ls_loop_next_id (ex->loop)));
  return TRUE;
}

/* ThreadPoolExecutor.shutdown(wait=False): _shutdown, and the None put
 * that wakes every thread blocked in get(), one after the other. */
static void
executor_shutdown_nowait (LsExecutor *ex)
{
  ex->shutdown = TRUE;
  for (guint i = 0; i < ex->threads->len; i++)
    {
      Worker *w = g_ptr_array_index (ex->threads, i);
      if (w->state == WORKER_IDLE)
        {
          w->state = WORKER_WOKEN;
          w->when = ex->loop->now;
        }
    }
}

static gboolean
executor_alive (LsExecutor *ex)
{
  for (guint i = 0; i < ex->threads->len; i++)
    if (((Worker *) g_ptr_array_index (ex->threads, i))->state != WORKER_EXITED)
      return TRUE;
  return FALSE;
}

/* ThreadPoolExecutor.shutdown(wait) */
void
ls_executor_shutdown (LsValue executor, gboolean wait)
{
  LsExecutor *ex = executor_from (executor);
  LsLoop *loop;
  Registry *reg;

  if (!ex || !ex->reg)
    return;
  loop = ex->loop;
  reg = ex->reg;
  executor_shutdown_nowait (ex);
  /* A job cannot join its own pool's threads (nor block the loop). */
  if (!wait || reg->advancing || !executor_alive (ex))
    return;

  /* for t in self._threads: t.join(): the calling thread (the loop's,
   * when called from a task) is blocked while the workers finish. */
  _ls_loop_emit (loop, LS_EVENT_LOOP_BLOCKED, _ls_loop_current_task_id (loop), 0, 0,
                 LS_REASON_NONE, -1, 0, "ThreadPoolExecutor.shutdown");
  while (ex->reg && executor_alive (ex))
    {
      double next = registry_next_event (reg);
      if (isinf (next))
        break;
      if (loop->max_time > 0 && next > loop->max_time)
        {
          /* The limit check of the next _run_once stops the loop. */
          loop->now = next;
          break;
        }
      registry_advance (reg, next);
      if (loop->limit_hit && loop->stopping)
        break;
    }
}

void
ls_executor_join_all (LsLoop *loop)
{
  Registry *reg = (Registry *) loop->executor;

  if (!reg)
    return;
  for (guint e = 0; reg->executors && e < reg->executors->len && loop->executor; e++)
    {
      LsExecutor *ex = g_ptr_array_index (reg->executors, e);
      if (ex->reg && executor_alive (ex))
        ls_executor_shutdown (ls_object (ex), TRUE);
    }
}

/* ---- the loop's side ---------------------------------------------------------- */

/* BaseEventLoop.shutdown_default_executor, up to `await future`: the
 * helper thread's _do_shutdown is the executor's shutdown(wait=True); the
 * last worker to exit posts future.set_result(None). */
static LsValue
shutdown_default_executor (LsLoop *loop)
{
  LsExecutor *ex = loop->default_executor;
  Registry *reg = registry_get (loop);
  LsValue future;

  reg->shutdown_called = TRUE;
  future = ls_future_new_labeled (loop, "shutdown_default_executor");
  if (!ex || !ex->reg)
    {
      LsValue err;
      if (!ls_future_set_result (ls_future_from (future), ls_none (), &err))
        ls_value_unref (err);
      return future;
    }
  executor_shutdown_nowait (ex);
  ls_value_set (&ex->shutdown_waiter, ls_value_ref (future));
  executor_check_joined (ex);
  return future;
}

/* BaseEventLoop.run_in_executor(executor, func) */
LsValue
ls_loop_run_in_executor (LsLoop *loop, LsValue executor, LsValue job)
{
  LsExecutor *ex;

  g_return_val_if_fail (loop != NULL, ls_none ());
  if (loop->closed)
    {
      ls_value_unref (job);
      return failed_future (loop, ls_exc_newf (&ls_exc_RuntimeError, "Event loop is closed"));
    }
  if (ls_is_none (executor))
    {
      Registry *reg = registry_get (loop);

      /* _check_default_executor */
      if (reg->shutdown_called)
        {
          ls_value_unref (job);
          return failed_future (loop, ls_exc_newf (&ls_exc_RuntimeError,
                                                   "Executor shutdown has been called"));
        }
      if (!loop->default_executor)
        {
          loop->default_executor = executor_new (loop, 0, "asyncio");
          loop->default_executor_free = ls_object_unref;
          loop->shutdown_default_executor = shutdown_default_executor;
        }
      ex = loop->default_executor;
    }
  else if (!(ex = executor_from (executor)))
    {
      ls_value_unref (job);
      return failed_future (loop, ls_exc_newf (&ls_exc_TypeError,
                                               "executor must be ThreadPoolExecutor instance"));
    }
  return executor_submit_wrapped (ex, job);
}
