/* ls-timeline-layout.h - a trace model, placed: the timeline as flat
 * arrays of shapes in device coordinates, ready for the painter.
 *
 * Pure data: no Cairo, no GTK.  The painter (ls-timeline-painter.h) draws
 * a frame on any cairo_t; the GTK view wraps both and uses the hit test
 * and the x <-> seq mapping below for tooltips, clicks and the playhead.
 * What DESIGN.md section 5 calls the visual grammar is decided here (what
 * exists, where); how it looks is the painter's and the theme's.
 *
 * Two stages, because zooming and panning must stay cheap on a trace of a
 * million events:
 *  - LsTimeline, built once per model, axis and task filter: every event's
 *    position on the axis ("u", axis units over the whole trace), the
 *    lanes shown, and per-lane indexes of marks and edges.  O(events);
 *    under a second for a million.
 *  - LsTimelineFrame, one per viewport (size, visible u range, first lane):
 *    the primitives that fall inside it.  Recomputed on every zoom, pan or
 *    resize; its arrays are reused, so a frame allocates nothing per event.
 *    Work is proportional to what is visible, and where several things
 *    fall within one pixel column of a lane they become one aggregate.
 *
 * The axes (u):
 *  - TIME: u = virtual seconds.  Everything that happens at one instant
 *    sits at one x; a step is drawn at least a few pixels wide.
 *  - SWITCH: every step has a slot of its own (1 unit: 0.8 for the step,
 *    0.1 of air each side); a blocking call takes a slot too; what the loop
 *    does between steps takes no room.  The ruler labels the virtual time
 *    wherever it changes.
 *  - HYBRID (default): u = K * seconds + the switch units, with K chosen so
 *    that time takes 60% of the width: proportional between instants, and
 *    the steps of one instant spread out side by side.
 *
 * Lanes that do not fit: the frame shows lanes first_lane .. as many as
 * fit at the lane height asked (auto: the largest height between 18 and
 * 48 units that fits them all, else 18) and a summary row "N more tasks
 * below" (and "N above" when scrolled).  Filtering (by name or coroutine
 * pattern, asyncio.run's housekeeping tasks hidden by default) happens
 * when the LsTimeline is built.
 */
#pragma once

#include <glib.h>

#include "ls-trace-model.h"

G_BEGIN_DECLS

typedef enum {
  LS_TIMELINE_AXIS_HYBRID,      /* the default */
  LS_TIMELINE_AXIS_TIME,
  LS_TIMELINE_AXIS_SWITCH,
} LsTimelineAxis;

/* "hybrid", "time", "switch" -> the axis, or -1. */
int ls_timeline_axis_from_name (const char *name);
const char *ls_timeline_axis_name (LsTimelineAxis axis);

typedef struct {
  LsTimelineAxis axis;
  const char *tasks_pattern;    /* glob on task name or coroutine ("Task-*", "factorial*"), NULL: all */
  gboolean show_internal;       /* asyncio.run's housekeeping tasks */
} LsTimelineOptions;

typedef struct _LsTimeline LsTimeline;

/* Places the model on an axis.  The model is borrowed and must outlive
 * the timeline.  Never fails (an empty model gives an empty timeline). */
LsTimeline *ls_timeline_new (const LsTraceModel *model, const LsTimelineOptions *options);
void ls_timeline_free (LsTimeline *timeline);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTimeline, ls_timeline_free)

const LsTraceModel *ls_timeline_get_model (const LsTimeline *timeline);
LsTimelineAxis ls_timeline_get_axis (const LsTimeline *timeline);
/* The lanes shown, as task indexes in display order; *n set to the count. */
const int *ls_timeline_get_lanes (const LsTimeline *timeline, guint *n);
/* The extent of the axis: u of the first event (0) and of the trace's end. */
double ls_timeline_get_u_end (const LsTimeline *timeline);
/* Position on the axis of an event boundary: (seq, time) is the seq of the
 * event and, for a blocking call, the time inside it (its end: time >
 * the event's time).  seq 0 is the start, seq > n_events the end. */
double ls_timeline_seq_to_u (const LsTimeline *timeline, guint32 seq, double time);
/* The last event at or before u (1 .. n_events; 0 for an empty trace). */
guint32 ls_timeline_u_to_seq (const LsTimeline *timeline, double u);
/* u of virtual time t: the first event at or after t, interpolated
 * between instants on the time-proportional axes. */
double ls_timeline_time_to_u (const LsTimeline *timeline, double t);

/* ---- a frame ------------------------------------------------------------ */

typedef struct {
  double width, height;         /* device units (pixels for PNG, points for PDF/SVG) */
  double u_from, u_to;          /* the visible axis range; u_to <= u_from: the whole trace */
  guint first_lane;             /* index into the lanes shown (vertical scroll) */
  double lane_height;           /* 0: automatic */
  guint32 playhead_seq;         /* 0: no playhead */
  int highlight_step;           /* index into the model's steps; -1: none */
  gboolean no_legend;           /* leave the legend out */
  gboolean no_text;             /* leave printed text out of the lanes (marks stay) */
} LsTimelineViewport;

/* Sets a viewport to its defaults for a width x height drawing. */
void ls_timeline_viewport_init (LsTimelineViewport *viewport, double width, double height);

typedef struct {
  double x, y, w, h;
} LsTimelineRect;

/* One lane: its stripe across the plot and its label in the gutter. */
typedef struct {
  LsTimelineRect rect;          /* the whole row, gutter included */
  double bar_y, bar_h;          /* where running/ready bars go; waiting lines at bar_y + bar_h / 2 */
  int task;                     /* task index */
  guint lane;                   /* index into the lanes shown */
  const char *name;             /* borrowed from the model */
  const char *coro;             /* NULL for a worker thread */
  const char *outcome;          /* "result", "exception" ... or NULL while pending */
  guint first_segment, n_segments; /* its segments in the frame's array */
  guint8 thread;                /* a worker thread's lane */
  guint8 kind;                  /* LsTraceLaneKind: task, thread, greenlet, generator */
  guint8 highlighted;           /* holds the highlighted step */
  guint8 alt;                   /* every other lane */
} LsTimelineLane;

typedef enum {
  LS_TIMELINE_SEG_RUNNING,
  LS_TIMELINE_SEG_READY,
  LS_TIMELINE_SEG_WAITING,      /* style: LsTimelineWaitStyle */
  LS_TIMELINE_SEG_BLOCKED,      /* the task that blocked the loop */
  LS_TIMELINE_SEG_IDLE,         /* a worker thread between jobs */
  LS_TIMELINE_SEG_DENSE,        /* several stretches in one pixel column: density = running share */
} LsTimelineSegKind;

typedef enum {
  LS_TIMELINE_WAIT_TIMER,       /* sleep, timers: dashed */
  LS_TIMELINE_WAIT_TASK,        /* a task, gather, wait, shield, TaskGroup, as_completed: solid thin */
  LS_TIMELINE_WAIT_SYNC,        /* lock, queue, event, semaphore, condition: dotted */
  LS_TIMELINE_WAIT_OTHER,       /* a plain future, an executor job: dash-dot */
} LsTimelineWaitStyle;

typedef struct {
  double x0, x1;                /* x1 - x0 >= the minimum visible width */
  double y, h;                  /* the lane's bar */
  guint32 from_seq, to_seq;     /* the stretch (or the aggregate's first and last) */
  int task;
  int awaitable;                /* WAITING: the awaitable index, -1 for a task or none */
  int step;                     /* RUNNING: index into the model's steps, -1 otherwise */
  float density;                /* DENSE: share of running, 0 .. 1 */
  guint32 count;                /* DENSE: how many stretches; 1 otherwise */
  const char *await_kind;       /* WAITING: "sleep", "gather" ... borrowed */
  guint8 kind;                  /* LsTimelineSegKind */
  guint8 style;                 /* WAITING: LsTimelineWaitStyle */
  guint8 highlighted;
  guint8 open;                  /* runs off the end of the trace */
} LsTimelineSegment;

typedef enum {
  LS_TIMELINE_ARROW_CREATED,
  LS_TIMELINE_ARROW_WOKEN,
  LS_TIMELINE_ARROW_CANCELLED,
  LS_TIMELINE_ARROW_TIMEOUT,    /* from a clock at the deadline */
  LS_TIMELINE_ARROW_SWITCHED,   /* a greenlet switching to another */
} LsTimelineArrowKind;

typedef struct {
  double x0, y0, x1, y1;        /* tail, head */
  int from_task, to_task;       /* from_task -1: a timer or callback */
  guint32 from_seq, to_seq;
  guint32 edge;                 /* index into the model's edges */
  guint8 kind;                  /* LsTimelineArrowKind */
} LsTimelineArrow;

typedef enum {
  LS_TIMELINE_GROUP_GATHER,
  LS_TIMELINE_GROUP_WAIT,
  LS_TIMELINE_GROUP_AS_COMPLETED,
  LS_TIMELINE_GROUP_SHIELD,
  LS_TIMELINE_GROUP_TASKGROUP,
  LS_TIMELINE_GROUP_OTHER,
} LsTimelineGroupKind;

/* A group's boundaries: an opening bracket where it was created, a
 * closing one where it finished, over the lanes of its members. */
typedef struct {
  double x0, x1;                /* open / close; close_visible FALSE: still open at the right edge */
  double y0, y1;                /* the member lanes' extent (clipped to the plot) */
  int awaitable;
  int creator;                  /* task index, -1 */
  const char *label;            /* "gather", "wait" ... borrowed */
  double label_x, label_y;      /* the label's left end and vertical centre */
  guint n_members;
  guint8 kind;                  /* LsTimelineGroupKind */
  guint8 open_visible, close_visible;
} LsTimelineBracket;

typedef enum {
  LS_TIMELINE_BADGE_MEMBER,     /* a member's tick on its group's bracket */
  LS_TIMELINE_BADGE_ORDER,      /* as_completed: #1, #2 ... where each member finished */
  LS_TIMELINE_BADGE_FIRST,      /* wait: the member that finished first */
  LS_TIMELINE_BADGE_PENDING,    /* wait: still pending when wait returned */
} LsTimelineBadgeKind;

typedef struct {
  double x, y;                  /* centre */
  int awaitable, task;
  guint32 seq;
  char text[12];
  guint8 kind;                  /* LsTimelineBadgeKind */
} LsTimelineBadge;

typedef enum {
  LS_TIMELINE_MARK_OUTPUT,
  LS_TIMELINE_MARK_RESULT,
  LS_TIMELINE_MARK_EXCEPTION,
  LS_TIMELINE_MARK_CANCELLED,
  LS_TIMELINE_MARK_WARNING,
  LS_TIMELINE_MARK_TIMEOUT,     /* a timeout's clock, at its deadline */
} LsTimelineMarkKind;

/* Marks sit in a lane's top band (prints, cancellations, warnings), at
 * the bar's height right of a task's last step (results, exceptions), or
 * on the ruler (a timeout's clock, an arrow going down to its victim). */
typedef struct {
  double x, y;                  /* centre of the glyph */
  double size;
  double text_room;             /* width free to its right for text, up to the next mark
                                   at the same height (0: none) */
  int task;
  guint32 seq;                  /* the first event, for an aggregate */
  guint32 count;                /* > 1: an aggregate of that many marks */
  const char *text;             /* printed text, result repr, "Type: message"; borrowed, may be NULL */
  guint8 kind;                  /* LsTimelineMarkKind (an aggregate: its first mark's) */
  guint8 stderr_;
} LsTimelineMark;

/* A blocking call: a band across every lane (the loop is stuck), or only
 * across its own lane when no loop ran (a plain script's call). */
typedef struct {
  double x0, x1;
  guint32 seq;
  int task;
  double duration;              /* seconds (aggregate: the sum) */
  guint32 count;
  double y, h;                  /* lane_only: the lane's rectangle, top and height */
  guint8 lane_only;
} LsTimelineBand;

typedef struct {
  double x;
  double time;                  /* virtual seconds at the tick */
  guint32 seq;                  /* SWITCH/HYBRID: the first event of the instant; 0 on TIME */
  char label[24];               /* "" for a tick without a label */
} LsTimelineTick;

typedef enum {
  LS_TIMELINE_LEGEND_RUNNING,
  LS_TIMELINE_LEGEND_READY,
  LS_TIMELINE_LEGEND_WAIT_TIMER,
  LS_TIMELINE_LEGEND_WAIT_TASK,
  LS_TIMELINE_LEGEND_WAIT_SYNC,
  LS_TIMELINE_LEGEND_WAIT_SWITCH,  /* a greenlet or generator waiting to be switched to */
  LS_TIMELINE_LEGEND_BLOCKED,
  LS_TIMELINE_LEGEND_BLOCKED_PROGRAM,  /* the same bar, in a program with no loop running */
  LS_TIMELINE_LEGEND_ARROW_CREATED,
  LS_TIMELINE_LEGEND_ARROW_WOKEN,
  LS_TIMELINE_LEGEND_ARROW_CANCELLED,
  LS_TIMELINE_LEGEND_ARROW_TIMEOUT,
  LS_TIMELINE_LEGEND_ARROW_SWITCHED,
  LS_TIMELINE_LEGEND_OUTPUT,
  LS_TIMELINE_LEGEND_RESULT,
  LS_TIMELINE_LEGEND_EXCEPTION,
  LS_TIMELINE_LEGEND_CANCELLED,
  LS_TIMELINE_N_LEGEND,
} LsTimelineLegendKind;

typedef struct {
  LsTimelineRect sample;        /* where the sample shape goes */
  double text_x, text_y;        /* the label's top-left */
  const char *label;            /* static */
  guint8 kind;                  /* LsTimelineLegendKind */
} LsTimelineLegendEntry;

typedef struct _LsTimelineFrame LsTimelineFrame;

/* A frame to fill with ls_timeline_frame_update(); free with _free. */
LsTimelineFrame *ls_timeline_frame_new (void);
void ls_timeline_frame_free (LsTimelineFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTimelineFrame, ls_timeline_frame_free)

/* Computes the shapes of timeline inside viewport, replacing the frame's
 * previous contents (its arrays keep their memory).  The timeline is
 * borrowed until the next update or the frame's free. */
void ls_timeline_frame_update (LsTimelineFrame *frame, const LsTimeline *timeline,
                               const LsTimelineViewport *viewport);

/* The frame's parts.  Everything is borrowed from the frame and valid
 * until its next update.  Arrays are in drawing order. */
const LsTimelineViewport *ls_timeline_frame_get_viewport (const LsTimelineFrame *frame);
const LsTimeline *ls_timeline_frame_get_timeline (const LsTimelineFrame *frame);
/* The plot: where lanes' stretches go (right of the gutter, below the ruler). */
LsTimelineRect ls_timeline_frame_get_plot (const LsTimelineFrame *frame);
/* The ruler strip above the plot, and the legend strip (h 0 without one). */
LsTimelineRect ls_timeline_frame_get_ruler (const LsTimelineFrame *frame);
LsTimelineRect ls_timeline_frame_get_legend (const LsTimelineFrame *frame);
const LsTimelineLane *ls_timeline_frame_get_lanes (const LsTimelineFrame *frame, guint *n);
const LsTimelineSegment *ls_timeline_frame_get_segments (const LsTimelineFrame *frame, guint *n);
const LsTimelineBand *ls_timeline_frame_get_bands (const LsTimelineFrame *frame, guint *n);
const LsTimelineArrow *ls_timeline_frame_get_arrows (const LsTimelineFrame *frame, guint *n);
const LsTimelineBracket *ls_timeline_frame_get_brackets (const LsTimelineFrame *frame, guint *n);
const LsTimelineBadge *ls_timeline_frame_get_badges (const LsTimelineFrame *frame, guint *n);
const LsTimelineMark *ls_timeline_frame_get_marks (const LsTimelineFrame *frame, guint *n);
const LsTimelineTick *ls_timeline_frame_get_ticks (const LsTimelineFrame *frame, guint *n);
const LsTimelineLegendEntry *ls_timeline_frame_get_legend_entries (const LsTimelineFrame *frame,
                                                                   guint *n);
/* The summary row for lanes that do not fit ("12 more tasks below"), or
 * NULL when every lane is shown; *rect set to where it goes. */
const char *ls_timeline_frame_get_summary (const LsTimelineFrame *frame, LsTimelineRect *rect);
/* The playhead's x, or a negative number when there is none in view. */
double ls_timeline_frame_get_playhead_x (const LsTimelineFrame *frame);

/* x <-> the axis.  x_to_seq returns the last event at or before x (0 if
 * none) and sets *time (may be NULL) to the virtual time there. */
double ls_timeline_frame_seq_to_x (const LsTimelineFrame *frame, guint32 seq, double time);
guint32 ls_timeline_frame_x_to_seq (const LsTimelineFrame *frame, double x, double *time);

typedef enum {
  LS_TIMELINE_HIT_NONE,
  LS_TIMELINE_HIT_LANE,         /* a lane's label or empty stretch */
  LS_TIMELINE_HIT_SEGMENT,
  LS_TIMELINE_HIT_BAND,
  LS_TIMELINE_HIT_ARROW,
  LS_TIMELINE_HIT_BRACKET,
  LS_TIMELINE_HIT_BADGE,
  LS_TIMELINE_HIT_MARK,
} LsTimelineHitKind;

typedef struct {
  LsTimelineHitKind kind;
  guint index;                  /* into the frame's array of that kind */
  int task;                     /* -1: none */
  guint32 seq;                  /* the event to inspect, 0: none */
  int awaitable;                /* -1: none */
} LsTimelineHit;

/* What is under (x, y): marks first, then badges, arrows, brackets,
 * stretches, the blocked band, the lane.  Reads the arrays the painter
 * draws, so what is hit is what is seen. */
LsTimelineHit ls_timeline_frame_hit_test (const LsTimelineFrame *frame, double x, double y);

/* Everything the program printed up to and including seq, as it appeared
 * (stdout and stderr interleaved).  Returns a new string. */
char *ls_timeline_output_until (const LsTraceModel *model, guint32 seq);

G_END_DECLS
