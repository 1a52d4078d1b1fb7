/* ls-coro.h - the coroutine interface, and coroutines written in C.
 *
 * To the scheduler a coroutine is anything that can be resumed with a value
 * or with an exception, and then says one of three things: "I yielded this"
 * (a future to wait for, or None for a bare yield), "I returned this", or
 * "I raised this".  That is Python's coro.send()/coro.throw() with
 * StopIteration turned into a status.  The scenario language's VM
 * implements it for Python code; the library (sleep, wait, Queue.get, …)
 * and the tests implement it in C with LsCCoro below.
 *
 * LsCCoro is a state machine with an await operation: its step function
 * returns LS_CCORO_AWAIT with an awaitable, and the framework does what
 * `await` does in CPython — a done future gives its result at once without
 * yielding, a pending future is yielded to the task, a coroutine is run to
 * completion inside the same task (`yield from`), delivering everything it
 * yields upward and every exception thrown in downward.  The step function
 * is called again with the result (or the exception, thrown = TRUE).
 */
#pragma once

#include "ls-value.h"

G_BEGIN_DECLS

typedef enum {
  LS_CORO_YIELD,    /* out: the yielded value (a future, or None) */
  LS_CORO_RETURN,   /* out: the return value */
  LS_CORO_RAISE,    /* out: the exception */
} LsCoroStatus;

struct _LsCoroSlots {
  /* Resumes the coroutine.  send and exc are borrowed; exc is None unless
   * an exception is thrown in.  *out is the caller's. */
  LsCoroStatus (*resume) (LsObject *coro, LsValue send, LsValue exc, LsValue *out);
  /* coro.close(): throws GeneratorExit in if suspended; frees its frames. */
  void (*close) (LsObject *coro);
  /* "main()" - the name a task repr shows as coro=<…>. */
  char *(*describe) (LsObject *coro);
  /* The source line the coroutine is suspended at, or 0. */
  int (*line) (LsObject *coro);
};

gboolean ls_is_coroutine (LsValue v);
/* Resumes coro, which must be a coroutine. */
static inline LsCoroStatus
ls_coro_resume (LsValue coro, LsValue send, LsValue exc, LsValue *out)
{
  LsObject *o = ls_value_as_object (coro);
  return o->cls->coro->resume (o, send, exc, out);
}
void ls_coro_close (LsValue coro);
char *ls_coro_describe (LsValue coro);
int ls_coro_line (LsValue coro);

/* ---- coroutines written in C ---------------------------------------- */

typedef struct _LsCCoro LsCCoro;

typedef enum {
  LS_CCORO_RETURN,  /* *out is the return value */
  LS_CCORO_RAISE,   /* *out is the exception */
  LS_CCORO_AWAIT,   /* *out is an awaitable: future, task or coroutine */
  LS_CCORO_YIELD,   /* *out is yielded to the task as is (None: bare yield) */
} LsCCoroAction;

/* One step of a C coroutine.  `in` is what the last await produced (None
 * on the first call): a result, or an exception when thrown is TRUE.  It is
 * borrowed.  The function stores its position in co->pc and its state in
 * co->data, sets *out (a new reference) and says what to do next. */
typedef LsCCoroAction (*LsCCoroFn) (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out);

struct _LsCCoro {
  LsObject base;
  LsCCoroFn fn;
  const char *name;        /* static: "sleep", "wait_for", … */
  gpointer data;           /* the coroutine's locals */
  GDestroyNotify data_free;
  LsValue awaiting;        /* the future yielded or coroutine delegated to */
  gint32 pc;               /* the step function's position, 0 at start */
  guint8 awaiting_coro;    /* TRUE when awaiting is a coroutine */
  guint8 running;
  guint8 finished;
  guint8 started;
};

/* Inline locals follow the struct: it must keep them 8-byte aligned. */
G_STATIC_ASSERT (sizeof (LsCCoro) % 8 == 0);

extern const LsClass ls_ccoro_class;

/* A new C coroutine; takes data and frees it with data_free. */
LsValue ls_ccoro_new (const char *name, LsCCoroFn fn, gpointer data, GDestroyNotify data_free);

/* The same, with the locals (data_size bytes, zeroed, 8-byte aligned) in
 * the coroutine's own block; *data_out points at them.  data_clear, if
 * given, releases what the locals hold when the coroutine is freed. */
LsValue ls_ccoro_new_inline (const char *name, LsCCoroFn fn, gsize data_size,
                             GDestroyNotify data_clear, gpointer *data_out);

/* The coroutine whose inline locals are at data. */
static inline LsCCoro *
ls_ccoro_of_inline_data (gpointer data)
{
  return (LsCCoro *) data - 1;
}

/* Convenience for step functions. */
static inline LsCCoroAction
ls_ccoro_return (LsValue *out, LsValue v)
{
  *out = v;
  return LS_CCORO_RETURN;
}

static inline LsCCoroAction
ls_ccoro_raise (LsValue *out, LsValue exc)
{
  *out = exc;
  return LS_CCORO_RAISE;
}

static inline LsCCoroAction
ls_ccoro_await (LsCCoro *co, int next_pc, LsValue *out, LsValue awaitable)
{
  co->pc = next_pc;
  *out = awaitable;
  return LS_CCORO_AWAIT;
}

/* Finishes with whatever the last await produced: returns it, or re-raises
 * it.  `return await x` in one line. */
static inline LsCCoroAction
ls_ccoro_pass (LsValue in, gboolean thrown, LsValue *out)
{
  *out = ls_value_ref (in);
  return thrown ? LS_CCORO_RAISE : LS_CCORO_RETURN;
}

G_END_DECLS
