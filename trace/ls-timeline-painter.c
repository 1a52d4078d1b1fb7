/* ls-timeline-painter.c - a frame's shapes, drawn.
 *
 * The workload that shaped it: a frame of a million-event trace holds a
 * few thousand shapes, and must be painted within a 60 Hz frame together
 * with its layout.  Shapes of one kind go into one Cairo path and are
 * filled or stroked once; text (the slow part) is drawn only where it has
 * room; hatching is drawn as vector lines clipped to the ready stretches,
 * so PDF and SVG stay sharp.
 *
 * What tells the states apart in grey print is shape, not hue: running is
 * a solid bar, ready a hatched one, waiting a thin line whose dashes say
 * what is awaited, a blocking call a bar with a white cross-hatch and a
 * pale hatched band over every lane.
 */
#include "ls-timeline-painter.h"
#include "ls-trace-i18n.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#define FONT_FAMILY "DejaVu Sans, Noto Sans CJK SC, sans-serif"
#define HATCH 6.0

typedef struct {
  cairo_t *cr;
  gboolean raster;              /* an image surface: hatch with a pattern, not lines */
  cairo_pattern_t *hatch_ready; /* raster only: the ready hatching, repeating */
  PangoLayout *layout;
  PangoFontDescription *normal, *bold, *small;
  const LsTimelineTheme *theme;
  GArray *texts;                /* TextSpan: the marks' texts drawn, for labels to avoid */
} Painter;

typedef struct {
  double y, x0, x1;
} TextSpan;

static void
note_text (Painter *p, double y, double x0, double x1)
{
  TextSpan span = { y, x0, x1 };
  g_array_append_val (p->texts, span);
}

/* What drawn on the text row at y crosses [x0, x1] (a mark or its
 * text), the leftmost such; NULL when the stretch is free. */
static const TextSpan *
text_in_the_way (const Painter *p, double y, double x0, double x1)
{
  const TextSpan *first = NULL;

  for (guint i = 0; i < p->texts->len; i++)
    {
      const TextSpan *t = &g_array_index (p->texts, TextSpan, i);
      if (fabs (t->y - y) < 4 && t->x0 < x1 && x0 < t->x1 && (!first || t->x0 < first->x0))
        first = t;
    }
  return first;
}

static void
set_color (cairo_t *cr, const LsTimelineColor *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

static void
set_color_alpha (cairo_t *cr, const LsTimelineColor *c, double alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a * alpha);
}

/* Pango with the resolution at 72 dpi, so that a font size is in device
 * units on every surface, and the simplified-Chinese faces preferred. */
static void
painter_init (Painter *p, cairo_t *cr, const LsTimelineTheme *theme)
{
  PangoContext *ctx;

  p->cr = cr;
  p->theme = theme;
  p->texts = g_array_new (FALSE, FALSE, sizeof (TextSpan));
  p->raster = cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_IMAGE;
  p->hatch_ready = NULL;
  if (p->raster)
    {
      /* Thousands of clipped lines cost tens of milliseconds on an image;
       * a repeating tile costs one fill.  Vector targets keep the lines. */
      cairo_surface_t *tile = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) HATCH, (int) HATCH);
      cairo_t *tc = cairo_create (tile);
      cairo_set_line_width (tc, 1.2);
      set_color (tc, &theme->ready);
      for (int k = -1; k <= 1; k++)
        {
          cairo_move_to (tc, k * HATCH, HATCH);
          cairo_line_to (tc, k * HATCH + HATCH, 0);
        }
      cairo_stroke (tc);
      cairo_destroy (tc);
      p->hatch_ready = cairo_pattern_create_for_surface (tile);
      cairo_pattern_set_extend (p->hatch_ready, CAIRO_EXTEND_REPEAT);
      cairo_surface_destroy (tile);
    }
  p->layout = pango_cairo_create_layout (cr);
  ctx = pango_layout_get_context (p->layout);
  pango_cairo_context_set_resolution (ctx, 72.0);
  pango_context_set_language (ctx, pango_language_from_string ("zh-cn"));
  pango_layout_context_changed (p->layout);
  p->normal = pango_font_description_from_string (FONT_FAMILY " 11");
  p->bold = pango_font_description_from_string (FONT_FAMILY " Bold 11.5");
  p->small = pango_font_description_from_string (FONT_FAMILY " 9.5");
  pango_layout_set_ellipsize (p->layout, PANGO_ELLIPSIZE_END);
}

static void
painter_finish (Painter *p)
{
  g_object_unref (p->layout);
  g_array_unref (p->texts);
  if (p->hatch_ready)
    cairo_pattern_destroy (p->hatch_ready);
  pango_font_description_free (p->normal);
  pango_font_description_free (p->bold);
  pango_font_description_free (p->small);
}

/* Draws one line of text (up to its first newline) with its top-left at
 * (x, y), ellipsized to max_w (<= 0: no limit); returns the width drawn. */
static double
draw_text (Painter *p, const char *text, double x, double y, double max_w,
           const PangoFontDescription *font, const LsTimelineColor *color)
{
  int len, w, h;

  if (!text)
    return 0;
  len = (int) strcspn (text, "\n");
  pango_layout_set_font_description (p->layout, font);
  pango_layout_set_width (p->layout, max_w > 0 ? (int) (max_w * PANGO_SCALE) : -1);
  pango_layout_set_text (p->layout, text, len);
  set_color (p->cr, color);
  cairo_move_to (p->cr, x, y);
  pango_cairo_show_layout (p->cr, p->layout);
  pango_layout_get_pixel_size (p->layout, &w, &h);
  return w;
}

/* The width one line of text (up to its first newline) takes, unclipped. */
static double
text_width (Painter *p, const char *text, const PangoFontDescription *font)
{
  int w, h;

  pango_layout_set_font_description (p->layout, font);
  pango_layout_set_width (p->layout, -1);
  pango_layout_set_text (p->layout, text, (int) strcspn (text, "\n"));
  pango_layout_get_pixel_size (p->layout, &w, &h);
  return w;
}

static double
text_height (Painter *p, const PangoFontDescription *font)
{
  int w, h;

  pango_layout_set_font_description (p->layout, font);
  pango_layout_set_width (p->layout, -1);
  pango_layout_set_text (p->layout, "Ag", -1);
  pango_layout_get_pixel_size (p->layout, &w, &h);
  return h;
}

static const LsTimelineColor *
wait_color (const LsTimelineTheme *t, guint style)
{
  switch (style)
    {
    case LS_TIMELINE_WAIT_TIMER: return &t->wait_timer;
    case LS_TIMELINE_WAIT_TASK: return &t->wait_task;
    case LS_TIMELINE_WAIT_SYNC: return &t->wait_sync;
    default: return &t->wait_other;
    }
}

/* The dashes of a waiting line: what is awaited, readable without colour. */
static void
set_wait_dash (cairo_t *cr, guint style)
{
  static const double timer[] = { 5, 3 };
  static const double sync[] = { 0.1, 3.2 };
  static const double other[] = { 7, 2.5, 0.1, 2.5 };

  cairo_set_line_cap (cr, style == LS_TIMELINE_WAIT_SYNC ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
  switch (style)
    {
    case LS_TIMELINE_WAIT_TIMER: cairo_set_dash (cr, timer, 2, 0); break;
    case LS_TIMELINE_WAIT_SYNC: cairo_set_dash (cr, sync, 2, 0); break;
    case LS_TIMELINE_WAIT_OTHER: cairo_set_dash (cr, other, 4, 0); break;
    default: cairo_set_dash (cr, NULL, 0, 0); break;
    }
}

static double
wait_line_width (guint style)
{
  return style == LS_TIMELINE_WAIT_SYNC ? 2.4 : 1.6;
}

/* Diagonal hatching over the rectangle, anchored to a global grid so that
 * neighbouring stretches line up; adds to the current path. */
static void
hatch_rect (cairo_t *cr, double x, double y, double w, double h, gboolean backwards)
{
  double start = floor ((x - h) / HATCH) * HATCH;

  for (double hx = start; hx < x + w; hx += HATCH)
    {
      if (backwards)
        {
          cairo_move_to (cr, hx, y);
          cairo_line_to (cr, hx + h, y + h);
        }
      else
        {
          cairo_move_to (cr, hx, y + h);
          cairo_line_to (cr, hx + h, y);
        }
    }
}

static void
paint_segments (Painter *p, const LsTimelineFrame *f)
{
  cairo_t *cr = p->cr;
  const LsTimelineTheme *t = p->theme;
  guint n;
  const LsTimelineSegment *s = ls_timeline_frame_get_segments (f, &n);

  /* Waiting lines, one path per style. */
  for (guint style = 0; style <= LS_TIMELINE_WAIT_OTHER; style++)
    {
      gboolean any = FALSE;
      for (guint i = 0; i < n; i++)
        if (s[i].kind == LS_TIMELINE_SEG_WAITING && s[i].style == style)
          {
            double y = s[i].y + s[i].h / 2;
            cairo_move_to (cr, s[i].x0, y);
            cairo_line_to (cr, s[i].x1, y);
            any = TRUE;
          }
      if (!any)
        continue;
      set_wait_dash (cr, style);
      cairo_set_line_width (cr, wait_line_width (style));
      set_color (cr, wait_color (t, style));
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  /* Idle worker threads: a faint thin line. */
  for (guint i = 0; i < n; i++)
    if (s[i].kind == LS_TIMELINE_SEG_IDLE)
      {
        cairo_move_to (cr, s[i].x0, s[i].y + s[i].h / 2);
        cairo_line_to (cr, s[i].x1, s[i].y + s[i].h / 2);
      }
  cairo_set_line_width (cr, 1.0);
  set_color (cr, &t->idle);
  cairo_stroke (cr);

  /* Ready: a pale wash, hatched. */
  for (guint i = 0; i < n; i++)
    if (s[i].kind == LS_TIMELINE_SEG_READY)
      cairo_rectangle (cr, s[i].x0, s[i].y + 1, s[i].x1 - s[i].x0, s[i].h - 2);
  if (p->raster)
    {
      set_color_alpha (cr, &t->ready, 0.14);
      cairo_fill_preserve (cr);
      cairo_set_source (cr, p->hatch_ready);
      cairo_fill (cr);
    }
  else
    {
      cairo_save (cr);
      cairo_clip_preserve (cr);
      set_color_alpha (cr, &t->ready, 0.14);
      cairo_fill (cr);
      for (guint i = 0; i < n; i++)
        if (s[i].kind == LS_TIMELINE_SEG_READY)
          hatch_rect (cr, s[i].x0, s[i].y + 1, s[i].x1 - s[i].x0, s[i].h - 2, FALSE);
      cairo_set_line_width (cr, 1.2);
      set_color (cr, &t->ready);
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  /* Running: solid.  Aggregates: a bar whose height is the running share. */
  for (guint i = 0; i < n; i++)
    if (s[i].kind == LS_TIMELINE_SEG_RUNNING || s[i].kind == LS_TIMELINE_SEG_DENSE)
      {
        double h = s[i].kind == LS_TIMELINE_SEG_DENSE ? s[i].h * (0.3 + 0.7 * s[i].density) : s[i].h;
        double x0 = s[i].x0, x1 = s[i].x1, y = s[i].y + (s[i].h - h) / 2;
        if (p->raster)
          {
            /* Whole pixels: crisp edges, and the rasterizer's fast path. */
            x0 = round (x0);
            x1 = MAX (round (x1), x0 + 1);
            y = round (y);
            h = round (h);
          }
        cairo_rectangle (cr, x0, y, x1 - x0, h);
      }
  set_color (cr, &t->running);
  cairo_fill (cr);
  /* Steps end to end (a worker thread's jobs one after another): a thin
   * gap in the background colour where one ends and the next begins. */
  for (guint i = 1; i < n; i++)
    if (s[i].kind == LS_TIMELINE_SEG_RUNNING && s[i - 1].kind == LS_TIMELINE_SEG_RUNNING
        && s[i].task == s[i - 1].task && fabs (s[i].x0 - s[i - 1].x1) < 0.5
        && s[i].x1 - s[i].x0 > 4 && s[i - 1].x1 - s[i - 1].x0 > 4)
      cairo_rectangle (cr, (p->raster ? round (s[i].x0) : s[i].x0) - 0.75, s[i].y, 1.5, s[i].h);
  set_color (cr, &t->background);
  cairo_fill (cr);

  /* Blocked: the blocker's bar, with a cross-hatch in the background colour. */
  for (guint i = 0; i < n; i++)
    if (s[i].kind == LS_TIMELINE_SEG_BLOCKED)
      cairo_rectangle (cr, s[i].x0, s[i].y - 2, s[i].x1 - s[i].x0, s[i].h + 4);
  cairo_save (cr);
  cairo_clip_preserve (cr);
  set_color (cr, &t->blocked);
  cairo_fill (cr);
  for (guint i = 0; i < n; i++)
    if (s[i].kind == LS_TIMELINE_SEG_BLOCKED)
      {
        hatch_rect (cr, s[i].x0, s[i].y - 2, s[i].x1 - s[i].x0, s[i].h + 4, FALSE);
        hatch_rect (cr, s[i].x0, s[i].y - 2, s[i].x1 - s[i].x0, s[i].h + 4, TRUE);
      }
  cairo_set_line_width (cr, 1.0);
  set_color_alpha (cr, &t->background, 0.7);
  cairo_stroke (cr);
  cairo_restore (cr);

  /* The highlighted step: a thick outline around it. */
  for (guint i = 0; i < n; i++)
    if (s[i].highlighted)
      cairo_rectangle (cr, s[i].x0 - 2.5, s[i].y - 2.5, s[i].x1 - s[i].x0 + 5, s[i].h + 5);
  cairo_set_line_width (cr, 2.5);
  set_color (cr, &t->highlight);
  cairo_stroke (cr);
}

static double
band_y (const LsTimelineBand *b, LsTimelineRect plot)
{
  return b->lane_only ? b->y : plot.y;
}

static double
band_h (const LsTimelineBand *b, LsTimelineRect plot)
{
  return b->lane_only ? b->h : plot.h;
}

static void
paint_bands (Painter *p, const LsTimelineFrame *f, LsTimelineRect plot)
{
  cairo_t *cr = p->cr;
  guint n;
  const LsTimelineBand *b = ls_timeline_frame_get_bands (f, &n);
  char buf[64];

  if (!n)
    return;
  for (guint i = 0; i < n; i++)
    cairo_rectangle (cr, b[i].x0, band_y (&b[i], plot), b[i].x1 - b[i].x0, band_h (&b[i], plot));
  cairo_save (cr);
  cairo_clip_preserve (cr);
  set_color (cr, &p->theme->blocked_band);
  cairo_fill (cr);
  for (guint i = 0; i < n; i++)
    hatch_rect (cr, b[i].x0, band_y (&b[i], plot), b[i].x1 - b[i].x0, band_h (&b[i], plot), TRUE);
  cairo_set_line_width (cr, 0.8);
  set_color_alpha (cr, &p->theme->blocked, 0.35);
  cairo_stroke (cr);
  cairo_restore (cr);
  /* A lane's calls one after another: where one ends and the next begins. */
  for (guint i = 1; i < n; i++)
    if (b[i].lane_only && b[i - 1].lane_only && b[i].task == b[i - 1].task && b[i].x0 - b[i - 1].x1 < 1)
      cairo_rectangle (cr, b[i].x0 - 0.75, band_y (&b[i], plot), 1.5, band_h (&b[i], plot));
  set_color (cr, &p->theme->background);
  cairo_fill (cr);
  for (guint i = 0; i < n; i++)
    {
      double w = b[i].x1 - b[i].x0;
      if (w < 40)
        continue;
      if (b[i].count > 1)
        /* Translators: a band of several blocking calls too close to tell apart. */
        g_snprintf (buf, sizeof buf, ngettext ("%u blocking call, %.3g s", "%u blocking calls, %.3g s", b[i].count),
                    b[i].count, b[i].duration);
      else
        g_snprintf (buf, sizeof buf, _("blocked %.3g s"), b[i].duration);
      draw_text (p, buf, b[i].x0 + 3, band_y (&b[i], plot) + band_h (&b[i], plot) - text_height (p, p->small) - 2,
                 w - 6, p->small, &p->theme->blocked);
    }
}

static void
arrow_head (cairo_t *cr, double x, double y, double from_x, double from_y, double size)
{
  double a = atan2 (y - from_y, x - from_x);

  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x - size * cos (a - 0.45), y - size * sin (a - 0.45));
  cairo_line_to (cr, x - size * cos (a + 0.45), y - size * sin (a + 0.45));
  cairo_close_path (cr);
}

/* The legend's arrow entries follow the arrow kinds, in the same order. */
G_STATIC_ASSERT (LS_TIMELINE_LEGEND_ARROW_SWITCHED - LS_TIMELINE_LEGEND_ARROW_CREATED
                 == LS_TIMELINE_ARROW_SWITCHED - LS_TIMELINE_ARROW_CREATED);

static const LsTimelineColor *
arrow_color (const LsTimelineTheme *t, guint kind)
{
  switch (kind)
    {
    case LS_TIMELINE_ARROW_CREATED: return &t->arrow_created;
    case LS_TIMELINE_ARROW_WOKEN: return &t->arrow_woken;
    case LS_TIMELINE_ARROW_CANCELLED: return &t->arrow_cancelled;
    case LS_TIMELINE_ARROW_TIMEOUT: return &t->arrow_timeout;
    default: return &t->arrow_switched;
    }
}

static void
paint_arrows (Painter *p, const LsTimelineFrame *f)
{
  static const double dashed[] = { 4, 2.5 };
  cairo_t *cr = p->cr;
  const LsTimelineTheme *t = p->theme;
  guint n;
  const LsTimelineArrow *a = ls_timeline_frame_get_arrows (f, &n);

  for (guint kind = 0; kind <= LS_TIMELINE_ARROW_SWITCHED; kind++)
    {
      const LsTimelineColor *c = arrow_color (t, kind);
      gboolean any = FALSE;

      for (guint i = 0; i < n; i++)
        {
          double my;
          if (a[i].kind != kind)
            continue;
          any = TRUE;
          my = (a[i].y0 + a[i].y1) / 2;
          cairo_move_to (cr, a[i].x0, a[i].y0);
          if (fabs (a[i].x1 - a[i].x0) < 1)
            cairo_line_to (cr, a[i].x1, a[i].y1);
          else
            cairo_curve_to (cr, a[i].x0, my, a[i].x1, my, a[i].x1, a[i].y1);
        }
      if (!any)
        continue;
      cairo_set_line_width (cr, kind == LS_TIMELINE_ARROW_CREATED ? 1.0 : 1.6);
      if (kind == LS_TIMELINE_ARROW_CANCELLED || kind == LS_TIMELINE_ARROW_TIMEOUT)
        cairo_set_dash (cr, dashed, 2, 0);
      set_color (cr, c);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      for (guint i = 0; i < n; i++)
        if (a[i].kind == kind)
          {
            /* The head points along the curve's last tangent: vertical. */
            double from_y = a[i].y1 + (a[i].y0 < a[i].y1 ? -1 : 1);
            arrow_head (cr, a[i].x1, a[i].y1, a[i].x1, from_y, kind == LS_TIMELINE_ARROW_CREATED ? 5 : 6.5);
          }
      cairo_fill (cr);
    }
}

static void
paint_brackets (Painter *p, const LsTimelineFrame *f)
{
  cairo_t *cr = p->cr;
  const LsTimelineTheme *t = p->theme;
  guint n;
  const LsTimelineBracket *b = ls_timeline_frame_get_brackets (f, &n);
  const double serif = 5;

  for (guint i = 0; i < n; i++)
    {
      gboolean twice = b[i].kind == LS_TIMELINE_GROUP_TASKGROUP;
      double width = b[i].kind == LS_TIMELINE_GROUP_SHIELD ? 2.8 : 1.3;

      for (int pass = 0; pass < (twice ? 2 : 1); pass++)
        {
          double off = pass * 3.0;
          if (b[i].open_visible)
            {
              cairo_move_to (cr, b[i].x0 - off + serif, b[i].y0 - off);
              cairo_line_to (cr, b[i].x0 - off, b[i].y0 - off);
              cairo_line_to (cr, b[i].x0 - off, b[i].y1 + off);
              cairo_line_to (cr, b[i].x0 - off + serif, b[i].y1 + off);
            }
          if (b[i].close_visible)
            {
              cairo_move_to (cr, b[i].x1 + off - serif, b[i].y0 - off);
              cairo_line_to (cr, b[i].x1 + off, b[i].y0 - off);
              cairo_line_to (cr, b[i].x1 + off, b[i].y1 + off);
              cairo_line_to (cr, b[i].x1 + off - serif, b[i].y1 + off);
            }
        }
      cairo_set_line_width (cr, width);
      set_color (cr, &t->bracket);
      cairo_stroke (cr);
    }
}

/* A group's name ("gather", "wait" ...) on its creator's text row, after
 * the marks' texts: where it would cross one, left of the bracket instead,
 * or not at all. */
static void
paint_bracket_labels (Painter *p, const LsTimelineFrame *f)
{
  guint n;
  const LsTimelineBracket *b = ls_timeline_frame_get_brackets (f, &n);
  double th = text_height (p, p->small);

  for (guint i = 0; i < n; i++)
    {
      double w, x;

      if (!b[i].open_visible || !b[i].label)
        continue;
      w = MIN (text_width (p, b[i].label, p->small), 110);
      x = b[i].label_x;
      if (text_in_the_way (p, b[i].label_y, x, x + w))
        {
          const TextSpan *in_the_way;
          x = b[i].x0 - 6 - w;
          for (int tries = 0; tries < 3 && (in_the_way = text_in_the_way (p, b[i].label_y, x, x + w)); tries++)
            x = in_the_way->x0 - 6 - w;
          if (x < ls_timeline_frame_get_plot (f).x || text_in_the_way (p, b[i].label_y, x, x + w))
            continue;
        }
      draw_text (p, b[i].label, x, b[i].label_y - th / 2, 110, p->small, &p->theme->bracket);
    }
}

static void
pill (cairo_t *cr, double cx, double cy, double w, double h)
{
  double r = h / 2;

  cairo_new_sub_path (cr);
  cairo_arc (cr, cx - w / 2 + r, cy, r, G_PI / 2, 3 * G_PI / 2);
  cairo_arc (cr, cx + w / 2 - r, cy, r, -G_PI / 2, G_PI / 2);
  cairo_close_path (cr);
}

static void
paint_badges (Painter *p, const LsTimelineFrame *f)
{
  static const double dashed[] = { 2, 1.5 };
  cairo_t *cr = p->cr;
  const LsTimelineTheme *t = p->theme;
  guint n;
  const LsTimelineBadge *b = ls_timeline_frame_get_badges (f, &n);
  double th = text_height (p, p->small);

  for (guint i = 0; i < n; i++)
    if (b[i].kind == LS_TIMELINE_BADGE_MEMBER)
      {
        cairo_new_sub_path (cr);
        cairo_arc (cr, b[i].x, b[i].y, 2.6, 0, 2 * G_PI);
      }
  set_color (cr, &t->bracket);
  cairo_fill (cr);

  for (guint i = 0; i < n; i++)
    {
      int tw, tht;
      double w, h = th + 2;

      if (b[i].kind == LS_TIMELINE_BADGE_MEMBER)
        continue;
      pango_layout_set_font_description (p->layout, p->small);
      pango_layout_set_width (p->layout, -1);
      pango_layout_set_text (p->layout, b[i].text, -1);
      pango_layout_get_pixel_size (p->layout, &tw, &tht);
      w = MAX (tw + 8, h);
      /* A pending member's badge sits right of the closing bracket. */
      pill (cr, b[i].x + (b[i].kind == LS_TIMELINE_BADGE_PENDING ? w / 2 + 4 : 0), b[i].y, w, h);
      if (b[i].kind == LS_TIMELINE_BADGE_PENDING)
        {
          set_color (cr, &t->background);
          cairo_fill_preserve (cr);
          cairo_set_dash (cr, dashed, 2, 0);
          cairo_set_line_width (cr, 1.2);
          set_color (cr, &t->badge);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          draw_text (p, b[i].text, b[i].x + 4 + w / 2 - tw / 2.0, b[i].y - tht / 2.0, -1, p->small,
                     &t->badge);
        }
      else
        {
          set_color (cr, &t->badge);
          cairo_fill (cr);
          draw_text (p, b[i].text, b[i].x - tw / 2.0, b[i].y - tht / 2.0, -1, p->small, &t->badge_text);
        }
    }
}

static void
paint_mark_glyph (cairo_t *cr, const LsTimelineTheme *t, const LsTimelineMark *m)
{
  double x = m->x, y = m->y, r = m->size / 2;

  switch (m->kind)
    {
    case LS_TIMELINE_MARK_OUTPUT:
      /* A speech bubble: a rounded box with a tail pointing down at the step. */
      cairo_new_sub_path (cr);
      cairo_rectangle (cr, x - r, y - r * 0.8, 2 * r, 1.5 * r);
      cairo_move_to (cr, x - r * 0.4, y + r * 0.7);
      cairo_line_to (cr, x, y + r * 1.3);
      cairo_line_to (cr, x + r * 0.4, y + r * 0.7);
      cairo_close_path (cr);
      set_color (cr, &t->mark_output);
      cairo_fill (cr);
      break;
    case LS_TIMELINE_MARK_RESULT:
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x + r, y);
      cairo_line_to (cr, x, y + r);
      cairo_line_to (cr, x - r, y);
      cairo_close_path (cr);
      set_color (cr, &t->mark_result);
      cairo_fill (cr);
      break;
    case LS_TIMELINE_MARK_EXCEPTION:
    case LS_TIMELINE_MARK_WARNING:
      cairo_move_to (cr, x, y - r * 1.1);
      cairo_line_to (cr, x + r * 1.1, y + r * 0.9);
      cairo_line_to (cr, x - r * 1.1, y + r * 0.9);
      cairo_close_path (cr);
      set_color (cr, m->kind == LS_TIMELINE_MARK_EXCEPTION ? &t->mark_exception : &t->mark_warning);
      if (m->kind == LS_TIMELINE_MARK_EXCEPTION)
        cairo_fill (cr);
      else
        {
          cairo_set_line_width (cr, 1.4);
          cairo_stroke (cr);
        }
      break;
    case LS_TIMELINE_MARK_CANCELLED:
      cairo_move_to (cr, x - r, y - r);
      cairo_line_to (cr, x + r, y + r);
      cairo_move_to (cr, x + r, y - r);
      cairo_line_to (cr, x - r, y + r);
      cairo_set_line_width (cr, 2.2);
      set_color (cr, &t->mark_cancelled);
      cairo_stroke (cr);
      break;
    case LS_TIMELINE_MARK_TIMEOUT:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r + 0.5, 0, 2 * G_PI);
      set_color (cr, &t->background);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 1.4);
      set_color (cr, &t->arrow_timeout);
      cairo_stroke (cr);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x, y - r * 0.75);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + r * 0.55, y);
      cairo_stroke (cr);
      break;
    default:
      break;
    }
}

/* The text a mark shows beside it (in buf when made up), and its colour;
 * NULL for none. */
static const char *
mark_text (Painter *p, const LsTimelineMark *m, char *buf, gsize size, const LsTimelineColor **color)
{
  const LsTimelineTheme *t = p->theme;
  const char *text = m->text;

  if (m->kind == LS_TIMELINE_MARK_RESULT)
    {
      if (!text || strcmp (text, "None") == 0)
        return NULL;   /* the diamond says it returned; "None" says nothing more */
      g_snprintf (buf, size, "→ %.200s", text);
      text = buf;
      *color = &t->mark_result;
    }
  else if (m->kind == LS_TIMELINE_MARK_EXCEPTION)
    *color = &t->mark_exception;
  else if (m->kind == LS_TIMELINE_MARK_TIMEOUT)
    text = _("timeout");
  if (m->count > 1)
    {
      int len = text ? (int) MIN (strcspn (text, "\n"), 160) : 0;
      char *joined = g_strdup_printf ("%.*s (+%u)", len, text ? text : "", m->count - 1);
      g_strlcpy (buf, joined, size);
      g_free (joined);
      text = buf;
    }
  if (!text || !*text || *text == '\n')
    return NULL;
  /* Tabs would jump to Pango's tab stops: a space reads better in a lane. */
  if (strchr (text, '\t'))
    {
      if (text != buf)
        g_strlcpy (buf, text, size);
      g_strdelimit (buf, "\t", ' ');
      text = buf;
    }
  return text;
}

static void
paint_marks (Painter *p, const LsTimelineFrame *f)
{
  const LsTimelineTheme *t = p->theme;
  guint n;
  const LsTimelineMark *m = ls_timeline_frame_get_marks (f, &n);
  double th = text_height (p, p->small);
  char buf[256];

  gboolean no_text = ls_timeline_frame_get_viewport (f)->no_text;
  /* Along each row of marks, how far right something is drawn already. */
  double row_y = -1, used = 0, last_x = 0;

  for (guint i = 0; i < n; i++)
    {
      const char *text;
      const LsTimelineColor *color = &t->text;
      double glyph_l = m[i].x - m[i].size / 2, glyph_r = m[i].x + m[i].size / 2;
      double w, left_room;

      paint_mark_glyph (p->cr, t, &m[i]);
      note_text (p, m[i].y, glyph_l, glyph_r);
      if (m[i].y != row_y || m[i].x < last_x)
        {
          /* A new row, or marks out of order: nothing known to the left. */
          used = m[i].y != row_y ? ls_timeline_frame_get_plot (f).x : G_MAXDOUBLE;
          row_y = m[i].y;
        }
      last_x = m[i].x;
      text = no_text ? NULL : mark_text (p, &m[i], buf, sizeof buf, &color);
      if (!text)
        {
          used = MAX (used, glyph_r);
          continue;
        }
      /* Right of the mark when the text fits there; else, for a printed
       * line (above the bar: its left is free), left of it, when the
       * stretch since what is drawn before holds it whole (the last line
       * printed near the right edge, two prints close together); else
       * right of it, cut short. */
      left_room = glyph_l - 3 - (used + 6);
      /* Measured only when the left could hold what the right cannot:
       * crowded marks (a whole large run) cost no text layout. */
      w = m[i].kind == LS_TIMELINE_MARK_OUTPUT && left_room >= 18 && left_room > m[i].text_room
            ? text_width (p, text, p->small) : 0;
      if (w > m[i].text_room && w <= left_room)
        {
          draw_text (p, text, glyph_l - 3 - w, m[i].y - th / 2, 0, p->small, color);
          note_text (p, m[i].y, glyph_l - 3 - w, glyph_l - 3);
          used = glyph_r;
        }
      else if (m[i].text_room >= 18)
        {
          used = glyph_r + 3 + draw_text (p, text, glyph_r + 3, m[i].y - th / 2, m[i].text_room, p->small,
                                          color);
          note_text (p, m[i].y, glyph_r + 3, used);
        }
      else
        used = MAX (used, glyph_r);
    }
}

static void
paint_ruler (Painter *p, const LsTimelineFrame *f, LsTimelineRect plot)
{
  cairo_t *cr = p->cr;
  const LsTimelineTheme *t = p->theme;
  LsTimelineRect ruler = ls_timeline_frame_get_ruler (f);
  guint n;
  const LsTimelineTick *ticks = ls_timeline_frame_get_ticks (f, &n);
  double th = text_height (p, p->small);

  /* Faint grid lines through the lanes, a short tick on the ruler. */
  for (guint i = 0; i < n; i++)
    {
      cairo_move_to (cr, floor (ticks[i].x) + 0.5, plot.y);
      cairo_line_to (cr, floor (ticks[i].x) + 0.5, plot.y + plot.h);
    }
  cairo_set_line_width (cr, 1.0);
  set_color_alpha (cr, &t->grid, 0.6);
  cairo_stroke (cr);
  for (guint i = 0; i < n; i++)
    {
      cairo_move_to (cr, floor (ticks[i].x) + 0.5, ruler.y + ruler.h - (ticks[i].label[0] ? 7 : 4));
      cairo_line_to (cr, floor (ticks[i].x) + 0.5, ruler.y + ruler.h);
    }
  cairo_move_to (cr, ruler.x, ruler.y + ruler.h - 0.5);
  cairo_line_to (cr, ruler.x + ruler.w, ruler.y + ruler.h - 0.5);
  set_color (cr, &t->text_dim);
  cairo_stroke (cr);
  for (guint i = 0; i < n; i++)
    if (ticks[i].label[0])
      draw_text (p, ticks[i].label, ticks[i].x + 2, ruler.y + ruler.h - 7 - th, 80, p->small,
                 &t->text_dim);
}

static void
paint_lanes_back (Painter *p, const LsTimelineFrame *f, LsTimelineRect plot)
{
  cairo_t *cr = p->cr;
  guint n;
  const LsTimelineLane *l = ls_timeline_frame_get_lanes (f, &n);

  for (guint i = 0; i < n; i++)
    if (l[i].alt)
      cairo_rectangle (cr, l[i].rect.x, l[i].rect.y, l[i].rect.w, l[i].rect.h);
  set_color (cr, &p->theme->lane_alt);
  cairo_fill (cr);
  cairo_move_to (cr, floor (plot.x) + 0.5, plot.y);
  cairo_line_to (cr, floor (plot.x) + 0.5, plot.y + plot.h);
  cairo_set_line_width (cr, 1.0);
  set_color (cr, &p->theme->grid);
  cairo_stroke (cr);
}

static void
paint_lane_labels (Painter *p, const LsTimelineFrame *f, LsTimelineRect plot)
{
  const LsTimelineTheme *t = p->theme;
  guint n;
  const LsTimelineLane *l = ls_timeline_frame_get_lanes (f, &n);
  double th = text_height (p, p->bold), sh = text_height (p, p->small);
  double max_w = plot.x - 16;

  for (guint i = 0; i < n; i++)
    {
      double x = l[i].rect.x + 6, mid = l[i].rect.y + l[i].rect.h / 2;
      const char *coro = l[i].thread ? _("worker thread")
                         : l[i].kind == LS_TRACE_LANE_GENERATOR ? _("generator") : l[i].coro;

      if (l[i].highlighted)
        {
          cairo_rectangle (p->cr, l[i].rect.x, l[i].rect.y + 2, 4, l[i].rect.h - 4);
          set_color (p->cr, &t->highlight);
          cairo_fill (p->cr);
        }
      if (l[i].rect.h >= th + sh + 4 && coro)
        {
          draw_text (p, l[i].name, x, mid - (th + sh) / 2, max_w, p->bold, &t->text);
          draw_text (p, coro, x, mid - (th + sh) / 2 + th, max_w, p->small, &t->text_dim);
        }
      else
        {
          double w = draw_text (p, l[i].name, x, mid - th / 2, max_w, p->bold, &t->text);
          if (coro && w + 30 < max_w)
            draw_text (p, coro, x + w + 6, mid - sh / 2, max_w - w - 6, p->small, &t->text_dim);
        }
    }
}

static void
paint_legend (Painter *p, const LsTimelineFrame *f)
{
  static const double timer[] = { 5, 3 }, sync[] = { 0.1, 3.2 }, dashed[] = { 4, 2.5 };
  cairo_t *cr = p->cr;
  const LsTimelineTheme *t = p->theme;
  guint n;
  const LsTimelineLegendEntry *e = ls_timeline_frame_get_legend_entries (f, &n);

  for (guint i = 0; i < n; i++)
    {
      LsTimelineRect r = e[i].sample;
      double my = r.y + r.h / 2;
      LsTimelineMark m = { 0 };

      m.x = r.x + r.w / 2;
      m.y = my;
      m.size = 9;
      cairo_save (cr);
      switch (e[i].kind)
        {
        case LS_TIMELINE_LEGEND_RUNNING:
          cairo_rectangle (cr, r.x, r.y, r.w, r.h);
          set_color (cr, &t->running);
          cairo_fill (cr);
          break;
        case LS_TIMELINE_LEGEND_READY:
          cairo_rectangle (cr, r.x, r.y, r.w, r.h);
          cairo_clip_preserve (cr);
          set_color_alpha (cr, &t->ready, 0.14);
          cairo_fill (cr);
          hatch_rect (cr, r.x, r.y, r.w, r.h, FALSE);
          cairo_set_line_width (cr, 1.2);
          set_color (cr, &t->ready);
          cairo_stroke (cr);
          break;
        case LS_TIMELINE_LEGEND_WAIT_TIMER:
        case LS_TIMELINE_LEGEND_WAIT_TASK:
        case LS_TIMELINE_LEGEND_WAIT_SYNC:
        case LS_TIMELINE_LEGEND_WAIT_SWITCH:
          {
            guint style = e[i].kind == LS_TIMELINE_LEGEND_WAIT_TIMER ? LS_TIMELINE_WAIT_TIMER
                          : e[i].kind == LS_TIMELINE_LEGEND_WAIT_TASK ? LS_TIMELINE_WAIT_TASK
                          : e[i].kind == LS_TIMELINE_LEGEND_WAIT_SWITCH ? LS_TIMELINE_WAIT_OTHER
                          : LS_TIMELINE_WAIT_SYNC;
            set_wait_dash (cr, style);
            cairo_set_line_width (cr, wait_line_width (style));
            set_color (cr, wait_color (t, style));
            cairo_move_to (cr, r.x, my);
            cairo_line_to (cr, r.x + r.w, my);
            cairo_stroke (cr);
            (void) timer;
            (void) sync;
          }
          break;
        case LS_TIMELINE_LEGEND_BLOCKED:
        case LS_TIMELINE_LEGEND_BLOCKED_PROGRAM:
          cairo_rectangle (cr, r.x, r.y - 1, r.w, r.h + 2);
          cairo_clip_preserve (cr);
          set_color (cr, &t->blocked);
          cairo_fill (cr);
          hatch_rect (cr, r.x, r.y - 1, r.w, r.h + 2, FALSE);
          hatch_rect (cr, r.x, r.y - 1, r.w, r.h + 2, TRUE);
          cairo_set_line_width (cr, 1.0);
          set_color_alpha (cr, &t->background, 0.7);
          cairo_stroke (cr);
          break;
        case LS_TIMELINE_LEGEND_ARROW_CREATED:
        case LS_TIMELINE_LEGEND_ARROW_WOKEN:
        case LS_TIMELINE_LEGEND_ARROW_CANCELLED:
        case LS_TIMELINE_LEGEND_ARROW_TIMEOUT:
        case LS_TIMELINE_LEGEND_ARROW_SWITCHED:
          {
            const LsTimelineColor *c = arrow_color (t, LS_TIMELINE_ARROW_CREATED + (e[i].kind - LS_TIMELINE_LEGEND_ARROW_CREATED));
            if (e[i].kind == LS_TIMELINE_LEGEND_ARROW_CANCELLED || e[i].kind == LS_TIMELINE_LEGEND_ARROW_TIMEOUT)
              cairo_set_dash (cr, dashed, 2, 0);
            cairo_move_to (cr, r.x, my);
            cairo_line_to (cr, r.x + r.w - 4, my);
            cairo_set_line_width (cr, 1.6);
            set_color (cr, c);
            cairo_stroke (cr);
            cairo_set_dash (cr, NULL, 0, 0);
            arrow_head (cr, r.x + r.w, my, r.x, my, 6);
            cairo_fill (cr);
          }
          break;
        case LS_TIMELINE_LEGEND_OUTPUT: m.kind = LS_TIMELINE_MARK_OUTPUT; paint_mark_glyph (cr, t, &m); break;
        case LS_TIMELINE_LEGEND_RESULT: m.kind = LS_TIMELINE_MARK_RESULT; paint_mark_glyph (cr, t, &m); break;
        case LS_TIMELINE_LEGEND_EXCEPTION: m.kind = LS_TIMELINE_MARK_EXCEPTION; paint_mark_glyph (cr, t, &m); break;
        case LS_TIMELINE_LEGEND_CANCELLED: m.kind = LS_TIMELINE_MARK_CANCELLED; paint_mark_glyph (cr, t, &m); break;
        default:
          break;
        }
      cairo_restore (cr);
      draw_text (p, e[i].label, e[i].text_x, e[i].text_y, -1, p->small, &t->text_dim);
    }
}

void
ls_timeline_paint (cairo_t *cr, const LsTimelineFrame *f, const LsTimelineTheme *theme,
                   const LsTimelinePaintOptions *options)
{
  static const LsTimelinePaintOptions defaults = { 0 };
  const LsTimelineViewport *vp;
  LsTimelineRect plot, sum_rect, ruler;
  const char *summary;
  double playhead;
  Painter p;

  g_return_if_fail (cr != NULL && f != NULL);
  if (!theme)
    theme = ls_timeline_theme_get (LS_TIMELINE_THEME_LIGHT);
  if (!options)
    options = &defaults;
  vp = ls_timeline_frame_get_viewport (f);
  plot = ls_timeline_frame_get_plot (f);
  ruler = ls_timeline_frame_get_ruler (f);
  if (vp->width <= 0 || vp->height <= 0)
    return;

  cairo_save (cr);
  cairo_new_path (cr);
  painter_init (&p, cr, theme);
  set_color (cr, &theme->background);
  cairo_rectangle (cr, 0, 0, vp->width, vp->height);
  cairo_fill (cr);

  paint_lanes_back (&p, f, plot);
  if (options->title)
    draw_text (&p, options->title, 6, ruler.y + 2, ruler.x - 12, p.small, &theme->text_dim);

  /* Everything placed on the axis stays inside the plot. */
  cairo_save (cr);
  cairo_rectangle (cr, plot.x, ruler.y, plot.w, plot.h + ruler.h);
  cairo_clip (cr);
  paint_ruler (&p, f, plot);
  paint_bands (&p, f, plot);
  paint_brackets (&p, f);
  paint_segments (&p, f);
  paint_arrows (&p, f);
  paint_badges (&p, f);
  paint_marks (&p, f);
  paint_bracket_labels (&p, f);
  playhead = ls_timeline_frame_get_playhead_x (f);
  if (playhead >= 0)
    {
      if (options->veil_after_playhead)
        {
          cairo_rectangle (cr, playhead + 4, plot.y, plot.x + plot.w - playhead - 4, plot.h);
          set_color_alpha (cr, &theme->background, 0.62);
          cairo_fill (cr);
        }
      cairo_move_to (cr, playhead, ruler.y);
      cairo_line_to (cr, playhead, plot.y + plot.h);
      cairo_set_line_width (cr, 1.5);
      set_color (cr, &theme->playhead);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  paint_lane_labels (&p, f, plot);
  summary = ls_timeline_frame_get_summary (f, &sum_rect);
  if (summary)
    draw_text (&p, summary, sum_rect.x + 6, sum_rect.y + 3, sum_rect.w - 12, p.small, &theme->text_dim);
  paint_legend (&p, f);

  painter_finish (&p);
  cairo_restore (cr);
}

void
ls_timeline_paint_text_panel (cairo_t *cr, double x, double y, double width, double height,
                              const LsTimelineTheme *theme, const char *heading, const char *text)
{
  Painter p;
  double th, line_h, ty;
  gchar **lines;
  guint n_lines, first, fit;

  g_return_if_fail (cr != NULL);
  if (!theme)
    theme = ls_timeline_theme_get (LS_TIMELINE_THEME_LIGHT);
  cairo_save (cr);
  painter_init (&p, cr, theme);
  cairo_rectangle (cr, x + 0.5, y + 0.5, width - 1, height - 1);
  set_color (cr, &theme->lane_alt);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 1);
  set_color (cr, &theme->grid);
  cairo_stroke (cr);

  th = text_height (&p, p.bold);
  draw_text (&p, heading, x + 8, y + 5, width - 16, p.bold, &theme->text);
  line_h = text_height (&p, p.normal);
  lines = g_strsplit (text ? text : "", "\n", -1);
  n_lines = g_strv_length (lines);
  if (n_lines && lines[n_lines - 1][0] == '\0')
    n_lines--;    /* the text ends with a newline */
  fit = (guint) MAX ((height - th - 14) / line_h, 0);
  first = n_lines > fit ? n_lines - fit : 0;
  ty = y + 8 + th;
  for (guint i = first; i < n_lines; i++, ty += line_h)
    draw_text (&p, lines[i], x + 12, ty, width - 24, p.normal, &theme->text);
  g_strfreev (lines);
  painter_finish (&p);
  cairo_restore (cr);
}
