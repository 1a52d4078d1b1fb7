/* loopscope-demo.c - what `make run` shows until the desktop app exists.
 *
 * Runs the tutorial's three-factorial gather, written against the engine's
 * C API, on the virtual clock, and prints what happened: the program's own
 * output, every task switch with its virtual time, and a small lane chart
 * with one row per task.  It takes a fraction of a millisecond of real
 * time for three seconds of virtual time.
 *
 *     async def factorial(name, number):
 *         f = 1
 *         for i in range(2, number + 1):
 *             print(f"Task {name}: Compute factorial({number}), currently i={i}...")
 *             await asyncio.sleep(1)
 *             f *= i
 *         print(f"Task {name}: factorial({number}) = {f}")
 *         return f
 *
 *     async def main():
 *         L = await asyncio.gather(factorial("A", 2), factorial("B", 3),
 *                                  factorial("C", 4))
 *         print(L)
 *
 *     asyncio.run(main())
 */
#include "ls-asyncio.h"

#include <math.h>
#include <stdio.h>

/* ---- the program ------------------------------------------------------- */

typedef struct {
  char name[4];
  gint64 number, f, i;
} Factorial;

static void
say (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

static void
say (const char *fmt, ...)
{
  va_list ap;
  char *text, *line;

  va_start (ap, fmt);
  text = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  line = g_strconcat (text, "\n", NULL);
  ls_loop_print (ls_loop_get_running (), line);
  g_free (line);
  g_free (text);
}

static LsCCoroAction
factorial_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  Factorial *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0)
    s->f = 1, s->i = 2;
  else
    s->f *= s->i++;
  if (s->i <= s->number)
    {
      say ("Task %s: Compute factorial(%" G_GINT64_FORMAT "), currently i=%" G_GINT64_FORMAT "...",
           s->name, s->number, s->i);
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
    }
  say ("Task %s: factorial(%" G_GINT64_FORMAT ") = %" G_GINT64_FORMAT, s->name, s->number, s->f);
  return ls_ccoro_return (out, ls_int (s->f));
}

static LsValue
factorial (const char *name, gint64 number)
{
  Factorial *s = g_new0 (Factorial, 1);
  g_strlcpy (s->name, name, sizeof s->name);
  s->number = number;
  return ls_ccoro_new ("factorial", factorial_step, s, g_free);
}

static LsCCoroAction
main_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue aws[3], fut;
  char *r;

  if (co->pc == 0)
    {
      aws[0] = factorial ("A", 2);
      aws[1] = factorial ("B", 3);
      aws[2] = factorial ("C", 4);
      if (!ls_gather (ls_loop_get_running (), 3, aws, FALSE, &fut))
        return ls_ccoro_raise (out, fut);
      for (int i = 0; i < 3; i++)
        ls_value_unref (aws[i]);
      return ls_ccoro_await (co, 1, out, fut);
    }
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  r = ls_value_repr (in);
  say ("%s", r);
  g_free (r);
  return ls_ccoro_return (out, ls_none ());
}

/* ---- what the observer saw ------------------------------------------------ */

typedef struct {
  char *name;
  char *coro;
  GArray *steps;     /* double: virtual times of its steps */
  double finished;   /* NAN while pending */
} Lane;

typedef struct {
  GHashTable *lanes_by_id;   /* task id -> Lane* */
  GPtrArray *lanes;          /* creation order */
  guint nsteps;
} Demo;

static void
lane_free (gpointer p)
{
  Lane *lane = p;
  g_free (lane->name);
  g_free (lane->coro);
  g_array_free (lane->steps, TRUE);
  g_free (lane);
}

static void
observe (const LsEvent *ev, gpointer user_data)
{
  Demo *demo = user_data;
  Lane *lane = g_hash_table_lookup (demo->lanes_by_id, &ev->task);
  char t[G_ASCII_DTOSTR_BUF_SIZE];

  ls_float_repr (ev->time, t);
  switch (ev->kind)
    {
    case LS_EVENT_TASK_CREATED:
      lane = g_new0 (Lane, 1);
      lane->name = g_strdup (ev->detail);
      lane->coro = g_strdup (ev->extra);
      lane->steps = g_array_new (FALSE, FALSE, sizeof (double));
      lane->finished = NAN;
      g_hash_table_insert (demo->lanes_by_id, g_memdup2 (&ev->task, sizeof ev->task), lane);
      g_ptr_array_add (demo->lanes, lane);
      printf ("  t=%-4s  %-7s created: %s\n", t, lane->name, lane->coro);
      break;
    case LS_EVENT_STEP_BEGIN:
      g_array_append_val (lane->steps, ev->time);
      demo->nsteps++;
      break;
    case LS_EVENT_STEP_END:
      if (ev->reason == LS_REASON_AWAITING)
        printf ("  t=%-4s  %-7s steps, then waits on %s\n", t, lane->name, ev->detail);
      else if (ev->reason == LS_REASON_YIELDED)
        printf ("  t=%-4s  %-7s steps, then yields\n", t, lane->name);
      else if (ev->reason != LS_REASON_RESCHEDULED)
        {
          lane->finished = ev->time;
          printf ("  t=%-4s  %-7s steps and finishes (%s)\n", t, lane->name,
                  ls_reason_name (ev->reason));
        }
      break;
    case LS_EVENT_OUTPUT:
      printf ("  t=%-4s  %-7s prints: %s", t, lane ? lane->name : "-", ev->detail);
      break;
    default:
      break;
    }
}

/* One row per task, one column per virtual second: '#' where the task
 * stepped, '-' where it existed and waited. */
static void
print_lanes (Demo *demo, double end)
{
  int columns = (int) ceil (end) + 1;

  printf ("\nLanes (one column per virtual second, # = stepped, - = waiting):\n");
  printf ("  %-8s", "");
  for (int c = 0; c < columns; c++)
    printf ("%d", c % 10);
  printf ("\n");
  for (guint i = 0; i < demo->lanes->len; i++)
    {
      Lane *lane = g_ptr_array_index (demo->lanes, i);
      double first = lane->steps->len ? g_array_index (lane->steps, double, 0) : 0;
      printf ("  %-8s", lane->name);
      for (int c = 0; c < columns; c++)
        {
          gboolean stepped = FALSE;
          for (guint k = 0; k < lane->steps->len; k++)
            if ((int) floor (g_array_index (lane->steps, double, k)) == c)
              stepped = TRUE;
          if (stepped)
            putchar ('#');
          else if (c >= first && (isnan (lane->finished) || c <= lane->finished))
            putchar ('-');
          else
            putchar (' ');
        }
      printf ("  %s\n", lane->coro);
    }
}

static void
discard_output (LsLoop *loop, gboolean is_stderr, const char *text, gpointer user_data)
{
}

int
main (void)
{
  Demo demo = {
    .lanes_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL),
    .lanes = g_ptr_array_new_with_free_func (lane_free),
  };
  LsLoop *loop = ls_loop_new ();
  LsValue result;
  gint64 start;
  double real_ms, end;
  char end_text[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean ok;

  printf ("Loopscope engine demonstration: the three-factorial gather, in virtual time.\n"
          "Every line below is something CPython 3.12's event loop does with this program.\n\n");

  ls_loop_set_observer (loop, observe, &demo);
  /* The program's own prints are shown from the observer's OUTPUT events,
   * each with its time and task. */
  ls_loop_set_output (loop, discard_output, NULL);

  start = g_get_monotonic_time ();
  ok = ls_asyncio_run (loop, ls_ccoro_new ("main", main_step, NULL, NULL), &result);
  real_ms = (g_get_monotonic_time () - start) / 1000.0;
  end = ls_loop_time (loop);

  if (!ok)
    {
      char *msg = ls_exc_format (result);
      fprintf (stderr, "loopscope-demo: the program failed: %s\n", msg);
      g_free (msg);
    }
  print_lanes (&demo, end);
  ls_float_repr (end, end_text);
  printf ("\n%u task steps in %s virtual seconds, computed in %.2f ms of real time.\n",
          demo.nsteps, end_text, real_ms);

  ls_value_unref (result);
  ls_loop_close (loop);
  ls_loop_unref (loop);
  g_ptr_array_free (demo.lanes, TRUE);
  g_hash_table_destroy (demo.lanes_by_id);
  return ok ? 0 : 1;
}
