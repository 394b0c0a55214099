#!/bin/sh
# inspect-export.sh - :export and tools/tvl_run.py (TAP).  Every program a
# script in stdlib/examples runs (each top-level expression, and the value
# of each variable definition) is exported with :export just before tvl
# runs it, and the numpy runner must print exactly what tvl prints (its
# NAME.expected, which tests/examples.sh checks tvl against): the
# outputs of the exported programs, in order, are the script's output.
#
# numpy runs about a thousand tokens a second (a dense argmax over a
# vocabulary of 131,000 tokens at every step), so a program costing more
# than $TVL_NUMPY_TOKENS forward passes (default 2000: prompt plus
# generated tokens, the latter counted by tvl --stats) is exported but not
# run under numpy, with the reason stated; the outputs around it must
# still match.  A variable's value is counted by its definition's --stats
# line; one whose count is unknown is run with the rest of the budget, and
# reported as over it when it does not halt within it.  The Sudoku solve (3.2 million tokens) is not even
# run by tvl here (make check-examples-long runs it).
#
# Also: a value printed as the REPL prints it, a runtime error's message,
# and a tool call, against tvl -e; the metadata of an exported call.
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

# not exec: the EXIT trap must remove $tmp (exported models, hundreds of MB)
"$PYTHON" - "$top_srcdir" "$TVL" "$tmp" "${TVL_NUMPY_TOKENS:-2000}" <<'PY'
import concurrent.futures, contextlib, glob, io, json, multiprocessing, os
import re, struct, subprocess, sys, tempfile

srcdir, tvl, tmp, budget = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
runner = os.path.join(srcdir, "tools", "tvl_run.py")
JOBS = min(2, os.cpu_count() or 1)
results = []


def tap(ok, what):
    results.append((ok, what))


sys.path.insert(0, os.path.join(srcdir, "tests"))
from tvl_forms import forms, program_of  # noqa: E402


def header(path):
    """The safetensors header's metadata, with tvl.meta parsed."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        md = json.loads(f.read(n))["__metadata__"]
    return md, json.loads(md["tvl.meta"])


# tools/tvl_run.py is run in-process by a pool of workers (its main(),
# stdout and stderr captured), so that numpy is imported once per worker
# rather than once per program; a few runs below go through the command
# line as a user runs it.
_mod = None


def numpy_main(args):
    global _mod
    if _mod is None:
        import importlib.util
        spec = importlib.util.spec_from_file_location("tvl_run", runner)
        _mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_mod)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = _mod.main(args)
    return status, out.getvalue(), err.getvalue()


def numpy_cli(path, *extra):
    return subprocess.run([sys.executable, runner, path] + list(extra),
                          capture_output=True, text=True)


# Examples whose last form runs for minutes even in C (tests/examples.sh
# runs them in make check-examples-long): that form is exported but not
# run, and tvl's output is taken from NAME.expected, which examples.sh
# checks tvl against.
LONG = {"sudoku": "the solve is about 3.2 million tokens: a minute in tvl, "
                  "hours under numpy"}


def run_tvl(path):
    """Runs an example's forms in tvl, each program exported just before
    it runs.  Returns (name, tvl's output, [program], error text)."""
    name = os.path.basename(path)[:-4]
    lines, progs = [], []
    all_forms = forms(open(path).read())
    for k, form in enumerate(all_forms):
        expr, stats = program_of(form)
        last_long = name in LONG and k == len(all_forms) - 1
        if expr is not None:
            f = os.path.join(tmp, "%s-%d.safetensors" % (name, len(progs)))
            wrapped = expr if expr.startswith("(") else "(begin %s)" % expr
            lines.append(":export %s %s" % (wrapped, f))
            progs.append({"file": f, "stats": stats and not last_long,
                          "skip": LONG[name] if last_long else None})
        if not last_long:
            lines.append(form)
    run = subprocess.run([tvl, "--stats", "-q"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True)
    counts = [int(c) for c in re.findall(r"; (\d+) tokens? \u00b7", run.stdout)]
    k = 0
    for p in progs:
        if p["stats"]:
            p["tokens"] = counts[k] if k < len(counts) else None
            k += 1
    # what `tvl NAME.tvl` prints: tests/examples.sh checks it is
    # NAME.expected (for the long ones, make check-examples-long does)
    want = open(path[:-4] + ".expected").read()
    ok = run.returncode == 0 and all(os.path.exists(p["file"]) for p in progs)
    return name, want, progs, None if ok else run.stderr


def plan(p):
    """The numpy arguments of a program, or the reason it is not run."""
    if p["skip"]:
        return None
    _, meta = header(p["file"])
    prompt = len(meta.get("prompt", []))
    tokens = p.get("tokens")
    if tokens is not None and prompt + tokens > budget:
        p["skip"] = "%d + %d tokens" % (prompt, tokens)
        return None
    if prompt >= budget:
        p["skip"] = "a prompt of %d tokens" % prompt
        return None
    return [p["file"], "--no-result", "--max-new", str(budget - prompt)]


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
    what = "%s: numpy prints %s.expected, what tvl prints (%d bytes)" % (
        name, name, len(want))
    if skipped:
        what += "; over the budget of %d passes, not run under numpy: %s" % (
            budget, ", ".join(skipped))
    tap(ok, what)
    if not ok:
        sys.stdout.write("# tvl:   %r\n# numpy: %r\n" % (want[:300], parts))


def examples():
    """tvl runs the examples (JOBS at a time); each one's numpy runs start
    as soon as its exports exist."""
    paths = sorted(glob.glob(os.path.join(srcdir, "stdlib", "examples", "*.tvl")))
    ctx = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(JOBS, mp_context=ctx) as numpy_pool, \
            concurrent.futures.ThreadPoolExecutor(JOBS) as tvl_pool:
        def start(path):
            name, want, progs, err = run_tvl(path)
            if err is None:
                for p in progs:
                    args = plan(p)
                    if args:
                        p["run"] = numpy_pool.submit(numpy_main, args)
            return name, want, progs, err
        done = list(tvl_pool.map(start, paths))
        for name, want, progs, err in done:
            tap(err is None, "%s: tvl runs it and exports its %d programs"
                % (name, len(progs)))
            if err is not None:
                sys.stdout.write("# " + err.replace("\n", "\n# ") + "\n")
            for p in progs:
                if "run" in p:
                    p["run"] = p["run"].result()
    for name, want, progs, err in done:
        if err is not None:
            continue
        pieces, skipped, failed = [], [], None
        for i, p in enumerate(progs):
            r = p.get("run")
            if r and r[0] != 0 and "did not halt" in r[2] and p.get("tokens") is None:
                p["skip"] = "a variable's value, more than %d tokens" % budget
            if p["skip"]:
                skipped.append("program %d (%s)" % (i, p["skip"]))
                pieces.append(None)
            elif r[0] != 0:
                failed = (i, r[2])
                break
            else:
                pieces.append(r[1])
        if failed:
            tap(False, "%s: numpy runs program %d" % (name, failed[0]))
            sys.stdout.write("# " + failed[1].replace("\n", "\n# ") + "\n")
            continue
        compare(name, want, pieces, skipped)


def against_tvl_e():
    """A value as the REPL prints it, a runtime error and a tool call,
    through tvl_run.py's command line, against tvl -e."""
    cases = [("value", "(begin (display \"x=\") (* 6 7))", True),
             ("vector", "(let ((v (make-vector 3 'a))) (vector-set! v 1 'b) v)", True),
             ("string", "(begin (display 12) \"s\\\"q\")", True),
             ("long", "(begin (display (* 1000 1000)) (newline) (- 0 (* 3000 3000)))", True),
             ("error", "(begin (display \"before\") (vector-ref (vector 1 2) (+ 1 4)))", True),
             # a kind error names a value known only at run time
             ("kind-error", "(let loop ((i 0) (x 1)) (if (= i 2) (+ x 1) "
              "(loop (+ i 1) (if (= i 0) 'a x))))", True),
             # values the host reads from the trace's memory (mhostval.c):
             # operands computed at run time, in the failing step
             ("overflow", "(let loop ((i 0) (x 1)) (if (= i 3) (* x (if (> i 2) 100000 1)) "
              "(loop (+ i 1) (* x 40))))", True),
             ("code-point", "(let loop ((i 0) (x 1)) (if (= i 3) (integer->char (* x 1000)) "
              "(loop (+ i 1) (* x 40))))", True)]
    for what, expr, same_out in cases:
        f = os.path.join(tmp, "%s.safetensors" % what)
        want = subprocess.run([tvl, "-e", expr], capture_output=True, text=True)
        exp = subprocess.run([tvl, "-q"], input=":export %s %s\n" % (expr, f),
                             capture_output=True, text=True)
        got = numpy_cli(f)
        same = (got.stdout, got.stderr.replace(":export:", "<expr>:"),
                got.returncode) == (want.stdout, want.stderr, want.returncode)
        tap(exp.returncode == 0 and same,
            "%s: tvl_run.py prints what tvl -e prints (%r)" % (what, want.stdout))
        if not same:
            sys.stdout.write("# tvl:   %r %r\n# numpy: %r %r\n" % (
                want.stdout, want.stderr, got.stdout, got.stderr))
    # a circuit's computed key with no entry, named from its prompt
    f = os.path.join(tmp, "circuit-key.safetensors")
    defs = "(deftable t (1 10) (2 20))\n(define (f k) (t (* k 2)))\n"
    want = subprocess.run([tvl, "-q"], input=defs + "(f 3)\n", capture_output=True, text=True)
    subprocess.run([tvl, "-q"], input=defs + ":export f %s 3\n" % f, capture_output=True,
                   text=True)
    got = numpy_cli(f)
    wl = [l for l in want.stderr.splitlines() if "error:" in l]
    tap(got.returncode == 1 and got.stderr.splitlines()[:1] == wl[:1] and
        "no entry for 6" in got.stderr,
        "a circuit's computed missing key: tvl_run.py names it as tvl (%r)" % wl[:1])
    # a tool call is the host's work, not the weights': refused by name
    f = os.path.join(tmp, "tool.safetensors")
    src = ('(extern c-abs "libc" "abs" (int32) int32)\n'
           '(define (f x) (+ (c-abs x) 1))\n:export f %s -5\n' % f)
    subprocess.run([tvl, "-q"], input=src, capture_output=True, text=True)
    got = numpy_cli(f)
    tap(got.returncode == 1 and "c-abs" in got.stderr and "tool call" in got.stderr,
        "a program with a tool call is refused by name: %r" % got.stderr.strip())


def metadata():
    """The metadata of an exported call: prompt, tables, steps, slots."""
    f = os.path.join(tmp, "meta.safetensors")
    fm = os.path.join(tmp, "meta-machine.safetensors")
    # next-price is a circuit; shout, which displays, a machine
    src = ("(deftable price (apple 2) (banana 5))\n"
           "(define (next-price x) (+ (price x) 1))\n"
           ":export next-price %s 'banana\n"
           "(define (shout x) (display x) (+ (price x) 1))\n"
           ":export shout %s 'banana\n" % (f, fm))
    subprocess.run([tvl, "-q"], input=src, capture_output=True, text=True)
    md, meta = header(f)
    vocab = json.loads(md["tvl.vocab"])
    heads = json.loads(md["tvl.heads"])
    ok = (meta["tvl_program"] == 1 and meta["source"] == "(next-price 'banana)"
          and "banana" in meta["symbols"] and meta["symbols"][:2] == ["#f", "#t"]
          and len(meta["steps"]) == meta["npc"] and meta["prompt"]
          and meta["roles"] == [r["role"] for r in vocab]
          and any(s["label"] == "x" for s in meta["slot_map"])
          and md["tvl.pos_features"] == "p,r,r2,rm1,rm2" and md["tvl.pos_ring"] == "65536"
          and len(heads) == int(md["tvl.n_layers"])
          and all(h["tie"] in ("latest", "average") for l in heads for h in l)
          and len(json.loads(md["tvl.slot_names"])) == int(md["tvl.d_model"])
          and meta.get("circuit") == {"params": 1, "result": "int"})
    tap(ok, "the metadata of an exported call: source, prompt, symbols, "
            "steps, roles, slot map, tie rules, position features, circuit")
    got = numpy_cli(f)
    tap(got.stdout == "6\n", "the exported circuit runs under numpy: %r" % got.stdout)
    got = numpy_cli(fm)
    tap(got.stdout == "banana\n6\n", "the exported machine runs under numpy: %r" % got.stdout)
    # a circuit whose value needs two tokens, HI then VAL
    outs = []
    for arg in ("300", "-181", "181"):
        fl = os.path.join(tmp, "long%s.safetensors" % arg)
        subprocess.run([tvl, "-q"], input="(define (sq x) (* x x))\n:export sq %s %s\n"
                       % (fl, arg), capture_output=True, text=True)
        outs.append((header(fl)[1].get("circuit"), numpy_cli(fl).stdout))
    tap([o[1] for o in outs] == ["90000\n", "32761\n", "32761\n"]
        and all(o[0] == {"params": 1, "result": "int"} for o in outs),
        "an exported circuit with a long value runs under numpy: %r" % outs)
    md, meta = header(fm)
    routing = json.loads(md.get("tvl.routing", "null"))
    tap(routing is not None and routing["holds"]
        and [r["name"] for r in routing["routers"]] == ["cur", "own"],
        "an exported machine records its routing, and the proof holds: %r"
        % (routing and routing["why"]))


def routed_against_dense():
    """The routed model (the shared and the running step's FFN units
    only) against the dense one under numpy, token by token."""
    tmp = tempfile.mkdtemp(prefix="tvl-routed.")
    progs = {"loop": "(define (f n a) (if (= n 0) a (f (- n 1) (+ a 2))))\n"
                     ":export (f 200 0) %s\n",
             "vectors": "(define v (make-vector 8 3))\n"
                        "(define (g n s) (if (= n 0) s (begin (vector-set! v (remainder n 8) n)"
                        " (g (- n 1) (+ s (vector-ref v (remainder (* n 3) 8)))))))\n"
                        ":export (g 60 0) %s\n"}
    for name, src in sorted(progs.items()):
        f = os.path.join(tmp, name + ".safetensors")
        subprocess.run([tvl, "-q"], input=src % f, capture_output=True, text=True)
        got = numpy_cli(f, "--engine", "both")
        ok = got.returncode == 0 and "routed and dense agree" in got.stderr
        m = re.search(r"routed (\d+), dense (\d+)", got.stderr)
        tap(ok and m and int(m.group(1)) < int(m.group(2)),
            "%s: numpy, routed and dense, the same tokens: %s" % (name, got.stderr.strip()))


if __name__ == "__main__":
    examples()
    against_tvl_e()
    metadata()
    routed_against_dense()
    print("1..%d" % len(results))
    for i, (ok, what) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
PY
