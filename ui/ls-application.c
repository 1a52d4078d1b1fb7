/* ls-application.c - the desktop application (see ls-application.h). */
#include "ls-application.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ls-window.h"

struct _LsApplication {
  AdwApplication parent_instance;

  /* Command-line options for the first window (also what the screenshots
   * and demos use): a scenario, run it, step to, presentation, style. */
  char *scenario;
  gboolean run;
  int step;
  gboolean presentation;
  char *panel;
};

G_DEFINE_FINAL_TYPE (LsApplication, ls_application, ADW_TYPE_APPLICATION)

void
ls_application_init_i18n (void)
{
  const char *dir = g_getenv ("LOOPSCOPE_LOCALEDIR");
  g_autofree char *built = g_build_filename (LS_BUILD_LOCALEDIR, "zh_CN", "LC_MESSAGES",
                                             GETTEXT_PACKAGE ".mo", NULL);

  setlocale (LC_ALL, "");
  /* Run from the build tree (make run, tests): its fresh translations. */
  if (!dir && g_file_test (built, G_FILE_TEST_EXISTS))
    dir = LS_BUILD_LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, dir ? dir : LS_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static LsWindow *
new_window (LsApplication *self)
{
  LsWindow *win = ls_window_new (GTK_APPLICATION (self));
  return win;
}

/* Applies the command-line options to a window that has its program. */
static void
apply_options (LsApplication *self, LsWindow *win)
{
  if (self->panel)
    ls_window_show_panel (win, self->panel);
  if (self->run)
    ls_window_run_then_step (win, self->step);
  if (self->presentation)
    ls_window_set_presentation (win, TRUE);
}

static void
ls_application_activate (GApplication *app)
{
  GtkWindow *win = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (!win)
    {
      LsApplication *self = LS_APPLICATION (app);
      LsWindow *w = new_window (self);
      if (!self->scenario || !ls_window_load_scenario (w, self->scenario))
        ls_window_load_scenario (w, LS_DEFAULT_SCENARIO);
      apply_options (self, w);
      win = GTK_WINDOW (w);
    }
  gtk_window_present (win);
}

static void
ls_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      LsWindow *w = new_window (LS_APPLICATION (app));
      ls_window_open_file (w, files[i]);
      if (i == 0)
        apply_options (LS_APPLICATION (app), w);
      gtk_window_present (GTK_WINDOW (w));
    }
}

static void
action_about (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Loopscope developers", NULL };
  GtkWidget *about = adw_about_window_new ();

  g_object_set (about,
                "transient-for", gtk_application_get_active_window (app),
                "application-name", _("Loopscope"),
                "application-icon", "org.loopscope.Loopscope",
                "version", LS_VERSION,
                "developer-name", _("The Loopscope developers"),
                "developers", developers,
                "comments", _("Runs asyncio programs in deterministic virtual time, records every task switch, and draws the interleaving as a timeline: which task ran when, what it awaited, who woke it, where a timeout fired and whom it cancelled."),
                "license-type", GTK_LICENSE_GPL_3_0,
                /* Translators: put your name here, one per line. */
                "translator-credits", _("translator-credits"),
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
action_quit (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
action_style (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *s = g_variant_get_string (param, NULL);
  AdwColorScheme scheme = g_str_equal (s, "light") ? ADW_COLOR_SCHEME_FORCE_LIGHT
                          : g_str_equal (s, "dark") ? ADW_COLOR_SCHEME_FORCE_DARK
                          : ADW_COLOR_SCHEME_DEFAULT;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
  g_simple_action_set_state (action, param);
}

static const GActionEntry app_entries[] = {
  { "about", action_about },
  { "quit", action_quit },
  { "style", action_style, "s", "'default'" },
};

static void
ls_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (ls_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries, G_N_ELEMENTS (app_entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", help_accels);
  gtk_window_set_default_icon_name ("org.loopscope.Loopscope");
  if (g_strcmp0 (g_getenv ("LOOPSCOPE_STYLE"), "dark") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  else if (g_strcmp0 (g_getenv ("LOOPSCOPE_STYLE"), "light") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/org/loopscope/Loopscope/icons");
}

static int
ls_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  LsApplication *self = LS_APPLICATION (app);
  const char *style = NULL;

  g_variant_dict_lookup (options, "scenario", "s", &self->scenario);
  g_variant_dict_lookup (options, "panel", "s", &self->panel);
  self->run = g_variant_dict_contains (options, "run");
  self->presentation = g_variant_dict_contains (options, "presentation");
  if (!g_variant_dict_lookup (options, "step", "i", &self->step))
    self->step = -1;
  else
    self->step--;   /* 1-based on the command line */
  if (g_variant_dict_lookup (options, "style", "&s", &style))
    {
      if (!g_str_equal (style, "light") && !g_str_equal (style, "dark"))
        {
          g_printerr ("loopscope: --style must be light or dark\n");
          return 2;
        }
      g_setenv ("LOOPSCOPE_STYLE", style, TRUE);
    }
  return -1;
}

static void
ls_application_finalize (GObject *object)
{
  LsApplication *self = LS_APPLICATION (object);

  g_free (self->scenario);
  g_free (self->panel);
  G_OBJECT_CLASS (ls_application_parent_class)->finalize (object);
}

static void
ls_application_class_init (LsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ls_application_finalize;
  app_class->handle_local_options = ls_application_handle_local_options;
  app_class->activate = ls_application_activate;
  app_class->open = ls_application_open;
  app_class->startup = ls_application_startup;
}

static void
ls_application_init (LsApplication *self)
{
  static const GOptionEntry entries[] = {
    { "scenario", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Open a bundled scenario (e.g. shield.py)"), N_("NAME") },
    { "run", 'r', 0, G_OPTION_ARG_NONE, NULL, N_("Run the program at once"), NULL },
    { "step", 0, 0, G_OPTION_ARG_INT, NULL, N_("After running, put the playhead on step N"), N_("N") },
    { "panel", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Show a side panel: inspector, loop or findings"), N_("PANEL") },
    { "presentation", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start in presentation mode"), NULL },
    { "style", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Force the light or dark style"), N_("STYLE") },
    { NULL }
  };

  self->step = -1;
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE.py | TRACE.sqlite …]"));
}

LsApplication *
ls_application_new (void)
{
  return g_object_new (LS_TYPE_APPLICATION,
                       "application-id", LS_APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/org/loopscope/Loopscope",
                       NULL);
}
