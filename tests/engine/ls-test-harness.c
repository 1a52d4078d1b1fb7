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
append_json_string (GString *s, const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (s, "\\%c", *p);
      else if ((unsigned char) *p < 0x20)
        g_string_append_printf (s, "\\u%04x", *p);
      else
        g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

static void
trace_line (LsTestRun *run, const LsEvent *ev, const char *what, const char *exc)
{
  char t[G_ASCII_DTOSTR_BUF_SIZE];
  const char *name = g_hash_table_lookup (run->names, &ev->task);

  ls_float_repr (ev->time, t);
  g_string_append_printf (run->trace, "{\"t\": %s, \"task\": ", t);
  append_json_string (run->trace, name ? name : "?");
  g_string_append_printf (run->trace, ", \"ev\": \"%s\"", what);
  if (exc)
    {
      g_string_append (run->trace, ", \"exc\": ");
      append_json_string (run->trace, exc);
    }
  g_string_append (run->trace, "}\n");
}

static void
run_observe (const LsEvent *ev, gpointer user_data)
{
  LsTestRun *run = user_data;
  LsEventKind kind = ev->kind;

  g_array_append_val (run->events, kind);
  switch (ev->kind)
    {
    case LS_EVENT_TASK_CREATED:
    case LS_EVENT_TASK_RENAMED:
      {
        guint64 *key = g_new (guint64, 1);
        *key = ev->task;
        g_hash_table_replace (run->names, key, g_strdup (ev->detail));
      }
      break;
    case LS_EVENT_STEP_BEGIN:
      trace_line (run, ev, "step", NULL);
      break;
    case LS_EVENT_STEP_END:
      if (ev->reason == LS_REASON_RESULT)
        trace_line (run, ev, "done", NULL);
      else if (ev->reason == LS_REASON_CANCELLED)
        trace_line (run, ev, "cancelled", NULL);
      else if (ev->reason == LS_REASON_EXCEPTION)
        trace_line (run, ev, "exception", ev->detail);
      break;
    default:
      break;
    }
}

LsTestRun *
ls_test_run_new (void)
{
  LsTestRun *run = g_new0 (LsTestRun, 1);

  ls_task_reset_name_counter ();
  run->loop = ls_loop_new ();
  run->out = g_string_new (NULL);
  run->err = g_string_new (NULL);
  run->trace = g_string_new (NULL);
  run->names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
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
  g_string_free (run->trace, TRUE);
  g_hash_table_destroy (run->names);
  g_array_free (run->events, TRUE);
  g_free (run);
}

void
ls_test_print (const char *fmt, ...)
{
  va_list ap;
  char *text, *line;

  va_start (ap, fmt);
  text = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  line = g_strconcat (text, "\n", NULL);
  ls_loop_print (ls_loop_get_running (), line);
  g_free (line);
  g_free (text);
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
  g_assert_cmpstr (run->trace->str, ==, expected_trace);
  g_free (expected_out);
  g_free (expected_trace);
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
