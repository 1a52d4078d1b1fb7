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
        {
          LsValue arg = ls_str_new_len (x, 1);
          ls_object_unref (ls_loop_call_later (loop, 1.0, ls_callback_value (ls_test_print_callable ()),
                                               1, &arg));
        }
      return ls_ccoro_await (co, 1, out, ls_sleep (2, ls_none ()));
    case 1:
      ls_test_print ("done at %s", ls_test_float (ls_loop_time (loop)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_timer_ties (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", ties_main, NULL, NULL)));
  ls_test_check_case (run, "timer_ties");
  ls_test_run_free (run);
}

/* ---- sleep0_round_robin.py --------------------------------------------- */

typedef struct {
  char name[8];
  int n, i;
} WorkerState;

static LsCCoroAction
rr_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  WorkerState *w = co->data;

  if (co->pc == 1)
    w->i++;
  if (w->i < w->n)
    {
      ls_test_print ("%s %d", w->name, w->i);
      return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
    }
  return ls_ccoro_return (out, ls_str_new (w->name));
}

static LsValue
worker_new (const char *name, int n, LsCCoroFn fn)
{
  WorkerState *w = g_new0 (WorkerState, 1);
  g_strlcpy (w->name, name, sizeof w->name);
  w->n = n;
  return ls_ccoro_new ("worker", fn, w, g_free);
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
  LsLoop *loop = ls_loop_get_running ();

  switch (co->pc)
    {
    case 0:
      for (int i = 0; i < 3; i++)
        {
          char name[2] = { (char) ('A' + i), 0 };
          m->tasks[i] = ls_task_new (loop, worker_new (name, 3, rr_worker), NULL);
        }
      return ls_ccoro_await (co, 1, out, ls_value_ref (m->tasks[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("result %s", ls_str_get (in));
      if (++m->i < 3)
        return ls_ccoro_await (co, 1, out, ls_value_ref (m->tasks[m->i]));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_sleep0_round_robin (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", rr_main, g_new0 (RRMain, 1),
                                                         rr_main_free)));
  ls_test_check_case (run, "sleep0_round_robin");
  ls_test_run_free (run);
}

/* ---- gather_factorial.py ---------------------------------------------- */

typedef struct {
  char name[4];
  gint64 number, f, i;
} FactState;

static LsCCoroAction
factorial (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  FactState *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      s->f = 1;
      s->i = 2;
    }
  else
    {
      s->f *= s->i;
      s->i++;
    }
  if (s->i <= s->number)
    {
      ls_test_print ("Task %s: Compute factorial(%" G_GINT64_FORMAT "), currently i=%" G_GINT64_FORMAT "...",
                     s->name, s->number, s->i);
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
    }
  ls_test_print ("Task %s: factorial(%" G_GINT64_FORMAT ") = %" G_GINT64_FORMAT, s->name, s->number, s->f);
  return ls_ccoro_return (out, ls_int (s->f));
}

static LsValue
factorial_new (const char *name, gint64 number)
{
  FactState *s = g_new0 (FactState, 1);
  g_strlcpy (s->name, name, sizeof s->name);
  s->number = number;
  return ls_ccoro_new ("factorial", factorial, s, g_free);
}

static LsCCoroAction
gather_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue aws[3], fut;
  char *r;

  switch (co->pc)
    {
    case 0:
      aws[0] = factorial_new ("A", 2);
      aws[1] = factorial_new ("B", 3);
      aws[2] = factorial_new ("C", 4);
      if (!ls_gather (ls_loop_get_running (), 3, aws, FALSE, &fut))
        return ls_ccoro_raise (out, fut);
      for (int i = 0; i < 3; i++)
        ls_value_unref (aws[i]);
      return ls_ccoro_await (co, 1, out, fut);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      r = ls_value_repr (in);
      ls_test_print ("%s", r);
      g_free (r);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_gather_factorial (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", gather_main, NULL, NULL)));
  ls_test_check_case (run, "gather_factorial");
  ls_test_run_free (run);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/engine/sched/timer-ties", test_timer_ties);
  g_test_add_func ("/engine/sched/sleep0-round-robin", test_sleep0_round_robin);
  g_test_add_func ("/engine/sched/gather-factorial", test_gather_factorial);
  return g_test_run ();
}
