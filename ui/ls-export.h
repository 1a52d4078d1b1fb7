/* ls-export.h - what the window writes out: the timeline as PNG, SVG or
 * PDF (the same layout and painter the window draws with, so the file
 * shows what the window shows), and the trace as Perfetto JSON.
 */
#pragma once

#include <gio/gio.h>

#include "ls-timeline-layout.h"

G_BEGIN_DECLS

typedef enum {
  LS_EXPORT_PNG,
  LS_EXPORT_SVG,
  LS_EXPORT_PDF,
  LS_EXPORT_PERFETTO,
} LsExportFormat;

/* Width of an exported picture in pixels (PNG) or points (SVG, PDF). */
#define LS_EXPORT_WIDTH 1400

/* The file name extension of a format, without the dot. */
const char *ls_export_format_extension (LsExportFormat format);

/* Writes model to path.  For pictures: the lanes and axis of options
 * (NULL: defaults), the axis range u_from .. u_to (u_to <= u_from: the
 * whole run), every lane at a readable height, the dark theme or the
 * light one.  FALSE with error set if the file cannot be written. */
gboolean ls_export_write (const LsTraceModel *model, LsExportFormat format,
                          const LsTimelineOptions *options, double u_from, double u_to,
                          gboolean dark, const char *title, const char *path, GError **error);

G_END_DECLS
