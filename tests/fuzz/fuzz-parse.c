/* fuzz-parse.c - libFuzzer target for the lexer, parser and compiler.
 *
 * Any byte string must come back as bytecode or as one syntax error, never
 * a crash, a hang or a leak: scenarios are user input.  The tree is also
 * dumped and the error formatted, so that those walks see every shape the
 * parser can build, and every tree that parses is compiled.
 *
 *   CC=clang meson setup build-fuzz -Dfuzz=true
 *   meson compile -C build-fuzz fuzz-parse
 *   build-fuzz/tests/fuzz/fuzz-parse tests/fuzz/corpus -max_total_time=120
 */
#include "ls-ast.h"
#include "ls-compiler.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  LsSyntaxError *err = NULL;
  LsAst *ast = ls_parse ("fuzz.py", (const char *) data, (gssize) size, &err);

  if (ast)
    {
      LsCode *code;
      g_free (ls_ast_dump (ast->module));
      code = ls_compile (ast, &err);
      if (code)
        ls_object_unref (code);
      else
        {
          g_free (ls_syntax_error_format (err));
          ls_syntax_error_free (err);
        }
      ls_ast_free (ast);
    }
  else
    {
      g_free (ls_syntax_error_format (err));
      ls_syntax_error_free (err);
    }
  return 0;
}
