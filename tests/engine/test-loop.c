/* test-loop.c - the event loop against CPython: call_soon/call_later/call_at
 * order, timer cancellation and the heap purge, the clock-resolution
 * window, the 86400 s select cap, the `ntodo` rule, the old-style
 * run_until_complete/run_forever/stop, and the observer's event stream.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py.
 */
#include "ls-test-harness.h"

/* ---- helpers ------------------------------------------------------------ */

static LsCallback
print_cb (void)
{
  return ls_callback_value (ls_test_print_callable ());
}

/* A callable that calls fn(args) with the running loop: the closures of the
 * Python programs (def show(tag): print(tag, loop.time())). */
typedef void (*LoopFn) (LsLoop *loop, const LsValue *args, guint nargs);

static gboolean
loop_fn_builtin (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  ((LoopFn) data) (ls_loop_get_running (), args, nargs);
  *result = ls_none ();
  return TRUE;
}

static LsCallback
fn_cb (const char *name, LoopFn fn)
{
  return ls_callback_value (ls_builtin_new (name, loop_fn_builtin, ls_none (), (gpointer) fn, NULL));
}

static LsHandle *
call_at_fn (LsLoop *loop, double when, const char *name, LoopFn fn, LsValue arg)
{
  return ls_loop_call_at (loop, when, fn_cb (name, fn), 1, &arg);
}

/* show(tag): print(tag, loop.time()) */
static void
show (LsLoop *loop, const LsValue *args, guint nargs)
{
  ls_test_print ("%s %s", ls_test_str (args[0]), ls_test_now ());
}

/* ---- loop_soon_vs_later0.py ------------------------------------------------ */

static LsCCoroAction
soon_later_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      ls_test_call_later_print (loop, 0, "later 0");
      ls_test_call_soon_print (loop, "soon 1");
      {
        LsValue arg = ls_str_new ("at now");
        ls_object_unref (ls_loop_call_at (loop, ls_loop_time (loop), print_cb (), 1, &arg));
      }
      ls_test_call_soon_print (loop, "soon 2");
      ls_test_call_later_print (loop, -1, "later -1");
      return ls_test_await_sleep (co, 1, out, 0);
    case 1:
      ls_test_print ("main after sleep(0)");
      return ls_test_await_sleep (co, 2, out, 0);
    case 2:
      ls_test_print ("main after second sleep(0)");
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- loop_call_at.py ------------------------------------------------------------ */

static LsCCoroAction
call_at_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();
  static const double whens[] = { 3.5, 0.25, 2.0, 1e-3, 2.0 + 1e-6 };
  LsValue arg;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      for (guint i = 0; i < G_N_ELEMENTS (whens); i++)
        ls_object_unref (call_at_fn (loop, whens[i], "show", show, ls_float (whens[i])));
      arg = ls_str_new ("later 1.5");
      ls_object_unref (ls_loop_call_later (loop, 1.5, fn_cb ("show", show), 1, &arg));
      return ls_test_await_sleep (co, 1, out, 4);
    case 1:
      arg = ls_str_new ("main");
      show (loop, &arg, 1);
      ls_value_unref (arg);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- loop_timer_cancel.py -------------------------------------------------------- */

/* loop.call_later(delay, print, text), the handle kept in t[i] */
static LsHandle *
later_print_handle (LsTestLocals *x, int i, double delay, const char *text)
{
  LsValue arg = ls_str_new (text);
  x->t[i] = ls_object (ls_loop_call_later (ls_loop_get_running (), delay, print_cb (), 1, &arg));
  return ls_value_object (x->t[i]);
}

static LsCCoroAction
timer_cancel_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;     /* t[]: the handles */
  LsLoop *loop = ls_loop_get_running ();
  LsHandle *one, *two, *soon;
  LsValue arg;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      one = later_print_handle (x, 0, 1, "one");
      two = later_print_handle (x, 1, 2, "two");
      later_print_handle (x, 2, 3, "three");
      arg = ls_str_new ("soon");
      soon = ls_loop_call_soon (loop, print_cb (), 1, &arg);
      x->t[3] = ls_object (soon);
      ls_handle_cancel (two);
      ls_handle_cancel (soon);
      ls_test_print ("%s %s %s %s", ls_test_bool (ls_handle_cancelled (one)),
                     ls_test_bool (ls_handle_cancelled (two)), ls_test_bool (ls_handle_cancelled (soon)),
                     ls_test_float (two->when));
      ls_handle_cancel (two);
      return ls_test_await_sleep (co, 1, out, 2.5);
    case 1:
      ls_test_print ("at %s", ls_test_now ());
      ls_handle_cancel (ls_value_object (x->t[2]));
      ls_handle_cancel (ls_value_object (x->t[0]));
      return ls_test_await_sleep (co, 2, out, 1);
    case 2:
      ls_test_print ("at %s", ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- loop_timer_purge.py and loop_timer_no_purge.py ------------------------------- */

/* loop.call_at(when, print, i, when) */
static LsHandle *
at_print_pair (LsLoop *loop, int i, double when)
{
  LsValue args[2] = { ls_int (i), ls_float (when) };
  return ls_loop_call_at (loop, when, print_cb (), 2, args);
}

static LsCCoroAction
purge_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      {
        LsHandle *handles[150];
        for (int i = 0; i < 150; i++)
          handles[i] = at_print_pair (loop, i, 1.0 + (i * 7) % 5);
        for (int i = 0; i < 150; i++)
          {
            if (i % 3 != 0)
              ls_handle_cancel (handles[i]);
            ls_object_unref (handles[i]);
          }
      }
      return ls_test_await_sleep (co, 1, out, 0);
    case 1:
      /* a second wave, after the purge, at the same deadlines */
      for (int i = 150; i < 170; i++)
        ls_object_unref (at_print_pair (loop, i, 1.0 + (i * 7) % 5));
      return ls_test_await_sleep (co, 2, out, 10);
    case 2:
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static LsCCoroAction
no_purge_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      LsHandle *handles[60];
      for (int i = 0; i < 60; i++)
        handles[i] = at_print_pair (loop, i, 1.0 + (i * 3) % 4);
      for (int i = 0; i < 60; i++)
        {
          if (i % 2)
            ls_handle_cancel (handles[i]);
          ls_object_unref (handles[i]);
        }
      return ls_test_await_sleep (co, 1, out, 10);
    }
  return ls_ccoro_return (out, ls_none ());
}

/* ---- loop_timer_purge_large.py ------------------------------------------------------ */

/* order.append bound to a GArray of gint64 */
static gboolean
append_builtin (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  gint64 n = ls_value_as_int (args[0]);
  g_array_append_val ((GArray *) data, n);
  *result = ls_none ();
  return TRUE;
}

static void
order_free (gpointer p)
{
  g_array_free (p, TRUE);
}

/* "[a, b, c]" of order[from:to] */
static const char *
int_slice (GArray *order, guint from, guint to)
{
  GString *s = g_string_new ("[");
  for (guint i = from; i < to && i < order->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > from ? ", " : "",
                            g_array_index (order, gint64, i));
  g_string_append_c (s, ']');
  return ls_test_keep (g_string_free (s, FALSE));
}

static LsCCoroAction
purge_large_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  GArray *order = co->data;
  LsLoop *loop = ls_loop_get_running ();
  guint64 sum = 0;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      LsHandle **handles = g_new (LsHandle *, 6000);
      for (int i = 0; i < 6000; i++)
        {
          LsValue arg = ls_int (i);
          handles[i] = ls_loop_call_at (loop, 1.0 + (i * 7919) % 3,
                                        ls_callback_value (ls_builtin_new ("append", append_builtin,
                                                                           ls_none (), order, NULL)),
                                        1, &arg);
        }
      for (int i = 0; i < 6000; i++)
        {
          if (i % 2 == 0 || i % 7 == 0)
            ls_handle_cancel (handles[i]);
          ls_object_unref (handles[i]);
        }
      g_free (handles);
      return ls_test_await_sleep (co, 1, out, 10);
    }
  ls_test_print ("%u %s %s", order->len, int_slice (order, 0, 12),
                 int_slice (order, order->len - 4, order->len));
  for (guint pos = 0; pos < order->len; pos++)
    sum += (pos + 1) * (guint64) g_array_index (order, gint64, pos);
  ls_test_print ("%" G_GUINT64_FORMAT, sum % 1000000007);
  return ls_ccoro_return (out, ls_none ());
}

static void
test_timer_purge_large (void)
{
  ls_test_run_case ("loop_timer_purge_large",
                    ls_ccoro_new ("main", purge_large_main, g_array_new (FALSE, FALSE, sizeof (gint64)),
                                  order_free));
}

/* ---- loop_clock_resolution.py ------------------------------------------------------ */

/* tick(tag): print(tag, loop.time()); loop.call_soon(print, "soon from", tag) */
static void
tick (LsLoop *loop, const LsValue *args, guint nargs)
{
  LsValue soon[2] = { ls_str_new ("soon from"), ls_value_ref (args[0]) };
  ls_test_print ("%s %s", ls_test_str (args[0]), ls_test_now ());
  ls_object_unref (ls_loop_call_soon (loop, print_cb (), 2, soon));
}

static LsCCoroAction
resolution_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();
  static const double whens[] = { 1.0, 1.0 + 1e-10, 1.0 + 5e-10, 1.0 + 2e-9, 1.0 + 1e-6 };
  static const char *const tags[] = { "A", "B", "C", "D", "E" };

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (whens); i++)
        ls_object_unref (call_at_fn (loop, whens[i], "tick", tick, ls_str_new (tags[i])));
      return ls_test_await_sleep (co, 1, out, 2);
    }
  return ls_ccoro_return (out, ls_none ());
}

/* ---- loop_idle_jump.py ------------------------------------------------------------- */

static LsCCoroAction
idle_jump_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();
  LsValue arg;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      return ls_test_await_sleep (co, 1, out, 0.3);
    case 1:
      arg = ls_str_new ("far");
      ls_object_unref (ls_loop_call_later (loop, 200000.7, fn_cb ("show", show), 1, &arg));
      arg = ls_str_new ("one day");
      ls_object_unref (ls_loop_call_later (loop, 86400.1, fn_cb ("show", show), 1, &arg));
      ls_object_unref (call_at_fn (loop, 259200.35, "show", show, ls_str_new ("three days")));
      return ls_test_await_sleep (co, 2, out, 300000.123);
    case 2:
      arg = ls_str_new ("main");
      show (loop, &arg, 1);
      ls_value_unref (arg);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* Each idle select() sleeps at most 86400 s: the clock goes 0.3 -> 86400.3
 * -> 86400.4… in steps the CLOCK_ADVANCED events show. */
static void
collect_clock (const LsEvent *ev, gpointer user_data)
{
  if (ev->kind == LS_EVENT_CLOCK_ADVANCED)
    g_array_append_val ((GArray *) user_data, ev->value);
}

static void
test_idle_jump_steps (void)
{
  GArray *times = g_array_new (FALSE, FALSE, sizeof (double));
  LsLoop *loop = ls_loop_new ();
  LsValue fut, args[2], result;

  ls_loop_set_observer (loop, collect_clock, times);
  /* run until a future resolved by a timer at 200000 is done */
  fut = ls_future_new (loop);
  args[0] = ls_value_ref (fut);
  args[1] = ls_int (1);
  ls_object_unref (ls_loop_call_later (loop, 200000.0,
                                       ls_callback_method (&ls_future_set_result_unless_cancelled_method,
                                                           ls_none ()),
                                       2, args));
  g_assert_true (ls_loop_run_until_complete (loop, fut, &result));
  ls_value_unref (result);
  ls_value_unref (fut);
  g_assert_cmpuint (times->len, ==, 3);
  if (times->len == 3)
    {
      g_assert_cmpfloat (g_array_index (times, double, 0), ==, 86400.0);
      g_assert_cmpfloat (g_array_index (times, double, 1), ==, 172800.0);
      g_assert_cmpfloat (g_array_index (times, double, 2), ==, 200000.0);
    }
  ls_loop_close (loop);
  ls_loop_unref (loop);
  g_array_free (times, TRUE);
}

/* ---- loop_ntodo.py ------------------------------------------------------------------- */

static void
ntodo_b (LsLoop *loop, const LsValue *args, guint nargs)
{
  ls_test_print ("B");
  ls_test_call_soon_print (loop, "C from B");
}

static void
ntodo_a (LsLoop *loop, const LsValue *args, guint nargs)
{
  ls_test_print ("A");
  ls_object_unref (ls_loop_call_soon (loop, fn_cb ("b", ntodo_b), 0, NULL));
  ls_test_call_later_print (loop, 0, "T from A");
}

static LsCCoroAction
ntodo_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running ();

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      ls_object_unref (ls_loop_call_soon (loop, fn_cb ("a", ntodo_a), 0, NULL));
      ls_test_call_soon_print (loop, "D");
    }
  if (co->pc < 4)
    {
      ls_test_print ("main %d", co->pc);
      return ls_test_await_sleep (co, co->pc + 1, out, 0);
    }
  return ls_ccoro_return (out, ls_none ());
}

/* ---- loop_sleep_sum.py ------------------------------------------------------------------- */

static LsCCoroAction
sleep_sum_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc < 10)
    return ls_test_await_sleep (co, co->pc + 1, out, 0.1);
  ls_test_print ("%s", ls_test_now ());
  if (co->pc == 10)
    return ls_test_await_sleep (co, 11, out, 1e-9);
  if (co->pc == 11)
    return ls_test_await_sleep (co, 12, out, 1e-10);
  return ls_ccoro_return (out, ls_none ());
}

/* ---- loop_run_until_complete.py (old style: no asyncio.run) ------------------------- */

/* async def work(n) */
static LsCCoroAction
work (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *l = co->data;

  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, (double) l->n);
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  ls_test_print ("worked %" G_GINT64_FORMAT " %s", l->n, ls_test_now ());
  return ls_ccoro_return (out, ls_int (l->n * 10));
}

/* fut.set_result bound to fut */
static gboolean
set_result_builtin (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_none ();
  if (!ls_future_set_result (ls_future_from (self), ls_value_ref (args[0]), result))
    return FALSE;
  return TRUE;
}

/* loop.stop bound to the loop */
static gboolean
stop_builtin (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  ls_loop_stop (data);
  *result = ls_none ();
  return TRUE;
}

static LsCallback
stop_cb (LsLoop *loop)
{
  return ls_callback_value (ls_builtin_new ("stop", stop_builtin, ls_none (), loop, NULL));
}

static void
test_run_until_complete (void)
{
  LsTestRun *run = ls_test_run_new ();
  LsLoop *loop = run->loop;
  LsValue coro, result, fut, arg, err;

  coro = LS_TEST_CORO ("work", work, .n = 1);
  g_assert_true (ls_loop_run_until_complete (loop, coro, &result));
  ls_value_unref (coro);
  ls_test_print_to (loop, "%s", ls_test_str (result));
  ls_value_unref (result);

  fut = ls_future_new (loop);
  arg = ls_str_new ("timer result");
  ls_object_unref (ls_loop_call_later (loop, 2,
                                       ls_callback_value (ls_builtin_new ("set_result", set_result_builtin,
                                                                          ls_value_ref (fut), NULL, NULL)),
                                       1, &arg));
  g_assert_true (ls_loop_run_until_complete (loop, fut, &result));
  ls_test_print_to (loop, "%s", ls_test_str (result));
  ls_value_unref (result);
  ls_value_unref (fut);

  arg = ls_str_new ("soon");
  ls_object_unref (ls_loop_call_soon (loop, print_cb (), 1, &arg));
  ls_object_unref (ls_loop_call_later (loop, 1.5, stop_cb (loop), 0, NULL));
  arg = ls_str_new ("not yet");
  ls_object_unref (ls_loop_call_later (loop, 2, print_cb (), 1, &arg));
  g_assert_true (ls_loop_run_forever (loop, &err));
  ls_value_unref (err);
  ls_test_print_to (loop, "stopped at %s", ls_test_float (ls_loop_time (loop)));
  ls_object_unref (ls_loop_call_later (loop, 1, stop_cb (loop), 0, NULL));
  g_assert_true (ls_loop_run_forever (loop, &err));
  ls_value_unref (err);
  ls_test_print_to (loop, "stopped again at %s", ls_test_float (ls_loop_time (loop)));
  ls_loop_close (loop);

  ls_test_check_case (run, "loop_run_until_complete");
  ls_test_run_free (run);
}

/* ---- loop_stop_before_run.py ------------------------------------------------------------ */

static void
first (LsLoop *loop, const LsValue *args, guint nargs)
{
  ls_test_print ("first");
  ls_test_call_soon_print (loop, "second");
}

static void
test_stop_before_run (void)
{
  LsTestRun *run = ls_test_run_new ();
  LsLoop *loop = run->loop;
  LsValue err;

  ls_object_unref (ls_loop_call_soon (loop, fn_cb ("first", first), 0, NULL));
  ls_loop_stop (loop);
  g_assert_true (ls_loop_run_forever (loop, &err));
  ls_value_unref (err);
  ls_test_print_to (loop, "between runs");
  ls_loop_stop (loop);
  g_assert_true (ls_loop_run_forever (loop, &err));
  ls_value_unref (err);
  ls_test_print_to (loop, "end %s", ls_test_float (ls_loop_time (loop)));
  ls_loop_close (loop);

  ls_test_check_case (run, "loop_stop_before_run");
  ls_test_run_free (run);
}

/* ---- loop_stopped_early.py --------------------------------------------------------------- */

static LsCCoroAction
slow (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, 5);
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  return ls_ccoro_return (out, ls_str_new ("slow"));
}

static void
test_stopped_early (void)
{
  LsTestRun *run = ls_test_run_new ();
  LsLoop *loop = run->loop;
  LsValue coro, result, all, fut;
  char *msg;

  ls_object_unref (ls_loop_call_later (loop, 1, stop_cb (loop), 0, NULL));
  coro = ls_ccoro_new ("slow", slow, NULL, NULL);
  g_assert_false (ls_loop_run_until_complete (loop, coro, &result));
  ls_value_unref (coro);
  if (ls_exc_matches (result, &ls_exc_RuntimeError))
    {
      msg = ls_exc_str (result);
      ls_test_print_to (loop, "RuntimeError: %s", msg);
      g_free (msg);
    }
  ls_value_unref (result);
  ls_test_print_to (loop, "%s", ls_test_float (ls_loop_time (loop)));

  coro = ls_sleep (0.5, ls_str_new ("then"));
  g_assert_true (ls_loop_run_until_complete (loop, coro, &result));
  ls_value_unref (coro);
  ls_test_print_to (loop, "%s %s", ls_test_str (result), ls_test_float (ls_loop_time (loop)));
  ls_value_unref (result);

  all = ls_loop_all_tasks (loop);
  ls_test_print_to (loop, "%u", ls_list_len (all));
  g_assert_true (ls_gather (loop, ls_list_len (all),
                            (LsValue *) ((LsList *) ls_value_as_object (all))->items->data, FALSE, &fut));
  g_assert_true (ls_loop_run_until_complete (loop, fut, &result));
  ls_test_print_to (loop, "%s %s", ls_test_repr (result), ls_test_float (ls_loop_time (loop)));
  ls_value_unref (result);
  ls_value_unref (fut);
  ls_value_unref (all);
  ls_loop_close (loop);

  ls_test_check_case (run, "loop_stopped_early");
  ls_test_run_free (run);
}

/* ---- loop_run_while_running.py ---------------------------------------------------------- */

static LsCCoroAction
other (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  ls_test_print ("other ran");
  return ls_ccoro_return (out, ls_none ());
}

static void
print_runtime_error (gboolean ok, LsValue err)
{
  g_assert_false (ok);
  if (ls_exc_matches (err, &ls_exc_RuntimeError))
    ls_test_print ("RuntimeError: %s", ls_test_keep (ls_exc_str (err)));
  ls_value_unref (err);
}

static LsCCoroAction
while_running_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsLoop *loop = ls_loop_get_running (), *second;
  LsValue c, err, all1, all2;
  gboolean ok;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      c = ls_ccoro_new ("other", other, NULL, NULL);
      ok = ls_loop_run_until_complete (loop, c, &err);
      print_runtime_error (ok, err);
      ok = ls_loop_run_forever (loop, &err);
      print_runtime_error (ok, err);
      second = ls_loop_new ();
      ok = ls_loop_run_until_complete (second, c, &err);
      print_runtime_error (ok, err);
      all1 = ls_loop_all_tasks (loop);
      all2 = ls_loop_all_tasks (second);
      ls_test_print ("%u %u", ls_list_len (all1), ls_list_len (all2));
      ls_value_unref (all1);
      ls_value_unref (all2);
      ls_loop_close (second);
      ls_loop_unref (second);
      ls_coro_close (c);
      ls_value_unref (c);
      return ls_test_await_sleep (co, 1, out, 0);
    }
  ls_test_print ("end");
  return ls_ccoro_return (out, ls_none ());
}

/* ---- the observer's event stream (loop_observer_events.py) ---------------------------- */

static LsCCoroAction
obs_child (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, 10);
  if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
    ls_test_print ("child cancelled");
  return ls_ccoro_pass (in, thrown, out);
}

static LsCCoroAction
obs_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *x = co->data;     /* t[0]: the child, t[1]: f */
  LsLoop *loop = ls_loop_get_running ();
  LsValue arg;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("child", obs_child, NULL, NULL), NULL);
      return ls_test_await_sleep (co, 1, out, 1);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("main at %s", ls_test_now ());
      ls_test_cancel (x->t[0], "bye");
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->t[0]));
    case 2:
      if (!ls_test_caught (in, thrown, &ls_exc_CancelledError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("main saw cancel");
      x->t[1] = ls_future_new (loop);
      arg = ls_int (7);
      ls_object_unref (ls_loop_call_later (loop, 0.5,
                                           ls_callback_value (ls_builtin_new ("set_result",
                                                                              set_result_builtin,
                                                                              ls_value_ref (x->t[1]),
                                                                              NULL, NULL)),
                                           1, &arg));
      return ls_ccoro_await (co, 3, out, ls_value_ref (x->t[1]));
    case 3:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s", ls_test_str (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

typedef struct {
  GArray *events;      /* LsEvent, detail and extra not kept */
  GPtrArray *details;  /* the detail of each, or NULL */
  GString *out;
} Recorder;

static void
record_event (const LsEvent *ev, gpointer user_data)
{
  Recorder *r = user_data;
  LsEvent copy = *ev;
  copy.detail = copy.extra = NULL;
  g_array_append_val (r->events, copy);
  g_ptr_array_add (r->details, g_strdup (ev->detail));
}

static void
record_output (LsLoop *loop, gboolean is_stderr, const char *text, gpointer user_data)
{
  Recorder *r = user_data;
  if (!is_stderr)
    g_string_append (r->out, text);
}

static guint
count_kind (Recorder *r, LsEventKind kind)
{
  guint n = 0;
  for (guint i = 0; i < r->events->len; i++)
    if (g_array_index (r->events, LsEvent, i).kind == kind)
      n++;
  return n;
}

static const char *
detail_of (Recorder *r, LsEventKind kind, guint nth)
{
  for (guint i = 0; i < r->events->len; i++)
    if (g_array_index (r->events, LsEvent, i).kind == kind && nth-- == 0)
      return g_ptr_array_index (r->details, i);
  return NULL;
}

static void
test_observer_stream (void)
{
  Recorder r = {
    g_array_new (FALSE, FALSE, sizeof (LsEvent)),
    g_ptr_array_new_with_free_func (g_free),
    g_string_new (NULL),
  };
  LsLoop *loop;
  LsValue result;
  GString *printed = g_string_new (NULL);

  ls_task_reset_name_counter ();
  loop = ls_loop_new ();
  ls_loop_set_observer (loop, record_event, &r);
  ls_loop_set_output (loop, record_output, &r);
  g_assert_true (ls_asyncio_run (loop, ls_test_coro ("main", obs_main, NULL), &result));
  ls_value_unref (result);

  /* seq counts 1, 2, 3… and time never goes back */
  for (guint i = 0; i < r.events->len; i++)
    {
      LsEvent *ev = &g_array_index (r.events, LsEvent, i);
      g_assert_cmpuint (ev->seq, ==, i + 1);
      if (i)
        g_assert_cmpfloat (ev->time, >=, g_array_index (r.events, LsEvent, i - 1).time);
    }
  g_assert_cmpfloat (g_array_index (r.events, LsEvent, r.events->len - 1).time, ==, 1.5);

  /* main, child, and the Runner's two shutdown tasks */
  g_assert_cmpuint (count_kind (&r, LS_EVENT_TASK_CREATED), ==, 4);
  g_assert_cmpstr (detail_of (&r, LS_EVENT_TASK_CREATED, 0), ==, "Task-1");
  g_assert_cmpstr (detail_of (&r, LS_EVENT_TASK_CREATED, 1), ==, "Task-2");
  g_assert_cmpuint (count_kind (&r, LS_EVENT_STEP_BEGIN), ==, count_kind (&r, LS_EVENT_STEP_END));
  g_assert_cmpuint (count_kind (&r, LS_EVENT_STEP_BEGIN), ==, 8);
  /* sleep(1), sleep(10), the set_result timer */
  g_assert_cmpuint (count_kind (&r, LS_EVENT_TIMER_ADDED), ==, 3);
  g_assert_cmpuint (count_kind (&r, LS_EVENT_TIMER_FIRED), ==, 2);
  g_assert_cmpuint (count_kind (&r, LS_EVENT_TIMER_CANCELLED), ==, 1);
  g_assert_cmpuint (count_kind (&r, LS_EVENT_FUTURE_DONE), >=, 3);
  g_assert_cmpuint (count_kind (&r, LS_EVENT_CANCEL_REQUESTED), ==, 2);   /* child, its sleep */
  g_assert_cmpstr (detail_of (&r, LS_EVENT_CANCEL_REQUESTED, 0), ==, "bye");
  /* into the child, then into main awaiting it (the child's own error) */
  g_assert_cmpuint (count_kind (&r, LS_EVENT_CANCEL_DELIVERED), ==, 2);
  g_assert_cmpstr (detail_of (&r, LS_EVENT_CANCEL_DELIVERED, 0), ==, "bye");
  g_assert_cmpstr (detail_of (&r, LS_EVENT_CANCEL_DELIVERED, 1), ==, "bye");
  g_assert_cmpuint (count_kind (&r, LS_EVENT_CLOCK_ADVANCED), ==, 2);
  g_assert_cmpuint (count_kind (&r, LS_EVENT_WARNING), ==, 0);

  /* OUTPUT events carry exactly what was printed, in order */
  for (guint i = 0; i < r.events->len; i++)
    if (g_array_index (r.events, LsEvent, i).kind == LS_EVENT_OUTPUT)
      g_string_append (printed, g_ptr_array_index (r.details, i));
  g_assert_cmpstr (printed->str, ==, r.out->str);
  g_assert_cmpstr (r.out->str, ==, "main at 1.0\nchild cancelled\nmain saw cancel\n7\n");

  ls_loop_close (loop);
  ls_loop_unref (loop);
  g_string_free (printed, TRUE);
  g_string_free (r.out, TRUE);
  g_array_free (r.events, TRUE);
  g_ptr_array_free (r.details, TRUE);
}

/* Misuse gives values, not aborts: scheduling on a closed loop (CPython:
 * RuntimeError) hands back a cancelled handle that never runs, and
 * create_task of something that is not a coroutine is a TypeError. */
static void
test_closed_and_not_a_coroutine (void)
{
  LsLoop *loop = ls_loop_new ();
  LsValue arg = ls_str_new ("never"), task;
  LsHandle *h;
  char *msg;

  ls_loop_close (loop);
  h = ls_loop_call_soon (loop, ls_callback_value (ls_test_print_callable ()), 1, &arg);
  g_assert_nonnull (h);
  g_assert_true (ls_handle_cancelled (h));
  ls_object_unref (h);
  h = ls_loop_call_later (loop, 1.0, ls_callback_value (ls_test_print_callable ()), 0, NULL);
  g_assert_true (ls_handle_cancelled (h));
  ls_object_unref (h);

  task = ls_task_new (loop, ls_int (3), NULL);
  g_assert_false (ls_is_task (task));
  msg = ls_exc_format (task);
  g_assert_cmpstr (msg, ==, "TypeError: a coroutine was expected, got 3");
  g_free (msg);
  ls_value_unref (task);
  ls_loop_unref (loop);
}

static const LsTest tests[] = {
  LS_TEST_FUNC ("/engine/loop/misuse-closed-and-not-a-coroutine", test_closed_and_not_a_coroutine),
  LS_TEST_CASE ("/engine/loop/soon-vs-later0", "loop_soon_vs_later0", soon_later_main),
  LS_TEST_CASE ("/engine/loop/call-at", "loop_call_at", call_at_main),
  LS_TEST_CASE ("/engine/loop/timer-cancel", "loop_timer_cancel", timer_cancel_main),
  LS_TEST_CASE ("/engine/loop/timer-purge", "loop_timer_purge", purge_main),
  LS_TEST_CASE ("/engine/loop/timer-no-purge", "loop_timer_no_purge", no_purge_main),
  LS_TEST_FUNC ("/engine/loop/timer-purge-large", test_timer_purge_large),
  LS_TEST_CASE ("/engine/loop/clock-resolution", "loop_clock_resolution", resolution_main),
  LS_TEST_CASE ("/engine/loop/idle-jump", "loop_idle_jump", idle_jump_main),
  LS_TEST_FUNC ("/engine/loop/idle-jump-steps", test_idle_jump_steps),
  LS_TEST_CASE ("/engine/loop/ntodo", "loop_ntodo", ntodo_main),
  LS_TEST_CASE ("/engine/loop/sleep-sum", "loop_sleep_sum", sleep_sum_main),
  LS_TEST_FUNC ("/engine/loop/run-until-complete", test_run_until_complete),
  LS_TEST_FUNC ("/engine/loop/stop-before-run", test_stop_before_run),
  LS_TEST_FUNC ("/engine/loop/stopped-early", test_stopped_early),
  LS_TEST_CASE ("/engine/loop/run-while-running", "loop_run_while_running", while_running_main),
  LS_TEST_CASE ("/engine/loop/observer-case", "loop_observer_events", obs_main),
  LS_TEST_FUNC ("/engine/loop/observer-stream", test_observer_stream),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
