/* weights.c - schedule + slots -> the matrices of a model.  Every linear
 * form becomes a row over slots; its constant goes on the ONE slot. */
#include "config.h"

#include "gates.h"

#include <string.h>

typedef struct {
  const gate_graph *gg;
  const placement *pl;
  int d;
  bool failed;
  char *err;
  size_t errlen;
} wb;

/* The slot of term i of f; -1 (and the model fails) when it has none. */
static int term_slot(wb *w, gform f, int i) {
  int s = w->pl->slot[f.t[i].g];
  if (s < 0) {
    if (!w->failed)
      snprintf(w->err, w->errlen, "internal error: %s is read but has no slot",
               w->gg->g.v[f.t[i].g].name);
    w->failed = true;
  }
  return s;
}

static void put_form(wb *w, double *row, gform f) {
  for (int i = 0; i < f.n; i++) {
    int s = term_slot(w, f, i);
    if (s < 0) return;
    row[s] += f.t[i].c;
  }
  if (f.k != 0) row[w->pl->slot[w->gg->one]] += f.k;
}

/* put_form into unit j's row of an FFN matrix (engine.h model_ffn), as
 * the same adds, in the same order. */
static void put_form_unit(wb *w, model_layer *L, int mat, int j, gform f) {
  for (int i = 0; i < f.n; i++) {
    int s = term_slot(w, f, i);
    if (s < 0) return;
    model_ffn_add(L, mat, j, s, f.t[i].c);
  }
  if (f.k != 0) model_ffn_add(L, mat, j, w->pl->slot[w->gg->one], f.k);
}

static void put_inputs(wb *w, model *m) {
  int R = m->n_ranges;
  for (int i = 0; i < w->gg->g.n; i++) {
    const gate *g = &w->gg->g.v[i];
    int s = w->pl->slot[i];
    if (g->type != GT_INPUT || s < 0) continue;
    switch (g->in) {
    case IN_ONE:
      for (int r = 0; r < R; r++) m->p_in[s * 2 * R + 2 * r] = 1;
      break;
    case IN_TOKEN:
      for (int r = 0; r < R; r++) {
        m->p_in[s * 2 * R + 2 * r] = g->role_ind[r];
        m->p_in[s * 2 * R + 2 * r + 1] = g->role_val[r];
      }
      break;
    case IN_POS:
    case IN_RING:
    case IN_RING2:
    case IN_RING_M1:
    case IN_RING_M2:
      m->p_pos[s * POS_NFEAT + POS_P + (g->in - IN_POS)] = 1;
      break;
    }
  }
}

static void put_head(wb *w, model *m, int gi) {
  const gate *g = &w->gg->g.v[gi];
  int layer = w->pl->time[gi] / 2, idx = w->pl->phys_head[gi], d = w->d;
  model_head *h = &m->layers[layer].heads[idx];
  snprintf(h->name, sizeof h->name, "%s", g->name);
  h->tie = g->tie;
  h->mask_slot = g->mask >= 0 ? w->pl->slot[g->mask] : -1;
  for (int r = 0; r < 2; r++) {
    put_form(w, h->wq + r * d, g->q[r]);
    put_form(w, h->wk + r * d, g->k[r]);
  }
  for (int c = 0; c < g->dv; c++) {
    int out = g->outs[c];
    int s = w->pl->slot[out];
    if (s < 0) continue;   /* component nobody reads */
    put_form(w, h->wv + c * d, g->vals[c]);
    h->wo[s * h->dv + c] = 1;
  }
}

/* ---- routing ---------------------------------------------------------
 *
 * A unit belongs to step s of router r when its gate input is
 *   c [v == s] + rest,   c > 0,
 * with the one-hot gates of router r (gate_graph.route) and a rest that
 * reads none of them and whose upper bound, from the interval bounds of
 * every gate it reads, is <= 0.  Where v != s the one-hot gate is 0 (v is
 * an integer, the gate relu(d + 1) - 2 relu(d) + relu(d - 1) of d = v - s,
 * exact), so the gate input is rest <= 0, relu gives an exact 0 and the
 * unit adds exactly nothing: the proof engine.h's model_routing records.
 * A unit whose multiplier is c [v == s] alone also belongs to step s
 * (up_owner), with no bound needed: it multiplies by an exact 0.
 * Every other unit is shared. */

typedef struct {
  int *fam_r, *fam_k;   /* per gate: router and one-hot index, or -1 */
  int64_t owned, shared;
} route_ctx;

/* A unit whose multiplier is c [v == s] alone belongs to step s whatever
 * its gate: where v != s it multiplies a finite relu by an exact 0. */
static void up_owner(const gate_graph *gg, const route_ctx *rc,
                     const gunit *u, int32_t *r_out, int32_t *s_out) {
  const gform *a = &u->a;
  if (a->n != 1 || a->k != 0 || a->t[0].c == 0) return;
  int g = a->t[0].g, r = rc->fam_r[g], k = rc->fam_k[g];
  if (r < 0 || k < 0 || k >= gg->route[r].n) return;
  *r_out = r;
  *s_out = k;
}

static void route_owner(const gate_graph *gg, const route_ctx *rc,
                        const gunit *u, int32_t *r_out, int32_t *s_out) {
  *r_out = -1;
  *s_out = 0;
  const gform *b = &u->b;
  int r = -1, k1 = -1;
  double c1 = 0, hi = b->k;
  for (int i = 0; i < b->n; i++) {
    int g = b->t[i].g;
    double c = b->t[i].c;
    if (rc->fam_r[g] < 0) {
      double lo_g = gg->g.v[g].lo, hi_g = gg->g.v[g].hi;
      hi += c > 0 ? c * hi_g : c * lo_g;
      continue;
    }
    if (k1 >= 0) return;                          /* more than a one-hot */
    r = rc->fam_r[g];
    k1 = rc->fam_k[g];
    c1 = c;
  }
  if (r < 0 || !(c1 > 0) || !(hi <= 0) || k1 >= gg->route[r].n) {
    up_owner(gg, rc, u, r_out, s_out);
    return;
  }
  *r_out = r;
  *s_out = k1;
}

/* Router r when unit u is relu(v_r + c) * 1 with v_r router r's value
 * form (same terms, any constant c), -1 otherwise: a family unit
 * (engine.h model_layer.ffn_family), which a runner may evaluate from v_r
 * alone, without its row. */
static int route_family(const gate_graph *gg, const gunit *u) {
  if (u->a.n != 0 || u->a.k != 1.0) return -1;
  for (int r = 0; r < gg->n_route; r++) {
    const gform *v = &gg->route[r].value;
    bool same = v->n == u->b.n;
    for (int i = 0; same && i < v->n; i++) {
      /* forms keep one term per gate: each term of one has its twin */
      bool found = false;
      for (int k = 0; k < u->b.n && !found; k++)
        found = u->b.t[k].g == v->t[i].g && u->b.t[k].c == v->t[i].c;
      same = found;
    }
    if (same) return r;
  }
  return -1;
}

/* The router's row: its value form, read where its first one-hot gate
 * runs (every gate of the form is live there, since that gate reads it). */
static bool put_router(wb *w, model *m, int r, model_router *ro, char *why,
                       size_t whylen) {
  const struct gate_route *gr = &w->gg->route[r];
  int t = -1;
  for (int k = 0; k < gr->n; k++) {
    int tk = w->pl->time[gr->fam[k]];
    if (tk >= 0 && (t < 0 || tk < t)) t = tk;
  }
  snprintf(ro->name, sizeof ro->name, "%s", gr->name);
  ro->n_experts = gr->n;
  ro->layer = t >= 0 ? t / 2 : 0;
  if (t < 0) return true;          /* no one-hot gate runs: no owner */
  if (t % 2 != 1) {
    snprintf(why, whylen, "router %s: its gates are not FFN gates", gr->name);
    return false;
  }
  const gform *f = &gr->value;
  for (int i = 0; i < f->n; i++) {
    int g = f->t[i].g;
    if (w->pl->slot[g] < 0 || w->pl->live_from[g] >= t || w->pl->live_to[g] < t) {
      snprintf(why, whylen, "router %s: %s is not in the residual at layer %d",
               gr->name, w->gg->g.v[g].name, t / 2);
      return false;
    }
  }
  if (f->k != 0 && w->pl->slot[w->gg->one] < 0) {
    snprintf(why, whylen, "router %s: no constant slot", gr->name);
    return false;
  }
  put_form(w, ro->w, *f);
  (void)m;
  return !w->failed;
}

static void route_init(const gate_graph *gg, route_ctx *rc) {
  int n = gg->g.n;
  rc->fam_r = xmalloc(((size_t)n + 1) * sizeof(int));
  rc->fam_k = xmalloc(((size_t)n + 1) * sizeof(int));
  for (int i = 0; i < n; i++) rc->fam_r[i] = rc->fam_k[i] = -1;
  for (int r = 0; r < gg->n_route; r++)
    for (int k = 0; k < gg->route[r].n; k++) {
      rc->fam_r[gg->route[r].fam[k]] = r;
      rc->fam_k[gg->route[r].fam[k]] = k;
    }
}

static void route_free(route_ctx *rc) {
  free(rc->fam_r);
  free(rc->fam_k);
}

/* Routers and the proof's outcome; the units' owners are filled in as the
 * units are placed. */
static void put_routing(wb *w, model *m, route_ctx *rc) {
  model_routing *rt = m->routing;
  rt->holds = true;
  for (int r = 0; r < w->gg->n_route && rt->holds; r++)
    rt->holds = put_router(w, m, r, &rt->routers[r], rt->why, sizeof rt->why);
  if (!rt->holds) {
    for (int l = 0; l < m->n_layers; l++)
      for (int j = 0; j < m->layers[l].n_ffn; j++) {
        m->layers[l].ffn_route[2 * j] = -1;
        m->layers[l].ffn_family[j] = -1;
      }
    return;
  }
  /* an owner must not run before its router is read; a family unit is
   * one at its router's layer (where the router's row reads it) */
  for (int l = 0; l < m->n_layers; l++)
    for (int j = 0; j < m->layers[l].n_ffn; j++) {
      int32_t *o = &m->layers[l].ffn_route[2 * j];
      if (o[0] >= 0 && l < rt->routers[o[0]].layer) o[0] = -1;
      int32_t *f = &m->layers[l].ffn_family[j];
      if (*f >= 0 && (o[0] >= 0 || l != rt->routers[*f].layer)) *f = -1;
      if (o[0] >= 0) rc->owned++;
      else rc->shared++;
    }
  snprintf(rt->why, sizeof rt->why, "%lld units owned by steps, %lld shared",
           (long long)rc->owned, (long long)rc->shared);
}

/* ---- liveness -----------------------------------------------------
 *
 * A value is dead at a position when nothing that runs there reads it.
 * The set of a gate is the (router, expert) pairs under which some reader
 * runs, exactly: a unit owned by step s of router r reads under (r, s),
 * any other unit under its own gate's set; a head, the output, a router
 * or a unit that runs everywhere reads everywhere.  A unit that is not
 * owned runs only under its gate's set (ffn_live), when its layer reads
 * every router of the set; a slot clear runs under the set of the slot's
 * next occupant, the value it makes room for.  Elsewhere those slots hold
 * stale values, which only units that do not run there would read: a
 * reader's set is contained in the set of everything it reads. */

typedef struct {
  bool all;                   /* read everywhere */
  uint64_t *in[ROUTE_MAX];    /* per router, a bit per expert (NULL: none) */
} live_set;

typedef VEC(int32_t) pair_vec;   /* (router, expert) pairs, flat */

typedef struct {
  const model *m;
  int words[ROUTE_MAX];       /* 64-bit words per router's bit set */
} live_ctx;

static bool live_empty(const live_set *a) {
  return !a->all && !a->in[0] && !a->in[1];
}

static void live_join(const live_ctx *c, live_set *a, const live_set *b) {
  if (a->all) return;
  if (b->all) {
    a->all = true;
    return;
  }
  for (int r = 0; r < ROUTE_MAX; r++) {
    if (!b->in[r]) continue;
    if (!a->in[r]) a->in[r] = xcalloc((size_t)c->words[r] + 1, sizeof(uint64_t));
    for (int k = 0; k < c->words[r]; k++) a->in[r][k] |= b->in[r][k];
  }
}

static void live_free(live_set *a) {
  for (int r = 0; r < ROUTE_MAX; r++) free(a->in[r]);
}

static void live_form(const live_ctx *c, live_set *S, gform f, const live_set *by) {
  for (int i = 0; i < f.n; i++) live_join(c, &S[f.t[i].g], by);
}

/* The set of (r, s) alone. */
static live_set live_one(const live_ctx *c, int r, int s) {
  live_set o = {false, {NULL, NULL}};
  o.in[r] = xcalloc((size_t)c->words[r] + 1, sizeof(uint64_t));
  o.in[r][s / 64] |= (uint64_t)1 << (s % 64);
  return o;
}

/* Whether a unit of layer l can run under set s alone: not everywhere, not
 * empty, and every router of s read at layer l or before. */
static bool live_usable(const model *m, int l, const live_set *s) {
  if (s->all || live_empty(s)) return false;
  for (int r = 0; r < ROUTE_MAX; r++)
    if (s->in[r] && l < m->routing->routers[r].layer) return false;
  return true;
}

/* Records set s as unit j's liveness in its layer's lists (the pairs in
 * order of router, then expert). */
static void live_put(const live_ctx *c, pair_vec *pairs, int32_t *span,
                     int j, const live_set *s) {
  span[2 * j] = pairs->n / 2;
  for (int r = 0; r < ROUTE_MAX; r++)
    for (int k = 0; s->in[r] && k < c->words[r]; k++)
      for (uint64_t w = s->in[r][k]; w; w &= w - 1) {
        VEC_PUSH(*pairs, r);
        VEC_PUSH(*pairs, 64 * k + __builtin_ctzll(w));
      }
  span[2 * j + 1] = pairs->n / 2 - span[2 * j];
}

/* Heads: the experts under which something that runs reads a head's
 * value, exactly: a unit owned by step s reads under s, any other unit
 * under the set it runs under (ffn_live, or always); a head, the output
 * or a router always.  A head after its router's layer read under one
 * router's experts only is recorded as live there (model_head.live): a
 * runner may skip its query elsewhere, its output slots then hold what
 * nothing that runs reads. */
static void put_head_liveness(const live_ctx *c, wb *w, model *m,
                              const int *unit0) {
  const gate_graph *gg = w->gg;
  const placement *pl = w->pl;
  int n = gg->g.n;
  live_set all = {true, {NULL, NULL}};
  int *head_of = xmalloc(((size_t)n + 1) * sizeof *head_of);
  live_set *H = xcalloc((size_t)n + 1, sizeof *H);
  for (int i = 0; i < n; i++)
    head_of[i] = gg->g.v[i].type == GT_HOUT ? gg->g.v[i].head : -1;
#define HEAD_FORM(f, by)                                                     \
  for (int t_ = 0; t_ < (f).n; t_++)                                         \
    if (head_of[(f).t[t_].g] >= 0) live_join(c, &H[head_of[(f).t[t_].g]], by)
  for (int i = 0; i < n; i++) {
    const gate *g = &gg->g.v[i];
    if (pl->time[i] < 0) continue;
    if (g->type == GT_HEAD) {
      for (int r = 0; r < 2; r++) {
        HEAD_FORM(g->q[r], &all);
        HEAD_FORM(g->k[r], &all);
      }
      for (int k = 0; k < g->dv; k++) HEAD_FORM(g->vals[k], &all);
      if (g->mask >= 0 && head_of[g->mask] >= 0) H[head_of[g->mask]].all = true;
    }
    if (g->type != GT_FFN || pl->slot[i] < 0) continue;
    const model_layer *L = &m->layers[pl->time[i] / 2];
    for (int u = 0; u < g->nunits; u++) {
      int j = unit0[i] + u;
      live_set by = all;
      if (L->ffn_route[2 * j] >= 0) {
        by = live_one(c, L->ffn_route[2 * j], L->ffn_route[2 * j + 1]);
      } else if (L->ffn_live[j + 1] > L->ffn_live[j]) {
        by.all = false;
        for (int q = L->ffn_live[j]; q < L->ffn_live[j + 1]; q++) {
          live_set one = live_one(c, L->ffn_live_set[2 * q], L->ffn_live_set[2 * q + 1]);
          live_join(c, &by, &one);
          live_free(&one);
        }
      }
      HEAD_FORM(g->units[u].a, &by);
      HEAD_FORM(g->units[u].b, &by);
      live_free(&by);
    }
  }
  for (int r = 0; r < 3 * gg->n_roles; r++) HEAD_FORM(gg->out[r], &all);
  for (int r = 0; r < gg->n_route; r++) HEAD_FORM(gg->route[r].value, &all);
#undef HEAD_FORM
  for (int i = 0; i < n; i++) {
    live_set *h = &H[i];
    int l = pl->time[i] / 2, r = h->in[0] ? 0 : 1;
    bool one = !h->all && (h->in[0] != NULL) != (h->in[1] != NULL);
    if (gg->g.v[i].type == GT_HEAD && pl->time[i] >= 0 && one &&
        l > m->routing->routers[r].layer) {
      model_head *hd = &m->layers[l].heads[pl->phys_head[i]];
      int ne = m->routing->routers[r].n_experts;
      hd->live_router = r;
      hd->live = xmalloc(((size_t)ne + 1) * sizeof *hd->live);
      for (int s = 0; s < ne; s++)
        if (h->in[r][s / 64] >> (s % 64) & 1) hd->live[hd->n_live++] = s;
    }
    live_free(h);
  }
  free(H);
  free(head_of);
}

/* The FFN gates' sets, from the latest: a reader always runs later than
 * what it reads, so a gate's set is whole when its turn comes.  Units
 * whose set is usable get it as their liveness (pairs[l], span[l]). */
static void live_units(const live_ctx *c, wb *w, model *m, const int *unit0,
                       live_set *S, pair_vec *pairs, int32_t **span) {
  const gate_graph *gg = w->gg;
  const placement *pl = w->pl;
  int n = gg->g.n;
  live_set all = {true, {NULL, NULL}};
  for (int t = 2 * pl->n_layers; t >= 0; t--)
    for (int i = 0; i < n; i++) {
      if (pl->time[i] != t || gg->g.v[i].type != GT_FFN || pl->slot[i] < 0) continue;
      int l = t / 2;
      const gate *g = &gg->g.v[i];
      model_layer *L = &m->layers[l];
      bool usable = live_usable(m, l, &S[i]);
      for (int u = 0; u < g->nunits; u++) {
        int j = unit0[i] + u;
        live_set own = {false, {NULL, NULL}};
        const live_set *by = usable ? &S[i] : &all;
        if (L->ffn_route[2 * j] >= 0) {
          own = live_one(c, L->ffn_route[2 * j], L->ffn_route[2 * j + 1]);
          by = &own;
        } else if (usable) {
          live_put(c, &pairs[l], span[l], j, &S[i]);
        }
        live_form(c, S, g->units[u].a, by);
        live_form(c, S, g->units[u].b, by);
        live_free(&own);
      }
    }
}

/* Slot clears: under the next occupant's set. */
static void live_clears(const live_ctx *c, wb *w, model *m, const live_set *S,
                        const int *clear_unit, pair_vec *pairs,
                        int32_t **span) {
  const gate_graph *gg = w->gg;
  const placement *pl = w->pl;
  int n = gg->g.n;
  for (int k = 0; k < pl->clears.n; k++) {
    int old = pl->clears.v[k].gate, layer = pl->clears.v[k].layer;
    int s = pl->slot[old], t0 = 2 * layer + 1, next = -1;
    for (int i = 0; i < n; i++)
      if (i != old && pl->slot[i] == s && pl->time[i] >= t0 &&
          (next < 0 || pl->time[i] < pl->time[next]))
        next = i;
    if (next < 0 || !live_usable(m, layer, &S[next])) continue;
    live_put(c, &pairs[layer], span[layer], clear_unit[k], &S[next]);
  }
}

static void put_liveness(wb *w, model *m, const int *unit0, const int *clear_unit) {
  const gate_graph *gg = w->gg;
  const placement *pl = w->pl;
  int n = gg->g.n, nl = m->n_layers;
  live_ctx c = {m, {0, 0}};
  for (int r = 0; r < m->routing->n_routers; r++)
    c.words[r] = (m->routing->routers[r].n_experts + 63) / 64;
  live_set *S = xcalloc((size_t)n + 1, sizeof *S);
  live_set all = {true, {NULL, NULL}};
  for (int i = 0; i < n; i++) {
    const gate *g = &gg->g.v[i];
    if (g->type != GT_HEAD || pl->time[i] < 0) continue;
    for (int r = 0; r < 2; r++) {
      live_form(&c, S, g->q[r], &all);
      live_form(&c, S, g->k[r], &all);
    }
    for (int k = 0; k < g->dv; k++) live_form(&c, S, g->vals[k], &all);
    if (g->mask >= 0) S[g->mask].all = true;
  }
  for (int r = 0; r < 3 * gg->n_roles; r++) live_form(&c, S, gg->out[r], &all);
  for (int r = 0; r < gg->n_route; r++) live_form(&c, S, gg->route[r].value, &all);
  /* per layer: each unit's pairs (first, count) as they come, then CSR */
  pair_vec *pairs = xcalloc((size_t)nl + 1, sizeof *pairs);
  int32_t **span = xcalloc((size_t)nl + 1, sizeof *span);
  for (int l = 0; l < nl; l++)
    span[l] = xcalloc(2 * (size_t)m->layers[l].n_ffn + 1, sizeof **span);
  live_units(&c, w, m, unit0, S, pairs, span);
  live_clears(&c, w, m, S, clear_unit, pairs, span);
  for (int l = 0; l < nl; l++) {
    model_layer *L = &m->layers[l];
    int32_t np = 0;
    int32_t *set = xmalloc(((size_t)pairs[l].n + 1) * sizeof *set);
    for (int j = 0; j < L->n_ffn; j++) {
      L->ffn_live[j] = np;
      if (span[l][2 * j + 1] > 0)   /* pairs[l].v is NULL when empty */
        memcpy(set + 2 * np, pairs[l].v + 2 * span[l][2 * j],
               2 * (size_t)span[l][2 * j + 1] * sizeof *set);
      np += span[l][2 * j + 1];
    }
    L->ffn_live[L->n_ffn] = np;
    free(L->ffn_live_set);
    L->ffn_live_set = set;
    VEC_FREE(pairs[l]);
    free(span[l]);
  }
  put_head_liveness(&c, w, m, unit0);
  for (int i = 0; i < n; i++) live_free(&S[i]);
  free(S);
  free(pairs);
  free(span);
}

/* The weights a placement needs, counted as the dense matrices hold
 * them: per layer three d_model x units FFN matrices, and per head its
 * query, key, value and output maps. */
int64_t weights_count(const gate_graph *gg, const placement *pl) {
  int64_t d = pl->d_model, n = 0;
  for (int l = 0; l < pl->n_layers; l++) n += 3 * d * pl->ffn_units[l];
  for (int i = 0; i < gg->g.n; i++)
    if (gg->g.v[i].type == GT_HEAD && pl->time[i] >= 0)
      n += d * (4 + 2 * (int64_t)gg->g.v[i].dv);
  return n;
}

model *weights_build(gate_graph *gg, const placement *pl,
                     const vocab_range *ranges, int n_ranges, char *err,
                     size_t errlen) {
  wb w = {gg, pl, pl->d_model, false, err, errlen};
  int64_t nw = weights_count(gg, pl);
  if (nw > WEIGHTS_MAX) {
    snprintf(err, errlen,
             "its model would have %lld weights (d_model %d, %d layers), more "
             "than the limit of %lld; split it into smaller procedures",
             (long long)nw, pl->d_model, pl->n_layers, (long long)WEIGHTS_MAX);
    return NULL;
  }
  model *m = model_new(pl->d_model, pl->n_layers, ranges, n_ranges);
  if (!m) {
    snprintf(err, errlen, "cannot make a model of this shape");
    return NULL;
  }
  int n = gg->g.n;
  for (int l = 0; l < pl->n_layers; l++) {
    int nh = pl->heads_per_layer[l];
    int *dv = xcalloc((size_t)(nh ? nh : 1), sizeof(int));
    for (int i = 0; i < n; i++)
      if (gg->g.v[i].type == GT_HEAD && pl->time[i] >= 0 && pl->time[i] / 2 == l)
        dv[pl->phys_head[i]] = gg->g.v[i].dv;
    model_layer_alloc(m, l, nh, dv, pl->ffn_units[l]);
    free(dv);
  }
  put_inputs(&w, m);
  route_ctx rc = {0};
  if (gg->n_route) {
    route_init(gg, &rc);
    model_routing_new(m, gg->n_route);
  }
  int *next_unit = xcalloc((size_t)pl->n_layers, sizeof(int));
  int *unit0 = xmalloc(((size_t)n + 1) * sizeof(int));
  int *clear_unit = xmalloc(((size_t)pl->clears.n + 1) * sizeof(int));
  int d = pl->d_model;
  for (int i = 0; i < n && !w.failed; i++) {
    const gate *g = &gg->g.v[i];
    if (pl->time[i] < 0) continue;
    if (g->type == GT_HEAD) put_head(&w, m, i);
    if (g->type != GT_FFN || pl->slot[i] < 0) continue;
    model_layer *L = &m->layers[pl->time[i] / 2];
    unit0[i] = next_unit[pl->time[i] / 2];
    for (int u = 0; u < g->nunits; u++) {
      int j = next_unit[pl->time[i] / 2]++;
      put_form_unit(&w, L, FFN_GATE, j, g->units[u].b);
      put_form_unit(&w, L, FFN_UP, j, g->units[u].a);
      model_ffn_add(L, FFN_DOWN, j, pl->slot[i], g->units[u].c);
      if (L->ffn_route) {
        route_owner(gg, &rc, &g->units[u], &L->ffn_route[2 * j],
                    &L->ffn_route[2 * j + 1]);
        L->ffn_family[j] = route_family(gg, &g->units[u]);
      }
    }
  }
  for (int c = 0; c < pl->clears.n && !w.failed; c++) {
    int old = pl->clears.v[c].gate, layer = pl->clears.v[c].layer;
    model_layer *L = &m->layers[layer];
    int j = next_unit[layer]++;
    clear_unit[c] = j;
    int s = pl->slot[old];
    model_ffn_put(L, FFN_GATE, j, pl->slot[gg->one], 1);
    model_ffn_put(L, FFN_UP, j, s, -1);
    model_ffn_put(L, FFN_DOWN, j, s, 1);
  }
  free(next_unit);
  for (int l = 0; l < m->n_layers; l++) model_ffn_finish(&m->layers[l]);
  if (m->routing && !w.failed) {
    put_routing(&w, m, &rc);
    if (m->routing->holds) put_liveness(&w, m, unit0, clear_unit);
  }
  free(unit0);
  free(clear_unit);
  if (gg->n_route) route_free(&rc);
  for (int r = 0; r < 3 * n_ranges && !w.failed; r++)
    put_form(&w, m->p_out + (size_t)r * d, gg->out[r]);
  if (w.failed) {
    model_free(m);
    return NULL;
  }
  m->slot_names = xcalloc((size_t)(d ? d : 1), sizeof(char *));
  for (int s = 0; s < d; s++) m->slot_names[s] = xstrdup(pl->slot_names[s]);
  return m;
}
