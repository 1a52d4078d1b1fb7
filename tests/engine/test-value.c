/* test-value.c - reprs of the value model, checked against what CPython
 * 3.12 prints for the same values (the expected strings were printed by
 * python3.12: every repr a program shows goes through these functions).
 */
#include "ls-test-harness.h"

#include <math.h>

static void
check_repr (LsValue v, const char *expected)
{
  char *r = ls_value_repr (v);
  g_assert_cmpstr (r, ==, expected);
  g_free (r);
}

static void
check_str (LsValue v, const char *expected)
{
  char *r = ls_value_str (v);
  g_assert_cmpstr (r, ==, expected);
  g_free (r);
}

/* ---- float.__repr__ ------------------------------------------------------ */

static void
test_float_repr (void)
{
  static const struct { double d; const char *repr; } cases[] = {
    { 0.1, "0.1" },
    { 1.0, "1.0" },
    { 1e16, "1e+16" },
    { 1e15, "1000000000000000.0" },
    { 1e-05, "1e-05" },
    { 0.0001, "0.0001" },
    { -0.0, "-0.0" },
    { 0.0, "0.0" },
    { 2.5e-07, "2.5e-07" },
    { 123456789.123, "123456789.123" },
    { 1e22, "1e+22" },
    { 1.5e300, "1.5e+300" },
    { 5e-324, "5e-324" },
    { 0.1 + 0.2, "0.30000000000000004" },
    { 123456789012345678.0, "1.2345678901234568e+17" },
    { 9999999999999998.0, "9999999999999998.0" },
    { 1.7976931348623157e308, "1.7976931348623157e+308" },
    { -1.5, "-1.5" },
    { 100.0, "100.0" },
    { 1e-4 * 3, "0.00030000000000000003" },
    { 9007199254740992.0, "9007199254740992.0" },
    { 0.000123, "0.000123" },
    { 1234567.0, "1234567.0" },
    { 1.0 / 3, "0.3333333333333333" },
    { 86400.1 + 0.3, "86400.40000000001" },
  };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ls_float_repr (cases[i].d, buf);
      g_assert_cmpstr (buf, ==, cases[i].repr);
      check_repr (ls_float (cases[i].d), cases[i].repr);
    }
  ls_float_repr (NAN, buf);
  g_assert_cmpstr (buf, ==, "nan");
  ls_float_repr (INFINITY, buf);
  g_assert_cmpstr (buf, ==, "inf");
  ls_float_repr (-INFINITY, buf);
  g_assert_cmpstr (buf, ==, "-inf");
}

/* ---- str.__repr__ ------------------------------------------------------------- */

static void
check_str_repr (const char *s, const char *expected)
{
  LsValue v = ls_str_new (s);
  check_repr (v, expected);
  check_str (v, s);
  ls_value_unref (v);
}

static void
test_str_repr (void)
{
  check_str_repr ("abc", "'abc'");
  check_str_repr ("", "''");
  check_str_repr ("it's", "\"it's\"");
  check_str_repr ("say \"hi\"", "'say \"hi\"'");
  check_str_repr ("a'b\"c", "'a\\'b\"c'");
  check_str_repr ("a\nb\tc\\", "'a\\nb\\tc\\\\'");
  check_str_repr ("\x01\x7f", "'\\x01\\x7f'");
  check_str_repr ("\xc3\xa9", "'\xc3\xa9'");   /* é is printable */
}

/* ---- immediates, tuples, lists --------------------------------------------- */

static void
test_containers (void)
{
  LsValue items[3], t, l, inner;

  check_repr (ls_none (), "None");
  check_repr (ls_bool (TRUE), "True");
  check_repr (ls_bool (FALSE), "False");
  check_repr (ls_int (-42), "-42");
  check_str (ls_float (2.0), "2.0");

  t = ls_tuple_new (0, NULL);
  check_repr (t, "()");
  ls_value_unref (t);
  items[0] = ls_int (1);
  t = ls_tuple_new (1, items);
  check_repr (t, "(1,)");
  ls_value_unref (t);
  items[0] = ls_int (1);
  items[1] = ls_str_new ("a");
  t = ls_tuple_new (2, items);
  check_repr (t, "(1, 'a')");
  ls_value_unref (t);

  l = ls_list_new ();
  check_repr (l, "[]");
  ls_list_append (l, ls_none ());
  ls_list_append (l, ls_bool (TRUE));
  ls_list_append (l, ls_float (1.5));
  check_repr (l, "[None, True, 1.5]");
  ls_value_unref (l);

  /* ('x', [1, (2,)]) */
  l = ls_list_new ();
  ls_list_append (l, ls_int (1));
  items[0] = ls_int (2);
  ls_list_append (l, ls_tuple_new (1, items));
  items[0] = ls_str_new ("x");
  items[1] = l;
  inner = ls_tuple_new (2, items);
  check_repr (inner, "('x', [1, (2,)])");
  ls_value_unref (inner);

  /* == as Python: 1 == 1.0 == True; equal strings; different kinds */
  g_assert_true (ls_value_equal (ls_int (1), ls_float (1.0)));
  g_assert_true (ls_value_equal (ls_bool (TRUE), ls_int (1)));
  g_assert_false (ls_value_equal (ls_none (), ls_int (0)));
  items[0] = ls_str_new ("same");
  items[1] = ls_str_new ("same");
  g_assert_true (ls_value_equal (items[0], items[1]));
  g_assert_false (ls_value_identical (items[0], items[1]));
  ls_value_unref (items[0]);
  ls_value_unref (items[1]);
}

/* ---- exceptions ------------------------------------------------------------------ */

static void
check_exc (LsValue e, const char *repr, const char *str, const char *format)
{
  char *s;

  check_repr (e, repr);
  check_str (e, str);
  s = ls_exc_format (e);
  g_assert_cmpstr (s, ==, format);
  g_free (s);
  ls_value_unref (e);
}

static void
test_exceptions (void)
{
  LsValue args[2];

  check_exc (ls_exc_new (&ls_exc_CancelledError, 0, NULL), "CancelledError()", "", "asyncio.exceptions.CancelledError");
  args[0] = ls_str_new ("m");
  check_exc (ls_exc_new (&ls_exc_CancelledError, 1, args), "CancelledError('m')", "m", "asyncio.exceptions.CancelledError: m");
  check_exc (ls_exc_newf (&ls_exc_ValueError, "x"), "ValueError('x')", "x", "ValueError: x");
  args[0] = ls_str_new ("a");
  args[1] = ls_int (2);
  check_exc (ls_exc_new (&ls_exc_ValueError, 2, args), "ValueError('a', 2)", "('a', 2)",
             "ValueError: ('a', 2)");
  args[0] = ls_int (1);
  check_exc (ls_exc_new (&ls_exc_ValueError, 1, args), "ValueError(1)", "1", "ValueError: 1");
  args[0] = ls_none ();
  check_exc (ls_exc_new (&ls_exc_ValueError, 1, args), "ValueError(None)", "None", "ValueError: None");

  /* KeyError's str is the repr of its single argument */
  args[0] = ls_str_new ("k");
  check_exc (ls_exc_new (&ls_exc_KeyError, 1, args), "KeyError('k')", "'k'", "KeyError: 'k'");
  args[0] = ls_str_new ("a");
  args[1] = ls_str_new ("b");
  check_exc (ls_exc_new (&ls_exc_KeyError, 2, args), "KeyError('a', 'b')", "('a', 'b')",
             "KeyError: ('a', 'b')");
  check_exc (ls_exc_new (&ls_exc_KeyError, 0, NULL), "KeyError()", "", "KeyError");

  /* exception groups */
  args[0] = ls_exc_newf (&ls_exc_ValueError, "a");
  check_exc (ls_exc_group_new ("eg", 1, args), "ExceptionGroup('eg', [ValueError('a')])",
             "eg (1 sub-exception)", "ExceptionGroup: eg (1 sub-exception)");
  args[0] = ls_exc_newf (&ls_exc_ValueError, "a");
  args[1] = ls_exc_newf (&ls_exc_KeyError, "b");
  check_exc (ls_exc_group_new ("eg", 2, args), "ExceptionGroup('eg', [ValueError('a'), KeyError('b')])",
             "eg (2 sub-exceptions)", "ExceptionGroup: eg (2 sub-exceptions)");
  args[0] = ls_exc_new (&ls_exc_CancelledError, 0, NULL);
  check_exc (ls_exc_group_new ("beg", 1, args), "BaseExceptionGroup('beg', [CancelledError()])",
             "beg (1 sub-exception)", "BaseExceptionGroup: beg (1 sub-exception)");

  /* the hierarchy the scheduler relies on */
  g_assert_false (ls_exc_type_is_subclass (&ls_exc_CancelledError, &ls_exc_Exception));
  g_assert_true (ls_exc_type_is_subclass (&ls_exc_TimeoutError, &ls_exc_OSError));
  g_assert_true (ls_exc_type_is_subclass (&ls_exc_ZeroDivisionError, &ls_exc_ArithmeticError));
  g_assert_true (ls_exc_type_is_subclass (&ls_exc_ExceptionGroup, &ls_exc_BaseExceptionGroup));
  g_assert_true (ls_exc_type_is_subclass (&ls_exc_ExceptionGroup, &ls_exc_Exception));

  /* a class defined at run time */
  {
    LsValue boom = ls_exc_type_new ("Boom", &ls_exc_Exception), e;
    e = ls_exc_newf ((LsExcType *) ls_value_object (boom), "bang");
    ls_value_unref (boom);          /* the instance keeps its type alive */
    g_assert_true (ls_exc_matches (e, &ls_exc_Exception));
    check_exc (e, "Boom('bang')", "bang", "Boom: bang");
  }
}

/* The eight-byte encoding: every kind comes back as it went in, at the
 * edges of each range too, and zeroed memory reads as None. */
static void
test_encoding (void)
{
  static const gint64 ints[] = {
    0, 1, -1, 42, LS_VALUE_INT_MAX, LS_VALUE_INT_MIN,
    LS_VALUE_INT_MAX + 1, LS_VALUE_INT_MIN - 1, G_MAXINT64, G_MININT64,
  };
  static const double floats[] = {
    0.0, -0.0, 1.0, -1.5, 0.1, 1e300, -1e-300, 5e-324, INFINITY, -INFINITY,
  };
  LsValue zero;

  memset (&zero, 0, sizeof zero);
  g_assert_true (ls_is_none (zero));
  g_assert_cmpint (ls_value_kind (zero), ==, LS_KIND_NONE);
  g_assert_cmpuint (sizeof (LsValue), ==, 8);

  g_assert_cmpint (ls_value_kind (ls_bool (TRUE)), ==, LS_KIND_BOOL);
  g_assert_true (ls_value_as_bool (ls_bool (TRUE)));
  g_assert_false (ls_value_as_bool (ls_bool (FALSE)));
  g_assert_false (ls_is_object (ls_bool (FALSE)));

  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      LsValue v = ls_int (ints[i]);
      gboolean boxed = ints[i] > LS_VALUE_INT_MAX || ints[i] < LS_VALUE_INT_MIN;
      char *r = ls_value_repr (v), *expected = g_strdup_printf ("%" G_GINT64_FORMAT, ints[i]);

      g_assert_cmpint (ls_value_kind (v), ==, LS_KIND_INT);
      g_assert_cmpint (ls_value_as_int (v), ==, ints[i]);
      g_assert_cmpint (ls_is_object (v), ==, boxed);
      g_assert_true (ls_value_is (v, &ls_int_class));
      g_assert_cmpstr (r, ==, expected);
      g_assert_true (ls_value_equal (v, ls_float ((double) ints[i])) || boxed);
      g_free (expected);
      g_free (r);
      ls_value_unref (v);
    }

  for (guint i = 0; i < G_N_ELEMENTS (floats); i++)
    {
      LsValue v = ls_float (floats[i]);
      double back = ls_value_as_float (v);
      g_assert_cmpint (ls_value_kind (v), ==, LS_KIND_FLOAT);
      g_assert_false (ls_is_object (v));
      g_assert_cmpmem (&back, sizeof back, &floats[i], sizeof floats[i]);
    }
  g_assert_cmpint (ls_value_kind (ls_float (NAN)), ==, LS_KIND_FLOAT);
  g_assert_true (isnan (ls_value_as_float (ls_float (-NAN))));

  {
    LsValue s = ls_str_new ("x");
    g_assert_cmpint (ls_value_kind (s), ==, LS_KIND_OBJECT);
    g_assert_true (ls_value_as_object (s)->refcount == 1);
    ls_value_unref (ls_value_ref (s));
    g_assert_true (ls_value_as_object (s)->refcount == 1);
    ls_value_unref (s);
  }
}

static const LsTest tests[] = {
  LS_TEST_FUNC ("/engine/value/float-repr", test_float_repr),
  LS_TEST_FUNC ("/engine/value/str-repr", test_str_repr),
  LS_TEST_FUNC ("/engine/value/containers", test_containers),
  LS_TEST_FUNC ("/engine/value/exceptions", test_exceptions),
  LS_TEST_FUNC ("/engine/value/encoding", test_encoding),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
