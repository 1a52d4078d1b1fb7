#!/usr/bin/env bash
# regen.sh - produces the expected results of the conformance programs with
# the CPython 3.12 oracle, so that no expected output is ever written by hand.
#
# Usage: tests/conformance/regen.sh [--check] [PROGRAM...]
#
# PROGRAM is one of
#   NAME or NAME.py             a program in tests/conformance/
#   errors/NAME[.py]            an error-path program (make-expect.py)
#   data/scenarios/NAME.py      a bundled scenario (any path to it works);
#   scenarios/NAME              the same scenario, by its expected-files dir
# With no PROGRAM: every program, every bundled scenario, every error case.
#
# For each oracle program it writes, beside the program (or in
# tests/conformance/scenarios/ for a bundled scenario):
#   NAME.out    stdout                      (always)
#   NAME.err    stderr                      (only when non-empty)
#   NAME.code   exit status                 (only when non-zero)
#   NAME.trace  task steps, JSON lines      (always; empty without tasks;
#               none for a program marked `# reference: real-time CPython`,
#               which plain CPython runs in real time: see oracle_run)
# The oracle runs with the program's directory as working directory and
# the bare file name as argument, so file names print bare, as they will
# when the runner calls `loopscope-cli run NAME.py` there.
#
# Each program also runs a second time with CPython's C tasks (--c-tasks):
# the oracle's pure-Python tasks differ from real CPython in a few visible
# places (the repr of a task waiting on a future, isinstance(t, Task)), so a
# program whose output depends on that is reported as a WARNING here.
#
# --check writes nothing: it regenerates into a temporary directory and
# reports every expected file that differs (stale or non-deterministic).
# Exit status: 0 when all went well, 1 when a check or a C-task comparison
# found a difference, 2 on a usage error.
#
# Environment: ORACLE (default: ../shared/tools/cpython_oracle.py relative to
# the repository root), PYTHON (python3), PYENV_VERSION (3.12.1).
set -uo pipefail
shopt -s nullglob

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
scen_dir="$repo/data/scenarios"
oracle=${ORACLE:-$repo/../shared/tools/cpython_oracle.py}
python=${PYTHON:-python3}
export PYENV_VERSION=${PYENV_VERSION:-3.12.1}
# Local time is UTC inside the oracle; set it here too so nothing else
# (strftime in make-expect.py, for instance) depends on the machine.
export TZ=UTC LC_ALL=C.UTF-8
# PYTHONHASHSEED is left random on purpose: an output that depends on string
# hashing (a set of strings printed) must show up as a difference in --check.

check=0
if [ "${1:-}" = "--check" ]; then
  check=1
  shift
fi

if [ ! -f "$oracle" ]; then
  echo "regen.sh: CPython oracle not found at $oracle (set ORACLE)" >&2
  exit 2
fi
oracle=$(cd "$(dirname "$oracle")" && pwd)/$(basename "$oracle")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# resolve PROGRAM: sets kind (prog|scenario|error), src (directory holding
# NAME.py), name, and exp (directory of the expected files).
resolve () {
  local arg=$1 base
  base=$(basename "$arg")
  name=${base%.py}
  case "$arg" in
    errors/*|*/tests/conformance/errors/*)
      kind=error; src="$here/errors"; exp="$here/errors" ;;
    scenarios/*|*data/scenarios/*)
      kind=scenario; src="$scen_dir"; exp="$here/scenarios" ;;
    *)
      kind=prog; src="$here"; exp="$here" ;;
  esac
  if [ ! -f "$src/$name.py" ]; then
    echo "regen.sh: no such program: $arg ($src/$name.py)" >&2
    exit 2
  fi
}

# oracle_run SRC NAME OUTDIR [--c-tasks]: runs one program, writes
# OUTDIR/NAME.{out,err,code,trace}.
oracle_run () {
  local src=$1 name=$2 out=$3 mode=${4:-}
  local status=0
  rm -f "$out/$name.out" "$out/$name.err" "$out/$name.code" "$out/$name.trace"
  if grep -q '^# reference: real-time CPython' "$src/$name.py"; then
    # Worker threads that sleep: the oracle's one clock cannot stand in
    # for per-thread time, so plain CPython 3.12 runs it in real time (the
    # program makes its output independent of thread timing) and no step
    # trace is kept.
    (cd "$src" && timeout 120 "$python" "$name.py") \
      > "$out/$name.out" 2> "$out/$name.err" < /dev/null || status=$?
  elif [ "$mode" = "--c-tasks" ]; then
    (cd "$src" && timeout 120 "$python" "$oracle" --c-tasks "$name.py") \
      > "$out/$name.out" 2> "$out/$name.err" < /dev/null || status=$?
  else
    (cd "$src" && timeout 120 "$python" "$oracle" "$name.py" \
       --trace "$out/$name.trace") \
      > "$out/$name.out" 2> "$out/$name.err" < /dev/null || status=$?
    [ -f "$out/$name.trace" ] || : > "$out/$name.trace"
  fi
  [ -s "$out/$name.err" ] || rm -f "$out/$name.err"
  [ "$status" -eq 0 ] || echo "$status" > "$out/$name.code"
  return 0
}

# same FILE_A FILE_B: both absent, or both present and identical.
same () {
  if [ -e "$1" ] || [ -e "$2" ]; then
    cmp -s "$1" "$2" 2>/dev/null
  fi
}

regen_one () {
  local arg=$1 ext status
  resolve "$arg"
  if [ "$kind" = error ]; then
    if [ $check -eq 1 ]; then
      "$python" "$here/errors/make-expect.py" --stdout "$src/$name.py" \
        > "$tmp/$name.expect" || { failures=$((failures + 1)); return; }
      if ! same "$tmp/$name.expect" "$exp/$name.expect"; then
        echo "CHANGED errors/$name.expect"
        failures=$((failures + 1))
      fi
    else
      "$python" "$here/errors/make-expect.py" "$src/$name.py" \
        || failures=$((failures + 1))
    fi
    return
  fi

  mkdir -p "$tmp/py" "$tmp/c"
  oracle_run "$src" "$name" "$tmp/py"
  oracle_run "$src" "$name" "$tmp/c" --c-tasks
  status=$(cat "$tmp/py/$name.code" 2>/dev/null || echo 0)

  for ext in out err code; do
    if ! same "$tmp/py/$name.$ext" "$tmp/c/$name.$ext"; then
      echo "WARNING $kind $name: .$ext differs under C tasks (--c-tasks)"
      diff "$tmp/py/$name.$ext" "$tmp/c/$name.$ext" 2>&1 | head -6 | sed 's/^/    /'
      failures=$((failures + 1))
    fi
  done

  if [ $check -eq 1 ]; then
    for ext in out err code trace; do
      if ! same "$tmp/py/$name.$ext" "$exp/$name.$ext"; then
        echo "CHANGED $kind $name.$ext"
        diff "$exp/$name.$ext" "$tmp/py/$name.$ext" 2>&1 | head -6 | sed 's/^/    /'
        failures=$((failures + 1))
      fi
    done
  else
    mkdir -p "$exp"
    for ext in out err code trace; do
      rm -f "$exp/$name.$ext"
      [ ! -e "$tmp/py/$name.$ext" ] || cp "$tmp/py/$name.$ext" "$exp/$name.$ext"
    done
    echo "$kind $name: exit $status"
  fi
  rm -f "$tmp/py/$name".* "$tmp/c/$name".*
}

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  for f in "$here"/*.py; do args+=("$(basename "$f")"); done
  for f in "$scen_dir"/*.py; do
    [ -e "$f" ] || continue
    # greenlet and gevent scenarios: not for the oracle (tests/models/README.md).
    grep -q '^# reference: documented semantics' "$f" && continue
    args+=("data/scenarios/$(basename "$f")")
  done
  for f in "$here"/errors/*.py; do
    case "$f" in */make-expect.py) continue ;; esac
    args+=("errors/$(basename "$f")")
  done
fi

for a in "${args[@]}"; do
  regen_one "$a"
done

if [ $failures -ne 0 ]; then
  echo "regen.sh: $failures difference(s)" >&2
  exit 1
fi
exit 0
