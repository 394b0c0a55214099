#!/bin/sh
# memory-per-token.sh - peak RSS per token of a loop of 10^6 iterations in
# the transformer (bench-soak --iterations), RUNS times (default 3), each
# in a process of its own (the peak is the process's), then the medians.
# A run keeps what it writes, not its tokens, so the bytes per token fall
# as the run grows longer.  Usage: memory-per-token.sh BENCH_SOAK [RUNS]
set -u
soak=${1:?usage: memory-per-token.sh BENCH_SOAK [RUNS]}
runs=${2:-3}
out=$(mktemp "${TMPDIR:-/tmp}/tvl-mem.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT INT TERM
i=0
while [ "$i" -lt "$runs" ]; do
  i=$((i + 1))
  echo "run $i of $runs"
  "$soak" --iterations 1000000 | tee -a "$out" || exit 1
done
awk '
  /^iterations/ { tok[++n] = $4 }
  /^peak RSS [0-9]/ { peak[n] = $3; per[n] = $(NF - 8) }
  /^peak RSS per token/ { all[n] = $(NF - 1) }
  /^reference evaluator: DIFFERENT/ { bad = 1 }
  function median(a, n,    i, j, t) {
    for (i = 2; i <= n; i++)
      for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    if (!n) { print "no runs"; exit 1 }
    printf "medians of %d runs: %d tokens, peak RSS %.1f MB, %.2f bytes per token over the baseline, %.2f with it\n", n, median(tok, n), median(peak, n), median(per, n), median(all, n)
    if (bad) { print "a run differed from the evaluator"; exit 1 }
  }' "$out"
