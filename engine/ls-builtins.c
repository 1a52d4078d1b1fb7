/* ls-builtins.c - the builtins that are plain functions of values, and the
 * type objects (`int`, `str`, `list`, …) a program names.
 *
 * len, sorted, min, max, sum, round, isinstance, int("12"), … as CPython
 * 3.12 defines them, with its messages ("max() iterable argument is
 * empty", "invalid literal for int() with base 10: 'x'").  Arithmetic and
 * comparisons go through ls-ops.h, so that ints of any size and floats mix
 * as in CPython; sum() keeps CPython 3.12's shortcuts (C integers, then
 * Neumaier-compensated floats) because they decide the float printed.
 *
 * The VM adds print and the exception types; this file also holds the
 * helpers the container files share (ls-containers-private.h).
 */
#include "ls-containers-private.h"
#include "ls-vm-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared helpers -------------------------------------------------------------------- */

gboolean
_ls_eq (LsValue a, LsValue b, gboolean *eq, LsValue *error)
{
  LsValue r;
  gboolean ok;

  if (ls_value_identical (a, b))
    {
      *eq = TRUE;
      return TRUE;
    }
  /* Dict keys are mostly strings: compare them without the operator
   * machinery. */
  if (ls_is_object (a) && ls_is_object (b) && ls_value_as_object (a)->cls == &ls_str_class
      && ls_value_as_object (b)->cls == &ls_str_class)
    {
      const LsStr *x = (const LsStr *) ls_value_as_object (a), *y = (const LsStr *) ls_value_as_object (b);
      *eq = x->len == y->len && memcmp (x->data, y->data, x->len) == 0;
      return TRUE;
    }
  if (!ls_op_compare (LS_OP_EQ, a, b, &r))
    {
      *error = r;
      return FALSE;
    }
  ok = ls_op_truthy (r, eq, error);
  ls_value_unref (r);
  return ok;
}

gboolean
_ls_method_lookup (LsObject *self, const LsMethodDef *methods, const char *name, LsValue *out)
{
  for (const LsMethodDef *m = methods; m->name; m++)
    {
      const char *dot = strchr (m->name, '.');
      if (strcmp (dot ? dot + 1 : m->name, name) != 0)
        continue;
      if (m->kwfn)
        *out = ls_builtin_new_kw (m->name, m->kwfn, ls_value_ref (ls_object (self)), NULL, NULL);
      else
        *out = ls_builtin_new (m->name, m->fn, ls_value_ref (ls_object (self)), NULL, NULL);
      return TRUE;
    }
  *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'", self->cls->name, name);
  return FALSE;
}

gboolean
_ls_check_nargs (const char *name, guint nargs, guint min, guint max, LsValue *error)
{
  const char *dot = strchr (name, '.'), *shortname = dot ? dot + 1 : name;

  if (nargs >= min && nargs <= max)
    return TRUE;
  if (min == max && min == 0)
    *error = ls_exc_newf (&ls_exc_TypeError, "%s() takes no arguments (%u given)", name, nargs);
  else if (min == max && min == 1)
    *error = ls_exc_newf (&ls_exc_TypeError, "%s() takes exactly one argument (%u given)", name, nargs);
  else if (min == max)
    *error = ls_exc_newf (&ls_exc_TypeError, "%s expected %u arguments, got %u", shortname, min, nargs);
  else if (nargs < min)
    *error = ls_exc_newf (&ls_exc_TypeError, "%s expected at least %u argument%s, got %u",
                          shortname, min, min == 1 ? "" : "s", nargs);
  else
    *error = ls_exc_newf (&ls_exc_TypeError, "%s expected at most %u argument%s, got %u",
                          shortname, max, max == 1 ? "" : "s", nargs);
  return FALSE;
}

const LsValue *
_ls_kw_lookup (LsValue kwnames, const LsValue *kwvalues, const char *name)
{
  guint n;
  const LsValue *names;

  if (ls_is_none (kwnames))
    return NULL;
  names = _ls_seq_items (kwnames, &n);
  for (guint i = 0; i < n; i++)
    if (strcmp (ls_str_get (names[i]), name) == 0)
      return &kwvalues[i];
  return NULL;
}

gboolean
_ls_check_kwargs (const char *fname, LsValue kwnames, const char *const *allowed, LsValue *error)
{
  guint n;
  const LsValue *names;

  if (ls_is_none (kwnames))
    return TRUE;
  names = _ls_seq_items (kwnames, &n);
  for (guint i = 0; i < n; i++)
    {
      const char *k = ls_str_get (names[i]);
      gboolean known = FALSE;
      for (const char *const *a = allowed; *a && !known; a++)
        known = strcmp (*a, k) == 0;
      if (!known)
        {
          *error = ls_exc_newf (&ls_exc_TypeError, "%s() got an unexpected keyword argument '%s'", fname, k);
          return FALSE;
        }
    }
  return TRUE;
}

/* "'foo' is an invalid keyword argument for max()": the wording of the
 * builtins whose keywords are parsed by hand in CPython. */
static gboolean
check_kwargs_invalid (const char *fname, LsValue kwnames, const char *const *allowed, LsValue *error)
{
  if (_ls_check_kwargs (fname, kwnames, allowed, error))
    return TRUE;
  ls_value_unref (*error);
  {
    guint n;
    const LsValue *names = _ls_seq_items (kwnames, &n);
    for (guint i = 0; i < n; i++)
      {
        const char *k = ls_str_get (names[i]);
        gboolean known = FALSE;
        for (const char *const *a = allowed; *a && !known; a++)
          known = strcmp (*a, k) == 0;
        if (!known)
          {
            *error = ls_exc_newf (&ls_exc_TypeError, "'%s' is an invalid keyword argument for %s()", k, fname);
            break;
          }
      }
  }
  return FALSE;
}

static gboolean
not_an_integer (LsValue v, LsValue *error)
{
  *error = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                        ls_value_class (v)->name);
  return FALSE;
}

static inline gboolean
is_int (LsValue v)
{
  return ls_value_kind (v) == LS_KIND_INT || ls_value_kind (v) == LS_KIND_BOOL;
}

/* ---- type objects ----------------------------------------------------------------------- */

static char *
type_repr (LsObject *self)
{
  return g_strdup_printf ("<class '%s'>", ((LsTypeObject *) self)->cls->name);
}

static gboolean type_call_kw (LsObject *self, const LsValue *args, guint nargs,
                              LsValue kwnames, const LsValue *kwvalues, LsValue *result);

static gboolean
type_getattr (LsObject *self, const char *name, LsValue *out)
{
  const LsClass *cls = ((LsTypeObject *) self)->cls;

  if (strcmp (name, "__name__") == 0 || strcmp (name, "__qualname__") == 0)
    {
      *out = ls_str_new (cls->name);
      return TRUE;
    }
  *out = ls_exc_newf (&ls_exc_AttributeError, "type object '%s' has no attribute '%s'", cls->name, name);
  return FALSE;
}

static gboolean
type_hash (LsObject *self, guint64 *hash, LsValue *error)
{
  /* object.__hash__: the address, rotated by 4 bits. */
  guint64 p = (guint64) (guintptr) self;
  *hash = (p >> 4) | (p << 60);
  return TRUE;
}

static const LsTypeSlots type_ops = {
  .getattr = type_getattr,
  .hash = type_hash,
};

const LsClass _ls_type_class = {
  .name = "type",
  .repr = type_repr,
  .call_kw = type_call_kw,
  .ops = &type_ops,
};

typedef gboolean (*CtorFn) (const LsValue *args, guint nargs, LsValue kwnames,
                            const LsValue *kwvalues, LsValue *result);

static gboolean ctor_int (const LsValue *, guint, LsValue, const LsValue *, LsValue *);
static gboolean ctor_float (const LsValue *, guint, LsValue, const LsValue *, LsValue *);
static gboolean ctor_str (const LsValue *, guint, LsValue, const LsValue *, LsValue *);
static gboolean ctor_bool (const LsValue *, guint, LsValue, const LsValue *, LsValue *);
static gboolean ctor_list (const LsValue *, guint, LsValue, const LsValue *, LsValue *);
static gboolean ctor_tuple (const LsValue *, guint, LsValue, const LsValue *, LsValue *);
static gboolean ctor_dict (const LsValue *, guint, LsValue, const LsValue *, LsValue *);
static gboolean ctor_set (const LsValue *, guint, LsValue, const LsValue *, LsValue *);
static gboolean ctor_range (const LsValue *, guint, LsValue, const LsValue *, LsValue *);
static gboolean ctor_type (const LsValue *, guint, LsValue, const LsValue *, LsValue *);

static const struct {
  const LsClass *cls;
  CtorFn ctor;
} ctors[] = {
  { &ls_int_class, ctor_int },
  { &ls_float_class, ctor_float },
  { &ls_str_class, ctor_str },
  { &ls_bool_class, ctor_bool },
  { &ls_list_class, ctor_list },
  { &ls_tuple_class, ctor_tuple },
  { &ls_dict_class, ctor_dict },
  { &ls_set_class, ctor_set },
  { &_ls_range_class, ctor_range },
  { &_ls_type_class, ctor_type },
  { &ls_none_class, NULL },
  { &ls_slice_class, NULL },
};

/* One immortal type object per class: the builtin ones made here, any
 * other (list_iterator, function, …) the first time type() meets it. */
static LsTypeObject builtin_types[G_N_ELEMENTS (ctors)];
static GHashTable *other_types;

LsValue
_ls_type_object (const LsClass *cls)
{
  LsTypeObject *t;

  for (guint i = 0; i < G_N_ELEMENTS (ctors); i++)
    if (ctors[i].cls == cls)
      {
        t = &builtin_types[i];
        if (!t->cls)
          {
            t->base.cls = &_ls_type_class;
            t->base.refcount = LS_IMMORTAL;
            t->cls = cls;
          }
        return ls_object (t);
      }
  if (!other_types)
    other_types = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  t = g_hash_table_lookup (other_types, cls);
  if (!t)
    {
      t = g_new0 (LsTypeObject, 1);
      t->base.cls = &_ls_type_class;
      t->base.refcount = LS_IMMORTAL;
      t->cls = cls;
      g_hash_table_insert (other_types, (gpointer) cls, t);
    }
  return ls_object (t);
}

static gboolean
type_call_kw (LsObject *self, const LsValue *args, guint nargs,
              LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  const LsClass *cls = ((LsTypeObject *) self)->cls;

  for (guint i = 0; i < G_N_ELEMENTS (ctors); i++)
    if (ctors[i].cls == cls && ctors[i].ctor)
      return ctors[i].ctor (args, nargs, kwnames, kwvalues, result);
  *result = ls_exc_newf (&ls_exc_TypeError, "cannot create '%s' instances", cls->name);
  return FALSE;
}

/* type(x): exceptions have their (possibly run-time) type objects. */
static LsValue
type_of (LsValue v)
{
  const LsExcType *t = ls_exc_type (v);

  if (t)
    return ls_value_ref (((LsException *) ls_value_as_object (v))->type_ref);
  return _ls_type_object (ls_value_class (v));
}

static gboolean
no_kwargs (const char *fname, LsValue kwnames, LsValue *error)
{
  guint n = 0;
  if (!ls_is_none (kwnames))
    _ls_seq_items (kwnames, &n);
  if (n == 0)
    return TRUE;
  *error = ls_exc_newf (&ls_exc_TypeError, "%s() takes no keyword arguments", fname);
  return FALSE;
}

static gboolean
ctor_type (const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  if (nargs != 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, nargs == 3 ? "type() with 3 arguments is not supported"
                             : "type() takes 1 or 3 arguments");
      return FALSE;
    }
  if (!no_kwargs ("type", kwnames, result))
    return FALSE;
  *result = type_of (args[0]);
  return TRUE;
}

/* ---- int() and float() ----------------------------------------------------------------- */

static int
digit_value (char c)
{
  if (g_ascii_isdigit (c))
    return c - '0';
  if (g_ascii_isalpha (c))
    return g_ascii_tolower (c) - 'a' + 10;
  return 99;
}

/* int(text, base) as PyLong_FromString reads it; FALSE and *out the
 * ValueError. */
static gboolean
int_from_text (const char *text, gsize len, int base, LsValue *out)
{
  const char *p = text, *end = text + len;
  gboolean neg = FALSE, ok = TRUE, prev_digit = FALSE, any = FALSE;
  int b = base;
  GString *digits = g_string_new (NULL);

  while (p < end && g_ascii_isspace (*p))
    p++;
  while (end > p && g_ascii_isspace (end[-1]))
    end--;
  if (p < end && (*p == '+' || *p == '-'))
    neg = *p++ == '-';
  if (end - p >= 2 && p[0] == '0')
    {
      char x = g_ascii_tolower (p[1]);
      int prefixed = x == 'x' ? 16 : x == 'o' ? 8 : x == 'b' ? 2 : 0;
      if (prefixed && (b == 0 || b == prefixed))
        {
          b = prefixed;
          p += 2;
          prev_digit = TRUE;       /* "0x_1f" is allowed */
        }
    }
  if (b == 0)
    {
      b = 10;
      /* A decimal literal cannot have leading zeros, unless all zeros. */
      if (p < end && *p == '0')
        for (const char *q = p; q < end; q++)
          if (*q != '0' && *q != '_')
            ok = FALSE;
    }
  for (; p < end && ok; p++)
    {
      if (*p == '_')
        {
          ok = prev_digit;
          prev_digit = FALSE;
          continue;
        }
      if (digit_value (*p) >= b)
        ok = FALSE;
      else
        {
          g_string_append_c (digits, *p);
          prev_digit = any = TRUE;
        }
    }
  ok = ok && any && prev_digit;
  if (!ok)
    {
      LsValue tmp = ls_str_new_len (text, len);
      char *shown = ls_value_repr (tmp);
      ls_value_unref (tmp);
      *out = ls_exc_newf (&ls_exc_ValueError, "invalid literal for int() with base %d: %s", base, shown);
      g_free (shown);
      g_string_free (digits, TRUE);
      return FALSE;
    }
  *out = ls_int_from_string (digits->str, b);
  g_string_free (digits, TRUE);
  if (neg)
    {
      LsValue pos = *out;
      gboolean r = ls_op_unary (LS_OP_NEG, pos, out);
      ls_value_unref (pos);
      return r;
    }
  return TRUE;
}

/* int(d) of a finite float: exact, however large. */
static LsValue
int_from_double (double d)
{
  char buf[400];

  d = trunc (d);
  if (fabs (d) < 9e15)
    return ls_int ((gint64) d);
  snprintf (buf, sizeof buf, "%.0f", fabs (d));
  if (d < 0)
    {
      LsValue pos = ls_int_from_string (buf, 10), neg;
      if (!ls_op_unary (LS_OP_NEG, pos, &neg))
        neg = ls_int (0);
      ls_value_unref (pos);
      return neg;
    }
  return ls_int_from_string (buf, 10);
}

static gboolean
float_to_int (double d, LsValue *out)
{
  if (isnan (d))
    {
      *out = ls_exc_newf (&ls_exc_ValueError, "cannot convert float NaN to integer");
      return FALSE;
    }
  if (isinf (d))
    {
      *out = ls_exc_newf (&ls_exc_ArithmeticError, "cannot convert float infinity to integer");
      return FALSE;
    }
  *out = int_from_double (d);
  return TRUE;
}

static gboolean
ctor_int (const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  static const char *const allowed[] = { "base", NULL };
  const LsValue *basev = _ls_kw_lookup (kwnames, kwvalues, "base");
  gint64 base = 10;
  LsValue x;

  if (nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "int() takes at most 2 arguments (%u given)", nargs);
      return FALSE;
    }
  if (!_ls_check_kwargs ("int", kwnames, allowed, result))
    return FALSE;
  if (nargs == 2)
    basev = &args[1];
  if (nargs == 0)
    {
      if (basev)
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "int() missing string argument");
          return FALSE;
        }
      *result = ls_int (0);
      return TRUE;
    }
  x = args[0];
  if (basev)
    {
      if (!_ls_index_value (*basev, &base, result))
        return ls_is_none (*result) ? not_an_integer (*basev, result) : FALSE;
      if (base != 0 && (base < 2 || base > 36))
        {
          *result = ls_exc_newf (&ls_exc_ValueError, "int() base must be >= 2 and <= 36, or 0");
          return FALSE;
        }
      if (!ls_value_is (x, &ls_str_class))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "int() can't convert non-string with explicit base");
          return FALSE;
        }
    }
  if (ls_value_is (x, &ls_str_class))
    return int_from_text (ls_str_get (x), ((LsStr *) ls_value_as_object (x))->len, base, result);
  switch (ls_value_kind (x))
    {
    case LS_KIND_INT:
      *result = ls_value_ref (x);
      return TRUE;
    case LS_KIND_BOOL:
      *result = ls_int (ls_value_as_bool (x));
      return TRUE;
    case LS_KIND_FLOAT:
      return float_to_int (ls_value_as_float (x), result);
    default:
      *result = ls_exc_newf (&ls_exc_TypeError,
                             "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                             ls_value_class (x)->name);
      return FALSE;
    }
}

static gboolean
float_from_text (const char *text, gsize len, LsValue *out)
{
  char *s = g_strndup (text, len), *p = g_strstrip (s), *clean, *endp;
  const char *body;
  gboolean ok = TRUE, prev_digit = FALSE;
  double d = 0;
  GString *g = g_string_new (NULL);

  /* Underscores only between digits; no hex floats. */
  for (char *q = p; *q; q++)
    {
      if (*q == '_')
        {
          ok = ok && prev_digit && g_ascii_isdigit (q[1]);
          continue;
        }
      if (*q == 'x' || *q == 'X')
        ok = FALSE;
      prev_digit = g_ascii_isdigit (*q);
      g_string_append_c (g, *q);
    }
  clean = g_string_free (g, FALSE);
  body = clean + (clean[0] == '+' || clean[0] == '-');
  if (ok && (g_ascii_strcasecmp (body, "inf") == 0 || g_ascii_strcasecmp (body, "infinity") == 0))
    d = clean[0] == '-' ? -INFINITY : INFINITY;
  else if (ok && g_ascii_strcasecmp (body, "nan") == 0)
    d = NAN;
  else if (ok && *clean && !g_ascii_isalpha (body[0]))
    {
      d = g_ascii_strtod (clean, &endp);
      ok = *endp == '\0' && endp != clean;
    }
  else
    ok = FALSE;
  if (!ok)
    {
      LsValue tmp = ls_str_new_len (text, len);
      char *shown = ls_value_repr (tmp);
      *out = ls_exc_newf (&ls_exc_ValueError, "could not convert string to float: %s", shown);
      g_free (shown);
      ls_value_unref (tmp);
    }
  else
    *out = ls_float (d);
  g_free (clean);
  g_free (s);
  return ok;
}

static gboolean
to_float (LsValue x, LsValue *result)
{
  gint64 i;

  switch (ls_value_kind (x))
    {
    case LS_KIND_FLOAT:
      *result = x;
      return TRUE;
    case LS_KIND_BOOL:
      *result = ls_float (ls_value_as_bool (x));
      return TRUE;
    case LS_KIND_INT:
      if (ls_int_fits_int64 (x, &i) && i > -(G_GINT64_CONSTANT (1) << 53) && i < (G_GINT64_CONSTANT (1) << 53))
        {
          *result = ls_float ((double) i);
          return TRUE;
        }
      /* int + 0.0 converts the int correctly rounded (or raises). */
      return ls_op_binary (LS_OP_ADD, x, ls_float (0.0), result);
    default:
      if (ls_value_is (x, &ls_str_class))
        return float_from_text (ls_str_get (x), ((LsStr *) ls_value_as_object (x))->len, result);
      *result = ls_exc_newf (&ls_exc_TypeError, "float() argument must be a string or a real number, not '%s'",
                             ls_value_class (x)->name);
      return FALSE;
    }
}

/* The constructors' common check: no keywords (when kwnames is not None)
 * and one positional argument at the most, with CPython's messages. */
static gboolean
at_most_one (const char *name, guint nargs, LsValue kwnames, LsValue *result)
{
  if (!no_kwargs (name, kwnames, result))
    return FALSE;
  if (nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "%s expected at most 1 argument, got %u", name, nargs);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ctor_float (const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  if (!at_most_one ("float", nargs, kwnames, result))
    return FALSE;
  if (nargs == 0)
    {
      *result = ls_float (0.0);
      return TRUE;
    }
  return to_float (args[0], result);
}

/* ---- the other constructors ------------------------------------------------------------------ */

static gboolean
ctor_str (const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  if (!no_kwargs ("str", kwnames, result))
    return FALSE;
  if (nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "str() takes at most 1 argument (%u given)", nargs);
      return FALSE;
    }
  if (nargs == 0)
    *result = ls_str_new ("");
  else if (ls_value_is (args[0], &ls_str_class))
    *result = ls_value_ref (args[0]);
  else
    *result = ls_str_take (ls_value_str (args[0]));
  return TRUE;
}

static gboolean
ctor_bool (const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  gboolean b = FALSE;

  if (!at_most_one ("bool", nargs, kwnames, result))
    return FALSE;
  if (nargs == 1 && !ls_op_truthy (args[0], &b, result))
    return FALSE;
  *result = ls_bool (b);
  return TRUE;
}

static gboolean
ctor_list (const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  if (!at_most_one ("list", nargs, kwnames, result))
    return FALSE;
  if (nargs == 0)
    {
      *result = ls_list_new ();
      return TRUE;
    }
  return _ls_list_from_iterable (args[0], result);
}

static gboolean
ctor_tuple (const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsValue list;
  guint n;
  const LsValue *items;
  LsValue *refs;

  if (!at_most_one ("tuple", nargs, kwnames, result))
    return FALSE;
  if (nargs == 0)
    {
      *result = ls_tuple_new (0, NULL);
      return TRUE;
    }
  if (ls_is_object (args[0]) && ls_value_as_object (args[0])->cls == &ls_tuple_class)
    {
      *result = ls_value_ref (args[0]);
      return TRUE;
    }
  if (!_ls_list_from_iterable (args[0], &list))
    {
      *result = list;
      return FALSE;
    }
  items = _ls_seq_items (list, &n);
  refs = g_new (LsValue, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    refs[i] = ls_value_ref (items[i]);
  *result = ls_tuple_new (n, refs);
  g_free (refs);
  ls_value_unref (list);
  return TRUE;
}

static gboolean
ctor_dict (const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsValue d;
  guint n = 0;
  const LsValue *names;

  if (!at_most_one ("dict", nargs, ls_none (), result))
    return FALSE;
  d = ls_dict_new ();
  if (nargs == 1 && !_ls_dict_update_from (d, args[0], result))
    {
      ls_value_unref (d);
      return FALSE;
    }
  names = ls_is_none (kwnames) ? NULL : _ls_seq_items (kwnames, &n);
  for (guint i = 0; i < n; i++)
    if (!ls_dict_set (d, names[i], kwvalues[i], result))
      {
        ls_value_unref (d);
        return FALSE;
      }
  *result = d;
  return TRUE;
}

static gboolean
ctor_set (const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsValue s;

  if (!at_most_one ("set", nargs, kwnames, result))
    return FALSE;
  s = ls_set_new ();
  if (nargs == 1 && !_ls_set_update_from (s, args[0], result))
    {
      ls_value_unref (s);
      return FALSE;
    }
  *result = s;
  return TRUE;
}

static gboolean
ctor_range (const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  if (!no_kwargs ("range", kwnames, result))
    return FALSE;
  return _ls_range_new (args, nargs, result);
}

/* ---- builtins: sequences and iteration ---------------------------------------------------------- */

#define BUILTIN(name) \
  static gboolean name (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
#define BUILTIN_KW(name) \
  static gboolean name (LsValue self, gpointer data, const LsValue *args, guint nargs, \
                        LsValue kwnames, const LsValue *kwvalues, LsValue *result)

BUILTIN (bi_len)
{
  gint64 n;
  if (!_ls_check_nargs ("len", nargs, 1, 1, result) || !ls_op_len (args[0], &n, result))
    return FALSE;
  *result = ls_int (n);
  return TRUE;
}

BUILTIN (bi_repr)
{
  if (!_ls_check_nargs (data ? "ascii" : "repr", nargs, 1, 1, result))
    return FALSE;
  *result = ls_str_take (ls_value_repr (args[0]));
  return TRUE;
}

BUILTIN (bi_iter)
{
  if (nargs == 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "iter(object, sentinel) is not supported");
      return FALSE;
    }
  if (!_ls_check_nargs ("iter", nargs, 1, 1, result))
    {
      ls_value_unref (*result);
      *result = ls_exc_newf (&ls_exc_TypeError, nargs ? "iter expected at most 2 arguments, got %u"
                             : "iter expected at least 1 argument, got %u", nargs);
      return FALSE;
    }
  return ls_op_iter (args[0], result);
}

BUILTIN (bi_next)
{
  int r;

  if (nargs < 1 || nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, nargs ? "next expected at most 2 arguments, got %u"
                             : "next expected at least 1 argument, got %u", nargs);
      return FALSE;
    }
  r = _ls_vm_next_explicit (args[0], result);
  if (r != 0)
    return r > 0;
  if (nargs == 2)
    {
      ls_value_unref (*result);
      *result = ls_value_ref (args[1]);
      return TRUE;
    }
  if (ls_is_none (*result))
    *result = ls_exc_newf (&ls_exc_StopIteration, NULL);
  else
    *result = ls_exc_new (&ls_exc_StopIteration, 1, result);
  return FALSE;
}

typedef struct {
  gboolean want;      /* any: stop at a true item; all: at a false one */
  gboolean found;
} AnyAll;

static gboolean
any_all_each (LsValue item, gpointer data, LsValue *error)
{
  AnyAll *st = data;
  gboolean t;

  if (!ls_op_truthy (item, &t, error))
    return FALSE;
  if (t == st->want)
    {
      st->found = TRUE;
      *error = ls_none ();
      return FALSE;      /* stop early */
    }
  return TRUE;
}

BUILTIN (bi_any_all)
{
  gboolean is_any = GPOINTER_TO_INT (data);
  AnyAll st = { is_any, FALSE };

  if (!_ls_check_nargs (is_any ? "any" : "all", nargs, 1, 1, result))
    return FALSE;
  if (!_ls_foreach (args[0], any_all_each, &st, result) && !st.found)
    return FALSE;
  *result = ls_bool (is_any ? st.found : !st.found);
  return TRUE;
}

BUILTIN_KW (bi_enumerate)
{
  static const char *const allowed[] = { "iterable", "start", NULL };
  const LsValue *start = _ls_kw_lookup (kwnames, kwvalues, "start");
  const LsValue *iterable = _ls_kw_lookup (kwnames, kwvalues, "iterable");
  LsValue it;

  if (!_ls_check_kwargs ("enumerate", kwnames, allowed, result))
    return FALSE;
  if (nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "enumerate() takes at most 2 arguments (%u given)", nargs);
      return FALSE;
    }
  if (nargs >= 1)
    iterable = &args[0];
  if (nargs == 2)
    start = &args[1];
  if (!iterable)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "enumerate() missing required argument 'iterable'");
      return FALSE;
    }
  if (start && !is_int (*start))
    return not_an_integer (*start, result);
  if (!ls_op_iter (*iterable, &it))
    {
      *result = it;
      return FALSE;
    }
  *result = _ls_enumerate_new (it, start ? ls_value_ref (*start) : ls_int (0));
  return TRUE;
}

/* The iterators of args[from..nargs), or FALSE. */
static gboolean
iterators_of (const LsValue *args, guint nargs, guint from, LsValue **its, LsValue *error)
{
  *its = g_new (LsValue, MAX (nargs, 1));
  for (guint i = from; i < nargs; i++)
    if (!ls_op_iter (args[i], &(*its)[i - from]))
      {
        *error = (*its)[i - from];
        for (guint k = from; k < i; k++)
          ls_value_unref ((*its)[k - from]);
        g_free (*its);
        return FALSE;
      }
  return TRUE;
}

BUILTIN_KW (bi_zip)
{
  static const char *const allowed[] = { "strict", NULL };
  const LsValue *strictv = _ls_kw_lookup (kwnames, kwvalues, "strict");
  gboolean strict = FALSE;
  LsValue *its;

  if (!_ls_check_kwargs ("zip", kwnames, allowed, result))
    return FALSE;
  if (strictv && !ls_op_truthy (*strictv, &strict, result))
    return FALSE;
  if (!iterators_of (args, nargs, 0, &its, result))
    return FALSE;
  *result = _ls_zip_new (nargs, its, strict);
  g_free (its);
  return TRUE;
}

BUILTIN (bi_map)
{
  LsValue *its;

  if (nargs < 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "map() must have at least two arguments.");
      return FALSE;
    }
  if (!iterators_of (args, nargs, 1, &its, result))
    return FALSE;
  *result = _ls_map_new (args[0], nargs - 1, its);
  g_free (its);
  return TRUE;
}

BUILTIN (bi_filter)
{
  LsValue it;

  if (!_ls_check_nargs ("filter", nargs, 2, 2, result))
    return FALSE;
  if (!ls_op_iter (args[1], &it))
    {
      *result = it;
      return FALSE;
    }
  *result = _ls_filter_new (args[0], it);
  return TRUE;
}

BUILTIN (bi_reversed)
{
  if (!_ls_check_nargs ("reversed", nargs, 1, 1, result))
    {
      ls_value_unref (*result);
      *result = ls_exc_newf (&ls_exc_TypeError, "reversed expected 1 argument, got %u", nargs);
      return FALSE;
    }
  return _ls_reversed (args[0], result);
}

BUILTIN_KW (bi_sorted)
{
  static const char *const allowed[] = { "key", "reverse", NULL };
  const LsValue *key = _ls_kw_lookup (kwnames, kwvalues, "key");
  const LsValue *rev = _ls_kw_lookup (kwnames, kwvalues, "reverse");
  gboolean reverse = FALSE;
  LsValue list;

  if (nargs != 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "sorted expected 1 argument, got %u", nargs);
      return FALSE;
    }
  if (!check_kwargs_invalid ("sort", kwnames, allowed, result))
    return FALSE;
  if (rev && !ls_op_truthy (*rev, &reverse, result))
    return FALSE;
  if (!_ls_list_from_iterable (args[0], &list))
    {
      *result = list;
      return FALSE;
    }
  if (!_ls_list_sort (list, key ? *key : ls_none (), reverse, result))
    {
      ls_value_unref (list);
      return FALSE;
    }
  *result = list;
  return TRUE;
}

/* ---- min, max, sum ------------------------------------------------------------------------------ */

typedef struct {
  LsOp op;                 /* GT for max, LT for min */
  LsValue key;             /* None or the key function */
  LsValue best, best_key;  /* owned; None until the first item */
  gboolean have;
} MinMax;

static gboolean
minmax_each (LsValue item, gpointer data, LsValue *error)
{
  MinMax *st = data;
  LsValue k, r;
  gboolean better;

  if (ls_is_none (st->key))
    k = ls_value_ref (item);
  else if (!ls_call (st->key, &item, 1, &k))
    {
      *error = k;
      return FALSE;
    }
  if (!st->have)
    {
      st->best = ls_value_ref (item);
      st->best_key = k;
      st->have = TRUE;
      return TRUE;
    }
  if (!ls_op_compare (st->op, k, st->best_key, &r))
    {
      ls_value_unref (k);
      *error = r;
      return FALSE;
    }
  if (!ls_op_truthy (r, &better, error))
    {
      ls_value_unref (r);
      ls_value_unref (k);
      return FALSE;
    }
  ls_value_unref (r);
  if (better)
    {
      ls_value_set (&st->best, ls_value_ref (item));
      ls_value_set (&st->best_key, k);
    }
  else
    ls_value_unref (k);
  return TRUE;
}

BUILTIN_KW (bi_minmax)
{
  static const char *const allowed[] = { "key", "default", NULL };
  const char *name = data ? "max" : "min";
  const LsValue *key = _ls_kw_lookup (kwnames, kwvalues, "key");
  const LsValue *def = _ls_kw_lookup (kwnames, kwvalues, "default");
  MinMax st = { data ? LS_OP_GT : LS_OP_LT, key ? *key : ls_none (), ls_none (), ls_none (), FALSE };
  gboolean ok = TRUE;

  if (nargs == 0)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "%s expected at least 1 argument, got 0", name);
      return FALSE;
    }
  if (!check_kwargs_invalid (name, kwnames, allowed, result))
    return FALSE;
  if (def && nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError,
                             "Cannot specify a default for %s() with multiple positional arguments", name);
      return FALSE;
    }
  if (nargs == 1)
    ok = _ls_foreach (args[0], minmax_each, &st, result);
  else
    for (guint i = 0; i < nargs && ok; i++)
      ok = minmax_each (args[i], &st, result);
  ls_value_unref (st.best_key);
  if (!ok)
    {
      ls_value_unref (st.best);
      return FALSE;
    }
  if (!st.have)
    {
      if (def)
        {
          *result = ls_value_ref (*def);
          return TRUE;
        }
      *result = ls_exc_newf (&ls_exc_ValueError, "%s() iterable argument is empty", name);
      return FALSE;
    }
  *result = st.best;
  return TRUE;
}

/* sum(): builtin_sum_impl's three stages, in order. */
typedef struct {
  int stage;               /* 0: C integers, 1: compensated floats, 2: objects */
  gint64 i;
  double f, c;
  LsValue acc;             /* owned, stage 2 */
} SumState;

static void
neumaier_add (SumState *st, double x)
{
  double t = st->f + x;
  if (fabs (st->f) >= fabs (x))
    st->c += (st->f - t) + x;
  else
    st->c += (x - t) + st->f;
  st->f = t;
}

static gboolean
sum_each (LsValue item, gpointer data, LsValue *error)
{
  SumState *st = data;
  LsValue next;
  gint64 v;

  if (st->stage == 0)
    {
      gint64 total;
      if (is_int (item) && ls_int_fits_int64 (item, &v) && !__builtin_add_overflow (st->i, v, &total))
        {
          st->i = total;
          return TRUE;
        }
      st->acc = ls_int (st->i);
      st->stage = 2;
    }
  else if (st->stage == 1)
    {
      if (ls_value_kind (item) == LS_KIND_FLOAT)
        {
          neumaier_add (st, ls_value_as_float (item));
          return TRUE;
        }
      if (is_int (item) && ls_int_fits_int64 (item, &v))
        {
          neumaier_add (st, (double) v);
          return TRUE;
        }
      st->acc = ls_float (st->f + st->c);
      st->stage = 2;
    }
  if (!ls_op_binary (LS_OP_ADD, st->acc, item, &next))
    {
      *error = next;
      return FALSE;
    }
  ls_value_set (&st->acc, next);
  /* An int total that becomes a float goes on with compensation. */
  if (ls_value_kind (st->acc) == LS_KIND_FLOAT)
    {
      st->f = ls_value_as_float (st->acc);
      st->c = 0.0;
      st->stage = 1;
    }
  return TRUE;
}

BUILTIN_KW (bi_sum)
{
  static const char *const allowed[] = { "start", NULL };
  const LsValue *startv = _ls_kw_lookup (kwnames, kwvalues, "start");
  LsValue start = ls_int (0);
  SumState st = { 2, 0, 0.0, 0.0, ls_none () };

  if (nargs < 1 || nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, nargs ? "sum() takes at most 2 arguments (%u given)"
                             : "sum() takes at least 1 positional argument (%u given)", nargs);
      return FALSE;
    }
  if (!_ls_check_kwargs ("sum", kwnames, allowed, result))
    return FALSE;
  if (nargs == 2)
    startv = &args[1];
  if (startv)
    start = *startv;
  if (ls_value_is (start, &ls_str_class))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
      return FALSE;
    }
  if (ls_value_kind (start) == LS_KIND_INT && ls_int_fits_int64 (start, &st.i))
    st.stage = 0;
  else if (ls_value_kind (start) == LS_KIND_FLOAT)
    {
      st.stage = 1;
      st.f = ls_value_as_float (start);
    }
  else
    st.acc = ls_value_ref (start);
  if (!_ls_foreach (args[0], sum_each, &st, result))
    {
      ls_value_unref (st.acc);
      return FALSE;
    }
  switch (st.stage)
    {
    case 0:
      *result = ls_int (st.i);
      break;
    case 1:
      /* Keep the sign of -0.0 and do not turn an infinite sum into nan. */
      if (st.c != 0.0 && isfinite (st.c))
        st.f += st.c;
      *result = ls_float (st.f);
      ls_value_unref (st.acc);
      break;
    default:
      *result = st.acc;
      break;
    }
  return TRUE;
}

/* ---- numbers ------------------------------------------------------------------------------------- */

BUILTIN (bi_abs)
{
  LsValue zero = ls_int (0), lt;
  gboolean neg;

  if (!_ls_check_nargs ("abs", nargs, 1, 1, result))
    return FALSE;
  switch (ls_value_kind (args[0]))
    {
    case LS_KIND_FLOAT:
      *result = ls_float (fabs (ls_value_as_float (args[0])));
      return TRUE;
    case LS_KIND_BOOL:
      *result = ls_int (ls_value_as_bool (args[0]));
      return TRUE;
    case LS_KIND_INT:
      if (!ls_op_compare (LS_OP_LT, args[0], zero, &lt))
        {
          *result = lt;
          return FALSE;
        }
      neg = ls_value_truthy (lt);
      ls_value_unref (lt);
      if (!neg)
        {
          *result = ls_value_ref (args[0]);
          return TRUE;
        }
      return ls_op_unary (LS_OP_NEG, args[0], result);
    default:
      *result = ls_exc_newf (&ls_exc_TypeError, "bad operand type for abs(): '%s'", ls_value_class (args[0])->name);
      return FALSE;
    }
}

/* round(x, ndigits) for a float: the decimal digits of x's exact value,
 * rounded half to even (what CPython's dtoa-based double_round does). */
static double
round_double (double x, gint64 ndigits)
{
  char *s, *dot;
  GString *digits;
  gsize intlen;
  gint64 keep;
  gboolean up = FALSE;
  double r;

  if (!isfinite (x) || x == 0.0)
    return x;
  if (ndigits > 323)
    return x;
  if (ndigits < -308)
    return copysign (0.0, x);
  if (ndigits >= 0)
    {
      s = g_strdup_printf ("%.*f", (int) ndigits, x);   /* correctly rounded, ties to even */
      r = g_ascii_strtod (s, NULL);
      g_free (s);
      return r;
    }
  /* Exact decimal expansion, then round at 10**-ndigits by hand. */
  s = g_strdup_printf ("%.1100f", fabs (x));
  dot = strchr (s, '.');
  intlen = dot - s;
  keep = (gint64) intlen + ndigits;
  if (keep < 0)
    {
      g_free (s);
      return copysign (0.0, x);
    }
  digits = g_string_new_len (s, keep);
  {
    char d = keep < (gint64) intlen ? s[keep] : '0';
    gboolean rest_nonzero = FALSE;
    for (const char *p = s + keep + 1; *p; p++)
      if (*p != '0' && *p != '.')
        rest_nonzero = TRUE;
    if (d > '5' || (d == '5' && rest_nonzero))
      up = TRUE;
    else if (d == '5')
      up = keep > 0 && ((s[keep - 1] - '0') & 1);
  }
  if (up)
    {
      gssize i = (gssize) digits->len - 1;
      while (i >= 0 && digits->str[i] == '9')
        digits->str[i--] = '0';
      if (i >= 0)
        digits->str[i]++;
      else
        g_string_prepend_c (digits, '1');
    }
  if (digits->len == 0)
    g_string_append_c (digits, '0');
  for (gint64 i = 0; i < -ndigits; i++)
    g_string_append_c (digits, '0');
  r = g_ascii_strtod (digits->str, NULL);
  g_string_free (digits, TRUE);
  g_free (s);
  return copysign (r, x);
}

/* *slot = a op b (an arithmetic operator or a comparison). */
static gboolean
arith (LsOp op, LsValue a, LsValue b, LsValue *slot, LsValue *error)
{
  LsValue r;
  gboolean ok = op >= LS_OP_EQ && op <= LS_OP_GE ? ls_op_compare (op, a, b, &r) : ls_op_binary (op, a, b, &r);

  if (!ok)
    {
      *error = r;
      return FALSE;
    }
  ls_value_set (slot, r);
  return TRUE;
}

/* round(x, ndigits) for an int with ndigits < 0: half to even, exactly. */
static gboolean
round_int (LsValue x, gint64 ndigits, LsValue *result)
{
  LsValue p = ls_none (), q = ls_none (), r = ls_none (), twice = ls_none (), t = ls_none ();
  gboolean ok, up = FALSE;

  ok = arith (LS_OP_POW, ls_int (10), ls_int (-ndigits), &p, result)
       && arith (LS_OP_FLOORDIV, x, p, &q, result)
       && arith (LS_OP_MOD, x, p, &r, result)
       && arith (LS_OP_MUL, r, ls_int (2), &twice, result)
       && arith (LS_OP_GT, twice, p, &t, result);
  if (ok)
    {
      up = ls_value_truthy (t);
      if (!up)
        {
          ok = arith (LS_OP_EQ, twice, p, &t, result);
          if (ok && ls_value_truthy (t))
            {
              ok = arith (LS_OP_MOD, q, ls_int (2), &t, result);
              up = ok && ls_value_truthy (t);
            }
        }
    }
  if (ok && up)
    ok = arith (LS_OP_ADD, q, ls_int (1), &q, result);
  if (ok)
    ok = arith (LS_OP_MUL, q, p, &t, result);
  if (ok)
    *result = ls_value_ref (t);
  ls_value_unref (p);
  ls_value_unref (q);
  ls_value_unref (r);
  ls_value_unref (twice);
  ls_value_unref (t);
  return ok;
}

BUILTIN_KW (bi_round)
{
  static const char *const allowed[] = { "number", "ndigits", NULL };
  const LsValue *nd = _ls_kw_lookup (kwnames, kwvalues, "ndigits");
  const LsValue *x = _ls_kw_lookup (kwnames, kwvalues, "number");
  gint64 ndigits = 0;

  if (!_ls_check_kwargs ("round", kwnames, allowed, result))
    return FALSE;
  if (nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "round() takes at most 2 arguments (%u given)", nargs);
      return FALSE;
    }
  if (nargs >= 1)
    x = &args[0];
  if (nargs == 2)
    nd = &args[1];
  if (!x)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "round() missing required argument 'number' (pos 1)");
      return FALSE;
    }
  if (nd && ls_is_none (*nd))
    nd = NULL;
  if (nd && !_ls_index_value (*nd, &ndigits, result))
    return ls_is_none (*result) ? not_an_integer (*nd, result) : FALSE;
  switch (ls_value_kind (*x))
    {
    case LS_KIND_FLOAT:
      if (!nd)
        return float_to_int (nearbyint (ls_value_as_float (*x)), result);
      *result = ls_float (round_double (ls_value_as_float (*x), ndigits));
      return TRUE;
    case LS_KIND_BOOL:
    case LS_KIND_INT:
      if (!nd || ndigits >= 0)
        {
          *result = ls_value_kind (*x) == LS_KIND_BOOL ? ls_int (ls_value_as_bool (*x)) : ls_value_ref (*x);
          return TRUE;
        }
      return round_int (*x, ndigits, result);
    default:
      *result = ls_exc_newf (&ls_exc_TypeError, "type %s doesn't define __round__ method",
                             ls_value_class (*x)->name);
      return FALSE;
    }
}

BUILTIN (bi_divmod)
{
  LsValue pair[2];

  if (!_ls_check_nargs ("divmod", nargs, 2, 2, result))
    return FALSE;
  if (!ls_op_binary (LS_OP_FLOORDIV, args[0], args[1], &pair[0]))
    {
      *result = pair[0];
      return FALSE;
    }
  if (!ls_op_binary (LS_OP_MOD, args[0], args[1], &pair[1]))
    {
      ls_value_unref (pair[0]);
      *result = pair[1];
      return FALSE;
    }
  *result = ls_tuple_new (2, pair);
  return TRUE;
}

BUILTIN_KW (bi_pow)
{
  static const char *const allowed[] = { "base", "exp", "mod", NULL };
  const LsValue *base = _ls_kw_lookup (kwnames, kwvalues, "base");
  const LsValue *exp = _ls_kw_lookup (kwnames, kwvalues, "exp");
  const LsValue *mod = _ls_kw_lookup (kwnames, kwvalues, "mod");
  LsValue acc, b, tmp;
  gint64 e;

  if (!_ls_check_kwargs ("pow", kwnames, allowed, result))
    return FALSE;
  if (nargs > 3)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "pow expected at most 3 arguments, got %u", nargs);
      return FALSE;
    }
  if (nargs >= 1)
    base = &args[0];
  if (nargs >= 2)
    exp = &args[1];
  if (nargs >= 3)
    mod = &args[2];
  if (!base || !exp)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "pow() missing required argument '%s' (pos %d)",
                             base ? "exp" : "base", base ? 2 : 1);
      return FALSE;
    }
  if (!mod || ls_is_none (*mod))
    return ls_op_binary (LS_OP_POW, *base, *exp, result);
  if (!is_int (*base) || !is_int (*exp) || !is_int (*mod))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
      return FALSE;
    }
  if (!_ls_index_value (*exp, &e, result))
    return FALSE;
  if (e < 0)
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "pow() with a negative exponent and a modulus is not supported");
      return FALSE;
    }
  /* Square and multiply, reducing each step. */
  if (!ls_op_binary (LS_OP_MOD, ls_int (1), *mod, &acc))
    {
      *result = acc;
      return FALSE;
    }
  if (!ls_op_binary (LS_OP_MOD, *base, *mod, &b))
    {
      ls_value_unref (acc);
      *result = b;
      return FALSE;
    }
  for (; e > 0; e >>= 1)
    {
      if (e & 1)
        {
          if (!ls_op_binary (LS_OP_MUL, acc, b, &tmp))
            goto fail;
          ls_value_set (&acc, tmp);
          if (!ls_op_binary (LS_OP_MOD, acc, *mod, &tmp))
            goto fail;
          ls_value_set (&acc, tmp);
        }
      if (e > 1)
        {
          if (!ls_op_binary (LS_OP_MUL, b, b, &tmp))
            goto fail;
          ls_value_set (&b, tmp);
          if (!ls_op_binary (LS_OP_MOD, b, *mod, &tmp))
            goto fail;
          ls_value_set (&b, tmp);
        }
    }
  ls_value_unref (b);
  *result = acc;
  return TRUE;

fail:
  ls_value_unref (acc);
  ls_value_unref (b);
  *result = tmp;
  return FALSE;
}

BUILTIN (bi_radix)
{
  const char *name = data, *spec = strcmp (name, "hex") == 0 ? "#x" : strcmp (name, "oct") == 0 ? "#o" : "#b";

  if (!_ls_check_nargs (name, nargs, 1, 1, result))
    return FALSE;
  if (!is_int (args[0]))
    return not_an_integer (args[0], result);
  if (ls_value_kind (args[0]) == LS_KIND_BOOL)
    return ls_format (ls_int (ls_value_as_bool (args[0])), spec, result);
  return ls_format (args[0], spec, result);
}

BUILTIN (bi_format)
{
  if (!_ls_check_nargs ("format", nargs, 1, 2, result))
    return FALSE;
  if (nargs == 2 && !ls_value_is (args[1], &ls_str_class))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "format() argument 2 must be str, not %s",
                             ls_value_class (args[1])->name);
      return FALSE;
    }
  if (nargs == 1 || ls_str_get (args[1])[0] == '\0')
    {
      *result = ls_str_take (ls_value_str (args[0]));
      return TRUE;
    }
  return ls_format (args[0], ls_str_get (args[1]), result);
}

/* ---- characters, identity, types ---------------------------------------------------------------- */

BUILTIN (bi_ord)
{
  gint64 n;
  const char *s;

  if (!_ls_check_nargs ("ord", nargs, 1, 1, result))
    return FALSE;
  if (!ls_value_is (args[0], &ls_str_class))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "ord() expected string of length 1, but %s found",
                             ls_value_class (args[0])->name);
      return FALSE;
    }
  n = _ls_str_char_len (args[0]);
  if (n != 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "ord() expected a character, but string of length %"
                             G_GINT64_FORMAT " found", n);
      return FALSE;
    }
  s = ls_str_get (args[0]);
  *result = ls_int (g_utf8_get_char (s));
  return TRUE;
}

BUILTIN (bi_chr)
{
  gint64 cp;
  char buf[8];

  if (!_ls_check_nargs ("chr", nargs, 1, 1, result))
    return FALSE;
  if (!_ls_index_value (args[0], &cp, result))
    {
      if (ls_is_none (*result))
        return not_an_integer (args[0], result);
      ls_value_unref (*result);
      cp = -1;
    }
  if (cp < 0 || cp > 0x10ffff)
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "chr() arg not in range(0x110000)");
      return FALSE;
    }
  *result = ls_str_new_len (buf, g_unichar_to_utf8 ((gunichar) cp, buf));
  return TRUE;
}

BUILTIN (bi_hash)
{
  guint64 h;

  if (!_ls_check_nargs ("hash", nargs, 1, 1, result) || !ls_op_hash (args[0], &h, result))
    return FALSE;
  *result = ls_int ((gint64) h);
  return TRUE;
}

BUILTIN (bi_id)
{
  if (!_ls_check_nargs ("id", nargs, 1, 1, result))
    return FALSE;
  /* An object's address; an immediate's encoding, which is as stable. */
  *result = ls_int ((gint64) (args[0].bits & G_GUINT64_CONSTANT (0x7fffffffffffffff)));
  return TRUE;
}

BUILTIN (bi_callable)
{
  if (!_ls_check_nargs ("callable", nargs, 1, 1, result))
    return FALSE;
  *result = ls_bool (ls_value_callable (args[0]) || ls_value_is (args[0], &ls_exc_type_class));
  return TRUE;
}

/* isinstance(v, t) for one class t (no tuple). */
static gboolean
isinstance_one (LsValue v, LsValue t, gboolean *is, LsValue *error)
{
  if (ls_value_is (t, &_ls_type_class))
    {
      const LsClass *cls = ((LsTypeObject *) ls_value_as_object (t))->cls;
      if (cls == &_ls_type_class)
        *is = ls_value_is (v, &_ls_type_class) || ls_value_is (v, &ls_exc_type_class);
      else
        *is = ls_value_is (v, cls);
      return TRUE;
    }
  if (ls_value_is (t, &ls_exc_type_class))
    {
      *is = ls_exc_matches (v, (const LsExcType *) ls_value_as_object (t));
      return TRUE;
    }
  *error = ls_exc_newf (&ls_exc_TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union");
  return FALSE;
}

BUILTIN (bi_isinstance)
{
  gboolean is = FALSE;

  if (!_ls_check_nargs ("isinstance", nargs, 2, 2, result))
    return FALSE;
  if (ls_value_is (args[1], &ls_tuple_class))
    {
      guint n;
      const LsValue *ts = _ls_seq_items (args[1], &n);
      for (guint i = 0; i < n && !is; i++)
        if (!isinstance_one (args[0], ts[i], &is, result))
          return FALSE;
    }
  else if (!isinstance_one (args[0], args[1], &is, result))
    return FALSE;
  *result = ls_bool (is);
  return TRUE;
}

BUILTIN (bi_issubclass)
{
  gboolean is = FALSE;
  guint n = 1;
  const LsValue *ts = &args[1];

  if (!_ls_check_nargs ("issubclass", nargs, 2, 2, result))
    return FALSE;
  if (ls_value_is (args[1], &ls_tuple_class))
    ts = _ls_seq_items (args[1], &n);
  for (guint i = 0; i < n && !is; i++)
    {
      if (ls_value_is (args[0], &ls_exc_type_class) && ls_value_is (ts[i], &ls_exc_type_class))
        is = ls_exc_type_is_subclass ((const LsExcType *) ls_value_as_object (args[0]),
                                      (const LsExcType *) ls_value_as_object (ts[i]));
      else if (ls_value_is (args[0], &_ls_type_class) && ls_value_is (ts[i], &_ls_type_class))
        is = ls_class_is_subclass (((LsTypeObject *) ls_value_as_object (args[0]))->cls,
                                   ((LsTypeObject *) ls_value_as_object (ts[i]))->cls);
      else if (!ls_value_is (args[0], &ls_exc_type_class) && !ls_value_is (args[0], &_ls_type_class))
        {
          *result = ls_exc_newf (&ls_exc_TypeError, "issubclass() arg 1 must be a class");
          return FALSE;
        }
    }
  *result = ls_bool (is);
  return TRUE;
}

/* ---- the table ---------------------------------------------------------------------------------- */

void
ls_builtins_install (LsValue dict)
{
  static const struct {
    const char *name;
    LsBuiltinFn fn;
    LsBuiltinKwFn kwfn;
    const char *data;
  } functions[] = {
    { "len", bi_len, NULL, NULL },
    { "repr", bi_repr, NULL, NULL },
    { "ascii", bi_repr, NULL, "ascii" },
    { "iter", bi_iter, NULL, NULL },
    { "next", bi_next, NULL, NULL },
    { "any", bi_any_all, NULL, (const char *) 1 },
    { "all", bi_any_all, NULL, NULL },
    { "enumerate", NULL, bi_enumerate, NULL },
    { "zip", NULL, bi_zip, NULL },
    { "map", bi_map, NULL, NULL },
    { "filter", bi_filter, NULL, NULL },
    { "reversed", bi_reversed, NULL, NULL },
    { "sorted", NULL, bi_sorted, NULL },
    { "min", NULL, bi_minmax, NULL },
    { "max", NULL, bi_minmax, (const char *) 1 },
    { "sum", NULL, bi_sum, NULL },
    { "abs", bi_abs, NULL, NULL },
    { "round", NULL, bi_round, NULL },
    { "divmod", bi_divmod, NULL, NULL },
    { "pow", NULL, bi_pow, NULL },
    { "hex", bi_radix, NULL, "hex" },
    { "oct", bi_radix, NULL, "oct" },
    { "bin", bi_radix, NULL, "bin" },
    { "format", bi_format, NULL, NULL },
    { "ord", bi_ord, NULL, NULL },
    { "chr", bi_chr, NULL, NULL },
    { "hash", bi_hash, NULL, NULL },
    { "id", bi_id, NULL, NULL },
    { "callable", bi_callable, NULL, NULL },
    { "isinstance", bi_isinstance, NULL, NULL },
    { "issubclass", bi_issubclass, NULL, NULL },
  };
  static const struct { const char *name; const LsClass *cls; } types[] = {
    { "int", &ls_int_class }, { "float", &ls_float_class }, { "str", &ls_str_class },
    { "bool", &ls_bool_class }, { "list", &ls_list_class }, { "tuple", &ls_tuple_class },
    { "dict", &ls_dict_class }, { "set", &ls_set_class }, { "range", &_ls_range_class },
    { "type", &_ls_type_class }, { "slice", &ls_slice_class },
  };
  LsValue error;

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    {
      LsValue key = ls_str_new (functions[i].name), fn;
      gpointer data = (gpointer) functions[i].data;
      fn = functions[i].kwfn ? ls_builtin_new_kw (functions[i].name, functions[i].kwfn, ls_none (), data, NULL)
                             : ls_builtin_new (functions[i].name, functions[i].fn, ls_none (), data, NULL);
      if (!ls_dict_set (dict, key, fn, &error))
        ls_value_unref (error);
      ls_value_unref (key);
      ls_value_unref (fn);
    }
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      LsValue key = ls_str_new (types[i].name);
      if (!ls_dict_set (dict, key, _ls_type_object (types[i].cls), &error))
        ls_value_unref (error);
      ls_value_unref (key);
    }
}
