/* lower-apply.c - (apply f a ... list) in compiled code.
 *
 * As lang/builtins.c bi_apply runs it: the operands in order, the
 * table's check that f is a procedure, the last operand a proper list
 * (its length), the evaluator's scratch vector of the arguments (total
 * + 2 cells of the heap limit: a vector of that length, never read),
 * then the call of f on the leading operands and the list's elements,
 * one deeper than the call of apply (a tail call when apply's call is in
 * tail position, as the evaluator makes it).  The call is a call through a
 * value (an S_CALLV marked `write`, expanded by lower-closure.c with the
 * other calls through values once the procedures each value may be are
 * known); per procedure it may be:
 *
 *  - a procedure of m parameters: its arguments when there are m (the
 *    list's elements read one by one), else the evaluator's arity error,
 *    whose number is written by the model;
 *  - a procedure with a rest parameter: its fixed arguments, then a new
 *    list of the others (a copy of the list, the leading operands past
 *    the fixed ones in front: the evaluator's fix_args makes new pairs);
 *  - a builtin: a jump on the number of arguments to its call with that
 *    many (lower-closure.c call_builtin, which gives its arity errors);
 *    a builtin that takes any number is one loop over the arguments
 *    instead, whatever their number (lower-apply2.c to lower-apply4.c,
 *    lower-bval.c), and so are map, for-each, vector-map,
 *    vector-for-each and fold past APPLY_HOF_MAX (lower-applymap.c);
 *    the few others (values, format...) stop past APPLY_MAX with an
 *    error saying so (not compiled yet).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-apply.h"
#include "lower-build.h"

#include <string.h>

enum { APPLY_MAX = 8 };   /* arguments of a variadic builtin through apply */
enum { APPLY_HOF_MAX = 4 };   /* of map, for-each... (each a loop) */

/* The car (cdr true) or cdr of variable v, a pair there. */
static ir_expr *part(lw *c, int v, bool cdr, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CXR, loc, 1);
  e->a[0] = lw_retype(c, lw_var_expr(c, v, loc), T_PAIR);
  e->ival = cdr;
  e->type = lw_pair_part(c, c->p->vars.v[v].type, cdr);
  VEC_PUSH(c->fail_types, e->type);
  return e;
}

/* ---- the call of apply ------------------------------------------------ */

ir_expr *lw_apply(lw *c, const ast *a, frame_map *f) {
  srcloc loc = a->loc;
  int n = a->u.call.n;
  if (n > 64) {
    lw_fail(c, loc, "too many arguments for compiled code");
    return lw_void_expr(c, loc);
  }
  ir_expr *args[65];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, loc);
  int v[65];
  for (int i = 0; i < n; i++) {
    v[i] = temp(c, loc);
    lw_assign(c, v[i], args[i], loc);
  }
  /* the table's check: a procedure (the evaluator's kind error) */
  ir_expr *ops[1] = {lw_var_expr(c, v[0], a->u.call.args[0]->loc)};
  lw_emit(c, S_EVAL, loc)->a[0] = lw_checked_arg(c, a, "apply", ops, 0, T_PROC);
  /* the list: proper, its length */
  int len = lw_ll_length(c, v[n - 1], "apply", n - 1, a->u.call.args[n - 1]->loc, loc);
  if (c->failed) return lw_void_expr(c, loc);
  int total = temp(c, loc);
  c->p->vars.v[total].type = lw_type_of_kind(c, T_INT);
  lw_assign(c, total, prim(c, "+", lw_var_expr(c, len, loc), kint(c, n - 2, loc), T_INT, loc),
            loc);
  /* the evaluator's scratch vector */
  int scratch = temp(c, loc);
  c->p->vars.v[scratch].type = lw_type_of_kind(c, T_VEC);
  ir_stmt *mk = lw_emit(c, S_MAKEVEC, loc);
  mk->var = scratch;
  mk->a[0] = lw_var_expr(c, total, loc);
  mk->a[1] = kint(c, 0, loc);
  lw_unify(c, ir_elem_type(c->p, c->p->vars.v[scratch].type), mk->a[1]->type, loc,
           "a vector element");
  /* the call */
  ir_expr *lead[64];
  for (int i = 1; i + 1 < n; i++) lead[i - 1] = lw_var_expr(c, v[i], loc);
  /* in tail position a tail call (eval.c ev_tail_defer) */
  ir_expr *r = lw_callv(c, a, lw_retype(c, lw_var_expr(c, v[0], loc), T_PROC), lead, n - 2,
                        lw_call_depth(f, a));
  /* the S_CALLV lw_callv just emitted: a spread call */
  ir_fn *F = &c->p->fns.v[c->fn];
  ir_stmt *s = &F->body.v[F->body.n - 1];
  if (s->k != S_CALLV) {
    lw_fail(c, loc, "internal error: apply without its call");
    return r;
  }
  s->write = true;
  s->l2 = lw_bval_static_total(a);   /* lower-bval.c: 1 + the number, or 0 */
  s->a[1] = lw_var_expr(c, total, loc);
  s->a[2] = lw_var_expr(c, v[n - 1], loc);
  s->scratch = scratch + 1;
  return r;
}

/* ---- per procedure ----------------------------------------------------- */

/* The evaluator's arity error whose number of arguments is total's:
 * head, the number, " was given" or " were given". */
static void arity_dyn(lw *c, const ir_stmt *s, const char *head, int end) {
  srcloc loc = s->loc;
  int one = lw_new_label(c), many = lw_new_label(c);
  branch(c, prim(c, "=", s->a[1], kint(c, 1, loc), T_BOOL, loc), one, many, loc);
  for (int k = 0; k < 2; k++) {
    lw_label(c, k ? many : one, loc);
    lw_ll_err_text(c, arena_strdup(&c->p->mem, head), loc);
    lw_ll_err_write(c, s->a[1], loc);
    lw_ll_err_text(c, k ? " were given" : " was given", loc);
    lw_ll_err_raise(c, loc, "arity", "");
    jump(c, end, loc);
  }
}

/* The list's next element: into a new variable; cur := its cdr. */
static ir_expr *next_elem(lw *c, int cur, srcloc loc) {
  int x = temp(c, loc);
  lw_assign(c, x, part(c, cur, false, loc), loc);
  lw_assign(c, cur, part(c, cur, true, loc), loc);
  return lw_var_expr(c, x, loc);
}

static int list_cursor(lw *c, const ir_stmt *s, srcloc loc) {
  int cur = temp(c, loc);
  lw_assign(c, cur, s->a[2], loc);
  return cur;
}

static void builtin_case(lw *c, const ir_stmt *s, const ast *a, const builtin *b, bool ret,
                         int end) {
  srcloc loc = s->loc;
  int k = s->nargs;
  if (lw_bval_fold_ok(b)) {   /* lower-bval.c: any number, one loop */
    lw_bval_apply_fold(c, s, b, ret, end);
    return;
  }
  int hi = b->max_args >= 0 ? b->max_args : APPLY_MAX;
  if (hi > APPLY_MAX) hi = APPLY_MAX;
  if (lw_bval_calls_procs(b) && hi > APPLY_HOF_MAX) hi = APPLY_HOF_MAX;   /* lower-bval.c */
  /* lower-apply2.c to lower-apply4.c: any number, one loop; but a list
   * whose length the call shows ((list x ...), a quoted list) gets the
   * one direct call of that many arguments, the same checks and errors
   * as the evaluator's */
  bool loop = lw_apply_fold_ok(b) || lw_apply_loop_ok(c, b) || lw_apply_arith_ok(b);
  bool direct = loop && s->l2 > 0 && s->l2 - 1 >= k && s->l2 - 1 <= APPLY_MAX;
  if (loop) hi = direct ? s->l2 - 1 : -1;
  for (int t = k; t <= hi && !c->failed; t++) {
    if (s->l2 > 0 && t != s->l2 - 1 && strcmp(b->name, "values")) continue;   /* its length */
    int yes = lw_new_label(c), no = lw_new_label(c);
    branch(c, prim(c, "=", s->a[1], kint(c, t, loc), T_BOOL, loc), yes, no, loc);
    lw_label(c, yes, loc);
    ir_stmt one = *s;
    one.write = false;
    one.nargs = t;
    one.args = arena_alloc(&c->p->mem, (size_t)(t + 1) * sizeof(ir_expr *));
    for (int j = 0; j < k; j++) one.args[j] = s->args[j];
    int cur = t > k ? list_cursor(c, s, loc) : -1;
    for (int j = k; j < t; j++) one.args[j] = next_elem(c, cur, loc);
    lw_callv_builtin(c, &one, a, b);
    if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
    else jump(c, end, loc);
    lw_label(c, no, loc);
  }
  if (c->failed) return;
  char head[160];
  if (b->max_args >= 0) {
    /* more than it takes (fewer: one of the cases above) */
    snprintf(head, sizeof head, "builtin %s takes %s%d argument%s, but ", b->name,
             b->min_args != b->max_args && b->max_args < 0 ? "at least " : "", b->min_args,
             b->min_args == 1 ? "" : "s");
    arity_dyn(c, s, head, end);
    return;
  }
  if (direct) {   /* never: the number of arguments is the one above */
    jump(c, end, loc);
    return;
  }
  if (lw_apply_arith_ok(b)) {   /* lower-apply4.c: a loop */
    lw_apply_arith(c, s, a, b, ret, end);
    return;
  }
  if (lw_apply_fold_ok(b)) {   /* lower-apply2.c: a loop */
    lw_apply_fold(c, s, b, ret, end);
    return;
  }
  if (lw_apply_loop_ok(c, b)) {   /* lower-apply3.c: a loop */
    lw_apply_loop(c, s, a, b, ret, end);
    return;
  }
  if (lw_apply_map_ok(b) && s->scratch > 0) {   /* lower-applymap.c: a loop */
    lw_apply_map(c, s, a, b, hi, ret, end);
    return;
  }
  /* (the text of an error the model prints is cut at 60 characters) */
  snprintf(head, sizeof head, "apply: over %d arguments for %s in compiled code",
           lw_bval_calls_procs(b) ? APPLY_HOF_MAX : APPLY_MAX, b->name);
  lw_ll_err_text(c, arena_strdup(&c->p->mem, head), loc);
  lw_ll_err_raise(c, loc, "compile", "");
  jump(c, end, loc);
}

void lw_apply_expand(lw *c, const ir_stmt *s, const ast *a, const struct ir_proc *pr,
                     ir_expr *op, bool ret, int end) {
  srcloc loc = s->loc;
  if (pr->bi) {
    builtin_case(c, s, a, pr->bi, ret, end);
    return;
  }
  const fn_def *fn = pr->fn;
  int k = s->nargs, fixed = lw_fixed_params(fn);
  char head[160];
  bool named = fn->name >= 0;
  snprintf(head, sizeof head, "%s%s takes %s%d argument%s, but ", named ? "procedure " : "",
           named ? lw_nm(c, fn->name) : "this lambda", fn->variadic ? "at least " : "", fixed,
           fixed == 1 ? "" : "s");
  int ok = lw_new_label(c), bad = lw_new_label(c);
  ir_expr *fits = fn->variadic ? prim(c, "<=", kint(c, fixed, loc), s->a[1], T_BOOL, loc)
                               : prim(c, "=", s->a[1], kint(c, fixed, loc), T_BOOL, loc);
  branch(c, fits, ok, bad, loc);
  lw_label(c, bad, loc);
  arity_dyn(c, s, head, end);
  lw_label(c, ok, loc);
  if (!fn->variadic && k > fixed) {   /* never: total >= k */
    jump(c, end, loc);
    return;
  }
  ir_expr **args = arena_alloc(&c->p->mem, (size_t)(fixed + 2) * sizeof(ir_expr *));
  int cur = list_cursor(c, s, loc);
  for (int j = 0; j < fixed; j++) args[j] = j < k ? s->args[j] : next_elem(c, cur, loc);
  int n = fixed;
  if (fn->variadic) {
    /* the rest: a copy of what is left of the list, the leading
     * operands past the fixed ones in front */
    int hl[2];
    lw_ll_builder(c, hl, loc);
    int head_l = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
    lw_label(c, head_l, loc);
    branch(c, prim(c, "pair?", lw_var_expr(c, cur, loc), NULL, T_BOOL, loc), body, done, loc);
    lw_label(c, body, loc);
    lw_ll_push_back(c, hl, next_elem(c, cur, loc), loc);
    jump(c, head_l, loc);
    lw_label(c, done, loc);
    ir_expr *rest = lw_var_expr(c, hl[0], loc);
    for (int j = k - 1; j >= fixed; j--) rest = lw_cons(c, s->args[j], rest, loc);
    const ir_fn *G = &c->p->fns.v[pr->irfn];
    lw_unify(c, c->p->vars.v[G->params[fixed]].type, rest->type, loc, "the rest parameter");
    args[n++] = rest;
  }
  lw_callv_proc(c, s, pr, op, args, n, ret, end);
}

/* Before expansion: the parameters meet what apply may pass them. */
void lw_apply_unify(lw *c, const ir_stmt *s, const struct ir_proc *pr) {
  const fn_def *fn = pr->fn;
  const ir_fn *G = &c->p->fns.v[pr->irfn];
  int k = s->nargs, fixed = lw_fixed_params(fn);
  int lt = s->a[2]->type;
  int elem = lw_pair_part(c, lt, false);
  for (int j = 0; j < fixed; j++) {
    G = &c->p->fns.v[pr->irfn];
    lw_unify(c, c->p->vars.v[G->params[j]].type, j < k ? s->args[j]->type : elem, s->loc,
             "this argument");
  }
  if (fn->variadic) {
    G = &c->p->fns.v[pr->irfn];
    int rt = c->p->vars.v[G->params[fixed]].type;
    int rest_elem = lw_pair_part(c, rt, false);
    lw_unify(c, rest_elem, elem, s->loc, "the rest parameter");
    for (int j = fixed; j < k; j++) lw_unify(c, rest_elem, s->args[j]->type, s->loc, "this argument");
  }
  G = &c->p->fns.v[pr->irfn];
  lw_unify(c, c->p->vars.v[s->var].type, G->ret_type, s->loc, "the call's value");
}

/* ---- a call of a value that is not a procedure ------------------------ */

/* The evaluator's error (eval.c not_procedure): after the arguments,
 * "attempt to call V (KIND), which is not a procedure" with V written by
 * the model.  The evaluator cuts V's text at 60 characters: values
 * whose text may be longer (pairs, vectors, strings, long symbols) stop
 * with an error saying that compiled code does not print them yet. */
void lw_not_procedure(lw *c, const ir_stmt *s, ir_expr *op, int end) {
  srcloc loc = s->loc;
  lw_emit(c, S_EVAL, loc)->a[0] = lw_after_args(c, lw_void_expr(c, loc), s->args, s->nargs);
  size_t longest = 0;
  for (int i = 0; i < c->w->syms.names.n; i++) {
    size_t l = strlen(c->w->syms.names.v[i]);
    if (l > longest) longest = l;
  }
  static const struct {
    const char *pred, *name;
  } kinds[] = {{"integer?", "an integer"}, {"boolean?", "a boolean"},
               {"symbol?", "a symbol"},    {"null?", "the empty list"},
               {"char?", "a character"},   {"pair?", NULL},
               {"vector?", NULL},          {"string?", NULL},
               {NULL, "the unspecified value"}};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && !c->failed; i++) {
    /* no characters without a character in the program */
    if (kinds[i].pred && !strcmp(kinds[i].pred, "char?") && !c->p->has_chars) continue;
    int no = lw_new_label(c);
    if (kinds[i].pred) {
      int yes = lw_new_label(c);
      branch(c, prim(c, kinds[i].pred, op, NULL, T_BOOL, loc), yes, no, loc);
      lw_label(c, yes, loc);
    }
    bool sym = kinds[i].pred && !strcmp(kinds[i].pred, "symbol?");
    if (!kinds[i].name || (sym && longest > 50)) {
      lw_ll_err_text(c, "calling a list, vector or string: not in compiled code", loc);
      lw_ll_err_raise(c, loc, "compile", "");
    } else {
      lw_ll_err_text(c, "attempt to call ", loc);
      lw_ll_err_write(c, op, loc);
      char tail[96];
      snprintf(tail, sizeof tail, " (%s), which is not a procedure", kinds[i].name);
      lw_ll_err_text(c, arena_strdup(&c->p->mem, tail), loc);
      lw_ll_err_raise(c, loc, "type", "");
    }
    jump(c, end, loc);
    lw_label(c, no, loc);
  }
  jump(c, end, loc);
}
