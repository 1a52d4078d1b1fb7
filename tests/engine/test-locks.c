/* test-locks.c - Lock, Event, Condition and the semaphores against CPython.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py.  `async with
 * lock:` is an await of acquire() and a release() on the way out, which is
 * all the Python context manager does.
 */
#include "ls-test-harness.h"

static LsLoop *
loop (void)
{
  return ls_loop_get_running ();
}

static const char *
now (void)
{
  return ls_test_float (ls_loop_time (loop ()));
}

static const char *
py_bool (gboolean b)
{
  return b ? "True" : "False";
}

/* The locals every coroutine here uses a few of. */
typedef struct {
  char name[8];
  double delay;
  LsValue prim;         /* the lock, event, condition or semaphore */
  LsValue tasks[5];
  LsValue res[3];
  LsValue pred;
  int *np;              /* state["n"], shared with main */
  int i;
  int n;
} St;

static void
st_free (gpointer p)
{
  St *s = p;
  ls_value_unref (s->prim);
  ls_value_unref (s->pred);
  for (int i = 0; i < 5; i++)
    ls_value_unref (s->tasks[i]);
  for (int i = 0; i < 3; i++)
    ls_value_unref (s->res[i]);
  g_free (s);
}

/* A coroutine whose locals name it and share prim (borrowed here). */
static LsValue
co_new (const char *fname, LsCCoroFn fn, const char *name, LsValue prim, double delay)
{
  St *s = g_new0 (St, 1);
  g_strlcpy (s->name, name, sizeof s->name);
  s->prim = ls_value_ref (prim);
  s->delay = delay;
  return ls_ccoro_new (fname, fn, s, st_free);
}

static LsValue
spawn (const char *fname, LsCCoroFn fn, const char *name, LsValue prim, double delay)
{
  return ls_task_new (loop (), co_new (fname, fn, name, prim, delay), NULL);
}

/* await asyncio.gather(*aws, return_exceptions=...) */
static LsCCoroAction
await_gather (LsCCoro *co, int next_pc, LsValue *out, guint n, LsValue *aws,
              gboolean return_exceptions)
{
  LsValue fut;
  gboolean ok = ls_gather (loop (), n, aws, return_exceptions, &fut);
  if (!ok)
    return ls_ccoro_raise (out, fut);
  return ls_ccoro_await (co, next_pc, out, fut);
}

static void
print_value (const char *fmt, LsValue v)
{
  char *r = ls_value_repr (v);
  ls_test_print (fmt, r);
  g_free (r);
}

/* print([type(r).__name__ if isinstance(r, BaseException) else r for r in results]) */
static void
print_outcomes (LsValue results)
{
  LsValue list = ls_list_new ();
  for (guint i = 0; i < ls_list_len (results); i++)
    {
      LsValue r = ls_list_get (results, i);
      const LsExcType *t = ls_exc_type (r);
      ls_list_append (list, t ? ls_str_new (t->name) : ls_value_ref (r));
    }
  print_value ("%s", list);
  ls_value_unref (list);
}

/* print("TypeName:", e) */
static void
print_error (LsValue exc)
{
  char *s = ls_value_str (exc);
  ls_test_print ("%s: %s", ls_exc_type (exc)->name, s);
  g_free (s);
}

static void
run_case (const char *name, LsCCoroFn fn)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, co_new ("main", fn, "main", ls_none (), 0)));
  ls_test_check_case (run, name);
  ls_test_run_free (run);
}

static void
release_lock (LsValue lock)
{
  LsValue err;
  if (!ls_lock_release (lock, &err))
    {
      ls_value_unref (err);
      g_test_fail ();
    }
}

static void
release_cond (LsValue cond)
{
  LsValue err;
  if (!ls_condition_release (cond, &err))
    {
      ls_value_unref (err);
      g_test_fail ();
    }
}

static void
release_sem (LsValue sem)
{
  LsValue err;
  if (!ls_semaphore_release (sem, &err))
    {
      ls_value_unref (err);
      g_test_fail ();
    }
}

/* ---- lock_contended.py ---------------------------------------------------- */

static LsCCoroAction
contended_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  switch (co->pc)
    {
    case 0:
      ls_test_print ("%s wants the lock at %s locked: %s", s->name, now (),
                     py_bool (ls_lock_locked (s->prim)));
      return ls_ccoro_await (co, 1, out, ls_lock_acquire (s->prim));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s got the lock at %s", s->name, now ());
      return ls_ccoro_await (co, 2, out, ls_sleep (1, ls_none ()));
    case 2:
      if (!thrown)
        ls_test_print ("%s releases at %s", s->name, now ());
      release_lock (s->prim);
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_str_new (s->name));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
contended_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;
  LsValue aws[3], err;
  LsCCoroAction action;

  switch (co->pc)
    {
    case 0:
      s->prim = ls_lock_new ();
      for (int i = 0; i < 3; i++)
        {
          char name[2] = { (char) ('A' + i), 0 };
          aws[i] = co_new ("worker", contended_worker, name, s->prim, 0);
        }
      action = await_gather (co, 1, out, 3, aws, FALSE);
      for (int i = 0; i < 3; i++)
        ls_value_unref (aws[i]);
      return action;
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      print_value ("%s", in);
      ls_test_print ("locked at end: %s", py_bool (ls_lock_locked (s->prim)));
      g_assert_false (ls_lock_release (s->prim, &err));
      print_error (err);
      ls_value_unref (err);
      return ls_ccoro_await (co, 2, out, ls_lock_acquire (s->prim));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      s->tasks[0] = spawn ("worker", contended_worker, "D", s->prim, 0);
      return ls_ccoro_await (co, 3, out, ls_sleep (0, ls_none ()));
    case 3:
      release_lock (s->prim);
      ls_test_print ("main re-acquires, locked: %s", py_bool (ls_lock_locked (s->prim)));
      return ls_ccoro_await (co, 4, out, ls_lock_acquire (s->prim));
    case 4:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("main got it back at %s", now ());
      release_lock (s->prim);
      return ls_ccoro_await (co, 5, out, ls_value_ref (s->tasks[0]));
    case 5:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s", ls_str_get (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_lock_contended (void)
{
  run_case ("lock_contended", contended_main);
}

/* ---- lock_cancel_waiter.py ------------------------------------------------ */

static LsCCoroAction
lock_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_lock_acquire (s->prim));
    case 1:
      if (thrown)
        {
          if (ls_exc_matches (in, &ls_exc_CancelledError))
            ls_test_print ("%s cancelled at %s locked: %s", s->name, now (),
                           py_bool (ls_lock_locked (s->prim)));
          return ls_ccoro_pass (in, thrown, out);
        }
      ls_test_print ("%s got the lock at %s", s->name, now ());
      return ls_ccoro_await (co, 2, out, ls_sleep (1, ls_none ()));
    case 2:
      release_lock (s->prim);     /* finally */
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_str_new (s->name));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
cancel_waiter_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->prim = ls_lock_new ();
      return ls_ccoro_await (co, 1, out, ls_lock_acquire (s->prim));
    case 1:
      for (int i = 0; i < 3; i++)
        {
          char name[2] = { (char) ('B' + i), 0 };
          s->tasks[i] = spawn ("waiter", lock_waiter, name, s->prim, 0);
        }
      return ls_ccoro_await (co, 2, out, ls_sleep (1, ls_none ()));
    case 2:
      ls_task_cancel (ls_value_object (s->tasks[2]), ls_none ());
      return ls_ccoro_await (co, 3, out, ls_sleep (1, ls_none ()));
    case 3:
      release_lock (s->prim);
      ls_task_cancel (ls_value_object (s->tasks[0]), ls_none ());
      ls_test_print ("released and cancelled B at %s locked: %s", now (),
                     py_bool (ls_lock_locked (s->prim)));
      return await_gather (co, 4, out, 3, s->tasks, TRUE);
    case 4:
      print_outcomes (in);
      ls_test_print ("locked: %s at %s", py_bool (ls_lock_locked (s->prim)), now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_lock_cancel_waiter (void)
{
  run_case ("lock_cancel_waiter", cancel_waiter_main);
}

/* ---- event_wait_set.py ---------------------------------------------------- */

static LsCCoroAction
event_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;
  char *r;

  if (co->pc == 0)
    {
      ls_test_print ("%s waiting", s->name);
      return ls_ccoro_await (co, 1, out, ls_event_wait (s->prim));
    }
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  r = ls_value_str (in);
  ls_test_print ("%s woke at %s %s", s->name, now (), r);
  g_free (r);
  return ls_ccoro_return (out, ls_str_new (s->name));
}

static LsCCoroAction
event_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->prim = ls_event_new ();
      for (int i = 0; i < 3; i++)
        {
          char name[2] = { (char) ('A' + i), 0 };
          s->tasks[i] = spawn ("waiter", event_waiter, name, s->prim, 0);
        }
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
    case 1:
      ls_test_print ("set at %s is_set: %s", now (), py_bool (ls_event_is_set (s->prim)));
      ls_event_set (s->prim);
      ls_event_set (s->prim);
      return await_gather (co, 2, out, 3, s->tasks, FALSE);
    case 2:
      print_value ("%s", in);
      return ls_ccoro_await (co, 3, out, ls_event_wait (s->prim));
    case 3:
      print_value ("wait on a set event: %s", in);
      ls_event_clear (s->prim);
      ls_test_print ("is_set after clear: %s", py_bool (ls_event_is_set (s->prim)));
      s->tasks[3] = spawn ("waiter", event_waiter, "D", s->prim, 0);
      return ls_ccoro_await (co, 4, out, ls_sleep (0.5, ls_none ()));
    case 4:
      ls_event_set (s->prim);
      return ls_ccoro_await (co, 5, out, ls_value_ref (s->tasks[3]));
    case 5:
      ls_test_print ("%s at %s", ls_str_get (in), now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_event_wait_set (void)
{
  run_case ("event_wait_set", event_main);
}

/* ---- cond_notify.py -------------------------------------------------------- */

static LsCCoroAction
cond_consumer (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;
  char *r;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_condition_acquire (s->prim));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s waits at %s", s->name, now ());
      return ls_ccoro_await (co, 2, out, ls_condition_wait (s->prim));
    case 2:
      if (thrown)
        {
          release_cond (s->prim);
          return ls_ccoro_pass (in, thrown, out);
        }
      r = ls_value_str (in);
      ls_test_print ("%s notified at %s %s %s", s->name, now (), r,
                     py_bool (ls_condition_locked (s->prim)));
      g_free (r);
      release_cond (s->prim);
      return ls_ccoro_return (out, ls_str_new (s->name));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
cond_notify_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;
  LsValue err;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->prim = ls_condition_new (ls_none ());
      for (int i = 0; i < 3; i++)
        {
          char name[2] = { (char) ('A' + i), 0 };
          s->tasks[i] = spawn ("consumer", cond_consumer, name, s->prim, 0);
        }
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
    case 1:
      return ls_ccoro_await (co, 2, out, ls_condition_acquire (s->prim));
    case 2:
      g_assert_true (ls_condition_notify (s->prim, 1, &err));
      ls_test_print ("notify(1) at %s", now ());
      release_cond (s->prim);
      return ls_ccoro_await (co, 3, out, ls_sleep (1, ls_none ()));
    case 3:
      return ls_ccoro_await (co, 4, out, ls_condition_acquire (s->prim));
    case 4:
      g_assert_true (ls_condition_notify_all (s->prim, &err));
      ls_test_print ("notify_all at %s", now ());
      release_cond (s->prim);
      return await_gather (co, 5, out, 3, s->tasks, FALSE);
    case 5:
      print_value ("%s", in);
      g_assert_false (ls_condition_notify (s->prim, 1, &err));
      print_error (err);
      ls_value_unref (err);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_cond_notify (void)
{
  run_case ("cond_notify", cond_notify_main);
}

/* ---- cond_wait_cancel.py ------------------------------------------------------ */

static LsCCoroAction
cond_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_condition_acquire (s->prim));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 2, out, ls_condition_wait (s->prim));
    case 2:
      if (thrown && ls_exc_matches (in, &ls_exc_CancelledError))
        ls_test_print ("waiter cancelled at %s holds lock: %s", now (),
                       py_bool (ls_condition_locked (s->prim)));
      release_cond (s->prim);
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
  *result = ls_bool (*(int *) data >= 2);
  return TRUE;
}

static LsCCoroAction
pred_waiter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_condition_acquire (s->prim));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 2, out, ls_condition_wait_for (s->prim, s->pred));
    case 2:
      if (!thrown)
        {
          char *r = ls_value_str (in);
          ls_test_print ("predicate true at %s %s %d", now (), r, *s->np);
          g_free (r);
        }
      release_cond (s->prim);
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_str_new ("pred"));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
cond_cancel_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;
  LsValue err, coro;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->prim = ls_condition_new (ls_none ());
      s->pred = ls_builtin_new ("<lambda>", n_at_least_two, ls_none (), &s->n, NULL);
      s->tasks[0] = spawn ("waiter", cond_waiter, "w", s->prim, 0);
      coro = co_new ("pred_waiter", pred_waiter, "p", s->prim, 0);
      ((St *) ((LsCCoro *) ls_value_object (coro))->data)->pred = ls_value_ref (s->pred);
      ((St *) ((LsCCoro *) ls_value_object (coro))->data)->np = &s->n;
      s->tasks[1] = ls_task_new (loop (), coro, NULL);
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
    case 1:
      return ls_ccoro_await (co, 2, out, ls_condition_acquire (s->prim));
    case 2:
      ls_task_cancel (ls_value_object (s->tasks[0]), ls_none ());
      return ls_ccoro_await (co, 3, out, ls_sleep (1, ls_none ()));
    case 3:
      ls_test_print ("main releases at %s", now ());
      release_cond (s->prim);
      s->i = 0;
      return ls_ccoro_await (co, 4, out, ls_sleep (1, ls_none ()));
    case 4:
      return ls_ccoro_await (co, 5, out, ls_condition_acquire (s->prim));
    case 5:
      s->n++;
      ls_test_print ("n = %d at %s", s->n, now ());
      g_assert_true (ls_condition_notify_all (s->prim, &err));
      release_cond (s->prim);
      if (++s->i < 2)
        return ls_ccoro_await (co, 4, out, ls_sleep (1, ls_none ()));
      return await_gather (co, 6, out, 2, s->tasks, TRUE);
    case 6:
      print_outcomes (in);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_cond_wait_cancel (void)
{
  run_case ("cond_wait_cancel", cond_cancel_main);
}

/* ---- sem_crawler.py ------------------------------------------------------------ */

static LsCCoroAction
fetch (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  switch (co->pc)
    {
    case 0:
      ls_test_print ("%s queued at %s", s->name, now ());
      return ls_ccoro_await (co, 1, out, ls_semaphore_acquire (s->prim));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s start at %s", s->name, now ());
      return ls_ccoro_await (co, 2, out, ls_sleep (s->delay, ls_none ()));
    case 2:
      if (!thrown)
        ls_test_print ("%s finish at %s", s->name, now ());
      release_sem (s->prim);
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_str_new (s->name));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
crawler_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  static const struct { const char *name; double delay; } delays[] = {
    { "p1", 3 }, { "p2", 1 }, { "p3", 2 }, { "p4", 1 }, { "p5", 0.5 },
  };
  St *s = co->data;
  LsValue aws[5];
  LsCCoroAction action;
  char *r;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->prim = ls_semaphore_new (2, FALSE);
      for (int i = 0; i < 5; i++)
        aws[i] = co_new ("fetch", fetch, delays[i].name, s->prim, delays[i].delay);
      action = await_gather (co, 1, out, 5, aws, FALSE);
      for (int i = 0; i < 5; i++)
        ls_value_unref (aws[i]);
      return action;
    case 1:
      r = ls_value_repr (in);
      ls_test_print ("%s locked: %s", r, py_bool (ls_semaphore_locked (s->prim)));
      g_free (r);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_sem_crawler (void)
{
  run_case ("sem_crawler", crawler_main);
}

/* ---- sem_bounded.py -------------------------------------------------------------- */

static LsCCoroAction
bounded_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;
  LsValue v, err;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      v = ls_semaphore_new (-1, FALSE);
      g_assert_true (ls_exc_matches (v, &ls_exc_ValueError));
      print_error (v);
      ls_value_unref (v);
      s->prim = ls_semaphore_new (2, TRUE);
      return ls_ccoro_await (co, 1, out, ls_semaphore_acquire (s->prim));
    case 1:
    case 2:
      ls_test_print ("%s %s", py_bool (ls_value_truthy (in)), py_bool (ls_semaphore_locked (s->prim)));
      if (co->pc == 1)
        return ls_ccoro_await (co, 2, out, ls_semaphore_acquire (s->prim));
      release_sem (s->prim);
      release_sem (s->prim);
      ls_test_print ("locked: %s", py_bool (ls_semaphore_locked (s->prim)));
      g_assert_false (ls_semaphore_release (s->prim, &err));
      print_error (err);
      ls_value_unref (err);
      ls_value_set (&s->prim, ls_semaphore_new (1, FALSE));
      release_sem (s->prim);
      release_sem (s->prim);
      s->i = 0;
      return ls_ccoro_await (co, 3, out, ls_semaphore_acquire (s->prim));
    case 3:
      s->res[s->i] = ls_value_ref (in);
      if (++s->i < 3)
        return ls_ccoro_await (co, 3, out, ls_semaphore_acquire (s->prim));
      ls_test_print ("%s %s %s %s", py_bool (ls_value_truthy (s->res[0])),
                     py_bool (ls_value_truthy (s->res[1])), py_bool (ls_value_truthy (s->res[2])),
                     py_bool (ls_semaphore_locked (s->prim)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_sem_bounded (void)
{
  run_case ("sem_bounded", bounded_main);
}

/* ---- sem_cancel_woken.py ------------------------------------------------------------ */

static LsCCoroAction
sem_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_semaphore_acquire (s->prim));
    case 1:
      if (!thrown)
        {
          ls_test_print ("%s in at %s", s->name, now ());
          return ls_ccoro_await (co, 2, out, ls_sleep (1, ls_none ()));
        }
      break;
    case 2:
      if (!thrown)
        ls_test_print ("%s out at %s", s->name, now ());
      release_sem (s->prim);
      if (!thrown)
        return ls_ccoro_return (out, ls_str_new (s->name));
      break;
    default:
      g_assert_not_reached ();
    }
  /* except asyncio.CancelledError: */
  if (ls_exc_matches (in, &ls_exc_CancelledError))
    ls_test_print ("%s cancelled at %s locked: %s", s->name, now (),
                   py_bool (ls_semaphore_locked (s->prim)));
  return ls_ccoro_pass (in, thrown, out);
}

static LsCCoroAction
sem_cancel_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->prim = ls_semaphore_new (1, FALSE);
      return ls_ccoro_await (co, 1, out, ls_semaphore_acquire (s->prim));
    case 1:
      for (int i = 0; i < 3; i++)
        {
          char name[2] = { (char) ('B' + i), 0 };
          s->tasks[i] = spawn ("worker", sem_worker, name, s->prim, 0);
        }
      return ls_ccoro_await (co, 2, out, ls_sleep (1, ls_none ()));
    case 2:
      ls_task_cancel (ls_value_object (s->tasks[1]), ls_none ());
      return ls_ccoro_await (co, 3, out, ls_sleep (0, ls_none ()));
    case 3:
      release_sem (s->prim);
      ls_task_cancel (ls_value_object (s->tasks[0]), ls_none ());
      ls_test_print ("released at %s locked: %s", now (), py_bool (ls_semaphore_locked (s->prim)));
      return await_gather (co, 4, out, 3, s->tasks, TRUE);
    case 4:
      print_outcomes (in);
      ls_test_print ("locked: %s", py_bool (ls_semaphore_locked (s->prim)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_sem_cancel_woken (void)
{
  run_case ("sem_cancel_woken", sem_cancel_main);
}

/* ---- sem_no_barging.py ------------------------------------------------------------ */

static LsCCoroAction
nb_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      ls_test_print ("%s acquiring at %s locked: %s", s->name, now (),
                     py_bool (ls_semaphore_locked (s->prim)));
      return ls_ccoro_await (co, 1, out, ls_semaphore_acquire (s->prim));
    case 1:
      ls_test_print ("%s acquired at %s", s->name, now ());
      return ls_ccoro_await (co, 2, out, ls_sleep (1, ls_none ()));
    case 2:
      release_sem (s->prim);
      ls_test_print ("%s released at %s", s->name, now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static LsCCoroAction
no_barging_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->prim = ls_semaphore_new (0, FALSE);
      s->tasks[0] = spawn ("worker", nb_worker, "B", s->prim, 0);
      return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
    case 1:
      release_sem (s->prim);
      release_sem (s->prim);
      ls_test_print ("main acquiring, locked: %s", py_bool (ls_semaphore_locked (s->prim)));
      return ls_ccoro_await (co, 2, out, ls_semaphore_acquire (s->prim));
    case 2:
      ls_test_print ("main acquired at %s", now ());
      release_sem (s->prim);
      return ls_ccoro_await (co, 3, out, ls_value_ref (s->tasks[0]));
    case 3:
      ls_test_print ("locked: %s", py_bool (ls_semaphore_locked (s->prim)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_sem_no_barging (void)
{
  run_case ("sem_no_barging", no_barging_main);
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
      g_assert_true (thrown && ls_exc_matches (in, &ls_exc_TypeError));
      v = ls_condition_new (ls_none ());
      err = ls_condition_wait (v);
      ls_value_unref (v);
      return ls_ccoro_await (co, 2, out, err);
    case 2:
      g_assert_true (thrown && ls_exc_matches (in, &ls_exc_RuntimeError));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_locks_misuse (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", misuse_main, NULL, NULL)));
  ls_test_run_free (run);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/engine/locks/lock-contended", test_lock_contended);
  g_test_add_func ("/engine/locks/lock-cancel-waiter", test_lock_cancel_waiter);
  g_test_add_func ("/engine/locks/event-wait-set", test_event_wait_set);
  g_test_add_func ("/engine/locks/cond-notify", test_cond_notify);
  g_test_add_func ("/engine/locks/cond-wait-cancel", test_cond_wait_cancel);
  g_test_add_func ("/engine/locks/sem-crawler", test_sem_crawler);
  g_test_add_func ("/engine/locks/sem-bounded", test_sem_bounded);
  g_test_add_func ("/engine/locks/sem-cancel-woken", test_sem_cancel_woken);
  g_test_add_func ("/engine/locks/sem-no-barging", test_sem_no_barging);
  g_test_add_func ("/engine/locks/misuse", test_locks_misuse);
  return g_test_run ();
}
