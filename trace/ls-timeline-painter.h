/* ls-timeline-painter.h - draws a timeline frame on any cairo_t.
 *
 * One drawing for every output: the GTK view paints its snapshot with it,
 * `loopscope-cli render` paints PNG, SVG and PDF surfaces with it, so what
 * a file shows is what the window shows.  The painter decides nothing
 * about positions (the frame has them all, ls-timeline-layout.h); it turns
 * kinds into shapes, dashes and the theme's colours, and draws all text
 * through Pango (task names and printed text may be Chinese), in device
 * units: one unit is one pixel on an image and one point on PDF or SVG.
 */
#pragma once

#include <cairo.h>

#include "ls-timeline-layout.h"
#include "ls-timeline-theme.h"

G_BEGIN_DECLS

typedef struct {
  const char *title;            /* drawn above the lane labels (scenario, axis), or NULL */
  gboolean veil_after_playhead; /* dim what has not happened yet (the steps handout) */
} LsTimelinePaintOptions;

/* Paints frame on cr within (0, 0) - (viewport width, height), background
 * included.  options may be NULL.  The cairo_t's state is restored. */
void ls_timeline_paint (cairo_t *cr, const LsTimelineFrame *frame, const LsTimelineTheme *theme,
                        const LsTimelinePaintOptions *options);

/* Paints a boxed text panel: a heading line and the text below, its last
 * lines when it does not fit (the "printed output so far" of the steps
 * handout).  text may be NULL or empty. */
void ls_timeline_paint_text_panel (cairo_t *cr, double x, double y, double width, double height,
                                   const LsTimelineTheme *theme, const char *heading,
                                   const char *text);

G_END_DECLS
