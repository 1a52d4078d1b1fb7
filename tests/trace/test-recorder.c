/* test-recorder.c - the SQLite recorder: what the engine reports is what
 * the file holds, and a run that ends badly still leaves a usable file.
 *
 * Programs run in-process through the VM with the recorder as observer
 * (teed with a copy of every event), in a temporary directory; the file is
 * then read back with plain SQL.
 */
#include "ls-trace-recorder.h"
#include "ls-vm.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

typedef struct {
  LsEvent ev;               /* detail and extra owned */
} Copy;

typedef struct {
  LsTraceRecorder *recorder;
  GArray *copies;           /* of Copy, every event the engine reported */
} Tee;

static void
tee_observe (const LsEvent *ev, gpointer user_data)
{
  Tee *tee = user_data;
  Copy c = { *ev };
  c.ev.detail = g_strdup (ev->detail);
  c.ev.extra = g_strdup (ev->extra);
  g_array_append_val (tee->copies, c);
  if (tee->recorder)
    ls_trace_recorder_observe (ev, tee->recorder);
}

static void
copy_clear (gpointer p)
{
  Copy *c = p;
  g_free ((char *) c->ev.detail);
  g_free ((char *) c->ev.extra);
}

static void
discard_output (gboolean is_stderr, const char *text, gpointer user_data)
{
}

typedef struct {
  char *dir;
  char *path;
  Tee tee;
  LsVmStatus status;
  gboolean syntax_error;
} Run;

static void
run_setup (Run *run, gconstpointer data)
{
  run->dir = g_dir_make_tmp ("loopscope-recorder-XXXXXX", NULL);
  g_assert_nonnull (run->dir);
  run->path = g_build_filename (run->dir, "trace.sqlite", NULL);
  run->tee.copies = g_array_new (FALSE, TRUE, sizeof (Copy));
  g_array_set_clear_func (run->tee.copies, copy_clear);
}

static void
run_teardown (Run *run, gconstpointer data)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      char *p = g_strconcat (run->path, suffixes[i], NULL);
      g_remove (p);
      g_free (p);
    }
  g_rmdir (run->dir);
  g_free (run->path);
  g_free (run->dir);
  g_array_unref (run->tee.copies);
}

/* Runs source with a recorder; finish decides whether the trace is
 * finished (with the outcome the run had) or abandoned. */
static void
record (Run *run, const char *source, const LsVmOptions *options, gboolean finish)
{
  LsVmOptions defaults = { .max_steps = 100000, .max_time = 3600 };
  LsTraceRunInfo info = { .scenario_path = "prog.py", .source = source, .epoch = 1767225600 };
  GError *error = NULL;
  LsVm *vm;
  LsTraceOutcome outcome;
  char *stop;

  if (!options)
    options = &defaults;
  info.max_steps = options->max_steps;
  info.max_time = options->max_time;
  run->tee.recorder = ls_trace_recorder_new (run->path, &info, &error);
  g_assert_no_error (error);
  vm = ls_vm_new (options);
  ls_vm_set_output (vm, discard_output, NULL);
  ls_vm_set_observer (vm, tee_observe, &run->tee);
  run->status = ls_vm_run_source (vm, "prog.py", source, &run->syntax_error);
  stop = g_strdup (ls_vm_stop_message (vm));
  ls_vm_free (vm);
  switch (run->status)
    {
    case LS_VM_OK: outcome = LS_TRACE_OUTCOME_FINISHED; break;
    case LS_VM_EXCEPTION: outcome = run->syntax_error ? LS_TRACE_OUTCOME_SYNTAX : LS_TRACE_OUTCOME_EXCEPTION; break;
    case LS_VM_LIMIT: outcome = LS_TRACE_OUTCOME_LIMIT; break;
    case LS_VM_DEADLOCK: outcome = LS_TRACE_OUTCOME_DEADLOCK; break;
    default: outcome = LS_TRACE_OUTCOME_STOPPED; break;
    }
  if (finish)
    {
      g_assert_true (ls_trace_recorder_finish (run->tee.recorder, outcome, stop, 0, &error));
      g_assert_no_error (error);
    }
  else
    {
      g_assert_true (ls_trace_recorder_flush (run->tee.recorder, &error));
      g_assert_no_error (error);
      ls_trace_recorder_abandon (run->tee.recorder);
    }
  run->tee.recorder = NULL;
  g_free (stop);
}

static sqlite3 *
open_trace (Run *run)
{
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open_v2 (run->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return db;
}

/* The first column of the first row of sql, as text (owned), or NULL. */
static char *
query_text (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *s;
  char *result = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW && sqlite3_column_type (s, 0) != SQLITE_NULL)
    result = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_finalize (s);
  return result;
}

static gint64
query_int (sqlite3 *db, const char *sql)
{
  char *text = query_text (db, sql);
  gint64 v = text ? g_ascii_strtoll (text, NULL, 10) : -1;
  g_free (text);
  return v;
}

#define assert_query_text(db, sql, want) \
  G_STMT_START { \
    char *got_ = query_text ((db), (sql)); \
    g_assert_cmpstr (got_, ==, (want)); \
    g_free (got_); \
  } G_STMT_END

static const char gather_program[] =
  "import asyncio\n"
  "\n"
  "async def factorial(name, number):\n"
  "    f = 1\n"
  "    for i in range(2, number + 1):\n"
  "        print(f\"Task {name}: Compute factorial({number}), currently i={i}...\")\n"
  "        await asyncio.sleep(1)\n"
  "        f *= i\n"
  "    print(f\"Task {name}: factorial({number}) = {f}\")\n"
  "    return f\n"
  "\n"
  "async def main():\n"
  "    L = await asyncio.gather(factorial('A', 2), factorial('B', 3), factorial('C', 4))\n"
  "    print(L)\n"
  "\n"
  "asyncio.run(main())\n";

/* Every event the engine reported is one row, field for field. */
static void
test_round_trip (Run *run, gconstpointer data)
{
  sqlite3 *db;
  sqlite3_stmt *s;
  guint n = 0;

  record (run, gather_program, NULL, TRUE);
  g_assert_cmpint (run->status, ==, LS_VM_OK);
  g_assert_cmpuint (run->tee.copies->len, >, 50);

  db = open_trace (run);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, time, kind, task, future, other, reason, value, line, "
                                           "detail, extra FROM events ORDER BY seq", -1, &s, NULL), ==, SQLITE_OK);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      const LsEvent *want;
      g_assert_cmpuint (n, <, run->tee.copies->len);
      want = &g_array_index (run->tee.copies, Copy, n).ev;
      g_assert_cmpint (sqlite3_column_int64 (s, 0), ==, (gint64) want->seq);
      g_assert_cmpfloat (sqlite3_column_double (s, 1), ==, want->time);
      g_assert_cmpint (sqlite3_column_int (s, 2), ==, want->kind);
      g_assert_cmpint (sqlite3_column_int64 (s, 3), ==, (gint64) want->task);
      g_assert_cmpint (sqlite3_column_int64 (s, 4), ==, (gint64) want->future);
      g_assert_cmpint (sqlite3_column_int64 (s, 5), ==, (gint64) want->other);
      g_assert_cmpint (sqlite3_column_int (s, 6), ==, want->reason);
      g_assert_cmpfloat (sqlite3_column_double (s, 7), ==, want->value);
      g_assert_cmpint (sqlite3_column_int (s, 8), ==, MAX (want->line, 0));
      g_assert_cmpstr ((const char *) sqlite3_column_text (s, 9), ==, want->detail);
      g_assert_cmpstr ((const char *) sqlite3_column_text (s, 10), ==, want->extra);
      n++;
    }
  sqlite3_finalize (s);
  g_assert_cmpuint (n, ==, run->tee.copies->len);
  sqlite3_close (db);
}

/* The file says what it is, what ran, and how it ended. */
static void
test_meta (Run *run, gconstpointer data)
{
  sqlite3 *db;
  char *count;

  record (run, gather_program, NULL, TRUE);
  db = open_trace (run);
  g_assert_cmpint (query_int (db, "PRAGMA application_id"), ==, LS_TRACE_APPLICATION_ID);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, LS_TRACE_SCHEMA_VERSION);
  assert_query_text (db, "PRAGMA journal_mode", "delete");
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'semantics'", "cpython-3.12");
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'tool'", "loopscope");
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'schema_version'", "1");
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'outcome'", "finished");
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'epoch'", "1767225600");
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'max_steps'", "100000");
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'end_time'", "3");
  count = g_strdup_printf ("%u", run->tee.copies->len);
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'events'", count);
  g_free (count);
  assert_query_text (db, "SELECT text FROM source", gather_program);
  assert_query_text (db, "SELECT path FROM source", "prog.py");
  /* The names behind the numbers are in the file itself. */
  assert_query_text (db, "SELECT name FROM event_kinds WHERE id = 2", ls_event_kind_name (2));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM event_kinds"), ==, LS_EVENT_N_KINDS);
  sqlite3_close (db);
}

/* Tasks, awaitables, members and timers describe the run for the shell. */
static void
test_objects (Run *run, gconstpointer data)
{
  sqlite3 *db;

  record (run, gather_program, NULL, TRUE);
  db = open_trace (run);
  assert_query_text (db, "SELECT group_concat(name || '=' || outcome || ':' || result, ' ') FROM "
                         "(SELECT * FROM tasks WHERE coro LIKE 'factorial%' ORDER BY id)",
                     "Task-2=result:2 Task-3=result:6 Task-4=result:24");
  assert_query_text (db, "SELECT group_concat(steps, ' ') FROM (SELECT steps FROM tasks WHERE coro LIKE "
                         "'factorial%' ORDER BY id)", "2 3 4");
  assert_query_text (db, "SELECT p.name FROM tasks c JOIN tasks p ON p.id = c.parent WHERE c.name = 'Task-2'",
                     "Task-1");
  assert_query_text (db, "SELECT result FROM tasks WHERE name = 'Task-1'", "None");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM awaitables WHERE kind = 'sleep'"), ==, 6);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM awaitables WHERE outcome = 'pending'"), ==, 0);
  /* The gather's members are the three tasks, in the order given. */
  assert_query_text (db, "SELECT group_concat(t.name, ' ') FROM members m JOIN awaitables a ON a.id = m.awaitable "
                         "JOIN tasks t ON t.id = m.member WHERE a.kind = 'gather' ORDER BY m.position",
                     "Task-2 Task-3 Task-4");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM timers WHERE outcome = 'fired'"), ==, 6);
  assert_query_text (db, "SELECT max(deadline) FROM timers", "3.0");
  /* Printed lines belong to the task that printed them. */
  assert_query_text (db, "SELECT task FROM event_list WHERE kind = 'output' AND detail LIKE 'Task C: factorial%'",
                     "Task-4");
  sqlite3_close (db);
}

/* A limit stops the run: the file is complete and says which limit. */
static void
test_limit (Run *run, gconstpointer data)
{
  LsVmOptions options = { .max_steps = 50, .max_time = 3600 };
  sqlite3 *db;
  char *detail;

  record (run,
          "import asyncio\n"
          "async def spin():\n"
          "    while True:\n"
          "        await asyncio.sleep(0)\n"
          "asyncio.run(spin())\n",
          &options, TRUE);
  g_assert_cmpint (run->status, ==, LS_VM_LIMIT);
  db = open_trace (run);
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'outcome'", "limit");
  detail = query_text (db, "SELECT value FROM meta WHERE key = 'outcome_detail'");
  g_assert_nonnull (strstr (detail, "limit"));
  g_free (detail);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events"), ==, run->tee.copies->len);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM event_list WHERE kind = 'step-begin'"), >=, 50);
  sqlite3_close (db);
}

/* A deadlock: the tasks still waiting are written as pending. */
static void
test_deadlock_pending (Run *run, gconstpointer data)
{
  sqlite3 *db;

  record (run,
          "import asyncio\n"
          "async def main():\n"
          "    await asyncio.Event().wait()\n"
          "asyncio.run(main())\n",
          NULL, TRUE);
  g_assert_cmpint (run->status, ==, LS_VM_DEADLOCK);
  db = open_trace (run);
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'outcome'", "deadlock");
  assert_query_text (db, "SELECT outcome FROM tasks WHERE name = 'Task-1'", "pending");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events WHERE kind = (SELECT id FROM event_kinds "
                                  "WHERE name = 'deadlock')"), ==, 1);
  sqlite3_close (db);
}

/* A run cut off without finishing (the process died): every committed
 * event is there and the file says the run never finished. */
static void
test_abandoned (Run *run, gconstpointer data)
{
  sqlite3 *db;

  record (run, gather_program, NULL, FALSE);
  db = open_trace (run);
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'outcome'", "running");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events"), ==, run->tee.copies->len);
  sqlite3_close (db);
}

/* Interrupting a run from another thread finishes it as stopped. */
static gpointer
interrupt_soon (gpointer vm)
{
  g_usleep (50000);
  ls_vm_interrupt (vm);
  return NULL;
}

static void
test_interrupted (Run *run, gconstpointer data)
{
  LsVmOptions options = { 0 };
  LsTraceRunInfo info = { .scenario_path = "spin.py" };
  GError *error = NULL;
  LsVm *vm;
  GThread *thread;
  sqlite3 *db;

  run->tee.recorder = ls_trace_recorder_new (run->path, &info, &error);
  g_assert_no_error (error);
  vm = ls_vm_new (&options);
  ls_vm_set_output (vm, discard_output, NULL);
  ls_vm_set_observer (vm, tee_observe, &run->tee);
  thread = g_thread_new ("interrupt", interrupt_soon, vm);
  run->status = ls_vm_run_source (vm, "spin.py",
                                  "import asyncio\n"
                                  "async def spin():\n"
                                  "    while True:\n"
                                  "        await asyncio.sleep(0)\n"
                                  "asyncio.run(spin())\n",
                                  &run->syntax_error);
  g_thread_join (thread);
  g_assert_cmpint (run->status, ==, LS_VM_INTERRUPTED);
  g_assert_nonnull (strstr (ls_vm_stop_message (vm), "interrupted"));
  ls_vm_free (vm);
  g_assert_true (ls_trace_recorder_finish (run->tee.recorder, LS_TRACE_OUTCOME_STOPPED, "interrupted", 130, &error));
  run->tee.recorder = NULL;
  db = open_trace (run);
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'outcome'", "stopped");
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'exit_status'", "130");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events"), ==, run->tee.copies->len);
  sqlite3_close (db);
}

/* Output before any loop runs, and the traceback at the end, are events
 * of no task, in order. */
static void
test_output_outside_loop (Run *run, gconstpointer data)
{
  sqlite3 *db;
  char *tb;

  record (run, "print('before')\nraise ValueError('boom')\n", NULL, TRUE);
  g_assert_cmpint (run->status, ==, LS_VM_EXCEPTION);
  db = open_trace (run);
  assert_query_text (db, "SELECT detail FROM event_list WHERE seq = 1", "before\n");
  assert_query_text (db, "SELECT other FROM events WHERE seq = 2", "1");
  tb = query_text (db, "SELECT detail FROM events WHERE seq = 2");
  g_assert_nonnull (strstr (tb, "ValueError: boom"));
  g_free (tb);
  assert_query_text (db, "SELECT value FROM meta WHERE key = 'outcome'", "exception");
  sqlite3_close (db);
}

/* One sequence across loops: a program that runs two. */
static void
test_two_loops (Run *run, gconstpointer data)
{
  sqlite3 *db;

  record (run,
          "import asyncio\n"
          "async def hello(n):\n"
          "    await asyncio.sleep(n)\n"
          "    return n\n"
          "print(asyncio.run(hello(1)))\n"
          "print(asyncio.run(hello(2)))\n",
          NULL, TRUE);
  g_assert_cmpint (run->status, ==, LS_VM_OK);
  db = open_trace (run);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events"), ==, run->tee.copies->len);
  g_assert_cmpint (query_int (db, "SELECT max(seq) FROM events"), ==, run->tee.copies->len);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT id) FROM tasks"), ==,
                   query_int (db, "SELECT count(*) FROM tasks"));
  sqlite3_close (db);
}

static void
test_unwritable (void)
{
  GError *error = NULL;
  LsTraceRecorder *r = ls_trace_recorder_new ("/nonexistent-dir/trace.sqlite", NULL, &error);
  g_assert_null (r);
  g_assert_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/trace.sqlite"));
  g_error_free (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define RUN_TEST(path, fn) g_test_add (path, Run, NULL, run_setup, fn, run_teardown)
  RUN_TEST ("/trace/recorder/round-trip", test_round_trip);
  RUN_TEST ("/trace/recorder/meta", test_meta);
  RUN_TEST ("/trace/recorder/objects", test_objects);
  RUN_TEST ("/trace/recorder/limit", test_limit);
  RUN_TEST ("/trace/recorder/deadlock-pending", test_deadlock_pending);
  RUN_TEST ("/trace/recorder/abandoned", test_abandoned);
  RUN_TEST ("/trace/recorder/interrupted", test_interrupted);
  RUN_TEST ("/trace/recorder/output-outside-loop", test_output_outside_loop);
  RUN_TEST ("/trace/recorder/two-loops", test_two_loops);
  g_test_add_func ("/trace/recorder/unwritable", test_unwritable);
  return g_test_run ();
}
