/* exec.c - the executor: one forward pass per position, greedy decoding.
 *
 * Its results are those of the dense float64 forward pass of engine.h,
 * bit for bit, with every matrix-vector product summed in increasing
 * column order (the order docs/model-format.md fixes).  What makes it fast
 * does not change a single rounding:
 *  - matrices are kept column-sparse and zero inputs are skipped: a row's
 *    sum still runs over its columns in increasing order, and the terms
 *    left out are exact zeros (weights and inputs are finite);
 *  - heads of a layer with identical W_k, W_v, mask and tie rule share
 *    one KV cache: the same keys and values would be inserted into each;
 *  - routing (engine.h model_routing): when the model's proof holds, the
 *    FFN evaluates only the shared units and the selected experts' units;
 *    the others are proven to give h = 0 exactly, which h holds for them,
 *    and the down product runs over h as in the dense pass; a family of
 *    units that are functions of a router's value (thermometers, per-step
 *    tables) is evaluated in closed form, per row, exactly (see fam_run);
 *    and only the slots a push wrote are zeroed for the next; a push
 *    without an observer visits only the layers that do something at
 *    its position (layers_build), and the projections visit only the
 *    residual slots the push has written so far (csc_mv_masked);
 *  - the output argmax is found per vocabulary range by branch and bound
 *    on the quadratic logit (see argmax below) instead of a scan over
 *    every token; tests/test-exec.c compares it with the full scan;
 *  - where the bounds of bounds.c, derived from the weights, prove that
 *    nothing a layer computes can overflow, its per-unit and per-slot
 *    isfinite checks are skipped: one sum of the final residual (a
 *    non-finite value, once added to a slot, stays non-finite) would
 *    still catch a broken bound.
 *
 * Ownership: an exec owns its caches and buffers and borrows its model,
 * which must outlive it.  After an error the exec is spent: every later
 * push fails with the same message, since its caches may hold half a
 * position.
 */
#include "config.h"

#include "backend/engine/exec-int.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

/* For the code that runs per unit or per head of every token: inlined,
 * with the error reports out of line. */
#if defined(__GNUC__)
#define HOT_INLINE inline __attribute__((always_inline))
#define COLD __attribute__((noinline, cold))
#else
#define HOT_INLINE inline
#define COLD
#endif

static void trust_build(exec *e);
static void head_live_build(exec *e, layer_exec *le, const model_layer *ml);
static void resid_rows_build(exec *e);

/* ---- building ------------------------------------------------------------ */

static bool same_matrix(const double *a, const double *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (a[i] != b[i]) return false;
  return true;
}

static bool shares_cache(const model_head *a, const model_head *b, int d) {
  return a->tie == b->tie && a->mask_slot == b->mask_slot && a->dv == b->dv &&
         same_matrix(a->wk, b->wk, 2 * (size_t)d) &&
         same_matrix(a->wv, b->wv, (size_t)a->dv * d);
}

/* ---- offset caches ---------------------------------------------------
 *
 * A head reads "the token d back" when, as its weights show, its key is
 * (2 r, -r^2) and its query (r_d, 1) with r, r^2, r_d the ring position
 * features of engine.h and 1 the constant: then the winner is position
 * p - d, or 0 while p < d (docs/trace-format.md), with no scan.  Each
 * feature must reach the head untouched: a slot whose embedding is the
 * feature alone (or 1 for every token, for the constant) and that no
 * earlier layer writes.  The key and query computed at each position are
 * still compared with the expected ones, a cheap check that the shape
 * holds.  Used with the hull only; the brute cache stays the reference. */

/* The slot holds exactly position feature f (f = -1: the constant 1) at
 * layer l's input. */
bool pure_slot(const exec *e, int l, int s, int f) {
  const model *m = e->m;
  int R = m->n_ranges, d = m->d_model;
  for (int r = 0; r < R; r++)
    if (m->p_in[(size_t)s * 2 * R + 2 * r] != (f < 0 ? 1.0 : 0.0) ||
        m->p_in[(size_t)s * 2 * R + 2 * r + 1] != 0.0)
      return false;
  for (int k = 0; k < POS_NFEAT; k++)
    if (m->p_pos[(size_t)s * POS_NFEAT + k] != (k == f ? 1.0 : 0.0)) return false;
  for (int k = 0; k < l; k++) {
    const model_layer *ly = &m->layers[k];
    for (int h = 0; h < ly->n_heads; h++)
      for (int c = 0; c < ly->heads[h].dv; c++)
        if (ly->heads[h].wo[(size_t)s * ly->heads[h].dv + c] != 0.0) return false;
    /* layer k's W_down writes s (its csc, built before layer l's) */
    if (e->layers[k].down_mask[s / 64] >> (s % 64) & 1) return false;
  }
  (void)d;
  return true;
}

/* The one slot a row reads, with its coefficient; -1 if not exactly one. */
static int single(const double *row, int d, double *coef) {
  int at = -1;
  for (int i = 0; i < d; i++) {
    if (row[i] == 0.0) continue;
    if (at >= 0) return -1;
    at = i;
    *coef = row[i];
  }
  return at;
}

static bool offset_key(const exec *e, int l, const model_head *hd) {
  int d = e->m->d_model;
  double c0 = 0, c1 = 0;
  int s0 = single(hd->wk, d, &c0), s1 = single(hd->wk + d, d, &c1);
  return hd->tie == TIE_LATEST && hd->mask_slot < 0 && s0 >= 0 && s1 >= 0 &&
         c0 == 2.0 && c1 == -1.0 && pure_slot(e, l, s0, POS_RING) &&
         pure_slot(e, l, s1, POS_RING2);
}

/* d of a head's query (r_d, 1), or 0. */
static int offset_query(const exec *e, int l, const model_head *hd) {
  int d = e->m->d_model;
  double c0 = 0, c1 = 0;
  int s0 = single(hd->wq, d, &c0), s1 = single(hd->wq + d, d, &c1);
  if (s0 < 0 || s1 < 0 || c0 != 1.0 || c1 != 1.0 || !pure_slot(e, l, s1, -1))
    return 0;
  if (pure_slot(e, l, s0, POS_RING_M1)) return 1;
  if (pure_slot(e, l, s0, POS_RING_M2)) return 2;
  return 0;
}

/* ---- address caches ----------------------------------------------------
 *
 * A head reads memory (docs/trace-format.md) when its key is (2a, -a^2)
 * for the address a a write computes and its query (q, 1).  What the
 * weights show of that shape: the LATEST rule; a query whose second row
 * is the constant 1 alone (as for offset_query); a key whose rows have
 * integer weights, neither row empty.  That the key really lies on the
 * parabola is no property of the weights alone (a and a^2 come from
 * different units, a from a sum over steps), so the address cache
 * (addr.c) checks every key inserted, and hands its keys over to a hull
 * on the first that does not: the answers are the hull's either way, and
 * the test of the weights only decides which cache is tried first. */

static bool int_row(const double *row, int d) {
  bool any = false;
  for (int i = 0; i < d; i++) {
    if (row[i] == 0.0) continue;
    if (row[i] != floor(row[i]) || fabs(row[i]) > 0x1p52) return false;
    any = true;
  }
  return any;
}

static bool addr_key(const model_head *hd, int d) {
  return hd->tie == TIE_LATEST && int_row(hd->wk, d) && int_row(hd->wk + d, d);
}

static bool addr_query_shape(const exec *e, int l, const model_head *hd) {
  double c = 0;
  int s = single(hd->wq + e->m->d_model, e->m->d_model, &c);
  return s >= 0 && c == 1.0 && pure_slot(e, l, s, -1);
}

/* Every head of cache c queries an offset (offset) or an address. */
static bool cache_queries(exec *e, layer_exec *le, const model_layer *ml,
                          int c, bool offset) {
  int l = (int)(ml - e->m->layers);
  for (int h = 0; h < le->n_heads; h++) {
    if (le->head_cache[h] != c) continue;
    if (offset && (le->qoff[h] = offset_query(e, l, &ml->heads[h])) == 0)
      return false;
    if (!offset && !addr_query_shape(e, l, &ml->heads[h])) return false;
  }
  return true;
}

/* What serves cache c: brute or plain hull when the exec's kind says so;
 * otherwise an offset cache (no KV cache at all), an address cache, or
 * the hull, as the weights show. */
static void cache_choose(exec *e, layer_exec *le, const model_layer *ml,
                         int c) {
  cache_slot *cs = &le->caches[c];
  const model_head *hd = &ml->heads[cs->head];
  int l = (int)(ml - e->m->layers);
  kv_kind k = e->kind == KV_BRUTE ? KV_BRUTE : KV_HULL;
  if (e->kind == KV_HULL || e->kind == KV_ADDR) {
    if (offset_key(e, l, hd) && cache_queries(e, le, ml, c, true)) {
      cs->offset = true;
      cs->ring = xcalloc((size_t)(OFFSET_MAX + 1) * (size_t)cs->dv, sizeof *cs->ring);
      cs->first = xcalloc((size_t)cs->dv, sizeof *cs->first);
      return;
    }
    for (int h = 0; h < le->n_heads; h++)
      if (le->head_cache[h] == c) le->qoff[h] = 0;
    if (addr_key(hd, e->m->d_model) && cache_queries(e, le, ml, c, false))
      k = KV_ADDR;
  }
  cs->kv = kv_new(k, cs->tie, cs->dv);
}

static void layer_build(exec *e, layer_exec *le, const model_layer *ml) {
  int d = e->m->d_model, nh = ml->n_heads;
  le->n_heads = nh;
  le->n_ffn = ml->n_ffn;
  le->head_cache = xcalloc((size_t)nh + 1, sizeof *le->head_cache);
  le->qrow = xcalloc((size_t)nh + 1, sizeof *le->qrow);
  le->qoff = xcalloc((size_t)nh + 1, sizeof *le->qoff);
  le->vcol = xcalloc((size_t)nh + 1, sizeof *le->vcol);
  le->caches = xcalloc((size_t)nh + 1, sizeof *le->caches);
  for (int h = 0; h < nh; h++) {
    int c = 0;
    while (c < le->n_caches &&
           !shares_cache(&ml->heads[le->caches[c].head], &ml->heads[h], d))
      c++;
    if (c == le->n_caches) {
      cache_slot *cs = &le->caches[le->n_caches++];
      cs->head = h;
      cs->mask_slot = ml->heads[h].mask_slot;
      cs->dv = ml->heads[h].dv;
      cs->tie = ml->heads[h].tie;
    }
    le->head_cache[h] = c;
  }
  for (int c = 0; c < le->n_caches; c++) cache_choose(e, le, ml, c);
  /* projection rows: queries, then each cache's key, then its value */
  triplets t = {0};
  int row = 0, vc = 0;
  for (int h = 0; h < nh; h++) {
    le->qrow[h] = row;
    trip_add(&t, ml->heads[h].wq, 2, d, row);
    row += 2;
  }
  for (int c = 0; c < le->n_caches; c++) {
    cache_slot *cs = &le->caches[c];
    cs->krow = row;
    trip_add(&t, ml->heads[cs->head].wk, 2, d, row);
    row += 2;
    cs->vrow = row;
    trip_add(&t, ml->heads[cs->head].wv, cs->dv, d, row);
    row += cs->dv;
  }
  csc_build(&le->proj, &t, row, d);
  csc_slots(&le->proj, d);
  if (row > e->max_proj) e->max_proj = row;
  for (int h = 0; h < nh; h++) {
    le->vcol[h] = vc;
    trip_add_cols(&t, ml->heads[h].wo, d, ml->heads[h].dv, vc);
    vc += ml->heads[h].dv;
  }
  csc_build(&le->wo, &t, d, vc);
  le->wo_mask = xcalloc((size_t)mask_words(d), sizeof *le->wo_mask);
  for (int k = 0; k < le->wo.nused; k++) mask_set(le->wo_mask, le->wo.used[k]);
  if (vc > e->max_vcat) e->max_vcat = vc;
  int n = ml->n_ffn;
  trip_ffn(&t, &ml->ffn[FFN_GATE], n, 0, false);
  trip_ffn(&t, &ml->ffn[FFN_UP], n, n, false);
  csc_build(&le->ffn_in, &t, 2 * n, d);
  trip_ffn(&t, &ml->ffn[FFN_DOWN], n, 0, true);
  csc_build(&le->ffn_down, &t, d, n);
  le->gate_end = xmalloc(((size_t)le->ffn_in.ncu + 1) * sizeof *le->gate_end);
  for (int q = 0; q < le->ffn_in.ncu; q++) {
    int k = le->ffn_in.cstart[q];
    while (k < le->ffn_in.cstart[q + 1] && le->ffn_in.crow[k] < n) k++;
    le->gate_end[q] = k;
  }
  le->down_mask = xcalloc((size_t)mask_words(d), sizeof *le->down_mask);
  for (int k = 0; k < le->ffn_down.nused; k++)
    mask_set(le->down_mask, le->ffn_down.used[k]);
  if (n > e->max_ffn) e->max_ffn = n;
}

/* The experts of router r that unit j runs under in variant v, into
 * out: the one that owns it, or (LISTS_LIVE) those outside which its
 * value is dead (model_layer.ffn_live); their count. */
static int unit_under(const layer_exec *le, const model_layer *ml, int v,
                      int j, int r, int *out) {
  if (le->isfam && le->isfam[j]) return 0;
  if (ml->ffn_route[2 * j] >= 0) {
    out[0] = ml->ffn_route[2 * j + 1];
    return ml->ffn_route[2 * j] == r;
  }
  int n = 0;
  for (int32_t q = ml->ffn_live[j]; v == LISTS_LIVE && q < ml->ffn_live[j + 1]; q++)
    if (ml->ffn_live_set[2 * q] == r) out[n++] = ml->ffn_live_set[2 * q + 1];
  return n;
}

static bool unit_shared(const layer_exec *le, const model_layer *ml, int v,
                        int j) {
  if (le->isfam && le->isfam[j]) return false;
  return ml->ffn_route[2 * j] < 0 &&
         (v == LISTS_WHOLE || ml->ffn_live[j + 1] == ml->ffn_live[j]);
}

/* One variant of the routed lists: shared units, and units by expert
 * (CSR), each in unit order.  A unit live under experts of both routers
 * is in the lists of both (expert_units takes it once). */
static void layer_lists(exec *e, layer_exec *le, const model_layer *ml, int v) {
  const model_routing *rt = e->m->routing;
  int n = ml->n_ffn, k;
  le->shared[v] = xmalloc(((size_t)n + 1) * sizeof *le->shared[v]);
  for (int j = 0; j < n; j++)
    if (unit_shared(le, ml, v, j)) le->shared[v][le->n_shared[v]++] = j;
  for (int r = 0; r < rt->n_routers; r++) {
    int ne = rt->routers[r].n_experts;
    int *st = xcalloc((size_t)ne + 2, sizeof *st);
    int *ex = xmalloc(((size_t)ne + 1) * sizeof *ex);
    for (int j = 0; j < n; j++) {
      k = unit_under(le, ml, v, j, r, ex);
      for (int q = 0; q < k; q++) st[ex[q] + 1]++;
    }
    for (int s = 0; s < ne; s++) st[s + 1] += st[s];
    int *units = xmalloc(((size_t)st[ne] + 1) * sizeof *units);
    int *fill = xmalloc(((size_t)ne + 1) * sizeof *fill);
    memcpy(fill, st, ((size_t)ne + 1) * sizeof *fill);
    for (int j = 0; j < n; j++) {
      k = unit_under(le, ml, v, j, r, ex);
      for (int q = 0; q < k; q++) units[fill[ex[q]]++] = j;
    }
    free(fill);
    free(ex);
    le->own_start[v][r] = st;
    le->own_units[v][r] = units;
  }
}

/* The routed form of a layer's FFN: both variants of the lists, and W_down
 * by unit. */
static void layer_route_build(exec *e, layer_exec *le, const model_layer *ml) {
  int n = ml->n_ffn, d = e->m->d_model;
  fam_build(e, le, ml, (int)(ml - e->m->layers));
  head_live_build(e, le, ml);
  layer_lists(e, le, ml, LISTS_LIVE);
  layer_lists(e, le, ml, LISTS_WHOLE);
  /* W_down by unit: unit j's column as a row of (slot, weight) */
  triplets t = {0};
  trip_ffn(&t, &ml->ffn[FFN_DOWN], n, 0, false);
  csc_build(&le->down_by_unit, &t, n, d);
}

/* The layers a routed push without an observer must visit: every layer
 * with heads, a router read, shared units or family units, and those
 * where a selected expert has units (LISTS_LIVE).  At any other layer
 * run_layer would do nothing: no head, no router, and an FFN of no unit
 * (units of a router only come at or after its layer, model_validate, so
 * the experts of a router not read yet select none there). */
static void layers_build(exec *e) {
  const model *m = e->m;
  const model_routing *rt = m->routing;
  int L = m->n_layers;
  e->lw = L / 64 + 1;
  e->lbase = xcalloc((size_t)e->lw, sizeof *e->lbase);
  e->lact = xcalloc((size_t)e->lw, sizeof *e->lact);
  for (int l = 0; l < L; l++) {
    const layer_exec *le = &e->layers[l];
    bool work = le->n_heads > 0 || le->n_shared[LISTS_LIVE] > 0;
    for (int r = 0; r < rt->n_routers; r++)
      work = work || rt->routers[r].layer == l || le->n_funits[r] > 0;
    if (work) mask_set(e->lbase, l);
  }
  for (int r = 0; r < rt->n_routers; r++) {
    int ne = rt->routers[r].n_experts;
    e->lexp[r] = xcalloc((size_t)ne * e->lw + 1, sizeof *e->lexp[r]);
    for (int l = 0; l < L; l++) {
      const int *st = e->layers[l].own_start[LISTS_LIVE][r];
      for (int x = 0; st && x < ne; x++)
        if (st[x + 1] > st[x]) mask_set(e->lexp[r] + (size_t)x * e->lw, l);
    }
  }
}

/* Routes when the model carries routing whose proof holds. */
static void routing_build(exec *e) {
  const model *m = e->m;
  const model_routing *rt = m->routing;
  for (int r = 0; r < ROUTE_MAX; r++) e->sel[r] = -1;
  if (!rt) {
    e->route_why = "the model has no routing";
    return;
  }
  if (!rt->holds) {
    e->route_why = "the model's routing proof does not hold";
    return;
  }
  int d = m->d_model;
  for (int r = 0; r < rt->n_routers; r++) {
    e->fam_vmax[r] = FAM_MAX;
    e->fam_cmax[r] = 0;
    triplets t = {0};
    trip_add(&t, rt->routers[r].w, 1, d, 0);
    csc_build(&e->routers[r], &t, 1, d);
  }
  for (int l = 0; l < m->n_layers; l++)
    layer_route_build(e, &e->layers[l], &m->layers[l]);
  layers_build(e);
  e->routed = true;
  e->route_why = "routed";
}

void exec_set_dense(exec *e, bool dense) {
  if (!e || !e->m->routing || !e->m->routing->holds || !e->layers) return;
  e->routed = !dense;
  e->route_why = dense ? "on request" : "routed";
  e->full_clear = true;
  /* the routed FFN relies on h being 0 outside the units it evaluates */
  memset(e->h, 0, ((size_t)e->max_ffn + 1) * sizeof *e->h);
}

bool exec_routed(const exec *e, const char **why) {
  if (why) *why = e->route_why ? e->route_why : "the model is invalid";
  return e->routed;
}

int64_t exec_units_evaluated(const exec *e) { return e->units_eval; }

int exec_offset_caches(const exec *e) {
  int n = 0;
  for (int l = 0; e->layers && l < e->m->n_layers; l++)
    for (int c = 0; c < e->layers[l].n_caches; c++) n += e->layers[l].caches[c].offset;
  return n;
}

int exec_caches(const exec *e, kv_kind kind, int64_t *keys) {
  int n = 0;
  if (keys) *keys = 0;
  for (int l = 0; e->layers && l < e->m->n_layers; l++)
    for (int c = 0; c < e->layers[l].n_caches; c++) {
      const kv_cache *kv = e->layers[l].caches[c].kv;
      if (!kv || kv_serving(kv) != kind) continue;
      n++;
      if (keys) *keys += kv_keys_kept(kv);
    }
  return n;
}

exec *exec_new(const model *m, kv_kind kind) {
  exec *e = xcalloc(1, sizeof *e);
  e->m = m;
  e->kind = kind;
  char verr[256];
  if (!model_validate(m, verr, sizeof verr)) {
    snprintf(e->err, sizeof e->err, "invalid model: %s", verr);
    e->failed = true;
    return e;
  }
  int d = m->d_model;
  e->layers = xcalloc((size_t)m->n_layers + 1, sizeof *e->layers);
  for (int l = 0; l < m->n_layers; l++)
    layer_build(e, &e->layers[l], &m->layers[l]);
  triplets t = {0};
  trip_add(&t, m->p_out, 3 * m->n_ranges, d, 0);
  csc_build(&e->out, &t, 3 * m->n_ranges, d);
  csc_slots(&e->out, d);
  routing_build(e);
  trust_build(e);
  e->x = xcalloc((size_t)d, sizeof *e->x);
  e->attn = xcalloc((size_t)d, sizeof *e->attn);
  e->proj = xcalloc((size_t)e->max_proj + 1, sizeof *e->proj);
  e->vcat = xcalloc((size_t)e->max_vcat + 1, sizeof *e->vcat);
  e->gu = xcalloc(2 * (size_t)e->max_ffn + 1, sizeof *e->gu);
  e->h = xcalloc((size_t)e->max_ffn + 1, sizeof *e->h);
  e->z = xcalloc(3 * (size_t)m->n_ranges, sizeof *e->z);
  e->tame = xcalloc((size_t)m->n_ranges + 1, 1);
  e->ulist = xmalloc(((size_t)e->max_ffn + 1) * sizeof *e->ulist);
  e->umerge = xmalloc((2 * (size_t)e->max_ffn + 1) * sizeof *e->umerge);
  e->touched = xmalloc(((size_t)d + 1) * sizeof *e->touched);
  e->mark = xcalloc((size_t)d + 1, 1);
  e->acc = xcalloc((size_t)d + 1, sizeof *e->acc);
  e->emb_rows = xmalloc(((size_t)d + 1) * sizeof *e->emb_rows);
  int nf = 2 * m->n_ranges;
  for (int i = 0; i < d; i++) {
    bool any = false;
    /* -0 weights count: they can make the sum -0 */
    for (int k = 0; k < nf && !any; k++) {
      double w = m->p_in[(size_t)i * nf + k];
      any = w != 0.0 || signbit(w);
    }
    for (int k = 0; k < POS_NFEAT && !any; k++) {
      double w = m->p_pos[(size_t)i * POS_NFEAT + k];
      any = w != 0.0 || signbit(w);
    }
    if (any) e->emb_rows[e->n_emb++] = i;
  }
  e->emb_nopos = xcalloc((size_t)e->n_emb + 1, 1);
  for (int q = 0; q < e->n_emb; q++) {
    const double *ps = m->p_pos + (size_t)e->emb_rows[q] * POS_NFEAT;
    bool zero = true;
    for (int k = 0; k < POS_NFEAT; k++) zero = zero && ps[k] == 0.0;
    e->emb_nopos[q] = zero;
  }
  e->written = xcalloc((size_t)mask_words(d), sizeof *e->written);
  e->emb_mask = xcalloc((size_t)mask_words(d), sizeof *e->emb_mask);
  for (int q = 0; q < e->n_emb; q++) mask_set(e->emb_mask, e->emb_rows[q]);
  resid_rows_build(e);
  return e;
}

void exec_free(exec *e) {
  if (!e) return;
  for (int l = 0; e->layers && l < e->m->n_layers; l++) {
    layer_exec *le = &e->layers[l];
    for (int c = 0; c < le->n_caches; c++) {
      kv_free(le->caches[c].kv);
      free(le->caches[c].ring);
      free(le->caches[c].first);
    }
    free(le->qoff);
    free(le->caches);
    free(le->head_cache);
    free(le->qrow);
    free(le->vcol);
    csc_free(&le->proj);
    csc_free(&le->wo);
    free(le->wo_mask);
    free(le->down_mask);
    free(le->gate_end);
    csc_free(&le->ffn_in);
    csc_free(&le->ffn_down);
    csc_free(&le->down_by_unit);
    fam_free(le);
    free(le->isfam);
    for (int h = 0; le->hlive && h < le->n_heads; h++) free(le->hlive[h]);
    free(le->hlive);
    free(le->hrouter);
    for (int v = 0; v < 2; v++) {
      free(le->shared[v]);
      for (int r = 0; r < ROUTE_MAX; r++) {
        free(le->own_start[v][r]);
        free(le->own_units[v][r]);
      }
    }
  }
  for (int r = 0; r < ROUTE_MAX; r++) {
    csc_free(&e->routers[r]);
    free(e->lexp[r]);
  }
  free(e->lbase);
  free(e->lact);

  free(e->layers);
  csc_free(&e->out);
  free(e->x);
  free(e->attn);
  free(e->proj);
  free(e->vcat);
  free(e->gu);
  free(e->h);
  free(e->z);
  free(e->tame);
  free(e->ulist);
  free(e->umerge);
  free(e->touched);
  free(e->mark);
  free(e->acc);
  free(e->emb_rows);
  free(e->emb_nopos);
  free(e->written);
  free(e->emb_mask);
  free(e->perm);
  free(e->dirty);
  free(e);
}

void exec_set_observer(exec *e, const exec_observer *o) {
  e->has_obs = o != NULL;
  if (o) e->obs = *o;
}

const char *exec_error(const exec *e) { return e->err; }
int64_t exec_position(const exec *e) { return e->pos; }
const double *exec_residual(const exec *e) { return e->x; }

/* ---- errors ---------------------------------------------------------------- */

static bool fail(exec *e, const char *fmt, ...) TVL_PRINTF(2, 3);
static bool fail(exec *e, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->err, sizeof e->err, fmt, ap);
  va_end(ap);
  e->failed = true;
  return false;
}

/* "layer 2 head 1 (mem read 0)" */
static const char *head_label(const exec *e, int l, int h, char *buf,
                              size_t n) {
  const char *name = e->m->layers[l].heads[h].name;
  if (name[0]) snprintf(buf, n, "layer %d head %d (%s)", l, h, name);
  else snprintf(buf, n, "layer %d head %d", l, h);
  return buf;
}

/* A float key or query component must be an integer within lim; *why
 * says what is wrong otherwise. */
static bool to_int(double v, int64_t lim, int64_t *out, const char **why) {
  if (!isfinite(v)) {
    *why = "is not finite";
    return false;
  }
  if (!whole(v)) {
    *why = "is not integral";
    return false;
  }
  if (fabs(v) > (double)lim) {
    *why = "is out of bounds";
    return false;
  }
  *out = (int64_t)v;
  return true;
}

static COLD bool check_pair_slow(exec *e, int l, int h, const char *what,
                                 const double *v, int64_t limx, int64_t limy,
                                 int64_t *ox, int64_t *oy) {
  const char *why = NULL;
  if (to_int(v[0], limx, ox, &why) && to_int(v[1], limy, oy, &why))
    return true;
  char lab[96];
  return fail(e, "%s: %s (%.17g, %.17g) %s at position %" PRId64,
              head_label(e, l, h, lab, sizeof lab), what, v[0], v[1], why,
              e->pos);
}

/* to_int of both components, the common case first: within a limit
 * (at most 2^62, so the conversion is defined) and kept by the
 * conversion is to_int's success (NaN fails the first test). */
static HOT_INLINE bool check_pair(exec *e, int l, int h, const char *what,
                                  const double *v, int64_t limx, int64_t limy,
                                  int64_t *ox, int64_t *oy) {
  if (fabs(v[0]) <= (double)limx && fabs(v[1]) <= (double)limy) {
    int64_t x = (int64_t)v[0], y = (int64_t)v[1];
    if ((double)x == v[0] && (double)y == v[1]) {
      *ox = x;
      *oy = y;
      return true;
    }
  }
  return check_pair_slow(e, l, h, what, v, limx, limy, ox, oy);
}

/* v * 0 is a zero for finite v and NaN otherwise, and a sum of zeros
 * stays a zero in any order: four independent sums instead of a branch
 * per component; the loop below finds the first bad one. */
static bool all_finite(const double *v, int n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += v[i] * 0.0;
    s1 += v[i + 1] * 0.0;
    s2 += v[i + 2] * 0.0;
    s3 += v[i + 3] * 0.0;
  }
  for (; i < n; i++) s0 += v[i] * 0.0;
  return (s0 + s1) + (s2 + s3) == 0.0;
}

static bool check_finite(exec *e, const double *v, int n, const char *what,
                         int l) {
  if (all_finite(v, n)) return true;
  for (int i = 0; i < n; i++)
    if (!isfinite(v[i]))
      return fail(e, "layer %d: %s slot %d is not finite (%g) at position "
                  "%" PRId64, l, what, i, v[i], e->pos);
  return true;
}

/* ---- the forward pass ------------------------------------------------------ */

/* The slots the embedding or an attention can write, and room for the
 * FFNs' (a family's rows and a scatter's touched rows, per layer). */
static void resid_rows_build(exec *e) {
  int d = e->m->d_model;
  unsigned char *in = xcalloc((size_t)d + 1, 1);
  e->perm = xmalloc(((size_t)d + 1) * sizeof *e->perm);
  for (int q = 0; q < e->n_emb; q++) in[e->emb_rows[q]] = 1;
  for (int l = 0; l < e->m->n_layers; l++)
    for (int k = 0; k < e->layers[l].wo.nused; k++) in[e->layers[l].wo.used[k]] = 1;
  for (int i = 0; i < d; i++)
    if (in[i]) e->perm[e->nperm++] = i;
  free(in);
  e->dirty = xmalloc((2 * (size_t)d * (size_t)e->m->n_layers + 1) * sizeof *e->dirty);
  e->full_clear = true;
}

/* Whether an observer may write into the residual or the FFN activations
 * (exec_observer.on_resid, on_ffn): then any slot may be non-zero after a
 * push, and the FFN runs dense. */
static bool intervening(const exec *e) {
  return e->has_obs && (e->obs.on_resid || e->obs.on_ffn);
}

/* Zeroes the residual: every slot, or (routed) those the last push may
 * have made non-zero. */
static void resid_clear(exec *e) {
  if (!e->routed || e->full_clear || intervening(e)) {
    memset(e->x, 0, (size_t)e->m->d_model * sizeof *e->x);
    e->full_clear = !e->routed || intervening(e);
  } else {
    for (int q = 0; q < e->nperm; q++) e->x[e->perm[q]] = 0;
    for (int q = 0; q < e->ndirty; q++) e->x[e->dirty[q]] = 0;
  }
  e->ndirty = 0;
}

/* x = E[token] + P_pos posfeat(p), each sum in feature order.  A slot
 * whose embedding weights are all zero gets +0, as the sum of zero terms
 * (starting from +0) is. */
static void embed(exec *e, int token) {
  const model *m = e->m;
  int r = model_token_range(m, token), nf = 2 * m->n_ranges;
  /* model_token_value without a second search */
  double v = r < 0 ? 0.0 : (double)((int64_t)m->ranges[r].value0 + (token - m->ranges[r].first));
  double f[POS_NFEAT];
  model_pos_features(e->pos, f);
  resid_clear(e);
  memcpy(e->written, e->emb_mask, (size_t)mask_words(m->d_model) * sizeof *e->written);
  for (int q = 0; q < e->n_emb; q++) {
    int i = e->emb_rows[q];
    const double *in = m->p_in + (size_t)i * nf;
    const double *ps = m->p_pos + (size_t)i * POS_NFEAT;
    double tok = in[2 * r] + v * in[2 * r + 1];
    /* zero weights times finite features: pos is a zero, and tok + pos
     * is tok unless tok is a zero too (then the signs decide) */
    if (e->emb_nopos[q] && tok != 0.0) {
      e->x[i] = tok;
      continue;
    }
    double pos = ps[0] * f[0];
    for (int k = 1; k < POS_NFEAT; k++) pos += ps[k] * f[k];
    e->x[i] = tok + pos;
  }
}

static bool insert_keys(exec *e, int l, layer_exec *le) {
  for (int c = 0; c < le->n_caches; c++) {
    cache_slot *cs = &le->caches[c];
    if (cs->mask_slot >= 0 && e->x[cs->mask_slot] != 0.0) continue;
    int64_t kx, ky;
    if (!check_pair(e, l, cs->head, "key", e->proj + cs->krow, KEY_MAX_X,
                    KEY_MAX_Y, &kx, &ky))
      return false;
    const double *v = e->proj + cs->vrow;
    char lab[96];
    for (int k = 0; k < cs->dv; k++) {
      bool ok = isfinite(v[k]) &&
                (cs->tie == TIE_LATEST ||
                 (whole(v[k]) && fabs(v[k]) <= (double)AVG_VALUE_MAX));
      if (!ok)
        return fail(e, "%s: value component %d (%.17g) is not %s at position "
                    "%" PRId64, head_label(e, l, cs->head, lab, sizeof lab), k,
                    v[k], cs->tie == TIE_LATEST ? "finite"
                    : "an integer within 2^31 (AVERAGE)", e->pos);
    }
    if (cs->offset) {
      int64_t r = e->pos % POS_RING_N;
      if (kx != 2 * r || ky != -r * r)
        return fail(e, "%s: key (%" PRId64 ", %" PRId64 ") is not the ring "
                    "key of position %" PRId64 " (an offset cache)",
                    head_label(e, l, cs->head, lab, sizeof lab), kx, ky, e->pos);
      size_t n = (size_t)cs->dv * sizeof *v;
      memcpy(cs->ring + (e->pos % (OFFSET_MAX + 1)) * cs->dv, v, n);
      if (e->pos == 0) memcpy(cs->first, v, n);
      continue;
    }
    if (!kv_insert(cs->kv, kx, ky, e->pos, v))
      return fail(e, "%s: the cache refused key (%" PRId64 ", %" PRId64
                  ") at position %" PRId64,
                  head_label(e, l, cs->head, lab, sizeof lab), kx, ky, e->pos);
  }
  return true;
}

/* The token d back: position max(p - d, 0), its ring key, and how many
 * positions share that key (the winner and those N, 2N, ... before). */
static bool offset_read(exec *e, int l, int h, const cache_slot *cs, int d,
                        int64_t qx, int64_t qy, kv_result *r, double *val) {
  int64_t p = e->pos;
  int64_t want = p < d ? p - d : (p - d) % POS_RING_N;
  if (qx != want || qy != 1) {
    char lab[96];
    return fail(e, "%s: query (%" PRId64 ", %" PRId64 ") is not the ring query "
                "of position %" PRId64 " - %d (an offset cache)",
                head_label(e, l, h, lab, sizeof lab), qx, qy, p, d);
  }
  int64_t w = p < d ? 0 : p - d, rw = w % POS_RING_N;
  r->found = true;
  r->pos = w;
  r->kx = 2 * rw;
  r->ky = -rw * rw;
  r->count = w / POS_RING_N + 1;
  r->margin = NAN;
  memcpy(val, w == 0 ? cs->first : cs->ring + (w % (OFFSET_MAX + 1)) * cs->dv,
         (size_t)cs->dv * sizeof *val);
  return true;
}

/* Whether head h's value is dead at this position: routed, no observer,
 * and its router selects no expert of the head's liveness (the router is
 * read at an earlier layer, model_validate).  Its query is then skipped
 * and it reads zeros, which nothing that runs reads. */
static bool head_dead(const exec *e, const layer_exec *le, int h) {
  const uint64_t *m = le->hlive ? le->hlive[h] : NULL;
  if (!m || !e->routed || e->has_obs) return false;
  int64_t s = e->sel[le->hrouter[h]];
  return s < 0 || !(m[s / 64] >> (s % 64) & 1);
}

/* Each head's liveness as a bit per expert (NULL: always live). */
static void head_live_build(exec *e, layer_exec *le, const model_layer *ml) {
  for (int h = 0; h < ml->n_heads; h++) {
    const model_head *hd = &ml->heads[h];
    if (hd->live_router < 0) continue;
    if (!le->hlive) {
      le->hlive = xcalloc((size_t)ml->n_heads, sizeof *le->hlive);
      le->hrouter = xcalloc((size_t)ml->n_heads, sizeof *le->hrouter);
    }
    le->hrouter[h] = hd->live_router;
    int ne = e->m->routing->routers[hd->live_router].n_experts;
    le->hlive[h] = xcalloc((size_t)ne / 64 + 1, sizeof **le->hlive);
    for (int k = 0; k < hd->n_live; k++)
      le->hlive[h][hd->live[k] / 64] |= (uint64_t)1 << (hd->live[k] % 64);
  }
}

static bool run_heads(exec *e, int l, layer_exec *le) {
  for (int h = 0; h < le->n_heads; h++) {
    cache_slot *cs = &le->caches[le->head_cache[h]];
    if (head_dead(e, le, h)) {
      memset(e->vcat + le->vcol[h], 0, (size_t)cs->dv * sizeof *e->vcat);
      continue;
    }
    const double *q = e->proj + le->qrow[h];
    int64_t qx, qy;
    if (!check_pair(e, l, h, "query", q, QUERY_MAX, QUERY_MAX, &qx, &qy))
      return false;
    kv_result r;
    double *val = e->vcat + le->vcol[h];
    if (cs->offset) {
      if (!offset_read(e, l, h, cs, le->qoff[h], qx, qy, &r, val)) return false;
    } else if (!kv_query(cs->kv, qx, qy, &r, val)) {
      char lab[96];
      return fail(e, "%s: query (%" PRId64 ", %" PRId64 ") could score beyond "
                  "2^53 against the keys so far at position %" PRId64,
                  head_label(e, l, h, lab, sizeof lab), qx, qy, e->pos);
    }
    if (e->has_obs && e->obs.on_head)
      e->obs.on_head(e->obs.ctx, e->pos, l, h, q, &r, val);
  }
  return true;
}

/* x += y on the rows the product can change; only those can turn
 * non-finite. */
static bool add_rows(exec *e, const csc *m, const char *what, int l) {
  if (e->layers[l].trusted) {
    for (int k = 0; k < m->nused; k++) e->x[m->used[k]] += e->attn[m->used[k]];
    return true;
  }
  for (int k = 0; k < m->nused; k++) {
    int i = m->used[k];
    e->x[i] += e->attn[i];
    if (!isfinite(e->x[i]))
      return fail(e, "layer %d: %s slot %d is not finite (%g) at position "
                  "%" PRId64, l, what, i, e->x[i], e->pos);
  }
  return true;
}

/* The routers read before layer l's FFN: each an integer, selecting an
 * expert or none. */
static bool read_routers(exec *e, int l) {
  const model_routing *rt = e->m->routing;
  for (int r = 0; r < rt->n_routers; r++) {
    if (rt->routers[r].layer != l) continue;
    double v = 0, mag = 0;
    bool integ = true;
    const csc *w = &e->routers[r];
    for (int k = w->start[0]; k < w->start[1]; k++) {
      double x = e->x[w->row[k]], t = w->w[k] * x;
      v += t;
      mag += fabs(t);
      integ = integ && whole(x);
    }
    if (!isfinite(v) || !whole(v))
      return fail(e, "router %s reads %.17g, not an integer, at position %"
                  PRId64, rt->routers[r].name, v, e->pos);
    e->sel[r] = v >= 0 && v < rt->routers[r].n_experts ? (int64_t)v : -1;
    /* integral terms (the weights are, see fam_shape), every partial sum
     * of a family unit's gate below 2^52: each gate is v + c exactly */
    e->rv[r] = v;
    e->rexact[r] = integ && mag + e->fam_cmax[r] <= FAM_MAX / 2 &&
                   fabs(v) <= e->fam_vmax[r];
  }
  return true;
}

static COLD bool unit_not_finite(exec *e, int l, int j, double h) {
  return fail(e, "layer %d: FFN hidden slot %d is not finite (%g) at position "
              "%" PRId64, l, j, h, e->pos);
}

/* Evaluates unit j, h = relu(gate) * up (0 when the gate is not
 * positive), and scatters its column of W_down into e->acc (rows touched
 * are marked and listed). */
static HOT_INLINE bool unit_scatter(exec *e, const layer_exec *le, int j, int l, int *nt) {
  const csc *fi = &le->ffn_in;
  const int *row = fi->row;
  const double *w = fi->w, *x = e->x;
  double g = 0;
  for (int k = fi->start[j], end = fi->start[j + 1]; k < end; k++) g += w[k] * x[row[k]];
  if (!(g > 0.0)) return true;
  int n = le->n_ffn;
  double u = 0;
  for (int k = fi->start[n + j], end = fi->start[n + j + 1]; k < end; k++) u += w[k] * x[row[k]];
  double h = g * u;
  if (!le->trusted && !isfinite(h)) return unit_not_finite(e, l, j, h);
  if (h == 0.0) return true;
  const csc *dn = &le->down_by_unit;
  double *acc = e->acc;
  unsigned char *mark = e->mark;
  for (int k = dn->start[j], end = dn->start[j + 1]; k < end; k++) {
    int i = dn->row[k];
    if (!mark[i]) {
      mark[i] = 1;
      e->touched[(*nt)++] = i;
    }
    acc[i] += dn->w[k] * h;
  }
  return true;
}

/* The layer's families: in closed form where read_routers found the
 * router's terms integral and small, unit by unit otherwise; before every
 * other unit (they come first in the rows they write, fam_row_build). */
static void fam_row_apply(exec *e, const fam_row *w, double v, int *nt) {
  int t = w->nu;
  if (!(v > w->tau[t - 1])) {
    int lo = 1, hi = t - 1;   /* tau[lo - 1] < v <= tau[hi] */
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (v > w->tau[mid]) lo = mid + 1;
      else hi = mid;
    }
    t = lo;
  }
  int i = w->slot;
  double val = v * w->A[t] + w->B[t];
  if (w->solo) {
    e->x[i] += val;
    e->dirty[e->ndirty++] = i;
    mask_set(e->written, i);
    return;
  }
  if (!e->mark[i]) {
    e->mark[i] = 1;
    e->touched[(*nt)++] = i;
  }
  e->acc[i] += val;
}

static bool fam_run(exec *e, const layer_exec *le, int l, int *nt) {
  for (int r = 0; r < ROUTE_MAX; r++) {
    if (!le->n_funits[r]) continue;
    if (!e->rexact[r]) {
      e->units_eval += le->n_funits[r];
      for (int q = 0; q < le->n_funits[r]; q++)
        if (!unit_scatter(e, le, le->funits[r][q], l, nt)) return false;
      continue;
    }
    double v = e->rv[r];
    const fam_row *fr = le->frows[r];
    int q = 0;
    for (; q < le->n_frows[r] && v > fr[q].tau[0]; q++) fam_row_apply(e, &fr[q], v, nt);
    e->units_eval += q;
    /* narrow rows: those whose first threshold is in [v - FAM_NARROW, v) */
    fr = le->nrows[r];
    int lo = 0, hi = le->n_nrows[r];
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (fr[mid].tau[0] < v - FAM_NARROW) lo = mid + 1;
      else hi = mid;
    }
    for (q = lo; q < le->n_nrows[r] && v > fr[q].tau[0]; q++)
      if (v <= fr[q].tau[fr[q].nu - 1]) {
        fam_row_apply(e, &fr[q], v, nt);
        e->units_eval++;
      }
  }
  return true;
}

_Static_assert(ROUTE_MAX == 2, "expert_units merges two lists");

/* The selected experts' units of this layer, in unit order, into e->ulist
 * (a unit in both routers' lists once); returns the count. */
static int expert_units(exec *e, const layer_exec *le, int v) {
  const model_routing *rt = e->m->routing;
  const int *a = NULL, *b = NULL;
  int na = 0, nb = 0;
  for (int r = 0; r < rt->n_routers; r++) {
    int64_t s = e->sel[r];
    if (s < 0 || !le->own_start[v][r]) continue;
    const int *u = le->own_units[v][r] + le->own_start[v][r][s];
    int n = le->own_start[v][r][s + 1] - le->own_start[v][r][s];
    if (!n) continue;
    if (!a) {
      a = u;
      na = n;
    } else {
      b = u;
      nb = n;
    }
  }
  int i = 0, k = 0, n = 0;
  while (i < na || k < nb) {
    if (i < na && k < nb && a[i] == b[k]) k++;
    e->ulist[n++] = k >= nb || (i < na && a[i] < b[k]) ? a[i++] : b[k++];
  }
  return n;
}

/* The routed FFN: the shared units and the selected experts' units, in
 * unit order; every other unit is proven to give h = 0 exactly
 * (model_routing).  Each evaluated unit with h != 0 scatters its column of
 * W_down into e->acc; as units come in increasing order, every row's sum
 * takes its terms in the dense product's order, and the terms left out
 * are exact zeros, which change no sum that starts at +0.  Only the rows
 * touched are added to the residual. */
static bool run_ffn_routed(exec *e, int l, layer_exec *le) {
  int v = e->has_obs ? LISTS_WHOLE : LISTS_LIVE;
  const int *S = le->shared[v], *E = e->ulist;
  int nS = le->n_shared[v], nE = expert_units(e, le, v), a = 0, b = 0, nt = 0;
  e->units_eval += nS + nE;
  bool ok = fam_run(e, le, l, &nt);
  /* the units in unit order: S, E, or their merge (a unit in both comes
   * twice, E's first) */
  const int *U = S;
  int nU = nS;
  if (nE && !nS) {
    U = E;
    nU = nE;
  } else if (nE) {
    int *M = e->umerge;
    nU = 0;
    while (a < nS && b < nE) M[nU++] = S[a] < E[b] ? S[a++] : E[b++];
    while (a < nS) M[nU++] = S[a++];
    while (b < nE) M[nU++] = E[b++];
    U = M;
  }
  for (int q = 0; ok && q < nU; q++) ok = unit_scatter(e, le, U[q], l, &nt);
  int bad = -1;
  for (int q = 0; q < nt; q++) {
    int i = e->touched[q];
    if (ok) {
      e->x[i] += e->acc[i];
      if (!le->trusted && !isfinite(e->x[i]) && (bad < 0 || i < bad)) bad = i;
    }
    e->acc[i] = 0.0;
    e->mark[i] = 0;
    mask_set(e->written, i);
  }
  memcpy(e->dirty + e->ndirty, e->touched, (size_t)nt * sizeof *e->touched);
  e->ndirty += nt;
  if (ok && bad >= 0)
    return fail(e, "layer %d: after the FFN, residual slot %d is not finite (%g) "
                "at position %" PRId64, l, bad, e->x[bad], e->pos);
  return ok;
}

/* Every gate of the layer into e->gu[0, n), by the columns of ffn_in
 * whose slot of x is not zero: within a column the gate rows come first
 * (csc_build keeps the triplets' order, gates before ups), and each gate
 * takes its terms in increasing slot order from +0, the terms left out
 * exact zeros, as csc_mv_sparse does: each is csc_mv's row sum. */
static void gates_by_column(exec *e, const layer_exec *le) {
  const csc *fi = &le->ffn_in;
  double *g = e->gu;
  memset(g, 0, (size_t)le->n_ffn * sizeof *g);
  for (int q = 0; q < fi->ncu; q++) {
    double xj = e->x[fi->cu[q]];
    if (xj == 0.0) continue;
    for (int k = fi->cstart[q]; k < le->gate_end[q]; k++) g[fi->crow[k]] += fi->cw[k] * xj;
  }
}

/* The observer's turn at a half-layer's residual (exec_observer). */
static void observe_resid(exec *e, int half) {
  if (e->has_obs && e->obs.on_resid) e->obs.on_resid(e->obs.ctx, e->pos, half, e->x);
}

static bool run_layer(exec *e, int l) {
  layer_exec *le = &e->layers[l];
  if (le->n_heads) {
    if (e->routed && !intervening(e)) csc_mv_masked(&le->proj, e->x, e->proj, e->written);
    else if (e->routed) csc_mv_sparse(&le->proj, e->x, e->proj, false);
    else csc_mv(&le->proj, e->x, e->proj);
    if (!insert_keys(e, l, le) || !run_heads(e, l, le)) return false;
    if (e->routed) csc_mv_sparse(&le->wo, e->vcat, e->attn, true);
    else csc_mv_used(&le->wo, e->vcat, e->attn);
    if (!add_rows(e, &le->wo, "after attention, residual", l)) return false;
    for (int k = 0, nw = mask_words(e->m->d_model); k < nw; k++) e->written[k] |= le->wo_mask[k];
  }
  observe_resid(e, 2 * l);
  if (e->routed && !(e->has_obs && e->obs.on_ffn)) {   /* see intervening() */
    if (!read_routers(e, l)) return false;
    if (le->n_ffn && !run_ffn_routed(e, l, le)) return false;
  } else if (le->n_ffn) {
    e->units_eval += le->n_ffn;
    int n = le->n_ffn;
    /* h = relu(gate) * up: an up row is computed only where its gate is
     * positive, since h is exactly 0 elsewhere (every value is finite) */
    const csc *fi = &le->ffn_in;
    gates_by_column(e, le);
    for (int j = 0; j < n; j++) {
      double g = e->gu[j];
      if (g > 0.0) {
        double u = 0;
        for (int k = fi->start[n + j]; k < fi->start[n + j + 1]; k++)
          u += fi->w[k] * e->x[fi->row[k]];
        e->h[j] = g * u;
      } else {
        e->h[j] = 0.0;
      }
    }
    if (e->has_obs && e->obs.on_ffn) e->obs.on_ffn(e->obs.ctx, e->pos, l, e->h, n);
    if (!le->trusted && !check_finite(e, e->h, n, "FFN hidden", l)) return false;
    csc_mv_sparse(&le->ffn_down, e->h, e->attn, true);   /* mostly h = 0 */
    if (!add_rows(e, &le->ffn_down, "after the FFN, residual", l)) return false;
  }
  observe_resid(e, 2 * l + 1);
  if (e->has_obs && e->obs.on_layer) e->obs.on_layer(e->obs.ctx, e->pos, l, e->x);
  return true;
}

/* The one check left where the bounds skip the others: a non-finite value
 * added to a slot leaves it non-finite (inf + finite = inf, inf - inf =
 * NaN, NaN + anything = NaN), and every slot is only ever added to after
 * the embedding, so the sum of the final residual is finite exactly when
 * every slot is (the bounds keep the sum itself from overflowing).  Fails
 * only if a bound of bounds.c is wrong. */
static bool final_check(exec *e) {
  int d = e->m->d_model;
  /* two sums, each of a subset of the slots, so as bounded as the whole
   * sum: finite exactly when their slots are */
  double s = 0, t = 0;
  if (e->routed && !e->full_clear) {
    /* the other slots are +0 (resid_clear) */
    for (int q = 0; q < e->nperm; q++) s += e->x[e->perm[q]];
    for (int q = 0; q < e->ndirty; q++) t += e->x[e->dirty[q]];
  } else {
    for (int i = 0; i < d; i++) s += e->x[i];
  }
  if (isfinite(s) && isfinite(t)) return true;
  int bad = 0;
  while (bad < d - 1 && isfinite(e->x[bad])) bad++;
  return fail(e, "the residual is not finite after the last layer (slot %d: "
              "%g) at position %" PRId64 ": a bound derived from the weights "
              "does not hold", bad, e->x[bad], e->pos);
}

/* Which layers skip their checks: a prefix of the layers whose bounds
 * (bounds.c) stay below FINITE_MAX. */
#define FINITE_MAX 0x1p1000
static void trust_build(exec *e) {
  const model *m = e->m;
  double *b = xmalloc(((size_t)m->n_layers + 2) * sizeof *b);
  model_bounds(m, b);
  bool ok = b[0] < FINITE_MAX;
  e->embed_trusted = ok;
  for (int l = 0; l < m->n_layers; l++) {
    ok = ok && b[1 + l] < FINITE_MAX;
    e->layers[l].trusted = ok;
    e->any_trusted = e->any_trusted || ok;
  }
  free(b);
}

void exec_trust_bounds(exec *e, bool trust) {
  if (!e->layers) return;
  if (!trust) {
    e->embed_trusted = e->any_trusted = false;
    for (int l = 0; l < e->m->n_layers; l++) e->layers[l].trusted = false;
    return;
  }
  e->embed_trusted = e->any_trusted = true;
  for (int l = 0; l < e->m->n_layers; l++) e->layers[l].trusted = true;
}

int exec_trusted_layers(const exec *e) {
  int n = 0;
  for (int l = 0; e->layers && l < e->m->n_layers; l++) n += e->layers[l].trusted;
  return n;
}

/* ---- the output argmax (argmax.c) ------------------------------------------- */

static bool argmax(exec *e, int *next) {
  const model *m = e->m;
  if (e->routed && !intervening(e)) csc_mv_masked(&e->out, e->x, e->z, e->written);
  else if (e->routed) csc_mv_sparse(&e->out, e->x, e->z, false);
  else csc_mv(&e->out, e->x, e->z);
  if (!check_finite(e, e->z, 3 * m->n_ranges, "output feature", m->n_layers))
    return false;
  int bad;
  if (!argmax_ranges(m, e->z, e->tame, next, &bad))
    return fail(e, "the logit of token %d is not finite at position %" PRId64, bad, e->pos);
  return true;
}

/* ---- pushing and decoding -------------------------------------------------- */

bool exec_push(exec *e, int token, int *next) {
  if (e->failed) return false;
  const model *m = e->m;
  if (token < 0 || token >= m->vocab_size)
    return fail(e, "token %d is not in the vocabulary (0..%d) at position %"
                PRId64, token, m->vocab_size - 1, e->pos);
  if (e->pos >= POS_MAX)
    return fail(e, "position %" PRId64 " is beyond the engine's limit "
                "(2^40 tokens)", e->pos);
  embed(e, token);
  observe_resid(e, -1);
  if (!e->embed_trusted &&
      !check_finite(e, e->x, m->d_model, "embedding, residual", 0))
    return false;
  if (e->routed && !e->has_obs) {
    /* only the layers that do something (layers_build) */
    const model_routing *rt = m->routing;
    memcpy(e->lact, e->lbase, (size_t)e->lw * sizeof *e->lact);
    for (int w = 0; w < e->lw; w++)
      while (e->lact[w]) {
        int l = w * 64 + __builtin_ctzll(e->lact[w]);
        e->lact[w] &= e->lact[w] - 1;
        if (!run_layer(e, l)) return false;
        for (int r = 0; r < rt->n_routers; r++) {
          if (rt->routers[r].layer != l || e->sel[r] < 0) continue;
          const uint64_t *x = e->lexp[r] + (size_t)e->sel[r] * e->lw;
          /* layers after l only: l is done */
          for (int k = w; k < e->lw; k++)
            e->lact[k] |= x[k] & (k == w ? ~(uint64_t)0 << (l % 64) << 1 : ~(uint64_t)0);
        }
      }
  } else {
    for (int l = 0; l < m->n_layers; l++)
      if (!run_layer(e, l)) return false;
  }
  if (e->any_trusted && !final_check(e)) return false;
  int nx = -1;
  if (!argmax(e, &nx)) return false;
  e->pos++;
  if (next) *next = nx;
  return true;
}

/* Between two pushes the caches are whole, so an interrupted exec may go
 * on decoding later. */
static bool interrupted(exec *e) {
  snprintf(e->err, sizeof e->err, "interrupted at position %" PRId64, e->pos);
  return false;
}

static bool is_stop(const model *m, int token) {
  int r = model_token_range(m, token);
  return r >= 0 && m->ranges[r].stop;
}

bool exec_decode(exec *e, const int *prompt, int n_prompt, int64_t max_new,
                 int_vec *out, volatile int *interrupt) {
  if (e->failed) return false;
  if (n_prompt < 1) return fail(e, "decoding needs a prompt of at least one "
                                "token");
  int next = -1;
  for (int i = 0; i < n_prompt; i++) {
    if (interrupt && *interrupt) return interrupted(e);
    if (!exec_push(e, prompt[i], &next)) return false;
  }
  for (int64_t k = 0; k < max_new && out->n < INT32_MAX; k++) {
    if (interrupt && *interrupt) return interrupted(e);
    VEC_PUSH(*out, next);
    if (is_stop(e->m, next) || k + 1 == max_new) break;
    if (!exec_push(e, next, &next)) return false;
  }
  return true;
}
