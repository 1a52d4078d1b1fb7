/* ls-locks.c - Lock, Event, Condition, Semaphore and BoundedSemaphore
 * (locks.py and mixins.py of CPython 3.12).
 *
 * Each primitive keeps its waiters as a deque of futures, exactly as the
 * Python classes do, and its coroutines (acquire, wait) are LsCCoro state
 * machines that create, await and remove those futures in the same order,
 * so that a task waiting on a lock takes the same steps as in CPython.  The
 * fairness rules of 3.12 are kept to the letter: Lock.acquire does not
 * barge past waiters unless all of them are cancelled, a cancelled Lock
 * waiter passes the wakeup on, and Semaphore counts a wakeup as taken
 * (_wake_up_next decrements the value) before the woken task runs.
 */
#include "ls-asyncio.h"
#include "ls-sched-private.h"

/* ---- shared pieces --------------------------------------------------------- */

/* The loop a primitive is bound to (mixins._LoopBoundMixin) and its
 * waiters; the first member of every object here. */
typedef struct {
  LsObject base;
  LsLoop *loop;         /* strong reference, NULL until first used */
  GQueue waiters;       /* LsFuture *, each owned */
} LsWaitable;

typedef struct {
  LsWaitable w;
  gboolean locked;
} LsLock;

typedef struct {
  LsWaitable w;
  gboolean value;
} LsAsyncEvent;

typedef struct {
  LsWaitable w;
  LsValue lock;         /* the Lock whose locked/acquire/release it exports */
} LsCondition;

typedef struct {
  LsWaitable w;
  gint64 value;
  gint64 bound_value;   /* BoundedSemaphore only */
} LsSemaphore;

static void
waitable_finalize (LsObject *self)
{
  LsWaitable *w = (LsWaitable *) self;
  LsFuture *fut;

  while ((fut = g_queue_pop_head (&w->waiters)))
    ls_object_unref (fut);
  if (w->loop)
    ls_loop_unref (w->loop);
}

static gpointer
waitable_alloc (const LsClass *cls, gsize size)
{
  LsWaitable *w = ls_object_alloc (cls, size);
  g_queue_init (&w->waiters);
  return w;
}

/* _LoopBoundMixin._get_loop */
static gboolean
get_loop (LsWaitable *w, LsLoop **loop, LsValue *error)
{
  LsLoop *running = ls_loop_get_running ();

  if (!running)
    {
      /* CPython would go on with None and fail on None.create_future(). */
      *error = ls_exc_newf (&ls_exc_RuntimeError, "no running event loop");
      return FALSE;
    }
  if (!w->loop)
    w->loop = ls_loop_ref (running);
  if (running != w->loop)
    {
      char *r = ls_value_repr (ls_object (w));
      *error = ls_exc_newf (&ls_exc_RuntimeError, "%s is bound to a different event loop", r);
      g_free (r);
      return FALSE;
    }
  *loop = running;
  return TRUE;
}

/* self._loop.create_future(); self._waiters.append(fut) */
static gboolean
new_waiter (LsWaitable *w, const char *label, LsValue *fut, LsValue *error)
{
  LsLoop *loop;

  if (!get_loop (w, &loop, error))
    return FALSE;
  *fut = ls_future_new_labeled (loop, label);
  g_queue_push_tail (&w->waiters, ls_object_ref (ls_value_as_object (*fut)));
  return TRUE;
}

/* self._waiters.remove(fut) */
static void
remove_waiter (LsWaitable *w, LsValue fut)
{
  if (g_queue_remove (&w->waiters, ls_value_as_object (fut)))
    ls_object_unref (ls_value_as_object (fut));
}

/* "<asyncio.locks.Lock object at 0x… [extra, waiters:n]>" */
static char *
waitable_repr (LsObject *self, const char *extra)
{
  LsWaitable *w = (LsWaitable *) self;
  guint n = g_queue_get_length (&w->waiters);

  if (n)
    return g_strdup_printf ("<asyncio.locks.%s object at %p [%s, waiters:%u]>",
                            self->cls->name, (void *) self, extra, n);
  return g_strdup_printf ("<asyncio.locks.%s object at %p [%s]>",
                          self->cls->name, (void *) self, extra);
}

static LsValue
type_error (const char *what, LsValue v)
{
  return ls_exc_newf (&ls_exc_TypeError, "expected %s, got '%s'", what, ls_value_class (v)->name);
}

/* A coroutine that raises exc at once: what misuse of a coroutine API
 * (acquire() on something that is not a lock) gives. */
static LsCCoroAction
raise_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue *exc = co->data;
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  return ls_ccoro_raise (out, ls_value_ref (*exc));
}

static void
value_box_free (gpointer p)
{
  ls_value_unref (*(LsValue *) p);
  g_free (p);
}

static LsValue
raising_coro (const char *name, LsValue exc)
{
  LsValue *box = g_new (LsValue, 1);
  *box = exc;
  return ls_ccoro_new (name, raise_step, box, value_box_free);
}

/* The locals of the coroutines below: the primitive, the waiter future,
 * and what a `finally:` must pass on once it is done. */
typedef struct {
  LsValue self;
  LsValue fut;
  LsValue pending;          /* the outcome waiting behind a finally */
  gboolean pending_thrown;
  gboolean cancelled;       /* Condition.wait: the re-acquire was cancelled */
  LsValue predicate;        /* Condition.wait_for */
} CoState;

static void
co_state_free (gpointer p)
{
  CoState *s = p;
  ls_value_unref (s->self);
  ls_value_unref (s->fut);
  ls_value_unref (s->pending);
  ls_value_unref (s->predicate);
  g_free (s);
}

static LsValue
co_new (const char *name, LsCCoroFn fn, LsValue self)
{
  CoState *s = g_new0 (CoState, 1);
  s->self = ls_value_ref (self);
  return ls_ccoro_new (name, fn, s, co_state_free);
}

/* ---- Lock ---------------------------------------------------------------- */

static char *
lock_repr (LsObject *self)
{
  LsLock *lock = (LsLock *) self;
  return waitable_repr (self, lock->locked ? "locked" : "unlocked");
}

const LsClass ls_lock_class = {
  .name = "Lock",
  .finalize = waitable_finalize,
  .repr = lock_repr,
  .size = sizeof (LsLock),
};

/* Lock.__init__ */
LsValue
ls_lock_new (void)
{
  return ls_object (waitable_alloc (&ls_lock_class, sizeof (LsLock)));
}

static LsLock *
as_lock (LsValue v)
{
  return ls_value_is (v, &ls_lock_class) ? ls_value_object (v) : NULL;
}

/* Lock.locked */
gboolean
ls_lock_locked (LsValue lock)
{
  LsLock *l = as_lock (lock);
  return l && l->locked;
}

/* Lock._wake_up_first */
static void
lock_wake_up_first (LsLock *lock)
{
  LsFuture *fut = g_queue_peek_head (&lock->w.waiters);
  LsValue err;

  if (!fut)
    return;
  /* .done() necessarily means that a waiter will wake up later on and
   * either take the lock, or, if it was cancelled and lock wasn't taken
   * already, will hit this again and wake up a new waiter. */
  if (!ls_future_done (fut))
    if (!ls_future_set_result (fut, ls_bool (TRUE), &err))
      ls_value_unref (err);
}

/* Lock.acquire */
static LsCCoroAction
lock_acquire_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  CoState *s = co->data;
  LsLock *lock = ls_value_object (s->self);
  gboolean all_cancelled = TRUE;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      for (GList *l = lock->w.waiters.head; l; l = l->next)
        if (!ls_future_cancelled (l->data))
          all_cancelled = FALSE;
      if (!lock->locked && all_cancelled)
        {
          lock->locked = TRUE;
          return ls_ccoro_return (out, ls_bool (TRUE));
        }
      if (!new_waiter (&lock->w, "lock", &s->fut, out))
        return LS_CCORO_RAISE;
      return ls_ccoro_await (co, 1, out, ls_value_ref (s->fut));

    case 1:
      /* finally: self._waiters.remove(fut) */
      remove_waiter (&lock->w, s->fut);
      if (thrown)
        {
          /* except CancelledError: the finally ran first, so that we do
           * not wake ourselves up. */
          if (ls_exc_matches (in, &ls_exc_CancelledError) && !lock->locked)
            lock_wake_up_first (lock);
          return ls_ccoro_pass (in, thrown, out);
        }
      lock->locked = TRUE;
      return ls_ccoro_return (out, ls_bool (TRUE));

    default:
      g_assert_not_reached ();
    }
}

LsValue
ls_lock_acquire (LsValue lock)
{
  if (!as_lock (lock))
    return raising_coro ("Lock.acquire", type_error ("Lock", lock));
  return co_new ("Lock.acquire", lock_acquire_step, lock);
}

/* Lock.release */
gboolean
ls_lock_release (LsValue lock, LsValue *error)
{
  LsLock *l = as_lock (lock);

  if (!l)
    {
      *error = type_error ("Lock", lock);
      return FALSE;
    }
  if (!l->locked)
    {
      *error = ls_exc_newf (&ls_exc_RuntimeError, "Lock is not acquired.");
      return FALSE;
    }
  l->locked = FALSE;
  lock_wake_up_first (l);
  return TRUE;
}

/* ---- Event ------------------------------------------------------------------- */

static char *
event_repr (LsObject *self)
{
  LsAsyncEvent *ev = (LsAsyncEvent *) self;
  return waitable_repr (self, ev->value ? "set" : "unset");
}

const LsClass ls_event_class = {
  .name = "Event",
  .finalize = waitable_finalize,
  .repr = event_repr,
  .size = sizeof (LsAsyncEvent),
};

/* Event.__init__ */
LsValue
ls_event_new (void)
{
  return ls_object (waitable_alloc (&ls_event_class, sizeof (LsAsyncEvent)));
}

static LsAsyncEvent *
as_event (LsValue v)
{
  return ls_value_is (v, &ls_event_class) ? ls_value_object (v) : NULL;
}

/* Event.is_set */
gboolean
ls_event_is_set (LsValue event)
{
  LsAsyncEvent *ev = as_event (event);
  return ev && ev->value;
}

/* Event.set */
void
ls_event_set (LsValue event)
{
  LsAsyncEvent *ev = as_event (event);
  LsValue err;

  if (!ev || ev->value)
    return;
  ev->value = TRUE;
  for (GList *l = ev->w.waiters.head; l; l = l->next)
    if (!ls_future_done (l->data))
      if (!ls_future_set_result (l->data, ls_bool (TRUE), &err))
        ls_value_unref (err);
}

/* Event.clear */
void
ls_event_clear (LsValue event)
{
  LsAsyncEvent *ev = as_event (event);
  if (ev)
    ev->value = FALSE;
}

/* Event.wait */
static LsCCoroAction
event_wait_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  CoState *s = co->data;
  LsAsyncEvent *ev = ls_value_object (s->self);

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      if (ev->value)
        return ls_ccoro_return (out, ls_bool (TRUE));
      if (!new_waiter (&ev->w, "event", &s->fut, out))
        return LS_CCORO_RAISE;
      return ls_ccoro_await (co, 1, out, ls_value_ref (s->fut));

    case 1:
      /* finally: self._waiters.remove(fut) */
      remove_waiter (&ev->w, s->fut);
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      return ls_ccoro_return (out, ls_bool (TRUE));

    default:
      g_assert_not_reached ();
    }
}

LsValue
ls_event_wait (LsValue event)
{
  if (!as_event (event))
    return raising_coro ("Event.wait", type_error ("Event", event));
  return co_new ("Event.wait", event_wait_step, event);
}

/* ---- Condition ----------------------------------------------------------------- */

static void
condition_finalize (LsObject *self)
{
  ls_value_unref (((LsCondition *) self)->lock);
  waitable_finalize (self);
}

static char *
condition_repr (LsObject *self)
{
  LsCondition *cond = (LsCondition *) self;
  return waitable_repr (self, ls_lock_locked (cond->lock) ? "locked" : "unlocked");
}

const LsClass ls_condition_class = {
  .name = "Condition",
  .finalize = condition_finalize,
  .repr = condition_repr,
  .size = sizeof (LsCondition),
};

/* Condition.__init__(lock=None).  Only an asyncio Lock can back a
 * Condition here; anything else gives a TypeError value instead of the
 * Condition (CPython fails on the missing lock.locked attribute). */
LsValue
ls_condition_new (LsValue lock)
{
  LsCondition *cond;

  if (ls_is_none (lock))
    lock = ls_lock_new ();
  else if (!as_lock (lock))
    {
      LsValue exc = type_error ("Lock", lock);
      ls_value_unref (lock);
      return exc;
    }
  cond = waitable_alloc (&ls_condition_class, sizeof (LsCondition));
  cond->lock = lock;
  return ls_object (cond);
}

static LsCondition *
as_condition (LsValue v)
{
  return ls_value_is (v, &ls_condition_class) ? ls_value_object (v) : NULL;
}

/* Condition.acquire is the lock's acquire. */
LsValue
ls_condition_acquire (LsValue cond)
{
  LsCondition *c = as_condition (cond);
  if (!c)
    return raising_coro ("Lock.acquire", type_error ("Condition", cond));
  return ls_lock_acquire (c->lock);
}

/* Condition.release is the lock's release. */
gboolean
ls_condition_release (LsValue cond, LsValue *error)
{
  LsCondition *c = as_condition (cond);
  if (!c)
    {
      *error = type_error ("Condition", cond);
      return FALSE;
    }
  return ls_lock_release (c->lock, error);
}

/* Condition.locked is the lock's locked. */
gboolean
ls_condition_locked (LsValue cond)
{
  LsCondition *c = as_condition (cond);
  return c && ls_lock_locked (c->lock);
}

/* Condition.wait */
static LsCCoroAction
condition_wait_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  CoState *s = co->data;
  LsCondition *cond = ls_value_object (s->self);
  LsValue err;

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      if (!ls_lock_locked (cond->lock))
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError,
                                                 "cannot wait on un-acquired lock"));
      if (!ls_lock_release (cond->lock, out))
        return LS_CCORO_RAISE;
      /* try: */
      if (!new_waiter (&cond->w, "condition", &s->fut, &err))
        {
          s->pending = err;
          s->pending_thrown = TRUE;
          goto reacquire;
        }
      return ls_ccoro_await (co, 1, out, ls_value_ref (s->fut));

    case 1:
      /* inner finally: self._waiters.remove(fut); the outcome (return
       * True, or the exception) waits until the lock is ours again. */
      remove_waiter (&cond->w, s->fut);
      s->pending = thrown ? ls_value_ref (in) : ls_bool (TRUE);
      s->pending_thrown = thrown;
      goto reacquire;

    case 2:
      /* the re-acquire loop: try: await self.acquire(); break */
      if (thrown)
        {
          if (ls_exc_matches (in, &ls_exc_CancelledError))
            {
              /* except CancelledError: cancelled = True, and again */
              s->cancelled = TRUE;
              goto reacquire;
            }
          /* Anything else leaves the finally, replacing the outcome. */
          return ls_ccoro_pass (in, thrown, out);
        }
      if (s->cancelled)
        return ls_ccoro_raise (out, ls_exc_new (&ls_exc_CancelledError, 0, NULL));
      *out = ls_value_steal (&s->pending);
      return s->pending_thrown ? LS_CCORO_RAISE : LS_CCORO_RETURN;

    default:
      g_assert_not_reached ();
    }

reacquire:
  /* outer finally: must reacquire lock even if wait is cancelled */
  return ls_ccoro_await (co, 2, out, ls_lock_acquire (cond->lock));
}

LsValue
ls_condition_wait (LsValue cond)
{
  if (!as_condition (cond))
    return raising_coro ("Condition.wait", type_error ("Condition", cond));
  return co_new ("Condition.wait", condition_wait_step, cond);
}

/* Condition.wait_for */
static LsCCoroAction
condition_wait_for_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  CoState *s = co->data;
  LsValue result;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  /* result = predicate(), first and after each wait() */
  if (!ls_call (s->predicate, NULL, 0, &result))
    return ls_ccoro_raise (out, result);
  if (ls_value_truthy (result))
    return ls_ccoro_return (out, result);
  ls_value_unref (result);
  return ls_ccoro_await (co, 1, out, ls_condition_wait (s->self));
}

LsValue
ls_condition_wait_for (LsValue cond, LsValue predicate)
{
  LsValue co;

  if (!as_condition (cond))
    return raising_coro ("Condition.wait_for", type_error ("Condition", cond));
  co = co_new ("Condition.wait_for", condition_wait_for_step, cond);
  ((CoState *) ((LsCCoro *) ls_value_as_object (co))->data)->predicate = ls_value_ref (predicate);
  return co;
}

/* Condition.notify */
gboolean
ls_condition_notify (LsValue cond, gint64 n, LsValue *error)
{
  LsCondition *c = as_condition (cond);
  gint64 idx = 0;
  LsValue err;

  if (!c)
    {
      *error = type_error ("Condition", cond);
      return FALSE;
    }
  if (!ls_lock_locked (c->lock))
    {
      *error = ls_exc_newf (&ls_exc_RuntimeError, "cannot notify on un-acquired lock");
      return FALSE;
    }
  for (GList *l = c->w.waiters.head; l; l = l->next)
    {
      if (idx >= n)
        break;
      if (!ls_future_done (l->data))
        {
          idx++;
          if (!ls_future_set_result (l->data, ls_bool (FALSE), &err))
            ls_value_unref (err);
        }
    }
  return TRUE;
}

/* Condition.notify_all */
gboolean
ls_condition_notify_all (LsValue cond, LsValue *error)
{
  LsCondition *c = as_condition (cond);
  if (!c)
    {
      *error = type_error ("Condition", cond);
      return FALSE;
    }
  return ls_condition_notify (cond, g_queue_get_length (&c->w.waiters), error);
}

/* ---- Semaphore and BoundedSemaphore ------------------------------------------------ */

static gboolean semaphore_locked (LsSemaphore *sem);

static char *
semaphore_repr (LsObject *self)
{
  LsSemaphore *sem = (LsSemaphore *) self;
  char *extra = semaphore_locked (sem) ? g_strdup ("locked")
    : g_strdup_printf ("unlocked, value:%" G_GINT64_FORMAT, sem->value);
  char *out = waitable_repr (self, extra);
  g_free (extra);
  return out;
}

const LsClass ls_semaphore_class = {
  .name = "Semaphore",
  .finalize = waitable_finalize,
  .repr = semaphore_repr,
  .size = sizeof (LsSemaphore),
};

const LsClass ls_bounded_semaphore_class = {
  .name = "BoundedSemaphore",
  .base = &ls_semaphore_class,
  .finalize = waitable_finalize,
  .repr = semaphore_repr,
  .size = sizeof (LsSemaphore),
};

/* Semaphore.__init__ / BoundedSemaphore.__init__.  A negative value gives
 * the ValueError CPython raises, as the returned value. */
LsValue
ls_semaphore_new (gint64 value, gboolean bounded)
{
  LsSemaphore *sem;

  if (value < 0)
    return ls_exc_newf (&ls_exc_ValueError, "Semaphore initial value must be >= 0");
  sem = waitable_alloc (bounded ? &ls_bounded_semaphore_class : &ls_semaphore_class,
                        sizeof (LsSemaphore));
  sem->value = value;
  sem->bound_value = value;
  return ls_object (sem);
}

static LsSemaphore *
as_semaphore (LsValue v)
{
  return ls_value_is (v, &ls_semaphore_class) ? ls_value_object (v) : NULL;
}

/* Semaphore.locked */
static gboolean
semaphore_locked (LsSemaphore *sem)
{
  if (sem->value == 0)
    return TRUE;
  for (GList *l = sem->w.waiters.head; l; l = l->next)
    if (!ls_future_cancelled (l->data))
      return TRUE;
  return FALSE;
}

gboolean
ls_semaphore_locked (LsValue sem)
{
  LsSemaphore *s = as_semaphore (sem);
  return s && semaphore_locked (s);
}

/* Semaphore._wake_up_next */
static void
semaphore_wake_up_next (LsSemaphore *sem)
{
  LsValue err;

  for (GList *l = sem->w.waiters.head; l; l = l->next)
    if (!ls_future_done (l->data))
      {
        sem->value--;
        if (!ls_future_set_result (l->data, ls_bool (TRUE), &err))
          ls_value_unref (err);
        return;
      }
}

/* Semaphore.acquire */
static LsCCoroAction
semaphore_acquire_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  CoState *s = co->data;
  LsSemaphore *sem = ls_value_object (s->self);

  switch (co->pc)
    {
    case 0:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      if (!semaphore_locked (sem))
        {
          sem->value--;
          return ls_ccoro_return (out, ls_bool (TRUE));
        }
      if (!new_waiter (&sem->w, "semaphore", &s->fut, out))
        return LS_CCORO_RAISE;
      return ls_ccoro_await (co, 1, out, ls_value_ref (s->fut));

    case 1:
      /* finally: self._waiters.remove(fut) */
      remove_waiter (&sem->w, s->fut);
      if (thrown)
        {
          /* except CancelledError: a wakeup we were given but cannot
           * use goes to the next waiter. */
          if (ls_exc_matches (in, &ls_exc_CancelledError)
              && !ls_future_cancelled (ls_future_from (s->fut)))
            {
              sem->value++;
              semaphore_wake_up_next (sem);
            }
          return ls_ccoro_pass (in, thrown, out);
        }
      if (sem->value > 0)
        semaphore_wake_up_next (sem);
      return ls_ccoro_return (out, ls_bool (TRUE));

    default:
      g_assert_not_reached ();
    }
}

LsValue
ls_semaphore_acquire (LsValue sem)
{
  if (!as_semaphore (sem))
    return raising_coro ("Semaphore.acquire", type_error ("Semaphore", sem));
  return co_new ("Semaphore.acquire", semaphore_acquire_step, sem);
}

/* Semaphore.release / BoundedSemaphore.release */
gboolean
ls_semaphore_release (LsValue sem, LsValue *error)
{
  LsSemaphore *s = as_semaphore (sem);

  if (!s)
    {
      *error = type_error ("Semaphore", sem);
      return FALSE;
    }
  if (s->w.base.cls == &ls_bounded_semaphore_class && s->value >= s->bound_value)
    {
      *error = ls_exc_newf (&ls_exc_ValueError, "BoundedSemaphore released too many times");
      return FALSE;
    }
  s->value++;
  semaphore_wake_up_next (s);
  return TRUE;
}
