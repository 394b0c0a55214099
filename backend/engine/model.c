/* model.c - the model in memory: allocation, validation, token helpers.
 * The FFN matrices are held sparse (engine.h model_ffn; edits and dense
 * views in ffn.c): a layer's start with no entry, every weight +0.
 *
 * Ownership: a model owns its ranges, matrices, heads, slot names and
 * meta_json; model_free releases all of them.  model_layer_alloc replaces
 * whatever the layer held before.
 */
#include "config.h"

#include "backend/engine/engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Limits that keep every size computation far from overflow and every
 * token value exact in a double (and its square finite). */
enum {
  MODEL_MAX_D = 1 << 20,
  MODEL_MAX_LAYERS = 1 << 12,
  MODEL_MAX_HEADS = 1 << 12,
  MODEL_MAX_DV = 1 << 12,
  MODEL_MAX_FFN = 1 << 22,
  MODEL_MAX_RANGES = 1 << 16,
  MODEL_MAX_VOCAB = 1 << 26,
};
#define MODEL_MAX_VALUE ((int64_t)1 << 53)

static double *zeros(size_t n) {
  return n ? xcalloc(n, sizeof(double)) : NULL;
}

model *model_new(int d_model, int n_layers, const vocab_range *ranges,
                 int n_ranges) {
  model *m = xcalloc(1, sizeof *m);
  if (d_model < 0) d_model = 0;
  if (n_layers < 0) n_layers = 0;
  if (n_ranges < 0) n_ranges = 0;
  m->d_model = d_model;
  m->n_layers = n_layers;
  m->n_ranges = n_ranges;
  if (n_ranges) {
    m->ranges = xcalloc((size_t)n_ranges, sizeof *m->ranges);
    if (ranges) memcpy(m->ranges, ranges, (size_t)n_ranges * sizeof *ranges);
  }
  int64_t v = 0;
  for (int r = 0; r < n_ranges; r++) v += m->ranges[r].count;
  m->vocab_size = v > INT32_MAX ? INT32_MAX : (int)v;
  m->p_in = zeros((size_t)d_model * 2 * (size_t)n_ranges);
  m->p_pos = zeros((size_t)d_model * POS_NFEAT);
  m->p_out = zeros((size_t)3 * (size_t)n_ranges * (size_t)d_model);
  if (n_layers) m->layers = xcalloc((size_t)n_layers, sizeof *m->layers);
  return m;
}

static void layer_clear(model_layer *l) {
  for (int h = 0; h < l->n_heads; h++) {
    free(l->heads[h].wq);
    free(l->heads[h].wk);
    free(l->heads[h].wv);
    free(l->heads[h].wo);
    free(l->heads[h].live);
  }
  free(l->heads);
  for (int k = 0; k < FFN_MATS; k++) {
    free(l->ffn[k].start);
    free(l->ffn[k].slot);
    free(l->ffn[k].w);
    free(l->ffn[k].pend);
  }
  free(l->ffn_route);
  free(l->ffn_live);
  free(l->ffn_live_set);
  free(l->ffn_family);
  memset(l, 0, sizeof *l);
}

void model_layer_alloc(model *m, int layer, int n_heads, const int *dv,
                       int n_ffn) {
  if (!m || layer < 0 || layer >= m->n_layers) return;
  model_layer *l = &m->layers[layer];
  size_t d = (size_t)m->d_model;
  layer_clear(l);
  if (n_heads < 0) n_heads = 0;
  if (n_ffn < 0) n_ffn = 0;
  l->n_heads = n_heads;
  if (n_heads) l->heads = xcalloc((size_t)n_heads, sizeof *l->heads);
  for (int h = 0; h < n_heads; h++) {
    model_head *hd = &l->heads[h];
    hd->tie = TIE_LATEST;
    hd->mask_slot = -1;
    hd->live_router = -1;
    hd->dv = dv && dv[h] > 0 ? dv[h] : 1;
    hd->wq = zeros(2 * d);
    hd->wk = zeros(2 * d);
    hd->wv = zeros((size_t)hd->dv * d);
    hd->wo = zeros(d * (size_t)hd->dv);
  }
  l->n_ffn = n_ffn;
  for (int k = 0; k < FFN_MATS; k++) {  /* no entries: every weight +0 */
    l->ffn[k].start = xcalloc((size_t)n_ffn + 1, sizeof *l->ffn[k].start);
    l->ffn[k].slot = xmalloc(sizeof *l->ffn[k].slot);
    l->ffn[k].w = xmalloc(sizeof *l->ffn[k].w);
  }
}

void model_free(model *m) {
  if (!m) return;
  for (int i = 0; i < m->n_layers && m->layers; i++) layer_clear(&m->layers[i]);
  free(m->layers);
  if (m->slot_names) {
    for (int i = 0; i < m->d_model; i++) free(m->slot_names[i]);
    free(m->slot_names);
  }
  if (m->routing)
    for (int r = 0; r < ROUTE_MAX; r++) free(m->routing->routers[r].w);
  free(m->routing);
  free(m->meta_json);
  free(m->ranges);
  free(m->p_in);
  free(m->p_pos);
  free(m->p_out);
  free(m);
}

model_routing *model_routing_new(model *m, int n_routers) {
  if (!m || n_routers < 0 || n_routers > ROUTE_MAX) return NULL;
  if (m->routing)
    for (int r = 0; r < ROUTE_MAX; r++) free(m->routing->routers[r].w);
  free(m->routing);
  model_routing *rt = xcalloc(1, sizeof *rt);
  rt->n_routers = n_routers;
  for (int r = 0; r < n_routers; r++)
    rt->routers[r].w = zeros((size_t)m->d_model);
  for (int l = 0; l < m->n_layers; l++) {
    model_layer *ly = &m->layers[l];
    free(ly->ffn_route);
    ly->ffn_route = xmalloc(2 * (size_t)ly->n_ffn * sizeof *ly->ffn_route + 1);
    free(ly->ffn_live);
    ly->ffn_live = xcalloc((size_t)ly->n_ffn + 1, sizeof *ly->ffn_live);
    free(ly->ffn_live_set);
    ly->ffn_live_set = NULL;
    free(ly->ffn_family);
    ly->ffn_family = xmalloc((size_t)ly->n_ffn * sizeof *ly->ffn_family + 1);
    for (int j = 0; j < ly->n_ffn; j++) {
      ly->ffn_family[j] = -1;
      ly->ffn_route[2 * j] = -1;
      ly->ffn_route[2 * j + 1] = 0;
    }
  }
  m->routing = rt;
  return rt;
}

/* ---- validation ------------------------------------------------------ */

static bool fail(char *err, size_t errlen, const char *fmt, ...)
    TVL_PRINTF(3, 4);
static bool fail(char *err, size_t errlen, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return false;
}

/* NULL is allowed only for an empty matrix; every entry must be finite,
 * because the executor skips zero weights and 0 * inf would differ. */
/* Whether a[0..n) holds only finite numbers: a non-finite double has all
 * eleven exponent bits set.  A loop of integer operations with no early
 * exit, which the compiler turns into vector code: the scan of a large
 * matrix costs memory bandwidth, not a branch per entry. */
static bool all_finite(const double *a, size_t n) {
  const uint64_t exp = UINT64_C(0x7ff0000000000000);
  uint64_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t b;
    memcpy(&b, &a[i], sizeof b);
    bad |= (uint64_t)((b & exp) == exp);
  }
  return !bad;
}

static bool matrix_ok(const double *a, size_t n, const char *what,
                      char *err, size_t errlen) {
  if (n && !a) return fail(err, errlen, "%s is missing", what);
  if (all_finite(a, n)) return true;
  for (size_t i = 0; i < n; i++)
    if (!isfinite(a[i]))
      return fail(err, errlen, "%s has a non-finite entry at index %zu", what,
                  i);
  return true;
}

/* An FFN matrix (engine.h model_ffn): its edits merged, its entries in
 * order within the d slots, few enough that every count the executor
 * keeps fits an int, and finite, as matrix_ok asks of a dense one: the
 * index of a non-finite entry is its index in the dense matrix
 * (row-major; for W_down, d x n_ffn), the first such. */
enum { FFN_MAX_ENTRIES = 1 << 29 };
static bool ffn_ok(const model_layer *ly, int k, size_t d, const char *what,
                   char *err, size_t errlen) {
  const model_ffn *f = &ly->ffn[k];
  int n = ly->n_ffn;
  if (!f->start || (f->start[n] && (!f->slot || !f->w)))
    return fail(err, errlen, "%s is missing", what);
  if (f->n_pend)
    return fail(err, errlen, "%s has edits not merged (model_ffn_finish)",
                what);
  if (f->start[0] != 0 || f->start[n] > FFN_MAX_ENTRIES)
    return fail(err, errlen, "%s has a bad entry count", what);
  for (int j = 0; j < n; j++) {
    if (f->start[j + 1] < f->start[j] || f->start[j + 1] > f->start[n])
      return fail(err, errlen, "%s: unit %d has bad offsets", what, j);
    for (int64_t q = f->start[j]; q < f->start[j + 1]; q++)
      if (f->slot[q] < 0 || (size_t)f->slot[q] >= d ||
          (q > f->start[j] && f->slot[q] <= f->slot[q - 1]))
        return fail(err, errlen, "%s: unit %d has a slot out of order or "
                    "out of range", what, j);
  }
  if (all_finite(f->w, (size_t)f->start[n])) return true;
  size_t bad = SIZE_MAX;
  for (int j = 0; j < n; j++)
    for (int64_t q = f->start[j]; q < f->start[j + 1]; q++) {
      if (isfinite(f->w[q])) continue;
      size_t at = k == FFN_DOWN ? (size_t)f->slot[q] * (size_t)n + (size_t)j
                                : (size_t)j * d + (size_t)f->slot[q];
      if (at < bad) bad = at;
    }
  return fail(err, errlen, "%s has a non-finite entry at index %zu", what,
              bad);
}

static bool name_ok(const char *s, size_t cap) {
  return memchr(s, '\0', cap) != NULL;
}

static bool ranges_ok(const model *m, char *err, size_t errlen) {
  if (m->n_ranges < 1 || m->n_ranges > MODEL_MAX_RANGES || !m->ranges)
    return fail(err, errlen, "the vocabulary needs 1 to %d ranges, not %d",
                MODEL_MAX_RANGES, m->n_ranges);
  int64_t next = 0;
  for (int r = 0; r < m->n_ranges; r++) {
    const vocab_range *vr = &m->ranges[r];
    if (!name_ok(vr->role, sizeof vr->role) || !vr->role[0])
      return fail(err, errlen, "range %d has an empty or unterminated role",
                  r);
    for (int s = 0; s < r; s++)
      if (!strcmp(m->ranges[s].role, vr->role))
        return fail(err, errlen, "ranges %d and %d share the role %s", s, r,
                    vr->role);
    if (vr->count < 1)
      return fail(err, errlen, "range %d (%s) has count %d", r, vr->role,
                  vr->count);
    if (vr->first != next)
      return fail(err, errlen,
                  "range %d (%s) starts at %d, expected %lld: ranges must "
                  "tile the vocabulary in order",
                  r, vr->role, vr->first, (long long)next);
    next += vr->count;
    if (next > MODEL_MAX_VOCAB)
      return fail(err, errlen, "the vocabulary exceeds %d tokens",
                  MODEL_MAX_VOCAB);
    if (vr->value0 < -MODEL_MAX_VALUE ||
        vr->value0 > MODEL_MAX_VALUE - (vr->count - 1))
      return fail(err, errlen, "range %d (%s) has values beyond 2^53", r,
                  vr->role);
  }
  if (next != m->vocab_size)
    return fail(err, errlen, "vocab_size is %d but the ranges cover %lld",
                m->vocab_size, (long long)next);
  return true;
}

static bool head_ok(const model *m, int l, int h, char *err, size_t errlen) {
  const model_head *hd = &m->layers[l].heads[h];
  size_t d = (size_t)m->d_model;
  char what[96];
  if (!name_ok(hd->name, sizeof hd->name))
    return fail(err, errlen, "layer %d head %d has an unterminated name", l,
                h);
  if (hd->tie != TIE_LATEST && hd->tie != TIE_AVERAGE)
    return fail(err, errlen, "layer %d head %d has an unknown tie rule", l,
                h);
  if (hd->mask_slot < -1 || hd->mask_slot >= m->d_model)
    return fail(err, errlen, "layer %d head %d: mask slot %d is not in "
                "[-1, %d)", l, h, hd->mask_slot, m->d_model);
  if (hd->dv < 1 || hd->dv > MODEL_MAX_DV)
    return fail(err, errlen, "layer %d head %d: dv %d is not in [1, %d]", l,
                h, hd->dv, MODEL_MAX_DV);
  const double *mats[4] = {hd->wq, hd->wk, hd->wv, hd->wo};
  const char *names[4] = {"w_q", "w_k", "w_v", "w_o"};
  size_t sizes[4] = {2 * d, 2 * d, (size_t)hd->dv * d, (size_t)hd->dv * d};
  for (int i = 0; i < 4; i++) {
    snprintf(what, sizeof what, "layer %d head %d %s", l, h, names[i]);
    if (!matrix_ok(mats[i], sizes[i], what, err, errlen)) return false;
  }
  return true;
}

static bool layer_ok(const model *m, int l, char *err, size_t errlen) {
  const model_layer *ly = &m->layers[l];
  size_t d = (size_t)m->d_model;
  char what[64];
  if (ly->n_heads < 0 || ly->n_heads > MODEL_MAX_HEADS ||
      (ly->n_heads && !ly->heads))
    return fail(err, errlen, "layer %d has a bad head count %d", l,
                ly->n_heads);
  for (int h = 0; h < ly->n_heads; h++)
    if (!head_ok(m, l, h, err, errlen)) return false;
  if (ly->n_ffn < 0 || ly->n_ffn > MODEL_MAX_FFN)
    return fail(err, errlen, "layer %d has a bad FFN width %d", l,
                ly->n_ffn);
  static const char *const names[FFN_MATS] = {"w_gate", "w_up", "w_down"};
  for (int k = 0; k < FFN_MATS; k++) {
    snprintf(what, sizeof what, "layer %d %s", l, names[k]);
    if (!ffn_ok(ly, k, d, what, err, errlen)) return false;
  }
  return true;
}

/* Layer l's liveness sets: offsets from 0 that never decrease, pairs of
 * a router read at layer l or before and one of its experts, increasing
 * within a unit, and only for units no step owns. */
static bool live_ok(const model *m, int l, char *err, size_t errlen) {
  const model_layer *ly = &m->layers[l];
  const model_routing *rt = m->routing;
  if (ly->ffn_live[0] != 0 || (ly->ffn_live[ly->n_ffn] && !ly->ffn_live_set))
    return fail(err, errlen, "layer %d: bad liveness offsets", l);
  for (int j = 0; j < ly->n_ffn; j++) {
    int32_t a = ly->ffn_live[j], b = ly->ffn_live[j + 1];
    bool ok = b >= a && (a == b || ly->ffn_route[2 * j] == -1);
    for (int32_t q = a; ok && q < b; q++) {
      int r = ly->ffn_live_set[2 * q], s = ly->ffn_live_set[2 * q + 1];
      ok = r >= 0 && r < rt->n_routers && s >= 0 &&
           s < rt->routers[r].n_experts && l >= rt->routers[r].layer &&
           (q == a || r > ly->ffn_live_set[2 * q - 2] ||
            (r == ly->ffn_live_set[2 * q - 2] && s > ly->ffn_live_set[2 * q - 1]));
    }
    if (!ok) return fail(err, errlen, "layer %d unit %d: bad liveness", l, j);
  }
  return true;
}

/* Routers in range, finite; every unit's owner a router and an expert it
 * can select, in a layer that comes no earlier than the router. */
static bool routing_ok(const model *m, char *err, size_t errlen) {
  const model_routing *rt = m->routing;
  for (int l = 0; !rt && l < m->n_layers; l++)
    for (int h = 0; h < m->layers[l].n_heads; h++)
      if (m->layers[l].heads[h].live_router != -1)
        return fail(err, errlen, "layer %d head %d: liveness without routing",
                    l, h);
  if (!rt) return true;
  if (rt->n_routers < 0 || rt->n_routers > ROUTE_MAX)
    return fail(err, errlen, "bad router count %d", rt->n_routers);
  for (int r = 0; r < rt->n_routers; r++) {
    const model_router *ro = &rt->routers[r];
    if (ro->layer < 0 || ro->layer >= m->n_layers || ro->n_experts < 0 ||
        ro->n_experts > (1 << 24))
      return fail(err, errlen, "router %d: bad layer %d or expert count %d",
                  r, ro->layer, ro->n_experts);
    if (!matrix_ok(ro->w, (size_t)m->d_model, "router", err, errlen))
      return false;
  }
  for (int l = 0; l < m->n_layers; l++) {
    const model_layer *ly = &m->layers[l];
    if (!ly->ffn_route) {
      if (ly->n_ffn) return fail(err, errlen, "layer %d has no routes", l);
      continue;
    }
    for (int j = 0; j < ly->n_ffn; j++) {
      int r = ly->ffn_route[2 * j], s = ly->ffn_route[2 * j + 1];
      if (r == -1) continue;
      if (r < 0 || r >= rt->n_routers || s < 0 ||
          s >= rt->routers[r].n_experts || l < rt->routers[r].layer)
        return fail(err, errlen, "layer %d unit %d: bad route (%d, %d)", l,
                    j, r, s);
    }
    if (ly->ffn_live && !live_ok(m, l, err, errlen)) return false;
    for (int h = 0; h < ly->n_heads; h++) {
      const model_head *hd = &ly->heads[h];
      int r = hd->live_router;
      if (r == -1) continue;
      bool ok = r >= 0 && r < rt->n_routers && l > rt->routers[r].layer &&
                hd->n_live >= 0 && (hd->live || !hd->n_live);
      for (int k = 0; ok && k < hd->n_live; k++)
        ok = hd->live[k] >= 0 && hd->live[k] < rt->routers[r].n_experts &&
             (k == 0 || hd->live[k] > hd->live[k - 1]);
      if (!ok)
        return fail(err, errlen, "layer %d head %d: bad liveness (router %d)",
                    l, h, r);
    }
    for (int j = 0; ly->ffn_family && j < ly->n_ffn; j++) {
      int r = ly->ffn_family[j];
      if (r == -1) continue;
      if (r < 0 || r >= rt->n_routers || l != rt->routers[r].layer ||
          ly->ffn_route[2 * j] != -1)
        return fail(err, errlen, "layer %d unit %d: bad family %d", l, j, r);
    }
  }
  return true;
}

bool model_validate(const model *m, char *err, size_t errlen) {
  if (!m) return fail(err, errlen, "no model");
  if (m->d_model < 1 || m->d_model > MODEL_MAX_D)
    return fail(err, errlen, "d_model %d is not in [1, %d]", m->d_model,
                MODEL_MAX_D);
  if (m->n_layers < 0 || m->n_layers > MODEL_MAX_LAYERS ||
      (m->n_layers && !m->layers))
    return fail(err, errlen, "bad layer count %d", m->n_layers);
  if (!ranges_ok(m, err, errlen)) return false;
  size_t d = (size_t)m->d_model, nr = (size_t)m->n_ranges;
  if (!matrix_ok(m->p_in, d * 2 * nr, "tok_embed (p_in)", err, errlen) ||
      !matrix_ok(m->p_pos, d * POS_NFEAT, "pos_embed (p_pos)", err, errlen) ||
      !matrix_ok(m->p_out, 3 * nr * d, "unembed (p_out)", err, errlen))
    return false;
  for (int l = 0; l < m->n_layers; l++)
    if (!layer_ok(m, l, err, errlen)) return false;
  if (m->slot_names)
    for (int i = 0; i < m->d_model; i++)
      if (!m->slot_names[i])
        return fail(err, errlen, "slot %d has no name", i);
  return routing_ok(m, err, errlen);
}

/* ---- tokens ---------------------------------------------------------- */

const char *const model_pos_feature_names[POS_NFEAT] = {"p", "r", "r2", "rm1",
                                                       "rm2"};

/* The ring place of p - d: (p - d) mod POS_RING_N, or p - d itself before
 * the trace is d long (a query below every key, as the plain (p, p^2)
 * features gave). */
static double ring_back(int64_t p, int d) {
  if (p < d) return (double)(p - d);
  return (double)((p - d) % POS_RING_N);
}

void model_pos_features(int64_t p, double f[POS_NFEAT]) {
  double r = (double)(p % POS_RING_N);
  f[POS_P] = (double)p;
  f[POS_RING] = r;
  f[POS_RING2] = r * r;
  f[POS_RING_M1] = ring_back(p, 1);
  f[POS_RING_M2] = ring_back(p, 2);
}

int model_token(const model *m, int range, int64_t value) {
  if (!m || range < 0 || range >= m->n_ranges) return -1;
  const vocab_range *r = &m->ranges[range];
  if (value < r->value0 || value - r->value0 >= r->count) return -1;
  return r->first + (int)(value - r->value0);
}

int model_token_range(const model *m, int token) {
  if (!m || token < 0 || m->n_ranges < 1) return -1;
  int lo = 0, hi = m->n_ranges - 1;
  while (lo < hi) { /* the last range whose first id is <= token */
    int mid = lo + (hi - lo + 1) / 2;
    if (m->ranges[mid].first <= token) lo = mid;
    else hi = mid - 1;
  }
  const vocab_range *r = &m->ranges[lo];
  if (token < r->first || token - r->first >= r->count) return -1;
  return lo;
}

int64_t model_token_value(const model *m, int token) {
  int r = model_token_range(m, token);
  if (r < 0) return 0;
  return m->ranges[r].value0 + (token - m->ranges[r].first);
}

int model_find_range(const model *m, const char *role) {
  if (!m || !role) return -1;
  for (int r = 0; r < m->n_ranges; r++)
    if (!strncmp(m->ranges[r].role, role, sizeof m->ranges[r].role) &&
        strlen(role) < sizeof m->ranges[r].role)
      return r;
  return -1;
}
