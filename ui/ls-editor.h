/* ls-editor.h - the scenario editor: a Python source view that can show
 * a syntax error at its line and the line a task is running.
 *
 * GtkSourceView 5 with Python highlighting and line numbers.  Two kinds of
 * line highlight: the error line (red, with the message in a bar under
 * the text until the text changes) and the execution line (the line the
 * playhead's task stands on, or the inspected event's line).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LS_TYPE_EDITOR (ls_editor_get_type ())
G_DECLARE_FINAL_TYPE (LsEditor, ls_editor, LS, EDITOR, GtkWidget)

GtkWidget *ls_editor_new (void);

/* Replaces the text (clears the error and execution line). */
void ls_editor_set_text (LsEditor *self, const char *text);
/* The text, newly allocated. */
char *ls_editor_get_text (LsEditor *self);

/* Shows an error at line:col (1-based) with message. */
void ls_editor_show_error (LsEditor *self, int line, int col, const char *message);
void ls_editor_clear_error (LsEditor *self);
/* The error line shown, 0 for none; the message (borrowed) or NULL. */
int ls_editor_get_error_line (LsEditor *self);
const char *ls_editor_get_error_message (LsEditor *self);

/* Highlights line (1-based; 0 clears) and scrolls it into view. */
void ls_editor_set_exec_line (LsEditor *self, int line);
int ls_editor_get_exec_line (LsEditor *self);

/* Follows the light or dark style; presentation mode uses a larger font. */
void ls_editor_set_dark (LsEditor *self, gboolean dark);

/* The GtkTextView inside, for focus and tests. */
GtkWidget *ls_editor_get_view (LsEditor *self);

G_END_DECLS
