/* kvcache.c - the kv_* interface: the checks every cache shares, the
 * brute cache (a linear scan, the reference the others are tested
 * against), and the address cache's hand-over to the hull.
 *
 * The checks live here, in front of every kind, so that brute, hull and
 * address caches reject exactly the same inputs with the same answer.
 *
 * An address cache (KV_ADDR, addr.c) serves keys on the parabola
 * (2a, -a^2) only; the first key off it moves everything the cache holds
 * into a hull (hull_insert_n: each address with its write count, latest
 * position and value, by position), which then serves the cache for good,
 * with the answers the hull would have given all along.
 *
 * Ownership: a kv_cache owns copies of every key and value inserted (the
 * brute one per position, the hull one per surviving hull point, the
 * address cache one per address).
 */
#include "config.h"

#include "backend/engine/engine.h"

#include <math.h>
#include <string.h>

/* The hull cache (hull.c).  Its only user is this file, which has already
 * checked every argument; keep these declarations in step with hull.c. */
typedef struct hull_cache hull_cache;
hull_cache *hull_new(tie_rule tie, int dv);
void hull_free(hull_cache *h);
void hull_insert(hull_cache *h, int64_t kx, int64_t ky, int64_t pos,
                 const double *value);
void hull_insert_n(hull_cache *h, int64_t kx, int64_t ky, int64_t pos,
                   int64_t n, const double *value);
void hull_query(hull_cache *h, int64_t qx, int64_t qy, kv_result *r,
                double *value);

/* The address cache (addr.c), likewise. */
typedef struct addr_cache addr_cache;
addr_cache *addr_new(int dv);
void addr_free(addr_cache *c);
bool addr_fits(int64_t kx, int64_t ky);
void addr_insert(addr_cache *c, int64_t kx, int64_t pos, const double *value);
void addr_query(const addr_cache *c, int64_t qx, int64_t qy, kv_result *r,
                double *value);
int64_t addr_distinct(const addr_cache *c);
typedef void (*addr_sink)(void *ctx, int64_t kx, int64_t ky, int64_t pos,
                          int64_t count, const double *value);
void addr_drain(const addr_cache *c, addr_sink sink, void *ctx);

typedef struct {
  double *kx, *ky;       /* as float64, the scan's operands */
  int64_t *ikx, *iky;    /* exact, for the result */
  int64_t *pos;
  double *val;           /* dv per position */
  int64_t n, cap;
} brute;

struct kv_cache {
  kv_kind kind;
  tie_rule tie;
  int dv;
  int64_t n, last_pos;
  int64_t max_kx, max_ky;  /* largest |kx|, |ky| inserted: the score bound */
  brute b;
  hull_cache *hull;
  addr_cache *addr;
};

kv_cache *kv_new(kv_kind kind, tie_rule tie, int dv) {
  if (dv < 1) dv = 1;
  kv_cache *c = xcalloc(1, sizeof *c);
  c->kind = kind;
  c->tie = tie;
  c->dv = dv;
  c->last_pos = -1;
  if (kind == KV_ADDR && tie == TIE_LATEST) c->addr = addr_new(dv);
  else if (kind != KV_BRUTE) c->hull = hull_new(tie, dv);
  c->kind = c->addr ? KV_ADDR : kind == KV_BRUTE ? KV_BRUTE : KV_HULL;
  return c;
}

static void brute_free(brute *b) {
  free(b->kx);
  free(b->ky);
  free(b->ikx);
  free(b->iky);
  free(b->pos);
  free(b->val);
}

void kv_free(kv_cache *c) {
  if (!c) return;
  brute_free(&c->b);
  if (c->hull) hull_free(c->hull);
  addr_free(c->addr);
  free(c);
}

int64_t kv_count(const kv_cache *c) { return c ? c->n : 0; }

kv_kind kv_serving(const kv_cache *c) { return c->kind; }

int64_t kv_keys_kept(const kv_cache *c) {
  return c->kind == KV_ADDR ? addr_distinct(c->addr) : c->n;
}

static void to_hull(void *ctx, int64_t kx, int64_t ky, int64_t pos,
                    int64_t count, const double *value) {
  hull_insert_n(ctx, kx, ky, pos, count, value);
}

/* A key off the parabola: the hull takes over. */
static void addr_hand_over(kv_cache *c) {
  c->hull = hull_new(c->tie, c->dv);
  addr_drain(c->addr, to_hull, c->hull);
  addr_free(c->addr);
  c->addr = NULL;
  c->kind = KV_HULL;
}

static int64_t abs64(int64_t v) { return v < 0 ? -v : v; }

/* AVERAGE sums values, and a sum of doubles depends on its order, which
 * differs between a scan and a tree.  Integral values make every sum exact
 * (as int64), so both caches and numpy agree. */
static bool value_ok(tie_rule tie, int dv, const double *v) {
  if (!v) return true;
  for (int k = 0; k < dv; k++) {
    if (!isfinite(v[k])) return false;
    if (tie == TIE_AVERAGE &&
        (v[k] != floor(v[k]) || fabs(v[k]) > (double)AVG_VALUE_MAX))
      return false;
  }
  return true;
}

static void brute_grow(brute *b, int dv) {
  if (b->n < b->cap) return;
  b->cap = b->cap ? 2 * b->cap : 64;
  size_t n = (size_t)b->cap;
  b->kx = xrealloc(b->kx, n * sizeof *b->kx);
  b->ky = xrealloc(b->ky, n * sizeof *b->ky);
  b->ikx = xrealloc(b->ikx, n * sizeof *b->ikx);
  b->iky = xrealloc(b->iky, n * sizeof *b->iky);
  b->pos = xrealloc(b->pos, n * sizeof *b->pos);
  b->val = xrealloc(b->val, n * (size_t)dv * sizeof *b->val);
}

static void brute_insert(brute *b, int dv, int64_t kx, int64_t ky,
                         int64_t pos, const double *value) {
  brute_grow(b, dv);
  int64_t i = b->n++;
  b->kx[i] = (double)kx;
  b->ky[i] = (double)ky;
  b->ikx[i] = kx;
  b->iky[i] = ky;
  b->pos[i] = pos;
  double *dst = b->val + i * dv;
  if (value) memcpy(dst, value, (size_t)dv * sizeof *dst);
  else memset(dst, 0, (size_t)dv * sizeof *dst);
}

bool kv_insert(kv_cache *c, int64_t kx, int64_t ky, int64_t pos,
               const double *value) {
  if (!c || kx < -KEY_MAX_X || kx > KEY_MAX_X || ky < -KEY_MAX_Y ||
      ky > KEY_MAX_Y || pos <= c->last_pos || !value_ok(c->tie, c->dv, value))
    return false;
  c->n++;
  c->last_pos = pos;
  if (abs64(kx) > c->max_kx) c->max_kx = abs64(kx);
  if (abs64(ky) > c->max_ky) c->max_ky = abs64(ky);
  if (c->kind == KV_ADDR && !addr_fits(kx, ky)) addr_hand_over(c);
  if (c->kind == KV_ADDR) addr_insert(c->addr, kx, pos, value);
  else if (c->kind == KV_HULL) hull_insert(c->hull, kx, ky, pos, value);
  else brute_insert(&c->b, c->dv, kx, ky, pos, value);
  return true;
}

/* The scan computes each score as a dense transformer does, in float64:
 * the bound checked in kv_query makes every product and sum exact (a key y
 * beyond 2^53 is only ever multiplied by qy == 0). */
static void brute_query(const brute *b, tie_rule tie, int dv, int64_t qx,
                        int64_t qy, kv_result *r, double *value) {
  double fx = (double)qx, fy = (double)qy;
  double best = -INFINITY, second = -INFINITY;
  int64_t win = -1, count = 0;
  for (int64_t i = 0; i < b->n; i++) {
    double s = fx * b->kx[i] + fy * b->ky[i];
    if (s > best) {
      second = best;
      best = s;
      win = i;
      count = 1;
    } else if (s == best) {
      win = i;
      count++;
    } else if (s > second) {
      second = s;
    }
  }
  r->found = true;
  r->pos = b->pos[win];
  r->kx = b->ikx[win];
  r->ky = b->iky[win];
  r->count = count;
  r->margin = second == -INFINITY ? INFINITY : best - second;
  if (tie == TIE_LATEST) {
    memcpy(value, b->val + win * dv, (size_t)dv * sizeof *value);
    return;
  }
  for (int k = 0; k < dv; k++) {
    int64_t sum = 0;
    for (int64_t i = 0; i < b->n; i++)
      if (fx * b->kx[i] + fy * b->ky[i] == best)
        sum += (int64_t)b->val[i * dv + k];
    value[k] = (double)sum / (double)count;
  }
}

bool kv_query(kv_cache *c, int64_t qx, int64_t qy, kv_result *r,
              double *value) {
  if (!c || qx < -QUERY_MAX || qx > QUERY_MAX || qy < -QUERY_MAX ||
      qy > QUERY_MAX)
    return false;
  __int128 bound = (__int128)abs64(qx) * c->max_kx +
                   (__int128)abs64(qy) * c->max_ky;
  if (bound >= (__int128)1 << 53) return false;
  kv_result tmp;
  if (!r) r = &tmp;
  double scratch[64];
  double *out = value ? value : c->dv <= 64 ? scratch : NULL;
  bool own = !out;
  if (own) out = xmalloc((size_t)c->dv * sizeof *out);
  if (c->n == 0) {
    memset(r, 0, sizeof *r);
    r->pos = -1;
    r->margin = INFINITY;
    memset(out, 0, (size_t)c->dv * sizeof *out);
  } else if (c->kind == KV_ADDR) {
    addr_query(c->addr, qx, qy, r, out);
  } else if (c->kind == KV_HULL) {
    hull_query(c->hull, qx, qy, r, out);
  } else {
    brute_query(&c->b, c->tie, c->dv, qx, qy, r, out);
  }
  if (own) free(out);
  return true;
}
