#!/usr/bin/env bash
# run-lang.sh - runs the scenario-language benchmarks under Loopscope and
# under CPython 3.12 and prints a table of wall times.
#
# Usage: bash tests/bench/run-lang.sh [BUILD_DIR]   (default: build; `make bench`)
#
# Builds nothing: BUILD_DIR must already hold app/loopscope-cli.  Each
# program (tests/bench/lang-*.py) runs as `loopscope-cli run PROG` and as
# `python3 cpython_oracle.py --c-tasks PROG`, each in a process of its own.
# The wall time is measured from outside the process (the programs read no
# clock: the oracle makes time virtual), so CPython's figure includes its
# start-up and the oracle's import, as a user running the program would
# see it.  Both runs must print the same stdout (a checksum line).
# Environment:
#   BENCH_REPEAT=N   run everything N times and keep each one's best (3)
#   PYTHON, ORACLE   the interpreter and the oracle to use
# Exits non-zero only when a run fails or the two outputs differ; the
# targets are reported, not enforced, since timings depend on the machine.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-build}
[ -d "$build" ] || build="$repo/$build"
cli="$build/app/loopscope-cli"
oracle=${ORACLE:-$repo/../shared/tools/cpython_oracle.py}
python=${PYTHON:-python3}
export PYENV_VERSION=${PYENV_VERSION:-3.12.1}
repeat=${BENCH_REPEAT:-3}

# The programs and the speed-up over CPython that issue 3 asks of each.
progs=(lang-compute lang-tasks lang-queue)
declare -A target=([lang-compute]=1 [lang-tasks]=5 [lang-queue]=5)

if [ ! -x "$cli" ]; then
  echo "run-lang.sh: $cli not found; build first (make build BUILD=${1:-build})" >&2
  exit 2
fi
if [ ! -f "$oracle" ]; then
  echo "run-lang.sh: CPython oracle not found at $oracle (set ORACLE)" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_one OUT CMD...: runs CMD with its stdout in OUT and prints its wall
# time in seconds; stops the script if it fails.
run_one () {
  local out=$1 secs TIMEFORMAT=%3R
  shift
  if ! secs=$( { time "$@" >"$out" 2>"$tmp/stderr"; } 2>&1 ); then
    echo "run-lang.sh: failed: $*" >&2
    cat "$tmp/stderr" >&2
    exit 1
  fi
  echo "$secs"
}

# best PREVIOUS NEW: the smaller of two times (PREVIOUS may be empty).
best () {
  if [ -z "$1" ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(b < a) }'; then
    echo "$2"
  else
    echo "$1"
  fi
}

declare -A res
for ((i = 0; i < repeat; i++)); do
  for prog in "${progs[@]}"; do
    src="$here/$prog.py"
    t=$(run_one "$tmp/$prog.ls" "$cli" run "$src")
    res[ls_$prog]=$(best "${res[ls_$prog]:-}" "$t")
    t=$(run_one "$tmp/$prog.cpy" "$python" "$oracle" --c-tasks "$src")
    res[cpy_$prog]=$(best "${res[cpy_$prog]:-}" "$t")
    if ! cmp -s "$tmp/$prog.ls" "$tmp/$prog.cpy"; then
      echo "run-lang.sh: $prog: Loopscope and CPython printed different output:" >&2
      diff "$tmp/$prog.ls" "$tmp/$prog.cpy" >&2 || true
      exit 1
    fi
  done
done

echo "best of $repeat, wall seconds measured outside each process"
printf '%-14s %12s %12s %8s %8s %s\n' program "Loopscope s" "CPython s" ratio target verdict
for prog in "${progs[@]}"; do
  l=${res[ls_$prog]} c=${res[cpy_$prog]} want=${target[$prog]}
  # A run too quick for the clock counts as 1 ms rather than dividing by 0.
  ratio=$(awk -v l="$l" -v c="$c" 'BEGIN { if (l < 0.001) l = 0.001; printf "%.2f", c / l }')
  if awk -v r="$ratio" -v w="$want" 'BEGIN { exit !(r >= w) }'; then
    verdict=met
  else
    verdict=MISSED
  fi
  printf '%-14s %12s %12s %7sx %7sx %s\n' "$prog" "$l" "$c" "$ratio" ">=$want" "$verdict"
done
echo "ratio: CPython seconds / Loopscope seconds; outputs agreed:"
for prog in "${progs[@]}"; do
  echo "  $(cat "$tmp/$prog.ls")"
done
