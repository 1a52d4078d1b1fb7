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

/* Formatted reprs that stay valid for the next few calls. */
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

static const char *
ARGS (LsValue exc)
{
  return R (((LsException *) ls_value_object (exc))->args);
}

static LsTask *
TASK (LsValue v)
{
  return (LsTask *) ls_value_object (v);
}

static const char *
NAME (LsValue task)
{
  return scratch (ls_task_get_name (TASK (task)));
}

static gboolean
is_cancelled_error (LsValue in, gboolean thrown)
{
  return thrown && ls_exc_matches (in, &ls_exc_CancelledError);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* sorted(t.get_name() for t in asyncio.all_tasks()) */
static const char *
sorted_task_names (LsLoop *loop)
{
  LsValue all = ls_loop_all_tasks (loop), names = ls_list_new ();
  GPtrArray *strs = g_ptr_array_new_with_free_func (g_free);
  const char *out;

  for (guint i = 0; i < ls_list_len (all); i++)
    g_ptr_array_add (strs, ls_task_get_name (TASK (ls_list_get (all, i))));
  g_ptr_array_sort (strs, compare_names);
  for (guint i = 0; i < strs->len; i++)
    ls_list_append (names, ls_str_new (g_ptr_array_index (strs, i)));
  out = R (names);
  ls_value_unref (names);
  ls_value_unref (all);
  g_ptr_array_free (strs, TRUE);
  return out;
}

static LsTestRun *
run_main (LsCCoroFn fn, gpointer data, GDestroyNotify data_free)
{
  LsTestRun *run = ls_test_run_new ();
  gboolean ok = ls_test_asyncio_run (run, ls_ccoro_new ("main", fn, data, data_free));
  if (!ok)
    g_test_message ("stderr: %s", run->err->str);
  g_assert_true (ok);
  return run;
}

static void
run_case (const char *name, LsCCoroFn fn, gpointer data, GDestroyNotify data_free)
{
  LsTestRun *run = run_main (fn, data, data_free);
  ls_test_check_case (run, name);
  ls_test_run_free (run);
}

/* The locals of main coroutines: a few tasks and a counter. */
typedef struct {
  LsValue t[4];
  int i;
} Locals;

static void
locals_free (gpointer p)
{
  Locals *x = p;
  for (guint i = 0; i < G_N_ELEMENTS (x->t); i++)
    ls_value_unref (x->t[i]);
  g_free (x);
}

static gpointer
locals_new (void)
{
  return g_new0 (Locals, 1);
}

/* A coroutine over one value (a task to await, a number…). */
static void
value_free (gpointer p)
{
  ls_value_unref (*(LsValue *) p);
  g_free (p);
}

static LsValue
coro_with_value (const char *name, LsCCoroFn fn, LsValue v_taken)
{
  LsValue *p = g_new (LsValue, 1);
  *p = v_taken;
  return ls_ccoro_new (name, fn, p, value_free);
}

/* ---- task_cancel_awaiting_task.py --------------------------------------------- */

static LsCCoroAction
cat_inner (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_sleep (10, ls_none ()));
    case 1:
      if (is_cancelled_error (in, thrown))
        {
          ls_test_print ("inner cancelled %s", ARGS (in));
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
  LsValue *t = co->data;

  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_value_ref (*t));
    case 1:
      if (is_cancelled_error (in, thrown))
        ls_test_print ("outer cancelled %s", ARGS (in));
      return ls_ccoro_pass (in, thrown, out);
    }
  g_assert_not_reached ();
}

static LsCCoroAction
cat_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Locals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue msg;
  gboolean r;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("inner", cat_inner, NULL, NULL), NULL);
      x->t[1] = ls_task_new (loop, coro_with_value ("outer", cat_outer, ls_value_ref (x->t[0])), NULL);
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      msg = ls_str_new ("stop");
      r = ls_task_cancel (TASK (x->t[1]), msg);
      ls_value_unref (msg);
      ls_test_print ("cancel: %s", B (r));
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->t[1]));
    case 2:
      if (!is_cancelled_error (in, thrown))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("main saw %s", R (in));
      ls_test_print ("%s %s %s", B (ls_future_cancelled (&TASK (x->t[1])->fut)),
                     B (ls_future_cancelled (&TASK (x->t[0])->fut)),
                     ls_test_float (ls_loop_time (loop)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_cancel_awaiting_task (void)
{
  run_case ("task_cancel_awaiting_task", cat_main, locals_new (), locals_free);
}

/* ---- task_swallow_cancel.py ------------------------------------------------------ */

static LsCCoroAction
stubborn (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_sleep (5, ls_none ()));
    case 1:
      if (is_cancelled_error (in, thrown))
        ls_test_print ("swallowed");
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_await (co, 2, out, ls_sleep (1, ls_none ()));
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
  Locals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsTask *t;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("stubborn", stubborn, NULL, NULL), NULL);
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
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
      ls_test_print ("%s %s %u %s", S (in), B (ls_future_cancelled (&t->fut)),
                     ls_task_cancelling (t), ls_test_float (ls_loop_time (loop)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_swallow_cancel (void)
{
  run_case ("task_swallow_cancel", swallow_main, locals_new (), locals_free);
}

/* ---- task_cancel_msg.py ------------------------------------------------------------ */

static LsCCoroAction
msg_sleeper (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_sleep (3, ls_none ()));
  if (is_cancelled_error (in, thrown))
    ls_test_print ("inside: %s %s", R (in), ARGS (in));
  return ls_ccoro_pass (in, thrown, out);
}

static LsCCoroAction
cancel_msg_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Locals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue msg, v;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("sleeper", msg_sleeper, NULL, NULL), NULL);
      return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      msg = ls_str_new ("first message");
      ls_task_cancel (TASK (x->t[0]), msg);
      ls_value_unref (msg);
      msg = ls_str_new ("second message");
      ls_task_cancel (TASK (x->t[0]), msg);
      ls_value_unref (msg);
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->t[0]));
    case 2:
      if (!is_cancelled_error (in, thrown))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("awaiter: %s", R (in));
      g_assert_false (ls_future_result (&TASK (x->t[0])->fut, &v));
      if (ls_exc_matches (v, &ls_exc_CancelledError))
        ls_test_print ("result: %s", R (v));
      ls_value_unref (v);
      g_assert_false (ls_future_exception (&TASK (x->t[0])->fut, &v));
      if (ls_exc_matches (v, &ls_exc_CancelledError))
        ls_test_print ("exception: %s", R (v));
      ls_value_unref (v);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_cancel_msg (void)
{
  run_case ("task_cancel_msg", cancel_msg_main, locals_new (), locals_free);
}

/* ---- task_cancelling_uncancel.py ----------------------------------------------------- */

static LsCCoroAction
catcher (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  int *i = co->data;

  if (co->pc == 1)
    {
      if (is_cancelled_error (in, thrown))
        {
          LsTask *t = ls_loop_current_task (ls_loop_get_running ());
          guint before = ls_task_cancelling (t);
          ls_test_print ("caught %d cancelling %u uncancel -> %u", *i, before, ls_task_uncancel (t));
        }
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ++*i;
    }
  if (*i < 3)
    return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
  return ls_ccoro_return (out, ls_str_new ("end"));
}

static LsCCoroAction
cancelling_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Locals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsTask *t = x->t[0].kind == LS_KIND_OBJECT ? TASK (x->t[0]) : NULL;
  gboolean a, b;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("catcher", catcher, g_new0 (int, 1), g_free), NULL);
      return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
    case 1:
      a = ls_task_cancel (t, ls_none ());
      b = ls_task_cancel (t, ls_none ());
      ls_test_print ("%s %s %u", B (a), B (b), ls_task_cancelling (t));
      return ls_ccoro_await (co, 2, out, ls_sleep (0.5, ls_none ()));
    case 2:
      ls_test_print ("cancelling now %u", ls_task_cancelling (t));
      ls_task_cancel (t, ls_none ());
      ls_test_print ("cancelling now %u", ls_task_cancelling (t));
      return ls_ccoro_await (co, 3, out, ls_value_ref (x->t[0]));
    case 3:
      {
        guint c = ls_task_cancelling (t), u1 = ls_task_uncancel (t), u2 = ls_task_uncancel (t);
        ls_test_print ("%s %u %u %u", S (in), c, u1, u2);
      }
      a = ls_task_cancel (t, ls_none ());
      ls_test_print ("%s %u", B (a), ls_task_cancelling (t));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_cancelling_uncancel (void)
{
  run_case ("task_cancelling_uncancel", cancelling_main, locals_new (), locals_free);
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
  Locals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue msg;
  gboolean a, b;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("body", body, NULL, NULL), NULL);
      x->t[1] = ls_task_new (loop, ls_sleep (5, ls_str_new ("slept")), NULL);
      msg = ls_str_new ("early");
      a = ls_task_cancel (TASK (x->t[0]), msg);
      ls_value_unref (msg);
      b = ls_task_cancel (TASK (x->t[1]), ls_none ());
      ls_test_print ("%s %s", B (a), B (b));
      x->i = 0;
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[0]));
    case 1:
      if (is_cancelled_error (in, thrown))
        ls_test_print ("%s cancelled %s", NAME (x->t[x->i]), R (in));
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      else
        ls_test_print ("%s", S (in));
      if (++x->i < 2)
        return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[x->i]));
      ls_test_print ("%s", ls_test_float (ls_loop_time (loop)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_cancel_before_start (void)
{
  run_case ("task_cancel_before_start", before_start_main, locals_new (), locals_free);
}

/* ---- task_current_all.py ------------------------------------------------------------------ */

static LsCCoroAction
ca_child (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue *n = co->data;
  LsLoop *loop = ls_loop_get_running ();
  char *name;

  switch (co->pc)
    {
    case 0:
      name = ls_task_get_name (ls_loop_current_task (loop));
      ls_test_print ("child %s %s", S (*n), name);
      g_free (name);
      return ls_ccoro_await (co, 1, out, ls_sleep ((double) n->u.i, ls_none ()));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("child %s sees %s", S (*n), sorted_task_names (loop));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static LsCCoroAction
ca_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Locals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue fut;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_value_ref (ls_object (ls_loop_current_task (loop)));
      ls_test_print ("main is %s", NAME (x->t[0]));
      x->t[1] = ls_task_new (loop, coro_with_value ("child", ca_child, ls_int (1)), NULL);
      x->t[2] = ls_task_new (loop, coro_with_value ("child", ca_child, ls_int (2)), NULL);
      ls_test_print ("%s", sorted_task_names (loop));
      if (!ls_gather (loop, 2, &x->t[1], FALSE, &fut))
        return ls_ccoro_raise (out, fut);
      return ls_ccoro_await (co, 1, out, fut);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s %s", sorted_task_names (loop),
                     B (ls_loop_current_task (loop) == TASK (x->t[0])));
      /* Drop the reference to ourselves now: a task holding its own
       * coroutine's locals must not hold itself. */
      ls_value_set (&x->t[0], ls_none ());
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_current_all (void)
{
  run_case ("task_current_all", ca_main, locals_new (), locals_free);
}

/* ---- task_names.py --------------------------------------------------------------------- */

static LsCCoroAction
noop (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_sleep (0, ls_none ()));
  return ls_ccoro_pass (in, thrown, out);
}

/* asyncio.create_task(coro, name=name): in 3.12 it is loop.create_task(coro)
 * then set_name, so the task takes a Task-N number all the same. */
static LsValue
asyncio_create_task (LsLoop *loop, LsValue coro, const char *name)
{
  LsValue t = ls_task_new (loop, coro, NULL);
  if (name)
    ls_task_set_name (TASK (t), name);
  return t;
}

static LsCCoroAction
names_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Locals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsValue fut;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("noop", noop, NULL, NULL), NULL);
      x->t[1] = ls_task_new (loop, ls_ccoro_new ("noop", noop, NULL, NULL), "worker");
      x->t[2] = ls_task_new (loop, ls_ccoro_new ("noop", noop, NULL, NULL), NULL);
      ls_test_print ("%s %s %s", NAME (x->t[0]), NAME (x->t[1]), NAME (x->t[2]));
      ls_task_set_name (TASK (x->t[2]), "renamed");
      ls_test_print ("%s", NAME (x->t[2]));
      if (!ls_gather (loop, 3, x->t, FALSE, &fut))
        return ls_ccoro_raise (out, fut);
      return ls_ccoro_await (co, 1, out, fut);
    case 1:
      for (int i = 0; i < 3; i++)
        ls_value_set (&x->t[i], ls_none ());
      x->t[0] = asyncio_create_task (loop, ls_ccoro_new ("noop", noop, NULL, NULL), "named");
      x->t[1] = asyncio_create_task (loop, ls_ccoro_new ("noop", noop, NULL, NULL), NULL);
      ls_test_print ("%s %s", NAME (x->t[0]), NAME (x->t[1]));
      return ls_ccoro_await (co, 2, out, ls_value_ref (x->t[0]));
    case 2:
      return ls_ccoro_await (co, 3, out, ls_value_ref (x->t[1]));
    case 3:
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_names (void)
{
  run_case ("task_names", names_main, locals_new (), locals_free);
}

/* ---- task_await_raised.py ------------------------------------------------------------- */

static LsCCoroAction
failing_later (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue args[2];

  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  args[0] = ls_str_new ("failed");
  args[1] = ls_int (3);
  return ls_ccoro_raise (out, ls_exc_new (&ls_exc_ValueError, 2, args));
}

static LsCCoroAction
await_raised_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Locals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsFuture *t;
  LsValue v;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("failing", failing_later, NULL, NULL), NULL);
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[0]));
    case 1:
      if (!thrown || !ls_exc_matches (in, &ls_exc_ValueError))
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("caught %s %s", R (in), ARGS (in));
      t = &TASK (x->t[0])->fut;
      g_assert_true (ls_future_exception (t, &v));
      ls_test_print ("%s %s %s", B (ls_future_done (t)), B (ls_future_cancelled (t)), R (v));
      ls_value_unref (v);
      g_assert_false (ls_future_result (t, &v));
      if (ls_exc_matches (v, &ls_exc_ValueError))
        ls_test_print ("result raised %s", R (v));
      ls_value_unref (v);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_await_raised (void)
{
  run_case ("task_await_raised", await_raised_main, locals_new (), locals_free);
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
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
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
  LsTestRun *run = run_main (never_retrieved_main, NULL, NULL);
  gboolean warned = FALSE;

  ls_test_check_case (run, "task_never_retrieved");
  for (guint i = 0; i < run->events->len; i++)
    if (g_array_index (run->events, LsEventKind, i) == LS_EVENT_WARNING)
      warned = TRUE;
  g_assert_true (warned);
  g_assert_cmpstr (run->err->str, ==, "");
  ls_test_run_free (run);
}

/* The WARNING's text names the task and the exception. */
static void
observe_warning (const LsEvent *ev, gpointer user_data)
{
  if (ev->kind == LS_EVENT_WARNING)
    g_ptr_array_add (user_data, g_strdup (ev->detail));
}

static void
discard_output (LsLoop *loop, gboolean is_stderr, const char *text, gpointer user_data)
{
}

static void
test_never_retrieved_message (void)
{
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);
  LsLoop *loop;
  LsValue result;

  ls_task_reset_name_counter ();
  loop = ls_loop_new ();
  ls_loop_set_observer (loop, observe_warning, warnings);
  ls_loop_set_output (loop, discard_output, NULL);
  g_assert_true (ls_asyncio_run (loop, ls_ccoro_new ("main", never_retrieved_main, NULL, NULL), &result));
  ls_value_unref (result);
  ls_loop_close (loop);
  ls_loop_unref (loop);
  g_assert_cmpuint (warnings->len, ==, 1);
  if (warnings->len == 1)
    g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                     "Task exception was never retrieved: KeyError('lost')");
  g_ptr_array_free (warnings, TRUE);
}

/* ---- task_bare_yield.py ------------------------------------------------------------------- */

static LsCCoroAction
bare_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue *name = co->data;
  int i = co->pc;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (i < 3)
    {
      ls_test_print ("%s %d", S (*name), i);
      co->pc = i + 1;
      *out = ls_none ();
      return LS_CCORO_YIELD;    /* await bare(): a bare yield */
    }
  return ls_ccoro_return (out, ls_value_ref (*name));
}

static LsCCoroAction
bare_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue aws[2], fut;
  gboolean ok;

  switch (co->pc)
    {
    case 0:
      aws[0] = coro_with_value ("worker", bare_worker, ls_str_new ("A"));
      aws[1] = coro_with_value ("worker", bare_worker, ls_str_new ("B"));
      ok = ls_gather (ls_loop_get_running (), 2, aws, FALSE, &fut);
      ls_value_unref (aws[0]);
      ls_value_unref (aws[1]);
      if (!ok)
        return ls_ccoro_raise (out, fut);
      return ls_ccoro_await (co, 1, out, fut);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s", R (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_bare_yield (void)
{
  run_case ("task_bare_yield", bare_main, NULL, NULL);
}

/* ---- task_set_result.py ----------------------------------------------------------------- */

static LsCCoroAction
set_result_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Locals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsFuture *t;
  LsValue err;

  switch (co->pc)
    {
    case 0:
      x->t[0] = ls_task_new (loop, ls_sleep (1, ls_str_new ("r")), NULL);
      t = &TASK (x->t[0])->fut;
      g_assert_false (ls_future_set_result (t, ls_int (1), &err));
      if (ls_exc_matches (err, &ls_exc_RuntimeError))
        ls_test_print ("%s", R (err));
      ls_value_unref (err);
      g_assert_false (ls_future_set_exception (t, ls_exc_new (&ls_exc_ValueError, 0, NULL), &err));
      if (ls_exc_matches (err, &ls_exc_RuntimeError))
        ls_test_print ("%s", R (err));
      ls_value_unref (err);
      g_assert_false (ls_future_result (t, &err));
      if (ls_exc_matches (err, &ls_exc_InvalidStateError))
        ls_test_print ("pending: %s", ls_exc_type (err)->name);
      ls_value_unref (err);
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[0]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("%s", S (in));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_set_result (void)
{
  run_case ("task_set_result", set_result_main, locals_new (), locals_free);
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
      if (!thrown || !ls_exc_matches (in, &ls_exc_RuntimeError))
        return ls_ccoro_pass (in, thrown, out);
      msg = ls_exc_str (in);
      ls_test_print ("RuntimeError %s", B (strstr (msg, "attached to a different loop") != NULL));
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
  run_case ("task_other_loop", other_loop_main, g_new0 (OtherLoop, 1), other_loop_free);
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
      if (!thrown || !ls_exc_matches (in, &ls_exc_RuntimeError))
        return ls_ccoro_pass (in, thrown, out);
      msg = ls_exc_str (in);
      ls_test_print ("RuntimeError %s", B (g_str_has_prefix (msg, "Task cannot await on itself")));
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
  ls_test_print ("%s", S (in));
  return ls_ccoro_return (out, ls_none ());
}

static void
test_await_self (void)
{
  run_case ("task_await_self", await_self_main, NULL, NULL);
}

/* ---- task_cancel_self.py ------------------------------------------------------------------ */

static void
cancel_current (const char *msg)
{
  LsValue m = ls_str_new (msg);
  ls_task_cancel (ls_loop_current_task (ls_loop_get_running ()), m);
  ls_value_unref (m);
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
  LsValue *fut = co->data;

  if (co->pc == 0)
    {
      *fut = ls_future_new (ls_loop_get_running ());
      cancel_current ("again");
      return ls_ccoro_await (co, 1, out, ls_value_ref (*fut));
    }
  if (is_cancelled_error (in, thrown))
    ls_test_print ("await cancelled %s %s", ARGS (in), B (ls_future_cancelled (ls_future_from (*fut))));
  return ls_ccoro_pass (in, thrown, out);
}

static LsCCoroAction
cancel_self_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Locals *x = co->data;
  LsLoop *loop = ls_loop_get_running ();
  LsTask *t;

  if (co->pc == 1)
    {
      t = TASK (x->t[x->i]);
      if (is_cancelled_error (in, thrown))
        ls_test_print ("%s cancelled %s %u", NAME (x->t[x->i]), R (in), ls_task_cancelling (t));
      else if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      else
        ls_test_print ("%s", S (in));
      x->i++;
    }
  if (x->i == 0)
    {
      x->t[0] = ls_task_new (loop, ls_ccoro_new ("cancel_then_return", cancel_then_return, NULL, NULL), NULL);
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[0]));
    }
  if (x->i == 1)
    {
      x->t[1] = ls_task_new (loop, coro_with_value ("cancel_then_await", cancel_then_await,
                                                    ls_none ()), NULL);
      return ls_ccoro_await (co, 1, out, ls_value_ref (x->t[1]));
    }
  return ls_ccoro_return (out, ls_none ());
}

static void
test_cancel_self (void)
{
  run_case ("task_cancel_self", cancel_self_main, locals_new (), locals_free);
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
  g_assert_false (ls_future_result (&TASK (t)->fut, &err));
  s = ls_exc_format (err);
  g_assert_cmpstr (s, ==, "InvalidStateError: Result is not set.");
  g_free (s);
  ls_value_unref (err);
  s = ls_value_repr (t);
  g_assert_cmpstr (s, ==, "<Task pending name='Task-1' coro=<sleep()>>");
  g_free (s);
  ls_value_unref (t);
  ls_loop_close (loop);
  ls_loop_unref (loop);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/engine/task/cancel-awaiting-task", test_cancel_awaiting_task);
  g_test_add_func ("/engine/task/swallow-cancel", test_swallow_cancel);
  g_test_add_func ("/engine/task/cancel-msg", test_cancel_msg);
  g_test_add_func ("/engine/task/cancelling-uncancel", test_cancelling_uncancel);
  g_test_add_func ("/engine/task/cancel-self", test_cancel_self);
  g_test_add_func ("/engine/task/cancel-before-start", test_cancel_before_start);
  g_test_add_func ("/engine/task/current-all", test_current_all);
  g_test_add_func ("/engine/task/names", test_names);
  g_test_add_func ("/engine/task/await-raised", test_await_raised);
  g_test_add_func ("/engine/task/never-retrieved", test_never_retrieved);
  g_test_add_func ("/engine/task/never-retrieved-message", test_never_retrieved_message);
  g_test_add_func ("/engine/task/bare-yield", test_bare_yield);
  g_test_add_func ("/engine/task/set-result", test_set_result);
  g_test_add_func ("/engine/task/other-loop", test_other_loop);
  g_test_add_func ("/engine/task/await-self", test_await_self);
  g_test_add_func ("/engine/task/pending-result-message", test_pending_result_message);
  return g_test_run ();
}
