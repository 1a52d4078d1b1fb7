/* ls-gevent-sync.c - gevent.event, gevent.lock, gevent.queue and gevent.pool.
 *
 * The objects greenlets wait on besides each other: Event and
 * AsyncResult, Semaphore and BoundedSemaphore, Queue and JoinableQueue,
 * Group and Pool, each following gevent 22.10's code.  They block and
 * wake greenlets through the hub's Blockers and links (ls-gevent.c).
 */
#include "ls-greenlet-private.h"

#include <math.h>
#include <string.h>

/* ---- gevent.event: Event and AsyncResult ------------------------------------------------ */

static void
event_finalize (LsObject *self)
{
  GEvent *e = (GEvent *) self;
  _ls_gev_links_clear (&e->links);
  ls_value_unref (e->value);
  ls_value_unref (e->exception);
}

static char *
event_repr (LsObject *self)
{
  GEvent *e = (GEvent *) self;
  if (e->async_result)
    return g_strdup_printf ("<AsyncResult at 0x%" G_GINT64_MODIFIER "x %s _links[%u]>",
                            FAKE_ADDRESS (0) + 0x80000, !e->flag ? "unset"
                            : e->has_value ? "value" : "exception", e->links.links->len);
  return g_strdup_printf ("<Event at 0x%" G_GINT64_MODIFIER "x %s _links[%u]>", FAKE_ADDRESS (0) + 0x80000,
                          e->flag ? "set" : "clear", e->links.links->len);
}

static GEvent *
event_new (LsVm *vm, gboolean async_result)
{
  GEvent *e = ls_object_alloc (&_ls_gsync_event_class, sizeof (GEvent));
  e->vm = vm;
  e->async_result = async_result;
  e->value = ls_none ();
  e->exception = ls_none ();
  _ls_gev_links_init (&e->links, TRUE);
  _ls_gev_hub_state (vm);
  return e;
}

static void
event_set (GlState *st, GEvent *e)
{
  e->flag = TRUE;
  _ls_gev_check_and_notify (st, (LsObject *) e);
}

/* Event.wait / AsyncResult.get / AsyncResult.wait (and what waits on an
 * event inside: JoinableQueue.join, Group.join): blocks until set.  `why`
 * names the wait in the trace ("event", "result", "queue.join" ...), which
 * the timeline draws by it. */
static gboolean
event_block (GEvent *e, BlockKind kind, const char *why, double timeout, LsValue tvalue, LsValue texc,
             LsValue *result)
{
  GlState *st = _ls_gev_hub_state (e->vm);
  Blocker *b = _ls_gev_blocker_new (st, kind);
  _ls_gev_link_blocker (st, (LsObject *) e, b);
  if (timeout >= 0)
    _ls_gev_blocker_timeout (e->vm, st, b, timeout, tvalue, texc, "wait timeout");
  else
    {
      ls_value_unref (tvalue);
      ls_value_unref (texc);
    }
  return _ls_gev_blocker_wait (e->vm, st, b, why, result);
}

static gboolean
timeout_arg (const LsValue *args, guint nargs, guint at, LsValue kwnames, const LsValue *kwvalues,
             double *timeout, LsValue *error)
{
  LsValue tmo = nargs > at ? args[at] : ls_none ();
  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  return _ls_gev_optional_timeout (tmo, timeout, error);
}

static gboolean
event_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
              LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  GEvent *e = (GEvent *) ls_value_as_object (self);
  GlState *st = _ls_gev_hub_state (e->vm);
  const char *name = data;
  double timeout;

  if (strcmp (name, "set") == 0 || strcmp (name, "set_exception") == 0)
    {
      if (e->async_result)
        {
          LsValue v = nargs ? args[0] : ls_none ();
          if (strcmp (name, "set") == 0)
            {
              _ls_kwarg (kwnames, kwvalues, "value", &v);
              ls_value_set (&e->value, ls_value_ref (v));
              e->has_value = TRUE;
            }
          else
            {
              LsValue exc;
              if (!_ls_gl_exception_from_args (&v, 1, &ls_exc_Exception, &exc))
                {
                  *result = exc;
                  return FALSE;
                }
              ls_value_set (&e->exception, exc);
            }
        }
      event_set (st, e);
      *result = ls_none ();
      return TRUE;
    }
  if (strcmp (name, "clear") == 0)
    {
      e->flag = FALSE;
      if (e->async_result)
        {
          e->has_value = FALSE;
          ls_value_set (&e->value, ls_none ());
          ls_value_set (&e->exception, ls_none ());
        }
      *result = ls_none ();
      return TRUE;
    }
  if (strcmp (name, "is_set") == 0 || strcmp (name, "isSet") == 0 || strcmp (name, "ready") == 0)
    {
      *result = ls_bool (e->flag);
      return TRUE;
    }
  if (strcmp (name, "successful") == 0)
    {
      *result = ls_bool (e->async_result ? e->has_value : e->flag);
      return TRUE;
    }
  if (strcmp (name, "wait") == 0)
    {
      if (!timeout_arg (args, nargs, 0, kwnames, kwvalues, &timeout, result))
        return FALSE;
      if (e->flag)
        {
          *result = e->async_result ? ls_value_ref (e->value) : ls_bool (TRUE);
          return TRUE;
        }
      if (e->async_result)
        return event_block (e, BLOCK_RESULT_WAIT, "result", timeout, ls_none (), ls_none (), result);
      return event_block (e, BLOCK_EVENT, "event", timeout, ls_bool (FALSE), ls_none (), result);
    }
  if (strcmp (name, "get") == 0)
    {
      LsValue block = nargs ? args[0] : ls_bool (TRUE);
      _ls_kwarg (kwnames, kwvalues, "block", &block);
      if (!timeout_arg (args, nargs, 1, kwnames, kwvalues, &timeout, result))
        return FALSE;
      if (e->flag)
        {
          if (!e->has_value)
            {
              *result = ls_value_ref (e->exception);
              return FALSE;
            }
          *result = ls_value_ref (e->value);
          return TRUE;
        }
      if (!ls_value_truthy (block))
        {
          *result = ls_exc_new (&_ls_gev_exc_Timeout, 0, NULL);
          return FALSE;
        }
      return event_block (e, BLOCK_RESULT, "result", timeout, ls_none (),
                          timeout >= 0 ? _ls_gev_timeout_new (timeout) : ls_none (), result);
    }
  *result = ls_exc_newf (&ls_exc_AttributeError, "no method %s", name);
  return FALSE;
}

static gboolean
event_getattr (LsObject *self, const char *name, LsValue *out)
{
  GEvent *e = (GEvent *) self;
  static const char *const methods[] = {
    "set", "clear", "is_set", "isSet", "ready", "wait", "get", "set_exception", "successful",
  };
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (strcmp (name, methods[i]) == 0
        && (e->async_result || i < 6) && (!e->async_result || (strcmp (name, "clear") != 0 && strcmp (name, "isSet") != 0)))
      {
        *out = ls_builtin_new_kw (methods[i], event_method, ls_value_ref (ls_object (self)),
                                  (gpointer) methods[i], NULL);
        return TRUE;
      }
  if (e->async_result && strcmp (name, "value") == 0)
    *out = ls_value_ref (e->value);
  else if (e->async_result && strcmp (name, "exception") == 0)
    *out = ls_value_ref (e->exception);
  else if (strcmp (name, "__bool__") == 0)
    *out = ls_bool (TRUE);
  else
    {
      *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'",
                          e->async_result ? "AsyncResult" : "Event", name);
      return FALSE;
    }
  return TRUE;
}

static const LsTypeSlots event_slots = { .getattr = event_getattr };

const LsClass _ls_gsync_event_class = {
  .name = "Event",
  .finalize = event_finalize,
  .repr = event_repr,
  .ops = &event_slots,
};

gboolean
_ls_gsync_event_new (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_object (event_new (_ls_gl_vm_of (NULL), GPOINTER_TO_INT (data)));
  return TRUE;
}

/* ---- gevent.lock: Semaphore, BoundedSemaphore ---------------------------------------------- */

static void
sem_finalize (LsObject *self)
{
  _ls_gev_links_clear (&((GSem *) self)->links);
}

static char *
sem_repr (LsObject *self)
{
  GSem *s = (GSem *) self;
  return g_strdup_printf ("<%s at 0x%" G_GINT64_MODIFIER "x counter=%" G_GINT64_FORMAT " _links[%u]>",
                          s->bounded ? "BoundedSemaphore" : "Semaphore", FAKE_ADDRESS (0) + 0x90000,
                          s->counter, s->links.links->len);
}

static GSem *
sem_new (LsVm *vm, gint64 value, gboolean bounded)
{
  GSem *s = ls_object_alloc (&_ls_gsync_sem_class, sizeof (GSem));
  s->vm = vm;
  s->counter = s->initial = value;
  s->bounded = bounded;
  _ls_gev_links_init (&s->links, FALSE);
  _ls_gev_hub_state (vm);
  return s;
}

static gboolean
sem_release (GlState *st, GSem *s, LsValue *error)
{
  if (s->bounded && s->counter >= s->initial)
    {
      *error = ls_exc_newf (&ls_exc_ValueError, "Semaphore released too many times");
      return FALSE;
    }
  s->counter++;
  _ls_gev_check_and_notify (st, (LsObject *) s);
  return TRUE;
}

static gboolean
sem_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
            LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  GSem *s = (GSem *) ls_value_as_object (self);
  GlState *st = _ls_gev_hub_state (s->vm);
  const char *name = data;
  double timeout;

  if (strcmp (name, "release") == 0 || strcmp (name, "__exit__") == 0)
    {
      if (!sem_release (st, s, result))
        return FALSE;
      *result = strcmp (name, "release") == 0 ? ls_none () : ls_bool (FALSE);
      return TRUE;
    }
  if (strcmp (name, "locked") == 0)
    {
      *result = ls_bool (s->counter <= 0);
      return TRUE;
    }
  if (strcmp (name, "acquire") == 0 || strcmp (name, "__enter__") == 0)
    {
      LsValue block = nargs && strcmp (name, "acquire") == 0 ? args[0] : ls_bool (TRUE);
      Blocker *b;
      _ls_kwarg (kwnames, kwvalues, "blocking", &block);
      if (!timeout_arg (args, strcmp (name, "acquire") == 0 ? nargs : 0, 1, kwnames, kwvalues, &timeout, result))
        return FALSE;
      if (s->counter > 0)
        {
          s->counter--;
          *result = ls_bool (TRUE);
          return TRUE;
        }
      if (!ls_value_truthy (block))
        {
          *result = ls_bool (FALSE);
          return TRUE;
        }
      if (name[0] == '_' && st->current != st->main && !_ls_vm_slot_may_switch (s->vm, s))
        {
          /* __enter__ called by C code, not by a with statement. */
          *result = ls_exc_newf (&ls_exc_RuntimeError, "a semaphore's __enter__ that must wait, called by a "
                                 "built-in in a greenlet other than the main one, is not supported");
          return FALSE;
        }
      b = _ls_gev_blocker_new (st, BLOCK_SEM);
      _ls_gev_link_blocker (st, (LsObject *) s, b);
      if (timeout >= 0)
        _ls_gev_blocker_timeout (s->vm, st, b, timeout, ls_bool (FALSE), ls_none (), "acquire timeout");
      return _ls_gev_blocker_wait (s->vm, st, b, "semaphore.acquire", result);
    }
  if (strcmp (name, "wait") == 0)
    {
      Blocker *b;
      if (!timeout_arg (args, nargs, 0, kwnames, kwvalues, &timeout, result))
        return FALSE;
      if (s->counter > 0)
        {
          *result = ls_int (s->counter);
          return TRUE;
        }
      b = _ls_gev_blocker_new (st, BLOCK_SEM_WAIT);
      _ls_gev_link_blocker (st, (LsObject *) s, b);
      if (timeout >= 0)
        _ls_gev_blocker_timeout (s->vm, st, b, timeout, ls_int (0), ls_none (), "wait timeout");
      return _ls_gev_blocker_wait (s->vm, st, b, "semaphore.acquire", result);
    }
  *result = ls_exc_newf (&ls_exc_AttributeError, "no method %s", name);
  return FALSE;
}

static gboolean
sem_getattr (LsObject *self, const char *name, LsValue *out)
{
  GSem *s = (GSem *) self;
  static const char *const methods[] = { "acquire", "release", "locked", "wait", "__enter__", "__exit__" };
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (strcmp (name, methods[i]) == 0)
      {
        *out = ls_builtin_new_kw (methods[i], sem_method, ls_value_ref (ls_object (self)),
                                  (gpointer) methods[i], NULL);
        return TRUE;
      }
  if (strcmp (name, "counter") == 0)
    *out = ls_int (s->counter);
  else
    {
      *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'",
                          s->bounded ? "BoundedSemaphore" : "Semaphore", name);
      return FALSE;
    }
  return TRUE;
}

static const LsTypeSlots sem_slots = { .getattr = sem_getattr };

const LsClass _ls_gsync_sem_class = {
  .name = "Semaphore",
  .finalize = sem_finalize,
  .repr = sem_repr,
  .ops = &sem_slots,
};

gboolean
_ls_gsync_sem_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
                   LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsValue v = nargs ? args[0] : ls_int (1);
  _ls_kwarg (kwnames, kwvalues, "value", &v);
  if (ls_value_kind (v) != LS_KIND_INT || ls_value_as_int (v) < 0)
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "semaphore initial value must be >= 0");
      return FALSE;
    }
  *result = ls_object (sem_new (_ls_gl_vm_of (NULL), ls_value_as_int (v), GPOINTER_TO_INT (data)));
  return TRUE;
}

/* ---- gevent.queue: Queue, JoinableQueue ------------------------------------------------------ */

const LsExcType _ls_gsync_exc_Empty = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "Empty", &ls_exc_Exception, "queue",
};
const LsExcType _ls_gsync_exc_Full = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "Full", &ls_exc_Exception, "queue",
};

static void
queue_finalize (LsObject *self)
{
  GQueueObj *q = (GQueueObj *) self;
  LsValue *v;
  Blocker *b;
  while ((v = g_queue_pop_head (&q->items)))
    {
      ls_value_unref (*v);
      g_free (v);
    }
  while ((b = g_queue_pop_head (&q->getters)))
    _ls_gev_blocker_unref (b);
  while ((b = g_queue_pop_head (&q->putters)))
    _ls_gev_blocker_unref (b);
  ls_object_unref (q->cond);
}

static char *
queue_repr (LsObject *self)
{
  GQueueObj *q = (GQueueObj *) self;
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "<%s at 0x%" G_GINT64_MODIFIER "x", q->joinable ? "JoinableQueue" : "Queue",
                          FAKE_ADDRESS (0) + 0xa0000);
  if (q->maxsize >= 0)
    g_string_append_printf (s, " maxsize=%" G_GINT64_FORMAT, q->maxsize);
  if (q->items.length)
    {
      g_string_append (s, " queue=deque([");
      for (GList *l = q->items.head; l; l = l->next)
        {
          char *r = ls_value_repr (*(LsValue *) l->data);
          g_string_append_printf (s, "%s%s", l == q->items.head ? "" : ", ", r);
          g_free (r);
        }
      g_string_append (s, "])");
    }
  if (q->getters.length)
    g_string_append_printf (s, " getters[%u]", q->getters.length);
  if (q->putters.length)
    g_string_append_printf (s, " putters[%u]", q->putters.length);
  if (q->joinable)
    g_string_append_printf (s, " tasks=%" G_GINT64_FORMAT, q->unfinished);
  g_string_append_c (s, '>');
  return g_string_free (s, FALSE);
}

gboolean
_ls_gsync_queue_take (GQueueObj *q, gboolean peek, LsValue *item)
{
  LsValue *v = peek ? g_queue_peek_head (&q->items) : g_queue_pop_head (&q->items);
  if (!v)
    {
      *item = ls_none ();
      return FALSE;
    }
  *item = peek ? ls_value_ref (*v) : *v;
  if (!peek)
    g_free (v);
  return TRUE;
}

static void
queue_put_item (GlState *st, GQueueObj *q, LsValue item)
{
  LsValue *v = g_new (LsValue, 1);
  *v = ls_value_ref (item);
  g_queue_push_tail (&q->items, v);
  if (q->joinable)
    {
      q->unfinished++;
      q->cond->flag = FALSE;
    }
}

static void
queue_schedule_unlock (GlState *st, GQueueObj *q)
{
  if (!q->unlock_scheduled)
    {
      HubItem *it = _ls_gev_item_new (st, ITEM_UNLOCK, NULL, ls_none (), ls_none ());
      it->obj = ls_object_ref (q);
      q->unlock_scheduled = TRUE;
      _ls_gev_hub_callback (st, it);
    }
}

/* Drops blockers at the head of a list that no longer wait. */
static Blocker *
queue_first_live (GQueue *list)
{
  Blocker *b;
  while ((b = g_queue_peek_head (list)) && !_ls_gev_blocker_live (b))
    _ls_gev_blocker_unref (g_queue_pop_head (list));
  return b;
}

/* Queue._unlock, resumed after each switch it makes. */
gboolean
_ls_gsync_unlock_step (LsVm *vm, GlState *st, HubItem *it, LsGreenlet **target, LsValue *args, LsValue *exc)
{
  GQueueObj *q = (GQueueObj *) it->obj;
  if (!it->begun)
    {
      it->begun = TRUE;
      q->unlock_scheduled = FALSE;
    }
  for (;;)
    {
      Blocker *b;
      if (it->phase == 0)
        {
          it->repeat = FALSE;
          it->phase = 1;
          b = queue_first_live (&q->putters);
          if (b && (q->maxsize < 0 || (gint64) q->items.length < q->maxsize))
            {
              it->repeat = TRUE;
              queue_put_item (st, q, b->item);
              _ls_gev_blocker_wake (vm, st, b, (LsObject *) q, target, args, exc);
              return TRUE;
            }
        }
      it->phase = 0;
      b = queue_first_live (&q->getters);
      if (b && q->items.length)
        {
          it->repeat = TRUE;
          _ls_gev_blocker_wake (vm, st, b, (LsObject *) q, target, args, exc);
          return TRUE;
        }
      if (!it->repeat)
        return FALSE;
    }
}

static gboolean
queue_get (GQueueObj *q, gboolean block, double timeout, gboolean peek, LsValue *result)
{
  GlState *st = _ls_gev_hub_state (q->vm);
  Blocker *b;
  if (q->items.length)
    {
      if (q->putters.length && !peek)
        queue_schedule_unlock (st, q);
      _ls_gsync_queue_take (q, peek, result);
      return TRUE;
    }
  if (!block)
    {
      *result = ls_exc_new (&_ls_gsync_exc_Empty, 0, NULL);
      return FALSE;
    }
  b = _ls_gev_blocker_new (st, peek ? BLOCK_QPEEK : BLOCK_QGET);
  g_queue_push_tail (&q->getters, _ls_gev_blocker_ref (b));
  g_ptr_array_add (b->objs, ls_object_ref (q));
  if (timeout >= 0)
    _ls_gev_blocker_timeout (q->vm, st, b, timeout, ls_none (), ls_exc_new (&_ls_gsync_exc_Empty, 0, NULL), "get timeout");
  if (q->putters.length)
    queue_schedule_unlock (st, q);
  return _ls_gev_blocker_wait (q->vm, st, b, "queue.get", result);
}

static gboolean
queue_put (GQueueObj *q, LsValue item, gboolean block, double timeout, LsValue *result)
{
  GlState *st = _ls_gev_hub_state (q->vm);
  Blocker *b;
  if (q->maxsize < 0 || (gint64) q->items.length < q->maxsize)
    {
      queue_put_item (st, q, item);
      if (q->getters.length)
        queue_schedule_unlock (st, q);
      *result = ls_none ();
      return TRUE;
    }
  if (!block)
    {
      *result = ls_exc_new (&_ls_gsync_exc_Full, 0, NULL);
      return FALSE;
    }
  b = _ls_gev_blocker_new (st, BLOCK_QPUT);
  ls_value_set (&b->item, ls_value_ref (item));
  g_queue_push_tail (&q->putters, _ls_gev_blocker_ref (b));
  g_ptr_array_add (b->objs, ls_object_ref (q));
  if (timeout >= 0)
    _ls_gev_blocker_timeout (q->vm, st, b, timeout, ls_none (), ls_exc_new (&_ls_gsync_exc_Full, 0, NULL), "put timeout");
  if (q->getters.length)
    queue_schedule_unlock (st, q);
  return _ls_gev_blocker_wait (q->vm, st, b, "queue.put", result);
}

static gboolean
queue_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
              LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  GQueueObj *q = (GQueueObj *) ls_value_as_object (self);
  const char *name = data;
  double timeout;

  if (strcmp (name, "put") == 0 || strcmp (name, "put_nowait") == 0)
    {
      LsValue item = nargs ? args[0] : ls_none (), block = nargs > 1 ? args[1] : ls_bool (TRUE);
      gboolean nowait = strcmp (name, "put_nowait") == 0;
      _ls_kwarg (kwnames, kwvalues, "item", &item);
      _ls_kwarg (kwnames, kwvalues, "block", &block);
      if (nargs < 1 && !_ls_kwarg (kwnames, kwvalues, "item", &item))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "%s() missing 1 required positional argument: 'item'", name);
          return FALSE;
        }
      if (!timeout_arg (args, nowait ? 0 : nargs, 2, kwnames, kwvalues, &timeout, result))
        return FALSE;
      return queue_put (q, item, !nowait && ls_value_truthy (block), timeout, result);
    }
  if (strcmp (name, "get") == 0 || strcmp (name, "get_nowait") == 0
      || strcmp (name, "peek") == 0 || strcmp (name, "peek_nowait") == 0)
    {
      LsValue block = nargs ? args[0] : ls_bool (TRUE);
      gboolean nowait = g_str_has_suffix (name, "_nowait");
      _ls_kwarg (kwnames, kwvalues, "block", &block);
      if (!timeout_arg (args, nowait ? 0 : nargs, 1, kwnames, kwvalues, &timeout, result))
        return FALSE;
      return queue_get (q, !nowait && ls_value_truthy (block), timeout, name[0] == 'p', result);
    }
  if (strcmp (name, "qsize") == 0)
    *result = ls_int (q->items.length);
  else if (strcmp (name, "empty") == 0)
    *result = ls_bool (q->items.length == 0);
  else if (strcmp (name, "full") == 0)
    *result = ls_bool (q->maxsize > 0 && (gint64) q->items.length >= q->maxsize);
  else if (strcmp (name, "task_done") == 0)
    {
      if (q->unfinished <= 0)
        {
          *result = ls_exc_newf (&ls_exc_ValueError, "task_done() called too many times");
          return FALSE;
        }
      if (--q->unfinished == 0)
        event_set (_ls_gev_hub_state (q->vm), q->cond);
      *result = ls_none ();
    }
  else if (strcmp (name, "join") == 0)
    {
      if (!timeout_arg (args, nargs, 0, kwnames, kwvalues, &timeout, result))
        return FALSE;
      if (q->cond->flag)
        {
          *result = ls_bool (TRUE);
          return TRUE;
        }
      return event_block (q->cond, BLOCK_EVENT, "queue.join", timeout, ls_bool (FALSE), ls_none (), result);
    }
  else
    {
      *result = ls_exc_newf (&ls_exc_AttributeError, "no method %s", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
queue_getattr (LsObject *self, const char *name, LsValue *out)
{
  GQueueObj *q = (GQueueObj *) self;
  static const char *const methods[] = {
    "put", "put_nowait", "get", "get_nowait", "peek", "peek_nowait", "qsize", "empty", "full",
    "task_done", "join",
  };
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (strcmp (name, methods[i]) == 0 && (q->joinable || i < 9))
      {
        *out = ls_builtin_new_kw (methods[i], queue_method, ls_value_ref (ls_object (self)),
                                  (gpointer) methods[i], NULL);
        return TRUE;
      }
  if (strcmp (name, "maxsize") == 0)
    *out = q->maxsize < 0 ? ls_none () : ls_int (q->maxsize);
  else if (q->joinable && strcmp (name, "unfinished_tasks") == 0)
    *out = ls_int (q->unfinished);
  else if (strcmp (name, "__len__") == 0)
    *out = ls_int (q->items.length);
  else if (strcmp (name, "__bool__") == 0)
    *out = ls_bool (TRUE);
  else
    {
      *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'",
                          q->joinable ? "JoinableQueue" : "Queue", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
queue_iter (LsObject *self, LsValue *out)
{
  *out = ls_value_ref (ls_object (self));
  return TRUE;
}

/* __next__: get(); StopIteration put in the queue ends the iteration. */
static int
queue_next (LsObject *self, LsValue *out)
{
  GQueueObj *q = (GQueueObj *) self;
  GlState *st = _ls_gev_hub_state (q->vm);
  gboolean waits = st->current != st->main && !q->items.length;
  if (waits && !_ls_vm_slot_may_switch (q->vm, self))
    {
      /* next() called by C code (list(), a generator): it cannot wait. */
      *out = ls_exc_newf (&ls_exc_RuntimeError, "iterating an empty gevent Queue from a built-in, in a "
                          "greenlet other than the main one, is not supported: use a for loop or q.get()");
      return -1;
    }
  if (!queue_get (q, TRUE, -1, FALSE, out))
    return -1;
  if (waits && st->current->blocked_on)
    {
      /* The for loop suspends with a placeholder; the item comes with
       * the wake-up, and StopIteration ends the loop there. */
      st->current->blocked_on->for_loop = TRUE;
      return 1;
    }
  if (ls_value_identical (*out, ls_object (&ls_exc_StopIteration)))
    {
      ls_value_unref (*out);
      *out = ls_none ();
      return 0;
    }
  return 1;
}

static gboolean
queue_len (LsObject *self, gint64 *len, LsValue *error)
{
  *len = ((GQueueObj *) self)->items.length;
  return TRUE;
}

static const LsTypeSlots queue_slots = {
  .getattr = queue_getattr, .iter = queue_iter, .next = queue_next, .len = queue_len,
};

const LsClass _ls_gsync_queue_class = {
  .name = "Queue",
  .finalize = queue_finalize,
  .repr = queue_repr,
  .ops = &queue_slots,
};

gboolean
_ls_gsync_queue_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
                     LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = _ls_gl_vm_of (NULL);
  LsValue size = nargs ? args[0] : ls_none (), items = nargs > 1 ? args[1] : ls_none ();
  GQueueObj *q;
  _ls_kwarg (kwnames, kwvalues, "maxsize", &size);
  _ls_kwarg (kwnames, kwvalues, "items", &items);
  if (!ls_is_none (size) && ls_value_kind (size) != LS_KIND_INT)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "maxsize must be an int or None");
      return FALSE;
    }
  q = ls_object_alloc (&_ls_gsync_queue_class, sizeof (GQueueObj));
  q->vm = vm;
  g_queue_init (&q->items);
  g_queue_init (&q->getters);
  g_queue_init (&q->putters);
  /* maxsize None (or 0, or less, as in gevent) is unbounded. */
  q->maxsize = ls_is_none (size) || ls_value_as_int (size) <= 0 ? -1 : ls_value_as_int (size);
  q->joinable = GPOINTER_TO_INT (data);
  if (q->joinable)
    {
      q->cond = event_new (vm, FALSE);
      q->cond->flag = TRUE;
    }
  _ls_gev_hub_state (vm);
  if (!ls_is_none (items))
    {
      LsValue it, item;
      int r;
      if (!ls_op_iter (items, &it))
        {
          ls_object_unref (q);
          *result = it;
          return FALSE;
        }
      while ((r = ls_op_next (it, &item)) == 1)
        {
          queue_put_item (vm->greenlets, q, item);
          ls_value_unref (item);
        }
      ls_value_unref (it);
      if (r < 0)
        {
          ls_object_unref (q);
          *result = item;
          return FALSE;
        }
      ls_value_unref (item);
    }
  *result = ls_object (q);
  return TRUE;
}

/* ---- gevent.pool: Group and Pool ---------------------------------------------------------- */

static void
pool_finalize (LsObject *self)
{
  GPool *p = (GPool *) self;
  g_ptr_array_free (p->members, TRUE);
  g_ptr_array_free (p->dying, TRUE);
  ls_object_unref (p->empty);
  ls_object_unref (p->sem);
}

static char *
pool_repr (LsObject *self)
{
  GPool *p = (GPool *) self;
  return g_strdup_printf ("<%s at 0x%" G_GINT64_MODIFIER "x %s>", p->sem ? "Pool" : "Group",
                          FAKE_ADDRESS (0) + 0xb0000, "set()");
}

/* Group._discard (a member finished) and, for a Pool, the release of
 * its place. */
void
_ls_gsync_group_discard (GlState *st, GPool *p, LsGreenlet *g)
{
  LsValue err;
  gboolean had = g_ptr_array_remove (p->dying, g);
  (void) had;
  if (!g_ptr_array_remove (p->members, g))
    return;
  if (!p->members->len)
    event_set (st, p->empty);
  if (p->sem && !sem_release (st, p->sem, &err))
    ls_value_unref (err);
}

/* Group.add: rawlink(_discard), then tracked; started after. */
void
_ls_gsync_pool_add_started (GlState *st, GPool *p, LsGreenlet *g)
{
  Link *l = g_new0 (Link, 1);
  l->kind = LINK_DISCARD;
  l->callback = ls_value_ref (ls_object (p));
  _ls_gev_add_link (st, (LsObject *) g, l);
  g_ptr_array_add (p->members, ls_object_ref (g));
  p->empty->flag = FALSE;
  _ls_gev_greenlet_start (st, g);
}

/* Pool.spawn / Group.spawn: the greenlet is made first, then added (a
 * full pool blocks here), then started. */
static gboolean
pool_spawn (GPool *p, const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues,
            LsValue *result)
{
  GlState *st = _ls_gev_hub_state (p->vm);
  LsValue gv;
  LsGreenlet *g;
  Blocker *b;

  if (!_ls_gev_greenlet_new (p->vm, args, nargs, kwnames, kwvalues, FALSE, 0, &gv))
    {
      *result = gv;
      return FALSE;
    }
  g = (LsGreenlet *) ls_value_as_object (gv);
  if (!p->sem || p->sem->counter > 0)
    {
      if (p->sem)
        p->sem->counter--;
      _ls_gsync_pool_add_started (st, p, g);
      *result = gv;
      return TRUE;
    }
  b = _ls_gev_blocker_new (st, BLOCK_POOL_ADD);
  b->item = gv;
  _ls_gev_link_blocker (st, (LsObject *) p->sem, b);
  g_ptr_array_add (b->objs, ls_object_ref (p));
  return _ls_gev_blocker_wait (p->vm, st, b, "pool.spawn", result);
}

static gboolean
pool_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
             LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  GPool *p = (GPool *) ls_value_as_object (self);
  GlState *st = _ls_gev_hub_state (p->vm);
  const char *name = data;
  double timeout;

  if (strcmp (name, "spawn") == 0)
    return pool_spawn (p, args, nargs, kwnames, kwvalues, result);
  if (strcmp (name, "join") == 0)
    {
      if (!timeout_arg (args, nargs, 0, kwnames, kwvalues, &timeout, result))
        return FALSE;
      if (p->empty->flag)
        {
          *result = ls_bool (TRUE);
          return TRUE;
        }
      return event_block (p->empty, BLOCK_EVENT, "pool.join", timeout, ls_bool (FALSE), ls_none (), result);
    }
  if (strcmp (name, "kill") == 0)
    {
      LsValue exc_arg = nargs ? args[0] : ls_object (&_ls_gl_exc_GreenletExit);
      LsValue block = nargs > 1 ? args[1] : ls_bool (TRUE), exc;
      GPtrArray *victims = g_ptr_array_new ();
      gboolean ok;
      _ls_kwarg (kwnames, kwvalues, "exception", &exc_arg);
      _ls_kwarg (kwnames, kwvalues, "block", &block);
      if (!timeout_arg (args, nargs, 2, kwnames, kwvalues, &timeout, result))
        return FALSE;
      for (guint i = 0; i < p->members->len; i++)
        {
          LsGreenlet *g = g_ptr_array_index (p->members, i);
          if (!g_ptr_array_find (p->dying, g, NULL))
            {
              g_ptr_array_add (victims, g);
              g_ptr_array_add (p->dying, g);
            }
        }
      if (!victims->len)
        {
          g_ptr_array_free (victims, TRUE);
          *result = ls_none ();
          return TRUE;
        }
      if (!_ls_gl_exception_from_args (&exc_arg, 1, &_ls_gl_exc_GreenletExit, &exc))
        {
          g_ptr_array_free (victims, TRUE);
          *result = exc;
          return FALSE;
        }
      ok = _ls_gev_kill_schedule (p->vm, st, victims, exc, ls_value_truthy (block), timeout, TRUE, result);
      g_ptr_array_free (victims, TRUE);
      return ok;
    }
  if (strcmp (name, "full") == 0)
    *result = ls_bool (p->sem && p->sem->counter <= 0);
  else if (strcmp (name, "free_count") == 0)
    *result = p->sem ? ls_int (MAX (0, p->sem->counter)) : ls_int (1);
  else if (strcmp (name, "__len__") == 0)
    *result = ls_int (p->members->len);
  else
    {
      *result = ls_exc_newf (&ls_exc_AttributeError, "no method %s", name);
      return FALSE;
    }
  return TRUE;
}

/* Pool.map(func, iterable): a greenlet runs
 * [g.get() for g in [self.spawn(func, i) for i in iterable]]
 * and map() waits for its list; imap and imap_unordered here are the
 * same list (their results as one iterator). */
static gboolean
pool_map (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  GPool *p = (GPool *) ls_value_as_object (self);
  GlState *st = _ls_gev_hub_state (p->vm);
  const char *name = data;
  LsValue it, item, spawned = ls_list_new (), out = ls_list_new ();
  int r;
  gboolean ok = FALSE;

  if (nargs != 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "%s() takes a function and an iterable", name);
      goto done;
    }
  if (st->current != st->main)
    {
      *result = ls_exc_newf (&ls_exc_RuntimeError, "Pool.%s() from a greenlet other than the main one "
                             "is not supported", name);
      goto done;
    }
  if (!ls_op_iter (args[1], &it))
    {
      *result = it;
      goto done;
    }
  while ((r = ls_op_next (it, &item)) == 1)
    {
      LsValue call[2] = { args[0], item }, g;
      gboolean sok = pool_spawn (p, call, 2, ls_none (), NULL, &g);
      ls_value_unref (item);
      if (!sok)
        {
          ls_value_unref (it);
          *result = g;
          goto done;
        }
      ls_list_append (spawned, g);
    }
  ls_value_unref (it);
  if (r < 0)
    {
      *result = item;
      goto done;
    }
  ls_value_unref (item);
  for (guint i = 0; i < ls_list_len (spawned); i++)
    {
      LsValue g = ls_list_get (spawned, i), v;
      if (!_ls_gev_get_method (g, NULL, NULL, 0, ls_none (), NULL, &v))
        {
          *result = v;
          goto done;
        }
      ls_list_append (out, v);
    }
  if (strcmp (name, "map") == 0)
    *result = ls_value_ref (out);
  else if (!ls_op_iter (out, result))
    goto done;
  ok = TRUE;
done:
  ls_value_unref (spawned);
  ls_value_unref (out);
  return ok;
}

static gboolean
pool_getattr (LsObject *self, const char *name, LsValue *out)
{
  GPool *p = (GPool *) self;
  static const char *const methods[] = { "spawn", "join", "kill", "full", "free_count", "__len__" };
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (strcmp (name, methods[i]) == 0)
      {
        *out = ls_builtin_new_kw (methods[i], pool_method, ls_value_ref (ls_object (self)),
                                  (gpointer) methods[i], NULL);
        return TRUE;
      }
  if (strcmp (name, "map") == 0 || strcmp (name, "imap") == 0 || strcmp (name, "imap_unordered") == 0)
    {
      *out = ls_builtin_new (strcmp (name, "map") == 0 ? "map" : strcmp (name, "imap") == 0 ? "imap"
                             : "imap_unordered", pool_map, ls_value_ref (ls_object (self)),
                             (gpointer) (strcmp (name, "map") == 0 ? "map" : strcmp (name, "imap") == 0 ? "imap"
                                         : "imap_unordered"), NULL);
      return TRUE;
    }
  if (strcmp (name, "size") == 0)
    *out = p->size < 0 ? ls_none () : ls_int (p->size);
  else if (strcmp (name, "greenlets") == 0)
    {
      LsValue l = ls_list_new ();
      for (guint i = 0; i < p->members->len; i++)
        ls_list_append (l, ls_value_ref (ls_object (g_ptr_array_index (p->members, i))));
      *out = l;
    }
  else if (strcmp (name, "__bool__") == 0)
    *out = ls_bool (TRUE);
  else
    {
      *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'",
                          p->sem ? "Pool" : "Group", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pool_len (LsObject *self, gint64 *len, LsValue *error)
{
  *len = ((GPool *) self)->members->len;
  return TRUE;
}

static const LsTypeSlots pool_slots = { .getattr = pool_getattr, .len = pool_len };

const LsClass _ls_gsync_pool_class = {
  .name = "Pool",
  .finalize = pool_finalize,
  .repr = pool_repr,
  .ops = &pool_slots,
};

gboolean
_ls_gsync_pool_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
                    LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = _ls_gl_vm_of (NULL);
  gboolean pool = GPOINTER_TO_INT (data);
  LsValue size = pool && nargs ? args[0] : ls_none ();
  GPool *p;
  _ls_kwarg (kwnames, kwvalues, "size", &size);
  if (!ls_is_none (size) && (ls_value_kind (size) != LS_KIND_INT || ls_value_as_int (size) < 0))
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "size must not be negative");
      return FALSE;
    }
  p = ls_object_alloc (&_ls_gsync_pool_class, sizeof (GPool));
  p->vm = vm;
  p->members = g_ptr_array_new_with_free_func (ls_object_unref);
  p->dying = g_ptr_array_new ();
  p->empty = event_new (vm, FALSE);
  p->empty->flag = TRUE;
  p->size = -1;
  if (pool && !ls_is_none (size) && ls_value_as_int (size) > 0)
    {
      p->size = ls_value_as_int (size);
      p->sem = sem_new (vm, p->size, FALSE);
    }
  *result = ls_object (p);
  return TRUE;
}
