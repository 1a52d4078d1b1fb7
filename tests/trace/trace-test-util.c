/* trace-test-util.c - recording and loading traces for the trace suites. */
#include "trace-test-util.h"

char *
ls_test_record (const char *dir, const char *scenario)
{
  char *src = g_build_filename (LS_TEST_SOURCE_DIR, scenario, NULL);
  char *base = g_path_get_basename (scenario);
  char *name = g_strconcat (base, ".sqlite", NULL);
  char *out = g_build_filename (dir, name, NULL);
  const char *argv[] = { LS_TEST_CLI, "run", src, "--quiet", "--trace", out, NULL };
  GError *error = NULL;

  if (!g_file_test (out, G_FILE_TEST_EXISTS))
    {
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                    NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  g_free (src);
  g_free (base);
  g_free (name);
  return out;
}

LsTraceModel *
ls_test_load (const char *path)
{
  GError *error = NULL;
  LsTraceModel *m = ls_trace_model_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}
