/* ffn.c - the FFN matrices held sparse, by unit (engine.h model_ffn):
 * edits, their merge, and dense views of a unit.
 *
 * A compiled model's FFN matrices are mostly zeros and, dense, large (up
 * to 2 GB a model): held sparse, building, checking, bounding and running
 * a model cost the entries it has, not d_model x n_ffn.  An entry's value
 * is exactly the dense matrix's: edits apply in their order, each add a
 * float64 sum from +0 as `W[j][s] += w` computes it, each set a
 * replacement; an entry whose value is +0 is dropped (absent means +0),
 * any other value, -0 included, is kept.
 *
 * Ownership: the layer's model_ffn owns its arrays (model.c frees them).
 */
#include "config.h"

#include "backend/engine/engine.h"

#include <stdlib.h>
#include <string.h>

struct ffn_edit {
  int32_t unit, slot;
  double w;
  int64_t seq;       /* its place among the edits (sorts keep it) */
  bool set;          /* W = w, else W += w */
};

static bool is_pos_zero(double w) {
  uint64_t b;
  memcpy(&b, &w, sizeof b);
  return b == 0;
}

static void apply(double *v, const struct ffn_edit *e) {
  if (e->set) *v = e->w;
  else *v += e->w;
}

static const model_ffn *mat_of(const model_layer *l, int mat) {
  return l && mat >= 0 && mat < FFN_MATS ? &l->ffn[mat] : NULL;
}

/* The merged value of (unit, slot): a binary search in the unit's
 * entries (+0 when absent). */
static double merged(const model_ffn *f, int unit, int slot) {
  if (!f->start) return 0.0;
  int64_t lo = f->start[unit], hi = f->start[unit + 1];
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (f->slot[mid] < slot) lo = mid + 1;
    else hi = mid;
  }
  return lo < f->start[unit + 1] && f->slot[lo] == slot ? f->w[lo] : 0.0;
}

double model_ffn_get(const model_layer *l, int mat, int unit, int slot) {
  const model_ffn *f = mat_of(l, mat);
  if (!f || unit < 0 || unit >= l->n_ffn || slot < 0) return 0.0;
  double v = merged(f, unit, slot);
  for (int64_t k = 0; k < f->n_pend; k++)
    if (f->pend[k].unit == unit && f->pend[k].slot == slot) apply(&v, &f->pend[k]);
  return v;
}

static void edit(model_layer *l, int mat, int unit, int slot, double w,
                 bool set) {
  if (!l || mat < 0 || mat >= FFN_MATS || unit < 0 || unit >= l->n_ffn ||
      slot < 0)
    return;
  model_ffn *f = &l->ffn[mat];
  if (f->n_pend == f->cap_pend) {
    f->cap_pend = f->cap_pend ? 2 * f->cap_pend : 64;
    f->pend = xrealloc(f->pend, (size_t)f->cap_pend * sizeof *f->pend);
  }
  struct ffn_edit e = {unit, slot, w, f->n_pend, set};
  f->pend[f->n_pend++] = e;
}

void model_ffn_add(model_layer *l, int mat, int unit, int slot, double w) {
  edit(l, mat, unit, slot, w, false);
}

void model_ffn_put(model_layer *l, int mat, int unit, int slot, double w) {
  edit(l, mat, unit, slot, w, true);
}

static void finish_one(model_ffn *f, int n);

void model_ffn_set(model_layer *l, int mat, int unit, int slot, double w) {
  edit(l, mat, unit, slot, w, true);
  if (l && mat >= 0 && mat < FFN_MATS) finish_one(&l->ffn[mat], l->n_ffn);
}

static int edit_cmp(const void *a, const void *b) {
  const struct ffn_edit *x = a, *y = b;
  if (x->slot != y->slot) return x->slot < y->slot ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts one unit's edits by slot, then order: insertion sort for the few
 * a unit usually has. */
static void sort_edits(struct ffn_edit *e, int64_t n) {
  if (n > 32) {
    qsort(e, (size_t)n, sizeof *e, edit_cmp);
    return;
  }
  for (int64_t i = 1; i < n; i++) {
    struct ffn_edit t = e[i];
    int64_t k = i;
    while (k > 0 && edit_cmp(&e[k - 1], &t) > 0) {
      e[k] = e[k - 1];
      k--;
    }
    e[k] = t;
  }
}

/* Merges f's edits into its entries: the edits by unit (a stable counting
 * sort), each unit's by slot, then unit by unit the entries and edits in
 * slot order, each slot's value its entry's (or +0) with its edits
 * applied in order. */
static void finish_one(model_ffn *f, int n) {
  if (!f->n_pend) return;
  int64_t np = f->n_pend, old = f->start ? f->start[n] : 0;
  int64_t *cnt = xcalloc((size_t)n + 2, sizeof *cnt);
  for (int64_t k = 0; k < np; k++) cnt[f->pend[k].unit + 1]++;
  for (int j = 0; j < n; j++) cnt[j + 1] += cnt[j];
  struct ffn_edit *by = xmalloc((size_t)np * sizeof *by);
  int64_t *fill = xmalloc(((size_t)n + 1) * sizeof *fill);
  memcpy(fill, cnt, ((size_t)n + 1) * sizeof *fill);
  for (int64_t k = 0; k < np; k++) by[fill[f->pend[k].unit]++] = f->pend[k];
  free(fill);
  int64_t cap = old + np;
  int64_t *start = xmalloc(((size_t)n + 1) * sizeof *start);
  int32_t *slot = xmalloc(((size_t)cap + 1) * sizeof *slot);
  double *w = xmalloc(((size_t)cap + 1) * sizeof *w);
  int64_t out = 0;
  for (int j = 0; j < n; j++) {
    start[j] = out;
    struct ffn_edit *e = by + cnt[j];
    int64_t ne = cnt[j + 1] - cnt[j], a = f->start ? f->start[j] : 0,
            ae = f->start ? f->start[j + 1] : 0, b = 0;
    sort_edits(e, ne);
    while (a < ae || b < ne) {
      int32_t s = b >= ne || (a < ae && f->slot[a] <= e[b].slot) ? f->slot[a]
                                                                 : e[b].slot;
      double v = 0.0;
      if (a < ae && f->slot[a] == s) v = f->w[a++];
      while (b < ne && e[b].slot == s) apply(&v, &e[b++]);
      if (is_pos_zero(v)) continue;
      slot[out] = s;
      w[out++] = v;
    }
  }
  start[n] = out;
  free(by);
  free(cnt);
  free(f->start);
  free(f->slot);
  free(f->w);
  free(f->pend);
  f->start = start;
  f->slot = xrealloc(slot, ((size_t)out + 1) * sizeof *slot);
  f->w = xrealloc(w, ((size_t)out + 1) * sizeof *w);
  f->pend = NULL;
  f->n_pend = f->cap_pend = 0;
}

void model_ffn_finish(model_layer *l) {
  if (!l) return;
  for (int k = 0; k < FFN_MATS; k++) finish_one(&l->ffn[k], l->n_ffn);
}

void model_ffn_unit(const model_layer *l, int mat, int unit, int d,
                    double *out) {
  const model_ffn *f = mat_of(l, mat);
  if (d > 0) memset(out, 0, (size_t)d * sizeof *out);
  if (!f || unit < 0 || unit >= l->n_ffn) return;
  for (int64_t k = f->start ? f->start[unit] : 0;
       f->start && k < f->start[unit + 1]; k++)
    if (f->slot[k] < d) out[f->slot[k]] = f->w[k];
  for (int64_t k = 0; k < f->n_pend; k++)
    if (f->pend[k].unit == unit && f->pend[k].slot < d)
      apply(&out[f->pend[k].slot], &f->pend[k]);
}

int64_t model_ffn_count(const model_layer *l, int mat) {
  const model_ffn *f = mat_of(l, mat);
  return f && f->start ? f->start[l->n_ffn] : 0;
}
