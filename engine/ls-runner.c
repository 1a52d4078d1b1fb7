/* ls-runner.c - asyncio.run() (runners.py: Runner.run and Runner.close).
 *
 * The main coroutine runs as a task (Task-1 in a fresh program).  When it
 * is done the Runner cancels every task still pending and waits for them
 * with gather(return_exceptions=True), then runs the two shutdown
 * coroutines, shutdown_asyncgens() and shutdown_default_executor(), each as
 * a task of its own: CPython's step trace shows those two tasks, so ours
 * does too.
 */
#include "ls-asyncio.h"
#include "ls-sched-private.h"

/* BaseEventLoop.shutdown_asyncgens: no async generators exist yet, so it
 * returns at once (one step). */
static LsCCoroAction
shutdown_asyncgens_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  return ls_ccoro_return (out, ls_none ());
}

/* BaseEventLoop.shutdown_default_executor */
static LsCCoroAction
shutdown_default_executor_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = co->data;

  if (co->pc == 0)
    {
      if (!loop->default_executor || !loop->shutdown_default_executor)
        return ls_ccoro_return (out, ls_none ());
      return ls_ccoro_await (co, 1, out, loop->shutdown_default_executor (loop));
    }
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  return ls_ccoro_return (out, ls_none ());
}

static void
run_to_completion_quietly (LsLoop *loop, LsValue coro)
{
  LsValue result;
  ls_loop_run_until_complete (loop, coro, &result);
  ls_value_unref (result);
  ls_value_unref (coro);
}

/* runners._cancel_all_tasks */
static void
cancel_all_tasks (LsLoop *loop)
{
  LsValue to_cancel = ls_loop_all_tasks (loop), gathered;
  guint n = ls_list_len (to_cancel);
  LsValue *items;

  if (n == 0)
    {
      ls_value_unref (to_cancel);
      return;
    }
  items = (LsValue *) ((LsList *) ls_value_as_object (to_cancel))->items->data;
  for (guint i = 0; i < n; i++)
    ls_task_cancel ((LsTask *) ls_value_as_object (items[i]), ls_none ());

  if (ls_gather (loop, n, items, TRUE, &gathered))
    run_to_completion_quietly (loop, gathered);
  else
    ls_value_unref (gathered);

  for (guint i = 0; i < n; i++)
    {
      LsFuture *fut = ls_future_from (items[i]);
      LsValue exc;
      if (ls_future_cancelled (fut))
        continue;
      if (ls_future_exception (fut, &exc) && !ls_is_none (exc))
        _ls_loop_report_exception (loop, "unhandled exception during asyncio.run() shutdown", exc);
      ls_value_unref (exc);
    }
  ls_value_unref (to_cancel);
}

gboolean
ls_asyncio_run (LsLoop *loop, LsValue main_coro, LsValue *result)
{
  LsValue task;
  gboolean ok;

  if (ls_loop_get_running ())
    {
      ls_value_unref (main_coro);
      *result = ls_exc_newf (&ls_exc_RuntimeError,
                             "asyncio.run() cannot be called from a running event loop");
      return FALSE;
    }
  if (!ls_is_coroutine (main_coro))
    {
      char *r = ls_value_repr (main_coro);
      *result = ls_exc_newf (&ls_exc_ValueError, "a coroutine was expected, got %s", r);
      g_free (r);
      ls_value_unref (main_coro);
      return FALSE;
    }

  task = ls_task_new (loop, main_coro, NULL);
  ok = ls_loop_run_until_complete (loop, task, result);
  ls_value_unref (task);

  /* Runner.close(); a run stopped by a limit or a deadlock ends here, with
   * the loop as it was, so that the trace shows where it stopped. */
  if (!ls_loop_deadlocked (loop) && !loop->limit_hit)
    {
      cancel_all_tasks (loop);
      run_to_completion_quietly (loop, ls_ccoro_new ("shutdown_asyncgens",
                                                     shutdown_asyncgens_step, NULL, NULL));
      run_to_completion_quietly (loop, ls_ccoro_new ("shutdown_default_executor",
                                                     shutdown_default_executor_step, loop, NULL));
    }
  return ok;
}
