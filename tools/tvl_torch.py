#!/usr/bin/env python3
"""tvl_torch.py - run tvl model files as a torch.nn.Module, in batches.

    tvl_torch.py MODEL [MODEL ...] [--prompt 1,2,3 ...] [--max-new N]
                 [--device cpu|cuda|auto] [--engine routed|dense|both]
                 [--tokens] [--no-result] [--residuals FILE]

Loads a tvl safetensors file (docs/model-format.md) into a float64
torch.nn.Module made of standard layers (nn.Embedding token features,
bias-free nn.Linear projections, hard-max attention written with torch
ops, a ReGLU FFN) and decodes greedily, as tools/tvl_run.py does with
numpy, and with the same host rules: it reads the same files, decodes an
exported program's tokens into what tvl prints with tvl_run.py's own
Program class (and refuses a program's tool call by name, as soon as the
model emits the CALL token), and prints the same text.

Several MODEL files of one compiled program (tvl's :export of the same
procedure with different arguments: equal weights, different prompts), or
several --prompt options, run as one batch: one forward pass per position
computes every sequence of the batch.  Each input's lines are then printed
after its name ("FILE: ") or its number ("#N: ").  Sequences that halt
leave the batch; each one's tokens are those of a run of its own.

The default device is the CPU; --device cuda runs on a CUDA device, and
--device auto on one when torch finds one.

A model that records routing (tvl.routing, whose proof holds: a machine's
FFN units owned by its steps) runs routed by default, as tvl_run.py and
tvl do: per position, only the shared units and those of the steps the
routers select are computed (for a batch, those some sequence selects;
each sequence gets 0 from the units it does not run).  --engine dense
computes every unit; --engine both runs the batch both ways and fails
where their tokens differ, else says how many units each computed.
An exported circuit (docs/circuits.md) is decoded as tvl_run.py decodes
it: its one token is the value or the error.

Run by a python3 without numpy or torch (a pyenv or venv one first in
PATH), the runner runs itself with /usr/bin/python3 when that one has
them (Debian's python3-numpy and python3-torch), and otherwise says what
is missing.

Exactness: the weights are applied in the order the format fixes (each
row of a product summed over its non-zero weights in increasing column
order, as tvl_run.py does), so the residuals equal the C executor's bit
for bit (tests/torch-check.sh checks them); set a layer's `exact` to
False for a plain nn.Linear product, whose summation order is BLAS's.
Keys, queries and AVERAGE values are checked to be integers within the
format's bounds, and scores to stay below 2^53, as tvl_run.py does.
"""

import argparse
import contextlib
import io
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tvl_run  # noqa: E402  (the numpy runner: loading, decoding, printing)
from tvl_run import ModelError  # noqa: E402

try:
    import torch
    from torch import nn
    import torch.nn.functional as F
except ImportError:   # the command line says so; importers get the error
    torch = None
    nn = None

F64 = None if torch is None else torch.float64
# a row's padded width is at most this many times its non-zero count, or
# the whole matrix is one padded block when that costs at most this many
# multiplications (fewer torch calls for the small matrices tvl makes)
ONE_BLOCK = 1 << 16


def _buckets(w):
    """Groups w's rows for an ordered sum: [(rows, cols, vals)], each a
    block of rows padded to one width with zero weights on column 0.
    A small matrix is one block of all its rows, in order."""
    import numpy as np
    nz = w != 0
    counts = nz.sum(axis=1)
    live = np.flatnonzero(counts)
    if not len(live):
        return []
    kmax = int(counts.max())
    if len(counts) * kmax <= max(ONE_BLOCK, 4 * int(counts.sum())):
        groups = [(np.arange(len(counts)), kmax)]
    else:
        width = np.ones_like(counts)
        while (width < counts).any():
            width[width < counts] *= 2
        groups = [(live[width[live] == k], int(k)) for k in np.unique(width[live])]
    out = []
    for rows, k in groups:
        cols = np.zeros((len(rows), k), dtype=np.int64)
        vals = np.zeros((len(rows), k))
        for i, r in enumerate(rows):
            c = np.flatnonzero(nz[r])
            cols[i, :len(c)] = c
            vals[i, :len(c)] = w[r, c]
        out.append((rows, cols, vals))
    return out


if torch is not None:

    class OrderedLinear(nn.Linear):
        """A bias-free nn.Linear whose y = W x sums each row over its
        non-zero weights in increasing column order (the model format's
        order: terms with a zero weight are exact zeros).  On the CPU a
        block of rows is one cumsum (sequential); elsewhere the terms are
        added one column at a time.  After changing `weight`, call
        reindex(); with exact = False it is a plain nn.Linear."""

        def __init__(self, w):
            super().__init__(w.shape[1], w.shape[0], bias=False, dtype=F64)
            with torch.no_grad():
                self.weight.copy_(torch.from_numpy(w.copy()))
            self.weight.requires_grad_(False)
            self.exact = True
            self.nblocks = 0
            self.reindex()

        def reindex(self):
            for i in range(self.nblocks):
                for n in ("rows", "cols", "vals"):
                    delattr(self, "b%d_%s" % (i, n))
            blocks = _buckets(self.weight.detach().cpu().numpy())
            dev = self.weight.device
            for i, (rows, cols, vals) in enumerate(blocks):
                self.register_buffer("b%d_rows" % i, torch.from_numpy(rows).to(dev))
                self.register_buffer("b%d_cols" % i, torch.from_numpy(cols).to(dev))
                self.register_buffer("b%d_vals" % i, torch.from_numpy(vals).to(dev))
            self.nblocks = len(blocks)
            # one block of every row, in order: its sums are y itself
            self.whole = len(blocks) == 1 and len(blocks[0][0]) == self.out_features

        @staticmethod
        def _terms(x, cols, vals):
            """x[b, cols[i, j]] * vals[i, j], (batch, rows, width)."""
            return x.index_select(1, cols.view(-1)).view(x.shape[0], *cols.shape) * vals

        @staticmethod
        def _sums(terms):
            k = terms.shape[2]
            if k == 1:
                return terms.select(2, 0)
            if terms.device.type == "cpu":
                return torch.cumsum(terms, dim=2).select(2, k - 1)
            s = terms.select(2, 0)                  # a scan's order is not ours
            for c in range(1, k):
                s = s + terms.select(2, c)
            return s

        def forward_rows(self, x, keep):
            """forward(x) for the rows where keep (a bool per output) is
            true, zeros in the others, which cost nothing."""
            if not self.exact:
                return torch.where(keep, F.linear(x, self.weight), 0.0)
            y = x.new_zeros(x.shape[0], self.out_features)
            for i in range(self.nblocks):
                rows = getattr(self, "b%d_rows" % i)
                sel = keep.index_select(0, rows).nonzero().view(-1)
                if not len(sel):
                    continue
                cols = getattr(self, "b%d_cols" % i).index_select(0, sel)
                vals = getattr(self, "b%d_vals" % i).index_select(0, sel)
                y[:, rows.index_select(0, sel)] = self._sums(self._terms(x, cols, vals))
            return y

        def forward(self, x):
            if not self.exact:
                return F.linear(x, self.weight)
            if self.whole:
                return self._sums(self._terms(x, self.b0_cols, self.b0_vals))
            y = x.new_zeros(x.shape[0], self.out_features)
            for i in range(self.nblocks):
                cols = getattr(self, "b%d_cols" % i)
                vals = getattr(self, "b%d_vals" % i)
                y[:, getattr(self, "b%d_rows" % i)] = self._sums(self._terms(x, cols, vals))
            return y

    class HardMaxAttention(nn.Module):
        """A layer's hard-max heads, all at once.  Per head a 2-D query and
        key (w_q, w_k), a value (w_v) and an output (w_o) projection;
        the score of a stored position is q . k, and the best score wins:
        LATEST takes the latest such position's value, AVERAGE the mean of
        all of theirs.  A head with a mask slot stores a position's key
        only where that slot is 0.  The projections of all heads are one
        OrderedLinear, every query first, then every key, then every
        value (each row's sum is the same in any order of rows); their
        outputs another.

        The key store is the caller's `cache` dict: keys (B, H, T, 2),
        values (B, H, T, dv), stored (B, H, T), the largest |key| so far
        (B, H, 2); forward() writes position `pos` into it."""

        def __init__(self, descs, t, layer, d):
            super().__init__()
            import numpy as np
            pre = ["layers.%d.attn.%d." % (layer, i) for i in range(len(descs))]
            ws = [(t[p + "w_q"], t[p + "w_k"], t[p + "w_v"], t[p + "w_o"]) for p in pre]
            for q, k, v, o in ws:
                if q.shape != (2, d) or k.shape != (2, d) or v.shape[1] != d \
                        or o.shape != (d, v.shape[0]):
                    raise ModelError("layer %d: a head's shapes do not agree" % layer)
            if not all(h["tie"] in ("latest", "average") for h in descs):
                raise ModelError("a head's tie rule is neither latest nor average")
            mask = [h["mask_slot"] for h in descs]
            if not all(-1 <= m < d for m in mask):
                raise ModelError("a head's mask_slot is outside the residual")
            self.layer = layer
            self.names = [h["name"] for h in descs]
            H = self.nheads = len(descs)
            self.dvs = [w[2].shape[0] for w in ws]
            self.dvmax = max(self.dvs + [1])
            self.qkv = OrderedLinear(np.concatenate(
                [w[0] for w in ws] + [w[1] for w in ws] + [w[2] for w in ws]))
            self.out = OrderedLinear(np.concatenate([w[3] for w in ws], axis=1))
            # values padded to dvmax per head (a zero column) when widths differ
            self.uneven = any(dv != self.dvmax for dv in self.dvs)
            v_idx, cat_idx, o = [], [], 4 * H
            zero = self.qkv.out_features
            for h, dv in enumerate(self.dvs):
                v_idx.append([o + j for j in range(dv)] + [zero] * (self.dvmax - dv))
                cat_idx += [h * self.dvmax + j for j in range(dv)]
                o += dv
            self.register_buffer("v_idx", torch.tensor(v_idx, dtype=torch.int64))
            self.register_buffer("cat_idx", torch.tensor(cat_idx, dtype=torch.int64))
            self.register_buffer("mask_slot", torch.tensor([max(m, 0) for m in mask]))
            self.register_buffer("unmasked", torch.tensor([m < 0 for m in mask]))
            latest = [h["tie"] == "latest" for h in descs]
            self.register_buffer("latest", torch.tensor(latest))
            self.register_buffer("average", ~self.latest)
            self.any_latest, self.any_average = any(latest), not all(latest)
            self.register_buffer("qk_max", torch.tensor(
                [tvl_run.QUERY_MAX] * (2 * H) + [tvl_run.KEY_MAX_X, tvl_run.KEY_MAX_Y] * H,
                dtype=F64))

        def new_cache(self, batch, capacity, device):
            H, dv = self.nheads, self.dvmax
            return {"keys": torch.zeros(batch, H, capacity, 2, dtype=F64, device=device),
                    "vals": torch.zeros(batch, H, capacity, dv, dtype=F64, device=device),
                    "stored": torch.zeros(batch, H, capacity, dtype=torch.bool, device=device),
                    "maxabs": torch.zeros(batch, H, 2, dtype=F64, device=device)}

        def forward(self, x, pos, cache, checks):
            """x: (B, d) at position pos; returns W_O [v_0; v_1; ...].
            Appends to checks (code, layer, (B,) bool) where a bound of the
            format breaks."""
            B, H = x.shape[0], self.nheads
            qkv = self.qkv(x)
            qk = qkv.narrow(1, 0, 4 * H)
            q = qk.narrow(1, 0, 2 * H).view(B, H, 2)
            k = qk.narrow(1, 2 * H, 2 * H).view(B, H, 2)
            if self.uneven:
                v = torch.cat([qkv, qkv.new_zeros(B, 1)], dim=1)[:, self.v_idx]
            else:
                v = qkv.narrow(1, 4 * H, H * self.dvmax).view(B, H, self.dvmax)
            store = self.unmasked | (x.index_select(1, self.mask_slot) == 0)     # (B, H)
            # integers within bounds: |q| <= 2^31, |k| <= (2^31, 2^62)
            qka = qk.abs()
            wrong = ((qk != qk.floor()) | (qka > self.qk_max)).view(B, 2, H, 2).any(3)
            checks.append((1, self.layer, wrong.select(1, 0).any(1)))
            checks.append((2, self.layer, (wrong.select(1, 1) & store).any(1)))
            if self.any_average:   # AVERAGE values: integers within 2^31
                wv = ((v != v.floor()) | (v.abs() > tvl_run.AVG_VALUE_MAX)).any(2)
                checks.append((3, self.layer, (wv & store & self.average).any(1)))
            maxabs = torch.where(store[:, :, None],
                                 torch.maximum(cache["maxabs"], qka.narrow(1, 2 * H, 2 * H).view(B, H, 2)),
                                 cache["maxabs"])
            cache["maxabs"] = maxabs
            limit = (qka.narrow(1, 0, 2 * H).view(B, H, 2) * maxabs).sum(2) >= tvl_run.SCORE_LIMIT
            checks.append((4, self.layer, limit.any(1)))
            cache["keys"].select(2, pos).copy_(k)
            cache["vals"].select(2, pos).copy_(v)
            cache["stored"].select(2, pos).copy_(store)
            keys = cache["keys"].narrow(2, 0, pos + 1)
            stored = cache["stored"].narrow(2, 0, pos + 1)
            vals = cache["vals"].narrow(2, 0, pos + 1)
            # exact integers below 2^53 (checked), so any order of sums
            score = torch.where(stored, keys.select(3, 0) * q.narrow(2, 0, 1)
                                + keys.select(3, 1) * q.narrow(2, 1, 1), -float("inf"))
            tied = (score == score.amax(dim=2, keepdim=True)) & stored     # (B, H, T)
            if self.any_latest:    # the latest of the best
                at = torch.arange(pos + 1, device=x.device)
                last = torch.where(tied, at, -1).amax(dim=2).clamp(min=0)
                read = vals.gather(2, last.view(B, H, 1, 1).expand(B, H, 1, self.dvmax)).select(2, 0)
            if self.any_average:   # the mean of the best: an exact sum / count
                count = tied.sum(dim=2, keepdim=True)
                mean = torch.where(tied[..., None], vals, 0.0).sum(dim=2) / count.clamp(min=1)
                read = torch.where(self.latest[:, None], read, mean) if self.any_latest else mean
            read = torch.where(stored.any(2, keepdim=True), read, 0.0)   # no key: zeros
            read = read.reshape(B, H * self.dvmax)
            if self.uneven:
                read = read[:, self.cat_idx]
            return self.out(read)

    class ReGLU(nn.Module):
        """x -> w_down (relu(w_gate x) * (w_up x)); gate and up are one
        OrderedLinear, as their rows are summed alike.

        Routed (route: each unit's (router, expert), router -1 for a
        unit every position runs; docs/model-format.md, Routing): given
        each sequence's selected expert per router, only the units that
        some sequence of the batch runs are computed, and a unit a
        sequence does not run gives 0 there (the compiler proved that
        its gate is <= 0 there, so that the dense pass gives 0 too)."""

        def __init__(self, gate, up, down, route=None):
            super().__init__()
            import numpy as np
            self.n = gate.shape[0]
            self.gate_up = OrderedLinear(np.concatenate([gate, up]))
            self.down = OrderedLinear(down)
            self.evaluated = 0            # units computed, summed over sequences
            self.routed = route is not None
            if self.routed:
                route = route.astype("int64")
                self.register_buffer("shared", torch.from_numpy(route[:, 0] < 0))
                self.register_buffer("owner_r", torch.from_numpy(np.maximum(route[:, 0], 0)))
                self.register_buffer("owner_e", torch.from_numpy(route[:, 1]))

        def forward(self, x, sel=None):
            """sel: (B, routers) the selected experts (-1: none), or None
            to run every unit."""
            n = self.n
            if sel is None or not self.routed:
                self.evaluated += n * x.shape[0]
                gu = self.gate_up(x)
                return self.down(torch.relu(gu.narrow(1, 0, n)) * gu.narrow(1, n, n))
            active = self.shared | (sel.index_select(1, self.owner_r) == self.owner_e)  # (B, n)
            self.evaluated += int(active.sum())
            anyrow = active.any(0)
            gu = self.gate_up.forward_rows(x, torch.cat([anyrow, anyrow]))
            h = torch.where(active, torch.relu(gu.narrow(1, 0, n)) * gu.narrow(1, n, n), 0.0)
            return self.down(h)

    class Block(nn.Module):
        """One layer: x += attention(x); x += ffn(x).  A forward hook on
        a block sees the residual stream after it (hook_resid_post)."""

        def __init__(self, descs, t, layer, d, routers=()):
            super().__init__()
            self.attn = HardMaxAttention(descs, t, layer, d) if descs else None
            g, u, w = (t["layers.%d.ffn.%s" % (layer, n)] for n in ("w_gate", "w_up", "w_down"))
            if g.shape != u.shape or w.shape != (d, g.shape[0]) or g.shape[1] != d:
                raise ModelError("layer %d: FFN shapes do not agree" % layer)
            route = t.get("layers.%d.ffn.route" % layer)
            if route is not None and route.shape != (g.shape[0], 2):
                raise ModelError("layer %d: ffn.route's shape does not agree" % layer)
            self.ffn = ReGLU(g, u, w, route) if g.shape[0] else None
            self.layer = layer
            # the routers read on the residual entering this FFN:
            # (index, experts, its row as a 1 x d OrderedLinear)
            self.router_ids = [r for r, _, _ in routers]
            self.router_experts = [e for _, e, _ in routers]
            self.routers = nn.ModuleList(lin for _, _, lin in routers)

        def forward(self, x, pos, cache, checks, sel=None):
            if self.attn is not None:
                x = x + self.attn(x, pos, cache, checks)
            if sel is not None:
                for r, experts, lin in zip(self.router_ids, self.router_experts, self.routers):
                    v = lin(x).select(1, 0)
                    checks.append((8, self.layer, v != v.floor()))   # NaN, inf too
                    ok = (v >= 0) & (v < experts)
                    sel[:, r] = torch.where(ok, v, -1.0).to(torch.int64)
            if self.ffn is not None:
                x = x + self.ffn(x, sel)
            checks.append((5, self.layer, ~torch.isfinite(x).all(1)))
            return x

    class TvlTransformer(nn.Module):
        """A tvl model file as a module.  forward(tokens, pos, caches)
        runs one position of every sequence of a batch (tokens: (B,),
        all at position pos) and returns the residuals (B, d) and the
        checks of the format's bounds; logits(x) follows.  generate() is
        the greedy decoding loop."""

        ERRORS = {1: "a query is not an integer within bounds",
                  2: "a key is not an integer within bounds",
                  3: "an AVERAGE value is not an integer within bounds",
                  4: "scores could exceed 2^53",
                  5: "the residual is not finite",
                  6: "the embedding is not finite",
                  7: "a logit is not finite",
                  8: "a router is not an integer"}

        def __init__(self, path, engine="routed"):
            super().__init__()
            meta, t = tvl_run.load(path)
            if meta.get("tvl.format") != "1":
                raise ModelError("not a tvl model file (tvl.format)")
            if meta.get("tvl.pos_features") != "p,r,r2,rm1,rm2":
                raise ModelError("unknown position features")
            self.ring = int(meta.get("tvl.pos_ring", "0"))
            if self.ring < 3:
                raise ModelError("tvl.pos_ring is missing or too small")
            self.meta = meta
            self.vocab = json.loads(meta["tvl.vocab"])
            self.program_meta = json.loads(meta.get("tvl.meta", "{}"))
            p_in = t["tok_embed.proj"]
            d = p_in.shape[0]
            nranges = len(self.vocab)
            role = t["tok_embed.role"].astype("int64")
            value = t["tok_embed.value"]
            if p_in.shape != (d, 2 * nranges) or t["unembed.proj"].shape != (3 * nranges, d) \
                    or t["pos_embed.proj"].shape != (d, 5) or role.shape != value.shape \
                    or role.min(initial=0) < 0 or role.max(initial=0) >= nranges:
                raise ModelError("the embedding shapes do not agree with tvl.vocab")
            self.d_model = d
            # token t of range r: F[t, 2r] = 1, F[t, 2r+1] = value(t)
            self.tok_one = nn.Embedding(nranges, d, dtype=F64)
            self.tok_val = nn.Embedding(nranges, d, dtype=F64)
            with torch.no_grad():
                self.tok_one.weight.copy_(torch.from_numpy(p_in[:, 0::2].T.copy()))
                self.tok_val.weight.copy_(torch.from_numpy(p_in[:, 1::2].T.copy()))
            self.register_buffer("pos_proj", torch.from_numpy(t["pos_embed.proj"].copy()))
            self.register_buffer("role", torch.from_numpy(role))
            self.register_buffer("value", torch.from_numpy(value.copy()))
            self.register_buffer("value2", self.value * self.value)
            self.register_buffer("stop", torch.tensor(
                [bool(r["stop"]) for r in self.vocab])[self.role])
            # the logits: big ranges by slices, the small ones gathered
            self.big = []
            small = []
            for r, rng in enumerate(self.vocab):
                lo, n = rng["first"], rng["count"]
                if n >= 1024:
                    self.big.append((r, lo, lo + n))
                else:
                    small += range(lo, lo + n)
            small_t = torch.tensor(small, dtype=torch.int64)
            self.register_buffer("small", small_t)
            self.register_buffer("small_r3", 3 * self.role[small_t])
            self.register_buffer("small_v", self.value[small_t])
            self.register_buffer("small_v2", self.value2[small_t])
            # routing (docs/model-format.md): the routers' rows, when
            # the compiler's proof holds; each block reads its own
            routing = json.loads(meta.get("tvl.routing", "null"))
            self.routing_holds = bool(routing and routing.get("holds"))
            self.n_routers = len(routing["routers"]) if self.routing_holds else 0
            at = {}
            for r in range(self.n_routers):
                ro = routing["routers"][r]
                w = t["routing.%d.w" % r]
                if w.shape != (1, d):
                    raise ModelError("routing.%d.w's shape does not agree" % r)
                at.setdefault(int(ro["layer"]), []).append(
                    (r, int(ro["experts"]), OrderedLinear(w)))
            heads_by_layer = json.loads(meta["tvl.heads"])
            if any(not 0 <= l < len(heads_by_layer) for l in at):
                raise ModelError("a router's layer is not a layer of the model")
            self.blocks = nn.ModuleList(
                Block(heads, t, l, d, at.get(l, ()))
                for l, heads in enumerate(heads_by_layer))
            self.set_engine(engine)
            if len(self.blocks) != int(meta.get("tvl.n_layers", len(self.blocks))):
                raise ModelError("tvl.heads does not list tvl.n_layers layers")
            self.unembed = OrderedLinear(t["unembed.proj"])
            self.requires_grad_(False)
            call = [r for r in self.vocab if r["role"] == "CALL"]
            self.call_range = (call[0]["first"], call[0]["first"] + call[0]["count"]) \
                if call else (0, 0)

        def set_engine(self, engine):
            """"routed": per position, only the shared units and those of
            the experts the routers select (when the model records
            routing and its proof holds; otherwise dense), or "dense":
            every unit."""
            if engine not in ("routed", "dense"):
                raise ModelError("the engine is routed or dense")
            self.routed = engine == "routed" and self.routing_holds

        def units_evaluated(self):
            """FFN units computed so far, summed over positions and
            sequences (reset_units() starts again)."""
            return sum(b.ffn.evaluated for b in self.blocks if b.ffn is not None)

        def reset_units(self):
            for b in self.blocks:
                if b.ffn is not None:
                    b.ffn.evaluated = 0

        def new_caches(self, batch, capacity=256):
            dev = self.value.device
            return [b.attn.new_cache(batch, capacity, dev) if b.attn is not None else None
                    for b in self.blocks]

        def embed(self, tokens, pos):
            r = self.role[tokens]
            tok = self.tok_one(r) + self.value[tokens][:, None] * self.tok_val(r)
            # posfeat(pos) as tvl_run.py computes it, summed in feature
            # order as the C engine does (bit for bit)
            feats = tvl_run.pos_features(pos, self.ring)
            pe = self.pos_proj[:, 0] * feats[0]
            for k in range(1, len(feats)):
                pe = pe + self.pos_proj[:, k] * feats[k]
            return tok + pe

        def forward(self, tokens, pos, caches):
            checks = []
            x = self.embed(tokens, pos)
            checks.append((6, -1, ~torch.isfinite(x).all(1)))
            sel = None
            if self.routed:     # per sequence, per router: none selected yet
                sel = torch.full((x.shape[0], self.n_routers), -1,
                                 dtype=torch.int64, device=x.device)
            for block, cache in zip(self.blocks, caches):
                x = block(x, pos, cache, checks, sel)
            return x, checks

        def logits(self, x):
            """(z[3r] + v z[3r+1]) + (v v) z[3r+2] over the vocabulary."""
            z = self.unembed(x)
            out = x.new_empty(x.shape[0], len(self.role))
            for r, lo, hi in self.big:
                o, tmp = out[:, lo:hi], torch.empty_like(out[:, lo:hi])
                torch.mul(self.value[lo:hi], z[:, 3 * r + 1:3 * r + 2], out=o)
                o.add_(z[:, 3 * r:3 * r + 1])
                torch.mul(self.value2[lo:hi], z[:, 3 * r + 2:3 * r + 3], out=tmp)
                o.add_(tmp)
            if len(self.small):
                r3 = self.small_r3
                out[:, self.small] = (z[:, r3] + self.small_v * z[:, r3 + 1]) \
                    + self.small_v2 * z[:, r3 + 2]
            return out

        def first_error(self, checks, row):
            for code, layer, flag in checks:
                if bool(flag[row]):
                    where = "layer %d: " % layer if layer >= 0 else ""
                    return where + self.ERRORS[code]
            return None

        @torch.no_grad()
        def generate(self, prompts, max_new, residuals=None):
            """Greedy decoding of every prompt, as one batch.  Returns per
            prompt (tokens, error or None); the tokens end at a stop token,
            at max_new, at a tool call (the CALL token, which the host
            would answer: tools/ runners do not), or at an error.
            residuals: a callable(index, pos, x) for every position."""
            n = len(prompts)
            if max_new <= 0:    # tvl_run.py generates nothing either
                return [([], None) for _ in prompts]
            for p in prompts:
                if not p:
                    raise ModelError("empty prompt")
                for tok in p:
                    if not 0 <= tok < len(self.role):
                        raise ModelError("token %d is not in the vocabulary" % tok)
            dev = self.value.device
            out = [[] for _ in prompts]
            err = [None] * n
            active = list(range(n))                  # batch row -> prompt index
            caches = self.new_caches(n, max(16, max(map(len, prompts))))
            feed = [p[0] for p in prompts]           # the token each row pushes
            pos = 0
            call_lo, call_hi = self.call_range
            while active:
                if pos == caches_capacity(caches):
                    caches = grow(caches)
                tokens = torch.tensor([feed[i] for i in active], device=dev)
                x, checks = self.forward(tokens, pos, caches)
                # rows whose next token is not already known (the prompt's)
                want = [j for j, i in enumerate(active) if pos >= len(prompts[i]) - 1]
                nxt = {}
                if want:
                    rows = x if len(want) == len(active) else x[torch.tensor(want, device=dev)]
                    lg = self.logits(rows)
                    finite = torch.ones(len(active), dtype=torch.bool, device=dev)
                    lo, hi = torch.aminmax(lg, dim=1)     # NaN in either if any
                    finite[want] = torch.isfinite(lo) & torch.isfinite(hi)
                    checks.append((7, -1, ~finite))
                    nxt = dict(zip(want, lg.argmax(dim=1).tolist()))   # lowest id of equals
                failed = torch.stack([c[2] for c in checks]).any(0).tolist()
                if residuals is not None:
                    xs = x.cpu()
                    for j, i in enumerate(active):
                        residuals(i, pos, xs[j])
                keep = []
                for j, i in enumerate(active):
                    if failed[j]:
                        err[i] = ModelError("position %d, %s" % (pos, self.first_error(checks, j)))
                        continue
                    if pos + 1 < len(prompts[i]):
                        feed[i] = prompts[i][pos + 1]
                        keep.append(j)
                        continue
                    tok = nxt[j]
                    out[i].append(tok)
                    if len(out[i]) >= max_new or bool(self.stop[tok]) \
                            or call_lo <= tok < call_hi:
                        continue
                    feed[i] = tok
                    keep.append(j)
                if len(keep) < len(active):
                    sel = torch.tensor(keep, dtype=torch.int64, device=dev)
                    caches = [None if c is None else {k: v.index_select(0, sel) for k, v in c.items()}
                              for c in caches]
                    active = [active[j] for j in keep]
                pos += 1
            return list(zip(out, err))

    def caches_capacity(caches):
        for c in caches:
            if c is not None:
                return c["keys"].shape[2]
        return 1 << 62

    def grow(caches):
        """Doubles every key store's capacity (positions)."""
        out = []
        for c in caches:
            if c is None:
                out.append(None)
                continue
            g = {k: torch.cat([t, torch.zeros_like(t)], dim=2)
                 for k, t in c.items() if k != "maxabs"}
            g["maxabs"] = c["maxabs"]
            out.append(g)
        return out


def load(path, device="cpu", engine="routed"):
    """The model of a tvl safetensors file, as a module on `device`;
    engine "routed" (the default) or "dense" (TvlTransformer.set_engine)."""
    if torch is None:
        raise ModelError("PyTorch is not installed (Debian: python3-torch)")
    return TvlTransformer(path, engine).to(device)


def pick_device(name):
    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError("no CUDA device: torch.cuda.is_available() is false")
    if name != "cpu" and not name.startswith("cuda"):
        raise ModelError("--device takes cpu, cuda or auto")
    return name


def same_model(a, b):
    """Whether two files hold the same weights, vocabulary and heads (the
    same compiled program, perhaps with different prompts)."""
    def part(path):
        with open(path, "rb") as f:
            blob = f.read()
        (n,) = struct.unpack("<Q", blob[:8])
        header = json.loads(blob[8:8 + n].decode("utf-8"))
        md = header.pop("__metadata__", {})
        keys = ("tvl.format", "tvl.d_model", "tvl.n_layers", "tvl.vocab", "tvl.heads")
        return header, [md.get(k) for k in keys], blob[8 + n:]
    return part(a) == part(b)


def render(program, tokens, error, with_result, label):
    """What tvl_run.py prints for a run: (stdout, stderr, status); a
    runner's error (ModelError) as "tvl_torch.py: LABEL: message"."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            if error is not None:
                raise error
            if program is None:
                for tok in tokens:
                    print(tok)
                return out.getvalue(), err.getvalue(), 0
            status = tvl_run.show(program, tokens, with_result)
        return out.getvalue(), err.getvalue(), status
    except ModelError as e:
        return "", "tvl_torch.py: %s: %s\n" % (label, e), 1


def main(argv=None):
    missing = tvl_run.python_with(["numpy", "torch"], __file__,
                                  sys.argv[1:] if argv is None else argv)
    if missing:
        print("tvl_torch.py: %s" % missing, file=sys.stderr)
        return 1
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="+", metavar="MODEL")
    ap.add_argument("--prompt", action="append",
                    help="comma-separated token ids (repeat it for a batch)")
    ap.add_argument("--max-new", type=int,
                    help="tokens to generate at most (default 64, or "
                         "100000000 for an exported program)")
    ap.add_argument("--device", default="cpu", help="cpu (default), cuda or auto")
    ap.add_argument("--engine", choices=("routed", "dense", "both"), default="routed",
                    help="routed (the default: per position only the shared "
                         "units and those of the selected steps, when the "
                         "model's routing proof holds), dense (every unit), "
                         "or both, failing where their tokens differ")
    ap.add_argument("--residuals", help="write each position's residual here "
                    "(one input only)")
    ap.add_argument("--tokens", action="store_true",
                    help="print the token ids even for an exported program")
    ap.add_argument("--no-result", action="store_true",
                    help="print the output only, as a tvl script does")
    args = ap.parse_args(argv)
    name = "tvl_torch.py"
    where = args.models[0]
    try:
        torch.set_num_threads(1)    # one position of small matrices: threads cost more
        if args.prompt and len(args.models) > 1:
            raise ModelError("--prompt takes one MODEL")
        for m in args.models[1:]:
            where = m
            if not same_model(args.models[0], m):
                raise ModelError("not the same model as %s (a batch runs one "
                                 "compiled program)" % args.models[0])
        where = args.models[0]
        model = load(args.models[0], pick_device(args.device),
                     "dense" if args.engine == "dense" else "routed")
        runs = []                     # (label, prompt, program)
        for m in args.models:
            where = m
            md = model.meta if m == args.models[0] else tvl_run.load(m)[0]
            meta = json.loads(md.get("tvl.meta", "{}"))
            program = tvl_run.Program(meta, model.vocab) if "tvl_program" in meta else None
            if args.prompt:
                for k, text in enumerate(args.prompt):
                    runs.append(("#%d" % (k + 1), prompt_of(text), program))
            elif md.get("tvl.prompt") is not None:
                runs.append((m, prompt_of(md["tvl.prompt"]), program))
            elif program and "prompt" in meta:
                runs.append((m, meta["prompt"], program))
            else:
                raise ModelError("no --prompt and no prompt in the file "
                                 "(export it with the procedure's arguments)")
        where = args.models[0]
        max_new = args.max_new
        if max_new is None:
            max_new = 100000000 if any(r[2] for r in runs) else 64
        resid = None
        if args.residuals:
            if len(runs) != 1:
                raise ModelError("--residuals takes one input")
            resid_file = open(args.residuals, "w")

            def resid(i, pos, x):
                bits = (x.numpy() + 0.0).view("uint64")
                resid_file.write(" ".join("%016x" % b for b in bits) + "\n")
        results = model.generate([r[1] for r in runs], max_new, resid)
        if resid:
            resid_file.close()
        if args.engine == "both":
            compare_engines(model, [r[1] for r in runs], max_new, results,
                            [r[0] for r in runs])
    except (ModelError, KeyError, ValueError, TypeError, IndexError,
            struct.error, OSError, RuntimeError) as e:
        print("%s: %s: %s" % (name, where, e), file=sys.stderr)
        return 1
    status = 0
    single = len(runs) == 1
    for (label, prompt, program), (tokens, error) in zip(runs, results):
        program = None if args.tokens else program
        if program:   # the host replays its loads to name an error's values
            program.prompt = prompt
        if single:
            text, etext, st = render(program, tokens, error, not args.no_result, where)
            sys.stdout.write(text)
            sys.stdout.flush()
            sys.stderr.write(etext)
        else:
            label = os.path.basename(label)
            if program is None and error is None:      # one line of tokens
                text, etext, st = ",".join(map(str, tokens)) + "\n", "", 0
            else:
                text, etext, st = render(program, tokens, error,
                                         not args.no_result, label)
            for line in text.splitlines():
                sys.stdout.write(label + ": " + line + "\n")
            sys.stdout.flush()
            for line in etext.splitlines():
                if not line.startswith(name):
                    line = label + ": " + line
                sys.stderr.write(line + "\n")
        status = max(status, st)
    return status


def compare_engines(model, prompts, max_new, routed, labels):
    """Runs the batch again dense; raises ModelError at the first token
    where an input's tokens differ, else says what each pass cost."""
    units = model.units_evaluated()
    model.reset_units()
    model.set_engine("dense")
    dense = model.generate(prompts, max_new)
    for label, (ta, ea), (tb, eb) in zip(labels, routed, dense):
        if ta != tb or (ea is None) != (eb is None):
            k = next((i for i, (a, b) in enumerate(zip(ta, tb)) if a != b),
                     min(len(ta), len(tb)))
            raise ModelError("%s: routed and dense differ at generated token %d: "
                             "%s, %s" % (label, k, ta[k:k + 1] or ea, tb[k:k + 1] or eb))
    print("tvl_torch.py: routed and dense agree on %d tokens (FFN units "
          "evaluated: routed %d, dense %d%s)"
          % (sum(len(t) for t, _ in routed), units, model.units_evaluated(),
             "" if model.routing_holds else "; the model records no routing "
             "that holds, so both ran dense"), file=sys.stderr)


def prompt_of(text):
    return [int(s) for s in text.split(",") if s.strip()]


if __name__ == "__main__":
    sys.exit(main())
