/* test-exec.c - the executor, the model and its file format.
 *
 *  - the hand-built lookup model decodes the program's answers, with both
 *    caches;
 *  - a plain dense forward pass written here (no sparsity, a cache per
 *    head, a scan of every key and of every vocabulary token) agrees with
 *    the executor bit for bit on random models, residual and token;
 *  - the analytic output argmax equals the dense one on many random
 *    residuals, with ties (lowest id wins), wide ranges and rounding
 *    plateaus;
 *  - errors name the layer and head (tests/test-model.c: bad models and
 *    bad files are refused, and models survive their file);
 *  - the O(1) caches (offset, address) answer as the brute scan and the
 *    plain hull do, on models built to have their shape.
 */
#include "config.h"

#define MKMODEL_LIBRARY
#include "tests/mkmodel.c"
#include "tests/tap.h"

#include <math.h>
#include <unistd.h>

/* ---- the dense reference ---------------------------------------------------- */

/* y[i] = sum_j W[i, j] x[j], summed from 0 in column order, zeros and all. */
static void dense_mv(const double *w, int rows, int cols, const double *x,
                     double *y) {
  for (int i = 0; i < rows; i++) {
    double s = 0.0;
    for (int j = 0; j < cols; j++) s += w[(size_t)i * cols + j] * x[j];
    y[i] = s;
  }
}

/* Matrix mat of a layer's FFN as the dense matrix of engine.h: n_ffn x d
 * (W_gate, W_up) or d x n_ffn (W_down), row-major. */
static double *ffn_dense(const model_layer *ly, int mat, int d) {
  int n = ly->n_ffn;
  double *w = xcalloc((size_t)n * d + 1, sizeof *w), *row = xmalloc(((size_t)d + 1) * sizeof *row);
  for (int j = 0; j < n; j++) {
    model_ffn_unit(ly, mat, j, d, row);
    for (int s = 0; s < d; s++) {
      if (mat == FFN_DOWN) w[(size_t)s * n + j] = row[s];
      else w[(size_t)j * d + s] = row[s];
    }
  }
  free(row);
  return w;
}

typedef struct {
  double *k, *v;   /* 2 and dv per stored position */
  int n, cap;
} dense_cache;

typedef struct {
  const model *m;
  dense_cache *c;  /* one per head, layer-major */
  int64_t pos;
  double x[256];
} dense_run;

static double feature(const model *m, int t, int f) { /* F_out[t, f] */
  int r = model_token_range(m, t);
  double v = (double)model_token_value(m, t);
  if (f / 3 != r) return 0.0;
  return f % 3 == 0 ? 1.0 : f % 3 == 1 ? v : v * v;
}

static int dense_argmax(const model *m, const double *x, double *logit_out) {
  int nf = 3 * m->n_ranges;
  double z[64];
  dense_mv(m->p_out, nf, m->d_model, x, z);
  int best = 0;
  double bv = -INFINITY;
  for (int t = 0; t < m->vocab_size; t++) {
    double s = 0.0;
    for (int f = 0; f < nf; f++) s += feature(m, t, f) * z[f];
    if (s > bv) { /* strictly: the lowest id wins a tie */
      bv = s;
      best = t;
    }
  }
  if (logit_out) *logit_out = bv;
  return best;
}

static void dense_embed(dense_run *d, int token) {
  const model *m = d->m;
  int nf = 2 * m->n_ranges, r = model_token_range(m, token);
  double v = (double)model_token_value(m, token);
  double pf[POS_NFEAT];
  model_pos_features(d->pos, pf);
  for (int i = 0; i < m->d_model; i++) {
    double s = 0.0;
    for (int f = 0; f < nf; f++) {
      double F = f / 2 != r ? 0.0 : f % 2 ? v : 1.0;
      s += F * m->p_in[i * nf + f];
    }
    double ps = 0.0;
    for (int k = 0; k < POS_NFEAT; k++) ps += m->p_pos[i * POS_NFEAT + k] * pf[k];
    d->x[i] = s + ps;
  }
}

static void dense_head(dense_run *d, const model_head *h, dense_cache *c,
                       const double *xin, double *vout) {
  int dm = d->m->d_model;
  double q[2], k[2], v[8];
  dense_mv(h->wq, 2, dm, xin, q);
  dense_mv(h->wk, 2, dm, xin, k);
  dense_mv(h->wv, h->dv, dm, xin, v);
  if (h->mask_slot < 0 || xin[h->mask_slot] == 0.0) {
    if (c->n == c->cap) {
      c->cap = c->cap ? 2 * c->cap : 64;
      c->k = xrealloc(c->k, (size_t)c->cap * 2 * sizeof *c->k);
      c->v = xrealloc(c->v, (size_t)c->cap * 8 * sizeof *c->v);
    }
    memcpy(c->k + 2 * c->n, k, sizeof k);
    memcpy(c->v + 8 * c->n, v, sizeof v);
    c->n++;
  }
  double best = -INFINITY;
  int win = -1, cnt = 0;
  for (int j = 0; j < c->n; j++) {
    double s = q[0] * c->k[2 * j] + q[1] * c->k[2 * j + 1];
    if (s > best) {
      best = s;
      cnt = 0;
    }
    if (s == best) {
      win = j;
      cnt++;
    }
  }
  for (int e = 0; e < h->dv; e++) {
    if (win < 0) {
      vout[e] = 0.0;
    } else if (h->tie == TIE_LATEST) {
      vout[e] = c->v[8 * win + e];
    } else {
      double s = 0.0;
      for (int j = 0; j < c->n; j++)
        if (q[0] * c->k[2 * j] + q[1] * c->k[2 * j + 1] == best)
          s += c->v[8 * j + e];
      vout[e] = s / cnt;
    }
  }
}

static int dense_push(dense_run *d, int token) {
  const model *m = d->m;
  int dm = m->d_model, ci = 0;
  dense_embed(d, token);
  for (int l = 0; l < m->n_layers; l++) {
    const model_layer *ly = &m->layers[l];
    double xin[256], vcat[256], wocat[256 * 64], attn[256];
    memcpy(xin, d->x, (size_t)dm * sizeof *xin);
    int nv = 0;
    for (int h = 0; h < ly->n_heads; h++) {
      dense_head(d, &ly->heads[h], &d->c[ci++], xin, vcat + nv);
      nv += ly->heads[h].dv;
    }
    /* the concatenated W_o, so that each row sums over (head, k) in order */
    for (int i = 0; i < dm; i++) {
      int col = 0;
      for (int h = 0; h < ly->n_heads; h++)
        for (int e = 0; e < ly->heads[h].dv; e++)
          wocat[i * nv + col++] = ly->heads[h].wo[i * ly->heads[h].dv + e];
    }
    dense_mv(wocat, dm, nv, vcat, attn);
    for (int i = 0; ly->n_heads && i < dm; i++) d->x[i] += attn[i];
    double g[64], u[64], hh[64];
    double *wg = ffn_dense(ly, FFN_GATE, dm), *wu = ffn_dense(ly, FFN_UP, dm),
           *wd = ffn_dense(ly, FFN_DOWN, dm);
    dense_mv(wg, ly->n_ffn, dm, d->x, g);
    dense_mv(wu, ly->n_ffn, dm, d->x, u);
    for (int j = 0; j < ly->n_ffn; j++) hh[j] = (g[j] > 0 ? g[j] : 0.0) * u[j];
    dense_mv(wd, dm, ly->n_ffn, hh, attn);
    free(wg);
    free(wu);
    free(wd);
    for (int i = 0; ly->n_ffn && i < dm; i++) d->x[i] += attn[i];
  }
  d->pos++;
  return dense_argmax(m, d->x, NULL);
}

static dense_run *dense_new(const model *m) {
  dense_run *d = xcalloc(1, sizeof *d);
  d->m = m;
  int nh = 0;
  for (int l = 0; l < m->n_layers; l++) nh += m->layers[l].n_heads;
  d->c = xcalloc((size_t)nh + 1, sizeof *d->c);
  return d;
}

static void dense_free(dense_run *d) {
  int nh = 0;
  for (int l = 0; l < d->m->n_layers; l++) nh += d->m->layers[l].n_heads;
  for (int i = 0; i < nh; i++) {
    free(d->c[i].k);
    free(d->c[i].v);
  }
  free(d->c);
  free(d);
}

/* ---- the lookup program ------------------------------------------------------- */

static int val_token(const model *m, int v) {
  return model_token(m, model_find_range(m, "VAL"), v);
}

static void test_lookup(void) {
  model *m = lookup_model();
  char err[256] = "";
  tap_ok(model_validate(m, err, sizeof err), "the lookup model is valid %s",
         err);
  const char *asks = "BAC";
  int want[3] = {6, 3, 10};
  int prompt[16];
  for (int k = 0; k < 3; k++) {
    int n = lookup_prompt(m, "A:2 B:5 C:9", asks[k], prompt);
    int_vec out = {0};
    char msg[256] = "";
    bool ok = decode_both(m, prompt, n, 8, &out, msg, sizeof msg);
    tap_ok(ok && out.n == 1 && out.v[0] == val_token(m, want[k]),
           "lookup[%c] + 1 decodes VAL/%d with both caches, then stops %s",
           asks[k], want[k], msg);
    VEC_FREE(out);
  }
  int n = lookup_prompt(m, "C:9 B:5 A:2 B:7", 'B', prompt);
  int_vec out = {0};
  char msg[256] = "";
  bool ok = decode_both(m, prompt, n, 8, &out, msg, sizeof msg);
  tap_ok(ok && out.n == 1 && out.v[0] == val_token(m, 8),
         "a later entry for B wins (LATEST): decodes VAL/8 %s", msg);
  VEC_FREE(out);
  model_free(m);
}

typedef struct {
  int64_t read_pos;
  double read_val;
  int calls, layers;
} watch;

static void on_head(void *ctx, int64_t pos, int layer, int head,
                    const double q[2], const kv_result *r, const double *v) {
  watch *w = ctx;
  w->calls++;
  if (q[0] == 2 && q[1] == 1) { /* ASK/B */
    w->read_pos = r->pos;
    w->read_val = v[0];
  }
}

static void on_layer(void *ctx, int64_t pos, int layer, const double *x) {
  ((watch *)ctx)->layers++;
}

static void test_observer(void) {
  model *m = lookup_model();
  exec *e = exec_new(m, KV_HULL);
  watch w = {-1, 0, 0, 0};
  exec_observer o = {&w, on_head, on_layer, NULL, NULL};
  exec_set_observer(e, &o);
  int prompt[16], next = -1;
  int n = lookup_prompt(m, "A:2 B:5 C:9", 'B', prompt);
  for (int i = 0; i < n; i++) exec_push(e, prompt[i], &next);
  tap_ok(w.calls == 4 && w.layers == 4 && w.read_pos == 1 &&
             w.read_val == 5 && exec_position(e) == 4 &&
             exec_residual(e)[LK_Z] == 6,
         "the observer sees ASK/B read position 1 (value 5); z = 6");
  exec_free(e);
  model_free(m);
}

/* ---- the executor against the dense reference ---------------------------------- */

static bool same_vec(const double *a, const double *b, int n) {
  for (int i = 0; i < n; i++)
    if (!(a[i] == b[i])) return false;
  return true;
}

static void test_dense_agreement(void) {
  int tokens = 0, models = 0, bad = 0, trusted = 0, layers = 0;
  for (uint64_t seed = 1; seed <= 6; seed++) {
    model *m = random_model(seed);
    int prompt[20];
    random_prompt(m, prompt, 20);
    for (int kind = 0; kind < 2; kind++) {
      exec *e = exec_new(m, kind ? KV_HULL : KV_BRUTE);
      trusted += exec_trusted_layers(e);
      layers += m->n_layers;
      dense_run *d = dense_new(m);
      int next = -1, want = -1;
      for (int i = 0; i < 400 && !bad; i++) {
        int tok = i < 20 ? prompt[i] : next;
        if (!exec_push(e, tok, &next)) {
          tap_diag("seed %d: %s", (int)seed, exec_error(e));
          bad++;
          break;
        }
        want = dense_push(d, tok);
        if (next != want || !same_vec(exec_residual(e), d->x, m->d_model)) {
          tap_diag("seed %d kind %d position %d: token %d vs dense %d",
                   (int)seed, kind, i, next, want);
          bad++;
        }
        tokens++;
      }
      dense_free(d);
      exec_free(e);
    }
    models++;
    model_free(m);
  }
  tap_ok(bad == 0 && trusted > 0, "exec equals the dense forward pass bit "
         "for bit: %d random models, %d positions, both caches (%d of %d "
         "layers without isfinite checks, by their bounds)", models, tokens,
         trusted, layers);
}

/* ---- bounds and the isfinite checks -------------------------------------------
 *
 * The lookup model's bounds are small: its layer runs without isfinite
 * checks.  With w_up and w_down near DBL_MAX its unit overflows: the
 * bounds say so, the checks stay and name the unit.  Forced to trust the
 * bounds anyway, the one check left (the final residual) still catches
 * the overflow. */
static void test_bounds(void) {
  model *m = lookup_model();
  exec *e = exec_new(m, KV_HULL);
  int prompt[16];
  int np = lookup_prompt(m, "A:2 B:5 C:9", 'C', prompt);
  int_vec out = {0};
  bool ok = exec_decode(e, prompt, np, 4, &out, NULL);
  tap_ok(exec_trusted_layers(e) == 1 && ok && out.n == 1 &&
             out.v[0] == val_token(m, 10),
         "the lookup model's layer runs without isfinite checks (bounds "
         "from its weights) and answers 10");
  exec_free(e);
  VEC_FREE(out);
  model_ffn_set(&m->layers[0], FFN_UP, 0, LK_Y, 1e308);
  model_ffn_set(&m->layers[0], FFN_DOWN, 0, LK_Z, 1e308);
  e = exec_new(m, KV_HULL);
  int next;
  ok = true;
  for (int i = 0; i < np && ok; i++) ok = exec_push(e, prompt[i], &next);
  tap_ok(exec_trusted_layers(e) == 0 && !ok &&
             strstr(exec_error(e), "FFN hidden slot 0 is not finite"),
         "weights whose bounds overflow keep the checks: %s", exec_error(e));
  exec_free(e);
  e = exec_new(m, KV_HULL);
  exec_trust_bounds(e, true);
  ok = true;
  for (int i = 0; i < np && ok; i++) ok = exec_push(e, prompt[i], &next);
  tap_ok(!ok && strstr(exec_error(e), "does not hold"),
         "with the bounds trusted regardless, the final check catches the "
         "overflow: %s", exec_error(e));
  exec_free(e);
  model_free(m);
}

/* ---- the analytic argmax ------------------------------------------------------- */

static uint64_t ta_rng = 77;

static uint64_t ta_rand(void) {
  uint64_t z = (ta_rng += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static double ta_real(void) { return (double)(ta_rand() >> 11) * 0x1p-53; }

/* A random double in one of the shapes that make argmax hard. */
static double ta_weight(int style) {
  switch (style) {
  case 0: return (double)((int)(ta_rand() % 7) - 3);           /* ties */
  case 1: return (double)((int)(ta_rand() % 21) - 10) / 2.0;   /* halves */
  case 2: return (ta_real() - 0.5) * pow(10.0, (int)(ta_rand() % 20) - 5);
  default: return ta_rand() % 3 ? 0.0 : (ta_real() - 0.5) * 1e6;
  }
}

static model *argmax_model(int *nvocab) {
  int R = 1 + (int)(ta_rand() % 5);
  vocab_range r[8];
  int first = 0;
  static const int counts[] = {1, 2, 3, 9, 64, 700, 5000, 20000};
  for (int k = 0; k < R; k++) {
    int c = counts[ta_rand() % 8];
    if (first + c > 40000) c = 9;
    int64_t v0s[5] = {0, -(int64_t)c / 2, (int64_t)(ta_rand() % 2000000) - 1000000,
                      ((int64_t)1 << 40) - c, -((int64_t)1 << 52)};
    r[k] = (vocab_range){"", first, c, v0s[ta_rand() % 5], false};
    snprintf(r[k].role, sizeof r[k].role, "R%d", k);
    first += c;
  }
  int d = 3 * R + 2;
  model *m = model_new(d, 0, r, R);
  int style = (int)(ta_rand() % 4), shape = (int)(ta_rand() % 3);
  for (int i = 0; i < d * 2 * R; i++) m->p_in[i] = ta_weight(style);
  for (int i = 0; i < d * POS_NFEAT; i++)
    m->p_pos[i] = ta_rand() % 2 ? 0.0 : ta_weight(style);
  if (shape == 0) { /* z = x: the residual is the logit quadratic */
    for (int f = 0; f < 3 * R; f++) m->p_out[f * d + f] = 1;
  } else if (shape == 1) { /* parabolic heads: peaks at x[b], maybe flat */
    for (int k = 0; k < R; k++) {
      m->p_out[(3 * k) * d + 3 * k] = 1;
      /* a huge offset: the logits round to plateaus around the vertex */
      if (ta_rand() % 2)
        m->p_in[(3 * k) * 2 * R + 2 * k] = (ta_real() - 0.5) *
                                            pow(10.0, 16 + (int)(ta_rand() % 6));
      m->p_out[(3 * k + 1) * d + 3 * k + 1] = ta_rand() % 4 ? 2 : 0;
      m->p_out[(3 * k + 2) * d + d - 1] = -(double)(ta_rand() % 3);
      m->p_in[(d - 1) * 2 * R + 2 * k] = 1; /* slot d-1 is 1 */
    }
  } else {
    for (int i = 0; i < 3 * R * d; i++)
      m->p_out[i] = ta_rand() % 3 ? 0.0 : ta_weight((int)(ta_rand() % 4));
  }
  *nvocab = first;
  return m;
}

/* A range of 1000 values around a vertex, under a huge offset: the
 * computed logits form plateaus with rounding jitter, which is where a
 * careless bound would prune the true (lowest-id) maximum. */
static model *plateau_model(void) {
  vocab_range r[2] = {{"P", 0, 1000, -500, false}, {"Q", 1000, 7, 3, false}};
  model *m = model_new(6, 0, r, 2);
  for (int f = 0; f < 6; f++) m->p_out[f * 6 + f] = 1;
  for (int k = 0; k < 2; k++) {
    double a = (ta_real() - 0.5) * pow(10.0, 15 + (int)(ta_rand() % 8));
    double c = -(0.01 + 3 * ta_real()), vs = (ta_real() - 0.5) * 800;
    m->p_in[(3 * k) * 4 + 2 * k] = a;
    m->p_in[(3 * k + 1) * 4 + 2 * k] = -2 * c * vs;
    m->p_in[(3 * k + 2) * 4 + 2 * k] = c;
  }
  return m;
}

static void test_argmax(void) {
  int cases = 0, ties = 0, bad = 0, errors = 0;
  for (int mi = 0; mi < 2400; mi++) {
    int V = 1007;
    model *m = mi % 6 ? plateau_model() : argmax_model(&V);
    exec *e = exec_new(m, KV_BRUTE);
    int pushes = V > 10000 ? 3 : mi % 6 ? 1 : 12;
    for (int i = 0; i < pushes; i++) {
      int tok = (int)(ta_rand() % (uint64_t)V), next = -1;
      if (!exec_push(e, tok, &next)) { /* only overflowing logits may fail */
        errors++;
        if (!strstr(exec_error(e), "not finite")) bad++;
        break;
      }
      double bv;
      int want = dense_argmax(m, exec_residual(e), &bv);
      /* count cases whose best logit is shared by another token */
      int shared = 0;
      for (int t = want + 1; t < V && !shared; t++) {
        double s = 0.0, z[64];
        dense_mv(m->p_out, 3 * m->n_ranges, m->d_model, exec_residual(e), z);
        for (int f = 0; f < 3 * m->n_ranges; f++) s += feature(m, t, f) * z[f];
        shared = s == bv;
        if (t > want + 64) break;
      }
      ties += shared;
      if (next != want) {
        if (bad++ < 5)
          tap_diag("model %d push %d: analytic %d, dense %d", mi, i, next,
                   want);
      }
      cases++;
    }
    exec_free(e);
    model_free(m);
  }
  tap_ok(bad == 0 && ties > 50, "analytic argmax equals the dense scan on %d "
         "residuals (%d with tied best logits, %d overflowing), %d differ",
         cases, ties, errors, bad);
}

/* Logits too large for the bound: the search falls back to a scan, and a
 * non-finite logit is an error. */
static void test_argmax_extremes(void) {
  vocab_range r[2] = {{"BIG", 0, 50, (int64_t)1 << 52, false},
                      {"SMALL", 50, 5, 0, false}};
  model *m = model_new(6, 0, r, 2);
  for (int f = 0; f < 6; f++) m->p_out[f * 6 + f] = 1;
  m->p_in[0 * 4 + 0] = 1e299; /* a = 1e299 for BIG: tame no more */
  m->p_in[1 * 4 + 0] = -1e150;
  exec *e = exec_new(m, KV_HULL);
  int next = -1;
  bool ok = exec_push(e, 0, &next);
  tap_ok(ok && next == dense_argmax(m, exec_residual(e), NULL),
         "huge but finite logits: the scan finds the dense argmax (%d)", next);
  exec_free(e);
  m->p_in[2 * 4 + 0] = 1e300; /* c * v^2 overflows */
  e = exec_new(m, KV_HULL);
  ok = exec_push(e, 0, &next);
  tap_ok(!ok && strstr(exec_error(e), "not finite"),
         "an infinite logit is an error: %s", exec_error(e));
  exec_free(e);
  model_free(m);
}

/* ---- routing ------------------------------------------------------------
 *
 * A model whose router is the token's value v (0..3): layer 0 builds the
 * thermometer T_k = [v >= k] (k = 0..4), layer 1 has one unit per expert s,
 * gate T_s - T_{s+1} (1 exactly when v == s, else 0), writing 10 (s + 1)
 * into OUT, plus a shared unit adding 1; the output emits VAL OUT.  With
 * `lie`, expert 0's unit is replaced by one whose gate (1) is positive
 * whatever v is, but still recorded as expert 0's: the routed run must
 * then differ from the dense one (the exec trusts the recorded proof, and
 * this shows the comparison can fail). */
enum { RT_ONE, RT_V, RT_T0, RT_OUT = RT_T0 + 5, RT_D };

static model *routed_model(bool holds, bool lie) {
  vocab_range r[1] = {{"VAL", 0, 64, 0, false}};
  model *m = model_new(RT_D, 2, r, 1);
  m->p_in[RT_ONE * 2 + 0] = 1;
  m->p_in[RT_V * 2 + 1] = 1;
  model_layer_alloc(m, 0, 0, NULL, 10);
  model_layer_alloc(m, 1, 0, NULL, 5);
  model_layer *l0 = &m->layers[0], *l1 = &m->layers[1];
  for (int k = 0; k < 5; k++) {
    /* relu(v - k + 1) - relu(v - k) into T_k */
    model_ffn_set(l0, FFN_GATE, 2 * k, RT_V, 1);
    model_ffn_set(l0, FFN_GATE, 2 * k, RT_ONE, 1 - k);
    model_ffn_set(l0, FFN_UP, 2 * k, RT_ONE, 1);
    model_ffn_set(l0, FFN_DOWN, 2 * k, RT_T0 + k, 1);
    model_ffn_set(l0, FFN_GATE, 2 * k + 1, RT_V, 1);
    model_ffn_set(l0, FFN_GATE, 2 * k + 1, RT_ONE, -k);
    model_ffn_set(l0, FFN_UP, 2 * k + 1, RT_ONE, 1);
    model_ffn_set(l0, FFN_DOWN, 2 * k + 1, RT_T0 + k, -1);
  }
  for (int s = 0; s < 4; s++) {
    model_ffn_set(l1, FFN_GATE, s, RT_T0 + s, 1);
    model_ffn_set(l1, FFN_GATE, s, RT_T0 + s + 1, -1);
    model_ffn_set(l1, FFN_UP, s, RT_ONE, 10 * (s + 1));
    model_ffn_set(l1, FFN_DOWN, s, RT_OUT, 1);
  }
  if (lie) {
    model_ffn_set(l1, FFN_GATE, 0, RT_T0, 0);
    model_ffn_set(l1, FFN_GATE, 0, RT_T0 + 1, 0);
    model_ffn_set(l1, FFN_GATE, 0, RT_ONE, 1);
  }
  model_ffn_set(l1, FFN_GATE, 4, RT_ONE, 1);   /* shared */
  model_ffn_set(l1, FFN_UP, 4, RT_ONE, 1);
  model_ffn_set(l1, FFN_DOWN, 4, RT_OUT, 1);
  /* VAL v: logit 2 v OUT - v^2 */
  m->p_out[1 * RT_D + RT_OUT] = 2;
  m->p_out[2 * RT_D + RT_ONE] = -1;
  model_routing *rt = model_routing_new(m, 1);
  rt->holds = holds;
  snprintf(rt->routers[0].name, sizeof rt->routers[0].name, "v");
  rt->routers[0].layer = 1;
  rt->routers[0].n_experts = 4;
  rt->routers[0].w[RT_V] = 1;
  for (int s = 0; s < 4; s++) {
    l1->ffn_route[2 * s] = 0;
    l1->ffn_route[2 * s + 1] = s;
  }
  return m;
}

/* The tokens of prompt 0,1,2,3,5 (5: no expert) pushed one by one. */
static void routed_tokens(const model *m, bool dense, int *out, bool *routed,
                          int64_t *units) {
  exec *e = exec_new(m, KV_HULL);
  exec_set_dense(e, dense);
  *routed = exec_routed(e, NULL);
  const int prompt[5] = {0, 1, 2, 3, 5};
  for (int i = 0; i < 5; i++)
    if (!exec_push(e, prompt[i], &out[i])) out[i] = -1;
  *units = exec_units_evaluated(e);
  exec_free(e);
}

static void test_routing(void) {
  int a[5], b[5];
  bool ra, rb;
  int64_t ua, ub;
  model *m = routed_model(true, false);
  char err[256];
  tap_ok(model_validate(m, err, sizeof err), "a routed model validates");
  routed_tokens(m, false, a, &ra, &ua);
  routed_tokens(m, true, b, &rb, &ub);
  tap_ok(ra && !rb, "a model whose proof holds is routed, and dense on request");
  tap_ok(!memcmp(a, b, sizeof a) && a[0] == 11 && a[3] == 41 && a[4] == 1,
         "routed and dense give the same tokens (%d %d %d %d %d)", a[0], a[1],
         a[2], a[3], a[4]);
  tap_ok(ua == 5 * 10 + 4 * 1 + 5 * 1 && ub == 5 * 15,
         "routed: the shared units and one expert's (%lld units), dense: all "
         "(%lld)", (long long)ua, (long long)ub);
  m->layers[1].ffn_route[2 * 3 + 1] = 4;
  tap_ok(!model_validate(m, err, sizeof err), "an expert beyond the router's "
         "count is invalid: %s", err);
  model_free(m);
  m = routed_model(false, false);
  routed_tokens(m, false, a, &ra, &ua);
  tap_ok(!ra, "a model whose proof does not hold runs dense");
  model_free(m);
  /* the routing survives the file */
  err[0] = 0;
  char path[64];
  snprintf(path, sizeof path, "test-exec-routed-%d.safetensors", (int)getpid());
  m = routed_model(true, false);
  model *back = model_save(m, path, err, sizeof err) ? model_load(path, err, sizeof err) : NULL;
  remove(path);
  bool same = back && back->routing && back->routing->holds &&
              back->routing->n_routers == 1 && back->routing->routers[0].layer == 1 &&
              back->routing->routers[0].n_experts == 4 &&
              back->routing->routers[0].w[RT_V] == 1 &&
              !strcmp(back->routing->routers[0].name, "v");
  for (int j = 0; same && j < 5; j++)
    same = back->layers[1].ffn_route[2 * j] == m->layers[1].ffn_route[2 * j] &&
           back->layers[1].ffn_route[2 * j + 1] == m->layers[1].ffn_route[2 * j + 1];
  if (back) {
    routed_tokens(back, false, b, &rb, &ub);
    same = same && rb && ub == 59;
  }
  tap_ok(same, "save then load keeps the routing, and the loaded model routes %s", err);
  model_free(back);
  model_free(m);
  m = routed_model(true, true);
  routed_tokens(m, false, a, &ra, &ua);
  routed_tokens(m, true, b, &rb, &ub);
  tap_ok(memcmp(a, b, sizeof a) != 0, "a false proof shows: routed %d, dense %d "
         "at position 1", a[1], b[1]);
  model_free(m);
}

/* ---- families ------------------------------------------------------------
 *
 * The router read at layer 0 is the token's value v; layer 0's units are
 * a family of it (model_layer.ffn_family): the thermometer T_k = [v >= k]
 * as relu(v - k + 1) - relu(v - k), and M = 100 [v == 2] as three units
 * relu(v - 1) - 2 relu(v - 2) + relu(v - 3), then one unit of no family
 * adding 1 to M.  Layer 1 has expert s's unit adding 10 (s + 1) to OUT
 * when T_s - T_{s+1} = 1; the output emits VAL OUT + M.  With `half`, the
 * embedding holds v / 2 and the router reads it twice: odd values make
 * the router's terms fractional, so the exec runs the family unit by unit
 * there. */
enum { FM_ONE, FM_V, FM_T0, FM_M = FM_T0 + 5, FM_OUT, FM_D };

static model *family_model(bool half) {
  vocab_range r[1] = {{"VAL", 0, 256, 0, false}};
  model *m = model_new(FM_D, 2, r, 1);
  double rw = half ? 2 : 1;
  m->p_in[FM_ONE * 2 + 0] = 1;
  m->p_in[FM_V * 2 + 1] = half ? 0.5 : 1;
  model_layer_alloc(m, 0, 0, NULL, 14);
  model_layer_alloc(m, 1, 0, NULL, 4);
  model_layer *l0 = &m->layers[0], *l1 = &m->layers[1];
  for (int j = 0; j < 13; j++) {
    int k = j / 2;
    double c = j < 10 ? (j % 2 ? -k : 1 - k) : -(j - 9);
    model_ffn_set(l0, FFN_GATE, j, FM_V, rw);
    model_ffn_set(l0, FFN_GATE, j, FM_ONE, c);
    model_ffn_set(l0, FFN_UP, j, FM_ONE, 1);
    if (j < 10) model_ffn_set(l0, FFN_DOWN, j, FM_T0 + k, j % 2 ? -1 : 1);
    else model_ffn_set(l0, FFN_DOWN, j, FM_M, j == 11 ? -200 : 100);
  }
  model_ffn_set(l0, FFN_GATE, 13, FM_ONE, 1);
  model_ffn_set(l0, FFN_UP, 13, FM_ONE, 1);
  model_ffn_set(l0, FFN_DOWN, 13, FM_M, 1);
  for (int s = 0; s < 4; s++) {
    model_ffn_set(l1, FFN_GATE, s, FM_T0 + s, 1);
    model_ffn_set(l1, FFN_GATE, s, FM_T0 + s + 1, -1);
    model_ffn_set(l1, FFN_UP, s, FM_ONE, 10 * (s + 1));
    model_ffn_set(l1, FFN_DOWN, s, FM_OUT, 1);
  }
  m->p_out[1 * FM_D + FM_OUT] = 2;
  m->p_out[1 * FM_D + FM_M] = 2;
  m->p_out[2 * FM_D + FM_ONE] = -1;
  model_routing *rt = model_routing_new(m, 1);
  rt->holds = true;
  snprintf(rt->routers[0].name, sizeof rt->routers[0].name, "v");
  rt->routers[0].layer = 0;
  rt->routers[0].n_experts = 4;
  rt->routers[0].w[FM_V] = rw;
  for (int j = 0; j < 13; j++) l0->ffn_family[j] = 0;
  for (int s = 0; s < 4; s++) {
    l1->ffn_route[2 * s] = 0;
    l1->ffn_route[2 * s + 1] = s;
  }
  return m;
}

static void test_families(void) {
  const int want[5] = {11, 21, 131, 41, 1};
  char err[256] = "";
  for (int half = 0; half < 2; half++) {
    model *m = family_model(half);
    int a[5], b[5];
    bool ra, rb;
    int64_t ua, ub;
    bool valid = model_validate(m, err, sizeof err);
    routed_tokens(m, false, a, &ra, &ua);
    routed_tokens(m, true, b, &rb, &ub);
    tap_ok(valid && ra && !memcmp(a, b, sizeof a) && !memcmp(a, want, sizeof a),
           "a family in closed form%s: the dense tokens (%d %d %d %d %d) %s",
           half ? " or unit by unit (fractional router terms)" : "", a[0], a[1],
           a[2], a[3], a[4], err);
    /* dense: 5 x 18 units; routed: the shared unit and one expert's, with
     * the family's rows (closed form) or its units (half: v odd) */
    tap_ok(ub == 90 && ua < ub, "routed evaluates less (%lld) than dense (%lld)",
           (long long)ua, (long long)ub);
    model_free(m);
  }
  model *m = family_model(false);
  char path[64];
  snprintf(path, sizeof path, "test-exec-family-%d.safetensors", (int)getpid());
  model *back = model_save(m, path, err, sizeof err) ? model_load(path, err, sizeof err) : NULL;
  remove(path);
  bool same = back != NULL;
  for (int j = 0; same && j < 14; j++)
    same = back->layers[0].ffn_family[j] == m->layers[0].ffn_family[j];
  tap_ok(same, "save then load keeps the families %s", err);
  m->layers[1].ffn_family[0] = 0;
  tap_ok(!model_validate(m, err, sizeof err), "a family unit away from its "
         "router's layer is invalid: %s", err);
  /* a unit recorded in the family whose row is not the router's runs as
   * an ordinary unit: the tokens stay right */
  m->layers[1].ffn_family[0] = -1;
  model_ffn_set(&m->layers[0], FFN_GATE, 0, FM_OUT, 1);   /* OUT is 0 there */
  int a[5], b[5];
  bool ra, rb;
  int64_t ua, ub;
  routed_tokens(m, false, a, &ra, &ua);
  routed_tokens(m, true, b, &rb, &ub);
  tap_ok(ra && !memcmp(a, b, sizeof a) && !memcmp(a, want, sizeof a) &&
         ua == 5 * 14 + 4, "a unit that is not what its family says "
         "leaves its layer's family to run unit by unit (%lld units): %d %d",
         (long long)ua, a[2], b[2]);
  model_free(back);
  model_free(m);
}

/* ---- head liveness -----------------------------------------------------------
 *
 * The router (layer 0) is the token's value v, with its thermometer; layer
 * 1's head reads v itself (key (0, 0): the latest position, this one) with
 * query (w v, 1), and only expert 2's unit reads what it read (into OUT,
 * plus 1 from a shared unit): the head is recorded as live under expert 2
 * alone.  With w = 1/2 the query is fractional at odd v, an error of the
 * dense pass; the routed pass skips the query there. */
enum { HL_ONE, HL_V, HL_T0, HL_H = HL_T0 + 5, HL_OUT, HL_D };

static model *headlive_model(double w) {
  vocab_range r[1] = {{"VAL", 0, 64, 0, false}};
  model *m = model_new(HL_D, 2, r, 1);
  m->p_in[HL_ONE * 2 + 0] = 1;
  m->p_in[HL_V * 2 + 1] = 1;
  model_layer_alloc(m, 0, 0, NULL, 10);
  int dv[1] = {1};
  model_layer_alloc(m, 1, 1, dv, 2);
  model_layer *l0 = &m->layers[0], *l1 = &m->layers[1];
  for (int j = 0; j < 10; j++) {
    int k = j / 2;
    model_ffn_set(l0, FFN_GATE, j, HL_V, 1);
    model_ffn_set(l0, FFN_GATE, j, HL_ONE, j % 2 ? -k : 1 - k);
    model_ffn_set(l0, FFN_UP, j, HL_ONE, 1);
    model_ffn_set(l0, FFN_DOWN, j, HL_T0 + k, j % 2 ? -1 : 1);
  }
  model_head *hd = &l1->heads[0];
  snprintf(hd->name, sizeof hd->name, "v");
  hd->wq[HL_V] = w;
  hd->wq[HL_D + HL_ONE] = 1;
  hd->wv[HL_V] = 1;
  hd->wo[HL_H] = 1;
  model_ffn_set(l1, FFN_GATE, 0, HL_T0 + 2, 1);
  model_ffn_set(l1, FFN_GATE, 0, HL_T0 + 3, -1);
  model_ffn_set(l1, FFN_UP, 0, HL_H, 1);
  model_ffn_set(l1, FFN_DOWN, 0, HL_OUT, 1);
  model_ffn_set(l1, FFN_GATE, 1, HL_ONE, 1);
  model_ffn_set(l1, FFN_UP, 1, HL_ONE, 1);
  model_ffn_set(l1, FFN_DOWN, 1, HL_OUT, 1);
  m->p_out[1 * HL_D + HL_OUT] = 2;
  m->p_out[2 * HL_D + HL_ONE] = -1;
  model_routing *rt = model_routing_new(m, 1);
  rt->holds = true;
  snprintf(rt->routers[0].name, sizeof rt->routers[0].name, "v");
  rt->routers[0].layer = 0;
  rt->routers[0].n_experts = 4;
  rt->routers[0].w[HL_V] = 1;
  l1->ffn_route[0] = 0;
  l1->ffn_route[1] = 2;
  hd->live_router = 0;
  hd->n_live = 1;
  hd->live = xmalloc(sizeof *hd->live);
  hd->live[0] = 2;
  return m;
}

static void test_head_liveness(void) {
  const int want[5] = {1, 1, 3, 1, 1};
  char err[256] = "";
  model *m = headlive_model(1);
  int a[5], b[5];
  bool ra, rb;
  int64_t ua, ub;
  bool valid = model_validate(m, err, sizeof err);
  routed_tokens(m, false, a, &ra, &ua);
  routed_tokens(m, true, b, &rb, &ub);
  tap_ok(valid && ra && !memcmp(a, b, sizeof a) && !memcmp(a, want, sizeof a),
         "a head live under one expert: routed and dense agree (%d %d %d %d %d) %s",
         a[0], a[1], a[2], a[3], a[4], err);
  char path[64];
  snprintf(path, sizeof path, "test-exec-headlive-%d.safetensors", (int)getpid());
  model *back = model_save(m, path, err, sizeof err) ? model_load(path, err, sizeof err) : NULL;
  remove(path);
  tap_ok(back && back->layers[1].heads[0].live_router == 0 &&
         back->layers[1].heads[0].n_live == 1 && back->layers[1].heads[0].live[0] == 2,
         "save then load keeps a head's liveness %s", err);
  model_free(back);
  m->routing->routers[0].layer = 1;
  tap_ok(!model_validate(m, err, sizeof err), "a head live by a router read "
         "after it is invalid: %s", err);
  model_free(m);
  m = headlive_model(0.5);
  routed_tokens(m, false, a, &ra, &ua);
  routed_tokens(m, true, b, &rb, &ub);
  tap_ok(ra && !memcmp(a, want, sizeof a) && b[0] == want[0] && b[1] == -1,
         "where the head is dead its query is not computed: routed %d %d %d, "
         "dense fails on the fractional query (%d)", a[0], a[1], a[2], b[1]);
  model_free(m);
}

/* ---- unit liveness sets ------------------------------------------------------
 *
 * headlive_model's thermometers and router, and a unit X = v in layer 0
 * read only by layer 1's units of experts 1 and 3 (OUT += X there; expert
 * 2 adds the head's v, a shared unit 1): X is live under the pairs
 * (0, 1), (0, 3) alone, a set that is not an interval.  Tokens: OUT. */
enum { LS_X = HL_D, LS_D };

static model *liveset_model(void) {
  vocab_range r[1] = {{"VAL", 0, 64, 0, false}};
  model *m = model_new(LS_D, 2, r, 1);
  m->p_in[HL_ONE * 2 + 0] = 1;
  m->p_in[HL_V * 2 + 1] = 1;
  model_layer_alloc(m, 0, 0, NULL, 11);
  int dv[1] = {1};
  model_layer_alloc(m, 1, 1, dv, 4);
  model_layer *l0 = &m->layers[0], *l1 = &m->layers[1];
  for (int j = 0; j < 10; j++) {
    int k = j / 2;
    model_ffn_set(l0, FFN_GATE, j, HL_V, 1);
    model_ffn_set(l0, FFN_GATE, j, HL_ONE, j % 2 ? -k : 1 - k);
    model_ffn_set(l0, FFN_UP, j, HL_ONE, 1);
    model_ffn_set(l0, FFN_DOWN, j, HL_T0 + k, j % 2 ? -1 : 1);
  }
  model_ffn_set(l0, FFN_GATE, 10, HL_ONE, 1);
  model_ffn_set(l0, FFN_UP, 10, HL_V, 1);
  model_ffn_set(l0, FFN_DOWN, 10, LS_X, 1);
  model_head *hd = &l1->heads[0];
  snprintf(hd->name, sizeof hd->name, "v");
  hd->wq[HL_V] = 1;
  hd->wq[LS_D + HL_ONE] = 1;
  hd->wv[HL_V] = 1;
  hd->wo[HL_H] = 1;
  /* unit u: [v == s] * input, owned by expert s */
  const int owner[4] = {2, -1, 1, 3}, input[4] = {HL_H, HL_ONE, LS_X, LS_X};
  for (int u = 0; u < 4; u++) {
    if (owner[u] < 0) {
      model_ffn_set(l1, FFN_GATE, u, HL_ONE, 1);
    } else {
      model_ffn_set(l1, FFN_GATE, u, HL_T0 + owner[u], 1);
      model_ffn_set(l1, FFN_GATE, u, HL_T0 + owner[u] + 1, -1);
    }
    model_ffn_set(l1, FFN_UP, u, input[u], 1);
    model_ffn_set(l1, FFN_DOWN, u, HL_OUT, 1);
  }
  m->p_out[1 * LS_D + HL_OUT] = 2;
  m->p_out[2 * LS_D + HL_ONE] = -1;
  model_routing *rt = model_routing_new(m, 1);
  rt->holds = true;
  snprintf(rt->routers[0].name, sizeof rt->routers[0].name, "v");
  rt->routers[0].layer = 0;
  rt->routers[0].n_experts = 4;
  rt->routers[0].w[HL_V] = 1;
  for (int u = 0; u < 4; u++)
    if (owner[u] >= 0) {
      l1->ffn_route[2 * u] = 0;
      l1->ffn_route[2 * u + 1] = owner[u];
    }
  l0->ffn_live[11] = 2;
  l0->ffn_live_set = xmalloc(4 * sizeof *l0->ffn_live_set);
  const int32_t pairs[4] = {0, 1, 0, 3};
  memcpy(l0->ffn_live_set, pairs, sizeof pairs);
  return m;
}

static void test_unit_liveness(void) {
  const int want[5] = {1, 2, 3, 4, 1};
  char err[256] = "";
  model *m = liveset_model();
  int a[5], b[5];
  bool ra, rb;
  int64_t ua, ub;
  bool valid = model_validate(m, err, sizeof err);
  routed_tokens(m, false, a, &ra, &ua);
  routed_tokens(m, true, b, &rb, &ub);
  /* per position: 10 thermometer units, X where v is 1 or 3, the shared
   * unit, the selected expert's (v = 0 .. 3 owned by none, 2, 1, 3) */
  tap_ok(valid && ra && !memcmp(a, b, sizeof a) && !memcmp(a, want, sizeof a) &&
         ua == 11 + 13 + 12 + 13 + 11 && ub == 5 * 15,
         "a unit live under experts 1 and 3 runs only there; routed and dense "
         "agree (%d %d %d %d %d; units %lld, dense %lld) %s", a[0], a[1], a[2],
         a[3], a[4], (long long)ua, (long long)ub, err);
  char path[64];
  snprintf(path, sizeof path, "test-exec-liveset-%d.safetensors", (int)getpid());
  model *back = model_save(m, path, err, sizeof err) ? model_load(path, err, sizeof err) : NULL;
  remove(path);
  const int32_t *lv = back ? back->layers[0].ffn_live : NULL;
  const int32_t *ps = back ? back->layers[0].ffn_live_set : NULL;
  tap_ok(lv && lv[10] == 0 && lv[11] == 2 && ps[0] == 0 && ps[1] == 1 &&
         ps[2] == 0 && ps[3] == 3 && back->layers[1].ffn_live[4] == 0,
         "save then load keeps a unit's liveness set %s", err);
  model_free(back);
  m->layers[0].ffn_live_set[1] = 3;
  m->layers[0].ffn_live_set[3] = 1;
  tap_ok(!model_validate(m, err, sizeof err), "pairs out of order are invalid: %s", err);
  m->layers[0].ffn_live_set[1] = 1;
  m->layers[0].ffn_live_set[3] = 3;
  m->layers[0].ffn_route[2 * 10] = 0;
  tap_ok(!model_validate(m, err, sizeof err), "a unit a step owns has no liveness "
         "set: %s", err);
  model_free(m);
}

/* ---- offset caches ---------------------------------------------------------
 *
 * Two heads read the token one back and two back with the ring features
 * (key (2r, -r^2), query (r_d, 1)); the output emits VAL (prev + 2 * prev2)
 * mod-free (values stay small).  The hull exec serves both from the offset
 * rule; the brute exec scans; both must give what the dense definition
 * says: the value d positions back, or position 0's before that.  Run past
 * the ring's wrap at 65536 positions with the hull alone, checked against
 * that rule. */
enum { OF_ONE, OF_R, OF_R2, OF_M1, OF_M2, OF_VAL, OF_P1, OF_P2, OF_D };

static model *offset_model(void) {
  vocab_range r[1] = {{"VAL", 0, 128, 0, false}};
  model *m = model_new(OF_D, 1, r, 1);
  m->p_in[OF_ONE * 2 + 0] = 1;
  m->p_in[OF_VAL * 2 + 1] = 1;
  m->p_pos[OF_R * POS_NFEAT + POS_RING] = 1;
  m->p_pos[OF_R2 * POS_NFEAT + POS_RING2] = 1;
  m->p_pos[OF_M1 * POS_NFEAT + POS_RING_M1] = 1;
  m->p_pos[OF_M2 * POS_NFEAT + POS_RING_M2] = 1;
  int dv[2] = {1, 1};
  model_layer_alloc(m, 0, 2, dv, 0);
  for (int h = 0; h < 2; h++) {
    model_head *hd = &m->layers[0].heads[h];
    snprintf(hd->name, sizeof hd->name, "%d back", h + 1);
    hd->tie = TIE_LATEST;
    hd->mask_slot = -1;
    hd->wk[OF_R] = 2;
    hd->wk[OF_D + OF_R2] = -1;
    hd->wq[h ? OF_M2 : OF_M1] = 1;
    hd->wq[OF_D + OF_ONE] = 1;
    hd->wv[OF_VAL] = 1;
    hd->wo[h ? OF_P2 : OF_P1] = 1;
  }
  /* VAL v: 2 v (p1 + p2) - v^2 */
  m->p_out[1 * OF_D + OF_P1] = 2;
  m->p_out[1 * OF_D + OF_P2] = 2;
  m->p_out[2 * OF_D + OF_ONE] = -1;
  return m;
}

static int offset_token(int64_t p) { return (int)((p * 7 + p / 3) % 60); }

static void test_offset(void) {
  model *m = offset_model();
  exec *h = exec_new(m, KV_HULL), *b = exec_new(m, KV_BRUTE);
  tap_ok(exec_offset_caches(h) == 1 && exec_offset_caches(b) == 0,
         "the heads' shared cache is served by the offset rule with the hull "
         "(%d), not with the brute cache", exec_offset_caches(h));
  bool same = true, rule = true;
  int64_t n = POS_RING_N + 3000;
  for (int64_t p = 0; p < n && same && rule; p++) {
    int th = -1, tb = -1, tok = offset_token(p);
    same = exec_push(h, tok, &th);
    if (p < 2000) same = same && exec_push(b, tok, &tb) && tb == th;
    int64_t w1 = p < 1 ? 0 : p - 1, w2 = p < 2 ? 0 : p - 2;
    rule = th == offset_token(w1) + offset_token(w2);
    if (!same || !rule)
      tap_diag("position %lld: hull %d, brute %d, want %d (%s)", (long long)p, th,
               tb, offset_token(w1) + offset_token(w2), exec_error(h));
  }
  tap_ok(same && rule, "offset heads read the tokens 1 and 2 back through %lld "
         "positions (past the ring's wrap), as the brute scan does for the "
         "first 2000", (long long)n);
  exec_free(h);
  exec_free(b);
  model_free(m);
  m = offset_model();
  m->p_pos[OF_M1 * POS_NFEAT + POS_P] = 1;   /* r(p-1) + p: not the feature */
  h = exec_new(m, KV_HULL);
  tap_ok(exec_offset_caches(h) == 0, "a query that is not the ring feature "
         "alone leaves its cache to the hull (%d offset)", exec_offset_caches(h));
  exec_free(h);
  model_free(m);
}

/* ---- address caches ---------------------------------------------------------
 *
 * A memory model: token W/a writes address a (its key (2a, -a^2), with
 * -a^2 from two FFN units, relu(a) a + relu(-a) (-a), and its position as
 * the value), token R/q reads address q (masked: it writes nothing); every
 * position queries (q, 1) with its own token's value, and the head returns
 * the winner's position and its address (so an unwritten address shows).
 * With `bend`, a third unit adds 1 to -a^2 for a > 40: those keys leave
 * the parabola, and the address cache must hand over to the hull.  Random
 * streams (addresses -64..64, 0 and repeats included; reads of -70..70)
 * run under the brute cache, the plain hull and the O(1) caches; every
 * head's answer (found, winner, its key, ties, values) must agree. */
enum { AD_ONE, AD_V, AD_MASK, AD_SQ, AD_P, AD_OP, AD_OA, AD_D };

static model *address_model(bool bend) {
  vocab_range r[2] = {{"W", 0, 129, -64, false}, {"R", 129, 141, -70, false}};
  model *m = model_new(AD_D, 2, r, 2);
  int nf = 4;
  for (int k = 0; k < 2; k++) {
    m->p_in[AD_ONE * nf + 2 * k] = 1;
    m->p_in[AD_V * nf + 2 * k + 1] = 1;
  }
  m->p_in[AD_MASK * nf + 2] = 1;
  m->p_pos[AD_P * POS_NFEAT + POS_P] = 1;
  int dv = 2;
  model_layer_alloc(m, 0, 0, NULL, bend ? 3 : 2);
  model_layer *l0 = &m->layers[0];
  model_ffn_set(l0, FFN_GATE, 0, AD_V, 1);     /* relu(a) * a */
  model_ffn_set(l0, FFN_UP, 0, AD_V, 1);
  model_ffn_set(l0, FFN_GATE, 1, AD_V, -1);    /* relu(-a) * (-a) */
  model_ffn_set(l0, FFN_UP, 1, AD_V, -1);
  model_ffn_set(l0, FFN_DOWN, 0, AD_SQ, -1);
  model_ffn_set(l0, FFN_DOWN, 1, AD_SQ, -1);
  if (bend) {                          /* + relu(a - 40) * 1 */
    model_ffn_set(l0, FFN_GATE, 2, AD_V, 1);
    model_ffn_set(l0, FFN_GATE, 2, AD_ONE, -40);
    model_ffn_set(l0, FFN_UP, 2, AD_ONE, 1);
    model_ffn_set(l0, FFN_DOWN, 2, AD_SQ, 1);
  }
  model_layer_alloc(m, 1, 1, &dv, 0);
  model_head *h = &m->layers[1].heads[0];
  snprintf(h->name, sizeof h->name, "mem read");
  h->tie = TIE_LATEST;
  h->mask_slot = AD_MASK;
  h->wk[AD_V] = 2;
  h->wk[AD_D + AD_SQ] = 1;
  h->wq[AD_V] = 1;
  h->wq[AD_D + AD_ONE] = 1;
  h->wv[AD_P] = 1;
  h->wv[AD_D + AD_V] = 1;
  h->wo[AD_OP * 2 + 0] = 1;
  h->wo[AD_OA * 2 + 1] = 1;
  return m;
}

typedef struct {
  VEC(kv_result) r;
  VEC(double) v;
} head_log;

static void log_head(void *ctx, int64_t pos, int layer, int head,
                     const double q[2], const kv_result *r, const double *v) {
  head_log *g = ctx;
  kv_result x = *r;
  x.margin = 0; /* brute's alone */
  VEC_PUSH(g->r, x);
  VEC_PUSH(g->v, v[0]);
  VEC_PUSH(g->v, v[1]);
}

/* Runs the stream under kind; *addr gets the address caches serving
 * before and after. */
static bool address_run(const model *m, kv_kind kind, const int *tok, int n,
                        head_log *g, int addr[2]) {
  exec *e = exec_new(m, kind);
  exec_observer o = {g, log_head, NULL, NULL, NULL};
  exec_set_observer(e, &o);
  addr[0] = exec_caches(e, KV_ADDR, NULL);
  bool ok = true;
  for (int i = 0; i < n && ok; i++) ok = exec_push(e, tok[i], NULL);
  if (!ok) tap_diag("%s", exec_error(e));
  addr[1] = exec_caches(e, KV_ADDR, NULL);
  exec_free(e);
  return ok;
}

static bool same_logs(const head_log *a, const head_log *b) {
  if (a->r.n != b->r.n) return false;
  for (int i = 0; i < a->r.n; i++) {
    const kv_result *x = &a->r.v[i], *y = &b->r.v[i];
    if (x->found != y->found || (x->found && (x->pos != y->pos || x->kx != y->kx ||
                                              x->ky != y->ky || x->count != y->count)))
      return false;
  }
  return !memcmp(a->v.v, b->v.v, (size_t)a->v.n * sizeof *a->v.v);
}

static void test_address(void) {
  enum { N = 4000 };
  static int tok[N];
  uint64_t st = 12345;
  for (int bend = 0; bend < 2; bend++) {
    model *m = address_model(bend);
    for (int i = 0; i < N; i++) {
      st = st * 6364136223846793005ull + 1442695040888963407ull;
      int u = (int)(st >> 33);
      /* writes mostly to a few hot addresses, then anywhere */
      tok[i] = u % 3 ? (u % 5 ? 64 + (u >> 4) % 9 - 4 : (u >> 4) % 129)
                     : 129 + (u >> 4) % 141;
    }
    head_log g[3];
    memset(g, 0, sizeof g);
    int addr[3][2];
    kv_kind kinds[3] = {KV_BRUTE, KV_HULL_PLAIN, KV_HULL};
    bool ok = true;
    for (int k = 0; k < 3; k++) ok = address_run(m, kinds[k], tok, N, &g[k], addr[k]) && ok;
    int64_t misses = 0;
    for (int i = 0; i < g[0].r.n; i++)
      misses += g[0].v.v[2 * i + 1] != (double)model_token_value(m, tok[i]);
    tap_ok(ok && same_logs(&g[0], &g[1]) && same_logs(&g[0], &g[2]) && misses > 100,
           "%s: %d positions of writes and reads (%lld read an unwritten "
           "address): brute, hull and address caches agree on every answer",
           bend ? "keys off the parabola above address 40" : "parabolic keys",
           N, (long long)misses);
    tap_ok(addr[0][0] == 0 && addr[1][0] == 0 && addr[2][0] == 1 &&
               addr[2][1] == !bend,
           "the O(1) exec serves the head by an address cache (%d), %s",
           addr[2][0], bend ? "handed over to the hull at the first bent key"
                            : "kept to the end");
    for (int k = 0; k < 3; k++) {
      VEC_FREE(g[k].r);
      VEC_FREE(g[k].v);
    }
    model_free(m);
  }
}

int main(void) {
  test_lookup();
  test_offset();
  test_address();
  test_bounds();
  test_routing();
  test_families();
  test_head_liveness();
  test_unit_liveness();
  test_observer();
  test_dense_agreement();
  test_argmax();
  test_argmax_extremes();
  tap_plan(tap_n);
  return tap_done();
}
