/* ls-taskgroup.c - asyncio.TaskGroup (taskgroups.py of CPython 3.12).
 *
 * __aenter__ and __aexit__ are coroutines, as in Python, so that a task
 * leaving an `async with TaskGroup()` block waits on the group's
 * _on_completed_fut and is woken by the last child's done callback, taking
 * the steps CPython takes.  The first child to fail aborts the group
 * (cancels its siblings) and cancels the parent task, whose __aexit__ later
 * uncancels it; the errors are raised together as an ExceptionGroup.
 *
 * The group's set of tasks is kept in creation order: CPython iterates a
 * set when _abort cancels the children, whose order varies; Loopscope
 * cancels them in the order they were created.
 *
 * References: the group holds its children *borrowed*.  Each child holds
 * the group through its done callback, so owning the children would make a
 * cycle that outlives the loop when a child never finishes (a deadlocked
 * program).  A child in the set is alive anyway: a pending task is owned
 * by the loop's registry, and a finished one by the handle that runs the
 * group's _on_task_done, which removes it from the set.  The parent task
 * is owned only between __aenter__ and the end of __aexit__, after which
 * CPython never uses it, since the parent's coroutine usually owns the
 * group and the parent would otherwise own itself through it.
 */
#include "ls-asyncio.h"
#include "ls-sched-private.h"

typedef struct {
  LsObject base;
  gboolean entered;
  gboolean exiting;
  gboolean aborting;
  LsLoop *loop;                 /* strong, set by __aenter__ */
  LsTask *parent_task;          /* strong, from __aenter__ to the end of __aexit__ */
  gboolean parent_cancel_requested;
  GPtrArray *tasks;             /* LsTask *, borrowed (see above), creation order */
  GArray *errors;               /* LsValue, owned; NULL once raised (self._errors = None) */
  LsValue base_error;
  LsValue on_completed_fut;
  guint64 id;                   /* the group's id in traces (0 until __aenter__) */
  guint n_created;              /* children created so far: their position in the trace */
} LsTaskGroup;

static void
task_group_finalize (LsObject *self)
{
  LsTaskGroup *tg = (LsTaskGroup *) self;

  g_ptr_array_free (tg->tasks, TRUE);
  if (tg->errors)
    {
      for (guint i = 0; i < tg->errors->len; i++)
        ls_value_unref (g_array_index (tg->errors, LsValue, i));
      g_array_free (tg->errors, TRUE);
    }
  ls_value_unref (tg->base_error);
  ls_value_unref (tg->on_completed_fut);
  if (tg->parent_task)
    ls_object_unref (tg->parent_task);
  if (tg->loop)
    ls_loop_unref (tg->loop);
}

/* TaskGroup.__repr__ */
static char *
task_group_repr (LsObject *self)
{
  LsTaskGroup *tg = (LsTaskGroup *) self;
  GString *s = g_string_new ("<TaskGroup");

  if (tg->tasks->len)
    g_string_append_printf (s, " tasks=%u", tg->tasks->len);
  if (tg->errors && tg->errors->len)
    g_string_append_printf (s, " errors=%u", tg->errors->len);
  if (tg->aborting)
    g_string_append (s, " cancelling");
  else if (tg->entered)
    g_string_append (s, " entered");
  g_string_append_c (s, '>');
  return g_string_free (s, FALSE);
}

const LsClass ls_task_group_class = {
  .name = "TaskGroup",
  .finalize = task_group_finalize,
  .repr = task_group_repr,
  .size = sizeof (LsTaskGroup),
};

/* TaskGroup.__init__ */
LsValue
ls_task_group_new (void)
{
  LsTaskGroup *tg = ls_object_alloc (&ls_task_group_class, sizeof (LsTaskGroup));
  tg->tasks = g_ptr_array_new ();
  tg->errors = g_array_new (FALSE, FALSE, sizeof (LsValue));
  return ls_object (tg);
}

static LsTaskGroup *
as_task_group (LsValue v)
{
  return ls_value_is (v, &ls_task_group_class) ? ls_value_object (v) : NULL;
}

static LsValue
not_a_task_group (LsValue v)
{
  return ls_exc_newf (&ls_exc_TypeError, "expected TaskGroup, got '%s'", ls_value_class (v)->name);
}

/* A RuntimeError whose message embeds the group's repr. */
static LsValue
runtime_error (LsTaskGroup *tg, const char *fmt_before, const char *after)
{
  char *r = ls_value_repr (ls_object (tg));
  LsValue exc = ls_exc_newf (&ls_exc_RuntimeError, "%s%s%s", fmt_before, r, after);
  g_free (r);
  return exc;
}

/* TaskGroup._is_base_error: SystemExit and KeyboardInterrupt, which the
 * value model does not have (no program can raise them), so never. */
static gboolean
is_base_error (LsValue exc)
{
  (void) exc;
  return FALSE;
}

static void
append_error (LsTaskGroup *tg, LsValue exc)
{
  LsValue e = ls_value_ref (exc);
  g_array_append_val (tg->errors, e);
}

/* TaskGroup._abort */
static void
task_group_abort (LsTaskGroup *tg)
{
  GPtrArray *tasks;

  tg->aborting = TRUE;
  /* Cancelling never runs a done callback synchronously, but iterate a
   * copy all the same: the set is not ours to walk while it may change. */
  tasks = g_ptr_array_new_with_free_func (ls_object_unref);
  for (guint i = 0; i < tg->tasks->len; i++)
    g_ptr_array_add (tasks, ls_object_ref (g_ptr_array_index (tg->tasks, i)));
  for (guint i = 0; i < tasks->len; i++)
    {
      LsTask *t = g_ptr_array_index (tasks, i);
      if (!ls_future_done (&t->fut))
        ls_task_cancel (t, ls_none ());
    }
  g_ptr_array_free (tasks, TRUE);
}

/* TaskGroup._on_task_done(task) */
static gboolean
task_group_on_task_done (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  LsTaskGroup *tg = ls_value_object (self);
  LsTask *task = ls_value_object (args[0]);
  LsValue exc, err;

  *result = ls_none ();
  g_ptr_array_remove (tg->tasks, task);     /* self._tasks.discard(task) */

  if (!ls_is_none (tg->on_completed_fut) && tg->tasks->len == 0)
    {
      LsFuture *fut = ls_future_from (tg->on_completed_fut);
      if (!ls_future_done (fut) && !ls_future_set_result (fut, ls_bool (TRUE), &err))
        ls_value_unref (err);
    }

  if (ls_future_cancelled (&task->fut))
    return TRUE;

  if (!ls_future_exception (&task->fut, &exc))
    {
      /* Cannot happen for a done task; keep the error from leaking. */
      *result = exc;
      return FALSE;
    }
  if (ls_is_none (exc))
    return TRUE;

  if (tg->errors)                   /* None only once no task is left */
    append_error (tg, exc);
  if (is_base_error (exc) && ls_is_none (tg->base_error))
    tg->base_error = ls_value_ref (exc);

  if (!tg->parent_task || ls_future_done (&tg->parent_task->fut))
    {
      /* Not sure if this case is possible, but we want to handle it
       * anyways. */
      char *t = ls_value_repr (ls_object (task));
      char *p = tg->parent_task ? ls_value_repr (ls_object (tg->parent_task)) : g_strdup ("None");
      char *msg = g_strdup_printf ("Task %s has errored out but its parent task %s is already "
                                   "completed", t, p);
      _ls_loop_report_exception (task->fut.loop, msg, exc);
      g_free (msg);
      g_free (p);
      g_free (t);
      ls_value_unref (exc);
      return TRUE;
    }

  if (!tg->aborting && !tg->parent_cancel_requested)
    {
      /* If parent task *is not* being cancelled, it means that we want to
       * manually cancel it to abort whatever is being run right now in the
       * TaskGroup.  But we want to mark parent task as "not cancelled"
       * later in __aexit__. */
      task_group_abort (tg);
      tg->parent_cancel_requested = TRUE;
      ls_task_cancel (tg->parent_task, ls_none ());
    }
  ls_value_unref (exc);
  return TRUE;
}

static const LsMethod task_group_on_task_done_method = {
  "TaskGroup._on_task_done", task_group_on_task_done
};

/* TaskGroup.create_task(coro, name=name) */
gboolean
ls_task_group_create_task (LsValue tgv, LsValue coro, const char *name, LsValue *out)
{
  LsTaskGroup *tg = as_task_group (tgv);
  LsValue task;

  if (!tg)
    *out = not_a_task_group (tgv);
  else if (!tg->entered)
    *out = runtime_error (tg, "TaskGroup ", " has not been entered");
  else if (tg->exiting && tg->tasks->len == 0)
    *out = runtime_error (tg, "TaskGroup ", " is finished");
  else if (tg->aborting)
    *out = runtime_error (tg, "TaskGroup ", " is shutting down");
  else if (!ls_is_coroutine (coro))
    {
      /* loop.create_task(coro) */
      char *r = ls_value_repr (coro);
      *out = ls_exc_newf (&ls_exc_TypeError, "a coroutine was expected, got %s", r);
      g_free (r);
    }
  else
    {
      /* The task is created unnamed, then renamed: a named task still
       * takes a number from the Task-N counter, as in CPython. */
      task = ls_task_new (tg->loop, coro, NULL);
      if (name)
        ls_task_set_name (ls_value_object (task), name);
      /* Traces only: the child joins the group (see __aenter__). */
      if (_ls_loop_observed (tg->loop))
        _ls_loop_emit (tg->loop, LS_EVENT_AWAIT_LINK, _ls_loop_current_task_id (tg->loop), tg->id,
                       ls_future_from (task)->id, LS_REASON_NONE, tg->n_created, 0, "TaskGroup");
      tg->n_created++;
      if (ls_future_done (ls_future_from (task)))
        {
          LsValue r;
          if (!task_group_on_task_done (tgv, &task, 1, &r))
            _ls_loop_report_exception (tg->loop, "Exception in callback TaskGroup._on_task_done", r);
          ls_value_unref (r);
        }
      else
        {
          g_ptr_array_add (tg->tasks, ls_value_object (task));
          ls_future_add_done_callback (ls_future_from (task),
                                       ls_callback_method (&task_group_on_task_done_method,
                                                           ls_value_ref (tgv)));
        }
      *out = task;
      return TRUE;
    }
  /* A coroutine that will never run is closed, as the garbage collector
   * would do. */
  ls_coro_close (coro);
  ls_value_unref (coro);
  return FALSE;
}

/* ---- __aenter__ and __aexit__ ---------------------------------------------------- */

typedef struct {
  LsValue tg;
  LsValue exc;                          /* __aexit__: the exception leaving the body */
  LsValue propagate_cancellation_error;
} TgCoState;

static void
tg_co_state_free (gpointer p)
{
  TgCoState *s = p;
  ls_value_unref (s->tg);
  ls_value_unref (s->exc);
  ls_value_unref (s->propagate_cancellation_error);
  g_free (s);
}

static LsValue
tg_co_new (const char *name, LsCCoroFn fn, LsValue tg, LsValue exc)
{
  TgCoState *s = g_new0 (TgCoState, 1);
  s->tg = ls_value_ref (tg);
  s->exc = ls_value_ref (exc);
  return ls_ccoro_new (name, fn, s, tg_co_state_free);
}

/* TaskGroup.__aenter__ */
static LsCCoroAction
task_group_aenter_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  TgCoState *s = co->data;
  LsTaskGroup *tg = as_task_group (s->tg);
  LsLoop *loop;
  LsTask *parent;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (!tg)
    return ls_ccoro_raise (out, not_a_task_group (s->tg));
  if (tg->entered)
    return ls_ccoro_raise (out, runtime_error (tg, "TaskGroup ", " has already been entered"));
  if (!tg->loop)
    {
      loop = ls_loop_get_running ();
      if (!loop)
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "no running event loop"));
      tg->loop = ls_loop_ref (loop);
    }
  parent = ls_loop_current_task (tg->loop);
  if (!parent)
    return ls_ccoro_raise (out, runtime_error (tg, "TaskGroup ", " cannot determine the parent task"));
  if (tg->parent_task)
    ls_object_unref (tg->parent_task);
  tg->parent_task = ls_object_ref (parent);
  tg->entered = TRUE;
  /* Traces only: the group gets an id of the loop's id space and is
   * announced as an awaitable, so that a reader can draw its boundary
   * around the children linked to it in create_task(). */
  tg->id = _ls_loop_next_id (tg->loop);
  if (_ls_loop_observed (tg->loop))
    _ls_loop_emit (tg->loop, LS_EVENT_FUTURE_CREATED, parent->fut.id, tg->id, 0,
                   LS_REASON_NONE, 0, 0, "TaskGroup");
  return ls_ccoro_return (out, ls_value_ref (s->tg));
}

LsValue
ls_task_group_aenter (LsValue tg)
{
  return tg_co_new ("TaskGroup.__aenter__", task_group_aenter_step, tg, ls_none ());
}

/* How __aexit__ ends, whichever way: the parent task is no longer needed. */
static LsCCoroAction
aexit_finish (LsTaskGroup *tg, LsCCoroAction action)
{
  if (tg->parent_task)
    {
      ls_object_unref (tg->parent_task);
      tg->parent_task = NULL;
    }
  return action;
}

/* TaskGroup.__aexit__(et, exc, tb) */
static LsCCoroAction
task_group_aexit_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  TgCoState *s = co->data;
  LsTaskGroup *tg = as_task_group (s->tg);
  const LsExcType *et = ls_exc_type (s->exc);
  LsValue me;

  if (!tg)
    return ls_ccoro_raise (out, not_a_task_group (s->tg));

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return aexit_finish (tg, ls_ccoro_pass (in, thrown, out));
      tg->exiting = TRUE;

      if (et && is_base_error (s->exc) && ls_is_none (tg->base_error))
        tg->base_error = ls_value_ref (s->exc);

      if (et == &ls_exc_CancelledError)
        s->propagate_cancellation_error = ls_value_ref (s->exc);
      if (tg->parent_cancel_requested && tg->parent_task)
        {
          /* If this flag is set we *must* call uncancel(). */
          if (ls_task_uncancel (tg->parent_task) == 0)
            {
              /* If there are no pending cancellations left, don't
               * propagate CancelledError. */
              ls_value_set (&s->propagate_cancellation_error, ls_none ());
            }
        }

      if (et && !tg->aborting)
        {
          /* Our parent task is being cancelled, or there's an exception
           * in "async with". */
          task_group_abort (tg);
        }
      break;

    case 1:
      /* try: await self._on_completed_fut */
      if (thrown)
        {
          if (!ls_exc_matches (in, &ls_exc_CancelledError))
            return aexit_finish (tg, ls_ccoro_pass (in, thrown, out));
          if (!tg->aborting)
            {
              /* Our parent task is being cancelled while a child is still
               * running. */
              ls_value_set (&s->propagate_cancellation_error, ls_value_ref (in));
              task_group_abort (tg);
            }
        }
      ls_value_set (&tg->on_completed_fut, ls_none ());
      break;

    default:
      g_assert_not_reached ();
    }

  /* We use while-loop here because "self._on_completed_fut" can be
   * cancelled multiple times if our parent task is being cancelled
   * repeatedly (or even once, when our own cancellation is already in
   * progress). */
  if (tg->tasks->len)
    {
      if (ls_is_none (tg->on_completed_fut))
        tg->on_completed_fut = ls_future_new_labeled (tg->loop, "taskgroup");
      return ls_ccoro_await (co, 1, out, ls_value_ref (tg->on_completed_fut));
    }

  if (!ls_is_none (tg->base_error))
    return aexit_finish (tg, ls_ccoro_raise (out, ls_value_ref (tg->base_error)));

  /* Propagate CancelledError if there is one, except if there are other
   * errors -- those have priority. */
  if (!ls_is_none (s->propagate_cancellation_error) && (!tg->errors || tg->errors->len == 0))
    return aexit_finish (tg, ls_ccoro_raise (out, ls_value_steal (&s->propagate_cancellation_error)));

  if (et && et != &ls_exc_CancelledError && tg->errors)
    append_error (tg, s->exc);

  if (tg->errors && tg->errors->len)
    {
      LsException *e;
      /* Exceptions are heavy objects that can have object cycles; let's
       * not keep a reference to a bunch of them (self._errors = None). */
      me = ls_exc_group_new ("unhandled errors in a TaskGroup", tg->errors->len,
                             (const LsValue *) tg->errors->data);
      g_array_free (tg->errors, TRUE);
      tg->errors = NULL;
      /* raise me from None, while the body's exception (if any) is being
       * handled: it is the context, suppressed. */
      e = ls_value_object (me);
      ls_value_set (&e->cause, ls_none ());
      e->suppress_context = TRUE;
      if (et)
        ls_value_set (&e->context, ls_value_ref (s->exc));
      return aexit_finish (tg, ls_ccoro_raise (out, me));
    }
  return aexit_finish (tg, ls_ccoro_return (out, ls_none ()));
}

LsValue
ls_task_group_aexit (LsValue tg, LsValue exc)
{
  return tg_co_new ("TaskGroup.__aexit__", task_group_aexit_step, tg, exc);
}
