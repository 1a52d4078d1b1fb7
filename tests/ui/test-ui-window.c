/* test-ui-window.c - the main window, driven as a user drives it.
 *
 * Runs under Xvfb (tests/ui/meson.build).  One window for the whole
 * suite, like a user's session: load a bundled scenario, run it, check
 * the lanes and task names shown, step and watch the inspector, console,
 * loop state and highlighted line change, hover, filter, export every
 * format, break the program's syntax and see the error while the app
 * stays up, follow a finding, cancel a runaway, presentation mode.
 */
#include <adwaita.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "ls-application.h"
#include "ls-editor.h"
#include "ls-inspector.h"
#include "ls-state-panel.h"
#include "ls-timeline-view.h"
#include "ls-window.h"

static LsWindow *win;
static char *tmpdir;

/* Iterates the main loop until cond() or timeout_ms pass; the result of cond(). */
static gboolean
wait_for (gboolean (*cond) (void), guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond () && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  return cond ();
}

static gboolean
not_busy (void)
{
  return !ls_window_is_busy (win);
}

static gboolean
mapped (void)
{
  return gtk_widget_get_mapped (GTK_WIDGET (win)) && gtk_widget_get_width (GTK_WIDGET (win)) > 0;
}

/* Lets pending layout and drawing happen. */
static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + 150 * 1000;
  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static void
run_and_wait (void)
{
  ls_window_run (win);
  g_assert_true (ls_window_is_busy (win));
  g_assert_true (wait_for (not_busy, 30000));
  settle ();
}

static LsTimelineView *
timeline (void)
{
  return LS_TIMELINE_VIEW (ls_window_get_timeline (win));
}

static char *
inspector_text (void)
{
  return ls_inspector_get_text (LS_INSPECTOR (ls_window_get_inspector (win)));
}

static int
exec_line (void)
{
  return ls_editor_get_exec_line (LS_EDITOR (ls_window_get_editor (win)));
}

/* ---- tests --------------------------------------------------------------------- */

static void
test_run_scenario (void)
{
  g_autofree char *console = NULL;

  g_assert_true (ls_window_load_scenario (win, "gather_factorial.py"));
  g_assert_false (ls_window_load_scenario (win, "no_such_scenario.py"));
  g_assert_null (ls_window_get_model (win));
  run_and_wait ();
  g_assert_nonnull (ls_window_get_model (win));
  /* main and the three factorials; asyncio.run's housekeeping is hidden. */
  g_assert_cmpuint (ls_timeline_view_get_n_lanes (timeline ()), ==, 4);
  g_assert_cmpstr (ls_timeline_view_get_lane_name (timeline (), 0), ==, "Task-1");
  g_assert_cmpstr (ls_timeline_view_get_lane_name (timeline (), 1), ==, "Task-2");
  g_assert_cmpstr (ls_timeline_view_get_lane_name (timeline (), 2), ==, "Task-3");
  g_assert_cmpstr (ls_timeline_view_get_lane_name (timeline (), 3), ==, "Task-4");
  g_assert_cmpuint (ls_window_get_n_findings (win), ==, 0);
  console = ls_window_get_console_text (win);
  g_assert_true (g_str_has_suffix (console, "[2, 6, 24]\n"));
  g_assert_cmpint (ls_window_get_step (win), ==, -1);
  /* The timeline painted, with its frame in a frame's time. */
  g_assert_cmpint (ls_timeline_view_get_last_paint_usec (timeline ()), >, 0);
}

static void
test_step (void)
{
  g_autofree char *insp1 = NULL, *insp2 = NULL, *console1 = NULL, *console2 = NULL;
  g_autofree char *state1 = NULL, *state2 = NULL;
  int line1, line2;

  /* Right arrow: the first switch, main's step up to `await gather(...)`. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.step-next", NULL);
  settle ();
  g_assert_cmpint (ls_window_get_step (win), ==, 0);
  insp1 = inspector_text ();
  console1 = ls_window_get_console_text (win);
  state1 = ls_state_panel_get_text (LS_STATE_PANEL (ls_window_get_state_panel (win)));
  line1 = exec_line ();
  g_assert_nonnull (strstr (insp1, "Task: Task-1"));
  g_assert_cmpstr (console1, ==, "");
  g_assert_cmpint (line1, ==, 19);
  g_assert_nonnull (strstr (state1, "1. Task-2"));

  /* Next: Task-2 prints its first line and stops at the sleep, line 13. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.step-next", NULL);
  settle ();
  g_assert_cmpint (ls_window_get_step (win), ==, 1);
  insp2 = inspector_text ();
  console2 = ls_window_get_console_text (win);
  state2 = ls_state_panel_get_text (LS_STATE_PANEL (ls_window_get_state_panel (win)));
  line2 = exec_line ();
  g_assert_nonnull (strstr (insp2, "Task: Task-2"));
  g_assert_cmpstr (insp1, !=, insp2);
  g_assert_cmpstr (console2, ==, "Task A: Compute factorial(2), currently i=2...\n");
  g_assert_cmpint (line2, ==, 13);
  g_assert_cmpstr (state1, !=, state2);
  g_assert_nonnull (strstr (state2, "at 1 s"));
  g_assert_cmpuint (ls_timeline_view_get_playhead (timeline ()), >, 0);

  /* Left goes back; Home/End ends. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.step-prev", NULL);
  g_assert_cmpint (ls_window_get_step (win), ==, 0);
  /* 13 steps ran, 2 of them asyncio.run's housekeeping, which the
   * timeline hides and stepping skips: the last one shown is main's. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.step-last", NULL);
  g_assert_cmpint (ls_window_get_step (win), ==, 10);
  {
    g_autofree char *text = inspector_text ();
    g_assert_nonnull (strstr (text, "Task: Task-1"));
  }
  ls_window_set_step (win, -1);
  g_assert_cmpuint (ls_timeline_view_get_playhead (timeline ()), ==, 0);
}

static gboolean
at_first_step (void)
{
  return ls_window_get_step (win) == 0;
}

/* The stepping actions reach the window from the focused timeline (the
 * widget the arrow keys go to once the editor lets them through). */
static void
test_step_from_timeline (void)
{
  GtkWidget *tl = ls_window_get_timeline (win);

  ls_window_set_step (win, -1);
  gtk_widget_grab_focus (tl);
  g_assert_true (gtk_widget_has_focus (tl));
  g_assert_true (gtk_widget_activate_action (tl, "win.step-next", NULL));
  g_assert_true (wait_for (at_first_step, 2000));
}

static void
test_hover_and_click (void)
{
  GtkWidget *tl = ls_window_get_timeline (win);
  int w = gtk_widget_get_width (tl), h = gtk_widget_get_height (tl);
  gboolean found = FALSE;

  /* Somewhere in the plot there is a step of Task-2 with a tooltip. */
  for (int y = 0; y < h && !found; y += 4)
    for (int x = w / 4; x < w && !found; x += 3)
      {
        g_autofree char *tip = ls_timeline_view_describe_at (LS_TIMELINE_VIEW (tl), x, y);
        if (tip && strstr (tip, "Task-2") && strstr (tip, "running"))
          found = TRUE;
      }
  g_assert_true (found);

  /* Selecting an event shows it in the inspector with its seq and time. */
  ls_timeline_view_select_event (timeline (), 12, -1);
  settle ();
  {
    g_autofree char *text = inspector_text ();
    g_assert_nonnull (strstr (text, "Sequence number: #12"));
    g_assert_nonnull (strstr (text, "Virtual time: 0.000000 s"));
    g_assert_nonnull (strstr (text, "Line 12"));
  }
  g_assert_cmpint (exec_line (), ==, 12);
}

static void
test_zoom_filter_axis (void)
{
  double from, to, from2, to2;

  ls_timeline_view_zoom_fit (timeline ());
  ls_timeline_view_get_range (timeline (), &from, &to);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.zoom-in", NULL);
  ls_timeline_view_get_range (timeline (), &from2, &to2);
  g_assert_cmpfloat (to2 - from2, <, (to - from) * 0.6);
  ls_timeline_view_pan (timeline (), 0.5);
  ls_timeline_view_get_range (timeline (), &from, &to);
  g_assert_cmpfloat (from, >, from2);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.zoom-fit", NULL);

  ls_timeline_view_set_filter (timeline (), "*Task-3*", FALSE);
  g_assert_cmpuint (ls_timeline_view_get_n_lanes (timeline ()), ==, 1);
  g_assert_cmpstr (ls_timeline_view_get_lane_name (timeline (), 0), ==, "Task-3");
  ls_timeline_view_set_filter (timeline (), NULL, TRUE);
  g_assert_cmpuint (ls_timeline_view_get_n_lanes (timeline ()), >=, 4);
  ls_timeline_view_set_filter (timeline (), NULL, FALSE);
  g_assert_cmpuint (ls_timeline_view_get_n_lanes (timeline ()), ==, 4);

  ls_timeline_view_set_axis (timeline (), LS_TIMELINE_AXIS_SWITCH);
  g_assert_cmpint (ls_timeline_view_get_axis (timeline ()), ==, LS_TIMELINE_AXIS_SWITCH);
  settle ();
  ls_timeline_view_set_axis (timeline (), LS_TIMELINE_AXIS_HYBRID);
}

static void
test_export (void)
{
  g_autofree char *png = g_build_filename (tmpdir, "t.png", NULL);
  g_autofree char *svg = g_build_filename (tmpdir, "t.svg", NULL);
  g_autofree char *pdf = g_build_filename (tmpdir, "t.pdf", NULL);
  g_autofree char *json = g_build_filename (tmpdir, "t.json", NULL);
  g_autofree char *bad = g_build_filename (tmpdir, "no", "such", "dir.png", NULL);
  g_autoptr (GError) error = NULL;
  cairo_surface_t *img;
  g_autofree char *text = NULL;

  g_assert_true (ls_window_export (win, "png", png, &error));
  g_assert_no_error (error);
  img = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, 1400);
  g_assert_cmpint (cairo_image_surface_get_height (img), >, 200);
  cairo_surface_destroy (img);

  g_assert_true (ls_window_export (win, "svg", svg, &error));
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<svg"));
  g_clear_pointer (&text, g_free);
  g_assert_true (ls_window_export (win, "pdf", pdf, &error));
  g_assert_true (g_file_get_contents (pdf, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "%PDF"));
  g_clear_pointer (&text, g_free);
  g_assert_true (ls_window_export (win, "perfetto", json, &error));
  g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "traceEvents"));

  g_assert_false (ls_window_export (win, "png", bad, &error));
  g_assert_nonnull (error);
}

static void
test_syntax_error (void)
{
  LsEditor *editor = LS_EDITOR (ls_window_get_editor (win));
  g_autofree char *console = NULL;

  ls_window_set_program (win, "broken.py", "import asyncio\n\nx = (1 +\nprint(x)\n");
  run_and_wait ();
  g_assert_cmpint (ls_editor_get_error_line (editor), ==, 3);
  g_assert_nonnull (ls_editor_get_error_message (editor));
  g_assert_null (ls_window_get_model (win));
  console = ls_window_get_console_text (win);
  g_assert_true (g_str_has_prefix (console, "broken.py:3:"));
  /* Still up: mend it and run again. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (win)));
  ls_editor_set_text (editor, "import asyncio\n\nx = (1 + 2)\nprint(x)\n");
  g_assert_cmpint (ls_editor_get_error_line (editor), ==, 0);
  run_and_wait ();
  g_clear_pointer (&console, g_free);
  console = ls_window_get_console_text (win);
  g_assert_cmpstr (console, ==, "3\n");
}

static void
test_findings (void)
{
  g_assert_true (ls_window_load_scenario (win, "blocking_sleep.py"));
  run_and_wait ();
  g_assert_cmpuint (ls_window_get_n_findings (win), >=, 1);
  ls_window_activate_finding (win, 0);
  settle ();
  g_assert_cmpint (ls_window_get_step (win), >=, 0);
  /* The blocking time.sleep(2) line is highlighted. */
  {
    g_autofree char *text = inspector_text ();
    g_assert_nonnull (strstr (text, "time.sleep"));
  }
}

static void
test_cancel (void)
{
  gint64 start;
  guint iterations = 0;
  const LsTraceRun *run;

  ls_window_set_program (win, "forever.py",
                         "import asyncio\n"
                         "async def spin():\n"
                         "    while True:\n"
                         "        await asyncio.sleep(0)\n"
                         "asyncio.run(spin())\n");
  ls_window_run (win);
  /* The window keeps handling events while the run goes on. */
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 400 * 1000)
    {
      if (g_main_context_iteration (NULL, FALSE))
        iterations++;
      else
        g_usleep (1000);
    }
  g_assert_true (ls_window_is_busy (win));
  g_assert_cmpuint (iterations, >, 2);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.cancel", NULL);
  g_assert_true (wait_for (not_busy, 10000));
  g_assert_nonnull (ls_window_get_model (win));
  run = ls_trace_model_get_run (ls_window_get_model (win));
  g_assert_cmpstr (run->outcome_name, ==, "stopped");
  g_assert_cmpuint (run->n_events, >, 0);
}

/* A trace recorded by a run, saved, then opened again: the same lanes and
 * the program back in the editor.  A file that is not a trace changes
 * nothing. */
static void
test_open_trace (void)
{
  g_autofree char *copy = g_build_filename (tmpdir, "saved.sqlite", NULL);
  g_autofree char *junk = g_build_filename (tmpdir, "junk.sqlite", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (copy);
  g_autoptr (GFile) junk_file = g_file_new_for_path (junk);
  g_autoptr (GError) error = NULL;
  const LsTraceModel *before;

  g_assert_true (ls_window_load_scenario (win, "gather_factorial.py"));
  run_and_wait ();
  g_assert_true (ls_window_save_trace (win, copy, &error));
  g_assert_no_error (error);

  ls_window_set_program (win, "other.py", "print('x')\n");
  ls_window_open_file (win, file);
  g_assert_true (wait_for (not_busy, 10000));
  settle ();
  g_assert_nonnull (ls_window_get_model (win));
  g_assert_cmpuint (ls_timeline_view_get_n_lanes (timeline ()), ==, 4);
  text = ls_editor_get_text (LS_EDITOR (ls_window_get_editor (win)));
  g_assert_true (g_str_has_prefix (text, "# title: Three factorials with gather"));

  g_assert_true (g_file_set_contents (junk, "not a trace at all", -1, NULL));
  before = ls_window_get_model (win);
  ls_window_open_file (win, junk_file);
  g_assert_true (wait_for (not_busy, 10000));
  g_assert_true (ls_window_get_model (win) == before);
}

static void
test_presentation (void)
{
  g_assert_true (ls_window_load_scenario (win, "gather_factorial.py"));
  run_and_wait ();
  ls_window_set_presentation (win, TRUE);
  settle ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (win), "presentation"));
  g_assert_false (gtk_widget_get_visible (ls_window_get_editor (win))
                  && gtk_widget_get_mapped (ls_window_get_editor (win)));
  g_assert_true (gtk_widget_get_mapped (ls_window_get_timeline (win)));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.step-next", NULL);
  g_assert_cmpint (ls_window_get_step (win), ==, 0);
  /* Escape leaves. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.cancel", NULL);
  settle ();
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (win), "presentation"));
  g_assert_true (gtk_widget_get_mapped (ls_window_get_editor (win)));
}

int
main (int argc, char **argv)
{
  g_autoptr (LsApplication) app = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ls_application_init_i18n ();
  tmpdir = g_dir_make_tmp ("loopscope-ui-test-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  app = ls_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  win = ls_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (win));
  g_assert_true (wait_for (mapped, 10000));

  g_test_add_func ("/ui/window/run-scenario", test_run_scenario);
  g_test_add_func ("/ui/window/step", test_step);
  g_test_add_func ("/ui/window/step-from-timeline", test_step_from_timeline);
  g_test_add_func ("/ui/window/hover-and-click", test_hover_and_click);
  g_test_add_func ("/ui/window/zoom-filter-axis", test_zoom_filter_axis);
  g_test_add_func ("/ui/window/export", test_export);
  g_test_add_func ("/ui/window/syntax-error", test_syntax_error);
  g_test_add_func ("/ui/window/findings", test_findings);
  g_test_add_func ("/ui/window/cancel", test_cancel);
  g_test_add_func ("/ui/window/open-trace", test_open_trace);
  g_test_add_func ("/ui/window/presentation", test_presentation);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (win));
  settle ();
  {
    g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *p = g_build_filename (tmpdir, name, NULL);
        g_unlink (p);
      }
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
