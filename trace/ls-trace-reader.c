/* ls-trace-reader.c - SQLite trace file -> LsTraceModel.
 *
 * The checks run from cheapest to dearest, so that each kind of bad file
 * is named by the first check it fails: the file itself (missing, empty,
 * shorter than its SQLite header says), then SQLite's view of it
 * (application_id, user_version, tables), then the rows (seq without
 * gaps, as many events as meta says).  Reading stops at the first SQLite
 * error: a damaged page never leads to a half-built model.
 */
#include "ls-trace-reader.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define SQLITE_MAGIC "SQLite format 3"   /* the first 16 bytes, NUL included */
#define SQLITE_HEADER_SIZE 100
/* How long to wait for a writer that holds a lock: a trace being recorded
 * commits quickly; longer means something is stuck, and the reader must
 * not hang. */
#define BUSY_TIMEOUT_MS 2000

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* The file before SQLite sees it: exists, is a regular file, starts like an
 * SQLite database, and is as long as its header says (a file cut short by
 * a copy or a full disk). */
static gboolean
check_file (const char *path, GError **error)
{
  GStatBuf st;
  guint8 header[SQLITE_HEADER_SIZE];
  gssize got;
  int fd;

  if (g_stat (path, &st) != 0)
    {
      int e = errno;
      g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_IO, "%s", g_strerror (e));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_IO, "not a regular file");
      return FALSE;
    }
  fd = g_open (path, O_RDONLY, 0);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_IO, "%s", g_strerror (e));
      return FALSE;
    }
  got = read (fd, header, sizeof header);
  close (fd);
  if (got < 0)
    {
      g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_IO, "cannot read the file");
      return FALSE;
    }
  if (got == 0)
    {
      g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_NOT_TRACE,
                   "not a Loopscope trace (the file is empty)");
      return FALSE;
    }
  if (got < SQLITE_HEADER_SIZE || memcmp (header, SQLITE_MAGIC, sizeof SQLITE_MAGIC) != 0)
    {
      g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_NOT_TRACE,
                   "not a Loopscope trace (not an SQLite database)");
      return FALSE;
    }
  {
    /* Page size (1 stands for 65536) and the page count, which is valid
     * only while the change counter matches "version-valid-for". */
    guint32 page_size = ((guint32) header[16] << 8) | header[17];
    guint32 pages = be32 (header + 28);
    if (page_size == 1)
      page_size = 65536;
    if (be32 (header + 24) == be32 (header + 92) && pages > 0
        && (guint64) st.st_size < (guint64) page_size * pages)
      {
        g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_CORRUPT,
                     "the trace is truncated (%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                     " bytes)", (guint64) st.st_size, (guint64) page_size * pages);
        return FALSE;
      }
  }
  return TRUE;
}

/* An SQLite failure as a trace error. */
static void
set_sqlite_error (GError **error, sqlite3 *db, int rc, const char *what)
{
  int code;
  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      code = LS_TRACE_ERROR_NOT_TRACE;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      code = LS_TRACE_ERROR_CORRUPT;
      break;
    default:
      code = LS_TRACE_ERROR_IO;
      break;
    }
  if (code == LS_TRACE_ERROR_NOT_TRACE)
    g_set_error (error, LS_TRACE_ERROR, code, "not a Loopscope trace (not an SQLite database)");
  else if (code == LS_TRACE_ERROR_CORRUPT)
    g_set_error (error, LS_TRACE_ERROR, code, "the trace is damaged (%s: %s)", what,
                 db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  else
    g_set_error (error, LS_TRACE_ERROR, code, "cannot read the trace (%s: %s)", what,
                 db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

/* The integer a one-row query gives. */
static gboolean
query_int (sqlite3 *db, const char *sql, sqlite3_int64 *out, GError **error)
{
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &st, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (st);
      if (rc == SQLITE_ROW)
        {
          *out = sqlite3_column_int64 (st, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (st);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, rc, sql);
      return FALSE;
    }
  return TRUE;
}

/* Prepares a statement on a table of the trace; a table that is missing
 * (or lacks a column) means the file is of another kind. */
static sqlite3_stmt *
prepare_table (sqlite3 *db, const char *sql, const char *table, GError **error)
{
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &st, NULL);

  if (rc == SQLITE_OK)
    return st;
  sqlite3_finalize (st);
  if ((rc & 0xff) == SQLITE_ERROR)
    g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_NOT_TRACE,
                 "not a Loopscope trace (no usable %s table: %s)", table, sqlite3_errmsg (db));
  else
    set_sqlite_error (error, db, rc, table);
  return NULL;
}

/* Maps the ids a file uses for kinds or reasons to this code's enums, by
 * name, so that the numbers may differ; an unknown name maps to `unknown`. */
static gboolean
read_names (sqlite3 *db, const char *sql, const char *table, GArray *map,
            const char *(*name_of) (int), int n, guint8 unknown, GError **error)
{
  sqlite3_stmt *st = prepare_table (db, sql, table, error);
  int rc;

  if (!st)
    return FALSE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      sqlite3_int64 id = sqlite3_column_int64 (st, 0);
      const char *name = (const char *) sqlite3_column_text (st, 1);
      guint8 v = unknown;
      if (id < 0 || id > 255)
        continue;
      for (int i = 0; name && i < n; i++)
        if (strcmp (name, name_of (i)) == 0)
          v = (guint8) i;
      if ((guint) id >= map->len)
        {
          guint old = map->len;
          g_array_set_size (map, (guint) id + 1);
          for (guint i = old; i < map->len; i++)
            g_array_index (map, guint8, i) = unknown;
        }
      g_array_index (map, guint8, id) = v;
    }
  sqlite3_finalize (st);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db, rc, table);
      return FALSE;
    }
  return TRUE;
}

static const char *
kind_name (int i)
{
  return ls_event_kind_name ((LsEventKind) i);
}

static const char *
reason_name (int i)
{
  return ls_reason_name ((LsReason) i);
}

static guint8
map_id (GArray *map, sqlite3_stmt *st, int col, guint8 unknown, guint8 null_value)
{
  sqlite3_int64 id;
  if (sqlite3_column_type (st, col) == SQLITE_NULL)
    return null_value;
  id = sqlite3_column_int64 (st, col);
  return id >= 0 && id < (sqlite3_int64) map->len ? g_array_index (map, guint8, id) : unknown;
}

static guint64
column_id (sqlite3_stmt *st, int col)
{
  sqlite3_int64 v = sqlite3_column_int64 (st, col);
  return v > 0 ? (guint64) v : 0;
}

static gboolean
read_meta (sqlite3 *db, LsTraceModelBuilder *b, sqlite3_int64 *meta_events, GError **error)
{
  sqlite3_stmt *st = prepare_table (db, "SELECT key, value FROM meta", "meta", error);
  int rc;

  if (!st)
    return FALSE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (st, 0);
      const char *value = (const char *) sqlite3_column_text (st, 1);
      if (!key)
        continue;
      if (strcmp (key, "events") == 0 && value)
        *meta_events = g_ascii_strtoll (value, NULL, 10);
      ls_trace_model_builder_set_meta (b, key, value);
    }
  sqlite3_finalize (st);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db, rc, "meta");
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_source (sqlite3 *db, LsTraceModelBuilder *b, GError **error)
{
  sqlite3_stmt *st = prepare_table (db, "SELECT path, text FROM source LIMIT 1", "source", error);
  int rc;

  if (!st)
    return FALSE;
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    ls_trace_model_builder_set_source (b, (const char *) sqlite3_column_text (st, 0),
                                       (const char *) sqlite3_column_text (st, 1));
  sqlite3_finalize (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db, rc, "source");
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_events (sqlite3 *db, LsTraceModelBuilder *b, GArray *kinds, GArray *reasons,
             guint32 *count, GError **error)
{
  sqlite3_stmt *st = prepare_table (db, "SELECT seq, time, kind, task, future, other, reason,"
                                    " value, line, detail, extra FROM events ORDER BY seq",
                                    "events", error);
  guint64 expect = 1;
  int rc;

  if (!st)
    return FALSE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      LsEvent ev;
      sqlite3_int64 seq = sqlite3_column_int64 (st, 0);

      if (seq != (sqlite3_int64) expect || expect > G_MAXUINT32)
        {
          g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_CORRUPT,
                       "the trace is damaged (event %" G_GUINT64_FORMAT " is missing)", expect);
          sqlite3_finalize (st);
          return FALSE;
        }
      ev.seq = expect++;
      ev.time = sqlite3_column_double (st, 1);
      ev.kind = map_id (kinds, st, 2, LS_EVENT_N_KINDS, LS_EVENT_N_KINDS);
      ev.task = column_id (st, 3);
      ev.future = column_id (st, 4);
      ev.other = column_id (st, 5);
      ev.reason = map_id (reasons, st, 6, LS_REASON_N, LS_REASON_NONE);
      ev.value = sqlite3_column_double (st, 7);
      ev.line = sqlite3_column_int (st, 8);
      ev.detail = (const char *) sqlite3_column_text (st, 9);
      ev.extra = (const char *) sqlite3_column_text (st, 10);
      ls_trace_model_builder_add (b, &ev);
    }
  sqlite3_finalize (st);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db, rc, "events");
      return FALSE;
    }
  *count = (guint32) (expect - 1);
  return TRUE;
}

LsTraceModel *
ls_trace_model_load (const char *path, GError **error)
{
  sqlite3 *db = NULL;
  LsTraceModelBuilder *b = NULL;
  LsTraceModel *model = NULL;
  GArray *kinds = NULL, *reasons = NULL;
  sqlite3_int64 app_id = 0, version = 0, meta_events = -1;
  guint32 count = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_file (path, error))
    goto out;
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, rc, "open");
      goto out;
    }
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  if (!query_int (db, "PRAGMA application_id", &app_id, error)
      || !query_int (db, "PRAGMA user_version", &version, error))
    goto out;
  if (app_id != LS_TRACE_APPLICATION_ID)
    {
      g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_NOT_TRACE,
                   "not a Loopscope trace (an SQLite database of another kind)");
      goto out;
    }
  if (version > LS_TRACE_SCHEMA_VERSION)
    {
      g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_NEWER,
                   "the trace has schema version %" G_GINT64_FORMAT "; this Loopscope reads "
                   "version %d: a newer Loopscope is needed", (gint64) version,
                   LS_TRACE_SCHEMA_VERSION);
      goto out;
    }
  if (version < 1)
    {
      g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_NOT_TRACE,
                   "not a Loopscope trace (unknown schema version %" G_GINT64_FORMAT ")",
                   (gint64) version);
      goto out;
    }

  b = ls_trace_model_builder_new ();
  kinds = g_array_new (FALSE, FALSE, sizeof (guint8));
  reasons = g_array_new (FALSE, FALSE, sizeof (guint8));
  if (!read_names (db, "SELECT id, name FROM event_kinds", "event_kinds", kinds, kind_name,
                   LS_EVENT_N_KINDS, LS_EVENT_N_KINDS, error)
      || !read_names (db, "SELECT id, name FROM reasons", "reasons", reasons, reason_name,
                      LS_REASON_N, LS_REASON_N, error)
      || !read_meta (db, b, &meta_events, error)
      || !read_source (db, b, error)
      || !read_events (db, b, kinds, reasons, &count, error))
    goto out;
  model = ls_trace_model_builder_finish (b);
  b = NULL;
  /* A finished run says how many events it wrote; fewer rows mean that
   * some were lost. */
  if (!ls_trace_model_get_run (model)->interrupted && meta_events >= 0
      && (sqlite3_int64) count < meta_events)
    {
      g_set_error (error, LS_TRACE_ERROR, LS_TRACE_ERROR_CORRUPT,
                   "the trace is damaged (%u of %" G_GINT64_FORMAT " events)", count,
                   (gint64) meta_events);
      g_clear_pointer (&model, ls_trace_model_free);
    }

out:
  ls_trace_model_builder_free (b);
  if (kinds)
    g_array_unref (kinds);
  if (reasons)
    g_array_unref (reasons);
  sqlite3_close (db);
  return model;
}
