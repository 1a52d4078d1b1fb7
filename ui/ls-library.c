/* ls-library.c - the bundled scenarios in a sidebar (see ls-library.h). */
#include "ls-library.h"

#include <glib/gi18n.h>

struct _LsLibrary {
  GtkWidget parent_instance;

  GtkWidget *scroller;
  GtkListBox *list;
  GPtrArray *scenarios;      /* LsScenario, in the order shown */
  gboolean selecting;        /* ls_library_select() is moving the selection */
};

G_DEFINE_FINAL_TYPE (LsLibrary, ls_library, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SCENARIO_ACTIVATED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The scenarios in the resources, gather_factorial.py first (the one the
 * tutorials start with and the app opens), then by file name. */
static void
load_scenarios (LsLibrary *self)
{
  g_auto (GStrv) names = g_resources_enumerate_children (LS_SCENARIOS_RESOURCE_PATH, 0, NULL);
  g_autoptr (GBytes) ini = g_resources_lookup_data (LS_SCENARIOS_RESOURCE_PATH "translations.ini", 0, NULL);
  g_autoptr (GKeyFile) translations = g_key_file_new ();
  guint n;

  if (!names)
    return;
  if (!ini || !g_key_file_load_from_bytes (translations, ini, G_KEY_FILE_KEEP_TRANSLATIONS, NULL))
    g_clear_pointer (&translations, g_key_file_unref);
  n = g_strv_length (names);
  qsort (names, n, sizeof (char *), compare_names);
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *path = NULL;
        g_autoptr (GBytes) bytes = NULL;
        gboolean first = g_str_equal (names[i], "gather_factorial.py");

        if (!g_str_has_suffix (names[i], ".py") || (pass == 0) != first)
          continue;
        path = g_strconcat (LS_SCENARIOS_RESOURCE_PATH, names[i], NULL);
        bytes = g_resources_lookup_data (path, 0, NULL);
        if (bytes)
          {
            LsScenario *s = ls_scenario_new (names[i], g_bytes_get_data (bytes, NULL));
            if (translations)
              ls_scenario_translate (s, translations, NULL);
            g_ptr_array_add (self->scenarios, s);
          }
      }
}

static GtkWidget *
make_row (const LsScenario *s)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (s->title);
  GtkWidget *summary = gtk_label_new (s->summary);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
  gtk_label_set_lines (GTK_LABEL (summary), 2);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (summary), 30);
  gtk_widget_add_css_class (summary, "dim-label");
  gtk_widget_add_css_class (summary, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, s->description);
  g_object_set_data_full (G_OBJECT (row), "scenario-name", g_strdup (s->name), g_free);
  return row;
}

static void
on_row_activated (GtkListBox *list, GtkListBoxRow *row, LsLibrary *self)
{
  const char *name = g_object_get_data (G_OBJECT (row), "scenario-name");

  if (name && !self->selecting)
    g_signal_emit (self, signals[SIGNAL_SCENARIO_ACTIVATED], 0, name);
}

const LsScenario *
ls_library_get_scenario (LsLibrary *self, const char *name)
{
  g_return_val_if_fail (LS_IS_LIBRARY (self), NULL);
  for (guint i = 0; i < self->scenarios->len; i++)
    {
      const LsScenario *s = g_ptr_array_index (self->scenarios, i);
      if (g_strcmp0 (s->name, name) == 0)
        return s;
    }
  return NULL;
}

guint
ls_library_get_n_scenarios (LsLibrary *self)
{
  g_return_val_if_fail (LS_IS_LIBRARY (self), 0);
  return self->scenarios->len;
}

void
ls_library_select (LsLibrary *self, const char *name)
{
  GtkWidget *child;

  g_return_if_fail (LS_IS_LIBRARY (self));
  self->selecting = TRUE;
  gtk_list_box_unselect_all (self->list);
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child;
       child = gtk_widget_get_next_sibling (child))
    if (name && g_strcmp0 (g_object_get_data (G_OBJECT (child), "scenario-name"), name) == 0)
      gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (child));
  self->selecting = FALSE;
}

static void
ls_library_dispose (GObject *object)
{
  LsLibrary *self = LS_LIBRARY (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_pointer (&self->scenarios, g_ptr_array_unref);
  G_OBJECT_CLASS (ls_library_parent_class)->dispose (object);
}

static void
ls_library_class_init (LsLibraryClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ls_library_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "library");

  /* A scenario's row was activated: its file name. */
  signals[SIGNAL_SCENARIO_ACTIVATED] =
    g_signal_new ("scenario-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ls_library_init (LsLibrary *self)
{
  self->scenarios = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_scenario_free);
  load_scenarios (self);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_SINGLE);
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Scenarios"), -1);
  for (guint i = 0; i < self->scenarios->len; i++)
    gtk_list_box_append (self->list, make_row (g_ptr_array_index (self->scenarios, i)));
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_row_activated), self);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->list));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}

GtkWidget *
ls_library_new (void)
{
  return g_object_new (LS_TYPE_LIBRARY, NULL);
}
