/* ls-vm-private.h - what the interpreter's files share: the VM structure,
 * its objects (functions, cells, generators and coroutines, modules) and
 * the hooks the module bindings (asyncio, time, functools, random,
 * concurrent.futures, greenlet and gevent) use. */
#pragma once

#include "ls-code.h"
#include "ls-ops.h"
#include "ls-vm.h"

G_BEGIN_DECLS

struct _LsVm {
  LsVmOptions options;
  LsValue globals;            /* __main__'s dict */
  LsValue builtins;           /* dict */
  GHashTable *modules;        /* name -> LsValue module (owned) */
  LsVmOutputFn output;
  gpointer output_data;
  LsObserverFn observer;
  gpointer observer_data;
  LsLoop *event_loop;         /* the current event loop (get_event_loop), owned */
  GPtrArray *loops;           /* every loop created, for the end-of-run reports */
  GPtrArray *unawaited;       /* descriptions of coroutines never awaited */
  double clock;               /* virtual time when no loop runs */
  char *filename;             /* the program's file, for tracebacks */
  char **source_lines;        /* its lines, for tracebacks */
  const char *stopped_by;     /* the message when a limit or deadlock stopped the run */
  char *stop_message;         /* owns what stopped_by points at */
  gboolean deadlocked;
  gboolean status_interrupted;  /* the stop came from ls_vm_interrupt() */
  gint interrupted;           /* set from any thread by ls_vm_interrupt() */
  guint64 seq;                /* event sequence numbers, run-wide */
  guint64 ids;                /* ids of tasks, futures, timers: every loop takes from here */
  int calling_line;           /* line of the call being made (coroutine creation sites) */
  GHashTable *tracked;        /* generators and cells, to break cycles at the end */
  gint64 started;             /* monotonic µs when the run began, for max_wall */
  guint32 ticks;              /* instructions since the last limit check, mod 2^16 */
  /* A worker thread's job (_ls_vm_job_new) while it runs: its loop (the
   * clock and the output it uses, as no loop runs on a worker), the base
   * frame of its chain, and the time.sleep() seconds it asked for and has
   * not yet yielded to its worker. */
  LsLoop *job_loop;
  gpointer job_base;
  double job_sleep;
  /* What the call that just returned asked of the chain running it
   * (LS_VM_PENDING_* bits): vm_run tests this one word after every call
   * into C and takes its slow path only when it is not 0. */
  guint pending;
  /* The greenlet that runs now: its fiber's base frame (NULL for the main
   * greenlet, which runs on the C stack), and the switch its last call
   * asked for (ls-greenlet.c reads it when the fiber suspends). */
  gpointer fiber_base;
  gpointer greenlets;         /* ls-greenlet.c's state, or NULL before first use */
  /* The object whose __next__ (FOR_ITER) or __enter__/__exit__ (a with
   * statement) the greenlet's own chain is calling, from its base run:
   * that slot may ask to switch away as a call may (a gevent Queue
   * iterated, a Semaphore entered, that must wait).  Borrowed; NULL
   * outside those calls and on every other chain. */
  gconstpointer switch_slot_of;
};

#define LS_VM_PENDING_SLEEP  1u   /* a worker's job called time.sleep (job_sleep) */
#define LS_VM_PENDING_SWITCH 2u   /* a greenlet asked to switch away (fiber_base) */

/* TRUE when obj's __next__, __enter__ or __exit__ runs for the running
 * greenlet's own chain and so may switch away (switch_slot_of). */
static inline gboolean
_ls_vm_slot_may_switch (LsVm *vm, gconstpointer obj)
{
  return obj && vm->switch_slot_of == obj;
}

/* A module object: a name and a dict of attributes. */
typedef struct {
  LsObject base;
  char *name;
  LsValue dict;
} LsModule;

extern const LsClass ls_module_class;
LsValue _ls_module_new (const char *name);
void _ls_module_add (LsValue module, const char *name, LsValue value);   /* takes value */
/* A builtin function added to a module or dict (the function takes no self). */
void _ls_module_add_function (LsValue module, const char *name, LsBuiltinFn fn);

/* The module bindings, each building its module object. */
LsValue _ls_mod_asyncio_new (LsVm *vm);
LsValue _ls_mod_time_new (LsVm *vm);
LsValue _ls_mod_functools_new (LsVm *vm);
LsValue _ls_mod_random_new (LsVm *vm);
/* Attributes of scheduler objects (tasks, futures, loops, handles, locks,
 * queues, …): 1 and *out the attribute, -1 and *out the AttributeError,
 * or 0 when obj is not one of them. */
int _ls_asyncio_getattr (LsValue obj, const char *name, LsValue *out);

/* The shortcut (LsAwaitNowFn) of the scheduler's method kwfn bound with
 * data, or NULL when it has none. */
LsAwaitNowFn _ls_asyncio_await_now (LsBuiltinKwFn kwfn, gpointer data);

/* A job for a worker thread (ls-executor.c): func(*args, **kwargs) as a
 * coroutine whose every time.sleep(s) inside func, at any call depth,
 * yields s to the worker, so that workers sleep side by side in virtual
 * time.  A functools.partial is unwrapped first.  kwnames is a tuple of
 * str or None; everything is borrowed.  loop is the loop whose executor
 * runs the job. */
LsValue _ls_vm_job_new (LsVm *vm, LsLoop *loop, LsValue func, const LsValue *args, guint nargs,
                        LsValue kwnames, const LsValue *kwvalues);
LsValue _ls_mod_concurrent_new (LsVm *vm);
/* The engine's executor (ls-executor.c) standing for a Python
 * ThreadPoolExecutor on loop, in *out (borrowed); any other value comes
 * back as is.  FALSE and RuntimeError when the executor already serves
 * another loop. */
gboolean _ls_concurrent_executor_for (LsValue executor, LsLoop *loop, LsValue *out);
/* The main program blocks (time.sleep with no loop running) from `from`
 * to `until`: the worker threads of every idle loop run meanwhile. */
void _ls_concurrent_idle_advance (LsVm *vm, double from, double until);
/* The end of the program: the jobs left in executors run to their end,
 * as CPython joins the worker threads at exit. */
void _ls_concurrent_at_exit (LsVm *vm);

/* A greenlet's chain of frames (ls-vm.c), driven by ls-greenlet.c.
 * The first resume calls func(*args, **kwargs) (args a tuple, kwargs a
 * dict or None; all borrowed); a later one delivers value (borrowed) as
 * the result of the call that switched away, or raises exc (borrowed, not
 * None) there.  Returns LS_CORO_YIELD when the fiber asked to switch away
 * (LS_VM_PENDING_SWITCH; *out is None), else its return value or the
 * exception that left it, in *out (owned). */
typedef struct _LsFiber LsFiber;
LsFiber *_ls_fiber_new (LsVm *vm);
void _ls_fiber_free (LsFiber *fiber);
gboolean _ls_fiber_started (LsFiber *fiber);
int _ls_fiber_line (LsFiber *fiber);
LsCoroStatus _ls_fiber_resume (LsFiber *fiber, LsValue func, LsValue args, LsValue kwargs,
                               LsValue value, LsValue exc, LsValue *out);

/* The greenlet and gevent modules (ls-greenlet.c). */
LsValue _ls_mod_greenlet_new (LsVm *vm);
LsValue _ls_mod_gevent_new (LsVm *vm);
/* Forgets the switch a greenlet asked for that could not happen. */
void _ls_greenlet_drop_switch (LsVm *vm);
/* The engine id of the greenlet running now, 0 when greenlets are not in
 * use (output and generator events are attributed to it). */
guint64 _ls_greenlet_current_id (LsVm *vm);
/* time.sleep(secs) after gevent.monkey.patch_all(), outside an event
 * loop: gevent.sleep.  FALSE when not patched (sleep blocks as usual). */
gboolean _ls_gevent_patched_sleep (LsVm *vm, double secs, gboolean *ok, LsValue *result);
/* Attributes of a gevent.Timeout instance (start, cancel, __enter__,
 * __exit__, seconds, pending): TRUE and *out, or FALSE when exc is not
 * one or has no such attribute. */
gboolean _ls_gevent_exception_getattr (LsValue exc, const char *name, LsValue *out);
/* Frees the greenlets' frames at the end of a run (they hold cycles). */
void _ls_greenlet_state_free (LsVm *vm);

/* next(it) as the builtin asks it: for a generator, an explicit resume
 * that a trace shows on the generator's lane; otherwise ls_op_next. */
int _ls_vm_next_explicit (LsValue it, LsValue *out);

/* Reports an event of the VM itself (greenlets, generators), outside any
 * loop's own events: seq and time (the virtual clock) are filled in. */
void _ls_vm_emit (LsVm *vm, LsEvent *event);

/* The loop the VM uses for get_event_loop(); created on first use. */
LsLoop *_ls_vm_event_loop (LsVm *vm);
/* A new loop wired to the VM's output, observer and limits. */
LsLoop *_ls_vm_new_loop (LsVm *vm);
/* The virtual clock, whichever loop is running. */
double _ls_vm_now (LsVm *vm);
void _ls_vm_advance (LsVm *vm, double seconds);

/* For bindings that take keyword arguments: the value of keyword `name`
 * among kwnames/kwvalues (borrowed), or FALSE when absent. */
gboolean _ls_kwarg (LsValue kwnames, const LsValue *kwvalues, const char *name, LsValue *out);

/* An uncaught exception as CPython's traceback module prints it, chains
 * and exception groups included (ls-traceback.c). */
char *_ls_vm_format_traceback (LsVm *vm, LsValue exc);

/* Stops the whole run (a limit, a deadlock): records msg (taken) for
 * ls_vm_run to print and returns the exception to raise, whose type no
 * `except` clause of the program can catch. */
LsValue _ls_vm_stop (LsVm *vm, char *msg, gboolean deadlock);

G_END_DECLS
