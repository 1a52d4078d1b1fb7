/* ls-vm.h - the interpreter of the scenario language.
 *
 * A program runs in an LsVm: its module globals, the builtins, the
 * modules a scenario may import (asyncio, time, functools), the output
 * sink and the limits.  Frames live on the heap.  A coroutine (async def)
 * is an object implementing the coroutine interface of ls-coro.h, so a
 * task drives it like any other; `await other_coroutine()` runs the inner
 * coroutine's frame on top of the outer one inside the same resume, and a
 * pending future at any depth suspends the whole chain without any C stack
 * kept.
 */
#pragma once

#include "ls-ast.h"
#include "ls-code.h"
#include "ls-sched.h"

G_BEGIN_DECLS

typedef struct _LsVm LsVm;

/* Where the program's print() goes: stdout or stderr text. */
typedef void (*LsVmOutputFn) (gboolean is_stderr, const char *text, gpointer user_data);

typedef struct {
  guint64 max_steps;       /* task steps, 0: none */
  double max_time;         /* virtual seconds, 0: none */
  double max_wall;         /* real seconds the run may take, 0: none */
  guint64 max_memory;      /* bytes of resident memory, 0: none */
  double epoch;            /* time.time() at virtual 0 (seconds since 1970, UTC) */
} LsVmOptions;

LsVm *ls_vm_new (const LsVmOptions *options);
void ls_vm_free (LsVm *vm);

void ls_vm_set_output (LsVm *vm, LsVmOutputFn fn, gpointer user_data);
/* Every event loop the program creates reports to this observer. */
void ls_vm_set_observer (LsVm *vm, LsObserverFn fn, gpointer user_data);

/* How a run ended. */
typedef enum {
  LS_VM_OK,               /* ran to the end (exit status 0) */
  LS_VM_EXCEPTION,        /* an uncaught exception: traceback printed (1) */
  LS_VM_LIMIT,            /* a limit stopped it (3) */
  LS_VM_DEADLOCK,         /* the loop could never run again (3) */
  LS_VM_INTERRUPTED,      /* ls_vm_interrupt() stopped it */
} LsVmStatus;

/* Runs a compiled module as __main__.  Prints an uncaught exception's
 * traceback, deadlock report or limit message on the stderr sink, and at
 * the end reports never-retrieved task exceptions and never-awaited
 * coroutines as CPython does. */
LsVmStatus ls_vm_run (LsVm *vm, LsCode *module);

/* Parses, compiles and runs source; a syntax error is printed in the
 * file:line:col format and gives *syntax_error = TRUE. */
LsVmStatus ls_vm_run_source (LsVm *vm, const char *filename, const char *source,
                             gboolean *syntax_error);

/* Asks a running program to stop, as a limit would: safe from any thread
 * or a signal handler; the run ends within a few thousand instructions
 * with LS_VM_INTERRUPTED, as a limit would (finally blocks run). */
void ls_vm_interrupt (LsVm *vm);

/* Why the run was stopped (the message printed), or NULL: borrowed. */
const char *ls_vm_stop_message (LsVm *vm);

/* The traceback of an exception, as CPython prints it. */
char *ls_vm_format_exception (LsVm *vm, LsValue exc);

/* The VM running on this thread, for builtins that need it (print). */
LsVm *ls_vm_current (void);
void ls_vm_print (LsVm *vm, gboolean is_stderr, const char *text);

G_END_DECLS
