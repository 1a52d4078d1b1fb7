/* ls-test-harness.h - run C coroutine programs and compare with CPython.
 *
 * A test builds the C equivalent of a Python program kept beside it in
 * tests/engine/cases/NAME.py, runs it on a fresh loop, and compares what it
 * printed with NAME.out and the order of task steps with NAME.trace, both
 * produced by the CPython oracle (`cpython_oracle.py NAME.py --trace`).
 * The step trace is written in the oracle's format, line for line.
 */
#pragma once

#include "ls-asyncio.h"

typedef struct {
  LsLoop *loop;
  GString *out;          /* what the program printed to stdout */
  GString *err;          /* … and to stderr */
  GString *trace;        /* steps, in the oracle's JSON-lines format */
  GHashTable *names;     /* task id -> name */
  GArray *events;        /* every LsEvent kind seen, in order (LsEventKind) */
} LsTestRun;

LsTestRun *ls_test_run_new (void);
void ls_test_run_free (LsTestRun *run);

/* print() from a C coroutine: formats, adds "\n", prints on the loop. */
void ls_test_print (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

/* asyncio.run(main) on the run's loop; returns the outcome like
 * ls_asyncio_run.  An uncaught exception is printed on err the way the
 * oracle reports it ("TypeName: message"). */
gboolean ls_test_asyncio_run (LsTestRun *run, LsValue main_coro);

/* Asserts that out and trace equal cases/NAME.out and cases/NAME.trace. */
void ls_test_check_case (LsTestRun *run, const char *name);

/* The repr of a float as Python prints it (static buffer, one at a time). */
const char *ls_test_float (double d);


/* The builtin print(*args) as a callable value, for call_soon/call_later. */
LsValue ls_test_print_callable (void);
