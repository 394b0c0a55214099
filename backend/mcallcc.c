/* mcallcc.c - call/cc's escapes in the machine (lang/lower-callcc.c lowers
 * them).
 *
 * A program that calls call/cc has a region of memory after the tables
 * (base `cc_base`): two cells per continuation whose call/cc still runs,
 * innermost last: its heap address and the SP its call/cc was called
 * with.  The lowering keeps the count of live ones in a static cell and
 * reads and writes the region's cells with X_CC and S_CCSET; an escape
 * is S_ESCAPE: SP := the saved SP, then a jump to the call/cc site's
 * resume label in its own function (so a frame of a recursive function,
 * and the depth the evaluator counts from SP, are those the call/cc had).
 * Programs without call/cc have no region and no such steps.
 */
#include "config.h"

#include "mbuild.h"

/* Room for every continuation that can be live at once: one per nested
 * call (each call/cc calls its procedure one level deeper), and one. */
int32_t mb_callcc_layout(mb *b, int32_t next) {
  if (!b->ir->has_callcc) return next;
  int64_t n = 2 * ((int64_t)b->p->w->lim.max_depth + 2);
  if (n > ADDR_MAX / 8) {
    mb_fail(b, "the depth limit (%d) needs more room for call/cc's continuations than "
               "compiled code has: lower it with --max-depth or :limit depth",
            b->p->w->lim.max_depth);
    return next;
  }
  b->p->cc_base = next;
  b->p->cc_cells = (int32_t)n;
  return next + (int32_t)n;
}

cval mb_callcc_expr(mb *b, const ir_expr *e) {
  gate_graph *gg = b->gg;
  switch (e->ival) {
  case CC_SP:
    return mx_read_var(b, -REG_SP);
  case CC_ADDR: {
    cval p = mx_expr(b, e->a[0]);
    if (ir_kind(b->ir, e->a[0]->type) == T_DYN) p = mx_unbox(b, p, T_PROC);
    return p;
  }
  case CC_CELL: {
    cval i = mx_expr(b, e->a[0]);
    cval r = i;
    r.f = gf_addk(gg, i.f, b->p->cc_base);
    r.lo = i.lo + b->p->cc_base;
    r.hi = i.hi + b->p->cc_base;
    r.clean = false;
    if (r.lo < 0) r.lo = 0;
    if (r.hi > ADDR_MAX) r.hi = ADDR_MAX;
    return r;
  }
  default: {   /* CC_READ */
    cval i = mx_expr(b, e->a[0]);
    cval at = {gf_addk(gg, i.f, b->p->cc_base), i.lo + b->p->cc_base,
               i.hi + b->p->cc_base, false};
    if (at.lo < 0) at.lo = 0;
    if (at.hi > ADDR_MAX) at.hi = ADDR_MAX;
    gform w;
    return mx_read_dyn(b, at, &w, 0, ADDR_MAX, "continuation record");
  }
  }
}

void mb_expand_callcc(mb *b, const ir_stmt *s, int f) {
  mstmt *m;
  if (s->k == S_CCSET) {
    ir_expr *at = mb_mkx(b, X_CC, mb_int_type(b), 1);
    at->ival = CC_CELL;
    at->a[0] = s->a[0];
    m = mb_step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_STATIC;
    m->addr = REG_WADDR;
    m->val = at;
    m->what = mb_describe(b, "call/cc: record cell");
    m = mb_step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_WADDR;
    m->off = 0;
    m->val = s->a[1];
    m->what = mb_describe(b, "call/cc: record");
    return;
  }
  /* S_ESCAPE */
  m = mb_step(b, M_WRITE, f, s->loc);
  m->tgt = TGT_STATIC;
  m->addr = REG_SP;
  m->val = s->a[0];
  m->what = mb_describe(b, "escape: SP of the call/cc");
  m = mb_step(b, M_JUMP, s->fn, s->loc);   /* a label of the call/cc's function */
  m->l1 = s->l1;
  m->what = mb_describe(b, "escape to the call/cc");
}
