/* ls-list.c - list, tuple, slice and range as the language sees them, and
 * the iterator objects of the builtins (enumerate, zip, map, filter,
 * reversed).
 *
 * The objects themselves (LsList, LsTuple) are declared in ls-value.h,
 * because the scheduler builds them too; this file gives them their
 * operators, methods and iteration.  Every message is CPython 3.12's, since
 * a program prints what it catches: "list index out of range",
 * "tuple.index(x): x not in tuple", "can only concatenate list (not "int")
 * to list".  Tuples hash exactly like CPython's tuplehash (xxHash lanes),
 * so that a set or dict keyed by tuples of ints iterates in CPython's
 * order.
 */
#include "ls-containers-private.h"

#include <string.h>

/* Repetition ([0] * n, "ab" * n) past this many items is refused as
 * CPython would run out of memory: a scenario has a memory limit anyway. */
#define LS_MAX_SEQ_ITEMS (G_GINT64_CONSTANT (1) << 28)

static LsExcType exc_MemoryError = {
  { &ls_exc_type_class, LS_IMMORTAL, 0 }, (char *) "MemoryError", &ls_exc_Exception
};

static inline GArray *
list_array (LsValue v)
{
  return ((LsList *) ls_value_as_object (v))->items;
}

static inline LsTuple *
as_tuple (LsValue v)
{
  return (LsTuple *) ls_value_as_object (v);
}

static inline gboolean
is_exact (LsValue v, const LsClass *cls)
{
  return ls_is_object (v) && ls_value_as_object (v)->cls == cls;
}

const LsValue *
_ls_seq_items (LsValue v, guint *n)
{
  if (ls_value_is (v, &ls_list_class))
    {
      *n = list_array (v)->len;
      return (const LsValue *) list_array (v)->data;
    }
  if (ls_value_is (v, &ls_tuple_class))
    {
      *n = as_tuple (v)->len;
      return as_tuple (v)->items;
    }
  *n = 0;
  return NULL;
}

LsValue
ls_list_new_from (guint n, const LsValue *items_taken)
{
  LsValue list = ls_list_new ();
  if (n)
    g_array_append_vals (list_array (list), items_taken, n);
  return list;
}

/* A new list or tuple holding references to items. */
static LsValue
seq_new_copy (gboolean is_list, const LsValue *items, guint n)
{
  LsValue *refs = g_new (LsValue, MAX (n, 1));
  LsValue out;

  for (guint i = 0; i < n; i++)
    refs[i] = ls_value_ref (items[i]);
  out = is_list ? ls_list_new_from (n, refs) : ls_tuple_new (n, refs);
  g_free (refs);
  return out;
}

gboolean
_ls_foreach (LsValue iterable, LsEachFn fn, gpointer data, LsValue *error)
{
  LsValue it, item;
  int r;

  if (!ls_op_iter (iterable, &it))
    {
      *error = it;
      return FALSE;
    }
  while ((r = ls_op_next (it, &item)) == 1)
    {
      gboolean ok = fn (item, data, error);
      ls_value_unref (item);
      if (!ok)
        {
          ls_value_unref (it);
          return FALSE;
        }
    }
  ls_value_unref (it);
  if (r < 0)
    {
      *error = item;
      return FALSE;
    }
  ls_value_unref (item);     /* StopIteration's value */
  return TRUE;
}

static gboolean
append_each (LsValue item, gpointer data, LsValue *error)
{
  g_array_append_val ((GArray *) data, item);
  ls_value_ref (item);
  return TRUE;
}

gboolean
_ls_list_from_iterable (LsValue iterable, LsValue *out)
{
  const LsValue *items;
  guint n;
  LsValue list, error;

  items = _ls_seq_items (iterable, &n);
  if (items)
    {
      *out = seq_new_copy (TRUE, items, n);
      return TRUE;
    }
  list = ls_list_new ();
  if (!_ls_foreach (iterable, append_each, list_array (list), &error))
    {
      ls_value_unref (list);
      *out = error;
      return FALSE;
    }
  *out = list;
  return TRUE;
}

gboolean
ls_list_extend (LsValue list, LsValue iterable, LsValue *error)
{
  LsValue items;
  guint n;
  const LsValue *p;

  /* Through a copy, so that a.extend(a) and a += a see the items once. */
  if (!_ls_list_from_iterable (iterable, &items))
    {
      *error = items;
      return FALSE;
    }
  p = _ls_seq_items (items, &n);
  for (guint i = 0; i < n; i++)
    ls_list_append (list, ls_value_ref (p[i]));
  ls_value_unref (items);
  return TRUE;
}

/* ---- slices --------------------------------------------------------------------- */

static void
slice_finalize (LsObject *self)
{
  LsSlice *s = (LsSlice *) self;
  ls_value_unref (s->start);
  ls_value_unref (s->stop);
  ls_value_unref (s->step);
}

static char *
slice_repr (LsObject *self)
{
  LsSlice *s = (LsSlice *) self;
  char *a = ls_value_repr (s->start), *b = ls_value_repr (s->stop), *c = ls_value_repr (s->step);
  char *out = g_strdup_printf ("slice(%s, %s, %s)", a, b, c);
  g_free (a);
  g_free (b);
  g_free (c);
  return out;
}

static gboolean
slice_getattr (LsObject *self, const char *name, LsValue *out)
{
  LsSlice *s = (LsSlice *) self;

  if (strcmp (name, "start") == 0)
    *out = ls_value_ref (s->start);
  else if (strcmp (name, "stop") == 0)
    *out = ls_value_ref (s->stop);
  else if (strcmp (name, "step") == 0)
    *out = ls_value_ref (s->step);
  else
    {
      *out = ls_exc_newf (&ls_exc_AttributeError, "'slice' object has no attribute '%s'", name);
      return FALSE;
    }
  return TRUE;
}

static const LsTypeSlots slice_ops = {
  .getattr = slice_getattr,
};

const LsClass ls_slice_class = {
  .name = "slice",
  .finalize = slice_finalize,
  .repr = slice_repr,
  .ops = &slice_ops,
};

LsValue
ls_slice_new (LsValue start, LsValue stop, LsValue step)
{
  LsSlice *s = ls_object_alloc (&ls_slice_class, sizeof (LsSlice));
  s->start = start;
  s->stop = stop;
  s->step = step;
  return ls_object (s);
}

/* One bound of a slice: None gives def; an int too large for 64 bits is
 * clamped, as _PyEval_SliceIndex clamps to PY_SSIZE_T_MAX. */
static gboolean
slice_bound (LsValue v, gint64 def, gint64 *out, LsValue *error)
{
  if (ls_is_none (v))
    {
      *out = def;
      return TRUE;
    }
  if (ls_value_kind (v) != LS_KIND_INT && ls_value_kind (v) != LS_KIND_BOOL)
    {
      *error = ls_exc_newf (&ls_exc_TypeError,
                            "slice indices must be integers or None or have an __index__ method");
      return FALSE;
    }
  if (!ls_int_fits_int64 (v, out))
    {
      LsValue zero = ls_int (0), lt;
      gboolean neg = FALSE;
      if (ls_op_compare (LS_OP_LT, v, zero, &lt))
        neg = ls_value_truthy (lt);
      ls_value_unref (lt);
      *out = neg ? G_MININT64 + 1 : G_MAXINT64;
    }
  return TRUE;
}

gboolean
_ls_slice_indices (LsValue slice, gint64 len, gint64 *start, gint64 *stop,
                   gint64 *step, gint64 *slicelen, LsValue *error)
{
  LsSlice *s = (LsSlice *) ls_value_as_object (slice);

  /* PySlice_Unpack */
  if (!slice_bound (s->step, 1, step, error))
    return FALSE;
  if (*step == 0)
    {
      *error = ls_exc_newf (&ls_exc_ValueError, "slice step cannot be zero");
      return FALSE;
    }
  if (*step < -G_MAXINT64)
    *step = -G_MAXINT64;
  if (!slice_bound (s->start, *step < 0 ? G_MAXINT64 : 0, start, error)
      || !slice_bound (s->stop, *step < 0 ? G_MININT64 + 1 : G_MAXINT64, stop, error))
    return FALSE;

  /* PySlice_AdjustIndices */
  if (*start < 0)
    {
      *start += len;
      if (*start < 0)
        *start = *step < 0 ? -1 : 0;
    }
  else if (*start >= len)
    *start = *step < 0 ? len - 1 : len;
  if (*stop < 0)
    {
      *stop += len;
      if (*stop < 0)
        *stop = *step < 0 ? -1 : 0;
    }
  else if (*stop >= len)
    *stop = *step < 0 ? len - 1 : len;
  if (*step < 0)
    *slicelen = *stop < *start ? (*start - *stop - 1) / (-*step) + 1 : 0;
  else
    *slicelen = *start < *stop ? (*stop - *start - 1) / *step + 1 : 0;
  return TRUE;
}

/* ---- indices ------------------------------------------------------------------------ */

gboolean
_ls_index_value (LsValue v, gint64 *out, LsValue *error)
{
  *error = ls_none ();
  if (ls_value_kind (v) != LS_KIND_INT && ls_value_kind (v) != LS_KIND_BOOL)
    return FALSE;
  if (ls_value_kind (v) == LS_KIND_BOOL)
    {
      *out = ls_value_as_bool (v);
      return TRUE;
    }
  if (!ls_int_fits_int64 (v, out))
    {
      *error = ls_exc_newf (&ls_exc_IndexError, "cannot fit 'int' into an index-sized integer");
      return FALSE;
    }
  return TRUE;
}

/* An item index of a sequence of n items: negative counts from the end.
 * FALSE and *error None when key is not an int. */
static gboolean
seq_index (LsValue key, gint64 n, gint64 *i, const char *what, LsValue *error)
{
  if (!_ls_index_value (key, i, error))
    return FALSE;
  if (*i < 0)
    *i += n;
  if (*i < 0 || *i >= n)
    {
      *error = ls_exc_newf (&ls_exc_IndexError, "%s out of range", what);
      return FALSE;
    }
  return TRUE;
}

/* ---- list and tuple: shared operations ------------------------------------------------ */

static gboolean
seq_getitem (LsValue self, LsValue key, LsValue *out)
{
  gboolean is_list = ls_value_is (self, &ls_list_class);
  const char *type = is_list ? "list" : "tuple";
  guint n;
  const LsValue *items = _ls_seq_items (self, &n);
  gint64 i, start, stop, step, slicelen;
  LsValue error;

  if (ls_value_is (key, &ls_slice_class))
    {
      LsValue *picked;
      if (!_ls_slice_indices (key, n, &start, &stop, &step, &slicelen, out))
        return FALSE;
      if (!is_list && step == 1 && slicelen == n)
        {
          *out = ls_value_ref (self);    /* t[:] is t, as in CPython */
          return TRUE;
        }
      picked = g_new (LsValue, MAX (slicelen, 1));
      for (gint64 k = 0; k < slicelen; k++)
        picked[k] = ls_value_ref (items[start + k * step]);
      *out = is_list ? ls_list_new_from (slicelen, picked) : ls_tuple_new (slicelen, picked);
      g_free (picked);
      return TRUE;
    }
  if (!seq_index (key, n, &i, is_list ? "list index" : "tuple index", &error))
    {
      if (ls_is_none (error))
        error = ls_exc_newf (&ls_exc_TypeError, "%s indices must be integers or slices, not %s",
                             type, ls_value_class (key)->name);
      *out = error;
      return FALSE;
    }
  *out = ls_value_ref (items[i]);
  return TRUE;
}

static gboolean
seq_len (LsObject *self, gint64 *len, LsValue *error)
{
  guint n;
  _ls_seq_items (ls_object (self), &n);
  *len = n;
  return TRUE;
}

static gboolean
seq_contains (LsObject *self, LsValue item, gboolean *result, LsValue *error)
{
  guint n;
  const LsValue *items = _ls_seq_items (ls_object (self), &n);

  *result = FALSE;
  for (guint i = 0; i < n; i++)
    {
      LsValue it = ls_value_ref (items[i]);
      gboolean ok = _ls_eq (it, item, result, error);
      ls_value_unref (it);
      if (!ok)
        return FALSE;
      if (*result)
        return TRUE;
      items = _ls_seq_items (ls_object (self), &n);   /* __eq__ may have changed a list */
    }
  return TRUE;
}

/* list_richcompare / tuplerichcompare: the first differing items decide. */
static gboolean
seq_compare (LsOp op, LsValue a, LsValue b, LsValue *out)
{
  guint na, nb, i;
  const LsValue *x = _ls_seq_items (a, &na), *y = _ls_seq_items (b, &nb);
  gboolean eq = TRUE;
  gint64 ca, cb;

  if ((op == LS_OP_EQ || op == LS_OP_NE) && na != nb)
    {
      *out = ls_bool (op == LS_OP_NE);
      return TRUE;
    }
  for (i = 0; i < na && i < nb; i++)
    {
      LsValue xi = ls_value_ref (x[i]), yi = ls_value_ref (y[i]);
      gboolean ok = _ls_eq (xi, yi, &eq, out);
      ls_value_unref (xi);
      ls_value_unref (yi);
      if (!ok)
        return FALSE;
      if (!eq)
        break;
      x = _ls_seq_items (a, &na);
      y = _ls_seq_items (b, &nb);
    }
  if (i >= na || i >= nb)
    {
      ca = na;
      cb = nb;
      switch (op)
        {
        case LS_OP_EQ: *out = ls_bool (ca == cb); break;
        case LS_OP_NE: *out = ls_bool (ca != cb); break;
        case LS_OP_LT: *out = ls_bool (ca < cb); break;
        case LS_OP_LE: *out = ls_bool (ca <= cb); break;
        case LS_OP_GT: *out = ls_bool (ca > cb); break;
        default: *out = ls_bool (ca >= cb); break;
        }
      return TRUE;
    }
  if (op == LS_OP_EQ || op == LS_OP_NE)
    {
      *out = ls_bool (op == LS_OP_NE);
      return TRUE;
    }
  {
    LsValue xi = ls_value_ref (x[i]), yi = ls_value_ref (y[i]);
    gboolean ok = ls_op_compare (op, xi, yi, out);
    ls_value_unref (xi);
    ls_value_unref (yi);
    return ok;
  }
}

/* seq * n for a list or tuple. */
static gboolean
seq_repeat (LsValue seq, LsValue count, LsValue *out)
{
  gboolean is_list = ls_value_is (seq, &ls_list_class);
  guint n;
  const LsValue *items = _ls_seq_items (seq, &n);
  gint64 times;
  LsValue error, *all;
  guint total;

  if (!_ls_index_value (count, &times, &error))
    {
      if (ls_is_none (error))
        error = ls_exc_newf (&ls_exc_TypeError, "can't multiply sequence by non-int of type '%s'",
                             ls_value_class (count)->name);
      else
        {
          ls_value_unref (error);
          error = ls_exc_newf (&exc_MemoryError, NULL);
        }
      *out = error;
      return FALSE;
    }
  if (times < 0 || n == 0)
    times = 0;
  if (times > 0 && times > LS_MAX_SEQ_ITEMS / n)
    {
      *out = ls_exc_newf (&exc_MemoryError, NULL);
      return FALSE;
    }
  if (!is_list && times == 1)
    {
      *out = ls_value_ref (seq);
      return TRUE;
    }
  total = (guint) (times * n);
  all = g_new (LsValue, MAX (total, 1));
  for (guint i = 0; i < total; i++)
    all[i] = ls_value_ref (items[i % n]);
  *out = is_list ? ls_list_new_from (total, all) : ls_tuple_new (total, all);
  g_free (all);
  return TRUE;
}

static gboolean
seq_binary (LsOp op, LsValue a, LsValue b, gboolean reflected, LsValue *out)
{
  LsValue self = reflected ? b : a, other = reflected ? a : b;
  const LsClass *cls = ls_value_as_object (self)->cls;
  gboolean is_list = cls == &ls_list_class;

  *out = ls_none ();
  switch (op)
    {
    case LS_OP_ADD:
      if (reflected)
        return FALSE;
      if (!ls_value_is (other, cls))
        {
          *out = ls_exc_newf (&ls_exc_TypeError, "can only concatenate %s (not \"%s\") to %s",
                              cls->name, ls_value_class (other)->name, cls->name);
          return FALSE;
        }
      {
        guint na, nb;
        const LsValue *x = _ls_seq_items (a, &na), *y = _ls_seq_items (b, &nb);
        LsValue *all = g_new (LsValue, MAX (na + nb, 1));
        for (guint i = 0; i < na; i++)
          all[i] = ls_value_ref (x[i]);
        for (guint i = 0; i < nb; i++)
          all[na + i] = ls_value_ref (y[i]);
        *out = is_list ? ls_list_new_from (na + nb, all) : ls_tuple_new (na + nb, all);
        g_free (all);
        return TRUE;
      }
    case LS_OP_MUL:
      return seq_repeat (self, other, out);
    case LS_OP_EQ: case LS_OP_NE: case LS_OP_LT: case LS_OP_LE: case LS_OP_GT: case LS_OP_GE:
      if (!ls_value_is (other, cls))
        return FALSE;
      return seq_compare (op, a, b, out);
    default:
      return FALSE;
    }
}

/* index(x[, start[, stop]]) and count(x) of a list or tuple. */
static gboolean
seq_find (LsValue self, const LsValue *args, guint nargs, gboolean count, LsValue *result)
{
  gboolean is_list = ls_value_is (self, &ls_list_class);
  guint n;
  const LsValue *items = _ls_seq_items (self, &n);
  gint64 start = 0, stop = n, found = 0;
  LsValue error;

  if (count && !_ls_check_nargs (is_list ? "list.count" : "tuple.count", nargs, 1, 1, result))
    return FALSE;
  if (!count && nargs < 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "index expected at least 1 argument, got %u", nargs);
      return FALSE;
    }
  if (!count && nargs > 3)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "index expected at most 3 arguments, got %u", nargs);
      return FALSE;
    }
  for (guint k = 1; k < nargs; k++)
    {
      gint64 *bound = k == 1 ? &start : &stop;
      if (!slice_bound (args[k], *bound, bound, result))
        return FALSE;
      if (*bound < 0)
        *bound = MAX (*bound + (gint64) n, 0);
    }
  for (gint64 i = start; i < stop && i < (gint64) n; i++)
    {
      gboolean eq;
      LsValue it = ls_value_ref (items[i]);
      gboolean ok = _ls_eq (it, args[0], &eq, &error);
      ls_value_unref (it);
      if (!ok)
        {
          *result = error;
          return FALSE;
        }
      if (eq && !count)
        {
          *result = ls_int (i);
          return TRUE;
        }
      found += eq;
      items = _ls_seq_items (self, &n);
    }
  if (count)
    {
      *result = ls_int (found);
      return TRUE;
    }
  if (is_list)
    {
      char *r = ls_value_repr (args[0]);
      *result = ls_exc_newf (&ls_exc_ValueError, "%s is not in list", r);
      g_free (r);
    }
  else
    *result = ls_exc_newf (&ls_exc_ValueError, "tuple.index(x): x not in tuple");
  return FALSE;
}

static gboolean
seq_index_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  return seq_find (self, args, nargs, FALSE, result);
}

static gboolean
seq_count_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  return seq_find (self, args, nargs, TRUE, result);
}

/* ---- the sequence iterator (list_iterator, tuple_iterator) ----------------------------- */

typedef struct {
  LsObject base;
  LsValue seq;              /* owned; None once exhausted, as CPython drops it */
  gint64 index;
  gboolean reverse;         /* list_reverseiterator / reversed */
} LsSeqIter;

static void
seq_iter_finalize (LsObject *self)
{
  ls_value_unref (((LsSeqIter *) self)->seq);
}

static gboolean
iter_self (LsObject *self, LsValue *out)
{
  *out = ls_value_ref (ls_object (self));
  return TRUE;
}

static int
seq_iter_next (LsObject *self, LsValue *out)
{
  LsSeqIter *it = (LsSeqIter *) self;
  guint n;
  const LsValue *items;

  *out = ls_none ();
  if (ls_is_none (it->seq))
    return 0;
  items = _ls_seq_items (it->seq, &n);
  if (it->index >= 0 && it->index < (gint64) n)
    {
      *out = ls_value_ref (items[it->index]);
      it->index += it->reverse ? -1 : 1;
      return 1;
    }
  ls_value_set (&it->seq, ls_none ());
  return 0;
}

static const LsTypeSlots seq_iter_ops = {
  .iter = iter_self,
  .next = seq_iter_next,
};

static const LsClass list_iter_class = {
  .name = "list_iterator", .finalize = seq_iter_finalize, .ops = &seq_iter_ops,
};
static const LsClass tuple_iter_class = {
  .name = "tuple_iterator", .finalize = seq_iter_finalize, .ops = &seq_iter_ops,
};
static const LsClass list_reverse_iter_class = {
  .name = "list_reverseiterator", .finalize = seq_iter_finalize, .ops = &seq_iter_ops,
};
static const LsClass reversed_class = {
  .name = "reversed", .finalize = seq_iter_finalize, .ops = &seq_iter_ops,
};

static LsValue
seq_iter_new (const LsClass *cls, LsValue seq_taken, gboolean reverse)
{
  LsSeqIter *it = ls_object_alloc (cls, sizeof (LsSeqIter));
  guint n;

  _ls_seq_items (seq_taken, &n);
  it->seq = seq_taken;
  it->reverse = reverse;
  it->index = reverse ? (gint64) n - 1 : 0;
  return ls_object (it);
}

static gboolean
seq_iter (LsObject *self, LsValue *out)
{
  LsValue seq = ls_value_ref (ls_object (self));
  *out = seq_iter_new (self->cls == &ls_list_class ? &list_iter_class : &tuple_iter_class, seq, FALSE);
  return TRUE;
}

/* ---- tuple ----------------------------------------------------------------------------- */

static gboolean
tuple_getitem (LsObject *self, LsValue key, LsValue *out)
{
  return seq_getitem (ls_object (self), key, out);
}

/* tuplehash of CPython 3.12 (Objects/tupleobject.c), 64-bit lanes. */
#define XXPRIME_1 G_GUINT64_CONSTANT (11400714785074694791)
#define XXPRIME_2 G_GUINT64_CONSTANT (14029467366897019727)
#define XXPRIME_5 G_GUINT64_CONSTANT (2870177450012600261)
#define XXROTATE(x) (((x) << 31) | ((x) >> 33))

static gboolean
hash_items (const LsValue *items, guint n, guint64 *hash, LsValue *error)
{
  guint64 acc = XXPRIME_5;

  for (guint i = 0; i < n; i++)
    {
      guint64 lane;
      if (!ls_op_hash (items[i], &lane, error))
        return FALSE;
      acc += lane * XXPRIME_2;
      acc = XXROTATE (acc);
      acc *= XXPRIME_1;
    }
  acc += n ^ (XXPRIME_5 ^ G_GUINT64_CONSTANT (3527539));
  *hash = acc == G_MAXUINT64 ? G_GUINT64_CONSTANT (1546275796) : acc;
  return TRUE;
}

static gboolean
tuple_hash (LsObject *self, guint64 *hash, LsValue *error)
{
  LsTuple *t = (LsTuple *) self;
  return hash_items (t->items, t->len, hash, error);
}

static const LsMethodDef tuple_methods[] = {
  { "tuple.index", seq_index_method, NULL },
  { "tuple.count", seq_count_method, NULL },
  { NULL, NULL, NULL }
};

static gboolean
tuple_getattr (LsObject *self, const char *name, LsValue *out)
{
  return _ls_method_lookup (self, tuple_methods, name, out);
}

const LsTypeSlots _ls_tuple_ops = {
  .getattr = tuple_getattr,
  .getitem = tuple_getitem,
  .len = seq_len,
  .contains = seq_contains,
  .iter = seq_iter,
  .binary = seq_binary,
  .hash = tuple_hash,
};

/* ---- list ------------------------------------------------------------------------------ */

static gboolean
list_getitem (LsObject *self, LsValue key, LsValue *out)
{
  return seq_getitem (ls_object (self), key, out);
}

/* Replaces items [lo, hi) of a list by n new ones (taken). */
static void
list_splice (GArray *a, guint lo, guint hi, const LsValue *items_taken, guint n)
{
  LsValue *old = g_new (LsValue, MAX (hi - lo, 1));
  guint nold = hi - lo;

  /* Unref after the array is consistent: a finalizer may look at it. */
  memcpy (old, &g_array_index (a, LsValue, lo), nold * sizeof (LsValue));
  g_array_remove_range (a, lo, nold);
  if (n)
    g_array_insert_vals (a, lo, items_taken, n);
  for (guint i = 0; i < nold; i++)
    ls_value_unref (old[i]);
  g_free (old);
}

static gboolean
list_setitem (LsObject *self, LsValue key, LsValue value, LsValue *error)
{
  GArray *a = ((LsList *) self)->items;
  gint64 i, start, stop, step, slicelen;

  if (ls_value_is (key, &ls_slice_class))
    {
      LsValue items;
      guint n;
      const LsValue *src;
      LsValue *refs;

      if (!_ls_slice_indices (key, a->len, &start, &stop, &step, &slicelen, error))
        return FALSE;
      if (!_ls_list_from_iterable (value, &items))
        {
          if (ls_exc_matches (items, &ls_exc_TypeError))
            {
              ls_value_unref (items);
              items = ls_exc_newf (&ls_exc_TypeError, step == 1 ? "can only assign an iterable"
                                   : "must assign iterable to extended slice");
            }
          *error = items;
          return FALSE;
        }
      src = _ls_seq_items (items, &n);
      if (step == 1)
        {
          if (stop < start)
            stop = start;
          refs = g_new (LsValue, MAX (n, 1));
          for (guint k = 0; k < n; k++)
            refs[k] = ls_value_ref (src[k]);
          list_splice (a, start, stop, refs, n);
          g_free (refs);
          ls_value_unref (items);
          return TRUE;
        }
      if ((gint64) n != slicelen)
        {
          *error = ls_exc_newf (&ls_exc_ValueError,
                                "attempt to assign sequence of size %u to extended slice of size %"
                                G_GINT64_FORMAT, n, slicelen);
          ls_value_unref (items);
          return FALSE;
        }
      for (gint64 k = 0; k < slicelen; k++)
        {
          LsValue *slot = &g_array_index (a, LsValue, start + k * step);
          LsValue old = *slot;
          *slot = ls_value_ref (src[k]);
          ls_value_unref (old);
        }
      ls_value_unref (items);
      return TRUE;
    }
  if (!seq_index (key, a->len, &i, "list assignment index", error))
    {
      if (ls_is_none (*error))
        *error = ls_exc_newf (&ls_exc_TypeError, "list indices must be integers or slices, not %s",
                              ls_value_class (key)->name);
      return FALSE;
    }
  ls_value_set (&g_array_index (a, LsValue, i), ls_value_ref (value));
  return TRUE;
}

static gboolean
list_delitem (LsObject *self, LsValue key, LsValue *error)
{
  GArray *a = ((LsList *) self)->items;
  gint64 i, start, stop, step, slicelen;

  if (ls_value_is (key, &ls_slice_class))
    {
      GArray *keep, *gone;

      if (!_ls_slice_indices (key, a->len, &start, &stop, &step, &slicelen, error))
        return FALSE;
      if (slicelen == 0)
        return TRUE;
      if (step < 0)
        {
          /* The same items, walked forwards. */
          start = start + (slicelen - 1) * step;
          step = -step;
        }
      keep = g_array_sized_new (FALSE, FALSE, sizeof (LsValue), a->len - slicelen);
      gone = g_array_sized_new (FALSE, FALSE, sizeof (LsValue), slicelen);
      for (guint k = 0; k < a->len; k++)
        {
          LsValue v = g_array_index (a, LsValue, k);
          gint64 off = (gint64) k - start;
          if (off >= 0 && off % step == 0 && off / step < slicelen)
            g_array_append_val (gone, v);
          else
            g_array_append_val (keep, v);
        }
      g_array_set_size (a, 0);
      g_array_append_vals (a, keep->data, keep->len);
      g_array_free (keep, TRUE);
      for (guint k = 0; k < gone->len; k++)
        ls_value_unref (g_array_index (gone, LsValue, k));
      g_array_free (gone, TRUE);
      return TRUE;
    }
  if (!seq_index (key, a->len, &i, "list assignment index", error))
    {
      if (ls_is_none (*error))
        *error = ls_exc_newf (&ls_exc_TypeError, "list indices must be integers or slices, not %s",
                              ls_value_class (key)->name);
      return FALSE;
    }
  list_splice (a, i, i + 1, NULL, 0);
  return TRUE;
}

static gboolean
list_append_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!_ls_check_nargs ("list.append", nargs, 1, 1, result))
    return FALSE;
  ls_list_append (self, ls_value_ref (args[0]));
  *result = ls_none ();
  return TRUE;
}

static gboolean
list_extend_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!_ls_check_nargs ("list.extend", nargs, 1, 1, result))
    return FALSE;
  if (!ls_list_extend (self, args[0], result))
    return FALSE;
  *result = ls_none ();
  return TRUE;
}

static gboolean
list_pop_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  GArray *a = list_array (self);
  gint64 i = -1;

  if (nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "pop expected at most 1 argument, got %u", nargs);
      return FALSE;
    }
  if (nargs == 1 && !_ls_index_value (args[0], &i, result))
    {
      if (ls_is_none (*result))
        *result = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                               ls_value_class (args[0])->name);
      return FALSE;
    }
  if (a->len == 0)
    {
      *result = ls_exc_newf (&ls_exc_IndexError, "pop from empty list");
      return FALSE;
    }
  if (i < 0)
    i += a->len;
  if (i < 0 || i >= a->len)
    {
      *result = ls_exc_newf (&ls_exc_IndexError, "pop index out of range");
      return FALSE;
    }
  *result = g_array_index (a, LsValue, i);
  g_array_remove_index (a, i);
  return TRUE;
}

static gboolean
list_insert_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  GArray *a = list_array (self);
  gint64 i;
  LsValue v;

  if (nargs != 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "insert expected 2 arguments, got %u", nargs);
      return FALSE;
    }
  if (!_ls_index_value (args[0], &i, result))
    {
      if (ls_is_none (*result))
        *result = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                               ls_value_class (args[0])->name);
      return FALSE;
    }
  if (i < 0)
    i = MAX (i + (gint64) a->len, 0);
  if (i > a->len)
    i = a->len;
  v = ls_value_ref (args[1]);
  g_array_insert_val (a, i, v);
  *result = ls_none ();
  return TRUE;
}

static gboolean
list_remove_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!_ls_check_nargs ("list.remove", nargs, 1, 1, result))
    return FALSE;
  for (guint i = 0; i < list_array (self)->len; i++)
    {
      gboolean eq;
      LsValue it = ls_value_ref (g_array_index (list_array (self), LsValue, i));
      gboolean ok = _ls_eq (it, args[0], &eq, result);
      ls_value_unref (it);
      if (!ok)
        return FALSE;
      if (eq)
        {
          if (i < list_array (self)->len)
            list_splice (list_array (self), i, i + 1, NULL, 0);
          *result = ls_none ();
          return TRUE;
        }
    }
  *result = ls_exc_newf (&ls_exc_ValueError, "list.remove(x): x not in list");
  return FALSE;
}

static void
reverse_values (LsValue *v, guint n)
{
  for (guint i = 0; i < n / 2; i++)
    {
      LsValue t = v[i];
      v[i] = v[n - 1 - i];
      v[n - 1 - i] = t;
    }
}

static gboolean
list_reverse_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!_ls_check_nargs ("list.reverse", nargs, 0, 0, result))
    return FALSE;
  reverse_values ((LsValue *) list_array (self)->data, list_array (self)->len);
  *result = ls_none ();
  return TRUE;
}

static gboolean
list_copy_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!_ls_check_nargs ("list.copy", nargs, 0, 0, result))
    return FALSE;
  *result = seq_new_copy (TRUE, (const LsValue *) list_array (self)->data, list_array (self)->len);
  return TRUE;
}

static gboolean
list_clear_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!_ls_check_nargs ("list.clear", nargs, 0, 0, result))
    return FALSE;
  list_splice (list_array (self), 0, list_array (self)->len, NULL, 0);
  *result = ls_none ();
  return TRUE;
}

/* ---- sorting ------------------------------------------------------------------------ */

/* A stable merge sort whose comparison may fail (a user's __lt__, or
 * "'<' not supported between instances of 'str' and 'int'").  CPython's
 * timsort gives the same order for any consistent `<`, since both are
 * stable; keys are computed once per item, in order, as CPython does. */
typedef struct {
  LsValue key;
  LsValue value;
} SortItem;

static gboolean
sort_lt (const SortItem *a, const SortItem *b, gboolean *lt, LsValue *error)
{
  LsValue r;
  gboolean ok;

  if (!ls_op_compare (LS_OP_LT, a->key, b->key, &r))
    {
      *error = r;
      return FALSE;
    }
  ok = ls_op_truthy (r, lt, error);
  ls_value_unref (r);
  return ok;
}

static gboolean
merge_sort (SortItem *v, SortItem *tmp, guint n, LsValue *error)
{
  guint mid = n / 2, i = 0, j, k = 0;

  if (n < 2)
    return TRUE;
  if (n <= 8)
    {
      /* Binary insertion, as timsort does for short runs. */
      for (guint s = 1; s < n; s++)
        {
          SortItem pivot = v[s];
          guint lo = 0, hi = s;
          while (lo < hi)
            {
              guint p = lo + (hi - lo) / 2;
              gboolean lt;
              if (!sort_lt (&pivot, &v[p], &lt, error))
                return FALSE;
              if (lt)
                hi = p;
              else
                lo = p + 1;
            }
          memmove (&v[lo + 1], &v[lo], (s - lo) * sizeof (SortItem));
          v[lo] = pivot;
        }
      return TRUE;
    }
  if (!merge_sort (v, tmp, mid, error) || !merge_sort (v + mid, tmp, n - mid, error))
    return FALSE;
  memcpy (tmp, v, mid * sizeof (SortItem));
  j = mid;
  while (i < mid && j < n)
    {
      gboolean lt;
      if (!sort_lt (&v[j], &tmp[i], &lt, error))
        {
          /* Leave every item in v exactly once before failing. */
          memcpy (&v[k], &tmp[i], (mid - i) * sizeof (SortItem));
          return FALSE;
        }
      v[k++] = lt ? v[j++] : tmp[i++];
    }
  memcpy (&v[k], &tmp[i], (mid - i) * sizeof (SortItem));
  return TRUE;
}

gboolean
_ls_list_sort (LsValue list, LsValue key, gboolean reverse, LsValue *error)
{
  GArray *a = list_array (list);
  guint n = a->len;
  SortItem *items = g_new0 (SortItem, MAX (n, 1)), *tmp = g_new (SortItem, MAX (n, 1));
  gboolean ok = TRUE;
  guint i, computed = 0;

  /* Sort a copy: the list is empty meanwhile as in CPython, so that a key
   * function that looks at it sees []. */
  for (i = 0; i < n; i++)
    items[i].value = g_array_index (a, LsValue, i);
  g_array_set_size (a, 0);
  for (i = 0; i < n && ok; i++, computed++)
    {
      if (ls_is_none (key))
        items[i].key = ls_value_ref (items[i].value);
      else if (!ls_call (key, &items[i].value, 1, &items[i].key))
        {
          *error = items[i].key;
          items[i].key = ls_none ();
          ok = FALSE;
        }
    }
  if (ok)
    {
      /* reverse=True keeps equal items in their order: reverse, sort, reverse. */
      if (reverse)
        for (i = 0; i < n / 2; i++)
          {
            SortItem t = items[i];
            items[i] = items[n - 1 - i];
            items[n - 1 - i] = t;
          }
      ok = merge_sort (items, tmp, n, error);
      if (reverse)
        for (i = 0; i < n / 2; i++)
          {
            SortItem t = items[i];
            items[i] = items[n - 1 - i];
            items[n - 1 - i] = t;
          }
    }
  /* Whatever the list gained during the sort is dropped, as CPython does. */
  for (i = 0; i < a->len; i++)
    ls_value_unref (g_array_index (a, LsValue, i));
  g_array_set_size (a, 0);
  for (i = 0; i < n; i++)
    {
      g_array_append_val (a, items[i].value);
      ls_value_unref (items[i].key);
    }
  g_free (items);
  g_free (tmp);
  return ok;
}

static gboolean
list_sort_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                  LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  const LsValue *key, *reverse;
  gboolean rev = FALSE;

  if (nargs)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "sort() takes no positional arguments");
      return FALSE;
    }
  if (!ls_is_none (kwnames))
    {
      for (guint i = 0; i < as_tuple (kwnames)->len; i++)
        {
          const char *k = ls_str_get (as_tuple (kwnames)->items[i]);
          if (strcmp (k, "key") != 0 && strcmp (k, "reverse") != 0)
            {
              *result = ls_exc_newf (&ls_exc_TypeError, "'%s' is an invalid keyword argument for sort()", k);
              return FALSE;
            }
        }
    }
  key = _ls_kw_lookup (kwnames, kwvalues, "key");
  reverse = _ls_kw_lookup (kwnames, kwvalues, "reverse");
  if (reverse && !ls_op_truthy (*reverse, &rev, result))
    return FALSE;
  if (!_ls_list_sort (self, key ? *key : ls_none (), rev, result))
    return FALSE;
  *result = ls_none ();
  return TRUE;
}

static const LsMethodDef list_methods[] = {
  { "list.append", list_append_method, NULL },
  { "list.extend", list_extend_method, NULL },
  { "list.pop", list_pop_method, NULL },
  { "list.insert", list_insert_method, NULL },
  { "list.remove", list_remove_method, NULL },
  { "list.index", seq_index_method, NULL },
  { "list.count", seq_count_method, NULL },
  { "list.sort", NULL, list_sort_method },
  { "list.reverse", list_reverse_method, NULL },
  { "list.copy", list_copy_method, NULL },
  { "list.clear", list_clear_method, NULL },
  { NULL, NULL, NULL }
};

static gboolean
list_getattr (LsObject *self, const char *name, LsValue *out)
{
  return _ls_method_lookup (self, list_methods, name, out);
}

const LsTypeSlots _ls_list_ops = {
  .getattr = list_getattr,
  .getitem = list_getitem,
  .setitem = list_setitem,
  .delitem = list_delitem,
  .len = seq_len,
  .contains = seq_contains,
  .iter = seq_iter,
  .binary = seq_binary,
};

/* ---- range -------------------------------------------------------------------------- */

typedef struct {
  LsObject base;
  gint64 start, stop, step, len;
} LsRange;

static gint64
range_len (gint64 start, gint64 stop, gint64 step)
{
  /* In unsigned arithmetic, so range(-2**62, 2**62) does not overflow. */
  if (step > 0 && start < stop)
    return (gint64) (((guint64) stop - (guint64) start - 1) / (guint64) step + 1);
  if (step < 0 && start > stop)
    return (gint64) (((guint64) start - (guint64) stop - 1) / (0 - (guint64) step) + 1);
  return 0;
}

static char *
range_repr (LsObject *self)
{
  LsRange *r = (LsRange *) self;
  if (r->step == 1)
    return g_strdup_printf ("range(%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")", r->start, r->stop);
  return g_strdup_printf ("range(%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                          r->start, r->stop, r->step);
}

static LsValue
range_make (gint64 start, gint64 stop, gint64 step)
{
  LsRange *r = ls_object_alloc (&_ls_range_class, sizeof (LsRange));
  r->start = start;
  r->stop = stop;
  r->step = step;
  r->len = range_len (start, stop, step);
  return ls_object (r);
}

static gboolean
range_arg (LsValue v, gint64 *out, LsValue *error)
{
  if (_ls_index_value (v, out, error))
    return TRUE;
  if (ls_is_none (*error))
    *error = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                          ls_value_class (v)->name);
  return FALSE;
}

gboolean
_ls_range_new (const LsValue *args, guint nargs, LsValue *out)
{
  gint64 a[3] = { 0, 0, 1 };

  if (nargs == 0 || nargs > 3)
    {
      *out = ls_exc_newf (&ls_exc_TypeError, nargs == 0 ? "range expected at least 1 argument, got %u"
                          : "range expected at most 3 arguments, got %u", nargs);
      return FALSE;
    }
  for (guint i = 0; i < nargs; i++)
    if (!range_arg (args[i], &a[nargs == 1 ? 1 : i], out))
      return FALSE;
  if (a[2] == 0)
    {
      *out = ls_exc_newf (&ls_exc_ValueError, "range() arg 3 must not be zero");
      return FALSE;
    }
  *out = range_make (a[0], a[1], a[2]);
  return TRUE;
}

static gboolean
range_getitem (LsObject *self, LsValue key, LsValue *out)
{
  LsRange *r = (LsRange *) self;
  gint64 i, start, stop, step, slicelen;
  LsValue error;

  if (ls_value_is (key, &ls_slice_class))
    {
      if (!_ls_slice_indices (key, r->len, &start, &stop, &step, &slicelen, out))
        return FALSE;
      *out = range_make (r->start + start * r->step, r->start + stop * r->step, r->step * step);
      return TRUE;
    }
  if (!seq_index (key, r->len, &i, "range object index", &error))
    {
      if (ls_is_none (error))
        error = ls_exc_newf (&ls_exc_TypeError, "range indices must be integers or slices, not %s",
                             ls_value_class (key)->name);
      *out = error;
      return FALSE;
    }
  *out = ls_int (r->start + i * r->step);
  return TRUE;
}

static gboolean
range_len_slot (LsObject *self, gint64 *len, LsValue *error)
{
  *len = ((LsRange *) self)->len;
  return TRUE;
}

/* The position of int i in the range, or -1. */
static gint64
range_find_int (LsRange *r, gint64 i)
{
  gint64 off;
  if (r->len == 0)
    return -1;
  if (r->step > 0 ? (i < r->start || i >= r->stop) : (i > r->start || i <= r->stop))
    return -1;
  off = i - r->start;
  if (off % r->step != 0)
    return -1;
  return off / r->step;
}

static gboolean
range_search (LsRange *r, LsValue item, gint64 *pos, LsValue *error)
{
  gint64 i;

  *pos = -1;
  if ((ls_value_kind (item) == LS_KIND_INT || ls_value_kind (item) == LS_KIND_BOOL)
      && _ls_index_value (item, &i, error))
    {
      *pos = range_find_int (r, i);
      return TRUE;
    }
  if (ls_value_kind (item) == LS_KIND_INT)
    {
      ls_value_unref (*error);    /* a big int is in no int64 range */
      return TRUE;
    }
  /* Anything else (1.0 in range(3)) compares item by item. */
  for (gint64 k = 0; k < r->len; k++)
    {
      gboolean eq;
      if (!_ls_eq (ls_int (r->start + k * r->step), item, &eq, error))
        return FALSE;
      if (eq)
        {
          *pos = k;
          return TRUE;
        }
    }
  return TRUE;
}

static gboolean
range_contains (LsObject *self, LsValue item, gboolean *result, LsValue *error)
{
  gint64 pos;
  if (!range_search ((LsRange *) self, item, &pos, error))
    return FALSE;
  *result = pos >= 0;
  return TRUE;
}

static int
range_iter_next (LsObject *self, LsValue *out)
{
  LsRangeIter *it = (LsRangeIter *) self;

  *out = ls_none ();
  if (it->left <= 0)
    return 0;
  *out = ls_int (it->next);
  it->next += it->step;
  it->left--;
  return 1;
}

static const LsTypeSlots range_iter_ops = {
  .iter = iter_self,
  .next = range_iter_next,
};

const LsClass _ls_range_iter_class = {
  .name = "range_iterator",
  .ops = &range_iter_ops,
};

static LsValue
range_iter_new (gint64 first, gint64 step, gint64 count)
{
  LsRangeIter *it = ls_object_alloc (&_ls_range_iter_class, sizeof (LsRangeIter));
  it->next = first;
  it->step = step;
  it->left = count;
  return ls_object (it);
}

static gboolean
range_iter (LsObject *self, LsValue *out)
{
  LsRange *r = (LsRange *) self;
  *out = range_iter_new (r->start, r->step, r->len);
  return TRUE;
}

static gboolean
range_binary (LsOp op, LsValue a, LsValue b, gboolean reflected, LsValue *out)
{
  LsRange *x, *y;

  *out = ls_none ();
  if ((op != LS_OP_EQ && op != LS_OP_NE) || !ls_value_is (a, &_ls_range_class)
      || !ls_value_is (b, &_ls_range_class))
    return FALSE;
  x = (LsRange *) ls_value_as_object (a);
  y = (LsRange *) ls_value_as_object (b);
  /* range_equals: the same sequence of numbers. */
  {
    gboolean eq = x->len == y->len
                  && (x->len == 0 || (x->start == y->start && (x->len == 1 || x->step == y->step)));
    *out = ls_bool (op == LS_OP_EQ ? eq : !eq);
  }
  return TRUE;
}

static gboolean
range_hash (LsObject *self, guint64 *hash, LsValue *error)
{
  LsRange *r = (LsRange *) self;
  LsValue t[3] = { ls_int (r->len), ls_none (), ls_none () };

  /* range_hash hashes (len, start, step), with None for what len makes moot. */
  if (r->len > 0)
    t[1] = ls_int (r->start);
  if (r->len > 1)
    t[2] = ls_int (r->step);
  return hash_items (t, 3, hash, error);
}

static gboolean
range_index_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  gint64 pos;
  if (!_ls_check_nargs ("range.index", nargs, 1, 1, result))
    return FALSE;
  if (!range_search ((LsRange *) ls_value_as_object (self), args[0], &pos, result))
    return FALSE;
  if (pos < 0)
    {
      char *r = ls_value_repr (args[0]);
      *result = ls_exc_newf (&ls_exc_ValueError, "%s is not in range", r);
      g_free (r);
      return FALSE;
    }
  *result = ls_int (pos);
  return TRUE;
}

static gboolean
range_count_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  gint64 pos;
  if (!_ls_check_nargs ("range.count", nargs, 1, 1, result))
    return FALSE;
  if (!range_search ((LsRange *) ls_value_as_object (self), args[0], &pos, result))
    return FALSE;
  *result = ls_int (pos >= 0);
  return TRUE;
}

static const LsMethodDef range_methods[] = {
  { "range.index", range_index_method, NULL },
  { "range.count", range_count_method, NULL },
  { NULL, NULL, NULL }
};

static gboolean
range_getattr (LsObject *self, const char *name, LsValue *out)
{
  LsRange *r = (LsRange *) self;

  if (strcmp (name, "start") == 0)
    *out = ls_int (r->start);
  else if (strcmp (name, "stop") == 0)
    *out = ls_int (r->stop);
  else if (strcmp (name, "step") == 0)
    *out = ls_int (r->step);
  else
    return _ls_method_lookup (self, range_methods, name, out);
  return TRUE;
}

static const LsTypeSlots range_ops = {
  .getattr = range_getattr,
  .getitem = range_getitem,
  .len = range_len_slot,
  .contains = range_contains,
  .iter = range_iter,
  .binary = range_binary,
  .hash = range_hash,
};

const LsClass _ls_range_class = {
  .name = "range",
  .repr = range_repr,
  .ops = &range_ops,
};

/* ---- enumerate, zip, map, filter --------------------------------------------------------- */

/* One class for the four: what differs is how next() combines the items
 * of its iterators. */
typedef enum { ITER_ENUMERATE, ITER_ZIP, ITER_MAP, ITER_FILTER } IterKind;

typedef struct {
  LsObject base;
  IterKind kind;
  LsValue fn;               /* map's and filter's function, enumerate's count */
  gboolean strict;          /* zip(strict=True) */
  gboolean done;
  guint n;
  LsValue its[];            /* owned iterators */
} LsIterObj;

static void
iterobj_finalize (LsObject *self)
{
  LsIterObj *it = (LsIterObj *) self;
  ls_value_unref (it->fn);
  for (guint i = 0; i < it->n; i++)
    ls_value_unref (it->its[i]);
}

/* Pulls one item from each iterator; 1 with a new tuple-ready array, 0
 * when one is exhausted (zip's strict check done), -1 and the error. */
static int
pull_all (LsIterObj *it, LsValue *items, LsValue *error)
{
  for (guint i = 0; i < it->n; i++)
    {
      int r = ls_op_next (it->its[i], &items[i]);
      if (r == 1)
        continue;
      for (guint k = 0; k < i; k++)
        ls_value_unref (items[k]);
      if (r < 0)
        {
          *error = items[i];
          return -1;
        }
      ls_value_unref (items[i]);
      if (it->strict && it->kind == ITER_ZIP)
        {
          LsValue extra;
          if (i > 0)
            {
              *error = ls_exc_newf (&ls_exc_ValueError, "zip() argument %u is shorter than argument%s%u",
                                    i + 1, i == 1 ? " " : "s 1-", i);
              return -1;
            }
          for (guint k = 1; k < it->n; k++)
            {
              int r2 = ls_op_next (it->its[k], &extra);
              if (r2 < 0)
                {
                  *error = extra;
                  return -1;
                }
              ls_value_unref (extra);
              if (r2 == 1)
                {
                  *error = ls_exc_newf (&ls_exc_ValueError, "zip() argument %u is longer than argument%s%u",
                                        k + 1, k == 1 ? " " : "s 1-", k);
                  return -1;
                }
            }
        }
      return 0;
    }
  return 1;
}

static int
iterobj_next (LsObject *self, LsValue *out)
{
  LsIterObj *it = (LsIterObj *) self;
  LsValue *items;
  int r;

  *out = ls_none ();
  if (it->done)
    return 0;
  items = g_newa (LsValue, MAX (it->n, 1));
  for (;;)
    {
      r = pull_all (it, items, out);
      if (r <= 0)
        {
          if (r == 0)
            it->done = TRUE;
          return r;
        }
      switch (it->kind)
        {
        case ITER_ENUMERATE:
          {
            LsValue pair[2] = { ls_value_ref (it->fn), items[0] }, next;
            if (!ls_op_binary (LS_OP_ADD, it->fn, ls_int (1), &next))
              {
                ls_value_unref (pair[0]);
                ls_value_unref (pair[1]);
                *out = next;
                return -1;
              }
            ls_value_set (&it->fn, next);
            *out = ls_tuple_new (2, pair);
            return 1;
          }
        case ITER_ZIP:
          *out = ls_tuple_new (it->n, items);
          return 1;
        case ITER_MAP:
          {
            gboolean ok = ls_call (it->fn, items, it->n, out);
            for (guint i = 0; i < it->n; i++)
              ls_value_unref (items[i]);
            return ok ? 1 : -1;
          }
        case ITER_FILTER:
          {
            LsValue verdict;
            gboolean keep;
            if (ls_is_none (it->fn))
              verdict = ls_value_ref (items[0]);
            else if (!ls_call (it->fn, items, 1, &verdict))
              {
                ls_value_unref (items[0]);
                *out = verdict;
                return -1;
              }
            if (!ls_op_truthy (verdict, &keep, out))
              {
                ls_value_unref (verdict);
                ls_value_unref (items[0]);
                return -1;
              }
            ls_value_unref (verdict);
            if (keep)
              {
                *out = items[0];
                return 1;
              }
            ls_value_unref (items[0]);
            break;
          }
        }
    }
}

static const LsTypeSlots iterobj_ops = {
  .iter = iter_self,
  .next = iterobj_next,
};

static const LsClass enumerate_class = { .name = "enumerate", .finalize = iterobj_finalize, .ops = &iterobj_ops };
static const LsClass zip_class = { .name = "zip", .finalize = iterobj_finalize, .ops = &iterobj_ops };
static const LsClass map_class = { .name = "map", .finalize = iterobj_finalize, .ops = &iterobj_ops };
static const LsClass filter_class = { .name = "filter", .finalize = iterobj_finalize, .ops = &iterobj_ops };

static LsIterObj *
iterobj_new (const LsClass *cls, IterKind kind, LsValue fn_taken, guint n, LsValue *its_taken)
{
  LsIterObj *it = ls_object_alloc (cls, sizeof (LsIterObj) + n * sizeof (LsValue));
  it->kind = kind;
  it->fn = fn_taken;
  it->n = n;
  if (n)
    memcpy (it->its, its_taken, n * sizeof (LsValue));
  return it;
}

LsValue
_ls_enumerate_new (LsValue iterator_taken, LsValue start_taken)
{
  return ls_object (iterobj_new (&enumerate_class, ITER_ENUMERATE, start_taken, 1, &iterator_taken));
}

LsValue
_ls_zip_new (guint n, LsValue *iterators_taken, gboolean strict)
{
  LsIterObj *it = iterobj_new (&zip_class, ITER_ZIP, ls_none (), n, iterators_taken);
  it->strict = strict;
  it->done = n == 0;
  return ls_object (it);
}

LsValue
_ls_map_new (LsValue fn, guint n, LsValue *iterators_taken)
{
  return ls_object (iterobj_new (&map_class, ITER_MAP, ls_value_ref (fn), n, iterators_taken));
}

LsValue
_ls_filter_new (LsValue fn, LsValue iterator_taken)
{
  return ls_object (iterobj_new (&filter_class, ITER_FILTER, ls_value_ref (fn), 1, &iterator_taken));
}

/* ---- reversed ------------------------------------------------------------------------ */

gboolean
_ls_reversed (LsValue seq, LsValue *out)
{
  if (is_exact (seq, &ls_list_class))
    {
      *out = seq_iter_new (&list_reverse_iter_class, ls_value_ref (seq), TRUE);
      return TRUE;
    }
  if (ls_value_is (seq, &ls_tuple_class))
    {
      *out = seq_iter_new (&reversed_class, ls_value_ref (seq), TRUE);
      return TRUE;
    }
  if (ls_value_is (seq, &_ls_range_class))
    {
      LsRange *r = (LsRange *) ls_value_as_object (seq);
      *out = range_iter_new (r->start + (r->len - 1) * r->step, -r->step, r->len);
      return TRUE;
    }
  if (ls_value_is (seq, &ls_str_class) || ls_value_is (seq, &ls_dict_class))
    {
      /* The characters or keys, walked backwards. */
      LsValue items;
      if (!_ls_list_from_iterable (seq, &items))
        {
          *out = items;
          return FALSE;
        }
      *out = seq_iter_new (&reversed_class, items, TRUE);
      return TRUE;
    }
  *out = ls_exc_newf (&ls_exc_TypeError, "'%s' object is not reversible", ls_value_class (seq)->name);
  return FALSE;
}
