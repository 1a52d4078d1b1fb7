/* ls-trace-export.h - a trace model written out for other tools.
 *
 * Perfetto / Chrome Trace Event JSON: one process for the run, one track
 * (thread) per task and worker thread in creation order, each interval of
 * a task's life as a slice (running steps, waiting on X, ready, blocked),
 * creation, wakeups, cancellations and timeouts as flow arrows, printed
 * lines and warnings as instant events.  Virtual seconds map to
 * microseconds (1 s of virtual time shows as 1 s).  Opens in
 * ui.perfetto.dev and chrome://tracing.
 *
 * CSV: one line per event (RFC 4180), with a header line, names spelled
 * out: seq,time,kind,task,task_name,future,other,reason,value,line,detail,extra.
 *
 * Both stream: memory does not grow with the trace beyond the model.
 */
#pragma once

#include <gio/gio.h>

#include "ls-trace-model.h"

G_BEGIN_DECLS

typedef enum {
  LS_TRACE_EXPORT_PERFETTO,
  LS_TRACE_EXPORT_CSV,
} LsTraceExportFormat;

/* The format a name ("perfetto", "chrome", "json", "csv") stands for, or -1. */
int ls_trace_export_format_from_name (const char *name);

/* Writes the model to out.  FALSE with error set (G_IO_ERROR) if writing
 * failed; out is not closed. */
gboolean ls_trace_export (const LsTraceModel *model, LsTraceExportFormat format,
                          GOutputStream *out, GError **error);

/* Writes the model to a new file at path (replaced if it exists). */
gboolean ls_trace_export_to_file (const LsTraceModel *model, LsTraceExportFormat format,
                                  const char *path, GError **error);

G_END_DECLS
