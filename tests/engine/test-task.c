/* test-task.c - asyncio.Task against CPython: cancellation in all its
 * forms, names, current_task/all_tasks, failures and misuse.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py: the same awaits in
 * the same order, so that the printed lines and the task steps match what
 * CPython 3.12 did.
 */
#include "ls-test-harness.h"

#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

/* The main coroutines keep their tasks in t[] of their LsTestLocals, and a
 * counter in i. */

static LsTask *
TASK (LsValue v)
{
  return (LsTask *) ls_value_object (v);
}

/* sorted(t.get_name() for t in asyncio.all_tasks()) */
static const char *
sorted_task_names (LsLoop *loop)
{
  LsValue all = ls_loop_all_tasks (loop);
  const char *names = ls_test_task_names (all);

  ls_value_unref (all);
  return names;
}

/* ---- task_cancel_awaiting_task.py --------------------------------------------- */

static LsCCoroAction
cat_inner (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  switch (co->pc)
    {
    case 0:
      return ls_test_await_sleep (co, 1, out, 10);
    case 1:
      if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
        {
          ls_test_print ("inner cancelled %s", ls_test_exc_args (in));
          return ls_ccoro_pass (in, thrown, out);
        }
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_str_new ("inner done"));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
cat_outer (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *l = co->data;     /* value: the task to await */

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_value_ref (l->value));
    case 1:
      if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
        ls_test_print ("outer cancelled %s", ls_test_exc_args (in));
      return ls_ccoro_pass (in, thrown, out);
    }
  g_assert_not_reached ();
}

static LsCCoroAction
cat_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  gboolean r;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("inner", cat_inner, NULL, NULL), NULL);
      x->t[1] = ls_task_new (loop, LS_TEST_CORO ("outer", cat_outer, .value = ls_value_ref (x->t[0])),
                             NULL);
      return ls_test_await_sleep (co, 1, out, 1);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      r = ls_test_cancel (x->t[1], "stop");
      ls_test_print ("cancel: %s", ls_test_bool (r));
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->t[1]));
    case 2:
      if (!ls_test_caught (in, thrown, &ls_exc_CancelledError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("main saw %s", ls_test_repr (in));
      ls_test_print ("%s %s %s", ls_test_bool (ls_future_cancelled (ls_future_from (x->t[1]))),
                     ls_test_bool (ls_future_cancelled (ls_future_from (x->t[0]))),
                     ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- task_swallow_cancel.py ------------------------------------------------------ */

static LsCCoroAction
stubborn (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  switch (co->pc)
    {
    case 0:
      return ls_test_await_sleep (co, 1, out, 5);
    case 1:
      if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
        ls_test_print ("swallowed");
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_test_await_sleep (co, 2, out, 1);
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_str_new ("survived"));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
swallow_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsTask *t;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("stubborn", stubborn, NULL, NULL), NULL);
      return ls_test_await_sleep (co, 1, out, 1);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      t = TASK (x->t[0]);
      ls_task_cancel (t, ls_none ());
      ls_test_print ("cancelling: %u", ls_task_cancelling (t));
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->t[0]));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      t = TASK (x->t[0]);
      ls_test_print ("%s %s %u %s", ls_test_str (in),
                     ls_test_bool (ls_future_cancelled (ls_future_from (x->t[0]))), ls_task_cancelling (t),
                     ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- task_cancel_msg.py ------------------------------------------------------------ */

static LsCCoroAction
msg_sleeper (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, 3);
  if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
    ls_test_print ("inside: %s %s", ls_test_repr (in), ls_test_exc_args (in));
  return ls_ccoro_pass (in, thrown, out);
}

static LsCCoroAction
cancel_msg_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue v;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("sleeper", msg_sleeper, NULL, NULL), NULL);
      return ls_test_await_sleep (co, 1, out, 0);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_cancel (x->t[0], "first message");
      ls_test_cancel (x->t[0], "second message");
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->t[0]));
    case 2:
      if (!ls_test_caught (in, thrown, &ls_exc_CancelledError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("awaiter: %s", ls_test_repr (in));
      g_assert_false (ls_future_result (ls_future_from (x->t[0]), &v));
      if (ls_exc_matches (v, &ls_exc_CancelledError))
        ls_test_print ("result: %s", ls_test_repr (v));
      ls_value_unref (v);
      g_assert_false (ls_future_exception (ls_future_from (x->t[0]), &v));
      if (ls_exc_matches (v, &ls_exc_CancelledError))
        ls_test_print ("exception: %s", ls_test_repr (v));
      ls_value_unref (v);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- task_cancelling_uncancel.py ----------------------------------------------------- */

static LsCCoroAction
catcher (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *l = co->data;     /* i: the loop's counter */

  if (co->pc == 1)
    {
      if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
        {
          LsTask *t = ls_loop_current_task (ls_loop_get_running ());
          guint before = ls_task_cancelling (t);
          ls_test_print ("caught %d cancelling %u uncancel -> %u", (int) l->i, before, ls_task_uncancel (t));
        }
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      l->i++;
    }
  if (l->i < 3)
    return ls_test_await_sleep (co, 1, out, 1);
  return ls_ccoro_return (out, ls_str_new ("end"));
}

static LsCCoroAction
cancelling_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsTask *t = ls_is_object (x->t[0]) ? TASK (x->t[0]) : NULL;
  gboolean a, b;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_test_coro ("catcher", catcher, NULL), NULL);
      return ls_test_await_sleep (co, 1, out, 0);
    case 1:
      a = ls_task_cancel (t, ls_none ());
      b = ls_task_cancel (t, ls_none ());
      ls_test_print ("%s %s %u", ls_test_bool (a), ls_test_bool (b), ls_task_cancelling (t));
      return ls_test_await_sleep (co, 2, out, 0.5);
    case 2:
      ls_test_print ("cancelling now %u", ls_task_cancelling (t));
      ls_task_cancel (t, ls_none ());
      ls_test_print ("cancelling now %u", ls_task_cancelling (t));
      return ls_ccoro_await (co, 3, out, ls_value_ref (x->t[0]));
    case 3:
      {
        guint c = ls_task_cancelling (t), u1 = ls_task_uncancel (t), u2 = ls_task_uncancel (t);
        ls_test_print ("%s %u %u %u", ls_test_str (in), c, u1, u2);
      }
      a = ls_task_cancel (t, ls_none ());
      ls_test_print ("%s %u", ls_test_bool (a), ls_task_cancelling (t));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- task_cancel_before_start.py ------------------------------------------------------ */

/* async def body(): print("body ran"); return 1 -- no try: a CancelledError
 * thrown in before the first step must not run it at all. */
static LsCCoroAction
body (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  ls_test_print ("body ran");
  return ls_ccoro_return (out, ls_int (1));
}

static LsCCoroAction
before_start_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  gboolean a, b;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("body", body, NULL, NULL), NULL);
      x->t[1] = ls_task_new (loop, ls_sleep (5, ls_str_new ("slept")), NULL);
      a = ls_test_cancel (x->t[0], "early");
      b = ls_task_cancel (TASK (x->t[1]), ls_none ());
      ls_test_print ("%s %s", ls_test_bool (a), ls_test_bool (b));
      x->i = 0;
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[0]));
    case 1:
      if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
        ls_test_print ("%s cancelled %s", ls_test_task_name (x->t[x->i]), ls_test_repr (in));
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      else
        ls_test_print ("%s", ls_test_str (in));
      if (++x->i < 2)
        return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[x->i]));
      ls_test_print ("%s", ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- task_current_all.py ------------------------------------------------------------------ */

static LsCCoroAction
ca_child (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *l = co->data;     /* n: the child's number */
  LsLoop *loop = ls_loop_get_running ();
  char *name;

  switch (co->pc)
    {
    case 0:
      name = ls_task_get_name (ls_loop_current_task (loop));
      ls_test_print ("child %" G_GINT64_FORMAT " %s", l->n, name);
      g_free (name);
      return ls_test_await_sleep (co, 1, out, (double) l->n);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("child %" G_GINT64_FORMAT " sees %s", l->n, sorted_task_names (loop));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static LsCCoroAction
ca_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_value_ref (ls_object (ls_loop_current_task (loop)));
      ls_test_print ("main is %s", ls_test_task_name (x->t[0]));
      x->t[1] = ls_task_new (loop, LS_TEST_CORO ("child", ca_child, .n = 1), NULL);
      x->t[2] = ls_task_new (loop, LS_TEST_CORO ("child", ca_child, .n = 2), NULL);
      ls_test_print ("%s", sorted_task_names (loop));
      return ls_test_await_gather (co, 1, out, 2, &x->t[1], FALSE);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s %s", sorted_task_names (loop),
                     ls_test_bool (ls_loop_current_task (loop) == TASK (x->t[0])));
      /* Drop the reference to ourselves now: a task holding its own
       * coroutine's locals must not hold itself. */
      ls_value_set (&x->t[0], ls_none ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- task_names.py --------------------------------------------------------------------- */

static LsCCoroAction
noop (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, 0);
  return ls_ccoro_pass (in, thrown, out);
}

static LsCCoroAction
names_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("noop", noop, NULL, NULL), NULL);
      x->t[1] = ls_task_new (loop, ls_ccoro_new ("noop", noop, NULL, NULL), "worker");
      x->t[2] = ls_task_new (loop, ls_ccoro_new ("noop", noop, NULL, NULL), NULL);
      ls_test_print ("%s %s %s", ls_test_task_name (x->t[0]), ls_test_task_name (x->t[1]),
                     ls_test_task_name (x->t[2]));
      ls_task_set_name (TASK (x->t[2]), "renamed");
      ls_test_print ("%s", ls_test_task_name (x->t[2]));
      return ls_test_await_gather (co, 1, out, 3, x->t, FALSE);
    case 1:
      for (int i = 0; i < 3; i++)
        ls_value_set (&x->t[i], ls_none ());
      x->t[0] = ls_test_create_task (ls_ccoro_new ("noop", noop, NULL, NULL), "named");
      x->t[1] = ls_test_create_task (ls_ccoro_new ("noop", noop, NULL, NULL), NULL);
      ls_test_print ("%s %s", ls_test_task_name (x->t[0]), ls_test_task_name (x->t[1]));
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->t[0]));
    case 2:
      return ls_ccoro_await (co, 3, out, ls_value_ref (x->t[1]));
    case 3:
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- task_await_raised.py ------------------------------------------------------------- */

static LsCCoroAction
failing_later (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue args[2];

  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, 1);
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  args[0] = ls_str_new ("failed");
  args[1] = ls_int (3);
  return ls_ccoro_raise (out, ls_exc_new (&ls_exc_ValueError, 2, args));
}

static LsCCoroAction
await_raised_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsFuture *t;
  LsValue v;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("failing", failing_later, NULL, NULL), NULL);
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[0]));
    case 1:
      if (!ls_test_caught (in, thrown, &ls_exc_ValueError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("caught %s %s", ls_test_repr (in), ls_test_exc_args (in));
      t = ls_future_from (x->t[0]);
      g_assert_true (ls_future_exception (t, &v));
      ls_test_print ("%s %s %s", ls_test_bool (ls_future_done (t)), ls_test_bool (ls_future_cancelled (t)),
                     ls_test_repr (v));
      ls_value_unref (v);
      g_assert_false (ls_future_result (t, &v));
      if (ls_exc_matches (v, &ls_exc_ValueError))
        ls_test_print ("result raised %s", ls_test_repr (v));
      ls_value_unref (v);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- task_never_retrieved.py ------------------------------------------------------------ */

static LsCCoroAction
failing_now (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue k = ls_str_new ("lost");
  return ls_ccoro_raise (out, ls_exc_new (&ls_exc_KeyError, 1, &k));
}

static LsCCoroAction
never_retrieved_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();

  switch (co->pc)
    {
    case 0:
      ls_value_unref (ls_task_new (loop, ls_ccoro_new ("failing", failing_now, NULL, NULL), NULL));
      return ls_test_await_sleep (co, 1, out, 1);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("main done");
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* CPython logs "Task exception was never retrieved" (with a traceback) on
 * stderr when the garbage collector gets to the task, typically at exit.
 * The engine frees the task as soon as nothing refers to it and reports it
 * then as a WARNING event; nothing goes to stderr. */
static void
test_never_retrieved (void)
{
  LsTestRun *run = ls_test_run_main (ls_ccoro_new ("main", never_retrieved_main, NULL, NULL));
  gboolean warned = FALSE;

  ls_test_check_case (run, "task_never_retrieved");
  for (guint i = 0; i < run->events->len; i++)
    if (g_array_index (run->events, LsEventKind, i) == LS_EVENT_WARNING)
      warned = TRUE;
  g_assert_true (warned);
  g_assert_cmpstr (run->err->str, ==, "");
  ls_test_run_free (run);
}

static void
discard_output (LsLoop *loop, gboolean is_stderr, const char *text, gpointer user_data)
{
}

/* The WARNING's text names the task and the exception. */
static void
test_never_retrieved_message (void)
{
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);
  LsLoop *loop;
  LsValue result;

  ls_task_reset_name_counter ();
  loop = ls_loop_new ();
  ls_loop_set_observer (loop, ls_test_collect_warnings, warnings);
  ls_loop_set_output (loop, discard_output, NULL);
  g_assert_true (ls_asyncio_run (loop, ls_ccoro_new ("main", never_retrieved_main, NULL, NULL), &result));
  ls_value_unref (result);
  ls_loop_close (loop);
  ls_loop_unref (loop);
  ls_test_assert_one_warning (warnings, "Task exception was never retrieved: KeyError('lost')");
  g_ptr_array_free (warnings, TRUE);
}

/* ---- task_bare_yield.py ------------------------------------------------------------------- */

static LsCCoroAction
bare_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *l = co->data;     /* name */
  int i = co->pc;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (i < 3)
    {
      ls_test_print ("%s %d", l->name, i);
      co->pc = i + 1;
      *out = ls_none ();
      return LS_CCORO_YIELD;    /* await bare(): a bare yield */
    }
  return ls_ccoro_return (out, ls_str_new (l->name));
}

static LsCCoroAction
bare_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue aws[2];

  switch (co->pc)
    {
    case 0:
      aws[0] = LS_TEST_CORO ("worker", bare_worker, .name = "A");
      aws[1] = LS_TEST_CORO ("worker", bare_worker, .name = "B");
      return ls_test_await_gather_take (co, 1, out, 2, aws, FALSE);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s", ls_test_repr (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- task_set_result.py ----------------------------------------------------------------- */

static LsCCoroAction
set_result_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsFuture *t;
  LsValue err;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_sleep (1, ls_str_new ("r")), NULL);
      t = ls_future_from (x->t[0]);
      g_assert_false (ls_future_set_result (t, ls_int (1), &err));
      if (ls_exc_matches (err, &ls_exc_RuntimeError))
        ls_test_print ("%s", ls_test_repr (err));
      ls_value_unref (err);
      g_assert_false (ls_future_set_exception (t, ls_exc_new (&ls_exc_ValueError, 0, NULL), &err));
      if (ls_exc_matches (err, &ls_exc_RuntimeError))
        ls_test_print ("%s", ls_test_repr (err));
      ls_value_unref (err);
      g_assert_false (ls_future_result (t, &err));
      if (ls_exc_matches (err, &ls_exc_InvalidStateError))
        ls_test_print ("pending: %s", ls_exc_type (err)->name);
      ls_value_unref (err);
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s", ls_test_str (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- task_other_loop.py ----------------------------------------------------------------- */

typedef struct {
  LsLoop *other;
  LsValue fut;
} OtherLoop;

static void
other_loop_free (gpointer p)
{
  OtherLoop *o = p;
  ls_value_unref (o->fut);
  if (o->other)
    {
      ls_loop_close (o->other);
      ls_loop_unref (o->other);
    }
  g_free (o);
}

static LsCCoroAction
other_loop_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  OtherLoop *o = co->data;
  char *msg;

  switch (co->pc)
    {
    case 0:
      o->other = ls_loop_new ();
      o->fut = ls_future_new (o->other);
      return ls_ccoro_await (co, 1, out, ls_value_ref (o->fut));
    case 1:
      if (!ls_test_caught (in, thrown, &ls_exc_RuntimeError))
        return ls_ccoro_pass (in, thrown, out);
      msg = ls_exc_str (in);
      ls_test_print ("RuntimeError %s",
                     ls_test_bool (strstr (msg, "attached to a different loop") != NULL));
      g_free (msg);
      ls_loop_close (o->other);
      ls_test_print ("still running");
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_other_loop (void)
{
  ls_test_run_case ("task_other_loop", ls_ccoro_new ("main", other_loop_main, g_new0 (OtherLoop, 1),
                                                     other_loop_free));
}

/* ---- task_await_self.py ------------------------------------------------------------------ */

static LsCCoroAction
selfish (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  char *msg;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out,
                             ls_value_ref (ls_object (ls_loop_current_task (ls_loop_get_running ()))));
    case 1:
      if (!ls_test_caught (in, thrown, &ls_exc_RuntimeError))
        return ls_ccoro_pass (in, thrown, out);
      msg = ls_exc_str (in);
      ls_test_print ("RuntimeError %s",
                     ls_test_bool (g_str_has_prefix (msg, "Task cannot await on itself")));
      g_free (msg);
      return ls_ccoro_return (out, ls_str_new ("ok"));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
await_self_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_task_new (ls_loop_get_running (),
                                                   ls_ccoro_new ("selfish", selfish, NULL, NULL), NULL));
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  ls_test_print ("%s", ls_test_str (in));
  return ls_ccoro_return (out, ls_none ());
}

/* ---- task_cancel_self.py ------------------------------------------------------------------ */

static void
cancel_current (const char *msg)
{
  ls_test_cancel (ls_object (ls_loop_current_task (ls_loop_get_running ())), msg);
}

static LsCCoroAction
cancel_then_return (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  cancel_current ("self");
  return ls_ccoro_return (out, ls_int (5));
}

static LsCCoroAction
cancel_then_await (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *l = co->data;     /* value: the future */

  if (co->pc == 0)
    {
      l->value = ls_future_new (ls_loop_get_running ());
      cancel_current ("again");
      return ls_ccoro_await (co, 1, out, ls_value_ref (l->value));
    }
  if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
    ls_test_print ("await cancelled %s %s", ls_test_exc_args (in),
                   ls_test_bool (ls_future_cancelled (ls_future_from (l->value))));
  return ls_ccoro_pass (in, thrown, out);
}

static LsCCoroAction
cancel_self_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsTask *t;

  if (co->pc == 1)
    {
      t = TASK (x->t[x->i]);
      if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
        ls_test_print ("%s cancelled %s %u", ls_test_task_name (x->t[x->i]), ls_test_repr (in),
                       ls_task_cancelling (t));
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      else
        ls_test_print ("%s", ls_test_str (in));
      x->i++;
    }
  if (x->i == 0)
    {
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("cancel_then_return", cancel_then_return, NULL, NULL),
                             NULL);
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[0]));
    }
  if (x->i == 1)
    {
      x->t[1] = ls_task_new (loop, ls_test_coro ("cancel_then_await", cancel_then_await, NULL), NULL);
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[1]));
    }
  return ls_ccoro_return (out, ls_none ());
}

/* ---- not compared with CPython --------------------------------------------------------- */

/* result() of a pending task: CPython's C Task says "Result is not set."
 * (the oracle's pure-Python tasks say "Result is not ready."). */
static void
test_pending_result_message (void)
{
  LsLoop *loop;
  LsValue t, err;
  char *s;

  ls_task_reset_name_counter ();
  loop = ls_loop_new ();
  t = ls_task_new (loop, ls_sleep (1, ls_none ()), NULL);
  g_assert_false (ls_future_result (ls_future_from (t), &err));
  s = ls_exc_format (err);
  g_assert_cmpstr (s, ==, "asyncio.exceptions.InvalidStateError: Result is not set.");
  g_free (s);
  ls_value_unref (err);
  s = ls_value_repr (t);
  g_assert_cmpstr (s, ==, "<Task pending name='Task-1' coro=<sleep()>>");
  g_free (s);
  ls_value_unref (t);
  ls_loop_close (loop);
  ls_loop_unref (loop);
}

static const LsTest tests[] = {
  LS_TEST_CASE ("/engine/task/cancel-awaiting-task", "task_cancel_awaiting_task", cat_main),
  LS_TEST_CASE ("/engine/task/swallow-cancel", "task_swallow_cancel", swallow_main),
  LS_TEST_CASE ("/engine/task/cancel-msg", "task_cancel_msg", cancel_msg_main),
  LS_TEST_CASE ("/engine/task/cancelling-uncancel", "task_cancelling_uncancel", cancelling_main),
  LS_TEST_CASE ("/engine/task/cancel-self", "task_cancel_self", cancel_self_main),
  LS_TEST_CASE ("/engine/task/cancel-before-start", "task_cancel_before_start", before_start_main),
  LS_TEST_CASE ("/engine/task/current-all", "task_current_all", ca_main),
  LS_TEST_CASE ("/engine/task/names", "task_names", names_main),
  LS_TEST_CASE ("/engine/task/await-raised", "task_await_raised", await_raised_main),
  LS_TEST_FUNC ("/engine/task/never-retrieved", test_never_retrieved),
  LS_TEST_FUNC ("/engine/task/never-retrieved-message", test_never_retrieved_message),
  LS_TEST_CASE ("/engine/task/bare-yield", "task_bare_yield", bare_main),
  LS_TEST_CASE ("/engine/task/set-result", "task_set_result", set_result_main),
  LS_TEST_FUNC ("/engine/task/other-loop", test_other_loop),
  LS_TEST_CASE ("/engine/task/await-self", "task_await_self", await_self_main),
  LS_TEST_FUNC ("/engine/task/pending-result-message", test_pending_result_message),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
