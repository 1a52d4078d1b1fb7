/* ls-trace.c - the trace's shared names. */
#include "ls-trace.h"

#include <string.h>

G_DEFINE_QUARK (ls-trace-error-quark, ls_trace_error)

static const char *const outcome_names[] = {
#define LS_TRACE_OUTCOME_NAME(id, name) name,
  LS_TRACE_OUTCOMES (LS_TRACE_OUTCOME_NAME)
#undef LS_TRACE_OUTCOME_NAME
};

const char *
ls_trace_outcome_name (LsTraceOutcome outcome)
{
  g_return_val_if_fail (outcome < LS_TRACE_N_OUTCOMES, "?");
  return outcome_names[outcome];
}

int
ls_trace_outcome_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcome_names); i++)
    if (name && strcmp (name, outcome_names[i]) == 0)
      return (int) i;
  return -1;
}
