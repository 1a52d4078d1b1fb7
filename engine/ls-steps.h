/* ls-steps.h - the order of task steps, in the CPython oracle's format.
 *
 * An observer that writes one JSON line per task step and per task end,
 * exactly as `cpython_oracle.py --trace` does:
 *     {"t": 1.0, "task": "Task-2", "ev": "step"}
 *     {"t": 1.0, "task": "Task-2", "ev": "exception", "exc": "ValueError"}
 * so that a run can be compared with CPython's line by line.
 */
#pragma once

#include "ls-observer.h"

G_BEGIN_DECLS

typedef struct _LsStepTrace LsStepTrace;

LsStepTrace *ls_step_trace_new (void);
void ls_step_trace_free (LsStepTrace *trace);
/* The observer callback; user_data is the LsStepTrace. */
void ls_step_trace_observe (const LsEvent *event, gpointer user_data);
/* What was written so far (borrowed). */
const char *ls_step_trace_text (LsStepTrace *trace);

G_END_DECLS
