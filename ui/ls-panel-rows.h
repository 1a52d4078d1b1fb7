/* ls-panel-rows.h - what the inspector and the loop-state panel share:
 * a scrolled column of titled groups of "title / value" rows, rebuilt
 * whenever what they show changes, and kept as text for tests.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct {
  GtkWidget *scroller;       /* the panel's only child */
  GtkWidget *box;            /* the groups */
  GtkWidget *group;          /* the group rows go into */
  GString *text;             /* "Title: value\n" of every row */
} LsPanelRows;

void ls_panel_rows_init (LsPanelRows *rows, GtkWidget *parent);
void ls_panel_rows_clear (LsPanelRows *rows);
void ls_panel_rows_dispose (LsPanelRows *rows);
/* A new group; title may be NULL; description may be NULL. */
void ls_panel_rows_group (LsPanelRows *rows, const char *title, const char *description);
/* A row: title and value (plain text, may be NULL). Returns the row. */
GtkWidget *ls_panel_rows_add (LsPanelRows *rows, const char *title, const char *value);
/* A row whose text is monospace (source lines, printed text). */
GtkWidget *ls_panel_rows_add_code (LsPanelRows *rows, const char *title, const char *value);
/* A centred hint in place of groups. */
void ls_panel_rows_hint (LsPanelRows *rows, const char *icon, const char *text);

G_END_DECLS
