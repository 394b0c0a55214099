#!/bin/sh
# scheme.sh - differential tests: every tests/scheme/*.scm is a program in
# the common ground of tvl and Guile 3.  tvl must run it cleanly (status 0,
# nothing on stderr) and print exactly FILE.expected, which was made once
# from Guile's output and reviewed.  When $GUILE names a Guile, its live
# output must match too, so a change in either side is caught.
#
# Each program runs twice: with the reference evaluator (the language), and
# compiled into a transformer (the default mode), which must print the same.
# tests/scheme/NOT-COMPILED lists the programs compiled code refuses, each
# with the reason; for those the transformer run must fail with a clear
# compile error, having printed no more than a beginning of the expected
# output (and a program that starts compiling must leave the list).
#
# Guile runs in the C.UTF-8 locale (always present on Debian): in the C
# locale it writes non-ASCII characters as escapes (#\1673, "caf\xe9"),
# and the expected files hold Guile's UTF-8 output.
#
# A program whose first line is ";;; expect: error" ends in a run-time
# error (a kind error, say): Guile and tvl must both exit with a failure
# status after printing the same output; the error texts may differ.
set -u
: "${TVL:?TVL must name the tvl program}" "${top_srcdir:?}"
dir=$top_srcdir/tests/scheme
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-scheme.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

guile=${GUILE:-}
if [ -n "$guile" ] && ! "$guile" --version >/dev/null 2>&1; then
  guile=
fi

set -- "$dir"/*.scm
if [ ! -e "$1" ]; then
  echo "1..0 # SKIP no programs in $dir"
  exit 0
fi
echo "1..$(($# * 2))"
refused() { grep -q "^$1 " "$dir/NOT-COMPILED" 2>/dev/null; }
fails() { head -n 1 "$1" | grep -q '^;;; expect: error'; }
# is file $1 a beginning of file $2?
prefix_of() {
  size=$(wc -c < "$1")
  head -c "$size" "$2" | cmp -s - "$1"
}
[ -n "$guile" ] || echo "# GUILE not set or not runnable: comparing with the .expected files only"

# transformer PROG NAME: the compiled run, as TAP test number $n + 1
transformer() {
  m=$n
  # the list schedule: the MILP is tested by test-milp, and costs a
  # second per definition here
  "$TVL" --transformer --milp 0 "$1" > "$tmp/tx.out" 2> "$tmp/tx.err"
  tstatus=$?
  if refused "$2"; then
    if [ "$tstatus" -ne 0 ] && grep -q -E "compiled code|not supported in compiled code|cannot compile|not compiled to the transformer yet" "$tmp/tx.err" &&
       prefix_of "$tmp/tx.out" "${1%.scm}.expected"; then
      echo "ok $m - $2 (transformer refuses it: $(sed -n "s/^$2 //p" "$dir/NOT-COMPILED"))"
    else
      echo "not ok $m - $2 (transformer): listed in NOT-COMPILED but status $tstatus, or other output"
      sed 's/^/# /' "$tmp/tx.err"
      diff -u "${1%.scm}.expected" "$tmp/tx.out" | sed 's/^/# /'
    fi
  elif fails "$1" && [ "$tstatus" -ne 0 ] && [ -s "$tmp/tx.err" ] && cmp -s "${1%.scm}.expected" "$tmp/tx.out"; then
    echo "ok $m - $2 (transformer, fails as expected)"
  elif ! fails "$1" && [ "$tstatus" -eq 0 ] && [ ! -s "$tmp/tx.err" ] && cmp -s "${1%.scm}.expected" "$tmp/tx.out"; then
    echo "ok $m - $2 (transformer)"
  else
    echo "not ok $m - $2 (transformer): status $tstatus"
    sed 's/^/# stderr: /' "$tmp/tx.err"
    diff -u "${1%.scm}.expected" "$tmp/tx.out" | sed 's/^/# /'
  fi
}

n=0
for prog; do
  n=$((n + 2))
  name=$(basename "$prog" .scm)
  problems=
  "$TVL" --reference "$prog" > "$tmp/tvl.out" 2> "$tmp/tvl.err"
  status=$?
  if fails "$prog"; then
    [ "$status" -eq 1 ] || problems="$problems tvl-status=$status(want-1)"
    [ -s "$tmp/tvl.err" ] || problems="$problems no-tvl-error"
  else
    [ "$status" -eq 0 ] || problems="$problems tvl-status=$status"
    [ -s "$tmp/tvl.err" ] && problems="$problems tvl-stderr"
  fi
  if [ ! -f "${prog%.scm}.expected" ]; then
    problems="$problems no-expected-file"
  elif ! cmp -s "${prog%.scm}.expected" "$tmp/tvl.out"; then
    problems="$problems differs-from-expected"
  fi
  if [ -n "$guile" ]; then
    # Guile may warn on stderr (e.g. about compilation); only stdout counts.
    (cd "$tmp" && LC_ALL=C.UTF-8 "$guile" --no-auto-compile -s "$prog" > "$tmp/guile.out" 2> "$tmp/guile.err")
    gstatus=$?
    if fails "$prog"; then
      [ "$gstatus" -ne 0 ] || problems="$problems guile-did-not-fail"
    else
      [ "$gstatus" -eq 0 ] || problems="$problems guile-status=$gstatus"
    fi
    cmp -s "$tmp/guile.out" "$tmp/tvl.out" || problems="$problems differs-from-guile"
  fi
  if [ -z "$problems" ]; then
    echo "ok $((n - 1)) - $name (reference)"
    transformer "$prog" "$name"
    continue
  fi
  echo "not ok $((n - 1)) - $name (reference):$problems"
  sed 's/^/# tvl stderr: /' "$tmp/tvl.err"
  if [ -f "${prog%.scm}.expected" ]; then
    diff -u "${prog%.scm}.expected" "$tmp/tvl.out" | sed 's/^/# /'
  fi
  if [ -n "$guile" ]; then
    diff -u "$tmp/guile.out" "$tmp/tvl.out" | sed 's/^/# guile vs tvl: /'
    sed 's/^/# guile stderr: /' "$tmp/guile.err"
  fi
  transformer "$prog" "$name"
done
exit 0
