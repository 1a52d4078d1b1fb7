/* ls-trace-i18n.h - text of the timeline a person reads, translatable.
 *
 * Strings are looked up in the "loopscope" gettext domain, which the
 * desktop app binds to its translations; where nobody binds it (the CLI,
 * tests) they stay English.  Only GLib is needed, never GTK.
 */
#pragma once

#include <glib.h>

#define LS_GETTEXT_DOMAIN "loopscope"
#define _(text) g_dgettext (LS_GETTEXT_DOMAIN, text)
#define N_(text) (text)
#define ngettext(one, many, n) g_dngettext (LS_GETTEXT_DOMAIN, one, many, n)
