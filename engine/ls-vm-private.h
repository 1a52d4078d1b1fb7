/* ls-vm-private.h - what the interpreter's files share: the VM structure,
 * its objects (functions, cells, generators and coroutines, modules) and
 * the hooks the module bindings (asyncio, time, functools, random,
 * concurrent.futures) use. */
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
  gboolean job_sleep_pending;
};

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
