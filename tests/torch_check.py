"""torch_check.py - tools/tvl_torch.py against the C executor and tvl (TAP;
run by tests/torch-check.sh, in one process: importing torch takes
seconds).

1. The hand-built models of tests/mkmodel: the C executor's tokens, and its
   residuals bit for bit.
2. Every program a script of stdlib/examples runs, exported with :export
   just before tvl runs it (as tests/inspect-export.sh does for numpy):
   the torch runner's outputs, in order, make up NAME.expected, what tvl
   prints.  A program costing more than $TVL_TORCH_TOKENS forward passes
   (prompt plus the generated tokens tvl --stats counts; default 2000) is
   exported but not run, with the reason stated.
3. A batch: 16 calls of one procedure (different argument tuples, run
   lengths, a runtime error, long values) exported by tvl, run as one
   batch, give the tokens of 16 runs of their own, and print what tvl -e
   prints for each call; the command line prints them the same.  The
   batch runs routed (the model records routing) and gives the tokens
   of a dense run with fewer FFN units computed; --engine both says so.
   The seed example's circuit, three calls as one batch, prints what
   tvl prints.
4. Command-line errors: a batch of different models, --device cuda
   without CUDA, a truncated file.

usage: torch_check.py SRCDIR TVL MKMODEL TMPDIR
"""

import concurrent.futures
import contextlib
import glob
import io
import json
import os
import re
import struct
import subprocess
import sys

srcdir, tvl, mkmodel, tmp = sys.argv[1:5]
budget = int(os.environ.get("TVL_TORCH_TOKENS", "2000"))
sys.path.insert(0, os.path.join(srcdir, "tools"))
import torch  # noqa: E402
import tvl_torch  # noqa: E402

torch.set_num_threads(1)
runner = os.path.join(srcdir, "tools", "tvl_torch.py")
results = []


def tap(ok, what, detail=None):
    results.append((ok, what, None if ok else detail))


def torch_main(args):
    """tvl_torch.py's main() in this process: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = tvl_torch.main(args)
    return status, out.getvalue(), err.getvalue()


def cli(*args):
    return subprocess.run([sys.executable, runner] + list(args),
                          capture_output=True, text=True)


# ---- 1. the C executor's models ------------------------------------------

def mkmodel_cases():
    d = os.path.join(tmp, "mkmodel")
    os.mkdir(d)
    run = subprocess.run([mkmodel, d], capture_output=True, text=True)
    if run.returncode != 0:
        tap(False, "tests/mkmodel writes its models", run.stdout + run.stderr)
        return
    for line in open(os.path.join(d, "cases")):
        name, model, prompt, max_new, want = line.split()
        resid = os.path.join(d, name + ".torch.resid")
        st, out, err = torch_main([model, "--prompt", prompt, "--max-new",
                                   max_new, "--residuals", resid])
        got = ",".join(out.split())
        same = open(os.path.join(d, name + ".resid")).read() == open(resid).read()
        n = len(want.split(","))
        tap(st == 0 and got == want and same,
            "%s: torch decodes the C executor's %d tokens, and its residuals "
            "bit for bit" % (name, n),
            "C:     %s\ntorch: %s (status %d, residuals %s)\n%s"
            % (want[:200], got[:200], st, "same" if same else "differ", err))


# ---- 2. the examples -----------------------------------------------------

sys.path.insert(0, os.path.join(srcdir, "tests"))
from tvl_forms import forms, program_of  # noqa: E402


LONG = {"sudoku": "the solve is 3.2 million tokens"}


def export_example(path):
    """tvl runs the example's forms, exporting each program just before
    it runs it.  Returns (name, [program], error)."""
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
    ok = run.returncode == 0 and all(os.path.exists(p["file"]) for p in progs)
    return name, progs, None if ok else run.stderr


def plan(p):
    """tvl_torch.py's arguments for a program, or None (p["skip"] says
    why)."""
    if p["skip"]:
        return None
    with open(p["file"], "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        meta = json.loads(json.loads(f.read(n))["__metadata__"]["tvl.meta"])
    prompt = len(meta.get("prompt", []))
    tokens = p.get("tokens")
    if tokens is not None and prompt + tokens > budget:
        p["skip"] = "%d + %d tokens" % (prompt, tokens)
        return None
    if prompt >= budget:
        p["skip"] = "a prompt of %d tokens" % prompt
        return None
    return [p["file"], "--no-result", "--max-new", str(budget - prompt)]


def matches(want, pieces):
    """The pieces, in order, make up want; a None piece may be any text."""
    parts = "".join("\0" if p is None else p for p in pieces).split("\0")
    if len(parts) == 1:
        return want == parts[0]
    if not (want.startswith(parts[0]) and want.endswith(parts[-1])
            and len(parts[0]) + len(parts[-1]) <= len(want)):
        return False
    at = len(parts[0])
    for mid in parts[1:-1]:
        at = want.find(mid, at)
        if at < 0:
            return False
        at += len(mid)
    return True


def examples():
    paths = sorted(glob.glob(os.path.join(srcdir, "stdlib", "examples", "*.tvl")))
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        exported = list(pool.map(export_example, paths))
    passes = 0
    for path, (name, progs, err) in zip(paths, exported):
        if err is not None:
            tap(False, "%s: tvl runs it and exports its programs" % name, err)
            continue
        want = open(path[:-4] + ".expected").read()
        pieces, skipped, failed = [], [], None
        for i, p in enumerate(progs):
            args = plan(p)
            if args is not None:
                st, out, errtext = torch_main(args)
                if st != 0 and "did not halt" in errtext and p.get("tokens") is None:
                    p["skip"] = "a variable's value, more than %d tokens" % budget
                elif st != 0:
                    failed = "program %d: %s" % (i, errtext)
                    break
                else:
                    passes += (p.get("tokens") or 0)
                    pieces.append(out)
                    continue
            skipped.append("program %d (%s)" % (i, p["skip"]))
            pieces.append(None)
        what = "%s: torch prints %s.expected, what tvl prints, for its %d " \
               "exported programs" % (name, name, len(progs))
        if skipped:
            what += "; over the budget of %d passes, not run: %s" % (
                budget, ", ".join(skipped))
        if failed:
            tap(False, what, failed)
        else:
            tap(matches(want, pieces), what,
                "tvl:   %r\ntorch: %r" % (want[:300], pieces))


# ---- 3. a batch ------------------------------------------------------------

BATCH_SRC = """\
(define (collatz n)
  (let loop ((n n) (k 0))
    (if (= n 1) k
        (loop (if (= (remainder n 2) 0) (quotient n 2) (+ (* 3 n) 1)) (+ k 1)))))
(define (batch-f n d)
  (display (collatz n))
  (newline)
  (* (quotient 600000 d) n))
"""
# 16 argument tuples: runs of different lengths, results of one token and
# of three (beyond 32767), negative ones, a division by zero
BATCH_ARGS = [(1, 7), (2, 3), (3, -5), (6, 1000), (7, 0), (9, 2), (12, 600000),
              (15, -600000), (19, 30), (27, 11), (5, 5), (8, 0), (31, 9),
              (1, -1), (10, 77), (4, 123456)]


def batch():
    src = os.path.join(tmp, "batch.tvl")
    with open(src, "w") as f:
        f.write(BATCH_SRC)
    files, script = [], ""
    for i, (n, d) in enumerate(BATCH_ARGS):
        f = os.path.join(tmp, "batch-%02d.safetensors" % i)
        files.append(f)
        script += ":export batch-f %s %d %d\n" % (f, n, d)
    run = subprocess.run([tvl, "-q", src, "-i"], input=script,
                         capture_output=True, text=True)
    if run.returncode != 0 or not all(os.path.exists(f) for f in files):
        tap(False, "tvl exports 16 calls of one procedure", run.stderr)
        return None
    # what tvl prints for each call
    want = []
    for n, d in BATCH_ARGS:
        r = subprocess.run([tvl, src, "-e", "(batch-f %d %d)" % (n, d)],
                           capture_output=True, text=True)
        want.append((r.stdout, r.stderr, r.returncode))
    model = tvl_torch.load(files[0])
    programs, prompts = [], []
    for f in files:
        md = tvl_run_meta(f)
        programs.append(tvl_torch.tvl_run.Program(md, model.vocab))
        prompts.append(md["prompt"])
    tap(model.routed, "the batch's model records routing whose proof holds, "
        "and the runner routes it by default", model.meta.get("tvl.routing"))
    model.reset_units()
    together = model.generate(prompts, 100000)
    routed_units = model.units_evaluated()
    model.set_engine("dense")
    model.reset_units()
    dense = model.generate(prompts, 100000)
    dense_units = model.units_evaluated()
    model.set_engine("routed")
    tap(dense == together and routed_units < dense_units,
        "routed, the batch decodes a dense run's tokens, computing %d FFN "
        "units instead of %d" % (routed_units, dense_units),
        "differ: %s" % [i for i, (a, b) in enumerate(zip(together, dense)) if a != b])
    alone = [model.generate([p], 100000)[0] for p in prompts]
    same = [a == b for a, b in zip(together, alone)]
    lengths = sorted(len(t) for t, _ in alone)
    tap(all(same) and all(e is None for _, e in alone),
        "a batch of 16 argument tuples decodes the tokens of 16 single runs, "
        "token for token (%d to %d tokens each)" % (lengths[0], lengths[-1]),
        "differ: %s" % [i for i, s in enumerate(same) if not s])
    printed = [tvl_torch.render(p, t, e, True, "x") for p, (t, e) in zip(programs, together)]
    bad = [i for i, (a, b) in enumerate(zip(printed, want)) if a != b]
    tap(not bad, "each of the batch's runs prints what tvl -e prints for its "
        "call (%d of them a runtime error)" % sum(1 for w in want if w[2]),
        "\n".join("%s: tvl %r, torch %r" % (BATCH_ARGS[i], want[i], printed[i])
                  for i in bad))
    # the command line: one line per output line, after the file's name
    st, out, err = torch_main(files)
    exp_out, exp_err = "", ""
    for f, (o, e, _) in zip(files, want):
        lead = os.path.basename(f) + ": "
        exp_out += "".join(lead + l + "\n" for l in o.splitlines())
        exp_err += "".join(lead + l + "\n" for l in e.splitlines())
    tap((st, out, err) == (1, exp_out, exp_err),
        "tvl_torch.py FILE... runs them as one batch and prints each one's "
        "lines after its name",
        "status %d\n%s\n%s\nwant\n%s\n%s" % (st, out, err, exp_out, exp_err))
    st, out, err = torch_main(files[:4] + ["--engine", "both"])
    exp4 = "".join(os.path.basename(f) + ": " + l + "\n"
                   for f, (o, _, _) in zip(files[:4], want[:4]) for l in o.splitlines())
    tap(st == 0 and out == exp4
        and re.search(r"routed and dense agree on \d+ tokens \(FFN units "
                      r"evaluated: routed \d+, dense \d+\)\n$", err),
        "--engine both runs a batch routed and dense and says they agree: %r"
        % err.strip(), (st, out, exp4, err))
    return files


SEED = """\
(deftable lookup (A 2) (B 5) (C 9))
(define (f x) (let* ((y (lookup x)) (z (+ y 1))) z))
"""


def circuits():
    """The seed example compiles to a circuit; three exported calls run as
    one batch and print what tvl prints."""
    src = os.path.join(tmp, "seed.tvl")
    with open(src, "w") as f:
        f.write(SEED)
    keys = ["A", "B", "C"]
    files = [os.path.join(tmp, "seed-%s.safetensors" % k) for k in keys]
    script = "".join(":export f %s '%s\n" % (f, k) for f, k in zip(files, keys))
    run = subprocess.run([tvl, "-q", src, "-i"], input=script,
                         capture_output=True, text=True)
    if run.returncode != 0 or not all(os.path.exists(f) for f in files):
        tap(False, "tvl exports three calls of the seed's circuit", run.stderr)
        return
    meta = tvl_run_meta(files[0])
    want = ""
    for f, k in zip(files, keys):
        r = subprocess.run([tvl, src, "-e", "(f '%s)" % k], capture_output=True, text=True)
        want += os.path.basename(f) + ": " + r.stdout
    st, out, err = torch_main(files + ["--tokens"])
    one = all(len(line.split(": ")[1].split(",")) == 1 for line in out.splitlines())
    st2, out2, err2 = torch_main(files)
    tap("circuit" in meta and one and st2 == 0 and out2 == want,
        "the seed's circuit: three calls as one batch, one token each, print "
        "what tvl prints: %r" % out2, (meta.get("circuit"), out, out2, want, err2))


def tvl_run_meta(f):
    return json.loads(tvl_torch.tvl_run.load(f)[0]["tvl.meta"])


# ---- 4. errors -------------------------------------------------------------

def errors(files):
    other = glob.glob(os.path.join(tmp, "hello-*.safetensors"))
    if files and other:
        r = cli(files[0], other[0])
        tap(r.returncode == 1 and "not the same model" in r.stderr
            and "Traceback" not in r.stderr,
            "files of different programs are refused as a batch: %r"
            % r.stderr.strip())
    if files and not torch.cuda.is_available():
        r = torch_main([files[0], "--device", "cuda"])
        tap(r[0] == 1 and "no CUDA device" in r[2],
            "--device cuda without a CUDA device is an error: %r" % r[2].strip())
    if files:
        bad = os.path.join(tmp, "truncated.safetensors")
        with open(files[0], "rb") as f, open(bad, "wb") as g:
            g.write(f.read(100))
        r = cli(bad)
        tap(r.returncode == 1 and "Traceback" not in r.stderr and r.stderr,
            "a truncated file is refused: %r" % r.stderr.strip())


if __name__ == "__main__":
    mkmodel_cases()
    examples()
    files = batch()
    circuits()
    errors(files)
    print("1..%d" % len(results))
    for i, (ok, what, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
        if detail:
            print("# " + str(detail).replace("\n", "\n# "))
