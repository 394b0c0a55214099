"""kernel_check.py - tvl-kernel (tools/tvl_kernel.py) through
jupyter_client, and examples/seed.ipynb executed by jupyter nbconvert
(TAP; run by tests/kernel-check.sh).

The kernel: outputs of forms, inline SVG charts, a trace as JSON data,
errors with their cell position and caret, an unclosed cell, is_complete,
an interrupt that stops a run and keeps the session.  The notebook: every
cell runs (only the ones tagged raises-exception may fail), and every
output equals the one saved in the notebook, times aside.

usage: kernel_check.py SRCDIR TVL TMPDIR
"""

import json
import os
import queue
import re
import subprocess
import sys
import time
import xml.dom.minidom

srcdir, tvl, tmp = sys.argv[1:4]
results = []


def tap(ok, what, detail=None):
    results.append((ok, what, None if ok else detail))


# a kernelspec for the build tree's kernel and tvl
spec = os.path.join(tmp, "jupyter", "kernels", "tvl")
os.makedirs(spec)
with open(os.path.join(spec, "kernel.json"), "w") as f:
    json.dump({"argv": [sys.executable, "-Xfrozen_modules=off",
                        os.path.join(srcdir, "tools", "tvl_kernel.py"),
                        "--tvl", tvl, "-f", "{connection_file}"],
               "display_name": "tvl", "language": "tvl"}, f)
for var, sub in (("JUPYTER_PATH", "jupyter"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                 ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                 ("IPYTHONDIR", "ipython")):
    os.environ[var] = os.path.join(tmp, sub)
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"


def kernel_tests():
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name="tvl", startup_timeout=120)

    def run(code, interrupt_after=None):
        """(status, [(msg_type, content)]) of executing code."""
        msg_id = kc.execute(code, stop_on_error=False)
        outs, start, sent = [], time.time(), False
        while True:
            if interrupt_after and not sent and time.time() - start > interrupt_after:
                km.interrupt_kernel()
                sent = True
            try:
                m = kc.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                if time.time() - start > 120:
                    return "timeout", outs
                continue
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
            if m["msg_type"] in ("stream", "display_data", "execute_result", "error"):
                outs.append((m["msg_type"], m["content"]))
        while True:
            r = kc.get_shell_msg(timeout=30)
            if r["parent_header"].get("msg_id") == msg_id:
                return r["content"]["status"], outs

    def text(outs, name):
        return "".join(c["text"] for t, c in outs if t == "stream" and c["name"] == name)

    try:
        info = kc.kernel_info(reply=True)["content"]
        tap(info["language_info"]["name"] == "tvl" and info["implementation"] == "tvl-kernel",
            "kernel_info: the tvl language, implementation tvl-kernel", info)
        st, outs = run("(deftable lookup (A 2) (B 5) (C 9))\n"
                       "(define (f x) (let* ((y (lookup x)) (z (+ y 1))) z))")
        out = text(outs, "stdout")
        tap(st == "ok" and "lookup: table, 3 entries" in out and "\nf: " in out,
            "a cell of two definitions prints both summaries", (st, outs))
        st, outs = run("(f 'B)")
        out = text(outs, "stdout")
        tap(st == "ok" and re.match(r"6   ; 1 forward pass \u00b7 [0-9.]+ ms\n$", out),
            "(f 'B), a circuit, prints 6 and its one forward pass: %r" % out, (st, outs))
        for cmd in (":slots f --svg", ":weights f --svg"):
            st, outs = run(cmd)
            svgs = [c["data"]["image/svg+xml"] for t, c in outs if t == "display_data"]
            ok = st == "ok" and len(svgs) == 1 and not text(outs, "stdout")
            try:
                doc = xml.dom.minidom.parseString(svgs[0].encode()) if ok else None
                ok = ok and doc.documentElement.tagName == "svg"
            except Exception as e:   # not XML
                ok, outs = False, (outs, e)
            tap(ok and (cmd.startswith(":w") or ">x<" in svgs[0] or "x" in svgs[0]),
                "%s shows the chart inline as image/svg+xml (valid XML, %d bytes)"
                % (cmd, len(svgs[0]) if svgs else 0), (st, str(outs)[:500]))
        svg_file = os.path.join(tmp, "given.svg")
        st, outs = run(":slots f --svg %s" % svg_file)
        tap(st == "ok" and os.path.exists(svg_file)
            and any(t == "display_data" for t, _ in outs),
            ":slots f --svg FILE writes the file and shows it", (st, outs))
        st, outs = run(":trace --json (f 'C)")
        data = [c["data"]["application/json"] for t, c in outs if t == "display_data"]
        ok = st == "ok" and len(data) == 1 and data[0].get("format") == "tvl-trace/1" \
            and data[0].get("result") == "10" and data[0].get("tokens")
        tap(ok, ":trace --json returns the trace as application/json data "
            "(tvl-trace/1, result 10)", (st, str(outs)[:500]))
        st, outs = run("(display \"before\")\n(vector-ref (vector 1 2) 5)\n(+ 1 2)")
        err, out = text(outs, "stderr"), text(outs, "stdout")
        ok = st == "error" and err.startswith("In[") and \
            re.search(r"^In\[\d+\]:2:26: error: vector-ref: index 5 is out of range for a vector of length 2\n"
                      r"  \(vector-ref \(vector 1 2\) 5\)\n {27}\^\n$", err) and \
            out.startswith("before") and "\n3   ;" in out
        tap(ok, "a runtime error: status error, the cell's line and a caret, the "
            "forms after it still run", (st, outs))
        st, outs = run("(define (g x)\n  (+ x (f 'B)")
        err = text(outs, "stderr")
        tap(st == "error" and re.search(
            r"In\[\d+\]:2:3: error: this '\(' is never closed \(the cell ended\)\n"
            r"    \(\+ x \(f 'B\)\n    \^\n$", err),
            "a cell ending inside a form is refused with a caret: %r" % err, (st, outs))
        st, outs = run("(g 1)")
        tap(st == "error" and "unbound variable g" in text(outs, "stderr"),
            "... and defines nothing", (st, outs))
        def is_complete(code):
            msg_id = kc.is_complete(code)
            while True:
                r = kc.get_shell_msg(timeout=30)
                if r["parent_header"].get("msg_id") == msg_id:
                    return r["content"]
        comp = is_complete("(define (h x)\n  (+ x 1)")
        comp2 = is_complete("(define (h x) \"a (\" ; )\n  (+ x 1))")
        tap(comp["status"] == "incomplete" and comp2["status"] == "complete",
            "is_complete follows lists, strings and comments", (comp, comp2))
        st, outs = run("(define (spin n) (if (= n 0) 0 (spin (- n 1))))\n"
                       "(spin 100000000)", interrupt_after=3)
        err = text(outs, "stderr")
        tap(st == "error" and "interrupted" in err,
            "an interrupt stops a running form: %r" % err.split("\n")[0], (st, outs))
        st, outs = run("(+ (f 'A) (spin 3))")
        out = text(outs, "stdout")
        tap(st == "ok" and out.startswith("3   ;"),
            "... and the session keeps its definitions: %r" % out, (st, outs))
        st, outs = run(":quit")
        st2, outs2 = run("(f 'B)")
        tap(st == "ok" and "ended" in text(outs, "stderr") and st2 == "error"
            and "unbound variable f" in text(outs2, "stderr"),
            ":quit ends the session; the next cell starts a new one",
            (st, outs, st2, outs2))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def normal(o):
    """An output, times and temporary names aside."""
    o = dict(o)
    o.pop("execution_count", None)
    s = json.dumps(o, sort_keys=True)
    return re.sub(r"\d+(\.\d+)? ms\b", "N ms", s)


def notebook():
    nb_path = os.path.join(srcdir, "examples", "seed.ipynb")
    out_path = os.path.join(tmp, "seed-run.ipynb")
    r = subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.timeout=300", nb_path,
                        "--output", out_path], capture_output=True, text=True)
    tap(r.returncode == 0, "jupyter nbconvert --execute examples/seed.ipynb: "
        "every cell runs", r.stderr[-3000:])
    if r.returncode != 0:
        return
    want = json.load(open(nb_path))["cells"]
    got = json.load(open(out_path))["cells"]
    code = [(w, g) for w, g in zip(want, got) if w["cell_type"] == "code"]
    bad = []
    for w, g in code:
        a = [normal(o) for o in w.get("outputs", [])]
        b = [normal(o) for o in g.get("outputs", [])]
        if a != b:
            bad.append("cell %r:\nsaved: %s\nnow:   %s" % (
                "".join(w["source"])[:60], str(a)[:800], str(b)[:800]))
    kinds = sorted({k for w, _ in code for o in w.get("outputs", [])
                    for k in o.get("data", {})})
    tap(len(want) == len(got) and not bad and "image/svg+xml" in kinds,
        "its %d code cells print what the notebook saved (times aside; "
        "outputs of kinds %s)" % (len(code), ", ".join(["stream"] + kinds)),
        "\n".join(bad))


if __name__ == "__main__":
    try:
        kernel_tests()
    except Exception as e:
        import traceback
        tap(False, "the kernel tests ran to the end", traceback.format_exc())
    notebook()
    print("1..%d" % len(results))
    for i, (ok, what, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
        if detail:
            print("# " + str(detail).replace("\n", "\n# "))
