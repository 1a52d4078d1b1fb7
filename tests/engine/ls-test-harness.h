/* ls-test-harness.h - run C coroutine programs and compare with CPython.
 *
 * A test builds the C equivalent of a Python program kept beside it in
 * tests/engine/cases/NAME.py, runs it on a fresh loop, and compares what it
 * printed with NAME.out and the order of task steps with NAME.trace, both
 * produced by the CPython oracle (`cpython_oracle.py NAME.py --trace`).
 * The step trace is written in the oracle's format, line for line.
 *
 * Besides the run and its comparison, this holds what the C twins of all
 * the suites share: short-lived strings for print(), the locals of small
 * coroutines, the awaits they keep making, and the table each suite lists
 * its tests in.
 */
#pragma once

#include "ls-asyncio.h"
#include "ls-steps.h"

G_BEGIN_DECLS

/* ---- a run --------------------------------------------------------------- */

typedef struct {
  LsLoop *loop;
  GString *out;          /* what the program printed to stdout */
  GString *err;          /* … and to stderr */
  LsStepTrace *steps;    /* steps, in the oracle's JSON-lines format */
  GArray *events;        /* every LsEvent kind seen, in order (LsEventKind) */
} LsTestRun;

LsTestRun *ls_test_run_new (void);
void ls_test_run_free (LsTestRun *run);

/* print() from a C coroutine: formats, adds "\n", prints on the loop. */
void ls_test_print (const char *fmt, ...) G_GNUC_PRINTF (1, 2);
/* print() where no loop is running (the top level of an old-style
 * program, a job on a worker thread): prints on the given loop. */
void ls_test_print_to (LsLoop *loop, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* asyncio.run(main) on the run's loop; returns the outcome like
 * ls_asyncio_run.  An uncaught exception is printed on err the way the
 * oracle reports it ("TypeName: message"). */
gboolean ls_test_asyncio_run (LsTestRun *run, LsValue main_coro);

/* Asserts that out and trace equal cases/NAME.out and cases/NAME.trace. */
void ls_test_check_case (LsTestRun *run, const char *name);

/* asyncio.run(main_coro) on a new run, asserting that main returned (what
 * went to stderr is in the test log if not).  Takes main_coro; the run is
 * the caller's to check and free. */
LsTestRun *ls_test_run_main (LsValue main_coro);

/* ls_test_run_main, then ls_test_check_case against NAME; frees the run. */
void ls_test_run_case (const char *name, LsValue main_coro);

/* The repr of a float as Python prints it (static buffer, one at a time:
 * safe where no loop runs, e.g. on a worker thread). */
const char *ls_test_float (double d);

/* The builtin print(*args) as a callable value, for call_soon/call_later. */
LsValue ls_test_print_callable (void);

/* loop.call_soon(print, text) and loop.call_later(delay, print, text),
 * the handles dropped. */
void ls_test_call_soon_print (LsLoop *loop, const char *text);
void ls_test_call_later_print (LsLoop *loop, double delay, const char *text);

/* ---- strings for print() ---------------------------------------------------- */

/* The strings these return stay valid for the next 15 made by them, so that
 * one ls_test_print() can show several values as briefly as the Python
 * print() it stands for.  Use them on the loop's thread only. */

/* Keeps a newly allocated string for a while, then frees it. */
const char *ls_test_keep (char *s);
const char *ls_test_repr (LsValue v);          /* repr(v) */
const char *ls_test_str (LsValue v);           /* str(v) */
const char *ls_test_bool (gboolean b);         /* "True" / "False" (static) */
const char *ls_test_time (double t);           /* repr(t) of a float */
const char *ls_test_now (void);                /* repr(loop.time()), running loop */
const char *ls_test_exc_args (LsValue exc);    /* repr(e.args) */
const char *ls_test_exc_cause (LsValue exc);   /* repr(e.__cause__) */
/* [type(r).__name__ if isinstance(r, BaseException) else r for r in results] */
const char *ls_test_outcomes (LsValue results);
/* t.get_name() of a task */
const char *ls_test_task_name (LsValue task);
/* sorted(t.get_name() for t in tasks): a list of tasks */
const char *ls_test_task_names (LsValue tasks);

/* print(f"{type(e).__name__}: {e}") */
void ls_test_print_error (LsValue exc);

/* ---- coroutines and awaits ----------------------------------------------------- */

/* The locals of a C coroutine of the twins: the arguments of the Python
 * function it stands for and the variables kept across its awaits.  Each
 * step function says which fields it uses for what. */
typedef struct {
  char name[16];        /* a name argument */
  gint64 n;             /* an int argument */
  double delay;         /* a float argument: seconds to sleep, mostly */
  LsValue value;        /* an object argument: a lock, a queue, a task… */
  LsValue saved;        /* another object kept across awaits */
  LsValue t[5];         /* tasks or futures it created */
  gpointer shared;      /* state shared with its creator, borrowed */
  gint64 i, acc;        /* a counter and an accumulator */
} LsTestLocals;

/* A C coroutine named fname running fn over a copy of *locals (NULL: all
 * zero).  It takes the values in locals and unrefs them when it goes. */
LsValue ls_test_coro (const char *fname, LsCCoroFn fn, const LsTestLocals *locals);
/* The same with the locals as designated initializers:
 *   LS_TEST_CORO ("work", work, .name = "a", .delay = 2, .value = ls_int (10)) */
#define LS_TEST_CORO(fname, fn, ...) \
  ls_test_coro ((fname), (fn), &(LsTestLocals) { __VA_ARGS__ })

/* `except type:` around the last await: TRUE when it raised one of type. */
gboolean ls_test_caught (LsValue in, gboolean thrown, const LsExcType *type);

/* `await asyncio.sleep(delay)` as the next await of co, resuming at next_pc. */
LsCCoroAction ls_test_await_sleep (LsCCoro *co, int next_pc, LsValue *out, double delay);

/* `await asyncio.gather(*aws, return_exceptions=...)`, resuming at next_pc;
 * a gather that cannot start raises its error instead.  The first borrows
 * aws, the second takes them (coroutines made for the call). */
LsCCoroAction ls_test_await_gather (LsCCoro *co, int next_pc, LsValue *out, guint n,
                                    const LsValue *aws, gboolean return_exceptions);
LsCCoroAction ls_test_await_gather_take (LsCCoro *co, int next_pc, LsValue *out, guint n,
                                         LsValue *aws, gboolean return_exceptions);

/* asyncio.create_task(coro, name=name) on the running loop; takes coro. */
LsValue ls_test_create_task (LsValue coro, const char *name);

/* current_task().cancelling() on the running loop */
guint ls_test_cancelling (void);

/* fut.cancel(msg) of a future or task, msg NULL for None. */
gboolean ls_test_cancel (LsValue task, const char *msg);

/* The bound method fut.cancel as a callable value (fut borrowed), and
 * loop.call_later(delay, fut.cancel) on the running loop. */
LsValue ls_test_cancel_callable (LsValue fut);
void ls_test_call_later_cancel (double delay, LsValue fut);

/* An observer that adds the text of every WARNING event to a GPtrArray of
 * strings (g_free'd), and the check that exactly one came, saying text. */
void ls_test_collect_warnings (const LsEvent *ev, gpointer warnings);
void ls_test_assert_one_warning (GPtrArray *warnings, const char *text);

/* ---- the tests of a suite ----------------------------------------------------- */

typedef enum {
  LS_TEST_DEFAULT = 0,
  LS_TEST_NO_STDERR = 1 << 0,   /* a case also asserts that stderr stayed empty */
} LsTestFlags;

/* One test of a suite.  Most are the C twin of cases/NAME.py: a main()
 * that runs the step function `main` over fresh LsTestLocals, checked with
 * ls_test_run_case.  Without a NAME, main() only has to return (its
 * assertions are the test); a test function of its own does the rest. */
typedef struct {
  const char *path;      /* "/engine/locks/lock-contended" */
  const char *name;      /* NAME of the case, or NULL */
  LsCCoroFn main;        /* or NULL */
  LsTestFlags flags;
  GTestFunc func;        /* the test when there is no main */
} LsTest;

#define LS_TEST_CASE(path, name, main) { (path), (name), (main), LS_TEST_DEFAULT, NULL }
#define LS_TEST_CASE_NO_STDERR(path, name, main) \
  { (path), (name), (main), LS_TEST_NO_STDERR, NULL }
#define LS_TEST_MAIN(path, main) { (path), NULL, (main), LS_TEST_DEFAULT, NULL }
#define LS_TEST_FUNC(path, func) { (path), NULL, NULL, LS_TEST_DEFAULT, (func) }

/* main() of a test program: registers the tests in order (assertions are
 * non-fatal) and runs them.  tests must stay valid while they run. */
int ls_test_main (int argc, char **argv, const LsTest *tests, guint n);

G_END_DECLS
