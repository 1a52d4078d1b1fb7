/* ls-editor.c - the scenario editor (see ls-editor.h). */
#include "ls-editor.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

struct _LsEditor {
  GtkWidget parent_instance;

  GtkWidget *scroller;
  GtkSourceView *view;
  GtkSourceBuffer *buffer;
  GtkWidget *error_revealer;
  GtkWidget *error_label;
  GtkTextTag *error_tag, *exec_tag;

  int error_line;
  char *error_message;
  int exec_line;
  gboolean dark;
};

G_DEFINE_FINAL_TYPE (LsEditor, ls_editor, GTK_TYPE_WIDGET)

static void
highlight_line (LsEditor *self, GtkTextTag *tag, int line)
{
  GtkTextBuffer *buf = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buf, &start, &end);
  gtk_text_buffer_remove_tag (buf, tag, &start, &end);
  if (line <= 0 || line > gtk_text_buffer_get_line_count (buf))
    return;
  gtk_text_buffer_get_iter_at_line (buf, &start, line - 1);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  /* Include the newline so that paragraph-background covers the line. */
  gtk_text_iter_forward_char (&end);
  gtk_text_buffer_apply_tag (buf, tag, &start, &end);
}

static void
scroll_to_line (LsEditor *self, int line)
{
  GtkTextIter it;

  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (self->buffer), &it, line - 1);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->view), &it, 0.1, TRUE, 0.0, 0.3);
}

void
ls_editor_set_text (LsEditor *self, const char *text)
{
  g_return_if_fail (LS_IS_EDITOR (self));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), text ? text : "", -1);
  ls_editor_clear_error (self);
  ls_editor_set_exec_line (self, 0);
}

char *
ls_editor_get_text (LsEditor *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (LS_IS_EDITOR (self), NULL);
  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, FALSE);
}

void
ls_editor_show_error (LsEditor *self, int line, int col, const char *message)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LS_IS_EDITOR (self));
  self->error_line = line;
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  highlight_line (self, self->error_tag, line);
  /* Translators: a syntax error in the editor: line, column, message. */
  text = g_strdup_printf (_("Line %d, column %d: %s"), line, col, message);
  gtk_label_set_text (GTK_LABEL (self->error_label), text);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), TRUE);
  if (line > 0)
    {
      GtkTextIter it;
      gtk_text_buffer_get_iter_at_line_offset (GTK_TEXT_BUFFER (self->buffer), &it, line - 1,
                                               MAX (col - 1, 0));
      gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &it);
      scroll_to_line (self, line);
    }
}

void
ls_editor_clear_error (LsEditor *self)
{
  g_return_if_fail (LS_IS_EDITOR (self));
  if (!self->error_line && !self->error_message)
    return;
  self->error_line = 0;
  g_clear_pointer (&self->error_message, g_free);
  highlight_line (self, self->error_tag, 0);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), FALSE);
}

int
ls_editor_get_error_line (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), 0);
  return self->error_line;
}

const char *
ls_editor_get_error_message (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), NULL);
  return self->error_message;
}

void
ls_editor_set_exec_line (LsEditor *self, int line)
{
  g_return_if_fail (LS_IS_EDITOR (self));
  if (line == self->exec_line)
    return;
  self->exec_line = line;
  highlight_line (self, self->exec_tag, line);
  if (line > 0)
    scroll_to_line (self, line);
}

int
ls_editor_get_exec_line (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), 0);
  return self->exec_line;
}

void
ls_editor_set_dark (LsEditor *self, gboolean dark)
{
  GtkSourceStyleSchemeManager *sm = gtk_source_style_scheme_manager_get_default ();
  GtkSourceStyleScheme *scheme;

  g_return_if_fail (LS_IS_EDITOR (self));
  self->dark = dark;
  scheme = gtk_source_style_scheme_manager_get_scheme (sm, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme)
    gtk_source_buffer_set_style_scheme (self->buffer, scheme);
  g_object_set (self->exec_tag, "paragraph-background",
                dark ? "rgba(98,160,234,0.30)" : "rgba(53,132,228,0.20)", NULL);
  g_object_set (self->error_tag, "paragraph-background",
                dark ? "rgba(237,51,59,0.35)" : "rgba(224,27,36,0.18)", NULL);
}

GtkWidget *
ls_editor_get_view (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), NULL);
  return GTK_WIDGET (self->view);
}

static void
on_changed (GtkTextBuffer *buffer, LsEditor *self)
{
  /* The error belonged to the text as it was. */
  ls_editor_clear_error (self);
}

static void
ls_editor_dispose (GObject *object)
{
  LsEditor *self = LS_EDITOR (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->error_message, g_free);
  G_OBJECT_CLASS (ls_editor_parent_class)->dispose (object);
}

static void
ls_editor_class_init (LsEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ls_editor_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "editor");
}

static void
ls_editor_init (LsEditor *self)
{
  GtkSourceLanguageManager *lm = gtk_source_language_manager_get_default ();
  GtkSourceLanguage *python = gtk_source_language_manager_get_language (lm, "python3");
  GtkWidget *box;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->buffer = gtk_source_buffer_new (NULL);
  if (!python)
    python = gtk_source_language_manager_get_language (lm, "python");
  if (python)
    gtk_source_buffer_set_language (self->buffer, python);
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, TRUE);
  self->view = GTK_SOURCE_VIEW (gtk_source_view_new_with_buffer (self->buffer));
  g_object_unref (self->buffer);
  gtk_source_view_set_show_line_numbers (self->view, TRUE);
  gtk_source_view_set_auto_indent (self->view, TRUE);
  gtk_source_view_set_indent_width (self->view, 4);
  gtk_source_view_set_insert_spaces_instead_of_tabs (self->view, TRUE);
  gtk_source_view_set_tab_width (self->view, 4);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Program"), -1);

  self->exec_tag = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), "exec-line", NULL);
  self->error_tag = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), "error-line",
                                                "underline", PANGO_UNDERLINE_ERROR, NULL);
  g_signal_connect (self->buffer, "changed", G_CALLBACK (on_changed), self);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_widget_set_hexpand (self->scroller, TRUE);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  self->error_revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->error_revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_add_css_class (box, "error-bar");
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("dialog-error-symbolic"));
  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_label_set_selectable (GTK_LABEL (self->error_label), TRUE);
  gtk_box_append (GTK_BOX (box), self->error_label);
  gtk_revealer_set_child (GTK_REVEALER (self->error_revealer), box);
  gtk_widget_set_parent (self->error_revealer, GTK_WIDGET (self));

  ls_editor_set_dark (self, FALSE);
}

GtkWidget *
ls_editor_new (void)
{
  return g_object_new (LS_TYPE_EDITOR, NULL);
}
