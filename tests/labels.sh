#!/bin/sh
# labels.sh - a slot's name at a half-layer is the value it holds there
# (TAP).  For every procedure of every program in stdlib/examples, the
# live ranges :slots prints are the reference: at most one value is live
# in a slot at any half-layer, and every other view names that value there:
#   - the per-half-layer names of :export's metadata (tvl.meta's
#     slot_names_by_half) and of :trace --json (model.slot_names_by_half);
#   - the residual :trace --resid prints after each layer;
#   - the slots :weights names in each layer's heads and units.
# And the names are checked against the activations themselves: in a
# traced run, a slot that holds a non-zero number after a layer has a
# name there (a slot named as holding nothing holds 0).
#
# Only the definitions of each script are loaded (its top-level
# expressions can run for minutes); its procedures called with constant
# arguments at top level are traced for a few hundred tokens.
set -u
: "${TVL:?TVL must name the tvl program}" "${top_srcdir:?}"

if [ -z "${PYTHON:-}" ] || ! "$PYTHON" -c 'import json' >/dev/null 2>&1; then
  echo "1..0 # SKIP python3 not available"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-labels.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_HISTFILE=$tmp/history
export TVL_HISTFILE

# not exec: the EXIT trap must remove $tmp
"$PYTHON" - "$top_srcdir" "$TVL" "$tmp" <<'PY'
import glob, json, os, re, struct, subprocess, sys

srcdir, tvl, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
results = []


def tap(ok, what):
    results.append((ok, what))


sys.path.insert(0, os.path.join(srcdir, "tests"))
from tvl_forms import forms  # noqa: E402


def half(text, n_layers):
    if text == "in":
        return -1
    if text == "out":
        return 2 * n_layers
    m = re.fullmatch(r"L(\d+)([af])", text)
    return 2 * int(m.group(1)) + (m.group(2) == "f")


def parse_slots(text):
    """:slots NAME: per slot, a list of (name, from, to)."""
    lines = text.splitlines()
    m = re.match(r".*: (?:circuit, )?d_model (\d+), (\d+) layers?", lines[0])
    d, nl = int(m.group(1)), int(m.group(2))
    slots = {}
    for line in lines[1:1 + d]:
        m = re.match(r"\s*(\d+) (.*)$", line)
        s, rest = int(m.group(1)), m.group(2)
        ents = []
        for e in re.finditer(r"(.*?) \[(in|out|L\d+[af])\.\.(in|out|L\d+[af])\](?:, |$)", rest):
            ents.append((e.group(1), half(e.group(2), nl), half(e.group(3), nl)))
        slots[s] = ents
    return d, nl, slots


def expected(d, nl, slots):
    """The live value of every slot in the residual after every half-layer
    (or None): born at or before it, read after it; and the half-layers
    where two values are live in one slot."""
    exp, clashes = {}, []
    for s in range(d):
        for t in range(-1, 2 * nl):
            during = [n for (n, a, b) in slots.get(s, []) if a <= t <= b]
            if len(during) > 1:
                clashes.append((s, t, during))
            live = [n for (n, a, b) in slots.get(s, []) if a <= t < b]
            exp[(s, t)] = live[0] if live else None
    return exp, clashes


def check_by_half(where, by_half, d, nl, exp):
    """slot_names_by_half against :slots: the live value where there is
    one; otherwise nothing or a value marked dead."""
    bad = []
    if len(by_half) != 2 * nl + 1:
        return ["%s: %d residuals named, want %d" % (where, len(by_half), 2 * nl + 1)]
    for t in range(-1, 2 * nl):
        row = by_half[t + 1]
        if len(row) != d:
            bad.append("%s: %d names after %d" % (where, len(row), t))
            continue
        for s in range(d):
            want, got = exp[(s, t)], row[s]
            if want is not None and got != want:
                bad.append("%s: slot %d after half %d is %r, :slots says %r" % (where, s, t, got, want))
            if want is None and got and not got.endswith(" (dead)"):
                bad.append("%s: slot %d after half %d is %r, :slots says nothing is live" % (where, s, t, got))
    return bad


def refs(line, slots):
    """The [SLOT NAME] references of a line, NAME among slot's names."""
    out = []
    for m in re.finditer(r"\[(\d+) ", line):
        s = int(m.group(1))
        rest = line[m.end():]
        names = sorted({n for (n, a, b) in slots.get(s, [])}, key=len, reverse=True)
        hit = next((n for n in names if rest.startswith(n + "]")), None)
        out.append((s, hit, rest[:40]))
    return out


def check_weights(text, d, nl, slots):
    bad, layer = [], None
    for line in text.splitlines():
        m = re.match(r"layer (\d+):", line)
        if m:
            layer = int(m.group(1))
            continue
        if line.startswith("embedding:"):
            layer = -1
            continue
        if layer is None:
            continue
        times = {-1} if layer == -1 else {2 * layer, 2 * layer + 1}
        for s, name, rest in refs(line, slots):
            if name is None:
                bad.append(":weights names slot %d %r, a value :slots does not put there" % (s, rest))
                continue
            if not any(n == name and a <= t <= b
                       for (n, a, b) in slots[s] for t in times):
                bad.append(":weights layer %d: [%d %s] is not live there" % (layer, s, name))
    return bad


def resid_bad(text, d, nl, exp):
    bad = []
    for m in re.finditer(r"resid after L(\d+):(.*)", text):
        l = int(m.group(1))
        for e in re.finditer(r"\[(\d+) (.*?)\]=(\S+)", m.group(2)):
            s, name = int(e.group(1)), e.group(2)
            want = exp[(s, 2 * l + 1)]
            if want is not None and name != want:
                bad.append("--resid after L%d: slot %d is %r, :slots says %r" % (l, s, name, want))
            if want is None and not name.endswith(" (dead)"):
                bad.append("--resid after L%d: slot %d (= %s) is %r, :slots says nothing is live"
                           % (l, s, e.group(3), name))
    return bad


def trace_bad(tr, nl):
    """Non-zero activations in slots named as holding nothing."""
    bad = []
    names = tr["model"]["slot_names_by_half"]
    for st in tr["statements"]:
        for p in st["positions"]:
            for l in range(nl):
                r = p["blocks.%d.hook_resid_post" % l]
                for s, x in enumerate(r):
                    if x != 0 and not names[2 * l + 2][s]:
                        bad.append("position %d: slot %d after L%d holds %r but is named as empty"
                                   % (p["pos"], s, l, x))
    return bad


def meta_of(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        head = json.loads(f.read(n))
    return json.loads(head["__metadata__"]["tvl.meta"])


def run(lines):
    return subprocess.run([tvl, "-q", "--milp", "0"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, timeout=900).stdout


seed = ["(deftable lookup (A 2) (B 5) (C 9))", "(define (f x) (+ (lookup x) 1))",
        "(define (f2 x) (let* ((y (lookup x)) (z (+ y 1))) (display y) z))",
        "(f 'B)", "(f2 'C)"]
programs = [("seed", seed)]
for path in sorted(glob.glob(os.path.join(srcdir, "stdlib", "examples", "*.tvl"))):
    with open(path) as f:
        programs.append((os.path.basename(path)[:-4], forms(f.read())))

SEP = "@@@ %s"
for prog, fs in programs:
    defs = [f for f in fs if re.match(r"\((define|deftable)\b", f)]
    procs = [m.group(1) for f in defs for m in [re.match(r"\(define \(([^\s()]+)", f)] if m]
    calls = [f for f in fs if not re.match(r"\((define|deftable|set!)\b", f)
             and re.match(r"\(([^\s()]+)( [-0-9'a-zA-Z#]+)*\)$", f)
             and re.match(r"\(([^\s()]+)", f).group(1) in procs][:2]
    lines = list(defs) + [":limit steps 400"]
    for name in procs:
        lines += ["(display \"%s\\n\")" % (SEP % ("slots " + name)), ":slots %s --all" % name,
                  "(display \"%s\\n\")" % (SEP % ("weights " + name)), ":weights " + name,
                  ":export %s %s/%s-%s.safetensors" % (name, tmp, prog, name)]
    for k, c in enumerate(calls):
        lines += ["(display \"%s\\n\")" % (SEP % ("resid %d" % k)), ":trace --resid --steps 2 " + c,
                  ":trace --json --steps 2 %s > %s/%s-trace%d.json" % (c, tmp, prog, k)]
    out = run(lines)
    parts = {}
    for chunk in out.split("@@@ ")[1:]:
        key, _, body = chunk.partition("\n")
        parts[key.strip()] = body
    info = {}
    for name in procs:
        key = "slots " + name
        if key not in parts or "d_model" not in parts[key]:
            tap(False, "%s: %s: :slots printed nothing" % (prog, name))
            continue
        d, nl, slots = parse_slots(parts[key].split("@@@")[0])
        exp, clashes = expected(d, nl, slots)
        info[name] = (d, nl, slots, exp)
        tap(not clashes, "%s: %s: one live value per slot at a time %s" %
            (prog, name, "" if not clashes else ": %r" % clashes[:3]))
        bad = check_weights(parts.get("weights " + name, ""), d, nl, slots)
        tap(not bad, "%s: %s: :weights names live values%s" % (prog, name, "; ".join(bad[:3])))
        path = "%s/%s-%s.safetensors" % (tmp, prog, name)
        if os.path.exists(path):
            meta = meta_of(path)
            bad = check_by_half("export", meta.get("slot_names_by_half", []), d, nl, exp)
            tap(not bad, "%s: %s: exported per-half-layer names%s" % (prog, name, "; ".join(bad[:3])))
        else:
            tap(False, "%s: %s: not exported" % (prog, name))
    for k, c in enumerate(calls):
        fn = re.match(r"\(([^\s()]+)", c).group(1)
        if fn not in info:
            continue
        d, nl, slots, exp = info[fn]
        path = "%s/%s-trace%d.json" % (tmp, prog, k)
        try:
            with open(path) as f:
                tr = json.load(f)
        except (OSError, ValueError) as e:
            tap(False, "%s: %s: no trace (%s)" % (prog, c, e))
            continue
        bad = check_by_half("trace --json", tr["model"]["slot_names_by_half"], d, nl, exp)
        bad += trace_bad(tr, nl)
        bad += resid_bad(parts.get("resid %d" % k, ""), d, nl, exp)
        tap(not bad and tr["statements"], "%s: %s: trace names agree with :slots and the activations%s"
            % (prog, c, "; ".join(bad[:3])))

print("1..%d" % len(results))
for i, (ok, what) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what.replace("\n", " ")))
PY
