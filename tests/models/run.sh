#!/usr/bin/env bash
# run.sh - runs the greenlet/gevent model programs (README.md) through
# loopscope-cli and compares stdout, stderr and the exit status with the
# expected files, printing TAP.
#
# Usage: tests/models/run.sh CLI [NAME...]
set -uo pipefail
shopt -s nullglob

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
scen_dir="$repo/data/scenarios"
export TZ=UTC LC_ALL=C.UTF-8

if [ $# -lt 1 ]; then
  echo "usage: $0 CLI [NAME...]" >&2
  exit 2
fi
cli=$1
shift
case "$cli" in
  */*) cli=$(cd "$(dirname "$cli")" 2>/dev/null && pwd)/$(basename "$cli") ;;
esac
if [ ! -x "$cli" ]; then
  echo "Bail out! loopscope-cli not found: $cli"
  exit 2
fi

# "srcdir|name|expdir|label"
progs=()
if [ $# -gt 0 ]; then
  for a in "$@"; do
    name=$(basename "${a%.py}")
    if [ -f "$here/$name.py" ]; then progs+=("$here|$name|$here|$name")
    else progs+=("$scen_dir|$name|$here/scenarios|scenarios/$name"); fi
  done
else
  for f in "$here"/*.py; do n=$(basename "${f%.py}"); progs+=("$here|$n|$here|$n"); done
  for f in "$scen_dir"/*.py; do
    grep -q '^# reference: documented semantics' "$f" || continue
    n=$(basename "${f%.py}")
    progs+=("$scen_dir|$n|$here/scenarios|scenarios/$n")
  done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..${#progs[@]}"
n=0
failed=0
for entry in "${progs[@]}"; do
  IFS='|' read -r src name exp label <<<"$entry"
  n=$((n + 1))
  notes=()
  code=0
  (cd "$src" && exec timeout 60 "$cli" run "$name.py" --trace "$tmp/t.sqlite") \
    > "$tmp/out" 2> "$tmp/err" < /dev/null || code=$?
  want_code=$(cat "$exp/$name.code" 2>/dev/null || echo 0)
  [ "$code" -eq "$want_code" ] || notes+=("exit status $code, expected $want_code")
  if [ ! -f "$exp/$name.out" ]; then
    notes+=("no expected output $exp/$name.out")
  elif ! cmp -s "$exp/$name.out" "$tmp/out"; then
    notes+=("stdout differs:")
    while IFS= read -r l; do notes+=("  $l"); done < <(diff -u "$exp/$name.out" "$tmp/out" | tail -n +3 | head -n 16)
  fi
  if [ -f "$exp/$name.err" ]; then experr="$exp/$name.err"; else experr=/dev/null; fi
  if ! cmp -s "$experr" "$tmp/err"; then
    notes+=("stderr differs:")
    while IFS= read -r l; do notes+=("  $l"); done < <(diff -u "$experr" "$tmp/err" | tail -n +3 | head -n 16)
  fi
  if [ -f "$exp/$name.events" ]; then
    if ! command -v sqlite3 > /dev/null; then
      notes+=("sqlite3 not found: cannot check $name.events")
    else
      sqlite3 "$tmp/t.sqlite" "SELECT k.name || coalesce(' ' || e.detail, '') FROM events e
        JOIN event_kinds k ON k.id = e.kind
        WHERE k.name LIKE 'greenlet-%' OR k.name LIKE 'generator-%' ORDER BY e.seq" > "$tmp/events" 2>&1
      if ! cmp -s "$exp/$name.events" "$tmp/events"; then
        notes+=("greenlet/generator events differ:")
        while IFS= read -r l; do notes+=("  $l"); done < <(diff -u "$exp/$name.events" "$tmp/events" | tail -n +3 | head -n 16)
      fi
    fi
  fi
  if [ ${#notes[@]} -eq 0 ]; then
    echo "ok $n - $label"
  else
    echo "not ok $n - $label"
    failed=$((failed + 1))
    for l in "${notes[@]}"; do echo "# $l"; done
  fi
done
[ "$failed" -eq 0 ]
