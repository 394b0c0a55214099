#!/bin/sh
# bignum.sh - the reference evaluator's integers past 32 bits (--bignum,
# experimental: docs/bignum.md) against GNU Guile, on random
# expressions: an awk generator writes, per seed, a program of forms that
# each print one result (sums, differences, products, the divisions,
# gcd, lcm, expt, ash, logand, logior, logxor, lognot, exact /, floor/, truncate/, exact-integer-sqrt,
# abs, min, max, the comparisons and predicates,
# number->string in radix 2 to 36, string->number) over operands from a
# few digits to about 60, of both signs, often past 32 bits (literals,
# quoted literals and (string->number "DIGITS")).  Guile and `tvl
# --bignum --reference` must print the same text.  Divisors are kept
# non-zero so that every form prints.
#
# Then each program of tests/bignum/*.scm (factorials, Fibonacci numbers,
# sums past 32 bits...) must print what Guile prints.
#
# BIGNUM_SEEDS (default "1 2 3 4 5 6"), BIGNUM_FORMS (default 400) change
# the run; a failure names its seed, and the first differing line.
set -u
: "${TVL:?TVL must name the tvl program}" "${top_srcdir:?}"
guile=${GUILE:-}
if [ -z "$guile" ] || ! "$guile" --version >/dev/null 2>&1; then
  echo "1..0 # SKIP GUILE not set or not runnable"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-bignum.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
seeds=${BIGNUM_SEEDS:-1 2 3 4 5 6}
forms=${BIGNUM_FORMS:-400}
set -- $seeds
programs=$(ls "$top_srcdir"/tests/bignum/*.scm)
echo "1..$(($# + $(echo "$programs" | wc -l)))"

gen() {
  awk -v seed="$1" -v forms="$2" '
  function r(n) { return int(rand() * n) }
  function digits(n,   s, i) {
    s = 1 + r(9)
    for (i = 1; i < n; i++) s = s r(10)
    return s
  }
  # a leaf: a small integer, a 32-bit edge, or a big one from its digits
  function leaf(   k, s) {
    k = r(10)
    if (k < 3) return (r(2) ? "-" : "") r(1000)
    if (k == 3) return (r(2) ? "2147483647" : "-2147483648")
    if (k == 4) return (r(2) ? "" : "-") digits(5 + r(5))
    # near a power of the limb base 2^15: long runs of full or empty
    # limbs, where long division must correct its estimated digits
    if (k == 5) return "(" (r(2) ? "-" : "+") " (expt 2 " (15 * (2 + r(8)) + r(3) - 1) ") " r(40) ")"
    s = (r(2) ? "-" : "") digits(10 + r(50))
    if (k == 6) return s
    if (k == 7) return "(quote " s ")"
    return "(string->number \"" s "\")"
  }
  function nonzero(e) { return "(let ((d " e ")) (if (zero? d) 7 d))" }
  function num(d,   k, op, cmp) {
    if (d <= 0 || r(10) < 3) return leaf()
    k = r(22)
    if (k < 3) return "(+ " num(d-1) " " num(d-1) (r(3) ? "" : " " num(d-1)) ")"
    if (k < 5) return "(- " num(d-1) (r(4) ? " " num(d-1) : "") ")"
    if (k < 7) return "(* " num(d-1) " " num(d-1) ")"
    if (k == 7) { op = r(2) ? "quotient" : "remainder"
                  return "(" op " " num(d-1) " " nonzero(num(d-1)) ")" }
    if (k == 8) return "(modulo " num(d-1) " " nonzero(num(d-1)) ")"
    if (k == 9) { op = r(2) ? "floor-quotient" : "floor-remainder"
                  return "(" op " " num(d-1) " " nonzero(num(d-1)) ")" }
    if (k == 10) return "(abs " num(d-1) ")"
    if (k == 11) return "(" (r(2) ? "min" : "max") " " num(d-1) " " num(d-1) ")"
    if (k == 12) return "(gcd " num(d-1) " " num(d-1) ")"
    if (k == 13) return "(lcm " leaf() " " leaf() ")"
    if (k == 14) return "(expt " leaf() " " r(6) ")"
    if (k == 15) return "(" (r(2) ? "1+" : "1-") " " num(d-1) ")"
    if (k == 16) return "(string->number (number->string " num(d-1) "))"
    if (k == 17) return "(truncate-quotient " num(d-1) " " nonzero(num(d-1)) ")"
    if (k == 18) return "(ash " num(d-1) " " (r(140) - 70) ")"
    if (k == 19) { split("logand logior logxor", cmp, " ")
                   return "(" cmp[1 + r(3)] " " num(d-1) " " num(d-1) (r(3) ? "" : " " num(d-1)) ")" }
    if (k == 20) return "(lognot " num(d-1) ")"
    # an exact division: a product by one of its factors
    return "(let ((y " nonzero(num(d-1)) ")) (/ (* " num(d-1) " y) y))"
  }
  function form(   k, cmp) {
    k = r(10)
    if (k < 5) return num(3)
    if (k < 7) { split("= < > <= >=", cmp, " ")
                 return "(" cmp[1 + r(5)] " " num(2) " " num(2) (r(3) ? "" : " " num(2)) ")" }
    if (k == 7) { split("zero? positive? negative? even? odd? integer?", cmp, " ")
                  return "(" cmp[1 + r(6)] " " num(2) ")" }
    if (k == 8) { k = r(3)
                  if (k == 0) return "(number->string " num(2) " " (2 + r(35)) ")"
                  if (k == 1) return "(call-with-values (lambda () (exact-integer-sqrt (abs " num(2) "))) list)"
                  return "(call-with-values (lambda () (" (r(2) ? "floor/" : "truncate/") " " num(2) " " nonzero(num(2)) ")) list)" }
    return "(let ((x " num(2) ")) (list (eqv? x " num(1) ") (equal? (list x) (list (+ x 0))) (eqv? x (- (+ x 1) 1))))"
  }
  BEGIN {
    srand(seed)
    for (i = 0; i < forms; i++) print "(write " form() ")\n(newline)"
  }'
}

n=0
for seed; do
  n=$((n + 1))
  gen "$seed" "$forms" > "$tmp/p.scm"
  GUILE_AUTO_COMPILE=0 "$guile" "$tmp/p.scm" > "$tmp/guile.out" 2>&1
  "$TVL" --bignum --reference "$tmp/p.scm" > "$tmp/tvl.out" 2>&1
  if cmp -s "$tmp/guile.out" "$tmp/tvl.out"; then
    echo "ok $n - seed $seed: $forms forms as Guile prints them"
  else
    echo "not ok $n - seed $seed: tvl --bignum --reference differs from Guile"
    line=$(cmp "$tmp/guile.out" "$tmp/tvl.out" | sed -n 's/.* line \([0-9]*\).*/\1/p')
    line=${line:-1}
    echo "# form: $(sed -n "$((2 * line - 1))p" "$tmp/p.scm")"
    echo "# guile: $(sed -n "${line}p" "$tmp/guile.out")"
    echo "# tvl:   $(sed -n "${line}p" "$tmp/tvl.out")"
  fi
done

for p in $programs; do
  n=$((n + 1))
  name=$(basename "$p" .scm)
  GUILE_AUTO_COMPILE=0 "$guile" "$p" > "$tmp/guile.out" 2>&1
  echo "status $?" >> "$tmp/guile.out"
  "$TVL" --bignum --reference "$p" > "$tmp/tvl.out" 2>&1
  echo "status $?" >> "$tmp/tvl.out"
  if cmp -s "$tmp/guile.out" "$tmp/tvl.out"; then
    echo "ok $n - $name as Guile prints it"
  else
    echo "not ok $n - $name: tvl --bignum --reference differs from Guile"
    diff "$tmp/guile.out" "$tmp/tvl.out" | sed 's/^/# /'
  fi
done
exit 0
