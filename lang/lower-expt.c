/* lower-expt.c - expt whose base and exponent are both computed at run
 * time: a loop of multiplications in steps, exact, with the evaluator's
 * checks in its order (builtins.c bi_expt):
 *
 *   base 1 or exponent 0: 1;  base -1: 1 or -1 by the exponent's parity;
 *   a negative exponent: "division by zero: (expt 0 E)" for base 0, else
 *   "expt: (expt B E) is a fraction, and tvl has only integers" (at the
 *   exponent); base 0: 0;  else B multiplied E - 1 times into B, each
 *   product tested before it is made against bounds computed once
 *   (floor((2^31 - 1) / |B|) and floor(2^31 / |B|)), so no product
 *   leaves 32 bits: "integer overflow: (expt B E) does not fit in 32 bits",
 *   or, at the last product, the evaluator's "integer overflow: (expt B E)
 *   is P, which does not fit in 32 bits": the product is made, and the
 *   host writes its text from B and E read from the trace (hostops).
 *
 * Texts with values are written as the program runs (S_ERRTEXT, as
 * lower-listlib.c does).  A constant base or exponent keeps the backend's
 * one-step forms (backend/mexpr.c); programs without such a call pay
 * nothing.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <string.h>

static ir_expr *or2(lw *c, ir_expr *x, ir_expr *y, srcloc loc) {
  return pick(c, x, kbool(c, 1, loc), y, loc);
}

/* if t goto yes else fall to a new label */
static void when(lw *c, ir_expr *t, int yes, srcloc loc) {
  int no = lw_new_label(c);
  ir_stmt *s = lw_emit(c, S_BRANCH, loc);
  s->a[0] = t;
  s->l1 = yes;
  s->l2 = no;
  lw_label(c, no, loc);
}

static void go(lw *c, int l, srcloc loc) { lw_emit(c, S_JUMP, loc)->l1 = l; }

/* "(expt B E)" written into the error's text */
static void call_text(lw *c, int xb, int ke, srcloc loc) {
  lw_ll_err_text(c, "(expt ", loc);
  lw_ll_err_write(c, var(c, xb, loc), loc);
  lw_ll_err_text(c, " ", loc);
  lw_ll_err_write(c, var(c, ke, loc), loc);
  lw_ll_err_text(c, ")", loc);
}

ir_expr *lw_expt_computed(lw *c, const ast *a, ir_expr **args) {
  if (args[0]->k == X_CONST || args[1]->k == X_CONST) return NULL;
  srcloc loc = a->loc, eloc = a->u.call.args[1]->loc;
  ir_expr *x = lw_checked_arg(c, a, "expt", args, 0, T_INT);
  ir_expr *e = lw_checked_arg(c, a, "expt", args, 1, T_INT);
  int xb = lw_new_var(c, -1, VAR_TEMP, loc), ke = lw_new_var(c, -1, VAR_TEMP, loc);
  int r = lw_new_var(c, -1, VAR_TEMP, loc);
  /* the base's errors, then the exponent's, then expt's own */
  lw_assign(c, xb, x, loc);
  lw_assign(c, ke, e, loc);
  int done = lw_new_label(c), one = lw_new_label(c), mone = lw_new_label(c);
  int neg = lw_new_label(c), zero = lw_new_label(c), first = lw_new_label(c);
  int big = lw_new_label(c);
  when(c, or2(c, prim(c, "=", var(c, xb, loc), kint(c, 1, loc), T_BOOL, loc),
              prim(c, "=", var(c, ke, loc), kint(c, 0, loc), T_BOOL, loc), loc), one, loc);
  when(c, prim(c, "=", var(c, xb, loc), kint(c, -1, loc), T_BOOL, loc), mone, loc);
  when(c, prim(c, "<", var(c, ke, loc), kint(c, 0, loc), T_BOOL, loc), neg, loc);
  when(c, prim(c, "=", var(c, xb, loc), kint(c, 0, loc), T_BOOL, loc), zero, loc);
  when(c, prim(c, "=", var(c, ke, loc), kint(c, 1, loc), T_BOOL, loc), first, loc);
  /* an exponent of 2 or more: a base past 46340 overflows at once */
  when(c, or2(c, prim(c, "<", var(c, xb, loc), kint(c, -46340, loc), T_BOOL, loc),
              prim(c, ">", var(c, xb, loc), kint(c, 46340, loc), T_BOOL, loc), loc), big, loc);
  /* the bounds r must keep for r * B to fit: lo <= r <= hi */
  int ab = lw_new_var(c, -1, VAR_TEMP, loc), q = lw_new_var(c, -1, VAR_TEMP, loc);
  int qn = lw_new_var(c, -1, VAR_TEMP, loc), lo = lw_new_var(c, -1, VAR_TEMP, loc);
  int hi = lw_new_var(c, -1, VAR_TEMP, loc), i = lw_new_var(c, -1, VAR_TEMP, loc);
  lw_assign(c, ab, prim(c, "abs", var(c, xb, loc), NULL, T_INT, loc), loc);
  lw_assign(c, q, prim(c, "quotient", kint(c, 2147483647, loc), var(c, ab, loc), T_INT, loc), loc);
  /* floor(2^31 / |B|): one more where |B| divides 2^31 */
  lw_assign(c, qn, prim(c, "+", var(c, q, loc),
                        pick(c, prim(c, "=", prim(c, "remainder", kint(c, 2147483647, loc),
                                                 var(c, ab, loc), T_INT, loc),
                                    prim(c, "-", var(c, ab, loc), kint(c, 1, loc), T_INT, loc),
                                    T_BOOL, loc),
                            kint(c, 1, loc), kint(c, 0, loc), loc), T_INT, loc), loc);
  ir_expr *bpos = prim(c, ">", var(c, xb, loc), kint(c, 0, loc), T_BOOL, loc);
  lw_assign(c, lo, pick(c, bpos, prim(c, "-", kint(c, 0, loc), var(c, qn, loc), T_INT, loc),
                       prim(c, "-", kint(c, 0, loc), var(c, q, loc), T_INT, loc), loc), loc);
  lw_assign(c, hi, pick(c, bpos, var(c, q, loc), var(c, qn, loc), loc), loc);
  lw_assign(c, r, var(c, xb, loc), loc);
  lw_assign(c, i, kint(c, 1, loc), loc);
  int head = lw_new_label(c), over = lw_new_label(c);
  lw_label(c, head, loc);
  ir_stmt *s = lw_emit(c, S_BRANCH, loc);
  s->a[0] = prim(c, "<", var(c, i, loc), var(c, ke, loc), T_BOOL, loc);
  int body = lw_new_label(c);
  s->l1 = body;
  s->l2 = done;
  lw_label(c, body, loc);
  when(c, or2(c, prim(c, "<", var(c, r, loc), var(c, lo, loc), T_BOOL, loc),
              prim(c, ">", var(c, r, loc), var(c, hi, loc), T_BOOL, loc), loc), over, loc);
  lw_assign(c, r, prim(c, "*", var(c, r, loc), var(c, xb, loc), T_INT, loc), loc);
  lw_assign(c, i, prim(c, "+", var(c, i, loc), kint(c, 1, loc), T_INT, loc), loc);
  go(c, head, loc);
  /* the product that does not fit: the last one (its exact value is not
   * printed) or an earlier one */
  int last = lw_new_label(c);
  lw_label(c, big, loc);
  lw_assign(c, i, kint(c, 1, loc), loc);
  lw_label(c, over, loc);
  when(c, prim(c, "=", var(c, i, loc), prim(c, "-", var(c, ke, loc), kint(c, 1, loc), T_INT, loc),
               T_BOOL, loc), last, loc);
  lw_ll_err_text(c, "integer overflow: ", loc);
  call_text(c, xb, ke, loc);
  lw_ll_err_text(c, " does not fit in 32 bits", loc);
  lw_ll_err_raise(c, loc, "overflow", "");
  go(c, done, loc);
  lw_label(c, last, loc);
  /* the last product, made: its overflow's text names B and E and the
   * exact power as the host reads them (backend/mhostval.c, hostops) */
  ir_expr *m = prim(c, "*", var(c, r, loc), var(c, xb, loc), T_INT, loc);
  ir_expr **ops = arena_alloc(&c->p->mem, 2 * sizeof *ops);
  ops[0] = var(c, xb, loc);
  ops[1] = var(c, ke, loc);
  struct ir_hostops h = {m, "expt", ops, 2};
  VEC_PUSH(c->p->hostops, h);
  lw_emit(c, S_EVAL, loc)->a[0] = m;
  lw_emit(c, S_EVAL, loc)->a[0] = lw_fail_expr(c, loc, "overflow", "integer overflow: the "
                                               "result of expt does not fit in 32 bits");
  go(c, done, loc);
  /* a negative exponent */
  int frac = lw_new_label(c);
  lw_label(c, neg, loc);
  when(c, prim(c, "=", var(c, xb, loc), kint(c, 0, loc), T_BOOL, loc), frac, loc);
  lw_ll_err_text(c, "expt: ", eloc);
  call_text(c, xb, ke, eloc);
  lw_ll_err_text(c, " is a fraction, and tvl has only integers", eloc);
  lw_ll_err_raise(c, eloc, "type", "");
  go(c, done, loc);
  lw_label(c, frac, loc);
  lw_ll_err_text(c, "division by zero: (expt 0 ", loc);
  lw_ll_err_write(c, var(c, ke, loc), loc);
  lw_ll_err_text(c, ")", loc);
  lw_ll_err_raise(c, loc, "division", "");
  go(c, done, loc);
  /* the simple cases */
  lw_label(c, one, loc);
  lw_assign(c, r, kint(c, 1, loc), loc);
  go(c, done, loc);
  lw_label(c, mone, loc);
  lw_assign(c, r, pick(c, prim(c, "odd?", var(c, ke, loc), NULL, T_BOOL, loc), kint(c, -1, loc),
                      kint(c, 1, loc), loc), loc);
  go(c, done, loc);
  lw_label(c, zero, loc);
  lw_assign(c, r, kint(c, 0, loc), loc);
  go(c, done, loc);
  lw_label(c, first, loc);
  lw_assign(c, r, var(c, xb, loc), loc);
  lw_label(c, done, loc);
  return var(c, r, loc);
}
