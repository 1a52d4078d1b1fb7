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

static double
now (void)
{
  return ls_loop_time (ls_loop_get_running ());
}

/* ---- block_count_down.py ------------------------------------------------ */

typedef struct {
  char name[4];
  int n;
} CountDown;

/* async def count_down(name, n): no await, so one step does it all. */
static LsCCoroAction
count_down_blocking (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  CountDown *s = co->data;

  for (int i = s->n; i > 0; i--)
    {
      ls_test_print ("%s %d at %s", s->name, i, ls_test_float (now ()));
      ls_loop_block (ls_loop_get_running (), 1);
    }
  return ls_ccoro_return (out, ls_str_new (s->name));
}

static LsValue
count_down_new (const char *name, int n)
{
  CountDown *s = g_new0 (CountDown, 1);
  g_strlcpy (s->name, name, sizeof s->name);
  s->n = n;
  return ls_ccoro_new ("count_down", count_down_blocking, s, g_free);
}

static LsCCoroAction
count_down_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue aws[3], fut;
  char *r;

  switch (co->pc)
    {
    case 0:
      aws[0] = count_down_new ("A", 3);
      aws[1] = count_down_new ("B", 3);
      aws[2] = count_down_new ("C", 3);
      if (!ls_gather (ls_loop_get_running (), 3, aws, FALSE, &fut))
        return ls_ccoro_raise (out, fut);
      for (int i = 0; i < 3; i++)
        ls_value_unref (aws[i]);
      return ls_ccoro_await (co, 1, out, fut);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      r = ls_value_repr (in);
      ls_test_print ("%s finished at %s", r, ls_test_float (now ()));
      g_free (r);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_count_down (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", count_down_main, NULL, NULL)));
  ls_test_check_case (run, "block_count_down");
  ls_test_run_free (run);
}

/* ---- block_round_robin.py --------------------------------------------------- */

typedef struct {
  char name[4];
  int i;
} RRWorker;

static LsCCoroAction
rr_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  RRWorker *w = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 1)
    w->i++;
  if (w->i < 2)
    {
      ls_loop_block (ls_loop_get_running (), 1);
      ls_test_print ("%s %d at %s", w->name, w->i, ls_test_float (now ()));
      return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
    }
  return ls_ccoro_return (out, ls_str_new (w->name));
}

typedef struct {
  LsValue tasks[3];
  int i;
} RRMain;

static void
rr_main_free (gpointer p)
{
  RRMain *m = p;
  for (int i = 0; i < 3; i++)
    ls_value_unref (m->tasks[i]);
  g_free (m);
}

static LsCCoroAction
rr_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  RRMain *m = co->data;

  switch (co->pc)
    {
    case 0:
      for (int i = 0; i < 3; i++)
        {
          RRWorker *w = g_new0 (RRWorker, 1);
          w->name[0] = (char) ('A' + i);
          m->tasks[i] = ls_task_new (ls_loop_get_running (),
                                     ls_ccoro_new ("worker", rr_worker, w, g_free), NULL);
        }
      return ls_ccoro_await (co, 1, out, ls_value_ref (m->tasks[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("result %s at %s", ls_str_get (in), ls_test_float (now ()));
      if (++m->i < 3)
        return ls_ccoro_await (co, 1, out, ls_value_ref (m->tasks[m->i]));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_round_robin (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", rr_main, g_new0 (RRMain, 1),
                                                         rr_main_free)));
  ls_test_check_case (run, "block_round_robin");
  ls_test_run_free (run);
}

/* ---- block_timer_late.py ------------------------------------------------------ */

typedef struct {
  const char *name;
  double delay;
} Sleeper;

static LsCCoroAction
sleeper (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Sleeper *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_sleep (s->delay, ls_none ()));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s woke at %s", s->name, ls_test_float (now ()));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static LsValue
sleeper_new (const char *name, double delay)
{
  Sleeper *s = g_new0 (Sleeper, 1);
  s->name = name;
  s->delay = delay;
  return ls_ccoro_new ("sleeper", sleeper, s, g_free);
}

/* lambda: print("timer at", loop.time()) */
static gboolean
print_timer_at (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  ls_test_print ("timer at %s", ls_test_float (now ()));
  *result = ls_none ();
  return TRUE;
}

typedef struct {
  LsValue t, u;
} LateMain;

static void
late_main_free (gpointer p)
{
  LateMain *m = p;
  ls_value_unref (m->t);
  ls_value_unref (m->u);
  g_free (m);
}

static LsCCoroAction
late_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LateMain *m = co->data;
  LsLoop *loop = ls_loop_get_running ();

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      ls_object_unref (ls_loop_call_later (loop, 1, ls_callback_value (
                                             ls_builtin_new ("<lambda>", print_timer_at, ls_none (),
                                                             NULL, NULL)), 0, NULL));
      m->t = ls_task_new (loop, sleeper_new ("early", 1), NULL);
      return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
    case 1:
      ls_loop_block (loop, 2.5);
      ls_test_print ("main unblocked at %s", ls_test_float (now ()));
      m->u = ls_task_new (loop, sleeper_new ("late", 1), NULL);
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->t));
    case 2:
      return ls_ccoro_await (co, 3, out, ls_value_ref (m->u));
    case 3:
      ls_test_print ("done at %s", ls_test_float (now ()));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_timer_late (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", late_main, g_new0 (LateMain, 1),
                                                         late_main_free)));
  ls_test_check_case (run, "block_timer_late");
  ls_test_run_free (run);
}

/* ---- block_in_callback.py ---------------------------------------------------- */

/* blocker(loop, name, secs), the loop being the running one. */
static gboolean
blocker (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  const char *name = ls_str_get (args[0]);

  ls_test_print ("%s starts at %s", name, ls_test_float (now ()));
  ls_loop_block (ls_loop_get_running (), args[1].u.f);
  ls_test_print ("%s ends at %s", name, ls_test_float (now ()));
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
      return ls_ccoro_await (co, 1, out, ls_sleep (0.5, ls_none ()));
    case 1:
      ls_test_print ("main woke at %s", ls_test_float (now ()));
      return ls_ccoro_await (co, 2, out, ls_sleep (1, ls_none ()));
    case 2:
      ls_test_print ("done at %s", ls_test_float (now ()));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_in_callback (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", in_callback_main, NULL, NULL)));
  ls_test_check_case (run, "block_in_callback");
  ls_test_run_free (run);
}

/* ---- block_deadlock_future.py ------------------------------------------------ */

static LsCCoroAction
deadlock_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue *fut = co->data;

  switch (co->pc)
    {
    case 0:
      ls_test_print ("waiter waits");
      return ls_ccoro_await (co, 1, out, ls_value_ref (*fut));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("never printed");
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
value_free (gpointer p)
{
  ls_value_unref (*(LsValue *) p);
  g_free (p);
}

static LsValue *
value_box (LsValue v)
{
  LsValue *box = g_new (LsValue, 1);
  *box = v;
  return box;
}

typedef struct {
  LsValue fut, t;
} DeadlockMain;

static void
deadlock_main_free (gpointer p)
{
  DeadlockMain *m = p;
  ls_value_unref (m->fut);
  ls_value_unref (m->t);
  g_free (m);
}

static LsCCoroAction
deadlock_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  DeadlockMain *m = co->data;
  LsLoop *loop = ls_loop_get_running ();

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->fut = ls_future_new (loop);
      m->t = ls_task_new (loop, ls_ccoro_new ("waiter", deadlock_waiter,
                                              value_box (ls_value_ref (m->fut)), value_free),
                          "waiter");
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
    case 1:
      ls_test_print ("main awaits the waiter at %s", ls_test_float (now ()));
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->t));
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

  g_assert_false (ls_test_asyncio_run (run, ls_ccoro_new ("main", deadlock_main,
                                                          g_new0 (DeadlockMain, 1),
                                                          deadlock_main_free)));
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
  return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
}

/* while True: await asyncio.sleep(1); print("tick", loop.time()) */
static LsCCoroAction
ticker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 1)
    ls_test_print ("tick %s", ls_test_float (now ()));
  return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
}

/* while True: time.sleep(1); await asyncio.sleep(0) */
static LsCCoroAction
blocking_spinner (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  ls_loop_block (ls_loop_get_running (), 1);
  return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
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
  g_assert_true (g_str_has_suffix (run->trace->str,
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/engine/blocking/count-down", test_count_down);
  g_test_add_func ("/engine/blocking/round-robin", test_round_robin);
  g_test_add_func ("/engine/blocking/timer-late", test_timer_late);
  g_test_add_func ("/engine/blocking/in-callback", test_in_callback);
  g_test_add_func ("/engine/blocking/deadlock-future", test_deadlock_future);
  g_test_add_func ("/engine/blocking/limit-max-steps", test_limit_max_steps);
  g_test_add_func ("/engine/blocking/limit-max-time", test_limit_max_time);
  g_test_add_func ("/engine/blocking/limit-max-time-blocking", test_limit_max_time_blocking);
  return g_test_run ();
}
