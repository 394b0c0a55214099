#!/bin/sh
# ffi-example.sh - runs examples/qsort (a comparator written in tvl, run by
# the transformer through a C function pointer) as one TAP test.
set -u
: "${top_builddir:?}"
echo "1..1"
out=$("$top_builddir/examples/qsort" 2>&1)
status=$?
printf '%s\n' "$out" | sed 's/^/# /'
if [ "$status" -eq 0 ]; then
  echo "ok 1 - examples/qsort: all checks passed"
else
  echo "not ok 1 - examples/qsort (status $status)"
fi
