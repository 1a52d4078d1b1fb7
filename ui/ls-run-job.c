/* ls-run-job.c - a program run on a worker thread (see ls-run-job.h). */
#include "ls-run-job.h"

#include "ls-ast.h"
#include "ls-compiler.h"
#include "ls-trace-recorder.h"

#include <glib/gstdio.h>

struct _LsRunJob {
  GObject parent_instance;

  char *filename;
  char *source;

  GMutex lock;               /* guards vm and cancelled */
  LsVm *vm;                  /* while the worker runs it, else NULL */
  gboolean cancelled;

  /* Written by the worker, read by the main thread's progress poll. */
  gpointer n_events;         /* GSIZE_TO_POINTER (events so far), atomic */
  gint time_ms;              /* virtual time in milliseconds, atomic */

  /* Worker-only state. */
  LsTraceModelBuilder *builder;
  LsTraceRecorder *recorder;
  GString *output;
  gboolean too_many;
};

G_DEFINE_FINAL_TYPE (LsRunJob, ls_run_job, G_TYPE_OBJECT)

/* The limits of a run started from the window: as the CLI's, but no
 * wall-clock limit (the window has a Cancel button instead). */
#define JOB_MAX_STEPS 50000000
#define JOB_MAX_TIME (365.0 * 86400.0)
#define JOB_MAX_MEMORY ((guint64) 2048 << 20)
#define JOB_EPOCH 1767225600.0   /* 2026-01-01 00:00:00 UTC, the CLI's default */

void
ls_run_result_free (LsRunResult *r)
{
  if (!r)
    return;
  ls_trace_model_free (r->model);
  if (r->trace_path)
    {
      g_autofree char *dir = g_path_get_dirname (r->trace_path);
      g_unlink (r->trace_path);
      g_rmdir (dir);
      g_free (r->trace_path);
    }
  g_free (r->output);
  g_free (r->error_message);
  g_free (r->error_text);
  g_free (r->stop_message);
  g_free (r);
}

static void
ls_run_job_finalize (GObject *object)
{
  LsRunJob *job = LS_RUN_JOB (object);

  g_free (job->filename);
  g_free (job->source);
  g_mutex_clear (&job->lock);
  G_OBJECT_CLASS (ls_run_job_parent_class)->finalize (object);
}

static void
ls_run_job_class_init (LsRunJobClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ls_run_job_finalize;
}

static void
ls_run_job_init (LsRunJob *job)
{
  g_mutex_init (&job->lock);
}

LsRunJob *
ls_run_job_new (const char *filename, const char *source)
{
  LsRunJob *job;

  g_return_val_if_fail (filename != NULL && source != NULL, NULL);
  job = g_object_new (LS_TYPE_RUN_JOB, NULL);
  job->filename = g_strdup (filename);
  job->source = g_strdup (source);
  return job;
}

gboolean
ls_run_check_syntax (const char *filename, const char *source,
                     int *line, int *col, char **message, char **full_text)
{
  LsSyntaxError *err = NULL;
  LsAst *ast = ls_parse (filename, source, -1, &err);
  LsCode *code = NULL;

  if (ast)
    code = ls_compile (ast, &err);
  ls_ast_free (ast);
  if (code)
    {
      ls_object_unref (code);
      return TRUE;
    }
  if (line)
    *line = err ? err->line : 1;
  if (col)
    *col = err ? err->col : 1;
  if (message)
    *message = g_strdup (err && err->message ? err->message : "invalid syntax");
  if (full_text)
    *full_text = err ? ls_syntax_error_format (err) : g_strdup ("invalid syntax\n");
  ls_syntax_error_free (err);
  return FALSE;
}

static void
on_output (gboolean is_stderr, const char *text, gpointer user_data)
{
  LsRunJob *job = user_data;
  g_string_append (job->output, text);
}

static void
on_event (const LsEvent *event, gpointer user_data)
{
  LsRunJob *job = user_data;
  guint64 n;

  if (job->too_many)
    return;
  ls_trace_model_builder_add (job->builder, event);
  if (job->recorder)
    ls_trace_recorder_observe (event, job->recorder);
  n = event->seq;
  g_atomic_pointer_set (&job->n_events, GSIZE_TO_POINTER ((gsize) n));
  if ((n & 1023) == 0)
    g_atomic_int_set (&job->time_ms, (gint) MIN (event->time * 1000.0, G_MAXINT));
  if (n >= LS_RUN_JOB_MAX_EVENTS)
    {
      /* Stop before the model outgrows memory; later events are dropped,
       * so the model is exactly the recorded prefix. */
      job->too_many = TRUE;
      ls_vm_interrupt (job->vm);
    }
}

static void
run_in_thread (GTask *task, gpointer source_object, gpointer task_data,
               GCancellable *cancellable)
{
  LsRunJob *job = source_object;
  LsRunResult *r = g_new0 (LsRunResult, 1);
  LsVmOptions options = {
    .max_steps = JOB_MAX_STEPS, .max_time = JOB_MAX_TIME, .max_wall = 0,
    .max_memory = JOB_MAX_MEMORY, .epoch = JOB_EPOCH,
  };
  LsTraceRunInfo info = {
    .scenario_path = job->filename, .source = job->source, .epoch = options.epoch,
    .max_steps = options.max_steps, .max_time = options.max_time,
    .max_wall = options.max_wall, .max_memory = options.max_memory,
  };
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  gboolean syntax_error = FALSE;
  gint64 start = g_get_monotonic_time ();
  LsTraceOutcome outcome;
  LsVm *vm;
  int code;

  if (!ls_run_check_syntax (job->filename, job->source, &r->error_line, &r->error_col,
                            &r->error_message, &r->error_text))
    {
      r->syntax_error = TRUE;
      r->status = LS_VM_EXCEPTION;
      r->output = g_strdup (r->error_text);
      g_task_return_pointer (task, r, (GDestroyNotify) ls_run_result_free);
      return;
    }

  dir = g_dir_make_tmp ("loopscope-run-XXXXXX", &error);
  if (dir)
    {
      r->trace_path = g_build_filename (dir, "run.sqlite", NULL);
      job->recorder = ls_trace_recorder_new (r->trace_path, &info, &error);
    }
  if (!job->recorder)
    {
      /* The run is still worth showing without a file to save. */
      g_warning ("Cannot record the run: %s", error ? error->message : "?");
      if (dir)
        g_rmdir (dir);
      g_clear_pointer (&r->trace_path, g_free);
    }

  job->builder = ls_trace_model_builder_new ();
  ls_trace_model_builder_set_source (job->builder, job->filename, job->source);
  job->output = g_string_new (NULL);

  vm = ls_vm_new (&options);
  ls_vm_set_output (vm, on_output, job);
  ls_vm_set_observer (vm, on_event, job);
  g_mutex_lock (&job->lock);
  job->vm = vm;
  if (job->cancelled)
    ls_vm_interrupt (vm);
  g_mutex_unlock (&job->lock);

  r->status = ls_vm_run_source (vm, job->filename, job->source, &syntax_error);

  g_mutex_lock (&job->lock);
  job->vm = NULL;
  r->cancelled = job->cancelled;
  g_mutex_unlock (&job->lock);
  if (job->too_many)
    r->stop_message = g_strdup_printf ("stopped after %d events", LS_RUN_JOB_MAX_EVENTS);
  else if (ls_vm_stop_message (vm))
    r->stop_message = g_strdup (ls_vm_stop_message (vm));
  /* Freeing the VM closes its loops, which may still report events. */
  ls_vm_free (vm);

  switch (r->status)
    {
    case LS_VM_OK: outcome = LS_TRACE_OUTCOME_FINISHED; code = 0; break;
    case LS_VM_EXCEPTION: outcome = LS_TRACE_OUTCOME_EXCEPTION; code = 1; break;
    case LS_VM_LIMIT: outcome = LS_TRACE_OUTCOME_LIMIT; code = 3; break;
    case LS_VM_DEADLOCK: outcome = LS_TRACE_OUTCOME_DEADLOCK; code = 3; break;
    case LS_VM_INTERRUPTED: default: outcome = LS_TRACE_OUTCOME_STOPPED; code = 130; break;
    }
  ls_trace_model_builder_set_meta (job->builder, "outcome", ls_trace_outcome_name (outcome));
  if (r->stop_message)
    ls_trace_model_builder_set_meta (job->builder, "outcome_detail", r->stop_message);
  if (job->recorder
      && !ls_trace_recorder_finish (job->recorder, outcome, r->stop_message, code, &error))
    g_warning ("Cannot finish the trace: %s", error->message);
  job->recorder = NULL;

  r->model = ls_trace_model_builder_finish (job->builder);
  job->builder = NULL;
  r->output = g_string_free (job->output, FALSE);
  job->output = NULL;
  r->wall_seconds = (g_get_monotonic_time () - start) / 1e6;
  g_task_return_pointer (task, r, (GDestroyNotify) ls_run_result_free);
}

void
ls_run_job_start (LsRunJob *job, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (LS_IS_RUN_JOB (job));
  task = g_task_new (job, NULL, callback, user_data);
  g_task_set_source_tag (task, ls_run_job_start);
  g_task_run_in_thread (task, run_in_thread);
}

LsRunResult *
ls_run_job_finish (LsRunJob *job, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, job), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ls_run_job_cancel (LsRunJob *job)
{
  g_return_if_fail (LS_IS_RUN_JOB (job));
  g_mutex_lock (&job->lock);
  job->cancelled = TRUE;
  if (job->vm)
    ls_vm_interrupt (job->vm);
  g_mutex_unlock (&job->lock);
}

guint64
ls_run_job_get_n_events (LsRunJob *job)
{
  return GPOINTER_TO_SIZE (g_atomic_pointer_get (&job->n_events));
}

double
ls_run_job_get_virtual_time (LsRunJob *job)
{
  return g_atomic_int_get (&job->time_ms) / 1000.0;
}
