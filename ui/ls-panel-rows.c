/* ls-panel-rows.c - rows of titled values for side panels (see the header). */
#include "ls-panel-rows.h"

void
ls_panel_rows_init (LsPanelRows *rows, GtkWidget *parent)
{
  GtkWidget *clamp = adw_clamp_new ();

  rows->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (rows->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  rows->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_start (rows->box, 12);
  gtk_widget_set_margin_end (rows->box, 12);
  gtk_widget_set_margin_top (rows->box, 12);
  gtk_widget_set_margin_bottom (rows->box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 600);
  adw_clamp_set_child (ADW_CLAMP (clamp), rows->box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (rows->scroller), clamp);
  gtk_widget_set_parent (rows->scroller, parent);
  rows->text = g_string_new (NULL);
}

void
ls_panel_rows_clear (LsPanelRows *rows)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (rows->box)))
    gtk_box_remove (GTK_BOX (rows->box), child);
  rows->group = NULL;
  g_string_truncate (rows->text, 0);
}

void
ls_panel_rows_dispose (LsPanelRows *rows)
{
  g_clear_pointer (&rows->scroller, gtk_widget_unparent);
  if (rows->text)
    g_string_free (rows->text, TRUE);
  rows->text = NULL;
}

void
ls_panel_rows_group (LsPanelRows *rows, const char *title, const char *description)
{
  rows->group = adw_preferences_group_new ();
  if (title)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (rows->group), title);
  if (description)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (rows->group), description);
  gtk_box_append (GTK_BOX (rows->box), rows->group);
  if (title)
    g_string_append_printf (rows->text, "[%s]\n", title);
}

static GtkWidget *
add_row (LsPanelRows *rows, const char *title, const char *value, gboolean code)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped_title = g_markup_escape_text (title ? title : "", -1);
  g_autofree char *escaped_value = g_markup_escape_text (value ? value : "", -1);

  if (!rows->group)
    ls_panel_rows_group (rows, NULL, NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  if (value && *value)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_value);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), code ? 6 : 4);
    }
  gtk_widget_add_css_class (row, "property");
  if (code)
    gtk_widget_add_css_class (row, "monospace-value");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (rows->group), row);
  g_string_append_printf (rows->text, "%s: %s\n", title ? title : "", value ? value : "");
  return row;
}

GtkWidget *
ls_panel_rows_add (LsPanelRows *rows, const char *title, const char *value)
{
  return add_row (rows, title, value, FALSE);
}

GtkWidget *
ls_panel_rows_add_code (LsPanelRows *rows, const char *title, const char *value)
{
  return add_row (rows, title, value, TRUE);
}

void
ls_panel_rows_hint (LsPanelRows *rows, const char *icon, const char *text)
{
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), icon);
  adw_status_page_set_description (ADW_STATUS_PAGE (status), text);
  gtk_widget_add_css_class (status, "compact");
  gtk_box_append (GTK_BOX (rows->box), status);
  g_string_append_printf (rows->text, "%s\n", text);
}
