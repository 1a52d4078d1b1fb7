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
typedef struct _Waiter Waiter;

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
  char *describe;            /* what it runs, as "task_1(5)" */
  LsFiber *fiber;            /* NULL for the main greenlet and the hub */
  guint wait_gen;            /* bumped at every switch in: older wake-ups are stale */
  gboolean is_main, is_hub, is_gevent;
  gboolean started, dead;
  gboolean start_scheduled;  /* gevent: its start is on the hub */
  /* gevent: what it ended with (value or exception; None until then). */
  LsValue value;
  LsValue exception;
};

/* Someone waiting in join() or joinall() for greenlets to finish. */
struct _Waiter {
  guint refs;                /* the state's list and a timeout timer */
  LsGreenlet *who;           /* strong */
  guint gen;                 /* who->wait_gen when it began waiting */
  GPtrArray *targets;        /* strong LsGreenlet*, in the order given */
  GPtrArray *done;           /* borrowed from targets, in completion order */
  guint count;               /* how many must finish */
  gboolean joinall;          /* returns the done list (join: None) */
  gboolean resolved;
};

typedef enum {
  ITEM_WAKE,                 /* switch to target with payload or exc */
  ITEM_START,                /* start a gevent greenlet */
  ITEM_WAITER_TIMEOUT,       /* a join/joinall timeout */
} ItemKind;

/* A callback or timer of the hub. */
typedef struct {
  double deadline;           /* virtual seconds; timers only */
  guint64 seq;               /* creation order: ties of deadlines */
  guint64 id;                /* the timer's engine id (trace), 0 for a callback */
  ItemKind kind;
  LsGreenlet *target;        /* strong */
  guint gen;                 /* target->wait_gen when made (WAKE) */
  LsValue payload;           /* tuple delivered as the switch's value */
  LsValue exc;               /* thrown instead, or None */
  Waiter *waiter;            /* WAITER_TIMEOUT */
  LsValue timeout;           /* a gevent.Timeout whose timer this is, or None */
} HubItem;

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
  GPtrArray *waiters;        /* Waiter* not yet resolved */
  gboolean patched;          /* monkey.patch_all() */
  GHashTable *timeouts;      /* gevent.Timeout exception -> its pending HubItem */
} GlState;

static const LsClass greenlet_class;
static const LsClass gevent_greenlet_class;

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
}

static char *
greenlet_repr (LsObject *self)
{
  LsGreenlet *g = (LsGreenlet *) self;
  GlState *st = g->vm ? g->vm->greenlets : NULL;
  guint64 at = FAKE_ADDRESS (g->number);

  if (g->is_gevent)
    return g_strdup_printf ("<Greenlet at 0x%" G_GINT64_MODIFIER "x: %s>", at, g->describe);
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
describe_call (LsValue run, LsValue args, LsValue kwargs)
{
  GString *s = g_string_new (NULL);
  char *name = ls_is_none (run) ? g_strdup ("") : func_name (run);
  LsTuple *a = ls_is_none (args) ? NULL : (LsTuple *) ls_value_as_object (args);
  gboolean first = TRUE;

  g_string_append (s, name);
  g_string_append_c (s, '(');
  for (guint i = 0; a && i < a->len; i++)
    {
      char *r = ls_value_repr (a->items[i]);
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
  st->waiters = g_ptr_array_new ();
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
      *args = ls_tuple_new (0, NULL);
      *exc = ls_none ();
      *why = "finished";
      return;
    }
  if (how == LS_CORO_RAISE && ls_exc_matches (out, &exc_GreenletExit))
    how = LS_CORO_RETURN;       /* GreenletExit is the parent's value */
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

static const LsClass gevent_greenlet_class = {
  .name = "Greenlet",
  .finalize = greenlet_finalize,
  .repr = greenlet_repr,
  .ops = &greenlet_slots,
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

static void
waiter_unref (Waiter *w)
{
  if (--w->refs == 0)
    {
      ls_object_unref (w->who);
      g_ptr_array_free (w->targets, TRUE);
      g_ptr_array_free (w->done, TRUE);
      g_free (w);
    }
}

static void
item_free (HubItem *it)
{
  ls_object_unref (it->target);
  ls_value_unref (it->payload);
  ls_value_unref (it->exc);
  ls_value_unref (it->timeout);
  if (it->waiter)
    waiter_unref (it->waiter);
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

static LsValue
done_list (Waiter *w)
{
  LsValue l = ls_list_new ();
  for (guint i = 0; i < w->done->len; i++)
    ls_list_append (l, ls_value_ref (ls_object (g_ptr_array_index (w->done, i))));
  return l;
}

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
          if (it->target->dead || it->target->started)
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
        case ITEM_WAITER_TIMEOUT:
          {
            Waiter *w = it->waiter;
            if (w->resolved || w->gen != w->who->wait_gen || w->who->dead)
              break;
            w->resolved = TRUE;
            g_ptr_array_remove (st->waiters, w);
            *target = ls_object_ref (w->who);
            {
              LsValue v = w->joinall ? done_list (w) : ls_none ();
              *args = ls_tuple_new (1, &v);
            }
            *exc = ls_none ();
            waiter_unref (w);   /* the list's reference */
            item_free (it);
            return;
          }
        }
      item_free (it);
    }
}

static void
gevent_on_death (LsVm *vm, GlState *st, LsGreenlet *g, LsCoroStatus how, LsValue out)
{
  if (how == LS_CORO_RAISE && !ls_exc_matches (out, &exc_GreenletExit))
    {
      /* Hub.handle_error: the traceback and who failed, on stderr. */
      char *tb = _ls_vm_format_traceback (vm, out);
      char *who = greenlet_repr ((LsObject *) g);
      const LsExcType *t = ls_exc_type (out);
      char *text = g_strdup_printf ("%s%s failed with %s\n\n", tb, who, t ? t->name : "exception");
      ls_vm_print (vm, TRUE, text);
      g_free (text);
      g_free (who);
      g_free (tb);
      ls_value_set (&g->exception, out);
    }
  else
    ls_value_set (&g->value, out);
  /* Whoever joins it learns through a callback of the hub. */
  for (guint i = 0; i < st->waiters->len;)
    {
      Waiter *w = g_ptr_array_index (st->waiters, i);
      if (w->resolved || w->gen != w->who->wait_gen || w->who->dead)
        {
          w->resolved = TRUE;
          g_ptr_array_remove_index (st->waiters, i);
          waiter_unref (w);
          continue;
        }
      if (g_ptr_array_find (w->targets, g, NULL))
        {
          g_ptr_array_add (w->done, g);
          if (w->done->len >= w->count)
            {
              LsValue v = w->joinall ? done_list (w) : ls_none ();
              w->resolved = TRUE;
              hub_callback (st, item_new (st, ITEM_WAKE, w->who, ls_tuple_new (1, &v), ls_none ()));
              g_ptr_array_remove_index (st->waiters, i);
              waiter_unref (w);
              continue;
            }
        }
      i++;
    }
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
  LsValue none = ls_none ();
  HubItem *it = item_new (st, ITEM_WAKE, st->current, ls_tuple_new (1, &none), ls_none ());
  /* The wake-up belongs to the wait that begins now. */
  it->gen = st->current->wait_gen;
  if (secs > 0)
    hub_timer (vm, st, it, secs, "gevent.sleep");
  else
    hub_callback (st, it);
  return hub_wait (vm, st, secs > 0 ? "sleep" : "sleep(0)", result);
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
  return gevent_sleep_secs (vm_of (data), secs, result);
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
  what = describe_call (run, fargs, fkw);
  name = g_strdup_printf ("Greenlet-%u", st->gevent_numbers);
  g = greenlet_alloc (vm, st, &gevent_greenlet_class, st->hub, run, name, what);
  g->gevent_number = st->gevent_numbers++;
  ls_value_set (&g->args, fargs);
  g->kwargs = fkw;
  g_free (name);
  g_free (what);
  if (start)
    {
      HubItem *it = item_new (st, ITEM_START, g, ls_none (), ls_none ());
      g->start_scheduled = TRUE;
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

/* Waits until count of targets have finished, or timeout seconds (< 0:
 * none).  joinall: the list of those done, in completion order. */
static gboolean
wait_for (LsVm *vm, GPtrArray *targets, guint count, double timeout, gboolean joinall,
          const char *why, LsValue *result)
{
  GlState *st = hub_state (vm);
  Waiter *w = g_new0 (Waiter, 1);

  w->refs = 1;
  w->targets = g_ptr_array_new_with_free_func (ls_object_unref);
  w->done = g_ptr_array_new ();
  w->joinall = joinall;
  for (guint i = 0; i < targets->len; i++)
    {
      LsGreenlet *g = g_ptr_array_index (targets, i);
      if (g == st->current)
        {
          waiter_unref (w);
          *result = ls_exc_newf (&ls_exc_RuntimeError, "a greenlet cannot join itself");
          return FALSE;
        }
      g_ptr_array_add (w->targets, ls_object_ref (g));
      if (g->dead)
        g_ptr_array_add (w->done, g);
    }
  w->count = MIN (count, targets->len);
  if (w->done->len >= w->count || timeout == 0)
    {
      /* Nothing to wait for. */
      *result = joinall ? done_list (w) : ls_none ();
      waiter_unref (w);
      return TRUE;
    }
  w->who = ls_object_ref (st->current);
  w->gen = st->current->wait_gen;
  g_ptr_array_add (st->waiters, w);
  if (timeout > 0)
    {
      HubItem *it = item_new (st, ITEM_WAITER_TIMEOUT, NULL, ls_none (), ls_none ());
      it->waiter = w;
      w->refs++;
      hub_timer (vm, st, it, timeout, joinall ? "joinall timeout" : "join timeout");
    }
  return hub_wait (vm, st, why, result);
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

/* gevent.joinall(greenlets, timeout=None, raise_error=False, count=None) */
static gboolean
gevent_joinall (LsValue self, gpointer data, const LsValue *args, guint nargs,
                LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = vm_of (data);
  LsValue seq = nargs ? args[0] : ls_none (), tmo = nargs > 1 ? args[1] : ls_none ();
  LsValue raise_error = nargs > 2 ? args[2] : ls_bool (FALSE), count_v = nargs > 3 ? args[3] : ls_none ();
  LsValue it, item;
  GPtrArray *targets;
  double timeout;
  guint count;
  gboolean ok;
  int r;

  _ls_kwarg (kwnames, kwvalues, "greenlets", &seq);
  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  _ls_kwarg (kwnames, kwvalues, "raise_error", &raise_error);
  _ls_kwarg (kwnames, kwvalues, "count", &count_v);
  if (ls_is_none (seq))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "joinall() missing 1 required positional argument: 'greenlets'");
      return FALSE;
    }
  if (!optional_timeout (tmo, &timeout, result))
    return FALSE;
  if (!ls_op_iter (seq, &it))
    {
      *result = it;
      return FALSE;
    }
  targets = g_ptr_array_new ();
  while ((r = ls_op_next (it, &item)) == 1)
    {
      if (!is_greenlet (item))
        {
          ls_value_unref (item);
          ls_value_unref (it);
          g_ptr_array_free (targets, TRUE);
          *result = ls_exc_newf (&ls_exc_TypeError, "joinall() takes greenlets");
          return FALSE;
        }
      g_ptr_array_add (targets, ls_value_as_object (item));
      ls_value_unref (item);       /* the sequence keeps it */
    }
  ls_value_unref (it);
  if (r < 0)
    {
      g_ptr_array_free (targets, TRUE);
      *result = item;
      return FALSE;
    }
  ls_value_unref (item);
  count = ls_is_none (count_v) || ls_value_kind (count_v) != LS_KIND_INT ? targets->len
          : (guint) CLAMP (ls_value_as_int (count_v), 0, (gint64) targets->len);
  ok = wait_for (vm, targets, count, timeout, TRUE, "joinall", result);
  g_ptr_array_free (targets, TRUE);
  if (ok && ls_value_truthy (raise_error) && ls_value_is (*result, &ls_list_class))
    for (guint i = 0; i < ls_list_len (*result); i++)
      {
        LsGreenlet *g = (LsGreenlet *) ls_value_as_object (ls_list_get (*result, i));
        if (!ls_is_none (g->exception))
          {
            LsValue e = ls_value_ref (g->exception);
            ls_value_unref (*result);
            *result = e;
            return FALSE;
          }
      }
  return ok;
}

/* Greenlet.join(timeout=None) */
static gboolean
gevent_join_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                    LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  LsValue tmo = nargs ? args[0] : ls_none ();
  GPtrArray *targets;
  double timeout;
  gboolean ok;

  _ls_kwarg (kwnames, kwvalues, "timeout", &tmo);
  if (!optional_timeout (tmo, &timeout, result))
    return FALSE;
  targets = g_ptr_array_new ();
  g_ptr_array_add (targets, g);
  ok = wait_for (g->vm, targets, 1, timeout, FALSE, "join", result);
  g_ptr_array_free (targets, TRUE);
  return ok;
}

/* Greenlet.get(block=True, timeout=None) */
static gboolean
gevent_get_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                   LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  if (!g->dead)
    {
      /* get() from another greenlet waits, then reads what join left. */
      *result = ls_exc_newf (&ls_exc_RuntimeError, "Greenlet.get() before the greenlet finished: "
                             "join() it first (get() that waits is not supported)");
      return FALSE;
    }
  if (!ls_is_none (g->exception))
    {
      *result = ls_value_ref (g->exception);
      return FALSE;
    }
  *result = ls_value_ref (g->value);
  return TRUE;
}

/* Kills g with exc (taken); block: waits until it is dead, at most
 * timeout seconds (< 0: no limit). */
static gboolean
kill_greenlet (LsVm *vm, LsGreenlet *g, LsValue exc, gboolean block, double timeout, LsValue *result)
{
  GlState *st = hub_state (vm);

  if (g->dead)
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
  {
    HubItem *it = item_new (st, ITEM_WAKE, g, ls_tuple_new (0, NULL), exc);
    hub_callback (st, it);
  }
  if (!block)
    {
      *result = ls_none ();
      return TRUE;
    }
  {
    GPtrArray *targets = g_ptr_array_new ();
    gboolean ok;
    g_ptr_array_add (targets, g);
    ok = wait_for (vm, targets, 1, timeout, FALSE, "kill", result);
    g_ptr_array_free (targets, TRUE);
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
  if (!is_greenlet (target))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "kill() takes a greenlet");
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

/* Greenlet.start() */
static gboolean
gevent_start_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  GlState *st = hub_state (g->vm);
  if (!g->started && !g->start_scheduled && !g->dead)
    {
      g->start_scheduled = TRUE;
      hub_callback (st, item_new (st, ITEM_START, g, ls_none (), ls_none ()));
    }
  *result = ls_none ();
  return TRUE;
}

static gboolean
gevent_ready_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_bool (((LsGreenlet *) ls_value_as_object (self))->dead);
  return TRUE;
}

static gboolean
gevent_successful_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsGreenlet *g = (LsGreenlet *) ls_value_as_object (self);
  *result = ls_bool (g->dead && ls_is_none (g->exception));
  return TRUE;
}

static gboolean
gevent_greenlet_getattr (LsGreenlet *g, const char *name, LsValue *out, gboolean *found)
{
  LsValue self = ls_value_ref (ls_object (g));
  *found = TRUE;
  if (strcmp (name, "join") == 0)
    *out = ls_builtin_new_kw ("join", gevent_join_method, self, NULL, NULL);
  else if (strcmp (name, "get") == 0)
    *out = ls_builtin_new_kw ("get", gevent_get_method, self, NULL, NULL);
  else if (strcmp (name, "kill") == 0)
    *out = ls_builtin_new_kw ("kill", gevent_kill_method, self, NULL, NULL);
  else if (strcmp (name, "start") == 0)
    *out = ls_builtin_new ("start", gevent_start_method, self, NULL, NULL);
  else if (strcmp (name, "ready") == 0)
    *out = ls_builtin_new ("ready", gevent_ready_method, self, NULL, NULL);
  else if (strcmp (name, "successful") == 0)
    *out = ls_builtin_new ("successful", gevent_successful_method, self, NULL, NULL);
  else
    {
      ls_value_unref (self);
      if (strcmp (name, "value") == 0)
        *out = ls_value_ref (g->value);
      else if (strcmp (name, "exception") == 0)
        *out = ls_value_ref (g->exception);
      else if (strcmp (name, "name") == 0)
        *out = ls_str_printf ("Greenlet-%u", g->gevent_number);
      else if (strcmp (name, "started") == 0)
        *out = ls_bool (g->start_scheduled || (g->started && !g->dead));
      else if (strcmp (name, "args") == 0)
        *out = ls_value_ref (g->args);
      else
        *found = FALSE;
    }
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
  _ls_module_add (m, "LoopExit", ls_object (&exc_LoopExit));
  _ls_module_add (monkey, "patch_all", ls_builtin_new_kw ("patch_all", gevent_patch_all, ls_none (), vm, NULL));
  _ls_module_add (monkey, "patch_time", ls_builtin_new ("patch_time", gevent_patch_time, ls_none (), vm, NULL));
  _ls_module_add (monkey, "is_module_patched", ls_builtin_new ("is_module_patched", gevent_is_patched,
                                                               ls_none (), vm, NULL));
  _ls_module_add (m, "monkey", ls_value_ref (monkey));
  g_hash_table_insert (vm->modules, g_strdup ("gevent.monkey"), ls_value_as_object (monkey));
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
  for (guint i = 0; i < st->waiters->len; i++)
    waiter_unref (g_ptr_array_index (st->waiters, i));
  g_ptr_array_free (st->waiters, TRUE);
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
