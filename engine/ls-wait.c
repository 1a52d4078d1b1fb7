/* ls-wait.c - wait(), wait_for(), as_completed() and shield() (tasks.py).
 *
 * Each is written to take exactly the steps its 3.12 original takes:
 *  - wait() sleeps on one private waiter future, released by a done
 *    callback on every future (or by a timer); it never raises on timeout.
 *  - wait_for() is `async with timeout(t): return await fut`, so a
 *    coroutine runs inside the caller's own task, and timeout <= 0 wraps
 *    the work in a task and cancels it before it starts.
 *  - as_completed() feeds a queue from done callbacks; each of the
 *    coroutines it returns takes the next finished future from the queue.
 *  - shield() links an outer future to the inner one by two callbacks, so
 *    that cancelling the outer one leaves the inner one running.
 * Python's closures become small objects holding their variables, bound
 * as `self` to the callbacks.  Where Python iterates a set of futures we
 * use creation order (ascending future id), as ls-asyncio.h says.
 */
#include "ls-asyncio.h"
#include "ls-sched-private.h"

static LsValue
no_running_loop (void)
{
  return ls_exc_newf (&ls_exc_RuntimeError, "no running event loop");
}

static gint
future_id_cmp (gconstpointer a, gconstpointer b)
{
  const LsFuture *fa = *(LsFuture *const *) a, *fb = *(LsFuture *const *) b;
  return fa->id < fb->id ? -1 : fa->id > fb->id;
}

/* Sorts futures into creation order and drops repeats (set(fs)); the
 * dropped references are released. */
static void
sort_unique_futures (GPtrArray *futs)
{
  guint j = 0;

  g_ptr_array_sort (futs, future_id_cmp);
  for (guint i = 0; i < futs->len; i++)
    {
      LsFuture *f = g_ptr_array_index (futs, i);
      if (j > 0 && g_ptr_array_index (futs, j - 1) == f)
        ls_object_unref (f);
      else
        futs->pdata[j++] = f;
    }
  /* The slots past j were moved down or released above. */
  for (guint k = j; k < futs->len; k++)
    futs->pdata[k] = NULL;
  g_ptr_array_set_size (futs, j);
}

/* raise TimeoutError from exc, inside `except ... as exc:` (exc is both
 * the cause and the context).  Takes exc. */
static LsValue
timeout_error_from (LsValue exc)
{
  LsValue err = ls_exc_new (&ls_exc_TimeoutError, 0, NULL);
  LsException *e = ls_value_object (err);
  ls_value_set (&e->cause, ls_value_ref (exc));
  ls_value_set (&e->context, exc);
  e->suppress_context = TRUE;
  return err;
}

/* ---- _release_waiter -------------------------------------------------------- */

static gboolean
release_waiter (LsFuture *waiter, LsValue *result)
{
  *result = ls_none ();
  if (!ls_future_done (waiter))
    return ls_future_set_result (waiter, ls_none (), result);
  return TRUE;
}

/* tasks._release_waiter(waiter, *args), as loop.call_later schedules it */
static gboolean
release_waiter_cb (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  return release_waiter (ls_future_from (args[0]), result);
}

/* functools.partial(_release_waiter, waiter), as a done callback: the
 * waiter is bound as self, which is also what remove_done_callback matches. */
static gboolean
release_waiter_partial_cb (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  return release_waiter (ls_future_from (self), result);
}

static const LsMethod release_waiter_method = { "_release_waiter", release_waiter_cb };
static const LsMethod release_waiter_partial_method = {
  "functools.partial(_release_waiter)", release_waiter_partial_cb
};

/* ---- wait ------------------------------------------------------------------ */

/* The closure of _wait's _on_completion. */
typedef struct {
  LsObject base;
  LsValue waiter;
  LsHandle *timeout_handle;    /* owned, or NULL */
  gint64 counter;
  LsReturnWhen return_when;
} WaitClosure;

static void
wait_closure_finalize (LsObject *self)
{
  WaitClosure *c = (WaitClosure *) self;
  ls_value_unref (c->waiter);
  if (c->timeout_handle)
    ls_object_unref (c->timeout_handle);
}

static const LsClass wait_closure_class = {
  .name = "_wait.<locals>",
  .finalize = wait_closure_finalize,
  .size = sizeof (WaitClosure),
};

/* _wait.<locals>._on_completion(f) */
static gboolean
wait_on_completion (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  WaitClosure *c = (WaitClosure *) ls_value_as_object (self);
  LsFuture *f = ls_future_from (args[0]);
  gboolean release;

  *result = ls_none ();
  c->counter--;
  release = c->counter <= 0 || c->return_when == LS_FIRST_COMPLETED;
  if (!release && c->return_when == LS_FIRST_EXCEPTION && !ls_future_cancelled (f))
    {
      LsValue exc;
      if (!ls_future_exception (f, &exc))
        {
          *result = exc;
          return FALSE;
        }
      release = !ls_is_none (exc);
      ls_value_unref (exc);
    }
  if (release)
    {
      if (c->timeout_handle)
        ls_handle_cancel (c->timeout_handle);
      if (!ls_future_done (ls_future_from (c->waiter)))
        return ls_future_set_result (ls_future_from (c->waiter), ls_none (), result);
    }
  return TRUE;
}

static const LsMethod wait_on_completion_method = {
  "_wait.<locals>._on_completion", wait_on_completion
};

typedef struct {
  GArray *args;          /* LsValue, owned: fs as given */
  GPtrArray *fs;         /* LsFuture *, owned: set(fs) in creation order */
  double timeout;
  LsReturnWhen return_when;
  LsValue closure;       /* WaitClosure */
} WaitState;

static void
wait_state_free (gpointer p)
{
  WaitState *s = p;
  for (guint i = 0; i < s->args->len; i++)
    ls_value_unref (g_array_index (s->args, LsValue, i));
  g_array_free (s->args, TRUE);
  if (s->fs)
    g_ptr_array_free (s->fs, TRUE);
  ls_value_unref (s->closure);
  g_free (s);
}

/* async def wait(fs, *, timeout=None, return_when=ALL_COMPLETED), with
 * _wait(fs, timeout, return_when, loop) inlined: it takes no step of its
 * own. */
static LsCCoroAction
wait_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  WaitState *s = co->data;
  WaitClosure *c;
  LsLoop *loop;
  LsValue done, pending, items[2];

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      if (s->args->len == 0)
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_ValueError,
                                                 "Set of Tasks/Futures is empty."));
      if ((guint) s->return_when > LS_ALL_COMPLETED)
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_ValueError,
                                                 "Invalid return_when value: %d",
                                                 (int) s->return_when));
      for (guint i = 0; i < s->args->len; i++)
        if (ls_is_coroutine (g_array_index (s->args, LsValue, i)))
          return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_TypeError, "Passing coroutines is "
                                                   "forbidden, use tasks explicitly."));
      loop = ls_loop_get_running ();
      if (!loop)
        return ls_ccoro_raise (out, no_running_loop ());
      /* Python fails later, at f.add_done_callback (AttributeError); we
       * refuse before creating anything. */
      for (guint i = 0; i < s->args->len; i++)
        {
          LsValue f = g_array_index (s->args, LsValue, i);
          if (!ls_is_future (f))
            return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_TypeError,
                                                     "'%s' object has no attribute "
                                                     "'add_done_callback'",
                                                     ls_value_class (f)->name));
        }

      /* fs = set(fs) */
      s->fs = g_ptr_array_new_with_free_func (ls_object_unref);
      for (guint i = 0; i < s->args->len; i++)
        g_ptr_array_add (s->fs, ls_object_ref (ls_value_object (g_array_index (s->args, LsValue, i))));
      sort_unique_futures (s->fs);

      /* _wait */
      c = ls_object_alloc (&wait_closure_class, sizeof (WaitClosure));
      s->closure = ls_object (c);
      c->waiter = ls_future_new_labeled (loop, "wait");
      c->return_when = s->return_when;
      c->counter = s->fs->len;
      if (!ls_timeout_is_none (s->timeout))
        {
          LsValue arg = ls_value_ref (c->waiter);
          c->timeout_handle = ls_loop_call_later (loop, s->timeout,
                                                  ls_callback_method (&release_waiter_method,
                                                                      ls_none ()),
                                                  1, &arg);
        }
      for (guint i = 0; i < s->fs->len; i++)
        {
          LsFuture *f = g_ptr_array_index (s->fs, i);
          if (_ls_loop_observed (loop))
            _ls_loop_emit (loop, LS_EVENT_AWAIT_LINK, _ls_loop_current_task_id (loop),
                           ls_future_from (c->waiter)->id, f->id, LS_REASON_NONE, i, 0, "wait");
          ls_future_add_done_callback (f, ls_callback_method (&wait_on_completion_method,
                                                              ls_value_ref (s->closure)));
        }
      return ls_ccoro_await (co, 1, out, ls_value_ref (c->waiter));

    case 1:
      /* finally: */
      c = (WaitClosure *) ls_value_as_object (s->closure);
      if (c->timeout_handle)
        ls_handle_cancel (c->timeout_handle);
      for (guint i = 0; i < s->fs->len; i++)
        {
          LsCallback cb = ls_callback_method (&wait_on_completion_method, s->closure);
          ls_future_remove_done_callback (g_ptr_array_index (s->fs, i), &cb);
        }
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);

      done = ls_list_new ();
      pending = ls_list_new ();
      for (guint i = 0; i < s->fs->len; i++)
        {
          LsFuture *f = g_ptr_array_index (s->fs, i);
          ls_list_append (ls_future_done (f) ? done : pending, ls_value_ref (ls_object (f)));
        }
      items[0] = done;
      items[1] = pending;
      return ls_ccoro_return (out, ls_tuple_new (2, items));

    default:
      g_assert_not_reached ();
    }
}

LsValue
ls_wait (guint n, const LsValue *fs, double timeout, LsReturnWhen return_when)
{
  WaitState *s = g_new0 (WaitState, 1);

  s->args = g_array_sized_new (FALSE, FALSE, sizeof (LsValue), n);
  for (guint i = 0; i < n; i++)
    {
      LsValue v = ls_value_ref (fs[i]);
      g_array_append_val (s->args, v);
    }
  s->timeout = timeout;
  s->return_when = return_when;
  return ls_ccoro_new ("wait", wait_step, s, wait_state_free);
}

/* ---- wait_for ------------------------------------------------------------------ */

typedef struct {
  LsValue fut;           /* the awaitable; after ensure_future, the future */
  double timeout;
  LsValue cm;            /* the Timeout of `async with timeouts.timeout(timeout)` */
  LsValue waiter;        /* _cancel_and_wait's waiter */
  LsValue body;          /* what `await fut` gave: result or exception */
  gboolean body_raised;
} WaitForState;

static void
wait_for_state_free (gpointer p)
{
  WaitForState *s = p;
  ls_value_unref (s->fut);
  ls_value_unref (s->cm);
  ls_value_unref (s->waiter);
  ls_value_unref (s->body);
  g_free (s);
}

/* async def wait_for(fut, timeout), with _cancel_and_wait(fut) inlined. */
static LsCCoroAction
wait_for_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  WaitForState *s = co->data;
  LsLoop *loop;
  LsFuture *fut;
  LsValue v;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      if (!ls_timeout_is_none (s->timeout) && s->timeout <= 0)
        {
          loop = ls_loop_get_running ();
          if (!loop)
            return ls_ccoro_raise (out, no_running_loop ());
          if (!ls_ensure_future (loop, ls_value_steal (&s->fut), &v))
            return ls_ccoro_raise (out, v);
          s->fut = v;
          fut = ls_future_from (s->fut);
          if (ls_future_done (fut))
            return ls_future_result (fut, &v) ? ls_ccoro_return (out, v) : ls_ccoro_raise (out, v);

          /* await _cancel_and_wait(fut) */
          s->waiter = ls_future_new_labeled (loop, "wait_for");
          ls_future_add_done_callback (fut, ls_callback_method (&release_waiter_partial_method,
                                                                ls_value_ref (s->waiter)));
          ls_future_cancel (fut, ls_none ());
          /* We cannot wait on *fut* directly to make sure _cancel_and_wait
           * itself is reliably cancellable. */
          return ls_ccoro_await (co, 1, out, ls_value_ref (s->waiter));
        }
      /* async with timeouts.timeout(timeout): */
      s->cm = ls_timeout_new (NULL, s->timeout);
      if (ls_exc_type (s->cm))
        return ls_ccoro_raise (out, ls_value_steal (&s->cm));
      return ls_ccoro_await (co, 2, out, ls_timeout_aenter (s->cm));

    case 1:
      {
        /* _cancel_and_wait's finally: fut.remove_done_callback(cb) */
        LsCallback cb = ls_callback_method (&release_waiter_partial_method, s->waiter);
        fut = ls_future_from (s->fut);
        ls_future_remove_done_callback (fut, &cb);
        if (thrown)
          return ls_ccoro_pass (in, thrown, out);
        if (ls_future_result (fut, &v))
          return ls_ccoro_return (out, v);
        if (ls_exc_matches (v, &ls_exc_CancelledError))
          return ls_ccoro_raise (out, timeout_error_from (v));
        return ls_ccoro_raise (out, v);
      }

    case 2:
      /* __aenter__ failed: the block is not entered, no __aexit__ */
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      /* return await fut */
      return ls_ccoro_await (co, 3, out, ls_value_ref (s->fut));

    case 3:
      s->body = ls_value_ref (in);
      s->body_raised = thrown;
      return ls_ccoro_await (co, 4, out, ls_timeout_aexit (s->cm, thrown ? in : ls_none ()));

    case 4:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      /* __aexit__ returned None: the exception, if any, goes on */
      v = ls_value_steal (&s->body);
      return s->body_raised ? ls_ccoro_raise (out, v) : ls_ccoro_return (out, v);

    default:
      g_assert_not_reached ();
    }
}

LsValue
ls_wait_for (LsValue aw, double timeout)
{
  WaitForState *s = g_new0 (WaitForState, 1);
  s->fut = ls_value_ref (aw);
  s->timeout = timeout;
  return ls_ccoro_new ("wait_for", wait_for_step, s, wait_for_state_free);
}

/* ---- as_completed ------------------------------------------------------------------ */

/* The closure of as_completed: its todo set, its `done` Queue (only what
 * an unbounded Queue does for put_nowait and get, inlined) and the
 * timeout handle. */
typedef struct {
  LsObject base;
  GPtrArray *todo;           /* LsFuture *, owned, creation order */
  GQueue done;               /* LsFuture *, owned; NULL is the dummy None */
  GQueue getters;            /* LsFuture *, owned: Queue._getters */
  LsHandle *timeout_handle;  /* owned, or NULL */
} AsCompleted;

static void
as_completed_finalize (LsObject *self)
{
  AsCompleted *c = (AsCompleted *) self;
  g_ptr_array_free (c->todo, TRUE);
  g_queue_clear_full (&c->done, ls_object_unref);
  g_queue_clear_full (&c->getters, ls_object_unref);
  if (c->timeout_handle)
    ls_object_unref (c->timeout_handle);
}

static const LsClass as_completed_class = {
  .name = "as_completed.<locals>",
  .finalize = as_completed_finalize,
  .size = sizeof (AsCompleted),
};

/* Queue._wakeup_next(self._getters) */
static void
queue_wakeup_next (GQueue *waiters)
{
  while (!g_queue_is_empty (waiters))
    {
      LsFuture *waiter = g_queue_pop_head (waiters);
      gboolean was_pending = !ls_future_done (waiter);
      if (was_pending)
        {
          LsValue err;
          if (!ls_future_set_result (waiter, ls_none (), &err))
            ls_value_unref (err);
        }
      ls_object_unref (waiter);
      if (was_pending)
        break;
    }
}

/* Queue.put_nowait(item) for an unbounded queue; takes item (NULL: None). */
static void
queue_put_nowait (AsCompleted *c, LsFuture *item)
{
  g_queue_push_tail (&c->done, item);
  queue_wakeup_next (&c->getters);
}

static gboolean as_completed_on_completion (LsValue self, const LsValue *args, guint nargs,
                                            LsValue *result);
static const LsMethod as_completed_on_completion_method = {
  "as_completed.<locals>._on_completion", as_completed_on_completion
};

/* as_completed.<locals>._on_timeout() */
static gboolean
as_completed_on_timeout (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  AsCompleted *c = (AsCompleted *) ls_value_as_object (self);
  LsCallback cb = ls_callback_method (&as_completed_on_completion_method, self);

  for (guint i = 0; i < c->todo->len; i++)
    {
      ls_future_remove_done_callback (g_ptr_array_index (c->todo, i), &cb);
      queue_put_nowait (c, NULL);   /* Queue a dummy value for _wait_for_one(). */
    }
  g_ptr_array_set_size (c->todo, 0);
  /* Python keeps timeout_handle, but with todo empty nothing reads it
   * again; dropping it breaks the cycle handle -> closure -> handle. */
  g_clear_pointer (&c->timeout_handle, ls_object_unref);
  *result = ls_none ();
  return TRUE;
}

static const LsMethod as_completed_on_timeout_method = {
  "as_completed.<locals>._on_timeout", as_completed_on_timeout
};

/* as_completed.<locals>._on_completion(f) */
static gboolean
as_completed_on_completion (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  AsCompleted *c = (AsCompleted *) ls_value_as_object (self);
  LsFuture *f = ls_future_from (args[0]);

  *result = ls_none ();
  if (c->todo->len == 0)
    return TRUE;   /* _on_timeout() was here first. */
  if (!g_ptr_array_remove (c->todo, f))
    {
      *result = ls_exc_new (&ls_exc_KeyError, 1, (LsValue[]) { ls_value_ref (args[0]) });
      return FALSE;
    }
  queue_put_nowait (c, ls_object_ref (f));
  if (c->todo->len == 0 && c->timeout_handle)
    ls_handle_cancel (c->timeout_handle);
  return TRUE;
}

typedef struct {
  LsValue closure;       /* AsCompleted */
  LsFuture *getter;      /* owned while awaited */
} WaitForOneState;

static void
wait_for_one_state_free (gpointer p)
{
  WaitForOneState *s = p;
  ls_value_unref (s->closure);
  if (s->getter)
    ls_object_unref (s->getter);
  g_free (s);
}

/* as_completed.<locals>._wait_for_one(), with Queue.get inlined:
 *     f = await done.get()
 *     if f is None: raise exceptions.TimeoutError
 *     return f.result() */
static LsCCoroAction
wait_for_one_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  WaitForOneState *s = co->data;
  AsCompleted *c = (AsCompleted *) ls_value_as_object (s->closure);
  LsFuture *f;
  LsLoop *loop;
  LsValue v;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      break;

    case 1:
      if (thrown)
        {
          /* Queue.get's except: clause */
          LsFuture *getter = s->getter;
          s->getter = NULL;
          ls_future_cancel (getter, ls_none ());   /* Just in case getter is not done yet. */
          if (g_queue_remove (&c->getters, getter))
            ls_object_unref (getter);
          if (!g_queue_is_empty (&c->done) && !ls_future_cancelled (getter))
            {
              /* We were woken up by put_nowait(), but can't take the
               * call.  Wake up the next in line. */
              queue_wakeup_next (&c->getters);
            }
          ls_object_unref (getter);
          return ls_ccoro_pass (in, thrown, out);
        }
      g_clear_pointer (&s->getter, ls_object_unref);
      break;

    default:
      g_assert_not_reached ();
    }

  /* while self.empty(): */
  if (g_queue_is_empty (&c->done))
    {
      loop = ls_loop_get_running ();
      if (!loop)
        return ls_ccoro_raise (out, no_running_loop ());
      v = ls_future_new_labeled (loop, "queue");
      s->getter = ls_object_ref (ls_value_object (v));
      g_queue_push_tail (&c->getters, ls_object_ref (s->getter));
      return ls_ccoro_await (co, 1, out, v);
    }
  /* return self.get_nowait() */
  f = g_queue_pop_head (&c->done);
  if (!f)
    return ls_ccoro_raise (out, ls_exc_new (&ls_exc_TimeoutError, 0, NULL));
  thrown = !ls_future_result (f, &v);
  ls_object_unref (f);
  return thrown ? ls_ccoro_raise (out, v) : ls_ccoro_return (out, v);
}

/* as_completed(fs, *, timeout=None): its generator runs to the end at once,
 * creating every _wait_for_one() coroutine it would yield. */
gboolean
ls_as_completed (LsLoop *loop, guint n, const LsValue *fs, double timeout, LsValue *out)
{
  AsCompleted *c;
  LsValue closure, list;
  GPtrArray *todo;
  GHashTable *seen;

  loop = loop ? loop : ls_loop_get_running ();
  if (!loop)
    {
      *out = no_running_loop ();
      return FALSE;
    }

  /* todo = {ensure_future(f, loop=loop) for f in set(fs)} */
  todo = g_ptr_array_new_with_free_func (ls_object_unref);
  seen = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n; i++)
    {
      LsValue fut;
      if (!ls_is_object (fs[i]))
        {
          *out = ls_exc_newf (&ls_exc_TypeError, "An asyncio.Future, a coroutine or an "
                              "awaitable is required");
          goto fail;
        }
      if (g_hash_table_contains (seen, ls_value_object (fs[i])))
        continue;
      g_hash_table_add (seen, ls_value_object (fs[i]));
      if (!ls_ensure_future (loop, ls_value_ref (fs[i]), &fut))
        {
          *out = fut;
          goto fail;
        }
      g_ptr_array_add (todo, ls_value_object (fut));
    }
  g_hash_table_destroy (seen);
  sort_unique_futures (todo);

  c = ls_object_alloc (&as_completed_class, sizeof (AsCompleted));
  closure = ls_object (c);
  c->todo = todo;
  g_queue_init (&c->done);
  g_queue_init (&c->getters);

  for (guint i = 0; i < todo->len; i++)
    ls_future_add_done_callback (g_ptr_array_index (todo, i),
                                 ls_callback_method (&as_completed_on_completion_method,
                                                     ls_value_ref (closure)));
  if (todo->len && !ls_timeout_is_none (timeout))
    c->timeout_handle = ls_loop_call_later (loop, timeout,
                                            ls_callback_method (&as_completed_on_timeout_method,
                                                                ls_value_ref (closure)),
                                            0, NULL);

  /* Traces only: the set as_completed watches is announced as an
   * awaitable of its own with its members, so that a reader can number
   * them in the order they finish. */
  {
    guint64 id = _ls_loop_next_id (loop);
    if (_ls_loop_observed (loop))
      {
        _ls_loop_emit (loop, LS_EVENT_FUTURE_CREATED, _ls_loop_current_task_id (loop), id, 0,
                       LS_REASON_NONE, 0, 0, "as_completed");
        for (guint i = 0; i < todo->len; i++)
          _ls_loop_emit (loop, LS_EVENT_AWAIT_LINK, _ls_loop_current_task_id (loop), id,
                         ((LsFuture *) g_ptr_array_index (todo, i))->id, LS_REASON_NONE, i, 0,
                         "as_completed");
      }
  }

  list = ls_list_new ();
  for (guint i = 0; i < todo->len; i++)
    {
      WaitForOneState *s = g_new0 (WaitForOneState, 1);
      s->closure = ls_value_ref (closure);
      ls_list_append (list, ls_ccoro_new ("as_completed.<locals>._wait_for_one",
                                          wait_for_one_step, s, wait_for_one_state_free));
    }
  ls_value_unref (closure);
  *out = list;
  return TRUE;

fail:
  g_hash_table_destroy (seen);
  g_ptr_array_free (todo, TRUE);
  return FALSE;
}

/* ---- shield ------------------------------------------------------------------------ */

/* shield.<locals>._inner_done_callback(inner); self is outer */
static gboolean
shield_inner_done (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  LsFuture *outer = ls_future_from (self);
  LsFuture *inner = ls_future_from (args[0]);
  LsValue exc;

  *result = ls_none ();
  if (ls_future_cancelled (outer))
    {
      if (!ls_future_cancelled (inner))
        {
          /* Mark inner's result as retrieved. */
          ls_future_exception (inner, &exc);
          ls_value_unref (exc);
        }
      return TRUE;
    }

  if (ls_future_cancelled (inner))
    {
      ls_future_cancel (outer, ls_none ());
      return TRUE;
    }
  if (!ls_future_exception (inner, &exc))
    {
      *result = exc;
      return FALSE;
    }
  if (!ls_is_none (exc))
    return ls_future_set_exception (outer, exc, result);
  ls_future_result (inner, &exc);
  return ls_future_set_result (outer, exc, result);
}

static const LsMethod shield_inner_done_method = {
  "shield.<locals>._inner_done_callback", shield_inner_done
};

/* shield.<locals>._outer_done_callback(outer); self is inner */
static gboolean
shield_outer_done (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  LsFuture *inner = ls_future_from (self);

  *result = ls_none ();
  if (!ls_future_done (inner))
    {
      LsCallback cb = ls_callback_method (&shield_inner_done_method, args[0]);
      ls_future_remove_done_callback (inner, &cb);
    }
  return TRUE;
}

static const LsMethod shield_outer_done_method = {
  "shield.<locals>._outer_done_callback", shield_outer_done
};

/* shield(arg) */
gboolean
ls_shield (LsLoop *loop, LsValue aw, LsValue *out)
{
  LsValue inner_v, outer_v;
  LsFuture *inner, *outer;

  loop = loop ? loop : ls_loop_get_running ();
  if (!loop && !ls_is_future (aw))
    {
      *out = no_running_loop ();
      return FALSE;
    }
  /* inner = ensure_future(arg) */
  if (!ls_ensure_future (loop, ls_value_ref (aw), &inner_v))
    {
      *out = inner_v;
      return FALSE;
    }
  inner = ls_future_from (inner_v);
  if (ls_future_done (inner))
    {
      /* Shortcut. */
      *out = inner_v;
      return TRUE;
    }
  loop = inner->loop;
  outer_v = ls_future_new_labeled (loop, "shield");
  outer = ls_future_from (outer_v);
  if (_ls_loop_observed (loop))
    _ls_loop_emit (loop, LS_EVENT_AWAIT_LINK, _ls_loop_current_task_id (loop),
                   outer->id, inner->id, LS_REASON_NONE, 0, 0, "shield");

  /* The two callbacks reference each other's future: the cycle lasts
   * until inner finishes or outer is cancelled, as in Python. */
  ls_future_add_done_callback (inner, ls_callback_method (&shield_inner_done_method,
                                                         ls_value_ref (outer_v)));
  ls_future_add_done_callback (outer, ls_callback_method (&shield_outer_done_method,
                                                         inner_v));
  *out = outer_v;
  return TRUE;
}
