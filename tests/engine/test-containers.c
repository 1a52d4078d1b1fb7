/* test-containers.c - str, list, tuple, dict, set and range as a program
 * sees them, checked against CPython 3.12.
 *
 * Each check names the Python expression it stands for and the repr
 * python3.12 printed for it (regen: every CHECK line's first argument
 * was evaluated by python3.12, see ls_check below); the C side builds the
 * same values and runs them through ls-ops.h and the methods.
 */
#include "ls-test-harness.h"
#include "ls-containers-private.h"

#include <stdarg.h>

/* ---- building values ------------------------------------------------------------- */

static LsValue
S (const char *s)
{
  return ls_str_new (s);
}

static LsValue
I (gint64 i)
{
  return ls_int (i);
}

/* A list or tuple of n values, taken. */
static LsValue
seq (gboolean tuple, guint n, va_list ap)
{
  LsValue *items = g_new (LsValue, MAX (n, 1)), out;
  for (guint i = 0; i < n; i++)
    items[i] = va_arg (ap, LsValue);
  out = tuple ? ls_tuple_new (n, items) : ls_list_new_from (n, items);
  g_free (items);
  return out;
}

static LsValue
L (guint n, ...)
{
  va_list ap;
  LsValue v;
  va_start (ap, n);
  v = seq (FALSE, n, ap);
  va_end (ap);
  return v;
}

static LsValue
T (guint n, ...)
{
  va_list ap;
  LsValue v;
  va_start (ap, n);
  v = seq (TRUE, n, ap);
  va_end (ap);
  return v;
}

static LsValue
ints_list (guint n, const gint64 *v)
{
  LsValue l = ls_list_new ();
  for (guint i = 0; i < n; i++)
    ls_list_append (l, ls_int (v[i]));
  return l;
}

static LsValue
ints_set (guint n, const gint64 *v)
{
  LsValue s = ls_set_new (), err;
  for (guint i = 0; i < n; i++)
    g_assert_true (ls_set_add (s, ls_int (v[i]), &err));
  return s;
}

/* obj.name(*args), args taken; the call must succeed. */
static LsValue
M (LsValue obj, const char *name, guint n, ...)
{
  va_list ap;
  LsValue *args = g_new (LsValue, MAX (n, 1)), fn, out;
  gboolean ok;

  va_start (ap, n);
  for (guint i = 0; i < n; i++)
    args[i] = va_arg (ap, LsValue);
  va_end (ap);
  g_assert_true (ls_op_getattr (obj, name, &fn));
  ok = ls_call (fn, args, n, &out);
  if (!ok)
    {
      char *e = ls_exc_format (out);
      g_test_message ("%s() raised %s", name, e);
      g_free (e);
    }
  g_assert_true (ok);
  ls_value_unref (fn);
  for (guint i = 0; i < n; i++)
    ls_value_unref (args[i]);
  g_free (args);
  return out;
}

/* obj.name(*args) that must raise; returns "Type: message". */
static char *
M_err (LsValue obj, const char *name, guint n, ...)
{
  va_list ap;
  LsValue *args = g_new (LsValue, MAX (n, 1)), fn, out;
  char *text;

  va_start (ap, n);
  for (guint i = 0; i < n; i++)
    args[i] = va_arg (ap, LsValue);
  va_end (ap);
  g_assert_true (ls_op_getattr (obj, name, &fn));
  g_assert_false (ls_call (fn, args, n, &out));
  text = ls_exc_format (out);
  ls_value_unref (out);
  ls_value_unref (fn);
  for (guint i = 0; i < n; i++)
    ls_value_unref (args[i]);
  g_free (args);
  return text;
}

/* The check itself: python is the expression python3.12 evaluated to
 * print expected (kept for the reader and for regenerating). */
static void
ls_check (const char *python, LsValue v_taken, const char *expected)
{
  char *r = ls_value_repr (v_taken);
  if (g_strcmp0 (r, expected) != 0)
    g_test_message ("%s: got %s, CPython prints %s", python, r, expected);
  g_assert_cmpstr (r, ==, expected);
  g_free (r);
  ls_value_unref (v_taken);
}
#define CHECK(python, value, expected) ls_check ((python), (value), (expected))

static void
ls_check_err (const char *python, char *text_taken, const char *expected)
{
  if (g_strcmp0 (text_taken, expected) != 0)
    g_test_message ("%s: got %s, CPython raises %s", python, text_taken, expected);
  g_assert_cmpstr (text_taken, ==, expected);
  g_free (text_taken);
}
#define CHECK_ERR(python, text, expected) ls_check_err ((python), (text), (expected))

/* An operation that must fail: "Type: message" of its exception. */
static char *
failed (gboolean ok, LsValue exc)
{
  char *text;
  g_assert_false (ok);
  text = ls_exc_format (exc);
  ls_value_unref (exc);
  return text;
}

static LsValue
getitem (LsValue obj_taken, LsValue key_taken)
{
  LsValue out;
  g_assert_true (ls_op_getitem (obj_taken, key_taken, &out));
  ls_value_unref (obj_taken);
  ls_value_unref (key_taken);
  return out;
}

static char *
getitem_err (LsValue obj_taken, LsValue key_taken)
{
  LsValue out;
  gboolean ok = ls_op_getitem (obj_taken, key_taken, &out);
  ls_value_unref (obj_taken);
  ls_value_unref (key_taken);
  return failed (ok, out);
}

static LsValue
binop (LsOp op, LsValue a_taken, LsValue b_taken)
{
  LsValue out;
  gboolean ok = op >= LS_OP_EQ && op <= LS_OP_GE ? ls_op_compare (op, a_taken, b_taken, &out)
                                                  : ls_op_binary (op, a_taken, b_taken, &out);
  g_assert_true (ok);
  ls_value_unref (a_taken);
  ls_value_unref (b_taken);
  return out;
}

static char *
binop_err (LsOp op, LsValue a_taken, LsValue b_taken)
{
  LsValue out;
  gboolean ok = ls_op_binary (op, a_taken, b_taken, &out);
  ls_value_unref (a_taken);
  ls_value_unref (b_taken);
  return failed (ok, out);
}

static LsValue
slice (LsValue a, LsValue b, LsValue c)
{
  return ls_slice_new (a, b, c);
}

static LsValue
N (void)
{
  return ls_none ();
}

static LsValue
to_list (LsValue iterable_taken)
{
  LsValue l = ls_list_new (), it, item;
  g_assert_true (ls_op_iter (iterable_taken, &it));
  while (ls_op_next (it, &item) == 1)
    ls_list_append (l, item);
  ls_value_unref (it);
  ls_value_unref (iterable_taken);
  return l;
}

/* ---- str ---------------------------------------------------------------------------- */

static void
test_str_methods (void)
{
  LsValue s = S ("  Hello, World  ");

  CHECK ("'  Hello, World  '.strip()", M (s, "strip", 0), "'Hello, World'");
  CHECK ("'  Hello, World  '.lstrip()", M (s, "lstrip", 0), "'Hello, World  '");
  CHECK ("'  Hello, World  '.rstrip()", M (s, "rstrip", 0), "'  Hello, World'");
  CHECK ("'  Hello, World  '.upper()", M (s, "upper", 0), "'  HELLO, WORLD  '");
  CHECK ("'  Hello, World  '.lower()", M (s, "lower", 0), "'  hello, world  '");
  CHECK ("'  Hello, World  '.split()", M (s, "split", 0), "['Hello,', 'World']");
  CHECK ("'  Hello, World  '.split(' ')", M (s, "split", 1, S (" ")), "['', '', 'Hello,', 'World', '', '']");
  CHECK ("'  Hello, World  '.find('o')", M (s, "find", 1, S ("o")), "6");
  CHECK ("'  Hello, World  '.rfind('o')", M (s, "rfind", 1, S ("o")), "10");
  CHECK ("'  Hello, World  '.count('l')", M (s, "count", 1, S ("l")), "3");
  CHECK ("'  Hello, World  '.replace('l', 'L', 2)", M (s, "replace", 3, S ("l"), S ("L"), I (2)),
         "'  HeLLo, World  '");
  CHECK ("'  Hello, World  '.startswith('  He')", M (s, "startswith", 1, S ("  He")), "True");
  CHECK ("'  Hello, World  '.endswith(('x', 'd  '))", M (s, "endswith", 1, T (2, S ("x"), S ("d  "))), "True");
  CHECK ("'  Hello, World  '.strip(' Hd')", M (s, "strip", 1, S (" Hd")), "'ello, Worl'");
  ls_value_unref (s);

  s = S ("a,b,,c");
  CHECK ("'a,b,,c'.split(',')", M (s, "split", 1, S (",")), "['a', 'b', '', 'c']");
  CHECK ("'a,b,,c'.split(',', 1)", M (s, "split", 2, S (","), I (1)), "['a', 'b,,c']");
  CHECK ("'a,b,,c'.rsplit(',', 1)", M (s, "rsplit", 2, S (","), I (1)), "['a,b,', 'c']");
  CHECK ("'a,b,,c'.partition(',')", M (s, "partition", 1, S (",")), "('a', ',', 'b,,c')");
  ls_value_unref (s);

  s = S (" a b  c ");
  CHECK ("' a b  c '.split(None, 1)", M (s, "split", 2, N (), I (1)), "['a', 'b  c ']");
  CHECK ("' a b  c '.rsplit(None, 1)", M (s, "rsplit", 2, N (), I (1)), "[' a b', 'c']");
  ls_value_unref (s);

  s = S ("hello world foo");
  CHECK ("'hello world foo'.title()", M (s, "title", 0), "'Hello World Foo'");
  CHECK ("'hello world foo'.capitalize()", M (s, "capitalize", 0), "'Hello world foo'");
  ls_value_unref (s);

  s = S ("abc");
  CHECK ("'abc'.center(8, '*')", M (s, "center", 2, I (8), S ("*")), "'**abc***'");
  CHECK ("'abc'.center(6, '*')", M (s, "center", 2, I (6), S ("*")), "'*abc**'");
  CHECK ("'abc'.ljust(5)", M (s, "ljust", 1, I (5)), "'abc  '");
  CHECK ("'abc'.rjust(5, '.')", M (s, "rjust", 2, I (5), S (".")), "'..abc'");
  CHECK ("'abc'.replace('', '-')", M (s, "replace", 2, S (""), S ("-")), "'-a-b-c-'");
  CHECK ("'abc'.isalpha()", M (s, "isalpha", 0), "True");
  CHECK ("'abc'.isdigit()", M (s, "isdigit", 0), "False");
  CHECK_ERR ("'abc'.index('z')", M_err (s, "index", 1, S ("z")), "ValueError: substring not found");
  CHECK_ERR ("'abc'.upper(1)", M_err (s, "upper", 1, I (1)), "TypeError: str.upper() takes no arguments (1 given)");
  CHECK_ERR ("'abc'.startswith(1)", M_err (s, "startswith", 1, I (1)),
             "TypeError: startswith first arg must be str or a tuple of str, not int");
  ls_value_unref (s);

  s = S ("-42");
  CHECK ("'-42'.zfill(6)", M (s, "zfill", 1, I (6)), "'-00042'");
  ls_value_unref (s);
  s = S ("a\nb\r\nc\n");
  CHECK ("'a\\nb\\r\\nc\\n'.splitlines()", M (s, "splitlines", 0), "['a', 'b', 'c']");
  CHECK ("'a\\nb\\r\\nc\\n'.splitlines(True)", M (s, "splitlines", 1, ls_bool (TRUE)),
         "['a\\n', 'b\\r\\n', 'c\\n']");
  ls_value_unref (s);
  s = S (", ");
  CHECK ("', '.join(['x', 'y', 'z'])", M (s, "join", 1, L (3, S ("x"), S ("y"), S ("z"))), "'x, y, z'");
  CHECK_ERR ("', '.join([1])", M_err (s, "join", 1, L (1, I (1))),
             "TypeError: sequence item 0: expected str instance, int found");
  CHECK_ERR ("', '.join(1)", M_err (s, "join", 1, I (1)), "TypeError: can only join an iterable");
  ls_value_unref (s);
}

static void
test_str_format (void)
{
  LsValue s = S ("{} + {} = {}");
  CHECK ("'{} + {} = {}'.format(1, 'a', [2])", M (s, "format", 3, I (1), S ("a"), L (1, I (2))), "'1 + a = [2]'");
  ls_value_unref (s);
  s = S ("{1}{0}{1!r} {{x}}");
  CHECK ("'{1}{0}{1!r} {{x}}'.format('a', 'b')", M (s, "format", 2, S ("a"), S ("b")), "\"ba'b' {x}\"");
  ls_value_unref (s);
  s = S ("{0[1]}|{0[0]:>3}|");
  CHECK ("'{0[1]}|{0[0]:>3}|'.format(['x', 'y'])", M (s, "format", 1, L (2, S ("x"), S ("y"))), "'y|  x|'");
  ls_value_unref (s);
  s = S ("{");
  CHECK_ERR ("'{'.format()", M_err (s, "format", 0), "ValueError: Single '{' encountered in format string");
  ls_value_unref (s);
  s = S ("}");
  CHECK_ERR ("'}'.format()", M_err (s, "format", 0), "ValueError: Single '}' encountered in format string");
  ls_value_unref (s);
  s = S ("{0}{}");
  CHECK_ERR ("'{0}{}'.format(1, 2)", M_err (s, "format", 2, I (1), I (2)),
             "ValueError: cannot switch from manual field specification to automatic field numbering");
  ls_value_unref (s);
  s = S ("{2}");
  CHECK_ERR ("'{2}'.format(1)", M_err (s, "format", 1, I (1)),
             "IndexError: Replacement index 2 out of range for positional args tuple");
  ls_value_unref (s);
  s = S ("{x}");
  CHECK_ERR ("'{x}'.format(1)", M_err (s, "format", 1, I (1)), "KeyError: 'x'");
  ls_value_unref (s);

  CHECK ("'%s and %r|%-4d|%x %%' % ('a', 'b', 7, 255)",
         binop (LS_OP_MOD, S ("%s and %r|%-4d|%x %%"), T (4, S ("a"), S ("b"), I (7), I (255))),
         "\"a and 'b'|7   |ff %\"");
  CHECK_ERR ("'%s %s' % (1,)", binop_err (LS_OP_MOD, S ("%s %s"), T (1, I (1))),
             "TypeError: not enough arguments for format string");
  CHECK_ERR ("'%s' % (1, 2)", binop_err (LS_OP_MOD, S ("%s"), T (2, I (1), I (2))),
             "TypeError: not all arguments converted during string formatting");
}

static void
test_str_ops (void)
{
  gint64 n;
  LsValue err;
  gboolean in;

  CHECK ("'héllo'[1]", getitem (S ("héllo"), I (1)), "'é'");
  CHECK ("'héllo'[-1]", getitem (S ("héllo"), I (-1)), "'o'");
  CHECK ("'héllo'[1:3]", getitem (S ("héllo"), slice (I (1), I (3), N ())), "'él'");
  CHECK ("'héllo'[::-1]", getitem (S ("héllo"), slice (N (), N (), I (-1))), "'olléh'");
  CHECK ("'abc'[1:10:2]", getitem (S ("abc"), slice (I (1), I (10), I (2))), "'b'");
  CHECK_ERR ("'a'[5]", getitem_err (S ("a"), I (5)), "IndexError: string index out of range");
  CHECK_ERR ("'a'['a']", getitem_err (S ("a"), S ("a")), "TypeError: string indices must be integers, not 'str'");
  {
    LsValue s = S ("héllo");
    g_assert_true (ls_op_len (s, &n, &err));
    g_assert_cmpint (n, ==, 5);
    LsValue ll = S ("ll");
    g_assert_true (ls_op_contains (s, ll, &in, &err));
    ls_value_unref (ll);
    g_assert_true (in);
    CHECK_ERR ("1 in 'a'", failed (ls_op_contains (s, I (1), &in, &err), err),
               "TypeError: 'in <string>' requires string as left operand, not int");
    CHECK ("list('héllo')", to_list (ls_value_ref (s)), "['h', 'é', 'l', 'l', 'o']");
    ls_value_unref (s);
  }
  CHECK ("'ab' + 'cd'", binop (LS_OP_ADD, S ("ab"), S ("cd")), "'abcd'");
  CHECK ("'ab' * 3", binop (LS_OP_MUL, S ("ab"), I (3)), "'ababab'");
  CHECK ("3 * 'ab'", binop (LS_OP_MUL, I (3), S ("ab")), "'ababab'");
  CHECK ("'é' < 'f'", binop (LS_OP_LT, S ("é"), S ("f")), "False");
  CHECK ("'abc' < 'abd'", binop (LS_OP_LT, S ("abc"), S ("abd")), "True");
  CHECK ("'ab' == 'ab'", binop (LS_OP_EQ, S ("ab"), S ("ab")), "True");
  CHECK_ERR ("'a' + 1", binop_err (LS_OP_ADD, S ("a"), I (1)), "TypeError: can only concatenate str (not \"int\") to str");
  CHECK_ERR ("'a' * 'b'", binop_err (LS_OP_MUL, S ("a"), S ("b")),
             "TypeError: can't multiply sequence by non-int of type 'str'");
}

/* ---- list and tuple ------------------------------------------------------------------ */

static void
test_list_methods (void)
{
  LsValue l = L (3, I (3), I (1), I (2)), err;

  ls_value_unref (M (l, "append", 1, I (5)));
  ls_value_unref (M (l, "insert", 2, I (0), I (9)));
  ls_value_unref (M (l, "insert", 2, I (-1), I (7)));
  CHECK ("l = [3, 1, 2]; l.append(5); l.insert(0, 9); l.insert(-1, 7); l", ls_value_ref (l), "[9, 3, 1, 2, 7, 5]");
  CHECK ("l.pop()", M (l, "pop", 0), "5");
  CHECK ("l.pop(0)", M (l, "pop", 1, I (0)), "9");
  ls_value_unref (M (l, "extend", 1, T (2, I (1), I (4))));
  CHECK ("l.extend((1, 4)); l", ls_value_ref (l), "[3, 1, 2, 7, 1, 4]");
  CHECK ("l.index(1)", M (l, "index", 1, I (1)), "1");
  CHECK ("l.index(1, 2)", M (l, "index", 2, I (1), I (2)), "4");
  CHECK ("l.count(1)", M (l, "count", 1, I (1)), "2");
  ls_value_unref (M (l, "remove", 1, I (1)));
  CHECK ("l.remove(1); l", ls_value_ref (l), "[3, 2, 7, 1, 4]");
  ls_value_unref (M (l, "reverse", 0));
  CHECK ("l.reverse(); l", ls_value_ref (l), "[4, 1, 7, 2, 3]");
  ls_value_unref (M (l, "sort", 0));
  CHECK ("l.sort(); l", ls_value_ref (l), "[1, 2, 3, 4, 7]");
  CHECK ("l.copy()", M (l, "copy", 0), "[1, 2, 3, 4, 7]");
  CHECK_ERR ("[1].index(42)", M_err (l, "index", 1, I (42)), "ValueError: 42 is not in list");
  CHECK_ERR ("l.remove(42)", M_err (l, "remove", 1, I (42)), "ValueError: list.remove(x): x not in list");
  CHECK_ERR ("l.pop(10)", M_err (l, "pop", 1, I (10)), "IndexError: pop index out of range");
  CHECK_ERR ("l.append()", M_err (l, "append", 0), "TypeError: list.append() takes exactly one argument (0 given)");
  CHECK_ERR ("l.insert(1)", M_err (l, "insert", 1, I (1)), "TypeError: insert expected 2 arguments, got 1");
  CHECK_ERR ("l.sort(1)", M_err (l, "sort", 1, I (1)), "TypeError: sort() takes no positional arguments");
  ls_value_unref (M (l, "clear", 0));
  CHECK_ERR ("[].pop()", M_err (l, "pop", 0), "IndexError: pop from empty list");
  CHECK_ERR ("[].foo", failed (ls_op_getattr (l, "foo", &err), err),
             "AttributeError: 'list' object has no attribute 'foo'");
  ls_value_unref (l);

  l = T (3, I (1), S ("a"), I (1));
  CHECK ("(1, 'a', 1).count(1)", M (l, "count", 1, I (1)), "2");
  CHECK ("(1, 'a', 1).index('a')", M (l, "index", 1, S ("a")), "1");
  CHECK_ERR ("(1, 'a', 1).index(2)", M_err (l, "index", 1, I (2)), "ValueError: tuple.index(x): x not in tuple");
  ls_value_unref (l);
}

static gboolean
key_second_fn (LsValue self, gpointer data, const LsValue *args, guint nargs, LsValue *result)
{
  *result = ls_value_ref (((LsTuple *) ls_value_as_object (args[0]))->items[1]);
  return TRUE;
}

static void
test_list_sort (void)
{
  LsValue pairs = L (5, T (2, S ("a"), I (2)), T (2, S ("b"), I (1)), T (2, S ("c"), I (2)),
                     T (2, S ("d"), I (1)), T (2, S ("e"), I (0)));
  LsValue key = ls_builtin_new ("key", key_second_fn, ls_none (), NULL, NULL), err;
  LsValue kwnames, kwvalues[2], fn, out;
  LsValue names[2] = { S ("key"), S ("reverse") };

  kwnames = ls_tuple_new (2, names);
  kwvalues[0] = key;
  kwvalues[1] = ls_bool (TRUE);
  g_assert_true (ls_op_getattr (pairs, "sort", &fn));
  g_assert_true (ls_call_kw (fn, NULL, 0, kwnames, kwvalues, &out));
  ls_value_unref (out);
  CHECK ("l = [('a', 2), ('b', 1), ('c', 2), ('d', 1), ('e', 0)]; l.sort(key=lambda p: p[1], reverse=True); l", ls_value_ref (pairs),
         "[('a', 2), ('c', 2), ('b', 1), ('d', 1), ('e', 0)]");
  g_assert_true (ls_call_kw (fn, NULL, 0, ls_none (), NULL, &out));
  ls_value_unref (out);
  CHECK ("l.sort(); l", ls_value_ref (pairs), "[('a', 2), ('b', 1), ('c', 2), ('d', 1), ('e', 0)]");
  ls_value_unref (fn);

  {
    LsValue mixed = L (2, I (1), S ("a"));
    CHECK_ERR ("[1, 'a'].sort()", M_err (mixed, "sort", 0),
               "TypeError: '<' not supported between instances of 'str' and 'int'");
    ls_value_unref (mixed);
  }
  {
    /* A longer list, to go past the insertion sort. */
    static const gint64 v[] = { 5, 3, 9, 1, 5, 7, 2, 8, 6, 4, 0, 3, 11, 10, 12, 2 };
    LsValue l = ints_list (G_N_ELEMENTS (v), v);
    ls_value_unref (M (l, "sort", 0));
    CHECK ("sorted([5, 3, 9, 1, 5, 7, 2, 8, 6, 4, 0, 3, 11, 10, 12, 2])", l,
           "[0, 1, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12]");
  }
  ls_value_unref (pairs);
  ls_value_unref (key);
  ls_value_unref (kwnames);
  (void) err;
}

static void
test_list_indexing (void)
{
  static const gint64 v[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  LsValue l = ints_list (10, v), err;

  CHECK ("a = list(range(10)); a[-1]", getitem (ls_value_ref (l), I (-1)), "9");
  CHECK ("a[2:8:2]", getitem (ls_value_ref (l), slice (I (2), I (8), I (2))), "[2, 4, 6]");
  CHECK ("a[::-3]", getitem (ls_value_ref (l), slice (N (), N (), I (-3))), "[9, 6, 3, 0]");
  CHECK ("a[-3:]", getitem (ls_value_ref (l), slice (I (-3), N (), N ())), "[7, 8, 9]");
  CHECK ("a[100:]", getitem (ls_value_ref (l), slice (I (100), N (), N ())), "[]");
  CHECK_ERR ("a[10]", getitem_err (ls_value_ref (l), I (10)), "IndexError: list index out of range");
  CHECK_ERR ("a['a']", getitem_err (ls_value_ref (l), S ("a")),
             "TypeError: list indices must be integers or slices, not str");
  CHECK_ERR ("a[::0]", getitem_err (ls_value_ref (l), slice (N (), N (), I (0))),
             "ValueError: slice step cannot be zero");
  CHECK_ERR ("a['a':]", getitem_err (ls_value_ref (l), slice (S ("a"), N (), N ())),
             "TypeError: slice indices must be integers or None or have an __index__ method");
  CHECK_ERR ("(1,)[5]", getitem_err (T (1, I (1)), I (5)), "IndexError: tuple index out of range");

  {
    LsValue k = slice (I (1), I (3), N ());
    LsValue abc = L (3, S ("a"), S ("b"), S ("c"));
    g_assert_true (ls_op_setitem (l, k, abc, &err));
    ls_value_unref (abc);
    ls_value_unref (k);
  }
  CHECK ("a[1:3] = 'a b c'.split(); a", ls_value_ref (l), "[0, 'a', 'b', 'c', 3, 4, 5, 6, 7, 8, 9]");
  {
    LsValue k = slice (N (), N (), I (2)), bad = L (1, I (1));
    CHECK_ERR ("a[::2] = [1]", failed (ls_op_setitem (l, k, bad, &err), err),
               "ValueError: attempt to assign sequence of size 1 to extended slice of size 6");
    ls_value_unref (bad);
    ls_value_unref (k);
    k = slice (I (1), I (4), N ());
    g_assert_true (ls_op_delitem (l, k, &err));
    ls_value_unref (k);
    k = slice (N (), N (), I (-2));
    g_assert_true (ls_op_delitem (l, k, &err));
    ls_value_unref (k);
  }
  CHECK ("del a[1:4]; del a[::-2]; a", ls_value_ref (l), "[0, 4, 6, 8]");
  {
    LsValue z = S ("z");
    g_assert_true (ls_op_setitem (l, I (-1), z, &err));
    ls_value_unref (z);
  }
  CHECK_ERR ("a[9] = 1", failed (ls_op_setitem (l, I (9), I (1), &err), err),
             "IndexError: list assignment index out of range");
  CHECK ("a[-1] = 'z'; a", l, "[0, 4, 6, 'z']");
}

static void
test_list_ops (void)
{
  CHECK ("[1, 2] + [3]", binop (LS_OP_ADD, L (2, I (1), I (2)), L (1, I (3))), "[1, 2, 3]");
  CHECK ("[0] * 3", binop (LS_OP_MUL, L (1, I (0)), I (3)), "[0, 0, 0]");
  CHECK ("2 * (1, 'a')", binop (LS_OP_MUL, I (2), T (2, I (1), S ("a"))), "(1, 'a', 1, 'a')");
  CHECK ("[1, 2] < [1, 3]", binop (LS_OP_LT, L (2, I (1), I (2)), L (2, I (1), I (3))), "True");
  CHECK ("[1, 2] < [1, 2, 0]", binop (LS_OP_LT, L (2, I (1), I (2)), L (3, I (1), I (2), I (0))), "True");
  CHECK ("(1, [2]) == (1, [2])", binop (LS_OP_EQ, T (2, I (1), L (1, I (2))), T (2, I (1), L (1, I (2)))), "True");
  CHECK ("[1, 2.0] == [1.0, 2]", binop (LS_OP_EQ, L (2, I (1), ls_float (2.0)), L (2, ls_float (1.0), I (2))), "True");
  CHECK_ERR ("[1] + 1", binop_err (LS_OP_ADD, L (1, I (1)), I (1)),
             "TypeError: can only concatenate list (not \"int\") to list");
  CHECK_ERR ("(1,) + [1]", binop_err (LS_OP_ADD, T (1, I (1)), L (1, I (1))),
             "TypeError: can only concatenate tuple (not \"list\") to tuple");
  CHECK_ERR ("1 + [1]", binop_err (LS_OP_ADD, I (1), L (1, I (1))),
             "TypeError: unsupported operand type(s) for +: 'int' and 'list'");
  CHECK_ERR ("2.0 * [1]", binop_err (LS_OP_MUL, ls_float (2.0), L (1, I (1))),
             "TypeError: can't multiply sequence by non-int of type 'float'");
  CHECK ("[[1, 'a'], (2,), ()]", L (3, L (2, I (1), S ("a")), T (1, I (2)), T (0)), "[[1, 'a'], (2,), ()]");
  {
    LsValue a = L (1, I (1)), err;
    g_assert_true (ls_list_extend (a, a, &err));
    CHECK ("a = [1]; a += a; a", a, "[1, 1]");
  }
}

static void
test_tuple_hash (void)
{
  guint64 h;
  LsValue err, t;

  /* hash((1, 2)), hash(()), hash((1, (2, 3))) as python3.12 prints them */
  t = T (2, I (1), I (2));
  g_assert_true (ls_op_hash (t, &h, &err));
  g_assert_cmpint ((gint64) h, ==, G_GINT64_CONSTANT (-3550055125485641917));
  ls_value_unref (t);
  t = T (0);
  g_assert_true (ls_op_hash (t, &h, &err));
  g_assert_cmpint ((gint64) h, ==, G_GINT64_CONSTANT (5740354900026072187));
  ls_value_unref (t);
  t = T (2, I (1), T (2, I (2), I (3)));
  g_assert_true (ls_op_hash (t, &h, &err));
  g_assert_cmpint ((gint64) h, ==, G_GINT64_CONSTANT (7267574591690527098));
  ls_value_unref (t);
  t = T (1, L (0));
  CHECK_ERR ("hash(([],))", failed (ls_op_hash (t, &h, &err), err), "TypeError: unhashable type: 'list'");
  ls_value_unref (t);
}

/* ---- range, and the iterators ------------------------------------------------------------ */

static LsValue
range3 (gint64 a, gint64 b, gint64 c, guint n)
{
  LsValue args[3] = { I (a), I (b), I (c) }, out;
  g_assert_true (_ls_range_new (args, n, &out));
  return out;
}

static void
test_range (void)
{
  LsValue r = range3 (0, 10, 2, 3), err;
  gboolean in;
  gint64 n;

  CHECK ("range(5)", range3 (5, 0, 0, 1), "range(0, 5)");
  CHECK ("range(0, 10, 2)", ls_value_ref (r), "range(0, 10, 2)");
  CHECK ("list(range(0, 10, 2))", to_list (ls_value_ref (r)), "[0, 2, 4, 6, 8]");
  CHECK ("list(range(5, 0, -2))", to_list (range3 (5, 0, -2, 3)), "[5, 3, 1]");
  CHECK ("range(10)[2:8:2]", getitem (range3 (10, 0, 0, 1), slice (I (2), I (8), I (2))), "range(2, 8, 2)");
  CHECK ("range(10)[::-1]", getitem (range3 (10, 0, 0, 1), slice (N (), N (), I (-1))), "range(9, -1, -1)");
  CHECK ("range(0, 10, 2)[-1]", getitem (ls_value_ref (r), I (-1)), "8");
  CHECK_ERR ("range(10)[20]", getitem_err (range3 (10, 0, 0, 1), I (20)), "IndexError: range object index out of range");
  g_assert_true (ls_op_len (r, &n, &err));
  g_assert_cmpint (n, ==, 5);
  g_assert_true (ls_op_contains (r, I (4), &in, &err));
  g_assert_true (in);
  g_assert_true (ls_op_contains (r, I (5), &in, &err));
  g_assert_false (in);
  g_assert_true (ls_op_contains (r, ls_float (6.0), &in, &err));
  g_assert_true (in);
  CHECK ("range(0, 10, 2).index(6)", M (r, "index", 1, I (6)), "3");
  CHECK_ERR ("range(0, 10, 2).index(5)", M_err (r, "index", 1, I (5)), "ValueError: 5 is not in range");
  ls_value_unref (r);
}

/* ---- dict ---------------------------------------------------------------------------------- */

static void
dset (LsValue d, LsValue k_taken, LsValue v_taken)
{
  LsValue err;
  g_assert_true (ls_dict_set (d, k_taken, v_taken, &err));
  ls_value_unref (k_taken);
  ls_value_unref (v_taken);
}

static void
test_dict (void)
{
  LsValue d = ls_dict_new (), err, out;
  gboolean in;

  dset (d, S ("b"), I (1));
  dset (d, S ("a"), L (1, I (2)));
  dset (d, I (3), T (2, I (1), S ("x")));
  dset (d, S ("b"), I (10));
  CHECK ("d = {'b': 1, 'a': [2], 3: (1, 'x')}; d['b'] = 10; d", ls_value_ref (d), "{'b': 10, 'a': [2], 3: (1, 'x')}");
  {
    LsValue b = S ("b");
    g_assert_true (ls_op_delitem (d, b, &err));
    ls_value_unref (b);
  }
  dset (d, S ("b"), I (11));
  CHECK ("del d['b']; d['b'] = 11; d", ls_value_ref (d), "{'a': [2], 3: (1, 'x'), 'b': 11}");
  CHECK ("d.keys()", M (d, "keys", 0), "dict_keys(['a', 3, 'b'])");
  CHECK ("d.values()", M (d, "values", 0), "dict_values([[2], (1, 'x'), 11])");
  CHECK ("d.items()", M (d, "items", 0), "dict_items([('a', [2]), (3, (1, 'x')), ('b', 11)])");
  CHECK ("list(d)", to_list (ls_value_ref (d)), "['a', 3, 'b']");
  CHECK ("d.get('zz')", M (d, "get", 1, S ("zz")), "None");
  CHECK ("d.get('zz', 0)", M (d, "get", 2, S ("zz"), I (0)), "0");
  CHECK ("d.get(3.0)", M (d, "get", 1, ls_float (3.0)), "(1, 'x')");
  CHECK ("d.setdefault('n', [])", M (d, "setdefault", 2, S ("n"), L (0)), "[]");
  CHECK ("d.pop('a')", M (d, "pop", 1, S ("a")), "[2]");
  CHECK ("d.pop('a', 'gone')", M (d, "pop", 2, S ("a"), S ("gone")), "'gone'");
  CHECK ("d.popitem()", M (d, "popitem", 0), "('n', [])");
  CHECK ("d", ls_value_ref (d), "{3: (1, 'x'), 'b': 11}");
  g_assert_true (ls_op_contains (d, I (3), &in, &err));
  g_assert_true (in);
  CHECK_ERR ("d['zz']", getitem_err (ls_value_ref (d), S ("zz")), "KeyError: 'zz'");
  CHECK_ERR ("d[(1, 'a')]", getitem_err (ls_value_ref (d), T (2, I (1), S ("a"))), "KeyError: (1, 'a')");
  CHECK_ERR ("d.pop(1)", M_err (d, "pop", 1, I (1)), "KeyError: 1");
  {
    LsValue key = L (0);
    CHECK_ERR ("d[[]] = 2", failed (ls_dict_set (d, key, I (2), &err), err), "TypeError: unhashable type: 'list'");
    ls_value_unref (key);
  }
  {
    LsValue c = M (d, "copy", 0);
    ls_value_unref (M (c, "update", 1, L (2, T (2, I (1), I (2)), L (2, S ("b"), I (0)))));
    CHECK ("c = d.copy(); c.update([(1, 2), ['b', 0]]); c", ls_value_ref (c), "{3: (1, 'x'), 'b': 0, 1: 2}");
    CHECK ("c == d", binop (LS_OP_EQ, ls_value_ref (c), ls_value_ref (d)), "False");
    CHECK_ERR ("c.update([1])", M_err (c, "update", 1, L (1, I (1))),
               "TypeError: cannot convert dictionary update sequence element #0 to a sequence");
    CHECK_ERR ("c.update([[1, 2, 3]])", M_err (c, "update", 1, L (1, L (3, I (1), I (2), I (3)))),
               "ValueError: dictionary update sequence element #0 has length 3; 2 is required");
    ls_value_unref (M (c, "clear", 0));
    CHECK ("c.clear(); c", ls_value_ref (c), "{}");
    CHECK_ERR ("c.popitem()", M_err (c, "popitem", 0), "KeyError: 'popitem(): dictionary is empty'");
    ls_value_unref (c);
  }
  {
    /* Growing past several resizes keeps insertion order. */
    LsValue big = ls_dict_new ();
    for (gint64 i = 0; i < 200; i++)
      dset (big, I ((i * 7919) % 1000), I (i));
    for (gint64 i = 0; i < 200; i += 2)
      g_assert_true (ls_op_delitem (big, I ((i * 7919) % 1000), &err));
    g_assert_cmpuint (ls_dict_len (big), ==, 100);
    g_assert_cmpint (ls_dict_get (big, I (7919 % 1000), &out), ==, 1);
    CHECK ("{(i * 7919) % 1000: i for i in range(200)}[919]", out, "1");
    ls_value_unref (big);
  }
  {
    LsValue it;
    g_assert_true (ls_op_iter (d, &it));
    dset (d, S ("new"), I (1));
    CHECK_ERR ("for k in d: d['new'] = 1", failed (ls_op_next (it, &out) == 1, out),
               "RuntimeError: dictionary changed size during iteration");
    ls_value_unref (it);
  }
  ls_value_unref (d);
}

/* ---- set ----------------------------------------------------------------------------------- */

static void
test_set_order (void)
{
  static const gint64 a[] = { 3, 1, 2 }, b[] = { 10, 1, 100 }, c[] = { -1, -2, 5 };
  static const gint64 many[] = { 64, 8, 1, 72, 16, 9, 100, 33, 7, 1000, 17, 25, 40, 41, 2, 56 };
  LsValue s, err;

  CHECK ("{3, 1, 2}", ints_set (3, a), "{1, 2, 3}");
  CHECK ("{10, 1, 100}", ints_set (3, b), "{1, 10, 100}");
  CHECK ("{-1, -2, 5}", ints_set (3, c), "{5, -1, -2}");
  CHECK ("set([64, 8, 1, 72, 16, 9, 100, 33, 7, 1000, 17, 25, 40, 41, 2, 56])", ints_set (G_N_ELEMENTS (many), many),
         "{64, 1, 33, 2, 100, 7, 8, 72, 9, 1000, 40, 41, 16, 17, 56, 25}");
  /* A display of constants is a frozenset constant merged into a new set
   * (BUILD_SET 0, SET_UPDATE), which lays the table out differently. */
  s = ints_set (G_N_ELEMENTS (many), many);
  {
    LsValue copy = ls_set_new ();
    g_assert_true (_ls_set_update_from (copy, s, &err));
    CHECK ("{64, 8, 1, 72, 16, 9, 100, 33, 7, 1000, 17, 25, 40, 41, 2, 56}", copy,
           "{64, 1, 2, 7, 8, 72, 9, 16, 17, 25, 33, 100, 1000, 40, 41, 56}");
  }
  ls_value_unref (s);
  CHECK ("set()", ls_set_new (), "set()");

  s = ints_set (5, (const gint64[]) { 0, 1, 2, 3, 4 });
  ls_value_unref (M (s, "discard", 1, I (1)));
  ls_value_unref (M (s, "add", 1, I (9)));
  CHECK ("s = {0, 1, 2, 3, 4}; s.discard(1); s.add(9); s", ls_value_ref (s), "{0, 2, 3, 4, 9}");
  CHECK ("s.pop()", M (s, "pop", 0), "0");
  CHECK ("s.pop()", M (s, "pop", 0), "2");
  CHECK_ERR ("s.remove(42)", M_err (s, "remove", 1, I (42)), "KeyError: 42");
  ls_value_unref (s);
  s = ls_set_new ();
  CHECK_ERR ("set().pop()", M_err (s, "pop", 0), "KeyError: 'pop from an empty set'");
  {
    LsValue item = L (0);
    CHECK_ERR ("s.add([])", failed (ls_set_add (s, item, &err), err), "TypeError: unhashable type: 'list'");
    ls_value_unref (item);
  }
  ls_value_unref (s);
}

static void
test_set_algebra (void)
{
  gboolean in;
  LsValue err, s;

  CHECK ("{3, 1, 2} | {10, 100}", binop (LS_OP_BITOR, ints_set (3, (const gint64[]) { 3, 1, 2 }),
                                        ints_set (2, (const gint64[]) { 10, 100 })), "{1, 2, 3, 100, 10}");
  CHECK ("{1, 2, 3, 40} & {40, 3, 100}", binop (LS_OP_BITAND, ints_set (4, (const gint64[]) { 1, 2, 3, 40 }),
                                                ints_set (3, (const gint64[]) { 40, 3, 100 })), "{40, 3}");
  CHECK ("{1, 2, 3} - {2}", binop (LS_OP_SUB, ints_set (3, (const gint64[]) { 1, 2, 3 }),
                                   ints_set (1, (const gint64[]) { 2 })), "{1, 3}");
  CHECK ("{1, 2, 9} ^ {2, 17}", binop (LS_OP_BITXOR, ints_set (3, (const gint64[]) { 1, 2, 9 }),
                                       ints_set (2, (const gint64[]) { 2, 17 })), "{17, 1, 9}");
  CHECK ("{1, 2} <= {1, 2, 3}", binop (LS_OP_LE, ints_set (2, (const gint64[]) { 1, 2 }),
                                       ints_set (3, (const gint64[]) { 1, 2, 3 })), "True");
  CHECK ("{1, 2} == {2, 1}", binop (LS_OP_EQ, ints_set (2, (const gint64[]) { 1, 2 }),
                                    ints_set (2, (const gint64[]) { 2, 1 })), "True");
  s = ints_set (3, (const gint64[]) { 1, 2, 3 });
  CHECK ("{1, 2, 3}.union([9, 1], (33,))", M (s, "union", 2, L (2, I (9), I (1)), T (1, I (33))), "{1, 2, 3, 33, 9}");
  CHECK ("{1, 2, 3}.intersection([3, 2, 7])", M (s, "intersection", 1, L (3, I (3), I (2), I (7))), "{2, 3}");
  CHECK ("{1, 2, 3}.difference([3])", M (s, "difference", 1, L (1, I (3))), "{1, 2}");
  CHECK ("{1, 2, 3}.issubset(range(5))", M (s, "issubset", 1, range3 (5, 0, 0, 1)), "True");
  g_assert_true (ls_op_contains (s, ls_float (2.0), &in, &err));
  g_assert_true (in);
  ls_value_unref (s);
  {
    LsValue t = T (2, I (1), I (2)), set = ls_set_new ();
    g_assert_true (ls_set_add (set, t, &err));
    ls_value_unref (t);
    t = T (2, I (3), I (4));
    g_assert_true (ls_set_add (set, t, &err));
    ls_value_unref (t);
    CHECK ("{(1, 2), (3, 4)}", set, "{(1, 2), (3, 4)}");
  }
}

static const LsTest tests[] = {
  LS_TEST_FUNC ("/engine/containers/str-methods", test_str_methods),
  LS_TEST_FUNC ("/engine/containers/str-format", test_str_format),
  LS_TEST_FUNC ("/engine/containers/str-ops", test_str_ops),
  LS_TEST_FUNC ("/engine/containers/list-methods", test_list_methods),
  LS_TEST_FUNC ("/engine/containers/list-sort", test_list_sort),
  LS_TEST_FUNC ("/engine/containers/list-indexing", test_list_indexing),
  LS_TEST_FUNC ("/engine/containers/list-ops", test_list_ops),
  LS_TEST_FUNC ("/engine/containers/tuple-hash", test_tuple_hash),
  LS_TEST_FUNC ("/engine/containers/range", test_range),
  LS_TEST_FUNC ("/engine/containers/dict", test_dict),
  LS_TEST_FUNC ("/engine/containers/set-order", test_set_order),
  LS_TEST_FUNC ("/engine/containers/set-algebra", test_set_algebra),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
