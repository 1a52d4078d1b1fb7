/* test-builtins.c - the builtin functions and type objects, checked
 * against CPython 3.12.
 *
 * The builtins are looked up by name in the dict ls_builtins_install
 * fills, as a program finds them, and called with ls_call_kw.  Each check
 * names the Python expression python3.12 evaluated to print the expected
 * repr or error.
 */
#include "ls-test-harness.h"
#include "ls-containers-private.h"

#include <math.h>
#include <stdarg.h>

static LsValue builtins;

static LsValue S (const char *s) { return ls_str_new (s); }
static LsValue I (gint64 i) { return ls_int (i); }
static LsValue F (double d) { return ls_float (d); }

static LsValue
L (guint n, ...)
{
  va_list ap;
  LsValue l = ls_list_new ();
  va_start (ap, n);
  for (guint i = 0; i < n; i++)
    ls_list_append (l, va_arg (ap, LsValue));
  va_end (ap);
  return l;
}

static LsValue
T (guint n, ...)
{
  va_list ap;
  LsValue *items = g_new (LsValue, MAX (n, 1)), t;
  va_start (ap, n);
  for (guint i = 0; i < n; i++)
    items[i] = va_arg (ap, LsValue);
  va_end (ap);
  t = ls_tuple_new (n, items);
  g_free (items);
  return t;
}

static LsValue
builtin (const char *name)
{
  LsValue key = S (name), v;
  g_assert_cmpint (ls_dict_get (builtins, key, &v), ==, 1);
  ls_value_unref (key);
  return v;
}

/* name(*args, **{kw: value}) with args taken; "kw" NULL for none.  Returns
 * whether it succeeded, with the result or the exception in *out. */
static gboolean
call_v (const char *name, const char *kw, LsValue kwvalue, guint n, va_list ap, LsValue *out)
{
  LsValue fn = builtin (name), *args = g_new (LsValue, MAX (n, 1)), kwnames = ls_none ();
  gboolean ok;

  for (guint i = 0; i < n; i++)
    args[i] = va_arg (ap, LsValue);
  if (kw)
    {
      LsValue k = S (kw);
      kwnames = ls_tuple_new (1, &k);
    }
  ok = ls_call_kw (fn, args, n, kwnames, &kwvalue, out);
  for (guint i = 0; i < n; i++)
    ls_value_unref (args[i]);
  ls_value_unref (kwvalue);
  ls_value_unref (kwnames);
  ls_value_unref (fn);
  g_free (args);
  return ok;
}

static void
check_repr (const char *python, gboolean ok, LsValue v, const char *expected)
{
  char *r = ok ? ls_value_repr (v) : ls_exc_format (v);
  if (g_strcmp0 (r, expected) != 0)
    g_test_message ("%s: got %s, CPython gives %s", python, r, expected);
  g_assert_cmpstr (r, ==, expected);
  g_free (r);
  ls_value_unref (v);
}

/* CALL (python, expected, name, nargs, args...): a call without keywords;
 * CALL_KW (python, expected, name, kw, kwvalue, nargs, args...) with one.
 * expected is the repr of the result, or "Type: message" if it raised. */
static void
CALL (const char *python, const char *expected, const char *name, guint n, ...)
{
  va_list ap;
  LsValue out;
  gboolean ok;
  va_start (ap, n);
  ok = call_v (name, NULL, ls_none (), n, ap, &out);
  va_end (ap);
  check_repr (python, ok, out, expected);
}

static void
CALL_KW (const char *python, const char *expected, const char *name, const char *kw, LsValue kwvalue,
         guint n, ...)
{
  va_list ap;
  LsValue out;
  gboolean ok;
  va_start (ap, n);
  ok = call_v (name, kw, kwvalue, n, ap, &out);
  va_end (ap);
  check_repr (python, ok, out, expected);
}

static LsValue
ints (guint n, const gint64 *v)
{
  LsValue l = ls_list_new ();
  for (guint i = 0; i < n; i++)
    ls_list_append (l, ls_int (v[i]));
  return l;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void
test_len_repr_str (void)
{
  CALL ("len([1, 2])", "2", "len", 1, L (2, I (1), I (2)));
  CALL ("len('héllo')", "5", "len", 1, S ("héllo"));
  CALL ("len(1)", "TypeError: object of type 'int' has no len()", "len", 1, I (1));
  CALL ("len()", "TypeError: len() takes exactly one argument (0 given)", "len", 0);
  CALL ("repr('a')", "\"'a'\"", "repr", 1, S ("a"));
  CALL ("str([1, 'a'])", "\"[1, 'a']\"", "str", 1, L (2, I (1), S ("a")));
  CALL ("str()", "''", "str", 0);
  CALL_KW ("len(1, x=2)", "TypeError: len() takes no keyword arguments", "len", "x", I (2), 1, I (1));
}

static void
test_conversions (void)
{
  CALL ("int(' 42 ')", "42", "int", 1, S (" 42 "));
  CALL ("int('-1_000')", "-1000", "int", 1, S ("-1_000"));
  CALL ("int(' 0x1f ', 0)", "31", "int", 2, S (" 0x1f "), I (0));
  CALL ("int('0b101', 2)", "5", "int", 2, S ("0b101"), I (2));
  CALL ("int('ff', 16)", "255", "int", 2, S ("ff"), I (16));
  CALL_KW ("int('z', base=36)", "35", "int", "base", I (36), 1, S ("z"));
  CALL ("int(3.9)", "3", "int", 1, F (3.9));
  CALL ("int(-3.9)", "-3", "int", 1, F (-3.9));
  CALL ("int(True)", "1", "int", 1, ls_bool (TRUE));
  CALL ("int()", "0", "int", 0);
  CALL ("int('abc')", "ValueError: invalid literal for int() with base 10: 'abc'", "int", 1, S ("abc"));
  CALL ("int('010', 0)", "ValueError: invalid literal for int() with base 0: '010'", "int", 2, S ("010"), I (0));
  CALL ("int('_1')", "ValueError: invalid literal for int() with base 10: '_1'", "int", 1, S ("_1"));
  CALL ("int('12', 1)", "ValueError: int() base must be >= 2 and <= 36, or 0", "int", 2, S ("12"), I (1));
  CALL ("int(float('nan'))", "ValueError: cannot convert float NaN to integer", "int", 1, F (NAN));
  CALL ("int([1])", "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'list'",
        "int", 1, L (1, I (1)));
  CALL ("float('1_0.5')", "10.5", "float", 1, S ("1_0.5"));
  CALL ("float(' -inf ')", "-inf", "float", 1, S (" -inf "));
  CALL ("float(3)", "3.0", "float", 1, I (3));
  CALL ("float()", "0.0", "float", 0);
  CALL ("float('0x10')", "ValueError: could not convert string to float: '0x10'", "float", 1, S ("0x10"));
  CALL ("float([1])", "TypeError: float() argument must be a string or a real number, not 'list'", "float", 1,
        L (1, I (1)));
  CALL ("bool([])", "False", "bool", 1, L (0));
  CALL ("bool('x')", "True", "bool", 1, S ("x"));
  CALL ("list('ab')", "['a', 'b']", "list", 1, S ("ab"));
  CALL ("list(1)", "TypeError: 'int' object is not iterable", "list", 1, I (1));
  CALL ("tuple([1, 2])", "(1, 2)", "tuple", 1, L (2, I (1), I (2)));
  CALL ("set([3, 1, 3, 2])", "{1, 2, 3}", "set", 1, L (4, I (3), I (1), I (3), I (2)));
  CALL_KW ("dict([(1, 2), (3, 4)], a=5)", "{1: 2, 3: 4, 'a': 5}", "dict", "a", I (5), 1,
           L (2, T (2, I (1), I (2)), T (2, I (3), I (4))));
  CALL ("range(1, 10, 3)", "range(1, 10, 3)", "range", 3, I (1), I (10), I (3));
  CALL ("range(1.0)", "TypeError: 'float' object cannot be interpreted as an integer", "range", 1, F (1.0));
  CALL ("range(1, 2, 0)", "ValueError: range() arg 3 must not be zero", "range", 3, I (1), I (2), I (0));
  CALL ("hex(255)", "'0xff'", "hex", 1, I (255));
  CALL ("bin(5)", "'0b101'", "bin", 1, I (5));
  CALL ("oct(8)", "'0o10'", "oct", 1, I (8));
  CALL ("hex(1.0)", "TypeError: 'float' object cannot be interpreted as an integer", "hex", 1, F (1.0));
  CALL ("ord('é')", "233", "ord", 1, S ("é"));
  CALL ("ord('ab')", "TypeError: ord() expected a character, but string of length 2 found", "ord", 1, S ("ab"));
  CALL ("ord(1)", "TypeError: ord() expected string of length 1, but int found", "ord", 1, I (1));
  CALL ("chr(233)", "'é'", "chr", 1, I (233));
  CALL ("chr(-1)", "ValueError: chr() arg not in range(0x110000)", "chr", 1, I (-1));
  CALL ("chr('a')", "TypeError: 'str' object cannot be interpreted as an integer", "chr", 1, S ("a"));
}

static LsValue
neg_fn (void)
{
  LsValue key = S ("abs"), v;
  g_assert_cmpint (ls_dict_get (builtins, key, &v), ==, 1);
  ls_value_unref (key);
  return v;
}

static void
test_numbers (void)
{
  static const gint64 v[] = { 3, -7, 5, -1 };

  CALL ("sum([1, 2, 3])", "6", "sum", 1, L (3, I (1), I (2), I (3)));
  CALL ("sum([0.1] * 10)", "1.0", "sum", 1,
        L (10, F (0.1), F (0.1), F (0.1), F (0.1), F (0.1), F (0.1), F (0.1), F (0.1), F (0.1), F (0.1)));
  CALL ("sum([1, 0.1, 0.2])", "1.3", "sum", 1, L (3, I (1), F (0.1), F (0.2)));
  CALL ("sum([1, 2], 10)", "13", "sum", 2, L (2, I (1), I (2)), I (10));
  CALL ("sum([[1], [2]], [])", "[1, 2]", "sum", 2, L (2, L (1, I (1)), L (1, I (2))), L (0));
  CALL ("sum(['a'], '')", "TypeError: sum() can't sum strings [use ''.join(seq) instead]", "sum", 2,
        L (1, S ("a")), S (""));
  CALL ("abs(-2.5)", "2.5", "abs", 1, F (-2.5));
  CALL ("abs(-3)", "3", "abs", 1, I (-3));
  CALL ("abs('a')", "TypeError: bad operand type for abs(): 'str'", "abs", 1, S ("a"));
  CALL ("round(2.5)", "2", "round", 1, F (2.5));
  CALL ("round(3.5)", "4", "round", 1, F (3.5));
  CALL ("round(0.125, 2)", "0.12", "round", 2, F (0.125), I (2));
  CALL ("round(2.675, 2)", "2.67", "round", 2, F (2.675), I (2));
  CALL ("round(1350.0, -2)", "1400.0", "round", 2, F (1350.0), I (-2));
  CALL ("round(-4.0, -2)", "-0.0", "round", 2, F (-4.0), I (-2));
  CALL ("round(1250, -2)", "1200", "round", 2, I (1250), I (-2));
  CALL ("round(1350, -2)", "1400", "round", 2, I (1350), I (-2));
  CALL ("round(1.5, None)", "2", "round", 2, F (1.5), ls_none ());
  CALL ("round('a')", "TypeError: type str doesn't define __round__ method", "round", 1, S ("a"));
  CALL ("divmod(7, -2)", "(-4, -1)", "divmod", 2, I (7), I (-2));
  CALL ("pow(3, 4, 5)", "1", "pow", 3, I (3), I (4), I (5));
  CALL ("pow(2, 10)", "1024", "pow", 2, I (2), I (10));
  CALL ("min(3, -7, 5, -1)", "-7", "min", 4, I (3), I (-7), I (5), I (-1));
  CALL ("max([3, -7, 5, -1])", "5", "max", 1, ints (4, v));
  CALL_KW ("max([3, -7, 5, -1], key=abs)", "-7", "max", "key", neg_fn (), 1, ints (4, v));
  CALL_KW ("min([3, -7, 5, -1], key=abs)", "-1", "min", "key", neg_fn (), 1, ints (4, v));
  CALL_KW ("max([], default=0)", "0", "max", "default", I (0), 1, L (0));
  CALL ("min([])", "ValueError: min() iterable argument is empty", "min", 1, L (0));
  CALL ("min()", "TypeError: min expected at least 1 argument, got 0", "min", 0);
  CALL_KW ("max(1, 2, default=3)", "TypeError: Cannot specify a default for max() with multiple positional arguments",
           "max", "default", I (3), 2, I (1), I (2));
  CALL_KW ("max([1], foo=1)", "TypeError: 'foo' is an invalid keyword argument for max()", "max", "foo", I (1),
           1, L (1, I (1)));
  CALL ("max(['b', 'a', 'c'])", "'c'", "max", 1, L (3, S ("b"), S ("a"), S ("c")));
  CALL ("max([1, 'a'])", "TypeError: '>' not supported between instances of 'str' and 'int'", "max", 1,
        L (2, I (1), S ("a")));
}

static void
test_iteration (void)
{
  LsValue list_type = builtin ("list"), it, out;

  CALL_KW ("sorted([3, 1, 2], reverse=True)", "[3, 2, 1]", "sorted", "reverse", ls_bool (TRUE), 1,
           L (3, I (3), I (1), I (2)));
  CALL_KW ("sorted([3, -7, 5, -1], key=abs)", "[-1, 3, 5, -7]", "sorted", "key", neg_fn (), 1,
           ints (4, (const gint64[]) { 3, -7, 5, -1 }));
  CALL ("sorted('bca')", "['a', 'b', 'c']", "sorted", 1, S ("bca"));
  CALL ("sorted()", "TypeError: sorted expected 1 argument, got 0", "sorted", 0);
  CALL_KW ("sorted([1], foo=1)", "TypeError: 'foo' is an invalid keyword argument for sort()", "sorted", "foo",
           I (1), 1, L (1, I (1)));
  CALL ("any([0, 1])", "True", "any", 1, L (2, I (0), I (1)));
  CALL ("all([1, 0])", "False", "all", 1, L (2, I (1), I (0)));
  CALL ("all([])", "True", "all", 1, L (0));
  CALL ("next(iter([]), None)", "None", "next", 2, ({ LsValue e = L (0); g_assert_true (ls_op_iter (e, &it));
                                                      ls_value_unref (e); it; }), ls_none ());
  CALL ("next([])", "TypeError: 'list' object is not an iterator", "next", 1, L (0));
  CALL ("iter(1)", "TypeError: 'int' object is not iterable", "iter", 1, I (1));
  CALL ("map(len)", "TypeError: map() must have at least two arguments.", "map", 1, neg_fn ());
  CALL ("filter(len)", "TypeError: filter expected 2 arguments, got 1", "filter", 1, neg_fn ());
  CALL ("reversed(1)", "TypeError: 'int' object is not reversible", "reversed", 1, I (1));

  /* list(f(...)) of the iterator builtins */
#define LIST_OF(python, expected, call) \
  G_STMT_START { \
    LsValue _it, _l; \
    g_assert_true (call); \
    g_assert_true (ls_call (list_type, &_it, 1, &_l)); \
    check_repr (python, TRUE, _l, expected); \
    ls_value_unref (_it); \
  } G_STMT_END
  LIST_OF ("list(enumerate('ab', 1))", "[(1, 'a'), (2, 'b')]",
           ({ LsValue fn = builtin ("enumerate"), a[2] = { S ("ab"), I (1) };
              gboolean ok = ls_call (fn, a, 2, &_it); ls_value_unref (a[0]); ls_value_unref (fn); ok; }));
  LIST_OF ("list(zip([1, 2, 3], 'ab'))", "[(1, 'a'), (2, 'b')]",
           ({ LsValue fn = builtin ("zip"), a[2] = { L (3, I (1), I (2), I (3)), S ("ab") };
              gboolean ok = ls_call (fn, a, 2, &_it); ls_value_unref (a[0]); ls_value_unref (a[1]);
              ls_value_unref (fn); ok; }));
  LIST_OF ("list(map(abs, [-1, 2, -3]))", "[1, 2, 3]",
           ({ LsValue fn = builtin ("map"), a[2] = { neg_fn (), ints (3, (const gint64[]) { -1, 2, -3 }) };
              gboolean ok = ls_call (fn, a, 2, &_it); ls_value_unref (a[0]); ls_value_unref (a[1]);
              ls_value_unref (fn); ok; }));
  LIST_OF ("list(filter(None, [0, 1, '', 'a']))", "[1, 'a']",
           ({ LsValue fn = builtin ("filter"), a[2] = { ls_none (), L (4, I (0), I (1), S (""), S ("a")) };
              gboolean ok = ls_call (fn, a, 2, &_it); ls_value_unref (a[1]); ls_value_unref (fn); ok; }));
  LIST_OF ("list(reversed((1, 2, 3)))", "[3, 2, 1]",
           ({ LsValue fn = builtin ("reversed"), a = T (3, I (1), I (2), I (3));
              gboolean ok = ls_call (fn, &a, 1, &_it); ls_value_unref (a); ls_value_unref (fn); ok; }));
  LIST_OF ("list(reversed(range(4)))", "[3, 2, 1, 0]",
           ({ LsValue fn = builtin ("reversed"), r, a = I (4), rt = builtin ("range");
              gboolean ok = ls_call (rt, &a, 1, &r) && ls_call (fn, &r, 1, &_it);
              ls_value_unref (r); ls_value_unref (rt); ls_value_unref (fn); ok; }));
  {
    LsValue fn = builtin ("zip"), a[2] = { L (2, I (1), I (2)), L (1, I (2)) }, kn, kv = ls_bool (TRUE), k = S ("strict"), l;
    kn = ls_tuple_new (1, &k);
    g_assert_true (ls_call_kw (fn, a, 2, kn, &kv, &it));
    check_repr ("list(zip([1, 2], [2], strict=True))", ls_call (list_type, &it, 1, &l), l,
                "ValueError: zip() argument 2 is shorter than argument 1");
    ls_value_unref (it);
    ls_value_unref (kn);
    ls_value_unref (a[0]);
    ls_value_unref (a[1]);
    ls_value_unref (fn);
  }
  (void) out;
  ls_value_unref (list_type);
}

static void
test_types (void)
{
  LsValue type_fn = builtin ("type"), int_type = builtin ("int"), out;
  LsValue one = I (1), exc = ls_exc_newf (&ls_exc_ValueError, "x");

  g_assert_true (ls_call (type_fn, &one, 1, &out));
  g_assert_true (ls_value_identical (out, int_type));
  check_repr ("type(1)", TRUE, out, "<class 'int'>");
  g_assert_true (ls_call (type_fn, &exc, 1, &out));
  check_repr ("type(ValueError('x'))", TRUE, out, "<class 'ValueError'>");
  CALL ("type(True)", "<class 'bool'>", "type", 1, ls_bool (TRUE));
  CALL ("type(None)", "<class 'NoneType'>", "type", 1, ls_none ());
  CALL ("type(range(1))", "<class 'range'>", "type", 1, ({ LsValue a = I (1), r, rt = builtin ("range");
                                                           g_assert_true (ls_call (rt, &a, 1, &r));
                                                           ls_value_unref (rt); r; }));
  CALL ("type(type)", "<class 'type'>", "type", 1, builtin ("type"));
  CALL ("type(1, 2)", "TypeError: type() takes 1 or 3 arguments", "type", 2, I (1), I (2));
  CALL ("isinstance(True, int)", "True", "isinstance", 2, ls_bool (TRUE), builtin ("int"));
  CALL ("isinstance(1, (str, int))", "True", "isinstance", 2, I (1), T (2, builtin ("str"), builtin ("int")));
  CALL ("isinstance('a', (list, tuple))", "False", "isinstance", 2, S ("a"), T (2, builtin ("list"), builtin ("tuple")));
  CALL ("isinstance(ValueError('x'), Exception)", "True", "isinstance", 2, ls_value_ref (exc),
        ls_object (&ls_exc_Exception));
  CALL ("isinstance(ValueError('x'), KeyError)", "False", "isinstance", 2, ls_value_ref (exc),
        ls_object (&ls_exc_KeyError));
  CALL ("isinstance(ValueError, type)", "True", "isinstance", 2, ls_object (&ls_exc_ValueError), builtin ("type"));
  CALL ("isinstance(1, 1)", "TypeError: isinstance() arg 2 must be a type, a tuple of types, or a union",
        "isinstance", 2, I (1), I (1));
  CALL ("hash((1, 2))", "-3550055125485641917", "hash", 1, T (2, I (1), I (2)));
  CALL ("hash(-1)", "-2", "hash", 1, I (-1));
  CALL ("hash([])", "TypeError: unhashable type: 'list'", "hash", 1, L (0));
  CALL ("callable(len)", "True", "callable", 1, builtin ("len"));
  CALL ("callable(ValueError)", "True", "callable", 1, ls_object (&ls_exc_ValueError));
  CALL ("callable(1)", "False", "callable", 1, I (1));
  ls_value_unref (exc);
  ls_value_unref (type_fn);
  ls_value_unref (int_type);
}

static void
test_format (void)
{
  CALL ("format('ab', '>4')", "'  ab'", "format", 2, S ("ab"), S (">4"));
  CALL ("format([1])", "'[1]'", "format", 1, L (1, I (1)));
  CALL ("format(1, 2)", "TypeError: format() argument 2 must be str, not int", "format", 2, I (1), I (2));
}

static const LsTest tests[] = {
  LS_TEST_FUNC ("/engine/builtins/len-repr-str", test_len_repr_str),
  LS_TEST_FUNC ("/engine/builtins/conversions", test_conversions),
  LS_TEST_FUNC ("/engine/builtins/numbers", test_numbers),
  LS_TEST_FUNC ("/engine/builtins/iteration", test_iteration),
  LS_TEST_FUNC ("/engine/builtins/types", test_types),
  LS_TEST_FUNC ("/engine/builtins/format", test_format),
};

int
main (int argc, char **argv)
{
  int r;

  builtins = ls_dict_new ();
  ls_builtins_install (builtins);
  r = ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
  ls_value_unref (builtins);
  return r;
}
