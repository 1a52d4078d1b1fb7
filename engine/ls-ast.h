/* ls-ast.h - the syntax tree of the scenario language (a Python subset).
 *
 * The parser builds it, the compiler reads it.  Every node carries the line
 * and column (1-based, columns in characters as CPython counts them for the
 * caret) of its first token, so that errors and tracebacks can point at it.
 * Nodes live in one GLib string chunk / arena owned by the LsAst; nothing in
 * a tree is freed on its own.
 *
 * The shape follows CPython's ast module (Python.asdl) closely, so that a
 * reader can hold the two side by side; only what the subset supports is
 * here.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LsNode LsNode;

/* Expressions */
#define LS_EXPR_KINDS(X) \
  X (NAME)          /* str = identifier */ \
  X (CONST_INT)     /* str = digits as written, base-prefixed allowed ("0x1f", "1_000") */ \
  X (CONST_FLOAT)   /* num = value */ \
  X (CONST_STR)     /* str = decoded UTF-8, len = bytes (may contain NUL) */ \
  X (CONST_TRUE) X (CONST_FALSE) X (CONST_NONE) X (ELLIPSIS) \
  X (FSTRING)       /* items = parts: CONST_STR or FORMATTED */ \
  X (FORMATTED)     /* a = value, op = conversion ('r','s','a' or 0), b = spec (FSTRING or NULL), \
                       str = "expr=" text for the `=` form, else NULL */ \
  X (TUPLE) X (LIST) X (SET)   /* items; an item may be STARRED */ \
  X (DICT)          /* items = keys, items2 = values (a NULL key means **value) */ \
  X (UNARY)         /* op = LsOp (NEG, POS, INVERT, NOT), a */ \
  X (BINARY)        /* op = LsOp, a, b */ \
  X (BOOLOP)        /* op = AND/OR, items (2 or more) */ \
  X (COMPARE)       /* a = left, items = comparators, ops = LsOp per comparator */ \
  X (IFEXP)         /* a = test, b = body, c = orelse */ \
  X (LAMBDA)        /* args, a = body expression */ \
  X (CALL)          /* a = callee, items = positional (may be STARRED), kwargs */ \
  X (ATTRIBUTE)     /* a = object, str = attribute name */ \
  X (SUBSCRIPT)     /* a = object, b = index (may be SLICE or TUPLE) */ \
  X (SLICE)         /* a = lower, b = upper, c = step; each may be NULL */ \
  X (STARRED)       /* a */ \
  X (AWAIT)         /* a */ \
  X (YIELD)         /* a (may be NULL) */ \
  X (YIELD_FROM)    /* a */ \
  X (LISTCOMP) X (SETCOMP) X (GENEXP)  /* a = element, comps */ \
  X (DICTCOMP)      /* a = key, b = value, comps */ \
  X (NAMEDEXPR)     /* a = target NAME, b = value (walrus; optional support) */

/* Statements */
#define LS_STMT_KINDS(X) \
  X (EXPR)          /* a */ \
  X (ASSIGN)        /* items = targets (a = b = value has two), a = value */ \
  X (AUGASSIGN)     /* a = target, op = LsOp, b = value */ \
  X (ANNASSIGN)     /* a = target, b = annotation (ignored), c = value or NULL */ \
  X (PASS) X (BREAK) X (CONTINUE) \
  X (RETURN)        /* a or NULL */ \
  X (RAISE)         /* a = exception or NULL, b = cause (from) or NULL */ \
  X (GLOBAL) X (NONLOCAL)  /* names */ \
  X (DEL)           /* items = targets */ \
  X (ASSERT)        /* a = test, b = msg or NULL */ \
  X (IF)            /* a = test, body, orelse (an elif is an IF alone in orelse) */ \
  X (WHILE)         /* a = test, body, orelse */ \
  X (FOR)           /* a = target, b = iterable, body, orelse; flag = async for */ \
  X (WITH)          /* items = WITHITEM nodes, body; flag = async with */ \
  X (WITHITEM)      /* a = context expression, b = target or NULL */ \
  X (TRY)           /* body, handlers (EXCEPT nodes), orelse, finalbody */ \
  X (EXCEPT)        /* a = type expression or NULL, str = "as" name or NULL, body */ \
  X (FUNCTIONDEF)   /* str = name, args, body, decorators (items); flag = async def */ \
  X (CLASSDEF)      /* str = name, items = bases, kwargs = keywords, body, decorators */ \
  X (IMPORT)        /* aliases: ALIAS nodes */ \
  X (IMPORTFROM)    /* str = module, aliases; num = level (0) */ \
  X (ALIAS)         /* str = name ("a.b" dotted), str2 = asname or NULL */

/* Other nodes */
#define LS_MISC_KINDS(X) \
  X (MODULE)        /* body */ \
  X (COMPREHENSION) /* a = target, b = iterable, items = ifs; flag = async */ \
  X (ARGUMENTS)     /* see LsArguments */ \
  X (ARG)           /* str = name, a = default or NULL (annotations are dropped) */ \
  X (KEYWORD)       /* str = name, or NULL for **expr; a = value */

typedef enum {
#define LS_NODE_ENUM(id) LS_AST_##id,
  LS_EXPR_KINDS (LS_NODE_ENUM)
  LS_STMT_KINDS (LS_NODE_ENUM)
  LS_MISC_KINDS (LS_NODE_ENUM)
#undef LS_NODE_ENUM
  LS_AST_N_KINDS
} LsNodeKind;

/* Operators, shared by UNARY, BINARY, AUGASSIGN, BOOLOP and COMPARE.  The
 * second column is the operator as written, for error messages. */
#define LS_OPS(X) \
  X (ADD, "+") X (SUB, "-") X (MUL, "*") X (MATMUL, "@") X (DIV, "/") \
  X (FLOORDIV, "//") X (MOD, "%") X (POW, "**") X (LSHIFT, "<<") X (RSHIFT, ">>") \
  X (BITOR, "|") X (BITXOR, "^") X (BITAND, "&") \
  X (NEG, "-") X (POS, "+") X (INVERT, "~") X (NOT, "not") \
  X (AND, "and") X (OR, "or") \
  X (EQ, "==") X (NE, "!=") X (LT, "<") X (LE, "<=") X (GT, ">") X (GE, ">=") \
  X (IS, "is") X (IS_NOT, "is not") X (IN, "in") X (NOT_IN, "not in")

typedef enum {
  LS_OP_NONE = 0,
#define LS_OP_ENUM(id, text) LS_OP_##id,
  LS_OPS (LS_OP_ENUM)
#undef LS_OP_ENUM
  LS_OP_N
} LsOp;

const char *ls_op_text (LsOp op);
const char *ls_node_kind_name (LsNodeKind kind);

/* A list of nodes. */
typedef struct {
  LsNode **items;
  guint len;
} LsNodeList;

/* Function parameters, as in Python.asdl's `arguments`. */
typedef struct {
  LsNodeList posonly;      /* ARG nodes before `/` */
  LsNodeList args;         /* ordinary ARG nodes */
  LsNode *vararg;          /* *args: ARG or NULL */
  LsNodeList kwonly;       /* ARG nodes after `*` or *args */
  LsNode *kwarg;           /* **kwargs: ARG or NULL */
} LsArguments;

struct _LsNode {
  LsNodeKind kind;
  int line, col;           /* first token, 1-based */
  int end_line, end_col;   /* just past the last token */
  LsOp op;
  gboolean flag;           /* async (def/for/with/comprehension) */
  const char *str;         /* identifier, string contents, … (arena) */
  const char *str2;
  gsize len;               /* bytes of str for CONST_STR */
  double num;
  LsNode *a, *b, *c;
  LsNodeList items;
  LsNodeList items2;       /* DICT values */
  LsNodeList kwargs;       /* CALL keywords, CLASSDEF keywords: KEYWORD nodes */
  LsNodeList body, orelse, finalbody, handlers, decorators, comps, names, aliases;
  LsOp *ops;               /* COMPARE: one per comparator */
  LsArguments *args;       /* FUNCTIONDEF, LAMBDA */
};

/* A parsed module and the memory its nodes live in. */
typedef struct {
  LsNode *module;          /* MODULE */
  char *filename;          /* as given, for messages */
  char *source;            /* the source text (UTF-8), NUL terminated */
  GPtrArray *lines;        /* char * of each source line, for carets (1-based: index line-1) */
  gpointer arena;          /* private to the parser */
} LsAst;

/* A syntax error or unsupported construct: where and what.  The message
 * is CPython's wording where CPython has one ("invalid syntax", "expected
 * ':'", "unterminated string literal (detected at line 3)"), or
 * "<construct> is not supported" for what the subset leaves out. */
typedef struct {
  char *filename;
  int line, col;           /* 1-based */
  char *message;
  char *source_line;       /* the line's text, without its newline */
} LsSyntaxError;

void ls_syntax_error_free (LsSyntaxError *err);
/* "file:line:col: error: message\n<source line>\n<spaces>^\n" */
char *ls_syntax_error_format (const LsSyntaxError *err);

/* Parses source (taken as UTF-8) into a tree.  NULL and *error on a syntax
 * error or unsupported construct (the first one found). */
LsAst *ls_parse (const char *filename, const char *source, gssize len, LsSyntaxError **error);
void ls_ast_free (LsAst *ast);
/* For tests: the tree as an S-expression, e.g.
 * "(Module (Expr (Call (Name print) (Const 'hi'))))". */
char *ls_ast_dump (const LsNode *node);

G_END_DECLS
