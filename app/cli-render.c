/* cli-render.c - `loopscope-cli render TRACE_OR_SCENARIO -o FILE`.
 *
 *   loopscope-cli render IN -o out.png|out.svg|out.pdf [--axis hybrid|time|switch]
 *                        [--width W] [--height H] [--from T] [--to T]
 *                        [--tasks PATTERN] [--theme light|dark] [--internal] [--steps]
 *
 * Draws the timeline of a trace (or of a scenario, run first in-process
 * straight into a trace model: nothing is written but the picture) with
 * the same layout and painter as the desktop app.  --steps writes a PDF
 * with one page per task step: the step highlighted, what has not
 * happened yet dimmed, and the output printed so far, for a classroom
 * handout.  Exit status 0; 2 for bad usage, an input that is not a trace
 * or a scenario that does not compile, or an output that cannot be
 * written.
 */
#include "cli.h"
#include "ls-timeline-layout.h"
#include "ls-timeline-painter.h"
#include "ls-trace-reader.h"
#include "ls-vm.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_WIDTH 1400
/* 2026-01-01 00:00:00 UTC, the default epoch of `run`. */
#define DEFAULT_EPOCH 1767225600.0
/* The steps handout: A4 landscape, in points. */
#define PAGE_W 842.0
#define PAGE_H 595.0
#define MAX_STEP_PAGES 2000

typedef enum { OUT_PNG, OUT_SVG, OUT_PDF } OutKind;

static void
observe_into_builder (const LsEvent *event, gpointer user_data)
{
  ls_trace_model_builder_add (user_data, event);
}

static void
keep_stderr (gboolean is_stderr, const char *text, gpointer user_data)
{
  if (is_stderr)
    g_string_append (user_data, text);
}

/* Runs a scenario with the default limits of `run`, its events going
 * straight into a model.  Returns the model, or NULL with a message
 * printed (a scenario that does not compile). */
static LsTraceModel *
run_scenario (const char *path)
{
  LsVmOptions options = {
    .max_steps = 50000000, .max_time = 365.0 * 86400.0, .max_wall = 60.0,
    .max_memory = (guint64) 2048 << 20, .epoch = DEFAULT_EPOCH,
  };
  GError *error = NULL;
  char *source = NULL;
  GString *err = g_string_new (NULL);
  LsTraceModelBuilder *b;
  LsVm *vm;
  LsVmStatus status;
  gboolean syntax_error = FALSE;
  const char *outcome;

  if (!g_file_get_contents (path, &source, NULL, &error))
    {
      fprintf (stderr, "loopscope-cli render: %s\n", error->message);
      g_error_free (error);
      g_string_free (err, TRUE);
      return NULL;
    }
  if (!g_utf8_validate (source, -1, NULL))
    {
      fprintf (stderr, "%s:1:1: error: the file is not valid UTF-8\n", path);
      g_free (source);
      g_string_free (err, TRUE);
      return NULL;
    }
  b = ls_trace_model_builder_new ();
  ls_trace_model_builder_set_meta (b, "tool", "loopscope");
  ls_trace_model_builder_set_meta (b, "tool_version", LS_VERSION);
  ls_trace_model_builder_set_source (b, path, source);
  vm = ls_vm_new (&options);
  ls_vm_set_output (vm, keep_stderr, err);
  ls_vm_set_observer (vm, observe_into_builder, b);
  status = ls_vm_run_source (vm, path, source, &syntax_error);
  /* Freeing the VM closes its loops, which may still report. */
  ls_vm_free (vm);
  g_free (source);
  if (syntax_error)
    {
      fputs (err->str, stderr);
      g_string_free (err, TRUE);
      ls_trace_model_builder_free (b);
      return NULL;
    }
  g_string_free (err, TRUE);
  outcome = status == LS_VM_OK ? "finished" : status == LS_VM_EXCEPTION ? "exception"
            : status == LS_VM_DEADLOCK ? "deadlock" : status == LS_VM_LIMIT ? "limit" : "stopped";
  ls_trace_model_builder_set_meta (b, "outcome", outcome);
  return ls_trace_model_builder_finish (b);
}

/* The height that shows every lane at a comfortable size. */
static double
natural_height (const LsTimeline *tl)
{
  guint n;

  ls_timeline_get_lanes (tl, &n);
  return CLAMP (84.0 + 46.0 * n, 150.0, 2400.0);
}

static gboolean
write_single (const LsTimeline *tl, const LsTimelineViewport *vp, const LsTimelineTheme *theme,
              const LsTimelinePaintOptions *paint, OutKind kind, const char *output)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t st;
  LsTimelineFrame *frame = ls_timeline_frame_new ();

  ls_timeline_frame_update (frame, tl, vp);
  if (kind == OUT_PNG)
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) vp->width, (int) vp->height);
  else if (kind == OUT_SVG)
    surface = cairo_svg_surface_create (output, vp->width, vp->height);
  else
    surface = cairo_pdf_surface_create (output, vp->width, vp->height);
  cr = cairo_create (surface);
  ls_timeline_paint (cr, frame, theme, paint);
  cairo_destroy (cr);
  if (kind == OUT_PNG)
    st = cairo_surface_write_to_png (surface, output);
  else
    {
      cairo_surface_finish (surface);
      st = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  ls_timeline_frame_free (frame);
  if (st != CAIRO_STATUS_SUCCESS)
    {
      fprintf (stderr, "loopscope-cli render: %s: %s\n", output, cairo_status_to_string (st));
      return FALSE;
    }
  return TRUE;
}

/* The steps handout: one page per step of a lane shown. */
static gboolean
write_steps (const LsTimeline *tl, const LsTimelineViewport *base, const LsTimelineTheme *theme,
             const char *title, const char *output)
{
  const LsTraceModel *model = ls_timeline_get_model (tl);
  const LsTraceTask *tasks = ls_trace_model_get_tasks (model, NULL);
  guint n_steps, n_lanes, n_pages = 0, page = 0;
  const LsTraceStep *steps = ls_trace_model_get_steps (model, &n_steps);
  const int *lanes = ls_timeline_get_lanes (tl, &n_lanes);
  gboolean *shown = g_new0 (gboolean, MAX (ls_trace_model_get_run (model) ? n_steps : 0, 1));
  double w = base->width, h = base->height;
  double panel_h = MAX (h * 0.3, 120);
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t st;
  LsTimelineFrame *frame = ls_timeline_frame_new ();
  LsTimelinePaintOptions paint = { .title = title, .veil_after_playhead = TRUE };

  for (guint i = 0; i < n_steps; i++)
    for (guint k = 0; k < n_lanes; k++)
      if ((guint) lanes[k] == steps[i].task)
        {
          shown[i] = TRUE;
          n_pages++;
          break;
        }
  if (n_pages > MAX_STEP_PAGES)
    fprintf (stderr, "loopscope-cli render: %u steps; the handout keeps the first %u\n", n_pages,
             MAX_STEP_PAGES);
  surface = cairo_pdf_surface_create (output, w, h);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cr = cairo_create (surface);
  for (guint i = 0; i < n_steps && page < MAX_STEP_PAGES; i++)
    {
      LsTimelineViewport vp = *base;
      const LsTraceStep *s = &steps[i];
      const LsTraceEvent *ev = ls_trace_model_get_event (model, s->begin_seq);
      char *so_far, *heading;

      if (!shown[i])
        continue;
      page++;
      vp.height = h - panel_h - 8;
      vp.highlight_step = (int) i;
      vp.playhead_seq = s->end_seq;
      ls_timeline_frame_update (frame, tl, &vp);
      ls_timeline_paint (cr, frame, theme, &paint);
      so_far = ls_timeline_output_until (model, s->end_seq);
      heading = g_strdup_printf ("Step %u of %u: %s %s runs at t = %g s. Printed so far:", page,
                                 MIN (n_pages, MAX_STEP_PAGES), tasks[s->task].name,
                                 tasks[s->task].coro ? tasks[s->task].coro : "",
                                 ev ? ev->time : 0.0);
      ls_timeline_paint_text_panel (cr, 6, h - panel_h - 2, w - 12, panel_h - 4, theme, heading,
                                    so_far);
      cairo_show_page (cr);
      g_free (so_far);
      g_free (heading);
    }
  if (page == 0)
    {
      /* No step at all (a program that never ran a task): one page anyway. */
      ls_timeline_frame_update (frame, tl, base);
      ls_timeline_paint (cr, frame, theme, &paint);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  st = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  ls_timeline_frame_free (frame);
  g_free (shown);
  if (st != CAIRO_STATUS_SUCCESS)
    {
      fprintf (stderr, "loopscope-cli render: %s: %s\n", output, cairo_status_to_string (st));
      return FALSE;
    }
  return TRUE;
}

int
ls_cli_render (int argc, char **argv)
{
  char *output = NULL, *axis_name = NULL, *tasks = NULL, *theme_name = NULL;
  double from = -1, to = -1;
  gint width = 0, height = 0;
  gboolean steps = FALSE, internal = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The picture to write: .png, .svg or .pdf", "FILE" },
    { "axis", 0, 0, G_OPTION_ARG_STRING, &axis_name, "hybrid (default), time or switch", "AXIS" },
    { "width", 'w', 0, G_OPTION_ARG_INT, &width, "Width in pixels (PNG) or points (default 1400; --steps: 842)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Height (default: enough for every task)", "H" },
    { "from", 0, 0, G_OPTION_ARG_DOUBLE, &from, "Start at virtual time T (seconds)", "T" },
    { "to", 0, 0, G_OPTION_ARG_DOUBLE, &to, "End at virtual time T (seconds)", "T" },
    { "tasks", 0, 0, G_OPTION_ARG_STRING, &tasks, "Only tasks whose name or coroutine matches (glob: 'Task-*', 'factorial')", "PATTERN" },
    { "theme", 0, 0, G_OPTION_ARG_STRING, &theme_name, "light (default) or dark", "THEME" },
    { "internal", 0, 0, G_OPTION_ARG_NONE, &internal, "Show asyncio.run's housekeeping tasks too", NULL },
    { "steps", 0, 0, G_OPTION_ARG_NONE, &steps, "PDF only: one page per task step, with the output so far", NULL },
    { NULL }
  };
  GOptionContext *ctx = g_option_context_new ("TRACE_OR_SCENARIO - draw the timeline as PNG, SVG or PDF");
  GError *error = NULL;
  LsTraceModel *model = NULL;
  LsTimeline *tl = NULL;
  LsTimelineOptions options = { 0 };
  LsTimelineViewport vp;
  LsTimelinePaintOptions paint = { 0 };
  const LsTimelineTheme *theme;
  const char *input, *ext;
  char *base = NULL, *title = NULL;
  OutKind kind;
  int axis, code = LS_CLI_EXIT_USAGE;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "loopscope-cli render: %s\n", error->message);
      goto out;
    }
  if (argc != 2 || !output)
    {
      fprintf (stderr, "usage: loopscope-cli render TRACE_OR_SCENARIO -o FILE.png|svg|pdf [OPTIONS]\n");
      goto out;
    }
  input = argv[1];
  ext = strrchr (output, '.');
  if (ext && g_ascii_strcasecmp (ext, ".png") == 0)
    kind = OUT_PNG;
  else if (ext && g_ascii_strcasecmp (ext, ".svg") == 0)
    kind = OUT_SVG;
  else if (ext && g_ascii_strcasecmp (ext, ".pdf") == 0)
    kind = OUT_PDF;
  else
    {
      fprintf (stderr, "loopscope-cli render: %s: the name must end in .png, .svg or .pdf\n", output);
      goto out;
    }
  axis = ls_timeline_axis_from_name (axis_name ? axis_name : "hybrid");
  if (axis < 0)
    {
      fprintf (stderr, "loopscope-cli render: unknown axis '%s' (want hybrid, time or switch)\n", axis_name);
      goto out;
    }
  theme = ls_timeline_theme_from_name (theme_name ? theme_name : "light");
  if (!theme)
    {
      fprintf (stderr, "loopscope-cli render: unknown theme '%s' (want light or dark)\n", theme_name);
      goto out;
    }
  if (steps && kind != OUT_PDF)
    {
      fprintf (stderr, "loopscope-cli render: --steps writes a PDF (use -o FILE.pdf)\n");
      goto out;
    }
  if (width < 0 || height < 0 || (width && width < 200) || width > 20000 || height > 20000
      || (height && height < 100))
    {
      fprintf (stderr, "loopscope-cli render: --width must be 200 .. 20000 and --height 100 .. 20000\n");
      goto out;
    }
  if (from >= 0 && to >= 0 && to <= from)
    {
      fprintf (stderr, "loopscope-cli render: --to must be later than --from\n");
      goto out;
    }

  if (g_str_has_suffix (input, ".py"))
    model = run_scenario (input);
  else
    {
      model = ls_trace_model_load (input, &error);
      if (!model)
        fprintf (stderr, "loopscope-cli render: %s: %s\n", input, error->message);
    }
  if (!model)
    goto out;

  options.axis = (LsTimelineAxis) axis;
  options.tasks_pattern = tasks;
  options.show_internal = internal;
  tl = ls_timeline_new (model, &options);
  ls_timeline_viewport_init (&vp, width ? width : steps ? PAGE_W : DEFAULT_WIDTH,
                             height ? height : steps ? PAGE_H : natural_height (tl));
  if (from >= 0 || to >= 0)
    {
      vp.u_from = from >= 0 ? ls_timeline_time_to_u (tl, from) : 0.0;
      vp.u_to = to >= 0 ? ls_timeline_time_to_u (tl, to) : ls_timeline_get_u_end (tl);
      if (vp.u_to <= vp.u_from)   /* one instant: show its steps */
        vp.u_to = vp.u_from + MAX (ls_timeline_get_u_end (tl) * 1e-3, 1e-9);
    }
  base = g_path_get_basename (ls_trace_model_get_run (model)->scenario_path
                                ? ls_trace_model_get_run (model)->scenario_path : input);
  title = g_strdup_printf ("%s · %s axis", base, ls_timeline_axis_name ((LsTimelineAxis) axis));
  paint.title = title;

  if (steps ? write_steps (tl, &vp, theme, title, output)
            : write_single (tl, &vp, theme, &paint, kind, output))
    code = 0;

out:
  g_clear_error (&error);
  ls_timeline_free (tl);
  ls_trace_model_free (model);
  g_option_context_free (ctx);
  g_free (output);
  g_free (axis_name);
  g_free (tasks);
  g_free (theme_name);
  g_free (base);
  g_free (title);
  return code;
}
