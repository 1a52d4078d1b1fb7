/* bench-gui.c - how the window copes with a trace of a million events.
 *
 *   xvfb-run -a -s "-screen 0 1280x1024x24" bench-gui [TRACE.sqlite]
 *
 * With no TRACE, records one first in a temporary directory: 5,000 tasks
 * each awaiting asyncio.sleep(0) 100 times, about a million events (the
 * program of bench-trace-load).  Then, in a window of
 * 1280x860 like a user's:
 *  - time to first frame: from asking the window to open the trace (it
 *    loads off the main thread) to the first painted timeline;
 *  - panning: 120 frames, each moving the view by 2% of its width, at
 *    the whole run, zoomed 50x and zoomed 5,000x; for each, the cost of
 *    a frame (from the frame clock's before-paint to after-paint: the timeline's
 *    layout and painting plus GTK rendering the window), the time from
 *    asking to seeing (which also waits for the next 60 Hz tick), and
 *    the timeline's own layout and paint time.  Median and 95th
 *    percentile.
 * Targets: first frame < 2 s, panning < 16 ms a frame.  Not a test: it
 * measures, it checks nothing.  Run it with GSK_RENDERER=cairo to measure
 * what a machine without a GPU sees.
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "ls-application.h"
#include "ls-timeline-view.h"
#include "ls-trace-recorder.h"
#include "ls-vm.h"
#include "bench-million.h"
#include "ls-window.h"

#define FRAMES 120

static LsWindow *win;
static gint64 before_paint, after_paint;

static void
on_before_paint (GdkFrameClock *clock, gpointer user_data)
{
  before_paint = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock, gpointer user_data)
{
  after_paint = g_get_monotonic_time ();
}

static LsTimelineView *
view (void)
{
  return LS_TIMELINE_VIEW (ls_window_get_timeline (win));
}

/* Iterates until the timeline has painted more than `count` times. */
static gboolean
wait_paint (guint count, gint64 timeout_us)
{
  gint64 end = g_get_monotonic_time () + timeout_us;

  while (ls_timeline_view_get_paint_count (view ()) <= count)
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
  return TRUE;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
pan_frames (const char *what, double zoom)
{
  double frame_ms[FRAMES], paint_ms[FRAMES], wait_ms[FRAMES];
  double dir = 1;

  ls_timeline_view_zoom_fit (view ());
  if (zoom > 1)
    ls_timeline_view_zoom (view (), zoom);
  wait_paint (ls_timeline_view_get_paint_count (view ()), 2000000);
  for (int i = 0; i < FRAMES; i++)
    {
      guint count = ls_timeline_view_get_paint_count (view ());
      gint64 t0 = g_get_monotonic_time ();
      double from, to;

      ls_timeline_view_get_range (view (), &from, &to);
      if (zoom > 1 && (i % 40) == 39)
        dir = -dir;
      ls_timeline_view_pan (view (), zoom > 1 ? 0.02 * dir : 0.0);
      if (zoom <= 1)
        gtk_widget_queue_draw (GTK_WIDGET (view ()));
      wait_paint (count, 2000000);
      /* The paint phase ends after the view's snapshot: finish the frame. */
      while (after_paint < before_paint)
        g_main_context_iteration (NULL, TRUE);
      wait_ms[i] = (after_paint - t0) / 1000.0;
      frame_ms[i] = (after_paint - before_paint) / 1000.0;
      paint_ms[i] = ls_timeline_view_get_last_paint_usec (view ()) / 1000.0;
    }
  qsort (frame_ms, FRAMES, sizeof (double), compare_doubles);
  qsort (paint_ms, FRAMES, sizeof (double), compare_doubles);
  qsort (wait_ms, FRAMES, sizeof (double), compare_doubles);
  printf ("  %-20s frame %6.2f ms (p95 %6.2f) | asked to shown %6.2f ms (p95 %6.2f) | timeline %5.2f ms (p95 %5.2f)\n",
          what, frame_ms[FRAMES / 2], frame_ms[FRAMES * 95 / 100],
          wait_ms[FRAMES / 2], wait_ms[FRAMES * 95 / 100],
          paint_ms[FRAMES / 2], paint_ms[FRAMES * 95 / 100]);
}

static gboolean
loaded (void)
{
  return !ls_window_is_busy (win);
}

int
main (int argc, char **argv)
{
  g_autoptr (LsApplication) app = NULL;
  g_autofree char *dir = NULL, *path = NULL;
  g_autoptr (GFile) file = NULL;
  const LsTraceRun *run;
  gint64 t0, t_loaded, t_frame;
  guint count;

  gtk_init ();
  adw_init ();
  if (argc > 1)
    path = g_strdup (argv[1]);
  else
    {
      dir = g_dir_make_tmp ("loopscope-bench-gui-XXXXXX", NULL);
      path = g_build_filename (dir, "million.sqlite", NULL);
      fprintf (stderr, "bench-gui: recording %s ...\n", path);
      if (!ls_bench_record_million (path, "bench-gui"))
        return 1;
    }

  app = ls_application_new ();
  g_application_register (G_APPLICATION (app), NULL, NULL);
  win = ls_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 860);
  gtk_window_present (GTK_WINDOW (win));
  while (!gtk_widget_get_mapped (GTK_WIDGET (win)))
    g_main_context_iteration (NULL, TRUE);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
    g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), NULL);
    g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  }
  file = g_file_new_for_path (path);
  count = ls_timeline_view_get_paint_count (view ());
  t0 = g_get_monotonic_time ();
  ls_window_open_file (win, file);
  while (!loaded ())
    g_main_context_iteration (NULL, TRUE);
  t_loaded = g_get_monotonic_time ();
  if (!ls_window_get_model (win))
    {
      fprintf (stderr, "bench-gui: the trace did not load\n");
      return 1;
    }
  wait_paint (count, 20000000);
  t_frame = g_get_monotonic_time ();
  run = ls_trace_model_get_run (ls_window_get_model (win));

  printf ("bench-gui: %u events, %u lanes\n", run->n_events,
          ls_timeline_view_get_n_lanes (view ()));
  printf ("  time to first frame    %.3f s (loading %.3f s, then showing %.3f s)   target < 2 s\n",
          (t_frame - t0) / 1e6, (t_loaded - t0) / 1e6, (t_frame - t_loaded) / 1e6);
  printf ("  panning (target < 16 ms a frame):\n");
  pan_frames ("whole run (redraw)", 1);
  pan_frames ("zoomed 50x", 50);
  pan_frames ("zoomed 5000x", 5000);

  gtk_window_destroy (GTK_WINDOW (win));
  if (dir)
    {
      g_unlink (path);
      g_rmdir (dir);
    }
  return 0;
}
