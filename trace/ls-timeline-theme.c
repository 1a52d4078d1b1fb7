/* ls-timeline-theme.c - the light and dark themes.
 *
 * Lightness carries the meaning in grey print: running is the darkest
 * thing in a lane (light theme) or the brightest (dark theme), waiting
 * lines are mid-tones, the blocked band is a pale wash.  Hue is a second
 * channel for those who see it: blue steps, green wakeups, red trouble
 * (blocking, cancellation, exceptions), orange timeouts.
 */
#include "ls-timeline-theme.h"

#include <string.h>

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0, 1.0 }
#define RGBA(hex, alpha) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0, (alpha) }

static const LsTimelineTheme themes[LS_TIMELINE_N_THEMES] = {
  [LS_TIMELINE_THEME_LIGHT] = {
    .name = "light",
    .dark = FALSE,
    .background = RGB (0xffffff),
    .text = RGB (0x1a1a1a),
    .text_dim = RGB (0x5f6368),
    .grid = RGB (0xd5d8dc),
    .lane_alt = RGB (0xf3f5f8),
    .running = RGB (0x1d4fa8),
    .ready = RGB (0x4a7bd0),
    .wait_timer = RGB (0x6a3d9a),
    .wait_task = RGB (0x2e6b30),
    .wait_sync = RGB (0x8a5200),
    .wait_other = RGB (0x555b63),
    .idle = RGB (0xb0b5bb),
    .blocked = RGB (0xb3261e),
    .blocked_band = RGBA (0xd93025, 0.13),
    .arrow_created = RGB (0x5f6b73),
    .arrow_woken = RGB (0x1e8e3e),
    .arrow_cancelled = RGB (0xc5221f),
    .arrow_timeout = RGB (0xe8710a),
    .arrow_switched = RGB (0x8e24aa),
    .bracket = RGB (0x3c4043),
    .badge = RGB (0x3c4043),
    .badge_text = RGB (0xffffff),
    .mark_output = RGB (0x3c4043),
    .mark_result = RGB (0x1e8e3e),
    .mark_exception = RGB (0xc5221f),
    .mark_cancelled = RGB (0xc5221f),
    .mark_warning = RGB (0xe8710a),
    .highlight = RGB (0xf9ab00),
    .playhead = RGB (0xd01884),
  },
  [LS_TIMELINE_THEME_DARK] = {
    .name = "dark",
    .dark = TRUE,
    .background = RGB (0x15171a),
    .text = RGB (0xeceff1),
    .text_dim = RGB (0xa0a6ad),
    .grid = RGB (0x3a3f45),
    .lane_alt = RGB (0x1d2024),
    .running = RGB (0x8ab4f8),
    .ready = RGB (0x5e8fd6),
    .wait_timer = RGB (0xc9a0ef),
    .wait_task = RGB (0x81c995),
    .wait_sync = RGB (0xfdd663),
    .wait_other = RGB (0xbdc1c6),
    .idle = RGB (0x5f6368),
    .blocked = RGB (0xf28b82),
    .blocked_band = RGBA (0xf28b82, 0.16),
    .arrow_created = RGB (0xbdc1c6),
    .arrow_woken = RGB (0x81c995),
    .arrow_cancelled = RGB (0xf28b82),
    .arrow_timeout = RGB (0xfcad70),
    .arrow_switched = RGB (0xce93d8),
    .bracket = RGB (0xdadce0),
    .badge = RGB (0xdadce0),
    .badge_text = RGB (0x15171a),
    .mark_output = RGB (0xdadce0),
    .mark_result = RGB (0x81c995),
    .mark_exception = RGB (0xf28b82),
    .mark_cancelled = RGB (0xf28b82),
    .mark_warning = RGB (0xfcad70),
    .highlight = RGB (0xfdd663),
    .playhead = RGB (0xff63b8),
  },
};

const LsTimelineTheme *
ls_timeline_theme_get (LsTimelineThemeId id)
{
  g_return_val_if_fail (id < LS_TIMELINE_N_THEMES, &themes[LS_TIMELINE_THEME_LIGHT]);
  return &themes[id];
}

const LsTimelineTheme *
ls_timeline_theme_from_name (const char *name)
{
  if (!name)
    return NULL;
  for (guint i = 0; i < LS_TIMELINE_N_THEMES; i++)
    if (strcmp (themes[i].name, name) == 0)
      return &themes[i];
  return NULL;
}
