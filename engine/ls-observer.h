/* ls-observer.h - how the engine tells the world what happened.
 *
 * The scheduler reports every event through one callback with an LsEvent
 * record.  It knows nothing of who listens: the trace recorder, a test, a
 * console printer.  Records are borrowed for the duration of the callback;
 * a listener that keeps anything copies it.
 *
 * The list of kinds is one X-macro, so the enum, the names written to a
 * trace and any table derived from them cannot drift apart.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*        enum suffix         name in traces        what it means
 *        ------------------  --------------------  -------------------------------------------- */
#define LS_EVENT_KINDS(X) \
  X (TASK_CREATED,          "task-created")       /* task; other = parent; detail = name       */ \
  X (TASK_RENAMED,          "task-renamed")       /* task; detail = the new name               */ \
  X (STEP_BEGIN,            "step-begin")         /* task resumed; detail: exception thrown in   */ \
  X (STEP_END,              "step-end")           /* task; reason; future awaited; detail: exc type; when the task ends, extra: result repr or "Type: message" */ \
  X (FUTURE_CREATED,        "future-created")     /* future; detail = its kind (sleep, gather…)  */ \
  X (FUTURE_DONE,           "future-done")        /* future; reason: result/exception/cancelled  */ \
  X (CALLBACK_SCHEDULED,    "callback-scheduled") /* handle; detail = callback name              */ \
  X (CALLBACK_RUN,          "callback-run")       /* handle; detail = callback name              */ \
  X (TIMER_ADDED,           "timer-added")        /* handle; value = deadline                    */ \
  X (TIMER_FIRED,           "timer-fired")        /* handle moved to the ready queue             */ \
  X (TIMER_CANCELLED,       "timer-cancelled")    /* handle                                      */ \
  X (CANCEL_REQUESTED,      "cancel-requested")   /* future = what is asked to cancel; task = the task asking, or 0 and other = the handle (timer) whose callback asks; detail = the message */ \
  X (CANCEL_DELIVERED,      "cancel-delivered")   /* CancelledError thrown into task's coroutine */ \
  X (AWAIT_LINK,            "await-link")         /* future depends on other future (gather…)   */ \
  X (OUTPUT,                "output")             /* text printed; task = who (0: outside tasks; a worker thread's id when a job printed); other = 1 for stderr */ \
  X (LOOP_BLOCKED,          "loop-blocked")       /* a blocking call; value = seconds (-1: joining worker threads, detail = "ThreadPoolExecutor.shutdown") */ \
  X (CLOCK_ADVANCED,        "clock-advanced")     /* idle jump; value = new time                 */ \
  X (WORKER_STARTED,        "worker-started")     /* executor job began on a worker thread: task = the thread's id (unique among ids); future = the asyncio future awaiting the job; other = the submitting task; value = worker index; detail = thread name */ \
  X (WORKER_FINISHED,       "worker-finished")    /* executor job ended: fields as worker-started; reason result/exception; extra = exception type */ \
  X (DEADLOCK,              "deadlock")           /* nothing can ever run again                  */ \
  X (WARNING,               "warning")            /* detail: the message CPython would log      */ \
  X (GREENLET_CREATED,      "greenlet-created")   /* task = the greenlet's id; future = the greenlet that made it (0: none); other = its parent's (0: none, the main greenlet); detail = its name; extra = what it runs ("task_1(5)"); line = where it was made */ \
  X (GREENLET_SWITCH,       "greenlet-switch")    /* task = the greenlet switched in, other = the one switched out (0: none, the hub idling while the clock jumps); detail = what the one switched out waits on: switch, throw, finished, raised, sleep, sleep(0), join, joinall, kill, get, wait, iwait, event, result, queue.get, queue.put, queue.join, semaphore.acquire, pool.spawn, pool.join, idle, timer; line = where it stands */ \
  X (GREENLET_FINISHED,     "greenlet-finished")  /* task; reason result/exception; detail: the exception's type; extra: result repr or "Type: message" */ \
  X (GENERATOR_RESUMED,     "generator-resumed")  /* task = the generator's id; other = who resumes it (a task or greenlet id, 0: none); detail = next, send, throw or close; extra = the generator, as "averager()"; line = where it stands */ \
  X (GENERATOR_SUSPENDED,   "generator-suspended") /* task = the generator's id; reason yielded, result or exception; detail = repr of the value yielded or returned (cut at 80 characters) or "Type: message" */

typedef enum {
#define LS_EVENT_ENUM(id, name) LS_EVENT_##id,
  LS_EVENT_KINDS (LS_EVENT_ENUM)
#undef LS_EVENT_ENUM
  LS_EVENT_N_KINDS
} LsEventKind;

/* Why a step ended (for STEP_END) or how a future finished (FUTURE_DONE). */
#define LS_STEP_REASONS(X) \
  X (NONE,       "none") \
  X (AWAITING,   "awaiting")    /* suspended on a pending future            */ \
  X (YIELDED,    "yielded")     /* bare yield: sleep(0), back next iteration */ \
  X (RESCHEDULED,"rescheduled") /* bad yield: the task is stepped again with an error */ \
  X (RESULT,     "result")      /* returned or finished with a value        */ \
  X (EXCEPTION,  "exception")   /* raised                                    */ \
  X (CANCELLED,  "cancelled")

typedef enum {
#define LS_REASON_ENUM(id, name) LS_REASON_##id,
  LS_STEP_REASONS (LS_REASON_ENUM)
#undef LS_REASON_ENUM
  LS_REASON_N
} LsReason;

typedef struct {
  guint64 seq;          /* 1, 2, 3 … in the order things happened */
  double time;          /* virtual seconds when it happened */
  LsEventKind kind;
  guint64 task;         /* id of the task concerned, 0 for none */
  guint64 future;       /* id of the future/handle concerned, 0 for none */
  guint64 other;        /* a related task or future id, 0 for none */
  LsReason reason;
  double value;         /* deadline, duration, … (kind-specific) */
  int line;             /* source line of the coroutine, 0 if unknown */
  const char *detail;   /* borrowed text, may be NULL */
  const char *extra;    /* a second text (TASK_CREATED: the coroutine) */
} LsEvent;

typedef void (*LsObserverFn) (const LsEvent *event, gpointer user_data);

const char *ls_event_kind_name (LsEventKind kind);
const char *ls_reason_name (LsReason reason);

G_END_DECLS
