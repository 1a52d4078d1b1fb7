/* test-parser.c - the lexer and parser of the scenario language.
 *
 * The expected trees were printed from CPython 3.12's own ast module
 * (converted to ls_ast_dump's S-expressions), and every expected error -
 * message, line and column - is what python3.12 reports for the same
 * source, so these tables double as a record of what CPython does.
 */
#include "ls-test-harness.h"
#include "ls-ast.h"

#include <string.h>

static LsAst *
parse_ok (const char *source)
{
  LsSyntaxError *err = NULL;
  LsAst *ast = ls_parse ("x.py", source, -1, &err);

  if (err)
    g_test_message ("unexpected error for %s: %s at %d:%d", source, err->message, err->line, err->col);
  g_assert_null (err);
  g_assert_nonnull (ast);
  return ast;
}

static void
check_dump (const char *source, const char *expected)
{
  LsAst *ast = parse_ok (source);
  char *dump = ls_ast_dump (ast->module);

  g_assert_cmpstr (dump, ==, expected);
  g_free (dump);
  ls_ast_free (ast);
}

/* ---- trees ----------------------------------------------------------------- */

static const struct {
  const char *name;
  const char *source;
  const char *dump;
} dump_cases[] = {
    { "expr-call",
      "print(\"hi\")",
      "(Module (Expr (Call (Name print) (Const 'hi'))))" },
    { "assign-chained",
      "a = b = 1",
      "(Module (Assign (Name a) (Name b) = (Const 1)))" },
    { "unpack-starred",
      "a, *b, (c, d) = x",
      "(Module (Assign (Tuple (Name a) (Starred (Name b)) (Tuple (Name c) (Name d))) = (Name x)))" },
    { "augassign",
      "x += 1; y //= 2; z **= 3; w @= m",
      "(Module (AugAssign (Name x) += (Const 1)) (AugAssign (Name y) //= (Const 2)) (AugAssign (Name z) **= (Const 3)) (AugAssign (Name w) @= (Name m)))" },
    { "annassign",
      "n: int = 5\no.a: list",
      "(Module (AnnAssign (Name n) (Name int) (Const 5)) (AnnAssign (Attribute (Name o) a) (Name list)))" },
    { "precedence",
      "x = not a or b and c | d ^ e & f << 1 + 2 * -3 ** 4",
      "(Module (Assign (Name x) = (BoolOp or (UnaryOp not (Name a)) (BoolOp and (Name b) (BinOp | (Name c) (BinOp ^ (Name d) (BinOp & (Name e) (BinOp << (Name f) (BinOp + (Const 1) (BinOp * (Const 2) (UnaryOp - (BinOp ** (Const 3) (Const 4)))))))))))))" },
    { "compare-chain",
      "a < b <= c is not d not in e == f",
      "(Module (Expr (Compare (Name a) < (Name b) <= (Name c) is not (Name d) not in (Name e) == (Name f))))" },
    { "ifexp",
      "x = a if b else c if d else e",
      "(Module (Assign (Name x) = (IfExp (Name b) (Name a) (IfExp (Name d) (Name c) (Name e)))))" },
    { "lambda",
      "f = lambda x, y=1, *a, k, **kw: x",
      "(Module (Assign (Name f) = (Lambda (arguments (args x (y (Const 1))) (vararg a) (kwonly k) (kwarg kw)) (Name x))))" },
    { "call-args",
      "f(a, *b, c=1, **d)",
      "(Module (Expr (Call (Name f) (Name a) (Starred (Name b)) (keyword c (Const 1)) (keyword ** (Name d)))))" },
    { "subscript-slices",
      "x[1:2, ::3, :][a:b:c]",
      "(Module (Expr (Subscript (Subscript (Name x) (Tuple (Slice (Const 1) (Const 2) -) (Slice - - (Const 3)) (Slice - - -))) (Slice (Name a) (Name b) (Name c)))))" },
    { "attribute",
      "a.b.c(d)[e].f",
      "(Module (Expr (Attribute (Subscript (Call (Attribute (Attribute (Name a) b) c) (Name d)) (Name e)) f)))" },
    { "literals",
      "x = (1_000, 0x1f, 1.5e3, None, True, False, ..., \"s\")",
      "(Module (Assign (Name x) = (Tuple (Const 1_000) (Const 0x1f) (Const 1.5e3) (Const None) (Const True) (Const False) (Const ...) (Const 's'))))" },
    { "string-concat",
      "s = 'a' \"b\" '''c''' r'\\n'",
      "(Module (Assign (Name s) = (Const 'abc\\\\n')))" },
    { "string-escapes",
      "s = '\\x41\\u00e9\\n\\t\\101\\q'",
      "(Module (Assign (Name s) = (Const 'Aé\\n\\tA\\\\q')))" },
    { "containers",
      "x = [1, *a], (), (1,), {1, 2}, {}, {1: 2, **d}",
      "(Module (Assign (Name x) = (Tuple (List (Const 1) (Starred (Name a))) (Tuple) (Tuple (Const 1)) (Set (Const 1) (Const 2)) (Dict) (Dict ((Const 1) (Const 2)) (** (Name d))))))" },
    { "comprehensions",
      "x = [i for i in y if i], {k: v for k, v in d}, {s for s in t}, (g for g in h)",
      "(Module (Assign (Name x) = (Tuple (ListComp (Name i) (for (Name i) (Name y) (if (Name i)))) (DictComp (Name k) (Name v) (for (Tuple (Name k) (Name v)) (Name d))) (SetComp (Name s) (for (Name s) (Name t))) (GeneratorExp (Name g) (for (Name g) (Name h))))))" },
    { "async-comprehension",
      "async def f():\n    return [x async for x in y]",
      "(Module (AsyncFunctionDef f (arguments) (body (Return (ListComp (Name x) (async for (Name x) (Name y)))))))" },
    { "genexp-argument",
      "sum(x * x for x in range(10))",
      "(Module (Expr (Call (Name sum) (GeneratorExp (BinOp * (Name x) (Name x)) (for (Name x) (Call (Name range) (Const 10)))))))" },
    { "walrus",
      "if (n := len(a)) > 10: pass",
      "(Module (If (Compare (NamedExpr (Name n) (Call (Name len) (Name a))) > (Const 10)) (body (Pass))))" },
    { "yield",
      "def g():\n    yield\n    yield 1, 2\n    x = yield y\n    yield from z",
      "(Module (FunctionDef g (arguments) (body (Expr (Yield)) (Expr (Yield (Tuple (Const 1) (Const 2)))) (Assign (Name x) = (Yield (Name y))) (Expr (YieldFrom (Name z))))))" },
    { "await",
      "async def f():\n    await asyncio.sleep(1)",
      "(Module (AsyncFunctionDef f (arguments) (body (Expr (Await (Call (Attribute (Name asyncio) sleep) (Const 1)))))))" },
    { "if-elif-else",
      "if a:\n    pass\nelif b:\n    x = 1\nelse:\n    y = 2",
      "(Module (If (Name a) (body (Pass)) (orelse (If (Name b) (body (Assign (Name x) = (Const 1))) (orelse (Assign (Name y) = (Const 2)))))))" },
    { "while-else",
      "while x:\n    break\nelse:\n    continue_ = 1",
      "(Module (While (Name x) (body (Break)) (orelse (Assign (Name continue_) = (Const 1)))))" },
    { "for-else",
      "for i, j in z:\n    continue\nelse:\n    pass",
      "(Module (For (Tuple (Name i) (Name j)) (Name z) (body (Continue)) (orelse (Pass))))" },
    { "async-for",
      "async def f():\n    async for x in y:\n        pass",
      "(Module (AsyncFunctionDef f (arguments) (body (AsyncFor (Name x) (Name y) (body (Pass))))))" },
    { "try-full",
      "try:\n    pass\nexcept ValueError as e:\n    raise\nexcept (A, B):\n    pass\nexcept:\n    pass\nelse:\n    pass\nfinally:\n    pass",
      "(Module (Try (body (Pass)) (ExceptHandler (Name ValueError) as e (body (Raise))) (ExceptHandler (Tuple (Name A) (Name B)) (body (Pass))) (ExceptHandler - (body (Pass))) (orelse (Pass)) (finalbody (Pass))))" },
    { "try-finally",
      "try:\n    x = 1\nfinally:\n    y = 2",
      "(Module (Try (body (Assign (Name x) = (Const 1))) (finalbody (Assign (Name y) = (Const 2)))))" },
    { "with-items",
      "with open(f) as a, g as (b, c), h:\n    pass",
      "(Module (With (withitem (Call (Name open) (Name f)) (Name a)) (withitem (Name g) (Tuple (Name b) (Name c))) (withitem (Name h)) (body (Pass))))" },
    { "with-parenthesized",
      "with (a as b, c as d,):\n    pass",
      "(Module (With (withitem (Name a) (Name b)) (withitem (Name c) (Name d)) (body (Pass))))" },
    { "async-with",
      "async def f():\n    async with lock:\n        pass",
      "(Module (AsyncFunctionDef f (arguments) (body (AsyncWith (withitem (Name lock)) (body (Pass))))))" },
    { "def-params",
      "def f(a, b, /, c, d=1, *e, f, g=2, **h) -> int:\n    return a",
      "(Module (FunctionDef f (arguments (posonly a b) (args c (d (Const 1))) (vararg e) (kwonly f (g (Const 2))) (kwarg h)) (body (Return (Name a)))))" },
    { "def-bare-star",
      "def f(*, a): pass",
      "(Module (FunctionDef f (arguments (kwonly a)) (body (Pass))))" },
    { "decorators",
      "@dec\n@dec2(1)\ndef f(): pass",
      "(Module (FunctionDef f (arguments) (body (Pass)) (decorators (Name dec) (Call (Name dec2) (Const 1)))))" },
    { "class",
      "@dec\nclass A(B, C.D):\n    x = 1\n    def m(self): return self.x",
      "(Module (ClassDef A (bases (Name B) (Attribute (Name C) D)) (body (Assign (Name x) = (Const 1)) (FunctionDef m (arguments (args self)) (body (Return (Attribute (Name self) x))))) (decorators (Name dec))))" },
    { "class-exception",
      "class MyError(Exception): pass",
      "(Module (ClassDef MyError (bases (Name Exception)) (body (Pass))))" },
    { "return-raise",
      "def f():\n    return\n    return 1, 2\n    raise E(\"x\") from None",
      "(Module (FunctionDef f (arguments) (body (Return) (Return (Tuple (Const 1) (Const 2))) (Raise (Call (Name E) (Const 'x')) from (Const None)))))" },
    { "global-nonlocal",
      "def f():\n    global a, b\n    def g():\n        nonlocal c",
      "(Module (FunctionDef f (arguments) (body (Global a b) (FunctionDef g (arguments) (body (Nonlocal c))))))" },
    { "del-assert-pass",
      "del a, b[0], c.d\nassert x, \"msg\"\npass",
      "(Module (Delete (Name a) (Subscript (Name b) (Const 0)) (Attribute (Name c) d)) (Assert (Name x) (Const 'msg')) (Pass))" },
    { "import",
      "import asyncio, os.path as osp",
      "(Module (Import (alias asyncio) (alias os.path as osp)))" },
    { "import-from",
      "from concurrent.futures import (ThreadPoolExecutor as TPE, wait,)",
      "(Module (ImportFrom concurrent.futures (alias ThreadPoolExecutor as TPE) (alias wait)))" },
    { "main-guard",
      "if __name__ == \"__main__\":\n    asyncio.run(main())",
      "(Module (If (Compare (Name __name__) == (Const '__main__')) (body (Expr (Call (Attribute (Name asyncio) run) (Call (Name main)))))))" },
    { "line-joining",
      "x = [1,\n     2]  # c\ny = 1 + \\\n    2\n\n# only a comment\n",
      "(Module (Assign (Name x) = (List (Const 1) (Const 2))) (Assign (Name y) = (BinOp + (Const 1) (Const 2))))" },
    { "fstring-fields",
      "f\"{a}{b!r}{c:>{w}.{p}}{d!a} {{x}}\"",
      "(Module (Expr (JoinedStr (FormattedValue (Name a)) (FormattedValue (Name b) !r) (FormattedValue (Name c) :(JoinedStr (Const '>') (FormattedValue (Name w)) (Const '.') (FormattedValue (Name p)))) (FormattedValue (Name d) !a) (Const ' {x}'))))" },
    { "fstring-self-documenting",
      "f\"{x=}{y = }{z=:.2f}{q=!s}\"",
      "(Module (Expr (JoinedStr (FormattedValue (Name x) !r ='x=') (FormattedValue (Name y) !r ='y = ') (FormattedValue (Name z) :(JoinedStr (Const '.2f')) ='z=') (FormattedValue (Name q) !s ='q='))))" },
    { "fstring-nested-quotes",
      "f\"{d['k']}\" f'{\"a\" if x else \"b\"}'",
      "(Module (Expr (JoinedStr (FormattedValue (Subscript (Name d) (Const 'k'))) (FormattedValue (IfExp (Name x) (Const 'a') (Const 'b'))))))" },
    { "fstring-concat",
      "\"a\" f\"{b}\" 'c'",
      "(Module (Expr (JoinedStr (Const 'a') (FormattedValue (Name b)) (Const 'c'))))" },
};

static void
test_dumps (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (dump_cases); i++)
    {
      g_test_message ("%s", dump_cases[i].name);
      check_dump (dump_cases[i].source, dump_cases[i].dump);
    }
}

/* ---- positions --------------------------------------------------------------- */

static void
check_pos (const LsNode *n, LsNodeKind kind, int line, int col, int end_line, int end_col)
{
  g_assert_nonnull (n);
  g_assert_cmpstr (ls_node_kind_name (n->kind), ==, ls_node_kind_name (kind));
  g_assert_cmpint (n->line, ==, line);
  g_assert_cmpint (n->col, ==, col);
  g_assert_cmpint (n->end_line, ==, end_line);
  g_assert_cmpint (n->end_col, ==, end_col);
}

/* Positions as CPython's ast gives them (col_offset + 1, end_col_offset + 1). */
static void
test_positions (void)
{
  LsAst *ast = parse_ok ("x = 1\n"
                         "if (a and\n"
                         "        b):\n"
                         "    y = (lambda q: q)(z).w\n"
                         "s = \"\"\"abc\n"
                         "def\"\"\" + t\n"
                         "def f(a,\n"
                         "      b=2):\n"
                         "    return a\n");
  const LsNode *m = ast->module, *stmt, *e;

  g_assert_cmpuint (m->body.len, ==, 4);
  check_pos (m->body.items[0], LS_AST_ASSIGN, 1, 1, 1, 6);
  check_pos (m->body.items[0]->items.items[0], LS_AST_NAME, 1, 1, 1, 2);
  check_pos (m->body.items[0]->a, LS_AST_CONST_INT, 1, 5, 1, 6);

  stmt = m->body.items[1];
  check_pos (stmt, LS_AST_IF, 2, 1, 4, 27);
  check_pos (stmt->a, LS_AST_BOOLOP, 2, 5, 3, 10);
  /* "(lambda q: q)(z)" starts at the parenthesis, as in CPython */
  e = stmt->body.items[0]->a;
  check_pos (e, LS_AST_ATTRIBUTE, 4, 9, 4, 27);
  check_pos (e->a, LS_AST_CALL, 4, 9, 4, 25);
  check_pos (e->a->a, LS_AST_LAMBDA, 4, 10, 4, 21);

  stmt = m->body.items[2];
  check_pos (stmt->a, LS_AST_BINARY, 5, 5, 6, 11);
  check_pos (stmt->a->a, LS_AST_CONST_STR, 5, 5, 6, 7);
  g_assert_cmpstr (stmt->a->a->str, ==, "abc\ndef");

  stmt = m->body.items[3];
  check_pos (stmt, LS_AST_FUNCTIONDEF, 7, 1, 9, 13);
  check_pos (stmt->args->args.items[1]->a, LS_AST_CONST_INT, 8, 9, 8, 10);
  check_pos (stmt->body.items[0], LS_AST_RETURN, 9, 5, 9, 13);
  ls_ast_free (ast);
}

/* Columns count characters, not bytes, as CPython's caret does. */
static void
test_positions_unicode (void)
{
  LsAst *ast = parse_ok ("s = \"\xc3\xa9t\xc3\xa9\" + x\n");
  const LsNode *add = ast->module->body.items[0]->a;

  check_pos (add, LS_AST_BINARY, 1, 5, 1, 14);
  check_pos (add->b, LS_AST_NAME, 1, 13, 1, 14);
  g_assert_cmpuint (add->a->len, ==, 5);
  ls_ast_free (ast);
}

/* ---- f-strings ------------------------------------------------------------------ */

static void
test_fstring_positions (void)
{
  LsAst *ast = parse_ok ("x = f\"a{b!r:>{w}} {c + 1=}\"\n"
                         "y = f'''{\n"
                         "  d}'''\n");
  const LsNode *fs = ast->module->body.items[0]->a, *f;

  check_pos (fs, LS_AST_FSTRING, 1, 5, 1, 28);
  g_assert_cmpuint (fs->items.len, ==, 4);
  check_pos (fs->items.items[0], LS_AST_CONST_STR, 1, 7, 1, 8);
  f = fs->items.items[1];
  check_pos (f, LS_AST_FORMATTED, 1, 8, 1, 18);
  g_assert_cmpint (f->op, ==, 'r');
  check_pos (f->a, LS_AST_NAME, 1, 9, 1, 10);
  check_pos (f->b, LS_AST_FSTRING, 1, 12, 1, 17);
  check_pos (f->b->items.items[1]->a, LS_AST_NAME, 1, 15, 1, 16);
  g_assert_null (f->str);

  /* {c + 1=}: the text before the value, and repr() by default */
  f = fs->items.items[3];
  g_assert_cmpstr (f->str, ==, "c + 1=");
  g_assert_cmpint (f->op, ==, 'r');
  check_pos (f->a, LS_AST_BINARY, 1, 20, 1, 25);

  fs = ast->module->body.items[1]->a;
  check_pos (fs->items.items[0]->a, LS_AST_NAME, 3, 3, 3, 4);
  ls_ast_free (ast);
}

static void
test_fstring_spec_and_escapes (void)
{
  check_dump ("f'{{{x}}}'", "(Module (Expr (JoinedStr (Const '{') (FormattedValue (Name x)) (Const '}'))))");
  check_dump ("f'{x=:>10}'", "(Module (Expr (JoinedStr (FormattedValue (Name x) :(JoinedStr (Const '>10')) ='x='))))");
  check_dump ("rf'\\n{x}'", "(Module (Expr (JoinedStr (Const '\\\\n') (FormattedValue (Name x)))))");
  check_dump ("f'{f\"{y}\"}'", "(Module (Expr (JoinedStr (FormattedValue (JoinedStr (FormattedValue (Name y)))))))");
}

/* ---- errors ------------------------------------------------------------------------ */

static const struct {
  const char *source;
  const char *message;
  int line, col;
} error_cases[] = {
    { "f'{x:{{}}'",
      "f-string: expecting '}', or format specs", 1, 10 },
    { "x = = 1\n",
      "invalid syntax", 1, 5 },
    { "foo(a b)\n",
      "invalid syntax. Perhaps you forgot a comma?", 1, 5 },
    { "if x\n  pass\n",
      "expected ':'", 1, 5 },
    { "x = 1)\n",
      "unmatched ')'", 1, 6 },
    { "x = (1,\n2\n",
      "'(' was never closed", 1, 5 },
    { "s = \"abc\n",
      "unterminated string literal (detected at line 1)", 1, 5 },
    { "s = '''abc\n\n",
      "unterminated triple-quoted string literal (detected at line 2)", 1, 5 },
    { "x = 1\n    y = 2\n",
      "unexpected indent", 2, 4 },
    { "if x:\n        a\n    b\n",
      "unindent does not match any outer indentation level", 3, 6 },
    { "if x:\npass\n",
      "expected an indented block after 'if' statement on line 1", 2, 1 },
    { "def f():\nreturn 1\n",
      "expected an indented block after function definition on line 1", 2, 1 },
    { "x = 1 if 2 else\n",
      "invalid syntax", 1, 16 },
    { "a = 1 if 2\n",
      "expected 'else' after 'if' expression", 1, 5 },
    { "x = 0x\n",
      "invalid hexadecimal literal", 1, 6 },
    { "x = 12abc\n",
      "invalid decimal literal", 1, 6 },
    { "x = 09\n",
      "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 5 },
    { "x = 0o8\n",
      "invalid digit '8' in octal literal", 1, 7 },
    { "foo(]\n",
      "closing parenthesis ']' does not match opening parenthesis '('", 1, 5 },
    { "foo(\n]\n",
      "closing parenthesis ']' does not match opening parenthesis '(' on line 1", 2, 1 },
    { "x = 1 \\ y\n",
      "unexpected character after line continuation character", 1, 8 },
    { "x = \xe2\x82\xac""\n",
      "invalid character '\xe2\x82\xac""' (U+20AC)", 1, 5 },
    { "print \"hi\"\n",
      "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1 },
    { "1 = x\n",
      "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1 },
    { "f() = 1\n",
      "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 1 },
    { "del f()\n",
      "cannot delete function call", 1, 5 },
    { "return\n",
      "'return' outside function", 1, 1 },
    { "x = [1, 2\ny = 3\n",
      "'[' was never closed", 1, 5 },
    { "if x:\n  a\n\tb\n",
      "inconsistent use of tabs and spaces in indentation", 3, 1 },
    { "try:\n  pass\n",
      "expected 'except' or 'finally' block", 2, 7 },
    { "try:\n  pass\nx=1\n",
      "expected 'except' or 'finally' block", 3, 1 },
    { "def f x:\n  pass\n",
      "expected '('", 1, 7 },
    { "x = f\"{a b}\"\n",
      "invalid syntax. Perhaps you forgot a comma?", 1, 8 },
    { "x = f\"{\"\n",
      "f-string: expecting '}'", 1, 8 },
    { "x = f\"{a!z}\"\n",
      "f-string: invalid conversion character 'z': expected 's', 'r', or 'a'", 1, 10 },
    { "x = f\"}\"\n",
      "f-string: single '}' is not allowed", 1, 7 },
    { "x = f\"{}\"\n",
      "f-string: valid expression required before '}'", 1, 8 },
    { "def f():\n  await x\n",
      "'await' outside async function", 2, 3 },
    { "break\n",
      "'break' outside loop", 1, 1 },
    { "nonlocal x\n",
      "nonlocal declaration not allowed at module level", 1, 1 },
    { "def f(*, **k): pass\n",
      "named arguments must follow bare *", 1, 7 },
    { "def f(a=1, b): pass\n",
      "parameter without a default follows parameter with a default", 1, 12 },
    { "f(a=1, 2)\n",
      "positional argument follows keyword argument", 1, 9 },
    { "f(x for x in y, 1)\n",
      "Generator expression must be parenthesized", 1, 3 },
    { "(a, b) += 1\n",
      "'tuple' is an illegal expression for augmented assignment", 1, 1 },
    { "a, 1 = 2\n",
      "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 4 },
    { "x = 1 = 2\n",
      "cannot assign to literal", 1, 5 },
    { "*a = 1\n",
      "starred assignment target must be in a list or tuple", 1, 1 },
    { "x = {1: 2, 3}\n",
      "':' expected after dictionary key", 1, 12 },
    { "x = = 1\ns = 'abc\n",
      "unterminated string literal (detected at line 2)", 2, 5 },
    { "x = \"\\x4\"\n",
      "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape", 1, 5 },
    { "x: int, y = 1\n",
      "invalid syntax", 1, 7 },
    { "with a as 1: pass\n",
      "cannot assign to literal", 1, 11 },
    { "x = 1 \\",
      "unexpected EOF while parsing", 1, 8 },
    { "f(a=1, a=2)\n",
      "keyword argument repeated: a", 1, 8 },
};

static void
check_error (const char *source, const char *message, int line, int col)
{
  LsSyntaxError *err = NULL;
  LsAst *ast = ls_parse ("x.py", source, -1, &err);
  char *escaped = g_strescape (source, NULL);

  g_test_message ("source: %s", escaped);
  g_free (escaped);
  g_assert_null (ast);
  g_assert_nonnull (err);
  g_assert_cmpstr (err->message, ==, message);
  g_assert_cmpint (err->line, ==, line);
  g_assert_cmpint (err->col, ==, col);
  ls_syntax_error_free (err);
}

static void
test_errors_cpython (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    check_error (error_cases[i].source, error_cases[i].message, error_cases[i].line,
                 error_cases[i].col);
}

/* What the subset leaves out is named at the construct. */
static void
test_errors_unsupported (void)
{
  check_error ("match x:\n    case 1:\n        pass\n", "match statements are not supported", 1, 1);
  check_error ("x = b'abc'\n", "bytes literals are not supported", 1, 5);
  check_error ("x = 1j\n", "complex numbers are not supported", 1, 5);
  check_error ("class A(metaclass=M): pass\n", "class keyword arguments are not supported", 1, 9);
  check_error ("from . import x\n", "relative imports are not supported", 1, 6);
  check_error ("from os import *\n", "'from os import *' is not supported", 1, 16);
  check_error ("async def f():\n    yield 1\n", "asynchronous generators are not supported", 2, 5);
  check_error ("print >> f, 'x'\n", "'print >>' is not supported", 1, 1);
  check_error ("try:\n    pass\nexcept* E:\n    pass\n", "except* is not supported", 3, 1);
  check_error ("type X = int\n", "type alias statements are not supported", 1, 1);
  check_error ("def f[T](x): pass\n", "type parameter lists are not supported", 1, 6);
}

static void
test_error_format (void)
{
  LsSyntaxError *err = NULL;
  char *text;

  g_assert_null (ls_parse ("x.py", "x = 1\n\tif x\n", -1, &err));
  g_assert_nonnull (err);
  text = ls_syntax_error_format (err);
  g_assert_cmpstr (text, ==, "x.py:2:1: error: unexpected indent\n\tif x\n^\n");
  g_free (text);
  ls_syntax_error_free (err);

  g_assert_null (ls_parse ("demo.py", "if True:\n    if x\n        pass\n", -1, &err));
  text = ls_syntax_error_format (err);
  g_assert_cmpstr (text, ==, "demo.py:2:9: error: expected ':'\n    if x\n        ^\n");
  g_free (text);
  ls_syntax_error_free (err);
}

/* Bad input never crashes: NUL bytes, invalid UTF-8, deep nesting, CRLF. */
static void
test_bad_input (void)
{
  LsSyntaxError *err = NULL;
  GString *deep = g_string_new ("x = ");
  LsAst *ast;

  g_assert_null (ls_parse ("x.py", "x = 1\0\n", 7, &err));
  g_assert_cmpstr (err->message, ==, "source code cannot contain null bytes");
  ls_syntax_error_free (err);

  g_assert_null (ls_parse ("x.py", "x = '\xff'\n", -1, &err));
  g_assert_cmpint (err->line, ==, 1);
  ls_syntax_error_free (err);

  for (int i = 0; i < 300; i++)
    g_string_append_c (deep, '(');
  g_assert_null (ls_parse ("x.py", deep->str, -1, &err));
  g_assert_cmpstr (err->message, ==, "too many nested parentheses");
  ls_syntax_error_free (err);
  g_string_free (deep, TRUE);

  ast = ls_parse ("x.py", "if x:\r\n    y = 1\r\n", -1, &err);
  g_assert_nonnull (ast);
  g_assert_cmpuint (ast->module->body.items[0]->body.len, ==, 1);
  ls_ast_free (ast);

  ast = ls_parse ("x.py", "", -1, &err);
  g_assert_nonnull (ast);
  g_assert_cmpuint (ast->module->body.len, ==, 0);
  ls_ast_free (ast);
}

static void
test_names (void)
{
  g_assert_cmpstr (ls_op_text (LS_OP_NOT_IN), ==, "not in");
  g_assert_cmpstr (ls_op_text (LS_OP_FLOORDIV), ==, "//");
  g_assert_cmpstr (ls_node_kind_name (LS_AST_FUNCTIONDEF), ==, "FUNCTIONDEF");
}

static const LsTest tests[] = {
  LS_TEST_FUNC ("/engine/parser/dumps", test_dumps),
  LS_TEST_FUNC ("/engine/parser/positions", test_positions),
  LS_TEST_FUNC ("/engine/parser/positions-unicode", test_positions_unicode),
  LS_TEST_FUNC ("/engine/parser/fstring-positions", test_fstring_positions),
  LS_TEST_FUNC ("/engine/parser/fstring-spec-escapes", test_fstring_spec_and_escapes),
  LS_TEST_FUNC ("/engine/parser/errors-cpython", test_errors_cpython),
  LS_TEST_FUNC ("/engine/parser/errors-unsupported", test_errors_unsupported),
  LS_TEST_FUNC ("/engine/parser/error-format", test_error_format),
  LS_TEST_FUNC ("/engine/parser/bad-input", test_bad_input),
  LS_TEST_FUNC ("/engine/parser/names", test_names),
};

int
main (int argc, char **argv)
{
  return ls_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
