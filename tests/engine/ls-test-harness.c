/* ls-test-harness.c - see ls-test-harness.h. */
#include "ls-test-harness.h"

#include <string.h>

static void
run_output (LsLoop *loop, gboolean is_stderr, const char *text, gpointer user_data)
{
  LsTestRun *run = user_data;
  g_string_append (is_stderr ? run->err : run->out, text);
}

static void
run_observe (const LsEvent *ev, gpointer user_data)
{
  LsTestRun *run = user_data;
  LsEventKind kind = ev->kind;

  g_array_append_val (run->events, kind);
  ls_step_trace_observe (ev, run->steps);
}

LsTestRun *
ls_test_run_new (void)
{
  LsTestRun *run = g_new0 (LsTestRun, 1);

  ls_task_reset_name_counter ();
  run->loop = ls_loop_new ();
  run->out = g_string_new (NULL);
  run->err = g_string_new (NULL);
  run->steps = ls_step_trace_new ();
  run->events = g_array_new (FALSE, FALSE, sizeof (LsEventKind));
  ls_loop_set_output (run->loop, run_output, run);
  ls_loop_set_observer (run->loop, run_observe, run);
  return run;
}

void
ls_test_run_free (LsTestRun *run)
{
  ls_loop_close (run->loop);
  ls_loop_unref (run->loop);
  g_string_free (run->out, TRUE);
  g_string_free (run->err, TRUE);
  ls_step_trace_free (run->steps);
  g_array_free (run->events, TRUE);
  g_free (run);
}

static void
print_line_v (LsLoop *loop, const char *fmt, va_list ap)
{
  char *text = g_strdup_vprintf (fmt, ap);
  char *line = g_strconcat (text, "\n", NULL);

  ls_loop_print (loop, line);
  g_free (line);
  g_free (text);
}

void
ls_test_print (const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  print_line_v (ls_loop_get_running (), fmt, ap);
  va_end (ap);
}

void
ls_test_print_to (LsLoop *loop, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  print_line_v (loop, fmt, ap);
  va_end (ap);
}

gboolean
ls_test_asyncio_run (LsTestRun *run, LsValue main_coro)
{
  LsValue result;
  gboolean ok = ls_asyncio_run (run->loop, main_coro, &result);

  if (!ok)
    {
      char *line = ls_exc_type (result) ? ls_exc_format (result) : ls_value_repr (result);
      g_string_append_printf (run->err, "%s\n", line);
      g_free (line);
    }
  ls_value_unref (result);
  return ok;
}

static char *
read_case (const char *name, const char *ext)
{
  char *file = g_strdup_printf ("%s.%s", name, ext);
  char *path = g_build_filename (LS_TEST_CASES_DIR, file, NULL);
  char *contents = NULL;
  GError *error = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      g_test_message ("cannot read %s: %s", path, error->message);
      g_error_free (error);
      contents = NULL;
    }
  g_free (path);
  g_free (file);
  return contents;
}

void
ls_test_check_case (LsTestRun *run, const char *name)
{
  char *expected_out = read_case (name, "out");
  char *expected_trace = read_case (name, "trace");

  g_assert_nonnull (expected_out);
  g_assert_nonnull (expected_trace);
  g_assert_cmpstr (run->out->str, ==, expected_out);
  g_assert_cmpstr (ls_step_trace_text (run->steps), ==, expected_trace);
  g_free (expected_out);
  g_free (expected_trace);
}

LsTestRun *
ls_test_run_main (LsValue main_coro)
{
  LsTestRun *run = ls_test_run_new ();
  gboolean ok = ls_test_asyncio_run (run, main_coro);

  if (!ok)
    g_test_message ("stderr: %s", run->err->str);
  g_assert_true (ok);
  return run;
}

void
ls_test_run_case (const char *name, LsValue main_coro)
{
  LsTestRun *run = ls_test_run_main (main_coro);

  ls_test_check_case (run, name);
  ls_test_run_free (run);
}

const char *
ls_test_float (double d)
{
  static char buf[G_ASCII_DTOSTR_BUF_SIZE];
  ls_float_repr (d, buf);
  return buf;
}

static gboolean
print_builtin (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  GString *line = g_string_new (NULL);

  for (guint i = 0; i < nargs; i++)
    {
      char *s = ls_value_str (args[i]);
      if (i)
        g_string_append_c (line, ' ');
      g_string_append (line, s);
      g_free (s);
    }
  g_string_append_c (line, '\n');
  ls_loop_print (ls_loop_get_running (), line->str);
  g_string_free (line, TRUE);
  *result = ls_none ();
  return TRUE;
}

LsValue
ls_test_print_callable (void)
{
  return ls_builtin_new ("print", print_builtin, ls_none (), NULL, NULL);
}

void
ls_test_call_soon_print (LsLoop *loop, const char *text)
{
  LsValue arg = ls_str_new (text);
  ls_object_unref (ls_loop_call_soon (loop, ls_callback_value (ls_test_print_callable ()), 1, &arg));
}

void
ls_test_call_later_print (LsLoop *loop, double delay, const char *text)
{
  LsValue arg = ls_str_new (text);
  ls_object_unref (ls_loop_call_later (loop, delay, ls_callback_value (ls_test_print_callable ()),
                                       1, &arg));
}

/* ---- strings for print() ---------------------------------------------------- */

const char *
ls_test_keep (char *s)
{
  static char *ring[16];
  static guint next;
  guint i = next++ % G_N_ELEMENTS (ring);

  g_free (ring[i]);
  ring[i] = s;
  return s;
}

const char *
ls_test_repr (LsValue v)
{
  return ls_test_keep (ls_value_repr (v));
}

const char *
ls_test_str (LsValue v)
{
  return ls_test_keep (ls_value_str (v));
}

const char *
ls_test_bool (gboolean b)
{
  return b ? "True" : "False";
}

const char *
ls_test_time (double t)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  ls_float_repr (t, buf);
  return ls_test_keep (g_strdup (buf));
}

const char *
ls_test_now (void)
{
  return ls_test_time (ls_loop_time (ls_loop_get_running ()));
}

const char *
ls_test_exc_args (LsValue exc)
{
  return ls_test_repr (((LsException *) ls_value_object (exc))->args);
}

const char *
ls_test_exc_cause (LsValue exc)
{
  return ls_test_repr (((LsException *) ls_value_object (exc))->cause);
}

const char *
ls_test_outcomes (LsValue results)
{
  LsValue list = ls_list_new ();
  const char *s;

  for (guint i = 0; i < ls_list_len (results); i++)
    {
      LsValue r = ls_list_get (results, i);
      const LsExcType *t = ls_exc_type (r);
      ls_list_append (list, t ? ls_str_new (t->name) : ls_value_ref (r));
    }
  s = ls_test_repr (list);
  ls_value_unref (list);
  return s;
}

const char *
ls_test_task_name (LsValue task)
{
  return ls_test_keep (ls_task_get_name (ls_value_object (task)));
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

const char *
ls_test_task_names (LsValue tasks)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  LsValue list = ls_list_new ();
  const char *s;

  for (guint i = 0; i < ls_list_len (tasks); i++)
    g_ptr_array_add (names, ls_task_get_name (ls_value_object (ls_list_get (tasks, i))));
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    ls_list_append (list, ls_str_new (g_ptr_array_index (names, i)));
  s = ls_test_repr (list);
  ls_value_unref (list);
  g_ptr_array_free (names, TRUE);
  return s;
}

void
ls_test_print_error (LsValue exc)
{
  ls_test_print ("%s: %s", ls_exc_type (exc)->name, ls_test_str (exc));
}

/* ---- coroutines and awaits ----------------------------------------------------- */

static void
locals_free (gpointer p)
{
  LsTestLocals *l = p;

  ls_value_unref (l->value);
  ls_value_unref (l->saved);
  for (guint i = 0; i < G_N_ELEMENTS (l->t); i++)
    ls_value_unref (l->t[i]);
  g_free (l);
}

LsValue
ls_test_coro (const char *fname, LsCCoroFn fn, const LsTestLocals *locals)
{
  LsTestLocals *l = g_new0 (LsTestLocals, 1);

  if (locals)
    *l = *locals;
  return ls_ccoro_new (fname, fn, l, locals_free);
}

gboolean
ls_test_caught (LsValue in, gboolean thrown, const LsExcType *type)
{
  return thrown && ls_exc_matches (in, type);
}

LsCCoroAction
ls_test_await_sleep (LsCCoro *co, int next_pc, LsValue *out, double delay)
{
  return ls_ccoro_await (co, next_pc, out, ls_sleep (delay, ls_none ()));
}

LsCCoroAction
ls_test_await_gather (LsCCoro *co, int next_pc, LsValue *out, guint n, const LsValue *aws,
                      gboolean return_exceptions)
{
  LsValue fut;

  if (!ls_gather (ls_loop_get_running (), n, aws, return_exceptions, &fut))
    return ls_ccoro_raise (out, fut);
  return ls_ccoro_await (co, next_pc, out, fut);
}

LsCCoroAction
ls_test_await_gather_take (LsCCoro *co, int next_pc, LsValue *out, guint n, LsValue *aws,
                           gboolean return_exceptions)
{
  LsCCoroAction action = ls_test_await_gather (co, next_pc, out, n, aws, return_exceptions);

  for (guint i = 0; i < n; i++)
    ls_value_unref (aws[i]);
  return action;
}

LsValue
ls_test_create_task (LsValue coro, const char *name)
{
  return ls_asyncio_create_task (ls_loop_get_running (), coro, name);
}

guint
ls_test_cancelling (void)
{
  return ls_task_cancelling (ls_loop_current_task (ls_loop_get_running ()));
}

gboolean
ls_test_cancel (LsValue task, const char *msg)
{
  LsValue m = msg ? ls_str_new (msg) : ls_none ();
  gboolean cancelled = ls_future_cancel (ls_future_from (task), m);

  ls_value_unref (m);
  return cancelled;
}

/* fut.cancel(msg=None) */
static gboolean
cancel_builtin (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_bool (ls_future_cancel (ls_future_from (self), nargs ? args[0] : ls_none ()));
  return TRUE;
}

LsValue
ls_test_cancel_callable (LsValue fut)
{
  return ls_builtin_new ("cancel", cancel_builtin, ls_value_ref (fut), NULL, NULL);
}

void
ls_test_call_later_cancel (double delay, LsValue fut)
{
  ls_object_unref (ls_loop_call_later (ls_loop_get_running (), delay,
                                       ls_callback_value (ls_test_cancel_callable (fut)), 0, NULL));
}

void
ls_test_collect_warnings (const LsEvent *ev, gpointer warnings)
{
  if (ev->kind == LS_EVENT_WARNING)
    g_ptr_array_add (warnings, g_strdup (ev->detail));
}

void
ls_test_assert_one_warning (GPtrArray *warnings, const char *text)
{
  g_assert_cmpuint (warnings->len, ==, 1);
  if (warnings->len == 1)
    g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==, text);
}

/* ---- the tests of a suite ----------------------------------------------------- */

static void
run_test_main (gconstpointer data)
{
  const LsTest *t = data;
  LsTestRun *run = ls_test_run_main (ls_test_coro ("main", t->main, NULL));

  if (t->name)
    ls_test_check_case (run, t->name);
  if (t->flags & LS_TEST_NO_STDERR)
    g_assert_cmpstr (run->err->str, ==, "");
  ls_test_run_free (run);
}

int
ls_test_main (int argc, char **argv, const LsTest *tests, guint n)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  for (guint i = 0; i < n; i++)
    {
      if (tests[i].func)
        g_test_add_func (tests[i].path, tests[i].func);
      else
        g_test_add_data_func (tests[i].path, &tests[i], run_test_main);
    }
  return g_test_run ();
}
