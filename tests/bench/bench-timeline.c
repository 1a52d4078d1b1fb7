/* bench-timeline.c - how long the timeline takes on a million events.
 *
 *   bench-timeline [TRACE]
 *
 * With no TRACE, records one first, in a temporary directory: 5,000 tasks
 * each awaiting asyncio.sleep(0) 100 times (about a million events, as
 * bench-trace-load).  Then, on the hybrid axis: builds the layout of the
 * whole trace (best of 3), and paints 1920x1080 frames (frame update +
 * paint on an image surface, median of 30) of the whole range and of a
 * zoomed range (1/200 of it, in the middle).  Targets: layout under 1 s,
 * a frame under 16 ms.  Not a test: it measures, it checks nothing.
 */
#include "bench-million.h"
#include "ls-timeline-layout.h"
#include "ls-timeline-painter.h"
#include "ls-trace-reader.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#define RUNS 3
#define FRAMES 30
#define W 1920
#define H 1080

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Median milliseconds of FRAMES frames of vp: update + paint. */
static double
frames (const LsTimeline *tl, const LsTimelineViewport *vp, cairo_t *cr, LsTimelineFrame *f,
        guint *n_shapes)
{
  double ms[FRAMES];
  const LsTimelineTheme *theme = ls_timeline_theme_get (LS_TIMELINE_THEME_LIGHT);

  for (int i = 0; i < FRAMES; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      ls_timeline_frame_update (f, tl, vp);
      ls_timeline_paint (cr, f, theme, NULL);
      ms[i] = (g_get_monotonic_time () - t0) / 1e3;
    }
  qsort (ms, FRAMES, sizeof ms[0], cmp_double);
  {
    guint a, b, c, d;
    ls_timeline_frame_get_segments (f, &a);
    ls_timeline_frame_get_marks (f, &b);
    ls_timeline_frame_get_arrows (f, &c);
    ls_timeline_frame_get_badges (f, &d);
    *n_shapes = a + b + c + d;
  }
  return ms[FRAMES / 2];
}

int
main (int argc, char **argv)
{
  char *dir = NULL, *path;
  GError *error = NULL;
  LsTraceModel *m;
  LsTimeline *tl = NULL;
  LsTimelineOptions options = { .axis = LS_TIMELINE_AXIS_HYBRID };
  LsTimelineViewport vp;
  LsTimelineFrame *f;
  cairo_surface_t *surface;
  cairo_t *cr;
  double best = G_MAXDOUBLE, whole, zoomed, u_end;
  guint n_lanes, shapes_whole, shapes_zoomed;
  gint64 t0;

  if (argc > 1)
    path = g_strdup (argv[1]);
  else
    {
      dir = g_dir_make_tmp ("loopscope-bench-XXXXXX", NULL);
      path = g_build_filename (dir, "bench.sqlite", NULL);
      if (!ls_bench_record_million (path, "bench-timeline"))
        return 1;
    }
  m = ls_trace_model_load (path, &error);
  if (!m)
    {
      fprintf (stderr, "bench-timeline: %s: %s\n", path, error->message);
      return 1;
    }
  for (int i = 0; i < RUNS; i++)
    {
      ls_timeline_free (tl);
      t0 = g_get_monotonic_time ();
      tl = ls_timeline_new (m, &options);
      best = MIN (best, (g_get_monotonic_time () - t0) / 1e6);
    }
  ls_timeline_get_lanes (tl, &n_lanes);
  u_end = ls_timeline_get_u_end (tl);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cr = cairo_create (surface);
  f = ls_timeline_frame_new ();
  ls_timeline_viewport_init (&vp, W, H);
  whole = frames (tl, &vp, cr, f, &shapes_whole);
  vp.u_from = u_end * 0.5;
  vp.u_to = u_end * 0.505;
  vp.first_lane = n_lanes / 2;
  zoomed = frames (tl, &vp, cr, f, &shapes_zoomed);

  printf ("trace: %u events, %u lanes\n", ls_trace_model_get_run (m)->n_events, n_lanes);
  printf ("layout (whole trace, hybrid axis): %.3f s (best of %d; target < 1 s)\n", best, RUNS);
  printf ("frame %dx%d, whole range: %.2f ms median of %d (%u shapes; target < 16 ms)\n", W, H, whole,
          FRAMES, shapes_whole);
  printf ("frame %dx%d, zoomed 1/200: %.2f ms median of %d (%u shapes; target < 16 ms)\n", W, H,
          zoomed, FRAMES, shapes_zoomed);
  printf ("RESULT events=%u layout_seconds=%.3f frame_whole_ms=%.2f frame_zoomed_ms=%.2f\n",
          ls_trace_model_get_run (m)->n_events, best, whole, zoomed);
  cairo_surface_write_to_png (surface, "bench-timeline-zoomed.png");
  ls_timeline_frame_update (f, tl, &(LsTimelineViewport) { .width = W, .height = H, .highlight_step = -1 });
  ls_timeline_paint (cr, f, NULL, NULL);
  cairo_surface_write_to_png (surface, "bench-timeline-whole.png");

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  ls_timeline_frame_free (f);
  ls_timeline_free (tl);
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
