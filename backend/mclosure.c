/* mclosure.c - procedures as values in the machine (lang/lower-closure.c
 * lowers them): a procedure value is its id, 1 + its index in
 * ir_prog.procs (tagged with TAG_PROC in a class of several kinds); a call
 * through it is a jump on the id that the lowering has already expanded.
 * Here: its text, as display and write print it (the evaluator's
 * `#<procedure NAME>`), chosen by the model from the id.
 */
#include "config.h"

#include "mbuild.h"

#include <string.h>

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
  for (int id = n - 1; id >= 1; id--) {
    ir_expr *k = mb_mkx(b, X_CONST, mb_kind_type(b, T_PROC), 0);
    k->ival = id;
    k->has_nat = true;
    k->nat = T_PROC;
    ir_expr *eq = mb_mkx(b, X_PRIM, mb_kind_type(b, T_BOOL), 2);
    eq->op = builtin_find("eqv?");
    eq->a[0] = e;
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
