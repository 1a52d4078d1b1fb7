/* ls-executor-private.h - concurrent.futures.Future, as ls-executor.c
 * keeps it and ls-mod-concurrent.c shows it to a program.
 *
 * A concurrent future is completed by a worker thread (or cancelled by
 * whoever holds it); a thread that waits for it (f.result(), wait(),
 * as_completed(), executor.map()) blocks in virtual time while the worker
 * threads of its loop run, one event at a time (ls_executor_block_until):
 * the waiting thread's clock moves to the event that satisfied the wait,
 * exactly as it would had it slept until then.
 */
#pragma once

#include "ls-asyncio.h"
#include "ls-ops.h"

G_BEGIN_DECLS

/* concurrent/futures/_base.py's states; CANCELLED_AND_NOTIFIED is a
 * cancelled future that a worker took off the queue (and that wait() and
 * as_completed() then count as done). */
typedef enum {
  LS_CONC_PENDING,
  LS_CONC_RUNNING,
  LS_CONC_CANCELLED,
  LS_CONC_CANCELLED_AND_NOTIFIED,
  LS_CONC_FINISHED,
} LsConcState;

typedef struct _LsConcWaiter LsConcWaiter;

typedef struct {
  LsObject base;
  LsConcState state;
  LsValue result;          /* FINISHED without an exception: the result */
  LsValue exception;       /* FINISHED with one: the exception, else None */
  GArray *callbacks;       /* LsCallback, in the order added; emptied once called */
  GPtrArray *waiters;      /* LsConcWaiter *, borrowed: wait() and as_completed() */
  LsLoop *loop;            /* strong: the loop whose worker threads complete it */
  guint64 id;              /* the id its events carry; its repr's address comes from it */
} LsConcFuture;

extern const LsClass ls_conc_future_class;
/* Its methods and attributes, ls-mod-concurrent.c's. */
extern const struct _LsTypeSlots _ls_conc_future_ops;

static inline gboolean
ls_is_conc_future (LsValue v)
{
  return ls_value_is (v, &ls_conc_future_class);
}

static inline gboolean
ls_conc_future_done (const LsConcFuture *c)
{
  return c->state >= LS_CONC_CANCELLED;
}

/* executor.submit(job) as CPython has it: the concurrent future (new
 * reference), or RuntimeError "cannot schedule new futures after
 * shutdown" (FALSE, *out the exception).  Takes job. */
gboolean ls_executor_submit_concurrent (LsValue executor, LsValue job, LsValue *out);

/* Future.cancel(): TRUE when the future is (now) cancelled; the done
 * callbacks run in the calling thread. */
gboolean ls_conc_future_cancel (LsConcFuture *c);
/* Future.add_done_callback(fn): kept for later, or called at once (in the
 * calling thread) when the future is done.  Takes cb. */
void ls_conc_future_add_done_callback (LsConcFuture *c, LsCallback cb);
/* asyncio.wrap_future(c, loop=loop): a new asyncio future chained to c
 * (_chain_future), done on loop when c is. */
LsValue ls_conc_future_wrap (LsConcFuture *c, LsLoop *loop);

/* _Waiter and its subclasses: what wait() and as_completed() block on.
 * `finished` holds the futures that completed while it was installed, in
 * the order they completed. */
typedef enum {
  LS_CONC_WAIT_AS_COMPLETED,
  LS_CONC_WAIT_FIRST_COMPLETED,
  LS_CONC_WAIT_FIRST_EXCEPTION,
  LS_CONC_WAIT_ALL_COMPLETED,
} LsConcWaitKind;

struct _LsConcWaiter {
  LsConcWaitKind kind;
  guint pending_calls;     /* _AllCompletedWaiter.num_pending_calls */
  gboolean event;          /* waiter.event is set */
  GPtrArray *finished;     /* LsConcFuture *, strong */
};

LsConcWaiter *ls_conc_waiter_new (LsConcWaitKind kind, guint pending_calls);
void ls_conc_waiter_free (LsConcWaiter *w);
void ls_conc_waiter_install (LsConcWaiter *w, LsConcFuture *c);
void ls_conc_waiter_remove (LsConcWaiter *w, LsConcFuture *c);

/* How a blocking wait ended. */
typedef enum {
  LS_BLOCK_DONE,           /* the condition holds */
  LS_BLOCK_TIMEOUT,        /* the deadline came first: the clock is at it */
  LS_BLOCK_NEVER,          /* no worker thread has anything left to do */
  LS_BLOCK_LIMIT_STEPS,    /* the limit on worker steps stopped it */
  LS_BLOCK_LIMIT_TIME,     /* the next worker event is past the virtual time limit */
} LsBlockOutcome;

/* The calling thread (the loop's thread, or the main program while loop is
 * not running) blocks until done(data) holds or loop's clock reaches
 * deadline (INFINITY: none), while the worker threads of loop run one
 * event after the other.  Each stretch of waiting is a LOOP_BLOCKED event
 * of `task` (the current task, or 0 for the main program) at `line`. */
LsBlockOutcome ls_executor_block_until (LsLoop *loop, gboolean (*done) (gpointer data),
                                        gpointer data, double deadline, guint64 task, int line);

/* The workers of an idle loop run until `until` (time.sleep in the main
 * program); the loop's clock ends there.  Nothing when loop has no workers. */
void ls_executor_run_until (LsLoop *loop, double until);

/* The end of the program (concurrent.futures.thread._python_exit): every
 * executor of an idle loop is shut down and its threads joined, so the
 * jobs still queued or running run to their end. */
void ls_executor_join_all (LsLoop *loop);

/* TRUE while a worker thread of loop runs (a job, or the callbacks of
 * the future it just finished). */
gboolean ls_executor_in_worker (LsLoop *loop);

/* Future.__repr__, with a made-up address. */
char *ls_conc_future_repr (LsConcFuture *c);

G_END_DECLS
