/* test-taskgroup.c - asyncio.TaskGroup against CPython.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py: `async with
 * TaskGroup() as tg:` is an await of __aenter__, the body, and an await of
 * __aexit__ with the exception leaving the body (re-raised afterwards
 * unless __aexit__ returned something true), exactly what the `async
 * with` statement does.
 */
#include "ls-test-harness.h"

/* The end of `async with`: __aexit__ returned `in`; a body exception it
 * did not suppress goes on. */
static LsCCoroAction
after_aexit (LsValue body_exc, LsValue in, LsValue *out)
{
  if (!ls_is_none (body_exc) && !ls_value_truthy (in))
    return ls_ccoro_raise (out, ls_value_ref (body_exc));
  return ls_ccoro_return (out, ls_none ());
}

/* The child coroutines keep their arguments in their LsTestLocals: name,
 * delay and value (sleep(delay), then return value), and in saved the
 * CancelledError being handled.  The main coroutines keep the TaskGroup in
 * value, the exception leaving the body in saved, and tasks in t[]. */

/* `async with asyncio.TaskGroup() as tg:`, tg kept in value: await
 * tg.__aenter__(), resuming at pc 1. */
static LsCCoroAction
enter_group (LsCCoro *co, LsValue *out, LsTestLocals *m)
{
  m->value = ls_task_group_new ();
  return ls_ccoro_await (co, 1, out, ls_task_group_aenter (m->value));
}

/* tg.create_task(coro, name=name) */
static LsValue
create (LsTestLocals *m, LsValue coro, const char *name)
{
  LsValue task;
  if (!ls_task_group_create_task (m->value, coro, name, &task))
    {
      g_test_message ("create_task failed: %s", ls_test_repr (task));
      g_test_fail ();
    }
  return task;
}

/* ---- taskgroup_ok.py ----------------------------------------------------- */

/* async def work(name, delay, value) */
static LsCCoroAction
ok_work (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      ls_test_print ("%s start at %s", s->name, ls_test_now ());
      return ls_test_await_sleep (co, 1, out, s->delay);
    }
  ls_test_print ("%s done at %s", s->name, ls_test_now ());
  return ls_ccoro_return (out, ls_value_ref (s->value));
}

static LsCCoroAction
ok_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue r[3];

  switch (co->pc)
    {
    case 0:
      return enter_group (co, out, m);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      m->t[0] = create (m, LS_TEST_CORO ("work", ok_work, .name = "a", .delay = 2, .value = ls_int (10)),
                        NULL);
      m->t[1] = create (m, LS_TEST_CORO ("work", ok_work, .name = "b", .delay = 1, .value = ls_int (20)),
                        "bee");
      m->t[2] = create (m, LS_TEST_CORO ("work", ok_work, .name = "c", .delay = 3, .value = ls_int (30)),
                        NULL);
      ls_test_print ("body done %s %s", ls_test_task_name (m->t[1]), ls_test_repr (m->value));
      return ls_ccoro_await (co, 2, out, ls_task_group_aexit (m->value, ls_none ()));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("after group at %s %s", ls_test_now (), ls_test_repr (m->value));
      for (int i = 0; i < 3; i++)
        g_assert_true (ls_future_result (ls_future_from (m->t[i]), &r[i]));
      ls_test_print ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                     ls_value_as_int (r[0]), ls_value_as_int (r[1]), ls_value_as_int (r[2]));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- taskgroup_child_fails.py --------------------------------------------- */

/* async def sleeper(name, delay) */
static LsCCoroAction
sleeper (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, s->delay);
  if (thrown)
    {
      if (ls_exc_matches (in, &ls_exc_CancelledError))
        ls_test_print ("%s cancelled at %s", s->name, ls_test_now ());
      return ls_ccoro_pass (in, thrown, out);
    }
  ls_test_print ("%s finished at %s", s->name, ls_test_now ());
  return ls_ccoro_return (out, ls_str_new (s->name));
}

/* async def crash(delay) */
static LsCCoroAction
crash (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, s->delay);
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_ValueError, "boom"));
}

static LsCCoroAction
child_fails_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue r;

  switch (co->pc)
    {
    case 0:
      return enter_group (co, out, m);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      m->t[0] = create (m, LS_TEST_CORO ("sleeper", sleeper, .name = "s1", .delay = 5), NULL);
      ls_value_unref (create (m, LS_TEST_CORO ("crash", crash, .delay = 1), NULL));
      m->t[1] = create (m, LS_TEST_CORO ("sleeper", sleeper, .name = "s2", .delay = 0.5), NULL);
      return ls_test_await_sleep (co, 2, out, 10);
    case 2:
      if (thrown)
        {
          if (ls_exc_matches (in, &ls_exc_CancelledError))
            ls_test_print ("body cancelled at %s", ls_test_now ());
          m->saved = ls_value_ref (in);
        }
      return ls_ccoro_await (co, 3, out, ls_task_group_aexit (m->value, m->saved));
    case 3:
      if (thrown)
        {
          if (!ls_exc_matches (in, &ls_exc_ExceptionGroup))
            return ls_ccoro_pass (in, thrown, out);
          ls_test_print ("caught %s", ls_test_repr (in));
          ls_test_print ("message: %s", ls_test_str (in));
          ls_test_print ("subs: %s", ls_test_repr (((LsException *) ls_value_object (in))->exceptions));
        }
      else if (!ls_is_none (m->saved) && !ls_value_truthy (in))
        return ls_ccoro_raise (out, ls_value_ref (m->saved));
      g_assert_true (ls_future_result (ls_future_from (m->t[1]), &r));
      ls_test_print ("s1 cancelled: %s s2: %s",
                     ls_test_bool (ls_future_cancelled (ls_future_from (m->t[0]))), ls_str_get (r));
      ls_value_unref (r);
      ls_test_print ("cancelling: %u", ls_test_cancelling ());
      return ls_test_await_sleep (co, 4, out, 1);
    case 4:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("end at %s", ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- taskgroup_body_raises.py -------------------------------------------- */

/* async def child(name, delay), which cleans up when cancelled */
static LsCCoroAction
slow_cleanup_child (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_test_await_sleep (co, 1, out, s->delay);
    case 1:
      if (thrown)
        {
          if (!ls_exc_matches (in, &ls_exc_CancelledError))
            return ls_ccoro_pass (in, thrown, out);
          ls_test_print ("%s cancelled at %s", s->name, ls_test_now ());
          s->saved = ls_value_ref (in);
          return ls_test_await_sleep (co, 2, out, 0.25);
        }
      ls_test_print ("%s finished at %s", s->name, ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s cleaned up at %s", s->name, ls_test_now ());
      return ls_ccoro_raise (out, ls_value_ref (s->saved));   /* raise */
    }
  g_assert_not_reached ();
}

static LsCCoroAction
body_raises_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsException *e;

  switch (co->pc)
    {
    case 0:
      return enter_group (co, out, m);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_value_unref (create (m, LS_TEST_CORO ("child", slow_cleanup_child, .name = "c0", .delay = 0.5),
                              NULL));
      ls_value_unref (create (m, LS_TEST_CORO ("child", slow_cleanup_child, .name = "c1", .delay = 2),
                              NULL));
      return ls_test_await_sleep (co, 2, out, 1);
    case 2:
      m->saved = thrown ? ls_value_ref (in) : ls_exc_newf (&ls_exc_RuntimeError, "body failed");
      return ls_ccoro_await (co, 3, out, ls_task_group_aexit (m->value, m->saved));
    case 3:
      if (!thrown)
        return after_aexit (m->saved, in, out);
      if (!ls_exc_matches (in, &ls_exc_ExceptionGroup))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("caught at %s %s", ls_test_now (), ls_test_repr (in));
      e = ls_value_object (in);
      ls_test_print ("cause: %s suppress: %s", ls_test_str (e->cause), ls_test_bool (e->suppress_context));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- taskgroup_multi_errors.py ------------------------------------------ */

/* async def stubborn() */
static LsCCoroAction
stubborn (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  switch (co->pc)
    {
    case 0:
      return ls_test_await_sleep (co, 1, out, 5);
    case 1:
      if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
        return ls_test_await_sleep (co, 2, out, 0.5);
      return ls_ccoro_pass (in, thrown, out);
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_KeyError, "cleanup failed"));
    }
  g_assert_not_reached ();
}

/* async def nothing() */
static LsCCoroAction
nothing (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  return ls_ccoro_pass (in, thrown, out);
}

static LsCCoroAction
multi_errors_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue err;

  switch (co->pc)
    {
    case 0:
      return enter_group (co, out, m);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_value_unref (create (m, LS_TEST_CORO ("crash", crash, .delay = 1), NULL));
      ls_value_unref (create (m, ls_ccoro_new ("stubborn", stubborn, NULL, NULL), NULL));
      return ls_test_await_sleep (co, 2, out, 10);
    case 2:
      if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
        {
          if (ls_task_group_create_task (m->value, ls_ccoro_new ("nothing", nothing, NULL, NULL),
                                         NULL, &err))
            g_test_fail ();
          else if (ls_exc_matches (err, &ls_exc_RuntimeError))
            ls_test_print ("RuntimeError: %s", ls_test_str (err));
          ls_value_unref (err);
        }
      if (thrown)
        m->saved = ls_value_ref (in);
      return ls_ccoro_await (co, 3, out, ls_task_group_aexit (m->value, m->saved));
    case 3:
      if (!thrown)
        return after_aexit (m->saved, in, out);
      if (!ls_exc_matches (in, &ls_exc_ExceptionGroup))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("caught at %s %s", ls_test_now (), ls_test_repr (in));
      ls_test_print ("%s", ls_test_str (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- taskgroup_parent_cancelled.py --------------------------------------- */

/* async def child(name, delay) */
static LsCCoroAction
plain_child (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, s->delay);
  if (thrown)
    {
      if (ls_exc_matches (in, &ls_exc_CancelledError))
        ls_test_print ("%s cancelled at %s", s->name, ls_test_now ());
      return ls_ccoro_pass (in, thrown, out);
    }
  ls_test_print ("%s finished", s->name);
  return ls_ccoro_return (out, ls_none ());
}

/* async def runner() */
static LsCCoroAction
runner (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;

  switch (co->pc)
    {
    case 0:
      return enter_group (co, out, m);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_value_unref (create (m, LS_TEST_CORO ("child", plain_child, .name = "c1", .delay = 5), NULL));
      ls_test_print ("body done");
      return ls_ccoro_await (co, 2, out, ls_task_group_aexit (m->value, ls_none ()));
    case 2:
      if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
        ls_test_print ("runner sees CancelledError, cancelling: %u",
                       ls_test_cancelling ());
      return ls_ccoro_pass (in, thrown, out);
    }
  g_assert_not_reached ();
}

static LsCCoroAction
parent_cancelled_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;

  switch (co->pc)
    {
    case 0:
      m->t[0] = ls_task_new (ls_loop_get_running (), ls_test_coro ("runner", runner, NULL), NULL);
      return ls_test_await_sleep (co, 1, out, 1);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_task_cancel (ls_value_object (m->t[0]), ls_none ());
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->t[0]));
    case 2:
      if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
        {
          ls_test_print ("runner cancelled: %s at %s",
                         ls_test_bool (ls_future_cancelled (ls_future_from (m->t[0]))), ls_test_now ());
          return ls_ccoro_return (out, ls_none ());
        }
      return ls_ccoro_pass (in, thrown, out);
    }
  g_assert_not_reached ();
}

/* ---- misuse ---------------------------------------------------------------- */

/* create_task before __aenter__ and __aenter__ twice are RuntimeErrors,
 * not aborts. */
static LsCCoroAction
misuse_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue err;

  switch (co->pc)
    {
    case 0:
      m->value = ls_task_group_new ();
      g_assert_false (ls_task_group_create_task (m->value, ls_ccoro_new ("nothing", nothing, NULL, NULL),
                                                 NULL, &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_RuntimeError));
      g_assert_cmpstr (ls_test_str (err), ==, "TaskGroup <TaskGroup> has not been entered");
      ls_value_unref (err);
      g_assert_false (ls_task_group_create_task (ls_int (3), ls_ccoro_new ("nothing", nothing, NULL, NULL),
                                                 NULL, &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_TypeError));
      ls_value_unref (err);
      return ls_ccoro_await (co, 1, out, ls_task_group_aenter (m->value));
    case 1:
      g_assert_false (thrown);
      return ls_ccoro_await (co, 2, out, ls_task_group_aenter (m->value));
    case 2:
      g_assert_true (ls_test_caught (in, thrown, &ls_exc_RuntimeError));
      return ls_ccoro_await (co, 3, out, ls_task_group_aexit (m->value, ls_none ()));
    case 3:
      g_assert_false (thrown);
      g_assert_false (ls_task_group_create_task (m->value, ls_ccoro_new ("nothing", nothing, NULL, NULL),
                                                 NULL, &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_RuntimeError));
      ls_value_unref (err);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- a deadlocked group ------------------------------------------------------- */

/* A child waits on a queue forever while holding a Condition's lock;
 * another waits on the Condition, so that closing the loop makes it
 * re-acquire a lock that is taken.  The loop reports the deadlock, and
 * closing it must free everything (the ASan run checks).  The children
 * keep the queue in value and the Condition in saved. */
static LsCCoroAction
dead_holder (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *d = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, 0.5);
  if (co->pc == 1)
    return ls_ccoro_await (co, 2, out, ls_condition_acquire (d->saved));
  return ls_ccoro_await (co, 3, out, ls_queue_get (d->value));
}

static LsCCoroAction
dead_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *d = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_condition_acquire (d->saved));
  return ls_ccoro_await (co, 2, out, ls_condition_wait (d->saved));
}

static LsCCoroAction
deadlock_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue q, cond;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      return enter_group (co, out, m);
    case 1:
      q = ls_queue_new (0, LS_QUEUE_FIFO);
      cond = ls_condition_new (ls_none ());
      ls_value_unref (create (m, LS_TEST_CORO ("waiter", dead_waiter, .value = ls_value_ref (q),
                                               .saved = ls_value_ref (cond)), NULL));
      ls_value_unref (create (m, LS_TEST_CORO ("holder", dead_holder, .value = q, .saved = cond), NULL));
      return ls_ccoro_await (co, 2, out, ls_task_group_aexit (m->value, ls_none ()));
    }
  return ls_ccoro_return (out, ls_none ());
}

static void
test_taskgroup_deadlock (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_false (ls_test_asyncio_run (run, ls_test_coro ("main", deadlock_main, NULL)));
  g_assert_true (ls_loop_deadlocked (run->loop));
  ls_test_run_free (run);
}

static const LsTest tests[] = {
  LS_TEST_CASE ("/engine/taskgroup/ok", "taskgroup_ok", ok_main),
  LS_TEST_CASE ("/engine/taskgroup/child-fails", "taskgroup_child_fails", child_fails_main),
  LS_TEST_CASE ("/engine/taskgroup/body-raises", "taskgroup_body_raises", body_raises_main),
  LS_TEST_CASE ("/engine/taskgroup/multi-errors", "taskgroup_multi_errors", multi_errors_main),
  LS_TEST_CASE ("/engine/taskgroup/parent-cancelled", "taskgroup_parent_cancelled", parent_cancelled_main),
  LS_TEST_MAIN ("/engine/taskgroup/misuse", misuse_main),
  LS_TEST_FUNC ("/engine/taskgroup/deadlock", test_taskgroup_deadlock),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
