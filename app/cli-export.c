/* cli-export.c - `loopscope-cli export TRACE --format perfetto|csv -o FILE`.
 *
 * Writes a recorded trace for other tools: Perfetto / Chrome Trace Event
 * JSON (open it in ui.perfetto.dev) or CSV, one line per event.  Exit
 * status 0; 2 for bad usage, a file that is not a readable trace, or an
 * output that cannot be written (then nothing is replaced).
 */
#include "cli.h"
#include "ls-trace-export.h"
#include "ls-trace-reader.h"

#include <stdio.h>

int
ls_cli_export (int argc, char **argv)
{
  char *format_name = NULL, *output = NULL;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "perfetto (Chrome Trace Event JSON) or csv", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The file to write", "FILE" },
    { NULL }
  };
  GOptionContext *ctx = g_option_context_new ("TRACE - write a trace as Perfetto JSON or CSV");
  GError *error = NULL;
  LsTraceModel *model = NULL;
  int format, code = LS_CLI_EXIT_USAGE;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "loopscope-cli export: %s\n", error->message);
      goto out;
    }
  if (argc != 2 || !output)
    {
      fprintf (stderr, "usage: loopscope-cli export TRACE --format perfetto|csv -o FILE\n");
      goto out;
    }
  format = ls_trace_export_format_from_name (format_name ? format_name : "perfetto");
  if (format < 0)
    {
      fprintf (stderr, "loopscope-cli export: unknown format '%s' (want perfetto or csv)\n", format_name);
      goto out;
    }
  model = ls_trace_model_load (argv[1], &error);
  if (!model)
    {
      fprintf (stderr, "loopscope-cli export: %s: %s\n", argv[1], error->message);
      goto out;
    }
  if (!ls_trace_export_to_file (model, (LsTraceExportFormat) format, output, &error))
    {
      fprintf (stderr, "loopscope-cli export: %s: %s\n", output, error->message);
      goto out;
    }
  code = 0;

out:
  g_clear_error (&error);
  ls_trace_model_free (model);
  g_option_context_free (ctx);
  g_free (format_name);
  g_free (output);
  return code;
}
