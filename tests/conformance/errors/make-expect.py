#!/usr/bin/env python3
"""make-expect.py - derives the first stderr line loopscope-cli must print
for each error-path program, mechanically, from CPython 3.12.

Usage: PYENV_VERSION=3.12.1 python3 make-expect.py [--stdout] [NAME.py ...]

With no NAME: every *.py in this directory except this script.  Each
NAME.expect gets exactly one line (or it goes to stdout with --stdout):

* a program CPython refuses to compile:
      NAME.py:LINE:COL: error: MESSAGE
  LINE, COL and MESSAGE are SyntaxError.lineno, .offset and .msg from
  compile().  CPython's offset is the 1-based column in characters, which
  is what loopscope prints too.  IndentationError and TabError are
  SyntaxErrors and are treated alike: the type name is not printed.
* a program that compiles but imports a module outside the sandbox:
      NAME.py:LINE:COL: error: import of module 'MOD' is not supported
  at the position of the first such import statement (ast lineno and
  col_offset + 1), MOD being the first module of that statement that is
  not allowed.

This is the only place where an expected text is not the oracle's output,
so it is computed here rather than written by hand.  Run it with python3.12:
compile()'s messages and positions change between CPython versions.
"""

import ast
import os
import sys

# The modules a scenario may import (shared/DESIGN.md section 3).
ALLOWED = {"asyncio", "time", "functools", "random", "greenlet", "gevent",
           "concurrent.futures"}


def expect_line(path):
    base = os.path.basename(path)
    with open(path, encoding="utf-8") as f:
        src = f.read()
    try:
        compile(src, base, "exec", dont_inherit=True)
    except SyntaxError as e:
        col = e.offset if e.offset else 1
        return f"{base}:{e.lineno}:{col}: error: {e.msg}"

    imports = [n for n in ast.walk(ast.parse(src, base))
               if isinstance(n, (ast.Import, ast.ImportFrom))]
    imports.sort(key=lambda n: (n.lineno, n.col_offset))
    for node in imports:
        if isinstance(node, ast.Import):
            mods = [alias.name for alias in node.names]
        else:
            mods = ["." * node.level + (node.module or "")]
        for mod in mods:
            if mod not in ALLOWED:
                return (f"{base}:{node.lineno}:{node.col_offset + 1}: error: "
                        f"import of module '{mod}' is not supported")
    raise SystemExit(f"make-expect.py: {path}: compiles and imports nothing "
                     f"unsupported; it is not an error-path program")


def main(argv):
    to_stdout = False
    if argv and argv[0] == "--stdout":
        to_stdout = True
        argv = argv[1:]
    if sys.version_info[:2] != (3, 12):
        raise SystemExit("make-expect.py: run it with python 3.12 "
                         "(PYENV_VERSION=3.12.1 python3), found "
                         + sys.version.split()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    me = os.path.basename(__file__)
    paths = argv or sorted(os.path.join(here, n) for n in os.listdir(here)
                           if n.endswith(".py") and n != me)
    for path in paths:
        line = expect_line(path)
        if to_stdout:
            print(line)
        else:
            with open(path[:-3] + ".expect", "w", encoding="utf-8") as f:
                f.write(line + "\n")
            print(f"error {os.path.basename(path)[:-3]}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
