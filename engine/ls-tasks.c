/* ls-tasks.c - sleep() and gather() (tasks.py).
 *
 * sleep is the commonest await in every scenario, gather the commonest
 * fan-out; both are written to take exactly the steps CPython's do: sleep(0)
 * is one bare yield, sleep(d) one future resolved by a timer, and gather's
 * outer future is finished by the last child's done callback.
 */
#include "ls-asyncio.h"
#include "ls-sched-private.h"

/* ---- sleep ------------------------------------------------------------- */

/* The delay is needed until the timer exists, the timer after: they share
 * a slot, as every sleeping task holds one of these. */
typedef struct {
  union {
    double delay;        /* pc 0 */
    LsHandle *timer;     /* pc 2: owned */
  } u;
  LsValue result;
} SleepState;

static void
sleep_state_clear (gpointer p)
{
  SleepState *s = p;
  ls_value_unref (s->result);
  if (ls_ccoro_of_inline_data (p)->pc == 2)
    ls_object_unref (s->u.timer);
}

/* async def sleep(delay, result=None) */
static LsCCoroAction
sleep_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  SleepState *s = co->data;
  LsLoop *loop;
  LsValue fut, args[2];

  switch (co->pc)
    {
    case 0:
      if (s->u.delay <= 0)
        {
          /* await __sleep0(): one bare yield */
          co->pc = 1;
          *out = ls_none ();
          return LS_CCORO_YIELD;
        }
      loop = ls_loop_get_running ();
      if (!loop)
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no running event loop"));
      fut = ls_future_new_labeled (loop, "sleep");
      args[0] = ls_value_ref (fut);
      args[1] = ls_value_ref (s->result);
      s->u.timer = ls_loop_call_later (loop, s->u.delay,
                                     ls_callback_method (&ls_future_set_result_unless_cancelled_method,
                                                         ls_none ()),
                                     2, args);
      return ls_ccoro_await (co, 2, out, fut);

    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_value_ref (s->result));

    case 2:
      /* finally: h.cancel() */
      ls_handle_cancel (s->u.timer);
      return ls_ccoro_pass (in, thrown, out);

    default:
      g_assert_not_reached ();
    }
}

LsValue
ls_sleep (double delay, LsValue result)
{
  SleepState *s;
  LsValue co = ls_ccoro_new_inline ("sleep", sleep_step, sizeof (SleepState),
                                    sleep_state_clear, (gpointer *) &s);
  s->u.delay = delay;
  s->result = result;
  return co;
}

/* ---- gather ---------------------------------------------------------------- */

/* _GatheringFuture: the outer future, which also holds the closure state of
 * gather's _done_callback (children, nfinished, return_exceptions). */
typedef struct {
  LsFuture fut;
  GPtrArray *children;        /* LsFuture *, owned, one per argument */
  guint nfuts;                /* distinct children */
  guint nfinished;
  gboolean return_exceptions;
  gboolean cancel_requested;
} LsGatheringFuture;

static void
gathering_finalize (LsObject *self)
{
  LsGatheringFuture *g = (LsGatheringFuture *) self;
  if (g->children)
    g_ptr_array_free (g->children, TRUE);
  ls_future_finalize (self);
}

/* _GatheringFuture.cancel */
static gboolean
gathering_cancel (LsFuture *fut, LsValue msg)
{
  LsGatheringFuture *g = (LsGatheringFuture *) fut;
  gboolean ret = FALSE;

  if (ls_future_done (fut))
    return FALSE;
  for (guint i = 0; i < g->children->len; i++)
    if (ls_future_cancel (g_ptr_array_index (g->children, i), msg))
      ret = TRUE;
  if (ret)
    {
      /* If any child tasks were actually cancelled, we should propagate
       * the cancellation request regardless of return_exceptions. */
      g->cancel_requested = TRUE;
    }
  return ret;
}

static const LsFutureClass gathering_future_class = {
  {
    .name = "_GatheringFuture",
    .base = &ls_future_class.base,
    .finalize = gathering_finalize,
    .repr = _ls_future_repr,
    .size = sizeof (LsGatheringFuture),
  },
  .cancel = gathering_cancel,
};

static void
set_exception_quietly (LsFuture *outer, LsValue exc)
{
  LsValue err;
  if (!ls_future_set_exception (outer, exc, &err))
    ls_value_unref (err);
}

/* gather.<locals>._done_callback(fut) */
static gboolean
gather_done_callback (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  LsGatheringFuture *g = (LsGatheringFuture *) ls_value_as_object (self);
  LsFuture *outer = &g->fut;
  LsFuture *fut = ls_future_from (args[0]);
  LsValue exc, results;

  *result = ls_none ();
  g->nfinished++;

  if (g->children == NULL || ls_future_done (outer))
    {
      if (!ls_future_cancelled (fut))
        {
          /* Mark exception retrieved. */
          ls_future_exception (fut, &exc);
          ls_value_unref (exc);
        }
      return TRUE;
    }

  if (!g->return_exceptions)
    {
      if (ls_future_cancelled (fut))
        {
          /* Check if 'fut' is cancelled first, as 'fut.exception()' will
           * *raise* a CancelledError instead of returning it. */
          set_exception_quietly (outer, ls_future_make_cancelled_error (fut));
          return TRUE;
        }
      ls_future_exception (fut, &exc);
      if (!ls_is_none (exc))
        {
          set_exception_quietly (outer, exc);
          return TRUE;
        }
    }

  if (g->nfinished == g->nfuts)
    {
      /* All futures are done; create a list of results and set it to the
       * 'outer' future. */
      results = ls_list_new ();
      for (guint i = 0; i < g->children->len; i++)
        {
          LsFuture *child = g_ptr_array_index (g->children, i);
          LsValue res;
          if (ls_future_cancelled (child))
            {
              /* Check if 'fut' is cancelled first, as 'fut.exception()'
               * will *raise* a CancelledError instead of returning it. */
              LsValue msg = ls_future_peek_cancel_message (child);
              msg = ls_is_none (msg) ? ls_str_new ("") : ls_value_ref (msg);
              res = ls_exc_new (&ls_exc_CancelledError, 1, &msg);
            }
          else
            {
              ls_future_exception (child, &res);
              if (ls_is_none (res))
                ls_future_result (child, &res);
            }
          ls_list_append (results, res);
        }
      if (g->cancel_requested)
        {
          /* If gather is being cancelled we must propagate the cancellation
           * regardless of *return_exceptions* argument. */
          ls_value_unref (results);
          set_exception_quietly (outer, ls_future_make_cancelled_error (fut));
        }
      else
        {
          LsValue err;
          if (!ls_future_set_result (outer, results, &err))
            ls_value_unref (err);
        }
    }
  return TRUE;
}

static const LsMethod gather_done_method = { "gather.<locals>._done_callback", gather_done_callback };

gboolean
ls_gather (LsLoop *loop, guint n, const LsValue *aws, gboolean return_exceptions, LsValue *out)
{
  LsGatheringFuture *g;
  GPtrArray *children, *done_futs, *distinct;
  GHashTable *arg_to_fut;
  LsLoop *fut_loop = NULL;
  guint nfuts = 0;

  if (n == 0)
    {
      LsValue outer, err;
      loop = loop ? loop : ls_loop_get_running ();
      if (!loop)
        {
          *out = ls_exc_newf (&ls_exc_RuntimeError, "no running event loop");
          return FALSE;
        }
      outer = ls_future_new_labeled (loop, "gather");
      if (!ls_future_set_result (ls_future_from (outer), ls_list_new (), &err))
        ls_value_unref (err);
      *out = outer;
      return TRUE;
    }

  children = g_ptr_array_new_with_free_func (ls_object_unref);
  done_futs = g_ptr_array_new ();
  distinct = g_ptr_array_new ();
  arg_to_fut = g_hash_table_new (NULL, NULL);   /* the same awaitable twice */

  for (guint i = 0; i < n; i++)
    {
      LsFuture *fut = g_hash_table_lookup (arg_to_fut, ls_value_object (aws[i]));
      if (!fut)
        {
          LsValue fv;
          if (!ls_is_object (aws[i]) || !ls_ensure_future (fut_loop ? fut_loop : loop,
                                                          ls_value_ref (aws[i]), &fv))
            {
              *out = ls_is_object (aws[i]) ? fv
                : ls_exc_newf (&ls_exc_TypeError, "An asyncio.Future, a coroutine or an "
                               "awaitable is required");
              g_ptr_array_free (children, TRUE);
              g_ptr_array_free (done_futs, TRUE);
              g_ptr_array_free (distinct, TRUE);
              g_hash_table_destroy (arg_to_fut);
              return FALSE;
            }
          fut = ls_future_from (fv);
          if (!fut_loop)
            fut_loop = fut->loop;
          nfuts++;
          g_hash_table_insert (arg_to_fut, ls_value_object (aws[i]), fut);
          if (ls_future_done (fut))
            g_ptr_array_add (done_futs, fut);
          g_ptr_array_add (distinct, fut);
          g_ptr_array_add (children, fut);     /* takes fv */
        }
      else
        g_ptr_array_add (children, ls_object_ref (fut));
    }

  g = ls_object_alloc (&gathering_future_class.base, sizeof (LsGatheringFuture));
  ls_future_init (&g->fut, fut_loop, "gather");
  g->nfuts = nfuts;
  g->return_exceptions = return_exceptions;

  /* Register the callbacks before `outer` exists (bpo-46672: outer is None
   * in them until then); children added while outer is None are the ones
   * already done, handled below. */
  for (guint i = 0; i < distinct->len; i++)
    {
      LsFuture *fut = g_ptr_array_index (distinct, i);
      if (!ls_future_done (fut))
        ls_future_add_done_callback (fut, ls_callback_method (&gather_done_method,
                                                              ls_value_ref (ls_object (g))));
    }
  g->children = children;

  if (_ls_loop_observed (fut_loop))
    {
      _ls_loop_emit (fut_loop, LS_EVENT_FUTURE_CREATED, _ls_loop_current_task_id (fut_loop),
                     g->fut.id, 0, LS_REASON_NONE, 0, 0, "gather");
      for (guint i = 0; i < children->len; i++)
        _ls_loop_emit (fut_loop, LS_EVENT_AWAIT_LINK, _ls_loop_current_task_id (fut_loop),
                       g->fut.id, ((LsFuture *) g_ptr_array_index (children, i))->id,
                       LS_REASON_NONE, i, 0, "gather");
    }

  for (guint i = 0; i < done_futs->len; i++)
    {
      LsValue arg = ls_object (g_ptr_array_index (done_futs, i)), r;
      gather_done_callback (ls_object (g), &arg, 1, &r);
      ls_value_unref (r);
    }
  g_ptr_array_free (done_futs, TRUE);
  g_ptr_array_free (distinct, TRUE);
  g_hash_table_destroy (arg_to_fut);
  *out = ls_object (g);
  return TRUE;
}
