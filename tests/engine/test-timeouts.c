/* test-timeouts.c - asyncio.timeout() and timeout_at() against CPython.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py.  `async with cm:`
 * is spelled out the way the interpreter runs it: await cm.__aenter__(),
 * the body, then await cm.__aexit__(exc) with the exception leaving the
 * body (or None); if __aexit__ returns normally the body's exception goes
 * on, if it raises, its exception replaces the body's.
 */
#include "ls-test-harness.h"

/* ---- helpers ------------------------------------------------------------ */

static const char *
keep (char *s)
{
  static char *ring[16];
  static guint next;
  guint i = next++ % G_N_ELEMENTS (ring);
  g_free (ring[i]);
  ring[i] = s;
  return s;
}

static const char *R (LsValue v) { return keep (ls_value_repr (v)); }
static const char *B (gboolean b) { return b ? "True" : "False"; }

static const char *
T (double d)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  ls_float_repr (d, buf);
  return keep (g_strdup (buf));
}

static double
now (void)
{
  return ls_loop_time (ls_loop_get_running ());
}

static const char *
NOW (void)
{
  return T (now ());
}

/* cm.when(), printed */
static const char *
WHEN (LsValue cm)
{
  double w = ls_timeout_when (cm);
  return ls_timeout_is_none (w) ? "None" : T (w);
}

static guint
cancelling (void)
{
  return ls_task_cancelling (ls_loop_current_task (ls_loop_get_running ()));
}

static const char *
cause (LsValue exc)
{
  return R (((LsException *) exc.u.o)->cause);
}

/* The locals of a main coroutine: up to three timeouts, the exception
 * leaving the current `async with` body, and a task. */
typedef struct {
  LsValue cm[3];
  LsValue body_exc;
  LsValue task;
} Main;

static void
main_free (gpointer p)
{
  Main *m = p;
  for (guint i = 0; i < G_N_ELEMENTS (m->cm); i++)
    ls_value_unref (m->cm[i]);
  ls_value_unref (m->body_exc);
  ls_value_unref (m->task);
  g_free (m);
}

static void
run_case (const char *name, LsCCoroFn main_fn)
{
  LsTestRun *run = ls_test_run_new ();
  ls_test_asyncio_run (run, ls_ccoro_new ("main", main_fn, g_new0 (Main, 1), main_free));
  ls_test_check_case (run, name);
  g_assert_cmpstr (run->err->str, ==, "");
  ls_test_run_free (run);
}

/* The end of an `async with` body: remember what leaves it, then await
 * __aexit__ with it. */
static LsCCoroAction
leave_block (LsCCoro *co, int next_pc, LsValue *out, Main *m, LsValue cm,
             LsValue in, gboolean thrown)
{
  ls_value_set (&m->body_exc, thrown ? ls_value_ref (in) : ls_none ());
  return ls_ccoro_await (co, next_pc, out, ls_timeout_aexit (cm, m->body_exc));
}

/* After __aexit__: the exception that leaves the `async with` statement
 * (a new reference), or None. */
static LsValue
block_outcome (Main *m, LsValue in, gboolean thrown)
{
  if (thrown)
    return ls_value_ref (in);
  return ls_value_steal (&m->body_exc);
}

/* cm.reschedule(when), printing a RuntimeError as the Python programs do */
static void
reschedule (LsValue cm, double when)
{
  LsValue err;
  if (!ls_timeout_reschedule (cm, when, &err))
    {
      char *msg = ls_exc_str (err);
      ls_test_print ("RuntimeError: %s", msg);
      g_free (msg);
      ls_value_unref (err);
    }
}

static LsCCoroAction
unexpected (LsValue *out, LsValue exc)
{
  char *what = ls_is_none (exc) ? g_strdup ("nothing") : ls_value_repr (exc);
  LsValue err = ls_exc_newf (&ls_exc_RuntimeError, "unexpected: %s", what);
  g_free (what);
  ls_value_unref (exc);
  return ls_ccoro_raise (out, err);
}

/* ---- timeout_nested_inner.py ------------------------------------------- */

static LsCCoroAction
nested_inner_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  LsValue exc;

  switch (co->pc)
    {
    case 0:
      /* async with asyncio.timeout(5) as outer: */
      m->cm[0] = ls_timeout_new (NULL, 5);
      return ls_ccoro_await (co, 1, out, ls_timeout_aenter (m->cm[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      /* async with asyncio.timeout(1) as inner: */
      m->cm[1] = ls_timeout_new (NULL, 1);
      return ls_ccoro_await (co, 2, out, ls_timeout_aenter (m->cm[1]));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 3, out, ls_sleep (10, ls_none ()));
    case 3:
      return leave_block (co, 4, out, m, m->cm[1], in, thrown);
    case 4:
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_TimeoutError))
        return unexpected (out, exc);
      ls_test_print ("inner timed out at %s cause %s", NOW (), cause (exc));
      ls_test_print ("inner expired %s outer expired %s", B (ls_timeout_expired (m->cm[1])),
                     B (ls_timeout_expired (m->cm[0])));
      ls_value_unref (exc);
      ls_test_print ("%s", R (m->cm[0]));
      return ls_ccoro_await (co, 5, out, ls_sleep (1, ls_none ()));
    case 5:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("outer body finished at %s", NOW ());
      return leave_block (co, 6, out, m, m->cm[0], in, thrown);
    case 6:
      exc = block_outcome (m, in, thrown);
      if (!ls_is_none (exc))
        return ls_ccoro_raise (out, exc);
      ls_test_print ("outer expired %s %s %s", B (ls_timeout_expired (m->cm[0])), R (m->cm[0]),
                     R (m->cm[1]));
      ls_test_print ("cancelling %u", cancelling ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_nested_inner (void)
{
  run_case ("timeout_nested_inner", nested_inner_main);
}

/* ---- timeout_nested_outer.py --------------------------------------------- */

static LsCCoroAction
nested_outer_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  LsValue exc;

  switch (co->pc)
    {
    case 0:
      m->cm[0] = ls_timeout_new (NULL, 1);
      return ls_ccoro_await (co, 1, out, ls_timeout_aenter (m->cm[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      m->cm[1] = ls_timeout_new (NULL, 5);
      return ls_ccoro_await (co, 2, out, ls_timeout_aenter (m->cm[1]));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 3, out, ls_sleep (10, ls_none ()));
    case 3:
      return leave_block (co, 4, out, m, m->cm[1], in, thrown);
    case 4:
      /* except asyncio.CancelledError: print(...); raise */
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_CancelledError))
        return unexpected (out, exc);
      ls_test_print ("inner block cancelled at %s inner expired %s", NOW (),
                     B (ls_timeout_expired (m->cm[1])));
      /* the exception leaves the outer body */
      ls_value_set (&m->body_exc, exc);
      return ls_ccoro_await (co, 5, out, ls_timeout_aexit (m->cm[0], m->body_exc));
    case 5:
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_TimeoutError))
        return unexpected (out, exc);
      ls_value_unref (exc);
      ls_test_print ("outer timed out at %s", NOW ());
      ls_test_print ("outer %s %s inner %s %s", B (ls_timeout_expired (m->cm[0])), R (m->cm[0]),
                     B (ls_timeout_expired (m->cm[1])), R (m->cm[1]));
      ls_test_print ("cancelling %u", cancelling ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_nested_outer (void)
{
  run_case ("timeout_nested_outer", nested_outer_main);
}

/* ---- timeout_reschedule.py ------------------------------------------------ */

static LsCCoroAction
reschedule_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  LsValue exc;

  switch (co->pc)
    {
    case 0:
      m->cm[0] = ls_timeout_new (NULL, LS_NO_TIMEOUT);
      ls_test_print ("%s %s", R (m->cm[0]), WHEN (m->cm[0]));
      reschedule (m->cm[0], 1);
      return ls_ccoro_await (co, 1, out, ls_timeout_aenter (m->cm[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s %s", R (m->cm[0]), WHEN (m->cm[0]));
      reschedule (m->cm[0], now () + 1);
      return ls_ccoro_await (co, 2, out, ls_sleep (0.5, ls_none ()));
    case 2:
      if (thrown)
        return leave_block (co, 4, out, m, m->cm[0], in, thrown);
      reschedule (m->cm[0], now () + 2);
      ls_test_print ("%s %s", R (m->cm[0]), WHEN (m->cm[0]));
      return ls_ccoro_await (co, 3, out, ls_sleep (10, ls_none ()));
    case 3:
      return leave_block (co, 4, out, m, m->cm[0], in, thrown);
    case 4:
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_TimeoutError))
        return unexpected (out, exc);
      ls_value_unref (exc);
      ls_test_print ("timed out at %s %s %s", NOW (), R (m->cm[0]),
                     B (ls_timeout_expired (m->cm[0])));
      reschedule (m->cm[0], LS_NO_TIMEOUT);
      /* the deadline moved into the past fires at the next iteration */
      m->cm[1] = ls_timeout_new (NULL, 10);
      return ls_ccoro_await (co, 5, out, ls_timeout_aenter (m->cm[1]));
    case 5:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      reschedule (m->cm[1], now () - 1);
      return ls_ccoro_await (co, 6, out, ls_sleep (1, ls_none ()));
    case 6:
      return leave_block (co, 7, out, m, m->cm[1], in, thrown);
    case 7:
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_TimeoutError))
        return unexpected (out, exc);
      ls_value_unref (exc);
      ls_test_print ("past deadline fired at %s", NOW ());
      /* rescheduled to None: disarmed */
      m->cm[2] = ls_timeout_new (NULL, 1);
      return ls_ccoro_await (co, 8, out, ls_timeout_aenter (m->cm[2]));
    case 8:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      reschedule (m->cm[2], LS_NO_TIMEOUT);
      return ls_ccoro_await (co, 9, out, ls_sleep (2, ls_none ()));
    case 9:
      return leave_block (co, 10, out, m, m->cm[2], in, thrown);
    case 10:
      exc = block_outcome (m, in, thrown);
      if (!ls_is_none (exc))
        return ls_ccoro_raise (out, exc);
      ls_test_print ("disarmed %s %s at %s", B (ls_timeout_expired (m->cm[2])), R (m->cm[2]),
                     NOW ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_reschedule (void)
{
  run_case ("timeout_reschedule", reschedule_main);
}

/* ---- timeout_at.py ------------------------------------------------------------ */

static LsCCoroAction
timeout_at_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  LsValue exc;
  char *msg;

  switch (co->pc)
    {
    case 0:
      m->cm[0] = ls_timeout_at_new (NULL, now () + 1.25);
      return ls_ccoro_await (co, 1, out, ls_timeout_aenter (m->cm[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("when %s", WHEN (m->cm[0]));
      return ls_ccoro_await (co, 2, out, ls_sleep (5, ls_none ()));
    case 2:
      return leave_block (co, 3, out, m, m->cm[0], in, thrown);
    case 3:
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_TimeoutError))
        return unexpected (out, exc);
      ls_test_print ("timed out at %s cause %s", NOW (), cause (exc));
      ls_value_unref (exc);
      ls_value_set (&m->cm[0], ls_timeout_at_new (NULL, now () + 10));
      return ls_ccoro_await (co, 4, out, ls_timeout_aenter (m->cm[0]));
    case 4:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 5, out, ls_sleep (1, ls_none ()));
    case 5:
      return leave_block (co, 6, out, m, m->cm[0], in, thrown);
    case 6:
      exc = block_outcome (m, in, thrown);
      if (!ls_is_none (exc))
        return ls_ccoro_raise (out, exc);
      ls_test_print ("in time %s at %s %s", B (ls_timeout_expired (m->cm[0])), NOW (),
                     R (m->cm[0]));
      /* entering it again */
      return ls_ccoro_await (co, 7, out, ls_timeout_aenter (m->cm[0]));
    case 7:
      if (!thrown || !ls_exc_matches (in, &ls_exc_RuntimeError))
        return unexpected (out, ls_value_ref (in));
      msg = ls_exc_str (in);
      ls_test_print ("RuntimeError: %s", msg);
      g_free (msg);
      ls_value_set (&m->cm[0], ls_timeout_at_new (NULL, LS_NO_TIMEOUT));
      return ls_ccoro_await (co, 8, out, ls_timeout_aenter (m->cm[0]));
    case 8:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 9, out, ls_sleep (3, ls_none ()));
    case 9:
      return leave_block (co, 10, out, m, m->cm[0], in, thrown);
    case 10:
      exc = block_outcome (m, in, thrown);
      if (!ls_is_none (exc))
        return ls_ccoro_raise (out, exc);
      ls_test_print ("never %s %s at %s", B (ls_timeout_expired (m->cm[0])), WHEN (m->cm[0]),
                     NOW ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_timeout_at (void)
{
  run_case ("timeout_at", timeout_at_main);
}

/* ---- timeout_external_cancel.py -------------------------------------------------- */

static LsCCoroAction
external_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  LsValue exc;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      m->cm[0] = ls_timeout_new (NULL, 1);
      return ls_ccoro_await (co, 1, out, ls_timeout_aenter (m->cm[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 2, out, ls_sleep (10, ls_none ()));
    case 2:
      return leave_block (co, 3, out, m, m->cm[0], in, thrown);
    case 3:
      exc = block_outcome (m, in, thrown);
      if (ls_exc_matches (exc, &ls_exc_CancelledError))
        {
          ls_test_print ("worker got CancelledError at %s expired %s cancelling %u", NOW (),
                         B (ls_timeout_expired (m->cm[0])), cancelling ());
          return ls_ccoro_raise (out, exc);
        }
      if (ls_exc_matches (exc, &ls_exc_TimeoutError))
        {
          ls_test_print ("worker got TimeoutError");
          ls_value_unref (exc);
          return ls_ccoro_return (out, ls_none ());
        }
      return unexpected (out, exc);
    }
  g_assert_not_reached ();
}

static gboolean
cancel_builtin (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_bool (ls_future_cancel (ls_future_from (self), ls_none ()));
  return TRUE;
}

static LsCCoroAction
external_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue cb;

  switch (co->pc)
    {
    case 0:
      /* asyncio.create_task(worker(), name="worker") */
      m->task = ls_task_new (loop, ls_ccoro_new ("worker", external_worker, g_new0 (Main, 1),
                                                 main_free), NULL);
      ls_task_set_name ((LsTask *) m->task.u.o, "worker");
      cb = ls_builtin_new ("cancel", cancel_builtin, ls_value_ref (m->task), NULL, NULL);
      ls_object_unref (ls_loop_call_later (loop, 1, ls_callback_value (cb), 0, NULL));
      return ls_ccoro_await (co, 1, out, ls_value_ref (m->task));
    case 1:
      if (!thrown || !ls_exc_matches (in, &ls_exc_CancelledError))
        return unexpected (out, ls_value_ref (in));
      ls_test_print ("worker cancelled %s at %s",
                     B (ls_future_cancelled (ls_future_from (m->task))), NOW ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_external_cancel (void)
{
  run_case ("timeout_external_cancel", external_main);
}

/* ---- misuse ------------------------------------------------------------------------ */

/* A Timeout used wrongly raises; nothing aborts. */
static void
test_misuse (void)
{
  LsValue cm, err, out;

  /* timeout() with no loop at all */
  cm = ls_timeout_new (NULL, 1);
  g_assert_true (ls_exc_matches (cm, &ls_exc_RuntimeError));
  ls_value_unref (cm);

  /* __aenter__ outside a task */
  cm = ls_timeout_at_new (NULL, 5);
  g_assert_cmpfloat (ls_timeout_when (cm), ==, 5);
  out = ls_timeout_aenter (cm);
  g_assert_cmpint (ls_coro_resume (out, ls_none (), ls_none (), &err), ==, LS_CORO_RAISE);
  g_assert_true (ls_exc_matches (err, &ls_exc_RuntimeError));
  ls_value_unref (err);
  ls_value_unref (out);

  /* __aexit__ without __aenter__ */
  out = ls_timeout_aexit (cm, ls_none ());
  g_assert_cmpint (ls_coro_resume (out, ls_none (), ls_none (), &err), ==, LS_CORO_RAISE);
  g_assert_true (ls_exc_matches (err, &ls_exc_RuntimeError));
  ls_value_unref (err);
  ls_value_unref (out);

  /* not a Timeout */
  g_assert_false (ls_timeout_reschedule (ls_int (1), 1, &err));
  g_assert_true (ls_exc_matches (err, &ls_exc_TypeError));
  ls_value_unref (err);
  g_assert_false (ls_timeout_expired (ls_none ()));
  g_assert_true (ls_timeout_is_none (ls_timeout_when (ls_none ())));
  ls_value_unref (cm);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/engine/timeouts/nested-inner-fires", test_nested_inner);
  g_test_add_func ("/engine/timeouts/nested-outer-fires", test_nested_outer);
  g_test_add_func ("/engine/timeouts/reschedule", test_reschedule);
  g_test_add_func ("/engine/timeouts/timeout-at", test_timeout_at);
  g_test_add_func ("/engine/timeouts/external-cancel", test_external_cancel);
  g_test_add_func ("/engine/timeouts/misuse", test_misuse);
  return g_test_run ();
}
