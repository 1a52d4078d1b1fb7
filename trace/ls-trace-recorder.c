/* ls-trace-recorder.c - every event of a run, into SQLite.
 *
 * The workload: a million events or more per run, arriving one by one
 * from the scheduler's hot path, almost all of them small (a step begins,
 * a step ends, a timer fires).  Three choices keep up with it:
 *  - the run's thread only copies each event into a block; a writer thread
 *    owns the database and turns full blocks into rows, so SQLite's work
 *    runs beside the program instead of inside it;
 *  - one INSERT … SELECT writes a whole block, reading the events
 *    straight from the block through a virtual table (nothing is bound or
 *    copied per value), and a transaction holds LS_RECORDER_BATCH events;
 *  - one row per event and nothing else: tasks, awaitables, members and
 *    timers are views over the events (data/trace/schema.sql), so nothing
 *    is looked up, updated or written twice on the way.
 * The journal is a WAL with synchronous=OFF while the run lasts: a commit
 * costs one append, and a process killed mid-run leaves every committed
 * batch readable.  At the end the file is checkpointed back to one
 * self-contained file.
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
/* Events the run hands to the writer thread at once, and how many such
 * blocks may wait: the run never gets more than this far ahead of the
 * disk, so memory stays bounded whatever the run's length. */
#define LS_RECORDER_BLOCK 4096
#define LS_RECORDER_BLOCKS 4

typedef struct {
  guint n;
  gboolean commit;            /* commit once written */
  GStringChunk *text;         /* the events' strings */
  LsEvent events[LS_RECORDER_BLOCK];
} Block;

enum {
  STMT_EVENTS,              /* a whole block at once */
  STMT_META,
  N_STMTS
};


static const char *const stmt_sql[N_STMTS] = {
  [STMT_EVENTS] = "INSERT INTO events (time, kind, task, future, other, reason, value, line, detail, extra) "
                  "SELECT time, kind, task, future, other, reason, value, line, detail, extra FROM ls_block",
  [STMT_META] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
};

/* The run's thread fills blocks and hands them over; the writer thread
 * owns the database (and everything below `writer`) until it stops. */
struct _LsTraceRecorder {
  char *path;
  guint64 count;            /* events recorded */
  double last_time;
  Block *current;           /* being filled, or NULL */
  GAsyncQueue *free, *full; /* of Block */
  Block stop;               /* sent to end the writer */
  guint64 blocks_sent;
  gint failed;              /* the writer hit an error: drop events */
  char *order_error;        /* events arrived out of order */
  GMutex lock;
  GCond written;
  guint64 blocks_written;   /* under lock */
  GThread *writer;

  sqlite3 *db;
  sqlite3_stmt *stmt[N_STMTS];
  const Block *writing;     /* the block ls_block shows */
  guint in_batch;           /* events since the last commit */
  GError *error;            /* the first failure; later events are dropped */
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

/* ---- the writer thread ---------------------------------------------------------- */

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

/* ---- the block as a table ---------------------------------------------------------
 *
 * A whole block goes into the events table with one statement,
 * INSERT INTO events … SELECT … FROM ls_block, where ls_block is a virtual
 * table (an eponymous one, private to the recorder's connection) whose rows
 * are the block's events, read straight from the C structs: no value is
 * bound, copied or converted on the way.
 */

typedef struct {
  sqlite3_vtab base;
  LsTraceRecorder *r;
} BlockTable;

typedef struct {
  sqlite3_vtab_cursor base;
  const Block *b;
  guint i;
} BlockCursor;

static int
block_connect (sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
               char **err)
{
  BlockTable *t;
  int rc = sqlite3_declare_vtab (db, "CREATE TABLE x (time REAL, kind INTEGER, task INTEGER, "
                                     "future INTEGER, other INTEGER, reason INTEGER, value REAL, "
                                     "line INTEGER, detail TEXT, extra TEXT)");
  if (rc != SQLITE_OK)
    return rc;
  t = sqlite3_malloc (sizeof *t);
  if (!t)
    return SQLITE_NOMEM;
  memset (t, 0, sizeof *t);
  t->r = aux;
  *out = &t->base;
  return SQLITE_OK;
}

static int
block_disconnect (sqlite3_vtab *vtab)
{
  sqlite3_free (vtab);
  return SQLITE_OK;
}

static int
block_best_index (sqlite3_vtab *vtab, sqlite3_index_info *info)
{
  info->estimatedCost = LS_RECORDER_BLOCK;
  info->estimatedRows = LS_RECORDER_BLOCK;
  return SQLITE_OK;
}

static int
block_open (sqlite3_vtab *vtab, sqlite3_vtab_cursor **out)
{
  BlockCursor *c = sqlite3_malloc (sizeof *c);
  if (!c)
    return SQLITE_NOMEM;
  memset (c, 0, sizeof *c);
  *out = &c->base;
  return SQLITE_OK;
}

static int
block_close (sqlite3_vtab_cursor *cur)
{
  sqlite3_free (cur);
  return SQLITE_OK;
}

static int
block_filter (sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc, sqlite3_value **argv)
{
  BlockCursor *c = (BlockCursor *) cur;
  c->b = ((BlockTable *) cur->pVtab)->r->writing;
  c->i = 0;
  return SQLITE_OK;
}

static int
block_next (sqlite3_vtab_cursor *cur)
{
  ((BlockCursor *) cur)->i++;
  return SQLITE_OK;
}

static int
block_eof (sqlite3_vtab_cursor *cur)
{
  BlockCursor *c = (BlockCursor *) cur;
  return !c->b || c->i >= c->b->n;
}

static void
result_id (sqlite3_context *ctx, guint64 id)
{
  if (id)
    sqlite3_result_int64 (ctx, (sqlite3_int64) id);
  else
    sqlite3_result_null (ctx);
}

static void
result_text (sqlite3_context *ctx, const char *text)
{
  if (text)
    sqlite3_result_text (ctx, text, -1, SQLITE_STATIC);
  else
    sqlite3_result_null (ctx);
}

static int
block_column (sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
  BlockCursor *c = (BlockCursor *) cur;
  const LsEvent *ev = &c->b->events[c->i];

  switch (col)
    {
    case 0: sqlite3_result_double (ctx, ev->time); break;
    case 1: sqlite3_result_int (ctx, (int) ev->kind); break;
    case 2: result_id (ctx, ev->task); break;
    case 3: result_id (ctx, ev->future); break;
    case 4: result_id (ctx, ev->other); break;
    case 5: result_id (ctx, ev->reason); break;
    case 6:
      if (ev->value != 0 || kind_has_value (ev->kind))
        sqlite3_result_double (ctx, ev->value);
      else
        sqlite3_result_null (ctx);
      break;
    case 7: result_id (ctx, ev->line > 0 ? (guint64) ev->line : 0); break;
    case 8: result_text (ctx, ev->detail); break;
    default: result_text (ctx, ev->extra); break;
    }
  return SQLITE_OK;
}

static int
block_rowid (sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
  *rowid = ((BlockCursor *) cur)->i;
  return SQLITE_OK;
}

static const sqlite3_module block_module = {
  .iVersion = 1,
  .xCreate = NULL,            /* eponymous only: no CREATE VIRTUAL TABLE */
  .xConnect = block_connect,
  .xBestIndex = block_best_index,
  .xDisconnect = block_disconnect,
  .xDestroy = block_disconnect,
  .xOpen = block_open,
  .xClose = block_close,
  .xFilter = block_filter,
  .xNext = block_next,
  .xEof = block_eof,
  .xColumn = block_column,
  .xRowid = block_rowid,
};

/* Writes a block's events with one statement. */
static void
write_block (LsTraceRecorder *r, Block *b)
{
  r->writing = b;
  step_and_reset (r, r->stmt[STMT_EVENTS]);
  r->writing = NULL;
  r->in_batch += b->n;
  if (!r->error && (r->in_batch >= LS_RECORDER_BATCH || b->commit))
    commit_batch (r);
}

static gpointer
writer_main (gpointer user_data)
{
  LsTraceRecorder *r = user_data;

  for (;;)
    {
      Block *b = g_async_queue_pop (r->full);
      if (b == &r->stop)
        break;
      if (!r->error)
        write_block (r, b);
      if (r->error)
        g_atomic_int_set (&r->failed, 1);
      b->n = 0;
      b->commit = FALSE;
      g_string_chunk_clear (b->text);
      g_mutex_lock (&r->lock);
      r->blocks_written++;
      g_cond_broadcast (&r->written);
      g_mutex_unlock (&r->lock);
      g_async_queue_push (r->free, b);
    }
  return NULL;
}

/* Hands the block being filled to the writer (commit: have it commit
 * after writing), and waits for it to be written if wait. */
static void
send_block (LsTraceRecorder *r, gboolean commit, gboolean wait)
{
  Block *b = r->current;
  guint64 sent;

  r->current = NULL;
  if (!b)
    b = g_async_queue_pop (r->free);
  b->commit = commit;
  sent = ++r->blocks_sent;
  g_async_queue_push (r->full, b);
  if (wait)
    {
      g_mutex_lock (&r->lock);
      while (r->blocks_written < sent)
        g_cond_wait (&r->written, &r->lock);
      g_mutex_unlock (&r->lock);
    }
}

/* ---- the observer ------------------------------------------------------------------ */

void
ls_trace_recorder_observe (const LsEvent *ev, gpointer user_data)
{
  LsTraceRecorder *r = user_data;
  Block *b;
  LsEvent *copy;

  if (G_UNLIKELY (g_atomic_int_get (&r->failed)))
    return;
  /* The run's own numbering, checked: a gap would make the file lie. */
  if (G_UNLIKELY (ev->seq != r->count + 1))
    {
      if (!r->order_error)
        r->order_error = g_strdup_printf ("%s: event %" G_GUINT64_FORMAT " arrived after event %"
                                          G_GUINT64_FORMAT, r->path, ev->seq, r->count);
      g_atomic_int_set (&r->failed, 1);
      return;
    }
  if (G_UNLIKELY (!r->current))
    r->current = g_async_queue_pop (r->free);
  b = r->current;
  copy = &b->events[b->n++];
  *copy = *ev;
  if (ev->detail)
    copy->detail = g_string_chunk_insert (b->text, ev->detail);
  if (ev->extra)
    copy->extra = g_string_chunk_insert (b->text, ev->extra);
  r->count++;
  r->last_time = ev->time;
  if (b->n == LS_RECORDER_BLOCK)
    send_block (r, FALSE, FALSE);
}

guint64
ls_trace_recorder_count (LsTraceRecorder *r)
{
  return r->count;
}

/* Waits for the writer to write and commit everything sent, then stops
 * it: from then on r->db is the caller's alone. */
static void
writer_stop (LsTraceRecorder *r)
{
  if (!r->writer)
    return;
  send_block (r, TRUE, TRUE);
  g_async_queue_push (r->full, &r->stop);
  g_thread_join (r->writer);
  r->writer = NULL;
  if (r->order_error && !r->error)
    g_set_error_literal (&r->error, LS_TRACE_ERROR, LS_TRACE_ERROR_IO, r->order_error);
}

gboolean
ls_trace_recorder_flush (LsTraceRecorder *r, GError **error)
{
  if (r->writer)
    send_block (r, TRUE, TRUE);
  if (g_atomic_int_get (&r->failed))
    {
      if (r->order_error)
        g_set_error_literal (error, LS_TRACE_ERROR, LS_TRACE_ERROR_IO, r->order_error);
      else
        g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_IO, "%s: cannot write the trace", r->path);
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
  Block *b;

  writer_stop (r);
  if (r->current)
    g_async_queue_push (r->free, r->current);
  while ((b = g_async_queue_try_pop (r->free)))
    {
      g_string_chunk_free (b->text);
      g_free (b);
    }
  g_async_queue_unref (r->free);
  g_async_queue_unref (r->full);
  g_mutex_clear (&r->lock);
  g_cond_clear (&r->written);
  g_free (r->order_error);
  for (int i = 0; i < N_STMTS; i++)
    sqlite3_finalize (r->stmt[i]);
  if (r->db)
    sqlite3_close (r->db);
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
  r->free = g_async_queue_new ();
  r->full = g_async_queue_new ();
  g_mutex_init (&r->lock);
  g_cond_init (&r->written);
  for (int i = 0; i < LS_RECORDER_BLOCKS; i++)
    {
      Block *b = g_malloc (sizeof (Block));
      b->n = 0;
      b->commit = FALSE;
      b->text = g_string_chunk_new (16384);
      g_async_queue_push (r->free, b);
    }

  /* A trace describes one run: an old file of that name goes. */
  remove_trace_files (path);
  if (sqlite3_open_v2 (path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
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
  if (sqlite3_create_module_v2 (r->db, "ls_block", &block_module, r, NULL) != SQLITE_OK)
    {
      fail (r, "cannot prepare the trace");
      goto out;
    }
  for (int i = 0; i < N_STMTS; i++)
    {
      char *sql = g_strdup (stmt_sql[i]);
      int rc = sqlite3_prepare_v3 (r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &r->stmt[i], NULL);
      g_free (sql);
      if (rc != SQLITE_OK)
        {
          fail (r, "cannot prepare the trace");
          goto out;
        }
    }
  /* The start commits at once: from now on the file is a trace. */
  if (write_start (r, info ? info : &none) && commit_batch (r))
    r->writer = g_thread_new ("trace-writer", writer_main, r);

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
  gboolean ok;

  g_return_val_if_fail (r != NULL, FALSE);
  writer_stop (r);
  if (!r->error)
    {
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
  writer_stop (r);
  recorder_free (r);
}
