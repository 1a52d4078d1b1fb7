/* ls-trace-reader.h - opens a trace file and builds its model.
 *
 * The file is opened read-only and never changed.  Everything is derived
 * from the meta, source and events tables; the tasks, awaitables and
 * timers tables are for shell users and are not read.
 *
 * What bad input gives (domain LS_TRACE_ERROR, message without the file
 * name, so that a caller can put it in front):
 *   - LS_TRACE_ERROR_IO         the file is missing, a directory, or unreadable;
 *   - LS_TRACE_ERROR_NOT_TRACE  not an SQLite database (SQLite cannot read
 *                               its header, or it is empty), or an SQLite
 *                               database of another kind (application_id,
 *                               missing tables, unknown schema version);
 *   - LS_TRACE_ERROR_NEWER      a trace of a schema newer than this code;
 *   - LS_TRACE_ERROR_CORRUPT    a trace whose file is shorter than its
 *                               header says, whose pages SQLite finds
 *                               damaged, whose events have gaps or fewer
 *                               rows than meta.events says.
 * A run that was interrupted (meta.outcome "running": the recording
 * process died) loads fine with LsTraceRun.interrupted set.
 */
#pragma once

#include "ls-trace-model.h"

G_BEGIN_DECLS

/* Reads the trace at path.  Returns a new model (free it with
 * ls_trace_model_free()) or NULL with error set. */
LsTraceModel *ls_trace_model_load (const char *path, GError **error);

G_END_DECLS
