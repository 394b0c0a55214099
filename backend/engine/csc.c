/* csc.c - column-sparse matrices for the executor (exec-int.h): built
 * from triplets, multiplied by a vector over its used columns only.  Every
 * product sums a row's terms in increasing column order, the order of the
 * dense pass (docs/model-format.md), so skipping zeros changes no
 * rounding.
 *
 * Ownership: a csc owns its arrays until csc_free; csc_build consumes
 * (frees) the triplets it is given.
 */
#include "config.h"

#include "backend/engine/exec-int.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- sparse matrices ---------------------------------------------------- */

/* Appends the rows of a row-major dense block as rows [row0, row0 + rows)
 * of a column-sparse matrix being assembled in triplet lists. */
void trip_add(triplets *t, const double *dense, int rows, int cols,
                     int row0) {
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++) {
      double w = dense[(size_t)i * cols + j];
      if (w == 0.0) continue;
      VEC_PUSH(t->r, row0 + i);
      VEC_PUSH(t->c, j);
      VEC_PUSH(t->w, w);
    }
}

/* The same for an FFN matrix held by unit (engine.h model_ffn): unit j's
 * entries as row row0 + j, or (by_slot, W_down as the dense d x n matrix)
 * as column j of row slot.  Zeros (a -0 held) are left out, as trip_add
 * leaves them. */
void trip_ffn(triplets *t, const model_ffn *f, int n, int row0,
                     bool by_slot) {
  for (int j = 0; j < n; j++)
    for (int64_t q = f->start[j]; q < f->start[j + 1]; q++) {
      if (f->w[q] == 0.0) continue;
      VEC_PUSH(t->r, by_slot ? f->slot[q] : row0 + j);
      VEC_PUSH(t->c, by_slot ? j : f->slot[q]);
      VEC_PUSH(t->w, f->w[q]);
    }
}

/* Like trip_add, with the block's columns shifted to col0. */
void trip_add_cols(triplets *t, const double *dense, int rows,
                          int cols, int col0) {
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++) {
      double w = dense[(size_t)i * cols + j];
      if (w == 0.0) continue;
      VEC_PUSH(t->r, i);
      VEC_PUSH(t->c, col0 + j);
      VEC_PUSH(t->w, w);
    }
}

/* The column form of a matrix being built: bycol lists the triplets by
 * column, and within a column by row. */
static void cols_build(csc *m, const triplets *t, const int *bycol) {
  int n = t->w.n;
  m->cu = xmalloc(((size_t)m->cols + 1) * sizeof *m->cu);
  m->cstart = xmalloc(((size_t)m->cols + 2) * sizeof *m->cstart);
  m->crow = xmalloc(((size_t)n + 1) * sizeof *m->crow);
  m->cw = xmalloc(((size_t)n + 1) * sizeof *m->cw);
  m->ncu = 0;
  for (int q = 0; q < n; q++) {
    int k = bycol[q];
    if (!m->ncu || m->cu[m->ncu - 1] != t->c.v[k]) {
      m->cu[m->ncu] = t->c.v[k];
      m->cstart[m->ncu++] = q;
    }
    m->crow[q] = t->r.v[k];
    m->cw[q] = t->w.v[k];
  }
  m->cstart[m->ncu] = n;
}

/* Row-major, and within a row by column (a counting sort by column, then
 * a stable one by row): each row is summed in increasing column order, as
 * the dense product does, and the cost is the number of non-zeros. */
void csc_build(csc *m, triplets *t, int rows, int cols) {
  m->rows = rows;
  m->cols = cols;
  int n = t->w.n;
  int *bycol = xmalloc(((size_t)n + 1) * sizeof *bycol);
  int *cstart = xcalloc((size_t)cols + 2, sizeof *cstart);
  for (int k = 0; k < n; k++) cstart[t->c.v[k] + 1]++;
  for (int j = 0; j < cols; j++) cstart[j + 1] += cstart[j];
  for (int k = 0; k < n; k++) bycol[cstart[t->c.v[k]]++] = k;
  free(cstart);
  m->start = xcalloc((size_t)rows + 1, sizeof *m->start);
  m->row = xmalloc(((size_t)n + 1) * sizeof *m->row);   /* column of each */
  m->w = xmalloc(((size_t)n + 1) * sizeof *m->w);
  for (int k = 0; k < n; k++) m->start[t->r.v[k] + 1]++;
  for (int i = 0; i < rows; i++) m->start[i + 1] += m->start[i];
  int *fill = xmalloc(((size_t)rows + 1) * sizeof *fill);
  memcpy(fill, m->start, ((size_t)rows + 1) * sizeof *fill);
  for (int q = 0; q < n; q++) {
    int k = bycol[q];
    int at = fill[t->r.v[k]]++;
    m->row[at] = t->c.v[k];
    m->w[at] = t->w.v[k];
  }
  free(fill);
  m->used = xmalloc(((size_t)rows + 1) * sizeof *m->used);
  m->nused = 0;
  for (int i = 0; i < rows; i++)
    if (m->start[i + 1] > m->start[i]) m->used[m->nused++] = i;
  cols_build(m, t, bycol);
  free(bycol);
  VEC_FREE(t->r);
  VEC_FREE(t->c);
  VEC_FREE(t->w);
}

/* The column index of a matrix whose columns are the d residual slots. */
void csc_slots(csc *m, int d) {
  m->cmask = xcalloc((size_t)mask_words(d), sizeof *m->cmask);
  m->cpos = xmalloc(((size_t)d + 1) * sizeof *m->cpos);
  for (int i = 0; i < d; i++) m->cpos[i] = -1;
  for (int q = 0; q < m->ncu; q++) {
    mask_set(m->cmask, m->cu[q]);
    m->cpos[m->cu[q]] = q;
  }
}

void csc_free(csc *m) {
  free(m->cmask);
  free(m->cpos);
  free(m->start);
  free(m->row);
  free(m->w);
  free(m->used);
  free(m->cu);
  free(m->cstart);
  free(m->crow);
  free(m->cw);
}

/* y = M x: each y[i] sums its terms in increasing column order, as the
 * dense product does (the skipped terms are exact zeros). */
void csc_mv(const csc *m, const double *x, double *y) {
  for (int i = 0; i < m->rows; i++) {
    double acc = 0;
    for (int k = m->start[i]; k < m->start[i + 1]; k++) acc += m->w[k] * x[m->row[k]];
    y[i] = acc;
  }
}

/* The same, when the caller reads only the used rows of y (the residual
 * updates). */
void csc_mv_used(const csc *m, const double *x, double *y) {
  for (int u = 0; u < m->nused; u++) {
    int i = m->used[u];
    double acc = 0;
    for (int k = m->start[i]; k < m->start[i + 1]; k++) acc += m->w[k] * x[m->row[k]];
    y[i] = acc;
  }
}

/* y = M x by columns, skipping the columns where x is 0: every row still
 * takes its terms in increasing column order, from +0, and the terms left
 * out are exact zeros (the weights are finite), so y is csc_mv's.  For a
 * residual that is mostly zeros, as the routed pass's is (only the slots
 * written at this position are non-zero).  With used, only the used rows
 * of y are set (csc_mv_used's). */
void csc_mv_sparse(const csc *m, const double *x, double *y, bool used) {
  if (used)
    for (int u = 0; u < m->nused; u++) y[m->used[u]] = 0.0;
  else
    memset(y, 0, (size_t)m->rows * sizeof *y);
  for (int q = 0; q < m->ncu; q++) {
    double xj = x[m->cu[q]];
    if (xj == 0.0) continue;
    for (int k = m->cstart[q]; k < m->cstart[q + 1]; k++) y[m->crow[k]] += m->cw[k] * xj;
  }
}

/* csc_mv_sparse(m, x, y, false) for an x that is +0 outside the slots of
 * written (mask_words(d) words, d = m->cols, the matrix built with
 * csc_slots): only the columns in written are visited, in increasing
 * order; those left out hold +0, which csc_mv_sparse skips too. */
void csc_mv_masked(const csc *m, const double *x, double *y,
                          const uint64_t *written) {
  memset(y, 0, (size_t)m->rows * sizeof *y);
  int nw = mask_words(m->cols);
  for (int wd = 0; wd < nw; wd++) {
    uint64_t b = written[wd] & m->cmask[wd];
    while (b) {
      int j = wd * 64 + __builtin_ctzll(b);
      b &= b - 1;
      double xj = x[j];
      if (xj == 0.0) continue;
      int q = m->cpos[j];
      for (int k = m->cstart[q]; k < m->cstart[q + 1]; k++) y[m->crow[k]] += m->cw[k] * xj;
    }
  }
}
