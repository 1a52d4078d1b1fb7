/* ls-mod-random.c - the random module a scenario may import.
 *
 * Scenarios use random for jitter: random delays handed to asyncio.sleep,
 * a shuffled work list, a random choice of server.  A user compares the
 * run with CPython's, so the numbers must be CPython's numbers for the
 * same seed: the generator is the Mersenne Twister MT19937 (Matsumoto and
 * Nishimura's published reference algorithm), seeded and used exactly as
 * CPython 3.12's Modules/_randommodule.c and Lib/random.py describe:
 *
 *  - seed(n) for an int takes |n| as little-endian 32-bit words (one zero
 *    word for 0) and feeds them to the reference init_by_array; a float
 *    seeds with hash(float), a str with the int whose big-endian bytes are
 *    the UTF-8 text followed by its SHA-512 digest (seed version 2).
 *  - random() is 53 bits from two outputs: (a >> 5, b >> 6) combined as
 *    (a * 2**26 + b) / 2**53.
 *  - getrandbits(k) fills 32-bit words from the least significant up,
 *    the last one keeping the top bits of its output.
 *  - randrange, randint, choice, shuffle and sample all draw through
 *    _randbelow(n): k = n.bit_length(), getrandbits(k) until below n.
 *  - uniform(a, b) is a + (b - a) * random(); choices() without weights
 *    is population[floor(random() * n)].
 *
 * A program that never seeds gets the same numbers on every run: the
 * module's generator starts as seed(0), and seed() or seed(None), which in
 * CPython read the OS's entropy, also mean seed(0) here.  That keeps a
 * run reproducible, and such a run cannot be compared with CPython's
 * anyway.
 *
 * random.Random(seed) makes an independent generator with the same
 * methods; the module's functions are the methods of one hidden instance,
 * as in CPython.
 */
#include "ls-vm-private.h"
#include "ls-num-private.h"
#include "ls-containers-private.h"

#include <math.h>
#include <string.h>

/* MT19937's parameters. */
#define MT_N 624
#define MT_M 397
#define MT_MATRIX_A 0x9908b0dfU
#define MT_UPPER 0x80000000U
#define MT_LOWER 0x7fffffffU

typedef struct {
  LsObject base;
  guint32 mt[MT_N];        /* the state vector */
  guint index;             /* next word of mt to temper; MT_N: regenerate first */
} LsRandom;

/* ---- the generator ---------------------------------------------------------- */

static void
mt_init (LsRandom *r, guint32 s)
{
  r->mt[0] = s;
  for (guint i = 1; i < MT_N; i++)
    r->mt[i] = 1812433253U * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + i;
  r->index = MT_N;
}

/* The reference init_by_array: the key mixed into the state twice over. */
static void
mt_init_by_array (LsRandom *r, const guint32 *key, guint len)
{
  guint i = 1, j = 0, k;

  mt_init (r, 19650218U);
  for (k = MAX (MT_N, len); k; k--)
    {
      r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1664525U)) + key[j] + j;
      i++;
      j++;
      if (i >= MT_N)
        {
          r->mt[0] = r->mt[MT_N - 1];
          i = 1;
        }
      if (j >= len)
        j = 0;
    }
  for (k = MT_N - 1; k; k--)
    {
      r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1566083941U)) - i;
      i++;
      if (i >= MT_N)
        {
          r->mt[0] = r->mt[MT_N - 1];
          i = 1;
        }
    }
  r->mt[0] = 0x80000000U;   /* a non-zero state, whatever the key */
  r->index = MT_N;
}

/* The next 32-bit output. */
static guint32
mt_next (LsRandom *r)
{
  guint32 y;

  if (r->index >= MT_N)
    {
      guint kk;
      for (kk = 0; kk < MT_N - MT_M; kk++)
        {
          y = (r->mt[kk] & MT_UPPER) | (r->mt[kk + 1] & MT_LOWER);
          r->mt[kk] = r->mt[kk + MT_M] ^ (y >> 1) ^ ((y & 1) ? MT_MATRIX_A : 0);
        }
      for (; kk < MT_N - 1; kk++)
        {
          y = (r->mt[kk] & MT_UPPER) | (r->mt[kk + 1] & MT_LOWER);
          r->mt[kk] = r->mt[kk + MT_M - MT_N] ^ (y >> 1) ^ ((y & 1) ? MT_MATRIX_A : 0);
        }
      y = (r->mt[MT_N - 1] & MT_UPPER) | (r->mt[0] & MT_LOWER);
      r->mt[MT_N - 1] = r->mt[MT_M - 1] ^ (y >> 1) ^ ((y & 1) ? MT_MATRIX_A : 0);
      r->index = 0;
    }
  y = r->mt[r->index++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  return y;
}

/* random(): 53 random bits as a float in [0, 1). */
static double
mt_random (LsRandom *r)
{
  guint32 a = mt_next (r) >> 5, b = mt_next (r) >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

/* getrandbits(k) for 0 < k <= 64. */
static guint64
mt_bits64 (LsRandom *r, guint k)
{
  guint64 lo, hi;

  if (k <= 32)
    return mt_next (r) >> (32 - k);
  lo = mt_next (r);
  hi = mt_next (r) >> (64 - k);
  return lo | (hi << 32);
}

/* getrandbits(k) for any k > 0, into z (initialised). */
static void
mt_bits_mpz (LsRandom *r, guint64 k, mpz_ptr z)
{
  guint64 nwords = (k - 1) / 32 + 1;
  guint32 *words = g_new (guint32, nwords);

  for (guint64 i = 0; i < nwords; i++, k -= 32)
    {
      guint32 w = mt_next (r);
      if (k < 32)
        w >>= 32 - k;
      words[i] = w;
    }
  mpz_import (z, nwords, -1, sizeof (guint32), 0, 0, words);
  g_free (words);
}

/* _randbelow_with_getrandbits(n) for 0 < n < 2**63. */
static guint64
mt_below64 (LsRandom *r, guint64 n)
{
  guint k = 64 - __builtin_clzll (n);
  guint64 v;

  do
    v = mt_bits64 (r, k);
  while (v >= n);
  return v;
}

/* The same for any n > 0: the result into out (initialised). */
static void
mt_below_mpz (LsRandom *r, mpz_srcptr n, mpz_ptr out)
{
  guint64 k = mpz_sizeinbase (n, 2);

  do
    mt_bits_mpz (r, k, out);
  while (mpz_cmp (out, n) >= 0);
}

/* ---- seeding ---------------------------------------------------------------- */

/* random_seed in _randommodule.c: |n|'s 32-bit words, least significant
 * first, and one zero word for 0. */
static void
seed_from_mpz (LsRandom *r, mpz_srcptr n)
{
  gsize count = 0;
  guint32 *key;
  mpz_t a;

  mpz_init (a);
  mpz_abs (a, n);
  key = g_new0 (guint32, mpz_sizeinbase (a, 2) / 32 + 2);
  if (mpz_sgn (a) != 0)
    mpz_export (key, &count, -1, sizeof (guint32), 0, 0, a);
  mt_init_by_array (r, key, MAX (count, 1));
  g_free (key);
  mpz_clear (a);
}

static gboolean
random_seed_value (LsRandom *r, LsValue a, LsValue *error)
{
  mpz_t n;

  mpz_init (n);
  if (ls_is_none (a))
    ;                       /* deterministic: seed(None) is seed(0) */
  else if (_ls_is_int (a))
    _ls_int_get_mpz (a, n);
  else if (ls_value_kind (a) == LS_KIND_FLOAT)
    {
      /* n = (size_t) hash(a) */
      guint64 h = _ls_float_hash (ls_value_as_float (a));
      mpz_import (n, 1, -1, sizeof h, 0, 0, &h);
    }
  else if (ls_value_is (a, &ls_str_class))
    {
      /* Version 2: int.from_bytes(a.encode() + sha512(a.encode()).digest()) */
      const char *text = ls_str_get (a);
      gsize len = strlen (text), dlen = 64;
      guint8 *bytes = g_malloc (len + dlen);
      GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA512);

      memcpy (bytes, text, len);
      g_checksum_update (sum, (const guchar *) text, len);
      g_checksum_get_digest (sum, bytes + len, &dlen);
      g_checksum_free (sum);
      mpz_import (n, len + dlen, 1, 1, 0, 0, bytes);
      g_free (bytes);
    }
  else
    {
      mpz_clear (n);
      *error = ls_exc_newf (&ls_exc_TypeError, "The only supported seed types are: None,\n"
                            "int, float, str, bytes, and bytearray.");
      return FALSE;
    }
  seed_from_mpz (r, n);
  mpz_clear (n);
  return TRUE;
}

/* ---- arguments -------------------------------------------------------------- */

/* Binds a call to parameters names[0..nparams) of which the first npos
 * may be given by position and the first nreq are required; slots keep
 * the caller's defaults for the others.  Messages are CPython's for a
 * method of Random (which count self). */
static gboolean
bind (const char *fname, const char *const *names, guint nparams, guint npos, guint nreq,
      const LsValue *args, guint nargs, LsValue kwnames, const LsValue *kwvalues,
      LsValue *slots, LsValue *error)
{
  LsTuple *kw = ls_is_none (kwnames) ? NULL : (LsTuple *) ls_value_as_object (kwnames);
  gboolean given[8] = { FALSE };

  if (nargs > npos)
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "Random.%s() takes %u positional argument%s but %u %s given",
                            fname, npos + 1, npos ? "s" : "", nargs + 1, nargs ? "were" : "was");
      return FALSE;
    }
  for (guint i = 0; i < nargs; i++)
    {
      slots[i] = args[i];
      given[i] = TRUE;
    }
  for (guint i = 0; kw && i < kw->len; i++)
    {
      const char *name = ls_str_get (kw->items[i]);
      guint p;
      for (p = 0; p < nparams; p++)
        if (strcmp (names[p], name) == 0)
          break;
      if (p == nparams)
        {
          *error = ls_exc_newf (&ls_exc_TypeError, "Random.%s() got an unexpected keyword argument '%s'",
                                fname, name);
          return FALSE;
        }
      if (given[p])
        {
          *error = ls_exc_newf (&ls_exc_TypeError, "Random.%s() got multiple values for argument '%s'",
                                fname, name);
          return FALSE;
        }
      slots[p] = kwvalues[i];
      given[p] = TRUE;
    }
  for (guint p = 0; p < nreq; p++)
    if (!given[p])
      {
        GString *missing = g_string_new (NULL);
        guint count = 0;
        for (guint q = p; q < nreq; q++)
          if (!given[q])
            count++;
        for (guint q = p, seen = 0; q < nreq; q++)
          if (!given[q])
            {
              seen++;
              g_string_append_printf (missing, "%s'%s'",
                                      seen == 1 ? "" : seen == count ? (count > 2 ? ", and " : " and ") : ", ",
                                      names[q]);
            }
        *error = ls_exc_newf (&ls_exc_TypeError, "Random.%s() missing %u required positional argument%s: %s",
                              fname, count, count == 1 ? "" : "s", missing->str);
        g_string_free (missing, TRUE);
        return FALSE;
      }
  return TRUE;
}

static gboolean
no_args (const char *fname, guint nargs, LsValue kwnames, LsValue *error)
{
  if (!ls_is_none (kwnames))
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "Random.%s() takes no keyword arguments", fname);
      return FALSE;
    }
  if (nargs)
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "Random.%s() takes no arguments (%u given)", fname, nargs);
      return FALSE;
    }
  return TRUE;
}

/* operator.index(v) into z: ints and bools only. */
static gboolean
index_mpz (LsValue v, mpz_ptr z, LsValue *error)
{
  if (!_ls_is_int (v))
    {
      *error = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                            ls_value_class (v)->name);
      return FALSE;
    }
  _ls_int_get_mpz (v, z);
  return TRUE;
}

/* An immediate int (48 bits) or a bool: arithmetic on it cannot overflow. */
static gboolean
small_int (LsValue v, gint64 *out)
{
  if (ls_value_kind (v) == LS_KIND_BOOL)
    *out = ls_value_as_bool (v);
  else if ((v.bits >> 48) == 0xffff)
    *out = ls_value_as_int (v);
  else
    return FALSE;
  return TRUE;
}

static LsRandom *
gen_of (LsValue self)
{
  return (LsRandom *) ls_value_as_object (self);
}

/* A new list of the items of a str, list, tuple or range. */
static gboolean
sequence_items (LsValue seq, LsValue *list, LsValue *error)
{
  LsValue it, item;
  int got;

  if (!ls_op_iter (seq, &it))
    {
      *error = it;
      return FALSE;
    }
  *list = ls_list_new ();
  while ((got = ls_op_next (it, &item)) == 1)
    ls_list_append (*list, item);
  ls_value_unref (it);
  if (got < 0)
    {
      ls_value_unref (*list);
      *error = item;
      return FALSE;
    }
  ls_value_unref (item);
  return TRUE;
}

static gboolean
is_sequence (LsValue v)
{
  return ls_value_is (v, &ls_list_class) || ls_value_is (v, &ls_tuple_class)
    || ls_value_is (v, &ls_str_class) || ls_value_is (v, &_ls_range_class);
}

/* ---- the methods ------------------------------------------------------------ */

#define METHOD(name) \
  static gboolean name (LsValue self, gpointer data, const LsValue *args, guint nargs, \
                        LsValue kwnames, const LsValue *kwvalues, LsValue *result)

/* seed(a=None, version=2) */
METHOD (random_seed)
{
  static const char *const names[] = { "a", "version" };
  LsValue a[2] = { ls_none (), ls_int (2) };

  if (!bind ("seed", names, 2, 2, 0, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!random_seed_value (gen_of (self), a[0], result))
    return FALSE;
  *result = ls_none ();
  return TRUE;
}

/* random() */
METHOD (random_random)
{
  if (!no_args ("random", nargs, kwnames, result))
    return FALSE;
  *result = ls_float (mt_random (gen_of (self)));
  return TRUE;
}

/* getrandbits(k) */
METHOD (random_getrandbits)
{
  static const char *const names[] = { "k" };
  LsValue a[1] = { ls_none () };
  gint64 k;

  if (!bind ("getrandbits", names, 1, 1, 1, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!_ls_is_int (a[0]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                             ls_value_class (a[0])->name);
      return FALSE;
    }
  if (!ls_int_fits_int64 (a[0], &k) || k > G_MAXUINT32 * (gint64) 32)
    {
      *result = ls_exc_newf (&ls_exc_OverflowError, "Python int too large to convert to C int");
      return FALSE;
    }
  if (k < 0)
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "number of bits must be non-negative");
      return FALSE;
    }
  if (k == 0)
    *result = ls_int (0);
  else if (k <= 63)
    *result = ls_int ((gint64) mt_bits64 (gen_of (self), (guint) k));
  else
    {
      mpz_t z;
      mpz_init (z);
      mt_bits_mpz (gen_of (self), (guint64) k, z);
      *result = _ls_int_from_mpz (z);
      mpz_clear (z);
    }
  return TRUE;
}

/* _randbelow(n) for an int n > 0, as an int. */
static LsValue
randbelow_value (LsRandom *r, LsValue n)
{
  gint64 small;
  mpz_t z, out;
  LsValue v;

  if (small_int (n, &small))
    return ls_int ((gint64) mt_below64 (r, (guint64) small));
  mpz_init (z);
  mpz_init (out);
  _ls_int_get_mpz (n, z);
  mt_below_mpz (r, z, out);
  v = _ls_int_from_mpz (out);
  mpz_clear (z);
  mpz_clear (out);
  return v;
}

/* randrange(start, stop=None, step=1), with its arguments' str() in the
 * messages as CPython's f-strings put them. */
static gboolean
randrange (LsRandom *r, LsValue start, LsValue stop, LsValue step, gboolean step_given,
           LsValue *result)
{
  gint64 s0, s1, st;
  mpz_t istart, istop, istep, width, n, pick;
  gboolean ok = FALSE;
  char *a = NULL, *b = NULL, *c = NULL;

  if (small_int (start, &s0) && (ls_is_none (stop) || small_int (stop, &s1)) && small_int (step, &st)
      && (ls_is_none (stop) || st == 1))
    {
      /* The common calls: randrange(n), randrange(a, b), randint(a, b). */
      if (ls_is_none (stop))
        {
          if (step_given)
            goto missing_stop;
          if (s0 > 0)
            {
              *result = ls_int ((gint64) mt_below64 (r, (guint64) s0));
              return TRUE;
            }
          *result = ls_exc_newf (&ls_exc_ValueError, "empty range for randrange()");
          return FALSE;
        }
      if (s1 - s0 > 0)
        {
          *result = ls_int (s0 + (gint64) mt_below64 (r, (guint64) (s1 - s0)));
          return TRUE;
        }
    }

  mpz_inits (istart, istop, istep, width, n, pick, NULL);
  if (!index_mpz (start, istart, result))
    goto out;
  if (ls_is_none (stop))
    {
      if (step_given)
        {
          mpz_clears (istart, istop, istep, width, n, pick, NULL);
          goto missing_stop;
        }
      if (mpz_sgn (istart) > 0)
        {
          *result = randbelow_value (r, start);
          ok = TRUE;
        }
      else
        *result = ls_exc_newf (&ls_exc_ValueError, "empty range for randrange()");
      goto out;
    }
  if (!index_mpz (stop, istop, result))
    goto out;
  mpz_sub (width, istop, istart);
  if (!index_mpz (step, istep, result))
    goto out;
  a = ls_value_str (start);
  b = ls_value_str (stop);
  if (mpz_cmp_si (istep, 1) == 0)
    {
      if (mpz_sgn (width) > 0)
        {
          mt_below_mpz (r, width, pick);
          mpz_add (pick, pick, istart);
          *result = _ls_int_from_mpz (pick);
          ok = TRUE;
        }
      else
        *result = ls_exc_newf (&ls_exc_ValueError, "empty range in randrange(%s, %s)", a, b);
      goto out;
    }
  c = ls_value_str (step);
  if (mpz_sgn (istep) > 0)
    {
      mpz_add (n, width, istep);
      mpz_sub_ui (n, n, 1);
    }
  else if (mpz_sgn (istep) < 0)
    {
      mpz_add (n, width, istep);
      mpz_add_ui (n, n, 1);
    }
  else
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "zero step for randrange()");
      goto out;
    }
  mpz_fdiv_q (n, n, istep);
  if (mpz_sgn (n) <= 0)
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "empty range in randrange(%s, %s, %s)", a, b, c);
      goto out;
    }
  mt_below_mpz (r, n, pick);
  mpz_mul (pick, pick, istep);
  mpz_add (pick, pick, istart);
  *result = _ls_int_from_mpz (pick);
  ok = TRUE;

out:
  g_free (a);
  g_free (b);
  g_free (c);
  mpz_clears (istart, istop, istep, width, n, pick, NULL);
  return ok;

missing_stop:
  *result = ls_exc_newf (&ls_exc_TypeError, "Missing a non-None stop argument");
  return FALSE;
}

/* randrange(start, stop=None, step=1) */
METHOD (random_randrange)
{
  static const char *const names[] = { "start", "stop", "step" };
  LsValue a[3] = { ls_none (), ls_none (), ls_int (1) };
  LsTuple *kw = ls_is_none (kwnames) ? NULL : (LsTuple *) ls_value_as_object (kwnames);
  gboolean step_given = nargs >= 3;

  if (!bind ("randrange", names, 3, 3, 1, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  for (guint i = 0; kw && i < kw->len; i++)
    if (strcmp (ls_str_get (kw->items[i]), "step") == 0)
      step_given = TRUE;
  return randrange (gen_of (self), a[0], a[1], a[2], step_given, result);
}

/* randint(a, b): randrange(a, b + 1) */
METHOD (random_randint)
{
  static const char *const names[] = { "a", "b" };
  LsValue a[2] = { ls_none (), ls_none () }, stop;
  gboolean ok;

  if (!bind ("randint", names, 2, 2, 2, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!ls_op_binary (LS_OP_ADD, a[1], ls_int (1), &stop))
    {
      *result = stop;
      return FALSE;
    }
  ok = randrange (gen_of (self), a[0], stop, ls_int (1), FALSE, result);
  ls_value_unref (stop);
  return ok;
}

/* uniform(a, b): a + (b - a) * random(), with Python's arithmetic */
METHOD (random_uniform)
{
  static const char *const names[] = { "a", "b" };
  LsValue a[2] = { ls_none (), ls_none () }, diff, scaled;
  gboolean ok;

  if (!bind ("uniform", names, 2, 2, 2, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!ls_op_binary (LS_OP_SUB, a[1], a[0], &diff))
    {
      *result = diff;
      return FALSE;
    }
  ok = ls_op_binary (LS_OP_MUL, diff, ls_float (mt_random (gen_of (self))), &scaled);
  ls_value_unref (diff);
  if (!ok)
    {
      *result = scaled;
      return FALSE;
    }
  ok = ls_op_binary (LS_OP_ADD, a[0], scaled, result);
  ls_value_unref (scaled);
  return ok;
}

/* expovariate(lambd=1.0): -log(1.0 - random()) / lambd */
METHOD (random_expovariate)
{
  static const char *const names[] = { "lambd" };
  LsValue a[1] = { ls_float (1.0) };
  double lambd;

  if (!bind ("expovariate", names, 1, 1, 0, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!_ls_number_to_double (a[0], &lambd, result))
    return FALSE;
  if (lambd == 0.0)
    {
      mt_random (gen_of (self));
      *result = ls_exc_newf (&ls_exc_ZeroDivisionError, "float division by zero");
      return FALSE;
    }
  *result = ls_float (-log (1.0 - mt_random (gen_of (self))) / lambd);
  return TRUE;
}

/* choice(seq): seq[_randbelow(len(seq))] */
METHOD (random_choice)
{
  static const char *const names[] = { "seq" };
  LsValue a[1] = { ls_none () }, idx;
  gint64 len;
  gboolean ok;

  if (!bind ("choice", names, 1, 1, 1, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!ls_op_len (a[0], &len, result))
    return FALSE;
  if (len == 0)
    {
      *result = ls_exc_newf (&ls_exc_IndexError, "Cannot choose from an empty sequence");
      return FALSE;
    }
  idx = ls_int ((gint64) mt_below64 (gen_of (self), (guint64) len));
  ok = ls_op_getitem (a[0], idx, result);
  ls_value_unref (idx);
  return ok;
}

/* shuffle(x): for i in reversed(range(1, len(x))): swap x[i], x[randbelow(i + 1)] */
METHOD (random_shuffle)
{
  static const char *const names[] = { "x" };
  LsValue a[1] = { ls_none () };
  gint64 len;

  if (!bind ("shuffle", names, 1, 1, 1, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!ls_op_len (a[0], &len, result))
    return FALSE;
  for (gint64 i = len - 1; i >= 1; i--)
    {
      LsValue ki = ls_int (i), kj = ls_int ((gint64) mt_below64 (gen_of (self), (guint64) i + 1));
      LsValue vi, vj;
      if (!ls_op_getitem (a[0], kj, &vj))
        {
          *result = vj;
          return FALSE;
        }
      if (!ls_op_getitem (a[0], ki, &vi))
        {
          ls_value_unref (vj);
          *result = vi;
          return FALSE;
        }
      if (!ls_op_setitem (a[0], ki, vj, result) || !ls_op_setitem (a[0], kj, vi, result))
        {
          ls_value_unref (vi);
          ls_value_unref (vj);
          return FALSE;
        }
      ls_value_unref (vi);
      ls_value_unref (vj);
    }
  *result = ls_none ();
  return TRUE;
}

/* sample(population, k, *, counts=None), without counts. */
METHOD (random_sample)
{
  static const char *const names[] = { "population", "k", "counts" };
  LsValue a[3] = { ls_none (), ls_none (), ls_none () }, out;
  LsRandom *r = gen_of (self);
  gint64 n, k, setsize = 21;

  if (!bind ("sample", names, 3, 2, 2, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!ls_is_none (a[2]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "sample() with counts is not supported");
      return FALSE;
    }
  if (!is_sequence (a[0]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "Population must be a sequence.  "
                             "For dicts or sets, use sorted(d).");
      return FALSE;
    }
  if (!ls_op_len (a[0], &n, result))
    return FALSE;
  if (!_ls_is_int (a[1]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "can't multiply sequence by non-int of type '%s'",
                             ls_value_class (a[1])->name);
      return FALSE;
    }
  if (!ls_int_fits_int64 (a[1], &k) || k < 0 || k > n)
    {
      *result = ls_exc_newf (&ls_exc_ValueError, "Sample larger than population or is negative");
      return FALSE;
    }
  if (k > 5)
    setsize += (gint64) pow (4.0, ceil (log ((double) (k * 3)) / log (4.0)));
  out = ls_list_new ();
  if (n <= setsize)
    {
      /* An n-length pool; the non-selected stay at pool[0 : n - i]. */
      LsValue pool;
      if (!sequence_items (a[0], &pool, result))
        {
          ls_value_unref (out);
          return FALSE;
        }
      for (gint64 i = 0; i < k; i++)
        {
          LsValue *items = (LsValue *) ((LsList *) ls_value_as_object (pool))->items->data;
          guint64 j = mt_below64 (r, (guint64) (n - i));
          ls_list_append (out, ls_value_ref (items[j]));
          ls_value_set (&items[j], ls_value_ref (items[n - i - 1]));
        }
      ls_value_unref (pool);
    }
  else
    {
      /* A set of the indexes selected so far. */
      GHashTable *selected = g_hash_table_new (g_int64_hash, g_int64_equal);
      gint64 *picks = g_new (gint64, MAX (k, 1));
      for (gint64 i = 0; i < k; i++)
        {
          LsValue item, idx;
          gint64 j;
          do
            j = (gint64) mt_below64 (r, (guint64) n);
          while (g_hash_table_contains (selected, &j));
          picks[i] = j;
          g_hash_table_add (selected, &picks[i]);
          idx = ls_int (j);
          if (!ls_op_getitem (a[0], idx, &item))
            {
              g_hash_table_destroy (selected);
              g_free (picks);
              ls_value_unref (out);
              *result = item;
              return FALSE;
            }
          ls_list_append (out, item);
        }
      g_hash_table_destroy (selected);
      g_free (picks);
    }
  *result = out;
  return TRUE;
}

/* choices(population, weights=None, *, cum_weights=None, k=1) */
METHOD (random_choices)
{
  static const char *const names[] = { "population", "weights", "cum_weights", "k" };
  LsValue a[4] = { ls_none (), ls_none (), ls_none (), ls_int (1) }, out, weights;
  LsRandom *r = gen_of (self);
  gint64 n, k;
  double *cum = NULL, total;

  if (nargs > 2)
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "Random.choices() takes from 2 to 3 positional "
                             "arguments but %u were given", nargs + 1);
      return FALSE;
    }
  if (!bind ("choices", names, 4, 2, 1, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  if (!ls_op_len (a[0], &n, result))
    return FALSE;
  if (!_ls_is_int (a[3]) || !ls_int_fits_int64 (a[3], &k))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                             ls_value_class (a[3])->name);
      return FALSE;
    }
  if (!ls_is_none (a[1]) && !ls_is_none (a[2]))
    {
      *result = ls_exc_newf (&ls_exc_TypeError, "Cannot specify both weights and cumulative weights");
      return FALSE;
    }
  weights = ls_is_none (a[2]) ? a[1] : a[2];
  if (!ls_is_none (weights))
    {
      /* cum_weights = list(accumulate(weights)), as floats: exact for the
       * weights a scenario gives (ints below 2**53, or floats). */
      LsValue list;
      guint len;
      if (!sequence_items (weights, &list, result))
        return FALSE;
      len = ls_list_len (list);
      if ((gint64) len != n)
        {
          ls_value_unref (list);
          *result = ls_exc_newf (&ls_exc_ValueError, "The number of weights does not match the population");
          return FALSE;
        }
      cum = g_new (double, MAX (len, 1));
      for (guint i = 0; i < len; i++)
        {
          double w;
          if (!_ls_number_to_double (ls_list_get (list, i), &w, result))
            {
              ls_value_unref (list);
              g_free (cum);
              return FALSE;
            }
          cum[i] = ls_is_none (a[2]) && i > 0 ? cum[i - 1] + w : w;
        }
      ls_value_unref (list);
      total = n ? cum[n - 1] + 0.0 : 0.0;
      if (total <= 0.0)
        {
          g_free (cum);
          *result = ls_exc_newf (&ls_exc_ValueError, "Total of weights must be greater than zero");
          return FALSE;
        }
      if (!isfinite (total))
        {
          g_free (cum);
          *result = ls_exc_newf (&ls_exc_ValueError, "Total of weights must be finite");
          return FALSE;
        }
    }
  out = ls_list_new ();
  for (gint64 i = 0; i < k; i++)
    {
      LsValue idx, item;
      gint64 j;
      if (!cum)
        {
          if (n == 0)
            {
              ls_value_unref (out);
              *result = ls_exc_newf (&ls_exc_IndexError, "list index out of range");
              return FALSE;
            }
          j = (gint64) floor (mt_random (r) * (double) n);
        }
      else
        {
          /* bisect_right(cum_weights, random() * total, 0, n - 1) */
          double x = mt_random (r) * total;
          gint64 lo = 0, hi = n - 1;
          while (lo < hi)
            {
              gint64 mid = (lo + hi) / 2;
              if (x < cum[mid])
                hi = mid;
              else
                lo = mid + 1;
            }
          j = lo;
        }
      idx = ls_int (j);
      if (!ls_op_getitem (a[0], idx, &item))
        {
          g_free (cum);
          ls_value_unref (out);
          *result = item;
          return FALSE;
        }
      ls_list_append (out, item);
    }
  g_free (cum);
  *result = out;
  return TRUE;
}

typedef struct {
  const char *name;
  LsBuiltinKwFn fn;
} Method;

static const Method random_methods[] = {
  { "seed", random_seed },
  { "random", random_random },
  { "getrandbits", random_getrandbits },
  { "randrange", random_randrange },
  { "randint", random_randint },
  { "uniform", random_uniform },
  { "expovariate", random_expovariate },
  { "choice", random_choice },
  { "choices", random_choices },
  { "shuffle", random_shuffle },
  { "sample", random_sample },
  { NULL, NULL }
};

static gboolean
random_getattr (LsObject *self, const char *name, LsValue *out)
{
  for (const Method *m = random_methods; m->name; m++)
    if (strcmp (m->name, name) == 0)
      {
        *out = ls_builtin_new_kw (m->name, m->fn, ls_value_ref (ls_object (self)), NULL, NULL);
        return TRUE;
      }
  *out = ls_exc_newf (&ls_exc_AttributeError, "'Random' object has no attribute '%s'", name);
  return FALSE;
}

static char *
random_repr (LsObject *self)
{
  return g_strdup_printf ("<random.Random object at %p>", (void *) self);
}

static const LsTypeSlots random_slots = { .getattr = random_getattr };

static const LsClass random_class = {
  .name = "Random",
  .repr = random_repr,
  .size = sizeof (LsRandom),
  .ops = &random_slots,
};

/* Random(x=None) */
static gboolean
random_new (LsValue self, gpointer data, const LsValue *args, guint nargs,
            LsValue kwnames, const LsValue *kwvalues, LsValue *result)
{
  static const char *const names[] = { "x" };
  LsValue a[1] = { ls_none () };
  LsRandom *r;

  if (!bind ("__init__", names, 1, 1, 0, args, nargs, kwnames, kwvalues, a, result))
    return FALSE;
  r = ls_object_alloc (&random_class, sizeof (LsRandom));
  if (!random_seed_value (r, a[0], result))
    {
      ls_object_unref (r);
      return FALSE;
    }
  *result = ls_object (r);
  return TRUE;
}

LsValue
_ls_mod_random_new (LsVm *vm)
{
  LsValue m = _ls_module_new ("random"), err;
  LsRandom *inst = ls_object_alloc (&random_class, sizeof (LsRandom));

  if (!random_seed_value (inst, ls_none (), &err))
    ls_value_unref (err);
  for (const Method *meth = random_methods; meth->name; meth++)
    _ls_module_add (m, meth->name,
                    ls_builtin_new_kw (meth->name, meth->fn, ls_value_ref (ls_object (inst)), NULL, NULL));
  _ls_module_add (m, "Random", ls_builtin_new_kw ("Random", random_new, ls_none (), NULL, NULL));
  ls_object_unref (inst);
  return m;
}
