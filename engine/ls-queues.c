/* ls-queues.c - Queue, LifoQueue and PriorityQueue (queues.py of CPython
 * 3.12).
 *
 * The queue keeps its getters and putters as deques of futures and its
 * unfinished-task count with an Event, like the Python class, and put()
 * and get() are LsCCoro state machines with the same loops and the same
 * cleanup on cancellation, so that blocked producers and consumers wake in
 * CPython's order and take its steps.
 *
 * PriorityQueue is a heap with the exact algorithm of CPython's _heapq
 * module (heappush's siftdown, heappop's siftup to a leaf then siftdown),
 * comparing items with Python's `<`: equal priorities come out in the
 * order CPython gives them, which is not insertion order.  Items may be
 * ints, bools, floats, strs, and tuples or lists of those; anything else
 * compared with `<` is the TypeError Python raises for unorderable types.
 */
#include "ls-asyncio.h"
#include "ls-sched-private.h"

#include <math.h>
#include <string.h>

/* ---- Python's `==` and `<` for the supported item types ------------------- */

/* The sign of i - f, exactly (CPython compares int with float without
 * rounding the int); 2 when f is a NaN (unordered). */
static int
int_float_cmp (gint64 i, double f)
{
  double fl;
  gint64 fi;

  if (isnan (f))
    return 2;
  if (f >= 9223372036854775808.0)
    return -1;
  if (f < -9223372036854775808.0)
    return 1;
  fl = floor (f);
  fi = (gint64) fl;
  if (i != fi)
    return i < fi ? -1 : 1;
  return fl < f ? -1 : 0;
}

static gboolean
as_number (LsValue v, gint64 *i, double *f, gboolean *is_int)
{
  switch (ls_value_kind (v))
    {
    case LS_KIND_BOOL: *i = ls_value_as_bool (v); *is_int = TRUE; return TRUE;
    case LS_KIND_INT: *i = ls_value_as_int (v); *is_int = TRUE; return TRUE;
    case LS_KIND_FLOAT: *f = ls_value_as_float (v); *is_int = FALSE; return TRUE;
    default: return FALSE;
    }
}

/* -1, 0, 1, or 2 for unordered; FALSE when a or b is not a number. */
static gboolean
num_cmp (LsValue a, LsValue b, int *cmp)
{
  gint64 ia = 0, ib = 0;
  double fa = 0, fb = 0;
  gboolean inta, intb;

  if (!as_number (a, &ia, &fa, &inta) || !as_number (b, &ib, &fb, &intb))
    return FALSE;
  if (inta && intb)
    *cmp = ia < ib ? -1 : ia > ib;
  else if (inta)
    *cmp = int_float_cmp (ia, fb);
  else if (intb)
    {
      int c = int_float_cmp (ib, fa);
      *cmp = c == 2 ? 2 : -c;
    }
  else if (isnan (fa) || isnan (fb))
    *cmp = 2;
  else
    *cmp = fa < fb ? -1 : fa > fb;
  return TRUE;
}

static int
str_cmp (LsValue a, LsValue b)
{
  LsStr *x = ls_value_object (a), *y = ls_value_object (b);
  int c = memcmp (x->data, y->data, MIN (x->len, y->len));

  /* UTF-8 byte order is code point order, which is Python's str order. */
  if (c)
    return c < 0 ? -1 : 1;
  return x->len < y->len ? -1 : x->len > y->len;
}

/* The items of a tuple or list, or NULL. */
static const LsValue *
sequence_items (LsValue v, const LsClass *cls, guint *n)
{
  if (!ls_value_is (v, cls))
    return NULL;
  if (cls == &ls_tuple_class)
    {
      LsTuple *t = ls_value_object (v);
      *n = t->len;
      return t->items;
    }
  *n = ls_list_len (v);
  return (const LsValue *) ((LsList *) ls_value_object (v))->items->data;
}

/* PyObject_RichCompareBool(a, b, Py_EQ): identity first. */
static gboolean
py_eq (LsValue a, LsValue b)
{
  const LsClass *seq = ls_value_is (a, &ls_tuple_class) ? &ls_tuple_class
    : ls_value_is (a, &ls_list_class) ? &ls_list_class : NULL;
  int cmp;

  if (ls_is_object (a) && ls_value_identical (a, b))
    return TRUE;
  if (num_cmp (a, b, &cmp))
    return cmp == 0;
  if (ls_str_get (a) && ls_str_get (b))
    return str_cmp (a, b) == 0;
  if (seq)
    {
      guint na = 0, nb = 0;
      const LsValue *x = sequence_items (a, seq, &na), *y = sequence_items (b, seq, &nb);
      if (!y || na != nb)
        return FALSE;
      for (guint i = 0; i < na; i++)
        if (!py_eq (x[i], y[i]))
          return FALSE;
      return TRUE;
    }
  return ls_value_equal (a, b);
}

/* a < b.  FALSE and the TypeError when the two are not ordered. */
static gboolean
py_lt (LsValue a, LsValue b, gboolean *lt, LsValue *error)
{
  const LsClass *seq = ls_value_is (a, &ls_tuple_class) ? &ls_tuple_class
    : ls_value_is (a, &ls_list_class) ? &ls_list_class : NULL;
  int cmp;

  if (num_cmp (a, b, &cmp))
    {
      *lt = cmp == -1;
      return TRUE;
    }
  if (ls_str_get (a) && ls_str_get (b))
    {
      *lt = str_cmp (a, b) < 0;
      return TRUE;
    }
  if (seq && ls_value_is (b, seq))
    {
      /* Search for the first index where items are different. */
      guint na = 0, nb = 0, i;
      const LsValue *x = sequence_items (a, seq, &na), *y = sequence_items (b, seq, &nb);
      for (i = 0; i < na && i < nb; i++)
        if (!py_eq (x[i], y[i]))
          break;
      if (i >= na || i >= nb)
        {
          /* No more items to compare -- compare sizes. */
          *lt = na < nb;
          return TRUE;
        }
      return py_lt (x[i], y[i], lt, error);
    }
  *error = ls_exc_newf (&ls_exc_TypeError, "'<' not supported between instances of '%s' and '%s'",
                        ls_value_class (a)->name, ls_value_class (b)->name);
  return FALSE;
}

/* ---- heapq (Modules/_heapqmodule.c) ---------------------------------------------- */

static void
swap_items (LsValue *arr, guint i, guint j)
{
  LsValue t = arr[i];
  arr[i] = arr[j];
  arr[j] = t;
}

/* _heapq siftdown: follow the path to the root, moving parents down until
 * finding a place newitem fits. */
static gboolean
heap_siftdown (GArray *heap, guint startpos, guint pos, LsValue *error)
{
  LsValue *arr = (LsValue *) heap->data;

  while (pos > startpos)
    {
      guint parentpos = (pos - 1) >> 1;
      gboolean lt;
      if (!py_lt (arr[pos], arr[parentpos], &lt, error))
        return FALSE;
      if (!lt)
        break;
      swap_items (arr, parentpos, pos);
      pos = parentpos;
    }
  return TRUE;
}

/* _heapq siftup: bubble up the smaller child until hitting a leaf, then
 * sift the item down to its final resting place. */
static gboolean
heap_siftup (GArray *heap, guint pos, LsValue *error)
{
  LsValue *arr = (LsValue *) heap->data;
  guint endpos = heap->len, startpos = pos, limit = endpos >> 1;

  while (pos < limit)
    {
      /* Set childpos to index of smaller child. */
      guint childpos = 2 * pos + 1;
      if (childpos + 1 < endpos)
        {
          gboolean lt;
          if (!py_lt (arr[childpos], arr[childpos + 1], &lt, error))
            return FALSE;
          childpos += !lt;
        }
      /* Move the smaller child up. */
      swap_items (arr, childpos, pos);
      pos = childpos;
    }
  return heap_siftdown (heap, startpos, pos, error);
}

/* heapq.heappush; takes item, which stays in the heap even when a
 * comparison fails, as in CPython. */
static gboolean
heap_push (GArray *heap, LsValue item, LsValue *error)
{
  g_array_append_val (heap, item);
  return heap_siftdown (heap, 0, heap->len - 1, error);
}

/* heapq.heappop on a non-empty heap.  When a comparison fails the popped
 * item is lost, as in CPython. */
static gboolean
heap_pop (GArray *heap, LsValue *out)
{
  LsValue *arr = (LsValue *) heap->data;
  LsValue lastelt = arr[heap->len - 1], returnitem;

  g_array_set_size (heap, heap->len - 1);
  if (heap->len == 0)
    {
      *out = lastelt;
      return TRUE;
    }
  returnitem = arr[0];
  arr[0] = lastelt;
  if (!heap_siftup (heap, 0, out))
    {
      ls_value_unref (returnitem);
      return FALSE;
    }
  *out = returnitem;
  return TRUE;
}

/* ---- the queue object ---------------------------------------------------------- */

typedef struct {
  LsObject base;
  LsLoop *loop;               /* _LoopBoundMixin: strong, NULL until used */
  LsQueueKind kind;
  gint64 maxsize;
  GQueue getters;             /* LsFuture *, each owned */
  GQueue putters;             /* LsFuture *, each owned */
  gint64 unfinished_tasks;
  LsValue finished;           /* an Event */
  GArray *items;              /* _queue: LsValue, owned, live from head on */
  guint head;                 /* FIFO: items before it are popped */
} LsQueue;

static void
queue_finalize (LsObject *self)
{
  LsQueue *q = (LsQueue *) self;
  LsFuture *fut;

  while ((fut = g_queue_pop_head (&q->getters)))
    ls_object_unref (fut);
  while ((fut = g_queue_pop_head (&q->putters)))
    ls_object_unref (fut);
  for (guint i = q->head; i < q->items->len; i++)
    ls_value_unref (g_array_index (q->items, LsValue, i));
  g_array_free (q->items, TRUE);
  ls_value_unref (q->finished);
  if (q->loop)
    ls_loop_unref (q->loop);
}

/* Queue._format */
static char *
queue_format (LsQueue *q)
{
  GString *s = g_string_new (NULL);
  guint ng = g_queue_get_length (&q->getters), np = g_queue_get_length (&q->putters);

  g_string_append_printf (s, "maxsize=%" G_GINT64_FORMAT, q->maxsize);
  if (q->items->len > q->head)
    {
      LsValue list = ls_list_new ();
      char *r;
      for (guint i = q->head; i < q->items->len; i++)
        ls_list_append (list, ls_value_ref (g_array_index (q->items, LsValue, i)));
      r = ls_value_repr (list);
      g_string_append_printf (s, " _queue=%s", r);
      g_free (r);
      ls_value_unref (list);
    }
  if (ng)
    g_string_append_printf (s, " _getters[%u]", ng);
  if (np)
    g_string_append_printf (s, " _putters[%u]", np);
  if (q->unfinished_tasks)
    g_string_append_printf (s, " tasks=%" G_GINT64_FORMAT, q->unfinished_tasks);
  return g_string_free (s, FALSE);
}

/* Queue.__repr__ */
static char *
queue_repr (LsObject *self)
{
  char *f = queue_format ((LsQueue *) self);
  char *out = g_strdup_printf ("<%s at %p %s>", self->cls->name, (void *) self, f);
  g_free (f);
  return out;
}

/* Queue.__str__ */
static char *
queue_str (LsObject *self)
{
  char *f = queue_format ((LsQueue *) self);
  char *out = g_strdup_printf ("<%s %s>", self->cls->name, f);
  g_free (f);
  return out;
}

const LsClass ls_queue_class = {
  .name = "Queue",
  .finalize = queue_finalize,
  .repr = queue_repr,
  .str = queue_str,
  .size = sizeof (LsQueue),
};

static const LsClass lifo_queue_class = {
  .name = "LifoQueue",
  .base = &ls_queue_class,
  .finalize = queue_finalize,
  .repr = queue_repr,
  .str = queue_str,
  .size = sizeof (LsQueue),
};

static const LsClass priority_queue_class = {
  .name = "PriorityQueue",
  .base = &ls_queue_class,
  .finalize = queue_finalize,
  .repr = queue_repr,
  .str = queue_str,
  .size = sizeof (LsQueue),
};

/* Queue.__init__ and _init */
LsValue
ls_queue_new (gint64 maxsize, LsQueueKind kind)
{
  const LsClass *cls = kind == LS_QUEUE_LIFO ? &lifo_queue_class
    : kind == LS_QUEUE_PRIORITY ? &priority_queue_class : &ls_queue_class;
  LsQueue *q = ls_object_alloc (cls, sizeof (LsQueue));

  q->kind = kind;
  q->maxsize = maxsize;
  g_queue_init (&q->getters);
  g_queue_init (&q->putters);
  q->finished = ls_event_new ();
  ls_event_set (q->finished);
  q->items = g_array_new (FALSE, FALSE, sizeof (LsValue));
  return ls_object (q);
}

static LsQueue *
as_queue (LsValue v)
{
  return ls_value_is (v, &ls_queue_class) ? ls_value_object (v) : NULL;
}

static LsValue
not_a_queue (LsValue v)
{
  return ls_exc_newf (&ls_exc_TypeError, "expected Queue, got '%s'", ls_value_class (v)->name);
}

/* _LoopBoundMixin._get_loop */
static gboolean
queue_get_loop (LsQueue *q, LsLoop **loop, LsValue *error)
{
  LsLoop *running = ls_loop_get_running ();

  if (!running)
    {
      *error = ls_exc_newf (&ls_exc_RuntimeError, "no running event loop");
      return FALSE;
    }
  if (!q->loop)
    q->loop = ls_loop_ref (running);
  if (running != q->loop)
    {
      char *r = ls_value_repr (ls_object (q));
      *error = ls_exc_newf (&ls_exc_RuntimeError, "%s is bound to a different event loop", r);
      g_free (r);
      return FALSE;
    }
  *loop = running;
  return TRUE;
}

/* Queue.qsize */
static gint64
queue_qsize (LsQueue *q)
{
  return q->items->len - q->head;
}

/* Queue.full */
static gboolean
queue_full (LsQueue *q)
{
  if (q->maxsize <= 0)
    return FALSE;
  return queue_qsize (q) >= q->maxsize;
}

/* Queue._put / LifoQueue._put / PriorityQueue._put; takes item. */
static gboolean
queue_put_item (LsQueue *q, LsValue item, LsValue *error)
{
  if (q->kind == LS_QUEUE_PRIORITY)
    return heap_push (q->items, item, error);
  g_array_append_val (q->items, item);
  return TRUE;
}

/* Queue._get / LifoQueue._get / PriorityQueue._get on a non-empty queue. */
static gboolean
queue_get_item (LsQueue *q, LsValue *out)
{
  switch (q->kind)
    {
    case LS_QUEUE_FIFO:
      /* deque.popleft, as a moving head; the array is compacted now and
       * then so that a long-lived queue does not grow without bound. */
      *out = g_array_index (q->items, LsValue, q->head);
      q->head++;
      if (q->head == q->items->len)
        {
          g_array_set_size (q->items, 0);
          q->head = 0;
        }
      else if (q->head >= 32 && q->head * 2 >= q->items->len)
        {
          g_array_remove_range (q->items, 0, q->head);
          q->head = 0;
        }
      return TRUE;
    case LS_QUEUE_LIFO:
      *out = g_array_index (q->items, LsValue, q->items->len - 1);
      g_array_set_size (q->items, q->items->len - 1);
      return TRUE;
    case LS_QUEUE_PRIORITY:
      return heap_pop (q->items, out);
    default:
      g_assert_not_reached ();
    }
}

/* Queue._wakeup_next: wake up the next waiter (if any) that isn't
 * cancelled. */
static void
queue_wakeup_next (GQueue *waiters)
{
  LsFuture *waiter;
  LsValue err;

  while ((waiter = g_queue_pop_head (waiters)))
    {
      gboolean done = ls_future_done (waiter);
      if (!done && !ls_future_set_result (waiter, ls_none (), &err))
        ls_value_unref (err);
      ls_object_unref (waiter);
      if (!done)
        break;
    }
}

gint64
ls_queue_qsize (LsValue q)
{
  LsQueue *queue = as_queue (q);
  return queue ? queue_qsize (queue) : 0;
}

/* Queue.empty */
gboolean
ls_queue_empty (LsValue q)
{
  LsQueue *queue = as_queue (q);
  return !queue || queue_qsize (queue) == 0;
}

gint64
ls_queue_maxsize (LsValue q)
{
  LsQueue *queue = as_queue (q);
  return queue ? queue->maxsize : 0;
}

gboolean
ls_queue_full (LsValue q)
{
  LsQueue *queue = as_queue (q);
  return queue && queue_full (queue);
}

/* Queue.put_nowait */
gboolean
ls_queue_put_nowait (LsValue q, LsValue item, LsValue *error)
{
  LsQueue *queue = as_queue (q);

  if (!queue)
    {
      *error = not_a_queue (q);
      return FALSE;
    }
  if (queue_full (queue))
    {
      *error = ls_exc_new (&ls_exc_QueueFull, 0, NULL);
      return FALSE;
    }
  if (!queue_put_item (queue, ls_value_ref (item), error))
    return FALSE;
  queue->unfinished_tasks++;
  ls_event_clear (queue->finished);
  queue_wakeup_next (&queue->getters);
  return TRUE;
}

/* Queue.get_nowait */
gboolean
ls_queue_get_nowait (LsValue q, LsValue *out)
{
  LsQueue *queue = as_queue (q);

  if (!queue)
    {
      *out = not_a_queue (q);
      return FALSE;
    }
  if (queue_qsize (queue) == 0)
    {
      *out = ls_exc_new (&ls_exc_QueueEmpty, 0, NULL);
      return FALSE;
    }
  if (!queue_get_item (queue, out))
    return FALSE;
  queue_wakeup_next (&queue->putters);
  return TRUE;
}

/* Queue.task_done */
gboolean
ls_queue_task_done (LsValue q, LsValue *error)
{
  LsQueue *queue = as_queue (q);

  if (!queue)
    {
      *error = not_a_queue (q);
      return FALSE;
    }
  if (queue->unfinished_tasks <= 0)
    {
      *error = ls_exc_newf (&ls_exc_ValueError, "task_done() called too many times");
      return FALSE;
    }
  queue->unfinished_tasks--;
  if (queue->unfinished_tasks == 0)
    ls_event_set (queue->finished);
  return TRUE;
}

/* Queue.put's and Queue.get's loops are not entered when there is room
 * or an item: they come down to put_nowait and get_nowait. */
gboolean
ls_queue_put_now (LsValue q, LsValue item)
{
  LsQueue *queue = as_queue (q);
  LsValue error;

  if (!queue || queue->kind == LS_QUEUE_PRIORITY || queue_full (queue))
    return FALSE;
  if (!ls_queue_put_nowait (q, item, &error))
    g_assert_not_reached ();    /* a FIFO or LIFO queue with room takes anything */
  return TRUE;
}

gboolean
ls_queue_get_now (LsValue q, LsValue *out)
{
  LsQueue *queue = as_queue (q);

  if (!queue || queue->kind == LS_QUEUE_PRIORITY || queue_qsize (queue) == 0)
    return FALSE;
  return ls_queue_get_nowait (q, out);
}

/* ---- the coroutines ------------------------------------------------------------ */

typedef struct {
  LsValue q;
  LsValue item;       /* put */
  LsValue waiter;     /* the putter or getter being awaited */
} QueueCoState;

/* The locals live in the coroutine's own block (ls_ccoro_new_inline):
 * busy producers and consumers make one of these per item. */
static void
queue_co_state_clear (gpointer p)
{
  QueueCoState *s = p;
  ls_value_unref (s->q);
  ls_value_unref (s->item);
  ls_value_unref (s->waiter);
}

static LsValue
queue_coroutine (const char *name, LsCCoroFn fn, LsValue q, QueueCoState **state)
{
  LsValue co = ls_ccoro_new_inline (name, fn, sizeof (QueueCoState), queue_co_state_clear,
                                    (gpointer *) state);
  (*state)->q = ls_value_ref (q);
  return co;
}

/* The `except:` around `await putter` / `await getter`: the waiter is
 * cancelled and forgotten, and a wakeup it was given but cannot use goes
 * to the next in line. */
static void
abandon_waiter (LsQueue *q, GQueue *waiters, LsValue waiter, gboolean (*ready) (LsQueue *))
{
  LsFuture *fut = ls_future_from (waiter);

  ls_future_cancel (fut, ls_none ());     /* Just in case it is not done yet. */
  if (g_queue_remove (waiters, fut))
    ls_object_unref (fut);
  if (ready (q) && !ls_future_cancelled (fut))
    queue_wakeup_next (waiters);
}

static gboolean
queue_not_full (LsQueue *q)
{
  return !queue_full (q);
}

static gboolean
queue_not_empty (LsQueue *q)
{
  return queue_qsize (q) > 0;
}

/* The loop that Queue.put and Queue.get share: `while <blocked>: waiter =
 * create_future(); waiters.append(waiter); await waiter`, with the cleanup
 * of a cancelled waiter.  Returns LS_CCORO_AWAIT (to wait again) or
 * LS_CCORO_RAISE with *out set, or LS_CCORO_RETURN when it may proceed. */
static LsCCoroAction
queue_wait_while (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out, LsQueue *q,
                  GQueue *waiters, gboolean (*ready) (LsQueue *), const char *label)
{
  QueueCoState *s = co->data;
  LsLoop *loop;

  if (co->pc == 1)
    {
      if (thrown)
        {
          abandon_waiter (q, waiters, s->waiter, ready);
          return ls_ccoro_pass (in, thrown, out);
        }
      ls_value_set (&s->waiter, ls_none ());
    }
  else if (thrown)
    return ls_ccoro_pass (in, thrown, out);

  if (ready (q))
    return LS_CCORO_RETURN;
  if (!queue_get_loop (q, &loop, out))
    return LS_CCORO_RAISE;
  s->waiter = ls_future_new_labeled (loop, label);
  g_queue_push_tail (waiters, ls_object_ref (ls_value_as_object (s->waiter)));
  return ls_ccoro_await (co, 1, out, ls_value_ref (s->waiter));
}

/* Queue.put */
static LsCCoroAction
queue_put_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  QueueCoState *s = co->data;
  LsQueue *q = as_queue (s->q);
  LsCCoroAction action;

  if (!q)
    return ls_ccoro_raise (out, not_a_queue (s->q));   /* misuse */
  action = queue_wait_while (co, in, thrown, out, q, &q->putters, queue_not_full, "queue-put");
  if (action != LS_CCORO_RETURN)
    return action;
  if (!ls_queue_put_nowait (s->q, s->item, out))
    return LS_CCORO_RAISE;
  return ls_ccoro_return (out, ls_none ());
}

LsValue
ls_queue_put (LsValue q, LsValue item)
{
  QueueCoState *s;
  LsValue co = queue_coroutine ("Queue.put", queue_put_step, q, &s);
  s->item = ls_value_ref (item);
  return co;
}

/* Queue.get */
static LsCCoroAction
queue_get_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  QueueCoState *s = co->data;
  LsQueue *q = as_queue (s->q);
  LsCCoroAction action;

  if (!q)
    return ls_ccoro_raise (out, not_a_queue (s->q));   /* misuse */
  action = queue_wait_while (co, in, thrown, out, q, &q->getters, queue_not_empty, "queue-get");
  if (action != LS_CCORO_RETURN)
    return action;
  if (!ls_queue_get_nowait (s->q, out))
    return LS_CCORO_RAISE;
  return LS_CCORO_RETURN;
}

LsValue
ls_queue_get (LsValue q)
{
  QueueCoState *s;
  LsValue co = queue_coroutine ("Queue.get", queue_get_step, q, &s);
  return co;
}

/* Queue.join */
static LsCCoroAction
queue_join_step (LsCCoro *co, LsValue in, gboolean thrown, LsValue *out)
{
  QueueCoState *s = co->data;
  LsQueue *q = as_queue (s->q);

  if (!q)
    return ls_ccoro_raise (out, not_a_queue (s->q));   /* misuse */
  if (thrown)
    return ls_ccoro_pass (in, thrown, out);
  if (co->pc == 0 && q->unfinished_tasks > 0)
    return ls_ccoro_await (co, 1, out, ls_event_wait (q->finished));
  return ls_ccoro_return (out, ls_none ());
}

LsValue
ls_queue_join (LsValue q)
{
  QueueCoState *s;
  LsValue co = queue_coroutine ("Queue.join", queue_join_step, q, &s);
  return co;
}
