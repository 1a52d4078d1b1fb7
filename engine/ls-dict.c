/* ls-dict.c - the dict type: insertion-ordered, keyed by Python hashing
 * and equality.
 *
 * The layout is CPython's compact dict: the entries (hash, key, value) sit
 * in an array in insertion order, and a separate open-addressed index maps
 * a hash to an entry, probed the way CPython probes (perturb shifted by 5).
 * Iteration walks the entries, so order is insertion order whatever the
 * hashes; a deleted entry stays as a hole until the next resize.  Keys are
 * compared with `==` (which may run a user's __eq__ and may raise), so the
 * table cannot be a GHashTable.
 *
 * keys(), values() and items() are live views, printed like CPython's
 * dict_keys([...]); iterating a dict whose size changes raises CPython's
 * "dictionary changed size during iteration".
 */
#include "ls-containers-private.h"

#include <string.h>

#define IX_EMPTY (-1)
#define IX_DUMMY (-2)
#define MIN_INDEX 8
#define PERTURB_SHIFT 5

typedef struct {
  guint64 hash;
  LsValue key;              /* owned; None in a deleted entry (live FALSE) */
  LsValue value;            /* owned */
  gboolean live;
} DictEntry;

typedef struct {
  LsObject base;
  guint64 version;          /* changes with every store or removal (PEP 509);
                             * first, where _ls_dict_version reads it */
  DictEntry *entries;       /* n_entries used of cap, in insertion order */
  guint n_entries, cap;
  gint32 *index;            /* mask + 1 slots: an entry number, IX_EMPTY or IX_DUMMY */
  guint mask;
  guint used;               /* live entries: len(d) */
} LsDict;

G_STATIC_ASSERT (G_STRUCT_OFFSET (LsDict, version) == G_STRUCT_OFFSET (LsDictHead, version));

/* One counter for all dicts, so that no two states of any dict share a
 * version: the interpreter caches global lookups against it. */
static guint64 dict_version_counter;

static inline LsDict *
as_dict (LsValue v)
{
  return (LsDict *) ls_value_as_object (v);
}

static void
dict_free_entries (DictEntry *entries, guint n)
{
  for (guint i = 0; i < n; i++)
    if (entries[i].live)
      {
        ls_value_unref (entries[i].key);
        ls_value_unref (entries[i].value);
      }
  g_free (entries);
}

static void
dict_finalize (LsObject *self)
{
  LsDict *d = (LsDict *) self;
  dict_free_entries (d->entries, d->n_entries);
  g_free (d->index);
}

/* The index slot for an entry known to be absent. */
static guint
find_empty_slot (LsDict *d, guint64 hash)
{
  guint64 perturb = hash;
  guint i = hash & d->mask;

  while (d->index[i] != IX_EMPTY)
    {
      perturb >>= PERTURB_SHIFT;
      i = (i * 5 + perturb + 1) & d->mask;
    }
  return i;
}

/* Rebuilds the index for at least `minused` entries, dropping holes. */
static void
dict_resize (LsDict *d, guint minused)
{
  guint size = MIN_INDEX, k = 0;

  /* USABLE_FRACTION: an index of n slots holds up to 2n/3 entries. */
  while ((size * 2) / 3 < minused)
    size <<= 1;
  g_free (d->index);
  d->index = g_new (gint32, size);
  memset (d->index, 0xff, size * sizeof (gint32));   /* IX_EMPTY */
  d->mask = size - 1;
  for (guint i = 0; i < d->n_entries; i++)
    if (d->entries[i].live)
      d->entries[k++] = d->entries[i];
  d->n_entries = k;
  d->cap = (size * 2) / 3;
  d->entries = g_renew (DictEntry, d->entries, d->cap);
  for (guint i = 0; i < k; i++)
    d->index[find_empty_slot (d, d->entries[i].hash)] = i;
}

LsValue
ls_dict_new (void)
{
  LsDict *d = ls_object_alloc (&ls_dict_class, sizeof (LsDict));
  dict_resize (d, 0);
  return ls_object (d);
}

/* Finds key: TRUE with *slot its index slot and *ix its entry (-1 when
 * absent, *slot then unset), FALSE if a comparison raised. */
static gboolean
dict_lookup (LsDict *d, LsValue key, guint64 hash, guint *slot, gint32 *ix, LsValue *error)
{
  guint64 perturb = hash;
  guint i = hash & d->mask;

  for (;;)
    {
      gint32 e = d->index[i];
      if (e == IX_EMPTY)
        {
          *ix = -1;
          return TRUE;
        }
      if (e >= 0 && d->entries[e].hash == hash)
        {
          gboolean eq;
          LsValue k = ls_value_ref (d->entries[e].key);
          gboolean ok = _ls_eq (k, key, &eq, error);
          ls_value_unref (k);
          if (!ok)
            return FALSE;
          if (eq)
            {
              *slot = i;
              *ix = e;
              return TRUE;
            }
        }
      perturb >>= PERTURB_SHIFT;
      i = (i * 5 + perturb + 1) & d->mask;
    }
}

/* d[key] = value with a known hash, borrowing both. */
static gboolean
dict_set_hashed (LsDict *d, LsValue key, guint64 hash, LsValue value, LsValue *error)
{
  guint slot;
  gint32 ix;
  DictEntry *e;

  if (!dict_lookup (d, key, hash, &slot, &ix, error))
    return FALSE;
  d->version = ++dict_version_counter;
  if (ix >= 0)
    {
      ls_value_set (&d->entries[ix].value, ls_value_ref (value));
      return TRUE;
    }
  if (d->n_entries >= d->cap)
    dict_resize (d, d->used * 3);    /* GROWTH_RATE */
  e = &d->entries[d->n_entries];
  e->hash = hash;
  e->key = ls_value_ref (key);
  e->value = ls_value_ref (value);
  e->live = TRUE;
  d->index[find_empty_slot (d, hash)] = d->n_entries++;
  d->used++;
  return TRUE;
}

guint64
ls_dict_version (LsValue dict)
{
  return as_dict (dict)->version;
}

gboolean
ls_dict_set (LsValue dict, LsValue key, LsValue value, LsValue *error)
{
  guint64 hash;

  g_return_val_if_fail (ls_value_is (dict, &ls_dict_class), FALSE);
  if (!ls_op_hash (key, &hash, error))
    return FALSE;
  return dict_set_hashed (as_dict (dict), key, hash, value, error);
}

/* The entry of key: 1 and its number, 0 absent, -1 and the error. */
static int
dict_find (LsDict *d, LsValue key, guint *slot, gint32 *ix, LsValue *error)
{
  guint64 hash;

  if (!ls_op_hash (key, &hash, error) || !dict_lookup (d, key, hash, slot, ix, error))
    return -1;
  return *ix >= 0;
}

int
ls_dict_get (LsValue dict, LsValue key, LsValue *out)
{
  guint slot;
  gint32 ix;
  int r;

  g_return_val_if_fail (ls_value_is (dict, &ls_dict_class), 0);
  r = dict_find (as_dict (dict), key, &slot, &ix, out);
  if (r == 1)
    *out = ls_value_ref (as_dict (dict)->entries[ix].value);
  return r;
}

guint
ls_dict_len (LsValue dict)
{
  g_return_val_if_fail (ls_value_is (dict, &ls_dict_class), 0);
  return as_dict (dict)->used;
}

gboolean
ls_dict_next (LsValue dict, guint *pos, LsValue *key, LsValue *value)
{
  LsDict *d;

  g_return_val_if_fail (ls_value_is (dict, &ls_dict_class), FALSE);
  d = as_dict (dict);
  while (*pos < d->n_entries && !d->entries[*pos].live)
    (*pos)++;
  if (*pos >= d->n_entries)
    return FALSE;
  if (key)
    *key = d->entries[*pos].key;
  if (value)
    *value = d->entries[*pos].value;
  (*pos)++;
  return TRUE;
}

/* Removes entry ix (at index slot) and hands back its key and value. */
static void
dict_take_entry (LsDict *d, guint slot, gint32 ix, LsValue *key, LsValue *value)
{
  DictEntry *e = &d->entries[ix];

  d->index[slot] = IX_DUMMY;
  d->version = ++dict_version_counter;
  *key = e->key;
  *value = e->value;
  e->key = ls_none ();
  e->value = ls_none ();
  e->live = FALSE;
  d->used--;
}

static LsValue
key_error (LsValue key)
{
  LsValue k = ls_value_ref (key);
  return ls_exc_new (&ls_exc_KeyError, 1, &k);
}

/* ---- slots -------------------------------------------------------------------------- */

static char *
dict_repr (LsObject *self)
{
  LsDict *d = (LsDict *) self;
  GString *out = g_string_new ("{");
  gboolean first = TRUE;

  for (guint i = 0; i < d->n_entries; i++)
    {
      char *k, *v;
      if (!d->entries[i].live)
        continue;
      k = ls_value_repr (d->entries[i].key);
      v = ls_value_repr (d->entries[i].value);
      g_string_append_printf (out, "%s%s: %s", first ? "" : ", ", k, v);
      g_free (k);
      g_free (v);
      first = FALSE;
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static gboolean
dict_getitem (LsObject *self, LsValue key, LsValue *out)
{
  int r = ls_dict_get (ls_object (self), key, out);
  if (r == 0)
    *out = key_error (key);
  return r == 1;
}

static gboolean
dict_setitem (LsObject *self, LsValue key, LsValue value, LsValue *error)
{
  return ls_dict_set (ls_object (self), key, value, error);
}

static gboolean
dict_delitem (LsObject *self, LsValue key, LsValue *error)
{
  LsDict *d = (LsDict *) self;
  guint slot;
  gint32 ix;
  LsValue k, v;
  int r = dict_find (d, key, &slot, &ix, error);

  if (r == 0)
    *error = key_error (key);
  if (r != 1)
    return FALSE;
  dict_take_entry (d, slot, ix, &k, &v);
  ls_value_unref (k);
  ls_value_unref (v);
  return TRUE;
}

static gboolean
dict_len_slot (LsObject *self, gint64 *len, LsValue *error)
{
  *len = ((LsDict *) self)->used;
  return TRUE;
}

static gboolean
dict_contains (LsObject *self, LsValue item, gboolean *result, LsValue *error)
{
  guint slot;
  gint32 ix;
  int r = dict_find ((LsDict *) self, item, &slot, &ix, error);

  *result = r == 1;
  return r >= 0;
}

/* ---- iterators and views ----------------------------------------------------------------- */

typedef enum { VIEW_KEYS, VIEW_VALUES, VIEW_ITEMS } ViewKind;

typedef struct {
  LsObject base;
  LsValue dict;             /* owned; None once exhausted */
  guint pos;
  gint64 size;              /* len(d) when iteration began; -1 after the error */
  ViewKind kind;
} LsDictIter;

static void
dict_iter_finalize (LsObject *self)
{
  ls_value_unref (((LsDictIter *) self)->dict);
}

static gboolean
iter_self (LsObject *self, LsValue *out)
{
  *out = ls_value_ref (ls_object (self));
  return TRUE;
}

static int
dict_iter_next (LsObject *self, LsValue *out)
{
  LsDictIter *it = (LsDictIter *) self;
  LsValue k, v;

  *out = ls_none ();
  if (ls_is_none (it->dict))
    return 0;
  if (it->size != as_dict (it->dict)->used)
    {
      it->size = -1;
      *out = ls_exc_newf (&ls_exc_RuntimeError, "dictionary changed size during iteration");
      return -1;
    }
  if (!ls_dict_next (it->dict, &it->pos, &k, &v))
    {
      ls_value_set (&it->dict, ls_none ());
      return 0;
    }
  switch (it->kind)
    {
    case VIEW_KEYS: *out = ls_value_ref (k); break;
    case VIEW_VALUES: *out = ls_value_ref (v); break;
    case VIEW_ITEMS:
      {
        LsValue pair[2] = { ls_value_ref (k), ls_value_ref (v) };
        *out = ls_tuple_new (2, pair);
        break;
      }
    }
  return 1;
}

static const LsTypeSlots dict_iter_ops = {
  .iter = iter_self,
  .next = dict_iter_next,
};

static const LsClass dict_iter_classes[] = {
  { .name = "dict_keyiterator", .finalize = dict_iter_finalize, .ops = &dict_iter_ops },
  { .name = "dict_valueiterator", .finalize = dict_iter_finalize, .ops = &dict_iter_ops },
  { .name = "dict_itemiterator", .finalize = dict_iter_finalize, .ops = &dict_iter_ops },
};

static LsValue
dict_iter_new (LsValue dict, ViewKind kind)
{
  LsDictIter *it = ls_object_alloc (&dict_iter_classes[kind], sizeof (LsDictIter));
  it->dict = ls_value_ref (dict);
  it->size = as_dict (dict)->used;
  it->kind = kind;
  return ls_object (it);
}

static gboolean
dict_iter (LsObject *self, LsValue *out)
{
  *out = dict_iter_new (ls_object (self), VIEW_KEYS);
  return TRUE;
}

typedef struct {
  LsObject base;
  LsValue dict;             /* owned */
  ViewKind kind;
} LsDictView;

static void
view_finalize (LsObject *self)
{
  ls_value_unref (((LsDictView *) self)->dict);
}

static char *
view_repr (LsObject *self)
{
  LsValue list;
  char *inner, *out;

  if (!_ls_list_from_iterable (ls_object (self), &list))
    {
      ls_value_unref (list);
      return g_strdup_printf ("%s(...)", self->cls->name);
    }
  inner = ls_value_repr (list);
  out = g_strdup_printf ("%s(%s)", self->cls->name, inner);
  g_free (inner);
  ls_value_unref (list);
  return out;
}

static gboolean
view_len (LsObject *self, gint64 *len, LsValue *error)
{
  *len = as_dict (((LsDictView *) self)->dict)->used;
  return TRUE;
}

static gboolean
view_iter (LsObject *self, LsValue *out)
{
  LsDictView *v = (LsDictView *) self;
  *out = dict_iter_new (v->dict, v->kind);
  return TRUE;
}

static gboolean
view_contains (LsObject *self, LsValue item, gboolean *result, LsValue *error)
{
  LsDictView *v = (LsDictView *) self;
  LsDict *d = as_dict (v->dict);

  *result = FALSE;
  switch (v->kind)
    {
    case VIEW_KEYS:
      return dict_contains (&d->base, item, result, error);
    case VIEW_ITEMS:
      {
        guint n;
        const LsValue *pair = _ls_seq_items (item, &n);
        LsValue found;
        int r;
        gboolean ok;

        if (!ls_value_is (item, &ls_tuple_class) || n != 2)
          return TRUE;
        r = ls_dict_get (v->dict, pair[0], &found);
        if (r < 0)
          {
            *error = found;
            return FALSE;
          }
        if (r == 0)
          return TRUE;
        ok = _ls_eq (found, pair[1], result, error);
        ls_value_unref (found);
        return ok;
      }
    case VIEW_VALUES:
    default:
      for (guint i = 0; i < d->n_entries; i++)
        {
          LsValue val;
          gboolean ok;
          if (!d->entries[i].live)
            continue;
          val = ls_value_ref (d->entries[i].value);
          ok = _ls_eq (val, item, result, error);
          ls_value_unref (val);
          if (!ok)
            return FALSE;
          if (*result)
            return TRUE;
        }
      return TRUE;
    }
}

static const LsTypeSlots view_ops = {
  .len = view_len,
  .contains = view_contains,
  .iter = view_iter,
};

static const LsClass view_classes[] = {
  { .name = "dict_keys", .finalize = view_finalize, .repr = view_repr, .ops = &view_ops },
  { .name = "dict_values", .finalize = view_finalize, .repr = view_repr, .ops = &view_ops },
  { .name = "dict_items", .finalize = view_finalize, .repr = view_repr, .ops = &view_ops },
};

static LsValue
view_new (LsValue dict, ViewKind kind)
{
  LsDictView *v = ls_object_alloc (&view_classes[kind], sizeof (LsDictView));
  v->dict = ls_value_ref (dict);
  v->kind = kind;
  return ls_object (v);
}

/* ---- update and equality ----------------------------------------------------------------- */

static gboolean
dict_merge (LsDict *d, LsDict *other, LsValue *error)
{
  /* Over a snapshot of the entries, so that d.update(d) is safe. */
  guint n = other->n_entries;
  DictEntry *snap = g_new (DictEntry, MAX (n, 1));
  gboolean ok = TRUE;

  for (guint i = 0; i < n; i++)
    {
      snap[i] = other->entries[i];
      if (snap[i].live)
        {
          ls_value_ref (snap[i].key);
          ls_value_ref (snap[i].value);
        }
    }
  for (guint i = 0; i < n && ok; i++)
    if (snap[i].live)
      ok = dict_set_hashed (d, snap[i].key, snap[i].hash, snap[i].value, error);
  dict_free_entries (snap, n);
  return ok;
}

typedef struct {
  LsValue dict;
  guint n;
  LsValue mapping;          /* a mapping's keys are being walked: its d[k] */
} UpdateState;

static gboolean
update_pair (LsValue item, gpointer data, LsValue *error)
{
  UpdateState *st = data;
  LsValue seq, value;
  const LsValue *kv;
  guint n;
  gboolean ok;

  if (!ls_is_none (st->mapping))
    {
      if (!ls_op_getitem (st->mapping, item, &value))
        {
          *error = value;
          return FALSE;
        }
      ok = ls_dict_set (st->dict, item, value, error);
      ls_value_unref (value);
      return ok;
    }
  if (!_ls_list_from_iterable (item, &seq))
    {
      ls_value_unref (seq);
      *error = ls_exc_newf (&ls_exc_TypeError,
                            "cannot convert dictionary update sequence element #%u to a sequence", st->n);
      return FALSE;
    }
  kv = _ls_seq_items (seq, &n);
  if (n != 2)
    {
      *error = ls_exc_newf (&ls_exc_ValueError,
                            "dictionary update sequence element #%u has length %u; 2 is required",
                            st->n, n);
      ls_value_unref (seq);
      return FALSE;
    }
  ok = ls_dict_set (st->dict, kv[0], kv[1], error);
  ls_value_unref (seq);
  st->n++;
  return ok;
}

gboolean
_ls_dict_update_from (LsValue dict, LsValue other, LsValue *error)
{
  UpdateState st = { dict, 0, ls_none () };
  LsValue keys;
  gboolean ok;

  if (ls_value_is (other, &ls_dict_class))
    return dict_merge (as_dict (dict), as_dict (other), error);
  /* A mapping is what has keys(): PyDict_Merge's test. */
  if (!ls_value_is (other, &ls_list_class) && !ls_value_is (other, &ls_tuple_class)
      && !ls_value_is (other, &ls_str_class) && ls_op_getattr (other, "keys", &keys))
    {
      LsValue ks;
      gboolean called = ls_call (keys, NULL, 0, &ks);
      ls_value_unref (keys);
      if (!called)
        {
          *error = ks;
          return FALSE;
        }
      st.mapping = other;
      ok = _ls_foreach (ks, update_pair, &st, error);
      ls_value_unref (ks);
      return ok;
    }
  else if (!ls_value_is (other, &ls_list_class) && !ls_value_is (other, &ls_tuple_class)
           && !ls_value_is (other, &ls_str_class))
    ls_value_unref (keys);     /* the AttributeError */
  return _ls_foreach (other, update_pair, &st, error);
}

static gboolean
dict_equal_values (LsDict *a, LsDict *b, gboolean *eq, LsValue *error)
{
  *eq = a->used == b->used;
  for (guint i = 0; i < a->n_entries && *eq; i++)
    {
      LsValue k, v, w;
      int r;
      gboolean ok;

      if (!a->entries[i].live)
        continue;
      k = ls_value_ref (a->entries[i].key);
      v = ls_value_ref (a->entries[i].value);
      r = ls_dict_get (ls_object (b), k, &w);
      ls_value_unref (k);
      if (r <= 0)
        {
          ls_value_unref (v);
          if (r < 0)
            {
              *error = w;
              return FALSE;
            }
          *eq = FALSE;
          return TRUE;
        }
      ok = _ls_eq (v, w, eq, error);
      ls_value_unref (v);
      ls_value_unref (w);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static LsValue
dict_copy (LsValue dict)
{
  LsValue out = ls_dict_new (), error;
  if (!dict_merge (as_dict (out), as_dict (dict), &error))
    ls_value_unref (error);     /* cannot fail: the keys are already hashed and distinct */
  return out;
}

static gboolean
dict_binary (LsOp op, LsValue a, LsValue b, gboolean reflected, LsValue *out)
{
  gboolean eq;

  *out = ls_none ();
  if (!ls_value_is (a, &ls_dict_class) || !ls_value_is (b, &ls_dict_class))
    return FALSE;
  switch (op)
    {
    case LS_OP_EQ:
    case LS_OP_NE:
      if (!dict_equal_values (as_dict (a), as_dict (b), &eq, out))
        return FALSE;
      *out = ls_bool (op == LS_OP_EQ ? eq : !eq);
      return TRUE;
    case LS_OP_BITOR:
      {
        LsValue merged = dict_copy (a);
        if (!dict_merge (as_dict (merged), as_dict (b), out))
          {
            ls_value_unref (merged);
            return FALSE;
          }
        *out = merged;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

/* ---- methods ------------------------------------------------------------------------ */

static gboolean
nargs_range (const char *name, guint nargs, guint min, guint max, LsValue *result)
{
  if (nargs < min)
    *result = ls_exc_newf (&ls_exc_TypeError, "%s expected at least %u argument%s, got %u",
                           name, min, min == 1 ? "" : "s", nargs);
  else if (nargs > max)
    *result = ls_exc_newf (&ls_exc_TypeError, "%s expected at most %u argument%s, got %u",
                           name, max, max == 1 ? "" : "s", nargs);
  else
    return TRUE;
  return FALSE;
}

static gboolean
dict_keys_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!_ls_check_nargs ("dict.keys", nargs, 0, 0, result))
    return FALSE;
  *result = view_new (self, GPOINTER_TO_INT (data));
  return TRUE;
}

static gboolean
dict_get_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  int r;

  if (!nargs_range ("get", nargs, 1, 2, result))
    return FALSE;
  r = ls_dict_get (self, args[0], result);
  if (r == 0)
    *result = nargs == 2 ? ls_value_ref (args[1]) : ls_none ();
  return r >= 0;
}

static gboolean
dict_setdefault_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  int r;

  if (!nargs_range ("setdefault", nargs, 1, 2, result))
    return FALSE;
  r = ls_dict_get (self, args[0], result);
  if (r != 0)
    return r > 0;
  *result = nargs == 2 ? ls_value_ref (args[1]) : ls_none ();
  if (!ls_dict_set (self, args[0], *result, result))
    return FALSE;   /* cannot happen: the key hashed above */
  return TRUE;
}

static gboolean
dict_pop_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  guint slot;
  gint32 ix;
  LsValue k;
  int r;

  if (!nargs_range ("pop", nargs, 1, 2, result))
    return FALSE;
  r = dict_find (as_dict (self), args[0], &slot, &ix, result);
  if (r < 0)
    return FALSE;
  if (r == 0)
    {
      if (nargs == 2)
        {
          *result = ls_value_ref (args[1]);
          return TRUE;
        }
      *result = key_error (args[0]);
      return FALSE;
    }
  dict_take_entry (as_dict (self), slot, ix, &k, result);
  ls_value_unref (k);
  return TRUE;
}

static gboolean
dict_popitem_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsDict *d = as_dict (self);
  LsValue pair[2];
  gint32 ix;
  guint slot;

  if (!_ls_check_nargs ("dict.popitem", nargs, 0, 0, result))
    return FALSE;
  if (d->used == 0)
    {
      *result = ls_exc_newf (&ls_exc_KeyError, "popitem(): dictionary is empty");
      return FALSE;
    }
  /* LIFO: the last live entry. */
  for (ix = d->n_entries - 1; !d->entries[ix].live; ix--)
    ;
  {
    guint64 perturb = d->entries[ix].hash;
    for (slot = perturb & d->mask; d->index[slot] != ix; )
      {
        perturb >>= PERTURB_SHIFT;
        slot = (slot * 5 + perturb + 1) & d->mask;
      }
  }
  dict_take_entry (d, slot, ix, &pair[0], &pair[1]);
  d->n_entries = ix;      /* CPython reuses the slot of the popped entry */
  *result = ls_tuple_new (2, pair);
  return TRUE;
}

static gboolean
dict_clear_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsDict *d = as_dict (self);
  DictEntry *old = d->entries;
  guint n = d->n_entries;

  if (!_ls_check_nargs ("dict.clear", nargs, 0, 0, result))
    return FALSE;
  d->entries = NULL;
  d->n_entries = 0;
  d->used = 0;
  d->version = ++dict_version_counter;
  dict_resize (d, 0);
  dict_free_entries (old, n);
  *result = ls_none ();
  return TRUE;
}

static gboolean
dict_copy_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!_ls_check_nargs ("dict.copy", nargs, 0, 0, result))
    return FALSE;
  *result = dict_copy (self);
  return TRUE;
}

static gboolean
dict_update_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                    LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  if (nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "update expected at most 1 argument, got %u", nargs);
      return FALSE;
    }
  if (nargs == 1 && !_ls_dict_update_from (self, args[0], result))
    return FALSE;
  if (!ls_is_none (kwnames))
    {
      guint n;
      const LsValue *names = _ls_seq_items (kwnames, &n);
      for (guint i = 0; i < n; i++)
        if (!ls_dict_set (self, names[i], kwvalues[i], result))
          return FALSE;
    }
  *result = ls_none ();
  return TRUE;
}

static gboolean
dict_getattr (LsObject *self, const char *name, LsValue *out)
{
  static const LsMethodDef methods[] = {
    { "dict.get", dict_get_method, NULL },
    { "dict.setdefault", dict_setdefault_method, NULL },
    { "dict.update", NULL, dict_update_method },
    { "dict.pop", dict_pop_method, NULL },
    { "dict.popitem", dict_popitem_method, NULL },
    { "dict.clear", dict_clear_method, NULL },
    { "dict.copy", dict_copy_method, NULL },
    { NULL, NULL, NULL }
  };
  static const char *const views[] = { "keys", "values", "items" };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    if (strcmp (name, views[i]) == 0)
      {
        static const char *const names[] = { "dict.keys", "dict.values", "dict.items" };
        *out = ls_builtin_new (names[i], dict_keys_method, ls_value_ref (ls_object (self)),
                               GINT_TO_POINTER (i), NULL);
        return TRUE;
      }
  return _ls_method_lookup (self, methods, name, out);
}

static const LsTypeSlots dict_ops = {
  .getattr = dict_getattr,
  .getitem = dict_getitem,
  .setitem = dict_setitem,
  .delitem = dict_delitem,
  .len = dict_len_slot,
  .contains = dict_contains,
  .iter = dict_iter,
  .binary = dict_binary,
};

const LsClass ls_dict_class = {
  .name = "dict",
  .finalize = dict_finalize,
  .repr = dict_repr,
  .ops = &dict_ops,
};
