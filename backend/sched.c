/* sched.c - the list schedule and slot allocation.
 *
 * The list schedule is the earliest time of every gate, computed while the
 * graph was built; it is always valid.  Slots are then given by interval
 * colouring of live ranges: a value lives from the half-layer that writes
 * it to the last half-layer that reads it.  A slot is reused only after an
 * FFN unit has zeroed its previous value (the residual stream only ever
 * adds), in the FFN half of the layer where that value was last read.
 */
#include "config.h"

#include "gates.h"

#include <stdlib.h>
#include <string.h>

static bool materialised(const gate *g) {
  return g->type == GT_INPUT || g->type == GT_FFN || g->type == GT_HOUT;
}

static void note_use(int *last, gform f, int t) {
  for (int i = 0; i < f.n; i++)
    if (last[f.t[i].g] < t) last[f.t[i].g] = t;
}

/* Last time each gate is read; -2 when nobody reads it.  Dead FFN gates
 * and heads do not count as readers. */
static void last_uses(const gate_graph *gg, const int *time, const bool *live,
                      int end, int *last) {
  int n = gg->g.n;
  for (int i = 0; i < n; i++) last[i] = -2;
  for (int i = 0; i < n; i++) {
    const gate *g = &gg->g.v[i];
    if (!live[i]) continue;
    if (g->type == GT_FFN)
      for (int u = 0; u < g->nunits; u++) {
        note_use(last, g->units[u].b, time[i]);
        note_use(last, g->units[u].a, time[i]);
      }
    if (g->type == GT_HEAD) {
      for (int k = 0; k < 2; k++) {
        note_use(last, g->q[k], time[i]);
        note_use(last, g->k[k], time[i]);
      }
      for (int k = 0; k < g->dv; k++) note_use(last, g->vals[k], time[i]);
      if (g->mask >= 0 && last[g->mask] < time[i]) last[g->mask] = time[i];
    }
  }
  for (int r = 0; r < 3 * gg->n_roles; r++) note_use(last, gg->out[r], end);
  if (last[gg->one] < end) last[gg->one] = end;
}

/* Dead-code elimination: a gate is live if the output or a live gate
 * reads it. */
static void liveness(const gate_graph *gg, const int *time, bool *live) {
  int n = gg->g.n;
  int *last = xmalloc((size_t)n * sizeof(int));
  for (int i = 0; i < n; i++) live[i] = true;
  for (bool changed = true; changed;) {
    changed = false;
    last_uses(gg, time, live, 1 << 28, last);
    for (int i = n - 1; i >= 0; i--) {
      const gate *g = &gg->g.v[i];
      if (!live[i] || i == gg->one) continue;
      bool dead = false;
      if (g->type == GT_FFN || g->type == GT_INPUT) dead = last[i] == -2;
      if (g->type == GT_HEAD) {
        dead = true;
        for (int k = 0; k < g->dv; k++)
          if (last[g->outs[k]] != -2) dead = false;
      }
      if (dead) {
        live[i] = false;
        changed = true;
      }
    }
  }
  /* outputs of dead heads are dead too */
  for (int i = 0; i < n; i++)
    if (gg->g.v[i].type == GT_HOUT && !live[gg->g.v[i].head]) live[i] = false;
  free(last);
}

void placement_free(placement *pl) {
  free(pl->time);
  free(pl->slot);
  free(pl->phys_head);
  free(pl->heads_per_layer);
  free(pl->ffn_units);
  free(pl->live_from);
  free(pl->live_to);
  if (pl->slot_names)
    for (int i = 0; i < pl->d_model; i++) free(pl->slot_names[i]);
  free(pl->slot_names);
  VEC_FREE(pl->clears);
  memset(pl, 0, sizeof *pl);
}

static bool valid_schedule(gate_graph *gg, const int *time, const bool *live) {
  int n = gg->g.n;
  int *last = xmalloc((size_t)n * sizeof(int));
  (void)last;
  free(last);
  for (int i = 0; i < n; i++) {
    const gate *g = &gg->g.v[i];
    if (!live[i] || g->type == GT_INPUT || g->type == GT_HOUT) continue;
    bool ffn = g->type == GT_FFN;
    if ((time[i] % 2 == 1) != ffn || time[i] < 0) {
      gg_fail(gg, "internal error: %s placed at a wrong half-layer", g->name);
      return false;
    }
    /* every input must be ready strictly before */
    const gform *forms[8];
    int nf = 0;
    if (ffn) {
      for (int u = 0; u < g->nunits; u++) {
        const gform *fb = &g->units[u].b, *fa = &g->units[u].a;
        for (int k = 0; k < fb->n; k++) {
          int src = fb->t[k].g;
          int ts = gg->g.v[src].type == GT_INPUT ? -1 : time[src];
          if (ts >= time[i]) {
            gg_fail(gg, "internal error: %s runs before its input %s", g->name,
                    gg->g.v[src].name);
            return false;
          }
        }
        for (int k = 0; k < fa->n; k++) {
          int src = fa->t[k].g;
          int ts = gg->g.v[src].type == GT_INPUT ? -1 : time[src];
          if (ts >= time[i]) {
            gg_fail(gg, "internal error: %s runs before its input %s", g->name,
                    gg->g.v[src].name);
            return false;
          }
        }
      }
    } else {
      forms[nf++] = &g->q[0];
      forms[nf++] = &g->q[1];
      forms[nf++] = &g->k[0];
      forms[nf++] = &g->k[1];
      for (int f = 0; f < nf; f++)
        for (int k = 0; k < forms[f]->n; k++) {
          int src = forms[f]->t[k].g;
          int ts = gg->g.v[src].type == GT_INPUT ? -1 : time[src];
          if (ts >= time[i]) {
            gg_fail(gg, "internal error: head %s runs before its input %s",
                    g->name, gg->g.v[src].name);
            return false;
          }
        }
    }
  }
  return true;
}

/* Fills the placement from gate times: layers, heads, slots. */
static bool place(gate_graph *gg, placement *pl, int *time) {
  int n = gg->g.n;
  bool *live = xcalloc((size_t)n, sizeof(bool));
  liveness(gg, time, live);
  int maxt = -1;
  for (int i = 0; i < n; i++) {
    if (!live[i]) continue;
    const gate *g = &gg->g.v[i];
    if (g->type == GT_HOUT) time[i] = time[g->head];
    if (g->type != GT_INPUT && time[i] > maxt) maxt = time[i];
  }
  if (!valid_schedule(gg, time, live)) {
    free(live);
    return false;
  }
  pl->n_layers = maxt < 0 ? 1 : maxt / 2 + 1;
  pl->time = time;
  pl->phys_head = xmalloc((size_t)n * sizeof(int));
  pl->heads_per_layer = xcalloc((size_t)pl->n_layers, sizeof(int));
  pl->ffn_units = xcalloc((size_t)pl->n_layers, sizeof(int));
  for (int i = 0; i < n; i++) {
    pl->phys_head[i] = -1;
    const gate *g = &gg->g.v[i];
    if (!live[i]) {
      time[i] = -3;   /* dead */
      continue;
    }
    if (g->type == GT_HEAD) pl->phys_head[i] = pl->heads_per_layer[time[i] / 2]++;
    if (g->type == GT_FFN) pl->ffn_units[time[i] / 2] += g->nunits;
  }
  free(live);
  return slots_assign(gg, pl);
}

bool sched_place(gate_graph *gg, placement *pl, int *time) {
  memset(pl, 0, sizeof *pl);
  if (gg->failed || !place(gg, pl, time)) {
    if (!pl->time) free(time);
    return false;
  }
  return true;
}

bool sched_list(gate_graph *gg, placement *pl) {
  int n = gg->g.n;
  int *time = xmalloc((size_t)(n ? n : 1) * sizeof(int));
  for (int i = 0; i < n; i++) {
    const gate *g = &gg->g.v[i];
    time[i] = g->pinned >= 0 ? g->pinned : g->earliest;
  }
  return sched_place(gg, pl, time);
}

/* ---- slots ---------------------------------------------------------- */

typedef struct {
  int gate;
  int from, to;
} interval;

static int by_from(const void *a, const void *b) {
  const interval *x = a, *y = b;
  if (x->from != y->from) return x->from - y->from;
  return x->gate - y->gate;
}

/* A slot's name for a whole model: every value it holds, in the order
 * they are born, " / " between them (a name per half-layer is
 * slots_holders' business). */
static void slot_names(const gate_graph *gg, placement *pl, const interval *iv,
                       int n) {
  int d = pl->d_model;
  strbuf *b = xcalloc((size_t)(d ? d : 1), sizeof *b);
  for (int k = 0; k < n; k++) {   /* sorted by birth */
    int g = iv[k].gate, s = pl->slot[g];
    if (b[s].n) sb_puts(&b[s], " / ");
    sb_puts(&b[s], gg->g.v[g].name);
  }
  pl->slot_names = xcalloc((size_t)(d ? d : 1), sizeof(char *));
  for (int s = 0; s < d; s++) {
    pl->slot_names[s] = xstrdup(b[s].s ? b[s].s : "");
    sb_free(&b[s]);
  }
  free(b);
}

int *slots_holders(const gate_graph *gg, const placement *pl) {
  int d = pl->d_model, nt = 2 * pl->n_layers + 1;
  int *h = xmalloc((size_t)(d ? d : 1) * (size_t)nt * sizeof(int));
  for (int i = 0; i < d * nt; i++) h[i] = -1;
  for (int g = 0; g < gg->g.n; g++) {
    int s = pl->slot[g];
    if (s < 0 || pl->time[g] == -3) continue;
    for (int t = pl->live_from[g] < -1 ? -1 : pl->live_from[g]; t < nt - 1; t++) {
      int *x = &h[(t + 1) * d + s];
      if (*x < 0 || pl->live_from[*x] < pl->live_from[g]) *x = g;
    }
  }
  /* a clear zeroes the slot in the FFN half of its layer, until the
   * next value is born there */
  for (int c = 0; c < pl->clears.n; c++) {
    int g = pl->clears.v[c].gate, s = pl->slot[g];
    for (int t = 2 * pl->clears.v[c].layer + 1; t < nt - 1; t++)
      if (h[(t + 1) * d + s] == g) h[(t + 1) * d + s] = -1;
  }
  return h;
}

bool slot_live_at(const placement *pl, int g, int t) {
  return g >= 0 && pl->live_from[g] <= t && t <= pl->live_to[g];
}

bool slots_assign(gate_graph *gg, placement *pl) {
  int n = gg->g.n;
  int end = 2 * pl->n_layers;
  bool *live = xcalloc((size_t)(n ? n : 1), sizeof(bool));
  for (int i = 0; i < n; i++) live[i] = pl->time[i] != -3;
  int *last = xmalloc((size_t)(n ? n : 1) * sizeof(int));
  last_uses(gg, pl->time, live, end, last);
  pl->slot = xmalloc((size_t)(n ? n : 1) * sizeof(int));
  pl->live_from = xmalloc((size_t)(n ? n : 1) * sizeof(int));
  pl->live_to = xmalloc((size_t)(n ? n : 1) * sizeof(int));
  VEC(interval) iv = {0};
  for (int i = 0; i < n; i++) {
    pl->slot[i] = -1;
    const gate *g = &gg->g.v[i];
    pl->live_from[i] = g->type == GT_INPUT ? -1 : pl->time[i];
    pl->live_to[i] = last[i];
    if (!live[i] || !materialised(g) || last[i] == -2) continue;
    interval x = {i, pl->live_from[i], last[i]};
    VEC_PUSH(iv, x);
  }
  qsort(iv.v, (size_t)iv.n, sizeof(interval), by_from);
  /* free slots: the gate that last held them and when it can be reused */
  VEC(struct freeslot { int slot, after, gate; }) fs = {0};
  VEC(interval) active = {0};
  int nslots = 0;
  VEC(int) owner = {0};
  for (int k = 0; k < iv.n; k++) {
    interval x = iv.v[k];
    /* retire actives that ended before x starts */
    for (int a = 0; a < active.n;) {
      interval y = active.v[a];
      if (y.to < x.from) {
        /* zeroed in the FFN of the layer of its last read */
        int clear_t = y.to % 2 ? y.to : y.to + 1;
        struct freeslot f = {pl->slot[y.gate], clear_t, y.gate};
        VEC_PUSH(fs, f);
        active.v[a] = active.v[--active.n];
      } else {
        a++;
      }
    }
    bool is_ffn = x.from % 2 != 0 && x.from >= 0;
    int pick = -1;
    for (int f = 0; f < fs.n && !gg->fresh_slots; f++) {
      bool ok = is_ffn ? fs.v[f].after <= x.from : fs.v[f].after < x.from;
      if (ok && (pick < 0 || fs.v[f].slot < fs.v[pick].slot)) pick = f;
    }
    int s;
    if (pick >= 0) {
      s = fs.v[pick].slot;
      struct gclear c = {fs.v[pick].gate, fs.v[pick].after / 2};
      VEC_PUSH(pl->clears, c);
      pl->ffn_units[c.layer]++;
      fs.v[pick] = fs.v[--fs.n];
    } else {
      s = nslots++;
      VEC_PUSH(owner, -1);
    }
    pl->slot[x.gate] = s;
    owner.v[s] = x.gate;
    VEC_PUSH(active, x);
  }
  pl->d_model = nslots;
  slot_names(gg, pl, iv.v, iv.n);
  VEC_FREE(owner);
  VEC_FREE(fs);
  VEC_FREE(active);
  VEC_FREE(iv);
  free(live);
  free(last);
  return true;
}
