/* test-sched.c - the loop, timers, sleep, tasks and gather against CPython.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py: the same awaits in
 * the same order, so the engine must print the same lines and take the same
 * task steps at the same virtual times as CPython 3.12 did.
 */
#include "ls-test-harness.h"

/* ---- timer_ties.py ---------------------------------------------------- */

static LsCCoroAction
ties_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();

  switch (co->pc)
    {
    case 0:
      for (const char *x = "ABCDE"; *x; x++)
        ls_test_call_later_print (loop, 1.0, (char[]) { *x, 0 });
      return ls_test_await_sleep (co, 1, out, 2);
    case 1:
      ls_test_print ("done at %s", ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- sleep0_round_robin.py --------------------------------------------- */

/* async def worker(name, n): name, n, the loop's i */
static LsCCoroAction
rr_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *w = co->data;

  if (co->pc == 1)
    w->i++;
  if (w->i < w->n)
    {
      ls_test_print ("%s %d", w->name, (int) w->i);
      return ls_test_await_sleep (co, 1, out, 0);
    }
  return ls_ccoro_return (out, ls_str_new (w->name));
}

/* main(): the workers in t[], i the one awaited */
static LsCCoroAction
rr_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsLoop *loop = ls_loop_get_running ();

  switch (co->pc)
    {
    case 0:
      for (int i = 0; i < 3; i++)
        m->t[i] = ls_task_new (loop, LS_TEST_CORO ("worker", rr_worker,
                                                   .name = { (char) ('A' + i) }, .n = 3), NULL);
      return ls_ccoro_await (co, 1, out, ls_value_ref (m->t[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("result %s", ls_str_get (in));
      if (++m->i < 3)
        return ls_ccoro_await (co, 1, out, ls_value_ref (m->t[m->i]));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- gather_factorial.py ---------------------------------------------- */

/* async def factorial(name, number): name, n the number, acc f, i */
static LsCCoroAction
factorial (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      s->acc = 1;
      s->i = 2;
    }
  else
    {
      s->acc *= s->i;
      s->i++;
    }
  if (s->i <= s->n)
    {
      ls_test_print ("Task %s: Compute factorial(%" G_GINT64_FORMAT "), currently i=%" G_GINT64_FORMAT "...",
                     s->name, s->n, s->i);
      return ls_test_await_sleep (co, 1, out, 1);
    }
  ls_test_print ("Task %s: factorial(%" G_GINT64_FORMAT ") = %" G_GINT64_FORMAT, s->name, s->n, s->acc);
  return ls_ccoro_return (out, ls_int (s->acc));
}

static LsCCoroAction
gather_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue aws[3];

  switch (co->pc)
    {
    case 0:
      for (int i = 0; i < 3; i++)
        aws[i] = LS_TEST_CORO ("factorial", factorial, .name = { (char) ('A' + i) }, .n = 2 + i);
      return ls_test_await_gather_take (co, 1, out, 3, aws, FALSE);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s", ls_test_repr (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static const LsTest tests[] = {
  LS_TEST_CASE ("/engine/sched/timer-ties", "timer_ties", ties_main),
  LS_TEST_CASE ("/engine/sched/sleep0-round-robin", "sleep0_round_robin", rr_main),
  LS_TEST_CASE ("/engine/sched/gather-factorial", "gather_factorial", gather_main),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
