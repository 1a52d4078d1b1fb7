/* ls-value.h - the one value model shared by the scheduler and the language.
 *
 * Every value a coroutine sends, returns or raises is an LsValue: a small
 * tagged union that holds None, a bool, a machine int, a float, or a
 * reference-counted heap object.  The scheduler only needs a handful of
 * object kinds (strings, tuples, lists, exceptions, callables, futures,
 * tasks, coroutines); the scenario language adds its own kinds by defining
 * more LsClass tables, so nothing here is throwaway.
 *
 * Ownership: an LsValue held in a variable or struct field owns one
 * reference.  Functions that "take" a value consume the caller's reference;
 * functions that "borrow" do not.  ls_value_ref() returns its argument with
 * one more reference, ls_value_unref() drops one.
 *
 * Python exceptions are values (LsException objects), never C errors: an
 * operation that can raise returns FALSE and stores the exception in an
 * out-parameter the caller then owns.
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* For the accessors the interpreter calls for every value it moves: gcc
 * would otherwise outline some of them in its largest function. */
#define LS_INLINE static inline __attribute__ ((always_inline))

typedef struct _LsObject LsObject;
typedef struct _LsClass LsClass;
typedef struct _LsCoroSlots LsCoroSlots;

typedef enum {
  LS_KIND_NONE = 0,
  LS_KIND_BOOL,
  LS_KIND_INT,
  LS_KIND_FLOAT,
  LS_KIND_OBJECT,
} LsKind;

/* A value is eight bytes.  Heap objects are pointers; None, bools, ints
 * that fit in 48 bits and every float are encoded in the same 64 bits, so
 * a task's futures, handles and coroutine frames stay small (Wren and
 * JavaScriptCore do the same).  The encoding, by the top 16 bits:
 *
 *   0x0000  a pointer to an LsObject (8-byte aligned), or one of the
 *           constants None (all zero), False (2) and True (6)
 *   0xffff  an int: the low 48 bits, two's complement
 *   other   a float: its IEEE bits plus 2^49 (NaNs made canonical first),
 *           which moves every double out of the two ranges above
 *
 * All-zero memory is None, so a zeroed struct holds None in each field.
 * An int outside 48 bits is an object of class int (see ls_int()). */
typedef struct {
  guint64 bits;
} LsValue;

#define LS_VALUE_NONE_BITS   G_GUINT64_CONSTANT (0)
#define LS_VALUE_FALSE_BITS  G_GUINT64_CONSTANT (2)
#define LS_VALUE_TRUE_BITS   G_GUINT64_CONSTANT (6)
#define LS_VALUE_INT_TAG     G_GUINT64_CONSTANT (0xffff000000000000)
#define LS_VALUE_DOUBLE_OFFSET (G_GUINT64_CONSTANT (1) << 49)
#define LS_VALUE_INT_MIN     (-(G_GINT64_CONSTANT (1) << 47))
#define LS_VALUE_INT_MAX     ((G_GINT64_CONSTANT (1) << 47) - 1)

/* Every heap object starts with this header.  refcount counts owners; an
 * object with refcount LS_IMMORTAL is static and never freed.  size is the
 * number of bytes ls_object_alloc gave it (0 for static objects). */
struct _LsObject {
  const LsClass *cls;
  gint32 refcount;
  guint32 size;
};

#define LS_IMMORTAL G_MAXINT

typedef gboolean (*LsCallFn) (LsObject *self, const LsValue *args, guint nargs,
                              LsValue *result);

/* A class table: what a kind of object can do.  Slots left NULL take the
 * default (identity equality, "<name object>" repr, not callable). */
struct _LsClass {
  const char *name;             /* Python's type name: "str", "Task", ... */
  const LsClass *base;          /* for isinstance(); NULL for object */
  void (*finalize) (LsObject *self);    /* drop owned references */
  char *(*repr) (LsObject *self);       /* newly allocated UTF-8 */
  char *(*str) (LsObject *self);        /* NULL: same as repr */
  gboolean (*equal) (LsObject *a, LsObject *b);  /* same class only */
  guint (*hash) (LsObject *self);
  LsCallFn call;                /* callable objects */
  const LsCoroSlots *coro;      /* coroutines: see ls-coro.h */
  gsize size;                   /* bytes of an instance, for accounting */
  const struct _LsTypeSlots *ops;  /* what the language can do with it: ls-ops.h */
  /* A call with keyword arguments (see ls_call_kw); NULL: the class takes
   * none.  A class may set only this one: ls_call then passes no keywords. */
  gboolean (*call_kw) (LsObject *self, const LsValue *args, guint nargs,
                       LsValue kwnames, const LsValue *kwvalues, LsValue *result);
};

/* ---- constructors and accessors for immediate values ---------------- */

void ls_object_free_ (LsObject *o);
LsValue ls_int_boxed_ (gint64 i);
gint64 ls_int_unbox_ (LsValue v);
extern const LsClass ls_int_class;

static inline LsValue ls_none (void) { LsValue v = { LS_VALUE_NONE_BITS }; return v; }
static inline LsValue ls_bool (gboolean b) { LsValue v = { b ? LS_VALUE_TRUE_BITS : LS_VALUE_FALSE_BITS }; return v; }

/* Wraps an object, taking the caller's reference. */
static inline LsValue
ls_object (gpointer o)
{
  LsValue v = { (guint64) (guintptr) o };
  return v;
}

/* An int.  One outside 48 bits is boxed: the value then owns a reference
 * like any object value, which ls_value_unref releases. */
static inline LsValue
ls_int (gint64 i)
{
  LsValue v;
  if (i < LS_VALUE_INT_MIN || i > LS_VALUE_INT_MAX)
    return ls_int_boxed_ (i);
  v.bits = LS_VALUE_INT_TAG | ((guint64) i & ~LS_VALUE_INT_TAG);
  return v;
}

static inline LsValue
ls_float (double f)
{
  LsValue v;
  if (f != f)
    f = __builtin_nan ("");          /* one canonical NaN */
  memcpy (&v.bits, &f, sizeof f);
  v.bits += LS_VALUE_DOUBLE_OFFSET;
  return v;
}

static inline gboolean ls_is_none (LsValue v) { return v.bits == LS_VALUE_NONE_BITS; }

/* TRUE for a heap object (boxed ints included). */
LS_INLINE gboolean
ls_is_object (LsValue v)
{
  return (v.bits >> 48) == 0 && (v.bits & 7) == 0 && v.bits != 0;
}

/* The object of an object value; the caller knows it is one. */
LS_INLINE LsObject *
ls_value_as_object (LsValue v)
{
  return (LsObject *) (guintptr) v.bits;
}

static inline LsKind
ls_value_kind (LsValue v)
{
  guint64 top = v.bits >> 48;
  if (top == 0)
    {
      if (v.bits == LS_VALUE_NONE_BITS)
        return LS_KIND_NONE;
      if (v.bits == LS_VALUE_FALSE_BITS || v.bits == LS_VALUE_TRUE_BITS)
        return LS_KIND_BOOL;
      return ls_value_as_object (v)->cls == &ls_int_class ? LS_KIND_INT : LS_KIND_OBJECT;
    }
  return top == 0xffff ? LS_KIND_INT : LS_KIND_FLOAT;
}

static inline gboolean ls_value_as_bool (LsValue v) { return v.bits == LS_VALUE_TRUE_BITS; }

static inline gint64
ls_value_as_int (LsValue v)
{
  if ((v.bits >> 48) != 0xffff)
    return ls_int_unbox_ (v);
  /* Sign-extend the 48-bit payload. */
  return (gint64) (v.bits << 16) >> 16;
}

static inline double
ls_value_as_float (LsValue v)
{
  double f;
  guint64 bits = v.bits - LS_VALUE_DOUBLE_OFFSET;
  memcpy (&f, &bits, sizeof f);
  return f;
}

LS_INLINE LsValue
ls_value_ref (LsValue v)
{
  if (ls_is_object (v) && ls_value_as_object (v)->refcount != LS_IMMORTAL)
    ls_value_as_object (v)->refcount++;
  return v;
}

LS_INLINE void
ls_value_unref (LsValue v)
{
  LsObject *o;
  if (!ls_is_object (v))
    return;
  o = ls_value_as_object (v);
  if (o->refcount != LS_IMMORTAL && --o->refcount == 0)
    ls_object_free_ (o);
}

/* Replaces *slot with v (taking v), dropping the old value. */
static inline void
ls_value_set (LsValue *slot, LsValue v)
{
  LsValue old = *slot;
  *slot = v;
  ls_value_unref (old);
}

/* Moves the value out of *slot, leaving None behind. */
static inline LsValue
ls_value_steal (LsValue *slot)
{
  LsValue v = *slot;
  *slot = ls_none ();
  return v;
}

/* A zeroed object of `size` bytes with one reference.  Small objects come
 * from the engine's pools (see ls-value.c). */
gpointer ls_object_alloc (const LsClass *cls, gsize size);

static inline gpointer
ls_object_ref (gpointer p)
{
  LsObject *o = p;
  if (o && o->refcount != LS_IMMORTAL)
    o->refcount++;
  return o;
}

static inline void
ls_object_unref (gpointer p)
{
  LsObject *o = p;
  if (o && o->refcount != LS_IMMORTAL && --o->refcount == 0)
    ls_object_free_ (o);
}

/* The pools behind ls_object_alloc, for other small engine allocations:
 * ls_pool_free must be given the size that was allocated. */
gpointer ls_pool_alloc (gsize size);
void ls_pool_free (gpointer p, gsize size);

/* The class of any value; immediates have static classes too. */
const LsClass *ls_value_class (LsValue v);
gboolean ls_class_is_subclass (const LsClass *cls, const LsClass *base);
gboolean ls_value_is (LsValue v, const LsClass *cls);   /* isinstance */
static inline gpointer ls_value_object (LsValue v) { return ls_is_object (v) ? ls_value_as_object (v) : NULL; }

gboolean ls_value_identical (LsValue a, LsValue b);      /* Python's `is` */
gboolean ls_value_equal (LsValue a, LsValue b);          /* Python's `==` */
gboolean ls_value_truthy (LsValue v);
char *ls_value_repr (LsValue v);      /* newly allocated, as repr() */
char *ls_value_str (LsValue v);       /* newly allocated, as str() */

/* Writes the shortest string that reads back as d, the way CPython's
 * float.__repr__ does ("1.0", "0.1", "1e+16", "inf", "nan"). */
void ls_float_repr (double d, char buf[G_ASCII_DTOSTR_BUF_SIZE]);

extern const LsClass ls_none_class;
extern const LsClass ls_bool_class;
extern const LsClass ls_int_class;
extern const LsClass ls_float_class;

/* ---- str ------------------------------------------------------------ */

typedef struct {
  LsObject base;
  gsize len;                 /* bytes, not counting the trailing NUL */
  guint64 hash;              /* cached hash(), 0 until computed */
  gboolean ascii;            /* every byte < 0x80: characters are bytes */
  char data[];               /* UTF-8, NUL terminated */
} LsStr;

extern const LsClass ls_str_class;
LsValue ls_str_new (const char *utf8);
LsValue ls_str_new_len (const char *utf8, gsize len);
LsValue ls_str_take (char *utf8);     /* takes a g_malloc'ed string */
LsValue ls_str_printf (const char *fmt, ...) G_GNUC_PRINTF (1, 2);
/* repr() of UTF-8 text as a str, or ascii() when ascii_only. */
char *ls_str_repr_text (const char *data, gsize len, gboolean ascii_only);
/* The string's bytes, or NULL when v is not a str. */
const char *ls_str_get (LsValue v);

/* ---- tuple and list --------------------------------------------------- */

typedef struct {
  LsObject base;
  guint len;
  LsValue items[];
} LsTuple;

typedef struct {
  LsObject base;
  GArray *items;             /* of LsValue, each owned */
} LsList;

extern const LsClass ls_tuple_class;
extern const LsClass ls_list_class;
/* Builds a tuple of n values, taking each of them. */
LsValue ls_tuple_new (guint n, const LsValue *items_taken);
LsValue ls_list_new (void);
void ls_list_append (LsValue list, LsValue item_taken);
guint ls_list_len (LsValue list);
LsValue ls_list_get (LsValue list, guint i);     /* borrowed */

/* ---- callables ---------------------------------------------------------- */

/* A function written in C.  `self` and `data` are bound at creation: the
 * scheduler uses them for the callbacks it schedules (Task.__wakeup bound to
 * its task, gather's _done_callback bound to its state). */
typedef gboolean (*LsBuiltinFn) (LsValue self, gpointer data,
                                 const LsValue *args, guint nargs,
                                 LsValue *result);

/* A C function that also takes keyword arguments, as CPython's vectorcall
 * passes them: kwnames is a tuple of the keywords' names (str) in the order
 * of the call, or None when there are none; kwvalues holds as many values
 * as kwnames has names.  Everything is borrowed. */
typedef gboolean (*LsBuiltinKwFn) (LsValue self, gpointer data,
                                   const LsValue *args, guint nargs,
                                   LsValue kwnames, const LsValue *kwvalues,
                                   LsValue *result);

typedef struct {
  LsObject base;
  const char *name;          /* static: what repr and the trace show */
  LsBuiltinFn fn;
  LsValue self;              /* owned */
  gpointer data;
  GDestroyNotify data_free;
  LsBuiltinKwFn kwfn;        /* instead of fn when it takes keywords */
} LsBuiltin;

extern const LsClass ls_builtin_class;
LsValue ls_builtin_new (const char *name, LsBuiltinFn fn, LsValue self_taken,
                        gpointer data, GDestroyNotify data_free);
gboolean ls_value_callable (LsValue v);
/* Calls v with args (borrowed).  Returns TRUE and the result, or FALSE and
 * the exception raised; both are the caller's to release. */
gboolean ls_call (LsValue callable, const LsValue *args, guint nargs, LsValue *result);
/* A builtin that takes keyword arguments (its fn is NULL). */
LsValue ls_builtin_new_kw (const char *name, LsBuiltinKwFn kwfn, LsValue self_taken,
                           gpointer data, GDestroyNotify data_free);
/* Calls v with positional args and keywords (kwnames a tuple of str or
 * None, kwvalues as many values; all borrowed): ls_call when there are no
 * keywords, else the class's call_kw, else TypeError "f() takes no
 * keyword arguments". */
gboolean ls_call_kw (LsValue callable, const LsValue *args, guint nargs,
                     LsValue kwnames, const LsValue *kwvalues, LsValue *result);
/* A short name for what a callable is, for the trace ("Task.__step"). */
char *ls_callable_name (LsValue callable);

/* ---- exceptions ----------------------------------------------------------- */

/* An exception type is itself an object, so a program can define its own
 * (`class Boom(Exception): pass`) at run time. */
typedef struct _LsExcType LsExcType;
struct _LsExcType {
  LsObject base;
  char *name;
  const LsExcType *parent;   /* NULL only for BaseException */
  const char *module;        /* "asyncio.exceptions", "__main__"; NULL: builtins */
  LsValue parent_ref;        /* keeps a run-time parent alive (None for static types) */
};

typedef struct {
  LsObject base;
  const LsExcType *type;     /* borrowed from a static or owned via type_ref */
  LsValue type_ref;          /* keeps a run-time type alive */
  LsValue args;              /* tuple */
  LsValue cause;             /* __cause__: exception or None */
  LsValue context;           /* __context__: exception or None */
  gboolean suppress_context;
  LsValue exceptions;        /* ExceptionGroup members: tuple, else None */
  char *message;             /* ExceptionGroup's message, else NULL */
  LsValue traceback;         /* list of (filename, line, function) tuples,
                              * outermost first, or None: the language's */
} LsException;

extern const LsClass ls_exc_type_class;
extern const LsClass ls_exception_class;

/* The built-in exception types the scheduler raises. */
extern LsExcType ls_exc_BaseException;
extern LsExcType ls_exc_Exception;
extern LsExcType ls_exc_GeneratorExit;
extern LsExcType ls_exc_StopIteration;
extern LsExcType ls_exc_ArithmeticError;
extern LsExcType ls_exc_ZeroDivisionError;
extern LsExcType ls_exc_RuntimeError;
extern LsExcType ls_exc_TypeError;
extern LsExcType ls_exc_ValueError;
extern LsExcType ls_exc_LookupError;
extern LsExcType ls_exc_KeyError;
extern LsExcType ls_exc_IndexError;
extern LsExcType ls_exc_AttributeError;
extern LsExcType ls_exc_OSError;
extern LsExcType ls_exc_ConnectionError;
extern LsExcType ls_exc_OverflowError;
extern LsExcType ls_exc_TimeoutError;          /* asyncio.TimeoutError is this */
extern LsExcType ls_exc_CancelledError;        /* a BaseException since 3.8 */
extern LsExcType ls_exc_InvalidStateError;
extern LsExcType ls_exc_QueueEmpty;
extern LsExcType ls_exc_QueueFull;
extern LsExcType ls_exc_BaseExceptionGroup;
extern LsExcType ls_exc_ExceptionGroup;

LsValue ls_exc_type_new (const char *name, const LsExcType *parent);
gboolean ls_exc_type_is_subclass (const LsExcType *t, const LsExcType *base);

/* A new exception instance with the given args (taken). */
LsValue ls_exc_new (const LsExcType *type, guint nargs, const LsValue *args_taken);
/* A new exception whose single argument is a formatted message; with a NULL
 * fmt it has no arguments (like `CancelledError()`). */
LsValue ls_exc_newf (const LsExcType *type, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
/* An ExceptionGroup (or BaseExceptionGroup if any member is not an
 * Exception), as the ExceptionGroup constructor decides. */
LsValue ls_exc_group_new (const char *message, guint n, const LsValue *excs_taken);

/* isinstance(v, type) for exceptions. */
gboolean ls_exc_matches (LsValue v, const LsExcType *type);
const LsExcType *ls_exc_type (LsValue v);
/* "TypeName: message" as the last line of a traceback prints it. */
char *ls_exc_format (LsValue v);
/* str(exc): the message alone. */
char *ls_exc_str (LsValue v);

G_END_DECLS
