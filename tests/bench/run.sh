#!/usr/bin/env bash
# run.sh - runs the engine benchmark beside CPython 3.12 and prints a table.
#
# Usage: bash tests/bench/run.sh [BUILD_DIR]     (default: build; `make bench`)
#
# Builds nothing: BUILD_DIR must already hold tests/bench/bench-engine.
# Each program runs in a process of its own, for the engine and for CPython
# (the oracle, with C tasks), so that each peak-RSS reading starts from a
# clean baseline.  Environment:
#   BENCH_REPEAT=N   run everything N times and keep each one's best (1)
#   PYTHON, ORACLE   the interpreter and the oracle to use
# Exits non-zero only when a run fails; the targets are reported, not
# enforced, since timings depend on the machine.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-build}
[ -d "$build" ] || build="$repo/$build"
bench="$build/tests/bench/bench-engine"
oracle=${ORACLE:-$repo/../shared/tools/cpython_oracle.py}
python=${PYTHON:-python3}
export PYENV_VERSION=${PYENV_VERSION:-3.12.1}
repeat=${BENCH_REPEAT:-1}

if [ ! -x "$bench" ]; then
  echo "run.sh: $bench not found; build first (make build BUILD=${1:-build})" >&2
  exit 2
fi
if [ ! -f "$oracle" ]; then
  echo "run.sh: CPython oracle not found at $oracle (set ORACLE)" >&2
  exit 2
fi

# field LINE KEY: the value of KEY=value in a RESULT line.
field () {
  sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

# best PREVIOUS NEW: keeps the RESULT line with the higher steps_per_s.
best () {
  if [ -z "$1" ] || awk -v a="$(field "$1" steps_per_s)" -v b="$(field "$2" steps_per_s)" \
                        'BEGIN { exit !(b > a) }'; then
    echo "$2"
  else
    echo "$1"
  fi
}

run_one () {
  local out
  if ! out=$("$@" | grep '^RESULT'); then
    echo "run.sh: failed: $*" >&2
    exit 1
  fi
  echo "$out"
}

declare -A res
for ((i = 0; i < repeat; i++)); do
  for prog in sleep0 timers; do
    res[engine_$prog]=$(best "${res[engine_$prog]:-}" "$(run_one "$bench" "$prog")")
    res[cpython_$prog]=$(best "${res[cpython_$prog]:-}" \
                         "$(run_one "$python" "$oracle" --c-tasks "$here/$prog.py")")
  done
done

printf '%-8s %16s %16s %8s %16s %16s\n' program "engine steps/s" "CPython steps/s" ratio \
  "engine B/task" "CPython B/task"
for prog in sleep0 timers; do
  e=${res[engine_$prog]} c=${res[cpython_$prog]}
  if [ "$(field "$e" steps)" != "$(field "$c" steps)" ]; then
    echo "run.sh: $prog: the engine took $(field "$e" steps) steps, CPython $(field "$c" steps)" >&2
    exit 1
  fi
  eb=$(field "$e" bytes_per_task_peak) cb=$(field "$c" bytes_per_task_peak)
  printf '%-8s %16s %16s %7.1fx %16s %16s\n' "$prog" "$(field "$e" steps_per_s)" \
    "$(field "$c" steps_per_s)" \
    "$(awk -v a="$(field "$e" steps_per_s)" -v b="$(field "$c" steps_per_s)" 'BEGIN { print a / b }')" \
    "${eb:--}" "${cb:--}"
done

e=${res[engine_timers]} c=${res[cpython_timers]}
echo
echo "B/task: growth of the peak RSS (VmHWM) over the timers run, per task, with all"
echo "$(field "$e" tasks) tasks asleep at once (right after creating them: engine" \
     "$(field "$e" bytes_per_task_created), CPython $(field "$c" bytes_per_task_created))."

# The targets of the issue, measured on sleep0 (steps) and timers (memory).
s=${res[engine_sleep0]} cs=${res[cpython_sleep0]}
verdict () { if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi; }
echo "targets: engine >= 3000000 steps/s: $(verdict "$(field "$s" steps_per_s) >= 3000000");" \
     ">= 20x CPython: $(verdict "$(field "$s" steps_per_s) >= 20 * $(field "$cs" steps_per_s)");" \
     "< 500 B/task: $(verdict "$(field "$e" bytes_per_task_peak) < 500")"
