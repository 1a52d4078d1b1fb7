/* test-format.c - format(value, spec) and str % args, checked against
 * CPython 3.12.
 *
 * The cases are Python literals; the expected strings were printed by
 * python3.12 for the same format() call or % expression: "=" and the
 * result, or "ExceptionType: message".
 */
#include "ls-test-harness.h"
#include "ls-ops.h"

#include <stdlib.h>

typedef struct { const char *v, *spec, *expected; } FormatCase;
typedef struct {
  const char *fmt;
  gboolean tuple;                 /* the args are a tuple, else one value */
  guint n;
  const char *args[3];
  const char *expected;
} PercentCase;

/* A value from a Python literal: int (any size), float, str, bool, None,
 * and [] or [n]. */
static LsValue
parse_literal (const char *lit)
{
  gsize n = strlen (lit);

  if (lit[0] == '\'')
    return ls_str_new_len (lit + 1, n - 2);
  if (lit[0] == '[')
    {
      LsValue l = ls_list_new ();
      if (lit[1] != ']')
        ls_list_append (l, ls_int (atoi (lit + 1)));
      return l;
    }
  if (strcmp (lit, "True") == 0 || strcmp (lit, "False") == 0)
    return ls_bool (lit[0] == 'T');
  if (strcmp (lit, "None") == 0)
    return ls_none ();
  if (strpbrk (lit, ".en"))
    return ls_float (g_ascii_strtod (lit, NULL));
  return ls_int_from_string (lit, 10);
}

/* "=" and the str, or the exception as a traceback's last line; takes v. */
static char *
outcome (gboolean ok, LsValue v)
{
  char *s = ok ? g_strconcat ("=", ls_str_get (v), NULL) : ls_exc_format (v);
  ls_value_unref (v);
  return s;
}

static const FormatCase format_cases[] = {
  { "1.5", ".200g", "=1.5" },
  { "1e+16", ".40", "=10000000000000000.0" },
  { "1e+30", ".31", "=1.000000000000000019884624838656e+30" },
  { "1e+30", ".30", "=1.00000000000000001988462483866e+30" },
  { "0.1", ".25", "=0.1000000000000000055511151" },
  { "1180591620717411303424", ".50e", "=1.18059162071741130342400000000000000000000000000000e+21" },
  { "3.14159", ".2f", "=3.14" },
  { "1234567", ",", "=1,234,567" },
  { "0.25", ".1%", "=25.0%" },
  { "42", ">8", "=      42" },
  { "'x'", "*^9", "=****x****" },
  { "255", "#x", "=0xff" },
  { "1e+16", "", "=1e+16" },
  { "100.0", "", "=100.0" },
  { "-0.0", "+.1f", "=-0.0" },
  { "0.3333333333333333", ".3", "=0.333" },
  { "100.0", ".3", "=1e+02" },
  { "1e+20", ".3", "=1e+20" },
  { "1234.5", ".3", "=1.23e+03" },
  { "1.0", ".3", "=1.0" },
  { "0.5", ".0", "=0.5" },
  { "123.0", ".0", "=1e+02" },
  { "inf", "010", "=0000000inf" },
  { "-inf", "=+10", "=-      inf" },
  { "nan", "E", "=NAN" },
  { "inf", "%", "=inf%" },
  { "1234", "010,", "=00,001,234" },
  { "1234", "08,", "=0,001,234" },
  { "1234", "09,", "=0,001,234" },
  { "1234", "x=10,", "=xxxxx1,234" },
  { "1234", "011_x", "=0_0000_04d2" },
  { "True", "", "=True" },
  { "True", ">5", "=    1" },
  { "True", "d", "=1" },
  { "None", "", "=None" },
  { "-0.0", "z.1f", "=0.0" },
  { "-0.0001", "z.2f", "=0.00" },
  { "-0.0001", "z.2e", "=-1.00e-04" },
  { "-0.0", "", "=-0.0" },
  { "'x'", "05", "=x0000" },
  { "'x'", "z", "ValueError: Negative zero coercion (z) not allowed in string format specifier" },
  { "'x'", "#", "ValueError: Alternate form (#) not allowed in string format specifier" },
  { "255", "#010x", "=0x000000ff" },
  { "-255", "#x", "=-0xff" },
  { "65", "c", "=A" },
  { "1234567.891", ",.2f", "=1,234,567.89" },
  { "1234567.891", "_.2e", "=1.23e+06" },
  { "12345.678", ",g", "=12,345.7" },
  { "12345.678", ",.10g", "=12,345.678" },
  { "1e+100", ",f", "=10,000,000,000,000,000,159,028,911,097,599,180,468,360,808,563,945,281,389,781,327,557,747,838,772,170,381,060,813,469,985,856,815,104.000000" },
  { "0.1", "n", "=0.1" },
  { "1234567", "n", "=1234567" },
  { "1234.5", "%", "=123450.000000%" },
  { "3", "%", "=300.000000%" },
  { "3", ".2e", "=3.00e+00" },
  { "100000000000000000000", "e", "=1.000000e+20" },
  { "5", "#b", "=0b101" },
  { "5", "#o", "=0o5" },
  { "-5", "+", "=-5" },
  { "5", " ", "= 5" },
  { "5", "+^9", "=++++5++++" },
  { "1.5", "#", "=1.5" },
  { "1.0", "#.0f", "=1." },
  { "1.0", "#g", "=1.00000" },
  { "0.0001", "", "=0.0001" },
  { "1e-05", "", "=1e-05" },
  { "1e-05", ".3", "=1e-05" },
  { "123456789.0", ".3", "=1.23e+08" },
  { "0.0", ".3", "=0.0" },
  { "-1.5", "010.2f", "=-000001.50" },
  { "1.5", "<010.2f", "=1.50000000" },
  { "'héllo'", "*^9", "=**héllo**" },
  { "'abc'", ".2", "=ab" },
  { "'abc'", "é>6", "=éééabc" },
  { "18446744073709551616", "x", "=10000000000000000" },
  { "-18446744073709551616", ",", "=-18,446,744,073,709,551,616" },
  { "12", "_b", "=1100" },
  { "1.5", "z", "=1.5" },
  { "7", "=+5", "=+   7" },
  { "0.000123456", ".3g", "=0.000123" },
  { "1e+16", ".17", "=1e+16" },
  { "1e+16", ".16", "=1e+16" },
  { "9.5", ".0f", "=10" },
  { "0.125", ".2f", "=0.12" },
  { "2.675", ".2f", "=2.67" },
  { "1.0", "#.3g", "=1.00" },
  { "100.0", "#.3g", "=100." },
  { "1e+20", "#.3g", "=1.00e+20" },
  { "1.5e-07", "g", "=1.5e-07" },
  { "1.5e-07", "G", "=1.5E-07" },
  { "1e+300", "E", "=1.000000E+300" },
  { "-1234.5678", "+,.1f", "=-1,234.6" },
  { "1267650600228229401496703205376", "_", "=1_267_650_600_228_229_401_496_703_205_376" },
  { "1267650600228229401496703205376", ",", "=1,267,650,600,228,229,401,496,703,205,376" },
  { "-1267650600228229401496703205376", "#_x", "=-0x10_0000_0000_0000_0000_0000_0000" },
  { "0", "#b", "=0b0" },
  { "0", "c", "=\000" },
  { "128512", "c", "=😀" },
  { "1", ".2d", "ValueError: Precision not allowed in integer format specifier" },
  { "1", "+c", "ValueError: Sign not allowed with integer format specifier 'c'" },
  { "1", "q", "ValueError: Unknown format code 'q' for object of type 'int'" },
  { "'a'", "+", "ValueError: Sign not allowed in string format specifier" },
  { "'a'", "=5", "ValueError: '=' alignment not allowed in string format specifier" },
  { "None", "x", "TypeError: unsupported format string passed to NoneType.__format__" },
  { "[]", "x", "TypeError: unsupported format string passed to list.__format__" },
  { "[1]", "", "=[1]" },
  { "1", ",x", "ValueError: Cannot specify ',' with 'x'." },
  { "1.0", ".", "ValueError: Format specifier missing precision" },
  { "1", "10.2.3", "ValueError: Invalid format specifier '10.2.3' for object of type 'int'" },
  { "1.5", "d", "ValueError: Unknown format code 'd' for object of type 'float'" },
  { "1", ",n", "ValueError: Cannot specify ',' with 'n'." },
  { "1", ",_", "ValueError: Cannot specify both ',' and '_'." },
  { "'a'", "d", "ValueError: Unknown format code 'd' for object of type 'str'" },
  { "1.0", "#c", "ValueError: Unknown format code 'c' for object of type 'float'" },
  { "1", "z", "ValueError: Negative zero coercion (z) not allowed in integer format specifier" },
  { "1.0", "=", "=1.0" },
  { "1", "99999999999999999999", "ValueError: Too many decimal digits in format string" },
  { "'x'", ",", "ValueError: Cannot specify ',' with 's'." },
  { "True", "q", "ValueError: Unknown format code 'q' for object of type 'bool'" },
  { "12.5", "^+11.3f", "=  +12.500  " },
  { "3", "f", "=3.000000" },
  { "13582985290493858492773514283592667786034938469317445497485196697278130927542418487205392083207560592298578262953847383475038725543234929971155548342800628721885763499406390331782864144164680730766837160526223176512798435772129956553355286032203080380775759732320198985094884004069116123084147875437183658467465148948790552744165376", "f", "OverflowError: int too large to convert to float" },
  { "-7", "05", "=-0007" },
  { "-7", "<05", "=-7000" },
  { "-7", "^05", "=0-700" },
  { "10", "b", "=1010" },
  { "10", "o", "=12" },
  { "255", "X", "=FF" },
  { "255", "#X", "=0XFF" },
  { "3.0", "n", "=3" },
  { "123456789", "_d", "=123_456_789" },
  { "0.1", ".20f", "=0.10000000000000000555" },
  { "5e-324", "", "=5e-324" },
  { "1.7976931348623157e+308", ",", "=1.7976931348623157e+308" },
  { "0.1", ".30g", "=0.100000000000000005551115123126" },
  { "1e+22", ".25g", "=10000000000000000000000" },
  { "42", "", "=42" },
  { "-42", "", "=-42" },
  { "1.5", "10", "=       1.5" },
  { "'abc'", "", "=abc" },
  { "'abc'", "<", "=abc" },
  { "12345", "_o", "=3_0071" },
  { "2.5", ".0f", "=2" },
  { "3.5", ".0f", "=4" },
  { "1.25", ".1f", "=1.2" },
  { "-1e-07", ".3", "=-1e-07" },
  { "123", "=^+8", "===+123==" },
};
static const PercentCase percent_cases[] = {
  { "%5.2f", FALSE, 1, { "3.14159" }, "= 3.14" },
  { "%-10s|", FALSE, 1, { "'ab'" }, "=ab        |" },
  { "%x", FALSE, 1, { "255" }, "=ff" },
  { "%#X", FALSE, 1, { "255" }, "=0XFF" },
  { "%05d", FALSE, 1, { "-3" }, "=-0003" },
  { "%+d", FALSE, 1, { "5" }, "=+5" },
  { "% d", FALSE, 1, { "5" }, "= 5" },
  { "%.3d", FALSE, 1, { "7" }, "=007" },
  { "%#o", FALSE, 1, { "8" }, "=0o10" },
  { "%e", FALSE, 1, { "12345.678" }, "=1.234568e+04" },
  { "%g", FALSE, 1, { "1.234e-05" }, "=1.234e-05" },
  { "%10.4g|", FALSE, 1, { "3.14159" }, "=     3.142|" },
  { "%c", FALSE, 1, { "65" }, "=A" },
  { "%c", FALSE, 1, { "'z'" }, "=z" },
  { "%r", FALSE, 1, { "'a'" }, "='a'" },
  { "%s", FALSE, 1, { "None" }, "=None" },
  { "%d%%", FALSE, 1, { "50" }, "=50%" },
  { "%*d", TRUE, 2, { "5", "3" }, "=    3" },
  { "%-*d|", TRUE, 2, { "5", "3" }, "=3    |" },
  { "%.*f", TRUE, 2, { "2", "3.14159" }, "=3.14" },
  { "%d", FALSE, 1, { "True" }, "=1" },
  { "%s", FALSE, 1, { "True" }, "=True" },
  { "%d", FALSE, 1, { "1180591620717411303424" }, "=1180591620717411303424" },
  { "%x", FALSE, 1, { "-255" }, "=-ff" },
  { "%i", FALSE, 1, { "3.9" }, "=3" },
  { "%.2s", FALSE, 1, { "'abc'" }, "=ab" },
  { "%5s", FALSE, 1, { "'é'" }, "=    é" },
  { "%s %s", TRUE, 2, { "1", "2" }, "=1 2" },
  { "%a", FALSE, 1, { "'é'" }, "='\\xe9'" },
  { "%f", FALSE, 1, { "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" }, "OverflowError: int too large to convert to float" },
  { "%f", FALSE, 1, { "inf" }, "=inf" },
  { "%05.1f", FALSE, 1, { "nan" }, "=00nan" },
  { "%#.0f", FALSE, 1, { "2.0" }, "=2." },
  { "%u", FALSE, 1, { "3" }, "=3" },
  { "%ld", FALSE, 1, { "3" }, "=3" },
  { "%", TRUE, 0, {  }, "ValueError: incomplete format" },
  { "%s", TRUE, 0, {  }, "TypeError: not enough arguments for format string" },
  { "%s", TRUE, 1, { "1" }, "=1" },
  { "%c", FALSE, 1, { "1114112" }, "OverflowError: %c arg not in range(0x110000)" },
  { "%*d", TRUE, 2, { "'a'", "3" }, "TypeError: * wants int" },
  { "%.1f%%", FALSE, 1, { "12.345" }, "=12.3%" },
  { "%d", FALSE, 1, { "3.0" }, "=3" },
  { "%x", FALSE, 1, { "True" }, "=1" },
  { "%o", FALSE, 1, { "-8" }, "=-10" },
  { "%.0e", FALSE, 1, { "12345.0" }, "=1e+04" },
  { "%#x", FALSE, 1, { "0" }, "=0x0" },
  { "%+.2f", FALSE, 1, { "-0.0" }, "=-0.00" },
  { "%05s", FALSE, 1, { "'ab'" }, "=   ab" },
  { "% 5d", FALSE, 1, { "-3" }, "=   -3" },
  { "%d", FALSE, 1, { "'a'" }, "TypeError: %d format: a real number is required, not str" },
  { "%f", FALSE, 1, { "'a'" }, "TypeError: must be real number, not str" },
  { "%x", FALSE, 1, { "1.5" }, "TypeError: %x format: an integer is required, not float" },
  { "%d %d", TRUE, 1, { "1" }, "TypeError: not enough arguments for format string" },
  { "%d", TRUE, 2, { "1", "2" }, "TypeError: not all arguments converted during string formatting" },
  { "%q", FALSE, 1, { "1" }, "ValueError: unsupported format character 'q' (0x71) at index 1" },
  { "%c", FALSE, 1, { "'ab'" }, "TypeError: %c requires int or char" },
  { "%c", FALSE, 1, { "1.5" }, "TypeError: %c requires int or char" },
  { "%(a)s", FALSE, 1, { "1" }, "TypeError: format requires a mapping" },
  { "a", FALSE, 1, { "3" }, "TypeError: not all arguments converted during string formatting" },
  { "%d items", FALSE, 1, { "5" }, "=5 items" },
  { "%s and %r", TRUE, 2, { "'x'", "'y'" }, "=x and 'y'" },
  { "%-6.2f|", FALSE, 1, { "2.5" }, "=2.50  |" },
  { "%+05d", FALSE, 1, { "42" }, "=+0042" },
  { "%3c|", FALSE, 1, { "66" }, "=  B|" },
  { "%10.3e", FALSE, 1, { "-1234.5" }, "=-1.234e+03" },
  { "%G", FALSE, 1, { "1e-10" }, "=1E-10" },
  { "%.3s|%-4s|", TRUE, 2, { "'abcdef'", "'é'" }, "=abc|é   |" },
  { "é%dé", FALSE, 1, { "1" }, "=é1é" },
  { "%é", FALSE, 1, { "1" }, "ValueError: unsupported format character '?' (0xe9) at index 1" },
  { "%i", FALSE, 1, { "inf" }, "OverflowError: cannot convert float infinity to integer" },
};

static void
test_format_spec (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      const FormatCase *c = &format_cases[i];
      LsValue v = parse_literal (c->v), r;
      char *got = outcome (ls_format (v, c->spec, &r), r);

      if (g_strcmp0 (got, c->expected) != 0)
        g_test_message ("format(%s, '%s')", c->v, c->spec);
      g_assert_cmpstr (got, ==, c->expected);
      g_free (got);
      ls_value_unref (v);
    }
}

static void
test_percent (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (percent_cases); i++)
    {
      const PercentCase *c = &percent_cases[i];
      LsValue items[3], fmt = ls_str_new (c->fmt), args, r;
      char *got;

      for (guint k = 0; k < c->n; k++)
        items[k] = parse_literal (c->args[k]);
      args = c->tuple ? ls_tuple_new (c->n, items) : items[0];
      got = outcome (ls_op_binary (LS_OP_MOD, fmt, args, &r), r);
      if (g_strcmp0 (got, c->expected) != 0)
        g_test_message ("'%s' %% ...", c->fmt);
      g_assert_cmpstr (got, ==, c->expected);
      g_free (got);
      ls_value_unref (args);
      ls_value_unref (fmt);
    }
}

/* '%(key)s' looks the keys up in a mapping. */
static void
test_percent_mapping (void)
{
  LsValue d = ls_dict_new (), fmt = ls_str_new ("%(a)s-%(b)r|%(a)5d"), k, v, r, err;
  char *got;

  k = ls_str_new ("a");
  g_assert_true (ls_dict_set (d, k, ls_int (1), &err));
  ls_value_unref (k);
  k = ls_str_new ("b");
  v = ls_str_new ("x");
  g_assert_true (ls_dict_set (d, k, v, &err));
  ls_value_unref (k);
  ls_value_unref (v);
  got = outcome (ls_op_binary (LS_OP_MOD, fmt, d, &r), r);
  g_assert_cmpstr (got, ==, "=1-'x'|    1");
  g_free (got);
  ls_value_unref (fmt);
  fmt = ls_str_new ("%s %(a)s");
  got = outcome (ls_op_binary (LS_OP_MOD, fmt, d, &r), r);
  g_assert_cmpstr (got, ==, "={'a': 1, 'b': 'x'} 1");
  g_free (got);
  ls_value_unref (fmt);
  fmt = ls_str_new ("%(c)s");
  got = outcome (ls_op_binary (LS_OP_MOD, fmt, d, &r), r);
  g_assert_cmpstr (got, ==, "KeyError: 'c'");
  g_free (got);
  ls_value_unref (fmt);
  ls_value_unref (d);
}

static const LsTest tests[] = {
  LS_TEST_FUNC ("/engine/format/spec", test_format_spec),
  LS_TEST_FUNC ("/engine/format/percent", test_percent),
  LS_TEST_FUNC ("/engine/format/percent-mapping", test_percent_mapping),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
