/* ls-coro.c - the coroutine interface and the C coroutine framework.
 *
 * The framework reproduces what CPython's `await` does, so that a library
 * coroutine written in C steps exactly like its Python original:
 *   - Future.__await__: a done future produces its result without yielding;
 *     a pending one sets _asyncio_future_blocking and is yielded.  When the
 *     task resumes us, the future must be done ("await wasn't used with
 *     future" otherwise) and its result() is the value of the await.
 *   - `await coro` is `yield from coro`: everything it yields goes up,
 *     everything thrown in goes down to it first.
 */
#include "ls-coro.h"
#include "ls-sched.h"

/* ls_is_coroutine, inlined in this file's hot paths (three calls a step). */
static inline gboolean
is_coroutine (LsValue v)
{
  return ls_is_object (v) && ls_value_as_object (v)->cls->coro != NULL;
}

gboolean
ls_is_coroutine (LsValue v)
{
  return is_coroutine (v);
}


void
ls_coro_close (LsValue coro)
{
  if (ls_is_coroutine (coro) && ls_value_as_object (coro)->cls->coro->close)
    ls_value_as_object (coro)->cls->coro->close (ls_value_as_object (coro));
}

char *
ls_coro_describe (LsValue coro)
{
  if (ls_is_coroutine (coro) && ls_value_as_object (coro)->cls->coro->describe)
    return ls_value_as_object (coro)->cls->coro->describe (ls_value_as_object (coro));
  return ls_value_repr (coro);
}

int
ls_coro_line (LsValue coro)
{
  if (ls_is_coroutine (coro) && ls_value_as_object (coro)->cls->coro->line)
    return ls_value_as_object (coro)->cls->coro->line (ls_value_as_object (coro));
  return 0;
}

/* ---- C coroutines ------------------------------------------------------- */

static void
ccoro_drop_await (LsCCoro *co)
{
  ls_value_set (&co->awaiting, ls_none ());
  co->awaiting_coro = FALSE;
}

/* Starts awaiting `awaitable` (taken).  Returns TRUE when the caller must
 * yield *out to the task; FALSE when the await completed at once, with its
 * outcome in *in / *thrown (owned). */
static gboolean
ccoro_begin_await (LsCCoro *co, LsValue awaitable, LsValue *in, gboolean *thrown, LsValue *out)
{
  /* A coroutine first: `await sleep(0)` and the like are the common case,
   * and no object is both a coroutine and a future. */
  if (is_coroutine (awaitable))
    {
      co->awaiting = awaitable;
      co->awaiting_coro = TRUE;
      *in = ls_none ();
      *thrown = FALSE;
      return FALSE;
    }
  if (ls_is_future (awaitable))
    {
      LsFuture *fut = ls_future_from (awaitable);
      if (!ls_future_done (fut))
        {
          fut->blocking = TRUE;
          co->awaiting = awaitable;
          co->awaiting_coro = FALSE;
          *out = ls_value_ref (awaitable);
          return TRUE;
        }
      *thrown = !ls_future_result (fut, in);
      ls_value_unref (awaitable);
      return FALSE;
    }
  *in = ls_exc_newf (&ls_exc_TypeError, "object %s can't be used in 'await' expression",
                     ls_value_class (awaitable)->name);
  *thrown = TRUE;
  ls_value_unref (awaitable);
  return FALSE;
}

static LsCoroStatus
ccoro_resume (LsObject *self, LsValue send, LsValue exc, LsValue *out)
{
  LsCCoro *co = (LsCCoro *) self;
  gboolean thrown = !ls_is_none (exc);
  LsValue in = ls_value_ref (thrown ? exc : send);
  LsCoroStatus status;

  if (co->finished)
    {
      ls_value_unref (in);
      *out = ls_exc_newf (&ls_exc_RuntimeError, "cannot reuse already awaited coroutine");
      return LS_CORO_RAISE;
    }
  if (co->running)
    {
      ls_value_unref (in);
      *out = ls_exc_newf (&ls_exc_ValueError, "coroutine already executing");
      return LS_CORO_RAISE;
    }
  if (!co->started && !thrown && !ls_is_none (send))
    {
      ls_value_unref (in);
      *out = ls_exc_newf (&ls_exc_TypeError,
                          "can't send non-None value to a just-started coroutine");
      return LS_CORO_RAISE;
    }
  if (!co->started && thrown)
    {
      /* throw() into a coroutine that never ran raises at its first line:
       * none of its code runs (a task cancelled before its first step). */
      co->finished = TRUE;
      *out = in;
      return LS_CORO_RAISE;
    }
  co->started = TRUE;
  co->running = TRUE;

  for (;;)
    {
      LsValue next = ls_none ();
      LsCCoroAction action;

      /* First give the outcome to whatever we are awaiting. */
      if (co->awaiting_coro)
        {
          /* ls_coro_resume without its check: awaiting_coro says it is one. */
          LsObject *sub = ls_value_as_object (co->awaiting);
          LsCoroStatus st = thrown
            ? sub->cls->coro->resume (sub, ls_none (), in, &next)
            : sub->cls->coro->resume (sub, in, ls_none (), &next);
          ls_value_unref (in);
          if (st == LS_CORO_YIELD)
            {
              *out = next;
              status = LS_CORO_YIELD;
              break;
            }
          ccoro_drop_await (co);
          in = next;
          thrown = (st == LS_CORO_RAISE);
        }
      else if (ls_is_object (co->awaiting))
        {
          /* Resumed after yielding a future (Future.__await__). */
          LsFuture *fut = ls_future_from (co->awaiting);
          if (!thrown)
            {
              ls_value_unref (in);
              if (!ls_future_done (fut))
                {
                  in = ls_exc_newf (&ls_exc_RuntimeError, "await wasn't used with future");
                  thrown = TRUE;
                }
              else
                thrown = !ls_future_result (fut, &in);
            }
          ccoro_drop_await (co);
        }

      action = co->fn (co, in, thrown, &next);
      ls_value_unref (in);
      in = ls_none ();
      thrown = FALSE;

      if (action == LS_CCORO_RETURN || action == LS_CCORO_RAISE)
        {
          co->finished = TRUE;
          *out = next;
          status = action == LS_CCORO_RETURN ? LS_CORO_RETURN : LS_CORO_RAISE;
          break;
        }
      if (action == LS_CCORO_YIELD)
        {
          *out = next;
          status = LS_CORO_YIELD;
          break;
        }
      if (ccoro_begin_await (co, next, &in, &thrown, out))
        {
          status = LS_CORO_YIELD;
          break;
        }
    }
  co->running = FALSE;
  return status;
}

/* coro.close(): GeneratorExit is thrown in so that the step function's
 * cleanup (a `finally:` in the Python original) runs. */
static void
ccoro_close (LsObject *self)
{
  LsCCoro *co = (LsCCoro *) self;

  if (co->started && !co->finished && !co->running)
    {
      LsValue exit = ls_exc_new (&ls_exc_GeneratorExit, 0, NULL), out;
      ccoro_resume (self, ls_none (), exit, &out);
      ls_value_unref (exit);
      ls_value_unref (out);
    }
  if (co->awaiting_coro)
    ls_coro_close (co->awaiting);
  ccoro_drop_await (co);
  co->finished = TRUE;
}

static char *
ccoro_describe (LsObject *self)
{
  return g_strdup_printf ("%s()", ((LsCCoro *) self)->name);
}

static void
ccoro_finalize (LsObject *self)
{
  LsCCoro *co = (LsCCoro *) self;
  ls_value_unref (co->awaiting);
  if (co->data_free)
    co->data_free (co->data);
}

static char *
ccoro_repr (LsObject *self)
{
  return g_strdup_printf ("<coroutine object %s at %p>", ((LsCCoro *) self)->name, (void *) self);
}

static const LsCoroSlots ccoro_slots = {
  .resume = ccoro_resume,
  .close = ccoro_close,
  .describe = ccoro_describe,
};

const LsClass ls_ccoro_class = {
  .name = "coroutine",
  .finalize = ccoro_finalize,
  .repr = ccoro_repr,
  .coro = &ccoro_slots,
  .size = sizeof (LsCCoro),
};

LsValue
ls_ccoro_new (const char *name, LsCCoroFn fn, gpointer data, GDestroyNotify data_free)
{
  LsCCoro *co = ls_object_alloc (&ls_ccoro_class, sizeof (LsCCoro));
  co->fn = fn;
  co->name = name;
  co->data = data;
  co->data_free = data_free;
  return ls_object (co);
}

/* The locals follow the coroutine in the same block: one allocation per
 * coroutine instead of two, on the path of every `await sleep()`.  Such a
 * coroutine is told apart by where its data points; data_free then only
 * clears what the locals hold. */
LsValue
ls_ccoro_new_inline (const char *name, LsCCoroFn fn, gsize data_size,
                     GDestroyNotify data_clear, gpointer *data_out)
{
  LsCCoro *co = ls_object_alloc (&ls_ccoro_class, sizeof (LsCCoro) + data_size);
  co->fn = fn;
  co->name = name;
  co->data = co + 1;
  co->data_free = data_clear;
  *data_out = co->data;
  return ls_object (co);
}
