/* ls-value.c - objects, strings, tuples, lists, callables and exceptions.
 *
 * Reprs follow CPython's exactly where a user sees them: the scheduler's
 * messages ("Result is not set.") and printed results are compared byte
 * for byte with CPython's output.
 */
#include "ls-value.h"
#include "ls-containers-private.h"
#include "ls-num-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- objects and their pools ------------------------------------------ */

/* A run allocates and frees millions of small objects of a dozen sizes
 * (handles, futures, coroutine frames, tasks), and malloc's per-block
 * header and rounding were a sixth of the memory of a sleeping task.  So
 * blocks up to POOL_MAX bytes come from per-size free lists carved out of
 * large slabs; a freed block goes back to its list, never to the system.
 * The engine runs on one thread, so the lists need no lock.  Under
 * AddressSanitizer every block is a malloc of its own, so that
 * use-after-free and leaks are still caught. */
#if defined(__SANITIZE_ADDRESS__)
# define LS_POOLED 0
#else
# define LS_POOLED 1
#endif

#define POOL_GRAIN 8                   /* block sizes are multiples of this */
#define POOL_MAX 1024
#define SLAB_SIZE (256 * 1024)

typedef struct _Slab Slab;
struct _Slab {
  Slab *next;                          /* every slab stays reachable */
  double align;                        /* blocks start 16-byte aligned */
};

static gpointer pool_lists[POOL_MAX / POOL_GRAIN + 1];
static Slab *slabs;
static char *slab_next;
static gsize slab_left;

gpointer
ls_pool_alloc (gsize size)
{
  gsize cls = (size + POOL_GRAIN - 1) / POOL_GRAIN, bytes = cls * POOL_GRAIN;
  gpointer p;

  if (!LS_POOLED || size > POOL_MAX)
    return g_malloc (size);
  p = pool_lists[cls];
  if (p)
    {
      pool_lists[cls] = *(gpointer *) p;
      return p;
    }
  if (slab_left < bytes)
    {
      Slab *slab = g_malloc (SLAB_SIZE);
      slab->next = slabs;
      slabs = slab;
      slab_next = (char *) (slab + 1);
      slab_left = SLAB_SIZE - sizeof (Slab);
    }
  p = slab_next;
  slab_next += bytes;
  slab_left -= bytes;
  return p;
}

void
ls_pool_free (gpointer p, gsize size)
{
  gsize cls = (size + POOL_GRAIN - 1) / POOL_GRAIN;

  if (!LS_POOLED || size > POOL_MAX)
    {
      g_free (p);
      return;
    }
  *(gpointer *) p = pool_lists[cls];
  pool_lists[cls] = p;
}

gpointer
ls_object_alloc (const LsClass *cls, gsize size)
{
  LsObject *o = ls_pool_alloc (size);
  memset (o, 0, size);
  o->cls = cls;
  o->refcount = 1;
  o->size = (guint32) size;
  return o;
}

void
ls_object_free_ (LsObject *o)
{
  if (o->cls->finalize)
    o->cls->finalize (o);
  ls_pool_free (o, o->size);
}

const LsClass ls_none_class = { .name = "NoneType" };
/* int, bool and float, with ints of any size, are in ls-int.c and
 * ls-float.c. */

const LsClass *
ls_value_class (LsValue v)
{
  switch (ls_value_kind (v))
    {
    case LS_KIND_NONE: return &ls_none_class;
    case LS_KIND_BOOL: return &ls_bool_class;
    case LS_KIND_INT: return &ls_int_class;
    case LS_KIND_FLOAT: return &ls_float_class;
    case LS_KIND_OBJECT: return ls_value_as_object (v)->cls;
    default: g_assert_not_reached ();
    }
}

gboolean
ls_class_is_subclass (const LsClass *cls, const LsClass *base)
{
  for (; cls; cls = cls->base)
    if (cls == base)
      return TRUE;
  return FALSE;
}

gboolean
ls_value_is (LsValue v, const LsClass *cls)
{
  return ls_class_is_subclass (ls_value_class (v), cls);
}

gboolean
ls_value_identical (LsValue a, LsValue b)
{
  if (ls_value_kind (a) != ls_value_kind (b))
    return FALSE;
  switch (ls_value_kind (a))
    {
    case LS_KIND_NONE: return TRUE;
    case LS_KIND_BOOL: return ls_value_as_bool (a) == ls_value_as_bool (b);
    case LS_KIND_INT:
      if (ls_is_object (a) || ls_is_object (b))
        return ls_value_as_object (a) == ls_value_as_object (b);
      return ls_value_as_int (a) == ls_value_as_int (b);
    case LS_KIND_FLOAT: return ls_value_as_float (a) == ls_value_as_float (b);
    case LS_KIND_OBJECT: return ls_value_as_object (a) == ls_value_as_object (b);
    default: return FALSE;
    }
}

gboolean
ls_value_equal (LsValue a, LsValue b)
{
  if (_ls_is_number (a) && _ls_is_number (b))
    return _ls_num_equal (a, b);      /* exact, whatever the sizes */
  if (ls_value_kind (a) != ls_value_kind (b))
    return FALSE;
  if (ls_value_kind (a) == LS_KIND_NONE)
    return TRUE;
  if (ls_value_as_object (a) == ls_value_as_object (b))
    return TRUE;
  if (ls_value_as_object (a)->cls != ls_value_as_object (b)->cls || !ls_value_as_object (a)->cls->equal)
    return FALSE;
  return ls_value_as_object (a)->cls->equal (ls_value_as_object (a), ls_value_as_object (b));
}

gboolean
ls_value_truthy (LsValue v)
{
  switch (ls_value_kind (v))
    {
    case LS_KIND_NONE: return FALSE;
    case LS_KIND_BOOL: return ls_value_as_bool (v);
    case LS_KIND_INT: return ls_value_as_int (v) != 0;
    case LS_KIND_FLOAT: return ls_value_as_float (v) != 0.0;
    case LS_KIND_OBJECT:
      if (ls_value_as_object (v)->cls == &ls_str_class)
        return ((LsStr *) ls_value_as_object (v))->len != 0;
      if (ls_value_as_object (v)->cls == &ls_tuple_class)
        return ((LsTuple *) ls_value_as_object (v))->len != 0;
      if (ls_value_as_object (v)->cls == &ls_list_class)
        return ((LsList *) ls_value_as_object (v))->items->len != 0;
      return TRUE;
    default: return TRUE;
    }
}

/* ---- float repr ----------------------------------------------------------- */

void
ls_float_repr (double d, char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
  char sci[40], digits[24];
  int prec, exp10, ndigits = 0, decpt;
  const char *p;
  GString *out;

  if (isnan (d))
    {
      strcpy (buf, "nan");
      return;
    }
  if (isinf (d))
    {
      strcpy (buf, d < 0 ? "-inf" : "inf");
      return;
    }
  if (d == 0.0)
    {
      strcpy (buf, signbit (d) ? "-0.0" : "0.0");
      return;
    }

  /* The shortest precision that reads back exactly: CPython's repr. */
  for (prec = 1; prec <= 17; prec++)
    {
      snprintf (sci, sizeof sci, "%.*e", prec - 1, d);
      if (strtod (sci, NULL) == d)
        break;
    }

  /* sci is "-d.ddde+XX": split it into digits and a decimal exponent. */
  for (p = sci; *p && *p != 'e'; p++)
    if (g_ascii_isdigit (*p))
      digits[ndigits++] = *p;
  digits[ndigits] = '\0';
  exp10 = atoi (p + 1);
  while (ndigits > 1 && digits[ndigits - 1] == '0')
    digits[--ndigits] = '\0';
  decpt = exp10 + 1;

  out = g_string_new (d < 0 ? "-" : "");
  if (exp10 < -4 || exp10 >= 16)
    {
      g_string_append_c (out, digits[0]);
      if (ndigits > 1)
        g_string_append_printf (out, ".%s", digits + 1);
      g_string_append_printf (out, "e%c%02d", exp10 < 0 ? '-' : '+', ABS (exp10));
    }
  else if (decpt <= 0)
    {
      g_string_append (out, "0.");
      for (int i = 0; i < -decpt; i++)
        g_string_append_c (out, '0');
      g_string_append (out, digits);
    }
  else if (decpt >= ndigits)
    {
      g_string_append (out, digits);
      for (int i = ndigits; i < decpt; i++)
        g_string_append_c (out, '0');
      g_string_append (out, ".0");
    }
  else
    {
      g_string_append_len (out, digits, decpt);
      g_string_append_c (out, '.');
      g_string_append (out, digits + decpt);
    }
  g_strlcpy (buf, out->str, G_ASCII_DTOSTR_BUF_SIZE);
  g_string_free (out, TRUE);
}

/* ---- str ------------------------------------------------------------------- */

/* Is c printed as itself by repr()?  CPython's str.isprintable(): not the
 * "Other" categories nor the separators, except the ASCII space. */
static gboolean
char_printable (gunichar c)
{
  if (c == ' ')
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
      return FALSE;
    default:
      return TRUE;
    }
}

/* repr() of a str, or ascii() when ascii_only: quotes chosen as CPython
 * chooses them, escapes for what is not printable (or not ASCII). */
char *
ls_str_repr_text (const char *data, gsize len, gboolean ascii_only)
{
  gboolean has_single = memchr (data, '\'', len) != NULL;
  gboolean has_double = memchr (data, '"', len) != NULL;
  char quote = (has_single && !has_double) ? '"' : '\'';
  GString *out;
  const char *p = data, *end = data + len;
  gsize plain = 0;

  /* Printable ASCII without a backslash or the quote, the usual text,
   * is copied as it is. */
  while (plain < len && (unsigned char) data[plain] >= 0x20 && (unsigned char) data[plain] < 0x7f
         && data[plain] != '\\' && data[plain] != quote)
    plain++;
  if (plain == len)
    {
      char *r = g_malloc (len + 3);
      r[0] = quote;
      memcpy (r + 1, data, len);
      r[len + 1] = quote;
      r[len + 2] = '\0';
      return r;
    }
  out = g_string_sized_new (len + 2);
  g_string_append_c (out, quote);
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      const char *next;
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (unsigned char) *p);
          p++;
          continue;
        }
      next = g_utf8_next_char (p);
      if (c == (gunichar) quote || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20 || c == 0x7f || (c >= 0x80 && (ascii_only || !char_printable (c))))
        {
          if (c < 0x100)
            g_string_append_printf (out, "\\x%02x", c);
          else if (c < 0x10000)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_printf (out, "\\U%08x", c);
        }
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }
  g_string_append_c (out, quote);
  return g_string_free (out, FALSE);
}

static char *
str_repr (LsObject *self)
{
  const LsStr *s = (const LsStr *) self;
  return ls_str_repr_text (s->data, s->len, FALSE);
}

static char *
str_str (LsObject *self)
{
  const LsStr *s = (const LsStr *) self;
  return g_strndup (s->data, s->len);
}

static gboolean
str_equal (LsObject *a, LsObject *b)
{
  const LsStr *x = (const LsStr *) a, *y = (const LsStr *) b;
  return x->len == y->len && memcmp (x->data, y->data, x->len) == 0;
}

static guint
str_hash (LsObject *self)
{
  return g_str_hash (((LsStr *) self)->data);
}

const LsClass ls_str_class = {
  .name = "str",
  .repr = str_repr,
  .str = str_str,
  .equal = str_equal,
  .hash = str_hash,
  .ops = &_ls_str_ops,
};

LsValue
ls_str_new_len (const char *utf8, gsize len)
{
  LsStr *s = ls_object_alloc (&ls_str_class, sizeof (LsStr) + len + 1);
  gsize i = 0;
  memcpy (s->data, utf8, len);
  /* Indexing and len() by characters need this on every call. */
  while (i < len && (unsigned char) utf8[i] < 0x80)
    i++;
  s->ascii = i == len;
  s->data[len] = '\0';
  s->len = len;
  return ls_object (s);
}

LsStr *
_ls_str_alloc (gsize len, gboolean ascii)
{
  LsStr *s = ls_object_alloc (&ls_str_class, sizeof (LsStr) + len + 1);
  s->data[len] = '\0';
  s->len = len;
  s->ascii = ascii;
  return s;
}

LsValue
ls_str_new (const char *utf8)
{
  return ls_str_new_len (utf8, strlen (utf8));
}

LsValue
ls_str_take (char *utf8)
{
  LsValue v = ls_str_new (utf8);
  g_free (utf8);
  return v;
}

LsValue
ls_str_printf (const char *fmt, ...)
{
  va_list ap;
  char *s;

  va_start (ap, fmt);
  s = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return ls_str_take (s);
}

const char *
ls_str_get (LsValue v)
{
  if (!ls_value_is (v, &ls_str_class))
    return NULL;
  return ((LsStr *) ls_value_as_object (v))->data;
}

/* ---- tuple and list ------------------------------------------------------- */

static void
append_items_repr (GString *out, const LsValue *items, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      char *r = ls_value_repr (items[i]);
      if (i)
        g_string_append (out, ", ");
      g_string_append (out, r);
      g_free (r);
    }
}

static void
tuple_finalize (LsObject *self)
{
  LsTuple *t = (LsTuple *) self;
  for (guint i = 0; i < t->len; i++)
    ls_value_unref (t->items[i]);
}

static char *
tuple_repr (LsObject *self)
{
  LsTuple *t = (LsTuple *) self;
  GString *out = g_string_new ("(");
  append_items_repr (out, t->items, t->len);
  if (t->len == 1)
    g_string_append_c (out, ',');
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

static gboolean
items_equal (const LsValue *a, guint na, const LsValue *b, guint nb)
{
  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (!ls_value_equal (a[i], b[i]))
      return FALSE;
  return TRUE;
}

static gboolean
tuple_equal (LsObject *a, LsObject *b)
{
  LsTuple *x = (LsTuple *) a, *y = (LsTuple *) b;
  return items_equal (x->items, x->len, y->items, y->len);
}

const LsClass ls_tuple_class = {
  .name = "tuple",
  .finalize = tuple_finalize,
  .repr = tuple_repr,
  .equal = tuple_equal,
  .ops = &_ls_tuple_ops,
};

LsValue
ls_tuple_new (guint n, const LsValue *items_taken)
{
  LsTuple *t = ls_object_alloc (&ls_tuple_class, sizeof (LsTuple) + n * sizeof (LsValue));
  t->len = n;
  if (n)
    memcpy (t->items, items_taken, n * sizeof (LsValue));
  return ls_object (t);
}

static void
list_finalize (LsObject *self)
{
  LsList *l = (LsList *) self;
  for (guint i = 0; i < l->items->len; i++)
    ls_value_unref (g_array_index (l->items, LsValue, i));
  g_array_free (l->items, TRUE);
}

static char *
list_repr (LsObject *self)
{
  LsList *l = (LsList *) self;
  GString *out = g_string_new ("[");
  append_items_repr (out, (LsValue *) l->items->data, l->items->len);
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static gboolean
list_equal (LsObject *a, LsObject *b)
{
  GArray *x = ((LsList *) a)->items, *y = ((LsList *) b)->items;
  return items_equal ((LsValue *) x->data, x->len, (LsValue *) y->data, y->len);
}

const LsClass ls_list_class = {
  .name = "list",
  .finalize = list_finalize,
  .repr = list_repr,
  .equal = list_equal,
  .ops = &_ls_list_ops,
};

LsValue
ls_list_new (void)
{
  LsList *l = ls_object_alloc (&ls_list_class, sizeof (LsList));
  l->items = g_array_new (FALSE, FALSE, sizeof (LsValue));
  return ls_object (l);
}

void
ls_list_append (LsValue list, LsValue item_taken)
{
  g_return_if_fail (ls_value_is (list, &ls_list_class));
  g_array_append_val (((LsList *) ls_value_as_object (list))->items, item_taken);
}

guint
ls_list_len (LsValue list)
{
  g_return_val_if_fail (ls_value_is (list, &ls_list_class), 0);
  return ((LsList *) ls_value_as_object (list))->items->len;
}

LsValue
ls_list_get (LsValue list, guint i)
{
  GArray *items;

  g_return_val_if_fail (ls_value_is (list, &ls_list_class), ls_none ());
  items = ((LsList *) ls_value_as_object (list))->items;
  g_return_val_if_fail (i < items->len, ls_none ());
  return g_array_index (items, LsValue, i);
}

/* ---- callables ------------------------------------------------------------ */

static void
builtin_finalize (LsObject *self)
{
  LsBuiltin *b = (LsBuiltin *) self;
  ls_value_unref (b->self);
  if (b->data_free)
    b->data_free (b->data);
}

static char *
builtin_repr (LsObject *self)
{
  return g_strdup_printf ("<built-in function %s>", ((LsBuiltin *) self)->name);
}

static gboolean
builtin_call (LsObject *self, const LsValue *args, guint nargs, LsValue *result)
{
  LsBuiltin *b = (LsBuiltin *) self;
  if (b->kwfn)
    return b->kwfn (b->self, b->data, args, nargs, ls_none (), NULL, result);
  return b->fn (b->self, b->data, args, nargs, result);
}

static gboolean
builtin_call_kw (LsObject *self, const LsValue *args, guint nargs,
                 LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsBuiltin *b = (LsBuiltin *) self;
  if (!b->kwfn)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "%s() takes no keyword arguments", b->name);
      return FALSE;
    }
  return b->kwfn (b->self, b->data, args, nargs, kwnames, kwvalues, result);
}

/* Two bound builtins are equal when they are the same function bound to the
 * same object, as bound methods compare in Python; remove_done_callback
 * relies on it. */
static gboolean
builtin_equal (LsObject *a, LsObject *b)
{
  LsBuiltin *x = (LsBuiltin *) a, *y = (LsBuiltin *) b;
  return x->fn == y->fn && x->kwfn == y->kwfn && x->data == y->data
         && ls_value_identical (x->self, y->self);
}

const LsClass ls_builtin_class = {
  .name = "builtin_function_or_method",
  .finalize = builtin_finalize,
  .repr = builtin_repr,
  .equal = builtin_equal,
  .call = builtin_call,
  .call_kw = builtin_call_kw,
};

LsValue
ls_builtin_new (const char *name, LsBuiltinFn fn, LsValue self_taken,
                gpointer data, GDestroyNotify data_free)
{
  LsBuiltin *b = ls_object_alloc (&ls_builtin_class, sizeof (LsBuiltin));
  b->name = name;
  b->fn = fn;
  b->self = self_taken;
  b->data = data;
  b->data_free = data_free;
  return ls_object (b);
}

LsValue
ls_builtin_new_kw (const char *name, LsBuiltinKwFn kwfn, LsValue self_taken,
                   gpointer data, GDestroyNotify data_free)
{
  LsValue v = ls_builtin_new (name, NULL, self_taken, data, data_free);
  ((LsBuiltin *) ls_value_as_object (v))->kwfn = kwfn;
  return v;
}

gboolean
ls_value_callable (LsValue v)
{
  return ls_value_kind (v) == LS_KIND_OBJECT
         && (ls_value_as_object (v)->cls->call != NULL || ls_value_as_object (v)->cls->call_kw != NULL);
}

gboolean
ls_call (LsValue callable, const LsValue *args, guint nargs, LsValue *result)
{
  if (!ls_value_callable (callable))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "'%s' object is not callable",
                             ls_value_class (callable)->name);
      return FALSE;
    }
  /* A class may implement only the call with keywords. */
  if (!ls_value_as_object (callable)->cls->call)
    return ls_value_as_object (callable)->cls->call_kw (ls_value_as_object (callable), args, nargs,
                                                        ls_none (), NULL, result);
  return ls_value_as_object (callable)->cls->call (ls_value_as_object (callable), args, nargs, result);
}

gboolean
ls_call_kw (LsValue callable, const LsValue *args, guint nargs,
            LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  const LsClass *cls;

  if (ls_is_none (kwnames) || ((LsTuple *) ls_value_as_object (kwnames))->len == 0)
    return ls_call (callable, args, nargs, result);
  if (!ls_value_callable (callable))
    return ls_call (callable, args, nargs, result);   /* its TypeError */
  cls = ls_value_as_object (callable)->cls;
  if (!cls->call_kw)
    {
      char *name = ls_callable_name (callable);
      *result = ls_exc_newf (&ls_exc_TypeError, "%s() takes no keyword arguments", name);
      g_free (name);
      return FALSE;
    }
  return cls->call_kw (ls_value_as_object (callable), args, nargs, kwnames, kwvalues, result);
}

char *
ls_callable_name (LsValue callable)
{
  if (ls_value_is (callable, &ls_builtin_class))
    return g_strdup (((LsBuiltin *) ls_value_as_object (callable))->name);
  return ls_value_repr (callable);
}

/* ---- repr and str ---------------------------------------------------------- */

char *
ls_value_repr (LsValue v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (ls_value_kind (v))
    {
    case LS_KIND_NONE: return g_strdup ("None");
    case LS_KIND_BOOL: return g_strdup (ls_value_as_bool (v) ? "True" : "False");
    case LS_KIND_INT:
      if (ls_is_object (v))
        return ls_value_as_object (v)->cls->repr (ls_value_as_object (v));
      return g_strdup_printf ("%" G_GINT64_FORMAT, ls_value_as_int (v));
    case LS_KIND_FLOAT: ls_float_repr (ls_value_as_float (v), buf); return g_strdup (buf);
    case LS_KIND_OBJECT:
      if (ls_value_as_object (v)->cls->repr)
        return ls_value_as_object (v)->cls->repr (ls_value_as_object (v));
      return g_strdup_printf ("<%s object at %p>", ls_value_as_object (v)->cls->name, (void *) ls_value_as_object (v));
    default: g_assert_not_reached ();
    }
}

char *
ls_value_str (LsValue v)
{
  if (ls_value_kind (v) == LS_KIND_OBJECT && ls_value_as_object (v)->cls->str)
    return ls_value_as_object (v)->cls->str (ls_value_as_object (v));
  return ls_value_repr (v);
}

/* ---- exceptions ----------------------------------------------------------- */

static void
exc_type_finalize (LsObject *self)
{
  g_free (((LsExcType *) self)->name);
  ls_value_unref (((LsExcType *) self)->parent_ref);
}

static char *
exc_type_repr (LsObject *self)
{
  LsExcType *t = (LsExcType *) self;
  if (t->module)
    return g_strdup_printf ("<class '%s.%s'>", t->module, t->name);
  return g_strdup_printf ("<class '%s'>", t->name);
}

const LsClass ls_exc_type_class = {
  .name = "type",
  .finalize = exc_type_finalize,
  .repr = exc_type_repr,
};

#define LS_STATIC_EXC_TYPE(var, pyname, parent_ptr) \
  LsExcType var = { { &ls_exc_type_class, LS_IMMORTAL }, (char *) pyname, parent_ptr, NULL }
/* asyncio's own exceptions print with their module, as CPython's do. */
#define LS_ASYNCIO_EXC_TYPE(var, pyname, parent_ptr, module) \
  LsExcType var = { { &ls_exc_type_class, LS_IMMORTAL }, (char *) pyname, parent_ptr, module }

LS_STATIC_EXC_TYPE (ls_exc_BaseException, "BaseException", NULL);
LS_STATIC_EXC_TYPE (ls_exc_Exception, "Exception", &ls_exc_BaseException);
LS_STATIC_EXC_TYPE (ls_exc_GeneratorExit, "GeneratorExit", &ls_exc_BaseException);
LS_STATIC_EXC_TYPE (ls_exc_StopIteration, "StopIteration", &ls_exc_Exception);
LS_STATIC_EXC_TYPE (ls_exc_ArithmeticError, "ArithmeticError", &ls_exc_Exception);
LS_STATIC_EXC_TYPE (ls_exc_ZeroDivisionError, "ZeroDivisionError", &ls_exc_ArithmeticError);
LS_STATIC_EXC_TYPE (ls_exc_RuntimeError, "RuntimeError", &ls_exc_Exception);
LS_STATIC_EXC_TYPE (ls_exc_TypeError, "TypeError", &ls_exc_Exception);
LS_STATIC_EXC_TYPE (ls_exc_ValueError, "ValueError", &ls_exc_Exception);
LS_STATIC_EXC_TYPE (ls_exc_LookupError, "LookupError", &ls_exc_Exception);
LS_STATIC_EXC_TYPE (ls_exc_KeyError, "KeyError", &ls_exc_LookupError);
LS_STATIC_EXC_TYPE (ls_exc_IndexError, "IndexError", &ls_exc_LookupError);
LS_STATIC_EXC_TYPE (ls_exc_OverflowError, "OverflowError", &ls_exc_ArithmeticError);
LS_STATIC_EXC_TYPE (ls_exc_AttributeError, "AttributeError", &ls_exc_Exception);
LS_STATIC_EXC_TYPE (ls_exc_OSError, "OSError", &ls_exc_Exception);
LS_STATIC_EXC_TYPE (ls_exc_TimeoutError, "TimeoutError", &ls_exc_OSError);
LS_STATIC_EXC_TYPE (ls_exc_ConnectionError, "ConnectionError", &ls_exc_OSError);
LS_ASYNCIO_EXC_TYPE (ls_exc_CancelledError, "CancelledError", &ls_exc_BaseException, "asyncio.exceptions");
LS_ASYNCIO_EXC_TYPE (ls_exc_InvalidStateError, "InvalidStateError", &ls_exc_Exception, "asyncio.exceptions");
LS_ASYNCIO_EXC_TYPE (ls_exc_QueueEmpty, "QueueEmpty", &ls_exc_Exception, "asyncio.queues");
LS_ASYNCIO_EXC_TYPE (ls_exc_QueueFull, "QueueFull", &ls_exc_Exception, "asyncio.queues");
LS_STATIC_EXC_TYPE (ls_exc_BaseExceptionGroup, "BaseExceptionGroup", &ls_exc_BaseException);
/* ExceptionGroup derives from both BaseExceptionGroup and Exception; the
 * single parent chain keeps Exception, which is what `except Exception`
 * needs, and ls_exc_matches() adds the BaseExceptionGroup side. */
LS_STATIC_EXC_TYPE (ls_exc_ExceptionGroup, "ExceptionGroup", &ls_exc_Exception);

LsValue
ls_exc_type_new (const char *name, const LsExcType *parent)
{
  LsExcType *t = ls_object_alloc (&ls_exc_type_class, sizeof (LsExcType));
  t->name = g_strdup (name);
  t->parent = parent;
  /* class B(A) where A is itself a program's class: B keeps A alive */
  t->parent_ref = ls_value_ref (ls_object ((LsObject *) parent));
  return ls_object (t);
}

gboolean
ls_exc_type_is_subclass (const LsExcType *t, const LsExcType *base)
{
  if (base == &ls_exc_BaseExceptionGroup)
    return t == &ls_exc_BaseExceptionGroup || t == &ls_exc_ExceptionGroup;
  for (; t; t = t->parent)
    if (t == base)
      return TRUE;
  return FALSE;
}

static void
exception_finalize (LsObject *self)
{
  LsException *e = (LsException *) self;
  ls_value_unref (e->type_ref);
  ls_value_unref (e->args);
  ls_value_unref (e->cause);
  ls_value_unref (e->context);
  ls_value_unref (e->exceptions);
  ls_value_unref (e->traceback);
  g_free (e->message);
}

char *
ls_exc_str (LsValue v)
{
  LsException *e = ls_value_object (v);
  LsTuple *args;

  g_return_val_if_fail (ls_value_is (v, &ls_exception_class), g_strdup (""));
  if (e->message)
    {
      guint n = ((LsTuple *) ls_value_as_object (e->exceptions))->len;
      return g_strdup_printf ("%s (%u sub-exception%s)", e->message, n, n == 1 ? "" : "s");
    }
  args = (LsTuple *) ls_value_as_object (e->args);
  if (args->len == 0)
    return g_strdup ("");
  if (args->len == 1)
    {
      /* KeyError_str: a missing key shows as its repr, KeyError: 'k'. */
      if (ls_exc_type_is_subclass (e->type, &ls_exc_KeyError))
        return ls_value_repr (args->items[0]);
      return ls_value_str (args->items[0]);
    }
  return ls_value_repr (e->args);
}

static char *
exception_repr (LsObject *self)
{
  LsException *e = (LsException *) self;
  LsTuple *args = (LsTuple *) ls_value_as_object (e->args);
  char *inner, *out;

  if (e->message)
    {
      /* BaseExceptionGroup.__repr__: the message and the list of members. */
      LsTuple *excs = (LsTuple *) ls_value_as_object (e->exceptions);
      GString *r = g_string_new (NULL);
      g_string_append_printf (r, "%s(", e->type->name);
      append_items_repr (r, args->items, 1);   /* args[0] is the message */
      g_string_append (r, ", [");
      append_items_repr (r, excs->items, excs->len);
      g_string_append (r, "])");
      return g_string_free (r, FALSE);
    }
  if (args->len == 1)
    inner = ls_value_repr (args->items[0]);
  else
    {
      char *t = ls_value_repr (e->args);   /* "(a, b)" */
      inner = args->len == 0 ? g_strdup ("") : g_strndup (t + 1, strlen (t) - 2);
      g_free (t);
    }
  out = g_strdup_printf ("%s(%s)", e->type->name, inner);
  g_free (inner);
  return out;
}

static char *
exception_str (LsObject *self)
{
  return ls_exc_str (ls_object (self));
}

const LsClass ls_exception_class = {
  .name = "BaseException",
  .finalize = exception_finalize,
  .repr = exception_repr,
  .str = exception_str,
};

static LsException *
exception_alloc (const LsExcType *type)
{
  LsException *e = ls_object_alloc (&ls_exception_class, sizeof (LsException));
  e->type = type;
  e->type_ref = ls_value_ref (ls_object ((LsObject *) type));
  return e;
}

LsValue
ls_exc_new (const LsExcType *type, guint nargs, const LsValue *args_taken)
{
  LsException *e = exception_alloc (type);
  e->args = ls_tuple_new (nargs, args_taken);
  return ls_object (e);
}

LsValue
ls_exc_newf (const LsExcType *type, const char *fmt, ...)
{
  va_list ap;
  LsValue msg;

  if (!fmt)
    return ls_exc_new (type, 0, NULL);
  va_start (ap, fmt);
  msg = ls_str_take (g_strdup_vprintf (fmt, ap));
  va_end (ap);
  return ls_exc_new (type, 1, &msg);
}

LsValue
ls_exc_group_new (const char *message, guint n, const LsValue *excs_taken)
{
  gboolean all_exceptions = TRUE;
  LsException *e;
  LsValue args[2];

  for (guint i = 0; i < n; i++)
    if (!ls_exc_matches (excs_taken[i], &ls_exc_Exception))
      all_exceptions = FALSE;
  e = exception_alloc (all_exceptions ? &ls_exc_ExceptionGroup : &ls_exc_BaseExceptionGroup);
  e->message = g_strdup (message);
  e->exceptions = ls_tuple_new (n, excs_taken);
  args[0] = ls_str_new (message);
  args[1] = ls_value_ref (e->exceptions);
  e->args = ls_tuple_new (2, args);
  return ls_object (e);
}

const LsExcType *
ls_exc_type (LsValue v)
{
  if (!ls_value_is (v, &ls_exception_class))
    return NULL;
  return ((LsException *) ls_value_as_object (v))->type;
}

gboolean
ls_exc_matches (LsValue v, const LsExcType *type)
{
  const LsExcType *t = ls_exc_type (v);
  return t != NULL && ls_exc_type_is_subclass (t, type);
}

char *
ls_exc_format (LsValue v)
{
  const LsExcType *t = ls_exc_type (v);
  char *msg, *out;

  g_return_val_if_fail (t != NULL, ls_value_repr (v));
  /* traceback.format_exception_only: the module is named unless it is
   * builtins or __main__. */
  msg = ls_exc_str (v);
  if (t->module && strcmp (t->module, "__main__") != 0)
    out = *msg ? g_strdup_printf ("%s.%s: %s", t->module, t->name, msg)
               : g_strdup_printf ("%s.%s", t->module, t->name);
  else
    out = *msg ? g_strdup_printf ("%s: %s", t->name, msg) : g_strdup (t->name);
  g_free (msg);
  return out;
}
