/* ls-mod-concurrent.c - the concurrent.futures module a scenario may
 * import: ThreadPoolExecutor, for blocking functions run beside the event
 * loop or beside a plain script (the tutorials' count-down in three worker
 * threads, a blocking download handed to loop.run_in_executor, the
 * `with ThreadPoolExecutor() as ex: ex.map(...)` of a script with no
 * asyncio at all), its futures, wait() and as_completed().
 *
 * The executor itself, its workers and their virtual time are
 * ls-executor.c's; the function a worker runs is a job of the VM
 * (_ls_vm_job_new), whose time.sleep() calls let the other workers and the
 * loop go on.  What this file adds is the Python face:
 * ThreadPoolExecutor(max_workers=None, thread_name_prefix=''),
 * submit(fn, /, *args, **kwargs), map(fn, *iterables, timeout=None,
 * chunksize=1), shutdown(wait=True, *, cancel_futures=False), `with`
 * (whose exit is shutdown(wait=True)); Future's result(timeout),
 * exception(timeout), done(), running(), cancel(), cancelled(),
 * add_done_callback(fn); wait(fs, timeout, return_when) and
 * as_completed(fs, timeout), all as concurrent/futures/_base.py and
 * thread.py have them.
 *
 * Waiting.  A thread that waits for a future (result(), exception(),
 * wait(), as_completed(), map()'s results) blocks in virtual time: the
 * worker threads run, one event after the other, until the wait is over,
 * and the waiting thread's clock is then where the event that ended it
 * happened (ls_executor_block_until).  The waiting thread is the main
 * program when no loop runs, or the loop's thread when a task calls it
 * (blocking the loop, as in CPython).  A worker thread cannot wait for a
 * pending future here (its job is a coroutine of the worker, which can
 * only sleep): that is a RuntimeError.  A wait that nothing can end is a
 * deadlock and stops the run.
 *
 * Where CPython makes a set of the futures (wait(), as_completed()), the
 * futures are taken in the order they were created.
 *
 * ls-executor.c ties an executor to the loop its workers report to, while
 * CPython's executor belongs to no loop: a program may make it before
 * asyncio.run().  So the engine's executor is made on the loop running
 * when the Python one is made (or the one get_event_loop() gives), and
 * made again on the running loop if it is first used on another one.  A
 * plain script's executor lives on that idle loop, whose clock follows the
 * program's (vm->clock) each time the program submits or waits.
 */
#include "ls-vm-private.h"
#include "ls-args.h"
#include "ls-executor-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  LsObject base;
  LsVm *vm;
  guint max_workers;       /* 0: CPython's default */
  LsValue inner;           /* the engine's executor */
  LsLoop *loop;            /* strong: the loop inner belongs to */
  gboolean used;           /* something was submitted to inner */
  gboolean shutdown;
} LsPool;

static void
pool_finalize (LsObject *self)
{
  LsPool *p = (LsPool *) self;
  ls_value_unref (p->inner);
  ls_loop_unref (p->loop);
}

static char *
pool_repr (LsObject *self)
{
  return g_strdup_printf ("<concurrent.futures.thread.ThreadPoolExecutor object at %p>", (void *) self);
}

static gboolean pool_getattr (LsObject *self, const char *name, LsValue *out);

static const LsTypeSlots pool_slots = { .getattr = pool_getattr };

static const LsClass pool_class = {
  .name = "ThreadPoolExecutor",
  .finalize = pool_finalize,
  .repr = pool_repr,
  .size = sizeof (LsPool),
  .ops = &pool_slots,
};

static void
pool_bind (LsPool *p, LsLoop *loop)
{
  ls_value_unref (p->inner);
  if (p->loop)
    ls_loop_unref (p->loop);
  p->loop = ls_loop_ref (loop);
  p->inner = ls_executor_new (loop, p->max_workers);
  p->used = FALSE;
}

/* The loop a job of this pool runs for: the running one, else the pool's. */
static LsLoop *
current_loop (LsPool *p)
{
  LsLoop *loop = ls_loop_get_running ();
  return loop ? loop : p->loop;
}

/* The engine's executor of pool for loop: made again on loop when it was
 * never used on the old one.  FALSE and RuntimeError when it was. */
static gboolean
pool_inner (LsPool *p, LsLoop *loop, LsValue *out)
{
  if (loop != p->loop)
    {
      if (p->used)
        {
          *out = ls_exc_newf (&ls_exc_RuntimeError, "this ThreadPoolExecutor already runs jobs for "
                              "another event loop (Loopscope ties an executor to one loop)");
          return FALSE;
        }
      pool_bind (p, loop);
    }
  *out = p->inner;
  return TRUE;
}

gboolean
_ls_concurrent_executor_for (LsValue executor, LsLoop *loop, LsValue *out)
{
  if (!ls_value_is (executor, &pool_class))
    {
      *out = executor;
      return TRUE;
    }
  if (!pool_inner ((LsPool *) ls_value_as_object (executor), loop, out))
    return FALSE;
  ((LsPool *) ls_value_as_object (executor))->used = TRUE;
  return TRUE;
}

/* shutdown(wait): the workers of a loop that is not running progress on
 * the program's clock, which the loop catches up with and hands back. */
static void
pool_shutdown (LsPool *p, gboolean wait)
{
  gboolean idle = !ls_loop_is_running (p->loop);

  p->shutdown = TRUE;
  if (idle && p->loop != ls_loop_get_running ())
    ls_loop_set_time (p->loop, p->vm->clock);
  ls_executor_shutdown (p->inner, wait);
  /* Finished jobs hand their results to their futures through callbacks
   * on the loop; with no loop running (a plain script's `with` block)
   * nobody would run them, so they run here, and f.result() after the
   * block has its value as in CPython. */
  if (idle && wait && !ls_loop_get_running ())
    while (ls_loop_ready_count (p->loop) > 0)
      ls_loop_run_once (p->loop);
  if (idle && !ls_loop_get_running ())
    p->vm->clock = ls_loop_time (p->loop);
}

/* ---- exceptions ----------------------------------------------------------------- */

/* concurrent.futures._base's own exceptions; TimeoutError is the builtin
 * one since 3.11. */
static LsExcType exc_Error = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "Error", &ls_exc_Exception,
  "concurrent.futures._base", { 0 }
};
static LsExcType exc_CancelledError = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "CancelledError", &exc_Error,
  "concurrent.futures._base", { 0 }
};
static LsExcType exc_InvalidStateError = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "InvalidStateError", &exc_Error,
  "concurrent.futures._base", { 0 }
};

/* ---- waiting -------------------------------------------------------------------- */

/* An optional `timeout` argument: FALSE and TypeError when it is neither
 * None nor a number; *has is FALSE for None.  The TypeError is the one of
 * `timeout + time.monotonic()` (map, as_completed); see wait_timeout_arg
 * for Condition.wait(timeout)'s. */
static gboolean
timeout_arg (LsValue v, gboolean *has, double *seconds, LsValue *error)
{
  *has = !ls_is_none (v);
  if (!*has)
    return TRUE;
  switch (ls_value_kind (v))
    {
    case LS_KIND_FLOAT:
      *seconds = ls_value_as_float (v);
      return TRUE;
    case LS_KIND_INT:
      *seconds = (double) ls_value_as_int (v);
      return TRUE;
    case LS_KIND_BOOL:
      *seconds = ls_value_as_bool (v);
      return TRUE;
    default:
      *error = ls_exc_newf (&ls_exc_TypeError, "unsupported operand type(s) for +: '%s' and 'float'",
                            ls_value_class (v)->name);
      return FALSE;
    }
}

static gboolean
wait_timeout_arg (LsValue v, gboolean *has, double *seconds, LsValue *error)
{
  if (timeout_arg (v, has, seconds, error))
    return TRUE;
  ls_value_unref (*error);
  *error = ls_exc_newf (&ls_exc_TypeError, "'>' not supported between instances of '%s' and 'int'",
                        ls_value_class (v)->name);
  return FALSE;
}

/* Who waits, for the trace: the running task, or the main program (the
 * greenlet running, when there are greenlets). */
static guint64
waiter_id (LsVm *vm, LsLoop *running)
{
  LsTask *t = running ? ls_loop_current_task (running) : NULL;
  if (t)
    return t->fut.id;
  return running ? 0 : _ls_greenlet_current_id (vm);
}

/* The calling thread blocks until done(data) or until the clock reads
 * deadline (INFINITY: no deadline), while the workers of loop run.  TRUE
 * when the wait ended (*timed_out says how); FALSE and the error when it
 * cannot be waited for: from a worker thread (RuntimeError), a deadlock or
 * a limit (the run stops).  `what` names the wait and `on` what it waits
 * for, in a deadlock's report. */
static gboolean
block_until (LsVm *vm, LsLoop *loop, gboolean (*done) (gpointer), gpointer data, double deadline,
             const char *what, LsValue on, gboolean *timed_out, LsValue *error)
{
  LsLoop *running = ls_loop_get_running ();
  LsBlockOutcome outcome;
  char t[G_ASCII_DTOSTR_BUF_SIZE], *r, *msg;

  *timed_out = FALSE;
  if (done (data))
    return TRUE;
  if (vm->job_loop)
    {
      *error = ls_exc_newf (&ls_exc_RuntimeError, "%s in a worker thread would wait for another job: "
                            "Loopscope's worker threads can only sleep", what);
      return FALSE;
    }
  if (running && running != loop)
    {
      *error = ls_exc_newf (&ls_exc_RuntimeError, "%s: the future's jobs run on another event loop "
                            "(Loopscope ties an executor to one loop)", what);
      return FALSE;
    }
  if (!running)
    ls_loop_set_time (loop, vm->clock);
  outcome = ls_executor_block_until (loop, done, data, deadline, waiter_id (vm, running),
                                     vm->calling_line);
  if (!running)
    vm->clock = ls_loop_time (loop);
  switch (outcome)
    {
    case LS_BLOCK_DONE:
      return TRUE;
    case LS_BLOCK_TIMEOUT:
      *timed_out = TRUE;
      return TRUE;
    case LS_BLOCK_NEVER:
      ls_float_repr (ls_loop_time (loop), t);
      r = ls_value_repr (on);
      msg = g_strdup_printf ("loopscope: deadlock at t=%s: %s waits in %s for %s, and no worker "
                             "thread has anything left to run", t,
                             running ? "the event loop's thread" : "the main program", what, r);
      {
        LsEvent ev = { .kind = LS_EVENT_DEADLOCK, .detail = msg + strlen ("loopscope: ") };
        _ls_vm_emit (vm, &ev);
      }
      g_free (r);
      *error = _ls_vm_stop (vm, msg, TRUE);
      return FALSE;
    case LS_BLOCK_LIMIT_TIME:
    case LS_BLOCK_LIMIT_STEPS:
    default:
      if (outcome == LS_BLOCK_LIMIT_TIME)
        {
          ls_float_repr (vm->options.max_time, t);
          msg = g_strdup_printf ("loopscope: limit reached: virtual time passed %s seconds", t);
        }
      else
        msg = g_strdup_printf ("loopscope: limit reached: %" G_GUINT64_FORMAT " worker thread steps",
                               vm->options.max_steps);
      *error = _ls_vm_stop (vm, msg, FALSE);
      return FALSE;
    }
}

static gboolean
future_is_done (gpointer data)
{
  return ls_conc_future_done (data);
}

/* Future.result(timeout) (want_exception FALSE) or exception(timeout):
 * TRUE and the value, or FALSE and what to raise. */
static gboolean
future_outcome (LsVm *vm, LsConcFuture *c, gboolean has_timeout, double timeout,
                gboolean want_exception, LsValue *out)
{
  const char *what = want_exception ? "Future.exception()" : "Future.result()";
  gboolean timed_out;

  if (!ls_conc_future_done (c))
    {
      double deadline = has_timeout ? _ls_vm_now (vm) + MAX (timeout, 0) : INFINITY;
      if (!block_until (vm, c->loop, future_is_done, c, deadline, what, ls_object (c),
                        &timed_out, out))
        return FALSE;
    }
  if (c->state == LS_CONC_CANCELLED || c->state == LS_CONC_CANCELLED_AND_NOTIFIED)
    {
      *out = ls_exc_newf (&exc_CancelledError, NULL);
      return FALSE;
    }
  if (c->state != LS_CONC_FINISHED)
    {
      *out = ls_exc_newf (&ls_exc_TimeoutError, NULL);
      return FALSE;
    }
  if (want_exception)
    {
      *out = ls_value_ref (c->exception);
      return TRUE;
    }
  if (!ls_is_none (c->exception))
    {
      *out = ls_value_ref (c->exception);
      return FALSE;
    }
  *out = ls_value_ref (c->result);
  return TRUE;
}

/* ---- Future ------------------------------------------------------------------------ */

#define METHOD(name) \
  static gboolean name (LsValue self, gpointer data, const LsValue *args, guint nargs, \
                        LsValue kwnames, const LsValue *kwvalues, LsValue *result)

static LsConcFuture *
future_of (LsValue self)
{
  return (LsConcFuture *) ls_value_as_object (self);
}

/* Binds at most one argument, positional or by keyword `name`. */
static gboolean
one_optional_arg (const char *fn, const char *name, const LsValue *args, guint nargs,
                  LsValue kwnames, const LsValue *kwvalues, LsValue *value, LsValue *error)
{
  LsTuple *kw = ls_is_none (kwnames) ? NULL : (LsTuple *) ls_value_as_object (kwnames);

  *value = ls_none ();
  if (nargs > 1)
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "%s() takes from 1 to 2 positional arguments but "
                            "%u were given", fn, nargs + 1);
      return FALSE;
    }
  if (nargs)
    *value = args[0];
  for (guint i = 0; kw && i < kw->len; i++)
    {
      const char *k = ls_str_get (kw->items[i]);
      if (strcmp (k, name) != 0)
        {
          *error = ls_exc_newf (&ls_exc_TypeError, "%s() got an unexpected keyword argument '%s'",
                                fn, k);
          return FALSE;
        }
      if (nargs)
        {
          *error = ls_exc_newf (&ls_exc_TypeError, "%s() got multiple values for argument '%s'",
                                fn, name);
          return FALSE;
        }
      *value = kwvalues[i];
    }
  return TRUE;
}

static gboolean
no_args (const char *fn, guint nargs, LsValue kwnames, LsValue *error)
{
  if (nargs == 0 && ls_is_none (kwnames))
    return TRUE;
  *error = ls_exc_newf (&ls_exc_TypeError, "%s() takes 1 positional argument but %u were given",
                        fn, nargs + 1);
  return FALSE;
}

/* result(timeout=None), exception(timeout=None) */
static gboolean
future_result_common (LsValue self, const char *fn, gboolean want_exception, const LsValue *args,
                      guint nargs, LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsValue t;
  gboolean has = FALSE;
  double seconds = 0;

  if (!one_optional_arg (fn, "timeout", args, nargs, kwnames, kwvalues, &t, result))
    return FALSE;
  /* The timeout is looked at only when there is something to wait for. */
  if (!ls_conc_future_done (future_of (self)) && !wait_timeout_arg (t, &has, &seconds, result))
    return FALSE;
  return future_outcome (ls_vm_current (), future_of (self), has, seconds, want_exception, result);
}

METHOD (future_result)
{
  return future_result_common (self, "Future.result", FALSE, args, nargs, kwnames, kwvalues, result);
}

METHOD (future_exception)
{
  return future_result_common (self, "Future.exception", TRUE, args, nargs, kwnames, kwvalues, result);
}

METHOD (future_done)
{
  if (!no_args ("Future.done", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (ls_conc_future_done (future_of (self)));
  return TRUE;
}

METHOD (future_running)
{
  if (!no_args ("Future.running", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (future_of (self)->state == LS_CONC_RUNNING);
  return TRUE;
}

METHOD (future_cancelled)
{
  LsConcState st = future_of (self)->state;
  if (!no_args ("Future.cancelled", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (st == LS_CONC_CANCELLED || st == LS_CONC_CANCELLED_AND_NOTIFIED);
  return TRUE;
}

METHOD (future_cancel)
{
  if (!no_args ("Future.cancel", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (ls_conc_future_cancel (future_of (self)));
  return TRUE;
}

/* A done callback given by the program: fn(future).  Called on a worker
 * thread (the one that finished the job), it runs as that thread: its
 * output and clock are the worker's.  A time.sleep() in it passes no
 * time: only a job's own code can make its worker sleep. */
static gboolean
program_callback_cb (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  LsConcFuture *c = (LsConcFuture *) ls_value_as_object (args[0]);
  LsVm *vm = ls_vm_current ();
  LsLoop *saved_loop;
  gpointer saved_base;
  double saved_sleep;
  guint saved_pending;
  gboolean ok;

  if (!vm || vm->job_loop || ls_loop_get_running () || !ls_executor_in_worker (c->loop))
    return ls_call (self, args, 1, result);
  saved_loop = vm->job_loop;
  saved_base = vm->job_base;
  saved_sleep = vm->job_sleep;
  saved_pending = vm->pending & LS_VM_PENDING_SLEEP;
  vm->job_loop = c->loop;
  vm->job_base = NULL;
  vm->job_sleep = 0;
  ok = ls_call (self, args, 1, result);
  vm->job_loop = saved_loop;
  vm->job_base = saved_base;
  vm->job_sleep = saved_sleep;
  vm->pending = (vm->pending & ~LS_VM_PENDING_SLEEP) | saved_pending;
  return ok;
}

static const LsMethod program_callback_method = { "Future.add_done_callback", program_callback_cb };

/* add_done_callback(fn) */
METHOD (future_add_done_callback)
{
  if (nargs != 1 || !ls_is_none (kwnames))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "Future.add_done_callback() takes 2 positional "
                             "arguments but %u were given", nargs + 1);
      return FALSE;
    }
  ls_conc_future_add_done_callback (future_of (self),
                                    ls_callback_method (&program_callback_method,
                                                        ls_value_ref (args[0])));
  *result = ls_none ();
  return TRUE;
}

typedef struct {
  const char *name;
  LsBuiltinKwFn fn;
} Method;

static const Method future_methods[] = {
  { "result", future_result },
  { "exception", future_exception },
  { "done", future_done },
  { "running", future_running },
  { "cancel", future_cancel },
  { "cancelled", future_cancelled },
  { "add_done_callback", future_add_done_callback },
  { NULL, NULL }
};

static gboolean
bind_method (const Method *methods, const char *cls, LsObject *self, const char *name, LsValue *out)
{
  for (const Method *m = methods; m->name; m++)
    if (strcmp (m->name, name) == 0)
      {
        *out = ls_builtin_new_kw (m->name, m->fn, ls_value_ref (ls_object (self)), NULL, NULL);
        return TRUE;
      }
  *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'", cls, name);
  return FALSE;
}

static gboolean
future_getattr (LsObject *self, const char *name, LsValue *out)
{
  return bind_method (future_methods, "Future", self, name, out);
}

const LsTypeSlots _ls_conc_future_ops = { .getattr = future_getattr };

/* ---- the futures of wait() and as_completed() ------------------------------------- */

/* `fs = set(fs)`: the distinct futures of iterable, in creation order
 * (CPython's set order varies from run to run).  FALSE and the error for
 * something that is not a concurrent future. */
static gint
by_id (gconstpointer a, gconstpointer b)
{
  const LsConcFuture *x = *(LsConcFuture * const *) a, *y = *(LsConcFuture * const *) b;
  return x->id < y->id ? -1 : x->id > y->id;
}

static gboolean
collect_futures (LsValue iterable, GPtrArray **out, LsValue *error)
{
  GPtrArray *fs = g_ptr_array_new_with_free_func (ls_object_unref);
  LsValue it, item;
  int got;

  if (!ls_op_iter (iterable, &it))
    {
      *error = it;
      g_ptr_array_free (fs, TRUE);
      return FALSE;
    }
  while ((got = ls_op_next (it, &item)) == 1)
    {
      if (!ls_is_conc_future (item))
        {
          *error = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '_condition'",
                                ls_value_class (item)->name);
          ls_value_unref (item);
          ls_value_unref (it);
          g_ptr_array_free (fs, TRUE);
          return FALSE;
        }
      if (g_ptr_array_find (fs, ls_value_as_object (item), NULL))
        ls_value_unref (item);
      else
        g_ptr_array_add (fs, ls_value_as_object (item));
    }
  ls_value_unref (it);
  if (got < 0)
    {
      *error = item;
      g_ptr_array_free (fs, TRUE);
      return FALSE;
    }
  ls_value_unref (item);
  g_ptr_array_sort (fs, by_id);
  *out = fs;
  return TRUE;
}

/* Done for wait() and as_completed(): finished, or cancelled and taken
 * off the queue by a worker. */
static gboolean
counts_as_done (LsConcFuture *c)
{
  return c->state == LS_CONC_CANCELLED_AND_NOTIFIED || c->state == LS_CONC_FINISHED;
}

static gboolean
waiter_is_set (gpointer data)
{
  return ((LsConcWaiter *) data)->event;
}

/* ---- DoneAndNotDoneFutures ------------------------------------------------------------- */

/* collections.namedtuple('DoneAndNotDoneFutures', 'done not_done'):
 * unpacks, indexes and prints like one. */
typedef struct {
  LsObject base;
  LsValue tuple;           /* (done, not_done) */
} DoneNotDone;

static void
dnd_finalize (LsObject *self)
{
  ls_value_unref (((DoneNotDone *) self)->tuple);
}

static char *
dnd_repr (LsObject *self)
{
  LsTuple *t = (LsTuple *) ls_value_as_object (((DoneNotDone *) self)->tuple);
  char *a = ls_value_repr (t->items[0]), *b = ls_value_repr (t->items[1]);
  char *r = g_strdup_printf ("DoneAndNotDoneFutures(done=%s, not_done=%s)", a, b);
  g_free (a);
  g_free (b);
  return r;
}

static gboolean
dnd_getattr (LsObject *self, const char *name, LsValue *out)
{
  LsTuple *t = (LsTuple *) ls_value_as_object (((DoneNotDone *) self)->tuple);
  if (strcmp (name, "done") == 0 || strcmp (name, "not_done") == 0)
    {
      *out = ls_value_ref (t->items[name[0] == 'n']);
      return TRUE;
    }
  *out = ls_exc_newf (&ls_exc_AttributeError, "'DoneAndNotDoneFutures' object has no attribute '%s'",
                      name);
  return FALSE;
}

static gboolean
dnd_getitem (LsObject *self, LsValue key, LsValue *out)
{
  return ls_op_getitem (((DoneNotDone *) self)->tuple, key, out);
}

static gboolean
dnd_len (LsObject *self, gint64 *len, LsValue *error)
{
  *len = 2;
  return TRUE;
}

static gboolean
dnd_iter (LsObject *self, LsValue *out)
{
  return ls_op_iter (((DoneNotDone *) self)->tuple, out);
}

static const LsTypeSlots dnd_ops = {
  .getattr = dnd_getattr, .getitem = dnd_getitem, .len = dnd_len, .iter = dnd_iter,
};

static const LsClass dnd_class = {
  .name = "DoneAndNotDoneFutures",
  .finalize = dnd_finalize,
  .repr = dnd_repr,
  .size = sizeof (DoneNotDone),
  .ops = &dnd_ops,
};

/* A set of the futures of fs (borrowed) for which keep(f) == want, in
 * the order of fs, after those of `first` (borrowed, may be NULL). */
static LsValue
future_set (GPtrArray *first, GPtrArray *fs, gboolean (*keep) (LsConcFuture *, gpointer),
            gpointer data, gboolean want)
{
  LsValue set = ls_set_new (), err;

  for (guint i = 0; first && i < first->len; i++)
    if (!ls_set_add (set, ls_object (g_ptr_array_index (first, i)), &err))
      ls_value_unref (err);
  for (guint i = 0; i < fs->len; i++)
    {
      LsConcFuture *c = g_ptr_array_index (fs, i);
      if (!keep (c, data) == !want && !(first && g_ptr_array_find (first, c, NULL)))
        if (!ls_set_add (set, ls_object (c), &err))
          ls_value_unref (err);
    }
  return set;
}

static gboolean
keep_done (LsConcFuture *c, gpointer data)
{
  return counts_as_done (c);
}

static gboolean
keep_in (LsConcFuture *c, gpointer data)
{
  return g_ptr_array_find (data, c, NULL);
}

static LsValue
done_not_done (LsValue done, LsValue not_done)
{
  DoneNotDone *d = ls_object_alloc (&dnd_class, sizeof (DoneNotDone));
  LsValue items[2] = { done, not_done };
  d->tuple = ls_tuple_new (2, items);
  return ls_object (d);
}

/* Whether the call gave the parameter at position pos, by position or
 * by name (its default cannot tell: None may be passed). */
static gboolean
passed (guint pos, const char *name, guint nargs, LsValue kwnames)
{
  LsTuple *kw = ls_is_none (kwnames) ? NULL : (LsTuple *) ls_value_as_object (kwnames);

  if (nargs > pos)
    return TRUE;
  for (guint i = 0; kw && i < kw->len; i++)
    if (strcmp (ls_str_get (kw->items[i]), name) == 0)
      return TRUE;
  return FALSE;
}

/* wait(fs, timeout=None, return_when=ALL_COMPLETED) */
static gboolean
conc_wait (LsValue self, gpointer data, const LsValue *args, guint nargs,
           LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  static const LsSig sig = { "wait", { "fs", "timeout", "return_when" }, 3, 3, 1 };
  LsValue a[3] = { ls_none (), ls_none (), ls_none () };
  gboolean has, timed_out;
  LsVm *vm = ls_vm_current ();
  const char *when = "ALL_COMPLETED";
  LsConcWaitKind kind;
  LsConcWaiter *waiter;
  GPtrArray *fs, *done;
  double seconds = 0;
  guint pending = 0;
  gboolean ok;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (passed (2, "return_when", nargs, kwnames))
    when = ls_str_get (a[2]) ? ls_str_get (a[2]) : "";
  if (!collect_futures (a[0], &fs, result))
    return FALSE;

  /* The early returns, before any waiter is installed. */
  done = g_ptr_array_new ();
  for (guint i = 0; i < fs->len; i++)
    if (counts_as_done (g_ptr_array_index (fs, i)))
      g_ptr_array_add (done, g_ptr_array_index (fs, i));
  ok = done->len == fs->len;
  if (done->len && strcmp (when, "FIRST_COMPLETED") == 0)
    ok = TRUE;
  else if (done->len && strcmp (when, "FIRST_EXCEPTION") == 0)
    for (guint i = 0; i < done->len; i++)
      {
        LsConcFuture *c = g_ptr_array_index (done, i);
        if (c->state == LS_CONC_FINISHED && !ls_is_none (c->exception))
          ok = TRUE;
      }
  g_ptr_array_free (done, TRUE);
  if (ok)
    {
      *result = done_not_done (future_set (NULL, fs, keep_done, NULL, TRUE),
                               future_set (NULL, fs, keep_done, NULL, FALSE));
      g_ptr_array_free (fs, TRUE);
      return TRUE;
    }

  /* _create_and_install_waiters */
  if (strcmp (when, "FIRST_COMPLETED") == 0)
    kind = LS_CONC_WAIT_FIRST_COMPLETED;
  else if (strcmp (when, "FIRST_EXCEPTION") == 0)
    kind = LS_CONC_WAIT_FIRST_EXCEPTION;
  else if (strcmp (when, "ALL_COMPLETED") == 0)
    kind = LS_CONC_WAIT_ALL_COMPLETED;
  else
    {
      char *r = ls_value_repr (a[2]);
      *result = ls_exc_newf (&ls_exc_ValueError, "Invalid return condition: %s", r);
      g_free (r);
      g_ptr_array_free (fs, TRUE);
      return FALSE;
    }
  if (!wait_timeout_arg (a[1], &has, &seconds, result))
    {
      g_ptr_array_free (fs, TRUE);
      return FALSE;
    }
  for (guint i = 0; i < fs->len; i++)
    if (!counts_as_done (g_ptr_array_index (fs, i)))
      pending++;
  waiter = ls_conc_waiter_new (kind, pending);
  for (guint i = 0; i < fs->len; i++)
    ls_conc_waiter_install (waiter, g_ptr_array_index (fs, i));

  {
    /* done is what was done before the wait, in creation order, then what
     * finished during it, in the order it finished. */
    GPtrArray *before = g_ptr_array_new ();
    LsConcFuture *first = g_ptr_array_index (fs, 0);
    for (guint i = 0; i < fs->len; i++)
      if (counts_as_done (g_ptr_array_index (fs, i)))
        g_ptr_array_add (before, g_ptr_array_index (fs, i));
    ok = block_until (vm, first->loop, waiter_is_set, waiter,
                      has ? _ls_vm_now (vm) + MAX (seconds, 0) : INFINITY, "wait()",
                      ls_object (first), &timed_out, result);
    for (guint i = 0; i < fs->len; i++)
      ls_conc_waiter_remove (waiter, g_ptr_array_index (fs, i));
    if (ok)
      {
        for (guint i = 0; i < waiter->finished->len; i++)
          if (!g_ptr_array_find (before, g_ptr_array_index (waiter->finished, i), NULL))
            g_ptr_array_add (before, g_ptr_array_index (waiter->finished, i));
        *result = done_not_done (future_set (before, fs, keep_in, before, TRUE),
                                 future_set (NULL, fs, keep_in, before, FALSE));
      }
    g_ptr_array_free (before, TRUE);
  }
  ls_conc_waiter_free (waiter);
  g_ptr_array_free (fs, TRUE);
  return ok;
}

/* ---- as_completed ------------------------------------------------------------------ */

/* The generator as_completed(fs, timeout) returns: nothing happens until
 * the first next(), which takes the set of futures and starts the clock. */
typedef struct {
  LsObject base;
  LsValue fs_arg;          /* the iterable, until the first next() */
  LsValue timeout;         /* None or a number */
  guint8 started, over;
  gboolean has_timeout;
  double end_time;
  guint total;             /* total_futures */
  GPtrArray *fs;           /* LsConcFuture *, strong: not yet yielded */
  GPtrArray *pending;      /* borrowed from fs: not yet finished */
  GPtrArray *batch;        /* strong: finished, to yield from the end */
  LsConcWaiter *waiter;
} AsCompleted;

/* The generator's `finally`: the waiter leaves every future. */
static void
as_completed_end (AsCompleted *ac)
{
  ac->over = TRUE;
  if (ac->waiter)
    {
      for (guint i = 0; i < ac->fs->len; i++)
        ls_conc_waiter_remove (ac->waiter, g_ptr_array_index (ac->fs, i));
      ls_conc_waiter_free (ac->waiter);
      ac->waiter = NULL;
    }
  g_clear_pointer (&ac->fs, g_ptr_array_unref);
  g_clear_pointer (&ac->pending, g_ptr_array_unref);
  g_clear_pointer (&ac->batch, g_ptr_array_unref);
}

static void
as_completed_finalize (LsObject *self)
{
  AsCompleted *ac = (AsCompleted *) self;
  as_completed_end (ac);
  ls_value_unref (ac->fs_arg);
  ls_value_unref (ac->timeout);
}

static gboolean
as_completed_iter (LsObject *self, LsValue *out)
{
  *out = ls_value_ref (ls_object (self));
  return TRUE;
}

/* The first next(): the body of as_completed up to its first yield. */
static gboolean
as_completed_start (AsCompleted *ac, LsVm *vm, LsValue *error)
{
  double seconds = 0;
  LsValue arg = ls_value_steal (&ac->fs_arg);
  gboolean ok;

  ac->started = TRUE;
  ok = timeout_arg (ac->timeout, &ac->has_timeout, &seconds, error)
    && collect_futures (arg, &ac->fs, error);
  ls_value_unref (arg);
  if (!ok)
    return FALSE;
  if (ac->has_timeout)
    ac->end_time = seconds + _ls_vm_now (vm);
  ac->total = ac->fs->len;
  ac->pending = g_ptr_array_new ();
  ac->batch = g_ptr_array_new_with_free_func (ls_object_unref);
  /* finished = list(set(...)), yielded from its end */
  for (guint i = 0; i < ac->fs->len; i++)
    {
      LsConcFuture *c = g_ptr_array_index (ac->fs, i);
      if (counts_as_done (c))
        g_ptr_array_add (ac->batch, ls_object_ref (c));
      else
        g_ptr_array_add (ac->pending, c);
    }
  ac->waiter = ls_conc_waiter_new (LS_CONC_WAIT_AS_COMPLETED, 0);
  for (guint i = 0; i < ac->fs->len; i++)
    ls_conc_waiter_install (ac->waiter, g_ptr_array_index (ac->fs, i));
  return TRUE;
}

static int
as_completed_next (LsObject *self, LsValue *out)
{
  AsCompleted *ac = (AsCompleted *) self;
  LsVm *vm = ls_vm_current ();

  if (ac->over)
    {
      *out = ls_none ();
      return 0;
    }
  if (!ac->started && !as_completed_start (ac, vm, out))
    {
      as_completed_end (ac);
      return -1;
    }
  for (;;)
    {
      gboolean timed_out;

      /* _yield_finished_futures */
      if (ac->batch->len)
        {
          LsConcFuture *c = g_ptr_array_steal_index (ac->batch, ac->batch->len - 1);
          ls_conc_waiter_remove (ac->waiter, c);
          g_ptr_array_remove (ac->pending, c);
          *out = ls_object (c);
          g_ptr_array_remove (ac->fs, c);   /* drops fs's reference, not c's */
          return 1;
        }
      if (!ac->pending->len)
        {
          as_completed_end (ac);
          *out = ls_none ();
          return 0;
        }
      if (ac->has_timeout && ac->end_time - _ls_vm_now (vm) < 0)
        goto timeout;
      if (!block_until (vm, ((LsConcFuture *) g_ptr_array_index (ac->pending, 0))->loop,
                        waiter_is_set, ac->waiter, ac->has_timeout ? ac->end_time : INFINITY,
                        "as_completed()", ls_object (g_ptr_array_index (ac->pending, 0)),
                        &timed_out, out))
        {
          as_completed_end (ac);
          return -1;
        }
      /* Real time goes on after a wait that timed out; the virtual clock
       * stands at end_time, where CPython would find it already past. */
      if (timed_out && !ac->waiter->finished->len)
        goto timeout;
      /* finished = waiter.finished_futures; finished.reverse() */
      for (guint i = ac->waiter->finished->len; i-- > 0;)
        g_ptr_array_add (ac->batch, ls_object_ref (g_ptr_array_index (ac->waiter->finished, i)));
      g_ptr_array_set_size (ac->waiter->finished, 0);
      ac->waiter->event = FALSE;
    }

timeout:
  *out = ls_exc_newf (&ls_exc_TimeoutError, "%u (of %u) futures unfinished", ac->pending->len,
                      ac->total);
  as_completed_end (ac);
  return -1;
}

static const LsTypeSlots as_completed_ops = {
  .iter = as_completed_iter, .next = as_completed_next,
};

static const LsClass as_completed_class = {
  .name = "generator",
  .finalize = as_completed_finalize,
  .size = sizeof (AsCompleted),
  .ops = &as_completed_ops,
};

/* as_completed(fs, timeout=None) */
static gboolean
conc_as_completed (LsValue self, gpointer data, const LsValue *args, guint nargs,
                   LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  static const LsSig sig = { "as_completed", { "fs", "timeout" }, 2, 2, 1 };
  LsValue a[2] = { ls_none (), ls_none () };
  AsCompleted *ac;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  ac = ls_object_alloc (&as_completed_class, sizeof (AsCompleted));
  ac->fs_arg = ls_value_ref (a[0]);
  ac->timeout = ls_value_ref (a[1]);
  *result = ls_object (ac);
  return TRUE;
}

/* ---- Executor.map ------------------------------------------------------------------- */

/* result_iterator(): the futures' results in the order of the inputs,
 * each waited for in turn; the first that raises cancels the rest. */
typedef struct {
  LsObject base;
  GPtrArray *fs;           /* LsConcFuture *, strong: not yet waited for */
  guint next;              /* index of the next one in fs */
  gboolean has_timeout;
  double end_time;
} MapIter;

/* The generator's `finally: for future in fs: future.cancel()`. */
static void
map_iter_end (MapIter *m)
{
  GPtrArray *fs = m->fs;

  m->fs = NULL;
  if (!fs)
    return;
  for (guint i = fs->len; i-- > m->next;)
    ls_conc_future_cancel (g_ptr_array_index (fs, i));
  g_ptr_array_unref (fs);
}

static void
map_iter_finalize (LsObject *self)
{
  map_iter_end ((MapIter *) self);
}

static int
map_iter_next (LsObject *self, LsValue *out)
{
  MapIter *m = (MapIter *) self;
  LsVm *vm = ls_vm_current ();
  LsConcFuture *c;
  gboolean ok;

  if (!m->fs || m->next >= m->fs->len)
    {
      map_iter_end (m);
      *out = ls_none ();
      return 0;
    }
  c = ls_object_ref (g_ptr_array_index (m->fs, m->next));
  m->next++;
  /* _result_or_cancel(fs.pop(), end_time - time.monotonic()) */
  ok = future_outcome (vm, c, m->has_timeout, m->end_time - _ls_vm_now (vm), FALSE, out);
  ls_conc_future_cancel (c);
  ls_object_unref (c);
  if (!ok)
    {
      map_iter_end (m);
      return -1;
    }
  return 1;
}

static const LsTypeSlots map_iter_ops = {
  .iter = as_completed_iter, .next = map_iter_next,
};

static const LsClass map_iter_class = {
  .name = "generator",
  .finalize = map_iter_finalize,
  .size = sizeof (MapIter),
  .ops = &map_iter_ops,
};

/* ---- ThreadPoolExecutor ------------------------------------------------------------ */

static LsPool *
pool_of (LsValue self)
{
  return (LsPool *) ls_value_as_object (self);
}

/* submit(fn, /, *args, **kwargs) */
METHOD (pool_submit)
{
  LsPool *p = pool_of (self);
  LsLoop *loop = current_loop (p);
  LsValue inner, job;

  if (nargs < 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "ThreadPoolExecutor.submit() missing 1 required "
                             "positional argument: 'fn'");
      return FALSE;
    }
  if (p->shutdown)
    {
      *result = ls_exc_newf (&ls_exc_RuntimeError, "cannot schedule new futures after shutdown");
      return FALSE;
    }
  if (!pool_inner (p, loop, &inner))
    {
      *result = inner;
      return FALSE;
    }
  p->used = TRUE;
  /* A plain script's executor: its loop's clock is the program's. */
  if (!ls_loop_get_running ())
    ls_loop_set_time (loop, p->vm->clock);
  job = _ls_vm_job_new (p->vm, loop, args[0], args + 1, nargs - 1, kwnames, kwvalues);
  return ls_executor_submit_concurrent (inner, job, result);
}

/* map(fn, *iterables, timeout=None, chunksize=1) */
METHOD (pool_map)
{
  LsPool *p = pool_of (self);
  LsValue timeout = ls_none (), *its;
  gboolean has = FALSE, ok = TRUE;
  double seconds = 0;
  GPtrArray *fs;
  MapIter *m;

  if (nargs < 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "Executor.map() missing 1 required positional "
                             "argument: 'fn'");
      return FALSE;
    }
  if (!ls_is_none (kwnames))
    {
      LsTuple *kw = (LsTuple *) ls_value_as_object (kwnames);
      for (guint i = 0; i < kw->len; i++)
        {
          const char *k = ls_str_get (kw->items[i]);
          if (strcmp (k, "timeout") == 0)
            timeout = kwvalues[i];
          else if (strcmp (k, "chunksize") != 0)
            {
              *result = ls_exc_newf (&ls_exc_TypeError, "Executor.map() got an unexpected keyword "
                                     "argument '%s'", k);
              return FALSE;
            }
        }
    }
  if (!timeout_arg (timeout, &has, &seconds, result))
    return FALSE;
  /* end_time = timeout + time.monotonic(), before anything is submitted */
  seconds += _ls_vm_now (p->vm);

  /* fs = [self.submit(fn, *args) for args in zip(*iterables)] */
  its = g_new0 (LsValue, nargs);
  fs = g_ptr_array_new_with_free_func (ls_object_unref);
  for (guint i = 1; i < nargs && ok; i++)
    if (!ls_op_iter (args[i], &its[i]))
      {
        *result = its[i];
        its[i] = ls_none ();
        ok = FALSE;
      }
  while (ok && nargs > 1)
    {
      LsValue *call = g_new (LsValue, nargs), f;
      guint n;
      int got = 1;
      call[0] = args[0];
      for (n = 1; n < nargs && (got = ls_op_next (its[n], &call[n])) == 1; n++)
        ;
      if (got == 1)
        {
          ok = pool_submit (self, NULL, call, nargs, ls_none (), NULL, &f);
          if (ok)
            g_ptr_array_add (fs, ls_value_as_object (f));
          else
            *result = f;
        }
      else if (got < 0)
        {
          *result = call[n];
          ok = FALSE;
        }
      else
        ls_value_unref (call[n]);
      for (guint k = 1; k < n; k++)
        ls_value_unref (call[k]);
      g_free (call);
      if (got != 1)
        break;
    }
  for (guint i = 1; i < nargs; i++)
    ls_value_unref (its[i]);
  g_free (its);
  if (!ok)
    {
      g_ptr_array_unref (fs);
      return FALSE;
    }
  m = ls_object_alloc (&map_iter_class, sizeof (MapIter));
  m->fs = fs;
  m->has_timeout = has;
  m->end_time = seconds;
  *result = ls_object (m);
  return TRUE;
}

/* shutdown(wait=True, *, cancel_futures=False) */
METHOD (pool_shutdown_method)
{
  LsTuple *kw = ls_is_none (kwnames) ? NULL : (LsTuple *) ls_value_as_object (kwnames);
  gboolean wait = TRUE;

  if (nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "ThreadPoolExecutor.shutdown() takes from 1 to 2 "
                             "positional arguments but %u were given", nargs + 1);
      return FALSE;
    }
  if (nargs)
    wait = ls_value_truthy (args[0]);
  for (guint i = 0; kw && i < kw->len; i++)
    {
      const char *name = ls_str_get (kw->items[i]);
      if (strcmp (name, "wait") == 0)
        wait = ls_value_truthy (kwvalues[i]);
      else if (strcmp (name, "cancel_futures") == 0)
        {
          if (ls_value_truthy (kwvalues[i]))
            {
              *result = ls_exc_newf (&ls_exc_TypeError, "shutdown(cancel_futures=True) is not supported");
              return FALSE;
            }
        }
      else
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "ThreadPoolExecutor.shutdown() got an unexpected "
                                 "keyword argument '%s'", name);
          return FALSE;
        }
    }
  pool_shutdown (pool_of (self), wait);
  *result = ls_none ();
  return TRUE;
}

METHOD (pool_enter)
{
  *result = ls_value_ref (self);
  return TRUE;
}

/* __exit__(exc_type, exc_val, exc_tb): shutdown(wait=True); False */
METHOD (pool_exit)
{
  pool_shutdown (pool_of (self), TRUE);
  *result = ls_bool (FALSE);
  return TRUE;
}

static const Method pool_methods[] = {
  { "submit", pool_submit },
  { "map", pool_map },
  { "shutdown", pool_shutdown_method },
  { "__enter__", pool_enter },
  { "__exit__", pool_exit },
  { NULL, NULL }
};

static gboolean
pool_getattr (LsObject *self, const char *name, LsValue *out)
{
  return bind_method (pool_methods, "ThreadPoolExecutor", self, name, out);
}

/* ThreadPoolExecutor(max_workers=None, thread_name_prefix='', initializer=None, initargs=()) */
static gboolean
pool_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
          LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  static const char *const names[] = { "max_workers", "thread_name_prefix" };
  LsTuple *kw = ls_is_none (kwnames) ? NULL : (LsTuple *) ls_value_as_object (kwnames);
  LsValue a[2] = { ls_none (), ls_none () };
  LsVm *vm = data;
  LsLoop *loop;
  LsPool *p;
  gint64 n = 0;

  if (nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "ThreadPoolExecutor() takes at most 2 arguments here "
                             "(initializer is not supported)");
      return FALSE;
    }
  for (guint i = 0; i < nargs; i++)
    a[i] = args[i];
  for (guint i = 0; kw && i < kw->len; i++)
    {
      const char *name = ls_str_get (kw->items[i]);
      guint j;
      for (j = 0; j < G_N_ELEMENTS (names); j++)
        if (strcmp (names[j], name) == 0)
          break;
      if (j == G_N_ELEMENTS (names))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "ThreadPoolExecutor.__init__() got an unexpected "
                                 "keyword argument '%s'%s", name,
                                 strcmp (name, "initializer") == 0 || strcmp (name, "initargs") == 0
                                 ? " (not supported)" : "");
          return FALSE;
        }
      a[j] = kwvalues[i];
    }
  if (!ls_is_none (a[0]))
    {
      if (ls_value_kind (a[0]) != LS_KIND_INT || !ls_int_fits_int64 (a[0], &n))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "'<=' not supported between instances of '%s' and 'int'",
                                 ls_value_class (a[0])->name);
          return FALSE;
        }
      if (n <= 0)
        {
          *result = ls_exc_newf (&ls_exc_ValueError, "max_workers must be greater than 0");
          return FALSE;
        }
    }
  loop = ls_loop_get_running ();
  if (!loop)
    loop = _ls_vm_event_loop (vm);
  p = ls_object_alloc (&pool_class, sizeof (LsPool));
  p->vm = vm;
  p->max_workers = (guint) MIN (n, 1 << 20);
  p->inner = ls_none ();
  pool_bind (p, loop);
  *result = ls_object (p);
  return TRUE;
}

void
_ls_concurrent_idle_advance (LsVm *vm, double from, double until)
{
  for (guint i = 0; i < vm->loops->len; i++)
    {
      LsLoop *loop = g_ptr_array_index (vm->loops, i);
      if (ls_loop_is_running (loop))
        continue;
      ls_loop_set_time (loop, from);
      ls_executor_run_until (loop, until);
    }
}

void
_ls_concurrent_at_exit (LsVm *vm)
{
  for (guint i = 0; i < vm->loops->len; i++)
    {
      LsLoop *loop = g_ptr_array_index (vm->loops, i);
      if (ls_loop_is_running (loop))
        continue;
      ls_loop_set_time (loop, vm->clock);
      ls_executor_join_all (loop);
      vm->clock = MAX (vm->clock, ls_loop_time (loop));
    }
}

LsValue
_ls_mod_concurrent_new (LsVm *vm)
{
  LsValue futures = _ls_module_new ("concurrent.futures");
  LsValue concurrent = _ls_module_new ("concurrent");

  _ls_module_add (futures, "ThreadPoolExecutor",
                  ls_builtin_new_kw ("ThreadPoolExecutor", pool_new, ls_none (), vm, NULL));
  _ls_module_add (futures, "wait", ls_builtin_new_kw ("wait", conc_wait, ls_none (), vm, NULL));
  _ls_module_add (futures, "as_completed",
                  ls_builtin_new_kw ("as_completed", conc_as_completed, ls_none (), vm, NULL));
  _ls_module_add (futures, "FIRST_COMPLETED", ls_str_new ("FIRST_COMPLETED"));
  _ls_module_add (futures, "FIRST_EXCEPTION", ls_str_new ("FIRST_EXCEPTION"));
  _ls_module_add (futures, "ALL_COMPLETED", ls_str_new ("ALL_COMPLETED"));
  _ls_module_add (futures, "CancelledError", ls_value_ref (ls_object ((LsObject *) &exc_CancelledError)));
  _ls_module_add (futures, "InvalidStateError",
                  ls_value_ref (ls_object ((LsObject *) &exc_InvalidStateError)));
  _ls_module_add (futures, "TimeoutError", ls_value_ref (ls_object ((LsObject *) &ls_exc_TimeoutError)));
  g_hash_table_insert (vm->modules, g_strdup ("concurrent.futures"), ls_value_as_object (futures));
  _ls_module_add (concurrent, "futures", ls_value_ref (futures));
  return concurrent;
}
