/* test-hull.c - the hull and address KV caches against the brute one:
 * randomized operation streams (inserts and queries mixed) under many key
 * shapes, both tie rules and several value widths; every answer, the
 * accept or reject of every call included, must be identical.  Margins
 * are compared only on the brute side (the others return NAN).  The
 * address cache (KV_ADDR) runs every stream too: on the parabolic shapes
 * it serves them itself (random addresses, unwritten ones, repeated
 * writes, address 0, negative and huge addresses), on the others it hands
 * its keys over to a hull at the first key off the parabola, anywhere in
 * the stream.
 *
 * A fixed seed always runs; TVL_SEED=n in the environment adds a run with
 * seed n.
 */
#include "config.h"

#include "backend/engine/engine.h"
#include "tests/tap.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t rnd(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static int64_t rint_in(int64_t lo, int64_t hi) { /* inclusive */
  return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

typedef enum {
  K_GRID,       /* tiny grid: duplicates, collinear runs, ties */
  K_PARABOLA,   /* (2a, -a^2): the memory-read shape */
  K_LINES,      /* many points on a few lines */
  K_WIDE,       /* large coordinates */
  K_BOUNDS,     /* keys at the bounds; most queries are refused */
  K_CIRCLE,     /* points near a circle: everything on the hull */
  K_ADDR_WIDE,  /* (2a, -a^2) of sparse addresses up to 2^20, and 2^29 */
  K_ADDR_LATE,  /* parabolic, then now and then a key off the parabola */
  K_NSHAPES
} key_shape;

static const char *shape_name[K_NSHAPES] = {"grid", "parabola", "lines",
                                            "wide", "bounds", "circle",
                                            "sparse address",
                                            "address, late off-parabola"};

/* An address of K_ADDR_WIDE: a small cluster, 0, sparse ones up to 2^20
 * either side, some near +-2^25, and very rarely +-2^29 (whose keys make
 * the queries after them refused: scores could pass 2^53). */
static int64_t wide_address(void) {
  unsigned w = (unsigned)(rnd() % 32);
  int64_t sign = rnd() % 2 ? 1 : -1;
  if (w == 0) return 0;
  if (w == 1 && rnd() % 256 == 0) return sign * ((int64_t)1 << 29);
  if (w <= 2) return sign * (((int64_t)1 << 25) - rint_in(0, 3));
  if (w < 12) return rint_in(-((int64_t)1 << 20), (int64_t)1 << 20);
  return rint_in(-5, 40);
}

typedef struct {
  int64_t kx[4096], ky[4096];
  int n;
} keylog;

static void gen_key(key_shape s, int64_t t, int64_t *kx, int64_t *ky) {
  switch (s) {
  case K_GRID:
    *kx = rint_in(-4, 4);
    *ky = rint_in(-4, 4);
    break;
  case K_PARABOLA: {
    int64_t a = rint_in(-30, 30);
    *kx = 2 * a;
    *ky = -a * a;
    break;
  }
  case K_LINES: {
    int64_t line = rint_in(0, 2), x = rint_in(-50, 50);
    int64_t m[3] = {1, -2, 0}, b[3] = {3, 7, 40};
    *kx = x;
    *ky = m[line] * x + b[line];
    break;
  }
  case K_WIDE:
    *kx = rint_in(-KEY_MAX_X, KEY_MAX_X);
    *ky = rint_in(-((int64_t)1 << 21), (int64_t)1 << 21);
    if (rnd() % 4 == 0) *kx = (*kx % 5) * (KEY_MAX_X / 4);
    break;
  case K_BOUNDS: {
    int64_t xs[5] = {-KEY_MAX_X, -1, 0, 1, KEY_MAX_X};
    int64_t ys[5] = {-KEY_MAX_Y, -1, 0, 1, KEY_MAX_Y};
    *kx = xs[rnd() % 5];
    *ky = ys[rnd() % 5];
    if (rnd() % 8 == 0) *kx += rnd() % 2 ? 1 : -1; /* just outside */
    if (rnd() % 8 == 0) *ky += rnd() % 2 ? 1 : -1;
    break;
  }
  case K_ADDR_WIDE: {
    int64_t a = wide_address();
    *kx = 2 * a;
    *ky = -a * a;
    break;
  }
  case K_ADDR_LATE: {
    int64_t a = rint_in(-20, 60);
    *kx = 2 * a;
    *ky = -a * a;
    if (rnd() % 700 == 0) *ky -= rint_in(1, 3); /* off the parabola */
    break;
  }
  default: { /* a circle of radius 1000, rounded: many hull points */
    double a = (double)(t % 997) * 6.283185307179586 / 997.0;
    *kx = (int64_t)llround(1000 * cos(a));
    *ky = (int64_t)llround(1000 * sin(a));
    break;
  }
  }
}

static void gen_query(key_shape s, const keylog *log, int64_t *qx,
                      int64_t *qy) {
  unsigned kind = (unsigned)(rnd() % 10);
  if (kind == 0) {
    *qx = *qy = 0;
  } else if (kind == 1) { /* vertical direction: extreme x ties */
    *qx = rint_in(-3, 3);
    *qy = 0;
  } else if (kind <= 4 && log->n >= 2) {
    /* perpendicular to the segment between two inserted keys: ties
     * whenever that segment lies on the hull */
    int i = (int)(rnd() % (uint64_t)log->n), j = (int)(rnd() % (uint64_t)log->n);
    __int128 dx = (__int128)log->kx[j] - log->kx[i];
    __int128 dy = (__int128)log->ky[j] - log->ky[i];
    int sgn = rnd() % 2 ? 1 : -1;
    /* clamped where the keys are wide, to keep most queries answerable */
    __int128 lim = s == K_WIDE || s == K_BOUNDS ? 64 : QUERY_MAX;
    __int128 a = -dy * sgn, b = dx * sgn;
    *qx = (int64_t)(a > QUERY_MAX ? QUERY_MAX : a < -QUERY_MAX ? -QUERY_MAX : a);
    *qy = (int64_t)(b > lim ? lim : b < -lim ? -lim : b);
  } else if (s == K_PARABOLA && kind <= 7) {
    *qx = rint_in(-35, 35); /* read address qx */
    *qy = 1;
  } else if (s == K_ADDR_WIDE && kind <= 8) {
    /* a read near a written address, of a random one, or a scaled one */
    int64_t a = log->n && kind <= 6 ? log->kx[rnd() % (uint64_t)log->n] / 2 +
                rint_in(-2, 2) : wide_address();
    *qy = kind == 8 ? rint_in(2, 5) : 1;
    *qx = a * *qy + (kind == 8 ? rint_in(0, *qy - 1) : 0);
    if (*qx > QUERY_MAX || *qx < -QUERY_MAX) *qx = 0;
  } else if (s == K_ADDR_LATE && kind <= 7) {
    *qx = rint_in(-25, 65);
    *qy = kind == 7 ? rint_in(-3, 3) : 1;
  } else if (s == K_WIDE) {
    *qx = rint_in(-1000, 1000);
    *qy = rint_in(-1000, 1000);
  } else if (s == K_BOUNDS) {
    *qx = rint_in(-2, 2) * (rnd() % 2 ? 1 : QUERY_MAX / 2);
    *qy = rint_in(-1, 1);
    if (rnd() % 16 == 0) *qx = QUERY_MAX + 1;
  } else {
    *qx = rint_in(-12, 12);
    *qy = rint_in(-12, 12);
  }
}

static void gen_value(tie_rule tie, int dv, double *v) {
  for (int k = 0; k < dv; k++) {
    if (tie == TIE_AVERAGE) {
      unsigned w = (unsigned)(rnd() % 64);
      v[k] = w == 0 ? (double)AVG_VALUE_MAX : w == 1 ? -(double)AVG_VALUE_MAX
             : w == 2 ? 0.5 /* refused: not integral */
             : (double)rint_in(-100, 100);
    } else {
      v[k] = (double)rint_in(-1000000, 1000000) / 64.0;
    }
  }
}

typedef struct {
  long ops, inserts, queries, ties, refused, found;
  long mismatches;
  long addr_kept;   /* address caches still serving at the end */
} stats;

static bool same_result(const kv_result *a, const double *va,
                        const kv_result *b, const double *vb, int dv) {
  if (a->found != b->found) return false;
  if (a->found && (a->pos != b->pos || a->kx != b->kx || a->ky != b->ky ||
                   a->count != b->count))
    return false;
  return memcmp(va, vb, (size_t)dv * sizeof *va) == 0;
}

/* Brute's margin must be the gap to the runner-up, checked by a scan of
 * the logged keys (which are only the accepted ones). */
static bool margin_ok(const keylog *log, int64_t qx, int64_t qy,
                      const kv_result *r) {
  if (!r->found || log->n >= 4096) return true;
  double best = -INFINITY, second = -INFINITY;
  for (int i = 0; i < log->n; i++) {
    double s = (double)qx * (double)log->kx[i] + (double)qy * (double)log->ky[i];
    if (s > best) {
      second = best;
      best = s;
    } else if (s < best && s > second) {
      second = s;
    }
  }
  double want = second == -INFINITY ? INFINITY : best - second;
  return r->margin == want;
}

static void run_stream(key_shape s, kv_kind kind, tie_rule tie, int dv,
                       long n_ops, stats *st) {
  kv_cache *b = kv_new(KV_BRUTE, tie, dv), *h = kv_new(kind, tie, dv);
  static keylog log;
  log.n = 0;
  int64_t pos = 0;
  double v[4], vb[4], vh[4];
  for (long op = 0; op < n_ops; op++) {
    st->ops++;
    if (rnd() % 100 < 55) {
      int64_t kx, ky;
      gen_key(s, pos, &kx, &ky);
      gen_value(tie, dv, v);
      pos += rnd() % 8 == 0 ? 3 : 1;
      if (rnd() % 200 == 0) pos -= 2; /* out of order: refused */
      bool ib = kv_insert(b, kx, ky, pos, v), ih = kv_insert(h, kx, ky, pos, v);
      st->inserts++;
      if (ib != ih) st->mismatches++;
      if (!ib) st->refused++;
      if (ib && log.n < 4096) {
        log.kx[log.n] = kx;
        log.ky[log.n++] = ky;
      }
    } else {
      int64_t qx, qy;
      gen_query(s, &log, &qx, &qy);
      kv_result rb, rh;
      memset(vb, 0x55, sizeof vb);
      memset(vh, 0x55, sizeof vh);
      bool qb = kv_query(b, qx, qy, &rb, vb), qh = kv_query(h, qx, qy, &rh, vh);
      st->queries++;
      if (qb != qh || (qb && !same_result(&rb, vb, &rh, vh, dv)) ||
          (qb && !margin_ok(&log, qx, qy, &rb))) {
        if (st->mismatches++ < 5)
          tap_diag("%s %s dv=%d op %ld: q=(%" PRId64 ",%" PRId64 ") brute "
                   "ok=%d pos=%" PRId64 " count=%" PRId64 " v0=%g; hull ok=%d "
                   "pos=%" PRId64 " count=%" PRId64 " v0=%g",
                   shape_name[s], tie == TIE_LATEST ? "latest" : "average",
                   dv, op, qx, qy, qb, rb.pos, rb.count, vb[0], qh, rh.pos,
                   rh.count, vh[0]);
      }
      if (!qb) st->refused++;
      if (qb && rb.found) st->found++;
      if (qb && rb.count > 1) st->ties++;
    }
  }
  if (kv_count(b) != kv_count(h)) st->mismatches++;
  if (kv_serving(h) == KV_ADDR) {
    st->addr_kept++;
    if (kv_keys_kept(h) > kv_count(h)) st->mismatches++;
  }
  kv_free(b);
  kv_free(h);
}

static void run_seed(uint64_t seed, kv_kind kind) {
  const char *kn = kind == KV_ADDR ? "address" : "hull";
  for (int s = 0; s < K_NSHAPES; s++) {
    stats st = {0};
    rng_state = seed * 1000003u + (uint64_t)s + (kind == KV_ADDR ? 77 : 0);
    for (int rep = 0; rep < 48; rep++) {
      /* the address cache serves LATEST alone (AVERAGE gets a hull) */
      tie_rule tie = rep % 2 && kind != KV_ADDR ? TIE_AVERAGE : TIE_LATEST;
      int dv = 1 + rep % 3;
      long n = rep % 12 == 11 ? 12000 : 3000;
      run_stream((key_shape)s, kind, tie, dv, n, &st);
    }
    /* the address cache must have kept the parabolic streams itself, and
     * handed every other over (K_ADDR_LATE: the long streams at least) */
    bool kept = kind != KV_ADDR ||
                (s == K_PARABOLA || s == K_ADDR_WIDE ? st.addr_kept == 48
                 : s == K_ADDR_LATE ? st.addr_kept < 48 : st.addr_kept == 0);
    tap_ok(st.mismatches == 0 && st.ties > 0 && st.found > 0 && kept,
           "seed %" PRIu64 " %s cache, %s keys: %ld ops (%ld inserts, %ld "
           "queries, %ld with ties, %ld refused), %ld mismatches; %ld of 48 "
           "streams ended in the address cache",
           seed, kn, shape_name[s], st.ops, st.inserts, st.queries, st.ties,
           st.refused, st.mismatches, st.addr_kept);
  }
}

/* Hand-checked answers, so that brute itself is tested too. */
static void fixed_cases(kv_kind kind) {
  const char *kn = kind == KV_HULL ? "hull" : kind == KV_ADDR ? "address"
                   : "brute";
  kv_cache *c = kv_new(kind, TIE_LATEST, 1);
  kv_result r;
  double v;
  tap_ok(kv_query(c, 1, 1, &r, &v) && !r.found && v == 0.0,
         "%s: an empty cache finds nothing and reads zero", kn);
  for (int64_t a = 0; a < 5; a++) {
    double val = 10.0 * (double)a;
    kv_insert(c, 2 * a, -a * a, a, &val);
  }
  double nv = 99;
  kv_insert(c, 2 * 3, -9, 7, &nv); /* address 3 written again */
  tap_ok(kv_query(c, 3, 1, &r, &v) && r.found && r.pos == 7 && v == 99 &&
             r.count == 2 && r.kx == 6 && r.ky == -9,
         "%s: parabolic read of address 3 finds the latest write", kn);
  tap_ok(kv_query(c, 1, 1, &r, &v) && r.pos == 1 && v == 10 && r.count == 1,
         "%s: parabolic read of address 1", kn);
  tap_ok(kv_query(c, 0, 0, &r, &v) && r.pos == 7 && r.count == 6,
         "%s: the zero query ties all six positions", kn);
  tap_ok(kv_query(c, -1, 0, &r, &v) && r.pos == 0 && r.count == 1,
         "%s: (-1, 0) finds the leftmost key", kn);
  tap_ok(!kv_insert(c, 0, 0, 7, &v) && !kv_insert(c, KEY_MAX_X + 1, 0, 9, &v)
             && !kv_insert(c, 0, -KEY_MAX_Y - 1, 9, &v) && kv_count(c) == 6,
         "%s: a repeated position and out-of-bound keys are refused", kn);
  tap_ok(!kv_query(c, QUERY_MAX + 1, 0, &r, &v) &&
             kv_insert(c, 0, (int64_t)1 << 50, 20, &v) &&
             kv_query(c, 3, 7, &r, &v) && !kv_query(c, 3, 8, &r, &v),
         "%s: queries beyond QUERY_MAX or 2^53 scores are refused", kn);
  kv_free(c);

  c = kv_new(kind, TIE_AVERAGE, 2);
  double w[2];
  for (int i = 0; i < 4; i++) {
    w[0] = i;
    w[1] = -3 * i;
    kv_insert(c, i % 2, 5, i, w); /* keys (0,5) (1,5) (0,5) (1,5) */
  }
  w[0] = 0.5;
  tap_ok(!kv_insert(c, 0, 0, 10, w), "%s: AVERAGE refuses a fractional value",
         kn);
  tap_ok(kv_query(c, 0, 1, &r, w) && r.count == 4 && r.pos == 3 &&
             w[0] == 1.5 && w[1] == -4.5,
         "%s: AVERAGE over a horizontal edge means all four values", kn);
  tap_ok(kv_query(c, 1, 1, &r, w) && r.count == 2 && r.pos == 3 &&
             w[0] == 2.0 && w[1] == -6.0,
         "%s: AVERAGE of a duplicated key", kn);
  kv_free(c);
}

int main(void) {
  fixed_cases(KV_BRUTE);
  fixed_cases(KV_HULL);
  fixed_cases(KV_ADDR);
  run_seed(1, KV_HULL);
  run_seed(1, KV_ADDR);
  const char *env = getenv("TVL_SEED");
  if (env && *env) {
    run_seed(strtoull(env, NULL, 10), KV_HULL);
    run_seed(strtoull(env, NULL, 10), KV_ADDR);
  }
  tap_plan(tap_n);
  return tap_done();
}
