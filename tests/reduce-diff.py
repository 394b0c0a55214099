#!/usr/bin/env python3
"""reduce-diff.py - shrinks a program that test-differential fails on.

usage: tests/reduce-diff.py PROGRAM-FILE [TEST-DIFFERENTIAL]

Keeps a candidate when test-differential --file still fails with the same
kind of difference (the "form N: ..." line, and the transformer's error
message with numbers and names left out).  First drops top-level forms,
then replaces lists by one of their elements or by a constant, until
nothing more can go.  Prints the smallest program found.
"""
import re
import subprocess
import sys
import tempfile

TD = sys.argv[2] if len(sys.argv) > 2 else "tests/test-differential"


def signature(src):
    with tempfile.NamedTemporaryFile("w", suffix=".scm", delete=False) as f:
        f.write(src)
        name = f.name
    try:
        p = subprocess.run([TD, "--file", name, "--timeout", "20"],
                           capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None
    if p.returncode == 0:
        return None
    out = p.stdout
    m = re.search(r"^# form \d+: (.*)$", out, re.M)
    what = m.group(1) if m else "?"
    m = re.search(r"^#   transformer: (\w+)", out, re.M)
    how = m.group(1) if m else "?"
    m = re.search(r"transformer: \w+.*\n# <gen>:\S+ error: (.*)$", out, re.M)
    msg = re.sub(r"[A-Za-z-]*\d+", "N", m.group(1)) if m else ""
    m = re.search(r"^#   evaluator  : (\w+).*?(\w+ error:)?$", out, re.M)
    ev = (m.group(1) + " " + (m.group(2) or "")) if m else "?"
    m = re.search(r"evaluator  : \w+.*\n# <gen>:\S+ error: (.*)$", out, re.M)
    evmsg = re.sub(r"[A-Za-z-]*\d+", "N", m.group(1)) if m else ""
    return (what, how, msg, ev, evmsg)


def parse(src):
    """top-level forms as nested lists of tokens"""
    toks = re.findall(r'"(?:[^"\\]|\\.)*"|#\(|[()]|\'|[^\s()\']+', src)
    pos = 0

    def item():
        nonlocal pos
        t = toks[pos]
        pos += 1
        if t in ("(", "#("):
            lst = [t]
            while toks[pos] != ")":
                lst.append(item())
            pos += 1
            return lst
        if t == "'":
            return ["'", item()]
        return t

    forms = []
    while pos < len(toks):
        forms.append(item())
    return forms


def show(x):
    if isinstance(x, str):
        return x
    if x[0] == "'":
        return "'" + show(x[1])
    return x[0] + " ".join(show(e) for e in x[1:]) + ")"


def program(forms):
    return "".join(show(f) + "\n" for f in forms)


def paths(x, at=()):
    if isinstance(x, list) and x[0] != "'":
        yield at
        for i in range(2, len(x)):
            # a definition's signature and the binding lists of let and
            # lambda are not expressions
            if i == 2 and x[1] in ("define", "lambda", "let", "let*", "letrec",
                                   "letrec*", "do"):
                continue
            yield from paths(x[i], at + (i,))


def get(x, p):
    for i in p:
        x = x[i]
    return x


def replaced(x, p, new):
    if not p:
        return new
    y = list(x)
    y[p[0]] = replaced(x[p[0]], p[1:], new)
    return y


def main():
    src = open(sys.argv[1]).read()
    want = signature(src)
    if not want:
        sys.exit("the program passes: nothing to reduce")
    print("reducing:", want, file=sys.stderr)
    forms = parse(src)
    changed = True
    while changed:
        changed = False
        i = len(forms) - 1
        while i >= 0:
            cand = forms[:i] + forms[i + 1:]
            if signature(program(cand)) == want:
                forms = cand
                changed = True
            i -= 1
        for fi in range(len(forms)):
            for p in list(paths(forms[fi])):
                try:
                    node = get(forms[fi], p)
                except (IndexError, TypeError):
                    continue
                if not isinstance(node, list) or not p:
                    continue
                options = [e for e in node[1:]] + ["0", "#t", "'a"]
                for new in options:
                    cand = list(forms)
                    cand[fi] = replaced(forms[fi], p, new)
                    if signature(program(cand)) == want:
                        forms = cand
                        changed = True
                        break
    print(program(forms), end="")


if __name__ == "__main__":
    main()
