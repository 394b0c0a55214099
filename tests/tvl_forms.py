"""How the test scripts split a tvl example into the forms tvl runs.

Shared by tests/inspect-export.sh, tests/labels.sh and
tests/torch_check.py, which each run an example form by form and must
agree on what a form is and which forms print a stats line.
"""
import re


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
    """The expression tvl compiles and runs for a top-level form (None
    for procedure and table definitions), and whether it prints a stats
    line (expressions and variable definitions do)."""
    m = re.match(r"\(define\s+([^\s()]+)\s+(.*)\)$", form)
    if m:
        value = m.group(2)
        if value.startswith("(lambda"):
            return None, False
        return value, True
    if re.match(r"\((define|deftable)[\s(]", form):
        return None, False
    return form, True
