/* trace-steps.c - the task steps recorded in a trace, in the CPython
 * oracle's --trace format (one JSON line per step and per task end).
 *
 *   trace-steps TRACE.sqlite
 *
 * tests/conformance/run.sh compares its output with the oracle's, so the
 * steps are checked as they come back out of the SQLite file, not as the
 * engine reported them.  It reads the events table with plain SQL, names
 * included (a task's name at each event, renames followed).
 */
#include "ls-observer.h"
#include "ls-value.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static void
print_json_string (const char *text)
{
  putchar ('"');
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        printf ("\\%c", *p);
      else if (*p < 0x20)
        printf ("\\u%04x", *p);
      else
        putchar (*p);
    }
  putchar ('"');
}

int
main (int argc, char **argv)
{
  sqlite3 *db;
  sqlite3_stmt *s;
  GHashTable *names;
  const char *sql =
    "SELECT e.time, k.name, e.task, r.name, e.detail FROM events e "
    "JOIN event_kinds k ON k.id = e.kind LEFT JOIN reasons r ON r.id = e.reason "
    "WHERE k.name IN ('task-created', 'task-renamed', 'step-begin', 'step-end') ORDER BY e.seq";

  if (argc != 2)
    {
      fprintf (stderr, "usage: trace-steps TRACE\n");
      return 2;
    }
  if (sqlite3_open_v2 (argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, sql, -1, &s, NULL) != SQLITE_OK)
    {
      fprintf (stderr, "trace-steps: %s: %s\n", argv[1], sqlite3_errmsg (db));
      return 2;
    }
  names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      char t[G_ASCII_DTOSTR_BUF_SIZE];
      const char *kind = (const char *) sqlite3_column_text (s, 1);
      gint64 task = sqlite3_column_int64 (s, 2);
      const char *reason = (const char *) sqlite3_column_text (s, 3);
      const char *detail = (const char *) sqlite3_column_text (s, 4);
      const char *name, *what = NULL;

      if (strcmp (kind, "task-created") == 0 || strcmp (kind, "task-renamed") == 0)
        {
          g_hash_table_replace (names, g_memdup2 (&task, sizeof task), g_strdup (detail ? detail : ""));
          continue;
        }
      if (strcmp (kind, "step-begin") == 0)
        what = "step";
      else if (reason && strcmp (reason, "result") == 0)
        what = "done";
      else if (reason && strcmp (reason, "cancelled") == 0)
        what = "cancelled";
      else if (reason && strcmp (reason, "exception") == 0)
        what = "exception";
      if (!what)
        continue;
      name = g_hash_table_lookup (names, &task);
      ls_float_repr (sqlite3_column_double (s, 0), t);
      printf ("{\"t\": %s, \"task\": ", t);
      print_json_string (name ? name : "?");
      printf (", \"ev\": \"%s\"", what);
      if (strcmp (what, "exception") == 0 && detail)
        {
          printf (", \"exc\": ");
          print_json_string (detail);
        }
      printf ("}\n");
    }
  sqlite3_finalize (s);
  sqlite3_close (db);
  g_hash_table_destroy (names);
  return 0;
}
