/* test-locks.c - Lock, Event, Condition and the semaphores against CPython.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py.  `async with
 * lock:` is an await of acquire() and a release() on the way out, which is
 * all the Python context manager does.
 */
#include "ls-test-harness.h"

/* Every coroutine here keeps its locals in an LsTestLocals: the workers
 * their name, their delay and the primitive they share (value); the main
 * coroutines the primitive (value), their tasks or results (t[]), a
 * predicate (saved) and counters (i, n), which pred_waiter reads through
 * shared. */

/* lock.release() and the like, where it must not fail */
static void
release (gboolean (*release_fn) (LsValue prim, LsValue *error), LsValue prim)
{
  LsValue err;
  if (!release_fn (prim, &err))
    {
      ls_value_unref (err);
      g_test_fail ();
    }
}

/* ---- lock_contended.py ---------------------------------------------------- */

static LsCCoroAction
contended_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  switch (co->pc)
    {
    case 0:
      ls_test_print ("%s wants the lock at %s locked: %s", s->name, ls_test_now (),
                     ls_test_bool (ls_lock_locked (s->value)));
      return ls_ccoro_await (co, 1, out, ls_lock_acquire (s->value));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s got the lock at %s", s->name, ls_test_now ());
      return ls_test_await_sleep (co, 2, out, 1);
    case 2:
      if (!thrown)
        ls_test_print ("%s releases at %s", s->name, ls_test_now ());
      release (ls_lock_release, s->value);
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_str_new (s->name));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
contended_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;
  LsValue aws[3], err;

  switch (co->pc)
    {
    case 0:
      s->value = ls_lock_new ();
      for (int i = 0; i < 3; i++)
        aws[i] = LS_TEST_CORO ("worker", contended_worker, .name = { (char) ('A' + i) },
                               .value = ls_value_ref (s->value));
      return ls_test_await_gather_take (co, 1, out, 3, aws, FALSE);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s", ls_test_repr (in));
      ls_test_print ("locked at end: %s", ls_test_bool (ls_lock_locked (s->value)));
      g_assert_false (ls_lock_release (s->value, &err));
      ls_test_print_error (err);
      ls_value_unref (err);
      return ls_ccoro_await (co, 2, out, ls_lock_acquire (s->value));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      s->t[0] = ls_test_create_task (LS_TEST_CORO ("worker", contended_worker, .name = "D",
                                                   .value = ls_value_ref (s->value)), NULL);
      return ls_test_await_sleep (co, 3, out, 0);
    case 3:
      release (ls_lock_release, s->value);
      ls_test_print ("main re-acquires, locked: %s", ls_test_bool (ls_lock_locked (s->value)));
      return ls_ccoro_await (co, 4, out, ls_lock_acquire (s->value));
    case 4:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("main got it back at %s", ls_test_now ());
      release (ls_lock_release, s->value);
      return ls_ccoro_await (co, 5, out, ls_value_ref (s->t[0]));
    case 5:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s", ls_str_get (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- lock_cancel_waiter.py ------------------------------------------------ */

static LsCCoroAction
lock_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_lock_acquire (s->value));
    case 1:
      if (thrown)
        {
          if (ls_exc_matches (in, &ls_exc_CancelledError))
            ls_test_print ("%s cancelled at %s locked: %s", s->name, ls_test_now (),
                           ls_test_bool (ls_lock_locked (s->value)));
          return ls_ccoro_pass (in, thrown, out);
        }
      ls_test_print ("%s got the lock at %s", s->name, ls_test_now ());
      return ls_test_await_sleep (co, 2, out, 1);
    case 2:
      release (ls_lock_release, s->value);     /* finally */
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_str_new (s->name));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
cancel_waiter_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->value = ls_lock_new ();
      return ls_ccoro_await (co, 1, out, ls_lock_acquire (s->value));
    case 1:
      for (int i = 0; i < 3; i++)
        s->t[i] = ls_test_create_task (LS_TEST_CORO ("waiter", lock_waiter, .name = { (char) ('B' + i) },
                                                     .value = ls_value_ref (s->value)), NULL);
      return ls_test_await_sleep (co, 2, out, 1);
    case 2:
      ls_task_cancel (ls_value_object (s->t[2]), ls_none ());
      return ls_test_await_sleep (co, 3, out, 1);
    case 3:
      release (ls_lock_release, s->value);
      ls_task_cancel (ls_value_object (s->t[0]), ls_none ());
      ls_test_print ("released and cancelled B at %s locked: %s", ls_test_now (),
                     ls_test_bool (ls_lock_locked (s->value)));
      return ls_test_await_gather (co, 4, out, 3, s->t, TRUE);
    case 4:
      ls_test_print ("%s", ls_test_outcomes (in));
      ls_test_print ("locked: %s at %s", ls_test_bool (ls_lock_locked (s->value)), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- event_wait_set.py ---------------------------------------------------- */

static LsCCoroAction
event_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (co->pc == 0)
    {
      ls_test_print ("%s waiting", s->name);
      return ls_ccoro_await (co, 1, out, ls_event_wait (s->value));
    }
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  ls_test_print ("%s woke at %s %s", s->name, ls_test_now (), ls_test_str (in));
  return ls_ccoro_return (out, ls_str_new (s->name));
}

static LsCCoroAction
event_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->value = ls_event_new ();
      for (int i = 0; i < 3; i++)
        s->t[i] = ls_test_create_task (LS_TEST_CORO ("waiter", event_waiter, .name = { (char) ('A' + i) },
                                                     .value = ls_value_ref (s->value)), NULL);
      return ls_test_await_sleep (co, 1, out, 1);
    case 1:
      ls_test_print ("set at %s is_set: %s", ls_test_now (), ls_test_bool (ls_event_is_set (s->value)));
      ls_event_set (s->value);
      ls_event_set (s->value);
      return ls_test_await_gather (co, 2, out, 3, s->t, FALSE);
    case 2:
      ls_test_print ("%s", ls_test_repr (in));
      return ls_ccoro_await (co, 3, out, ls_event_wait (s->value));
    case 3:
      ls_test_print ("wait on a set event: %s", ls_test_repr (in));
      ls_event_clear (s->value);
      ls_test_print ("is_set after clear: %s", ls_test_bool (ls_event_is_set (s->value)));
      s->t[3] = ls_test_create_task (LS_TEST_CORO ("waiter", event_waiter, .name = "D",
                                                   .value = ls_value_ref (s->value)), NULL);
      return ls_test_await_sleep (co, 4, out, 0.5);
    case 4:
      ls_event_set (s->value);
      return ls_ccoro_await (co, 5, out, ls_value_ref (s->t[3]));
    case 5:
      ls_test_print ("%s at %s", ls_str_get (in), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- cond_notify.py -------------------------------------------------------- */

static LsCCoroAction
cond_consumer (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_condition_acquire (s->value));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s waits at %s", s->name, ls_test_now ());
      return ls_ccoro_await (co, 2, out, ls_condition_wait (s->value));
    case 2:
      if (thrown)
        {
          release (ls_condition_release, s->value);
          return ls_ccoro_pass (in, thrown, out);
        }
      ls_test_print ("%s notified at %s %s %s", s->name, ls_test_now (), ls_test_str (in),
                     ls_test_bool (ls_condition_locked (s->value)));
      release (ls_condition_release, s->value);
      return ls_ccoro_return (out, ls_str_new (s->name));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
cond_notify_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;
  LsValue err;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->value = ls_condition_new (ls_none ());
      for (int i = 0; i < 3; i++)
        s->t[i] = ls_test_create_task (LS_TEST_CORO ("consumer", cond_consumer,
                                                     .name = { (char) ('A' + i) },
                                                     .value = ls_value_ref (s->value)), NULL);
      return ls_test_await_sleep (co, 1, out, 1);
    case 1:
      return ls_ccoro_await (co, 2, out, ls_condition_acquire (s->value));
    case 2:
      g_assert_true (ls_condition_notify (s->value, 1, &err));
      ls_test_print ("notify(1) at %s", ls_test_now ());
      release (ls_condition_release, s->value);
      return ls_test_await_sleep (co, 3, out, 1);
    case 3:
      return ls_ccoro_await (co, 4, out, ls_condition_acquire (s->value));
    case 4:
      g_assert_true (ls_condition_notify_all (s->value, &err));
      ls_test_print ("notify_all at %s", ls_test_now ());
      release (ls_condition_release, s->value);
      return ls_test_await_gather (co, 5, out, 3, s->t, FALSE);
    case 5:
      ls_test_print ("%s", ls_test_repr (in));
      g_assert_false (ls_condition_notify (s->value, 1, &err));
      ls_test_print_error (err);
      ls_value_unref (err);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- cond_wait_cancel.py ------------------------------------------------------ */

static LsCCoroAction
cond_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_condition_acquire (s->value));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 2, out, ls_condition_wait (s->value));
    case 2:
      if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
        ls_test_print ("waiter cancelled at %s holds lock: %s", ls_test_now (),
                       ls_test_bool (ls_condition_locked (s->value)));
      release (ls_condition_release, s->value);
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* lambda: state["n"] >= 2 */
static gboolean
n_at_least_two (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_bool (*(gint64 *) data >= 2);
  return TRUE;
}

static LsCCoroAction
pred_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_condition_acquire (s->value));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 2, out, ls_condition_wait_for (s->value, s->saved));
    case 2:
      if (!thrown)
        ls_test_print ("predicate true at %s %s %" G_GINT64_FORMAT, ls_test_now (), ls_test_str (in),
                       *(gint64 *) s->shared);
      release (ls_condition_release, s->value);
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_str_new ("pred"));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
cond_cancel_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;
  LsValue err;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->value = ls_condition_new (ls_none ());
      s->saved = ls_builtin_new ("<lambda>", n_at_least_two, ls_none (), &s->n, NULL);
      s->t[0] = ls_test_create_task (LS_TEST_CORO ("waiter", cond_waiter, .name = "w",
                                                   .value = ls_value_ref (s->value)), NULL);
      s->t[1] = ls_test_create_task (LS_TEST_CORO ("pred_waiter", pred_waiter, .name = "p",
                                                   .value = ls_value_ref (s->value),
                                                   .saved = ls_value_ref (s->saved), .shared = &s->n),
                                     NULL);
      return ls_test_await_sleep (co, 1, out, 1);
    case 1:
      return ls_ccoro_await (co, 2, out, ls_condition_acquire (s->value));
    case 2:
      ls_task_cancel (ls_value_object (s->t[0]), ls_none ());
      return ls_test_await_sleep (co, 3, out, 1);
    case 3:
      ls_test_print ("main releases at %s", ls_test_now ());
      release (ls_condition_release, s->value);
      s->i = 0;
      return ls_test_await_sleep (co, 4, out, 1);
    case 4:
      return ls_ccoro_await (co, 5, out, ls_condition_acquire (s->value));
    case 5:
      s->n++;
      ls_test_print ("n = %" G_GINT64_FORMAT " at %s", s->n, ls_test_now ());
      g_assert_true (ls_condition_notify_all (s->value, &err));
      release (ls_condition_release, s->value);
      if (++s->i < 2)
        return ls_test_await_sleep (co, 4, out, 1);
      return ls_test_await_gather (co, 6, out, 2, s->t, TRUE);
    case 6:
      ls_test_print ("%s", ls_test_outcomes (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- sem_crawler.py ------------------------------------------------------------ */

static LsCCoroAction
fetch (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  switch (co->pc)
    {
    case 0:
      ls_test_print ("%s queued at %s", s->name, ls_test_now ());
      return ls_ccoro_await (co, 1, out, ls_semaphore_acquire (s->value));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s start at %s", s->name, ls_test_now ());
      return ls_test_await_sleep (co, 2, out, s->delay);
    case 2:
      if (!thrown)
        ls_test_print ("%s finish at %s", s->name, ls_test_now ());
      release (ls_semaphore_release, s->value);
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_str_new (s->name));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
crawler_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  static const double delays[] = { 3, 1, 2, 1, 0.5 };     /* of p1 … p5 */
  LsTestLocals *s = co->data;
  LsValue aws[5];

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->value = ls_semaphore_new (2, FALSE);
      for (int i = 0; i < 5; i++)
        aws[i] = LS_TEST_CORO ("fetch", fetch, .name = { 'p', (char) ('1' + i) }, .delay = delays[i],
                               .value = ls_value_ref (s->value));
      return ls_test_await_gather_take (co, 1, out, 5, aws, FALSE);
    case 1:
      ls_test_print ("%s locked: %s", ls_test_repr (in), ls_test_bool (ls_semaphore_locked (s->value)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- sem_bounded.py -------------------------------------------------------------- */

static LsCCoroAction
bounded_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;
  LsValue v, err;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      v = ls_semaphore_new (-1, FALSE);
      g_assert_true (ls_exc_matches (v, &ls_exc_ValueError));
      ls_test_print_error (v);
      ls_value_unref (v);
      s->value = ls_semaphore_new (2, TRUE);
      return ls_ccoro_await (co, 1, out, ls_semaphore_acquire (s->value));
    case 1:
    case 2:
      ls_test_print ("%s %s", ls_test_bool (ls_value_truthy (in)),
                     ls_test_bool (ls_semaphore_locked (s->value)));
      if (co->pc == 1)
        return ls_ccoro_await (co, 2, out, ls_semaphore_acquire (s->value));
      release (ls_semaphore_release, s->value);
      release (ls_semaphore_release, s->value);
      ls_test_print ("locked: %s", ls_test_bool (ls_semaphore_locked (s->value)));
      g_assert_false (ls_semaphore_release (s->value, &err));
      ls_test_print_error (err);
      ls_value_unref (err);
      ls_value_set (&s->value, ls_semaphore_new (1, FALSE));
      release (ls_semaphore_release, s->value);
      release (ls_semaphore_release, s->value);
      s->i = 0;
      return ls_ccoro_await (co, 3, out, ls_semaphore_acquire (s->value));
    case 3:
      s->t[s->i] = ls_value_ref (in);
      if (++s->i < 3)
        return ls_ccoro_await (co, 3, out, ls_semaphore_acquire (s->value));
      ls_test_print ("%s %s %s %s", ls_test_bool (ls_value_truthy (s->t[0])),
                     ls_test_bool (ls_value_truthy (s->t[1])), ls_test_bool (ls_value_truthy (s->t[2])),
                     ls_test_bool (ls_semaphore_locked (s->value)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- sem_cancel_woken.py ------------------------------------------------------------ */

static LsCCoroAction
sem_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_semaphore_acquire (s->value));
    case 1:
      if (!thrown)
        {
          ls_test_print ("%s in at %s", s->name, ls_test_now ());
          return ls_test_await_sleep (co, 2, out, 1);
        }
      break;
    case 2:
      if (!thrown)
        ls_test_print ("%s out at %s", s->name, ls_test_now ());
      release (ls_semaphore_release, s->value);
      if (!thrown)
        return ls_ccoro_return (out, ls_str_new (s->name));
      break;
    default:
      g_assert_not_reached ();
    }
  /* except asyncio.CancelledError: */
  if (ls_exc_matches (in, &ls_exc_CancelledError))
    ls_test_print ("%s cancelled at %s locked: %s", s->name, ls_test_now (),
                   ls_test_bool (ls_semaphore_locked (s->value)));
  return ls_ccoro_pass (in, thrown, out);
}

static LsCCoroAction
sem_cancel_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->value = ls_semaphore_new (1, FALSE);
      return ls_ccoro_await (co, 1, out, ls_semaphore_acquire (s->value));
    case 1:
      for (int i = 0; i < 3; i++)
        s->t[i] = ls_test_create_task (LS_TEST_CORO ("worker", sem_worker, .name = { (char) ('B' + i) },
                                                     .value = ls_value_ref (s->value)), NULL);
      return ls_test_await_sleep (co, 2, out, 1);
    case 2:
      ls_task_cancel (ls_value_object (s->t[1]), ls_none ());
      return ls_test_await_sleep (co, 3, out, 0);
    case 3:
      release (ls_semaphore_release, s->value);
      ls_task_cancel (ls_value_object (s->t[0]), ls_none ());
      ls_test_print ("released at %s locked: %s", ls_test_now (),
                     ls_test_bool (ls_semaphore_locked (s->value)));
      return ls_test_await_gather (co, 4, out, 3, s->t, TRUE);
    case 4:
      ls_test_print ("%s", ls_test_outcomes (in));
      ls_test_print ("locked: %s", ls_test_bool (ls_semaphore_locked (s->value)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- sem_no_barging.py ------------------------------------------------------------ */

static LsCCoroAction
nb_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      ls_test_print ("%s acquiring at %s locked: %s", s->name, ls_test_now (),
                     ls_test_bool (ls_semaphore_locked (s->value)));
      return ls_ccoro_await (co, 1, out, ls_semaphore_acquire (s->value));
    case 1:
      ls_test_print ("%s acquired at %s", s->name, ls_test_now ());
      return ls_test_await_sleep (co, 2, out, 1);
    case 2:
      release (ls_semaphore_release, s->value);
      ls_test_print ("%s released at %s", s->name, ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static LsCCoroAction
no_barging_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->value = ls_semaphore_new (0, FALSE);
      s->t[0] = ls_test_create_task (LS_TEST_CORO ("worker", nb_worker, .name = "B",
                                                   .value = ls_value_ref (s->value)), NULL);
      return ls_test_await_sleep (co, 1, out, 0);
    case 1:
      release (ls_semaphore_release, s->value);
      release (ls_semaphore_release, s->value);
      ls_test_print ("main acquiring, locked: %s", ls_test_bool (ls_semaphore_locked (s->value)));
      return ls_ccoro_await (co, 2, out, ls_semaphore_acquire (s->value));
    case 2:
      ls_test_print ("main acquired at %s", ls_test_now ());
      release (ls_semaphore_release, s->value);
      return ls_ccoro_await (co, 3, out, ls_value_ref (s->t[0]));
    case 3:
      ls_test_print ("locked: %s", ls_test_bool (ls_semaphore_locked (s->value)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- misuse ---------------------------------------------------------------------- */

/* Wrong objects give exceptions, never aborts; acquire() on a non-lock is
 * a coroutine that raises. */
static LsCCoroAction
misuse_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue err, v;

  switch (co->pc)
    {
    case 0:
      g_assert_false (ls_lock_release (ls_int (1), &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_TypeError));
      ls_value_unref (err);
      g_assert_false (ls_lock_locked (ls_none ()));
      ls_event_set (ls_none ());
      v = ls_condition_new (ls_int (5));
      g_assert_true (ls_exc_matches (v, &ls_exc_TypeError));
      ls_value_unref (v);
      v = ls_condition_new (ls_none ());
      g_assert_false (ls_condition_notify_all (v, &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_RuntimeError));
      ls_value_unref (err);
      ls_value_unref (v);
      v = ls_str_new ("x");
      err = ls_semaphore_acquire (v);
      ls_value_unref (v);
      return ls_ccoro_await (co, 1, out, err);
    case 1:
      g_assert_true (ls_test_caught (in, thrown, &ls_exc_TypeError));
      v = ls_condition_new (ls_none ());
      err = ls_condition_wait (v);
      ls_value_unref (v);
      return ls_ccoro_await (co, 2, out, err);
    case 2:
      g_assert_true (ls_test_caught (in, thrown, &ls_exc_RuntimeError));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static const LsTest tests[] = {
  LS_TEST_CASE ("/engine/locks/lock-contended", "lock_contended", contended_main),
  LS_TEST_CASE ("/engine/locks/lock-cancel-waiter", "lock_cancel_waiter", cancel_waiter_main),
  LS_TEST_CASE ("/engine/locks/event-wait-set", "event_wait_set", event_main),
  LS_TEST_CASE ("/engine/locks/cond-notify", "cond_notify", cond_notify_main),
  LS_TEST_CASE ("/engine/locks/cond-wait-cancel", "cond_wait_cancel", cond_cancel_main),
  LS_TEST_CASE ("/engine/locks/sem-crawler", "sem_crawler", crawler_main),
  LS_TEST_CASE ("/engine/locks/sem-bounded", "sem_bounded", bounded_main),
  LS_TEST_CASE ("/engine/locks/sem-cancel-woken", "sem_cancel_woken", sem_cancel_main),
  LS_TEST_CASE ("/engine/locks/sem-no-barging", "sem_no_barging", no_barging_main),
  LS_TEST_MAIN ("/engine/locks/misuse", misuse_main),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
