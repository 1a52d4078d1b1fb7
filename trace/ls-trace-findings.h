/* ls-trace-findings.h - what in a recorded run deserves a user's attention.
 *
 * Findings are computed from a model (never from the file) and point at a
 * task, an event and a source line, so a view can jump there.  Each kind
 * is a pattern asyncio users fall into; none is reported for an ordinary,
 * well-behaved program (the bundled scenarios are the check).
 */
#pragma once

#include "ls-trace-model.h"

G_BEGIN_DECLS

/*        enum suffix         name                  what it means
 *        ------------------  --------------------  ------------------------------------------ */
#define LS_TRACE_FINDING_KINDS(X) \
  X (BLOCKING,              "blocking-call")      /* a blocking call stalled the loop (value: seconds) */ \
  X (NEVER_AWAITED,         "never-awaited")      /* a coroutine was created and never awaited   */ \
  X (EXCEPTION_UNRETRIEVED, "exception-never-retrieved") /* a task's or future's exception nobody read */ \
  X (PENDING_AT_END,        "pending-at-end")     /* a task was still pending when the run ended */ \
  X (LONG_STEP,             "long-step")          /* one step did far more work than the others (value: its cost) */ \
  X (SWALLOWED_CANCEL,      "swallowed-cancel")   /* a task caught a cancellation and carried on */

typedef enum {
#define LS_TRACE_FINDING_ENUM(id, name) LS_TRACE_FINDING_##id,
  LS_TRACE_FINDING_KINDS (LS_TRACE_FINDING_ENUM)
#undef LS_TRACE_FINDING_ENUM
  LS_TRACE_N_FINDINGS
} LsTraceFindingKind;

typedef struct {
  LsTraceFindingKind kind;
  int task;               /* task index in the model, -1: none */
  guint32 seq;            /* the event to show (0: none) */
  double time;            /* virtual seconds */
  int line;               /* source line, 0 if unknown */
  double value;           /* kind-specific: seconds blocked, step cost */
  char *message;          /* one line for a person, owned */
} LsTraceFinding;

/* A step is "long" when its cost is at least this many times the median
 * step's and at least LS_TRACE_LONG_STEP_MIN: a program with only short
 * steps, or with few steps, flags nothing. */
#define LS_TRACE_LONG_STEP_FACTOR 50
#define LS_TRACE_LONG_STEP_MIN 200

/* Every finding of the model, in seq order.  Returns a new array of
 * LsTraceFinding that frees the findings' messages with itself. */
GArray *ls_trace_findings_compute (const LsTraceModel *model);

const char *ls_trace_finding_kind_name (LsTraceFindingKind kind);

G_END_DECLS
