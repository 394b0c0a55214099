/* lower-pairwise.c - the comparisons Guile applies two by two (= < >
 * <= >= and those of characters and strings: builtin_pairwise) in
 * compiled code, as the evaluator runs them (eval.c check_arg_kinds).
 *
 * Guile compares the first two arguments, then the second and third,
 * and so on, and stops at the first pair that compares false: the
 * arguments after it are never looked at, so (= 1 2 'a) is #f, not an
 * error, and a call with fewer than two arguments is #t whatever they
 * are.  A call whose arguments from the third on are all known to be of
 * the right kind keeps the one primitive of n operands (lower.c
 * lw_prim); any other becomes the chain
 *
 *   t0..tn-1 = the arguments
 *   r = (op t0 t1)          (both checked: argument 1, argument 2)
 *   if !r goto done
 *   r = (op t1 t2)          (t2 checked: argument 3)
 *   ...
 *   done: r
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <string.h>

/* The kind the comparison's operands have (its builtin's arg kind). */
static tkind operand_kind(const builtin *b) {
  switch (builtin_arg_kind(b, 0)) {
  case AK_CHAR: return T_CHAR;
  case AK_STR: return T_STR;
  default: return T_INT;
  }
}

ir_expr *lw_pairwise(lw *c, const ast *a, const builtin *b, ir_expr **args, int n) {
  if (!builtin_pairwise(b)) return NULL;
  srcloc loc = a->loc;
  if (n < 2) {
    /* the operand is computed (its errors), then not looked at */
    for (int i = 0; i < n; i++) lw_emit(c, S_EVAL, arg_loc(a, i))->a[0] = args[i];
    return kbool(c, true, loc);
  }
  tkind k = operand_kind(b);
  bool known = true;
  for (int i = 2; i < n; i++) known &= ir_kind(c->p, args[i]->type) == k;
  if (known) return NULL;
  ir_expr *t[64];
  for (int i = 0; i < n; i++) t[i] = var(c, assign_new(c, args[i], arg_loc(a, i)), arg_loc(a, i));
  int r = temp_of(c, T_BOOL, loc), done = lw_new_label(c);
  for (int i = 0; i + 1 < n && !c->failed; i++) {
    /* the pair's checks, numbered as in the whole call */
    ir_expr *x[2] = {i < 2 ? lw_checked_arg(c, a, b->name, t, i, k)
                           : lw_checked_arg_late(c, a, b->name, t, i, k),
                     i + 1 < 2 ? lw_checked_arg(c, a, b->name, t, i + 1, k)
                               : lw_checked_arg_late(c, a, b->name, t, i + 1, k)};
    /* a call of two arguments, where the two are written */
    ast *sub = arena_alloc(&c->p->mem, sizeof *sub);
    *sub = *a;
    sub->u.call.args = a->u.call.args + i;
    sub->u.call.n = 2;
    lw_assign(c, r, lw_prim(c, sub, b, x, 2), loc);
    if (i + 2 < n) {
      int next = lw_new_label(c);
      branch(c, var(c, r, loc), next, done, loc);
      lw_label(c, next, loc);
    }
  }
  lw_label(c, done, loc);
  return var(c, r, loc);
}

/* For the string comparisons, which lower their own operands (lower-
 * strings2.c, lower-strings3.c): operand i of call a (variable v, not
 * checked yet when i >= 2) checked as the pair that reads it is reached;
 * its checked copy's variable. */
int lw_pairwise_operand(lw *c, const ast *a, int v, int i) {
  srcloc at = arg_loc(a, i);
  ir_expr *ops[64];
  for (int j = 0; j <= i && j < 64; j++) ops[j] = var(c, v, at);
  return assign_new(c, lw_checked_arg_late(c, a, a->u.call.r.bi->name, ops, i, T_STR), at);
}
