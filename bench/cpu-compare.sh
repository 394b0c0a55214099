#!/bin/sh
# cpu-compare.sh OLD NEW [N] - the CPU time (user + system) of two tvl
# builds on the Guile-differential programs that compile (tests/scheme,
# less NOT-COMPILED), run alternately in transformer mode with the list
# schedule (--milp 0), N programs (all by default).  Prints each program's
# CPU seconds for OLD and NEW, then the totals and the median of the
# per-program ratios OLD/NEW.  Both builds must print the same output.
set -u
old=${1:?usage: cpu-compare.sh OLD-TVL NEW-TVL [N]}
new=${2:?usage: cpu-compare.sh OLD-TVL NEW-TVL [N]}
max=${3:-100000}
dir=$(dirname "$0")/../tests/scheme
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cpu-compare.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cpu() { # cpu TVL FILE OUT: CPU seconds of one run
  /usr/bin/time -o "$tmp/t" -f "%U %S" "$1" --milp 0 "$2" > "$3" 2>&1
  awk '{printf "%.2f", $1 + $2}' "$tmp/t"
}
k=0
printf '%-32s %8s %8s %7s\n' program old-cpu new-cpu old/new
for f in "$dir"/*.scm; do
  n=$(basename "$f" .scm)
  grep -q "^$n " "$dir/NOT-COMPILED" && continue
  [ "$k" -ge "$max" ] && break
  k=$((k + 1))
  a=$(cpu "$old" "$f" "$tmp/a")
  b=$(cpu "$new" "$f" "$tmp/b")
  cmp -s "$tmp/a" "$tmp/b" || echo "# $n: the outputs differ" >&2
  echo "$n $a $b" | awk '{printf "%-32s %8.2f %8.2f %7.2f\n", $1, $2, $3, ($3 > 0 ? $2 / $3 : 0)}'
done | tee "$tmp/rows"
med=$(awk '{print $4}' "$tmp/rows" | sort -n |
  awk '{r[NR] = $1} END {if (NR % 2) print r[(NR + 1) / 2]; else print (r[NR / 2] + r[NR / 2 + 1]) / 2}')
awk -v med="$med" '{o += $2; n += $3; c++}
     END {printf "total: %d programs, old %.1f s, new %.1f s CPU (%.2fx); median ratio %s\n",
                 c, o, n, (n > 0 ? o / n : 0), med}' "$tmp/rows"
