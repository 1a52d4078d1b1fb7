/* ls-greenlet-private.h - what ls-greenlet.c, ls-gevent.c and ls-gevent-sync.c share.
 *
 * The objects (greenlets, the hub's callbacks and timers, blockers and
 * links, gevent's synchronisation objects) and the functions one of the
 * three files defines for the others, each prefixed by its file:
 * _ls_gl_ (ls-greenlet.c), _ls_gev_ (ls-gevent.c), _ls_gsync_
 * (ls-gevent-sync.c).
 *
 * Greenlets print with fake addresses: 0x7f0000000000 plus 0x100 times
 * their number (the main greenlet 0, then 1, 2, ... in creation order,
 * the hub included), so that outputs are the same on every run.
 */
#ifndef LS_GREENLET_PRIVATE_H
#define LS_GREENLET_PRIVATE_H

#include "ls-vm-private.h"
#include "ls-asyncio.h"

#define FAKE_ADDRESS(number) (G_GUINT64_CONSTANT (0x7f0000000000) + 0x100 * (guint64) (number))

/* ---- objects -------------------------------------------------------------------------- */

typedef struct _LsGreenlet LsGreenlet;
typedef struct _Blocker Blocker;
typedef struct _HubItem HubItem;

/* What rawlink() keeps: whom an object tells when it is ready. */
typedef enum {
  LINK_BLOCKER,              /* a greenlet blocked in join/get/wait/acquire */
  LINK_SPAWNED,              /* link(cb): cb runs at once in a new greenlet of the hub */
  LINK_RAW,                  /* rawlink(cb): cb is called in the hub */
  LINK_DISCARD,              /* a Group or Pool forgetting its member */
} LinkKind;

typedef struct {
  LinkKind kind;
  Blocker *blocker;          /* LINK_BLOCKER: strong */
  LsValue callback;          /* the callable; LINK_DISCARD: the group */
  int filter;                /* LINK_SPAWNED: 0 always, 1 if successful, 2 if failed */
} Link;

/* An object others link to (gevent's AbstractLinkable). */
typedef struct {
  GPtrArray *links;          /* Link*, in the order they were made */
  gboolean notifier;         /* a NOTIFY item is on the hub's callbacks */
  gboolean notify_all;       /* FALSE: stop once no longer ready (Semaphore) */
} Links;

struct _LsGreenlet {
  LsObject base;
  LsVm *vm;
  guint64 id;                /* engine id: the greenlet's lane in a trace */
  guint number;              /* creation order: 0 the main greenlet (fake address) */
  guint gevent_number;       /* gevent's Greenlet-N, from 0 */
  LsGreenlet *parent;        /* strong; NULL for the main greenlet */
  LsValue run;               /* the callable, None once started */
  LsValue args;              /* gevent: the arguments of run (tuple), for start and repr */
  LsValue kwargs;            /* gevent: dict or None */
  char *describe;            /* what it runs, as gevent's _formatinfo: "task_1(5)", "boom" */
  gboolean described;        /* gevent: repr() showed describe, which it keeps from then on */
  LsValue link_context;      /* a link(cb)'s greenlet: (cb, the greenlet it tells), else None */
  LsFiber *fiber;            /* NULL for the main greenlet and the hub */
  guint wait_gen;            /* bumped at every switch in: older wake-ups are stale */
  gboolean is_main, is_hub, is_gevent;
  gboolean started, dead;
  gboolean start_scheduled;  /* gevent: its start is on the hub */
  gboolean start_called;     /* gevent: start() was called (_start_event) */
  gboolean finished;         /* gevent: its result is known (_exc_info) */
  Blocker *blocked_on;       /* strong: what it waits for in the hub, or NULL */
  Links links;               /* gevent: who to tell when it finishes */
  /* gevent: what it ended with (value or exception; None until then). */
  LsValue value;
  LsValue exception;
};

typedef enum {
  BLOCK_SLEEP,               /* gevent.sleep(s): the timer delivers None */
  BLOCK_JOIN,                /* Greenlet.join: None */
  BLOCK_GET,                 /* Greenlet.get: its value, or raises its exception */
  BLOCK_MULTI,               /* wait/joinall: the objects ready, in that order */
  BLOCK_KILL,                /* Greenlet.kill(block=True): until _kill ran, then join */
  BLOCK_EVENT,               /* Event.wait: True */
  BLOCK_RESULT,              /* AsyncResult.get: its value or exception */
  BLOCK_RESULT_WAIT,         /* AsyncResult.wait: its value */
  BLOCK_SEM,                 /* Semaphore.acquire: True, the counter taken */
  BLOCK_SEM_WAIT,            /* Semaphore.wait: the counter */
  BLOCK_POOL_ADD,            /* Pool.spawn/add: the counter taken, added, started */
  BLOCK_QGET,                /* Queue.get: the item */
  BLOCK_QPEEK,               /* Queue.peek: the item, left there */
  BLOCK_QPUT,                /* Queue.put: None, the item already put */
} BlockKind;

/* A greenlet blocked in the hub until an object wakes it (or a timeout
 * does).  What it is switched back in with is computed as it is woken,
 * in the hub: it is the result of the call that blocked (a greenlet never
 * re-enters the C function that blocked it), the same as gevent's code
 * computes right after its switch back. */
struct _Blocker {
  guint refs;
  BlockKind kind;
  LsGreenlet *who;           /* strong */
  guint gen;                 /* who->wait_gen when it blocked */
  gboolean active;
  HubItem *timer;            /* its timeout in the timer list, or NULL */
  LsValue tvalue, texc;      /* what the timeout delivers (texc None: tvalue) */
  GPtrArray *objs;           /* LsObject*, strong: where its links (or queue places) are */
  GPtrArray *done;           /* BLOCK_MULTI: the objects ready, strong, in order */
  guint count;               /* BLOCK_MULTI: how many it waits for */
  gboolean raise_error;      /* BLOCK_MULTI: joinall(raise_error=True) */
  gboolean quiet;            /* BLOCK_MULTI: delivers None (kill, killall) */
  gboolean iwait;            /* BLOCK_MULTI: iwait's, told one object at a time */
  gboolean for_loop;         /* QGET: a for loop's next(): StopIteration, the item, is thrown */
  LsValue item;              /* QPUT: the item; POOL_ADD: the greenlet; KILL: the victim */
  LsValue kill_timeout;      /* BLOCK_KILL: join's timeout after the kill (None or float) */
};

typedef enum {
  ITEM_WAKE,                 /* switch to target with payload or exc */
  ITEM_START,                /* start a gevent greenlet */
  ITEM_NOTIFY,               /* tell obj's links, one at a time (_notify_links) */
  ITEM_UNLOCK,               /* a queue's _unlock */
  ITEM_KILL,                 /* _kill: throw into target, then wake the killer */
  ITEM_TIMEOUT,              /* a blocker's timeout */
} ItemKind;

/* A callback or timer of the hub. */
struct _HubItem {
  double deadline;           /* virtual seconds; timers only */
  guint64 seq;               /* creation order: ties of deadlines */
  guint64 id;                /* the timer's engine id (trace), 0 for a callback */
  ItemKind kind;
  LsGreenlet *target;        /* strong */
  guint gen;                 /* target->wait_gen when made (WAKE) */
  LsValue payload;           /* tuple delivered as the switch's value */
  LsValue exc;               /* thrown instead, or None */
  Blocker *blocker;          /* TIMEOUT: whose; KILL: the killer's (strong, or NULL) */
  LsObject *obj;             /* NOTIFY, UNLOCK: the object (strong) */
  LsValue timeout;           /* a gevent.Timeout whose timer this is, or None */
  /* A callback that switches into several greenlets in turn stays first
   * in the queue until it is done (_notify_links, _unlock, _kill). */
  gboolean begun;
  guint remaining;           /* NOTIFY: links left of those there at the start */
  int phase;                 /* UNLOCK: 0 putters, 1 getters; KILL: 0 throw, 1 wake */
  gboolean repeat;           /* UNLOCK: something moved this round */
  GPtrArray *targets;        /* KILL: the greenlets to throw into (strong) */
  gboolean group;            /* KILL: Group.kill, whose joinall waits for their links too */
};

typedef struct {
  LsGreenlet *main;          /* strong */
  LsGreenlet *current;       /* borrowed: main or a greenlet the trampoline holds */
  LsGreenlet *hub;           /* strong, NULL until gevent needs it */
  GPtrArray *all;            /* borrowed: every live greenlet, to free frames at the end */
  guint numbers;             /* greenlets made */
  guint gevent_numbers;
  /* The switch the current greenlet asked for (LS_VM_PENDING_SWITCH). */
  LsGreenlet *req_target;    /* strong */
  LsValue req_args, req_kwargs, req_exc;
  const char *req_why;
  /* The hub. */
  GQueue callbacks;          /* HubItem* */
  GPtrArray *timers;         /* HubItem*, sorted by (deadline, seq) */
  guint due;                 /* the first `due` timers are due: this iteration's batch */
  guint64 item_seq;
  gboolean patched;          /* monkey.patch_all() */
  GHashTable *timeouts;      /* gevent.Timeout exception -> its pending HubItem */
} GlState;

/* The gevent objects greenlets wait on (event.py, queue.py, lock.py,
 * pool.py), defined in ls-gevent-sync.c. */
typedef struct {
  LsObject base;
  LsVm *vm;
  Links links;
  gboolean async_result;     /* AsyncResult, else Event */
  gboolean flag;             /* Event: set; AsyncResult: has a value or exception */
  /* AsyncResult, as gevent keeps _value and _exc_info apart: set() after
   * set_exception() (or the other way round) keeps both, and a value,
   * when there is one, is what get() returns and makes it successful. */
  gboolean has_value;
  LsValue value;             /* None until set() */
  LsValue exception;         /* None, or what get() raises when there is no value */
} GEvent;

typedef struct {
  LsObject base;
  LsVm *vm;
  Links links;
  gint64 counter;
  gint64 initial;
  gboolean bounded;
} GSem;

typedef struct {
  LsObject base;
  LsVm *vm;
  GQueue items;              /* LsValue* boxed */
  gint64 maxsize;            /* -1: unbounded */
  GQueue getters;            /* Blocker*, strong */
  GQueue putters;            /* Blocker*, strong */
  gboolean unlock_scheduled;
  gboolean joinable;
  gint64 unfinished;
  GEvent *cond;              /* JoinableQueue: set when every task is done */
} GQueueObj;

typedef struct {
  LsObject base;
  LsVm *vm;
  GPtrArray *members;        /* LsGreenlet*, strong, in the order added */
  GPtrArray *dying;          /* LsGreenlet*, borrowed from members: killed, not yet gone */
  GEvent *empty;             /* set while members is empty */
  GSem *sem;                 /* Pool: its size; Group: NULL */
  gint64 size;               /* Pool: -1 for None */
} GPool;

/* ---- ls-greenlet.c ---- */

extern LsExcType _ls_gl_exc_GreenletExit;
extern const LsClass _ls_gl_gevent_greenlet_class;
extern const LsClass _ls_gl_greenlet_class;
GlState *_ls_gl_state (LsVm *vm);
LsGreenlet *_ls_gl_greenlet_alloc (LsVm *vm, GlState *st, const LsClass *cls, LsGreenlet *parent, LsValue run,
                                   const char *name, const char *describe);
LsValue _ls_gl_args_tuple (const LsValue *args, guint nargs);
LsValue _ls_gl_greenlet_type_new (LsVm *vm, gboolean gevent);
LsValue _ls_gl_kwargs_dict (LsValue kwnames, const LsValue *kwvalues, LsValue *error, gboolean *ok);
LsVm *_ls_gl_vm_of (gpointer data);
char *_ls_gl_describe_call (LsValue run, LsValue args, LsValue kwargs);
char *_ls_gl_describe_call_as (LsValue run, LsValue args, LsValue kwargs, gboolean gevent);
char *_ls_gl_func_name (LsValue run);
char *_ls_gl_greenlet_repr (LsObject *self);
gboolean _ls_gl_exception_from_args (const LsValue *args, guint nargs, const LsExcType *dflt, LsValue *out);
gboolean _ls_gl_switch (LsVm *vm, LsGreenlet *target, LsValue args, LsValue kwargs, LsValue exc, const char *why,
                        LsValue *result);

/* ---- ls-gevent.c ---- */

extern LsExcType _ls_gev_exc_Timeout;
Blocker *_ls_gev_blocker_new (GlState *st, BlockKind kind);
Blocker *_ls_gev_blocker_ref (Blocker *b);
GlState *_ls_gev_hub_state (LsVm *vm);
HubItem *_ls_gev_item_new (GlState *st, ItemKind kind, LsGreenlet *target, LsValue payload, LsValue exc);
LsValue _ls_gev_timeout_new (double seconds);
gboolean _ls_gev_blocker_live (Blocker *b);
gboolean _ls_gev_blocker_wait (LsVm *vm, GlState *st, Blocker *b, const char *why, LsValue *result);
gboolean _ls_gev_get_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                             LsValue kwnames, const LsValue *kwvalues, LsValue *result);
gboolean _ls_gev_greenlet_getattr (LsGreenlet *g, const char *name, LsValue *out, gboolean *found);
gboolean _ls_gev_greenlet_new (LsVm *vm, const LsValue *args, guint nargs, LsValue kwnames,
                               const LsValue *kwvalues, gboolean start, double delay, LsValue *result);
gboolean _ls_gev_spawn (LsValue self, gpointer data, const LsValue *args, guint nargs,
                        LsValue kwnames, const LsValue *kwvalues, LsValue *result);
gboolean _ls_gev_spawn_later (LsValue self, gpointer data, const LsValue *args, guint nargs,
                              LsValue kwnames, const LsValue *kwvalues, LsValue *result);
gboolean _ls_gev_kill_schedule (LsVm *vm, GlState *st, GPtrArray *targets, LsValue exc, gboolean block, double timeout,
                                gboolean group, LsValue *result);
gboolean _ls_gev_optional_timeout (LsValue v, double *timeout, LsValue *error);
void _ls_gev_add_link (GlState *st, LsObject *o, Link *link);
void _ls_gev_blocker_timeout (LsVm *vm, GlState *st, Blocker *b, double seconds, LsValue value, LsValue exc,
                              const char *what);
void _ls_gev_blocker_unref (Blocker *b);
void _ls_gev_blocker_wake (LsVm *vm, GlState *st, Blocker *b, LsObject *source, LsGreenlet **target, LsValue *args,
                           LsValue *exc);
void _ls_gev_check_and_notify (GlState *st, LsObject *o);
void _ls_gev_on_death (LsVm *vm, GlState *st, LsGreenlet *g, LsCoroStatus how, LsValue out);
void _ls_gev_greenlet_start (GlState *st, LsGreenlet *g);
void _ls_gev_hub_callback (GlState *st, HubItem *it);
void _ls_gev_hub_next (LsVm *vm, GlState *st, LsGreenlet **target, LsValue *args, LsValue *kwargs, LsValue *exc,
                       const char **why);
void _ls_gev_item_free (HubItem *it);
gboolean _ls_gev_timer_remove (GlState *st, HubItem *it);
void _ls_gev_link_blocker (GlState *st, LsObject *o, Blocker *b);
void _ls_gev_link_report_error (LsVm *vm, LsValue context, gboolean spawned, LsValue exc);
void _ls_gev_links_clear (Links *l);
void _ls_gev_links_init (Links *l, gboolean notify_all);

/* ---- ls-gevent-sync.c ---- */

extern const LsClass _ls_gsync_event_class;
extern const LsClass _ls_gsync_pool_class;
extern const LsClass _ls_gsync_queue_class;
extern const LsClass _ls_gsync_sem_class;
extern const LsExcType _ls_gsync_exc_Empty;
extern const LsExcType _ls_gsync_exc_Full;
gboolean _ls_gsync_event_new (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result);
gboolean _ls_gsync_pool_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
                             LsValue kwnames, const LsValue *kwvalues, LsValue *result);
gboolean _ls_gsync_queue_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
                              LsValue kwnames, const LsValue *kwvalues, LsValue *result);
gboolean _ls_gsync_sem_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
                            LsValue kwnames, const LsValue *kwvalues, LsValue *result);
gboolean _ls_gsync_queue_take (GQueueObj *q, gboolean peek, LsValue *item);
gboolean _ls_gsync_unlock_step (LsVm *vm, GlState *st, HubItem *it, LsGreenlet **target, LsValue *args, LsValue *exc);
void _ls_gsync_group_discard (GlState *st, GPool *p, LsGreenlet *g);
void _ls_gsync_pool_add_started (GlState *st, GPool *p, LsGreenlet *g);

static inline gboolean
is_greenlet (LsValue v)
{
  return ls_is_object (v) && (ls_value_as_object (v)->cls == &_ls_gl_greenlet_class
                              || ls_value_as_object (v)->cls == &_ls_gl_gevent_greenlet_class);
}

static inline void
emit (LsVm *vm, LsEventKind kind, guint64 task, guint64 future, guint64 other, LsReason reason,
      double value, int line, const char *detail, const char *extra)
{
  LsEvent ev = {
    .kind = kind, .task = task, .future = future, .other = other, .reason = reason,
    .value = value, .line = line, .detail = detail, .extra = extra,
  };
  _ls_vm_emit (vm, &ev);
}

#endif
