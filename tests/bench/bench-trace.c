/* bench-trace.c - how fast the recorder writes, and how big the file gets.
 *
 *   bench-trace record PROGRAM.py TRACE.sqlite
 *
 * Runs PROGRAM.py once with an observer that keeps a copy of every event,
 * then replays the copies into a fresh recorder and times only that: the
 * cost of recording, without the program's own.  Prints one line
 *   RESULT events=N seconds=S events_per_s=R bytes=B bytes_per_event=E
 * tests/bench/run-trace.sh runs it and times `loopscope-cli run --trace`
 * against the same run without a trace.
 */
#include "ls-trace-recorder.h"
#include "ls-vm.h"

#include <glib/gstdio.h>
#include <stdio.h>

typedef struct {
  GArray *events;           /* LsEvent, strings in chunk */
  GStringChunk *chunk;
} Capture;

static void
capture (const LsEvent *ev, gpointer user_data)
{
  Capture *c = user_data;
  LsEvent copy = *ev;
  copy.detail = ev->detail ? g_string_chunk_insert (c->chunk, ev->detail) : NULL;
  copy.extra = ev->extra ? g_string_chunk_insert (c->chunk, ev->extra) : NULL;
  g_array_append_val (c->events, copy);
}

static void
quiet (gboolean is_stderr, const char *text, gpointer user_data)
{
}

int
main (int argc, char **argv)
{
  Capture cap = { g_array_new (FALSE, FALSE, sizeof (LsEvent)), g_string_chunk_new (1 << 20) };
  LsVmOptions options = { 0 };
  LsTraceRunInfo info = { 0 };
  char *source = NULL;
  gboolean syntax_error;
  GError *error = NULL;
  LsTraceRecorder *rec;
  GStatBuf st;
  gint64 t0, t1;
  double secs;
  LsVm *vm;

  if (argc != 4 || g_strcmp0 (argv[1], "record") != 0)
    {
      fprintf (stderr, "usage: bench-trace record PROGRAM.py TRACE.sqlite\n");
      return 2;
    }
  if (!g_file_get_contents (argv[2], &source, NULL, &error))
    {
      fprintf (stderr, "bench-trace: %s\n", error->message);
      return 2;
    }
  vm = ls_vm_new (&options);
  ls_vm_set_output (vm, quiet, NULL);
  ls_vm_set_observer (vm, capture, &cap);
  ls_vm_run_source (vm, argv[2], source, &syntax_error);
  ls_vm_free (vm);

  info.scenario_path = argv[2];
  info.source = source;
  t0 = g_get_monotonic_time ();
  rec = ls_trace_recorder_new (argv[3], &info, &error);
  if (!rec)
    {
      fprintf (stderr, "bench-trace: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < cap.events->len; i++)
    ls_trace_recorder_observe (&g_array_index (cap.events, LsEvent, i), rec);
  if (!ls_trace_recorder_finish (rec, LS_TRACE_OUTCOME_FINISHED, NULL, 0, &error))
    {
      fprintf (stderr, "bench-trace: %s\n", error->message);
      return 1;
    }
  t1 = g_get_monotonic_time ();
  secs = (t1 - t0) / 1e6;
  if (g_stat (argv[3], &st) != 0)
    return 1;
  printf ("RESULT events=%u seconds=%.3f events_per_s=%.0f bytes=%lld bytes_per_event=%.1f\n",
          cap.events->len, secs, cap.events->len / secs, (long long) st.st_size,
          (double) st.st_size / cap.events->len);
  g_array_unref (cap.events);
  g_string_chunk_free (cap.chunk);
  g_free (source);
  return 0;
}
