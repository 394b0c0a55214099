#!/bin/sh
# run.sh [TVL [NAME...]] - a third outside-style corpus: programs
# written as an outside tester would (classic exercises, closures,
# strings, characters, vectors, quasiquote, errors and exit), without
# looking at tests/scheme, tests/outside or tests/outside2.  NAME.expected is GNU Guile
# 3.0.8's stdout (GUILE_AUTO_COMPILE=0), NAME.expected-status its exit
# status.  Runs each program with the evaluator and in the default
# (transformer) mode and prints one line per program: OK, DIFF (the
# evaluator differs from Guile), REFUSED (the transformer refuses) or
# WRONG (the transformer answers differently from Guile; "as the
# evaluator" when its stdout and status equal the evaluator's).  Not part of make check:
# README lists the result per program on the tree it was written on.
# Usage from the top directory: tests/outside3/run.sh ./tvl [NAME...]
T=${1:-./tvl}
[ $# -gt 0 ] && shift
dir=$(dirname "$0")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-outside3.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
if [ $# -eq 0 ]; then set -- "$dir"/*.scm; fi
for f in "$@"; do
  n=$(basename "$f" .scm)
  f=$dir/$n.scm
  gs=$(cat "$dir/$n.expected-status")
  timeout 300 "$T" --reference "$f" > "$tmp/r" 2>/dev/null; rs=$?
  timeout 300 "$T" "$f" > "$tmp/t" 2> "$tmp/te"; ts=$?
  rv=OK; tv=OK
  if ! cmp -s "$dir/$n.expected" "$tmp/r" || [ "$rs" != "$gs" ]; then rv=DIFF; fi
  if grep -qiE "not compiled|cannot compile" "$tmp/te"; then tv=REFUSED
  elif ! cmp -s "$dir/$n.expected" "$tmp/t" || [ "$ts" != "$gs" ]; then
    tv=WRONG
    if cmp -s "$tmp/r" "$tmp/t" && [ "$rs" = "$ts" ]; then tv="WRONG (as the evaluator)"; fi
  fi
  printf '%-24s evaluator %-5s transformer %s\n' "$n" "$rv" "$tv"
done
