/* ls-ops.h - what the scenario language can do with a value.
 *
 * The VM never looks inside a value: every operator, subscript, attribute,
 * iteration and call goes through these functions, which follow CPython's
 * rules and messages (int/float mixing, bigints, str and list `+` and `*`,
 * "unsupported operand type(s) for +: 'int' and 'str'", "'<' not supported
 * between instances of 'str' and 'int'", "list index out of range", …).
 * Built-in types implement them in C through their class's LsTypeSlots;
 * the VM gives its own objects (functions, generators, classes) slots too.
 *
 * Convention: a gboolean result is TRUE on success; on FALSE the Python
 * exception raised is in *out / *error, owned by the caller.  Arguments
 * are borrowed.
 */
#pragma once

#include "ls-ast.h"
#include "ls-value.h"

G_BEGIN_DECLS

/* Per-class implementations; any may be NULL (the operation then raises
 * CPython's TypeError for the type). */
typedef struct _LsTypeSlots {
  /* obj.name: FALSE and AttributeError when absent.  Methods come back
   * bound (an LsBuiltin or the VM's bound method). */
  gboolean (*getattr) (LsObject *self, const char *name, LsValue *out);
  gboolean (*setattr) (LsObject *self, const char *name, LsValue value, LsValue *error);
  gboolean (*getitem) (LsObject *self, LsValue key, LsValue *out);
  gboolean (*setitem) (LsObject *self, LsValue key, LsValue value, LsValue *error);
  gboolean (*delitem) (LsObject *self, LsValue key, LsValue *error);
  gboolean (*len) (LsObject *self, gint64 *len, LsValue *error);
  /* `item in self`: *result set on success. */
  gboolean (*contains) (LsObject *self, LsValue item, gboolean *result, LsValue *error);
  /* iter(self): a new iterator. */
  gboolean (*iter) (LsObject *self, LsValue *out);
  /* next(self): 1 and the item, 0 when exhausted (StopIteration's value,
   * or None, in *out), -1 and the exception. */
  int (*next) (LsObject *self, LsValue *out);
  /* a op b where self is a (reflected: self is b); LS_OP_* arithmetic and
   * comparisons.  Returns FALSE with *out = None (not an exception) for
   * NotImplemented, so that the other operand is tried. */
  gboolean (*binary) (LsOp op, LsValue a, LsValue b, gboolean reflected, LsValue *out);
  /* hash(self): FALSE and TypeError "unhashable type: 'list'". */
  gboolean (*hash) (LsObject *self, guint64 *hash, LsValue *error);
  /* self op= other (a += b, a |= b …) done in place: *out is the result
   * (self, with a new reference).  FALSE with *out = None for
   * NotImplemented: then a op b is computed as ls_op_binary would. */
  gboolean (*inplace) (LsOp op, LsObject *self, LsValue other, LsValue *out);
  /* -self, +self, ~self: FALSE with *out = None for NotImplemented. */
  gboolean (*unary) (LsOp op, LsObject *self, LsValue *out);
} LsTypeSlots;

/* ---- operators ---------------------------------------------------------- */

gboolean ls_op_binary (LsOp op, LsValue a, LsValue b, LsValue *out);   /* + - * / // % ** << >> | ^ & @ */
gboolean ls_op_inplace (LsOp op, LsValue a, LsValue b, LsValue *out);  /* +=: lists extend in place */
gboolean ls_op_unary (LsOp op, LsValue a, LsValue *out);               /* - + ~ not */
/* == != < <= > >= (a bool, or whatever a rich comparison returns), is,
 * is not, in, not in. */
gboolean ls_op_compare (LsOp op, LsValue a, LsValue b, LsValue *out);
gboolean ls_op_truthy (LsValue v, gboolean *result, LsValue *error);  /* bool(v), len-based */

/* ---- containers and attributes ------------------------------------------------ */

gboolean ls_op_getitem (LsValue obj, LsValue key, LsValue *out);
gboolean ls_op_setitem (LsValue obj, LsValue key, LsValue value, LsValue *error);
gboolean ls_op_delitem (LsValue obj, LsValue key, LsValue *error);
gboolean ls_op_len (LsValue obj, gint64 *len, LsValue *error);
gboolean ls_op_contains (LsValue container, LsValue item, gboolean *result, LsValue *error);
gboolean ls_op_getattr (LsValue obj, const char *name, LsValue *out);
gboolean ls_op_setattr (LsValue obj, const char *name, LsValue value, LsValue *error);
gboolean ls_op_iter (LsValue obj, LsValue *out);
int ls_op_next (LsValue iterator, LsValue *out);
gboolean ls_op_hash (LsValue v, guint64 *hash, LsValue *error);

/* A slice object, for a[b:c:d]; any part may be None. */
extern const LsClass ls_slice_class;
LsValue ls_slice_new (LsValue start, LsValue stop, LsValue step);   /* takes all three */

/* ---- formatting --------------------------------------------------------------- */

/* format(v, spec): the format-spec mini-language for int, float, str
 * (fill, align, sign, #, 0, width, grouping `,` `_`, .precision, type
 * b c d o x X e E f F g G n % s). */
gboolean ls_format (LsValue v, const char *spec, LsValue *out);

/* ---- built-in types the language adds ----------------------------------------- */

/* dict: insertion order, CPython's hashing of str/int/float/tuple. */
extern const LsClass ls_dict_class;
LsValue ls_dict_new (void);
gboolean ls_dict_set (LsValue dict, LsValue key, LsValue value, LsValue *error);   /* borrows */
/* 1 found (*out a new reference), 0 missing, -1 error (unhashable) */
int ls_dict_get (LsValue dict, LsValue key, LsValue *out);
guint ls_dict_len (LsValue dict);
/* A number that changes whenever the dict's contents change (CPython's
 * ma_version_tag): equal versions mean equal contents. */
guint64 ls_dict_version (LsValue dict);
/* Iterates in insertion order: *pos starts at 0; borrowed key/value. */
gboolean ls_dict_next (LsValue dict, guint *pos, LsValue *key, LsValue *value);

/* set: iteration order as CPython's for ints (same table and probing). */
extern const LsClass ls_set_class;
LsValue ls_set_new (void);
gboolean ls_set_add (LsValue set, LsValue item, LsValue *error);

/* int beyond 48 bits (GMP); ls_int() boxes a gint64; these parse and make
 * any size. */
LsValue ls_int_from_string (const char *digits, int base);   /* "1_000", base 0 = auto prefix */
gboolean ls_int_fits_int64 (LsValue v, gint64 *out);

/* str, list, tuple helpers the VM needs. */
LsValue ls_list_new_from (guint n, const LsValue *items_taken);
/* list.extend(iterable), and what `list += iterable` does in place. */
gboolean ls_list_extend (LsValue list, LsValue iterable, LsValue *error);
LsValue ls_str_concat (LsValue a, LsValue b);
/* "".join(parts) for a list of str. */
gboolean ls_str_join (const char *sep, guint n, const LsValue *parts, LsValue *out);

/* The builtins that are plain functions of values (len, abs, min, max, sum,
 * sorted, round, repr, str, int, float, list, tuple, dict, set, bool,
 * enumerate, zip, range, map, filter, any, all, iter, next, isinstance,
 * type, ord, chr, hash): a dict name -> callable, filled by ls-builtins.c.
 * Callables that call back into Python code (sorted's key, map's function)
 * do so with ls_call. */
void ls_builtins_install (LsValue dict);

G_END_DECLS
