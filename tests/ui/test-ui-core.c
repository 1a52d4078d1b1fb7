/* test-ui-core.c - the desktop app's parts that need no display.
 *
 * Scenario headers as the library shows them, the event loop's state at
 * a moment of a real run (ready queue, timers, task states), a run off
 * the main thread (its model, its output, a syntax error's place, Cancel
 * on a runaway), and the Simplified Chinese translation.
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "ls-loop-state.h"
#include "ls-run-job.h"
#include "ls-scenario.h"

static char *
read_scenario (const char *name)
{
  g_autofree char *path = g_build_filename (LS_TEST_SOURCE_DIR, "data", "scenarios", name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_scenario_header (void)
{
  g_autoptr (LsScenario) s = ls_scenario_new ("demo.py",
    "# title: Three factorials with gather\n"
    "# description: Three tasks compute factorials. gather runs them\n"
    "# description: side by side, e.g. asyncio.sleep lets others run.\n"
    "import asyncio\n");

  g_assert_cmpstr (s->title, ==, "Three factorials with gather");
  g_assert_cmpstr (s->description, ==, "Three tasks compute factorials. gather runs them "
                   "side by side, e.g. asyncio.sleep lets others run.");
  /* "gather" after the first full stop is lower case: the sentence goes on. */
  g_assert_cmpstr (s->summary, ==, s->description);
}

static void
test_scenario_no_header (void)
{
  g_autoptr (LsScenario) s = ls_scenario_new ("plain.py", "import asyncio\n# title: late\n");
  g_autofree char *first = ls_scenario_first_sentence ("One. Two. Three");

  g_assert_cmpstr (s->title, ==, "plain");
  g_assert_cmpstr (s->description, ==, "");
  g_assert_cmpstr (first, ==, "One.");
}

static void
test_scenario_bundled (void)
{
  g_autofree char *text = read_scenario ("gather_factorial.py");
  g_autoptr (LsScenario) s = ls_scenario_new ("gather_factorial.py", text);

  g_assert_cmpstr (s->title, ==, "Three factorials with gather");
  g_assert_true (g_str_has_prefix (s->summary, "Three tasks compute factorials"));
  g_assert_true (g_str_has_suffix (s->summary, "."));
}

/* Every bundled scenario, and only those, has a title and a description in
 * every language of translations.ini; translating picks them, the summary
 * ends at the first ideographic full stop, and another language keeps the
 * English header. */
static void
test_scenario_translations (void)
{
  g_autofree char *dir = g_build_filename (LS_TEST_SOURCE_DIR, "data", "scenarios", NULL);
  g_autofree char *ini = g_build_filename (dir, "translations.ini", NULL);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  g_auto (GStrv) groups = NULL;
  const char *name;
  guint scenarios = 0;

  g_assert_no_error (error);
  g_assert_true (g_key_file_load_from_file (kf, ini, G_KEY_FILE_KEEP_TRANSLATIONS, &error));
  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *text = NULL, *en_title = NULL;
      g_autoptr (LsScenario) s = NULL;

      if (!g_str_has_suffix (name, ".py"))
        continue;
      scenarios++;
      text = read_scenario (name);
      s = ls_scenario_new (name, text);
      en_title = g_strdup (s->title);
      ls_scenario_translate (s, kf, "de");
      g_assert_cmpstr (s->title, ==, en_title);
      ls_scenario_translate (s, kf, "zh_CN");
      if (g_strcmp0 (s->title, en_title) == 0 || !g_utf8_strchr (s->description, -1, 0x3002))
        g_error ("%s has no zh_CN title or description in translations.ini", name);
      g_assert_true (g_str_has_suffix (s->summary, "。"));
      g_assert_cmpuint (strlen (s->summary), <=, strlen (s->description));
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      g_autofree char *path = g_build_filename (dir, groups[i], NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_error ("translations.ini names %s, which is not a bundled scenario", groups[i]);
    }
  g_assert_cmpuint (g_strv_length (groups), ==, scenarios);
}

/* ---- runs ------------------------------------------------------------------- */

typedef struct {
  GMainLoop *loop;
  LsRunResult *result;
} RunWait;

static void
on_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  RunWait *w = user_data;
  g_autoptr (GError) error = NULL;

  w->result = ls_run_job_finish (LS_RUN_JOB (source), res, &error);
  g_assert_no_error (error);
  g_main_loop_quit (w->loop);
}

static LsRunResult *
run_source (const char *name, const char *source, gboolean cancel_soon)
{
  g_autoptr (LsRunJob) job = ls_run_job_new (name, source);
  RunWait w = { g_main_loop_new (NULL, FALSE), NULL };

  ls_run_job_start (job, on_done, &w);
  if (cancel_soon)
    {
      /* Let it get going, then press Cancel. */
      while (ls_run_job_get_n_events (job) < 1000)
        g_usleep (1000);
      ls_run_job_cancel (job);
    }
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_nonnull (w.result);
  return w.result;
}

static int
task_named (const LsTraceModel *model, const char *name)
{
  guint n;
  const LsTraceTask *t = ls_trace_model_get_tasks (model, &n);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (t[i].name, name))
      return (int) i;
  return -1;
}

static void
test_run_gather (void)
{
  g_autofree char *text = read_scenario ("gather_factorial.py");
  g_autoptr (LsRunResult) r = run_source ("gather_factorial.py", text, FALSE);
  const LsTraceRun *run;

  g_assert_false (r->syntax_error);
  g_assert_cmpint (r->status, ==, LS_VM_OK);
  g_assert_nonnull (r->model);
  g_assert_true (g_str_has_prefix (r->output, "Task A: Compute factorial(2), currently i=2...\n"));
  g_assert_true (g_str_has_suffix (r->output, "[2, 6, 24]\n"));
  run = ls_trace_model_get_run (r->model);
  g_assert_cmpfloat (run->end_time, ==, 3.0);
  g_assert_cmpint (task_named (r->model, "Task-4"), >=, 0);
  /* The recorded file is there to be saved. */
  g_assert_nonnull (r->trace_path);
  g_assert_true (g_file_test (r->trace_path, G_FILE_TEST_IS_REGULAR));
}

static void
test_run_syntax_error (void)
{
  g_autoptr (LsRunResult) r = run_source ("bad.py", "import asyncio\n\nx = (1 +\nprint(x)\n", FALSE);

  g_assert_true (r->syntax_error);
  g_assert_null (r->model);
  g_assert_cmpint (r->error_line, ==, 3);
  g_assert_cmpint (r->error_col, >, 0);
  g_assert_nonnull (r->error_message);
  g_assert_true (g_str_has_prefix (r->error_text, "bad.py:3:"));
}

static void
test_run_cancel (void)
{
  g_autoptr (LsRunResult) r = run_source ("forever.py",
    "import asyncio\n"
    "async def spin():\n"
    "    while True:\n"
    "        await asyncio.sleep(0)\n"
    "asyncio.run(spin())\n", TRUE);
  const LsTraceRun *run;

  g_assert_true (r->cancelled);
  g_assert_cmpint (r->status, ==, LS_VM_INTERRUPTED);
  g_assert_nonnull (r->model);
  run = ls_trace_model_get_run (r->model);
  g_assert_cmpuint (run->n_events, >=, 1000);
  g_assert_cmpstr (run->outcome_name, ==, "stopped");
}

/* ---- the loop at a moment ------------------------------------------------------ */

static void
test_loop_state_gather (void)
{
  g_autofree char *text = read_scenario ("gather_factorial.py");
  g_autoptr (LsRunResult) r = run_source ("gather_factorial.py", text, FALSE);
  g_autoptr (LsLoopCursor) cursor = ls_loop_cursor_new (r->model);
  const LsTraceStep *steps;
  guint n_steps;
  int t2 = task_named (r->model, "Task-2"), t3 = task_named (r->model, "Task-3");
  int t4 = task_named (r->model, "Task-4"), t1 = task_named (r->model, "Task-1");
  LsLoopState *st;

  steps = ls_trace_model_get_steps (r->model, &n_steps);
  g_assert_cmpuint (n_steps, >=, 5);
  /* After main's first step: it awaits the gather; the three children
   * are ready, in the order they were created. */
  g_assert_cmpint (steps[0].task, ==, t1);
  st = ls_loop_cursor_state_at (cursor, steps[0].end_seq);
  g_assert_cmpint (st->running, ==, -1);
  g_assert_cmpuint (st->ready->len, ==, 3);
  g_assert_cmpint (g_array_index (st->ready, int, 0), ==, t2);
  g_assert_cmpint (g_array_index (st->ready, int, 1), ==, t3);
  g_assert_cmpint (g_array_index (st->ready, int, 2), ==, t4);
  g_assert_cmpint (g_array_index (st->tasks, LsLoopTask, t1).state, ==, LS_LOOP_TASK_WAITING);
  g_assert_cmpstr (g_array_index (st->tasks, LsLoopTask, t1).await_kind, ==, "gather");
  g_assert_cmpuint (st->timers->len, ==, 0);
  ls_loop_state_free (st);

  /* After the three first steps: nobody is ready, three sleeps of one
   * second are pending, each naming its sleeper. */
  st = ls_loop_cursor_state_at (cursor, steps[3].end_seq);
  g_assert_cmpuint (st->ready->len, ==, 0);
  g_assert_cmpuint (st->timers->len, ==, 3);
  g_assert_cmpfloat (g_array_index (st->timers, LsLoopTimer, 0).deadline, ==, 1.0);
  g_assert_cmpint (g_array_index (st->timers, LsLoopTimer, 0).sleeper, ==, t2);
  g_assert_cmpint (g_array_index (st->tasks, LsLoopTask, t4).state, ==, LS_LOOP_TASK_WAITING);
  g_assert_cmpstr (g_array_index (st->tasks, LsLoopTask, t4).await_kind, ==, "sleep");
  ls_loop_state_free (st);

  /* Inside Task-2's second step (at t = 1): it runs, the others are ready. */
  st = ls_loop_cursor_state_at (cursor, steps[4].begin_seq);
  g_assert_cmpint (st->running, ==, t2);
  g_assert_cmpfloat (st->time, ==, 1.0);
  g_assert_cmpuint (st->ready->len, ==, 2);
  ls_loop_state_free (st);

  /* Going back rescans: the answer does not depend on the way there. */
  st = ls_loop_cursor_state_at (cursor, steps[0].end_seq);
  g_assert_cmpuint (st->timers->len, ==, 0);
  g_assert_cmpuint (st->ready->len, ==, 3);
  ls_loop_state_free (st);

  /* At the end everyone is done. */
  st = ls_loop_cursor_state_at (cursor, G_MAXUINT32);
  for (guint i = 0; i < st->tasks->len; i++)
    g_assert_cmpint (g_array_index (st->tasks, LsLoopTask, i).state, ==, LS_LOOP_TASK_DONE);
  ls_loop_state_free (st);
}

static void
test_task_line (void)
{
  g_autofree char *text = read_scenario ("gather_factorial.py");
  g_autoptr (LsRunResult) r = run_source ("gather_factorial.py", text, FALSE);
  const LsTraceStep *steps;
  guint n_steps;

  steps = ls_trace_model_get_steps (r->model, &n_steps);
  /* Task-2's first step stops at `await asyncio.sleep(1)` on line 13. */
  g_assert_cmpint (ls_loop_task_line_at (r->model, steps[1].task, steps[1].end_seq), ==, 13);
}

/* ---- translation ------------------------------------------------------------------ */

static void
test_translation_zh_cn (void)
{
  const char *dir = g_getenv ("LOOPSCOPE_LOCALEDIR");
  g_autofree char *mo = NULL;

  if (!dir)
    {
      g_test_skip ("LOOPSCOPE_LOCALEDIR not set");
      return;
    }
  mo = g_build_filename (dir, "zh_CN", "LC_MESSAGES", "loopscope.mo", NULL);
  g_assert_true (g_file_test (mo, G_FILE_TEST_EXISTS));
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain ("loopscope", dir);
  bind_textdomain_codeset ("loopscope", "UTF-8");
  g_assert_cmpstr (g_dgettext ("loopscope", "Findings"), ==, "发现的问题");
  g_assert_cmpstr (g_dgettext ("loopscope", "Ready queue"), ==, "就绪队列");
  g_unsetenv ("LANGUAGE");
}

/* Every message of the template has its Simplified Chinese translation:
 * no empty msgstr after the header, no fuzzy entry. */
static void
test_translation_complete (void)
{
  g_autofree char *path = g_build_filename (LS_TEST_SOURCE_DIR, "data", "po", "zh_CN.po", NULL);
  g_autofree char *text = NULL;
  const char *body;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  body = strstr (text, "\n\n");
  g_assert_nonnull (body);
  g_assert_null (strstr (body, "msgstr \"\"\n\n"));
  g_assert_false (g_str_has_suffix (body, "msgstr \"\"\n"));
  g_assert_null (strstr (body, "#, fuzzy"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/scenario/header", test_scenario_header);
  g_test_add_func ("/ui/scenario/no-header", test_scenario_no_header);
  g_test_add_func ("/ui/scenario/bundled", test_scenario_bundled);
  g_test_add_func ("/ui/scenario/translations", test_scenario_translations);
  g_test_add_func ("/ui/run/gather", test_run_gather);
  g_test_add_func ("/ui/run/syntax-error", test_run_syntax_error);
  g_test_add_func ("/ui/run/cancel", test_run_cancel);
  g_test_add_func ("/ui/loop-state/gather", test_loop_state_gather);
  g_test_add_func ("/ui/loop-state/task-line", test_task_line);
  g_test_add_func ("/ui/i18n/zh-cn", test_translation_zh_cn);
  g_test_add_func ("/ui/i18n/zh-cn-complete", test_translation_complete);
  return g_test_run ();
}
