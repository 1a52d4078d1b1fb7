#!/usr/bin/env bash
# run.sh - runs the conformance programs through loopscope-cli and compares
# what it prints with what CPython 3.12 printed (the files regen.sh made).
#
# Usage: tests/conformance/run.sh CLI [PROGRAM...]
#
# CLI is the loopscope-cli executable.  PROGRAM is NAME[.py] (a program in
# tests/conformance/), errors/NAME[.py], data/scenarios/NAME.py or
# scenarios/NAME; with none, every program, scenario and error case runs.
#
# Each program runs as `CLI run NAME.py` from its own directory, so that
# file names print bare, as they did under the oracle.  Checks:
#   oracle programs   stdout byte for byte = NAME.out;
#                     exit status = NAME.code (0 when absent);
#                     stderr: exit 1 (uncaught exception): the last line
#                       (for an exception group, its top-level "  | " line)
#                       equals the last line of NAME.err (the oracle prints
#                       only that line; we print a whole traceback, so a
#                       "Traceback (most recent call last):" line must be
#                       there too); exit 3 (deadlock, limit): any report,
#                       not compared (the oracle's report is its own); any
#                       other status: all of stderr = NAME.err (empty when
#                       absent);
#                     task steps = NAME.trace, when the CLI has --steps;
#                     and, with CONFORMANCE_TRACE_STEPS, the steps read
#                     back out of the SQLite trace (`--trace`) too.
#   errors/NAME       exit status 2, nothing on stdout, and the first line
#                     of stderr = NAME.expect.
# The steps comparison parses both JSON-lines files and compares the
# records (t, task, ev, exc) in order, so formatting does not matter.
#
# Output is TAP (a plan line first, then one `ok`/`not ok` line per program
# with a short diff in `#` lines), so meson can run it with protocol: 'tap'.
# Exit status: 0 when all passed, 1 when any failed, 2 on a usage error.
#
# Environment:
#   CONFORMANCE_STEPS=auto|yes|no   compare step traces (auto: when
#                                   `CLI run --help` mentions --steps)
#   CONFORMANCE_TIMEOUT=SECONDS     wall-time limit per program (60)
#   CONFORMANCE_TRACE_STEPS=TOOL    also record each run with --trace and
#                                   compare the steps TOOL (trace-steps)
#                                   reads from it
#   PYTHON                          python3 used to compare step traces
set -uo pipefail
shopt -s nullglob

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
scen_dir="$repo/data/scenarios"
python=${PYTHON:-python3}
limit=${CONFORMANCE_TIMEOUT:-60}
export TZ=UTC LC_ALL=C.UTF-8

if [ $# -lt 1 ]; then
  echo "usage: $0 CLI [PROGRAM...]" >&2
  exit 2
fi
cli=$1
shift
case "$cli" in
  */*) cli=$(cd "$(dirname "$cli")" 2>/dev/null && pwd)/$(basename "$cli") ;;
  *) cli=$(command -v "$cli" || echo "$cli") ;;
esac
if [ ! -x "$cli" ]; then
  echo "Bail out! loopscope-cli not found or not executable: $1"
  exit 2
fi

steps=${CONFORMANCE_STEPS:-auto}
trace_steps=${CONFORMANCE_TRACE_STEPS:-}
if [ "$steps" = auto ]; then
  if "$cli" run --help 2>&1 | grep -q -- '--steps'; then steps=yes; else steps=no; fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The list of programs: "kind|srcdir|name|expdir|label".
progs=()
add () {
  local arg=$1 base name kind src exp label
  base=$(basename "$arg")
  name=${base%.py}
  case "$arg" in
    errors/*|*/tests/conformance/errors/*)
      kind=error; src="$here/errors"; exp="$here/errors"; label="errors/$name" ;;
    scenarios/*|*data/scenarios/*)
      kind=scenario; src="$scen_dir"; exp="$here/scenarios"; label="scenarios/$name" ;;
    *)
      kind=prog; src="$here"; exp="$here"; label="$name" ;;
  esac
  progs+=("$kind|$src|$name|$exp|$label")
}

if [ $# -gt 0 ]; then
  for a in "$@"; do add "$a"; done
else
  for f in "$here"/*.py; do add "$(basename "$f")"; done
  for f in "$scen_dir"/*.py; do
    # greenlet and gevent scenarios: the oracle cannot run them; tests/models does.
    grep -q '^# reference: documented semantics' "$f" && continue
    add "data/scenarios/$(basename "$f")"
  done
  for f in "$here"/errors/*.py; do
    case "$f" in */make-expect.py) continue ;; esac
    add "errors/$(basename "$f")"
  done
fi

echo "1..${#progs[@]}"

# Diagnostics of the program being checked, printed as TAP comments.
notes=()
note () { notes+=("$@"); }
note_diff () {   # note_diff WHAT EXPECTED_FILE ACTUAL_FILE
  note "$1 differs (--- expected, +++ got):"
  while IFS= read -r line; do note "  $line"; done \
    < <(diff -u "$2" "$3" | tail -n +3 | head -n 16)
}

# compare_steps EXPECTED GOT: prints the first difference, fails on one.
compare_steps () {
  # The CLI writes the oracle's exact format: equal bytes need no parsing.
  cmp -s "$1" "$2" && return 0
  "$python" - "$1" "$2" <<'EOF'
import json, sys
def load(path):
    recs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                o = json.loads(line)
                recs.append((float(o["t"]), o["task"], o["ev"], o.get("exc")))
            except (ValueError, KeyError, TypeError) as e:
                print(f"{path}:{n}: bad step record: {line.strip()!r} ({e})")
                sys.exit(1)
    return recs
want, got = load(sys.argv[1]), load(sys.argv[2])
for i, (w, g) in enumerate(zip(want, got)):
    if w != g:
        print(f"step {i + 1}: expected {w}, got {g}")
        sys.exit(1)
if len(want) != len(got):
    print(f"expected {len(want)} steps, got {len(got)}")
    sys.exit(1)
EOF
}

n=0
failed=0
for entry in "${progs[@]}"; do
  IFS='|' read -r kind src name exp label <<<"$entry"
  n=$((n + 1))
  notes=()
  out="$tmp/out" err="$tmp/err" stp="$tmp/steps" trc="$tmp/trace.sqlite"
  rm -f "$out" "$err" "$stp" "$trc"

  if [ ! -f "$src/$name.py" ]; then
    note "no such program: $src/$name.py"
  elif [ "$kind" != error ] && [ ! -f "$exp/$name.out" ]; then
    note "no expected output $exp/$name.out (run regen.sh)"
  elif [ "$kind" = error ] && [ ! -f "$exp/$name.expect" ]; then
    note "no expected message $exp/$name.expect (run errors/make-expect.py)"
  else
    extra=()
    if [ "$steps" = yes ] && [ "$kind" != error ]; then extra=(--steps "$stp"); fi
    if [ -n "$trace_steps" ] && [ "$kind" != error ]; then extra+=(--trace "$trc"); fi
    code=0
    (cd "$src" && exec timeout "$limit" "$cli" run "$name.py" "${extra[@]}") \
      > "$out" 2> "$err" < /dev/null || code=$?
    [ "$code" -ne 124 ] || note "timed out after $limit s"

    if [ "$kind" = error ]; then
      [ "$code" -eq 2 ] || note "exit status $code, expected 2"
      [ ! -s "$out" ] || note "stdout should be empty: $(head -c 200 "$out")"
      want=$(head -n 1 "$exp/$name.expect")
      got=$(head -n 1 "$err")
      if [ "$want" != "$got" ]; then
        note "first line of stderr differs:" "  expected: $want" "  got:      $got"
      fi
    else
      want_code=$(cat "$exp/$name.code" 2>/dev/null || echo 0)
      [ "$code" -eq "$want_code" ] || note "exit status $code, expected $want_code"
      cmp -s "$exp/$name.out" "$out" || note_diff stdout "$exp/$name.out" "$out"
      if [ -f "$exp/$name.err" ]; then experr="$exp/$name.err"; else experr=/dev/null; fi
      case "$want_code" in
        1)
          want=$(tail -n 1 "$experr")
          got=$(tail -n 1 "$err")
          if grep -qx '  + Exception Group Traceback (most recent call last):' "$err"; then
            # An exception group is drawn in boxes: its own line is the
            # top level's "  | ExceptionGroup: …", CPython's last line.
            grep -Fqx -- "  | $want" "$err" \
              || note "no top-level line of the exception group:" "  expected:   | $want"
          else
            if [ "$want" != "$got" ]; then
              note "last line of stderr differs:" "  expected: $want" "  got:      $got"
            fi
            grep -qx 'Traceback (most recent call last):' "$err" \
              || note "stderr has no 'Traceback (most recent call last):' line"
          fi
          ;;
        3)
          [ -s "$err" ] || note "exit status 3 without a report on stderr"
          ;;
        *)
          cmp -s "$experr" "$err" || note_diff stderr "$experr" "$err"
          ;;
      esac
      if [ "${#extra[@]}" -gt 0 ] && [ -f "$exp/$name.trace" ]; then
        if [ ! -f "$stp" ]; then
          note "no step trace written to --steps FILE"
        elif ! msg=$(compare_steps "$exp/$name.trace" "$stp"); then
          note "task steps differ: $msg"
        fi
      fi
      if [ -n "$trace_steps" ] && [ -f "$exp/$name.trace" ]; then
        if ! "$trace_steps" "$trc" > "$tmp/trace-steps" 2> "$tmp/trace-err"; then
          note "cannot read the trace back: $(head -c 300 "$tmp/trace-err")"
        elif ! msg=$(compare_steps "$exp/$name.trace" "$tmp/trace-steps"); then
          note "task steps read back from the trace differ: $msg"
        fi
      fi
    fi
  fi

  if [ ${#notes[@]} -eq 0 ]; then
    echo "ok $n - $label"
  else
    echo "not ok $n - $label"
    for line in "${notes[@]}"; do printf '# %s\n' "$line"; done
    failed=$((failed + 1))
  fi
done

if [ $failed -ne 0 ]; then
  echo "# $failed of $n conformance programs failed"
  exit 1
fi
exit 0
