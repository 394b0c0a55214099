/* lower-rest.c - procedures with a rest parameter in compiled code.
 *
 * (lambda args ...), (define (f a . rest) ...): the rest parameter is the
 * procedure's last parameter, and the caller gathers the arguments past
 * the fixed ones into a new list, after evaluating them all and before
 * entering, as the evaluator does (eval.c fix_args: the pairs from the
 * last argument, each 4 cells of the heap limit, the heap error at the
 * call).  A call with too few arguments raises the evaluator's arity
 * error ("takes at least N arguments") after its arguments.  Every kind
 * of call takes this path: a direct call of a global or local
 * procedure, and a call through a value (lower-closure.c).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"

static ir_expr *nil_const(lw *c, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->type = lw_new_type(c, T_NIL);
  e->has_nat = true;
  e->nat = T_NIL;
  return e;
}

int lw_fixed_params(const fn_def *fn) { return fn->variadic ? fn->nparams - 1 : fn->nparams; }

bool lw_arity_ok(const fn_def *fn, int n) {
  int fixed = lw_fixed_params(fn);
  return fn->variadic ? n >= fixed : n == fixed;
}

/* The evaluator's arity error (eval.c fix_args) for fn called with n
 * arguments. */
ir_expr *lw_arity_fail(lw *c, const fn_def *fn, int n, srcloc loc) {
  int fixed = lw_fixed_params(fn);
  bool named = fn->name >= 0;
  return lw_fail_expr(c, loc, "arity", "%s%s takes %s%d argument%s, but %d %s given",
                      named ? "procedure " : "", named ? lw_nm(c, fn->name) : "this lambda",
                      fn->variadic ? "at least " : "", fixed, fixed == 1 ? "" : "s", n,
                      n == 1 ? "was" : "were");
}

/* args[0..n) (n at least the fixed parameters) become fn's parameters:
 * the fixed ones, then the list of the others; returns their number. */
int lw_pack_rest(lw *c, const fn_def *fn, ir_expr **args, int n, srcloc loc) {
  if (!fn->variadic) return n;
  int fixed = lw_fixed_params(fn);
  ir_expr *l = nil_const(c, loc);
  /* the first pair made holds the last argument: every argument's
   * errors come before it, in their order (lower-lists.c lw_list) */
  if (n > fixed && n > 1) args[n - 1] = lw_after_args(c, args[n - 1], args, n - 1);
  for (int i = n - 1; i >= fixed && !c->failed; i--) l = lw_cons(c, args[i], l, loc);
  args[fixed] = l;
  return fixed + 1;
}
