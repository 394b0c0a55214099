#!/bin/sh
# sudoku-before-after.sh - the Arto Inkala Sudoku: before (06ef581, the
# last commit before issue 14, built in /tmp/tvl-before: git archive
# 06ef581 | tar -x -C /tmp/tvl-before, then autoreconf -fi && ./configure
# && make tvl; BEFORE=its tvl) and after (AFTER, default ./tvl), routed
# and dense, three rounds, all under nice -n 10; then the median user
# CPU time of each and the before / after-routed ratio by round and its
# median.  SIDES="before after-routed" leaves the dense runs out.
ex=stdlib/examples/sudoku.tvl    # run from the top of the tree
sides=${SIDES:-before after-routed after-dense}
log=$(mktemp "${TMPDIR:-/tmp}/tvl-sudoku.XXXXXX") || exit 1
out=$log.out
trap 'rm -f "$log" "$out" "$log.time"' EXIT INT TERM
for round in 1 2 3; do
  for which in $sides; do
    case $which in
      before) bin=${BEFORE:-/tmp/tvl-before/tvl}; args= ;;
      after-routed) bin=${AFTER:-./tvl}; args= ;;
      after-dense) bin=${AFTER:-./tvl}; args=--dense ;;
      *) echo "unknown side $which" >&2; exit 2 ;;
    esac
    /usr/bin/time -f "$round $which wall %e s user %U s sys %S s maxrss %M KB" nice -n 10 $bin $args $ex > "$out" 2>"$log.time"
    cmp -s "$out" stdlib/examples/sudoku.expected && ok=same || ok=DIFFERS
    echo "$(tail -1 "$log.time") output $ok" | tee -a "$log"
  done
done
awk '
  { user[$2, $1] = $7; n[$2]++; if ($NF != "same") bad = 1 }
  function median(a, k,    i, j, t) {
    for (i = 2; i <= k; i++)
      for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END {
    for (s in n) {
      for (r = 1; r <= n[s]; r++) v[r] = user[s, r]
      printf "%s: median user %.2f s over %d rounds\n", s, median(v, n[s]), n[s]
    }
    if (n["before"] && n["after-routed"]) {
      line = ""
      for (r = 1; r <= 3; r++) {
        q[r] = user["before", r] / user["after-routed", r]
        line = line sprintf(" %.2f", q[r])
      }
      printf "before / after-routed, user CPU, by round:%s; median %.2f (target: at least 4)\n", line, median(q, 3)
    }
    if (bad) { print "an output differed from sudoku.expected"; exit 1 }
  }' "$log"
