/* mkmodel.c - test models, built by hand with model_new and friends, and a
 * program that writes them for tests/numpy-check.sh.
 *
 *   mkmodel DIR   writes the models (NAME.safetensors) into DIR, and
 *                 DIR/cases, one line per case:
 *                 "NAME MODEL PROMPT MAX_NEW TOKENS", PROMPT and
 *                 TOKENS comma-separated, TOKENS what the C executor
 *                 decoded (brute and hull agreeing, or mkmodel fails),
 *                 and DIR/NAME.resid, the residual after every push.
 *
 * tests/test-exec.c includes this file with MKMODEL_LIBRARY defined, to
 * share the builders without a header.
 */
#include "config.h"

#include "backend/engine/engine.h"

#include <inttypes.h>
#include <string.h>

/* ---- the lookup model ---------------------------------------------------
 *
 * lookup = {A:2, B:5, C:9}; y = lookup[x]; z = y + 1; output z
 *
 * A table entry is one token: its range names the key (A, B, C are keys
 * 1, 2, 3) and its value is the entry's value, so "B:5" is token B/5.
 * The question is ASK/x.  One attention head reads the table: the key of
 * an entry for key a is (2a, -a^2) (constants of the range's embedding),
 * the query is (x, 1), the score 2ax - a^2 = x^2 - (x-a)^2 peaks at a == x,
 * and LATEST lets a later entry for the same key win.  One FFN unit
 * computes z = relu(1) * (y + 1).  The output scores VAL/v with
 * 2vz - v^2, which peaks at v == z. */

enum { LK_ONE, LK_KA, LK_KA2, LK_VAL, LK_ASK, LK_MASK, LK_Y, LK_Z, LK_D };
enum { LK_RA, LK_RB, LK_RC, LK_RASK, LK_RVAL, LK_NR };

static const char *lk_slot_names[LK_D] = {"one", "2a", "-a^2", "entry value",
                                          "x", "not an entry", "y=lookup[x]",
                                          "z=y+1"};

static model *lookup_model(void) {
  vocab_range r[LK_NR] = {
      {"A", 0, 16, 0, false},     {"B", 16, 16, 0, false},
      {"C", 32, 16, 0, false},    {"ASK", 48, 3, 1, false},
      {"VAL", 51, 32, 0, true},
  };
  model *m = model_new(LK_D, 1, r, LK_NR);
  int nf = 2 * LK_NR;
#define PIN(slot, col) m->p_in[(slot) * nf + (col)]
  for (int k = 0; k < 3; k++) { /* key a = k + 1 */
    double a = k + 1;
    PIN(LK_ONE, 2 * k) = 1;
    PIN(LK_KA, 2 * k) = 2 * a;
    PIN(LK_KA2, 2 * k) = -a * a;
    PIN(LK_VAL, 2 * k + 1) = 1;
  }
  PIN(LK_ONE, 2 * LK_RASK) = 1;
  PIN(LK_MASK, 2 * LK_RASK) = 1;
  PIN(LK_ASK, 2 * LK_RASK + 1) = 1;
  PIN(LK_ONE, 2 * LK_RVAL) = 1;
  PIN(LK_MASK, 2 * LK_RVAL) = 1;
#undef PIN
  int dv = 1;
  model_layer_alloc(m, 0, 1, &dv, 1);
  model_head *h = &m->layers[0].heads[0];
  snprintf(h->name, sizeof h->name, "table lookup");
  h->tie = TIE_LATEST;
  h->mask_slot = LK_MASK;
  h->wq[0 * LK_D + LK_ASK] = 1;
  h->wq[1 * LK_D + LK_ONE] = 1;
  h->wk[0 * LK_D + LK_KA] = 1;
  h->wk[1 * LK_D + LK_KA2] = 1;
  h->wv[LK_VAL] = 1;
  h->wo[LK_Y] = 1;
  model_layer *l = &m->layers[0];
  model_ffn_set(l, FFN_GATE, 0, LK_ONE, 1);
  model_ffn_set(l, FFN_UP, 0, LK_Y, 1);
  model_ffn_set(l, FFN_UP, 0, LK_ONE, 1);
  model_ffn_set(l, FFN_DOWN, 0, LK_Z, 1);
  for (int k = 0; k < LK_RVAL; k++) m->p_out[(3 * k) * LK_D + LK_ONE] = -1000;
  m->p_out[(3 * LK_RVAL + 1) * LK_D + LK_Z] = 2;
  m->p_out[(3 * LK_RVAL + 2) * LK_D + LK_ONE] = -1;
  m->slot_names = xcalloc(LK_D, sizeof *m->slot_names);
  for (int i = 0; i < LK_D; i++) m->slot_names[i] = xstrdup(lk_slot_names[i]);
  m->meta_json = xstrdup("{\"program\":\"lookup = {A:2, B:5, C:9}; "
                         "y = lookup[x]; z = y + 1; output z\"}");
  return m;
}

/* The prompt for the lookup model, entries "A:2 B:5 C:9" then ASK/x. */
static int lookup_prompt(const model *m, const char *entries, char ask,
                         int *out) {
  int n = 0;
  for (const char *p = entries; *p; p++) {
    if (*p < 'A' || *p > 'C') continue;
    int v = atoi(p + 2);
    out[n++] = model_token(m, *p - 'A', v);
    while (p[1] && p[1] != ' ') p++;
  }
  out[n++] = model_token(m, LK_RASK, ask - 'A' + 1);
  return n;
}

/* ---- the random model ----------------------------------------------------
 *
 * Random small integer weights, shaped so that every key, query and
 * AVERAGE value stays an integer: the residual is split into integer
 * slots (embedding, position, LATEST read-outs, FFN step units) and
 * fractional ones (AVERAGE read-outs, FFN products), and keys, queries and
 * values read integer slots only.  Both tie rules, masks, shared caches,
 * parabolic position keys, dv up to 3. */

static uint64_t mk_rng;

static uint64_t mk_rand(void) {
  uint64_t z = (mk_rng += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static int mk_int(int lo, int hi) {
  return lo + (int)(mk_rand() % (uint64_t)(hi - lo + 1));
}

/* Integer slots [0, RM_NI): one, token value, p, role indicators, scratch
 * for LATEST read-outs and FFN steps, and p^2 last (only the position head
 * reads it, so that keys stay small); fractional slots [RM_NI, RM_D). */
enum { RM_ONE, RM_VAL, RM_P, RM_IS0, RM_P2 = 15, RM_NI = 16, RM_D = 26 };
enum { RM_NR = 4, RM_LAYERS = 3, RM_HEADS = 4, RM_FFN = 6 };

/* A random sparse row over slots [lo, hi) but p^2 (and p, unless
 * with_p), weights in [-w, w].  Only keys and queries see the position:
 * values, FFN units and logits read bounded slots, so that no term grows
 * with the trace and takes over every argmax. */
static void mk_row_p(double *row, int lo, int hi, int nnz, int w,
                     bool with_p) {
  for (int k = 0; k < nnz; k++) {
    int s = mk_int(lo, hi - 1), v = mk_int(-w, w);
    if (s != RM_P2 && (with_p || s != RM_P)) row[s] += v;
  }
}

static void mk_row(double *row, int lo, int hi, int nnz, int w) {
  mk_row_p(row, lo, hi, nnz, w, false);
}

static void mk_head(model_head *h, int variant) {
  if (variant == 0) { /* previous-token read: key (2p, -p^2), query (p-1, 1) */
    h->wk[RM_P] = 2;
    h->wk[RM_D + RM_P2] = -1;
    h->wq[RM_P] = 1;
    h->wq[RM_ONE] = -1;
    h->wq[RM_D + RM_ONE] = 1;
  } else {
    mk_row_p(h->wk, 0, RM_NI, 2, 2, true);
    mk_row_p(h->wk + RM_D, 0, RM_NI, 2, 2, true);
    mk_row_p(h->wq, 0, RM_NI, 2, 2, true);
    mk_row_p(h->wq + RM_D, 0, RM_NI, 2, 2, true);
    if (variant == 2) h->wq[RM_D + RM_ONE] = 0; /* qy often 0 */
  }
  for (int k = 0; k < h->dv; k++)
    mk_row(h->wv + k * RM_D, RM_ONE, RM_NI, 2, 2);
  /* LATEST copies integers: back into integer slots; AVERAGE means are
   * fractional: into the fractional ones */
  int lo = h->tie == TIE_LATEST ? RM_IS0 + RM_NR : RM_NI;
  int hi = h->tie == TIE_LATEST ? RM_P2 : RM_D;
  for (int k = 0; k < h->dv; k++)
    h->wo[mk_int(lo, hi - 1) * h->dv + k] = mk_int(1, 2) * (mk_int(0, 1) ? 1 : -1);
}

/* A dense row of RM_D weights as unit j's row of W_gate or W_up (an
 * edit to merge). */
static void mk_put(model_layer *l, int mat, int j, const double *row) {
  for (int s = 0; s < RM_D; s++)
    if (row[s] != 0.0) model_ffn_put(l, mat, j, s, row[s]);
}

static void mk_ffn(model_layer *l) {
  /* units 0,1: a step relu(b+1) - relu(b) in {0, 1} into an integer slot */
  double g[RM_D] = {0}, u[RM_D];
  mk_row(g, RM_VAL, RM_NI, 2, 1);
  mk_put(l, FFN_GATE, 1, g);
  g[RM_ONE] += 1;
  mk_put(l, FFN_GATE, 0, g);
  model_ffn_put(l, FFN_UP, 0, RM_ONE, 1);
  model_ffn_put(l, FFN_UP, 1, RM_ONE, 1);
  int s = mk_int(RM_IS0 + RM_NR, RM_P2 - 1);
  model_ffn_put(l, FFN_DOWN, 0, s, 1);
  model_ffn_put(l, FFN_DOWN, 1, s, -1);
  /* the rest: products of anything, into fractional slots */
  for (int j = 2; j < RM_FFN; j++) {
    memset(g, 0, sizeof g);
    memset(u, 0, sizeof u);
    mk_row(g, 0, RM_D, 3, 2);
    mk_put(l, FFN_GATE, j, g);
    mk_row(u, 0, RM_D, 3, 2);
    mk_put(l, FFN_UP, j, u);
    s = mk_int(RM_NI, RM_D - 1);
    model_ffn_put(l, FFN_DOWN, j, s, mk_int(0, 1) ? 1 : -1);
  }
  model_ffn_finish(l);
}

static model *random_model(uint64_t seed) {
  mk_rng = seed;
  vocab_range r[RM_NR] = {
      {"T0", 0, 10, 0, false},  {"T1", 10, 11, -5, false},
      {"T2", 21, 4, 0, false},  {"SEP", 25, 1, 0, false},
  };
  model *m = model_new(RM_D, RM_LAYERS, r, RM_NR);
  int nf = 2 * RM_NR;
  for (int k = 0; k < RM_NR; k++) {
    m->p_in[RM_ONE * nf + 2 * k] = 1;
    m->p_in[(RM_IS0 + k) * nf + 2 * k] = 1;
    m->p_in[RM_VAL * nf + 2 * k + 1] = mk_int(1, 2);
    m->p_in[mk_int(RM_IS0 + RM_NR, RM_P2 - 1) * nf + 2 * k + 1] = 1;
  }
  m->p_pos[RM_P * POS_NFEAT + POS_P] = 1;
  m->p_pos[RM_P2 * POS_NFEAT + POS_RING2] = 1;
  for (int l = 0; l < RM_LAYERS; l++) {
    int dv[RM_HEADS];
    for (int h = 0; h < RM_HEADS; h++) dv[h] = mk_int(1, 3);
    dv[3] = dv[2]; /* head 3 shares head 2's cache */
    model_layer_alloc(m, l, RM_HEADS, dv, RM_FFN);
    for (int h = 0; h < RM_HEADS; h++) {
      model_head *hd = &m->layers[l].heads[h];
      snprintf(hd->name, sizeof hd->name, "random %d.%d", l, h);
      hd->tie = (h + l) % 2 ? TIE_AVERAGE : TIE_LATEST;
      if (h == 3) hd->tie = m->layers[l].heads[2].tie;
      hd->mask_slot = h == 1 ? RM_IS0 + 2 + l % 2 : -1;
      mk_head(hd, h == 0 && l == 0 ? 0 : 1 + (h + l) % 2);
    }
    model_head *h2 = &m->layers[l].heads[2], *h3 = &m->layers[l].heads[3];
    h3->mask_slot = h2->mask_slot;
    memcpy(h3->wk, h2->wk, 2 * RM_D * sizeof(double));
    memcpy(h3->wv, h2->wv, (size_t)h2->dv * RM_D * sizeof(double));
    mk_ffn(&m->layers[l]);
  }
  /* parabolic rows: a range's best value follows a random mix of the
   * state, so the decoded stream keeps changing */
  for (int k = 0; k < RM_NR; k++) {
    mk_row(m->p_out + (3 * k) * RM_D, 0, RM_D, 4, 3);
    mk_row(m->p_out + (3 * k + 1) * RM_D, 0, RM_D, 4, 2);
    m->p_out[(3 * k + 2) * RM_D + RM_ONE] = -mk_int(k == 0 ? 1 : 0, 1);
  }
  return m;
}

static int random_prompt(const model *m, int *out, int n) {
  for (int i = 0; i < n; i++) out[i] = mk_int(0, m->vocab_size - 1);
  return n;
}

/* Writes the final residual of a push as tools/tvl_run.py --residuals
 * does: the bit patterns of its slots, -0 as +0. */
static void put_residual(FILE *f, const exec *e, int d) {
  const double *x = exec_residual(e);
  for (int i = 0; i < d; i++) {
    double v = x[i] + 0.0;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    fprintf(f, i ? " %016" PRIx64 : "%016" PRIx64, bits);
  }
  fputc('\n', f);
}

/* exec_decode, one push at a time, so that residuals can be written. */
static bool decode_one(exec *e, const model *m, const int *prompt, int n,
                       int64_t max_new, int_vec *out, FILE *resid) {
  int next = -1;
  for (int i = 0; i < n; i++) {
    if (!exec_push(e, prompt[i], &next)) return false;
    if (resid) put_residual(resid, e, m->d_model);
  }
  for (int64_t k = 0; k < max_new; k++) {
    VEC_PUSH(*out, next);
    int r = model_token_range(m, next);
    if (m->ranges[r].stop || k + 1 == max_new) break;
    if (!exec_push(e, next, &next)) return false;
    if (resid) put_residual(resid, e, m->d_model);
  }
  return true;
}

/* Decodes with both caches; false (with a message) unless both succeed
 * with the same tokens.  The hull's residuals go to resid, if given. */
static bool decode_both_resid(const model *m, const int *prompt, int n,
                              int64_t max_new, int_vec *out, char *msg,
                              size_t msglen, FILE *resid) {
  int_vec o[2] = {{0}, {0}};
  bool ok = true;
  for (int k = 0; k < 2; k++) {
    exec *e = exec_new(m, k ? KV_HULL : KV_BRUTE);
    if (!decode_one(e, m, prompt, n, max_new, &o[k], k ? resid : NULL)) {
      snprintf(msg, msglen, "%s: %s", k ? "hull" : "brute", exec_error(e));
      ok = false;
    }
    exec_free(e);
  }
  if (ok && (o[0].n != o[1].n ||
             memcmp(o[0].v, o[1].v, (size_t)o[0].n * sizeof(int)))) {
    snprintf(msg, msglen, "brute and hull decode different tokens");
    ok = false;
  }
  *out = o[0];
  VEC_FREE(o[1]);
  return ok;
}

#ifdef MKMODEL_LIBRARY
static bool decode_both(const model *m, const int *prompt, int n,
                        int64_t max_new, int_vec *out, char *msg,
                        size_t msglen) {
  return decode_both_resid(m, prompt, n, max_new, out, msg, msglen, NULL);
}
#endif

#ifndef MKMODEL_LIBRARY

static void put_list(FILE *f, const int *v, int n) {
  for (int i = 0; i < n; i++) fprintf(f, i ? ",%d" : "%d", v[i]);
  if (!n) fputc('-', f);
}

static bool write_case(FILE *cases, const char *dir, const char *name,
                       const char *file, const model *m, const int *prompt,
                       int n, int64_t max_new) {
  int_vec out = {0};
  char msg[600], path[1024];
  snprintf(path, sizeof path, "%s/%s.resid", dir, name);
  FILE *resid = fopen(path, "w");
  if (!resid) {
    perror(path);
    return false;
  }
  bool ok = decode_both_resid(m, prompt, n, max_new, &out, msg, sizeof msg,
                              resid);
  ok = fclose(resid) == 0 && ok;
  if (!ok) fprintf(stderr, "mkmodel: %s: %s\n", name, msg);
  fprintf(cases, "%s %s/%s ", name, dir, file);
  put_list(cases, prompt, n);
  fprintf(cases, " %" PRId64 " ", max_new);
  put_list(cases, out.v, out.n);
  fputc('\n', cases);
  VEC_FREE(out);
  return ok;
}

static bool save(const model *m, const char *dir, const char *file) {
  char path[1024], err[512];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  if (model_save(m, path, err, sizeof err)) return true;
  fprintf(stderr, "mkmodel: %s\n", err);
  return false;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: mkmodel DIR\n");
    return 2;
  }
  const char *dir = argv[1];
  char path[1024];
  snprintf(path, sizeof path, "%s/cases", dir);
  FILE *cases = fopen(path, "w");
  if (!cases) {
    perror(path);
    return 1;
  }
  bool ok = true;
  model *lk = lookup_model();
  ok = save(lk, dir, "lookup.safetensors") && ok;
  const char *asks = "BAC";
  int prompt[4096];
  for (int k = 0; k < 3; k++) {
    char name[32];
    snprintf(name, sizeof name, "lookup-%c", asks[k]);
    int n = lookup_prompt(lk, "A:2 B:5 C:9", asks[k], prompt);
    ok = write_case(cases, dir, name, "lookup.safetensors", lk, prompt, n, 8) &&
         ok;
  }
  int n = lookup_prompt(lk, "C:9 B:5 A:2 B:7", 'B', prompt);
  ok = write_case(cases, dir, "lookup-rebound", "lookup.safetensors", lk,
                  prompt, n, 8) && ok;
  model_free(lk);
  for (int s = 0; s < 3; s++) {
    model *rm = random_model(1000 + (uint64_t)s);
    char file[64], name[32];
    snprintf(file, sizeof file, "random%d.safetensors", s);
    snprintf(name, sizeof name, "random%d", s);
    ok = save(rm, dir, file) && ok;
    n = random_prompt(rm, prompt, 12 + 10 * s);
    ok = write_case(cases, dir, name, file, rm, prompt, n, s == 2 ? 3000 : 300)
         && ok;
    model_free(rm);
  }
  if (fclose(cases) != 0) ok = false;
  return ok ? 0 : 1;
}

#endif
