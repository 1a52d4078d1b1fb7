/* cli-run.c - `loopscope-cli run FILE.py`.
 *
 *   loopscope-cli run FILE.py [--epoch E] [--max-steps N] [--max-time S]
 *                             [--max-wall S] [--max-memory M] [--quiet]
 *                             [--steps FILE] [--trace FILE]
 *
 * Executes an asyncio program in virtual time and prints what it prints,
 * exactly as CPython 3.12 would, stdout and stderr kept apart; optionally
 * records every event into an SQLite trace.  Exit status: 0 ran to the
 * end, 1 uncaught exception, 2 bad usage or a syntax error (nothing ran),
 * 3 a limit stopped it or it deadlocked, 130 interrupted (Ctrl+C).
 */
#include "cli.h"
#include "ls-steps.h"
#include "ls-trace-recorder.h"
#include "ls-vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>

#define EXIT_USAGE LS_CLI_EXIT_USAGE
#define EXIT_STOPPED LS_CLI_EXIT_STOPPED
#define EXIT_INTERRUPTED 130

#define DEFAULT_EPOCH "2026-01-01 00:00:00"
/* Limits that stop runaways long before they hurt, and leave every program
 * a user would run untouched. */
#define DEFAULT_MAX_STEPS 50000000
#define DEFAULT_MAX_TIME (365.0 * 86400.0)
#define DEFAULT_MAX_WALL 60.0
#define DEFAULT_MAX_MEMORY_MB 2048

typedef struct {
  gboolean quiet;
} RunOutput;

/* Both listeners a run may have, fed by one observer. */
typedef struct {
  LsStepTrace *steps;
  LsTraceRecorder *recorder;
} RunListeners;

static void
observe_both (const LsEvent *event, gpointer user_data)
{
  RunListeners *l = user_data;
  if (l->steps)
    ls_step_trace_observe (event, l->steps);
  if (l->recorder)
    ls_trace_recorder_observe (event, l->recorder);
}

/* Ctrl+C stops the program the way a limit does, so that the trace is
 * finished and marked as stopped instead of cut short. */
static LsVm *running_vm;

static void
on_interrupt (int signum)
{
  if (running_vm)
    ls_vm_interrupt (running_vm);
  signal (signum, SIG_DFL);     /* a second Ctrl+C kills at once */
}

static void
write_output (gboolean is_stderr, const char *text, gpointer user_data)
{
  RunOutput *o = user_data;
  if (o->quiet && !is_stderr)
    return;
  fputs (text, is_stderr ? stderr : stdout);
}

/* "YYYY-MM-DD HH:MM:SS" (UTC), "YYYY-MM-DDTHH:MM:SS", "YYYY-MM-DD", or
 * seconds since 1970, as the oracle accepts. */
static gboolean
parse_epoch (const char *text, double *out)
{
  static const char *const formats[] = { "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d" };
  char *end;
  double secs = g_ascii_strtod (text, &end);

  if (*text && *end == '\0')
    {
      *out = secs;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      struct tm tm = { 0 };
      const char *rest = strptime (text, formats[i], &tm);
      if (rest && *rest == '\0')
        {
          GDateTime *dt = g_date_time_new_utc (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                                               tm.tm_hour, tm.tm_min, tm.tm_sec);
          if (!dt)
            return FALSE;
          *out = (double) g_date_time_to_unix (dt);
          g_date_time_unref (dt);
          return TRUE;
        }
    }
  return FALSE;
}

int
ls_cli_run (int argc, char **argv)
{
  /* Freed on every way out: the options, the source, the context. */
  g_autofree gchar *epoch_text = NULL;
  g_autofree gchar *steps_path = NULL;
  g_autofree gchar *trace_path = NULL;
  g_autofree char *source = NULL;
  gint64 max_steps = DEFAULT_MAX_STEPS, max_memory = DEFAULT_MAX_MEMORY_MB;
  gdouble max_time = DEFAULT_MAX_TIME, max_wall = DEFAULT_MAX_WALL;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "epoch", 0, 0, G_OPTION_ARG_STRING, &epoch_text, "UTC wall time at virtual t=0 (default " DEFAULT_EPOCH ")", "TIME" },
    { "max-steps", 0, 0, G_OPTION_ARG_INT64, &max_steps, "Stop after N task steps (default 50000000; 0: no limit)", "N" },
    { "max-time", 0, 0, G_OPTION_ARG_DOUBLE, &max_time, "Stop when virtual time passes S seconds (default one year; 0: no limit)", "S" },
    { "max-wall", 0, 0, G_OPTION_ARG_DOUBLE, &max_wall, "Stop after S seconds of real time (default 60; 0: no limit)", "S" },
    { "max-memory", 0, 0, G_OPTION_ARG_INT64, &max_memory, "Stop when the program uses more than M MiB (default 2048; 0: no limit)", "M" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not print the program's standard output", NULL },
    { "steps", 0, 0, G_OPTION_ARG_FILENAME, &steps_path, "Write the task steps, in the CPython oracle's format, to FILE", "FILE" },
    { "trace", 't', 0, G_OPTION_ARG_FILENAME, &trace_path, "Record every event into the SQLite trace FILE", "FILE" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE.py - run an asyncio program in virtual time");
  g_autoptr (GError) error = NULL;
  char *filename, *stop_message;
  LsVmOptions options = { 0 };
  RunOutput output = { 0 };
  LsStepTrace *steps = NULL;
  LsTraceRecorder *recorder = NULL;
  RunListeners listeners = { 0 };
  LsTraceOutcome outcome;
  LsVm *vm;
  LsVmStatus status;
  gboolean syntax_error;
  int code;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "loopscope-cli run: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc != 2)
    {
      fprintf (stderr, "usage: loopscope-cli run FILE.py [OPTIONS]\n");
      return EXIT_USAGE;
    }
  filename = argv[1];
  if (!parse_epoch (epoch_text ? epoch_text : DEFAULT_EPOCH, &options.epoch))
    {
      fprintf (stderr, "loopscope-cli run: bad --epoch '%s' (want 'YYYY-MM-DD HH:MM:SS' UTC or seconds)\n",
               epoch_text);
      return EXIT_USAGE;
    }
  if (max_steps < 0 || max_time < 0 || max_wall < 0 || max_memory < 0)
    {
      fprintf (stderr, "loopscope-cli run: limits must not be negative\n");
      return EXIT_USAGE;
    }
  if (!g_file_get_contents (filename, &source, NULL, &error))
    {
      fprintf (stderr, "loopscope-cli run: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (!g_utf8_validate (source, -1, NULL))
    {
      fprintf (stderr, "%s:1:1: error: the file is not valid UTF-8\n", filename);
      return EXIT_USAGE;
    }
  options.max_steps = (guint64) max_steps;
  options.max_time = max_time;
  options.max_wall = max_wall;
  options.max_memory = (guint64) max_memory << 20;
  output.quiet = quiet;

  if (trace_path)
    {
      LsTraceRunInfo info = {
        .scenario_path = filename, .source = source, .epoch = options.epoch,
        .max_steps = options.max_steps, .max_time = options.max_time,
        .max_wall = options.max_wall, .max_memory = options.max_memory,
      };
      recorder = ls_trace_recorder_new (trace_path, &info, &error);
      if (!recorder)
        {
          fprintf (stderr, "loopscope-cli run: %s\n", error->message);
          return EXIT_USAGE;
        }
    }

  vm = ls_vm_new (&options);
  ls_vm_set_output (vm, write_output, &output);
  if (steps_path)
    steps = ls_step_trace_new ();
  listeners.steps = steps;
  listeners.recorder = recorder;
  if (steps || recorder)
    ls_vm_set_observer (vm, observe_both, &listeners);
  running_vm = vm;
  signal (SIGINT, on_interrupt);
  status = ls_vm_run_source (vm, filename, source, &syntax_error);
  signal (SIGINT, SIG_DFL);
  running_vm = NULL;
  fflush (stdout);

  if (syntax_error)
    code = EXIT_USAGE, outcome = LS_TRACE_OUTCOME_SYNTAX;
  else if (status == LS_VM_EXCEPTION)
    code = 1, outcome = LS_TRACE_OUTCOME_EXCEPTION;
  else if (status == LS_VM_LIMIT)
    code = EXIT_STOPPED, outcome = LS_TRACE_OUTCOME_LIMIT;
  else if (status == LS_VM_DEADLOCK)
    code = EXIT_STOPPED, outcome = LS_TRACE_OUTCOME_DEADLOCK;
  else if (status == LS_VM_INTERRUPTED)
    code = EXIT_INTERRUPTED, outcome = LS_TRACE_OUTCOME_STOPPED;
  else
    code = 0, outcome = LS_TRACE_OUTCOME_FINISHED;

  /* Freeing the VM closes its loops, which may still report (a task
   * destroyed while pending): the trace is finished after that. */
  stop_message = g_strdup (ls_vm_stop_message (vm));
  ls_vm_free (vm);
  if (recorder && !ls_trace_recorder_finish (recorder, outcome, stop_message, code, &error))
    {
      fprintf (stderr, "loopscope-cli run: %s\n", error->message);
      g_clear_error (&error);
      code = code ? code : EXIT_USAGE;
    }
  g_free (stop_message);

  if (steps && !g_file_set_contents (steps_path, ls_step_trace_text (steps), -1, &error))
    {
      fprintf (stderr, "loopscope-cli run: %s\n", error->message);
      code = code ? code : EXIT_USAGE;
    }
  ls_step_trace_free (steps);
  return code;
}

