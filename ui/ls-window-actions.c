/* ls-window-actions.c - the window's actions and keyboard shortcuts, and
 * the file choosers behind them (open, save trace, export), plus the
 * recent files menu.
 *
 * Keys that a text field also uses (arrows, Space, Home, End) are bound
 * in the bubble phase on the window: the editor and the filter entry see
 * them first and keep them, and they step the playhead everywhere else.
 * Alt+Left / Alt+Right step from anywhere.
 */
#include "ls-window-private.h"

#include <glib/gi18n.h>

#define RECENT_MAX 8

static gboolean save_trace_to (LsWindow *self, GFile *dest, GError **error);

static void
on_open_response (GtkNativeDialog *dialog, int response, LsWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file)
        ls_window_open_file (self, file);
    }
  g_object_unref (dialog);
}

static void
add_filter (GtkFileChooser *chooser, const char *name, const char *const *patterns)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (; *patterns; patterns++)
    gtk_file_filter_add_pattern (filter, *patterns);
  gtk_file_chooser_add_filter (chooser, filter);
  g_object_unref (filter);
}

static void
action_open (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  LsWindow *self = user_data;
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Open a Program or a Trace"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  static const char *const both[] = { "*.py", "*.sqlite", "*.db", NULL };
  static const char *const programs[] = { "*.py", NULL };
  static const char *const traces[] = { "*.sqlite", "*.db", NULL };

  add_filter (GTK_FILE_CHOOSER (dialog), _("Programs and traces"), both);
  add_filter (GTK_FILE_CHOOSER (dialog), _("Python programs (.py)"), programs);
  add_filter (GTK_FILE_CHOOSER (dialog), _("Loopscope traces (.sqlite)"), traces);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
action_open_recent (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  LsWindow *self = user_data;
  g_autoptr (GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  ls_window_open_file (self, file);
}

/* ---- save and export ---------------------------------------------------------- */

gboolean
ls_window_save_trace (LsWindow *self, const char *path, GError **error)
{
  g_autoptr (GFile) dest = NULL;

  g_return_val_if_fail (LS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  dest = g_file_new_for_path (path);
  return save_trace_to (self, dest, error);
}

static gboolean
save_trace_to (LsWindow *self, GFile *dest, GError **error)
{
  g_autoptr (GFile) src = NULL;

  if (self->result && self->result->trace_path)
    src = g_file_new_for_path (self->result->trace_path);
  else if (self->loaded_file)
    src = g_object_ref (self->loaded_file);
  if (!src)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("This run was not recorded"));
      return FALSE;
    }
  if (g_file_equal (src, dest))
    return TRUE;
  return g_file_copy (src, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error);
}

static char *
suggested_name (LsWindow *self, const char *extension)
{
  g_autofree char *base = g_strdup (self->program_name ? self->program_name : "run");
  char *dot = strrchr (base, '.');

  if (dot)
    *dot = '\0';
  return g_strdup_printf ("%s.%s", base, extension);
}

static void
on_save_response (GtkNativeDialog *dialog, int response, LsWindow *self)
{
  const char *format = g_object_get_data (G_OBJECT (dialog), "format");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;
      gboolean ok;

      if (!path)
        ok = FALSE, g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 _("Only local files can be written"));
      else if (g_str_equal (format, "trace"))
        ok = save_trace_to (self, file, &error);
      else
        ok = ls_window_export (self, format, path, &error);
      if (ok)
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *msg = g_strdup_printf (_("Saved %s"), name);
          _ls_window_toast (self, msg);
          if (g_str_equal (format, "trace"))
            _ls_window_add_recent (self, file);
        }
      else
        _ls_window_toast (self, error->message);
    }
  g_object_unref (dialog);
}

static void
save_dialog (LsWindow *self, const char *title, const char *format, const char *extension)
{
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                 _("_Save"), _("_Cancel"));
  g_autofree char *name = suggested_name (self, extension);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data_full (G_OBJECT (dialog), "format", g_strdup (format), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
action_save_trace (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  save_dialog (user_data, _("Save the Trace"), "trace", "sqlite");
}

static void
action_export (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *format = param ? g_variant_get_string (param, NULL) : "png";

  if (g_str_equal (format, "perfetto"))
    save_dialog (user_data, _("Export for Perfetto"), format, "json");
  else if (g_str_equal (format, "svg") || g_str_equal (format, "pdf") || g_str_equal (format, "png"))
    save_dialog (user_data, _("Export the Timeline"), format, format);
}

/* ---- run, step, view ------------------------------------------------------------ */

static void
action_run (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  ls_window_run (user_data);
}

static void
action_cancel (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  LsWindow *self = user_data;

  if (ls_window_is_busy (self))
    ls_window_cancel (self);
  else if (self->presentation)
    ls_window_set_presentation (self, FALSE);
}

static void
action_step_next (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  _ls_window_set_playing (user_data, FALSE);
  ls_window_step (user_data, 1);
}

static void
action_step_prev (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  _ls_window_set_playing (user_data, FALSE);
  ls_window_step (user_data, -1);
}

static void
action_step_first (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  _ls_window_set_playing (user_data, FALSE);
  ls_window_set_step (user_data, 0);
}

static void
action_step_last (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  LsWindow *self = user_data;

  _ls_window_set_playing (self, FALSE);
  ls_window_set_step (self, (int) _ls_window_n_steps (self) - 1);
}

static void
action_play (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  LsWindow *self = user_data;
  GVariant *state = g_action_get_state (G_ACTION (action));

  _ls_window_set_playing (self, !g_variant_get_boolean (state));
  g_variant_unref (state);
}

static void
action_zoom_in (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  ls_timeline_view_zoom (LS_WINDOW (user_data)->timeline, 2.0);
}

static void
action_zoom_out (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  ls_timeline_view_zoom (LS_WINDOW (user_data)->timeline, 0.5);
}

static void
action_zoom_fit (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  ls_timeline_view_zoom_fit (LS_WINDOW (user_data)->timeline);
}

static void
action_pan_left (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  ls_timeline_view_pan (LS_WINDOW (user_data)->timeline, -0.25);
}

static void
action_pan_right (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  ls_timeline_view_pan (LS_WINDOW (user_data)->timeline, 0.25);
}

static void
action_presentation (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  LsWindow *self = user_data;
  ls_window_set_presentation (self, !self->presentation);
}

static void
action_toggle_library (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  LsWindow *self = user_data;
  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

static const GActionEntry win_entries[] = {
  { "open", action_open },
  { "open-recent", action_open_recent, "s" },
  { "save-trace", action_save_trace },
  { "export", action_export, "s" },
  { "run", action_run },
  { "cancel", action_cancel },
  { "step-next", action_step_next },
  { "step-prev", action_step_prev },
  { "step-first", action_step_first },
  { "step-last", action_step_last },
  { "play", action_play, NULL, "false" },
  { "zoom-in", action_zoom_in },
  { "zoom-out", action_zoom_out },
  { "zoom-fit", action_zoom_fit },
  { "pan-left", action_pan_left },
  { "pan-right", action_pan_right },
  { "presentation", action_presentation, NULL, "false" },
  { "toggle-library", action_toggle_library },
};

static void
enable (LsWindow *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
_ls_window_update_actions (LsWindow *self)
{
  gboolean busy = ls_window_is_busy (self);
  gboolean has_model = self->model != NULL;
  guint n = _ls_window_n_steps (self);

  enable (self, "run", !busy);
  enable (self, "open", !busy);
  enable (self, "open-recent", !busy);
  enable (self, "cancel", busy || self->presentation);
  enable (self, "save-trace", has_model && ((self->result && self->result->trace_path)
                                            || self->loaded_file));
  enable (self, "export", has_model);
  enable (self, "step-next", n > 0 && self->step < (int) n - 1);
  enable (self, "step-prev", n > 0 && self->step != 0);
  enable (self, "step-first", n > 0);
  enable (self, "step-last", n > 0);
  enable (self, "play", n > 0);
  enable (self, "zoom-in", has_model);
  enable (self, "zoom-out", has_model);
  enable (self, "zoom-fit", has_model);
}

/* ---- recent files ---------------------------------------------------------------- */

void
_ls_window_add_recent (LsWindow *self, GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *name = g_file_get_basename (file);
  GtkRecentData data = {
    .display_name = name,
    .mime_type = g_str_has_suffix (name, ".py") ? (char *) "text/x-python" : (char *) "application/vnd.sqlite3",
    .app_name = (char *) "loopscope",
    .app_exec = (char *) "loopscope %u",
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
  _ls_window_update_recent_menu (self);
}

void
_ls_window_update_recent_menu (LsWindow *self)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GMenu) section = g_menu_new ();
  guint shown = 0;

  for (GList *l = items; l && shown < RECENT_MAX; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      g_autoptr (GMenuItem) item = NULL;
      if (!gtk_recent_info_has_application (info, "loopscope") || !gtk_recent_info_exists (info))
        continue;
      item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s", gtk_recent_info_get_uri (info));
      g_menu_append_item (section, item);
      shown++;
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  if (shown == 0)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (_("No recent files"), "win.none");
      g_menu_append_item (section, item);
    }
  g_menu_append_section (menu, _("Recent Files"), G_MENU_MODEL (section));
  adw_split_button_set_menu_model (self->open_button, G_MENU_MODEL (menu));
}

/* ---- shortcuts --------------------------------------------------------------------- */

static void
add_shortcut (GtkShortcutController *controller, const char *accel, const char *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accel),
                                                          gtk_named_action_new (action)));
}

void
_ls_window_setup_actions (LsWindow *self)
{
  GtkEventController *bubble = gtk_shortcut_controller_new ();
  GtkEventController *global = gtk_shortcut_controller_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries), self);

  /* Bubble phase: only when the focused widget did not use the key. */
  gtk_event_controller_set_propagation_phase (bubble, GTK_PHASE_BUBBLE);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (bubble), "Right", "win.step-next");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (bubble), "Left", "win.step-prev");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (bubble), "Home", "win.step-first");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (bubble), "End", "win.step-last");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (bubble), "space", "win.play");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (bubble), "Page_Down", "win.step-next");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (bubble), "Page_Up", "win.step-prev");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (bubble), "plus", "win.zoom-in");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (bubble), "minus", "win.zoom-out");
  gtk_widget_add_controller (GTK_WIDGET (self), bubble);

  /* Capture phase: these work wherever the focus is. */
  gtk_event_controller_set_propagation_phase (global, GTK_PHASE_CAPTURE);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Control>Return", "win.run");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Control>KP_Enter", "win.run");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Alt>Right", "win.step-next");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Alt>Left", "win.step-prev");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Control>o", "win.open");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Control>s", "win.save-trace");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Control>plus", "win.zoom-in");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Control>equal", "win.zoom-in");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Control>KP_Add", "win.zoom-in");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Control>minus", "win.zoom-out");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Control>KP_Subtract", "win.zoom-out");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "<Control>0", "win.zoom-fit");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "F5", "win.presentation");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "F11", "win.presentation");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "F9", "win.toggle-library");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (global), "Escape", "win.cancel");
  gtk_widget_add_controller (GTK_WIDGET (self), global);

  {
    GtkShortcutController *export_sc = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (export_sc), GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (export_sc,
      gtk_shortcut_new_with_arguments (gtk_shortcut_trigger_parse_string ("<Control>e"),
                                       gtk_named_action_new ("win.export"), "s", "png"));
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (export_sc));
  }
}
