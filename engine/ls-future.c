/* ls-future.c - asyncio.Future (futures.py), on the virtual loop.
 *
 * Done callbacks are scheduled with call_soon in registration order when
 * the future finishes, each receiving the future; a callback added to a
 * done future is scheduled at once.  Most futures get exactly one callback
 * (the task waiting on them), so the first is kept inline.
 */
#include "ls-sched-private.h"

#include <string.h>

/* ---- what is kept aside ------------------------------------------------ */

static LsFutureExtra *
future_extra (LsFuture *fut)
{
  if (!fut->extra)
    {
      fut->extra = ls_pool_alloc (sizeof (LsFutureExtra));
      memset (fut->extra, 0, sizeof (LsFutureExtra));
    }
  return fut->extra;
}

void
_ls_future_set_cancel_message (LsFuture *fut, LsValue msg)
{
  if (ls_is_none (msg) && !fut->extra)
    return;
  ls_value_set (&future_extra (fut)->cancel_message, msg);
}

void
_ls_future_set_cancelled_exc (LsFuture *fut, LsValue exc)
{
  ls_value_set (&future_extra (fut)->cancelled_exc, exc);
}

LsValue
ls_future_peek_result (LsFuture *fut)
{
  return fut->state == LS_FUTURE_FINISHED && !fut->failed ? fut->outcome : ls_none ();
}

LsValue
ls_future_peek_exception (LsFuture *fut)
{
  return fut->failed ? fut->outcome : ls_none ();
}

LsValue
ls_future_peek_cancel_message (LsFuture *fut)
{
  return fut->extra ? fut->extra->cancel_message : ls_none ();
}

/* ---- callbacks list ------------------------------------------------------- */

static LsCallback *
callback_at (LsFuture *fut, guint i)
{
  return i == 0 ? &fut->cb0 : &g_array_index (fut->extra->more_cbs, LsCallback, i - 1);
}

void
_ls_future_clear_callbacks (LsFuture *fut)
{
  for (guint i = 0; i < fut->ncbs; i++)
    ls_value_unref (callback_at (fut, i)->target);
  fut->cb0.method = NULL;
  fut->cb0.target = ls_none ();
  if (fut->extra && fut->extra->more_cbs)
    g_array_set_size (fut->extra->more_cbs, 0);
  fut->ncbs = 0;
}

/* Future.__schedule_callbacks */
static void
future_schedule_callbacks (LsFuture *fut)
{
  guint n = fut->ncbs;
  LsCallback *cbs;

  if (n == 0)
    return;
  /* Copy first: a callback list is emptied before any of them runs. */
  cbs = g_newa (LsCallback, n);
  for (guint i = 0; i < n; i++)
    cbs[i] = *callback_at (fut, i);
  fut->cb0.method = NULL;
  fut->cb0.target = ls_none ();
  if (fut->extra && fut->extra->more_cbs)
    g_array_set_size (fut->extra->more_cbs, 0);
  fut->ncbs = 0;
  for (guint i = 0; i < n; i++)
    {
      LsValue arg = ls_value_ref (ls_object (fut));
      ls_object_unref (ls_loop_call_soon (fut->loop, cbs[i], 1, &arg));
    }
}

/* ---- the class ----------------------------------------------------------- */

char *
ls_future_state_name (LsFuture *fut)
{
  switch (fut->state)
    {
    case LS_FUTURE_PENDING: return g_strdup ("pending");
    case LS_FUTURE_CANCELLED: return g_strdup ("cancelled");
    case LS_FUTURE_FINISHED: return g_strdup ("finished");
    default: g_assert_not_reached ();
    }
}

/* Future.__del__: an exception nobody retrieved is reported once, with
 * the future as it is (a task's finalizer calls this before it takes its
 * fields apart). */
void
_ls_future_report_unretrieved (LsFuture *fut)
{
  gboolean task = ls_is_task (ls_object (fut));
  char *exc, *msg;

  if (!fut->log_traceback || fut->loop->closed)
    return;
  fut->log_traceback = FALSE;
  exc = ls_value_repr (fut->outcome);
  msg = g_strdup_printf ("%s exception was never retrieved: %s", task ? "Task" : "Future", exc);
  {
    LsEvent ev = {
      .kind = LS_EVENT_WARNING, .future = fut->id, .reason = LS_REASON_EXCEPTION,
      .detail = msg, .extra = "exception-never-retrieved",
    };
    _ls_loop_emit_event (fut->loop, &ev);
  }
  if (fut->loop->exception_handler)
    fut->loop->exception_handler (fut->loop, task ? "Task exception was never retrieved"
                                                  : "Future exception was never retrieved",
                                  "future", ls_object (fut), fut->outcome,
                                  fut->loop->exception_handler_data);
  g_free (msg);
  g_free (exc);
}

void
ls_future_finalize (LsObject *self)
{
  LsFuture *fut = (LsFuture *) self;

  _ls_future_report_unretrieved (fut);
  _ls_future_clear_callbacks (fut);
  if (fut->extra)
    {
      if (fut->extra->more_cbs)
        g_array_free (fut->extra->more_cbs, TRUE);
      ls_value_unref (fut->extra->cancel_message);
      ls_value_unref (fut->extra->cancelled_exc);
      ls_pool_free (fut->extra, sizeof (LsFutureExtra));
    }
  ls_value_unref (fut->outcome);
  ls_loop_unref (fut->loop);
}

/* base_futures._future_repr_info, the state and result part. */
static void
append_repr_info (GString *out, LsFuture *fut)
{
  if (fut->state == LS_FUTURE_FINISHED)
    {
      char *r = ls_value_repr (fut->outcome);
      g_string_append_printf (out, " %s=%s", fut->failed ? "exception" : "result", r);
      g_free (r);
    }
  if (fut->ncbs)
    {
      char *first = ls_callback_name (callback_at (fut, 0));
      g_string_append_printf (out, " cb=[%s()", first);
      if (fut->ncbs == 2)
        {
          char *second = ls_callback_name (callback_at (fut, 1));
          g_string_append_printf (out, ", %s()", second);
          g_free (second);
        }
      else if (fut->ncbs > 2)
        {
          char *last = ls_callback_name (callback_at (fut, fut->ncbs - 1));
          g_string_append_printf (out, ", <%u more>, %s()", fut->ncbs - 2, last);
          g_free (last);
        }
      g_string_append (out, "]");
      g_free (first);
    }
}

char *
_ls_future_repr (LsObject *self)
{
  LsFuture *fut = (LsFuture *) self;
  char *state = ls_future_state_name (fut);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "<%s %s", self->cls->name, state);
  append_repr_info (out, fut);
  g_string_append_c (out, '>');
  g_free (state);
  return g_string_free (out, FALSE);
}

const LsFutureClass ls_future_class = {
  {
    .name = "Future",
    .finalize = ls_future_finalize,
    .repr = _ls_future_repr,
    .size = sizeof (LsFuture),
  },
  .cancel = ls_future_cancel_base,
};

gboolean
ls_is_future (LsValue v)
{
  return ls_value_is (v, &ls_future_class.base);
}

void
ls_future_init (LsFuture *fut, LsLoop *loop, const char *label)
{
  fut->loop = ls_loop_ref (loop);
  fut->state = LS_FUTURE_PENDING;
  fut->id = _ls_loop_next_id (loop);
  fut->label = label;
}

LsValue
ls_future_new_labeled (LsLoop *loop, const char *label)
{
  LsFuture *fut = ls_object_alloc (&ls_future_class.base, sizeof (LsFuture));
  ls_future_init (fut, loop, label);
  if (_ls_loop_observed (loop))
    _ls_loop_emit (loop, LS_EVENT_FUTURE_CREATED, _ls_loop_current_task_id (loop),
                   fut->id, 0, LS_REASON_NONE, 0, 0, label);
  return ls_object (fut);
}

/* loop.create_future() */
LsValue
ls_future_new (LsLoop *loop)
{
  return ls_future_new_labeled (loop, "future");
}


/* Future._make_cancelled_error */
LsValue
ls_future_make_cancelled_error (LsFuture *fut)
{
  LsValue exc;

  if (fut->extra && !ls_is_none (fut->extra->cancelled_exc))
    return ls_value_steal (&fut->extra->cancelled_exc);
  if (ls_is_none (ls_future_peek_cancel_message (fut)))
    exc = ls_exc_new (&ls_exc_CancelledError, 0, NULL);
  else
    {
      LsValue msg = ls_value_ref (fut->extra->cancel_message);
      exc = ls_exc_new (&ls_exc_CancelledError, 1, &msg);
    }
  return exc;
}

/* Future.result; the messages are those of the C Future (_asynciomodule.c),
 * which is what loop.create_future() returns and what Task derives from. */
gboolean
ls_future_result (LsFuture *fut, LsValue *out)
{
  if (fut->state == LS_FUTURE_CANCELLED)
    {
      *out = ls_future_make_cancelled_error (fut);
      return FALSE;
    }
  if (fut->state != LS_FUTURE_FINISHED)
    {
      *out = ls_exc_newf (&ls_exc_InvalidStateError, "Result is not set.");
      return FALSE;
    }
  fut->log_traceback = FALSE;
  *out = ls_value_ref (fut->outcome);
  return !fut->failed;
}

/* Future.exception */
gboolean
ls_future_exception (LsFuture *fut, LsValue *out)
{
  if (fut->state == LS_FUTURE_CANCELLED)
    {
      *out = ls_future_make_cancelled_error (fut);
      return FALSE;
    }
  if (fut->state != LS_FUTURE_FINISHED)
    {
      *out = ls_exc_newf (&ls_exc_InvalidStateError, "Exception is not set.");
      return FALSE;
    }
  fut->log_traceback = FALSE;
  *out = ls_value_ref (ls_future_peek_exception (fut));
  return TRUE;
}

/* The C Future says just this (futures.py would add the state and repr). */
static LsValue
invalid_state (LsFuture *fut)
{
  return ls_exc_newf (&ls_exc_InvalidStateError, "invalid state");
}

static void
emit_done (LsFuture *fut, LsReason reason)
{
  if (_ls_loop_observed (fut->loop))
    _ls_loop_emit (fut->loop, LS_EVENT_FUTURE_DONE, _ls_loop_current_task_id (fut->loop),
                   fut->id, 0, reason, 0, 0, fut->label);
}

/* The common end of set_result and set_exception: the future must be
 * pending.  Takes result and exc; exactly one of them is meaningful. */
void
_ls_future_finish (LsFuture *fut, LsValue result, LsValue exc)
{
  gboolean failed = !ls_is_none (exc);

  ls_value_set (&fut->outcome, failed ? exc : result);
  fut->failed = failed;
  fut->state = LS_FUTURE_FINISHED;
  emit_done (fut, failed ? LS_REASON_EXCEPTION : LS_REASON_RESULT);
  future_schedule_callbacks (fut);
  fut->log_traceback = failed;
}

static gboolean
check_settable (LsFuture *fut, const char *what, LsValue *error)
{
  if (ls_is_task (ls_object (fut)))
    {
      *error = ls_exc_newf (&ls_exc_RuntimeError, "Task does not support %s operation", what);
      return FALSE;
    }
  if (fut->state != LS_FUTURE_PENDING)
    {
      *error = invalid_state (fut);
      return FALSE;
    }
  return TRUE;
}

/* Future.set_result */
gboolean
ls_future_set_result (LsFuture *fut, LsValue value, LsValue *error)
{
  if (!check_settable (fut, "set_result", error))
    {
      ls_value_unref (value);
      return FALSE;
    }
  _ls_future_finish (fut, value, ls_none ());
  return TRUE;
}

/* Future.set_exception */
gboolean
ls_future_set_exception (LsFuture *fut, LsValue exc, LsValue *error)
{
  if (!check_settable (fut, "set_exception", error))
    {
      ls_value_unref (exc);
      return FALSE;
    }
  if (ls_value_is (exc, &ls_exc_type_class))
    {
      /* An exception class is instantiated: set_exception(ValueError). */
      LsValue inst = ls_exc_new ((const LsExcType *) ls_value_object (exc), 0, NULL);
      ls_value_unref (exc);
      exc = inst;
    }
  if (!ls_exc_type (exc))
    {
      ls_value_unref (exc);
      *error = ls_exc_newf (&ls_exc_TypeError, "invalid exception object");
      return FALSE;
    }
  if (ls_exc_type (exc) == &ls_exc_StopIteration)
    {
      ls_value_unref (exc);
      *error = ls_exc_newf (&ls_exc_TypeError, "StopIteration interacts badly with "
                            "generators and cannot be raised into a Future");
      return FALSE;
    }
  _ls_future_finish (fut, ls_none (), exc);
  return TRUE;
}

/* Future.cancel */
gboolean
ls_future_cancel_base (LsFuture *fut, LsValue msg)
{
  fut->log_traceback = FALSE;
  if (fut->state != LS_FUTURE_PENDING)
    return FALSE;
  fut->state = LS_FUTURE_CANCELLED;
  _ls_future_set_cancel_message (fut, ls_value_ref (msg));
  emit_done (fut, LS_REASON_CANCELLED);
  future_schedule_callbacks (fut);
  return TRUE;
}

gboolean
ls_future_cancel (LsFuture *fut, LsValue msg)
{
  const LsFutureClass *cls = (const LsFutureClass *) fut->base.cls;
  if (_ls_loop_observed (fut->loop) && fut->state == LS_FUTURE_PENDING)
    {
      guint64 by = _ls_loop_current_task_id (fut->loop);
      /* Asked by no task: by the callback running (a timeout's timer). */
      _ls_loop_emit (fut->loop, LS_EVENT_CANCEL_REQUESTED, by, fut->id,
                     by ? 0 : fut->loop->running_handle, LS_REASON_NONE, 0, 0, ls_str_get (msg));
    }
  return cls->cancel (fut, msg);
}

/* Future.add_done_callback */
void
ls_future_add_done_callback (LsFuture *fut, LsCallback cb)
{
  if (fut->state != LS_FUTURE_PENDING)
    {
      LsValue arg = ls_value_ref (ls_object (fut));
      ls_object_unref (ls_loop_call_soon (fut->loop, cb, 1, &arg));
      return;
    }
  if (fut->ncbs == 0)
    fut->cb0 = cb;
  else
    {
      LsFutureExtra *x = future_extra (fut);
      if (!x->more_cbs)
        x->more_cbs = g_array_new (FALSE, FALSE, sizeof (LsCallback));
      g_array_append_val (x->more_cbs, cb);
    }
  fut->ncbs++;
}

/* Future.remove_done_callback */
guint
ls_future_remove_done_callback (LsFuture *fut, const LsCallback *cb)
{
  guint n = fut->ncbs, kept = 0, removed;
  LsCallback *all = g_newa (LsCallback, n ? n : 1);

  for (guint i = 0; i < n; i++)
    all[i] = *callback_at (fut, i);
  fut->ncbs = 0;
  if (fut->extra && fut->extra->more_cbs)
    g_array_set_size (fut->extra->more_cbs, 0);
  fut->cb0.method = NULL;
  fut->cb0.target = ls_none ();
  for (guint i = 0; i < n; i++)
    {
      if (ls_callback_equal (&all[i], cb))
        ls_value_unref (all[i].target);
      else
        {
          ls_future_add_done_callback (fut, all[i]);
          kept++;
        }
    }
  removed = n - kept;
  return removed;
}

/* futures._set_result_unless_cancelled(fut, result) */
static gboolean
set_result_unless_cancelled (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  LsFuture *fut = ls_future_from (args[0]);
  *result = ls_none ();
  if (ls_future_cancelled (fut))
    return TRUE;
  return ls_future_set_result (fut, ls_value_ref (args[1]), result);
}

const LsMethod ls_future_set_result_unless_cancelled_method = {
  "_set_result_unless_cancelled", set_result_unless_cancelled
};
