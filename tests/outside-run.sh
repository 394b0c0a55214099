#!/bin/sh
# outside-run.sh DIR [TVL [NAME...]] - run an outside-style corpus (the
# tests/outside* directories): each DIR/NAME.scm against NAME.expected
# (GNU Guile 3.0.8's stdout, GUILE_AUTO_COMPILE=0) and NAME.expected-status
# (its exit status).  One line per program: the evaluator's verdict (same /
# DIFF) and the default mode's (same / REFUSED when stderr says the
# compiler refuses / WRONG; "WRONG=ref" when the transformer only repeats
# the evaluator's difference).  A WRONG without =ref would be a compiler
# bug; a WRONG whose status is 0 is a silent wrong answer.  Not part of
# make check: each corpus's run.sh calls this with its own directory.
here=$1
shift
tvl=${1:-./tvl}
[ $# -gt 0 ] && shift
work=$(mktemp -d "${TMPDIR:-/tmp}/tvl-outside.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
[ $# -eq 0 ] && set -- "$here"/*.scm
for prog in "$@"; do
  name=$(basename "$prog" .scm)
  prog=$here/$name.scm
  want=$(cat "$here/$name.expected-status")
  timeout 300 "$tvl" --reference "$prog" > "$work/ref" 2> /dev/null
  rstat=$?
  timeout 300 "$tvl" "$prog" > "$work/tx" 2> "$work/tx.err"
  tstat=$?
  ev=same
  cmp -s "$here/$name.expected" "$work/ref" && [ "$rstat" = "$want" ] || ev=DIFF
  tx=same
  if grep -q -i -E "not compiled|cannot compile|compiled code cannot" "$work/tx.err"; then
    tx=REFUSED
  elif ! cmp -s "$here/$name.expected" "$work/tx" || [ "$tstat" != "$want" ]; then
    tx=WRONG
    cmp -s "$work/ref" "$work/tx" && [ "$rstat" = "$tstat" ] && tx=WRONG=ref
  fi
  printf '%-28s evaluator %-5s transformer %s\n' "$name" "$ev" "$tx"
done
