/* test-executor.c - ThreadPoolExecutor and loop.run_in_executor.
 *
 * The CPython oracle runs real threads whose time.sleep() advances one
 * shared virtual clock, so whenever two threads (or a thread and the loop)
 * run at once its output and times vary from run to run: three workers
 * sleeping one second each move its clock by three seconds, in any order.
 * Only the cases where one thread runs at a time and the loop just waits
 * for it are deterministic there; those are C twins of
 * tests/engine/cases/exec_*.py, compared byte for byte.  Every other test
 * here pins the order and the times that the rules at the top of
 * engine/ls-executor.c define (parallel workers in virtual time, lower
 * worker index first, lazy threads, the completion posted with
 * call_soon_threadsafe), with the Python program it stands for in a
 * comment.
 */
#include "ls-test-harness.h"

#include <string.h>

/* ---- jobs ------------------------------------------------------------ */

/* The jobs keep the loop they print on in shared: on a worker thread no
 * loop is running. */

/* def count_down(name, n):
 *     for i in range(n, 0, -1):
 *         print(name, i, "at", time.monotonic())
 *         time.sleep(1)
 *     return name */
static LsCCoroAction
count_down_job (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *j = co->data;
  LsLoop *loop = j->shared;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      j->i = j->n;
      co->pc = 1;
    }
  else
    j->i--;
  if (j->i > 0)
    {
      ls_test_print_to (loop, "%s %d at %s", j->name, (int) j->i, ls_test_float (ls_loop_time (loop)));
      *out = ls_float (1);
      return LS_CCORO_YIELD;
    }
  return ls_ccoro_return (out, ls_str_new (j->name));
}

static LsValue
count_down_new (LsLoop *loop, const char *name, int n)
{
  LsTestLocals j = { .shared = loop, .n = n };
  g_strlcpy (j.name, name, sizeof j.name);
  return ls_test_coro ("count_down", count_down_job, &j);
}

/* def job(name, secs, result):
 *     print(name, "starts at", time.monotonic())   # if name
 *     time.sleep(secs)
 *     print(name, "ends at", time.monotonic())     # if name
 *     return result
 * With `forever` (n = 1), `while True: time.sleep(secs)` instead.  An
 * empty name stands for None; delay is secs, value the result. */
static LsCCoroAction
simple_job (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *j = co->data;
  LsLoop *loop = j->shared;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0 && j->name[0])
    ls_test_print_to (loop, "%s starts at %s", j->name, ls_test_float (ls_loop_time (loop)));
  if (co->pc == 0 || j->n)
    {
      co->pc = 1;
      *out = ls_float (j->delay);
      return LS_CCORO_YIELD;
    }
  if (j->name[0])
    ls_test_print_to (loop, "%s ends at %s", j->name, ls_test_float (ls_loop_time (loop)));
  return ls_ccoro_return (out, ls_value_ref (j->value));
}

/* Takes result; name may be NULL. */
static LsValue
simple_job_new (LsLoop *loop, const char *name, double secs, LsValue result)
{
  LsTestLocals j = { .shared = loop, .delay = secs, .value = result };
  if (name)
    g_strlcpy (j.name, name, sizeof j.name);
  return ls_test_coro ("job", simple_job, &j);
}

static LsValue
forever_job_new (LsLoop *loop, double secs)
{
  return LS_TEST_CORO ("job", simple_job, .shared = loop, .delay = secs, .n = 1);
}

/* ---- a log of the worker threads' events -------------------------------- */

/* Replaces the run's observer (so the step trace is not recorded) with one
 * that writes what the workers do, thread by thread, and what they print,
 * checking that a job's output is attributed to its thread. */
typedef struct {
  GString *log;
  GHashTable *threads;     /* id -> name */
} WorkerLog;

static void
worker_log_observe (const LsEvent *ev, gpointer user_data)
{
  WorkerLog *wl = user_data;
  const char *name;

  switch (ev->kind)
    {
    case LS_EVENT_WORKER_STARTED:
      {
        guint64 *key = g_new (guint64, 1);
        *key = ev->task;
        g_hash_table_replace (wl->threads, key, g_strdup (ev->detail));
        g_string_append_printf (wl->log, "%s %s started a job\n", ls_test_float (ev->time),
                                ev->detail);
      }
      break;
    case LS_EVENT_WORKER_FINISHED:
      g_string_append_printf (wl->log, "%s %s finished: %s%s%s\n", ls_test_float (ev->time),
                              ev->detail, ls_reason_name (ev->reason),
                              ev->extra ? " " : "", ev->extra ? ev->extra : "");
      break;
    case LS_EVENT_OUTPUT:
      name = g_hash_table_lookup (wl->threads, &ev->task);
      g_string_append_printf (wl->log, "%s %s: %s", ls_test_float (ev->time),
                              name ? name : "loop", ev->detail);
      break;
    default:
      break;
    }
}

static void
worker_log_attach (WorkerLog *wl, LsTestRun *run)
{
  wl->log = g_string_new (NULL);
  wl->threads = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  ls_loop_set_observer (run->loop, worker_log_observe, wl);
}

static void
worker_log_clear (WorkerLog *wl)
{
  g_string_free (wl->log, TRUE);
  g_hash_table_destroy (wl->threads);
}

/* ---- exec_one_worker.py ------------------------------------------------- */

/* main(): the count-downs A, B and C on a pool of `workers` threads (the
 * pool in value). */
static LsCCoroAction
count_down_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue aws[3];

  switch (co->pc)
    {
    case 0:
      for (int i = 0; i < 3; i++)
        aws[i] = ls_loop_run_in_executor (loop, m->value,
                                          count_down_new (loop, (char[]) { (char) ('A' + i), 0 }, 3));
      return ls_test_await_gather_take (co, 1, out, 3, aws, FALSE);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s finished at %s", ls_test_repr (in), ls_test_now ());
      ls_executor_shutdown (m->value, TRUE);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static LsValue
count_down_main_new (LsLoop *loop, guint workers)
{
  return LS_TEST_CORO ("main", count_down_main, .value = ls_executor_new (loop, workers));
}

static void
test_one_worker (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, count_down_main_new (run->loop, 1)));
  ls_test_check_case (run, "exec_one_worker");
  ls_test_run_free (run);
}

/* ---- the tutorial: count_down A/B/C on three workers (pinned) ------------------
 *
 *     pool = ThreadPoolExecutor(max_workers=3)
 *     results = await asyncio.gather(*(loop.run_in_executor(pool, count_down, c, 3)
 *                                      for c in "ABC"))
 *     print(results, "finished at", loop.time())
 *     pool.shutdown(wait=True)
 *
 * The three threads sleep in parallel: each second of virtual time sees
 * one line of each, in worker order, and everything is over at 3.0. */
static void
test_count_down_three_workers (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, count_down_main_new (run->loop, 3)));
  g_assert_cmpstr (run->out->str, ==,
                   "A 3 at 0.0\nB 3 at 0.0\nC 3 at 0.0\n"
                   "A 2 at 1.0\nB 2 at 1.0\nC 2 at 1.0\n"
                   "A 1 at 2.0\nB 1 at 2.0\nC 1 at 2.0\n"
                   "['A', 'B', 'C'] finished at 3.0\n");
  /* main steps at 0 and once more when gather is done; the explicit pool
   * leaves shutdown_default_executor (Task-3) nothing to wait for. */
  g_assert_cmpstr (ls_step_trace_text (run->steps), ==,
                   "{\"t\": 0.0, \"task\": \"Task-1\", \"ev\": \"step\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-1\", \"ev\": \"step\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-1\", \"ev\": \"done\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-2\", \"ev\": \"step\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-2\", \"ev\": \"done\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-3\", \"ev\": \"step\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-3\", \"ev\": \"done\"}\n");
  ls_test_run_free (run);
}

/* The same program seen from the workers: one thread per job, created
 * lazily, and every line printed by a job attributed to its thread. */
static void
test_count_down_attribution (void)
{
  LsTestRun *run = ls_test_run_new ();
  WorkerLog wl;

  worker_log_attach (&wl, run);
  g_assert_true (ls_test_asyncio_run (run, count_down_main_new (run->loop, 3)));
  g_assert_cmpstr (wl.log->str, ==,
                   "0.0 ThreadPoolExecutor-0_0 started a job\n"
                   "0.0 ThreadPoolExecutor-0_0: A 3 at 0.0\n"
                   "0.0 ThreadPoolExecutor-0_1 started a job\n"
                   "0.0 ThreadPoolExecutor-0_1: B 3 at 0.0\n"
                   "0.0 ThreadPoolExecutor-0_2 started a job\n"
                   "0.0 ThreadPoolExecutor-0_2: C 3 at 0.0\n"
                   "1.0 ThreadPoolExecutor-0_0: A 2 at 1.0\n"
                   "1.0 ThreadPoolExecutor-0_1: B 2 at 1.0\n"
                   "1.0 ThreadPoolExecutor-0_2: C 2 at 1.0\n"
                   "2.0 ThreadPoolExecutor-0_0: A 1 at 2.0\n"
                   "2.0 ThreadPoolExecutor-0_1: B 1 at 2.0\n"
                   "2.0 ThreadPoolExecutor-0_2: C 1 at 2.0\n"
                   "3.0 ThreadPoolExecutor-0_0 finished: result\n"
                   "3.0 ThreadPoolExecutor-0_1 finished: result\n"
                   "3.0 ThreadPoolExecutor-0_2 finished: result\n"
                   "3.0 loop: ['A', 'B', 'C'] finished at 3.0\n");
  worker_log_clear (&wl);
  ls_test_run_free (run);
}

/* ---- exec_job_raises.py ------------------------------------------------------------ */

/* def failing(n): print(...); time.sleep(n); raise ValueError(f"bad job {n}") */
static LsCCoroAction
failing_job (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      ls_test_print_to (loop, "failing job sleeps 2 at %s", ls_test_float (ls_loop_time (loop)));
      co->pc = 1;
      *out = ls_int (2);
      return LS_CCORO_YIELD;
    }
  return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_ValueError, "bad job 2"));
}

static LsCCoroAction
raises_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_loop_run_in_executor (loop, ls_none (),
                                                                  ls_ccoro_new ("failing", failing_job,
                                                                                loop, NULL)));
    case 1:
      if (!ls_test_caught (in, thrown, &ls_exc_ValueError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("caught %s at %s", ls_test_repr (in), ls_test_now ());
      return ls_ccoro_await (co, 2, out,
                             ls_loop_run_in_executor (loop, ls_none (),
                                                      simple_job_new (loop, NULL, 1.5, ls_float (15.0))));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("result %s at %s", ls_test_repr (in), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- asyncio.run waits for the default executor (pinned) -------------------------
 *
 *     def job(name, secs, result): ...
 *     async def main():
 *         loop.run_in_executor(None, job, "slow", 5, None)   # not awaited
 *         print("fast gave", await loop.run_in_executor(None, job, "fast", 1, 1))
 *
 * main is done at 1.0, but shutdown_default_executor's future is only
 * resolved when the slow job's thread has exited, at 5.0. */
static LsCCoroAction
default_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();

  switch (co->pc)
    {
    case 0:
      ls_value_unref (ls_loop_run_in_executor (loop, ls_none (),
                                               simple_job_new (loop, "slow", 5, ls_none ())));
      return ls_ccoro_await (co, 1, out,
                             ls_loop_run_in_executor (loop, ls_none (),
                                                      simple_job_new (loop, "fast", 1, ls_int (1))));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("fast gave %" G_GINT64_FORMAT " at %s", ls_value_as_int (in), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_default_executor_shutdown (void)
{
  LsTestRun *run = ls_test_run_new ();

  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", default_main, NULL, NULL)));
  g_assert_cmpstr (run->out->str, ==,
                   "slow starts at 0.0\n"
                   "fast starts at 0.0\n"
                   "fast ends at 1.0\n"
                   "fast gave 1 at 1.0\n"
                   "slow ends at 5.0\n");
  g_assert_cmpstr (ls_step_trace_text (run->steps), ==,
                   "{\"t\": 0.0, \"task\": \"Task-1\", \"ev\": \"step\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-1\", \"ev\": \"step\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-1\", \"ev\": \"done\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-2\", \"ev\": \"step\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-2\", \"ev\": \"done\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-3\", \"ev\": \"step\"}\n"
                   "{\"t\": 5.0, \"task\": \"Task-3\", \"ev\": \"step\"}\n"
                   "{\"t\": 5.0, \"task\": \"Task-3\", \"ev\": \"done\"}\n");
  g_assert_cmpfloat (ls_loop_time (run->loop), ==, 5.0);
  ls_test_run_free (run);
}

/* ---- lazy threads, reuse, and the queue (pinned) ----------------------------------
 *
 *     pool = ThreadPoolExecutor(max_workers=3)
 *     a = loop.run_in_executor(pool, job, "A", 1, "A")
 *     b = loop.run_in_executor(pool, job, "B", 2, "B")
 *     await a                 # t=1: A's thread is idle again
 *     c = loop.run_in_executor(pool, job, "C", 1, "C")   # reuses it
 *     d = loop.run_in_executor(pool, job, "D", 1, "D")   # starts a third
 *     await asyncio.gather(b, c, d)                     # t=2
 *     fs = [loop.run_in_executor(pool, job, x, 1, x) for x in "EFGH"]
 *     print(await asyncio.gather(*fs), "at", loop.time())
 *
 * E, F and G wake the three idle threads, lowest first; H waits in the
 * queue until thread 0 finishes E, and that thread takes it at once. */
static LsValue
submit_job (LsLoop *loop, LsValue pool, const char *name, double secs)
{
  return ls_loop_run_in_executor (loop, pool, simple_job_new (loop, name, secs, ls_str_new (name)));
}

static LsCCoroAction
lazy_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;     /* value: the pool, t[0] and t[1]: a and b */
  LsLoop *loop = ls_loop_get_running ();
  LsValue fs[4], fut;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->value = ls_executor_new (loop, 3);
      m->t[0] = submit_job (loop, m->value, "A", 1);
      m->t[1] = submit_job (loop, m->value, "B", 2);
      return ls_ccoro_await (co, 1, out, ls_value_ref (m->t[0]));
    case 1:
      fs[0] = ls_value_ref (m->t[1]);
      fs[1] = submit_job (loop, m->value, "C", 1);
      fs[2] = submit_job (loop, m->value, "D", 1);
      if (!ls_gather (loop, 3, fs, FALSE, &fut))
        g_assert_not_reached ();
      for (int i = 0; i < 3; i++)
        ls_value_unref (fs[i]);
      return ls_ccoro_await (co, 2, out, fut);
    case 2:
      for (int i = 0; i < 4; i++)
        {
          char name[2] = { (char) ('E' + i), 0 };
          fs[i] = ls_loop_run_in_executor (loop, m->value,
                                           simple_job_new (loop, i == 0 ? "E" : i == 1 ? "F"
                                                           : i == 2 ? "G" : "H", 1,
                                                           ls_str_new (name)));
        }
      if (!ls_gather (loop, 4, fs, FALSE, &fut))
        g_assert_not_reached ();
      for (int i = 0; i < 4; i++)
        ls_value_unref (fs[i]);
      return ls_ccoro_await (co, 3, out, fut);
    case 3:
      ls_test_print ("%s at %s", ls_test_repr (in), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_lazy_threads (void)
{
  LsTestRun *run = ls_test_run_new ();
  WorkerLog wl;

  worker_log_attach (&wl, run);
  g_assert_true (ls_test_asyncio_run (run, ls_test_coro ("main", lazy_main, NULL)));
  g_assert_cmpstr (wl.log->str, ==,
                   "0.0 ThreadPoolExecutor-0_0 started a job\n"
                   "0.0 ThreadPoolExecutor-0_0: A starts at 0.0\n"
                   "0.0 ThreadPoolExecutor-0_1 started a job\n"
                   "0.0 ThreadPoolExecutor-0_1: B starts at 0.0\n"
                   "1.0 ThreadPoolExecutor-0_0: A ends at 1.0\n"
                   "1.0 ThreadPoolExecutor-0_0 finished: result\n"
                   "1.0 ThreadPoolExecutor-0_0 started a job\n"
                   "1.0 ThreadPoolExecutor-0_0: C starts at 1.0\n"
                   "1.0 ThreadPoolExecutor-0_2 started a job\n"
                   "1.0 ThreadPoolExecutor-0_2: D starts at 1.0\n"
                   "2.0 ThreadPoolExecutor-0_0: C ends at 2.0\n"
                   "2.0 ThreadPoolExecutor-0_0 finished: result\n"
                   "2.0 ThreadPoolExecutor-0_1: B ends at 2.0\n"
                   "2.0 ThreadPoolExecutor-0_1 finished: result\n"
                   "2.0 ThreadPoolExecutor-0_2: D ends at 2.0\n"
                   "2.0 ThreadPoolExecutor-0_2 finished: result\n"
                   "2.0 ThreadPoolExecutor-0_0 started a job\n"
                   "2.0 ThreadPoolExecutor-0_0: E starts at 2.0\n"
                   "2.0 ThreadPoolExecutor-0_1 started a job\n"
                   "2.0 ThreadPoolExecutor-0_1: F starts at 2.0\n"
                   "2.0 ThreadPoolExecutor-0_2 started a job\n"
                   "2.0 ThreadPoolExecutor-0_2: G starts at 2.0\n"
                   "3.0 ThreadPoolExecutor-0_0: E ends at 3.0\n"
                   "3.0 ThreadPoolExecutor-0_0 finished: result\n"
                   "3.0 ThreadPoolExecutor-0_0 started a job\n"
                   "3.0 ThreadPoolExecutor-0_0: H starts at 3.0\n"
                   "3.0 ThreadPoolExecutor-0_1: F ends at 3.0\n"
                   "3.0 ThreadPoolExecutor-0_1 finished: result\n"
                   "3.0 ThreadPoolExecutor-0_2: G ends at 3.0\n"
                   "3.0 ThreadPoolExecutor-0_2 finished: result\n"
                   "4.0 ThreadPoolExecutor-0_0: H ends at 4.0\n"
                   "4.0 ThreadPoolExecutor-0_0 finished: result\n"
                   "4.0 loop: ['E', 'F', 'G', 'H'] at 4.0\n");
  worker_log_clear (&wl);
  ls_test_run_free (run);
}

/* ---- the loop blocked while a worker runs (pinned) ---------------------------------
 *
 *     fut = loop.run_in_executor(None, count_down, "J", 2)
 *     time.sleep(3)
 *     print("main unblocked at", loop.time(), "done:", fut.done())
 *     print("result", await fut, "at", loop.time())
 *
 * The job runs while the loop thread sleeps (it starts at 0.0, when the
 * loop first releases the GIL) and finishes at 2.0, but the future is
 * only resolved by the _set_state callback the loop runs after the block. */
static LsCCoroAction
overlap_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;     /* value: fut */
  LsLoop *loop = ls_loop_get_running ();

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->value = ls_loop_run_in_executor (loop, ls_none (), count_down_new (loop, "J", 2));
      ls_loop_block (loop, 3);
      ls_test_print ("main unblocked at %s done: %s", ls_test_now (),
                     ls_test_bool (ls_future_done (ls_future_from (m->value))));
      return ls_ccoro_await (co, 1, out, ls_value_ref (m->value));
    case 1:
      ls_test_print ("result %s at %s", ls_str_get (in), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_block_overlap (void)
{
  LsTestRun *run = ls_test_run_new ();

  g_assert_true (ls_test_asyncio_run (run, ls_test_coro ("main", overlap_main, NULL)));
  g_assert_cmpstr (run->out->str, ==,
                   "J 2 at 0.0\n"
                   "J 1 at 1.0\n"
                   "main unblocked at 3.0 done: False\n"
                   "result J at 3.0\n");
  g_assert_cmpstr (ls_step_trace_text (run->steps), ==,
                   "{\"t\": 0.0, \"task\": \"Task-1\", \"ev\": \"step\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-1\", \"ev\": \"step\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-1\", \"ev\": \"done\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-2\", \"ev\": \"step\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-2\", \"ev\": \"done\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-3\", \"ev\": \"step\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-3\", \"ev\": \"step\"}\n"
                   "{\"t\": 3.0, \"task\": \"Task-3\", \"ev\": \"done\"}\n");
  ls_test_run_free (run);
}

/* ---- cancelling a queued job (pinned) -------------------------------------------------
 *
 *     pool = ThreadPoolExecutor(max_workers=1)
 *     fa = loop.run_in_executor(pool, job, "A", 2, "a")
 *     fb = loop.run_in_executor(pool, job, "B", 1, "b")
 *     await asyncio.sleep(0.5)
 *     print("cancel B:", fb.cancel())
 *     print("A gave", await fa, "at", loop.time())
 *     print("B cancelled:", fb.cancelled())
 *     await asyncio.sleep(1)
 *     print("done at", loop.time())
 *
 * _call_check_cancel cancels B's concurrent future while B is still
 * queued, so the thread skips it (set_running_or_notify_cancel).  main()
 * keeps the pool in value, fa and fb in t[0] and t[1] (so do the two
 * mains below). */
static LsCCoroAction
cancel_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsLoop *loop = ls_loop_get_running ();

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->value = ls_executor_new (loop, 1);
      m->t[0] = ls_loop_run_in_executor (loop, m->value, simple_job_new (loop, "A", 2, ls_str_new ("a")));
      m->t[1] = ls_loop_run_in_executor (loop, m->value, simple_job_new (loop, "B", 1, ls_str_new ("b")));
      return ls_test_await_sleep (co, 1, out, 0.5);
    case 1:
      ls_test_print ("cancel B: %s",
                     ls_test_bool (ls_future_cancel (ls_future_from (m->t[1]), ls_none ())));
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->t[0]));
    case 2:
      ls_test_print ("A gave %s at %s", ls_str_get (in), ls_test_now ());
      ls_test_print ("B cancelled: %s", ls_test_bool (ls_future_cancelled (ls_future_from (m->t[1]))));
      return ls_test_await_sleep (co, 3, out, 1);
    case 3:
      ls_test_print ("done at %s", ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_cancel_queued (void)
{
  LsTestRun *run = ls_test_run_new ();
  WorkerLog wl;

  worker_log_attach (&wl, run);
  g_assert_true (ls_test_asyncio_run (run, ls_test_coro ("main", cancel_main, NULL)));
  g_assert_cmpstr (run->out->str, ==,
                   "A starts at 0.0\n"
                   "cancel B: True\n"
                   "A ends at 2.0\n"
                   "A gave a at 2.0\n"
                   "B cancelled: True\n"
                   "done at 3.0\n");
  g_assert_cmpstr (wl.log->str, ==,
                   "0.0 ThreadPoolExecutor-0_0 started a job\n"
                   "0.0 ThreadPoolExecutor-0_0: A starts at 0.0\n"
                   "0.5 loop: cancel B: True\n"
                   "2.0 ThreadPoolExecutor-0_0: A ends at 2.0\n"
                   "2.0 ThreadPoolExecutor-0_0 finished: result\n"
                   "2.0 loop: A gave a at 2.0\n"
                   "2.0 loop: B cancelled: True\n"
                   "3.0 loop: done at 3.0\n");
  worker_log_clear (&wl);
  ls_test_run_free (run);
}

/* ---- shutdown(wait=True) blocks the loop (pinned) -------------------------------------
 *
 *     pool = ThreadPoolExecutor(max_workers=2)
 *     fa = loop.run_in_executor(pool, job, "A", 1, "a")
 *     fb = loop.run_in_executor(pool, job, "B", 2, "b")
 *     pool.shutdown(wait=True)
 *     print("shutdown returned at", loop.time(), "done:", fa.done(), fb.done())
 *     print(await fa, await fb, "at", loop.time())
 *     try:
 *         await loop.run_in_executor(pool, job, "C", 1, "c")
 *     except RuntimeError as e:
 *         print("after shutdown:", e)
 */
static LsCCoroAction
shutdown_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsLoop *loop = ls_loop_get_running ();

  switch (co->pc)
    {
    case 0:
      m->value = ls_executor_new (loop, 2);
      m->t[0] = ls_loop_run_in_executor (loop, m->value, simple_job_new (loop, "A", 1, ls_str_new ("a")));
      m->t[1] = ls_loop_run_in_executor (loop, m->value, simple_job_new (loop, "B", 2, ls_str_new ("b")));
      ls_executor_shutdown (m->value, TRUE);
      ls_test_print ("shutdown returned at %s done: %s %s", ls_test_now (),
                     ls_test_bool (ls_future_done (ls_future_from (m->t[0]))),
                     ls_test_bool (ls_future_done (ls_future_from (m->t[1]))));
      return ls_ccoro_await (co, 1, out, ls_value_ref (m->t[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_value_set (&m->t[0], ls_value_ref (in));
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->t[1]));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s %s at %s", ls_str_get (m->t[0]), ls_str_get (in), ls_test_now ());
      return ls_ccoro_await (co, 3, out, submit_job (loop, m->value, "C", 1));
    case 3:
      if (!ls_test_caught (in, thrown, &ls_exc_RuntimeError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no error"));
      ls_test_print ("after shutdown: %s", ls_test_keep (ls_exc_str (in)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_shutdown_wait (void)
{
  LsTestRun *run = ls_test_run_new ();

  g_assert_true (ls_test_asyncio_run (run, ls_test_coro ("main", shutdown_main, NULL)));
  g_assert_cmpstr (run->out->str, ==,
                   "A starts at 0.0\n"
                   "B starts at 0.0\n"
                   "A ends at 1.0\n"
                   "B ends at 2.0\n"
                   "shutdown returned at 2.0 done: False False\n"
                   "a b at 2.0\n"
                   "after shutdown: cannot schedule new futures after shutdown\n");
  g_assert_cmpstr (ls_step_trace_text (run->steps), ==,
                   "{\"t\": 0.0, \"task\": \"Task-1\", \"ev\": \"step\"}\n"
                   "{\"t\": 2.0, \"task\": \"Task-1\", \"ev\": \"step\"}\n"
                   "{\"t\": 2.0, \"task\": \"Task-1\", \"ev\": \"done\"}\n"
                   "{\"t\": 2.0, \"task\": \"Task-2\", \"ev\": \"step\"}\n"
                   "{\"t\": 2.0, \"task\": \"Task-2\", \"ev\": \"done\"}\n"
                   "{\"t\": 2.0, \"task\": \"Task-3\", \"ev\": \"step\"}\n"
                   "{\"t\": 2.0, \"task\": \"Task-3\", \"ev\": \"done\"}\n");
  ls_test_run_free (run);
}

/* ---- a worker finishing at a timer's deadline (pinned) ---------------------------------
 *
 *     async def waiter(fut):
 *         print("executor result", await fut, "at", loop.time())
 *     async def sleeper():
 *         await asyncio.sleep(1)
 *         print("sleeper woke at", loop.time())
 *     fut = loop.run_in_executor(None, job, None, 1, "r")
 *     t1 = asyncio.create_task(waiter(fut), name="executor-waiter")
 *     t2 = asyncio.create_task(sleeper(), name="sleeper")
 *     await t1
 *     await t2
 *
 * Both are due at 1.0: the worker runs during the select that ends at the
 * deadline, so its _set_state is queued before the timer's callback and
 * the executor's waiter steps first. */
static LsCCoroAction
tie_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *l = co->data;     /* value: fut */

  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_value_ref (l->value));
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  ls_test_print ("executor result %s at %s", ls_str_get (in), ls_test_now ());
  return ls_ccoro_return (out, ls_none ());
}

static LsCCoroAction
tie_sleeper (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, 1);
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  ls_test_print ("sleeper woke at %s", ls_test_now ());
  return ls_ccoro_return (out, ls_none ());
}

static LsCCoroAction
tie_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue fut;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      fut = ls_loop_run_in_executor (loop, ls_none (), simple_job_new (loop, NULL, 1, ls_str_new ("r")));
      m->t[0] = ls_task_new (loop, LS_TEST_CORO ("waiter", tie_waiter, .value = fut), "executor-waiter");
      m->t[1] = ls_task_new (loop, ls_ccoro_new ("sleeper", tie_sleeper, NULL, NULL), "sleeper");
      return ls_ccoro_await (co, 1, out, ls_value_ref (m->t[0]));
    case 1:
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->t[1]));
    case 2:
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_timer_tie (void)
{
  LsTestRun *run = ls_test_run_new ();

  g_assert_true (ls_test_asyncio_run (run, ls_test_coro ("main", tie_main, NULL)));
  g_assert_cmpstr (run->out->str, ==,
                   "executor result r at 1.0\n"
                   "sleeper woke at 1.0\n");
  g_assert_cmpstr (ls_step_trace_text (run->steps), ==,
                   "{\"t\": 0.0, \"task\": \"Task-1\", \"ev\": \"step\"}\n"
                   "{\"t\": 0.0, \"task\": \"executor-waiter\", \"ev\": \"step\"}\n"
                   "{\"t\": 0.0, \"task\": \"sleeper\", \"ev\": \"step\"}\n"
                   "{\"t\": 1.0, \"task\": \"executor-waiter\", \"ev\": \"step\"}\n"
                   "{\"t\": 1.0, \"task\": \"executor-waiter\", \"ev\": \"done\"}\n"
                   "{\"t\": 1.0, \"task\": \"sleeper\", \"ev\": \"step\"}\n"
                   "{\"t\": 1.0, \"task\": \"sleeper\", \"ev\": \"done\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-1\", \"ev\": \"step\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-1\", \"ev\": \"done\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-2\", \"ev\": \"step\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-2\", \"ev\": \"done\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-3\", \"ev\": \"step\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-3\", \"ev\": \"step\"}\n"
                   "{\"t\": 1.0, \"task\": \"Task-3\", \"ev\": \"done\"}\n");
  ls_test_run_free (run);
}

/* ---- deadlock once the workers are done (pinned) ----------------------------------------
 *
 *     fut = loop.create_future()
 *     loop.run_in_executor(None, job, "J", 2, None)    # not awaited
 *     await fut                                        # nobody resolves it
 *
 * While the thread works the loop waits for it; the deadlock is declared
 * only when it has finished and nothing is left, at 2.0. */
static LsCCoroAction
worker_deadlock_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();

  if (co->pc == 0)
    {
      ls_value_unref (ls_loop_run_in_executor (loop, ls_none (),
                                               simple_job_new (loop, "J", 2, ls_none ())));
      return ls_ccoro_await (co, 1, out, ls_future_new (loop));
    }
  return ls_ccoro_pass (in, thrown, out);
}

static void
test_deadlock_after_worker (void)
{
  LsTestRun *run = ls_test_run_new ();
  const char *report;

  g_assert_false (ls_test_asyncio_run (run, ls_ccoro_new ("main", worker_deadlock_main, NULL, NULL)));
  g_assert_true (ls_loop_deadlocked (run->loop));
  g_assert_false (ls_loop_limit_hit (run->loop));
  g_assert_cmpstr (run->out->str, ==, "J starts at 0.0\nJ ends at 2.0\n");
  report = ls_loop_deadlock_report (run->loop);
  g_assert_nonnull (report);
  g_assert_true (g_str_has_prefix (report, "deadlock at t=2.0: "));
  g_assert_nonnull (strstr (report, "1 task waiting\n  Task-1 (main()) waits on future #"));
  ls_test_run_free (run);
}

/* ---- limits with a worker that never ends (pinned) -----------------------------------------
 *
 *     def forever(secs):
 *         while True:
 *             time.sleep(secs)
 *     await loop.run_in_executor(None, forever, secs)
 */
static LsCCoroAction
forever_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *l = co->data;     /* delay: secs */
  LsLoop *loop = ls_loop_get_running ();

  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_loop_run_in_executor (loop, ls_none (),
                                                                forever_job_new (loop, l->delay)));
  return ls_ccoro_pass (in, thrown, out);
}

static LsValue
forever_main_new (double secs)
{
  return LS_TEST_CORO ("main", forever_main, .delay = secs);
}

static void
test_limit_max_time_worker (void)
{
  LsTestRun *run = ls_test_run_new ();

  ls_loop_set_limits (run->loop, 0, 2.5);
  g_assert_false (ls_test_asyncio_run (run, forever_main_new (1)));
  g_assert_true (ls_loop_limit_hit (run->loop));
  g_assert_false (ls_loop_deadlocked (run->loop));
  g_assert_cmpstr (run->err->str, ==,
                   "RuntimeError: limit reached: virtual time passed 2.5 seconds\n");
  /* The worker's next wakeup, beyond the limit, did not run. */
  g_assert_cmpfloat (ls_loop_time (run->loop), ==, 3.0);
  ls_test_run_free (run);
}

static void
test_limit_max_steps_worker (void)
{
  LsTestRun *run = ls_test_run_new ();

  /* time.sleep(0) forever: the clock never moves, only steps count. */
  ls_loop_set_limits (run->loop, 50, 0);
  g_assert_false (ls_test_asyncio_run (run, forever_main_new (0)));
  g_assert_true (ls_loop_limit_hit (run->loop));
  g_assert_false (ls_loop_deadlocked (run->loop));
  g_assert_cmpstr (run->err->str, ==, "RuntimeError: limit reached: 50 worker thread steps\n");
  g_assert_cmpuint (ls_loop_steps (run->loop), ==, 1);
  g_assert_cmpfloat (ls_loop_time (run->loop), ==, 0.0);
  ls_test_run_free (run);
}

/* ---- misuse gives exceptions (pinned) -----------------------------------------------------
 *
 *     await loop.run_in_executor(5, job)     # not an executor
 *     await loop.run_in_executor(None, 7)    # not callable: raised by the worker
 *     await loop.run_in_executor(None, bad_sleeps)
 *     def bad_sleeps():
 *         try: time.sleep("x")
 *         except TypeError as e: a = e
 *         try: time.sleep(-1)
 *         except ValueError as e: b = e
 *         return f"job saw {a!r} then {b!r}"
 */
static LsCCoroAction
bad_sleeps_job (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *b = co->data;     /* saved: repr of the first error */
  char *second, *text;

  switch (co->pc)
    {
    case 0:
      co->pc = 1;
      *out = ls_str_new ("x");
      return LS_CCORO_YIELD;
    case 1:
      if (!ls_test_caught (in, thrown, &ls_exc_TypeError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no TypeError"));
      b->saved = ls_str_take (ls_value_repr (in));
      co->pc = 2;
      *out = ls_float (-1);
      return LS_CCORO_YIELD;
    case 2:
      if (!ls_test_caught (in, thrown, &ls_exc_ValueError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no ValueError"));
      second = ls_value_repr (in);
      text = g_strdup_printf ("job saw %s then %s", ls_str_get (b->saved), second);
      g_free (second);
      return ls_ccoro_return (out, ls_str_take (text));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
misuse_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();

  if (co->pc > 0)
    ls_test_print ("%s %s", thrown ? "raised" : "returned", ls_test_repr (in));
  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_loop_run_in_executor (loop, ls_int (5),
                                                                  simple_job_new (loop, "never", 1,
                                                                                  ls_none ())));
    case 1:
      return ls_ccoro_await (co, 2, out, ls_loop_run_in_executor (loop, ls_none (), ls_int (7)));
    case 2:
      return ls_ccoro_await (co, 3, out,
                             ls_loop_run_in_executor (loop, ls_none (),
                                                      ls_test_coro ("bad_sleeps", bad_sleeps_job, NULL)));
    case 3:
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_misuse (void)
{
  LsTestRun *run = ls_test_run_new ();

  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", misuse_main, NULL, NULL)));
  g_assert_cmpstr (run->out->str, ==,
                   "raised TypeError('executor must be ThreadPoolExecutor instance')\n"
                   "raised TypeError(\"'int' object is not callable\")\n"
                   /* repr() of a str holding both quotes: single quotes, escaped */
                   "returned 'job saw TypeError(\"\\'str\\' object cannot be interpreted as an "
                   "integer\") then ValueError(\\'sleep length must be non-negative\\')'\n");
  ls_test_run_free (run);
}

/* ---- a run stopped with jobs running and queued (pinned) -----------------------------
 *
 * The time limit stops the loop while one job runs and another waits in
 * the queue; closing the loop drops both (checked under LSan), and the
 * pool, still referenced, refuses new work afterwards. */
static LsCCoroAction
stopped_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue fs[2], fut;

  if (co->pc == 0)
    {
      fs[0] = submit_job (loop, m->value, "A", 10);
      fs[1] = submit_job (loop, m->value, "B", 10);
      if (!ls_gather (loop, 2, fs, FALSE, &fut))
        g_assert_not_reached ();
      ls_value_unref (fs[0]);
      ls_value_unref (fs[1]);
      return ls_ccoro_await (co, 1, out, fut);
    }
  return ls_ccoro_pass (in, thrown, out);
}

static void
test_close_with_jobs (void)
{
  LsTestRun *run = ls_test_run_new ();
  LsValue pool, fut, result;

  pool = ls_executor_new (run->loop, 1);
  ls_loop_set_limits (run->loop, 0, 5);
  g_assert_false (ls_test_asyncio_run (run, LS_TEST_CORO ("main", stopped_main,
                                                          .value = ls_value_ref (pool))));
  g_assert_true (ls_loop_limit_hit (run->loop));
  g_assert_cmpstr (run->out->str, ==, "A starts at 0.0\n");
  ls_loop_close (run->loop);

  fut = ls_executor_submit (pool, ls_none ());
  g_assert_true (ls_is_future (fut));
  g_assert_false (ls_future_result (ls_future_from (fut), &result));
  g_assert_true (ls_exc_matches (result, &ls_exc_RuntimeError));
  ls_value_unref (result);
  ls_value_unref (fut);
  ls_executor_shutdown (pool, TRUE);
  ls_value_unref (pool);
  ls_test_run_free (run);
}

static const LsTest tests[] = {
  LS_TEST_FUNC ("/engine/executor/one-worker", test_one_worker),
  LS_TEST_FUNC ("/engine/executor/count-down-three-workers", test_count_down_three_workers),
  LS_TEST_FUNC ("/engine/executor/count-down-attribution", test_count_down_attribution),
  LS_TEST_CASE ("/engine/executor/job-raises", "exec_job_raises", raises_main),
  LS_TEST_FUNC ("/engine/executor/default-executor-shutdown", test_default_executor_shutdown),
  LS_TEST_FUNC ("/engine/executor/lazy-threads", test_lazy_threads),
  LS_TEST_FUNC ("/engine/executor/block-overlap", test_block_overlap),
  LS_TEST_FUNC ("/engine/executor/cancel-queued", test_cancel_queued),
  LS_TEST_FUNC ("/engine/executor/shutdown-wait", test_shutdown_wait),
  LS_TEST_FUNC ("/engine/executor/timer-tie", test_timer_tie),
  LS_TEST_FUNC ("/engine/executor/deadlock-after-worker", test_deadlock_after_worker),
  LS_TEST_FUNC ("/engine/executor/limit-max-time", test_limit_max_time_worker),
  LS_TEST_FUNC ("/engine/executor/limit-max-steps", test_limit_max_steps_worker),
  LS_TEST_FUNC ("/engine/executor/misuse", test_misuse),
  LS_TEST_FUNC ("/engine/executor/close-with-jobs", test_close_with_jobs),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
