/* ls-library.h - the scenario library: the bundled programs, each shown
 * with its title and a one-line description (ls-scenario.h), in a
 * sidebar list.  Activating a row emits "scenario-activated" with the
 * scenario's file name; ls_library_get_scenario() gives its text.
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-scenario.h"

G_BEGIN_DECLS

/* Where the bundled scenarios live in the app's resources. */
#define LS_SCENARIOS_RESOURCE_PATH "/org/loopscope/Loopscope/scenarios/"

#define LS_TYPE_LIBRARY (ls_library_get_type ())
G_DECLARE_FINAL_TYPE (LsLibrary, ls_library, LS, LIBRARY, GtkWidget)

GtkWidget *ls_library_new (void);

/* The scenario called name ("gather_factorial.py"), borrowed, or NULL. */
const LsScenario *ls_library_get_scenario (LsLibrary *self, const char *name);
/* How many scenarios the library lists. */
guint ls_library_get_n_scenarios (LsLibrary *self);
/* Marks name's row as the current one (NULL: none). */
void ls_library_select (LsLibrary *self, const char *name);

G_END_DECLS
