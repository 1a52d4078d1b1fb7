#!/usr/bin/env bash
# regen.sh - checks the model programs marked "# reference: gevent ..."
# against real gevent and greenlet (run by /usr/bin/python3, in real time)
# and, when Loopscope's output agrees, writes it as the expected files.
#
# Real gevent prints real addresses and wall-clock times where Loopscope
# prints made-up addresses and the virtual clock, and CPython 3.11 prints
# the script's absolute path: both sides are compared after those are
# masked.  An expected file is only ever Loopscope's own output, written
# once real gevent has been seen to print the same thing.
#
# Usage: tests/models/regen.sh [--check] CLI [NAME...]
#   --check  only report differences, write nothing
set -uo pipefail
shopt -s nullglob

here=$(cd "$(dirname "$0")" && pwd)
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
if [ $# -lt 1 ]; then
  echo "usage: $0 [--check] CLI [NAME...]" >&2
  exit 2
fi
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
python=${PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import gevent, greenlet' 2> /dev/null; then
  echo "regen.sh: gevent is not importable by $python (apt-get install python3-gevent)" >&2
  exit 2
fi
export TZ=UTC LC_ALL=C.UTF-8

names=()
if [ $# -gt 0 ]; then
  for a in "$@"; do names+=("$(basename "${a%.py}")"); done
else
  for f in "$here"/*.py; do
    grep -q '^# reference: gevent' "$f" && names+=("$(basename "${f%.py}")")
  done
fi

mask() {
  sed -E -e "s|\"$here/|\"|g" \
         -e 's/0x[0-9a-f]{6,}/0x?/g' \
         -e 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z /TIME /'
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
for name in "${names[@]}"; do
  (cd "$here" && timeout 120 "$python" "$name.py") > "$tmp/real.out" 2> "$tmp/real.err" < /dev/null
  real_code=$?
  (cd "$here" && timeout 60 "$cli" run "$name.py") > "$tmp/ls.out" 2> "$tmp/ls.err" < /dev/null
  ls_code=$?
  same=1
  for s in out err; do
    mask < "$tmp/real.$s" > "$tmp/real.$s.m"
    mask < "$tmp/ls.$s" > "$tmp/ls.$s.m"
    if ! cmp -s "$tmp/real.$s.m" "$tmp/ls.$s.m"; then
      same=0
      echo "$name: std$s differs from real gevent:"
      diff -u "$tmp/real.$s.m" "$tmp/ls.$s.m" | tail -n +3 | head -n 30
    fi
  done
  if [ "$real_code" -ne "$ls_code" ]; then
    same=0
    echo "$name: exit status $ls_code, real gevent $real_code"
  fi
  if [ $same -eq 0 ]; then
    bad=$((bad + 1))
    continue
  fi
  echo "$name: same as real gevent"
  if [ $check -eq 0 ]; then
    cp "$tmp/ls.out" "$here/$name.out"
    if [ -s "$tmp/ls.err" ]; then cp "$tmp/ls.err" "$here/$name.err"; else rm -f "$here/$name.err"; fi
    if [ "$ls_code" -ne 0 ]; then echo "$ls_code" > "$here/$name.code"; else rm -f "$here/$name.code"; fi
  fi
done
[ $bad -eq 0 ]
