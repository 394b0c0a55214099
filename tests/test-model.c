/* test-model.c - the model, its validation and its file format, and the
 * executor's errors (tests/test-exec.c runs the executor's answers):
 *
 *  - a decode that goes wrong names the layer and head;
 *  - model_validate refuses every kind of broken model, by name;
 *  - a model survives model_save and model_load bit for bit (FFN weights
 *    of -0 included), and bad or truncated files are refused;
 *  - the FFN matrices held sparse by unit read back as the dense values
 *    set into them.
 */
#include "config.h"

#define MKMODEL_LIBRARY
#include "tests/mkmodel.c"
#include "tests/tap.h"

#include <math.h>
#include <unistd.h>

static int val_token(const model *m, int v) {
  return model_token(m, model_find_range(m, "VAL"), v);
}

/* ---- errors ---------------------------------------------------------------------- */

static bool decode_fails(model *m, const char *entries, char ask,
                         const char *want, char *msg, size_t n) {
  int prompt[16];
  int np = lookup_prompt(m, entries, ask, prompt);
  bool both = true;
  for (int k = 0; k < 2; k++) {
    exec *e = exec_new(m, k ? KV_HULL : KV_BRUTE);
    int_vec out = {0};
    bool ok = exec_decode(e, prompt, np, 4, &out, NULL);
    if (ok || !strstr(exec_error(e), want)) both = false;
    snprintf(msg, n, "%s", exec_error(e));
    VEC_FREE(out);
    exec_free(e);
  }
  return both;
}

static void test_errors(void) {
  char msg[512];
  model *m = lookup_model();
  model_head *h = &m->layers[0].heads[0];
  h->wk[LK_KA] = 0.25; /* key x = a/2: not integral for A */
  tap_ok(decode_fails(m, "A:2", 'A', "layer 0 head 0 (table lookup): key "
                      "(0.5, -1) is not integral at position 0", msg,
                      sizeof msg), "a fractional key is an error: %s", msg);
  h->wk[LK_KA] = 1;
  h->wq[LK_ASK] = 4e9;
  tap_ok(decode_fails(m, "A:2", 'A', "query (4000000000, 1) is out of bounds "
                      "at position 1", msg, sizeof msg),
         "a query beyond QUERY_MAX is an error: %s", msg);
  h->wq[LK_ASK] = 1;
  h->wk[LK_D + LK_KA2] = 1e16; /* ky = -a^2 1e16: scores beyond 2^53 */
  tap_ok(decode_fails(m, "A:2", 'A', "could score beyond 2^53", msg,
                      sizeof msg), "a score beyond 2^53 is an error: %s", msg);
  h->wk[LK_D + LK_KA2] = 1;
  h->tie = TIE_AVERAGE;
  h->wv[LK_VAL] = 0.5;
  tap_ok(decode_fails(m, "A:3", 'A', "value component 0 (1.5) is not an "
                      "integer", msg, sizeof msg),
         "a fractional AVERAGE value is an error: %s", msg);
  h->tie = TIE_LATEST;
  h->wv[LK_VAL] = 1;
  model_ffn_set(&m->layers[0], FFN_UP, 0, LK_Y, 1e308);
  model_ffn_set(&m->layers[0], FFN_DOWN, 0, LK_Z, 1e308);
  tap_ok(decode_fails(m, "A:2", 'A', "not finite", msg, sizeof msg),
         "an overflow in the FFN is an error: %s", msg);
  model_free(m);

  m = lookup_model();
  exec *e = exec_new(m, KV_HULL);
  int next;
  bool ok = exec_push(e, m->vocab_size, &next);
  tap_ok(!ok && strstr(exec_error(e), "not in the vocabulary") &&
             !exec_push(e, 0, &next),
         "a token outside the vocabulary is an error, and the exec is spent");
  exec_free(e);
  e = exec_new(m, KV_BRUTE);
  volatile int stop = 1;
  int_vec out = {0};
  int prompt[8];
  int np = lookup_prompt(m, "A:2", 'A', prompt);
  ok = exec_decode(e, prompt, np, 4, &out, &stop);
  stop = 0;
  bool resumed = exec_decode(e, prompt, np, 4, &out, &stop);
  tap_ok(!ok && strstr(exec_error(e), "interrupted") && out.n == 1 && resumed,
         "an interrupt stops decoding, and decoding can resume");
  VEC_FREE(out);
  exec_free(e);
  model_free(m);
}

typedef void (*mutation)(model *m);

static void mut_first(model *m) { m->ranges[1].first = 17; }
static void mut_count(model *m) { m->ranges[2].count = 0; }
static void mut_role(model *m) { strcpy(m->ranges[1].role, "A"); }
static void mut_vocab(model *m) { m->vocab_size++; }
static void mut_value(model *m) { m->ranges[0].value0 = (int64_t)1 << 60; }
static void mut_mask(model *m) { m->layers[0].heads[0].mask_slot = LK_D; }
static void mut_dv(model *m) { m->layers[0].heads[0].dv = 0; }
static void mut_tie(model *m) { m->layers[0].heads[0].tie = (tie_rule)7; }
static void mut_nan(model *m) { m->layers[0].heads[0].wk[3] = NAN; }
static void mut_inf(model *m) { m->p_out[5] = INFINITY; }
static void mut_d(model *m) { m->d_model = 0; }
static void mut_wq(model *m) {
  free(m->layers[0].heads[0].wq);
  m->layers[0].heads[0].wq = NULL;
}
static void mut_slot(model *m) {
  free(m->slot_names[3]);
  m->slot_names[3] = NULL;
}
static void mut_name(model *m) {
  memset(m->layers[0].heads[0].name, 'x', sizeof m->layers[0].heads[0].name);
}

static void mut_ffn_nan(model *m) {
  model_ffn_set(&m->layers[0], FFN_UP, 0, LK_ONE, NAN);
}
static void mut_ffn_inf(model *m) {
  model_ffn_set(&m->layers[0], FFN_DOWN, 0, LK_Z, -INFINITY);
}

static void test_validate(void) {
  mutation muts[] = {mut_first, mut_count, mut_role, mut_vocab, mut_value,
                     mut_mask, mut_dv, mut_tie, mut_nan, mut_inf, mut_d,
                     mut_wq, mut_slot, mut_name, mut_ffn_nan, mut_ffn_inf};
  int n = (int)(sizeof muts / sizeof *muts), caught = 0;
  for (int i = 0; i < n; i++) {
    model *m = lookup_model();
    muts[i](m);
    char err[256] = "";
    if (!model_validate(m, err, sizeof err) && err[0]) caught++;
    else tap_diag("mutation %d passed validation", i);
    if (muts[i] == mut_d) m->d_model = LK_D; /* for model_free */
    if (muts[i] == mut_dv) m->layers[0].heads[0].dv = 1;
    model_free(m);
  }
  tap_ok(caught == n, "model_validate refuses %d of %d broken models", caught,
         n);
  model *m = lookup_model();
  int next;
  m->ranges[0].count = -1;
  exec *e = exec_new(m, KV_HULL);
  tap_ok(!exec_push(e, 0, &next) && strstr(exec_error(e), "invalid model"),
         "exec_new on an invalid model gives an exec that only reports it");
  exec_free(e);
  model_free(m);
}

/* ---- files ------------------------------------------------------------------------ */

/* The layers' FFN matrices hold the same bits, unit by unit, dense. */
static bool same_ffn(const model_layer *x, const model_layer *y, int d) {
  double *a = xmalloc(2 * ((size_t)d + 1) * sizeof *a), *b = a + d + 1;
  bool same = true;
  for (int k = 0; k < FFN_MATS && same; k++)
    for (int j = 0; j < x->n_ffn && same; j++) {
      model_ffn_unit(x, k, j, d, a);
      model_ffn_unit(y, k, j, d, b);
      same = !memcmp(a, b, (size_t)d * sizeof *a);
    }
  free(a);
  return same;
}

static bool same_model(const model *a, const model *b) {
  if (a->d_model != b->d_model || a->n_layers != b->n_layers ||
      a->n_ranges != b->n_ranges || a->vocab_size != b->vocab_size)
    return false;
  size_t d = (size_t)a->d_model, R = (size_t)a->n_ranges;
  for (size_t r = 0; r < R; r++) {
    const vocab_range *x = &a->ranges[r], *y = &b->ranges[r];
    if (strcmp(x->role, y->role) || x->first != y->first ||
        x->count != y->count || x->value0 != y->value0 || x->stop != y->stop)
      return false;
  }
  if (memcmp(a->p_in, b->p_in, d * 2 * R * 8) ||
      memcmp(a->p_pos, b->p_pos, d * POS_NFEAT * 8) ||
      memcmp(a->p_out, b->p_out, 3 * R * d * 8))
    return false;
  for (int l = 0; l < a->n_layers; l++) {
    const model_layer *x = &a->layers[l], *y = &b->layers[l];
    if (x->n_heads != y->n_heads || x->n_ffn != y->n_ffn ||
        !same_ffn(x, y, (int)d))
      return false;
    for (int h = 0; h < x->n_heads; h++) {
      const model_head *p = &x->heads[h], *q = &y->heads[h];
      size_t dv = (size_t)p->dv;
      if (strcmp(p->name, q->name) || p->tie != q->tie ||
          p->mask_slot != q->mask_slot || p->dv != q->dv ||
          memcmp(p->wq, q->wq, 2 * d * 8) || memcmp(p->wk, q->wk, 2 * d * 8) ||
          memcmp(p->wv, q->wv, dv * d * 8) || memcmp(p->wo, q->wo, dv * d * 8))
        return false;
    }
  }
  if (!a->slot_names != !b->slot_names) return false;
  for (size_t i = 0; a->slot_names && i < d; i++)
    if (strcmp(a->slot_names[i], b->slot_names[i])) return false;
  if (!a->meta_json != !b->meta_json) return false;
  return !a->meta_json || !strcmp(a->meta_json, b->meta_json);
}

static char tmp_path[256], tmp_path2[256];

static unsigned char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *buf = xmalloc(1 << 20);
  *n = fread(buf, 1, 1 << 20, f);
  fclose(f);
  return buf;
}

static void spit(const char *path, const unsigned char *buf, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) return;
  fwrite(buf, 1, n, f);
  fclose(f);
}

/* Copies tmp_path to tmp_path2 with the first `find` in the JSON header
 * replaced by `repl`; the header length is fixed up. */
static void rewrite_header(const char *find, const char *repl) {
  size_t n = 0;
  unsigned char *buf = slurp(tmp_path, &n);
  uint64_t hl = 0;
  for (int k = 7; k >= 0; k--) hl = hl << 8 | buf[k];
  strbuf h;
  sb_init(&h);
  sb_putn(&h, (const char *)buf + 8, hl);
  char *at = strstr(h.s, find);
  strbuf o;
  sb_init(&o);
  unsigned char len[8] = {0};
  sb_putn(&o, (const char *)len, 8);
  if (at) {
    sb_putn(&o, h.s, (size_t)(at - h.s));
    sb_puts(&o, repl);
    sb_puts(&o, at + strlen(find));
  } else {
    sb_puts(&o, h.s);
  }
  uint64_t nl = o.n - 8;
  for (int k = 0; k < 8; k++) o.s[k] = (char)(nl >> (8 * k));
  sb_putn(&o, (const char *)buf + 8 + hl, n - 8 - hl);
  spit(tmp_path2, (unsigned char *)o.s, o.n);
  sb_free(&o);
  sb_free(&h);
  free(buf);
}

static bool load_fails(const char *want, char *err, size_t n) {
  model *m = model_load(tmp_path2, err, n);
  bool ok = !m && strstr(err, want) != NULL;
  model_free(m);
  return ok;
}

static void test_files(void) {
  snprintf(tmp_path, sizeof tmp_path, "test-exec-%d.safetensors", (int)getpid());
  snprintf(tmp_path2, sizeof tmp_path2, "test-exec-%d-bad.safetensors",
           (int)getpid());
  model *m = lookup_model();
  strcpy(m->layers[0].heads[0].name, "quote \" and \\ and \t and \xc3\xa9");
  char err[512] = "";
  bool saved = model_save(m, tmp_path, err, sizeof err);
  model *back = saved ? model_load(tmp_path, err, sizeof err) : NULL;
  tap_ok(back && same_model(m, back), "save then load gives the same model %s",
         err);
  if (back) {
    int prompt[16], n = lookup_prompt(back, "A:2 B:5 C:9", 'C', prompt);
    int_vec out = {0};
    char msg[256] = "";
    tap_ok(decode_both(back, prompt, n, 4, &out, msg, sizeof msg) &&
               out.n == 1 && out.v[0] == val_token(back, 10),
           "the loaded model decodes lookup[C] + 1 = 10");
    VEC_FREE(out);
  }
  model_free(back);

  size_t size = 0;
  unsigned char *buf = slurp(tmp_path, &size);
  int refused = 0;
  for (size_t cut = 0; cut < size; cut++) {
    spit(tmp_path2, buf, cut);
    model *t = model_load(tmp_path2, err, sizeof err);
    if (!t) refused++;
    model_free(t);
  }
  tap_ok(refused == (int)size, "every truncation (%zu of them) is refused",
         size);
  /* single-byte corruption anywhere: refused, or loaded and valid */
  int loaded = 0, invalid = 0;
  uint64_t s = 12345;
  for (int i = 0; i < 3000; i++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    size_t at = (size_t)(s >> 33) % size;
    unsigned char save = buf[at];
    buf[at] = (unsigned char)(s >> 13);
    spit(tmp_path2, buf, size);
    buf[at] = save;
    model *t = model_load(tmp_path2, err, sizeof err);
    if (t) {
      loaded++;
      if (!model_validate(t, err, sizeof err)) invalid++;
    }
    model_free(t);
  }
  tap_ok(invalid == 0, "3000 random byte corruptions: %d load (data bytes), "
         "none invalid, none crash", loaded);
  free(buf);

  struct {
    const char *find, *repl, *want;
  } bad[] = {
      {"\"tvl.format\":\"1\"", "\"tvl.format\":\"2\"", "tvl.format"},
      {"\"__metadata__\":{", "\"__metadata__\":{{", "bad JSON in header"},
      {"\"layers.0.ffn.w_up\"", "\"layers.0.ffn.w_uq\"",
       "missing tensor layers.0.ffn.w_up"},
      {"\"shape\":[8,10]", "\"shape\":[8,11]", "tok_embed.proj: dimension 1"},
      {"\"F64\"", "\"F32\"", "dtype must be F64"},
      {"\"data_offsets\":[0,", "\"data_offsets\":[8,", "belong to no tensor"},
      /* the safetensors rules: no overlap, no hole */
      {"\"pos_embed.proj\":{", "\"zzz\":{\"dtype\":\"F64\",\"shape\":[1],"
       "\"data_offsets\":[0,8]},\"pos_embed.proj\":{", "overlap"},
      {"\"data_offsets\":[0,", "\"data_offsets\":[0,0]},\"zzz\":{\"dtype\":"
       "\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},\"zz2\":{\"dtype\":"
       "\"F64\",\"shape\":[1],\"data_offsets\":[0,", "overlap"},
      {"\"tvl.d_model\":\"8\"", "\"tvl.d_model\":\"9\"", "dimension"},
      {"\\\"count\\\":32", "\\\"count\\\":33", "tok_embed.value"},
      {"\\\"tie\\\":\\\"latest\\\"", "\\\"tie\\\":\\\"biggest\\\"",
       "tie (latest or average)"},
      {"\\\"mask_slot\\\":5", "\\\"mask_slot\\\":99", "mask_slot"},
      {"\"pos_embed.proj\":{", "\"zzz\":{\"dtype\":\"F64\",\"shape\":[0],"
       "\"data_offsets\":[0,0]},\"pos_embed.proj\":{", "unexpected tensor zzz"},
      {"\"tvl.vocab\":\"[", "\"tvl.vocab\":\"[[", "bad JSON in tvl.vocab"},
      {"\"tvl.format\":\"1\"", "\"tvl.format\":1", "is not a string"},
      {"\\\"first\\\":16", "\\\"first\\\":15", "ranges must tile"},
      {"{\\\"program", "[\\\"program", "tvl.meta"},
  };
  int nbad = (int)(sizeof bad / sizeof *bad), caught = 0;
  for (int i = 0; i < nbad; i++) {
    rewrite_header(bad[i].find, bad[i].repl);
    if (load_fails(bad[i].want, err, sizeof err)) caught++;
    else tap_diag("corruption %d (%s): got \"%s\"", i, bad[i].repl, err);
  }
  tap_ok(caught == nbad, "%d of %d corrupt headers refused with the right "
         "message", caught, nbad);

  unsigned char huge[16] = {0, 0, 0, 0, 0, 0, 0, 0x10, '{', '}'};
  spit(tmp_path2, huge, 10);
  tap_ok(load_fails("header length", err, sizeof err),
         "an absurd header length is refused: %s", err);
  strbuf deep;
  sb_init(&deep);
  unsigned char z8[8] = {0};
  sb_putn(&deep, (const char *)z8, 8);
  for (int i = 0; i < 100000; i++) sb_putc(&deep, '[');
  for (int k = 0; k < 8; k++) deep.s[k] = (char)((uint64_t)100000 >> (8 * k));
  spit(tmp_path2, (unsigned char *)deep.s, deep.n);
  sb_free(&deep);
  tap_ok(load_fails("nested too deeply", err, sizeof err),
         "deeply nested JSON is refused: %s", err);
  remove(tmp_path2);
  tap_ok(load_fails("No such file", err, sizeof err),
         "a missing file is refused: %s", err);
  remove(tmp_path);

  free(m->meta_json);
  m->meta_json = xstrdup("[1, 2]");
  tap_ok(!model_save(m, tmp_path, err, sizeof err) &&
             strstr(err, "not a JSON object"),
         "model_save refuses meta_json that is not an object: %s", err);
  model_free(m);
}


/* ---- the FFN matrices held sparse ----------------------------------------
 *
 * Random edits (add, put, set; values that cancel, -0) against a dense
 * mirror doing the same float64 operations: every entry equals the
 * mirror's, bit for bit, before and after the merge, and no +0 is held.
 * A model with edits not merged is invalid; a non-finite FFN weight is
 * named by its index in the dense matrix; a -0 survives a file. */
enum { SP_D = 7, SP_N = 5 };

static bool same_bits(double a, double b) { return !memcmp(&a, &b, sizeof a); }

static bool sp_matches(const model_layer *l, double (*mirror)[SP_N][SP_D],
                       bool *held_zero) {
  double row[SP_D];
  bool ok = true;
  *held_zero = false;
  for (int k = 0; k < FFN_MATS; k++)
    for (int j = 0; j < SP_N; j++) {
      model_ffn_unit(l, k, j, SP_D, row);
      for (int s = 0; s < SP_D; s++)
        ok = ok && same_bits(row[s], mirror[k][j][s]) &&
             same_bits(model_ffn_get(l, k, j, s), mirror[k][j][s]);
      const model_ffn *f = &l->ffn[k];
      for (int64_t q = f->start[j]; q < f->start[j + 1]; q++)
        *held_zero = *held_zero || same_bits(f->w[q], 0.0);
    }
  return ok;
}

static void test_ffn_sparse(void) {
  vocab_range r[1] = {{"VAL", 0, 4, 0, false}};
  static const double vals[] = {1, -1, 0.5, 0.25, -0.0, 0.0, 3, 1e300, -1e300};
  int nv = (int)(sizeof vals / sizeof *vals), bad = 0, zeros = 0, rounds = 200;
  uint64_t rng = 99;
  for (int round = 0; round < rounds; round++) {
    model *m = model_new(SP_D, 1, r, 1);
    model_layer_alloc(m, 0, 0, NULL, SP_N);
    model_layer *l = &m->layers[0];
    double mirror[FFN_MATS][SP_N][SP_D];
    memset(mirror, 0, sizeof mirror);
    for (int e = 0; e < 40; e++) {
      rng = rng * 6364136223846793005ull + 1442695040888963407ull;
      int k = (int)(rng >> 60) % FFN_MATS, j = (int)(rng >> 50) % SP_N,
          sl = (int)(rng >> 40) % SP_D, op = (int)(rng >> 33) % 3;
      double w = vals[(rng >> 20) % (uint64_t)nv];
      if (op == 0) {
        model_ffn_add(l, k, j, sl, w);
        mirror[k][j][sl] += w;
      } else {
        if (op == 1) model_ffn_put(l, k, j, sl, w);
        else model_ffn_set(l, k, j, sl, w);
        mirror[k][j][sl] = w;
      }
    }
    bool held0;
    bool ok = sp_matches(l, mirror, &held0);
    model_ffn_finish(l);
    ok = ok && sp_matches(l, mirror, &held0);
    bad += !ok;
    zeros += held0;
    model_free(m);
  }
  tap_ok(bad == 0 && zeros == 0, "sparse FFN edits equal dense ones bit for "
         "bit: %d of %d rounds differ, %d hold a +0", bad, rounds, zeros);

  model *m = lookup_model();
  char err[256] = "";
  model_ffn_add(&m->layers[0], FFN_UP, 0, 2, 1);
  bool refused = !model_validate(m, err, sizeof err) &&
                 strstr(err, "layer 0 w_up has edits not merged");
  tap_ok(refused, "a model with FFN edits not merged is invalid: %s", err);
  model_free(m);

  m = model_new(SP_D, 1, r, 1);
  model_layer_alloc(m, 0, 0, NULL, SP_N);
  model_ffn_set(&m->layers[0], FFN_DOWN, 3, 4, NAN);
  model_ffn_set(&m->layers[0], FFN_DOWN, 4, 1, INFINITY);
  model_ffn_set(&m->layers[0], FFN_DOWN, 0, 2, NAN);
  bool named = !model_validate(m, err, sizeof err) &&
               !strcmp(err, "layer 0 w_down has a non-finite entry at index 9");
  model_ffn_set(&m->layers[0], FFN_DOWN, 3, 4, 0);
  model_ffn_set(&m->layers[0], FFN_DOWN, 4, 1, 0);
  model_ffn_set(&m->layers[0], FFN_DOWN, 0, 2, 0);
  model_ffn_set(&m->layers[0], FFN_GATE, 2, 6, -INFINITY);
  named = named && !model_validate(m, err, sizeof err) &&
          !strcmp(err, "layer 0 w_gate has a non-finite entry at index 20");
  tap_ok(named, "a non-finite FFN weight is named by its dense index: %s",
         err);
  model_free(m);

  char path[256];
  snprintf(path, sizeof path, "test-exec-%d-sparse.safetensors", (int)getpid());
  err[0] = 0;
  m = lookup_model();
  model_ffn_set(&m->layers[0], FFN_DOWN, 0, 1, -0.0);
  model_ffn_set(&m->layers[0], FFN_GATE, 0, 3, -0.0);
  model *back = model_save(m, path, err, sizeof err)
                    ? model_load(path, err, sizeof err) : NULL;
  tap_ok(back && same_model(m, back) &&
             signbit(model_ffn_get(&back->layers[0], FFN_DOWN, 0, 1)) &&
             model_ffn_count(&back->layers[0], FFN_DOWN) == 2,
         "an FFN weight of -0 survives save and load %s", err);
  model_free(back);
  model_free(m);
  remove(path);
  m = random_model(7);
  back = model_save(m, path, err, sizeof err) ? model_load(path, err, sizeof err)
                                              : NULL;
  tap_ok(back && same_model(m, back), "a random model's FFN survives save "
         "and load %s", err);
  model_free(back);
  model_free(m);
  remove(path);
}


int main(void) {
  (void)random_prompt;   /* mkmodel.c's, used by test-exec */
  test_ffn_sparse();
  test_errors();
  test_validate();
  test_files();
  tap_plan(tap_n);
  return tap_done();
}
