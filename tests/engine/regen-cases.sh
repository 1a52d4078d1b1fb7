#!/usr/bin/env bash
# Regenerates the expected outputs of the engine's conformance cases with
# the CPython oracle (python 3.12).  Usage: regen-cases.sh [NAME...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${ORACLE:-$here/../../../shared/tools/cpython_oracle.py}
cd "$here/cases"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(*.py)
for py in "${names[@]}"; do
  name=${py%.py}
  status=0
  PYENV_VERSION=3.12.1 python3 "$oracle" "$name.py" --trace "$name.trace" \
    > "$name.out" 2> "$name.err" || status=$?
  [ -s "$name.err" ] || rm -f "$name.err"
  echo "$name: exit $status"
done
