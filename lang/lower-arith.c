/* lower-arith.c - integer builtins compiled from the ones the backends
 * know: 1+ and 1- as + and - of 1, exact? and exact-integer? as integer?
 * (every number of tvl is an exact integer), gcd and lcm as Euclid's
 * loop of remainders.
 *
 * Owns nothing: the IR it emits belongs to the lowering (lw) and its
 * program, like the rest of lower.c's builtins.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <string.h>

static ir_expr *iconst(lw *c, int32_t v, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = v;
  e->type = lw_new_type(c, T_INT);
  e->has_nat = true;
  e->nat = T_INT;
  return e;
}

/* (op x y) or (op x) of kind k. */
ir_expr *lw_arith_prim(lw *c, const ast *a, const builtin *b, ir_expr **args) {
  const char *name = b->name;
  if (!strcmp(name, "expt")) return lw_expt_computed(c, a, args);   /* lower-expt.c */
  ir_expr *dv = lw_division_prim(c, a, b, args);   /* lower-division.c */
  if (dv) return dv;
  if (!strcmp(name, "/")) return lw_exact_div(c, a, args);   /* lower-division.c */
  if (!strcmp(name, "1+") || !strcmp(name, "1-")) {
    ir_expr *x = lw_checked_arg(c, a, name, args, 0, T_INT);
    ir_expr *r = prim(c, name[1] == '+' ? "+" : "-", x, iconst(c, 1, a->loc), T_INT,
                      a->loc);
    r->ival = 3;   /* written (1+ x): its overflow names it so (backend/merrtext.c) */
    return r;
  }
  if (!strcmp(name, "floor") || !strcmp(name, "ceiling") || !strcmp(name, "round") ||
      !strcmp(name, "truncate") || !strcmp(name, "inexact->exact"))
    return lw_checked_arg(c, a, name, args, 0, T_INT);   /* the identity */
  if (!strcmp(name, "exact-integer?"))
    return prim(c, "integer?", args[0], NULL, T_BOOL, a->loc);
  if (!strcmp(name, "exact?")) {
    /* an error for anything but a number, else #t */
    ir_expr *x = lw_checked_arg(c, a, name, args, 0, T_INT);
    return prim(c, "integer?", x, NULL, T_BOOL, a->loc);
  }
  return NULL;
}

/* r := a greatest common divisor of r and x, up to its sign: while x is
 * not 0, (r, x) := (x, (remainder r x)).  Signs stay, so that no step
 * takes the absolute value of -2^31 (the evaluator reduces in 64 bits:
 * (gcd -2147483648 6) is 2). */
static void euclid(lw *c, int r, int x, srcloc loc) {
  int y = temp(c, loc), t = temp(c, loc);
  lw_assign(c, y, lw_var_expr(c, x, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  ir_stmt *br = lw_emit(c, S_BRANCH, loc);
  br->a[0] = prim(c, "zero?", lw_var_expr(c, y, loc), NULL, T_BOOL, loc);
  br->l1 = done;
  br->l2 = body;
  lw_label(c, body, loc);
  lw_assign(c, t, prim(c, "remainder", lw_var_expr(c, r, loc),
                       lw_var_expr(c, y, loc), T_INT, loc), loc);
  lw_assign(c, r, lw_var_expr(c, y, loc), loc);
  lw_assign(c, y, lw_var_expr(c, t, loc), loc);
  lw_emit(c, S_JUMP, loc)->l1 = head;
  lw_label(c, done, loc);
}

/* lcm's step, where r >= 1: r := |r / gcd(r, x) * x|, or 0 when x is 0
 * (and lcm stops there, as the evaluator does). */
static void lcm_step(lw *c, int r, int x, srcloc loc, ir_expr **ops, int n) {
  int g = temp(c, loc);
  int step = lw_new_label(c), zero = lw_new_label(c), next = lw_new_label(c);
  ir_stmt *br = lw_emit(c, S_BRANCH, loc);
  br->a[0] = prim(c, "zero?", lw_var_expr(c, r, loc), NULL, T_BOOL, loc);
  br->l1 = next;
  br->l2 = step;
  lw_label(c, step, loc);
  br = lw_emit(c, S_BRANCH, loc);
  br->a[0] = prim(c, "zero?", lw_var_expr(c, x, loc), NULL, T_BOOL, loc);
  br->l1 = zero;
  br->l2 = lw_new_label(c);
  lw_label(c, br->l2, loc);
  lw_assign(c, g, lw_var_expr(c, r, loc), loc);
  euclid(c, g, x, loc);
  ir_expr *q = prim(c, "quotient", lw_var_expr(c, r, loc), lw_var_expr(c, g, loc),
                    T_INT, loc);
  ir_expr *m = prim(c, "*", q, lw_var_expr(c, x, loc), T_INT, loc);
  ir_expr *am = prim(c, "abs", m, NULL, T_INT, loc);
  am->ival = 2;   /* its overflow is lcm's, not abs's (backend/mexpr.c) */
  /* whose text names lcm's operands (backend/mhostval.c) */
  struct ir_hostops h1 = {m, "lcm", ops, n}, h2 = {am, "lcm", ops, n};
  VEC_PUSH(c->p->hostops, h1);
  VEC_PUSH(c->p->hostops, h2);
  lw_assign(c, r, am, loc);
  lw_emit(c, S_JUMP, loc)->l1 = next;
  lw_label(c, zero, loc);
  lw_assign(c, r, iconst(c, 0, loc), loc);
  lw_label(c, next, loc);
}

ir_expr *lw_gcd_lcm(lw *c, const ast *a, frame_map *f) {
  const char *name = a->u.call.r.bi->name;
  bool gcd = name[0] == 'g';
  int n = a->u.call.n;
  ir_expr **args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof *args);
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, a->loc);
  /* every operand is evaluated before any is checked, as in the evaluator */
  int *x = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof *x);
  for (int i = 0; i < n; i++) {
    x[i] = temp(c, a->loc);
    lw_assign(c, x[i], args[i], a->loc);
  }
  for (int i = 0; i < n; i++) args[i] = lw_var_expr(c, x[i], a->loc);
  for (int i = 0; i < n; i++) {
    ir_expr *checked = lw_checked_arg(c, a, name, args, i, T_INT);
    x[i] = temp(c, a->loc);
    lw_assign(c, x[i], checked, a->loc);
  }
  /* the operands, as an overflow's message names them */
  ir_expr **ops = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof *ops);
  for (int i = 0; i < n; i++) ops[i] = lw_var_expr(c, x[i], a->loc);
  int r = temp(c, a->loc);
  lw_assign(c, r, iconst(c, gcd ? 0 : 1, a->loc), a->loc);
  for (int i = 0; i < n; i++) {
    if (gcd) euclid(c, r, x[i], a->loc);
    else lcm_step(c, r, x[i], a->loc, ops, n);
  }
  if (!gcd) return lw_var_expr(c, r, a->loc);
  ir_expr *ab = prim(c, "abs", lw_var_expr(c, r, a->loc), NULL, T_INT, a->loc);
  ab->ival = 2;   /* its overflow is gcd's, not abs's (backend/mexpr.c) */
  struct ir_hostops h = {ab, "gcd", ops, n};
  VEC_PUSH(c->p->hostops, h);
  return ab;
}
