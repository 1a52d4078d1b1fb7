/* test-future.c - asyncio.Future against CPython: outcome, misuse, cancel
 * messages and done callbacks.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py.  CPython's
 * loop.create_future() is the C Future (_asyncio.Future), so its messages
 * ("Result is not set.", "invalid state") are the ones to match.
 */
#include "ls-test-harness.h"

#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

/* repr()/str() of a borrowed value, valid for the next few calls: keeps the
 * print statements of the twins as short as the Python ones. */
static const char *
scratch (char *s)
{
  static char *ring[16];
  static guint next;
  g_free (ring[next]);
  ring[next] = s;
  next = (next + 1) % G_N_ELEMENTS (ring);
  return s;
}

static const char *
R (LsValue v)
{
  return scratch (ls_value_repr (v));
}

static const char *
S (LsValue v)
{
  return scratch (ls_value_str (v));
}

static const char *
B (gboolean b)
{
  return b ? "True" : "False";
}

/* e.args of an exception */
static const char *
ARGS (LsValue exc)
{
  return R (((LsException *) ls_value_object (exc))->args);
}

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

static void
run_case (const char *name, LsCCoroFn fn, gpointer data, GDestroyNotify data_free)
{
  LsTestRun *run = ls_test_run_new ();
  gboolean ok = ls_test_asyncio_run (run, ls_ccoro_new ("main", fn, data, data_free));
  if (!ok)
    g_test_message ("stderr: %s", run->err->str);
  g_assert_true (ok);
  ls_test_check_case (run, name);
  ls_test_run_free (run);
}

/* Locals of the main coroutines: a few futures. */
typedef struct {
  LsValue f, g, h;
} Futs;

static void
futs_free (gpointer p)
{
  Futs *x = p;
  ls_value_unref (x->f);
  ls_value_unref (x->g);
  ls_value_unref (x->h);
  g_free (x);
}

/* ---- future_result_exception.py ------------------------------------------- */

static LsCCoroAction
result_exception_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Futs *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue v, err;
  LsValue args[2];

  switch (co->pc)
    {
    case 0:
      x->f = ls_future_new (loop);
      ls_test_print ("%s %s", B (ls_future_done (FUT (x->f))), B (ls_future_cancelled (FUT (x->f))));
      g_assert_false (ls_future_result (FUT (x->f), &v));
      ls_test_print ("pending: %s", R (v));
      ls_value_unref (v);
      g_assert_false (ls_future_exception (FUT (x->f), &v));
      ls_test_print ("pending: %s", R (v));
      ls_value_unref (v);
      g_assert_true (ls_future_set_result (FUT (x->f), ls_int (42), &err));
      {
        LsValue r, e;
        g_assert_true (ls_future_result (FUT (x->f), &r));
        g_assert_true (ls_future_exception (FUT (x->f), &e));
        ls_test_print ("%s %s %s", B (ls_future_done (FUT (x->f))), S (r), S (e));
        ls_value_unref (r);
        ls_value_unref (e);
      }
      x->g = ls_future_new (loop);
      args[0] = ls_str_new ("bad");
      args[1] = ls_int (7);
      g_assert_true (ls_future_set_exception (FUT (x->g), ls_exc_new (&ls_exc_ValueError, 2, args), &err));
      g_assert_true (ls_future_exception (FUT (x->g), &v));
      ls_test_print ("%s", R (v));
      ls_value_unref (v);
      g_assert_false (ls_future_result (FUT (x->g), &v));
      if (ls_exc_matches (v, &ls_exc_ValueError))
        ls_test_print ("raised %s %s", R (v), ARGS (v));
      ls_value_unref (v);
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->f));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s", S (in));
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->g));
    case 2:
      if (!thrown || !ls_exc_matches (in, &ls_exc_ValueError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("await raised %s", R (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_result_exception (void)
{
  run_case ("future_result_exception", result_exception_main, g_new0 (Futs, 1), futs_free);
}

/* ---- future_set_twice.py ------------------------------------------------------ */

static LsCCoroAction
set_twice_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Futs *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue err, v;
  gboolean c1, c2;

  x->f = ls_future_new (loop);
  g_assert_true (ls_future_set_result (FUT (x->f), ls_str_new ("first"), &err));
  g_assert_false (ls_future_set_result (FUT (x->f), ls_str_new ("second"), &err));
  if (ls_exc_matches (err, &ls_exc_InvalidStateError))
    ls_test_print ("%s %s", ls_exc_type (err)->name, S (err));
  ls_value_unref (err);
  v = ls_str_new ("k");
  g_assert_false (ls_future_set_exception (FUT (x->f), ls_exc_new (&ls_exc_KeyError, 1, &v), &err));
  if (ls_exc_matches (err, &ls_exc_InvalidStateError))
    ls_test_print ("%s %s", ls_exc_type (err)->name, S (err));
  ls_value_unref (err);
  g_assert_true (ls_future_result (FUT (x->f), &v));
  ls_test_print ("%s", S (v));
  ls_value_unref (v);

  x->g = ls_future_new (loop);
  ls_test_print ("%s", B (ls_future_cancel (FUT (x->g), ls_none ())));
  g_assert_false (ls_future_set_result (FUT (x->g), ls_int (1), &err));
  if (ls_exc_matches (err, &ls_exc_InvalidStateError))
    ls_test_print ("cancelled: %s", R (err));
  ls_value_unref (err);
  c1 = ls_future_cancel (FUT (x->g), ls_none ());
  c2 = ls_future_cancel (FUT (x->f), ls_none ());
  ls_test_print ("%s %s", B (c1), B (c2));
  return ls_ccoro_return (out, ls_none ());
}

static void
test_set_twice (void)
{
  run_case ("future_set_twice", set_twice_main, g_new0 (Futs, 1), futs_free);
}

/* ---- future_cancel_msg.py ------------------------------------------------------ */

/* h.cancel bound to h, as a callable for call_later */
static gboolean
future_cancel_builtin (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_bool (ls_future_cancel (ls_future_from (self), nargs ? args[0] : ls_none ()));
  return TRUE;
}

static LsCCoroAction
cancel_msg_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Futs *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue v;
  gboolean a, b, c;

  switch (co->pc)
    {
    case 0:
      x->f = ls_future_new (loop);
      v = ls_str_new ("bye");
      a = ls_future_cancel (FUT (x->f), v);
      ls_value_unref (v);
      b = ls_future_cancelled (FUT (x->f));
      c = ls_future_done (FUT (x->f));
      ls_test_print ("%s %s %s", B (a), B (b), B (c));
      g_assert_false (ls_future_result (FUT (x->f), &v));
      if (ls_exc_matches (v, &ls_exc_CancelledError))
        ls_test_print ("result: %s %s", R (v), ARGS (v));
      ls_value_unref (v);
      g_assert_false (ls_future_exception (FUT (x->f), &v));
      if (ls_exc_matches (v, &ls_exc_CancelledError))
        ls_test_print ("exception: %s %s", R (v), ARGS (v));
      ls_value_unref (v);
      x->g = ls_future_new (loop);
      ls_future_cancel (FUT (x->g), ls_none ());
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->g));
    case 1:
      if (!thrown || !ls_exc_matches (in, &ls_exc_CancelledError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("await: %s %s", R (in), ARGS (in));
      x->h = ls_future_new (loop);
      v = ls_str_new ("late");
      ls_object_unref (ls_loop_call_later (loop, 1,
                                           ls_callback_value (ls_builtin_new ("cancel", future_cancel_builtin,
                                                                              ls_value_ref (x->h), NULL, NULL)),
                                           1, &v));
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->h));
    case 2:
      if (!thrown || !ls_exc_matches (in, &ls_exc_CancelledError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("late: %s %s", R (in), ls_test_float (ls_loop_time (loop)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_cancel_msg (void)
{
  run_case ("future_cancel_msg", cancel_msg_main, g_new0 (Futs, 1), futs_free);
}

/* ---- future_callbacks_order.py ------------------------------------------------ */

/* make_cb(tag): prints "cb TAG result" */
static gboolean
tagged_cb (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsValue r;
  if (!ls_future_result (ls_future_from (args[0]), &r))
    {
      *result = r;
      return FALSE;
    }
  ls_test_print ("cb %s %s", (const char *) data, S (r));
  ls_value_unref (r);
  *result = ls_none ();
  return TRUE;
}

static void
call_soon_print (LsLoop *loop, const char *text)
{
  LsValue arg = ls_str_new (text);
  ls_object_unref (ls_loop_call_soon (loop, ls_callback_value (ls_test_print_callable ()), 1, &arg));
}

static LsCCoroAction
callbacks_order_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Futs *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  static const char *const tags[] = { "A", "B", "C" };
  LsValue err;

  switch (co->pc)
    {
    case 0:
      x->f = ls_future_new (loop);
      for (guint i = 0; i < 3; i++)
        ls_future_add_done_callback (FUT (x->f),
                                     ls_callback_value (ls_builtin_new ("cb", tagged_cb, ls_none (),
                                                                        (gpointer) tags[i], NULL)));
      call_soon_print (loop, "soon before");
      g_assert_true (ls_future_set_result (FUT (x->f), ls_int (5), &err));
      call_soon_print (loop, "soon after");
      ls_test_print ("set_result returned");
      return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("main resumed");
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_callbacks_order (void)
{
  run_case ("future_callbacks_order", callbacks_order_main, g_new0 (Futs, 1), futs_free);
}

/* ---- future_callback_on_done.py ----------------------------------------------- */

/* lambda fut: print(PREFIX, fut.result()) */
static gboolean
print_result_cb (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsValue r;
  if (!ls_future_result (ls_future_from (args[0]), &r))
    {
      *result = r;
      return FALSE;
    }
  ls_test_print ("%s %s", (const char *) data, S (r));
  ls_value_unref (r);
  *result = ls_none ();
  return TRUE;
}

static LsCallback
print_result_callback (const char *prefix)
{
  return ls_callback_value (ls_builtin_new ("<lambda>", print_result_cb, ls_none (),
                                            (gpointer) prefix, NULL));
}

static LsCCoroAction
callback_on_done_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Futs *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue err;

  switch (co->pc)
    {
    case 0:
      x->f = ls_future_new (loop);
      g_assert_true (ls_future_set_result (FUT (x->f), ls_str_new ("ok"), &err));
      call_soon_print (loop, "queued first");
      ls_future_add_done_callback (FUT (x->f), print_result_callback ("callback"));
      ls_test_print ("added");
      return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("after sleep(0)");
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_callback_on_done (void)
{
  run_case ("future_callback_on_done", callback_on_done_main, g_new0 (Futs, 1), futs_free);
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
  Futs *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue err;
  LsFuture *f;

  switch (co->pc)
    {
    case 0:
      x->f = ls_future_new (loop);
      f = FUT (x->f);
      ls_future_add_done_callback (f, ls_callback_value (ls_test_print_callable ()));
      ls_future_add_done_callback (f, named_cb ("repr"));
      ls_future_add_done_callback (f, ls_callback_value (ls_test_print_callable ()));
      ls_future_add_done_callback (f, named_cb ("len"));
      ls_test_print ("%s", R (x->f));
      ls_test_print ("%u", remove_cb (f, ls_callback_value (ls_test_print_callable ())));
      ls_test_print ("%u", remove_cb (f, ls_callback_value (ls_test_print_callable ())));
      ls_test_print ("%u", remove_cb (f, named_cb ("repr")));
      ls_test_print ("%s", R (x->f));
      ls_future_add_done_callback (f, print_result_callback ("left"));
      ls_test_print ("%u", remove_cb (f, named_cb ("len")));
      g_assert_true (ls_future_set_result (f, ls_int (3), &err));
      return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%u", remove_cb (FUT (x->f), ls_callback_value (ls_test_print_callable ())));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_remove_callback (void)
{
  run_case ("future_remove_callback", remove_callback_main, g_new0 (Futs, 1), futs_free);
}

/* ---- future_repr.py ---------------------------------------------------------------- */

static LsCCoroAction
repr_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Futs *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue err, list, v;
  LsFuture *f;

  x->f = ls_future_new (loop);
  f = FUT (x->f);
  ls_test_print ("%s", R (x->f));
  ls_future_add_done_callback (f, ls_callback_value (ls_test_print_callable ()));
  ls_test_print ("%s", R (x->f));
  ls_future_add_done_callback (f, named_cb ("repr"));
  ls_future_add_done_callback (f, named_cb ("len"));
  ls_future_add_done_callback (f, named_cb ("str"));
  ls_test_print ("%s", R (x->f));
  remove_cb (f, ls_callback_value (ls_test_print_callable ()));
  remove_cb (f, named_cb ("repr"));
  remove_cb (f, named_cb ("len"));
  remove_cb (f, named_cb ("str"));
  list = ls_list_new ();
  ls_list_append (list, ls_int (1));
  ls_list_append (list, ls_str_new ("two"));
  ls_list_append (list, ls_none ());
  g_assert_true (ls_future_set_result (f, list, &err));
  ls_test_print ("%s", R (x->f));

  x->g = ls_future_new (loop);
  g_assert_true (ls_future_set_exception (FUT (x->g), ls_exc_newf (&ls_exc_RuntimeError, "boom"), &err));
  ls_test_print ("%s", R (x->g));
  ls_future_exception (FUT (x->g), &v);
  ls_value_unref (v);

  x->h = ls_future_new (loop);
  ls_future_cancel (FUT (x->h), ls_none ());
  ls_test_print ("%s", R (x->h));
  return ls_ccoro_return (out, ls_none ());
}

static void
test_repr (void)
{
  run_case ("future_repr", repr_main, g_new0 (Futs, 1), futs_free);
}

/* ---- not compared with CPython ---------------------------------------------------------- */

/* An exception set and never retrieved is reported when the future goes
 * away (Future.__del__); retrieving it, or cancelling, silences that. */
static void
observe_warnings (const LsEvent *ev, gpointer user_data)
{
  if (ev->kind == LS_EVENT_WARNING)
    g_ptr_array_add (user_data, g_strdup (ev->detail));
}

static void
test_never_retrieved (void)
{
  LsLoop *loop = ls_loop_new ();
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);
  LsValue f, g, err, v;

  ls_loop_set_observer (loop, observe_warnings, warnings);
  f = ls_future_new (loop);
  g = ls_future_new (loop);
  g_assert_true (ls_future_set_exception (FUT (f), ls_exc_newf (&ls_exc_ValueError, "lost"), &err));
  g_assert_true (ls_future_set_exception (FUT (g), ls_exc_newf (&ls_exc_ValueError, "seen"), &err));
  g_assert_true (ls_future_exception (FUT (g), &v));
  ls_value_unref (v);
  ls_value_unref (f);
  ls_value_unref (g);
  g_assert_cmpuint (warnings->len, ==, 1);
  if (warnings->len == 1)
    g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                     "Future exception was never retrieved: ValueError('lost')");
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/engine/future/result-exception", test_result_exception);
  g_test_add_func ("/engine/future/set-twice", test_set_twice);
  g_test_add_func ("/engine/future/cancel-msg", test_cancel_msg);
  g_test_add_func ("/engine/future/callbacks-order", test_callbacks_order);
  g_test_add_func ("/engine/future/callback-on-done", test_callback_on_done);
  g_test_add_func ("/engine/future/remove-callback", test_remove_callback);
  g_test_add_func ("/engine/future/repr", test_repr);
  g_test_add_func ("/engine/future/never-retrieved", test_never_retrieved);
  g_test_add_func ("/engine/future/set-exception-checks", test_set_exception_checks);
  return g_test_run ();
}
