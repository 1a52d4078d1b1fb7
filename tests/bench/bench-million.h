/* bench-million.h - the million-event trace the trace, timeline and GUI
 * benchmarks measure: 5,000 tasks each awaiting asyncio.sleep(0) 100
 * times, about 1,025,000 events. */
#pragma once

#include <glib.h>

/* Records the program into a new trace at path; `who` names the program
 * in the trace and prefixes any error printed.  FALSE on failure. */
gboolean ls_bench_record_million (const char *path, const char *who);
