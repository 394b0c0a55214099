#!/bin/sh
# examples.sh - the showcase programs of stdlib/examples (TAP, one test per
# program).  Each NAME.tvl runs twice, in the transformer (tvl's default
# mode) and with --reference; both runs must succeed (status 0, nothing on
# stderr) and print exactly NAME.expected, which was made from Guile's
# output (tvl's own reference evaluator for hello.tvl, whose deftable
# Guile lacks) and reviewed.
#
# Usage: examples.sh [--long | --all]
#   (none)   every example but the long ones (make check)
#   --long   only the long ones: sudoku, about 45 s in the transformer
#            (make check-examples-long)
#   --all    every example
set -u
: "${TVL:?TVL must name the tvl program}" "${top_srcdir:?}"
dir=$top_srcdir/stdlib/examples
long=" sudoku "

which=short
case ${1-} in
  --long) which=long ;;
  --all) which=all ;;
  '') ;;
  *) echo "usage: examples.sh [--long | --all]" >&2; exit 2 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-examples.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

set --
for prog in "$dir"/*.tvl; do
  [ -e "$prog" ] || continue
  name=$(basename "$prog" .tvl)
  case $which:$long in
    short:*" $name "*) continue ;;
    long:*" $name "*) ;;
    long:*) continue ;;
  esac
  set -- "$@" "$prog"
done
if [ $# -eq 0 ]; then
  echo "1..0 # SKIP no examples in $dir"
  exit 0
fi
echo "1..$#"

now() { date +%s; }

n=0
for prog; do
  n=$((n + 1))
  name=$(basename "$prog" .tvl)
  expected=$dir/$name.expected
  problems=
  timing=
  for mode in transformer reference; do
    t0=$(now)
    "$TVL" "--$mode" "$prog" > "$tmp/$mode.out" 2> "$tmp/$mode.err"
    status=$?
    timing="$timing${timing:+, }$mode $(($(now) - t0)) s"
    [ "$status" -eq 0 ] || problems="$problems $mode-status=$status"
    [ -s "$tmp/$mode.err" ] && problems="$problems $mode-stderr"
    if [ -f "$expected" ] && ! cmp -s "$expected" "$tmp/$mode.out"; then
      problems="$problems $mode-differs"
    fi
  done
  [ -f "$expected" ] || problems="$problems no-expected-file"
  if [ -z "$problems" ]; then
    echo "ok $n - $name ($timing)"
    continue
  fi
  echo "not ok $n - $name:$problems"
  for mode in transformer reference; do
    sed "s/^/# $mode stderr: /" "$tmp/$mode.err"
    if [ -f "$expected" ]; then
      diff -u "$expected" "$tmp/$mode.out" | sed "s/^/# $mode: /"
    fi
  done
done
exit 0
