/* ls-greenlet.c - greenlet objects, switching and the greenlet module.
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
 * The gevent hub, links and gevent's own Greenlet live in ls-gevent.c,
 * gevent.event, .lock, .queue and .pool in ls-gevent-sync.c; what the
 * three share is in ls-greenlet-private.h.
 */
#include "ls-greenlet-private.h"

#include <math.h>
#include <string.h>

static LsExcType exc_greenlet_error = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "error", &ls_exc_Exception, "greenlet",
};

LsExcType _ls_gl_exc_GreenletExit = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "GreenletExit", &ls_exc_BaseException, "greenlet",
};

/* ---- greenlet objects ----------------------------------------------------------------- */

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
  _ls_gev_links_clear (&g->links);
  _ls_gev_blocker_unref (g->blocked_on);
}

char *
_ls_gl_greenlet_repr (LsObject *self)
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
char *
_ls_gl_func_name (LsValue run)
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
char *
_ls_gl_describe_call_as (LsValue run, LsValue args, LsValue kwargs, gboolean gevent);

char *
_ls_gl_describe_call (LsValue run, LsValue args, LsValue kwargs)
{
  return _ls_gl_describe_call_as (run, args, kwargs, FALSE);
}

/* gevent's _formatinfo: no parentheses without arguments, each repr cut
 * at 50 characters. */
char *
_ls_gl_describe_call_as (LsValue run, LsValue args, LsValue kwargs, gboolean gevent)
{
  GString *s = g_string_new (NULL);
  char *name = ls_is_none (run) ? g_strdup ("") : _ls_gl_func_name (run);
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

LsGreenlet *
_ls_gl_greenlet_alloc (LsVm *vm, GlState *st, const LsClass *cls, LsGreenlet *parent, LsValue run,
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
  g->is_gevent = cls == &_ls_gl_gevent_greenlet_class;
  g_ptr_array_add (st->all, g);
  emit (vm, LS_EVENT_GREENLET_CREATED, g->id, st->current ? st->current->id : 0,
        parent ? parent->id : 0, LS_REASON_NONE, 0, vm->calling_line, name, describe);
  return g;
}

GlState *
_ls_gl_state (LsVm *vm)
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
  st->main = _ls_gl_greenlet_alloc (vm, st, &_ls_gl_greenlet_class, NULL, ls_none (), "main greenlet", "<module>");
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
      _ls_gev_on_death (vm, st, g, how, out);
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
  if (how == LS_CORO_RAISE && ls_exc_matches (out, &_ls_gl_exc_GreenletExit))
    how = LS_CORO_RETURN;       /* GreenletExit is the parent's value */
  if (how == LS_CORO_RAISE && !ls_is_none (g->link_context))
    {
      /* A link's callback raised into the hub, inside the _notify_links
       * that switched to it: the hub reports it and goes on. */
      _ls_gev_link_report_error (vm, g->link_context, TRUE, out);
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
          _ls_gev_hub_next (vm, st, &next, &args, &kwargs, &exc, &why);
          from = target;
          target = next;          /* _ls_gev_hub_next's reference */
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
gboolean
_ls_gl_switch (LsVm *vm, LsGreenlet *target, LsValue args, LsValue kwargs, LsValue exc, const char *why,
               LsValue *result)
{
  GlState *st = _ls_gl_state (vm);

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

LsVm *
_ls_gl_vm_of (gpointer data)
{
  return data ? data : ls_vm_current ();
}

LsValue
_ls_gl_args_tuple (const LsValue *args, guint nargs)
{
  LsValue *items = g_newa (LsValue, MAX (nargs, 1));
  for (guint i = 0; i < nargs; i++)
    items[i] = ls_value_ref (args[i]);
  return ls_tuple_new (nargs, items);
}

LsValue
_ls_gl_kwargs_dict (LsValue kwnames, const LsValue *kwvalues, LsValue *error, gboolean *ok)
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
  LsValue kw = _ls_gl_kwargs_dict (kwnames, kwvalues, result, &ok);
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
  return _ls_gl_switch (g->vm, g, _ls_gl_args_tuple (args, nargs), kw, ls_none (), "switch", result);
}

/* An exception instance from throw()'s arguments, as gen.throw takes them. */
gboolean
_ls_gl_exception_from_args (const LsValue *args, guint nargs, const LsExcType *dflt, LsValue *out)
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
  if (!_ls_gl_exception_from_args (args, nargs, &_ls_gl_exc_GreenletExit, &exc))
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
  return _ls_gl_switch (g->vm, g, ls_tuple_new (0, NULL), ls_none (), exc, "throw", result);
}

static gboolean
greenlet_getattr (LsObject *self, const char *name, LsValue *out)
{
  LsGreenlet *g = (LsGreenlet *) self;
  GlState *st = g->vm->greenlets;

  if (g->is_gevent)
    {
      gboolean found = FALSE;
      gboolean ok = _ls_gev_greenlet_getattr (g, name, out, &found);
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

const LsClass _ls_gl_greenlet_class = {
  .name = "greenlet.greenlet",
  .finalize = greenlet_finalize,
  .repr = _ls_gl_greenlet_repr,
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

const LsClass _ls_gl_gevent_greenlet_class = {
  .name = "Greenlet",
  .finalize = greenlet_finalize,
  .repr = _ls_gl_greenlet_repr,
  .ops = &gevent_greenlet_slots,
};

/* greenlet.getcurrent() */
static gboolean
greenlet_getcurrent (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  GlState *st = _ls_gl_state (_ls_gl_vm_of (data));
  *result = ls_value_ref (ls_object (st->current));
  return TRUE;
}

/* greenlet(run=None, parent=None) */
static gboolean
greenlet_new_fn (LsValue self, gpointer data, const LsValue *args, guint nargs,
                 LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = _ls_gl_vm_of (data);
  GlState *st = _ls_gl_state (vm);
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
  what = ls_is_none (run) ? g_strdup ("run()") : _ls_gl_describe_call (run, ls_none (), ls_none ());
  {
    /* The lane is named after the function it runs: the tutorials' test1,
     * test2, ping, pong. */
    char *fname = ls_is_none (run) ? g_strdup ("greenlet") : _ls_gl_func_name (run);
    name = g_strdup_printf ("greenlet %s", fname);
    g_free (fname);
  }
  g = _ls_gl_greenlet_alloc (vm, st, &_ls_gl_greenlet_class, p, run, name, what);
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

static gboolean
type_call_kw (LsObject *self, const LsValue *args, guint nargs, LsValue kwnames,
              const LsValue *kwvalues, LsValue *result)
{
  GreenletType *t = (GreenletType *) self;
  if (t->gevent)
    return _ls_gev_greenlet_new (t->vm, args, nargs, kwnames, kwvalues, FALSE, 0, result);
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
    *out = ls_object (&_ls_gl_exc_GreenletExit);
  else if (strcmp (name, "error") == 0 && !t->gevent)
    *out = ls_object (&exc_greenlet_error);
  else if (strcmp (name, "spawn") == 0 && t->gevent)
    *out = ls_builtin_new_kw ("spawn", _ls_gev_spawn, ls_none (), t->vm, NULL);
  else if (strcmp (name, "spawn_later") == 0 && t->gevent)
    *out = ls_builtin_new_kw ("spawn_later", _ls_gev_spawn_later, ls_none (), t->vm, NULL);
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

LsValue
_ls_gl_greenlet_type_new (LsVm *vm, gboolean gevent)
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
  _ls_module_add (m, "greenlet", _ls_gl_greenlet_type_new (vm, FALSE));
  _ls_module_add (m, "getcurrent", ls_builtin_new ("getcurrent", greenlet_getcurrent, ls_none (), vm, NULL));
  _ls_module_add (m, "GreenletExit", ls_object (&_ls_gl_exc_GreenletExit));
  _ls_module_add (m, "error", ls_object (&exc_greenlet_error));
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
    _ls_gev_item_free (it);
  for (guint i = 0; i < st->timers->len; i++)
    _ls_gev_item_free (g_ptr_array_index (st->timers, i));
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
      _ls_gev_links_clear (&g->links);
      _ls_gev_blocker_unref (g->blocked_on);
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
