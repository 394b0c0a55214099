#!/bin/sh
# closure-tail.sh - tail calls through closures need no depth: the tokens
# (and the evaluator's answer) of bench/closures/tail-loop.scm (a loop of
# 1,000,000 iterations through a closure in tail position) and
# mutual-tail.scm (two closures calling each other in tail position,
# 100,000 deep), both compiled into the transformer and run under a depth
# limit of 100.  Usage: bench/closure-tail.sh [TVL]  (default ./tvl; the
# loop takes about a minute).
tvl=${1:-./tvl}
dir=$(dirname "$0")/closures
printf '%-16s %12s %10s %s\n' program tokens "wall s" "output = evaluator's"
status=0
for p in tail-loop mutual-tail; do
  want=$("$tvl" --reference --max-depth 100 "$dir/$p.scm" 2>&1)
  start=$(date +%s.%N)
  out=$("$tvl" --transformer --max-depth 100 --stats "$dir/$p.scm" 2>&1)
  end=$(date +%s.%N)
  got=$(printf '%s\n' "$out" | grep -v '^;' | grep -v '^$')
  tok=$(printf '%s\n' "$out" | grep -o '^; [0-9]* tokens' | awk '{ if ($2 > m) m = $2 } END { print m }')
  same=no
  [ "$got" = "$want" ] && same=yes || status=1
  printf '%-16s %12s %10.1f %s\n' "$p" "$tok" "$(echo "$end - $start" | bc)" "$same"
done
exit $status
