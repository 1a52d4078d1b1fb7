/* ls-vm.c - the interpreter: frames, calls, generators, coroutines.
 *
 * Frames live on the heap and point back at their caller, so the chain of
 * frames is the program's stack and the interpreter loop runs the
 * innermost one without recursing in C for Python-to-Python calls.  A
 * generator or coroutine owns its frame.  `await coro()` of a fresh
 * coroutine puts its frame on top of the awaiting one and goes on in the
 * same loop (the two together are one fiber, as in Wren); when the
 * innermost frame waits on a pending future, the whole chain suspends: the
 * outermost coroutine remembers the innermost frame, and the next resume
 * continues there.  C is re-entered only where C calls Python: a callback
 * the event loop runs, a sort key, a generator driven by next().
 *
 * Exceptions unwind a per-frame block stack (see ls-compiler.c).  A
 * traceback is built as an exception leaves each frame.
 */
#include "ls-vm-private.h"
#include "ls-compiler.h"
#include "ls-asyncio.h"
#include "ls-containers-private.h"
#include "ls-sched-private.h"

#include <math.h>
#include <string.h>

#define MAX_BLOCKS 20           /* CPython's CO_MAXBLOCKS */
#define MAX_DEPTH 1000         /* frames in one chain: RecursionError beyond */

/* ---- exception types only the language raises ------------------------------------ */

#define VM_EXC_TYPE(var, pyname, parent_ptr) \
  static LsExcType var = { { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) pyname, parent_ptr }

VM_EXC_TYPE (exc_NameError, "NameError", &ls_exc_Exception);
VM_EXC_TYPE (exc_UnboundLocalError, "UnboundLocalError", &exc_NameError);
VM_EXC_TYPE (exc_AssertionError, "AssertionError", &ls_exc_Exception);
VM_EXC_TYPE (exc_ImportError, "ImportError", &ls_exc_Exception);
VM_EXC_TYPE (exc_ModuleNotFoundError, "ModuleNotFoundError", &exc_ImportError);
VM_EXC_TYPE (exc_NotImplementedError, "NotImplementedError", &ls_exc_RuntimeError);
VM_EXC_TYPE (exc_RecursionError, "RecursionError", &ls_exc_RuntimeError);
VM_EXC_TYPE (exc_KeyboardInterrupt, "KeyboardInterrupt", &ls_exc_BaseException);
VM_EXC_TYPE (exc_SystemExit, "SystemExit", &ls_exc_BaseException);
VM_EXC_TYPE (exc_ConnectionResetError, "ConnectionResetError", &ls_exc_ConnectionError);
VM_EXC_TYPE (exc_ConnectionRefusedError, "ConnectionRefusedError", &ls_exc_ConnectionError);
VM_EXC_TYPE (exc_PermissionError, "PermissionError", &ls_exc_OSError);
VM_EXC_TYPE (exc_FileNotFoundError, "FileNotFoundError", &ls_exc_OSError);
VM_EXC_TYPE (exc_MemoryError, "MemoryError", &ls_exc_Exception);
VM_EXC_TYPE (exc_UnicodeError, "UnicodeError", &ls_exc_ValueError);

static LsVm *current_vm;

/* Reference counting cannot free cycles, and a program makes them easily:
 * a task kept in a local of its own coroutine (task -> coroutine -> frame
 * -> task), a recursive inner function (cell -> function -> closure ->
 * cell).  Every object that can close such a cycle (generators, cells) is
 * tracked, and ls_vm_free empties them all before letting go. */
static void
vm_track (LsVm *vm, gpointer obj)
{
  if (vm)
    g_hash_table_add (vm->tracked, obj);
}

static void
vm_untrack (LsVm *vm, gpointer obj)
{
  if (vm && vm->tracked)
    g_hash_table_remove (vm->tracked, obj);
}

/* The signal that stops a run: outside the BaseException tree, so that
 * neither `except Exception` nor a bare `except:` of the program stops it
 * (finally blocks still run). */
static LsExcType exc_LoopscopeStop = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "LoopscopeStop", NULL, NULL
};

LsValue
_ls_vm_stop (LsVm *vm, char *msg, gboolean deadlock)
{
  LsLoop *loop = ls_loop_get_running ();
  if (!vm->stopped_by)
    {
      g_free (vm->stop_message);
      vm->stop_message = msg;
      vm->stopped_by = msg;
      vm->deadlocked = deadlock;
    }
  else
    g_free (msg);
  if (loop)
    ls_loop_stop (loop);
  return ls_exc_newf (&exc_LoopscopeStop, "%s", vm->stopped_by);
}

/* Wall time and memory, checked every 65536 instructions. */
static gboolean
limits_exceeded (LsVm *vm, LsValue *exc)
{
  if (vm->stopped_by)
    {
      *exc = ls_exc_newf (&exc_LoopscopeStop, "%s", vm->stopped_by);
      return TRUE;
    }
  if (g_atomic_int_get (&vm->interrupted))
    {
      vm->status_interrupted = TRUE;
      *exc = _ls_vm_stop (vm, g_strdup ("loopscope: stopped: the run was interrupted"), FALSE);
      return TRUE;
    }
  if (vm->options.max_wall > 0
      && (g_get_monotonic_time () - vm->started) / 1e6 > vm->options.max_wall)
    {
      char limit[G_ASCII_DTOSTR_BUF_SIZE];
      ls_float_repr (vm->options.max_wall, limit);
      *exc = _ls_vm_stop (vm, g_strdup_printf ("loopscope: limit reached: the run took more than %s "
                                               "seconds of real time (--max-wall)", limit), FALSE);
      return TRUE;
    }
  if (vm->options.max_memory > 0)
    {
      char *statm = NULL;
      if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
        {
          guint64 pages = g_ascii_strtoull (strchr (statm, ' ') ? strchr (statm, ' ') + 1 : statm, NULL, 10);
          g_free (statm);
          if (pages * 4096 > vm->options.max_memory)
            {
              *exc = _ls_vm_stop (vm, g_strdup_printf ("loopscope: limit reached: the program used more "
                                                       "than %" G_GUINT64_FORMAT " MiB of memory (--max-memory)",
                                                       vm->options.max_memory >> 20), FALSE);
              return TRUE;
            }
        }
    }
  return FALSE;
}

/* ---- small objects ---------------------------------------------------------------- */

typedef struct {
  LsObject base;
  LsValue value;
  LsVm *vm;                  /* tracks it, see vm_track */
} LsCell;

static void vm_untrack (LsVm *vm, gpointer obj);
static void vm_track (LsVm *vm, gpointer obj);

static void
cell_finalize (LsObject *self)
{
  LsCell *c = (LsCell *) self;
  vm_untrack (c->vm, c);
  ls_value_unref (c->value);
}

static const LsClass cell_class = { .name = "cell", .finalize = cell_finalize };

static LsValue
cell_new (LsValue v)
{
  LsCell *c = ls_object_alloc (&cell_class, sizeof (LsCell));
  c->value = v;
  c->vm = current_vm;
  vm_track (c->vm, c);
  return ls_object (c);
}

/* A cell that was never assigned holds this marker, so that reading it is
 * the NameError CPython gives, not None. */
static LsObject unbound_marker = { NULL, LS_IMMORTAL, 0 };
#define UNBOUND (ls_object (&unbound_marker))
#define IS_UNBOUND(v) ((v).bits == UNBOUND.bits)

typedef struct {
  LsObject base;
  LsCode *code;
  LsValue globals;
  LsValue defaults;          /* tuple or None */
  LsValue kwdefaults;        /* dict or None */
  LsValue closure;           /* tuple of cells or None */
} LsFunction;

typedef struct _LsFrame LsFrame;
typedef struct _LsGen LsGen;

typedef struct {
  guint handler;
  guint sp;
} Block;

typedef enum { SUSPEND_NONE, SUSPEND_YIELD_VALUE, SUSPEND_YIELD_FROM } SuspendKind;

struct _LsFrame {
  LsFrame *back;             /* the caller or awaiter in the same chain */
  guint depth;               /* frames below this one in the chain */
  gsize size;                /* bytes allocated */
  LsCode *code;              /* owned */
  LsValue globals;           /* owned */
  LsGen *gen;                /* the generator owning this frame, or NULL */
  guint pc;
  guint sp;
  guint nblocks;
  guint8 yf_active;          /* inside a YIELD_FROM that yielded */
  guint8 suspend;            /* SuspendKind */
  LsValue handled;           /* the exception being handled here, or None */
  Block blocks[MAX_BLOCKS];
  LsValue *locals;
  LsValue *cells;
  LsValue *stack;
  LsValue data[];
};

typedef enum { GEN_CREATED, GEN_SUSPENDED, GEN_RUNNING, GEN_CLOSED } GenState;

struct _LsGen {
  LsObject base;
  LsFrame *frame;            /* owned; NULL once closed and freed */
  LsFrame *top;              /* the innermost frame while suspended */
  LsVm *vm;
  GenState state;
  gboolean awaited;          /* for "coroutine … was never awaited" */
  int created_line;          /* where the program created it, for that warning */
  guint64 trace_id;          /* its lane in a trace once the program drove it, else 0 */
};


LsVm *
ls_vm_current (void)
{
  return current_vm;
}

/* ---- frames ------------------------------------------------------------------------ */

/* A frame for code whose locals from `first` on are unbound: the caller
 * fills those before it.  Always inlined: a call does it millions of
 * times. */
static inline __attribute__ ((always_inline)) LsFrame *
frame_alloc (LsCode *code, LsValue globals, guint first)
{
  guint n = code->nlocals + code->ncells + code->stacksize;
  gsize size = sizeof (LsFrame) + n * sizeof (LsValue);
  LsFrame *f = ls_pool_alloc (size);

  /* The block stack is written before it is read: only the rest is
   * cleared. */
  memset (f, 0, G_STRUCT_OFFSET (LsFrame, blocks));
  f->size = size;
  f->code = ls_object_ref (code);
  f->globals = ls_value_ref (globals);
  f->locals = f->data;
  f->cells = f->data + code->nlocals;
  f->stack = f->cells + code->ncells;
  f->handled = ls_none ();
  for (guint i = first; i < code->nlocals; i++)
    f->locals[i] = UNBOUND;
  return f;
}

static LsFrame *
frame_new (LsCode *code, LsValue globals, LsValue closure)
{
  LsFrame *f = frame_alloc (code, globals, 0);

  for (guint i = 0; i < code->ncells; i++)
    {
      guint own = code->ncells - code->nfree;
      if (i < own)
        f->cells[i] = cell_new (UNBOUND);
      else
        f->cells[i] = ls_value_ref (((LsTuple *) ls_value_as_object (closure))->items[i - own]);
    }
  return f;
}

static void
frame_free (LsFrame *f)
{
  guint n;

  if (!f)
    return;
  n = f->code->nlocals + f->code->ncells;
  for (guint i = 0; i < n; i++)
    ls_value_unref (f->data[i]);
  n = f->sp;
  for (guint i = 0; i < n; i++)
    ls_value_unref (f->stack[i]);
  ls_value_unref (f->handled);
  ls_value_unref (f->globals);
  ls_object_unref (f->code);
  ls_pool_free (f, f->size);
}

static int
frame_line (LsFrame *f)
{
  guint at = f->pc > 0 ? f->pc - 1 : 0;
  if (f->suspend == SUSPEND_YIELD_FROM)
    at = f->pc;
  return at < f->code->ninsns ? f->code->lines[at] : f->code->firstline;
}

/* ---- functions ------------------------------------------------------------------------ */

static void
function_finalize (LsObject *self)
{
  LsFunction *fn = (LsFunction *) self;
  ls_object_unref (fn->code);
  ls_value_unref (fn->globals);
  ls_value_unref (fn->defaults);
  ls_value_unref (fn->kwdefaults);
  ls_value_unref (fn->closure);
}

static char *
function_repr (LsObject *self)
{
  return g_strdup_printf ("<function %s at %p>", ((LsFunction *) self)->code->qualname, (void *) self);
}

static gboolean function_call_kw (LsObject *self, const LsValue *args, guint nargs,
                                  LsValue kwnames, const LsValue *kwvalues, LsValue *result);

static gboolean
function_getattr (LsObject *self, const char *name, LsValue *out)
{
  LsFunction *fn = (LsFunction *) self;
  if (strcmp (name, "__name__") == 0)
    *out = ls_str_new (fn->code->name);
  else if (strcmp (name, "__qualname__") == 0)
    *out = ls_str_new (fn->code->qualname);
  else
    {
      *out = ls_exc_newf (&ls_exc_AttributeError, "'function' object has no attribute '%s'", name);
      return FALSE;
    }
  return TRUE;
}

static const LsTypeSlots function_slots = { .getattr = function_getattr };

static const LsClass function_class = {
  .name = "function",
  .finalize = function_finalize,
  .repr = function_repr,
  .call_kw = function_call_kw,
  .ops = &function_slots,
};

/* Fills a new frame's locals from a call's arguments, as CPython's
 * _PyEval_MakeFrame does, with its messages. */
static gboolean
bind_arguments (LsFunction *fn, LsFrame *f, const LsValue *args, guint nargs,
                LsValue kwnames, const LsValue *kwvalues, LsValue *error)
{
  LsCode *code = fn->code;
  guint nparams = code->nargs, nkw = ls_is_none (kwnames) ? 0 : ((LsTuple *) ls_value_as_object (kwnames))->len;
  guint slot_varargs = code->nargs + code->nkwonly;
  guint slot_varkw = slot_varargs + ((code->flags & LS_CODE_VARARGS) ? 1 : 0);
  const char *fname = code->name;
  LsValue varkw = ls_none ();

  /* Positional. */
  for (guint i = 0; i < MIN (nargs, nparams); i++)
    f->locals[i] = ls_value_ref (args[i]);
  if (nargs > nparams)
    {
      if (!(code->flags & LS_CODE_VARARGS))
        {
          guint ndef = ls_is_none (fn->defaults) ? 0 : ((LsTuple *) ls_value_as_object (fn->defaults))->len;
          if (ndef)
            *error = ls_exc_newf (&ls_exc_TypeError, "%s() takes from %u to %u positional arguments but %u %s given",
                                  fname, nparams - ndef, nparams, nargs, nargs == 1 ? "was" : "were");
          else
            *error = ls_exc_newf (&ls_exc_TypeError, "%s() takes %u positional argument%s but %u %s given",
                                  fname, nparams, nparams == 1 ? "" : "s", nargs, nargs == 1 ? "was" : "were");
          return FALSE;
        }
      {
        LsValue *rest = g_new (LsValue, nargs - nparams);
        for (guint i = nparams; i < nargs; i++)
          rest[i - nparams] = ls_value_ref (args[i]);
        f->locals[slot_varargs] = ls_tuple_new (nargs - nparams, rest);
        g_free (rest);
      }
    }
  else if (code->flags & LS_CODE_VARARGS)
    f->locals[slot_varargs] = ls_tuple_new (0, NULL);
  if (code->flags & LS_CODE_VARKW)
    varkw = ls_dict_new ();

  /* Keywords. */
  for (guint k = 0; k < nkw; k++)
    {
      LsValue kname = ((LsTuple *) ls_value_as_object (kwnames))->items[k];
      const char *name = ls_str_get (kname);
      gboolean found = FALSE;
      for (guint i = code->nposonly; i < code->nargs + code->nkwonly; i++)
        if (strcmp (code->varnames[i], name) == 0)
          {
            if (!IS_UNBOUND (f->locals[i]))
              {
                *error = ls_exc_newf (&ls_exc_TypeError, "%s() got multiple values for argument '%s'",
                                      fname, name);
                ls_value_unref (varkw);
                return FALSE;
              }
            f->locals[i] = ls_value_ref (kwvalues[k]);
            found = TRUE;
            break;
          }
      if (found)
        continue;
      if (ls_is_none (varkw))
        {
          *error = ls_exc_newf (&ls_exc_TypeError, "%s() got an unexpected keyword argument '%s'",
                                fname, name);
          return FALSE;
        }
      if (!ls_dict_set (varkw, kname, kwvalues[k], error))
        {
          ls_value_unref (varkw);
          return FALSE;
        }
    }
  if (code->flags & LS_CODE_VARKW)
    f->locals[slot_varkw] = varkw;

  /* Defaults, then what is missing. */
  {
    guint ndef = ls_is_none (fn->defaults) ? 0 : ((LsTuple *) ls_value_as_object (fn->defaults))->len;
    GString *missing = NULL;
    guint nmissing = 0;
    for (guint i = 0; i < nparams; i++)
      if (IS_UNBOUND (f->locals[i]))
        {
          if (i >= nparams - ndef)
            f->locals[i] = ls_value_ref (((LsTuple *) ls_value_as_object (fn->defaults))->items[i - (nparams - ndef)]);
          else
            {
              if (!missing)
                missing = g_string_new (NULL);
              nmissing++;
              g_string_append_printf (missing, "%s'%s'", nmissing > 1 ? ", " : "", code->varnames[i]);
            }
        }
    if (missing)
      {
        /* CPython: "f() missing 2 required positional arguments: 'a' and 'b'" */
        char *text = g_string_free (missing, FALSE);
        char *last = g_strrstr (text, ", ");
        if (last)
          {
            char *fixed = g_strdup_printf ("%.*s%s and %s", (int) (last - text), text,
                                           nmissing > 2 ? "," : "", last + 2);
            g_free (text);
            text = fixed;
          }
        *error = ls_exc_newf (&ls_exc_TypeError, "%s() missing %u required positional argument%s: %s",
                              fname, nmissing, nmissing == 1 ? "" : "s", text);
        g_free (text);
        return FALSE;
      }
    for (guint i = code->nargs; i < code->nargs + code->nkwonly; i++)
      if (IS_UNBOUND (f->locals[i]))
        {
          LsValue d, key = ls_str_new (code->varnames[i]);
          int found = ls_is_none (fn->kwdefaults) ? 0 : ls_dict_get (fn->kwdefaults, key, &d);
          ls_value_unref (key);
          if (found == 1)
            f->locals[i] = d;
          else
            {
              *error = ls_exc_newf (&ls_exc_TypeError, "%s() missing 1 required keyword-only argument: '%s'",
                                    fname, code->varnames[i]);
              return FALSE;
            }
        }
  }

  /* Arguments that inner functions capture move into their cells. */
  for (guint i = 0; i < code->nargs + code->nkwonly + !!(code->flags & LS_CODE_VARARGS)
                          + !!(code->flags & LS_CODE_VARKW); i++)
    if (code->cell_of_arg[i] >= 0)
      {
        LsCell *cell = (LsCell *) ls_value_as_object (f->cells[code->cell_of_arg[i]]);
        ls_value_set (&cell->value, ls_value_ref (f->locals[i]));
      }
  return TRUE;
}

/* ---- generators and coroutines ------------------------------------------------------------- */

static LsCoroStatus vm_run (LsVm *vm, LsFrame *base, LsFrame *f, LsValue throw_exc, LsValue *out,
                            LsFrame **suspended);
static gboolean is_gen (LsValue v);

static void
gen_finalize (LsObject *self)
{
  LsGen *g = (LsGen *) self;
  vm_untrack (g->vm, g);
  if (g->frame && g->frame->code->flags & LS_CODE_COROUTINE && g->state == GEN_CREATED
      && !g->awaited && g->vm)
    {
      /* CPython warns where the coroutine is dropped, which for the usual
       * mistake (`work()` alone on a line) is where it was made. */
      const char *src = "";
      if (g->vm->source_lines && g->created_line >= 1
          && g->created_line <= (int) g_strv_length (g->vm->source_lines))
        src = g->vm->source_lines[g->created_line - 1];
      {
        char *stripped = g_strstrip (g_strdup (src));
        g_ptr_array_add (g->vm->unawaited,
                         g_strdup_printf ("%s:%d: RuntimeWarning: coroutine '%s' was never awaited\n  %s\n"
                                          "RuntimeWarning: Enable tracemalloc to get the object allocation traceback\n",
                                          g->vm->filename ? g->vm->filename : g->frame->code->filename,
                                          g->created_line, g->frame->code->qualname, stripped));
        g_free (stripped);
      }
    }
  /* Frames of an inline chain above ours belong to their own coroutines. */
  frame_free (g->frame);
}

static char *
gen_describe (LsObject *self)
{
  LsGen *g = (LsGen *) self;
  LsCode *code = g->frame ? g->frame->code : NULL;
  if (!code)
    return g_strdup ("?()");
  if (g->state == GEN_CLOSED)
    return g_strdup_printf ("%s() done, defined at %s:%d", code->qualname, code->filename, code->firstline);
  return g_strdup_printf ("%s() running at %s:%d", code->qualname, code->filename,
                          g->state == GEN_CREATED ? code->firstline : frame_line (g->frame));
}

static int
gen_line (LsObject *self)
{
  LsGen *g = (LsGen *) self;
  LsFrame *f = g->top ? g->top : g->frame;
  if (!f)
    return 0;
  return g->state == GEN_CREATED ? f->code->firstline : frame_line (f);
}

static char *
gen_repr (LsObject *self)
{
  LsGen *g = (LsGen *) self;
  return g_strdup_printf ("<%s object %s at %p>",
                          g->frame && (g->frame->code->flags & LS_CODE_COROUTINE) ? "coroutine" : "generator",
                          g->frame ? g->frame->code->qualname : "?", (void *) self);
}

/* coro.send(value) / coro.throw(exc): runs the chain from its innermost
 * frame. */
static LsCoroStatus
gen_resume (LsObject *self, LsValue send, LsValue exc, LsValue *out)
{
  LsGen *g = (LsGen *) self;
  gboolean thrown = !ls_is_none (exc);
  LsFrame *top, *suspended = NULL;
  LsCoroStatus st;
  LsVm *saved_vm = current_vm;

  if (g->state == GEN_RUNNING)
    {
      *out = ls_exc_newf (&ls_exc_ValueError, "%s already executing",
                          (g->frame->code->flags & LS_CODE_COROUTINE) ? "coroutine" : "generator");
      return LS_CORO_RAISE;
    }
  if (g->state == GEN_CLOSED)
    {
      if (thrown)
        {
          *out = ls_value_ref (exc);
          return LS_CORO_RAISE;
        }
      if (g->frame && (g->frame->code->flags & LS_CODE_COROUTINE))
        {
          *out = ls_exc_newf (&ls_exc_RuntimeError, "cannot reuse already awaited coroutine");
          return LS_CORO_RAISE;
        }
      *out = ls_none ();
      return LS_CORO_RETURN;
    }
  if (g->state == GEN_CREATED)
    {
      if (thrown)
        {
          /* A throw before the first step raises at the first line. */
          g->state = GEN_CLOSED;
          *out = ls_value_ref (exc);
          return LS_CORO_RAISE;
        }
      if (!ls_is_none (send))
        {
          *out = ls_exc_newf (&ls_exc_TypeError, "can't send non-None value to a just-started %s",
                              (g->frame->code->flags & LS_CODE_COROUTINE) ? "coroutine" : "generator");
          return LS_CORO_RAISE;
        }
      top = g->frame;
    }
  else
    {
      top = g->top;
      if (!thrown)
        {
          if (top->suspend == SUSPEND_YIELD_VALUE)
            top->stack[top->sp++] = ls_value_ref (send);
          else
            ls_value_set (&top->stack[top->sp - 1], ls_value_ref (send));
        }
    }
  g->awaited = TRUE;
  g->state = GEN_RUNNING;
  g->top = NULL;
  current_vm = g->vm;
  st = vm_run (g->vm, g->frame, top, thrown ? exc : ls_none (), out, &suspended);
  current_vm = saved_vm;
  if (st == LS_CORO_YIELD)
    {
      g->state = GEN_SUSPENDED;
      g->top = suspended;
    }
  else
    g->state = GEN_CLOSED;
  if (st == LS_CORO_RAISE && ls_exc_matches (*out, &ls_exc_StopIteration))
    {
      /* PEP 479: a StopIteration leaving the body would end the caller's
       * loop silently; it becomes a RuntimeError caused by it. */
      LsValue rt = ls_exc_newf (&ls_exc_RuntimeError, "%s raised StopIteration",
                                (g->frame->code->flags & LS_CODE_COROUTINE) ? "coroutine" : "generator");
      LsException *e = (LsException *) ls_value_as_object (rt);
      ls_value_set (&e->cause, ls_value_ref (*out));
      ls_value_set (&e->context, *out);
      e->suppress_context = TRUE;
      *out = rt;
    }
  return st;
}

static void
gen_close (LsObject *self)
{
  LsGen *g = (LsGen *) self;
  if (g->state == GEN_SUSPENDED)
    {
      LsValue ge = ls_exc_new (&ls_exc_GeneratorExit, 0, NULL), out;
      LsCoroStatus st = gen_resume (self, ls_none (), ge, &out);
      if (st == LS_CORO_YIELD)
        g->state = GEN_CLOSED;
      ls_value_unref (out);
      ls_value_unref (ge);
    }
  g->state = GEN_CLOSED;
}

static const LsCoroSlots gen_coro_slots = {
  .resume = gen_resume,
  .close = gen_close,
  .describe = gen_describe,
  .line = gen_line,
};

/* Iteration of a generator (next(g), for x in g). */
static gboolean
gen_iter (LsObject *self, LsValue *out)
{
  *out = ls_value_ref (ls_object (self));
  return TRUE;
}

static int
gen_next (LsObject *self, LsValue *out)
{
  LsValue v;
  switch (gen_resume (self, ls_none (), ls_none (), &v))
    {
    case LS_CORO_YIELD:
      *out = v;
      return 1;
    case LS_CORO_RETURN:
      *out = v;
      return 0;
    default:
      *out = v;
      return -1;
    }
}

static gboolean gen_getattr (LsObject *self, const char *name, LsValue *out);

static const LsTypeSlots gen_slots = {
  .getattr = gen_getattr,
  .iter = gen_iter,
  .next = gen_next,
};

static const LsClass coroutine_class = {
  .name = "coroutine",
  .finalize = gen_finalize,
  .repr = gen_repr,
  .coro = &gen_coro_slots,
  .ops = &gen_slots,
};

static const LsClass generator_class = {
  .name = "generator",
  .finalize = gen_finalize,
  .repr = gen_repr,
  .coro = &gen_coro_slots,
  .ops = &gen_slots,
};

/* A resume the program asks for by name (next(g), g.send(v), g.throw(e),
 * g.close()): a generator used as a hand-rolled coroutine.  With an
 * observer, each one is a switch on the generator's own lane
 * (GENERATOR_RESUMED, then GENERATOR_SUSPENDED with what came out).
 * `for` loops, `yield from` and the builtins that iterate do not come
 * here, so they cost nothing and draw nothing. */
static LsCoroStatus
gen_resume_explicit (LsObject *self, LsValue send, LsValue exc, LsValue *out, const char *how)
{
  LsGen *g = (LsGen *) self;
  LsVm *vm = g->vm;
  LsLoop *loop;
  LsCoroStatus st;
  guint64 resumer = 0;
  char *text;
  gsize cut;

  if (G_LIKELY (!vm || !vm->observer) || g->state == GEN_CLOSED || g->state == GEN_RUNNING || !g->frame)
    return gen_resume (self, send, exc, out);
  if (!g->trace_id)
    g->trace_id = ++vm->ids;
  loop = ls_loop_get_running ();
  resumer = loop ? _ls_loop_current_task_id (loop) : vm->greenlets ? _ls_greenlet_current_id (vm) : 0;
  {
    char *what = g_strdup_printf ("%s()", g->frame->code->qualname);
    LsEvent ev = {
      .kind = LS_EVENT_GENERATOR_RESUMED, .task = g->trace_id, .other = resumer,
      .line = gen_line (self), .detail = how, .extra = what,
    };
    _ls_vm_emit (vm, &ev);
    g_free (what);
  }
  st = gen_resume (self, send, exc, out);
  text = st == LS_CORO_RAISE && ls_exc_type (*out) ? ls_exc_format (*out) : ls_value_repr (*out);
  /* Keep the record short: the value, not a whole data structure. */
  cut = strlen (text);
  if (cut > 80)
    {
      const char *end = g_utf8_find_prev_char (text, text + 78);
      cut = end ? (gsize) (end - text) : 0;
      text[cut] = 0;
      {
        char *t = g_strconcat (text, "\u2026", NULL);
        g_free (text);
        text = t;
      }
    }
  {
    LsEvent ev = {
      .kind = LS_EVENT_GENERATOR_SUSPENDED, .task = g->trace_id, .other = resumer,
      .reason = st == LS_CORO_YIELD ? LS_REASON_YIELDED : st == LS_CORO_RETURN ? LS_REASON_RESULT
                : LS_REASON_EXCEPTION,
      .line = st == LS_CORO_YIELD ? gen_line (self) : 0, .detail = text,
    };
    _ls_vm_emit (vm, &ev);
  }
  g_free (text);
  return st;
}

int
_ls_vm_next_explicit (LsValue it, LsValue *out)
{
  if (is_gen (it))
    switch (gen_resume_explicit (ls_value_as_object (it), ls_none (), ls_none (), out, "next"))
      {
      case LS_CORO_YIELD:
        return 1;
      case LS_CORO_RETURN:
        return 0;
      default:
        return -1;
      }
  return ls_op_next (it, out);
}

/* What send()/throw() give back when the generator stopped: the value it
 * yielded, or (returned) StopIteration carrying its return value, or the
 * exception it raised, already in *result. */
static gboolean
gen_method_outcome (LsCoroStatus st, LsValue *result)
{
  if (st == LS_CORO_YIELD)
    return TRUE;
  if (st == LS_CORO_RETURN)
    {
      LsValue v = *result;
      *result = ls_exc_new (&ls_exc_StopIteration, ls_is_none (v) ? 0 : 1, &v);
    }
  return FALSE;
}

static gboolean
gen_send_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  return gen_method_outcome (gen_resume_explicit (ls_value_as_object (self), nargs ? args[0] : ls_none (),
                                                 ls_none (), result, data ? (const char *) data : "send"),
                             result);
}

/* gen.throw(value) / gen.throw(type[, value[, traceback]]): the
 * exception is raised where the generator stands. */
static gboolean
gen_throw_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsValue exc;
  LsCoroStatus st;

  if (nargs < 1 || nargs > 3)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "throw expected at least 1 argument, got %u", nargs);
      if (nargs > 3)
        {
          ls_value_unref (*result);
          *result = ls_exc_newf (&ls_exc_TypeError, "throw expected at most 3 arguments, got %u", nargs);
        }
      return FALSE;
    }
  if (ls_value_is (args[0], &ls_exc_type_class))
    {
      const LsExcType *t = (const LsExcType *) ls_value_as_object (args[0]);
      if (nargs >= 2 && ls_exc_type (args[1]))
        exc = ls_value_ref (args[1]);
      else if (nargs >= 2 && !ls_is_none (args[1]))
        {
          LsValue v = ls_value_ref (args[1]);
          exc = ls_exc_new (t, 1, &v);
        }
      else
        exc = ls_exc_new (t, 0, NULL);
    }
  else if (ls_exc_type (args[0]))
    {
      if (nargs >= 2 && !ls_is_none (args[1]))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "instance exception may not have a separate value");
          return FALSE;
        }
      exc = ls_value_ref (args[0]);
    }
  else
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "exceptions must be classes or instances deriving "
                             "from BaseException, not %s", ls_value_class (args[0])->name);
      return FALSE;
    }
  st = gen_resume_explicit (ls_value_as_object (self), ls_none (), exc, result, "throw");
  ls_value_unref (exc);
  return gen_method_outcome (st, result);
}

/* gen.__next__() */
static gboolean
gen_next_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (nargs)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "expected 0 arguments, got %u", nargs);
      return FALSE;
    }
  return gen_send_method (self, (gpointer) "next", NULL, 0, result);
}

/* gen.close(): GeneratorExit thrown in; the generator must not yield
 * again, and an exception other than GeneratorExit or StopIteration that
 * leaves it is raised here. */
static gboolean
gen_close_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsGen *g = (LsGen *) ls_value_as_object (self);
  LsValue ge, out;
  LsCoroStatus st;

  if (g->state != GEN_SUSPENDED)
    {
      g->state = GEN_CLOSED;
      *result = ls_none ();
      return TRUE;
    }
  ge = ls_exc_new (&ls_exc_GeneratorExit, 0, NULL);
  st = gen_resume_explicit (ls_value_as_object (self), ls_none (), ge, &out, "close");
  g->state = GEN_CLOSED;
  if (st == LS_CORO_YIELD)
    {
      ls_value_unref (out);
      ls_value_unref (ge);
      *result = ls_exc_newf (&ls_exc_RuntimeError, "%s ignored GeneratorExit",
                             (g->frame->code->flags & LS_CODE_COROUTINE) ? "coroutine" : "generator");
      return FALSE;
    }
  ls_value_unref (ge);
  if (st == LS_CORO_RAISE && !ls_exc_matches (out, &ls_exc_GeneratorExit)
      && !ls_exc_matches (out, &ls_exc_StopIteration))
    {
      *result = out;
      return FALSE;
    }
  ls_value_unref (out);
  *result = ls_none ();
  return TRUE;
}

static gboolean
gen_getattr (LsObject *self, const char *name, LsValue *out)
{
  LsGen *g = (LsGen *) self;
  if (strcmp (name, "send") == 0)
    *out = ls_builtin_new ("send", gen_send_method, ls_value_ref (ls_object (self)), NULL, NULL);
  else if (strcmp (name, "close") == 0)
    *out = ls_builtin_new ("close", gen_close_method, ls_value_ref (ls_object (self)), NULL, NULL);
  else if (strcmp (name, "throw") == 0)
    *out = ls_builtin_new ("throw", gen_throw_method, ls_value_ref (ls_object (self)), NULL, NULL);
  else if (strcmp (name, "__next__") == 0 && self->cls == &generator_class)
    *out = ls_builtin_new ("__next__", gen_next_method, ls_value_ref (ls_object (self)), NULL, NULL);
  else if (strcmp (name, "__name__") == 0 && g->frame)
    *out = ls_str_new (g->frame->code->name);
  else
    {
      *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'",
                          self->cls->name, name);
      return FALSE;
    }
  return TRUE;
}

static LsValue
gen_new (LsVm *vm, LsFrame *f)
{
  gboolean coro = (f->code->flags & LS_CODE_COROUTINE) != 0;
  LsGen *g = ls_object_alloc (coro ? &coroutine_class : &generator_class, sizeof (LsGen));
  g->frame = f;
  g->vm = vm;
  g->created_line = vm ? vm->calling_line : 0;
  vm_track (vm, g);
  f->gen = g;
  return ls_object (g);
}

static gboolean
is_gen (LsValue v)
{
  return ls_is_object (v) && (ls_value_as_object (v)->cls == &coroutine_class
                              || ls_value_as_object (v)->cls == &generator_class);
}

/* Calling a function: a new frame, run to completion (or, for a generator
 * or coroutine function, the generator object). */
static gboolean
function_call_kw (LsObject *self, const LsValue *args, guint nargs,
                  LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsFunction *fn = (LsFunction *) self;
  LsFrame *f = frame_new (fn->code, fn->globals, fn->closure), *suspended = NULL;
  LsVm *vm = current_vm;
  LsCoroStatus st;

  if (!bind_arguments (fn, f, args, nargs, kwnames, kwvalues, result))
    {
      frame_free (f);
      return FALSE;
    }
  if (fn->code->flags & (LS_CODE_GENERATOR | LS_CODE_COROUTINE))
    {
      *result = gen_new (vm, f);
      return TRUE;
    }
  st = vm_run (vm, f, f, ls_none (), result, &suspended);
  frame_free (f);
  if (st == LS_CORO_YIELD)
    {
      ls_value_unref (*result);
      *result = ls_exc_newf (&ls_exc_RuntimeError, "a plain function cannot yield");
      return FALSE;
    }
  return st == LS_CORO_RETURN;
}

/* ---- worker jobs --------------------------------------------------------------------------- */

/* func(*args, **kwargs) run by a worker thread of an executor, as the
 * coroutine ls-executor.c drives: each float it yields is a time.sleep()
 * inside the thread.  A Python function runs in its own chain of frames,
 * which suspends right after a call to time.sleep returns to it, however
 * deep the call is, as long as no C code stands between (a sort key, a
 * map() function): a sleep there is yielded when that C call returns.
 * Any other callable is called from C and its sleeps are yielded after it
 * returns, before its outcome. */
typedef enum { JOB_CREATED, JOB_RUNNING, JOB_FINISHING, JOB_DONE } JobState;

typedef struct {
  LsObject base;
  LsVm *vm;
  LsLoop *loop;              /* strong: its clock and output serve the job */
  LsValue func;
  LsValue args;              /* tuple */
  LsValue kwnames;           /* tuple of str, or None */
  LsValue kwvalues;          /* tuple, or None */
  LsFrame *frame;            /* a Python function's frame while it runs */
  LsFrame *top;              /* the innermost frame while suspended */
  JobState state;
  LsCoroStatus outcome_status;  /* JOB_FINISHING: what to deliver next */
  LsValue outcome;
} LsJob;

static void
job_finalize (LsObject *self)
{
  LsJob *j = (LsJob *) self;
  /* A job dropped while suspended (the loop closed): its frames go. */
  while (j->top && j->top != j->frame)
    {
      LsFrame *back = j->top->back;
      frame_free (j->top);
      j->top = back;
    }
  frame_free (j->frame);
  ls_value_unref (j->func);
  ls_value_unref (j->args);
  ls_value_unref (j->kwnames);
  ls_value_unref (j->kwvalues);
  ls_value_unref (j->outcome);
  ls_loop_unref (j->loop);
}

static char *
job_describe (LsObject *self)
{
  char *name = ls_callable_name (((LsJob *) self)->func);
  char *d = g_strdup_printf ("%s()", name);
  g_free (name);
  return d;
}

/* Runs the job's code with the VM set up for a worker; the status of the
 * run, the outcome or the seconds to sleep in *out. */
static LsCoroStatus
job_run (LsJob *j, LsValue exc, LsValue *out)
{
  LsVm *vm = j->vm, *saved_vm = current_vm;
  LsLoop *saved_loop = vm->job_loop;
  gpointer saved_base = vm->job_base;
  double saved_sleep = vm->job_sleep;
  guint saved_pending = vm->pending & LS_VM_PENDING_SLEEP;
  LsCoroStatus st;

  current_vm = vm;
  vm->job_loop = j->loop;
  vm->job_sleep = 0;
  vm->pending &= ~LS_VM_PENDING_SLEEP;
  if (j->frame)
    {
      LsFrame *suspended = NULL;
      vm->job_base = j->frame;
      st = vm_run (vm, j->frame, j->top ? j->top : j->frame, exc, out, &suspended);
      j->top = st == LS_CORO_YIELD ? suspended : NULL;
    }
  else
    {
      LsTuple *a = (LsTuple *) ls_value_as_object (j->args);
      vm->job_base = NULL;
      st = ls_call_kw (j->func, a->items, a->len, j->kwnames,
                       ls_is_none (j->kwvalues) ? NULL
                       : ((LsTuple *) ls_value_as_object (j->kwvalues))->items,
                       out) ? LS_CORO_RETURN : LS_CORO_RAISE;
    }
  if (st != LS_CORO_YIELD && (vm->pending & LS_VM_PENDING_SLEEP))
    {
      /* Sleeps inside C code at the end: yield them, then the outcome. */
      j->outcome_status = st;
      j->outcome = *out;
      j->state = JOB_FINISHING;
      *out = ls_float (vm->job_sleep);
      st = LS_CORO_YIELD;
    }
  vm->job_loop = saved_loop;
  vm->job_base = saved_base;
  vm->job_sleep = saved_sleep;
  vm->pending = (vm->pending & ~LS_VM_PENDING_SLEEP) | saved_pending;
  current_vm = saved_vm;
  return st;
}

static LsCoroStatus
job_resume (LsObject *self, LsValue send, LsValue exc, LsValue *out)
{
  LsJob *j = (LsJob *) self;
  LsCoroStatus st;

  switch (j->state)
    {
    case JOB_DONE:
      *out = ls_exc_newf (&ls_exc_RuntimeError, "cannot reuse already run job");
      return LS_CORO_RAISE;
    case JOB_FINISHING:
      j->state = JOB_DONE;
      *out = ls_value_steal (&j->outcome);
      return j->outcome_status;
    case JOB_CREATED:
      j->state = JOB_RUNNING;
      if (!ls_is_none (exc))
        {
          j->state = JOB_DONE;
          *out = ls_value_ref (exc);
          return LS_CORO_RAISE;
        }
      if (ls_is_object (j->func) && ls_value_as_object (j->func)->cls == &function_class
          && !(((LsFunction *) ls_value_as_object (j->func))->code->flags
               & (LS_CODE_GENERATOR | LS_CODE_COROUTINE)))
        {
          LsFunction *fn = (LsFunction *) ls_value_as_object (j->func);
          LsTuple *a = (LsTuple *) ls_value_as_object (j->args);
          LsFrame *f = frame_new (fn->code, fn->globals, fn->closure);
          if (!bind_arguments (fn, f, a->items, a->len, j->kwnames,
                               ls_is_none (j->kwvalues) ? NULL
                               : ((LsTuple *) ls_value_as_object (j->kwvalues))->items, out))
            {
              frame_free (f);
              j->state = JOB_DONE;
              return LS_CORO_RAISE;
            }
          j->frame = f;
        }
      break;
    case JOB_RUNNING:
      break;
    }
  st = job_run (j, exc, out);
  if (st != LS_CORO_YIELD || j->state == JOB_FINISHING)
    {
      frame_free (j->frame);
      j->frame = NULL;
      j->top = NULL;
      if (st != LS_CORO_YIELD)
        j->state = JOB_DONE;
    }
  return st;
}

static void
job_close (LsObject *self)
{
  ((LsJob *) self)->state = JOB_DONE;
}

static const LsCoroSlots job_coro_slots = {
  .resume = job_resume,
  .close = job_close,
  .describe = job_describe,
};

static const LsClass job_class = {
  .name = "job",
  .finalize = job_finalize,
  .coro = &job_coro_slots,
};

LsValue
_ls_vm_job_new (LsVm *vm, LsLoop *loop, LsValue func, const LsValue *args, guint nargs,
                LsValue kwnames, const LsValue *kwvalues)
{
  LsJob *j = ls_object_alloc (&job_class, sizeof (LsJob));
  GArray *all = g_array_new (FALSE, FALSE, sizeof (LsValue));     /* owned values */
  GArray *names = g_array_new (FALSE, FALSE, sizeof (LsValue));   /* owned str */
  GArray *values = g_array_new (FALSE, FALSE, sizeof (LsValue));  /* owned */
  LsTuple *kw = ls_is_none (kwnames) ? NULL : (LsTuple *) ls_value_as_object (kwnames);
  LsValue target = ls_value_ref (func);

  /* partial(f, a, k=1)(b, k=2) is f(a, b, k=2): unwrapped, so that a
   * Python function under a partial still sleeps where it calls sleep. */
  for (guint i = 0; i < nargs; i++)
    {
      LsValue v = ls_value_ref (args[i]);
      g_array_append_val (all, v);
    }
  for (guint i = 0; kw && i < kw->len; i++)
    {
      LsValue n = ls_value_ref (kw->items[i]), v = ls_value_ref (kwvalues[i]);
      g_array_append_val (names, n);
      g_array_append_val (values, v);
    }
  while (strcmp (ls_value_class (target)->name, "functools.partial") == 0)
    {
      LsValue inner, pargs, pkw, k, v;
      guint pos = 0;
      if (!ls_op_getattr (target, "func", &inner))
        {
          ls_value_unref (inner);
          break;
        }
      if (!ls_op_getattr (target, "args", &pargs))
        {
          ls_value_unref (pargs);
          ls_value_unref (inner);
          break;
        }
      if (!ls_op_getattr (target, "keywords", &pkw))
        {
          ls_value_unref (pkw);
          ls_value_unref (pargs);
          ls_value_unref (inner);
          break;
        }
      {
        LsTuple *t = (LsTuple *) ls_value_as_object (pargs);
        for (guint i = 0; i < t->len; i++)
          {
            LsValue a = ls_value_ref (t->items[i]);
            g_array_insert_val (all, i, a);
          }
      }
      /* The stored keywords first, the call's win. */
      while (ls_dict_next (pkw, &pos, &k, &v))
        {
          guint i;
          for (i = 0; i < names->len; i++)
            if (strcmp (ls_str_get (g_array_index (names, LsValue, i)), ls_str_get (k)) == 0)
              break;
          if (i == names->len)
            {
              LsValue n = ls_value_ref (k), vv = ls_value_ref (v);
              g_array_append_val (names, n);
              g_array_append_val (values, vv);
            }
        }
      ls_value_unref (pkw);
      ls_value_unref (pargs);
      ls_value_unref (target);
      target = inner;
    }

  j->vm = vm;
  j->loop = ls_loop_ref (loop);
  j->func = target;
  j->args = ls_tuple_new (all->len, (const LsValue *) all->data);
  j->kwnames = names->len ? ls_tuple_new (names->len, (const LsValue *) names->data) : ls_none ();
  j->kwvalues = values->len ? ls_tuple_new (values->len, (const LsValue *) values->data) : ls_none ();
  j->outcome = ls_none ();
  j->state = JOB_CREATED;
  g_array_free (all, TRUE);
  g_array_free (names, TRUE);
  g_array_free (values, TRUE);
  return ls_object (j);
}

/* ---- fibers (greenlets) ------------------------------------------------------------------- */

/* A greenlet's own chain of frames (ls-greenlet.c decides who runs when).
 * Its run function's frame is the base; a call that asks to switch away
 * (LS_VM_PENDING_SWITCH) suspends the chain right after it returns, at
 * any depth, and the value the greenlet is switched back in with becomes
 * that call's result.  A run that is not a Python function is called
 * from C: it may switch away as it returns (gevent.spawn(gevent.sleep, 1)),
 * but Python code it calls cannot (see call_pending in vm_run). */
struct _LsFiber {
  LsVm *vm;
  LsFrame *frame;            /* the run function's frame while it runs */
  LsFrame *top;              /* the innermost frame while suspended */
  gboolean started;
  /* A run called from C (a built-in such as gevent.sleep) that asked to
   * switch as it returned: the value it is switched back in with is its
   * result, and the fiber ends with it. */
  gboolean c_call_switched;
};

LsFiber *
_ls_fiber_new (LsVm *vm)
{
  LsFiber *fb = g_new0 (LsFiber, 1);
  fb->vm = vm;
  return fb;
}

void
_ls_fiber_free (LsFiber *fb)
{
  if (!fb)
    return;
  /* A greenlet dropped while suspended: its frames go, innermost first. */
  while (fb->top && fb->top != fb->frame)
    {
      LsFrame *back = fb->top->back;
      frame_free (fb->top);
      fb->top = back;
    }
  frame_free (fb->frame);
  g_free (fb);
}

gboolean
_ls_fiber_started (LsFiber *fb)
{
  return fb->started;
}

int
_ls_fiber_line (LsFiber *fb)
{
  return fb->top ? frame_line (fb->top) : 0;
}

LsCoroStatus
_ls_fiber_resume (LsFiber *fb, LsValue func, LsValue args, LsValue kwargs, LsValue value,
                  LsValue exc, LsValue *out)
{
  LsVm *vm = fb->vm, *saved_vm = current_vm;
  gpointer saved_base = vm->fiber_base;
  LsFrame *suspended = NULL;
  LsCoroStatus st;

  current_vm = vm;
  if (!fb->started)
    {
      LsTuple *a = (LsTuple *) ls_value_as_object (args);
      GArray *names = NULL, *values = NULL;
      LsValue kwnames = ls_none ();
      gboolean ok;

      fb->started = TRUE;
      if (!ls_is_none (exc))
        {
          current_vm = saved_vm;
          *out = ls_value_ref (exc);
          return LS_CORO_RAISE;
        }
      if (!ls_is_none (kwargs) && ls_dict_len (kwargs))
        {
          guint pos = 0;
          LsValue k, v;
          names = g_array_new (FALSE, FALSE, sizeof (LsValue));
          values = g_array_new (FALSE, FALSE, sizeof (LsValue));
          while (ls_dict_next (kwargs, &pos, &k, &v))
            {
              g_array_append_val (names, k);
              g_array_append_val (values, v);
            }
          kwnames = ls_tuple_new (names->len, (const LsValue *) names->data);
          for (guint i = 0; i < names->len; i++)
            ls_value_ref (g_array_index (names, LsValue, i));
        }
      if (ls_is_object (func) && ls_value_as_object (func)->cls == &function_class
          && !(((LsFunction *) ls_value_as_object (func))->code->flags
               & (LS_CODE_GENERATOR | LS_CODE_COROUTINE)))
        {
          LsFunction *fn = (LsFunction *) ls_value_as_object (func);
          LsFrame *f = frame_new (fn->code, fn->globals, fn->closure);
          ok = bind_arguments (fn, f, a->items, a->len, kwnames,
                               values ? (const LsValue *) values->data : NULL, out);
          if (!ok)
            {
              frame_free (f);
              st = LS_CORO_RAISE;
            }
          else
            {
              fb->frame = f;
              vm->fiber_base = f;
              st = vm_run (vm, f, f, ls_none (), out, &suspended);
            }
        }
      else
        {
          /* Called from C: a switch inside is refused where it is asked. */
          vm->fiber_base = NULL;
          st = ls_call_kw (func, a->items, a->len, kwnames,
                           values ? (const LsValue *) values->data : NULL, out)
               ? LS_CORO_RETURN : LS_CORO_RAISE;
          if (vm->pending & LS_VM_PENDING_SWITCH)
            {
              /* The built-in switched away as it returned: nothing of it
               * is left to run, so the fiber suspends here. */
              vm->pending &= ~LS_VM_PENDING_SWITCH;
              if (st == LS_CORO_RETURN)
                {
                  ls_value_unref (*out);
                  *out = ls_none ();
                  fb->c_call_switched = TRUE;
                  st = LS_CORO_YIELD;
                }
              else
                _ls_greenlet_drop_switch (vm);
            }
        }
      ls_value_unref (kwnames);
      if (names)
        {
          g_array_free (names, TRUE);
          g_array_free (values, TRUE);
        }
    }
  else if (fb->c_call_switched)
    {
      fb->c_call_switched = FALSE;
      *out = ls_value_ref (ls_is_none (exc) ? value : exc);
      st = ls_is_none (exc) ? LS_CORO_RETURN : LS_CORO_RAISE;
    }
  else
    {
      LsFrame *top = fb->top;
      if (!top)
        {
          current_vm = saved_vm;
          *out = ls_exc_newf (&ls_exc_RuntimeError, "cannot switch to a greenlet that has finished");
          return LS_CORO_RAISE;
        }
      if (ls_is_none (exc))
        top->stack[top->sp++] = ls_value_ref (value);
      fb->top = NULL;
      vm->fiber_base = fb->frame;
      st = vm_run (vm, fb->frame, top, exc, out, &suspended);
    }
  if (st == LS_CORO_YIELD)
    fb->top = fb->c_call_switched ? NULL : suspended;
  else if (fb->frame)
    {
      frame_free (fb->frame);
      fb->frame = NULL;
    }
  vm->fiber_base = saved_base;
  current_vm = saved_vm;
  return st;
}

/* ---- modules ---------------------------------------------------------------------------- */

static void
module_finalize (LsObject *self)
{
  LsModule *m = (LsModule *) self;
  g_free (m->name);
  ls_value_unref (m->dict);
}

static char *
module_repr (LsObject *self)
{
  return g_strdup_printf ("<module '%s' (built-in)>", ((LsModule *) self)->name);
}

static gboolean
module_getattr (LsObject *self, const char *name, LsValue *out)
{
  LsModule *m = (LsModule *) self;
  LsValue key = ls_str_new (name);
  int found = ls_dict_get (m->dict, key, out);
  ls_value_unref (key);
  if (found == 1)
    return TRUE;
  *out = ls_exc_newf (&ls_exc_AttributeError, "module '%s' has no attribute '%s'", m->name, name);
  return FALSE;
}

static gboolean
module_setattr (LsObject *self, const char *name, LsValue value, LsValue *error)
{
  LsModule *m = (LsModule *) self;
  LsValue key = ls_str_new (name);
  gboolean ok = ls_dict_set (m->dict, key, value, error);
  ls_value_unref (key);
  return ok;
}

static const LsTypeSlots module_slots = { .getattr = module_getattr, .setattr = module_setattr };

const LsClass ls_module_class = {
  .name = "module",
  .finalize = module_finalize,
  .repr = module_repr,
  .ops = &module_slots,
};

LsValue
_ls_module_new (const char *name)
{
  LsModule *m = ls_object_alloc (&ls_module_class, sizeof (LsModule));
  m->name = g_strdup (name);
  m->dict = ls_dict_new ();
  return ls_object (m);
}

void
_ls_module_add (LsValue module, const char *name, LsValue value)
{
  LsValue key = ls_str_new (name), err;
  LsModule *m = (LsModule *) ls_value_as_object (module);
  if (!ls_dict_set (m->dict, key, value, &err))
    ls_value_unref (err);
  ls_value_unref (key);
  ls_value_unref (value);
}

void
_ls_module_add_function (LsValue module, const char *name, LsBuiltinFn fn)
{
  _ls_module_add (module, name, ls_builtin_new (name, fn, ls_none (), NULL, NULL));
}

gboolean
_ls_kwarg (LsValue kwnames, const LsValue *kwvalues, const char *name, LsValue *out)
{
  LsTuple *t;
  if (ls_is_none (kwnames))
    return FALSE;
  t = (LsTuple *) ls_value_as_object (kwnames);
  for (guint i = 0; i < t->len; i++)
    if (strcmp (ls_str_get (t->items[i]), name) == 0)
      {
        *out = kwvalues[i];
        return TRUE;
      }
  return FALSE;
}

/* ---- exceptions ------------------------------------------------------------------------ */

static LsException *
exc_of (LsValue v)
{
  return (LsException *) ls_value_as_object (v);
}

/* The exception being handled where f runs (sys.exception()), or None. */
static LsValue
handled_exception (LsFrame *f)
{
  for (; f; f = f->back)
    if (!ls_is_none (f->handled))
      return f->handled;
  return ls_none ();
}

/* An exception raised inside a handler gets the handled one as its
 * __context__, unless that would make a cycle. */
static void
set_context (LsFrame *f, LsValue exc)
{
  LsValue ctx = handled_exception (f);
  if (ls_is_none (ctx) || ls_value_identical (ctx, exc) || !ls_exc_type (exc))
    return;
  for (LsValue c = ctx; ls_exc_type (c); c = exc_of (c)->context)
    if (ls_value_identical (c, exc))
      {
        /* break the cycle, as CPython does */
        return;
      }
  if (ls_is_none (exc_of (exc)->context))
    exc_of (exc)->context = ls_value_ref (ctx);
}

/* Records that exc left frame f at its current line. */
static void
add_traceback (LsFrame *f, LsValue exc)
{
  LsException *e;
  LsValue entry[3], list;

  if (!ls_exc_type (exc))
    return;
  e = exc_of (exc);
  if (ls_is_none (e->traceback))
    e->traceback = ls_list_new ();
  list = e->traceback;
  entry[0] = ls_str_new (f->code->filename);
  entry[1] = ls_int (frame_line (f));
  entry[2] = ls_str_new (f->code->name);
  /* outermost first: this frame goes in front */
  {
    LsList *l = (LsList *) ls_value_as_object (list);
    LsValue t = ls_tuple_new (3, entry);
    g_array_prepend_val (l->items, t);
  }
}

static LsValue
name_error (const char *name)
{
  return ls_exc_newf (&exc_NameError, "name '%s' is not defined", name);
}

/* raise X / raise X from Y: X may be a class or an instance. */
static LsValue
make_raise (LsValue x, LsValue cause, gboolean has_cause)
{
  LsValue exc;

  if (ls_value_is (x, &ls_exc_type_class))
    exc = ls_exc_new ((const LsExcType *) ls_value_as_object (x), 0, NULL);
  else if (ls_exc_type (x))
    exc = ls_value_ref (x);
  else
    return ls_exc_newf (&ls_exc_TypeError, "exceptions must derive from BaseException");
  if (has_cause)
    {
      LsValue c;
      if (ls_is_none (cause))
        c = ls_none ();
      else if (ls_value_is (cause, &ls_exc_type_class))
        c = ls_exc_new ((const LsExcType *) ls_value_as_object (cause), 0, NULL);
      else if (ls_exc_type (cause))
        c = ls_value_ref (cause);
      else
        {
          ls_value_unref (exc);
          return ls_exc_newf (&ls_exc_TypeError, "exception causes must derive from BaseException");
        }
      ls_value_set (&exc_of (exc)->cause, c);
      exc_of (exc)->suppress_context = TRUE;
    }
  return exc;
}

/* `except T`: T a class or tuple of classes. */
static gboolean
exc_match (LsValue exc, LsValue type, LsValue *error)
{
  if (ls_value_is (type, &ls_tuple_class))
    {
      LsTuple *t = (LsTuple *) ls_value_as_object (type);
      for (guint i = 0; i < t->len; i++)
        {
          gboolean r = exc_match (exc, t->items[i], error);
          if (r || !ls_is_none (*error))
            return r;
        }
      return FALSE;
    }
  if (!ls_value_is (type, &ls_exc_type_class))
    {
      *error = ls_exc_newf (&ls_exc_TypeError,
                            "catching classes that do not inherit from BaseException is not allowed");
      return FALSE;
    }
  return ls_exc_matches (exc, (const LsExcType *) ls_value_as_object (type));
}

/* ---- calls ------------------------------------------------------------------------------- */

/* Calls an exception class: ValueError("x"), ExceptionGroup("m", [..]). */
static gboolean
call_exc_type (LsValue type, const LsValue *args, guint nargs, LsValue *result)
{
  const LsExcType *t = (const LsExcType *) ls_value_as_object (type);
  if (ls_exc_type_is_subclass (t, &ls_exc_BaseExceptionGroup))
    {
      LsValue items, err;
      gint64 n;
      if (nargs != 2 || !ls_str_get (args[0]))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "BaseExceptionGroup.__new__() takes exactly 2 arguments (%u given)", nargs);
          return FALSE;
        }
      if (!ls_op_len (args[1], &n, &err))
        {
          *result = err;
          return FALSE;
        }
      {
        LsValue *excs = g_new (LsValue, n);
        for (gint64 i = 0; i < n; i++)
          {
            LsValue key = ls_int (i);
            if (!ls_op_getitem (args[1], key, &excs[i]))
              {
                *result = excs[i];
                for (gint64 k = 0; k < i; k++)
                  ls_value_unref (excs[k]);
                g_free (excs);
                return FALSE;
              }
          }
        items = ls_exc_group_new (ls_str_get (args[0]), n, excs);
        g_free (excs);
      }
      *result = items;
      return TRUE;
    }
  {
    LsValue *copy = g_new (LsValue, MAX (nargs, 1));
    for (guint i = 0; i < nargs; i++)
      copy[i] = ls_value_ref (args[i]);
    *result = ls_exc_new (t, nargs, copy);
    /* a run-time type must outlive its instances */
    ls_value_set (&exc_of (*result)->type_ref, ls_value_ref (type));
    g_free (copy);
  }
  return TRUE;
}

static gboolean
call_value (LsValue callable, const LsValue *args, guint nargs, LsValue kwnames,
            const LsValue *kwvalues, LsValue *result)
{
  if (ls_value_is (callable, &ls_exc_type_class))
    {
      if (!ls_is_none (kwnames))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "%s() takes no keyword arguments",
                                 ((LsExcType *) ls_value_as_object (callable))->name);
          return FALSE;
        }
      return call_exc_type (callable, args, nargs, result);
    }
  return ls_call_kw (callable, args, nargs, kwnames, kwvalues, result);
}

/* ---- imports ------------------------------------------------------------------------------ */

static gboolean
import_module (LsVm *vm, const char *name, LsValue *out)
{
  gpointer found = g_hash_table_lookup (vm->modules, name);

  if (found)
    {
      *out = ls_value_ref (ls_object (found));
      return TRUE;
    }
  *out = ls_exc_newf (&exc_ModuleNotFoundError, "import of module '%s' is not supported", name);
  return FALSE;
}

/* ---- attributes ------------------------------------------------------------------------------ */

/* e.args, e.__cause__, E.__name__, …: the exception objects the value
 * model defines, seen from the language. */
static gboolean
exception_getattr (LsValue obj, const char *name, LsValue *out)
{
  if (ls_value_is (obj, &ls_exc_type_class))
    {
      const LsExcType *t = (const LsExcType *) ls_value_as_object (obj);
      if (strcmp (name, "__name__") == 0 || strcmp (name, "__qualname__") == 0)
        {
          *out = ls_str_new (t->name);
          return TRUE;
        }
      *out = ls_exc_newf (&ls_exc_AttributeError, "type object '%s' has no attribute '%s'", t->name, name);
      return FALSE;
    }
  if (ls_exc_type (obj))
    {
      LsException *e = exc_of (obj);
      if (_ls_gevent_exception_getattr (obj, name, out))
        return TRUE;
      if (strcmp (name, "args") == 0)
        *out = ls_value_ref (e->args);
      else if (strcmp (name, "__cause__") == 0)
        *out = ls_value_ref (e->cause);
      else if (strcmp (name, "__context__") == 0)
        *out = ls_value_ref (e->context);
      else if (strcmp (name, "__suppress_context__") == 0)
        *out = ls_bool (e->suppress_context);
      else if (strcmp (name, "__class__") == 0)
        *out = ls_value_ref (e->type_ref);
      else if (strcmp (name, "exceptions") == 0 && e->message)
        *out = ls_value_ref (e->exceptions);
      else if (strcmp (name, "message") == 0 && e->message)
        *out = ls_str_new (e->message);
      else if (strcmp (name, "value") == 0 && e->type == &ls_exc_StopIteration)
        *out = ((LsTuple *) ls_value_as_object (e->args))->len
               ? ls_value_ref (((LsTuple *) ls_value_as_object (e->args))->items[0]) : ls_none ();
      else
        {
          *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'", e->type->name, name);
          return FALSE;
        }
      return TRUE;
    }
  *out = ls_none ();
  return FALSE;
}

static gboolean
vm_getattr (LsValue obj, const char *name, LsValue *out)
{
  int r = _ls_asyncio_getattr (obj, name, out);
  if (r)
    return r > 0;
  if (ls_value_is (obj, &ls_exc_type_class) || ls_exc_type (obj))
    return exception_getattr (obj, name, out);
  return ls_op_getattr (obj, name, out);
}

/* Leaves frame f (it returned or raised) for the one below it in the
 * chain, and returns that one.  A plain call's frame is freed; the frame
 * of an inline-awaited coroutine stays with its coroutine, now closed, and
 * its awaiter's YIELD_FROM is over (awaitable and sent value popped). */
static LsFrame *
leave_frame (LsFrame *f)
{
  LsFrame *back = f->back;

  f->back = NULL;
  if (f->gen)
    {
      f->gen->state = GEN_CLOSED;
      ls_value_unref (back->stack[--back->sp]);
      ls_value_unref (back->stack[--back->sp]);
      back->yf_active = FALSE;
    }
  else
    frame_free (f);
  return back;
}

/* A small int's payload and a small int from one in range: ls_value_as_int
 * and ls_int without their boxed branches, which GCC leaves out of line in
 * the large vm_run. */
#define SMALL_INT_VALUE(v) ((gint64) ((v).bits << 16) >> 16)

static inline __attribute__ ((always_inline)) LsValue
small_int (gint64 i)
{
  LsValue v;
  v.bits = LS_VALUE_INT_TAG | ((guint64) i & ~LS_VALUE_INT_TAG);
  return v;
}

/* Arithmetic and comparisons on two small ints, the bulk of loops and
 * counters, done in place: *a becomes the result.  FALSE (nothing done)
 * for anything else, including results that leave the 48-bit range, so
 * that the general path (big ints, messages) handles them.  Always
 * inlined: as a call it costs about as much as the arithmetic. */
static inline __attribute__ ((always_inline)) gboolean
small_int_op (gboolean compare, guint op, LsValue *a, LsValue b)
{
  gint64 x, y, r;

  if ((a->bits >> 48) != 0xffff || (b.bits >> 48) != 0xffff)
    return FALSE;
  x = SMALL_INT_VALUE (*a);
  y = SMALL_INT_VALUE (b);
  if (compare)
    {
      gboolean t;
      switch (op)
        {
        case LS_OP_EQ: t = x == y; break;
        case LS_OP_NE: t = x != y; break;
        case LS_OP_LT: t = x < y; break;
        case LS_OP_LE: t = x <= y; break;
        case LS_OP_GT: t = x > y; break;
        case LS_OP_GE: t = x >= y; break;
        default: return FALSE;
        }
      *a = ls_bool (t);
      return TRUE;
    }
  switch (op)
    {
    case LS_OP_ADD: r = x + y; break;
    case LS_OP_SUB: r = x - y; break;
    case LS_OP_MUL:
      if (__builtin_mul_overflow (x, y, &r))
        return FALSE;
      break;
    case LS_OP_FLOORDIV:
      if (y == 0)
        return FALSE;
      r = x / y;
      if ((x % y != 0) && ((x < 0) != (y < 0)))
        r--;
      break;
    case LS_OP_MOD:
      if (y == 0)
        return FALSE;
      r = x % y;
      if (r != 0 && ((r < 0) != (y < 0)))
        r += y;
      break;
    case LS_OP_BITAND: r = x & y; break;
    case LS_OP_BITOR: r = x | y; break;
    case LS_OP_BITXOR: r = x ^ y; break;
    default:
      return FALSE;
    }
  if (r < LS_VALUE_INT_MIN || r > LS_VALUE_INT_MAX)
    return FALSE;
  *a = small_int (r);
  return TRUE;
}

/* ---- methods --------------------------------------------------------------------------- */

/* LOAD_METHOD entries stand on the stack; they are never freed while the
 * code runs, and never referenced or released. */
static const LsClass method_cache_class = { .name = "method" };

/* Most method calls (list.append, dict.get, Queue.put) name a built-in
 * method, which getattr returns bound to the object in a new builtin that
 * the call then drops.  What it binds depends on the object's class only
 * (each class has its table of methods), so the first lookup at a
 * LOAD_METHOD is remembered for that class, and later ones skip both the
 * lookup and the bound builtin.  Returns the new entry for obj's class,
 * or NULL when `found` (what getattr returned) is anything else: a
 * module's attribute, a function, an object bound to something else.  A
 * few classes per instruction at most: past that the site is left to
 * getattr. */
static LsMethodCache *
method_cache_add (LsCode *code, guint at, LsValue obj, LsValue found)
{
  LsBuiltin *b;
  LsMethodCache *m;
  guint n = 0;

  if (!ls_is_object (obj) || !ls_is_object (found)
      || ls_value_as_object (found)->cls != &ls_builtin_class
      || ls_value_as_object (obj)->cls == &ls_module_class)
    return NULL;
  b = (LsBuiltin *) ls_value_as_object (found);
  if (!ls_value_identical (b->self, obj) || b->data_free || b->base.refcount != 1)
    return NULL;
  if (!code->method_cache)
    code->method_cache = g_new0 (LsMethodCache *, code->ninsns);
  for (m = code->method_cache[at]; m; m = m->next)
    n++;
  if (n >= 4)
    return NULL;
  m = g_new0 (LsMethodCache, 1);
  m->base.cls = &method_cache_class;
  m->base.refcount = LS_IMMORTAL;
  m->cls = ls_value_as_object (obj)->cls;
  m->fn = b->fn;
  m->kwfn = b->kwfn;
  m->data = b->data;
  m->await_now = b->kwfn ? _ls_asyncio_await_now (b->kwfn, b->data) : NULL;
  m->next = code->method_cache[at];
  code->method_cache[at] = m;
  return m;
}

/* ---- the interpreter loop ----------------------------------------------------------------- */

/* Limits are checked where a program can go on forever: backward jumps
 * and calls, every 4096th time. */
#define CHECK_LIMITS() \
  do { \
    if (G_UNLIKELY ((++vm->ticks & 0xfff) == 0 || vm->stopped_by) && limits_exceeded (vm, &exc)) \
      goto error; \
  } while (0)

/* Inside vm_run the current frame's next instruction and stack top live
 * in the locals ip and sp, not in f->pc and f->sp: the loop would otherwise
 * load and store them through f for every instruction.  SYNC writes them
 * back before anything that can read them (a call out of the loop, which
 * may show the frame's line, or leaving the frame); RELOAD reads them, and
 * the frame's locals and constants, after f changes. */
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define PEEK(n) (sp[-(gssize) (n)])
#define PC() ((guint) (ip - insns))
#define SYNC() \
  do { \
    f->pc = PC (); \
    f->sp = (guint) (sp - f->stack); \
  } while (0)
#define RELOAD() \
  do { \
    insns = f->code->insns; \
    ip = insns + f->pc; \
    sp = f->stack + f->sp; \
    locals = f->locals; \
    consts = f->code->consts; \
  } while (0)

/* GCC merges the handlers' identical DISPATCH tails into one shared
 * indirect jump unless told not to, which undoes the point of them; its
 * manual also advises against global CSE for code using computed gotos. */
#if defined (__GNUC__) && !defined (__clang__)
#define VM_RUN_OPTIMIZE __attribute__ ((optimize ("no-crossjumping", "no-gcse")))
#else
#define VM_RUN_OPTIMIZE
#endif

static guint
chain_depth (LsFrame *f)
{
  return f->depth;
}

/* Runs the chain whose innermost frame is f until `base` returns (RETURN),
 * raises out of it (RAISE), or the chain suspends (YIELD, *suspended = the
 * innermost frame).  throw_exc, when not None, is raised first where f
 * stands (into its delegate if it is inside a YIELD_FROM). */
static LsCoroStatus VM_RUN_OPTIMIZE
vm_run (LsVm *vm, LsFrame *base, LsFrame *f, LsValue throw_exc, LsValue *out, LsFrame **suspended)
{
  LsValue exc = ls_none ();
  guint32 insn;
  LsOpcode op;
  guint arg;
  const guint32 *insns, *ip;
  LsValue *sp, *locals;
  const LsValue *consts;

  /* Each handler jumps straight to the next instruction's handler (GCC's
   * labels as values): one indirect jump per handler predicts far better
   * than the switch's single shared one.  The table covers every value of
   * an instruction's opcode byte, so that DISPATCH needs no range check. */
  static void *const handlers[256] = {
#define LS_OPCODE_LABEL(id) [LS_OPC_##id] = &&L_##id,
    LS_OPCODES (LS_OPCODE_LABEL)
#undef LS_OPCODE_LABEL
    [LS_OPC_N ... 255] = &&unknown_opcode,
  };

  RELOAD ();
#define DISPATCH() \
  do { \
    insn = *ip++; \
    op = LS_INSN_OP (insn); \
    arg = LS_INSN_ARG (insn); \
    goto *handlers[op]; \
  } while (0)

  if (!ls_is_none (throw_exc))
    {
      exc = ls_value_ref (throw_exc);
      if (f->suspend == SUSPEND_YIELD_FROM && f->yf_active)
        {
          LsValue aw = PEEK (2), v;
          if (ls_is_coroutine (aw))
            {
              LsCoroStatus st = ls_coro_resume (aw, ls_none (), exc, &v);
              ls_value_unref (exc);
              exc = ls_none ();
              if (st == LS_CORO_YIELD)
                {
                  *out = v;
                  *suspended = f;
                  return LS_CORO_YIELD;
                }
              ls_value_unref (POP ());
              ls_value_unref (POP ());
              f->yf_active = FALSE;
              f->suspend = SUSPEND_NONE;
              ip++;
              if (st == LS_CORO_RETURN)
                PUSH (v);
              else
                exc = v;
            }
          else
            {
              ls_value_unref (POP ());
              ls_value_unref (POP ());
              f->yf_active = FALSE;
              f->suspend = SUSPEND_NONE;
              ip++;
            }
        }
      else if (ip > insns && LS_INSN_OP (ip[-1]) == LS_OPC_FOR_ITER
               && ls_exc_matches (exc, &ls_exc_StopIteration))
        {
          /* A greenlet that waited inside a for loop's next() (FOR_ITER)
           * is thrown StopIteration when the iteration ends: the loop
           * ends there, as FOR_ITER ends it. */
          ls_value_unref (exc);
          exc = ls_none ();
          ls_value_unref (POP ());
          ip = insns + LS_INSN_ARG (ip[-1]);
        }
      f->suspend = SUSPEND_NONE;
      if (!ls_is_none (exc))
        goto error;
    }
  f->suspend = SUSPEND_NONE;

  for (;;)
    {
      insn = *ip++;
      op = LS_INSN_OP (insn);
      arg = LS_INSN_ARG (insn);

      switch (op)
        {
        case LS_OPC_NOP: L_NOP:
          DISPATCH ();

        case LS_OPC_POP_TOP: L_POP_TOP:
          ls_value_unref (POP ());
          DISPATCH ();

        case LS_OPC_DUP_TOP: L_DUP_TOP:
          {
            LsValue v = ls_value_ref (TOP ());
            PUSH (v);
          }
          DISPATCH ();

        case LS_OPC_DUP_TOP_TWO: L_DUP_TOP_TWO:
          {
            LsValue a = PEEK (2), b = PEEK (1);
            PUSH (ls_value_ref (a));
            PUSH (ls_value_ref (b));
          }
          DISPATCH ();

        case LS_OPC_ROT_TWO: L_ROT_TWO:
          {
            LsValue t = PEEK (1);
            PEEK (1) = PEEK (2);
            PEEK (2) = t;
          }
          DISPATCH ();

        case LS_OPC_ROT_THREE: L_ROT_THREE:
          {
            LsValue t = PEEK (1);
            PEEK (1) = PEEK (2);
            PEEK (2) = PEEK (3);
            PEEK (3) = t;
          }
          DISPATCH ();

        case LS_OPC_LOAD_CONST: L_LOAD_CONST:
          PUSH (ls_value_ref (consts[arg]));
          DISPATCH ();

        case LS_OPC_LOAD_FAST: L_LOAD_FAST:
          if (IS_UNBOUND (locals[arg]))
            {
              exc = ls_exc_newf (&exc_UnboundLocalError, "cannot access local variable '%s' where it is "
                                 "not associated with a value", f->code->varnames[arg]);
              goto error;
            }
          PUSH (ls_value_ref (locals[arg]));
          DISPATCH ();

        case LS_OPC_STORE_FAST: L_STORE_FAST:
          ls_value_set (&locals[arg], POP ());
          DISPATCH ();

        case LS_OPC_DELETE_FAST: L_DELETE_FAST:
          if (IS_UNBOUND (locals[arg]))
            {
              exc = ls_exc_newf (&exc_UnboundLocalError, "cannot access local variable '%s' where it is "
                                 "not associated with a value", f->code->varnames[arg]);
              goto error;
            }
          ls_value_set (&locals[arg], UNBOUND);
          DISPATCH ();

        case LS_OPC_LOAD_DEREF: L_LOAD_DEREF:
          {
            LsCell *cell = (LsCell *) ls_value_as_object (f->cells[arg]);
            if (IS_UNBOUND (cell->value))
              {
                if (arg < f->code->ncells - f->code->nfree)
                  exc = ls_exc_newf (&exc_UnboundLocalError, "cannot access local variable '%s' where it is "
                                     "not associated with a value", f->code->cellnames[arg]);
                else
                  exc = ls_exc_newf (&exc_NameError, "cannot access free variable '%s' where it is not "
                                     "associated with a value in enclosing scope", f->code->cellnames[arg]);
                goto error;
              }
            PUSH (ls_value_ref (cell->value));
          }
          DISPATCH ();

        case LS_OPC_STORE_DEREF: L_STORE_DEREF:
          {
            LsCell *cell = (LsCell *) ls_value_as_object (f->cells[arg]);
            ls_value_set (&cell->value, POP ());
          }
          DISPATCH ();

        case LS_OPC_LOAD_CLOSURE: L_LOAD_CLOSURE:
          PUSH (ls_value_ref (f->cells[arg]));
          DISPATCH ();

        case LS_OPC_LOAD_GLOBAL: L_LOAD_GLOBAL:
          {
            LsValue key = f->code->name_values[arg], v;
            LsGlobalCache *cache;
            guint64 gver = _ls_dict_version (f->globals), bver = _ls_dict_version (vm->builtins);
            int found;

            if (G_UNLIKELY (!f->code->global_cache))
              f->code->global_cache = g_new0 (LsGlobalCache, f->code->ninsns);
            cache = &f->code->global_cache[ip - insns - 1];
            if (cache->globals_version == gver && cache->builtins_version == bver
                && cache->globals == ls_value_as_object (f->globals)
                && cache->builtins == ls_value_as_object (vm->builtins))
              {
                v = ls_value_ref (cache->value);
                PUSH (v);
                DISPATCH ();
              }
            found = ls_dict_get (f->globals, key, &v);
            if (found == 0)
              found = ls_dict_get (vm->builtins, key, &v);
            if (found != 1)
              {
                exc = found < 0 ? v : name_error (f->code->names[arg]);
                goto error;
              }
            /* Versions are read again: looking up may not change a dict,
             * but the cache must describe the dicts as they are now. */
            cache->globals = ls_value_as_object (f->globals);
            cache->builtins = ls_value_as_object (vm->builtins);
            cache->globals_version = ls_dict_version (f->globals);
            cache->builtins_version = ls_dict_version (vm->builtins);
            cache->value = v;
            PUSH (v);
          }
          DISPATCH ();

        case LS_OPC_STORE_GLOBAL: L_STORE_GLOBAL:
          SYNC ();
          {
            LsValue key = f->code->name_values[arg], v = POP ();
            gboolean ok = ls_dict_set (f->globals, key, v, &exc);
            ls_value_unref (v);
            if (!ok)
              goto error;
          }
          DISPATCH ();

        case LS_OPC_DELETE_GLOBAL: L_DELETE_GLOBAL:
          SYNC ();
          {
            LsValue key = ls_str_new (f->code->names[arg]);
            gboolean ok = ls_op_delitem (f->globals, key, &exc);
            ls_value_unref (key);
            if (!ok)
              {
                ls_value_unref (exc);
                exc = name_error (f->code->names[arg]);
                goto error;
              }
          }
          DISPATCH ();

        case LS_OPC_LOAD_METHOD: L_LOAD_METHOD:
          {
            LsValue obj = TOP (), v;
            LsMethodCache *m = NULL;
            gboolean ok;

            if (ls_is_object (obj) && f->code->method_cache)
              for (m = f->code->method_cache[PC () - 1]; m; m = m->next)
                if (m->cls == ls_value_as_object (obj)->cls)
                  break;
            if (m)
              {
                sp[-1] = ls_object (m);
                PUSH (obj);
                DISPATCH ();
              }
            SYNC ();
            ok = vm_getattr (obj, f->code->names[arg], &v);
            if (!ok)
              {
                ls_value_unref (POP ());
                exc = v;
                goto error;
              }
            m = method_cache_add (f->code, PC () - 1, obj, v);
            if (m)
              {
                ls_value_unref (v);
                sp[-1] = ls_object (m);
                PUSH (obj);
              }
            else
              {
                ls_value_unref (obj);
                sp[-1] = UNBOUND;
                PUSH (v);
              }
          }
          DISPATCH ();

        case LS_OPC_LOAD_ATTR: L_LOAD_ATTR:
          SYNC ();
          {
            LsValue obj = POP (), v;
            gboolean ok = vm_getattr (obj, f->code->names[arg], &v);
            ls_value_unref (obj);
            if (!ok)
              {
                exc = v;
                goto error;
              }
            PUSH (v);
          }
          DISPATCH ();

        case LS_OPC_STORE_ATTR: L_STORE_ATTR:
          SYNC ();
          {
            LsValue obj = POP (), v = POP ();
            gboolean ok = ls_op_setattr (obj, f->code->names[arg], v, &exc);
            ls_value_unref (obj);
            ls_value_unref (v);
            if (!ok)
              goto error;
          }
          DISPATCH ();

        case LS_OPC_BINARY_SUBSCR: L_BINARY_SUBSCR:
          if (ls_is_object (PEEK (2)) && ls_value_as_object (PEEK (2))->cls == &ls_list_class
              && (PEEK (1).bits >> 48) == 0xffff)
            {
              /* list[int]: the commonest subscript, without the dispatch */
              GArray *items = ((LsList *) ls_value_as_object (PEEK (2)))->items;
              gint64 i = SMALL_INT_VALUE (PEEK (1));
              if (i < 0)
                i += items->len;
              if (i >= 0 && i < (gint64) items->len)
                {
                  LsValue v = ls_value_ref (g_array_index (items, LsValue, i));
                  ls_value_unref (POP ());
                  ls_value_unref (POP ());
                  PUSH (v);
                  DISPATCH ();
                }
            }
          SYNC ();
          {
            LsValue key = POP (), obj = POP (), v;
            gboolean ok = ls_op_getitem (obj, key, &v);
            ls_value_unref (key);
            ls_value_unref (obj);
            if (!ok)
              {
                exc = v;
                goto error;
              }
            PUSH (v);
          }
          DISPATCH ();

        case LS_OPC_STORE_SUBSCR: L_STORE_SUBSCR:
          if (ls_is_object (PEEK (2)) && ls_value_as_object (PEEK (2))->cls == &ls_list_class
              && (PEEK (1).bits >> 48) == 0xffff)
            {
              /* list[int] = v, as BINARY_SUBSCR: the value moves from the
               * stack into the list; the key is a small int, not counted. */
              GArray *items = ((LsList *) ls_value_as_object (PEEK (2)))->items;
              gint64 i = SMALL_INT_VALUE (PEEK (1));
              if (i < 0)
                i += items->len;
              if (i >= 0 && i < (gint64) items->len)
                {
                  LsValue obj = PEEK (2), v = PEEK (3);
                  sp -= 3;
                  ls_value_set (&g_array_index (items, LsValue, i), v);
                  ls_value_unref (obj);
                  DISPATCH ();
                }
            }
          SYNC ();
          {
            LsValue key = POP (), obj = POP (), v = POP ();
            gboolean ok = ls_op_setitem (obj, key, v, &exc);
            ls_value_unref (key);
            ls_value_unref (obj);
            ls_value_unref (v);
            if (!ok)
              goto error;
          }
          DISPATCH ();

        case LS_OPC_DELETE_SUBSCR: L_DELETE_SUBSCR:
          SYNC ();
          {
            LsValue key = POP (), obj = POP ();
            gboolean ok = ls_op_delitem (obj, key, &exc);
            ls_value_unref (key);
            ls_value_unref (obj);
            if (!ok)
              goto error;
          }
          DISPATCH ();

        case LS_OPC_COMPARE_OP: L_COMPARE_OP:
          if (small_int_op (TRUE, arg, &PEEK (2), PEEK (1)))
            {
              /* A comparison of small ints that a conditional jump tests
               * (`if`, `while`) jumps at once, without the bool. */
              guint32 next = *ip;
              sp--;
              if (LS_INSN_OP (next) == LS_OPC_POP_JUMP_IF_FALSE || LS_INSN_OP (next) == LS_OPC_POP_JUMP_IF_TRUE)
                {
                  gboolean t = ls_value_as_bool (POP ());
                  ip++;
                  if (t == (LS_INSN_OP (next) == LS_OPC_POP_JUMP_IF_TRUE))
                    {
                      if (LS_INSN_ARG (next) < PC ())
                        CHECK_LIMITS ();
                      ip = insns + LS_INSN_ARG (next);
                    }
                }
              DISPATCH ();
            }
          goto binary_general;

        case LS_OPC_BINARY_OP: L_BINARY_OP:
        case LS_OPC_INPLACE_OP: L_INPLACE_OP:
          if (small_int_op (FALSE, arg, &PEEK (2), PEEK (1)))
            {
              sp--;
              DISPATCH ();
            }
        binary_general:
          SYNC ();
          {
            LsValue b = POP (), a = POP (), v;
            gboolean ok = op == LS_OPC_BINARY_OP ? ls_op_binary (arg, a, b, &v)
                          : op == LS_OPC_INPLACE_OP ? ls_op_inplace (arg, a, b, &v)
                          : ls_op_compare (arg, a, b, &v);
            ls_value_unref (a);
            ls_value_unref (b);
            if (!ok)
              {
                exc = v;
                goto error;
              }
            PUSH (v);
          }
          DISPATCH ();

        case LS_OPC_UNARY_OP: L_UNARY_OP:
          SYNC ();
          {
            LsValue a = POP (), v;
            gboolean ok = ls_op_unary (arg, a, &v);
            ls_value_unref (a);
            if (!ok)
              {
                exc = v;
                goto error;
              }
            PUSH (v);
          }
          DISPATCH ();

        case LS_OPC_BUILD_TUPLE: L_BUILD_TUPLE:
          {
            LsValue t;
            sp -= arg;
            t = ls_tuple_new (arg, sp);
            PUSH (t);
          }
          DISPATCH ();

        case LS_OPC_BUILD_LIST: L_BUILD_LIST:
          {
            LsValue l;
            sp -= arg;
            l = ls_list_new_from (arg, sp);
            PUSH (l);
          }
          DISPATCH ();

        case LS_OPC_BUILD_SET: L_BUILD_SET:
          SYNC ();
          {
            LsValue set = ls_set_new ();
            gboolean ok = TRUE;
            sp -= arg;
            for (guint i = 0; i < arg; i++)
              {
                if (ok && !ls_set_add (set, sp[i], &exc))
                  ok = FALSE;
                ls_value_unref (sp[i]);
              }
            if (!ok)
              {
                ls_value_unref (set);
                goto error;
              }
            PUSH (set);
          }
          DISPATCH ();

        case LS_OPC_BUILD_MAP: L_BUILD_MAP:
          SYNC ();
          {
            LsValue d = ls_dict_new ();
            gboolean ok = TRUE;
            sp -= 2 * arg;
            for (guint i = 0; i < arg; i++)
              {
                if (ok && !ls_dict_set (d, sp[2 * i], sp[2 * i + 1], &exc))
                  ok = FALSE;
                ls_value_unref (sp[2 * i]);
                ls_value_unref (sp[2 * i + 1]);
              }
            if (!ok)
              {
                ls_value_unref (d);
                goto error;
              }
            PUSH (d);
          }
          DISPATCH ();

        case LS_OPC_BUILD_SLICE: L_BUILD_SLICE:
          {
            LsValue step = POP (), stop = POP (), start = POP ();
            PUSH (ls_slice_new (start, stop, step));
          }
          DISPATCH ();

        case LS_OPC_BUILD_STRING: L_BUILD_STRING:
          {
            LsValue s;
            gboolean ok;
            sp -= arg;
            ok = ls_str_join ("", arg, sp, &s);
            for (guint i = 0; i < arg; i++)
              ls_value_unref (sp[i]);
            if (!ok)
              {
                exc = s;
                goto error;
              }
            PUSH (s);
          }
          DISPATCH ();

        case LS_OPC_FORMAT_VALUE: L_FORMAT_VALUE:
          SYNC ();
          {
            LsValue spec = (arg >> 8) ? POP () : ls_none ();
            LsValue v = POP (), conv, s;
            int c = arg & 0xff;
            gboolean ok = TRUE;
            if (c == 'a')
              {
                /* ascii(): the repr with every non-ASCII character escaped */
                char *r = ls_value_repr (v);
                GString *a = g_string_new (NULL);
                for (const char *p = r; *p; p = g_utf8_next_char (p))
                  {
                    gunichar ch = g_utf8_get_char (p);
                    if (ch < 0x80)
                      g_string_append_c (a, (char) ch);
                    else if (ch < 0x100)
                      g_string_append_printf (a, "\\x%02x", ch);
                    else if (ch < 0x10000)
                      g_string_append_printf (a, "\\u%04x", ch);
                    else
                      g_string_append_printf (a, "\\U%08x", ch);
                  }
                conv = ls_str_take (g_string_free (a, FALSE));
                g_free (r);
              }
            else if (c == 'r')
              conv = ls_str_take (ls_value_repr (v));
            else if (c == 's')
              conv = ls_str_take (ls_value_str (v));
            else
              conv = ls_value_ref (v);
            ok = ls_format (conv, ls_is_none (spec) ? "" : ls_str_get (spec), &s);
            ls_value_unref (conv);
            ls_value_unref (v);
            ls_value_unref (spec);
            if (!ok)
              {
                exc = s;
                goto error;
              }
            PUSH (s);
          }
          DISPATCH ();

        case LS_OPC_LIST_APPEND: L_LIST_APPEND:
          {
            LsValue v = POP ();
            ls_list_append (PEEK (arg), v);
          }
          DISPATCH ();

        case LS_OPC_SET_ADD: L_SET_ADD:
          SYNC ();
          {
            LsValue v = POP ();
            gboolean ok = ls_set_add (PEEK (arg), v, &exc);
            ls_value_unref (v);
            if (!ok)
              goto error;
          }
          DISPATCH ();

        case LS_OPC_MAP_ADD: L_MAP_ADD:
          SYNC ();
          {
            LsValue v = POP (), k = POP ();
            gboolean ok = ls_dict_set (PEEK (arg), k, v, &exc);
            ls_value_unref (k);
            ls_value_unref (v);
            if (!ok)
              goto error;
          }
          DISPATCH ();

        case LS_OPC_LIST_EXTEND: L_LIST_EXTEND:
          SYNC ();
          {
            LsValue it = POP (), r;
            gboolean ok = ls_op_inplace (LS_OP_ADD, PEEK (arg), it, &r);
            if (!ok && ls_exc_matches (r, &ls_exc_TypeError))
              {
                /* [*x] accepts any iterable: extend through iteration. */
                LsValue iter, item;
                int got;
                ls_value_unref (r);
                if (!ls_op_iter (it, &iter))
                  {
                    ls_value_unref (it);
                    exc = iter;
                    goto error;
                  }
                while ((got = ls_op_next (iter, &item)) == 1)
                  ls_list_append (PEEK (arg), item);
                ls_value_unref (iter);
                if (got < 0)
                  {
                    ls_value_unref (it);
                    exc = item;
                    goto error;
                  }
                ls_value_unref (item);
                ok = TRUE;
              }
            else if (ok)
              ls_value_unref (r);
            ls_value_unref (it);
            if (!ok)
              {
                exc = r;
                goto error;
              }
          }
          DISPATCH ();

        case LS_OPC_DICT_UPDATE: L_DICT_UPDATE:
          SYNC ();
          {
            LsValue m = POP (), k, v;
            guint pos = 0;
            if (!ls_value_is (m, &ls_dict_class))
              {
                exc = ls_exc_newf (&ls_exc_TypeError, "'%s' object is not a mapping",
                                   ls_value_class (m)->name);
                ls_value_unref (m);
                goto error;
              }
            while (ls_dict_next (m, &pos, &k, &v))
              if (!ls_dict_set (PEEK (arg), k, v, &exc))
                {
                  ls_value_unref (m);
                  goto error;
                }
            ls_value_unref (m);
          }
          DISPATCH ();

        case LS_OPC_LIST_TO_TUPLE: L_LIST_TO_TUPLE:
          {
            LsValue l = POP ();
            LsList *list = (LsList *) ls_value_as_object (l);
            LsValue t;
            for (guint i = 0; i < list->items->len; i++)
              ls_value_ref (g_array_index (list->items, LsValue, i));
            t = ls_tuple_new (list->items->len, (LsValue *) list->items->data);
            ls_value_unref (l);
            PUSH (t);
          }
          DISPATCH ();

        case LS_OPC_UNPACK_SEQUENCE: L_UNPACK_SEQUENCE:
          {
            /* a, b = tuple_or_list of that length: no iteration */
            guint n;
            const LsValue *items = _ls_seq_items (TOP (), &n);
            if (items && n == arg)
              {
                LsValue seq = POP ();
                for (guint i = n; i-- > 0;)
                  PUSH (ls_value_ref (items[i]));
                ls_value_unref (seq);
                DISPATCH ();
              }
          }
          goto unpack_general;

        case LS_OPC_UNPACK_EX: L_UNPACK_EX:
        unpack_general:
          SYNC ();
          {
            LsValue seq = POP (), iter, item;
            GArray *items = g_array_new (FALSE, FALSE, sizeof (LsValue));
            guint before = op == LS_OPC_UNPACK_EX ? (arg & 0xfff) : arg;
            guint after = op == LS_OPC_UNPACK_EX ? (arg >> 12) : 0;
            int got;
            gboolean ok = ls_op_iter (seq, &iter);
            ls_value_unref (seq);
            if (!ok)
              {
                g_array_free (items, TRUE);
                exc = iter;
                if (ls_exc_matches (exc, &ls_exc_TypeError))
                  {
                    ls_value_unref (exc);
                    exc = ls_exc_newf (&ls_exc_TypeError, "cannot unpack non-iterable %s object",
                                       ls_value_class (seq)->name);
                  }
                goto error;
              }
            while ((got = ls_op_next (iter, &item)) == 1)
              g_array_append_val (items, item);
            ls_value_unref (iter);
            if (got < 0)
              {
                for (guint i = 0; i < items->len; i++)
                  ls_value_unref (g_array_index (items, LsValue, i));
                g_array_free (items, TRUE);
                exc = item;
                goto error;
              }
            ls_value_unref (item);
            if (op == LS_OPC_UNPACK_SEQUENCE && items->len != arg)
              {
                exc = items->len < arg
                  ? ls_exc_newf (&ls_exc_ValueError, "not enough values to unpack (expected %u, got %u)", arg, items->len)
                  : ls_exc_newf (&ls_exc_ValueError, "too many values to unpack (expected %u)", arg);
              }
            else if (op == LS_OPC_UNPACK_EX && items->len < before + after)
              exc = ls_exc_newf (&ls_exc_ValueError, "not enough values to unpack (expected at least %u, got %u)",
                                 before + after, items->len);
            if (!ls_is_none (exc))
              {
                for (guint i = 0; i < items->len; i++)
                  ls_value_unref (g_array_index (items, LsValue, i));
                g_array_free (items, TRUE);
                goto error;
              }
            /* Push so that the first item ends on top. */
            if (op == LS_OPC_UNPACK_SEQUENCE)
              for (guint i = items->len; i-- > 0;)
                PUSH (g_array_index (items, LsValue, i));
            else
              {
                guint n = items->len;
                LsValue rest;
                for (guint i = n; i-- > n - after;)
                  PUSH (g_array_index (items, LsValue, i));
                rest = ls_list_new_from (n - before - after, &g_array_index (items, LsValue, before));
                PUSH (rest);
                for (guint i = before; i-- > 0;)
                  PUSH (g_array_index (items, LsValue, i));
              }
            g_array_free (items, TRUE);
          }
          DISPATCH ();

        case LS_OPC_JUMP: L_JUMP:
          if (arg < PC ())
            CHECK_LIMITS ();
          ip = insns + arg;
          DISPATCH ();

        case LS_OPC_POP_JUMP_IF_FALSE: L_POP_JUMP_IF_FALSE:
        case LS_OPC_POP_JUMP_IF_TRUE: L_POP_JUMP_IF_TRUE:
          {
            LsValue v = POP ();
            gboolean t;
            if (v.bits == LS_VALUE_TRUE_BITS || v.bits == LS_VALUE_FALSE_BITS)
              t = v.bits == LS_VALUE_TRUE_BITS;
            else
              {
                gboolean ok = ls_op_truthy (v, &t, &exc);
                ls_value_unref (v);
                if (!ok)
                  goto error;
              }
            if (t == (op == LS_OPC_POP_JUMP_IF_TRUE))
              {
                if (arg < PC ())
                  CHECK_LIMITS ();
                ip = insns + arg;
              }
          }
          DISPATCH ();

        case LS_OPC_JUMP_IF_FALSE_OR_POP: L_JUMP_IF_FALSE_OR_POP:
        case LS_OPC_JUMP_IF_TRUE_OR_POP: L_JUMP_IF_TRUE_OR_POP:
          {
            gboolean t;
            if (!ls_op_truthy (TOP (), &t, &exc))
              goto error;
            if (t == (op == LS_OPC_JUMP_IF_TRUE_OR_POP))
              ip = insns + arg;
            else
              ls_value_unref (POP ());
          }
          DISPATCH ();

        case LS_OPC_GET_ITER: L_GET_ITER:
          SYNC ();
          {
            LsValue obj = POP (), it;
            gboolean ok = ls_op_iter (obj, &it);
            ls_value_unref (obj);
            if (!ok)
              {
                exc = it;
                goto error;
              }
            PUSH (it);
          }
          DISPATCH ();

        case LS_OPC_FOR_ITER: L_FOR_ITER:
          if (ls_is_object (TOP ()) && ls_value_as_object (TOP ())->cls == &_ls_range_iter_class)
            {
              /* for i in range(...): the next small int without a call */
              LsRangeIter *it = (LsRangeIter *) ls_value_as_object (TOP ());
              if (it->left > 0 && it->next >= LS_VALUE_INT_MIN && it->next <= LS_VALUE_INT_MAX)
                {
                  PUSH (small_int (it->next));
                  it->next += it->step;
                  it->left--;
                  DISPATCH ();
                }
            }
          SYNC ();
          {
            LsValue item;
            int got;
            /* A greenlet's own chain lets the iterator switch away (a
             * gevent Queue that must wait): the item is then a
             * placeholder, and the chain suspends as after a call; the
             * value it is switched back in with is the next item, and
             * StopIteration thrown into it ends the loop (vm_run's start). */
            if (base == vm->fiber_base && ls_is_object (TOP ()))
              vm->switch_slot_of = ls_value_as_object (TOP ());
            got = ls_op_next (TOP (), &item);
            vm->switch_slot_of = NULL;
            if (got == 1)
              {
                PUSH (item);
                if (G_UNLIKELY (vm->pending))
                  goto call_pending;
              }
            else
              {
                ls_value_unref (POP ());
                if (got < 0)
                  {
                    exc = item;
                    goto error;
                  }
                ls_value_unref (item);
                ip = insns + arg;
              }
          }
          DISPATCH ();

        case LS_OPC_CALL_METHOD: L_CALL_METHOD:
          if (IS_UNBOUND (PEEK (arg + 2)))
            {
              /* Not a cached method: a plain call of what LOAD_METHOD
               * found, once the marker below it is gone. */
              memmove (sp - arg - 2, sp - arg - 1, (arg + 1) * sizeof (LsValue));
              sp--;
              op = LS_OPC_CALL;
              goto L_CALL;
            }
          {
            LsMethodCache *m = (LsMethodCache *) ls_value_as_object (PEEK (arg + 2));
            LsValue self = PEEK (arg + 1), result;
            LsValue *args = sp - arg;
            gboolean ok;

            CHECK_LIMITS ();
            vm->calling_line = f->code->lines[PC () - 1];
            SYNC ();
            /* `await obj.method(args)`: the compiler's await follows. */
            if (m->await_now && LS_INSN_OP (ip[0]) == LS_OPC_GET_AWAITABLE
                && LS_INSN_OP (ip[1]) == LS_OPC_LOAD_CONST && ls_is_none (consts[LS_INSN_ARG (ip[1])])
                && LS_INSN_OP (ip[2]) == LS_OPC_YIELD_FROM
                && m->await_now (self, args, arg, &result))
              {
                ok = TRUE;
                ip += 3;
              }
            else
              ok = m->kwfn ? m->kwfn (self, m->data, args, arg, ls_none (), NULL, &result)
                           : m->fn (self, m->data, args, arg, &result);
            for (guint i = 0; i < arg; i++)
              ls_value_unref (POP ());
            ls_value_unref (POP ());
            sp--;                       /* the entry: immortal */
            if (!ok)
              {
                exc = result;
                goto error;
              }
            PUSH (result);
            if (G_UNLIKELY (vm->pending))
              goto call_pending;
          }
          DISPATCH ();

        case LS_OPC_CALL: L_CALL:
        case LS_OPC_CALL_KW: L_CALL_KW:
        case LS_OPC_CALL_EX: L_CALL_EX:
          {
            LsValue callable, kwnames = ls_none (), result, argtuple = ls_none (), kwdict = ls_none ();
            LsValue *args;
            guint nargs, nkw = 0;
            gboolean ok;

            CHECK_LIMITS ();
            if (op == LS_OPC_CALL_EX)
              {
                SYNC ();
                if (arg)
                  kwdict = POP ();
                argtuple = POP ();
                callable = POP ();
                {
                  LsTuple *t = (LsTuple *) ls_value_as_object (argtuple);
                  guint nk = ls_is_none (kwdict) ? 0 : ls_dict_len (kwdict);
                  LsValue *names = g_new (LsValue, MAX (nk, 1));
                  guint pos = 0, i = 0;
                  LsValue k, v;
                  args = g_new (LsValue, t->len + nk + 1);
                  for (guint j = 0; j < t->len; j++)
                    args[j] = t->items[j];
                  while (!ls_is_none (kwdict) && ls_dict_next (kwdict, &pos, &k, &v))
                    {
                      names[i] = ls_value_ref (k);
                      args[t->len + i] = v;
                      i++;
                    }
                  nargs = t->len;
                  if (nk)
                    kwnames = ls_tuple_new (nk, names);
                  g_free (names);
                  ok = call_value (callable, args, nargs, kwnames, args + nargs, &result);
                  g_free (args);
                }
                ls_value_unref (kwnames);
                ls_value_unref (argtuple);
                ls_value_unref (kwdict);
                ls_value_unref (callable);
                if (!ok)
                  {
                    exc = result;
                    goto error;
                  }
                PUSH (result);
                if (G_UNLIKELY (vm->pending))
                  goto call_pending;
                break;
              }

            if (op == LS_OPC_CALL_KW)
              {
                kwnames = POP ();
                nkw = ((LsTuple *) ls_value_as_object (kwnames))->len;
              }
            nargs = arg - nkw;
            args = sp - arg;
            callable = sp[-(gssize) arg - 1];

            if (ls_is_object (callable) && ls_value_as_object (callable)->cls == &function_class
                && !(((LsFunction *) ls_value_as_object (callable))->code->flags
                     & (LS_CODE_GENERATOR | LS_CODE_COROUTINE)))
              {
                /* A Python function: a new frame on this chain, no C call. */
                LsFunction *fn = (LsFunction *) ls_value_as_object (callable);
                LsFrame *nf;
                if (chain_depth (f) >= MAX_DEPTH)
                  {
                    ls_value_unref (kwnames);
                    exc = ls_exc_newf (&exc_RecursionError, "maximum recursion depth exceeded");
                    goto error;
                  }
                if (op == LS_OPC_CALL && nargs == fn->code->nargs && fn->code->nkwonly == 0
                    && fn->code->ncells == 0
                    && !(fn->code->flags & (LS_CODE_VARARGS | LS_CODE_VARKW)))
                  {
                    /* Exactly the positional parameters, nothing captured:
                     * there is nothing for bind_arguments to check, and the
                     * arguments move from the stack into the locals. */
                    nf = frame_alloc (fn->code, fn->globals, nargs);
                    for (guint i = 0; i < nargs; i++)
                      nf->locals[i] = args[i];
                    sp -= nargs;
                    ls_value_unref (POP ());
                  }
                else
                  {
                    nf = frame_new (fn->code, fn->globals, fn->closure);
                    ok = bind_arguments (fn, nf, args, nargs, kwnames, args + nargs, &exc);
                    ls_value_unref (kwnames);
                    for (guint i = 0; i <= arg; i++)
                      ls_value_unref (POP ());
                    if (!ok)
                      {
                        frame_free (nf);
                        goto error;
                      }
                  }
                SYNC ();
                nf->back = f;
                nf->depth = f->depth + 1;
                f = nf;
                RELOAD ();
                DISPATCH ();
              }

            vm->calling_line = f->code->lines[PC () - 1];
            SYNC ();
            ok = call_value (callable, args, nargs, kwnames, args + nargs, &result);
            ls_value_unref (kwnames);
            for (guint i = 0; i <= arg; i++)
              ls_value_unref (POP ());
            if (!ok)
              {
                exc = result;
                goto error;
              }
            PUSH (result);
            if (G_UNLIKELY (vm->pending))
              goto call_pending;
          }
          DISPATCH ();

        case LS_OPC_MAKE_FUNCTION: L_MAKE_FUNCTION:
          {
            LsFunction *fn = ls_object_alloc (&function_class, sizeof (LsFunction));
            LsValue code = POP ();
            fn->code = ls_object_ref (ls_value_as_object (code));
            ls_value_unref (code);
            fn->closure = (arg & 8) ? POP () : ls_none ();
            fn->kwdefaults = (arg & 2) ? POP () : ls_none ();
            fn->defaults = (arg & 1) ? POP () : ls_none ();
            fn->globals = ls_value_ref (f->globals);
            PUSH (ls_object (fn));
          }
          DISPATCH ();

        case LS_OPC_RETURN_VALUE: L_RETURN_VALUE:
          {
            LsValue v = POP ();
            SYNC ();
            if (f == base)
              {
                *out = v;
                return LS_CORO_RETURN;
              }
            f = leave_frame (f);
            RELOAD ();
            PUSH (v);
          }
          DISPATCH ();

        case LS_OPC_YIELD_VALUE: L_YIELD_VALUE:
          f->suspend = SUSPEND_YIELD_VALUE;
          *out = POP ();
          SYNC ();
          *suspended = f;
          return LS_CORO_YIELD;

        case LS_OPC_GET_AWAITABLE: L_GET_AWAITABLE:
          SYNC ();
          {
            LsValue aw = TOP ();
            if (is_gen (aw))
              {
                LsGen *g = (LsGen *) ls_value_as_object (aw);
                if (!(g->frame->code->flags & LS_CODE_COROUTINE))
                  {
                    exc = ls_exc_newf (&ls_exc_TypeError, "object generator can't be used in 'await' expression");
                    goto error;
                  }
                if (g->state == GEN_CLOSED)
                  {
                    exc = ls_exc_newf (&ls_exc_RuntimeError, "cannot reuse already awaited coroutine");
                    goto error;
                  }
                if (g->state != GEN_CREATED || g->awaited)
                  {
                    exc = ls_exc_newf (&ls_exc_RuntimeError, "coroutine is being awaited already");
                    goto error;
                  }
                g->awaited = TRUE;
              }
            else if (!ls_is_future (aw) && !ls_is_coroutine (aw))
              {
                exc = ls_exc_newf (&ls_exc_TypeError, "object %s can't be used in 'await' expression",
                                   ls_value_class (aw)->name);
                goto error;
              }
          }
          DISPATCH ();

        case LS_OPC_GET_YIELD_FROM_ITER: L_GET_YIELD_FROM_ITER:
          SYNC ();
          if (!is_gen (TOP ()))
            {
              LsValue obj = POP (), it;
              gboolean ok = ls_op_iter (obj, &it);
              ls_value_unref (obj);
              if (!ok)
                {
                  exc = it;
                  goto error;
                }
              PUSH (it);
            }
          DISPATCH ();

        case LS_OPC_YIELD_FROM: L_YIELD_FROM:
          {
            LsValue aw = PEEK (2), sent = PEEK (1), v;
            LsCoroStatus st;

            if (is_gen (aw) && ((LsGen *) ls_value_as_object (aw))->state == GEN_CREATED)
              {
                /* Run the fresh coroutine's frame on top of this one. */
                LsGen *g = (LsGen *) ls_value_as_object (aw);
                if (chain_depth (f) >= MAX_DEPTH)
                  {
                    exc = ls_exc_newf (&exc_RecursionError, "maximum recursion depth exceeded");
                    goto error;
                  }
                g->state = GEN_RUNNING;
                g->awaited = TRUE;
                g->frame->back = f;
                g->frame->depth = f->depth + 1;
                f->yf_active = TRUE;
                SYNC ();
                f = g->frame;
                RELOAD ();
                break;
              }
            if (ls_is_future (aw))
              {
                /* Future.__await__ */
                LsFuture *fut = ls_future_from (aw);
                if (!f->yf_active && !ls_future_done (fut))
                  {
                    fut->blocking = TRUE;
                    f->yf_active = TRUE;
                    f->suspend = SUSPEND_YIELD_FROM;
                    ip--;
                    SYNC ();
                    *out = ls_value_ref (aw);
                    *suspended = f;
                    return LS_CORO_YIELD;
                  }
                f->yf_active = FALSE;
                if (!ls_future_done (fut))
                  {
                    exc = ls_exc_newf (&ls_exc_RuntimeError, "await wasn't used with future");
                    ls_value_unref (POP ());
                    ls_value_unref (POP ());
                    goto error;
                  }
                {
                  gboolean ok = ls_future_result (fut, &v);
                  ls_value_unref (POP ());
                  ls_value_unref (POP ());
                  if (!ok)
                    {
                      exc = v;
                      goto error;
                    }
                  PUSH (v);
                }
                break;
              }
            SYNC ();
            if (ls_is_coroutine (aw))
              st = ls_coro_resume (aw, sent, ls_none (), &v);
            else
              {
                int got = ls_op_next (aw, &v);
                st = got == 1 ? LS_CORO_YIELD : got == 0 ? LS_CORO_RETURN : LS_CORO_RAISE;
              }
            if (st == LS_CORO_YIELD)
              {
                f->yf_active = TRUE;
                f->suspend = SUSPEND_YIELD_FROM;
                ip--;
                SYNC ();
                *out = v;
                *suspended = f;
                return LS_CORO_YIELD;
              }
            f->yf_active = FALSE;
            ls_value_unref (POP ());
            ls_value_unref (POP ());
            if (st == LS_CORO_RAISE)
              {
                exc = v;
                goto error;
              }
            PUSH (v);
          }
          DISPATCH ();

        case LS_OPC_SETUP_FINALLY: L_SETUP_FINALLY:
          if (f->nblocks == MAX_BLOCKS)
            {
              exc = ls_exc_newf (&ls_exc_RuntimeError, "too many statically nested blocks");
              goto error;
            }
          f->blocks[f->nblocks].handler = arg;
          f->blocks[f->nblocks].sp = sp - f->stack;
          f->nblocks++;
          DISPATCH ();

        case LS_OPC_POP_BLOCK: L_POP_BLOCK:
          f->nblocks--;
          DISPATCH ();

        case LS_OPC_PUSH_EXC_INFO: L_PUSH_EXC_INFO:
          {
            LsValue e = POP ();
            PUSH (ls_value_steal (&f->handled));
            f->handled = ls_value_ref (e);
            PUSH (e);
          }
          DISPATCH ();

        case LS_OPC_POP_EXCEPT: L_POP_EXCEPT:
          ls_value_set (&f->handled, POP ());
          DISPATCH ();

        case LS_OPC_RERAISE: L_RERAISE:
          exc = POP ();
          goto reraise;

        case LS_OPC_RAISE: L_RAISE:
          if (arg == 0)
            {
              LsValue h = handled_exception (f);
              if (ls_is_none (h))
                {
                  exc = ls_exc_newf (&ls_exc_RuntimeError, "No active exception to reraise");
                  goto error;
                }
              exc = ls_value_ref (h);
              goto reraise;
            }
          {
            LsValue cause = arg == 2 ? POP () : ls_none ();
            LsValue x = POP ();
            exc = make_raise (x, cause, arg == 2);
            ls_value_unref (x);
            ls_value_unref (cause);
          }
          goto error;

        case LS_OPC_CHECK_EXC_MATCH: L_CHECK_EXC_MATCH:
          SYNC ();
          {
            LsValue type = POP (), err = ls_none ();
            gboolean m = exc_match (TOP (), type, &err);
            ls_value_unref (type);
            if (!ls_is_none (err))
              {
                exc = err;
                goto error;
              }
            PUSH (ls_bool (m));
          }
          DISPATCH ();

        case LS_OPC_BEFORE_WITH: L_BEFORE_WITH:
        case LS_OPC_BEFORE_ASYNC_WITH: L_BEFORE_ASYNC_WITH:
          SYNC ();
          {
            LsValue cm = POP (), exit_fn, enter_fn, r;
            gconstpointer cm_obj = ls_is_object (cm) ? ls_value_as_object (cm) : NULL;
            gboolean is_async = op == LS_OPC_BEFORE_ASYNC_WITH;
            const char *enter_name = is_async ? "__aenter__" : "__enter__";
            const char *exit_name = is_async ? "__aexit__" : "__exit__";
            gboolean ok = vm_getattr (cm, enter_name, &enter_fn);
            if (!ok)
              {
                ls_value_unref (enter_fn);
                exc = ls_exc_newf (&ls_exc_TypeError, "'%s' object does not support the %scontext manager protocol",
                                   ls_value_class (cm)->name, is_async ? "asynchronous " : "");
                ls_value_unref (cm);
                goto error;
              }
            ok = vm_getattr (cm, exit_name, &exit_fn);
            ls_value_unref (cm);
            if (!ok)
              {
                ls_value_unref (enter_fn);
                exc = exit_fn;
                goto error;
              }
            /* __enter__ may switch away as a call may (a gevent
             * Semaphore that must wait), on the greenlet's own chain. */
            if (base == vm->fiber_base)
              vm->switch_slot_of = cm_obj;
            ok = ls_call (enter_fn, NULL, 0, &r);
            vm->switch_slot_of = NULL;
            ls_value_unref (enter_fn);
            if (!ok)
              {
                ls_value_unref (exit_fn);
                exc = r;
                goto error;
              }
            PUSH (exit_fn);
            PUSH (r);
            if (G_UNLIKELY (vm->pending))
              goto call_pending;
          }
          DISPATCH ();

        case LS_OPC_WITH_EXIT: L_WITH_EXIT:
          SYNC ();
          {
            LsValue args[3], r;
            LsValue exit_fn = arg ? PEEK (3) : POP ();
            gboolean ok;
            if (arg)
              {
                LsValue e = PEEK (1);
                const LsExcType *t = ls_exc_type (e);
                args[0] = t ? ls_value_ref (ls_object ((LsObject *) t)) : ls_none ();
                args[1] = ls_value_ref (e);
                args[2] = ls_none ();
              }
            else
              args[0] = args[1] = args[2] = ls_none ();
            ok = ls_call (exit_fn, args, 3, &r);
            for (int i = 0; i < 3; i++)
              ls_value_unref (args[i]);
            if (!arg)
              ls_value_unref (exit_fn);
            if (!ok)
              {
                exc = r;
                goto error;
              }
            PUSH (r);
          }
          DISPATCH ();

        case LS_OPC_IMPORT_NAME: L_IMPORT_NAME:
          SYNC ();
          {
            const char *name = f->code->names[arg];
            char *top = strchr (name, '.') ? g_strndup (name, strchr (name, '.') - name) : g_strdup (name);
            LsValue m;
            gboolean ok = import_module (vm, strcmp (name, top) ? name : top, &m);
            if (ok && strcmp (name, top))
              {
                /* import a.b: the name bound is a */
                ls_value_unref (m);
                ok = import_module (vm, top, &m);
              }
            g_free (top);
            if (!ok)
              {
                exc = m;
                goto error;
              }
            PUSH (m);
          }
          DISPATCH ();

        case LS_OPC_IMPORT_FROM: L_IMPORT_FROM:
          SYNC ();
          {
            LsValue v;
            if (!ls_op_getattr (TOP (), f->code->names[arg], &v))
              {
                ls_value_unref (v);
                exc = ls_exc_newf (&exc_ImportError, "cannot import name '%s' from '%s'",
                                   f->code->names[arg], ((LsModule *) ls_value_as_object (TOP ()))->name);
                goto error;
              }
            PUSH (v);
          }
          DISPATCH ();

        case LS_OPC_LOAD_BUILD_CLASS: L_LOAD_BUILD_CLASS:
          {
            LsValue bases = POP ();
            LsTuple *t = (LsTuple *) ls_value_as_object (bases);
            const LsExcType *parent = NULL;
            if (t->len == 1 && ls_value_is (t->items[0], &ls_exc_type_class))
              parent = (const LsExcType *) ls_value_as_object (t->items[0]);
            if (!parent)
              {
                ls_value_unref (bases);
                exc = ls_exc_newf (&ls_exc_TypeError, "only classes deriving from one exception class "
                                   "are supported ('class %s(Exception): pass')", f->code->names[arg]);
                goto error;
              }
            {
              LsValue cls = ls_exc_type_new (f->code->names[arg], parent);
              ((LsExcType *) ls_value_as_object (cls))->module = "__main__";
              ls_value_unref (bases);
              PUSH (cls);
            }
          }
          DISPATCH ();

        case LS_OPC_ASSERT_FAIL: L_ASSERT_FAIL:
          {
            LsValue msg = arg ? POP () : ls_none ();
            exc = arg ? ls_exc_new (&exc_AssertionError, 1, &msg) : ls_exc_new (&exc_AssertionError, 0, NULL);
          }
          goto error;

        case LS_OPC_SETUP_ANNOTATIONS: L_SETUP_ANNOTATIONS:
        default:
        unknown_opcode:
          exc = ls_exc_newf (&ls_exc_RuntimeError, "unknown opcode %d", op);
          goto error;
        }
      continue;

    call_pending:
      /* A call asked something of this chain (vm->pending). */
      if (vm->pending & LS_VM_PENDING_SWITCH)
        {
          vm->pending &= ~LS_VM_PENDING_SWITCH;
          if (base == vm->fiber_base)
            {
              /* A greenlet switched away: its chain suspends after the
               * call, whose placeholder result goes; the value it is
               * switched back in with takes its place (_ls_fiber_resume). */
              ls_value_unref (POP ());
              SYNC ();
              f->suspend = SUSPEND_NONE;
              *out = ls_none ();
              *suspended = f;
              return LS_CORO_YIELD;
            }
          /* C code (a sort key, map(), a generator driven by next())
           * stands between this frame and the greenlet's own chain: its
           * C stack cannot be set aside. */
          _ls_greenlet_drop_switch (vm);
          ls_value_unref (POP ());
          exc = ls_exc_newf (&ls_exc_RuntimeError, "greenlet switch from code called by a built-in "
                             "(a generator driven by next(), a sort key, map()) is not supported");
          goto error;
        }
      if ((vm->pending & LS_VM_PENDING_SLEEP) && base == vm->job_base)
        goto job_sleep;
      continue;

    job_sleep:
      /* A worker's job called time.sleep(): its chain suspends after the
       * call, whose result is already on the stack, and yields the
       * seconds; job_resume pushes nothing when it goes on. */
      SYNC ();
      *out = ls_float (vm->job_sleep);
      vm->job_sleep = 0;
      vm->pending &= ~LS_VM_PENDING_SLEEP;
      f->suspend = SUSPEND_NONE;
      *suspended = f;
      return LS_CORO_YIELD;

    error:
      /* A new exception: it gets this frame in its traceback even if it
       * is caught here (CPython's PyTraceBack_Here); a re-raise does not. */
      SYNC ();
      set_context (f, exc);
      add_traceback (f, exc);
      goto unwind;
    reraise:
      SYNC ();
    unwind:
      /* Find a handler in this frame, or leave it. */
      for (;;)
        {
          if (f->nblocks)
            {
              Block b = f->blocks[--f->nblocks];
              RELOAD ();
              while (sp > f->stack + b.sp)
                ls_value_unref (POP ());
              PUSH (exc);
              exc = ls_none ();
              ip = insns + b.handler;
              break;
            }
          if (f == base)
            {
              *out = exc;
              return LS_CORO_RAISE;
            }
          /* Passing into the caller adds the caller, at its call. */
          f = leave_frame (f);
          add_traceback (f, exc);
        }
    }
}

/* ---- print and the builtins the VM adds -------------------------------------------------- */

/* Output while no loop runs (top-level prints, tracebacks, end-of-run
 * reports): reported as an event of no task, then written. */
static void
vm_write (LsVm *vm, gboolean is_stderr, const char *text)
{
  if (vm->observer)
    {
      /* A greenlet that prints owns the line, as a task does. */
      LsEvent ev = {
        .seq = ++vm->seq, .time = vm->clock, .kind = LS_EVENT_OUTPUT,
        .task = vm->greenlets ? _ls_greenlet_current_id (vm) : 0,
        .line = vm->greenlets ? vm->calling_line : 0,
        .other = is_stderr ? 1 : 0, .detail = text,
      };
      vm->observer (&ev, vm->observer_data);
    }
  if (vm->output)
    vm->output (is_stderr, text, vm->output_data);
}

void
_ls_vm_emit (LsVm *vm, LsEvent *ev)
{
  if (!vm->observer)
    return;
  ev->seq = ++vm->seq;
  ev->time = _ls_vm_now (vm);
  vm->observer (ev, vm->observer_data);
}

void
ls_vm_print (LsVm *vm, gboolean is_stderr, const char *text)
{
  LsLoop *loop = ls_loop_get_running ();
  if (!loop)
    loop = vm->job_loop;              /* a worker thread's output */
  if (loop)                           /* attributed to the running task or worker */
    ls_loop_print_at (loop, is_stderr, text, vm->calling_line);
  else
    vm_write (vm, is_stderr, text);
}

/* print(*objects, sep=' ', end='\n', file=None, flush=False) */
static gboolean
builtin_print (LsValue self, gpointer data, const LsValue *args, guint nargs,
               LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsVm *vm = current_vm;
  GString *line = g_string_new (NULL);
  const char *sep = " ", *end = "\n";
  LsValue v;

  if (_ls_kwarg (kwnames, kwvalues, "sep", &v) && !ls_is_none (v))
    {
      if (!(sep = ls_str_get (v)))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "sep must be None or a string, not %s", ls_value_class (v)->name);
          g_string_free (line, TRUE);
          return FALSE;
        }
    }
  if (_ls_kwarg (kwnames, kwvalues, "end", &v) && !ls_is_none (v))
    {
      if (!(end = ls_str_get (v)))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "end must be None or a string, not %s", ls_value_class (v)->name);
          g_string_free (line, TRUE);
          return FALSE;
        }
    }
  for (guint i = 0; i < nargs; i++)
    {
      char *s = ls_value_str (args[i]);
      if (i)
        g_string_append (line, sep);
      g_string_append (line, s);
      g_free (s);
    }
  g_string_append (line, end);
  if (vm)
    ls_vm_print (vm, FALSE, line->str);
  g_string_free (line, TRUE);
  *result = ls_none ();
  return TRUE;
}

static void
builtins_add (LsVm *vm, const char *name, LsValue v)
{
  LsValue key = ls_str_new (name), err;
  if (!ls_dict_set (vm->builtins, key, v, &err))
    ls_value_unref (err);
  ls_value_unref (key);
  ls_value_unref (v);
}

static void
install_builtins (LsVm *vm)
{
  static LsExcType *const types[] = {
    &ls_exc_BaseException, &ls_exc_Exception, &ls_exc_GeneratorExit, &ls_exc_StopIteration,
    &ls_exc_ArithmeticError, &ls_exc_ZeroDivisionError, &ls_exc_RuntimeError, &ls_exc_TypeError,
    &ls_exc_ValueError, &ls_exc_LookupError, &ls_exc_KeyError, &ls_exc_IndexError,
    &ls_exc_AttributeError, &ls_exc_OSError, &ls_exc_ConnectionError, &ls_exc_OverflowError,
    &ls_exc_TimeoutError, &ls_exc_BaseExceptionGroup, &ls_exc_ExceptionGroup,
    &exc_NameError, &exc_UnboundLocalError, &exc_AssertionError, &exc_ImportError,
    &exc_ModuleNotFoundError, &exc_NotImplementedError, &exc_RecursionError,
    &exc_KeyboardInterrupt, &exc_SystemExit, &exc_ConnectionResetError, &exc_ConnectionRefusedError,
    &exc_PermissionError, &exc_FileNotFoundError, &exc_MemoryError, &exc_UnicodeError,
  };

  ls_builtins_install (vm->builtins);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    builtins_add (vm, types[i]->name, ls_object ((LsObject *) types[i]));
  builtins_add (vm, "print", ls_builtin_new_kw ("print", builtin_print, ls_none (), NULL, NULL));
}

/* ---- the VM ---------------------------------------------------------------------------------- */

static void
vm_loop_output (LsLoop *loop, gboolean is_stderr, const char *text, gpointer user_data)
{
  LsVm *vm = user_data;
  if (vm->output)
    vm->output (is_stderr, text, vm->output_data);
}

static void
vm_loop_observe (const LsEvent *ev, gpointer user_data)
{
  LsVm *vm = user_data;
  /* Every loop numbers its events from vm->seq (ls_loop_share_counters):
   * one sequence for the whole run, whichever loop reports. */
  if (vm->observer)
    vm->observer (ev, vm->observer_data);
}

/* BaseEventLoop.default_exception_handler: the message, the object the
 * context names, and the exception's traceback, on stderr. */
static void
vm_exception_handler (LsLoop *loop, const char *message, const char *what_key, LsValue what,
                      LsValue exc, gpointer user_data)
{
  LsVm *vm = user_data;
  GString *text = g_string_new (message);
  char *tb;

  g_string_append_c (text, '\n');
  if (what_key)
    {
      char *r = ls_value_repr (what);
      g_string_append_printf (text, "%s: %s\n", what_key, r);
      g_free (r);
    }
  tb = _ls_vm_format_traceback (vm, exc);
  g_string_append (text, tb);
  ls_loop_print_stderr (loop, text->str);
  g_free (tb);
  g_string_free (text, TRUE);
}

LsLoop *
_ls_vm_new_loop (LsVm *vm)
{
  LsLoop *loop = ls_loop_new ();
  ls_loop_set_output (loop, vm_loop_output, vm);
  ls_loop_set_observer (loop, vm_loop_observe, vm);
  ls_loop_set_exception_handler (loop, vm_exception_handler, vm);
  ls_loop_set_limits (loop, vm->options.max_steps, vm->options.max_time);
  ls_loop_set_time (loop, vm->clock);
  ls_loop_share_counters (loop, &vm->ids, &vm->seq);
  g_ptr_array_add (vm->loops, ls_loop_ref (loop));
  return loop;
}

LsLoop *
_ls_vm_event_loop (LsVm *vm)
{
  if (!vm->event_loop)
    vm->event_loop = _ls_vm_new_loop (vm);
  return vm->event_loop;
}

double
_ls_vm_now (LsVm *vm)
{
  LsLoop *loop = ls_loop_get_running ();
  if (!loop)
    loop = vm->job_loop;        /* a worker reads its executor's loop's clock */
  return loop ? ls_loop_time (loop) : vm->clock;
}

void
_ls_vm_advance (LsVm *vm, double seconds)
{
  LsLoop *loop = ls_loop_get_running ();
  if (!loop && vm->job_loop)
    {
      /* time.sleep() in a worker: the job yields the seconds when the
       * call returns to its own frames (vm_run, after the call). */
      vm->job_sleep += seconds;
      vm->pending |= LS_VM_PENDING_SLEEP;
    }
  else if (loop)
    ls_loop_block_at (loop, seconds, vm->calling_line);
  else
    {
      /* No loop: the program (or the greenlet running) is blocked, and a
       * trace shows it as a loop blocking would be. */
      if (vm->observer)
        {
          LsEvent ev = {
            .kind = LS_EVENT_LOOP_BLOCKED, .task = vm->greenlets ? _ls_greenlet_current_id (vm) : 0,
            .value = seconds, .line = vm->calling_line,
          };
          _ls_vm_emit (vm, &ev);
        }
      _ls_concurrent_idle_advance (vm, vm->clock, vm->clock + seconds);
      vm->clock += seconds;
    }
}

LsVm *
ls_vm_new (const LsVmOptions *options)
{
  LsVm *vm = g_new0 (LsVm, 1);
  LsValue key, err;

  if (options)
    vm->options = *options;
  vm->globals = ls_dict_new ();
  vm->builtins = ls_dict_new ();
  vm->modules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, ls_object_unref);
  vm->loops = g_ptr_array_new ();
  vm->unawaited = g_ptr_array_new_with_free_func (g_free);
  vm->tracked = g_hash_table_new (NULL, NULL);
  ls_task_reset_name_counter ();
  install_builtins (vm);
  g_hash_table_insert (vm->modules, g_strdup ("asyncio"), ls_value_as_object (_ls_mod_asyncio_new (vm)));
  g_hash_table_insert (vm->modules, g_strdup ("time"), ls_value_as_object (_ls_mod_time_new (vm)));
  g_hash_table_insert (vm->modules, g_strdup ("functools"), ls_value_as_object (_ls_mod_functools_new (vm)));
  g_hash_table_insert (vm->modules, g_strdup ("random"), ls_value_as_object (_ls_mod_random_new (vm)));
  g_hash_table_insert (vm->modules, g_strdup ("concurrent"), ls_value_as_object (_ls_mod_concurrent_new (vm)));
  g_hash_table_insert (vm->modules, g_strdup ("greenlet"), ls_value_as_object (_ls_mod_greenlet_new (vm)));
  g_hash_table_insert (vm->modules, g_strdup ("gevent"), ls_value_as_object (_ls_mod_gevent_new (vm)));
  key = ls_str_new ("__name__");
  {
    LsValue main_name = ls_str_new ("__main__");
    if (!ls_dict_set (vm->globals, key, main_name, &err))
      ls_value_unref (err);
    ls_value_unref (main_name);
  }
  ls_value_unref (key);
  return vm;
}

/* Breaks every cycle through a generator frame or a cell (see vm_track). */
static void
vm_clear_tracked (LsVm *vm)
{
  GPtrArray *objs = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, vm->tracked);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_ptr_array_add (objs, ls_object_ref (key));
  for (guint i = 0; i < objs->len; i++)
    {
      LsObject *o = g_ptr_array_index (objs, i);
      if (o->cls == &cell_class)
        ls_value_set (&((LsCell *) o)->value, UNBOUND);
      else
        {
          LsGen *g = (LsGen *) o;
          LsFrame *f = g->frame;
          g->frame = NULL;
          g->top = NULL;
          g->state = GEN_CLOSED;
          frame_free (f);
        }
    }
  for (guint i = 0; i < objs->len; i++)
    ls_object_unref (g_ptr_array_index (objs, i));
  g_ptr_array_free (objs, TRUE);
}

void
ls_vm_free (LsVm *vm)
{
  if (!vm)
    return;
  /* Globals hold functions whose globals are this dict: clear it first to
   * break that cycle. */
  {
    LsValue keys = ls_list_new (), k, v;
    guint pos = 0;
    while (ls_dict_next (vm->globals, &pos, &k, &v))
      ls_list_append (keys, ls_value_ref (k));
    for (guint i = 0; i < ls_list_len (keys); i++)
      {
        LsValue err;
        if (!ls_op_delitem (vm->globals, ls_list_get (keys, i), &err))
          ls_value_unref (err);
      }
    ls_value_unref (keys);
  }
  for (guint i = 0; i < vm->loops->len; i++)
    ls_loop_close (g_ptr_array_index (vm->loops, i));
  _ls_greenlet_state_free (vm);
  vm_clear_tracked (vm);
  for (guint i = 0; i < vm->loops->len; i++)
    ls_loop_unref (g_ptr_array_index (vm->loops, i));
  g_ptr_array_free (vm->loops, TRUE);
  if (vm->event_loop)
    ls_loop_unref (vm->event_loop);
  g_hash_table_destroy (vm->modules);
  ls_value_unref (vm->globals);
  ls_value_unref (vm->builtins);
  g_ptr_array_free (vm->unawaited, TRUE);
  g_hash_table_destroy (vm->tracked);
  vm->tracked = NULL;
  g_strfreev (vm->source_lines);
  g_free (vm->filename);
  g_free (vm->stop_message);
  g_free (vm);
}

void
ls_vm_set_output (LsVm *vm, LsVmOutputFn fn, gpointer user_data)
{
  vm->output = fn;
  vm->output_data = user_data;
}

void
ls_vm_set_observer (LsVm *vm, LsObserverFn fn, gpointer user_data)
{
  vm->observer = fn;
  vm->observer_data = user_data;
}

void
ls_vm_interrupt (LsVm *vm)
{
  g_atomic_int_set (&vm->interrupted, 1);
}

const char *
ls_vm_stop_message (LsVm *vm)
{
  return vm->stopped_by;
}

/* ---- tracebacks ---------------------------------------------------------------------------------- */

char *
ls_vm_format_exception (LsVm *vm, LsValue exc)
{
  return _ls_vm_format_traceback (vm, exc);
}

/* ---- running a program ----------------------------------------------------------------------------- */

LsVmStatus
ls_vm_run (LsVm *vm, LsCode *module)
{
  LsFrame *f = frame_new (module, vm->globals, ls_none ()), *suspended = NULL;
  LsValue result;
  LsCoroStatus st;
  LsVmStatus status = LS_VM_OK;
  LsVm *saved = current_vm;

  current_vm = vm;
  vm->started = g_get_monotonic_time ();
  st = vm_run (vm, f, f, ls_none (), &result, &suspended);
  current_vm = saved;
  frame_free (f);

  if (st == LS_CORO_RAISE)
    {
      const char *limit = vm->stopped_by;
      if (limit)
        {
          char *msg = g_strdup_printf ("%s\n", limit);
          ls_vm_print (vm, TRUE, msg);
          g_free (msg);
          status = vm->deadlocked ? LS_VM_DEADLOCK
                   : vm->status_interrupted ? LS_VM_INTERRUPTED : LS_VM_LIMIT;
        }
      else if (ls_exc_matches (result, &exc_SystemExit))
        {
          LsTuple *args = (LsTuple *) ls_value_as_object (exc_of (result)->args);
          status = LS_VM_OK;
          if (args->len && ls_value_kind (args->items[0]) == LS_KIND_INT && ls_value_as_int (args->items[0]) != 0)
            status = LS_VM_EXCEPTION;
        }
      else
        {
          char *tb = ls_vm_format_exception (vm, result);
          ls_vm_print (vm, TRUE, tb);
          g_free (tb);
          status = LS_VM_EXCEPTION;
        }
    }
  ls_value_unref (result);
  if (!vm->stopped_by)
    {
      current_vm = vm;
      _ls_concurrent_at_exit (vm);
      current_vm = saved;
    }
  for (guint i = 0; i < vm->unawaited->len; i++)
    {
      const char *warning = g_ptr_array_index (vm->unawaited, i);
      if (vm->observer)
        {
          LsEvent ev = {
            .seq = ++vm->seq, .time = vm->clock, .kind = LS_EVENT_WARNING,
            .detail = warning, .extra = "never-awaited",
          };
          vm->observer (&ev, vm->observer_data);
        }
      ls_vm_print (vm, TRUE, warning);
    }
  return status;
}

LsVmStatus
ls_vm_run_source (LsVm *vm, const char *filename, const char *source, gboolean *syntax_error)
{
  LsSyntaxError *err = NULL;
  LsAst *ast = ls_parse (filename, source, -1, &err);
  LsCode *code = NULL;
  LsVmStatus status;

  *syntax_error = FALSE;
  g_free (vm->filename);
  vm->filename = g_strdup (filename);
  g_strfreev (vm->source_lines);
  vm->source_lines = g_strsplit (source, "\n", -1);
  if (ast)
    code = ls_compile (ast, &err);
  if (!code)
    {
      char *text = ls_syntax_error_format (err);
      vm_write (vm, TRUE, text);
      g_free (text);
      ls_syntax_error_free (err);
      ls_ast_free (ast);
      *syntax_error = TRUE;
      return LS_VM_EXCEPTION;
    }
  ls_ast_free (ast);
  status = ls_vm_run (vm, code);
  ls_object_unref (code);
  return status;
}
