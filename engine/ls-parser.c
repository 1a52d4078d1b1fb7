/* ls-parser.c - the parser of the scenario language: tokens to LsAst.
 *
 * Statements are parsed by recursive descent, expressions by a Pratt
 * parser (a table of prefix and infix rules with Python's precedences, as
 * in Wren's compiler).  Programs are short scenarios, so the whole source
 * is tokenized first (ls-lexer.c) and the parser looks ahead freely.
 *
 * Errors follow CPython 3.12: the first one is reported, with CPython's
 * message and the column its caret points at.  After an error the parser
 * only unwinds: peek() returns an ENDMARKER and every rule returns a dummy
 * node, so no rule needs to test for failure to stay safe.  Which error a
 * user sees is decided at the end (pick_error): a tokenizer error anywhere
 * in the file wins over an earlier parser error, as in CPython, and the
 * errors CPython's compiler raises after parsing ("'return' outside
 * function") only count when the whole file parsed.
 *
 * All nodes and strings live in an arena owned by the LsAst.
 */
#include "ls-ast.h"
#include "ls-lexer.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- the arena ---------------------------------------------------------- */

#define ARENA_BLOCK (16 * 1024)

typedef struct {
  GPtrArray *blocks;         /* g_free'd with the arena */
  char *next;
  gsize left;
  GStringChunk *strings;
} Arena;

static Arena *
arena_new (void)
{
  Arena *a = g_new0 (Arena, 1);

  a->blocks = g_ptr_array_new_with_free_func (g_free);
  a->strings = g_string_chunk_new (4096);
  return a;
}

static void
arena_free (Arena *a)
{
  if (!a)
    return;
  g_ptr_array_unref (a->blocks);
  g_string_chunk_free (a->strings);
  g_free (a);
}

/* Zeroed memory that lives as long as the arena. */
static gpointer
arena_alloc (Arena *a, gsize size)
{
  gpointer mem;

  size = (size + 15) & ~(gsize) 15;
  if (size > a->left)
    {
      gsize bytes = MAX (size, ARENA_BLOCK);

      a->next = g_malloc (bytes);
      a->left = bytes;
      g_ptr_array_add (a->blocks, a->next);
    }
  mem = a->next;
  a->next += size;
  a->left -= size;
  memset (mem, 0, size);
  return mem;
}

/* ---- the parser's state ------------------------------------------------- */

typedef enum {
  PREC_LOWEST,            /* lambda, if-else */
  PREC_OR,
  PREC_AND,
  PREC_NOT,
  PREC_COMPARE,
  PREC_BITOR,
  PREC_BITXOR,
  PREC_BITAND,
  PREC_SHIFT,
  PREC_TERM,              /* + - */
  PREC_FACTOR,            /* * / // % @ */
  PREC_UNARY,             /* + - ~ */
  PREC_POWER,
  PREC_AWAIT,
  PREC_PRIMARY,           /* calls, attributes, subscripts */
} Prec;

/* What kind of code a statement is in, for the checks CPython's compiler
 * makes ('return' outside function, 'await' outside async function). */
typedef enum {
  SCOPE_MODULE,
  SCOPE_CLASS,
  SCOPE_FUNCTION,
  SCOPE_ASYNC_FUNCTION,
  SCOPE_LAMBDA,
} Scope;

/* A late error ranks by when CPython would find it: the symbol table
 * runs over the whole module before code generation starts. */
typedef enum {
  LATE_SYMTABLE,
  LATE_COMPILER,
  LATE_NONE,
} LateRank;

typedef struct {
  Arena *arena;
  const LsToken *toks;
  guint ntoks, pos;
  LsToken eof;                   /* what peek() returns after an error */
  GHashTable *parenthesized;     /* node written in parentheses -> its '(' token */

  gboolean failed;
  gboolean lex_failed;           /* it failed at the lexer's ERROR token */
  char *message;
  int line, col;
  int fail_line;                 /* line of the token it failed at */
  guint fail_pos;                /* and its index */

  LateRank late_rank;
  char *late_message;
  int late_line, late_col;

  Scope scope;
  int loops;                     /* loops around the statement, in this scope */
} Parser;

static LsNode *parse_expr (Parser *p);
static LsNode *parse_prec (Parser *p, Prec min);
static LsNode *parse_named (Parser *p);
static LsNode *parse_star_named (Parser *p);
static LsNode *parse_star_exprs (Parser *p);
static LsNode *parse_yield (Parser *p);
static void parse_statement (Parser *p, LsNodeList *body);
static void parse_comps (Parser *p, LsNodeList *comps);
static void check_missing_comma (Parser *p, const LsNode *elem);
static gboolean starts_expression (LsTokKind kind);

/* ---- tokens ----------------------------------------------------------------- */

static const LsToken *
peek (Parser *p)
{
  return p->failed ? &p->eof : &p->toks[p->pos];
}

static const LsToken *
peek_at (Parser *p, guint ahead)
{
  if (p->failed)
    return &p->eof;
  return &p->toks[MIN (p->pos + ahead, p->ntoks - 1)];
}

static const LsToken *
prev (Parser *p)
{
  return &p->toks[p->pos > 0 ? p->pos - 1 : 0];
}

static gboolean
check (Parser *p, LsTokKind kind)
{
  return peek (p)->kind == kind;
}

static const LsToken *
advance (Parser *p)
{
  const LsToken *t = peek (p);

  if (!p->failed && p->pos + 1 < p->ntoks)
    p->pos++;
  return t;
}

static gboolean
accept (Parser *p, LsTokKind kind)
{
  if (!check (p, kind))
    return FALSE;
  advance (p);
  return TRUE;
}

/* ---- errors ------------------------------------------------------------------ */

static void error_at (Parser *p, int line, int col, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

/* Records the first error; the parser then only unwinds. */
static void
error_at (Parser *p, int line, int col, const char *fmt, ...)
{
  va_list ap;

  if (p->failed)
    return;
  va_start (ap, fmt);
  p->message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  p->line = line;
  p->col = col;
  /* CPython's tokenizer raises its error as soon as the parser asks for
   * the token it failed on, before any parser error found there. */
  p->lex_failed = p->toks[p->pos].kind == LS_TOK_ERROR;
  p->fail_line = p->toks[p->pos].line;
  p->fail_pos = p->pos;
  p->failed = TRUE;
}

#define error_node(p, n, ...) error_at ((p), (n)->line, (n)->col, __VA_ARGS__)
#define error_tok(p, t, ...) error_at ((p), (t)->line, (t)->col, __VA_ARGS__)

/* "invalid syntax" at the token the parser could not use, or the
 * lexer's error when that token is where the lexer stopped. */
static void
syntax_error_at (Parser *p, const LsToken *t)
{
  if (p->failed)
    return;
  if (t->kind == LS_TOK_INDENT)
    /* CPython's caret sits on the last character of the indentation. */
    error_at (p, t->line, MAX (t->col - 1, 1), "unexpected indent");
  else if (t->kind == LS_TOK_DEDENT)
    error_at (p, t->line, MAX (t->col - 1, 1), "unexpected unindent");
  else
    error_tok (p, t, "invalid syntax");
}

static void
syntax_error (Parser *p)
{
  syntax_error_at (p, peek (p));
}

static void
expect (Parser *p, LsTokKind kind)
{
  if (!accept (p, kind))
    syntax_error (p);
}

/* The ':' of a compound statement.  CPython says "expected ':'" where its
 * grammar forces the colon (def, try, else, finally) and, elsewhere, only
 * when the line ends where the colon should be. */
static void
expect_colon (Parser *p, gboolean forced)
{
  if (accept (p, LS_TOK_COLON))
    return;
  if (forced || check (p, LS_TOK_NEWLINE))
    error_tok (p, peek (p), "expected ':'");
  else
    syntax_error (p);
}

static void late_error (Parser *p, LateRank rank, int line, int col, const char *fmt, ...) G_GNUC_PRINTF (5, 6);

/* An error CPython's compiler would raise once the file has parsed. */
static void
late_error (Parser *p, LateRank rank, int line, int col, const char *fmt, ...)
{
  va_list ap;

  if (rank >= p->late_rank)
    return;
  g_free (p->late_message);
  va_start (ap, fmt);
  p->late_message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  p->late_rank = rank;
  p->late_line = line;
  p->late_col = col;
}

/* ---- nodes ------------------------------------------------------------------- */

static LsNode *
node_new (Parser *p, LsNodeKind kind, const LsToken *t)
{
  LsNode *n = arena_alloc (p->arena, sizeof (LsNode));

  n->kind = kind;
  n->line = t->line;
  n->col = t->col;
  n->end_line = t->end_line;
  n->end_col = t->end_col;
  return n;
}

static const LsToken *paren_of (Parser *p, const LsNode *n);

/* A node starting where another does: at its opening parenthesis when it
 * was written in parentheses, as CPython places "(a).b" and "(a) + b". */
static LsNode *
node_from (Parser *p, LsNodeKind kind, const LsNode *first)
{
  LsNode *n = arena_alloc (p->arena, sizeof (LsNode));
  const LsToken *paren = paren_of (p, first);

  n->kind = kind;
  n->line = paren ? paren->line : first->line;
  n->col = paren ? paren->col : first->col;
  n->end_line = first->end_line;
  n->end_col = first->end_col;
  return n;
}

/* Ends a node after the last token consumed. */
static LsNode *
node_end (Parser *p, LsNode *n)
{
  if (!p->failed && p->pos > 0)
    {
      n->end_line = prev (p)->end_line;
      n->end_col = prev (p)->end_col;
    }
  return n;
}

/* What a failed rule returns, so that callers need no NULL checks. */
static LsNode *
dummy (Parser *p)
{
  LsNode *n = node_new (p, LS_AST_NAME, peek (p));

  n->str = "<error>";
  return n;
}

static const char *
intern (Parser *p, const char *s, gsize len)
{
  return g_string_chunk_insert_len (p->arena->strings, s, len);
}

static const char *
token_str (Parser *p, const LsToken *t)
{
  return intern (p, t->start, t->len);
}

/* Appends to a list whose capacity is implied by its length: 4, then the
 * next power of two, so the arena needs no capacity field. */
static void
list_push (Parser *p, LsNodeList *l, LsNode *n)
{
  if (l->len == 0 || (l->len >= 4 && (l->len & (l->len - 1)) == 0))
    {
      LsNode **items = arena_alloc (p->arena, sizeof (LsNode *) * MAX (4, l->len * 2));

      if (l->len)
        memcpy (items, l->items, sizeof (LsNode *) * l->len);
      l->items = items;
    }
  l->items[l->len++] = n;
}

/* Remembers that n was written in parentheses opening at paren. */
static void
mark_parenthesized (Parser *p, LsNode *n, const LsToken *paren)
{
  g_hash_table_insert (p->parenthesized, n, (gpointer) paren);
}

static const LsToken *
paren_of (Parser *p, const LsNode *n)
{
  return g_hash_table_lookup (p->parenthesized, n);
}

static gboolean
is_parenthesized (Parser *p, const LsNode *n)
{
  return g_hash_table_contains (p->parenthesized, n);
}

/* ---- literals ------------------------------------------------------------------ */

static void
unicode_error (Parser *p, const LsToken *t, gsize from, gsize to, const char *what)
{
  error_tok (p, t, "(unicode error) 'unicodeescape' codec can't decode bytes in position "
             "%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT ": %s", from, to, what);
}

/* Decodes the text of a literal (what is between its quotes) onto out:
 * escapes unless raw, and in f-string text the doubled braces.  FALSE
 * after an error, which points at t. */
static gboolean
decode_text (Parser *p, const LsToken *t, const char *s, gsize n, gboolean raw,
             gboolean fstring, GString *out)
{
  const char *body = s, *end = s + n;

  while (s < end)
    {
      const char *bs = s;
      char c = *s;
      int digits = 0;
      gunichar v = 0;

      if (fstring && (c == '{' || c == '}') && s + 1 < end && s[1] == c)
        {
          g_string_append_c (out, c);
          s += 2;
          continue;
        }
      if (c != '\\' || raw || s + 1 == end)
        {
          g_string_append_c (out, c);
          s++;
          if (c == '\\' && s < end)
            g_string_append_c (out, *s++);
          continue;
        }
      s++;
      c = *s++;
      switch (c)
        {
        case '\n': break;
        case '\\': case '\'': case '"': g_string_append_c (out, c); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 'a': g_string_append_c (out, '\a'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'v': g_string_append_c (out, '\v'); break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
          v = c - '0';
          for (digits = 1; digits < 3 && s < end && *s >= '0' && *s <= '7'; digits++)
            v = v * 8 + (*s++ - '0');
          g_string_append_unichar (out, v);
          break;
        case 'x': case 'u': case 'U':
          {
            int want = c == 'x' ? 2 : c == 'u' ? 4 : 8;

            for (digits = 0; digits < want && s < end && g_ascii_isxdigit (*s); digits++)
              v = v * 16 + g_ascii_xdigit_value (*s++);
            if (digits < want)
              {
                unicode_error (p, t, bs - body, s - 1 - body,
                               c == 'x' ? "truncated \\xXX escape"
                               : c == 'u' ? "truncated \\uXXXX escape"
                               : "truncated \\UXXXXXXXX escape");
                return FALSE;
              }
            if (v > 0x10FFFF)
              {
                unicode_error (p, t, bs - body, s - 1 - body, "illegal Unicode character");
                return FALSE;
              }
            if (v >= 0xD800 && v <= 0xDFFF)
              {
                error_tok (p, t, "surrogate characters in strings are not supported");
                return FALSE;
              }
            g_string_append_unichar (out, v);
            break;
          }
        case 'N':
          error_tok (p, t, "\\N{...} escapes are not supported");
          return FALSE;
        default:
          /* an unknown escape stays as written (CPython warns) */
          g_string_append_c (out, '\\');
          s--;
          break;
        }
    }
  return TRUE;
}

static LsNode *
str_node (Parser *p, const LsToken *t, GString *text)
{
  LsNode *n = node_new (p, LS_AST_CONST_STR, t);

  n->str = intern (p, text->str, text->len);
  n->len = text->len;
  return n;
}

/* Adds literal text to the parts of an f-string, joined to a literal
 * just before it (CPython merges them too). */
static void
fstring_add_text (Parser *p, LsNodeList *parts, const LsToken *t, GString *text)
{
  LsNode *last = parts->len ? parts->items[parts->len - 1] : NULL;

  if (text->len == 0)
    return;
  if (last && last->kind == LS_AST_CONST_STR)
    {
      GString *joined = g_string_new_len (last->str, last->len);

      g_string_append_len (joined, text->str, text->len);
      last->str = intern (p, joined->str, joined->len);
      last->len = joined->len;
      g_string_free (joined, TRUE);
      return;
    }
  list_push (p, parts, str_node (p, t, text));
}

static void parse_fstring_field (Parser *p, LsNodeList *parts, gboolean raw);

/* The literal text and fields up to the closing token (FSTRING_END, or
 * the '}' that ends a format spec), onto parts. */
static void
parse_fstring_parts (Parser *p, LsNodeList *parts, gboolean raw, LsTokKind close)
{
  while (!p->failed && !check (p, close))
    {
      const LsToken *t = peek (p);

      if (t->kind == LS_TOK_FSTRING_MIDDLE)
        {
          GString *text = g_string_new (NULL);

          advance (p);
          if (decode_text (p, t, t->start, t->len, raw, TRUE, text))
            fstring_add_text (p, parts, t, text);
          g_string_free (text, TRUE);
        }
      else if (t->kind == LS_TOK_LBRACE)
        parse_fstring_field (p, parts, raw);
      else
        syntax_error (p);
    }
}

/* A replacement field: '{' expression ['='] ['!' conversion] [':' spec] '}'. */
static void
parse_fstring_field (Parser *p, LsNodeList *parts, gboolean raw)
{
  const LsToken *lbrace = advance (p);
  LsNode *f = node_new (p, LS_AST_FORMATTED, lbrace);

  if (check (p, LS_TOK_RBRACE))
    {
      error_tok (p, peek (p), "f-string: valid expression required before '}'");
      return;
    }
  if (!starts_expression (peek (p)->kind) && !check (p, LS_TOK_STAR)
      && !check (p, LS_TOK_YIELD) && !check (p, LS_TOK_ERROR))
    {
      error_tok (p, peek (p), "f-string: expecting a valid expression after '{'");
      return;
    }
  f->a = check (p, LS_TOK_YIELD) ? parse_yield (p) : parse_star_exprs (p);
  check_missing_comma (p, f->a);
  if (check (p, LS_TOK_EQUAL))
    {
      const LsToken *eq = advance (p);
      const char *text_end = eq->start + eq->len;

      /* the text kept is the field as written, up to the next token */
      while (*text_end == ' ' || *text_end == '\t' || *text_end == '\n')
        text_end++;
      f->str = intern (p, lbrace->start + 1, text_end - (lbrace->start + 1));
    }
  if (accept (p, LS_TOK_EXCLAMATION))
    {
      const LsToken *c = peek (p);

      if (c->kind != LS_TOK_NAME || c->col != prev (p)->end_col || c->line != prev (p)->line)
        {
          if (c->kind == LS_TOK_RBRACE || c->kind == LS_TOK_COLON)
            error_tok (p, c, "f-string: missing conversion character");
          else if (c->kind == LS_TOK_ERROR)
            syntax_error (p);
          else
            error_tok (p, c, "f-string: invalid conversion character");
          return;
        }
      if (c->len != 1 || !strchr ("sra", c->start[0]))
        {
          error_tok (p, c, "f-string: invalid conversion character '%.*s': expected 's', 'r', or 'a'",
                     (int) c->len, c->start);
          return;
        }
      f->op = (LsOp) c->start[0];
      advance (p);
    }
  if (check (p, LS_TOK_COLON))
    {
      /* CPython's spec starts at the ':' */
      LsNode *spec = node_new (p, LS_AST_FSTRING, advance (p));

      parse_fstring_parts (p, &spec->items, raw, LS_TOK_RBRACE);
      f->b = node_end (p, spec);
    }
  if (!check (p, LS_TOK_RBRACE))
    {
      if (check (p, LS_TOK_ERROR))
        syntax_error (p);
      else if (f->op)
        error_tok (p, peek (p), "f-string: expecting ':' or '}'");
      else if (f->str)
        error_tok (p, peek (p), "f-string: expecting '!', or ':', or '}'");
      else
        error_tok (p, peek (p), "f-string: expecting '=', or '!', or ':', or '}'");
      return;
    }
  advance (p);
  /* {x=} shows the repr unless there is a conversion or a spec */
  if (f->str && !f->op && !f->b)
    f->op = (LsOp) 'r';
  list_push (p, parts, node_end (p, f));
}

/* Adjacent string literals, f-strings among them: one CONST_STR, or an
 * FSTRING when any part is an f-string. */
static LsNode *
prefix_string (Parser *p, Prec min)
{
  const LsToken *first = peek (p);
  LsNode *fs = node_new (p, LS_AST_FSTRING, first);
  gboolean any_f = FALSE;

  while (!p->failed && (check (p, LS_TOK_STRING) || check (p, LS_TOK_FSTRING_START)))
    {
      const LsToken *t = advance (p);
      gboolean raw = FALSE;
      guint plen = 0;

      while (plen < t->len && t->start[plen] != '\'' && t->start[plen] != '"')
        {
          char c = g_ascii_tolower (t->start[plen]);

          if (c == 'b')
            {
              error_tok (p, t, "bytes literals are not supported");
              return dummy (p);
            }
          raw |= c == 'r';
          plen++;
        }
      if (t->kind == LS_TOK_FSTRING_START)
        {
          any_f = TRUE;
          parse_fstring_parts (p, &fs->items, raw, LS_TOK_FSTRING_END);
          expect (p, LS_TOK_FSTRING_END);
        }
      else
        {
          gsize q = t->len - plen >= 6 && t->start[plen + 1] == t->start[plen]
                    && t->start[plen + 2] == t->start[plen] ? 3 : 1;
          GString *text = g_string_new (NULL);

          if (decode_text (p, t, t->start + plen + q, t->len - plen - 2 * q, raw, FALSE, text))
            fstring_add_text (p, &fs->items, t, text);
          g_string_free (text, TRUE);
        }
    }
  node_end (p, fs);
  if (!any_f)
    {
      LsNode *s = fs->items.len ? fs->items.items[0] : node_new (p, LS_AST_CONST_STR, first);

      s->line = fs->line, s->col = fs->col;
      s->end_line = fs->end_line, s->end_col = fs->end_col;
      if (!s->str)
        s->str = "";
      return s;
    }
  return fs;
}

static LsNode *
prefix_number (Parser *p, Prec min)
{
  const LsToken *t = advance (p);
  LsNode *n;
  gboolean is_float = FALSE;

  if (!(t->len > 1 && t->start[0] == '0' && strchr ("xXoObB", t->start[1])))
    for (guint i = 0; i < t->len; i++)
      {
        char c = t->start[i];

        if (c == 'j' || c == 'J')
          {
            error_tok (p, t, "complex numbers are not supported");
            return dummy (p);
          }
        is_float |= c == '.' || c == 'e' || c == 'E';
      }
  if (!is_float)
    {
      n = node_new (p, LS_AST_CONST_INT, t);
      n->str = token_str (p, t);
      return n;
    }
  {
    char *digits = g_malloc (t->len + 1), *d = digits;

    for (guint i = 0; i < t->len; i++)
      if (t->start[i] != '_')
        *d++ = t->start[i];
    *d = '\0';
    n = node_new (p, LS_AST_CONST_FLOAT, t);
    n->num = g_ascii_strtod (digits, NULL);
    n->str = intern (p, digits, d - digits);
    g_free (digits);
  }
  return n;
}

static LsNode *
prefix_name (Parser *p, Prec min)
{
  const LsToken *t = advance (p);
  LsNode *n = node_new (p, LS_AST_NAME, t);

  n->str = token_str (p, t);
  return n;
}

static LsNode *
prefix_constant (Parser *p, Prec min)
{
  const LsToken *t = advance (p);

  switch (t->kind)
    {
    case LS_TOK_TRUE: return node_new (p, LS_AST_CONST_TRUE, t);
    case LS_TOK_FALSE: return node_new (p, LS_AST_CONST_FALSE, t);
    case LS_TOK_NONE: return node_new (p, LS_AST_CONST_NONE, t);
    default: return node_new (p, LS_AST_ELLIPSIS, t);
    }
}

/* ---- expressions: the Pratt table ------------------------------------------------- */

typedef LsNode *(*PrefixFn) (Parser *p, Prec min);
typedef LsNode *(*InfixFn) (Parser *p, LsNode *left, Prec prec);

typedef struct {
  PrefixFn prefix;
  InfixFn infix;
  Prec prec;           /* of the infix rule */
  LsOp op;             /* of the infix rule, when it is an operator */
} Rule;

static const Rule *rule_of (LsTokKind kind);

static gboolean
starts_expression (LsTokKind kind)
{
  return rule_of (kind)->prefix != NULL;
}

/* CPython's "Perhaps you forgot a comma?": inside brackets, an element
 * directly followed by something that starts another one. */
static void
check_missing_comma (Parser *p, const LsNode *elem)
{
  const LsToken *t = peek (p);

  if (p->failed || prev (p)->level == 0)
    return;
  if (elem->kind == LS_AST_NAME && (t->kind == LS_TOK_STRING || t->kind == LS_TOK_FSTRING_START))
    return;
  if (t->kind == LS_TOK_NAME || t->kind == LS_TOK_NUMBER || t->kind == LS_TOK_STRING
      || t->kind == LS_TOK_FSTRING_START || t->kind == LS_TOK_LBRACE || t->kind == LS_TOK_TRUE
      || t->kind == LS_TOK_FALSE || t->kind == LS_TOK_NONE)
    error_node (p, elem, "invalid syntax. Perhaps you forgot a comma?");
}

static LsNode *
prefix_unary (Parser *p, Prec min)
{
  const LsToken *t = peek (p);
  LsNode *n;

  if (min > PREC_UNARY)
    {
      syntax_error (p);
      return dummy (p);
    }
  advance (p);
  n = node_new (p, LS_AST_UNARY, t);
  n->op = t->kind == LS_TOK_MINUS ? LS_OP_NEG : t->kind == LS_TOK_PLUS ? LS_OP_POS : LS_OP_INVERT;
  n->a = parse_prec (p, PREC_UNARY);
  return node_end (p, n);
}

static LsNode *
prefix_not (Parser *p, Prec min)
{
  const LsToken *t = peek (p);
  LsNode *n;

  if (min > PREC_NOT)
    {
      syntax_error (p);
      return dummy (p);
    }
  advance (p);
  n = node_new (p, LS_AST_UNARY, t);
  n->op = LS_OP_NOT;
  n->a = parse_prec (p, PREC_NOT);
  return node_end (p, n);
}

static LsNode *
prefix_await (Parser *p, Prec min)
{
  const LsToken *t = peek (p);
  LsNode *n;

  if (min > PREC_AWAIT)
    {
      syntax_error (p);
      return dummy (p);
    }
  advance (p);
  n = node_new (p, LS_AST_AWAIT, t);
  n->a = parse_prec (p, PREC_PRIMARY);
  node_end (p, n);
  if (p->scope == SCOPE_MODULE || p->scope == SCOPE_CLASS)
    late_error (p, LATE_COMPILER, n->line, n->col, "'await' outside function");
  else if (p->scope != SCOPE_ASYNC_FUNCTION)
    late_error (p, LATE_COMPILER, n->line, n->col, "'await' outside async function");
  return n;
}

static void parse_params (Parser *p, LsArguments *args, gboolean lambda);

static LsNode *
prefix_lambda (Parser *p, Prec min)
{
  const LsToken *t = peek (p);
  LsNode *n;
  Scope scope = p->scope;
  int loops = p->loops;

  if (min > PREC_LOWEST)
    {
      syntax_error (p);
      return dummy (p);
    }
  advance (p);
  n = node_new (p, LS_AST_LAMBDA, t);
  n->args = arena_alloc (p->arena, sizeof (LsArguments));
  parse_params (p, n->args, TRUE);
  expect (p, LS_TOK_COLON);
  p->scope = SCOPE_LAMBDA;
  p->loops = 0;
  n->a = parse_expr (p);
  p->scope = scope;
  p->loops = loops;
  return node_end (p, n);
}

/* A comprehension's element may not be starred. */
static LsNode *
comprehension (Parser *p, LsNodeKind kind, const LsToken *open, LsNode *elem)
{
  LsNode *n = node_new (p, kind, open);

  if (elem->kind == LS_AST_STARRED)
    {
      error_node (p, elem, "iterable unpacking cannot be used in comprehension");
      return n;
    }
  n->a = elem;
  parse_comps (p, &n->comps);
  return n;
}

static gboolean
at_comprehension (Parser *p)
{
  return check (p, LS_TOK_FOR)
         || (check (p, LS_TOK_ASYNC) && peek_at (p, 1)->kind == LS_TOK_FOR);
}

/* The elements of a display up to close, the first already parsed. */
static void
parse_elements (Parser *p, LsNodeList *items, LsNode *first, LsTokKind close)
{
  list_push (p, items, first);
  check_missing_comma (p, first);
  while (!p->failed && accept (p, LS_TOK_COMMA))
    {
      LsNode *e;

      if (check (p, close))
        break;
      e = parse_star_named (p);
      list_push (p, items, e);
      check_missing_comma (p, e);
    }
}

static LsNode *
prefix_paren (Parser *p, Prec min)
{
  const LsToken *open = advance (p);
  LsNode *first, *n;

  if (accept (p, LS_TOK_RPAR))
    {
      n = node_end (p, node_new (p, LS_AST_TUPLE, open));
      mark_parenthesized (p, n, open);
      return n;
    }
  if (check (p, LS_TOK_YIELD))
    {
      first = parse_yield (p);
      expect (p, LS_TOK_RPAR);
      mark_parenthesized (p, first, open);
      return first;
    }
  first = parse_star_named (p);
  if (at_comprehension (p))
    {
      n = comprehension (p, LS_AST_GENEXP, open, first);
      expect (p, LS_TOK_RPAR);
      return node_end (p, n);
    }
  if (check (p, LS_TOK_COMMA))
    {
      n = node_new (p, LS_AST_TUPLE, open);
      parse_elements (p, &n->items, first, LS_TOK_RPAR);
      expect (p, LS_TOK_RPAR);
      mark_parenthesized (p, n, open);
      return node_end (p, n);
    }
  check_missing_comma (p, first);
  if (first->kind == LS_AST_STARRED && check (p, LS_TOK_RPAR))
    error_node (p, first, "cannot use starred expression here");
  expect (p, LS_TOK_RPAR);
  mark_parenthesized (p, first, open);
  return first;
}

static LsNode *
prefix_list (Parser *p, Prec min)
{
  const LsToken *open = advance (p);
  LsNode *first, *n;

  if (accept (p, LS_TOK_RSQB))
    return node_end (p, node_new (p, LS_AST_LIST, open));
  first = parse_star_named (p);
  if (at_comprehension (p))
    n = comprehension (p, LS_AST_LISTCOMP, open, first);
  else
    {
      n = node_new (p, LS_AST_LIST, open);
      parse_elements (p, &n->items, first, LS_TOK_RSQB);
    }
  expect (p, LS_TOK_RSQB);
  return node_end (p, n);
}

/* One "key: value" or "**mapping" of a dict display. */
static void
parse_dict_item (Parser *p, LsNode *dict)
{
  LsNode *key;

  if (accept (p, LS_TOK_DOUBLESTAR))
    {
      list_push (p, &dict->items, NULL);
      list_push (p, &dict->items2, parse_prec (p, PREC_BITOR));
      return;
    }
  key = parse_expr (p);
  if (!accept (p, LS_TOK_COLON))
    {
      if (check (p, LS_TOK_COMMA) || check (p, LS_TOK_RBRACE))
        error_node (p, key, "':' expected after dictionary key");
      else
        {
          check_missing_comma (p, key);
          syntax_error (p);
        }
      return;
    }
  list_push (p, &dict->items, key);
  list_push (p, &dict->items2, parse_expr (p));
  check_missing_comma (p, dict->items2.items[dict->items2.len - 1]);
}

static LsNode *
prefix_brace (Parser *p, Prec min)
{
  const LsToken *open = advance (p);
  LsNode *first, *n;

  if (accept (p, LS_TOK_RBRACE))
    return node_end (p, node_new (p, LS_AST_DICT, open));
  if (check (p, LS_TOK_DOUBLESTAR))
    {
      n = node_new (p, LS_AST_DICT, open);
      parse_dict_item (p, n);
      goto more_items;
    }
  first = parse_star_named (p);
  if (accept (p, LS_TOK_COLON))
    {
      LsNode *value = parse_expr (p);

      if (first->kind == LS_AST_STARRED)
        {
          error_node (p, first, "cannot use a starred expression in a dictionary key");
          return dummy (p);
        }
      if (at_comprehension (p))
        {
          n = node_new (p, LS_AST_DICTCOMP, open);
          n->a = first;
          n->b = value;
          parse_comps (p, &n->comps);
          expect (p, LS_TOK_RBRACE);
          return node_end (p, n);
        }
      n = node_new (p, LS_AST_DICT, open);
      list_push (p, &n->items, first);
      list_push (p, &n->items2, value);
      check_missing_comma (p, value);
    more_items:
      while (!p->failed && accept (p, LS_TOK_COMMA))
        {
          if (check (p, LS_TOK_RBRACE))
            break;
          parse_dict_item (p, n);
        }
      expect (p, LS_TOK_RBRACE);
      return node_end (p, n);
    }
  if (at_comprehension (p))
    n = comprehension (p, LS_AST_SETCOMP, open, first);
  else
    {
      n = node_new (p, LS_AST_SET, open);
      parse_elements (p, &n->items, first, LS_TOK_RBRACE);
    }
  expect (p, LS_TOK_RBRACE);
  return node_end (p, n);
}

/* ---- expressions: infix rules ------------------------------------------------------ */

static LsNode *
infix_binary (Parser *p, LsNode *left, Prec prec)
{
  LsNode *n = node_from (p, LS_AST_BINARY, left);

  n->op = rule_of (advance (p)->kind)->op;
  n->a = left;
  n->b = parse_prec (p, prec + 1);
  return node_end (p, n);
}

/* Right-associative, and its right operand may be unary: 2 ** -1. */
static LsNode *
infix_power (Parser *p, LsNode *left, Prec prec)
{
  LsNode *n = node_from (p, LS_AST_BINARY, left);

  advance (p);
  n->op = LS_OP_POW;
  n->a = left;
  n->b = parse_prec (p, PREC_UNARY);
  return node_end (p, n);
}

static LsNode *
infix_boolop (Parser *p, LsNode *left, Prec prec)
{
  LsTokKind kind = peek (p)->kind;
  LsNode *n = node_from (p, LS_AST_BOOLOP, left);

  n->op = kind == LS_TOK_AND ? LS_OP_AND : LS_OP_OR;
  list_push (p, &n->items, left);
  while (!p->failed && accept (p, kind))
    list_push (p, &n->items, parse_prec (p, prec + 1));
  return node_end (p, n);
}

/* Chained comparisons make one node: a < b <= c. */
static LsNode *
infix_compare (Parser *p, LsNode *left, Prec prec)
{
  LsNode *n = node_from (p, LS_AST_COMPARE, left);
  GArray *ops = g_array_new (FALSE, FALSE, sizeof (LsOp));

  n->a = left;
  while (!p->failed && rule_of (peek (p)->kind)->infix == infix_compare)
    {
      const LsToken *t = advance (p);
      LsOp op = rule_of (t->kind)->op;

      if (t->kind == LS_TOK_NOT)
        {
          if (!accept (p, LS_TOK_IN))
            {
              syntax_error (p);
              break;
            }
          op = LS_OP_NOT_IN;
        }
      else if (t->kind == LS_TOK_IS && accept (p, LS_TOK_NOT))
        op = LS_OP_IS_NOT;
      g_array_append_val (ops, op);
      list_push (p, &n->items, parse_prec (p, PREC_BITOR));
    }
  n->ops = arena_alloc (p->arena, sizeof (LsOp) * (ops->len + 1));
  if (ops->len)
    memcpy (n->ops, ops->data, sizeof (LsOp) * ops->len);
  g_array_free (ops, TRUE);
  return node_end (p, n);
}

static LsNode *
infix_attribute (Parser *p, LsNode *left, Prec prec)
{
  LsNode *n = node_from (p, LS_AST_ATTRIBUTE, left);

  advance (p);
  n->a = left;
  if (!check (p, LS_TOK_NAME))
    {
      syntax_error (p);
      return n;
    }
  n->str = token_str (p, advance (p));
  return node_end (p, n);
}

/* One item of a subscript: an expression or a slice. */
static LsNode *
parse_slice (Parser *p)
{
  const LsToken *t = peek (p);
  LsNode *lower = NULL, *s;

  if (check (p, LS_TOK_STAR))
    return parse_star_named (p);
  if (!check (p, LS_TOK_COLON))
    {
      lower = parse_named (p);
      if (!check (p, LS_TOK_COLON))
        return lower;
    }
  s = lower ? node_from (p, LS_AST_SLICE, lower) : node_new (p, LS_AST_SLICE, t);
  s->a = lower;
  advance (p);
  if (starts_expression (peek (p)->kind))
    s->b = parse_expr (p);
  if (accept (p, LS_TOK_COLON) && starts_expression (peek (p)->kind))
    s->c = parse_expr (p);
  return node_end (p, s);
}

static LsNode *
infix_subscript (Parser *p, LsNode *left, Prec prec)
{
  LsNode *n = node_from (p, LS_AST_SUBSCRIPT, left), *first;

  advance (p);
  n->a = left;
  first = parse_slice (p);
  check_missing_comma (p, first);
  /* x[*a] indexes with a tuple, as x[*a,] does */
  if (check (p, LS_TOK_COMMA) || first->kind == LS_AST_STARRED)
    {
      LsNode *tuple = node_from (p, LS_AST_TUPLE, first);

      list_push (p, &tuple->items, first);
      while (!p->failed && accept (p, LS_TOK_COMMA) && !check (p, LS_TOK_RSQB))
        {
          LsNode *e = parse_slice (p);

          list_push (p, &tuple->items, e);
          check_missing_comma (p, e);
        }
      first = node_end (p, tuple);
    }
  n->b = first;
  expect (p, LS_TOK_RSQB);
  return node_end (p, n);
}

static LsNode *
infix_call (Parser *p, LsNode *left, Prec prec)
{
  LsNode *n = node_from (p, LS_AST_CALL, left);
  gboolean seen_keyword = FALSE, seen_kwunpack = FALSE;

  advance (p);
  n->a = left;
  while (!p->failed && !check (p, LS_TOK_RPAR))
    {
      const LsToken *t = peek (p);

      if (t->kind == LS_TOK_STAR)
        {
          LsNode *s = parse_star_named (p);

          if (seen_kwunpack)
            error_node (p, s, "iterable argument unpacking follows keyword argument unpacking");
          list_push (p, &n->items, s);
          check_missing_comma (p, s);
        }
      else if (t->kind == LS_TOK_DOUBLESTAR)
        {
          LsNode *k = node_new (p, LS_AST_KEYWORD, advance (p));

          k->a = parse_expr (p);
          list_push (p, &n->kwargs, node_end (p, k));
          check_missing_comma (p, k->a);
          seen_kwunpack = TRUE;
        }
      else if (t->kind == LS_TOK_NAME && peek_at (p, 1)->kind == LS_TOK_EQUAL)
        {
          LsNode *k = node_new (p, LS_AST_KEYWORD, t);

          k->str = token_str (p, t);
          advance (p);
          advance (p);
          if (check (p, LS_TOK_RPAR) || check (p, LS_TOK_COMMA))
            {
              error_at (p, t->line, t->col, "expected argument value expression");
              break;
            }
          k->a = parse_expr (p);
          for (guint i = 0; i < n->kwargs.len; i++)
            if (n->kwargs.items[i]->str && strcmp (n->kwargs.items[i]->str, k->str) == 0)
              error_node (p, k, "keyword argument repeated: %s", k->str);
          list_push (p, &n->kwargs, node_end (p, k));
          check_missing_comma (p, k->a);
          seen_keyword = TRUE;
        }
      else
        {
          LsNode *e = parse_named (p);

          if (at_comprehension (p))
            {
              LsNode *g = node_from (p, LS_AST_GENEXP, e);

              g->a = e;
              parse_comps (p, &g->comps);
              node_end (p, g);
              if (n->items.len || n->kwargs.len || !check (p, LS_TOK_RPAR))
                {
                  error_node (p, g, "Generator expression must be parenthesized");
                  break;
                }
              /* the generator's parentheses are the call's */
              g->line = t->line, g->col = t->col - 1;
              g->end_col = peek (p)->end_col;
              e = g;
            }
          else if (check (p, LS_TOK_EQUAL))
            {
              error_node (p, e, "expression cannot contain assignment, perhaps you meant \"==\"?");
              break;
            }
          /* CPython's caret is on the token after the argument */
          if (seen_kwunpack)
            error_tok (p, peek (p), "positional argument follows keyword argument unpacking");
          else if (seen_keyword)
            error_tok (p, peek (p), "positional argument follows keyword argument");
          list_push (p, &n->items, e);
          check_missing_comma (p, e);
        }
      if (!accept (p, LS_TOK_COMMA))
        break;
    }
  expect (p, LS_TOK_RPAR);
  return node_end (p, n);
}

static const Rule rules[LS_TOK_N] = {
  [LS_TOK_NAME] = { prefix_name, NULL, 0, 0 },
  [LS_TOK_NUMBER] = { prefix_number, NULL, 0, 0 },
  [LS_TOK_STRING] = { prefix_string, NULL, 0, 0 },
  [LS_TOK_FSTRING_START] = { prefix_string, NULL, 0, 0 },
  [LS_TOK_TRUE] = { prefix_constant, NULL, 0, 0 },
  [LS_TOK_FALSE] = { prefix_constant, NULL, 0, 0 },
  [LS_TOK_NONE] = { prefix_constant, NULL, 0, 0 },
  [LS_TOK_ELLIPSIS] = { prefix_constant, NULL, 0, 0 },
  [LS_TOK_LPAR] = { prefix_paren, infix_call, PREC_PRIMARY, 0 },
  [LS_TOK_LSQB] = { prefix_list, infix_subscript, PREC_PRIMARY, 0 },
  [LS_TOK_LBRACE] = { prefix_brace, NULL, 0, 0 },
  [LS_TOK_DOT] = { NULL, infix_attribute, PREC_PRIMARY, 0 },
  [LS_TOK_AWAIT] = { prefix_await, NULL, 0, 0 },
  [LS_TOK_LAMBDA] = { prefix_lambda, NULL, 0, 0 },
  [LS_TOK_TILDE] = { prefix_unary, NULL, 0, 0 },
  [LS_TOK_PLUS] = { prefix_unary, infix_binary, PREC_TERM, LS_OP_ADD },
  [LS_TOK_MINUS] = { prefix_unary, infix_binary, PREC_TERM, LS_OP_SUB },
  [LS_TOK_STAR] = { NULL, infix_binary, PREC_FACTOR, LS_OP_MUL },
  [LS_TOK_SLASH] = { NULL, infix_binary, PREC_FACTOR, LS_OP_DIV },
  [LS_TOK_DOUBLESLASH] = { NULL, infix_binary, PREC_FACTOR, LS_OP_FLOORDIV },
  [LS_TOK_PERCENT] = { NULL, infix_binary, PREC_FACTOR, LS_OP_MOD },
  [LS_TOK_AT] = { NULL, infix_binary, PREC_FACTOR, LS_OP_MATMUL },
  [LS_TOK_DOUBLESTAR] = { NULL, infix_power, PREC_POWER, LS_OP_POW },
  [LS_TOK_LEFTSHIFT] = { NULL, infix_binary, PREC_SHIFT, LS_OP_LSHIFT },
  [LS_TOK_RIGHTSHIFT] = { NULL, infix_binary, PREC_SHIFT, LS_OP_RSHIFT },
  [LS_TOK_AMPER] = { NULL, infix_binary, PREC_BITAND, LS_OP_BITAND },
  [LS_TOK_CIRCUMFLEX] = { NULL, infix_binary, PREC_BITXOR, LS_OP_BITXOR },
  [LS_TOK_VBAR] = { NULL, infix_binary, PREC_BITOR, LS_OP_BITOR },
  [LS_TOK_EQEQUAL] = { NULL, infix_compare, PREC_COMPARE, LS_OP_EQ },
  [LS_TOK_NOTEQUAL] = { NULL, infix_compare, PREC_COMPARE, LS_OP_NE },
  [LS_TOK_LESS] = { NULL, infix_compare, PREC_COMPARE, LS_OP_LT },
  [LS_TOK_LESSEQUAL] = { NULL, infix_compare, PREC_COMPARE, LS_OP_LE },
  [LS_TOK_GREATER] = { NULL, infix_compare, PREC_COMPARE, LS_OP_GT },
  [LS_TOK_GREATEREQUAL] = { NULL, infix_compare, PREC_COMPARE, LS_OP_GE },
  [LS_TOK_IN] = { NULL, infix_compare, PREC_COMPARE, LS_OP_IN },
  [LS_TOK_IS] = { NULL, infix_compare, PREC_COMPARE, LS_OP_IS },
  [LS_TOK_NOT] = { prefix_not, infix_compare, PREC_COMPARE, LS_OP_NOT_IN },
  [LS_TOK_AND] = { NULL, infix_boolop, PREC_AND, LS_OP_AND },
  [LS_TOK_OR] = { NULL, infix_boolop, PREC_OR, LS_OP_OR },
};

static const Rule *
rule_of (LsTokKind kind)
{
  return &rules[kind];
}

static LsNode *
parse_prec (Parser *p, Prec min)
{
  const Rule *r = rule_of (peek (p)->kind);
  LsNode *left;

  if (!r->prefix)
    {
      syntax_error (p);
      return dummy (p);
    }
  left = r->prefix (p, min);
  for (;;)
    {
      r = rule_of (peek (p)->kind);
      if (p->failed || !r->infix || r->prec < min)
        return left;
      left = r->infix (p, left, r->prec);
    }
}

/* expression: lambda, a conditional expression, or a disjunction */
static LsNode *
parse_expr (Parser *p)
{
  LsNode *body, *n;

  if (check (p, LS_TOK_LAMBDA))
    return prefix_lambda (p, PREC_LOWEST);
  body = parse_prec (p, PREC_OR);
  if (!check (p, LS_TOK_IF))
    return body;
  advance (p);
  n = node_from (p, LS_AST_IFEXP, body);
  n->b = body;
  n->a = parse_prec (p, PREC_OR);
  if (!accept (p, LS_TOK_ELSE))
    {
      if (!p->failed && (check (p, LS_TOK_ERROR) || check (p, LS_TOK_INDENT)))
        syntax_error (p);
      node_end (p, n);
      error_node (p, n, "expected 'else' after 'if' expression");
      return n;
    }
  n->c = parse_expr (p);
  return node_end (p, n);
}

static const char *expr_name (Parser *p, const LsNode *n);

/* named_expression: NAME ':=' expression, or an expression. */
static LsNode *
parse_named (Parser *p)
{
  LsNode *e;

  if (check (p, LS_TOK_NAME) && peek_at (p, 1)->kind == LS_TOK_COLONEQUAL)
    {
      LsNode *n = node_new (p, LS_AST_NAMEDEXPR, peek (p));

      n->a = prefix_name (p, PREC_LOWEST);
      advance (p);
      n->b = parse_expr (p);
      return node_end (p, n);
    }
  e = parse_expr (p);
  if (check (p, LS_TOK_COLONEQUAL) && !p->failed)
    error_node (p, e, "cannot use assignment expressions with %s", expr_name (p, e));
  return e;
}

static LsNode *
parse_star_named (Parser *p)
{
  if (check (p, LS_TOK_STAR))
    {
      LsNode *n = node_new (p, LS_AST_STARRED, advance (p));

      n->a = parse_prec (p, PREC_BITOR);
      return node_end (p, n);
    }
  return parse_named (p);
}

/* star_expression: like star_named_expression, without ':='. */
static LsNode *
parse_star_expr (Parser *p)
{
  if (check (p, LS_TOK_STAR))
    return parse_star_named (p);
  return parse_expr (p);
}

/* star_expressions: a tuple without parentheses when there is a comma. */
static LsNode *
parse_star_exprs (Parser *p)
{
  LsNode *first = parse_star_expr (p), *tuple;

  if (!check (p, LS_TOK_COMMA))
    return first;
  tuple = node_from (p, LS_AST_TUPLE, first);
  list_push (p, &tuple->items, first);
  check_missing_comma (p, first);
  while (!p->failed && accept (p, LS_TOK_COMMA))
    {
      LsNode *e;

      if (!starts_expression (peek (p)->kind) && !check (p, LS_TOK_STAR))
        break;
      e = parse_star_expr (p);
      list_push (p, &tuple->items, e);
      check_missing_comma (p, e);
    }
  return node_end (p, tuple);
}

static LsNode *
parse_yield (Parser *p)
{
  const LsToken *t = advance (p);
  LsNode *n;

  if (accept (p, LS_TOK_FROM))
    {
      n = node_new (p, LS_AST_YIELD_FROM, t);
      n->a = parse_expr (p);
    }
  else
    {
      n = node_new (p, LS_AST_YIELD, t);
      if (starts_expression (peek (p)->kind) || check (p, LS_TOK_STAR))
        n->a = parse_star_exprs (p);
    }
  node_end (p, n);
  if (p->scope == SCOPE_MODULE || p->scope == SCOPE_CLASS)
    late_error (p, LATE_COMPILER, n->line, n->col, "'yield' outside function");
  else if (p->scope == SCOPE_ASYNC_FUNCTION)
    late_error (p, LATE_COMPILER, n->line, n->col, "asynchronous generators are not supported");
  return n;
}

/* ---- targets ------------------------------------------------------------------------- */

/* What CPython calls an expression in its messages (_PyPegen_get_expr_name). */
static const char *
expr_name (Parser *p, const LsNode *n)
{
  switch (n->kind)
    {
    case LS_AST_NAME: return "name";
    case LS_AST_ATTRIBUTE: return "attribute";
    case LS_AST_SUBSCRIPT: return "subscript";
    case LS_AST_STARRED: return "starred";
    case LS_AST_TUPLE: return "tuple";
    case LS_AST_LIST: return "list";
    case LS_AST_LAMBDA: return "lambda";
    case LS_AST_CALL: return "function call";
    case LS_AST_BOOLOP: case LS_AST_BINARY: case LS_AST_UNARY: return "expression";
    case LS_AST_GENEXP: return "generator expression";
    case LS_AST_YIELD: case LS_AST_YIELD_FROM: return "yield expression";
    case LS_AST_AWAIT: return "await expression";
    case LS_AST_LISTCOMP: return "list comprehension";
    case LS_AST_SETCOMP: return "set comprehension";
    case LS_AST_DICTCOMP: return "dict comprehension";
    case LS_AST_DICT: return "dict literal";
    case LS_AST_SET: return "set display";
    case LS_AST_FSTRING: case LS_AST_FORMATTED: return "f-string expression";
    case LS_AST_CONST_NONE: return "None";
    case LS_AST_CONST_TRUE: return "True";
    case LS_AST_CONST_FALSE: return "False";
    case LS_AST_ELLIPSIS: return "ellipsis";
    case LS_AST_COMPARE: return "comparison";
    case LS_AST_IFEXP: return "conditional expression";
    case LS_AST_NAMEDEXPR: return "named expression";
    default: return "literal";
    }
}

/* The first part of a target that cannot be assigned (or deleted), or NULL. */
static const LsNode *
invalid_target (const LsNode *n, gboolean del)
{
  switch (n->kind)
    {
    case LS_AST_NAME: case LS_AST_ATTRIBUTE: case LS_AST_SUBSCRIPT:
      return NULL;
    case LS_AST_STARRED:
      return del ? n : invalid_target (n->a, del);
    case LS_AST_TUPLE: case LS_AST_LIST:
      for (guint i = 0; i < n->items.len; i++)
        {
          const LsNode *bad = invalid_target (n->items.items[i], del);

          if (bad)
            return bad;
        }
      return NULL;
    default:
      return n;
    }
}

/* The checks CPython's compiler makes on starred targets. */
static void
check_starred (Parser *p, const LsNode *target, gboolean top)
{
  guint stars = 0;

  if (target->kind == LS_AST_STARRED && top)
    error_node (p, target, "starred assignment target must be in a list or tuple");
  if (target->kind != LS_AST_TUPLE && target->kind != LS_AST_LIST)
    return;
  for (guint i = 0; i < target->items.len; i++)
    {
      const LsNode *item = target->items.items[i];

      if (item->kind == LS_AST_STARRED)
        stars++;
      check_starred (p, item->kind == LS_AST_STARRED ? item->a : item, FALSE);
    }
  if (stars > 1)
    error_node (p, target, "multiple starred expressions in assignment");
}

/* A target of for, with ... as, or a comprehension. */
static void
check_target (Parser *p, const LsNode *target)
{
  const LsNode *bad = invalid_target (target, FALSE);

  if (bad)
    error_node (p, bad, "cannot assign to %s", expr_name (p, bad));
  else
    check_starred (p, target, TRUE);
}

/* star_targets: the targets of for and comprehensions, a tuple when
 * there is a comma. */
static LsNode *
parse_targets (Parser *p)
{
  LsNode *first = check (p, LS_TOK_STAR) ? parse_star_named (p) : parse_prec (p, PREC_BITOR);
  LsNode *tuple;

  if (!check (p, LS_TOK_COMMA))
    return first;
  tuple = node_from (p, LS_AST_TUPLE, first);
  list_push (p, &tuple->items, first);
  while (!p->failed && accept (p, LS_TOK_COMMA))
    {
      if (!starts_expression (peek (p)->kind) && !check (p, LS_TOK_STAR))
        break;
      list_push (p, &tuple->items,
                 check (p, LS_TOK_STAR) ? parse_star_named (p) : parse_prec (p, PREC_BITOR));
    }
  return node_end (p, tuple);
}

static void
parse_comps (Parser *p, LsNodeList *comps)
{
  while (!p->failed && at_comprehension (p))
    {
      LsNode *c = node_new (p, LS_AST_COMPREHENSION, peek (p));

      c->flag = accept (p, LS_TOK_ASYNC);
      advance (p);
      c->a = parse_targets (p);
      check_target (p, c->a);
      if (!accept (p, LS_TOK_IN))
        {
          syntax_error (p);
          return;
        }
      c->b = parse_prec (p, PREC_OR);
      while (!p->failed && accept (p, LS_TOK_IF))
        list_push (p, &c->items, parse_prec (p, PREC_OR));
      list_push (p, comps, node_end (p, c));
    }
}

/* ---- simple statements --------------------------------------------------------- */

static gboolean
is_bitwise_or_level (Parser *p, const LsNode *n)
{
  if (is_parenthesized (p, n))
    return TRUE;
  switch (n->kind)
    {
    case LS_AST_COMPARE: case LS_AST_BOOLOP: case LS_AST_IFEXP: case LS_AST_LAMBDA:
    case LS_AST_NAMEDEXPR: case LS_AST_STARRED: case LS_AST_YIELD: case LS_AST_YIELD_FROM:
      return FALSE;
    case LS_AST_UNARY:
      return n->op != LS_OP_NOT;
    case LS_AST_TUPLE:
      return FALSE;
    default:
      return TRUE;
    }
}

/* Whether n, as written, begins with a bitwise_or expression. */
static gboolean
starts_with_bitwise_or (Parser *p, const LsNode *n)
{
  if (is_parenthesized (p, n))
    return TRUE;
  switch (n->kind)
    {
    case LS_AST_YIELD: case LS_AST_YIELD_FROM: case LS_AST_LAMBDA: case LS_AST_STARRED:
      return FALSE;
    case LS_AST_UNARY:
      return n->op != LS_OP_NOT;
    case LS_AST_IFEXP:
      return starts_with_bitwise_or (p, n->b);
    case LS_AST_BOOLOP: case LS_AST_TUPLE:
      return n->items.len && starts_with_bitwise_or (p, n->items.items[0]);
    default:
      return TRUE;
    }
}

static const LsNode *
first_invalid_target (const LsNode *assign)
{
  for (guint i = 0; i < assign->items.len; i++)
    {
      const LsNode *t = assign->items.items[i];

      if (t->kind == LS_AST_YIELD || t->kind == LS_AST_YIELD_FROM || invalid_target (t, FALSE))
        return t;
    }
  return NULL;
}

static void
check_assign_targets (Parser *p, LsNode *assign)
{
  const LsNode *first = assign->items.items[0], *last = NULL;
  const LsNode *next = assign->items.len > 1 ? assign->items.items[1] : assign->a;

  if (first->kind == LS_AST_TUPLE && !is_parenthesized (p, first) && first->items.len)
    last = first->items.items[first->items.len - 1];
  /* CPython's invalid_named_expression: "NAME = x" where what follows x
   * is not another '=' reads like a mistyped comparison. */
  if (first_invalid_target (assign)
      && ((first->kind == LS_AST_NAME && !is_parenthesized (p, first)
           && !is_bitwise_or_level (p, next) && starts_with_bitwise_or (p, next))
          || (assign->items.len == 1 && last && last->kind == LS_AST_NAME
              && !is_parenthesized (p, last))))
    {
      error_node (p, first->kind == LS_AST_NAME ? first : last,
                  "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
      return;
    }
  for (guint i = 0; i < assign->items.len && !p->failed; i++)
    {
      LsNode *t = assign->items.items[i];
      const LsNode *bad;

      if (t->kind == LS_AST_YIELD || t->kind == LS_AST_YIELD_FROM)
        {
          error_node (p, t, "assignment to yield expression not possible");
          return;
        }
      bad = invalid_target (t, FALSE);
      if (!bad)
        {
          check_starred (p, t, TRUE);
          continue;
        }
      /* CPython's invalid_named_expression: a lone target before '=',
       * or the last of an unparenthesized tuple, reads like a mistyped
       * comparison. */
      if (assign->items.len == 1 && is_bitwise_or_level (p, bad)
          && bad->kind != LS_AST_LIST && bad->kind != LS_AST_TUPLE
          && bad->kind != LS_AST_GENEXP && bad->kind != LS_AST_CONST_TRUE
          && bad->kind != LS_AST_CONST_FALSE && bad->kind != LS_AST_CONST_NONE
          && (bad == t || (t->kind == LS_AST_TUPLE && !is_parenthesized (p, t)
                           && t->items.items[t->items.len - 1] == bad)))
        error_node (p, bad, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                    expr_name (p, bad));
      else
        error_node (p, bad, "cannot assign to %s", expr_name (p, bad));
    }
}

static LsOp
augassign_op (LsTokKind kind)
{
  switch (kind)
    {
    case LS_TOK_PLUSEQUAL: return LS_OP_ADD;
    case LS_TOK_MINEQUAL: return LS_OP_SUB;
    case LS_TOK_STAREQUAL: return LS_OP_MUL;
    case LS_TOK_ATEQUAL: return LS_OP_MATMUL;
    case LS_TOK_SLASHEQUAL: return LS_OP_DIV;
    case LS_TOK_DOUBLESLASHEQUAL: return LS_OP_FLOORDIV;
    case LS_TOK_PERCENTEQUAL: return LS_OP_MOD;
    case LS_TOK_DOUBLESTAREQUAL: return LS_OP_POW;
    case LS_TOK_LEFTSHIFTEQUAL: return LS_OP_LSHIFT;
    case LS_TOK_RIGHTSHIFTEQUAL: return LS_OP_RSHIFT;
    case LS_TOK_VBAREQUAL: return LS_OP_BITOR;
    case LS_TOK_CIRCUMFLEXEQUAL: return LS_OP_BITXOR;
    case LS_TOK_AMPEREQUAL: return LS_OP_BITAND;
    default: return LS_OP_NONE;
    }
}

static LsNode *
parse_value (Parser *p)
{
  return check (p, LS_TOK_YIELD) ? parse_yield (p) : parse_star_exprs (p);
}

static gboolean
is_name (const LsNode *n, const char *name)
{
  return n->kind == LS_AST_NAME && strcmp (n->str, name) == 0;
}

/* A starred expression alone where a value is needed: x = *a. */
static void
check_starred_value (Parser *p, const LsNode *value)
{
  if (value->kind == LS_AST_STARRED)
    late_error (p, LATE_COMPILER, value->line, value->col, "can't use starred expression here");
}

/* Expression statements and the assignments. */
static LsNode *
parse_expr_statement (Parser *p)
{
  LsNode *e = parse_value (p), *n;
  LsOp op = augassign_op (peek (p)->kind);

  if (check (p, LS_TOK_EQUAL))
    {
      n = node_from (p, LS_AST_ASSIGN, e);
      while (!p->failed && accept (p, LS_TOK_EQUAL))
        {
          list_push (p, &n->items, e);
          e = parse_value (p);
        }
      n->a = e;
      node_end (p, n);
      check_assign_targets (p, n);
      check_starred_value (p, e);
      return n;
    }
  if (op != LS_OP_NONE)
    {
      if (e->kind != LS_AST_NAME && e->kind != LS_AST_ATTRIBUTE && e->kind != LS_AST_SUBSCRIPT)
        {
          error_node (p, e, "'%s' is an illegal expression for augmented assignment",
                      expr_name (p, e));
          return e;
        }
      advance (p);
      n = node_from (p, LS_AST_AUGASSIGN, e);
      n->a = e;
      n->op = op;
      n->b = parse_value (p);
      check_starred_value (p, n->b);
      return node_end (p, n);
    }
  /* CPython names a bad annotation target only when an annotation follows */
  if (check (p, LS_TOK_COLON) && starts_expression (peek_at (p, 1)->kind))
    {
      if (e->kind == LS_AST_TUPLE || e->kind == LS_AST_LIST)
        {
          error_node (p, e->kind == LS_AST_TUPLE && !is_parenthesized (p, e) && e->items.len
                      ? e->items.items[0] : e,
                      "only single target (not %s) can be annotated", expr_name (p, e));
          return e;
        }
      if (e->kind != LS_AST_NAME && e->kind != LS_AST_ATTRIBUTE && e->kind != LS_AST_SUBSCRIPT)
        {
          error_node (p, e, "illegal target for annotation");
          return e;
        }
      advance (p);
      n = node_from (p, LS_AST_ANNASSIGN, e);
      n->a = e;
      n->b = parse_expr (p);
      if (accept (p, LS_TOK_EQUAL))
        n->c = parse_value (p);
      return node_end (p, n);
    }

  /* Python 2's print statement */
  if ((is_name (e, "print") || is_name (e, "exec")) && starts_expression (peek (p)->kind))
    {
      error_node (p, e, "Missing parentheses in call to '%s'. Did you mean %s(...)?", e->str, e->str);
      return e;
    }
  {
    const LsNode *first = e->kind == LS_AST_TUPLE && e->items.len ? e->items.items[0] : e;

    if (first->kind == LS_AST_BINARY && first->op == LS_OP_RSHIFT && is_name (first->a, "print"))
      {
        error_node (p, first, "'print >>' is not supported");
        return e;
      }
  }
  n = node_from (p, LS_AST_EXPR, e);
  n->a = e;
  check_starred_value (p, e);
  return node_end (p, n);
}

static void
parse_names (Parser *p, LsNode *n)
{
  do
    {
      if (!check (p, LS_TOK_NAME))
        {
          syntax_error (p);
          return;
        }
      list_push (p, &n->names, prefix_name (p, PREC_LOWEST));
    }
  while (!p->failed && accept (p, LS_TOK_COMMA));
}

/* A module name: NAME ('.' NAME)*, as one string. */
static const char *
parse_dotted (Parser *p)
{
  GString *s = g_string_new (NULL);
  const char *name;

  do
    {
      if (!check (p, LS_TOK_NAME))
        {
          syntax_error (p);
          break;
        }
      if (s->len)
        g_string_append_c (s, '.');
      g_string_append_len (s, peek (p)->start, peek (p)->len);
      advance (p);
    }
  while (!p->failed && accept (p, LS_TOK_DOT));
  name = intern (p, s->str, s->len);
  g_string_free (s, TRUE);
  return name;
}

static LsNode *
parse_alias (Parser *p, gboolean dotted)
{
  LsNode *a = node_new (p, LS_AST_ALIAS, peek (p));

  if (dotted)
    a->str = parse_dotted (p);
  else if (check (p, LS_TOK_NAME))
    a->str = token_str (p, advance (p));
  else
    syntax_error (p);
  if (accept (p, LS_TOK_AS))
    {
      if (check (p, LS_TOK_NAME))
        a->str2 = token_str (p, advance (p));
      else
        syntax_error (p);
    }
  return node_end (p, a);
}

static LsNode *
parse_import_from (Parser *p)
{
  const LsToken *t = advance (p);
  LsNode *n = node_new (p, LS_AST_IMPORTFROM, t);
  gboolean parens;

  if (check (p, LS_TOK_DOT) || check (p, LS_TOK_ELLIPSIS))
    {
      error_tok (p, peek (p), "relative imports are not supported");
      return n;
    }
  n->str = parse_dotted (p);
  if (!accept (p, LS_TOK_IMPORT))
    {
      syntax_error (p);
      return n;
    }
  if (check (p, LS_TOK_STAR))
    {
      error_tok (p, peek (p), "'from %s import *' is not supported", n->str);
      return n;
    }
  parens = accept (p, LS_TOK_LPAR);
  do
    {
      if (parens && check (p, LS_TOK_RPAR) && n->aliases.len)
        break;
      list_push (p, &n->aliases, parse_alias (p, FALSE));
    }
  while (!p->failed && accept (p, LS_TOK_COMMA));
  if (parens)
    expect (p, LS_TOK_RPAR);
  else if (!p->failed && prev (p)->kind == LS_TOK_COMMA)
    error_tok (p, prev (p), "trailing comma not allowed without surrounding parentheses");
  return node_end (p, n);
}

static LsNode *
parse_simple_statement (Parser *p)
{
  const LsToken *t = peek (p);
  LsNode *n;

  switch (t->kind)
    {
    case LS_TOK_PASS:
      return node_new (p, LS_AST_PASS, advance (p));
    case LS_TOK_BREAK:
      n = node_new (p, LS_AST_BREAK, advance (p));
      if (p->loops == 0)
        late_error (p, LATE_COMPILER, n->line, n->col, "'break' outside loop");
      return n;
    case LS_TOK_CONTINUE:
      n = node_new (p, LS_AST_CONTINUE, advance (p));
      if (p->loops == 0)
        late_error (p, LATE_COMPILER, n->line, n->col, "'continue' not properly in loop");
      return n;
    case LS_TOK_RETURN:
      n = node_new (p, LS_AST_RETURN, advance (p));
      if (starts_expression (peek (p)->kind) || check (p, LS_TOK_STAR))
        n->a = parse_star_exprs (p);
      node_end (p, n);
      if (n->a)
        check_starred_value (p, n->a);
      if (p->scope != SCOPE_FUNCTION && p->scope != SCOPE_ASYNC_FUNCTION)
        late_error (p, LATE_COMPILER, n->line, n->col, "'return' outside function");
      return n;
    case LS_TOK_RAISE:
      n = node_new (p, LS_AST_RAISE, advance (p));
      if (starts_expression (peek (p)->kind))
        {
          n->a = parse_expr (p);
          if (accept (p, LS_TOK_FROM))
            n->b = parse_expr (p);
        }
      return node_end (p, n);
    case LS_TOK_GLOBAL:
    case LS_TOK_NONLOCAL:
      n = node_new (p, t->kind == LS_TOK_GLOBAL ? LS_AST_GLOBAL : LS_AST_NONLOCAL, advance (p));
      parse_names (p, n);
      node_end (p, n);
      if (t->kind == LS_TOK_NONLOCAL && p->scope == SCOPE_MODULE)
        late_error (p, LATE_SYMTABLE, n->line, n->col,
                    "nonlocal declaration not allowed at module level");
      return n;
    case LS_TOK_DEL:
      n = node_new (p, LS_AST_DEL, advance (p));
      do
        {
          LsNode *target;
          const LsNode *bad;

          if (!starts_expression (peek (p)->kind))
            {
              if (n->items.len == 0)
                syntax_error (p);
              break;
            }
          target = parse_prec (p, PREC_BITOR);
          bad = invalid_target (target, TRUE);
          if (bad)
            error_node (p, bad, "cannot delete %s", expr_name (p, bad));
          list_push (p, &n->items, target);
        }
      while (!p->failed && accept (p, LS_TOK_COMMA));
      return node_end (p, n);
    case LS_TOK_ASSERT:
      n = node_new (p, LS_AST_ASSERT, advance (p));
      n->a = parse_expr (p);
      if (accept (p, LS_TOK_COMMA))
        n->b = parse_expr (p);
      return node_end (p, n);
    case LS_TOK_IMPORT:
      n = node_new (p, LS_AST_IMPORT, advance (p));
      do
        list_push (p, &n->aliases, parse_alias (p, TRUE));
      while (!p->failed && accept (p, LS_TOK_COMMA));
      return node_end (p, n);
    case LS_TOK_FROM:
      return parse_import_from (p);
    default:
      return parse_expr_statement (p);
    }
}

/* simple_stmts: simple statements separated by ';' up to the line's end. */
static void
parse_simple_statements (Parser *p, LsNodeList *body)
{
  for (;;)
    {
      list_push (p, body, parse_simple_statement (p));
      if (p->failed)
        return;
      if (accept (p, LS_TOK_SEMI))
        {
          if (check (p, LS_TOK_NEWLINE))
            break;
          continue;
        }
      break;
    }
  expect (p, LS_TOK_NEWLINE);
}

/* ---- compound statements ---------------------------------------------------------- */

/* A compound statement ends where its last statement does (the DEDENT
 * that closes it sits on the next line). */
static LsNode *
end_with (LsNode *n, const LsNodeList *body)
{
  if (body->len)
    {
      n->end_line = body->items[body->len - 1]->end_line;
      n->end_col = body->items[body->len - 1]->end_col;
    }
  return n;
}

/* block: simple statements on the same line, or an indented block.  what
 * and line name the statement for "expected an indented block after…". */
static void
parse_block (Parser *p, LsNodeList *body, const char *what, int line)
{
  if (!accept (p, LS_TOK_NEWLINE))
    {
      parse_simple_statements (p, body);
      return;
    }
  if (!check (p, LS_TOK_INDENT))
    {
      error_tok (p, peek (p), "expected an indented block after %s on line %d", what, line);
      return;
    }
  advance (p);
  while (!p->failed && !check (p, LS_TOK_DEDENT) && !check (p, LS_TOK_ENDMARKER))
    parse_statement (p, body);
  accept (p, LS_TOK_DEDENT);
}

/* A loop's body; its else clause is outside the loop. */
static void
parse_loop_body (Parser *p, LsNodeList *body, const char *what, int line)
{
  p->loops++;
  parse_block (p, body, what, line);
  p->loops--;
}

static void
parse_else (Parser *p, LsNodeList *orelse)
{
  const LsToken *t;

  if (!check (p, LS_TOK_ELSE))
    return;
  t = advance (p);
  expect_colon (p, TRUE);
  parse_block (p, orelse, "'else' statement", t->line);
}

static LsNode *
parse_if (Parser *p)
{
  const LsToken *t = advance (p);
  LsNode *n = node_new (p, LS_AST_IF, t);

  n->a = parse_named (p);
  expect_colon (p, FALSE);
  parse_block (p, &n->body, t->kind == LS_TOK_IF ? "'if' statement" : "'elif' statement", t->line);
  end_with (n, &n->body);
  if (check (p, LS_TOK_ELIF))
    {
      list_push (p, &n->orelse, parse_if (p));
      return end_with (n, &n->orelse);
    }
  parse_else (p, &n->orelse);
  return end_with (n, &n->orelse);
}

static LsNode *
parse_while (Parser *p)
{
  const LsToken *t = advance (p);
  LsNode *n = node_new (p, LS_AST_WHILE, t);

  n->a = parse_named (p);
  expect_colon (p, FALSE);
  parse_loop_body (p, &n->body, "'while' statement", t->line);
  end_with (n, &n->body);
  parse_else (p, &n->orelse);
  return end_with (n, &n->orelse);
}

static LsNode *
parse_for (Parser *p, const LsToken *async)
{
  const LsToken *t = advance (p);
  LsNode *n = node_new (p, LS_AST_FOR, async ? async : t);

  n->flag = async != NULL;
  n->a = parse_targets (p);
  check_target (p, n->a);
  if (!accept (p, LS_TOK_IN))
    {
      syntax_error (p);
      return n;
    }
  n->b = parse_star_exprs (p);
  expect_colon (p, FALSE);
  parse_loop_body (p, &n->body, "'for' statement", t->line);
  end_with (n, &n->body);
  parse_else (p, &n->orelse);
  return end_with (n, &n->orelse);
}

static LsNode *
parse_try (Parser *p)
{
  const LsToken *t = advance (p);
  LsNode *n = node_new (p, LS_AST_TRY, t);

  expect_colon (p, TRUE);
  parse_block (p, &n->body, "'try' statement", t->line);
  end_with (n, &n->body);
  while (!p->failed && check (p, LS_TOK_EXCEPT))
    {
      const LsToken *e = advance (p);
      LsNode *h = node_new (p, LS_AST_EXCEPT, e);

      if (check (p, LS_TOK_STAR))
        {
          error_tok (p, e, "except* is not supported");
          return n;
        }
      if (!check (p, LS_TOK_COLON))
        {
          h->a = parse_expr (p);
          if (check (p, LS_TOK_COMMA))
            {
              error_node (p, h->a, "multiple exception types must be parenthesized");
              return n;
            }
          if (accept (p, LS_TOK_AS))
            {
              if (!check (p, LS_TOK_NAME))
                {
                  syntax_error (p);
                  return n;
                }
              h->str = token_str (p, advance (p));
            }
        }
      expect_colon (p, FALSE);
      parse_block (p, &h->body, "'except' statement", e->line);
      list_push (p, &n->handlers, end_with (node_end (p, h), &h->body));
      end_with (n, &h->body);
    }
  if (n->handlers.len)
    {
      parse_else (p, &n->orelse);
      end_with (n, &n->orelse);
    }
  if (check (p, LS_TOK_FINALLY))
    {
      const LsToken *f = advance (p);

      expect_colon (p, TRUE);
      parse_block (p, &n->finalbody, "'finally' statement", f->line);
      end_with (n, &n->finalbody);
    }
  else if (!n->handlers.len && !p->failed)
    {
      if (check (p, LS_TOK_ERROR) || check (p, LS_TOK_INDENT))
        syntax_error (p);
      error_tok (p, peek (p), "expected 'except' or 'finally' block");
    }
  return n;
}

/* Whether "with (" starts parenthesized with-items: the parenthesis
 * closes right before the ':' (CPython's first with_stmt alternative). */
static gboolean
with_items_parenthesized (Parser *p)
{
  int level = peek (p)->level;

  if (!check (p, LS_TOK_LPAR))
    return FALSE;
  for (guint i = p->pos + 1; i < p->ntoks; i++)
    {
      const LsToken *t = &p->toks[i];

      if (t->kind == LS_TOK_RPAR && t->level == level - 1)
        return i + 1 < p->ntoks && p->toks[i + 1].kind == LS_TOK_COLON;
      if (t->kind == LS_TOK_NEWLINE || t->kind == LS_TOK_ENDMARKER || t->kind == LS_TOK_ERROR)
        return FALSE;
    }
  return FALSE;
}

static LsNode *
parse_with (Parser *p, const LsToken *async)
{
  const LsToken *t = advance (p);
  LsNode *n = node_new (p, LS_AST_WITH, async ? async : t);
  gboolean parens = with_items_parenthesized (p);

  n->flag = async != NULL;
  if (parens)
    advance (p);
  do
    {
      LsNode *item;

      if (parens && check (p, LS_TOK_RPAR) && n->items.len)
        break;
      item = node_new (p, LS_AST_WITHITEM, peek (p));
      item->a = parse_expr (p);
      if (accept (p, LS_TOK_AS))
        {
          item->b = parse_prec (p, PREC_BITOR);
          check_target (p, item->b);
        }
      list_push (p, &n->items, node_end (p, item));
    }
  while (!p->failed && accept (p, LS_TOK_COMMA));
  if (parens)
    expect (p, LS_TOK_RPAR);
  expect_colon (p, FALSE);
  parse_block (p, &n->body, "'with' statement", t->line);
  return end_with (n, &n->body);
}

static LsNode *
parse_arg (Parser *p, gboolean lambda)
{
  LsNode *arg;

  if (!check (p, LS_TOK_NAME))
    {
      syntax_error (p);
      return dummy (p);
    }
  arg = node_new (p, LS_AST_ARG, peek (p));
  arg->str = token_str (p, advance (p));
  /* annotations are parsed and dropped */
  if (!lambda && accept (p, LS_TOK_COLON))
    parse_expr (p);
  return node_end (p, arg);
}

/* Parameters up to ')' (def) or ':' (lambda), with CPython's checks. */
static void
parse_params (Parser *p, LsArguments *args, gboolean lambda)
{
  LsTokKind close = lambda ? LS_TOK_COLON : LS_TOK_RPAR;
  const LsToken *bare_star = NULL;
  gboolean star = FALSE, seen_default = FALSE;

  while (!p->failed && !check (p, close))
    {
      const LsToken *t = peek (p);

      if (t->kind == LS_TOK_SLASH)
        {
          if (args->args.len == 0 || star)
            {
              if (args->posonly.len)
                error_tok (p, t, "/ may appear only once");
              else if (star)
                error_tok (p, t, "/ must be ahead of *");
              else
                syntax_error (p);
              return;
            }
          advance (p);
          args->posonly = args->args;
          args->args = (LsNodeList) { NULL, 0 };
        }
      else if (t->kind == LS_TOK_STAR)
        {
          if (star)
            {
              error_tok (p, t, "* argument may appear only once");
              return;
            }
          advance (p);
          star = TRUE;
          if (check (p, LS_TOK_NAME))
            args->vararg = parse_arg (p, lambda);
          else if (check (p, LS_TOK_COMMA))
            bare_star = t;
          else
            {
              error_tok (p, t, "named arguments must follow bare *");
              return;
            }
        }
      else if (t->kind == LS_TOK_DOUBLESTAR)
        {
          advance (p);
          args->kwarg = parse_arg (p, lambda);
          accept (p, LS_TOK_COMMA);
          if (!check (p, close) && !p->failed)
            error_tok (p, peek (p), "arguments cannot follow var-keyword argument");
          break;
        }
      else
        {
          LsNode *arg = parse_arg (p, lambda);

          if (accept (p, LS_TOK_EQUAL))
            {
              arg->a = parse_expr (p);
              seen_default |= !star;
            }
          else if (seen_default && !star)
            {
              error_node (p, arg, "parameter without a default follows parameter with a default");
              return;
            }
          list_push (p, star ? &args->kwonly : &args->args, node_end (p, arg));
        }
      if (!accept (p, LS_TOK_COMMA))
        break;
    }
  if (bare_star && args->kwonly.len == 0)
    error_tok (p, bare_star, "named arguments must follow bare *");
}

static void
check_duplicate_params (Parser *p, LsArguments *args)
{
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
  const LsNodeList *lists[] = { &args->posonly, &args->args, &args->kwonly };
  LsNode *extra[] = { args->vararg, args->kwarg };

  for (guint l = 0; l < G_N_ELEMENTS (lists) + G_N_ELEMENTS (extra); l++)
    {
      guint n = l < 3 ? lists[l]->len : extra[l - 3] != NULL;

      for (guint i = 0; i < n; i++)
        {
          LsNode *arg = l < 3 ? lists[l]->items[i] : extra[l - 3];

          if (!g_hash_table_add (seen, (gpointer) arg->str))
            late_error (p, LATE_SYMTABLE, arg->line, arg->col,
                        "duplicate argument '%s' in function definition", arg->str);
        }
    }
  g_hash_table_destroy (seen);
}

static LsNode *
parse_def (Parser *p, const LsToken *async, LsNodeList decorators)
{
  const LsToken *t = advance (p);
  LsNode *n = node_new (p, LS_AST_FUNCTIONDEF, async ? async : t);
  Scope scope = p->scope;
  int loops = p->loops;

  n->flag = async != NULL;
  n->decorators = decorators;
  if (!check (p, LS_TOK_NAME))
    {
      syntax_error (p);
      return n;
    }
  n->str = token_str (p, advance (p));
  if (check (p, LS_TOK_LSQB))
    {
      error_tok (p, peek (p), "type parameter lists are not supported");
      return n;
    }
  if (!accept (p, LS_TOK_LPAR))
    {
      error_tok (p, peek (p), "expected '('");
      return n;
    }
  n->args = arena_alloc (p->arena, sizeof (LsArguments));
  parse_params (p, n->args, FALSE);
  expect (p, LS_TOK_RPAR);
  check_duplicate_params (p, n->args);
  if (accept (p, LS_TOK_RARROW))
    parse_expr (p);
  expect_colon (p, TRUE);
  p->scope = async ? SCOPE_ASYNC_FUNCTION : SCOPE_FUNCTION;
  p->loops = 0;
  parse_block (p, &n->body, "function definition", t->line);
  p->scope = scope;
  p->loops = loops;
  return end_with (n, &n->body);
}

static LsNode *
parse_class (Parser *p, LsNodeList decorators)
{
  const LsToken *t = advance (p);
  LsNode *n = node_new (p, LS_AST_CLASSDEF, t);
  Scope scope = p->scope;
  int loops = p->loops;

  n->decorators = decorators;
  if (!check (p, LS_TOK_NAME))
    {
      syntax_error (p);
      return n;
    }
  n->str = token_str (p, advance (p));
  if (check (p, LS_TOK_LSQB))
    {
      error_tok (p, peek (p), "type parameter lists are not supported");
      return n;
    }
  if (accept (p, LS_TOK_LPAR))
    {
      while (!p->failed && !check (p, LS_TOK_RPAR))
        {
          if (check (p, LS_TOK_NAME) && peek_at (p, 1)->kind == LS_TOK_EQUAL)
            {
              error_tok (p, peek (p), "class keyword arguments are not supported");
              return n;
            }
          if (check (p, LS_TOK_STAR) || check (p, LS_TOK_DOUBLESTAR))
            {
              error_tok (p, peek (p), "unpacking in class bases is not supported");
              return n;
            }
          list_push (p, &n->items, parse_expr (p));
          check_missing_comma (p, n->items.items[n->items.len - 1]);
          if (!accept (p, LS_TOK_COMMA))
            break;
        }
      expect (p, LS_TOK_RPAR);
    }
  expect_colon (p, FALSE);
  p->scope = SCOPE_CLASS;
  p->loops = 0;
  parse_block (p, &n->body, "class definition", t->line);
  p->scope = scope;
  p->loops = loops;
  return end_with (n, &n->body);
}

static LsNode *
parse_decorated (Parser *p)
{
  LsNodeList decorators = { NULL, 0 };

  while (!p->failed && accept (p, LS_TOK_AT))
    {
      list_push (p, &decorators, parse_named (p));
      expect (p, LS_TOK_NEWLINE);
    }
  if (check (p, LS_TOK_DEF))
    return parse_def (p, NULL, decorators);
  if (check (p, LS_TOK_ASYNC) && peek_at (p, 1)->kind == LS_TOK_DEF)
    return parse_def (p, advance (p), decorators);
  if (check (p, LS_TOK_CLASS))
    return parse_class (p, decorators);
  syntax_error (p);
  return dummy (p);
}

static LsNode *
parse_async (Parser *p)
{
  const LsToken *async = advance (p);
  LsNode *n;

  switch (peek (p)->kind)
    {
    case LS_TOK_DEF:
      return parse_def (p, async, (LsNodeList) { NULL, 0 });
    case LS_TOK_FOR:
      n = parse_for (p, async);
      if (p->scope != SCOPE_ASYNC_FUNCTION)
        late_error (p, LATE_COMPILER, n->line, n->col, "'async for' outside async function");
      return n;
    case LS_TOK_WITH:
      n = parse_with (p, async);
      if (p->scope != SCOPE_ASYNC_FUNCTION)
        late_error (p, LATE_COMPILER, n->line, n->col, "'async with' outside async function");
      return n;
    default:
      syntax_error (p);
      return dummy (p);
    }
}

/* `match x:` and `type X = ...` start with soft keywords; anything else
 * starting with those names is an ordinary statement. */
static gboolean
check_soft_keyword_statement (Parser *p)
{
  const LsToken *t = peek (p), *next = peek_at (p, 1);

  if (t->kind != LS_TOK_NAME)
    return FALSE;
  if (t->len == 5 && memcmp (t->start, "match", 5) == 0 && starts_expression (next->kind)
      && next->kind != LS_TOK_MINUS && next->kind != LS_TOK_PLUS && next->kind != LS_TOK_NOT)
    {
      for (guint i = p->pos + 1; i + 1 < p->ntoks; i++)
        {
          if (p->toks[i].kind == LS_TOK_NEWLINE || p->toks[i].kind == LS_TOK_ERROR)
            break;
          if (p->toks[i].kind == LS_TOK_COLON && p->toks[i].level == 0
              && p->toks[i + 1].kind == LS_TOK_NEWLINE)
            {
              error_tok (p, t, "match statements are not supported");
              return TRUE;
            }
        }
    }
  if (t->len == 4 && memcmp (t->start, "type", 4) == 0 && next->kind == LS_TOK_NAME
      && (peek_at (p, 2)->kind == LS_TOK_EQUAL || peek_at (p, 2)->kind == LS_TOK_LSQB))
    {
      error_tok (p, t, "type alias statements are not supported");
      return TRUE;
    }
  return FALSE;
}

static void
parse_statement (Parser *p, LsNodeList *body)
{
  switch (peek (p)->kind)
    {
    case LS_TOK_IF: list_push (p, body, parse_if (p)); return;
    case LS_TOK_WHILE: list_push (p, body, parse_while (p)); return;
    case LS_TOK_FOR: list_push (p, body, parse_for (p, NULL)); return;
    case LS_TOK_TRY: list_push (p, body, parse_try (p)); return;
    case LS_TOK_WITH: list_push (p, body, parse_with (p, NULL)); return;
    case LS_TOK_DEF: list_push (p, body, parse_def (p, NULL, (LsNodeList) { NULL, 0 })); return;
    case LS_TOK_CLASS: list_push (p, body, parse_class (p, (LsNodeList) { NULL, 0 })); return;
    case LS_TOK_AT: list_push (p, body, parse_decorated (p)); return;
    case LS_TOK_ASYNC: list_push (p, body, parse_async (p)); return;
    default:
      if (check_soft_keyword_statement (p))
        return;
      parse_simple_statements (p, body);
      return;
    }
}

/* ---- the module and the public functions --------------------------------------------- */

static const char *const kind_names[] = {
#define LS_NODE_NAME(id) #id,
  LS_EXPR_KINDS (LS_NODE_NAME)
  LS_STMT_KINDS (LS_NODE_NAME)
  LS_MISC_KINDS (LS_NODE_NAME)
#undef LS_NODE_NAME
};

static const char *const op_texts[] = {
  "",
#define LS_OP_TEXT(id, text) text,
  LS_OPS (LS_OP_TEXT)
#undef LS_OP_TEXT
};

const char *
ls_node_kind_name (LsNodeKind kind)
{
  g_return_val_if_fail (kind < LS_AST_N_KINDS, "?");
  return kind_names[kind];
}

const char *
ls_op_text (LsOp op)
{
  g_return_val_if_fail (op < LS_OP_N, "?");
  return op_texts[op];
}

/* Copies the source with its line ends made "\n", as CPython reads it. */
static char *
normalize_newlines (const char *source, gsize len, gsize *out_len)
{
  char *out = g_malloc (len + 1), *o = out;

  for (gsize i = 0; i < len; i++)
    {
      if (source[i] == '\r')
        {
          *o++ = '\n';
          if (i + 1 < len && source[i + 1] == '\n')
            i++;
        }
      else
        *o++ = source[i];
    }
  *o = '\0';
  *out_len = o - out;
  return out;
}

static LsSyntaxError *
syntax_error_new (LsAst *ast, int line, int col, const char *message)
{
  LsSyntaxError *err = g_new0 (LsSyntaxError, 1);

  err->filename = g_strdup (ast->filename);
  err->line = line;
  err->col = MAX (col, 1);
  err->message = g_strdup (message);
  err->source_line = g_strdup (line >= 1 && (guint) line <= ast->lines->len
                               ? g_ptr_array_index (ast->lines, line - 1) : "");
  return err;
}

/* Where the source is not what the lexer can take: invalid UTF-8 or a
 * NUL byte.  NULL when it is fine. */
static LsSyntaxError *
check_encoding (LsAst *ast, gsize len)
{
  const char *bad = NULL, *nul = memchr (ast->source, '\0', len);
  const char *at, *line_start = ast->source;
  int line = 1;
  char *message;
  LsSyntaxError *err;

  if (g_utf8_validate (ast->source, len, &bad) && !nul)
    return NULL;
  at = nul && (!bad || nul < bad) ? nul : bad;
  for (const char *s = ast->source; s < at; s++)
    if (*s == '\n')
      line++, line_start = s + 1;
  if (at == nul)
    message = g_strdup ("source code cannot contain null bytes");
  else
    message = g_strdup_printf ("(unicode error) 'utf-8' codec can't decode byte 0x%02x "
                               "in position %d: invalid %s byte", (guchar) *at,
                               (int) (at - line_start),
                               ((guchar) *at & 0xC0) == 0x80 || (guchar) *at >= 0xF8
                               ? "start" : "continuation");
  err = syntax_error_new (ast, line, (int) (at - line_start) + 1, message);
  /* the line may be cut short by the bad byte: show it as text */
  g_free (err->source_line);
  err->source_line = g_utf8_make_valid (line >= 1 && (guint) line <= ast->lines->len
                                        ? g_ptr_array_index (ast->lines, line - 1) : "", -1);
  g_free (message);
  return err;
}

/* Whether an expression parsed from token from (at prec) runs into the
 * lexer's error.  CPython's second pass, looking for the likely mistake,
 * parses on past where the first pass failed ("Perhaps you forgot a
 * comma?" parses the next element, "NAME = x" parses x); when that reaches
 * the token the tokenizer failed on, the tokenizer's error is the one
 * raised.  The parse is a throwaway copy of the parser. */
static gboolean
reaches_lex_error (Parser *p, guint from, Prec prec)
{
  Parser q = *p;
  gboolean reached;

  q.failed = FALSE;
  q.lex_failed = FALSE;
  q.message = NULL;
  q.late_rank = LATE_NONE;
  q.late_message = NULL;
  q.pos = from;
  parse_prec (&q, prec);
  reached = q.lex_failed || (!q.failed && q.toks[q.pos].kind == LS_TOK_ERROR);
  g_free (q.message);
  g_free (q.late_message);
  return reached;
}

/* The error a user sees (see the top of the file and LsLexError). */
static LsSyntaxError *
pick_error (Parser *p, LsAst *ast, const LsLexError *lex)
{
  if (p->failed)
    {
      const LsToken *at = &p->toks[p->fail_pos];
      gboolean lex_wins = lex->message
        && (p->lex_failed || lex->overrides
            || (lex->bracket_line && lex->bracket_line < p->fail_line));

      if (lex->message && !lex_wins)
        {
          if (g_str_has_prefix (p->message, "invalid syntax. Perhaps"))
            lex_wins = reaches_lex_error (p, p->fail_pos, PREC_LOWEST);
          else if (at->kind == LS_TOK_EQUAL && p->fail_pos > 0 && at[-1].kind == LS_TOK_NAME)
            lex_wins = reaches_lex_error (p, p->fail_pos + 1, PREC_BITOR);
        }

      /* "unexpected indent" is final: CPython looks no further */
      if (!p->lex_failed && p->toks[p->fail_pos].kind == LS_TOK_INDENT)
        lex_wins = FALSE;
      if (lex_wins)
        return syntax_error_new (ast, lex->line, lex->col, lex->message);
      return syntax_error_new (ast, p->line, p->col, p->message);
    }
  if (p->late_message)
    return syntax_error_new (ast, p->late_line, p->late_col, p->late_message);
  return NULL;
}

LsAst *
ls_parse (const char *filename, const char *source, gssize len, LsSyntaxError **error)
{
  LsAst *ast;
  Parser parser = { 0 };
  LsLexError lex = { 0 };
  LsSyntaxError *err;
  GArray *toks = NULL;
  gsize n;

  g_return_val_if_fail (source != NULL, NULL);
  if (error)
    *error = NULL;
  if (len < 0)
    len = strlen (source);

  ast = g_new0 (LsAst, 1);
  ast->filename = g_strdup (filename ? filename : "<string>");
  ast->source = normalize_newlines (source, len, &n);
  ast->lines = g_ptr_array_new_with_free_func (g_free);
  for (const char *s = ast->source, *end = ast->source + n; s <= end;)
    {
      const char *eol = memchr (s, '\n', end - s);

      if (!eol && s == end && s > ast->source)
        break;
      g_ptr_array_add (ast->lines, g_strndup (s, (eol ? eol : end) - s));
      s = eol ? eol + 1 : end + 1;
    }
  ast->arena = arena_new ();

  err = check_encoding (ast, n);
  if (err)
    goto out;

  toks = _ls_lex (ast->source, n, &lex);
  parser.arena = ast->arena;
  parser.toks = (const LsToken *) toks->data;
  parser.ntoks = toks->len;
  parser.eof = g_array_index (toks, LsToken, toks->len - 1);
  parser.eof.kind = LS_TOK_ENDMARKER;
  parser.parenthesized = g_hash_table_new (NULL, NULL);
  parser.late_rank = LATE_NONE;
  parser.scope = SCOPE_MODULE;

  ast->module = node_new (&parser, LS_AST_MODULE, &parser.toks[0]);
  ast->module->line = 1, ast->module->col = 1;
  while (!parser.failed && !check (&parser, LS_TOK_ENDMARKER))
    parse_statement (&parser, &ast->module->body);
  end_with (ast->module, &ast->module->body);
  err = pick_error (&parser, ast, &lex);

out:
  if (toks)
    g_array_free (toks, TRUE);
  if (parser.parenthesized)
    g_hash_table_destroy (parser.parenthesized);
  g_free (parser.message);
  g_free (parser.late_message);
  g_free (lex.message);
  if (err)
    {
      ls_ast_free (ast);
      if (error)
        *error = err;
      else
        ls_syntax_error_free (err);
      return NULL;
    }
  return ast;
}

void
ls_ast_free (LsAst *ast)
{
  if (!ast)
    return;
  arena_free (ast->arena);
  g_ptr_array_unref (ast->lines);
  g_free (ast->source);
  g_free (ast->filename);
  g_free (ast);
}

void
ls_syntax_error_free (LsSyntaxError *err)
{
  if (!err)
    return;
  g_free (err->filename);
  g_free (err->message);
  g_free (err->source_line);
  g_free (err);
}

char *
ls_syntax_error_format (const LsSyntaxError *err)
{
  GString *s;

  g_return_val_if_fail (err != NULL, NULL);
  s = g_string_new (NULL);
  g_string_append_printf (s, "%s:%d:%d: error: %s\n%s\n", err->filename, err->line, err->col,
                          err->message, err->source_line ? err->source_line : "");
  for (int i = 1; i < err->col; i++)
    g_string_append_c (s, ' ');
  g_string_append (s, "^\n");
  return g_string_free (s, FALSE);
}

/* ---- the dump -------------------------------------------------------------------------- */

/* A str as Python's repr() writes it. */
static void
dump_str (GString *out, const char *s, gsize len)
{
  gboolean has_single = memchr (s, '\'', len) != NULL, has_double = memchr (s, '"', len) != NULL;
  char quote = has_single && !has_double ? '"' : '\'';

  g_string_append_c (out, quote);
  for (gsize i = 0; i < len; i++)
    {
      guchar c = s[i];

      if (c == quote || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, quote);
}

static void dump_node (GString *out, const LsNode *n);

static void
dump_list (GString *out, const LsNodeList *l)
{
  for (guint i = 0; i < l->len; i++)
    {
      g_string_append_c (out, ' ');
      dump_node (out, l->items[i]);
    }
}

/* " (label items…)", left out when the list is empty. */
static void
dump_group (GString *out, const char *label, const LsNodeList *l)
{
  if (!l->len)
    return;
  g_string_append_printf (out, " (%s", label);
  dump_list (out, l);
  g_string_append_c (out, ')');
}

static void
dump_opt (GString *out, const LsNode *n)
{
  g_string_append_c (out, ' ');
  if (n)
    dump_node (out, n);
  else
    g_string_append_c (out, '-');
}

static void
dump_arg (GString *out, const LsNode *arg)
{
  g_string_append_c (out, ' ');
  if (!arg->a)
    {
      g_string_append (out, arg->str);
      return;
    }
  g_string_append_printf (out, "(%s ", arg->str);
  dump_node (out, arg->a);
  g_string_append_c (out, ')');
}

static void
dump_args (GString *out, const LsArguments *args)
{
  const struct { const char *label; const LsNodeList *l; } groups[] = {
    { "posonly", &args->posonly }, { "args", &args->args }, { "kwonly", &args->kwonly },
  };

  g_string_append (out, " (arguments");
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      if (g == 2 && args->vararg)
        {
          g_string_append (out, " (vararg");
          dump_arg (out, args->vararg);
          g_string_append_c (out, ')');
        }
      if (!groups[g].l->len)
        continue;
      g_string_append_printf (out, " (%s", groups[g].label);
      for (guint i = 0; i < groups[g].l->len; i++)
        dump_arg (out, groups[g].l->items[i]);
      g_string_append_c (out, ')');
    }
  if (args->kwarg)
    {
      g_string_append (out, " (kwarg");
      dump_arg (out, args->kwarg);
      g_string_append_c (out, ')');
    }
  g_string_append_c (out, ')');
}

static void
dump_node (GString *out, const LsNode *n)
{
  if (!n)
    {
      g_string_append_c (out, '-');
      return;
    }
  switch (n->kind)
    {
    case LS_AST_NAME: g_string_append_printf (out, "(Name %s)", n->str); return;
    case LS_AST_CONST_INT: case LS_AST_CONST_FLOAT:
      g_string_append_printf (out, "(Const %s)", n->str);
      return;
    case LS_AST_CONST_STR:
      g_string_append (out, "(Const ");
      dump_str (out, n->str, n->len);
      g_string_append_c (out, ')');
      return;
    case LS_AST_CONST_TRUE: g_string_append (out, "(Const True)"); return;
    case LS_AST_CONST_FALSE: g_string_append (out, "(Const False)"); return;
    case LS_AST_CONST_NONE: g_string_append (out, "(Const None)"); return;
    case LS_AST_ELLIPSIS: g_string_append (out, "(Const ...)"); return;
    case LS_AST_FSTRING:
      g_string_append (out, "(JoinedStr");
      dump_list (out, &n->items);
      break;
    case LS_AST_FORMATTED:
      g_string_append (out, "(FormattedValue ");
      dump_node (out, n->a);
      if (n->op)
        g_string_append_printf (out, " !%c", (char) n->op);
      if (n->b)
        {
          g_string_append (out, " :");
          dump_node (out, n->b);
        }
      if (n->str)
        {
          g_string_append (out, " =");
          dump_str (out, n->str, strlen (n->str));
        }
      break;
    case LS_AST_TUPLE: g_string_append (out, "(Tuple"); dump_list (out, &n->items); break;
    case LS_AST_LIST: g_string_append (out, "(List"); dump_list (out, &n->items); break;
    case LS_AST_SET: g_string_append (out, "(Set"); dump_list (out, &n->items); break;
    case LS_AST_DICT:
      g_string_append (out, "(Dict");
      for (guint i = 0; i < n->items.len; i++)
        {
          g_string_append (out, " (");
          if (n->items.items[i])
            dump_node (out, n->items.items[i]);
          else
            g_string_append (out, "**");
          g_string_append_c (out, ' ');
          dump_node (out, n->items2.items[i]);
          g_string_append_c (out, ')');
        }
      break;
    case LS_AST_UNARY:
      g_string_append_printf (out, "(UnaryOp %s ", ls_op_text (n->op));
      dump_node (out, n->a);
      break;
    case LS_AST_BINARY:
      g_string_append_printf (out, "(BinOp %s ", ls_op_text (n->op));
      dump_node (out, n->a);
      dump_opt (out, n->b);
      break;
    case LS_AST_BOOLOP:
      g_string_append_printf (out, "(BoolOp %s", ls_op_text (n->op));
      dump_list (out, &n->items);
      break;
    case LS_AST_COMPARE:
      g_string_append (out, "(Compare ");
      dump_node (out, n->a);
      for (guint i = 0; i < n->items.len; i++)
        {
          g_string_append_printf (out, " %s ", ls_op_text (n->ops[i]));
          dump_node (out, n->items.items[i]);
        }
      break;
    case LS_AST_IFEXP:
      g_string_append (out, "(IfExp ");
      dump_node (out, n->a);
      dump_opt (out, n->b);
      dump_opt (out, n->c);
      break;
    case LS_AST_LAMBDA:
      g_string_append (out, "(Lambda");
      dump_args (out, n->args);
      dump_opt (out, n->a);
      break;
    case LS_AST_CALL:
      g_string_append (out, "(Call ");
      dump_node (out, n->a);
      dump_list (out, &n->items);
      dump_list (out, &n->kwargs);
      break;
    case LS_AST_KEYWORD:
      g_string_append_printf (out, "(keyword %s ", n->str ? n->str : "**");
      dump_node (out, n->a);
      break;
    case LS_AST_ATTRIBUTE:
      g_string_append (out, "(Attribute ");
      dump_node (out, n->a);
      g_string_append_printf (out, " %s", n->str);
      break;
    case LS_AST_SUBSCRIPT:
      g_string_append (out, "(Subscript ");
      dump_node (out, n->a);
      dump_opt (out, n->b);
      break;
    case LS_AST_SLICE:
      g_string_append (out, "(Slice");
      dump_opt (out, n->a);
      dump_opt (out, n->b);
      dump_opt (out, n->c);
      break;
    case LS_AST_STARRED: g_string_append (out, "(Starred"); dump_opt (out, n->a); break;
    case LS_AST_AWAIT: g_string_append (out, "(Await"); dump_opt (out, n->a); break;
    case LS_AST_YIELD:
      g_string_append (out, "(Yield");
      if (n->a)
        dump_opt (out, n->a);
      break;
    case LS_AST_YIELD_FROM: g_string_append (out, "(YieldFrom"); dump_opt (out, n->a); break;
    case LS_AST_LISTCOMP: case LS_AST_SETCOMP: case LS_AST_GENEXP:
      g_string_append (out, n->kind == LS_AST_LISTCOMP ? "(ListComp" : n->kind == LS_AST_SETCOMP
                       ? "(SetComp" : "(GeneratorExp");
      dump_opt (out, n->a);
      dump_list (out, &n->comps);
      break;
    case LS_AST_DICTCOMP:
      g_string_append (out, "(DictComp");
      dump_opt (out, n->a);
      dump_opt (out, n->b);
      dump_list (out, &n->comps);
      break;
    case LS_AST_COMPREHENSION:
      g_string_append (out, n->flag ? "(async for" : "(for");
      dump_opt (out, n->a);
      dump_opt (out, n->b);
      for (guint i = 0; i < n->items.len; i++)
        {
          g_string_append (out, " (if ");
          dump_node (out, n->items.items[i]);
          g_string_append_c (out, ')');
        }
      break;
    case LS_AST_NAMEDEXPR:
      g_string_append (out, "(NamedExpr");
      dump_opt (out, n->a);
      dump_opt (out, n->b);
      break;

    case LS_AST_EXPR: g_string_append (out, "(Expr"); dump_opt (out, n->a); break;
    case LS_AST_ASSIGN:
      g_string_append (out, "(Assign");
      dump_list (out, &n->items);
      g_string_append (out, " =");
      dump_opt (out, n->a);
      break;
    case LS_AST_AUGASSIGN:
      g_string_append (out, "(AugAssign");
      dump_opt (out, n->a);
      g_string_append_printf (out, " %s=", ls_op_text (n->op));
      dump_opt (out, n->b);
      break;
    case LS_AST_ANNASSIGN:
      g_string_append (out, "(AnnAssign");
      dump_opt (out, n->a);
      dump_opt (out, n->b);
      if (n->c)
        dump_opt (out, n->c);
      break;
    case LS_AST_PASS: g_string_append (out, "(Pass"); break;
    case LS_AST_BREAK: g_string_append (out, "(Break"); break;
    case LS_AST_CONTINUE: g_string_append (out, "(Continue"); break;
    case LS_AST_RETURN:
      g_string_append (out, "(Return");
      if (n->a)
        dump_opt (out, n->a);
      break;
    case LS_AST_RAISE:
      g_string_append (out, "(Raise");
      if (n->a)
        dump_opt (out, n->a);
      if (n->b)
        {
          g_string_append (out, " from");
          dump_opt (out, n->b);
        }
      break;
    case LS_AST_GLOBAL: case LS_AST_NONLOCAL:
      g_string_append (out, n->kind == LS_AST_GLOBAL ? "(Global" : "(Nonlocal");
      for (guint i = 0; i < n->names.len; i++)
        g_string_append_printf (out, " %s", n->names.items[i]->str);
      break;
    case LS_AST_DEL: g_string_append (out, "(Delete"); dump_list (out, &n->items); break;
    case LS_AST_ASSERT:
      g_string_append (out, "(Assert");
      dump_opt (out, n->a);
      if (n->b)
        dump_opt (out, n->b);
      break;
    case LS_AST_IF: case LS_AST_WHILE:
      g_string_append (out, n->kind == LS_AST_IF ? "(If" : "(While");
      dump_opt (out, n->a);
      dump_group (out, "body", &n->body);
      dump_group (out, "orelse", &n->orelse);
      break;
    case LS_AST_FOR:
      g_string_append (out, n->flag ? "(AsyncFor" : "(For");
      dump_opt (out, n->a);
      dump_opt (out, n->b);
      dump_group (out, "body", &n->body);
      dump_group (out, "orelse", &n->orelse);
      break;
    case LS_AST_WITH:
      g_string_append (out, n->flag ? "(AsyncWith" : "(With");
      dump_list (out, &n->items);
      dump_group (out, "body", &n->body);
      break;
    case LS_AST_WITHITEM:
      g_string_append (out, "(withitem");
      dump_opt (out, n->a);
      if (n->b)
        dump_opt (out, n->b);
      break;
    case LS_AST_TRY:
      g_string_append (out, "(Try");
      dump_group (out, "body", &n->body);
      dump_list (out, &n->handlers);
      dump_group (out, "orelse", &n->orelse);
      dump_group (out, "finalbody", &n->finalbody);
      break;
    case LS_AST_EXCEPT:
      g_string_append (out, "(ExceptHandler");
      dump_opt (out, n->a);
      if (n->str)
        g_string_append_printf (out, " as %s", n->str);
      dump_group (out, "body", &n->body);
      break;
    case LS_AST_FUNCTIONDEF:
      g_string_append_printf (out, "(%s %s", n->flag ? "AsyncFunctionDef" : "FunctionDef", n->str);
      dump_args (out, n->args);
      dump_group (out, "body", &n->body);
      dump_group (out, "decorators", &n->decorators);
      break;
    case LS_AST_CLASSDEF:
      g_string_append_printf (out, "(ClassDef %s", n->str);
      dump_group (out, "bases", &n->items);
      dump_group (out, "keywords", &n->kwargs);
      dump_group (out, "body", &n->body);
      dump_group (out, "decorators", &n->decorators);
      break;
    case LS_AST_IMPORT: g_string_append (out, "(Import"); dump_list (out, &n->aliases); break;
    case LS_AST_IMPORTFROM:
      g_string_append_printf (out, "(ImportFrom %s", n->str);
      dump_list (out, &n->aliases);
      break;
    case LS_AST_ALIAS:
      g_string_append_printf (out, "(alias %s", n->str);
      if (n->str2)
        g_string_append_printf (out, " as %s", n->str2);
      break;
    case LS_AST_MODULE: g_string_append (out, "(Module"); dump_list (out, &n->body); break;
    case LS_AST_ARGUMENTS: g_string_append (out, "(arguments"); break;
    case LS_AST_ARG:
      g_string_append_printf (out, "(arg %s", n->str);
      if (n->a)
        dump_opt (out, n->a);
      break;
    default:
      g_string_append_printf (out, "(%s", ls_node_kind_name (n->kind));
      break;
    }
  g_string_append_c (out, ')');
}

char *
ls_ast_dump (const LsNode *node)
{
  GString *out = g_string_new (NULL);

  dump_node (out, node);
  return g_string_free (out, FALSE);
}
