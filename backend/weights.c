/* weights.c - schedule + slots -> the matrices of a model.  Every linear
 * form becomes a row over slots; its constant goes on the ONE slot. */
#include "config.h"

#include "gates.h"

#include <string.h>

typedef struct {
  const gate_graph *gg;
  const placement *pl;
  int d;
  bool failed;
  char *err;
  size_t errlen;
} wb;

static void put_form(wb *w, double *row, gform f) {
  for (int i = 0; i < f.n; i++) {
    int s = w->pl->slot[f.t[i].g];
    if (s < 0) {
      if (!w->failed)
        snprintf(w->err, w->errlen, "internal error: %s is read but has no slot",
                 w->gg->g.v[f.t[i].g].name);
      w->failed = true;
      return;
    }
    row[s] += f.t[i].c;
  }
  if (f.k != 0) row[w->pl->slot[w->gg->one]] += f.k;
}

static void put_inputs(wb *w, model *m) {
  int R = m->n_ranges;
  for (int i = 0; i < w->gg->g.n; i++) {
    const gate *g = &w->gg->g.v[i];
    int s = w->pl->slot[i];
    if (g->type != GT_INPUT || s < 0) continue;
    switch (g->in) {
    case IN_ONE:
      for (int r = 0; r < R; r++) m->p_in[s * 2 * R + 2 * r] = 1;
      break;
    case IN_TOKEN:
      for (int r = 0; r < R; r++) {
        m->p_in[s * 2 * R + 2 * r] = g->role_ind[r];
        m->p_in[s * 2 * R + 2 * r + 1] = g->role_val[r];
      }
      break;
    case IN_POS:
      m->p_pos[s * POS_NFEAT + POS_P] = 1;
      break;
    case IN_POS2:
      m->p_pos[s * POS_NFEAT + POS_P2] = 1;
      break;
    }
  }
}

static void put_head(wb *w, model *m, int gi) {
  const gate *g = &w->gg->g.v[gi];
  int layer = w->pl->time[gi] / 2, idx = w->pl->phys_head[gi], d = w->d;
  model_head *h = &m->layers[layer].heads[idx];
  snprintf(h->name, sizeof h->name, "%s", g->name);
  h->tie = g->tie;
  h->mask_slot = g->mask >= 0 ? w->pl->slot[g->mask] : -1;
  for (int r = 0; r < 2; r++) {
    put_form(w, h->wq + r * d, g->q[r]);
    put_form(w, h->wk + r * d, g->k[r]);
  }
  for (int c = 0; c < g->dv; c++) {
    int out = g->outs[c];
    int s = w->pl->slot[out];
    if (s < 0) continue;   /* component nobody reads */
    put_form(w, h->wv + c * d, g->vals[c]);
    h->wo[s * h->dv + c] = 1;
  }
}

model *weights_build(gate_graph *gg, const placement *pl,
                     const vocab_range *ranges, int n_ranges, char *err,
                     size_t errlen) {
  wb w = {gg, pl, pl->d_model, false, err, errlen};
  model *m = model_new(pl->d_model, pl->n_layers, ranges, n_ranges);
  if (!m) {
    snprintf(err, errlen, "cannot make a model of this shape");
    return NULL;
  }
  int n = gg->g.n;
  for (int l = 0; l < pl->n_layers; l++) {
    int nh = pl->heads_per_layer[l];
    int *dv = xcalloc((size_t)(nh ? nh : 1), sizeof(int));
    for (int i = 0; i < n; i++)
      if (gg->g.v[i].type == GT_HEAD && pl->time[i] >= 0 && pl->time[i] / 2 == l)
        dv[pl->phys_head[i]] = gg->g.v[i].dv;
    model_layer_alloc(m, l, nh, dv, pl->ffn_units[l]);
    free(dv);
  }
  put_inputs(&w, m);
  int *next_unit = xcalloc((size_t)pl->n_layers, sizeof(int));
  int d = pl->d_model;
  for (int i = 0; i < n && !w.failed; i++) {
    const gate *g = &gg->g.v[i];
    if (pl->time[i] < 0) continue;
    if (g->type == GT_HEAD) put_head(&w, m, i);
    if (g->type != GT_FFN || pl->slot[i] < 0) continue;
    model_layer *L = &m->layers[pl->time[i] / 2];
    for (int u = 0; u < g->nunits; u++) {
      int j = next_unit[pl->time[i] / 2]++;
      put_form(&w, L->w_gate + (size_t)j * d, g->units[u].b);
      put_form(&w, L->w_up + (size_t)j * d, g->units[u].a);
      L->w_down[(size_t)pl->slot[i] * L->n_ffn + j] += g->units[u].c;
    }
  }
  for (int c = 0; c < pl->clears.n && !w.failed; c++) {
    int old = pl->clears.v[c].gate, layer = pl->clears.v[c].layer;
    model_layer *L = &m->layers[layer];
    int j = next_unit[layer]++;
    int s = pl->slot[old];
    L->w_gate[(size_t)j * d + pl->slot[gg->one]] = 1;
    L->w_up[(size_t)j * d + s] = -1;
    L->w_down[(size_t)s * L->n_ffn + j] = 1;
  }
  free(next_unit);
  for (int r = 0; r < 3 * n_ranges && !w.failed; r++)
    put_form(&w, m->p_out + (size_t)r * d, gg->out[r]);
  if (w.failed) {
    model_free(m);
    return NULL;
  }
  m->slot_names = xcalloc((size_t)(d ? d : 1), sizeof(char *));
  for (int s = 0; s < d; s++) m->slot_names[s] = xstrdup(pl->slot_names[s]);
  return m;
}
