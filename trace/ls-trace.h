/* ls-trace.h - what every part of trace/ shares: the file's identity and
 * the errors a trace can give.
 *
 * A trace is one SQLite file per run (data/trace/schema.sql; the columns
 * are described in docs/trace-format.md).  It is recognised by its
 * application_id and versioned by user_version: a reader accepts exactly
 * the versions it knows and names the problem otherwise.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* PRAGMA application_id of a trace: 'Lsco' as a big-endian 32-bit int. */
#define LS_TRACE_APPLICATION_ID 0x4C73636F
/* PRAGMA user_version: the schema this code writes and reads. */
#define LS_TRACE_SCHEMA_VERSION 1
/* What "correct" means for every trace this code writes. */
#define LS_TRACE_SEMANTICS "cpython-3.12"

#define LS_TRACE_ERROR (ls_trace_error_quark ())
GQuark ls_trace_error_quark (void);

typedef enum {
  LS_TRACE_ERROR_IO,          /* cannot open, read or write the file */
  LS_TRACE_ERROR_NOT_TRACE,   /* not SQLite, or SQLite of another schema */
  LS_TRACE_ERROR_NEWER,       /* a trace of a schema newer than this code */
  LS_TRACE_ERROR_CORRUPT,     /* a trace whose contents are damaged */
} LsTraceError;

/* How a run ended, as meta.outcome records it. */
#define LS_TRACE_OUTCOMES(X) \
  X (RUNNING,   "running")    /* never finished: the process died mid-run */ \
  X (FINISHED,  "finished")   /* ran to its end (exit status 0) */ \
  X (EXCEPTION, "exception")  /* ended by an uncaught exception (exit status 1) */ \
  X (SYNTAX,    "syntax-error") /* did not compile; nothing ran */ \
  X (LIMIT,     "limit")      /* a limit stopped it; outcome_detail names it */ \
  X (DEADLOCK,  "deadlock")   /* nothing could ever run again */ \
  X (STOPPED,   "stopped")    /* interrupted by the user */

typedef enum {
#define LS_TRACE_OUTCOME_ENUM(id, name) LS_TRACE_OUTCOME_##id,
  LS_TRACE_OUTCOMES (LS_TRACE_OUTCOME_ENUM)
#undef LS_TRACE_OUTCOME_ENUM
  LS_TRACE_N_OUTCOMES
} LsTraceOutcome;

const char *ls_trace_outcome_name (LsTraceOutcome outcome);
/* The outcome a name stands for, or -1. */
int ls_trace_outcome_from_name (const char *name);

G_END_DECLS
