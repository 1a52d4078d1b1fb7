/* test-layout.c - the timeline layout: axes, lanes, stretches, arrows,
 * groups, marks, aggregation, the lanes that do not fit, hit testing.
 *
 * Most traces here are made event by event with the model builder, so
 * each test knows exactly what the grammar must produce; the last tests
 * check the lessons of the bundled scenarios on real recordings. */
#include "trace-test-util.h"
#include "ls-timeline-layout.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static LsTraceModel *
build (const LsEvent *evs, guint n)
{
  LsTraceModelBuilder *b = ls_trace_model_builder_new ();

  ls_trace_model_builder_set_meta (b, "outcome", "finished");
  for (guint i = 0; i < n; i++)
    ls_trace_model_builder_add (b, &evs[i]);
  return ls_trace_model_builder_finish (b);
}

#define T(n) "Task-" #n
/* main (id 1) gathers child A (id 2, sleeps 1 s, prints, returns 42) and
 * child B (id 3, sleeps 2 s, returns 7); the gather (id 10) wakes main. */
static const LsEvent gather_events[] = {
  { .kind = LS_EVENT_TASK_CREATED, .task = 1, .detail = T (1), .extra = "main() running at x.py:9" },
  { .kind = LS_EVENT_STEP_BEGIN, .task = 1 },
  { .kind = LS_EVENT_TASK_CREATED, .task = 2, .other = 1, .detail = T (2), .extra = "child() running at x.py:3" },
  { .kind = LS_EVENT_TASK_CREATED, .task = 3, .other = 1, .detail = T (3), .extra = "child() running at x.py:3" },
  { .kind = LS_EVENT_FUTURE_CREATED, .task = 1, .future = 10, .detail = "gather" },
  { .kind = LS_EVENT_AWAIT_LINK, .task = 1, .future = 10, .other = 2, .value = 0, .detail = "gather" },
  { .kind = LS_EVENT_AWAIT_LINK, .task = 1, .future = 10, .other = 3, .value = 1, .detail = "gather" },
  { .kind = LS_EVENT_STEP_END, .task = 1, .future = 10, .reason = LS_REASON_AWAITING, .detail = "gather" },
  /* 9 */
  { .kind = LS_EVENT_STEP_BEGIN, .task = 2 },
  { .kind = LS_EVENT_FUTURE_CREATED, .task = 2, .future = 11, .detail = "sleep" },
  { .kind = LS_EVENT_TIMER_ADDED, .task = 2, .future = 12, .value = 1.0 },
  { .kind = LS_EVENT_STEP_END, .task = 2, .future = 11, .reason = LS_REASON_AWAITING, .detail = "sleep" },
  /* 13 */
  { .kind = LS_EVENT_STEP_BEGIN, .task = 3 },
  { .kind = LS_EVENT_FUTURE_CREATED, .task = 3, .future = 13, .detail = "sleep" },
  { .kind = LS_EVENT_TIMER_ADDED, .task = 3, .future = 14, .value = 2.0 },
  { .kind = LS_EVENT_STEP_END, .task = 3, .future = 13, .reason = LS_REASON_AWAITING, .detail = "sleep" },
  /* 17: t = 1 */
  { .kind = LS_EVENT_CLOCK_ADVANCED, .time = 1, .value = 1 },
  { .kind = LS_EVENT_TIMER_FIRED, .time = 1, .future = 12 },
  { .kind = LS_EVENT_FUTURE_DONE, .time = 1, .future = 11, .reason = LS_REASON_RESULT, .detail = "sleep" },
  { .kind = LS_EVENT_STEP_BEGIN, .time = 1, .task = 2 },
  { .kind = LS_EVENT_OUTPUT, .time = 1, .task = 2, .detail = "hello\n" },
  { .kind = LS_EVENT_FUTURE_DONE, .time = 1, .task = 2, .future = 2, .reason = LS_REASON_RESULT, .detail = "task" },
  { .kind = LS_EVENT_STEP_END, .time = 1, .task = 2, .reason = LS_REASON_RESULT, .extra = "42" },
  /* 24: t = 2 */
  { .kind = LS_EVENT_CLOCK_ADVANCED, .time = 2, .value = 2 },
  { .kind = LS_EVENT_TIMER_FIRED, .time = 2, .future = 14 },
  { .kind = LS_EVENT_FUTURE_DONE, .time = 2, .future = 13, .reason = LS_REASON_RESULT, .detail = "sleep" },
  { .kind = LS_EVENT_STEP_BEGIN, .time = 2, .task = 3 },
  { .kind = LS_EVENT_FUTURE_DONE, .time = 2, .task = 3, .future = 3, .reason = LS_REASON_RESULT, .detail = "task" },
  { .kind = LS_EVENT_FUTURE_DONE, .time = 2, .task = 3, .future = 10, .reason = LS_REASON_RESULT, .detail = "gather" },
  { .kind = LS_EVENT_STEP_END, .time = 2, .task = 3, .reason = LS_REASON_RESULT, .extra = "7" },
  /* 31 */
  { .kind = LS_EVENT_STEP_BEGIN, .time = 2, .task = 1 },
  { .kind = LS_EVENT_OUTPUT, .time = 2, .task = 1, .detail = "[42, 7]\n" },
  { .kind = LS_EVENT_STEP_END, .time = 2, .task = 1, .reason = LS_REASON_RESULT, .extra = "None" },
};
#define N_GATHER G_N_ELEMENTS (gather_events)

static LsTraceModel *
gather_model (void)
{
  return build (gather_events, N_GATHER);
}

static LsTimeline *
timeline (const LsTraceModel *m, LsTimelineAxis axis)
{
  LsTimelineOptions o = { .axis = axis };
  return ls_timeline_new (m, &o);
}

static LsTimelineFrame *
frame_of (const LsTimeline *tl, double w, double h)
{
  LsTimelineFrame *f = ls_timeline_frame_new ();
  LsTimelineViewport vp;

  ls_timeline_viewport_init (&vp, w, h);
  ls_timeline_frame_update (f, tl, &vp);
  return f;
}

/* The segments of lane (row) r of a frame. */
static const LsTimelineSegment *
lane_segments (const LsTimelineFrame *f, guint r, guint *n)
{
  guint nl, ns;
  const LsTimelineLane *l = ls_timeline_frame_get_lanes (f, &nl);
  const LsTimelineSegment *s = ls_timeline_frame_get_segments (f, &ns);

  g_assert_cmpuint (r, <, nl);
  *n = l[r].n_segments;
  return s + l[r].first_segment;
}

static guint
count_kind (const LsTimelineSegment *s, guint n, LsTimelineSegKind kind)
{
  guint c = 0;
  for (guint i = 0; i < n; i++)
    c += s[i].kind == kind;
  return c;
}

/* ---- axes ------------------------------------------------------------------ */

static void
test_axis_time (void)
{
  g_autoptr (LsTraceModel) m = gather_model ();
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_TIME);

  /* u is the virtual time: every event of an instant at one place. */
  g_assert_cmpfloat (ls_timeline_seq_to_u (tl, 9, 0), ==, 0.0);
  g_assert_cmpfloat (ls_timeline_seq_to_u (tl, 16, 0), ==, 0.0);
  g_assert_cmpfloat (ls_timeline_seq_to_u (tl, 20, 1), ==, 1.0);
  g_assert_cmpfloat (ls_timeline_seq_to_u (tl, 31, 2), ==, 2.0);
  g_assert_cmpfloat (fabs (ls_timeline_time_to_u (tl, 1.5) - 1.5), <, 1e-9);
  g_assert_cmpuint (ls_timeline_u_to_seq (tl, 1.0), ==, 23);   /* the last event at t = 1 */
}

static void
test_axis_switch (void)
{
  g_autoptr (LsTraceModel) m = gather_model ();
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_SWITCH);
  guint n;
  const LsTraceStep *steps = ls_trace_model_get_steps (m, &n);

  g_assert_cmpuint (n, ==, 6);
  /* Every step its own slot: 0.8 wide, one slot apart, whatever the time. */
  for (guint i = 0; i < n; i++)
    {
      double b = ls_timeline_seq_to_u (tl, steps[i].begin_seq, -1);
      double e = ls_timeline_seq_to_u (tl, steps[i].end_seq, -1);
      g_assert_cmpfloat (fabs (e - b - 0.8), <, 1e-9);
      if (i > 0)
        g_assert_cmpfloat (fabs (b - ls_timeline_seq_to_u (tl, steps[i - 1].begin_seq, -1) - 1.0), <, 1e-9);
    }
  /* What the loop does between steps (the clock jumping) takes no room. */
  g_assert_cmpfloat (ls_timeline_seq_to_u (tl, 17, -1), ==, ls_timeline_seq_to_u (tl, 19, -1));
  g_assert_cmpfloat (fabs (ls_timeline_get_u_end (tl) - 6.0), <, 1e-9);
}

static void
test_axis_hybrid (void)
{
  g_autoptr (LsTraceModel) m = gather_model ();
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  double k, gap1, gap2;

  /* Steps of one instant side by side ... */
  g_assert_cmpfloat (ls_timeline_seq_to_u (tl, 13, -1), >, ls_timeline_seq_to_u (tl, 9, -1) + 0.99);
  /* ... and time proportional between instants: t 0 -> 1 and 1 -> 2 take
   * the same room (the last event of an instant to the first of the next). */
  gap1 = ls_timeline_seq_to_u (tl, 17, -1) - ls_timeline_seq_to_u (tl, 16, -1);
  gap2 = ls_timeline_seq_to_u (tl, 24, -1) - ls_timeline_seq_to_u (tl, 23, -1);
  g_assert_cmpfloat (gap1, >, 0);
  k = gap1 - 0.1;     /* less the air after the step */
  g_assert_cmpfloat (fabs (gap2 - 0.1 - k), <, 1e-9);
  /* Time takes 60% of the width: 6 slots of steps, 2 s. */
  g_assert_cmpfloat (fabs (k * 2 - 0.6 * ls_timeline_get_u_end (tl)), <, 1e-9);
  g_assert_cmpint (ls_timeline_axis_from_name ("hybrid"), ==, LS_TIMELINE_AXIS_HYBRID);
  g_assert_cmpint (ls_timeline_axis_from_name ("switch"), ==, LS_TIMELINE_AXIS_SWITCH);
  g_assert_cmpint (ls_timeline_axis_from_name ("nope"), ==, -1);
}

/* ---- lanes and stretches ---------------------------------------------------- */

static void
test_lanes_filter (void)
{
  g_autoptr (LsTraceModel) m = gather_model ();
  g_autoptr (LsTimeline) all = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  LsTimelineOptions o = { .tasks_pattern = "child" };
  g_autoptr (LsTimeline) children = ls_timeline_new (m, &o);
  LsTimelineOptions o2 = { .tasks_pattern = "Task-1" };
  g_autoptr (LsTimeline) one = ls_timeline_new (m, &o2);
  guint n;
  const int *lanes = ls_timeline_get_lanes (all, &n);

  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (lanes[0], ==, 0);
  g_assert_cmpint (lanes[2], ==, 2);
  lanes = ls_timeline_get_lanes (children, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (lanes[0], ==, 1);
  ls_timeline_get_lanes (one, &n);
  g_assert_cmpuint (n, ==, 1);
}

static void
test_segments (void)
{
  g_autoptr (LsTraceModel) m = gather_model ();
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 1000, 400);
  const LsTimelineSegment *s;
  guint n;

  /* main: ready, running, waiting on the gather (solid thin), ready, running. */
  s = lane_segments (f, 0, &n);
  g_assert_cmpuint (count_kind (s, n, LS_TIMELINE_SEG_RUNNING), ==, 2);
  g_assert_cmpuint (count_kind (s, n, LS_TIMELINE_SEG_WAITING), ==, 1);
  for (guint i = 0; i < n; i++)
    if (s[i].kind == LS_TIMELINE_SEG_WAITING)
      {
        g_assert_cmpint (s[i].style, ==, LS_TIMELINE_WAIT_TASK);
        g_assert_cmpstr (s[i].await_kind, ==, "gather");
      }
  /* A: ready (hatched), running, sleeping (dashed), running. */
  s = lane_segments (f, 1, &n);
  g_assert_cmpuint (count_kind (s, n, LS_TIMELINE_SEG_READY), >=, 1);
  g_assert_cmpuint (count_kind (s, n, LS_TIMELINE_SEG_RUNNING), ==, 2);
  for (guint i = 0; i < n; i++)
    {
      if (s[i].kind == LS_TIMELINE_SEG_WAITING)
        g_assert_cmpint (s[i].style, ==, LS_TIMELINE_WAIT_TIMER);
      if (i)
        g_assert_cmpfloat (s[i].x0, >=, s[i - 1].x0);    /* in x order */
      g_assert_cmpfloat (s[i].x1, >, s[i].x0);
    }
  /* The running stretch of A's first step is where its events are. */
  for (guint i = 0; i < n; i++)
    if (s[i].kind == LS_TIMELINE_SEG_RUNNING && s[i].from_seq == 9)
      {
        g_assert_cmpfloat (fabs (s[i].x0 - ls_timeline_frame_seq_to_x (f, 9, -1)), <, 1e-6);
        g_assert_cmpint (s[i].step, ==, 1);
      }
}

static void
test_arrows (void)
{
  g_autoptr (LsTraceModel) m = gather_model ();
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 1000, 400);
  guint n, created = 0, woken = 0;
  const LsTimelineArrow *a = ls_timeline_frame_get_arrows (f, &n);

  for (guint i = 0; i < n; i++)
    {
      if (a[i].kind == LS_TIMELINE_ARROW_CREATED)
        {
          created++;
          g_assert_cmpint (a[i].from_task, ==, 0);
          g_assert_cmpfloat (a[i].x0, ==, a[i].x1);   /* creation is instant: vertical */
          g_assert_cmpfloat (a[i].y1, >, a[i].y0);    /* down to the child */
        }
      if (a[i].kind == LS_TIMELINE_ARROW_WOKEN)
        {
          woken++;
          /* B finished the gather: B -> main; sleeps ending draw no arrow. */
          g_assert_cmpint (a[i].from_task, ==, 2);
          g_assert_cmpint (a[i].to_task, ==, 0);
          g_assert_cmpuint (a[i].to_seq, ==, 31);
          g_assert_cmpfloat (a[i].x1, >=, a[i].x0);
        }
    }
  g_assert_cmpuint (created, ==, 2);
  g_assert_cmpuint (woken, ==, 1);
}

static void
test_brackets_and_marks (void)
{
  g_autoptr (LsTraceModel) m = gather_model ();
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 1000, 400);
  guint n, nl, members = 0, outputs = 0, results = 0;
  const LsTimelineBracket *b = ls_timeline_frame_get_brackets (f, &n);
  const LsTimelineLane *l = ls_timeline_frame_get_lanes (f, &nl);
  const LsTimelineBadge *bd;
  const LsTimelineMark *mk;

  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (b[0].kind, ==, LS_TIMELINE_GROUP_GATHER);
  g_assert_cmpstr (b[0].label, ==, "gather");
  g_assert_true (b[0].open_visible && b[0].close_visible);
  /* Over the children's lanes, not main's; opens before they run. */
  g_assert_cmpfloat (b[0].y0, >, l[0].rect.y + l[0].rect.h - 4);
  g_assert_cmpfloat (b[0].y1, <=, l[2].rect.y + l[2].rect.h);
  g_assert_cmpfloat (b[0].x0, <, ls_timeline_frame_seq_to_x (f, 9, -1));
  g_assert_cmpfloat (fabs (b[0].x1 - ls_timeline_frame_seq_to_x (f, 29, -1)), <, 1e-6);
  bd = ls_timeline_frame_get_badges (f, &n);
  for (guint i = 0; i < n; i++)
    members += bd[i].kind == LS_TIMELINE_BADGE_MEMBER;
  g_assert_cmpuint (members, ==, 2);

  mk = ls_timeline_frame_get_marks (f, &n);
  for (guint i = 0; i < n; i++)
    {
      if (mk[i].kind == LS_TIMELINE_MARK_OUTPUT)
        {
          outputs++;
          if (mk[i].task == 1)
            {
              g_assert_cmpstr (mk[i].text, ==, "hello\n");
              g_assert_cmpuint (mk[i].seq, ==, 21);
              g_assert_cmpfloat (mk[i].text_room, >, 20);
            }
        }
      if (mk[i].kind == LS_TIMELINE_MARK_RESULT)
        {
          results++;
          /* On the bar's line, right of the last step. */
          g_assert_cmpfloat (mk[i].y, >, l[mk[i].task].bar_y);
          if (mk[i].task == 1)
            g_assert_cmpstr (mk[i].text, ==, "42");
        }
    }
  g_assert_cmpuint (outputs, ==, 2);
  g_assert_cmpuint (results, ==, 3);
}

/* main waits for the first of A (done at t 1) and B (t 2) to finish. */
static void
test_wait_badges (void)
{
  LsEvent evs[N_GATHER];
  g_autoptr (LsTraceModel) m = NULL;
  g_autoptr (LsTimeline) tl = NULL;
  g_autoptr (LsTimelineFrame) f = NULL;
  guint n, first = 0, pending = 0;
  const LsTimelineBadge *bd;
  guint k = 0;

  /* The same trace, the group a wait that is done when A finishes. */
  for (guint i = 0; i < N_GATHER; i++)
    {
      LsEvent e = gather_events[i];
      if (e.future == 10 && (e.kind == LS_EVENT_FUTURE_DONE))
        continue;
      if (e.future == 10)
        e.detail = "wait";
      evs[k++] = e;
      if (i == 22)  /* after A's last step: the wait finishes */
        evs[k++] = (LsEvent) { .kind = LS_EVENT_FUTURE_DONE, .time = 1, .task = 2, .future = 10,
                               .reason = LS_REASON_RESULT, .detail = "wait" };
    }
  m = build (evs, k);
  tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  f = frame_of (tl, 1000, 400);
  bd = ls_timeline_frame_get_badges (f, &n);
  for (guint i = 0; i < n; i++)
    {
      if (bd[i].kind == LS_TIMELINE_BADGE_FIRST)
        {
          first++;
          g_assert_cmpint (bd[i].task, ==, 1);
          g_assert_cmpstr (bd[i].text, ==, "1st");
        }
      if (bd[i].kind == LS_TIMELINE_BADGE_PENDING)
        {
          pending++;
          g_assert_cmpint (bd[i].task, ==, 2);
        }
    }
  g_assert_cmpuint (first, ==, 1);
  g_assert_cmpuint (pending, ==, 1);
}

/* ---- blocking, scale ---------------------------------------------------------- */

static void
test_blocked (void)
{
  const LsEvent evs[] = {
    { .kind = LS_EVENT_TASK_CREATED, .task = 1, .detail = "Task-1", .extra = "main() running at x.py:1" },
    { .kind = LS_EVENT_TASK_CREATED, .task = 2, .other = 1, .detail = "Task-2", .extra = "other() running at x.py:5" },
    { .kind = LS_EVENT_STEP_BEGIN, .task = 1 },
    { .kind = LS_EVENT_LOOP_BLOCKED, .task = 1, .value = 3.0, .detail = "time.sleep" },
    { .kind = LS_EVENT_STEP_END, .time = 3, .task = 1, .reason = LS_REASON_RESULT, .extra = "None" },
    { .kind = LS_EVENT_STEP_BEGIN, .time = 3, .task = 2 },
    { .kind = LS_EVENT_STEP_END, .time = 3, .task = 2, .reason = LS_REASON_RESULT, .extra = "None" },
  };
  g_autoptr (LsTraceModel) m = build (evs, G_N_ELEMENTS (evs));
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_TIME);
  g_autoptr (LsTimeline) sw = timeline (m, LS_TIMELINE_AXIS_SWITCH);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 800, 300);
  guint n, ns;
  const LsTimelineBand *b = ls_timeline_frame_get_bands (f, &n);
  const LsTimelineSegment *s;

  /* One band across every lane, three seconds wide on the time axis. */
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat (fabs (b[0].x1 - b[0].x0 - 3 * (ls_timeline_frame_seq_to_x (f, 5, -1)
                                                    - ls_timeline_frame_seq_to_x (f, 4, -1)) / 3), <, 1e-6);
  g_assert_cmpfloat (b[0].duration, ==, 3.0);
  g_assert_cmpint (b[0].task, ==, 0);
  /* The blocker's own lane says it too; the other task only waits its turn. */
  s = lane_segments (f, 0, &ns);
  g_assert_cmpuint (count_kind (s, ns, LS_TIMELINE_SEG_BLOCKED), ==, 1);
  s = lane_segments (f, 1, &ns);
  g_assert_cmpuint (count_kind (s, ns, LS_TIMELINE_SEG_BLOCKED), ==, 0);
  g_assert_cmpuint (count_kind (s, ns, LS_TIMELINE_SEG_READY), ==, 1);
  /* On the switch axis a blocking call takes a slot of its own. */
  g_assert_cmpfloat (ls_timeline_seq_to_u (sw, 4, 3.0) - ls_timeline_seq_to_u (sw, 4, 0), >=, 1.0);
}

/* One task taking `steps` steps of sleep(0), all at t = 0. */
static LsTraceModel *
yielder (guint steps)
{
  LsTraceModelBuilder *b = ls_trace_model_builder_new ();
  LsEvent e = { .kind = LS_EVENT_TASK_CREATED, .task = 1, .detail = "Task-1", .extra = "spin() running at x.py:1" };

  ls_trace_model_builder_set_meta (b, "outcome", "finished");
  ls_trace_model_builder_add (b, &e);
  for (guint i = 0; i < steps; i++)
    {
      e = (LsEvent) { .kind = LS_EVENT_STEP_BEGIN, .task = 1 };
      ls_trace_model_builder_add (b, &e);
      e = (LsEvent) { .kind = LS_EVENT_STEP_END, .task = 1,
                      .reason = i + 1 < steps ? LS_REASON_YIELDED : LS_REASON_RESULT };
      ls_trace_model_builder_add (b, &e);
    }
  return ls_trace_model_builder_finish (b);
}

static void
test_aggregate (void)
{
  g_autoptr (LsTraceModel) m = yielder (20000);
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_SWITCH);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 600, 200);
  LsTimelineRect plot = ls_timeline_frame_get_plot (f);
  LsTimelineViewport vp;
  guint n;
  const LsTimelineSegment *s = lane_segments (f, 0, &n);

  /* 20,000 steps in a few hundred pixels: aggregates, never more shapes
   * than pixel columns. */
  g_assert_cmpuint (n, <=, (guint) plot.w);
  g_assert_cmpuint (count_kind (s, n, LS_TIMELINE_SEG_DENSE), >=, 1);
  for (guint i = 0; i < n; i++)
    if (s[i].kind == LS_TIMELINE_SEG_DENSE)
      {
        g_assert_cmpuint (s[i].count, >, 1);
        g_assert_cmpfloat (s[i].density, >, 0.5);   /* 80% of each slot is the step */
        g_assert_cmpfloat (s[i].density, <=, 1.0);
      }
  /* Zoomed in on ten steps: each step drawn as itself. */
  ls_timeline_viewport_init (&vp, 600, 200);
  vp.u_from = 100;
  vp.u_to = 110;
  ls_timeline_frame_update (f, tl, &vp);
  s = lane_segments (f, 0, &n);
  g_assert_cmpuint (count_kind (s, n, LS_TIMELINE_SEG_DENSE), ==, 0);
  g_assert_cmpuint (count_kind (s, n, LS_TIMELINE_SEG_RUNNING), >=, 10);
  g_assert_cmpuint (count_kind (s, n, LS_TIMELINE_SEG_RUNNING), <=, 14);   /* and the margins */
}

/* A parent that creates `n` children at once. */
static LsTraceModel *
crowd (guint n)
{
  LsTraceModelBuilder *b = ls_trace_model_builder_new ();
  LsEvent e = { .kind = LS_EVENT_TASK_CREATED, .task = 1, .detail = "Task-1", .extra = "main() running at x.py:1" };

  ls_trace_model_builder_set_meta (b, "outcome", "finished");
  ls_trace_model_builder_add (b, &e);
  e = (LsEvent) { .kind = LS_EVENT_STEP_BEGIN, .task = 1 };
  ls_trace_model_builder_add (b, &e);
  for (guint i = 0; i < n; i++)
    {
      char name[32];
      g_snprintf (name, sizeof name, "Task-%u", i + 2);
      e = (LsEvent) { .kind = LS_EVENT_TASK_CREATED, .task = i + 2, .other = 1, .detail = name,
                      .extra = "worker() running at x.py:4" };
      ls_trace_model_builder_add (b, &e);
    }
  e = (LsEvent) { .kind = LS_EVENT_STEP_END, .task = 1, .reason = LS_REASON_RESULT };
  ls_trace_model_builder_add (b, &e);
  return ls_trace_model_builder_finish (b);
}

static void
test_many_lanes (void)
{
  g_autoptr (LsTraceModel) m = crowd (10000);
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 1000, 600);
  LsTimelineViewport vp;
  LsTimelineRect r, plot;
  guint n, nl;
  const char *summary;
  const LsTimelineLane *l = ls_timeline_frame_get_lanes (f, &nl);

  ls_timeline_get_lanes (tl, &n);
  g_assert_cmpuint (n, ==, 10001);
  /* As many lanes as fit at the smallest height, then a summary row. */
  g_assert_cmpuint (nl, >, 10);
  g_assert_cmpuint (nl, <, 40);
  plot = ls_timeline_frame_get_plot (f);
  g_assert_cmpfloat (l[nl - 1].rect.y + l[nl - 1].rect.h, <=, plot.y + plot.h + 1e-9);
  summary = ls_timeline_frame_get_summary (f, &r);
  g_assert_nonnull (summary);
  g_assert_nonnull (strstr (summary, "more tasks below"));
  g_assert_cmpfloat (r.y, >=, plot.y + plot.h - 1e-9);

  /* Scrolled to the end: the last lanes, and what is above says so. */
  ls_timeline_viewport_init (&vp, 1000, 600);
  vp.first_lane = n - 5;
  ls_timeline_frame_update (f, tl, &vp);
  l = ls_timeline_frame_get_lanes (f, &nl);
  g_assert_cmpuint (nl, ==, 5);
  g_assert_cmpstr (l[4].name, ==, "Task-10001");
  g_assert_nonnull (strstr (ls_timeline_frame_get_summary (f, NULL), "above"));
}

static void
test_hit_test (void)
{
  g_autoptr (LsTraceModel) m = gather_model ();
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 1000, 400);
  const LsTimelineSegment *s;
  const LsTimelineMark *mk;
  LsTimelineHit hit;
  guint n;

  s = lane_segments (f, 1, &n);
  for (guint i = 0; i < n; i++)
    if (s[i].kind == LS_TIMELINE_SEG_RUNNING)
      {
        hit = ls_timeline_frame_hit_test (f, (s[i].x0 + s[i].x1) / 2, s[i].y + s[i].h / 2);
        g_assert_cmpint (hit.kind, ==, LS_TIMELINE_HIT_SEGMENT);
        g_assert_cmpint (hit.task, ==, 1);
        g_assert_cmpuint (hit.seq, ==, s[i].from_seq);
        break;
      }
  mk = ls_timeline_frame_get_marks (f, &n);
  hit = ls_timeline_frame_hit_test (f, mk[0].x, mk[0].y);
  g_assert_cmpint (hit.kind, ==, LS_TIMELINE_HIT_MARK);
  g_assert_cmpuint (hit.seq, ==, mk[0].seq);
  /* The gutter: the lane itself. */
  hit = ls_timeline_frame_hit_test (f, 20, s[0].y);
  g_assert_cmpint (hit.kind, ==, LS_TIMELINE_HIT_LANE);
  g_assert_cmpint (hit.task, ==, 1);
  hit = ls_timeline_frame_hit_test (f, 500, 1);
  g_assert_cmpint (hit.kind, ==, LS_TIMELINE_HIT_NONE);
  /* x <-> seq round trip, for the playhead. */
  for (guint32 seq = 1; seq <= N_GATHER; seq++)
    {
      double t, x = ls_timeline_frame_seq_to_x (f, seq, -1);
      guint32 back = ls_timeline_frame_x_to_seq (f, x, &t);
      /* Events at one position: the last of them. */
      g_assert_cmpfloat (ls_timeline_frame_seq_to_x (f, back, -1), ==, x);
      g_assert_cmpuint (back, >=, seq);
      g_assert_cmpfloat (t, ==, gather_events[back - 1].time);
    }
}

static void
test_highlight_and_output (void)
{
  g_autoptr (LsTraceModel) m = gather_model ();
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) f = ls_timeline_frame_new ();
  LsTimelineViewport vp;
  guint n, highlighted = 0;
  const LsTimelineSegment *s;
  const LsTimelineLane *l;
  char *out;

  ls_timeline_viewport_init (&vp, 1000, 400);
  vp.highlight_step = 3;      /* A's second step */
  vp.playhead_seq = 23;
  ls_timeline_frame_update (f, tl, &vp);
  s = ls_timeline_frame_get_segments (f, &n);
  for (guint i = 0; i < n; i++)
    if (s[i].highlighted)
      {
        highlighted++;
        g_assert_cmpint (s[i].task, ==, 1);
        g_assert_cmpuint (s[i].from_seq, ==, 20);
      }
  g_assert_cmpuint (highlighted, ==, 1);
  l = ls_timeline_frame_get_lanes (f, &n);
  g_assert_true (l[1].highlighted && !l[0].highlighted);
  g_assert_cmpfloat (fabs (ls_timeline_frame_get_playhead_x (f) - ls_timeline_frame_seq_to_x (f, 23, -1)), <, 1e-9);
  out = ls_timeline_output_until (m, 23);
  g_assert_cmpstr (out, ==, "hello\n");
  g_free (out);
  out = ls_timeline_output_until (m, 100);
  g_assert_cmpstr (out, ==, "hello\n[42, 7]\n");
  g_free (out);
}

/* ---- the lessons of the bundled scenarios -------------------------------------- */

static char *tmp_dir;

static LsTraceModel *
scenario (const char *name)
{
  char *rel = g_strconcat ("data/scenarios/", name, NULL);
  char *path = ls_test_record (tmp_dir, rel);
  LsTraceModel *m = ls_test_load (path);
  g_free (rel);
  g_free (path);
  return m;
}

/* Three factorials: A, B and C step at t = 0, 1, 2, 3 side by side, in
 * order within each instant, and finish one after another. */
static void
test_scenario_gather (void)
{
  g_autoptr (LsTraceModel) m = scenario ("gather_factorial.py");
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 1400, 300);
  guint n;
  const LsTimelineTick *ticks = ls_timeline_frame_get_ticks (f, &n);
  double tick_x[4] = { -1, -1, -1, -1 };
  double last_x[4][3];

  ls_timeline_get_lanes (tl, &n);
  g_assert_cmpuint (n, ==, 4);      /* main and three factorials; housekeeping hidden */
  for (guint i = 0; i < G_N_ELEMENTS (tick_x); i++)
    for (guint k = 0; k < 3; k++)
      last_x[i][k] = -1;
  ls_timeline_frame_get_ticks (f, &n);
  for (guint i = 0; i < n; i++)
    if (ticks[i].label[0] && ticks[i].time == floor (ticks[i].time) && ticks[i].time < 4)
      tick_x[(int) ticks[i].time] = ticks[i].x;
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat (tick_x[i], >=, 0);
  for (guint lane = 1; lane <= 3; lane++)
    {
      guint ns, steps = 0;
      const LsTimelineSegment *s = lane_segments (f, lane, &ns);
      for (guint i = 0; i < ns; i++)
        if (s[i].kind == LS_TIMELINE_SEG_RUNNING)
          {
            /* The step at instant t lies after t's tick, before t + 1's. */
            double t = ls_trace_model_get_event (m, s[i].from_seq)->time;
            g_assert_cmpfloat (t, ==, (double) steps);
            g_assert_cmpfloat (s[i].x0, >=, tick_x[steps]);
            if (steps < 3)
              g_assert_cmpfloat (s[i].x1, <, tick_x[steps + 1]);
            last_x[steps][lane - 1] = s[i].x0;
            steps++;
          }
      g_assert_cmpuint (steps, ==, lane + 1);   /* A 2 steps, B 3, C 4 */
    }
  /* Within an instant: A, then B, then C. */
  for (guint t = 0; t < 2; t++)
    {
      g_assert_cmpfloat (last_x[t][0], <, last_x[t][1]);
      g_assert_cmpfloat (last_x[t][1], <, last_x[t][2]);
    }
}

/* The lane's running or blocked extent. */
/* The row of the lane of the task named `name`. */
static guint
lane_named (const LsTimelineFrame *f, const char *name)
{
  guint nl;
  const LsTimelineLane *l = ls_timeline_frame_get_lanes (f, &nl);
  const LsTraceTask *tasks = ls_trace_model_get_tasks (ls_timeline_get_model (ls_timeline_frame_get_timeline (f)), NULL);

  for (guint r = 0; r < nl; r++)
    if (g_strcmp0 (tasks[l[r].task].name, name) == 0)
      return r;
  g_error ("no lane named %s", name);
  return 0;
}

static void
busy_span (const LsTimelineFrame *f, guint lane, double *x0, double *x1)
{
  guint n;
  const LsTimelineSegment *s = lane_segments (f, lane, &n);

  *x0 = G_MAXDOUBLE, *x1 = -G_MAXDOUBLE;
  for (guint i = 0; i < n; i++)
    if (s[i].kind == LS_TIMELINE_SEG_BLOCKED
        || (s[i].kind == LS_TIMELINE_SEG_RUNNING && ls_trace_model_get_event
              (ls_timeline_get_model (ls_timeline_frame_get_timeline (f)), s[i].from_seq)->kind
              == LS_EVENT_STEP_BEGIN && s[i].x1 - s[i].x0 > 3.5))
      {
        *x0 = MIN (*x0, s[i].x0);
        *x1 = MAX (*x1, s[i].x1);
      }
}

/* Sequential count-downs: one lane at a time blocks the loop, the lanes'
 * busy stretches never overlap; concurrent: all three overlap in time. */
static void
test_scenario_count_down (void)
{
  g_autoptr (LsTraceModel) seq = scenario ("count_down_sequential.py");
  g_autoptr (LsTraceModel) con = scenario ("count_down_concurrent.py");
  g_autoptr (LsTimeline) tls = timeline (seq, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimeline) tlc = timeline (con, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) fs = frame_of (tls, 1400, 300);
  g_autoptr (LsTimelineFrame) fc = frame_of (tlc, 1400, 300);
  double a0, a1, b0, b1, c0, c1;
  guint n, n_blocked = 0;
  const LsTimelineBand *bands = ls_timeline_frame_get_bands (fs, &n);
  double band_total = 0;

  g_assert_cmpuint (n, >=, 3);
  for (guint i = 0; i < n; i++)
    {
      band_total += bands[i].duration;
      n_blocked += bands[i].count;
    }
  g_assert_cmpuint (n_blocked, ==, 9);
  g_assert_cmpfloat (fabs (band_total - 6.9), <, 1e-9);
  /* The print after asyncio.run gives the main program a lane, on top. */
  g_assert_cmpuint (lane_named (fs, "main program"), ==, 0);
  busy_span (fs, lane_named (fs, "Task-2"), &a0, &a1);
  busy_span (fs, lane_named (fs, "Task-3"), &b0, &b1);
  busy_span (fs, lane_named (fs, "Task-4"), &c0, &c1);
  g_assert_cmpfloat (a1, <=, b0);
  g_assert_cmpfloat (b1, <=, c0);

  ls_timeline_frame_get_bands (fc, &n);
  g_assert_cmpuint (n, ==, 0);
  /* Concurrent: each lane's first wait is under way while the others start. */
  {
    guint ns;
    const LsTimelineSegment *s = lane_segments (fc, lane_named (fc, "Task-2"), &ns);
    double wait_end = -1, wait_start = -1;
    for (guint i = 0; i < ns && wait_end < 0; i++)
      if (s[i].kind == LS_TIMELINE_SEG_WAITING)
        wait_start = s[i].x0, wait_end = s[i].x1;
    busy_span (fc, lane_named (fc, "Task-4"), &c0, &c1);
    g_assert_cmpfloat (wait_start, <, c0);
    g_assert_cmpfloat (wait_end, >, c0);
  }
}

/* wait_for: a timeout's clock on the ruler, an arrow down to the victim. */
static void
test_scenario_timeout (void)
{
  g_autoptr (LsTraceModel) m = scenario ("wait_for_timeout.py");
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 1000, 200);
  guint n, clocks = 0, arrows = 0;
  const LsTimelineMark *mk = ls_timeline_frame_get_marks (f, &n);
  const LsTimelineArrow *a;
  LsTimelineRect ruler = ls_timeline_frame_get_ruler (f);

  for (guint i = 0; i < n; i++)
    if (mk[i].kind == LS_TIMELINE_MARK_TIMEOUT)
      {
        clocks++;
        g_assert_cmpfloat (mk[i].y, <, ruler.y + ruler.h);
      }
  g_assert_cmpuint (clocks, ==, 1);
  a = ls_timeline_frame_get_arrows (f, &n);
  for (guint i = 0; i < n; i++)
    if (a[i].kind == LS_TIMELINE_ARROW_TIMEOUT)
      {
        arrows++;
        g_assert_cmpint (a[i].to_task, ==, 0);
        g_assert_cmpfloat (a[i].y1, >, a[i].y0);
      }
  g_assert_cmpuint (arrows, ==, 1);
}

/* as_completed: order badges #1 .. #4 in the order the downloads finished. */
static void
test_scenario_as_completed (void)
{
  g_autoptr (LsTraceModel) m = scenario ("as_completed.py");
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 1000, 400);
  guint n, seen = 0;
  const LsTimelineBadge *b = ls_timeline_frame_get_badges (f, &n);
  double x_of[5] = { 0 };

  for (guint i = 0; i < n; i++)
    if (b[i].kind == LS_TIMELINE_BADGE_ORDER)
      {
        int rank = atoi (b[i].text + 1);
        g_assert_cmpint (rank, >=, 1);
        g_assert_cmpint (rank, <=, 4);
        x_of[rank] = b[i].x;
        seen++;
      }
  g_assert_cmpuint (seen, ==, 4);
  for (guint r = 2; r <= 4; r++)
    g_assert_cmpfloat (x_of[r], >, x_of[r - 1]);
}

/* A plain script's time.sleep calls: no loop to stall, so each band covers
 * the main program's lane only, and the three calls stay three (1, 2, 3 s). */
static void
test_scenario_sequential_bands (void)
{
  g_autoptr (LsTraceModel) m = scenario ("four_ways_sequential.py");
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 1200, 200);
  guint n, nl;
  const LsTimelineBand *b = ls_timeline_frame_get_bands (f, &n);
  const LsTimelineLane *l = ls_timeline_frame_get_lanes (f, &nl);

  g_assert_cmpuint (n, ==, 3);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (b[i].lane_only);
      g_assert_cmpfloat (b[i].duration, ==, (double) (i + 1));
      g_assert_cmpfloat (b[i].y, ==, l[0].rect.y);
      g_assert_cmpfloat (b[i].h, ==, l[0].rect.h);
      if (i > 0)
        g_assert_cmpfloat (b[i].x0, >=, b[i - 1].x1 - 0.5);
    }
}

/* Greenlets playing ping-pong: every switch is an arrow of its own kind,
 * from the greenlet that switched away to the one switched in, at the same
 * instant, and the legend names it; no switch is drawn as a wakeup. */
static void
test_scenario_greenlet_switches (void)
{
  g_autoptr (LsTraceModel) m = scenario ("greenlet_ping_pong.py");
  g_autoptr (LsTimeline) tl = timeline (m, LS_TIMELINE_AXIS_HYBRID);
  g_autoptr (LsTimelineFrame) f = frame_of (tl, 1000, 400);
  guint n, switched = 0, woken = 0, legend = 0;
  const LsTimelineArrow *a = ls_timeline_frame_get_arrows (f, &n);
  const LsTimelineLegendEntry *e;

  for (guint i = 0; i < n; i++)
    {
      if (a[i].kind == LS_TIMELINE_ARROW_WOKEN)
        woken++;
      if (a[i].kind != LS_TIMELINE_ARROW_SWITCHED)
        continue;
      switched++;
      g_assert_cmpint (a[i].from_task, !=, a[i].to_task);
      g_assert_cmpuint (a[i].from_seq, ==, a[i].to_seq);
    }
  g_assert_cmpuint (switched, >=, 6);
  g_assert_cmpuint (woken, ==, 0);
  e = ls_timeline_frame_get_legend_entries (f, &n);
  for (guint i = 0; i < n; i++)
    if (e[i].kind == LS_TIMELINE_LEGEND_ARROW_SWITCHED)
      legend++;
    else
      g_assert_cmpuint (e[i].kind, !=, LS_TIMELINE_LEGEND_ARROW_WOKEN);
  g_assert_cmpuint (legend, ==, 1);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("ls-test-layout-XXXXXX", NULL);
  g_test_add_func ("/trace/layout/axis/time", test_axis_time);
  g_test_add_func ("/trace/layout/axis/switch", test_axis_switch);
  g_test_add_func ("/trace/layout/axis/hybrid", test_axis_hybrid);
  g_test_add_func ("/trace/layout/lanes/filter", test_lanes_filter);
  g_test_add_func ("/trace/layout/segments", test_segments);
  g_test_add_func ("/trace/layout/arrows", test_arrows);
  g_test_add_func ("/trace/layout/brackets-and-marks", test_brackets_and_marks);
  g_test_add_func ("/trace/layout/wait-badges", test_wait_badges);
  g_test_add_func ("/trace/layout/blocked", test_blocked);
  g_test_add_func ("/trace/layout/aggregate", test_aggregate);
  g_test_add_func ("/trace/layout/many-lanes", test_many_lanes);
  g_test_add_func ("/trace/layout/hit-test", test_hit_test);
  g_test_add_func ("/trace/layout/highlight-and-output", test_highlight_and_output);
  g_test_add_func ("/trace/layout/scenario/gather-factorial", test_scenario_gather);
  g_test_add_func ("/trace/layout/scenario/count-down", test_scenario_count_down);
  g_test_add_func ("/trace/layout/scenario/wait-for-timeout", test_scenario_timeout);
  g_test_add_func ("/trace/layout/scenario/as-completed", test_scenario_as_completed);
  g_test_add_func ("/trace/layout/scenario/greenlet-switches", test_scenario_greenlet_switches);
  g_test_add_func ("/trace/layout/scenario/sequential-bands", test_scenario_sequential_bands);
  rc = g_test_run ();
  {
    /* The recorded traces: remove them and the directory. */
    GDir *d = g_dir_open (tmp_dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      {
        char *p = g_build_filename (tmp_dir, name, NULL);
        g_remove (p);
        g_free (p);
      }
    if (d)
      g_dir_close (d);
    g_rmdir (tmp_dir);
    g_free (tmp_dir);
  }
  return rc;
}
