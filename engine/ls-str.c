/* ls-str.c - what the language does with a str: indexing, slicing,
 * operators and the methods of CPython's str.
 *
 * A str is UTF-8 (LsStr in ls-value.h) but Python counts in code points:
 * len("é") is 1, s[1] is the second character, find() returns a character
 * index.  Most scenario strings are ASCII, where a byte is a character, so
 * every operation that converts between the two first checks for that and
 * only walks the UTF-8 otherwise.  Comparison of UTF-8 bytes orders by code
 * point, as CPython compares strings.
 *
 * str.format parses its template here and hands each format spec to
 * ls_format (ls-format.c); `str % args` is ls-ops.c's (_ls_str_percent).
 */
#include "ls-containers-private.h"

#include <string.h>

static inline const LsStr *
as_str (LsValue v)
{
  return (const LsStr *) ls_value_as_object (v);
}

static inline gboolean
is_str (LsValue v)
{
  return ls_value_is (v, &ls_str_class);
}

/* The str object caches the answer for its whole text (see LsStr). */
#define str_ascii(s) ((s)->ascii)

static gboolean
bytes_ascii (const char *s, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if ((unsigned char) s[i] >= 0x80)
      return FALSE;
  return TRUE;
}

static gint64
char_count (const char *s, gsize len)
{
  if (bytes_ascii (s, len))
    return len;
  return g_utf8_strlen (s, len);
}

gint64
_ls_str_char_len (LsValue s)
{
  return char_count (as_str (s)->data, as_str (s)->len);
}

/* Byte offset of character index i (0 <= i <= length). */
static gsize
byte_offset (const LsStr *s, gboolean ascii, gint64 i)
{
  if (ascii)
    return i;
  return g_utf8_offset_to_pointer (s->data, i) - s->data;
}

static gint64
char_index (const LsStr *s, gboolean ascii, gsize byte)
{
  if (ascii)
    return byte;
  return g_utf8_pointer_to_offset (s->data, s->data + byte);
}

static LsValue
str_from_gstring (GString *g)
{
  LsValue v = ls_str_new_len (g->str, g->len);
  g_string_free (g, TRUE);
  return v;
}

LsValue
ls_str_concat (LsValue a, LsValue b)
{
  GString *g = g_string_sized_new (as_str (a)->len + as_str (b)->len);
  g_string_append_len (g, as_str (a)->data, as_str (a)->len);
  g_string_append_len (g, as_str (b)->data, as_str (b)->len);
  return str_from_gstring (g);
}

gboolean
ls_str_join (const char *sep, guint n, const LsValue *parts, LsValue *out)
{
  gsize seplen = strlen (sep), len = 0;
  gboolean ascii = TRUE;
  LsStr *s;
  char *p;

  /* Every f-string ends here: sizes first, then one copy into the str. */
  for (guint i = 0; i < n; i++)
    {
      if (!is_str (parts[i]))
        {
          *out = ls_exc_newf (&ls_exc_TypeError, "sequence item %u: expected str instance, %s found",
                              i, ls_value_class (parts[i])->name);
          return FALSE;
        }
      len += as_str (parts[i])->len;
      ascii = ascii && str_ascii (as_str (parts[i]));
    }
  if (n > 1)
    {
      len += seplen * (n - 1);
      for (gsize i = 0; i < seplen; i++)
        if ((unsigned char) sep[i] >= 0x80)
          ascii = FALSE;
    }
  s = _ls_str_alloc (len, ascii);
  p = s->data;
  for (guint i = 0; i < n; i++)
    {
      if (i)
        {
          memcpy (p, sep, seplen);
          p += seplen;
        }
      memcpy (p, as_str (parts[i])->data, as_str (parts[i])->len);
      p += as_str (parts[i])->len;
    }
  *out = ls_object (s);
  return TRUE;
}

/* ---- slots ------------------------------------------------------------------------ */

static gboolean
str_getitem (LsObject *self, LsValue key, LsValue *out)
{
  const LsStr *s = (const LsStr *) self;
  gboolean ascii = str_ascii (s);
  gint64 n = ascii ? (gint64) s->len : g_utf8_strlen (s->data, s->len);
  gint64 i, start, stop, step, slicelen;
  LsValue error;

  if (ls_value_is (key, &ls_slice_class))
    {
      GString *g;
      if (!_ls_slice_indices (key, n, &start, &stop, &step, &slicelen, out))
        return FALSE;
      if (step == 1)
        {
          gsize a = byte_offset (s, ascii, start);
          gsize b = slicelen > 0 ? byte_offset (s, ascii, start + slicelen) : a;
          *out = ls_str_new_len (s->data + a, b - a);
          return TRUE;
        }
      g = g_string_new (NULL);
      if (ascii)
        for (gint64 k = 0; k < slicelen; k++)
          g_string_append_c (g, s->data[start + k * step]);
      else
        {
          gunichar *chars = g_utf8_to_ucs4_fast (s->data, s->len, NULL);
          for (gint64 k = 0; k < slicelen; k++)
            g_string_append_unichar (g, chars[start + k * step]);
          g_free (chars);
        }
      *out = str_from_gstring (g);
      return TRUE;
    }
  if (!_ls_index_value (key, &i, &error))
    {
      if (ls_is_none (error))
        error = ls_exc_newf (&ls_exc_TypeError, "string indices must be integers, not '%s'",
                             ls_value_class (key)->name);
      *out = error;
      return FALSE;
    }
  if (i < 0)
    i += n;
  if (i < 0 || i >= n)
    {
      *out = ls_exc_newf (&ls_exc_IndexError, "string index out of range");
      return FALSE;
    }
  {
    gsize a = byte_offset (s, ascii, i);
    gsize len = ascii ? 1 : (gsize) (g_utf8_next_char (s->data + a) - (s->data + a));
    *out = ls_str_new_len (s->data + a, len);
  }
  return TRUE;
}

static gboolean
str_len (LsObject *self, gint64 *len, LsValue *error)
{
  *len = _ls_str_char_len (ls_object (self));
  return TRUE;
}

/* The byte position of needle in hay[from, to), or -1. */
static gssize
find_bytes (const char *hay, gsize from, gsize to, const char *needle, gsize nlen)
{
  const char *p;

  if (to < from || to - from < nlen)
    return -1;
  if (nlen == 0)
    return from;
  p = memmem (hay + from, to - from, needle, nlen);
  return p ? p - hay : -1;
}

static gssize
rfind_bytes (const char *hay, gsize from, gsize to, const char *needle, gsize nlen)
{
  if (to < from || to - from < nlen)
    return -1;
  for (gsize i = to - nlen + 1; i-- > from; )
    if (memcmp (hay + i, needle, nlen) == 0)
      return i;
  return -1;
}

static gboolean
str_contains (LsObject *self, LsValue item, gboolean *result, LsValue *error)
{
  const LsStr *s = (const LsStr *) self;

  if (!is_str (item))
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "'in <string>' requires string as left operand, not %s",
                            ls_value_class (item)->name);
      return FALSE;
    }
  *result = find_bytes (s->data, 0, s->len, as_str (item)->data, as_str (item)->len) >= 0;
  return TRUE;
}

typedef struct {
  LsObject base;
  LsValue str;              /* owned; None once exhausted */
  gsize pos;                /* byte offset of the next character */
} LsStrIter;

static void
str_iter_finalize (LsObject *self)
{
  ls_value_unref (((LsStrIter *) self)->str);
}

static gboolean
iter_self (LsObject *self, LsValue *out)
{
  *out = ls_value_ref (ls_object (self));
  return TRUE;
}

static int
str_iter_next (LsObject *self, LsValue *out)
{
  LsStrIter *it = (LsStrIter *) self;
  const LsStr *s;
  gsize len;

  *out = ls_none ();
  if (ls_is_none (it->str))
    return 0;
  s = as_str (it->str);
  if (it->pos >= s->len)
    {
      ls_value_set (&it->str, ls_none ());
      return 0;
    }
  len = g_utf8_next_char (s->data + it->pos) - (s->data + it->pos);
  *out = ls_str_new_len (s->data + it->pos, len);
  it->pos += len;
  return 1;
}

static const LsTypeSlots str_iter_ops = {
  .iter = iter_self,
  .next = str_iter_next,
};

static const LsClass str_ascii_iter_class = {
  .name = "str_ascii_iterator", .finalize = str_iter_finalize, .ops = &str_iter_ops,
};
static const LsClass str_iter_class = {
  .name = "str_iterator", .finalize = str_iter_finalize, .ops = &str_iter_ops,
};

static gboolean
str_iter (LsObject *self, LsValue *out)
{
  const LsStr *s = (const LsStr *) self;
  LsStrIter *it = ls_object_alloc (str_ascii (s) ? &str_ascii_iter_class : &str_iter_class,
                                   sizeof (LsStrIter));
  it->str = ls_value_ref (ls_object (self));
  *out = ls_object (it);
  return TRUE;
}

/* A fixed 64-bit FNV-1a, avalanched.  CPython randomizes str hashes per
 * process, so no order can be expected to match; a fixed one keeps runs
 * reproducible. */
static gboolean
str_hash (LsObject *self, guint64 *hash, LsValue *error)
{
  LsStr *s = (LsStr *) self;
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037);

  if (s->hash)
    {
      *hash = s->hash;
      return TRUE;
    }
  for (gsize i = 0; i < s->len; i++)
    {
      h ^= (unsigned char) s->data[i];
      h *= G_GUINT64_CONSTANT (1099511628211);
    }
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  *hash = h == G_MAXUINT64 ? G_MAXUINT64 - 1 : h;   /* -1 is reserved */
  s->hash = *hash ? *hash : 1;
  *hash = s->hash;
  return TRUE;
}

static gboolean
str_binary (LsOp op, LsValue a, LsValue b, gboolean reflected, LsValue *out)
{
  LsValue self = reflected ? b : a, other = reflected ? a : b;
  int cmp;

  *out = ls_none ();
  switch (op)
    {
    case LS_OP_ADD:
      if (reflected)
        return FALSE;
      if (!is_str (other))
        {
          *out = ls_exc_newf (&ls_exc_TypeError, "can only concatenate str (not \"%s\") to str",
                              ls_value_class (other)->name);
          return FALSE;
        }
      *out = ls_str_concat (a, b);
      return TRUE;
    case LS_OP_MUL:
      {
        gint64 times;
        LsValue error;
        GString *g;
        if (!_ls_index_value (other, &times, &error))
          {
            if (ls_is_none (error))
              error = ls_exc_newf (&ls_exc_TypeError, "can't multiply sequence by non-int of type '%s'",
                                   ls_value_class (other)->name);
            *out = error;
            return FALSE;
          }
        if (times > 0 && as_str (self)->len > 0
            && (guint64) times > (G_GUINT64_CONSTANT (1) << 30) / as_str (self)->len)
          {
            *out = ls_exc_newf (&ls_exc_RuntimeError, "string repetition too large");
            return FALSE;
          }
        g = g_string_new (NULL);
        for (gint64 i = 0; i < times; i++)
          g_string_append_len (g, as_str (self)->data, as_str (self)->len);
        *out = str_from_gstring (g);
        return TRUE;
      }
    case LS_OP_EQ: case LS_OP_NE: case LS_OP_LT: case LS_OP_LE: case LS_OP_GT: case LS_OP_GE:
      if (!is_str (a) || !is_str (b))
        return FALSE;
      cmp = memcmp (as_str (a)->data, as_str (b)->data, MIN (as_str (a)->len, as_str (b)->len));
      if (cmp == 0)
        cmp = as_str (a)->len < as_str (b)->len ? -1 : as_str (a)->len > as_str (b)->len;
      switch (op)
        {
        case LS_OP_EQ: *out = ls_bool (cmp == 0); break;
        case LS_OP_NE: *out = ls_bool (cmp != 0); break;
        case LS_OP_LT: *out = ls_bool (cmp < 0); break;
        case LS_OP_LE: *out = ls_bool (cmp <= 0); break;
        case LS_OP_GT: *out = ls_bool (cmp > 0); break;
        default: *out = ls_bool (cmp >= 0); break;
        }
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- methods: helpers ----------------------------------------------------------------- */

#define SELF_STR(v) as_str (v)

/* An optional str argument (None allowed): NULL when absent or None. */
static gboolean
opt_str_arg (const char *what, const LsValue *args, guint nargs, guint i, const LsStr **out,
             LsValue *error)
{
  *out = NULL;
  if (i >= nargs || ls_is_none (args[i]))
    return TRUE;
  if (!is_str (args[i]))
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "%s", what);
      return FALSE;
    }
  *out = as_str (args[i]);
  return TRUE;
}

/* start/end arguments of find, count, startswith...: character indices
 * (None allowed), adjusted like slice bounds, then turned into bytes. */
static gboolean
str_range_args (const LsStr *s, const LsValue *args, guint nargs, guint first,
                gsize *from, gsize *to, gboolean *empty, LsValue *error)
{
  gboolean ascii = str_ascii (s);
  gint64 n = ascii ? (gint64) s->len : g_utf8_strlen (s->data, s->len);
  gint64 b[2] = { 0, n };

  for (guint k = 0; k < 2; k++)
    {
      LsValue e;
      if (first + k >= nargs || ls_is_none (args[first + k]))
        continue;
      if (!_ls_index_value (args[first + k], &b[k], &e))
        {
          if (ls_is_none (e))
            e = ls_exc_newf (&ls_exc_TypeError,
                             "slice indices must be integers or None or have an __index__ method");
          *error = e;
          return FALSE;
        }
      if (b[k] < 0)
        b[k] = MAX (b[k] + n, 0);
      b[k] = MIN (b[k], n);
    }
  *empty = b[0] > b[1];
  *from = byte_offset (s, ascii, b[0]);
  *to = *empty ? *from : byte_offset (s, ascii, b[1]);
  return TRUE;
}

/* ---- find, index, count, startswith, endswith ---------------------------------------- */

enum { FIND, RFIND, INDEX, RINDEX, COUNT };

static gboolean
str_find_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  static const char *const names[] = { "find", "rfind", "index", "rindex", "count" };
  int kind = GPOINTER_TO_INT (data);
  const LsStr *s = SELF_STR (self), *sub;
  gsize from, to;
  gboolean empty;
  gssize at;

  if (nargs < 1 || nargs > 3)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, nargs < 1 ? "%s expected at least 1 argument, got %u"
                             : "%s expected at most 3 arguments, got %u", names[kind], nargs);
      return FALSE;
    }
  if (!is_str (args[0]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "must be str, not %s", ls_value_class (args[0])->name);
      return FALSE;
    }
  sub = as_str (args[0]);
  if (!str_range_args (s, args, nargs, 1, &from, &to, &empty, result))
    return FALSE;
  if (kind == COUNT)
    {
      gint64 count = 0;
      if (!empty && sub->len == 0)
        count = char_count (s->data + from, to - from) + 1;
      else if (!empty)
        for (gssize p = find_bytes (s->data, from, to, sub->data, sub->len); p >= 0;
             p = find_bytes (s->data, p + sub->len, to, sub->data, sub->len))
          count++;
      *result = ls_int (count);
      return TRUE;
    }
  at = empty ? -1 : (kind == FIND || kind == INDEX) ? find_bytes (s->data, from, to, sub->data, sub->len)
                                                    : rfind_bytes (s->data, from, to, sub->data, sub->len);
  if (at < 0 && (kind == INDEX || kind == RINDEX))
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "substring not found");
      return FALSE;
    }
  *result = ls_int (at < 0 ? -1 : char_index (s, str_ascii (s), at));
  return TRUE;
}

static gboolean
str_affix_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  gboolean ends = GPOINTER_TO_INT (data);
  const char *name = ends ? "endswith" : "startswith";
  const LsStr *s = SELF_STR (self);
  const LsValue *cands;
  guint ncands;
  gsize from, to;
  gboolean empty;

  if (nargs < 1 || nargs > 3)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, nargs < 1 ? "%s expected at least 1 argument, got %u"
                             : "%s expected at most 3 arguments, got %u", name, nargs);
      return FALSE;
    }
  if (ls_value_is (args[0], &ls_tuple_class))
    cands = _ls_seq_items (args[0], &ncands);
  else
    {
      cands = args;
      ncands = 1;
    }
  for (guint i = 0; i < ncands; i++)
    if (!is_str (cands[i]))
      {
        if (cands == args)
          *result = ls_exc_newf (&ls_exc_TypeError, "%s first arg must be str or a tuple of str, not %s",
                                 name, ls_value_class (cands[i])->name);
        else
          *result = ls_exc_newf (&ls_exc_TypeError, "tuple for %s must only contain str, not %s",
                                 name, ls_value_class (cands[i])->name);
        return FALSE;
      }
  if (!str_range_args (s, args, nargs, 1, &from, &to, &empty, result))
    return FALSE;
  for (guint i = 0; i < ncands && !empty; i++)
    {
      const LsStr *c = as_str (cands[i]);
      if (c->len <= to - from
          && memcmp (s->data + (ends ? to - c->len : from), c->data, c->len) == 0)
        {
          *result = ls_bool (TRUE);
          return TRUE;
        }
    }
  *result = ls_bool (FALSE);
  return TRUE;
}

/* ---- case and classification ------------------------------------------------------ */

enum { UPPER, LOWER, TITLE, CAPITALIZE, SWAPCASE };

static gboolean
is_cased (gunichar c)
{
  return g_unichar_isupper (c) || g_unichar_islower (c) || g_unichar_istitle (c);
}

static void
append_mapped (GString *g, gunichar c, int how)
{
  char buf[8];
  gunichar tc;
  char *mapped;

  /* g_utf8_strup/strdown apply the special casings (ß -> SS) */
  buf[g_unichar_to_utf8 (c, buf)] = '\0';
  switch (how)
    {
    case UPPER:
      mapped = g_utf8_strup (buf, -1);
      break;
    case LOWER:
      mapped = g_utf8_strdown (buf, -1);
      break;
    default:
      tc = g_unichar_totitle (c);
      buf[g_unichar_to_utf8 (tc, buf)] = '\0';
      mapped = g_strdup (buf);
      break;
    }
  g_string_append (g, mapped);
  g_free (mapped);
}

static gboolean
str_case_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  static const char *const names[] = { "str.upper", "str.lower", "str.title", "str.capitalize", "str.swapcase" };
  int kind = GPOINTER_TO_INT (data);
  const LsStr *s = SELF_STR (self);
  GString *g = g_string_sized_new (s->len);
  gboolean prev_cased = FALSE, first = TRUE;

  if (!_ls_check_nargs (names[kind], nargs, 0, 0, result))
    {
      g_string_free (g, TRUE);
      return FALSE;
    }
  for (const char *p = s->data; p < s->data + s->len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int how;
      switch (kind)
        {
        case UPPER: how = UPPER; break;
        case LOWER: how = LOWER; break;
        case TITLE: how = prev_cased ? LOWER : TITLE; break;
        case CAPITALIZE: how = first ? TITLE : LOWER; break;
        default: how = g_unichar_isupper (c) ? LOWER : g_unichar_islower (c) ? UPPER : -1; break;
        }
      prev_cased = is_cased (c);
      first = FALSE;
      if (c < 0x80 && how != TITLE)
        g_string_append_c (g, how == UPPER ? g_ascii_toupper (c) : how == LOWER ? g_ascii_tolower (c) : (char) c);
      else if (c < 0x80)
        g_string_append_c (g, g_ascii_toupper (c));
      else if (how < 0)
        g_string_append_unichar (g, c);
      else
        append_mapped (g, c, how);
    }
  *result = str_from_gstring (g);
  return TRUE;
}

enum { IS_DIGIT, IS_ALPHA, IS_SPACE, IS_ALNUM, IS_UPPER, IS_LOWER, IS_DECIMAL, IS_NUMERIC };

static gboolean
str_is_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  static const char *const names[] = {
    "str.isdigit", "str.isalpha", "str.isspace", "str.isalnum", "str.isupper", "str.islower",
    "str.isdecimal", "str.isnumeric"
  };
  int kind = GPOINTER_TO_INT (data);
  const LsStr *s = SELF_STR (self);
  gboolean ok = s->len > 0, any_cased = FALSE;

  if (!_ls_check_nargs (names[kind], nargs, 0, 0, result))
    return FALSE;
  for (const char *p = s->data; ok && p < s->data + s->len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      switch (kind)
        {
        case IS_DIGIT: case IS_DECIMAL: ok = g_unichar_isdigit (c); break;
        case IS_NUMERIC: ok = g_unichar_isdigit (c) || g_unichar_type (c) == G_UNICODE_OTHER_NUMBER
                              || g_unichar_type (c) == G_UNICODE_LETTER_NUMBER; break;
        case IS_ALPHA: ok = g_unichar_isalpha (c); break;
        case IS_SPACE: ok = g_unichar_isspace (c) || (c >= 0x1c && c <= 0x1f); break;
        case IS_ALNUM: ok = g_unichar_isalnum (c); break;
        case IS_UPPER: ok = !g_unichar_islower (c); any_cased |= g_unichar_isupper (c); break;
        default: ok = !g_unichar_isupper (c) && !g_unichar_istitle (c); any_cased |= g_unichar_islower (c); break;
        }
    }
  if (kind == IS_UPPER || kind == IS_LOWER)
    ok = ok && any_cased;
  *result = ls_bool (ok);
  return TRUE;
}

/* ---- strip, split, join, replace ---------------------------------------------------- */

static gboolean
in_chars (const LsStr *chars, const char *p, gsize clen)
{
  if (!chars)
    return g_unichar_isspace (g_utf8_get_char (p)) || (clen == 1 && *p >= 0x1c && *p <= 0x1f);
  return find_bytes (chars->data, 0, chars->len, p, clen) >= 0;
}

enum { STRIP_BOTH, STRIP_LEFT, STRIP_RIGHT };

static gboolean
str_strip_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  static const char *const names[] = { "strip", "lstrip", "rstrip" };
  int kind = GPOINTER_TO_INT (data);
  const LsStr *s = SELF_STR (self), *chars;
  const char *lo = s->data, *hi = s->data + s->len;
  char *msg;

  if (nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "%s expected at most 1 argument, got %u", names[kind], nargs);
      return FALSE;
    }
  msg = g_strdup_printf ("%s arg must be None or str", names[kind]);
  if (!opt_str_arg (msg, args, nargs, 0, &chars, result))
    {
      g_free (msg);
      return FALSE;
    }
  g_free (msg);
  if (kind != STRIP_RIGHT)
    while (lo < hi && in_chars (chars, lo, g_utf8_next_char (lo) - lo))
      lo = g_utf8_next_char (lo);
  if (kind != STRIP_LEFT)
    while (hi > lo)
      {
        const char *prev = g_utf8_find_prev_char (lo, hi);
        if (!prev)
          prev = lo;
        if (!in_chars (chars, prev, hi - prev))
          break;
        hi = prev;
      }
  *result = ls_str_new_len (lo, hi - lo);
  return TRUE;
}

static gboolean
is_space_at (const char *p)
{
  gunichar c = g_utf8_get_char (p);
  return g_unichar_isspace (c) || (c >= 0x1c && c <= 0x1f);
}

static gboolean
split_args (const char *name, const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues,
            const LsStr **sep, gint64 *maxsplit, LsValue *error)
{
  static const char *const allowed[] = { "sep", "maxsplit", NULL };
  const LsValue *kw;
  LsValue sepv = nargs > 0 ? args[0] : ls_none (), maxv = nargs > 1 ? args[1] : ls_int (-1);

  if (nargs > 2)
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "%s() takes at most 2 arguments (%u given)", name, nargs);
      return FALSE;
    }
  if (!_ls_check_kwargs (name, kwnames, allowed, error))
    return FALSE;
  if ((kw = _ls_kw_lookup (kwnames, kwvalues, "sep")))
    sepv = *kw;
  if ((kw = _ls_kw_lookup (kwnames, kwvalues, "maxsplit")))
    maxv = *kw;
  *sep = NULL;
  if (!ls_is_none (sepv))
    {
      if (!is_str (sepv))
        {
          *error = ls_exc_newf (&ls_exc_TypeError, "must be str or None, not %s", ls_value_class (sepv)->name);
          return FALSE;
        }
      *sep = as_str (sepv);
      if ((*sep)->len == 0)
        {
          *error = ls_exc_newf (&ls_exc_ValueError, "empty separator");
          return FALSE;
        }
    }
  if (!_ls_index_value (maxv, maxsplit, error))
    {
      if (ls_is_none (*error))
        *error = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                              ls_value_class (maxv)->name);
      return FALSE;
    }
  if (*maxsplit < 0)
    *maxsplit = G_MAXINT64;
  return TRUE;
}

static gboolean
str_split_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                  LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  gboolean right = GPOINTER_TO_INT (data);
  const LsStr *s = SELF_STR (self), *sep;
  gint64 maxsplit;
  GArray *out;
  const char *lo = s->data, *hi = s->data + s->len;

  if (!split_args (right ? "rsplit" : "split", args, nargs, kwnames, kwvalues, &sep, &maxsplit, result))
    return FALSE;
  out = g_array_new (FALSE, FALSE, sizeof (LsValue));
  if (!sep)
    {
      /* Runs of whitespace separate; none at the ends. */
      if (!right)
        for (;;)
          {
            const char *w;
            LsValue v;
            while (lo < hi && is_space_at (lo))
              lo = g_utf8_next_char (lo);
            if (lo >= hi)
              break;
            if ((gint64) out->len == maxsplit)
              {
                /* The rest, trailing whitespace included. */
                v = ls_str_new_len (lo, hi - lo);
                g_array_append_val (out, v);
                break;
              }
            for (w = lo; w < hi && !is_space_at (w); w = g_utf8_next_char (w))
              ;
            v = ls_str_new_len (lo, w - lo);
            g_array_append_val (out, v);
            lo = w;
          }
      else
        for (;;)
          {
            const char *w;
            LsValue v;
            while (hi > lo)
              {
                const char *prev = g_utf8_find_prev_char (lo, hi);
                if (!prev)
                  prev = lo;
                if (!is_space_at (prev))
                  break;
                hi = prev;
              }
            if (hi <= lo)
              break;
            if ((gint64) out->len == maxsplit)
              {
                v = ls_str_new_len (lo, hi - lo);
                g_array_append_val (out, v);
                break;
              }
            w = hi;
            while (w > lo)
              {
                const char *prev = g_utf8_find_prev_char (lo, w);
                if (!prev)
                  prev = lo;
                if (is_space_at (prev))
                  break;
                w = prev;
              }
            v = ls_str_new_len (w, hi - w);
            g_array_append_val (out, v);
            hi = w;
          }
    }
  else if (!right)
    {
      gsize pos = 0;
      gint64 splits = 0;
      for (;;)
        {
          gssize at = splits < maxsplit ? find_bytes (s->data, pos, s->len, sep->data, sep->len) : -1;
          LsValue v = ls_str_new_len (s->data + pos, (at < 0 ? (gssize) s->len : at) - pos);
          g_array_append_val (out, v);
          if (at < 0)
            break;
          pos = at + sep->len;
          splits++;
        }
    }
  else
    {
      gsize end = s->len;
      gint64 splits = 0;
      for (;;)
        {
          gssize at = splits < maxsplit ? rfind_bytes (s->data, 0, end, sep->data, sep->len) : -1;
          gsize start = at < 0 ? 0 : at + sep->len;
          LsValue v = ls_str_new_len (s->data + start, end - start);
          g_array_append_val (out, v);
          if (at < 0)
            break;
          end = at;
          splits++;
        }
    }
  if (right)
    {
      LsValue *v = (LsValue *) out->data;
      for (guint i = 0; i < out->len / 2; i++)
        {
          LsValue t = v[i];
          v[i] = v[out->len - 1 - i];
          v[out->len - 1 - i] = t;
        }
    }
  *result = ls_list_new_from (out->len, (LsValue *) out->data);
  g_array_free (out, TRUE);
  return TRUE;
}

static gboolean
str_splitlines_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                       LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  static const char *const allowed[] = { "keepends", NULL };
  const LsStr *s = SELF_STR (self);
  const LsValue *kw = _ls_kw_lookup (kwnames, kwvalues, "keepends");
  gboolean keep = FALSE;
  LsValue list;
  gsize i = 0, start = 0;

  if (nargs > 1)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "splitlines() takes at most 1 argument (%u given)", nargs);
      return FALSE;
    }
  if (!_ls_check_kwargs ("splitlines", kwnames, allowed, result))
    return FALSE;
  if (nargs == 1 && !ls_op_truthy (args[0], &keep, result))
    return FALSE;
  if (kw && !ls_op_truthy (*kw, &keep, result))
    return FALSE;
  list = ls_list_new ();
  while (i < s->len)
    {
      unsigned char c = s->data[i];
      gsize eol = i, next;
      if (c == '\r' && i + 1 < s->len && s->data[i + 1] == '\n')
        next = i + 2;
      else if (c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e))
        next = i + 1;
      else if (c == 0xc2 && i + 1 < s->len && (unsigned char) s->data[i + 1] == 0x85)
        next = i + 2;
      else if (c == 0xe2 && i + 2 < s->len && (unsigned char) s->data[i + 1] == 0x80
               && ((unsigned char) s->data[i + 2] == 0xa8 || (unsigned char) s->data[i + 2] == 0xa9))
        next = i + 3;
      else
        {
          i++;
          continue;
        }
      ls_list_append (list, ls_str_new_len (s->data + start, (keep ? next : eol) - start));
      i = start = next;
    }
  if (start < s->len)
    ls_list_append (list, ls_str_new_len (s->data + start, s->len - start));
  *result = list;
  return TRUE;
}

static gboolean
str_join_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  LsValue items;
  const LsValue *p;
  guint n;
  gboolean ok;

  if (!_ls_check_nargs ("str.join", nargs, 1, 1, result))
    return FALSE;
  if (!_ls_list_from_iterable (args[0], &items))
    {
      if (ls_exc_matches (items, &ls_exc_TypeError))
        {
          ls_value_unref (items);
          items = ls_exc_newf (&ls_exc_TypeError, "can only join an iterable");
        }
      *result = items;
      return FALSE;
    }
  p = _ls_seq_items (items, &n);
  ok = ls_str_join (SELF_STR (self)->data, n, p, result);
  ls_value_unref (items);
  return ok;
}

static gboolean
str_replace_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  const LsStr *s = SELF_STR (self), *old, *new;
  gint64 count = -1;
  GString *g;
  gsize pos = 0;

  if (nargs < 2 || nargs > 3)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, nargs < 2 ? "replace expected at least 2 arguments, got %u"
                             : "replace expected at most 3 arguments, got %u", nargs);
      return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    if (!is_str (args[i]))
      {
        *result = ls_exc_newf (&ls_exc_TypeError, "replace() argument %u must be str, not %s",
                               i + 1, ls_value_class (args[i])->name);
        return FALSE;
      }
  if (nargs == 3 && !_ls_index_value (args[2], &count, result))
    {
      if (ls_is_none (*result))
        *result = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                               ls_value_class (args[2])->name);
      return FALSE;
    }
  old = as_str (args[0]);
  new = as_str (args[1]);
  if (count < 0)
    count = G_MAXINT64;
  g = g_string_sized_new (s->len);
  if (old->len == 0)
    {
      /* Between every two characters, and at both ends. */
      const char *p = s->data;
      for (; count > 0; count--)
        {
          g_string_append_len (g, new->data, new->len);
          if (p >= s->data + s->len)
            break;
          g_string_append_len (g, p, g_utf8_next_char (p) - p);
          p = g_utf8_next_char (p);
        }
      g_string_append_len (g, p, s->data + s->len - p);
      *result = str_from_gstring (g);
      return TRUE;
    }
  for (; count > 0; count--)
    {
      gssize at = find_bytes (s->data, pos, s->len, old->data, old->len);
      if (at < 0)
        break;
      g_string_append_len (g, s->data + pos, at - pos);
      g_string_append_len (g, new->data, new->len);
      pos = at + old->len;
    }
  g_string_append_len (g, s->data + pos, s->len - pos);
  *result = str_from_gstring (g);
  return TRUE;
}

/* ---- padding ---------------------------------------------------------------------- */

enum { CENTER, LJUST, RJUST };

static gboolean
str_pad_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  static const char *const names[] = { "center", "ljust", "rjust" };
  int kind = GPOINTER_TO_INT (data);
  const LsStr *s = SELF_STR (self);
  gint64 width, len = _ls_str_char_len (self), left = 0, marg;
  const char *fill = " ";
  gsize filllen = 1;
  GString *g;

  if (nargs < 1 || nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, nargs < 1 ? "%s expected at least 1 argument, got %u"
                             : "%s expected at most 2 arguments, got %u", names[kind], nargs);
      return FALSE;
    }
  if (!_ls_index_value (args[0], &width, result))
    {
      if (ls_is_none (*result))
        *result = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                               ls_value_class (args[0])->name);
      return FALSE;
    }
  if (nargs == 2)
    {
      if (!is_str (args[1]) || _ls_str_char_len (args[1]) != 1)
        {
          if (is_str (args[1]))
            *result = ls_exc_newf (&ls_exc_TypeError, "The fill character must be exactly one character long");
          else
            *result = ls_exc_newf (&ls_exc_TypeError, "%s() argument 2 must be a unicode character, not %s",
                                   names[kind], ls_value_class (args[1])->name);
          return FALSE;
        }
      fill = as_str (args[1])->data;
      filllen = as_str (args[1])->len;
    }
  if (width <= len)
    {
      *result = ls_value_ref (self);
      return TRUE;
    }
  marg = width - len;
  switch (kind)
    {
    case CENTER: left = marg / 2 + (marg & width & 1); break;
    case LJUST: left = 0; break;
    default: left = marg; break;
    }
  g = g_string_new (NULL);
  for (gint64 i = 0; i < left; i++)
    g_string_append_len (g, fill, filllen);
  g_string_append_len (g, s->data, s->len);
  for (gint64 i = left; i < marg; i++)
    g_string_append_len (g, fill, filllen);
  *result = str_from_gstring (g);
  return TRUE;
}

static gboolean
str_zfill_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  const LsStr *s = SELF_STR (self);
  gint64 width, len = _ls_str_char_len (self);
  GString *g;
  gsize sign = 0;

  if (!_ls_check_nargs ("str.zfill", nargs, 1, 1, result))
    return FALSE;
  if (!_ls_index_value (args[0], &width, result))
    {
      if (ls_is_none (*result))
        *result = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                               ls_value_class (args[0])->name);
      return FALSE;
    }
  if (width <= len)
    {
      *result = ls_value_ref (self);
      return TRUE;
    }
  g = g_string_new (NULL);
  if (s->len > 0 && (s->data[0] == '+' || s->data[0] == '-'))
    {
      g_string_append_c (g, s->data[0]);
      sign = 1;
    }
  for (gint64 i = len; i < width; i++)
    g_string_append_c (g, '0');
  g_string_append_len (g, s->data + sign, s->len - sign);
  *result = str_from_gstring (g);
  return TRUE;
}

static gboolean
str_partition_method (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  gboolean right = GPOINTER_TO_INT (data);
  const LsStr *s = SELF_STR (self), *sep;
  gssize at;
  LsValue parts[3];

  if (!_ls_check_nargs (right ? "str.rpartition" : "str.partition", nargs, 1, 1, result))
    return FALSE;
  if (!is_str (args[0]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "must be str, not %s", ls_value_class (args[0])->name);
      return FALSE;
    }
  sep = as_str (args[0]);
  if (sep->len == 0)
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "empty separator");
      return FALSE;
    }
  at = right ? rfind_bytes (s->data, 0, s->len, sep->data, sep->len)
             : find_bytes (s->data, 0, s->len, sep->data, sep->len);
  if (at < 0)
    {
      parts[0] = right ? ls_str_new ("") : ls_value_ref (self);
      parts[1] = ls_str_new ("");
      parts[2] = right ? ls_value_ref (self) : ls_str_new ("");
    }
  else
    {
      parts[0] = ls_str_new_len (s->data, at);
      parts[1] = ls_value_ref (args[0]);
      parts[2] = ls_str_new_len (s->data + at + sep->len, s->len - at - sep->len);
    }
  *result = ls_tuple_new (3, parts);
  return TRUE;
}

static gboolean
str_format_method (LsValue self, gpointer data, const LsValue *args, guint nargs,
                   LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  return _ls_str_format (SELF_STR (self)->data, args, nargs, kwnames, kwvalues, result);
}

/* ---- str.format ------------------------------------------------------------------- */

typedef struct {
  const LsValue *args;
  guint nargs;
  LsValue kwnames;
  const LsValue *kwvalues;
  int auto_index;           /* next automatic field number, or -1 once manual */
  gboolean manual;
} FormatState;

static gboolean format_template (FormatState *st, const char *fmt, gsize len, int depth,
                                 GString *out, LsValue *error);

/* The object a field name ("0", "name", "0[1].x", "") refers to. */
static gboolean
format_field_value (FormatState *st, const char *name, gsize len, LsValue *out)
{
  gsize i = 0;
  LsValue cur;

  while (i < len && name[i] != '.' && name[i] != '[')
    i++;
  if (i == 0)
    {
      if (st->manual)
        {
          *out = ls_exc_newf (&ls_exc_ValueError,
                              "cannot switch from manual field specification to automatic field numbering");
          return FALSE;
        }
      st->auto_index++;
      if ((guint) st->auto_index - 1 >= st->nargs)
        {
          *out = ls_exc_newf (&ls_exc_IndexError, "Replacement index %d out of range for positional args tuple",
                              st->auto_index - 1);
          return FALSE;
        }
      cur = ls_value_ref (st->args[st->auto_index - 1]);
    }
  else
    {
      gboolean digits = TRUE;
      for (gsize k = 0; k < i; k++)
        digits = digits && g_ascii_isdigit (name[k]);
      if (digits)
        {
          guint64 index = g_ascii_strtoull (name, NULL, 10);
          if (st->auto_index > 0)
            {
              *out = ls_exc_newf (&ls_exc_ValueError,
                                  "cannot switch from automatic field numbering to manual field specification");
              return FALSE;
            }
          st->manual = TRUE;
          if (index >= st->nargs)
            {
              *out = ls_exc_newf (&ls_exc_IndexError,
                                  "Replacement index %" G_GUINT64_FORMAT " out of range for positional args tuple",
                                  index);
              return FALSE;
            }
          cur = ls_value_ref (st->args[index]);
        }
      else
        {
          char *key = g_strndup (name, i);
          const LsValue *v = _ls_kw_lookup (st->kwnames, st->kwvalues, key);
          if (!v)
            {
              LsValue k = ls_str_take (key);
              *out = ls_exc_new (&ls_exc_KeyError, 1, &k);
              return FALSE;
            }
          g_free (key);
          cur = ls_value_ref (*v);
        }
    }
  /* .attr and [key] parts. */
  while (i < len)
    {
      gsize j;
      LsValue next;
      gboolean ok;
      if (name[i] == '.')
        {
          char *attr;
          for (j = ++i; j < len && name[j] != '.' && name[j] != '['; j++)
            ;
          if (j == i)
            {
              ls_value_unref (cur);
              *out = ls_exc_newf (&ls_exc_ValueError, "Empty attribute in format string");
              return FALSE;
            }
          attr = g_strndup (name + i, j - i);
          ok = ls_op_getattr (cur, attr, &next);
          g_free (attr);
        }
      else
        {
          LsValue key;
          gboolean digits = TRUE;
          for (j = ++i; j < len && name[j] != ']'; j++)
            digits = digits && g_ascii_isdigit (name[j]);
          if (j >= len)
            {
              ls_value_unref (cur);
              *out = ls_exc_newf (&ls_exc_ValueError, "expected '}' before end of string");
              return FALSE;
            }
          if (j == i)
            {
              ls_value_unref (cur);
              *out = ls_exc_newf (&ls_exc_ValueError, "Empty attribute in format string");
              return FALSE;
            }
          key = digits ? ls_int (g_ascii_strtoll (name + i, NULL, 10)) : ls_str_new_len (name + i, j - i);
          ok = ls_op_getitem (cur, key, &next);
          ls_value_unref (key);
          j++;
          if (j < len && name[j] != '.' && name[j] != '[')
            {
              if (ok)
                ls_value_unref (next);
              ls_value_unref (cur);
              *out = ls_exc_newf (&ls_exc_ValueError, "Only '.' or '[' may follow ']' in format field specifier");
              return FALSE;
            }
        }
      ls_value_unref (cur);
      if (!ok)
        {
          *out = next;
          return FALSE;
        }
      cur = next;
      i = j;
    }
  *out = cur;
  return TRUE;
}

static gboolean
format_field (FormatState *st, const char *field, gsize len, int depth, GString *out, LsValue *error)
{
  gsize name_end = 0, spec_at = len;
  char conv = 0;
  int brackets = 0;
  LsValue value, shown;
  GString *spec;
  gboolean ok;

  /* The name runs to '!' or ':' outside brackets. */
  while (name_end < len)
    {
      char c = field[name_end];
      if (c == '[')
        brackets++;
      else if (c == ']')
        brackets--;
      else if (brackets == 0 && (c == '!' || c == ':'))
        break;
      name_end++;
    }
  if (name_end < len && field[name_end] == '!')
    {
      if (name_end + 1 >= len)
        {
          *error = ls_exc_newf (&ls_exc_ValueError, "end of string while looking for conversion specifier");
          return FALSE;
        }
      conv = field[name_end + 1];
      spec_at = name_end + 2;
      if (spec_at < len && field[spec_at] != ':')
        {
          *error = ls_exc_newf (&ls_exc_ValueError, "expected ':' after conversion specifier");
          return FALSE;
        }
    }
  else
    spec_at = name_end;
  if (spec_at < len)
    spec_at++;       /* past ':' */
  if (conv && conv != 'r' && conv != 's' && conv != 'a')
    {
      *error = ls_exc_newf (&ls_exc_ValueError, "Unknown conversion specifier %c", conv);
      return FALSE;
    }
  if (!format_field_value (st, field, name_end, &value))
    {
      *error = value;
      return FALSE;
    }
  /* The spec may hold nested fields: "{:{width}}". */
  spec = g_string_new (NULL);
  if (spec_at < len && !format_template (st, field + spec_at, len - spec_at, depth + 1, spec, error))
    {
      g_string_free (spec, TRUE);
      ls_value_unref (value);
      return FALSE;
    }
  if (conv == 'r' || conv == 'a')
    shown = ls_str_take (ls_value_repr (value));
  else if (conv == 's')
    shown = ls_str_take (ls_value_str (value));
  else
    shown = ls_value_ref (value);
  ls_value_unref (value);
  if (spec->len == 0)
    {
      char *text = ls_value_str (shown);
      g_string_append (out, text);
      g_free (text);
      ok = TRUE;
    }
  else
    {
      LsValue formatted;
      ok = ls_format (shown, spec->str, &formatted);
      if (ok)
        {
          g_string_append_len (out, as_str (formatted)->data, as_str (formatted)->len);
          ls_value_unref (formatted);
        }
      else
        *error = formatted;
    }
  ls_value_unref (shown);
  g_string_free (spec, TRUE);
  return ok;
}

static gboolean
format_template (FormatState *st, const char *fmt, gsize len, int depth, GString *out, LsValue *error)
{
  gsize i = 0;

  if (depth > 2)
    {
      *error = ls_exc_newf (&ls_exc_ValueError, "Max string recursion exceeded");
      return FALSE;
    }
  while (i < len)
    {
      char c = fmt[i];
      if (c == '{')
        {
          int level = 1;
          gsize j;
          if (i + 1 < len && fmt[i + 1] == '{')
            {
              g_string_append_c (out, '{');
              i += 2;
              continue;
            }
          for (j = i + 1; j < len && level > 0; j++)
            {
              if (fmt[j] == '{')
                level++;
              else if (fmt[j] == '}')
                level--;
            }
          if (level > 0)
            {
              *error = ls_exc_newf (&ls_exc_ValueError, i + 1 >= len ? "Single '{' encountered in format string"
                                    : "expected '}' before end of string");
              return FALSE;
            }
          if (!format_field (st, fmt + i + 1, j - i - 2, depth, out, error))
            return FALSE;
          i = j;
        }
      else if (c == '}')
        {
          if (i + 1 < len && fmt[i + 1] == '}')
            {
              g_string_append_c (out, '}');
              i += 2;
              continue;
            }
          *error = ls_exc_newf (&ls_exc_ValueError, "Single '}' encountered in format string");
          return FALSE;
        }
      else
        {
          g_string_append_c (out, c);
          i++;
        }
    }
  return TRUE;
}

gboolean
_ls_str_format (const char *fmt, const LsValue *args, guint nargs, LsValue kwnames,
                const LsValue *kwvalues, LsValue *out)
{
  FormatState st = { args, nargs, kwnames, kwvalues, 0, FALSE };
  GString *g = g_string_new (NULL);

  if (!format_template (&st, fmt, strlen (fmt), 0, g, out))
    {
      g_string_free (g, TRUE);
      return FALSE;
    }
  *out = str_from_gstring (g);
  return TRUE;
}

/* ---- the method table -------------------------------------------------------------------- */

static gboolean
str_getattr (LsObject *self, const char *name, LsValue *out)
{
  static const struct { const char *attr, *name; LsBuiltinFn fn; LsBuiltinKwFn kwfn; int data; } methods[] = {
    { "join", "str.join", str_join_method, NULL, 0 },
    { "split", "str.split", NULL, str_split_method, 0 },
    { "rsplit", "str.rsplit", NULL, str_split_method, 1 },
    { "splitlines", "str.splitlines", NULL, str_splitlines_method, 0 },
    { "strip", "str.strip", str_strip_method, NULL, STRIP_BOTH },
    { "lstrip", "str.lstrip", str_strip_method, NULL, STRIP_LEFT },
    { "rstrip", "str.rstrip", str_strip_method, NULL, STRIP_RIGHT },
    { "upper", "str.upper", str_case_method, NULL, UPPER },
    { "lower", "str.lower", str_case_method, NULL, LOWER },
    { "title", "str.title", str_case_method, NULL, TITLE },
    { "capitalize", "str.capitalize", str_case_method, NULL, CAPITALIZE },
    { "swapcase", "str.swapcase", str_case_method, NULL, SWAPCASE },
    { "casefold", "str.casefold", str_case_method, NULL, LOWER },
    { "replace", "str.replace", str_replace_method, NULL, 0 },
    { "startswith", "str.startswith", str_affix_method, NULL, 0 },
    { "endswith", "str.endswith", str_affix_method, NULL, 1 },
    { "find", "str.find", str_find_method, NULL, FIND },
    { "rfind", "str.rfind", str_find_method, NULL, RFIND },
    { "index", "str.index", str_find_method, NULL, INDEX },
    { "rindex", "str.rindex", str_find_method, NULL, RINDEX },
    { "count", "str.count", str_find_method, NULL, COUNT },
    { "format", "str.format", NULL, str_format_method, 0 },
    { "center", "str.center", str_pad_method, NULL, CENTER },
    { "ljust", "str.ljust", str_pad_method, NULL, LJUST },
    { "rjust", "str.rjust", str_pad_method, NULL, RJUST },
    { "zfill", "str.zfill", str_zfill_method, NULL, 0 },
    { "partition", "str.partition", str_partition_method, NULL, 0 },
    { "rpartition", "str.rpartition", str_partition_method, NULL, 1 },
    { "isdigit", "str.isdigit", str_is_method, NULL, IS_DIGIT },
    { "isdecimal", "str.isdecimal", str_is_method, NULL, IS_DECIMAL },
    { "isnumeric", "str.isnumeric", str_is_method, NULL, IS_NUMERIC },
    { "isalpha", "str.isalpha", str_is_method, NULL, IS_ALPHA },
    { "isalnum", "str.isalnum", str_is_method, NULL, IS_ALNUM },
    { "isspace", "str.isspace", str_is_method, NULL, IS_SPACE },
    { "isupper", "str.isupper", str_is_method, NULL, IS_UPPER },
    { "islower", "str.islower", str_is_method, NULL, IS_LOWER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (strcmp (name, methods[i].attr) == 0)
      {
        LsValue me = ls_value_ref (ls_object (self));
        gpointer data = GINT_TO_POINTER (methods[i].data);
        *out = methods[i].kwfn ? ls_builtin_new_kw (methods[i].name, methods[i].kwfn, me, data, NULL)
                               : ls_builtin_new (methods[i].name, methods[i].fn, me, data, NULL);
        return TRUE;
      }
  *out = ls_exc_newf (&ls_exc_AttributeError, "'str' object has no attribute '%s'", name);
  return FALSE;
}

const LsTypeSlots _ls_str_ops = {
  .getattr = str_getattr,
  .getitem = str_getitem,
  .len = str_len,
  .contains = str_contains,
  .iter = str_iter,
  .binary = str_binary,
  .hash = str_hash,
};
