/* inspect-explain.c - :explain NAME, a source map of a procedure's model.
 *
 * A machine runs one statement (step) per generated token.  For each step
 * of the procedure's program, in the order of the source: where it is in
 * the source and what it says, which heads read the values it uses (and
 * into which slot), and where its own value is: the slot the output head
 * reads the emitted token from, the FFN units that write that slot, and
 * the cell it is written to.  The expression tree of a step is computed
 * by FFN units shared with the other steps (selected by the program
 * counter).  Below the step, the model's routing says which units are
 * the step's own (ffn_route: the expert of a unit is the step it runs
 * for): they are listed per layer with the value each computes (the
 * step's share of the emitted value, its guards, its tests).  Below the
 * step, its expression tree from the source map the compiler records
 * (backend/msrc.c): every subexpression with its place and text, the
 * heads that read it, the FFN units built for it and where its value is.
 */
#include "config.h"

#include "inspect.h"

#include "backend/circuit.h"

#include <stdlib.h>
#include <string.h>

/* The physical head that writes slot `slot` in layer `layer`, or -1. */
static int phys_head_of(const mprog *p, int slot, int layer) {
  const gate_graph *gg = &p->gg;
  for (int g = 0; g < gg->g.n; g++)
    if (gg->g.v[g].type == GT_HOUT && p->pl.slot[g] == slot && p->pl.time[g] == 2 * layer)
      return p->pl.phys_head[gg->g.v[g].head];
  return -1;
}

/* The gate named `name` that has a slot, or -1. */
static int named_gate(const mprog *p, const char *name) {
  for (int g = 0; g < p->gg.g.n; g++)
    if (p->pl.slot[g] >= 0 && p->pl.time[g] != -3 && !strcmp(p->gg.g.v[g].name, name)) return g;
  return -1;
}

/* "L5.U0-U2": the FFN units of gate g. */
static void units_of(const mprog *p, int g, strbuf *b) {
  unit_origin **u;
  if (!unit_origins(p, &u)) {
    unit_origins_free(p, u);
    return;
  }
  int l = p->pl.time[g] / 2, first = -1, last = -1;
  for (int j = 0; j < p->m->layers[l].n_ffn; j++)
    if (u[l][j].gate == g) {
      if (first < 0) first = j;
      last = j;
    }
  if (first >= 0) sb_printf(b, "L%d.U%d", l, first);
  if (last > first) sb_printf(b, "-U%d", last);
  unit_origins_free(p, u);
}

static void span(const mprog *p, int g, strbuf *b) {
  sb_putc(b, '[');
  fmt_time(b, p->pl.live_from[g], p->pl.n_layers);
  sb_puts(b, "..");
  fmt_time(b, p->pl.live_to[g], p->pl.n_layers);
  sb_putc(b, ']');
}

/* The end of the datum at s (a balanced list, or an atom), or NULL when
 * it does not end before e. */
static const char *datum_end(const char *s, const char *e) {
  if (s < e && *s == '(') {
    int depth = 0;
    do {
      if (s >= e) return NULL;
      depth += *s == '(' ? 1 : *s == ')' ? -1 : 0;
      s++;
    } while (depth > 0);
    return s;
  }
  while (s < e && *s != ' ' && *s != ')' && *s != '(' && *s != '\n') s++;
  return s;
}

/* The source text of a step: the datum at its place, and for a binding
 * ("y (lookup x)") the expression bound; on one line, cut at 60 bytes. */
static void source_text(const mprog *p, srcloc loc, strbuf *b) {
  size_t len;
  const char *line = loc.line > 0 ? src_line(&p->w->src, loc.file, loc.line, &len) : NULL;
  if (!line || loc.col < 1 || (size_t)loc.col > len) return;
  const char *s = line + loc.col - 1, *e = line + len;
  const char *end = datum_end(s, e);
  /* a binding's name, first in its list: "(y (lookup x))" */
  if (end && *s != '(' && s > line && s[-1] == '(' && end < e && *end == ' ' &&
      end + 1 < e && end[1] == '(') {
    const char *x = datum_end(end + 1, e);
    if (x) end = x;
  }
  if (!end) end = e;
  while (end > s && (end[-1] == '\n' || end[-1] == ' ')) end--;
  if (end - s > 60) {
    sb_printf(b, "%.*s\xe2\x80\xa6", 60, s);
    return;
  }
  sb_printf(b, "%.*s", (int)(end - s), s);
}

/* The units the routing gives step pc, per layer and value:
 * "L3.U20-U21 guarded error · L5.U7 emitted value"; nothing without
 * routing. */
static void step_units(const mprog *p, unit_origin **u, int pc, strbuf *b) {
  const model *m = p->m;
  bool any = false;
  for (int l = 0; l < m->n_layers; l++) {
    const int32_t *rt = m->layers[l].ffn_route;
    if (!rt) continue;
    int n = m->layers[l].n_ffn;
    for (int j = 0; j < n;) {
      if (rt[2 * j] < 0 || rt[2 * j + 1] != pc) {
        j++;
        continue;
      }
      int k = j, g = u ? u[l][j].gate : -1;
      while (k + 1 < n && rt[2 * (k + 1)] >= 0 && rt[2 * (k + 1) + 1] == pc &&
             (u ? u[l][k + 1].gate : -1) == g)
        k++;
      sb_printf(b, "%sL%d.U%d", any ? " · " : "    its own units: ", l, j);
      if (k > j) sb_printf(b, "-U%d", k);
      if (g >= 0) sb_printf(b, " %s", p->gg.g.v[g].name);
      else if (u && u[l][j].cleared >= 0)
        sb_printf(b, " slot clear of %s", p->gg.g.v[u[l][j].cleared].name);
      any = true;
      j = k + 1;
    }
  }
  if (any) sb_putc(b, '\n');
}

/* ---- the expressions of a step (the source map, backend/msrc.c) ---- */

/* The datum at loc, on one line, cut at 60 bytes; false when there is no
 * source there. */
static bool datum_text(const mprog *p, srcloc loc, strbuf *b) {
  size_t len;
  const char *line = loc.line > 0 ? src_line(&p->w->src, loc.file, loc.line, &len) : NULL;
  if (!line || loc.col < 1 || (size_t)loc.col > len) return false;
  const char *s = line + loc.col - 1, *e = line + len;
  const char *end = datum_end(s, e);
  if (!end) end = e;
  while (end > s && (end[-1] == '\n' || end[-1] == ' ')) end--;
  if (end == s) return false;
  if (end - s > 60) sb_printf(b, "%.*s\xe2\x80\xa6", 60, s);
  else sb_printf(b, "%.*s", (int)(end - s), s);
  return true;
}

static bool same_loc(srcloc a, srcloc b) {
  return a.file == b.file && a.line == b.line && a.col == b.col;
}

/* The entry an entry is shown as: itself when it has a place of its own
 * in the source, else the nearest such ancestor (its gates and reads are
 * shown there); -1 for none. */
static int shown_as(const mprog *p, int i) {
  while (i >= 0) {
    const msrc_entry *x = &p->srcmap.v[i];
    if (x->loc.line > 0) {
      int up = x->parent;
      while (up >= 0 && p->srcmap.v[up].loc.line <= 0) up = p->srcmap.v[up].parent;
      if (up < 0 || !same_loc(p->srcmap.v[up].loc, x->loc)) return i;
    }
    i = x->parent;
  }
  return -1;
}

/* "L1.U37-U39": units u0..u1 of gate g, by the model's unit origins. */
static bool gate_units(const mprog *p, unit_origin **u, int g, int u0, int u1, strbuf *b) {
  if (!u || p->pl.time[g] < 0) return false;
  int l = p->pl.time[g] / 2, first = -1, last = -1;
  for (int j = 0; j < p->m->layers[l].n_ffn; j++)
    if (u[l][j].gate == g && u[l][j].unit >= u0 && u[l][j].unit <= u1) {
      if (first < 0) first = j;
      last = j;
    }
  if (first < 0) return false;
  sb_printf(b, "L%d.U%d", l, first);
  if (last > first) sb_printf(b, "-U%d", last);
  return true;
}

/* The slot of gate g with its live range, or why it has none. */
static void gate_slot(const mprog *p, int g, strbuf *b) {
  if (p->pl.slot[g] < 0) {
    sb_puts(b, "no slot (not used)");
    return;
  }
  sb_printf(b, "slot %d ", p->pl.slot[g]);
  span(p, g, b);
}

/* Where a value is: one slot, a constant, or a linear form over slots
 * that every layer reading it forms itself. */
static void value_text(const mprog *p, gform v, strbuf *b) {
  if (v.n == 0) {
    sb_printf(b, "the constant %.17g", v.k);
    return;
  }
  if (v.n == 1 && v.t[0].c == 1 && v.k == 0) {
    gate_slot(p, v.t[0].g, b);
    return;
  }
  for (int i = 0; i < v.n; i++) {
    double c = v.t[i].c;
    if (i == 4 && v.n > 5) {
      sb_printf(b, " + \xe2\x80\xa6 (%d terms)", v.n);
      break;
    }
    if (i) sb_puts(b, c < 0 ? " - " : " + ");
    else if (c < 0) sb_puts(b, "-");
    if (c != 1 && c != -1) sb_printf(b, "%.17g*", c < 0 ? -c : c);
    if (p->pl.slot[v.t[i].g] >= 0) sb_printf(b, "slot %d", p->pl.slot[v.t[i].g]);
    else sb_printf(b, "(%s)", p->gg.g.v[v.t[i].g].name);
  }
  if (v.k) sb_printf(b, " %s %.17g", v.k < 0 ? "-" : "+", v.k < 0 ? -v.k : v.k);
  sb_puts(b, ", a linear form: no slot of its own, the layers that read it add these");
}

/* The heads and units of entry i and of the entries shown as it, each
 * line indented by ind; true when a head read its value. */
static bool expr_parts(const mprog *p, unit_origin **u, int i, int ind, strbuf *b) {
  const gate_graph *gg = &p->gg;
  int nparts = 0, more = 0;
  bool read_value = false;
  const msrc_entry *me = &p->srcmap.v[i];
  for (int k = i; k < p->srcmap.n && p->srcmap.v[k].pc == p->srcmap.v[i].pc; k++) {
    if (shown_as(p, k) != i) continue;
    const msrc_entry *x = &p->srcmap.v[k];
    for (int r = 0; r < x->nreads; r++) {
      const struct msrc_read *rd = &x->reads[r];
      int h = rd->head, l = p->pl.time[h] / 2, ph = p->pl.phys_head[h];
      if (p->pl.time[h] < 0 || ph < 0) continue;   /* a read merged into another */
      sb_printf(b, "\n%*sread by L%d.H%d (%s) into ", ind, "", l, ph,
                p->m->layers[l].heads[ph].name);
      gate_slot(p, gg->g.v[h].outs[0], b);
      if (me->value.n == 1 && me->value.t[0].c == 1 && me->value.k == 0 &&
          me->value.t[0].g == gg->g.v[h].outs[0]) {
        sb_puts(b, ": its value");
        read_value = true;
      }
      if (rd->addr_gate >= 0) {
        sb_puts(b, ", its address computed by ");
        if (!gate_units(p, u, rd->addr_gate, rd->u0, rd->u0 + rd->nu - 1, b))
          sb_puts(b, "no unit");
      }
    }
    for (int g = 0; g < x->ngates; g++) {
      strbuf t;
      sb_init(&t);
      if (gate_units(p, u, x->gates[g], 0, gg->g.v[x->gates[g]].nunits, &t)) {
        if (nparts < 12) {
          if (nparts) sb_puts(b, " · ");
          else sb_printf(b, "\n%*scomputed by ", ind, "");
          sb_printf(b, "%s %s", t.s, gg->g.v[x->gates[g]].name);
        }
        else more++;
        nparts++;
      }
      sb_free(&t);
    }
  }
  if (more) sb_printf(b, " · and %d more gate%s", more, more == 1 ? "" : "s");
  return read_value;
}

/* Every expression of the source that step pc computes, nested, with
 * what computes it and where its value is. */
static void explain_exprs(const mprog *p, unit_origin **u, int pc, strbuf *b) {
  int i0 = 0;
  while (i0 < p->srcmap.n && p->srcmap.v[i0].pc != pc) i0++;
  for (int i = i0; i < p->srcmap.n && p->srcmap.v[i].pc == pc; i++) {
    if (shown_as(p, i) != i) continue;
    const msrc_entry *x = &p->srcmap.v[i];
    int depth = 0;
    for (int up = x->parent; up >= 0; up = p->srcmap.v[up].parent) depth += shown_as(p, up) == up;
    strbuf t;
    sb_init(&t);
    bool has_text = datum_text(p, x->loc, &t);
    sb_printf(b, "%*s", 4 + 2 * depth, "");
    loc_text(p, x->loc, b);
    sb_printf(b, "  %s", has_text ? t.s : "?");
    sb_free(&t);
    int ind = 6 + 2 * depth;
    if (x->same_as >= 0) {
      int y = shown_as(p, x->same_as);
      sb_printf(b, "\n%*sthe same value as ", ind, "");
      if (y >= 0 && !same_loc(p->srcmap.v[y].loc, x->loc)) loc_text(p, p->srcmap.v[y].loc, b);
      else sb_puts(b, "before");
      sb_puts(b, ", computed once in this step: ");
      value_text(p, x->value, b);
      sb_putc(b, '\n');
      continue;
    }
    if (!expr_parts(p, u, i, ind, b)) {
      sb_printf(b, "\n%*sits value: ", ind, "");
      value_text(p, x->value, b);
    }
    sb_putc(b, '\n');
  }
}

bool step_source(const mprog *p, int pc, strbuf *text, srcloc *loc) {
  int first = -1;
  for (int i = 0; i < p->srcmap.n; i++) {
    if (p->srcmap.v[i].pc != pc || shown_as(p, i) != i) continue;
    if (first < 0 || p->srcmap.v[i].parent < 0) {
      first = i;
      if (p->srcmap.v[i].parent < 0) break;
    }
  }
  if (first < 0 || !datum_text(p, p->srcmap.v[first].loc, text)) return false;
  *loc = p->srcmap.v[first].loc;
  return true;
}

static void explain_step(isink *o, const mprog *p, unit_origin **u, int pc,
                         int value_gate) {
  const mstep_info *s = &p->steps[pc];
  strbuf b;
  sb_init(&b);
  sb_puts(&b, "  ");
  loc_text(p, s->loc, &b);
  sb_puts(&b, "  ");
  source_text(p, s->loc, &b);
  sb_printf(&b, "\n    pc %d  ", pc);
  step_text(p, pc, &b);
  sb_putc(&b, '\n');
  for (int i = 0; i < p->slotmap.n; i++) {
    const struct slotref *r = &p->slotmap.v[i];
    if (r->pc != pc) continue;
    int h = phys_head_of(p, r->slot, r->layer);
    sb_printf(&b, "    reads %s into slot %d with L%d.H%d (%s)\n", r->label, r->slot, r->layer,
              h, h >= 0 ? p->m->layers[r->layer].heads[h].name : "?");
  }
  if (value_gate >= 0 && (s->k == M_WRITE || s->k == M_OUTINT || s->k == M_OUTSYM)) {
    sb_printf(&b, "    its value: slot %d ", p->pl.slot[value_gate]);
    span(p, value_gate, &b);
    sb_puts(&b, ", written by ");
    units_of(p, value_gate, &b);
    sb_printf(&b, " (%s), emitted as a token", p->gg.g.v[value_gate].name);
    if (s->k == M_WRITE) sb_puts(&b, " and so written to memory");
    sb_putc(&b, '\n');
  }
  explain_exprs(p, u, pc, &b);
  step_units(p, u, pc, &b);
  isink_puts(o, b.s);
  sb_free(&b);
}

static int by_loc(const void *x, const void *y, void *ctx) {
  const mprog *p = ctx;
  const srcloc *a = &p->steps[*(const int *)x].loc, *b = &p->steps[*(const int *)y].loc;
  if (a->file != b->file) return a->file - b->file;
  if (a->line != b->line) return a->line - b->line;
  if (a->col != b->col) return a->col - b->col;
  return *(const int *)x - *(const int *)y;
}

/* What computes one named value of a circuit, and where it is. */
static void explain_value(const mprog *p, const struct cname *n, strbuf *b) {
  const gate_graph *gg = &p->gg;
  const gate *g = &gg->g.v[n->gate];
  int l = p->pl.time[n->gate] / 2;
  if (g->type == GT_INPUT) {
    sb_puts(b, "the last argument, the token the forward pass runs on");
  } else if (g->type == GT_HOUT) {
    int h = p->pl.phys_head[g->head];
    const gate *hd = &gg->g.v[g->head];
    sb_printf(b, "read by L%d.H%d (%s)", l, h, p->m->layers[l].heads[h].name);
    if (hd->mask >= 0 && hd->dv > 1)
      sb_printf(b, ", with where it found it in slot %d (not the key's place: the output "
                   "head emits ERR)", p->pl.slot[hd->outs[1]]);
    else if (n->param)
      sb_puts(b, " from its place in the prompt");
  } else {
    sb_puts(b, "computed by ");
    units_of(p, n->gate, b);
  }
  sb_printf(b, "; slot %d ", p->pl.slot[n->gate]);
  span(p, n->gate, b);
  if (n->result) sb_puts(b, "; the output head emits it");
}

static void explain_circuit(isink *o, const mprog *p, const char *name) {
  const circuit *c = p->circ;
  isink_printf(o, "%s: a circuit of %d layer%s, %s; per value of its source: "
                  "what computes it and the slot that holds it\n",
               name, p->pl.n_layers, p->pl.n_layers == 1 ? "" : "s",
               c->long_value ? "one forward pass per token of its value (a long value: "
                               "HI, then VAL)" : "one forward pass");
  for (int i = 0; i < c->nnames; i++) {
    const struct cname *n = &c->names[i];
    if (p->pl.slot[n->gate] < 0) continue;
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "  ");
    if (n->param) sb_printf(&b, "parameter %s", n->name);
    else {
      loc_text(p, n->loc, &b);
      sb_printf(&b, "  %s", n->name);
    }
    sb_puts(&b, "\n    ");
    explain_value(p, n, &b);
    sb_putc(&b, '\n');
    isink_puts(o, b.s);
    sb_free(&b);
  }
}

void cmd_explain(shell *sh, const char *args) {
  const mprog *p = program_of(sh, args);
  if (!p) return;
  isink o;
  if (!isink_open(&o, sh, NULL)) return;
  if (p->circ) {
    explain_circuit(&o, p, args);
    isink_done(&o, NULL, "");
    return;
  }
  isink_printf(&o, "%s: %d steps in %d layers; per step of its source: the heads that read "
                   "for it and where its value is\n", args, p->npc, p->pl.n_layers);
  int *order = xmalloc((size_t)(p->npc ? p->npc : 1) * sizeof(int));
  int n = 0;
  for (int pc = 0; pc < p->npc; pc++)
    if (p->steps[pc].loc.line > 0) order[n++] = pc;
  /* insertion sort by place: programs have tens of steps */
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && by_loc(&order[j - 1], &order[j], (void *)p) > 0; j--) {
      int t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  int value_gate = named_gate(p, "emitted value");
  unit_origin **u;
  bool named = unit_origins(p, &u);
  for (int i = 0; i < n; i++) explain_step(&o, p, named ? u : NULL, order[i], value_gate);
  unit_origins_free(p, u);
  free(order);
  isink_done(&o, NULL, "");
}
