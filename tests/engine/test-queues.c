/* test-queues.c - Queue, LifoQueue and PriorityQueue against CPython.
 *
 * Each test is the C twin of tests/engine/cases/NAME.py.
 */
#include "ls-test-harness.h"

/* Every coroutine here keeps its locals in an LsTestLocals: the queue in
 * value, its name, n (how many to put), tasks in t[], a list being
 * filled in saved, and a counter i. */

static void
put_nowait (LsValue q, LsValue item_taken)
{
  LsValue err;
  if (!ls_queue_put_nowait (q, item_taken, &err))
    {
      ls_test_print_error (err);
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
          ls_test_print_error (item);
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
  LsTestLocals *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 1)
    {
      ls_test_print ("put done %d at %s qsize %" G_GINT64_FORMAT, (int) s->i, ls_test_now (),
                     ls_queue_qsize (s->value));
      s->i++;
    }
  if (s->i < s->n)
    {
      ls_test_print ("put %d at %s", (int) s->i, ls_test_now ());
      return ls_ccoro_await (co, 1, out, ls_queue_put (s->value, ls_int (s->i)));
    }
  return ls_ccoro_return (out, ls_none ());
}

static LsCCoroAction
consumer (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;
  LsValue err;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      return ls_ccoro_await (co, 1, out, ls_queue_get (s->value));
    case 1:
      ls_test_print ("got %s at %s", ls_test_str (in), ls_test_now ());
      return ls_test_await_sleep (co, 2, out, 1);
    case 2:
      if (!ls_queue_task_done (s->value, &err))
        return ls_ccoro_raise (out, err);
      return ls_ccoro_await (co, 1, out, ls_queue_get (s->value));
    }
  g_assert_not_reached ();
}

static LsCCoroAction
pc_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;
  LsValue err;

  switch (co->pc)
    {
    case 0:
      s->value = ls_queue_new (2, LS_QUEUE_FIFO);
      s->t[0] = ls_test_create_task (LS_TEST_CORO ("consumer", consumer, .name = "c",
                                                   .value = ls_value_ref (s->value)), NULL);
      s->t[1] = ls_test_create_task (LS_TEST_CORO ("producer", producer, .name = "p", .n = 5,
                                                   .value = ls_value_ref (s->value)), NULL);
      return ls_ccoro_await (co, 1, out, ls_value_ref (s->t[1]));
    case 1:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("producer done at %s full: %s", ls_test_now (),
                     ls_test_bool (ls_queue_full (s->value)));
      return ls_ccoro_await (co, 2, out, ls_queue_join (s->value));
    case 2:
      if (thrown)
        return ls_ccoro_pass (in, thrown, out);
      ls_test_print ("joined at %s empty: %s", ls_test_now (), ls_test_bool (ls_queue_empty (s->value)));
      ls_task_cancel (ls_value_object (s->t[0]), ls_none ());
      return ls_ccoro_await (co, 3, out, ls_value_ref (s->t[0]));
    case 3:
      if (thrown)
        {
          if (!ls_exc_matches (in, &ls_exc_CancelledError))
            return ls_ccoro_pass (in, thrown, out);
          ls_test_print ("consumer cancelled");
        }
      g_assert_false (ls_queue_task_done (s->value, &err));
      ls_test_print_error (err);
      ls_value_unref (err);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
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
  LsTestLocals *s = co->data;
  LsValue pq, q, list, item, err;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->value = ls_queue_new (0, LS_QUEUE_LIFO);
      s->i = 0;
      return ls_ccoro_await (co, 1, out, ls_queue_put (s->value, ls_int (1)));
    case 1:
      if (++s->i < 3)
        return ls_ccoro_await (co, 1, out, ls_queue_put (s->value, ls_int (s->i + 1)));
      s->saved = ls_list_new ();
      s->i = 0;
      return ls_ccoro_await (co, 2, out, ls_queue_get (s->value));
    case 2:
      ls_list_append (s->saved, ls_value_ref (in));
      if (++s->i < 3)
        return ls_ccoro_await (co, 2, out, ls_queue_get (s->value));
      ls_test_print ("%s", ls_test_repr (s->saved));
      ls_value_set (&s->saved, ls_none ());

      pq = ls_queue_new (0, LS_QUEUE_PRIORITY);
      put_nowait (pq, ls_int (5));
      put_nowait (pq, ls_float (1.5));
      put_nowait (pq, ls_int (3));
      put_nowait (pq, ls_bool (TRUE));
      put_nowait (pq, ls_float (0.5));
      put_nowait (pq, ls_int (4));
      put_nowait (pq, ls_float (3.0));
      put_nowait (pq, ls_int (1));
      ls_test_print ("%s", ls_test_str (pq));
      list = drain (pq);
      ls_test_print ("%s", ls_test_repr (list));
      ls_value_unref (list);
      ls_value_set (&s->value, pq);      /* kept for the QueueEmpty below */

      s->t[0] = ls_queue_new (0, LS_QUEUE_PRIORITY);
      s->i = -1;
      /* the puts, first and after each one */
      G_GNUC_FALLTHROUGH;
    case 3:
      if (++s->i < 7)
        {
          item = tq_item (s->i);
          q = ls_queue_put (s->t[0], item);
          ls_value_unref (item);
          return ls_ccoro_await (co, 3, out, q);
        }
      ls_test_print ("%s", ls_test_str (s->t[0]));
      s->saved = ls_list_new ();
      s->n = (int) ls_queue_qsize (s->t[0]);
      s->i = 0;
      return ls_ccoro_await (co, 4, out, ls_queue_get (s->t[0]));
    case 4:
      ls_list_append (s->saved, ls_value_ref (in));
      if (++s->i < s->n)
        return ls_ccoro_await (co, 4, out, ls_queue_get (s->t[0]));
      ls_test_print ("%s", ls_test_repr (s->saved));

      q = ls_queue_new (0, LS_QUEUE_PRIORITY);
      for (guint i = 0; i < G_N_ELEMENTS (strs); i++)
        put_nowait (q, ls_str_new (strs[i]));
      list = drain (q);
      ls_test_print ("%s", ls_test_repr (list));
      ls_value_unref (list);
      ls_value_unref (q);

      g_assert_false (ls_queue_get_nowait (s->value, &err));
      g_assert_true (ls_exc_matches (err, &ls_exc_QueueEmpty));
      ls_test_print ("QueueEmpty %s", ls_test_repr (err));
      ls_value_unref (err);

      q = ls_queue_new (1, LS_QUEUE_FIFO);
      put_nowait (q, ls_str_new ("x"));
      item = ls_str_new ("y");
      g_assert_false (ls_queue_put_nowait (q, item, &err));
      ls_value_unref (item);
      g_assert_true (ls_exc_matches (err, &ls_exc_QueueFull));
      ls_test_print ("QueueFull %s %s", ls_test_repr (err), ls_test_str (q));
      ls_value_unref (err);
      ls_value_unref (q);

      q = ls_queue_new (0, LS_QUEUE_PRIORITY);
      put_nowait (q, ls_int (1));
      put_nowait (q, ls_str_new ("a"));
      ls_test_print ("%" G_GINT64_FORMAT " %s", ls_queue_qsize (q), ls_test_str (q));
      ls_value_unref (q);
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

/* ---- queue_get_cancel.py ------------------------------------------------------ */

static LsCCoroAction
getter (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (co->pc == 0)
    return ls_ccoro_await (co, 1, out, ls_queue_get (s->value));
  if (thrown)
    {
      if (ls_exc_matches (in, &ls_exc_CancelledError))
        ls_test_print ("%s cancelled at %s qsize: %" G_GINT64_FORMAT, s->name, ls_test_now (),
                       ls_queue_qsize (s->value));
      return ls_ccoro_pass (in, thrown, out);
    }
  ls_test_print ("%s got %s at %s", s->name, ls_test_str (in), ls_test_now ());
  return ls_ccoro_return (out, ls_value_ref (in));
}

static LsCCoroAction
get_cancel_main (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  LsTestLocals *s = co->data;

  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  switch (co->pc)
    {
    case 0:
      s->value = ls_queue_new (0, LS_QUEUE_FIFO);
      for (int i = 0; i < 3; i++)
        s->t[i] = ls_test_create_task (LS_TEST_CORO ("getter", getter, .name = { 'g', (char) ('1' + i) },
                                                     .value = ls_value_ref (s->value)), NULL);
      return ls_test_await_sleep (co, 1, out, 1);
    case 1:
      ls_task_cancel (ls_value_object (s->t[0]), ls_none ());
      put_nowait (s->value, ls_str_new ("a"));
      ls_task_cancel (ls_value_object (s->t[1]), ls_none ());
      ls_test_print ("%s", ls_test_str (s->value));
      return ls_test_await_gather (co, 2, out, 3, s->t, TRUE);
    case 2:
      ls_test_print ("%s", ls_test_outcomes (in));
      ls_test_print ("%s", ls_test_str (s->value));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
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
      g_assert_true (ls_test_caught (in, thrown, &ls_exc_TypeError));
      return ls_ccoro_return (out, ls_none ());
    }
  g_assert_not_reached ();
}

static const LsTest tests[] = {
  LS_TEST_CASE ("/engine/queues/producer-consumer", "queue_producer_consumer", pc_main),
  LS_TEST_CASE ("/engine/queues/lifo-priority", "queue_lifo_priority", lifo_priority_main),
  LS_TEST_CASE ("/engine/queues/get-cancel", "queue_get_cancel", get_cancel_main),
  LS_TEST_MAIN ("/engine/queues/misuse", misuse_main),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
