/* ls-trace-recorder.c - every event of a run, into SQLite.
 *
 * The workload: a million events or more per run, arriving one by one
 * from the scheduler's hot path, almost all of them small (a step begins,
 * a step ends, a timer fires).  So the recorder keeps one prepared INSERT
 * per table, binds and steps it per event, and commits only every
 * LS_RECORDER_BATCH events.  The journal is a WAL with synchronous=OFF
 * while the run lasts: a commit costs one append, and a process killed
 * mid-run leaves every committed batch readable.  At the end the file is
 * checkpointed back to a single self-contained file.
 *
 * The tasks, awaitables and timers tables describe each object once, when
 * it is finished (so no row is ever updated on the hot path); what is
 * still pending at the end is written by ls_trace_recorder_finish().  The
 * events table alone is enough to rebuild everything: those tables are
 * there for people querying a trace in the sqlite3 shell.
 */
#include "ls-trace-recorder.h"
#include "ls-trace-resources.h"

#include <gio/gio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Events per transaction: large enough that commits cost nothing next to
 * the inserts, small enough that an interrupted run loses little. */
#define LS_RECORDER_BATCH 65536

typedef struct {
  guint64 id;
  gboolean thread;          /* a worker thread, not a task */
  char *name;
  char *coro;
  guint64 parent;
  int line;
  guint64 created_seq;
  double created_time;
  guint64 steps;
  LsReason last_job;        /* threads: how the last job ended */
  gboolean busy;            /* threads: a job is running */
} TaskRec;

typedef struct {
  guint64 id;
  char *kind;
  guint64 creator;
  guint64 created_seq;
  double created_time;
  guint next_position;      /* members added so far */
} AwaitRec;

typedef struct {
  guint64 id;
  char *callback;
  double deadline;
  guint64 added_seq;
} TimerRec;

enum {
  STMT_EVENT,
  STMT_TASK,
  STMT_AWAITABLE,
  STMT_MEMBER,
  STMT_TIMER,
  STMT_META,
  N_STMTS
};

static const char *const stmt_sql[N_STMTS] = {
  [STMT_EVENT] = "INSERT INTO events (seq, time, kind, task, future, other, reason, value, line, detail, extra) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
  [STMT_TASK] = "INSERT OR REPLACE INTO tasks (id, kind, name, coro, parent, line, created_seq, created_time, "
                "finished_seq, finished_time, outcome, result, steps) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
  [STMT_AWAITABLE] = "INSERT OR REPLACE INTO awaitables (id, kind, creator, created_seq, created_time, "
                     "done_seq, done_time, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [STMT_MEMBER] = "INSERT OR REPLACE INTO members (awaitable, position, member) VALUES (?1, ?2, ?3)",
  [STMT_TIMER] = "INSERT OR REPLACE INTO timers (id, callback, deadline, added_seq, end_seq, outcome) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_META] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
};

struct _LsTraceRecorder {
  sqlite3 *db;
  char *path;
  sqlite3_stmt *stmt[N_STMTS];
  guint64 count;            /* events recorded */
  guint in_batch;           /* events since the last commit */
  double last_time;
  GError *error;            /* the first failure; later events are dropped */
  GHashTable *tasks;        /* id -> TaskRec, until finished */
  GHashTable *awaitables;   /* id -> AwaitRec, until done */
  GHashTable *timers;       /* id -> TimerRec, until fired or cancelled */
};

/* ---- SQLite helpers --------------------------------------------------------- */

static gboolean
fail (LsTraceRecorder *r, const char *what)
{
  if (!r->error)
    g_set_error (&r->error, LS_TRACE_ERROR, LS_TRACE_ERROR_IO, "%s: %s: %s", r->path, what,
                 sqlite3_errmsg (r->db));
  return FALSE;
}

static gboolean
exec (LsTraceRecorder *r, const char *sql)
{
  if (sqlite3_exec (r->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return fail (r, "cannot write the trace");
  return TRUE;
}

static gboolean
step_and_reset (LsTraceRecorder *r, sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fail (r, "cannot write the trace");
  return TRUE;
}

static void
bind_id (sqlite3_stmt *stmt, int col, guint64 id)
{
  if (id)
    sqlite3_bind_int64 (stmt, col, (sqlite3_int64) id);
  else
    sqlite3_bind_null (stmt, col);
}

static void
bind_text (sqlite3_stmt *stmt, int col, const char *text)
{
  if (text)
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, col);
}

static gboolean
set_meta (LsTraceRecorder *r, const char *key, const char *value)
{
  sqlite3_stmt *s = r->stmt[STMT_META];
  sqlite3_bind_text (s, 1, key, -1, SQLITE_STATIC);
  bind_text (s, 2, value);
  return step_and_reset (r, s);
}

static gboolean
set_meta_double (LsTraceRecorder *r, const char *key, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return set_meta (r, key, g_ascii_dtostr (buf, sizeof buf, value));
}

static gboolean
set_meta_uint (LsTraceRecorder *r, const char *key, guint64 value)
{
  char buf[32];
  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, value);
  return set_meta (r, key, buf);
}

/* ---- the objects' rows ------------------------------------------------------- */

static void
task_rec_free (gpointer p)
{
  TaskRec *t = p;
  g_free (t->name);
  g_free (t->coro);
  g_free (t);
}

static void
await_rec_free (gpointer p)
{
  AwaitRec *a = p;
  g_free (a->kind);
  g_free (a);
}

static void
timer_rec_free (gpointer p)
{
  TimerRec *t = p;
  g_free (t->callback);
  g_free (t);
}

static const char *
outcome_of (LsReason reason)
{
  switch (reason)
    {
    case LS_REASON_RESULT:
      return "result";
    case LS_REASON_EXCEPTION:
      return "exception";
    case LS_REASON_CANCELLED:
      return "cancelled";
    default:
      return "pending";
    }
}

/* A task's row; finished_seq 0 while pending. */
static gboolean
write_task (LsTraceRecorder *r, const TaskRec *t, guint64 finished_seq, double finished_time,
            const char *outcome, const char *result)
{
  sqlite3_stmt *s = r->stmt[STMT_TASK];
  sqlite3_bind_int64 (s, 1, (sqlite3_int64) t->id);
  sqlite3_bind_text (s, 2, t->thread ? "thread" : "task", -1, SQLITE_STATIC);
  bind_text (s, 3, t->name ? t->name : "");
  bind_text (s, 4, t->coro);
  bind_id (s, 5, t->parent);
  if (t->line > 0)
    sqlite3_bind_int (s, 6, t->line);
  else
    sqlite3_bind_null (s, 6);
  sqlite3_bind_int64 (s, 7, (sqlite3_int64) t->created_seq);
  sqlite3_bind_double (s, 8, t->created_time);
  if (finished_seq)
    {
      sqlite3_bind_int64 (s, 9, (sqlite3_int64) finished_seq);
      sqlite3_bind_double (s, 10, finished_time);
    }
  else
    {
      sqlite3_bind_null (s, 9);
      sqlite3_bind_null (s, 10);
    }
  sqlite3_bind_text (s, 11, outcome, -1, SQLITE_STATIC);
  bind_text (s, 12, result);
  sqlite3_bind_int64 (s, 13, (sqlite3_int64) t->steps);
  return step_and_reset (r, s);
}

static gboolean
write_awaitable (LsTraceRecorder *r, const AwaitRec *a, guint64 done_seq, double done_time,
                 const char *outcome)
{
  sqlite3_stmt *s = r->stmt[STMT_AWAITABLE];
  sqlite3_bind_int64 (s, 1, (sqlite3_int64) a->id);
  bind_text (s, 2, a->kind ? a->kind : "future");
  bind_id (s, 3, a->creator);
  sqlite3_bind_int64 (s, 4, (sqlite3_int64) a->created_seq);
  sqlite3_bind_double (s, 5, a->created_time);
  if (done_seq)
    {
      sqlite3_bind_int64 (s, 6, (sqlite3_int64) done_seq);
      sqlite3_bind_double (s, 7, done_time);
    }
  else
    {
      sqlite3_bind_null (s, 6);
      sqlite3_bind_null (s, 7);
    }
  sqlite3_bind_text (s, 8, outcome, -1, SQLITE_STATIC);
  return step_and_reset (r, s);
}

static gboolean
write_timer (LsTraceRecorder *r, const TimerRec *t, guint64 end_seq, const char *outcome)
{
  sqlite3_stmt *s = r->stmt[STMT_TIMER];
  sqlite3_bind_int64 (s, 1, (sqlite3_int64) t->id);
  bind_text (s, 2, t->callback);
  sqlite3_bind_double (s, 3, t->deadline);
  sqlite3_bind_int64 (s, 4, (sqlite3_int64) t->added_seq);
  bind_id (s, 5, end_seq);
  sqlite3_bind_text (s, 6, outcome, -1, SQLITE_STATIC);
  return step_and_reset (r, s);
}

/* Keeps the tables of objects in step with one event. */
static void
track (LsTraceRecorder *r, const LsEvent *ev)
{
  TaskRec *t;
  AwaitRec *a;
  TimerRec *tm;

  switch (ev->kind)
    {
    case LS_EVENT_TASK_CREATED:
      t = g_new0 (TaskRec, 1);
      t->id = ev->task;
      t->name = g_strdup (ev->detail);
      t->coro = g_strdup (ev->extra);
      t->parent = ev->other;
      t->line = ev->line;
      t->created_seq = ev->seq;
      t->created_time = ev->time;
      g_hash_table_replace (r->tasks, &t->id, t);
      break;
    case LS_EVENT_TASK_RENAMED:
      if ((t = g_hash_table_lookup (r->tasks, &ev->task)))
        {
          g_free (t->name);
          t->name = g_strdup (ev->detail);
        }
      break;
    case LS_EVENT_STEP_BEGIN:
      if ((t = g_hash_table_lookup (r->tasks, &ev->task)))
        t->steps++;
      break;
    case LS_EVENT_STEP_END:
      /* The step that ends a task says how (task_finished). */
      if (ev->reason == LS_REASON_RESULT || ev->reason == LS_REASON_EXCEPTION
          || ev->reason == LS_REASON_CANCELLED)
        if ((t = g_hash_table_lookup (r->tasks, &ev->task)))
          {
            write_task (r, t, ev->seq, ev->time, outcome_of (ev->reason), ev->extra);
            g_hash_table_remove (r->tasks, &ev->task);
          }
      break;
    case LS_EVENT_WORKER_STARTED:
      if (!(t = g_hash_table_lookup (r->tasks, &ev->task)))
        {
          t = g_new0 (TaskRec, 1);
          t->id = ev->task;
          t->thread = TRUE;
          t->name = g_strdup (ev->detail);
          t->coro = g_strdup (ev->detail);
          t->created_seq = ev->seq;
          t->created_time = ev->time;
          g_hash_table_replace (r->tasks, &t->id, t);
        }
      t->steps++;
      t->busy = TRUE;
      break;
    case LS_EVENT_WORKER_FINISHED:
      if ((t = g_hash_table_lookup (r->tasks, &ev->task)))
        {
          t->busy = FALSE;
          t->last_job = ev->reason;
        }
      break;
    case LS_EVENT_FUTURE_CREATED:
      a = g_new0 (AwaitRec, 1);
      a->id = ev->future;
      a->kind = g_strdup (ev->detail);
      a->creator = ev->task;
      a->created_seq = ev->seq;
      a->created_time = ev->time;
      g_hash_table_replace (r->awaitables, &a->id, a);
      break;
    case LS_EVENT_FUTURE_DONE:
      if ((a = g_hash_table_lookup (r->awaitables, &ev->future)))
        {
          write_awaitable (r, a, ev->seq, ev->time, outcome_of (ev->reason));
          g_hash_table_remove (r->awaitables, &ev->future);
        }
      break;
    case LS_EVENT_AWAIT_LINK:
      {
        sqlite3_stmt *s = r->stmt[STMT_MEMBER];
        guint position = 0;
        if ((a = g_hash_table_lookup (r->awaitables, &ev->future)))
          position = a->next_position++;
        sqlite3_bind_int64 (s, 1, (sqlite3_int64) ev->future);
        sqlite3_bind_int (s, 2, (int) position);
        sqlite3_bind_int64 (s, 3, (sqlite3_int64) ev->other);
        step_and_reset (r, s);
      }
      break;
    case LS_EVENT_TIMER_ADDED:
      tm = g_new0 (TimerRec, 1);
      tm->id = ev->future;
      tm->callback = g_strdup (ev->detail);
      tm->deadline = ev->value;
      tm->added_seq = ev->seq;
      g_hash_table_replace (r->timers, &tm->id, tm);
      break;
    case LS_EVENT_TIMER_FIRED:
    case LS_EVENT_TIMER_CANCELLED:
      if ((tm = g_hash_table_lookup (r->timers, &ev->future)))
        {
          write_timer (r, tm, ev->seq, ev->kind == LS_EVENT_TIMER_FIRED ? "fired" : "cancelled");
          g_hash_table_remove (r->timers, &ev->future);
        }
      break;
    default:
      break;
    }
}

/* ---- the observer -------------------------------------------------------------- */

/* Kinds whose value field means something even when it is 0. */
static gboolean
kind_has_value (LsEventKind kind)
{
  return kind == LS_EVENT_TIMER_ADDED || kind == LS_EVENT_TIMER_FIRED
         || kind == LS_EVENT_CLOCK_ADVANCED || kind == LS_EVENT_LOOP_BLOCKED
         || kind == LS_EVENT_WORKER_STARTED || kind == LS_EVENT_WORKER_FINISHED;
}

static gboolean
commit_batch (LsTraceRecorder *r)
{
  r->in_batch = 0;
  return exec (r, "COMMIT") && exec (r, "BEGIN");
}

void
ls_trace_recorder_observe (const LsEvent *ev, gpointer user_data)
{
  LsTraceRecorder *r = user_data;
  sqlite3_stmt *s = r->stmt[STMT_EVENT];
  int rc;

  if (G_UNLIKELY (r->error))
    return;
  /* The run's own numbering, checked: a gap would make the file lie. */
  if (G_UNLIKELY (ev->seq != r->count + 1))
    {
      g_set_error (&r->error, LS_TRACE_ERROR, LS_TRACE_ERROR_IO,
                   "%s: event %" G_GUINT64_FORMAT " arrived after event %" G_GUINT64_FORMAT,
                   r->path, ev->seq, r->count);
      return;
    }
  sqlite3_bind_int64 (s, 1, (sqlite3_int64) ev->seq);
  sqlite3_bind_double (s, 2, ev->time);
  sqlite3_bind_int (s, 3, (int) ev->kind);
  bind_id (s, 4, ev->task);
  bind_id (s, 5, ev->future);
  bind_id (s, 6, ev->other);
  if (ev->reason != LS_REASON_NONE)
    sqlite3_bind_int (s, 7, (int) ev->reason);
  else
    sqlite3_bind_null (s, 7);
  if (ev->value != 0 || kind_has_value (ev->kind))
    sqlite3_bind_double (s, 8, ev->value);
  else
    sqlite3_bind_null (s, 8);
  if (ev->line > 0)
    sqlite3_bind_int (s, 9, ev->line);
  else
    sqlite3_bind_null (s, 9);
  bind_text (s, 10, ev->detail);
  bind_text (s, 11, ev->extra);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      fail (r, "cannot write an event");
      return;
    }
  r->count++;
  r->last_time = ev->time;
  track (r, ev);
  if (++r->in_batch >= LS_RECORDER_BATCH)
    commit_batch (r);
}

guint64
ls_trace_recorder_count (LsTraceRecorder *r)
{
  return r->count;
}

gboolean
ls_trace_recorder_flush (LsTraceRecorder *r, GError **error)
{
  if (!r->error)
    commit_batch (r);
  if (r->error)
    {
      g_propagate_error (error, g_error_copy (r->error));
      return FALSE;
    }
  return TRUE;
}

/* ---- creating and finishing ------------------------------------------------------ */

/* The schema, as data/trace/schema.sql spells it. */
static char *
load_schema (GError **error)
{
  GBytes *bytes = g_resource_lookup_data (ls_trace_get_resource (), "/org/loopscope/trace/schema.sql",
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  char *sql;
  if (!bytes)
    return NULL;
  sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_bytes_unref (bytes);
  return sql;
}

static gboolean
write_names (LsTraceRecorder *r)
{
  sqlite3_stmt *s = NULL;
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (r->db, "INSERT INTO event_kinds (id, name) VALUES (?1, ?2)", -1, &s, NULL)
      != SQLITE_OK)
    return fail (r, "cannot write the trace");
  for (int k = 0; ok && k < LS_EVENT_N_KINDS; k++)
    {
      sqlite3_bind_int (s, 1, k);
      sqlite3_bind_text (s, 2, ls_event_kind_name ((LsEventKind) k), -1, SQLITE_STATIC);
      ok = step_and_reset (r, s);
    }
  sqlite3_finalize (s);
  if (!ok || sqlite3_prepare_v2 (r->db, "INSERT INTO reasons (id, name) VALUES (?1, ?2)", -1, &s, NULL)
             != SQLITE_OK)
    return ok ? fail (r, "cannot write the trace") : FALSE;
  for (int k = 1; ok && k < LS_REASON_N; k++)
    {
      sqlite3_bind_int (s, 1, k);
      sqlite3_bind_text (s, 2, ls_reason_name ((LsReason) k), -1, SQLITE_STATIC);
      ok = step_and_reset (r, s);
    }
  sqlite3_finalize (s);
  return ok;
}

static gboolean
write_start (LsTraceRecorder *r, const LsTraceRunInfo *info)
{
  sqlite3_stmt *s = NULL;
  gboolean ok;

  ok = set_meta_uint (r, "schema_version", LS_TRACE_SCHEMA_VERSION)
       && set_meta (r, "tool", "loopscope")
       && set_meta (r, "tool_version", LS_VERSION)
       && set_meta (r, "semantics", LS_TRACE_SEMANTICS)
       && set_meta (r, "scenario", info->scenario_path)
       && set_meta_double (r, "epoch", info->epoch)
       && set_meta_uint (r, "max_steps", info->max_steps)
       && set_meta_double (r, "max_time", info->max_time)
       && set_meta_double (r, "max_wall", info->max_wall)
       && set_meta_uint (r, "max_memory", info->max_memory)
       && set_meta (r, "outcome", ls_trace_outcome_name (LS_TRACE_OUTCOME_RUNNING))
       && write_names (r);
  if (!ok)
    return FALSE;
  if (sqlite3_prepare_v2 (r->db, "INSERT INTO source (path, text) VALUES (?1, ?2)", -1, &s, NULL)
      != SQLITE_OK)
    return fail (r, "cannot write the trace");
  bind_text (s, 1, info->scenario_path ? info->scenario_path : "");
  bind_text (s, 2, info->source ? info->source : "");
  ok = step_and_reset (r, s);
  sqlite3_finalize (s);
  return ok;
}

static void
recorder_free (LsTraceRecorder *r)
{
  for (int i = 0; i < N_STMTS; i++)
    sqlite3_finalize (r->stmt[i]);
  if (r->db)
    sqlite3_close (r->db);
  g_hash_table_destroy (r->tasks);
  g_hash_table_destroy (r->awaitables);
  g_hash_table_destroy (r->timers);
  g_clear_error (&r->error);
  g_free (r->path);
  g_free (r);
}

/* Removes the file and the journal files SQLite keeps next to it. */
static void
remove_trace_files (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      char *p = g_strconcat (path, suffixes[i], NULL);
      remove (p);
      g_free (p);
    }
}

LsTraceRecorder *
ls_trace_recorder_new (const char *path, const LsTraceRunInfo *info, GError **error)
{
  LsTraceRecorder *r;
  char *schema, *pragmas;
  LsTraceRunInfo none = { 0 };

  g_return_val_if_fail (path != NULL, NULL);
  schema = load_schema (error);
  if (!schema)
    return NULL;
  r = g_new0 (LsTraceRecorder, 1);
  r->path = g_strdup (path);
  r->tasks = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, task_rec_free);
  r->awaitables = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, await_rec_free);
  r->timers = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, timer_rec_free);

  /* A trace describes one run: an old file of that name goes. */
  remove_trace_files (path);
  if (sqlite3_open_v2 (path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      fail (r, "cannot create the trace");
      goto out;
    }
  pragmas = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d; "
                             "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;",
                             (int) LS_TRACE_APPLICATION_ID, LS_TRACE_SCHEMA_VERSION);
  if (!exec (r, pragmas) || !exec (r, "BEGIN") || !exec (r, schema))
    {
      g_free (pragmas);
      goto out;
    }
  g_free (pragmas);
  for (int i = 0; i < N_STMTS; i++)
    if (sqlite3_prepare_v3 (r->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &r->stmt[i], NULL)
        != SQLITE_OK)
      {
        fail (r, "cannot prepare the trace");
        goto out;
      }
  /* The start commits at once: from now on the file is a trace. */
  if (write_start (r, info ? info : &none))
    commit_batch (r);

out:
  g_free (schema);
  if (r->error)
    {
      g_propagate_error (error, g_steal_pointer (&r->error));
      recorder_free (r);
      remove_trace_files (path);
      return NULL;
    }
  return r;
}

gboolean
ls_trace_recorder_finish (LsTraceRecorder *r, LsTraceOutcome outcome, const char *detail,
                          int exit_status, GError **error)
{
  GHashTableIter it;
  gpointer value;
  gboolean ok;

  g_return_val_if_fail (r != NULL, FALSE);
  if (!r->error)
    {
      /* What never finished, as it stood at the end. */
      g_hash_table_iter_init (&it, r->tasks);
      while (g_hash_table_iter_next (&it, NULL, &value))
        {
          TaskRec *t = value;
          if (t->thread)
            write_task (r, t, 0, 0, t->busy ? "pending" : outcome_of (t->last_job), NULL);
          else
            write_task (r, t, 0, 0, "pending", NULL);
        }
      g_hash_table_iter_init (&it, r->awaitables);
      while (g_hash_table_iter_next (&it, NULL, &value))
        write_awaitable (r, value, 0, 0, "pending");
      g_hash_table_iter_init (&it, r->timers);
      while (g_hash_table_iter_next (&it, NULL, &value))
        write_timer (r, value, 0, "pending");

      if (set_meta (r, "outcome", ls_trace_outcome_name (outcome))
          && set_meta (r, "outcome_detail", detail)
          && set_meta_uint (r, "exit_status", (guint64) exit_status)
          && set_meta_uint (r, "events", r->count)
          && set_meta_double (r, "end_time", r->last_time)
          && exec (r, "COMMIT"))
        /* Back to one self-contained file, no -wal beside it. */
        exec (r, "PRAGMA journal_mode = DELETE");
    }
  ok = r->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&r->error));
  recorder_free (r);
  return ok;
}

void
ls_trace_recorder_abandon (LsTraceRecorder *r)
{
  if (!r)
    return;
  sqlite3_exec (r->db, "COMMIT", NULL, NULL, NULL);
  recorder_free (r);
}
