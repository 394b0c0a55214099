#!/bin/sh
# circuit-random.sh - random procedures of the shape circuits compile
# (arithmetic, comparisons, if/and/or/not, table lookups with missing keys,
# symbols), defined and called in check mode: every call's answer (value
# or error kind) must equal the reference evaluator's, and a good part of
# the procedures must have been circuits (docs/circuits.md), so that the
# test exercises them.  TAP; TVL_SEED changes the programs.
: "${TVL:?TVL must name the tvl program}"
if [ -z "${PYTHON:-}" ]; then
  echo "1..0 # SKIP no python3"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-circuit.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
"$PYTHON" - "${TVL_SEED:-20261205}" > "$tmp/prog.tvl" <<'EOF'
import random, re, sys
r = random.Random(int(sys.argv[1]))
syms = ["a", "b", "c", "d", "e"]
keys = sorted(r.sample(range(-3, 9), 6))
print("(deftable ti %s)" % " ".join("(%d %d)" % (k, r.randint(-50, 50)) for k in keys))
print("(deftable ts %s)" % " ".join("(%s %d)" % (s, r.randint(0, 9)) for s in r.sample(syms, 3)))
print("(deftable tb (a #t) (b #f) (c #t))")
print("(deftable td (1 5) (2 -5) (4 0) (else 99))")
def ie(d):
    c = r.randint(0, 12 if d > 0 else 2)
    if c == 0: return r.choice(["x", "y"])
    if c == 1: return str(r.randint(-9, 9))
    if c == 2: return "(ts s)" if r.random() < 0.2 else r.choice(["x", "y", "7"])
    if c == 3: return "(+ %s %s)" % (ie(d - 1), ie(d - 1))
    if c == 4: return "(- %s %s)" % (ie(d - 1), ie(d - 1))
    if c == 5: return "(- %s)" % ie(d - 1)
    if c == 6: return "(* %s %d)" % (ie(d - 1), r.randint(-3, 3))
    if c == 7: return "(* %s %s)" % (ie(d - 1), ie(d - 1))
    if c == 8: return "(ti %s)" % ie(d - 1)
    if c == 9: return "(if %s %s %s)" % (be(d - 1), ie(d - 1), ie(d - 1))
    if c == 10: return "(let ((v %s)) (+ v %s))" % (ie(d - 1), ie(d - 1))
    if c == 11: return "(td %s)" % ie(d - 1)
    return "(+ %s 1)" % ie(d - 1)
def be(d):
    c = r.randint(0, 7 if d > 0 else 1)
    if c == 0: return "(< %s %s)" % (ie(0), ie(0))
    if c == 1: return "(eq? s '%s)" % r.choice(syms)
    if c == 2: return "(= %s %s)" % (ie(d - 1), ie(d - 1))
    if c == 3: return "(not %s)" % be(d - 1)
    if c == 4: return "(and %s %s)" % (be(d - 1), be(d - 1))
    if c == 5: return "(or %s %s)" % (be(d - 1), be(d - 1))
    if c == 6: return "(tb s)"
    return "(>= %s %s)" % (ie(d - 1), ie(d - 1))
args = [-32768, -40, -4, -1, 0, 1, 2, 5, 8, 30, 32767, 40000]
for n in range(40):
    body = be(2) if r.random() < 0.3 else ie(r.randint(1, 3))
    # only the parameters the body uses: the others would have no kind
    params = [v for v in ("x", "y", "s") if re.search(r"\b%s\b" % v, body)]
    print("(define (p%d %s) %s)" % (n, " ".join(params), body))
    for _ in range(4):
        vals = {"x": str(r.choice(args)), "y": str(r.choice(args)),
                "s": "'" + r.choice(syms + ["z"])}
        print("(p%d %s)" % (n, " ".join(vals[v] for v in params)))
EOF
"$TVL" -q --check --milp 0 < "$tmp/prog.tvl" > "$tmp/out" 2>&1
echo "1..2"
defs=$(grep -c '^p[0-9]*: ' "$tmp/out")
circuits=$(grep -c '^p[0-9]*: circuit' "$tmp/out")
if grep -q 'check:' "$tmp/out"; then
  echo "not ok 1 - every call answers as the reference evaluator does"
  grep -B3 'check:' "$tmp/out" | head -n 40 | sed 's/^/# /'
else
  echo "ok 1 - every call answers as the reference evaluator does ($defs procedures)"
fi
if [ "$circuits" -ge 8 ]; then
  echo "ok 2 - $circuits of $defs procedures are circuits"
else
  echo "not ok 2 - only $circuits of $defs procedures are circuits"
fi
