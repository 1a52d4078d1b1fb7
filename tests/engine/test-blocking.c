/* test-blocking.c - blocking calls on the loop's thread, deadlocks and the
 * step/time limits.
 *
 * time.sleep() in a task or a callback (ls_loop_block) is deterministic in
 * the CPython oracle, which advances its virtual clock by the seconds
 * slept: those tests are C twins of tests/engine/cases/block_*.py checked
 * byte for byte.  The oracle has no limits, so the limit tests pin their
 * expectations here.
 */
#include "ls-test-harness.h"

#include <string.h>

/* ---- block_count_down.py ------------------------------------------------ */

/* async def count_down(name, n): no await, so one step does it all. */
static LsCCoroAction
count_down_blocking (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  for (int i = (int) s->n; i > 0; i--)
    {
      ls_test_print ("%s %d at %s", s->name, i, ls_test_now ());
      ls_loop_block (ls_loop_get_running (), 1);
    }
  return ls_ccoro_return (out, ls_str_new (s->name));
}

static LsCCoroAction
count_down_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue aws[3];

  switch (co->pc)
    {
    case 0:
      for (int i = 0; i < 3; i++)
        aws[i] = LS_TEST_CORO ("count_down", count_down_blocking, .name = { (char) ('A' + i) }, .n = 3);
      return ls_test_await_gather_take (co, 1, out, 3, aws, FALSE);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s finished at %s", ls_test_repr (in), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- block_round_robin.py --------------------------------------------------- */

static LsCCoroAction
rr_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *w = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 1)
    w->i++;
  if (w->i < 2)
    {
      ls_loop_block (ls_loop_get_running (), 1);
      ls_test_print ("%s %d at %s", w->name, (int) w->i, ls_test_now ());
      return ls_test_await_sleep (co, 1, out, 0);
    }
  return ls_ccoro_return (out, ls_str_new (w->name));
}

static LsCCoroAction
rr_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;

  switch (co->pc)
    {
    case 0:
      for (int i = 0; i < 3; i++)
        m->t[i] = ls_task_new (ls_loop_get_running (),
                               LS_TEST_CORO ("worker", rr_worker, .name = { (char) ('A' + i) }), NULL);
      return ls_ccoro_await (co, 1, out, ls_value_ref (m->t[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("result %s at %s", ls_str_get (in), ls_test_now ());
      if (++m->i < 3)
        return ls_ccoro_await (co, 1, out, ls_value_ref (m->t[m->i]));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- block_timer_late.py ------------------------------------------------------ */

static LsCCoroAction
sleeper (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_test_await_sleep (co, 1, out, s->delay);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s woke at %s", s->name, ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* lambda: print("timer at", loop.time()) */
static gboolean
print_timer_at (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  ls_test_print ("timer at %s", ls_test_now ());
  *result = ls_none ();
  return TRUE;
}

static LsCCoroAction
late_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;     /* t[0], t[1]: the tasks t and u */
  LsLoop *loop = ls_loop_get_running ();

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      ls_object_unref (ls_loop_call_later (loop, 1, ls_callback_value (
                                             ls_builtin_new ("<lambda>", print_timer_at, ls_none (),
                                                             NULL, NULL)), 0, NULL));
      m->t[0] = ls_task_new (loop, LS_TEST_CORO ("sleeper", sleeper, .name = "early", .delay = 1), NULL);
      return ls_test_await_sleep (co, 1, out, 0);
    case 1:
      ls_loop_block (loop, 2.5);
      ls_test_print ("main unblocked at %s", ls_test_now ());
      m->t[1] = ls_task_new (loop, LS_TEST_CORO ("sleeper", sleeper, .name = "late", .delay = 1), NULL);
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->t[0]));
    case 2:
      return ls_ccoro_await (co, 3, out, ls_value_ref (m->t[1]));
    case 3:
      ls_test_print ("done at %s", ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- block_in_callback.py ---------------------------------------------------- */

/* blocker(loop, name, secs), the loop being the running one. */
static gboolean
blocker (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  const char *name = ls_str_get (args[0]);

  ls_test_print ("%s starts at %s", name, ls_test_now ());
  ls_loop_block (ls_loop_get_running (), ls_value_as_float (args[1]));
  ls_test_print ("%s ends at %s", name, ls_test_now ());
  *result = ls_none ();
  return TRUE;
}

static LsCallback
blocker_callback (void)
{
  return ls_callback_value (ls_builtin_new ("blocker", blocker, ls_none (), NULL, NULL));
}

static LsCCoroAction
in_callback_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();
  LsValue args[2];

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      args[0] = ls_str_new ("first");
      args[1] = ls_float (0.5);
      ls_object_unref (ls_loop_call_soon (loop, blocker_callback (), 2, args));
      args[0] = ls_str_new ("second");
      args[1] = ls_float (0.25);
      ls_object_unref (ls_loop_call_soon (loop, blocker_callback (), 2, args));
      args[0] = ls_str_new ("timer");
      args[1] = ls_float (1);
      ls_object_unref (ls_loop_call_later (loop, 0.5, blocker_callback (), 2, args));
      return ls_test_await_sleep (co, 1, out, 0.5);
    case 1:
      ls_test_print ("main woke at %s", ls_test_now ());
      return ls_test_await_sleep (co, 2, out, 1);
    case 2:
      ls_test_print ("done at %s", ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- block_deadlock_future.py ------------------------------------------------ */

static LsCCoroAction
deadlock_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *l = co->data;     /* value: the future */

  switch (co->pc)
    {
    case 0:
      ls_test_print ("waiter waits");
      return ls_ccoro_await (co, 1, out, ls_value_ref (l->value));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("never printed");
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static LsCCoroAction
deadlock_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;     /* value: the future, t[0]: the waiter */
  LsLoop *loop = ls_loop_get_running ();

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->value = ls_future_new (loop);
      m->t[0] = ls_task_new (loop, LS_TEST_CORO ("waiter", deadlock_waiter,
                                                 .value = ls_value_ref (m->value)), "waiter");
      return ls_test_await_sleep (co, 1, out, 1);
    case 1:
      ls_test_print ("main awaits the waiter at %s", ls_test_now ());
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->t[0]));
    case 2:
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* The oracle exits with status 3 here (regen-cases.sh prints it; its
 * trace stops without the Runner's shutdown tasks, as ours must); its
 * report's wording is its own, so only ours is checked for content. */
static void
test_deadlock_future (void)
{
  LsTestRun *run = ls_test_run_new ();
  const char *report;

  g_assert_false (ls_test_asyncio_run (run, ls_test_coro ("main", deadlock_main, NULL)));
  g_assert_true (ls_loop_deadlocked (run->loop));
  g_assert_false (ls_loop_limit_hit (run->loop));
  report = ls_loop_deadlock_report (run->loop);
  g_assert_nonnull (report);
  g_assert_true (g_str_has_prefix (report, "deadlock at t=1.0"));
  g_assert_nonnull (strstr (report, "2 tasks waiting"));
  g_assert_nonnull (strstr (report, "\n  Task-1 (main()) waits on task waiter"));
  g_assert_nonnull (strstr (report, "\n  waiter (waiter()) waits on future #"));
  g_assert_true (g_str_has_prefix (run->err->str, "RuntimeError: deadlock at t=1.0"));
  ls_test_check_case (run, "block_deadlock_future");
  ls_test_run_free (run);
}

/* ---- limits (no oracle: CPython has none) ---------------------------------------- */

/* while True: await asyncio.sleep(0) */
static LsCCoroAction
spinner (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  return ls_test_await_sleep (co, 1, out, 0);
}

/* while True: await asyncio.sleep(1); print("tick", loop.time()) */
static LsCCoroAction
ticker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 1)
    ls_test_print ("tick %s", ls_test_now ());
  return ls_test_await_sleep (co, 1, out, 1);
}

/* while True: time.sleep(1); await asyncio.sleep(0) */
static LsCCoroAction
blocking_spinner (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  ls_loop_block (ls_loop_get_running (), 1);
  return ls_test_await_sleep (co, 1, out, 0);
}

/* main(): awaits a task running `body`. */
static LsCCoroAction
await_child_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsCCoroFn body = (LsCCoroFn) co->data;

  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_task_new (ls_loop_get_running (),
                                                    ls_ccoro_new ("child", body, NULL, NULL),
                                                    NULL));
  return ls_ccoro_pass (in, thrown, out);
}

static LsValue
await_child (LsCCoroFn body)
{
  return ls_ccoro_new ("main", await_child_main, (gpointer) body, NULL);
}

static void
test_limit_max_steps (void)
{
  LsTestRun *run = ls_test_run_new ();

  ls_loop_set_limits (run->loop, 100, 0);
  g_assert_false (ls_test_asyncio_run (run, await_child (spinner)));
  g_assert_true (ls_loop_limit_hit (run->loop));
  g_assert_false (ls_loop_deadlocked (run->loop));
  g_assert_false (ls_loop_is_running (run->loop));
  g_assert_cmpuint (ls_loop_steps (run->loop), ==, 100);
  g_assert_cmpstr (run->err->str, ==, "RuntimeError: limit reached: 100 task steps\n");
  g_assert_cmpfloat (ls_loop_time (run->loop), ==, 0.0);
  /* Stopped mid-run: the Runner's shutdown did not run, so the last steps
   * are the child's. */
  g_assert_true (g_str_has_suffix (ls_step_trace_text (run->steps),
                                   "{\"t\": 0.0, \"task\": \"Task-2\", \"ev\": \"step\"}\n"));
  ls_test_run_free (run);
}

static void
test_limit_max_time (void)
{
  LsTestRun *run = ls_test_run_new ();

  ls_loop_set_limits (run->loop, 0, 5.5);
  g_assert_false (ls_test_asyncio_run (run, await_child (ticker)));
  g_assert_true (ls_loop_limit_hit (run->loop));
  g_assert_false (ls_loop_deadlocked (run->loop));
  g_assert_cmpstr (run->out->str, ==, "tick 1.0\ntick 2.0\ntick 3.0\ntick 4.0\ntick 5.0\n");
  g_assert_cmpstr (run->err->str, ==,
                   "RuntimeError: limit reached: virtual time passed 5.5 seconds\n");
  /* The clock went to the next deadline, and nothing ran there. */
  g_assert_cmpfloat (ls_loop_time (run->loop), ==, 6.0);
  ls_test_run_free (run);
}

/* A loop that blocks itself: the time limit catches it at the next
 * iteration after the clock has passed it. */
static void
test_limit_max_time_blocking (void)
{
  LsTestRun *run = ls_test_run_new ();

  ls_loop_set_limits (run->loop, 0, 3.5);
  g_assert_false (ls_test_asyncio_run (run, await_child (blocking_spinner)));
  g_assert_true (ls_loop_limit_hit (run->loop));
  g_assert_cmpfloat (ls_loop_time (run->loop), ==, 4.0);
  g_assert_cmpuint (ls_loop_steps (run->loop), ==, 5);
  ls_test_run_free (run);
}

static const LsTest tests[] = {
  LS_TEST_CASE ("/engine/blocking/count-down", "block_count_down", count_down_main),
  LS_TEST_CASE ("/engine/blocking/round-robin", "block_round_robin", rr_main),
  LS_TEST_CASE ("/engine/blocking/timer-late", "block_timer_late", late_main),
  LS_TEST_CASE ("/engine/blocking/in-callback", "block_in_callback", in_callback_main),
  LS_TEST_FUNC ("/engine/blocking/deadlock-future", test_deadlock_future),
  LS_TEST_FUNC ("/engine/blocking/limit-max-steps", test_limit_max_steps),
  LS_TEST_FUNC ("/engine/blocking/limit-max-time", test_limit_max_time),
  LS_TEST_FUNC ("/engine/blocking/limit-max-time-blocking", test_limit_max_time_blocking),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
