/* test-ops.c - the operators of the language on numbers (and the dispatch
 * to other types), checked against CPython 3.12.
 *
 * Each case is written with Python literals; the expected results (a repr,
 * or "ExceptionType: message") were printed by python3.12 evaluating the
 * same operation, so the tables are CPython's answers, not ours.
 */
#include "ls-test-harness.h"
#include "ls-ops.h"

#include <math.h>
#include <stdlib.h>

typedef struct { const char *a, *op, *b, *expected; } BinCase;
typedef struct { const char *op, *a, *expected; } UnCase;
typedef struct { const char *v; gint64 hash; } HashCase;

/* A value from a Python literal: int (any size), float, str, bool, None. */
static LsValue
parse_literal (const char *lit)
{
  gsize n = strlen (lit);

  if (lit[0] == '\'')
    return ls_str_new_len (lit + 1, n - 2);
  if (strcmp (lit, "True") == 0 || strcmp (lit, "False") == 0)
    return ls_bool (lit[0] == 'T');
  if (strcmp (lit, "None") == 0)
    return ls_none ();
  if (lit[0] == '[')
    {
      LsValue l = ls_list_new ();
      if (lit[1] != ']')
        ls_list_append (l, ls_int (atoi (lit + 1)));
      return l;
    }
  if (strpbrk (lit, ".en"))
    return ls_float (g_ascii_strtod (lit, NULL));
  return ls_int_from_string (lit, 10);
}

static LsOp
op_from_text (const char *text, LsOp first, LsOp last)
{
  for (LsOp op = first; op <= last; op++)
    if (strcmp (ls_op_text (op), text) == 0)
      return op;
  g_assert_not_reached ();
}

/* What the operation gave: the result's repr or the exception formatted
 * as the last line of a traceback; takes v. */
static char *
outcome (gboolean ok, LsValue v)
{
  char *s = ok ? ls_value_repr (v) : ls_exc_format (v);
  ls_value_unref (v);
  return s;
}

static const BinCase bin_cases[] = {
  { "7", "+", "2", "9" },
  { "7", "-", "2", "5" },
  { "7", "*", "2", "14" },
  { "7", "/", "2", "3.5" },
  { "7", "//", "2", "3" },
  { "7", "%", "2", "1" },
  { "7", "**", "2", "49" },
  { "7", "+", "-2", "5" },
  { "7", "-", "-2", "9" },
  { "7", "*", "-2", "-14" },
  { "7", "/", "-2", "-3.5" },
  { "7", "//", "-2", "-4" },
  { "7", "%", "-2", "-1" },
  { "7", "**", "-2", "0.02040816326530612" },
  { "7", "+", "3", "10" },
  { "7", "-", "3", "4" },
  { "7", "*", "3", "21" },
  { "7", "/", "3", "2.3333333333333335" },
  { "7", "//", "3", "2" },
  { "7", "%", "3", "1" },
  { "7", "**", "3", "343" },
  { "7", "+", "-3", "4" },
  { "7", "-", "-3", "10" },
  { "7", "*", "-3", "-21" },
  { "7", "/", "-3", "-2.3333333333333335" },
  { "7", "//", "-3", "-3" },
  { "7", "%", "-3", "-2" },
  { "7", "**", "-3", "0.0029154518950437317" },
  { "7", "+", "0", "7" },
  { "7", "-", "0", "7" },
  { "7", "*", "0", "0" },
  { "7", "/", "0", "ZeroDivisionError: division by zero" },
  { "7", "//", "0", "ZeroDivisionError: integer division or modulo by zero" },
  { "7", "%", "0", "ZeroDivisionError: integer modulo by zero" },
  { "7", "**", "0", "1" },
  { "-7", "+", "2", "-5" },
  { "-7", "-", "2", "-9" },
  { "-7", "*", "2", "-14" },
  { "-7", "/", "2", "-3.5" },
  { "-7", "//", "2", "-4" },
  { "-7", "%", "2", "1" },
  { "-7", "**", "2", "49" },
  { "-7", "+", "-2", "-9" },
  { "-7", "-", "-2", "-5" },
  { "-7", "*", "-2", "14" },
  { "-7", "/", "-2", "3.5" },
  { "-7", "//", "-2", "3" },
  { "-7", "%", "-2", "-1" },
  { "-7", "**", "-2", "0.02040816326530612" },
  { "-7", "+", "3", "-4" },
  { "-7", "-", "3", "-10" },
  { "-7", "*", "3", "-21" },
  { "-7", "/", "3", "-2.3333333333333335" },
  { "-7", "//", "3", "-3" },
  { "-7", "%", "3", "2" },
  { "-7", "**", "3", "-343" },
  { "-7", "+", "-3", "-10" },
  { "-7", "-", "-3", "-4" },
  { "-7", "*", "-3", "21" },
  { "-7", "/", "-3", "2.3333333333333335" },
  { "-7", "//", "-3", "2" },
  { "-7", "%", "-3", "-1" },
  { "-7", "**", "-3", "-0.0029154518950437317" },
  { "-7", "+", "0", "-7" },
  { "-7", "-", "0", "-7" },
  { "-7", "*", "0", "0" },
  { "-7", "/", "0", "ZeroDivisionError: division by zero" },
  { "-7", "//", "0", "ZeroDivisionError: integer division or modulo by zero" },
  { "-7", "%", "0", "ZeroDivisionError: integer modulo by zero" },
  { "-7", "**", "0", "1" },
  { "0", "+", "2", "2" },
  { "0", "-", "2", "-2" },
  { "0", "*", "2", "0" },
  { "0", "/", "2", "0.0" },
  { "0", "//", "2", "0" },
  { "0", "%", "2", "0" },
  { "0", "**", "2", "0" },
  { "0", "+", "-2", "-2" },
  { "0", "-", "-2", "2" },
  { "0", "*", "-2", "0" },
  { "0", "/", "-2", "-0.0" },
  { "0", "//", "-2", "0" },
  { "0", "%", "-2", "0" },
  { "0", "**", "-2", "ZeroDivisionError: 0.0 cannot be raised to a negative power" },
  { "0", "+", "3", "3" },
  { "0", "-", "3", "-3" },
  { "0", "*", "3", "0" },
  { "0", "/", "3", "0.0" },
  { "0", "//", "3", "0" },
  { "0", "%", "3", "0" },
  { "0", "**", "3", "0" },
  { "0", "+", "-3", "-3" },
  { "0", "-", "-3", "3" },
  { "0", "*", "-3", "0" },
  { "0", "/", "-3", "-0.0" },
  { "0", "//", "-3", "0" },
  { "0", "%", "-3", "0" },
  { "0", "**", "-3", "ZeroDivisionError: 0.0 cannot be raised to a negative power" },
  { "0", "+", "0", "0" },
  { "0", "-", "0", "0" },
  { "0", "*", "0", "0" },
  { "0", "/", "0", "ZeroDivisionError: division by zero" },
  { "0", "//", "0", "ZeroDivisionError: integer division or modulo by zero" },
  { "0", "%", "0", "ZeroDivisionError: integer modulo by zero" },
  { "0", "**", "0", "1" },
  { "13", "+", "2", "15" },
  { "13", "-", "2", "11" },
  { "13", "*", "2", "26" },
  { "13", "/", "2", "6.5" },
  { "13", "//", "2", "6" },
  { "13", "%", "2", "1" },
  { "13", "**", "2", "169" },
  { "13", "+", "-2", "11" },
  { "13", "-", "-2", "15" },
  { "13", "*", "-2", "-26" },
  { "13", "/", "-2", "-6.5" },
  { "13", "//", "-2", "-7" },
  { "13", "%", "-2", "-1" },
  { "13", "**", "-2", "0.005917159763313609" },
  { "13", "+", "3", "16" },
  { "13", "-", "3", "10" },
  { "13", "*", "3", "39" },
  { "13", "/", "3", "4.333333333333333" },
  { "13", "//", "3", "4" },
  { "13", "%", "3", "1" },
  { "13", "**", "3", "2197" },
  { "13", "+", "-3", "10" },
  { "13", "-", "-3", "16" },
  { "13", "*", "-3", "-39" },
  { "13", "/", "-3", "-4.333333333333333" },
  { "13", "//", "-3", "-5" },
  { "13", "%", "-3", "-2" },
  { "13", "**", "-3", "0.0004551661356395084" },
  { "13", "+", "0", "13" },
  { "13", "-", "0", "13" },
  { "13", "*", "0", "0" },
  { "13", "/", "0", "ZeroDivisionError: division by zero" },
  { "13", "//", "0", "ZeroDivisionError: integer division or modulo by zero" },
  { "13", "%", "0", "ZeroDivisionError: integer modulo by zero" },
  { "13", "**", "0", "1" },
  { "7.5", "+", "2.0", "9.5" },
  { "7.5", "-", "2.0", "5.5" },
  { "7.5", "*", "2.0", "15.0" },
  { "7.5", "/", "2.0", "3.75" },
  { "7.5", "//", "2.0", "3.0" },
  { "7.5", "%", "2.0", "1.5" },
  { "7.5", "**", "2.0", "56.25" },
  { "7.5", "+", "-2.0", "5.5" },
  { "7.5", "-", "-2.0", "9.5" },
  { "7.5", "*", "-2.0", "-15.0" },
  { "7.5", "/", "-2.0", "-3.75" },
  { "7.5", "//", "-2.0", "-4.0" },
  { "7.5", "%", "-2.0", "-0.5" },
  { "7.5", "**", "-2.0", "0.017777777777777778" },
  { "7.5", "+", "0.0", "7.5" },
  { "7.5", "-", "0.0", "7.5" },
  { "7.5", "*", "0.0", "0.0" },
  { "7.5", "/", "0.0", "ZeroDivisionError: float division by zero" },
  { "7.5", "//", "0.0", "ZeroDivisionError: float floor division by zero" },
  { "7.5", "%", "0.0", "ZeroDivisionError: float modulo" },
  { "7.5", "**", "0.0", "1.0" },
  { "7.5", "+", "2", "9.5" },
  { "7.5", "-", "2", "5.5" },
  { "7.5", "*", "2", "15.0" },
  { "7.5", "/", "2", "3.75" },
  { "7.5", "//", "2", "3.0" },
  { "7.5", "%", "2", "1.5" },
  { "7.5", "**", "2", "56.25" },
  { "-7.5", "+", "2.0", "-5.5" },
  { "-7.5", "-", "2.0", "-9.5" },
  { "-7.5", "*", "2.0", "-15.0" },
  { "-7.5", "/", "2.0", "-3.75" },
  { "-7.5", "//", "2.0", "-4.0" },
  { "-7.5", "%", "2.0", "0.5" },
  { "-7.5", "**", "2.0", "56.25" },
  { "-7.5", "+", "-2.0", "-9.5" },
  { "-7.5", "-", "-2.0", "-5.5" },
  { "-7.5", "*", "-2.0", "15.0" },
  { "-7.5", "/", "-2.0", "3.75" },
  { "-7.5", "//", "-2.0", "3.0" },
  { "-7.5", "%", "-2.0", "-1.5" },
  { "-7.5", "**", "-2.0", "0.017777777777777778" },
  { "-7.5", "+", "0.0", "-7.5" },
  { "-7.5", "-", "0.0", "-7.5" },
  { "-7.5", "*", "0.0", "-0.0" },
  { "-7.5", "/", "0.0", "ZeroDivisionError: float division by zero" },
  { "-7.5", "//", "0.0", "ZeroDivisionError: float floor division by zero" },
  { "-7.5", "%", "0.0", "ZeroDivisionError: float modulo" },
  { "-7.5", "**", "0.0", "1.0" },
  { "-7.5", "+", "2", "-5.5" },
  { "-7.5", "-", "2", "-9.5" },
  { "-7.5", "*", "2", "-15.0" },
  { "-7.5", "/", "2", "-3.75" },
  { "-7.5", "//", "2", "-4.0" },
  { "-7.5", "%", "2", "0.5" },
  { "-7.5", "**", "2", "56.25" },
  { "0.0", "+", "2.0", "2.0" },
  { "0.0", "-", "2.0", "-2.0" },
  { "0.0", "*", "2.0", "0.0" },
  { "0.0", "/", "2.0", "0.0" },
  { "0.0", "//", "2.0", "0.0" },
  { "0.0", "%", "2.0", "0.0" },
  { "0.0", "**", "2.0", "0.0" },
  { "0.0", "+", "-2.0", "-2.0" },
  { "0.0", "-", "-2.0", "2.0" },
  { "0.0", "*", "-2.0", "-0.0" },
  { "0.0", "/", "-2.0", "-0.0" },
  { "0.0", "//", "-2.0", "-0.0" },
  { "0.0", "%", "-2.0", "-0.0" },
  { "0.0", "**", "-2.0", "ZeroDivisionError: 0.0 cannot be raised to a negative power" },
  { "0.0", "+", "0.0", "0.0" },
  { "0.0", "-", "0.0", "0.0" },
  { "0.0", "*", "0.0", "0.0" },
  { "0.0", "/", "0.0", "ZeroDivisionError: float division by zero" },
  { "0.0", "//", "0.0", "ZeroDivisionError: float floor division by zero" },
  { "0.0", "%", "0.0", "ZeroDivisionError: float modulo" },
  { "0.0", "**", "0.0", "1.0" },
  { "0.0", "+", "2", "2.0" },
  { "0.0", "-", "2", "-2.0" },
  { "0.0", "*", "2", "0.0" },
  { "0.0", "/", "2", "0.0" },
  { "0.0", "//", "2", "0.0" },
  { "0.0", "%", "2", "0.0" },
  { "0.0", "**", "2", "0.0" },
  { "-0.0", "+", "2.0", "2.0" },
  { "-0.0", "-", "2.0", "-2.0" },
  { "-0.0", "*", "2.0", "-0.0" },
  { "-0.0", "/", "2.0", "-0.0" },
  { "-0.0", "//", "2.0", "-0.0" },
  { "-0.0", "%", "2.0", "0.0" },
  { "-0.0", "**", "2.0", "0.0" },
  { "-0.0", "+", "-2.0", "-2.0" },
  { "-0.0", "-", "-2.0", "2.0" },
  { "-0.0", "*", "-2.0", "0.0" },
  { "-0.0", "/", "-2.0", "0.0" },
  { "-0.0", "//", "-2.0", "0.0" },
  { "-0.0", "%", "-2.0", "-0.0" },
  { "-0.0", "**", "-2.0", "ZeroDivisionError: 0.0 cannot be raised to a negative power" },
  { "-0.0", "+", "0.0", "0.0" },
  { "-0.0", "-", "0.0", "-0.0" },
  { "-0.0", "*", "0.0", "-0.0" },
  { "-0.0", "/", "0.0", "ZeroDivisionError: float division by zero" },
  { "-0.0", "//", "0.0", "ZeroDivisionError: float floor division by zero" },
  { "-0.0", "%", "0.0", "ZeroDivisionError: float modulo" },
  { "-0.0", "**", "0.0", "1.0" },
  { "-0.0", "+", "2", "2.0" },
  { "-0.0", "-", "2", "-2.0" },
  { "-0.0", "*", "2", "-0.0" },
  { "-0.0", "/", "2", "-0.0" },
  { "-0.0", "//", "2", "-0.0" },
  { "-0.0", "%", "2", "0.0" },
  { "-0.0", "**", "2", "0.0" },
  { "4611686018427387904", "*", "4611686018427387904", "21267647932558653966460912964485513216" },
  { "1267650600228229401496703205376", "+", "1", "1267650600228229401496703205377" },
  { "-1267650600228229401496703205376", "//", "7", "-181092942889747057356671886483" },
  { "-1267650600228229401496703205376", "%", "7", "5" },
  { "1267650600228229401496703205376", "//", "-1267650600228229401496703205377", "-1" },
  { "1267650600228229401496703205376", "%", "-3", "-2" },
  { "1267650600228229401496703205376", "/", "3", "4.2255020007607644e+29" },
  { "1", "/", "1267650600228229401496703205376", "7.888609052210118e-31" },
  { "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "/", "1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "10000000000.0" },
  { "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "/", "1", "OverflowError: integer division result too large for a float" },
  { "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "+", "1.0", "OverflowError: int too large to convert to float" },
  { "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "<", "inf", "True" },
  { "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", ">", "1e+308", "True" },
  { "9007199254740993", "==", "9007199254740992.0", "False" },
  { "9007199254740992", "==", "9007199254740992.0", "True" },
  { "9007199254740993", ">", "9007199254740992.0", "True" },
  { "13582985290493858492773514283592667786034938469317445497485196697278130927542418487205392083207560592298578262953847383475038725543234929971155548342800628721885763499406390331782864144164680730766837160526223176512798435772129956553355286032203080380775759732320198985094884004069116123084147875437183658467465148948790552744165376", "/", "10715086071862673209484250490600018105614048117055336074437503883703510511249361224931983788156958581275946729175531468251871452856923140435984577574698574803934567774824230985421074605062371141877954182153046474983581941267398767559165543946077062914571196477686542167660429831652624386837205668069377", "1.2676506002282294e+30" },
  { "404804506614621236704990693437834614099113299528284236713802716054860679135990693783920767402874248990374155728633623822779617474771586953734026799881477019843034848553132722728933815484186432682479535356945490137124014966849385397236206711298319112681620113024717539104666829230461005064372655017292012526615415482186989569", "/", "81933344287753464290352457696086182287857132851736628739601276754021558106248987428521920298140584458954000375924069414628262688558027981401114168432135406200220795253831860100035338833562316499488472344730006203527200547188804127729444650403064289208231043636921325247870287294938330169029758951631760934327964364820227611019286676329671678372081690061058588235394436588878510650436529630360080108591841800561055670606127457750571554496925409023391889648461108695697253013885223876670583998515511324227383576492107760797446643730639618957836163262863779115105499015668392716584487321674492437012392892589787514324161591945051205137174325270413312", "5e-324" },
  { "1", "/", "202402253307310618352495346718917307049556649764142118356901358027430339567995346891960383701437124495187077864316811911389808737385793476867013399940738509921517424276566361364466907742093216341239767678472745068562007483424692698618103355649159556340810056512358769552333414615230502532186327508646006263307707741093494784", "5e-324" },
  { "3", "/", "404804506614621236704990693437834614099113299528284236713802716054860679135990693783920767402874248990374155728633623822779617474771586953734026799881477019843034848553132722728933815484186432682479535356945490137124014966849385397236206711298319112681620113024717539104666829230461005064372655017292012526615415482186989568", "1e-323" },
  { "1", "/", "404804506614621236704990693437834614099113299528284236713802716054860679135990693783920767402874248990374155728633623822779617474771586953734026799881477019843034848553132722728933815484186432682479535356945490137124014966849385397236206711298319112681620113024717539104666829230461005064372655017292012526615415482186989568", "0.0" },
  { "2", "**", "100", "1267650600228229401496703205376" },
  { "-2", "**", "101", "-2535301200456458802993406410752" },
  { "2", "**", "-1", "0.5" },
  { "-2", "**", "-3", "-0.125" },
  { "0", "**", "-1", "ZeroDivisionError: 0.0 cannot be raised to a negative power" },
  { "0.0", "**", "-1", "ZeroDivisionError: 0.0 cannot be raised to a negative power" },
  { "2.0", "**", "10000", "OverflowError: (34, 'Numerical result out of range')" },
  { "10", "**", "0.5", "3.1622776601683795" },
  { "-8.0", "**", "2", "64.0" },
  { "0", "**", "0", "1" },
  { "1", "<<", "100", "1267650600228229401496703205376" },
  { "-1", "<<", "70", "-1180591620717411303424" },
  { "1267650600228229401496703205376", ">>", "90", "1024" },
  { "-1267650600228229401496703205376", ">>", "200", "-1" },
  { "-5", ">>", "1", "-3" },
  { "5", ">>", "100", "0" },
  { "1", "<<", "-1", "ValueError: negative shift count" },
  { "1", ">>", "-1", "ValueError: negative shift count" },
  { "1", "<<", "100000000000000000000", "OverflowError: too many digits in integer" },
  { "1.5", "<<", "1", "TypeError: unsupported operand type(s) for <<: 'float' and 'int'" },
  { "-5", "&", "3", "3" },
  { "-5", "|", "3", "-5" },
  { "-5", "^", "3", "-8" },
  { "-1267650600228229401496703205376", "&", "1267650600228229401496703205375", "0" },
  { "1267650600228229401496703205376", "|", "-1", "-1" },
  { "1267650600228229401496703217721", "^", "1267650600228229401496703205376", "12345" },
  { "True", "+", "True", "2" },
  { "True", "*", "3", "3" },
  { "True", "/", "2", "0.5" },
  { "True", "&", "True", "True" },
  { "True", "|", "False", "True" },
  { "True", "^", "True", "False" },
  { "True", "&", "3", "1" },
  { "True", "<<", "3", "8" },
  { "False", "**", "0", "1" },
  { "True", "==", "1", "True" },
  { "True", "==", "1.0", "True" },
  { "1", "+", "'a'", "TypeError: unsupported operand type(s) for +: 'int' and 'str'" },
  { "'a'", "-", "1", "TypeError: unsupported operand type(s) for -: 'str' and 'int'" },
  { "'a'", "**", "2", "TypeError: unsupported operand type(s) for ** or pow(): 'str' and 'int'" },
  { "None", "+", "1", "TypeError: unsupported operand type(s) for +: 'NoneType' and 'int'" },
  { "1", "@", "2", "TypeError: unsupported operand type(s) for @: 'int' and 'int'" },
  { "'a'", "<", "1", "TypeError: '<' not supported between instances of 'str' and 'int'" },
  { "1", "<", "None", "TypeError: '<' not supported between instances of 'int' and 'NoneType'" },
  { "1", "==", "'a'", "False" },
  { "1", "!=", "'a'", "True" },
  { "None", "==", "None", "True" },
  { "None", "<", "None", "TypeError: '<' not supported between instances of 'NoneType' and 'NoneType'" },
  { "1", "<", "2.5", "True" },
  { "3", ">=", "3.0", "True" },
  { "nan", "==", "nan", "False" },
  { "nan", "!=", "nan", "True" },
  { "nan", "<", "1", "False" },
  { "1", "<", "nan", "False" },
  { "1267650600228229401496703205376", "!=", "nan", "True" },
  { "-1267650600228229401496703205376", "<", "-1e+30", "True" },
  { "1", "is", "1", "True" },
  { "1", "is not", "2", "True" },
  { "None", "is", "None", "True" },
  { "1", "is", "1.0", "False" },
  { "0.1", "+", "0.2", "0.30000000000000004" },
  { "1e+308", "*", "10", "inf" },
  { "-1e+308", "*", "10", "-inf" },
  { "5.0", "%", "inf", "5.0" },
  { "-5.0", "%", "inf", "inf" },
  { "inf", "%", "5", "nan" },
  { "5.0", "//", "inf", "0.0" },
  { "-5.0", "//", "inf", "-1.0" },
  { "inf", "**", "-1", "0.0" },
  { "-inf", "**", "3", "-inf" },
  { "-1.0", "**", "inf", "1.0" },
  { "1.0", "**", "nan", "1.0" },
  { "nan", "**", "0", "1.0" },
  { "-0.0", "**", "-3", "ZeroDivisionError: 0.0 cannot be raised to a negative power" },
  { "2", "**", "0.5", "1.4142135623730951" },
  { "18446744073709551616", "**", "2", "340282366920938463463374607431768211456" },
  { "7", "%", "-0.0", "ZeroDivisionError: float modulo" },
  { "-0.0", "//", "1", "-0.0" },
  { "0.0", "/", "-3", "-0.0" },
  { "0", "/", "-5", "-0.0" },
  { "-1", "//", "10", "-1" },
  { "-1", "%", "10", "9" },
  { "1.0", "//", "0.1", "9.0" },
  { "1.0", "%", "0.1", "0.09999999999999995" },
  { "'ab'", "+", "'cd'", "'abcd'" },
  { "'ab'", "*", "3", "'ababab'" },
  { "3", "*", "'ab'", "'ababab'" },
  { "True", "*", "'ab'", "'ab'" },
  { "'%d items'", "%", "5", "'5 items'" },
  { "'x'", "%", "1", "TypeError: not all arguments converted during string formatting" },
  { "9223372036854775808", "-", "1", "9223372036854775807" },
  { "-9223372036854775808", "-", "1", "-9223372036854775809" },
  { "140737488355328", "-", "1", "140737488355327" },
  { "-140737488355328", "+", "0", "-140737488355328" },
  { "140737488355327", "+", "1", "140737488355328" },
};
static const UnCase un_cases[] = {
  { "-", "5", "-5" },
  { "-", "-140737488355328", "140737488355328" },
  { "-", "1267650600228229401496703205376", "-1267650600228229401496703205376" },
  { "-", "-1267650600228229401496703205376", "1267650600228229401496703205376" },
  { "+", "True", "1" },
  { "-", "True", "-1" },
  { "~", "True", "-2" },
  { "~", "5", "-6" },
  { "~", "-1267650600228229401496703205376", "1267650600228229401496703205375" },
  { "~", "1.5", "TypeError: bad operand type for unary ~: 'float'" },
  { "-", "1.5", "-1.5" },
  { "-", "0.0", "-0.0" },
  { "+", "-0.0", "-0.0" },
  { "not", "0", "True" },
  { "not", "1267650600228229401496703205376", "False" },
  { "not", "0.0", "True" },
  { "not", "''", "True" },
  { "not", "'a'", "False" },
  { "not", "None", "True" },
  { "-", "'a'", "TypeError: bad operand type for unary -: 'str'" },
  { "~", "None", "TypeError: bad operand type for unary ~: 'NoneType'" },
  { "+", "'a'", "TypeError: bad operand type for unary +: 'str'" },
};
static const HashCase hash_cases[] = {
  { "0", G_GINT64_CONSTANT (0) },
  { "1", G_GINT64_CONSTANT (1) },
  { "-1", G_GINT64_CONSTANT (-2) },
  { "-2", G_GINT64_CONSTANT (-2) },
  { "2305843009213693950", G_GINT64_CONSTANT (2305843009213693950) },
  { "2305843009213693951", G_GINT64_CONSTANT (0) },
  { "2305843009213693952", G_GINT64_CONSTANT (1) },
  { "-2305843009213693952", G_GINT64_CONSTANT (-2) },
  { "1267650600228229401496703205376", G_GINT64_CONSTANT (549755813888) },
  { "-1267650600228229401496703205376", G_GINT64_CONSTANT (-549755813888) },
  { "1000000000000000000000000000000", G_GINT64_CONSTANT (465258685558744706) },
  { "1.5", G_GINT64_CONSTANT (1152921504606846977) },
  { "-1.0", G_GINT64_CONSTANT (-2) },
  { "0.5", G_GINT64_CONSTANT (1152921504606846976) },
  { "1e+100", G_GINT64_CONSTANT (1822893315824342674) },
  { "-1e-300", G_GINT64_CONSTANT (-482449582752280463) },
  { "inf", G_GINT64_CONSTANT (314159) },
  { "-inf", G_GINT64_CONSTANT (-314159) },
  { "1.1805916207174113e+21", G_GINT64_CONSTANT (512) },
  { "123456.789", G_GINT64_CONSTANT (1819310134279660096) },
  { "True", G_GINT64_CONSTANT (1) },
  { "False", G_GINT64_CONSTANT (0) },
  { "140737488355328", G_GINT64_CONSTANT (140737488355328) },
  { "-140737488355329", G_GINT64_CONSTANT (-140737488355329) },
  { "0.1", G_GINT64_CONSTANT (230584300921369408) },
};

typedef struct { const char *text; int base; const char *expected; } ParseCase;

static const ParseCase parse_cases[] = {
  { "1_000", 0, "1000" },
  { "0x_1f", 0, "31" },
  { "0o17", 0, "15" },
  { "0b1010", 0, "10" },
  { "-42", 10, "-42" },
  { "  12  ", 10, "12" },
  { "ff", 16, "255" },
  { "0xff", 16, "255" },
  { "z", 36, "35" },
  { "1__0", 0, "ValueError: invalid literal for int() with base 0: '1__0'" },
  { "_1", 0, "ValueError: invalid literal for int() with base 0: '_1'" },
  { "1_", 0, "ValueError: invalid literal for int() with base 0: '1_'" },
  { "012", 0, "ValueError: invalid literal for int() with base 0: '012'" },
  { "000", 0, "0" },
  { "12a", 10, "ValueError: invalid literal for int() with base 10: '12a'" },
  { "", 10, "ValueError: invalid literal for int() with base 10: ''" },
  { "0x", 0, "ValueError: invalid literal for int() with base 0: '0x'" },
  { "99999999999999999999999999999", 10, "99999999999999999999999999999" },
  { "-0b11111111111111111111111111111111111111111111111111111111111111111111111111111111", 0, "-1208925819614629174706175" },
};

static void
test_binary (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bin_cases); i++)
    {
      const BinCase *c = &bin_cases[i];
      LsValue a = parse_literal (c->a), b = parse_literal (c->b), r;
      LsOp op = op_from_text (c->op, LS_OP_ADD, LS_OP_IS_NOT);
      gboolean ok = op >= LS_OP_EQ ? ls_op_compare (op, a, b, &r) : ls_op_binary (op, a, b, &r);
      char *got = outcome (ok, r);

      if (g_strcmp0 (got, c->expected) != 0)
        g_test_message ("%s %s %s", c->a, c->op, c->b);
      g_assert_cmpstr (got, ==, c->expected);
      g_free (got);
      ls_value_unref (a);
      ls_value_unref (b);
    }
}

static void
test_unary (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (un_cases); i++)
    {
      const UnCase *c = &un_cases[i];
      LsValue a = parse_literal (c->a), r;
      LsOp op = op_from_text (c->op, LS_OP_NEG, LS_OP_NOT);
      char *got = outcome (ls_op_unary (op, a, &r), r);

      if (g_strcmp0 (got, c->expected) != 0)
        g_test_message ("%s %s", c->op, c->a);
      g_assert_cmpstr (got, ==, c->expected);
      g_free (got);
      ls_value_unref (a);
    }
}

static void
test_hash (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hash_cases); i++)
    {
      LsValue v = parse_literal (hash_cases[i].v), error;
      guint64 h = 0;

      g_assert_true (ls_op_hash (v, &h, &error));
      if ((gint64) h != hash_cases[i].hash)
        g_test_message ("hash(%s)", hash_cases[i].v);
      g_assert_cmpint ((gint64) h, ==, hash_cases[i].hash);
      ls_value_unref (v);
    }
}

/* int() parsing and literals: underscores, prefixes, CPython's messages. */
static void
test_int_from_string (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      LsValue v = ls_int_from_string (parse_cases[i].text, parse_cases[i].base);
      char *got = outcome (ls_exc_type (v) == NULL, v);

      g_assert_cmpstr (got, ==, parse_cases[i].expected);
      g_free (got);
    }

  /* The 4300-digit limit is for decimal; power-of-two bases have none. */
  {
    char *digits = g_strnfill (5000, '1');
    LsValue v = ls_int_from_string (digits, 10), w, r;
    char *got = outcome (FALSE, v);

    g_assert_cmpstr (got, ==, "ValueError: Exceeds the limit (4300 digits) for integer string "
                     "conversion: value has 5000 digits; use sys.set_int_max_str_digits() "
                     "to increase the limit");
    g_free (got);
    w = ls_int_from_string (digits, 16);
    g_assert_null (ls_exc_type (w));
    g_assert_false (ls_format (w, "", &r));
    got = outcome (FALSE, r);
    g_assert_cmpstr (got, ==, "ValueError: Exceeds the limit (4300 digits) for integer string "
                     "conversion; use sys.set_int_max_str_digits() to increase the limit");
    g_free (got);
    ls_value_unref (w);
    g_free (digits);
  }
}

/* Big ints print in full, normalise back to immediates, and read back as
 * gint64 only when they fit. */
static void
test_bigint (void)
{
  LsValue f = ls_int (1), r, big;
  char *s;
  gint64 i;

  /* math.factorial(30) */
  for (int k = 2; k <= 30; k++)
    {
      g_assert_true (ls_op_binary (LS_OP_MUL, f, ls_int (k), &r));
      ls_value_set (&f, r);
    }
  s = ls_value_repr (f);
  g_assert_cmpstr (s, ==, "265252859812191058636308480000000");
  g_free (s);
  s = ls_value_str (f);
  g_assert_cmpstr (s, ==, "265252859812191058636308480000000");
  g_free (s);
  g_assert_true (ls_is_object (f));
  g_assert_false (ls_int_fits_int64 (f, &i));
  g_assert_true (ls_value_is (f, &ls_int_class));
  g_assert_true (ls_value_truthy (f));

  /* 30! // 29! is 30 again, an immediate. */
  big = ls_value_ref (f);
  for (int k = 30; k >= 2; k--)
    {
      g_assert_true (ls_op_binary (LS_OP_FLOORDIV, big, ls_int (k), &r));
      ls_value_set (&big, r);
    }
  g_assert_false (ls_is_object (big));
  g_assert_cmpint (ls_value_as_int (big), ==, 1);
  ls_value_unref (big);

  /* 2**200, and -(2**64) fitting no gint64 */
  g_assert_true (ls_op_binary (LS_OP_POW, ls_int (2), ls_int (200), &big));
  s = ls_value_repr (big);
  g_assert_cmpstr (s, ==, "1606938044258990275541962092341162602522202993782792835301376");
  g_free (s);
  ls_value_unref (big);
  g_assert_true (ls_op_binary (LS_OP_POW, ls_int (2), ls_int (64), &big));
  g_assert_true (ls_op_unary (LS_OP_NEG, big, &r));
  s = ls_value_repr (r);
  g_assert_cmpstr (s, ==, "-18446744073709551616");
  g_free (s);
  g_assert_false (ls_int_fits_int64 (r, &i));
  g_assert_cmpint (ls_value_as_int (r), ==, G_MININT64);   /* saturates */
  ls_value_unref (r);
  ls_value_unref (big);

  /* gint64 edges go through GMP and back. */
  g_assert_true (ls_int_fits_int64 (ls_int (LS_VALUE_INT_MAX), &i));
  big = ls_int (G_MAXINT64);
  g_assert_true (ls_int_fits_int64 (big, &i));
  g_assert_cmpint (i, ==, G_MAXINT64);
  g_assert_true (ls_op_binary (LS_OP_ADD, big, ls_int (1), &r));
  s = ls_value_repr (r);
  g_assert_cmpstr (s, ==, "9223372036854775808");
  g_free (s);
  g_assert_false (ls_int_fits_int64 (r, &i));
  g_assert_false (ls_int_fits_int64 (ls_float (1.0), &i));
  ls_value_unref (r);
  ls_value_unref (big);

  /* Equality is by value, exact across int and float. */
  big = ls_int_from_string ("9007199254740993", 10);      /* 2**53 + 1 */
  g_assert_false (ls_value_equal (big, ls_float (9007199254740992.0)));
  r = ls_int_from_string ("9007199254740993", 10);
  g_assert_true (ls_value_equal (big, r));
  g_assert_false (ls_value_identical (big, r));
  ls_value_unref (r);
  ls_value_unref (big);
  g_assert_true (ls_value_equal (ls_int (3), ls_float (3.0)));
  g_assert_true (ls_value_equal (ls_bool (TRUE), ls_float (1.0)));

  ls_value_unref (f);
}

static void
check_op (gboolean ok, LsValue v, const char *expected)
{
  char *got = outcome (ok, v);
  g_assert_cmpstr (got, ==, expected);
  g_free (got);
}

/* What types without slots raise, and the fallbacks of `in`, bool() and
 * attributes. */
static void
test_dispatch (void)
{
  LsValue five = ls_int (5), s = ls_str_new ("cat"), l = ls_list_new (), r, err, it;
  gint64 n;
  gboolean b;

  g_assert_false (ls_op_getitem (five, ls_int (0), &r));
  check_op (FALSE, r, "TypeError: 'int' object is not subscriptable");
  g_assert_false (ls_op_setitem (five, ls_int (0), ls_int (1), &err));
  check_op (FALSE, err, "TypeError: 'int' object does not support item assignment");
  g_assert_false (ls_op_delitem (ls_none (), ls_int (0), &err));
  check_op (FALSE, err, "TypeError: 'NoneType' object does not support item deletion");
  g_assert_false (ls_op_len (five, &n, &err));
  check_op (FALSE, err, "TypeError: object of type 'int' has no len()");
  g_assert_false (ls_op_iter (five, &r));
  check_op (FALSE, r, "TypeError: 'int' object is not iterable");
  g_assert_cmpint (ls_op_next (five, &r), ==, -1);
  check_op (FALSE, r, "TypeError: 'int' object is not an iterator");
  g_assert_false (ls_op_contains (ls_float (1.5), five, &b, &err));
  check_op (FALSE, err, "TypeError: argument of type 'float' is not iterable");
  g_assert_false (ls_op_compare (LS_OP_IN, five, five, &r));
  check_op (FALSE, r, "TypeError: argument of type 'int' is not iterable");
  g_assert_false (ls_op_hash (l, (guint64 *) &n, &err));
  check_op (FALSE, err, "TypeError: unhashable type: 'list'");

  /* `in` on a list and a str, through their slots */
  ls_list_append (l, ls_int (1));
  ls_list_append (l, ls_float (2.0));
  g_assert_true (ls_op_compare (LS_OP_IN, ls_int (2), l, &r));
  check_op (TRUE, r, "True");
  g_assert_true (ls_op_compare (LS_OP_NOT_IN, ls_int (3), l, &r));
  check_op (TRUE, r, "True");
  r = ls_str_new ("a");
  g_assert_true (ls_op_contains (s, r, &b, &err));
  g_assert_true (b);
  ls_value_unref (r);

  /* bool() through len, and of numbers */
  g_assert_true (ls_op_truthy (l, &b, &err) && b);
  g_assert_true (ls_op_truthy (ls_float (0.0), &b, &err) && !b);
  g_assert_true (ls_op_truthy (ls_none (), &b, &err) && !b);
  g_assert_true (ls_op_unary (LS_OP_NOT, l, &r));
  check_op (TRUE, r, "False");

  /* `list += iterable` extends the same list; `list *= n` repeats it. */
  it = ls_value_ref (l);
  g_assert_true (ls_op_inplace (LS_OP_ADD, l, s, &r));
  g_assert_true (ls_value_identical (r, it));
  ls_value_unref (r);
  g_assert_true (ls_op_inplace (LS_OP_MUL, l, ls_int (2), &r));
  g_assert_true (ls_value_identical (r, it));
  ls_value_unref (r);
  check_op (TRUE, it, "[1, 2.0, 'c', 'a', 't', 1, 2.0, 'c', 'a', 't']");
  g_assert_false (ls_op_inplace (LS_OP_ADD, five, s, &r));
  check_op (FALSE, r, "TypeError: unsupported operand type(s) for +=: 'int' and 'str'");
  g_assert_false (ls_op_inplace (LS_OP_POW, five, s, &r));
  check_op (FALSE, r, "TypeError: unsupported operand type(s) for **=: 'int' and 'str'");
  g_assert_true (ls_op_inplace (LS_OP_ADD, five, ls_float (0.5), &r));
  check_op (TRUE, r, "5.5");

  /* attributes of numbers */
  g_assert_true (ls_op_getattr (ls_int (5), "bit_length", &it));
  g_assert_true (ls_call (it, NULL, 0, &r));
  check_op (TRUE, r, "3");
  g_assert_false (ls_call (it, &five, 1, &r));
  check_op (FALSE, r, "TypeError: int.bit_length() takes no arguments (1 given)");
  ls_value_unref (it);
  g_assert_true (ls_op_getattr (ls_float (2.5), "is_integer", &it));
  g_assert_true (ls_call (it, NULL, 0, &r));
  check_op (TRUE, r, "False");
  ls_value_unref (it);
  g_assert_true (ls_op_getattr (ls_bool (TRUE), "real", &r));
  check_op (TRUE, r, "1");
  g_assert_false (ls_op_getattr (five, "foo", &r));
  check_op (FALSE, r, "AttributeError: 'int' object has no attribute 'foo'");
  g_assert_false (ls_op_setattr (five, "foo", five, &err));
  check_op (FALSE, err, "AttributeError: 'int' object has no attribute 'foo'");
  g_assert_false (ls_op_setattr (ls_float (1.5), "real", five, &err));
  check_op (FALSE, err, "AttributeError: attribute 'real' of 'float' objects is not writable");

  ls_value_unref (l);
  ls_value_unref (s);
}

static const LsTest tests[] = {
  LS_TEST_FUNC ("/engine/ops/binary", test_binary),
  LS_TEST_FUNC ("/engine/ops/unary", test_unary),
  LS_TEST_FUNC ("/engine/ops/hash", test_hash),
  LS_TEST_FUNC ("/engine/ops/int-from-string", test_int_from_string),
  LS_TEST_FUNC ("/engine/ops/bigint", test_bigint),
  LS_TEST_FUNC ("/engine/ops/dispatch", test_dispatch),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
