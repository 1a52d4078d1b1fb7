/* ls-set.c - the set type, with CPython 3.12's table so that it iterates
 * in CPython's order.
 *
 * Programs print sets ({3, 1, 2} shows as {1, 2, 3}), and the order a set
 * iterates in is the order of its hash table, which depends on the table
 * size, the probe sequence and every resize.  So this file follows
 * Objects/setobject.c line for line where order is at stake: the same
 * minimum size (8), linear probing of up to LINEAR_PROBES neighbours
 * before a perturbed jump, the same fill threshold (fill * 5 >= mask * 3)
 * and growth (used * 4), deleted slots kept as dummies until a resize, the
 * set_merge fast paths, and the iteration order of intersection,
 * difference and symmetric difference.  Ints hash as in CPython (ls-ops.c),
 * so int sets come out exactly as there; str hashes are randomized in
 * CPython, so no program can rely on the order of a set of strings.
 */
#include "ls-containers-private.h"

#include <string.h>

#define SET_MINSIZE 8
#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

typedef enum { SLOT_UNUSED = 0, SLOT_ACTIVE, SLOT_DUMMY } SlotState;

typedef struct {
  LsValue key;              /* owned when active */
  guint64 hash;             /* Py_hash_t as unsigned */
  SlotState state;
} SetEntry;

typedef struct {
  LsObject base;
  SetEntry *table;          /* mask + 1 entries */
  gsize mask;
  gsize fill;               /* active + dummy */
  gsize used;               /* active: len(s) */
  gsize finger;             /* where pop() searches from */
} LsSet;

static inline LsSet *
as_set (LsValue v)
{
  return (LsSet *) ls_value_as_object (v);
}

static inline gboolean
is_set (LsValue v)
{
  return ls_value_is (v, &ls_set_class);
}

static void
table_free (SetEntry *table, gsize size)
{
  for (gsize i = 0; i < size; i++)
    if (table[i].state == SLOT_ACTIVE)
      ls_value_unref (table[i].key);
  g_free (table);
}

static void
set_finalize (LsObject *self)
{
  LsSet *s = (LsSet *) self;
  table_free (s->table, s->mask + 1);
}

static void
set_empty_to_minsize (LsSet *s)
{
  s->table = g_new0 (SetEntry, SET_MINSIZE);
  s->mask = SET_MINSIZE - 1;
  s->fill = 0;
  s->used = 0;
}

LsValue
ls_set_new (void)
{
  LsSet *s = ls_object_alloc (&ls_set_class, sizeof (LsSet));
  set_empty_to_minsize (s);
  return ls_object (s);
}

/* set_insert_clean: a key known to be absent, into a table without dummies. */
static void
set_insert_clean (SetEntry *table, gsize mask, LsValue key, guint64 hash)
{
  gsize perturb = hash, i = hash & mask;
  SetEntry *entry;

  for (;;)
    {
      entry = &table[i];
      if (entry->state == SLOT_UNUSED)
        goto found_null;
      if (i + LINEAR_PROBES <= mask)
        for (int j = 0; j < LINEAR_PROBES; j++)
          {
            entry++;
            if (entry->state == SLOT_UNUSED)
              goto found_null;
          }
      perturb >>= PERTURB_SHIFT;
      i = (i * 5 + 1 + perturb) & mask;
    }
found_null:
  entry->key = key;
  entry->hash = hash;
  entry->state = SLOT_ACTIVE;
}

/* set_table_resize: the smallest power of two above minused. */
static void
set_table_resize (LsSet *s, gsize minused)
{
  SetEntry *old = s->table;
  gsize oldsize = s->mask + 1, newsize = SET_MINSIZE;

  while (newsize <= minused)
    newsize <<= 1;
  s->table = g_new0 (SetEntry, newsize);
  s->mask = newsize - 1;
  s->fill = s->used;
  for (gsize i = 0; i < oldsize; i++)
    if (old[i].state == SLOT_ACTIVE)
      set_insert_clean (s->table, s->mask, old[i].key, old[i].hash);
  g_free (old);     /* the keys moved */
}

/* set_add_entry: borrows key.  Dummies are not reused (3.12). */
static gboolean
set_add_entry (LsSet *s, LsValue key, guint64 hash, LsValue *error)
{
  SetEntry *entry, *table;
  gsize perturb, mask, i;
  int probes;

restart:
  mask = s->mask;
  i = hash & mask;
  perturb = hash;
  for (;;)
    {
      entry = &s->table[i];
      probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
      do
        {
          if (entry->state == SLOT_UNUSED)
            goto found_unused;
          if (entry->state == SLOT_ACTIVE && entry->hash == hash)
            {
              gboolean eq;
              LsValue startkey = ls_value_ref (entry->key);
              gboolean ok;
              table = s->table;
              ok = _ls_eq (startkey, key, &eq, error);
              ls_value_unref (startkey);
              if (!ok)
                return FALSE;
              if (eq)
                return TRUE;      /* found_active */
              if (table != s->table || entry->state != SLOT_ACTIVE
                  || !ls_value_identical (entry->key, startkey))
                goto restart;
              mask = s->mask;
            }
          entry++;
        }
      while (probes--);
      perturb >>= PERTURB_SHIFT;
      i = (i * 5 + 1 + perturb) & mask;
    }

found_unused:
  s->fill++;
  s->used++;
  entry->key = ls_value_ref (key);
  entry->hash = hash;
  entry->state = SLOT_ACTIVE;
  if (s->fill * 5 < mask * 3)
    return TRUE;
  set_table_resize (s, s->used > 50000 ? s->used * 2 : s->used * 4);
  return TRUE;
}

/* set_lookkey: the active entry holding key, or NULL. */
static gboolean
set_lookkey (LsSet *s, LsValue key, guint64 hash, SetEntry **found, LsValue *error)
{
  SetEntry *entry, *table;
  gsize perturb, mask, i;
  int probes;

restart:
  mask = s->mask;
  i = hash & mask;
  perturb = hash;
  for (;;)
    {
      entry = &s->table[i];
      probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
      do
        {
          if (entry->state == SLOT_UNUSED)
            {
              *found = NULL;
              return TRUE;
            }
          if (entry->state == SLOT_ACTIVE && entry->hash == hash)
            {
              gboolean eq, ok;
              LsValue startkey = ls_value_ref (entry->key);
              table = s->table;
              ok = _ls_eq (startkey, key, &eq, error);
              ls_value_unref (startkey);
              if (!ok)
                return FALSE;
              if (table != s->table || entry->state != SLOT_ACTIVE
                  || !ls_value_identical (entry->key, startkey))
                goto restart;
              if (eq)
                {
                  *found = entry;
                  return TRUE;
                }
              mask = s->mask;
            }
          entry++;
        }
      while (probes--);
      perturb >>= PERTURB_SHIFT;
      i = (i * 5 + 1 + perturb) & mask;
    }
}

/* 1 found, 0 not, -1 error. */
static int
set_contains_entry (LsSet *s, LsValue key, guint64 hash, LsValue *error)
{
  SetEntry *e;
  if (!set_lookkey (s, key, hash, &e, error))
    return -1;
  return e != NULL;
}

/* set_discard_entry: 1 discarded, 0 absent, -1 error. */
static int
set_discard_entry (LsSet *s, LsValue key, guint64 hash, LsValue *error)
{
  SetEntry *e;
  LsValue old;

  if (!set_lookkey (s, key, hash, &e, error))
    return -1;
  if (!e)
    return 0;
  old = e->key;
  e->key = ls_none ();
  e->hash = G_MAXUINT64;    /* -1, as CPython marks a dummy */
  e->state = SLOT_DUMMY;
  s->used--;
  ls_value_unref (old);
  return 1;
}

static gboolean
set_next (LsSet *s, gsize *pos, SetEntry **entry)
{
  gsize i = *pos;

  while (i <= s->mask && s->table[i].state != SLOT_ACTIVE)
    i++;
  *pos = i + 1;
  if (i > s->mask)
    return FALSE;
  *entry = &s->table[i];
  return TRUE;
}

/* set_merge: the fast paths decide the layout of copies and unions. */
static gboolean
set_merge (LsSet *s, LsSet *other, LsValue *error)
{
  if (other == s || other->used == 0)
    return TRUE;
  if ((s->fill + other->used) * 5 >= s->mask * 3)
    set_table_resize (s, (s->used + other->used) * 2);
  if (s->fill == 0 && s->mask == other->mask && other->fill == other->used)
    {
      for (gsize i = 0; i <= other->mask; i++)
        if (other->table[i].state == SLOT_ACTIVE)
          {
            s->table[i].key = ls_value_ref (other->table[i].key);
            s->table[i].hash = other->table[i].hash;
            s->table[i].state = SLOT_ACTIVE;
          }
      s->fill = other->fill;
      s->used = other->used;
      return TRUE;
    }
  if (s->fill == 0)
    {
      s->fill = other->used;
      s->used = other->used;
      for (gsize i = 0; i <= other->mask; i++)
        if (other->table[i].state == SLOT_ACTIVE)
          set_insert_clean (s->table, s->mask, ls_value_ref (other->table[i].key),
                            other->table[i].hash);
      return TRUE;
    }
  for (gsize i = 0; i <= other->mask; i++)
    if (other->table[i].state == SLOT_ACTIVE)
      {
        LsValue key = ls_value_ref (other->table[i].key);
        gboolean ok = set_add_entry (s, key, other->table[i].hash, error);
        ls_value_unref (key);
        if (!ok)
          return FALSE;
      }
  return TRUE;
}

static gboolean
add_each (LsValue item, gpointer data, LsValue *error)
{
  guint64 hash;
  return ls_op_hash (item, &hash, error) && set_add_entry (data, item, hash, error);
}

/* set_update_internal */
gboolean
_ls_set_update_from (LsValue set, LsValue iterable, LsValue *error)
{
  LsSet *s = as_set (set);

  if (is_set (iterable))
    return set_merge (s, as_set (iterable), error);
  if (ls_value_is (iterable, &ls_dict_class))
    {
      /* One resize up front, then the dict's keys in order. */
      gsize n = ls_dict_len (iterable);
      guint pos = 0;
      LsValue key;
      if ((s->fill + n) * 5 >= s->mask * 3)
        set_table_resize (s, (s->used + n) * 2);
      while (ls_dict_next (iterable, &pos, &key, NULL))
        {
          gboolean ok;
          ls_value_ref (key);
          ok = add_each (key, s, error);
          ls_value_unref (key);
          if (!ok)
            return FALSE;
        }
      return TRUE;
    }
  return _ls_foreach (iterable, add_each, s, error);
}

gboolean
ls_set_add (LsValue set, LsValue item, LsValue *error)
{
  g_return_val_if_fail (is_set (set), FALSE);
  return add_each (item, as_set (set), error);
}

static LsValue
set_copy (LsValue set)
{
  LsValue out = ls_set_new (), error;
  if (!set_merge (as_set (out), as_set (set), &error))
    ls_value_unref (error);    /* cannot fail: the keys are distinct */
  return out;
}

/* A set of an iterable's items (make_new_set). */
static gboolean
set_from_iterable (LsValue iterable, LsValue *out)
{
  LsValue s = ls_set_new ();
  if (!_ls_set_update_from (s, iterable, out))
    {
      ls_value_unref (s);
      return FALSE;
    }
  *out = s;
  return TRUE;
}

/* ---- the set algebra, in CPython's iteration orders ---------------------------------------- */

static gboolean
set_intersection (LsValue so, LsValue other, LsValue *out)
{
  LsValue result, error, it, key;
  int r;

  if (ls_value_identical (so, other))
    {
      *out = set_copy (so);
      return TRUE;
    }
  result = ls_set_new ();
  if (is_set (other))
    {
      LsSet *a = as_set (so), *b = as_set (other);
      gsize pos = 0;
      SetEntry *e;
      if (b->used > a->used)
        {
          LsSet *t = a;
          a = b;
          b = t;
        }
      while (set_next (b, &pos, &e))
        {
          LsValue k = ls_value_ref (e->key);
          guint64 hash = e->hash;
          r = set_contains_entry (a, k, hash, &error);
          if (r > 0 && !set_add_entry (as_set (result), k, hash, &error))
            r = -1;
          ls_value_unref (k);
          if (r < 0)
            goto fail;
        }
      *out = result;
      return TRUE;
    }
  if (!ls_op_iter (other, &it))
    {
      error = it;
      goto fail;
    }
  while ((r = ls_op_next (it, &key)) == 1)
    {
      guint64 hash;
      int c = -1;
      if (ls_op_hash (key, &hash, &error))
        {
          c = set_contains_entry (as_set (so), key, hash, &error);
          if (c > 0 && !set_add_entry (as_set (result), key, hash, &error))
            c = -1;
        }
      ls_value_unref (key);
      if (c < 0)
        {
          ls_value_unref (it);
          goto fail;
        }
    }
  ls_value_unref (it);
  if (r < 0)
    {
      error = key;
      goto fail;
    }
  ls_value_unref (key);
  *out = result;
  return TRUE;

fail:
  ls_value_unref (result);
  *out = error;
  return FALSE;
}

static gboolean
discard_each (LsValue item, gpointer data, LsValue *error)
{
  guint64 hash;
  return ls_op_hash (item, &hash, error) && set_discard_entry (data, item, hash, error) >= 0;
}

/* set_difference_update_internal */
static gboolean
set_difference_update (LsValue so, LsValue other, LsValue *error)
{
  LsSet *s = as_set (so);

  if (ls_value_identical (so, other))
    {
      table_free (s->table, s->mask + 1);
      set_empty_to_minsize (s);
      return TRUE;
    }
  if (is_set (other))
    {
      LsValue walk = ls_value_ref (other);
      gsize pos = 0;
      SetEntry *e;
      gboolean ok = TRUE;

      /* When other is much larger, walk its intersection with so instead. */
      if ((as_set (other)->used >> 3) > s->used)
        {
          ls_value_unref (walk);
          if (!set_intersection (so, other, &walk))
            {
              *error = walk;
              return FALSE;
            }
        }
      while (ok && set_next (as_set (walk), &pos, &e))
        {
          LsValue k = ls_value_ref (e->key);
          ok = set_discard_entry (s, k, e->hash, error) >= 0;
          ls_value_unref (k);
        }
      ls_value_unref (walk);
      if (!ok)
        return FALSE;
    }
  else if (!_ls_foreach (other, discard_each, s, error))
    return FALSE;
  /* More than a quarter dummies: resize them away. */
  if (s->fill - s->used > s->mask / 4)
    set_table_resize (s, s->used > 50000 ? s->used * 2 : s->used * 4);
  return TRUE;
}

static gboolean
set_difference (LsValue so, LsValue other, LsValue *out)
{
  gsize other_size;
  LsValue result;
  gsize pos = 0;
  SetEntry *e;

  if (is_set (other))
    other_size = as_set (other)->used;
  else if (ls_value_is (other, &ls_dict_class))
    other_size = ls_dict_len (other);
  else
    other_size = G_MAXSIZE;
  if (other_size == G_MAXSIZE || (as_set (so)->used >> 2) > other_size)
    {
      /* set_copy_and_difference */
      result = set_copy (so);
      if (!set_difference_update (result, other, out))
        {
          ls_value_unref (result);
          return FALSE;
        }
      *out = result;
      return TRUE;
    }
  result = ls_set_new ();
  while (set_next (as_set (so), &pos, &e))
    {
      LsValue k = ls_value_ref (e->key);
      guint64 hash = e->hash;
      int r;
      if (is_set (other))
        r = set_contains_entry (as_set (other), k, hash, out);
      else
        {
          LsValue v;
          r = ls_dict_get (other, k, &v);
          if (r >= 0)
            ls_value_unref (v);
          else
            *out = v;
        }
      if (r == 0 && !set_add_entry (as_set (result), k, hash, out))
        r = -1;
      ls_value_unref (k);
      if (r < 0)
        {
          ls_value_unref (result);
          return FALSE;
        }
    }
  *out = result;
  return TRUE;
}

/* set_symmetric_difference_update */
static gboolean
set_symmetric_difference_update (LsValue so, LsValue other, LsValue *error)
{
  LsValue walk;
  gsize pos = 0;
  SetEntry *e;
  gboolean ok = TRUE;

  if (ls_value_identical (so, other))
    {
      LsSet *s = as_set (so);
      table_free (s->table, s->mask + 1);
      set_empty_to_minsize (s);
      return TRUE;
    }
  if (is_set (other))
    walk = ls_value_ref (other);
  else if (!set_from_iterable (other, &walk))
    {
      *error = walk;
      return FALSE;
    }
  while (ok && set_next (as_set (walk), &pos, &e))
    {
      LsValue k = ls_value_ref (e->key);
      guint64 hash = e->hash;
      int r = set_discard_entry (as_set (so), k, hash, error);
      if (r == 0)
        ok = set_add_entry (as_set (so), k, hash, error);
      else if (r < 0)
        ok = FALSE;
      ls_value_unref (k);
    }
  ls_value_unref (walk);
  return ok;
}

static gboolean
set_symmetric_difference (LsValue so, LsValue other, LsValue *out)
{
  LsValue result;

  if (!set_from_iterable (other, &result))
    {
      *out = result;
      return FALSE;
    }
  if (!set_symmetric_difference_update (result, so, out))
    {
      ls_value_unref (result);
      return FALSE;
    }
  *out = result;
  return TRUE;
}

/* so <= other */
static gboolean
set_issubset (LsValue so, LsValue other, gboolean *result, LsValue *error)
{
  gsize pos = 0;
  SetEntry *e;

  *result = FALSE;
  if (as_set (so)->used > as_set (other)->used)
    return TRUE;
  while (set_next (as_set (so), &pos, &e))
    {
      LsValue k = ls_value_ref (e->key);
      int r = set_contains_entry (as_set (other), k, e->hash, error);
      ls_value_unref (k);
      if (r < 0)
        return FALSE;
      if (r == 0)
        return TRUE;
    }
  *result = TRUE;
  return TRUE;
}

/* ---- slots ---------------------------------------------------------------------------- */

static char *
set_repr (LsObject *self)
{
  LsSet *s = (LsSet *) self;
  GString *out;
  gsize pos = 0;
  SetEntry *e;
  gboolean first = TRUE;

  if (s->used == 0)
    return g_strdup ("set()");
  out = g_string_new ("{");
  while (set_next (s, &pos, &e))
    {
      char *r = ls_value_repr (e->key);
      g_string_append_printf (out, "%s%s", first ? "" : ", ", r);
      g_free (r);
      first = FALSE;
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static gboolean
set_len (LsObject *self, gint64 *len, LsValue *error)
{
  *len = ((LsSet *) self)->used;
  return TRUE;
}

static gboolean
set_contains (LsObject *self, LsValue item, gboolean *result, LsValue *error)
{
  guint64 hash;
  int r;

  if (!ls_op_hash (item, &hash, error))
    return FALSE;
  r = set_contains_entry ((LsSet *) self, item, hash, error);
  *result = r == 1;
  return r >= 0;
}

typedef struct {
  LsObject base;
  LsValue set;              /* owned; None once exhausted */
  gsize pos;
  gsize size;               /* len(s) when iteration began */
  gboolean broken;
} LsSetIter;

static void
set_iter_finalize (LsObject *self)
{
  ls_value_unref (((LsSetIter *) self)->set);
}

static gboolean
iter_self (LsObject *self, LsValue *out)
{
  *out = ls_value_ref (ls_object (self));
  return TRUE;
}

static int
set_iter_next (LsObject *self, LsValue *out)
{
  LsSetIter *it = (LsSetIter *) self;
  SetEntry *e;

  *out = ls_none ();
  if (ls_is_none (it->set))
    return 0;
  if (it->broken || it->size != as_set (it->set)->used)
    {
      it->broken = TRUE;
      *out = ls_exc_newf (&ls_exc_RuntimeError, "Set changed size during iteration");
      return -1;
    }
  if (!set_next (as_set (it->set), &it->pos, &e))
    {
      ls_value_set (&it->set, ls_none ());
      return 0;
    }
  *out = ls_value_ref (e->key);
  return 1;
}

static const LsTypeSlots set_iter_ops = {
  .iter = iter_self,
  .next = set_iter_next,
};

static const LsClass set_iter_class = {
  .name = "set_iterator",
  .finalize = set_iter_finalize,
  .ops = &set_iter_ops,
};

static gboolean
set_iter (LsObject *self, LsValue *out)
{
  LsSetIter *it = ls_object_alloc (&set_iter_class, sizeof (LsSetIter));
  it->set = ls_value_ref (ls_object (self));
  it->size = ((LsSet *) self)->used;
  *out = ls_object (it);
  return TRUE;
}

static gboolean
set_binary (LsOp op, LsValue a, LsValue b, gboolean reflected, LsValue *out)
{
  gboolean sub;

  *out = ls_none ();
  if (!is_set (a) || !is_set (b))
    return FALSE;
  switch (op)
    {
    case LS_OP_BITOR:
      {
        LsValue result = set_copy (a);
        if (!ls_value_identical (a, b) && !set_merge (as_set (result), as_set (b), out))
          {
            ls_value_unref (result);
            return FALSE;
          }
        *out = result;
        return TRUE;
      }
    case LS_OP_BITAND: return set_intersection (a, b, out);
    case LS_OP_SUB: return set_difference (a, b, out);
    case LS_OP_BITXOR: return set_symmetric_difference (a, b, out);
    case LS_OP_EQ:
    case LS_OP_NE:
      if (as_set (a)->used != as_set (b)->used)
        sub = FALSE;
      else if (!set_issubset (a, b, &sub, out))
        return FALSE;
      *out = ls_bool (op == LS_OP_EQ ? sub : !sub);
      return TRUE;
    case LS_OP_LE:
    case LS_OP_LT:
      if (!set_issubset (a, b, &sub, out))
        return FALSE;
      *out = ls_bool (sub && (op == LS_OP_LE || as_set (a)->used < as_set (b)->used));
      return TRUE;
    case LS_OP_GE:
    case LS_OP_GT:
      if (!set_issubset (b, a, &sub, out))
        return FALSE;
      *out = ls_bool (sub && (op == LS_OP_GE || as_set (a)->used > as_set (b)->used));
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- methods ------------------------------------------------------------------------ */

static gboolean
set_add_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!_ls_check_nargs ("set.add", nargs, 1, 1, result) || !ls_set_add (self, args[0], result))
    return FALSE;
  *result = ls_none ();
  return TRUE;
}

static gboolean
set_remove_or_discard (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  gboolean remove = GPOINTER_TO_INT (data);
  guint64 hash;
  int r;

  if (!_ls_check_nargs (remove ? "set.remove" : "set.discard", nargs, 1, 1, result))
    return FALSE;
  if (!ls_op_hash (args[0], &hash, result))
    return FALSE;
  r = set_discard_entry (as_set (self), args[0], hash, result);
  if (r < 0)
    return FALSE;
  if (r == 0 && remove)
    {
      LsValue k = ls_value_ref (args[0]);
      *result = ls_exc_new (&ls_exc_KeyError, 1, &k);
      return FALSE;
    }
  *result = ls_none ();
  return TRUE;
}

static gboolean
set_pop_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsSet *s = as_set (self);
  SetEntry *entry, *limit;

  if (!_ls_check_nargs ("set.pop", nargs, 0, 0, result))
    return FALSE;
  if (s->used == 0)
    {
      *result = ls_exc_newf (&ls_exc_KeyError, "pop from an empty set");
      return FALSE;
    }
  entry = s->table + (s->finger & s->mask);
  limit = s->table + s->mask;
  while (entry->state != SLOT_ACTIVE)
    {
      entry++;
      if (entry > limit)
        entry = s->table;
    }
  *result = entry->key;
  entry->key = ls_none ();
  entry->hash = G_MAXUINT64;
  entry->state = SLOT_DUMMY;
  s->used--;
  s->finger = entry - s->table + 1;
  return TRUE;
}

static gboolean
set_clear_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsSet *s = as_set (self);
  SetEntry *old = s->table;
  gsize size = s->mask + 1;

  if (!_ls_check_nargs ("set.clear", nargs, 0, 0, result))
    return FALSE;
  set_empty_to_minsize (s);
  table_free (old, size);
  *result = ls_none ();
  return TRUE;
}

static gboolean
set_copy_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!_ls_check_nargs ("set.copy", nargs, 0, 0, result))
    return FALSE;
  *result = set_copy (self);
  return TRUE;
}

static gboolean
set_update_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  for (guint i = 0; i < nargs; i++)
    if (!_ls_set_update_from (self, args[i], result))
      return FALSE;
  *result = ls_none ();
  return TRUE;
}

/* union, intersection, difference, symmetric_difference with any
 * iterables (which the operators refuse). */
enum { ALG_UNION, ALG_INTERSECTION, ALG_DIFFERENCE, ALG_SYMMETRIC };

static gboolean
set_algebra_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  int kind = GPOINTER_TO_INT (data);
  LsValue acc, next;

  if (kind == ALG_SYMMETRIC)
    {
      if (!_ls_check_nargs ("set.symmetric_difference", nargs, 1, 1, result))
        return FALSE;
      return set_symmetric_difference (self, args[0], result);
    }
  if (kind == ALG_DIFFERENCE && nargs == 1)
    return set_difference (self, args[0], result);
  acc = kind == ALG_INTERSECTION ? ls_value_ref (self) : set_copy (self);
  if (kind == ALG_INTERSECTION && nargs == 0)
    ls_value_set (&acc, set_copy (self));
  for (guint i = 0; i < nargs; i++)
    {
      gboolean ok;
      switch (kind)
        {
        case ALG_UNION:
          ok = _ls_set_update_from (acc, args[i], result);
          break;
        case ALG_INTERSECTION:
          ok = set_intersection (acc, args[i], &next);
          if (ok)
            ls_value_set (&acc, next);
          else
            *result = next;
          break;
        default:
          ok = set_difference_update (acc, args[i], result);
          break;
        }
      if (!ok)
        {
          ls_value_unref (acc);
          return FALSE;
        }
    }
  *result = acc;
  return TRUE;
}

/* issubset, issuperset, isdisjoint against any iterable. */
enum { REL_SUBSET, REL_SUPERSET, REL_DISJOINT };

static gboolean
set_relation_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  static const char *const names[] = { "set.issubset", "set.issuperset", "set.isdisjoint" };
  int kind = GPOINTER_TO_INT (data);
  LsValue other, inter;
  gboolean r;

  if (!_ls_check_nargs (names[kind], nargs, 1, 1, result))
    return FALSE;
  if (is_set (args[0]))
    other = ls_value_ref (args[0]);
  else if (!set_from_iterable (args[0], &other))
    {
      *result = other;
      return FALSE;
    }
  switch (kind)
    {
    case REL_SUBSET:
      if (!set_issubset (self, other, &r, result))
        goto fail;
      break;
    case REL_SUPERSET:
      if (!set_issubset (other, self, &r, result))
        goto fail;
      break;
    default:
      if (!set_intersection (self, other, &inter))
        {
          *result = inter;
          goto fail;
        }
      r = as_set (inter)->used == 0;
      ls_value_unref (inter);
      break;
    }
  ls_value_unref (other);
  *result = ls_bool (r);
  return TRUE;

fail:
  ls_value_unref (other);
  return FALSE;
}

static gboolean
set_getattr (LsObject *self, const char *name, LsValue *out)
{
  static const struct { const char *attr, *name; LsBuiltinFn fn; int data; } methods[] = {
    { "add", "set.add", set_add_method, 0 },
    { "remove", "set.remove", set_remove_or_discard, 1 },
    { "discard", "set.discard", set_remove_or_discard, 0 },
    { "pop", "set.pop", set_pop_method, 0 },
    { "clear", "set.clear", set_clear_method, 0 },
    { "copy", "set.copy", set_copy_method, 0 },
    { "update", "set.update", set_update_method, 0 },
    { "union", "set.union", set_algebra_method, ALG_UNION },
    { "intersection", "set.intersection", set_algebra_method, ALG_INTERSECTION },
    { "difference", "set.difference", set_algebra_method, ALG_DIFFERENCE },
    { "symmetric_difference", "set.symmetric_difference", set_algebra_method, ALG_SYMMETRIC },
    { "issubset", "set.issubset", set_relation_method, REL_SUBSET },
    { "issuperset", "set.issuperset", set_relation_method, REL_SUPERSET },
    { "isdisjoint", "set.isdisjoint", set_relation_method, REL_DISJOINT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (strcmp (name, methods[i].attr) == 0)
      {
        *out = ls_builtin_new (methods[i].name, methods[i].fn, ls_value_ref (ls_object (self)),
                               GINT_TO_POINTER (methods[i].data), NULL);
        return TRUE;
      }
  *out = ls_exc_newf (&ls_exc_AttributeError, "'set' object has no attribute '%s'", name);
  return FALSE;
}

static const LsTypeSlots set_ops = {
  .getattr = set_getattr,
  .len = set_len,
  .contains = set_contains,
  .iter = set_iter,
  .binary = set_binary,
};

const LsClass ls_set_class = {
  .name = "set",
  .finalize = set_finalize,
  .repr = set_repr,
  .ops = &set_ops,
};
