#!/bin/sh
# errtext.sh - run-time error messages of compiled code are the
# evaluator's, word for word: every one-line program of
# tests/errtext/corpus.scm (made by tests/errtext/make-corpus.py: every
# run-time error the evaluator raises, operands constant and computed) runs
# with --reference and with --transformer --milp 0; stdout, stderr and the
# exit status must be the same.  A program the transformer refuses ("cannot
# compile", "not compiled to the transformer yet") is counted, not failed.
# tests/errtext/KNOWN lists the programs whose compiled error still differs
# (one program a line, as in the corpus): each is reported as an expected
# failure (TAP TODO, automake's XFAIL); a listed program that agrees
# fails, so that the list stays true.
set -u
: "${TVL:?TVL must name the tvl program}"
srcdir=${top_srcdir:-$(dirname "$0")/..}
corpus=$srcdir/tests/errtext/corpus.scm
known=$srcdir/tests/errtext/KNOWN
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-errtext.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# run FIRST STEP: programs FIRST, FIRST+STEP, ... in both modes
run() {
  i=0
  while IFS= read -r line; do
    i=$((i + 1))
    [ $(((i - $1) % $2)) -eq 0 ] || continue
    printf '%s\n' "$line" > "$tmp/p$i.scm"
    (cd "$tmp" && timeout 60 "$TVL" --reference "p$i.scm" > "p$i.ro" 2> "p$i.re"
     echo $? > "p$i.rs"
     timeout 120 "$TVL" --transformer --milp 0 "p$i.scm" > "p$i.co" 2> "p$i.ce"
     echo $? > "p$i.cs")
  done < "$corpus"
}
run 1 2 &
run 2 2 &
wait

n=0 refused=0 listed=0
i=0
while IFS= read -r line; do
  i=$((i + 1))
  n=$((n + 1))
  if grep -Fxq -- "$line" "$known" 2>/dev/null; then inknown=1; else inknown=0; fi
  if cmp -s "$tmp/p$i.ro" "$tmp/p$i.co" && cmp -s "$tmp/p$i.re" "$tmp/p$i.ce" &&
     cmp -s "$tmp/p$i.rs" "$tmp/p$i.cs"; then
    if [ $inknown = 1 ]; then
      echo "not ok $n - agrees now, remove it from tests/errtext/KNOWN: $line"
    else
      echo "ok $n - $line"
    fi
  elif grep -q "cannot compile this into a transformer\|not compiled to the transformer yet\|not in compiled code" "$tmp/p$i.ce"; then
    refused=$((refused + 1))
    echo "ok $n - refused: $line"
  elif [ $inknown = 1 ]; then
    listed=$((listed + 1))
    echo "not ok $n - $line # TODO a known difference (tests/errtext/KNOWN)"
  else
    echo "not ok $n - $line"
    echo "# evaluator (status $(cat "$tmp/p$i.rs")):"
    sed 's/^/#   /' "$tmp/p$i.ro" "$tmp/p$i.re"
    echo "# transformer (status $(cat "$tmp/p$i.cs")):"
    sed 's/^/#   /' "$tmp/p$i.co" "$tmp/p$i.ce"
  fi
done < "$corpus"
echo "# $n programs, $refused refused by the transformer, $listed known differences"
echo "1..$n"
