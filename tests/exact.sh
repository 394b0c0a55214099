#!/bin/sh
# exact.sh - programs on which the transformer once differed from the
# reference evaluator (issue 11): each tests/exact/*.tvl runs in both
# modes, whose stdout, stderr and exit status must be identical, and the
# evaluator's must match FILE.expected (stdout, then "status N", then
# stderr).  A first line ";;; args: ..." gives extra arguments.
#
# A line ";;; texts: D18" marks a program whose error message names
# run-time values (an index, a length, an overflowing product): compiled
# code does not carry them into its ERR token yet (tests/divergences.md,
# D18, open), so the two runs' error lines are compared up to the
# message's first colon (place, "error:", the operation) and the rest is
# shown as a diagnostic.
set -u
: "${TVL:?TVL must name the tvl program}" "${top_srcdir:?}"
dir=$top_srcdir/tests/exact
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-exact.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
set -- "$dir"/*.tvl
echo "1..$#"
n=0
for p; do
  n=$((n + 1))
  name=$(basename "$p" .tvl)
  args=$(sed -n '1s/^;;; args:[ ]*//p' "$p")
  for mode in reference transformer; do
    # shellcheck disable=SC2086 # the header's words are separate arguments
    (cd "$dir" && "$TVL" --$mode $args "$name.tvl" > "$tmp/$mode.out" 2> "$tmp/$mode.err"
     echo "status $?" >> "$tmp/$mode.out")
    cat "$tmp/$mode.err" >> "$tmp/$mode.out"
  done
  if grep -q '^;;; texts: D18' "$p"; then
    for mode in reference transformer; do
      sed 's/^\([^ ]*: error: [^:]*:\).*/\1/' "$tmp/$mode.out" > "$tmp/$mode.cut"
    done
    if cmp -s "$tmp/reference.cut" "$tmp/transformer.cut" &&
       ! cmp -s "$tmp/reference.out" "$tmp/transformer.out"; then
      diff "$tmp/reference.out" "$tmp/transformer.out" | grep '^[<>] .*error:' |
        sed 's/^/# D18, texts differ: /'
      cp "$tmp/reference.out" "$tmp/transformer.out"
    fi
  fi
  if ! cmp -s "$tmp/reference.out" "$tmp/transformer.out"; then
    echo "not ok $n - $name: the transformer differs from the evaluator"
    diff -u "$tmp/reference.out" "$tmp/transformer.out" | sed 's/^/# /'
  elif ! cmp -s "$dir/$name.expected" "$tmp/reference.out"; then
    echo "not ok $n - $name: not what $name.expected says"
    diff -u "$dir/$name.expected" "$tmp/reference.out" | sed 's/^/# /'
  else
    echo "ok $n - $name"
  fi
done
exit 0
