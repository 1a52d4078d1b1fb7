/* ls-format.c - format(value, spec) and str % args, as CPython 3.12 does them.
 *
 * The format-spec mini-language follows Python/formatter_unicode.c: the
 * spec is parsed once (parse_internal_render_format_spec) and each type
 * lays out its digits, sign, prefix and padding the way that file does,
 * down to grouping separators inside '0' padding.  Floats are converted
 * with the C library's correctly rounded printf, which gives the digits
 * CPython's dtoa gives; the layout around them (when to switch to an
 * exponent, ".0" for the empty type) is CPython's format_float_short.
 * printf-style formatting follows PyUnicode_Format in unicodeobject.c.
 */
#include "ls-num-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the spec ------------------------------------------------------------ */

typedef struct {
  char fill[8];             /* UTF-8 of one character */
  char align;               /* '<', '>', '=', '^', or 0 for the type's default */
  char sign;                /* '+', '-', ' ', or 0 */
  gboolean no_neg_0;        /* 'z' */
  gboolean alternate;       /* '#' */
  gint64 width;             /* -1 when absent */
  char grouping;            /* ',', '_', or 0 */
  gint64 precision;         /* -1 when absent */
  char type;                /* 0 when absent */
} Spec;

static gboolean
is_align (char c)
{
  return c == '<' || c == '>' || c == '=' || c == '^';
}

/* get_integer: digits into *out; how many there were, or -1 when too many. */
static int
get_integer (const char **p, gint64 *out)
{
  int n = 0;

  *out = 0;
  while (g_ascii_isdigit (**p))
    {
      if (*out > (G_MAXINT64 - 9) / 10 || *out * 10 + (**p - '0') > G_MAXSSIZE / 2)
        return -1;
      *out = *out * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  return n;
}

static gboolean
value_error (LsValue *error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
value_error (LsValue *error, const char *fmt, ...)
{
  va_list ap;
  LsValue msg;

  va_start (ap, fmt);
  msg = ls_str_take (g_strdup_vprintf (fmt, ap));
  va_end (ap);
  *error = ls_exc_new (&ls_exc_ValueError, 1, &msg);
  return FALSE;
}

static gboolean
invalid_thousands_separator (char sep, char type, LsValue *error)
{
  if (type > 32 && type < 127)
    return value_error (error, "Cannot specify '%c' with '%c'.", sep, type);
  return value_error (error, "Cannot specify '%c' with '\\x%x'.", sep, (unsigned) (unsigned char) type);
}

/* parse_internal_render_format_spec.  default_align is '<' for str and
 * '>' for numbers, which decides what a leading '0' means; default_type
 * is 's' for str, 'd' for int, none for float. */
static gboolean
parse_spec (const char *spec, const char *type_name, char default_align, char default_type,
            Spec *s, LsValue *error)
{
  const char *p = spec, *next;
  gboolean fill_given = FALSE, align_given = FALSE;
  int n;

  memset (s, 0, sizeof *s);
  strcpy (s->fill, " ");
  s->align = default_align;
  s->width = -1;
  s->precision = -1;

  /* [[fill]align]: the fill is any one character. */
  next = *p ? g_utf8_next_char (p) : p;
  if (*p && is_align (*next))
    {
      memcpy (s->fill, p, next - p);
      s->fill[next - p] = '\0';
      s->align = *next;
      fill_given = align_given = TRUE;
      p = next + 1;
    }
  else if (is_align (*p))
    {
      s->align = *p++;
      align_given = TRUE;
    }
  if (*p == '+' || *p == '-' || *p == ' ')
    s->sign = *p++;
  if (*p == 'z')
    {
      s->no_neg_0 = TRUE;
      p++;
    }
  if (*p == '#')
    {
      s->alternate = TRUE;
      p++;
    }
  /* The special case for 0-padding (backwards compat). */
  if (!fill_given && *p == '0')
    {
      strcpy (s->fill, "0");
      if (!align_given && default_align == '>')
        s->align = '=';
      p++;
    }
  n = get_integer (&p, &s->width);
  if (n < 0)
    return value_error (error, "Too many decimal digits in format string");
  if (n == 0)
    s->width = -1;
  if (*p == ',')
    {
      s->grouping = ',';
      p++;
    }
  if (*p == '_')
    {
      if (s->grouping)
        return value_error (error, "Cannot specify both ',' and '_'.");
      s->grouping = '_';
      p++;
    }
  if (*p == ',')
    return value_error (error, "Cannot specify both ',' and '_'.");
  if (*p == '.')
    {
      p++;
      n = get_integer (&p, &s->precision);
      if (n < 0)
        return value_error (error, "Too many decimal digits in format string");
      if (n == 0)
        return value_error (error, "Format specifier missing precision");
    }
  if (*p && p[1])
    return value_error (error, "Invalid format specifier '%s' for object of type '%s'", spec, type_name);
  s->type = *p ? *p : default_type;
  if (s->grouping)
    switch (s->type)
      {
      case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case '\0':
        break;
      case 'b': case 'o': case 'x': case 'X':
        if (s->grouping == '_')
          break;
        return invalid_thousands_separator (s->grouping, s->type, error);
      default:
        return invalid_thousands_separator (s->grouping, s->type, error);
      }
  return TRUE;
}

/* ---- layout ------------------------------------------------------------------ */

static void
append_fill (GString *out, const char *fill, gint64 n)
{
  for (gint64 i = 0; i < n; i++)
    g_string_append (out, fill);
}

/* Characters in n bytes of UTF-8. */
static gint64
char_count (const char *text, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if ((unsigned char) text[i] >= 0x80)
      return g_utf8_strlen (text, n);
  return (gint64) n;
}

/* Pads lead (sign and prefix) + body to the spec's width: '=' puts the
 * padding between them.  The body comes in two pieces (digits and the
 * rest of a number), written straight into the new str. */
static LsValue
pad_parts (const Spec *s, const char *lead, const char *body, gsize body_len,
           const char *rest, gsize rest_len)
{
  gsize lead_len = strlen (lead), fill_len = strlen (s->fill);
  gint64 len = char_count (lead, lead_len) + char_count (body, body_len) + char_count (rest, rest_len);
  gint64 padding = s->width > len ? s->width - len : 0;
  gint64 before = 0, middle = 0, after = 0;
  char align = s->align ? s->align : '<';
  gsize total;
  LsValue v;
  char small[256], *buf, *p;

  if (align == '>')
    before = padding;
  else if (align == '^')
    {
      before = padding / 2;
      after = padding - padding / 2;
    }
  else if (align == '=')
    middle = padding;
  else
    after = padding;
  total = (gsize) padding * fill_len + lead_len + body_len + rest_len;
  buf = total <= sizeof small ? small : g_malloc (total);
  p = buf;
  for (gint64 i = 0; i < before; i++, p += fill_len)
    memcpy (p, s->fill, fill_len);
  memcpy (p, lead, lead_len);
  p += lead_len;
  for (gint64 i = 0; i < middle; i++, p += fill_len)
    memcpy (p, s->fill, fill_len);
  memcpy (p, body, body_len);
  p += body_len;
  memcpy (p, rest, rest_len);
  p += rest_len;
  for (gint64 i = 0; i < after; i++, p += fill_len)
    memcpy (p, s->fill, fill_len);
  v = ls_str_new_len (buf, total);
  if (buf != small)
    g_free (buf);
  return v;
}

static LsValue
pad (const Spec *s, const char *lead, const char *body, gsize body_len)
{
  return pad_parts (s, lead, body, body_len, "", 0);
}

/* Inserts sep every `interval` digits from the right; when min_width is
 * positive, first pads with zeros up to that width the way CPython's
 * _PyUnicode_InsertThousandsGrouping does for a '0' fill: never starting
 * with a separator. */
static GString *
group_digits (const char *digits, gsize n, char sep, int interval, gint64 min_width)
{
  GString *out = g_string_new (NULL);
  int in_group = 0;

  for (gsize i = n; i > 0; i--)
    {
      if (sep && in_group == interval)
        {
          g_string_append_c (out, sep);
          in_group = 0;
        }
      g_string_append_c (out, digits[i - 1]);
      in_group++;
    }
  while ((gint64) out->len < min_width)
    {
      if (sep && in_group == interval)
        {
          g_string_append_c (out, sep);
          in_group = 0;
        }
      g_string_append_c (out, '0');
      in_group++;
    }
  g_strreverse (out->str);
  return out;
}

/* A number laid out: sign and prefix, the integer digits (grouped), and
 * the rest (fraction, exponent, '%') as it is. */
static LsValue
layout_number (const Spec *s, gboolean negative, const char *prefix, const char *number,
               gboolean all_digits, int interval)
{
  const char *sign = negative ? "-" : s->sign == '+' ? "+" : s->sign == ' ' ? " " : "";
  char lead[8];
  gsize ndigits = all_digits ? strlen (number) : strspn (number, "0123456789");
  const char *rest = number + ndigits;
  gboolean zero_fill = strcmp (s->fill, "0") == 0 && s->align == '=';
  GString *body;
  LsValue v;

  /* a sign and a two-letter prefix at most */
  g_strlcpy (lead, sign, sizeof lead);
  g_strlcat (lead, prefix, sizeof lead);

  /* inf and nan take '0' padding as their digits would. */
  if (ndigits == 0 && g_ascii_isalpha (*number))
    ndigits = strlen (number), rest = number + ndigits;
  if (s->grouping || zero_fill)
    {
      gint64 min_width = 0;
      if (zero_fill && s->width > 0)
        min_width = s->width - (gint64) strlen (lead) - (gint64) strlen (rest);
      body = group_digits (number, ndigits, s->grouping, interval, min_width);
      v = pad_parts (s, lead, body->str, body->len, rest, strlen (rest));
      g_string_free (body, TRUE);
      return v;
    }
  return pad_parts (s, lead, number, ndigits, rest, strlen (rest));
}

static gboolean
unknown_code (char type, const char *type_name, LsValue *out)
{
  if (type > 32 && type < 127)
    return value_error (out, "Unknown format code '%c' for object of type '%s'", type, type_name);
  return value_error (out, "Unknown format code '\\x%x' for object of type '%s'",
                      (unsigned) (unsigned char) type, type_name);
}

/* ---- floats ------------------------------------------------------------------- */

/* format_float_short for 'g' (and the empty type with a precision,
 * add_dot_0): precision significant digits, an exponent when the decimal
 * point is far away, trailing zeros dropped unless alternate. */
static char *
format_g (double x, int precision, gboolean alternate, gboolean add_dot_0, gboolean upper)
{
  char *sci, *digits;
  int ndigits = 0, exp10, decpt;
  const char *p;
  GString *out = g_string_new (NULL);

  if (precision == 0)
    precision = 1;
  /* printf's %e rounds correctly to the digits wanted; the layout is
   * CPython's. */
  sci = g_strdup_printf ("%.*e", precision - 1, x);
  digits = g_malloc (strlen (sci) + 1);
  for (p = sci; *p && *p != 'e'; p++)
    if (g_ascii_isdigit (*p))
      digits[ndigits++] = *p;
  exp10 = atoi (p + 1);
  decpt = exp10 + 1;
  if (!alternate)
    while (ndigits > 1 && digits[ndigits - 1] == '0')
      ndigits--;
  digits[ndigits] = '\0';

  if (decpt <= -4 || decpt > (add_dot_0 ? precision - 1 : precision))
    {
      g_string_append_c (out, digits[0]);
      if (ndigits > 1 || alternate)
        g_string_append_c (out, '.');
      g_string_append (out, digits + 1);
      g_string_append_printf (out, "%c%c%02d", upper ? 'E' : 'e', exp10 < 0 ? '-' : '+', ABS (exp10));
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
      if (alternate)
        g_string_append_c (out, '.');
      else if (add_dot_0)
        g_string_append (out, ".0");
    }
  else
    {
      g_string_append_len (out, digits, decpt);
      g_string_append_c (out, '.');
      g_string_append (out, digits + decpt);
    }
  g_free (digits);
  g_free (sci);
  return g_string_free (out, FALSE);
}

/* The digits of |x| for a float presentation type: 'r' (repr), 'e', 'f',
 * 'g' (upper case variants too); add_dot_0 as format_g's. */
static char *
float_magnitude (double x, char type, int precision, gboolean alternate, gboolean add_dot_0)
{
  gboolean upper = type == 'E' || type == 'F' || type == 'G';
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *r;

  x = fabs (x);
  if (isnan (x))
    return g_strdup (upper ? "NAN" : "nan");
  if (isinf (x))
    return g_strdup (upper ? "INF" : "inf");
  switch (type)
    {
    case 'r':
      ls_float_repr (x, buf);
      return g_strdup (buf);
    case 'g':
    case 'G':
      return format_g (x, precision, alternate, add_dot_0, upper);
    default:
      {
        /* "%.*f", "%#.*e", …: most numbers fit the buffer */
        char fmt[8], small[64];
        int n, k = 0;
        fmt[k++] = '%';
        if (alternate)
          fmt[k++] = '#';
        fmt[k++] = '.';
        fmt[k++] = '*';
        fmt[k++] = type;
        fmt[k] = '\0';
        n = snprintf (small, sizeof small, fmt, precision, x);
        if (n >= 0 && (gsize) n < sizeof small)
          return g_strndup (small, n);
        r = g_strdup_printf (fmt, precision, x);
        return r;
      }
    }
}

/* Whether a formatted magnitude reads as zero (for 'z'). */
static gboolean
reads_as_zero (const char *m)
{
  for (; *m && *m != 'e' && *m != 'E'; m++)
    if (*m >= '1' && *m <= '9')
      return FALSE;
  return TRUE;
}

/* format_float_internal */
static gboolean
format_float (double val, const Spec *s, const char *type_name, LsValue *out)
{
  char type = s->type;
  gint64 precision = s->precision;
  int default_precision = 6;
  gboolean add_dot_0 = FALSE, percent = FALSE, negative;
  char *m;
  Spec spec = *s;

  switch (type)
    {
    case '\0': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
      break;
    default:
      return unknown_code (type, type_name, out);
    }
  if (type == '\0')
    {
      /* Omitted type specifier: repr(x) without a precision, else like
       * 'g' but with at least one digit after the decimal point. */
      add_dot_0 = TRUE;
      type = 'r';
      default_precision = 0;
    }
  if (type == 'n')
    type = 'g';               /* the C locale has no grouping */
  if (type == '%')
    {
      type = 'f';
      val *= 100;
      percent = TRUE;
    }
  if (precision < 0)
    precision = default_precision;
  else if (type == 'r')
    type = 'g';
  if (precision > G_MAXINT32 / 2)
    return value_error (out, "Too many decimal digits in format string");
  m = float_magnitude (val, type, (int) precision, s->alternate, add_dot_0);
  negative = signbit (val) && !isnan (val);
  if (negative && s->no_neg_0 && reads_as_zero (m))
    negative = FALSE;
  if (percent)
    {
      char *t = g_strconcat (m, "%", NULL);
      g_free (m);
      m = t;
    }
  if (!spec.align)
    spec.align = '>';
  *out = layout_number (&spec, negative, "", m, FALSE, 3);
  g_free (m);
  return TRUE;
}

/* ---- ints ------------------------------------------------------------------------ */

/* The decimal digits of a small int's magnitude in buf (24 bytes): where
 * they start.  Ints outside 48 bits go through GMP (_ls_int_digits). */
static char *
small_int_digits (LsValue v, char buf[24], gboolean *negative)
{
  gint64 i = ls_value_as_int (v);
  guint64 u = i < 0 ? 0 - (guint64) i : (guint64) i;
  char *p = buf + 23;

  *negative = i < 0;
  *p = '\0';
  do
    *--p = (char) ('0' + u % 10);
  while ((u /= 10) != 0);
  return p;
}

/* The UTF-8 of code point c, or OverflowError as %c raises it. */
static gboolean
char_of (LsValue v, GString *out, LsValue *error)
{
  gint64 c;
  char buf[8];

  if (!ls_int_fits_int64 (v, &c) || c < 0 || c > 0x10ffff)
    {
      *error = ls_exc_newf (&ls_exc_OverflowError, "%%c arg not in range(0x110000)");
      return FALSE;
    }
  g_string_append_len (out, buf, g_unichar_to_utf8 ((gunichar) c, buf));
  return TRUE;
}

/* format_long_internal */
static gboolean
format_int (LsValue v, const Spec *s, const char *type_name, LsValue *out)
{
  char type = s->type ? s->type : 'd';
  const char *prefix = "";
  gboolean negative;
  char *digits;
  int base;
  double d;
  Spec spec = *s;

  switch (type)
    {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
      if (!_ls_int_to_double (v, &d, out))
        return FALSE;
      return format_float (d, s, type_name, out);
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
      break;
    default:
      return unknown_code (type, type_name, out);
    }
  if (s->precision >= 0)
    return value_error (out, "Precision not allowed in integer format specifier");
  if (s->no_neg_0)
    return value_error (out, "Negative zero coercion (z) not allowed in integer format specifier");
  if (!spec.align)
    spec.align = '>';
  if (type == 'c')
    {
      GString *c;
      if (s->sign)
        return value_error (out, "Sign not allowed with integer format specifier 'c'");
      if (s->alternate)
        return value_error (out, "Alternate form (#) not allowed with integer format specifier 'c'");
      c = g_string_new (NULL);
      if (!char_of (v, c, out))
        {
          g_string_free (c, TRUE);
          return FALSE;
        }
      *out = pad (&spec, "", c->str, c->len);
      g_string_free (c, TRUE);
      return TRUE;
    }
  base = type == 'b' ? 2 : type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
  if (base == 10 && !_ls_int_check_str_digits (v, out))
    return FALSE;
  if (s->alternate)
    prefix = type == 'b' ? "0b" : type == 'o' ? "0o" : type == 'x' ? "0x" : type == 'X' ? "0X" : "";
  if (base == 10 && ls_value_kind (v) == LS_KIND_INT && !ls_is_object (v))
    {
      char buf[24];
      const char *small = small_int_digits (v, buf, &negative);
      *out = layout_number (&spec, negative, prefix, small, TRUE, 3);
      return TRUE;
    }
  digits = _ls_int_digits (v, base, &negative);
  if (type == 'X')
    for (char *p = digits; *p; p++)
      *p = g_ascii_toupper (*p);
  *out = layout_number (&spec, negative, prefix, digits, TRUE, base == 10 ? 3 : 4);
  g_free (digits);
  return TRUE;
}

/* ---- str ------------------------------------------------------------------------- */

/* format_string_internal */
static gboolean
format_str (const char *text, gsize len, const Spec *s, LsValue *out)
{
  Spec spec = *s;
  gsize keep = len;

  if (s->type && s->type != 's')
    return unknown_code (s->type, "str", out);
  if (s->sign)
    return value_error (out, "Sign not allowed in string format specifier");
  if (s->no_neg_0)
    return value_error (out, "Negative zero coercion (z) not allowed in string format specifier");
  if (s->alternate)
    return value_error (out, "Alternate form (#) not allowed in string format specifier");
  if (s->align == '=')
    return value_error (out, "'=' alignment not allowed in string format specifier");
  if (s->precision >= 0 && (gint64) g_utf8_strlen (text, len) > s->precision)
    keep = g_utf8_offset_to_pointer (text, s->precision) - text;
  if (!spec.align)
    spec.align = '<';
  *out = pad (&spec, "", text, keep);
  return TRUE;
}

/* ---- format() -------------------------------------------------------------------- */

gboolean
ls_format (LsValue v, const char *spec, LsValue *out)
{
  Spec s;
  char *text;
  const LsStr *str;

  switch (ls_value_kind (v))
    {
    case LS_KIND_NONE:
      break;
    case LS_KIND_BOOL:
      /* bool has no __format__ of its own: int's, which is str() when
       * the spec is empty. */
      if (!*spec)
        {
          *out = ls_str_new (ls_value_as_bool (v) ? "True" : "False");
          return TRUE;
        }
      /* fall through */
    case LS_KIND_INT:
      if (!*spec && !ls_is_object (v) && ls_value_kind (v) == LS_KIND_INT)
        {
          /* str() of a small int, the commonest f-string field */
          char buf[24];
          gboolean negative;
          char *p = small_int_digits (v, buf, &negative);
          if (negative)
            *--p = '-';
          *out = ls_str_new_len (p, buf + 23 - p);
          return TRUE;
        }
      if (!*spec)
        {
          if (!_ls_int_check_str_digits (v, out))
            return FALSE;
          *out = ls_str_take (ls_value_str (v));
          return TRUE;
        }
      return parse_spec (spec, ls_value_class (v)->name, '>', 'd', &s, out)
             && format_int (v, &s, ls_value_class (v)->name, out);
    case LS_KIND_FLOAT:
      return parse_spec (spec, "float", '>', '\0', &s, out)
             && format_float (ls_value_as_float (v), &s, "float", out);
    default:
      if (ls_value_is (v, &ls_str_class))
        {
          str = (const LsStr *) ls_value_as_object (v);
          if (!*spec)
            {
              *out = ls_value_ref (v);
              return TRUE;
            }
          return parse_spec (spec, "str", '<', 's', &s, out) && format_str (str->data, str->len, &s, out);
        }
      break;
    }
  /* object.__format__: str(self), and no spec at all. */
  if (*spec)
    {
      *out = ls_exc_newf (&ls_exc_TypeError, "unsupported format string passed to %s.__format__",
                          ls_value_class (v)->name);
      return FALSE;
    }
  text = ls_value_str (v);
  *out = ls_str_take (text);
  return TRUE;
}

/* ---- str % args -------------------------------------------------------------------- */

typedef struct {
  LsValue args;             /* borrowed */
  gint64 arglen, argidx;    /* PyUnicode_Format's: -1 and -2 for a single value */
  LsValue dict;             /* borrowed, None without a mapping */
} PercentArgs;

/* getnextarg */
static gboolean
next_arg (PercentArgs *a, LsValue *arg, LsValue *error)
{
  if (a->argidx < a->arglen)
    {
      gint64 i = a->argidx++;
      *arg = a->arglen < 0 ? a->args : ((LsTuple *) ls_value_as_object (a->args))->items[i];
      return TRUE;
    }
  *error = ls_exc_newf (&ls_exc_TypeError, "not enough arguments for format string");
  return FALSE;
}

/* A '*' width or precision. */
static gboolean
star_arg (PercentArgs *a, gint64 *out, LsValue *error)
{
  LsValue v;

  if (!next_arg (a, &v, error))
    return FALSE;
  if (!_ls_is_int (v) || !ls_int_fits_int64 (v, out) || *out > G_MAXINT32 || *out < -G_MAXINT32)
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "* wants int");
      return FALSE;
    }
  return TRUE;
}

/* repr() with non-ASCII escaped, as ascii() does. */
static char *
ascii_of (LsValue v)
{
  char *r = ls_value_repr (v);
  GString *out = g_string_new (NULL);

  for (const char *p = r; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c < 0x80)
        g_string_append_c (out, (char) c);
      else if (c < 0x100)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c < 0x10000)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_printf (out, "\\U%08x", c);
    }
  g_free (r);
  return g_string_free (out, FALSE);
}

/* The flags, width and precision of one conversion. */
typedef struct {
  gboolean left, plus, space, alternate, zero;
  gint64 width, precision;
} Conv;

/* Lays a number out under a printf conversion: sign, prefix, zeros. */
static void
append_padded_number (GString *res, const Conv *c, gboolean negative, const char *prefix,
                      const char *digits)
{
  const char *sign = negative ? "-" : c->plus ? "+" : c->space ? " " : "";
  gint64 len = (gint64) (strlen (sign) + strlen (prefix) + strlen (digits));
  gint64 padding = c->width > len ? c->width - len : 0;

  if (!c->left && !c->zero)
    append_fill (res, " ", padding);
  g_string_append (res, sign);
  g_string_append (res, prefix);
  if (!c->left && c->zero)
    append_fill (res, "0", padding);
  g_string_append (res, digits);
  if (c->left)
    append_fill (res, " ", padding);
}

static gboolean
percent_int (GString *res, const Conv *c, char type, LsValue v, LsValue *error)
{
  LsValue num = ls_none ();
  gboolean negative, ok = TRUE;
  char *digits;
  const char *prefix = "";
  int base = type == 'x' || type == 'X' ? 16 : type == 'o' ? 8 : 10;
  GString *d;

  if (_ls_is_int (v))
    num = ls_value_ref (v);
  else if (base == 10 && ls_value_kind (v) == LS_KIND_FLOAT)
    {
      if (!_ls_int_from_double (ls_value_as_float (v), &num))
        {
          *error = num;
          return FALSE;
        }
    }
  else
    {
      *error = ls_exc_newf (&ls_exc_TypeError, base == 10
                            ? "%%%c format: a real number is required, not %s"
                            : "%%%c format: an integer is required, not %s",
                            type, ls_value_class (v)->name);
      return FALSE;
    }
  if (base == 10 && !_ls_int_check_str_digits (num, error))
    {
      ls_value_unref (num);
      return FALSE;
    }
  digits = _ls_int_digits (num, base, &negative);
  d = g_string_new (NULL);
  for (gint64 i = (gint64) strlen (digits); i < c->precision; i++)
    g_string_append_c (d, '0');
  g_string_append (d, digits);
  if (type == 'X')
    for (char *q = d->str; *q; q++)
      *q = g_ascii_toupper (*q);
  if (c->alternate && base != 10)
    prefix = type == 'x' ? "0x" : type == 'X' ? "0X" : "0o";
  append_padded_number (res, c, negative, prefix, d->str);
  g_string_free (d, TRUE);
  g_free (digits);
  ls_value_unref (num);
  return ok;
}

static gboolean
percent_float (GString *res, const Conv *c, char type, LsValue v, LsValue *error)
{
  double x;
  char *m;

  if (!_ls_is_number (v))
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "must be real number, not %s", ls_value_class (v)->name);
      return FALSE;
    }
  if (!_ls_number_to_double (v, &x, error))
    return FALSE;
  m = float_magnitude (x, type, c->precision < 0 ? 6 : (int) MIN (c->precision, G_MAXINT32 / 2),
                       c->alternate, FALSE);
  append_padded_number (res, c, signbit (x) && !isnan (x), "", m);
  g_free (m);
  return TRUE;
}

static void
append_padded_text (GString *res, const Conv *c, const char *text, gsize len)
{
  gint64 n = g_utf8_strlen (text, len), padding;

  if (c->precision >= 0 && n > c->precision)
    {
      len = g_utf8_offset_to_pointer (text, c->precision) - text;
      n = c->precision;
    }
  padding = c->width > n ? c->width - n : 0;
  if (!c->left)
    append_fill (res, " ", padding);
  g_string_append_len (res, text, len);
  if (c->left)
    append_fill (res, " ", padding);
}

/* One conversion after its '%': p points at the character after it. */
static gboolean
percent_one (const char *fmt, const char **pp, const char *end, PercentArgs *a,
             GString *res, LsValue *error)
{
  const char *p = *pp;
  Conv c = { FALSE, FALSE, FALSE, FALSE, FALSE, -1, -1 };
  LsValue v = ls_none (), key, got = ls_none ();
  gboolean have_v = FALSE, ok = FALSE;
  char *text;
  gunichar ch;

  if (p < end && *p == '(')
    {
      const char *start = ++p;
      int depth = 1;
      for (; p < end; p++)
        if (*p == '(')
          depth++;
        else if (*p == ')' && --depth == 0)
          break;
      if (p >= end)
        {
          *error = ls_exc_newf (&ls_exc_ValueError, "incomplete format key");
          return FALSE;
        }
      if (ls_is_none (a->dict))
        {
          *error = ls_exc_newf (&ls_exc_TypeError, "format requires a mapping");
          return FALSE;
        }
      key = ls_str_new_len (start, p - start);
      ok = ls_op_getitem (a->dict, key, &got);
      ls_value_unref (key);
      if (!ok)
        {
          *error = got;
          return FALSE;
        }
      v = got;
      have_v = TRUE;
      a->arglen = -1;
      a->argidx = -2;
      p++;
    }
  for (; p < end; p++)
    {
      if (*p == '-') c.left = TRUE;
      else if (*p == '+') c.plus = TRUE;
      else if (*p == ' ') c.space = TRUE;
      else if (*p == '#') c.alternate = TRUE;
      else if (*p == '0') c.zero = TRUE;
      else break;
    }
  if (p < end && *p == '*')
    {
      if (!star_arg (a, &c.width, error))
        goto out;
      if (c.width < 0)
        {
          c.left = TRUE;
          c.width = -c.width;
        }
      p++;
    }
  else if (get_integer (&p, &c.width) <= 0)
    c.width = -1;
  if (p < end && *p == '.')
    {
      p++;
      if (p < end && *p == '*')
        {
          if (!star_arg (a, &c.precision, error))
            goto out;
          if (c.precision < 0)
            c.precision = 0;
          p++;
        }
      else if (get_integer (&p, &c.precision) < 0)
        {
          *error = ls_exc_newf (&ls_exc_ValueError, "precision too big");
          goto out;
        }
    }
  while (p < end && (*p == 'h' || *p == 'l' || *p == 'L'))
    p++;
  if (p >= end)
    {
      *error = ls_exc_newf (&ls_exc_ValueError, "incomplete format");
      goto out;
    }
  if (!have_v && !next_arg (a, &v, error))
    goto out;
  ch = g_utf8_get_char (p);
  switch (ch)
    {
    case '%':
      g_string_append_c (res, '%');
      ok = TRUE;
      break;
    case 's':
    case 'r':
    case 'a':
      if (ch == 's' && ls_value_is (v, &ls_str_class))
        {
          const LsStr *sv = (const LsStr *) ls_value_as_object (v);
          append_padded_text (res, &c, sv->data, sv->len);
        }
      else
        {
          text = ch == 's' ? ls_value_str (v) : ch == 'r' ? ls_value_repr (v) : ascii_of (v);
          append_padded_text (res, &c, text, strlen (text));
          g_free (text);
        }
      ok = TRUE;
      break;
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
      ok = percent_int (res, &c, (char) ch, v, error);
      break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
      ok = percent_float (res, &c, (char) ch, v, error);
      break;
    case 'c':
      {
        GString *one = g_string_new (NULL);
        const char *s = ls_str_get (v);
        if (s && g_utf8_strlen (s, ((LsStr *) ls_value_as_object (v))->len) == 1)
          {
            g_string_append (one, s);
            ok = TRUE;
          }
        else if (_ls_is_int (v))
          ok = char_of (v, one, error);
        else
          *error = ls_exc_newf (&ls_exc_TypeError, "%%c requires int or char");
        if (ok)
          append_padded_text (res, &c, one->str, one->len);
        g_string_free (one, TRUE);
        break;
      }
    default:
      {
        /* Only printable ASCII is shown as itself. */
        *error = ls_exc_newf (&ls_exc_ValueError, "unsupported format character '%c' (0x%x) at index %ld",
                              ch >= 32 && ch <= 126 ? (char) ch : '?', ch,
                              g_utf8_pointer_to_offset (fmt, p));
        break;
      }
    }
  p = g_utf8_next_char (p);
out:
  ls_value_unref (got);
  *pp = p;
  return ok;
}

gboolean
_ls_str_percent (LsValue fmt_value, LsValue args, LsValue *out)
{
  const LsStr *fmt = (const LsStr *) ls_value_as_object (fmt_value);
  const char *p = fmt->data, *end = fmt->data + fmt->len;
  PercentArgs a = { args, -1, -2, ls_none () };
  GString *res = g_string_sized_new (fmt->len + 16);
  const LsClass *cls = ls_value_class (args);

  if (cls == &ls_tuple_class)
    {
      a.arglen = ((LsTuple *) ls_value_as_object (args))->len;
      a.argidx = 0;
    }
  /* A mapping for %(key)s: anything subscriptable but a tuple or a str. */
  else if (cls != &ls_str_class && cls->ops && cls->ops->getitem)
    a.dict = args;
  while (p < end)
    {
      const char *pct = memchr (p, '%', end - p);
      if (!pct)
        {
          g_string_append_len (res, p, end - p);
          break;
        }
      g_string_append_len (res, p, pct - p);
      p = pct + 1;
      if (p >= end)
        {
          *out = ls_exc_newf (&ls_exc_ValueError, "incomplete format");
          goto fail;
        }
      if (*p == '%')
        {
          g_string_append_c (res, '%');
          p++;
          continue;
        }
      if (!percent_one (fmt->data, &p, end, &a, res, out))
        goto fail;
    }
  if (a.argidx < a.arglen && ls_is_none (a.dict))
    {
      *out = ls_exc_newf (&ls_exc_TypeError, "not all arguments converted during string formatting");
      goto fail;
    }
  *out = ls_str_new_len (res->str, res->len);
  g_string_free (res, TRUE);
  return TRUE;
fail:
  g_string_free (res, TRUE);
  return FALSE;
}
