/* ls-mod-functools.c - the functools module a scenario may import.
 *
 * Only partial(), which tutorials use to hand arguments to callbacks
 * (loop.call_later(1, partial(print, "tick")), fut.add_done_callback(
 * partial(report, name))).  It follows CPython's C implementation: a
 * partial of a partial is flattened into one, the stored keywords are
 * merged with the call's (the call's win, the stored order is kept), and
 * the repr is functools.partial(<func>, args…, key=value…).
 */
#include "ls-vm-private.h"

#include <string.h>

typedef struct {
  LsObject base;
  LsValue func;
  LsValue args;          /* tuple */
  LsValue keywords;      /* dict: str -> value, in insertion order */
} LsPartial;

static void
partial_finalize (LsObject *self)
{
  LsPartial *p = (LsPartial *) self;
  ls_value_unref (p->func);
  ls_value_unref (p->args);
  ls_value_unref (p->keywords);
}

/* partial.__repr__ */
static char *
partial_repr (LsObject *self)
{
  LsPartial *p = (LsPartial *) self;
  LsTuple *args = (LsTuple *) ls_value_as_object (p->args);
  GString *out = g_string_new ("functools.partial(");
  char *r = ls_value_repr (p->func);
  LsValue k, v;
  guint pos = 0;

  g_string_append (out, r);
  g_free (r);
  for (guint i = 0; i < args->len; i++)
    {
      r = ls_value_repr (args->items[i]);
      g_string_append_printf (out, ", %s", r);
      g_free (r);
    }
  while (ls_dict_next (p->keywords, &pos, &k, &v))
    {
      char *key = ls_value_str (k);
      r = ls_value_repr (v);
      g_string_append_printf (out, ", %s=%s", key, r);
      g_free (r);
      g_free (key);
    }
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

/* partial.__call__: the stored arguments, then the call's; the stored
 * keywords updated with the call's. */
static gboolean
partial_call_kw (LsObject *self, const LsValue *args, guint nargs,
                 LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsPartial *p = (LsPartial *) self;
  LsTuple *stored = (LsTuple *) ls_value_as_object (p->args);
  guint ncall_kw = ls_is_none (kwnames) ? 0 : ((LsTuple *) ls_value_as_object (kwnames))->len;
  guint nall = stored->len + nargs, nkw = 0, pos = 0;
  LsValue *all = g_new (LsValue, MAX (nall, 1));
  GPtrArray *names = g_ptr_array_new ();       /* const char *, borrowed */
  GArray *values = g_array_new (FALSE, FALSE, sizeof (LsValue));   /* borrowed */
  LsValue k, v, names_tuple = ls_none ();
  gboolean ok;

  memcpy (all, stored->items, stored->len * sizeof (LsValue));
  if (nargs)
    memcpy (all + stored->len, args, nargs * sizeof (LsValue));

  while (ls_dict_next (p->keywords, &pos, &k, &v))
    {
      g_ptr_array_add (names, (gpointer) ls_str_get (k));
      g_array_append_val (values, v);
    }
  for (guint i = 0; i < ncall_kw; i++)
    {
      const char *name = ls_str_get (((LsTuple *) ls_value_as_object (kwnames))->items[i]);
      guint j;
      for (j = 0; j < names->len; j++)
        if (strcmp (g_ptr_array_index (names, j), name) == 0)
          break;
      if (j < names->len)
        g_array_index (values, LsValue, j) = kwvalues[i];
      else
        {
          g_ptr_array_add (names, (gpointer) name);
          g_array_append_val (values, kwvalues[i]);
        }
    }
  nkw = names->len;
  if (nkw)
    {
      LsValue *strs = g_new (LsValue, nkw);
      for (guint i = 0; i < nkw; i++)
        strs[i] = ls_str_new (g_ptr_array_index (names, i));
      names_tuple = ls_tuple_new (nkw, strs);
      g_free (strs);
    }

  ok = ls_call_kw (p->func, all, nall, names_tuple, (const LsValue *) values->data, result);

  ls_value_unref (names_tuple);
  g_array_free (values, TRUE);
  g_ptr_array_free (names, TRUE);
  g_free (all);
  return ok;
}


static gboolean
partial_getattr (LsObject *self, const char *name, LsValue *out)
{
  LsPartial *p = (LsPartial *) self;

  if (strcmp (name, "func") == 0)
    *out = ls_value_ref (p->func);
  else if (strcmp (name, "args") == 0)
    *out = ls_value_ref (p->args);
  else if (strcmp (name, "keywords") == 0)
    {
      /* A copy, so that the program cannot change the partial. */
      LsValue d = ls_dict_new (), k, v, err;
      guint pos = 0;
      while (ls_dict_next (p->keywords, &pos, &k, &v))
        if (!ls_dict_set (d, k, v, &err))
          ls_value_unref (err);
      *out = d;
    }
  else
    {
      *out = ls_exc_newf (&ls_exc_AttributeError,
                          "'functools.partial' object has no attribute '%s'", name);
      return FALSE;
    }
  return TRUE;
}

static const LsTypeSlots partial_slots = { .getattr = partial_getattr };

static const LsClass partial_class = {
  .name = "functools.partial",
  .finalize = partial_finalize,
  .repr = partial_repr,
  .call_kw = partial_call_kw,
  .size = sizeof (LsPartial),
  .ops = &partial_slots,
};

/* partial(func, /, *args, **keywords) */
static gboolean
partial_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
             LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  LsPartial *p;
  LsValue func, *items, err;
  guint nkw = ls_is_none (kwnames) ? 0 : ((LsTuple *) ls_value_as_object (kwnames))->len;
  guint nstored = 0, n;

  if (nargs < 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "type 'partial' takes at least one argument");
      return FALSE;
    }
  func = args[0];
  if (!ls_value_callable (func) && !ls_value_is (func, &ls_exc_type_class))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "the first argument must be callable");
      return FALSE;
    }

  p = ls_object_alloc (&partial_class, sizeof (LsPartial));
  p->keywords = ls_dict_new ();
  if (ls_value_is (func, &partial_class))
    {
      /* partial(partial(f, 1), 2) is partial(f, 1, 2) */
      LsPartial *inner = (LsPartial *) ls_value_as_object (func);
      LsValue k, v;
      guint pos = 0;
      nstored = ((LsTuple *) ls_value_as_object (inner->args))->len;
      while (ls_dict_next (inner->keywords, &pos, &k, &v))
        if (!ls_dict_set (p->keywords, k, v, &err))
          ls_value_unref (err);
      p->func = ls_value_ref (inner->func);
    }
  else
    p->func = ls_value_ref (func);

  n = nstored + nargs - 1;
  items = g_new (LsValue, MAX (n, 1));
  for (guint i = 0; i < nstored; i++)
    {
      LsPartial *inner = (LsPartial *) ls_value_as_object (func);
      items[i] = ls_value_ref (((LsTuple *) ls_value_as_object (inner->args))->items[i]);
    }
  for (guint i = 1; i < nargs; i++)
    items[nstored + i - 1] = ls_value_ref (args[i]);
  p->args = ls_tuple_new (n, items);
  g_free (items);

  for (guint i = 0; i < nkw; i++)
    if (!ls_dict_set (p->keywords, ((LsTuple *) ls_value_as_object (kwnames))->items[i],
                      kwvalues[i], &err))
      ls_value_unref (err);

  *result = ls_object (p);
  return TRUE;
}

LsValue
_ls_mod_functools_new (LsVm *vm)
{
  LsValue m = _ls_module_new ("functools");
  _ls_module_add (m, "partial", ls_builtin_new_kw ("partial", partial_new, ls_none (), NULL, NULL));
  return m;
}
