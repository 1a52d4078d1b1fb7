/* bench-trace-load.c - how long loading a trace into a model takes.
 *
 *   bench-trace-load [TRACE]
 *
 * With no TRACE, records one first, in a temporary directory: 5,000 tasks
 * each awaiting asyncio.sleep(0) 100 times, about a million events.  Then
 * loads it three times and prints the best time, the events per second and
 * how long the findings take on it.  The target: a million events in
 * under 1.5 s.  Not a test: it measures, it checks nothing.
 */
#include "bench-million.h"
#include "ls-trace-findings.h"
#include "ls-trace-reader.h"

#include <glib/gstdio.h>
#include <stdio.h>

#define RUNS 3

int
main (int argc, char **argv)
{
  char *dir = NULL, *path;
  double best = G_MAXDOUBLE, findings_time;
  guint32 n_events = 0;
  guint n_tasks = 0;
  GError *error = NULL;
  gint64 t0;
  LsTraceModel *m = NULL;
  GArray *findings;

  if (argc > 1)
    path = g_strdup (argv[1]);
  else
    {
      dir = g_dir_make_tmp ("loopscope-bench-XXXXXX", NULL);
      path = g_build_filename (dir, "bench.sqlite", NULL);
      t0 = g_get_monotonic_time ();
      if (!ls_bench_record_million (path, "bench-trace-load"))
        return 1;
      printf ("recorded in %.2f s\n", (g_get_monotonic_time () - t0) / 1e6);
    }
  for (int i = 0; i < RUNS; i++)
    {
      t0 = g_get_monotonic_time ();
      m = ls_trace_model_load (path, &error);
      if (!m)
        {
          fprintf (stderr, "bench-trace-load: %s: %s\n", path, error->message);
          return 1;
        }
      best = MIN (best, (g_get_monotonic_time () - t0) / 1e6);
      n_events = ls_trace_model_get_run (m)->n_events;
      if (i < RUNS - 1)
        ls_trace_model_free (m);
    }
  t0 = g_get_monotonic_time ();
  findings = ls_trace_findings_compute (m);
  findings_time = (g_get_monotonic_time () - t0) / 1e6;
  ls_trace_model_get_tasks (m, &n_tasks);
  printf ("load: %u events in %.3f s (best of %d), %.2f M events/s; %u lanes\n", n_events, best,
          RUNS, n_events / best / 1e6, n_tasks);
  printf ("findings: %u in %.3f s\n", findings->len, findings_time);
  printf ("RESULT events=%u seconds=%.3f lanes=%u findings_seconds=%.3f\n", n_events, best, n_tasks,
          findings_time);
  g_array_unref (findings);
  ls_trace_model_free (m);
  if (dir)
    {
      g_remove (path);
      g_rmdir (dir);
      g_free (dir);
    }
  g_free (path);
  return 0;
}
