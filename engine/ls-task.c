/* ls-task.c - asyncio.Task (tasks.py): a coroutine driven by the loop.
 *
 * A step resumes the coroutine once, with None or with an exception, and
 * looks at what came back: a pending future to wait on (the task's
 * __wakeup is added to its callbacks), None for a bare yield (step again on
 * the next iteration), a return value or an exception (the task is done).
 * Cancellation is a request: cancel() cancels the future the task waits on,
 * or sets _must_cancel so the next step throws CancelledError in.
 */
#include "ls-sched-private.h"

#include <string.h>

/* Longest result repr or exception line a finished task reports, in bytes. */
#define LS_OUTCOME_TEXT_MAX 240

/* tasks._task_name_counter: one counter for the whole run, as in CPython,
 * where it is process-wide. */
static guint64 task_name_counter;

void
ls_task_reset_name_counter (void)
{
  task_name_counter = 0;
}

static void task_step (LsTask *task, LsValue exc);

static gboolean
task_step_cb (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  task_step ((LsTask *) ls_value_as_object (self), nargs ? args[0] : ls_none ());
  *result = ls_none ();
  return TRUE;
}

/* Task.__wakeup(future) */
static gboolean
task_wakeup_cb (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  LsValue value;

  if (ls_future_result (ls_future_from (args[0]), &value))
    {
      ls_value_unref (value);
      task_step ((LsTask *) ls_value_as_object (self), ls_none ());
    }
  else
    {
      task_step ((LsTask *) ls_value_as_object (self), value);
      ls_value_unref (value);
    }
  *result = ls_none ();
  return TRUE;
}

static const LsMethod task_step_method = { "Task.__step", task_step_cb };
static const LsMethod task_wakeup_method = { "Task.task_wakeup", task_wakeup_cb };

static void
schedule_step (LsTask *task, LsValue exc_taken)
{
  LsCallback cb = ls_callback_method (&task_step_method, ls_value_ref (ls_object (task)));
  LsHandle *h = ls_is_none (exc_taken)
    ? ls_loop_call_soon (task->fut.loop, cb, 0, NULL)
    : ls_loop_call_soon (task->fut.loop, cb, 1, &exc_taken);
  ls_object_unref (h);
}

/* ---- the class ----------------------------------------------------------- */

static void
task_finalize (LsObject *self)
{
  LsTask *task = (LsTask *) self;
  _ls_future_report_unretrieved (&task->fut);
  ls_value_unref (task->coro);
  ls_object_unref (task->fut_waiter);
  g_free (task->name);
  ls_future_finalize (self);
}

char *
ls_task_get_name (LsTask *task)
{
  if (task->name)
    return g_strdup (task->name);
  return g_strdup_printf ("Task-%" G_GUINT64_FORMAT, task->number);
}

void
ls_task_set_name (LsTask *task, const char *name)
{
  g_free (task->name);
  task->name = g_strdup (name);
  _ls_loop_emit (task->fut.loop, LS_EVENT_TASK_RENAMED, task->fut.id, 0, 0, LS_REASON_NONE,
                 0, 0, name);
}

/* base_tasks._task_repr */
static char *
task_repr (LsObject *self)
{
  LsTask *task = (LsTask *) self;
  GString *out = g_string_new ("<Task ");
  char *name = ls_task_get_name (task);
  LsValue name_str = ls_str_new (name);
  char *qname = ls_value_repr (name_str);   /* name=%r */
  LsFuture *fut = &task->fut;

  ls_value_unref (name_str);

  if (task->num_cancels_requested && !ls_future_done (fut))
    g_string_append (out, "cancelling");
  else
    {
      char *state = ls_future_state_name (fut);
      g_string_append (out, state);
      g_free (state);
    }
  g_string_append_printf (out, " name=%s", qname);
  if (!ls_is_none (task->coro))
    {
      char *coro = ls_coro_describe (task->coro);
      g_string_append_printf (out, " coro=<%s>", coro);
      g_free (coro);
    }
  if (task->fut_waiter)
    {
      char *w = ls_value_repr (ls_object (task->fut_waiter));
      g_string_append_printf (out, " wait_for=%s", w);
      g_free (w);
    }
  if (fut->state == LS_FUTURE_FINISHED)
    {
      char *r = ls_value_repr (fut->outcome);
      g_string_append_printf (out, " %s=%s", fut->failed ? "exception" : "result", r);
      g_free (r);
    }
  g_string_append_c (out, '>');
  g_free (qname);
  g_free (name);
  return g_string_free (out, FALSE);
}

/* Task.cancel(msg) */
static gboolean
task_cancel (LsFuture *fut, LsValue msg)
{
  LsTask *task = (LsTask *) fut;

  fut->log_traceback = FALSE;
  if (ls_future_done (fut))
    return FALSE;
  task->num_cancels_requested++;
  if (task->fut_waiter)
    {
      /* Leave fut_waiter: it may be a task that ignores the cancellation,
       * to be cancelled again later. */
      if (ls_future_cancel (task->fut_waiter, msg))
        return TRUE;
    }
  task->must_cancel = TRUE;
  _ls_future_set_cancel_message (fut, ls_value_ref (msg));
  return TRUE;
}

const LsFutureClass ls_task_class = {
  {
    .name = "Task",
    .base = &ls_future_class.base,
    .finalize = task_finalize,
    .repr = task_repr,
    .size = sizeof (LsTask),
  },
  .cancel = task_cancel,
};

gboolean
ls_is_task (LsValue v)
{
  return ls_value_is (v, &ls_task_class.base);
}

/* Task.__init__ */
LsValue
ls_task_new (LsLoop *loop, LsValue coro, const char *name)
{
  LsTask *task;

  if (!ls_is_coroutine (coro))
    {
      /* Task.__init__: TypeError, returned as the value (see ls-sched.h). */
      char *r = ls_value_repr (coro);
      LsValue exc = ls_exc_newf (&ls_exc_TypeError, "a coroutine was expected, got %s", r);
      g_free (r);
      ls_value_unref (coro);
      return exc;
    }
  task = ls_object_alloc (&ls_task_class.base, sizeof (LsTask));
  ls_future_init (&task->fut, loop, "task");
  if (name)
    task->name = g_strdup (name);
  else
    task->number = ++task_name_counter;
  task->coro = coro;

  if (_ls_loop_observed (loop))
    {
      char *tname = ls_task_get_name (task);
      char *desc = ls_coro_describe (coro);
      LsEvent ev = {
        .kind = LS_EVENT_TASK_CREATED, .task = task->fut.id, .other = _ls_loop_current_task_id (loop),
        .line = ls_coro_line (coro), .detail = tname, .extra = desc,
      };
      _ls_loop_emit_event (loop, &ev);
      g_free (desc);
      g_free (tname);
    }
  schedule_step (task, ls_none ());
  _ls_loop_register_task (loop, task);
  return ls_object (task);
}

gboolean
ls_ensure_future (LsLoop *loop, LsValue awaitable, LsValue *out)
{
  if (ls_is_future (awaitable))
    {
      *out = awaitable;
      return TRUE;
    }
  if (ls_is_coroutine (awaitable))
    {
      *out = ls_task_new (loop, awaitable, NULL);
      return TRUE;
    }
  *out = ls_exc_newf (&ls_exc_TypeError, "An asyncio.Future, a coroutine or an awaitable "
                      "is required");
  ls_value_unref (awaitable);
  return FALSE;
}

/* tasks.create_task */
LsValue
ls_asyncio_create_task (LsLoop *loop, LsValue coro, const char *name)
{
  LsValue task = ls_task_new (loop, coro, NULL);
  if (name && ls_is_task (task))
    ls_task_set_name ((LsTask *) ls_value_as_object (task), name);
  return task;
}

gboolean
ls_task_cancel (LsTask *task, LsValue msg)
{
  return ls_future_cancel (&task->fut, msg);
}

guint
ls_task_cancelling (LsTask *task)
{
  return task->num_cancels_requested;
}

/* Task.uncancel (3.12: only the counter) */
guint
ls_task_uncancel (LsTask *task)
{
  if (task->num_cancels_requested > 0)
    task->num_cancels_requested--;
  return task->num_cancels_requested;
}

/* ---- stepping ----------------------------------------------------------------- */

static void
task_finished (LsTask *task, LsReason reason)
{
  LsLoop *loop = task->fut.loop;
  if (_ls_loop_observed (loop))
    {
      LsValue exc = ls_future_peek_exception (&task->fut);
      const LsExcType *t = ls_exc_type (exc);
      char *outcome = NULL;
      LsEvent ev = {
        .kind = LS_EVENT_STEP_END, .task = task->fut.id, .reason = reason,
        .line = ls_coro_line (task->coro), .detail = t ? t->name : NULL,
      };
      /* extra: what the task ended with, as a trace reader shows it. */
      if (reason == LS_REASON_RESULT)
        outcome = ls_value_repr (ls_future_peek_result (&task->fut));
      else if (t)
        outcome = ls_exc_format (exc);
      if (outcome && strlen (outcome) > LS_OUTCOME_TEXT_MAX)
        strcpy (g_utf8_find_prev_char (outcome, outcome + LS_OUTCOME_TEXT_MAX - 3) , "...");
      ev.extra = outcome;
      _ls_loop_emit_event (loop, &ev);
      g_free (outcome);
    }
  _ls_loop_unregister_task (loop, task);
}

static LsValue
bad_yield_error (LsTask *task, const char *fmt, LsValue result)
{
  char *t = ls_value_repr (ls_object (task));
  char *r = ls_value_repr (result);
  LsValue exc = fmt ? ls_exc_newf (&ls_exc_RuntimeError, fmt, t, r)
                    : ls_exc_newf (&ls_exc_RuntimeError, "Task got bad yield: %s", r);
  g_free (r);
  g_free (t);
  return exc;
}

/* Task.__step_run_and_handle_result; takes exc. */
static void
task_step_run_and_handle_result (LsTask *task, LsValue exc)
{
  LsLoop *loop = task->fut.loop;
  LsValue result, err;
  LsCoroStatus status;

  status = ls_coro_resume (task->coro, ls_none (), exc, &result);
  ls_value_unref (exc);
  loop->steps++;

  switch (status)
    {
    case LS_CORO_RETURN:
      if (task->must_cancel)
        {
          /* Task is cancelled right before coro stops. */
          task->must_cancel = FALSE;
          ls_value_unref (result);
          ls_future_cancel_base (&task->fut, ls_future_peek_cancel_message (&task->fut));
          task_finished (task, LS_REASON_CANCELLED);
        }
      else
        {
          _ls_future_finish (&task->fut, result, ls_none ());
          task_finished (task, LS_REASON_RESULT);
        }
      return;

    case LS_CORO_RAISE:
      if (ls_exc_matches (result, &ls_exc_CancelledError))
        {
          /* Save the original exception so we can chain it later. */
          _ls_future_set_cancelled_exc (&task->fut, result);
          ls_future_cancel_base (&task->fut, ls_none ());
          task_finished (task, LS_REASON_CANCELLED);
        }
      else
        {
          _ls_future_finish (&task->fut, ls_none (), result);
          task_finished (task, LS_REASON_EXCEPTION);
        }
      return;

    case LS_CORO_YIELD:
      break;
    }

  if (ls_is_future (result))
    {
      LsFuture *fut = ls_future_from (result);
      if (fut->loop != loop)
        {
          err = bad_yield_error (task, "Task %s got Future %s attached to a different loop", result);
          schedule_step (task, err);
          if (_ls_loop_observed (loop))
            _ls_loop_emit (loop, LS_EVENT_STEP_END, task->fut.id, fut->id, 0,
                           LS_REASON_RESCHEDULED, 0, ls_coro_line (task->coro), NULL);
        }
      else if (fut->blocking)
        {
          if (fut == &task->fut)
            {
              char *t = ls_value_repr (result);
              schedule_step (task, ls_exc_newf (&ls_exc_RuntimeError,
                                                "Task cannot await on itself: %s", t));
              g_free (t);
              if (_ls_loop_observed (loop))
                _ls_loop_emit (loop, LS_EVENT_STEP_END, task->fut.id, fut->id, 0,
                               LS_REASON_RESCHEDULED, 0, ls_coro_line (task->coro), NULL);
            }
          else
            {
              fut->blocking = FALSE;
              ls_future_add_done_callback (fut, ls_callback_method (&task_wakeup_method,
                                                                    ls_value_ref (ls_object (task))));
              task->fut_waiter = ls_object_ref (fut);
              if (_ls_loop_observed (loop))
                _ls_loop_emit (loop, LS_EVENT_STEP_END, task->fut.id, fut->id, 0,
                               LS_REASON_AWAITING, 0, ls_coro_line (task->coro), fut->label);
              if (task->must_cancel)
                {
                  if (ls_future_cancel (task->fut_waiter, ls_future_peek_cancel_message (&task->fut)))
                    task->must_cancel = FALSE;
                }
            }
        }
      else
        {
          err = bad_yield_error (task, "yield was used instead of yield from in task %s with %s",
                                 result);
          schedule_step (task, err);
          if (_ls_loop_observed (loop))
            _ls_loop_emit (loop, LS_EVENT_STEP_END, task->fut.id, fut->id, 0,
                           LS_REASON_RESCHEDULED, 0, ls_coro_line (task->coro), NULL);
        }
    }
  else if (ls_is_none (result))
    {
      /* Bare yield relinquishes control for one event loop iteration. */
      schedule_step (task, ls_none ());
      if (_ls_loop_observed (loop))
        _ls_loop_emit (loop, LS_EVENT_STEP_END, task->fut.id, 0, 0,
                       LS_REASON_YIELDED, 0, ls_coro_line (task->coro), NULL);
    }
  else
    {
      schedule_step (task, bad_yield_error (task, NULL, result));
      if (_ls_loop_observed (loop))
        _ls_loop_emit (loop, LS_EVENT_STEP_END, task->fut.id, 0, 0,
                       LS_REASON_RESCHEDULED, 0, ls_coro_line (task->coro), NULL);
    }
  ls_value_unref (result);
}

/* Task.__step(exc); exc is borrowed. */
static void
task_step (LsTask *task, LsValue exc)
{
  LsLoop *loop = task->fut.loop;
  LsValue thrown;

  if (ls_future_done (&task->fut))
    {
      char *t = ls_value_repr (ls_object (task));
      char *e = ls_value_repr (exc);
      LsValue err = ls_exc_newf (&ls_exc_InvalidStateError, "_step(): already done: %s, %s", t, e);
      _ls_loop_report_exception (loop, "Exception in callback Task.__step()", err);
      ls_value_unref (err);
      g_free (e);
      g_free (t);
      return;
    }
  thrown = ls_value_ref (exc);
  if (task->must_cancel)
    {
      if (!ls_exc_matches (thrown, &ls_exc_CancelledError))
        ls_value_set (&thrown, ls_future_make_cancelled_error (&task->fut));
      task->must_cancel = FALSE;
    }
  g_clear_pointer (&task->fut_waiter, ls_object_unref);

  /* _enter_task */
  if (loop->current_task)
    {
      char *a = ls_task_get_name (task), *b = ls_task_get_name (loop->current_task);
      LsValue err = ls_exc_newf (&ls_exc_RuntimeError, "Cannot enter into task %s while "
                                 "another task %s is being executed.", a, b);
      _ls_loop_report_exception (loop, "Exception in callback Task.__step()", err);
      ls_value_unref (err);
      ls_value_unref (thrown);
      g_free (a);
      g_free (b);
      return;
    }
  loop->current_task = task;
  ls_object_ref (task);

  if (_ls_loop_observed (loop))
    {
      const LsExcType *t = ls_exc_type (thrown);
      if (t && ls_exc_type_is_subclass (t, &ls_exc_CancelledError))
        {
          char *msg = ls_exc_str (thrown);
          _ls_loop_emit (loop, LS_EVENT_CANCEL_DELIVERED, task->fut.id, 0, 0,
                         LS_REASON_CANCELLED, 0, ls_coro_line (task->coro), msg);
          g_free (msg);
        }
      _ls_loop_emit (loop, LS_EVENT_STEP_BEGIN, task->fut.id, 0, 0, LS_REASON_NONE, 0,
                     ls_coro_line (task->coro), t ? t->name : NULL);
    }
  task_step_run_and_handle_result (task, thrown);

  /* _leave_task */
  loop->current_task = NULL;
  ls_object_unref (task);
}
