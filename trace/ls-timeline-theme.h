/* ls-timeline-theme.h - the colours of the timeline, as named roles.
 *
 * The painter never names a colour: it asks the theme for a role
 * ("running", "waiting on a timer", "an arrow of cancellation").  Two
 * themes ship, light and dark.  Both were chosen to survive a projector
 * (strong contrast between the running bar and the background) and grey
 * print: no two roles that sit side by side differ by hue alone; they also
 * differ by shape or line style (solid bar, hatching, dashes, dots), which
 * is the painter's job, and by lightness, which is this file's.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double r, g, b, a;      /* 0 .. 1 each */
} LsTimelineColor;

/* Every role the painter uses.  One X-macro, so the struct, the list of
 * names and any table derived from them cannot drift apart. */
#define LS_TIMELINE_COLOR_ROLES(X) \
  X (background)      /* the page                                          */ \
  X (text)            /* task names, labels                                */ \
  X (text_dim)        /* coroutine names, tick labels, summaries           */ \
  X (grid)            /* ruler ticks, lane separators                      */ \
  X (lane_alt)        /* every other lane's stripe                         */ \
  X (running)         /* a step: solid bar                                 */ \
  X (ready)           /* ready, not yet run: hatching                      */ \
  X (wait_timer)      /* waiting on sleep / a timer: dashed line           */ \
  X (wait_task)       /* waiting on a task or group: solid thin line       */ \
  X (wait_sync)       /* waiting on a lock, queue, event ...: dotted line  */ \
  X (wait_other)      /* any other future, executor jobs: dash-dot line    */ \
  X (idle)            /* a worker thread between jobs                      */ \
  X (blocked)         /* a blocking call: the bar of the task that blocks  */ \
  X (blocked_band)    /* ... and the band across every lane (translucent)  */ \
  X (arrow_created)   /* parent -> child                                   */ \
  X (arrow_woken)     /* finished awaitable -> resumed waiter              */ \
  X (arrow_cancelled) /* canceller -> victim                               */ \
  X (arrow_timeout)   /* a timeout's clock -> victim                       */ \
  X (arrow_switched)  /* a greenlet -> the greenlet it switched to          */ \
  X (bracket)         /* gather / wait / shield / TaskGroup brackets       */ \
  X (badge)           /* as_completed order, first finished, pending       */ \
  X (badge_text)      /* the text inside a badge                           */ \
  X (mark_output)     /* a printed line                                    */ \
  X (mark_result)     /* a task returned                                   */ \
  X (mark_exception)  /* a task raised                                     */ \
  X (mark_cancelled)  /* a cancellation delivered or a task ended cancelled */ \
  X (mark_warning)    /* what CPython would log                            */ \
  X (highlight)       /* the current step (steps handout, selection)       */ \
  X (playhead)        /* the playhead line                                 */

typedef struct {
  const char *name;   /* "light", "dark" */
  gboolean dark;
#define LS_TIMELINE_COLOR_FIELD(role) LsTimelineColor role;
  LS_TIMELINE_COLOR_ROLES (LS_TIMELINE_COLOR_FIELD)
#undef LS_TIMELINE_COLOR_FIELD
} LsTimelineTheme;

typedef enum {
  LS_TIMELINE_THEME_LIGHT,
  LS_TIMELINE_THEME_DARK,
  LS_TIMELINE_N_THEMES
} LsTimelineThemeId;

/* A built-in theme: static, never freed. */
const LsTimelineTheme *ls_timeline_theme_get (LsTimelineThemeId id);
/* The theme called name ("light", "dark"), or NULL. */
const LsTimelineTheme *ls_timeline_theme_from_name (const char *name);

G_END_DECLS
