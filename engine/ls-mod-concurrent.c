/* ls-mod-concurrent.c - the concurrent.futures module a scenario may
 * import: ThreadPoolExecutor, for blocking functions run beside the event
 * loop (the tutorials' count-down in three worker threads, a blocking
 * download handed to loop.run_in_executor).
 *
 * The executor itself, its workers and their virtual time are
 * ls-executor.c's; the function a worker runs is a job of the VM
 * (_ls_vm_job_new), whose time.sleep() calls let the other workers and the
 * loop go on.  What this file adds is the Python face:
 * ThreadPoolExecutor(max_workers=None, thread_name_prefix=''),
 * submit(fn, /, *args, **kwargs), shutdown(wait=True, *,
 * cancel_futures=False), and `with` (whose exit is shutdown(wait=True)).
 *
 * ls-executor.c ties an executor to the loop its workers report to, while
 * CPython's executor belongs to no loop: a program may make it before
 * asyncio.run().  So the engine's executor is made on the loop running
 * when the Python one is made (or the one get_event_loop() gives), and
 * made again on the running loop if it is first used on another one.
 *
 * Differences from CPython, documented in the README: submit() returns an
 * asyncio future standing for the concurrent one (await it directly or
 * through asyncio.wrap_future; its result() does not block), and a
 * program that submits without ever running a loop gets its workers run
 * by shutdown(wait=True), which blocks as CPython's does.
 */
#include "ls-vm-private.h"
#include "ls-asyncio.h"

#include <string.h>

typedef struct {
  LsObject base;
  LsVm *vm;
  guint max_workers;       /* 0: CPython's default */
  LsValue inner;           /* the engine's executor */
  LsLoop *loop;            /* strong: the loop inner belongs to */
  gboolean used;           /* something was submitted to inner */
  gboolean shutdown;
} LsPool;

static void
pool_finalize (LsObject *self)
{
  LsPool *p = (LsPool *) self;
  ls_value_unref (p->inner);
  ls_loop_unref (p->loop);
}

static char *
pool_repr (LsObject *self)
{
  return g_strdup_printf ("<concurrent.futures.thread.ThreadPoolExecutor object at %p>", (void *) self);
}

static gboolean pool_getattr (LsObject *self, const char *name, LsValue *out);

static const LsTypeSlots pool_slots = { .getattr = pool_getattr };

static const LsClass pool_class = {
  .name = "ThreadPoolExecutor",
  .finalize = pool_finalize,
  .repr = pool_repr,
  .size = sizeof (LsPool),
  .ops = &pool_slots,
};

static void
pool_bind (LsPool *p, LsLoop *loop)
{
  ls_value_unref (p->inner);
  if (p->loop)
    ls_loop_unref (p->loop);
  p->loop = ls_loop_ref (loop);
  p->inner = ls_executor_new (loop, p->max_workers);
  p->used = FALSE;
}

/* The loop a job of this pool runs for: the running one, else the pool's. */
static LsLoop *
current_loop (LsPool *p)
{
  LsLoop *loop = ls_loop_get_running ();
  return loop ? loop : p->loop;
}

/* The engine's executor of pool for loop: made again on loop when it was
 * never used on the old one.  FALSE and RuntimeError when it was. */
static gboolean
pool_inner (LsPool *p, LsLoop *loop, LsValue *out)
{
  if (loop != p->loop)
    {
      if (p->used)
        {
          *out = ls_exc_newf (&ls_exc_RuntimeError, "this ThreadPoolExecutor already runs jobs for "
                              "another event loop (Loopscope ties an executor to one loop)");
          return FALSE;
        }
      pool_bind (p, loop);
    }
  *out = p->inner;
  return TRUE;
}

gboolean
_ls_concurrent_executor_for (LsValue executor, LsLoop *loop, LsValue *out)
{
  if (!ls_value_is (executor, &pool_class))
    {
      *out = executor;
      return TRUE;
    }
  if (!pool_inner ((LsPool *) ls_value_as_object (executor), loop, out))
    return FALSE;
  ((LsPool *) ls_value_as_object (executor))->used = TRUE;
  return TRUE;
}

/* shutdown(wait): the workers of a loop that is not running progress on
 * the program's clock, which the loop catches up with and hands back. */
static void
pool_shutdown (LsPool *p, gboolean wait)
{
  gboolean idle = !ls_loop_is_running (p->loop);

  p->shutdown = TRUE;
  if (idle && p->loop != ls_loop_get_running ())
    ls_loop_set_time (p->loop, p->vm->clock);
  ls_executor_shutdown (p->inner, wait);
  /* Finished jobs hand their results to their futures through callbacks
   * on the loop; with no loop running (a plain script's `with` block)
   * nobody would run them, so they run here, and f.result() after the
   * block has its value as in CPython. */
  if (idle && wait && !ls_loop_get_running ())
    while (ls_loop_ready_count (p->loop) > 0)
      ls_loop_run_once (p->loop);
  if (idle && !ls_loop_get_running ())
    p->vm->clock = ls_loop_time (p->loop);
}

/* ---- methods ----------------------------------------------------------------- */

#define METHOD(name) \
  static gboolean name (LsValue self, gpointer data, const LsValue *args, guint nargs, \
                        LsValue kwnames, const LsValue *kwvalues, LsValue *result)

static LsPool *
pool_of (LsValue self)
{
  return (LsPool *) ls_value_as_object (self);
}

/* submit(fn, /, *args, **kwargs) */
METHOD (pool_submit)
{
  LsPool *p = pool_of (self);
  LsLoop *loop = current_loop (p);
  LsValue inner, job;

  if (nargs < 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "ThreadPoolExecutor.submit() missing 1 required "
                             "positional argument: 'fn'");
      return FALSE;
    }
  if (p->shutdown)
    {
      *result = ls_exc_newf (&ls_exc_RuntimeError, "cannot schedule new futures after shutdown");
      return FALSE;
    }
  if (!pool_inner (p, loop, &inner))
    {
      *result = inner;
      return FALSE;
    }
  p->used = TRUE;
  job = _ls_vm_job_new (p->vm, loop, args[0], args + 1, nargs - 1, kwnames, kwvalues);
  *result = ls_executor_submit (inner, job);
  ls_value_unref (job);
  return TRUE;
}

/* shutdown(wait=True, *, cancel_futures=False) */
METHOD (pool_shutdown_method)
{
  LsTuple *kw = ls_is_none (kwnames) ? NULL : (LsTuple *) ls_value_as_object (kwnames);
  gboolean wait = TRUE;

  if (nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "ThreadPoolExecutor.shutdown() takes from 1 to 2 "
                             "positional arguments but %u were given", nargs + 1);
      return FALSE;
    }
  if (nargs)
    wait = ls_value_truthy (args[0]);
  for (guint i = 0; kw && i < kw->len; i++)
    {
      const char *name = ls_str_get (kw->items[i]);
      if (strcmp (name, "wait") == 0)
        wait = ls_value_truthy (kwvalues[i]);
      else if (strcmp (name, "cancel_futures") == 0)
        {
          if (ls_value_truthy (kwvalues[i]))
            {
              *result = ls_exc_newf (&ls_exc_TypeError, "shutdown(cancel_futures=True) is not supported");
              return FALSE;
            }
        }
      else
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "ThreadPoolExecutor.shutdown() got an unexpected "
                                 "keyword argument '%s'", name);
          return FALSE;
        }
    }
  pool_shutdown (pool_of (self), wait);
  *result = ls_none ();
  return TRUE;
}

METHOD (pool_enter)
{
  *result = ls_value_ref (self);
  return TRUE;
}

/* __exit__(exc_type, exc_val, exc_tb): shutdown(wait=True); False */
METHOD (pool_exit)
{
  pool_shutdown (pool_of (self), TRUE);
  *result = ls_bool (FALSE);
  return TRUE;
}

typedef struct {
  const char *name;
  LsBuiltinKwFn fn;
} Method;

static const Method pool_methods[] = {
  { "submit", pool_submit },
  { "shutdown", pool_shutdown_method },
  { "__enter__", pool_enter },
  { "__exit__", pool_exit },
  { NULL, NULL }
};

static gboolean
pool_getattr (LsObject *self, const char *name, LsValue *out)
{
  for (const Method *m = pool_methods; m->name; m++)
    if (strcmp (m->name, name) == 0)
      {
        *out = ls_builtin_new_kw (m->name, m->fn, ls_value_ref (ls_object (self)), NULL, NULL);
        return TRUE;
      }
  *out = ls_exc_newf (&ls_exc_AttributeError, "'ThreadPoolExecutor' object has no attribute '%s'", name);
  return FALSE;
}

/* ThreadPoolExecutor(max_workers=None, thread_name_prefix='', initializer=None, initargs=()) */
static gboolean
pool_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
          LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  static const char *const names[] = { "max_workers", "thread_name_prefix" };
  LsTuple *kw = ls_is_none (kwnames) ? NULL : (LsTuple *) ls_value_as_object (kwnames);
  LsValue a[2] = { ls_none (), ls_none () };
  LsVm *vm = data;
  LsLoop *loop;
  LsPool *p;
  gint64 n = 0;

  if (nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "ThreadPoolExecutor() takes at most 2 arguments here "
                             "(initializer is not supported)");
      return FALSE;
    }
  for (guint i = 0; i < nargs; i++)
    a[i] = args[i];
  for (guint i = 0; kw && i < kw->len; i++)
    {
      const char *name = ls_str_get (kw->items[i]);
      guint j;
      for (j = 0; j < G_N_ELEMENTS (names); j++)
        if (strcmp (names[j], name) == 0)
          break;
      if (j == G_N_ELEMENTS (names))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "ThreadPoolExecutor.__init__() got an unexpected "
                                 "keyword argument '%s'%s", name,
                                 strcmp (name, "initializer") == 0 || strcmp (name, "initargs") == 0
                                 ? " (not supported)" : "");
          return FALSE;
        }
      a[j] = kwvalues[i];
    }
  if (!ls_is_none (a[0]))
    {
      if (ls_value_kind (a[0]) != LS_KIND_INT || !ls_int_fits_int64 (a[0], &n))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "'<=' not supported between instances of '%s' and 'int'",
                                 ls_value_class (a[0])->name);
          return FALSE;
        }
      if (n <= 0)
        {
          *result = ls_exc_newf (&ls_exc_ValueError, "max_workers must be greater than 0");
          return FALSE;
        }
    }
  loop = ls_loop_get_running ();
  if (!loop)
    loop = _ls_vm_event_loop (vm);
  p = ls_object_alloc (&pool_class, sizeof (LsPool));
  p->vm = vm;
  p->max_workers = (guint) MIN (n, 1 << 20);
  p->inner = ls_none ();
  pool_bind (p, loop);
  *result = ls_object (p);
  return TRUE;
}

LsValue
_ls_mod_concurrent_new (LsVm *vm)
{
  LsValue futures = _ls_module_new ("concurrent.futures");
  LsValue concurrent = _ls_module_new ("concurrent");

  _ls_module_add (futures, "ThreadPoolExecutor",
                  ls_builtin_new_kw ("ThreadPoolExecutor", pool_new, ls_none (), vm, NULL));
  g_hash_table_insert (vm->modules, g_strdup ("concurrent.futures"), ls_value_as_object (futures));
  _ls_module_add (concurrent, "futures", ls_value_ref (futures));
  return concurrent;
}
