/* ls-trace-recorder.h - writes a run's events into an SQLite trace.
 *
 * The recorder is an engine observer (LsObserverFn): hand it to
 * ls_vm_set_observer() and every event becomes one row of the events
 * table.  Rows go through prepared statements inside large transactions;
 * each transaction that commits leaves a complete, readable file, and
 * meta.outcome stays "running" until ls_trace_recorder_finish() records
 * how the run ended.  So a process that dies mid-run leaves a trace a
 * reader opens and reports as interrupted.
 */
#pragma once

#include "ls-observer.h"
#include "ls-trace.h"

G_BEGIN_DECLS

typedef struct _LsTraceRecorder LsTraceRecorder;

/* What is known before the run starts; every field may be 0/NULL. */
typedef struct {
  const char *scenario_path;   /* the program's file name, as given */
  const char *source;          /* its text */
  double epoch;                /* time.time() at virtual 0 */
  guint64 max_steps;           /* the limits in force, 0: none */
  double max_time;
  double max_wall;
  guint64 max_memory;          /* bytes */
} LsTraceRunInfo;

/* Creates (or replaces) the trace file at path and writes its schema and
 * meta.  NULL with error set when the file cannot be written. */
LsTraceRecorder *ls_trace_recorder_new (const char *path, const LsTraceRunInfo *info,
                                        GError **error);

/* The observer callback; user_data is the recorder.  Errors (a full disk)
 * are kept and returned by ls_trace_recorder_finish(); events after one
 * are dropped. */
void ls_trace_recorder_observe (const LsEvent *event, gpointer user_data);

/* Events recorded so far. */
guint64 ls_trace_recorder_count (LsTraceRecorder *recorder);

/* Commits what is buffered so that a reader sees it (the recorder also
 * commits on its own every so many events). */
gboolean ls_trace_recorder_flush (LsTraceRecorder *recorder, GError **error);

/* Writes the tasks, awaitables and timers still pending, the outcome
 * (detail: the limit or stop message, may be NULL) and exit status, closes
 * the file and frees the recorder.  FALSE with error set if anything
 * failed on the way (the file then holds what was committed). */
gboolean ls_trace_recorder_finish (LsTraceRecorder *recorder, LsTraceOutcome outcome,
                                   const char *detail, int exit_status, GError **error);

/* Frees the recorder without recording an outcome (the file stays marked
 * "running"), for error paths. */
void ls_trace_recorder_abandon (LsTraceRecorder *recorder);

G_END_DECLS
