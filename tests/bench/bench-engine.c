/* bench-engine.c - how fast the engine steps tasks, and what a task costs.
 *
 * The C twins of sleep0.py and timers.py beside this file, written with
 * LsCCoro coroutines the way the library and the tests write them:
 *
 *   sleep0  10,000 tasks each doing 100 `await asyncio.sleep(0)`, gathered
 *           by the main task under asyncio.run (a million task steps);
 *   timers  100,000 tasks each doing `await asyncio.sleep(delay)` with a
 *           distinct random delay in [0, 100) seconds, gathered.
 *
 * Wall time is g_get_monotonic_time() around asyncio.run, steps are
 * ls_loop_steps().  For timers the process's peak resident set (VmHWM) is
 * read before and after the tasks are created and after the run; the
 * growth divided by the number of tasks is the memory per live task.  The
 * high-water mark is process-wide, so each program should get a process of
 * its own (run.sh does that) to be measured from a clean baseline.
 *
 * Usage: bench-engine [sleep0|timers]...   (default: timers sleep0)
 * Prints one "RESULT key=value..." line per program, the format run.sh
 * reads; exits non-zero when a run fails or takes an unexpected number of
 * steps, so a broken engine cannot pass for a fast one.
 */
#include "ls-asyncio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLEEP0_TASKS 10000
#define SLEEP0_SLEEPS 100
#define TIMERS_TASKS 100000
#define TIMERS_MAX_DELAY 100.0
#define TIMERS_SEED 20260101

/* Peak resident set size of this process in bytes, or 0 if unknown. */
static gsize
vm_hwm (void)
{
  char *status = NULL;
  gsize kb = 0;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    {
      const char *line = strstr (status, "VmHWM:");
      if (line)
        kb = strtoull (line + strlen ("VmHWM:"), NULL, 10);
      g_free (status);
    }
  return kb * 1024;
}

/* ---- the common driver ------------------------------------------------ */

typedef struct {
  guint ntasks;
  double *delays;            /* timers: one per task; NULL for sleep0 */
  LsCCoroFn worker;
  gsize hwm_before, hwm_created;
} MainState;

static LsValue
worker_new (MainState *m, guint i)
{
  if (m->delays)
    {
      double *delay;
      LsValue co = ls_ccoro_new_inline ("worker", m->worker, sizeof (double), NULL,
                                        (gpointer *) &delay);
      *delay = m->delays[i];
      return co;
    }
  return ls_ccoro_new ("worker", m->worker, NULL, NULL);
}

/* async def main():
 *     await asyncio.gather(*(worker(...) for ... in range(NTASKS))) */
static LsCCoroAction
bench_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  MainState *m = co->data;
  LsValue *coros, outer;
  gboolean ok;

  switch (co->pc)
    {
    case 0:
      m->hwm_before = vm_hwm ();
      coros = g_new (LsValue, m->ntasks);
      for (guint i = 0; i < m->ntasks; i++)
        coros[i] = worker_new (m, i);
      ok = ls_gather (ls_loop_get_running (), m->ntasks, coros, FALSE, &outer);
      /* gather made its own references (the tasks own the coroutines). */
      for (guint i = 0; i < m->ntasks; i++)
        ls_value_unref (coros[i]);
      g_free (coros);
      if (!ok)
        return ls_ccoro_raise (out, outer);
      m->hwm_created = vm_hwm ();
      return ls_ccoro_await (co, 1, out, outer);
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      if (ls_list_len (in) != m->ntasks)
        return ls_ccoro_raise (out, ls_exc_newf (&ls_exc_RuntimeError, "gather returned %u results",
                                                 ls_list_len (in)));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

typedef struct {
  guint64 steps;
  double seconds;
  double vtime;              /* virtual time when the run ended */
} RunResult;

static gboolean
run_program (MainState *m, RunResult *r)
{
  LsLoop *loop = ls_loop_new ();
  LsValue result;
  gint64 t0, t1;
  gboolean ok;

  ls_task_reset_name_counter ();
  t0 = g_get_monotonic_time ();
  ok = ls_asyncio_run (loop, ls_ccoro_new ("main", bench_main, m, NULL), &result);
  t1 = g_get_monotonic_time ();
  if (!ok)
    {
      char *msg = ls_exc_format (result);
      fprintf (stderr, "bench-engine: the run failed: %s\n", msg);
      g_free (msg);
    }
  ls_value_unref (result);
  r->steps = ls_loop_steps (loop);
  r->seconds = (t1 - t0) / 1e6;
  r->vtime = ls_loop_time (loop);
  ls_loop_close (loop);
  ls_loop_unref (loop);
  return ok;
}

static gboolean
check_steps (const char *program, guint64 steps, guint64 expected)
{
  if (steps == expected)
    return TRUE;
  fprintf (stderr, "bench-engine: %s took %" G_GUINT64_FORMAT " task steps, expected %"
           G_GUINT64_FORMAT "\n", program, steps, expected);
  return FALSE;
}

/* ---- sleep0 ----------------------------------------------------------------- */

/* async def worker():
 *     for _ in range(NSLEEPS):
 *         await asyncio.sleep(0)
 * The loop counter is the resume point itself: pc = sleeps done. */
static LsCCoroAction
sleep0_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc < SLEEP0_SLEEPS)
    return ls_ccoro_await (co, co->pc + 1, out, ls_sleep (0, ls_none ()));
  return ls_ccoro_return (out, ls_none ());
}

static gboolean
bench_sleep0 (void)
{
  MainState m = { .ntasks = SLEEP0_TASKS, .worker = sleep0_worker };
  /* Each worker: one step per sleep(0) and one to return; main: two; the
   * Runner's shutdown_asyncgens and shutdown_default_executor: one each. */
  guint64 expected = (guint64) SLEEP0_TASKS * (SLEEP0_SLEEPS + 1) + 2 + 2;
  RunResult r;

  if (!run_program (&m, &r) || !check_steps ("sleep0", r.steps, expected))
    return FALSE;
  printf ("RESULT program=sleep0 impl=engine steps=%" G_GUINT64_FORMAT " seconds=%.6f "
          "steps_per_s=%.0f\n", r.steps, r.seconds, r.steps / r.seconds);
  return TRUE;
}

/* ---- timers --------------------------------------------------------------- */

/* async def worker(delay):
 *     await asyncio.sleep(delay) */
static LsCCoroAction
timers_worker (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  const double *delay = co->data;

  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_sleep (*delay, ls_none ()));
  return ls_ccoro_pass (in, thrown, out);
}

static gboolean
bench_timers (void)
{
  MainState m = { .ntasks = TIMERS_TASKS, .worker = timers_worker };
  GRand *rng = g_rand_new_with_seed (TIMERS_SEED);
  /* Two steps per worker (start, timer fired), two for main, one for each
   * of the Runner's shutdown tasks. */
  guint64 expected = (guint64) TIMERS_TASKS * 2 + 2 + 2;
  gsize hwm_peak;
  RunResult r;
  gboolean ok;

  m.delays = g_new (double, TIMERS_TASKS);
  for (guint i = 0; i < TIMERS_TASKS; i++)
    m.delays[i] = g_rand_double_range (rng, 0, TIMERS_MAX_DELAY);
  g_rand_free (rng);

  ok = run_program (&m, &r);
  hwm_peak = vm_hwm ();
  g_free (m.delays);
  if (!ok || !check_steps ("timers", r.steps, expected))
    return FALSE;
  if (!(r.vtime > 0 && r.vtime < TIMERS_MAX_DELAY))
    {
      fprintf (stderr, "bench-engine: timers ended at virtual time %g\n", r.vtime);
      return FALSE;
    }
  printf ("RESULT program=timers impl=engine steps=%" G_GUINT64_FORMAT " seconds=%.6f "
          "steps_per_s=%.0f tasks=%u hwm_before=%" G_GSIZE_FORMAT " hwm_created=%" G_GSIZE_FORMAT
          " hwm_peak=%" G_GSIZE_FORMAT " bytes_per_task_created=%.0f bytes_per_task_peak=%.0f\n",
          r.steps, r.seconds, r.steps / r.seconds, m.ntasks, m.hwm_before, m.hwm_created, hwm_peak,
          (double) (m.hwm_created - m.hwm_before) / m.ntasks,
          (double) (hwm_peak - m.hwm_before) / m.ntasks);
  return TRUE;
}

int
main (int argc, char **argv)
{
  const char *defaults[] = { "timers", "sleep0" };
  const char **programs = argc > 1 ? (const char **) argv + 1 : defaults;
  int n = argc > 1 ? argc - 1 : (int) G_N_ELEMENTS (defaults);
  gboolean ok = TRUE;

  for (int i = 0; i < n; i++)
    {
      if (strcmp (programs[i], "sleep0") == 0)
        ok &= bench_sleep0 ();
      else if (strcmp (programs[i], "timers") == 0)
        ok &= bench_timers ();
      else
        {
          fprintf (stderr, "usage: bench-engine [sleep0|timers]...\n");
          return 2;
        }
      fflush (stdout);
    }
  return ok ? 0 : 1;
}
