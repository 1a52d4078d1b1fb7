/* test-wait.c - wait(), wait_for(), as_completed(), shield() and the corner
 * cases of gather() against CPython.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py: the same awaits in
 * the same order, so the engine must print the same lines and take the same
 * task steps at the same virtual times as CPython 3.12 did.
 */
#include "ls-test-harness.h"

#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

/* Strings handed to ls_test_print live in a small ring, so that one print
 * can show several reprs without freeing each by hand. */
static const char *
keep (char *s)
{
  static char *ring[16];
  static guint next;
  guint i = next++ % G_N_ELEMENTS (ring);
  g_free (ring[i]);
  ring[i] = s;
  return s;
}

static const char *R (LsValue v) { return keep (ls_value_repr (v)); }
static const char *S (LsValue v) { return keep (ls_value_str (v)); }
static const char *B (gboolean b) { return b ? "True" : "False"; }

static const char *
T (double d)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  ls_float_repr (d, buf);
  return keep (g_strdup (buf));
}

static const char *
NOW (void)
{
  return T (ls_loop_time (ls_loop_get_running ()));
}

static LsTask *
TASK (LsValue v)
{
  return (LsTask *) v.u.o;
}

static LsFuture *
FUT (LsValue v)
{
  return ls_future_from (v);
}

/* asyncio.create_task(coro, name=name): 3.12 creates the task unnamed (so
 * it takes a Task-N number) and then renames it. */
static LsValue
create_task (LsValue coro, const char *name)
{
  LsValue t = ls_task_new (ls_loop_get_running (), coro, NULL);
  if (name)
    ls_task_set_name (TASK (t), name);
  return t;
}

static LsValue *
list_items (LsValue list)
{
  return (LsValue *) ((LsList *) list.u.o)->items->data;
}

static LsValue
tuple_get (LsValue t, guint i)
{
  return ((LsTuple *) t.u.o)->items[i];
}

static gint
strcmp_p (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* sorted(t.get_name() for t in tasks), as Python prints it */
static const char *
names (LsValue list)
{
  GPtrArray *n = g_ptr_array_new_with_free_func (g_free);
  GString *s = g_string_new ("[");

  for (guint i = 0; i < ls_list_len (list); i++)
    g_ptr_array_add (n, ls_task_get_name (TASK (ls_list_get (list, i))));
  g_ptr_array_sort (n, strcmp_p);
  for (guint i = 0; i < n->len; i++)
    g_string_append_printf (s, "%s'%s'", i ? ", " : "", (char *) g_ptr_array_index (n, i));
  g_string_append_c (s, ']');
  g_ptr_array_free (n, TRUE);
  return keep (g_string_free (s, FALSE));
}

/* [(t.get_name(), t.done() or t.cancelled()) for t in tasks] */
static const char *
name_flags (guint n, const LsValue *tasks, gboolean (*flag) (LsFuture *))
{
  GString *s = g_string_new ("[");
  for (guint i = 0; i < n; i++)
    {
      char *name = ls_task_get_name (TASK (tasks[i]));
      g_string_append_printf (s, "%s('%s', %s)", i ? ", " : "", name, B (flag (FUT (tasks[i]))));
      g_free (name);
    }
  g_string_append_c (s, ']');
  return keep (g_string_free (s, FALSE));
}

/* A bound method `fut.cancel` as a value, for call_later. */
static gboolean
cancel_builtin (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_bool (ls_future_cancel (FUT (self), ls_none ()));
  return TRUE;
}

static void
call_later_cancel (double delay, LsValue fut)
{
  LsValue cb = ls_builtin_new ("cancel", cancel_builtin, ls_value_ref (fut), NULL, NULL);
  ls_object_unref (ls_loop_call_later (ls_loop_get_running (), delay, ls_callback_value (cb),
                                       0, NULL));
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

/* Task data for the main coroutines: up to four tasks and two values. */
typedef struct {
  LsValue t[4];
  LsValue a, b;
  guint i;
} Main;

static void
main_free (gpointer p)
{
  Main *m = p;
  for (guint i = 0; i < G_N_ELEMENTS (m->t); i++)
    ls_value_unref (m->t[i]);
  ls_value_unref (m->a);
  ls_value_unref (m->b);
  g_free (m);
}

static LsValue
main_new (LsCCoroFn fn)
{
  return ls_ccoro_new ("main", fn, g_new0 (Main, 1), main_free);
}

static void
run_case (const char *name, LsCCoroFn main_fn)
{
  LsTestRun *run = ls_test_run_new ();
  ls_test_asyncio_run (run, main_new (main_fn));
  ls_test_check_case (run, name);
  g_assert_cmpstr (run->err->str, ==, "");
  ls_test_run_free (run);
}

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
      return ls_ccoro_await (co, 1, out, ls_sleep (w->delay, ls_none ()));
    case 1:
      if (thrown && w->report_cancel && ls_exc_matches (in, &ls_exc_CancelledError))
        ls_test_print ("%s cancelled at %s", w->name, NOW ());
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      if (w->print)
        ls_test_print ("%s finished at %s", w->name, NOW ());
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
  return ((LsCCoro *) coro.u.o)->data;
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
  Main *m = co->data;
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
          m->t[i] = create_task (c, spec[i].n);
        }
      return ls_ccoro_await (co, 1, out, ls_wait (3, m->t, LS_NO_TIMEOUT, LS_FIRST_COMPLETED));
    case 1:
      done = tuple_get (in, 0);
      pending = tuple_get (in, 1);
      ls_test_print ("done %s pending %s at %s", names (done), names (pending), NOW ());
      results = ls_list_new ();
      for (guint i = 0; i < ls_list_len (done); i++)
        {
          LsValue r;
          ls_future_result (FUT (ls_list_get (done, i)), &r);
          ls_list_append (results, r);
        }
      ls_test_print ("results %s", R (results));
      ls_value_unref (results);
      return ls_ccoro_await (co, 2, out, wait_list (pending, LS_NO_TIMEOUT, LS_FIRST_COMPLETED));
    case 2:
      ls_test_print ("done %s pending %s at %s", names (tuple_get (in, 0)),
                     names (tuple_get (in, 1)), NOW ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_wait_first_completed (void)
{
  run_case ("wait_first_completed", wait_first_completed_main);
}

/* ---- wait_first_exception.py ----------------------------------------------- */

static LsCCoroAction
wait_first_exception_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  LsValue exc;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->t[0] = create_task (ok_new (1), "ok1");
      m->t[1] = create_task (bad_new (2, "bad after 2"), "bad2");
      m->t[2] = create_task (ok_new (3), "ok3");
      m->t[3] = create_task (ok_new (4), "ok4");
      return ls_ccoro_await (co, 1, out, ls_wait (4, m->t, LS_NO_TIMEOUT, LS_FIRST_EXCEPTION));
    case 1:
      ls_test_print ("done %s pending %s at %s", names (tuple_get (in, 0)),
                     names (tuple_get (in, 1)), NOW ());
      ls_future_exception (FUT (m->t[1]), &exc);
      ls_test_print ("exception %s", R (exc));
      ls_value_unref (exc);
      return ls_ccoro_await (co, 2, out, wait_list (tuple_get (in, 1), LS_NO_TIMEOUT,
                                                    LS_FIRST_EXCEPTION));
    case 2:
      ls_test_print ("done %s pending %s at %s", names (tuple_get (in, 0)),
                     names (tuple_get (in, 1)), NOW ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_wait_first_exception (void)
{
  run_case ("wait_first_exception", wait_first_exception_main);
}

/* ---- wait_all_completed.py ------------------------------------------------------ */

static LsCCoroAction
wait_all_completed_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  LsValue fs[4], done, sorted[3];
  guint n;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      m->t[0] = create_task (ok_new (1), "x");
      m->t[1] = create_task (bad_new (2, "bad"), "y");
      m->t[2] = create_task (ok_new (3), "z");
      call_later_cancel (1.5, m->t[2]);
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
      ls_test_print ("%u done %u pending at %s", n, ls_list_len (tuple_get (in, 1)), NOW ());
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
                ls_test_print ("%s exception %s", name, R (v));
              else
                {
                  ls_future_result (f, &v);
                  ls_test_print ("%s result %s", name, S (v));
                }
              ls_value_unref (v);
            }
          g_free (name);
        }
      return ls_ccoro_await (co, 2, out, ls_wait (0, NULL, LS_NO_TIMEOUT, LS_ALL_COMPLETED));
    case 2:
      if (!thrown || !ls_exc_matches (in, &ls_exc_ValueError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no ValueError"));
      ls_test_print ("ValueError: %s", keep (ls_exc_str (in)));
      m->a = ok_new (1);
      return ls_ccoro_await (co, 3, out, ls_wait (1, &m->a, LS_NO_TIMEOUT, LS_ALL_COMPLETED));
    case 3:
      if (!thrown || !ls_exc_matches (in, &ls_exc_TypeError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no TypeError"));
      ls_test_print ("TypeError: %s", keep (ls_exc_str (in)));
      ls_coro_close (m->a);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_wait_all_completed (void)
{
  run_case ("wait_all_completed", wait_all_completed_main);
}

/* ---- wait_timeout.py ---------------------------------------------------------- */

static LsCCoroAction
wait_timeout_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc > 0 && co->pc < 4)
    ls_test_print ("done %s pending %s at %s", names (tuple_get (in, 0)),
                   names (tuple_get (in, 1)), NOW ());
  switch (co->pc)
    {
    case 0:
      m->t[0] = create_task (ok_new (1), "a");
      m->t[1] = create_task (ok_new (5), "b");
      m->t[2] = create_task (ok_new (3), "c");
      return ls_ccoro_await (co, 1, out, ls_wait (3, m->t, 2, LS_ALL_COMPLETED));
    case 1:
      return ls_ccoro_await (co, 2, out, ls_wait (1, &m->t[2], 10, LS_ALL_COMPLETED));
    case 2:
      ls_future_cancel (FUT (m->t[1]), ls_none ());
      return ls_ccoro_await (co, 3, out, ls_wait (1, &m->t[1], 0, LS_ALL_COMPLETED));
    case 3:
      return ls_ccoro_await (co, 4, out, ls_wait (1, &m->t[1], LS_NO_TIMEOUT, LS_ALL_COMPLETED));
    case 4:
      ls_test_print ("b cancelled %s at %s", B (ls_future_cancelled (FUT (m->t[1]))), NOW ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_wait_timeout (void)
{
  run_case ("wait_timeout", wait_timeout_main);
}

/* ---- waitfor_completes.py ------------------------------------------------------ */

/* slow(x, delay): sleep, return x * 2 */
typedef struct {
  gint64 x;
  double delay;
} Slow;

static LsCCoroAction
slow_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Slow *s = co->data;
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_sleep (s->delay, ls_none ()));
  return ls_ccoro_return (out, ls_int (s->x * 2));
}

static LsValue
slow_new (gint64 x, double delay)
{
  Slow *s = g_new0 (Slow, 1);
  s->x = x;
  s->delay = delay;
  return ls_ccoro_new ("slow", slow_step, s, g_free);
}

static LsCCoroAction
waitfor_completes_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, wait_for_take (slow_new (21, 1), 5));
    case 1:
      ls_test_print ("coroutine %s at %s", R (in), NOW ());
      m->t[0] = create_task (slow_new (5, 1), "t");
      return ls_ccoro_await (co, 2, out, ls_wait_for (m->t[0], 2));
    case 2:
      ls_test_print ("task %s at %s", R (in), NOW ());
      return ls_ccoro_await (co, 3, out, wait_for_take (slow_new (1, 1), LS_NO_TIMEOUT));
    case 3:
      ls_test_print ("no timeout %s at %s", R (in), NOW ());
      return ls_ccoro_await (co, 4, out, ls_sleep (10, ls_none ()));
    case 4:
      ls_test_print ("still alive at %s cancelling %u", NOW (),
                     ls_task_cancelling (ls_loop_current_task (ls_loop_get_running ())));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_waitfor_completes (void)
{
  run_case ("waitfor_completes", waitfor_completes_main);
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
      return ls_ccoro_await (co, 1, out, ls_sleep (3600, ls_none ()));
    }
  if (thrown && ls_exc_matches (in, &ls_exc_CancelledError))
    ls_test_print ("inner cancelled at %s", NOW ());
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
  Main *m = co->data;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 1, out, wait_for_take (forever_new (), 1.5));
    case 1:
      if (!thrown || !ls_exc_matches (in, &ls_exc_TimeoutError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no TimeoutError"));
      ls_test_print ("TimeoutError %s cause %s at %s", R (in),
                     R (((LsException *) in.u.o)->cause), NOW ());
      m->t[0] = create_task (forever_new (), "hour");
      return ls_ccoro_await (co, 2, out, ls_wait_for (m->t[0], 2));
    case 2:
      if (!thrown || !ls_exc_matches (in, &ls_exc_TimeoutError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no TimeoutError"));
      ls_test_print ("timeout; task cancelled %s at %s",
                     B (ls_future_cancelled (FUT (m->t[0]))), NOW ());
      ls_test_print ("cancelling %u",
                     ls_task_cancelling (ls_loop_current_task (ls_loop_get_running ())));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_waitfor_timeout (void)
{
  run_case ("waitfor_timeout", waitfor_timeout_main);
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
      return ls_ccoro_await (co, 1, out, ls_sleep (10, ls_none ()));
    case 1:
      if (thrown && !ls_exc_matches (in, &ls_exc_CancelledError))
        return ls_ccoro_pass (in, thrown, out);
      if (thrown)
        ls_test_print ("swallowed cancel at %s", NOW ());
      return ls_ccoro_await (co, 2, out, ls_sleep (1, ls_none ()));
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
  Main *m = co->data;
  LsTask *me = ls_loop_current_task (ls_loop_get_running ());

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->t[0] = create_task (ls_ccoro_new ("stubborn", stubborn_step, NULL, NULL), "stubborn");
      return ls_ccoro_await (co, 1, out, ls_wait_for (m->t[0], 1));
    case 1:
      ls_test_print ("task: %s at %s cancelled %s cancelling %u", R (in), NOW (),
                     B (ls_future_cancelled (FUT (m->t[0]))), ls_task_cancelling (me));
      return ls_ccoro_await (co, 2, out,
                             wait_for_take (ls_ccoro_new ("stubborn", stubborn_step, NULL, NULL), 1));
    case 2:
      ls_test_print ("coroutine: %s at %s cancelling %u", R (in), NOW (), ls_task_cancelling (me));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_waitfor_ignores_cancel (void)
{
  run_case ("waitfor_ignores_cancel", waitfor_ignores_cancel_main);
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
  Main *m = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue err;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 1, out, wait_for_take (ls_ccoro_new ("func", func_step, NULL, NULL), 0));
    case 1:
      if (!thrown || !ls_exc_matches (in, &ls_exc_TimeoutError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no TimeoutError"));
      ls_test_print ("TimeoutError, cause %s at %s", R (((LsException *) in.u.o)->cause), NOW ());
      m->a = ls_future_new (loop);
      if (!ls_future_set_result (FUT (m->a), ls_int (7), &err))
        return ls_ccoro_raise (out, err);
      return ls_ccoro_await (co, 2, out, ls_wait_for (m->a, 0));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("done future %s", R (in));
      m->t[0] = create_task (ls_ccoro_new ("func", func_step, NULL, NULL), "t");
      return ls_ccoro_await (co, 3, out, ls_sleep (0, ls_none ()));
    case 3:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 4, out, ls_wait_for (m->t[0], -0.5));
    case 4:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("done task %s", R (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_waitfor_zero (void)
{
  run_case ("waitfor_zero", waitfor_zero_main);
}

/* ---- ascompleted_order.py --------------------------------------------------------- */

static LsCCoroAction
ascompleted_order_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
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
          m->t[i] = create_task (c, spec[i].n);
        }
      if (!ls_as_completed (ls_loop_get_running (), 4, m->t, LS_NO_TIMEOUT, &m->a))
        return ls_ccoro_raise (out, ls_value_steal (&m->a));
      break;
    case 1:
      if (thrown && ls_exc_matches (in, &ls_exc_ValueError))
        ls_test_print ("ValueError %s at %s", S (in), NOW ());
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      else
        ls_test_print ("%s at %s", S (in), NOW ());
      m->i++;
      break;
    default:
      g_assert_not_reached ();
    }
  /* for coro in as_completed(tasks): */
  if (m->i < ls_list_len (m->a))
    return ls_ccoro_await (co, 1, out, ls_value_ref (ls_list_get (m->a, m->i)));
  return ls_ccoro_return (out, ls_none ());
}

static void
test_ascompleted_order (void)
{
  run_case ("ascompleted_order", ascompleted_order_main);
}

/* ---- ascompleted_timeout.py ----------------------------------------------------- */

static LsCCoroAction
ascompleted_timeout_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  static const struct { const char *n; double d; } spec[] = { { "a", 1 }, { "b", 5 }, { "c", 6 } };

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      for (guint i = 0; i < 3; i++)
        m->t[i] = create_task (work_new (spec[i].n, spec[i].d), spec[i].n);
      if (!ls_as_completed (ls_loop_get_running (), 3, m->t, 2, &m->a))
        return ls_ccoro_raise (out, ls_value_steal (&m->a));
      break;
    case 1:
      if (thrown && ls_exc_matches (in, &ls_exc_TimeoutError))
        ls_test_print ("TimeoutError %s at %s", R (in), NOW ());
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      else
        ls_test_print ("%s at %s", S (in), NOW ());
      m->i++;
      break;
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s at %s", name_flags (3, m->t, ls_future_cancelled), NOW ());
      return ls_ccoro_return (out, ls_none ());
    default:
      g_assert_not_reached ();
    }
  if (m->i < ls_list_len (m->a))
    return ls_ccoro_await (co, 1, out, ls_value_ref (ls_list_get (m->a, m->i)));
  ls_test_print ("%s", name_flags (3, m->t, ls_future_done));
  for (guint i = 0; i < 3; i++)
    ls_future_cancel (FUT (m->t[i]), ls_none ());
  return ls_ccoro_await (co, 2, out, ls_wait (3, m->t, LS_NO_TIMEOUT, LS_ALL_COMPLETED));
}

static void
test_ascompleted_timeout (void)
{
  run_case ("ascompleted_timeout", ascompleted_timeout_main);
}

/* ---- shield_outer_cancelled.py -------------------------------------------------- */

static LsCCoroAction
shield_inner_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_sleep (2, ls_none ()));
  ls_test_print ("inner finished at %s", NOW ());
  return ls_ccoro_return (out, ls_str_new ("inner result"));
}

/* waiter(t): return await asyncio.shield(t), reporting a cancellation */
static LsCCoroAction
shield_waiter_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue *t = co->data, outer;

  if (co->pc == 0)
    {
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      if (!ls_shield (ls_loop_get_running (), *t, &outer))
        return ls_ccoro_raise (out, outer);
      return ls_ccoro_await (co, 1, out, outer);
    }
  if (thrown && ls_exc_matches (in, &ls_exc_CancelledError))
    ls_test_print ("waiter cancelled at %s", NOW ());
  return ls_ccoro_pass (in, thrown, out);
}

static void
value_box_free (gpointer p)
{
  ls_value_unref (*(LsValue *) p);
  g_free (p);
}

static LsCCoroAction
shield_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  LsValue *box, outer;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      m->t[0] = create_task (ls_ccoro_new ("inner", shield_inner_step, NULL, NULL), "inner");
      box = g_new (LsValue, 1);
      *box = ls_value_ref (m->t[0]);
      m->t[1] = create_task (ls_ccoro_new ("waiter", shield_waiter_step, box, value_box_free),
                             "waiter");
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("cancel %s", B (ls_future_cancel (FUT (m->t[1]), ls_none ())));
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->t[1]));
    case 2:
      if (!thrown || !ls_exc_matches (in, &ls_exc_CancelledError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no CancelledError"));
      ls_test_print ("w cancelled %s inner done %s", B (ls_future_cancelled (FUT (m->t[1]))),
                     B (ls_future_done (FUT (m->t[0]))));
      return ls_ccoro_await (co, 3, out, ls_value_ref (m->t[0]));
    case 3:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s at %s", S (in), NOW ());
      if (!ls_shield (NULL, m->t[0], &outer))
        return ls_ccoro_raise (out, outer);
      ls_test_print ("shield of a done task is the task: %s",
                     B (ls_value_identical (outer, m->t[0])));
      ls_value_unref (outer);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_shield_outer_cancelled (void)
{
  run_case ("shield_outer_cancelled", shield_main);
}

/* ---- gather_cancel.py ----------------------------------------------------------- */

static LsCCoroAction
gather_cancel_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
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
          m->t[i] = create_task (c, spec[i].n);
        }
      if (!ls_gather (ls_loop_get_running (), 3, m->t, FALSE, &m->a))
        return ls_ccoro_raise (out, ls_value_steal (&m->a));
      return ls_ccoro_await (co, 1, out, ls_sleep (2, ls_none ()));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("cancel returned %s", B (ls_future_cancel (FUT (m->a), ls_none ())));
      return ls_ccoro_await (co, 2, out, ls_value_ref (m->a));
    case 2:
      if (!thrown || !ls_exc_matches (in, &ls_exc_CancelledError))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no CancelledError"));
      ls_test_print ("gather cancelled %s", B (ls_future_cancelled (FUT (m->a))));
      ls_test_print ("%s", name_flags (3, m->t, ls_future_cancelled));
      ls_future_result (FUT (m->t[0]), &r);
      ls_test_print ("a result %s", S (r));
      ls_value_unref (r);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_gather_cancel (void)
{
  run_case ("gather_cancel", gather_cancel_main);
}

/* ---- gather_return_exceptions.py ------------------------------------------------- */

static LsCCoroAction
gather_return_exceptions_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  LsValue aws[3], g;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      {
        LsValue slow = work_new ("slow", 10);
        m->t[0] = create_task (slow, "slow");
      }
      call_later_cancel (1.5, m->t[0]);
      aws[0] = bad_new (1, "boom");
      aws[1] = work_new ("ok", 2);
      aws[2] = ls_value_ref (m->t[0]);
      if (!ls_gather (ls_loop_get_running (), 3, aws, TRUE, &g))
        g_assert_not_reached ();
      for (guint i = 0; i < 3; i++)
        ls_value_unref (aws[i]);
      return ls_ccoro_await (co, 1, out, g);
    case 1:
      ls_test_print ("%s at %s", R (in), NOW ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_gather_return_exceptions (void)
{
  run_case ("gather_return_exceptions", gather_return_exceptions_main);
}

/* ---- gather_duplicate.py --------------------------------------------------------- */

/* once(x): print("once runs", x); sleep(1); return x */
static LsCCoroAction
once_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  gint64 *x = co->data;
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    {
      ls_test_print ("once runs %" G_GINT64_FORMAT, *x);
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
    }
  return ls_ccoro_return (out, ls_int (*x));
}

static LsValue
once_new (gint64 x)
{
  gint64 *p = g_new (gint64, 1);
  *p = x;
  return ls_ccoro_new ("once", once_step, p, g_free);
}

static LsCCoroAction
gather_duplicate_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Main *m = co->data;
  LsValue aws[3], g;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      m->a = once_new (42);
      aws[0] = aws[1] = m->a;
      if (!ls_gather (ls_loop_get_running (), 2, aws, FALSE, &g))
        return ls_ccoro_raise (out, g);
      return ls_ccoro_await (co, 1, out, g);
    case 1:
      ls_test_print ("%s", R (in));
      m->t[0] = create_task (once_new (7), "t");
      aws[0] = aws[1] = aws[2] = m->t[0];
      if (!ls_gather (ls_loop_get_running (), 3, aws, FALSE, &g))
        return ls_ccoro_raise (out, g);
      return ls_ccoro_await (co, 2, out, g);
    case 2:
      ls_test_print ("%s", R (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_gather_duplicate (void)
{
  run_case ("gather_duplicate", gather_duplicate_main);
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
      ls_test_print ("%s %s", B (ls_future_done (FUT (g))), R (r));
      ls_value_unref (r);
      ls_value_unref (g);
      if (!ls_gather (ls_loop_get_running (), 0, NULL, FALSE, &g))
        return ls_ccoro_raise (out, g);
      return ls_ccoro_await (co, 1, out, g);
    case 1:
      ls_test_print ("%s", R (in));
      if (!ls_gather (ls_loop_get_running (), 0, NULL, TRUE, &g))
        return ls_ccoro_raise (out, g);
      return ls_ccoro_await (co, 2, out, g);
    case 2:
      ls_test_print ("%s", R (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_gather_empty (void)
{
  run_case ("gather_empty", gather_empty_main);
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/engine/wait/wait-first-completed", test_wait_first_completed);
  g_test_add_func ("/engine/wait/wait-first-exception", test_wait_first_exception);
  g_test_add_func ("/engine/wait/wait-all-completed", test_wait_all_completed);
  g_test_add_func ("/engine/wait/wait-timeout", test_wait_timeout);
  g_test_add_func ("/engine/wait/waitfor-completes", test_waitfor_completes);
  g_test_add_func ("/engine/wait/waitfor-timeout", test_waitfor_timeout);
  g_test_add_func ("/engine/wait/waitfor-ignores-cancel", test_waitfor_ignores_cancel);
  g_test_add_func ("/engine/wait/waitfor-zero", test_waitfor_zero);
  g_test_add_func ("/engine/wait/ascompleted-order", test_ascompleted_order);
  g_test_add_func ("/engine/wait/ascompleted-timeout", test_ascompleted_timeout);
  g_test_add_func ("/engine/wait/shield-outer-cancelled", test_shield_outer_cancelled);
  g_test_add_func ("/engine/wait/gather-cancel", test_gather_cancel);
  g_test_add_func ("/engine/wait/gather-return-exceptions", test_gather_return_exceptions);
  g_test_add_func ("/engine/wait/gather-duplicate", test_gather_duplicate);
  g_test_add_func ("/engine/wait/gather-empty", test_gather_empty);
  g_test_add_func ("/engine/wait/misuse", test_misuse);
  return g_test_run ();
}
