/* cli-info.c - placeholder until the info command lands. */
#include "cli.h"

#include <stdio.h>

int
ls_cli_info (int argc, char **argv)
{
  fprintf (stderr, "loopscope-cli info: not available yet\n");
  return LS_CLI_EXIT_USAGE;
}
