/* cli-info.c - `loopscope-cli info TRACE`: what a recorded run did, in a
 * screenful: the scenario, how it ended, its tasks, its events and virtual
 * duration, and the findings.
 *
 * Exit status 0; a file that is not a readable trace gives one line
 * "loopscope-cli info: FILE: message" on stderr and exit status 2.
 */
#include "cli.h"
#include "ls-trace-findings.h"
#include "ls-trace-reader.h"

#include <stdio.h>
#include <string.h>

/* Longest result text shown in the task table, in characters. */
#define RESULT_WIDTH 40
/* Tasks listed before "... and N more". */
#define MAX_TASK_ROWS 50

/* text cut to `width` characters (not bytes), one line. */
static char *
clip (const char *text, glong width)
{
  GString *s = g_string_new (NULL);
  glong n = 0;

  for (const char *p = text ? text : ""; *p && n < width; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);
      if (c == '\n' || c == '\t')
        c = ' ';
      g_string_append_unichar (s, c);
    }
  if (text && g_utf8_strlen (text, -1) > width && n >= width)
    {
      /* Room for the ellipsis. */
      g_string_truncate (s, g_utf8_offset_to_pointer (s->str, width - 3) - s->str);
      g_string_append (s, "...");
    }
  return g_string_free (s, FALSE);
}

/* A worker thread has no outcome: at the end it is idle, or still in a job
 * (a run stopped by a limit).  The steps column counts its jobs. */
static const char *
thread_state (const LsTraceModel *model, guint i)
{
  guint n;
  const LsTraceInterval *iv = ls_trace_model_get_task_intervals (model, i, &n);

  return n && iv[n - 1].state == LS_TRACE_RUNNING ? "in a job" : "idle";
}

static void
print_tasks (const LsTraceModel *model)
{
  guint n, shown = 0, user = 0, threads = 0;
  const LsTraceTask *tasks = ls_trace_model_get_tasks (model, &n);
  int wname = 4, wcoro = 9;

  for (guint i = 0; i < n; i++)
    {
      if (tasks[i].internal)
        continue;
      if (tasks[i].kind == LS_TRACE_LANE_THREAD)
        threads++;
      else
        user++;
      wname = MAX (wname, (int) g_utf8_strlen (tasks[i].name ? tasks[i].name : "?", -1));
      wcoro = MAX (wcoro, (int) g_utf8_strlen (tasks[i].coro ? tasks[i].coro : "(thread)", -1));
    }
  wname = MIN (wname, 24);
  wcoro = MIN (wcoro, 32);
  printf ("tasks:      %u", user);
  if (threads)
    printf (" (and %u worker thread%s)", threads, threads == 1 ? "" : "s");
  printf ("\n");
  if (user + threads == 0)
    return;
  printf ("  %-*s  %-*s  %6s  %-9s  %s\n", wname, "name", wcoro, "coroutine", "steps",
          "outcome", "result");
  for (guint i = 0; i < n; i++)
    {
      const LsTraceTask *t = &tasks[i];
      char *name, *coro, *result;
      if (t->internal)
        continue;
      if (shown++ == MAX_TASK_ROWS)
        {
          printf ("  ... and %u more\n", user + threads - MAX_TASK_ROWS);
          break;
        }
      name = clip (t->name ? t->name : "?", wname);
      coro = clip (t->coro ? t->coro : "(thread)", wcoro);
      result = clip (t->result, RESULT_WIDTH);
      printf ("  %-*s  %-*s  %6u  %-9s  %s\n", wname, name, wcoro, coro, t->steps,
              t->kind == LS_TRACE_LANE_THREAD ? thread_state (model, i)
                                               : ls_trace_task_outcome_name (t->outcome),
              result);
      g_free (name);
      g_free (coro);
      g_free (result);
    }
}

static void
print_findings (const LsTraceModel *model)
{
  g_autoptr (GArray) findings = ls_trace_findings_compute (model);
  const LsTraceTask *tasks = ls_trace_model_get_tasks (model, NULL);

  (void) tasks;
  printf ("findings:   %u\n", findings->len);
  for (guint i = 0; i < findings->len; i++)
    {
      const LsTraceFinding *f = &g_array_index (findings, LsTraceFinding, i);
      char where[48] = "";
      if (f->line > 0)
        g_snprintf (where, sizeof where, " line %d,", f->line);
      printf ("  [%s]%s t=%g: %s\n", ls_trace_finding_kind_name (f->kind), where, f->time,
              f->message);
    }
}

int
ls_cli_info (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LsTraceModel) model = NULL;
  const LsTraceRun *run;
  const char *path;

  if (argc == 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      printf ("usage: loopscope-cli info TRACE\n\n"
              "Summarises a trace written by `loopscope-cli run --trace`: the scenario, how the\n"
              "run ended, its tasks, events, virtual duration and findings.\n");
      return 0;
    }
  if (argc != 2)
    {
      fprintf (stderr, "usage: loopscope-cli info TRACE\n");
      return LS_CLI_EXIT_USAGE;
    }
  path = argv[1];
  model = ls_trace_model_load (path, &error);
  if (!model)
    {
      fprintf (stderr, "loopscope-cli info: %s: %s\n", path, error->message);
      return LS_CLI_EXIT_USAGE;
    }
  run = ls_trace_model_get_run (model);
  printf ("scenario:   %s\n", run->scenario_path ? run->scenario_path : "(unknown)");
  printf ("outcome:    %s", run->outcome_name ? run->outcome_name : "(not recorded)");
  if (run->interrupted)
    printf (" (the run was interrupted: the trace ends where recording stopped)");
  else if (run->exit_status >= 0)
    printf (" (exit status %d)", run->exit_status);
  printf ("\n");
  if (run->outcome_detail && *run->outcome_detail)
    {
      char *detail = clip (run->outcome_detail, 200);
      printf ("            %s\n", detail);
      g_free (detail);
    }
  if (run->semantics || run->tool_version)
    printf ("recorded:   %s %s, %s semantics, schema %d\n", run->tool ? run->tool : "loopscope",
            run->tool_version ? run->tool_version : "?",
            run->semantics ? run->semantics : "?", run->schema_version);
  printf ("events:     %u\n", run->n_events);
  printf ("duration:   %g s of virtual time\n", run->end_time);
  print_tasks (model);
  print_findings (model);
  return 0;
}
