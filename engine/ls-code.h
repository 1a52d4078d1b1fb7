/* ls-code.h - bytecode: the opcode list and code objects.
 *
 * The compiler (ls-compiler.c) turns a syntax tree into code objects; the
 * VM (ls-vm.c) runs them.  An instruction is one 32-bit word: the opcode in
 * the low 8 bits and an unsigned argument in the high 24 bits, so no code
 * object may hold more than 16,777,215 constants, names or jump targets —
 * far beyond any scenario.  Jumps are absolute instruction indices.
 *
 * One X-macro lists the opcodes; the enum and the disassembler's names are
 * generated from it.
 */
#pragma once

#include "ls-value.h"

G_BEGIN_DECLS

/*       opcode               arg                       stack effect / meaning
 *       -------------------- ------------------------- ----------------------------------------- */
#define LS_OPCODES(X) \
  X (NOP)                  /* -                         */ \
  X (POP_TOP)              /* -                         v ->                                     */ \
  X (DUP_TOP)              /* -                         v -> v v                                 */ \
  X (DUP_TOP_TWO)          /* -                         a b -> a b a b                           */ \
  X (ROT_TWO)              /* -                         a b -> b a                               */ \
  X (ROT_THREE)            /* -                         a b c -> c a b                           */ \
  X (LOAD_CONST)           /* const index               -> consts[arg]                           */ \
  X (LOAD_FAST)            /* local slot                -> locals[arg] (UnboundLocalError)       */ \
  X (STORE_FAST)           /* local slot                v ->                                     */ \
  X (DELETE_FAST)          /* local slot                                                         */ \
  X (LOAD_DEREF)           /* cell slot                 -> cells[arg].value                      */ \
  X (STORE_DEREF)          /* cell slot                 v ->                                     */ \
  X (LOAD_GLOBAL)          /* name index                -> globals[name] or builtins[name]       */ \
  X (STORE_GLOBAL)         /* name index                v ->                                     */ \
  X (DELETE_GLOBAL)        /* name index                                                         */ \
  X (LOAD_ATTR)            /* name index                obj -> obj.name                          */ \
  X (STORE_ATTR)           /* name index                v obj ->                                 */ \
  X (LOAD_METHOD)          /* name index                obj -> method obj | MARK obj.name        */ \
  X (BINARY_SUBSCR)        /* -                         obj key -> obj[key]                      */ \
  X (STORE_SUBSCR)         /* -                         v obj key ->                             */ \
  X (DELETE_SUBSCR)        /* -                         obj key ->                               */ \
  X (BINARY_OP)            /* LsOp                      a b -> a op b                            */ \
  X (INPLACE_OP)           /* LsOp                      a b -> a op= b                           */ \
  X (UNARY_OP)             /* LsOp                      a -> op a                                */ \
  X (COMPARE_OP)           /* LsOp                      a b -> a op b                            */ \
  X (BUILD_TUPLE)          /* count                     items -> tuple                           */ \
  X (BUILD_LIST)           /* count                     items -> list                            */ \
  X (BUILD_SET)            /* count                     items -> set                             */ \
  X (BUILD_MAP)            /* pairs                     k v k v -> dict                          */ \
  X (BUILD_SLICE)          /* -                         lo hi step -> slice                      */ \
  X (BUILD_STRING)         /* count                     strs -> concatenation                    */ \
  X (FORMAT_VALUE)         /* conv | (has_spec << 8)    v [spec] -> str                          */ \
  X (LIST_APPEND)          /* depth                     v -> (list at depth below gets v)       */ \
  X (SET_ADD)              /* depth                     v ->                                     */ \
  X (MAP_ADD)              /* depth                     k v ->                                   */ \
  X (LIST_EXTEND)          /* depth                     iterable -> (list at depth extended)     */ \
  X (DICT_UPDATE)          /* depth                     mapping ->                               */ \
  X (LIST_TO_TUPLE)        /* -                         list -> tuple                            */ \
  X (UNPACK_SEQUENCE)      /* count                     seq -> items (last on top = first item)  */ \
  X (UNPACK_EX)            /* before | (after << 12)    seq -> items with a list for *rest       */ \
  X (JUMP)                 /* target                                                             */ \
  X (POP_JUMP_IF_FALSE)    /* target                    v ->                                     */ \
  X (POP_JUMP_IF_TRUE)     /* target                    v ->                                     */ \
  X (JUMP_IF_FALSE_OR_POP) /* target                    v -> v (kept when jumping)               */ \
  X (JUMP_IF_TRUE_OR_POP)  /* target                    v -> v (kept when jumping)               */ \
  X (GET_ITER)             /* -                         obj -> iterator                          */ \
  X (FOR_ITER)             /* target (when exhausted)   it -> it next | (popped, jump)           */ \
  X (CALL)                 /* nargs                     f args -> result                         */ \
  X (CALL_KW)              /* nargs                     f args kwnames(tuple) -> result          */ \
  X (CALL_EX)              /* has_kwargs                f argstuple [kwdict] -> result           */ \
  X (CALL_METHOD)          /* nargs                     (LOAD_METHOD's two) args -> result       */ \
  X (MAKE_FUNCTION)        /* flags: 1 defaults, 2 kwdefaults, 8 closure   [defs] [kwdefs] [cells tuple] code -> fn */ \
  X (LOAD_CLOSURE)         /* cell slot                 -> cell                                  */ \
  X (RETURN_VALUE)         /* -                         v -> (frame returns v)                   */ \
  X (YIELD_VALUE)          /* -                         v -> sent                                */ \
  X (GET_AWAITABLE)        /* -                         obj -> awaitable (coroutine/future)      */ \
  X (GET_YIELD_FROM_ITER)  /* -                         obj -> iterator                          */ \
  X (YIELD_FROM)           /* -                         awaitable sent -> result (delegates)     */ \
  X (SETUP_FINALLY)        /* handler target            (pushes a handler block)                 */ \
  X (POP_BLOCK)            /* -                         (pops the innermost block)               */ \
  X (PUSH_EXC_INFO)        /* -                         exc -> prev_handled exc                  */ \
  X (POP_EXCEPT)           /* -                         prev_handled ->  (restores it)           */ \
  X (RERAISE)              /* -                         exc -> (raises exc again, keeps traceback) */ \
  X (RAISE)                /* count 0..2                [exc [cause]] ->                         */ \
  X (CHECK_EXC_MATCH)      /* -                         exc type -> exc bool                     */ \
  X (BEFORE_WITH)          /* -                         cm -> exit enter_result                  */ \
  X (BEFORE_ASYNC_WITH)    /* -                         cm -> aexit aenter_awaitable             */ \
  X (WITH_EXIT)            /* -                         exit exc -> suppress(bool) (calls exit)  */ \
  X (IMPORT_NAME)          /* name index                -> module                                */ \
  X (IMPORT_FROM)          /* name index                module -> module attr                    */ \
  X (LOAD_BUILD_CLASS)     /* name index (class name)   bases(tuple) -> class                    */ \
  X (SETUP_ANNOTATIONS)    /* unused                                                             */ \
  X (ASSERT_FAIL)          /* has_msg                   [msg] -> raises AssertionError           */

typedef enum {
#define LS_OPCODE_ENUM(id) LS_OPC_##id,
  LS_OPCODES (LS_OPCODE_ENUM)
#undef LS_OPCODE_ENUM
  LS_OPC_N
} LsOpcode;

#define LS_INSN(op, arg) ((guint32) (op) | ((guint32) (arg) << 8))
#define LS_INSN_OP(insn) ((LsOpcode) ((insn) & 0xff))
#define LS_INSN_ARG(insn) ((insn) >> 8)
#define LS_INSN_ARG_MAX 0xffffff

const char *ls_opcode_name (LsOpcode op);

/* Code object flags. */
enum {
  LS_CODE_VARARGS = 1 << 0,     /* has *args */
  LS_CODE_VARKW = 1 << 1,       /* has **kwargs */
  LS_CODE_GENERATOR = 1 << 2,   /* contains yield */
  LS_CODE_COROUTINE = 1 << 3,   /* async def */
};

/* What a LOAD_GLOBAL found last time, valid while neither dict changed
 * (their versions, ls_dict_version, are unchanged). */
typedef struct {
  gconstpointer globals, builtins;   /* the dicts it was looked up in */
  guint64 globals_version, builtins_version;
  LsValue value;                     /* borrowed from one of them */
} LsGlobalCache;

/* A shortcut a library coroutine method may offer for `await
 * obj.method(args)`: when the coroutine would run to its end without
 * suspending and without raising, do what it would do, set *result and
 * return TRUE; FALSE (nothing done): the coroutine is made and awaited as
 * usual.  Everything is borrowed. */
typedef gboolean (*LsAwaitNowFn) (LsValue self, const LsValue *args, guint nargs, LsValue *result);

/* What a LOAD_METHOD found for objects of one class: a built-in method,
 * called by CALL_METHOD on the object without a bound method in between.
 * The entry itself stands on the stack in the method's place, so it is
 * an immortal object; entries never change once made, and live as long
 * as their code object. */
typedef struct _LsMethodCache LsMethodCache;
struct _LsMethodCache {
  LsObject base;
  LsMethodCache *next;       /* another class seen at the same instruction */
  const LsClass *cls;        /* the class of the objects it applies to */
  LsBuiltinFn fn;            /* as the bound builtin's (LsBuiltin) */
  LsBuiltinKwFn kwfn;
  gpointer data;
  LsAwaitNowFn await_now;    /* or NULL */
};

/* A compiled function body (or module, or lambda, or comprehension). */
typedef struct {
  LsObject base;
  char *name;                /* "main", "<module>", "<lambda>", "<listcomp>" */
  char *qualname;            /* "outer.<locals>.inner" */
  char *filename;
  guint32 *insns;
  guint ninsns;
  int *lines;                /* source line of each instruction */
  int firstline;
  LsValue *consts;           /* owned */
  guint nconsts;
  char **names;              /* globals, attributes, imports */
  LsValue *name_values;      /* the same names as str values, made once */
  guint nnames;
  char **varnames;           /* locals: parameters first */
  guint nlocals;
  char **cellnames;          /* locals captured by inner functions, then free variables */
  guint ncells;              /* cells of this code (its own and free ones) */
  guint nfree;               /* the last nfree cells come from the closure */
  int *cell_of_arg;          /* for each parameter, its cell slot or -1 (argument captured) */
  guint nposonly, nargs, nkwonly;   /* parameter counts (nargs includes posonly) */
  guint flags;
  guint stacksize;
  LsGlobalCache *global_cache;   /* one per instruction, made on first use */
  LsMethodCache **method_cache;  /* one list per instruction, made on first use */
} LsCode;

extern const LsClass ls_code_class;

/* The disassembly, one instruction a line, for tests and debugging. */
char *ls_code_disassemble (const LsCode *code);

G_END_DECLS
