/* ls-export.c - timeline pictures and Perfetto JSON (see ls-export.h). */
#include "ls-export.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "ls-timeline-painter.h"
#include "ls-trace-export.h"

const char *
ls_export_format_extension (LsExportFormat format)
{
  switch (format)
    {
    case LS_EXPORT_PNG: return "png";
    case LS_EXPORT_SVG: return "svg";
    case LS_EXPORT_PDF: return "pdf";
    default: return "json";
    }
}

gboolean
ls_export_write (const LsTraceModel *model, LsExportFormat format,
                 const LsTimelineOptions *options, double u_from, double u_to,
                 gboolean dark, const char *title, const char *path, GError **error)
{
  LsTimelineOptions defaults = { .axis = LS_TIMELINE_AXIS_HYBRID };
  g_autoptr (LsTimeline) tl = NULL;
  g_autoptr (LsTimelineFrame) frame = NULL;
  LsTimelineViewport vp;
  LsTimelinePaintOptions paint = { .title = title };
  cairo_surface_t *surface;
  cairo_status_t st;
  cairo_t *cr;
  guint n_lanes;
  double height;

  g_return_val_if_fail (model != NULL && path != NULL, FALSE);
  if (format == LS_EXPORT_PERFETTO)
    return ls_trace_export_to_file (model, LS_TRACE_EXPORT_PERFETTO, path, error);

  tl = ls_timeline_new (model, options ? options : &defaults);
  ls_timeline_get_lanes (tl, &n_lanes);
  /* Every lane at a comfortable height, within what a viewer opens. */
  height = CLAMP (84.0 + 46.0 * n_lanes, 200.0, 2400.0);
  ls_timeline_viewport_init (&vp, LS_EXPORT_WIDTH, height);
  vp.u_from = u_from;
  vp.u_to = u_to;
  frame = ls_timeline_frame_new ();
  ls_timeline_frame_update (frame, tl, &vp);

  if (format == LS_EXPORT_PNG)
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) vp.width, (int) vp.height);
  else if (format == LS_EXPORT_SVG)
    surface = cairo_svg_surface_create (path, vp.width, vp.height);
  else
    surface = cairo_pdf_surface_create (path, vp.width, vp.height);
  cr = cairo_create (surface);
  ls_timeline_paint (cr, frame, ls_timeline_theme_get (dark ? LS_TIMELINE_THEME_DARK
                                                            : LS_TIMELINE_THEME_LIGHT), &paint);
  cairo_destroy (cr);
  if (format == LS_EXPORT_PNG)
    st = cairo_surface_write_to_png (surface, path);
  else
    {
      cairo_surface_finish (surface);
      st = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (st != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write %s: %s"), path,
                   cairo_status_to_string (st));
      return FALSE;
    }
  return TRUE;
}
