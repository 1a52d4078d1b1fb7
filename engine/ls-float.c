/* ls-float.c - Python's float: arithmetic, mixing with ints, hashing.
 *
 * Each operator follows Objects/floatobject.c line by line where C's own
 * operator differs from Python's: floor division and modulo take the
 * divisor's sign (float_rem, _float_div_mod), ** has its special cases and
 * errors (float_pow), and the hash of an integral float equals the hash of
 * the int (_Py_HashDouble), so that 1.0 and 1 are the same dict key.
 * Comparisons between ints and floats are exact, as float_richcompare
 * makes them: 2**53 + 1 != 2.0**53.
 */
#include "ls-num-private.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define HASH_BITS 61
#define HASH_MODULUS ((G_GUINT64_CONSTANT (1) << HASH_BITS) - 1)
#define HASH_INF 314159

const LsClass ls_float_class = {
  .name = "float",
  .ops = &_ls_float_ops,
};

gboolean
_ls_number_to_double (LsValue v, double *out, LsValue *error)
{
  if (ls_value_kind (v) == LS_KIND_FLOAT)
    {
      *out = ls_value_as_float (v);
      return TRUE;
    }
  return _ls_int_to_double (v, out, error);
}

/* ---- arithmetic --------------------------------------------------------- */

static gboolean
zero_division (const char *message, LsValue *out)
{
  *out = ls_exc_newf (&ls_exc_ZeroDivisionError, "%s", message);
  return FALSE;
}

/* float_rem */
static double
float_mod (double vx, double wx)
{
  double mod = fmod (vx, wx);

  if (mod != 0.0)
    {
      /* Ensure the remainder has the same sign as the denominator. */
      if ((wx < 0) != (mod < 0))
        mod += wx;
    }
  else
    {
      /* The remainder is zero, and in the presence of signed zeroes fmod
       * returns different results across platforms; ensure it has the
       * same sign as the denominator. */
      mod = copysign (0.0, wx);
    }
  return mod;
}

/* _float_div_mod, the floor-division half. */
static double
float_floordiv (double vx, double wx)
{
  double div, mod = fmod (vx, wx), floordiv;

  /* fmod is typically exact, so vx-mod is *mathematically* an exact
   * multiple of wx.  But this is fp arithmetic, and fp vx - mod is an
   * approximation; the result is that div may not be an exact integral
   * value after the division, although it will always be very close to
   * one. */
  div = (vx - mod) / wx;
  if (mod != 0.0 && (wx < 0) != (mod < 0))
    div -= 1.0;
  if (div != 0.0)
    {
      floordiv = floor (div);
      if (div - floordiv > 0.5)
        floordiv += 1.0;
    }
  else
    floordiv = copysign (0.0, vx / wx);
  return floordiv;
}

static gboolean
is_odd_integer (double x)
{
  return fmod (fabs (x), 2.0) == 1.0;
}

/* float_pow */
static gboolean
float_pow (double iv, double iw, LsValue *out)
{
  double ix;
  gboolean negate_result = FALSE;

  if (iw == 0)
    return *out = ls_float (1.0), TRUE;           /* v**0 is 1, even 0**0 */
  if (isnan (iv))
    return *out = ls_float (iw == 0 ? 1.0 : iv), TRUE;
  if (isnan (iw))
    return *out = ls_float (iv == 1.0 ? 1.0 : iw), TRUE;
  if (isinf (iw))
    {
      /* v**inf is: 0.0 if abs(v) < 1; 1.0 if abs(v) == 1; inf if
       * abs(v) > 1 (including inf); v**-inf is the reverse. */
      iv = fabs (iv);
      if (iv == 1.0)
        *out = ls_float (1.0);
      else if ((iw > 0.0) == (iv > 1.0))
        *out = ls_float (fabs (iw));
      else
        *out = ls_float (0.0);
      return TRUE;
    }
  if (isinf (iv))
    {
      /* (+-inf)**w is: inf for w positive, 0 for w negative; in both
       * cases the sign is that of v if w is an odd integer. */
      gboolean odd = is_odd_integer (iw);
      if (iw > 0.0)
        *out = ls_float (odd ? iv : fabs (iv));
      else
        *out = ls_float (odd ? copysign (0.0, iv) : 0.0);
      return TRUE;
    }
  if (iv == 0.0)
    {
      gboolean odd = is_odd_integer (iw);
      if (iw < 0.0)
        return zero_division ("0.0 cannot be raised to a negative power", out);
      /* use correct sign if iw is odd */
      *out = ls_float (odd ? iv : 0.0);
      return TRUE;
    }
  if (iv < 0.0)
    {
      /* Whether this is an error is a mess, and bumps into libm bugs so
       * we have to figure it out ourselves. */
      if (iw != floor (iw))
        {
          /* CPython returns a complex number here; the subset has none. */
          *out = ls_exc_newf (&ls_exc_ValueError,
                              "negative number cannot be raised to a fractional power");
          return FALSE;
        }
      /* iw is an exact integer, albeit perhaps a very large one. */
      iv = -iv;
      negate_result = is_odd_integer (iw);
    }
  if (iv == 1.0)
    {
      /* 1**w is 1, even 1**inf and 1**nan; (-1)**w depends on w's parity. */
      *out = ls_float (negate_result ? -1.0 : 1.0);
      return TRUE;
    }
  errno = 0;
  ix = pow (iv, iw);
  /* _Py_ADJUST_ERANGE1: overflow is an error, underflow is not. */
  if (errno == 0 && isinf (ix))
    errno = ERANGE;
  else if (errno == ERANGE && ix == 0.0)
    errno = 0;
  if (negate_result)
    ix = -ix;
  if (errno != 0)
    {
      /* PyErr_SetFromErrno: the errno and strerror as the args. */
      *out = ls_exc_newf (&ls_exc_OverflowError, "(34, 'Numerical result out of range')");
      return FALSE;
    }
  *out = ls_float (ix);
  return TRUE;
}

gboolean
_ls_float_binary (LsOp op, double a, double b, LsValue *out)
{
  gboolean r;

  switch (op)
    {
    case LS_OP_ADD: *out = ls_float (a + b); return TRUE;
    case LS_OP_SUB: *out = ls_float (a - b); return TRUE;
    case LS_OP_MUL: *out = ls_float (a * b); return TRUE;
    case LS_OP_DIV:
      if (b == 0.0)
        return zero_division ("float division by zero", out);
      *out = ls_float (a / b);
      return TRUE;
    case LS_OP_FLOORDIV:
      if (b == 0.0)
        return zero_division ("float floor division by zero", out);
      *out = ls_float (float_floordiv (a, b));
      return TRUE;
    case LS_OP_MOD:
      if (b == 0.0)
        return zero_division ("float modulo", out);
      *out = ls_float (float_mod (a, b));
      return TRUE;
    case LS_OP_POW:
      return float_pow (a, b, out);
    case LS_OP_EQ: r = a == b; break;
    case LS_OP_NE: r = a != b; break;
    case LS_OP_LT: r = a < b; break;
    case LS_OP_LE: r = a <= b; break;
    case LS_OP_GT: r = a > b; break;
    case LS_OP_GE: r = a >= b; break;
    default:
      *out = ls_none ();     /* NotImplemented: floats have no << & | ... */
      return FALSE;
    }
  *out = ls_bool (r);
  return TRUE;
}

static gboolean
is_comparison (LsOp op)
{
  return op >= LS_OP_EQ && op <= LS_OP_GE;
}

/* float_richcompare for an int against a float: exact, whatever their
 * sizes, with a NaN unequal to everything. */
static gboolean
compare_int_float (LsOp op, LsValue i, double d, gboolean int_first, LsValue *out)
{
  int c;

  if (isnan (d))
    {
      *out = ls_bool (op == LS_OP_NE);
      return TRUE;
    }
  c = _ls_int_cmp_double (i, d);
  if (!int_first)
    c = -c;
  switch (op)
    {
    case LS_OP_EQ: *out = ls_bool (c == 0); break;
    case LS_OP_NE: *out = ls_bool (c != 0); break;
    case LS_OP_LT: *out = ls_bool (c < 0); break;
    case LS_OP_LE: *out = ls_bool (c <= 0); break;
    case LS_OP_GT: *out = ls_bool (c > 0); break;
    default: *out = ls_bool (c >= 0); break;
    }
  return TRUE;
}

gboolean
_ls_float_mixed_binary (LsOp op, LsValue a, LsValue b, LsValue *out)
{
  double x, y;
  gboolean af = ls_value_kind (a) == LS_KIND_FLOAT, bf = ls_value_kind (b) == LS_KIND_FLOAT;

  if (is_comparison (op) && af != bf)
    return af ? compare_int_float (op, b, ls_value_as_float (a), FALSE, out)
              : compare_int_float (op, a, ls_value_as_float (b), TRUE, out);
  switch (op)
    {
    case LS_OP_ADD: case LS_OP_SUB: case LS_OP_MUL: case LS_OP_DIV:
    case LS_OP_FLOORDIV: case LS_OP_MOD: case LS_OP_POW:
    case LS_OP_EQ: case LS_OP_NE: case LS_OP_LT: case LS_OP_LE: case LS_OP_GT: case LS_OP_GE:
      break;
    default:
      *out = ls_none ();
      return FALSE;
    }
  if (!_ls_number_to_double (a, &x, out) || !_ls_number_to_double (b, &y, out))
    return FALSE;
  return _ls_float_binary (op, x, y, out);
}

/* ---- hash -------------------------------------------------------------------- */

/* _Py_HashDouble: the value mod 2**61-1, reading the mantissa 28 bits at a
 * time, so that an integral float hashes like the equal int. */
guint64
_ls_float_hash (double v)
{
  int e, sign;
  double m;
  guint64 x, y;
  gint64 h;

  if (!isfinite (v))
    {
      if (isinf (v))
        return (guint64) (gint64) (v > 0 ? HASH_INF : -HASH_INF);
      return 0;
    }
  m = frexp (v, &e);
  sign = 1;
  if (m < 0)
    {
      sign = -1;
      m = -m;
    }
  /* process 28 bits at a time; this should work well both for binary and
   * hexadecimal floating point. */
  x = 0;
  while (m)
    {
      x = ((x << 28) & HASH_MODULUS) | x >> (HASH_BITS - 28);
      m *= 268435456.0;      /* 2**28 */
      e -= 28;
      y = (guint64) m;       /* pull out integer part */
      m -= (double) y;
      x += y;
      if (x >= HASH_MODULUS)
        x -= HASH_MODULUS;
    }
  /* adjust for the exponent; first reduce it modulo HASH_BITS */
  e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
  x = ((x << e) & HASH_MODULUS) | x >> (HASH_BITS - e);
  h = (gint64) x * sign;
  if (h == -1)
    h = -2;
  return (guint64) h;
}

/* ---- slots ------------------------------------------------------------------ */

static gboolean
float_slot_binary (LsOp op, LsValue a, LsValue b, gboolean reflected, LsValue *out)
{
  if (ls_value_kind (a) == LS_KIND_FLOAT && ls_value_kind (b) == LS_KIND_FLOAT)
    return _ls_float_binary (op, ls_value_as_float (a), ls_value_as_float (b), out);
  if (_ls_is_number (a) && _ls_is_number (b))
    return _ls_float_mixed_binary (op, a, b, out);
  *out = ls_none ();
  return FALSE;
}

const LsTypeSlots _ls_float_ops = {
  .binary = float_slot_binary,
};

/* ---- equality for ls_value_equal ---------------------------------------------- */

gboolean
_ls_num_equal (LsValue a, LsValue b)
{
  LsValue r;

  if (_ls_is_int (a) && _ls_is_int (b))
    {
      if (!_ls_int_binary (LS_OP_EQ, a, b, &r))
        return FALSE;
    }
  else if (!_ls_float_mixed_binary (LS_OP_EQ, a, b, &r))
    {
      ls_value_unref (r);
      return FALSE;
    }
  return ls_value_as_bool (r);
}

/* ---- attributes ------------------------------------------------------------------ */

static gboolean
no_arguments (const char *name, guint nargs, LsValue *result)
{
  if (nargs == 0)
    return TRUE;
  *result = ls_exc_newf (&ls_exc_TypeError, "%s() takes no arguments (%u given)", name, nargs);
  return FALSE;
}

/* int.bit_length(): the bits of |self|, 0 for 0. */
static gboolean
int_bit_length (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  mpz_t z;

  if (!no_arguments ("int.bit_length", nargs, result))
    return FALSE;
  mpz_init (z);
  _ls_int_get_mpz (self, z);
  *result = ls_int (mpz_sgn (z) == 0 ? 0 : (gint64) mpz_sizeinbase (z, 2));
  mpz_clear (z);
  return TRUE;
}

/* int.is_integer() and float.is_integer() */
static gboolean
num_is_integer (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  double d;

  if (!no_arguments (data, nargs, result))
    return FALSE;
  if (_ls_is_int (self))
    *result = ls_bool (TRUE);
  else
    {
      d = ls_value_as_float (self);
      *result = ls_bool (isfinite (d) && floor (d) == d);
    }
  return TRUE;
}

/* int.conjugate() and float.conjugate(): the number itself (a bool's is
 * an int). */
static gboolean
num_conjugate (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  if (!no_arguments (data, nargs, result))
    return FALSE;
  *result = ls_value_kind (self) == LS_KIND_BOOL ? ls_int (ls_value_as_bool (self))
                                                 : ls_value_ref (self);
  return TRUE;
}

gboolean
_ls_num_getattr (LsValue v, const char *name, LsValue *out)
{
  gboolean is_int = _ls_is_int (v);
  LsValue plain = ls_value_kind (v) == LS_KIND_BOOL ? ls_int (ls_value_as_bool (v)) : v;

  if (strcmp (name, "real") == 0 || (is_int && strcmp (name, "numerator") == 0))
    *out = ls_value_ref (plain);
  else if (strcmp (name, "imag") == 0)
    *out = is_int ? ls_int (0) : ls_float (0.0);
  else if (is_int && strcmp (name, "denominator") == 0)
    *out = ls_int (1);
  else if (is_int && strcmp (name, "bit_length") == 0)
    *out = ls_builtin_new ("bit_length", int_bit_length, ls_value_ref (v), NULL, NULL);
  else if (strcmp (name, "is_integer") == 0)
    *out = ls_builtin_new ("is_integer", num_is_integer, ls_value_ref (v),
                           (gpointer) (is_int ? "int.is_integer" : "float.is_integer"), NULL);
  else if (strcmp (name, "conjugate") == 0)
    *out = ls_builtin_new ("conjugate", num_conjugate, ls_value_ref (v),
                           (gpointer) (is_int ? "int.conjugate" : "float.conjugate"), NULL);
  else
    {
      *out = ls_exc_newf (&ls_exc_AttributeError, "'%s' object has no attribute '%s'",
                          ls_value_class (v)->name, name);
      return FALSE;
    }
  return TRUE;
}
