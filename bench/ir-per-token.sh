#!/bin/sh
# ir-per-token.sh - instructions per generated token of the forward pass,
# counted by callgrind (deterministic: other load on the machine does not
# change it), for the bench-scaling loop with K statements, dense and
# routed.  Usage: bench/ir-per-token.sh [TVL] [K...]  (default ./tvl, K =
# 5 20 80 160; about 6,000 tokens per run; needs valgrind).
tvl=${1:-./tvl}
[ $# -gt 0 ] && shift
ks=${*:-5 20 80 160}
command -v valgrind >/dev/null || { echo "ir-per-token.sh: needs valgrind" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-ir.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
printf '%5s %8s %14s %14s %8s\n' K tokens "dense Ir/tok" "routed Ir/tok" "dense/r"
first_r=
for k in $ks; do
  src=$tmp/k$k.scm
  {
    printf '(define (run n) (let ('
    i=0; while [ $i -lt "$k" ]; do printf '(x%d 0)' $i; i=$((i + 1)); done
    printf ') (do ((i 0 (+ i 1))) ((= i n) x%d)' $((k - 1))
    i=0; while [ $i -lt "$k" ]; do printf ' (set! x%d (- i x%d))' $i $i; i=$((i + 1)); done
    printf ')))\n(display (run %d))\n' $((6000 / (k + 2)))
  } > "$src"
  tok=$("$tvl" --stats "$src" 2>&1 | grep -o '[0-9]* tokens' | tail -1 | cut -d' ' -f1)
  for mode in dense routed; do
    opt=; [ $mode = dense ] && opt=--dense
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$mode" \
      --toggle-collect=exec_push "$tvl" $opt "$src" >/dev/null 2>&1
    ir=$(callgrind_annotate "$tmp/cg.$mode" 2>/dev/null | grep 'PROGRAM TOTALS' |
         tr -d ',' | awk '{print $1}')
    eval "ir_$mode=\$((ir / tok))"
  done
  printf '%5d %8d %14d %14d %8.2f\n' "$k" "$tok" "$ir_dense" "$ir_routed" \
    "$(echo "$ir_dense $ir_routed" | awk '{print $1 / $2}')"
  [ -z "$first_r" ] && first_r=$ir_routed
  last_r=$ir_routed
done
echo "$first_r $last_r" | awk '{printf "routed Ir/token, last K / first K: %.2f\n", $2 / $1}'
