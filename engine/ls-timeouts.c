/* ls-timeouts.c - asyncio.timeout() and timeout_at() (timeouts.py).
 *
 * A Timeout is an async context manager that, when its deadline passes,
 * cancels the task that entered it and, on the way out, turns that one
 * cancellation into TimeoutError.  It tells its own cancellation apart from
 * any other by the task's cancel-request count: 3.12 compares the count
 * after uncancel() with the count at entry, and so do we, so that nested
 * timeouts and cancel() from outside behave exactly as in CPython.
 *
 * `async def __aenter__/__aexit__` are C coroutines that never yield, like
 * the Python originals; awaiting them takes no loop iteration.
 */
#include "ls-asyncio.h"
#include "ls-sched-private.h"

#include <math.h>

/* timeouts._State; the strings are the enum values repr() shows. */
typedef enum {
  TIMEOUT_CREATED,
  TIMEOUT_ENTERED,
  TIMEOUT_EXPIRING,
  TIMEOUT_EXPIRED,
  TIMEOUT_EXITED,
} TimeoutState;

static const char *const state_values[] = {
  "created", "active", "expiring", "expired", "finished",
};

struct _LsTimeout {
  LsObject base;
  TimeoutState state;
  LsHandle *timeout_handler;   /* owned, or NULL */
  LsTask *task;                /* owned while entered, else NULL */
  double when;
  gboolean when_none;          /* the deadline is None */
  guint cancelling;            /* task.cancelling() at __aenter__ */
};

static void
timeout_finalize (LsObject *self)
{
  LsTimeout *t = (LsTimeout *) self;
  if (t->timeout_handler)
    ls_object_unref (t->timeout_handler);
  if (t->task)
    ls_object_unref (t->task);
}

/* Python's round(x, 3) then repr: printf's %.3f rounds the exact binary
 * value correctly, as round() does, and reading it back gives the float
 * round() returns. */
static void
round3_repr (double x, char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
  char tmp[64];
  if (!isfinite (x))
    {
      ls_float_repr (x, buf);
      return;
    }
  g_snprintf (tmp, sizeof tmp, "%.3f", x);
  ls_float_repr (g_ascii_strtod (tmp, NULL), buf);
}

/* Timeout.__repr__ */
static char *
timeout_repr (LsObject *self)
{
  LsTimeout *t = (LsTimeout *) self;
  char when[G_ASCII_DTOSTR_BUF_SIZE];

  if (t->state != TIMEOUT_ENTERED)
    return g_strdup_printf ("<Timeout [%s]>", state_values[t->state]);
  if (t->when_none)
    g_strlcpy (when, "None", sizeof when);
  else
    round3_repr (t->when, when);
  return g_strdup_printf ("<Timeout [%s] when=%s>", state_values[t->state], when);
}

const LsClass ls_timeout_class = {
  .name = "Timeout",
  .finalize = timeout_finalize,
  .repr = timeout_repr,
  .size = sizeof (LsTimeout),
};

static LsTimeout *
timeout_from (LsValue cm)
{
  return ls_value_is (cm, &ls_timeout_class) ? (LsTimeout *) ls_value_as_object (cm) : NULL;
}

/* Timeout.__init__(when) */
static LsValue
timeout_alloc (double when)
{
  LsTimeout *t = ls_object_alloc (&ls_timeout_class, sizeof (LsTimeout));
  t->state = TIMEOUT_CREATED;
  t->when_none = ls_timeout_is_none (when);
  t->when = t->when_none ? 0 : when;
  return ls_object (t);
}

/* timeouts.timeout(delay) */
LsValue
ls_timeout_new (LsLoop *loop, double delay)
{
  /* loop = events.get_running_loop() */
  if (!loop)
    loop = ls_loop_get_running ();
  if (!loop)
    return ls_exc_newf (&ls_exc_RuntimeError, "no running event loop");
  return timeout_alloc (ls_timeout_is_none (delay) ? LS_NO_TIMEOUT
                                                   : ls_loop_time (loop) + delay);
}

/* timeouts.timeout_at(when) */
LsValue
ls_timeout_at_new (LsLoop *loop, double when)
{
  return timeout_alloc (when);
}

/* Timeout.when() */
double
ls_timeout_when (LsValue cm)
{
  LsTimeout *t = timeout_from (cm);
  if (!t || t->when_none)
    return LS_NO_TIMEOUT;
  return t->when;
}

/* Timeout.expired() */
gboolean
ls_timeout_expired (LsValue cm)
{
  LsTimeout *t = timeout_from (cm);
  return t && (t->state == TIMEOUT_EXPIRING || t->state == TIMEOUT_EXPIRED);
}

/* Timeout._on_timeout */
static gboolean
timeout_on_timeout (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  LsTimeout *t = (LsTimeout *) ls_value_as_object (self);

  if (t->state != TIMEOUT_ENTERED || !t->task)
    {
      /* assert self._state is _State.ENTERED */
      *result = ls_exc_newf (&ls_exc_RuntimeError, "Timeout._on_timeout in state %s",
                             state_values[t->state]);
      return FALSE;
    }
  ls_task_cancel (t->task, ls_none ());
  t->state = TIMEOUT_EXPIRING;
  /* drop the reference early; it also breaks the cycle handle -> self */
  g_clear_pointer (&t->timeout_handler, ls_object_unref);
  *result = ls_none ();
  return TRUE;
}

static const LsMethod timeout_on_timeout_method = { "Timeout._on_timeout", timeout_on_timeout };

/* Timeout.reschedule(when) */
gboolean
ls_timeout_reschedule (LsValue cm, double when, LsValue *error)
{
  LsTimeout *t = timeout_from (cm);
  LsLoop *loop;
  LsCallback cb;

  if (!t)
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "reschedule() needs a Timeout");
      return FALSE;
    }
  if (t->state != TIMEOUT_ENTERED)
    {
      if (t->state == TIMEOUT_CREATED)
        *error = ls_exc_newf (&ls_exc_RuntimeError, "Timeout has not been entered");
      else
        *error = ls_exc_newf (&ls_exc_RuntimeError, "Cannot change state of %s Timeout",
                              state_values[t->state]);
      return FALSE;
    }

  t->when_none = ls_timeout_is_none (when);
  t->when = t->when_none ? 0 : when;

  if (t->timeout_handler)
    {
      ls_handle_cancel (t->timeout_handler);
      /* Python keeps the cancelled handle until replaced; dropping it now
       * is the same, since a cancelled handle holds nothing. */
      g_clear_pointer (&t->timeout_handler, ls_object_unref);
    }

  if (t->when_none)
    return TRUE;

  loop = ls_loop_get_running ();
  if (!loop)
    {
      *error = ls_exc_newf (&ls_exc_RuntimeError, "no running event loop");
      return FALSE;
    }
  cb = ls_callback_method (&timeout_on_timeout_method, ls_value_ref (cm));
  if (when <= ls_loop_time (loop))
    t->timeout_handler = ls_loop_call_soon (loop, cb, 0, NULL);
  else
    t->timeout_handler = ls_loop_call_at (loop, when, cb, 0, NULL);
  return TRUE;
}

/* ---- async def __aenter__ ------------------------------------------------- */

static void
value_box_free (gpointer p)
{
  ls_value_unref (*(LsValue *) p);
  g_free (p);
}

/* Timeout.__aenter__ */
static LsCCoroAction
timeout_aenter_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue cm = *(LsValue *) co->data;
  LsTimeout *t = timeout_from (cm);
  LsLoop *loop;
  LsTask *task;
  LsValue err;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (!t)
    return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_TypeError,
                                             "__aenter__() needs a Timeout"));
  if (t->state != TIMEOUT_CREATED)
    return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError,
                                             "Timeout has already been entered"));
  /* task = tasks.current_task() */
  loop = ls_loop_get_running ();
  if (!loop)
    return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no running event loop"));
  task = ls_loop_current_task (loop);
  if (!task)
    return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError,
                                             "Timeout should be used inside a task"));
  t->state = TIMEOUT_ENTERED;
  t->task = ls_object_ref (task);
  t->cancelling = ls_task_cancelling (task);
  if (!ls_timeout_reschedule (cm, t->when_none ? LS_NO_TIMEOUT : t->when, &err))
    return ls_ccoro_raise (out, err);
  return ls_ccoro_return (out, ls_value_ref (cm));
}

LsValue
ls_timeout_aenter (LsValue cm)
{
  LsValue *box = g_new (LsValue, 1);
  *box = ls_value_ref (cm);
  return ls_ccoro_new ("Timeout.__aenter__", timeout_aenter_step, box, value_box_free);
}

/* ---- async def __aexit__ --------------------------------------------------- */

typedef struct {
  LsValue cm;
  LsValue exc;     /* exc_val: the exception leaving the block, or None */
} AexitState;

static void
aexit_state_free (gpointer p)
{
  AexitState *s = p;
  ls_value_unref (s->cm);
  ls_value_unref (s->exc);
  g_free (s);
}

/* Timeout.__aexit__(exc_type, exc_val, exc_tb) */
static LsCCoroAction
timeout_aexit_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  AexitState *s = co->data;
  LsTimeout *t = timeout_from (s->cm);
  LsTask *task;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (!t)
    return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_TypeError, "__aexit__() needs a Timeout"));
  /* assert self._state in (_State.ENTERED, _State.EXPIRING) */
  if (t->state != TIMEOUT_ENTERED && t->state != TIMEOUT_EXPIRING)
    return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError,
                                             "Timeout.__aexit__ in state %s",
                                             state_values[t->state]));

  if (t->timeout_handler)
    {
      ls_handle_cancel (t->timeout_handler);
      g_clear_pointer (&t->timeout_handler, ls_object_unref);
    }

  /* Nothing reads _task once the block is left (reschedule refuses, the
   * handler is gone), so drop it here: the task's coroutine usually holds
   * this Timeout, and keeping the task would make a cycle. */
  task = t->task;
  t->task = NULL;

  if (t->state == TIMEOUT_EXPIRING)
    {
      t->state = TIMEOUT_EXPIRED;
      /* exc_type is exceptions.CancelledError: the exact type */
      if (task && ls_task_uncancel (task) <= t->cancelling
          && ls_exc_type (s->exc) == &ls_exc_CancelledError)
        {
          /* Since there are no new cancel requests, we're handling this:
           * raise TimeoutError from exc_val (raised while exc_val is being
           * handled, so it is the context too). */
          LsValue exc = ls_exc_new (&ls_exc_TimeoutError, 0, NULL);
          LsException *e = ls_value_object (exc);
          ls_value_set (&e->cause, ls_value_ref (s->exc));
          ls_value_set (&e->context, ls_value_ref (s->exc));
          e->suppress_context = TRUE;
          g_clear_pointer (&task, ls_object_unref);
          return ls_ccoro_raise (out, exc);
        }
    }
  else if (t->state == TIMEOUT_ENTERED)
    t->state = TIMEOUT_EXITED;

  g_clear_pointer (&task, ls_object_unref);
  return ls_ccoro_return (out, ls_none ());
}

LsValue
ls_timeout_aexit (LsValue cm, LsValue exc)
{
  AexitState *s = g_new0 (AexitState, 1);
  s->cm = ls_value_ref (cm);
  s->exc = ls_value_ref (exc);
  return ls_ccoro_new ("Timeout.__aexit__", timeout_aexit_step, s, aexit_state_free);
}
