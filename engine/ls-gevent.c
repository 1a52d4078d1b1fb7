/* ls-gevent.c - gevent's hub, links, Greenlet, Timeout and the gevent module.
 *
 * gevent's hub is a greenlet whose body is C (_ls_gev_hub_next): a FIFO of
 * callbacks (what spawn, sleep(0) and the wake-ups of join schedule) and
 * timers kept in (deadline, creation order), so that timers with equal
 * deadlines fire in the order they were made; when no callback is left
 * it moves the virtual clock to the earliest timer.  The rules, as
 * docs/timeline.md and the README state them:
 *   - spawn(f) schedules f's start as a callback; spawn_later(s, f) as a
 *     timer at now + s;
 *   - sleep(0) (and sleep of a negative time) puts the caller at the end
 *     of the callbacks; sleep(s) puts it on a timer at now + s;
 *   - the hub runs every callback in FIFO order, including those added
 *     while it runs them, before it looks at the timers; then it takes
 *     every timer due at that time as one batch (libev's timers_reify)
 *     and fires them one by one, each a switch into its greenlet, before
 *     any callback those greenlets schedule (libev invokes the pending
 *     timers before the next iteration's prepare, where gevent runs its
 *     callbacks); a timer made meanwhile waits for the next batch;
 *   - a greenlet that finishes returns to the hub, which wakes whoever
 *     joins it through a callback; joinall's list is in completion order;
 *   - when nothing is left the hub throws LoopExit into the main greenlet.
 *
 * A greenlet blocked in the hub is a Blocker: the objects it waits on
 * hold links to it, and whatever wakes it first (an object that became
 * ready, its timeout) computes what it is switched back in with.
 */
#include "ls-greenlet-private.h"

#include <math.h>
#include <string.h>

LsExcType _ls_gev_exc_Timeout = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "Timeout", &ls_exc_BaseException, "gevent.timeout",
};

static LsExcType exc_LoopExit = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "LoopExit", &ls_exc_Exception, "gevent.exceptions",
};

/* ---- the hub ------------------------------------------------------------------------------ */

static void timer_cancel (LsVm *vm, GlState *st, HubItem *it);

/* Takes a timer out of the list, out of the due batch too; FALSE if it
 * was not there. */
gboolean
_ls_gev_timer_remove (GlState *st, HubItem *it)
{
  guint i;

  if (!g_ptr_array_find (st->timers, it, &i))
    return FALSE;
  if (i < st->due)
    st->due--;
  g_ptr_array_remove_index (st->timers, i);
  return TRUE;
}

Blocker *
_ls_gev_blocker_ref (Blocker *b)
{
  b->refs++;
  return b;
}

void
_ls_gev_blocker_unref (Blocker *b)
{
  if (!b || --b->refs)
    return;
  ls_object_unref (b->who);
  ls_value_unref (b->tvalue);
  ls_value_unref (b->texc);
  ls_value_unref (b->item);
  ls_value_unref (b->kill_timeout);
  if (b->objs)
    g_ptr_array_free (b->objs, TRUE);
  if (b->done)
    g_ptr_array_free (b->done, TRUE);
  g_free (b);
}

static void
link_free (Link *l)
{
  _ls_gev_blocker_unref (l->blocker);
  ls_value_unref (l->callback);
  g_free (l);
}

void
_ls_gev_links_init (Links *l, gboolean notify_all)
{
  l->links = g_ptr_array_new ();
  l->notify_all = notify_all;
}

void
_ls_gev_links_clear (Links *l)
{
  if (!l->links)
    return;
  for (guint i = 0; i < l->links->len; i++)
    link_free (g_ptr_array_index (l->links, i));
  g_ptr_array_free (l->links, TRUE);
  l->links = NULL;
}

void
_ls_gev_item_free (HubItem *it)
{
  ls_object_unref (it->target);
  ls_value_unref (it->payload);
  ls_value_unref (it->exc);
  ls_value_unref (it->timeout);
  _ls_gev_blocker_unref (it->blocker);
  ls_object_unref (it->obj);
  if (it->targets)
    g_ptr_array_free (it->targets, TRUE);
  g_free (it);
}

GlState *
_ls_gev_hub_state (LsVm *vm)
{
  GlState *st = _ls_gl_state (vm);
  if (!st->hub)
    {
      st->hub = _ls_gl_greenlet_alloc (vm, st, &_ls_gl_greenlet_class, st->main, ls_none (), "Hub", "Hub.run()");
      st->hub->is_hub = TRUE;
    }
  return st;
}

HubItem *
_ls_gev_item_new (GlState *st, ItemKind kind, LsGreenlet *target, LsValue payload, LsValue exc)
{
  HubItem *it = g_new0 (HubItem, 1);
  it->kind = kind;
  it->seq = ++st->item_seq;
  it->target = target ? ls_object_ref (target) : NULL;
  it->gen = target ? target->wait_gen : 0;
  it->payload = payload;
  it->exc = exc;
  it->timeout = ls_none ();
  return it;
}

void
_ls_gev_hub_callback (GlState *st, HubItem *it)
{
  g_queue_push_tail (&st->callbacks, it);
}

/* A timer at now + seconds; equal deadlines keep creation order. */
static void
hub_timer (LsVm *vm, GlState *st, HubItem *it, double seconds, const char *what)
{
  guint lo = 0, hi = st->timers->len;
  it->deadline = _ls_vm_now (vm) + seconds;
  it->id = ++vm->ids;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      HubItem *o = g_ptr_array_index (st->timers, mid);
      if (o->deadline < it->deadline || (o->deadline == it->deadline && o->seq < it->seq))
        lo = mid + 1;
      else
        hi = mid;
    }
  /* After every timer due now (its seq is the newest): never in the batch. */
  if (lo < st->due)
    st->due++;
  g_ptr_array_insert (st->timers, (gint) lo, it);
  emit (vm, LS_EVENT_TIMER_ADDED, st->current ? st->current->id : 0, it->id, 0, LS_REASON_NONE,
        it->deadline, vm->calling_line, what, NULL);
}

/* Takes a timer out of the list (timer.close()) and frees it. */
static void
timer_cancel (LsVm *vm, GlState *st, HubItem *it)
{
  if (!_ls_gev_timer_remove (st, it))
    return;
  emit (vm, LS_EVENT_TIMER_CANCELLED, st->current ? st->current->id : 0, it->id, 0, LS_REASON_NONE,
        it->deadline, 0, NULL, NULL);
  _ls_gev_item_free (it);
}

/* ---- links ------------------------------------------------------------------------------- */

static Links *
links_of (LsObject *o)
{
  if (o->cls == &_ls_gl_gevent_greenlet_class)
    return &((LsGreenlet *) o)->links;
  if (o->cls == &_ls_gsync_event_class)
    return &((GEvent *) o)->links;
  if (o->cls == &_ls_gsync_sem_class)
    return &((GSem *) o)->links;
  return NULL;
}

static gboolean
linkable_ready (LsObject *o)
{
  if (o->cls == &_ls_gl_gevent_greenlet_class)
    return ((LsGreenlet *) o)->finished;
  if (o->cls == &_ls_gsync_event_class)
    return ((GEvent *) o)->flag;
  if (o->cls == &_ls_gsync_sem_class)
    return ((GSem *) o)->counter > 0;
  return FALSE;
}

/* _check_and_notify: schedules the links' notification when the object
 * is ready and someone is linked. */
void
_ls_gev_check_and_notify (GlState *st, LsObject *o)
{
  Links *l = links_of (o);
  if (l && linkable_ready (o) && l->links->len && !l->notifier)
    {
      HubItem *it = _ls_gev_item_new (st, ITEM_NOTIFY, NULL, ls_none (), ls_none ());
      it->obj = ls_object_ref (o);
      l->notifier = TRUE;
      _ls_gev_hub_callback (st, it);
    }
}

void
_ls_gev_add_link (GlState *st, LsObject *o, Link *link)
{
  g_ptr_array_add (links_of (o)->links, link);
  _ls_gev_check_and_notify (st, o);
}

void
_ls_gev_link_blocker (GlState *st, LsObject *o, Blocker *b)
{
  Link *l = g_new0 (Link, 1);
  l->kind = LINK_BLOCKER;
  l->blocker = _ls_gev_blocker_ref (b);
  l->callback = ls_none ();
  g_ptr_array_add (b->objs, ls_object_ref (o));
  _ls_gev_add_link (st, o, l);
}

/* Removes the links to b from o (unlink). */
static void
unlink_blocker (LsObject *o, Blocker *b)
{
  Links *l = links_of (o);
  if (!l || !l->links)
    return;
  for (guint i = 0; i < l->links->len;)
    {
      Link *k = g_ptr_array_index (l->links, i);
      if (k->kind == LINK_BLOCKER && k->blocker == b)
        {
          g_ptr_array_remove_index (l->links, i);
          link_free (k);
        }
      else
        i++;
    }
}

static void
queue_forget (GQueue *q, Blocker *b)
{
  if (g_queue_remove (q, b))
    _ls_gev_blocker_unref (b);
}

/* The blocker stops waiting: its timeout goes, its links and places in
 * queues go (what gevent's finally blocks do). */
static void
blocker_finish (LsVm *vm, GlState *st, Blocker *b)
{
  if (!b->active)
    return;
  b->active = FALSE;
  if (b->timer)
    {
      HubItem *t = b->timer;
      b->timer = NULL;
      timer_cancel (vm, st, t);
    }
  for (guint i = 0; i < b->objs->len; i++)
    {
      LsObject *o = g_ptr_array_index (b->objs, i);
      if (o->cls == &_ls_gsync_queue_class)
        {
          queue_forget (&((GQueueObj *) o)->getters, b);
          queue_forget (&((GQueueObj *) o)->putters, b);
        }
      else
        unlink_blocker (o, b);
    }
  if (b->who->blocked_on == b)
    {
      b->who->blocked_on = NULL;
      _ls_gev_blocker_unref (b);
    }
}

/* A new blocker for the current greenlet. */
Blocker *
_ls_gev_blocker_new (GlState *st, BlockKind kind)
{
  Blocker *b = g_new0 (Blocker, 1);
  b->refs = 1;
  b->kind = kind;
  b->who = ls_object_ref (st->current);
  b->gen = st->current->wait_gen;
  b->active = TRUE;
  b->tvalue = ls_none ();
  b->texc = ls_none ();
  b->item = ls_none ();
  b->kill_timeout = ls_none ();
  b->objs = g_ptr_array_new_with_free_func (ls_object_unref);
  if (st->current->blocked_on)
    _ls_gev_blocker_unref (st->current->blocked_on);
  st->current->blocked_on = _ls_gev_blocker_ref (b);
  return b;
}

gboolean
_ls_gev_blocker_live (Blocker *b)
{
  return b->active && b->gen == b->who->wait_gen && !b->who->dead;
}

/* The blocker's timeout: after seconds, unless woken first, it stops
 * waiting and gets value, or exc raised. */
void
_ls_gev_blocker_timeout (LsVm *vm, GlState *st, Blocker *b, double seconds, LsValue value, LsValue exc,
                         const char *what)
{
  HubItem *it = _ls_gev_item_new (st, ITEM_TIMEOUT, NULL, ls_none (), ls_none ());
  it->blocker = _ls_gev_blocker_ref (b);
  ls_value_set (&b->tvalue, value);
  ls_value_set (&b->texc, exc);
  b->timer = it;
  hub_timer (vm, st, it, seconds > 0 ? seconds : 0, what);
}

static gboolean hub_wait (LsVm *vm, GlState *st, const char *why, LsValue *result);

/* Blocks the current greenlet on b (taken) until it is woken. */
gboolean
_ls_gev_blocker_wait (LsVm *vm, GlState *st, Blocker *b, const char *why, LsValue *result)
{
  _ls_gev_blocker_unref (b);
  return hub_wait (vm, st, why, result);
}

static LsValue
done_list (Blocker *b)
{
  LsValue l = ls_list_new ();
  for (guint i = 0; b->done && i < b->done->len; i++)
    ls_list_append (l, ls_value_ref (ls_object (g_ptr_array_index (b->done, i))));
  return l;
}

/* What b's greenlet is switched back in with, now that source (NULL for
 * a timeout) woke it: *value (owned) or *exc (owned, else None). */
static void
blocker_deliver (LsVm *vm, GlState *st, Blocker *b, LsObject *source, LsValue *value, LsValue *exc)
{
  *value = ls_none ();
  *exc = ls_none ();
  if (!source)
    {
      if (b->kind == BLOCK_MULTI && !b->iwait)
        *value = b->quiet ? ls_none () : done_list (b);
      else if (!ls_is_none (b->texc))
        *exc = ls_value_ref (b->texc);
      else
        *value = ls_value_ref (b->tvalue);
      return;
    }
  switch (b->kind)
    {
    case BLOCK_SLEEP:
    case BLOCK_JOIN:
    case BLOCK_KILL:
    case BLOCK_QPUT:
      break;
    case BLOCK_GET:
      {
        LsGreenlet *g = (LsGreenlet *) source;
        if (!ls_is_none (g->exception))
          *exc = ls_value_ref (g->exception);
        else
          *value = ls_value_ref (g->value);
      }
      break;
    case BLOCK_MULTI:
      *value = b->quiet ? ls_none () : done_list (b);
      break;
    case BLOCK_EVENT:
      *value = ls_bool (((GEvent *) source)->flag);
      break;
    case BLOCK_RESULT:
    case BLOCK_RESULT_WAIT:
      {
        GEvent *e = (GEvent *) source;
        if (b->kind == BLOCK_RESULT && !e->has_value)
          *exc = ls_value_ref (e->exception);
        else
          *value = ls_value_ref (e->value);
      }
      break;
    case BLOCK_SEM:
      ((GSem *) source)->counter--;
      *value = ls_bool (TRUE);
      break;
    case BLOCK_SEM_WAIT:
      *value = ls_int (((GSem *) source)->counter);
      break;
    case BLOCK_POOL_ADD:
      {
        GSem *s = (GSem *) source;
        LsGreenlet *g = (LsGreenlet *) ls_value_as_object (b->item);
        s->counter--;
        /* The pool is the object the blocker's second place names. */
        _ls_gsync_pool_add_started (st, (GPool *) g_ptr_array_index (b->objs, 1), g);
        *value = ls_value_ref (b->item);
      }
      break;
    case BLOCK_QGET:
    case BLOCK_QPEEK:
      _ls_gsync_queue_take ((GQueueObj *) source, b->kind == BLOCK_QPEEK, value);
      if (b->for_loop && ls_value_identical (*value, ls_object (&ls_exc_StopIteration)))
        {
          /* The end of the iteration: thrown into the for loop (FOR_ITER). */
          ls_value_unref (*value);
          *value = ls_none ();
          *exc = ls_exc_new (&ls_exc_StopIteration, 0, NULL);
        }
      break;
    }
}

/* Wakes b's greenlet (it is live): *target and what it gets. */
void
_ls_gev_blocker_wake (LsVm *vm, GlState *st, Blocker *b, LsObject *source, LsGreenlet **target, LsValue *args,
                      LsValue *exc)
{
  LsValue v;
  _ls_gev_blocker_ref (b);
  blocker_deliver (vm, st, b, source, &v, exc);
  blocker_finish (vm, st, b);
  *target = ls_object_ref (b->who);
  *args = ls_tuple_new (1, &v);
  _ls_gev_blocker_unref (b);
}

static gboolean greenlet_successful (LsGreenlet *g);

/* Calls one link of source in the hub; TRUE when it switches somewhere
 * (*target, *args, *exc). */
static gboolean
link_fire (LsVm *vm, GlState *st, Link *l, LsObject *source, LsGreenlet **target, LsValue *args,
           LsValue *exc)
{
  switch (l->kind)
    {
    case LINK_BLOCKER:
      {
        Blocker *b = l->blocker;
        if (!b->active || (!b->iwait && !_ls_gev_blocker_live (b)))
          return FALSE;
        if (b->iwait)
          {
            /* MultipleWaiter: keeps what told it, switches when waited on. */
            g_ptr_array_add (b->done, ls_object_ref (source));
            unlink_blocker (source, b);
            if (b->who->blocked_on == b && b->done->len >= b->count)
              {
                LsValue src = ls_value_ref (ls_object (source));
                b->who->blocked_on = NULL;
                _ls_gev_blocker_unref (b);
                *target = ls_object_ref (b->who);
                *args = ls_tuple_new (1, &src);
                *exc = ls_none ();
                return TRUE;
              }
            return FALSE;
          }
        if (b->kind == BLOCK_MULTI)
          {
            gboolean failed = source->cls == &_ls_gl_gevent_greenlet_class
                              && !ls_is_none (((LsGreenlet *) source)->exception);
            g_ptr_array_add (b->done, ls_object_ref (source));
            if (b->raise_error && failed)
              {
                _ls_gev_blocker_ref (b);
                blocker_finish (vm, st, b);
                *target = ls_object_ref (b->who);
                *args = ls_tuple_new (0, NULL);
                *exc = ls_value_ref (((LsGreenlet *) source)->exception);
                _ls_gev_blocker_unref (b);
                return TRUE;
              }
            if (b->done->len < b->count)
              {
                unlink_blocker (source, b);
                return FALSE;
              }
          }
        if (b->kind == BLOCK_SEM || b->kind == BLOCK_POOL_ADD)
          if (!linkable_ready (source))
            return FALSE;
        _ls_gev_blocker_wake (vm, st, b, source, target, args, exc);
        return TRUE;
      }
    case LINK_SPAWNED:
      {
        gboolean ok = greenlet_successful ((LsGreenlet *) source);
        LsGreenlet *g;
        LsValue src = ls_value_ref (ls_object (source));
        char *what, *name, *fname;
        if ((l->filter == 1 && !ok) || (l->filter == 2 && ok))
          {
            ls_value_unref (src);
            return FALSE;
          }
        /* SpawnedLink: a plain greenlet of the hub, switched to at once. */
        what = _ls_gl_describe_call (l->callback, ls_none (), ls_none ());
        fname = _ls_gl_func_name (l->callback);
        name = g_strdup_printf ("greenlet %s", fname);
        g = _ls_gl_greenlet_alloc (vm, st, &_ls_gl_greenlet_class, st->hub, l->callback, name, what);
        {
          LsValue pair[2] = { ls_value_ref (l->callback), ls_value_ref (src) };
          ls_value_set (&g->link_context, ls_tuple_new (2, pair));
        }
        g_free (name);
        g_free (fname);
        g_free (what);
        *target = g;
        *args = ls_tuple_new (1, &src);
        *exc = ls_none ();
        return TRUE;
      }
    case LINK_RAW:
      {
        LsValue src = ls_object (source), r;
        if (!ls_call (l->callback, &src, 1, &r))
          {
            LsValue pair[2] = { ls_value_ref (l->callback), ls_value_ref (src) };
            LsValue context = ls_tuple_new (2, pair);
            _ls_gev_link_report_error (vm, context, FALSE, r);
            ls_value_unref (context);
          }
        ls_value_unref (r);
        return FALSE;
      }
    case LINK_DISCARD:
      _ls_gsync_group_discard (st, (GPool *) ls_value_as_object (l->callback), (LsGreenlet *) source);
      return FALSE;
    }
  return FALSE;
}

/* One step of _notify_links (the item first in the callbacks): TRUE when
 * a link switches somewhere, the item staying first. */
static gboolean
notify_step (LsVm *vm, GlState *st, HubItem *it, LsGreenlet **target, LsValue *args, LsValue *exc)
{
  LsObject *o = it->obj;
  Links *l = links_of (o);
  gboolean greenlet = o->cls == &_ls_gl_gevent_greenlet_class;

  if (!it->begun)
    {
      it->begun = TRUE;
      it->remaining = l->links->len;
    }
  /* A Greenlet tells every link, new ones too; AbstractLinkable those
   * there at the start, while it stays ready unless it notifies all. */
  while (l->links->len && (greenlet || it->remaining > 0))
    {
      Link *k;
      gboolean switched;
      if (!greenlet && !l->notify_all && !linkable_ready (o))
        break;
      k = g_ptr_array_steal_index (l->links, 0);
      it->remaining--;
      switched = link_fire (vm, st, k, o, target, args, exc);
      link_free (k);
      if (switched)
        return TRUE;
    }
  l->notifier = FALSE;
  if (!greenlet)
    _ls_gev_check_and_notify (st, o);
  return FALSE;
}

static gboolean kill_step (LsVm *vm, GlState *st, HubItem *it, LsGreenlet **target, LsValue *args,
                           LsValue *exc);

/* What the hub does next: the switch it makes (target taken by the
 * caller, args/kwargs/exc owned). */
void
_ls_gev_hub_next (LsVm *vm, GlState *st, LsGreenlet **target, LsValue *args, LsValue *kwargs, LsValue *exc,
                  const char **why)
{
  *kwargs = ls_none ();
  *why = "idle";
  for (;;)
    {
      HubItem *it = NULL;

      if (st->due > 0)
        {
          /* The batch of due timers comes first, whatever the greenlets
           * they woke have scheduled since. */
          it = g_ptr_array_steal_index (st->timers, 0);
          st->due--;
          emit (vm, LS_EVENT_TIMER_FIRED, 0, it->id, 0, LS_REASON_NONE, it->deadline, 0, NULL, NULL);
          if (!ls_is_none (it->timeout))
            g_hash_table_remove (st->timeouts, ls_value_as_object (it->timeout));
        }
      else
        it = g_queue_pop_head (&st->callbacks);
      if (it && (it->kind == ITEM_NOTIFY || it->kind == ITEM_UNLOCK || it->kind == ITEM_KILL))
        {
          gboolean switched = it->kind == ITEM_NOTIFY ? notify_step (vm, st, it, target, args, exc)
                              : it->kind == ITEM_UNLOCK ? _ls_gsync_unlock_step (vm, st, it, target, args, exc)
                              : kill_step (vm, st, it, target, args, exc);
          if (switched)
            {
              g_queue_push_head (&st->callbacks, it);
              return;
            }
          _ls_gev_item_free (it);
          continue;
        }
      if (!it && st->timers->len)
        {
          HubItem *first = g_ptr_array_index (st->timers, 0);
          double now;
          if (first->deadline > _ls_vm_now (vm) && !ls_loop_get_running ())
            {
              /* The hub has nothing to do until then: it is switched
               * out to nobody while the clock moves, so that its lane
               * shows it idle, waiting on the timer, not busy. */
              emit (vm, LS_EVENT_GREENLET_SWITCH, 0, 0, st->hub->id, LS_REASON_NONE, 0, 0, "timer", NULL);
              vm->clock = first->deadline;
              emit (vm, LS_EVENT_CLOCK_ADVANCED, 0, 0, 0, LS_REASON_NONE, vm->clock, 0, NULL, NULL);
              emit (vm, LS_EVENT_GREENLET_SWITCH, st->hub->id, 0, 0, LS_REASON_NONE, 0, 0, "timer", NULL);
            }
          /* Every timer due now is this batch (the first at least: inside
           * a running asyncio loop the clock is not the hub's to move). */
          now = MAX (_ls_vm_now (vm), first->deadline);
          for (st->due = 1; st->due < st->timers->len; st->due++)
            if (((HubItem *) g_ptr_array_index (st->timers, st->due))->deadline > now)
              break;
          continue;
        }
      if (!it)
        {
          /* Nothing left to run: Hub.run ends, and the main greenlet
           * learns that what it waits for can never happen. */
          *target = ls_object_ref (st->main);
          *args = ls_tuple_new (0, NULL);
          *exc = ls_exc_newf (&exc_LoopExit, "This operation would block forever");
          return;
        }
      switch (it->kind)
        {
        case ITEM_START:
          if (it->target->dead || it->target->started || it->target->finished)
            break;
          it->target->start_scheduled = FALSE;
          *target = ls_object_ref (it->target);
          *args = ls_value_ref (it->target->args);
          *kwargs = ls_value_ref (it->target->kwargs);
          *exc = ls_none ();
          _ls_gev_item_free (it);
          return;
        case ITEM_WAKE:
          /* Woken since (or dead): stale.  A Timeout (gen G_MAXUINT)
           * fires whatever its greenlet waits on. */
          if (it->target->dead || (it->gen != G_MAXUINT && it->gen != it->target->wait_gen))
            break;
          *target = ls_object_ref (it->target);
          *args = ls_value_steal (&it->payload);
          *exc = ls_value_steal (&it->exc);
          _ls_gev_item_free (it);
          return;
        case ITEM_TIMEOUT:
          {
            Blocker *b = it->blocker;
            gboolean live = _ls_gev_blocker_live (b) && b->who->blocked_on == b;
            b->timer = NULL;      /* this one, out of the list already */
            if (b->iwait && b->active && !live)
              {
                blocker_finish (vm, st, b);   /* over: the next next() ends */
                break;
              }
            if (!live)
              break;
            _ls_gev_blocker_wake (vm, st, b, NULL, target, args, exc);
            _ls_gev_item_free (it);
            return;
          }
        default:
          break;
        }
      _ls_gev_item_free (it);
    }
}

/* Hub.handle_error's report: the traceback (with frames, the compiled
 * gevent code that called the program's, above the program's own, as
 * Debian's gevent 22.10 prints it), then the time and who failed. */
static void
report_failure (LsVm *vm, const char *frames, const char *who, LsValue exc)
{
  char *tb = _ls_vm_format_traceback (vm, exc);
  const LsExcType *t = ls_exc_type (exc);
  const char *nl = strchr (tb, '\n');
  GDateTime *dt = g_date_time_new_from_unix_utc ((gint64) floor (vm->options.epoch + _ls_vm_now (vm)));
  char *when = dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
  GString *s = g_string_new (NULL);

  if (g_str_has_prefix (tb, "Traceback (most recent call last):\n") && nl)
    {
      g_string_append_len (s, tb, nl + 1 - tb);
      g_string_append (s, frames);
      g_string_append (s, nl + 1);
    }
  else
    g_string_append (s, tb);
  g_string_append_printf (s, "%s %s failed with %s\n\n", when, who, t ? t->name : "exception");
  ls_vm_print (vm, TRUE, s->str);
  g_string_free (s, TRUE);
  if (dt)
    g_date_time_unref (dt);
  g_free (when);
  g_free (tb);
}

static void
report_error (LsVm *vm, LsGreenlet *g, LsValue exc)
{
  char *who = _ls_gl_greenlet_repr ((LsObject *) g);
  report_failure (vm, "  File \"src/gevent/greenlet.py\", line 908, in gevent._gevent_cgreenlet.Greenlet.run\n",
                  who, exc);
  g_free (who);
}

/* The hub's report of a link that raised (context: the tuple (callback,
 * greenlet) gevent names): below the frames of the compiled
 * Greenlet._notify_links and, for link(cb), of SpawnedLink.__call__. */
void
_ls_gev_link_report_error (LsVm *vm, LsValue context, gboolean spawned, LsValue exc)
{
  char *who = ls_value_repr (context);
  char *at = g_str_has_prefix (who, "(<function ") ? strstr (who, " at 0x") : NULL;

  /* The callback's address, made up like the greenlets' so that the
   * report is the same on every run. */
  if (at)
    {
      char *end = strchr (at, '>');
      char *fixed = g_strdup_printf ("%.*s at 0x%" G_GINT64_MODIFIER "x%s", (int) (at - who), who,
                                     FAKE_ADDRESS (0) + 0xa0000, end ? end : "");
      g_free (who);
      who = fixed;
    }
  report_failure (vm, spawned
                  ? "  File \"src/gevent/greenlet.py\", line 1026, in gevent._gevent_cgreenlet.Greenlet._notify_links\n"
                    "  File \"src/gevent/greenlet.py\", line 84, in gevent._gevent_cgreenlet.SpawnedLink.__call__\n"
                  : "  File \"src/gevent/greenlet.py\", line 1026, in gevent._gevent_cgreenlet.Greenlet._notify_links\n",
                  who, exc);
  g_free (who);
}

void
_ls_gev_on_death (LsVm *vm, GlState *st, LsGreenlet *g, LsCoroStatus how, LsValue out)
{
  gboolean error = how == LS_CORO_RAISE && !ls_exc_matches (out, &_ls_gl_exc_GreenletExit);
  /* _report_result / _report_error: the result, the links told through
   * a callback, then (an error) the hub's report. */
  g->finished = TRUE;
  if (error)
    ls_value_set (&g->exception, ls_value_ref (out));
  else
    ls_value_set (&g->value, ls_value_ref (out));
  _ls_gev_check_and_notify (st, (LsObject *) g);
  if (error)
    report_error (vm, g, out);
  ls_value_unref (out);
}

/* Waits in the hub: the current greenlet switches to it and comes back
 * with what its wake-up brings. */
static gboolean
hub_wait (LsVm *vm, GlState *st, const char *why, LsValue *result)
{
  if (st->current == st->hub)
    {
      *result = ls_exc_newf (&ls_exc_RuntimeError, "the hub cannot wait");
      return FALSE;
    }
  return _ls_gl_switch (vm, st->hub, ls_tuple_new (0, NULL), ls_none (), ls_none (), why, result);
}

static gboolean
gevent_sleep_secs (LsVm *vm, double secs, LsValue *result)
{
  GlState *st = _ls_gev_hub_state (vm);
  if (secs > 0)
    {
      /* with loop.timer(seconds) as t: hub.wait(t) */
      Blocker *b = _ls_gev_blocker_new (st, BLOCK_SLEEP);
      _ls_gev_blocker_timeout (vm, st, b, secs, ls_none (), ls_none (), "gevent.sleep");
      return _ls_gev_blocker_wait (vm, st, b, "sleep", result);
    }
  {
    LsValue none = ls_none ();
    HubItem *it = _ls_gev_item_new (st, ITEM_WAKE, st->current, ls_tuple_new (1, &none), ls_none ());
    it->gen = st->current->wait_gen;
    _ls_gev_hub_callback (st, it);
    return hub_wait (vm, st, "sleep(0)", result);
  }
}
static gboolean
get_seconds (LsValue v, double *secs, LsValue *error)
{
  switch (ls_value_kind (v))
    {
    case LS_KIND_INT:
    case LS_KIND_BOOL:
      *secs = ls_value_kind (v) == LS_KIND_BOOL ? ls_value_as_bool (v) : (double) ls_value_as_int (v);
      return TRUE;
    case LS_KIND_FLOAT:
      *secs = ls_value_as_float (v);
      if (isnan (*secs))
        {
          *error = ls_exc_newf (&ls_exc_ValueError, "Invalid value NaN (not a number)");
          return FALSE;
        }
      return TRUE;
    default:
      *error = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as a number of seconds",
                            ls_value_class (v)->name);
      return FALSE;
    }
}

/* gevent.sleep(seconds=0) */
static gboolean
gevent_sleep (LsValue self, gpointer data, const LsValue *args, guint nargs,
              LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsValue v = nargs ? args[0] : ls_int (0);
  double secs;
  _ls_kwarg (kwnames, kwvalues, "seconds", &v);
  if (nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "sleep() takes at most 2 arguments (%u given)", nargs);
      return FALSE;
    }
  if (!get_seconds (v, &secs, result))
    return FALSE;
  if (!gevent_sleep_secs (_ls_gl_vm_of (data), secs, result))
    return FALSE;
  /* sleep() returns None whatever it was switched back in with. */
  ls_value_set (result, ls_none ());
  return TRUE;
}

gboolean
_ls_gevent_patched_sleep (LsVm *vm, double secs, gboolean *ok, LsValue *result)
{
  GlState *st = vm->greenlets;
  if (!st || !st->patched || ls_loop_get_running () || vm->job_loop)
    return FALSE;
  *ok = gevent_sleep_secs (vm, secs, result);
  return TRUE;
}

/* Greenlet(run, *args, **kwargs); spawn() and spawn_later() start it. */
gboolean
_ls_gev_greenlet_new (LsVm *vm, const LsValue *args, guint nargs, LsValue kwnames,
                      const LsValue *kwvalues, gboolean start, double delay, LsValue *result)
{
  GlState *st = _ls_gev_hub_state (vm);
  LsGreenlet *g;
  LsValue run, fargs, fkw;
  gboolean ok;
  char *what, *name;

  if (nargs < 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "spawn() missing 1 required positional argument: 'run'");
      return FALSE;
    }
  run = args[0];
  if (!ls_value_callable (run))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "The run argument or self._run must be callable");
      return FALSE;
    }
  fargs = _ls_gl_args_tuple (args + 1, nargs - 1);
  fkw = _ls_gl_kwargs_dict (kwnames, kwvalues, result, &ok);
  if (!ok)
    {
      ls_value_unref (fargs);
      ls_value_unref (fkw);
      return FALSE;
    }
  what = _ls_gl_describe_call_as (run, fargs, fkw, TRUE);
  name = g_strdup_printf ("Greenlet-%u", st->gevent_numbers);
  g = _ls_gl_greenlet_alloc (vm, st, &_ls_gl_gevent_greenlet_class, st->hub, run, name, what);
  g->gevent_number = st->gevent_numbers++;
  ls_value_set (&g->args, fargs);
  g->kwargs = fkw;
  g_free (name);
  g_free (what);
  _ls_gev_links_init (&g->links, TRUE);
  if (start)
    {
      HubItem *it = _ls_gev_item_new (st, ITEM_START, g, ls_none (), ls_none ());
      g->start_scheduled = TRUE;
      g->start_called = TRUE;
      if (delay > 0)
        hub_timer (vm, st, it, delay, "spawn_later");
      else
        _ls_gev_hub_callback (st, it);
    }
  *result = ls_object (g);
  return TRUE;
}

/* gevent.spawn(run, *args, **kwargs) */
gboolean
_ls_gev_spawn (LsValue self, gpointer data, const LsValue *args, guint nargs,
               LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  return _ls_gev_greenlet_new (_ls_gl_vm_of (data), args, nargs, kwnames, kwvalues, TRUE, 0, result);
}

/* gevent.spawn_later(seconds, run, *args, **kwargs) */
gboolean
_ls_gev_spawn_later (LsValue self, gpointer data, const LsValue *args, guint nargs,
                     LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  double secs;
  if (nargs < 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "spawn_later() missing required arguments: 'seconds' and 'run'");
      return FALSE;
    }
  if (!get_seconds (args[0], &secs, result))
    return FALSE;
  return _ls_gev_greenlet_new (_ls_gl_vm_of (data), args + 1, nargs - 1, kwnames, kwvalues, TRUE,
                               secs > 0 ? secs : 0, result);
}

gboolean
_ls_gev_optional_timeout (LsValue v, double *timeout, LsValue *error)
{
  if (ls_is_none (v))
    {
      *timeout = -1;
      return TRUE;
    }
  if (!get_seconds (v, timeout, error))
    return FALSE;
  if (*timeout < 0)
    *timeout = 0;
  return TRUE;
}

/* The objects of a sequence, each a gevent greenlet, Event, AsyncResult
 * or Semaphore (what wait() can wait on); NULL and *error otherwise. */
static GPtrArray *
linkables_of (LsValue seq, const char *fn, LsValue *error)
{
  LsValue it, item;
  GPtrArray *objs;
  int r;

  if (!ls_op_iter (seq, &it))
    {
      *error = it;
      return NULL;
    }
  objs = g_ptr_array_new_with_free_func (ls_object_unref);
  while ((r = ls_op_next (it, &item)) == 1)
    {
      if (!ls_is_object (item) || !links_of (ls_value_as_object (item)))
        {
          *error = ls_exc_newf (&ls_exc_TypeError, "%s() takes greenlets, events and results, not %s",
                                fn, ls_value_class (item)->name);
          ls_value_unref (item);
          ls_value_unref (it);
          g_ptr_array_free (objs, TRUE);
          return NULL;
        }
      g_ptr_array_add (objs, ls_value_as_object (item));     /* the reference next() gave */
    }
  ls_value_unref (it);
  if (r < 0)
    {
      g_ptr_array_free (objs, TRUE);
      *error = item;
      return NULL;
    }
  ls_value_unref (item);
  return objs;
}

/* wait_on_objects: list(iwait(objects, timeout, count)).  Every object
 * is rawlinked (one that is ready already tells through a callback too),
 * and the list is the order they told in. */
static gboolean
wait_objects (LsVm *vm, GPtrArray *objs, LsValue count_v, double timeout, gboolean raise_error,
              const char *why, LsValue *result)
{
  GlState *st = _ls_gev_hub_state (vm);
  guint count = objs->len;
  Blocker *b;

  if (!ls_is_none (count_v) && ls_value_kind (count_v) == LS_KIND_INT)
    count = (guint) CLAMP (ls_value_as_int (count_v), 0, (gint64) objs->len);
  if (count == 0)
    {
      *result = ls_list_new ();
      return TRUE;
    }
  b = _ls_gev_blocker_new (st, BLOCK_MULTI);
  b->done = g_ptr_array_new_with_free_func (ls_object_unref);
  b->count = count;
  b->raise_error = raise_error;
  for (guint i = 0; i < objs->len; i++)
    _ls_gev_link_blocker (st, g_ptr_array_index (objs, i), b);
  if (timeout >= 0)
    _ls_gev_blocker_timeout (vm, st, b, timeout, ls_none (), ls_none (), "wait timeout");
  return _ls_gev_blocker_wait (vm, st, b, why, result);
}

/* gevent.joinall(greenlets, timeout=None, raise_error=False, count=None)
 * and gevent.wait(objects=None, timeout=None, count=None). */
static gboolean
gevent_joinall_common (gboolean joinall, gpointer data, const LsValue *args, guint nargs,
                       LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = _ls_gl_vm_of (data);
  const char *fn = joinall ? "joinall" : "wait";
  LsValue seq = nargs ? args[0] : ls_none (), tmo = nargs > 1 ? args[1] : ls_none ();
  LsValue raise_error = ls_bool (FALSE), count_v = ls_none ();
  GPtrArray *objs;
  double timeout;
  gboolean ok;

  if (joinall)
    {
      raise_error = nargs > 2 ? args[2] : raise_error;
      count_v = nargs > 3 ? args[3] : count_v;
      _ls_kwarg (kwnames, kwvalues, "greenlets", &seq);
      _ls_kwarg (kwnames, kwvalues, "raise_error", &raise_error);
    }
  else
    {
      count_v = nargs > 2 ? args[2] : count_v;
      _ls_kwarg (kwnames, kwvalues, "objects", &seq);
    }
  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  _ls_kwarg (kwnames, kwvalues, "count", &count_v);
  if (ls_is_none (seq))
    {
      if (joinall)
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "joinall() missing 1 required positional argument: 'greenlets'");
          return FALSE;
        }
      *result = ls_exc_newf (&ls_exc_RuntimeError, "gevent.wait() without objects (waiting for the whole "
                             "hub) is not supported");
      return FALSE;
    }
  if (!_ls_gev_optional_timeout (tmo, &timeout, result))
    return FALSE;
  objs = linkables_of (seq, fn, result);
  if (!objs)
    return FALSE;
  ok = wait_objects (vm, objs, count_v, timeout, ls_value_truthy (raise_error), fn, result);
  g_ptr_array_free (objs, TRUE);
  return ok;
}

static gboolean
gevent_joinall (LsValue self, gpointer data, const LsValue *args, guint nargs,
                LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  return gevent_joinall_common (TRUE, data, args, nargs, kwnames, kwvalues, result);
}

static gboolean
gevent_wait (LsValue self, gpointer data, const LsValue *args, guint nargs,
             LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  return gevent_joinall_common (FALSE, data, args, nargs, kwnames, kwvalues, result);
}

/* gevent.iwait(objects, timeout=None, count=None): an iterator whose
 * next() waits for the next object to be ready. */
typedef struct {
  LsObject base;
  LsVm *vm;
  GPtrArray *objs;           /* strong, each linked to the blocker */
  Blocker *b;                /* strong; NULL before the first next() */
  guint given;               /* objects returned */
  guint count;
  double timeout;            /* < 0: none */
  gboolean over;
} IWait;

static void
iwait_cleanup (IWait *w)
{
  w->over = TRUE;
  if (w->b)
    {
      GlState *st = w->vm->greenlets;
      w->b->active = TRUE;
      if (st)
        blocker_finish (w->vm, st, w->b);
      _ls_gev_blocker_unref (w->b);
      w->b = NULL;
    }
}

static void
iwait_finalize (LsObject *self)
{
  IWait *w = (IWait *) self;
  if (w->vm)
    iwait_cleanup (w);
  g_ptr_array_free (w->objs, TRUE);
}

static int
iwait_next (LsObject *self, LsValue *out)
{
  IWait *w = (IWait *) self;
  GlState *st = _ls_gev_hub_state (w->vm);
  Blocker *b;

  *out = ls_none ();
  if (w->over || w->given >= w->count)
    {
      iwait_cleanup (w);
      return 0;
    }
  if (!w->b)
    {
      /* _begin: rawlink every object, start the timer. */
      b = w->b = _ls_gev_blocker_new (st, BLOCK_MULTI);
      b->done = g_ptr_array_new_with_free_func (ls_object_unref);
      b->count = 1;
      b->iwait = TRUE;
      for (guint i = 0; i < w->objs->len; i++)
        _ls_gev_link_blocker (st, g_ptr_array_index (w->objs, i), b);
      if (w->timeout >= 0)
        _ls_gev_blocker_timeout (w->vm, st, b, w->timeout, ls_none (), ls_exc_new (&ls_exc_StopIteration, 0, NULL),
                                 "iwait timeout");
    }
  b = w->b;
  if (b->done->len > w->given)
    {
      *out = ls_value_ref (ls_object (g_ptr_array_index (b->done, w->given)));
      w->given++;
      return 1;
    }
  if (!b->active && b->done->len <= w->given)
    {
      iwait_cleanup (w);         /* the timer expired */
      return 0;
    }
  if (st->current != st->main && !_ls_vm_slot_may_switch (w->vm, self))
    {
      /* next() called by C code (list(), a generator): it cannot wait. */
      *out = ls_exc_newf (&ls_exc_RuntimeError, "gevent.iwait() that must wait, driven by a built-in in a "
                          "greenlet other than the main one, is not supported: use a for loop");
      return -1;
    }
  /* Wait for one more: the blocker stays linked to the others. */
  b->count = w->given + 1;
  b->gen = st->current->wait_gen;
  if (b->who->blocked_on == b)
    {
      /* Still there from the last next(): that place holds a reference. */
      b->who->blocked_on = NULL;
      _ls_gev_blocker_unref (b);
    }
  ls_object_unref (b->who);
  b->who = ls_object_ref (st->current);
  if (st->current->blocked_on)
    _ls_gev_blocker_unref (st->current->blocked_on);
  st->current->blocked_on = _ls_gev_blocker_ref (b);
  {
    LsValue r;
    gboolean main = st->current == st->main;
    if (!hub_wait (w->vm, st, "iwait", &r))
      {
        if (ls_exc_matches (r, &ls_exc_StopIteration))
          {
            ls_value_unref (r);
            iwait_cleanup (w);
            return 0;
          }
        *out = r;
        return -1;
      }
    if (!main)
      {
        /* A greenlet: the object it is switched back in with replaces
         * this placeholder. */
        w->given++;
        *out = r;
        return 1;
      }
    ls_value_unref (r);
    if (b->done->len > w->given)
      {
        *out = ls_value_ref (ls_object (g_ptr_array_index (b->done, w->given)));
        w->given++;
        return 1;
      }
    iwait_cleanup (w);
    return 0;
  }
}

static gboolean
iwait_iter (LsObject *self, LsValue *out)
{
  *out = ls_value_ref (ls_object (self));
  return TRUE;
}

static const LsTypeSlots iwait_slots = { .iter = iwait_iter, .next = iwait_next };

static const LsClass iwait_class = {
  .name = "_WaitIterator",
  .finalize = iwait_finalize,
  .ops = &iwait_slots,
};

static gboolean
gevent_iwait (LsValue self, gpointer data, const LsValue *args, guint nargs,
              LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = _ls_gl_vm_of (data);
  LsValue seq = nargs ? args[0] : ls_none (), tmo = nargs > 1 ? args[1] : ls_none ();
  LsValue count_v = nargs > 2 ? args[2] : ls_none ();
  IWait *w;
  GPtrArray *objs;
  double timeout;

  _ls_kwarg (kwnames, kwvalues, "objects", &seq);
  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  _ls_kwarg (kwnames, kwvalues, "count", &count_v);
  if (!_ls_gev_optional_timeout (tmo, &timeout, result))
    return FALSE;
  objs = linkables_of (seq, "iwait", result);
  if (!objs)
    return FALSE;
  _ls_gev_hub_state (vm);
  w = ls_object_alloc (&iwait_class, sizeof (IWait));
  w->vm = vm;
  w->objs = objs;
  w->timeout = timeout;
  w->count = objs->len;
  if (!ls_is_none (count_v) && ls_value_kind (count_v) == LS_KIND_INT)
    w->count = (guint) CLAMP (ls_value_as_int (count_v), 0, (gint64) objs->len);
  *result = ls_object (w);
  return TRUE;
}

/* Greenlet.join(timeout=None) */
static gboolean
gevent_join_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                    LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  LsValue tmo = nargs ? args[0] : ls_none ();
  GlState *st = _ls_gev_hub_state (g->vm);
  double timeout;
  Blocker *b;

  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  if (!_ls_gev_optional_timeout (tmo, &timeout, result))
    return FALSE;
  if (g->finished || g->dead)
    {
      *result = ls_none ();
      return TRUE;
    }
  if (g == st->current)
    {
      *result = ls_exc_newf (&ls_exc_RuntimeError, "a greenlet cannot join itself");
      return FALSE;
    }
  b = _ls_gev_blocker_new (st, BLOCK_JOIN);
  _ls_gev_link_blocker (st, (LsObject *) g, b);
  if (timeout >= 0)
    _ls_gev_blocker_timeout (g->vm, st, b, timeout, ls_none (), ls_none (), "join timeout");
  return _ls_gev_blocker_wait (g->vm, st, b, "join", result);
}

LsValue
_ls_gev_timeout_new (double seconds)
{
  LsValue v = ls_float (seconds);
  return ls_exc_new (&_ls_gev_exc_Timeout, 1, &v);
}

/* Greenlet.get(block=True, timeout=None) */
gboolean
_ls_gev_get_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                    LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  LsValue block = nargs ? args[0] : ls_bool (TRUE), tmo = nargs > 1 ? args[1] : ls_none ();
  GlState *st = _ls_gev_hub_state (g->vm);
  double timeout;
  Blocker *b;

  _ls_kwarg (kwnames, kwvalues, "block", &block);
  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  if (!_ls_gev_optional_timeout (tmo, &timeout, result))
    return FALSE;
  if (g->finished)
    {
      if (!ls_is_none (g->exception))
        {
          *result = ls_value_ref (g->exception);
          return FALSE;
        }
      *result = ls_value_ref (g->value);
      return TRUE;
    }
  if (!ls_value_truthy (block))
    {
      *result = ls_exc_new (&_ls_gev_exc_Timeout, 0, NULL);
      return FALSE;
    }
  if (g == st->current)
    {
      *result = ls_exc_newf (&ls_exc_RuntimeError, "a greenlet cannot wait for itself");
      return FALSE;
    }
  b = _ls_gev_blocker_new (st, BLOCK_GET);
  _ls_gev_link_blocker (st, (LsObject *) g, b);
  if (timeout >= 0)
    _ls_gev_blocker_timeout (g->vm, st, b, timeout, ls_none (), _ls_gev_timeout_new (timeout), "get timeout");
  return _ls_gev_blocker_wait (g->vm, st, b, "get", result);
}

/* _kill / _killall3, a callback of the hub: throws into each target
 * still alive, each running until it blocks or ends; then wakes the
 * killer that waits, who goes on to join those that survived. */
static gboolean
kill_step (LsVm *vm, GlState *st, HubItem *it, LsGreenlet **target, LsValue *args, LsValue *exc)
{
  GPtrArray *diehards;
  Blocker *b = it->blocker;

  while ((guint) it->phase < it->targets->len)
    {
      LsGreenlet *g = g_ptr_array_index (it->targets, it->phase++);
      if (!g->dead && !g->finished)
        {
          *target = ls_object_ref (g);
          *args = ls_tuple_new (0, NULL);
          *exc = ls_value_ref (it->exc);
          return TRUE;
        }
    }
  if (!b || (guint) it->phase > it->targets->len)
    return FALSE;
  it->phase++;
  if (!_ls_gev_blocker_live (b))
    return FALSE;
  /* Group.kill joins its members, dead or not, while the group still
   * holds them: a member whose links are not told yet (its _discard
   * among them) is joined once they are. */
  diehards = g_ptr_array_new ();
  for (guint i = 0; i < it->targets->len; i++)
    {
      LsGreenlet *g = g_ptr_array_index (it->targets, i);
      if ((!g->dead && !g->finished) || (it->group && g->links.notifier))
        g_ptr_array_add (diehards, g);
    }
  if (!diehards->len)
    {
      g_ptr_array_free (diehards, TRUE);
      _ls_gev_blocker_wake (vm, st, b, (LsObject *) st->hub, target, args, exc);
      return TRUE;
    }
  /* join(timeout) / joinall(alive): the killer goes on waiting. */
  b->kind = BLOCK_MULTI;
  b->quiet = TRUE;
  b->done = g_ptr_array_new_with_free_func (ls_object_unref);
  b->count = diehards->len;
  for (guint i = 0; i < diehards->len; i++)
    _ls_gev_link_blocker (st, g_ptr_array_index (diehards, i), b);
  g_ptr_array_free (diehards, TRUE);
  if (!ls_is_none (b->kill_timeout))
    _ls_gev_blocker_timeout (vm, st, b, ls_value_as_float (b->kill_timeout), ls_none (), ls_none (),
                             "join timeout");
  return FALSE;
}

/* Schedules the throw of exc (taken) into targets (borrowed); block:
 * the current greenlet waits until they died, at most timeout seconds
 * (group: Group.kill, until their links were told too). */
gboolean
_ls_gev_kill_schedule (LsVm *vm, GlState *st, GPtrArray *targets, LsValue exc, gboolean block, double timeout,
                       gboolean group, LsValue *result)
{
  HubItem *it = _ls_gev_item_new (st, ITEM_KILL, NULL, ls_none (), exc);
  it->group = group;
  it->targets = g_ptr_array_new_with_free_func (ls_object_unref);
  for (guint i = 0; i < targets->len; i++)
    g_ptr_array_add (it->targets, ls_object_ref (g_ptr_array_index (targets, i)));
  if (!block)
    {
      _ls_gev_hub_callback (st, it);
      *result = ls_none ();
      return TRUE;
    }
  it->blocker = _ls_gev_blocker_new (st, BLOCK_KILL);
  it->blocker->kill_timeout = timeout >= 0 ? ls_float (timeout) : ls_none ();
  _ls_gev_hub_callback (st, it);
  return hub_wait (vm, st, "kill", result);
}

/* Kills g with exc (taken); block: waits until it is dead, at most
 * timeout seconds (< 0: no limit). */
static gboolean
kill_greenlet (LsVm *vm, LsGreenlet *g, LsValue exc, gboolean block, double timeout, LsValue *result)
{
  GlState *st = _ls_gev_hub_state (vm);

  if (g->finished || g->dead)
    {
      ls_value_unref (exc);
      *result = ls_none ();
      return TRUE;
    }
  if (!g->started)
    {
      /* Killed before it started: it never runs, and ends with the
       * exception as its value if that is a GreenletExit. */
      g->dead = TRUE;
      g->start_scheduled = FALSE;
      emit (vm, LS_EVENT_GREENLET_FINISHED, g->id, 0, 0, LS_REASON_RESULT, 0, 0, NULL, "killed before it started");
      _ls_gev_on_death (vm, st, g, ls_exc_matches (exc, &_ls_gl_exc_GreenletExit) ? LS_CORO_RETURN : LS_CORO_RAISE,
                        exc);
      *result = ls_none ();
      return TRUE;
    }
  if (g == st->current)
    {
      /* Killing oneself raises at once (greenlet.throw on the current). */
      *result = exc;
      return FALSE;
    }
  {
    GPtrArray *one = g_ptr_array_new ();
    gboolean ok;
    g_ptr_array_add (one, g);
    ok = _ls_gev_kill_schedule (vm, st, one, exc, block, timeout, FALSE, result);
    g_ptr_array_free (one, TRUE);
    return ok;
  }
}

/* kill(greenlet, exception=GreenletExit, block=True, timeout=None), as
 * gevent.kill and as Greenlet.kill (then self is the greenlet). */
static gboolean
kill_common (LsVm *vm, LsValue target, const LsValue *args, guint nargs, LsValue kwnames,
             const LsValue *kwvalues, LsValue *result)
{
  LsValue exc_arg = nargs > 0 ? args[0] : ls_object (&_ls_gl_exc_GreenletExit);
  LsValue block = nargs > 1 ? args[1] : ls_bool (TRUE), tmo = nargs > 2 ? args[2] : ls_none ();
  LsValue exc;
  double timeout;

  _ls_kwarg (kwnames, kwvalues, "exception", &exc_arg);
  _ls_kwarg (kwnames, kwvalues, "block", &block);
  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  if (!is_greenlet (target) || !((LsGreenlet *) ls_value_as_object (target))->is_gevent)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "kill() takes a gevent Greenlet");
      return FALSE;
    }
  if (!_ls_gev_optional_timeout (tmo, &timeout, result))
    return FALSE;
  if (!_ls_gl_exception_from_args (&exc_arg, 1, &_ls_gl_exc_GreenletExit, &exc))
    {
      *result = exc;
      return FALSE;
    }
  return kill_greenlet (vm, (LsGreenlet *) ls_value_as_object (target), exc, ls_value_truthy (block),
                        timeout, result);
}

static gboolean
gevent_kill_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                    LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  return kill_common (((LsGreenlet *) ls_value_as_object (self))->vm, self, args, nargs, kwnames,
                      kwvalues, result);
}

static gboolean
gevent_kill (LsValue self, gpointer data, const LsValue *args, guint nargs,
             LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  if (nargs < 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "kill() missing 1 required positional argument: 'greenlet'");
      return FALSE;
    }
  return kill_common (_ls_gl_vm_of (data), args[0], args + 1, nargs - 1, kwnames, kwvalues, result);
}

/* gevent.killall(greenlets, exception=GreenletExit, block=True,
 * timeout=None): _killall throws into each live one from one callback,
 * then (block) the caller joins them all. */
static gboolean
gevent_killall (LsValue self, gpointer data, const LsValue *args, guint nargs,
                LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = _ls_gl_vm_of (data);
  GlState *st = _ls_gev_hub_state (vm);
  LsValue seq = nargs ? args[0] : ls_none ();
  LsValue exc_arg = nargs > 1 ? args[1] : ls_object (&_ls_gl_exc_GreenletExit);
  LsValue block = nargs > 2 ? args[2] : ls_bool (TRUE), tmo = nargs > 3 ? args[3] : ls_none ();
  GPtrArray *objs, *alive;
  double timeout;
  gboolean ok = TRUE;

  _ls_kwarg (kwnames, kwvalues, "greenlets", &seq);
  _ls_kwarg (kwnames, kwvalues, "exception", &exc_arg);
  _ls_kwarg (kwnames, kwvalues, "block", &block);
  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  if (!_ls_gev_optional_timeout (tmo, &timeout, result))
    return FALSE;
  objs = linkables_of (seq, "killall", result);
  if (!objs)
    return FALSE;
  /* Those never started die here; the others through the hub. */
  alive = g_ptr_array_new_with_free_func (ls_object_unref);
  for (guint i = 0; i < objs->len; i++)
    {
      LsGreenlet *g = g_ptr_array_index (objs, i);
      LsValue exc, r;
      if (g->is_gevent && !g->started && !g->finished)
        {
          _ls_gl_exception_from_args (&exc_arg, 1, &_ls_gl_exc_GreenletExit, &exc);
          kill_greenlet (vm, g, exc, FALSE, -1, &r);
          ls_value_unref (r);
        }
      else if (g->is_gevent && !g->finished)
        g_ptr_array_add (alive, ls_object_ref (g));
    }
  if (alive->len)
    {
      LsValue exc;
      if (!_ls_gl_exception_from_args (&exc_arg, 1, &_ls_gl_exc_GreenletExit, &exc))
        {
          *result = exc;
          ok = FALSE;
          goto out;
        }
      ok = _ls_gev_kill_schedule (vm, st, alive, exc, ls_value_truthy (block), timeout, FALSE, result);
      goto out;
    }
  *result = ls_none ();
out:
  g_ptr_array_free (alive, TRUE);
  g_ptr_array_free (objs, TRUE);
  return ok;
}

void
_ls_gev_greenlet_start (GlState *st, LsGreenlet *g)
{
  if (!g->started && !g->start_scheduled && !g->dead && !g->finished)
    {
      g->start_scheduled = TRUE;
      g->start_called = TRUE;
      _ls_gev_hub_callback (st, _ls_gev_item_new (st, ITEM_START, g, ls_none (), ls_none ()));
    }
}

/* Greenlet.start() */
static gboolean
gevent_start_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  _ls_gev_greenlet_start (_ls_gev_hub_state (g->vm), g);
  *result = ls_none ();
  return TRUE;
}

static gboolean
gevent_ready_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  *result = ls_bool (g->dead || g->finished);
  return TRUE;
}

static gboolean
greenlet_successful (LsGreenlet *g)
{
  return g->finished && ls_is_none (g->exception);
}

static gboolean
gevent_successful_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_bool (greenlet_successful ((LsGreenlet *) ls_value_as_object (self)));
  return TRUE;
}

/* link(callback), link_value, link_exception, rawlink; data: the filter
 * (LINK_SPAWNED) or NULL for rawlink. */
static gboolean
gevent_link_common (LsValue self, int kind, int filter, const LsValue *args, guint nargs, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  GlState *st = _ls_gev_hub_state (g->vm);
  Link *l;
  if (nargs != 1 || !ls_value_callable (args[0]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "Expected callable: %s",
                             nargs ? ls_value_class (args[0])->name : "nothing");
      return FALSE;
    }
  l = g_new0 (Link, 1);
  l->kind = kind;
  l->filter = filter;
  l->callback = ls_value_ref (args[0]);
  _ls_gev_add_link (st, (LsObject *) g, l);
  *result = ls_none ();
  return TRUE;
}

static gboolean
gevent_link_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  return gevent_link_common (self, LINK_SPAWNED, 0, args, nargs, result);
}

static gboolean
gevent_link_value_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  return gevent_link_common (self, LINK_SPAWNED, 1, args, nargs, result);
}

static gboolean
gevent_link_exception_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  return gevent_link_common (self, LINK_SPAWNED, 2, args, nargs, result);
}

static gboolean
gevent_rawlink_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  return gevent_link_common (self, LINK_RAW, 0, args, nargs, result);
}

static gboolean
gevent_unlink_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  for (guint i = 0; nargs == 1 && i < g->links.links->len;)
    {
      Link *k = g_ptr_array_index (g->links.links, i);
      LsValue eq;
      gboolean same = (k->kind == LINK_SPAWNED || k->kind == LINK_RAW)
                      && ls_op_compare (LS_OP_EQ, k->callback, args[0], &eq) && ls_value_truthy (eq);
      if (k->kind == LINK_SPAWNED || k->kind == LINK_RAW)
        ls_value_unref (eq);
      if (same)
        {
          g_ptr_array_remove_index (g->links.links, i);
          link_free (k);
        }
      else
        i++;
    }
  *result = ls_none ();
  return TRUE;
}

gboolean
_ls_gev_greenlet_getattr (LsGreenlet *g, const char *name, LsValue *out, gboolean *found)
{
  static const struct {
    const char *name;
    LsBuiltinFn fn;
    LsBuiltinKwFn kwfn;
  } methods[] = {
    { "join", NULL, gevent_join_method },
    { "get", NULL, _ls_gev_get_method },
    { "kill", NULL, gevent_kill_method },
    { "start", gevent_start_method, NULL },
    { "ready", gevent_ready_method, NULL },
    { "successful", gevent_successful_method, NULL },
    { "link", gevent_link_method, NULL },
    { "link_value", gevent_link_value_method, NULL },
    { "link_exception", gevent_link_exception_method, NULL },
    { "rawlink", gevent_rawlink_method, NULL },
    { "unlink", gevent_unlink_method, NULL },
  };
  *found = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (strcmp (name, methods[i].name) == 0)
      {
        LsValue self = ls_value_ref (ls_object (g));
        *out = methods[i].fn ? ls_builtin_new (name, methods[i].fn, self, NULL, NULL)
                             : ls_builtin_new_kw (name, methods[i].kwfn, self, NULL, NULL);
        return TRUE;
      }
  if (strcmp (name, "value") == 0)
    *out = ls_value_ref (g->value);
  else if (strcmp (name, "exception") == 0)
    *out = ls_value_ref (g->exception);
  else if (strcmp (name, "name") == 0)
    *out = ls_str_printf ("Greenlet-%u", g->gevent_number);
  else if (strcmp (name, "started") == 0 || strcmp (name, "__bool__") == 0)
    *out = ls_bool (g->start_called && !g->finished);
  else if (strcmp (name, "dead") == 0)
    *out = ls_bool (g->dead || g->finished || (g->start_called && !g->started && !g->start_scheduled));
  else if (strcmp (name, "args") == 0)
    *out = ls_value_ref (g->args);
  else if (strcmp (name, "minimal_ident") == 0)
    *out = ls_int (g->gevent_number + 1);
  else
    *found = FALSE;
  return TRUE;
}

/* gevent.getcurrent(): greenlet.getcurrent(), after making sure the hub
 * state that tracks the current greenlet exists */
static gboolean
gevent_getcurrent (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  GlState *st = _ls_gev_hub_state (_ls_gl_vm_of (data));
  *result = ls_value_ref (ls_object (st->current));
  return TRUE;
}

/* gevent.monkey.patch_all(**kwargs): time.sleep becomes gevent.sleep
 * (the other modules it patches, socket, ssl, threading, do not exist
 * here). */
static gboolean
gevent_patch_all (LsValue self, gpointer data, const LsValue *args, guint nargs,
                  LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  GlState *st = _ls_gev_hub_state (_ls_gl_vm_of (data));
  st->patched = TRUE;
  *result = ls_none ();
  return TRUE;
}

static gboolean
gevent_patch_time (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  return gevent_patch_all (self, data, args, nargs, ls_none (), NULL, result);
}

static gboolean
gevent_is_patched (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  GlState *st = _ls_gl_vm_of (data)->greenlets;
  const char *mod = nargs ? ls_str_get (args[0]) : NULL;
  *result = ls_bool (st && st->patched && mod && strcmp (mod, "time") == 0);
  return TRUE;
}

/* ---- gevent.Timeout ---------------------------------------------------------------------- */

/* Timeout(seconds).start(): a timer that throws the Timeout into the
 * greenlet that started it. */
static gboolean
timeout_start (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsVm *vm = _ls_gl_vm_of (data);
  GlState *st = _ls_gev_hub_state (vm);
  LsException *e = (LsException *) ls_value_as_object (self);
  LsTuple *a = (LsTuple *) ls_value_as_object (e->args);
  double secs;
  HubItem *it;

  if (g_hash_table_contains (st->timeouts, e))
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "Timeout is already started");
      return FALSE;
    }
  if (a->len == 0 || ls_is_none (a->items[0]))
    {
      *result = ls_none ();        /* Timeout(None): never fires */
      return TRUE;
    }
  if (!get_seconds (a->items[0], &secs, result))
    return FALSE;
  it = _ls_gev_item_new (st, ITEM_WAKE, st->current, ls_tuple_new (0, NULL), ls_value_ref (self));
  it->gen = G_MAXUINT;             /* fires whatever the greenlet waits on */
  it->timeout = ls_value_ref (self);
  hub_timer (vm, st, it, secs > 0 ? secs : 0, "Timeout");
  g_hash_table_insert (st->timeouts, e, it);
  *result = ls_none ();
  return TRUE;
}

static gboolean
timeout_cancel (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsVm *vm = _ls_gl_vm_of (data);
  GlState *st = vm->greenlets;
  HubItem *it = st ? g_hash_table_lookup (st->timeouts, ls_value_as_object (self)) : NULL;
  if (it)
    {
      g_hash_table_remove (st->timeouts, ls_value_as_object (self));
      _ls_gev_timer_remove (st, it);
      emit (vm, LS_EVENT_TIMER_CANCELLED, st->current->id, it->id, 0, LS_REASON_NONE, it->deadline, 0, NULL, NULL);
      _ls_gev_item_free (it);
    }
  *result = ls_none ();
  return TRUE;
}

static gboolean
timeout_enter (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsValue r;
  if (!timeout_start (self, data, NULL, 0, &r))
    {
      *result = r;
      return FALSE;
    }
  ls_value_unref (r);
  *result = ls_value_ref (self);
  return TRUE;
}

/* __exit__: cancels; swallows itself only when made with exception=False. */
static gboolean
timeout_exit (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsException *e = (LsException *) ls_value_as_object (self);
  LsTuple *a = (LsTuple *) ls_value_as_object (e->args);
  LsValue r;
  timeout_cancel (self, data, NULL, 0, &r);
  ls_value_unref (r);
  *result = ls_bool (nargs >= 2 && ls_value_identical (args[1], self) && a->len >= 2
                     && ls_value_kind (a->items[1]) == LS_KIND_BOOL && !ls_value_as_bool (a->items[1]));
  return TRUE;
}

gboolean
_ls_gevent_exception_getattr (LsValue exc, const char *name, LsValue *out)
{
  LsException *e = (LsException *) ls_value_as_object (exc);
  LsTuple *a = (LsTuple *) ls_value_as_object (e->args);
  LsVm *vm = ls_vm_current ();
  if (e->type != &_ls_gev_exc_Timeout)
    return FALSE;
  if (strcmp (name, "start") == 0)
    *out = ls_builtin_new ("start", timeout_start, ls_value_ref (exc), vm, NULL);
  else if (strcmp (name, "cancel") == 0 || strcmp (name, "close") == 0)
    *out = ls_builtin_new ("cancel", timeout_cancel, ls_value_ref (exc), vm, NULL);
  else if (strcmp (name, "__enter__") == 0)
    *out = ls_builtin_new ("__enter__", timeout_enter, ls_value_ref (exc), vm, NULL);
  else if (strcmp (name, "__exit__") == 0)
    *out = ls_builtin_new ("__exit__", timeout_exit, ls_value_ref (exc), vm, NULL);
  else if (strcmp (name, "seconds") == 0)
    *out = a->len ? ls_value_ref (a->items[0]) : ls_none ();
  else if (strcmp (name, "pending") == 0)
    *out = ls_bool (vm && vm->greenlets && g_hash_table_contains (((GlState *) vm->greenlets)->timeouts, e));
  else
    return FALSE;
  return TRUE;
}

/* ---- the module ------------------------------------------------------------------------- */

LsValue
_ls_mod_gevent_new (LsVm *vm)
{
  LsValue m = _ls_module_new ("gevent"), monkey = _ls_module_new ("gevent.monkey");

  _ls_module_add (m, "spawn", ls_builtin_new_kw ("spawn", _ls_gev_spawn, ls_none (), vm, NULL));
  _ls_module_add (m, "spawn_later", ls_builtin_new_kw ("spawn_later", _ls_gev_spawn_later, ls_none (), vm, NULL));
  _ls_module_add (m, "joinall", ls_builtin_new_kw ("joinall", gevent_joinall, ls_none (), vm, NULL));
  _ls_module_add (m, "sleep", ls_builtin_new_kw ("sleep", gevent_sleep, ls_none (), vm, NULL));
  _ls_module_add (m, "kill", ls_builtin_new_kw ("kill", gevent_kill, ls_none (), vm, NULL));
  _ls_module_add (m, "getcurrent", ls_builtin_new ("getcurrent", gevent_getcurrent, ls_none (), vm, NULL));
  _ls_module_add (m, "Greenlet", _ls_gl_greenlet_type_new (vm, TRUE));
  _ls_module_add (m, "GreenletExit", ls_object (&_ls_gl_exc_GreenletExit));
  _ls_module_add (m, "Timeout", ls_object (&_ls_gev_exc_Timeout));
  _ls_module_add (m, "wait", ls_builtin_new_kw ("wait", gevent_wait, ls_none (), vm, NULL));
  _ls_module_add (m, "iwait", ls_builtin_new_kw ("iwait", gevent_iwait, ls_none (), vm, NULL));
  _ls_module_add (m, "killall", ls_builtin_new_kw ("killall", gevent_killall, ls_none (), vm, NULL));
  _ls_module_add (monkey, "patch_all", ls_builtin_new_kw ("patch_all", gevent_patch_all, ls_none (), vm, NULL));
  _ls_module_add (monkey, "patch_time", ls_builtin_new ("patch_time", gevent_patch_time, ls_none (), vm, NULL));
  _ls_module_add (monkey, "is_module_patched", ls_builtin_new ("is_module_patched", gevent_is_patched,
                                                               ls_none (), vm, NULL));
  _ls_module_add (m, "monkey", ls_value_ref (monkey));
  g_hash_table_insert (vm->modules, g_strdup ("gevent.monkey"), ls_value_as_object (monkey));
  {
    LsValue ev = _ls_module_new ("gevent.event"), qu = _ls_module_new ("gevent.queue");
    LsValue po = _ls_module_new ("gevent.pool"), lo = _ls_module_new ("gevent.lock");
    LsValue ex = _ls_module_new ("gevent.exceptions"), hu = _ls_module_new ("gevent.hub");
    LsValue to = _ls_module_new ("gevent.timeout"), gr = _ls_module_new ("gevent.greenlet");
    struct { const char *name; LsValue mod; } subs[] = {
      { "event", ev }, { "queue", qu }, { "pool", po }, { "lock", lo }, { "exceptions", ex },
      { "hub", hu }, { "timeout", to }, { "greenlet", gr },
    };
    _ls_module_add (ev, "Event", ls_builtin_new ("Event", _ls_gsync_event_new, ls_none (), GINT_TO_POINTER (0), NULL));
    _ls_module_add (ev, "AsyncResult", ls_builtin_new ("AsyncResult", _ls_gsync_event_new, ls_none (),
                                                      GINT_TO_POINTER (1), NULL));
    _ls_module_add (qu, "Queue", ls_builtin_new_kw ("Queue", _ls_gsync_queue_new, ls_none (), GINT_TO_POINTER (0), NULL));
    _ls_module_add (qu, "JoinableQueue", ls_builtin_new_kw ("JoinableQueue", _ls_gsync_queue_new, ls_none (),
                                                           GINT_TO_POINTER (1), NULL));
    _ls_module_add (qu, "Empty", ls_object ((LsExcType *) &_ls_gsync_exc_Empty));
    _ls_module_add (qu, "Full", ls_object ((LsExcType *) &_ls_gsync_exc_Full));
    _ls_module_add (po, "Pool", ls_builtin_new_kw ("Pool", _ls_gsync_pool_new, ls_none (), GINT_TO_POINTER (1), NULL));
    _ls_module_add (po, "Group", ls_builtin_new_kw ("Group", _ls_gsync_pool_new, ls_none (), GINT_TO_POINTER (0), NULL));
    _ls_module_add (lo, "Semaphore", ls_builtin_new_kw ("Semaphore", _ls_gsync_sem_new, ls_none (), GINT_TO_POINTER (0), NULL));
    _ls_module_add (lo, "BoundedSemaphore", ls_builtin_new_kw ("BoundedSemaphore", _ls_gsync_sem_new, ls_none (),
                                                              GINT_TO_POINTER (1), NULL));
    _ls_module_add (ex, "LoopExit", ls_object (&exc_LoopExit));
    _ls_module_add (hu, "LoopExit", ls_object (&exc_LoopExit));
    _ls_module_add (to, "Timeout", ls_object (&_ls_gev_exc_Timeout));
    _ls_module_add (gr, "Greenlet", _ls_gl_greenlet_type_new (vm, TRUE));
    for (guint i = 0; i < G_N_ELEMENTS (subs); i++)
      {
        char *full = g_strdup_printf ("gevent.%s", subs[i].name);
        _ls_module_add (m, subs[i].name, ls_value_ref (subs[i].mod));
        g_hash_table_insert (vm->modules, full, ls_value_as_object (subs[i].mod));
      }
  }
  return m;
}
