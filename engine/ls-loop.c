/* ls-loop.c - the event loop on a virtual clock (base_events.py, events.py).
 *
 * The workload that shaped it: a million tiny task steps, each one a
 * call_soon of a handle that is run on the next iteration, and a hundred
 * thousand timers.  So the ready queue is a ring buffer of handle pointers
 * and the timer heap an array; handles are the only allocation per step.
 *
 * _run_once is followed line by line, including the purge of cancelled
 * timers and the clock-resolution window, because users compare the order
 * in which equal deadlines fire with CPython's.
 */
#include "ls-sched-private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* base_events.py */
#define MIN_SCHEDULED_TIMER_HANDLES 100
#define MIN_CANCELLED_TIMER_HANDLES_FRACTION 0.5
#define MAXIMUM_SELECT_TIMEOUT (24.0 * 3600.0)

static LsLoop *running_loop;

/* ---- events ----------------------------------------------------------- */

static const char *const event_kind_names[] = {
#define LS_EVENT_NAME(id, name) name,
  LS_EVENT_KINDS (LS_EVENT_NAME)
#undef LS_EVENT_NAME
};

static const char *const reason_names[] = {
#define LS_REASON_NAME(id, name) name,
  LS_STEP_REASONS (LS_REASON_NAME)
#undef LS_REASON_NAME
};

const char *
ls_event_kind_name (LsEventKind kind)
{
  g_return_val_if_fail (kind < LS_EVENT_N_KINDS, "?");
  return event_kind_names[kind];
}

const char *
ls_reason_name (LsReason reason)
{
  g_return_val_if_fail (reason < LS_REASON_N, "?");
  return reason_names[reason];
}

void
_ls_loop_emit (LsLoop *loop, LsEventKind kind, guint64 task, guint64 future,
               guint64 other, LsReason reason, double value, int line,
               const char *detail)
{
  LsEvent ev;

  if (!loop->observer)
    return;
  ev.seq = ++*loop->seq_source;
  ev.time = loop->now;
  ev.kind = kind;
  ev.task = task;
  ev.future = future;
  ev.other = other;
  ev.reason = reason;
  ev.value = value;
  ev.line = line;
  ev.detail = detail;
  ev.extra = NULL;
  loop->observer (&ev, loop->observer_data);
}

void
_ls_loop_emit_event (LsLoop *loop, LsEvent *ev)
{
  if (!loop->observer)
    return;
  ev->seq = ++*loop->seq_source;
  ev->time = loop->now;
  loop->observer (ev, loop->observer_data);
}

/* ---- callbacks --------------------------------------------------------- */

gboolean
ls_callback_call (const LsCallback *cb, const LsValue *args, guint nargs, LsValue *result)
{
  if (cb->method)
    return cb->method->fn (cb->target, args, nargs, result);
  return ls_call (cb->target, args, nargs, result);
}

gboolean
ls_callback_equal (const LsCallback *a, const LsCallback *b)
{
  if (a->method != b->method)
    return FALSE;
  if (a->method)
    return ls_value_identical (a->target, b->target);
  return ls_value_equal (a->target, b->target);
}

char *
ls_callback_name (const LsCallback *cb)
{
  if (cb->method)
    return g_strdup (cb->method->name);
  return ls_callable_name (cb->target);
}

/* ---- handles ----------------------------------------------------------- */

static void
handle_finalize (LsObject *self)
{
  LsHandle *h = (LsHandle *) self;
  ls_value_unref (h->callback.target);
  for (guint i = 0; i < h->nargs; i++)
    ls_value_unref (ls_handle_args (h)[i]);
  if (h->nargs > G_N_ELEMENTS (h->a.small))
    g_free (h->a.many);
  ls_loop_unref (h->loop);
}

static char *
handle_repr (LsObject *self)
{
  LsHandle *h = (LsHandle *) self;
  char *name = ls_callback_name (&h->callback);
  char *out;

  if (h->is_timer)
    {
      char when[G_ASCII_DTOSTR_BUF_SIZE];
      ls_float_repr (h->when, when);
      out = g_strdup_printf ("<TimerHandle %swhen=%s %s()>",
                             h->cancelled ? "cancelled " : "", when, name);
    }
  else
    out = g_strdup_printf ("<Handle %s%s()>", h->cancelled ? "cancelled " : "", name);
  g_free (name);
  return out;
}

const LsClass ls_handle_class = {
  .name = "Handle",
  .finalize = handle_finalize,
  .repr = handle_repr,
  .size = sizeof (LsHandle),
};

const LsClass ls_timer_handle_class = {
  .name = "TimerHandle",
  .base = &ls_handle_class,
  .finalize = handle_finalize,
  .repr = handle_repr,
  .size = sizeof (LsHandle),
};

static LsHandle *
handle_new (LsLoop *loop, gboolean timer, LsCallback cb, guint nargs, const LsValue *args)
{
  LsHandle *h = ls_object_alloc (timer ? &ls_timer_handle_class : &ls_handle_class,
                                 sizeof (LsHandle));
  h->loop = ls_loop_ref (loop);
  h->callback = cb;
  h->nargs = nargs;
  if (nargs > G_N_ELEMENTS (h->a.small))
    h->a.many = g_new (LsValue, nargs);
  if (nargs)
    memcpy (ls_handle_args (h), args, nargs * sizeof (LsValue));
  h->is_timer = timer;
  h->id = _ls_loop_next_id (loop);
  return h;
}

/* Handle.cancel / TimerHandle.cancel (events.py) */
void
ls_handle_cancel (LsHandle *h)
{
  g_return_if_fail (h != NULL);
  if (h->cancelled)
    return;
  if (h->is_timer)
    {
      /* BaseEventLoop._timer_handle_cancelled.  Only a timer still in the
       * heap is reported: sleep() cancels its timer after it fired too. */
      if (h->scheduled)
        {
          h->loop->timer_cancelled_count++;
          _ls_loop_emit (h->loop, LS_EVENT_TIMER_CANCELLED, _ls_loop_current_task_id (h->loop),
                         h->id, 0, LS_REASON_NONE, h->when, 0, NULL);
        }
    }
  h->cancelled = TRUE;
  /* Drop what the callback holds now, as Handle.cancel does. */
  ls_value_set (&h->callback.target, ls_none ());
  h->callback.method = NULL;
  for (guint i = 0; i < h->nargs; i++)
    ls_value_set (&ls_handle_args (h)[i], ls_none ());
}

gboolean
ls_handle_cancelled (LsHandle *h)
{
  return h->cancelled;
}

/* Handle._run: a callback that raises is reported, never propagated. */
static void
handle_run (LsLoop *loop, LsHandle *h)
{
  LsValue result;
  guint64 outer = loop->running_handle;

  if (_ls_loop_observed (loop) && !h->callback.method)
    {
      char *name = ls_callback_name (&h->callback);
      _ls_loop_emit (loop, LS_EVENT_CALLBACK_RUN, 0, h->id, 0, LS_REASON_NONE, 0, 0, name);
      g_free (name);
    }
  loop->running_handle = h->id;
  if (ls_callback_call (&h->callback, ls_handle_args (h), h->nargs, &result))
    ls_value_unref (result);
  else
    {
      char *name = ls_callback_name (&h->callback);
      char *msg = g_strdup_printf ("Exception in callback %s()", name);
      _ls_loop_report_exception (loop, msg, result);
      ls_value_unref (result);
      g_free (msg);
      g_free (name);
    }
  loop->running_handle = outer;
}

/* ---- the ready queue: a ring buffer ------------------------------------ */

static void
ready_push (LsLoop *loop, LsHandle *h)
{
  if (loop->ready_len == loop->ready_cap)
    {
      guint cap = loop->ready_cap ? loop->ready_cap * 2 : 64;
      LsHandle **items = g_new (LsHandle *, cap);
      for (guint i = 0; i < loop->ready_len; i++)
        items[i] = loop->ready[(loop->ready_head + i) & (loop->ready_cap - 1)];
      g_free (loop->ready);
      loop->ready = items;
      loop->ready_head = 0;
      loop->ready_cap = cap;
    }
  loop->ready[(loop->ready_head + loop->ready_len) & (loop->ready_cap - 1)] = h;
  loop->ready_len++;
}

static LsHandle *
ready_pop (LsLoop *loop)
{
  LsHandle *h = loop->ready[loop->ready_head];
  loop->ready_head = (loop->ready_head + 1) & (loop->ready_cap - 1);
  loop->ready_len--;
  return h;
}

/* ---- the timer heap: Python's heapq, sift for sift ----------------------- */

#define HEAP(loop) ((LsHandle **) (loop)->scheduled->pdata)

/* heapq._siftdown: moves the item at pos up towards startpos. */
static void
heap_siftdown (LsHandle **heap, guint startpos, guint pos)
{
  LsHandle *newitem = heap[pos];
  while (pos > startpos)
    {
      guint parentpos = (pos - 1) >> 1;
      LsHandle *parent = heap[parentpos];
      if (newitem->when < parent->when)
        {
          heap[pos] = parent;
          pos = parentpos;
          continue;
        }
      break;
    }
  heap[pos] = newitem;
}

/* heapq._siftup: bubbles the smaller child up to a leaf, then sifts the
 * item down into place (Floyd's trick, as CPython does it). */
static void
heap_siftup (LsHandle **heap, guint endpos, guint pos)
{
  guint startpos = pos;
  LsHandle *newitem = heap[pos];
  guint childpos = 2 * pos + 1;

  while (childpos < endpos)
    {
      guint rightpos = childpos + 1;
      if (rightpos < endpos && !(heap[childpos]->when < heap[rightpos]->when))
        childpos = rightpos;
      heap[pos] = heap[childpos];
      pos = childpos;
      childpos = 2 * pos + 1;
    }
  heap[pos] = newitem;
  heap_siftdown (heap, startpos, pos);
}

static void
heap_push (LsLoop *loop, LsHandle *h)
{
  g_ptr_array_add (loop->scheduled, h);
  heap_siftdown (HEAP (loop), 0, loop->scheduled->len - 1);
}

static LsHandle *
heap_pop (LsLoop *loop)
{
  GPtrArray *a = loop->scheduled;
  LsHandle *last = g_ptr_array_steal_index (a, a->len - 1);
  LsHandle *top;

  if (a->len == 0)
    return last;
  top = HEAP (loop)[0];
  HEAP (loop)[0] = last;
  heap_siftup (HEAP (loop), a->len, 0);
  return top;
}

static void
heap_heapify (LsLoop *loop)
{
  guint n = loop->scheduled->len;
  for (guint i = n / 2; i-- > 0;)
    heap_siftup (HEAP (loop), n, i);
}

/* ---- the loop object ----------------------------------------------------- */

static void
loop_finalize (LsObject *self)
{
  LsLoop *loop = (LsLoop *) self;
  g_free (loop->ready);
  g_ptr_array_free (loop->scheduled, TRUE);
  g_free (loop->deadlock_report);
  ls_value_unref (loop->stop_error);
}

static char *
loop_repr (LsObject *self)
{
  LsLoop *loop = (LsLoop *) self;
  return g_strdup_printf ("<_UnixSelectorEventLoop running=%s closed=%s debug=False>",
                          loop->running ? "True" : "False", loop->closed ? "True" : "False");
}

static const LsClass ls_loop_class = {
  .name = "_UnixSelectorEventLoop",
  .finalize = loop_finalize,
  .repr = loop_repr,
};

static void
default_output (LsLoop *loop, gboolean is_stderr, const char *text, gpointer user_data)
{
  fputs (text, is_stderr ? stderr : stdout);
}

LsLoop *
ls_loop_new (void)
{
  LsLoop *loop = ls_object_alloc (&ls_loop_class, sizeof (LsLoop));
  loop->clock_resolution = 1e-09;
  loop->scheduled = g_ptr_array_new ();
  loop->output = default_output;
  loop->id_source = &loop->next_id;
  loop->seq_source = &loop->seq;
  return loop;
}

void
ls_loop_share_counters (LsLoop *loop, guint64 *ids, guint64 *seq)
{
  g_return_if_fail (ids != NULL && seq != NULL);
  loop->id_source = ids;
  loop->seq_source = seq;
}

LsLoop *
ls_loop_ref (LsLoop *loop)
{
  return ls_object_ref (loop);
}

void
ls_loop_unref (LsLoop *loop)
{
  /* Queued handles and pending tasks point back at the loop: call
   * ls_loop_close() first to break those cycles. */
  ls_object_unref (loop);
}

LsValue
ls_loop_value (LsLoop *loop)
{
  return ls_object (ls_loop_ref (loop));
}

gboolean
ls_is_loop (LsValue v)
{
  return ls_value_is (v, &ls_loop_class);
}

/* Closes the loop.  Queued handles and timers are dropped; tasks still
 * pending have their coroutine closed and their waiter released, as the
 * garbage collector would eventually do in CPython ("Task was destroyed but
 * it is pending!"). */
void
ls_loop_close (LsLoop *loop)
{
  if (loop->closed)
    return;
  loop->closed = TRUE;
  ls_object_ref (loop);

  while (loop->ready_len)
    ls_object_unref (ready_pop (loop));
  for (guint i = 0; i < loop->scheduled->len; i++)
    {
      LsHandle *h = HEAP (loop)[i];
      h->scheduled = FALSE;
      ls_object_unref (h);
    }
  g_ptr_array_set_size (loop->scheduled, 0);

  while (loop->reg_first)
    {
      LsTask *task = loop->reg_first;
      char *name = ls_task_get_name (task);
      char *msg = g_strdup_printf ("Task was destroyed but it is pending! (%s)", name);
      LsFuture *waiter = task->fut_waiter;

      LsEvent ev = {
        .kind = LS_EVENT_WARNING, .task = task->fut.id, .detail = msg,
        .extra = "destroyed-pending",
      };
      _ls_loop_emit_event (loop, &ev);
      g_free (msg);
      g_free (name);
      ls_object_ref (task);
      _ls_loop_unregister_task (loop, task);
      task->fut_waiter = NULL;
      if (waiter)
        {
          /* Break waiter -> callbacks -> task. */
          _ls_future_clear_callbacks (waiter);
          ls_object_unref (waiter);
        }
      ls_coro_close (task->coro);
      ls_value_set (&task->coro, ls_none ());
      ls_object_unref (task);
    }

  if (loop->executor && loop->executor->close)
    loop->executor->close (loop->executor->data);
  if (loop->default_executor_free)
    loop->default_executor_free (loop->default_executor);
  loop->default_executor = NULL;
  loop->default_executor_free = NULL;
  loop->executor = NULL;
  ls_object_unref (loop);
}

void
ls_loop_set_exception_handler (LsLoop *loop, LsExceptionHandlerFn fn, gpointer user_data)
{
  loop->exception_handler = fn;
  loop->exception_handler_data = user_data;
}

void
ls_loop_set_observer (LsLoop *loop, LsObserverFn fn, gpointer user_data)
{
  loop->observer = fn;
  loop->observer_data = user_data;
}

void
ls_loop_set_output (LsLoop *loop, LsOutputFn fn, gpointer user_data)
{
  loop->output = fn ? fn : default_output;
  loop->output_data = fn ? user_data : NULL;
}

double
ls_loop_time (LsLoop *loop)
{
  return loop->now;
}

void
ls_loop_set_time (LsLoop *loop, double now)
{
  g_return_if_fail (!loop->running);
  loop->now = now;
}

void
ls_loop_set_clock_resolution (LsLoop *loop, double resolution)
{
  loop->clock_resolution = resolution;
}

void
ls_loop_set_limits (LsLoop *loop, guint64 max_steps, double max_time)
{
  loop->max_steps = max_steps;
  loop->max_time = max_time;
}

guint64
ls_loop_steps (LsLoop *loop)
{
  return loop->steps;
}

LsLoop *
ls_loop_get_running (void)
{
  return running_loop;
}

void
_ls_loop_set_running (LsLoop *loop)
{
  running_loop = loop;
}

guint
ls_loop_ready_count (LsLoop *loop)
{
  return loop->ready_len;
}

gboolean
ls_loop_is_running (LsLoop *loop)
{
  return loop->running;
}

/* ---- scheduling ---------------------------------------------------------- */

static void
emit_scheduled (LsLoop *loop, LsHandle *h, LsEventKind kind)
{
  char *name;

  if (!_ls_loop_observed (loop))
    return;
  name = ls_callback_name (&h->callback);
  _ls_loop_emit (loop, kind, _ls_loop_current_task_id (loop), h->id, 0,
                 LS_REASON_NONE, h->when, 0, name);
  g_free (name);
}

/* BaseEventLoop._check_closed: CPython raises RuntimeError; the handle is
 * returned cancelled instead, so that a caller never gets NULL, and the
 * refusal is reported. */
static LsHandle *
refuse_closed (LsLoop *loop, LsHandle *h)
{
  char *name = ls_callback_name (&h->callback);
  char *msg = g_strdup_printf ("Event loop is closed: %s() not scheduled", name);
  _ls_loop_emit (loop, LS_EVENT_WARNING, 0, h->id, 0, LS_REASON_NONE, 0, 0, msg);
  g_free (msg);
  g_free (name);
  ls_handle_cancel (h);
  return h;
}

/* BaseEventLoop.call_soon */
LsHandle *
ls_loop_call_soon (LsLoop *loop, LsCallback cb, guint nargs, const LsValue *args)
{
  LsHandle *h = handle_new (loop, FALSE, cb, nargs, args);
  if (G_UNLIKELY (loop->closed))
    return refuse_closed (loop, h);
  ready_push (loop, ls_object_ref (h));
  return h;
}

LsHandle *
ls_loop_call_soon_threadsafe (LsLoop *loop, LsCallback cb, guint nargs, const LsValue *args)
{
  LsHandle *h = ls_loop_call_soon (loop, cb, nargs, args);
  emit_scheduled (loop, h, LS_EVENT_CALLBACK_SCHEDULED);
  return h;
}

/* BaseEventLoop.call_at */
LsHandle *
ls_loop_call_at (LsLoop *loop, double when, LsCallback cb, guint nargs, const LsValue *args)
{
  LsHandle *h = handle_new (loop, TRUE, cb, nargs, args);
  h->when = when;
  if (G_UNLIKELY (loop->closed))
    return refuse_closed (loop, h);
  heap_push (loop, ls_object_ref (h));
  h->scheduled = TRUE;
  emit_scheduled (loop, h, LS_EVENT_TIMER_ADDED);
  return h;
}

/* BaseEventLoop.call_later */
LsHandle *
ls_loop_call_later (LsLoop *loop, double delay, LsCallback cb, guint nargs, const LsValue *args)
{
  return ls_loop_call_at (loop, loop->now + delay, cb, nargs, args);
}

/* ---- running ---------------------------------------------------------------- */

static void
stop_with (LsLoop *loop, LsValue error)
{
  ls_value_set (&loop->stop_error, error);
  loop->stopping = TRUE;
}

static void
report_deadlock (LsLoop *loop)
{
  GString *r = g_string_new (NULL);
  char now[G_ASCII_DTOSTR_BUF_SIZE];
  guint n = 0;

  ls_float_repr (loop->now, now);
  for (LsTask *t = loop->reg_first; t; t = t->reg_next)
    n++;
  g_string_append_printf (r, "deadlock at t=%s: nothing is ready, no timer is pending "
                          "and no worker thread is busy; %u task%s waiting", now, n,
                          n == 1 ? "" : "s");
  for (LsTask *t = loop->reg_first; t; t = t->reg_next)
    {
      char *name = ls_task_get_name (t);
      char *coro = ls_coro_describe (t->coro);
      /* The description says where the coroutine stands ("main()
       * running at x.py:6") when its language knows. */
      g_string_append_printf (r, "\n  %s (%s)", name, coro);
      if (t->fut_waiter)
        {
          LsFuture *w = t->fut_waiter;
          if (ls_is_task (ls_object (w)))
            {
              char *wn = ls_task_get_name ((LsTask *) w);
              g_string_append_printf (r, " waits on task %s", wn);
              g_free (wn);
            }
          else
            g_string_append_printf (r, " waits on %s #%" G_GUINT64_FORMAT, w->label, w->id);
        }
      else
        g_string_append (r, " is not waiting on anything");
      g_free (coro);
      g_free (name);
    }
  g_free (loop->deadlock_report);
  loop->deadlock_report = g_string_free (r, FALSE);
  loop->deadlocked = TRUE;
  _ls_loop_emit (loop, LS_EVENT_DEADLOCK, 0, 0, 0, LS_REASON_NONE, 0, 0, loop->deadlock_report);
  stop_with (loop, ls_exc_newf (&ls_exc_RuntimeError, "%s", loop->deadlock_report));
}

gboolean
ls_loop_deadlocked (LsLoop *loop)
{
  return loop->deadlocked;
}

gboolean
ls_loop_limit_hit (LsLoop *loop)
{
  return loop->limit_hit;
}

const char *
ls_loop_deadlock_report (LsLoop *loop)
{
  return loop->deadlock_report;
}

/* The selector's select(timeout) on the virtual clock: advances time by
 * exactly `timeout`.  Worker threads run meanwhile (the loop thread has
 * released the GIL), event by event in time order; an event that posted a
 * callback with call_soon_threadsafe wakes the loop at that moment, as the
 * self-pipe would, and events at the deadline itself run before the timers
 * due then are queued.  A negative timeout stands for None: wait for a
 * worker to post something, or deadlock when none is busy. */
static gboolean
virtual_select (LsLoop *loop, double timeout)
{
  double start = loop->now;
  double target = timeout < 0 ? INFINITY : loop->now + timeout;
  LsExecutorHooks *ex = loop->executor;

  while (ex)
    {
      double next = ex->next_event (ex->data);
      if (isinf (next) || next > target)
        break;
      if (loop->max_time > 0 && next > loop->max_time)
        {
          /* Past the time limit: _run_once's check stops the loop. */
          loop->now = next;
          return TRUE;
        }
      ex->advance (ex->data, next);
      if (loop->limit_hit && loop->stopping)
        return FALSE;
      if (loop->ready_len)
        {
          /* Woken by a worker. */
          if (loop->now > start)
            _ls_loop_emit (loop, LS_EVENT_CLOCK_ADVANCED, 0, 0, 0, LS_REASON_NONE, loop->now, 0, NULL);
          return TRUE;
        }
    }
  if (timeout < 0)
    {
      report_deadlock (loop);
      return FALSE;
    }
  if (timeout > 0)
    {
      loop->now = target;
      _ls_loop_emit (loop, LS_EVENT_CLOCK_ADVANCED, 0, 0, 0, LS_REASON_NONE, loop->now, 0, NULL);
    }
  return TRUE;
}

/* BaseEventLoop._run_once */
gboolean
ls_loop_run_once (LsLoop *loop)
{
  guint sched_count = loop->scheduled->len;
  double timeout, end_time;
  guint ntodo;

  if (sched_count > MIN_SCHEDULED_TIMER_HANDLES
      && (double) loop->timer_cancelled_count / sched_count > MIN_CANCELLED_TIMER_HANDLES_FRACTION)
    {
      /* Remove delayed calls that were cancelled if their number is too high. */
      GPtrArray *kept = g_ptr_array_sized_new (sched_count);
      for (guint i = 0; i < sched_count; i++)
        {
          LsHandle *h = HEAP (loop)[i];
          if (h->cancelled)
            {
              h->scheduled = FALSE;
              ls_object_unref (h);
            }
          else
            g_ptr_array_add (kept, h);
        }
      g_ptr_array_free (loop->scheduled, TRUE);
      loop->scheduled = kept;
      heap_heapify (loop);
      loop->timer_cancelled_count = 0;
    }
  else
    {
      /* Remove delayed calls that were cancelled from head of queue. */
      while (loop->scheduled->len && HEAP (loop)[0]->cancelled)
        {
          LsHandle *h = heap_pop (loop);
          loop->timer_cancelled_count--;
          h->scheduled = FALSE;
          ls_object_unref (h);
        }
    }

  if (loop->ready_len || loop->stopping)
    timeout = 0;
  else if (loop->scheduled->len)
    {
      double when = HEAP (loop)[0]->when;
      timeout = MIN (MAX (0, when - loop->now), MAXIMUM_SELECT_TIMEOUT);
    }
  else
    timeout = -1;   /* None */

  if (!virtual_select (loop, timeout))
    return FALSE;

  if (loop->max_time > 0 && loop->now > loop->max_time)
    {
      char limit[G_ASCII_DTOSTR_BUF_SIZE];
      ls_float_repr (loop->max_time, limit);
      loop->limit_hit = TRUE;
      stop_with (loop, ls_exc_newf (&ls_exc_RuntimeError,
                                    "limit reached: virtual time passed %s seconds", limit));
      return FALSE;
    }

  /* Handle 'later' callbacks that are ready. */
  end_time = loop->now + loop->clock_resolution;
  while (loop->scheduled->len)
    {
      LsHandle *h = HEAP (loop)[0];
      if (h->when >= end_time)
        break;
      h = heap_pop (loop);
      h->scheduled = FALSE;
      if (_ls_loop_observed (loop) && !h->cancelled)
        _ls_loop_emit (loop, LS_EVENT_TIMER_FIRED, 0, h->id, 0, LS_REASON_NONE, h->when, 0, NULL);
      ready_push (loop, h);
    }

  /* Run the callbacks that were ready at the start of this pass only. */
  ntodo = loop->ready_len;
  for (guint i = 0; i < ntodo; i++)
    {
      LsHandle *h = ready_pop (loop);
      if (!h->cancelled)
        handle_run (loop, h);
      ls_object_unref (h);
      if (loop->max_steps && loop->steps >= loop->max_steps && !loop->stopping)
        {
          loop->limit_hit = TRUE;
          stop_with (loop, ls_exc_newf (&ls_exc_RuntimeError,
                                        "limit reached: %" G_GUINT64_FORMAT " task steps",
                                        loop->max_steps));
          /* The rest of this pass stays queued; the trace shows where. */
          break;
        }
    }
  return TRUE;
}

/* BaseEventLoop._check_closed and _check_running */
static gboolean
check_closed_and_running (LsLoop *loop, LsValue *error)
{
  if (loop->closed || loop->running)
    {
      *error = ls_exc_newf (&ls_exc_RuntimeError, loop->closed
                            ? "Event loop is closed" : "This event loop is already running");
      return FALSE;
    }
  if (running_loop)
    {
      *error = ls_exc_newf (&ls_exc_RuntimeError,
                            "Cannot run the event loop while another loop is running");
      return FALSE;
    }
  return TRUE;
}

/* BaseEventLoop.run_forever */
gboolean
ls_loop_run_forever (LsLoop *loop, LsValue *error)
{
  LsLoop *outer = running_loop;
  gboolean ok = TRUE;

  if (!check_closed_and_running (loop, error))
    return FALSE;
  loop->running = TRUE;
  running_loop = loop;
  ls_value_set (&loop->stop_error, ls_none ());
  for (;;)
    {
      ls_loop_run_once (loop);
      if (loop->stopping)
        break;
    }
  loop->stopping = FALSE;
  loop->running = FALSE;
  running_loop = outer;
  if (!ls_is_none (loop->stop_error))
    {
      *error = ls_value_steal (&loop->stop_error);
      ok = FALSE;
    }
  else
    *error = ls_none ();
  return ok;
}

void
ls_loop_stop (LsLoop *loop)
{
  loop->stopping = TRUE;
}

/* _run_until_complete_cb */
static gboolean
run_until_complete_cb (LsValue self, const LsValue *args, guint nargs, LsValue *result)
{
  LsFuture *fut = ls_future_from (args[0]);
  LsValue exc;

  if (!ls_future_cancelled (fut))
    {
      /* fut.exception() marks the exception as retrieved. */
      ls_future_exception (fut, &exc);
      ls_value_unref (exc);
    }
  ls_loop_stop (fut->loop);
  *result = ls_none ();
  return TRUE;
}

static const LsMethod run_until_complete_method = { "_run_until_complete_cb", run_until_complete_cb };

/* BaseEventLoop.run_until_complete */
gboolean
ls_loop_run_until_complete (LsLoop *loop, LsValue awaitable, LsValue *result)
{
  LsValue fv, error;
  LsFuture *fut;
  LsCallback cb = ls_callback_method (&run_until_complete_method, ls_none ());
  gboolean ok;

  /* Checked before ensure_future: no task is made for a loop that
   * cannot run. */
  if (!check_closed_and_running (loop, result))
    return FALSE;
  if (!ls_ensure_future (loop, ls_value_ref (awaitable), &fv))
    {
      *result = fv;
      return FALSE;
    }
  fut = ls_future_from (fv);
  ls_future_add_done_callback (fut, cb);
  ok = ls_loop_run_forever (loop, &error);
  ls_future_remove_done_callback (fut, &cb);
  if (!ok)
    {
      ls_value_unref (fv);
      *result = error;
      return FALSE;
    }
  if (!ls_future_done (fut))
    {
      ls_value_unref (fv);
      *result = ls_exc_newf (&ls_exc_RuntimeError, "Event loop stopped before Future completed.");
      return FALSE;
    }
  ok = ls_future_result (fut, result);
  ls_value_unref (fv);
  return ok;
}

/* ---- blocking, output, errors ------------------------------------------- */

/* time.sleep(seconds) on the loop's thread: nothing else of the loop runs
 * and its clock moves by exactly `seconds`; worker threads go on meanwhile
 * (their posts are run by a later iteration).  Negative or NaN durations
 * are the caller's ValueError and block nothing. */
void
ls_loop_block (LsLoop *loop, double seconds)
{
  ls_loop_block_at (loop, seconds, 0);
}

void
ls_loop_block_at (LsLoop *loop, double seconds, int line)
{
  double end;

  if (!(seconds >= 0))
    return;
  if (loop->current_worker)
    {
      /* A job sleeps by yielding the seconds; it cannot block the loop. */
      _ls_loop_emit (loop, LS_EVENT_WARNING, 0, 0, loop->current_worker, LS_REASON_NONE, seconds,
                     0, "ls_loop_block() called from a worker thread: a job sleeps by "
                     "yielding the seconds");
      return;
    }
  end = loop->now + seconds;
  if (seconds > 0)
    _ls_loop_emit (loop, LS_EVENT_LOOP_BLOCKED, _ls_loop_current_task_id (loop), 0, 0,
                   LS_REASON_NONE, seconds, line, NULL);
  if (loop->executor)
    loop->executor->advance (loop->executor->data, end);
  loop->now = end;
}

/* Who printed: the worker thread running a job, else the current task. */
static guint64
output_owner (LsLoop *loop)
{
  return loop->current_worker ? loop->current_worker : _ls_loop_current_task_id (loop);
}

void
ls_loop_print_at (LsLoop *loop, gboolean is_stderr, const char *text, int line)
{
  _ls_loop_emit (loop, LS_EVENT_OUTPUT, output_owner (loop), 0, is_stderr ? 1 : 0,
                 LS_REASON_NONE, 0, line, text);
  loop->output (loop, is_stderr, text, loop->output_data);
}

void
ls_loop_print (LsLoop *loop, const char *text)
{
  ls_loop_print_at (loop, FALSE, text, 0);
}

void
ls_loop_print_stderr (LsLoop *loop, const char *text)
{
  ls_loop_print_at (loop, TRUE, text, 0);
}

void
_ls_loop_report_exception (LsLoop *loop, const char *message, LsValue exc)
{
  char *line;

  if (loop->exception_handler)
    {
      _ls_loop_emit (loop, LS_EVENT_WARNING, _ls_loop_current_task_id (loop), 0, 0,
                     LS_REASON_EXCEPTION, 0, 0, message);
      loop->exception_handler (loop, message, NULL, ls_none (), exc, loop->exception_handler_data);
      return;
    }
  line = ls_exc_type (exc) ? ls_exc_format (exc) : ls_value_repr (exc);
  char *text = g_strdup_printf ("%s\n%s\n", message, line);
  _ls_loop_emit (loop, LS_EVENT_WARNING, _ls_loop_current_task_id (loop), 0, 0,
                 LS_REASON_EXCEPTION, 0, 0, text);
  loop->output (loop, TRUE, text, loop->output_data);
  g_free (text);
  g_free (line);
}

/* ---- the registry of pending tasks ------------------------------------------ */

void
_ls_loop_register_task (LsLoop *loop, LsTask *task)
{
  task->reg_prev = loop->reg_last;
  task->reg_next = NULL;
  if (loop->reg_last)
    loop->reg_last->reg_next = task;
  else
    loop->reg_first = task;
  loop->reg_last = task;
  task->registered = TRUE;
  ls_object_ref (task);
}

void
_ls_loop_unregister_task (LsLoop *loop, LsTask *task)
{
  if (!task->registered)
    return;
  if (task->reg_prev)
    task->reg_prev->reg_next = task->reg_next;
  else
    loop->reg_first = task->reg_next;
  if (task->reg_next)
    task->reg_next->reg_prev = task->reg_prev;
  else
    loop->reg_last = task->reg_prev;
  task->reg_prev = task->reg_next = NULL;
  task->registered = FALSE;
  ls_object_unref (task);
}

LsTask *
ls_loop_current_task (LsLoop *loop)
{
  return loop->current_task;
}

LsValue
ls_loop_all_tasks (LsLoop *loop)
{
  LsValue list = ls_list_new ();
  for (LsTask *t = loop->reg_first; t; t = t->reg_next)
    if (!ls_future_done (&t->fut))
      ls_list_append (list, ls_value_ref (ls_object (t)));
  return list;
}
