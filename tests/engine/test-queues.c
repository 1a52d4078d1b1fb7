/* test-queues.c - Queue, LifoQueue and PriorityQueue against CPython.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py.
 */
#include "ls-test-harness.h"

static LsLoop *
loop (void)
{
  return ls_loop_get_running ();
}

static const char *
now (void)
{
  return ls_test_float (ls_loop_time (loop ()));
}

static const char *
py_bool (gboolean b)
{
  return b ? "True" : "False";
}

typedef struct {
  char name[8];
  LsValue q;
  LsValue tasks[3];
  LsValue list;
  int i, n;
} St;

static void
st_free (gpointer p)
{
  St *s = p;
  ls_value_unref (s->q);
  ls_value_unref (s->list);
  for (int i = 0; i < 3; i++)
    ls_value_unref (s->tasks[i]);
  g_free (s);
}

static LsValue
co_new (const char *fname, LsCCoroFn fn, const char *name, LsValue q, int n)
{
  St *s = g_new0 (St, 1);
  g_strlcpy (s->name, name, sizeof s->name);
  s->q = ls_value_ref (q);
  s->n = n;
  return ls_ccoro_new (fname, fn, s, st_free);
}

static void
print_fmt_value (const char *fmt, LsValue v, gboolean use_str)
{
  char *r = use_str ? ls_value_str (v) : ls_value_repr (v);
  ls_test_print (fmt, r);
  g_free (r);
}

static void
print_error (LsValue exc)
{
  char *s = ls_value_str (exc);
  ls_test_print ("%s: %s", ls_exc_type (exc)->name, s);
  g_free (s);
}

static void
run_case (const char *name, LsCCoroFn fn)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, co_new ("main", fn, "main", ls_none (), 0)));
  ls_test_check_case (run, name);
  ls_test_run_free (run);
}

static void
put_nowait (LsValue q, LsValue item_taken)
{
  LsValue err;
  if (!ls_queue_put_nowait (q, item_taken, &err))
    {
      print_error (err);
      ls_value_unref (err);
    }
  ls_value_unref (item_taken);
}

/* [q.get_nowait() for _ in range(q.qsize())] */
static LsValue
drain (LsValue q)
{
  LsValue list = ls_list_new (), item;
  for (gint64 n = ls_queue_qsize (q); n > 0; n--)
    {
      if (!ls_queue_get_nowait (q, &item))
        {
          print_error (item);
          ls_value_unref (item);
          break;
        }
      ls_list_append (list, item);
    }
  return list;
}

/* ---- queue_producer_consumer.py ------------------------------------------ */

static LsCCoroAction
producer (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 1)
    {
      ls_test_print ("put done %d at %s qsize %" G_GINT64_FORMAT, s->i, now (), ls_queue_qsize (s->q));
      s->i++;
    }
  if (s->i < s->n)
    {
      ls_test_print ("put %d at %s", s->i, now ());
      return ls_ccoro_await (co, 1, out, ls_queue_put (s->q, ls_int (s->i)));
    }
  return ls_ccoro_return (out, ls_none ());
}

static LsCCoroAction
consumer (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;
  LsValue err;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_queue_get (s->q));
    case 1:
      {
        char *r = ls_value_str (in);
        ls_test_print ("got %s at %s", r, now ());
        g_free (r);
      }
      return ls_ccoro_await (co, 2, out, ls_sleep (1, ls_none ()));
    case 2:
      if (!ls_queue_task_done (s->q, &err))
        return ls_ccoro_raise (out, err);
      return ls_ccoro_await (co, 1, out, ls_queue_get (s->q));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
pc_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;
  LsValue err;

  switch (co->pc)
    {
    case 0:
      s->q = ls_queue_new (2, LS_QUEUE_FIFO);
      s->tasks[0] = ls_task_new (loop (), co_new ("consumer", consumer, "c", s->q, 0), NULL);
      s->tasks[1] = ls_task_new (loop (), co_new ("producer", producer, "p", s->q, 5), NULL);
      return ls_ccoro_await (co, 1, out, ls_value_ref (s->tasks[1]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("producer done at %s full: %s", now (), py_bool (ls_queue_full (s->q)));
      return ls_ccoro_await (co, 2, out, ls_queue_join (s->q));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("joined at %s empty: %s", now (), py_bool (ls_queue_empty (s->q)));
      ls_task_cancel (ls_value_object (s->tasks[0]), ls_none ());
      return ls_ccoro_await (co, 3, out, ls_value_ref (s->tasks[0]));
    case 3:
      if (thrown)
        {
          if (!ls_exc_matches (in, &ls_exc_CancelledError))
            return ls_ccoro_pass (in, thrown, out);
          ls_test_print ("consumer cancelled");
        }
      g_assert_false (ls_queue_task_done (s->q, &err));
      print_error (err);
      ls_value_unref (err);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_queue_producer_consumer (void)
{
  run_case ("queue_producer_consumer", pc_main);
}

/* ---- queue_lifo_priority.py ------------------------------------------------ */

static LsValue
tuple2 (LsValue a, LsValue b)
{
  LsValue items[2] = { a, b };
  return ls_tuple_new (2, items);
}

static LsValue
tq_item (int i)
{
  LsValue three[3];

  switch (i)
    {
    case 0: return tuple2 (ls_int (2), ls_str_new ("b"));
    case 1: return tuple2 (ls_int (1), ls_str_new ("z"));
    case 2: return tuple2 (ls_int (1), ls_str_new ("a"));
    case 3:
      three[0] = ls_int (2);
      three[1] = ls_str_new ("a");
      three[2] = ls_int (0);
      return ls_tuple_new (3, three);
    case 4:
      three[0] = ls_int (2);
      return ls_tuple_new (1, three);
    case 5: return tuple2 (ls_float (1.0), ls_str_new ("m"));
    case 6: return tuple2 (ls_int (0), ls_str_new ("c"));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
lifo_priority_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  static const char *strs[] = { "pear", "apple", "fig", "Apple", "apples", "" };
  St *s = co->data;
  LsValue pq, q, list, item, err;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->q = ls_queue_new (0, LS_QUEUE_LIFO);
      s->i = 0;
      return ls_ccoro_await (co, 1, out, ls_queue_put (s->q, ls_int (1)));
    case 1:
      if (++s->i < 3)
        return ls_ccoro_await (co, 1, out, ls_queue_put (s->q, ls_int (s->i + 1)));
      s->list = ls_list_new ();
      s->i = 0;
      return ls_ccoro_await (co, 2, out, ls_queue_get (s->q));
    case 2:
      ls_list_append (s->list, ls_value_ref (in));
      if (++s->i < 3)
        return ls_ccoro_await (co, 2, out, ls_queue_get (s->q));
      print_fmt_value ("%s", s->list, FALSE);
      ls_value_set (&s->list, ls_none ());

      pq = ls_queue_new (0, LS_QUEUE_PRIORITY);
      put_nowait (pq, ls_int (5));
      put_nowait (pq, ls_float (1.5));
      put_nowait (pq, ls_int (3));
      put_nowait (pq, ls_bool (TRUE));
      put_nowait (pq, ls_float (0.5));
      put_nowait (pq, ls_int (4));
      put_nowait (pq, ls_float (3.0));
      put_nowait (pq, ls_int (1));
      print_fmt_value ("%s", pq, TRUE);
      list = drain (pq);
      print_fmt_value ("%s", list, FALSE);
      ls_value_unref (list);
      ls_value_set (&s->q, pq);      /* kept for the QueueEmpty below */

      s->tasks[0] = ls_queue_new (0, LS_QUEUE_PRIORITY);
      s->i = -1;
      /* the puts, first and after each one */
      G_GNUC_FALLTHROUGH;
    case 3:
      if (++s->i < 7)
        {
          item = tq_item (s->i);
          q = ls_queue_put (s->tasks[0], item);
          ls_value_unref (item);
          return ls_ccoro_await (co, 3, out, q);
        }
      print_fmt_value ("%s", s->tasks[0], TRUE);
      s->list = ls_list_new ();
      s->n = (int) ls_queue_qsize (s->tasks[0]);
      s->i = 0;
      return ls_ccoro_await (co, 4, out, ls_queue_get (s->tasks[0]));
    case 4:
      ls_list_append (s->list, ls_value_ref (in));
      if (++s->i < s->n)
        return ls_ccoro_await (co, 4, out, ls_queue_get (s->tasks[0]));
      print_fmt_value ("%s", s->list, FALSE);

      q = ls_queue_new (0, LS_QUEUE_PRIORITY);
      for (guint i = 0; i < G_N_ELEMENTS (strs); i++)
        put_nowait (q, ls_str_new (strs[i]));
      list = drain (q);
      print_fmt_value ("%s", list, FALSE);
      ls_value_unref (list);
      ls_value_unref (q);

      g_assert_false (ls_queue_get_nowait (s->q, &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_QueueEmpty));
      print_fmt_value ("QueueEmpty %s", err, FALSE);
      ls_value_unref (err);

      q = ls_queue_new (1, LS_QUEUE_FIFO);
      put_nowait (q, ls_str_new ("x"));
      item = ls_str_new ("y");
      g_assert_false (ls_queue_put_nowait (q, item, &err));
      ls_value_unref (item);
      g_assert_true (ls_exc_matches (err, &ls_exc_QueueFull));
      {
        char *e = ls_value_repr (err), *qs = ls_value_str (q);
        ls_test_print ("QueueFull %s %s", e, qs);
        g_free (qs);
        g_free (e);
      }
      ls_value_unref (err);
      ls_value_unref (q);

      q = ls_queue_new (0, LS_QUEUE_PRIORITY);
      put_nowait (q, ls_int (1));
      put_nowait (q, ls_str_new ("a"));
      {
        char *qs = ls_value_str (q);
        ls_test_print ("%" G_GINT64_FORMAT " %s", ls_queue_qsize (q), qs);
        g_free (qs);
      }
      ls_value_unref (q);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_queue_lifo_priority (void)
{
  run_case ("queue_lifo_priority", lifo_priority_main);
}

/* ---- queue_get_cancel.py ------------------------------------------------------ */

static LsCCoroAction
getter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;
  char *r;

  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_queue_get (s->q));
  if (thrown)
    {
      if (ls_exc_matches (in, &ls_exc_CancelledError))
        ls_test_print ("%s cancelled at %s qsize: %" G_GINT64_FORMAT, s->name, now (),
                       ls_queue_qsize (s->q));
      return ls_ccoro_pass (in, thrown, out);
    }
  r = ls_value_str (in);
  ls_test_print ("%s got %s at %s", s->name, r, now ());
  g_free (r);
  return ls_ccoro_return (out, ls_value_ref (in));
}

static LsCCoroAction
get_cancel_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  St *s = co->data;
  LsValue fut, list;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->q = ls_queue_new (0, LS_QUEUE_FIFO);
      for (int i = 0; i < 3; i++)
        {
          char name[3] = { 'g', (char) ('1' + i), 0 };
          s->tasks[i] = ls_task_new (loop (), co_new ("getter", getter, name, s->q, 0), NULL);
        }
      return ls_ccoro_await (co, 1, out, ls_sleep (1, ls_none ()));
    case 1:
      ls_task_cancel (ls_value_object (s->tasks[0]), ls_none ());
      put_nowait (s->q, ls_str_new ("a"));
      ls_task_cancel (ls_value_object (s->tasks[1]), ls_none ());
      print_fmt_value ("%s", s->q, TRUE);
      if (!ls_gather (loop (), 3, s->tasks, TRUE, &fut))
        return ls_ccoro_raise (out, fut);
      return ls_ccoro_await (co, 2, out, fut);
    case 2:
      list = ls_list_new ();
      for (guint i = 0; i < ls_list_len (in); i++)
        {
          LsValue r = ls_list_get (in, i);
          const LsExcType *t = ls_exc_type (r);
          ls_list_append (list, t ? ls_str_new (t->name) : ls_value_ref (r));
        }
      print_fmt_value ("%s", list, FALSE);
      ls_value_unref (list);
      print_fmt_value ("%s", s->q, TRUE);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_queue_get_cancel (void)
{
  run_case ("queue_get_cancel", get_cancel_main);
}

/* ---- misuse ------------------------------------------------------------------ */

static LsCCoroAction
misuse_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsValue err, q;

  switch (co->pc)
    {
    case 0:
      g_assert_false (ls_queue_put_nowait (ls_none (), ls_int (1), &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_TypeError));
      ls_value_unref (err);
      g_assert_false (ls_queue_get_nowait (ls_int (1), &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_TypeError));
      ls_value_unref (err);
      g_assert_cmpint (ls_queue_qsize (ls_none ()), ==, 0);
      /* A failed heap comparison leaves the item in, uncounted. */
      q = ls_queue_new (0, LS_QUEUE_PRIORITY);
      put_nowait (q, ls_int (2));
      g_assert_false (ls_queue_put_nowait (q, ls_none (), &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_TypeError));
      ls_value_unref (err);
      g_assert_cmpint (ls_queue_qsize (q), ==, 2);
      ls_value_unref (q);
      q = ls_str_new ("q");
      err = ls_queue_get (q);
      ls_value_unref (q);
      return ls_ccoro_await (co, 1, out, err);
    case 1:
      g_assert_true (thrown && ls_exc_matches (in, &ls_exc_TypeError));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static void
test_queue_misuse (void)
{
  LsTestRun *run = ls_test_run_new ();
  g_assert_true (ls_test_asyncio_run (run, ls_ccoro_new ("main", misuse_main, NULL, NULL)));
  ls_test_run_free (run);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/engine/queues/producer-consumer", test_queue_producer_consumer);
  g_test_add_func ("/engine/queues/lifo-priority", test_queue_lifo_priority);
  g_test_add_func ("/engine/queues/get-cancel", test_queue_get_cancel);
  g_test_add_func ("/engine/queues/misuse", test_queue_misuse);
  return g_test_run ();
}
