/* ls-asyncio.h - the asyncio library on top of the scheduler.
 *
 * Each function mirrors the Python function of the same name in CPython
 * 3.12 (tasks.py, timeouts.py, taskgroups.py, locks.py, queues.py).  What
 * is `async def` in Python returns a new coroutine (an LsCCoro) here, to be
 * awaited inside a task, so that it takes exactly the steps CPython's takes;
 * what returns a future in Python (gather, shield) returns a future.
 *
 * Arguments are borrowed unless a comment says "takes".  Functions that can
 * raise at call time return FALSE with the exception in *out.
 *
 * Where CPython iterates a set (wait()'s done/pending, the order in which a
 * TaskGroup or the Runner cancels tasks), its order varies from run to run;
 * Loopscope uses creation order (the order of the futures' ids) there.
 */
#pragma once

#include "ls-sched.h"

#include <math.h>

G_BEGIN_DECLS

/* A timeout argument that is None: NaN, because every other double,
 * negative ones included, is a valid timeout in Python. */
#define LS_NO_TIMEOUT NAN
static inline gboolean ls_timeout_is_none (double t) { return isnan (t); }

/* ---- tasks.py --------------------------------------------------------- */

/* sleep(delay, result=result): takes result. */
LsValue ls_sleep (double delay, LsValue result);

/* gather(*aws, return_exceptions=...): a future of the list of results. */
gboolean ls_gather (LsLoop *loop, guint n, const LsValue *aws, gboolean return_exceptions,
                    LsValue *out);

/* shield(aw): a future that cancelling does not pass on to aw. */
gboolean ls_shield (LsLoop *loop, LsValue aw, LsValue *out);

typedef enum {
  LS_FIRST_COMPLETED,
  LS_FIRST_EXCEPTION,
  LS_ALL_COMPLETED,
} LsReturnWhen;

/* wait(fs, timeout=..., return_when=...): a coroutine returning the tuple
 * (done, pending), each a list in creation order (sets in CPython). */
LsValue ls_wait (guint n, const LsValue *fs, double timeout, LsReturnWhen return_when);

/* wait_for(aw, timeout): a coroutine (3.12: built on timeout()). */
LsValue ls_wait_for (LsValue aw, double timeout);

/* as_completed(fs, timeout=...): a list of coroutines, each returning the
 * next result to finish (or raising TimeoutError). */
gboolean ls_as_completed (LsLoop *loop, guint n, const LsValue *fs, double timeout, LsValue *out);

/* ---- timeouts.py --------------------------------------------------------- */

typedef struct _LsTimeout LsTimeout;
extern const LsClass ls_timeout_class;

/* timeout(delay) / timeout_at(when); None is LS_NO_TIMEOUT.  timeout()
 * reads the clock of loop (NULL: the running loop); with no loop at all it
 * returns a RuntimeError exception value instead of a Timeout. */
LsValue ls_timeout_new (LsLoop *loop, double delay);
LsValue ls_timeout_at_new (LsLoop *loop, double when);
double ls_timeout_when (LsValue cm);
/* RuntimeError in *error unless the Timeout is entered. */
gboolean ls_timeout_reschedule (LsValue cm, double when, LsValue *error);
gboolean ls_timeout_expired (LsValue cm);
/* async with: __aenter__ (returns the cm) and __aexit__ (returns None, as
 * in Python: never suppresses; may raise TimeoutError from exc).  exc is
 * the exception leaving the block, or None. */
LsValue ls_timeout_aenter (LsValue cm);
LsValue ls_timeout_aexit (LsValue cm, LsValue exc);

/* ---- taskgroups.py ----------------------------------------------------------- */

extern const LsClass ls_task_group_class;
LsValue ls_task_group_new (void);
/* async with: __aenter__ (returns tg) and __aexit__ (returns None, as in
 * Python: never suppresses; raises the ExceptionGroup of the children's
 * and the body's errors, or the CancelledError).  exc is the exception
 * leaving the block, or None. */
LsValue ls_task_group_aenter (LsValue tg);
LsValue ls_task_group_aexit (LsValue tg, LsValue exc);
/* tg.create_task(coro, name=...): takes coro. */
gboolean ls_task_group_create_task (LsValue tg, LsValue coro, const char *name, LsValue *out);

/* ---- locks.py ------------------------------------------------------------------- */

extern const LsClass ls_lock_class;
extern const LsClass ls_event_class;
extern const LsClass ls_semaphore_class;
extern const LsClass ls_bounded_semaphore_class;
extern const LsClass ls_condition_class;

LsValue ls_lock_new (void);
LsValue ls_lock_acquire (LsValue lock);                  /* coroutine -> True */
gboolean ls_lock_release (LsValue lock, LsValue *error);  /* RuntimeError if unlocked */
gboolean ls_lock_locked (LsValue lock);

LsValue ls_event_new (void);
LsValue ls_event_wait (LsValue event);                   /* coroutine -> True */
void ls_event_set (LsValue event);
void ls_event_clear (LsValue event);
gboolean ls_event_is_set (LsValue event);

/* value < 0: returns the ValueError CPython raises instead of a semaphore. */
LsValue ls_semaphore_new (gint64 value, gboolean bounded);
LsValue ls_semaphore_acquire (LsValue sem);              /* coroutine -> True */
gboolean ls_semaphore_release (LsValue sem, LsValue *error);  /* ValueError if bounded */
gboolean ls_semaphore_locked (LsValue sem);

/* Condition(lock=None): takes lock (None: a new Lock; anything but a Lock:
 * returns a TypeError instead of a condition). */
LsValue ls_condition_new (LsValue lock);
LsValue ls_condition_acquire (LsValue cond);             /* coroutine */
gboolean ls_condition_release (LsValue cond, LsValue *error);
gboolean ls_condition_locked (LsValue cond);             /* the lock's locked() */
LsValue ls_condition_wait (LsValue cond);                /* coroutine -> True */
/* wait_for(predicate): predicate is a callable, called with no argument. */
LsValue ls_condition_wait_for (LsValue cond, LsValue predicate);
gboolean ls_condition_notify (LsValue cond, gint64 n, LsValue *error);
gboolean ls_condition_notify_all (LsValue cond, LsValue *error);

/* ---- queues.py ------------------------------------------------------------------ */

typedef enum {
  LS_QUEUE_FIFO,
  LS_QUEUE_LIFO,
  LS_QUEUE_PRIORITY,
} LsQueueKind;

extern const LsClass ls_queue_class;
LsValue ls_queue_new (gint64 maxsize, LsQueueKind kind);
LsValue ls_queue_put (LsValue q, LsValue item);          /* coroutine; item borrowed */
LsValue ls_queue_get (LsValue q);                        /* coroutine -> item */
LsValue ls_queue_join (LsValue q);                       /* coroutine */
gboolean ls_queue_put_nowait (LsValue q, LsValue item, LsValue *error);   /* QueueFull */
gboolean ls_queue_get_nowait (LsValue q, LsValue *out);  /* QueueEmpty */
gboolean ls_queue_task_done (LsValue q, LsValue *error); /* ValueError */
/* `await q.put(item)` and `await q.get()` when they would not wait: what
 * the coroutine would do, without one.  FALSE (nothing done) when it
 * would wait, or could raise (a PriorityQueue compares its items). */
gboolean ls_queue_put_now (LsValue q, LsValue item);     /* item borrowed */
gboolean ls_queue_get_now (LsValue q, LsValue *out);
gint64 ls_queue_qsize (LsValue q);
gboolean ls_queue_empty (LsValue q);
gboolean ls_queue_full (LsValue q);
gint64 ls_queue_maxsize (LsValue q);                    /* q.maxsize */

/* ---- executors ------------------------------------------------------------------ */

/* A job for a worker thread: a coroutine whose yields are floats, each the
 * virtual seconds the thread then blocks for (time.sleep in the thread),
 * and whose return value or exception is the job's outcome.  Print from a
 * job with ls_loop_print: it is attributed to the worker. */
extern const LsClass ls_executor_class;
/* ThreadPoolExecutor(max_workers): 0 means CPython's default,
 * min(32, os.cpu_count() + 4), with cpu_count taken as 2 here. */
LsValue ls_executor_new (LsLoop *loop, guint max_workers);
/* loop.run_in_executor(executor or None, job): takes job; a future. */
LsValue ls_loop_run_in_executor (LsLoop *loop, LsValue executor, LsValue job);
/* executor.submit(job): a concurrent future's stand-in, an asyncio future
 * resolved from the worker by call_soon_threadsafe. */
LsValue ls_executor_submit (LsValue executor, LsValue job);
/* executor.shutdown(wait=True) runs the workers to completion. */
void ls_executor_shutdown (LsValue executor, gboolean wait);

G_END_DECLS
