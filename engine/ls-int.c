/* ls-int.c - Python's int: any size, with CPython's arithmetic.
 *
 * Ints that fit in 48 bits are immediates (ls-value.h); the rest are
 * LsBigInt objects holding a GMP integer.  Every result is normalised, so
 * that a value has one representation and immediates stay the common case.
 * Operators mirror Objects/longobject.c: floor division and modulo take the
 * divisor's sign, true division is correctly rounded, bitwise operators
 * act on the infinite two's complement, and the error messages are 3.12's
 * word for word.  bool is an int subclass: True + True is 2, but True & True
 * stays a bool, as in boolobject.c.
 */
#include "ls-num-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* GMP's long is the engine's gint64 on the platforms we build for. */
G_STATIC_ASSERT (sizeof (long) == sizeof (gint64));

/* CPython's sys.int_info.default_max_str_digits. */
#define MAX_STR_DIGITS 4300

/* CPython would try to build ints of any size and eventually fail with
 * MemoryError; a scenario stops well before that, with OverflowError. */
#define MAX_BITS (G_GUINT64_CONSTANT (1) << 26)

/* The modulus of CPython's numeric hash: 2**61 - 1. */
#define HASH_BITS 61
#define HASH_MODULUS ((G_GUINT64_CONSTANT (1) << HASH_BITS) - 1)

/* ---- the boxed representation ------------------------------------------ */

static void
bigint_finalize (LsObject *self)
{
  mpz_clear (((LsBigInt *) self)->z);
}

static char *
bigint_repr (LsObject *self)
{
  mpz_srcptr z = ((LsBigInt *) self)->z;
  char *buf = g_malloc (mpz_sizeinbase (z, 10) + 2);
  return mpz_get_str (buf, 10, z);
}

static gboolean
bigint_equal (LsObject *a, LsObject *b)
{
  return mpz_cmp (((LsBigInt *) a)->z, ((LsBigInt *) b)->z) == 0;
}

static guint
bigint_hash (LsObject *self)
{
  return (guint) _ls_int_hash (ls_object (self));
}

const LsClass ls_int_class = {
  .name = "int",
  .finalize = bigint_finalize,
  .repr = bigint_repr,
  .equal = bigint_equal,
  .hash = bigint_hash,
  .size = sizeof (LsBigInt),
  .ops = &_ls_int_ops,
};

const LsClass ls_bool_class = {
  .name = "bool",
  .base = &ls_int_class,
  .ops = &_ls_int_ops,
};

static LsBigInt *
bigint_alloc (void)
{
  LsBigInt *b = ls_object_alloc (&ls_int_class, sizeof (LsBigInt));
  mpz_init (b->z);
  return b;
}

LsValue
ls_int_boxed_ (gint64 i)
{
  LsBigInt *b = bigint_alloc ();
  mpz_set_si (b->z, i);
  return ls_object (b);
}

/* The scheduler reads ints as gint64; one beyond that range saturates,
 * which is as far as a C caller can follow it (ls_int_fits_int64 says
 * whether it did). */
gint64
ls_int_unbox_ (LsValue v)
{
  mpz_srcptr z = ((LsBigInt *) ls_value_as_object (v))->z;
  if (mpz_fits_slong_p (z))
    return mpz_get_si (z);
  return mpz_sgn (z) < 0 ? G_MININT64 : G_MAXINT64;
}

/* The gint64 of an immediate int or a bool; FALSE for a boxed int. */
static inline gboolean
small_int (LsValue v, gint64 *i)
{
  if (ls_value_kind (v) == LS_KIND_BOOL)
    {
      *i = ls_value_as_bool (v);
      return TRUE;
    }
  if ((v.bits >> 48) != 0xffff)
    return FALSE;                 /* a boxed int, or not an int at all */
  *i = ls_value_as_int (v);
  return TRUE;
}

LsValue
_ls_int_from_mpz (mpz_srcptr z)
{
  LsBigInt *b;

  if (mpz_fits_slong_p (z))
    {
      long i = mpz_get_si (z);
      if (i >= LS_VALUE_INT_MIN && i <= LS_VALUE_INT_MAX)
        return ls_int (i);
    }
  b = bigint_alloc ();
  mpz_set (b->z, z);
  return ls_object (b);
}

void
_ls_int_get_mpz (LsValue v, mpz_ptr out)
{
  gint64 i;

  if (small_int (v, &i))
    mpz_set_si (out, i);
  else
    mpz_set (out, ((LsBigInt *) ls_value_as_object (v))->z);
}

int
_ls_int_sign (LsValue v)
{
  gint64 i;

  if (small_int (v, &i))
    return (i > 0) - (i < 0);
  return mpz_sgn (((LsBigInt *) ls_value_as_object (v))->z);
}

gboolean
ls_int_fits_int64 (LsValue v, gint64 *out)
{
  mpz_srcptr z;

  if (small_int (v, out))
    return TRUE;
  if (ls_value_kind (v) != LS_KIND_INT)
    return FALSE;
  z = ((LsBigInt *) ls_value_as_object (v))->z;
  if (!mpz_fits_slong_p (z))
    return FALSE;
  *out = mpz_get_si (z);
  return TRUE;
}

/* ---- conversion to float ------------------------------------------------ */

/* q * 2**e2 (q > 0) rounded to the nearest double, ties to even, with
 * subnormals rounded at their own precision.  This is the rounding
 * CPython's PyLong_AsDouble and long_true_divide do; mpz_get_d truncates,
 * so it cannot be used directly.  FALSE when the result overflows. */
static gboolean
round_scaled (mpz_srcptr q, long e2, double *out)
{
  long n = (long) mpz_sizeinbase (q, 2);
  long top_exp = n - 1 + e2;           /* q * 2**e2 is in [2**top_exp, 2**(top_exp+1)) */
  long prec = top_exp >= -1022 ? 53 : top_exp + 1075;
  long drop = n - prec;
  mpz_t top;
  double d;

  if (top_exp > 1023)
    return FALSE;
  if (drop <= 0)
    {
      /* q has at most 53 bits: exact. */
      *out = ldexp (mpz_get_d (q), (int) e2);
      return TRUE;
    }
  mpz_init (top);
  mpz_fdiv_q_2exp (top, q, (mp_bitcnt_t) drop);
  /* Round up above half, and at exactly half when that makes top even. */
  if (mpz_tstbit (q, (mp_bitcnt_t) (drop - 1))
      && ((long) mpz_scan1 (q, 0) < drop - 1 || mpz_odd_p (top)))
    mpz_add_ui (top, top, 1);
  d = ldexp (mpz_get_d (top), (int) (e2 + drop));
  mpz_clear (top);
  if (isinf (d))
    return FALSE;
  *out = d;
  return TRUE;
}

static gboolean
mpz_to_double (mpz_srcptr z, double *out)
{
  mpz_t a;
  gboolean ok;

  if (mpz_sgn (z) == 0)
    {
      *out = 0.0;
      return TRUE;
    }
  mpz_init (a);
  mpz_abs (a, z);
  ok = round_scaled (a, 0, out);
  if (ok && mpz_sgn (z) < 0)
    *out = -*out;
  mpz_clear (a);
  return ok;
}

gboolean
_ls_int_to_double (LsValue v, double *out, LsValue *error)
{
  gint64 i;

  if (small_int (v, &i))
    {
      *out = (double) i;
      return TRUE;
    }
  if (mpz_to_double (((LsBigInt *) ls_value_as_object (v))->z, out))
    return TRUE;
  *error = ls_exc_newf (&ls_exc_OverflowError, "int too large to convert to float");
  return FALSE;
}

int
_ls_int_cmp_double (LsValue v, double d)
{
  gint64 i;
  int c;

  if (small_int (v, &i))
    return ((double) i > d) - ((double) i < d);   /* 48 bits: exact */
  c = mpz_cmp_d (((LsBigInt *) ls_value_as_object (v))->z, d);
  return (c > 0) - (c < 0);
}

gboolean
_ls_int_from_double (double d, LsValue *out)
{
  mpz_t z;

  if (isnan (d))
    {
      *out = ls_exc_newf (&ls_exc_ValueError, "cannot convert float NaN to integer");
      return FALSE;
    }
  if (isinf (d))
    {
      *out = ls_exc_newf (&ls_exc_OverflowError, "cannot convert float infinity to integer");
      return FALSE;
    }
  d = trunc (d);
  if (fabs (d) < 9e18)
    {
      *out = ls_int ((gint64) d);
      return TRUE;
    }
  mpz_init_set_d (z, d);
  *out = _ls_int_from_mpz (z);
  mpz_clear (z);
  return TRUE;
}

/* a / b, both ints, correctly rounded as long_true_divide does: scale the
 * quotient to 57 or 58 bits, keep a sticky bit for the remainder, and
 * round once. */
static gboolean
true_divide (mpz_srcptr a, mpz_srcptr b, LsValue *out)
{
  gboolean negate = (mpz_sgn (a) < 0) != (mpz_sgn (b) < 0);
  mpz_t num, den, q, r;
  long na, nb, shift;
  double d;
  gboolean ok;

  if (mpz_sgn (b) == 0)
    {
      *out = ls_exc_newf (&ls_exc_ZeroDivisionError, "division by zero");
      return FALSE;
    }
  if (mpz_sgn (a) == 0)
    {
      *out = ls_float (negate ? -0.0 : 0.0);
      return TRUE;
    }
  mpz_inits (num, den, q, r, NULL);
  mpz_abs (num, a);
  mpz_abs (den, b);
  na = (long) mpz_sizeinbase (num, 2);
  nb = (long) mpz_sizeinbase (den, 2);
  shift = 57 + nb - na;
  if (shift > 0)
    mpz_mul_2exp (num, num, (mp_bitcnt_t) shift);
  else if (shift < 0)
    mpz_mul_2exp (den, den, (mp_bitcnt_t) -shift);
  mpz_tdiv_qr (q, r, num, den);
  if (mpz_sgn (r) != 0)
    mpz_setbit (q, 0);
  ok = round_scaled (q, -shift, &d);
  mpz_clears (num, den, q, r, NULL);
  if (!ok)
    {
      *out = ls_exc_newf (&ls_exc_OverflowError, "integer division result too large for a float");
      return FALSE;
    }
  *out = ls_float (negate ? -d : d);
  return TRUE;
}

/* ---- arithmetic ------------------------------------------------------------ */

static gboolean
compare_result (LsOp op, int c, LsValue *out)
{
  gboolean r;

  switch (op)
    {
    case LS_OP_EQ: r = c == 0; break;
    case LS_OP_NE: r = c != 0; break;
    case LS_OP_LT: r = c < 0; break;
    case LS_OP_LE: r = c <= 0; break;
    case LS_OP_GT: r = c > 0; break;
    case LS_OP_GE: r = c >= 0; break;
    default:
      *out = ls_none ();
      return FALSE;
    }
  *out = ls_bool (r);
  return TRUE;
}

/* int ** negative int is a float, computed as float ** float. */
static gboolean
negative_power (LsValue a, LsValue b, LsValue *out)
{
  double x, y;

  if (!_ls_int_to_double (a, &x, out) || !_ls_int_to_double (b, &y, out))
    return FALSE;
  return _ls_float_binary (LS_OP_POW, x, y, out);
}

static gboolean
too_big (LsValue *out)
{
  *out = ls_exc_newf (&ls_exc_OverflowError, "too many digits in integer");
  return FALSE;
}

/* The general case, on GMP integers. */
static gboolean
big_binary (LsOp op, LsValue a, LsValue b, LsValue *out)
{
  mpz_t x, y, r;
  gboolean ok = TRUE;

  if (op == LS_OP_POW && _ls_int_sign (b) < 0)
    return negative_power (a, b, out);
  mpz_inits (x, y, r, NULL);
  _ls_int_get_mpz (a, x);
  _ls_int_get_mpz (b, y);
  switch (op)
    {
    case LS_OP_ADD: mpz_add (r, x, y); break;
    case LS_OP_SUB: mpz_sub (r, x, y); break;
    case LS_OP_MUL: mpz_mul (r, x, y); break;
    case LS_OP_BITAND: mpz_and (r, x, y); break;
    case LS_OP_BITOR: mpz_ior (r, x, y); break;
    case LS_OP_BITXOR: mpz_xor (r, x, y); break;
    case LS_OP_DIV:
      ok = true_divide (x, y, out);
      goto out;
    case LS_OP_FLOORDIV:
    case LS_OP_MOD:
      if (mpz_sgn (y) == 0)
        {
          *out = ls_exc_newf (&ls_exc_ZeroDivisionError, op == LS_OP_MOD
                              ? "integer modulo by zero"
                              : "integer division or modulo by zero");
          ok = FALSE;
          goto out;
        }
      if (op == LS_OP_FLOORDIV)
        mpz_fdiv_q (r, x, y);
      else
        mpz_fdiv_r (r, x, y);
      break;
    case LS_OP_POW:
      if (mpz_cmpabs_ui (x, 1) <= 0)
        {
          /* 0, 1 and -1 to any power, however large. */
          if (mpz_sgn (y) == 0)
            mpz_set_ui (r, 1);
          else if (mpz_sgn (x) < 0 && mpz_even_p (y))
            mpz_set_ui (r, 1);
          else
            mpz_set (r, x);
        }
      else if (!mpz_fits_ulong_p (y)
               || mpz_get_ui (y) > MAX_BITS / mpz_sizeinbase (x, 2))
        {
          ok = too_big (out);
          goto out;
        }
      else
        mpz_pow_ui (r, x, mpz_get_ui (y));
      break;
    case LS_OP_LSHIFT:
    case LS_OP_RSHIFT:
      if (mpz_sgn (y) < 0)
        {
          *out = ls_exc_newf (&ls_exc_ValueError, "negative shift count");
          ok = FALSE;
          goto out;
        }
      if (op == LS_OP_RSHIFT)
        {
          if (mpz_fits_ulong_p (y))
            mpz_fdiv_q_2exp (r, x, mpz_get_ui (y));
          else
            mpz_set_si (r, mpz_sgn (x) < 0 ? -1 : 0);
        }
      else if (mpz_sgn (x) == 0)
        mpz_set_ui (r, 0);
      else if (!mpz_fits_ulong_p (y) || mpz_get_ui (y) > MAX_BITS)
        {
          ok = too_big (out);
          goto out;
        }
      else
        mpz_mul_2exp (r, x, mpz_get_ui (y));
      break;
    default:
      ok = compare_result (op, mpz_cmp (x, y), out);
      goto out;
    }
  *out = _ls_int_from_mpz (r);
out:
  mpz_clears (x, y, r, NULL);
  return ok;
}

/* Floor division and modulo of C integers, with Python's signs. */
static inline void
floor_divmod (gint64 a, gint64 b, gint64 *q, gint64 *r)
{
  *q = a / b;
  *r = a % b;
  if (*r != 0 && ((*r < 0) != (b < 0)))
    {
      *q -= 1;
      *r += b;
    }
}

gboolean
_ls_int_binary (LsOp op, LsValue a, LsValue b, LsValue *out)
{
  gint64 x, y, r, q;

  /* bool & | ^ bool is a bool (bool_and, bool_or, bool_xor). */
  if (ls_value_kind (a) == LS_KIND_BOOL && ls_value_kind (b) == LS_KIND_BOOL)
    switch (op)
      {
      case LS_OP_BITAND: *out = ls_bool (ls_value_as_bool (a) & ls_value_as_bool (b)); return TRUE;
      case LS_OP_BITOR: *out = ls_bool (ls_value_as_bool (a) | ls_value_as_bool (b)); return TRUE;
      case LS_OP_BITXOR: *out = ls_bool (ls_value_as_bool (a) ^ ls_value_as_bool (b)); return TRUE;
      default: break;
      }

  /* Two immediates: 48-bit operands cannot overflow a gint64 except in
   * *, ** and <<, which fall back to GMP when they would. */
  if (!small_int (a, &x) || !small_int (b, &y))
    return big_binary (op, a, b, out);
  switch (op)
    {
    case LS_OP_ADD: *out = ls_int (x + y); return TRUE;
    case LS_OP_SUB: *out = ls_int (x - y); return TRUE;
    case LS_OP_MUL:
      if (__builtin_mul_overflow (x, y, &r))
        return big_binary (op, a, b, out);
      *out = ls_int (r);
      return TRUE;
    case LS_OP_DIV:
      if (y == 0)
        {
          *out = ls_exc_newf (&ls_exc_ZeroDivisionError, "division by zero");
          return FALSE;
        }
      /* Both are exact doubles, so one division rounds correctly. */
      *out = ls_float ((double) x / (double) y);
      return TRUE;
    case LS_OP_FLOORDIV:
    case LS_OP_MOD:
      if (y == 0)
        {
          *out = ls_exc_newf (&ls_exc_ZeroDivisionError, op == LS_OP_MOD
                              ? "integer modulo by zero"
                              : "integer division or modulo by zero");
          return FALSE;
        }
      floor_divmod (x, y, &q, &r);
      *out = ls_int (op == LS_OP_MOD ? r : q);
      return TRUE;
    case LS_OP_LSHIFT:
      if (y >= 0 && y < 16)
        {
          *out = ls_int (x * (G_GINT64_CONSTANT (1) << y));
          return TRUE;
        }
      return big_binary (op, a, b, out);
    case LS_OP_RSHIFT:
      if (y < 0)
        return big_binary (op, a, b, out);
      *out = ls_int (y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
      return TRUE;
    case LS_OP_BITAND: *out = ls_int (x & y); return TRUE;
    case LS_OP_BITOR: *out = ls_int (x | y); return TRUE;
    case LS_OP_BITXOR: *out = ls_int (x ^ y); return TRUE;
    case LS_OP_POW:
      return big_binary (op, a, b, out);
    default:
      return compare_result (op, (x > y) - (x < y), out);
    }
}

/* -x, +x, ~x of an int; +True is 1, as int_pos makes a plain int. */
gboolean
_ls_int_unary (LsOp op, LsValue a, LsValue *out)
{
  gint64 x;
  mpz_t z;

  if (small_int (a, &x))
    {
      switch (op)
        {
        case LS_OP_NEG: *out = ls_int (-x); return TRUE;
        case LS_OP_POS: *out = ls_int (x); return TRUE;
        case LS_OP_INVERT: *out = ls_int (~x); return TRUE;
        default: *out = ls_none (); return FALSE;
        }
    }
  mpz_init (z);
  _ls_int_get_mpz (a, z);
  switch (op)
    {
    case LS_OP_NEG: mpz_neg (z, z); break;
    case LS_OP_POS: break;
    case LS_OP_INVERT: mpz_com (z, z); break;
    default:
      mpz_clear (z);
      *out = ls_none ();
      return FALSE;
    }
  *out = _ls_int_from_mpz (z);
  mpz_clear (z);
  return TRUE;
}

/* ---- text ---------------------------------------------------------------------- */

char *
_ls_int_digits (LsValue v, int base, gboolean *negative)
{
  mpz_t z;
  char *buf;

  mpz_init (z);
  _ls_int_get_mpz (v, z);
  *negative = mpz_sgn (z) < 0;
  mpz_abs (z, z);
  buf = g_malloc (mpz_sizeinbase (z, base) + 2);
  mpz_get_str (buf, base, z);
  mpz_clear (z);
  return buf;
}

gboolean
_ls_int_check_str_digits (LsValue v, LsValue *error)
{
  mpz_srcptr z;

  if (!ls_is_object (v) || ls_value_kind (v) != LS_KIND_INT)
    return TRUE;
  z = ((LsBigInt *) ls_value_as_object (v))->z;
  /* sizeinbase may be one too many: only then count exactly. */
  if (mpz_sizeinbase (z, 10) > MAX_STR_DIGITS)
    {
      char *digits = _ls_int_digits (v, 10, &(gboolean) { FALSE });
      gsize n = strlen (digits);
      g_free (digits);
      if (n > MAX_STR_DIGITS)
        {
          *error = ls_exc_newf (&ls_exc_ValueError,
                                "Exceeds the limit (%d digits) for integer string conversion; "
                                "use sys.set_int_max_str_digits() to increase the limit",
                                MAX_STR_DIGITS);
          return FALSE;
        }
    }
  return TRUE;
}

/* Parses what int() and int literals accept: an optional sign, a base
 * prefix when base is 0 or matches it, and digits with single underscores
 * between them.  Returns the int, or a ValueError exception value (the
 * caller checks with ls_exc_type()). */
LsValue
ls_int_from_string (const char *text, int base)
{
  const char *p = text;
  int given_base = base;
  gboolean negative = FALSE, prev_digit = FALSE, ok = TRUE;
  GString *digits = g_string_new (NULL);
  LsValue result;
  mpz_t z;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  if (p[0] == '0' && p[1] != '\0')
    {
      char c = g_ascii_tolower (p[1]);
      int prefixed = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
      if (prefixed && (base == 0 || base == prefixed))
        {
          base = prefixed;
          p += 2;
          prev_digit = TRUE;        /* "0x_1f" is allowed */
        }
    }
  if (base == 0)
    {
      base = 10;
      /* A decimal literal cannot have leading zeros, unless all zeros. */
      if (*p == '0')
        for (const char *q = p; *q && !g_ascii_isspace (*q); q++)
          if (*q != '0' && *q != '_')
            ok = FALSE;
    }
  for (; *p && !g_ascii_isspace (*p) && ok; p++)
    {
      int d = g_ascii_isdigit (*p) ? *p - '0'
              : g_ascii_isalpha (*p) ? g_ascii_tolower (*p) - 'a' + 10 : 99;
      if (*p == '_')
        {
          ok = prev_digit;
          prev_digit = FALSE;
        }
      else if (d >= base || base < 2 || base > 36)
        ok = FALSE;
      else
        {
          g_string_append_c (digits, *p);
          prev_digit = TRUE;
        }
    }
  while (g_ascii_isspace (*p))
    p++;
  if (!ok || *p || digits->len == 0 || !prev_digit)
    {
      LsValue s = ls_str_new (text);
      char *shown = ls_value_repr (s);
      result = ls_exc_newf (&ls_exc_ValueError, "invalid literal for int() with base %d: %s",
                            given_base, shown);
      g_free (shown);
      ls_value_unref (s);
      goto out;
    }
  /* CPython limits the quadratic conversions, not the power-of-two bases. */
  if (digits->len > MAX_STR_DIGITS && (base & (base - 1)) != 0)
    {
      result = ls_exc_newf (&ls_exc_ValueError,
                            "Exceeds the limit (%d digits) for integer string conversion: "
                            "value has %" G_GSIZE_FORMAT " digits; "
                            "use sys.set_int_max_str_digits() to increase the limit",
                            MAX_STR_DIGITS, digits->len);
      goto out;
    }
  mpz_init (z);
  mpz_set_str (z, digits->str, base);
  if (negative)
    mpz_neg (z, z);
  result = _ls_int_from_mpz (z);
  mpz_clear (z);
out:
  g_string_free (digits, TRUE);
  return result;
}

/* ---- hash -------------------------------------------------------------------- */

/* long_hash: |v| mod 2**61-1 with v's sign, and -1 (an error in C) is -2. */
guint64
_ls_int_hash (LsValue v)
{
  gint64 i, h;
  mpz_t z;

  if (small_int (v, &i))
    h = i;                    /* 48 bits: already below the modulus */
  else
    {
      mpz_init (z);
      _ls_int_get_mpz (v, z);
      h = (gint64) mpz_tdiv_ui (z, HASH_MODULUS);
      if (mpz_sgn (z) < 0)
        h = -h;
      mpz_clear (z);
    }
  if (h == -1)
    h = -2;
  return (guint64) h;
}

/* ---- slots ----------------------------------------------------------------- */

static gboolean
int_slot_binary (LsOp op, LsValue a, LsValue b, gboolean reflected, LsValue *out)
{
  if (_ls_is_int (a) && _ls_is_int (b))
    return _ls_int_binary (op, a, b, out);
  if (_ls_is_number (a) && _ls_is_number (b))
    return _ls_float_mixed_binary (op, a, b, out);
  *out = ls_none ();
  return FALSE;
}

static gboolean
int_slot_hash (LsObject *self, guint64 *hash, LsValue *error)
{
  *hash = _ls_int_hash (ls_object (self));
  return TRUE;
}

const LsTypeSlots _ls_int_ops = {
  .binary = int_slot_binary,
  .hash = int_slot_hash,
};
