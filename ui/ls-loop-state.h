/* ls-loop-state.h - the event loop as it stood at one moment of a run.
 *
 * The stepping panel shows, for the playhead's seq, what asyncio's loop
 * held: the task running, the tasks on the ready queue (in the order they
 * became ready, which is the order the loop runs them), the timers not
 * yet fired with their deadlines, and every task's state.  All of it is
 * derived from the trace model; no GTK, so it is tested on its own.
 *
 * Workload: stepping through a run of a million events.  Task states come
 * from a binary search in each lane's intervals; timers need the events
 * up to seq, so a cursor remembers the timers of its last answer and
 * moves forward from there (going back rescans from the start).
 */
#pragma once

#include "ls-trace-model.h"

G_BEGIN_DECLS

/* A task's state at a moment; DONE once it finished (outcome says how),
 * NOT_CREATED before its creation. */
typedef enum {
  LS_LOOP_TASK_NOT_CREATED,
  LS_LOOP_TASK_READY,
  LS_LOOP_TASK_RUNNING,
  LS_LOOP_TASK_BLOCKED,
  LS_LOOP_TASK_WAITING,
  LS_LOOP_TASK_IDLE,       /* a worker thread between jobs */
  LS_LOOP_TASK_DONE,
} LsLoopTaskState;

typedef struct {
  int task;                /* index in the model */
  LsLoopTaskState state;
  const char *await_kind;  /* WAITING: what it awaits (borrowed), or NULL */
  guint64 await_id;        /* WAITING: the future's id, 0 if unknown */
  guint32 since_seq;       /* when it entered this state */
  double since_time;
} LsLoopTask;

typedef struct {
  guint64 id;              /* the timer handle's engine id */
  double deadline;         /* virtual seconds */
  const char *callback;    /* callback name (borrowed), or NULL */
  int task;                /* the task that added it, -1: none */
  int sleeper;             /* the task whose asyncio.sleep this is, -1 */
} LsLoopTimer;

typedef struct {
  guint32 seq;             /* the moment: after this event happened */
  double time;             /* virtual time then */
  int running;             /* task index inside a step, -1 when the loop itself runs */
  GArray *ready;           /* int: task indices, in the order they became ready */
  GArray *timers;          /* LsLoopTimer, by deadline (then by when added) */
  GArray *tasks;           /* LsLoopTask, one per task of the model, in lane order */
} LsLoopState;

typedef struct _LsLoopCursor LsLoopCursor;

/* A cursor over a model, borrowed: the model must outlive it. */
LsLoopCursor *ls_loop_cursor_new (const LsTraceModel *model);
void ls_loop_cursor_free (LsLoopCursor *cursor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsLoopCursor, ls_loop_cursor_free)

/* The state just after event seq (clamped to 0 .. n_events; 0 is before
 * anything happened).  Returns a new state, free with ls_loop_state_free(). */
LsLoopState *ls_loop_cursor_state_at (LsLoopCursor *cursor, guint32 seq);

void ls_loop_state_free (LsLoopState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsLoopState, ls_loop_state_free)

/* The task state of one lane at seq, without the rest. */
LsLoopTaskState ls_loop_task_state_at (const LsTraceModel *model, guint task, guint32 seq,
                                       const LsTraceInterval **interval);

/* The source line a task stands on at seq: the line of its latest event
 * at or before seq that names one, 0 if none. */
int ls_loop_task_line_at (const LsTraceModel *model, guint task, guint32 seq);

/* Untranslated English name of a state ("ready", "waiting" ...). */
const char *ls_loop_task_state_name (LsLoopTaskState state);

G_END_DECLS
