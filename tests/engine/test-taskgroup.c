/* test-taskgroup.c - asyncio.TaskGroup against CPython.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py: `async with
 * TaskGroup() as tg:` is an await of __aenter__, the body, and an await of
 * __aexit__ with the exception leaving the body (re-raised afterwards
 * unless __aexit__ returned something true), exactly what the `async
 * with` statement does.
 */
#include "ls-test-harness.h"

static LsLoop *
loop (void)
{
  return ls_loop_get_running ();
}

/* loop.time() as Python prints it. */
static const char *
now (void)
{
  return ls_test_float (ls_loop_time (loop ()));
}

static void
print_repr (const char *prefix, LsValue v)
{
  char *r = ls_value_repr (v);
  ls_test_print ("%s%s", prefix, r);
  g_free (r);
}

/* The end of `async with`: __aexit__ returned `in`; a body exception it
 * did not suppress goes on. */
static LsCCoroAction
after_aexit (LsValue body_exc, LsValue in, LsValue *out)
{
  if (!ls_is_none (body_exc) && !ls_value_truthy (in))
    return ls_ccoro_raise (out, ls_value_ref (body_exc));
  return ls_ccoro_return (out, ls_none ());
}

/* The locals of a child coroutine: sleep(delay), then return value. */
typedef struct {
  char name[8];
  double delay;
  LsValue value;
  LsValue saved;        /* the CancelledError being handled */
} ChildState;

static void
child_state_free (gpointer p)
{
  ChildState *s = p;
  ls_value_unref (s->value);
  ls_value_unref (s->saved);
  g_free (s);
}

static LsValue
child_new (const char *fname, LsCCoroFn fn, const char *name, double delay, LsValue value)
{
  ChildState *s = g_new0 (ChildState, 1);
  g_strlcpy (s->name, name, sizeof s->name);
  s->delay = delay;
  s->value = value;
  return ls_ccoro_new (fname, fn, s, child_state_free);
}

/* The locals of a main coroutine running a TaskGroup. */
typedef struct {
  LsValue tg;
  LsValue body_exc;
  LsValue t[3];
} MainState;

static void
main_state_free (gpointer p)
{
  MainState *m = p;
  ls_value_unref (m->tg);
  ls_value_unref (m->body_exc);
  for (int i = 0; i < 3; i++)
    ls_value_unref (m->t[i]);
  g_free (m);
}

static LsValue
main_new (const char *name, LsCCoroFn fn)
{
  return ls_ccoro_new (name, fn, g_new0 (MainState, 1), main_state_free);
}

static LsValue
create (MainState *m, LsValue coro, const char *name)
{
  LsValue task;
  if (!ls_task_group_create_task (m->tg, coro, name, &task))
    {
      char *r = ls_value_repr (task);
      g_test_message ("create_task failed: %s", r);
      g_free (r);
      g_test_fail ();
    }
  return task;
}

static void
run_case (const char *name, LsCCoroFn fn)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, main_new ("main", fn)));
  ls_test_check_case (run, name);
  ls_test_run_free (run);
}

/* ---- taskgroup_ok.py ----------------------------------------------------- */

/* async def work(name, delay, value) */
static LsCCoroAction
ok_work (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  ChildState *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      ls_test_print ("%s start at %s", s->name, now ());
      return ls_ccoro_await (co, 1, out, ls_sleep (s->delay, ls_none ()));
    }
  ls_test_print ("%s done at %s", s->name, now ());
  return ls_ccoro_return (out, ls_value_ref (s->value));
}

static LsCCoroAction
ok_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  MainState *m = co->data;
  LsValue r[3];
  char *task_name, *tg_repr;

  switch (co->pc)
    {
    case 0:
      m->tg = ls_task_group_new ();
      return ls_ccoro_await (co, 1, out, ls_task_group_aenter (m->tg));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      m->t[0] = create (m, child_new ("work", ok_work, "a", 2, ls_int (10)), NULL);
      m->t[1] = create (m, child_new ("work", ok_work, "b", 1, ls_int (20)), "bee");
      m->t[2] = create (m, child_new ("work", ok_work, "c", 3, ls_int (30)), NULL);
      task_name = ls_task_get_name (ls_value_object (m->t[1]));
      tg_repr = ls_value_repr (m->tg);
      ls_test_print ("body done %s %s", task_name, tg_repr);
      g_free (tg_repr);
      g_free (task_name);
      return ls_ccoro_await (co, 2, out, ls_task_group_aexit (m->tg, ls_none ()));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      tg_repr = ls_value_repr (m->tg);
      ls_test_print ("after group at %s %s", now (), tg_repr);
      g_free (tg_repr);
      for (int i = 0; i < 3; i++)
        g_assert_true (ls_future_result (ls_future_from (m->t[i]), &r[i]));
      ls_test_print ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                     r[0].u.i, r[1].u.i, r[2].u.i);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_taskgroup_ok (void)
{
  run_case ("taskgroup_ok", ok_main);
}

/* ---- taskgroup_child_fails.py --------------------------------------------- */

/* async def sleeper(name, delay) */
static LsCCoroAction
sleeper (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  ChildState *s = co->data;

  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_sleep (s->delay, ls_none ()));
  if (thrown)
    {
      if (ls_exc_matches (in, &ls_exc_CancelledError))
        ls_test_print ("%s cancelled at %s", s->name, now ());
      return ls_ccoro_pass (in, thrown, out);
    }
  ls_test_print ("%s finished at %s", s->name, now ());
  return ls_ccoro_return (out, ls_str_new (s->name));
}

/* async def crash(delay) */
static LsCCoroAction
crash (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  ChildState *s = co->data;

  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_sleep (s->delay, ls_none ()));
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_ValueError, "boom"));
}

static LsCCoroAction
child_fails_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  MainState *m = co->data;
  LsValue r;
  char *s;

  switch (co->pc)
    {
    case 0:
      m->tg = ls_task_group_new ();
      return ls_ccoro_await (co, 1, out, ls_task_group_aenter (m->tg));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      m->t[0] = create (m, child_new ("sleeper", sleeper, "s1", 5, ls_none ()), NULL);
      ls_value_unref (create (m, child_new ("crash", crash, "", 1, ls_none ()), NULL));
      m->t[1] = create (m, child_new ("sleeper", sleeper, "s2", 0.5, ls_none ()), NULL);
      return ls_ccoro_await (co, 2, out, ls_sleep (10, ls_none ()));
    case 2:
      if (thrown)
        {
          if (ls_exc_matches (in, &ls_exc_CancelledError))
            ls_test_print ("body cancelled at %s", now ());
          m->body_exc = ls_value_ref (in);
        }
      return ls_ccoro_await (co, 3, out, ls_task_group_aexit (m->tg, m->body_exc));
    case 3:
      if (thrown)
        {
          if (!ls_exc_matches (in, &ls_exc_ExceptionGroup))
            return ls_ccoro_pass (in, thrown, out);
          print_repr ("caught ", in);
          s = ls_value_str (in);
          ls_test_print ("message: %s", s);
          g_free (s);
          print_repr ("subs: ", ((LsException *) ls_value_object (in))->exceptions);
        }
      else if (!ls_is_none (m->body_exc) && !ls_value_truthy (in))
        return ls_ccoro_raise (out, ls_value_ref (m->body_exc));
      g_assert_true (ls_future_result (ls_future_from (m->t[1]), &r));
      ls_test_print ("s1 cancelled: %s s2: %s",
                     ls_future_cancelled (ls_future_from (m->t[0])) ? "True" : "False",
                     ls_str_get (r));
      ls_value_unref (r);
      ls_test_print ("cancelling: %u", ls_task_cancelling (ls_loop_current_task (loop ())));
      return ls_ccoro_await (co, 4, out, ls_sleep (1, ls_none ()));
    case 4:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("end at %s", now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_taskgroup_child_fails (void)
{
  run_case ("taskgroup_child_fails", child_fails_main);
}

/* ---- taskgroup_body_raises.py -------------------------------------------- */

/* async def child(name, delay), which cleans up when cancelled */
static LsCCoroAction
slow_cleanup_child (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  ChildState *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_sleep (s->delay, ls_none ()));
    case 1:
      if (thrown)
        {
          if (!ls_exc_matches (in, &ls_exc_CancelledError))
            return ls_ccoro_pass (in, thrown, out);
          ls_test_print ("%s cancelled at %s", s->name, now ());
          s->saved = ls_value_ref (in);
          return ls_ccoro_await (co, 2, out, ls_sleep (0.25, ls_none ()));
        }
      ls_test_print ("%s finished at %s", s->name, now ());
      return ls_ccoro_return (out, ls_none ());
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s cleaned up at %s", s->name, now ());
      return ls_ccoro_raise (out, ls_value_ref (s->saved));   /* raise */
    }
  g_assert_not_reached ();
}

static LsCCoroAction
body_raises_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  MainState *m = co->data;
  LsException *e;

  switch (co->pc)
    {
    case 0:
      m->tg = ls_task_group_new ();
      return ls_ccoro_await (co, 1, out, ls_task_group_aenter (m->tg));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_value_unref (create (m, child_new ("child", slow_cleanup_child, "c0", 0.5, ls_none ()), NULL));
      ls_value_unref (create (m, child_new ("child", slow_cleanup_child, "c1", 2, ls_none ()), NULL));
      return ls_ccoro_await (co, 2, out, ls_sleep (1, ls_none ()));
    case 2:
      m->body_exc = thrown ? ls_value_ref (in) : ls_exc_newf (&ls_exc_RuntimeError, "body failed");
      return ls_ccoro_await (co, 3, out, ls_task_group_aexit (m->tg, m->body_exc));
    case 3:
      if (!thrown)
        return after_aexit (m->body_exc, in, out);
      if (!ls_exc_matches (in, &ls_exc_ExceptionGroup))
        return ls_ccoro_pass (in, thrown, out);
      {
        char *r = ls_value_repr (in);
        ls_test_print ("caught at %s %s", now (), r);
        g_free (r);
      }
      e = ls_value_object (in);
      {
        char *c = ls_value_str (e->cause);
        ls_test_print ("cause: %s suppress: %s", c, e->suppress_context ? "True" : "False");
        g_free (c);
      }
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_taskgroup_body_raises (void)
{
  run_case ("taskgroup_body_raises", body_raises_main);
}

/* ---- taskgroup_multi_errors.py ------------------------------------------ */

/* async def stubborn() */
static LsCCoroAction
stubborn (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_sleep (5, ls_none ()));
    case 1:
      if (thrown && ls_exc_matches (in, &ls_exc_CancelledError))
        return ls_ccoro_await (co, 2, out, ls_sleep (0.5, ls_none ()));
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
  MainState *m = co->data;
  LsValue err;
  char *s;

  switch (co->pc)
    {
    case 0:
      m->tg = ls_task_group_new ();
      return ls_ccoro_await (co, 1, out, ls_task_group_aenter (m->tg));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_value_unref (create (m, child_new ("crash", crash, "", 1, ls_none ()), NULL));
      ls_value_unref (create (m, ls_ccoro_new ("stubborn", stubborn, NULL, NULL), NULL));
      return ls_ccoro_await (co, 2, out, ls_sleep (10, ls_none ()));
    case 2:
      if (thrown && ls_exc_matches (in, &ls_exc_CancelledError))
        {
          if (ls_task_group_create_task (m->tg, ls_ccoro_new ("nothing", nothing, NULL, NULL),
                                         NULL, &err))
            g_test_fail ();
          else if (ls_exc_matches (err, &ls_exc_RuntimeError))
            {
              s = ls_value_str (err);
              ls_test_print ("RuntimeError: %s", s);
              g_free (s);
            }
          ls_value_unref (err);
        }
      if (thrown)
        m->body_exc = ls_value_ref (in);
      return ls_ccoro_await (co, 3, out, ls_task_group_aexit (m->tg, m->body_exc));
    case 3:
      if (!thrown)
        return after_aexit (m->body_exc, in, out);
      if (!ls_exc_matches (in, &ls_exc_ExceptionGroup))
        return ls_ccoro_pass (in, thrown, out);
      s = ls_value_repr (in);
      ls_test_print ("caught at %s %s", now (), s);
      g_free (s);
      s = ls_value_str (in);
      ls_test_print ("%s", s);
      g_free (s);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_taskgroup_multi_errors (void)
{
  run_case ("taskgroup_multi_errors", multi_errors_main);
}

/* ---- taskgroup_parent_cancelled.py --------------------------------------- */

/* async def child(name, delay) */
static LsCCoroAction
plain_child (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  ChildState *s = co->data;

  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_sleep (s->delay, ls_none ()));
  if (thrown)
    {
      if (ls_exc_matches (in, &ls_exc_CancelledError))
        ls_test_print ("%s cancelled at %s", s->name, now ());
      return ls_ccoro_pass (in, thrown, out);
    }
  ls_test_print ("%s finished", s->name);
  return ls_ccoro_return (out, ls_none ());
}

/* async def runner() */
static LsCCoroAction
runner (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  MainState *m = co->data;

  switch (co->pc)
    {
    case 0:
      m->tg = ls_task_group_new ();
      return ls_ccoro_await (co, 1, out, ls_task_group_aenter (m->tg));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_value_unref (create (m, child_new ("child", plain_child, "c1", 5, ls_none ()), NULL));
      ls_test_print ("body done");
      return ls_ccoro_await (co, 2, out, ls_task_group_aexit (m->tg, ls_none ()));
    case 2:
      if (thrown && ls_exc_matches (in, &ls_exc_CancelledError))
        ls_test_print ("runner sees CancelledError, cancelling: %u",
                       ls_task_cancelling (ls_loop_current_task (loop ())));
      return ls_ccoro_pass (in, thrown, out);
    }
  g_assert_not_reached ();
}

static LsCCoroAction
parent_cancelled_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  MainState *m = co->data;

  switch (co->pc)
    {
    case 0:
      m->t[0] = ls_task_new (loop (), main_new ("runner", runner), NULL);
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_task_cancel (ls_value_object (m->t[0]), ls_none ());
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->t[0]));
    case 2:
      if (thrown && ls_exc_matches (in, &ls_exc_CancelledError))
        {
          ls_test_print ("runner cancelled: %s at %s",
                         ls_future_cancelled (ls_future_from (m->t[0])) ? "True" : "False", now ());
          return ls_ccoro_return (out, ls_none ());
        }
      return ls_ccoro_pass (in, thrown, out);
    }
  g_assert_not_reached ();
}

static void
test_taskgroup_parent_cancelled (void)
{
  run_case ("taskgroup_parent_cancelled", parent_cancelled_main);
}

/* ---- misuse ---------------------------------------------------------------- */

/* create_task before __aenter__ and __aenter__ twice are RuntimeErrors,
 * not aborts. */
static LsCCoroAction
misuse_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  MainState *m = co->data;
  LsValue err;

  switch (co->pc)
    {
    case 0:
      m->tg = ls_task_group_new ();
      g_assert_false (ls_task_group_create_task (m->tg, ls_ccoro_new ("nothing", nothing, NULL, NULL),
                                                 NULL, &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_RuntimeError));
      {
        char *s = ls_value_str (err);
        g_assert_cmpstr (s, ==, "TaskGroup <TaskGroup> has not been entered");
        g_free (s);
      }
      ls_value_unref (err);
      g_assert_false (ls_task_group_create_task (ls_int (3), ls_ccoro_new ("nothing", nothing, NULL, NULL),
                                                 NULL, &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_TypeError));
      ls_value_unref (err);
      return ls_ccoro_await (co, 1, out, ls_task_group_aenter (m->tg));
    case 1:
      g_assert_false (thrown);
      return ls_ccoro_await (co, 2, out, ls_task_group_aenter (m->tg));
    case 2:
      g_assert_true (thrown && ls_exc_matches (in, &ls_exc_RuntimeError));
      return ls_ccoro_await (co, 3, out, ls_task_group_aexit (m->tg, ls_none ()));
    case 3:
      g_assert_false (thrown);
      g_assert_false (ls_task_group_create_task (m->tg, ls_ccoro_new ("nothing", nothing, NULL, NULL),
                                                 NULL, &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_RuntimeError));
      ls_value_unref (err);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_taskgroup_misuse (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, main_new ("main", misuse_main)));
  ls_test_run_free (run);
}

/* ---- a deadlocked group ------------------------------------------------------- */

/* A child waits on a queue forever while holding a Condition's lock;
 * another waits on the Condition, so that closing the loop makes it
 * re-acquire a lock that is taken.  The loop reports the deadlock, and
 * closing it must free everything (the ASan run checks). */
typedef struct {
  LsValue q, cond;
} DeadState;

static void
dead_state_free (gpointer p)
{
  DeadState *d = p;
  ls_value_unref (d->q);
  ls_value_unref (d->cond);
  g_free (d);
}

static LsValue
dead_new (const char *name, LsCCoroFn fn, LsValue q, LsValue cond)
{
  DeadState *d = g_new0 (DeadState, 1);
  d->q = ls_value_ref (q);
  d->cond = ls_value_ref (cond);
  return ls_ccoro_new (name, fn, d, dead_state_free);
}

static LsCCoroAction
dead_holder (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  DeadState *d = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_sleep (0.5, ls_none ()));
  if (co->pc == 1)
    return ls_ccoro_await (co, 2, out, ls_condition_acquire (d->cond));
  return ls_ccoro_await (co, 3, out, ls_queue_get (d->q));
}

static LsCCoroAction
dead_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  DeadState *d = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_condition_acquire (d->cond));
  return ls_ccoro_await (co, 2, out, ls_condition_wait (d->cond));
}

static LsCCoroAction
deadlock_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  MainState *m = co->data;
  LsValue q, cond;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->tg = ls_task_group_new ();
      return ls_ccoro_await (co, 1, out, ls_task_group_aenter (m->tg));
    case 1:
      q = ls_queue_new (0, LS_QUEUE_FIFO);
      cond = ls_condition_new (ls_none ());
      ls_value_unref (create (m, dead_new ("waiter", dead_waiter, q, cond), NULL));
      ls_value_unref (create (m, dead_new ("holder", dead_holder, q, cond), NULL));
      ls_value_unref (q);
      ls_value_unref (cond);
      return ls_ccoro_await (co, 2, out, ls_task_group_aexit (m->tg, ls_none ()));
    }
  return ls_ccoro_return (out, ls_none ());
}

static void
test_taskgroup_deadlock (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_false (ls_test_asyncio_run (run, main_new ("main", deadlock_main)));
  g_assert_true (ls_loop_deadlocked (run->loop));
  ls_test_run_free (run);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/engine/taskgroup/ok", test_taskgroup_ok);
  g_test_add_func ("/engine/taskgroup/child-fails", test_taskgroup_child_fails);
  g_test_add_func ("/engine/taskgroup/body-raises", test_taskgroup_body_raises);
  g_test_add_func ("/engine/taskgroup/multi-errors", test_taskgroup_multi_errors);
  g_test_add_func ("/engine/taskgroup/parent-cancelled", test_taskgroup_parent_cancelled);
  g_test_add_func ("/engine/taskgroup/misuse", test_taskgroup_misuse);
  g_test_add_func ("/engine/taskgroup/deadlock", test_taskgroup_deadlock);
  return g_test_run ();
}
