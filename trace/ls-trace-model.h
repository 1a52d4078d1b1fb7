/* ls-trace-model.h - a recorded run, in memory, ready to draw and inspect.
 *
 * The reader (ls-trace-reader.h) fills a model from a trace file; the
 * timeline layout, the inspector, the exporters and `loopscope-cli info`
 * read it.  It is pure data: no SQLite, no GTK, no Cairo.  Everything is
 * derived from the events alone (the tasks/awaitables tables of the file
 * are for shell users and may be empty when a run was killed).
 *
 * The workload that shaped it: a million events must load in well under
 * 1.5 s and stay small, so the model is a handful of flat arrays of small
 * structs, all text in one GStringChunk, and things refer to each other by
 * index (a task index is its lane), never by pointer.  Engine ids (tasks,
 * futures, timers and worker threads share one id space per run) are kept
 * for display and mapped to indices by the lookups below.
 *
 * Invariants:
 *  - events[i].seq == i + 1: the reader refuses a trace with gaps.
 *  - tasks are in creation order (first TASK_CREATED or WORKER_STARTED).
 *  - a task's intervals are contiguous in time and in seq: each starts
 *    where the previous one ended, from its creation to its finish (or to
 *    the end of the trace, then `open` is set on the last one).
 *  - steps are in seq order; a step's begin_seq < end_seq, except a step
 *    still running when the trace ends (end_seq = n_events, `open`).
 *  - every text is owned by the model and lives as long as it; NULL means
 *    "none" (an empty string is a real, empty text).
 *
 * Decisions a reader of this code should know:
 *  - A task is READY from TASK_CREATED, from STEP_END(yielded or
 *    rescheduled), or from the FUTURE_DONE of the future its last
 *    STEP_END(awaiting) named, until its next STEP_BEGIN.  A task woken by
 *    a cancellation (Task.cancel() cancels what it waits on) takes the
 *    same path: the awaited future is done (cancelled).
 *  - A blocking call (LOOP_BLOCKED, value = seconds) splits the running
 *    step: RUNNING up to the event, BLOCKED for `value` seconds at that
 *    seq (from_seq == to_seq), then RUNNING again from the new time.
 *    LOOP_BLOCKED with value -1 (joining worker threads) lasts until the
 *    next event.
 *  - A worker thread is a lane of kind THREAD, RUNNING from each
 *    WORKER_STARTED to its WORKER_FINISHED and IDLE in between.
 *  - A greenlet is a lane of kind GREENLET from its GREENLET_CREATED:
 *    RUNNING (a step of its own) from each GREENLET_SWITCH that switches
 *    it in to the one that switches it out, WAITING otherwise, the
 *    switch's detail (switch, sleep, joinall ...) as what it waits on;
 *    the main greenlet starts RUNNING.  Each switch is a WOKEN edge from
 *    the greenlet switched out to the one switched in, at the same seq.
 *    GREENLET_FINISHED ends it like a task's last STEP_END.
 *  - A generator the program drives by name is a lane of kind GENERATOR
 *    from its first GENERATOR_RESUMED: RUNNING (a step) until the
 *    GENERATOR_SUSPENDED that follows, WAITING ("next") in between,
 *    finished when that event says it returned or raised.  Its step lies
 *    inside the step of whoever resumed it.
 *  - asyncio.run's housekeeping tasks (shutdown_asyncgens(),
 *    shutdown_default_executor(), created by no task after the main task
 *    ended) are lanes like any other, with `internal` set so views and
 *    summaries can leave them out.
 *  - Who woke a waiter: the task that finished the awaited future if the
 *    FUTURE_DONE happened inside a task step; otherwise the timer behind a
 *    sleep (the TIMER_ADDED the same task made right after creating the
 *    sleep future), the worker thread behind an executor job, or, for a
 *    group (gather, wait, shield...), the member whose completion finished
 *    it; otherwise nobody known (the edge has from_task -1, from_id 0).
 *  - Who cancelled: CANCEL_REQUESTED.task when a task asked.  When no task
 *    was running (a callback asked) and the victim's own timeout timer
 *    (a timer the victim added whose callback names a timeout, e.g.
 *    Timeout._on_timeout of wait_for and asyncio.timeout) fired at that
 *    instant, the edge is TIMED_OUT with the timer and its deadline.  When
 *    a TaskGroup child had just failed and the victim is a sibling or the
 *    group's parent, the failing child is the canceller (kind CANCELLED,
 *    via = the group).  Requests to cancel futures that are not tasks
 *    (what Task.cancel passes on to the future a task awaits) are kept on
 *    the awaitable, not drawn as edges.
 *  - Group membership comes from AWAIT_LINK (future = the group, other =
 *    the member, value = its position): gather, wait, shield, and, as the
 *    engine announces them for traces, TaskGroup and as_completed.
 */
#pragma once

#include <glib.h>

#include "ls-observer.h"
#include "ls-trace.h"

G_BEGIN_DECLS

typedef struct _LsTraceModel LsTraceModel;

/* One event, as recorded.  seq is implicit: events[i] has seq i + 1. */
typedef struct {
  double time;          /* virtual seconds */
  double value;         /* kind-specific: deadline, duration, position ... (0: none) */
  guint64 task;         /* engine ids, 0 for none (see ls-observer.h per kind) */
  guint64 future;
  guint64 other;
  const char *detail;   /* owned by the model, NULL for none */
  const char *extra;
  gint32 line;          /* source line, 0 if unknown */
  guint8 kind;          /* LsEventKind; LS_EVENT_N_KINDS for a kind this code does not know */
  guint8 reason;        /* LsReason; LS_REASON_N for one this code does not know */
} LsTraceEvent;

typedef enum {
  LS_TRACE_LANE_TASK,
  LS_TRACE_LANE_THREAD,   /* an executor's worker thread */
  LS_TRACE_LANE_GREENLET, /* a greenlet (the main one and gevent's hub included) */
  LS_TRACE_LANE_GENERATOR,/* a generator the program drove with next()/send()/throw()/close() */
} LsTraceLaneKind;

/* How a task (or awaitable) ended. */
typedef enum {
  LS_TRACE_PENDING,       /* never finished in this trace */
  LS_TRACE_RESULT,
  LS_TRACE_EXCEPTION,
  LS_TRACE_CANCELLED,
} LsTraceTaskOutcome;

/* A lane: a task or a worker thread. */
typedef struct {
  guint64 id;             /* engine id */
  const char *name;       /* last name (Task-1, or set_name's); a thread's name */
  const char *coro;       /* coroutine, as "main()"; NULL for a thread */
  const char *coro_where; /* the engine's description ("main() running at f.py:18"), or NULL */
  int parent;             /* index of the creating task, -1 for none */
  int line;               /* where its coroutine starts (TASK_CREATED line), 0 if unknown */
  guint32 created_seq;
  guint32 finished_seq;   /* 0 while pending */
  double created_time;
  double finished_time;   /* valid when finished_seq != 0 */
  const char *result;     /* result repr or "Type: message" (STEP_END extra), or NULL */
  const char *exc_type;   /* exception type a task ended with, or NULL */
  guint32 steps;          /* how many steps it took (jobs, for a thread) */
  guint32 first_interval; /* its intervals: intervals[first_interval ..+ n_intervals] */
  guint32 n_intervals;
  guint8 kind;            /* LsTraceLaneKind */
  guint8 outcome;         /* LsTraceTaskOutcome */
  guint8 internal;        /* asyncio.run's housekeeping (see the top of the file) */
} LsTraceTask;

typedef enum {
  LS_TRACE_READY,         /* runnable, not yet running */
  LS_TRACE_RUNNING,       /* inside a step (a thread: running a job) */
  LS_TRACE_BLOCKED,       /* inside a step, in a blocking call: the loop is stuck */
  LS_TRACE_WAITING,       /* suspended on an awaitable (await_id / await_kind) */
  LS_TRACE_IDLE,          /* a worker thread between jobs */
} LsTraceState;

/* A stretch of one lane's life in one state. */
typedef struct {
  guint32 from_seq, to_seq;
  double from_time, to_time;
  guint64 await_id;       /* WAITING: the future awaited (a task id for `await task`), else 0 */
  const char *await_kind; /* WAITING: its kind: sleep, gather, wait, wait_for, task, queue ... */
  int awaitable;          /* WAITING: index into awaitables, -1 if it is a task or unknown */
  guint8 state;           /* LsTraceState */
  guint8 open;            /* the trace ended during it */
} LsTraceInterval;

/* One step of a task: STEP_BEGIN .. STEP_END.  Steps are the slots of the
 * switch-order axis. */
typedef struct {
  guint32 task;           /* index into tasks */
  guint32 begin_seq, end_seq;
  guint32 cost;           /* how much work the step did (see ls_trace_step_cost) */
  guint8 end_reason;      /* LsReason of its STEP_END, LS_REASON_NONE if open */
  guint8 open;
} LsTraceStep;

/* A future that is not a task: sleep, gather, wait, queue getter ...
 * TaskGroup and as_completed are announced as awaitables too; they have
 * no done event (done_seq is their last member's). */
typedef struct {
  guint64 id;
  const char *kind;       /* FUTURE_CREATED detail */
  int creator;            /* task index, -1: none */
  guint32 created_seq;    /* first event that names it, if FUTURE_CREATED is missing */
  guint32 done_seq;       /* 0 while pending */
  double created_time, done_time;
  guint32 cancel_seq;     /* first CANCEL_REQUESTED of it, 0: none */
  guint64 timer;          /* a sleep's timer, 0: none */
  guint64 worker;         /* an executor job's worker thread id, 0: none */
  guint32 first_member;   /* members[first_member ..+ n_members], in position order */
  guint32 n_members;
  guint8 outcome;         /* LsTraceTaskOutcome */
} LsTraceAwaitable;

/* A member of a group, and when it finished. */
typedef struct {
  guint64 id;             /* a task or future id */
  int task;               /* its task index, or -1 */
  int awaitable;          /* its awaitable index, or -1 */
  guint32 done_seq;       /* 0: still pending at the end of the trace */
  guint32 done_rank;      /* 1 for the first member to finish, 2 ... ; 0: pending */
} LsTraceMember;

typedef enum {
  LS_TRACE_EDGE_CREATED,    /* parent -> child, at TASK_CREATED */
  LS_TRACE_EDGE_WOKEN,      /* who finished the awaitable -> the waiter's next STEP_BEGIN */
  LS_TRACE_EDGE_CANCELLED,  /* who called cancel() -> victim */
  LS_TRACE_EDGE_TIMED_OUT,  /* a timeout's timer -> victim; deadline set */
  LS_TRACE_EDGE_SWITCHED,   /* a greenlet switching to another one (both at the switch) */
} LsTraceEdgeKind;

typedef struct {
  int from_task;          /* task index, -1: none (a timer, a callback) */
  int to_task;            /* task index */
  guint32 from_seq;       /* the cause: creation, FUTURE_DONE, CANCEL_REQUESTED */
  guint32 to_seq;         /* the effect: creation, STEP_BEGIN, CANCEL_REQUESTED */
  double from_time, to_time;
  guint64 from_id;        /* WOKEN: the timer or future behind it; TIMED_OUT: the timer */
  guint64 via;            /* WOKEN: the awaitable that finished; CANCELLED by a group: the group */
  double deadline;        /* TIMED_OUT: the timer's deadline */
  guint8 kind;            /* LsTraceEdgeKind */
} LsTraceEdge;

typedef enum {
  LS_TRACE_MARK_OUTPUT,     /* printed text (detail); stderr set for stderr */
  LS_TRACE_MARK_RESULT,     /* a task returned (text: result repr) */
  LS_TRACE_MARK_EXCEPTION,  /* a task raised (text: "Type: message") */
  LS_TRACE_MARK_CANCELLED,  /* CancelledError delivered into a task, or a task ended cancelled */
  LS_TRACE_MARK_WARNING,    /* what CPython would log (text), tag: WARNING extra */
} LsTraceMarkKind;

typedef struct {
  guint32 seq;
  int task;               /* task index, -1: outside tasks */
  const char *text;       /* borrowed from the event, may be NULL */
  const char *tag;        /* WARNING: its extra ("never-awaited" ...), else NULL */
  guint8 kind;            /* LsTraceMarkKind */
  guint8 stderr_;         /* OUTPUT to stderr */
  guint8 requested;       /* CANCELLED: a cancel() of this task came first (not merely
                             an awaited future that was cancelled) */
} LsTraceMark;

/* A blocking call: the loop (or, outside any loop, the program) was stuck
 * from time to time + duration. */
typedef struct {
  guint32 seq;
  int task;               /* who blocked, -1: outside tasks */
  double time;
  double duration;        /* seconds */
  int line;               /* 0 if unknown */
  guint32 end_seq;        /* a join of worker threads: the first event after it (they
                             ran meanwhile); 0: it ends before the next event */
  guint8 outside_loop;    /* no loop was running (a plain script's blocking call):
                             it stalls the program, not a loop */
} LsTraceBlock;

/* Facts about the run (meta table and source).  Strings NULL when absent. */
typedef struct {
  int schema_version;
  const char *tool, *tool_version, *semantics;
  const char *scenario_path;
  const char *source;
  double epoch;
  guint64 max_steps, max_memory;
  double max_time, max_wall;
  int outcome;                /* LsTraceOutcome, -1 if the name is unknown */
  const char *outcome_name;   /* as recorded */
  const char *outcome_detail;
  int exit_status;            /* -1 if not recorded */
  gboolean interrupted;       /* outcome "running": the recording process died */
  guint32 n_events;
  double end_time;            /* time of the last event (0 for none) */
} LsTraceRun;

/* Frees everything the model owns.  NULL is accepted. */
void ls_trace_model_free (LsTraceModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTraceModel, ls_trace_model_free)

const LsTraceRun *ls_trace_model_get_run (const LsTraceModel *model);

/* The arrays; each getter borrows and sets *n to the length. */
const LsTraceEvent *ls_trace_model_get_events (const LsTraceModel *model, guint *n);
const LsTraceTask *ls_trace_model_get_tasks (const LsTraceModel *model, guint *n);
const LsTraceInterval *ls_trace_model_get_intervals (const LsTraceModel *model, guint *n);
const LsTraceStep *ls_trace_model_get_steps (const LsTraceModel *model, guint *n);
const LsTraceAwaitable *ls_trace_model_get_awaitables (const LsTraceModel *model, guint *n);
const LsTraceMember *ls_trace_model_get_members (const LsTraceModel *model, guint *n);
const LsTraceEdge *ls_trace_model_get_edges (const LsTraceModel *model, guint *n);
const LsTraceMark *ls_trace_model_get_marks (const LsTraceModel *model, guint *n);
const LsTraceBlock *ls_trace_model_get_blocks (const LsTraceModel *model, guint *n);

/* The event of a seq (1 .. n_events), or NULL. */
const LsTraceEvent *ls_trace_model_get_event (const LsTraceModel *model, guint32 seq);
/* The intervals of task `index`; NULL and 0 for a bad index. */
const LsTraceInterval *ls_trace_model_get_task_intervals (const LsTraceModel *model,
                                                          guint index, guint *n);
/* The members of awaitable `index`, in position order. */
const LsTraceMember *ls_trace_model_get_group_members (const LsTraceModel *model,
                                                       guint index, guint *n);
/* Index of the task (lane) / awaitable with an engine id, or -1. */
int ls_trace_model_find_task (const LsTraceModel *model, guint64 id);
int ls_trace_model_find_awaitable (const LsTraceModel *model, guint64 id);

/* How much work a step did.  The engine does not report a per-step cost
 * yet, so this is the number of events recorded inside the step; when it
 * does, this is the one place to change. */
guint32 ls_trace_step_cost (const LsTraceModel *model, const LsTraceStep *step);

/* Names for display. */
const char *ls_trace_state_name (LsTraceState state);
/* Whether the lane is the main program's (the module's own code outside
 * every task, thread and greenlet: id 0), not a task of a loop. */
static inline gboolean
ls_trace_task_is_main_program (const LsTraceTask *t)
{
  return t->kind == LS_TRACE_LANE_TASK && t->id == 0;
}

const char *ls_trace_task_outcome_name (LsTraceTaskOutcome outcome);
const char *ls_trace_edge_kind_name (LsTraceEdgeKind kind);

/* ---- building (used by the reader and by tests) ----------------------------- */

/* A builder takes events in seq order and derives everything at the end.
 * Text passed in is copied. */
typedef struct _LsTraceModelBuilder LsTraceModelBuilder;

LsTraceModelBuilder *ls_trace_model_builder_new (void);
/* Run facts: each string is copied, NULL leaves the field unset. */
void ls_trace_model_builder_set_meta (LsTraceModelBuilder *builder, const char *key,
                                      const char *value);
void ls_trace_model_builder_set_source (LsTraceModelBuilder *builder, const char *path,
                                        const char *text);
/* Appends one event; its seq is implied by the order of calls (1, 2 ...). */
void ls_trace_model_builder_add (LsTraceModelBuilder *builder, const LsEvent *event);
/* Derives tasks, intervals, edges ... and returns the model; frees the
 * builder. */
LsTraceModel *ls_trace_model_builder_finish (LsTraceModelBuilder *builder);
/* Frees a builder without building. */
void ls_trace_model_builder_free (LsTraceModelBuilder *builder);

G_END_DECLS
