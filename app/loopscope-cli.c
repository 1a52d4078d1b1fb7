/* loopscope-cli.c - Loopscope without a window.
 *
 *   loopscope-cli run FILE.py [OPTIONS]     run a program, print its output
 *   loopscope-cli info TRACE                summarise a recorded trace
 *   loopscope-cli export TRACE -o FILE      write it as Perfetto JSON or CSV
 *   loopscope-cli render IN -o FILE.png     draw the timeline (PNG, SVG, PDF)
 *
 * Each command lives in a file of its own (app/cli-*.c); this one only
 * dispatches.  Exit status: 0 success, 1 the program raised, 2 bad usage
 * or bad input, 3 a limit stopped the run or it deadlocked.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static void
usage (FILE *to)
{
  fprintf (to,
           "usage: loopscope-cli COMMAND [ARGS]\n"
           "\n"
           "commands:\n"
           "  run FILE.py    run an asyncio program in virtual time and print its output\n"
           "  info TRACE     summarise a trace: tasks, events, outcome, findings\n"
           "  export TRACE   write a trace as Perfetto JSON or CSV (--format, -o)\n"
           "  render IN      draw the timeline of a trace or scenario as PNG, SVG or PDF (-o)\n"
           "\n"
           "`loopscope-cli COMMAND --help` lists a command's options.\n");
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      usage (stderr);
      return LS_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "run") == 0)
    return ls_cli_run (argc - 1, argv + 1);
  if (strcmp (argv[1], "info") == 0)
    return ls_cli_info (argc - 1, argv + 1);
  if (strcmp (argv[1], "export") == 0)
    return ls_cli_export (argc - 1, argv + 1);
  if (strcmp (argv[1], "render") == 0)
    return ls_cli_render (argc - 1, argv + 1);
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      usage (stdout);
      return 0;
    }
  fprintf (stderr, "loopscope-cli: unknown command '%s'\n", argv[1]);
  usage (stderr);
  return LS_CLI_EXIT_USAGE;
}
