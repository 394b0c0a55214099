#!/bin/sh
# diff-regress.sh - programs on which a differential soak once failed
# (tests/diff-regress/*.scm, each named by the seed that made it), run as
# test-differential runs a generated program: form by form, transformer
# (hull, routed) against the reference evaluator, and brute/dense against
# hull.  One TAP line per program; a failure shows test-differential's
# report.  The soak's seeds change whenever the generator changes, so the
# programs are kept as text.  A program with the line ";; expect: compiled"
# must also be compiled whole: a refused form fails it.
set -u
: "${top_builddir:?}" "${top_srcdir:?}"
TD=$top_builddir/tests/test-differential
set -- "$top_srcdir"/tests/diff-regress/*.scm
echo "1..$#"
n=0
for p; do
  n=$((n + 1))
  name=$(basename "$p" .scm)
  out=$("$TD" --file "$p" 2>&1)
  # ";; expect: compiled" on a line of its own: no form may be refused
  whole=ok
  if grep -q '^;; expect: compiled$' "$p" &&
     ! printf '%s\n' "$out" | grep -q '^# forms: .*; 0 refused;'; then
    whole=
  fi
  if printf '%s\n' "$out" | grep -q '^ok 1 ' && [ -n "$whole" ]; then
    echo "ok $n - $name"
  else
    echo "not ok $n - $name"
    printf '%s\n' "$out" | sed 's/^/# /'
  fi
done
