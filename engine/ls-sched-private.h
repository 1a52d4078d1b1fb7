/* ls-sched-private.h - what the scheduler's files share among themselves.
 *
 * The loop structure, the event emitter, and the executor's hooks into
 * the loop.  Nothing outside engine/ includes this.
 */
#pragma once

#include "ls-sched.h"

G_BEGIN_DECLS

typedef struct _LsExecutorHooks LsExecutorHooks;

/* What the loop needs from worker threads running beside it (ls-executor.c):
 * when the next thing happens on one of them, and to make them progress up
 * to a virtual time, which may post callbacks with call_soon_threadsafe. */
struct _LsExecutorHooks {
  /* Earliest virtual time at which a worker does something, or +inf. */
  double (*next_event) (gpointer data);
  /* Runs every worker event due at or before `until`, in time order,
   * setting the loop's clock to each event's time while it runs. */
  void (*advance) (gpointer data, double until);
  gboolean (*busy) (gpointer data);
  /* The loop is closing: drop every worker and job, and the hooks. */
  void (*close) (gpointer data);
  gpointer data;
};

struct _LsLoop {
  LsObject base;
  double now;                 /* virtual seconds, see ls-sched.h */
  double clock_resolution;

  /* ready queue: a ring buffer of owned handle references; its capacity
   * is a power of two, so indices wrap with a mask */
  LsHandle **ready;
  guint ready_head, ready_len, ready_cap;

  /* timer heap, heapq order: owned references */
  GPtrArray *scheduled;
  guint timer_cancelled_count;

  guint64 next_id;            /* ids for futures, handles, tasks … */
  guint64 *id_source;         /* … taken from here: &next_id, or a counter shared by loops */
  guint64 seq;                /* event sequence numbers … */
  guint64 *seq_source;        /* … taken from here: &seq, or a counter shared by loops */
  guint64 steps;              /* task steps run */

  LsTask *current_task;       /* borrowed */
  guint64 running_handle;     /* id of the handle whose callback runs, or 0 */
  guint64 current_worker;     /* id of the worker thread running a job, or 0 */
  LsTask *reg_first, *reg_last;   /* pending tasks, creation order (owned) */

  LsObserverFn observer;
  gpointer observer_data;
  LsOutputFn output;
  gpointer output_data;
  LsExceptionHandlerFn exception_handler;   /* NULL: the default */
  gpointer exception_handler_data;

  LsExecutorHooks *executor;  /* NULL until run_in_executor is used */
  gpointer default_executor;  /* LsExecutor *, owned by ls-executor.c */
  GDestroyNotify default_executor_free;
  /* Starts shutting the default executor down (shutdown(wait=True) on a
   * helper thread) and returns a future resolved when it is done; set by
   * ls-executor.c together with default_executor. */
  LsValue (*shutdown_default_executor) (LsLoop *loop);

  guint64 max_steps;
  double max_time;
  char *deadlock_report;
  LsValue stop_error;         /* why run_forever stopped early, or None */

  guint8 stopping;
  guint8 running;
  guint8 closed;
  guint8 deadlocked;
  guint8 limit_hit;           /* a step or time limit stopped the loop */
};

/* Emits an event if anyone listens.  Cheap when nobody does. */
static inline gboolean
_ls_loop_observed (LsLoop *loop)
{
  return loop->observer != NULL;
}

void _ls_loop_emit (LsLoop *loop, LsEventKind kind, guint64 task, guint64 future,
                    guint64 other, LsReason reason, double value, int line,
                    const char *detail);

/* Emits a filled-in record; seq and time are set here. */
void _ls_loop_emit_event (LsLoop *loop, LsEvent *ev);

static inline guint64
_ls_loop_next_id (LsLoop *loop)
{
  return ++*loop->id_source;
}

/* Tasks register and unregister themselves (_register_task). */
void _ls_loop_register_task (LsLoop *loop, LsTask *task);
void _ls_loop_unregister_task (LsLoop *loop, LsTask *task);

/* The id of the current task, or 0. */
static inline guint64
_ls_loop_current_task_id (LsLoop *loop)
{
  return loop->current_task ? loop->current_task->fut.id : 0;
}

/* Reports an exception raised by a callback (call_exception_handler). */
void _ls_loop_report_exception (LsLoop *loop, const char *message, LsValue exc);
/* "Task exception was never retrieved": called by a future's finalizer
 * while the future is still whole. */
void _ls_future_report_unretrieved (LsFuture *fut);

/* Finishes a pending future with result or exc (both taken, one None),
 * without the checks of the public setters: Task uses it for its own
 * outcome, which set_result may not set. */
void _ls_future_finish (LsFuture *fut, LsValue result, LsValue exc);

/* Drops a future's done callbacks without running them (closing a loop
 * breaks the cycles of tasks that will never run again). */
void _ls_future_clear_callbacks (LsFuture *fut);

/* Task's writes to the fields Future keeps aside (take the value). */
void _ls_future_set_cancel_message (LsFuture *fut, LsValue msg);
void _ls_future_set_cancelled_exc (LsFuture *fut, LsValue exc);

/* Future.__repr__, for subclasses: "<Future pending cb=[…]>". */
char *_ls_future_repr (LsObject *self);

/* The running-loop slot behind get_running_loop(). */
void _ls_loop_set_running (LsLoop *loop);

G_END_DECLS
