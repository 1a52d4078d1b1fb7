/* ls-sched.h - the virtual-time event loop, its handles, futures and tasks.
 *
 * This is CPython 3.12's asyncio core (base_events.py, events.py,
 * futures.py, tasks.py) in C, on a virtual clock.  Function names follow the
 * Python methods they mirror; each definition cites its Python original.
 *
 * Invariants (kept by ls-loop.c, ls-future.c, ls-task.c):
 *  - The ready queue holds handles to run in the next iteration, in FIFO
 *    order.  An iteration runs exactly the handles present at its start
 *    (`ntodo`); what they schedule waits for the next one.
 *  - A timer handle is in the heap iff `scheduled` is TRUE.  The heap is a
 *    binary min-heap on `when` with Python heapq's exact sift order, so
 *    equal deadlines come out in the order CPython's do (not FIFO).
 *    `timer_cancelled_count` counts cancelled handles still in the heap.
 *  - A task's `fut_waiter` is the future it is suspended on; it is set only
 *    between a step that yielded a pending future and the wakeup.  While it
 *    is set, the task's __wakeup is among that future's done callbacks.
 *  - A pending task is in the loop's task registry (creation order) and,
 *    when not suspended on a future, has exactly one __step handle queued.
 *  - Virtual time is a double in seconds, on purpose: CPython computes
 *    deadlines as floats, and equal or unequal deadlines must compare
 *    exactly as they do there.
 */
#pragma once

#include "ls-coro.h"
#include "ls-observer.h"
#include "ls-value.h"

G_BEGIN_DECLS

typedef struct _LsLoop LsLoop;
typedef struct _LsHandle LsHandle;
typedef struct _LsFuture LsFuture;
typedef struct _LsTask LsTask;

/* ---- callbacks ------------------------------------------------------- */

/* A method implemented in C, called with a bound `self`. */
typedef struct {
  const char *name;   /* what the trace shows: "Task.__wakeup" */
  gboolean (*fn) (LsValue self, const LsValue *args, guint nargs, LsValue *result);
} LsMethod;

/* What a handle or a done callback calls: a C method bound to target, or,
 * with method NULL, the callable value target itself. */
typedef struct {
  const LsMethod *method;
  LsValue target;     /* owned */
} LsCallback;

static inline LsCallback ls_callback_method (const LsMethod *m, LsValue self_taken)
{ LsCallback cb = { m, self_taken }; return cb; }
static inline LsCallback ls_callback_value (LsValue callable_taken)
{ LsCallback cb = { NULL, callable_taken }; return cb; }

gboolean ls_callback_call (const LsCallback *cb, const LsValue *args, guint nargs, LsValue *result);
gboolean ls_callback_equal (const LsCallback *a, const LsCallback *b);
char *ls_callback_name (const LsCallback *cb);

/* ---- handles ------------------------------------------------------------ */

struct _LsHandle {
  LsObject base;
  LsLoop *loop;          /* strong reference */
  LsCallback callback;
  union {
    LsValue small[2];    /* the arguments when there are at most two */
    LsValue *many;       /* else a g_new'ed array */
  } a;
  double when;           /* deadline, timers only */
  guint64 id;
  guint32 nargs;
  guint8 cancelled;
  guint8 scheduled;      /* in the timer heap */
  guint8 is_timer;
};

/* The handle's arguments, nargs of them. */
static inline LsValue *
ls_handle_args (LsHandle *h)
{
  return h->nargs > G_N_ELEMENTS (h->a.small) ? h->a.many : h->a.small;
}

extern const LsClass ls_handle_class;
extern const LsClass ls_timer_handle_class;

/* Handle.cancel() / TimerHandle.cancel(). */
void ls_handle_cancel (LsHandle *handle);
gboolean ls_handle_cancelled (LsHandle *handle);

/* ---- the loop ----------------------------------------------------------- */

/* What to do when a callback raises (CPython's call_exception_handler):
 * by default the message goes out as a WARNING event and to stderr-like
 * output via the output hook. */
typedef void (*LsOutputFn) (LsLoop *loop, gboolean is_stderr, const char *text, gpointer user_data);

/* What CPython's loop.call_exception_handler(context) hands its handler:
 * the message, one object the context names (what_key: "future",
 * "handle", or NULL), and the exception. */
typedef void (*LsExceptionHandlerFn) (LsLoop *loop, const char *message, const char *what_key,
                                      LsValue what, LsValue exc, gpointer user_data);

LsLoop *ls_loop_new (void);
LsLoop *ls_loop_ref (LsLoop *loop);
/* Drops a reference; the last one closes the loop (see ls_loop_close). */
void ls_loop_unref (LsLoop *loop);
/* Closes the loop: drops queued handles and timers and breaks the cycles of
 * tasks still pending, so that everything is freed.  Idempotent. */
void ls_loop_close (LsLoop *loop);
LsValue ls_loop_value (LsLoop *loop);   /* the loop as a value (new ref) */
/* TRUE when v is a loop (what ls_loop_value gives); the loop is then
 * (LsLoop *) ls_value_as_object (v). */
gboolean ls_is_loop (LsValue v);

void ls_loop_set_observer (LsLoop *loop, LsObserverFn fn, gpointer user_data);
void ls_loop_set_output (LsLoop *loop, LsOutputFn fn, gpointer user_data);
/* Replaces the default handler, which prints "message\nTypeName: text" on
 * stderr (it reports a never-retrieved exception only as a WARNING). */
void ls_loop_set_exception_handler (LsLoop *loop, LsExceptionHandlerFn fn, gpointer user_data);

double ls_loop_time (LsLoop *loop);
/* Sets the clock of a loop that is not running: a program's loops share
 * one virtual clock, as the oracle's process-wide clock does. */
void ls_loop_set_time (LsLoop *loop, double now);
/* Takes the ids of the loop's tasks, futures and timers from *ids and the
 * sequence numbers of its events from *seq, counters the caller keeps
 * alive as long as the loop: loops sharing them never give two things the
 * same id nor two events the same seq (a run's trace needs both). */
void ls_loop_share_counters (LsLoop *loop, guint64 *ids, guint64 *seq);
/* Sets the clock's resolution (CPython: time.get_clock_info('monotonic'),
 * 1e-09 on Linux, the default). */
void ls_loop_set_clock_resolution (LsLoop *loop, double resolution);

/* call_soon / call_later / call_at.  Take cb and args; return a new
 * reference to the handle.  On a closed loop (where CPython raises) the
 * handle comes back cancelled, never queued, and a WARNING says why. */
LsHandle *ls_loop_call_soon (LsLoop *loop, LsCallback cb, guint nargs, const LsValue *args);
LsHandle *ls_loop_call_later (LsLoop *loop, double delay, LsCallback cb, guint nargs, const LsValue *args);
LsHandle *ls_loop_call_at (LsLoop *loop, double when, LsCallback cb, guint nargs, const LsValue *args);
/* call_soon_threadsafe: the same as call_soon on the virtual clock, kept
 * apart so that the trace can say where the callback came from. */
LsHandle *ls_loop_call_soon_threadsafe (LsLoop *loop, LsCallback cb, guint nargs, const LsValue *args);

/* One iteration of the loop (base_events.BaseEventLoop._run_once).
 * Returns FALSE when it detected a deadlock instead of running anything. */
gboolean ls_loop_run_once (LsLoop *loop);
/* How many handles wait in the ready queue. */
guint ls_loop_ready_count (LsLoop *loop);
/* run_forever(): iterates until stop() is called.  Returns FALSE on
 * deadlock or when a limit stopped it, with *error set to the exception
 * describing it. */
gboolean ls_loop_run_forever (LsLoop *loop, LsValue *error);
void ls_loop_stop (LsLoop *loop);
gboolean ls_loop_is_running (LsLoop *loop);
/* run_until_complete(future_or_coroutine): TRUE and the result, or FALSE
 * and the exception (the future's, or RuntimeError / the deadlock). */
gboolean ls_loop_run_until_complete (LsLoop *loop, LsValue awaitable, LsValue *result);

/* The loop whose run_forever is on the stack (get_running_loop()), or NULL. */
LsLoop *ls_loop_get_running (void);

/* A blocking call inside a callback or task step (time.sleep(s)): the loop
 * is stuck for s virtual seconds; worker threads go on meanwhile. */
void ls_loop_block (LsLoop *loop, double seconds);
/* The same, reporting the source line of the blocking call. */
void ls_loop_block_at (LsLoop *loop, double seconds, int line);

/* Text printed by the program, attributed to the current task. */
void ls_loop_print (LsLoop *loop, const char *text);
void ls_loop_print_stderr (LsLoop *loop, const char *text);
/* Either, reporting the source line of the print() call. */
void ls_loop_print_at (LsLoop *loop, gboolean is_stderr, const char *text, int line);

/* Deadlock: TRUE once the loop found nothing ready, no timer, no worker and
 * stopped.  The report names each waiting task and what it waits on. */
gboolean ls_loop_deadlocked (LsLoop *loop);
const char *ls_loop_deadlock_report (LsLoop *loop);
/* TRUE once a step or virtual-time limit stopped the loop. */
gboolean ls_loop_limit_hit (LsLoop *loop);

/* Limits: 0 means none.  Hitting one stops run_forever with an error.
 * max_steps also bounds, separately, the job steps of worker threads. */
void ls_loop_set_limits (LsLoop *loop, guint64 max_steps, double max_time);
guint64 ls_loop_steps (LsLoop *loop);   /* task steps run so far */

/* ---- futures ------------------------------------------------------------ */

typedef enum {
  LS_FUTURE_PENDING,
  LS_FUTURE_CANCELLED,
  LS_FUTURE_FINISHED,
} LsFutureState;

/* A future class: an LsClass plus the methods subclasses override. */
typedef struct {
  LsClass base;
  gboolean (*cancel) (LsFuture *fut, LsValue msg);   /* Future.cancel */
} LsFutureClass;

/* What few futures need: kept aside so that a future stays small (a
 * sleeping task holds two futures, itself and its sleep's). */
typedef struct {
  GArray *more_cbs;        /* done callbacks after the first: LsCallback */
  LsValue cancel_message;  /* None or the msg given to cancel() */
  LsValue cancelled_exc;   /* the CancelledError that cancelled a task */
} LsFutureExtra;

struct _LsFuture {
  LsObject base;
  LsLoop *loop;            /* strong reference */
  LsValue outcome;         /* finished: the result, or the exception if failed */
  LsCallback cb0;          /* first done callback, inline: most have one */
  LsFutureExtra *extra;    /* NULL until needed */
  guint64 id;
  const char *label;       /* what the trace calls it: "future", "sleep" … */
  guint32 ncbs;
  guint8 state;            /* LsFutureState */
  guint8 failed;           /* finished with an exception */
  guint8 blocking;         /* _asyncio_future_blocking */
  guint8 log_traceback;    /* exception set and never retrieved */
};

extern const LsFutureClass ls_future_class;

LsValue ls_future_new (LsLoop *loop);
/* A future whose trace label says what it stands for ("sleep", "lock" …). */
LsValue ls_future_new_labeled (LsLoop *loop, const char *label);
/* For subclasses: initialise an allocated future object. */
void ls_future_init (LsFuture *fut, LsLoop *loop, const char *label);
void ls_future_finalize (LsObject *self);

gboolean ls_is_future (LsValue v);
static inline LsFuture *ls_future_from (LsValue v) { return (LsFuture *) ls_value_as_object (v); }

static inline gboolean ls_future_done (LsFuture *fut) { return fut->state != LS_FUTURE_PENDING; }
static inline gboolean ls_future_cancelled (LsFuture *fut) { return fut->state == LS_FUTURE_CANCELLED; }
/* result(): TRUE and the result, or FALSE and the exception to raise
 * (CancelledError, InvalidStateError, or the stored exception). */
gboolean ls_future_result (LsFuture *fut, LsValue *out);
/* exception(): TRUE and the exception or None, or FALSE and the error. */
gboolean ls_future_exception (LsFuture *fut, LsValue *out);
/* set_result/set_exception take the value; FALSE and InvalidStateError in
 * *error when already done. */
gboolean ls_future_set_result (LsFuture *fut, LsValue value, LsValue *error);
gboolean ls_future_set_exception (LsFuture *fut, LsValue exc, LsValue *error);
/* cancel(msg): dispatches to the class (Task and gather override it). */
gboolean ls_future_cancel (LsFuture *fut, LsValue msg);
/* Future.cancel itself, for subclasses that extend it. */
gboolean ls_future_cancel_base (LsFuture *fut, LsValue msg);
void ls_future_add_done_callback (LsFuture *fut, LsCallback cb);
/* Returns how many were removed (they compare with ls_callback_equal). */
guint ls_future_remove_done_callback (LsFuture *fut, const LsCallback *cb);
/* What a finished future holds, borrowed: its result (None unless it
 * finished with one), its exception (None unless it failed), and the
 * message it was cancelled with (None). */
LsValue ls_future_peek_result (LsFuture *fut);
LsValue ls_future_peek_exception (LsFuture *fut);
LsValue ls_future_peek_cancel_message (LsFuture *fut);
/* Future._make_cancelled_error(). */
LsValue ls_future_make_cancelled_error (LsFuture *fut);
char *ls_future_state_name (LsFuture *fut);

/* _set_result_unless_cancelled(fut, result), as a callback. */
extern const LsMethod ls_future_set_result_unless_cancelled_method;

/* ---- tasks ------------------------------------------------------------- */

struct _LsTask {
  LsFuture fut;
  LsValue coro;
  char *name;                   /* NULL: "Task-<number>" */
  LsFuture *fut_waiter;         /* owned, see the invariants above */
  LsTask *reg_prev, *reg_next;  /* the loop's registry of pending tasks */
  guint64 number;               /* from the one Task-N counter */
  guint32 num_cancels_requested;
  guint8 must_cancel;
  guint8 registered;
};

extern const LsFutureClass ls_task_class;

gboolean ls_is_task (LsValue v);
/* loop.create_task(coro, name=name): takes coro; name may be NULL.  When
 * coro is not a coroutine the result is the TypeError CPython raises
 * (check with ls_is_task). */
LsValue ls_task_new (LsLoop *loop, LsValue coro, const char *name);
/* ensure_future(): a future is returned as is; a coroutine gets a task;
 * anything else is a TypeError (FALSE, the error in *out). */
gboolean ls_ensure_future (LsLoop *loop, LsValue awaitable, LsValue *out);
/* asyncio.create_task(coro, name=name): unlike loop.create_task, 3.12
 * creates the task unnamed (using up a Task-N number) and renames it. */
LsValue ls_asyncio_create_task (LsLoop *loop, LsValue coro, const char *name);
char *ls_task_get_name (LsTask *task);
void ls_task_set_name (LsTask *task, const char *name);
gboolean ls_task_cancel (LsTask *task, LsValue msg);
guint ls_task_cancelling (LsTask *task);
guint ls_task_uncancel (LsTask *task);
LsTask *ls_loop_current_task (LsLoop *loop);     /* borrowed, or NULL */
/* Restarts the Task-N numbering (it is process-wide, as in CPython): a new
 * run of a program starts again at Task-1. */
void ls_task_reset_name_counter (void);
/* all_tasks(): pending tasks, in creation order (CPython iterates a weak
 * set here, whose order varies; creation order is Loopscope's choice). */
LsValue ls_loop_all_tasks (LsLoop *loop);

/* ---- asyncio.run --------------------------------------------------------- */

/* asyncio.run(main) with the Runner's shutdown: runs main as Task-1, then
 * cancels what is left (gathered), then shuts down async generators and
 * the default executor.  TRUE and the result, or FALSE and the exception. */
gboolean ls_asyncio_run (LsLoop *loop, LsValue main_coro, LsValue *result);

G_END_DECLS
