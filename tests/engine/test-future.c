/* test-future.c - asyncio.Future against CPython: outcome, misuse, cancel
 * messages and done callbacks.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py.  CPython's
 * loop.create_future() is the C Future (_asyncio.Future), so its messages
 * ("Result is not set.", "invalid state") are the ones to match.
 */
#include "ls-test-harness.h"

/* ---- helpers ------------------------------------------------------------ */

static LsFuture *
FUT (LsValue v)
{
  return ls_future_from (v);
}

/* A builtin that does nothing, named after a Python builtin: callbacks that
 * are registered and removed but never run.  Equal iff same name. */
static gboolean
noop_builtin (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_none ();
  return TRUE;
}

static LsCallback
named_cb (const char *name)
{
  return ls_callback_value (ls_builtin_new (name, noop_builtin, ls_none (), (gpointer) name, NULL));
}

/* The main coroutines' futures f, g and h are t[0], t[1] and t[2] of their
 * LsTestLocals. */

/* ---- future_result_exception.py ------------------------------------------- */

static LsCCoroAction
result_exception_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue v, err;
  LsValue args[2];

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_future_new (loop);
      ls_test_print ("%s %s", ls_test_bool (ls_future_done (FUT (x->t[0]))),
                     ls_test_bool (ls_future_cancelled (FUT (x->t[0]))));
      g_assert_false (ls_future_result (FUT (x->t[0]), &v));
      ls_test_print ("pending: %s", ls_test_repr (v));
      ls_value_unref (v);
      g_assert_false (ls_future_exception (FUT (x->t[0]), &v));
      ls_test_print ("pending: %s", ls_test_repr (v));
      ls_value_unref (v);
      g_assert_true (ls_future_set_result (FUT (x->t[0]), ls_int (42), &err));
      {
        LsValue r, e;
        g_assert_true (ls_future_result (FUT (x->t[0]), &r));
        g_assert_true (ls_future_exception (FUT (x->t[0]), &e));
        ls_test_print ("%s %s %s", ls_test_bool (ls_future_done (FUT (x->t[0]))), ls_test_str (r),
                       ls_test_str (e));
        ls_value_unref (r);
        ls_value_unref (e);
      }
      x->t[1] = ls_future_new (loop);
      args[0] = ls_str_new ("bad");
      args[1] = ls_int (7);
      g_assert_true (ls_future_set_exception (FUT (x->t[1]), ls_exc_new (&ls_exc_ValueError, 2, args),
                                              &err));
      g_assert_true (ls_future_exception (FUT (x->t[1]), &v));
      ls_test_print ("%s", ls_test_repr (v));
      ls_value_unref (v);
      g_assert_false (ls_future_result (FUT (x->t[1]), &v));
      if (ls_exc_matches (v, &ls_exc_ValueError))
        ls_test_print ("raised %s %s", ls_test_repr (v), ls_test_exc_args (v));
      ls_value_unref (v);
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s", ls_test_str (in));
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->t[1]));
    case 2:
      if (!ls_test_caught (in, thrown, &ls_exc_ValueError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("await raised %s", ls_test_repr (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- future_set_twice.py ------------------------------------------------------ */

static LsCCoroAction
set_twice_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue err, v;
  gboolean c1, c2;

  x->t[0] = ls_future_new (loop);
  g_assert_true (ls_future_set_result (FUT (x->t[0]), ls_str_new ("first"), &err));
  g_assert_false (ls_future_set_result (FUT (x->t[0]), ls_str_new ("second"), &err));
  if (ls_exc_matches (err, &ls_exc_InvalidStateError))
    ls_test_print ("%s %s", ls_exc_type (err)->name, ls_test_str (err));
  ls_value_unref (err);
  v = ls_str_new ("k");
  g_assert_false (ls_future_set_exception (FUT (x->t[0]), ls_exc_new (&ls_exc_KeyError, 1, &v), &err));
  if (ls_exc_matches (err, &ls_exc_InvalidStateError))
    ls_test_print ("%s %s", ls_exc_type (err)->name, ls_test_str (err));
  ls_value_unref (err);
  g_assert_true (ls_future_result (FUT (x->t[0]), &v));
  ls_test_print ("%s", ls_test_str (v));
  ls_value_unref (v);

  x->t[1] = ls_future_new (loop);
  ls_test_print ("%s", ls_test_bool (ls_future_cancel (FUT (x->t[1]), ls_none ())));
  g_assert_false (ls_future_set_result (FUT (x->t[1]), ls_int (1), &err));
  if (ls_exc_matches (err, &ls_exc_InvalidStateError))
    ls_test_print ("cancelled: %s", ls_test_repr (err));
  ls_value_unref (err);
  c1 = ls_future_cancel (FUT (x->t[1]), ls_none ());
  c2 = ls_future_cancel (FUT (x->t[0]), ls_none ());
  ls_test_print ("%s %s", ls_test_bool (c1), ls_test_bool (c2));
  return ls_ccoro_return (out, ls_none ());
}

/* ---- future_cancel_msg.py ------------------------------------------------------ */

static LsCCoroAction
cancel_msg_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue v;
  gboolean a, b, c;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_future_new (loop);
      v = ls_str_new ("bye");
      a = ls_future_cancel (FUT (x->t[0]), v);
      ls_value_unref (v);
      b = ls_future_cancelled (FUT (x->t[0]));
      c = ls_future_done (FUT (x->t[0]));
      ls_test_print ("%s %s %s", ls_test_bool (a), ls_test_bool (b), ls_test_bool (c));
      g_assert_false (ls_future_result (FUT (x->t[0]), &v));
      if (ls_exc_matches (v, &ls_exc_CancelledError))
        ls_test_print ("result: %s %s", ls_test_repr (v), ls_test_exc_args (v));
      ls_value_unref (v);
      g_assert_false (ls_future_exception (FUT (x->t[0]), &v));
      if (ls_exc_matches (v, &ls_exc_CancelledError))
        ls_test_print ("exception: %s %s", ls_test_repr (v), ls_test_exc_args (v));
      ls_value_unref (v);
      x->t[1] = ls_future_new (loop);
      ls_future_cancel (FUT (x->t[1]), ls_none ());
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[1]));
    case 1:
      if (!ls_test_caught (in, thrown, &ls_exc_CancelledError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("await: %s %s", ls_test_repr (in), ls_test_exc_args (in));
      x->t[2] = ls_future_new (loop);
      v = ls_str_new ("late");
      ls_object_unref (ls_loop_call_later (loop, 1, ls_callback_value (ls_test_cancel_callable (x->t[2])),
                                           1, &v));
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->t[2]));
    case 2:
      if (!ls_test_caught (in, thrown, &ls_exc_CancelledError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("late: %s %s", ls_test_repr (in), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- future_callbacks_order.py ------------------------------------------------ */

/* A done callback printing `prefix` and the future's result, as a callable
 * named name: lambda fut: print(PREFIX, fut.result()) */
static gboolean
print_result_cb (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsValue r;
  if (!ls_future_result (ls_future_from (args[0]), &r))
    {
      *result = r;
      return FALSE;
    }
  ls_test_print ("%s %s", (const char *) data, ls_test_str (r));
  ls_value_unref (r);
  *result = ls_none ();
  return TRUE;
}

static LsCallback
print_result_callback (const char *name, const char *prefix)
{
  return ls_callback_value (ls_builtin_new (name, print_result_cb, ls_none (), (gpointer) prefix, NULL));
}

static LsCCoroAction
callbacks_order_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  static const char *const prefixes[] = { "cb A", "cb B", "cb C" };   /* make_cb(tag) */
  LsValue err;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_future_new (loop);
      for (guint i = 0; i < 3; i++)
        ls_future_add_done_callback (FUT (x->t[0]), print_result_callback ("cb", prefixes[i]));
      ls_test_call_soon_print (loop, "soon before");
      g_assert_true (ls_future_set_result (FUT (x->t[0]), ls_int (5), &err));
      ls_test_call_soon_print (loop, "soon after");
      ls_test_print ("set_result returned");
      return ls_test_await_sleep (co, 1, out, 0);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("main resumed");
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- future_callback_on_done.py ----------------------------------------------- */

static LsCCoroAction
callback_on_done_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue err;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_future_new (loop);
      g_assert_true (ls_future_set_result (FUT (x->t[0]), ls_str_new ("ok"), &err));
      ls_test_call_soon_print (loop, "queued first");
      ls_future_add_done_callback (FUT (x->t[0]), print_result_callback ("<lambda>", "callback"));
      ls_test_print ("added");
      return ls_test_await_sleep (co, 1, out, 0);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("after sleep(0)");
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- future_remove_callback.py ------------------------------------------------- */

static guint
remove_cb (LsFuture *fut, LsCallback cb)
{
  guint n = ls_future_remove_done_callback (fut, &cb);
  ls_value_unref (cb.target);
  return n;
}

static LsCCoroAction
remove_callback_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue err;
  LsFuture *f;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_future_new (loop);
      f = FUT (x->t[0]);
      ls_future_add_done_callback (f, ls_callback_value (ls_test_print_callable ()));
      ls_future_add_done_callback (f, named_cb ("repr"));
      ls_future_add_done_callback (f, ls_callback_value (ls_test_print_callable ()));
      ls_future_add_done_callback (f, named_cb ("len"));
      ls_test_print ("%s", ls_test_repr (x->t[0]));
      ls_test_print ("%u", remove_cb (f, ls_callback_value (ls_test_print_callable ())));
      ls_test_print ("%u", remove_cb (f, ls_callback_value (ls_test_print_callable ())));
      ls_test_print ("%u", remove_cb (f, named_cb ("repr")));
      ls_test_print ("%s", ls_test_repr (x->t[0]));
      ls_future_add_done_callback (f, print_result_callback ("<lambda>", "left"));
      ls_test_print ("%u", remove_cb (f, named_cb ("len")));
      g_assert_true (ls_future_set_result (f, ls_int (3), &err));
      return ls_test_await_sleep (co, 1, out, 0);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%u", remove_cb (FUT (x->t[0]), ls_callback_value (ls_test_print_callable ())));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- future_repr.py ---------------------------------------------------------------- */

static LsCCoroAction
repr_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue err, list, v;
  LsFuture *f;

  x->t[0] = ls_future_new (loop);
  f = FUT (x->t[0]);
  ls_test_print ("%s", ls_test_repr (x->t[0]));
  ls_future_add_done_callback (f, ls_callback_value (ls_test_print_callable ()));
  ls_test_print ("%s", ls_test_repr (x->t[0]));
  ls_future_add_done_callback (f, named_cb ("repr"));
  ls_future_add_done_callback (f, named_cb ("len"));
  ls_future_add_done_callback (f, named_cb ("str"));
  ls_test_print ("%s", ls_test_repr (x->t[0]));
  remove_cb (f, ls_callback_value (ls_test_print_callable ()));
  remove_cb (f, named_cb ("repr"));
  remove_cb (f, named_cb ("len"));
  remove_cb (f, named_cb ("str"));
  list = ls_list_new ();
  ls_list_append (list, ls_int (1));
  ls_list_append (list, ls_str_new ("two"));
  ls_list_append (list, ls_none ());
  g_assert_true (ls_future_set_result (f, list, &err));
  ls_test_print ("%s", ls_test_repr (x->t[0]));

  x->t[1] = ls_future_new (loop);
  g_assert_true (ls_future_set_exception (FUT (x->t[1]), ls_exc_newf (&ls_exc_RuntimeError, "boom"), &err));
  ls_test_print ("%s", ls_test_repr (x->t[1]));
  ls_future_exception (FUT (x->t[1]), &v);
  ls_value_unref (v);

  x->t[2] = ls_future_new (loop);
  ls_future_cancel (FUT (x->t[2]), ls_none ());
  ls_test_print ("%s", ls_test_repr (x->t[2]));
  return ls_ccoro_return (out, ls_none ());
}

/* ---- not compared with CPython ---------------------------------------------------------- */

/* An exception set and never retrieved is reported when the future goes
 * away (Future.__del__); retrieving it, or cancelling, silences that. */
static void
test_never_retrieved (void)
{
  LsLoop *loop = ls_loop_new ();
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);
  LsValue f, g, err, v;

  ls_loop_set_observer (loop, ls_test_collect_warnings, warnings);
  f = ls_future_new (loop);
  g = ls_future_new (loop);
  g_assert_true (ls_future_set_exception (FUT (f), ls_exc_newf (&ls_exc_ValueError, "lost"), &err));
  g_assert_true (ls_future_set_exception (FUT (g), ls_exc_newf (&ls_exc_ValueError, "seen"), &err));
  g_assert_true (ls_future_exception (FUT (g), &v));
  ls_value_unref (v);
  ls_value_unref (f);
  ls_value_unref (g);
  ls_test_assert_one_warning (warnings, "Future exception was never retrieved: ValueError('lost')");
  ls_loop_close (loop);
  ls_loop_unref (loop);
  g_ptr_array_free (warnings, TRUE);
}

/* set_exception() refuses what is not an exception, and StopIteration. */
static void
test_set_exception_checks (void)
{
  LsLoop *loop = ls_loop_new ();
  LsValue f = ls_future_new (loop), err;
  char *s;

  g_assert_false (ls_future_set_exception (FUT (f), ls_int (3), &err));
  s = ls_exc_format (err);
  g_assert_cmpstr (s, ==, "TypeError: invalid exception object");
  g_free (s);
  ls_value_unref (err);
  g_assert_false (ls_future_set_exception (FUT (f), ls_exc_new (&ls_exc_StopIteration, 0, NULL), &err));
  g_assert_true (ls_exc_matches (err, &ls_exc_TypeError));
  ls_value_unref (err);
  g_assert_false (ls_future_done (FUT (f)));
  /* An exception class is instantiated, as CPython does. */
  g_assert_true (ls_future_set_exception (FUT (f), ls_object (&ls_exc_ValueError), &err));
  g_assert_true (ls_future_exception (FUT (f), &err));
  s = ls_value_repr (err);
  g_assert_cmpstr (s, ==, "ValueError()");
  g_free (s);
  ls_value_unref (err);
  ls_value_unref (f);
  ls_loop_close (loop);
  ls_loop_unref (loop);
}

static const LsTest tests[] = {
  LS_TEST_CASE ("/engine/future/result-exception", "future_result_exception", result_exception_main),
  LS_TEST_CASE ("/engine/future/set-twice", "future_set_twice", set_twice_main),
  LS_TEST_CASE ("/engine/future/cancel-msg", "future_cancel_msg", cancel_msg_main),
  LS_TEST_CASE ("/engine/future/callbacks-order", "future_callbacks_order", callbacks_order_main),
  LS_TEST_CASE ("/engine/future/callback-on-done", "future_callback_on_done", callback_on_done_main),
  LS_TEST_CASE ("/engine/future/remove-callback", "future_remove_callback", remove_callback_main),
  LS_TEST_CASE ("/engine/future/repr", "future_repr", repr_main),
  LS_TEST_FUNC ("/engine/future/never-retrieved", test_never_retrieved),
  LS_TEST_FUNC ("/engine/future/set-exception-checks", test_set_exception_checks),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
