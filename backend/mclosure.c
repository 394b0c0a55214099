/* mclosure.c - procedures as values in the machine (lang/lower-closure.c
 * lowers them): a procedure value is its id, 1 + its index in
 * ir_prog.procs (tagged with TAG_PROC in a class of several kinds); a call
 * through it is a jump on the id that the lowering has already expanded.
 * Here: its text, as display and write print it (the evaluator's
 * `#<procedure f (a b)>`, lang/proctext.c), chosen by the model from the id.
 *
 * A lambda with captured variables is a closure: heap cells [count, id,
 * captured values...] at the address HP had when it was made, count + 2
 * cells of the heap limit as the evaluator counts a closure.  A value of
 * kind T_PROC is then an id (at most procs.n) or a closure's address
 * (above: the heap starts past the static cells, one per procedure at
 * least), and its id is `v <= P ? v : MEM[v + 1]`.
 */
#include "config.h"

#include "mbuild.h"

#include <string.h>

/* ---- closures ---------------------------------------------------------- */

void mb_expand_closure(mb *b, const ir_stmt *s, int f) {
  int n = s->nargs;
  /* the count, after the heap check (the evaluator's heap-limit error) */
  mstmt *m = mb_step(b, M_WRITE, f, s->loc);
  m->tgt = TGT_HP;
  m->off = 0;
  m->sp = SP_MAKEVEC_HDR;
  m->val = mb_int_const(b, n);
  m->x1 = mb_int_const(b, s->l1);
  m->what = mb_describe(b, "closure: count");
  m = mb_step(b, M_WRITE, f, s->loc);
  m->tgt = TGT_HP;
  m->off = 1;
  m->val = mb_int_const(b, s->l1);
  m->what = mb_describe(b, "closure: procedure id");
  for (int j = 0; j < n; j++) {
    m = mb_step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_HP;
    m->off = 2 + j;
    m->val = s->args[j];
    m->what = mb_describe(b, "closure: captured value %d", j + 1);
  }
  m = mb_step(b, M_WRITE, f, s->loc);
  mb_set_target(b, m, s->var);
  ir_expr *hp = mb_mkx(b, X_VAR, b->ir->vars.v[s->var].type, 0);
  hp->var = -REG_HP;
  m->val = hp;
  m->what = mb_describe(b, "the new closure");
  m = mb_step(b, M_WRITE, f, s->loc);
  m->tgt = TGT_STATIC;
  m->addr = REG_HP;
  m->sp = SP_HP_BUMP;
  m->val = mb_int_const(b, n);   /* SP_HP_BUMP adds 2 */
  m->what = mb_describe(b, "closure: allocate");
}

cval mb_proc_id(mb *b, const ir_expr *e) {
  gate_graph *gg = b->gg;
  cval p = mx_expr(b, e->a[0]);
  if (ir_kind(b->ir, e->a[0]->type) == T_DYN) p = mx_unbox(b, p, T_PROC);
  gform w;
  if (e->ival >= 0) {   /* a captured value: only where p is a closure */
    double k = 2 + e->ival;
    cval at = {gf_addk(gg, p.f, k), p.lo + k, p.hi + k, false};
    if (at.hi > ADDR_MAX) at.hi = ADDR_MAX;
    return mx_read_dyn(b, at, &w, mx_kind_lo(b, e->type), mx_kind_hi(b, e->type),
                       "captured value");
  }
  if (!b->ir->has_closures) return p;
  double P = b->ir->procs.n;
  cval at = {gf_addk(gg, p.f, 1), p.lo + 1, p.hi + 1, false};
  if (at.hi > ADDR_MAX) at.hi = ADDR_MAX;
  /* where p is an id this reads a static cell, of any value: not chosen */
  cval id = mx_read_dyn(b, at, &w, -DYN_BASE, DYN_MAX, "procedure id");
  gform small = mx_in_range(b, p, 0, P);
  return mx_select(b, small, p, id);
}

/* ---- display ------------------------------------------------------------- */

static ir_expr *text_const(mb *b, const ir_prog *ir, int id) {
  strbuf t;
  sb_init(&t);
  ir_proc_text(ir, id, &t);
  ir_expr *e = mb_mkx(b, X_CONST, mb_kind_type(b, T_STR), 0);
  e->ival = mb_str_const(b, t.s);
  e->has_nat = true;
  e->nat = T_STR;
  sb_free(&t);
  return e;
}

/* One output step whose string is selected by the id (a select per
 * procedure but the last: one token, however many procedures). */
void mb_display_proc(mb *b, ir_expr *e, int fn, srcloc loc) {
  const ir_prog *ir = b->ir;
  int n = ir->procs.n;
  if (n == 0) {
    mb_fail(b, "internal error: a procedure value in a program without procedures");
    return;
  }
  ir_expr *v = text_const(b, ir, n);
  ir_expr *idx = e;
  if (ir->has_closures) {
    idx = mb_mkx(b, X_PROCID, mb_kind_type(b, T_INT), 1);
    idx->a[0] = e;
    idx->ival = -1;
  }
  for (int id = n - 1; id >= 1; id--) {
    ir_expr *k = mb_mkx(b, X_CONST, mb_kind_type(b, ir->has_closures ? T_INT : T_PROC), 0);
    k->ival = id;
    k->has_nat = true;
    k->nat = ir->has_closures ? T_INT : T_PROC;
    ir_expr *eq = mb_mkx(b, X_PRIM, mb_kind_type(b, T_BOOL), 2);
    eq->op = builtin_find(ir->has_closures ? "=" : "eqv?");
    eq->a[0] = idx;
    eq->a[1] = k;
    ir_expr *sel = mb_mkx(b, X_SELECT, mb_kind_type(b, T_STR), 3);
    sel->a[0] = eq;
    sel->a[1] = text_const(b, ir, id);
    sel->a[2] = v;
    v = sel;
  }
  mstmt *m = mb_step(b, M_OUTSTR, fn, loc);
  m->val = v;
  m->what = mb_describe(b, "print a procedure");
}
