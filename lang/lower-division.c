/* lower-division.c - the divisions of R7RS (floor/ and truncate/, two
 * values; floor-quotient, floor-remainder, truncate-quotient,
 * truncate-remainder) and exact-integer-sqrt (two values), as the
 * evaluator runs them (builtins-guile.c), in its order and words:
 *
 *   a divisor 0: "division by zero: (OP X 0)", X written as the program
 *   runs; a quotient that does not fit (-2^31 by -1): "integer overflow:
 *   (OP -2147483648 -1) is 2147483648, which does not fit in 32 bits";
 *   the floor quotient is the truncated one less 1 where the remainder is
 *   not 0 and its sign is not the divisor's, the floor remainder that
 *   remainder plus the divisor;
 *   exact-integer-sqrt: a negative argument is the evaluator's kind text
 *   ("must be a non-negative integer, not -5"); the root is found bit by
 *   bit from 2^16 (t = s + bit is kept where t <= k / t, a quotient: no
 *   product leaves 32 bits), then k - s*s.
 *
 * The two values go where lower-values.c sends several values.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <string.h>

static int tmp(lw *c, srcloc loc) { return lw_new_var(c, -1, VAR_TEMP, loc); }

/* if t: what follows (an error's text and the error), up to the label
 * returned, where the program goes on when t is false */
static int when_fails(lw *c, ir_expr *t, srcloc loc) {
  int ok = lw_new_label(c), fail = lw_new_label(c);
  ir_stmt *s = lw_emit(c, S_BRANCH, loc);
  s->a[0] = t;
  s->l1 = fail;
  s->l2 = ok;
  lw_label(c, fail, loc);
  return ok;
}

bool lw_division_name(const char *name) {
  static const char *const names[] = {"floor/", "truncate/", "floor-quotient",
    "floor-remainder", "truncate-quotient", "truncate-remainder", "exact-integer-sqrt", NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(name, names[i])) return true;
  return false;
}

static void isqrt(lw *c, const ast *a, ir_expr **args, ir_expr **q, ir_expr **r) {
  srcloc loc = a->loc, at = a->u.call.args[0]->loc;
  ir_expr *x = lw_checked_arg(c, a, "exact-integer-sqrt", args, 0, T_INT);
  int kv = tmp(c, loc);
  lw_assign(c, kv, x, loc);
  int ok = when_fails(c, prim(c, "<", var(c, kv, loc), kint(c, 0, loc), T_BOOL, loc), loc);
  lw_ll_err_write(c, var(c, kv, loc), at);
  lw_ll_err_raise(c, at, "type", "exact-integer-sqrt: argument 1 must be a non-negative "
                                 "integer, not");
  lw_label(c, ok, loc);
  int s = tmp(c, loc);
  lw_assign(c, s, kint(c, 0, loc), loc);
  for (int bit = 1 << 16; bit; bit >>= 1) {
    ir_expr *t = prim(c, "+", var(c, s, loc), kint(c, bit, loc), T_INT, loc);
    ir_expr *fits = prim(c, "<=", t, prim(c, "quotient", var(c, kv, loc), t, T_INT, loc),
                         T_BOOL, loc);
    /* k = 0: no t fits (t <= 0 is false for t >= 1) */
    lw_assign(c, s, pick(c, fits, t, var(c, s, loc), loc), loc);
  }
  *q = var(c, s, loc);
  *r = prim(c, "-", var(c, kv, loc), prim(c, "*", var(c, s, loc), var(c, s, loc), T_INT, loc),
            T_INT, loc);
}

/* The quotient (q) and remainder (r) of the division a names, after its
 * checks; for exact-integer-sqrt the root and the rest. */
void lw_division(lw *c, const ast *a, ir_expr **args, ir_expr **q, ir_expr **r) {
  const char *name = a->u.call.r.bi->name;
  srcloc loc = a->loc;
  if (!strcmp(name, "exact-integer-sqrt")) {
    isqrt(c, a, args, q, r);
    return;
  }
  ir_expr *x0 = lw_checked_arg(c, a, name, args, 0, T_INT);
  ir_expr *y0 = lw_checked_arg(c, a, name, args, 1, T_INT);
  int x = tmp(c, loc), y = tmp(c, loc);
  lw_assign(c, x, x0, loc);
  lw_assign(c, y, y0, loc);
  char buf[128];
  int goes = when_fails(c, prim(c, "=", var(c, y, loc), kint(c, 0, loc), T_BOOL, loc), loc);
  snprintf(buf, sizeof buf, "division by zero: (%s ", name);
  lw_ll_err_text(c, arena_strdup(&c->p->mem, buf), loc);
  lw_ll_err_write(c, var(c, x, loc), loc);
  lw_ll_err_text(c, " 0)", loc);
  lw_ll_err_raise(c, loc, "arith", "");
  lw_label(c, goes, loc);
  bool quot = !strstr(name, "remainder");
  if (quot) {
    ir_expr *both = pick(c, prim(c, "=", var(c, x, loc), kint(c, -2147483647 - 1, loc), T_BOOL, loc),
                        prim(c, "=", var(c, y, loc), kint(c, -1, loc), T_BOOL, loc), kbool(c, 0, loc),
                        loc);
    snprintf(buf, sizeof buf, "integer overflow: (%s -2147483648 -1) is 2147483648, which "
                              "does not fit in 32 bits", name);
    ir_stmt *s = lw_emit(c, S_EVAL, loc);
    s->a[0] = pick(c, both, lw_fail_expr(c, loc, "overflow", "%s", buf), kint(c, 0, loc), loc);
  }
  /* the remainder of -2^31 by -1 is 0: quotient is never asked then */
  ir_expr *safe_y = pick(c, prim(c, "=", var(c, y, loc), kint(c, -1, loc), T_BOOL, loc),
                        kint(c, 1, loc), var(c, y, loc), loc);
  ir_expr *tq = pick(c, prim(c, "=", var(c, y, loc), kint(c, -1, loc), T_BOOL, loc),
                    prim(c, "-", kint(c, 0, loc), var(c, x, loc), T_INT, loc),
                    prim(c, "quotient", var(c, x, loc), safe_y, T_INT, loc), loc);
  ir_expr *tr = prim(c, "remainder", var(c, x, loc), safe_y, T_INT, loc);
  if (name[0] == 't') {
    *q = tq;
    *r = tr;
    return;
  }
  int rv = tmp(c, loc);
  lw_assign(c, rv, tr, loc);
  /* floor: one less where the remainder is not 0 and of the other sign */
  ir_expr *adj = pick(c, prim(c, "<", var(c, rv, loc), kint(c, 0, loc), T_BOOL, loc),
                     prim(c, ">", var(c, y, loc), kint(c, 0, loc), T_BOOL, loc),
                     pick(c, prim(c, ">", var(c, rv, loc), kint(c, 0, loc), T_BOOL, loc),
                         prim(c, "<", var(c, y, loc), kint(c, 0, loc), T_BOOL, loc), kbool(c, 0, loc),
                         loc), loc);
  int av = tmp(c, loc);
  lw_assign(c, av, adj, loc);
  *q = pick(c, var(c, av, loc), prim(c, "-", tq, kint(c, 1, loc), T_INT, loc), tq, loc);
  *r = pick(c, var(c, av, loc), prim(c, "+", var(c, rv, loc), var(c, y, loc), T_INT, loc),
           var(c, rv, loc), loc);
}

/* lower-arith.c: the divisions of one value; NULL for other builtins. */
ir_expr *lw_division_prim(lw *c, const ast *a, const builtin *b, ir_expr **args) {
  const char *n = b->name;
  if (strcmp(n, "floor-quotient") && strcmp(n, "floor-remainder") &&
      strcmp(n, "truncate-quotient") && strcmp(n, "truncate-remainder"))
    return NULL;
  ir_expr *q, *r;
  lw_division(c, a, args, &q, &r);
  return strstr(n, "remainder") ? r : q;
}

/* (/ x y ...) and (/ x), as bi_div (builtins-more.c) runs them: every
 * operand evaluated, then checked to be an integer, in order; a divisor 0
 * anywhere: "division by zero: (/ X Y ...)"; a partial quotient that is a
 * fraction: "/: (/ X Y ...) is not an integer; tvl has no rationals";
 * -2147483648 by -1: the overflow; else the quotient. */
ir_expr *lw_exact_div(lw *c, const ast *a, ir_expr **args) {
  srcloc loc = a->loc;
  int n = a->u.call.n;
  int *x = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof *x);
  for (int i = 0; i < n; i++) {
    x[i] = tmp(c, loc);
    lw_assign(c, x[i], args[i], loc);
  }
  ir_expr **vs = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof *vs);
  for (int i = 0; i < n; i++) vs[i] = var(c, x[i], loc);
  for (int i = 0; i < n; i++) {
    ir_expr *checked = lw_checked_arg(c, a, "/", vs, i, T_INT);
    x[i] = tmp(c, loc);
    lw_assign(c, x[i], checked, loc);
  }
  int first = n == 1 ? 0 : 1;
  ir_expr *zero = NULL;
  for (int i = first; i < n; i++) {
    ir_expr *z = prim(c, "=", var(c, x[i], loc), kint(c, 0, loc), T_BOOL, loc);
    zero = zero ? pick(c, zero, kbool(c, true, loc), z, loc) : z;
  }
  int fraction = lw_new_label(c), done = lw_new_label(c);
  int goes = when_fails(c, zero, loc);
  lw_ll_err_text(c, "division by zero: (/", loc);
  for (int i = 0; i < n; i++) {
    lw_ll_err_text(c, " ", loc);
    lw_ll_err_write(c, var(c, x[i], loc), loc);
  }
  lw_ll_err_text(c, ")", loc);
  lw_ll_err_raise(c, loc, "division", "");
  lw_label(c, goes, loc);
  int r = tmp(c, loc);
  lw_assign(c, r, n == 1 ? kint(c, 1, loc) : var(c, x[0], loc), loc);
  for (int i = first; i < n; i++) {
    ir_expr *m1 = prim(c, "=", var(c, x[i], loc), kint(c, -1, loc), T_BOOL, loc);
    ir_expr *safe = pick(c, m1, kint(c, 1, loc), var(c, x[i], loc), loc);
    ir_stmt *br = lw_emit(c, S_BRANCH, loc);
    br->a[0] = prim(c, "=", prim(c, "remainder", var(c, r, loc), safe, T_INT, loc),
                    kint(c, 0, loc), T_BOOL, loc);
    br->l1 = lw_new_label(c);
    br->l2 = fraction;
    lw_label(c, br->l1, loc);
    ir_expr *both = pick(c, prim(c, "=", var(c, r, loc), kint(c, -2147483647 - 1, loc), T_BOOL, loc),
                        prim(c, "=", var(c, x[i], loc), kint(c, -1, loc), T_BOOL, loc),
                        kbool(c, false, loc), loc);
    ir_stmt *s = lw_emit(c, S_EVAL, loc);
    s->a[0] = pick(c, both, lw_fail_expr(c, loc, "overflow", "%s",
                                        "integer overflow: (/ -2147483648 -1) is 2147483648, "
                                        "which does not fit in 32 bits"),
                  kint(c, 0, loc), loc);
    ir_expr *m1b = prim(c, "=", var(c, x[i], loc), kint(c, -1, loc), T_BOOL, loc);
    ir_expr *safe2 = pick(c, prim(c, "=", var(c, x[i], loc), kint(c, -1, loc), T_BOOL, loc),
                         kint(c, 1, loc), var(c, x[i], loc), loc);
    lw_assign(c, r, pick(c, m1b, prim(c, "-", kint(c, 0, loc), var(c, r, loc), T_INT, loc),
                        prim(c, "quotient", var(c, r, loc), safe2, T_INT, loc), loc), loc);
  }
  lw_emit(c, S_JUMP, loc)->l1 = done;
  lw_label(c, fraction, loc);
  lw_ll_err_text(c, "/: (/", loc);
  for (int i = 0; i < n; i++) {
    lw_ll_err_text(c, " ", loc);
    lw_ll_err_write(c, var(c, x[i], loc), loc);
  }
  lw_ll_err_text(c, ") is not an integer; tvl has no rationals", loc);
  lw_ll_err_raise(c, loc, "division", "");
  lw_label(c, done, loc);
  return var(c, r, loc);
}
