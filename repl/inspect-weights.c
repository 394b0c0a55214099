/* inspect-weights.c - the matrices of a compiled program, in words and in
 * pictures: :weights (a sparse listing with the slots' names on both
 * axes, grouped by head and FFN unit), :weights --svg (a heat map of
 * every matrix) and :slots --svg (which value lives in which slot when).
 *
 * Names come from the placement: a slot holds different values over the
 * layers, so a row that reads slot s at time t names the value living
 * there then, and a column that writes it names the value born there.
 */
#include "config.h"

#include "inspect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- where the units and heads came from ---------------------------- */

/* weights_build lays out, per layer: the units of the FFN gates that have
 * a slot, in gate order, then the slot clears in placement order. */
bool unit_origins(const mprog *p, unit_origin ***out) {
  const model *m = p->m;
  const placement *pl = &p->pl;
  const gate_graph *gg = &p->gg;
  unit_origin **u = xcalloc((size_t)m->n_layers + 1, sizeof *u);
  int *next = xcalloc((size_t)m->n_layers + 1, sizeof *next);
  for (int l = 0; l < m->n_layers; l++) {
    u[l] = xcalloc((size_t)m->layers[l].n_ffn + 1, sizeof **u);
    for (int j = 0; j < m->layers[l].n_ffn; j++) u[l][j] = (unit_origin){-1, 0, -1};
  }
  bool ok = true;
  for (int i = 0; i < gg->g.n && ok; i++) {
    const gate *g = &gg->g.v[i];
    if (pl->time[i] < 0 || g->type != GT_FFN || pl->slot[i] < 0) continue;
    int l = pl->time[i] / 2;
    for (int k = 0; k < g->nunits && ok; k++) {
      const model_layer *L = &m->layers[l];
      int j = next[l]++;
      ok = j < L->n_ffn &&
           L->w_down[(size_t)pl->slot[i] * L->n_ffn + j] == g->units[k].c;
      if (ok) u[l][j] = (unit_origin){i, k, -1};
    }
  }
  for (int c = 0; c < pl->clears.n && ok; c++) {
    int l = pl->clears.v[c].layer, old = pl->clears.v[c].gate;
    const model_layer *L = &m->layers[l];
    int j = next[l]++;
    ok = j < L->n_ffn && L->w_down[(size_t)pl->slot[old] * L->n_ffn + j] == 1;
    if (ok) u[l][j] = (unit_origin){-1, 0, old};
  }
  free(next);
  *out = u;
  return ok;
}

void unit_origins_free(const mprog *p, unit_origin **u) {
  if (!u) return;
  for (int l = 0; l < p->m->n_layers; l++) free(u[l]);
  free(u);
}

int head_gate(const mprog *p, int layer, int h) {
  const gate_graph *gg = &p->gg;
  for (int i = 0; i < gg->g.n; i++)
    if (gg->g.v[i].type == GT_HEAD && p->pl.time[i] == 2 * layer &&
        p->pl.phys_head[i] == h)
      return i;
  return -1;
}

/* ---- what a slot holds when ----------------------------------------- */

/* The value a read of slot s at time t sees: the latest born before t. */
static int reader_of(const mprog *p, int s, int t) {
  const placement *pl = &p->pl;
  int best = -1;
  for (int g = 0; g < p->gg.g.n; g++) {
    if (pl->slot[g] != s || pl->time[g] == -3 || pl->live_from[g] >= t) continue;
    if (best < 0 || pl->live_from[g] > pl->live_from[best]) best = g;
  }
  return best;
}

/* The value a write into slot s at time t makes: born there then, or
 * (a slot clear) the one living there. */
static int writer_of(const mprog *p, int s, int t) {
  const placement *pl = &p->pl;
  for (int g = 0; g < p->gg.g.n; g++)
    if (pl->slot[g] == s && pl->time[g] != -3 && pl->live_from[g] == t) return g;
  return reader_of(p, s, t);
}

static const char *gate_name(const mprog *p, int g) {
  return g >= 0 ? p->gg.g.v[g].name : "(empty)";
}

/* "[12 last jump.0]" */
static void slot_ref(strbuf *b, const mprog *p, int s, int g) {
  sb_printf(b, "[%d %s]", s, gate_name(p, g));
}

/* A row over the slots read at time t, as a weighted sum: the slot of
 * the constant 1 prints as a constant. */
static void row_text(strbuf *b, const mprog *p, const double *row, int t) {
  int d = p->m->d_model, one = p->gg.one;
  double k = 0;
  bool any = false;
  for (int s = 0; s < d; s++) {
    if (row[s] == 0.0) continue;
    int g = reader_of(p, s, t);
    if (g == one) {
      k += row[s];
      continue;
    }
    double w = row[s];
    sb_puts(b, any ? (w < 0 ? " - " : " + ") : (w < 0 ? "-" : ""));
    if (fabs(w) != 1) {
      fmt_num(b, fabs(w));
      sb_puts(b, "\xc2\xb7");
    }
    slot_ref(b, p, s, g);
    any = true;
  }
  if (k != 0 || !any) {
    if (any) sb_puts(b, k < 0 ? " - " : " + ");
    else if (k < 0) sb_putc(b, '-');
    fmt_num(b, fabs(k));
  }
}

/* ---- the listing ------------------------------------------------------- */

static bool row_zero(const double *row, int n) {
  for (int i = 0; i < n; i++)
    if (row[i] != 0.0) return false;
  return true;
}

static void list_embedding(isink *o, const mprog *p) {
  const model *m = p->m;
  int R = m->n_ranges;
  strbuf b;
  sb_init(&b);
  sb_puts(&b, "embedding: slot = token features (is ROLE: 1 for a token of the role; "
              "ROLE: its value) + position features\n");
  for (int s = 0; s < m->d_model; s++) {
    const double *in = m->p_in + (size_t)s * 2 * R;
    const double *ps = m->p_pos + (size_t)s * POS_NFEAT;
    if (row_zero(in, 2 * R) && row_zero(ps, POS_NFEAT)) continue;
    sb_puts(&b, "  ");
    slot_ref(&b, p, s, writer_of(p, s, -1));
    sb_puts(&b, " =");
    bool any = false;
    for (int f = 0; f < 2 * R + POS_NFEAT; f++) {
      double w = f < 2 * R ? in[f] : ps[f - 2 * R];
      if (w == 0.0) continue;
      sb_puts(&b, any ? (w < 0 ? " - " : " + ") : (w < 0 ? " -" : " "));
      any = true;
      if (fabs(w) != 1) {
        fmt_num(&b, fabs(w));
        sb_puts(&b, "\xc2\xb7");
      }
      if (f >= 2 * R) sb_puts(&b, f - 2 * R == POS_P ? "p" : "p^2");
      else sb_printf(&b, "%s%s", f % 2 ? "" : "is ", m->ranges[f / 2].role);
    }
    sb_putc(&b, '\n');
    isink_puts(o, b.s);
    sb_clear(&b);
  }
  sb_free(&b);
}

static void list_unembedding(isink *o, const mprog *p) {
  const model *m = p->m;
  static const char *const part[3] = {"bonus", "linear", "quadratic"};
  strbuf b;
  sb_init(&b);
  sb_puts(&b, "unembedding: logit of a token of value v = bonus + v\xc2\xb7linear + "
              "v^2\xc2\xb7quadratic of its role\n");
  for (int r = 0; r < 3 * m->n_ranges; r++) {
    const double *row = m->p_out + (size_t)r * m->d_model;
    if (row_zero(row, m->d_model)) continue;
    sb_printf(&b, "  %s %s = ", m->ranges[r / 3].role, part[r % 3]);
    row_text(&b, p, row, 2 * m->n_layers);
    sb_putc(&b, '\n');
    isink_puts(o, b.s);
    sb_clear(&b);
  }
  sb_free(&b);
}

static void list_head(isink *o, const mprog *p, int l, int h) {
  const model_head *mh = &p->m->layers[l].heads[h];
  int d = p->m->d_model, t = 2 * l;
  strbuf b;
  sb_init(&b);
  int g = head_gate(p, l, h);
  sb_printf(&b, "  head %d  %s  (%s", h, g >= 0 ? gate_name(p, g) : mh->name,
            mh->tie == TIE_LATEST ? "latest" : "average");
  if (mh->mask_slot >= 0) {
    sb_puts(&b, "; positions where ");
    slot_ref(&b, p, mh->mask_slot, reader_of(p, mh->mask_slot, t));
    sb_puts(&b, " != 0 never win");
  }
  sb_puts(&b, ")\n");
  static const char *const qk[4] = {"q.x", "q.y", "k.x", "k.y"};
  for (int r = 0; r < 4; r++) {
    const double *row = (r < 2 ? mh->wq : mh->wk) + (size_t)(r % 2) * d;
    if (row_zero(row, d)) continue;
    sb_printf(&b, "    %s = ", qk[r]);
    row_text(&b, p, row, t);
    sb_putc(&b, '\n');
  }
  for (int c = 0; c < mh->dv; c++) {
    sb_printf(&b, "    v.%d = ", c);
    row_text(&b, p, mh->wv + (size_t)c * d, t);
    for (int s = 0; s < d; s++)
      if (mh->wo[(size_t)s * mh->dv + c] != 0.0) {
        sb_puts(&b, "  -> ");
        if (mh->wo[(size_t)s * mh->dv + c] != 1) {
          fmt_num(&b, mh->wo[(size_t)s * mh->dv + c]);
          sb_puts(&b, "\xc2\xb7");
        }
        slot_ref(&b, p, s, writer_of(p, s, t));
      }
    sb_putc(&b, '\n');
  }
  isink_puts(o, b.s);
  sb_free(&b);
}

static void unit_title(strbuf *b, const mprog *p, const unit_origin *u) {
  if (u->gate >= 0) {
    const gate *g = &p->gg.g.v[u->gate];
    sb_printf(b, "%s", g->name);
    if (g->nunits > 1) sb_printf(b, " (unit %d of %d)", u->unit + 1, g->nunits);
  } else if (u->cleared >= 0) {
    sb_printf(b, "slot clear: zeroes %s", gate_name(p, u->cleared));
  } else {
    sb_puts(b, "unused");
  }
}

static void list_unit(isink *o, const mprog *p, int l, int j, const unit_origin *u) {
  const model_layer *L = &p->m->layers[l];
  int d = p->m->d_model, t = 2 * l + 1;
  strbuf b;
  sb_init(&b);
  sb_printf(&b, "  unit %d  ", j);
  if (u) unit_title(&b, p, u);
  sb_puts(&b, "\n    relu(");
  row_text(&b, p, L->w_gate + (size_t)j * d, t);
  sb_puts(&b, ") * (");
  row_text(&b, p, L->w_up + (size_t)j * d, t);
  sb_puts(&b, ")");
  bool wrote = false;
  for (int s = 0; s < d; s++) {
    double w = L->w_down[(size_t)s * L->n_ffn + j];
    if (w == 0.0) continue;
    wrote = true;
    sb_puts(&b, "  -> ");
    if (w != 1) {
      fmt_num(&b, w);
      sb_puts(&b, "\xc2\xb7");
    }
    int g = u && u->cleared >= 0 ? u->cleared : writer_of(p, s, t);
    slot_ref(&b, p, s, g);
  }
  if (!wrote) sb_puts(&b, "  -> nothing (output weight 0)");
  sb_putc(&b, '\n');
  isink_puts(o, b.s);
  sb_free(&b);
}

static void list_layer(isink *o, const mprog *p, int l, unit_origin **uo) {
  const model_layer *L = &p->m->layers[l];
  isink_printf(o, "layer %d: %d head%s, %d FFN unit%s\n", l, L->n_heads,
               L->n_heads == 1 ? "" : "s", L->n_ffn, L->n_ffn == 1 ? "" : "s");
  for (int h = 0; h < L->n_heads; h++) list_head(o, p, l, h);
  for (int j = 0; j < L->n_ffn; j++) list_unit(o, p, l, j, uo ? &uo[l][j] : NULL);
}

void weights_listing(isink *o, const mprog *p, const char *name, int layer) {
  const model *m = p->m;
  int nh = 0;
  for (int l = 0; l < m->n_layers; l++) nh += m->layers[l].n_heads;
  isink_printf(o, "%s: %d layer%s \xc2\xb7 d_model %d \xc2\xb7 %d head%s \xc2\xb7 %d FFN units\n"
                  "(rows are sums over residual slots [SLOT VALUE], named by the value the "
                  "slot holds when it is read or written; [N 1] is the constant 1)\n",
               name, m->n_layers, m->n_layers == 1 ? "" : "s", m->d_model, nh,
               nh == 1 ? "" : "s", p->n_units);
  unit_origin **uo = NULL;
  bool labelled = unit_origins(p, &uo);
  if (!labelled) isink_puts(o, "(the FFN units could not be traced to their gates)\n");
  if (layer < 0) list_embedding(o, p);
  for (int l = 0; l < m->n_layers; l++)
    if (layer < 0 || layer == l) list_layer(o, p, l, labelled ? uo : NULL);
  if (layer < 0) list_unembedding(o, p);
  unit_origins_free(p, uo);
}

/* ---- SVG helpers -------------------------------------------------------- */

static void xml_text(strbuf *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '<': sb_puts(b, "&lt;"); break;
    case '>': sb_puts(b, "&gt;"); break;
    case '&': sb_puts(b, "&amp;"); break;
    case '"': sb_puts(b, "&quot;"); break;
    default:
      if ((unsigned char)*s >= 0x20) sb_putc(b, *s);
    }
  }
}

static bool write_file(shell *sh, const char *path, const strbuf *b) {
  isink o;
  if (!isink_open(&o, sh, path)) return false;
  isink_puts(&o, b->s ? b->s : "");
  return isink_close(&o, path);
}

static void svg_begin(strbuf *b, int w, int h, const char *title) {
  sb_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n<title>", w, h, w, h);
  xml_text(b, title);
  sb_puts(b, "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
}

/* ---- the weights heat map ------------------------------------------------ */

enum { CELL = 8, LABW = 190, GAP = 36 };

/* One matrix to draw: rows x cols, element (i, j) at a[i*rs + j*cs]. */
typedef struct {
  char title[96], id[48];
  int rows, cols;
  const double *a;
  size_t rs, cs;
  char **rlab, **clab;   /* labels, owned */
  int labh;              /* room above the matrix for the column labels */
} panel;

static char **labels_new(int n) { return xcalloc((size_t)n + 1, sizeof(char *)); }

static void labels_free(char **l, int n) {
  for (int i = 0; l && i < n; i++) free(l[i]);
  free(l);
}

static char *slot_label(const mprog *p, int s, int t, bool write) {
  strbuf b;
  sb_init(&b);
  int g = write ? writer_of(p, s, t) : reader_of(p, s, t);
  sb_printf(&b, "%d %s", s, gate_name(p, g));
  return sb_detach(&b);
}

static char **slot_labels(const mprog *p, int t, bool write) {
  int d = p->m->d_model;
  char **l = labels_new(d);
  for (int s = 0; s < d; s++) l[s] = slot_label(p, s, t, write);
  return l;
}

static double panel_at(const panel *q, int i, int j) {
  return q->a[(size_t)i * q->rs + (size_t)j * q->cs];
}

/* Labels are 7 px text, about 4.3 px a byte: a row label has LABW - 8
 * px, a column label (written upwards) at most LABMAX bytes, so that
 * neither runs into its neighbours. */
enum { LABMAX = 40 };

static size_t label_room(bool column) {
  return column ? LABMAX : (size_t)((LABW - 8) / 4.3);
}

/* A label, cut with an ellipsis at a character boundary when it is longer
 * than its room. */
static void label_text(strbuf *b, const char *s, bool column) {
  size_t room = label_room(column), n = strlen(s);
  if (n <= room) {
    xml_text(b, s);
    return;
  }
  size_t k = room - 1;
  while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
  char *cut = xmalloc(k + 1);
  memcpy(cut, s, k);
  cut[k] = 0;
  xml_text(b, cut);
  sb_puts(b, "\xe2\x80\xa6");
  free(cut);
}

static void panel_fit(panel *q) {
  size_t most = 1;
  for (int j = 0; j < q->cols; j++)
    if (strlen(q->clab[j]) > most) most = strlen(q->clab[j]);
  /* below the title line (y0 + 4 .. y0 + 20), with a margin */
  q->labh = 28 + (int)(4.5 * (double)(most < LABMAX ? most : LABMAX));
}

static int panel_height(const panel *q) { return 24 + q->labh + q->rows * CELL + GAP; }

/* Room for the matrix, and for its title line (13 px bold, about 7.5 px
 * a byte, with the counts that follow it). */
static int panel_width(const panel *q) {
  int matrix = LABW + q->cols * CELL + 20;
  int title = 8 + (int)(7.5 * (double)(strlen(q->title) + 48));
  return matrix > title ? matrix : title;
}

/* Red for positive, blue for negative, darker for larger on a log scale
 * relative to the panel's largest weight. */
static void cell_colour(strbuf *b, double w, double max) {
  double t = log2(1 + fabs(w)) / log2(1 + max);
  int light = (int)lround(88 - 53 * t);
  sb_printf(b, "hsl(%d,75%%,%d%%)", w > 0 ? 4 : 218, light);
}

static void panel_labels(strbuf *b, const panel *q, int y0) {
  for (int i = 0; i < q->rows; i++) {
    sb_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"7\" text-anchor=\"end\">", LABW - 4,
              y0 + q->labh + i * CELL + CELL - 1);
    label_text(b, q->rlab[i], false);
    sb_puts(b, "</text>\n");
  }
  for (int j = 0; j < q->cols; j++) {
    int x = LABW + j * CELL + CELL - 1, y = y0 + q->labh - 4;
    sb_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"7\" transform=\"rotate(-90 %d %d)\">",
              x, y, x, y);
    label_text(b, q->clab[j], true);
    sb_puts(b, "</text>\n");
  }
}

static void panel_svg(strbuf *b, const panel *q, int y0) {
  double max = 0;
  int nz = 0;
  for (int i = 0; i < q->rows; i++)
    for (int j = 0; j < q->cols; j++) {
      double w = fabs(panel_at(q, i, j));
      if (w > max) max = w;
      nz += w != 0;
    }
  sb_printf(b, "<g id=\"%s\" data-rows=\"%d\" data-cols=\"%d\" data-nonzero=\"%d\">\n"
               "<text x=\"4\" y=\"%d\" font-size=\"13\" font-weight=\"bold\">",
            q->id, q->rows, q->cols, nz, y0 + 16);
  xml_text(b, q->title);
  sb_printf(b, " (%d x %d, %d non-zero, largest |w| ", q->rows, q->cols, nz);
  fmt_num(b, max);
  sb_puts(b, ")</text>\n");
  sb_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
               "stroke=\"#bbb\" stroke-width=\"0.5\"/>\n", LABW, y0 + q->labh, q->cols * CELL,
            q->rows * CELL);
  panel_labels(b, q, y0);
  for (int i = 0; i < q->rows; i++)
    for (int j = 0; j < q->cols; j++) {
      double w = panel_at(q, i, j);
      if (w == 0.0) continue;
      sb_printf(b, "<rect class=\"w\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"",
                LABW + j * CELL, y0 + q->labh + i * CELL, CELL, CELL);
      cell_colour(b, w, max);
      sb_puts(b, "\"><title>");
      xml_text(b, q->rlab[i]);
      sb_puts(b, " \xc2\xb7 ");
      xml_text(b, q->clab[j]);
      sb_puts(b, ": ");
      fmt_num(b, w);
      sb_puts(b, "</title></rect>\n");
    }
  sb_puts(b, "</g>\n");
}

typedef VEC(panel) panels;

static panel *panel_add(panels *ps, const char *id, const char *title, int rows,
                        int cols, const double *a, size_t rs, size_t cs) {
  panel q;
  memset(&q, 0, sizeof q);
  snprintf(q.id, sizeof q.id, "%s", id);
  snprintf(q.title, sizeof q.title, "%s", title);
  q.rows = rows;
  q.cols = cols;
  q.a = a;
  q.rs = rs;
  q.cs = cs;
  VEC_PUSH(*ps, q);
  return &ps->v[ps->n - 1];
}

static char *concat(const char *a, const char *b) {
  strbuf s;
  sb_init(&s);
  sb_puts(&s, a);
  sb_puts(&s, b);
  return sb_detach(&s);
}

static void embedding_panels(panels *ps, const mprog *p) {
  const model *m = p->m;
  int R = m->n_ranges, d = m->d_model;
  panel *q = panel_add(ps, "embedding", "embedding P_in: token features -> slots", d,
                       2 * R, m->p_in, 2 * (size_t)R, 1);
  q->rlab = slot_labels(p, -1, true);
  q->clab = labels_new(2 * R);
  for (int f = 0; f < 2 * R; f++)
    q->clab[f] = f % 2 ? concat(m->ranges[f / 2].role, " value")
                       : concat("is ", m->ranges[f / 2].role);
  q = panel_add(ps, "position", "position P_pos: (p, p^2) -> slots", d, POS_NFEAT,
                m->p_pos, POS_NFEAT, 1);
  q->rlab = slot_labels(p, -1, true);
  q->clab = labels_new(POS_NFEAT);
  q->clab[0] = xstrdup("p");
  q->clab[1] = xstrdup("p^2");
  q = panel_add(ps, "unembedding", "unembedding P_out: slots -> output features",
                3 * R, d, m->p_out, (size_t)d, 1);
  q->rlab = labels_new(3 * R);
  static const char *const part[3] = {" bonus", " linear", " quadratic"};
  for (int r = 0; r < 3 * R; r++) q->rlab[r] = concat(m->ranges[r / 3].role, part[r % 3]);
  q->clab = slot_labels(p, 2 * m->n_layers, false);
}

/* The heads' q, k, v rows of a layer stacked into one matrix, and W_O. */
typedef struct {
  double *qkv, *wo;
} layer_mats;

static void attention_panels(panels *ps, const mprog *p, int l, layer_mats *lm) {
  const model_layer *L = &p->m->layers[l];
  int d = p->m->d_model, rows = 0, dv = 0;
  for (int h = 0; h < L->n_heads; h++) {
    rows += 4 + L->heads[h].dv;
    dv += L->heads[h].dv;
  }
  if (!rows) return;
  lm->qkv = xcalloc((size_t)rows * d, sizeof(double));
  lm->wo = xcalloc((size_t)d * dv, sizeof(double));
  char **rl = labels_new(rows), **vl = labels_new(dv);
  int r = 0, c = 0;
  for (int h = 0; h < L->n_heads; h++) {
    const model_head *mh = &L->heads[h];
    static const char *const qk[4] = {"H%d q.x %s", "H%d q.y %s", "H%d k.x %s", "H%d k.y %s"};
    for (int k = 0; k < 4; k++, r++) {
      memcpy(lm->qkv + (size_t)r * d, (k < 2 ? mh->wq : mh->wk) + (size_t)(k % 2) * d,
             (size_t)d * sizeof(double));
      strbuf b;
      sb_init(&b);
      sb_printf(&b, qk[k], h, mh->name);
      rl[r] = sb_detach(&b);
    }
    for (int k = 0; k < mh->dv; k++, r++, c++) {
      memcpy(lm->qkv + (size_t)r * d, mh->wv + (size_t)k * d, (size_t)d * sizeof(double));
      strbuf b;
      sb_init(&b);
      sb_printf(&b, "H%d v.%d %s", h, k, mh->name);
      rl[r] = sb_detach(&b);
      vl[c] = xstrdup(rl[r]);
      for (int s = 0; s < d; s++) lm->wo[(size_t)s * dv + c] = mh->wo[(size_t)s * mh->dv + k];
    }
  }
  char id[48], title[96];
  snprintf(id, sizeof id, "layer%d-attention", l);
  snprintf(title, sizeof title, "layer %d attention: W_q, W_k, W_v of every head", l);
  panel *q = panel_add(ps, id, title, rows, d, lm->qkv, (size_t)d, 1);
  q->rlab = rl;
  q->clab = slot_labels(p, 2 * l, false);
  snprintf(id, sizeof id, "layer%d-wo", l);
  snprintf(title, sizeof title, "layer %d attention: W_O (values -> slots)", l);
  q = panel_add(ps, id, title, d, dv, lm->wo, (size_t)dv, 1);
  q->rlab = slot_labels(p, 2 * l, true);
  q->clab = vl;
}

static char **unit_labels(const mprog *p, int l, unit_origin **uo) {
  int n = p->m->layers[l].n_ffn;
  char **u = labels_new(n);
  for (int j = 0; j < n; j++) {
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "u%d ", j);
    if (uo) unit_title(&b, p, &uo[l][j]);
    u[j] = sb_detach(&b);
  }
  return u;
}

static void ffn_panels(panels *ps, const mprog *p, int l, unit_origin **uo) {
  const model_layer *L = &p->m->layers[l];
  int d = p->m->d_model, n = L->n_ffn;
  if (!n) return;
  static const char *const what[3] = {"gate (relu input)", "up (linear input)",
                                      "down (units -> slots)"};
  static const char *const ids[3] = {"gate", "up", "down"};
  for (int k = 0; k < 3; k++) {
    char id[48], title[96];
    snprintf(id, sizeof id, "layer%d-ffn-%s", l, ids[k]);
    snprintf(title, sizeof title, "layer %d FFN %s", l, what[k]);
    panel *q = k < 2 ? panel_add(ps, id, title, n, d, k ? L->w_up : L->w_gate, (size_t)d, 1)
                     : panel_add(ps, id, title, d, n, L->w_down, (size_t)n, 1);
    if (k < 2) {
      q->rlab = unit_labels(p, l, uo);
      q->clab = slot_labels(p, 2 * l + 1, false);
    } else {
      q->rlab = slot_labels(p, 2 * l + 1, true);
      q->clab = unit_labels(p, l, uo);
    }
  }
}

bool weights_svg(shell *sh, const mprog *p, const char *name, const char *path) {
  const model *m = p->m;
  panels ps = {0};
  layer_mats *lm = xcalloc((size_t)m->n_layers + 1, sizeof *lm);
  unit_origin **uo = NULL;
  bool labelled = unit_origins(p, &uo);
  embedding_panels(&ps, p);
  for (int l = 0; l < m->n_layers; l++) {
    attention_panels(&ps, p, l, &lm[l]);
    ffn_panels(&ps, p, l, labelled ? uo : NULL);
  }
  enum { TOP = 52 };   /* the title and the legend */
  int w = 600, h = TOP;
  for (int i = 0; i < ps.n; i++) {
    panel_fit(&ps.v[i]);
    if (panel_width(&ps.v[i]) > w) w = panel_width(&ps.v[i]);
    h += panel_height(&ps.v[i]);
  }
  strbuf b;
  sb_init(&b);
  char title[128];
  snprintf(title, sizeof title, "tvl weights of %s", name);
  svg_begin(&b, w, h, title);
  sb_puts(&b, "<text x=\"4\" y=\"22\" font-size=\"16\" font-weight=\"bold\">");
  xml_text(&b, title);
  sb_puts(&b, "</text>\n<text x=\"4\" y=\"38\" font-size=\"11\">red: positive, "
              "blue: negative, darker: larger |w| (log scale, per matrix); white: 0; "
              "rows and columns named by slot and the value it holds</text>\n");
  int y = TOP;
  for (int i = 0; i < ps.n; i++) {
    panel_svg(&b, &ps.v[i], y);
    y += panel_height(&ps.v[i]);
  }
  sb_puts(&b, "</svg>\n");
  bool ok = write_file(sh, path, &b);
  sb_free(&b);
  for (int i = 0; i < ps.n; i++) {
    labels_free(ps.v[i].rlab, ps.v[i].rows);
    labels_free(ps.v[i].clab, ps.v[i].cols);
  }
  VEC_FREE(ps);
  for (int l = 0; l < m->n_layers; l++) {
    free(lm[l].qkv);
    free(lm[l].wo);
  }
  free(lm);
  unit_origins_free(p, uo);
  return ok;
}

/* ---- the slot chart ------------------------------------------------------ */

enum { SCOL = 64, SROW = 16, SLAB = 56, STOP = 64 };

/* Inputs grey, values read by heads blue, FFN values warm; each value its
 * own shade, so that a slot reused by several values shows them apart. */
static void value_colour(strbuf *b, const gate *g, int id) {
  int shade = 58 + (id * 37) % 28;
  if (g->type == GT_INPUT) sb_printf(b, "hsl(0,0%%,%d%%)", shade + 8);
  else if (g->type == GT_HOUT) sb_printf(b, "hsl(%d,60%%,%d%%)", 195 + (id * 13) % 40, shade);
  else sb_printf(b, "hsl(%d,70%%,%d%%)", 18 + (id * 29) % 110, shade);
}

static void slots_grid(strbuf *b, int ncol, int n_layers, int d) {
  for (int c = 0; c < ncol; c++) {
    int x = SLAB + c * SCOL;
    strbuf t;
    sb_init(&t);
    fmt_time(&t, c - 1, n_layers);
    sb_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n",
              x + SCOL / 2, STOP - 8, t.s);
    sb_free(&t);
    sb_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ccc\"/>\n", x,
              STOP - 4, x, STOP + d * SROW);
  }
  for (int s = 0; s < d; s++)
    sb_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%d</text>\n",
              SLAB - 6, STOP + s * SROW + SROW - 4, s);
}

static void slot_bar(strbuf *b, const mprog *p, int g, int ncol) {
  const placement *pl = &p->pl;
  const gate *x = &p->gg.g.v[g];
  int from = pl->live_from[g] + 1, to = pl->live_to[g] + 1;
  if (to >= ncol) to = ncol - 1;
  if (to < from) to = from;
  int x0 = SLAB + from * SCOL + 1, wd = (to - from + 1) * SCOL - 2;
  int y0 = STOP + pl->slot[g] * SROW + 1;
  sb_printf(b, "<g class=\"value\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
               "rx=\"3\" fill=\"", x0, y0, wd, SROW - 2);
  value_colour(b, x, g);
  sb_puts(b, "\" stroke=\"#555\" stroke-width=\"0.5\"><title>");
  xml_text(b, x->name);
  strbuf t;
  sb_init(&t);
  sb_printf(&t, " \xc2\xb7 slot %d \xc2\xb7 ", pl->slot[g]);
  fmt_time(&t, pl->live_from[g], pl->n_layers);
  sb_puts(&t, "..");
  fmt_time(&t, pl->live_to[g], pl->n_layers);
  sb_puts(&t, " \xc2\xb7 range ");
  fmt_num(&t, x->lo);
  sb_puts(&t, "..");
  fmt_num(&t, x->hi);
  xml_text(b, t.s);
  sb_free(&t);
  sb_printf(b, "</title></rect><text x=\"%d\" y=\"%d\" font-size=\"9\">", x0 + 3,
            y0 + SROW - 5);
  int room = wd / 5;
  char name[128];
  snprintf(name, sizeof name, "%s", x->name);
  if ((int)strlen(name) > room && room >= 2) {
    name[room - 1] = 0;
    strcat(name, "\xe2\x80\xa6");
  } else if (room < 2) {
    name[0] = 0;
  }
  xml_text(b, name);
  sb_puts(b, "</text></g>\n");
}

bool slots_svg(shell *sh, const mprog *p, const char *name, const char *path) {
  const placement *pl = &p->pl;
  int ncol = 2 * pl->n_layers + 2, d = pl->d_model;
  int w = SLAB + ncol * SCOL + 20, h = STOP + d * SROW + 20;
  strbuf b;
  sb_init(&b);
  char title[160];
  snprintf(title, sizeof title, "tvl slots of %s: d_model %d, %d layers", name, d,
           pl->n_layers);
  svg_begin(&b, w, h, title);
  sb_puts(&b, "<text x=\"4\" y=\"20\" font-size=\"14\" font-weight=\"bold\">");
  xml_text(&b, title);
  sb_puts(&b, "</text>\n<text x=\"4\" y=\"32\" font-size=\"10\">slot (row) by half-layer "
              "(a = attention, f = FFN): each bar is one value, from the half-layer that "
              "writes it</text>\n<text x=\"4\" y=\"44\" font-size=\"10\">to its last "
              "read; grey: inputs, blue: values read by heads, warm: FFN values</text>\n");
  slots_grid(&b, ncol, pl->n_layers, d);
  for (int g = 0; g < p->gg.g.n; g++)
    if (pl->slot[g] >= 0 && pl->time[g] != -3) slot_bar(&b, p, g, ncol);
  sb_puts(&b, "</svg>\n");
  bool ok = write_file(sh, path, &b);
  sb_free(&b);
  return ok;
}
