/* lower-applymap.c - (apply map f lists) and (apply for-each f lists)
 * with more lists than lower-apply.c's unrolled cases: one loop inside
 * the model, as lang/builtins.c map_each runs it (the matrix transpose
 * (apply map list rows)).
 *
 * The evaluator's apply copies its arguments into a scratch vector on
 * the heap (lower-apply.c makes that vector, of the same cells, and
 * never reads it); map then keeps its lists in a C array, outside the
 * heap.  Here the scratch vector holds the lists' cursors, element i
 * list i (from 1; f stays out of it), so that the loop needs no cells of
 * its own for them.  The order of the evaluator's checks is kept: the
 * table's check that f is a procedure, at most 16 lists, then each list
 * proper (its argument number written by the model) and all of one
 * length, in order.  Each call of f is a spread call, as apply's (so a
 * closure, a builtin of any number of arguments, a rest parameter are
 * called as apply calls them), on a list of the lists' cars: that list,
 * of as many new pairs as there are lists, is made once per call of map
 * (cells the evaluator does not use: tvl(1) says so) and its cars set
 * before each call; the callee never holds its pairs (a rest parameter
 * gets a copy, a builtin the elements).  The calls are one deeper than
 * apply's call, in order.
 *
 * Left out: a cheaper way to the exact heap would be a spread call that
 * reads its arguments from the cursors in the vector (lower-apply.c,
 * lower-apply2.c and lower-bval.c walk a list).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <string.h>

enum { MAX_LISTS = 16 };   /* builtins.c map_each */

bool lw_apply_map_ok(const builtin *b) {
  return !strcmp(b->name, "map") || !strcmp(b->name, "for-each");
}

/* Element i (a variable) of vector variable v. */
static ir_expr *elem(lw *c, int v, int i, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VREF, loc, 2);
  e->a[0] = var(c, v, loc);
  e->a[1] = var(c, i, loc);
  e->type = lw_elem_of(c, c->p->vars.v[v].type);
  VEC_PUSH(c->fail_types, e->type);
  return e;
}

/* v[i] := x (i a variable). */
static void vset(lw *c, int v, int i, ir_expr *x, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_VSET, loc);
  s->a[0] = var(c, v, loc);
  s->a[1] = var(c, i, loc);
  s->a[2] = x;
  lw_unify(c, ir_elem_type(c->p, c->p->vars.v[v].type), x->type, loc, "a vector element");
}

static void add_to(lw *c, int v, int k, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), kint(c, k, loc), T_INT, loc), loc);
}

/* The site the evaluator gives map's errors and calls: the call of
 * apply, without arguments (eval.c ev_call_tail). */
static ast *bare_site(lw *c, const builtin *b, int n, srcloc loc) {
  ast *site = arena_alloc(&c->p->mem, sizeof *site);
  memset(site, 0, sizeof *site);
  site->kind = E_CALL;
  site->loc = loc;
  site->u.call.name = sym_intern(&c->w->syms, b->name, (int)strlen(b->name));
  site->u.call.name_loc = loc;
  site->u.call.r.kind = REF_BUILTIN;
  site->u.call.r.bi = b;
  site->u.call.n = n;
  site->u.call.args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof(ast *));
  for (int i = 0; i < n; i++) {
    ast *x = arena_alloc(&c->p->mem, sizeof *x);
    memset(x, 0, sizeof *x);
    x->kind = E_CONST;
    x->loc = loc;
    x->u.k = v_void();
    site->u.call.args[i] = x;
  }
  return site;
}

/* The loop for a number of arguments (s->a[1]) over hi (the unrolled
 * cases take those up to hi). */
void lw_apply_map(lw *c, const ir_stmt *s, const ast *a, const builtin *b, int hi, bool ret,
                  int end) {
  (void)a;
  srcloc loc = s->loc;
  const char *op = b->name;
  bool keep = op[0] == 'm';
  int k = s->nargs, total = temp_of(c, T_INT, loc);
  lw_assign(c, total, s->a[1], loc);
  if (s->scratch <= 0) {
    lw_fail(c, loc, "internal error: apply of %s without its scratch vector", op);
    return;
  }
  int vec = s->scratch - 1;
  if (s->l2 > 0 && s->l2 - 1 <= hi) {   /* never: an unrolled case took it */
    jump(c, end, loc);
    return;
  }
  /* f: the first leading operand, or the list's first element */
  int f = temp(c, loc), cur = temp(c, loc);
  lw_assign(c, cur, s->a[2], loc);
  if (k > 0) {
    lw_assign(c, f, s->args[0], loc);
  } else {
    lw_assign(c, f, pair_part(c, cur, false, loc), loc);
    lw_assign(c, cur, pair_part(c, cur, true, loc), loc);
  }
  /* the table's check: a procedure (the evaluator's kind error, at the
   * call of apply) */
  ast *site0 = bare_site(c, b, 0, loc);
  ir_expr *ops[1] = {var(c, f, loc)};
  int fp = temp(c, loc);
  lw_assign(c, fp, lw_checked_arg(c, site0, op, ops, 0, T_PROC), loc);
  /* at most 16 lists */
  {
    int ok = lw_new_label(c), bad = lw_new_label(c);
    branch(c, prim(c, "<=", var(c, total, loc), kint(c, MAX_LISTS + 1, loc), T_BOOL, loc), ok,
           bad, loc);
    lw_label(c, bad, loc);
    char text[64];
    snprintf(text, sizeof text, "%s: at most %d lists", op, MAX_LISTS);
    lw_ll_err_text(c, arena_strdup(&c->p->mem, text), loc);
    lw_ll_err_raise(c, loc, "arity", "");
    jump(c, end, loc);
    lw_label(c, ok, loc);
  }
  /* the lists into the scratch vector, from element 1 */
  int i = temp_of(c, T_INT, loc);
  lw_assign(c, i, kint(c, 1, loc), loc);
  for (int j = 1; j < k; j++) {
    vset(c, vec, i, s->args[j], loc);
    add_to(c, i, 1, loc);
  }
  {
    int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
    lw_label(c, head, loc);
    branch(c, prim(c, "pair?", var(c, cur, loc), NULL, T_BOOL, loc), body, done, loc);
    lw_label(c, body, loc);
    vset(c, vec, i, pair_part(c, cur, false, loc), loc);
    lw_assign(c, cur, pair_part(c, cur, true, loc), loc);
    add_to(c, i, 1, loc);
    jump(c, head, loc);
    lw_label(c, done, loc);
  }
  /* each proper (its number in the error: i + 1), all of one length */
  int first = temp_of(c, T_INT, loc), num = temp_of(c, T_INT, loc), l = temp(c, loc);
  lw_assign(c, i, kint(c, 1, loc), loc);
  {
    int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
    int same = lw_new_label(c), differ = lw_new_label(c), next = lw_new_label(c);
    int firstl = lw_new_label(c), later = lw_new_label(c);
    lw_label(c, head, loc);
    branch(c, prim(c, "<", var(c, i, loc), var(c, total, loc), T_BOOL, loc), body, done, loc);
    lw_label(c, body, loc);
    lw_assign(c, l, elem(c, vec, i, loc), loc);
    lw_assign(c, num, prim(c, "+", var(c, i, loc), kint(c, 1, loc), T_INT, loc), loc);
    int len = lw_ll_length_dyn(c, l, op, num, loc, loc);
    branch(c, prim(c, "=", var(c, i, loc), kint(c, 1, loc), T_BOOL, loc), firstl, later, loc);
    lw_label(c, firstl, loc);
    lw_assign(c, first, var(c, len, loc), loc);
    jump(c, next, loc);
    lw_label(c, later, loc);
    branch(c, prim(c, "=", var(c, first, loc), var(c, len, loc), T_BOOL, loc), same, differ,
           loc);
    lw_label(c, differ, loc);
    char text[64];
    snprintf(text, sizeof text, "%s: the lists have different lengths (", op);
    lw_ll_err_text(c, arena_strdup(&c->p->mem, text), loc);
    lw_ll_err_write(c, var(c, first, loc), loc);
    lw_ll_err_text(c, " and ", loc);
    lw_ll_err_write(c, var(c, len, loc), loc);
    lw_ll_err_text(c, ")", loc);
    lw_ll_err_raise(c, loc, "type", "");
    jump(c, end, loc);
    lw_label(c, same, loc);
    lw_label(c, next, loc);
    add_to(c, i, 1, loc);
    jump(c, head, loc);
    lw_label(c, done, loc);
  }
  if (c->failed) return;
  /* the calls: while list 1 has an element (all have: one length), a
   * spread call (as apply's) of f on a list of the lists' cars: that
   * list is made once, before the first call, and its cars set before
   * each (a call never sees its pairs: a rest parameter gets a copy, a
   * builtin the elements) */
  int hl[2] = {-1, -1}, res = temp(c, loc), al = temp(c, loc), p = temp(c, loc);
  int nl = temp_of(c, T_INT, loc);
  lw_assign(c, nl, prim(c, "-", var(c, total, loc), kint(c, 1, loc), T_INT, loc), loc);
  if (keep) lw_ll_builder(c, hl, loc);
  int depth = s->depth > 0 ? s->depth : 1;   /* one deeper than apply's call */
  int one = temp_of(c, T_INT, loc);
  lw_assign(c, one, kint(c, 1, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_assign(c, l, elem(c, vec, one, loc), loc);
  branch(c, prim(c, "pair?", var(c, l, loc), NULL, T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  {
    /* the list of nl pairs, from the last list's car back */
    ir_expr *nil = lw_mk(c, X_CONST, loc, 0);
    nil->type = lw_new_type(c, T_NIL);
    nil->has_nat = true;
    nil->nat = T_NIL;
    lw_assign(c, al, nil, loc);
    lw_assign(c, i, var(c, nl, loc), loc);
    int bh = lw_new_label(c), bb = lw_new_label(c), bd = lw_new_label(c);
    lw_label(c, bh, loc);
    branch(c, prim(c, ">=", var(c, i, loc), kint(c, 1, loc), T_BOOL, loc), bb, bd, loc);
    lw_label(c, bb, loc);
    lw_assign(c, l, elem(c, vec, i, loc), loc);
    lw_assign(c, al, lw_cons(c, pair_part(c, l, false, loc), var(c, al, loc), loc), loc);
    add_to(c, i, -1, loc);
    jump(c, bh, loc);
    lw_label(c, bd, loc);
  }
  lw_label(c, head, loc);
  {
    /* each list's car into the argument list, the list to its cdr (as
     * the evaluator, before the call) */
    int fh = lw_new_label(c), fb = lw_new_label(c), fd = lw_new_label(c);
    lw_assign(c, i, kint(c, 1, loc), loc);
    lw_assign(c, p, var(c, al, loc), loc);
    lw_label(c, fh, loc);
    branch(c, prim(c, "<=", var(c, i, loc), var(c, nl, loc), T_BOOL, loc), fb, fd, loc);
    lw_label(c, fb, loc);
    lw_assign(c, l, elem(c, vec, i, loc), loc);
    ir_stmt *ps = lw_emit(c, S_PSET, loc);
    ps->a[0] = lw_retype(c, var(c, p, loc), T_PAIR);
    ps->a[1] = pair_part(c, l, false, loc);
    ps->l1 = 0;
    lw_unify(c, lw_pair_part(c, c->p->vars.v[p].type, false), ps->a[1]->type, loc,
             "a pair's car");
    vset(c, vec, i, pair_part(c, l, true, loc), loc);
    lw_assign(c, p, pair_part(c, p, true, loc), loc);
    add_to(c, i, 1, loc);
    jump(c, fh, loc);
    lw_label(c, fd, loc);
  }
  {
    ast *site = bare_site(c, b, 0, loc);
    ir_expr *r = lw_callv(c, site, var(c, fp, loc), NULL, 0, depth);
    ir_fn *F = &c->p->fns.v[c->fn];
    ir_stmt *cs = &F->body.v[F->body.n - 1];
    if (cs->k != S_CALLV) {
      lw_fail(c, loc, "internal error: apply of %s without its call", op);
      return;
    }
    cs->write = true;
    cs->l2 = 0;
    cs->a[1] = var(c, nl, loc);
    cs->a[2] = var(c, al, loc);
    lw_assign(c, res, r, loc);
  }
  if (keep) lw_ll_push_back(c, hl, var(c, res, loc), loc);
  lw_assign(c, l, elem(c, vec, one, loc), loc);
  branch(c, prim(c, "pair?", var(c, l, loc), NULL, T_BOOL, loc), head, done, loc);
  lw_label(c, done, loc);
  lw_assign(c, s->var, keep ? var(c, hl[0], loc) : lw_void_expr(c, loc), loc);
  if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
  else jump(c, end, loc);
}
