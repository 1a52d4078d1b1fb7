/* ls-compiler.c - syntax tree to bytecode.
 *
 * Two passes.  The symbol table pass walks the whole module and records,
 * for each scope (module, function, lambda, comprehension), the names it
 * binds, uses, and declares global or nonlocal; resolution then decides
 * for each name whether it is a fast local, a cell (a local some inner
 * function captures), a free variable (captured from an enclosing
 * function), or a global.  The code generation pass emits one code object
 * per scope.
 *
 * Exceptions use a runtime block stack (SETUP_FINALLY / POP_BLOCK): a
 * raise jumps to the innermost handler with the stack cut back to the
 * depth it had at SETUP time.  return, break and continue leave blocks at
 * compile time, the way CPython's compiler_unwind_fblock does: each block
 * crossed is popped, and a `finally` body or a `with` exit is emitted
 * inline on the way out.
 */
#include "ls-compiler.h"
#include "ls-ops.h"

#include <stdlib.h>
#include <string.h>

/* ---- symbol table ---------------------------------------------------------- */

enum {
  SYM_ASSIGNED = 1 << 0,
  SYM_PARAM = 1 << 1,
  SYM_GLOBAL = 1 << 2,
  SYM_NONLOCAL = 1 << 3,
  SYM_USED = 1 << 4,
  SYM_CELL = 1 << 5,     /* a local an inner scope captures */
  SYM_FREE = 1 << 6,     /* captured from an enclosing function */
};

typedef enum {
  SCOPE_MODULE,
  SCOPE_FUNCTION,
} ScopeKind;

typedef struct _Scope Scope;
struct _Scope {
  ScopeKind kind;
  LsNode *node;
  Scope *parent;
  GHashTable *syms;          /* name -> flags */
  GPtrArray *order;          /* names in first-seen order */
  GPtrArray *params;         /* parameter names in frame order */
  gboolean generator, coroutine;
  char *name, *qualname;
  /* after resolution */
  GPtrArray *varnames;       /* fast locals, parameters first */
  GPtrArray *cellnames;      /* own cells, then free variables */
  guint nfree;
};

typedef struct {
  const char *filename;
  LsAst *ast;
  GHashTable *scopes;        /* LsNode * -> Scope * */
  GPtrArray *all_scopes;
  GStringChunk *strings;     /* names the compiler makes up ("a" of "a.b") */
  LsSyntaxError *error;
} Compiler;

static void
scope_free (gpointer p)
{
  Scope *s = p;
  g_hash_table_destroy (s->syms);
  g_ptr_array_free (s->order, TRUE);
  g_ptr_array_free (s->params, TRUE);
  if (s->varnames)
    g_ptr_array_free (s->varnames, TRUE);
  if (s->cellnames)
    g_ptr_array_free (s->cellnames, TRUE);
  g_free (s->name);
  g_free (s->qualname);
  g_free (s);
}

static void
compile_error (Compiler *c, const LsNode *node, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
compile_error (Compiler *c, const LsNode *node, const char *fmt, ...)
{
  va_list ap;
  LsSyntaxError *err;
  int line = node ? node->line : 1;

  if (c->error)
    return;
  err = g_new0 (LsSyntaxError, 1);
  err->filename = g_strdup (c->filename);
  err->line = line;
  err->col = node ? node->col : 1;
  va_start (ap, fmt);
  err->message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (c->ast->lines && line >= 1 && (guint) line <= c->ast->lines->len)
    err->source_line = g_strdup (g_ptr_array_index (c->ast->lines, line - 1));
  else
    err->source_line = g_strdup ("");
  c->error = err;
}

static Scope *
scope_new (Compiler *c, ScopeKind kind, LsNode *node, Scope *parent, const char *name)
{
  Scope *s = g_new0 (Scope, 1);
  s->kind = kind;
  s->node = node;
  s->parent = parent;
  s->syms = g_hash_table_new (g_str_hash, g_str_equal);
  s->order = g_ptr_array_new ();
  s->params = g_ptr_array_new ();
  s->name = g_strdup (name);
  if (!parent || parent->kind == SCOPE_MODULE)
    s->qualname = g_strdup (name);
  else
    s->qualname = g_strdup_printf ("%s.<locals>.%s", parent->qualname, name);
  g_hash_table_insert (c->scopes, node, s);
  g_ptr_array_add (c->all_scopes, s);
  return s;
}

static guint
sym_flags (Scope *s, const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (s->syms, name));
}

static void
sym_add (Scope *s, const char *name, guint flags)
{
  gpointer old;
  if (!g_hash_table_lookup_extended (s->syms, name, NULL, &old))
    g_ptr_array_add (s->order, (gpointer) name);
  g_hash_table_insert (s->syms, (gpointer) name, GUINT_TO_POINTER (GPOINTER_TO_UINT (old) | flags));
}

static void st_stmts (Compiler *c, Scope *s, const LsNodeList *body);
static void st_expr (Compiler *c, Scope *s, LsNode *e);

static void
st_exprs (Compiler *c, Scope *s, const LsNodeList *l)
{
  for (guint i = 0; i < l->len; i++)
    st_expr (c, s, l->items[i]);
}

/* A target of an assignment, for, with, except, comprehension. */
static void
st_target (Compiler *c, Scope *s, LsNode *t)
{
  if (!t)
    return;
  switch (t->kind)
    {
    case LS_AST_NAME:
      sym_add (s, t->str, SYM_ASSIGNED);
      break;
    case LS_AST_TUPLE:
    case LS_AST_LIST:
      for (guint i = 0; i < t->items.len; i++)
        st_target (c, s, t->items.items[i]);
      break;
    case LS_AST_STARRED:
      st_target (c, s, t->a);
      break;
    default:
      st_expr (c, s, t);
      break;
    }
}

static void
st_arguments (Compiler *c, Scope *outer, Scope *inner, LsArguments *args)
{
  const LsNodeList *lists[3];

  if (!args)
    return;
  lists[0] = &args->posonly;
  lists[1] = &args->args;
  lists[2] = &args->kwonly;
  /* Defaults are evaluated where the function is defined. */
  for (int k = 0; k < 3; k++)
    for (guint i = 0; i < lists[k]->len; i++)
      if (lists[k]->items[i]->a)
        st_expr (c, outer, lists[k]->items[i]->a);
  for (int k = 0; k < 2; k++)
    for (guint i = 0; i < lists[k]->len; i++)
      {
        g_ptr_array_add (inner->params, (gpointer) lists[k]->items[i]->str);
        sym_add (inner, lists[k]->items[i]->str, SYM_PARAM | SYM_ASSIGNED);
      }
  for (guint i = 0; i < args->kwonly.len; i++)
    {
      g_ptr_array_add (inner->params, (gpointer) args->kwonly.items[i]->str);
      sym_add (inner, args->kwonly.items[i]->str, SYM_PARAM | SYM_ASSIGNED);
    }
  if (args->vararg)
    {
      g_ptr_array_add (inner->params, (gpointer) args->vararg->str);
      sym_add (inner, args->vararg->str, SYM_PARAM | SYM_ASSIGNED);
    }
  if (args->kwarg)
    {
      g_ptr_array_add (inner->params, (gpointer) args->kwarg->str);
      sym_add (inner, args->kwarg->str, SYM_PARAM | SYM_ASSIGNED);
    }
}

static const char *
comprehension_name (LsNodeKind kind)
{
  switch (kind)
    {
    case LS_AST_LISTCOMP: return "<listcomp>";
    case LS_AST_SETCOMP: return "<setcomp>";
    case LS_AST_DICTCOMP: return "<dictcomp>";
    default: return "<genexpr>";
    }
}

static void
st_comprehension (Compiler *c, Scope *s, LsNode *e)
{
  Scope *inner;
  LsNode *first = e->comps.items[0];

  /* The first iterable is evaluated in the enclosing scope. */
  st_expr (c, s, first->b);
  inner = scope_new (c, SCOPE_FUNCTION, e, s, comprehension_name (e->kind));
  g_ptr_array_add (inner->params, (gpointer) ".0");
  sym_add (inner, ".0", SYM_PARAM | SYM_ASSIGNED);
  if (e->kind == LS_AST_GENEXP)
    inner->generator = TRUE;
  for (guint i = 0; i < e->comps.len; i++)
    {
      LsNode *comp = e->comps.items[i];
      if (i > 0)
        st_expr (c, inner, comp->b);
      st_target (c, inner, comp->a);
      st_exprs (c, inner, &comp->items);
      if (comp->flag)
        inner->coroutine = TRUE;
    }
  st_expr (c, inner, e->a);
  if (e->b)
    st_expr (c, inner, e->b);
}

static void
st_expr (Compiler *c, Scope *s, LsNode *e)
{
  if (!e)
    return;
  switch (e->kind)
    {
    case LS_AST_NAME:
      sym_add (s, e->str, SYM_USED);
      break;
    case LS_AST_LAMBDA:
      {
        Scope *inner;
        inner = scope_new (c, SCOPE_FUNCTION, e, s, "<lambda>");
        st_arguments (c, s, inner, e->args);
        st_expr (c, inner, e->a);
      }
      break;
    case LS_AST_LISTCOMP:
    case LS_AST_SETCOMP:
    case LS_AST_GENEXP:
    case LS_AST_DICTCOMP:
      st_comprehension (c, s, e);
      break;
    case LS_AST_YIELD:
    case LS_AST_YIELD_FROM:
      if (s->kind == SCOPE_MODULE)
        compile_error (c, e, "'yield' outside function");
      s->generator = TRUE;
      st_expr (c, s, e->a);
      break;
    case LS_AST_AWAIT:
      if (s->kind == SCOPE_MODULE)
        compile_error (c, e, "'await' outside function");
      st_expr (c, s, e->a);
      break;
    case LS_AST_NAMEDEXPR:
      st_target (c, s, e->a);
      st_expr (c, s, e->b);
      break;
    default:
      st_expr (c, s, e->a);
      st_expr (c, s, e->b);
      st_expr (c, s, e->c);
      st_exprs (c, s, &e->items);
      st_exprs (c, s, &e->items2);
      for (guint i = 0; i < e->kwargs.len; i++)
        st_expr (c, s, e->kwargs.items[i]->a);
      break;
    }
}

/* The modules a scenario may import: everything else (files, network,
 * processes, the environment) is out of its reach. */
static gboolean
module_supported (const char *name)
{
  static const char *const modules[] = {
    "asyncio", "time", "functools", "random", "concurrent", "concurrent.futures",
    "greenlet", "gevent", "gevent.monkey", "gevent.event", "gevent.queue", "gevent.pool",
    "gevent.lock", "gevent.exceptions", "gevent.hub", "gevent.timeout", "gevent.greenlet",
  };
  for (guint i = 0; i < G_N_ELEMENTS (modules); i++)
    if (strcmp (name, modules[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
st_stmt (Compiler *c, Scope *s, LsNode *st)
{
  switch (st->kind)
    {
    case LS_AST_FUNCTIONDEF:
      {
        Scope *inner;
        st_exprs (c, s, &st->decorators);
        sym_add (s, st->str, SYM_ASSIGNED);
        inner = scope_new (c, SCOPE_FUNCTION, st, s, st->str);
        inner->coroutine = st->flag;
        st_arguments (c, s, inner, st->args);
        st_stmts (c, inner, &st->body);
      }
      break;
    case LS_AST_CLASSDEF:
      st_exprs (c, s, &st->decorators);
      st_exprs (c, s, &st->items);
      sym_add (s, st->str, SYM_ASSIGNED);
      break;
    case LS_AST_ASSIGN:
      st_expr (c, s, st->a);
      for (guint i = 0; i < st->items.len; i++)
        st_target (c, s, st->items.items[i]);
      break;
    case LS_AST_AUGASSIGN:
      if (st->a->kind == LS_AST_NAME)
        sym_add (s, st->a->str, SYM_USED | SYM_ASSIGNED);
      else
        st_expr (c, s, st->a);
      st_expr (c, s, st->b);
      break;
    case LS_AST_ANNASSIGN:
      if (st->c)
        {
          st_expr (c, s, st->c);
          st_target (c, s, st->a);
        }
      break;
    case LS_AST_DEL:
      for (guint i = 0; i < st->items.len; i++)
        st_target (c, s, st->items.items[i]);
      break;
    case LS_AST_GLOBAL:
    case LS_AST_NONLOCAL:
      for (guint i = 0; i < st->names.len; i++)
        {
          const char *name = st->names.items[i]->str;
          guint old = sym_flags (s, name);
          if (st->kind == LS_AST_NONLOCAL && s->kind == SCOPE_MODULE)
            compile_error (c, st, "nonlocal declaration not allowed at module level");
          else if (old & (SYM_ASSIGNED | SYM_USED))
            compile_error (c, st, "name '%s' is %s prior to %s declaration", name,
                           (old & SYM_ASSIGNED) ? "assigned to" : "used",
                           st->kind == LS_AST_GLOBAL ? "global" : "nonlocal");
          sym_add (s, name, st->kind == LS_AST_GLOBAL ? SYM_GLOBAL : SYM_NONLOCAL);
        }
      break;
    case LS_AST_FOR:
      st_target (c, s, st->a);
      st_expr (c, s, st->b);
      st_stmts (c, s, &st->body);
      st_stmts (c, s, &st->orelse);
      break;
    case LS_AST_WITH:
      for (guint i = 0; i < st->items.len; i++)
        {
          st_expr (c, s, st->items.items[i]->a);
          st_target (c, s, st->items.items[i]->b);
        }
      st_stmts (c, s, &st->body);
      break;
    case LS_AST_TRY:
      st_stmts (c, s, &st->body);
      for (guint i = 0; i < st->handlers.len; i++)
        {
          LsNode *h = st->handlers.items[i];
          st_expr (c, s, h->a);
          if (h->str)
            sym_add (s, h->str, SYM_ASSIGNED);
          st_stmts (c, s, &h->body);
        }
      st_stmts (c, s, &st->orelse);
      st_stmts (c, s, &st->finalbody);
      break;
    case LS_AST_IMPORT:
    case LS_AST_IMPORTFROM:
      if (st->kind == LS_AST_IMPORTFROM && !module_supported (st->str))
        {
          compile_error (c, st, "import of module '%s' is not supported", st->str);
          break;
        }
      for (guint i = 0; i < st->aliases.len; i++)
        {
          LsNode *al = st->aliases.items[i];
          if (st->kind == LS_AST_IMPORT && !module_supported (al->str))
            {
              compile_error (c, st, "import of module '%s' is not supported", al->str);
              break;
            }
          const char *bound = al->str2 ? al->str2 : al->str;
          if (!al->str2 && st->kind == LS_AST_IMPORT && strchr (al->str, '.'))
            {
              /* import a.b binds a */
              char *first = g_strndup (al->str, strchr (al->str, '.') - al->str);
              bound = g_string_chunk_insert_const (c->strings, first);
              g_free (first);
            }
          if (bound)
            sym_add (s, bound, SYM_ASSIGNED);
        }
      break;
    case LS_AST_RETURN:
      if (s->kind == SCOPE_MODULE)
        compile_error (c, st, "'return' outside function");
      st_expr (c, s, st->a);
      break;
    default:
      st_expr (c, s, st->a);
      st_expr (c, s, st->b);
      st_expr (c, s, st->c);
      st_exprs (c, s, &st->items);
      st_stmts (c, s, &st->body);
      st_stmts (c, s, &st->orelse);
      st_stmts (c, s, &st->finalbody);
      break;
    }
}

static void
st_stmts (Compiler *c, Scope *s, const LsNodeList *body)
{
  for (guint i = 0; i < body->len && !c->error; i++)
    st_stmt (c, s, body->items[i]);
}

/* ---- resolution ---------------------------------------------------------------- */

/* Does scope s bind name as a function local (something a nested function
 * can capture)? */
static gboolean
binds_local (Scope *s, const char *name)
{
  guint f = sym_flags (s, name);
  return s->kind == SCOPE_FUNCTION && (f & (SYM_ASSIGNED | SYM_PARAM | SYM_CELL))
         && !(f & (SYM_GLOBAL | SYM_NONLOCAL));
}

/* Marks name free in s and in every function scope between s and the one
 * that binds it, which gets a cell.  FALSE when no enclosing function binds
 * it (it is then a global). */
static gboolean
capture (Scope *s, const char *name)
{
  Scope *p;

  for (p = s->parent; p; p = p->parent)
    {
      if (p->kind != SCOPE_FUNCTION)
        return FALSE;
      if (binds_local (p, name))
        break;
      if (sym_flags (p, name) & SYM_GLOBAL)
        return FALSE;
    }
  if (!p)
    return FALSE;
  sym_add (p, name, SYM_CELL);
  for (Scope *q = s; q != p; q = q->parent)
    sym_add (q, name, SYM_FREE);
  return TRUE;
}

static void
resolve_scope (Compiler *c, Scope *s)
{
  if (s->kind != SCOPE_FUNCTION)
    return;
  for (guint i = 0; i < s->order->len; i++)
    {
      const char *name = g_ptr_array_index (s->order, i);
      guint f = sym_flags (s, name);
      if (f & SYM_GLOBAL)
        continue;
      if (f & SYM_NONLOCAL)
        {
          if (!capture (s, name))
            compile_error (c, s->node, "no binding for nonlocal '%s' found", name);
          continue;
        }
      if (!(f & (SYM_ASSIGNED | SYM_PARAM)) && (f & SYM_USED))
        capture (s, name);
    }
}

/* Lays out the frame: fast locals (parameters first), then cells (own
 * captured locals, then free variables). */
static void
layout_scope (Scope *s)
{
  GPtrArray *own_cells = g_ptr_array_new (), *frees = g_ptr_array_new ();

  s->varnames = g_ptr_array_new ();
  s->cellnames = g_ptr_array_new ();
  for (guint i = 0; i < s->params->len; i++)
    g_ptr_array_add (s->varnames, g_ptr_array_index (s->params, i));
  if (s->kind != SCOPE_FUNCTION)
    goto out;
  for (guint i = 0; i < s->order->len; i++)
    {
      const char *name = g_ptr_array_index (s->order, i);
      guint f = sym_flags (s, name);
      if (f & SYM_GLOBAL)
        continue;
      if (f & (SYM_FREE | SYM_NONLOCAL))
        {
          if ((f & SYM_FREE) && !(f & SYM_CELL))
            g_ptr_array_add (frees, (gpointer) name);
          else if (f & SYM_CELL)
            g_ptr_array_add (own_cells, (gpointer) name);
          continue;
        }
      if (f & SYM_CELL)
        g_ptr_array_add (own_cells, (gpointer) name);
      else if ((f & SYM_ASSIGNED) && !(f & SYM_PARAM))
        g_ptr_array_add (s->varnames, (gpointer) name);
    }
  for (guint i = 0; i < own_cells->len; i++)
    g_ptr_array_add (s->cellnames, g_ptr_array_index (own_cells, i));
  for (guint i = 0; i < frees->len; i++)
    g_ptr_array_add (s->cellnames, g_ptr_array_index (frees, i));
  s->nfree = frees->len;
out:
  g_ptr_array_free (own_cells, TRUE);
  g_ptr_array_free (frees, TRUE);
}

/* ---- code generation --------------------------------------------------------------- */

typedef enum {
  FB_LOOP,              /* while / for: the iterator is on the stack for FOR */
  FB_FOR_LOOP,
  FB_TRY_EXCEPT,        /* the body of a try with handlers: one block */
  FB_FINALLY_TRY,       /* the body of a try/finally: one block */
  FB_HANDLER,           /* inside an except handler / exceptional finally: [prev exc] + block */
  FB_WITH,              /* inside a with body: [exit] + block */
  FB_ASYNC_WITH,
} FBlockKind;

typedef struct {
  FBlockKind kind;
  guint loop_start;          /* FB_LOOP / FB_FOR_LOOP: continue target */
  GArray *breaks;            /* FB_LOOP / FB_FOR_LOOP: jumps to patch to the end */
  LsNode *finally;           /* FB_FINALLY_TRY: the statements to run on the way out */
} FBlock;

typedef struct {
  Compiler *c;
  Scope *scope;
  GArray *insns;             /* guint32 */
  GArray *lines;             /* int */
  GArray *consts;            /* LsValue, owned */
  GPtrArray *names;          /* char * (owned copies) */
  GHashTable *name_index;    /* name -> index + 1 */
  GArray *fblocks;           /* FBlock */
  int line;
} Unit;

static void gen_expr (Unit *u, LsNode *e);
static void gen_stmts (Unit *u, const LsNodeList *body);
static LsCode *gen_scope (Compiler *c, Scope *s, LsNode *node);

static guint
emit (Unit *u, LsOpcode op, guint arg)
{
  guint32 insn = LS_INSN (op, arg);
  g_array_append_val (u->insns, insn);
  g_array_append_val (u->lines, u->line);
  return u->insns->len - 1;
}

static guint
here (Unit *u)
{
  return u->insns->len;
}

static void
patch (Unit *u, guint at, guint target)
{
  guint32 *insn = &g_array_index (u->insns, guint32, at);
  *insn = LS_INSN (LS_INSN_OP (*insn), target);
}

static guint
add_const (Unit *u, LsValue v)
{
  g_array_append_val (u->consts, v);
  return u->consts->len - 1;
}

static guint
add_name (Unit *u, const char *name)
{
  guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (u->name_index, name));
  if (idx)
    return idx - 1;
  g_ptr_array_add (u->names, g_strdup (name));
  g_hash_table_insert (u->name_index, g_ptr_array_index (u->names, u->names->len - 1),
                       GUINT_TO_POINTER (u->names->len));
  return u->names->len - 1;
}

static void
emit_const (Unit *u, LsValue v)
{
  emit (u, LS_OPC_LOAD_CONST, add_const (u, v));
}

static int
index_of (GPtrArray *a, const char *name)
{
  for (guint i = 0; i < a->len; i++)
    if (strcmp (g_ptr_array_index (a, i), name) == 0)
      return i;
  return -1;
}

typedef enum { NAME_LOAD, NAME_STORE, NAME_DELETE } NameCtx;

static void
gen_name (Unit *u, const char *name, NameCtx ctx)
{
  Scope *s = u->scope;
  guint f = sym_flags (s, name);
  int slot;

  if (s->kind == SCOPE_FUNCTION && !(f & SYM_GLOBAL))
    {
      if ((slot = index_of (s->cellnames, name)) >= 0
          && ((f & (SYM_CELL | SYM_FREE | SYM_NONLOCAL))))
        {
          if (ctx == NAME_DELETE)
            compile_error (u->c, NULL, "deleting a captured variable is not supported");
          emit (u, ctx == NAME_LOAD ? LS_OPC_LOAD_DEREF : LS_OPC_STORE_DEREF, slot);
          return;
        }
      if ((slot = index_of (s->varnames, name)) >= 0)
        {
          emit (u, ctx == NAME_LOAD ? LS_OPC_LOAD_FAST
                   : ctx == NAME_STORE ? LS_OPC_STORE_FAST : LS_OPC_DELETE_FAST, slot);
          return;
        }
    }
  emit (u, ctx == NAME_LOAD ? LS_OPC_LOAD_GLOBAL
           : ctx == NAME_STORE ? LS_OPC_STORE_GLOBAL : LS_OPC_DELETE_GLOBAL,
        add_name (u, name));
}

static void
set_line (Unit *u, const LsNode *n)
{
  if (n && n->line > 0)
    u->line = n->line;
}

static void
gen_exprs (Unit *u, const LsNodeList *l)
{
  for (guint i = 0; i < l->len; i++)
    gen_expr (u, l->items[i]);
}

static gboolean
has_starred (const LsNodeList *l)
{
  for (guint i = 0; i < l->len; i++)
    if (l->items[i]->kind == LS_AST_STARRED)
      return TRUE;
  return FALSE;
}

/* Builds a list from items that may contain *starred ones. */
static void
gen_starred_list (Unit *u, const LsNodeList *l)
{
  emit (u, LS_OPC_BUILD_LIST, 0);
  for (guint i = 0; i < l->len; i++)
    {
      LsNode *it = l->items[i];
      if (it->kind == LS_AST_STARRED)
        {
          gen_expr (u, it->a);
          emit (u, LS_OPC_LIST_EXTEND, 1);
        }
      else
        {
          gen_expr (u, it);
          emit (u, LS_OPC_LIST_APPEND, 1);
        }
    }
}

static void
gen_store (Unit *u, LsNode *t)
{
  set_line (u, t);
  switch (t->kind)
    {
    case LS_AST_NAME:
      gen_name (u, t->str, NAME_STORE);
      break;
    case LS_AST_ATTRIBUTE:
      gen_expr (u, t->a);
      emit (u, LS_OPC_STORE_ATTR, add_name (u, t->str));
      break;
    case LS_AST_SUBSCRIPT:
      gen_expr (u, t->a);
      gen_expr (u, t->b);
      emit (u, LS_OPC_STORE_SUBSCR, 0);
      break;
    case LS_AST_TUPLE:
    case LS_AST_LIST:
      {
        int star = -1;
        for (guint i = 0; i < t->items.len; i++)
          if (t->items.items[i]->kind == LS_AST_STARRED)
            {
              if (star >= 0)
                compile_error (u->c, t->items.items[i], "multiple starred expressions in assignment");
              star = i;
            }
        if (star >= 0)
          emit (u, LS_OPC_UNPACK_EX, star | ((t->items.len - star - 1) << 12));
        else
          emit (u, LS_OPC_UNPACK_SEQUENCE, t->items.len);
        for (guint i = 0; i < t->items.len; i++)
          {
            LsNode *it = t->items.items[i];
            gen_store (u, it->kind == LS_AST_STARRED ? it->a : it);
          }
      }
      break;
    default:
      compile_error (u->c, t, "cannot assign to %s", ls_node_kind_name (t->kind));
      break;
    }
}

static void
gen_call (Unit *u, LsNode *e)
{
  gboolean starred = has_starred (&e->items);
  gboolean dstar = FALSE;

  for (guint i = 0; i < e->kwargs.len; i++)
    if (!e->kwargs.items[i]->str)
      dstar = TRUE;

  /* obj.name(args): the method is called without a bound method object
   * in between (see LOAD_METHOD in ls-vm.c). */
  if (e->a->kind == LS_AST_ATTRIBUTE && !starred && !dstar && !e->kwargs.len)
    {
      gen_expr (u, e->a->a);
      set_line (u, e->a);
      emit (u, LS_OPC_LOAD_METHOD, add_name (u, e->a->str));
      gen_exprs (u, &e->items);
      set_line (u, e);
      emit (u, LS_OPC_CALL_METHOD, e->items.len);
      return;
    }
  gen_expr (u, e->a);
  if (starred || dstar)
    {
      gen_starred_list (u, &e->items);
      emit (u, LS_OPC_LIST_TO_TUPLE, 0);
      if (e->kwargs.len)
        {
          emit (u, LS_OPC_BUILD_MAP, 0);
          for (guint i = 0; i < e->kwargs.len; i++)
            {
              LsNode *kw = e->kwargs.items[i];
              if (kw->str)
                {
                  emit_const (u, ls_str_new (kw->str));
                  gen_expr (u, kw->a);
                  emit (u, LS_OPC_BUILD_MAP, 1);
                  emit (u, LS_OPC_DICT_UPDATE, 1);
                }
              else
                {
                  gen_expr (u, kw->a);
                  emit (u, LS_OPC_DICT_UPDATE, 1);
                }
            }
        }
      set_line (u, e);
      emit (u, LS_OPC_CALL_EX, e->kwargs.len ? 1 : 0);
      return;
    }
  gen_exprs (u, &e->items);
  if (e->kwargs.len)
    {
      LsValue *names = g_new (LsValue, e->kwargs.len);
      for (guint i = 0; i < e->kwargs.len; i++)
        {
          gen_expr (u, e->kwargs.items[i]->a);
          names[i] = ls_str_new (e->kwargs.items[i]->str);
        }
      emit_const (u, ls_tuple_new (e->kwargs.len, names));
      g_free (names);
      set_line (u, e);
      emit (u, LS_OPC_CALL_KW, e->items.len + e->kwargs.len);
      return;
    }
  set_line (u, e);
  emit (u, LS_OPC_CALL, e->items.len);
}

static void
gen_compare (Unit *u, LsNode *e)
{
  guint n = e->items.len;
  GArray *cleanup = g_array_new (FALSE, FALSE, sizeof (guint));
  guint end;

  gen_expr (u, e->a);
  for (guint i = 0; i < n; i++)
    {
      gen_expr (u, e->items.items[i]);
      if (i + 1 < n)
        {
          guint j;
          emit (u, LS_OPC_DUP_TOP, 0);
          emit (u, LS_OPC_ROT_THREE, 0);
          emit (u, LS_OPC_COMPARE_OP, e->ops[i]);
          j = emit (u, LS_OPC_JUMP_IF_FALSE_OR_POP, 0);
          g_array_append_val (cleanup, j);
        }
      else
        emit (u, LS_OPC_COMPARE_OP, e->ops[i]);
    }
  if (cleanup->len)
    {
      guint skip = emit (u, LS_OPC_JUMP, 0);
      for (guint i = 0; i < cleanup->len; i++)
        patch (u, g_array_index (cleanup, guint, i), here (u));
      emit (u, LS_OPC_ROT_TWO, 0);
      emit (u, LS_OPC_POP_TOP, 0);
      end = here (u);
      patch (u, skip, end);
    }
  g_array_free (cleanup, TRUE);
}

/* Pushes a function object for a nested scope. */
static void
gen_make_function (Unit *u, LsNode *node, LsArguments *args)
{
  Scope *inner = g_hash_table_lookup (u->c->scopes, node);
  LsCode *code;
  guint flags = 0;

  if (args)
    {
      guint ndef = 0, nkwdef = 0;
      for (guint i = 0; i < args->posonly.len; i++)
        if (args->posonly.items[i]->a)
          ndef++;
      for (guint i = 0; i < args->args.len; i++)
        if (args->args.items[i]->a)
          ndef++;
      if (ndef)
        {
          for (guint i = 0; i < args->posonly.len; i++)
            if (args->posonly.items[i]->a)
              gen_expr (u, args->posonly.items[i]->a);
          for (guint i = 0; i < args->args.len; i++)
            if (args->args.items[i]->a)
              gen_expr (u, args->args.items[i]->a);
          emit (u, LS_OPC_BUILD_TUPLE, ndef);
          flags |= 1;
        }
      for (guint i = 0; i < args->kwonly.len; i++)
        if (args->kwonly.items[i]->a)
          {
            emit_const (u, ls_str_new (args->kwonly.items[i]->str));
            gen_expr (u, args->kwonly.items[i]->a);
            nkwdef++;
          }
      if (nkwdef)
        {
          emit (u, LS_OPC_BUILD_MAP, nkwdef);
          flags |= 2;
        }
    }
  code = gen_scope (u->c, inner, node);
  if (!code)
    return;
  if (inner->nfree)
    {
      for (guint i = inner->cellnames->len - inner->nfree; i < inner->cellnames->len; i++)
        {
          const char *name = g_ptr_array_index (inner->cellnames, i);
          int slot = index_of (u->scope->cellnames, name);
          if (slot < 0)
            compile_error (u->c, node, "internal: free variable '%s' has no cell", name);
          emit (u, LS_OPC_LOAD_CLOSURE, slot < 0 ? 0 : slot);
        }
      emit (u, LS_OPC_BUILD_TUPLE, inner->nfree);
      flags |= 8;
    }
  emit_const (u, ls_object (code));
  emit (u, LS_OPC_MAKE_FUNCTION, flags);
}

static void
gen_comprehension (Unit *u, LsNode *e)
{
  for (guint i = 0; i < e->comps.len; i++)
    if (e->comps.items[i]->flag)
      {
        compile_error (u->c, e, "asynchronous comprehensions are not supported");
        return;
      }
  gen_make_function (u, e, NULL);
  gen_expr (u, e->comps.items[0]->b);
  emit (u, LS_OPC_GET_ITER, 0);
  emit (u, LS_OPC_CALL, 1);
}

static void
gen_fstring (Unit *u, LsNode *e)
{
  guint n = 0;

  for (guint i = 0; i < e->items.len; i++)
    {
      LsNode *part = e->items.items[i];
      if (part->kind == LS_AST_CONST_STR)
        {
          emit_const (u, ls_str_new_len (part->str, part->len));
          n++;
          continue;
        }
      /* FORMATTED: f"{x=}" prints the text, then repr unless a spec or
       * conversion says otherwise. */
      {
        int conv = part->op;
        if (part->str)
          {
            emit_const (u, ls_str_new (part->str));
            n++;
            if (!conv && !part->b)
              conv = 'r';
          }
        gen_expr (u, part->a);
        if (part->b)
          gen_fstring (u, part->b);
        emit (u, LS_OPC_FORMAT_VALUE, (conv & 0xff) | (part->b ? 1 << 8 : 0));
        n++;
      }
    }
  if (n != 1 || e->items.len == 0)
    emit (u, LS_OPC_BUILD_STRING, n);
}

static void
gen_expr (Unit *u, LsNode *e)
{
  int saved_line = u->line;

  if (!e || u->c->error)
    return;
  set_line (u, e);
  switch (e->kind)
    {
    case LS_AST_NAME:
      gen_name (u, e->str, NAME_LOAD);
      break;
    case LS_AST_CONST_INT:
      emit_const (u, ls_int_from_string (e->str, 0));
      break;
    case LS_AST_CONST_FLOAT:
      emit_const (u, ls_float (e->num));
      break;
    case LS_AST_CONST_STR:
      emit_const (u, ls_str_new_len (e->str, e->len));
      break;
    case LS_AST_CONST_TRUE:
      emit_const (u, ls_bool (TRUE));
      break;
    case LS_AST_CONST_FALSE:
      emit_const (u, ls_bool (FALSE));
      break;
    case LS_AST_CONST_NONE:
      emit_const (u, ls_none ());
      break;
    case LS_AST_FSTRING:
      gen_fstring (u, e);
      break;
    case LS_AST_TUPLE:
      if (has_starred (&e->items))
        {
          gen_starred_list (u, &e->items);
          emit (u, LS_OPC_LIST_TO_TUPLE, 0);
        }
      else
        {
          gen_exprs (u, &e->items);
          emit (u, LS_OPC_BUILD_TUPLE, e->items.len);
        }
      break;
    case LS_AST_LIST:
      if (has_starred (&e->items))
        gen_starred_list (u, &e->items);
      else
        {
          gen_exprs (u, &e->items);
          emit (u, LS_OPC_BUILD_LIST, e->items.len);
        }
      break;
    case LS_AST_SET:
      gen_exprs (u, &e->items);
      emit (u, LS_OPC_BUILD_SET, e->items.len);
      break;
    case LS_AST_DICT:
      emit (u, LS_OPC_BUILD_MAP, 0);
      for (guint i = 0; i < e->items.len; i++)
        {
          if (e->items.items[i])
            {
              gen_expr (u, e->items.items[i]);
              gen_expr (u, e->items2.items[i]);
              emit (u, LS_OPC_MAP_ADD, 1);
            }
          else
            {
              gen_expr (u, e->items2.items[i]);
              emit (u, LS_OPC_DICT_UPDATE, 1);
            }
        }
      break;
    case LS_AST_UNARY:
      gen_expr (u, e->a);
      emit (u, LS_OPC_UNARY_OP, e->op);
      break;
    case LS_AST_BINARY:
      gen_expr (u, e->a);
      gen_expr (u, e->b);
      set_line (u, e);
      emit (u, LS_OPC_BINARY_OP, e->op);
      break;
    case LS_AST_BOOLOP:
      {
        GArray *jumps = g_array_new (FALSE, FALSE, sizeof (guint));
        for (guint i = 0; i < e->items.len; i++)
          {
            gen_expr (u, e->items.items[i]);
            if (i + 1 < e->items.len)
              {
                guint j = emit (u, e->op == LS_OP_AND ? LS_OPC_JUMP_IF_FALSE_OR_POP
                                                      : LS_OPC_JUMP_IF_TRUE_OR_POP, 0);
                g_array_append_val (jumps, j);
              }
          }
        for (guint i = 0; i < jumps->len; i++)
          patch (u, g_array_index (jumps, guint, i), here (u));
        g_array_free (jumps, TRUE);
      }
      break;
    case LS_AST_COMPARE:
      gen_compare (u, e);
      break;
    case LS_AST_IFEXP:
      {
        guint else_jump, end_jump;
        gen_expr (u, e->a);
        else_jump = emit (u, LS_OPC_POP_JUMP_IF_FALSE, 0);
        gen_expr (u, e->b);
        end_jump = emit (u, LS_OPC_JUMP, 0);
        patch (u, else_jump, here (u));
        gen_expr (u, e->c);
        patch (u, end_jump, here (u));
      }
      break;
    case LS_AST_LAMBDA:
      gen_make_function (u, e, e->args);
      break;
    case LS_AST_CALL:
      gen_call (u, e);
      break;
    case LS_AST_ATTRIBUTE:
      gen_expr (u, e->a);
      set_line (u, e);
      emit (u, LS_OPC_LOAD_ATTR, add_name (u, e->str));
      break;
    case LS_AST_SUBSCRIPT:
      gen_expr (u, e->a);
      gen_expr (u, e->b);
      set_line (u, e);
      emit (u, LS_OPC_BINARY_SUBSCR, 0);
      break;
    case LS_AST_SLICE:
      if (e->a) gen_expr (u, e->a); else emit_const (u, ls_none ());
      if (e->b) gen_expr (u, e->b); else emit_const (u, ls_none ());
      if (e->c) gen_expr (u, e->c); else emit_const (u, ls_none ());
      emit (u, LS_OPC_BUILD_SLICE, 0);
      break;
    case LS_AST_AWAIT:
      if (!u->scope->coroutine)
        compile_error (u->c, e, "'await' outside async function");
      gen_expr (u, e->a);
      set_line (u, e);
      emit (u, LS_OPC_GET_AWAITABLE, 0);
      emit_const (u, ls_none ());
      emit (u, LS_OPC_YIELD_FROM, 0);
      break;
    case LS_AST_YIELD:
      if (u->scope->coroutine)
        compile_error (u->c, e, "asynchronous generators are not supported");
      if (e->a)
        gen_expr (u, e->a);
      else
        emit_const (u, ls_none ());
      emit (u, LS_OPC_YIELD_VALUE, 0);
      break;
    case LS_AST_YIELD_FROM:
      if (u->scope->coroutine)
        compile_error (u->c, e, "'yield from' inside async function");
      gen_expr (u, e->a);
      emit (u, LS_OPC_GET_YIELD_FROM_ITER, 0);
      emit_const (u, ls_none ());
      emit (u, LS_OPC_YIELD_FROM, 0);
      break;
    case LS_AST_LISTCOMP:
    case LS_AST_SETCOMP:
    case LS_AST_DICTCOMP:
    case LS_AST_GENEXP:
      gen_comprehension (u, e);
      break;
    case LS_AST_NAMEDEXPR:
      gen_expr (u, e->b);
      emit (u, LS_OPC_DUP_TOP, 0);
      gen_store (u, e->a);
      break;
    case LS_AST_STARRED:
      compile_error (u->c, e, "can't use starred expression here");
      break;
    default:
      compile_error (u->c, e, "%s is not supported", ls_node_kind_name (e->kind));
      break;
    }
  u->line = saved_line;
}

/* ---- blocks and unwinding ---------------------------------------------------------- */

static FBlock *
push_fblock (Unit *u, FBlockKind kind)
{
  FBlock fb = { kind, here (u), NULL, NULL };
  if (kind == FB_LOOP || kind == FB_FOR_LOOP)
    fb.breaks = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (u->fblocks, fb);
  return &g_array_index (u->fblocks, FBlock, u->fblocks->len - 1);
}

static void
pop_fblock (Unit *u)
{
  FBlock *fb = &g_array_index (u->fblocks, FBlock, u->fblocks->len - 1);
  if (fb->breaks)
    g_array_free (fb->breaks, TRUE);
  g_array_set_size (u->fblocks, u->fblocks->len - 1);
}

static void gen_with_exit_normal (Unit *u, gboolean is_async);

/* Leaves block fb on the way out of a return (preserve_tos: the return
 * value is on top of the stack), break or continue. */
static void
unwind_fblock (Unit *u, FBlock *fb, gboolean preserve_tos)
{
  switch (fb->kind)
    {
    case FB_LOOP:
      break;
    case FB_FOR_LOOP:
      /* Pop the iterator. */
      if (preserve_tos)
        emit (u, LS_OPC_ROT_TWO, 0);
      emit (u, LS_OPC_POP_TOP, 0);
      break;
    case FB_TRY_EXCEPT:
      emit (u, LS_OPC_POP_BLOCK, 0);
      break;
    case FB_FINALLY_TRY:
      {
        /* Run the finally body with its own block popped, so that a
         * return inside it is not unwound through it again. */
        FBlock saved = *fb;
        LsNode *fin = fb->finally;
        emit (u, LS_OPC_POP_BLOCK, 0);
        g_array_set_size (u->fblocks, u->fblocks->len - 1);
        gen_stmts (u, &fin->finalbody);
        g_array_append_val (u->fblocks, saved);
      }
      break;
    case FB_HANDLER:
      /* [prev exc] (+ value): drop exc, restore prev. */
      emit (u, LS_OPC_POP_BLOCK, 0);
      if (preserve_tos)
        emit (u, LS_OPC_ROT_THREE, 0);
      emit (u, LS_OPC_POP_TOP, 0);
      emit (u, LS_OPC_POP_EXCEPT, 0);
      break;
    case FB_WITH:
    case FB_ASYNC_WITH:
      emit (u, LS_OPC_POP_BLOCK, 0);
      if (preserve_tos)
        emit (u, LS_OPC_ROT_TWO, 0);
      gen_with_exit_normal (u, fb->kind == FB_ASYNC_WITH);
      break;
    }
}

/* Unwinds every block down to (not including) the innermost loop; returns
 * that loop's index, or -1. */
static int
unwind_to_loop (Unit *u, LsNode *st)
{
  for (int i = u->fblocks->len - 1; i >= 0; i--)
    {
      FBlock *fb = &g_array_index (u->fblocks, FBlock, i);
      if (fb->kind == FB_LOOP || fb->kind == FB_FOR_LOOP)
        return i;
      unwind_fblock (u, fb, FALSE);
    }
  compile_error (u->c, st, "'%s' outside loop", st->kind == LS_AST_BREAK ? "break" : "continue");
  return -1;
}

/* ---- statements --------------------------------------------------------------------- */

static void
gen_with_exit_normal (Unit *u, gboolean is_async)
{
  /* [exit] -> exit(None, None, None) -> [] */
  emit (u, LS_OPC_WITH_EXIT, 0);
  if (is_async)
    {
      emit (u, LS_OPC_GET_AWAITABLE, 0);
      emit_const (u, ls_none ());
      emit (u, LS_OPC_YIELD_FROM, 0);
    }
  emit (u, LS_OPC_POP_TOP, 0);
}

/* The handler that ends every exceptional path: [prev exc exc2] -> restore
 * prev, raise exc2. */
static void
gen_cleanup_reraise (Unit *u)
{
  emit (u, LS_OPC_ROT_TWO, 0);
  emit (u, LS_OPC_POP_TOP, 0);
  emit (u, LS_OPC_ROT_TWO, 0);
  emit (u, LS_OPC_POP_EXCEPT, 0);
  emit (u, LS_OPC_RERAISE, 0);
}

static void gen_with_items (Unit *u, LsNode *st, guint i);

static void
gen_with_items (Unit *u, LsNode *st, guint i)
{
  LsNode *item = st->items.items[i];
  gboolean is_async = st->flag;
  guint setup, exc_handler, cleanup, suppress, end_jump;

  if (is_async && !u->scope->coroutine)
    compile_error (u->c, st, "'async with' outside async function");
  set_line (u, item);
  gen_expr (u, item->a);
  if (is_async)
    {
      emit (u, LS_OPC_BEFORE_ASYNC_WITH, 0);
      emit_const (u, ls_none ());
      emit (u, LS_OPC_YIELD_FROM, 0);
    }
  else
    emit (u, LS_OPC_BEFORE_WITH, 0);
  if (item->b)
    gen_store (u, item->b);
  else
    emit (u, LS_OPC_POP_TOP, 0);
  setup = emit (u, LS_OPC_SETUP_FINALLY, 0);
  push_fblock (u, is_async ? FB_ASYNC_WITH : FB_WITH);
  if (i + 1 < st->items.len)
    gen_with_items (u, st, i + 1);
  else
    gen_stmts (u, &st->body);
  pop_fblock (u);
  emit (u, LS_OPC_POP_BLOCK, 0);
  set_line (u, item);
  gen_with_exit_normal (u, is_async);
  end_jump = emit (u, LS_OPC_JUMP, 0);

  /* [exit exc] */
  exc_handler = here (u);
  patch (u, setup, exc_handler);
  emit (u, LS_OPC_PUSH_EXC_INFO, 0);          /* [exit prev exc] */
  cleanup = emit (u, LS_OPC_SETUP_FINALLY, 0);
  emit (u, LS_OPC_WITH_EXIT, 1);              /* [exit prev exc result] */
  if (is_async)
    {
      emit (u, LS_OPC_GET_AWAITABLE, 0);
      emit_const (u, ls_none ());
      emit (u, LS_OPC_YIELD_FROM, 0);
    }
  suppress = emit (u, LS_OPC_POP_JUMP_IF_TRUE, 0);
  emit (u, LS_OPC_POP_BLOCK, 0);
  emit (u, LS_OPC_ROT_TWO, 0);                /* [exit exc prev] */
  emit (u, LS_OPC_POP_EXCEPT, 0);             /* [exit exc] */
  emit (u, LS_OPC_ROT_TWO, 0);
  emit (u, LS_OPC_POP_TOP, 0);                /* [exc] */
  emit (u, LS_OPC_RERAISE, 0);
  patch (u, suppress, here (u));
  emit (u, LS_OPC_POP_BLOCK, 0);              /* [exit prev exc] */
  emit (u, LS_OPC_POP_TOP, 0);
  emit (u, LS_OPC_POP_EXCEPT, 0);
  emit (u, LS_OPC_POP_TOP, 0);
  {
    guint j = emit (u, LS_OPC_JUMP, 0);
    /* An exception in __exit__: [exit prev exc exc2] */
    patch (u, cleanup, here (u));
    emit (u, LS_OPC_ROT_TWO, 0);
    emit (u, LS_OPC_POP_TOP, 0);              /* [exit prev exc2] */
    emit (u, LS_OPC_ROT_TWO, 0);              /* [exit exc2 prev] */
    emit (u, LS_OPC_POP_EXCEPT, 0);           /* [exit exc2] */
    emit (u, LS_OPC_ROT_TWO, 0);
    emit (u, LS_OPC_POP_TOP, 0);
    emit (u, LS_OPC_RERAISE, 0);
    patch (u, j, here (u));
  }
  patch (u, end_jump, here (u));
}

static void
gen_try_except (Unit *u, LsNode *st)
{
  guint setup, else_jump, cleanup;
  GArray *ends = g_array_new (FALSE, FALSE, sizeof (guint));

  setup = emit (u, LS_OPC_SETUP_FINALLY, 0);
  push_fblock (u, FB_TRY_EXCEPT);
  gen_stmts (u, &st->body);
  pop_fblock (u);
  emit (u, LS_OPC_POP_BLOCK, 0);
  else_jump = emit (u, LS_OPC_JUMP, 0);

  /* [exc] */
  patch (u, setup, here (u));
  emit (u, LS_OPC_PUSH_EXC_INFO, 0);          /* [prev exc] */
  cleanup = emit (u, LS_OPC_SETUP_FINALLY, 0);
  for (guint i = 0; i < st->handlers.len; i++)
    {
      LsNode *h = st->handlers.items[i];
      guint next = 0;
      set_line (u, h);
      if (h->a)
        {
          emit (u, LS_OPC_DUP_TOP, 0);
          gen_expr (u, h->a);
          emit (u, LS_OPC_CHECK_EXC_MATCH, 0);  /* [prev exc exc bool] */
          emit (u, LS_OPC_ROT_TWO, 0);
          emit (u, LS_OPC_POP_TOP, 0);          /* [prev exc bool] */
          next = emit (u, LS_OPC_POP_JUMP_IF_FALSE, 0);
        }
      else
        {
          /* A bare `except:` catches every BaseException, and nothing
           * else: the engine's own stop signal passes through it. */
          if (i + 1 < st->handlers.len)
            compile_error (u->c, h, "default 'except:' must be last");
          emit (u, LS_OPC_DUP_TOP, 0);
          emit_const (u, ls_object ((LsObject *) &ls_exc_BaseException));
          emit (u, LS_OPC_CHECK_EXC_MATCH, 0);
          emit (u, LS_OPC_ROT_TWO, 0);
          emit (u, LS_OPC_POP_TOP, 0);
          next = emit (u, LS_OPC_POP_JUMP_IF_FALSE, 0);
        }
      if (h->str)
        {
          emit (u, LS_OPC_DUP_TOP, 0);
          gen_name (u, h->str, NAME_STORE);
        }
      push_fblock (u, FB_HANDLER);
      gen_stmts (u, &h->body);
      pop_fblock (u);
      if (h->str)
        {
          /* except E as e: … e is deleted at the end of the handler. */
          emit_const (u, ls_none ());
          gen_name (u, h->str, NAME_STORE);
          gen_name (u, h->str, NAME_DELETE);
        }
      emit (u, LS_OPC_POP_BLOCK, 0);
      emit (u, LS_OPC_POP_TOP, 0);
      emit (u, LS_OPC_POP_EXCEPT, 0);
      {
        guint j = emit (u, LS_OPC_JUMP, 0);
        g_array_append_val (ends, j);
      }
      patch (u, next, here (u));
    }
  /* No handler matched: raise it again through the cleanup block, which
   * expects [prev exc exc]. */
  emit (u, LS_OPC_DUP_TOP, 0);
  emit (u, LS_OPC_RERAISE, 0);
  patch (u, cleanup, here (u));
  gen_cleanup_reraise (u);

  patch (u, else_jump, here (u));
  gen_stmts (u, &st->orelse);
  for (guint i = 0; i < ends->len; i++)
    patch (u, g_array_index (ends, guint, i), here (u));
  g_array_free (ends, TRUE);
}

static void
gen_try (Unit *u, LsNode *st)
{
  guint setup, end_jump, cleanup;
  FBlock *fb;

  if (!st->finalbody.len)
    {
      gen_try_except (u, st);
      return;
    }
  setup = emit (u, LS_OPC_SETUP_FINALLY, 0);
  fb = push_fblock (u, FB_FINALLY_TRY);
  fb->finally = st;
  if (st->handlers.len)
    gen_try_except (u, st);
  else
    gen_stmts (u, &st->body);
  pop_fblock (u);
  emit (u, LS_OPC_POP_BLOCK, 0);
  gen_stmts (u, &st->finalbody);
  end_jump = emit (u, LS_OPC_JUMP, 0);

  /* The exceptional path: [exc] */
  patch (u, setup, here (u));
  emit (u, LS_OPC_PUSH_EXC_INFO, 0);          /* [prev exc] */
  cleanup = emit (u, LS_OPC_SETUP_FINALLY, 0);
  push_fblock (u, FB_HANDLER);
  gen_stmts (u, &st->finalbody);
  pop_fblock (u);
  emit (u, LS_OPC_POP_BLOCK, 0);
  emit (u, LS_OPC_ROT_TWO, 0);                /* [exc prev] */
  emit (u, LS_OPC_POP_EXCEPT, 0);
  emit (u, LS_OPC_RERAISE, 0);
  patch (u, cleanup, here (u));
  gen_cleanup_reraise (u);
  patch (u, end_jump, here (u));
}


static void
gen_for (Unit *u, LsNode *st)
{
  guint start, exit_jump;
  GArray *breaks;

  if (st->flag)
    {
      compile_error (u->c, st, "'async for' is not supported");
      return;
    }
  gen_expr (u, st->b);
  emit (u, LS_OPC_GET_ITER, 0);
  start = here (u);
  set_line (u, st);
  exit_jump = emit (u, LS_OPC_FOR_ITER, 0);
  gen_store (u, st->a);
  push_fblock (u, FB_FOR_LOOP)->loop_start = start;
  gen_stmts (u, &st->body);
  emit (u, LS_OPC_JUMP, start);
  breaks = g_array_index (u->fblocks, FBlock, u->fblocks->len - 1).breaks;
  g_array_index (u->fblocks, FBlock, u->fblocks->len - 1).breaks = NULL;
  pop_fblock (u);
  patch (u, exit_jump, here (u));
  gen_stmts (u, &st->orelse);
  for (guint i = 0; i < breaks->len; i++)
    patch (u, g_array_index (breaks, guint, i), here (u));
  g_array_free (breaks, TRUE);
}

static void
gen_while (Unit *u, LsNode *st)
{
  guint start = here (u), exit_jump;
  FBlock *fb;
  GArray *breaks;

  set_line (u, st);
  gen_expr (u, st->a);
  exit_jump = emit (u, LS_OPC_POP_JUMP_IF_FALSE, 0);
  fb = push_fblock (u, FB_LOOP);
  fb->loop_start = start;
  gen_stmts (u, &st->body);
  emit (u, LS_OPC_JUMP, start);
  fb = &g_array_index (u->fblocks, FBlock, u->fblocks->len - 1);
  breaks = fb->breaks;
  fb->breaks = NULL;
  pop_fblock (u);
  patch (u, exit_jump, here (u));
  gen_stmts (u, &st->orelse);
  for (guint i = 0; i < breaks->len; i++)
    patch (u, g_array_index (breaks, guint, i), here (u));
  g_array_free (breaks, TRUE);
}

static void
gen_function_def (Unit *u, LsNode *st)
{
  gen_exprs (u, &st->decorators);
  gen_make_function (u, st, st->args);
  for (guint i = 0; i < st->decorators.len; i++)
    emit (u, LS_OPC_CALL, 1);
  gen_name (u, st->str, NAME_STORE);
}

static void
gen_class_def (Unit *u, LsNode *st)
{
  for (guint i = 0; i < st->body.len; i++)
    {
      LsNode *b = st->body.items[i];
      if (b->kind == LS_AST_PASS
          || (b->kind == LS_AST_EXPR && (b->a->kind == LS_AST_CONST_STR || b->a->kind == LS_AST_ELLIPSIS)))
        continue;
      compile_error (u->c, b, "class bodies other than 'pass' are not supported");
      return;
    }
  if (st->kwargs.len)
    compile_error (u->c, st, "class keywords are not supported");
  gen_exprs (u, &st->decorators);
  gen_exprs (u, &st->items);
  emit (u, LS_OPC_BUILD_TUPLE, st->items.len);
  set_line (u, st);
  emit (u, LS_OPC_LOAD_BUILD_CLASS, add_name (u, st->str));
  for (guint i = 0; i < st->decorators.len; i++)
    emit (u, LS_OPC_CALL, 1);
  gen_name (u, st->str, NAME_STORE);
}

static void
gen_import (Unit *u, LsNode *st)
{
  for (guint i = 0; i < st->aliases.len; i++)
    {
      LsNode *al = st->aliases.items[i];
      set_line (u, al);
      if (st->kind == LS_AST_IMPORT)
        {
          emit (u, LS_OPC_IMPORT_NAME, add_name (u, al->str));
          if (al->str2)
            {
              /* import a.b as c: c is a.b */
              const char *p = al->str;
              while ((p = strchr (p, '.')))
                {
                  const char *q = strchr (p + 1, '.');
                  char *part = q ? g_strndup (p + 1, q - p - 1) : g_strdup (p + 1);
                  emit (u, LS_OPC_IMPORT_FROM, add_name (u, part));
                  emit (u, LS_OPC_ROT_TWO, 0);
                  emit (u, LS_OPC_POP_TOP, 0);
                  g_free (part);
                  p++;
                }
              gen_name (u, al->str2, NAME_STORE);
            }
          else
            {
              /* import a.b binds a (IMPORT_NAME leaves the top package). */
              char *first = strchr (al->str, '.') ? g_strndup (al->str, strchr (al->str, '.') - al->str)
                                                   : g_strdup (al->str);
              gen_name (u, g_string_chunk_insert_const (u->c->strings, first), NAME_STORE);
              g_free (first);
            }
        }
      else
        {
          if (i == 0)
            {
              /* from a.b import x: IMPORT_NAME leaves a; a.b is what x
               * is taken from. */
              const char *p = st->str;
              emit (u, LS_OPC_IMPORT_NAME, add_name (u, st->str));
              while ((p = strchr (p, '.')))
                {
                  const char *q = strchr (p + 1, '.');
                  char *part = q ? g_strndup (p + 1, q - p - 1) : g_strdup (p + 1);
                  emit (u, LS_OPC_IMPORT_FROM, add_name (u, part));
                  emit (u, LS_OPC_ROT_TWO, 0);
                  emit (u, LS_OPC_POP_TOP, 0);
                  g_free (part);
                  p++;
                }
            }
          if (strcmp (al->str, "*") == 0)
            {
              compile_error (u->c, al, "'from %s import *' is not supported", st->str);
              return;
            }
          emit (u, LS_OPC_IMPORT_FROM, add_name (u, al->str));
          gen_name (u, al->str2 ? al->str2 : al->str, NAME_STORE);
        }
    }
  if (st->kind == LS_AST_IMPORTFROM)
    emit (u, LS_OPC_POP_TOP, 0);
}

static void
gen_stmt (Unit *u, LsNode *st)
{
  if (u->c->error)
    return;
  set_line (u, st);
  switch (st->kind)
    {
    case LS_AST_EXPR:
      gen_expr (u, st->a);
      emit (u, LS_OPC_POP_TOP, 0);
      break;
    case LS_AST_ASSIGN:
      gen_expr (u, st->a);
      for (guint i = 0; i < st->items.len; i++)
        {
          if (i + 1 < st->items.len)
            emit (u, LS_OPC_DUP_TOP, 0);
          gen_store (u, st->items.items[i]);
        }
      break;
    case LS_AST_AUGASSIGN:
      {
        LsNode *t = st->a;
        if (t->kind == LS_AST_NAME)
          {
            gen_name (u, t->str, NAME_LOAD);
            gen_expr (u, st->b);
            set_line (u, st);
            emit (u, LS_OPC_INPLACE_OP, st->op);
            gen_name (u, t->str, NAME_STORE);
          }
        else if (t->kind == LS_AST_ATTRIBUTE)
          {
            gen_expr (u, t->a);
            emit (u, LS_OPC_DUP_TOP, 0);
            emit (u, LS_OPC_LOAD_ATTR, add_name (u, t->str));
            gen_expr (u, st->b);
            emit (u, LS_OPC_INPLACE_OP, st->op);
            emit (u, LS_OPC_ROT_TWO, 0);
            emit (u, LS_OPC_STORE_ATTR, add_name (u, t->str));
          }
        else if (t->kind == LS_AST_SUBSCRIPT)
          {
            gen_expr (u, t->a);
            gen_expr (u, t->b);
            emit (u, LS_OPC_DUP_TOP_TWO, 0);
            emit (u, LS_OPC_BINARY_SUBSCR, 0);
            gen_expr (u, st->b);
            emit (u, LS_OPC_INPLACE_OP, st->op);
            emit (u, LS_OPC_ROT_THREE, 0);
            emit (u, LS_OPC_STORE_SUBSCR, 0);
          }
        else
          compile_error (u->c, t, "'%s' is an illegal expression for augmented assignment",
                         ls_node_kind_name (t->kind));
      }
      break;
    case LS_AST_ANNASSIGN:
      if (st->c)
        {
          gen_expr (u, st->c);
          gen_store (u, st->a);
        }
      break;
    case LS_AST_PASS:
    case LS_AST_GLOBAL:
    case LS_AST_NONLOCAL:
      break;
    case LS_AST_BREAK:
    case LS_AST_CONTINUE:
      {
        int loop = unwind_to_loop (u, st);
        if (loop >= 0)
          {
            FBlock *fb = &g_array_index (u->fblocks, FBlock, loop);
            if (st->kind == LS_AST_CONTINUE)
              emit (u, LS_OPC_JUMP, fb->loop_start);
            else
              {
                guint j;
                if (fb->kind == FB_FOR_LOOP)
                  emit (u, LS_OPC_POP_TOP, 0);
                j = emit (u, LS_OPC_JUMP, 0);
                g_array_append_val (fb->breaks, j);
              }
          }
      }
      break;
    case LS_AST_RETURN:
      if (st->a)
        gen_expr (u, st->a);
      else
        emit_const (u, ls_none ());
      for (int i = u->fblocks->len - 1; i >= 0; i--)
        unwind_fblock (u, &g_array_index (u->fblocks, FBlock, i), TRUE);
      set_line (u, st);
      emit (u, LS_OPC_RETURN_VALUE, 0);
      break;
    case LS_AST_RAISE:
      if (st->a)
        gen_expr (u, st->a);
      if (st->b)
        gen_expr (u, st->b);
      set_line (u, st);
      emit (u, LS_OPC_RAISE, st->a ? (st->b ? 2 : 1) : 0);
      break;
    case LS_AST_DEL:
      for (guint i = 0; i < st->items.len; i++)
        {
          LsNode *t = st->items.items[i];
          if (t->kind == LS_AST_NAME)
            gen_name (u, t->str, NAME_DELETE);
          else if (t->kind == LS_AST_SUBSCRIPT)
            {
              gen_expr (u, t->a);
              gen_expr (u, t->b);
              emit (u, LS_OPC_DELETE_SUBSCR, 0);
            }
          else
            compile_error (u->c, t, "deleting this target is not supported");
        }
      break;
    case LS_AST_ASSERT:
      {
        guint ok;
        gen_expr (u, st->a);
        ok = emit (u, LS_OPC_POP_JUMP_IF_TRUE, 0);
        if (st->b)
          gen_expr (u, st->b);
        emit (u, LS_OPC_ASSERT_FAIL, st->b ? 1 : 0);
        patch (u, ok, here (u));
      }
      break;
    case LS_AST_IF:
      {
        guint else_jump, end_jump;
        gen_expr (u, st->a);
        else_jump = emit (u, LS_OPC_POP_JUMP_IF_FALSE, 0);
        gen_stmts (u, &st->body);
        if (st->orelse.len)
          {
            end_jump = emit (u, LS_OPC_JUMP, 0);
            patch (u, else_jump, here (u));
            gen_stmts (u, &st->orelse);
            patch (u, end_jump, here (u));
          }
        else
          patch (u, else_jump, here (u));
      }
      break;
    case LS_AST_WHILE:
      gen_while (u, st);
      break;
    case LS_AST_FOR:
      gen_for (u, st);
      break;
    case LS_AST_WITH:
      gen_with_items (u, st, 0);
      break;
    case LS_AST_TRY:
      gen_try (u, st);
      break;
    case LS_AST_FUNCTIONDEF:
      gen_function_def (u, st);
      break;
    case LS_AST_CLASSDEF:
      gen_class_def (u, st);
      break;
    case LS_AST_IMPORT:
    case LS_AST_IMPORTFROM:
      gen_import (u, st);
      break;
    default:
      compile_error (u->c, st, "%s is not supported", ls_node_kind_name (st->kind));
      break;
    }
}

static void
gen_stmts (Unit *u, const LsNodeList *body)
{
  for (guint i = 0; i < body->len && !u->c->error; i++)
    gen_stmt (u, body->items[i]);
}

/* ---- stack depth ---------------------------------------------------------------------- */

/* The stack effect of an instruction; *jump_effect is the effect when it
 * jumps (for instructions that may), and *ends says control never falls
 * through. */
static int
stack_effect (LsOpcode op, guint arg, int *jump_effect, gboolean *ends)
{
  *jump_effect = G_MININT;
  *ends = FALSE;
  switch (op)
    {
    case LS_OPC_NOP: case LS_OPC_ROT_TWO: case LS_OPC_ROT_THREE: case LS_OPC_DELETE_FAST:
    case LS_OPC_DELETE_GLOBAL: case LS_OPC_LOAD_ATTR: case LS_OPC_UNARY_OP:
    case LS_OPC_LIST_TO_TUPLE: case LS_OPC_GET_ITER: case LS_OPC_YIELD_VALUE: case LS_OPC_GET_AWAITABLE:
    case LS_OPC_GET_YIELD_FROM_ITER: case LS_OPC_POP_BLOCK: case LS_OPC_CHECK_EXC_MATCH:
    case LS_OPC_LOAD_BUILD_CLASS: case LS_OPC_SETUP_ANNOTATIONS:
      return 0;
    case LS_OPC_JUMP:
      *jump_effect = 0;
      *ends = TRUE;
      return 0;
    case LS_OPC_POP_TOP: case LS_OPC_STORE_FAST: case LS_OPC_STORE_DEREF: case LS_OPC_STORE_GLOBAL:
    case LS_OPC_BINARY_SUBSCR: case LS_OPC_BINARY_OP: case LS_OPC_INPLACE_OP: case LS_OPC_COMPARE_OP:
    case LS_OPC_LIST_APPEND: case LS_OPC_SET_ADD: case LS_OPC_LIST_EXTEND: case LS_OPC_DICT_UPDATE:
    case LS_OPC_YIELD_FROM: case LS_OPC_POP_EXCEPT:
      return -1;
    case LS_OPC_DUP_TOP: case LS_OPC_LOAD_CONST: case LS_OPC_LOAD_FAST: case LS_OPC_LOAD_DEREF:
    case LS_OPC_LOAD_GLOBAL: case LS_OPC_LOAD_CLOSURE: case LS_OPC_PUSH_EXC_INFO: case LS_OPC_LOAD_METHOD:
    case LS_OPC_BEFORE_WITH: case LS_OPC_BEFORE_ASYNC_WITH: case LS_OPC_IMPORT_NAME: case LS_OPC_IMPORT_FROM:
      return 1;
    case LS_OPC_DUP_TOP_TWO:
      return 2;
    case LS_OPC_STORE_ATTR: case LS_OPC_DELETE_SUBSCR: case LS_OPC_MAP_ADD: case LS_OPC_BUILD_SLICE:
      return -2;
    case LS_OPC_STORE_SUBSCR:
      return -3;
    case LS_OPC_BUILD_TUPLE: case LS_OPC_BUILD_LIST: case LS_OPC_BUILD_SET: case LS_OPC_BUILD_STRING:
      return 1 - (int) arg;
    case LS_OPC_BUILD_MAP:
      return 1 - 2 * (int) arg;
    case LS_OPC_FORMAT_VALUE:
      return (arg >> 8) ? -1 : 0;
    case LS_OPC_UNPACK_SEQUENCE:
      return (int) arg - 1;
    case LS_OPC_UNPACK_EX:
      return (int) (arg & 0xfff) + (int) (arg >> 12);
    case LS_OPC_POP_JUMP_IF_FALSE: case LS_OPC_POP_JUMP_IF_TRUE:
      *jump_effect = -1;
      return -1;
    case LS_OPC_JUMP_IF_FALSE_OR_POP: case LS_OPC_JUMP_IF_TRUE_OR_POP:
      *jump_effect = 0;
      return -1;
    case LS_OPC_FOR_ITER:
      *jump_effect = -1;
      return 1;
    case LS_OPC_CALL:
      return -(int) arg;
    case LS_OPC_CALL_KW: case LS_OPC_CALL_METHOD:
      return -(int) arg - 1;
    case LS_OPC_CALL_EX:
      return -1 - (int) arg;
    case LS_OPC_MAKE_FUNCTION:
      return -(!!(arg & 1) + !!(arg & 2) + !!(arg & 8));
    case LS_OPC_SETUP_FINALLY:
      *jump_effect = 1;    /* the handler starts with the exception pushed */
      return 0;
    case LS_OPC_WITH_EXIT:
      return arg ? 1 : 0;
    case LS_OPC_RETURN_VALUE: case LS_OPC_RERAISE:
      *ends = TRUE;
      return -1;
    case LS_OPC_RAISE:
      *ends = TRUE;
      return -(int) arg;
    case LS_OPC_ASSERT_FAIL:
      *ends = TRUE;
      return -(int) arg;
    default:
      return 0;
    }
}

/* The deepest the value stack gets: a walk over every path, as CPython's
 * stackdepth() does, so frames allocate their stack once. */
static guint
max_stack_depth (const guint32 *insns, guint n)
{
  int *depth = g_new (int, n + 1);
  GArray *todo = g_array_new (FALSE, FALSE, sizeof (guint));
  int max = 0;

  for (guint i = 0; i <= n; i++)
    depth[i] = -1;
  if (n)
    {
      guint zero = 0;
      depth[0] = 0;
      g_array_append_val (todo, zero);
    }
  while (todo->len)
    {
      guint i = g_array_index (todo, guint, todo->len - 1);
      g_array_set_size (todo, todo->len - 1);
      for (int d = depth[i]; i < n;)
        {
          LsOpcode op = LS_INSN_OP (insns[i]);
          guint arg = LS_INSN_ARG (insns[i]);
          int jump, after;
          gboolean ends;
          after = d + stack_effect (op, arg, &jump, &ends);
          if (jump != G_MININT && arg <= n && depth[arg] < d + jump)
            {
              depth[arg] = d + jump;
              max = MAX (max, d + jump);
              g_array_append_val (todo, arg);
            }
          max = MAX (max, MAX (d, after));
          if (ends)
            break;
          i++;
          if (depth[i] >= after)
            break;
          depth[i] = d = after;
        }
    }
  g_array_free (todo, TRUE);
  g_free (depth);
  return max + 2;
}

/* ---- code objects ------------------------------------------------------------------- */

static char **
strv_from (GPtrArray *a)
{
  char **v = g_new0 (char *, a->len + 1);
  for (guint i = 0; i < a->len; i++)
    v[i] = g_strdup (g_ptr_array_index (a, i));
  return v;
}

static void
code_finalize (LsObject *self)
{
  LsCode *code = (LsCode *) self;
  g_free (code->name);
  g_free (code->qualname);
  g_free (code->filename);
  g_free (code->insns);
  g_free (code->lines);
  for (guint i = 0; i < code->nconsts; i++)
    ls_value_unref (code->consts[i]);
  g_free (code->consts);
  for (guint i = 0; i < code->nnames; i++)
    ls_value_unref (code->name_values[i]);
  g_free (code->name_values);
  g_strfreev (code->names);
  g_strfreev (code->varnames);
  g_strfreev (code->cellnames);
  g_free (code->cell_of_arg);
  g_free (code->global_cache);
  if (code->method_cache)
    {
      for (guint i = 0; i < code->ninsns; i++)
        for (LsMethodCache *m = code->method_cache[i], *next; m; m = next)
          {
            next = m->next;
            g_free (m);
          }
      g_free (code->method_cache);
    }
}

static char *
code_repr (LsObject *self)
{
  LsCode *code = (LsCode *) self;
  return g_strdup_printf ("<code object %s at %p, file \"%s\", line %d>", code->name,
                          (void *) self, code->filename, code->firstline);
}

const LsClass ls_code_class = {
  .name = "code",
  .finalize = code_finalize,
  .repr = code_repr,
};

static LsCode *
gen_scope (Compiler *c, Scope *s, LsNode *node)
{
  Unit u = { c, s };
  LsCode *code;
  LsArguments *args = node->args;

  u.insns = g_array_new (FALSE, FALSE, sizeof (guint32));
  u.lines = g_array_new (FALSE, FALSE, sizeof (int));
  u.consts = g_array_new (FALSE, FALSE, sizeof (LsValue));
  u.names = g_ptr_array_new_with_free_func (g_free);
  u.name_index = g_hash_table_new (g_str_hash, g_str_equal);
  u.fblocks = g_array_new (FALSE, FALSE, sizeof (FBlock));
  u.line = node->line > 0 ? node->line : 1;

  switch (node->kind)
    {
    case LS_AST_MODULE:
    case LS_AST_FUNCTIONDEF:
      gen_stmts (&u, &node->body);
      emit_const (&u, ls_none ());
      emit (&u, LS_OPC_RETURN_VALUE, 0);
      break;
    case LS_AST_LAMBDA:
      gen_expr (&u, node->a);
      emit (&u, LS_OPC_RETURN_VALUE, 0);
      break;
    default:
      {
        /* A comprehension: .0 is the iterator of the first `for`. */
        GArray *loops = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
        LsOpcode build = node->kind == LS_AST_LISTCOMP ? LS_OPC_BUILD_LIST
                         : node->kind == LS_AST_SETCOMP ? LS_OPC_BUILD_SET
                         : node->kind == LS_AST_DICTCOMP ? LS_OPC_BUILD_MAP : LS_OPC_NOP;
        guint depth = 0;
        if (node->kind != LS_AST_GENEXP)
          emit (&u, build, 0);
        for (guint i = 0; i < node->comps.len; i++)
          {
            LsNode *comp = node->comps.items[i];
            guint pair[2];
            if (i == 0)
              emit (&u, LS_OPC_LOAD_FAST, 0);
            else
              {
                gen_expr (&u, comp->b);
                emit (&u, LS_OPC_GET_ITER, 0);
              }
            pair[0] = here (&u);
            pair[1] = emit (&u, LS_OPC_FOR_ITER, 0);
            g_array_append_vals (loops, pair, 1);
            depth++;
            gen_store (&u, comp->a);
            for (guint k = 0; k < comp->items.len; k++)
              {
                gen_expr (&u, comp->items.items[k]);
                emit (&u, LS_OPC_POP_JUMP_IF_FALSE, pair[0]);
              }
          }
        if (node->kind == LS_AST_GENEXP)
          {
            gen_expr (&u, node->a);
            emit (&u, LS_OPC_YIELD_VALUE, 0);
            emit (&u, LS_OPC_POP_TOP, 0);
          }
        else if (node->kind == LS_AST_DICTCOMP)
          {
            gen_expr (&u, node->a);
            gen_expr (&u, node->b);
            emit (&u, LS_OPC_MAP_ADD, depth + 1);
          }
        else
          {
            gen_expr (&u, node->a);
            emit (&u, node->kind == LS_AST_LISTCOMP ? LS_OPC_LIST_APPEND : LS_OPC_SET_ADD, depth + 1);
          }
        for (int i = loops->len - 1; i >= 0; i--)
          {
            guint *pair = &g_array_index (loops, guint, i * 2);
            emit (&u, LS_OPC_JUMP, pair[0]);
            patch (&u, pair[1], here (&u));
          }
        if (node->kind == LS_AST_GENEXP)
          emit_const (&u, ls_none ());
        emit (&u, LS_OPC_RETURN_VALUE, 0);
        g_array_free (loops, TRUE);
      }
      break;
    }

  code = ls_object_alloc (&ls_code_class, sizeof (LsCode));
  code->name = g_strdup (s->name);
  code->qualname = g_strdup (s->qualname);
  code->filename = g_strdup (c->filename);
  code->ninsns = u.insns->len;
  code->insns = (guint32 *) g_array_free (u.insns, FALSE);
  code->lines = (int *) g_array_free (u.lines, FALSE);
  code->firstline = node->line > 0 ? node->line : 1;
  code->nconsts = u.consts->len;
  code->consts = (LsValue *) g_array_free (u.consts, FALSE);
  code->nnames = u.names->len;
  code->names = strv_from (u.names);
  code->name_values = g_new (LsValue, MAX (1, code->nnames));
  for (guint i = 0; i < code->nnames; i++)
    code->name_values[i] = ls_str_new (code->names[i]);
  code->nlocals = s->varnames->len;
  code->varnames = strv_from (s->varnames);
  code->ncells = s->cellnames->len;
  code->cellnames = strv_from (s->cellnames);
  code->nfree = s->nfree;
  code->cell_of_arg = g_new (int, MAX (1, s->params->len));
  for (guint i = 0; i < s->params->len; i++)
    {
      const char *p = g_ptr_array_index (s->params, i);
      code->cell_of_arg[i] = (sym_flags (s, p) & SYM_CELL) ? index_of (s->cellnames, p) : -1;
    }
  if (args)
    {
      code->nposonly = args->posonly.len;
      code->nargs = args->posonly.len + args->args.len;
      code->nkwonly = args->kwonly.len;
      if (args->vararg)
        code->flags |= LS_CODE_VARARGS;
      if (args->kwarg)
        code->flags |= LS_CODE_VARKW;
    }
  else if (node->kind != LS_AST_MODULE && node->kind != LS_AST_LAMBDA
           && node->kind != LS_AST_FUNCTIONDEF)
    code->nargs = 1;   /* a comprehension's .0 */
  if (s->generator)
    code->flags |= LS_CODE_GENERATOR;
  if (s->coroutine && node->kind == LS_AST_FUNCTIONDEF)
    code->flags |= LS_CODE_COROUTINE;
  code->stacksize = max_stack_depth (code->insns, code->ninsns);

  g_ptr_array_free (u.names, TRUE);
  g_hash_table_destroy (u.name_index);
  g_array_free (u.fblocks, TRUE);
  if (c->error)
    {
      ls_object_unref (code);
      return NULL;
    }
  return code;
}

LsCode *
ls_compile (LsAst *ast, LsSyntaxError **error)
{
  Compiler c = { 0 };
  Scope *module;
  LsCode *code = NULL;

  c.filename = ast->filename;
  c.ast = ast;
  c.scopes = g_hash_table_new (NULL, NULL);
  c.all_scopes = g_ptr_array_new_with_free_func (scope_free);
  c.strings = g_string_chunk_new (256);

  module = scope_new (&c, SCOPE_MODULE, ast->module, NULL, "<module>");
  st_stmts (&c, module, &ast->module->body);
  for (guint i = 0; i < c.all_scopes->len && !c.error; i++)
    resolve_scope (&c, g_ptr_array_index (c.all_scopes, i));
  for (guint i = 0; i < c.all_scopes->len; i++)
    layout_scope (g_ptr_array_index (c.all_scopes, i));
  if (!c.error)
    code = gen_scope (&c, module, ast->module);

  g_hash_table_destroy (c.scopes);
  g_ptr_array_free (c.all_scopes, TRUE);
  g_string_chunk_free (c.strings);
  if (c.error)
    {
      if (code)
        ls_object_unref (code);
      *error = c.error;
      return NULL;
    }
  return code;
}

/* ---- disassembly ------------------------------------------------------------------------ */

static const char *const opcode_names[] = {
#define LS_OPCODE_NAME(id) #id,
  LS_OPCODES (LS_OPCODE_NAME)
#undef LS_OPCODE_NAME
};

const char *
ls_opcode_name (LsOpcode op)
{
  return op < LS_OPC_N ? opcode_names[op] : "?";
}

char *
ls_code_disassemble (const LsCode *code)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < code->ninsns; i++)
    g_string_append_printf (out, "%4d %4u %-22s %u\n", code->lines[i], i,
                            ls_opcode_name (LS_INSN_OP (code->insns[i])),
                            LS_INSN_ARG (code->insns[i]));
  return g_string_free (out, FALSE);
}
