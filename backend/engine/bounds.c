/* bounds.c - magnitude bounds of everything a forward pass computes,
 * derived from the weights alone, so that the executor may skip its
 * per-unit and per-slot isfinite checks where no value can overflow.
 *
 * Every value of a pass is a sum of products of finite weights and
 * earlier values, which start as token values (within their vocabulary
 * ranges) and position features (p < POS_MAX = 2^40, r < N, r^2 < N^2,
 * r_d within (-3, N)).  An attention head returns the value W_v x of an
 * earlier position's residual at the same layer (or the mean of such,
 * or zeros), so the bound of the layer's input bounds it too, at every
 * position alike: one pass over the layers bounds every slot of every
 * position, however long the trace.  With B the bound of a slot,
 *   |W x|_i        <= sum_j |W_ij| B_j             (each row of W)
 *   |relu(g) u|    <= G U                           (a unit)
 * and the residual after a half-layer is bounded by its bound before plus
 * the update's.  Rounding changes a computed value by a relative 2^-53
 * per operation, far inside the margin below (FINITE_MAX is 2^1000,
 * DBL_MAX about 2^1024).  Routing and liveness only leave terms out or
 * keep a slot's value of an earlier layer, both within these bounds.
 *
 * The bounds are loose (they ignore signs and every relation between
 * slots): a deep model's products can exceed FINITE_MAX, and from the
 * first layer where that happens the executor checks as before.
 */
#include "config.h"

#include "backend/engine/engine.h"

#include <math.h>
#include <string.h>

void model_bounds(const model *m, double *layer_max);

/* y_i = sum_j |W_ij| b_j for a rows x cols row-major W. */
static void abs_mv(const double *w, int rows, int cols, const double *b,
                   double *y) {
  for (int i = 0; i < rows; i++) {
    double s = 0;
    for (int j = 0; j < cols; j++) {
      double a = fabs(w[(size_t)i * cols + j]);
      if (a != 0.0) s += a * b[j];
    }
    y[i] = s;
  }
}

/* No bound is NaN: an infinite bound times a zero one counts as
 * infinite (unit()), and every other operation keeps +inf. */
static double max_of(const double *v, int n, double m) {
  for (int i = 0; i < n; i++)
    if (v[i] > m) m = v[i];
  return m;
}

static double unit(double g, double u) {
  double h = g * u;
  return isnan(h) ? INFINITY : h;
}

/* The residual as the embedding makes it, slot by slot. */
static void embed_bounds(const model *m, double *b) {
  int d = m->d_model, nf = 2 * m->n_ranges;
  double feat[POS_NFEAT] = {0};
  feat[POS_P] = (double)POS_MAX;
  feat[POS_RING] = POS_RING_N;
  feat[POS_RING2] = (double)POS_RING_N * POS_RING_N;
  feat[POS_RING_M1] = feat[POS_RING_M2] = POS_RING_N;
  for (int i = 0; i < d; i++) {
    double tok = 0;
    for (int r = 0; r < m->n_ranges; r++) {
      const vocab_range *vr = &m->ranges[r];
      double v = fmax(fabs((double)vr->value0),
                      fabs((double)vr->value0 + vr->count - 1));
      double t = fabs(m->p_in[(size_t)i * nf + 2 * r]) +
                 fabs(m->p_in[(size_t)i * nf + 2 * r + 1]) * v;
      tok = fmax(tok, t);
    }
    double pos = 0;
    for (int k = 0; k < POS_NFEAT; k++)
      pos += fabs(m->p_pos[(size_t)i * POS_NFEAT + k]) * feat[k];
    b[i] = tok + pos;
  }
}

/* Attention: every head's value, then its output added to the residual. */
static double attn_bounds(const model_layer *ly, int d, double *b,
                          double *tmp, double *add) {
  double mx = 0;
  memset(add, 0, (size_t)d * sizeof *add);
  for (int h = 0; h < ly->n_heads; h++) {
    const model_head *hd = &ly->heads[h];
    abs_mv(hd->wv, hd->dv, d, b, tmp);
    mx = max_of(tmp, hd->dv, mx);
    for (int i = 0; i < d; i++)
      for (int c = 0; c < hd->dv; c++) {
        double a = fabs(hd->wo[(size_t)i * hd->dv + c]);
        if (a != 0.0) add[i] += a * tmp[c];
      }
  }
  for (int i = 0; i < d; i++) b[i] += add[i];
  return max_of(b, d, mx);
}

/* abs_mv for an FFN matrix held by unit (engine.h model_ffn): y_j of
 * unit j's row (W_gate, W_up), each sum in increasing slot order. */
static void abs_mv_units(const model_ffn *f, int n, const double *b,
                         double *y) {
  for (int j = 0; j < n; j++) {
    double s = 0;
    for (int64_t q = f->start[j]; q < f->start[j + 1]; q++) {
      double a = fabs(f->w[q]);
      if (a != 0.0) s += a * b[f->slot[q]];
    }
    y[j] = s;
  }
}

/* The FFN: gates, ups, units, then the residual: W_down by unit, each
 * slot's sum taking the units in increasing order, as a row of the dense
 * W_down would. */
static double ffn_bounds(const model_layer *ly, int d, double *b) {
  int n = ly->n_ffn;
  if (!n) return 0;
  double *g = xmalloc((3 * (size_t)n + (size_t)d) * sizeof *g), *u = g + n,
         *h = u + n, *s = h + n;
  abs_mv_units(&ly->ffn[FFN_GATE], n, b, g);
  abs_mv_units(&ly->ffn[FFN_UP], n, b, u);
  for (int j = 0; j < n; j++) h[j] = unit(g[j], u[j]);
  double mx = max_of(h, n, max_of(u, n, max_of(g, n, 0)));
  memset(s, 0, (size_t)d * sizeof *s);
  const model_ffn *dn = &ly->ffn[FFN_DOWN];
  for (int j = 0; j < n; j++)
    for (int64_t q = dn->start[j]; q < dn->start[j + 1]; q++) {
      double a = fabs(dn->w[q]);
      if (a != 0.0) s[dn->slot[q]] += a * h[j];
    }
  for (int i = 0; i < d; i++) b[i] += s[i];
  free(g);
  return max_of(b, d, mx);
}

/* The output features and the logits of every range. */
static double out_bounds(const model *m, const double *b) {
  int R = m->n_ranges, d = m->d_model;
  double *z = xmalloc(3 * (size_t)R * sizeof *z);
  abs_mv(m->p_out, 3 * R, d, b, z);
  double mx = max_of(z, 3 * R, 0);
  for (int r = 0; r < R; r++) {
    const vocab_range *vr = &m->ranges[r];
    double v = fmax(fabs((double)vr->value0),
                    fabs((double)vr->value0 + vr->count - 1));
    mx = fmax(mx, z[3 * r] + v * z[3 * r + 1] + unit(v * v, z[3 * r + 2]));
  }
  free(z);
  return mx;
}

/* layer_max[0]: the embedding; [1 + l]: anything layer l computes (its
 * heads' values, the residual, gates, ups and units); [1 + n_layers]: the
 * output features and logits.  A bound may be +inf (or NaN: unbounded). */
void model_bounds(const model *m, double *layer_max) {
  int d = m->d_model;
  double *b = xmalloc(((size_t)d + 1) * sizeof *b);
  int maxdv = 1;
  for (int l = 0; l < m->n_layers; l++)
    for (int h = 0; h < m->layers[l].n_heads; h++)
      if (m->layers[l].heads[h].dv > maxdv) maxdv = m->layers[l].heads[h].dv;
  double *tmp = xmalloc(((size_t)maxdv + 1) * sizeof *tmp);
  double *add = xmalloc(((size_t)d + 1) * sizeof *add);
  embed_bounds(m, b);
  layer_max[0] = max_of(b, d, 0);
  for (int l = 0; l < m->n_layers; l++) {
    double a = attn_bounds(&m->layers[l], d, b, tmp, add);
    layer_max[1 + l] = fmax(a, ffn_bounds(&m->layers[l], d, b));
  }
  layer_max[1 + m->n_layers] = out_bounds(m, b);
  free(tmp);
  free(add);
  free(b);
}
