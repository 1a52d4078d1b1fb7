/* ls-application.h - the Loopscope desktop application.
 *
 * One AdwApplication: opens a window on the default scenario, or on the
 * .py programs and .sqlite traces given on the command line; owns the
 * app-wide actions (about, quit, style) and the translations.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LS_TYPE_APPLICATION (ls_application_get_type ())
G_DECLARE_FINAL_TYPE (LsApplication, ls_application, LS, APPLICATION, AdwApplication)

/* The scenario a new window shows first. */
#define LS_DEFAULT_SCENARIO "gather_factorial.py"

LsApplication *ls_application_new (void);

/* Sets up gettext for the app: the build tree's translations when run
 * from it (LOOPSCOPE_LOCALEDIR overrides), else the installed ones. */
void ls_application_init_i18n (void);

G_END_DECLS
