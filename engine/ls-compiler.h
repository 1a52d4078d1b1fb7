/* ls-compiler.h - syntax tree to bytecode.
 *
 * Python decides which names are local only after seeing a whole function,
 * so compiling takes two passes over the tree: a symbol table (which names
 * each scope binds, declares global or nonlocal, and which of its locals
 * inner functions capture) and then code generation.
 */
#pragma once

#include "ls-ast.h"
#include "ls-code.h"

G_BEGIN_DECLS

/* Compiles a module.  Returns a code object (new reference), or NULL and
 * *error for what the compiler rejects (e.g. "'return' outside function",
 * "nonlocal declaration not allowed at module level"), with the same
 * positions and format as syntax errors. */
LsCode *ls_compile (LsAst *ast, LsSyntaxError **error);

G_END_DECLS
