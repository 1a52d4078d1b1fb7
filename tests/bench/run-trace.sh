#!/usr/bin/env bash
# run-trace.sh - what recording a trace costs, beside CPython 3.12.
#
# Usage: bash tests/bench/run-trace.sh [BUILD_DIR]   (default: build; `make bench`)
#
# Builds nothing: BUILD_DIR must already hold app/loopscope-cli and
# tests/bench/bench-trace{,-load}.  Prints four figures and their targets:
#   - recording throughput: bench-trace replays the events of
#     lang-tasks.py (about 740,000) into a recorder and times only that;
#   - bytes per event of the file it wrote;
#   - the cost of --trace: each lang-*.py program run by loopscope-cli with
#     and without --trace (wall time from outside the process), and the
#     same program under CPython 3.12 (the oracle, with C tasks) for scale;
#   - SQLite's own floor for those rows: the sqlite3 shell copying the
#     events a run recorded into a fresh table of the same shape, with the
#     recorder's settings (no recorder, no program);
#   - loading a trace of about a million events into the model;
#   - the timeline on that trace: layout, and 1920x1080 frames (bench-timeline).
# Environment:
#   BENCH_REPEAT=N   run everything N times and keep each one's best (3)
#   PYTHON, ORACLE   the interpreter and the oracle to use
# Exits non-zero only when a run fails; targets are reported, not enforced.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-build}
[ -d "$build" ] || build="$repo/$build"
[ -d "$build" ] && build=$(cd "$build" && pwd)
cli="$build/app/loopscope-cli"
bench="$build/tests/bench/bench-trace"
load="$build/tests/bench/bench-trace-load"
timeline="$build/tests/bench/bench-timeline"
oracle=${ORACLE:-$repo/../shared/tools/cpython_oracle.py}
python=${PYTHON:-python3}
export PYENV_VERSION=${PYENV_VERSION:-3.12.1}
repeat=${BENCH_REPEAT:-3}

for f in "$cli" "$bench" "$load" "$timeline"; do
  if [ ! -x "$f" ]; then
    echo "run-trace.sh: $f not found; build first (make build BUILD=${1:-build})" >&2
    exit 2
  fi
done
have_cpython=yes
[ -f "$oracle" ] || have_cpython=no

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# field LINE KEY: the value of KEY=value in a RESULT line.
field () {
  sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

# best PREVIOUS NEW: the smaller of two numbers (PREVIOUS may be empty).
best () {
  if [ -z "$1" ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(b < a) }'; then echo "$2"; else echo "$1"; fi
}

# wall CMD...: the command's wall time in seconds (output discarded).
wall () {
  local secs TIMEFORMAT=%3R
  if ! secs=$( { time "$@" >/dev/null 2>"$tmp/stderr"; } 2>&1 ); then
    echo "run-trace.sh: failed: $*" >&2
    cat "$tmp/stderr" >&2
    exit 1
  fi
  echo "$secs"
}

# floor TRACE: seconds the sqlite3 shell takes to copy TRACE's events, the
# very rows the recorder wrote, into a fresh table of the same shape with
# the recorder's journal and sync settings.  That is SQLite storing those
# rows and doing nothing else: no recorder can store them faster.
floor () {
  local schema
  schema=$(sqlite3 "$1" ".schema events")
  rm -f "$tmp/floor.sqlite" "$tmp/floor.sqlite-wal" "$tmp/floor.sqlite-shm"
  sqlite3 "$tmp/floor.sqlite" <<SQL | awk '/^Run Time: real/ { s += $4 } END { printf "%.3f\n", s }'
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
$schema
ATTACH '$1' AS run;
SELECT count(*) FROM run.events WHERE detail IS NOT NULL;
.timer on
BEGIN;
INSERT INTO events SELECT * FROM run.events;
COMMIT;
SQL
}

progs=(lang-tasks lang-queue lang-compute)
declare -A res
rec_secs="" rec_line=""
for ((i = 0; i < repeat; i++)); do
  line=$("$bench" record "$here/lang-tasks.py" "$tmp/bench.sqlite" | grep '^RESULT')
  s=$(field "$line" seconds)
  if [ -z "$rec_secs" ] || [ "$(best "$rec_secs" "$s")" = "$s" ]; then rec_secs=$s rec_line=$line; fi
  for prog in "${progs[@]}"; do
    res[plain_$prog]=$(best "${res[plain_$prog]:-}" "$(wall "$cli" run "$here/$prog.py")")
    res[trace_$prog]=$(best "${res[trace_$prog]:-}" "$(wall "$cli" run "$here/$prog.py" --trace "$tmp/$prog.sqlite")")
    if [ $have_cpython = yes ]; then
      res[cpy_$prog]=$(best "${res[cpy_$prog]:-}" "$(wall "$python" "$oracle" --c-tasks "$here/$prog.py")")
    fi
    res[events_$prog]=$(sqlite3 "$tmp/$prog.sqlite" "SELECT count(*) FROM events")
    res[floor_$prog]=$(best "${res[floor_$prog]:-}" "$(floor "$tmp/$prog.sqlite")")
  done
done
load_line=$("$load" | grep '^RESULT')
timeline_line=$(cd "$tmp" && "$timeline" | grep '^RESULT')

verdict () {   # verdict OK_CONDITION_AWK
  if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi
}

eps=$(field "$rec_line" events_per_s)
bpe=$(field "$rec_line" bytes_per_event)
echo "best of $repeat"
printf 'recording: %s events of lang-tasks.py in %s s = %s events/s (target >= 1000000: %s)\n' \
  "$(field "$rec_line" events)" "$rec_secs" "$eps" "$(verdict "$eps >= 1000000")"
printf 'file size: %s bytes per event (target < 60: %s)\n' "$bpe" "$(verdict "$bpe < 60")"
printf 'loading:   %s events in %s s (target < 1.5 s for a million: %s)\n' \
  "$(field "$load_line" events)" "$(field "$load_line" seconds)" \
  "$(verdict "$(field "$load_line" seconds) * 1000000 / $(field "$load_line" events) < 1.5")"
printf 'timeline:  layout of %s events in %s s (target < 1 s: %s); a 1920x1080 frame %s ms whole, %s ms zoomed (median; target < 16 ms: %s)\n' \
  "$(field "$timeline_line" events)" "$(field "$timeline_line" layout_seconds)" \
  "$(verdict "$(field "$timeline_line" layout_seconds) < 1")" \
  "$(field "$timeline_line" frame_whole_ms)" "$(field "$timeline_line" frame_zoomed_ms)" \
  "$(verdict "$(field "$timeline_line" frame_whole_ms) < 16 && $(field "$timeline_line" frame_zoomed_ms) < 16")"
echo
printf '%-14s %9s %8s %10s %7s %9s %8s %10s %s\n' program events "run s" "--trace s" "x cost" \
  "floor s" "x floor" "CPython s" "target <= 2x"
for prog in "${progs[@]}"; do
  p=${res[plain_$prog]} t=${res[trace_$prog]} c=${res[cpy_$prog]:-n/a} f=${res[floor_$prog]}
  cost=$(awk -v p="$p" -v t="$t" 'BEGIN { if (p < 0.001) p = 0.001; printf "%.2f", t / p }')
  fx=$(awk -v p="$p" -v f="$f" 'BEGIN { if (p < 0.001) p = 0.001; printf "%.2f", (p > f ? p : f) / p }')
  printf '%-14s %9s %8s %10s %7s %9s %8s %10s %s\n' "$prog" "${res[events_$prog]}" "$p" "$t" "$cost" \
    "$f" "$fx" "$c" "$(verdict "$cost <= 2")"
done
echo "x cost: run time with --trace / without; CPython: the same program under CPython 3.12, no trace"
echo "floor: SQLite alone copying the same rows into a fresh table; x floor: the least x cost any recorder"
echo "  writing one row per event beside the run could reach (the slower of run and floor, / run)"
