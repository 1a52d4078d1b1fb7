/* ls-lexer.c - the tokenizer of the scenario language.
 *
 * A transcription of CPython 3.12's Parser/tokenizer.c for the tokens the
 * subset uses: its indentation stacks (with the tab check that raises
 * TabError), implicit line joining inside brackets, backslash continuation,
 * number literals with their exact error messages and columns, strings,
 * and the f-string modes of PEP 701.  Error columns are computed the way
 * the C tokenizer computes them (mostly "characters before the current
 * position"), which is why some point one character left of the culprit:
 * the caret must land where CPython's does.
 *
 * The source arrives as valid UTF-8 with "\n" line ends and no NUL byte
 * inside (ls_parse checks and normalizes), and NUL terminated, so that
 * reading one character past a token is always safe.
 */
#include "ls-lexer.h"

#include <stdarg.h>
#include <string.h>

/* CPython's limits: MAXINDENT, MAXLEVEL and MAXFSTRINGLEVEL. */
#define MAX_INDENT 100
#define MAX_LEVEL 200
#define MAX_FSTRING 150

typedef struct {
  char ch;              /* '(', '[', '{', or 'F': the brace of an f-string field */
  int line, col;
  gboolean spec;        /* 'F': past the ':' of the format spec */
} Bracket;

typedef struct {
  char quote;
  gboolean triple, raw;
  int level;            /* bracket depth at which its literal text is lexed */
  int line, col;        /* of the first character of its prefix */
} FString;

typedef struct {
  const char *source, *p, *end;
  const char *line_start, *prev_line_start;
  int line;
  gboolean at_line_start;
  int indents[MAX_INDENT + 1], altindents[MAX_INDENT + 1];
  int nindent;
  Bracket brackets[MAX_LEVEL];
  int level;
  FString fstrings[MAX_FSTRING];
  int nfstring;
  GArray *toks;
  LsLexError *error;
  gboolean done;
  const char *comment;  /* a comment just skipped on this line, or NULL */
} Lexer;

static const char *const token_texts[] = {
#define LS_TOK_TEXT(id, text) text,
  LS_TOKENS (LS_TOK_TEXT)
#undef LS_TOK_TEXT
};

const char *
_ls_token_kind_text (LsTokKind kind)
{
  g_return_val_if_fail (kind < LS_TOK_N, "?");
  return token_texts[kind];
}

int
_ls_col_of (const char *line_start, const char *p)
{
  return (int) g_utf8_strlen (line_start, p - line_start) + 1;
}

static int
col_of (Lexer *lx, const char *p)
{
  return _ls_col_of (lx->line_start, p);
}

static void
new_line (Lexer *lx, const char *next)
{
  lx->line++;
  lx->prev_line_start = lx->line_start;
  lx->line_start = next;
}

/* Appends a token from start (at line, col) to end, which is on the
 * current line. */
static LsToken *
emit (Lexer *lx, LsTokKind kind, const char *start, const char *end, int line, int col)
{
  LsToken t = {
    .kind = kind, .line = line, .col = col,
    .end_line = lx->line, .end_col = col_of (lx, end),
    .start = start, .len = (guint) (end - start), .level = lx->level,
  };

  g_array_append_val (lx->toks, t);
  return &g_array_index (lx->toks, LsToken, lx->toks->len - 1);
}

/* A zero-width token (INDENT, DEDENT, the end) at a given place. */
static void
emit_at (Lexer *lx, LsTokKind kind, int line, int col)
{
  LsToken t = { .kind = kind, .line = line, .col = col, .end_line = line,
                .end_col = col, .start = lx->p, .len = 0, .level = lx->level };

  g_array_append_val (lx->toks, t);
}

/* A token wholly on the current line. */
static void
emit_here (Lexer *lx, LsTokKind kind, const char *start, const char *end)
{
  emit (lx, kind, start, end, lx->line, col_of (lx, start));
}

static void fail (Lexer *lx, int line, int col, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

/* Records the first error and ends the tokens with ERROR there. */
static void
fail (Lexer *lx, int line, int col, const char *fmt, ...)
{
  va_list ap;
  LsToken t = { .kind = LS_TOK_ERROR, .line = line, .col = col, .end_line = line,
                .end_col = col, .start = lx->p, .len = 0, .level = lx->level };

  va_start (ap, fmt);
  lx->error->message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  lx->error->line = line;
  lx->error->col = col;
  lx->error->bracket_line = 0;
  lx->error->overrides = lx->nfstring == 0;
  g_array_append_val (lx->toks, t);
  lx->done = TRUE;
}

/* The line CPython names in "(detected at line N)" when a string runs to
 * the end of the file: the last line, not counting the empty one after a
 * final line end. */
static int
last_text_line (Lexer *lx)
{
  int line = lx->line;

  if (lx->end > lx->source && lx->end[-1] == '\n' && line > 1)
    line--;
  return line;
}

static gboolean
is_ident_char (const char *p)
{
  guchar c = (guchar) *p;
  gunichar u;

  if (c < 0x80)
    return g_ascii_isalnum (c) || c == '_';
  u = g_utf8_get_char (p);
  return g_unichar_isalnum (u) || g_unichar_type (u) == G_UNICODE_NON_SPACING_MARK
         || g_unichar_type (u) == G_UNICODE_SPACING_MARK
         || g_unichar_type (u) == G_UNICODE_CONNECT_PUNCTUATION;
}

static gboolean
is_ident_start (const char *p)
{
  guchar c = (guchar) *p;

  if (c < 0x80)
    return g_ascii_isalpha (c) || c == '_';
  return g_unichar_isalpha (g_utf8_get_char (p))
         || g_unichar_type (g_utf8_get_char (p)) == G_UNICODE_LETTER_NUMBER;
}

/* ---- the end of the file ---------------------------------------------- */

static void
lex_end (Lexer *lx)
{
  const LsToken *last = lx->toks->len ? &g_array_index (lx->toks, LsToken, lx->toks->len - 1) : NULL;
  int eof_line = lx->line, eof_col;

  if (lx->level > 0)
    {
      Bracket *b = &lx->brackets[lx->level - 1];

      fail (lx, b->line, b->col, "'%c' was never closed", b->ch == 'F' ? '{' : b->ch);
      lx->error->bracket_line = b->line;
      lx->error->overrides = FALSE;
      return;
    }
  if (last && last->kind != LS_TOK_NEWLINE && last->kind != LS_TOK_INDENT
      && last->kind != LS_TOK_DEDENT)
    emit_here (lx, LS_TOK_NEWLINE, lx->p, lx->p);
  /* CPython puts the tokens at the end on the last line, just past it. */
  if (lx->p == lx->line_start && lx->line > 1)
    {
      eof_line = lx->line - 1;
      eof_col = _ls_col_of (lx->prev_line_start, lx->p - 1);
    }
  else
    eof_col = col_of (lx, lx->p);
  for (; lx->nindent > 0; lx->nindent--)
    emit_at (lx, LS_TOK_DEDENT, eof_line, eof_col);
  emit_at (lx, LS_TOK_ENDMARKER, eof_line, eof_col);
  lx->done = TRUE;
}

/* ---- indentation ------------------------------------------------------- */

/* At the start of a logical line: skips blank and comment-only lines
 * (FALSE: one was skipped, or the lexer is done) and emits INDENT or
 * DEDENT tokens for the indentation of the next real line.  Like CPython,
 * col counts tabs to the next multiple of 8 and altcol counts them as 1;
 * the two must order the lines the same way, or it is a TabError. */
static gboolean
lex_indentation (Lexer *lx)
{
  const char *q = lx->p;
  int col = 0, altcol = 0;

  for (;; q++)
    {
      if (*q == ' ')
        col++, altcol++;
      else if (*q == '\t')
        col = (col / 8 + 1) * 8, altcol++;
      else if (*q == '\f')
        col = altcol = 0;
      else
        break;
    }
  if (q == lx->end)
    {
      lx->p = q;
      lx->at_line_start = FALSE;
      return TRUE;
    }
  if (*q == '#' || *q == '\n')
    {
      while (q < lx->end && *q != '\n')
        q++;
      if (q < lx->end)
        {
          q++;
          new_line (lx, q);
        }
      lx->p = q;
      return FALSE;
    }
  lx->p = q;
  lx->at_line_start = FALSE;

  if (col == lx->indents[lx->nindent])
    {
      if (altcol != lx->altindents[lx->nindent])
        goto tab_error;
    }
  else if (col > lx->indents[lx->nindent])
    {
      if (lx->nindent + 1 >= MAX_INDENT)
        {
          fail (lx, lx->line, col_of (lx, q), "too many levels of indentation");
          lx->error->overrides = FALSE;
          return FALSE;
        }
      if (altcol <= lx->altindents[lx->nindent])
        goto tab_error;
      lx->nindent++;
      lx->indents[lx->nindent] = col;
      lx->altindents[lx->nindent] = altcol;
      emit_at (lx, LS_TOK_INDENT, lx->line, col_of (lx, q));
    }
  else
    {
      while (lx->nindent > 0 && col < lx->indents[lx->nindent])
        {
          lx->nindent--;
          emit_at (lx, LS_TOK_DEDENT, lx->line, col_of (lx, q));
        }
      if (col != lx->indents[lx->nindent])
        {
          const char *eol = strchr (q, '\n');

          /* CPython points past the end of the line. */
          fail (lx, lx->line, col_of (lx, eol ? eol : lx->end),
                "unindent does not match any outer indentation level");
          lx->error->overrides = FALSE;
          return FALSE;
        }
      if (altcol != lx->altindents[lx->nindent])
        goto tab_error;
    }
  return TRUE;

tab_error:
  fail (lx, lx->line, 1, "inconsistent use of tabs and spaces in indentation");
  lx->error->overrides = FALSE;
  return FALSE;
}

/* ---- numbers ----------------------------------------------------------- */

/* In the number functions, q points at the character CPython's tokenizer
 * holds in c.  An error "after backing up" is placed at the characters
 * before q, which puts the caret on the character before q. */

static gboolean
number_error_before (Lexer *lx, const char *q, const char *kind)
{
  fail (lx, lx->line, col_of (lx, q) - 1, "invalid %s literal", kind);
  return FALSE;
}

/* verify_end_of_number(): a letter right after a number is an error,
 * except where it starts one of the keywords valid code may put there
 * ("1if x else 2"), which CPython only warns about. */
static gboolean
verify_end_of_number (Lexer *lx, const char *q, const char *kind)
{
  static const char *const after[] = { "and", "else", "for", "if", "in", "is", "or", "not" };

  for (guint i = 0; i < G_N_ELEMENTS (after); i++)
    if (strncmp (q, after[i], strlen (after[i])) == 0 && !is_ident_char (q + strlen (after[i])))
      return TRUE;
  if ((guchar) *q < 128 && is_ident_char (q))
    return number_error_before (lx, q, kind);
  return TRUE;
}

/* tok_decimal_tail(): digits with single underscores between them, the
 * first digit already read.  NULL after an error. */
static const char *
decimal_tail (Lexer *lx, const char *q)
{
  for (;;)
    {
      while (g_ascii_isdigit (*q))
        q++;
      if (*q != '_')
        return q;
      q++;
      if (!g_ascii_isdigit (*q))
        {
          number_error_before (lx, q, "decimal");
          return NULL;
        }
    }
}

/* Digits of a base with underscores: hex, octal or binary after "0x". */
static const char *
based_digits (Lexer *lx, const char *q, int base, const char *kind)
{
  do
    {
      if (*q == '_')
        q++;
      if (base == 16 ? !g_ascii_isxdigit (*q) : !(*q >= '0' && *q < '0' + base))
        {
          if (base != 16 && g_ascii_isdigit (*q))
            fail (lx, lx->line, col_of (lx, q), "invalid digit '%c' in %s literal", *q, kind);
          else
            number_error_before (lx, q, kind);
          return NULL;
        }
      while (base == 16 ? g_ascii_isxdigit (*q) : (*q >= '0' && *q < '0' + base))
        q++;
    }
  while (*q == '_');
  if (base != 16 && g_ascii_isdigit (*q))
    {
      fail (lx, lx->line, col_of (lx, q), "invalid digit '%c' in %s literal", *q, kind);
      return NULL;
    }
  return q;
}

static void
lex_number (Lexer *lx)
{
  const char *start = lx->p, *q = start;
  gboolean nonzero = FALSE;

  if (*q == '0' && (q[1] == 'x' || q[1] == 'X' || q[1] == 'o' || q[1] == 'O'
                    || q[1] == 'b' || q[1] == 'B'))
    {
      char b = g_ascii_tolower (q[1]);
      int base = b == 'x' ? 16 : b == 'o' ? 8 : 2;
      const char *kind = b == 'x' ? "hexadecimal" : b == 'o' ? "octal" : "binary";

      q = based_digits (lx, q + 2, base, kind);
      if (!q || !verify_end_of_number (lx, q, kind))
        return;
      goto done;
    }
  if (*q == '0')
    {
      /* maybe an old-style octal: only zeros may follow a leading 0 */
      q++;
      for (;;)
        {
          if (*q == '_')
            {
              q++;
              if (!g_ascii_isdigit (*q))
                {
                  number_error_before (lx, q, "decimal");
                  return;
                }
            }
          if (*q != '0')
            break;
          q++;
        }
      if (g_ascii_isdigit (*q))
        {
          nonzero = TRUE;
          if (!(q = decimal_tail (lx, q)))
            return;
        }
      if (*q == '.')
        {
          q++;
          goto fraction;
        }
      if (*q == 'e' || *q == 'E')
        goto exponent;
      if (*q == 'j' || *q == 'J')
        goto imaginary;
      if (nonzero)
        {
          fail (lx, lx->line, col_of (lx, start),
                "leading zeros in decimal integer literals are not permitted; "
                "use an 0o prefix for octal integers");
          return;
        }
      if (!verify_end_of_number (lx, q, "decimal"))
        return;
      goto done;
    }

  if (*q != '.')
    {
      if (!(q = decimal_tail (lx, q)))
        return;
      if (*q != '.')
        goto after_fraction;
    }
  q++;
fraction:
  if (g_ascii_isdigit (*q) && !(q = decimal_tail (lx, q)))
    return;
after_fraction:
  if (*q == 'e' || *q == 'E')
    {
      const char *e;
    exponent:
      e = q;
      q++;
      if (*q == '+' || *q == '-')
        {
          q++;
          if (!g_ascii_isdigit (*q))
            {
              number_error_before (lx, q, "decimal");
              return;
            }
        }
      else if (!g_ascii_isdigit (*q))
        {
          /* "1else": the number ends before the e */
          if (!verify_end_of_number (lx, e, "decimal"))
            return;
          q = e;
          goto done;
        }
      if (!(q = decimal_tail (lx, q)))
        return;
    }
  if (*q == 'j' || *q == 'J')
    {
    imaginary:
      q++;
      if (!verify_end_of_number (lx, q, "imaginary"))
        return;
    }
  else if (!verify_end_of_number (lx, q, "decimal"))
    return;

done:
  emit_here (lx, LS_TOK_NUMBER, start, q);
  lx->p = q;
}

/* ---- strings ----------------------------------------------------------- */

/* An f-string unterminated at its start, as CPython words it. */
static void
unterminated (Lexer *lx, int line, int col, gboolean triple, gboolean fstring, int detected)
{
  fail (lx, line, col, "unterminated %s%s literal (detected at line %d)",
        triple ? "triple-quoted " : "", fstring ? "f-string" : "string", detected);
}

/* A string from its prefix at start; quote is its first quote.  An
 * f-string only has its start emitted here: lex_fstring_text and the
 * ordinary tokens of its fields follow. */
static void
lex_string (Lexer *lx, const char *start, const char *quote)
{
  char qc = *quote;
  gboolean triple = quote[1] == qc && quote[2] == qc;
  gboolean raw = FALSE, fstring = FALSE;
  int line = lx->line, col = col_of (lx, start);
  const char *q = quote + (triple ? 3 : 1);

  for (const char *s = start; s < quote; s++)
    {
      if (*s == 'r' || *s == 'R')
        raw = TRUE;
      else if (*s == 'f' || *s == 'F')
        fstring = TRUE;
    }

  if (fstring)
    {
      FString *fs;

      if (lx->nfstring >= MAX_FSTRING)
        {
          fail (lx, line, col, "too many nested f-strings");
          return;
        }
      fs = &lx->fstrings[lx->nfstring++];
      *fs = (FString) { .quote = qc, .triple = triple, .raw = raw, .level = lx->level,
                        .line = line, .col = col };
      emit_here (lx, LS_TOK_FSTRING_START, start, q);
      lx->p = q;
      return;
    }

  for (;;)
    {
      if (q == lx->end || (!triple && *q == '\n'))
        {
          int detected = q == lx->end ? last_text_line (lx) : lx->line;
          FString *outer = lx->nfstring ? &lx->fstrings[lx->nfstring - 1] : NULL;

          /* Inside an f-string's field, a quote like the f-string's own
           * that goes nowhere means the field was never closed. */
          if (outer && outer->quote == qc && outer->triple == triple)
            fail (lx, line, col, "f-string: expecting '}'");
          else
            unterminated (lx, line, col, triple, FALSE, detected);
          return;
        }
      if (*q == '\\')
        {
          q++;
          if (q == lx->end)
            continue;
          if (*q == '\n')
            new_line (lx, q + 1);
          q++;
          continue;
        }
      if (*q == qc && (!triple || (q[1] == qc && q[2] == qc)))
        {
          q += triple ? 3 : 1;
          break;
        }
      if (*q == '\n')
        new_line (lx, q + 1);
      q++;
    }
  emit (lx, LS_TOK_STRING, start, q, line, col);
  lx->p = q;
}

/* The literal text of the innermost f-string, or of the format spec of
 * its innermost field (spec), up to a field, the end of the spec, or the
 * end of the f-string.  The FSTRING_MIDDLE token keeps the text as
 * written ("{{", escapes); the parser decodes it. */
static void
lex_fstring_text (Lexer *lx, FString *fs, gboolean spec)
{
  const char *start = lx->p, *q = start;
  int line = lx->line, col = col_of (lx, start);

  for (;;)
    {
      if (q == lx->end || (!fs->triple && *q == '\n'))
        {
          if (spec)
            {
              lx->p = q;
              if (q == lx->end)
                lex_end (lx);
              else
                fail (lx, lx->line, col_of (lx, q),
                      "f-string: newlines are not allowed in format specifiers for single quoted f-strings");
              return;
            }
          unterminated (lx, fs->line, fs->col, fs->triple, TRUE,
                        q == lx->end ? last_text_line (lx) : lx->line);
          return;
        }
      if (*q == fs->quote && (!fs->triple || (q[1] == fs->quote && q[2] == fs->quote)))
        {
          if (spec)
            {
              fail (lx, lx->line, col_of (lx, q), "f-string: expecting '}', or format specs");
              return;
            }
          if (q > start)
            emit (lx, LS_TOK_FSTRING_MIDDLE, start, q, line, col);
          emit_here (lx, LS_TOK_FSTRING_END, q, q + (fs->triple ? 3 : 1));
          lx->p = q + (fs->triple ? 3 : 1);
          lx->nfstring--;
          return;
        }
      if (*q == '\\')
        {
          /* A backslash keeps the next character in the text, except a
           * brace, which still opens or closes a field; \N{...} is
           * an escape, not a field. */
          if (!fs->raw && q[1] == 'N' && q[2] == '{')
            {
              const char *close = q + 3;

              while (close < lx->end && (g_ascii_isalnum (*close) || *close == ' ' || *close == '-'))
                close++;
              if (*close == '}')
                {
                  q = close + 1;
                  continue;
                }
            }
          q++;
          if (*q == '{' || *q == '}' || q == lx->end)
            continue;
          if (*q == '\n')
            new_line (lx, q + 1);
          q++;
          continue;
        }
      if (*q == '{')
        {
          if (!spec && q[1] == '{')
            {
              q += 2;
              continue;
            }
          if (q > start)
            emit (lx, LS_TOK_FSTRING_MIDDLE, start, q, line, col);
          lx->p = q;
          if (lx->level >= MAX_LEVEL)
            {
              fail (lx, lx->line, col_of (lx, q), "too many nested parentheses");
              return;
            }
          lx->brackets[lx->level++] = (Bracket) { 'F', lx->line, col_of (lx, q), FALSE };
          emit_here (lx, LS_TOK_LBRACE, q, q + 1);
          lx->p = q + 1;
          return;
        }
      if (*q == '}')
        {
          if (spec)
            {
              if (q > start)
                emit (lx, LS_TOK_FSTRING_MIDDLE, start, q, line, col);
              lx->level--;
              emit_here (lx, LS_TOK_RBRACE, q, q + 1);
              lx->p = q + 1;
              return;
            }
          if (q[1] == '}')
            {
              q += 2;
              continue;
            }
          lx->p = q;
          fail (lx, lx->line, col_of (lx, q), "f-string: single '}' is not allowed");
          return;
        }
      if (*q == '\n')
        new_line (lx, q + 1);
      q++;
    }
}

/* ---- names, operators, the main loop ----------------------------------- */

static gboolean
is_string_prefix (const char *s, gsize n)
{
  static const char *const prefixes[] = { "r", "u", "b", "f", "br", "rb", "fr", "rf" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (strlen (prefixes[i]) == n && g_ascii_strncasecmp (s, prefixes[i], n) == 0)
      return TRUE;
  return FALSE;
}

static void
lex_name (Lexer *lx)
{
  const char *start = lx->p, *q = start;
  LsTokKind kind = LS_TOK_NAME;

  while (q < lx->end && is_ident_char (q))
    q = g_utf8_next_char (q);
  if ((*q == '\'' || *q == '"') && is_string_prefix (start, q - start))
    {
      lex_string (lx, start, q);
      return;
    }
  for (int k = LS_TOK_FIRST_KEYWORD; k < LS_TOK_N; k++)
    if (strlen (token_texts[k]) == (gsize) (q - start)
        && memcmp (token_texts[k], start, q - start) == 0)
      {
        kind = k;
        break;
      }
  emit_here (lx, kind, start, q);
  lx->p = q;
}

static void
lex_bracket (Lexer *lx, LsTokKind kind)
{
  const char *p = lx->p;
  char c = *p;

  lx->p = p + 1;
  if (c == '(' || c == '[' || c == '{')
    {
      if (lx->level >= MAX_LEVEL)
        {
          lx->p = p;
          fail (lx, lx->line, col_of (lx, p), "too many nested parentheses");
          return;
        }
      lx->brackets[lx->level++] = (Bracket) { c, lx->line, col_of (lx, p), FALSE };
      emit_here (lx, kind, p, p + 1);
      return;
    }
  if (lx->level == 0)
    {
      lx->p = p;
      fail (lx, lx->line, col_of (lx, p), "unmatched '%c'", c);
      return;
    }
  {
    Bracket *b = &lx->brackets[lx->level - 1];
    char open = b->ch == 'F' ? '{' : b->ch;

    if (b->ch == 'F' && c != '}')
      {
        lx->p = p;
        fail (lx, lx->line, col_of (lx, p), "f-string: unmatched '%c'", c);
        return;
      }

    if ((open == '(' && c != ')') || (open == '[' && c != ']') || (open == '{' && c != '}'))
      {
        lx->p = p;
        if (b->line != lx->line)
          fail (lx, lx->line, col_of (lx, p),
                "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d",
                c, open, b->line);
        else
          fail (lx, lx->line, col_of (lx, p),
                "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open);
        return;
      }
    lx->level--;
    emit_here (lx, kind, p, p + 1);
  }
}

static void
lex_bad_character (Lexer *lx)
{
  gunichar u = g_utf8_get_char (lx->p);

  if (!g_unichar_isprint (u) || u == 0xA0)
    fail (lx, lx->line, col_of (lx, lx->p), "invalid non-printable character U+%04X", u);
  else
    {
      char buf[8] = { 0 };

      g_unichar_to_utf8 (u, buf);
      fail (lx, lx->line, col_of (lx, lx->p), "invalid character '%s' (U+%04X)", buf, u);
    }
}

static void
lex_one (Lexer *lx)
{
  const char *p;
  Bracket *field;

  if (lx->nfstring > 0)
    {
      FString *fs = &lx->fstrings[lx->nfstring - 1];

      field = lx->level > 0 ? &lx->brackets[lx->level - 1] : NULL;
      if (lx->level == fs->level)
        {
          lex_fstring_text (lx, fs, FALSE);
          return;
        }
      if (field && field->ch == 'F' && field->spec && lx->level == fs->level + 1)
        {
          lex_fstring_text (lx, fs, TRUE);
          return;
        }
    }
  if (lx->at_line_start && !lex_indentation (lx))
    return;

  while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\f')
    lx->p++;
  p = lx->p;
  if (*p != '\n')
    lx->comment = NULL;
  if (p == lx->end)
    {
      lex_end (lx);
      return;
    }
  switch (*p)
    {
    case '#':
      while (lx->p < lx->end && *lx->p != '\n')
        lx->p++;
      lx->comment = p;
      return;
    case '\n':
      lx->p = p + 1;
      if (lx->level == 0)
        {
          /* CPython's NEWLINE starts at the comment before it */
          emit (lx, LS_TOK_NEWLINE, p, p + 1, lx->line, col_of (lx, lx->comment ? lx->comment : p));
          lx->at_line_start = TRUE;
        }
      lx->comment = NULL;
      new_line (lx, p + 1);
      return;
    case '\\':
      if (p + 1 == lx->end)
        fail (lx, lx->line, col_of (lx, p + 1), "unexpected EOF while parsing");
      else if (p[1] != '\n')
        fail (lx, lx->line, col_of (lx, p + 1),
              "unexpected character after line continuation character");
      else
        {
          int line = lx->line, col = col_of (lx, p + 1);

          lx->p = p + 2;
          new_line (lx, p + 2);
          /* "x = 1 \" then the end: nothing continues the line */
          if (lx->p == lx->end)
            fail (lx, line, col, "unexpected EOF while parsing");
        }
      if (lx->done)
        lx->error->overrides = FALSE;
      return;
    case '\'': case '"':
      lex_string (lx, p, p);
      return;
    default:
      break;
    }

  if (g_ascii_isdigit (*p) || (*p == '.' && g_ascii_isdigit (p[1])))
    {
      lex_number (lx);
      return;
    }
  if (is_ident_start (p))
    {
      lex_name (lx);
      return;
    }
  if ((guchar) *p >= 0x80 || (guchar) *p < 0x20 || *p == 0x7f)
    {
      lex_bad_character (lx);
      return;
    }

  /* In a field of an f-string, '!' (conversion), ':' (format spec) and
   * '}' belong to the f-string. */
  field = lx->level > 0 ? &lx->brackets[lx->level - 1] : NULL;
  if (field && field->ch == 'F')
    {
      if (*p == ':')
        {
          field->spec = TRUE;
          emit_here (lx, LS_TOK_COLON, p, p + 1);
          lx->p = p + 1;
          return;
        }
      if (*p == '!' && p[1] != '=')
        {
          emit_here (lx, LS_TOK_EXCLAMATION, p, p + 1);
          lx->p = p + 1;
          return;
        }
    }

  for (int k = LS_TOK_FIRST_OP; k < LS_TOK_FIRST_KEYWORD; k++)
    {
      gsize n = strlen (token_texts[k]);

      if (strncmp (p, token_texts[k], n) != 0)
        continue;
      if (k == LS_TOK_LPAR || k == LS_TOK_RPAR || k == LS_TOK_LSQB || k == LS_TOK_RSQB
          || k == LS_TOK_LBRACE || k == LS_TOK_RBRACE)
        {
          lex_bracket (lx, k);
          return;
        }
      emit_here (lx, k, p, p + n);
      lx->p = p + n;
      return;
    }
  /* '$', '?', '`': CPython hands them to the parser, which finds them
   * invalid syntax */
  emit_here (lx, LS_TOK_UNKNOWN, p, p + 1);
  lx->p = p + 1;
}

GArray *
_ls_lex (const char *source, gsize len, LsLexError *error)
{
  Lexer lx = {
    .source = source, .p = source, .end = source + len,
    .line_start = source, .prev_line_start = source, .line = 1,
    .at_line_start = TRUE, .error = error,
  };

  memset (error, 0, sizeof *error);
  lx.toks = g_array_sized_new (FALSE, FALSE, sizeof (LsToken), len / 3 + 16);
  while (!lx.done)
    lex_one (&lx);
  return lx.toks;
}
