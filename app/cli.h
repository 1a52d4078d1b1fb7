/* cli.h - the commands of loopscope-cli, one file each.
 *
 * Each takes the arguments after "loopscope-cli" (argv[0] is the command's
 * name) and returns the process exit status.  They print their own errors.
 */
#pragma once

#include <glib.h>

/* Exit statuses shared by every command. */
#define LS_CLI_EXIT_USAGE 2     /* bad usage, bad input file, syntax error */
#define LS_CLI_EXIT_STOPPED 3   /* a limit stopped the run, or it deadlocked */

int ls_cli_run (int argc, char **argv);
int ls_cli_info (int argc, char **argv);
int ls_cli_export (int argc, char **argv);
int ls_cli_render (int argc, char **argv);
