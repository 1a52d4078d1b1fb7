/* test-findings.c - each finding appears where it should, pointing at the
 * right task and line, and nowhere in the bundled scenarios but the two
 * whose lesson is a blocking call.
 *
 * Programs are the purpose-made ones of tests/trace/findings/ and the
 * bundled scenarios, recorded by loopscope-cli run --trace into a
 * temporary directory.
 */
#include "ls-trace-findings.h"
#include "ls-trace-reader.h"
#include "trace-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmp_dir;

static LsTraceModel *
record_and_load (const char *scenario)
{
  char *out = ls_test_record (tmp_dir, scenario);
  LsTraceModel *m = ls_test_load (out);
  g_remove (out);
  g_free (out);
  return m;
}

/* The findings of a scenario, checked to be exactly `n` of `kind`. */
static GArray *
findings_of (const LsTraceModel *m, LsTraceFindingKind kind, guint n)
{
  GArray *f = ls_trace_findings_compute (m);
  guint count = 0;

  for (guint i = 0; i < f->len; i++)
    {
      LsTraceFinding *x = &g_array_index (f, LsTraceFinding, i);
      g_test_message ("%s: %s", ls_trace_finding_kind_name (x->kind), x->message);
      if (x->kind == kind)
        count++;
    }
  g_assert_cmpuint (f->len, ==, n);
  g_assert_cmpuint (count, ==, n);
  return f;
}

static const char *
task_coro (const LsTraceModel *m, int task)
{
  g_assert_cmpint (task, >=, 0);
  return ls_trace_model_get_tasks (m, NULL)[task].coro;
}

static void
test_blocking (void)
{
  g_autoptr (LsTraceModel) m = record_and_load ("tests/trace/findings/blocking_call.py");
  g_autoptr (GArray) f = findings_of (m, LS_TRACE_FINDING_BLOCKING, 1);
  LsTraceFinding *x = &g_array_index (f, LsTraceFinding, 0);

  g_assert_cmpstr (task_coro (m, x->task), ==, "stall()");
  g_assert_cmpfloat (x->time, ==, 0.5);
  g_assert_cmpfloat (x->value, ==, 1.5);
  g_assert_cmpint (ls_trace_model_get_event (m, x->seq)->kind, ==, LS_EVENT_LOOP_BLOCKED);
  g_assert_nonnull (strstr (x->message, "1.5 s"));
}

static void
test_never_awaited (void)
{
  g_autoptr (LsTraceModel) m = record_and_load ("tests/trace/findings/never_awaited.py");
  g_autoptr (GArray) f = findings_of (m, LS_TRACE_FINDING_NEVER_AWAITED, 1);
  LsTraceFinding *x = &g_array_index (f, LsTraceFinding, 0);

  g_assert_cmpint (x->line, ==, 11);
  g_assert_nonnull (strstr (x->message, "coroutine 'notify' was never awaited"));
}

static void
test_exception_unretrieved (void)
{
  g_autoptr (LsTraceModel) m = record_and_load ("tests/trace/findings/exception_unretrieved.py");
  g_autoptr (GArray) f = findings_of (m, LS_TRACE_FINDING_EXCEPTION_UNRETRIEVED, 1);
  LsTraceFinding *x = &g_array_index (f, LsTraceFinding, 0);

  g_assert_cmpstr (task_coro (m, x->task), ==, "fragile()");
  g_assert_cmpint (x->line, ==, 7);
  g_assert_nonnull (strstr (x->message, "ValueError('lost')"));
}

static void
test_pending_at_end (void)
{
  g_autoptr (LsTraceModel) m = record_and_load ("tests/trace/findings/pending_at_end.py");
  g_autoptr (GArray) f = findings_of (m, LS_TRACE_FINDING_PENDING_AT_END, 1);
  LsTraceFinding *x = &g_array_index (f, LsTraceFinding, 0);

  g_assert_cmpstr (task_coro (m, x->task), ==, "worker()");
  g_assert_cmpint (x->line, ==, 6);
  g_assert_nonnull (strstr (x->message, "queue"));
}

static void
test_long_step (void)
{
  g_autoptr (LsTraceModel) m = record_and_load ("tests/trace/findings/long_step.py");
  g_autoptr (GArray) f = findings_of (m, LS_TRACE_FINDING_LONG_STEP, 1);
  LsTraceFinding *x = &g_array_index (f, LsTraceFinding, 0);

  g_assert_cmpstr (task_coro (m, x->task), ==, "hog()");
  g_assert_cmpfloat (x->value, >=, 400);
  g_assert_cmpint (ls_trace_model_get_event (m, x->seq)->kind, ==, LS_EVENT_STEP_BEGIN);
}

static void
test_swallowed_cancel (void)
{
  g_autoptr (LsTraceModel) m = record_and_load ("tests/trace/findings/swallowed_cancel.py");
  g_autoptr (GArray) f = findings_of (m, LS_TRACE_FINDING_SWALLOWED_CANCEL, 1);
  LsTraceFinding *x = &g_array_index (f, LsTraceFinding, 0);

  g_assert_cmpstr (task_coro (m, x->task), ==, "stubborn()");
  g_assert_cmpfloat (x->time, ==, 1.0);
  g_assert_cmpint (x->line, ==, 10);
}

/* Clean-up then re-raise, asyncio.timeout and wait_for: no finding. */
static void
test_cancel_handled (void)
{
  g_autoptr (LsTraceModel) m = record_and_load ("tests/trace/findings/cancel_handled.py");
  g_autoptr (GArray) f = ls_trace_findings_compute (m);
  for (guint i = 0; i < f->len; i++)
    g_test_message ("unexpected: %s", g_array_index (f, LsTraceFinding, i).message);
  g_assert_cmpuint (f->len, ==, 0);
}

/* The bundled scenarios are the ordinary programs: only the two lessons
 * about blocking calls have findings, and only those. */
static void
test_bundled_scenarios (void)
{
  char *dir = g_build_filename (LS_TEST_SOURCE_DIR, "data", "scenarios", NULL);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    {
      char *rel;
      LsTraceModel *m;
      GArray *f;
      gboolean blocking_lesson;
      if (!g_str_has_suffix (name, ".py"))
        continue;
      rel = g_build_filename ("data", "scenarios", name, NULL);
      m = record_and_load (rel);
      f = ls_trace_findings_compute (m);
      blocking_lesson = strcmp (name, "blocking_sleep.py") == 0
                        || strcmp (name, "count_down_sequential.py") == 0;
      for (guint i = 0; i < f->len; i++)
        {
          LsTraceFinding *x = &g_array_index (f, LsTraceFinding, i);
          if (!blocking_lesson || x->kind != LS_TRACE_FINDING_BLOCKING)
            g_error ("%s: unexpected finding: %s", name, x->message);
        }
      if (blocking_lesson)
        g_assert_cmpuint (f->len, >, 0);
      g_array_unref (f);
      ls_trace_model_free (m);
      g_free (rel);
    }
  g_dir_close (d);
  g_free (dir);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("loopscope-findings-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/trace/findings/blocking-call", test_blocking);
  g_test_add_func ("/trace/findings/never-awaited", test_never_awaited);
  g_test_add_func ("/trace/findings/exception-never-retrieved", test_exception_unretrieved);
  g_test_add_func ("/trace/findings/pending-at-end", test_pending_at_end);
  g_test_add_func ("/trace/findings/long-step", test_long_step);
  g_test_add_func ("/trace/findings/swallowed-cancel", test_swallowed_cancel);
  g_test_add_func ("/trace/findings/cancel-handled", test_cancel_handled);
  g_test_add_func ("/trace/findings/bundled-scenarios-clean", test_bundled_scenarios);

  status = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
