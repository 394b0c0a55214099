/* argmax.c - the executor's output argmax (exec-int.h argmax_ranges):
 * per vocabulary range, a branch and bound on the quadratic logit instead
 * of a scan of every token, with the full scan's answer.
 *
 * Ownership: borrows everything; keeps nothing.
 */
#include "config.h"

#include "backend/engine/exec-int.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* The logit of a token of value v in a range whose output features are
 * (a, b, c) is, as the dense product F_out z computes it in feature order,
 * (a + v*b) + (v*v)*c: a quadratic in v, up to rounding.  Rounding can
 * make it non-unimodal, so the search is a branch and bound over the
 * range's ids with a rigorous bound: a computed logit, and the computed
 * maximum of the exact quadratic over an interval (ends and vertex), are
 * each within 4u*M of the exact value, M = |a| + V|b| + V^2|c| (V the
 * largest |v| in the interval, u = 2^-53); an interval is dropped only
 * when that maximum plus 16u*M stays below the best computed logit.  The answer is the
 * full scan's: the largest logit, the lowest id among equals. */

typedef struct {
  double val;
  int id;
} best_t;

/* floor(v) without the library call: below 2^52 in magnitude the
 * truncation, one less when it rounded up; floor itself elsewhere (NaN,
 * infinities and larger doubles, all of which it returns unchanged). */
static inline double floor2(double v) {
  if (!(fabs(v) < 0x1p52)) return floor(v);
  double t = (double)(int64_t)v;
  return t > v ? t - 1 : t;
}

/* fmax without the library call (fmax is one on baseline x86-64): the
 * larger of a and b, the other one when either is NaN.  Which zero it
 * returns for -0 and +0 may differ from fmax's; every use below adds a
 * positive slack to it or compares it, where the sign of a zero changes
 * nothing. */
static inline double max2(double a, double b) {
  if (a != a) return b;
  if (b != b) return a;
  return a > b ? a : b;
}

static double logit(const double *abc, double v) {
  double s = abc[0] + v * abc[1];
  return s + (v * v) * abc[2];
}

static void consider(best_t *b, double val, int id) {
  if (val > b->val || (val == b->val && id < b->id)) {
    b->val = val;
    b->id = id;
  }
}

typedef struct {
  const double *abc;
  double v0;       /* value of the range's first token */
  int first;
  best_t *best;
} range_search;

static inline double slack(const double *abc, double vl, double vh) {
  double V = max2(fabs(vl), fabs(vh));
  double M = fabs(abc[0]) + V * fabs(abc[1]) + V * V * fabs(abc[2]);
  return M * 0x1p-49 + DBL_MIN; /* 16u M, plus room for underflow */
}

/* An upper bound of every computed logit in ids [lo, hi] of the range. */
static double upper_bound(const range_search *s, int lo, int hi) {
  const double *abc = s->abc;
  double vl = s->v0 + lo, vh = s->v0 + hi;
  double m = max2(logit(abc, vl), logit(abc, vh));
  if (abc[2] < 0) {
    double vs = -abc[1] / (2 * abc[2]);
    if (vs > vl && vs < vh) m = max2(m, abc[0] + abc[1] * vs + abc[2] * vs * vs);
  }
  return m + slack(abc, vl, vh);
}

static void search(const range_search *s, int lo, int hi) {
  if (hi - lo < 8) {
    for (int i = lo; i <= hi; i++)
      consider(s->best, logit(s->abc, s->v0 + i), s->first + i);
    return;
  }
  if (upper_bound(s, lo, hi) < s->best->val) return;
  int mid = lo + (hi - lo) / 2;
  search(s, lo, mid);
  search(s, mid + 1, hi);
}

/* Seeds: both ends and the vertex, so that the bound prunes early. */
static void seed_range(const range_search *s, int count) {
  const double *abc = s->abc;
  consider(s->best, logit(abc, s->v0), s->first);
  if (count == 1) return; /* the other seeds are the same token or none */
  consider(s->best, logit(abc, s->v0 + (count - 1)), s->first + count - 1);
  if (abc[2] < 0 && count > 2) { /* a vertex seed lies strictly inside */
    double at = floor2(-abc[1] / (2 * abc[2]) - s->v0) - 1;
    for (int k = 0; k < 3; k++) {
      double i = at + k;
      if (i > 0 && i < count - 1)
        consider(s->best, logit(abc, s->v0 + i), s->first + (int)i);
    }
  }
}

/* With integral features and every term below 2^52, every logit of the
 * range is computed exactly, so the quadratic's maximum over the range is
 * at an end or next to the vertex: the seeds hold it (and both ids of a
 * tie), and no search is needed. */
static bool range_exact(const double *abc, const vocab_range *r) {
  for (int k = 0; k < 3; k++)
    if (!whole(abc[k])) return false;
  double vl = (double)r->value0, vh = (double)(r->value0 + r->count - 1);
  double V = max2(fabs(vl), fabs(vh));
  return fabs(abc[0]) + V * fabs(abc[1]) + V * V * fabs(abc[2]) < 0x1p52;
}

/* Every logit is finite when the magnitude bound is; otherwise the range
 * is scanned, and a non-finite logit is an error (as it is for numpy). */
static bool range_tame(const double *abc, const vocab_range *r) {
  double vl = (double)r->value0, vh = (double)(r->value0 + r->count - 1);
  return slack(abc, vl, vh) < 1e280;
}

bool argmax_ranges(const model *m, const double *z, unsigned char *tame, int *next, int *bad) {
  best_t best = {-INFINITY, INT32_MAX};
  for (int r = 0; r < m->n_ranges; r++) {
    const vocab_range *vr = &m->ranges[r];
    range_search s = {z + 3 * r, (double)vr->value0, vr->first, &best};
    if ((tame[r] = range_tame(s.abc, vr))) {
      seed_range(&s, vr->count);
      continue;
    }
    for (int i = 0; i < vr->count; i++) {
      double L = logit(s.abc, s.v0 + i);
      if (!isfinite(L)) {
        *bad = vr->first + i;
        return false;
      }
      consider(&best, L, vr->first + i);
    }
  }
  for (int r = 0; r < m->n_ranges; r++) {
    const vocab_range *vr = &m->ranges[r];
    const double *abc = z + 3 * r;
    if (!tame[r]) continue;
    if (vr->count == 1) continue;                   /* its one token: seeded */
    if (abc[1] == 0.0 && abc[2] == 0.0) continue; /* constant: seeded */
    if (range_exact(abc, vr)) continue;             /* seeds are exact */
    range_search s = {abc, (double)vr->value0, vr->first, &best};
    search(&s, 0, vr->count - 1);
  }
  *next = best.id;
  return true;
}
