/* ls-run-job.h - one run of a program, off the main thread.
 *
 * The window hands a job the program's text; the job checks its syntax,
 * runs it on a worker thread in virtual time, builds the trace model
 * straight from the engine's events and records them into a trace file
 * in a private temporary directory (what "Save Trace" copies).  The main
 * thread polls the progress (events so far, virtual time) and may cancel,
 * which interrupts the VM as a limit would: the partial trace is kept.
 *
 * One job runs one program once.  The VM is not shared: each job has its
 * own, created and freed on the worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "ls-trace-model.h"
#include "ls-vm.h"

G_BEGIN_DECLS

/* Runs longer than this many events are stopped: the model of a run
 * costs about 100 bytes an event, so this keeps a runaway under 2 GB. */
#define LS_RUN_JOB_MAX_EVENTS 20000000

typedef struct {
  LsTraceModel *model;     /* owned; NULL after a syntax error */
  char *trace_path;        /* the recorded trace (owned path; the file lives in a
                              temporary directory removed with the result), or NULL */
  char *output;            /* all the program printed, stdout and stderr in order */
  LsVmStatus status;
  gboolean syntax_error;   /* nothing ran; error_* say where and why */
  int error_line, error_col;
  char *error_message;     /* the message alone ("invalid syntax") */
  char *error_text;        /* the full file:line:col report with caret */
  char *stop_message;      /* why a limit or Cancel stopped it, or NULL */
  gboolean cancelled;      /* ls_run_job_cancel() stopped it */
  double wall_seconds;     /* real time the run took */
} LsRunResult;

void ls_run_result_free (LsRunResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsRunResult, ls_run_result_free)

#define LS_TYPE_RUN_JOB (ls_run_job_get_type ())
G_DECLARE_FINAL_TYPE (LsRunJob, ls_run_job, LS, RUN_JOB, GObject)

/* A job for `source` (UTF-8), shown as `filename` in messages. */
LsRunJob *ls_run_job_new (const char *filename, const char *source);

/* Starts the run on a worker thread; callback runs on the caller's main
 * context when it ends. */
void ls_run_job_start (LsRunJob *job, GAsyncReadyCallback callback, gpointer user_data);
/* The result (owned by the caller), or NULL with error set when the run
 * could not happen at all (the temporary trace could not be created). */
LsRunResult *ls_run_job_finish (LsRunJob *job, GAsyncResult *result, GError **error);

/* Asks the running program to stop; safe at any time, from the main thread. */
void ls_run_job_cancel (LsRunJob *job);

/* Progress, readable from any thread while the job runs. */
guint64 ls_run_job_get_n_events (LsRunJob *job);
double ls_run_job_get_virtual_time (LsRunJob *job);

/* Checks source without running it.  TRUE if it compiles; otherwise FALSE
 * with *line, *col (1-based) and *message (owned by the caller) set. */
gboolean ls_run_check_syntax (const char *filename, const char *source,
                              int *line, int *col, char **message, char **full_text);

G_END_DECLS
