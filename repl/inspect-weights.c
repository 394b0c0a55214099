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
           model_ffn_get(L, FFN_DOWN, j, pl->slot[i]) == g->units[k].c;
      if (ok) u[l][j] = (unit_origin){i, k, -1};
    }
  }
  for (int c = 0; c < pl->clears.n && ok; c++) {
    int l = pl->clears.v[c].layer, old = pl->clears.v[c].gate;
    const model_layer *L = &m->layers[l];
    int j = next[l]++;
    ok = j < L->n_ffn && model_ffn_get(L, FFN_DOWN, j, pl->slot[old]) == 1;
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

/* The position features (engine.h), r = p mod POS_RING_N. */
static const char *const pos_label[POS_NFEAT] = {"p", "r", "r^2", "r(p-1)",
                                                 "r(p-2)"};

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
      if (f >= 2 * R) sb_puts(&b, pos_label[f - 2 * R]);
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
  double *row = xmalloc(((size_t)d + 1) * sizeof *row);
  model_ffn_unit(L, FFN_GATE, j, d, row);
  row_text(&b, p, row, t);
  sb_puts(&b, ") * (");
  model_ffn_unit(L, FFN_UP, j, d, row);
  row_text(&b, p, row, t);
  free(row);
  sb_puts(&b, ")");
  bool wrote = false;
  const model_ffn *dn = &L->ffn[FFN_DOWN];   /* unit j's column, by slot */
  for (int64_t q = dn->start[j]; q < dn->start[j + 1]; q++) {
    double w = dn->w[q];
    int s = dn->slot[q];
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

/* One band per layer (and one for the embeddings): every matrix of the
 * layer as a block of columns over the same rows, the residual slots, so
 * that one label column names the slots for the whole band and a band
 * fits a screen (the cell size shrinks for wide layers; hovering a cell
 * names its row and column).  Colours: a log scale per matrix over the
 * weights below BIGM; the big-M constants of guards (|w| >= BIGM) are
 * drawn apart, in green, so that they do not wash the rest out. */
enum { LABW = 200, GAP = 14, BAND_GAP = 40, BAND_W = 1800, BAND_H = 940, CELLMAX = 8 };
#define BIGM 1048576.0   /* 2^20 */

/* One matrix: d rows (the slots) by cols, element (s, j) at
 * a[s*rs + j*cs], or for an FFN matrix (ffn set) entry (j, s) of matrix
 * mat of the layer (engine.h model_ffn). */
typedef struct {
  char title[64], id[48];
  char brief[16];        /* the title when the panel is too narrow for it */
  int rows, cols;
  const double *a;
  size_t rs, cs;
  const model_layer *ffn;
  int mat;
  char **rlab, **clab;   /* names for the tooltips, owned */
} panel;

typedef struct {
  char title[128], id[32];
  VEC(panel) p;
  char **slab;           /* the band's slot labels, owned */
  int cell, labh;
} band;

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

/* The name of slot s over a band's half-layers t0..t1: the values read
 * and written there, in order, without repeats. */
static char *band_slot_label(const mprog *p, int s, int t0, int t1) {
  strbuf b;
  sb_init(&b);
  sb_printf(&b, "%d", s);
  int last = -2;
  for (int t = t0; t <= t1; t++)
    for (int w = 0; w < 2; w++) {
      int g = w ? writer_of(p, s, t) : reader_of(p, s, t);
      if (g < 0 || g == last) continue;
      sb_printf(&b, "%s%s", last == -2 ? " " : " \xe2\x86\x92 ", gate_name(p, g));
      last = g;
    }
  return sb_detach(&b);
}

static double panel_at(const panel *q, int i, int j) {
  if (q->ffn) return model_ffn_get(q->ffn, q->mat, j, i);
  return q->a[(size_t)i * q->rs + (size_t)j * q->cs];
}

/* Labels are 7 px text, about 4.3 px a byte. */
enum { LABMAX = 40 };

/* A label, cut with an ellipsis at a character boundary when it is longer
 * than room bytes. */
static void label_text(strbuf *b, const char *s, size_t room) {
  size_t n = strlen(s);
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

/* A panel is at least this wide, so that its brief title fits. */
enum { PANEL_MIN = 40 };

static int panel_w(const panel *q, int cell) {
  return q->cols * cell > PANEL_MIN ? q->cols * cell : PANEL_MIN;
}

static int band_cols(const band *bd) {
  int c = 0;
  for (int i = 0; i < bd->p.n; i++) c += bd->p.v[i].cols;
  return c;
}

/* The cell size that fits the band in BAND_W x BAND_H, and the room for
 * column labels (drawn when cells are at least 6 px). */
static void band_fit(band *bd, int d) {
  int cols = band_cols(bd);
  int room_w = BAND_W - LABW - GAP * bd->p.n, room_h = BAND_H - 200;
  int c = cols ? room_w / cols : CELLMAX;
  if (d && room_h / d < c) c = room_h / d;
  bd->cell = c > CELLMAX ? CELLMAX : c < 1 ? 1 : c;
  size_t most = 1;
  for (int i = 0; i < bd->p.n && bd->cell >= 6; i++)
    for (int j = 0; j < bd->p.v[i].cols; j++)
      if (strlen(bd->p.v[i].clab[j]) > most) most = strlen(bd->p.v[i].clab[j]);
  bd->labh = bd->cell >= 6 ? 20 + (int)(4.5 * (double)(most < LABMAX ? most : LABMAX)) : 8;
}

static int band_width(const band *bd) {
  int w = LABW;
  for (int i = 0; i < bd->p.n; i++) w += panel_w(&bd->p.v[i], bd->cell) + GAP;
  return w;
}

static int band_height(const band *bd, int d) { return 44 + bd->labh + d * bd->cell + BAND_GAP; }

/* Red for positive, blue for negative, darker for larger on a log scale
 * relative to the matrix's largest weight below BIGM; green for big-M. */
static void cell_colour(strbuf *b, double w, double max) {
  if (fabs(w) >= BIGM) {
    sb_puts(b, w > 0 ? "hsl(140,70%,28%)" : "hsl(140,70%,45%)");
    return;
  }
  double t = max > 0 ? log2(1 + fabs(w)) / log2(1 + max) : 1;
  int light = (int)lround(88 - 53 * (t > 1 ? 1 : t));
  sb_printf(b, "hsl(%d,75%%,%d%%)", w > 0 ? 4 : 218, light);
}

static void panel_svg(strbuf *b, const panel *q, int x0, int y0, int cell, int labh) {
  double max = 0;
  int nz = 0, big = 0;
  for (int i = 0; i < q->rows; i++)
    for (int j = 0; j < q->cols; j++) {
      double w = fabs(panel_at(q, i, j));
      if (w < BIGM && w > max) max = w;
      nz += w != 0;
      big += w >= BIGM;
    }
  sb_printf(b, "<g id=\"%s\" data-rows=\"%d\" data-cols=\"%d\" data-nonzero=\"%d\" "
               "data-bigm=\"%d\">\n<text x=\"%d\" y=\"%d\" font-size=\"9\" "
               "font-weight=\"bold\"><title>", q->id, q->rows, q->cols, nz, big, x0, y0 + 12);
  xml_text(b, q->title);
  sb_printf(b, ": %d non-zero, %d big-M, largest other |w| ", nz, big);
  fmt_num(b, max);
  sb_puts(b, "</title>");
  /* 9 px bold: about 6 px a byte; the brief title when the whole one
   * does not fit */
  size_t room = (size_t)((panel_w(q, cell) + GAP - 4) / 6);
  label_text(b, strlen(q->title) > room && q->brief[0] ? q->brief : q->title, room > 3 ? room : 3);
  sb_puts(b, "</text>\n");
  int top = y0 + 16 + labh;
  sb_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
               "stroke=\"#bbb\" stroke-width=\"0.5\"/>\n", x0, top, q->cols * cell,
            q->rows * cell);
  for (int j = 0; cell >= 6 && j < q->cols; j++) {
    int x = x0 + j * cell + cell - 1, y = top - 4;
    sb_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"7\" transform=\"rotate(-90 %d %d)\">",
              x, y, x, y);
    label_text(b, q->clab[j], LABMAX);
    sb_puts(b, "</text>\n");
  }
  for (int i = 0; i < q->rows; i++)
    for (int j = 0; j < q->cols; j++) {
      double w = panel_at(q, i, j);
      if (w == 0.0) continue;
      sb_printf(b, "<rect class=\"w\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"",
                x0 + j * cell, top + i * cell, cell, cell);
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

static void band_svg(strbuf *b, const band *bd, int d, int y0) {
  sb_printf(b, "<g id=\"%s\">\n<text x=\"4\" y=\"%d\" font-size=\"14\" "
               "font-weight=\"bold\">", bd->id, y0 + 16);
  xml_text(b, bd->title);
  sb_puts(b, "</text>\n");
  int top = y0 + 28 + 16 + bd->labh;
  for (int s = 0; s < d; s++) {
    sb_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"end\"><title>", LABW - 4,
              top + s * bd->cell + bd->cell - 1, bd->cell >= 7 ? 7 : bd->cell);
    xml_text(b, bd->slab[s]);
    sb_puts(b, "</title>");
    if (bd->cell >= 6) label_text(b, bd->slab[s], (size_t)((LABW - 8) / 4.3));
    sb_puts(b, "</text>\n");
  }
  int x = LABW;
  for (int i = 0; i < bd->p.n; i++) {
    panel_svg(b, &bd->p.v[i], x, y0 + 28, bd->cell, bd->labh);
    x += panel_w(&bd->p.v[i], bd->cell) + GAP;
  }
  sb_puts(b, "</g>\n");
}

/* title: "brief|whole title" or one title. */
static panel *panel_add(band *bd, const char *id, const char *title, int rows, int cols,
                        const double *a, size_t rs, size_t cs) {
  panel q;
  memset(&q, 0, sizeof q);
  snprintf(q.id, sizeof q.id, "%s", id);
  const char *bar = strchr(title, '|');
  snprintf(q.title, sizeof q.title, "%s", bar ? bar + 1 : title);
  if (bar) snprintf(q.brief, sizeof q.brief, "%.*s", (int)(bar - title), title);
  q.rows = rows;
  q.cols = cols;
  q.a = a;
  q.rs = rs;
  q.cs = cs;
  VEC_PUSH(bd->p, q);
  return &bd->p.v[bd->p.n - 1];
}

static char *concat(const char *a, const char *b) {
  strbuf s;
  sb_init(&s);
  sb_puts(&s, a);
  sb_puts(&s, b);
  return sb_detach(&s);
}

static void embedding_band(band *bd, const mprog *p) {
  const model *m = p->m;
  int R = m->n_ranges, d = m->d_model;
  snprintf(bd->title, sizeof bd->title, "embedding and unembedding");
  snprintf(bd->id, sizeof bd->id, "embedding-band");
  panel *q = panel_add(bd, "embedding", "P_in|P_in: token features", d, 2 * R, m->p_in,
                       2 * (size_t)R, 1);
  q->rlab = slot_labels(p, -1, true);
  q->clab = labels_new(2 * R);
  for (int f = 0; f < 2 * R; f++)
    q->clab[f] = f % 2 ? concat(m->ranges[f / 2].role, " value")
                       : concat("is ", m->ranges[f / 2].role);
  q = panel_add(bd, "position", "P_pos|P_pos: p, r, r^2, r(p-1), r(p-2)", d, POS_NFEAT, m->p_pos, POS_NFEAT, 1);
  q->rlab = slot_labels(p, -1, true);
  q->clab = labels_new(POS_NFEAT);
  for (int f = 0; f < POS_NFEAT; f++) q->clab[f] = xstrdup(pos_label[f]);
  q = panel_add(bd, "unembedding", "P_out|P_out: output features", d, 3 * R, m->p_out, 1,
                (size_t)d);
  q->rlab = slot_labels(p, 2 * m->n_layers, false);
  q->clab = labels_new(3 * R);
  static const char *const part[3] = {" bonus", " linear", " quadratic"};
  for (int r = 0; r < 3 * R; r++) q->clab[r] = concat(m->ranges[r / 3].role, part[r % 3]);
  bd->slab = labels_new(d);
  for (int s = 0; s < d; s++) bd->slab[s] = band_slot_label(p, s, -1, -1);
}

/* The heads' q, k, v rows of a layer stacked into one matrix, and W_O. */
typedef struct {
  double *qkv, *wo;
} layer_mats;

static void attention_panels(band *bd, const mprog *p, int l, layer_mats *lm) {
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
  char id[48];
  snprintf(id, sizeof id, "layer%d-attention", l);
  panel *q = panel_add(bd, id, "W_qkv|W_q, W_k, W_v (read)", d, rows, lm->qkv, 1, (size_t)d);
  q->rlab = slot_labels(p, 2 * l, false);
  q->clab = rl;
  snprintf(id, sizeof id, "layer%d-wo", l);
  q = panel_add(bd, id, "W_O|W_O (write)", d, dv, lm->wo, (size_t)dv, 1);
  q->rlab = slot_labels(p, 2 * l, true);
  q->clab = vl;
}

static char **unit_labels(const mprog *p, int l, unit_origin **uo) {
  int n = p->m->layers[l].n_ffn;
  char **u = labels_new(n);
  for (int j = 0; j < n; j++) {
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "U%d ", j);
    if (uo) unit_title(&b, p, &uo[l][j]);
    u[j] = sb_detach(&b);
  }
  return u;
}

static void ffn_panels(band *bd, const mprog *p, int l, unit_origin **uo) {
  const model_layer *L = &p->m->layers[l];
  int d = p->m->d_model, n = L->n_ffn;
  if (!n) return;
  static const char *const what[3] = {"gate|FFN gate (relu input)",
                                      "up|FFN up (linear input)",
                                      "down|FFN down (write)"};
  static const char *const ids[3] = {"gate", "up", "down"};
  for (int k = 0; k < 3; k++) {
    char id[48];
    snprintf(id, sizeof id, "layer%d-ffn-%s", l, ids[k]);
    panel *q = panel_add(bd, id, what[k], d, n, NULL, 0, 0);
    q->ffn = L;
    q->mat = k == 0 ? FFN_GATE : k == 1 ? FFN_UP : FFN_DOWN;
    q->rlab = slot_labels(p, 2 * l + 1, k == 2);
    q->clab = unit_labels(p, l, uo);
  }
}

static void bands_free(band *bd, int n, int d) {
  for (int i = 0; i < n; i++) {
    for (int k = 0; k < bd[i].p.n; k++) {
      labels_free(bd[i].p.v[k].rlab, bd[i].p.v[k].rows);
      labels_free(bd[i].p.v[k].clab, bd[i].p.v[k].cols);
    }
    VEC_FREE(bd[i].p);
    labels_free(bd[i].slab, d);
  }
  free(bd);
}

/* The index: one line per band, a link to it. */
static int index_svg(strbuf *b, const band *bd, int n, int y) {
  for (int i = 0; i < n; i++, y += 15) {
    sb_printf(b, "<a href=\"#%s\"><text x=\"12\" y=\"%d\" font-size=\"12\" fill=\"#1a4fa0\">",
              bd[i].id, y);
    xml_text(b, bd[i].title);
    sb_puts(b, "</text></a>\n");
  }
  return y;
}

bool weights_svg(shell *sh, const mprog *p, const char *name, const char *path) {
  const model *m = p->m;
  int d = m->d_model, nb = m->n_layers + 1;
  band *bd = xcalloc((size_t)nb, sizeof *bd);
  layer_mats *lm = xcalloc((size_t)m->n_layers + 1, sizeof *lm);
  unit_origin **uo = NULL;
  bool labelled = unit_origins(p, &uo);
  embedding_band(&bd[0], p);
  for (int l = 0; l < m->n_layers; l++) {
    band *x = &bd[l + 1];
    snprintf(x->title, sizeof x->title, "layer %d: %d head%s, %d FFN unit%s", l,
             m->layers[l].n_heads, m->layers[l].n_heads == 1 ? "" : "s", m->layers[l].n_ffn,
             m->layers[l].n_ffn == 1 ? "" : "s");
    snprintf(x->id, sizeof x->id, "layer%d", l);
    attention_panels(x, p, l, &lm[l]);
    ffn_panels(x, p, l, labelled ? uo : NULL);
    x->slab = labels_new(d);
    for (int s = 0; s < d; s++) x->slab[s] = band_slot_label(p, s, 2 * l, 2 * l + 1);
  }
  int top = 64 + 28 + 15 * nb + 16, w = 760, h = top;
  for (int i = 0; i < nb; i++) {
    band_fit(&bd[i], d);
    if (band_width(&bd[i]) > w) w = band_width(&bd[i]);
    h += band_height(&bd[i], d);
  }
  strbuf b;
  sb_init(&b);
  char title[128];
  snprintf(title, sizeof title, "tvl weights of %s", name);
  svg_begin(&b, w, h, title);
  sb_puts(&b, "<text x=\"4\" y=\"22\" font-size=\"16\" font-weight=\"bold\">");
  xml_text(&b, title);
  /* lines of at most ~100 bytes: 11 px text is about 6 px a byte */
  static const char *const legend[] = {
      "rows: the residual slots, named by the values the layer reads and writes there;",
      "columns: the heads' query, key and value rows, W_O, and the FFN units (gate, up, down).",
      "red: positive, blue: negative, darker: larger |w| (log scale, per matrix);",
      "green: big-M guard constants (|w| \xe2\x89\xa5 2^20), apart; white: 0; hover a cell "
      "for its names and weight."};
  for (int i = 0; i < 4; i++) {
    sb_printf(&b, "%s<text x=\"4\" y=\"%d\" font-size=\"11\">", i ? "" : "</text>\n",
              40 + 14 * i);
    xml_text(&b, legend[i]);
    sb_puts(&b, "</text>\n");
  }
  index_svg(&b, bd, nb, 78 + 28);
  int y = top;
  for (int i = 0; i < nb; i++) {
    band_svg(&b, &bd[i], d, y);
    y += band_height(&bd[i], d);
  }
  sb_puts(&b, "</svg>\n");
  bool ok = write_file(sh, path, &b);
  sb_free(&b);
  bands_free(bd, nb, d);
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
  /* at least as wide as the legend (10 px text, about 5.5 px a byte) */
  int w = SLAB + ncol * SCOL + 20 > 600 ? SLAB + ncol * SCOL + 20 : 600;
  int h = STOP + d * SROW + 20;
  strbuf b;
  sb_init(&b);
  char title[160];
  snprintf(title, sizeof title, "tvl slots of %s: d_model %d, %d layer%s", name, d,
           pl->n_layers, pl->n_layers == 1 ? "" : "s");
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
