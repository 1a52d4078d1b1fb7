/* test-export.c - Perfetto JSON and CSV exports, and what every command
 * of loopscope-cli does with a file that is not a good trace.
 *
 * Traces are recorded by running bundled scenarios through the real CLI
 * (`run --trace`) in a temporary directory.
 */
#include "ls-trace-export.h"
#include "ls-trace-reader.h"
#include "trace-test-util.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

typedef struct {
  char *dir;
} Tmp;

static void
tmp_setup (Tmp *t, gconstpointer data)
{
  t->dir = g_dir_make_tmp ("loopscope-export-XXXXXX", NULL);
  g_assert_nonnull (t->dir);
}

static void
tmp_teardown (Tmp *t, gconstpointer data)
{
  GDir *d = g_dir_open (t->dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)))
    {
      char *p = g_build_filename (t->dir, name, NULL);
      g_remove (p);
      g_free (p);
    }
  if (d)
    g_dir_close (d);
  g_rmdir (t->dir);
  g_free (t->dir);
}

/* Runs the CLI with args; returns its exit status, stdout and stderr. */
static int
cli (char **out, char **err, const char *first, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  va_list ap;
  int status = -1;
  GError *error = NULL;

  g_ptr_array_add (argv, (char *) LS_TEST_CLI);
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_ptr_array_free (argv, TRUE);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* Records a bundled scenario into the test's directory; returns the path. */
static char *
record_scenario (Tmp *t, const char *scenario)
{
  char *rel = g_build_filename ("data", "scenarios", scenario, NULL);
  char *path = ls_test_record (t->dir, rel);
  g_free (rel);
  return path;
}

/* ---- Perfetto ------------------------------------------------------------- */

static void
test_perfetto (Tmp *t, gconstpointer data)
{
  char *trace = record_scenario (t, "gather_factorial.py");
  char *json = g_build_filename (t->dir, "out.json", NULL);
  LsTraceModel *m = ls_test_load (trace);
  GError *error = NULL;
  JsonParser *parser = json_parser_new ();
  JsonObject *root;
  JsonArray *items;
  GHashTable *flows = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint n_tasks, n_slices = 0, n_prints = 0, n_s = 0, n_f = 0, expected_slices = 0;
  const LsTraceTask *tasks = ls_trace_model_get_tasks (m, &n_tasks);
  GHashTable *track_names = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);

  g_assert_true (ls_trace_export_to_file (m, LS_TRACE_EXPORT_PERFETTO, json, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  items = json_object_get_array_member (root, "traceEvents");
  g_assert_nonnull (items);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      const char *ph = json_object_get_string_member (o, "ph");
      gint64 tid = json_object_get_int_member (o, "tid");
      g_assert_cmpint (json_object_get_int_member (o, "pid"), ==, 1);
      if (strcmp (ph, "M") == 0 && strcmp (json_object_get_string_member (o, "name"), "thread_name") == 0)
        g_hash_table_insert (track_names, GINT_TO_POINTER (tid),
                             g_strdup (json_object_get_string_member (json_object_get_object_member (o, "args"),
                                                                      "name")));
      else if (strcmp (ph, "X") == 0)
        {
          g_assert_true (json_object_has_member (o, "dur"));
          g_assert_cmpfloat (json_object_get_double_member (o, "dur"), >=, 0);
          if (tid <= n_tasks)
            n_slices++;
        }
      else if (strcmp (ph, "s") == 0 || strcmp (ph, "f") == 0)
        {
          gint64 id = json_object_get_int_member (o, "id");
          int seen = GPOINTER_TO_INT (g_hash_table_lookup (flows, GINT_TO_POINTER (id)));
          /* Each flow: one start, then one finish, with the same id. */
          g_assert_cmpint (seen, ==, ph[0] == 's' ? 0 : 1);
          g_hash_table_insert (flows, GINT_TO_POINTER (id), GINT_TO_POINTER (seen + 1));
          if (ph[0] == 's')
            n_s++;
          else
            n_f++;
        }
      else if (strcmp (ph, "i") == 0 && strcmp (json_object_get_string_member (o, "name"), "print") == 0)
        {
          const char *text = json_object_get_string_member (json_object_get_object_member (o, "args"), "text");
          /* The tutorial's lines, each on its task's track. */
          if (g_str_has_prefix (text, "Task C: factorial(4) = 24"))
            g_assert_true (g_str_has_prefix (g_hash_table_lookup (track_names, GINT_TO_POINTER (tid)), "Task-4 "));
          n_prints++;
        }
    }
  /* One track per task, named by task and coroutine. */
  for (guint i = 0; i < n_tasks; i++)
    {
      guint ni;
      const LsTraceInterval *ivs = ls_trace_model_get_task_intervals (m, i, &ni);
      const char *name = g_hash_table_lookup (track_names, GINT_TO_POINTER (i + 1));
      g_assert_nonnull (name);
      g_assert_true (g_str_has_prefix (name, tasks[i].name));
      for (guint k = 0; k < ni; k++)
        if (ivs[k].state != LS_TRACE_IDLE)
          expected_slices++;
    }
  g_assert_nonnull (strstr (g_hash_table_lookup (track_names, GINT_TO_POINTER (2)), "factorial()"));
  g_assert_cmpuint (n_slices, ==, expected_slices);
  g_assert_cmpuint (n_prints, ==, 10);
  g_assert_cmpuint (n_s, ==, n_f);
  g_assert_cmpuint (n_s, >=, 3 + 3);     /* three creations, the wakeups */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "otherData"), "outcome"),
                   ==, "finished");

  g_hash_table_destroy (flows);
  g_hash_table_destroy (track_names);
  g_object_unref (parser);
  ls_trace_model_free (m);
  g_free (json);
  g_free (trace);
}

/* A timeout's arrow starts on the loop's track (no task fired it). */
static void
test_perfetto_timeout (Tmp *t, gconstpointer data)
{
  char *trace = record_scenario (t, "wait_for_timeout.py");
  char *json = g_build_filename (t->dir, "out.json", NULL);
  char *text;
  LsTraceModel *m = ls_test_load (trace);
  GError *error = NULL;

  g_assert_true (ls_trace_export_to_file (m, LS_TRACE_EXPORT_PERFETTO, json, &error));
  g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"ph\":\"s\",\"name\":\"timed-out\""));
  g_assert_nonnull (strstr (text, "\"ph\":\"X\",\"name\":\"timeout\""));
  g_free (text);
  ls_trace_model_free (m);
  g_free (json);
  g_free (trace);
}

/* ---- CSV ------------------------------------------------------------------- */

/* Splits RFC 4180 text into records of fields. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *rec = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p)
    {
      if (*p == '"')
        {
          for (p++; *p && !(*p == '"' && p[1] != '"'); p++)
            {
              if (*p == '"')
                p++;
              g_string_append_c (field, *p);
            }
          g_assert_true (*p == '"');
          p++;
        }
      else if (*p == ',')
        {
          g_ptr_array_add (rec, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          p++;
        }
      else if (p[0] == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (rec, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (records, rec);
          rec = g_ptr_array_new_with_free_func (g_free);
          p += 2;
        }
      else
        g_string_append_c (field, *p++);
    }
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (rec->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (rec);
  return records;
}

static void
test_csv (Tmp *t, gconstpointer data)
{
  char *trace = record_scenario (t, "gather_factorial.py");
  char *csv = g_build_filename (t->dir, "out.csv", NULL);
  char *text, *out = NULL, *err = NULL;
  LsTraceModel *m = ls_test_load (trace);
  GPtrArray *records;
  guint n_events, outputs = 0;

  ls_trace_model_get_events (m, &n_events);
  g_assert_cmpint (cli (&out, &err, "export", trace, "--format", "csv", "-o", csv, NULL), ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  records = parse_csv (text);
  g_assert_cmpuint (records->len, ==, n_events + 1);
  for (guint i = 0; i < records->len; i++)
    {
      GPtrArray *rec = g_ptr_array_index (records, i);
      g_assert_cmpuint (rec->len, ==, 12);
      if (i == 0)
        {
          g_assert_cmpstr (g_ptr_array_index (rec, 0), ==, "seq");
          continue;
        }
      g_assert_cmpint (atoi (g_ptr_array_index (rec, 0)), ==, (int) i);
      if (strcmp (g_ptr_array_index (rec, 2), "output") == 0)
        {
          /* Printed text keeps its newline, quoted. */
          g_assert_true (g_str_has_suffix (g_ptr_array_index (rec, 10), "\n"));
          g_assert_cmpstr (g_ptr_array_index (rec, 4), !=, "");
          outputs++;
        }
    }
  g_assert_cmpuint (outputs, ==, 10);
  g_ptr_array_unref (records);
  g_free (text);
  g_free (out);
  g_free (err);
  ls_trace_model_free (m);
  g_free (csv);
  g_free (trace);
}

/* ---- bad input, every command ------------------------------------------------- */

static void
write_file (const char *path, const char *data, gssize len)
{
  g_assert_true (g_file_set_contents (path, data, len, NULL));
}

/* Each kind of bad file, made in dir; returns their paths. */
static GPtrArray *
bad_traces (Tmp *t)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  char *good = record_scenario (t, "gather_factorial.py");
  char *data, *p, *cmd;
  gsize len;

  p = g_build_filename (t->dir, "text.sqlite", NULL);
  write_file (p, "this is not a database\n", -1);
  g_ptr_array_add (paths, p);

  p = g_build_filename (t->dir, "empty.sqlite", NULL);
  write_file (p, "", 0);
  g_ptr_array_add (paths, p);

  p = g_build_filename (t->dir, "missing.sqlite", NULL);
  g_ptr_array_add (paths, p);

  /* Another program's SQLite database. */
  p = g_build_filename (t->dir, "other.sqlite", NULL);
  cmd = g_strdup_printf ("sqlite3 '%s' 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); "
                         "INSERT INTO notes VALUES (1, \"hello\");'", p);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (cmd);
  g_ptr_array_add (paths, p);

  /* A trace from a newer Loopscope. */
  g_assert_true (g_file_get_contents (good, &data, &len, NULL));
  p = g_build_filename (t->dir, "newer.sqlite", NULL);
  write_file (p, data, (gssize) len);
  cmd = g_strdup_printf ("sqlite3 '%s' 'PRAGMA user_version = 99; "
                         "UPDATE meta SET value = \"99\" WHERE key = \"schema_version\";'", p);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (cmd);
  g_ptr_array_add (paths, p);

  /* Cut in half. */
  p = g_build_filename (t->dir, "truncated.sqlite", NULL);
  write_file (p, data, (gssize) len / 2);
  g_ptr_array_add (paths, p);

  /* Pages overwritten with garbage past the header. */
  p = g_build_filename (t->dir, "corrupt.sqlite", NULL);
  for (gsize i = 4096; i < len; i += 3)
    data[i] = (char) (i * 7919);
  write_file (p, data, (gssize) len);
  g_ptr_array_add (paths, p);

  g_free (data);
  g_free (good);
  return paths;
}

static void
test_bad_input_every_command (Tmp *t, gconstpointer data)
{
  GPtrArray *paths = bad_traces (t);
  char *csv = g_build_filename (t->dir, "out.csv", NULL);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      char *out = NULL, *err = NULL;
      int code;

      code = cli (&out, &err, "info", path, NULL);
      g_test_message ("info %s: %d %s", path, code, err);
      g_assert_cmpint (code, ==, 2);
      /* One clear line naming the file. */
      g_assert_nonnull (strstr (err, path));
      g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
      g_free (out);
      g_free (err);

      code = cli (&out, &err, "export", path, "--format", "csv", "-o", csv, NULL);
      g_test_message ("export %s: %d %s", path, code, err);
      g_assert_cmpint (code, ==, 2);
      g_assert_nonnull (strstr (err, path));
      g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
      g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
      g_free (out);
      g_free (err);
    }
  g_free (csv);
  g_ptr_array_unref (paths);
}

/* `run` with a trace it cannot write: one error, exit 2, nothing run. */
static void
test_run_unwritable_trace (Tmp *t, gconstpointer data)
{
  char *py = g_build_filename (LS_TEST_SOURCE_DIR, "data", "scenarios", "gather_factorial.py", NULL);
  char *out = NULL, *err = NULL;
  g_assert_cmpint (cli (&out, &err, "run", py, "--trace", "/nonexistent-dir/t.sqlite", NULL), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "/nonexistent-dir/t.sqlite"));
  g_free (out);
  g_free (err);
  g_free (py);
}

/* A failed export leaves an existing file alone. */
static void
test_export_keeps_old_file (Tmp *t, gconstpointer data)
{
  char *csv = g_build_filename (t->dir, "old.csv", NULL);
  char *bad = g_build_filename (t->dir, "bad.sqlite", NULL);
  char *out = NULL, *err = NULL, *text;

  write_file (csv, "precious\n", -1);
  write_file (bad, "garbage", -1);
  g_assert_cmpint (cli (&out, &err, "export", bad, "--format", "csv", "-o", csv, NULL), ==, 2);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "precious\n");
  g_free (text);
  g_free (out);
  g_free (err);
  g_free (bad);
  g_free (csv);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define TMP_TEST(path, fn) g_test_add (path, Tmp, NULL, tmp_setup, fn, tmp_teardown)
  TMP_TEST ("/trace/export/perfetto", test_perfetto);
  TMP_TEST ("/trace/export/perfetto-timeout", test_perfetto_timeout);
  TMP_TEST ("/trace/export/csv", test_csv);
  TMP_TEST ("/trace/export/keeps-old-file", test_export_keeps_old_file);
  TMP_TEST ("/trace/cli/bad-input-every-command", test_bad_input_every_command);
  TMP_TEST ("/trace/cli/run-unwritable-trace", test_run_unwritable_trace);
  return g_test_run ();
}
