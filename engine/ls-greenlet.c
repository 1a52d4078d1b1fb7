/* ls-greenlet.c - the greenlet and gevent modules a scenario may import.
 *
 * The tutorials that set asyncio beside the older models show greenlets
 * switching explicitly (`from greenlet import greenlet`, ping-pong with
 * switch()) and gevent spawning greenlets that a hub runs in turn
 * (spawn/joinall, gevent.sleep, monkey.patch_all() making time.sleep
 * cooperative).  Both run here in virtual time, and every switch is a
 * traced event, so that each greenlet is a lane of the timeline.
 *
 * How a switch works.  Each greenlet but the main one runs on a fiber of
 * the VM (ls-vm.c): its own chain of heap frames, which suspends right
 * after a call that asked to switch, at any call depth.  The main
 * greenlet is the program's own C stack.  All switching is driven by one
 * loop, the trampoline, which runs inside the main greenlet's call that
 * switched away: it resumes the target's fiber until that fiber asks to
 * switch elsewhere (vm->pending, the request kept here), finishes (its
 * value goes to its parent) or raises (the exception goes to its parent;
 * GreenletExit becomes the parent's value), and so on until the main
 * greenlet is the target again.  A greenlet other than the main one never
 * runs the trampoline: a switch it asks for is a request the trampoline
 * carries out once its fiber has suspended.  So no C stack is ever set
 * aside, as the design's Wren fibers want; the price is that a greenlet
 * cannot switch from inside Python code that C calls (a sort key, a
 * generator driven by next()): that is a RuntimeError, not a crash.
 *
 * gevent's hub is a greenlet whose body is C (hub_next): a FIFO of
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
 *     while it runs them, before it looks at the timers; then it fires
 *     the due timers one by one, each a switch into its greenlet;
 *   - a greenlet that finishes returns to the hub, which wakes whoever
 *     joins it through a callback; joinall's list is in completion order;
 *   - when nothing is left the hub throws LoopExit into the main greenlet.
 *
 * Greenlets print with fake addresses: 0x7f0000000000 plus 0x100 times
 * their number (the main greenlet 0, then 1, 2, ... in creation order,
 * the hub included), so that outputs are the same on every run.
 */
#include "ls-vm-private.h"
#include "ls-asyncio.h"

#include <math.h>
#include <string.h>

/* ---- exception types ---------------------------------------------------------------- */

static LsExcType exc_GreenletExit = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "GreenletExit", &ls_exc_BaseException, "greenlet",
};
static LsExcType exc_greenlet_error = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "error", &ls_exc_Exception, "greenlet",
};
static LsExcType exc_LoopExit = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "LoopExit", &ls_exc_Exception, "gevent.exceptions",
};
static LsExcType exc_Timeout = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "Timeout", &ls_exc_BaseException, "gevent.timeout",
};

#define FAKE_ADDRESS(number) (G_GUINT64_CONSTANT (0x7f0000000000) + 0x100 * (guint64) (number))

/* ---- objects -------------------------------------------------------------------------- */

typedef struct _LsGreenlet LsGreenlet;
typedef struct _Blocker Blocker;
typedef struct _HubItem HubItem;

/* What rawlink() keeps: whom an object tells when it is ready. */
typedef enum {
  LINK_BLOCKER,              /* a greenlet blocked in join/get/wait/acquire */
  LINK_SPAWNED,              /* link(cb): cb runs at once in a new greenlet of the hub */
  LINK_RAW,                  /* rawlink(cb): cb is called in the hub */
  LINK_DISCARD,              /* a Group or Pool forgetting its member */
} LinkKind;

typedef struct {
  LinkKind kind;
  Blocker *blocker;          /* LINK_BLOCKER: strong */
  LsValue callback;          /* the callable; LINK_DISCARD: the group */
  int filter;                /* LINK_SPAWNED: 0 always, 1 if successful, 2 if failed */
} Link;

/* An object others link to (gevent's AbstractLinkable). */
typedef struct {
  GPtrArray *links;          /* Link*, in the order they were made */
  gboolean notifier;         /* a NOTIFY item is on the hub's callbacks */
  gboolean notify_all;       /* FALSE: stop once no longer ready (Semaphore) */
} Links;

struct _LsGreenlet {
  LsObject base;
  LsVm *vm;
  guint64 id;                /* engine id: the greenlet's lane in a trace */
  guint number;              /* creation order: 0 the main greenlet (fake address) */
  guint gevent_number;       /* gevent's Greenlet-N, from 0 */
  LsGreenlet *parent;        /* strong; NULL for the main greenlet */
  LsValue run;               /* the callable, None once started */
  LsValue args;              /* gevent: the arguments of run (tuple), for start and repr */
  LsValue kwargs;            /* gevent: dict or None */
  char *describe;            /* what it runs, as gevent's _formatinfo: "task_1(5)", "boom" */
  gboolean described;        /* gevent: repr() showed describe, which it keeps from then on */
  LsValue link_context;      /* a link(cb)'s greenlet: (cb, the greenlet it tells), else None */
  LsFiber *fiber;            /* NULL for the main greenlet and the hub */
  guint wait_gen;            /* bumped at every switch in: older wake-ups are stale */
  gboolean is_main, is_hub, is_gevent;
  gboolean started, dead;
  gboolean start_scheduled;  /* gevent: its start is on the hub */
  gboolean start_called;     /* gevent: start() was called (_start_event) */
  gboolean finished;         /* gevent: its result is known (_exc_info) */
  Blocker *blocked_on;       /* strong: what it waits for in the hub, or NULL */
  Links links;               /* gevent: who to tell when it finishes */
  /* gevent: what it ended with (value or exception; None until then). */
  LsValue value;
  LsValue exception;
};

typedef enum {
  BLOCK_SLEEP,               /* gevent.sleep(s): the timer delivers None */
  BLOCK_JOIN,                /* Greenlet.join: None */
  BLOCK_GET,                 /* Greenlet.get: its value, or raises its exception */
  BLOCK_MULTI,               /* wait/joinall: the objects ready, in that order */
  BLOCK_KILL,                /* Greenlet.kill(block=True): until _kill ran, then join */
  BLOCK_EVENT,               /* Event.wait: True */
  BLOCK_RESULT,              /* AsyncResult.get: its value or exception */
  BLOCK_RESULT_WAIT,         /* AsyncResult.wait: its value */
  BLOCK_SEM,                 /* Semaphore.acquire: True, the counter taken */
  BLOCK_SEM_WAIT,            /* Semaphore.wait: the counter */
  BLOCK_POOL_ADD,            /* Pool.spawn/add: the counter taken, added, started */
  BLOCK_QGET,                /* Queue.get: the item */
  BLOCK_QPEEK,               /* Queue.peek: the item, left there */
  BLOCK_QPUT,                /* Queue.put: None, the item already put */
} BlockKind;

/* A greenlet blocked in the hub until an object wakes it (or a timeout
 * does).  What it is switched back in with is computed as it is woken,
 * in the hub: it is the result of the call that blocked (a greenlet never
 * re-enters the C function that blocked it), the same as gevent's code
 * computes right after its switch back. */
struct _Blocker {
  guint refs;
  BlockKind kind;
  LsGreenlet *who;           /* strong */
  guint gen;                 /* who->wait_gen when it blocked */
  gboolean active;
  HubItem *timer;            /* its timeout in the timer list, or NULL */
  LsValue tvalue, texc;      /* what the timeout delivers (texc None: tvalue) */
  GPtrArray *objs;           /* LsObject*, strong: where its links (or queue places) are */
  GPtrArray *done;           /* BLOCK_MULTI: the objects ready, strong, in order */
  guint count;               /* BLOCK_MULTI: how many it waits for */
  gboolean raise_error;      /* BLOCK_MULTI: joinall(raise_error=True) */
  gboolean quiet;            /* BLOCK_MULTI: delivers None (kill, killall) */
  gboolean iwait;            /* BLOCK_MULTI: iwait's, told one object at a time */
  LsValue item;              /* QPUT: the item; POOL_ADD: the greenlet; KILL: the victim */
  LsValue kill_timeout;      /* BLOCK_KILL: join's timeout after the kill (None or float) */
};

typedef enum {
  ITEM_WAKE,                 /* switch to target with payload or exc */
  ITEM_START,                /* start a gevent greenlet */
  ITEM_NOTIFY,               /* tell obj's links, one at a time (_notify_links) */
  ITEM_UNLOCK,               /* a queue's _unlock */
  ITEM_KILL,                 /* _kill: throw into target, then wake the killer */
  ITEM_TIMEOUT,              /* a blocker's timeout */
} ItemKind;

/* A callback or timer of the hub. */
struct _HubItem {
  double deadline;           /* virtual seconds; timers only */
  guint64 seq;               /* creation order: ties of deadlines */
  guint64 id;                /* the timer's engine id (trace), 0 for a callback */
  ItemKind kind;
  LsGreenlet *target;        /* strong */
  guint gen;                 /* target->wait_gen when made (WAKE) */
  LsValue payload;           /* tuple delivered as the switch's value */
  LsValue exc;               /* thrown instead, or None */
  Blocker *blocker;          /* TIMEOUT: whose; KILL: the killer's (strong, or NULL) */
  LsObject *obj;             /* NOTIFY, UNLOCK: the object (strong) */
  LsValue timeout;           /* a gevent.Timeout whose timer this is, or None */
  /* A callback that switches into several greenlets in turn stays first
   * in the queue until it is done (_notify_links, _unlock, _kill). */
  gboolean begun;
  guint remaining;           /* NOTIFY: links left of those there at the start */
  int phase;                 /* UNLOCK: 0 putters, 1 getters; KILL: 0 throw, 1 wake */
  gboolean repeat;           /* UNLOCK: something moved this round */
  GPtrArray *targets;        /* KILL: the greenlets to throw into (strong) */
  gboolean group;            /* KILL: Group.kill, whose joinall waits for their links too */
};


typedef struct {
  LsGreenlet *main;          /* strong */
  LsGreenlet *current;       /* borrowed: main or a greenlet the trampoline holds */
  LsGreenlet *hub;           /* strong, NULL until gevent needs it */
  GPtrArray *all;            /* borrowed: every live greenlet, to free frames at the end */
  guint numbers;             /* greenlets made */
  guint gevent_numbers;
  /* The switch the current greenlet asked for (LS_VM_PENDING_SWITCH). */
  LsGreenlet *req_target;    /* strong */
  LsValue req_args, req_kwargs, req_exc;
  const char *req_why;
  /* The hub. */
  GQueue callbacks;          /* HubItem* */
  GPtrArray *timers;         /* HubItem*, sorted by (deadline, seq) */
  guint64 item_seq;
  gboolean patched;          /* monkey.patch_all() */
  GHashTable *timeouts;      /* gevent.Timeout exception -> its pending HubItem */
} GlState;

static const LsClass greenlet_class;
static const LsClass gevent_greenlet_class;
static void links_clear (Links *l);
static void blocker_unref (Blocker *b);

static gboolean
is_greenlet (LsValue v)
{
  return ls_is_object (v) && (ls_value_as_object (v)->cls == &greenlet_class
                              || ls_value_as_object (v)->cls == &gevent_greenlet_class);
}

static void
emit (LsVm *vm, LsEventKind kind, guint64 task, guint64 future, guint64 other, LsReason reason,
      double value, int line, const char *detail, const char *extra)
{
  LsEvent ev = {
    .kind = kind, .task = task, .future = future, .other = other, .reason = reason,
    .value = value, .line = line, .detail = detail, .extra = extra,
  };
  _ls_vm_emit (vm, &ev);
}

/* ---- greenlet objects ----------------------------------------------------------------- */

static GlState *gl_state (LsVm *vm);

static void
greenlet_finalize (LsObject *self)
{
  LsGreenlet *g = (LsGreenlet *) self;
  GlState *st = g->vm ? g->vm->greenlets : NULL;
  if (st)
    g_ptr_array_remove_fast (st->all, g);
  _ls_fiber_free (g->fiber);
  ls_object_unref (g->parent);
  ls_value_unref (g->run);
  ls_value_unref (g->args);
  ls_value_unref (g->kwargs);
  ls_value_unref (g->value);
  ls_value_unref (g->exception);
  g_free (g->describe);
  ls_value_unref (g->link_context);
  links_clear (&g->links);
  blocker_unref (g->blocked_on);
}

static char *
greenlet_repr (LsObject *self)
{
  LsGreenlet *g = (LsGreenlet *) self;
  GlState *st = g->vm ? g->vm->greenlets : NULL;
  guint64 at = FAKE_ADDRESS (g->number);

  if (g->is_gevent)
    {
      g->described = TRUE;
      return g_strdup_printf ("<Greenlet at 0x%" G_GINT64_MODIFIER "x: %s>", at, g->describe);
    }
  if (g->is_hub)
    return g_strdup_printf ("<Hub '' at 0x%" G_GINT64_MODIFIER "x default pending=0>", at);
  /* greenlet's green_repr: state in the thread, active, started, main. */
  if (g->dead)
    return g_strdup_printf ("<greenlet.greenlet object at 0x%" G_GINT64_MODIFIER "x (otid=0x%"
                            G_GINT64_MODIFIER "x) dead>", at, FAKE_ADDRESS (0) - 0x1000);
  return g_strdup_printf ("<greenlet.greenlet object at 0x%" G_GINT64_MODIFIER "x (otid=0x%"
                          G_GINT64_MODIFIER "x)%s%s%s%s>", at, FAKE_ADDRESS (0) - 0x1000,
                          st && st->current == g ? " current" : g->started ? " suspended" : "",
                          g->started ? " active" : "",
                          g->started ? " started" : " pending",
                          g->is_main ? " main" : "");
}

/* A callable's __name__ ("task_1", "<lambda>"), newly allocated. */
static char *
func_name (LsValue run)
{
  LsValue n;
  char *name, *dot;
  if (ls_op_getattr (run, "__name__", &n) && ls_str_get (n))
    {
      name = g_strdup (ls_str_get (n));
      ls_value_unref (n);
      return name;
    }
  ls_value_unref (n);
  name = ls_callable_name (run);
  dot = strrchr (name, '.');
  if (dot)
    {
      char *t = g_strdup (dot + 1);
      g_free (name);
      name = t;
    }
  return name;
}

/* "task_1(5)", as gevent's Greenlet._formatinfo writes it. */
static char *
describe_call_as (LsValue run, LsValue args, LsValue kwargs, gboolean gevent);

static char *
describe_call (LsValue run, LsValue args, LsValue kwargs)
{
  return describe_call_as (run, args, kwargs, FALSE);
}

/* gevent's _formatinfo: no parentheses without arguments, each repr cut
 * at 50 characters. */
static char *
describe_call_as (LsValue run, LsValue args, LsValue kwargs, gboolean gevent)
{
  GString *s = g_string_new (NULL);
  char *name = ls_is_none (run) ? g_strdup ("") : func_name (run);
  LsTuple *a = ls_is_none (args) ? NULL : (LsTuple *) ls_value_as_object (args);
  gboolean first = TRUE;

  g_string_append (s, name);
  if (gevent && (!a || !a->len) && (ls_is_none (kwargs) || !ls_dict_len (kwargs)))
    {
      g_free (name);
      return g_string_free (s, FALSE);
    }
  g_string_append_c (s, '(');
  for (guint i = 0; a && i < a->len; i++)
    {
      char *r = ls_value_repr (a->items[i]);
      if (gevent && g_utf8_strlen (r, -1) > 50)
        {
          char *t = g_utf8_substring (r, 0, 50);
          g_free (r);
          r = t;
        }
      g_string_append_printf (s, "%s%s", first ? "" : ", ", r);
      first = FALSE;
      g_free (r);
    }
  if (!ls_is_none (kwargs))
    {
      guint pos = 0;
      LsValue k, v;
      while (ls_dict_next (kwargs, &pos, &k, &v))
        {
          char *r = ls_value_repr (v);
          g_string_append_printf (s, "%s%s=%s", first ? "" : ", ", ls_str_get (k), r);
          first = FALSE;
          g_free (r);
        }
    }
  g_string_append_c (s, ')');
  g_free (name);
  return g_string_free (s, FALSE);
}

static LsGreenlet *
greenlet_alloc (LsVm *vm, GlState *st, const LsClass *cls, LsGreenlet *parent, LsValue run,
                const char *name, const char *describe)
{
  LsGreenlet *g = ls_object_alloc (cls, sizeof (LsGreenlet));
  g->vm = vm;
  g->id = ++vm->ids;
  g->number = st->numbers++;
  g->parent = parent ? ls_object_ref (parent) : NULL;
  g->run = ls_value_ref (run);
  g->args = ls_tuple_new (0, NULL);
  g->kwargs = ls_none ();
  g->describe = g_strdup (describe);
  g->link_context = ls_none ();
  g->is_gevent = cls == &gevent_greenlet_class;
  g_ptr_array_add (st->all, g);
  emit (vm, LS_EVENT_GREENLET_CREATED, g->id, st->current ? st->current->id : 0,
        parent ? parent->id : 0, LS_REASON_NONE, 0, vm->calling_line, name, describe);
  return g;
}

static GlState *
gl_state (LsVm *vm)
{
  GlState *st = vm->greenlets;
  if (st)
    return st;
  st = g_new0 (GlState, 1);
  vm->greenlets = st;
  st->all = g_ptr_array_new ();
  st->timers = g_ptr_array_new ();
  st->timeouts = g_hash_table_new (NULL, NULL);
  g_queue_init (&st->callbacks);
  st->main = greenlet_alloc (vm, st, &greenlet_class, NULL, ls_none (), "main greenlet", "<module>");
  st->main->is_main = TRUE;
  st->main->started = TRUE;
  st->current = st->main;
  return st;
}

guint64
_ls_greenlet_current_id (LsVm *vm)
{
  GlState *st = vm->greenlets;
  return st && st->current ? st->current->id : 0;
}

/* ---- switching ------------------------------------------------------------------------ */

/* The value a switch delivers to a greenlet that already runs: greenlet's
 * rules for switch(*args, **kwargs). */
static LsValue
switch_value (LsValue args, LsValue kwargs)
{
  LsTuple *a = (LsTuple *) ls_value_as_object (args);
  gboolean kw = !ls_is_none (kwargs) && ls_dict_len (kwargs) > 0;
  if (!kw)
    return a->len == 1 ? ls_value_ref (a->items[0]) : ls_value_ref (args);
  if (a->len == 0)
    return ls_value_ref (kwargs);
  {
    LsValue pair[2] = { ls_value_ref (args), ls_value_ref (kwargs) };
    return ls_tuple_new (2, pair);
  }
}

static void
emit_switch (LsVm *vm, LsGreenlet *from, LsGreenlet *to, const char *why)
{
  if (vm->observer)
    emit (vm, LS_EVENT_GREENLET_SWITCH, to->id, 0, from ? from->id : 0, LS_REASON_NONE, 0,
          from && from->fiber ? _ls_fiber_line (from->fiber) : vm->calling_line, why, NULL);
}

static void hub_next (LsVm *vm, GlState *st, LsGreenlet **target, LsValue *args, LsValue *kwargs,
                      LsValue *exc, const char **why);
static void gevent_on_death (LsVm *vm, GlState *st, LsGreenlet *g, LsCoroStatus how, LsValue out);
static void link_report_error (LsVm *vm, LsValue context, gboolean spawned, LsValue exc);

/* A greenlet ended (how: RETURN or RAISE, out its value or exception,
 * taken): what goes to its parent. */
static void
on_death (LsVm *vm, GlState *st, LsGreenlet *g, LsCoroStatus how, LsValue out,
          LsValue *args, LsValue *exc, const char **why)
{
  g->dead = TRUE;
  ls_value_set (&g->run, ls_none ());
  if (vm->observer)
    {
      char *text = how == LS_CORO_RETURN ? ls_value_repr (out)
                   : ls_exc_type (out) ? ls_exc_format (out) : ls_value_repr (out);
      const LsExcType *t = how == LS_CORO_RAISE ? ls_exc_type (out) : NULL;
      emit (vm, LS_EVENT_GREENLET_FINISHED, g->id, 0, 0,
            how == LS_CORO_RETURN ? LS_REASON_RESULT : LS_REASON_EXCEPTION, 0, 0,
            t ? t->name : NULL, text);
      g_free (text);
    }
  if (g->is_gevent)
    {
      /* The hub takes what a gevent greenlet ends with. */
      gevent_on_death (vm, st, g, how, out);
      if (!g->described)
        {
          /* Greenlet.run drops _run as it ends: a repr made from now on
           * names the method left in its place, unless one was made
           * (and kept, _formatted_info) before. */
          g_free (g->describe);
          g->describe = g_strdup ("_run");
        }
      *args = ls_tuple_new (0, NULL);
      *exc = ls_none ();
      *why = "finished";
      return;
    }
  if (how == LS_CORO_RAISE && ls_exc_matches (out, &exc_GreenletExit))
    how = LS_CORO_RETURN;       /* GreenletExit is the parent's value */
  if (how == LS_CORO_RAISE && !ls_is_none (g->link_context))
    {
      /* A link's callback raised into the hub, inside the _notify_links
       * that switched to it: the hub reports it and goes on. */
      link_report_error (vm, g->link_context, TRUE, out);
      ls_value_unref (out);
      how = LS_CORO_RETURN;
      out = ls_none ();
    }
  if (how == LS_CORO_RETURN)
    {
      *args = ls_tuple_new (1, &out);
      *exc = ls_none ();
      *why = "finished";
    }
  else
    {
      *args = ls_tuple_new (0, NULL);
      *exc = out;
      *why = "raised";
    }
}

/* Runs greenlets from the main greenlet until one switches back to it:
 * the switch main asked for (target, args, kwargs, exc: taken).  TRUE and
 * the value main gets, or FALSE and the exception thrown into it. */
static gboolean
trampoline (LsVm *vm, GlState *st, LsGreenlet *target, LsValue args, LsValue kwargs, LsValue exc,
            const char *why, LsValue *result)
{
  /* Both references owned: a greenlet the program no longer holds may be
   * the one switching away. */
  LsGreenlet *from = ls_object_ref (st->main);

  ls_object_ref (target);
  for (;;)
    {
      LsCoroStatus how;
      LsValue out;

      /* A switch to a dead greenlet goes to its parent. */
      while (target->dead && target->parent)
        {
          LsGreenlet *p = ls_object_ref (target->parent);
          ls_object_unref (target);
          target = p;
        }
      emit_switch (vm, from, target, why);
      ls_object_unref (from);
      from = NULL;
      st->current = target;
      target->wait_gen++;
      if (target == st->main)
        {
          ls_object_unref (target);
          if (!ls_is_none (exc))
            {
              ls_value_unref (args);
              ls_value_unref (kwargs);
              *result = exc;
              return FALSE;
            }
          *result = switch_value (args, kwargs);
          ls_value_unref (args);
          ls_value_unref (kwargs);
          return TRUE;
        }
      if (target->is_hub)
        {
          LsGreenlet *next = NULL;
          ls_value_unref (args);
          ls_value_unref (kwargs);
          ls_value_unref (exc);
          target->started = TRUE;
          hub_next (vm, st, &next, &args, &kwargs, &exc, &why);
          from = target;
          target = next;          /* hub_next's reference */
          continue;
        }
      if (!target->fiber)
        target->fiber = _ls_fiber_new (vm);
      target->started = TRUE;
      {
        LsValue value = _ls_fiber_started (target->fiber) && ls_is_none (exc)
                        ? switch_value (args, kwargs) : ls_none ();
        LsValue run = ls_value_ref (target->run);
        how = _ls_fiber_resume (target->fiber, run, args, kwargs, value, exc, &out);
        ls_value_unref (run);
        ls_value_unref (value);
      }
      ls_value_unref (args);
      ls_value_unref (kwargs);
      ls_value_unref (exc);
      from = target;
      if (how == LS_CORO_YIELD)
        {
          ls_value_unref (out);
          target = st->req_target;
          args = st->req_args;
          kwargs = st->req_kwargs;
          exc = st->req_exc;
          why = st->req_why;
          st->req_target = NULL;
          st->req_args = st->req_kwargs = st->req_exc = ls_none ();
          if (!target)
            {
              /* Cannot happen: a fiber suspends only for a request. */
              target = ls_object_ref (from->parent ? from->parent : st->main);
              args = ls_tuple_new (0, NULL);
            }
          continue;
        }
      kwargs = ls_none ();
      on_death (vm, st, from, how, out, &args, &exc, &why);
      target = ls_object_ref (from->parent ? from->parent : st->main);
    }
}

void
_ls_greenlet_drop_switch (LsVm *vm)
{
  GlState *st = vm->greenlets;
  if (!st)
    return;
  ls_object_unref (st->req_target);
  st->req_target = NULL;
  ls_value_unref (st->req_args);
  ls_value_unref (st->req_kwargs);
  ls_value_unref (st->req_exc);
  st->req_args = st->req_kwargs = st->req_exc = ls_none ();
}

/* Switches from the current greenlet to target with args/kwargs or exc
 * (taken).  From the main greenlet it runs the others and returns what it
 * is switched back in with; from another greenlet it asks the trampoline
 * to switch once this call returns to the greenlet's frames (*result is
 * then a placeholder the VM replaces). */
static gboolean
gl_switch (LsVm *vm, LsGreenlet *target, LsValue args, LsValue kwargs, LsValue exc, const char *why,
           LsValue *result)
{
  GlState *st = gl_state (vm);

  if (st->current == target && ls_is_none (exc))
    {
      /* Switching to oneself returns the arguments at once. */
      *result = switch_value (args, kwargs);
      ls_value_unref (args);
      ls_value_unref (kwargs);
      return TRUE;
    }
  if (st->current == st->main)
    return trampoline (vm, st, target, args, kwargs, exc, why, result);
  _ls_greenlet_drop_switch (vm);
  st->req_target = ls_object_ref (target);
  st->req_args = args;
  st->req_kwargs = kwargs;
  st->req_exc = exc;
  st->req_why = why;
  vm->pending |= LS_VM_PENDING_SWITCH;
  *result = ls_none ();
  return TRUE;
}

/* ---- the greenlet module --------------------------------------------------------------- */

static LsVm *
vm_of (gpointer data)
{
  return data ? data : ls_vm_current ();
}

static LsValue
args_tuple (const LsValue *args, guint nargs)
{
  LsValue *items = g_newa (LsValue, MAX (nargs, 1));
  for (guint i = 0; i < nargs; i++)
    items[i] = ls_value_ref (args[i]);
  return ls_tuple_new (nargs, items);
}

static LsValue
kwargs_dict (LsValue kwnames, const LsValue *kwvalues, LsValue *error, gboolean *ok)
{
  LsValue d;
  LsTuple *t;
  *ok = TRUE;
  if (ls_is_none (kwnames))
    return ls_none ();
  d = ls_dict_new ();
  t = (LsTuple *) ls_value_as_object (kwnames);
  for (guint i = 0; i < t->len; i++)
    if (!ls_dict_set (d, t->items[i], kwvalues[i], error))
      {
        *ok = FALSE;
        break;
      }
  return d;
}

/* greenlet.switch(*args, **kwargs) */
static gboolean
greenlet_switch_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                        LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  gboolean ok;
  LsValue kw = kwargs_dict (kwnames, kwvalues, result, &ok);
  if (!ok)
    {
      ls_value_unref (kw);
      return FALSE;
    }
  if (g->is_hub)
    {
      ls_value_unref (kw);
      *result = ls_exc_newf (&ls_exc_RuntimeError, "switching to the hub directly is not supported");
      return FALSE;
    }
  return gl_switch (g->vm, g, args_tuple (args, nargs), kw, ls_none (), "switch", result);
}

/* An exception instance from throw()'s arguments, as gen.throw takes them. */
static gboolean
exception_from_args (const LsValue *args, guint nargs, const LsExcType *dflt, LsValue *out)
{
  if (nargs == 0)
    {
      *out = ls_exc_new (dflt, 0, NULL);
      return TRUE;
    }
  if (ls_value_is (args[0], &ls_exc_type_class))
    {
      const LsExcType *t = (const LsExcType *) ls_value_as_object (args[0]);
      if (nargs >= 2 && ls_exc_type (args[1]))
        *out = ls_value_ref (args[1]);
      else if (nargs >= 2 && !ls_is_none (args[1]))
        {
          LsValue v = ls_value_ref (args[1]);
          *out = ls_exc_new (t, 1, &v);
        }
      else
        *out = ls_exc_new (t, 0, NULL);
      return TRUE;
    }
  if (ls_exc_type (args[0]))
    {
      *out = ls_value_ref (args[0]);
      return TRUE;
    }
  *out = ls_exc_newf (&ls_exc_TypeError, "exceptions must be classes, or instances, not %s",
                      ls_value_class (args[0])->name);
  return FALSE;
}

/* greenlet.throw([typ[, val[, tb]]]) */
static gboolean
greenlet_throw_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  LsValue exc;
  if (nargs > 3)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "throw expected at most 3 arguments, got %u", nargs);
      return FALSE;
    }
  if (!exception_from_args (args, nargs, &exc_GreenletExit, &exc))
    {
      *result = exc;
      return FALSE;
    }
  if (g->is_hub)
    {
      ls_value_unref (exc);
      *result = ls_exc_newf (&ls_exc_RuntimeError, "throwing into the hub is not supported");
      return FALSE;
    }
  if (!g->started && !g->is_main)
    {
      /* Never started: it dies at once with the exception, which its
       * parent then gets like any other. */
      if (!g->fiber)
        g->fiber = _ls_fiber_new (g->vm);
    }
  return gl_switch (g->vm, g, ls_tuple_new (0, NULL), ls_none (), exc, "throw", result);
}

static gboolean gevent_greenlet_getattr (LsGreenlet *g, const char *name, LsValue *out, gboolean *found);

static gboolean
greenlet_getattr (LsObject *self, const char *name, LsValue *out)
{
  LsGreenlet *g = (LsGreenlet *) self;
  GlState *st = g->vm->greenlets;

  if (g->is_gevent)
    {
      gboolean found = FALSE;
      gboolean ok = gevent_greenlet_getattr (g, name, out, &found);
      if (found)
        return ok;
    }
  if (strcmp (name, "switch") == 0)
    *out = ls_builtin_new_kw ("switch", greenlet_switch_method, ls_value_ref (ls_object (self)), NULL, NULL);
  else if (strcmp (name, "throw") == 0)
    *out = ls_builtin_new ("throw", greenlet_throw_method, ls_value_ref (ls_object (self)), NULL, NULL);
  else if (strcmp (name, "dead") == 0)
    *out = ls_bool (g->dead);
  else if (strcmp (name, "parent") == 0)
    *out = g->parent ? ls_value_ref (ls_object (g->parent)) : ls_none ();
  else if (strcmp (name, "run") == 0 && !g->started && !ls_is_none (g->run))
    *out = ls_value_ref (g->run);
  else if (strcmp (name, "gr_frame") == 0)
    *out = ls_none ();
  else if (strcmp (name, "__bool__") == 0)
    *out = ls_bool (g->started && !g->dead);
  else
    {
      (void) st;
      *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'",
                          g->is_gevent ? "Greenlet" : "greenlet.greenlet", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
greenlet_setattr (LsObject *self, const char *name, LsValue value, LsValue *error)
{
  LsGreenlet *g = (LsGreenlet *) self;
  if (strcmp (name, "parent") == 0 && is_greenlet (value))
    {
      LsGreenlet *p = (LsGreenlet *) ls_value_as_object (value);
      for (LsGreenlet *q = p; q; q = q->parent)
        if (q == g)
          {
            *error = ls_exc_newf (&ls_exc_ValueError, "cyclic parent chain");
            return FALSE;
          }
      ls_object_unref (g->parent);
      g->parent = ls_object_ref (p);
      return TRUE;
    }
  if (strcmp (name, "run") == 0 && !g->started)
    {
      ls_value_set (&g->run, ls_value_ref (value));
      return TRUE;
    }
  *error = ls_exc_newf (&ls_exc_AttributeError, "attribute '%s' of greenlet objects cannot be set here", name);
  return FALSE;
}

static const LsTypeSlots greenlet_slots = { .getattr = greenlet_getattr, .setattr = greenlet_setattr };

static const LsClass greenlet_class = {
  .name = "greenlet.greenlet",
  .finalize = greenlet_finalize,
  .repr = greenlet_repr,
  .ops = &greenlet_slots,
};

/* bool(g) for a gevent Greenlet: started and not finished (through the
 * len slot, which is how the language asks an object for its truth). */
static gboolean
gevent_greenlet_len (LsObject *self, gint64 *len, LsValue *error)
{
  LsGreenlet *g = (LsGreenlet *) self;
  *len = g->start_called && !g->finished;
  return TRUE;
}

static const LsTypeSlots gevent_greenlet_slots = {
  .getattr = greenlet_getattr, .setattr = greenlet_setattr, .len = gevent_greenlet_len,
};

static const LsClass gevent_greenlet_class = {
  .name = "Greenlet",
  .finalize = greenlet_finalize,
  .repr = greenlet_repr,
  .ops = &gevent_greenlet_slots,
};

/* greenlet.getcurrent() */
static gboolean
greenlet_getcurrent (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  GlState *st = gl_state (vm_of (data));
  *result = ls_value_ref (ls_object (st->current));
  return TRUE;
}

/* greenlet(run=None, parent=None) */
static gboolean
greenlet_new_fn (LsValue self, gpointer data, const LsValue *args, guint nargs,
                 LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = vm_of (data);
  GlState *st = gl_state (vm);
  LsValue run = nargs > 0 ? args[0] : ls_none (), parent = nargs > 1 ? args[1] : ls_none ();
  LsGreenlet *g, *p;
  char *what, *name;

  _ls_kwarg (kwnames, kwvalues, "run", &run);
  _ls_kwarg (kwnames, kwvalues, "parent", &parent);
  if (nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "greenlet() takes at most 2 arguments (%u given)", nargs);
      return FALSE;
    }
  if (!ls_is_none (parent) && !is_greenlet (parent))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "parent must be a greenlet");
      return FALSE;
    }
  p = ls_is_none (parent) ? st->current : (LsGreenlet *) ls_value_as_object (parent);
  what = ls_is_none (run) ? g_strdup ("run()") : describe_call (run, ls_none (), ls_none ());
  {
    /* The lane is named after the function it runs: the tutorials' test1,
     * test2, ping, pong. */
    char *fname = ls_is_none (run) ? g_strdup ("greenlet") : func_name (run);
    name = g_strdup_printf ("greenlet %s", fname);
    g_free (fname);
  }
  g = greenlet_alloc (vm, st, &greenlet_class, p, run, name, what);
  g_free (name);
  g_free (what);
  *result = ls_object (g);
  return TRUE;
}

/* The `greenlet` the program imports: callable as the class, with the
 * class's static methods and exceptions as attributes. */
typedef struct {
  LsObject base;
  LsVm *vm;
  gboolean gevent;           /* gevent.Greenlet, else greenlet.greenlet */
} GreenletType;

static gboolean gevent_greenlet_new (LsVm *vm, const LsValue *args, guint nargs, LsValue kwnames,
                                     const LsValue *kwvalues, gboolean start, double delay,
                                     LsValue *result);
static gboolean gevent_spawn (LsValue self, gpointer data, const LsValue *args, guint nargs,
                              LsValue kwnames, const LsValue *kwvalues, LsValue *result);
static gboolean gevent_spawn_later (LsValue self, gpointer data, const LsValue *args, guint nargs,
                                    LsValue kwnames, const LsValue *kwvalues, LsValue *result);

static gboolean
type_call_kw (LsObject *self, const LsValue *args, guint nargs, LsValue kwnames,
              const LsValue *kwvalues, LsValue *result)
{
  GreenletType *t = (GreenletType *) self;
  if (t->gevent)
    return gevent_greenlet_new (t->vm, args, nargs, kwnames, kwvalues, FALSE, 0, result);
  return greenlet_new_fn (ls_none (), t->vm, args, nargs, kwnames, kwvalues, result);
}

static gboolean
type_call (LsObject *self, const LsValue *args, guint nargs, LsValue *result)
{
  return type_call_kw (self, args, nargs, ls_none (), NULL, result);
}

static gboolean
type_getattr (LsObject *self, const char *name, LsValue *out)
{
  GreenletType *t = (GreenletType *) self;
  if (strcmp (name, "getcurrent") == 0)
    *out = ls_builtin_new ("getcurrent", greenlet_getcurrent, ls_none (), t->vm, NULL);
  else if (strcmp (name, "GreenletExit") == 0)
    *out = ls_object (&exc_GreenletExit);
  else if (strcmp (name, "error") == 0 && !t->gevent)
    *out = ls_object (&exc_greenlet_error);
  else if (strcmp (name, "spawn") == 0 && t->gevent)
    *out = ls_builtin_new_kw ("spawn", gevent_spawn, ls_none (), t->vm, NULL);
  else if (strcmp (name, "spawn_later") == 0 && t->gevent)
    *out = ls_builtin_new_kw ("spawn_later", gevent_spawn_later, ls_none (), t->vm, NULL);
  else if (strcmp (name, "__name__") == 0)
    *out = ls_str_new (t->gevent ? "Greenlet" : "greenlet");
  else
    {
      *out = ls_exc_newf (&ls_exc_AttributeError, "type object '%s' has no attribute '%s'",
                          t->gevent ? "Greenlet" : "greenlet.greenlet", name);
      return FALSE;
    }
  return TRUE;
}

static char *
type_repr (LsObject *self)
{
  return g_strdup (((GreenletType *) self)->gevent ? "<class 'gevent._gevent_cgreenlet.Greenlet'>"
                   : "<class 'greenlet.greenlet'>");
}

static const LsTypeSlots type_slots = { .getattr = type_getattr };

static const LsClass greenlet_type_class = {
  .name = "type",
  .repr = type_repr,
  .call = type_call,
  .call_kw = type_call_kw,
  .ops = &type_slots,
};

static LsValue
greenlet_type_new (LsVm *vm, gboolean gevent)
{
  GreenletType *t = ls_object_alloc (&greenlet_type_class, sizeof (GreenletType));
  t->vm = vm;
  t->gevent = gevent;
  return ls_object (t);
}

LsValue
_ls_mod_greenlet_new (LsVm *vm)
{
  LsValue m = _ls_module_new ("greenlet");
  _ls_module_add (m, "greenlet", greenlet_type_new (vm, FALSE));
  _ls_module_add (m, "getcurrent", ls_builtin_new ("getcurrent", greenlet_getcurrent, ls_none (), vm, NULL));
  _ls_module_add (m, "GreenletExit", ls_object (&exc_GreenletExit));
  _ls_module_add (m, "error", ls_object (&exc_greenlet_error));
  return m;
}

/* ---- the hub ------------------------------------------------------------------------------ */

static void item_free (HubItem *it);
static void timer_cancel (LsVm *vm, GlState *st, HubItem *it);

static Blocker *
blocker_ref (Blocker *b)
{
  b->refs++;
  return b;
}

static void
blocker_unref (Blocker *b)
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
  blocker_unref (l->blocker);
  ls_value_unref (l->callback);
  g_free (l);
}

static void
links_init (Links *l, gboolean notify_all)
{
  l->links = g_ptr_array_new ();
  l->notify_all = notify_all;
}

static void
links_clear (Links *l)
{
  if (!l->links)
    return;
  for (guint i = 0; i < l->links->len; i++)
    link_free (g_ptr_array_index (l->links, i));
  g_ptr_array_free (l->links, TRUE);
  l->links = NULL;
}

static void
item_free (HubItem *it)
{
  ls_object_unref (it->target);
  ls_value_unref (it->payload);
  ls_value_unref (it->exc);
  ls_value_unref (it->timeout);
  blocker_unref (it->blocker);
  ls_object_unref (it->obj);
  if (it->targets)
    g_ptr_array_free (it->targets, TRUE);
  g_free (it);
}

static GlState *
hub_state (LsVm *vm)
{
  GlState *st = gl_state (vm);
  if (!st->hub)
    {
      st->hub = greenlet_alloc (vm, st, &greenlet_class, st->main, ls_none (), "Hub", "Hub.run()");
      st->hub->is_hub = TRUE;
    }
  return st;
}

static HubItem *
item_new (GlState *st, ItemKind kind, LsGreenlet *target, LsValue payload, LsValue exc)
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

static void
hub_callback (GlState *st, HubItem *it)
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
  g_ptr_array_insert (st->timers, (gint) lo, it);
  emit (vm, LS_EVENT_TIMER_ADDED, st->current ? st->current->id : 0, it->id, 0, LS_REASON_NONE,
        it->deadline, vm->calling_line, what, NULL);
}

/* Takes a timer out of the list (timer.close()) and frees it. */
static void
timer_cancel (LsVm *vm, GlState *st, HubItem *it)
{
  if (!g_ptr_array_remove (st->timers, it))
    return;
  emit (vm, LS_EVENT_TIMER_CANCELLED, st->current ? st->current->id : 0, it->id, 0, LS_REASON_NONE,
        it->deadline, 0, NULL, NULL);
  item_free (it);
}

/* ---- links ------------------------------------------------------------------------------- */

/* The gevent objects greenlets wait on (event.py, queue.py, lock.py,
 * pool.py), defined further down. */
typedef struct {
  LsObject base;
  LsVm *vm;
  Links links;
  gboolean async_result;     /* AsyncResult, else Event */
  gboolean flag;             /* Event: set; AsyncResult: has a value or exception */
  /* AsyncResult, as gevent keeps _value and _exc_info apart: set() after
   * set_exception() (or the other way round) keeps both, and a value,
   * when there is one, is what get() returns and makes it successful. */
  gboolean has_value;
  LsValue value;             /* None until set() */
  LsValue exception;         /* None, or what get() raises when there is no value */
} GEvent;

typedef struct {
  LsObject base;
  LsVm *vm;
  Links links;
  gint64 counter;
  gint64 initial;
  gboolean bounded;
} GSem;

typedef struct {
  LsObject base;
  LsVm *vm;
  GQueue items;              /* LsValue* boxed */
  gint64 maxsize;            /* -1: unbounded */
  GQueue getters;            /* Blocker*, strong */
  GQueue putters;            /* Blocker*, strong */
  gboolean unlock_scheduled;
  gboolean joinable;
  gint64 unfinished;
  GEvent *cond;              /* JoinableQueue: set when every task is done */
} GQueueObj;

typedef struct {
  LsObject base;
  LsVm *vm;
  GPtrArray *members;        /* LsGreenlet*, strong, in the order added */
  GPtrArray *dying;          /* LsGreenlet*, borrowed from members: killed, not yet gone */
  GEvent *empty;             /* set while members is empty */
  GSem *sem;                 /* Pool: its size; Group: NULL */
  gint64 size;               /* Pool: -1 for None */
} GPool;

static const LsClass gevent_event_class;
static const LsClass gevent_sem_class;
static const LsClass gevent_queue_class;
static const LsClass gevent_pool_class;

static Links *
links_of (LsObject *o)
{
  if (o->cls == &gevent_greenlet_class)
    return &((LsGreenlet *) o)->links;
  if (o->cls == &gevent_event_class)
    return &((GEvent *) o)->links;
  if (o->cls == &gevent_sem_class)
    return &((GSem *) o)->links;
  return NULL;
}

static gboolean
linkable_ready (LsObject *o)
{
  if (o->cls == &gevent_greenlet_class)
    return ((LsGreenlet *) o)->finished;
  if (o->cls == &gevent_event_class)
    return ((GEvent *) o)->flag;
  if (o->cls == &gevent_sem_class)
    return ((GSem *) o)->counter > 0;
  return FALSE;
}

/* _check_and_notify: schedules the links' notification when the object
 * is ready and someone is linked. */
static void
check_and_notify (GlState *st, LsObject *o)
{
  Links *l = links_of (o);
  if (l && linkable_ready (o) && l->links->len && !l->notifier)
    {
      HubItem *it = item_new (st, ITEM_NOTIFY, NULL, ls_none (), ls_none ());
      it->obj = ls_object_ref (o);
      l->notifier = TRUE;
      hub_callback (st, it);
    }
}

static void
add_link (GlState *st, LsObject *o, Link *link)
{
  g_ptr_array_add (links_of (o)->links, link);
  check_and_notify (st, o);
}

static void
link_blocker (GlState *st, LsObject *o, Blocker *b)
{
  Link *l = g_new0 (Link, 1);
  l->kind = LINK_BLOCKER;
  l->blocker = blocker_ref (b);
  l->callback = ls_none ();
  g_ptr_array_add (b->objs, ls_object_ref (o));
  add_link (st, o, l);
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
    blocker_unref (b);
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
      if (o->cls == &gevent_queue_class)
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
      blocker_unref (b);
    }
}

/* A new blocker for the current greenlet. */
static Blocker *
blocker_new (GlState *st, BlockKind kind)
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
    blocker_unref (st->current->blocked_on);
  st->current->blocked_on = blocker_ref (b);
  return b;
}

static gboolean
blocker_live (Blocker *b)
{
  return b->active && b->gen == b->who->wait_gen && !b->who->dead;
}

/* The blocker's timeout: after seconds, unless woken first, it stops
 * waiting and gets value, or exc raised. */
static void
blocker_timeout (LsVm *vm, GlState *st, Blocker *b, double seconds, LsValue value, LsValue exc,
                 const char *what)
{
  HubItem *it = item_new (st, ITEM_TIMEOUT, NULL, ls_none (), ls_none ());
  it->blocker = blocker_ref (b);
  ls_value_set (&b->tvalue, value);
  ls_value_set (&b->texc, exc);
  b->timer = it;
  hub_timer (vm, st, it, seconds > 0 ? seconds : 0, what);
}

static gboolean hub_wait (LsVm *vm, GlState *st, const char *why, LsValue *result);

/* Blocks the current greenlet on b (taken) until it is woken. */
static gboolean
blocker_wait (LsVm *vm, GlState *st, Blocker *b, const char *why, LsValue *result)
{
  blocker_unref (b);
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

static void pool_add_started (GlState *st, GPool *p, LsGreenlet *g);
static void greenlet_start (GlState *st, LsGreenlet *g);
static gboolean queue_take (GQueueObj *q, gboolean peek, LsValue *item);

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
        pool_add_started (st, (GPool *) g_ptr_array_index (b->objs, 1), g);
        *value = ls_value_ref (b->item);
      }
      break;
    case BLOCK_QGET:
    case BLOCK_QPEEK:
      queue_take ((GQueueObj *) source, b->kind == BLOCK_QPEEK, value);
      break;
    }
}

/* Wakes b's greenlet (it is live): *target and what it gets. */
static void
blocker_wake (LsVm *vm, GlState *st, Blocker *b, LsObject *source, LsGreenlet **target, LsValue *args,
              LsValue *exc)
{
  LsValue v;
  blocker_ref (b);
  blocker_deliver (vm, st, b, source, &v, exc);
  blocker_finish (vm, st, b);
  *target = ls_object_ref (b->who);
  *args = ls_tuple_new (1, &v);
  blocker_unref (b);
}

static gboolean greenlet_successful (LsGreenlet *g);
static void group_discard (GlState *st, GPool *p, LsGreenlet *g);

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
        if (!b->active || (!b->iwait && !blocker_live (b)))
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
                blocker_unref (b);
                *target = ls_object_ref (b->who);
                *args = ls_tuple_new (1, &src);
                *exc = ls_none ();
                return TRUE;
              }
            return FALSE;
          }
        if (b->kind == BLOCK_MULTI)
          {
            gboolean failed = source->cls == &gevent_greenlet_class
                              && !ls_is_none (((LsGreenlet *) source)->exception);
            g_ptr_array_add (b->done, ls_object_ref (source));
            if (b->raise_error && failed)
              {
                blocker_ref (b);
                blocker_finish (vm, st, b);
                *target = ls_object_ref (b->who);
                *args = ls_tuple_new (0, NULL);
                *exc = ls_value_ref (((LsGreenlet *) source)->exception);
                blocker_unref (b);
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
        blocker_wake (vm, st, b, source, target, args, exc);
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
        what = describe_call (l->callback, ls_none (), ls_none ());
        fname = func_name (l->callback);
        name = g_strdup_printf ("greenlet %s", fname);
        g = greenlet_alloc (vm, st, &greenlet_class, st->hub, l->callback, name, what);
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
            link_report_error (vm, context, FALSE, r);
            ls_value_unref (context);
          }
        ls_value_unref (r);
        return FALSE;
      }
    case LINK_DISCARD:
      group_discard (st, (GPool *) ls_value_as_object (l->callback), (LsGreenlet *) source);
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
  gboolean greenlet = o->cls == &gevent_greenlet_class;

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
    check_and_notify (st, o);
  return FALSE;
}

static gboolean unlock_step (LsVm *vm, GlState *st, HubItem *it, LsGreenlet **target, LsValue *args,
                             LsValue *exc);
static gboolean kill_step (LsVm *vm, GlState *st, HubItem *it, LsGreenlet **target, LsValue *args,
                           LsValue *exc);

/* What the hub does next: the switch it makes (target taken by the
 * caller, args/kwargs/exc owned). */
static void
hub_next (LsVm *vm, GlState *st, LsGreenlet **target, LsValue *args, LsValue *kwargs, LsValue *exc,
          const char **why)
{
  *kwargs = ls_none ();
  *why = "idle";
  for (;;)
    {
      HubItem *it = g_queue_pop_head (&st->callbacks);
      if (it && (it->kind == ITEM_NOTIFY || it->kind == ITEM_UNLOCK || it->kind == ITEM_KILL))
        {
          gboolean switched = it->kind == ITEM_NOTIFY ? notify_step (vm, st, it, target, args, exc)
                              : it->kind == ITEM_UNLOCK ? unlock_step (vm, st, it, target, args, exc)
                              : kill_step (vm, st, it, target, args, exc);
          if (switched)
            {
              g_queue_push_head (&st->callbacks, it);
              return;
            }
          item_free (it);
          continue;
        }
      if (!it && st->timers->len)
        {
          it = g_ptr_array_steal_index (st->timers, 0);
          if (it->deadline > _ls_vm_now (vm) && !ls_loop_get_running ())
            {
              /* The hub has nothing to do until then: it is switched
               * out to nobody while the clock moves, so that its lane
               * shows it idle, waiting on the timer, not busy. */
              emit (vm, LS_EVENT_GREENLET_SWITCH, 0, 0, st->hub->id, LS_REASON_NONE, 0, 0, "timer", NULL);
              vm->clock = it->deadline;
              emit (vm, LS_EVENT_CLOCK_ADVANCED, 0, 0, 0, LS_REASON_NONE, vm->clock, 0, NULL, NULL);
              emit (vm, LS_EVENT_GREENLET_SWITCH, st->hub->id, 0, 0, LS_REASON_NONE, 0, 0, "timer", NULL);
            }
          emit (vm, LS_EVENT_TIMER_FIRED, 0, it->id, 0, LS_REASON_NONE, it->deadline, 0, NULL, NULL);
          if (!ls_is_none (it->timeout))
            g_hash_table_remove (st->timeouts, ls_value_as_object (it->timeout));
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
          item_free (it);
          return;
        case ITEM_WAKE:
          /* Woken since (or dead): stale.  A Timeout (gen G_MAXUINT)
           * fires whatever its greenlet waits on. */
          if (it->target->dead || (it->gen != G_MAXUINT && it->gen != it->target->wait_gen))
            break;
          *target = ls_object_ref (it->target);
          *args = ls_value_steal (&it->payload);
          *exc = ls_value_steal (&it->exc);
          item_free (it);
          return;
        case ITEM_TIMEOUT:
          {
            Blocker *b = it->blocker;
            gboolean live = blocker_live (b) && b->who->blocked_on == b;
            b->timer = NULL;      /* this one, out of the list already */
            if (b->iwait && b->active && !live)
              {
                blocker_finish (vm, st, b);   /* over: the next next() ends */
                break;
              }
            if (!live)
              break;
            blocker_wake (vm, st, b, NULL, target, args, exc);
            item_free (it);
            return;
          }
        default:
          break;
        }
      item_free (it);
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
  char *who = greenlet_repr ((LsObject *) g);
  report_failure (vm, "  File \"src/gevent/greenlet.py\", line 908, in gevent._gevent_cgreenlet.Greenlet.run\n",
                  who, exc);
  g_free (who);
}

/* The hub's report of a link that raised (context: the tuple (callback,
 * greenlet) gevent names): below the frames of the compiled
 * Greenlet._notify_links and, for link(cb), of SpawnedLink.__call__. */
static void
link_report_error (LsVm *vm, LsValue context, gboolean spawned, LsValue exc)
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

static void
gevent_on_death (LsVm *vm, GlState *st, LsGreenlet *g, LsCoroStatus how, LsValue out)
{
  gboolean error = how == LS_CORO_RAISE && !ls_exc_matches (out, &exc_GreenletExit);
  /* _report_result / _report_error: the result, the links told through
   * a callback, then (an error) the hub's report. */
  g->finished = TRUE;
  if (error)
    ls_value_set (&g->exception, ls_value_ref (out));
  else
    ls_value_set (&g->value, ls_value_ref (out));
  check_and_notify (st, (LsObject *) g);
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
  return gl_switch (vm, st->hub, ls_tuple_new (0, NULL), ls_none (), ls_none (), why, result);
}

static gboolean
gevent_sleep_secs (LsVm *vm, double secs, LsValue *result)
{
  GlState *st = hub_state (vm);
  if (secs > 0)
    {
      /* with loop.timer(seconds) as t: hub.wait(t) */
      Blocker *b = blocker_new (st, BLOCK_SLEEP);
      blocker_timeout (vm, st, b, secs, ls_none (), ls_none (), "gevent.sleep");
      return blocker_wait (vm, st, b, "sleep", result);
    }
  {
    LsValue none = ls_none ();
    HubItem *it = item_new (st, ITEM_WAKE, st->current, ls_tuple_new (1, &none), ls_none ());
    it->gen = st->current->wait_gen;
    hub_callback (st, it);
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
  if (!gevent_sleep_secs (vm_of (data), secs, result))
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
static gboolean
gevent_greenlet_new (LsVm *vm, const LsValue *args, guint nargs, LsValue kwnames,
                     const LsValue *kwvalues, gboolean start, double delay, LsValue *result)
{
  GlState *st = hub_state (vm);
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
  fargs = args_tuple (args + 1, nargs - 1);
  fkw = kwargs_dict (kwnames, kwvalues, result, &ok);
  if (!ok)
    {
      ls_value_unref (fargs);
      ls_value_unref (fkw);
      return FALSE;
    }
  what = describe_call_as (run, fargs, fkw, TRUE);
  name = g_strdup_printf ("Greenlet-%u", st->gevent_numbers);
  g = greenlet_alloc (vm, st, &gevent_greenlet_class, st->hub, run, name, what);
  g->gevent_number = st->gevent_numbers++;
  ls_value_set (&g->args, fargs);
  g->kwargs = fkw;
  g_free (name);
  g_free (what);
  links_init (&g->links, TRUE);
  if (start)
    {
      HubItem *it = item_new (st, ITEM_START, g, ls_none (), ls_none ());
      g->start_scheduled = TRUE;
      g->start_called = TRUE;
      if (delay > 0)
        hub_timer (vm, st, it, delay, "spawn_later");
      else
        hub_callback (st, it);
    }
  *result = ls_object (g);
  return TRUE;
}

/* gevent.spawn(run, *args, **kwargs) */
static gboolean
gevent_spawn (LsValue self, gpointer data, const LsValue *args, guint nargs,
              LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  return gevent_greenlet_new (vm_of (data), args, nargs, kwnames, kwvalues, TRUE, 0, result);
}

/* gevent.spawn_later(seconds, run, *args, **kwargs) */
static gboolean
gevent_spawn_later (LsValue self, gpointer data, const LsValue *args, guint nargs,
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
  return gevent_greenlet_new (vm_of (data), args + 1, nargs - 1, kwnames, kwvalues, TRUE,
                              secs > 0 ? secs : 0, result);
}

static gboolean
optional_timeout (LsValue v, double *timeout, LsValue *error)
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
  GlState *st = hub_state (vm);
  guint count = objs->len;
  Blocker *b;

  if (!ls_is_none (count_v) && ls_value_kind (count_v) == LS_KIND_INT)
    count = (guint) CLAMP (ls_value_as_int (count_v), 0, (gint64) objs->len);
  if (count == 0)
    {
      *result = ls_list_new ();
      return TRUE;
    }
  b = blocker_new (st, BLOCK_MULTI);
  b->done = g_ptr_array_new_with_free_func (ls_object_unref);
  b->count = count;
  b->raise_error = raise_error;
  for (guint i = 0; i < objs->len; i++)
    link_blocker (st, g_ptr_array_index (objs, i), b);
  if (timeout >= 0)
    blocker_timeout (vm, st, b, timeout, ls_none (), ls_none (), "wait timeout");
  return blocker_wait (vm, st, b, why, result);
}

/* gevent.joinall(greenlets, timeout=None, raise_error=False, count=None)
 * and gevent.wait(objects=None, timeout=None, count=None). */
static gboolean
gevent_joinall_common (gboolean joinall, gpointer data, const LsValue *args, guint nargs,
                       LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = vm_of (data);
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
  if (!optional_timeout (tmo, &timeout, result))
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
      blocker_unref (w->b);
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
  GlState *st = hub_state (w->vm);
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
      b = w->b = blocker_new (st, BLOCK_MULTI);
      b->done = g_ptr_array_new_with_free_func (ls_object_unref);
      b->count = 1;
      b->iwait = TRUE;
      for (guint i = 0; i < w->objs->len; i++)
        link_blocker (st, g_ptr_array_index (w->objs, i), b);
      if (w->timeout >= 0)
        blocker_timeout (w->vm, st, b, w->timeout, ls_none (), ls_exc_new (&ls_exc_StopIteration, 0, NULL),
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
  if (st->current != st->main)
    {
      *out = ls_exc_newf (&ls_exc_RuntimeError, "iterating gevent.iwait() in a greenlet other than the main "
                          "one is not supported: use gevent.wait(objects, count=1)");
      return -1;
    }
  /* Wait for one more: the blocker stays linked to the others. */
  b->count = w->given + 1;
  b->gen = st->current->wait_gen;
  if (b->who->blocked_on == b)
    {
      /* Still there from the last next(): that place holds a reference. */
      b->who->blocked_on = NULL;
      blocker_unref (b);
    }
  ls_object_unref (b->who);
  b->who = ls_object_ref (st->current);
  if (st->current->blocked_on)
    blocker_unref (st->current->blocked_on);
  st->current->blocked_on = blocker_ref (b);
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
  LsVm *vm = vm_of (data);
  LsValue seq = nargs ? args[0] : ls_none (), tmo = nargs > 1 ? args[1] : ls_none ();
  LsValue count_v = nargs > 2 ? args[2] : ls_none ();
  IWait *w;
  GPtrArray *objs;
  double timeout;

  _ls_kwarg (kwnames, kwvalues, "objects", &seq);
  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  _ls_kwarg (kwnames, kwvalues, "count", &count_v);
  if (!optional_timeout (tmo, &timeout, result))
    return FALSE;
  objs = linkables_of (seq, "iwait", result);
  if (!objs)
    return FALSE;
  hub_state (vm);
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
  GlState *st = hub_state (g->vm);
  double timeout;
  Blocker *b;

  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  if (!optional_timeout (tmo, &timeout, result))
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
  b = blocker_new (st, BLOCK_JOIN);
  link_blocker (st, (LsObject *) g, b);
  if (timeout >= 0)
    blocker_timeout (g->vm, st, b, timeout, ls_none (), ls_none (), "join timeout");
  return blocker_wait (g->vm, st, b, "join", result);
}

static LsValue
timeout_new (double seconds)
{
  LsValue v = ls_float (seconds);
  return ls_exc_new (&exc_Timeout, 1, &v);
}

/* Greenlet.get(block=True, timeout=None) */
static gboolean
gevent_get_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                   LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  LsValue block = nargs ? args[0] : ls_bool (TRUE), tmo = nargs > 1 ? args[1] : ls_none ();
  GlState *st = hub_state (g->vm);
  double timeout;
  Blocker *b;

  _ls_kwarg (kwnames, kwvalues, "block", &block);
  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  if (!optional_timeout (tmo, &timeout, result))
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
      *result = ls_exc_new (&exc_Timeout, 0, NULL);
      return FALSE;
    }
  if (g == st->current)
    {
      *result = ls_exc_newf (&ls_exc_RuntimeError, "a greenlet cannot wait for itself");
      return FALSE;
    }
  b = blocker_new (st, BLOCK_GET);
  link_blocker (st, (LsObject *) g, b);
  if (timeout >= 0)
    blocker_timeout (g->vm, st, b, timeout, ls_none (), timeout_new (timeout), "get timeout");
  return blocker_wait (g->vm, st, b, "get", result);
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
  if (!blocker_live (b))
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
      blocker_wake (vm, st, b, (LsObject *) st->hub, target, args, exc);
      return TRUE;
    }
  /* join(timeout) / joinall(alive): the killer goes on waiting. */
  b->kind = BLOCK_MULTI;
  b->quiet = TRUE;
  b->done = g_ptr_array_new_with_free_func (ls_object_unref);
  b->count = diehards->len;
  for (guint i = 0; i < diehards->len; i++)
    link_blocker (st, g_ptr_array_index (diehards, i), b);
  g_ptr_array_free (diehards, TRUE);
  if (!ls_is_none (b->kill_timeout))
    blocker_timeout (vm, st, b, ls_value_as_float (b->kill_timeout), ls_none (), ls_none (),
                     "join timeout");
  return FALSE;
}

/* Schedules the throw of exc (taken) into targets (borrowed); block:
 * the current greenlet waits until they died, at most timeout seconds
 * (group: Group.kill, until their links were told too). */
static gboolean
kill_schedule (LsVm *vm, GlState *st, GPtrArray *targets, LsValue exc, gboolean block, double timeout,
               gboolean group, LsValue *result)
{
  HubItem *it = item_new (st, ITEM_KILL, NULL, ls_none (), exc);
  it->group = group;
  it->targets = g_ptr_array_new_with_free_func (ls_object_unref);
  for (guint i = 0; i < targets->len; i++)
    g_ptr_array_add (it->targets, ls_object_ref (g_ptr_array_index (targets, i)));
  if (!block)
    {
      hub_callback (st, it);
      *result = ls_none ();
      return TRUE;
    }
  it->blocker = blocker_new (st, BLOCK_KILL);
  it->blocker->kill_timeout = timeout >= 0 ? ls_float (timeout) : ls_none ();
  hub_callback (st, it);
  return hub_wait (vm, st, "kill", result);
}


/* Kills g with exc (taken); block: waits until it is dead, at most
 * timeout seconds (< 0: no limit). */
static gboolean
kill_greenlet (LsVm *vm, LsGreenlet *g, LsValue exc, gboolean block, double timeout, LsValue *result)
{
  GlState *st = hub_state (vm);

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
      gevent_on_death (vm, st, g, ls_exc_matches (exc, &exc_GreenletExit) ? LS_CORO_RETURN : LS_CORO_RAISE,
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
    ok = kill_schedule (vm, st, one, exc, block, timeout, FALSE, result);
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
  LsValue exc_arg = nargs > 0 ? args[0] : ls_object (&exc_GreenletExit);
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
  if (!optional_timeout (tmo, &timeout, result))
    return FALSE;
  if (!exception_from_args (&exc_arg, 1, &exc_GreenletExit, &exc))
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
  return kill_common (vm_of (data), args[0], args + 1, nargs - 1, kwnames, kwvalues, result);
}

/* gevent.killall(greenlets, exception=GreenletExit, block=True,
 * timeout=None): _killall throws into each live one from one callback,
 * then (block) the caller joins them all. */
static gboolean
gevent_killall (LsValue self, gpointer data, const LsValue *args, guint nargs,
                LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = vm_of (data);
  GlState *st = hub_state (vm);
  LsValue seq = nargs ? args[0] : ls_none ();
  LsValue exc_arg = nargs > 1 ? args[1] : ls_object (&exc_GreenletExit);
  LsValue block = nargs > 2 ? args[2] : ls_bool (TRUE), tmo = nargs > 3 ? args[3] : ls_none ();
  GPtrArray *objs, *alive;
  double timeout;
  gboolean ok = TRUE;

  _ls_kwarg (kwnames, kwvalues, "greenlets", &seq);
  _ls_kwarg (kwnames, kwvalues, "exception", &exc_arg);
  _ls_kwarg (kwnames, kwvalues, "block", &block);
  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  if (!optional_timeout (tmo, &timeout, result))
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
          exception_from_args (&exc_arg, 1, &exc_GreenletExit, &exc);
          kill_greenlet (vm, g, exc, FALSE, -1, &r);
          ls_value_unref (r);
        }
      else if (g->is_gevent && !g->finished)
        g_ptr_array_add (alive, ls_object_ref (g));
    }
  if (alive->len)
    {
      LsValue exc;
      if (!exception_from_args (&exc_arg, 1, &exc_GreenletExit, &exc))
        {
          *result = exc;
          ok = FALSE;
          goto out;
        }
      ok = kill_schedule (vm, st, alive, exc, ls_value_truthy (block), timeout, FALSE, result);
      goto out;
    }
  *result = ls_none ();
out:
  g_ptr_array_free (alive, TRUE);
  g_ptr_array_free (objs, TRUE);
  return ok;
}

static void
greenlet_start (GlState *st, LsGreenlet *g)
{
  if (!g->started && !g->start_scheduled && !g->dead && !g->finished)
    {
      g->start_scheduled = TRUE;
      g->start_called = TRUE;
      hub_callback (st, item_new (st, ITEM_START, g, ls_none (), ls_none ()));
    }
}

/* Greenlet.start() */
static gboolean
gevent_start_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  greenlet_start (hub_state (g->vm), g);
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
  GlState *st = hub_state (g->vm);
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
  add_link (st, (LsObject *) g, l);
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

static gboolean
gevent_greenlet_getattr (LsGreenlet *g, const char *name, LsValue *out, gboolean *found)
{
  static const struct {
    const char *name;
    LsBuiltinFn fn;
    LsBuiltinKwFn kwfn;
  } methods[] = {
    { "join", NULL, gevent_join_method },
    { "get", NULL, gevent_get_method },
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
/* ---- gevent.event: Event and AsyncResult ------------------------------------------------ */

static void
event_finalize (LsObject *self)
{
  GEvent *e = (GEvent *) self;
  links_clear (&e->links);
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
  GEvent *e = ls_object_alloc (&gevent_event_class, sizeof (GEvent));
  e->vm = vm;
  e->async_result = async_result;
  e->value = ls_none ();
  e->exception = ls_none ();
  links_init (&e->links, TRUE);
  hub_state (vm);
  return e;
}

static void
event_set (GlState *st, GEvent *e)
{
  e->flag = TRUE;
  check_and_notify (st, (LsObject *) e);
}

/* Event.wait / AsyncResult.get / AsyncResult.wait: blocks until set. */
static gboolean
event_block (GEvent *e, BlockKind kind, double timeout, LsValue tvalue, LsValue texc, LsValue *result)
{
  GlState *st = hub_state (e->vm);
  Blocker *b = blocker_new (st, kind);
  link_blocker (st, (LsObject *) e, b);
  if (timeout >= 0)
    blocker_timeout (e->vm, st, b, timeout, tvalue, texc, "wait timeout");
  else
    {
      ls_value_unref (tvalue);
      ls_value_unref (texc);
    }
  return blocker_wait (e->vm, st, b, kind == BLOCK_EVENT ? "event" : "result", result);
}

static gboolean
timeout_arg (const LsValue *args, guint nargs, guint at, LsValue kwnames, const LsValue *kwvalues,
             double *timeout, LsValue *error)
{
  LsValue tmo = nargs > at ? args[at] : ls_none ();
  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  return optional_timeout (tmo, timeout, error);
}

static gboolean
event_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
              LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  GEvent *e = (GEvent *) ls_value_as_object (self);
  GlState *st = hub_state (e->vm);
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
              if (!exception_from_args (&v, 1, &ls_exc_Exception, &exc))
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
        return event_block (e, BLOCK_RESULT_WAIT, timeout, ls_none (), ls_none (), result);
      return event_block (e, BLOCK_EVENT, timeout, ls_bool (FALSE), ls_none (), result);
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
          *result = ls_exc_new (&exc_Timeout, 0, NULL);
          return FALSE;
        }
      return event_block (e, BLOCK_RESULT, timeout, ls_none (),
                          timeout >= 0 ? timeout_new (timeout) : ls_none (), result);
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

static const LsClass gevent_event_class = {
  .name = "Event",
  .finalize = event_finalize,
  .repr = event_repr,
  .ops = &event_slots,
};

static gboolean
gevent_event_new (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_object (event_new (vm_of (NULL), GPOINTER_TO_INT (data)));
  return TRUE;
}

/* ---- gevent.lock: Semaphore, BoundedSemaphore ---------------------------------------------- */

static void
sem_finalize (LsObject *self)
{
  links_clear (&((GSem *) self)->links);
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
  GSem *s = ls_object_alloc (&gevent_sem_class, sizeof (GSem));
  s->vm = vm;
  s->counter = s->initial = value;
  s->bounded = bounded;
  links_init (&s->links, FALSE);
  hub_state (vm);
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
  check_and_notify (st, (LsObject *) s);
  return TRUE;
}

static gboolean
sem_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
            LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  GSem *s = (GSem *) ls_value_as_object (self);
  GlState *st = hub_state (s->vm);
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
      if (name[0] == '_' && st->current != st->main)
        {
          /* A with statement calls __enter__ outside a call: a greenlet
           * cannot switch away there. */
          *result = ls_exc_newf (&ls_exc_RuntimeError, "'with semaphore:' that must wait, in a greenlet other "
                                 "than the main one, is not supported: call acquire() and release()");
          return FALSE;
        }
      b = blocker_new (st, BLOCK_SEM);
      link_blocker (st, (LsObject *) s, b);
      if (timeout >= 0)
        blocker_timeout (s->vm, st, b, timeout, ls_bool (FALSE), ls_none (), "acquire timeout");
      return blocker_wait (s->vm, st, b, "acquire", result);
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
      b = blocker_new (st, BLOCK_SEM_WAIT);
      link_blocker (st, (LsObject *) s, b);
      if (timeout >= 0)
        blocker_timeout (s->vm, st, b, timeout, ls_int (0), ls_none (), "wait timeout");
      return blocker_wait (s->vm, st, b, "acquire", result);
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

static const LsClass gevent_sem_class = {
  .name = "Semaphore",
  .finalize = sem_finalize,
  .repr = sem_repr,
  .ops = &sem_slots,
};

static gboolean
gevent_sem_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
                LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsValue v = nargs ? args[0] : ls_int (1);
  _ls_kwarg (kwnames, kwvalues, "value", &v);
  if (ls_value_kind (v) != LS_KIND_INT || ls_value_as_int (v) < 0)
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "semaphore initial value must be >= 0");
      return FALSE;
    }
  *result = ls_object (sem_new (vm_of (NULL), ls_value_as_int (v), GPOINTER_TO_INT (data)));
  return TRUE;
}

/* ---- gevent.queue: Queue, JoinableQueue ------------------------------------------------------ */

static const LsExcType exc_Empty = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "Empty", &ls_exc_Exception, "queue",
};
static const LsExcType exc_Full = {
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
    blocker_unref (b);
  while ((b = g_queue_pop_head (&q->putters)))
    blocker_unref (b);
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

static gboolean
queue_take (GQueueObj *q, gboolean peek, LsValue *item)
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
      HubItem *it = item_new (st, ITEM_UNLOCK, NULL, ls_none (), ls_none ());
      it->obj = ls_object_ref (q);
      q->unlock_scheduled = TRUE;
      hub_callback (st, it);
    }
}

/* Drops blockers at the head of a list that no longer wait. */
static Blocker *
queue_first_live (GQueue *list)
{
  Blocker *b;
  while ((b = g_queue_peek_head (list)) && !blocker_live (b))
    blocker_unref (g_queue_pop_head (list));
  return b;
}

/* Queue._unlock, resumed after each switch it makes. */
static gboolean
unlock_step (LsVm *vm, GlState *st, HubItem *it, LsGreenlet **target, LsValue *args, LsValue *exc)
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
              blocker_wake (vm, st, b, (LsObject *) q, target, args, exc);
              return TRUE;
            }
        }
      it->phase = 0;
      b = queue_first_live (&q->getters);
      if (b && q->items.length)
        {
          it->repeat = TRUE;
          blocker_wake (vm, st, b, (LsObject *) q, target, args, exc);
          return TRUE;
        }
      if (!it->repeat)
        return FALSE;
    }
}

static gboolean
queue_get (GQueueObj *q, gboolean block, double timeout, gboolean peek, LsValue *result)
{
  GlState *st = hub_state (q->vm);
  Blocker *b;
  if (q->items.length)
    {
      if (q->putters.length && !peek)
        queue_schedule_unlock (st, q);
      queue_take (q, peek, result);
      return TRUE;
    }
  if (!block)
    {
      *result = ls_exc_new (&exc_Empty, 0, NULL);
      return FALSE;
    }
  b = blocker_new (st, peek ? BLOCK_QPEEK : BLOCK_QGET);
  g_queue_push_tail (&q->getters, blocker_ref (b));
  g_ptr_array_add (b->objs, ls_object_ref (q));
  if (timeout >= 0)
    blocker_timeout (q->vm, st, b, timeout, ls_none (), ls_exc_new (&exc_Empty, 0, NULL), "get timeout");
  if (q->putters.length)
    queue_schedule_unlock (st, q);
  return blocker_wait (q->vm, st, b, "get", result);
}

static gboolean
queue_put (GQueueObj *q, LsValue item, gboolean block, double timeout, LsValue *result)
{
  GlState *st = hub_state (q->vm);
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
      *result = ls_exc_new (&exc_Full, 0, NULL);
      return FALSE;
    }
  b = blocker_new (st, BLOCK_QPUT);
  ls_value_set (&b->item, ls_value_ref (item));
  g_queue_push_tail (&q->putters, blocker_ref (b));
  g_ptr_array_add (b->objs, ls_object_ref (q));
  if (timeout >= 0)
    blocker_timeout (q->vm, st, b, timeout, ls_none (), ls_exc_new (&exc_Full, 0, NULL), "put timeout");
  if (q->getters.length)
    queue_schedule_unlock (st, q);
  return blocker_wait (q->vm, st, b, "put", result);
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
        event_set (hub_state (q->vm), q->cond);
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
      return event_block (q->cond, BLOCK_EVENT, timeout, ls_bool (FALSE), ls_none (), result);
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
  GlState *st = hub_state (q->vm);
  if (st->current != st->main && !q->items.length)
    {
      /* A for loop asks for the next item outside a call: a greenlet
       * cannot switch away there. */
      *out = ls_exc_newf (&ls_exc_RuntimeError, "a for loop over an empty gevent Queue in a greenlet other "
                          "than the main one is not supported: use q.get()");
      return -1;
    }
  if (!queue_get (q, TRUE, -1, FALSE, out))
    return -1;
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

static const LsClass gevent_queue_class = {
  .name = "Queue",
  .finalize = queue_finalize,
  .repr = queue_repr,
  .ops = &queue_slots,
};

static gboolean
gevent_queue_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
                  LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = vm_of (NULL);
  LsValue size = nargs ? args[0] : ls_none (), items = nargs > 1 ? args[1] : ls_none ();
  GQueueObj *q;
  _ls_kwarg (kwnames, kwvalues, "maxsize", &size);
  _ls_kwarg (kwnames, kwvalues, "items", &items);
  if (!ls_is_none (size) && ls_value_kind (size) != LS_KIND_INT)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "maxsize must be an int or None");
      return FALSE;
    }
  q = ls_object_alloc (&gevent_queue_class, sizeof (GQueueObj));
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
  hub_state (vm);
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
static void
group_discard (GlState *st, GPool *p, LsGreenlet *g)
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
static void
pool_add_started (GlState *st, GPool *p, LsGreenlet *g)
{
  Link *l = g_new0 (Link, 1);
  l->kind = LINK_DISCARD;
  l->callback = ls_value_ref (ls_object (p));
  add_link (st, (LsObject *) g, l);
  g_ptr_array_add (p->members, ls_object_ref (g));
  p->empty->flag = FALSE;
  greenlet_start (st, g);
}

/* Pool.spawn / Group.spawn: the greenlet is made first, then added (a
 * full pool blocks here), then started. */
static gboolean
pool_spawn (GPool *p, const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues,
            LsValue *result)
{
  GlState *st = hub_state (p->vm);
  LsValue gv;
  LsGreenlet *g;
  Blocker *b;

  if (!gevent_greenlet_new (p->vm, args, nargs, kwnames, kwvalues, FALSE, 0, &gv))
    {
      *result = gv;
      return FALSE;
    }
  g = (LsGreenlet *) ls_value_as_object (gv);
  if (!p->sem || p->sem->counter > 0)
    {
      if (p->sem)
        p->sem->counter--;
      pool_add_started (st, p, g);
      *result = gv;
      return TRUE;
    }
  b = blocker_new (st, BLOCK_POOL_ADD);
  b->item = gv;
  link_blocker (st, (LsObject *) p->sem, b);
  g_ptr_array_add (b->objs, ls_object_ref (p));
  return blocker_wait (p->vm, st, b, "pool full", result);
}

static gboolean
pool_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
             LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  GPool *p = (GPool *) ls_value_as_object (self);
  GlState *st = hub_state (p->vm);
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
      return event_block (p->empty, BLOCK_EVENT, timeout, ls_bool (FALSE), ls_none (), result);
    }
  if (strcmp (name, "kill") == 0)
    {
      LsValue exc_arg = nargs ? args[0] : ls_object (&exc_GreenletExit);
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
      if (!exception_from_args (&exc_arg, 1, &exc_GreenletExit, &exc))
        {
          g_ptr_array_free (victims, TRUE);
          *result = exc;
          return FALSE;
        }
      ok = kill_schedule (p->vm, st, victims, exc, ls_value_truthy (block), timeout, TRUE, result);
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
  GlState *st = hub_state (p->vm);
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
      if (!gevent_get_method (g, NULL, NULL, 0, ls_none (), NULL, &v))
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

static const LsClass gevent_pool_class = {
  .name = "Pool",
  .finalize = pool_finalize,
  .repr = pool_repr,
  .ops = &pool_slots,
};

static gboolean
gevent_pool_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
                 LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = vm_of (NULL);
  gboolean pool = GPOINTER_TO_INT (data);
  LsValue size = pool && nargs ? args[0] : ls_none ();
  GPool *p;
  _ls_kwarg (kwnames, kwvalues, "size", &size);
  if (!ls_is_none (size) && (ls_value_kind (size) != LS_KIND_INT || ls_value_as_int (size) < 0))
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "size must not be negative");
      return FALSE;
    }
  p = ls_object_alloc (&gevent_pool_class, sizeof (GPool));
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

/* gevent.getcurrent() */
static gboolean
gevent_getcurrent (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  GlState *st = hub_state (vm_of (data));
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
  GlState *st = hub_state (vm_of (data));
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
  GlState *st = vm_of (data)->greenlets;
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
  LsVm *vm = vm_of (data);
  GlState *st = hub_state (vm);
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
  it = item_new (st, ITEM_WAKE, st->current, ls_tuple_new (0, NULL), ls_value_ref (self));
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
  LsVm *vm = vm_of (data);
  GlState *st = vm->greenlets;
  HubItem *it = st ? g_hash_table_lookup (st->timeouts, ls_value_as_object (self)) : NULL;
  if (it)
    {
      g_hash_table_remove (st->timeouts, ls_value_as_object (self));
      g_ptr_array_remove (st->timers, it);
      emit (vm, LS_EVENT_TIMER_CANCELLED, st->current->id, it->id, 0, LS_REASON_NONE, it->deadline, 0, NULL, NULL);
      item_free (it);
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
  if (e->type != &exc_Timeout)
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

  _ls_module_add (m, "spawn", ls_builtin_new_kw ("spawn", gevent_spawn, ls_none (), vm, NULL));
  _ls_module_add (m, "spawn_later", ls_builtin_new_kw ("spawn_later", gevent_spawn_later, ls_none (), vm, NULL));
  _ls_module_add (m, "joinall", ls_builtin_new_kw ("joinall", gevent_joinall, ls_none (), vm, NULL));
  _ls_module_add (m, "sleep", ls_builtin_new_kw ("sleep", gevent_sleep, ls_none (), vm, NULL));
  _ls_module_add (m, "kill", ls_builtin_new_kw ("kill", gevent_kill, ls_none (), vm, NULL));
  _ls_module_add (m, "getcurrent", ls_builtin_new ("getcurrent", gevent_getcurrent, ls_none (), vm, NULL));
  _ls_module_add (m, "Greenlet", greenlet_type_new (vm, TRUE));
  _ls_module_add (m, "GreenletExit", ls_object (&exc_GreenletExit));
  _ls_module_add (m, "Timeout", ls_object (&exc_Timeout));
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
    _ls_module_add (ev, "Event", ls_builtin_new ("Event", gevent_event_new, ls_none (), GINT_TO_POINTER (0), NULL));
    _ls_module_add (ev, "AsyncResult", ls_builtin_new ("AsyncResult", gevent_event_new, ls_none (),
                                                      GINT_TO_POINTER (1), NULL));
    _ls_module_add (qu, "Queue", ls_builtin_new_kw ("Queue", gevent_queue_new, ls_none (), GINT_TO_POINTER (0), NULL));
    _ls_module_add (qu, "JoinableQueue", ls_builtin_new_kw ("JoinableQueue", gevent_queue_new, ls_none (),
                                                           GINT_TO_POINTER (1), NULL));
    _ls_module_add (qu, "Empty", ls_object ((LsExcType *) &exc_Empty));
    _ls_module_add (qu, "Full", ls_object ((LsExcType *) &exc_Full));
    _ls_module_add (po, "Pool", ls_builtin_new_kw ("Pool", gevent_pool_new, ls_none (), GINT_TO_POINTER (1), NULL));
    _ls_module_add (po, "Group", ls_builtin_new_kw ("Group", gevent_pool_new, ls_none (), GINT_TO_POINTER (0), NULL));
    _ls_module_add (lo, "Semaphore", ls_builtin_new_kw ("Semaphore", gevent_sem_new, ls_none (), GINT_TO_POINTER (0), NULL));
    _ls_module_add (lo, "BoundedSemaphore", ls_builtin_new_kw ("BoundedSemaphore", gevent_sem_new, ls_none (),
                                                              GINT_TO_POINTER (1), NULL));
    _ls_module_add (ex, "LoopExit", ls_object (&exc_LoopExit));
    _ls_module_add (hu, "LoopExit", ls_object (&exc_LoopExit));
    _ls_module_add (to, "Timeout", ls_object (&exc_Timeout));
    _ls_module_add (gr, "Greenlet", greenlet_type_new (vm, TRUE));
    for (guint i = 0; i < G_N_ELEMENTS (subs); i++)
      {
        char *full = g_strdup_printf ("gevent.%s", subs[i].name);
        _ls_module_add (m, subs[i].name, ls_value_ref (subs[i].mod));
        g_hash_table_insert (vm->modules, full, ls_value_as_object (subs[i].mod));
      }
  }
  return m;
}

void
_ls_greenlet_state_free (LsVm *vm)
{
  GlState *st = vm->greenlets;
  GPtrArray *live;
  HubItem *it;

  if (!st)
    return;
  _ls_greenlet_drop_switch (vm);
  while ((it = g_queue_pop_head (&st->callbacks)))
    item_free (it);
  for (guint i = 0; i < st->timers->len; i++)
    item_free (g_ptr_array_index (st->timers, i));
  g_ptr_array_free (st->timers, TRUE);
  g_hash_table_destroy (st->timeouts);
  /* Greenlets left suspended hold frames that may hold them: free the
   * frames first (greenlet would kill them with GreenletExit; no code
   * runs here after the program). */
  live = g_ptr_array_new ();
  for (guint i = 0; i < st->all->len; i++)
    g_ptr_array_add (live, ls_object_ref (g_ptr_array_index (st->all, i)));
  for (guint i = 0; i < live->len; i++)
    {
      LsGreenlet *g = g_ptr_array_index (live, i);
      LsFiber *fb = g->fiber;
      g->fiber = NULL;
      _ls_fiber_free (fb);
      ls_value_set (&g->run, ls_none ());
      ls_value_set (&g->args, ls_none ());
      ls_value_set (&g->kwargs, ls_none ());
      ls_value_set (&g->value, ls_none ());
      ls_value_set (&g->exception, ls_none ());
      links_clear (&g->links);
      blocker_unref (g->blocked_on);
      g->blocked_on = NULL;
    }
  for (guint i = 0; i < live->len; i++)
    {
      LsGreenlet *g = g_ptr_array_index (live, i);
      LsGreenlet *p = g->parent;
      g->parent = NULL;
      ls_object_unref (p);
    }
  ls_object_unref (st->hub);
  ls_object_unref (st->main);
  for (guint i = 0; i < live->len; i++)
    {
      LsGreenlet *g = g_ptr_array_index (live, i);
      g->vm = NULL;
    }
  vm->greenlets = NULL;
  for (guint i = 0; i < live->len; i++)
    ls_object_unref (g_ptr_array_index (live, i));
  g_ptr_array_free (live, TRUE);
  g_ptr_array_free (st->all, TRUE);
  g_free (st);
}
