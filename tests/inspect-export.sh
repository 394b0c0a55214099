#!/bin/sh
# inspect-export.sh - :export and tools/tvl_run.py (TAP).  Every program a
# script in stdlib/examples runs (each top-level expression, and the value
# of each variable definition) is exported with :export just before tvl
# runs it, and the numpy runner must print exactly what tvl printed:
# the outputs of the exported programs, in order, are the script's output.
# Programs of more than $TVL_NUMPY_TOKENS tokens (default 20000; tvl's
# --stats counts them) are exported but not run under numpy, with the
# reason stated (the Sudoku solve is 3.2 million tokens: hours in numpy);
# the outputs around them must still match.  Also: a value printed as the
# REPL prints it, and a runtime error's message, against tvl -e.
set -u
: "${TVL:?TVL must name the tvl program}" "${top_srcdir:?}"

if [ -z "${PYTHON:-}" ] || ! "$PYTHON" -c 'import numpy' >/dev/null 2>&1; then
  echo "1..0 # SKIP numpy not available"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-export.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_HISTFILE=$tmp/history
export TVL_HISTFILE

exec "$PYTHON" - "$top_srcdir" "$TVL" "$tmp" "${TVL_NUMPY_TOKENS:-20000}" <<'PY'
import glob, json, os, re, struct, subprocess, sys

srcdir, tvl, tmp, budget = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
runner = os.path.join(srcdir, "tools", "tvl_run.py")
results = []


def tap(ok, what, skip=None):
    results.append((ok, what, skip))


def forms(text):
    """Top-level forms, comments dropped, each on one line."""
    out, cur, depth, i, n = [], [], 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == ";":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c in " \t\r\n":
            if depth == 0 and cur:
                out.append("".join(cur).strip())
                cur = []
            elif cur and cur[-1] != " ":
                cur.append(" ")
            i += 1
            continue
        depth += {"(": 1, ")": -1}.get(c, 0)
        cur.append(c)
        i += 1
        if depth == 0 and c == ")":
            out.append("".join(cur).strip())
            cur = []
    if cur:
        out.append("".join(cur).strip())
    return [f for f in out if f]


def program_of(form):
    """The expression tvl compiles and runs for a top-level form, and
    whether it prints a stats line (expressions do, definitions do not)."""
    m = re.match(r"\(define\s+([^\s()]+)\s+(.*)\)$", form)
    if m:
        value = m.group(2)
        return (None if value.startswith("(lambda") else value), False
    if re.match(r"\((define|deftable)[\s(]", form):
        return None, False
    return form, True


def numpy_run(path, *extra):
    return subprocess.run([sys.executable, runner, path] + list(extra),
                          capture_output=True, text=True)


# Examples whose last form runs for minutes even in C (tests/examples.sh
# runs them in make check-examples-long): that form is exported but not
# run, and tvl's output is taken from NAME.expected, which examples.sh
# checks tvl against.
LONG = {"sudoku": "the solve is about 3.2 million tokens: a minute in tvl, "
                  "hours under numpy"}


def example(path):
    name = os.path.basename(path)[:-4]
    if name in LONG:
        want = subprocess.CompletedProcess([], 0, open(path[:-4] + ".expected").read(), "")
    else:
        want = subprocess.run([tvl, path], capture_output=True, text=True)
    lines, progs = [], []
    all_forms = forms(open(path).read())
    for k, form in enumerate(all_forms):
        expr, stats = program_of(form)
        last_long = name in LONG and k == len(all_forms) - 1
        if expr is not None:
            f = os.path.join(tmp, "%s-%d.safetensors" % (name, len(progs)))
            wrapped = expr if expr.startswith("(") else "(begin %s)" % expr
            lines.append(":export %s %s" % (wrapped, f))
            progs.append([f, stats and not last_long, -1 if last_long else None])
        if not last_long:
            lines.append(form)
    run = subprocess.run([tvl, "--stats", "-q"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True)
    counts = [int(c) for c in re.findall(r"; (\d+) tokens? \u00b7", run.stdout)]
    k = 0
    for p in progs:
        if p[1]:
            p[2] = counts[k] if k < len(counts) else None
            k += 1
    exported = all(os.path.exists(p[0]) for p in progs)
    tap(want.returncode == 0 and run.returncode == 0 and exported,
        "%s: tvl runs it and exports its %d programs" % (name, len(progs)))
    if not exported:
        sys.stdout.write("# " + run.stderr.replace("\n", "\n# ") + "\n")
        return
    pieces, skipped = [], []
    for i, (f, _, tokens) in enumerate(progs):
        if tokens == -1 or (tokens is not None and tokens > budget):
            skipped.append("program %d (%s)" % (i, LONG[name] if tokens == -1
                                                 else "%d tokens" % tokens))
            pieces.append(None)
            continue
        r = numpy_run(f, "--no-result", "--max-new", str(2 * budget))
        if r.returncode != 0:
            tap(False, "%s: numpy runs program %d" % (name, i))
            sys.stdout.write("# " + r.stderr.replace("\n", "\n# ") + "\n")
            return
        pieces.append(r.stdout)
    compare(name, want.stdout, pieces, skipped)


def compare(name, want, pieces, skipped):
    """The pieces, in order, make up want; a skipped piece (None) may be
    any text."""
    parts = "".join("\0" if p is None else p for p in pieces).split("\0")
    if len(parts) == 1:
        ok = want == parts[0]
    else:
        ok = want.startswith(parts[0]) and want.endswith(parts[-1]) and \
            len(parts[0]) + len(parts[-1]) <= len(want)
    at = len(parts[0])
    for mid in parts[1:-1]:
        at = want.find(mid, at) if ok else -1
        ok = ok and at >= 0
        at += len(mid)
    what = "%s: numpy prints what tvl printed (%d bytes)" % (name, len(want))
    if skipped:
        what += "; not run under numpy (budget %d tokens): %s" % (budget, ", ".join(skipped))
    tap(ok, what)
    if not ok:
        sys.stdout.write("# tvl:   %r\n# numpy: %r\n" % (want[:300], parts))


def value_and_error():
    """A value as the REPL prints it, and a runtime error, against tvl -e."""
    cases = [("value", "(begin (display \"x=\") (* 6 7))"),
             ("vector", "(let ((v (make-vector 3 'a))) (vector-set! v 1 #t) v)"),
             ("string", "(begin (display 12) \"s\")"),
             ("error", "(begin (display \"before\") (vector-ref (vector 1 2) (+ 1 4)))")]
    for what, expr in cases:
        f = os.path.join(tmp, "%s.safetensors" % what)
        want = subprocess.run([tvl, "-e", expr], capture_output=True, text=True)
        exp = subprocess.run([tvl, "-q"], input=":export %s %s\n" % (expr, f),
                             capture_output=True, text=True)
        got = numpy_run(f)
        same = (got.stdout, got.stderr.replace(":export:", "<expr>:"),
                got.returncode) == (want.stdout, want.stderr, want.returncode)
        tap(exp.returncode == 0 and same,
            "%s: tvl_run.py prints what tvl -e prints (%r)" % (what, want.stdout))
        if not same:
            sys.stdout.write("# tvl:   %r %r\n# numpy: %r %r\n" % (
                want.stdout, want.stderr, got.stdout, got.stderr))


def metadata():
    """The metadata of an exported call: prompt, tables, steps, slots."""
    f = os.path.join(tmp, "meta.safetensors")
    src = ("(deftable price (apple 2) (banana 5))\n"
           "(define (next-price x) (+ (price x) 1))\n"
           ":export next-price %s 'banana\n" % f)
    subprocess.run([tvl, "-q"], input=src, capture_output=True, text=True)
    blob = open(f, "rb").read()
    (n,) = struct.unpack("<Q", blob[:8])
    md = json.loads(blob[8:8 + n])["__metadata__"]
    meta = json.loads(md["tvl.meta"])
    vocab = json.loads(md["tvl.vocab"])
    ok = (meta["tvl_program"] == 1 and meta["source"] == "(next-price 'banana)"
          and "banana" in meta["symbols"] and meta["symbols"][:2] == ["#f", "#t"]
          and len(meta["steps"]) == meta["npc"] and meta["prompt"]
          and meta["roles"] == [r["role"] for r in vocab]
          and any(s["label"] == "x" for s in meta["slot_map"])
          and len(json.loads(md["tvl.slot_names"])) == int(md["tvl.d_model"]))
    tap(ok, "the metadata of an exported call: source, prompt, symbols, "
            "steps, roles, slot map")
    got = numpy_run(f)
    tap(got.stdout == "6\n", "the exported call runs under numpy: %r" % got.stdout)


for path in sorted(glob.glob(os.path.join(srcdir, "stdlib", "examples", "*.tvl"))):
    example(path)
value_and_error()
metadata()
print("1..%d" % len(results))
for i, (ok, what, skip) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
PY
