/* ls-num-private.h - what the numeric types share inside the engine.
 *
 * ints (ls-int.c), floats (ls-float.c), the operator dispatch (ls-ops.c)
 * and formatting (ls-format.c) each need a little of the others: the
 * exact int/float comparison, int -> float conversion with CPython's
 * rounding and errors, the digits of an int in any base.  Conventions are
 * ls-ops.h's: TRUE on success, FALSE with the Python exception in *out or
 * *error.
 */
#pragma once

#include <gmp.h>

#include "ls-ops.h"

G_BEGIN_DECLS

/* An int outside the 48 bits of an immediate.  Results are normalised, so
 * a boxed int never holds a value an immediate could. */
typedef struct {
  LsObject base;
  mpz_t z;
} LsBigInt;

/* TRUE for int and bool values (bool is an int subclass in arithmetic). */
static inline gboolean
_ls_is_int (LsValue v)
{
  LsKind k = ls_value_kind (v);
  return k == LS_KIND_INT || k == LS_KIND_BOOL;
}

static inline gboolean
_ls_is_number (LsValue v)
{
  LsKind k = ls_value_kind (v);
  return k == LS_KIND_INT || k == LS_KIND_BOOL || k == LS_KIND_FLOAT;
}

/* ---- ls-int.c --------------------------------------------------------- */

/* An int from a GMP integer: an immediate when it fits. */
LsValue _ls_int_from_mpz (mpz_srcptr z);
/* Sets out (already initialised) to the value of an int or bool. */
void _ls_int_get_mpz (LsValue v, mpz_ptr out);
/* -1, 0 or 1. */
int _ls_int_sign (LsValue v);
/* float(v), correctly rounded; OverflowError "int too large to convert to
 * float". */
gboolean _ls_int_to_double (LsValue v, double *out, LsValue *error);
/* The exact comparison of an int with a float that is not a NaN. */
int _ls_int_cmp_double (LsValue i, double d);
/* a op b for two ints (or bools): arithmetic, bitwise and comparison
 * operators.  Returns FALSE with *out None for an op ints lack. */
gboolean _ls_int_binary (LsOp op, LsValue a, LsValue b, LsValue *out);
/* -v, +v, ~v: FALSE with *out None for other operators. */
gboolean _ls_int_unary (LsOp op, LsValue a, LsValue *out);
/* The digits of |v| in base 2, 8, 10 or 16 (lower case), newly allocated;
 * *negative says the sign. */
char *_ls_int_digits (LsValue v, int base, gboolean *negative);
/* The number of decimal digits of |v| is over CPython's 4300 limit:
 * ValueError as str(int) raises it. */
gboolean _ls_int_check_str_digits (LsValue v, LsValue *error);
/* hash(int) as CPython computes it (Py_hash_t bits). */
guint64 _ls_int_hash (LsValue v);
/* An int from a float with CPython's int(float) errors. */
gboolean _ls_int_from_double (double d, LsValue *out);

extern const LsTypeSlots _ls_int_ops;

/* ---- ls-float.c --------------------------------------------------------- */

/* A number as a C double; ints convert as float() does. */
gboolean _ls_number_to_double (LsValue v, double *out, LsValue *error);
/* a op b for two floats: + - * / // % ** and the comparisons. */
gboolean _ls_float_binary (LsOp op, double a, double b, LsValue *out);
/* a op b between any two numbers when one is a float. */
gboolean _ls_float_mixed_binary (LsOp op, LsValue a, LsValue b, LsValue *out);
/* hash(float) as CPython's _Py_HashDouble (NaN hashes as 0 here: CPython
 * hashes a NaN by its address). */
guint64 _ls_float_hash (double d);

/* a == b for two numbers, exactly (ls_value_equal's numeric case). */
gboolean _ls_num_equal (LsValue a, LsValue b);

/* The attributes of ints and floats: real, imag, numerator, denominator,
 * conjugate(), bit_length(), is_integer(). */
gboolean _ls_num_getattr (LsValue v, const char *name, LsValue *out);

extern const LsTypeSlots _ls_float_ops;

/* ---- ls-format.c --------------------------------------------------------- */

/* fmt % args for a str fmt: printf-style formatting. */
gboolean _ls_str_percent (LsValue fmt, LsValue args, LsValue *out);

G_END_DECLS
