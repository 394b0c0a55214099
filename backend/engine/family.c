/* family.c - the FFN families of a layer, for their evaluation in closed
 * form by exec.c's fam_run (see the comment below for why it is exact).
 *
 * Ownership: a layer_exec owns the rows built here until fam_free.
 */
#include "config.h"

#include "backend/engine/exec-int.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- families ---------------------------------------------------------
 *
 * A family unit of router r (model_layer.ffn_family) is relu(v + c) * 1,
 * v router r's value, read at this layer: its gate row is the router's
 * row but for the constant slot, and its up row that slot alone.  When
 * every term of v is an integer and the sums stay below 2^52, the dense
 * pass computes every gate v + c exactly, and every product and partial
 * sum of a row of W_down over the family's units exactly (integers), so
 * the row receives exactly sum_j W_j max(v + c_j, 0) = v A + B, with A and
 * B the sums of W and W c over the active units: a prefix of the units by
 * threshold -c.  The rows are summed in the dense order as long as the
 * family's units come before any other unit writing them; then the other
 * units add to that exact partial sum, as in the dense pass.  What the
 * weights must show is checked here; the rest (integral terms, magnitude)
 * at each position by read_routers, or the units run one by one. */

static bool integral(double w) { return w == floor(w) && fabs(w) <= FAM_MAX; }

typedef struct {
  double tau, w;
} fam_term;

static int fam_term_cmp(const void *a, const void *b) {
  double x = ((const fam_term *)a)->tau, y = ((const fam_term *)b)->tau;
  return x < y ? -1 : x > y;
}

static int fam_row_cmp(const void *a, const void *b) {
  double x = ((const fam_row *)a)->tau[0], y = ((const fam_row *)b)->tau[0];
  return x < y ? -1 : x > y;
}

static void fam_rows_free(fam_row *fr, int n) {
  for (int q = 0; q < n; q++) {
    free(fr[q].tau);
    free(fr[q].A);
    free(fr[q].B);
  }
  free(fr);
}

void fam_free(layer_exec *le) {
  for (int r = 0; r < ROUTE_MAX; r++) {
    fam_rows_free(le->frows[r], le->n_frows[r]);
    fam_rows_free(le->nrows[r], le->n_nrows[r]);
    free(le->funits[r]);
    le->frows[r] = le->nrows[r] = NULL;
    le->funits[r] = NULL;
    le->n_frows[r] = le->n_nrows[r] = le->n_funits[r] = 0;
  }
}

/* A narrow row is 0 but where v lies within FAM_NARROW above its first
 * threshold: A and B of all its units are 0 (a one-hot [v == k] as
 * relu(d + 1) - 2 relu(d) + relu(d - 1)).  Elsewhere such a row is left
 * alone: below, no unit is active (as for any row); above, the units'
 * terms cancel to +0, which adds nothing to the slot but where it holds
 * -0 (no token can tell).  The narrow rows are moved to nrows, which are
 * found by their first threshold. */
static void fam_split(layer_exec *le, int r) {
  fam_row *w = le->frows[r];
  int n = le->n_frows[r], nw = 0;
  le->nrows[r] = xmalloc(((size_t)n + 1) * sizeof(fam_row));
  for (int q = 0; q < n; q++) {
    int k = w[q].nu;
    if (w[q].A[k] == 0.0 && w[q].B[k] == 0.0 &&
        w[q].tau[k - 1] - w[q].tau[0] <= FAM_NARROW)
      le->nrows[r][le->n_nrows[r]++] = w[q];
    else
      w[nw++] = w[q];
  }
  le->n_frows[r] = nw;
}

/* single() of unit j's row of an FFN matrix. */
static int unit_single(const model_ffn *f, int j, double *coef) {
  int at = -1;
  for (int64_t q = f->start[j]; q < f->start[j + 1]; q++) {
    if (f->w[q] == 0.0) continue;
    if (at >= 0) return -1;
    at = f->slot[q];
    *coef = f->w[q];
  }
  return at;
}

/* Whether unit j's gate row equals router row w at every slot but o: the
 * row's non-zero entries (o aside) are w's there and as many as w's non-
 * zero entries but o's (nz); *at_o gets the row's entry at o. */
static bool gate_is_router(const model_ffn *g, int j, const double *w, int o,
                           int nz, double *at_o) {
  int cnt = 0;
  *at_o = 0.0;
  for (int64_t q = g->start[j]; q < g->start[j + 1]; q++) {
    if (g->slot[q] == o) {
      *at_o = g->w[q];
      continue;
    }
    if (g->w[q] == 0.0) continue;
    if (g->w[q] != w[g->slot[q]]) return false;
    cnt++;
  }
  return cnt == nz;
}

/* The constant slot every family unit's up row reads with weight 1, and
 * the units' constants c; -1 when the weights do not show a family: each
 * unit's gate row is its router's row w (every weight integral) at every
 * slot but that one. */
static int fam_shape(const exec *e, const model_layer *ml, int l, double *c) {
  const model *m = e->m;
  int d = m->d_model, n = ml->n_ffn, one = -1, nz[ROUTE_MAX];
  for (int r = 0; r < ROUTE_MAX; r++) nz[r] = -1;   /* not counted yet */
  for (int j = 0; j < n; j++) {
    int r = ml->ffn_family[j];
    if (r < 0) continue;
    const double *w = m->routing->routers[r].w;
    double k = 0, go;
    int o = unit_single(&ml->ffn[FFN_UP], j, &k);
    if (o < 0 || k != 1.0 || (one >= 0 && o != one)) return -1;
    one = o;
    if (nz[r] < 0) {
      nz[r] = 0;
      for (int i = 0; i < d; i++) {
        if (i == o) continue;
        if (!integral(w[i])) return -1;
        nz[r] += w[i] != 0.0;
      }
    }
    if (!gate_is_router(&ml->ffn[FFN_GATE], j, w, o, nz[r], &go)) return -1;
    c[j] = go - w[o];
    if (!integral(go) || !integral(w[o]) || !integral(c[j])) return -1;
  }
  /* every family unit's column of W_down integral */
  const model_ffn *dn = &ml->ffn[FFN_DOWN];
  for (int j = 0; one >= 0 && j < n; j++)
    for (int64_t q = dn->start[j]; ml->ffn_family[j] >= 0 && q < dn->start[j + 1]; q++)
      if (dn->w[q] != 0.0 && !integral(dn->w[q])) return -1;
  if (one < 0 || !pure_slot(e, l, one, -1)) return -1;
  for (int h = 0; h < ml->n_heads; h++)
    for (int k = 0; k < ml->heads[h].dv; k++)
      if (ml->heads[h].wo[(size_t)one * ml->heads[h].dv + k] != 0.0) return -1;
  return one;
}

/* Row i of the family's rows, if the family's units come first in it and
 * all belong to one router (false otherwise). */
static bool fam_row_build(exec *e, layer_exec *le, const model_layer *ml,
                          int i, const double *c, fam_term *tm) {
  int r = -1, nu = 0;
  const csc *dn = &le->ffn_down;    /* row i: its units in increasing order */
  bool other = false;
  double wabs = 0, cmax = 0;
  for (int q = dn->start[i]; q < dn->start[i + 1]; q++) {
    int j = dn->row[q];
    double wj = dn->w[q];
    int f = ml->ffn_family[j];
    if (f < 0) {
      other = true;
      continue;
    }
    if (other || (r >= 0 && f != r)) return false;   /* not first */
    r = f;
    fam_term t = {-c[j], wj};
    tm[nu++] = t;
    wabs += fabs(wj);
    cmax = fmax(cmax, fabs(c[j]));
  }
  if (!nu) return true;
  /* |v| + cmax <= vmax + cmax keeps every sum of the row below 2^52 */
  double vmax = floor(FAM_MAX / wabs) - cmax;
  if (!(vmax >= 1)) return false;
  if (vmax < e->fam_vmax[r]) e->fam_vmax[r] = vmax;
  if (cmax > e->fam_cmax[r]) e->fam_cmax[r] = cmax;
  qsort(tm, (size_t)nu, sizeof *tm, fam_term_cmp);
  fam_row fr = {i, nu, !other, xmalloc((size_t)nu * sizeof(double)),
                xmalloc(((size_t)nu + 1) * sizeof(double)),
                xmalloc(((size_t)nu + 1) * sizeof(double))};
  fr.A[0] = fr.B[0] = 0;
  for (int k = 0; k < nu; k++) {
    fr.tau[k] = tm[k].tau;
    fr.A[k + 1] = fr.A[k] + tm[k].w;
    fr.B[k + 1] = fr.B[k] - tm[k].w * tm[k].tau;
  }
  le->frows[r] = xrealloc(le->frows[r], ((size_t)le->n_frows[r] + 1) * sizeof(fam_row));
  le->frows[r][le->n_frows[r]++] = fr;
  return true;
}

/* The layer's families, or none (their units then run one by one). */
void fam_build(exec *e, layer_exec *le, const model_layer *ml, int l) {
  int n = ml->n_ffn, d = e->m->d_model;
  bool any = false;
  for (int j = 0; ml->ffn_family && j < n; j++) any |= ml->ffn_family[j] >= 0;
  if (!any) return;
  double *c = xcalloc((size_t)n + 1, sizeof *c);
  fam_term *tm = xmalloc(((size_t)n + 1) * sizeof *tm);
  bool ok = fam_shape(e, ml, l, c) >= 0;
  for (int i = 0; ok && i < d; i++) ok = fam_row_build(e, le, ml, i, c, tm);
  free(c);
  free(tm);
  if (!ok) {
    fam_free(le);
    return;
  }
  le->isfam = xcalloc((size_t)n + 1, 1);
  for (int r = 0; r < ROUTE_MAX; r++) {
    if (le->n_frows[r])
      qsort(le->frows[r], (size_t)le->n_frows[r], sizeof(fam_row), fam_row_cmp);
    fam_split(le, r);
    le->funits[r] = xmalloc(((size_t)n + 1) * sizeof(int));
  }
  for (int j = 0; j < n; j++) {
    int r = ml->ffn_family[j];
    if (r < 0) continue;
    le->isfam[j] = 1;
    le->funits[r][le->n_funits[r]++] = j;
  }
}
