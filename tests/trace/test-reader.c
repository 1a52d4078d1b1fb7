/* test-reader.c - the trace reader and the model it builds: what a user
 * sees on the timeline (lanes, intervals, groups, arrows, marks) comes
 * out of real recorded runs as it happened, and every kind of bad file
 * gets its one clear error.
 *
 * Traces are recorded by loopscope-cli run --trace from bundled scenarios
 * and the purpose-made programs of tests/trace/findings/, into a temporary
 * directory; bad files are made there too.
 */
#include "ls-trace-reader.h"
#include "trace-test-util.h"
#include "ls-trace-recorder.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

static char *tmp_dir;

static char *
record (const char *scenario)
{
  return ls_test_record (tmp_dir, scenario);
}

static LsTraceModel *
load_scenario (const char *scenario)
{
  char *path = record (scenario);
  LsTraceModel *m = ls_test_load (path);
  g_free (path);
  return m;
}

static int
find_task_named (const LsTraceModel *m, const char *name)
{
  guint n;
  const LsTraceTask *t = ls_trace_model_get_tasks (m, &n);
  for (guint i = 0; i < n; i++)
    if (t[i].name && strcmp (t[i].name, name) == 0)
      return (int) i;
  return -1;
}

/* ---- a good trace ------------------------------------------------------------ */

static void
test_run_facts (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("data/scenarios/gather_factorial.py");
  const LsTraceRun *r = ls_trace_model_get_run (m);
  guint n;

  g_assert_cmpint (r->schema_version, ==, LS_TRACE_SCHEMA_VERSION);
  g_assert_cmpstr (r->semantics, ==, LS_TRACE_SEMANTICS);
  g_assert_nonnull (r->tool_version);
  g_assert_true (g_str_has_suffix (r->scenario_path, "gather_factorial.py"));
  g_assert_nonnull (strstr (r->source, "async def factorial(name, number):"));
  g_assert_cmpint (r->outcome, ==, LS_TRACE_OUTCOME_FINISHED);
  g_assert_cmpint (r->exit_status, ==, 0);
  g_assert_false (r->interrupted);
  g_assert_cmpfloat (r->end_time, ==, 3.0);
  g_assert_cmpfloat (r->epoch, >, 0.0);
  ls_trace_model_get_events (m, &n);
  g_assert_cmpuint (n, ==, r->n_events);
  g_assert_cmpuint (n, >, 50);
}

static void
test_events_in_order (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("data/scenarios/gather_factorial.py");
  guint n, n_tasks, begins = 0, steps = 0;
  const LsTraceEvent *ev = ls_trace_model_get_events (m, &n);
  const LsTraceTask *t = ls_trace_model_get_tasks (m, &n_tasks);

  for (guint i = 0; i < n; i++)
    {
      g_assert_true (ls_trace_model_get_event (m, i + 1) == &ev[i]);
      if (i > 0)
        g_assert_cmpfloat (ev[i].time, >=, ev[i - 1].time);
      if (ev[i].kind == LS_EVENT_STEP_BEGIN)
        begins++;
    }
  g_assert_null (ls_trace_model_get_event (m, 0));
  g_assert_null (ls_trace_model_get_event (m, n + 1));
  for (guint i = 0; i < n_tasks; i++)
    steps += t[i].steps;
  g_assert_cmpuint (steps, ==, begins);
  g_assert_cmpint (ev[0].kind, ==, LS_EVENT_TASK_CREATED);
  g_assert_cmpstr (ev[0].detail, ==, "Task-1");
}

static void
test_tasks (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("data/scenarios/gather_factorial.py");
  static const char *const results[] = { "None", "2", "6", "24" };
  static const guint steps[] = { 2, 2, 3, 4 };
  guint n;
  const LsTraceTask *t = ls_trace_model_get_tasks (m, &n);

  /* main, three factorials, then asyncio.run's two housekeeping tasks. */
  g_assert_cmpuint (n, ==, 6);
  for (guint i = 0; i < 4; i++)
    {
      char *name = g_strdup_printf ("Task-%u", i + 1);
      g_assert_cmpstr (t[i].name, ==, name);
      g_assert_cmpstr (t[i].coro, ==, i == 0 ? "main()" : "factorial()");
      g_assert_cmpint (t[i].parent, ==, i == 0 ? -1 : 0);
      g_assert_cmpint (t[i].line, ==, i == 0 ? 18 : 9);
      g_assert_cmpint (t[i].outcome, ==, LS_TRACE_RESULT);
      g_assert_cmpstr (t[i].result, ==, results[i]);
      g_assert_cmpuint (t[i].steps, ==, steps[i]);
      g_assert_cmpuint (t[i].created_seq, <, t[i].finished_seq);
      g_assert_false (t[i].internal);
      g_assert_cmpint (ls_trace_model_find_task (m, t[i].id), ==, (int) i);
      g_free (name);
    }
  g_assert_true (t[4].internal);
  g_assert_true (t[5].internal);
  g_assert_cmpfloat (t[3].finished_time, ==, 3.0);
  g_assert_cmpint (ls_trace_model_find_task (m, 999999), ==, -1);
}

/* Every lane's intervals follow each other without gaps, from its creation
 * to its end. */
static void
assert_intervals_contiguous (const LsTraceModel *m)
{
  guint n;
  const LsTraceTask *t = ls_trace_model_get_tasks (m, &n);

  for (guint i = 0; i < n; i++)
    {
      guint k;
      const LsTraceInterval *iv = ls_trace_model_get_task_intervals (m, i, &k);
      g_assert_cmpuint (k, >, 0);
      g_assert_cmpuint (iv[0].from_seq, ==, t[i].created_seq);
      for (guint j = 0; j < k; j++)
        {
          g_assert_cmpuint (iv[j].from_seq, <=, iv[j].to_seq);
          g_assert_cmpfloat (iv[j].from_time, <=, iv[j].to_time);
          if (j > 0)
            {
              g_assert_cmpuint (iv[j].from_seq, ==, iv[j - 1].to_seq);
              g_assert_cmpfloat (iv[j].from_time, ==, iv[j - 1].to_time);
            }
        }
      if (t[i].finished_seq)
        {
          g_assert_cmpuint (iv[k - 1].to_seq, ==, t[i].finished_seq);
          g_assert_false (iv[k - 1].open);
        }
    }
}

static void
test_intervals (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("data/scenarios/gather_factorial.py");
  static const LsTraceState expect[] = {
    LS_TRACE_READY, LS_TRACE_RUNNING, LS_TRACE_WAITING, LS_TRACE_READY, LS_TRACE_RUNNING,
  };
  guint k;
  const LsTraceInterval *iv = ls_trace_model_get_task_intervals (m, 1, &k);

  assert_intervals_contiguous (m);
  /* Task-2: factorial("A", 2) sleeps once, from 0 to 1. */
  g_assert_cmpuint (k, ==, G_N_ELEMENTS (expect));
  for (guint j = 0; j < k; j++)
    g_assert_cmpint (iv[j].state, ==, expect[j]);
  g_assert_cmpstr (iv[2].await_kind, ==, "sleep");
  g_assert_cmpfloat (iv[2].from_time, ==, 0.0);
  g_assert_cmpfloat (iv[2].to_time, ==, 1.0);
  g_assert_cmpint (iv[2].awaitable, >=, 0);
  /* main waits on the gather from 0 to 3. */
  iv = ls_trace_model_get_task_intervals (m, 0, &k);
  g_assert_cmpint (iv[2].state, ==, LS_TRACE_WAITING);
  g_assert_cmpstr (iv[2].await_kind, ==, "gather");
  g_assert_cmpfloat (iv[2].to_time, ==, 3.0);
  g_assert_null (ls_trace_model_get_task_intervals (m, 100, &k));
  g_assert_cmpuint (k, ==, 0);
}

static void
test_steps (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("data/scenarios/gather_factorial.py");
  guint n;
  const LsTraceStep *st = ls_trace_model_get_steps (m, &n);
  const LsTraceEvent *ev = ls_trace_model_get_events (m, NULL);

  g_assert_cmpuint (n, ==, 2 + 2 + 3 + 4 + 2);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (ev[st[i].begin_seq - 1].kind, ==, LS_EVENT_STEP_BEGIN);
      g_assert_cmpint (ev[st[i].end_seq - 1].kind, ==, LS_EVENT_STEP_END);
      g_assert_cmpuint (ls_trace_step_cost (m, &st[i]), ==, st[i].end_seq - st[i].begin_seq - 1);
      if (i > 0)
        g_assert_cmpuint (st[i].begin_seq, >, st[i - 1].begin_seq);
    }
  g_assert_cmpint (st[0].end_reason, ==, LS_REASON_AWAITING);
}

/* gather's children in the order given, numbered in the order they finished. */
static void
test_gather_group (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("data/scenarios/gather_factorial.py");
  guint n, k;
  const LsTraceAwaitable *a = ls_trace_model_get_awaitables (m, &n);
  const LsTraceMember *mb = NULL;
  int gather = -1;

  for (guint i = 0; i < n; i++)
    if (strcmp (a[i].kind, "gather") == 0)
      gather = (int) i;
  g_assert_cmpint (gather, >=, 0);
  g_assert_cmpint (a[gather].creator, ==, 0);
  g_assert_cmpint (a[gather].outcome, ==, LS_TRACE_RESULT);
  g_assert_cmpfloat (a[gather].done_time, ==, 3.0);
  mb = ls_trace_model_get_group_members (m, (guint) gather, &k);
  g_assert_cmpuint (k, ==, 3);
  for (guint j = 0; j < k; j++)
    {
      g_assert_cmpint (mb[j].task, ==, (int) j + 1);
      g_assert_cmpuint (mb[j].done_rank, ==, j + 1);
      g_assert_cmpuint (mb[j].done_seq, !=, 0);
    }
}

/* as_completed: members in creation order, ranks in finishing order. */
static void
test_as_completed_order (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("data/scenarios/as_completed.py");
  /* report.pdf 3 s, logo.png 1 s, data.csv 2.5 s, notes.txt 0.5 s */
  static const guint ranks[] = { 4, 2, 3, 1 };
  guint n, k;
  const LsTraceAwaitable *a = ls_trace_model_get_awaitables (m, &n);
  int group = -1;

  for (guint i = 0; i < n; i++)
    if (strcmp (a[i].kind, "as_completed") == 0)
      group = (int) i;
  g_assert_cmpint (group, >=, 0);
  const LsTraceMember *mb = ls_trace_model_get_group_members (m, (guint) group, &k);
  g_assert_cmpuint (k, ==, 4);
  for (guint j = 0; j < k; j++)
    g_assert_cmpuint (mb[j].done_rank, ==, ranks[j]);
  /* Each getter main awaits is woken by the download that finished. */
  guint ne;
  const LsTraceEdge *e = ls_trace_model_get_edges (m, &ne);
  guint woken_by_download = 0;
  for (guint i = 0; i < ne; i++)
    if (e[i].kind == LS_TRACE_EDGE_WOKEN && e[i].to_task == 0 && e[i].from_task > 0)
      woken_by_download++;
  g_assert_cmpuint (woken_by_download, ==, 4);
}

static void
test_edges_created_and_woken (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("data/scenarios/gather_factorial.py");
  guint n, created = 0;
  const LsTraceEdge *e = ls_trace_model_get_edges (m, &n);
  const LsTraceEdge *main_woken = NULL;

  for (guint i = 0; i < n; i++)
    {
      if (e[i].kind == LS_TRACE_EDGE_CREATED)
        {
          created++;
          g_assert_cmpint (e[i].from_task, ==, 0);
        }
      if (e[i].kind == LS_TRACE_EDGE_WOKEN && e[i].to_task == 0)
        main_woken = &e[i];
      if (e[i].kind == LS_TRACE_EDGE_WOKEN && e[i].to_task == 1)
        {
          /* A sleep is ended by its timer. */
          g_assert_cmpint (e[i].from_task, ==, -1);
          g_assert_cmpuint (e[i].from_id, !=, 0);
          g_assert_cmpfloat (e[i].from_time, ==, 1.0);
        }
    }
  g_assert_cmpuint (created, ==, 3);
  /* main is woken by the last factorial to finish, through the gather. */
  g_assert_nonnull (main_woken);
  g_assert_cmpint (main_woken->from_task, ==, 3);
  g_assert_cmpint (ls_trace_model_get_event (m, main_woken->to_seq)->kind, ==,
                   LS_EVENT_STEP_BEGIN);
  g_assert_cmpint (ls_trace_model_find_awaitable (m, main_woken->via), >=, 0);
}

static void
test_timed_out (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("data/scenarios/wait_for_timeout.py");
  guint n;
  const LsTraceEdge *e = ls_trace_model_get_edges (m, &n);
  const LsTraceEdge *t = NULL;

  for (guint i = 0; i < n; i++)
    if (e[i].kind == LS_TRACE_EDGE_TIMED_OUT)
      {
        g_assert_null (t);
        t = &e[i];
      }
  g_assert_nonnull (t);
  g_assert_cmpint (t->to_task, ==, 0);
  g_assert_cmpint (t->from_task, ==, -1);
  g_assert_cmpfloat (t->deadline, ==, 1.0);
  g_assert_cmpint (ls_trace_model_get_event (m, t->from_seq)->kind, ==, LS_EVENT_TIMER_FIRED);
  g_assert_cmpint (ls_trace_model_get_event (m, t->to_seq)->kind, ==, LS_EVENT_CANCEL_REQUESTED);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (e[i].kind, !=, LS_TRACE_EDGE_CANCELLED);
}

static void
test_cancelled_by_task (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("tests/trace/findings/swallowed_cancel.py");
  guint n, found = 0;
  const LsTraceEdge *e = ls_trace_model_get_edges (m, &n);

  for (guint i = 0; i < n; i++)
    if (e[i].kind == LS_TRACE_EDGE_CANCELLED)
      {
        g_assert_cmpint (e[i].from_task, ==, 0);
        g_assert_cmpint (e[i].to_task, ==, 1);
        g_assert_cmpfloat (e[i].to_time, ==, 1.0);
        found++;
      }
  g_assert_cmpuint (found, ==, 1);
}

/* TaskGroup: its children form a group; the failing child cancels its
 * sibling still running and the parent. */
static void
test_taskgroup (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("data/scenarios/taskgroup_failing.py");
  guint n, k, cancels = 0;
  const LsTraceAwaitable *a = ls_trace_model_get_awaitables (m, &n);
  const LsTraceEdge *e;
  int group = -1;

  for (guint i = 0; i < n; i++)
    if (strcmp (a[i].kind, "TaskGroup") == 0)
      group = (int) i;
  g_assert_cmpint (group, >=, 0);
  g_assert_cmpint (a[group].creator, ==, 0);
  const LsTraceMember *mb = ls_trace_model_get_group_members (m, (guint) group, &k);
  g_assert_cmpuint (k, ==, 3);
  g_assert_cmpint (mb[0].task, ==, 1);
  g_assert_cmpint (mb[2].task, ==, 3);
  e = ls_trace_model_get_edges (m, &n);
  for (guint i = 0; i < n; i++)
    if (e[i].kind == LS_TRACE_EDGE_CANCELLED)
      {
        g_assert_cmpint (e[i].from_task, ==, 2);     /* broken.bin */
        g_assert_true (e[i].to_task == 3 || e[i].to_task == 0);
        g_assert_cmpuint (e[i].via, ==, a[group].id);
        cancels++;
      }
  g_assert_cmpuint (cancels, ==, 2);
  g_assert_cmpint (ls_trace_model_get_tasks (m, NULL)[3].outcome, ==, LS_TRACE_CANCELLED);
}

static void
test_blocked (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("data/scenarios/blocking_sleep.py");
  guint n, k;
  const LsTraceBlock *b = ls_trace_model_get_blocks (m, &n);
  int careless = find_task_named (m, "Task-3");
  const LsTraceInterval *iv;
  gboolean seen = FALSE;

  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (b[0].task, ==, careless);
  g_assert_cmpfloat (b[0].time, ==, 1.0);
  g_assert_cmpfloat (b[0].duration, ==, 2.0);
  iv = ls_trace_model_get_task_intervals (m, (guint) careless, &k);
  for (guint j = 0; j < k; j++)
    if (iv[j].state == LS_TRACE_BLOCKED)
      {
        g_assert_cmpfloat (iv[j].from_time, ==, 1.0);
        g_assert_cmpfloat (iv[j].to_time, ==, 3.0);
        g_assert_cmpint (iv[j - 1].state, ==, LS_TRACE_RUNNING);
        g_assert_cmpint (iv[j + 1].state, ==, LS_TRACE_RUNNING);
        seen = TRUE;
      }
  g_assert_true (seen);
  assert_intervals_contiguous (m);
}

static void
test_marks (void)
{
  g_autoptr (LsTraceModel) m = load_scenario ("tests/trace/findings/exception_unretrieved.py");
  guint n, outputs = 0, stderr_outputs = 0, exceptions = 0, warnings = 0;
  const LsTraceMark *mk = ls_trace_model_get_marks (m, &n);

  for (guint i = 0; i < n; i++)
    switch (mk[i].kind)
      {
      case LS_TRACE_MARK_OUTPUT:
        outputs++;
        if (mk[i].stderr_)
          stderr_outputs++;
        else
          {
            /* print("done") after asyncio.run: outside any task, on the
             * main program's lane, which waited on asyncio.run till then. */
            const LsTraceTask *t = &ls_trace_model_get_tasks (m, NULL)[mk[i].task];
            g_assert_cmpstr (mk[i].text, ==, "done\n");
            g_assert_cmpstr (t->name, ==, "main program");
            g_assert_cmpuint (t->id, ==, 0);
          }
        break;
      case LS_TRACE_MARK_EXCEPTION:
        exceptions++;
        g_assert_cmpint (mk[i].task, ==, 1);
        g_assert_cmpstr (mk[i].text, ==, "ValueError: lost");
        break;
      case LS_TRACE_MARK_WARNING:
        warnings++;
        g_assert_cmpstr (mk[i].tag, ==, "exception-never-retrieved");
        break;
      default:
        break;
      }
  g_assert_cmpuint (outputs, ==, stderr_outputs + 1);
  g_assert_cmpuint (stderr_outputs, >=, 1);
  g_assert_cmpuint (exceptions, ==, 1);
  g_assert_cmpuint (warnings, ==, 1);
}

/* Every bundled scenario loads and keeps the model's invariants. */
static void
test_bundled_scenarios_load (void)
{
  char *dir = g_build_filename (LS_TEST_SOURCE_DIR, "data", "scenarios", NULL);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    {
      char *rel;
      LsTraceModel *m;
      if (!g_str_has_suffix (name, ".py"))
        continue;
      rel = g_build_filename ("data", "scenarios", name, NULL);
      m = load_scenario (rel);
      assert_intervals_contiguous (m);
      g_assert_false (ls_trace_model_get_run (m)->interrupted);
      ls_trace_model_free (m);
      g_free (rel);
      count++;
    }
  g_dir_close (d);
  g_free (dir);
  g_assert_cmpuint (count, >=, 10);
}

/* ---- the builder, without a file -------------------------------------------- */

static void
test_builder_yield (void)
{
  LsTraceModelBuilder *b = ls_trace_model_builder_new ();
  const LsEvent evs[] = {
    { .kind = LS_EVENT_TASK_CREATED, .task = 1, .detail = "Task-1", .extra = "main() running at x.py:1" },
    { .kind = LS_EVENT_STEP_BEGIN, .task = 1 },
    { .kind = LS_EVENT_STEP_END, .task = 1, .reason = LS_REASON_YIELDED },
    { .kind = LS_EVENT_STEP_BEGIN, .task = 1, .time = 0.5 },
  };
  LsTraceModel *m;
  guint k;
  const LsTraceInterval *iv;

  for (guint i = 0; i < G_N_ELEMENTS (evs); i++)
    ls_trace_model_builder_add (b, &evs[i]);
  m = ls_trace_model_builder_finish (b);
  /* No meta: the run is taken as interrupted, and the last step is open. */
  g_assert_true (ls_trace_model_get_run (m)->interrupted);
  iv = ls_trace_model_get_task_intervals (m, 0, &k);
  g_assert_cmpuint (k, ==, 4);
  g_assert_cmpint (iv[2].state, ==, LS_TRACE_READY);
  g_assert_cmpuint (iv[2].from_seq, ==, 3);
  g_assert_cmpint (iv[3].state, ==, LS_TRACE_RUNNING);
  g_assert_true (iv[3].open);
  g_assert_cmpstr (ls_trace_model_get_tasks (m, NULL)[0].coro, ==, "main()");
  g_assert_cmpuint (ls_trace_model_get_steps (m, NULL)[1].open, ==, TRUE);
  ls_trace_model_free (m);
}

/* ---- bad files ---------------------------------------------------------------- */

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* A copy of a good trace, to damage. */
static char *
copy_of_good (const char *name)
{
  char *good = record ("data/scenarios/gather_factorial.py");
  char *path = tmp_path (name);
  char *data;
  gsize len;

  g_assert_true (g_file_get_contents (good, &data, &len, NULL));
  g_assert_true (g_file_set_contents (path, data, (gssize) len, NULL));
  g_free (data);
  g_free (good);
  return path;
}

static void
exec_sql (const char *path, const char *sql)
{
  sqlite3 *db;
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
assert_load_fails (const char *path, int code, const char *message_part)
{
  GError *error = NULL;
  LsTraceModel *m = ls_trace_model_load (path, &error);
  g_assert_null (m);
  g_assert_error (error, LS_TRACE_ERROR, code);
  if (message_part && !strstr (error->message, message_part))
    g_error ("'%s' does not say '%s'", error->message, message_part);
  g_test_message ("%s", error->message);
  g_error_free (error);
}

static void
test_bad_missing (void)
{
  char *path = tmp_path ("no-such-trace.sqlite");
  assert_load_fails (path, LS_TRACE_ERROR_IO, "No such file");
  g_free (path);
}

static void
test_bad_directory (void)
{
  assert_load_fails (tmp_dir, LS_TRACE_ERROR_IO, "not a regular file");
}

static void
test_bad_empty (void)
{
  char *path = tmp_path ("empty.sqlite");
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  assert_load_fails (path, LS_TRACE_ERROR_NOT_TRACE, "empty");
  g_free (path);
}

static void
test_bad_text (void)
{
  char *path = tmp_path ("notes.txt");
  char *text = g_strnfill (4096, 'x');
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  assert_load_fails (path, LS_TRACE_ERROR_NOT_TRACE, "not an SQLite database");
  g_free (text);
  g_free (path);
}

static void
test_bad_other_sqlite (void)
{
  char *path = tmp_path ("other.sqlite");
  exec_sql (path, "CREATE TABLE contacts (name TEXT, phone TEXT);"
                  "INSERT INTO contacts VALUES ('a', '1');");
  assert_load_fails (path, LS_TRACE_ERROR_NOT_TRACE, "another kind");
  g_free (path);
}

static void
test_bad_no_events_table (void)
{
  char *path = copy_of_good ("no-events.sqlite");
  exec_sql (path, "DROP VIEW event_list; DROP TABLE events;");
  assert_load_fails (path, LS_TRACE_ERROR_NOT_TRACE, "events");
  g_free (path);
}

static void
test_bad_newer (void)
{
  char *path = copy_of_good ("newer.sqlite");
  char *sql = g_strdup_printf ("PRAGMA user_version = %d", LS_TRACE_SCHEMA_VERSION + 1);
  exec_sql (path, sql);
  assert_load_fails (path, LS_TRACE_ERROR_NEWER, "newer");
  g_free (sql);
  g_free (path);
}

static void
test_bad_truncated (void)
{
  char *path = copy_of_good ("truncated.sqlite");
  char *data;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 8192);
  g_assert_true (g_file_set_contents (path, data, (gssize) (len / 2), NULL));
  assert_load_fails (path, LS_TRACE_ERROR_CORRUPT, "truncated");
  g_free (data);
  g_free (path);
}

/* Bytes overwritten in the middle of the file: whatever SQLite makes of
 * it, one error, never a crash or a model. */
static void
test_bad_corrupt_pages (void)
{
  char *path = copy_of_good ("corrupt.sqlite");
  char *data;
  gsize len;
  GError *error = NULL;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  for (gsize i = 1024; i < len; i++)
    data[i] = (char) (i * 7 + 3);
  g_assert_true (g_file_set_contents (path, data, (gssize) len, NULL));
  g_assert_null (ls_trace_model_load (path, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == LS_TRACE_ERROR);
  g_assert_true (error->code == LS_TRACE_ERROR_CORRUPT || error->code == LS_TRACE_ERROR_NOT_TRACE);
  g_test_message ("%s", error->message);
  g_error_free (error);
  g_free (data);
  g_free (path);
}

static void
test_bad_gap (void)
{
  char *path = copy_of_good ("gap.sqlite");
  exec_sql (path, "DELETE FROM events WHERE seq = 10");
  assert_load_fails (path, LS_TRACE_ERROR_CORRUPT, "event 10 is missing");
  g_free (path);
}

static void
test_bad_short (void)
{
  char *path = copy_of_good ("short.sqlite");
  exec_sql (path, "DELETE FROM events WHERE seq > 40");
  assert_load_fails (path, LS_TRACE_ERROR_CORRUPT, "40 of");
  g_free (path);
}

/* meta.outcome "running": the recording process died.  It loads, flagged. */
static void
test_interrupted_marked (void)
{
  char *path = copy_of_good ("running.sqlite");
  GError *error = NULL;
  LsTraceModel *m;

  exec_sql (path, "UPDATE meta SET value = 'running' WHERE key = 'outcome';"
                  "DELETE FROM events WHERE seq > 40;");
  m = ls_trace_model_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (ls_trace_model_get_run (m)->interrupted);
  g_assert_cmpuint (ls_trace_model_get_run (m)->n_events, ==, 40);
  assert_intervals_contiguous (m);
  ls_trace_model_free (m);
  g_free (path);
}

/* A process that dies while recording (no finish, no close): the file left
 * behind, with its write-ahead log, opens as an interrupted run. */
static void
test_interrupted_killed (void)
{
  char *path = tmp_path ("killed.sqlite");
  GError *error = NULL;
  LsTraceModel *m;

  if (g_test_subprocess ())
    {
      LsTraceRunInfo info = { .scenario_path = "killed.py", .source = "pass\n" };
      LsTraceRecorder *r = ls_trace_recorder_new (path, &info, &error);
      LsEvent ev = { .kind = LS_EVENT_TASK_CREATED, .task = 1, .detail = "Task-1",
                     .extra = "main() running at killed.py:1" };
      g_assert_no_error (error);
      for (guint64 seq = 1; seq <= 100; seq++)
        {
          ev.seq = seq;
          ls_trace_recorder_observe (&ev, r);
          ev.kind = seq % 2 ? LS_EVENT_STEP_BEGIN : LS_EVENT_STEP_END;
          ev.reason = seq % 2 ? LS_REASON_NONE : LS_REASON_YIELDED;
        }
      g_assert_true (ls_trace_recorder_flush (r, &error));
      _exit (0);
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  m = ls_trace_model_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (ls_trace_model_get_run (m)->interrupted);
  g_assert_cmpuint (ls_trace_model_get_run (m)->n_events, ==, 100);
  g_assert_cmpuint (ls_trace_model_get_tasks (m, NULL)[0].steps, ==, 50);
  ls_trace_model_free (m);
  g_free (path);
}

static void
remove_tree (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  if (!d)
    return;
  while ((name = g_dir_read_name (d)))
    {
      char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
      g_free (p);
    }
  g_dir_close (d);
  g_rmdir (dir);
}

/* Greenlets are lanes: ping and pong take turns, each switch a step of
 * the one switched in and a WOKEN edge from the one switched out. */
static void
test_greenlet_lanes (void)
{
  LsTraceModel *m = load_scenario ("data/scenarios/greenlet_ping_pong.py");
  guint n, ni, nsteps, nedges, switches = 0;
  const LsTraceTask *t = ls_trace_model_get_tasks (m, &n);
  const LsTraceEdge *e = ls_trace_model_get_edges (m, &nedges);
  int main_g = find_task_named (m, "main greenlet");
  int ping = find_task_named (m, "greenlet ping_player");
  int pong = find_task_named (m, "greenlet pong_player");
  const LsTraceInterval *iv;

  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (main_g, ==, 0);
  g_assert_cmpint (ping, ==, 1);
  g_assert_cmpint (pong, ==, 2);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (t[i].kind, ==, LS_TRACE_LANE_GREENLET);
  g_assert_cmpstr (t[ping].coro, ==, "ping_player()");
  g_assert_cmpuint (t[ping].outcome, ==, LS_TRACE_RESULT);
  g_assert_cmpstr (t[ping].result, ==, "'ping finished with 1110'");
  g_assert_cmpuint (t[pong].outcome, ==, LS_TRACE_PENDING);   /* left suspended */
  /* ping runs 4 times (start and three returns of pong), pong 3 times. */
  g_assert_cmpuint (t[ping].steps, ==, 4);
  g_assert_cmpuint (t[pong].steps, ==, 3);
  iv = ls_trace_model_get_task_intervals (m, pong, &ni);
  g_assert_cmpuint (iv[0].state, ==, LS_TRACE_WAITING);
  g_assert_cmpstr (iv[0].await_kind, ==, "start");
  g_assert_cmpuint (iv[1].state, ==, LS_TRACE_RUNNING);
  g_assert_cmpuint (iv[2].state, ==, LS_TRACE_WAITING);
  g_assert_cmpstr (iv[2].await_kind, ==, "switch");
  for (guint i = 0; i < nedges; i++)
    if (e[i].kind == LS_TRACE_EDGE_SWITCHED)
      {
        g_assert_cmpint (e[i].from_task, !=, e[i].to_task);
        switches++;
      }
  /* main -> ping, then ping <-> pong six times, then ping -> main. */
  g_assert_cmpuint (switches, ==, 8);
  (void) ls_trace_model_get_steps (m, &nsteps);
  g_assert_cmpuint (nsteps, ==, 2 + 4 + 3);
  ls_trace_model_free (m);
}

/* gevent: the hub idles on a dashed "timer" wait while the clock jumps. */
static void
test_gevent_hub_lane (void)
{
  LsTraceModel *m = load_scenario ("data/scenarios/gevent_monkey_sleep.py");
  int hub = find_task_named (m, "Hub");
  guint ni, timer_waits = 0;
  const LsTraceInterval *iv;

  g_assert_cmpint (hub, >=, 0);
  g_assert_cmpint (find_task_named (m, "Greenlet-2"), >=, 0);
  iv = ls_trace_model_get_task_intervals (m, hub, &ni);
  for (guint i = 0; i < ni; i++)
    {
      if (iv[i].state == LS_TRACE_WAITING && g_strcmp0 (iv[i].await_kind, "timer") == 0)
        timer_waits++;
      if (iv[i].state == LS_TRACE_RUNNING)
        g_assert_cmpfloat (iv[i].to_time, ==, iv[i].from_time);   /* the hub takes no time */
    }
  g_assert_cmpuint (timer_waits, ==, 3);   /* until t = 1, 2 and 3 */
  ls_trace_model_free (m);
}

/* Generators driven by next()/send() are lanes; for loops are not. */
static void
test_generator_lanes (void)
{
  LsTraceModel *m = load_scenario ("data/scenarios/generator_round_robin.py");
  guint n, gens = 0;
  const LsTraceTask *t = ls_trace_model_get_tasks (m, &n);
  for (guint i = 0; i < n; i++)
    if (t[i].kind == LS_TRACE_LANE_GENERATOR)
      {
        gens++;
        g_assert_cmpuint (t[i].steps, >, 1);
      }
  g_assert_cmpuint (gens, >, 0);
  ls_trace_model_free (m);
}

/* A program with no task at all gets one "main program" lane. */
static void
test_main_program_lane (void)
{
  LsTraceModel *m = load_scenario ("data/scenarios/four_ways_sequential.py");
  guint n, nb, ni;
  const LsTraceTask *t = ls_trace_model_get_tasks (m, &n);
  const LsTraceBlock *b = ls_trace_model_get_blocks (m, &nb);
  const LsTraceInterval *iv;
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (t[0].name, ==, "main program");
  g_assert_cmpuint (nb, ==, 3);
  g_assert_cmpint (b[0].task, ==, 0);
  g_assert_cmpfloat (b[2].duration, ==, 3.0);
  iv = ls_trace_model_get_task_intervals (m, 0, &ni);
  g_assert_cmpuint (iv[1].state, ==, LS_TRACE_BLOCKED);
  g_assert_cmpfloat (iv[ni - 1].to_time, ==, 6.0);
  ls_trace_model_free (m);
}

/* A plain script with worker threads: the main program's lane is blocked
 * from the end of the with block until the three workers are done (3 s),
 * a call outside any loop; its prints are on its lane. */
static void
test_main_program_threads (void)
{
  LsTraceModel *m = load_scenario ("data/scenarios/four_ways_threads.py");
  guint n, nb, ni, main = G_MAXUINT, outputs = 0;
  const LsTraceTask *t = ls_trace_model_get_tasks (m, &n);
  const LsTraceBlock *b = ls_trace_model_get_blocks (m, &nb);
  const LsTraceMark *mk;
  const LsTraceInterval *iv;

  for (guint i = 0; i < n; i++)
    if (t[i].id == 0)
      main = i;
  g_assert_cmpuint (main, <, n);
  g_assert_cmpstr (t[main].name, ==, "main program");
  g_assert_cmpuint (nb, ==, 1);
  g_assert_true (b[0].outside_loop);
  g_assert_cmpint (b[0].task, ==, (int) main);
  g_assert_cmpfloat (b[0].duration, ==, 3.0);
  g_assert_cmpuint (b[0].end_seq, >, b[0].seq + 6);
  iv = ls_trace_model_get_task_intervals (m, main, &ni);
  assert_intervals_contiguous (m);
  g_assert_cmpuint (iv[1].state, ==, LS_TRACE_BLOCKED);
  g_assert_cmpfloat (iv[1].to_time, ==, 3.0);
  g_assert_cmpuint (iv[1].to_seq, ==, b[0].end_seq);
  mk = ls_trace_model_get_marks (m, &n);
  for (guint i = 0; i < n; i++)
    if (mk[i].kind == LS_TRACE_MARK_OUTPUT && mk[i].task == (int) main)
      outputs++;
  g_assert_cmpuint (outputs, ==, 4);   /* three starts and the results */
  ls_trace_model_free (m);
}

int
main (int argc, char **argv)
{
  int status;
  const char *dir = g_getenv ("LS_TEST_READER_DIR");

  g_test_init (&argc, &argv, NULL);
  /* The subprocess of /trace/reader/interrupted/killed writes where its
   * parent reads. */
  tmp_dir = dir ? g_strdup (dir) : g_dir_make_tmp ("loopscope-reader-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_setenv ("LS_TEST_READER_DIR", tmp_dir, TRUE);

  g_test_add_func ("/trace/reader/run-facts", test_run_facts);
  g_test_add_func ("/trace/reader/events-in-order", test_events_in_order);
  g_test_add_func ("/trace/reader/tasks", test_tasks);
  g_test_add_func ("/trace/reader/intervals", test_intervals);
  g_test_add_func ("/trace/reader/steps", test_steps);
  g_test_add_func ("/trace/reader/group/gather", test_gather_group);
  g_test_add_func ("/trace/reader/group/as-completed-order", test_as_completed_order);
  g_test_add_func ("/trace/reader/group/taskgroup", test_taskgroup);
  g_test_add_func ("/trace/reader/edges/created-and-woken", test_edges_created_and_woken);
  g_test_add_func ("/trace/reader/edges/timed-out", test_timed_out);
  g_test_add_func ("/trace/reader/edges/cancelled-by-task", test_cancelled_by_task);
  g_test_add_func ("/trace/reader/blocked", test_blocked);
  g_test_add_func ("/trace/reader/marks", test_marks);
  g_test_add_func ("/trace/reader/bundled-scenarios", test_bundled_scenarios_load);
  g_test_add_func ("/trace/reader/lanes/greenlets", test_greenlet_lanes);
  g_test_add_func ("/trace/reader/lanes/gevent-hub", test_gevent_hub_lane);
  g_test_add_func ("/trace/reader/lanes/generators", test_generator_lanes);
  g_test_add_func ("/trace/reader/lanes/main-program", test_main_program_lane);
  g_test_add_func ("/trace/reader/lanes/main-program-threads", test_main_program_threads);
  g_test_add_func ("/trace/reader/builder/yield", test_builder_yield);
  g_test_add_func ("/trace/reader/bad/missing", test_bad_missing);
  g_test_add_func ("/trace/reader/bad/directory", test_bad_directory);
  g_test_add_func ("/trace/reader/bad/empty", test_bad_empty);
  g_test_add_func ("/trace/reader/bad/text", test_bad_text);
  g_test_add_func ("/trace/reader/bad/other-sqlite", test_bad_other_sqlite);
  g_test_add_func ("/trace/reader/bad/no-events-table", test_bad_no_events_table);
  g_test_add_func ("/trace/reader/bad/newer", test_bad_newer);
  g_test_add_func ("/trace/reader/bad/truncated", test_bad_truncated);
  g_test_add_func ("/trace/reader/bad/corrupt-pages", test_bad_corrupt_pages);
  g_test_add_func ("/trace/reader/bad/gap", test_bad_gap);
  g_test_add_func ("/trace/reader/bad/short", test_bad_short);
  g_test_add_func ("/trace/reader/interrupted/marked", test_interrupted_marked);
  g_test_add_func ("/trace/reader/interrupted/killed", test_interrupted_killed);

  status = g_test_run ();
  if (!dir)
    remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
