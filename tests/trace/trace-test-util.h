/* trace-test-util.h - what the trace suites share: recording a scenario
 * through the real CLI, and loading a trace that must load. */
#pragma once

#include "ls-trace-reader.h"

/* Records `scenario` (a path relative to the source tree) with
 * `loopscope-cli run --quiet --trace` into dir and returns the trace's path
 * (owned).  A trace already there under that name is reused. */
char *ls_test_record (const char *dir, const char *scenario);

/* Loads the trace at path, asserting that it loads. */
LsTraceModel *ls_test_load (const char *path);
