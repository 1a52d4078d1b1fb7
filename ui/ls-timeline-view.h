/* ls-timeline-view.h - the timeline of a run, as a GTK widget.
 *
 * Wraps the layout and painter of trace/ (ls-timeline-layout.h,
 * ls-timeline-painter.h): the view owns the viewport (visible axis range,
 * first lane, playhead), turns pointer and scroll input into zoom, pan,
 * hover tooltips and selection, and paints its frame in snapshot.  The
 * model is borrowed: whoever sets it keeps it alive until another model
 * (or NULL) is set.
 *
 * Input: Ctrl+scroll zooms around the pointer; scroll pans (vertically
 * through lanes when they do not all fit, else along the axis);
 * Shift+scroll and horizontal scroll pan along the axis; dragging pans;
 * a click selects what is under the pointer (and on the ruler moves the
 * playhead there).
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-timeline-layout.h"

G_BEGIN_DECLS

/* What a click selected, copied out of the frame so that it outlives it. */
typedef struct {
  LsTimelineHitKind kind;       /* NONE: nothing selected */
  int task;                     /* -1: none */
  int awaitable;                /* -1: none */
  guint32 seq;                  /* the event to inspect, 0: none */
  guint32 from_seq, to_seq;     /* a stretch's extent (SEGMENT, BAND), else seq */
  int step;                     /* SEGMENT of a step: index into the model's steps, -1 */
  int edge;                     /* ARROW: index into the model's edges, -1 */
  guint8 seg_kind;              /* SEGMENT: LsTimelineSegKind */
  guint8 mark_kind;             /* MARK: LsTimelineMarkKind */
  guint32 count;                /* aggregates: how many things it stands for */
} LsTimelineSelection;

#define LS_TYPE_TIMELINE_VIEW (ls_timeline_view_get_type ())
G_DECLARE_FINAL_TYPE (LsTimelineView, ls_timeline_view, LS, TIMELINE_VIEW, GtkWidget)

GtkWidget *ls_timeline_view_new (void);

/* Shows model (borrowed; NULL for none), whole run in view, no selection. */
void ls_timeline_view_set_model (LsTimelineView *self, const LsTraceModel *model);
const LsTraceModel *ls_timeline_view_get_model (LsTimelineView *self);

void ls_timeline_view_set_axis (LsTimelineView *self, LsTimelineAxis axis);
LsTimelineAxis ls_timeline_view_get_axis (LsTimelineView *self);

/* Shows only tasks whose name or coroutine matches the glob pattern
 * (NULL or "": all); show_internal shows asyncio.run's housekeeping tasks. */
void ls_timeline_view_set_filter (LsTimelineView *self, const char *pattern,
                                  gboolean show_internal);

/* Zooms by factor (> 1 zooms in) around the middle of the view. */
void ls_timeline_view_zoom (LsTimelineView *self, double factor);
/* Shows the whole run. */
void ls_timeline_view_zoom_fit (LsTimelineView *self);
/* Moves the view by a fraction of its width (negative: to the left). */
void ls_timeline_view_pan (LsTimelineView *self, double fraction);
/* The visible axis range. */
void ls_timeline_view_get_range (LsTimelineView *self, double *u_from, double *u_to);
void ls_timeline_view_set_range (LsTimelineView *self, double u_from, double u_to);

/* The playhead at event seq (0: none), the step to highlight (-1: none).
 * The view scrolls so that the playhead stays visible. */
void ls_timeline_view_set_playhead (LsTimelineView *self, guint32 seq, int step);
guint32 ls_timeline_view_get_playhead (LsTimelineView *self);

/* Brings task's lane and event seq into view (task -1: any lane). */
void ls_timeline_view_reveal (LsTimelineView *self, guint32 seq, int task);

/* The current selection (kind NONE for none). */
const LsTimelineSelection *ls_timeline_view_get_selection (LsTimelineView *self);
/* Selects the step or event at seq in task's lane, as a click there would. */
void ls_timeline_view_select_event (LsTimelineView *self, guint32 seq, int task);

/* Presentation: everything drawn `scale` times larger (1.0: normal). */
void ls_timeline_view_set_scale (LsTimelineView *self, double scale);
void ls_timeline_view_set_dark (LsTimelineView *self, gboolean dark);

/* The task indexes of the lanes shown, in order (borrowed; NULL and 0
 * without a model). */
const int *ls_timeline_view_get_lanes (LsTimelineView *self, guint *n);
/* The lanes shown (after filtering), for tests and the task list. */
guint ls_timeline_view_get_n_lanes (LsTimelineView *self);
/* The name of the task shown in lane i ("Task-2"), borrowed, or NULL. */
const char *ls_timeline_view_get_lane_name (LsTimelineView *self, guint i);

/* The tooltip text for what is at (x, y) in widget coordinates, or NULL
 * (newly allocated).  What hovering shows. */
char *ls_timeline_view_describe_at (LsTimelineView *self, double x, double y);

/* How long the last snapshot took to lay out and paint, in microseconds. */
gint64 ls_timeline_view_get_last_paint_usec (LsTimelineView *self);
/* How many times the view has painted (benchmarks wait for the next one). */
guint ls_timeline_view_get_paint_count (LsTimelineView *self);

G_END_DECLS
