/* ls-timeline-layout.c - from a trace model to shapes on a page.
 *
 * The workload that shaped it: a GTK view redraws on every zoom, pan and
 * hover over traces of up to a million events and ten thousand tasks,
 * and must stay within a frame (16 ms) for layout and painting together.
 * So the per-trace work (the axis position of every event, which lanes
 * are shown, per-lane indexes) is done once in ls_timeline_new(), and a
 * frame only binary-searches those arrays for what is visible and walks
 * that, merging what falls within one pixel column.
 *
 * Invariants:
 *  - u[] is non-decreasing: u[0] = 0 is the start, u[s] the position of
 *    event s (1 .. n), u[n + 1] the end of the trace.  A blocking call at
 *    event s spans u[s] .. u[s + 1].
 *  - lane_of_task[t] is t's row among the lanes shown, or -1.
 *  - the per-task mark and edge indexes are sorted by seq (marks) and by
 *    the edge's effect seq (edges).
 *  - a frame's segments are grouped by lane (LsTimelineLane.first_segment
 *    .. + n_segments) and sorted by x within a lane; the hit test relies on
 *    it.
 */
#include "ls-timeline-layout.h"
#include "ls-trace-i18n.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Switch-axis room: a step's slot is 1 unit, 0.8 of it the step. */
#define STEP_PAD 0.1
#define STEP_BODY 0.8
#define BLOCK_SLOT 1.0
/* Hybrid: the share of the width that time takes. */
#define HYBRID_TIME_SHARE 0.6

/* Geometry of a frame, in device units. */
#define MARGIN 6.0
#define PLOT_PAD 12.0           /* air between the gutter and the first event */
#define RULER_H 26.0
#define LEGEND_ROW_H 18.0
#define LEGEND_FONT_W 5.6       /* estimated width of a legend character at 9 pt */
#define SUMMARY_H 20.0
#define LANE_H_MIN 18.0
#define LANE_H_MAX 48.0
#define LABEL_MIN_GAP 64.0      /* between two labelled ruler ticks */
#define TICK_MIN_GAP 3.0
#define AGG_PX 1.5              /* narrower than this: merged into an aggregate */
#define MIN_RUN_W 3.0           /* a step is never drawn narrower */
#define MARK_AGG_PX 2.0

struct _LsTimeline {
  const LsTraceModel *model;
  LsTimelineAxis axis;
  guint32 n_events;
  const LsTraceEvent *events;
  double *u;                    /* n_events + 2 */
  double time_k;                /* hybrid: units per second */
  GArray *lanes;                /* int: task indexes shown */
  int *lane_of_task;            /* n_tasks */
  guint n_tasks;
  guint *mark_start, *mark_index;   /* CSR by task: marks of task t */
  guint *edge_start, *edge_index;   /* CSR by to_task, sorted by to_seq */
  GArray *groups;               /* guint: awaitable indexes of groups with a member shown */
  GArray *group_lanes;          /* int pairs: min and max lane of each group's members */
  GArray *instants;             /* guint32: first seq of each distinct virtual time */
  gboolean has_legend[LS_TIMELINE_N_LEGEND];
};

struct _LsTimelineFrame {
  const LsTimeline *tl;
  LsTimelineViewport vp;
  LsTimelineRect plot, ruler, legend, summary_rect;
  double u_from, u_to, scale;   /* x = plot.x + PLOT_PAD + (u - u_from) * scale */
  double lane_h;
  guint n_rows;                 /* lanes shown in this frame */
  double playhead_x;
  gboolean has_summary;
  char summary[96];
  GArray *lanes, *segments, *bands, *arrows, *brackets, *badges, *marks, *ticks, *entries;
};

/* ---- names ---------------------------------------------------------------- */

static const char *const axis_names[] = { "hybrid", "time", "switch" };

int
ls_timeline_axis_from_name (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (axis_names); i++)
    if (strcmp (name, axis_names[i]) == 0)
      return (int) i;
  return -1;
}

const char *
ls_timeline_axis_name (LsTimelineAxis axis)
{
  return (guint) axis < G_N_ELEMENTS (axis_names) ? axis_names[axis] : "?";
}

/* ---- the axis ------------------------------------------------------------- */

/* How a waiting stretch is drawn, from what it awaits. */
static LsTimelineWaitStyle
wait_style (const char *kind)
{
  static const char *const task_kinds[] = {
    "task", "gather", "wait", "wait_for", "shield", "taskgroup", "TaskGroup", "as_completed",
    "join", "joinall", "kill", "get", "iwait",   /* gevent: waiting for greenlets to finish */
    "pool.join", "pool.spawn",          /* ... for a pool's greenlets (to finish, to make room) */
    "asyncio.run",                      /* the main program, while a loop runs its tasks */
  };
  static const char *const sync_prefixes[] = {
    "queue", "Queue", "lock", "Lock", "event", "Event", "semaphore", "Semaphore",
    "condition", "Condition", "barrier", "Barrier",
  };
  if (!kind)
    return LS_TIMELINE_WAIT_OTHER;
  if (strcmp (kind, "sleep") == 0 || strcmp (kind, "timer") == 0)
    return LS_TIMELINE_WAIT_TIMER;
  for (guint i = 0; i < G_N_ELEMENTS (task_kinds); i++)
    if (strcmp (kind, task_kinds[i]) == 0)
      return LS_TIMELINE_WAIT_TASK;
  for (guint i = 0; i < G_N_ELEMENTS (sync_prefixes); i++)
    if (g_str_has_prefix (kind, sync_prefixes[i]))
      return LS_TIMELINE_WAIT_SYNC;
  return LS_TIMELINE_WAIT_OTHER;
}

static LsTimelineGroupKind
group_kind (const char *kind)
{
  if (!kind)
    return LS_TIMELINE_GROUP_OTHER;
  if (strcmp (kind, "gather") == 0)
    return LS_TIMELINE_GROUP_GATHER;
  if (strcmp (kind, "wait") == 0)
    return LS_TIMELINE_GROUP_WAIT;
  if (strcmp (kind, "as_completed") == 0)
    return LS_TIMELINE_GROUP_AS_COMPLETED;
  if (strcmp (kind, "shield") == 0)
    return LS_TIMELINE_GROUP_SHIELD;
  if (g_ascii_strcasecmp (kind, "taskgroup") == 0)
    return LS_TIMELINE_GROUP_TASKGROUP;
  return LS_TIMELINE_GROUP_OTHER;
}

static gboolean
task_matches (const LsTraceTask *t, GPatternSpec *spec)
{
  char *coro;
  gboolean ok;

  if (!spec)
    return TRUE;
  if (t->name && g_pattern_spec_match_string (spec, t->name))
    return TRUE;
  if (!t->coro)
    return FALSE;
  /* "factorial" matches "factorial()" too: users type the function's name. */
  coro = g_strndup (t->coro, strcspn (t->coro, "("));
  ok = g_pattern_spec_match_string (spec, t->coro) || g_pattern_spec_match_string (spec, coro);
  g_free (coro);
  return ok;
}

/* Which lanes are shown: the main program first when it has a lane, then
 * tasks in creation order, filtered. */
static void
choose_lanes (LsTimeline *tl, const LsTimelineOptions *options)
{
  const LsTraceTask *tasks = ls_trace_model_get_tasks (tl->model, &tl->n_tasks);
  GPatternSpec *spec = options->tasks_pattern && *options->tasks_pattern
                         ? g_pattern_spec_new (options->tasks_pattern) : NULL;

  tl->lanes = g_array_new (FALSE, FALSE, sizeof (int));
  tl->lane_of_task = g_new (int, MAX (tl->n_tasks, 1));
  for (guint i = 0; i < tl->n_tasks; i++)
    tl->lane_of_task[i] = -1;
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < tl->n_tasks; i++)
      {
        if (ls_trace_task_is_main_program (&tasks[i]) != (pass == 0))
          continue;
        if (tasks[i].internal && !options->show_internal)
          continue;
        if (!task_matches (&tasks[i], spec))
          continue;
        tl->lane_of_task[i] = (int) tl->lanes->len;
        g_array_append_val (tl->lanes, i);
      }
  if (spec)
    g_pattern_spec_free (spec);
}

/* Events that begin a step (a task's, a greenlet switched in, a
 * generator resumed) and that end one.  A greenlet switch does both: the
 * step of the one switched out ends where the next one's begins. */
static inline gboolean
begins_step (guint8 kind)
{
  return kind == LS_EVENT_STEP_BEGIN || kind == LS_EVENT_GREENLET_SWITCH
         || kind == LS_EVENT_GENERATOR_RESUMED || kind == LS_EVENT_GREENLET_CREATED;
}

static inline gboolean
ends_step (guint8 kind)
{
  return kind == LS_EVENT_STEP_END || kind == LS_EVENT_GREENLET_SWITCH
         || kind == LS_EVENT_GENERATOR_SUSPENDED || kind == LS_EVENT_GREENLET_FINISHED;
}

/* u[] for every event: switch units first (steps of hidden lanes take no
 * room), then time scaled by K added on. */
static void
place_events (LsTimeline *tl)
{
  guint n_steps;
  const LsTraceStep *steps = ls_trace_model_get_steps (tl->model, &n_steps);
  const LsTraceRun *run = ls_trace_model_get_run (tl->model);
  guint32 n = tl->n_events;
  double *u = tl->u, total_sw, end_time, k;
  guint j = 0;
  guint32 step_begin = 0, step_end = 0;    /* the visible step we are in, 0: none */
  gboolean want_sw = tl->axis != LS_TIMELINE_AXIS_TIME;

  u[0] = 0.0;
  for (guint32 s = 1; s <= n + 1; s++)
    {
      double sw = 0.0;

      if (want_sw && s >= 2)
        {
          const LsTraceEvent *prev = &tl->events[s - 2];
          /* The gap s - 1 .. s: inside the current step, after it, before
           * the next one (in that order: a step may follow a step). */
          if (step_begin && s - 1 >= step_begin && s <= step_end)
            sw += STEP_BODY / (double) MAX (step_end - step_begin, 1);
          if (ends_step (prev->kind) && step_begin && s - 1 == step_end)
            {
              sw += STEP_PAD;
              step_begin = step_end = 0;
            }
          if (s <= n && begins_step (tl->events[s - 1].kind))
            {
              while (j < n_steps && steps[j].begin_seq < s)
                j++;
              if (j < n_steps && steps[j].begin_seq == s
                  && tl->lane_of_task[steps[j].task] >= 0)
                {
                  step_begin = s;
                  step_end = steps[j].end_seq;
                  sw += STEP_PAD;
                }
            }
          if (prev->kind == LS_EVENT_LOOP_BLOCKED && tl->axis == LS_TIMELINE_AXIS_SWITCH)
            sw += BLOCK_SLOT;
        }
      u[s] = u[s - 1] + sw;
    }
  total_sw = u[n + 1];
  end_time = n ? MAX (run->end_time, tl->events[n - 1].time) : 0.0;
  if (tl->axis == LS_TIMELINE_AXIS_TIME)
    k = 1.0;
  else if (tl->axis == LS_TIMELINE_AXIS_SWITCH)
    k = 0.0;
  else if (end_time > 0 && total_sw > 0)
    k = total_sw * HYBRID_TIME_SHARE / (1.0 - HYBRID_TIME_SHARE) / end_time;
  else
    k = end_time > 0 ? 1.0 : 0.0;
  tl->time_k = k;
  if (k > 0)
    {
      for (guint32 s = 1; s <= n; s++)
        u[s] += k * MAX (tl->events[s - 1].time, 0.0);
      u[n + 1] += k * end_time;
    }
  /* Time never goes back, but a damaged trace might say so: keep u sorted. */
  for (guint32 s = 1; s <= n + 1; s++)
    if (u[s] < u[s - 1])
      u[s] = u[s - 1];
}

static void
index_marks_and_edges (LsTimeline *tl)
{
  guint n_marks, n_edges;
  const LsTraceMark *marks = ls_trace_model_get_marks (tl->model, &n_marks);
  const LsTraceEdge *edges = ls_trace_model_get_edges (tl->model, &n_edges);
  guint nt = tl->n_tasks;
  guint *fill;

  tl->mark_start = g_new0 (guint, nt + 1);
  tl->edge_start = g_new0 (guint, nt + 1);
  tl->mark_index = g_new (guint, MAX (n_marks, 1));
  tl->edge_index = g_new (guint, MAX (n_edges, 1));
  for (guint i = 0; i < n_marks; i++)
    if (marks[i].task >= 0 && (guint) marks[i].task < nt)
      tl->mark_start[marks[i].task + 1]++;
  for (guint i = 0; i < n_edges; i++)
    if (edges[i].to_task >= 0 && (guint) edges[i].to_task < nt)
      tl->edge_start[edges[i].to_task + 1]++;
  for (guint t = 0; t < nt; t++)
    {
      tl->mark_start[t + 1] += tl->mark_start[t];
      tl->edge_start[t + 1] += tl->edge_start[t];
    }
  fill = g_new (guint, nt + 1);
  memcpy (fill, tl->mark_start, (nt + 1) * sizeof (guint));
  for (guint i = 0; i < n_marks; i++)
    if (marks[i].task >= 0 && (guint) marks[i].task < nt)
      tl->mark_index[fill[marks[i].task]++] = i;
  memcpy (fill, tl->edge_start, (nt + 1) * sizeof (guint));
  for (guint i = 0; i < n_edges; i++)
    if (edges[i].to_task >= 0 && (guint) edges[i].to_task < nt)
      tl->edge_index[fill[edges[i].to_task]++] = i;
  g_free (fill);

  /* Marks come in seq order already.  Edges come grouped by kind; sort
   * each task's by the seq of their effect (insertion sort: a task's
   * edges are few and nearly sorted). */
  for (guint t = 0; t < nt; t++)
    for (guint i = tl->edge_start[t] + 1; i < tl->edge_start[t + 1]; i++)
      {
        guint v = tl->edge_index[i], k = i;
        while (k > tl->edge_start[t] && edges[tl->edge_index[k - 1]].to_seq > edges[v].to_seq)
          {
            tl->edge_index[k] = tl->edge_index[k - 1];
            k--;
          }
        tl->edge_index[k] = v;
      }
}

static void
find_groups (LsTimeline *tl)
{
  guint n_aw;
  const LsTraceAwaitable *aw = ls_trace_model_get_awaitables (tl->model, &n_aw);

  tl->groups = g_array_new (FALSE, FALSE, sizeof (guint));
  tl->group_lanes = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint i = 0; i < n_aw; i++)
    {
      guint nm;
      const LsTraceMember *m;
      int lo = G_MAXINT, hi = -1;

      if (!aw[i].n_members)
        continue;
      m = ls_trace_model_get_group_members (tl->model, i, &nm);
      for (guint k = 0; k < nm; k++)
        if (m[k].task >= 0 && tl->lane_of_task[m[k].task] >= 0)
          {
            lo = MIN (lo, tl->lane_of_task[m[k].task]);
            hi = MAX (hi, tl->lane_of_task[m[k].task]);
          }
      if (hi < 0)
        continue;
      g_array_append_val (tl->groups, i);
      g_array_append_val (tl->group_lanes, lo);
      g_array_append_val (tl->group_lanes, hi);
    }
}

/* What a greenlet or a generator waits on when nothing but a switch will
 * bring it back (the model's await kinds for them, see ls-trace-model.h). */
static gboolean
switch_kind (const char *kind)
{
  return strcmp (kind, "switch") == 0 || strcmp (kind, "start") == 0 || strcmp (kind, "next") == 0
         || strcmp (kind, "sleep(0)") == 0 || strcmp (kind, "throw") == 0 || strcmp (kind, "finished") == 0
         || strcmp (kind, "raised") == 0 || strcmp (kind, "idle") == 0;
}

/* Which legend entries the trace needs: a handout explains only what it shows. */
static void
find_legend (LsTimeline *tl)
{
  guint n;
  const LsTraceInterval *iv = ls_trace_model_get_intervals (tl->model, &n);
  const LsTraceEdge *edges;
  const LsTraceMark *marks;
  gboolean *h = tl->has_legend;

  h[LS_TIMELINE_LEGEND_RUNNING] = TRUE;
  for (guint i = 0; i < n; i++)
    {
      if (iv[i].state == LS_TRACE_WAITING && wait_style (iv[i].await_kind) == LS_TIMELINE_WAIT_OTHER
          && (iv[i].await_kind == NULL ? FALSE : switch_kind (iv[i].await_kind)))
        h[LS_TIMELINE_LEGEND_WAIT_SWITCH] = TRUE;
      else if (iv[i].state == LS_TRACE_READY)
        h[LS_TIMELINE_LEGEND_READY] = TRUE;
      else if (iv[i].state == LS_TRACE_BLOCKED)
        continue;   /* from the blocks, below: with a loop running or not */
      else if (iv[i].state == LS_TRACE_WAITING)
        switch (wait_style (iv[i].await_kind))
          {
          case LS_TIMELINE_WAIT_TIMER: h[LS_TIMELINE_LEGEND_WAIT_TIMER] = TRUE; break;
          case LS_TIMELINE_WAIT_SYNC: h[LS_TIMELINE_LEGEND_WAIT_SYNC] = TRUE; break;
          default: h[LS_TIMELINE_LEGEND_WAIT_TASK] = TRUE; break;
          }
    }
  {
    const LsTraceBlock *blocks = ls_trace_model_get_blocks (tl->model, &n);
    for (guint i = 0; i < n; i++)
      if (blocks[i].duration > 0)
        h[blocks[i].outside_loop ? LS_TIMELINE_LEGEND_BLOCKED_PROGRAM : LS_TIMELINE_LEGEND_BLOCKED] = TRUE;
  }
  edges = ls_trace_model_get_edges (tl->model, &n);
  for (guint i = 0; i < n; i++)
    switch (edges[i].kind)
      {
      case LS_TRACE_EDGE_CREATED: h[LS_TIMELINE_LEGEND_ARROW_CREATED] = TRUE; break;
      case LS_TRACE_EDGE_WOKEN:
        if (edges[i].from_task >= 0 && edges[i].from_task != edges[i].to_task)
          h[LS_TIMELINE_LEGEND_ARROW_WOKEN] = TRUE;
        break;
      case LS_TRACE_EDGE_CANCELLED: h[LS_TIMELINE_LEGEND_ARROW_CANCELLED] = TRUE; break;
      case LS_TRACE_EDGE_TIMED_OUT: h[LS_TIMELINE_LEGEND_ARROW_TIMEOUT] = TRUE; break;
      case LS_TRACE_EDGE_SWITCHED: h[LS_TIMELINE_LEGEND_ARROW_SWITCHED] = TRUE; break;
      default: break;
      }
  marks = ls_trace_model_get_marks (tl->model, &n);
  for (guint i = 0; i < n; i++)
    switch (marks[i].kind)
      {
      case LS_TRACE_MARK_OUTPUT: h[LS_TIMELINE_LEGEND_OUTPUT] = TRUE; break;
      case LS_TRACE_MARK_RESULT: h[LS_TIMELINE_LEGEND_RESULT] = TRUE; break;
      case LS_TRACE_MARK_EXCEPTION: h[LS_TIMELINE_LEGEND_EXCEPTION] = TRUE; break;
      case LS_TRACE_MARK_CANCELLED: h[LS_TIMELINE_LEGEND_CANCELLED] = TRUE; break;
      default: break;
      }
}

LsTimeline *
ls_timeline_new (const LsTraceModel *model, const LsTimelineOptions *options)
{
  static const LsTimelineOptions defaults = { 0 };
  LsTimeline *tl;
  guint n;

  g_return_val_if_fail (model != NULL, NULL);
  if (!options)
    options = &defaults;
  tl = g_new0 (LsTimeline, 1);
  tl->model = model;
  tl->axis = (guint) options->axis <= LS_TIMELINE_AXIS_SWITCH ? options->axis
                                                               : LS_TIMELINE_AXIS_HYBRID;
  tl->events = ls_trace_model_get_events (model, &n);
  tl->n_events = n;
  tl->u = g_new (double, (gsize) n + 2);
  choose_lanes (tl, options);
  place_events (tl);
  index_marks_and_edges (tl);
  find_groups (tl);
  find_legend (tl);

  tl->instants = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint32 s = 1; s <= n; s++)
    if (s == 1 || tl->events[s - 1].time != tl->events[s - 2].time)
      g_array_append_val (tl->instants, s);
  return tl;
}

void
ls_timeline_free (LsTimeline *tl)
{
  if (!tl)
    return;
  g_free (tl->u);
  g_array_unref (tl->lanes);
  g_free (tl->lane_of_task);
  g_free (tl->mark_start);
  g_free (tl->mark_index);
  g_free (tl->edge_start);
  g_free (tl->edge_index);
  g_array_unref (tl->groups);
  g_array_unref (tl->group_lanes);
  g_array_unref (tl->instants);
  g_free (tl);
}

const LsTraceModel *
ls_timeline_get_model (const LsTimeline *tl)
{
  return tl->model;
}

LsTimelineAxis
ls_timeline_get_axis (const LsTimeline *tl)
{
  return tl->axis;
}

const int *
ls_timeline_get_lanes (const LsTimeline *tl, guint *n)
{
  if (n)
    *n = tl->lanes->len;
  return (const int *) (gpointer) tl->lanes->data;
}

double
ls_timeline_get_u_end (const LsTimeline *tl)
{
  return tl->u[tl->n_events + 1];
}

double
ls_timeline_seq_to_u (const LsTimeline *tl, guint32 seq, double time)
{
  if (seq == 0)
    return tl->u[0];
  if (seq > tl->n_events)
    return tl->u[tl->n_events + 1];
  /* Inside a blocking call (or past the last event): its end. */
  if (time > tl->events[seq - 1].time + 1e-12)
    return tl->u[seq + 1];
  return tl->u[seq];
}

guint32
ls_timeline_u_to_seq (const LsTimeline *tl, double u)
{
  guint32 lo = 1, hi = tl->n_events;

  if (tl->n_events == 0)
    return 0;
  if (u < tl->u[1])
    return 1;
  while (lo < hi)   /* the last s with u[s] <= u */
    {
      guint32 mid = lo + (hi - lo + 1) / 2;
      if (tl->u[mid] <= u)
        lo = mid;
      else
        hi = mid - 1;
    }
  return lo;
}

double
ls_timeline_time_to_u (const LsTimeline *tl, double t)
{
  guint32 n = tl->n_events, lo = 1, hi = n + 1;
  double t0, t1;

  if (n == 0 || t <= tl->events[0].time)
    return tl->u[n ? 1 : 0];
  while (lo < hi)   /* the first s with time >= t; n + 1 if none */
    {
      guint32 mid = lo + (hi - lo) / 2;
      if (tl->events[mid - 1].time >= t)
        hi = mid;
      else
        lo = mid + 1;
    }
  t0 = tl->events[lo - 2].time;
  t1 = lo <= n ? tl->events[lo - 1].time : ls_trace_model_get_run (tl->model)->end_time;
  if (tl->axis == LS_TIMELINE_AXIS_SWITCH || t1 <= t0)
    return tl->u[lo];
  return tl->u[lo - 1] + (tl->u[lo] - tl->u[lo - 1]) * MIN ((t - t0) / (t1 - t0), 1.0);
}

/* ---- frames --------------------------------------------------------------- */

void
ls_timeline_viewport_init (LsTimelineViewport *vp, double width, double height)
{
  memset (vp, 0, sizeof *vp);
  vp->width = width;
  vp->height = height;
  vp->highlight_step = -1;
}

LsTimelineFrame *
ls_timeline_frame_new (void)
{
  LsTimelineFrame *f = g_new0 (LsTimelineFrame, 1);

  f->lanes = g_array_new (FALSE, FALSE, sizeof (LsTimelineLane));
  f->segments = g_array_new (FALSE, FALSE, sizeof (LsTimelineSegment));
  f->bands = g_array_new (FALSE, FALSE, sizeof (LsTimelineBand));
  f->arrows = g_array_new (FALSE, FALSE, sizeof (LsTimelineArrow));
  f->brackets = g_array_new (FALSE, FALSE, sizeof (LsTimelineBracket));
  f->badges = g_array_new (FALSE, FALSE, sizeof (LsTimelineBadge));
  f->marks = g_array_new (FALSE, FALSE, sizeof (LsTimelineMark));
  f->ticks = g_array_new (FALSE, FALSE, sizeof (LsTimelineTick));
  f->entries = g_array_new (FALSE, FALSE, sizeof (LsTimelineLegendEntry));
  f->playhead_x = -1;
  return f;
}

void
ls_timeline_frame_free (LsTimelineFrame *f)
{
  if (!f)
    return;
  g_array_unref (f->lanes);
  g_array_unref (f->segments);
  g_array_unref (f->bands);
  g_array_unref (f->arrows);
  g_array_unref (f->brackets);
  g_array_unref (f->badges);
  g_array_unref (f->marks);
  g_array_unref (f->ticks);
  g_array_unref (f->entries);
  g_free (f);
}

static inline double
u_to_x (const LsTimelineFrame *f, double u)
{
  return f->plot.x + PLOT_PAD + (u - f->u_from) * f->scale;
}

static inline double
pos_x (const LsTimelineFrame *f, guint32 seq, double time)
{
  return u_to_x (f, ls_timeline_seq_to_u (f->tl, seq, time));
}

double
ls_timeline_frame_seq_to_x (const LsTimelineFrame *f, guint32 seq, double time)
{
  return pos_x (f, seq, time);
}

guint32
ls_timeline_frame_x_to_seq (const LsTimelineFrame *f, double x, double *time)
{
  double u = f->u_from + (x - f->plot.x - PLOT_PAD) / f->scale;
  guint32 seq;

  /* x came from an event's u through a multiplication: round back up. */
  u += 1e-9 * (1.0 + fabs (u));
  seq = ls_timeline_u_to_seq (f->tl, u);

  if (time)
    *time = seq ? f->tl->events[seq - 1].time : 0.0;
  return seq;
}

/* The lane row of task t in this frame, or NULL when it is not shown. */
static const LsTimelineLane *
row_of_task (const LsTimelineFrame *f, int task)
{
  int lane;

  if (task < 0 || (guint) task >= f->tl->n_tasks)
    return NULL;
  lane = f->tl->lane_of_task[task];
  if (lane < (int) f->vp.first_lane || lane >= (int) (f->vp.first_lane + f->n_rows))
    return NULL;
  return &g_array_index (f->lanes, LsTimelineLane, lane - (int) f->vp.first_lane);
}

static double
lane_mid (const LsTimelineLane *l)
{
  return l->bar_y + l->bar_h / 2;
}

static const char *const legend_labels[LS_TIMELINE_N_LEGEND] = {
  [LS_TIMELINE_LEGEND_RUNNING] = N_("running step"),
  [LS_TIMELINE_LEGEND_READY] = N_("ready, waiting for its turn"),
  [LS_TIMELINE_LEGEND_WAIT_TIMER] = N_("awaiting sleep / timer"),
  [LS_TIMELINE_LEGEND_WAIT_TASK] = N_("awaiting a task / gather"),
  [LS_TIMELINE_LEGEND_WAIT_SYNC] = N_("awaiting a lock / queue / event"),
  [LS_TIMELINE_LEGEND_WAIT_SWITCH] = N_("waiting to be switched to"),
  [LS_TIMELINE_LEGEND_BLOCKED] = N_("blocking call: loop stuck"),
  [LS_TIMELINE_LEGEND_BLOCKED_PROGRAM] = N_("blocking call (no loop running)"),
  [LS_TIMELINE_LEGEND_ARROW_CREATED] = N_("created"),
  [LS_TIMELINE_LEGEND_ARROW_WOKEN] = N_("woke up"),
  [LS_TIMELINE_LEGEND_ARROW_CANCELLED] = N_("cancelled"),
  [LS_TIMELINE_LEGEND_ARROW_TIMEOUT] = N_("timeout fired"),
  [LS_TIMELINE_LEGEND_ARROW_SWITCHED] = N_("switched to"),
  [LS_TIMELINE_LEGEND_OUTPUT] = N_("print"),
  [LS_TIMELINE_LEGEND_RESULT] = N_("returned"),
  [LS_TIMELINE_LEGEND_EXCEPTION] = N_("raised"),
  [LS_TIMELINE_LEGEND_CANCELLED] = "CancelledError",
};

/* Flows the legend entries the trace needs into rows; returns the height. */
static double
layout_legend (LsTimelineFrame *f, double y_bottom)
{
  const double sample_w = 24, gap = 6, spacing = 18;
  double x = MARGIN, rows = 1, avail = f->vp.width - 2 * MARGIN;
  guint first = f->entries->len;

  for (guint k = 0; k < LS_TIMELINE_N_LEGEND; k++)
    {
      LsTimelineLegendEntry e;
      double w;

      if (!f->tl->has_legend[k])
        continue;
      w = sample_w + gap + strlen (_(legend_labels[k])) * LEGEND_FONT_W;
      if (x > MARGIN && x + w > MARGIN + avail)
        {
          x = MARGIN;
          rows++;
        }
      e.kind = k;
      e.label = _(legend_labels[k]);
      e.sample = (LsTimelineRect) { x, (rows - 1) * LEGEND_ROW_H + 4, sample_w, 10 };
      e.text_x = x + sample_w + gap;
      e.text_y = (rows - 1) * LEGEND_ROW_H + 1;
      g_array_append_val (f->entries, e);
      x += w + spacing;
    }
  /* Rows were laid out from y 0; move them to the bottom strip. */
  for (guint i = first; i < f->entries->len; i++)
    {
      LsTimelineLegendEntry *e = &g_array_index (f->entries, LsTimelineLegendEntry, i);
      e->sample.y += y_bottom - rows * LEGEND_ROW_H;
      e->text_y += y_bottom - rows * LEGEND_ROW_H;
    }
  return rows * LEGEND_ROW_H;
}

static void
layout_geometry (LsTimelineFrame *f)
{
  const LsTimelineViewport *vp = &f->vp;
  guint n_lanes = f->tl->lanes->len;
  guint shown = vp->first_lane < n_lanes ? n_lanes - vp->first_lane : 0;
  double gutter = CLAMP (vp->width * 0.16, 110.0, 220.0);
  double legend_h = 0, top, avail, lane_h;

  if (gutter > vp->width / 2)
    gutter = vp->width / 2;
  if (!vp->no_legend)
    legend_h = layout_legend (f, vp->height - MARGIN) + 4;
  f->ruler = (LsTimelineRect) { gutter, MARGIN, MAX (vp->width - gutter - MARGIN, 1), RULER_H };
  top = MARGIN + RULER_H;
  avail = MAX (vp->height - top - legend_h - MARGIN, 0);
  lane_h = vp->lane_height;
  if (lane_h <= 0)
    lane_h = shown ? CLAMP (floor (avail / shown), LANE_H_MIN, LANE_H_MAX) : LANE_H_MAX;
  f->lane_h = lane_h;
  f->n_rows = MIN ((guint) (avail / lane_h), shown);
  f->has_summary = f->n_rows < shown || vp->first_lane > 0;
  if (f->has_summary && f->n_rows < shown)
    f->n_rows = avail > SUMMARY_H ? MIN ((guint) ((avail - SUMMARY_H) / lane_h), shown) : 0;
  f->plot = (LsTimelineRect) { gutter, top, MAX (vp->width - gutter - MARGIN, 1), f->n_rows * lane_h };
  if (n_lanes == 0)
    {
      f->has_summary = TRUE;
      f->summary_rect = (LsTimelineRect) { MARGIN, top, vp->width - 2 * MARGIN, SUMMARY_H };
      g_strlcpy (f->summary, _("no task to show (none ran, or none matches the filter)"), sizeof f->summary);
      return;
    }
  if (f->has_summary)
    {
      guint below = shown - f->n_rows;
      f->summary_rect = (LsTimelineRect) { MARGIN, top + f->n_rows * lane_h,
                                           vp->width - 2 * MARGIN, SUMMARY_H };
      if (below && vp->first_lane)
        g_snprintf (f->summary, sizeof f->summary, _("%u more tasks below, %u above (%u lanes in all)"),
                    below, vp->first_lane, n_lanes);
      else if (below)
        g_snprintf (f->summary, sizeof f->summary, _("%u more tasks below (%u lanes in all)"),
                    below, n_lanes);
      else
        g_snprintf (f->summary, sizeof f->summary, _("%u tasks above (%u lanes in all)"),
                    vp->first_lane, n_lanes);
    }
  f->legend = (LsTimelineRect) { MARGIN, vp->height - MARGIN - legend_h + 4, vp->width - 2 * MARGIN,
                                 MAX (legend_h - 4, 0) };
}

static void
layout_lanes (LsTimelineFrame *f)
{
  const LsTraceTask *tasks = ls_trace_model_get_tasks (f->tl->model, NULL);
  double lane_h = f->lane_h;
  /* The top of a lane holds marks and printed text, the middle the bar. */
  double top_band = lane_h >= 30 ? lane_h * 0.4 : lane_h * 0.3;
  double bar_h = MAX (lane_h * 0.36, 4.0);

  for (guint r = 0; r < f->n_rows; r++)
    {
      guint li = f->vp.first_lane + r;
      int t = g_array_index (f->tl->lanes, int, li);
      LsTimelineLane l = { 0 };

      l.rect = (LsTimelineRect) { MARGIN, f->plot.y + r * lane_h, f->vp.width - 2 * MARGIN, lane_h };
      l.bar_y = l.rect.y + top_band;
      l.bar_h = bar_h;
      l.task = t;
      l.lane = li;
      l.name = tasks[t].name;
      l.coro = tasks[t].coro;
      l.outcome = tasks[t].outcome == LS_TRACE_PENDING ? NULL
                                                       : ls_trace_task_outcome_name (tasks[t].outcome);
      l.thread = tasks[t].kind == LS_TRACE_LANE_THREAD;
      l.kind = tasks[t].kind;
      l.alt = li % 2;
      g_array_append_val (f->lanes, l);
    }
}

/* The step whose running stretch starts at seq on task, or -1. */
static int
find_step (const LsTraceModel *model, int task, guint32 seq)
{
  guint n, lo = 0, hi;
  const LsTraceStep *steps = ls_trace_model_get_steps (model, &n);

  if (!n || steps[0].begin_seq > seq)
    return -1;
  hi = n - 1;
  while (lo < hi)   /* the last step beginning at or before seq */
    {
      guint mid = lo + (hi - lo + 1) / 2;
      if (steps[mid].begin_seq <= seq)
        lo = mid;
      else
        hi = mid - 1;
    }
  return (int) steps[lo].task == task && seq <= steps[lo].end_seq ? (int) lo : -1;
}

/* Stretches narrower than a pixel column, gathered until the column ends. */
typedef struct {
  gboolean active;
  double x0, x1, run_x0, run_x1;
  double run_w, tot_w;
  guint32 count, n_running, from_seq, to_seq;
  int step;
  gboolean highlighted;
} Pending;

static void
emit_segment (LsTimelineFrame *f, const LsTimelineSegment *seg)
{
  LsTimelineSegment *last = f->segments->len
                              ? &g_array_index (f->segments, LsTimelineSegment, f->segments->len - 1)
                              : NULL;

  /* Neighbouring aggregates of about the same density are one shape. */
  if (seg->kind == LS_TIMELINE_SEG_DENSE && last && last->kind == LS_TIMELINE_SEG_DENSE
      && last->task == seg->task && seg->x0 <= last->x1 + 0.5
      && fabsf (last->density - seg->density) < 0.1f)
    {
      last->x1 = MAX (last->x1, seg->x1);
      last->to_seq = seg->to_seq;
      last->count += seg->count;
      last->highlighted |= seg->highlighted;
      return;
    }
  g_array_append_vals (f->segments, seg, 1);
}

static void
flush_pending (LsTimelineFrame *f, const LsTimelineLane *lane, Pending *p)
{
  LsTimelineSegment seg = { 0 };

  if (!p->active)
    return;
  p->active = FALSE;
  if (p->n_running == 0)
    return;   /* a sliver of waiting or ready: nothing a pixel can show */
  seg.y = lane->bar_y;
  seg.h = lane->bar_h;
  seg.task = lane->task;
  seg.awaitable = -1;
  seg.from_seq = p->from_seq;
  seg.to_seq = p->to_seq;
  seg.highlighted = p->highlighted;
  if (p->n_running == 1 && p->count <= 3)
    {
      seg.kind = LS_TIMELINE_SEG_RUNNING;
      seg.x0 = p->run_x0;
      seg.x1 = MAX (p->run_x1, p->run_x0 + MIN_RUN_W);
      seg.step = p->step;
      seg.count = 1;
    }
  else
    {
      seg.kind = LS_TIMELINE_SEG_DENSE;
      seg.x0 = p->x0;
      seg.x1 = MAX (p->x1, p->x0 + 1.0);
      seg.step = -1;
      seg.count = p->count;
      seg.density = p->tot_w >= 0.5 ? (float) (p->run_w / p->tot_w)
                                    : (float) p->n_running / (float) p->count;
      seg.density = CLAMP (seg.density, 0.05f, 1.0f);
    }
  emit_segment (f, &seg);
}

static void
layout_segments (LsTimelineFrame *f, LsTimelineLane *lane)
{
  const LsTraceModel *model = f->tl->model;
  guint n, lo = 0, hi;
  const LsTraceInterval *iv = ls_trace_model_get_task_intervals (model, (guint) lane->task, &n);
  double left = f->plot.x, right = f->plot.x + f->plot.w;
  guint hl = f->vp.highlight_step >= 0 ? (guint) f->vp.highlight_step : G_MAXUINT;
  Pending p = { 0 };

  lane->first_segment = f->segments->len;
  hi = n;
  while (lo < hi)   /* the first stretch ending at or after the left edge */
    {
      guint mid = lo + (hi - lo) / 2;
      if (pos_x (f, iv[mid].to_seq, iv[mid].to_time) < left)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < n; i++)
    {
      const LsTraceInterval *v = &iv[i];
      double x0 = pos_x (f, v->from_seq, v->from_time);
      double x1 = pos_x (f, v->to_seq, v->to_time);
      gboolean running = v->state == LS_TRACE_RUNNING;
      int step = running ? find_step (model, lane->task, v->from_seq) : -1;
      gboolean highlighted = step >= 0 && (guint) step == hl;

      if (x0 > right)
        break;
      x0 = MAX (x0, left);
      x1 = MIN (x1, right);
      if (x1 - x0 >= AGG_PX || v->state == LS_TRACE_BLOCKED
          || (highlighted && !(p.active && p.n_running)))
        {
          LsTimelineSegment seg = { 0 };

          flush_pending (f, lane, &p);
          seg.x0 = x0;
          seg.x1 = x1;
          seg.y = lane->bar_y;
          seg.h = lane->bar_h;
          seg.from_seq = v->from_seq;
          seg.to_seq = v->to_seq;
          seg.task = lane->task;
          seg.awaitable = v->awaitable;
          seg.step = step;
          seg.count = 1;
          seg.open = v->open;
          seg.highlighted = highlighted;
          switch (v->state)
            {
            case LS_TRACE_RUNNING: seg.kind = LS_TIMELINE_SEG_RUNNING; break;
            case LS_TRACE_READY: seg.kind = LS_TIMELINE_SEG_READY; break;
            case LS_TRACE_BLOCKED: seg.kind = LS_TIMELINE_SEG_BLOCKED; break;
            case LS_TRACE_IDLE: seg.kind = LS_TIMELINE_SEG_IDLE; break;
            default:
              seg.kind = LS_TIMELINE_SEG_WAITING;
              seg.style = wait_style (v->await_kind);
              seg.await_kind = v->await_kind;
              break;
            }
          if (seg.kind == LS_TIMELINE_SEG_RUNNING || seg.kind == LS_TIMELINE_SEG_BLOCKED)
            seg.x1 = MAX (seg.x1, seg.x0 + MIN_RUN_W);
          emit_segment (f, &seg);
          continue;
        }
      if (p.active && x0 - p.x0 > AGG_PX)
        flush_pending (f, lane, &p);
      if (!p.active)
        {
          memset (&p, 0, sizeof p);
          p.active = TRUE;
          p.x0 = x0;
          p.from_seq = v->from_seq;
          p.step = -1;
        }
      p.x1 = MAX (p.x1, x1);
      p.to_seq = v->to_seq;
      p.count++;
      p.tot_w += MAX (x1 - x0, 0);
      if (running)
        {
          if (!p.n_running)
            {
              p.run_x0 = x0;
              p.run_x1 = x1;
              p.step = step;
            }
          p.n_running++;
          p.run_w += MAX (x1 - x0, 0);
          p.highlighted |= highlighted;
        }
    }
  flush_pending (f, lane, &p);
  lane->n_segments = f->segments->len - lane->first_segment;
}

static void
layout_bands (LsTimelineFrame *f)
{
  guint n, lo = 0, hi;
  const LsTraceBlock *blocks = ls_trace_model_get_blocks (f->tl->model, &n);
  double left = f->plot.x, right = f->plot.x + f->plot.w;

  hi = n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (pos_x (f, blocks[mid].seq, blocks[mid].time + MAX (blocks[mid].duration, 0)) < left)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < n; i++)
    {
      const LsTraceBlock *b = &blocks[i];
      double x0 = pos_x (f, b->seq, b->time), x1 = pos_x (f, b->seq, b->time + MAX (b->duration, 0));
      LsTimelineBand band, *last;

      const LsTimelineLane *row = NULL;

      if (x0 > right)
        break;
      /* A band says the loop, and every task with it, is stuck; with no
       * loop running (a plain script) only the program's own lane is:
       * its band covers that lane alone, and calls one after another
       * stay apart (each says how long it took). */
      if (b->outside_loop && !(row = row_of_task (f, b->task)))
        continue;
      x0 = MAX (x0, left);
      x1 = MAX (MIN (x1, right), x0 + 1);
      last = f->bands->len ? &g_array_index (f->bands, LsTimelineBand, f->bands->len - 1) : NULL;
      if (last && (row ? last->lane_only && last->task == b->task && x0 < last->x1 - 0.5
                       : !last->lane_only && x0 <= last->x1 + 1))
        {
          last->x1 = MAX (last->x1, x1);
          last->duration += MAX (b->duration, 0);
          last->count++;
          continue;
        }
      band = (LsTimelineBand) { x0, x1, b->seq, b->task, MAX (b->duration, 0), 1,
                                row ? row->rect.y : 0, row ? row->rect.h : 0, row != NULL };
      g_array_append_val (f->bands, band);
    }
}

static double
mark_y (const LsTimelineLane *l)
{
  return l->rect.y + (l->bar_y - l->rect.y) / 2 + 1;
}

static double
mark_size (const LsTimelineLane *l)
{
  return CLAMP ((l->bar_y - l->rect.y) * 0.6, 5.0, 10.0);
}

static void
add_mark (LsTimelineFrame *f, const LsTimelineLane *l, guint row_first, LsTimelineMarkKind kind,
          double x, guint32 seq, const char *text, gboolean is_stderr)
{
  LsTimelineMark m = { 0 }, *last;

  last = f->marks->len > row_first
           ? &g_array_index (f->marks, LsTimelineMark, f->marks->len - 1) : NULL;
  if (last && x - last->x < MARK_AGG_PX && kind != LS_TIMELINE_MARK_TIMEOUT
      && last->kind != LS_TIMELINE_MARK_TIMEOUT
      && (kind == LS_TIMELINE_MARK_RESULT || kind == LS_TIMELINE_MARK_EXCEPTION)
           == (last->kind == LS_TIMELINE_MARK_RESULT || last->kind == LS_TIMELINE_MARK_EXCEPTION))
    {
      last->count++;
      /* The worst news wins the glyph. */
      if (kind == LS_TIMELINE_MARK_EXCEPTION
          || (kind == LS_TIMELINE_MARK_CANCELLED && last->kind != LS_TIMELINE_MARK_EXCEPTION))
        {
          last->kind = kind;
          last->text = text;
        }
      return;
    }
  m.x = x;
  m.y = mark_y (l);
  m.size = mark_size (l);
  if (kind == LS_TIMELINE_MARK_RESULT || kind == LS_TIMELINE_MARK_EXCEPTION)
    {
      /* After the task's last step, on the bar's line: the lane is empty
       * from there on, and the top band stays free for printed text. */
      m.y = lane_mid (l);
      m.x = x + m.size / 2 + 2;
      for (guint i = 0; i < f->badges->len; i++)
        {
          const LsTimelineBadge *b = &g_array_index (f->badges, LsTimelineBadge, i);
          if (b->task == l->task && b->seq == seq && b->kind != LS_TIMELINE_BADGE_MEMBER
              && b->kind != LS_TIMELINE_BADGE_PENDING)
            m.x = MAX (m.x, b->x + 16 + m.size / 2);
        }
    }
  else if (kind == LS_TIMELINE_MARK_TIMEOUT)
    m.y = f->ruler.y + f->ruler.h - m.size / 2 - 1;
  m.task = l->task;
  m.seq = seq;
  m.count = 1;
  m.text = text;
  m.kind = kind;
  m.stderr_ = is_stderr;
  g_array_append_val (f->marks, m);
}

static void
layout_marks (LsTimelineFrame *f, const LsTimelineLane *l)
{
  const LsTimeline *tl = f->tl;
  const LsTraceMark *marks = ls_trace_model_get_marks (tl->model, NULL);
  guint lo = tl->mark_start[l->task], hi = tl->mark_start[l->task + 1];
  guint row_first = f->marks->len;
  double left = f->plot.x, right = f->plot.x + f->plot.w;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (pos_x (f, marks[tl->mark_index[mid]].seq, -1) < left)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < tl->mark_start[l->task + 1]; i++)
    {
      const LsTraceMark *m = &marks[tl->mark_index[i]];
      double x = pos_x (f, m->seq, -1);
      LsTimelineMarkKind kind;

      if (x > right)
        break;
      switch (m->kind)
        {
        case LS_TRACE_MARK_OUTPUT: kind = LS_TIMELINE_MARK_OUTPUT; break;
        case LS_TRACE_MARK_RESULT: kind = LS_TIMELINE_MARK_RESULT; break;
        case LS_TRACE_MARK_EXCEPTION: kind = LS_TIMELINE_MARK_EXCEPTION; break;
        case LS_TRACE_MARK_CANCELLED: kind = LS_TIMELINE_MARK_CANCELLED; break;
        default: kind = LS_TIMELINE_MARK_WARNING; break;
        }
      add_mark (f, l, row_first, kind, x, m->seq, m->text, m->stderr_);
    }
}

/* Free room right of each mark of a lane, for its text. */
static void
measure_text_room (LsTimelineFrame *f, guint row_first)
{
  double right = f->plot.x + f->plot.w;

  for (guint i = row_first; i < f->marks->len; i++)
    {
      LsTimelineMark *m = &g_array_index (f->marks, LsTimelineMark, i);
      double next = right;

      for (guint k = i + 1; k < f->marks->len; k++)
        {
          const LsTimelineMark *n = &g_array_index (f->marks, LsTimelineMark, k);
          if (n->x > m->x && n->y == m->y)
            {
              next = n->x;
              break;
            }
        }
      m->text_room = f->vp.no_text ? 0 : MAX (next - m->x - m->size - 4, 0);
    }
}

static gboolean
same_arrow (const LsTimelineArrow *a, const LsTimelineArrow *b)
{
  return a->kind == b->kind && a->from_task == b->from_task && fabs (a->x1 - b->x1) < 1.0
         && fabs (a->x0 - b->x0) < 1.0;
}

static void
layout_arrows (LsTimelineFrame *f, const LsTimelineLane *l)
{
  const LsTimeline *tl = f->tl;
  const LsTraceEdge *edges = ls_trace_model_get_edges (tl->model, NULL);
  guint lo = tl->edge_start[l->task], hi = tl->edge_start[l->task + 1];
  guint row_first = f->arrows->len, mark_first = f->marks->len;
  double left = f->plot.x, right = f->plot.x + f->plot.w;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (pos_x (f, edges[tl->edge_index[mid]].to_seq, -1) < left)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < tl->edge_start[l->task + 1]; i++)
    {
      guint ei = tl->edge_index[i];
      const LsTraceEdge *e = &edges[ei];
      const LsTimelineLane *from = row_of_task (f, e->from_task);
      LsTimelineArrow a = { 0 };
      double dir;

      a.x1 = pos_x (f, e->to_seq, -1);
      if (a.x1 > right)
        break;
      a.x0 = pos_x (f, e->from_seq, -1);
      a.from_task = e->from_task;
      a.to_task = e->to_task;
      a.from_seq = e->from_seq;
      a.to_seq = e->to_seq;
      a.edge = ei;
      switch (e->kind)
        {
        case LS_TRACE_EDGE_CREATED:
          a.kind = LS_TIMELINE_ARROW_CREATED;
          break;
        case LS_TRACE_EDGE_WOKEN:
          /* A sleep ending wakes its own task: the dashed line ending says
           * so.  Arrows are for one task waking another. */
          if (e->from_task < 0 || e->from_task == e->to_task)
            continue;
          a.kind = LS_TIMELINE_ARROW_WOKEN;
          break;
        case LS_TRACE_EDGE_CANCELLED:
          a.kind = LS_TIMELINE_ARROW_CANCELLED;
          break;
        case LS_TRACE_EDGE_TIMED_OUT:
          a.kind = LS_TIMELINE_ARROW_TIMEOUT;
          break;
        case LS_TRACE_EDGE_SWITCHED:
          a.kind = LS_TIMELINE_ARROW_SWITCHED;
          break;
        default:
          continue;
        }
      if (a.kind == LS_TIMELINE_ARROW_TIMEOUT || (e->from_task < 0 && !from))
        {
          /* From above the lane: the timeout's clock, or a callback. */
          a.y0 = mark_y (l) + mark_size (l) / 2 + 1;
          if (a.kind == LS_TIMELINE_ARROW_TIMEOUT)
            {
              add_mark (f, l, mark_first, LS_TIMELINE_MARK_TIMEOUT, a.x0, e->from_seq, NULL, FALSE);
              a.y0 = f->ruler.y + f->ruler.h + 1;
            }
          a.y1 = l->bar_y;
        }
      else
        {
          if (!from || from == l)
            continue;   /* its source lane is not in view */
          dir = from->rect.y < l->rect.y ? 1.0 : -1.0;
          a.y0 = lane_mid (from) + dir * from->bar_h / 2;
          a.y1 = lane_mid (l) - dir * l->bar_h / 2;
        }
      if (f->arrows->len > row_first
          && same_arrow (&g_array_index (f->arrows, LsTimelineArrow, f->arrows->len - 1), &a))
        continue;
      g_array_append_val (f->arrows, a);
    }
}

static void
add_badge (LsTimelineFrame *f, LsTimelineBadgeKind kind, double x, double y, int awaitable,
           int task, guint32 seq, const char *text)
{
  LsTimelineBadge b = { 0 };

  b.kind = kind;
  b.x = x;
  b.y = y;
  b.awaitable = awaitable;
  b.task = task;
  b.seq = seq;
  g_strlcpy (b.text, text ? text : "", sizeof b.text);
  g_array_append_val (f->badges, b);
}

static void
layout_groups (LsTimelineFrame *f)
{
  const LsTimeline *tl = f->tl;
  const LsTraceAwaitable *aw = ls_trace_model_get_awaitables (tl->model, NULL);
  double left = f->plot.x, right = f->plot.x + f->plot.w;
  int first = (int) f->vp.first_lane, last = first + (int) f->n_rows - 1;

  for (guint g = 0; g < tl->groups->len; g++)
    {
      guint ai = g_array_index (tl->groups, guint, g);
      const LsTraceAwaitable *a = &aw[ai];
      int lo = g_array_index (tl->group_lanes, int, 2 * g);
      int hi = g_array_index (tl->group_lanes, int, 2 * g + 1);
      LsTimelineBracket br = { 0 };
      const LsTraceMember *m;
      guint nm;
      char text[12];

      br.x0 = pos_x (f, a->created_seq, -1);
      br.x1 = a->done_seq ? pos_x (f, a->done_seq, -1) : u_to_x (f, ls_timeline_get_u_end (tl));
      if (br.x1 < left || br.x0 > right || hi < first || lo > last || f->n_rows == 0)
        continue;
      br.open_visible = br.x0 >= left;
      br.close_visible = a->done_seq && br.x1 <= right;
      br.x0 = MAX (br.x0, left);
      br.x1 = MIN (br.x1, right);
      br.y0 = lo >= first ? g_array_index (f->lanes, LsTimelineLane, lo - first).bar_y - 3 : f->plot.y;
      br.y1 = hi <= last ? g_array_index (f->lanes, LsTimelineLane, hi - first).bar_y
                             + g_array_index (f->lanes, LsTimelineLane, hi - first).bar_h + 3
                         : f->plot.y + f->plot.h;
      br.awaitable = (int) ai;
      br.creator = a->creator;
      br.label = a->kind;
      br.n_members = a->n_members;
      br.kind = group_kind (a->kind);
      {
        /* The label goes where the creator starts awaiting the group, in
         * its lane's top band; above the bracket when that lane is not shown. */
        const LsTimelineLane *cl = row_of_task (f, a->creator);
        br.label_x = br.x0 + 4;
        br.label_y = cl ? mark_y (cl) : br.y0 - 6;
      }
      g_array_append_val (f->brackets, br);

      m = ls_trace_model_get_group_members (tl->model, ai, &nm);
      for (guint k = 0; k < nm; k++)
        {
          const LsTimelineLane *l = row_of_task (f, m[k].task);
          double y, xd;
          gboolean pending_at_return;

          if (!l)
            continue;
          y = lane_mid (l);
          if (br.open_visible)
            add_badge (f, LS_TIMELINE_BADGE_MEMBER, br.x0, y, (int) ai, m[k].task, a->created_seq, NULL);
          xd = m[k].done_seq ? pos_x (f, m[k].done_seq, -1) : -1;
          pending_at_return = a->done_seq && (!m[k].done_seq || m[k].done_seq > a->done_seq);
          switch (br.kind)
            {
            case LS_TIMELINE_GROUP_AS_COMPLETED:
              if (m[k].done_rank && xd >= left && xd <= right)
                {
                  g_snprintf (text, sizeof text, "#%u", m[k].done_rank);
                  add_badge (f, LS_TIMELINE_BADGE_ORDER, xd + 9, y, (int) ai, m[k].task,
                             m[k].done_seq, text);
                }
              break;
            case LS_TIMELINE_GROUP_WAIT:
              if (m[k].done_rank == 1 && !pending_at_return && xd >= left && xd <= right)
                add_badge (f, LS_TIMELINE_BADGE_FIRST, xd + 11, y, (int) ai, m[k].task,
                           m[k].done_seq, "1st");
              if (pending_at_return && br.close_visible)
                add_badge (f, LS_TIMELINE_BADGE_PENDING, br.x1, y, (int) ai, m[k].task,
                           a->done_seq, "pending");
              break;
            default:
              break;
            }
        }
    }
}

/* A tick label for t seconds, with no more decimals than step needs. */
static void
format_time (char *buf, gsize size, double t, double step)
{
  int decimals = step >= 1 ? 0 : (int) CLAMP (ceil (-log10 (step) - 1e-9), 0, 6);

  if (step <= 0)
    {
      g_snprintf (buf, size, _("%g s"), t);
      return;
    }
  g_snprintf (buf, size, "%.*f s", decimals, t);
}

static void
layout_ticks (LsTimelineFrame *f)
{
  const LsTimeline *tl = f->tl;
  double left = f->plot.x, right = f->plot.x + f->plot.w;

  if (tl->n_events == 0)
    return;
  if (tl->axis == LS_TIMELINE_AXIS_TIME)
    {
      double raw = LABEL_MIN_GAP * 1.4 / f->scale, mag, step, t;
      if (!(raw > 0) || !isfinite (raw))
        return;
      mag = pow (10, floor (log10 (raw)));
      step = raw <= mag ? mag : raw <= 2 * mag ? 2 * mag : raw <= 5 * mag ? 5 * mag : 10 * mag;
      t = ceil ((f->u_from - PLOT_PAD / f->scale) / step) * step;
      for (int guard = 0; guard < 1000; guard++, t += step)
        {
          LsTimelineTick tick = { 0 };
          tick.x = u_to_x (f, t);
          if (tick.x > right)
            break;
          if (tick.x < left || t < 0)
            continue;
          tick.time = fabs (t) < step * 1e-6 ? 0.0 : t;
          format_time (tick.label, sizeof tick.label, tick.time, step);
          g_array_append_val (f->ticks, tick);
        }
      return;
    }

  /* Switch and hybrid: a tick wherever virtual time changes, labelled
   * where there is room; instants closer than a few pixels share a tick. */
  {
    const guint32 *inst = (const guint32 *) (gpointer) tl->instants->data;
    guint n = tl->instants->len, i = 0, lo, hi;
    double last_label = -G_MAXDOUBLE, u_min = f->u_from - PLOT_PAD / f->scale;

    lo = 0, hi = n;
    while (lo < hi)
      {
        guint mid = lo + (hi - lo) / 2;
        if (tl->u[inst[mid]] < u_min)
          lo = mid + 1;
        else
          hi = mid;
      }
    i = lo;
    while (i < n)
      {
        LsTimelineTick tick = { 0 };
        double u_next;

        tick.x = u_to_x (f, tl->u[inst[i]]);
        if (tick.x > right)
          break;
        tick.seq = inst[i];
        tick.time = tl->events[inst[i] - 1].time;
        if (tick.x - last_label >= LABEL_MIN_GAP)
          {
            format_time (tick.label, sizeof tick.label, tick.time, 0);
            last_label = tick.x;
          }
        if (tick.x >= left)
          g_array_append_val (f->ticks, tick);
        /* Skip to the first instant at least TICK_MIN_GAP further right. */
        u_next = tl->u[inst[i]] + TICK_MIN_GAP / f->scale;
        lo = i + 1, hi = n;
        while (lo < hi)
          {
            guint mid = lo + (hi - lo) / 2;
            if (tl->u[inst[mid]] < u_next)
              lo = mid + 1;
            else
              hi = mid;
          }
        i = lo;
      }
  }
}

void
ls_timeline_frame_update (LsTimelineFrame *f, const LsTimeline *tl, const LsTimelineViewport *vp)
{
  double u_end;

  g_return_if_fail (f != NULL && tl != NULL && vp != NULL);
  f->tl = tl;
  f->vp = *vp;
  f->vp.width = MAX (vp->width, 40);
  f->vp.height = MAX (vp->height, 40);
  g_array_set_size (f->lanes, 0);
  g_array_set_size (f->segments, 0);
  g_array_set_size (f->bands, 0);
  g_array_set_size (f->arrows, 0);
  g_array_set_size (f->brackets, 0);
  g_array_set_size (f->badges, 0);
  g_array_set_size (f->marks, 0);
  g_array_set_size (f->ticks, 0);
  g_array_set_size (f->entries, 0);
  f->has_summary = FALSE;
  f->summary[0] = '\0';
  f->playhead_x = -1;

  layout_geometry (f);
  u_end = ls_timeline_get_u_end (tl);
  f->u_from = vp->u_from;
  f->u_to = vp->u_to;
  if (!(f->u_to > f->u_from))
    {
      f->u_from = 0;
      f->u_to = u_end > 0 ? u_end : 1.0;
    }
  /* More air on the right: the last step's printed text and result go there. */
  f->scale = MAX (f->plot.w - PLOT_PAD - MAX (PLOT_PAD, f->plot.w * 0.07), 1) / (f->u_to - f->u_from);

  layout_lanes (f);
  layout_bands (f);
  for (guint r = 0; r < f->n_rows; r++)
    layout_segments (f, &g_array_index (f->lanes, LsTimelineLane, r));
  layout_groups (f);
  for (guint r = 0; r < f->n_rows; r++)
    {
      LsTimelineLane *l = &g_array_index (f->lanes, LsTimelineLane, r);
      guint mark_first = f->marks->len;

      layout_arrows (f, l);
      layout_marks (f, l);
      /* Timeout clocks were added before the lane's own marks: put the
       * lane's marks in x order again (a handful; insertion sort). */
      for (guint i = mark_first + 1; i < f->marks->len; i++)
        {
          LsTimelineMark v = g_array_index (f->marks, LsTimelineMark, i);
          guint k = i;
          while (k > mark_first && g_array_index (f->marks, LsTimelineMark, k - 1).x > v.x)
            {
              g_array_index (f->marks, LsTimelineMark, k) = g_array_index (f->marks, LsTimelineMark, k - 1);
              k--;
            }
          g_array_index (f->marks, LsTimelineMark, k) = v;
        }
      measure_text_room (f, mark_first);
    }
  layout_ticks (f);
  if (vp->highlight_step >= 0)
    {
      guint n_steps;
      const LsTraceStep *steps = ls_trace_model_get_steps (tl->model, &n_steps);
      if ((guint) vp->highlight_step < n_steps)
        {
          LsTimelineLane *l = (LsTimelineLane *) row_of_task (f, (int) steps[vp->highlight_step].task);
          if (l)
            l->highlighted = TRUE;
        }
    }
  if (vp->playhead_seq)
    {
      double x = pos_x (f, vp->playhead_seq, -1);
      if (x >= f->plot.x && x <= f->plot.x + f->plot.w)
        f->playhead_x = x;
    }
}

/* ---- reading a frame ------------------------------------------------------ */

const LsTimelineViewport *
ls_timeline_frame_get_viewport (const LsTimelineFrame *f)
{
  return &f->vp;
}

const LsTimeline *
ls_timeline_frame_get_timeline (const LsTimelineFrame *f)
{
  return f->tl;
}

LsTimelineRect
ls_timeline_frame_get_plot (const LsTimelineFrame *f)
{
  return f->plot;
}

LsTimelineRect
ls_timeline_frame_get_ruler (const LsTimelineFrame *f)
{
  return f->ruler;
}

LsTimelineRect
ls_timeline_frame_get_legend (const LsTimelineFrame *f)
{
  return f->legend;
}

#define GETTER(name, Type, array) \
  const Type * \
  ls_timeline_frame_get_##name (const LsTimelineFrame *f, guint *n) \
  { \
    if (n) \
      *n = f->array->len; \
    return (const Type *) (gpointer) f->array->data; \
  }

GETTER (lanes, LsTimelineLane, lanes)
GETTER (segments, LsTimelineSegment, segments)
GETTER (bands, LsTimelineBand, bands)
GETTER (arrows, LsTimelineArrow, arrows)
GETTER (brackets, LsTimelineBracket, brackets)
GETTER (badges, LsTimelineBadge, badges)
GETTER (marks, LsTimelineMark, marks)
GETTER (ticks, LsTimelineTick, ticks)
GETTER (legend_entries, LsTimelineLegendEntry, entries)

#undef GETTER

const char *
ls_timeline_frame_get_summary (const LsTimelineFrame *f, LsTimelineRect *rect)
{
  if (!f->has_summary)
    return NULL;
  if (rect)
    *rect = f->summary_rect;
  return f->summary;
}

double
ls_timeline_frame_get_playhead_x (const LsTimelineFrame *f)
{
  return f->playhead_x;
}

/* Distance from (x, y) to the segment (x0, y0) - (x1, y1). */
static double
distance_to_line (double x, double y, double x0, double y0, double x1, double y1)
{
  double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy, t;

  t = len2 > 0 ? CLAMP (((x - x0) * dx + (y - y0) * dy) / len2, 0.0, 1.0) : 0.0;
  return hypot (x - (x0 + t * dx), y - (y0 + t * dy));
}

LsTimelineHit
ls_timeline_frame_hit_test (const LsTimelineFrame *f, double x, double y)
{
  LsTimelineHit hit = { LS_TIMELINE_HIT_NONE, 0, -1, 0, -1 };
  const LsTimelineLane *lane = NULL;
  guint row;

  g_return_val_if_fail (f != NULL && f->tl != NULL, hit);
  for (guint i = 0; i < f->marks->len; i++)
    {
      const LsTimelineMark *m = &g_array_index (f->marks, LsTimelineMark, i);
      if (fabs (x - m->x) <= m->size / 2 + 2 && fabs (y - m->y) <= m->size / 2 + 2)
        return (LsTimelineHit) { LS_TIMELINE_HIT_MARK, i, m->task, m->seq, -1 };
    }
  for (guint i = 0; i < f->badges->len; i++)
    {
      const LsTimelineBadge *b = &g_array_index (f->badges, LsTimelineBadge, i);
      if (b->kind != LS_TIMELINE_BADGE_MEMBER && fabs (x - b->x) <= 9 && fabs (y - b->y) <= 7)
        return (LsTimelineHit) { LS_TIMELINE_HIT_BADGE, i, b->task, b->seq, b->awaitable };
    }
  for (guint i = 0; i < f->arrows->len; i++)
    {
      const LsTimelineArrow *a = &g_array_index (f->arrows, LsTimelineArrow, i);
      if (distance_to_line (x, y, a->x0, a->y0, a->x1, a->y1) <= 3)
        return (LsTimelineHit) { LS_TIMELINE_HIT_ARROW, i, a->to_task, a->to_seq, -1 };
    }
  for (guint i = 0; i < f->brackets->len; i++)
    {
      const LsTimelineBracket *b = &g_array_index (f->brackets, LsTimelineBracket, i);
      if (y >= b->y0 && y <= b->y1
          && ((b->open_visible && fabs (x - b->x0) <= 3) || (b->close_visible && fabs (x - b->x1) <= 3)))
        return (LsTimelineHit) { LS_TIMELINE_HIT_BRACKET, i, b->creator,
                                 ls_trace_model_get_awaitables (f->tl->model, NULL)[b->awaitable].created_seq,
                                 b->awaitable };
    }
  if (y < f->plot.y || y >= f->plot.y + f->plot.h || f->lane_h <= 0)
    return hit;
  row = (guint) ((y - f->plot.y) / f->lane_h);
  if (row >= f->lanes->len)
    return hit;
  lane = &g_array_index (f->lanes, LsTimelineLane, row);
  if (x >= f->plot.x && lane->n_segments)
    {
      const LsTimelineSegment *s = &g_array_index (f->segments, LsTimelineSegment, lane->first_segment);
      guint lo = 0, hi = lane->n_segments;
      while (lo < hi)   /* the first segment ending at or right of x - 1 */
        {
          guint mid = lo + (hi - lo) / 2;
          if (s[mid].x1 < x - 1)
            lo = mid + 1;
          else
            hi = mid;
        }
      /* A minimum-width step may overlap the next stretch: prefer it. */
      for (guint k = lo; k < lane->n_segments && s[k].x0 <= x + 1; k++)
        if (y >= s[k].y - 3 && y <= s[k].y + s[k].h + 3)
          return (LsTimelineHit) { LS_TIMELINE_HIT_SEGMENT, lane->first_segment + k, s[k].task,
                                   s[k].from_seq, s[k].awaitable };
    }
  for (guint i = 0; i < f->bands->len; i++)
    {
      const LsTimelineBand *b = &g_array_index (f->bands, LsTimelineBand, i);
      if (x >= b->x0 && x <= b->x1)
        return (LsTimelineHit) { LS_TIMELINE_HIT_BAND, i, b->task, b->seq, -1 };
    }
  return (LsTimelineHit) { LS_TIMELINE_HIT_LANE, row, lane->task, 0, -1 };
}

char *
ls_timeline_output_until (const LsTraceModel *model, guint32 seq)
{
  guint n;
  const LsTraceMark *marks = ls_trace_model_get_marks (model, &n);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n && marks[i].seq <= seq; i++)
    if (marks[i].kind == LS_TRACE_MARK_OUTPUT && marks[i].text)
      g_string_append (out, marks[i].text);
  return g_string_free (out, FALSE);
}
