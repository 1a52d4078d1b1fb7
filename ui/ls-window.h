/* ls-window.h - the main window: a program, its run, and its timeline.
 *
 * Besides what the user does with it, the window offers the calls the GUI
 * tests make (load a bundled scenario, run and wait, step, read what the
 * panels show), so tests drive it the way a user would, through the same
 * code paths as the buttons.
 */
#pragma once

#include <adwaita.h>

#include "ls-trace-model.h"

G_BEGIN_DECLS

#define LS_TYPE_WINDOW (ls_window_get_type ())
G_DECLARE_FINAL_TYPE (LsWindow, ls_window, LS, WINDOW, AdwApplicationWindow)

LsWindow *ls_window_new (GtkApplication *app);

/* Puts a bundled scenario (file name, "gather_factorial.py") in the
 * editor.  FALSE if there is no such scenario. */
gboolean ls_window_load_scenario (LsWindow *self, const char *name);
/* Puts text in the editor as an unsaved program called name. */
void ls_window_set_program (LsWindow *self, const char *name, const char *text);
/* Opens a .py program or a .sqlite trace (a trace loads off the main
 * thread; ls_window_is_busy() says when it is done). */
void ls_window_open_file (LsWindow *self, GFile *file);

/* Runs the program in the editor (what the Run button does). */
void ls_window_run (LsWindow *self);
/* Runs it, then puts the playhead on step (-1: the whole run). */
void ls_window_run_then_step (LsWindow *self, int step);
/* Stops the run in progress, keeping what it recorded. */
void ls_window_cancel (LsWindow *self);
/* A run or a trace load is in progress. */
gboolean ls_window_is_busy (LsWindow *self);

/* The model shown, borrowed, or NULL. */
const LsTraceModel *ls_window_get_model (LsWindow *self);

/* Moves the playhead by delta task steps (what the arrow keys do), or to
 * step index `step` (-1: no playhead, the whole run). */
void ls_window_step (LsWindow *self, int delta);
void ls_window_set_step (LsWindow *self, int step);
int ls_window_get_step (LsWindow *self);

/* Shows the side panel called name: "inspector", "loop" or "findings". */
void ls_window_show_panel (LsWindow *self, const char *name);

/* Presentation mode on or off. */
void ls_window_set_presentation (LsWindow *self, gboolean on);

/* Copies the trace of what is shown (the run's recording, or the trace
 * file it was opened from) to path. */
gboolean ls_window_save_trace (LsWindow *self, const char *path, GError **error);
/* Writes the timeline (png, svg, pdf) or the trace (perfetto) to path. */
gboolean ls_window_export (LsWindow *self, const char *format, const char *path, GError **error);

/* For tests: the widgets as they are. */
GtkWidget *ls_window_get_timeline (LsWindow *self);
GtkWidget *ls_window_get_editor (LsWindow *self);
GtkWidget *ls_window_get_inspector (LsWindow *self);
GtkWidget *ls_window_get_state_panel (LsWindow *self);
/* The console's text, newly allocated. */
char *ls_window_get_console_text (LsWindow *self);
/* How many findings the panel lists. */
guint ls_window_get_n_findings (LsWindow *self);
/* Activates finding i, as a click on its row does. */
void ls_window_activate_finding (LsWindow *self, guint i);

G_END_DECLS
