#!/usr/bin/env bash
# doc-queries.sh - every query in docs/trace-format.md runs on real traces.
#
# Usage: doc-queries.sh CLI
#
# Records a few bundled scenarios with `CLI run --trace`, then runs each
# ```sql block of the document with the sqlite3 shell on each trace; a
# query that fails (a renamed column, a view that no longer exists) fails
# the test.  Output is TAP.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cli=$1
doc="$repo/docs/trace-format.md"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

scenarios=(gather_factorial wait_for_timeout taskgroup_failing count_down_sequential)
for s in "${scenarios[@]}"; do
  "$cli" run "$repo/data/scenarios/$s.py" --quiet --trace "$tmp/$s.sqlite" >/dev/null 2>&1
done

# Split the document's sql blocks into files q1.sql, q2.sql ...
awk -v dir="$tmp" '
  /^```sql$/ { n++; file = dir "/q" n ".sql"; inside = 1; next }
  /^```$/ { inside = 0; next }
  inside { print > file }
' "$doc"
queries=("$tmp"/q*.sql)
if [ ${#queries[@]} -eq 0 ]; then
  echo "Bail out! no sql blocks in $doc"
  exit 1
fi

echo "1..$(( ${#queries[@]} * ${#scenarios[@]} ))"
n=0 failed=0
for q in "${queries[@]}"; do
  for s in "${scenarios[@]}"; do
    n=$((n + 1))
    if out=$(sqlite3 -bail "$tmp/$s.sqlite" < "$q" 2>&1) && ! grep -q '^Error\|^Parse error' <<<"$out"; then
      echo "ok $n - $(basename "$q") on $s"
    else
      echo "not ok $n - $(basename "$q") on $s"
      sed 's/^/# /' <<<"$out" | head -5
      failed=$((failed + 1))
    fi
  done
done
[ $failed -eq 0 ]
