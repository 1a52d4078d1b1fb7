/* ls-containers-private.h - what the built-in containers and the builtins
 * share inside the engine.
 *
 * str, list, tuple, dict, set, range and the iterator objects live in
 * separate files (ls-str.c, ls-list.c, ls-dict.c, ls-set.c), and the
 * builtins (ls-builtins.c) construct all of them; these are the helpers
 * they have in common.  Conventions are ls-ops.h's: a gboolean result is
 * TRUE on success, FALSE with the Python exception in *error.
 */
#pragma once

#include "ls-ops.h"

G_BEGIN_DECLS

/* The slot tables the classes in ls-value.c point at. */
extern const LsTypeSlots _ls_str_ops;
extern const LsTypeSlots _ls_tuple_ops;
extern const LsTypeSlots _ls_list_ops;

/* ---- equality and indices --------------------------------------------------- */

/* a == b as containers compare their items: identity first (so a NaN
 * finds itself, as in CPython's PyObject_RichCompareBool), then `==`. */
gboolean _ls_eq (LsValue a, LsValue b, gboolean *eq, LsValue *error);

/* An int (or bool) as a C index.  FALSE with *error = NULL when v is not
 * an int at all (the caller words that TypeError); FALSE with an
 * IndexError "cannot fit 'int' into an index-sized integer" when it is
 * too large. */
gboolean _ls_index_value (LsValue v, gint64 *out, LsValue *error);

/* ---- slices ------------------------------------------------------------------- */

typedef struct {
  LsObject base;
  LsValue start, stop, step;   /* each owned; None when left out */
} LsSlice;

/* slice.indices(len) as PySlice_Unpack and PySlice_AdjustIndices do it:
 * the bounds clipped to the sequence, and the number of items. */
gboolean _ls_slice_indices (LsValue slice, gint64 len, gint64 *start, gint64 *stop,
                            gint64 *step, gint64 *slicelen, LsValue *error);

/* ---- methods ------------------------------------------------------------------ */

/* A method of a built-in type: `fn` for positional arguments only, or
 * `kwfn` when it takes keywords (list.sort(key=, reverse=)). */
typedef struct {
  const char *name;        /* "list.append": as CPython names it in errors */
  LsBuiltinFn fn;
  LsBuiltinKwFn kwfn;
} LsMethodDef;

/* obj.name from a NULL-terminated table of methods: a bound builtin, or
 * AttributeError "'list' object has no attribute 'x'". */
gboolean _ls_method_lookup (LsObject *self, const LsMethodDef *methods, const char *name,
                            LsValue *out);

/* TypeError unless min <= nargs <= max, worded like CPython's
 * "append() takes exactly one argument (0 given)" family. */
gboolean _ls_check_nargs (const char *name, guint nargs, guint min, guint max, LsValue *error);

/* Looks up the keyword `name` of a call: its value (borrowed) or NULL. */
const LsValue *_ls_kw_lookup (LsValue kwnames, const LsValue *kwvalues, const char *name);

/* TypeError "f() got an unexpected keyword argument 'x'" for the first
 * keyword not in the NULL-terminated list allowed. */
gboolean _ls_check_kwargs (const char *fname, LsValue kwnames, const char *const *allowed,
                           LsValue *error);

/* ---- iteration --------------------------------------------------------------- */

/* Calls fn on each item of iterable (borrowed); stops at the first FALSE,
 * whose exception comes back in *error. */
typedef gboolean (*LsEachFn) (LsValue item, gpointer data, LsValue *error);
gboolean _ls_foreach (LsValue iterable, LsEachFn fn, gpointer data, LsValue *error);

/* list(iterable): a new list. */
gboolean _ls_list_from_iterable (LsValue iterable, LsValue *out);

/* Items of a list or tuple (borrowed) without copying, or NULL. */
const LsValue *_ls_seq_items (LsValue v, guint *n);

/* list.sort(key=key, reverse=reverse) on a list; key may be None. */
gboolean _ls_list_sort (LsValue list, LsValue key, gboolean reverse, LsValue *error);

/* Iterator objects the builtins return. */
LsValue _ls_enumerate_new (LsValue iterator_taken, LsValue start_taken);
LsValue _ls_zip_new (guint n, LsValue *iterators_taken, gboolean strict);
LsValue _ls_map_new (LsValue fn, guint n, LsValue *iterators_taken);
LsValue _ls_filter_new (LsValue fn, LsValue iterator_taken);
/* reversed(seq) for list, tuple, str, range and dict. */
gboolean _ls_reversed (LsValue seq, LsValue *out);

/* ---- range -------------------------------------------------------------------- */

extern const LsClass _ls_range_class;

/* iter(range): the interpreter's `for` steps it without a call. */
typedef struct {
  LsObject base;
  gint64 next, step, left;   /* the next value, the stride, values still to come */
} LsRangeIter;

extern const LsClass _ls_range_iter_class;
gboolean _ls_range_new (const LsValue *args, guint nargs, LsValue *out);

/* ---- dict and set ------------------------------------------------------------- */

/* The start of every dict: its version, read inline where the interpreter
 * checks its global-lookup caches (ls_dict_version is the same). */
typedef struct {
  LsObject base;
  guint64 version;
} LsDictHead;

static inline guint64
_ls_dict_version (LsValue dict)
{
  return ((const LsDictHead *) ls_value_as_object (dict))->version;
}

/* dict(...)'s and dict.update's argument: a mapping or pairs. */
gboolean _ls_dict_update_from (LsValue dict, LsValue other, LsValue *error);
/* set(iterable) and set.update.  Note for the compiler: CPython builds a
 * display of three or more constants ({64, 8, 1, ...}) as a frozenset
 * constant merged into an empty set, which can lay a large table out
 * differently from adding the items one by one; building the items into
 * one set and then updating a new empty set from it reproduces that. */
gboolean _ls_set_update_from (LsValue set, LsValue iterable, LsValue *error);

/* ---- str ---------------------------------------------------------------------- */

/* A new str of len bytes for the caller to fill in (data[len] is the
 * NUL), with one reference; ascii must say truly whether every byte the
 * caller writes is below 0x80. */
LsStr *_ls_str_alloc (gsize len, gboolean ascii);

/* len() of a str in code points. */
gint64 _ls_str_char_len (LsValue s);
/* str.format(*args, **kwargs) */
gboolean _ls_str_format (const char *fmt, const LsValue *args, guint nargs, LsValue kwnames,
                         const LsValue *kwvalues, LsValue *out);

/* ---- type objects ------------------------------------------------------------- */

/* The `int`, `str`, `list`, … a program names and type() returns: one
 * immortal object per class, callable as its constructor. */
typedef struct {
  LsObject base;
  const LsClass *cls;
} LsTypeObject;

extern const LsClass _ls_type_class;
/* The type object of a class (borrowed; lives as long as the process). */
LsValue _ls_type_object (const LsClass *cls);

G_END_DECLS
