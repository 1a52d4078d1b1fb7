/* ls-timeline-view.c - the timeline widget (see ls-timeline-view.h).
 *
 * The frame (all shapes of the visible part) is recomputed only when the
 * viewport changed (zoom, pan, resize, playhead), before painting or
 * hit-testing, never per event: the layout does the per-trace work once
 * in ls_timeline_new().  Snapshot paints the frame through the shared
 * painter into one Cairo node, so the window and an exported PNG are the
 * same drawing.
 */
#include "ls-timeline-view.h"

#include <glib/gi18n.h>

#include "ls-timeline-painter.h"

/* Never zoom in further than this many axis units across the view. */
#define MIN_SPAN 1e-6
#define ZOOM_STEP 1.25

struct _LsTimelineView {
  GtkWidget parent_instance;

  const LsTraceModel *model;    /* borrowed */
  LsTimeline *timeline;         /* owned, NULL without a model */
  LsTimelineFrame *frame;       /* owned */
  LsTimelineAxis axis;
  char *pattern;
  gboolean show_internal;

  double u_from, u_to;          /* visible range; u_to <= u_from: not yet set */
  guint first_lane;
  guint32 playhead;
  int highlight_step;
  double scale;                 /* presentation: device units per painter unit */
  gboolean dark;
  gboolean frame_dirty;
  int frame_width, frame_height;

  LsTimelineSelection selection;

  /* Dragging: where the range and lane stood when the drag began. */
  double drag_u_from, drag_u_to;
  guint drag_first_lane;
  double pointer_x, pointer_y;

  gint64 last_paint_usec;
  guint paint_count;
};

G_DEFINE_FINAL_TYPE (LsTimelineView, ls_timeline_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SELECTION_CHANGED,
  SIGNAL_SEEK,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
clear_selection (LsTimelineSelection *s)
{
  memset (s, 0, sizeof *s);
  s->kind = LS_TIMELINE_HIT_NONE;
  s->task = s->awaitable = s->step = s->edge = -1;
}

static void
invalidate (LsTimelineView *self)
{
  self->frame_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static double
u_end (LsTimelineView *self)
{
  return self->timeline ? MAX (ls_timeline_get_u_end (self->timeline), MIN_SPAN) : 1.0;
}

/* Keeps the visible range inside the trace (with a little air) and at
 * least MIN_SPAN wide. */
static void
clamp_range (LsTimelineView *self)
{
  double end = u_end (self), span = self->u_to - self->u_from;
  double air = end * 0.05;

  if (span <= 0 || span > end + 2 * air)
    {
      self->u_from = 0;
      self->u_to = end;
      return;
    }
  span = MAX (span, MIN_SPAN);
  if (self->u_from < -air)
    self->u_from = -air;
  if (self->u_from + span > end + air)
    self->u_from = end + air - span;
  self->u_to = self->u_from + span;
}

/* Lays out the frame for the current size and viewport when needed. */
static void
ensure_frame (LsTimelineView *self)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  LsTimelineViewport vp;

  if (!self->timeline || w <= 0 || h <= 0)
    return;
  if (!self->frame_dirty && w == self->frame_width && h == self->frame_height)
    return;
  ls_timeline_viewport_init (&vp, w / self->scale, h / self->scale);
  clamp_range (self);
  vp.u_from = self->u_from;
  vp.u_to = self->u_to;
  vp.first_lane = self->first_lane;
  vp.playhead_seq = self->playhead;
  vp.highlight_step = self->highlight_step;
  ls_timeline_frame_update (self->frame, self->timeline, &vp);
  self->frame_dirty = FALSE;
  self->frame_width = w;
  self->frame_height = h;
}

/* Rebuilds the timeline for the model, axis and filter. */
static void
rebuild_timeline (LsTimelineView *self)
{
  LsTimelineOptions opts = { 0 };

  g_clear_pointer (&self->timeline, ls_timeline_free);
  /* The frame borrows the timeline: a fresh frame forgets the old one. */
  g_clear_pointer (&self->frame, ls_timeline_frame_free);
  self->frame = ls_timeline_frame_new ();
  if (self->model)
    {
      opts.axis = self->axis;
      opts.tasks_pattern = self->pattern && *self->pattern ? self->pattern : NULL;
      opts.show_internal = self->show_internal;
      self->timeline = ls_timeline_new (self->model, &opts);
    }
  self->first_lane = 0;
  invalidate (self);
}

static void
draw_selection (LsTimelineView *self, cairo_t *cr)
{
  const LsTimelineSelection *s = &self->selection;
  guint n;

  if (s->kind == LS_TIMELINE_HIT_SEGMENT)
    {
      const LsTimelineSegment *seg = ls_timeline_frame_get_segments (self->frame, &n);
      for (guint i = 0; i < n; i++)
        if (seg[i].task == s->task && seg[i].from_seq == s->from_seq && seg[i].kind == s->seg_kind)
          {
            cairo_rectangle (cr, seg[i].x0 - 2, seg[i].y - 2, seg[i].x1 - seg[i].x0 + 4, seg[i].h + 4);
            break;
          }
    }
  else if (s->kind == LS_TIMELINE_HIT_MARK)
    {
      const LsTimelineMark *m = ls_timeline_frame_get_marks (self->frame, &n);
      for (guint i = 0; i < n; i++)
        if (m[i].seq == s->seq && m[i].task == s->task)
          {
            cairo_arc (cr, m[i].x, m[i].y, m[i].size / 2 + 4, 0, 2 * G_PI);
            break;
          }
    }
  else if (s->kind == LS_TIMELINE_HIT_ARROW)
    {
      const LsTimelineArrow *a = ls_timeline_frame_get_arrows (self->frame, &n);
      for (guint i = 0; i < n; i++)
        if ((int) a[i].edge == s->edge)
          {
            cairo_move_to (cr, a[i].x0, a[i].y0);
            cairo_line_to (cr, a[i].x1, a[i].y1);
            break;
          }
    }
  else
    return;
  cairo_set_line_width (cr, 2.5);
  if (self->dark)
    cairo_set_source_rgba (cr, 1.0, 0.85, 0.2, 0.95);
  else
    cairo_set_source_rgba (cr, 0.9, 0.45, 0.0, 0.95);
  cairo_stroke (cr);
}

static void
ls_timeline_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  LsTimelineView *self = LS_TIMELINE_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  gint64 start = g_get_monotonic_time ();
  const LsTimelineTheme *theme;
  cairo_t *cr;

  if (w <= 0 || h <= 0 || !self->timeline)
    return;
  ensure_frame (self);
  theme = ls_timeline_theme_get (self->dark ? LS_TIMELINE_THEME_DARK : LS_TIMELINE_THEME_LIGHT);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  cairo_scale (cr, self->scale, self->scale);
  ls_timeline_paint (cr, self->frame, theme, NULL);
  draw_selection (self, cr);
  cairo_destroy (cr);
  self->last_paint_usec = g_get_monotonic_time () - start;
  self->paint_count++;
}

static void
ls_timeline_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  invalidate (LS_TIMELINE_VIEW (widget));
}

static void
ls_timeline_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                          int *minimum, int *natural, int *min_baseline, int *nat_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 320;
}

/* ---- mapping ------------------------------------------------------------- */

/* The axis position under widget x. */
static double
u_at_x (LsTimelineView *self, double x)
{
  const LsTimelineRect plot = ls_timeline_frame_get_plot (self->frame);
  double x0, x1;
  guint n_events;

  ls_trace_model_get_events (self->model, &n_events);
  x /= self->scale;
  x0 = ls_timeline_frame_seq_to_x (self->frame, 0, 0);
  x1 = ls_timeline_frame_seq_to_x (self->frame, n_events + 1, 0);
  if (x1 - x0 < 1e-9)
    return self->u_from + (x - plot.x) / MAX (plot.w, 1) * (self->u_to - self->u_from);
  return (x - x0) / (x1 - x0) * ls_timeline_get_u_end (self->timeline);
}

static void
zoom_at (LsTimelineView *self, double factor, double x)
{
  double u, span, rel;

  if (!self->timeline)
    return;
  ensure_frame (self);
  clamp_range (self);
  u = u_at_x (self, x);
  span = self->u_to - self->u_from;
  rel = span > 0 ? (u - self->u_from) / span : 0.5;
  span = CLAMP (span / factor, MIN_SPAN, u_end (self) * 1.1);
  self->u_from = u - rel * span;
  self->u_to = self->u_from + span;
  invalidate (self);
}

void
ls_timeline_view_zoom (LsTimelineView *self, double factor)
{
  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  g_return_if_fail (factor > 0);
  if (self->playhead && self->timeline)
    {
      /* Zoom around the playhead, where the user is looking. */
      ensure_frame (self);
      double px = ls_timeline_frame_get_playhead_x (self->frame);
      if (px >= 0)
        {
          zoom_at (self, factor, px * self->scale);
          return;
        }
    }
  zoom_at (self, factor, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0);
}

void
ls_timeline_view_zoom_fit (LsTimelineView *self)
{
  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  self->u_from = 0;
  self->u_to = u_end (self);
  invalidate (self);
}

void
ls_timeline_view_pan (LsTimelineView *self, double fraction)
{
  double span;

  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  clamp_range (self);
  span = self->u_to - self->u_from;
  self->u_from += span * fraction;
  self->u_to += span * fraction;
  invalidate (self);
}

void
ls_timeline_view_get_range (LsTimelineView *self, double *u_from, double *u_to)
{
  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  clamp_range (self);
  if (u_from)
    *u_from = self->u_from;
  if (u_to)
    *u_to = self->u_to;
}

void
ls_timeline_view_set_range (LsTimelineView *self, double u_from, double u_to)
{
  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  self->u_from = u_from;
  self->u_to = u_to;
  invalidate (self);
}

static void
scroll_lanes (LsTimelineView *self, int delta)
{
  guint n = 0;
  int first;

  if (!self->timeline)
    return;
  ls_timeline_get_lanes (self->timeline, &n);
  first = (int) self->first_lane + delta;
  first = CLAMP (first, 0, MAX ((int) n - 1, 0));
  if ((guint) first != self->first_lane)
    {
      self->first_lane = (guint) first;
      invalidate (self);
    }
}

/* Whether every lane fits: then vertical scrolling pans the axis. */
static gboolean
lanes_overflow (LsTimelineView *self)
{
  ensure_frame (self);
  return self->timeline && (ls_timeline_frame_get_summary (self->frame, NULL) != NULL
                            || self->first_lane > 0);
}

/* ---- selection and tooltips ---------------------------------------------- */

static LsTimelineSelection
selection_from_hit (LsTimelineView *self, const LsTimelineHit *hit)
{
  LsTimelineSelection s;
  guint n;

  clear_selection (&s);
  s.kind = hit->kind;
  s.task = hit->task;
  s.seq = hit->seq;
  s.from_seq = s.to_seq = hit->seq;
  s.awaitable = hit->awaitable;
  s.count = 1;
  switch (hit->kind)
    {
    case LS_TIMELINE_HIT_SEGMENT:
      {
        const LsTimelineSegment *seg = ls_timeline_frame_get_segments (self->frame, &n) + hit->index;
        s.from_seq = seg->from_seq;
        s.to_seq = seg->to_seq;
        s.step = seg->step;
        s.seg_kind = seg->kind;
        s.count = seg->count;
        if (!s.seq)
          s.seq = seg->from_seq;
        if (s.awaitable < 0)
          s.awaitable = seg->awaitable;
        break;
      }
    case LS_TIMELINE_HIT_MARK:
      {
        const LsTimelineMark *m = ls_timeline_frame_get_marks (self->frame, &n) + hit->index;
        s.mark_kind = m->kind;
        s.count = m->count;
        s.seq = m->seq;
        break;
      }
    case LS_TIMELINE_HIT_ARROW:
      {
        const LsTimelineArrow *a = ls_timeline_frame_get_arrows (self->frame, &n) + hit->index;
        s.edge = (int) a->edge;
        s.from_seq = a->from_seq;
        s.to_seq = a->to_seq;
        if (!s.seq)
          s.seq = a->to_seq;
        break;
      }
    case LS_TIMELINE_HIT_BAND:
      {
        const LsTimelineBand *b = ls_timeline_frame_get_bands (self->frame, &n) + hit->index;
        s.count = b->count;
        s.seq = b->seq;
        break;
      }
    default:
      break;
    }
  return s;
}

static LsTimelineHit
hit_at (LsTimelineView *self, double x, double y)
{
  LsTimelineHit none = { .kind = LS_TIMELINE_HIT_NONE, .task = -1, .awaitable = -1 };

  if (!self->timeline)
    return none;
  ensure_frame (self);
  return ls_timeline_frame_hit_test (self->frame, x / self->scale, y / self->scale);
}

static const char *
seg_state_text (guint8 kind)
{
  switch (kind)
    {
    case LS_TIMELINE_SEG_RUNNING: return _("running");
    case LS_TIMELINE_SEG_READY: return _("ready, waiting for its turn");
    case LS_TIMELINE_SEG_WAITING: return _("waiting");
    case LS_TIMELINE_SEG_BLOCKED: return _("blocking the loop");
    case LS_TIMELINE_SEG_IDLE: return _("idle");
    case LS_TIMELINE_SEG_DENSE: return _("many short stretches");
    default: return "";
    }
}

char *
ls_timeline_view_describe_at (LsTimelineView *self, double x, double y)
{
  LsTimelineHit hit;
  LsTimelineSelection s;
  const LsTraceTask *tasks;
  const LsTraceEvent *ev;
  guint n_tasks, n;
  const char *task_name = NULL;
  GString *out;

  g_return_val_if_fail (LS_IS_TIMELINE_VIEW (self), NULL);
  hit = hit_at (self, x, y);
  if (hit.kind == LS_TIMELINE_HIT_NONE)
    return NULL;
  s = selection_from_hit (self, &hit);
  tasks = ls_trace_model_get_tasks (self->model, &n_tasks);
  if (s.task >= 0 && (guint) s.task < n_tasks)
    task_name = tasks[s.task].name;
  out = g_string_new (NULL);
  switch (hit.kind)
    {
    case LS_TIMELINE_HIT_SEGMENT:
      {
        const LsTimelineSegment *seg = ls_timeline_frame_get_segments (self->frame, &n) + hit.index;
        const LsTraceEvent *a = ls_trace_model_get_event (self->model, MAX (seg->from_seq, 1));
        const LsTraceEvent *b = ls_trace_model_get_event (self->model, MAX (seg->to_seq, 1));
        g_string_append_printf (out, "<b>%s</b> — %s", task_name ? task_name : "?",
                                seg_state_text (seg->kind));
        if (seg->kind == LS_TIMELINE_SEG_WAITING && seg->await_kind)
          g_string_append_printf (out, _(" on %s"), seg->await_kind);
        if (seg->kind == LS_TIMELINE_SEG_DENSE)
          g_string_append_printf (out, _(" (%u, %.0f%% running)"), seg->count, seg->density * 100.0);
        if (a && b)
          g_string_append_printf (out, _("\nt = %.6g s … %.6g s\nevents #%u … #%u"),
                                  a->time, b->time, seg->from_seq, seg->to_seq);
        break;
      }
    case LS_TIMELINE_HIT_MARK:
      {
        const LsTimelineMark *m = ls_timeline_frame_get_marks (self->frame, &n) + hit.index;
        static const char *const kinds[] = { N_("printed"), N_("returned"), N_("raised"),
                                             N_("cancelled"), N_("warning"), N_("timeout") };
        g_autofree char *text = m->text ? g_markup_escape_text (m->text, -1) : NULL;
        g_string_append_printf (out, "<b>%s</b> — %s", task_name ? task_name : _("the loop"),
                                _(kinds[MIN (m->kind, G_N_ELEMENTS (kinds) - 1)]));
        if (m->count > 1)
          g_string_append_printf (out, _(" (%u marks)"), m->count);
        if (text)
          {
            g_strchomp (text);
            g_string_append_printf (out, "\n<tt>%s</tt>", text);
          }
        ev = ls_trace_model_get_event (self->model, m->seq);
        if (ev)
          g_string_append_printf (out, _("\nt = %.6g s, event #%u"), ev->time, m->seq);
        break;
      }
    case LS_TIMELINE_HIT_ARROW:
      {
        const LsTimelineArrow *a = ls_timeline_frame_get_arrows (self->frame, &n) + hit.index;
        static const char *const kinds[] = { N_("created"), N_("woke"), N_("cancelled"),
                                             N_("timed out") };
        const char *from = a->from_task >= 0 && (guint) a->from_task < n_tasks
                           ? tasks[a->from_task].name : _("a timer");
        const char *to = a->to_task >= 0 && (guint) a->to_task < n_tasks ? tasks[a->to_task].name : "?";
        g_string_append_printf (out, _("<b>%s</b> %s <b>%s</b>"), from,
                                _(kinds[MIN (a->kind, G_N_ELEMENTS (kinds) - 1)]), to);
        ev = ls_trace_model_get_event (self->model, a->to_seq);
        if (ev)
          g_string_append_printf (out, _("\nt = %.6g s, event #%u"), ev->time, a->to_seq);
        break;
      }
    case LS_TIMELINE_HIT_BAND:
      {
        const LsTimelineBand *b = ls_timeline_frame_get_bands (self->frame, &n) + hit.index;
        g_string_append_printf (out, _("<b>The loop is blocked</b> for %.6g s"), b->duration);
        if (b->task >= 0 && (guint) b->task < n_tasks)
          g_string_append_printf (out, _("\nby %s"), tasks[b->task].name);
        break;
      }
    case LS_TIMELINE_HIT_BRACKET:
      {
        const LsTimelineBracket *br = ls_timeline_frame_get_brackets (self->frame, &n) + hit.index;
        g_string_append_printf (out, _("<b>%s</b> of %u"), br->label ? br->label : "group",
                                br->n_members);
        break;
      }
    case LS_TIMELINE_HIT_BADGE:
      {
        const LsTimelineBadge *bd = ls_timeline_frame_get_badges (self->frame, &n) + hit.index;
        g_string_append_printf (out, "<b>%s</b> %s", task_name ? task_name : "", bd->text);
        break;
      }
    case LS_TIMELINE_HIT_LANE:
      if (task_name)
        {
          g_string_append_printf (out, "<b>%s</b>", task_name);
          if (tasks[s.task].coro)
            g_string_append_printf (out, "\n%s", tasks[s.task].coro);
          if (tasks[s.task].result)
            {
              g_autofree char *r = g_markup_escape_text (tasks[s.task].result, -1);
              g_string_append_printf (out, _("\nresult: %s"), r);
            }
        }
      break;
    default:
      break;
    }
  if (out->len == 0)
    return g_string_free (out, TRUE);
  return g_string_free (out, FALSE);
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                  gpointer user_data)
{
  g_autofree char *text = ls_timeline_view_describe_at (LS_TIMELINE_VIEW (widget), x, y);

  if (!text)
    return FALSE;
  gtk_tooltip_set_markup (tooltip, text);
  return TRUE;
}

const LsTimelineSelection *
ls_timeline_view_get_selection (LsTimelineView *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE_VIEW (self), NULL);
  return &self->selection;
}

void
ls_timeline_view_select_event (LsTimelineView *self, guint32 seq, int task)
{
  const LsTraceStep *steps;
  guint n_steps;

  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  clear_selection (&self->selection);
  if (self->model && seq)
    {
      const LsTraceEvent *ev = ls_trace_model_get_event (self->model, seq);
      self->selection.kind = LS_TIMELINE_HIT_SEGMENT;
      self->selection.seq = self->selection.from_seq = self->selection.to_seq = seq;
      self->selection.task = task >= 0 ? task
                             : (ev && ev->task ? ls_trace_model_find_task (self->model, ev->task) : -1);
      self->selection.count = 1;
      steps = ls_trace_model_get_steps (self->model, &n_steps);
      for (guint i = 0; i < n_steps; i++)
        if (steps[i].begin_seq <= seq && seq <= steps[i].end_seq
            && (int) steps[i].task == self->selection.task)
          {
            self->selection.step = (int) i;
            self->selection.from_seq = steps[i].begin_seq;
            self->selection.to_seq = steps[i].end_seq;
            self->selection.seg_kind = LS_TIMELINE_SEG_RUNNING;
            break;
          }
      if (self->selection.step < 0)
        self->selection.kind = self->selection.task >= 0 ? LS_TIMELINE_HIT_LANE
                                                         : LS_TIMELINE_HIT_NONE;
    }
  invalidate (self);
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

/* ---- input ---------------------------------------------------------------- */

static void
on_click_pressed (GtkGestureClick *gesture, int n_press, double x, double y, LsTimelineView *self)
{
  LsTimelineHit hit;
  LsTimelineRect ruler;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (!self->timeline)
    return;
  ensure_frame (self);
  ruler = ls_timeline_frame_get_ruler (self->frame);
  if (y / self->scale >= ruler.y && y / self->scale < ruler.y + ruler.h && x / self->scale >= ruler.x)
    {
      guint32 seq = ls_timeline_frame_x_to_seq (self->frame, x / self->scale, NULL);
      g_signal_emit (self, signals[SIGNAL_SEEK], 0, seq);
      return;
    }
  hit = hit_at (self, x, y);
  self->selection = selection_from_hit (self, &hit);
  invalidate (self);
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, LsTimelineView *self)
{
  clamp_range (self);
  self->drag_u_from = self->u_from;
  self->drag_u_to = self->u_to;
  self->drag_first_lane = self->first_lane;
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, LsTimelineView *self)
{
  LsTimelineRect plot;
  double span = self->drag_u_to - self->drag_u_from, du;
  guint n_lanes = 0;
  const LsTimelineLane *lanes;
  double lane_h = 24;
  int first;

  if (!self->timeline)
    return;
  if (ABS (dx) > 3 || ABS (dy) > 3)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  ensure_frame (self);
  plot = ls_timeline_frame_get_plot (self->frame);
  du = -dx / self->scale / MAX (plot.w, 1) * span;
  self->u_from = self->drag_u_from + du;
  self->u_to = self->drag_u_to + du;
  lanes = ls_timeline_frame_get_lanes (self->frame, &n_lanes);
  if (n_lanes)
    lane_h = lanes[0].rect.h * self->scale;
  first = (int) self->drag_first_lane - (int) (dy / MAX (lane_h, 1));
  if (lanes_overflow (self) || first < (int) self->first_lane)
    {
      ls_timeline_get_lanes (self->timeline, &n_lanes);
      self->first_lane = (guint) CLAMP (first, 0, MAX ((int) n_lanes - 1, 0));
    }
  invalidate (self);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller, double dx, double dy, LsTimelineView *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!self->timeline)
    return FALSE;
  if (mods & GDK_CONTROL_MASK)
    {
      zoom_at (self, dy < 0 ? ZOOM_STEP : 1.0 / ZOOM_STEP, self->pointer_x);
      return TRUE;
    }
  if (mods & GDK_SHIFT_MASK)
    {
      ls_timeline_view_pan (self, (dy + dx) * 0.1);
      return TRUE;
    }
  if (dx != 0)
    ls_timeline_view_pan (self, dx * 0.1);
  if (dy != 0)
    {
      if (lanes_overflow (self))
        scroll_lanes (self, dy > 0 ? 3 : -3);
      else
        ls_timeline_view_pan (self, dy * 0.1);
    }
  return TRUE;
}

static void
on_motion (GtkEventControllerMotion *controller, double x, double y, LsTimelineView *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

/* ---- properties of the view ------------------------------------------------ */

void
ls_timeline_view_set_model (LsTimelineView *self, const LsTraceModel *model)
{
  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  self->model = model;
  self->playhead = 0;
  self->highlight_step = -1;
  clear_selection (&self->selection);
  rebuild_timeline (self);
  ls_timeline_view_zoom_fit (self);
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

const LsTraceModel *
ls_timeline_view_get_model (LsTimelineView *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE_VIEW (self), NULL);
  return self->model;
}

void
ls_timeline_view_set_axis (LsTimelineView *self, LsTimelineAxis axis)
{
  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  if (axis == self->axis)
    return;
  self->axis = axis;
  rebuild_timeline (self);
  ls_timeline_view_zoom_fit (self);
}

LsTimelineAxis
ls_timeline_view_get_axis (LsTimelineView *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE_VIEW (self), LS_TIMELINE_AXIS_HYBRID);
  return self->axis;
}

void
ls_timeline_view_set_filter (LsTimelineView *self, const char *pattern, gboolean show_internal)
{
  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  if (g_strcmp0 (pattern, self->pattern) == 0 && show_internal == self->show_internal)
    return;
  g_free (self->pattern);
  self->pattern = g_strdup (pattern);
  self->show_internal = show_internal;
  /* The axis does not depend on the filter: keep the zoom. */
  {
    double from = self->u_from, to = self->u_to;
    rebuild_timeline (self);
    self->u_from = from;
    self->u_to = to;
  }
}

void
ls_timeline_view_set_playhead (LsTimelineView *self, guint32 seq, int step)
{
  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  if (seq == self->playhead && step == self->highlight_step)
    return;
  self->playhead = seq;
  self->highlight_step = step;
  invalidate (self);
  if (seq)
    ls_timeline_view_reveal (self, seq, -1);
}

guint32
ls_timeline_view_get_playhead (LsTimelineView *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE_VIEW (self), 0);
  return self->playhead;
}

void
ls_timeline_view_reveal (LsTimelineView *self, guint32 seq, int task)
{
  double u, span;
  const int *lanes;
  guint n_lanes = 0;

  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  if (!self->timeline)
    return;
  clamp_range (self);
  u = ls_timeline_seq_to_u (self->timeline, seq, 0);
  span = self->u_to - self->u_from;
  if (u < self->u_from + span * 0.05 || u > self->u_to - span * 0.05)
    {
      self->u_from = u - span * 0.5;
      self->u_to = self->u_from + span;
    }
  if (task >= 0)
    {
      lanes = ls_timeline_get_lanes (self->timeline, &n_lanes);
      for (guint i = 0; i < n_lanes; i++)
        if (lanes[i] == task)
          {
            ensure_frame (self);
            guint shown = 0;
            ls_timeline_frame_get_lanes (self->frame, &shown);
            if (i < self->first_lane || i >= self->first_lane + MAX (shown, 1))
              self->first_lane = i > 2 ? i - 2 : 0;
            break;
          }
    }
  invalidate (self);
}

void
ls_timeline_view_set_scale (LsTimelineView *self, double scale)
{
  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  g_return_if_fail (scale > 0);
  self->scale = scale;
  invalidate (self);
}

void
ls_timeline_view_set_dark (LsTimelineView *self, gboolean dark)
{
  g_return_if_fail (LS_IS_TIMELINE_VIEW (self));
  self->dark = dark;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const int *
ls_timeline_view_get_lanes (LsTimelineView *self, guint *n)
{
  g_return_val_if_fail (LS_IS_TIMELINE_VIEW (self), NULL);
  *n = 0;
  return self->timeline ? ls_timeline_get_lanes (self->timeline, n) : NULL;
}

guint
ls_timeline_view_get_n_lanes (LsTimelineView *self)
{
  guint n = 0;

  g_return_val_if_fail (LS_IS_TIMELINE_VIEW (self), 0);
  if (self->timeline)
    ls_timeline_get_lanes (self->timeline, &n);
  return n;
}

const char *
ls_timeline_view_get_lane_name (LsTimelineView *self, guint i)
{
  guint n = 0, n_tasks;
  const int *lanes;
  const LsTraceTask *tasks;

  g_return_val_if_fail (LS_IS_TIMELINE_VIEW (self), NULL);
  if (!self->timeline)
    return NULL;
  lanes = ls_timeline_get_lanes (self->timeline, &n);
  tasks = ls_trace_model_get_tasks (self->model, &n_tasks);
  return i < n ? tasks[lanes[i]].name : NULL;
}

gint64
ls_timeline_view_get_last_paint_usec (LsTimelineView *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE_VIEW (self), 0);
  return self->last_paint_usec;
}

guint
ls_timeline_view_get_paint_count (LsTimelineView *self)
{
  g_return_val_if_fail (LS_IS_TIMELINE_VIEW (self), 0);
  return self->paint_count;
}

/* ---- life ------------------------------------------------------------------- */

static void
ls_timeline_view_dispose (GObject *object)
{
  LsTimelineView *self = LS_TIMELINE_VIEW (object);

  g_clear_pointer (&self->frame, ls_timeline_frame_free);
  g_clear_pointer (&self->timeline, ls_timeline_free);
  g_clear_pointer (&self->pattern, g_free);
  G_OBJECT_CLASS (ls_timeline_view_parent_class)->dispose (object);
}

static void
ls_timeline_view_class_init (LsTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_timeline_view_dispose;
  widget_class->snapshot = ls_timeline_view_snapshot;
  widget_class->size_allocate = ls_timeline_view_size_allocate;
  widget_class->measure = ls_timeline_view_measure;

  /* The user selected something (or nothing) in the timeline. */
  signals[SIGNAL_SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The user clicked the ruler: move the playhead to event seq. */
  signals[SIGNAL_SEEK] =
    g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ls_timeline_view_init (LsTimelineView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click, *drag;
  GtkEventController *scroll, *motion;

  self->scale = 1.0;
  self->highlight_step = -1;
  self->frame = ls_timeline_frame_new ();
  clear_selection (&self->selection);
  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES
                                            | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (widget, motion);
}

GtkWidget *
ls_timeline_view_new (void)
{
  return g_object_new (LS_TYPE_TIMELINE_VIEW, NULL);
}
