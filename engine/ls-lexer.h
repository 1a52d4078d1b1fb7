/* ls-lexer.h - tokens of the scenario language (private to the parser).
 *
 * The lexer turns a whole source into an array of tokens before the parser
 * starts, the way CPython's tokenizer would hand them out one by one: NAME,
 * NUMBER and STRING tokens, operators, NEWLINE / INDENT / DEDENT by
 * Python's rules, and f-strings split as in CPython 3.12 (PEP 701) into
 * FSTRING_START, FSTRING_MIDDLE, the tokens of each replacement field, and
 * FSTRING_END.  It stops at its first error and ends the array with an
 * ERROR token there; the parser decides which error a user sees, because
 * CPython lets a tokenizer error anywhere in the file win over a parser
 * error before it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every token kind with the text an error message shows for it.  The
 * operators are listed longest first within a prefix, which the lexer's
 * longest match relies on; the keywords follow them. */
#define LS_TOKENS(X) \
  X (ENDMARKER, "end of file") X (NAME, "name") X (NUMBER, "number") \
  X (STRING, "string") X (NEWLINE, "newline") X (INDENT, "indent") \
  X (DEDENT, "dedent") X (FSTRING_START, "f-string") \
  X (FSTRING_MIDDLE, "f-string text") X (FSTRING_END, "end of f-string") \
  X (UNKNOWN, "character") X (ERROR, "error") \
  /* operators */ \
  X (ELLIPSIS, "...") X (DOUBLESTAREQUAL, "**=") X (DOUBLESLASHEQUAL, "//=") \
  X (LEFTSHIFTEQUAL, "<<=") X (RIGHTSHIFTEQUAL, ">>=") \
  X (DOUBLESTAR, "**") X (DOUBLESLASH, "//") X (LEFTSHIFT, "<<") X (RIGHTSHIFT, ">>") \
  X (EQEQUAL, "==") X (NOTEQUAL, "!=") X (LESSEQUAL, "<=") X (GREATEREQUAL, ">=") \
  X (PLUSEQUAL, "+=") X (MINEQUAL, "-=") X (STAREQUAL, "*=") X (SLASHEQUAL, "/=") \
  X (PERCENTEQUAL, "%=") X (AMPEREQUAL, "&=") X (VBAREQUAL, "|=") \
  X (CIRCUMFLEXEQUAL, "^=") X (ATEQUAL, "@=") X (RARROW, "->") X (COLONEQUAL, ":=") \
  X (LPAR, "(") X (RPAR, ")") X (LSQB, "[") X (RSQB, "]") X (LBRACE, "{") X (RBRACE, "}") \
  X (COLON, ":") X (COMMA, ",") X (SEMI, ";") X (PLUS, "+") X (MINUS, "-") \
  X (STAR, "*") X (SLASH, "/") X (VBAR, "|") X (AMPER, "&") X (LESS, "<") \
  X (GREATER, ">") X (EQUAL, "=") X (DOT, ".") X (PERCENT, "%") X (TILDE, "~") \
  X (CIRCUMFLEX, "^") X (AT, "@") X (EXCLAMATION, "!") \
  /* keywords */ \
  X (FALSE, "False") X (NONE, "None") X (TRUE, "True") X (AND, "and") X (AS, "as") \
  X (ASSERT, "assert") X (ASYNC, "async") X (AWAIT, "await") X (BREAK, "break") \
  X (CLASS, "class") X (CONTINUE, "continue") X (DEF, "def") X (DEL, "del") \
  X (ELIF, "elif") X (ELSE, "else") X (EXCEPT, "except") X (FINALLY, "finally") \
  X (FOR, "for") X (FROM, "from") X (GLOBAL, "global") X (IF, "if") \
  X (IMPORT, "import") X (IN, "in") X (IS, "is") X (LAMBDA, "lambda") \
  X (NONLOCAL, "nonlocal") X (NOT, "not") X (OR, "or") X (PASS, "pass") \
  X (RAISE, "raise") X (RETURN, "return") X (TRY, "try") X (WHILE, "while") \
  X (WITH, "with") X (YIELD, "yield")

typedef enum {
#define LS_TOK_ENUM(id, text) LS_TOK_##id,
  LS_TOKENS (LS_TOK_ENUM)
#undef LS_TOK_ENUM
  LS_TOK_N
} LsTokKind;

#define LS_TOK_FIRST_OP LS_TOK_ELLIPSIS
#define LS_TOK_FIRST_KEYWORD LS_TOK_FALSE

typedef struct {
  LsTokKind kind;
  int line, col;            /* first character, 1-based, col in characters */
  int end_line, end_col;    /* just past the last character */
  const char *start;        /* the text in the source (not NUL terminated) */
  guint len;                /* bytes */
  int level;                /* open brackets before the token, as CPython's tok->level */
} LsToken;

/* The lexer's first error, and whether it wins over a parser error found
 * earlier in the file, as in CPython's
 * _PyPegen_tokenize_full_source_to_check_for_errors: errors the C
 * tokenizer raises at once (strings, numbers, characters, brackets) win
 * unless they happen inside an f-string; those it only flags for the
 * parser (indentation, tabs, line continuation) never do; and "'(' was
 * never closed" wins when the bracket opened on an earlier line than the
 * parser's error (bracket_line, 0 for any other error). */
typedef struct {
  char *message;            /* NULL when there was no error */
  int line, col;
  int bracket_line;
  gboolean overrides;
} LsLexError;

/* Tokenizes len bytes of source (valid UTF-8, NUL terminated after len).
 * Returns the tokens (LsToken), ending with ENDMARKER, or with ERROR at the
 * first error, which is then described in *error (its message is the
 * caller's to g_free). */
GArray *_ls_lex (const char *source, gsize len, LsLexError *error);

/* The text shown for a kind: the operator or keyword itself, or a word. */
const char *_ls_token_kind_text (LsTokKind kind);

/* The column in characters (1-based) of p in the line starting at line_start. */
int _ls_col_of (const char *line_start, const char *p);

G_END_DECLS
