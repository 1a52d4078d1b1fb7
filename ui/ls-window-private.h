/* ls-window-private.h - what ls-window.c and ls-window-actions.c share:
 * the window's fields and the internal calls between the two files.
 */
#pragma once

#include "ls-window.h"

#include "ls-editor.h"
#include "ls-inspector.h"
#include "ls-library.h"
#include "ls-loop-state.h"
#include "ls-run-job.h"
#include "ls-state-panel.h"
#include "ls-timeline-view.h"

G_BEGIN_DECLS

struct _LsWindow {
  AdwApplicationWindow parent_instance;

  /* Template children. */
  AdwToastOverlay *toast_overlay;
  AdwHeaderBar *header;
  AdwWindowTitle *window_title;
  GtkWidget *library_button;
  AdwSplitButton *open_button;
  GtkWidget *run_button;
  GtkWidget *presentation_button;
  GtkRevealer *progress_revealer;
  GtkLabel *progress_label;
  GtkProgressBar *progress_bar;
  AdwFlap *flap;
  LsLibrary *library;
  GtkPaned *main_paned;
  GtkWidget *top_paned;
  LsEditor *editor;
  GtkTextView *console;
  GtkLabel *console_heading;
  AdwViewStack *side_stack;
  AdwViewStackPage *findings_page;
  LsInspector *inspector;
  LsStatePanel *state_panel;
  GtkStack *findings_stack;
  GtkListBox *findings_list;
  GtkWidget *play_button;
  GtkDropDown *speed_dropdown;
  GtkLabel *step_label;
  GtkSearchEntry *filter_entry;
  GtkDropDown *axis_dropdown;
  GtkStack *timeline_stack;
  AdwStatusPage *timeline_status;
  LsTimelineView *timeline;
  GtkLabel *present_output;

  /* The program in the editor. */
  char *program_name;           /* shown in the title and traces: "gather_factorial.py" */
  char *program_title;          /* the scenario's title, or NULL */
  GFile *program_file;          /* where it was opened from, or NULL */

  /* What is shown: a run's result or a loaded trace. */
  LsRunResult *result;          /* owned; its model is `model` when set */
  LsTraceModel *loaded_model;   /* owned, a trace opened from a file */
  GFile *loaded_file;
  const LsTraceModel *model;    /* the one shown (borrowed from the above), or NULL */
  char *output;                 /* everything printed (a run) or NULL (use the model) */
  GArray *findings;             /* LsTraceFinding */
  LsLoopCursor *cursor;

  /* Stepping: step index into the model's steps, -1 for "the whole run". */
  int step;                     /* position in step_index, -1: the whole run */
  GArray *step_index;           /* guint: the model's steps the arrows go through */
  int step_after_run;           /* the step to show when the run ends, -1: none */
  guint play_source;

  /* Work in progress. */
  LsRunJob *job;
  GCancellable *load_cancellable;
  guint progress_source;
  gboolean presentation;
  gboolean was_maximized;
  int paned_position;            /* main_paned's, before presentation mode */
  GtkWidget *recent_popover_menu;
};

/* ls-window-actions.c */
void _ls_window_setup_actions (LsWindow *self);
void _ls_window_update_actions (LsWindow *self);
void _ls_window_update_recent_menu (LsWindow *self);
void _ls_window_add_recent (LsWindow *self, GFile *file);

/* ls-window.c */
guint _ls_window_n_steps (LsWindow *self);
void _ls_window_toast (LsWindow *self, const char *text);
void _ls_window_show_model (LsWindow *self);
void _ls_window_load_trace (LsWindow *self, GFile *file);
void _ls_window_set_playing (LsWindow *self, gboolean playing);

G_END_DECLS
