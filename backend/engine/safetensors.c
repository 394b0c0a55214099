/* safetensors.c - model files: model_save and model_load.
 *
 * The format (docs/model-format.md): an 8-byte little-endian header
 * length, a JSON header naming every tensor (dtype, shape, byte offsets)
 * with string-to-string __metadata__, then the raw little-endian tensor
 * bytes.  A load trusts nothing in the file: every size is checked against
 * the bytes actually there before anything is allocated, so a corrupt or
 * hostile file gives an error, never a crash or a huge allocation.
 *
 * Ownership: parsed JSON lives in an arena freed before returning; the
 * loaded model is the caller's (model_free).
 */
#include "config.h"

#include "backend/engine/engine.h"

/* tvl.pos_features: the names of posfeat(p), in order (engine.h). */
#define POS_FEATURES "p,r,r2,rm1,rm2"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum {
  /* bytes of JSON header (docs/model-format.md): the parse takes up to
   * ~40 bytes per byte of header, so 16 MB bounds it near 640 MB; tvl's
   * own headers are kilobytes */
  ST_MAX_HEADER = 16 << 20,
  JSON_MAX_DEPTH = 64,
};

/* ---- errors -------------------------------------------------------------- */

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

/* ---- a small JSON reader ---------------------------------------------------- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jval jval;
struct jval {
  jtype t;
  bool b;
  bool is_int;      /* J_NUM written as an integer that fits int64 */
  int64_t i;
  double num;
  char *s;          /* J_STR, NUL-terminated (no NUL inside) */
  int n;            /* items of J_ARR / J_OBJ */
  jval **items;
  char **keys;      /* J_OBJ */
};

typedef struct {
  const char *p, *end;
  arena *a;
  char *err;
  size_t errlen;
  const char *what;  /* "header", "tvl.vocab", ... */
  const char *start;
} jparser;

static bool jfail(jparser *j, const char *msg) {
  return fail(j->err, j->errlen, "bad JSON in %s at byte %td: %s", j->what,
              j->p - j->start, msg);
}

static void skip_ws(jparser *j) {
  while (j->p < j->end &&
         (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
    j->p++;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static bool read_hex4(jparser *j, unsigned *out) {
  if (j->end - j->p < 4) return jfail(j, "short \\u escape");
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    int h = hexval(j->p[k]);
    if (h < 0) return jfail(j, "bad \\u escape");
    v = v * 16 + (unsigned)h;
  }
  j->p += 4;
  *out = v;
  return true;
}

static void put_utf8(strbuf *b, unsigned c) {
  if (c < 0x80) {
    sb_putc(b, (char)c);
  } else if (c < 0x800) {
    sb_putc(b, (char)(0xC0 | (c >> 6)));
    sb_putc(b, (char)(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    sb_putc(b, (char)(0xE0 | (c >> 12)));
    sb_putc(b, (char)(0x80 | ((c >> 6) & 0x3F)));
    sb_putc(b, (char)(0x80 | (c & 0x3F)));
  } else {
    sb_putc(b, (char)(0xF0 | (c >> 18)));
    sb_putc(b, (char)(0x80 | ((c >> 12) & 0x3F)));
    sb_putc(b, (char)(0x80 | ((c >> 6) & 0x3F)));
    sb_putc(b, (char)(0x80 | (c & 0x3F)));
  }
}

static bool read_escape(jparser *j, strbuf *b) {
  char c = *j->p++;
  const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
  const char *k = c ? strchr(from, c) : NULL;
  if (k) {
    sb_putc(b, to[k - from]);
    return true;
  }
  if (c != 'u') return jfail(j, "bad escape");
  unsigned u;
  if (!read_hex4(j, &u)) return false;
  if (u >= 0xD800 && u < 0xDC00) { /* a surrogate pair */
    unsigned lo;
    if (j->end - j->p < 2 || j->p[0] != '\\' || j->p[1] != 'u')
      return jfail(j, "lone surrogate");
    j->p += 2;
    if (!read_hex4(j, &lo)) return false;
    if (lo < 0xDC00 || lo > 0xDFFF) return jfail(j, "bad surrogate pair");
    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
  } else if (u >= 0xDC00 && u <= 0xDFFF) {
    return jfail(j, "lone surrogate");
  }
  if (u == 0) return jfail(j, "NUL in a string");
  put_utf8(b, u);
  return true;
}

static bool read_string(jparser *j, char **out) {
  j->p++; /* the opening quote */
  strbuf b;
  sb_init(&b);
  bool ok = false;
  for (;;) {
    if (j->p >= j->end) {
      jfail(j, "unterminated string");
      break;
    }
    unsigned char c = (unsigned char)*j->p;
    if (c == '"') {
      j->p++;
      ok = true;
      break;
    }
    if (c < 0x20) {
      jfail(j, "control character in a string");
      break;
    }
    if (c == '\\') {
      j->p++;
      if (j->p >= j->end) {
        jfail(j, "unterminated escape");
        break;
      }
      if (!read_escape(j, &b)) break;
      continue;
    }
    int len = utf8_seq_len((const unsigned char *)j->p, (size_t)(j->end - j->p));
    if (len == 0) {
      jfail(j, "invalid UTF-8");
      break;
    }
    sb_putn(&b, j->p, (size_t)len);
    j->p += len;
  }
  if (ok) *out = arena_strndup(j->a, b.s ? b.s : "", b.n);
  sb_free(&b);
  return ok;
}

static bool read_number(jparser *j, jval *v) {
  const char *s = j->p;
  if (j->p < j->end && *j->p == '-') j->p++;
  const char *digits = j->p;
  while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
  if (j->p == digits) return jfail(j, "bad number");
  if (*digits == '0' && j->p - digits > 1) return jfail(j, "leading zero");
  bool integral = true;
  if (j->p < j->end && *j->p == '.') {
    integral = false;
    j->p++;
    const char *f = j->p;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    if (j->p == f) return jfail(j, "bad fraction");
  }
  if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
    integral = false;
    j->p++;
    if (j->p < j->end && (*j->p == '+' || *j->p == '-')) j->p++;
    const char *f = j->p;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    if (j->p == f) return jfail(j, "bad exponent");
  }
  char buf[64];
  size_t len = (size_t)(j->p - s);
  if (len >= sizeof buf) {
    integral = false; /* far too long for an int64 anyway */
    v->num = s[0] == '-' ? -HUGE_VAL : HUGE_VAL;
  } else {
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    v->num = strtod(buf, NULL);
    if (integral) {
      errno = 0;
      long long ll = strtoll(buf, NULL, 10);
      if (errno == 0) {
        v->is_int = true;
        v->i = ll;
      }
    }
  }
  v->t = J_NUM;
  return true;
}

static bool read_value(jparser *j, jval *v, int depth);

static bool read_container(jparser *j, jval *v, int depth, bool obj) {
  VEC(jval *) items = {0};
  VEC(char *) keys = {0};
  char close = obj ? '}' : ']';
  j->p++;
  skip_ws(j);
  bool ok = true;
  if (j->p < j->end && *j->p == close) {
    j->p++;
  } else {
    for (;;) {
      skip_ws(j);
      if (obj) {
        char *k;
        if (j->p >= j->end || *j->p != '"') {
          ok = jfail(j, "expected a key");
          break;
        }
        if (!read_string(j, &k)) {
          ok = false;
          break;
        }
        VEC_PUSH(keys, k);
        skip_ws(j);
        if (j->p >= j->end || *j->p != ':') {
          ok = jfail(j, "expected ':'");
          break;
        }
        j->p++;
      }
      jval *item = arena_alloc(j->a, sizeof *item);
      if (!read_value(j, item, depth + 1)) {
        ok = false;
        break;
      }
      VEC_PUSH(items, item);
      skip_ws(j);
      if (j->p < j->end && *j->p == ',') {
        j->p++;
        continue;
      }
      if (j->p < j->end && *j->p == close) {
        j->p++;
        break;
      }
      ok = jfail(j, obj ? "expected ',' or '}'" : "expected ',' or ']'");
      break;
    }
  }
  if (ok) {
    v->t = obj ? J_OBJ : J_ARR;
    v->n = items.n;
    v->items = arena_alloc(j->a, (size_t)items.n * sizeof *v->items + 1);
    if (items.n) memcpy(v->items, items.v, (size_t)items.n * sizeof *v->items);
    if (obj) {
      v->keys = arena_alloc(j->a, (size_t)keys.n * sizeof *v->keys + 1);
      if (keys.n) memcpy(v->keys, keys.v, (size_t)keys.n * sizeof *v->keys);
    }
  }
  VEC_FREE(items);
  VEC_FREE(keys);
  return ok;
}

static bool literal(jparser *j, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n)) return false;
  j->p += n;
  return true;
}

static bool read_value(jparser *j, jval *v, int depth) {
  if (depth > JSON_MAX_DEPTH) return jfail(j, "nested too deeply");
  skip_ws(j);
  if (j->p >= j->end) return jfail(j, "unexpected end");
  char c = *j->p;
  memset(v, 0, sizeof *v);
  if (c == '{' || c == '[') return read_container(j, v, depth, c == '{');
  if (c == '"') {
    v->t = J_STR;
    return read_string(j, &v->s);
  }
  if (c == '-' || (c >= '0' && c <= '9')) return read_number(j, v);
  if (literal(j, "true") || literal(j, "false")) {
    v->t = J_BOOL;
    v->b = c == 't';
    return true;
  }
  if (literal(j, "null")) {
    v->t = J_NULL;
    return true;
  }
  return jfail(j, "unexpected character");
}

static jval *json_parse(arena *a, const char *s, size_t n, const char *what,
                        char *err, size_t errlen) {
  jparser j = {s, s + n, a, err, errlen, what, s};
  jval *v = arena_alloc(a, sizeof *v);
  if (!read_value(&j, v, 0)) return NULL;
  skip_ws(&j);
  if (j.p != j.end) {
    jfail(&j, "trailing bytes");
    return NULL;
  }
  return v;
}

static jval *jget(const jval *o, const char *key) {
  if (!o || o->t != J_OBJ) return NULL;
  for (int i = 0; i < o->n; i++)
    if (!strcmp(o->keys[i], key)) return o->items[i];
  return NULL;
}

/* ---- writing ---------------------------------------------------------------- */

static bool utf8_ok(const char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    int len = utf8_seq_len((const unsigned char *)s + i, n - i);
    if (!len) return false;
    i += (size_t)len;
  }
  return true;
}

static void json_str(strbuf *b, const char *s) {
  sb_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      sb_putc(b, '\\');
      sb_putc(b, (char)*p);
    } else if (*p < 0x20) {
      sb_printf(b, "\\u%04x", *p);
    } else {
      sb_putc(b, (char)*p);
    }
  }
  sb_putc(b, '"');
}

typedef enum { DT_F64, DT_I32 } dtype;

typedef struct {
  char name[64];
  dtype dt;
  int64_t shape[2];
  int rank;
  const double *f64;   /* DT_F64 */
  const int32_t *i32;  /* DT_I32 */
  int64_t count;
  /* DT_F64 from an FFN matrix held by unit (engine.h model_ffn), written
   * dense: rows units (W_gate, W_up) or, by_slot, rows slots (W_down) */
  const model_ffn *ffn;
  int units, d;
  bool by_slot;
} out_tensor;

typedef VEC(out_tensor) tensor_list;

static void add_f64(tensor_list *ts, const char *name, const double *a,
                    int64_t rows, int64_t cols, int rank) {
  out_tensor t = {.dt = DT_F64, .shape = {rows, cols}, .rank = rank,
                  .f64 = a, .count = rank == 1 ? rows : rows * cols};
  snprintf(t.name, sizeof t.name, "%s", name);
  VEC_PUSH(*ts, t);
}

static void add_ffn(tensor_list *ts, const char *name, const model_layer *ly,
                    int mat, int d) {
  bool down = mat == FFN_DOWN;
  out_tensor t = {.dt = DT_F64,
                  .shape = {down ? d : ly->n_ffn, down ? ly->n_ffn : d},
                  .rank = 2, .count = (int64_t)ly->n_ffn * d,
                  .ffn = &ly->ffn[mat], .units = ly->n_ffn, .d = d,
                  .by_slot = down};
  snprintf(t.name, sizeof t.name, "%s", name);
  VEC_PUSH(*ts, t);
}

static void meta_vocab(strbuf *b, const model *m) {
  sb_putc(b, '[');
  for (int r = 0; r < m->n_ranges; r++) {
    const vocab_range *vr = &m->ranges[r];
    sb_puts(b, r ? ",{\"role\":" : "{\"role\":");
    json_str(b, vr->role);
    sb_printf(b, ",\"first\":%d,\"count\":%d,\"value0\":%" PRId64
              ",\"stop\":%s}", vr->first, vr->count, vr->value0,
              vr->stop ? "true" : "false");
  }
  sb_putc(b, ']');
}

static void meta_heads(strbuf *b, const model *m) {
  sb_putc(b, '[');
  for (int l = 0; l < m->n_layers; l++) {
    const model_layer *ly = &m->layers[l];
    sb_puts(b, l ? ",[" : "[");
    for (int h = 0; h < ly->n_heads; h++) {
      const model_head *hd = &ly->heads[h];
      sb_puts(b, h ? ",{\"name\":" : "{\"name\":");
      json_str(b, hd->name);
      sb_printf(b, ",\"tie\":\"%s\",\"mask_slot\":%d,\"dv\":%d",
                hd->tie == TIE_LATEST ? "latest" : "average", hd->mask_slot,
                hd->dv);
      if (hd->live_router >= 0) {
        sb_printf(b, ",\"live\":{\"router\":%d,\"experts\":[", hd->live_router);
        for (int k = 0; k < hd->n_live; k++)
          sb_printf(b, k ? ",%d" : "%d", (int)hd->live[k]);
        sb_puts(b, "]}");
      }
      sb_putc(b, '}');
    }
    sb_putc(b, ']');
  }
  sb_putc(b, ']');
}

/* {"holds":true,"why":"...","routers":[{"name":"cur","layer":2,
 * "experts":12}]} */
static void meta_routing(strbuf *b, const model_routing *rt) {
  sb_printf(b, "{\"holds\":%s,\"why\":", rt->holds ? "true" : "false");
  json_str(b, rt->why);
  sb_puts(b, ",\"routers\":[");
  for (int r = 0; r < rt->n_routers; r++) {
    const model_router *ro = &rt->routers[r];
    sb_puts(b, r ? ",{\"name\":" : "{\"name\":");
    json_str(b, ro->name);
    sb_printf(b, ",\"layer\":%d,\"experts\":%d}", ro->layer, ro->n_experts);
  }
  sb_puts(b, "]}");
}

static void meta_pair(strbuf *b, const char *key, const char *value,
                      bool *first) {
  if (!*first) sb_putc(b, ',');
  *first = false;
  json_str(b, key);
  sb_putc(b, ':');
  json_str(b, value);
}

static void build_metadata(strbuf *h, const model *m) {
  strbuf v;
  sb_init(&v);
  bool first = true;
  sb_puts(h, "\"__metadata__\":{");
  meta_pair(h, "tvl.format", "1", &first);
  sb_printf(&v, "%d", m->d_model);
  meta_pair(h, "tvl.d_model", v.s, &first);
  sb_clear(&v);
  sb_printf(&v, "%d", m->n_layers);
  meta_pair(h, "tvl.n_layers", v.s, &first);
  sb_clear(&v);
  meta_vocab(&v, m);
  meta_pair(h, "tvl.vocab", v.s, &first);
  sb_clear(&v);
  meta_heads(&v, m);
  meta_pair(h, "tvl.heads", v.s, &first);
  meta_pair(h, "tvl.pos_features", POS_FEATURES, &first);
  sb_clear(&v);
  sb_printf(&v, "%d", POS_RING_N);
  meta_pair(h, "tvl.pos_ring", v.s, &first);
  if (m->slot_names) {
    sb_clear(&v);
    sb_putc(&v, '[');
    for (int i = 0; i < m->d_model; i++) {
      if (i) sb_putc(&v, ',');
      json_str(&v, m->slot_names[i]);
    }
    sb_putc(&v, ']');
    meta_pair(h, "tvl.slot_names", v.s, &first);
  }
  if (m->meta_json) meta_pair(h, "tvl.meta", m->meta_json, &first);
  if (m->routing) {
    sb_clear(&v);
    meta_routing(&v, m->routing);
    meta_pair(h, "tvl.routing", v.s, &first);
  }
  sb_putc(h, '}');
  sb_free(&v);
}

static void put_le(unsigned char *p, uint64_t v, int n) {
  for (int k = 0; k < n; k++) p[k] = (unsigned char)(v >> (8 * k));
}

static uint64_t get_le(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int k = n - 1; k >= 0; k--) v = (v << 8) | p[k];
  return v;
}

static bool write_ffn(FILE *f, const out_tensor *t);

static bool write_tensor(FILE *f, const out_tensor *t) {
  if (t->ffn) return write_ffn(f, t);
  unsigned char buf[8 * 512];
  int per = t->dt == DT_F64 ? 8 : 4, fill = 0;
  for (int64_t i = 0; i < t->count; i++) {
    uint64_t bits;
    if (t->dt == DT_F64) memcpy(&bits, &t->f64[i], 8);
    else bits = (uint32_t)t->i32[i];
    put_le(buf + fill, bits, per);
    fill += per;
    if (fill == (int)sizeof buf || i + 1 == t->count) {
      if (fwrite(buf, 1, (size_t)fill, f) != (size_t)fill) return false;
      fill = 0;
    }
  }
  return true;
}

/* An FFN matrix, dense, row by row: a row of zeros gets the row's
 * entries, is written, and is zeroed again.  By slot (W_down, d x n), the
 * entries are first grouped by slot, each slot's by increasing unit. */
static bool write_ffn(FILE *f, const out_tensor *t) {
  const model_ffn *m = t->ffn;
  int n = t->units, d = t->d, rows = t->by_slot ? d : n, cols = t->by_slot ? n : d;
  int64_t nnz = m->start[n];
  int64_t *start = m->start;
  int32_t *idx = m->slot;
  double *w = m->w;
  if (t->by_slot) {
    start = xcalloc((size_t)d + 2, sizeof *start);
    idx = xmalloc(((size_t)nnz + 1) * sizeof *idx);
    w = xmalloc(((size_t)nnz + 1) * sizeof *w);
    for (int64_t q = 0; q < nnz; q++) start[m->slot[q] + 1]++;
    for (int i = 0; i < d; i++) start[i + 1] += start[i];
    int64_t *fill = xmalloc(((size_t)d + 1) * sizeof *fill);
    memcpy(fill, start, ((size_t)d + 1) * sizeof *fill);
    for (int j = 0; j < n; j++)
      for (int64_t q = m->start[j]; q < m->start[j + 1]; q++) {
        int64_t at = fill[m->slot[q]]++;
        idx[at] = j;
        w[at] = m->w[q];
      }
    free(fill);
  }
  double *row = xcalloc((size_t)cols + 1, sizeof *row);
  unsigned char *buf = xmalloc(8 * (size_t)cols + 8);
  bool ok = true;
  for (int i = 0; ok && i < rows; i++) {
    for (int64_t q = start[i]; q < start[i + 1]; q++) row[idx[q]] = w[q];
    for (int j = 0; j < cols; j++) {
      uint64_t bits;
      memcpy(&bits, &row[j], 8);
      put_le(buf + 8 * (size_t)j, bits, 8);
    }
    ok = fwrite(buf, 1, 8 * (size_t)cols, f) == 8 * (size_t)cols;
    for (int64_t q = start[i]; q < start[i + 1]; q++) row[idx[q]] = 0.0;
  }
  free(row);
  free(buf);
  if (t->by_slot) {
    free(start);
    free(idx);
    free(w);
  }
  return ok;
}

static bool strings_ok(const model *m, char *err, size_t errlen) {
  for (int r = 0; r < m->n_ranges; r++)
    if (!utf8_ok(m->ranges[r].role))
      return fail(err, errlen, "range %d: the role is not UTF-8", r);
  for (int l = 0; l < m->n_layers; l++)
    for (int h = 0; h < m->layers[l].n_heads; h++)
      if (!utf8_ok(m->layers[l].heads[h].name))
        return fail(err, errlen, "layer %d head %d: the name is not UTF-8", l,
                    h);
  for (int i = 0; m->slot_names && i < m->d_model; i++)
    if (!utf8_ok(m->slot_names[i]))
      return fail(err, errlen, "slot %d: the name is not UTF-8", i);
  if (m->meta_json) {
    arena a;
    arena_init(&a);
    jval *v = json_parse(&a, m->meta_json, strlen(m->meta_json), "meta_json",
                         err, errlen);
    bool ok = v && v->t == J_OBJ;
    if (v && !ok) fail(err, errlen, "meta_json is not a JSON object");
    arena_free(&a);
    if (!ok) return false;
  }
  return true;
}

static void collect_tensors(const model *m, tensor_list *ts, int32_t *role,
                            double *value) {
  int d = m->d_model, R = m->n_ranges;
  add_f64(ts, "tok_embed.proj", m->p_in, d, 2 * R, 2);
  for (int t = 0; t < m->vocab_size; t++) {
    role[t] = model_token_range(m, t);
    value[t] = (double)model_token_value(m, t);
  }
  out_tensor rt = {.name = "tok_embed.role", .dt = DT_I32,
                   .shape = {m->vocab_size, 0}, .rank = 1, .i32 = role,
                   .count = m->vocab_size};
  VEC_PUSH(*ts, rt);
  add_f64(ts, "tok_embed.value", value, m->vocab_size, 0, 1);
  add_f64(ts, "pos_embed.proj", m->p_pos, d, POS_NFEAT, 2);
  add_f64(ts, "unembed.proj", m->p_out, 3 * R, d, 2);
  char nm[64];
  for (int l = 0; l < m->n_layers; l++) {
    const model_layer *ly = &m->layers[l];
    for (int h = 0; h < ly->n_heads; h++) {
      const model_head *hd = &ly->heads[h];
      snprintf(nm, sizeof nm, "layers.%d.attn.%d.w_q", l, h);
      add_f64(ts, nm, hd->wq, 2, d, 2);
      snprintf(nm, sizeof nm, "layers.%d.attn.%d.w_k", l, h);
      add_f64(ts, nm, hd->wk, 2, d, 2);
      snprintf(nm, sizeof nm, "layers.%d.attn.%d.w_v", l, h);
      add_f64(ts, nm, hd->wv, hd->dv, d, 2);
      snprintf(nm, sizeof nm, "layers.%d.attn.%d.w_o", l, h);
      add_f64(ts, nm, hd->wo, d, hd->dv, 2);
    }
    snprintf(nm, sizeof nm, "layers.%d.ffn.w_gate", l);
    add_ffn(ts, nm, ly, FFN_GATE, d);
    snprintf(nm, sizeof nm, "layers.%d.ffn.w_up", l);
    add_ffn(ts, nm, ly, FFN_UP, d);
    snprintf(nm, sizeof nm, "layers.%d.ffn.w_down", l);
    add_ffn(ts, nm, ly, FFN_DOWN, d);
    if (m->routing) {
      out_tensor ro = {.dt = DT_I32, .shape = {ly->n_ffn, 2}, .rank = 2,
                       .i32 = ly->ffn_route, .count = 2 * (int64_t)ly->n_ffn};
      snprintf(ro.name, sizeof ro.name, "layers.%d.ffn.route", l);
      VEC_PUSH(*ts, ro);
      int32_t np = ly->ffn_live ? ly->ffn_live[ly->n_ffn] : 0;
      if (np > 0) {
        out_tensor li = {.dt = DT_I32, .shape = {ly->n_ffn + 1}, .rank = 1,
                         .i32 = ly->ffn_live, .count = (int64_t)ly->n_ffn + 1};
        snprintf(li.name, sizeof li.name, "layers.%d.ffn.live_index", l);
        VEC_PUSH(*ts, li);
        out_tensor lp = {.dt = DT_I32, .shape = {np, 2}, .rank = 2,
                         .i32 = ly->ffn_live_set, .count = 2 * (int64_t)np};
        snprintf(lp.name, sizeof lp.name, "layers.%d.ffn.live_pairs", l);
        VEC_PUSH(*ts, lp);
      }
      bool fam = false;
      for (int j = 0; ly->ffn_family && j < ly->n_ffn; j++) fam |= ly->ffn_family[j] >= 0;
      if (fam) {
        out_tensor fa = {.dt = DT_I32, .shape = {ly->n_ffn}, .rank = 1,
                         .i32 = ly->ffn_family, .count = (int64_t)ly->n_ffn};
        snprintf(fa.name, sizeof fa.name, "layers.%d.ffn.family", l);
        VEC_PUSH(*ts, fa);
      }
    }
  }
  for (int r = 0; m->routing && r < m->routing->n_routers; r++) {
    snprintf(nm, sizeof nm, "routing.%d.w", r);
    add_f64(ts, nm, m->routing->routers[r].w, 1, d, 2);
  }
}

bool model_save(const model *m, const char *path, char *err, size_t errlen) {
  if (!model_validate(m, err, errlen) || !strings_ok(m, err, errlen))
    return false;
  tensor_list ts = {0};
  int32_t *role = xmalloc((size_t)m->vocab_size * sizeof *role);
  double *value = xmalloc((size_t)m->vocab_size * sizeof *value);
  collect_tensors(m, &ts, role, value);
  strbuf h;
  sb_init(&h);
  sb_putc(&h, '{');
  build_metadata(&h, m);
  uint64_t off = 0;
  for (int i = 0; i < ts.n; i++) {
    const out_tensor *t = &ts.v[i];
    uint64_t bytes = (uint64_t)t->count * (t->dt == DT_F64 ? 8 : 4);
    sb_printf(&h, ",\"%s\":{\"dtype\":\"%s\",\"shape\":[", t->name,
              t->dt == DT_F64 ? "F64" : "I32");
    for (int k = 0; k < t->rank; k++)
      sb_printf(&h, k ? ",%" PRId64 : "%" PRId64, t->shape[k]);
    sb_printf(&h, "],\"data_offsets\":[%" PRIu64 ",%" PRIu64 "]}", off,
              off + bytes);
    off += bytes;
  }
  sb_putc(&h, '}');
  while (h.n % 8) sb_putc(&h, ' '); /* keeps the data 8-byte aligned */

  /* a new file beside the target, renamed over it (base/safefile.c) */
  safe_file sf;
  FILE *f = safe_open(&sf, path, 0644);
  bool ok = f != NULL;
  if (ok) {
    unsigned char len[8];
    put_le(len, h.n, 8);
    ok = fwrite(len, 1, 8, f) == 8 && fwrite(h.s, 1, h.n, f) == h.n;
    for (int i = 0; ok && i < ts.n; i++) ok = write_tensor(f, &ts.v[i]);
    if (ok) ok = safe_commit(&sf);
    else {
      int e = errno;
      safe_abort(&sf);
      errno = e;
    }
  }
  if (!ok) fail(err, errlen, "%s: cannot write: %s", path, strerror(errno));
  sb_free(&h);
  VEC_FREE(ts);
  free(role);
  free(value);
  return ok;
}

/* ---- loading ---------------------------------------------------------------- */

typedef struct {
  const char *name;
  const jval *info;
  bool used;
} in_tensor;

typedef struct {
  const unsigned char *data;
  uint64_t data_len;
  in_tensor *t;
  int n;
  char *err;
  size_t errlen;
} loader;

static int cmp_tensor(const void *a, const void *b) {
  return strcmp(((const in_tensor *)a)->name, ((const in_tensor *)b)->name);
}

static bool jint(const jval *v, int64_t lo, int64_t hi, int64_t *out) {
  if (!v || v->t != J_NUM || !v->is_int || v->i < lo || v->i > hi)
    return false;
  *out = v->i;
  return true;
}

static bool has_tensor(const loader *L, const char *name) {
  in_tensor key = {name, NULL, false};
  return L->n && bsearch(&key, L->t, (size_t)L->n, sizeof *L->t, cmp_tensor);
}

/* Finds a tensor, checks its dtype and shape, and returns its bytes. */
static const unsigned char *tensor(loader *L, const char *name, dtype dt,
                                   int rank, int64_t d0, int64_t d1) {
  in_tensor key = {name, NULL, false};
  in_tensor *t = L->n ? bsearch(&key, L->t, (size_t)L->n, sizeof *L->t,
                                cmp_tensor) : NULL;
  if (!t) {
    fail(L->err, L->errlen, "missing tensor %s", name);
    return NULL;
  }
  t->used = true;
  const jval *dty = jget(t->info, "dtype"), *shp = jget(t->info, "shape");
  const jval *off = jget(t->info, "data_offsets");
  const char *want = dt == DT_F64 ? "F64" : "I32";
  if (!dty || dty->t != J_STR || strcmp(dty->s, want)) {
    fail(L->err, L->errlen, "tensor %s: dtype must be %s", name, want);
    return NULL;
  }
  int64_t dims[2] = {d0, d1}, got;
  if (!shp || shp->t != J_ARR || shp->n != rank) {
    fail(L->err, L->errlen, "tensor %s: shape must have %d dimensions", name,
         rank);
    return NULL;
  }
  for (int k = 0; k < rank; k++)
    if (!jint(shp->items[k], 0, INT64_MAX, &got) || got != dims[k]) {
      fail(L->err, L->errlen, "tensor %s: dimension %d must be %" PRId64, name,
           k, dims[k]);
      return NULL;
    }
  int64_t b, e;
  uint64_t bytes = (uint64_t)d0 * (uint64_t)(rank == 2 ? d1 : 1) *
                   (dt == DT_F64 ? 8u : 4u);
  if (!off || off->t != J_ARR || off->n != 2 ||
      !jint(off->items[0], 0, INT64_MAX, &b) ||
      !jint(off->items[1], 0, INT64_MAX, &e) || e < b ||
      (uint64_t)e > L->data_len || (uint64_t)(e - b) != bytes) {
    fail(L->err, L->errlen, "tensor %s: bad data_offsets (the data holds %"
         PRIu64 " bytes, the tensor needs %" PRIu64 ")", name, L->data_len,
         bytes);
    return NULL;
  }
  return L->data + b;
}

static bool read_f64(loader *L, const char *name, double *dst, int rank,
                     int64_t d0, int64_t d1) {
  const unsigned char *p = tensor(L, name, DT_F64, rank, d0, d1);
  if (!p) return false;
  int64_t n = d0 * (rank == 2 ? d1 : 1);
  for (int64_t i = 0; i < n; i++) {
    uint64_t bits = get_le(p + 8 * i, 8);
    memcpy(&dst[i], &bits, 8);
    if (!isfinite(dst[i]))
      return fail(L->err, L->errlen, "tensor %s: entry %" PRId64
                  " is not finite", name, i);
  }
  return true;
}

/* An FFN matrix, dense in the file (rows units, or slots for W_down),
 * into the layer's sparse one: every entry but +0, with read_f64's
 * checks. */
static bool read_ffn(loader *L, const char *name, model_layer *ly, int mat,
                     int64_t d0, int64_t d1) {
  const unsigned char *p = tensor(L, name, DT_F64, 2, d0, d1);
  if (!p) return false;
  for (int64_t i = 0; i < d0; i++)
    for (int64_t j = 0; j < d1; j++) {
      int64_t at = i * d1 + j;
      uint64_t bits = get_le(p + 8 * at, 8);
      if (!bits) continue;
      double v;
      memcpy(&v, &bits, 8);
      if (!isfinite(v))
        return fail(L->err, L->errlen, "tensor %s: entry %" PRId64
                    " is not finite", name, at);
      if (mat == FFN_DOWN) model_ffn_put(ly, mat, (int)j, (int)i, v);
      else model_ffn_put(ly, mat, (int)i, (int)j, v);
    }
  return true;
}

static const char *meta_str(const jval *meta, const char *key) {
  const jval *v = jget(meta, key);
  return v && v->t == J_STR ? v->s : NULL;
}

static bool meta_int(loader *L, const jval *meta, const char *key, int64_t lo,
                     int64_t hi, int64_t *out) {
  const char *s = meta_str(meta, key);
  char *end;
  errno = 0;
  long long v = s ? strtoll(s, &end, 10) : 0;
  if (!s || !*s || *end || errno || v < lo || v > hi)
    return fail(L->err, L->errlen, "metadata %s must be an integer in [%"
                PRId64 ", %" PRId64 "]", key, lo, hi);
  *out = v;
  return true;
}

/* The sizes that shape every allocation, bounded by what a file of
 * data_len bytes could hold before anything is allocated. */
typedef struct {
  int64_t d, n_layers, n_ranges;
  vocab_range *ranges;
  jval *heads;
} shape_info;

static bool parse_vocab(loader *L, arena *a, const jval *meta, shape_info *s) {
  const char *txt = meta_str(meta, "tvl.vocab");
  if (!txt) return fail(L->err, L->errlen, "metadata tvl.vocab is missing");
  jval *v = json_parse(a, txt, strlen(txt), "tvl.vocab", L->err, L->errlen);
  if (!v) return false;
  if (v->t != J_ARR || v->n < 1 || (uint64_t)v->n > L->data_len / 24 + 1)
    return fail(L->err, L->errlen, "tvl.vocab must be a non-empty list of "
                "ranges, each with its unembedding rows in the file");
  s->n_ranges = v->n;
  s->ranges = arena_alloc(a, (size_t)v->n * sizeof *s->ranges);
  for (int r = 0; r < v->n; r++) {
    const jval *o = v->items[r];
    const jval *role = jget(o, "role"), *stop = jget(o, "stop");
    int64_t first, count, value0;
    if (!role || role->t != J_STR || strlen(role->s) >= sizeof s->ranges[r].role
        || !jint(jget(o, "first"), 0, INT32_MAX, &first) ||
        !jint(jget(o, "count"), 1, INT32_MAX, &count) ||
        !jint(jget(o, "value0"), INT64_MIN, INT64_MAX, &value0) || !stop ||
        stop->t != J_BOOL)
      return fail(L->err, L->errlen, "tvl.vocab range %d: needs role (under "
                  "16 bytes), first, count, value0 and stop", r);
    vocab_range *vr = &s->ranges[r];
    snprintf(vr->role, sizeof vr->role, "%s", role->s);
    vr->first = (int)first;
    vr->count = (int)count;
    vr->value0 = value0;
    vr->stop = stop->b;
  }
  return true;
}

static bool parse_shape(loader *L, arena *a, const jval *meta, shape_info *s) {
  const char *fmt = meta_str(meta, "tvl.format");
  if (!fmt || strcmp(fmt, "1"))
    return fail(L->err, L->errlen, "metadata tvl.format must be \"1\" (not a "
                "tvl model file?)");
  const char *pf = meta_str(meta, "tvl.pos_features");
  if (!pf || strcmp(pf, POS_FEATURES))
    return fail(L->err, L->errlen, "metadata tvl.pos_features must be "
                "\"" POS_FEATURES "\" (a model of an older tvl?)");
  const char *ring = meta_str(meta, "tvl.pos_ring");
  char want[24];
  snprintf(want, sizeof want, "%d", POS_RING_N);
  if (!ring || strcmp(ring, want))
    return fail(L->err, L->errlen, "metadata tvl.pos_ring must be \"%s\"",
                want);
  if (!meta_int(L, meta, "tvl.d_model", 1, 1 << 20, &s->d) ||
      !meta_int(L, meta, "tvl.n_layers", 0, 1 << 12, &s->n_layers) ||
      !parse_vocab(L, a, meta, s))
    return false;
  const char *txt = meta_str(meta, "tvl.heads");
  if (!txt) return fail(L->err, L->errlen, "metadata tvl.heads is missing");
  s->heads = json_parse(a, txt, strlen(txt), "tvl.heads", L->err, L->errlen);
  if (!s->heads) return false;
  if (s->heads->t != J_ARR || s->heads->n != s->n_layers)
    return fail(L->err, L->errlen, "tvl.heads must list the heads of each of "
                "the %" PRId64 " layers", s->n_layers);
  for (int l = 0; l < s->n_layers; l++)
    if (s->heads->items[l]->t != J_ARR)
      return fail(L->err, L->errlen, "tvl.heads: layer %d is not a list", l);
  return true;
}

static bool load_head(loader *L, model *m, int l, int h, const jval *o) {
  model_head *hd = &m->layers[l].heads[h];
  const jval *name = jget(o, "name"), *tie = jget(o, "tie");
  int64_t mask;
  if (!name || name->t != J_STR || strlen(name->s) >= sizeof hd->name ||
      !tie || tie->t != J_STR ||
      (strcmp(tie->s, "latest") && strcmp(tie->s, "average")) ||
      !jint(jget(o, "mask_slot"), -1, m->d_model - 1, &mask))
    return fail(L->err, L->errlen, "tvl.heads layer %d head %d: needs name "
                "(under 48 bytes), tie (latest or average) and mask_slot in "
                "[-1, d_model)", l, h);
  snprintf(hd->name, sizeof hd->name, "%s", name->s);
  hd->tie = strcmp(tie->s, "latest") ? TIE_AVERAGE : TIE_LATEST;
  hd->mask_slot = (int)mask;
  /* optional (model_validate checks it against the routers) */
  const jval *live = jget(o, "live");
  if (live) {
    const jval *ex = jget(live, "experts");
    int64_t r, v;
    if (live->t != J_OBJ || !jint(jget(live, "router"), 0, ROUTE_MAX - 1, &r) ||
        !ex || ex->t != J_ARR || ex->n > (1 << 24))
      return fail(L->err, L->errlen, "tvl.heads layer %d head %d: live must "
                  "be {\"router\", \"experts\"}", l, h);
    hd->live_router = (int)r;
    hd->n_live = ex->n;
    hd->live = xmalloc(((size_t)ex->n + 1) * sizeof *hd->live);
    for (int k = 0; k < ex->n; k++) {
      if (!jint(ex->items[k], 0, 1 << 24, &v))
        return fail(L->err, L->errlen, "tvl.heads layer %d head %d: an "
                    "expert must be an integer", l, h);
      hd->live[k] = (int32_t)v;
    }
  }
  char nm[64];
  int d = m->d_model;
  snprintf(nm, sizeof nm, "layers.%d.attn.%d.w_q", l, h);
  if (!read_f64(L, nm, hd->wq, 2, 2, d)) return false;
  snprintf(nm, sizeof nm, "layers.%d.attn.%d.w_k", l, h);
  if (!read_f64(L, nm, hd->wk, 2, 2, d)) return false;
  snprintf(nm, sizeof nm, "layers.%d.attn.%d.w_v", l, h);
  if (!read_f64(L, nm, hd->wv, 2, hd->dv, d)) return false;
  snprintf(nm, sizeof nm, "layers.%d.attn.%d.w_o", l, h);
  return read_f64(L, nm, hd->wo, 2, d, hd->dv);
}

/* Checks every head's dv and the FFN width against the tensors before
 * model_layer_alloc allocates them. */
static bool load_layer(loader *L, model *m, int l, const jval *heads) {
  int d = m->d_model, nh = heads->n;
  char nm[64];
  int *dv = xcalloc((size_t)nh + 1, sizeof *dv);
  bool ok = true;
  for (int h = 0; ok && h < nh; h++) {
    int64_t v;
    if (!jint(jget(heads->items[h], "dv"), 1, 1 << 12, &v)) {
      ok = fail(L->err, L->errlen, "tvl.heads layer %d head %d: dv must be an "
                "integer in [1, 4096]", l, h);
      break;
    }
    dv[h] = (int)v;
    snprintf(nm, sizeof nm, "layers.%d.attn.%d.w_v", l, h);
    ok = tensor(L, nm, DT_F64, 2, v, d) != NULL;
  }
  int64_t n_ffn = 0;
  if (ok) { /* the FFN width comes from w_gate's shape */
    snprintf(nm, sizeof nm, "layers.%d.ffn.w_gate", l);
    in_tensor key = {nm, NULL, false};
    in_tensor *t = bsearch(&key, L->t, (size_t)L->n, sizeof *L->t, cmp_tensor);
    const jval *shp = t ? jget(t->info, "shape") : NULL;
    if (!shp || shp->t != J_ARR || shp->n != 2 ||
        !jint(shp->items[0], 0, 1 << 22, &n_ffn))
      ok = fail(L->err, L->errlen, "tensor %s is missing or has a bad shape",
                nm);
    else ok = tensor(L, nm, DT_F64, 2, n_ffn, d) != NULL;
  }
  if (ok) model_layer_alloc(m, l, nh, dv, (int)n_ffn);
  free(dv);
  for (int h = 0; ok && h < nh; h++) ok = load_head(L, m, l, h, heads->items[h]);
  model_layer *ly = &m->layers[l];
  if (ok) {
    snprintf(nm, sizeof nm, "layers.%d.ffn.w_gate", l);
    ok = read_ffn(L, nm, ly, FFN_GATE, n_ffn, d);
  }
  if (ok) {
    snprintf(nm, sizeof nm, "layers.%d.ffn.w_up", l);
    ok = read_ffn(L, nm, ly, FFN_UP, n_ffn, d);
  }
  if (ok) {
    snprintf(nm, sizeof nm, "layers.%d.ffn.w_down", l);
    ok = read_ffn(L, nm, ly, FFN_DOWN, d, n_ffn);
  }
  model_ffn_finish(ly);
  return ok;
}

/* tok_embed.role and .value restate the vocabulary; they must agree. */
static bool check_token_tables(loader *L, const model *m) {
  const unsigned char *role = tensor(L, "tok_embed.role", DT_I32, 1,
                                     m->vocab_size, 0);
  if (!role) return false;
  double *val = xmalloc((size_t)m->vocab_size * sizeof *val + 8);
  bool ok = read_f64(L, "tok_embed.value", val, 1, m->vocab_size, 0);
  for (int t = 0; ok && t < m->vocab_size; t++) {
    int32_t r = (int32_t)(uint32_t)get_le(role + 4 * (size_t)t, 4);
    if (r != model_token_range(m, t) ||
        val[t] != (double)model_token_value(m, t))
      ok = fail(L->err, L->errlen, "tok_embed.role/value disagree with "
                "tvl.vocab at token %d", t);
  }
  free(val);
  return ok;
}

static bool load_names(loader *L, arena *a, const jval *meta, model *m) {
  const char *txt = meta_str(meta, "tvl.slot_names");
  if (txt) {
    jval *v = json_parse(a, txt, strlen(txt), "tvl.slot_names", L->err,
                         L->errlen);
    if (!v) return false;
    if (v->t != J_ARR || v->n != m->d_model)
      return fail(L->err, L->errlen, "tvl.slot_names must list %d names",
                  m->d_model);
    for (int i = 0; i < v->n; i++)
      if (v->items[i]->t != J_STR)
        return fail(L->err, L->errlen, "tvl.slot_names: entry %d is not a "
                    "string", i);
    m->slot_names = xcalloc((size_t)m->d_model, sizeof *m->slot_names);
    for (int i = 0; i < v->n; i++) m->slot_names[i] = xstrdup(v->items[i]->s);
  }
  txt = meta_str(meta, "tvl.meta");
  if (txt) {
    jval *v = json_parse(a, txt, strlen(txt), "tvl.meta", L->err, L->errlen);
    if (!v) return false;
    if (v->t != J_OBJ)
      return fail(L->err, L->errlen, "tvl.meta must be a JSON object");
    m->meta_json = xstrdup(txt);
  }
  return true;
}

/* Layer l's liveness, optional (none: no unit has a set): the sets as
 * (router, expert) pairs, ffn.live_index and ffn.live_pairs; or, in files
 * written before them, ffn.live's (router, first, last) intervals (of at
 * most 16 experts), read as the pairs they stand for.  model_validate checks them. */
static bool load_liveness(loader *L, model *m, int l) {
  model_layer *ly = &m->layers[l];
  char nm[64];
  const unsigned char *p;
  int n = ly->n_ffn;
  snprintf(nm, sizeof nm, "layers.%d.ffn.live", l);
  if (has_tensor(L, nm)) {
    if (!(p = tensor(L, nm, DT_I32, 2, n, 3))) return false;
    VEC(int32_t) pairs = {0};
    for (int j = 0; j < n; j++) {
      int32_t v[3];
      for (int k = 0; k < 3; k++) v[k] = (int32_t)(uint32_t)get_le(p + 4 * (3 * (int64_t)j + k), 4);
      ly->ffn_live[j] = pairs.n / 2;
      if (v[0] >= 0 && v[0] < m->routing->n_routers && v[1] >= 0 &&
          v[2] < m->routing->routers[v[0]].n_experts && v[2] - v[1] < 16)
        for (int32_t e = v[1]; e <= v[2]; e++) {
          VEC_PUSH(pairs, v[0]);
          VEC_PUSH(pairs, e);
        }
      else if (v[0] != -1)
        return fail(L->err, L->errlen, "layer %d unit %d: bad liveness (%d, %d, %d)",
                    l, j, (int)v[0], (int)v[1], (int)v[2]);
    }
    ly->ffn_live[n] = pairs.n / 2;
    free(ly->ffn_live_set);
    ly->ffn_live_set = pairs.v;
    return true;
  }
  snprintf(nm, sizeof nm, "layers.%d.ffn.live_index", l);
  if (!has_tensor(L, nm)) return true;
  if (!(p = tensor(L, nm, DT_I32, 1, (int64_t)n + 1, 0))) return false;
  for (int64_t i = 0; i <= n; i++)
    ly->ffn_live[i] = (int32_t)(uint32_t)get_le(p + 4 * i, 4);
  int32_t np = ly->ffn_live[n];
  snprintf(nm, sizeof nm, "layers.%d.ffn.live_pairs", l);
  if (np < 0 || !(p = tensor(L, nm, DT_I32, 2, np, 2))) {
    if (np < 0) fail(L->err, L->errlen, "layer %d: bad liveness offsets", l);
    return false;
  }
  free(ly->ffn_live_set);
  ly->ffn_live_set = xmalloc(2 * (size_t)np * sizeof *ly->ffn_live_set + 1);
  for (int64_t i = 0; i < 2 * (int64_t)np; i++)
    ly->ffn_live_set[i] = (int32_t)(uint32_t)get_le(p + 4 * i, 4);
  return true;
}

/* tvl.routing and its tensors (docs/model-format.md), when present. */
static bool load_routing(loader *L, arena *a, const jval *meta, model *m) {
  const char *txt = meta_str(meta, "tvl.routing");
  if (!txt) return true;
  jval *v = json_parse(a, txt, strlen(txt), "tvl.routing", L->err, L->errlen);
  if (!v) return false;
  const jval *holds = jget(v, "holds"), *why = jget(v, "why"),
             *routers = jget(v, "routers");
  if (v->t != J_OBJ || !holds || holds->t != J_BOOL ||
      !why || why->t != J_STR || !routers || routers->t != J_ARR ||
      routers->n > ROUTE_MAX)
    return fail(L->err, L->errlen, "tvl.routing must be {\"holds\", \"why\", "
                "\"routers\"} with at most %d routers", ROUTE_MAX);
  model_routing *rt = model_routing_new(m, routers->n);
  rt->holds = holds->b;
  snprintf(rt->why, sizeof rt->why, "%s", why->s);
  char nm[64];
  for (int r = 0; r < routers->n; r++) {
    const jval *o = routers->items[r];
    const jval *name = jget(o, "name");
    int64_t layer, experts;
    if (o->t != J_OBJ || !name || name->t != J_STR ||
        strlen(name->s) >= sizeof rt->routers[r].name ||
        !jint(jget(o, "layer"), 0, m->n_layers - 1, &layer) ||
        !jint(jget(o, "experts"), 0, 1 << 24, &experts))
      return fail(L->err, L->errlen, "tvl.routing: router %d needs a name, a "
                  "layer and an expert count", r);
    model_router *ro = &rt->routers[r];
    snprintf(ro->name, sizeof ro->name, "%s", name->s);
    ro->layer = (int)layer;
    ro->n_experts = (int)experts;
    snprintf(nm, sizeof nm, "routing.%d.w", r);
    if (!read_f64(L, nm, ro->w, 2, 1, m->d_model)) return false;
  }
  for (int l = 0; l < m->n_layers; l++) {
    model_layer *ly = &m->layers[l];
    snprintf(nm, sizeof nm, "layers.%d.ffn.route", l);
    const unsigned char *p = tensor(L, nm, DT_I32, 2, ly->n_ffn, 2);
    if (!p) return false;
    for (int64_t i = 0; i < 2 * (int64_t)ly->n_ffn; i++)
      ly->ffn_route[i] = (int32_t)(uint32_t)get_le(p + 4 * i, 4);
    /* optional (files written before it have none: no families) */
    snprintf(nm, sizeof nm, "layers.%d.ffn.family", l);
    if (has_tensor(L, nm)) {
      p = tensor(L, nm, DT_I32, 1, ly->n_ffn, 0);
      if (!p) return false;
      for (int64_t i = 0; i < (int64_t)ly->n_ffn; i++)
        ly->ffn_family[i] = (int32_t)(uint32_t)get_le(p + 4 * i, 4);
    }
    if (!load_liveness(L, m, l)) return false;
  }
  return true;
}

static bool load_body(loader *L, arena *a, const jval *meta,
                      const shape_info *s, model **out) {
  int64_t d = s->d, R = s->n_ranges;
  /* Every allocation below is backed by tensor bytes already checked. */
  if (!tensor(L, "tok_embed.proj", DT_F64, 2, d, 2 * R) ||
      !tensor(L, "unembed.proj", DT_F64, 2, 3 * R, d) ||
      !tensor(L, "pos_embed.proj", DT_F64, 2, d, POS_NFEAT))
    return false;
  int64_t vocab = 0;
  for (int r = 0; r < R; r++) vocab += s->ranges[r].count;
  if (!tensor(L, "tok_embed.value", DT_F64, 1, vocab, 0)) return false;
  if ((uint64_t)s->n_layers > L->data_len / 8 + 1)
    return fail(L->err, L->errlen, "%" PRId64 " layers cannot fit in the "
                "file", s->n_layers);
  model *m = model_new((int)d, (int)s->n_layers, s->ranges, (int)R);
  *out = m;
  if (!read_f64(L, "tok_embed.proj", m->p_in, 2, d, 2 * R) ||
      !read_f64(L, "pos_embed.proj", m->p_pos, 2, d, POS_NFEAT) ||
      !read_f64(L, "unembed.proj", m->p_out, 2, 3 * R, d))
    return false;
  char verr[256];
  for (int l = 0; l < m->n_layers; l++)
    if (!load_layer(L, m, l, s->heads->items[l])) return false;
  if (!load_routing(L, a, meta, m)) return false;
  if (!model_validate(m, verr, sizeof verr))
    return fail(L->err, L->errlen, "invalid model: %s", verr);
  if (!check_token_tables(L, m) || !load_names(L, a, meta, m)) return false;
  for (int i = 0; i < L->n; i++)
    if (!L->t[i].used)
      return fail(L->err, L->errlen, "unexpected tensor %s", L->t[i].name);
  return true;
}

typedef struct {
  int64_t b, e;
  const char *name;
} span;

static int cmp_span(const void *x, const void *y) {
  const span *a = x, *b = y;
  if (a->b != b->b) return a->b < b->b ? -1 : 1;
  if (a->e != b->e) return a->e < b->e ? -1 : 1;
  return 0;
}

/* The safetensors rules for the data: every tensor's [begin, end) lies in
 * it, and together they cover it exactly, without overlapping and
 * without holes (so that no byte is read as two tensors, and none is
 * hidden). */
static bool check_offsets(loader *L) {
  span *s = xmalloc((size_t)L->n * sizeof *s + 1);
  bool ok = true;
  for (int i = 0; ok && i < L->n; i++) {
    const jval *off = jget(L->t[i].info, "data_offsets");
    int64_t b = 0, e = 0;
    if (!off || off->t != J_ARR || off->n != 2 ||
        !jint(off->items[0], 0, INT64_MAX, &b) ||
        !jint(off->items[1], 0, INT64_MAX, &e) || e < b ||
        (uint64_t)e > L->data_len)
      ok = fail(L->err, L->errlen, "tensor %s: data_offsets must be [begin, "
                "end] within the %" PRIu64 " bytes of data", L->t[i].name,
                L->data_len);
    s[i] = (span){b, e, L->t[i].name};
  }
  if (ok) qsort(s, (size_t)L->n, sizeof *s, cmp_span);
  int64_t at = 0;
  for (int i = 0; ok && i < L->n; i++) {
    if (s[i].b < at)
      ok = fail(L->err, L->errlen, "tensor %s: its bytes overlap tensor %s's",
                s[i].name, s[i - 1].name);
    else if (s[i].b > at)
      ok = fail(L->err, L->errlen, "%" PRId64 " bytes before tensor %s "
                "belong to no tensor", s[i].b - at, s[i].name);
    at = s[i].e;
  }
  if (ok && (uint64_t)at != L->data_len)
    ok = fail(L->err, L->errlen, "%" PRIu64 " bytes after the last tensor "
              "belong to no tensor", L->data_len - (uint64_t)at);
  free(s);
  return ok;
}

static bool load_header(loader *L, arena *a, const unsigned char *buf,
                        uint64_t size, jval **meta) {
  if (size < 8) return fail(L->err, L->errlen, "too short for a header");
  uint64_t hl = get_le(buf, 8);
  if (hl < 2 || hl > size - 8 || hl > ST_MAX_HEADER)
    return fail(L->err, L->errlen, "header length %" PRIu64 " does not fit "
                "the file (%" PRIu64 " bytes)", hl, size);
  jval *hdr = json_parse(a, (const char *)buf + 8, hl, "header", L->err,
                         L->errlen);
  if (!hdr) return false;
  if (hdr->t != J_OBJ)
    return fail(L->err, L->errlen, "the header is not a JSON object");
  L->data = buf + 8 + hl;
  L->data_len = size - 8 - hl;
  L->t = arena_alloc(a, (size_t)hdr->n * sizeof *L->t + 1);
  *meta = NULL;
  for (int i = 0; i < hdr->n; i++) {
    if (!strcmp(hdr->keys[i], "__metadata__")) {
      *meta = hdr->items[i];
      continue;
    }
    if (hdr->items[i]->t != J_OBJ)
      return fail(L->err, L->errlen, "tensor %s is not described by an "
                  "object", hdr->keys[i]);
    L->t[L->n++] = (in_tensor){hdr->keys[i], hdr->items[i], false};
  }
  if (!*meta || (*meta)->t != J_OBJ)
    return fail(L->err, L->errlen, "no __metadata__ object (not a tvl model "
                "file?)");
  for (int i = 0; i < (*meta)->n; i++)
    if ((*meta)->items[i]->t != J_STR)
      return fail(L->err, L->errlen, "metadata %s is not a string",
                  (*meta)->keys[i]);
  qsort(L->t, (size_t)L->n, sizeof *L->t, cmp_tensor);
  for (int i = 1; i < L->n; i++)
    if (!strcmp(L->t[i - 1].name, L->t[i].name))
      return fail(L->err, L->errlen, "tensor %s appears twice", L->t[i].name);
  return check_offsets(L);
}

static unsigned char *read_file(const char *path, uint64_t *size, char *err,
                                size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fail(err, errlen, "%s: %s", path, strerror(errno));
    return NULL;
  }
  strbuf b;
  sb_init(&b);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) sb_putn(&b, chunk, n);
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    fail(err, errlen, "%s: read error", path);
    sb_free(&b);
    return NULL;
  }
  *size = b.n;
  if (!b.s) return xcalloc(1, 1);
  return (unsigned char *)sb_detach(&b);
}

model *model_load(const char *path, char *err, size_t errlen) {
  uint64_t size = 0;
  unsigned char *buf = read_file(path, &size, err, errlen);
  if (!buf) return NULL;
  arena a;
  arena_init(&a);
  char msg[400] = "";
  loader L = {0};
  L.err = msg;
  L.errlen = sizeof msg;
  jval *meta = NULL;
  shape_info s = {0};
  model *m = NULL;
  bool ok = load_header(&L, &a, buf, size, &meta) &&
            parse_shape(&L, &a, meta, &s) && load_body(&L, &a, meta, &s, &m);
  if (!ok) {
    model_free(m);
    m = NULL;
    fail(err, errlen, "%s: %s", path, msg);
  }
  arena_free(&a);
  free(buf);
  return m;
}
