/* ls-mod-asyncio.c - the asyncio module a scenario imports, on the
 * scheduler of ls-sched.h and ls-asyncio.h.
 *
 * This file only binds: it checks a call's arguments the way the Python
 * function would (same messages), converts values, and calls the scheduler
 * function that mirrors the Python one.  What is `async def` in CPython
 * returns the scheduler's coroutine as it is, so that awaiting it takes
 * exactly the steps CPython's takes; where this file needs a coroutine of
 * its own (`async with lock`, wait()'s sets) it awaits the scheduler's
 * coroutine inside it, which adds no step, as `await` of a coroutine adds
 * none in Python.
 *
 * Attributes of the scheduler's objects (task.result, loop.call_later,
 * lock.acquire, …) are found by _ls_asyncio_getattr, which the interpreter
 * asks first for every attribute; methods come back as builtins bound to
 * their object.
 *
 * All the loops of a program share one virtual clock, as the oracle's
 * process-wide clock: the VM keeps it while no loop runs (vm->clock), a
 * loop catches up with it before it runs or schedules a timer, and gives
 * it back when it stops.  A run that deadlocks or hits a limit stops the
 * whole program: it raises LoopscopeStop, an exception type outside the
 * BaseException tree, so that no `except` clause catches it, and leaves the
 * message in vm->stop_message for ls_vm_run to print.
 */
#include "ls-vm-private.h"
#include "ls-args.h"
#include "ls-asyncio.h"
#include "ls-executor-private.h"
#include "ls-sched-private.h"

#include <math.h>
#include <string.h>

/* Outside BaseException on purpose (parent NULL): see above. */
static LsExcType exc_LoopscopeStop = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "LoopscopeStop", NULL
};

static LsValue
no_running_loop (void)
{
  return ls_exc_newf (&ls_exc_RuntimeError, "no running event loop");
}

/* ---- arguments ------------------------------------------------------------ */

/* A method that takes no argument but self. */
static gboolean
no_args (const char *name, guint nargs, LsValue kwnames, LsValue *error)
{
  LsSig sig = { name, { NULL }, 0, 0, 0, FALSE, TRUE };
  return _ls_bind_args (&sig, NULL, nargs, kwnames, NULL, NULL, error);
}

/* A function that takes no argument. */
static gboolean
no_args_function (const char *name, guint nargs, LsValue kwnames, LsValue *error)
{
  LsSig sig = { name, { NULL }, 0, 0, 0, FALSE, FALSE };
  return _ls_bind_args (&sig, NULL, nargs, kwnames, NULL, NULL, error);
}

/* An int, bool or float as a double; FALSE for anything else.  An int too
 * large for 64 bits counts as a huge number of seconds. */
static gboolean
number_of (LsValue v, double *out)
{
  gint64 i;
  switch (ls_value_kind (v))
    {
    case LS_KIND_FLOAT:
      *out = ls_value_as_float (v);
      return TRUE;
    case LS_KIND_BOOL:
      *out = ls_value_as_bool (v);
      return TRUE;
    case LS_KIND_INT:
      *out = ls_int_fits_int64 (v, &i) ? (double) i : HUGE_VAL;
      return TRUE;
    default:
      return FALSE;
    }
}

/* A timeout argument: None or a number.  Anything else fails where CPython
 * first does arithmetic on it, `loop.time() + delay`. */
static gboolean
timeout_of (LsValue v, double *out, LsValue *error)
{
  if (ls_is_none (v))
    {
      *out = LS_NO_TIMEOUT;
      return TRUE;
    }
  if (number_of (v, out))
    return TRUE;
  *error = ls_exc_newf (&ls_exc_TypeError, "unsupported operand type(s) for +: 'float' and '%s'",
                        ls_value_class (v)->name);
  return FALSE;
}

/* An int argument (Queue's maxsize, Semaphore's value, notify's n). */
static gboolean
int_of (LsValue v, gint64 *out, LsValue *error)
{
  if (ls_value_kind (v) == LS_KIND_BOOL)
    *out = ls_value_as_bool (v);
  else if (ls_value_kind (v) != LS_KIND_INT || !ls_int_fits_int64 (v, out))
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                            ls_value_class (v)->name);
      return FALSE;
    }
  return TRUE;
}

/* asyncio.iscoroutine(): coroutines, not generators (whose objects the VM
 * also lets a task drive). */
static gboolean
is_coroutine (LsValue v)
{
  return ls_is_coroutine (v) && strcmp (ls_value_class (v)->name, "generator") != 0;
}

static LsValue
coroutine_expected (LsValue v)
{
  char *r = ls_value_repr (v);
  LsValue exc = ls_exc_newf (&ls_exc_TypeError, "a coroutine was expected, got %s", r);
  g_free (r);
  return exc;
}

/* A task's name argument: None, or anything str() of which is the name. */
static char *
name_of (LsValue v)
{
  return ls_is_none (v) ? NULL : ls_value_str (v);
}

static void
value_clear (gpointer p)
{
  ls_value_unref (*(LsValue *) p);
}

/* Every item of an iterable, as new references. */
static gboolean
collect (LsValue iterable, GArray **out, LsValue *error)
{
  LsValue it, item;
  GArray *items;
  int r;

  if (!ls_op_iter (iterable, &it))
    {
      *error = it;
      return FALSE;
    }
  items = g_array_new (FALSE, FALSE, sizeof (LsValue));
  g_array_set_clear_func (items, value_clear);
  while ((r = ls_op_next (it, &item)) == 1)
    g_array_append_val (items, item);
  ls_value_unref (it);
  if (r < 0)
    {
      *error = item;
      g_array_free (items, TRUE);
      return FALSE;
    }
  ls_value_unref (item);
  *out = items;
  return TRUE;
}

static LsValue
set_of_list (LsValue list, LsValue *error)
{
  LsValue set = ls_set_new ();
  for (guint i = 0; i < ls_list_len (list); i++)
    if (!ls_set_add (set, ls_list_get (list, i), error))
      {
        ls_value_unref (set);
        return ls_none ();
      }
  return set;
}

/* ---- small coroutines of this file ---------------------------------------------- */

typedef struct {
  LsValue a, b, c;
} CoLocals;

static void
co_locals_free (gpointer p)
{
  CoLocals *l = p;
  ls_value_unref (l->a);
  ls_value_unref (l->b);
  ls_value_unref (l->c);
  g_free (l);
}

/* A coroutine with locals a, b, c (taken). */
static LsValue
co_new (const char *name, LsCCoroFn fn, LsValue a, LsValue b, LsValue c)
{
  CoLocals *l = g_new0 (CoLocals, 1);
  l->a = a;
  l->b = b;
  l->c = c;
  return ls_ccoro_new (name, fn, l, co_locals_free);
}

/* An `async def` whose body raises a at once (its argument was wrong in a
 * way CPython only finds when the body runs). */
static LsCCoroAction
raise_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  CoLocals *l = co->data;
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  return ls_ccoro_raise (out, ls_value_ref (l->a));
}

static LsValue
raising_coro (const char *name, LsValue exc)
{
  return co_new (name, raise_step, exc, ls_none (), ls_none ());
}

/* ---- the module's state ------------------------------------------------------------ */

/* What the module functions share: the VM, and whether set_event_loop()
 * was called (after which get_event_loop() no longer makes a loop). */
typedef struct {
  LsObject base;
  LsVm *vm;
  gboolean set_called;
} ModState;

static const LsClass mod_state_class = { .name = "asyncio", .size = sizeof (ModState) };

static ModState *
state_of (LsValue self)
{
  return (ModState *) ls_value_as_object (self);
}

/* events.set_event_loop(loop), loop NULL for None. */
static void
set_event_loop (ModState *st, LsLoop *loop)
{
  LsLoop *old = st->vm->event_loop;
  st->vm->event_loop = loop ? ls_loop_ref (loop) : NULL;
  if (old)
    ls_loop_unref (old);
  st->set_called = TRUE;
}

/* events.get_event_loop(): the running loop, else the current one, made
 * on first use unless set_event_loop() was called. */
static LsLoop *
get_event_loop (ModState *st, LsValue *error)
{
  LsLoop *loop = ls_loop_get_running ();
  if (loop)
    return loop;
  if (!st->vm->event_loop && st->set_called)
    {
      *error = ls_exc_newf (&ls_exc_RuntimeError,
                            "There is no current event loop in thread 'MainThread'.");
      return NULL;
    }
  return _ls_vm_event_loop (st->vm);
}

/* ---- running a loop ---------------------------------------------------------------- */

/* A loop that is not running keeps the time of its last run: it catches up
 * with the program's clock before it is used. */
static void
sync_loop (LsLoop *loop)
{
  LsVm *vm = ls_vm_current ();
  if (vm && !ls_loop_is_running (loop))
    ls_loop_set_time (loop, _ls_vm_now (vm));
}

/* After a run of loop: when it deadlocked or hit a limit, the program
 * stops.  *result (the run's outcome) is replaced by LoopscopeStop. */
static gboolean
stopped_run (LsVm *vm, LsLoop *loop, LsValue *result)
{
  char *msg;

  if (!ls_loop_deadlocked (loop) && !ls_loop_limit_hit (loop))
    return FALSE;
  if (ls_loop_deadlocked (loop))
    msg = g_strdup_printf ("loopscope: %s", ls_loop_deadlock_report (loop));
  else if (ls_exc_type (*result))
    {
      char *s = ls_exc_str (*result);
      msg = g_strdup_printf ("loopscope: %s", s);
      g_free (s);
    }
  else
    msg = g_strdup ("loopscope: limit reached");
  vm->deadlocked = ls_loop_deadlocked (loop);
  g_free (vm->stop_message);
  vm->stop_message = msg;
  vm->stopped_by = vm->stop_message;
  ls_value_set (result, ls_exc_newf (&exc_LoopscopeStop, "%s", msg));
  return TRUE;
}

/* Runs loop (when no other runs) with the program's clock. */
typedef enum { RUN_UNTIL_COMPLETE, RUN_FOREVER, RUN_ASYNCIO } RunKind;

static gboolean
run_loop (LsVm *vm, LsLoop *loop, RunKind kind, LsValue arg, LsValue *result)
{
  gboolean top = ls_loop_get_running () == NULL, ok;

  if (top)
    ls_loop_set_time (loop, vm->clock);
  if (kind == RUN_ASYNCIO)
    ok = ls_asyncio_run (loop, ls_value_ref (arg), result);
  else if (kind == RUN_FOREVER)
    {
      ok = ls_loop_run_forever (loop, result);
      if (ok)
        *result = ls_none ();
    }
  else
    ok = ls_loop_run_until_complete (loop, arg, result);
  if (top)
    vm->clock = ls_loop_time (loop);
  if (stopped_run (vm, loop, result))
    ok = FALSE;
  return ok;
}

/* ---- module functions ---------------------------------------------------------------- */

#define MODFN(fn) \
  static gboolean fn (LsValue self, gpointer data, const LsValue *args, guint nargs, \
                      LsValue kwnames, const LsValue *kwvalues, LsValue *result)

/* run(main, *, debug=None) */
MODFN (asyncio_run)
{
  static const LsSig sig = { "run", { "main", "debug" }, 1, 2, 1, FALSE, FALSE };
  ModState *st = state_of (self);
  LsValue a[2] = { ls_none (), ls_none () };
  LsLoop *loop;
  gboolean ok;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (ls_loop_get_running ())
    {
      *result = ls_exc_newf (&ls_exc_RuntimeError,
                             "asyncio.run() cannot be called from a running event loop");
      return FALSE;
    }
  if (!is_coroutine (a[0]))
    {
      char *r = ls_value_repr (a[0]);
      *result = ls_exc_newf (&ls_exc_ValueError, "a coroutine was expected, got %s", r);
      g_free (r);
      return FALSE;
    }
  /* Runner: a new loop, made the current one while it runs. */
  loop = _ls_vm_new_loop (st->vm);
  set_event_loop (st, loop);
  ok = run_loop (st->vm, loop, RUN_ASYNCIO, a[0], result);
  if (!ls_loop_deadlocked (loop) && !ls_loop_limit_hit (loop))
    {
      /* Runner.close(); a stopped run keeps its loop as it was, for the
       * trace and the report. */
      set_event_loop (st, NULL);
      ls_loop_close (loop);
    }
  ls_loop_unref (loop);
  return ok;
}

/* create_task(coro, *, name=None, context=None) */
MODFN (asyncio_create_task)
{
  static const LsSig sig = { "create_task", { "coro", "name", "context" }, 1, 3, 1, FALSE, FALSE };
  LsValue a[3] = { ls_none (), ls_none (), ls_none () };
  LsLoop *loop;
  char *name;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!(loop = ls_loop_get_running ()))
    {
      *result = no_running_loop ();
      return FALSE;
    }
  if (ls_is_coroutine (a[0]) && !is_coroutine (a[0]))
    {
      *result = coroutine_expected (a[0]);
      return FALSE;
    }
  name = name_of (a[1]);
  *result = ls_asyncio_create_task (loop, ls_value_ref (a[0]), name);
  g_free (name);
  return ls_is_task (*result);
}

/* async def sleep(delay, result=None) */
MODFN (asyncio_sleep)
{
  static const LsSig sig = { "sleep", { "delay", "result" }, 2, 2, 1, FALSE, FALSE };
  LsValue a[2] = { ls_none (), ls_none () };
  double delay;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!number_of (a[0], &delay))
    *result = raising_coro ("sleep", ls_exc_newf (&ls_exc_TypeError,
                                                  "'<=' not supported between instances of '%s' and 'int'",
                                                  ls_value_class (a[0])->name));
  else
    *result = ls_sleep (delay, ls_value_ref (a[1]));
  return TRUE;
}

/* gather(*aws, return_exceptions=False) */
MODFN (asyncio_gather)
{
  static const LsSig sig = { "gather", { "return_exceptions" }, 0, 1, 0, TRUE, FALSE };
  LsValue a[1] = { ls_bool (FALSE) };
  LsLoop *loop = NULL;
  gboolean need_loop = nargs == 0;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  /* Futures bring their loop; coroutines (and no argument) need the
   * current one. */
  for (guint i = 0; i < nargs; i++)
    if (!ls_is_future (args[i]))
      need_loop = TRUE;
  if (need_loop && !(loop = get_event_loop (state_of (self), result)))
    return FALSE;
  return ls_gather (loop, nargs, args, ls_value_truthy (a[0]), result);
}

/* async def wait(fs, *, timeout=None, return_when=ALL_COMPLETED): a, b and
 * c are fs, timeout and return_when.  The checks CPython makes in its body
 * come first; ls_wait() does the rest, and its lists become sets. */
static LsCCoroAction
wait_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  CoLocals *l = co->data;
  static const char *const modes[] = { "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED" };
  LsValue err = ls_none (), items[2];
  const char *rw = ls_str_get (l->c);
  gboolean truthy;
  GArray *fs;
  double timeout;
  guint mode;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      if (ls_is_future (l->a) || ls_is_coroutine (l->a))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_TypeError, "expect a list of futures, not %s",
                                                 ls_value_class (l->a)->name));
      if (!ls_op_truthy (l->a, &truthy, &err))
        return ls_ccoro_raise (out, err);
      if (!truthy)
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_ValueError, "Set of Tasks/Futures is empty."));
      for (mode = 0; mode < G_N_ELEMENTS (modes); mode++)
        if (rw && strcmp (rw, modes[mode]) == 0)
          break;
      if (mode == G_N_ELEMENTS (modes))
        {
          char *s = ls_value_str (l->c);
          err = ls_exc_newf (&ls_exc_ValueError, "Invalid return_when value: %s", s);
          g_free (s);
          return ls_ccoro_raise (out, err);
        }
      if (!collect (l->a, &fs, &err))
        return ls_ccoro_raise (out, err);
      if (!timeout_of (l->b, &timeout, &err))
        {
          g_array_free (fs, TRUE);
          return ls_ccoro_raise (out, err);
        }
      *out = ls_wait (fs->len, (const LsValue *) fs->data, timeout, (LsReturnWhen) mode);
      g_array_free (fs, TRUE);
      co->pc = 1;
      return LS_CCORO_AWAIT;

    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      {
        LsTuple *t = (LsTuple *) ls_value_as_object (in);
        items[0] = set_of_list (t->items[0], &err);
        if (ls_is_none (items[0]))
          return ls_ccoro_raise (out, err);
        items[1] = set_of_list (t->items[1], &err);
        if (ls_is_none (items[1]))
          {
            ls_value_unref (items[0]);
            return ls_ccoro_raise (out, err);
          }
      }
      return ls_ccoro_return (out, ls_tuple_new (2, items));

    default:
      g_assert_not_reached ();
    }
}

MODFN (asyncio_wait)
{
  static const LsSig sig = { "wait", { "fs", "timeout", "return_when" }, 1, 3, 1, FALSE, FALSE };
  LsValue a[3] = { ls_none (), ls_none (), ls_none () };
  LsValue all = ls_str_new ("ALL_COMPLETED");

  a[2] = all;
  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    {
      ls_value_unref (all);
      return FALSE;
    }
  *result = co_new ("wait", wait_step, ls_value_ref (a[0]), ls_value_ref (a[1]), ls_value_ref (a[2]));
  ls_value_unref (all);
  return TRUE;
}

/* async def wait_for(fut, timeout) */
MODFN (asyncio_wait_for)
{
  static const LsSig sig = { "wait_for", { "fut", "timeout" }, 2, 2, 2, FALSE, FALSE };
  LsValue a[2] = { ls_none (), ls_none () };
  double timeout;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (ls_is_none (a[1]))
    timeout = LS_NO_TIMEOUT;
  else if (!number_of (a[1], &timeout))
    {
      *result = raising_coro ("wait_for", ls_exc_newf (&ls_exc_TypeError,
                                                       "'<=' not supported between instances of '%s' and 'int'",
                                                       ls_value_class (a[1])->name));
      return TRUE;
    }
  *result = ls_wait_for (a[0], timeout);
  return TRUE;
}

/* as_completed(fs, *, timeout=None): a list of coroutines (a generator
 * of them in CPython, which makes them all on the first next()). */
MODFN (asyncio_as_completed)
{
  static const LsSig sig = { "as_completed", { "fs", "timeout" }, 1, 2, 1, FALSE, FALSE };
  ModState *st = state_of (self);
  LsValue a[2] = { ls_none (), ls_none () };
  LsLoop *loop;
  GArray *fs;
  double timeout;
  gboolean ok;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (ls_is_future (a[0]) || ls_is_coroutine (a[0]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "expect an iterable of futures, not %s",
                             ls_value_class (a[0])->name);
      return FALSE;
    }
  if (!timeout_of (a[1], &timeout, result))
    return FALSE;
  if (!(loop = get_event_loop (st, result)))
    return FALSE;
  if (!collect (a[0], &fs, result))
    return FALSE;
  ok = ls_as_completed (loop, fs->len, (const LsValue *) fs->data, timeout, result);
  g_array_free (fs, TRUE);
  return ok;
}

/* shield(arg) */
MODFN (asyncio_shield)
{
  static const LsSig sig = { "shield", { "arg" }, 1, 1, 1, FALSE, FALSE };
  LsValue a[1] = { ls_none () };
  LsLoop *loop = NULL;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!ls_is_future (a[0]) && !(loop = get_event_loop (state_of (self), result)))
    return FALSE;
  return ls_shield (loop, a[0], result);
}

/* timeout(delay) and timeout_at(when) */
static gboolean
make_timeout (const LsSig *sig, gboolean at, const LsValue *args, guint nargs,
              LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsValue a[1] = { ls_none () };
  double t;

  if (!_ls_bind_args (sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!at && !ls_loop_get_running ())
    {
      *result = no_running_loop ();
      return FALSE;
    }
  if (!timeout_of (a[0], &t, result))
    return FALSE;
  *result = at ? ls_timeout_at_new (NULL, t) : ls_timeout_new (NULL, t);
  return !ls_exc_type (*result);
}

MODFN (asyncio_timeout)
{
  static const LsSig sig = { "timeout", { "delay" }, 1, 1, 1, FALSE, FALSE };
  return make_timeout (&sig, FALSE, args, nargs, kwnames, kwvalues, result);
}

MODFN (asyncio_timeout_at)
{
  static const LsSig sig = { "timeout_at", { "when" }, 1, 1, 1, FALSE, FALSE };
  return make_timeout (&sig, TRUE, args, nargs, kwnames, kwvalues, result);
}

MODFN (asyncio_task_group)
{
  if (!no_args ("TaskGroup.__init__", nargs, kwnames, result))
    return FALSE;
  *result = ls_task_group_new ();
  return TRUE;
}

/* Queue(maxsize=0), LifoQueue, PriorityQueue: data is the kind. */
MODFN (asyncio_queue)
{
  static const LsSig sig = { "Queue.__init__", { "maxsize" }, 1, 1, 0, FALSE, TRUE };
  LsValue a[1] = { ls_int (0) };
  gint64 maxsize;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result)
      || !int_of (a[0], &maxsize, result))
    return FALSE;
  *result = ls_queue_new (maxsize, (LsQueueKind) GPOINTER_TO_INT (data));
  return TRUE;
}

MODFN (asyncio_event)
{
  if (!no_args ("Event.__init__", nargs, kwnames, result))
    return FALSE;
  *result = ls_event_new ();
  return TRUE;
}

MODFN (asyncio_lock)
{
  if (!no_args ("Lock.__init__", nargs, kwnames, result))
    return FALSE;
  *result = ls_lock_new ();
  return TRUE;
}

/* Semaphore(value=1) and BoundedSemaphore(value=1): data says bounded. */
MODFN (asyncio_semaphore)
{
  static const LsSig sig = { "Semaphore.__init__", { "value" }, 1, 1, 0, FALSE, TRUE };
  LsValue a[1] = { ls_int (1) };
  gint64 value;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result)
      || !int_of (a[0], &value, result))
    return FALSE;
  *result = ls_semaphore_new (value, data != NULL);
  return !ls_exc_type (*result);
}

/* Condition(lock=None) */
MODFN (asyncio_condition)
{
  static const LsSig sig = { "Condition.__init__", { "lock" }, 1, 1, 0, FALSE, TRUE };
  LsValue a[1] = { ls_none () };

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  *result = ls_condition_new (ls_value_ref (a[0]));
  return !ls_exc_type (*result);
}

/* current_task(loop=None) and all_tasks(loop=None): data says which. */
MODFN (asyncio_tasks_of_loop)
{
  static const LsSig current = { "current_task", { "loop" }, 1, 1, 0, FALSE, FALSE };
  static const LsSig all = { "all_tasks", { "loop" }, 1, 1, 0, FALSE, FALSE };
  LsValue a[1] = { ls_none () };
  LsLoop *loop;

  if (!_ls_bind_args (data ? &all : &current, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (ls_is_loop (a[0]))
    loop = (LsLoop *) ls_value_as_object (a[0]);
  else if (!(loop = ls_loop_get_running ()))
    {
      *result = no_running_loop ();
      return FALSE;
    }
  if (data)
    {
      LsValue list = ls_loop_all_tasks (loop), err = ls_none ();
      *result = set_of_list (list, &err);
      ls_value_unref (list);
      if (ls_is_none (*result))
        {
          *result = err;
          return FALSE;
        }
      return TRUE;
    }
  *result = ls_loop_current_task (loop) ? ls_value_ref (ls_object (ls_loop_current_task (loop)))
                                        : ls_none ();
  return TRUE;
}

MODFN (asyncio_get_event_loop)
{
  LsLoop *loop;
  if (!no_args_function ("get_event_loop", nargs, kwnames, result))
    return FALSE;
  if (!(loop = get_event_loop (state_of (self), result)))
    return FALSE;
  *result = ls_loop_value (loop);
  return TRUE;
}

MODFN (asyncio_get_running_loop)
{
  LsLoop *loop;
  if (!no_args_function ("get_running_loop", nargs, kwnames, result))
    return FALSE;
  if (!(loop = ls_loop_get_running ()))
    {
      *result = no_running_loop ();
      return FALSE;
    }
  *result = ls_loop_value (loop);
  return TRUE;
}

/* to_thread(func, /, *args, **kwargs): a coroutine that hands the call to
 * the default executor (run_in_executor(None, partial(func, …))) and
 * awaits its future inside the awaiting task, as the Python original. */
typedef struct {
  LsValue func;
  LsValue args;            /* tuple */
  LsValue kwnames;         /* tuple or None */
  LsValue kwvalues;        /* tuple or None */
} ToThread;

static void
to_thread_clear (gpointer data)
{
  ToThread *t = data;
  ls_value_unref (t->func);
  ls_value_unref (t->args);
  ls_value_unref (t->kwnames);
  ls_value_unref (t->kwvalues);
}

static LsCCoroAction
to_thread_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  ToThread *t = co->data;
  LsLoop *loop;
  LsValue job;
  LsTuple *a, *kv;

  if (co->pc == 1)
    return ls_ccoro_pass (in, thrown, out);
  if (thrown)
    return ls_ccoro_raise (out, ls_value_ref (in));
  if (!(loop = ls_loop_get_running ()))
    return ls_ccoro_raise (out, no_running_loop ());
  a = (LsTuple *) ls_value_as_object (t->args);
  kv = ls_is_none (t->kwvalues) ? NULL : (LsTuple *) ls_value_as_object (t->kwvalues);
  job = _ls_vm_job_new (ls_vm_current (), loop, t->func, a->items, a->len, t->kwnames,
                        kv ? kv->items : NULL);
  return ls_ccoro_await (co, 1, out, ls_loop_run_in_executor (loop, ls_none (), job));
}

MODFN (asyncio_to_thread)
{
  LsTuple *kw = ls_is_none (kwnames) ? NULL : (LsTuple *) ls_value_as_object (kwnames);
  ToThread *t;
  LsValue *items;

  if (nargs < 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "to_thread() missing 1 required positional argument: 'func'");
      return FALSE;
    }
  *result = ls_ccoro_new_inline ("to_thread", to_thread_step, sizeof (ToThread), to_thread_clear,
                                 (gpointer *) &t);
  t->func = ls_value_ref (args[0]);
  items = g_newa (LsValue, MAX (nargs, 1));
  for (guint i = 1; i < nargs; i++)
    items[i - 1] = ls_value_ref (args[i]);
  t->args = ls_tuple_new (nargs - 1, items);
  t->kwnames = kw ? ls_value_ref (kwnames) : ls_none ();
  if (kw)
    {
      LsValue *vals = g_new (LsValue, kw->len);
      for (guint i = 0; i < kw->len; i++)
        vals[i] = ls_value_ref (kwvalues[i]);
      t->kwvalues = ls_tuple_new (kw->len, vals);
      g_free (vals);
    }
  else
    t->kwvalues = ls_none ();
  return TRUE;
}

/* wrap_future(future, *, loop=None): an asyncio future is returned as
 * is; a concurrent one gets an asyncio future chained to it
 * (ls-executor.c), on loop or get_event_loop(). */
MODFN (asyncio_wrap_future)
{
  LsValue loop_arg = ls_none ();
  LsLoop *loop;

  if (nargs != 1 || (!ls_is_none (kwnames)
                     && !(((LsTuple *) ls_value_as_object (kwnames))->len == 1
                          && _ls_kwarg (kwnames, kwvalues, "loop", &loop_arg))))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "wrap_future() takes one future and loop= here");
      return FALSE;
    }
  if (ls_is_future (args[0]))
    {
      *result = ls_value_ref (args[0]);
      return TRUE;
    }
  if (!ls_is_conc_future (args[0]))
    {
      char *r = ls_value_repr (args[0]);
      *result = ls_exc_newf (&ls_exc_TypeError, "concurrent.futures.Future is expected, got %s", r);
      g_free (r);
      return FALSE;
    }
  if (ls_is_loop (loop_arg))
    loop = (LsLoop *) ls_value_as_object (loop_arg);
  else
    loop = ls_loop_get_running () ? ls_loop_get_running () : _ls_vm_event_loop (state_of (self)->vm);
  *result = ls_conc_future_wrap ((LsConcFuture *) ls_value_as_object (args[0]), loop);
  return TRUE;
}

MODFN (asyncio_new_event_loop)
{
  if (!no_args_function ("new_event_loop", nargs, kwnames, result))
    return FALSE;
  *result = ls_object (_ls_vm_new_loop (state_of (self)->vm));
  return TRUE;
}

/* set_event_loop(loop) */
MODFN (asyncio_set_event_loop)
{
  static const LsSig sig = { "set_event_loop", { "loop" }, 1, 1, 1, FALSE, FALSE };
  LsValue a[1] = { ls_none () };

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!ls_is_none (a[0]) && !ls_is_loop (a[0]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError,
                             "loop must be an instance of AbstractEventLoop or None, not '%s'",
                             ls_value_class (a[0])->name);
      return FALSE;
    }
  set_event_loop (state_of (self), ls_is_none (a[0]) ? NULL : (LsLoop *) ls_value_as_object (a[0]));
  *result = ls_none ();
  return TRUE;
}

/* ensure_future(coro_or_future, *, loop=None) */
MODFN (asyncio_ensure_future)
{
  static const LsSig sig = { "ensure_future", { "coro_or_future", "loop" }, 1, 2, 1, FALSE, FALSE };
  LsValue a[2] = { ls_none (), ls_none () };
  LsLoop *loop = NULL;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (ls_is_future (a[0]))
    {
      *result = ls_value_ref (a[0]);
      return TRUE;
    }
  if (!is_coroutine (a[0]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "An asyncio.Future, a coroutine or an awaitable "
                             "is required");
      return FALSE;
    }
  if (ls_is_loop (a[1]))
    loop = (LsLoop *) ls_value_as_object (a[1]);
  else if (!(loop = get_event_loop (state_of (self), result)))
    return FALSE;
  sync_loop (loop);
  return ls_ensure_future (loop, ls_value_ref (a[0]), result);
}

/* iscoroutine(obj) and isfuture(obj): data says which. */
MODFN (asyncio_is)
{
  static const LsSig sig = { "iscoroutine", { "obj" }, 1, 1, 1, FALSE, FALSE };
  LsValue a[1] = { ls_none () };

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  *result = ls_bool (data ? ls_is_future (a[0]) : is_coroutine (a[0]));
  return TRUE;
}

/* Future(*, loop=None) */
MODFN (asyncio_future)
{
  static const LsSig sig = { "Future.__init__", { "loop" }, 0, 1, 0, FALSE, TRUE };
  LsValue a[1] = { ls_none () };
  LsLoop *loop;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (ls_is_loop (a[0]))
    loop = (LsLoop *) ls_value_as_object (a[0]);
  else if (!(loop = get_event_loop (state_of (self), result)))
    return FALSE;
  *result = ls_future_new (loop);
  return TRUE;
}

/* ---- futures and tasks --------------------------------------------------------------- */

#define METHOD(fn) MODFN (fn)

static LsFuture *
fut_of (LsValue self)
{
  return ls_future_from (self);
}

static LsTask *
task_of (LsValue self)
{
  return (LsTask *) ls_value_as_object (self);
}

METHOD (future_result)
{
  if (!no_args ("Future.result", nargs, kwnames, result))
    return FALSE;
  return ls_future_result (fut_of (self), result);
}

METHOD (future_exception)
{
  if (!no_args ("Future.exception", nargs, kwnames, result))
    return FALSE;
  return ls_future_exception (fut_of (self), result);
}

METHOD (future_done)
{
  if (!no_args ("Future.done", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (ls_future_done (fut_of (self)));
  return TRUE;
}

METHOD (future_cancelled)
{
  if (!no_args ("Future.cancelled", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (ls_future_cancelled (fut_of (self)));
  return TRUE;
}

/* cancel(msg=None) */
METHOD (future_cancel)
{
  static const LsSig sig = { "Future.cancel", { "msg" }, 1, 1, 0, FALSE, TRUE };
  LsValue a[1] = { ls_none () };

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  *result = ls_bool (ls_future_cancel (fut_of (self), a[0]));
  return TRUE;
}

/* add_done_callback(fn, *, context=None) */
METHOD (future_add_done_callback)
{
  static const LsSig sig = { "Future.add_done_callback", { "fn", "context" }, 1, 2, 1, FALSE, TRUE };
  LsValue a[2] = { ls_none (), ls_none () };

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  ls_future_add_done_callback (fut_of (self), ls_callback_value (ls_value_ref (a[0])));
  *result = ls_none ();
  return TRUE;
}

/* remove_done_callback(fn) */
METHOD (future_remove_done_callback)
{
  static const LsSig sig = { "Future.remove_done_callback", { "fn" }, 1, 1, 1, FALSE, TRUE };
  LsValue a[1] = { ls_none () };
  LsCallback cb;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  cb = ls_callback_value (a[0]);
  *result = ls_int (ls_future_remove_done_callback (fut_of (self), &cb));
  return TRUE;
}

METHOD (future_get_loop)
{
  if (!no_args ("Future.get_loop", nargs, kwnames, result))
    return FALSE;
  *result = ls_loop_value (fut_of (self)->loop);
  return TRUE;
}

/* set_result(result) and set_exception(exception): data says which. */
METHOD (future_set)
{
  static const LsSig set_result = { "Future.set_result", { "result" }, 1, 1, 1, FALSE, TRUE };
  static const LsSig set_exception = { "Future.set_exception", { "exception" }, 1, 1, 1, FALSE, TRUE };
  LsValue a[1] = { ls_none () };
  gboolean ok;

  if (!_ls_bind_args (data ? &set_exception : &set_result, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  *result = ls_none ();
  ok = data ? ls_future_set_exception (fut_of (self), ls_value_ref (a[0]), result)
            : ls_future_set_result (fut_of (self), ls_value_ref (a[0]), result);
  if (ok)
    *result = ls_none ();
  return ok;
}

METHOD (task_get_name)
{
  if (!no_args ("Task.get_name", nargs, kwnames, result))
    return FALSE;
  *result = ls_str_take (ls_task_get_name (task_of (self)));
  return TRUE;
}

/* set_name(value) */
METHOD (task_set_name)
{
  static const LsSig sig = { "Task.set_name", { "value" }, 1, 1, 1, FALSE, TRUE };
  LsValue a[1] = { ls_none () };
  char *name;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  name = ls_value_str (a[0]);
  ls_task_set_name (task_of (self), name);
  g_free (name);
  *result = ls_none ();
  return TRUE;
}

METHOD (task_cancelling)
{
  if (!no_args ("Task.cancelling", nargs, kwnames, result))
    return FALSE;
  *result = ls_int (ls_task_cancelling (task_of (self)));
  return TRUE;
}

METHOD (task_uncancel)
{
  if (!no_args ("Task.uncancel", nargs, kwnames, result))
    return FALSE;
  *result = ls_int (ls_task_uncancel (task_of (self)));
  return TRUE;
}

METHOD (task_get_coro)
{
  if (!no_args ("Task.get_coro", nargs, kwnames, result))
    return FALSE;
  *result = ls_value_ref (task_of (self)->coro);
  return TRUE;
}

/* ---- loops ------------------------------------------------------------------------------- */

static LsLoop *
loop_of (LsValue self)
{
  return (LsLoop *) ls_value_as_object (self);
}

/* BaseEventLoop._check_closed */
static gboolean
check_closed (LsLoop *loop, LsValue *error)
{
  if (!loop->closed)
    return TRUE;
  *error = ls_exc_newf (&ls_exc_RuntimeError, "Event loop is closed");
  return FALSE;
}

METHOD (loop_time)
{
  LsVm *vm = ls_vm_current ();
  if (!no_args ("BaseEventLoop.time", nargs, kwnames, result))
    return FALSE;
  *result = ls_float (vm ? _ls_vm_now (vm) : ls_loop_time (loop_of (self)));
  return TRUE;
}

/* create_task(coro, *, name=None, context=None) */
METHOD (loop_create_task)
{
  static const LsSig sig = { "BaseEventLoop.create_task", { "coro", "name", "context" },
                           1, 3, 1, FALSE, TRUE };
  LsValue a[3] = { ls_none (), ls_none (), ls_none () };
  LsLoop *loop = loop_of (self);
  char *name;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result) || !check_closed (loop, result))
    return FALSE;
  if (!is_coroutine (a[0]))
    {
      *result = coroutine_expected (a[0]);
      return FALSE;
    }
  sync_loop (loop);
  name = name_of (a[1]);
  *result = ls_task_new (loop, ls_value_ref (a[0]), name);
  g_free (name);
  return ls_is_task (*result);
}

METHOD (loop_create_future)
{
  if (!no_args ("BaseEventLoop.create_future", nargs, kwnames, result))
    return FALSE;
  *result = ls_future_new (loop_of (self));
  return TRUE;
}

/* call_soon(callback, *args, context=None), call_soon_threadsafe (data
 * non-NULL), call_later(delay, callback, *args, context=None) and
 * call_at(when, callback, *args, context=None): the first one or two
 * parameters are named, the rest are the callback's arguments. */
typedef enum { CALL_SOON, CALL_SOON_THREADSAFE, CALL_LATER, CALL_AT } CallKind;

static gboolean
loop_call (CallKind kind, LsValue self, const LsValue *args, guint nargs,
           LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  static const LsSig sigs[] = {
    { "BaseEventLoop.call_soon", { "callback", "context" }, 1, 2, 1, TRUE, TRUE },
    { "BaseEventLoop.call_soon_threadsafe", { "callback", "context" }, 1, 2, 1, TRUE, TRUE },
    { "BaseEventLoop.call_later", { "delay", "callback", "context" }, 2, 3, 2, TRUE, TRUE },
    { "BaseEventLoop.call_at", { "when", "callback", "context" }, 2, 3, 2, TRUE, TRUE },
  };
  const LsSig *sig = &sigs[kind];
  LsValue a[3] = { ls_none (), ls_none (), ls_none () }, *cb_args;
  LsLoop *loop = loop_of (self);
  guint first = sig->npos, ncb = nargs > first ? nargs - first : 0;
  LsCallback cb;
  LsHandle *h;
  double t = 0;

  if (!_ls_bind_args (sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (kind == CALL_LATER && !number_of (a[0], &t))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "unsupported operand type(s) for +: 'float' and '%s'",
                             ls_value_class (a[0])->name);
      return FALSE;
    }
  if (kind == CALL_AT && ls_is_none (a[0]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "when cannot be None");
      return FALSE;
    }
  if (kind == CALL_AT && !number_of (a[0], &t))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "'<' not supported between instances of '%s' and 'float'",
                             ls_value_class (a[0])->name);
      return FALSE;
    }
  if (!check_closed (loop, result))
    return FALSE;
  sync_loop (loop);
  cb_args = g_newa (LsValue, MAX (ncb, 1));
  for (guint i = 0; i < ncb; i++)
    cb_args[i] = ls_value_ref (args[first + i]);
  cb = ls_callback_value (ls_value_ref (kind == CALL_SOON || kind == CALL_SOON_THREADSAFE
                                        ? a[0] : a[1]));
  switch (kind)
    {
    case CALL_SOON: h = ls_loop_call_soon (loop, cb, ncb, cb_args); break;
    case CALL_SOON_THREADSAFE: h = ls_loop_call_soon_threadsafe (loop, cb, ncb, cb_args); break;
    case CALL_LATER: h = ls_loop_call_later (loop, t, cb, ncb, cb_args); break;
    default: h = ls_loop_call_at (loop, t, cb, ncb, cb_args); break;
    }
  *result = ls_object (h);
  return TRUE;
}

METHOD (loop_call_soon)
{
  return loop_call (CALL_SOON, self, args, nargs, kwnames, kwvalues, result);
}

METHOD (loop_call_soon_threadsafe)
{
  return loop_call (CALL_SOON_THREADSAFE, self, args, nargs, kwnames, kwvalues, result);
}

METHOD (loop_call_later)
{
  return loop_call (CALL_LATER, self, args, nargs, kwnames, kwvalues, result);
}

METHOD (loop_call_at)
{
  return loop_call (CALL_AT, self, args, nargs, kwnames, kwvalues, result);
}

/* run_until_complete(future) */
METHOD (loop_run_until_complete)
{
  static const LsSig sig = { "BaseEventLoop.run_until_complete", { "future" }, 1, 1, 1, FALSE, TRUE };
  LsValue a[1] = { ls_none () };
  LsVm *vm = ls_vm_current ();

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (ls_is_coroutine (a[0]) && !is_coroutine (a[0]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "An asyncio.Future, a coroutine or an awaitable "
                             "is required");
      return FALSE;
    }
  if (!vm)
    return ls_loop_run_until_complete (loop_of (self), a[0], result);
  return run_loop (vm, loop_of (self), RUN_UNTIL_COMPLETE, a[0], result);
}

METHOD (loop_run_forever)
{
  LsVm *vm = ls_vm_current ();
  gboolean ok;

  if (!no_args ("BaseEventLoop.run_forever", nargs, kwnames, result))
    return FALSE;
  if (vm)
    return run_loop (vm, loop_of (self), RUN_FOREVER, ls_none (), result);
  ok = ls_loop_run_forever (loop_of (self), result);
  if (ok)
    *result = ls_none ();
  return ok;
}

METHOD (loop_stop)
{
  if (!no_args ("BaseEventLoop.stop", nargs, kwnames, result))
    return FALSE;
  ls_loop_stop (loop_of (self));
  *result = ls_none ();
  return TRUE;
}

METHOD (loop_close)
{
  LsLoop *loop = loop_of (self);
  if (!no_args ("BaseEventLoop.close", nargs, kwnames, result))
    return FALSE;
  if (ls_loop_is_running (loop))
    {
      *result = ls_exc_newf (&ls_exc_RuntimeError, "Cannot close a running event loop");
      return FALSE;
    }
  ls_loop_close (loop);
  *result = ls_none ();
  return TRUE;
}

METHOD (loop_is_running)
{
  if (!no_args ("BaseEventLoop.is_running", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (ls_loop_is_running (loop_of (self)));
  return TRUE;
}

METHOD (loop_is_closed)
{
  if (!no_args ("BaseEventLoop.is_closed", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (loop_of (self)->closed);
  return TRUE;
}

/* run_in_executor(executor, func, *args): executor None is the loop's
 * default one.  The function runs as a job of the VM on a worker thread;
 * an error CPython's executor.submit() raises at once (after shutdown, a
 * closed loop) is raised here too, not left in the future. */
METHOD (loop_run_in_executor)
{
  static const LsSig sig = { "BaseEventLoop.run_in_executor", { "executor", "func" }, 2, 2, 2, TRUE, TRUE };
  LsValue a[2] = { ls_none (), ls_none () }, executor = ls_none (), job, err;
  LsLoop *loop = loop_of (self);
  LsFuture *fut;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!check_closed (loop, result))
    return FALSE;
  if (!ls_is_none (a[0]) && !_ls_concurrent_executor_for (a[0], loop, &executor))
    {
      *result = executor;
      return FALSE;
    }
  executor = ls_is_none (a[0]) ? ls_none () : executor;
  sync_loop (loop);
  job = _ls_vm_job_new (ls_vm_current (), loop, a[1], args + 2, nargs - 2, ls_none (), NULL);
  *result = ls_loop_run_in_executor (loop, executor, job);
  fut = ls_future_from (*result);
  if (ls_future_done (fut) && !ls_future_cancelled (fut))
    {
      if (!ls_future_result (fut, &err))
        {
          ls_value_unref (*result);
          *result = err;
          return FALSE;
        }
      ls_value_unref (err);
    }
  return TRUE;
}

/* ---- handles --------------------------------------------------------------------------------- */

METHOD (handle_cancel)
{
  if (!no_args ("Handle.cancel", nargs, kwnames, result))
    return FALSE;
  ls_handle_cancel ((LsHandle *) ls_value_as_object (self));
  *result = ls_none ();
  return TRUE;
}

METHOD (handle_cancelled)
{
  if (!no_args ("Handle.cancelled", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (ls_handle_cancelled ((LsHandle *) ls_value_as_object (self)));
  return TRUE;
}

METHOD (handle_when)
{
  if (!no_args ("TimerHandle.when", nargs, kwnames, result))
    return FALSE;
  *result = ls_float (((LsHandle *) ls_value_as_object (self))->when);
  return TRUE;
}

/* ---- locks ------------------------------------------------------------------------------------- */

/* The three kinds with acquire() and release(): Lock, Semaphore (and
 * BoundedSemaphore) and Condition. */
static LsValue
acquire_of (LsValue obj)
{
  if (ls_value_is (obj, &ls_lock_class))
    return ls_lock_acquire (obj);
  if (ls_value_is (obj, &ls_semaphore_class))
    return ls_semaphore_acquire (obj);
  return ls_condition_acquire (obj);
}

static gboolean
release_of (LsValue obj, LsValue *error)
{
  if (ls_value_is (obj, &ls_lock_class))
    return ls_lock_release (obj, error);
  if (ls_value_is (obj, &ls_semaphore_class))
    return ls_semaphore_release (obj, error);
  return ls_condition_release (obj, error);
}

static gboolean
locked_of (LsValue obj)
{
  if (ls_value_is (obj, &ls_lock_class))
    return ls_lock_locked (obj);
  if (ls_value_is (obj, &ls_semaphore_class))
    return ls_semaphore_locked (obj);
  return ls_condition_locked (obj);
}

METHOD (lock_acquire)
{
  if (!no_args ("Lock.acquire", nargs, kwnames, result))
    return FALSE;
  *result = acquire_of (self);
  return TRUE;
}

METHOD (lock_release)
{
  if (!no_args ("Lock.release", nargs, kwnames, result))
    return FALSE;
  *result = ls_none ();
  if (!release_of (self, result))
    return FALSE;
  *result = ls_none ();
  return TRUE;
}

METHOD (lock_locked)
{
  if (!no_args ("Lock.locked", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (locked_of (self));
  return TRUE;
}

/* _ContextManagerMixin.__aenter__: `await self.acquire(); return None` */
static LsCCoroAction
lock_aenter_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  CoLocals *l = co->data;
  if (co->pc == 0)
    {
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 1, out, acquire_of (l->a));
    }
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  return ls_ccoro_return (out, ls_none ());
}

/* _ContextManagerMixin.__aexit__: `self.release()` */
static LsCCoroAction
lock_aexit_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  CoLocals *l = co->data;
  LsValue err = ls_none ();
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (!release_of (l->a, &err))
    return ls_ccoro_raise (out, err);
  return ls_ccoro_return (out, ls_none ());
}

METHOD (lock_aenter)
{
  if (!no_args ("_ContextManagerMixin.__aenter__", nargs, kwnames, result))
    return FALSE;
  *result = co_new ("_ContextManagerMixin.__aenter__", lock_aenter_step, ls_value_ref (self),
                    ls_none (), ls_none ());
  return TRUE;
}

/* __aexit__(exc_type, exc, tb): also TaskGroup's and Timeout's, which
 * need the exception (data says which). */
typedef enum { AEXIT_LOCK, AEXIT_TIMEOUT, AEXIT_TASK_GROUP } AexitKind;

static gboolean
aexit (AexitKind kind, LsValue self, const LsValue *args, guint nargs,
       LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  static const LsSig sig = { "__aexit__", { "exc_type", "exc", "tb" }, 3, 3, 3, FALSE, TRUE };
  LsValue a[3] = { ls_none (), ls_none (), ls_none () };

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  switch (kind)
    {
    case AEXIT_LOCK:
      *result = co_new ("_ContextManagerMixin.__aexit__", lock_aexit_step, ls_value_ref (self),
                        ls_none (), ls_none ());
      break;
    case AEXIT_TIMEOUT:
      *result = ls_timeout_aexit (self, a[1]);
      break;
    default:
      *result = ls_task_group_aexit (self, a[1]);
      break;
    }
  return TRUE;
}

METHOD (lock_aexit)
{
  return aexit (AEXIT_LOCK, self, args, nargs, kwnames, kwvalues, result);
}

METHOD (event_wait)
{
  if (!no_args ("Event.wait", nargs, kwnames, result))
    return FALSE;
  *result = ls_event_wait (self);
  return TRUE;
}

METHOD (event_set)
{
  if (!no_args ("Event.set", nargs, kwnames, result))
    return FALSE;
  ls_event_set (self);
  *result = ls_none ();
  return TRUE;
}

METHOD (event_clear)
{
  if (!no_args ("Event.clear", nargs, kwnames, result))
    return FALSE;
  ls_event_clear (self);
  *result = ls_none ();
  return TRUE;
}

METHOD (event_is_set)
{
  if (!no_args ("Event.is_set", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (ls_event_is_set (self));
  return TRUE;
}

METHOD (condition_wait)
{
  if (!no_args ("Condition.wait", nargs, kwnames, result))
    return FALSE;
  *result = ls_condition_wait (self);
  return TRUE;
}

/* wait_for(predicate) */
METHOD (condition_wait_for)
{
  static const LsSig sig = { "Condition.wait_for", { "predicate" }, 1, 1, 1, FALSE, TRUE };
  LsValue a[1] = { ls_none () };

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  *result = ls_condition_wait_for (self, a[0]);
  return TRUE;
}

/* notify(n=1) */
METHOD (condition_notify)
{
  static const LsSig sig = { "Condition.notify", { "n" }, 1, 1, 0, FALSE, TRUE };
  LsValue a[1] = { ls_int (1) };
  gint64 n;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result) || !int_of (a[0], &n, result))
    return FALSE;
  *result = ls_none ();
  if (!ls_condition_notify (self, n, result))
    return FALSE;
  *result = ls_none ();
  return TRUE;
}

METHOD (condition_notify_all)
{
  if (!no_args ("Condition.notify_all", nargs, kwnames, result))
    return FALSE;
  *result = ls_none ();
  if (!ls_condition_notify_all (self, result))
    return FALSE;
  *result = ls_none ();
  return TRUE;
}

/* ---- queues -------------------------------------------------------------------------------------- */

/* put(item) and put_nowait(item): data says nowait. */
METHOD (queue_put)
{
  static const LsSig put = { "Queue.put", { "item" }, 1, 1, 1, FALSE, TRUE };
  static const LsSig put_nowait = { "Queue.put_nowait", { "item" }, 1, 1, 1, FALSE, TRUE };
  LsValue a[1] = { ls_none () };

  if (!_ls_bind_args (data ? &put_nowait : &put, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!data)
    {
      *result = ls_queue_put (self, a[0]);
      return TRUE;
    }
  *result = ls_none ();
  if (!ls_queue_put_nowait (self, a[0], result))
    return FALSE;
  *result = ls_none ();
  return TRUE;
}

METHOD (queue_get)
{
  if (!no_args ("Queue.get", nargs, kwnames, result))
    return FALSE;
  *result = ls_queue_get (self);
  return TRUE;
}

/* The shortcuts of `await q.put(item)` and `await q.get()` (LsAwaitNowFn). */
static gboolean
queue_put_now (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  if (nargs != 1 || !ls_queue_put_now (self, args[0]))
    return FALSE;
  *result = ls_none ();
  return TRUE;
}

static gboolean
queue_get_now (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  return nargs == 0 && ls_queue_get_now (self, result);
}

LsAwaitNowFn
_ls_asyncio_await_now (LsBuiltinKwFn kwfn, gpointer data)
{
  if (kwfn == queue_put && !data)
    return queue_put_now;
  if (kwfn == queue_get)
    return queue_get_now;
  return NULL;
}

METHOD (queue_get_nowait)
{
  if (!no_args ("Queue.get_nowait", nargs, kwnames, result))
    return FALSE;
  return ls_queue_get_nowait (self, result);
}

METHOD (queue_join)
{
  if (!no_args ("Queue.join", nargs, kwnames, result))
    return FALSE;
  *result = ls_queue_join (self);
  return TRUE;
}

METHOD (queue_task_done)
{
  if (!no_args ("Queue.task_done", nargs, kwnames, result))
    return FALSE;
  *result = ls_none ();
  if (!ls_queue_task_done (self, result))
    return FALSE;
  *result = ls_none ();
  return TRUE;
}

METHOD (queue_qsize)
{
  if (!no_args ("Queue.qsize", nargs, kwnames, result))
    return FALSE;
  *result = ls_int (ls_queue_qsize (self));
  return TRUE;
}

METHOD (queue_empty)
{
  if (!no_args ("Queue.empty", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (ls_queue_empty (self));
  return TRUE;
}

METHOD (queue_full)
{
  if (!no_args ("Queue.full", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (ls_queue_full (self));
  return TRUE;
}

/* ---- timeouts and task groups ------------------------------------------------------------------- */

METHOD (timeout_when)
{
  double when = ls_timeout_when (self);
  if (!no_args ("Timeout.when", nargs, kwnames, result))
    return FALSE;
  *result = ls_timeout_is_none (when) ? ls_none () : ls_float (when);
  return TRUE;
}

/* reschedule(when) */
METHOD (timeout_reschedule)
{
  static const LsSig sig = { "Timeout.reschedule", { "when" }, 1, 1, 1, FALSE, TRUE };
  LsValue a[1] = { ls_none () };
  double when;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result)
      || !timeout_of (a[0], &when, result))
    return FALSE;
  *result = ls_none ();
  if (!ls_timeout_reschedule (self, when, result))
    return FALSE;
  *result = ls_none ();
  return TRUE;
}

METHOD (timeout_expired)
{
  if (!no_args ("Timeout.expired", nargs, kwnames, result))
    return FALSE;
  *result = ls_bool (ls_timeout_expired (self));
  return TRUE;
}

METHOD (timeout_aenter)
{
  if (!no_args ("Timeout.__aenter__", nargs, kwnames, result))
    return FALSE;
  *result = ls_timeout_aenter (self);
  return TRUE;
}

METHOD (timeout_aexit)
{
  return aexit (AEXIT_TIMEOUT, self, args, nargs, kwnames, kwvalues, result);
}

/* create_task(coro, *, name=None, context=None) */
METHOD (task_group_create_task)
{
  static const LsSig sig = { "TaskGroup.create_task", { "coro", "name", "context" }, 1, 3, 1, FALSE, TRUE };
  LsValue a[3] = { ls_none (), ls_none (), ls_none () };
  char *name;
  gboolean ok;

  if (!_ls_bind_args (&sig, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (ls_is_coroutine (a[0]) && !is_coroutine (a[0]))
    {
      *result = coroutine_expected (a[0]);
      return FALSE;
    }
  name = name_of (a[1]);
  ok = ls_task_group_create_task (self, ls_value_ref (a[0]), name, result);
  g_free (name);
  return ok;
}

METHOD (task_group_aenter)
{
  if (!no_args ("TaskGroup.__aenter__", nargs, kwnames, result))
    return FALSE;
  *result = ls_task_group_aenter (self);
  return TRUE;
}

METHOD (task_group_aexit)
{
  return aexit (AEXIT_TASK_GROUP, self, args, nargs, kwnames, kwvalues, result);
}

/* ---- attributes ----------------------------------------------------------------------------------- */

typedef struct {
  const char *name;
  LsBuiltinKwFn fn;
  gpointer data;
} Method;

static const Method future_methods[] = {
  { "result", future_result, NULL },
  { "exception", future_exception, NULL },
  { "done", future_done, NULL },
  { "cancelled", future_cancelled, NULL },
  { "cancel", future_cancel, NULL },
  { "add_done_callback", future_add_done_callback, NULL },
  { "remove_done_callback", future_remove_done_callback, NULL },
  { "get_loop", future_get_loop, NULL },
  { "set_result", future_set, NULL },
  { "set_exception", future_set, GINT_TO_POINTER (1) },
  { NULL, NULL, NULL }
};

static const Method task_methods[] = {
  { "get_name", task_get_name, NULL },
  { "set_name", task_set_name, NULL },
  { "cancelling", task_cancelling, NULL },
  { "uncancel", task_uncancel, NULL },
  { "get_coro", task_get_coro, NULL },
  { NULL, NULL, NULL }
};

static const Method loop_methods[] = {
  { "time", loop_time, NULL },
  { "create_task", loop_create_task, NULL },
  { "create_future", loop_create_future, NULL },
  { "call_soon", loop_call_soon, NULL },
  { "call_soon_threadsafe", loop_call_soon_threadsafe, NULL },
  { "call_later", loop_call_later, NULL },
  { "call_at", loop_call_at, NULL },
  { "run_until_complete", loop_run_until_complete, NULL },
  { "run_forever", loop_run_forever, NULL },
  { "stop", loop_stop, NULL },
  { "close", loop_close, NULL },
  { "is_running", loop_is_running, NULL },
  { "is_closed", loop_is_closed, NULL },
  { "run_in_executor", loop_run_in_executor, NULL },
  { NULL, NULL, NULL }
};

static const Method handle_methods[] = {
  { "cancel", handle_cancel, NULL },
  { "cancelled", handle_cancelled, NULL },
  { NULL, NULL, NULL }
};

static const Method timer_handle_methods[] = {
  { "when", handle_when, NULL },
  { NULL, NULL, NULL }
};

/* Lock, Semaphore, BoundedSemaphore and Condition */
static const Method lock_methods[] = {
  { "acquire", lock_acquire, NULL },
  { "release", lock_release, NULL },
  { "locked", lock_locked, NULL },
  { "__aenter__", lock_aenter, NULL },
  { "__aexit__", lock_aexit, NULL },
  { NULL, NULL, NULL }
};

static const Method condition_methods[] = {
  { "wait", condition_wait, NULL },
  { "wait_for", condition_wait_for, NULL },
  { "notify", condition_notify, NULL },
  { "notify_all", condition_notify_all, NULL },
  { NULL, NULL, NULL }
};

static const Method event_methods[] = {
  { "wait", event_wait, NULL },
  { "set", event_set, NULL },
  { "clear", event_clear, NULL },
  { "is_set", event_is_set, NULL },
  { NULL, NULL, NULL }
};

static const Method queue_methods[] = {
  { "put", queue_put, NULL },
  { "put_nowait", queue_put, GINT_TO_POINTER (1) },
  { "get", queue_get, NULL },
  { "get_nowait", queue_get_nowait, NULL },
  { "join", queue_join, NULL },
  { "task_done", queue_task_done, NULL },
  { "qsize", queue_qsize, NULL },
  { "empty", queue_empty, NULL },
  { "full", queue_full, NULL },
  { NULL, NULL, NULL }
};

static const Method timeout_methods[] = {
  { "when", timeout_when, NULL },
  { "reschedule", timeout_reschedule, NULL },
  { "expired", timeout_expired, NULL },
  { "__aenter__", timeout_aenter, NULL },
  { "__aexit__", timeout_aexit, NULL },
  { NULL, NULL, NULL }
};

static const Method task_group_methods[] = {
  { "create_task", task_group_create_task, NULL },
  { "__aenter__", task_group_aenter, NULL },
  { "__aexit__", task_group_aexit, NULL },
  { NULL, NULL, NULL }
};


/* A direct-mapped cache of (class, attribute name) -> method: a queue's
 * put and get are looked up a million times in a busy program.  Names
 * come from code objects, whose strings do not move while the program
 * runs, so the name's address finds the entry fast (and the name itself
 * is compared, in case an address was reused); a miss only costs the full
 * lookup.  The engine runs on one thread. */
typedef struct {
  const LsClass *cls;
  const char *name;
  const Method *method;
} MethodCacheEntry;

static MethodCacheEntry method_cache[256];

static inline MethodCacheEntry *
method_cache_slot (const LsClass *cls, const char *name)
{
  guintptr h = ((guintptr) cls >> 4) ^ ((guintptr) name >> 3);
  return &method_cache[(h ^ (h >> 8)) & 255];
}

static const Method *
find_method_entry (const Method *table, const char *name)
{
  for (; table->name; table++)
    if (strcmp (table->name, name) == 0)
      return table;
  return NULL;
}

int
_ls_asyncio_getattr (LsValue obj, const char *name, LsValue *out)
{
  const Method *tables[3] = { NULL, NULL, NULL };
  MethodCacheEntry *slot;

  /* Every attribute access of the program comes here first: the
   * language's own types (str, list, dict, functions…) have type slots,
   * the scheduler's objects have none, which settles most calls at once. */
  if (!ls_is_object (obj) || ls_value_as_object (obj)->cls->ops)
    return 0;
  slot = method_cache_slot (ls_value_as_object (obj)->cls, name);
  if (slot->cls == ls_value_as_object (obj)->cls && slot->name == name
      && strcmp (slot->method->name, name) == 0)
    {
      const Method *m = slot->method;
      *out = ls_builtin_new_kw (m->name, m->fn, ls_value_ref (obj), m->data, NULL);
      return 1;
    }
  if (ls_is_future (obj))
    {
      tables[0] = future_methods;
      if (ls_is_task (obj))
        tables[1] = task_methods;
    }
  else if (ls_is_loop (obj))
    tables[0] = loop_methods;
  else if (ls_value_is (obj, &ls_handle_class))
    {
      tables[0] = handle_methods;
      if (ls_value_is (obj, &ls_timer_handle_class))
        tables[1] = timer_handle_methods;
    }
  else if (ls_value_is (obj, &ls_lock_class) || ls_value_is (obj, &ls_semaphore_class))
    tables[0] = lock_methods;
  else if (ls_value_is (obj, &ls_condition_class))
    {
      tables[0] = lock_methods;
      tables[1] = condition_methods;
    }
  else if (ls_value_is (obj, &ls_event_class))
    tables[0] = event_methods;
  else if (ls_value_is (obj, &ls_queue_class))
    {
      if (strcmp (name, "maxsize") == 0)
        {
          *out = ls_int (ls_queue_maxsize (obj));
          return 1;
        }
      tables[0] = queue_methods;
    }
  else if (ls_value_is (obj, &ls_timeout_class))
    tables[0] = timeout_methods;
  else if (ls_value_is (obj, &ls_task_group_class))
    tables[0] = task_group_methods;
  else
    return 0;

  for (guint i = 0; tables[i]; i++)
    {
      const Method *m = find_method_entry (tables[i], name);
      if (m)
        {
          slot->cls = ls_value_as_object (obj)->cls;
          slot->name = name;
          slot->method = m;
          *out = ls_builtin_new_kw (m->name, m->fn, ls_value_ref (obj), m->data, NULL);
          return 1;
        }
    }
  *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'",
                      ls_value_class (obj)->name, name);
  return -1;
}

/* ---- the module ------------------------------------------------------------------------------------- */

static void
add (LsValue m, LsValue state, const char *name, LsBuiltinKwFn fn, gpointer data)
{
  _ls_module_add (m, name, ls_builtin_new_kw (name, fn, ls_value_ref (state), data, NULL));
}

LsValue
_ls_mod_asyncio_new (LsVm *vm)
{
  static LsExcType *const types[] = {
    &ls_exc_CancelledError, &ls_exc_TimeoutError, &ls_exc_InvalidStateError,
    &ls_exc_QueueEmpty, &ls_exc_QueueFull,
  };
  LsValue m = _ls_module_new ("asyncio");
  ModState *st = ls_object_alloc (&mod_state_class, sizeof (ModState));
  LsValue state = ls_object (st);

  st->vm = vm;
  add (m, state, "run", asyncio_run, NULL);
  add (m, state, "create_task", asyncio_create_task, NULL);
  add (m, state, "sleep", asyncio_sleep, NULL);
  add (m, state, "gather", asyncio_gather, NULL);
  add (m, state, "wait", asyncio_wait, NULL);
  add (m, state, "wait_for", asyncio_wait_for, NULL);
  add (m, state, "as_completed", asyncio_as_completed, NULL);
  add (m, state, "shield", asyncio_shield, NULL);
  add (m, state, "timeout", asyncio_timeout, NULL);
  add (m, state, "timeout_at", asyncio_timeout_at, NULL);
  add (m, state, "TaskGroup", asyncio_task_group, NULL);
  add (m, state, "Queue", asyncio_queue, GINT_TO_POINTER (LS_QUEUE_FIFO));
  add (m, state, "LifoQueue", asyncio_queue, GINT_TO_POINTER (LS_QUEUE_LIFO));
  add (m, state, "PriorityQueue", asyncio_queue, GINT_TO_POINTER (LS_QUEUE_PRIORITY));
  add (m, state, "Event", asyncio_event, NULL);
  add (m, state, "Lock", asyncio_lock, NULL);
  add (m, state, "Semaphore", asyncio_semaphore, NULL);
  add (m, state, "BoundedSemaphore", asyncio_semaphore, GINT_TO_POINTER (1));
  add (m, state, "Condition", asyncio_condition, NULL);
  add (m, state, "current_task", asyncio_tasks_of_loop, NULL);
  add (m, state, "all_tasks", asyncio_tasks_of_loop, GINT_TO_POINTER (1));
  add (m, state, "get_event_loop", asyncio_get_event_loop, NULL);
  add (m, state, "get_running_loop", asyncio_get_running_loop, NULL);
  add (m, state, "new_event_loop", asyncio_new_event_loop, NULL);
  add (m, state, "set_event_loop", asyncio_set_event_loop, NULL);
  add (m, state, "ensure_future", asyncio_ensure_future, NULL);
  add (m, state, "iscoroutine", asyncio_is, NULL);
  add (m, state, "isfuture", asyncio_is, GINT_TO_POINTER (1));
  add (m, state, "Future", asyncio_future, NULL);
  add (m, state, "to_thread", asyncio_to_thread, NULL);
  add (m, state, "wrap_future", asyncio_wrap_future, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    _ls_module_add (m, types[i]->name, ls_object ((LsObject *) types[i]));
  _ls_module_add (m, "FIRST_COMPLETED", ls_str_new ("FIRST_COMPLETED"));
  _ls_module_add (m, "FIRST_EXCEPTION", ls_str_new ("FIRST_EXCEPTION"));
  _ls_module_add (m, "ALL_COMPLETED", ls_str_new ("ALL_COMPLETED"));
  ls_value_unref (state);
  return m;
}
