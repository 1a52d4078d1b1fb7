/* test-wait.c - wait(), wait_for(), as_completed(), shield() and the corner
 * cases of gather() against CPython.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py: the same awaits in
 * the same order, so the engine must print the same lines and take the same
 * task steps at the same virtual times as CPython 3.12 did.
 */
#include "ls-test-harness.h"

/* ---- helpers ------------------------------------------------------------ */

static LsTask *
TASK (LsValue v)
{
  return (LsTask *) ls_value_as_object (v);
}

static LsFuture *
FUT (LsValue v)
{
  return ls_future_from (v);
}

static LsValue *
list_items (LsValue list)
{
  return (LsValue *) ((LsList *) ls_value_as_object (list))->items->data;
}

static LsValue
tuple_get (LsValue t, guint i)
{
  return ((LsTuple *) ls_value_as_object (t))->items[i];
}

/* print("done", names(done), "pending", names(pending), "at", loop.time())
 * of what wait() returned */
static void
print_done_pending (LsValue done_pending)
{
  ls_test_print ("done %s pending %s at %s", ls_test_task_names (tuple_get (done_pending, 0)),
                 ls_test_task_names (tuple_get (done_pending, 1)), ls_test_now ());
}

/* [(t.get_name(), t.done() or t.cancelled()) for t in tasks] */
static const char *
name_flags (guint n, const LsValue *tasks, gboolean (*flag) (LsFuture *))
{
  GString *s = g_string_new ("[");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s('%s', %s)", i ? ", " : "", ls_test_task_name (tasks[i]),
                            ls_test_bool (flag (FUT (tasks[i]))));
  g_string_append_c (s, ']');
  return ls_test_keep (g_string_free (s, FALSE));
}

/* await wait_for(aw, timeout), dropping our reference to aw. */
static LsValue
wait_for_take (LsValue aw, double timeout)
{
  LsValue co = ls_wait_for (aw, timeout);
  ls_value_unref (aw);
  return co;
}

static LsValue
wait_list (LsValue list, double timeout, LsReturnWhen when)
{
  return ls_wait (ls_list_len (list), list_items (list), timeout, when);
}

/* The main coroutines keep their tasks in t[] of their LsTestLocals, a
 * gather, as_completed() or other value in value, and a counter in i. */

/* work(name, delay): sleeps, then prints or raises as its flags say. */
typedef struct {
  char name[16];
  double delay;
  gboolean print;          /* print(name, "finished at", time) */
  const char *fail;        /* raise ValueError(fail) after the sleep */
  gboolean ret_delay;      /* return delay (an int) instead of name */
  gboolean report_cancel;  /* print(name, "cancelled at", time) and re-raise */
} Work;

static LsCCoroAction
work_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Work *w = co->data;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_test_await_sleep (co, 1, out, w->delay);
    case 1:
      if (thrown && w->report_cancel && ls_exc_matches (in, &ls_exc_CancelledError))
        ls_test_print ("%s cancelled at %s", w->name, ls_test_now ());
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      if (w->print)
        ls_test_print ("%s finished at %s", w->name, ls_test_now ());
      if (w->fail)
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_ValueError, "%s", w->fail));
      if (w->ret_delay)
        return ls_ccoro_return (out, ls_int ((gint64) w->delay));
      return ls_ccoro_return (out, ls_str_new (w->name));
    }
  g_assert_not_reached ();
}

static LsValue
work_new (const char *name, double delay)
{
  Work *w = g_new0 (Work, 1);
  g_strlcpy (w->name, name, sizeof w->name);
  w->delay = delay;
  return ls_ccoro_new ("work", work_step, w, g_free);
}

static Work *
work_of (LsValue coro)
{
  return ((LsCCoro *) ls_value_as_object (coro))->data;
}

/* ok(delay): sleep, return delay */
static LsValue
ok_new (double delay)
{
  LsValue c = work_new ("ok", delay);
  work_of (c)->ret_delay = TRUE;
  return c;
}

/* bad(delay): sleep, raise ValueError(msg) */
static LsValue
bad_new (double delay, const char *msg)
{
  LsValue c = work_new ("bad", delay);
  work_of (c)->fail = msg;
  return c;
}

/* ---- wait_first_completed.py --------------------------------------------- */

static LsCCoroAction
wait_first_completed_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  static const struct { const char *n; double d; } spec[] = { { "a", 2 }, { "b", 1 }, { "c", 1.5 } };
  LsValue done, pending, results;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      for (guint i = 0; i < 3; i++)
        {
          LsValue c = work_new (spec[i].n, spec[i].d);
          work_of (c)->print = TRUE;
          m->t[i] = ls_test_create_task (c, spec[i].n);
        }
      return ls_ccoro_await (co, 1, out, ls_wait (3, m->t, LS_NO_TIMEOUT, LS_FIRST_COMPLETED));
    case 1:
      done = tuple_get (in, 0);
      pending = tuple_get (in, 1);
      print_done_pending (in);
      results = ls_list_new ();
      for (guint i = 0; i < ls_list_len (done); i++)
        {
          LsValue r;
          ls_future_result (FUT (ls_list_get (done, i)), &r);
          ls_list_append (results, r);
        }
      ls_test_print ("results %s", ls_test_repr (results));
      ls_value_unref (results);
      return ls_ccoro_await (co, 2, out, wait_list (pending, LS_NO_TIMEOUT, LS_FIRST_COMPLETED));
    case 2:
      print_done_pending (in);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- wait_first_exception.py ----------------------------------------------- */

static LsCCoroAction
wait_first_exception_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue exc;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->t[0] = ls_test_create_task (ok_new (1), "ok1");
      m->t[1] = ls_test_create_task (bad_new (2, "bad after 2"), "bad2");
      m->t[2] = ls_test_create_task (ok_new (3), "ok3");
      m->t[3] = ls_test_create_task (ok_new (4), "ok4");
      return ls_ccoro_await (co, 1, out, ls_wait (4, m->t, LS_NO_TIMEOUT, LS_FIRST_EXCEPTION));
    case 1:
      print_done_pending (in);
      ls_future_exception (FUT (m->t[1]), &exc);
      ls_test_print ("exception %s", ls_test_repr (exc));
      ls_value_unref (exc);
      return ls_ccoro_await (co, 2, out, wait_list (tuple_get (in, 1), LS_NO_TIMEOUT,
                                                    LS_FIRST_EXCEPTION));
    case 2:
      print_done_pending (in);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- wait_all_completed.py ------------------------------------------------------ */

static LsCCoroAction
wait_all_completed_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue fs[4], done, sorted[3];
  guint n;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      m->t[0] = ls_test_create_task (ok_new (1), "x");
      m->t[1] = ls_test_create_task (bad_new (2, "bad"), "y");
      m->t[2] = ls_test_create_task (ok_new (3), "z");
      ls_test_call_later_cancel (1.5, m->t[2]);
      fs[0] = m->t[0];
      fs[1] = m->t[1];
      fs[2] = m->t[0];
      fs[3] = m->t[2];
      return ls_ccoro_await (co, 1, out, ls_wait (4, fs, LS_NO_TIMEOUT, LS_ALL_COMPLETED));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      done = tuple_get (in, 0);
      n = ls_list_len (done);
      ls_test_print ("%u done %u pending at %s", n, ls_list_len (tuple_get (in, 1)), ls_test_now ());
      /* sorted by name: x, y, z are also the creation order */
      g_assert_cmpuint (n, ==, 3);
      for (guint i = 0; i < n && i < 3; i++)
        sorted[i] = ls_list_get (done, i);
      for (guint i = 0; i < n && i < 3; i++)
        {
          LsFuture *f = FUT (sorted[i]);
          char *name = ls_task_get_name (TASK (sorted[i]));
          LsValue v;
          if (ls_future_cancelled (f))
            ls_test_print ("%s cancelled", name);
          else
            {
              ls_future_exception (f, &v);
              if (!ls_is_none (v))
                ls_test_print ("%s exception %s", name, ls_test_repr (v));
              else
                {
                  ls_future_result (f, &v);
                  ls_test_print ("%s result %s", name, ls_test_str (v));
                }
              ls_value_unref (v);
            }
          g_free (name);
        }
      return ls_ccoro_await (co, 2, out, ls_wait (0, NULL, LS_NO_TIMEOUT, LS_ALL_COMPLETED));
    case 2:
      if (!ls_test_caught (in, thrown, &ls_exc_ValueError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no ValueError"));
      ls_test_print ("ValueError: %s", ls_test_keep (ls_exc_str (in)));
      m->value = ok_new (1);
      return ls_ccoro_await (co, 3, out, ls_wait (1, &m->value, LS_NO_TIMEOUT, LS_ALL_COMPLETED));
    case 3:
      if (!ls_test_caught (in, thrown, &ls_exc_TypeError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no TypeError"));
      ls_test_print ("TypeError: %s", ls_test_keep (ls_exc_str (in)));
      ls_coro_close (m->value);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- wait_timeout.py ---------------------------------------------------------- */

static LsCCoroAction
wait_timeout_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc > 0 && co->pc < 4)
    print_done_pending (in);
  switch (co->pc)
    {
    case 0:
      m->t[0] = ls_test_create_task (ok_new (1), "a");
      m->t[1] = ls_test_create_task (ok_new (5), "b");
      m->t[2] = ls_test_create_task (ok_new (3), "c");
      return ls_ccoro_await (co, 1, out, ls_wait (3, m->t, 2, LS_ALL_COMPLETED));
    case 1:
      return ls_ccoro_await (co, 2, out, ls_wait (1, &m->t[2], 10, LS_ALL_COMPLETED));
    case 2:
      ls_future_cancel (FUT (m->t[1]), ls_none ());
      return ls_ccoro_await (co, 3, out, ls_wait (1, &m->t[1], 0, LS_ALL_COMPLETED));
    case 3:
      return ls_ccoro_await (co, 4, out, ls_wait (1, &m->t[1], LS_NO_TIMEOUT, LS_ALL_COMPLETED));
    case 4:
      ls_test_print ("b cancelled %s at %s", ls_test_bool (ls_future_cancelled (FUT (m->t[1]))),
                     ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- waitfor_completes.py ------------------------------------------------------ */

/* slow(x, delay): sleep, return x * 2 (x in n) */
static LsCCoroAction
slow_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, s->delay);
  return ls_ccoro_return (out, ls_int (s->n * 2));
}

static LsValue
slow_new (gint64 x, double delay)
{
  return LS_TEST_CORO ("slow", slow_step, .n = x, .delay = delay);
}

static LsCCoroAction
waitfor_completes_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, wait_for_take (slow_new (21, 1), 5));
    case 1:
      ls_test_print ("coroutine %s at %s", ls_test_repr (in), ls_test_now ());
      m->t[0] = ls_test_create_task (slow_new (5, 1), "t");
      return ls_ccoro_await (co, 2, out, ls_wait_for (m->t[0], 2));
    case 2:
      ls_test_print ("task %s at %s", ls_test_repr (in), ls_test_now ());
      return ls_ccoro_await (co, 3, out, wait_for_take (slow_new (1, 1), LS_NO_TIMEOUT));
    case 3:
      ls_test_print ("no timeout %s at %s", ls_test_repr (in), ls_test_now ());
      return ls_test_await_sleep (co, 4, out, 10);
    case 4:
      ls_test_print ("still alive at %s cancelling %u", ls_test_now (),
                     ls_test_cancelling ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- waitfor_timeout.py ----------------------------------------------------- */

/* forever(): sleep an hour; report a cancellation and re-raise it */
static LsCCoroAction
forever_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (co->pc == 0)
    {
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_test_await_sleep (co, 1, out, 3600);
    }
  if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
    ls_test_print ("inner cancelled at %s", ls_test_now ());
  return ls_ccoro_pass (in, thrown, out);
}

static LsValue
forever_new (void)
{
  return ls_ccoro_new ("forever", forever_step, NULL, NULL);
}

static LsCCoroAction
waitfor_timeout_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 1, out, wait_for_take (forever_new (), 1.5));
    case 1:
      if (!ls_test_caught (in, thrown, &ls_exc_TimeoutError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no TimeoutError"));
      ls_test_print ("TimeoutError %s cause %s at %s", ls_test_repr (in),
                     ls_test_exc_cause (in), ls_test_now ());
      m->t[0] = ls_test_create_task (forever_new (), "hour");
      return ls_ccoro_await (co, 2, out, ls_wait_for (m->t[0], 2));
    case 2:
      if (!ls_test_caught (in, thrown, &ls_exc_TimeoutError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no TimeoutError"));
      ls_test_print ("timeout; task cancelled %s at %s",
                     ls_test_bool (ls_future_cancelled (FUT (m->t[0]))), ls_test_now ());
      ls_test_print ("cancelling %u",
                     ls_test_cancelling ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- waitfor_ignores_cancel.py ------------------------------------------------ */

/* stubborn(): swallows the first cancellation, then returns "value" */
static LsCCoroAction
stubborn_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_test_await_sleep (co, 1, out, 10);
    case 1:
      if (thrown && !ls_exc_matches (in, &ls_exc_CancelledError))
        return ls_ccoro_pass (in, thrown, out);
      if (thrown)
        ls_test_print ("swallowed cancel at %s", ls_test_now ());
      return ls_test_await_sleep (co, 2, out, 1);
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_str_new ("value"));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
waitfor_ignores_cancel_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsTask *me = ls_loop_current_task (ls_loop_get_running ());

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->t[0] = ls_test_create_task (ls_ccoro_new ("stubborn", stubborn_step, NULL, NULL), "stubborn");
      return ls_ccoro_await (co, 1, out, ls_wait_for (m->t[0], 1));
    case 1:
      ls_test_print ("task: %s at %s cancelled %s cancelling %u", ls_test_repr (in), ls_test_now (),
                     ls_test_bool (ls_future_cancelled (FUT (m->t[0]))), ls_task_cancelling (me));
      return ls_ccoro_await (co, 2, out,
                             wait_for_take (ls_ccoro_new ("stubborn", stubborn_step, NULL, NULL), 1));
    case 2:
      ls_test_print ("coroutine: %s at %s cancelling %u", ls_test_repr (in), ls_test_now (),
                     ls_task_cancelling (me));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- waitfor_zero.py ------------------------------------------------------------ */

/* func(): print("func started"); return 1 */
static LsCCoroAction
func_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  ls_test_print ("func started");
  return ls_ccoro_return (out, ls_int (1));
}

static LsCCoroAction
waitfor_zero_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue err;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 1, out, wait_for_take (ls_ccoro_new ("func", func_step, NULL, NULL), 0));
    case 1:
      if (!ls_test_caught (in, thrown, &ls_exc_TimeoutError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no TimeoutError"));
      ls_test_print ("TimeoutError, cause %s at %s", ls_test_exc_cause (in), ls_test_now ());
      m->value = ls_future_new (loop);
      if (!ls_future_set_result (FUT (m->value), ls_int (7), &err))
        return ls_ccoro_raise (out, err);
      return ls_ccoro_await (co, 2, out, ls_wait_for (m->value, 0));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("done future %s", ls_test_repr (in));
      m->t[0] = ls_test_create_task (ls_ccoro_new ("func", func_step, NULL, NULL), "t");
      return ls_test_await_sleep (co, 3, out, 0);
    case 3:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 4, out, ls_wait_for (m->t[0], -0.5));
    case 4:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("done task %s", ls_test_repr (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- ascompleted_order.py --------------------------------------------------------- */

static LsCCoroAction
ascompleted_order_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  static const struct { const char *n; double d; } spec[] = {
    { "a", 3 }, { "b", 1 }, { "c", 2 }, { "d", 1.5 },
  };

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      for (guint i = 0; i < 4; i++)
        {
          LsValue c = work_new (spec[i].n, spec[i].d);
          if (i == 3)
            work_of (c)->fail = "d failed";
          m->t[i] = ls_test_create_task (c, spec[i].n);
        }
      if (!ls_as_completed (ls_loop_get_running (), 4, m->t, LS_NO_TIMEOUT, &m->value))
        return ls_ccoro_raise (out, ls_value_steal (&m->value));
      break;
    case 1:
      if (ls_test_caught (in, thrown, &ls_exc_ValueError))
        ls_test_print ("ValueError %s at %s", ls_test_str (in), ls_test_now ());
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      else
        ls_test_print ("%s at %s", ls_test_str (in), ls_test_now ());
      m->i++;
      break;
    default:
      g_assert_not_reached ();
    }
  /* for coro in as_completed(tasks): */
  if (m->i < ls_list_len (m->value))
    return ls_ccoro_await (co, 1, out, ls_value_ref (ls_list_get (m->value, m->i)));
  return ls_ccoro_return (out, ls_none ());
}

/* ---- ascompleted_timeout.py ----------------------------------------------------- */

static LsCCoroAction
ascompleted_timeout_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  static const struct { const char *n; double d; } spec[] = { { "a", 1 }, { "b", 5 }, { "c", 6 } };

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      for (guint i = 0; i < 3; i++)
        m->t[i] = ls_test_create_task (work_new (spec[i].n, spec[i].d), spec[i].n);
      if (!ls_as_completed (ls_loop_get_running (), 3, m->t, 2, &m->value))
        return ls_ccoro_raise (out, ls_value_steal (&m->value));
      break;
    case 1:
      if (ls_test_caught (in, thrown, &ls_exc_TimeoutError))
        ls_test_print ("TimeoutError %s at %s", ls_test_repr (in), ls_test_now ());
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      else
        ls_test_print ("%s at %s", ls_test_str (in), ls_test_now ());
      m->i++;
      break;
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s at %s", name_flags (3, m->t, ls_future_cancelled), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    default:
      g_assert_not_reached ();
    }
  if (m->i < ls_list_len (m->value))
    return ls_ccoro_await (co, 1, out, ls_value_ref (ls_list_get (m->value, m->i)));
  ls_test_print ("%s", name_flags (3, m->t, ls_future_done));
  for (guint i = 0; i < 3; i++)
    ls_future_cancel (FUT (m->t[i]), ls_none ());
  return ls_ccoro_await (co, 2, out, ls_wait (3, m->t, LS_NO_TIMEOUT, LS_ALL_COMPLETED));
}

/* ---- shield_outer_cancelled.py -------------------------------------------------- */

static LsCCoroAction
shield_inner_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    return ls_test_await_sleep (co, 1, out, 2);
  ls_test_print ("inner finished at %s", ls_test_now ());
  return ls_ccoro_return (out, ls_str_new ("inner result"));
}

/* waiter(t): return await asyncio.shield(t), reporting a cancellation */
static LsCCoroAction
shield_waiter_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *l = co->data;     /* value: t */
  LsValue outer;

  if (co->pc == 0)
    {
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      if (!ls_shield (ls_loop_get_running (), l->value, &outer))
        return ls_ccoro_raise (out, outer);
      return ls_ccoro_await (co, 1, out, outer);
    }
  if (ls_test_caught (in, thrown, &ls_exc_CancelledError))
    ls_test_print ("waiter cancelled at %s", ls_test_now ());
  return ls_ccoro_pass (in, thrown, out);
}

static LsCCoroAction
shield_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue outer;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      m->t[0] = ls_test_create_task (ls_ccoro_new ("inner", shield_inner_step, NULL, NULL), "inner");
      m->t[1] = ls_test_create_task (LS_TEST_CORO ("waiter", shield_waiter_step,
                                                   .value = ls_value_ref (m->t[0])), "waiter");
      return ls_test_await_sleep (co, 1, out, 1);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("cancel %s", ls_test_bool (ls_future_cancel (FUT (m->t[1]), ls_none ())));
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->t[1]));
    case 2:
      if (!ls_test_caught (in, thrown, &ls_exc_CancelledError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no CancelledError"));
      ls_test_print ("w cancelled %s inner done %s", ls_test_bool (ls_future_cancelled (FUT (m->t[1]))),
                     ls_test_bool (ls_future_done (FUT (m->t[0]))));
      return ls_ccoro_await (co, 3, out, ls_value_ref (m->t[0]));
    case 3:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s at %s", ls_test_str (in), ls_test_now ());
      if (!ls_shield (NULL, m->t[0], &outer))
        return ls_ccoro_raise (out, outer);
      ls_test_print ("shield of a done task is the task: %s",
                     ls_test_bool (ls_value_identical (outer, m->t[0])));
      ls_value_unref (outer);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- gather_cancel.py ----------------------------------------------------------- */

static LsCCoroAction
gather_cancel_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  static const struct { const char *n; double d; } spec[] = { { "a", 1 }, { "b", 5 }, { "c", 5 } };
  LsValue r;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      for (guint i = 0; i < 3; i++)
        {
          LsValue c = work_new (spec[i].n, spec[i].d);
          work_of (c)->report_cancel = TRUE;
          m->t[i] = ls_test_create_task (c, spec[i].n);
        }
      if (!ls_gather (ls_loop_get_running (), 3, m->t, FALSE, &m->value))
        return ls_ccoro_raise (out, ls_value_steal (&m->value));
      return ls_test_await_sleep (co, 1, out, 2);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("cancel returned %s", ls_test_bool (ls_future_cancel (FUT (m->value), ls_none ())));
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->value));
    case 2:
      if (!ls_test_caught (in, thrown, &ls_exc_CancelledError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no CancelledError"));
      ls_test_print ("gather cancelled %s", ls_test_bool (ls_future_cancelled (FUT (m->value))));
      ls_test_print ("%s", name_flags (3, m->t, ls_future_cancelled));
      ls_future_result (FUT (m->t[0]), &r);
      ls_test_print ("a result %s", ls_test_str (r));
      ls_value_unref (r);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- gather_return_exceptions.py ------------------------------------------------- */

static LsCCoroAction
gather_return_exceptions_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue aws[3], g;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      {
        LsValue slow = work_new ("slow", 10);
        m->t[0] = ls_test_create_task (slow, "slow");
      }
      ls_test_call_later_cancel (1.5, m->t[0]);
      aws[0] = bad_new (1, "boom");
      aws[1] = work_new ("ok", 2);
      aws[2] = ls_value_ref (m->t[0]);
      if (!ls_gather (ls_loop_get_running (), 3, aws, TRUE, &g))
        g_assert_not_reached ();
      for (guint i = 0; i < 3; i++)
        ls_value_unref (aws[i]);
      return ls_ccoro_await (co, 1, out, g);
    case 1:
      ls_test_print ("%s at %s", ls_test_repr (in), ls_test_now ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- gather_duplicate.py --------------------------------------------------------- */

/* once(x): print("once runs", x); sleep(1); return x (x in n) */
static LsCCoroAction
once_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *l = co->data;
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      ls_test_print ("once runs %" G_GINT64_FORMAT, l->n);
      return ls_test_await_sleep (co, 1, out, 1);
    }
  return ls_ccoro_return (out, ls_int (l->n));
}

static LsCCoroAction
gather_duplicate_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *m = co->data;
  LsValue aws[3];

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->value = LS_TEST_CORO ("once", once_step, .n = 42);
      aws[0] = aws[1] = m->value;
      return ls_test_await_gather (co, 1, out, 2, aws, FALSE);
    case 1:
      ls_test_print ("%s", ls_test_repr (in));
      m->t[0] = ls_test_create_task (LS_TEST_CORO ("once", once_step, .n = 7), "t");
      aws[0] = aws[1] = aws[2] = m->t[0];
      return ls_test_await_gather (co, 2, out, 3, aws, FALSE);
    case 2:
      ls_test_print ("%s", ls_test_repr (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- gather_empty.py ---------------------------------------------------------- */

static LsCCoroAction
gather_empty_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue g, r;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      if (!ls_gather (ls_loop_get_running (), 0, NULL, FALSE, &g))
        return ls_ccoro_raise (out, g);
      ls_future_result (FUT (g), &r);
      ls_test_print ("%s %s", ls_test_bool (ls_future_done (FUT (g))), ls_test_repr (r));
      ls_value_unref (r);
      ls_value_unref (g);
      return ls_test_await_gather (co, 1, out, 0, NULL, FALSE);
    case 1:
      ls_test_print ("%s", ls_test_repr (in));
      return ls_test_await_gather (co, 2, out, 0, NULL, TRUE);
    case 2:
      ls_test_print ("%s", ls_test_repr (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- misuse ------------------------------------------------------------------ */

/* Bad arguments give exceptions, never an abort. */
static LsCCoroAction
misuse_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue bad = ls_int (3), r;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_wait (1, &bad, LS_NO_TIMEOUT, LS_ALL_COMPLETED));
    case 1:
      g_assert_true (thrown);
      g_assert_true (ls_exc_matches (in, &ls_exc_TypeError));
      return ls_ccoro_await (co, 2, out, ls_wait (1, &bad, LS_NO_TIMEOUT, (LsReturnWhen) 7));
    case 2:
      g_assert_true (thrown);
      g_assert_true (ls_exc_matches (in, &ls_exc_ValueError));
      g_assert_false (ls_as_completed (NULL, 1, &bad, LS_NO_TIMEOUT, &r));
      g_assert_true (ls_exc_matches (r, &ls_exc_TypeError));
      ls_value_unref (r);
      g_assert_false (ls_shield (NULL, bad, &r));
      g_assert_true (ls_exc_matches (r, &ls_exc_TypeError));
      ls_value_unref (r);
      return ls_ccoro_await (co, 3, out, ls_wait_for (bad, 1));
    case 3:
      /* `await 3` inside the timeout block */
      g_assert_true (thrown);
      g_assert_true (ls_exc_matches (in, &ls_exc_TypeError));
      return ls_ccoro_await (co, 4, out, ls_wait_for (bad, 0));
    case 4:
      g_assert_true (thrown);
      g_assert_true (ls_exc_matches (in, &ls_exc_TypeError));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_misuse (void)
{
  LsTestRun *run = ls_test_run_new ();
  LsValue r;

  /* outside a running loop */
  g_assert_false (ls_as_completed (NULL, 0, NULL, LS_NO_TIMEOUT, &r));
  g_assert_true (ls_exc_matches (r, &ls_exc_RuntimeError));
  ls_value_unref (r);
  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", misuse_main, NULL, NULL)));
  ls_test_run_free (run);
}

static const LsTest tests[] = {
  LS_TEST_CASE_NO_STDERR ("/engine/wait/wait-first-completed", "wait_first_completed",
                          wait_first_completed_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/wait-first-exception", "wait_first_exception",
                          wait_first_exception_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/wait-all-completed", "wait_all_completed",
                          wait_all_completed_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/wait-timeout", "wait_timeout", wait_timeout_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/waitfor-completes", "waitfor_completes", waitfor_completes_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/waitfor-timeout", "waitfor_timeout", waitfor_timeout_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/waitfor-ignores-cancel", "waitfor_ignores_cancel",
                          waitfor_ignores_cancel_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/waitfor-zero", "waitfor_zero", waitfor_zero_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/ascompleted-order", "ascompleted_order", ascompleted_order_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/ascompleted-timeout", "ascompleted_timeout",
                          ascompleted_timeout_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/shield-outer-cancelled", "shield_outer_cancelled", shield_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/gather-cancel", "gather_cancel", gather_cancel_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/gather-return-exceptions", "gather_return_exceptions",
                          gather_return_exceptions_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/gather-duplicate", "gather_duplicate", gather_duplicate_main),
  LS_TEST_CASE_NO_STDERR ("/engine/wait/gather-empty", "gather_empty", gather_empty_main),
  LS_TEST_FUNC ("/engine/wait/misuse", test_misuse),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
