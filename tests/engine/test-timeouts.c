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

static double
now (void)
{
  return ls_loop_time (ls_loop_get_running ());
}

/* cm.when(), printed */
static const char *
WHEN (LsValue cm)
{
  double w = ls_timeout_when (cm);
  return ls_timeout_is_none (w) ? "None" : ls_test_time (w);
}

/* The main coroutines keep their timeouts (cm) in t[] of their
 * LsTestLocals, the exception leaving the current `async with` body in
 * saved, and a task in value. */

/* `async with cm:` for a new cm, kept in *slot: await cm.__aenter__(). */
static LsCCoroAction
enter_block (LsCCoro *co, int next_pc, LsValue *out, LsValue *slot, LsValue cm)
{
  ls_value_set (slot, cm);
  return ls_ccoro_await (co, next_pc, out, ls_timeout_aenter (cm));
}

/* The end of an `async with` body: remember what leaves it, then await
 * __aexit__ with it. */
static LsCCoroAction
leave_block (LsCCoro *co, int next_pc, LsValue *out, LsTestLocals *m, LsValue cm,
             LsValue in, gboolean thrown)
{
  ls_value_set (&m->saved, thrown ? ls_value_ref (in) : ls_none ());
  return ls_ccoro_await (co, next_pc, out, ls_timeout_aexit (cm, m->saved));
}

/* After __aexit__: the exception that leaves the `async with` statement
 * (a new reference), or None. */
static LsValue
block_outcome (LsTestLocals *m, LsValue in, gboolean thrown)
{
  if (thrown)
    return ls_value_ref (in);
  return ls_value_steal (&m->saved);
}

/* cm.reschedule(when), printing a RuntimeError as the Python programs do */
static void
reschedule (LsValue cm, double when)
{
  LsValue err;
  if (!ls_timeout_reschedule (cm, when, &err))
    {
      ls_test_print ("RuntimeError: %s", ls_test_keep (ls_exc_str (err)));
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

/* ---- timeout_nested_inner.py and timeout_nested_outer.py ----------------- */

/* What both programs start with, up to the end of the inner block (pc 0
 * to 3), outer in t[0] and inner in t[1]:
 *     async with asyncio.timeout(outer_delay) as outer:
 *         async with asyncio.timeout(inner_delay) as inner:
 *             await asyncio.sleep(10) */
static LsCCoroAction
nested_blocks (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out, double outer_delay,
               double inner_delay)
{
  LsTestLocals *m = co->data;

  switch (co->pc)
    {
    case 0:
      return enter_block (co, 1, out, &m->t[0], ls_timeout_new (NULL, outer_delay));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return enter_block (co, 2, out, &m->t[1], ls_timeout_new (NULL, inner_delay));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_test_await_sleep (co, 3, out, 10);
    case 3:
      return leave_block (co, 4, out, m, m->t[1], in, thrown);
    }
  g_assert_not_reached ();
}

/* async with asyncio.timeout(5) as outer: …timeout(1) as inner: … */

static LsCCoroAction
nested_inner_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue exc;

  if (co->pc < 4)
    return nested_blocks (co, in, thrown, out, 5, 1);
  switch (co->pc)
    {
    case 4:
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_TimeoutError))
        return unexpected (out, exc);
      ls_test_print ("inner timed out at %s cause %s", ls_test_now (), ls_test_exc_cause (exc));
      ls_test_print ("inner expired %s outer expired %s", ls_test_bool (ls_timeout_expired (m->t[1])),
                     ls_test_bool (ls_timeout_expired (m->t[0])));
      ls_value_unref (exc);
      ls_test_print ("%s", ls_test_repr (m->t[0]));
      return ls_test_await_sleep (co, 5, out, 1);
    case 5:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("outer body finished at %s", ls_test_now ());
      return leave_block (co, 6, out, m, m->t[0], in, thrown);
    case 6:
      exc = block_outcome (m, in, thrown);
      if (!ls_is_none (exc))
        return ls_ccoro_raise (out, exc);
      ls_test_print ("outer expired %s %s %s", ls_test_bool (ls_timeout_expired (m->t[0])),
                     ls_test_repr (m->t[0]), ls_test_repr (m->t[1]));
      ls_test_print ("cancelling %u", ls_test_cancelling ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* async with asyncio.timeout(1) as outer: …timeout(5) as inner: … */
static LsCCoroAction
nested_outer_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue exc;

  if (co->pc < 4)
    return nested_blocks (co, in, thrown, out, 1, 5);
  switch (co->pc)
    {
    case 4:
      /* except asyncio.CancelledError: print(...); raise */
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_CancelledError))
        return unexpected (out, exc);
      ls_test_print ("inner block cancelled at %s inner expired %s", ls_test_now (),
                     ls_test_bool (ls_timeout_expired (m->t[1])));
      /* the exception leaves the outer body */
      ls_value_set (&m->saved, exc);
      return ls_ccoro_await (co, 5, out, ls_timeout_aexit (m->t[0], m->saved));
    case 5:
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_TimeoutError))
        return unexpected (out, exc);
      ls_value_unref (exc);
      ls_test_print ("outer timed out at %s", ls_test_now ());
      ls_test_print ("outer %s %s inner %s %s", ls_test_bool (ls_timeout_expired (m->t[0])),
                     ls_test_repr (m->t[0]), ls_test_bool (ls_timeout_expired (m->t[1])),
                     ls_test_repr (m->t[1]));
      ls_test_print ("cancelling %u", ls_test_cancelling ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- timeout_reschedule.py ------------------------------------------------ */

static LsCCoroAction
reschedule_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue exc;

  switch (co->pc)
    {
    case 0:
      m->t[0] = ls_timeout_new (NULL, LS_NO_TIMEOUT);
      ls_test_print ("%s %s", ls_test_repr (m->t[0]), WHEN (m->t[0]));
      reschedule (m->t[0], 1);
      return ls_ccoro_await (co, 1, out, ls_timeout_aenter (m->t[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s %s", ls_test_repr (m->t[0]), WHEN (m->t[0]));
      reschedule (m->t[0], now () + 1);
      return ls_test_await_sleep (co, 2, out, 0.5);
    case 2:
      if (thrown)
        return leave_block (co, 4, out, m, m->t[0], in, thrown);
      reschedule (m->t[0], now () + 2);
      ls_test_print ("%s %s", ls_test_repr (m->t[0]), WHEN (m->t[0]));
      return ls_test_await_sleep (co, 3, out, 10);
    case 3:
      return leave_block (co, 4, out, m, m->t[0], in, thrown);
    case 4:
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_TimeoutError))
        return unexpected (out, exc);
      ls_value_unref (exc);
      ls_test_print ("timed out at %s %s %s", ls_test_now (), ls_test_repr (m->t[0]),
                     ls_test_bool (ls_timeout_expired (m->t[0])));
      reschedule (m->t[0], LS_NO_TIMEOUT);
      /* the deadline moved into the past fires at the next iteration */
      return enter_block (co, 5, out, &m->t[1], ls_timeout_new (NULL, 10));
    case 5:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      reschedule (m->t[1], now () - 1);
      return ls_test_await_sleep (co, 6, out, 1);
    case 6:
      return leave_block (co, 7, out, m, m->t[1], in, thrown);
    case 7:
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_TimeoutError))
        return unexpected (out, exc);
      ls_value_unref (exc);
      ls_test_print ("past deadline fired at %s", ls_test_now ());
      /* rescheduled to None: disarmed */
      return enter_block (co, 8, out, &m->t[2], ls_timeout_new (NULL, 1));
    case 8:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      reschedule (m->t[2], LS_NO_TIMEOUT);
      return ls_test_await_sleep (co, 9, out, 2);
    case 9:
      return leave_block (co, 10, out, m, m->t[2], in, thrown);
    case 10:
      exc = block_outcome (m, in, thrown);
      if (!ls_is_none (exc))
        return ls_ccoro_raise (out, exc);
      ls_test_print ("disarmed %s %s at %s", ls_test_bool (ls_timeout_expired (m->t[2])),
                     ls_test_repr (m->t[2]), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- timeout_at.py ------------------------------------------------------------ */

static LsCCoroAction
timeout_at_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue exc;

  switch (co->pc)
    {
    case 0:
      return enter_block (co, 1, out, &m->t[0], ls_timeout_at_new (NULL, now () + 1.25));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("when %s", WHEN (m->t[0]));
      return ls_test_await_sleep (co, 2, out, 5);
    case 2:
      return leave_block (co, 3, out, m, m->t[0], in, thrown);
    case 3:
      exc = block_outcome (m, in, thrown);
      if (!ls_exc_matches (exc, &ls_exc_TimeoutError))
        return unexpected (out, exc);
      ls_test_print ("timed out at %s cause %s", ls_test_now (), ls_test_exc_cause (exc));
      ls_value_unref (exc);
      return enter_block (co, 4, out, &m->t[0], ls_timeout_at_new (NULL, now () + 10));
    case 4:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_test_await_sleep (co, 5, out, 1);
    case 5:
      return leave_block (co, 6, out, m, m->t[0], in, thrown);
    case 6:
      exc = block_outcome (m, in, thrown);
      if (!ls_is_none (exc))
        return ls_ccoro_raise (out, exc);
      ls_test_print ("in time %s at %s %s", ls_test_bool (ls_timeout_expired (m->t[0])), ls_test_now (),
                     ls_test_repr (m->t[0]));
      /* entering it again */
      return ls_ccoro_await (co, 7, out, ls_timeout_aenter (m->t[0]));
    case 7:
      if (!ls_test_caught (in, thrown, &ls_exc_RuntimeError))
        return unexpected (out, ls_value_ref (in));
      ls_test_print ("RuntimeError: %s", ls_test_keep (ls_exc_str (in)));
      return enter_block (co, 8, out, &m->t[0], ls_timeout_at_new (NULL, LS_NO_TIMEOUT));
    case 8:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_test_await_sleep (co, 9, out, 3);
    case 9:
      return leave_block (co, 10, out, m, m->t[0], in, thrown);
    case 10:
      exc = block_outcome (m, in, thrown);
      if (!ls_is_none (exc))
        return ls_ccoro_raise (out, exc);
      ls_test_print ("never %s %s at %s", ls_test_bool (ls_timeout_expired (m->t[0])), WHEN (m->t[0]),
                     ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- timeout_external_cancel.py -------------------------------------------------- */

static LsCCoroAction
external_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue exc;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return enter_block (co, 1, out, &m->t[0], ls_timeout_new (NULL, 1));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_test_await_sleep (co, 2, out, 10);
    case 2:
      return leave_block (co, 3, out, m, m->t[0], in, thrown);
    case 3:
      exc = block_outcome (m, in, thrown);
      if (ls_exc_matches (exc, &ls_exc_CancelledError))
        {
          ls_test_print ("worker got CancelledError at %s expired %s cancelling %u", ls_test_now (),
                         ls_test_bool (ls_timeout_expired (m->t[0])), ls_test_cancelling ());
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

static LsCCoroAction
external_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;

  switch (co->pc)
    {
    case 0:
      m->value = ls_test_create_task (ls_test_coro ("worker", external_worker, NULL), "worker");
      ls_test_call_later_cancel (1, m->value);
      return ls_ccoro_await (co, 1, out, ls_value_ref (m->value));
    case 1:
      if (!ls_test_caught (in, thrown, &ls_exc_CancelledError))
        return unexpected (out, ls_value_ref (in));
      ls_test_print ("worker cancelled %s at %s",
                     ls_test_bool (ls_future_cancelled (ls_future_from (m->value))), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
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

static const LsTest tests[] = {
  LS_TEST_CASE_NO_STDERR ("/engine/timeouts/nested-inner-fires", "timeout_nested_inner",
                          nested_inner_main),
  LS_TEST_CASE_NO_STDERR ("/engine/timeouts/nested-outer-fires", "timeout_nested_outer",
                          nested_outer_main),
  LS_TEST_CASE_NO_STDERR ("/engine/timeouts/reschedule", "timeout_reschedule", reschedule_main),
  LS_TEST_CASE_NO_STDERR ("/engine/timeouts/timeout-at", "timeout_at", timeout_at_main),
  LS_TEST_CASE_NO_STDERR ("/engine/timeouts/external-cancel", "timeout_external_cancel", external_main),
  LS_TEST_FUNC ("/engine/timeouts/misuse", test_misuse),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
