/* msrc.c - the source map of a machine: which gates and heads compute
 * each expression of the source, and which form holds its value.
 *
 * mx_expr (mexpr.c) brackets the building of every non-constant
 * expression with mx_src_enter/mx_src_leave: the gates made meanwhile
 * belong to the innermost expression that was being built when they were
 * made (the entries are in pre-order, so a later entry containing a gate
 * is a deeper one).  Heads are shared between steps, so a head belongs to
 * no expression: each read notes the expression that asked for it
 * (mx_src_read).  A value the step's memo already had (mexpr.c, "computed
 * once") is noted as the same as the entry that computed it.
 *
 * Ownership: the entries live in the mprog (mprog.srcmap) and are freed
 * by msrc_free; their forms are in the gate graph's arena.
 */
#include "config.h"

#include "mbuild.h"

#include <stdlib.h>
#include <string.h>

int mx_src_enter(mb *b, const ir_expr *e) {
  if (e->k == X_CONST || b->failed) return -1;
  msrc_entry x;
  memset(&x, 0, sizeof x);
  x.pc = b->cur_step;
  x.loc = e->loc;
  /* a temporary of the lowering is no expression of the source: what it
   * computes is shown with the expression that reads it */
  if (e->k == X_VAR && e->var >= 0 && b->ir->vars.v[e->var].cls == VAR_TEMP)
    memset(&x.loc, 0, sizeof x.loc);
  x.parent = b->src_cur - 1;
  x.same_as = -1;
  x.g0 = x.g1 = b->gg->g.n;
  VEC_PUSH(b->p->srcmap, x);
  int saved = b->src_cur;
  b->src_cur = b->p->srcmap.n;
  return saved;
}

static bool same_form(gform a, gform c) {
  if (a.n != c.n || a.k != c.k) return false;
  for (int i = 0; i < a.n; i++)
    if (a.t[i].g != c.t[i].g || a.t[i].c != c.t[i].c) return false;
  return true;
}

void mx_src_leave(mb *b, int saved, cval v) {
  if (saved < 0) return;
  int me = b->src_cur - 1;
  msrc_entry *x = &b->p->srcmap.v[me];
  x->value = v.f;
  x->g1 = b->gg->g.n;
  if (x->same_as == -2) {
    /* the first entry of the step with this value */
    x->same_as = -1;
    for (int i = me - 1; i >= 0 && b->p->srcmap.v[i].pc == x->pc; i--) {
      const msrc_entry *y = &b->p->srcmap.v[i];
      if (y->same_as == -1 && y->g1 >= y->g0 && same_form(y->value, v.f)) x->same_as = i;
    }
  }
  b->src_cur = saved;
}

void mx_src_shared(mb *b) {
  if (b->src_cur > 0) b->p->srcmap.v[b->src_cur - 1].same_as = -2;
}

void mx_src_read(mb *b, int ph) {
  if (b->src_cur <= 0) return;
  msrc_entry *x = &b->p->srcmap.v[b->src_cur - 1];
  x->reads = xrealloc(x->reads, (size_t)(x->nreads + 1) * sizeof *x->reads);
  /* the phys head and its user index, until mx_src_finish */
  struct msrc_read r = {ph, -1, b->heads.v[ph].users.n - 1, 0};
  x->reads[x->nreads++] = r;
}

void mx_src_finish(mb *b) {
  mprog *p = b->p;
  const gate_graph *gg = b->gg;
  int *owner = xmalloc((size_t)(gg->g.n ? gg->g.n : 1) * sizeof(int));
  for (int g = 0; g < gg->g.n; g++) owner[g] = -1;
  for (int i = 0; i < p->srcmap.n; i++)
    for (int g = p->srcmap.v[i].g0; g < p->srcmap.v[i].g1 && g < gg->g.n; g++)
      if (gg->g.v[g].type == GT_FFN) owner[g] = i;
  for (int g = 0; g < gg->g.n; g++) {
    if (owner[g] < 0) continue;
    msrc_entry *x = &p->srcmap.v[owner[g]];
    x->gates = xrealloc(x->gates, (size_t)(x->ngates + 1) * sizeof(int));
    x->gates[x->ngates++] = g;
  }
  free(owner);
  for (int i = 0; i < p->srcmap.n; i++) {
    msrc_entry *x = &p->srcmap.v[i];
    for (int k = 0; k < x->nreads; k++) {
      struct msrc_read *r = &x->reads[k];
      const phys_head *h = &b->heads.v[r->head];
      const gate *hg = &gg->g.v[h->head];
      int user = r->u0;
      r->head = h->head;
      r->u0 = 0;
      /* a computed address: three units per step in the query's gate */
      if (h->mode == RD_DYN && hg->q[0].n == 1 && gg->g.v[hg->q[0].t[0].g].type == GT_FFN) {
        r->addr_gate = hg->q[0].t[0].g;
        r->u0 = 3 * user;
        r->nu = 3;
      }
    }
  }
}

void msrc_free(mprog *p) {
  for (int i = 0; i < p->srcmap.n; i++) {
    free(p->srcmap.v[i].gates);
    free(p->srcmap.v[i].reads);
  }
  VEC_FREE(p->srcmap);
}
