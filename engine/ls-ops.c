/* ls-ops.c - the operators, subscripts, attributes and iteration of values.
 *
 * Each function here is one of CPython's abstract operations
 * (Objects/abstract.c, Objects/object.c): it finds what the operands'
 * classes implement in their LsTypeSlots and follows CPython's order of
 * trying them, so that `1 + x` asks x for its reflected `+` when int says
 * NotImplemented, `==` falls back to identity, and `in` falls back to
 * iteration.  What no slot implements raises CPython's TypeError with its
 * exact wording.  The numeric types' slots are in ls-int.c and
 * ls-float.c; immediates (None, bools, ints, floats) have no object, so
 * the operations that hand a slot an LsObject deal with them here.
 */
#include "ls-num-private.h"

#include <math.h>

/* What hash(None) is in CPython 3.12 on this platform: the address-based
 * hash of the None singleton, which does not move between runs. */
#define NONE_HASH G_GUINT64_CONSTANT (4238894112)

static const LsTypeSlots no_slots;

static const LsTypeSlots *
slots_of (LsValue v)
{
  const LsClass *cls = ls_value_class (v);
  return cls->ops ? cls->ops : &no_slots;
}

static const char *
type_name (LsValue v)
{
  return ls_value_class (v)->name;
}

/* ---- binary operators ---------------------------------------------------- */

typedef gboolean (*BinaryFn) (LsOp op, LsValue a, LsValue b, gboolean reflected, LsValue *out);

/* binary_op1: a's slot, then b's reflected one; a subclass of a's type
 * with a slot of its own goes first.  TRUE with the result; FALSE with an
 * exception, or with None when neither operand implements op. */
static gboolean
binary_op1 (LsOp op, LsValue a, LsValue b, LsValue *out)
{
  const LsClass *ca = ls_value_class (a), *cb = ls_value_class (b);
  BinaryFn fa = slots_of (a)->binary, fb = slots_of (b)->binary;

  if (fb == fa)
    fb = NULL;
  if (fb && ca != cb && ls_class_is_subclass (cb, ca))
    {
      if (fb (op, a, b, TRUE, out))
        return TRUE;
      if (!ls_is_none (*out))
        return FALSE;
      fb = NULL;
    }
  if (fa)
    {
      if (fa (op, a, b, FALSE, out))
        return TRUE;
      if (!ls_is_none (*out))
        return FALSE;
    }
  if (fb)
    {
      if (fb (op, a, b, TRUE, out))
        return TRUE;
      if (!ls_is_none (*out))
        return FALSE;
    }
  *out = ls_none ();
  return FALSE;
}

static gboolean
unsupported (LsOp op, const char *suffix, LsValue a, LsValue b, LsValue *out)
{
  /* PyNumber_Power names pow() too. */
  *out = ls_exc_newf (&ls_exc_TypeError, "unsupported operand type(s) for %s%s: '%s' and '%s'",
                      ls_op_text (op), op == LS_OP_POW && !*suffix ? " or pow()" : suffix,
                      type_name (a), type_name (b));
  return FALSE;
}

gboolean
ls_op_binary (LsOp op, LsValue a, LsValue b, LsValue *out)
{
  /* str % args is printf-style formatting (unicode_mod). */
  if (op == LS_OP_MOD && ls_value_is (a, &ls_str_class))
    return _ls_str_percent (a, b, out);
  if (binary_op1 (op, a, b, out))
    return TRUE;
  if (!ls_is_none (*out))
    return FALSE;
  return unsupported (op, "", a, b, out);
}

gboolean
ls_op_inplace (LsOp op, LsValue a, LsValue b, LsValue *out)
{
  const LsTypeSlots *s = slots_of (a);

  if (ls_is_object (a) && s->inplace)
    {
      if (s->inplace (op, ls_value_as_object (a), b, out))
        return TRUE;
      if (!ls_is_none (*out))
        return FALSE;
    }
  else if (op == LS_OP_ADD && ls_value_is (a, &ls_list_class))
    {
      /* list_inplace_concat: extend in place, so aliases see the items. */
      if (!ls_list_extend (a, b, out))
        return FALSE;
      *out = ls_value_ref (a);
      return TRUE;
    }
  else if (op == LS_OP_MUL && ls_value_is (a, &ls_list_class))
    {
      /* list_inplace_repeat: the repeated items replace a's own. */
      LsValue r;
      GArray *tmp;

      if (binary_op1 (op, a, b, &r))
        {
          tmp = ((LsList *) ls_value_as_object (a))->items;
          ((LsList *) ls_value_as_object (a))->items = ((LsList *) ls_value_as_object (r))->items;
          ((LsList *) ls_value_as_object (r))->items = tmp;
          ls_value_unref (r);
          *out = ls_value_ref (a);
          return TRUE;
        }
      if (!ls_is_none (r))
        {
          *out = r;
          return FALSE;
        }
      return unsupported (op, "=", a, b, out);
    }
  if (op == LS_OP_MOD && ls_value_is (a, &ls_str_class))
    return _ls_str_percent (a, b, out);
  if (binary_op1 (op, a, b, out))
    return TRUE;
  if (!ls_is_none (*out))
    return FALSE;
  return unsupported (op, "=", a, b, out);
}

gboolean
ls_op_unary (LsOp op, LsValue a, LsValue *out)
{
  const LsTypeSlots *s = slots_of (a);
  gboolean truth;

  switch (ls_value_kind (a))
    {
    case LS_KIND_BOOL:
    case LS_KIND_INT:
      if (op != LS_OP_NOT)
        return _ls_int_unary (op, a, out);
      break;
    case LS_KIND_FLOAT:
      if (op == LS_OP_NEG)
        return *out = ls_float (-ls_value_as_float (a)), TRUE;
      if (op == LS_OP_POS)
        return *out = a, TRUE;
      break;
    default:
      break;
    }
  if (op == LS_OP_NOT)
    {
      if (!ls_op_truthy (a, &truth, out))
        return FALSE;
      *out = ls_bool (!truth);
      return TRUE;
    }
  if (ls_is_object (a) && s->unary)
    {
      if (s->unary (op, ls_value_as_object (a), out))
        return TRUE;
      if (!ls_is_none (*out))
        return FALSE;
    }
  *out = ls_exc_newf (&ls_exc_TypeError, "bad operand type for unary %s: '%s'",
                      ls_op_text (op), type_name (a));
  return FALSE;
}

/* ---- comparisons ------------------------------------------------------------ */

/* do_richcompare: the slots as binary_op1 tries them (a comparison's
 * reflection is the swapped operator, which the slots work out from a and
 * b themselves), then == and != by identity. */
static gboolean
rich_compare (LsOp op, LsValue a, LsValue b, LsValue *out)
{
  if (binary_op1 (op, a, b, out))
    return TRUE;
  if (!ls_is_none (*out))
    return FALSE;
  switch (op)
    {
    case LS_OP_EQ:
      *out = ls_bool (ls_value_equal (a, b));
      return TRUE;
    case LS_OP_NE:
      *out = ls_bool (!ls_value_equal (a, b));
      return TRUE;
    default:
      *out = ls_exc_newf (&ls_exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                          ls_op_text (op), type_name (a), type_name (b));
      return FALSE;
    }
}

gboolean
ls_op_compare (LsOp op, LsValue a, LsValue b, LsValue *out)
{
  gboolean r;

  switch (op)
    {
    case LS_OP_IS:
    case LS_OP_IS_NOT:
      *out = ls_bool (ls_value_identical (a, b) == (op == LS_OP_IS));
      return TRUE;
    case LS_OP_IN:
    case LS_OP_NOT_IN:
      if (!ls_op_contains (b, a, &r, out))
        return FALSE;
      *out = ls_bool (r == (op == LS_OP_IN));
      return TRUE;
    default:
      return rich_compare (op, a, b, out);
    }
}

gboolean
ls_op_truthy (LsValue v, gboolean *result, LsValue *error)
{
  const LsTypeSlots *s;
  gint64 n;

  switch (ls_value_kind (v))
    {
    case LS_KIND_NONE: *result = FALSE; return TRUE;
    case LS_KIND_BOOL: *result = ls_value_as_bool (v); return TRUE;
    case LS_KIND_INT: *result = _ls_int_sign (v) != 0; return TRUE;
    case LS_KIND_FLOAT: *result = ls_value_as_float (v) != 0.0; return TRUE;
    default: break;
    }
  s = slots_of (v);
  if (!s->len)
    {
      *result = ls_value_truthy (v);
      return TRUE;
    }
  if (!s->len (ls_value_as_object (v), &n, error))
    return FALSE;
  *result = n != 0;
  return TRUE;
}

/* ---- containers -------------------------------------------------------------- */

gboolean
ls_op_getitem (LsValue obj, LsValue key, LsValue *out)
{
  const LsTypeSlots *s = slots_of (obj);

  if (ls_is_object (obj) && s->getitem)
    return s->getitem (ls_value_as_object (obj), key, out);
  *out = ls_exc_newf (&ls_exc_TypeError, "'%s' object is not subscriptable", type_name (obj));
  return FALSE;
}

gboolean
ls_op_setitem (LsValue obj, LsValue key, LsValue value, LsValue *error)
{
  const LsTypeSlots *s = slots_of (obj);

  if (ls_is_object (obj) && s->setitem)
    return s->setitem (ls_value_as_object (obj), key, value, error);
  *error = ls_exc_newf (&ls_exc_TypeError, "'%s' object does not support item assignment",
                        type_name (obj));
  return FALSE;
}

gboolean
ls_op_delitem (LsValue obj, LsValue key, LsValue *error)
{
  const LsTypeSlots *s = slots_of (obj);

  if (ls_is_object (obj) && s->delitem)
    return s->delitem (ls_value_as_object (obj), key, error);
  *error = ls_exc_newf (&ls_exc_TypeError, "'%s' object does not support item deletion",
                        type_name (obj));
  return FALSE;
}

gboolean
ls_op_len (LsValue obj, gint64 *len, LsValue *error)
{
  const LsTypeSlots *s = slots_of (obj);

  if (ls_is_object (obj) && s->len)
    return s->len (ls_value_as_object (obj), len, error);
  *error = ls_exc_newf (&ls_exc_TypeError, "object of type '%s' has no len()", type_name (obj));
  return FALSE;
}

/* PySequence_Contains: the container's own test, else a search by
 * iteration comparing with `is` first and then `==`. */
gboolean
ls_op_contains (LsValue container, LsValue item, gboolean *result, LsValue *error)
{
  const LsTypeSlots *s = slots_of (container);
  LsValue iter, x, eq;
  gboolean ok = TRUE;
  int got = 1;

  if (ls_is_object (container) && s->contains)
    return s->contains (ls_value_as_object (container), item, result, error);
  if (!ls_is_object (container) || !s->iter)
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "argument of type '%s' is not iterable",
                            type_name (container));
      return FALSE;
    }
  if (!ls_op_iter (container, &iter))
    {
      *error = iter;
      return FALSE;
    }
  *result = FALSE;
  while (ok && !*result && (got = ls_op_next (iter, &x)) != 0)
    {
      if (got < 0)
        {
          *error = x;
          ok = FALSE;
          break;
        }
      if (ls_value_identical (x, item))
        *result = TRUE;
      else if (!ls_op_compare (LS_OP_EQ, x, item, &eq))
        {
          *error = eq;
          ok = FALSE;
        }
      else
        {
          ok = ls_op_truthy (eq, result, error);
          ls_value_unref (eq);
        }
      ls_value_unref (x);
    }
  if (ok && got == 0)
    ls_value_unref (x);         /* the exhausted iterator's return value */
  ls_value_unref (iter);
  return ok;
}

gboolean
ls_op_iter (LsValue obj, LsValue *out)
{
  const LsTypeSlots *s = slots_of (obj);

  if (ls_is_object (obj) && s->iter)
    return s->iter (ls_value_as_object (obj), out);
  *out = ls_exc_newf (&ls_exc_TypeError, "'%s' object is not iterable", type_name (obj));
  return FALSE;
}

int
ls_op_next (LsValue iterator, LsValue *out)
{
  const LsTypeSlots *s = slots_of (iterator);

  if (ls_is_object (iterator) && s->next)
    return s->next (ls_value_as_object (iterator), out);
  *out = ls_exc_newf (&ls_exc_TypeError, "'%s' object is not an iterator", type_name (iterator));
  return -1;
}

/* ---- attributes ---------------------------------------------------------------- */

static gboolean
no_attribute (LsValue obj, const char *name, LsValue *out)
{
  *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'",
                      type_name (obj), name);
  return FALSE;
}

gboolean
ls_op_getattr (LsValue obj, const char *name, LsValue *out)
{
  const LsTypeSlots *s = slots_of (obj);

  if (_ls_is_number (obj))
    return _ls_num_getattr (obj, name, out);
  if (ls_is_object (obj) && s->getattr)
    return s->getattr (ls_value_as_object (obj), name, out);
  return no_attribute (obj, name, out);
}

gboolean
ls_op_setattr (LsValue obj, const char *name, LsValue value, LsValue *error)
{
  const LsTypeSlots *s = slots_of (obj);
  LsValue existing;

  if (ls_is_object (obj) && s->setattr)
    return s->setattr (ls_value_as_object (obj), name, value, error);
  /* A number's attributes are read-only and it takes no new ones. */
  if (_ls_is_number (obj) && _ls_num_getattr (obj, name, &existing))
    {
      ls_value_unref (existing);
      *error = ls_exc_newf (&ls_exc_AttributeError, "attribute '%s' of '%s' objects is not writable",
                            name, type_name (obj));
      return FALSE;
    }
  if (_ls_is_number (obj))
    ls_value_unref (existing);
  return no_attribute (obj, name, error);
}

/* ---- hash -------------------------------------------------------------------- */

gboolean
ls_op_hash (LsValue v, guint64 *hash, LsValue *error)
{
  const LsTypeSlots *s;
  LsObject *o;
  guintptr p;

  switch (ls_value_kind (v))
    {
    case LS_KIND_NONE: *hash = NONE_HASH; return TRUE;
    case LS_KIND_BOOL: *hash = ls_value_as_bool (v); return TRUE;
    case LS_KIND_INT: *hash = _ls_int_hash (v); return TRUE;
    case LS_KIND_FLOAT: *hash = _ls_float_hash (ls_value_as_float (v)); return TRUE;
    default: break;
    }
  s = slots_of (v);
  o = ls_value_as_object (v);
  if (s->hash)
    return s->hash (o, hash, error);
  if (o->cls->hash)
    {
      *hash = o->cls->hash (o);
      return TRUE;
    }
  /* A type that compares by value but defines no hash is unhashable, as
   * a Python class defining __eq__ without __hash__ (list, dict, set). */
  if (s->binary)
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "unhashable type: '%s'", o->cls->name);
      return FALSE;
    }
  /* _Py_HashPointer: the address rotated so that alignment zeros do not
   * crowd the low bits. */
  p = (guintptr) o;
  *hash = (guint64) ((p >> 4) | (p << (8 * sizeof p - 4)));
  if (*hash == G_MAXUINT64)
    *hash = (guint64) -2;
  return TRUE;
}
