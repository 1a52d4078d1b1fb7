/* ls-traceback.c - an uncaught exception, printed as CPython prints it.
 *
 * traceback.TracebackException.format, in C: the chain of causes and
 * contexts first ("The above exception was the direct cause of…"), then
 * each exception's frames and its last line.  An exception group is drawn
 * as CPython 3.11+ draws it, its members in nested boxes:
 *
 *   + Exception Group Traceback (most recent call last):
 *   |   File "x.py", line 9, in <module>
 *   | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
 *   +-+---------------- 1 ----------------
 *     | Traceback (most recent call last):
 *     |   File "x.py", line 4, in child
 *     | ValueError: boom
 *     +------------------------------------
 *
 * The frames are the program's own: CPython would also show asyncio's.
 */
#include "ls-vm-private.h"

#include <string.h>

#define MAX_GROUP_WIDTH 15     /* traceback.py's defaults */
#define MAX_GROUP_DEPTH 10
#define MAX_CHAIN 30

typedef struct {
  LsVm *vm;
  GString *out;
  int group_depth;             /* _ExceptionPrintContext.exception_group_depth */
  gboolean need_close;
} Ctx;

static LsException *
exc_of (LsValue v)
{
  return (LsException *) ls_value_as_object (v);
}

/* _ExceptionPrintContext.emit: every line of text, indented for the
 * current group depth, with a margin character inside a group. */
static void
emit (Ctx *ctx, const char *text, char margin)
{
  char **lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  /* text ends with "\n": the last split piece is empty */
  for (guint i = 0; i + 1 < n || (i + 1 == n && *lines[i]); i++)
    {
      for (int k = 0; k < 2 * ctx->group_depth; k++)
        g_string_append_c (ctx->out, ' ');
      if (ctx->group_depth)
        g_string_append_printf (ctx->out, "%c ", margin ? margin : '|');
      g_string_append (ctx->out, lines[i]);
      g_string_append_c (ctx->out, '\n');
    }
  g_strfreev (lines);
}

/* StackSummary.format: "  File …, line N, in f" and the source line. */
static char *
format_stack (LsVm *vm, LsValue traceback)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ls_list_len (traceback); i++)
    {
      LsTuple *t = (LsTuple *) ls_value_as_object (ls_list_get (traceback, i));
      const char *file = ls_str_get (t->items[0]);
      gint64 line = ls_value_as_int (t->items[1]);

      g_string_append_printf (out, "  File \"%s\", line %" G_GINT64_FORMAT ", in %s\n",
                              file, line, ls_str_get (t->items[2]));
      if (vm->source_lines && vm->filename && strcmp (vm->filename, file) == 0
          && line >= 1 && line <= (gint64) g_strv_length (vm->source_lines))
        {
          char *stripped = g_strstrip (g_strdup (vm->source_lines[line - 1]));
          if (*stripped)
            g_string_append_printf (out, "    %s\n", stripped);
          g_free (stripped);
        }
    }
  return g_string_free (out, FALSE);
}

static gboolean
has_stack (LsValue exc)
{
  LsException *e = exc_of (exc);
  return !ls_is_none (e->traceback) && ls_list_len (e->traceback) > 0;
}

static void format_exception (Ctx *ctx, LsValue exc, guint chain_depth);

/* One exception without its chain: its frames and last line, or, for a
 * group, its boxes. */
static void
format_single (Ctx *ctx, LsValue exc)
{
  LsException *e = exc_of (exc);
  char *last = ls_exc_format (exc), *line = g_strconcat (last, "\n", NULL);

  if (!e->message)
    {
      if (has_stack (exc))
        {
          char *stack = format_stack (ctx->vm, e->traceback);
          emit (ctx, "Traceback (most recent call last):\n", 0);
          emit (ctx, stack, 0);
          g_free (stack);
        }
      emit (ctx, line, 0);
    }
  else if (ctx->group_depth > MAX_GROUP_DEPTH)
    {
      char *msg = g_strdup_printf ("... (max_group_depth is %d)\n", MAX_GROUP_DEPTH);
      emit (ctx, msg, 0);
      g_free (msg);
    }
  else
    {
      gboolean toplevel = ctx->group_depth == 0;
      LsTuple *members = (LsTuple *) ls_value_as_object (e->exceptions);
      guint n = members->len <= MAX_GROUP_WIDTH ? members->len : MAX_GROUP_WIDTH + 1;

      if (toplevel)
        ctx->group_depth++;
      if (has_stack (exc))
        {
          char *stack = format_stack (ctx->vm, e->traceback);
          emit (ctx, "Exception Group Traceback (most recent call last):\n", toplevel ? '+' : 0);
          emit (ctx, stack, 0);
          g_free (stack);
        }
      emit (ctx, line, 0);
      ctx->need_close = FALSE;
      for (guint i = 0; i < n; i++)
        {
          gboolean last_exc = i == n - 1, truncated = i >= MAX_GROUP_WIDTH;
          char *title = truncated ? g_strdup ("...") : g_strdup_printf ("%u", i + 1);
          if (last_exc)
            ctx->need_close = TRUE;
          for (int k = 0; k < 2 * ctx->group_depth; k++)
            g_string_append_c (ctx->out, ' ');
          g_string_append_printf (ctx->out, "%s+---------------- %s ----------------\n",
                                  i == 0 ? "+-" : "  ", title);
          g_free (title);
          ctx->group_depth++;
          if (!truncated)
            format_exception (ctx, members->items[i], 0);
          else
            {
              char *more = g_strdup_printf ("and %u more exception%s\n", members->len - MAX_GROUP_WIDTH,
                                            members->len - MAX_GROUP_WIDTH > 1 ? "s" : "");
              emit (ctx, more, 0);
              g_free (more);
            }
          if (last_exc && ctx->need_close)
            {
              for (int k = 0; k < 2 * ctx->group_depth; k++)
                g_string_append_c (ctx->out, ' ');
              g_string_append (ctx->out, "+------------------------------------\n");
              ctx->need_close = FALSE;
            }
          ctx->group_depth--;
        }
      if (toplevel)
        ctx->group_depth = 0;
    }
  g_free (line);
  g_free (last);
}

/* The chain, oldest first, then the exception itself. */
static void
format_exception (Ctx *ctx, LsValue exc, guint chain_depth)
{
  LsException *e = exc_of (exc);

  if (chain_depth < MAX_CHAIN)
    {
      if (ls_exc_type (e->cause))
        {
          format_exception (ctx, e->cause, chain_depth + 1);
          emit (ctx, "\nThe above exception was the direct cause of the following exception:\n\n", 0);
        }
      else if (ls_exc_type (e->context) && !e->suppress_context)
        {
          format_exception (ctx, e->context, chain_depth + 1);
          emit (ctx, "\nDuring handling of the above exception, another exception occurred:\n\n", 0);
        }
    }
  format_single (ctx, exc);
}

char *
_ls_vm_format_traceback (LsVm *vm, LsValue exc)
{
  Ctx ctx = { vm, g_string_new (NULL), 0, FALSE };

  if (ls_exc_type (exc))
    format_exception (&ctx, exc, 0);
  else
    {
      char *r = ls_value_repr (exc);
      g_string_append_printf (ctx.out, "%s\n", r);
      g_free (r);
    }
  return g_string_free (ctx.out, FALSE);
}
