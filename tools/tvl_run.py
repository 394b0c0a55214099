#!/usr/bin/env python3
"""tvl_run.py - run a tvl model file as a plain dense transformer.

    tvl_run.py MODEL [--prompt 1,2,3] [--max-new N] [--residuals FILE]
                     [--tokens] [--no-result]

Loads a tvl safetensors file (docs/model-format.md) with nothing but numpy
and decodes greedily: dense hard-max attention over every earlier position
of every head, a ReGLU FFN, logits over the whole vocabulary, np.argmax.
Without --prompt, the prompt comes from the metadata: tvl.prompt
("1,2,3"), or the "prompt" of a program exported by tvl's :export.

A file exported by :export carries its program's decoding tables (the
"tvl_program" object in tvl.meta): the generated tokens are then decoded
into what tvl prints -- the program's output, then its value on a line of
its own (not with --no-result, as a tvl script prints nothing but the
output), or its runtime error on stderr (exit status 1).  Otherwise, and
with --tokens, the generated token ids are printed, one per line.
--residuals writes each position's final residual to FILE, one line per
position, as the 16-hex-digit bit patterns of its float64 slots (-0
written as +0).

Run by a python3 without numpy (a pyenv or venv one first in PATH), it
runs itself with /usr/bin/python3 when that one has numpy (Debian's
python3-numpy), and otherwise says what is missing.

Nothing of the C executor is reused: no hull, no shared caches, no sparse
matrices, no analytic argmax.  Its tokens are meant to equal the C
executor's, bit for bit, so every sum runs in the order the format fixes:
matrix-vector products in increasing column order (np.cumsum), logits as
(a + v*b) + (v*v)*c.
"""

import argparse
import json
import math
import os
import struct
import subprocess
import sys

try:
    import numpy as np
except ImportError:     # main() runs Debian's python3 instead, or says so
    np = None

KEY_MAX_X = 2 ** 31
KEY_MAX_Y = 2 ** 62
QUERY_MAX = 2 ** 31
AVG_VALUE_MAX = 2 ** 31
SCORE_LIMIT = 2 ** 53


class ModelError(Exception):
    pass


def load(path):
    """Returns (metadata, {name: array}) of a safetensors file."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ModelError("file too short")
    (hlen,) = struct.unpack("<Q", blob[:8])
    if hlen > len(blob) - 8:
        raise ModelError("header length beyond the file")
    header = json.loads(blob[8:8 + hlen].decode("utf-8"))
    data = blob[8 + hlen:]
    meta = header.pop("__metadata__", {})
    dtypes = {"F64": "<f8", "I32": "<i4", "I64": "<i8"}
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        if not 0 <= begin <= end <= len(data):
            raise ModelError("tensor %s: bad data_offsets" % name)
        arr = np.frombuffer(data[begin:end], dtype=dtypes[info["dtype"]])
        tensors[name] = arr.reshape(info["shape"])
    return meta, tensors


def mv(w, x):
    """w @ x, each row summed from its first column to its last."""
    if w.shape[1] == 0:
        return np.zeros(w.shape[0])
    return np.cumsum(w * x, axis=1)[:, -1]


class Sparse:
    """A matrix for y = W x with each y[i] summed over W's non-zero
    columns in increasing order: the same sum as mv() (the format lets a
    runner skip terms with a zero factor), at a cost proportional to the
    non-zero weights.  tvl's matrices are mostly zeros: a layer of 5,000
    FFN units over 1,000 slots is 5 million weights, of which some
    thousands are not 0.

    Rows are bucketed by their count of non-zero weights (rounded up to
    a power of two) and each bucket is one padded cumsum; padding adds
    0 * x[0], an exact zero, after the last real term."""

    def __init__(self, w):
        self.rows = w.shape[0]
        self.buckets = []
        nz = w != 0
        counts = nz.sum(axis=1)
        width = np.ones_like(counts)
        while True:
            small = width < counts
            if not small.any():
                break
            width[small] *= 2
        for k in np.unique(width[counts > 0]):
            rows = np.flatnonzero((width == k) & (counts > 0))
            cols = np.zeros((len(rows), k), dtype=np.intp)
            vals = np.zeros((len(rows), k))
            for i, r in enumerate(rows):
                c = np.flatnonzero(nz[r])
                cols[i, :len(c)] = c
                vals[i, :len(c)] = w[r, c]
            self.buckets.append((rows, cols, vals))

    def __matmul__(self, x):
        y = np.zeros(self.rows)
        for rows, cols, vals in self.buckets:
            y[rows] = np.cumsum(vals * x[cols], axis=1)[:, -1]
        return y


def integral(vals, lim, what):
    """vals: a few Python floats (cheaper than numpy for so few)."""
    for f in vals:
        if not (math.isfinite(f) and f == math.floor(f) and abs(f) <= lim):
            raise ModelError("%s %s is not an integer within bounds"
                             % (what, vals))


class Head:
    """One attention head and its own key store (no sharing)."""

    def __init__(self, desc, t, prefix, capacity):
        self.name = desc["name"]
        self.latest = desc["tie"] == "latest"
        self.mask = desc["mask_slot"]
        self.wq = t[prefix + ".w_q"]
        self.wk = t[prefix + ".w_k"]
        self.wv = t[prefix + ".w_v"]
        self.wo = t[prefix + ".w_o"]
        self.dv = self.wv.shape[0]
        self.keys = np.zeros((capacity, 2))
        self.vals = np.zeros((capacity, self.dv))
        self.n = 0
        self.max_abs = [0, 0]

    def step(self, x, q, k, v, qkv, o):
        """Stores this position's key (unless masked), then reads.  q, k
        and v are Python floats, qkv[o:] the same numbers in numpy."""
        if self.mask < 0 or x[self.mask] == 0:
            integral(k[:1], KEY_MAX_X, "key")
            integral(k[1:], KEY_MAX_Y, "key")
            if not self.latest:
                integral(v, AVG_VALUE_MAX, "AVERAGE value")
            if self.n == self.keys.shape[0]:
                self.keys = np.resize(self.keys, (2 * self.n, 2))
                self.vals = np.resize(self.vals, (2 * self.n, self.dv))
            self.keys[self.n] = qkv[o + 2:o + 4]
            self.vals[self.n] = qkv[o + 4:o + 4 + self.dv]
            self.n += 1
            self.max_abs = [max(self.max_abs[0], abs(int(k[0]))),
                            max(self.max_abs[1], abs(int(k[1])))]
        if abs(int(q[0])) * self.max_abs[0] + \
                abs(int(q[1])) * self.max_abs[1] >= SCORE_LIMIT:
            raise ModelError("head %s: scores could exceed 2^53" % self.name)
        if self.n == 0:
            return np.zeros(self.dv)
        scores = self.keys[:self.n] @ qkv[o:o + 2]   # exact: integers < 2^53
        tied = np.flatnonzero(scores == scores.max())
        if self.latest:
            return self.vals[tied[-1]]
        return self.vals[tied].mean(axis=0)


class Layer:
    """Heads reading one x, then a ReGLU FFN.  The heads' q, k and v rows
    are stacked into one matrix: each row's sum is the same."""

    def __init__(self, l, heads, t, capacity):
        self.heads = [Head(h, t, "layers.%d.attn.%d" % (l, i), capacity)
                      for i, h in enumerate(heads)]
        hs = self.heads
        if hs:
            self.wqkv = np.concatenate(
                [np.concatenate([h.wq, h.wk, h.wv]) for h in hs])
            self.wqkv = Sparse(self.wqkv)
            self.wo = Sparse(np.concatenate([h.wo for h in hs], axis=1))
        gate, up, down = (
            t["layers.%d.ffn.%s" % (l, n)] for n in ("w_gate", "w_up", "w_down"))
        self.n = gate.shape[0]
        self.gate_up = Sparse(np.concatenate([gate, up]))
        self.down = Sparse(down)
        self.routed = False
        self.routers_here = []
        # layers.{l}.ffn.family (docs/model-format.md, Families) is left
        # aside: a family's units are evaluated as any other shared unit
        route = t.get("layers.%d.ffn.route" % l)
        if route is not None:
            # routing: each unit's (router, expert), router -1 shared; the
            # rows of the units kept apart to evaluate only the active ones
            self.routed = True
            self.shared = [j for j in range(self.n) if route[j, 0] < 0]
            self.own = {}
            for j in range(self.n):
                if route[j, 0] >= 0:
                    self.own.setdefault((int(route[j, 0]), int(route[j, 1])), []).append(j)
            self.rows = [(np.flatnonzero(gate[j]), gate[j][gate[j] != 0],
                          np.flatnonzero(up[j]), up[j][up[j] != 0])
                         for j in range(self.n)]

    def ffn_routed(self, x, sel):
        """The shared units and the selected experts' units; every other
        unit is proven (tvl.routing) to give exactly 0."""
        active = list(self.shared)
        for r, s in enumerate(sel):
            if s is not None:
                active += self.own.get((r, s), [])
        h = np.zeros(self.n)
        for j in sorted(active):
            gc, gv, uc, uv = self.rows[j]
            g = np.cumsum(gv * x[gc])[-1] if len(gc) else 0.0
            if g > 0:
                u = np.cumsum(uv * x[uc])[-1] if len(uc) else 0.0
                h[j] = g * u
        self.evaluated += len(active)
        return x + self.down @ h

    evaluated = 0

    def read_routers(self, x, sel):
        """The routers read on the residual entering this layer's FFN."""
        for r, experts, c, w in self.routers_here:
            v = float(np.cumsum(w * x[c])[-1]) if len(c) else 0.0
            if not (math.isfinite(v) and v == math.floor(v)):
                raise ModelError("router %d is not an integer" % r)
            sel[r] = int(v) if 0 <= v < experts else None

    def run(self, x, sel=None):
        """sel: per router the selected expert (None: none), or None to
        run the FFN dense."""
        if self.heads:
            qkv = self.wqkv @ x
            f = qkv.tolist()
            out, o = [], 0
            for h in self.heads:
                q, k, v = f[o:o + 2], f[o + 2:o + 4], f[o + 4:o + 4 + h.dv]
                integral(q, QUERY_MAX, "query")
                out.append(h.step(x, q, k, v, qkv, o))
                o += 4 + h.dv
            x = x + self.wo @ np.concatenate(out)
        n = self.n
        if sel is not None:
            self.read_routers(x, sel)
        if n and sel is not None and self.routed:
            x = self.ffn_routed(x, sel)
        elif n:
            self.evaluated += n
            gu = self.gate_up @ x
            x = x + self.down @ (np.maximum(gu[:n], 0.0) * gu[n:])
        if not np.all(np.isfinite(x)):
            raise ModelError("the residual is not finite")
        return x


def pos_features(p, ring):
    """posfeat(p): p, its place r on the ring, r^2, and the places of p-1
    and p-2 (p-d itself while p < d): docs/model-format.md."""
    r = p % ring
    back = [float(p - d) if p < d else float((p - d) % ring) for d in (1, 2)]
    return [float(p), float(r), float(r) * float(r)] + back


class Model:
    def __init__(self, path, capacity=1024, engine="routed"):
        meta, t = load(path)
        if meta.get("tvl.format") != "1":
            raise ModelError("not a tvl model file (tvl.format)")
        if meta.get("tvl.pos_features") != "p,r,r2,rm1,rm2":
            raise ModelError("unknown position features")
        self.ring = int(meta.get("tvl.pos_ring", "0"))
        if self.ring < 3:
            raise ModelError("tvl.pos_ring is missing or too small")
        self.meta = meta
        self.vocab = json.loads(meta["tvl.vocab"])
        self.p_in = t["tok_embed.proj"]
        self.p_pos = t["pos_embed.proj"]
        self.p_out = Sparse(t["unembed.proj"])
        self.role = t["tok_embed.role"].astype(np.int64)
        self.value = t["tok_embed.value"]
        self.stop = np.array([r["stop"] for r in self.vocab])[self.role]
        self.first = np.array([r["first"] for r in self.vocab])
        self.count = np.array([r["count"] for r in self.vocab])
        self.layers = [Layer(l, heads, t, capacity) for l, heads
                       in enumerate(json.loads(meta["tvl.heads"]))]
        self.pos = 0
        # routing (docs/model-format.md): used when asked for and the
        # compiler's proof holds; otherwise every unit runs
        self.routers = []
        routing = json.loads(meta.get("tvl.routing", "null"))
        if engine == "routed" and routing and routing["holds"]:
            for r, ro in enumerate(routing["routers"]):
                w = t["routing.%d.w" % r][0]
                c = np.flatnonzero(w)
                self.routers.append(ro["layer"])
                self.layers[ro["layer"]].routers_here.append((r, ro["experts"], c, w[c]))

    def embed(self, token):
        r, v = self.role[token], self.value[token]
        tok = self.p_in[:, 2 * r] + v * self.p_in[:, 2 * r + 1]
        feats = pos_features(self.pos, self.ring)
        pos = self.p_pos[:, 0] * feats[0]
        for k in range(1, len(feats)):
            pos = pos + self.p_pos[:, k] * feats[k]
        return tok + pos

    def logits(self, x):
        """F_out (P_out x) over the whole vocabulary, range by range (the
        same (a + v*b) + (v*v)*c as element by element, without gathering
        a, b and c for every token)."""
        z = (self.p_out @ x).tolist()
        if not hasattr(self, "_out"):
            self._out = np.empty(len(self.role))
            self._tmp = np.empty(len(self.role))
            self._v2 = self.value * self.value
            self._slices = [(r, slice(int(self.first[r]), int(self.first[r] + self.count[r])))
                            for r in range(len(self.count))]
        out, tmp, v, v2 = self._out, self._tmp, self.value, self._v2
        for r, s in self._slices:
            np.multiply(v[s], z[3 * r + 1], out=out[s])
            out[s] += z[3 * r]
            np.multiply(v2[s], z[3 * r + 2], out=tmp[s])
            out[s] += tmp[s]
        if not np.isfinite(out).all():
            raise ModelError("a logit is not finite")
        return out

    def push(self, token, argmax=True):
        """Runs the forward pass of `token` at the next position; the
        argmax token, or None when not asked for (a prompt position whose
        successor is already known: its logits change nothing)."""
        if not 0 <= token < len(self.role):
            raise ModelError("token %d is not in the vocabulary" % token)
        x = self.embed(token)
        if not np.all(np.isfinite(x)):
            raise ModelError("the embedding is not finite")
        sel = [None] * len(self.routers) if self.routers else None
        for layer in self.layers:
            x = layer.run(x, sel)
        self.pos += 1
        self.x = x
        if not argmax:
            return None
        return int(np.argmax(self.logits(x)))   # lowest id among equals


class Program:
    """What an exported program's tokens mean (tvl.meta "tvl_program"):
    the host's side of the trace format (docs/trace-format.md), which
    follows the program counter from the JUMP tokens and prints.  It
    computes no program value: every number comes out of a token."""

    def __init__(self, meta, vocab):
        self.steps = meta["steps"]
        self.symbols = meta["symbols"]
        self.strings = meta["strings"]
        self.errors = meta["errors"]
        self.entry = meta["entry_pc"]
        self.has_result = meta["has_result"]
        self.externs = meta.get("externs", [])
        self.circuit = meta.get("circuit")
        self.vocab = vocab
        self.ncells = len(meta.get("cells", [])) + 1
        self.prompt = []   # set by show(): the host replays its loads

    def token(self, t):
        for r in self.vocab:
            if r["first"] <= t < r["first"] + r["count"]:
                return r["role"], r["value0"] + (t - r["first"])
        raise ModelError("token %d is not in the vocabulary" % t)

    def decode(self, tokens):
        """Returns (output, result or None, error diagnostic or None)."""
        if self.circuit is not None:
            return self.decode_circuit(tokens)
        out, res, errval = [], [], []
        sink = out
        pc, hi, after_lo = self.entry, None, False
        self.memory()
        for t in tokens:
            role, v = self.token(t)
            # a kind error's report prints the operand for the message
            into = errval if 0 <= pc < len(self.steps) and \
                self.steps[pc].get("errval") else sink
            if hi is not None:
                if role != "VAL":
                    raise ModelError("HI not followed by VAL")
                self.complete(pc, 65536 * hi + v + 32768, into)
                hi, after_lo = None, True
            elif after_lo:
                if role != "JUMP":
                    raise ModelError("no resync after a long value")
                pc, after_lo = v, False
            elif role == "HI":
                hi = v
            elif role == "VAL":
                self.complete(pc, v, into)
                pc += 1
            elif role == "JUMP":
                pc = v
            elif role in ("SYM", "STR", "NL"):
                into.append(self.text(role, v, pc))
                pc += 1
            elif role == "PRINT":
                pc += 1
            elif role == "RESULT":
                sink = res
                pc += 1
            elif role == "HALT":
                return "".join(out), "".join(res) if self.has_result else None, None
            elif role == "ERR":
                read = self.host_text(self.errors[v], pc)
                if read is not None:
                    return "".join(out), None, self.retext(self.errors[v], read)
                return "".join(out), None, self.diagnostic(
                    v, errval if self.errors[v].get("value_slots") else "".join(errval))
            elif role == "CALL":
                # the host would call the C function now and append its
                # result: that is not the weights' work, and not this
                # runner's
                name = self.externs[v]["name"] if v < len(self.externs) else "?"
                raise ModelError("the program calls the C function %s (an "
                                 "extern), and tvl_run.py makes no tool "
                                 "calls" % name)
            else:
                raise ModelError("unexpected %s token" % role)
        raise ModelError("the program did not halt")

    def decode_circuit(self, tokens):
        """A circuit (docs/circuits.md): its one token is the value (a
        long integer two: HI h, VAL lo), or ERR k (or -k): the lookup at
        place k - 1 found no entry."""
        if not tokens:
            raise ModelError("the circuit emitted nothing")
        role, v = self.token(tokens[0])
        kind = self.circuit["result"]
        if role == "ERR" and 1 <= abs(v) <= len(self.errors):
            e = self.errors[abs(v) - 1]
            # the key it names, read from the prompt's arguments and
            # table entries (backend/mhostval.c)
            self.cells = {}
            for i, t in enumerate(self.prompt):
                r, x = self.token(t)
                if r in ("SETM", "VAL", "SYM"):
                    self.cells[i] = x
            self.mem = self.cells
            read = self.host_text(e, -1)
            return "", None, e["diagnostic"] if read is None else self.retext(e, read)
        if role == "VAL" and kind == "int":
            return "", str(v), None
        if role == "HI" and kind == "int":
            # a long value: the high chunk, then the low one
            if len(tokens) < 2 or self.token(tokens[1])[0] != "VAL":
                raise ModelError("HI not followed by VAL")
            return "", str(65536 * v + self.token(tokens[1])[1] + 32768), None
        if role == "SYM" and kind == "bool" and v in (0, 1):
            return "", "#t" if v else "#f", None
        if role == "SYM" and kind == "sym" and 2 <= v < len(self.symbols):
            return "", self.symbols[v], None
        raise ModelError("unexpected %s token from the circuit" % role)

    def diagnostic(self, site, value):
        """The error's text; a kind error's first line ends with the
        value its report printed, cut as tvl cuts it (60 bytes)."""
        e = self.errors[site]
        d = e["diagnostic"]
        if not e.get("value_follows"):
            return d
        if e.get("value_slots"):   # the printed integers in their places
            for i in range(4):
                d = d.replace(chr(1 + i), value[i] if i < len(value) else "")
            return d
        b = value.encode("utf-8")
        msg = e.get("message", "")
        # a value in a message is cut; a whole text the program printed
        # (an empty message: error, exit, a value report) is not
        if len(b) > 60 and msg:
            b = b[:57] + b"..."
        first, nl, rest = d.partition("\n")
        if e.get("value_bare"):   # a list error: " VALUE"; or the whole text
            sep = " " if msg else ""
            if not msg:
                b = cut_marked(b)
            return first + sep + b.decode("utf-8", "replace") + nl + rest
        return first + " (" + b.decode("utf-8", "replace") + ")" + nl + rest

    def complete(self, pc, v, sink):
        step = self.steps[pc]
        if step["kind"] == "write":
            self.write(step, v)
        elif step["kind"] == "print-int" and step.get("out") == "char":
            sink.append(char_text(v, step.get("write", False)))
        elif step["kind"] == "print-int":
            # digits: a part of a number, written whole (mreport3.c)
            sink.append(str(abs(v)).zfill(step["digits"]) if step.get("digits")
                        else str(v))

    def text(self, role, v, pc):
        if role == "NL":
            return "\n"
        if role == "STR":
            s = self.strings[v]
            if not self.steps[pc].get("write"):
                return s
            # a string value, printed as tvl's REPL writes it
            for a, b in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"),
                         ("\t", "\\t"), ("\r", "\\r")):
                s = s.replace(a, b)
            return '"' + s + '"'
        if self.steps[pc].get("out") == "bool" or v < 2:
            return "#t" if v else "#f"
        return self.symbols[v]


    # ---- values the host reads (docs/trace-format.md) ----------------
    #
    # A site whose message names values carries read programs over the
    # cells the failing step read (backend/mhostval.c); the host replays
    # every write of the trace (and the prompt's SETR/SETM loads) to run
    # them, as backend/mtrace.c does.

    def memory(self):
        """The static cells (a list, by address) and the heap (a dict),
        with the prompt's loads replayed."""
        self.cells = [0] * max(self.ncells, REG_WADDR + 1)
        self.mem = {}
        p = self.prompt
        for i in range(len(p) - 2):
            if self.token(p[i])[0] != "SETR":
                continue
            a = self.token(p[i])[1]
            h, lo = self.token(p[i + 1])[1], self.token(p[i + 2])[1]
            if 0 < a < self.ncells:
                self.cells[a] = 65536 * h + lo + 32768
            # the loader's heap writes: SETR WADDR v, SETM v
            if a == REG_WADDR and i + 5 < len(p) and self.token(p[i + 3])[0] == "SETM":
                self.mem[self.cells[REG_WADDR]] = 65536 * self.token(p[i + 4])[1] + \
                    self.token(p[i + 5])[1] + 32768

    def write(self, step, v):
        t = step.get("target")
        a = {"static": lambda: step["addr"],
             "frame": lambda: self.cells[REG_SP] + step["off"],
             "waddr": lambda: self.cells[REG_WADDR] + step["off"],
             "hp": lambda: self.cells[REG_HP] + step["off"]}.get(t, lambda: None)()
        if a is None:
            return
        if t == "static" and 0 < a < self.ncells:
            self.cells[a] = v
        else:
            self.mem[a] = v

    def cell(self, a):
        if isinstance(self.cells, dict):   # a circuit's prompt
            return self.cells.get(a)
        return self.cells[a] if 0 <= a < len(self.cells) else None

    def values(self, read):
        """The operands of a read program: [(value, is_symbol)], or None
        when one has no value (mtrace.c host_values)."""
        code, st, out, i = read["code"], [], [], 0
        nargs = {HV_K: 1, HV_CELL: 1, HV_FRAME: 1, HV_MEM: 1, HV_OP: 2, HV_TABLE: 5,
                 HV_STROBJ: 2}
        while i < len(code):
            op = code[i]
            arg = code[i + 1:i + 1 + nargs.get(op, 0)]
            i += 1 + nargs.get(op, 0)
            if op == HV_K:
                st.append(arg[0])
            elif op == HV_CELL:
                st.append(self.cell(arg[0]))
            elif op == HV_FRAME:
                st.append(None if isinstance(self.cells, dict)
                          else self.mem.get(self.cells[REG_SP] + arg[0]))
            elif op == HV_STROBJ:
                x = st[-1]
                if x is not None and 0 <= x < arg[1]:
                    st[-1] = self.mem.get(arg[0] + x)
            elif op == HV_NONE:
                st.append(None)
            elif op == HV_MEM:
                x = st[-1]
                st[-1] = None if x is None else self.mem.get(x + arg[0])
            elif op in (HV_ADD, HV_SUB):
                y = st.pop()
                x = st[-1]
                st[-1] = None if x is None or y is None else x + y if op == HV_ADD else x - y
            elif op == HV_OP:
                f, n = arg
                xs = st[len(st) - n:]
                del st[len(st) - n:]
                st.append(host_op(f, xs))
            elif op == HV_SEL:
                y, x, c = st.pop(), st.pop(), st.pop()
                st.append(None if c is None else x if c else y)
            elif op == HV_TABLE:
                key = st[-1]
                if key is not None:
                    x = self.mem.get(arg[0] + key - arg[1]) if arg[1] <= key <= arg[2] else None
                    # has_default 2: a tagged default, 2^31 + default
                    st[-1] = x if x is not None else \
                        arg[4] + (DYN_BASE if arg[3] == 2 else 0) if arg[3] else None
            elif op in (HV_END, HV_ENDSYM):
                if len(st) != 1 or st[0] is None:
                    return None
                out.append((st.pop(), op == HV_ENDSYM))
            else:
                return None
        return out if len(out) == read["n"] else None

    def host_text(self, e, pc):
        """The message the site's values go into (mtrace.c host_text), or
        None to keep the text without values."""
        read = e.get("read")
        # without the prompt the memory is not known: no values
        if read is None or not self.prompt or (read["pc"] >= 0 and read["pc"] != pc):
            return None
        v = self.values(read)
        if v is None:
            return None
        if read.get("op"):
            if any(sym or not fits32(x) for x, sym in v):
                return None
            op = read["op"]
            return overflow_text(op[1:] if op[0] == "1" else op, op[0] == "1",
                                 [x for x, _ in v])
        if read.get("message") is None:
            return None
        m = []
        for ch in read["message"]:
            i = ord(ch) - 1
            if not 0 <= i < 4:
                m.append(ch)
                continue
            if i >= len(v):
                return None
            x, sym = v[i]
            if sym:
                if not 2 <= x < len(self.symbols):
                    return None
                m.append(self.symbols[x])
            elif fits32(x):
                m.append(str(x))
            else:
                # a tagged value: a boolean, a symbol or a character
                rel = x - 2 ** 31
                tag, plain = rel // 2 ** 24 + 1, rel % 2 ** 24
                if rel < 0 or tag not in (1, 8):
                    return None
                if tag == 8:
                    m.append(char_text(plain, True))
                elif plain < 2:
                    m.append("#t" if plain else "#f")
                elif plain < len(self.symbols):
                    m.append(self.symbols[plain])
                else:
                    return None
        return "".join(m)

    def retext(self, e, text):
        """The site's diagnostic with its message replaced by text."""
        first, nl, rest = e["diagnostic"].partition("\n")
        msg = e.get("message", "")
        if msg and first.endswith(msg):
            first = first[:len(first) - len(msg)] + text
        return first + nl + rest


# The read programs' operations (backend/machine.h: HV_*, HVF_*).
(HV_K, HV_CELL, HV_FRAME, HV_MEM, HV_ADD, HV_SUB, HV_END, HV_ENDSYM, HV_OP, HV_SEL,
 HV_TABLE, HV_NONE, HV_STROBJ) = range(1, 14)
(HVF_ADD, HVF_SUB, HVF_MUL, HVF_QUO, HVF_REM, HVF_MOD, HVF_ABS, HVF_MIN, HVF_MAX,
 HVF_AND, HVF_IOR, HVF_XOR, HVF_LOGNOT, HVF_EQ, HVF_LT, HVF_GT, HVF_LE, HVF_GE,
 HVF_ZERO, HVF_POS, HVF_NEG, HVF_EVEN, HVF_ODD, HVF_TRUE, HVF_TRUED, HVF_NOT,
 HVF_NOTD, HVF_ASH, HVF_EXPT, HVF_ALPHA, HVF_NUMERIC, HVF_WHITE, HVF_UPPER,
 HVF_LOWER, HVF_UPCASE, HVF_DOWNCASE, HVF_ISINT, HVF_ISPAIR, HVF_ISNIL, HVF_ISPROC,
 HVF_ISVEC, HVF_ISSTR, HVF_ISBOOL, HVF_ISSYM, HVF_ISCHAR, HVF_SAME) = range(1, 47)
REG_SP, REG_HP, REG_WADDR = 1, 2, 3
DYN_BASE, DYN_SPAN = 2 ** 31, 2 ** 24
# the tags of tagged values (lang/ir.h): symbols and booleans share 1
TAG_SYM, TAG_STR, TAG_VEC, TAG_NIL, TAG_PAIR, TAG_PROC, TAG_CHAR = 1, 3, 4, 5, 6, 7, 8


def fits32(x):
    return -2 ** 31 <= x < 2 ** 31


def cut_marked(b):
    """A whole error text the model printed: each value between two 0x1f
    bytes cut as tvl cuts a value in a message (lang/ir.h ERRTEXT_CUT)."""
    out = b""
    while True:
        m = b.find(b"\x1f")
        z = b.find(b"\x1f", m + 1) if m >= 0 else -1
        if z < 0:
            return out + b
        seg = b[m + 1:z]
        out += b[:m] + (seg[:57] + b"..." if len(seg) > 60 else seg)
        b = b[z + 1:]


def trunc_div(a, c):
    q = abs(a) // abs(c)
    return q if (a < 0) == (c < 0) else -q


def in_tag(x, tag, lo, width):
    base = DYN_BASE + (tag - 1) * DYN_SPAN + lo
    return base <= x < base + width


def host_op(f, xs):
    """HV_OP f of the values xs as the evaluator computes it on integers
    (mtrace.c host_op, host_cond); None for no value."""
    if any(x is None for x in xs):
        return None
    raw = HVF_TRUE <= f <= HVF_NOTD or HVF_ISINT <= f <= HVF_SAME
    if not raw and not all(fits32(x) for x in xs):
        return None
    a, c = xs[0], xs[1] if len(xs) > 1 else 0
    r = None
    if f in (HVF_ADD, HVF_SUB):
        r = -a if f == HVF_SUB and len(xs) == 1 else \
            a + sum(xs[1:]) if f == HVF_ADD else a - sum(xs[1:])
    elif f == HVF_MUL:
        r = 1
        if 0 in xs:
            return 0
        for x in xs:
            r *= x
            if not fits32(r):
                return None
    elif f in (HVF_QUO, HVF_REM, HVF_MOD):
        if c == 0:
            return None
        q = trunc_div(a, c)
        r = q if f == HVF_QUO else a - q * c
        if f == HVF_MOD and r != 0 and (r < 0) != (c < 0):
            r += c
    elif f == HVF_ABS:
        r = abs(a)
    elif f == HVF_MIN:
        r = min(xs)
    elif f == HVF_MAX:
        r = max(xs)
    elif f in (HVF_AND, HVF_IOR, HVF_XOR):
        r = a
        for x in xs[1:]:
            r = r & x if f == HVF_AND else r | x if f == HVF_IOR else r ^ x
    elif f == HVF_LOGNOT:
        r = ~a
    elif HVF_EQ <= f <= HVF_GE:
        test = {HVF_EQ: lambda u, v: u == v, HVF_LT: lambda u, v: u < v,
                HVF_GT: lambda u, v: u > v, HVF_LE: lambda u, v: u <= v,
                HVF_GE: lambda u, v: u >= v}[f]
        r = int(all(test(xs[i], xs[i + 1]) for i in range(len(xs) - 1)))
    elif f in (HVF_ZERO, HVF_POS, HVF_NEG, HVF_EVEN, HVF_ODD):
        r = int({HVF_ZERO: a == 0, HVF_POS: a > 0, HVF_NEG: a < 0,
                 HVF_EVEN: a % 2 == 0, HVF_ODD: a % 2 != 0}[f])
    elif f == HVF_TRUE:
        r = int(a != 0)
    elif f == HVF_TRUED:
        r = int(a != DYN_BASE)
    elif f == HVF_NOT:
        r = int(a == 0)
    elif f == HVF_NOTD:
        r = int(a == DYN_BASE)
    elif f == HVF_ASH:
        if c <= -32:
            return -1 if a < 0 else 0
        if c < 0:
            return a >> -c
        if a == 0:
            return 0
        if c > 31:
            return None
        r = a << c
    elif f == HVF_EXPT:
        if c < 0:
            return (-1 if a == -1 and c % 2 else 1) if a in (1, -1) else None
        if a in (0, 1, -1):
            return int(c == 0) if a == 0 else -1 if a == -1 and c % 2 else 1
        r = 1
        for _ in range(c):
            r *= a
            if not fits32(r):
                return None
    elif HVF_ALPHA <= f <= HVF_DOWNCASE:
        # Python's Unicode classes stand in for tvl's tables (Guile's):
        # exact for ASCII and most letters, as char_text
        if not 0 <= a <= 0x10FFFF:
            return None
        ch = chr(a)
        if f == HVF_UPCASE or f == HVF_DOWNCASE:
            m = ch.upper() if f == HVF_UPCASE else ch.lower()
            return ord(m) if len(m) == 1 else a
        return int({HVF_ALPHA: ch.isalpha(), HVF_NUMERIC: ch.isdigit(),
                    HVF_WHITE: ch.isspace(), HVF_UPPER: ch.isupper(),
                    HVF_LOWER: ch.islower()}[f])
    elif f == HVF_ISINT:
        r = int(fits32(a))
    elif HVF_ISPAIR <= f <= HVF_ISCHAR:
        tag, lo, width = {HVF_ISPAIR: (TAG_PAIR, 0, DYN_SPAN), HVF_ISNIL: (TAG_NIL, 0, DYN_SPAN),
                          HVF_ISPROC: (TAG_PROC, 0, DYN_SPAN), HVF_ISVEC: (TAG_VEC, 0, DYN_SPAN),
                          HVF_ISSTR: (TAG_STR, 0, DYN_SPAN), HVF_ISBOOL: (TAG_SYM, 0, 2),
                          HVF_ISSYM: (TAG_SYM, 2, DYN_SPAN - 2),
                          HVF_ISCHAR: (TAG_CHAR, 0, DYN_SPAN)}[f]
        r = int(in_tag(a, tag, lo, width))
    elif f == HVF_SAME:
        r = int(len(xs) == 2 and a == c)
    else:
        return None
    return r if r is None or raw or fits32(r) else None


def overflow_text(op, one, k):
    """The evaluator's words for an overflow of op on the integers k, or
    None where they do not overflow (backend/merrtext.c)."""
    def say(op, k, known, r):
        t = "integer overflow: (%s%s)" % (op, "".join(" %d" % x for x in k))
        return t + (" is %d, which does not fit in 32 bits" % r if known
                    else " does not fit in 32 bits")
    n = len(k)
    if op in ("+", "-"):
        if not 1 <= n <= 16:
            return None
        plus = op == "+"
        r = sum(k) if plus else -k[0] if n == 1 else k[0] - sum(k[1:])
        if fits32(r):
            return None
        if one and n == 2 and k[1] == 1:
            return say("1+" if plus else "1-", k[:1], True, r)
        return say(op, k, True, r)
    if op == "*":
        if 0 in k:
            return None
        r = 1
        for i, x in enumerate(k):
            r *= x
            if r > 2 ** 31 or r < -2 ** 31:
                return say(op, k, i == n - 1, r)
        return None if fits32(r) else say(op, k, True, r)
    if op == "expt" and n == 2:
        b, e = k
        if b in (0, 1, -1) or e <= 0:
            return None
        r = 1
        for i in range(e):
            r *= b
            if not fits32(r):
                return say(op, k, i == e - 1, r)
        return None
    if op in ("lcm", "gcd"):
        lcm = op == "lcm"
        r = 1 if lcm else 0
        for x in k:
            if lcm and r == 0:
                break
            x = abs(x)
            if lcm and x == 0:
                return None
            r = r // math.gcd(r, x) * x if lcm else math.gcd(r, x)
            if lcm and r > 2 ** 31 - 1:
                break
        return None if fits32(r) else say(op, k, True, r)
    if op == "ash" and n == 2:
        x, s = k
        if s <= 0 or x == 0:
            return None
        if s > 31:
            return say(op, k, False, 0)
        r = x << s
        return None if fits32(r) else say(op, k, True, r)
    return None


CHAR_NAMES = ["nul", "soh", "stx", "etx", "eot", "enq", "ack", "alarm", "backspace",
              "tab", "newline", "vtab", "page", "return", "so", "si", "dle", "dc1",
              "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc",
              "fs", "gs", "rs", "us", "space"]


def char_text(cp, write):
    """A character as display (itself) or write (#\\a, #\\space) shows it.
    tvl's write takes which characters it shows from Guile's tables
    (lang/unicode-tables.h); here Python's own printable and combining
    classes stand in for them, exact for ASCII and most letters."""
    c = chr(cp)
    if not write:
        return c
    if cp <= 32:
        return "#\\" + CHAR_NAMES[cp]
    if cp == 127:
        return "#\\delete"
    import unicodedata
    if c.isprintable():
        return "#\\" + ("\u25cc" + c if unicodedata.combining(c) else c)
    return "#\\" + "%o" % cp


def streams_shared():
    """Whether stdout and stderr go to one place (a terminal, one file or
    pipe): tvl ends the program's open line before an error only then."""
    if os.isatty(1) and os.isatty(2):
        return True
    try:
        o, e = os.fstat(1), os.fstat(2)
    except OSError:
        return True
    return (o.st_dev, o.st_ino) == (e.st_dev, e.st_ino)


def show(program, tokens, with_result):
    """Prints what tvl prints; returns the exit status."""
    output, result, error = program.decode(tokens)
    sys.stdout.write(output)
    fresh = "\n" if output and not output.endswith("\n") else ""
    if error is not None:
        if streams_shared():   # as tvl: the open line ended only then
            sys.stdout.write(fresh)
        sys.stdout.flush()
        sys.stderr.write(error)
        return 1
    if with_result and result is not None:
        sys.stdout.write(fresh + result + "\n")
    return 0


class Both:
    """A routed and a dense model in lockstep: every argmax must agree."""

    def __init__(self, routed, dense):
        self.a, self.b = routed, dense
        self.meta, self.vocab, self.stop = routed.meta, routed.vocab, routed.stop

    def push(self, token, argmax=True):
        ta, tb = self.a.push(token, argmax), self.b.push(token, argmax)
        if ta != tb:
            raise ModelError("routed and dense differ at position %d: %s, %s"
                             % (self.a.pos - 1, ta, tb))
        self.x = self.a.x
        return ta

    def units(self):
        return [sum(l.evaluated for l in m.layers) for m in (self.a, self.b)]


def decode(model, prompt, max_new, resid=None):
    if not prompt:
        raise ModelError("empty prompt")

    def push(tok, argmax=True):
        nxt = model.push(tok, argmax)
        if resid is not None:
            bits = (model.x + 0.0).view(np.uint64)
            resid.write(" ".join("%016x" % b for b in bits) + "\n")
        return nxt

    for i, tok in enumerate(prompt):
        nxt = push(tok, i == len(prompt) - 1)
    out = []
    while len(out) < max_new:
        out.append(nxt)
        if model.stop[nxt] or len(out) == max_new:
            break
        nxt = push(nxt)
    return out


DEBIAN = {"numpy": "python3-numpy", "torch": "python3-torch"}


def python_with(modules, script, argv):
    """When this python3 lacks a module the runner needs but Debian's
    /usr/bin/python3, where python3-numpy and python3-torch install, is
    another interpreter and has them (a pyenv or venv python3 first in
    PATH is common), runs the script with it instead.  Otherwise returns
    the message saying what is missing."""
    missing = []
    for m in modules:
        try:
            __import__(m)
        except ImportError:
            missing.append(m)
    if not missing:
        return None
    alt = "/usr/bin/python3"
    if not os.environ.get("TVL_PYTHON_SWITCHED") and os.access(alt, os.X_OK) \
            and os.path.realpath(sys.executable) != os.path.realpath(alt) \
            and subprocess.run([alt, "-c", "import " + ", ".join(modules)],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL).returncode == 0:
        os.environ["TVL_PYTHON_SWITCHED"] = "1"
        sys.stdout.flush()
        os.execv(alt, [alt, os.path.abspath(script)] + list(argv))
    return "%s %s not installed for %s (Debian: %s)" % (
        " and ".join(missing), "is" if len(missing) == 1 else "are",
        sys.executable or "python3",
        " ".join(DEBIAN.get(m, m) for m in missing))


def main(argv=None):
    missing = python_with(["numpy"], __file__,
                          sys.argv[1:] if argv is None else argv)
    if missing:
        print("tvl_run.py: %s" % missing, file=sys.stderr)
        return 1
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--prompt", help="comma-separated token ids")
    ap.add_argument("--max-new", type=int,
                    help="tokens to generate at most (default 64, or "
                         "100000000 for an exported program)")
    ap.add_argument("--residuals", help="write each position's residual here")
    ap.add_argument("--tokens", action="store_true",
                    help="print the token ids even for an exported program")
    ap.add_argument("--no-result", action="store_true",
                    help="print the output only, as a tvl script does")
    ap.add_argument("--engine", choices=("routed", "dense", "both"),
                    default="routed",
                    help="routed (the default: only the shared and the "
                         "running step's FFN units, when the model's "
                         "routing proof holds), dense (every unit), or both "
                         "side by side, failing at the first token where "
                         "they differ")
    args = ap.parse_args(argv)
    try:
        model = Model(args.model, capacity=4096,
                      engine="dense" if args.engine == "dense" else "routed")
        if args.engine == "both":
            model = Both(model, Model(args.model, capacity=4096, engine="dense"))
        meta = json.loads(model.meta.get("tvl.meta", "{}"))
        program = Program(meta, model.vocab) if "tvl_program" in meta else None
        max_new = args.max_new
        if max_new is None:
            max_new = 100000000 if program else 64
        text = args.prompt if args.prompt is not None \
            else model.meta.get("tvl.prompt")
        if text is not None:
            prompt = [int(s) for s in text.split(",") if s.strip()]
        elif program and "prompt" in meta:
            prompt = meta["prompt"]
        else:
            raise ModelError("no --prompt and no prompt in the file "
                             "(export it with the procedure's arguments)")
        resid = open(args.residuals, "w") if args.residuals else None
        tokens = decode(model, prompt, max_new, resid)
        if resid:
            resid.close()
        if args.engine == "both":
            ua, ub = model.units()
            print("tvl_run.py: routed and dense agree on %d tokens (FFN units "
                  "evaluated: routed %d, dense %d)" % (len(tokens), ua, ub),
                  file=sys.stderr)
        if program and not args.tokens:
            program.prompt = prompt
            return show(program, tokens, not args.no_result)
        for tok in tokens:
            print(tok)
    except (ModelError, KeyError, ValueError, TypeError, IndexError,
            struct.error, OSError) as e:
        print("tvl_run.py: %s: %s" % (args.model, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
