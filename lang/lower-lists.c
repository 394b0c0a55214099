/* lower-lists.c - pairs and lists in the lowering.
 *
 * A pair is made by a statement (S_CONS: it takes heap cells) and read
 * by an expression (X_CXR).  Its class is T_PAIR with a class for its
 * car and one for its cdr (ir.h); a list's cdr class holds pairs and the
 * empty list, so it is tagged (T_DYN) and its cdr class is itself.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"

#include <string.h>

ir_expr *lw_cons(lw *c, ir_expr *car, ir_expr *cdr, srcloc loc) {
  int tmp = lw_new_var(c, -1, VAR_TEMP, loc);
  int t = lw_type_of_kind(c, T_PAIR);
  c->p->vars.v[tmp].type = t;
  lw_unify(c, lw_pair_part(c, t, false), car->type, loc, "the car");
  lw_unify(c, lw_pair_part(c, t, true), cdr->type, loc, "the cdr");
  ir_stmt *s = lw_emit(c, S_CONS, loc);
  s->var = tmp;
  s->a[0] = car;
  s->a[1] = cdr;
  return lw_retype(c, lw_var_expr(c, tmp, loc), T_PAIR);
}

static ir_expr *nil_const(lw *c, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->type = lw_new_type(c, T_NIL);
  e->has_nat = true;
  e->nat = T_NIL;
  return e;
}

/* (list x ...): the operands left to right, then the pairs from the
 * last, as the evaluator makes them (the heap error at the call).  The
 * first pair made holds the last operand: the errors of the others come
 * before it, in their order (an unbound variable in the first operand is
 * the error, not one in the last). */
ir_expr *lw_list(lw *c, const ast *a, frame_map *f) {
  int n = a->u.call.n;
  if (n > 256) {
    lw_fail(c, a->loc, "list with more than 256 elements in compiled code");
    return lw_void_expr(c, a->loc);
  }
  ir_expr *elems[256];
  lw_lower_args(c, a, f, elems);
  ir_expr *l = nil_const(c, a->loc);
  if (n > 1 && !c->failed) elems[n - 1] = lw_after_args(c, elems[n - 1], elems, n - 1);
  for (int i = n - 1; i >= 0 && !c->failed; i--) l = lw_cons(c, elems[i], l, a->loc);
  return l;
}

/* A quoted list: a static cell that the prompt fills with the list,
 * placed on the heap like a global's (one cell per constant object, so
 * that the same literal is the same pair every time, as in the
 * evaluator). */
ir_expr *lw_quoted(lw *c, value v, srcloc loc) {
  int var = -1;
  for (int i = 0; i < c->p->vars.n && var < 0; i++)
    if (c->p->vars.v[i].konst && c->p->vars.v[i].konst->vec == v.vec) var = i;
  if (var < 0) {
    var = lw_new_var(c, -1, VAR_TEMP, loc);
    value *k = arena_alloc(&c->p->mem, sizeof *k);
    *k = v;
    c->p->vars.v[var].konst = k;
    c->p->vars.v[var].fn = -1;
    int t = lw_type_of_value(c, v, 0);
    lw_unify(c, c->p->vars.v[var].type, t, loc, "a quoted list");
  }
  return lw_var_expr(c, var, loc);
}

/* c[ad]{2,3}r: reads from the right of the name, each of a pair: where
 * one is not, the evaluator's list error names the argument ("cadr:
 * argument 1 must be a list long enough, not (1)"): a check (X_CHECK)
 * of the operand read, whose a[1] is the argument. */
ir_expr *lw_cxr(lw *c, const ast *a, const char *name, ir_expr **args) {
  size_t len = strlen(name) - 2;
  srcloc at = a->u.call.n ? a->u.call.args[0]->loc : a->loc;
  ir_expr *x = args[0];
  for (size_t i = len; i-- > 0 && !c->failed;) {
    tkind have = ir_kind(c->p, x->type);
    if (have == T_ANY || have == T_PAIR || have == T_DYN) lw_want(c, x, T_PAIR, "an argument");
    ir_expr *chk = lw_mk(c, X_CHECK, at, 2);
    chk->a[0] = x;
    chk->a[1] = args[0];
    chk->ival = T_PAIR;
    chk->has_nat = true;
    chk->nat = T_PAIR;
    chk->type = lw_new_type(c, T_PAIR);
    int car = lw_pair_part(c, x->type, false), cdr = lw_pair_part(c, x->type, true);
    c->p->types.v[chk->type].car = car;
    c->p->types.v[chk->type].cdr = cdr;
    strbuf m;
    sb_init(&m);
    sb_printf(&m, "%s: argument 1 must be a list long enough, not", name);
    ir_failure f = {"type", arena_strdup(&c->p->mem, m.s), true};
    sb_free(&m);
    VEC_PUSH(c->p->failures, f);
    chk->var = c->p->failures.n - 1;
    ir_expr *r = lw_mk(c, X_CXR, a->loc, 1);
    r->a[0] = chk;
    r->ival = name[1 + i] == 'd';
    r->type = lw_pair_part(c, x->type, r->ival);
    /* of a value never a pair, no value: the unspecified kind */
    VEC_PUSH(c->fail_types, r->type);
    x = r;
  }
  return x;
}

/* (set-car! p x), (set-cdr! p x): both operands, then the kind check of
 * p (the evaluator's order), then the store. */
ir_expr *lw_set_part(lw *c, const ast *a, const char *name, ir_expr **args) {
  bool cdr = name[5] == 'd';
  c->p->sets_parts = true;
  ir_expr *p = lw_checked_arg(c, a, name, args, 0, T_PAIR);
  lw_unify(c, lw_pair_part(c, args[0]->type, cdr), args[1]->type, a->loc,
           "the stored value");
  if (cdr) {
    /* A list may now come back to this value: its pairs along the cdrs
     * become one class, so that display walks them with one variable and
     * finds the cycle (backend/mlists.c). */
    c->p->sets_cdrs = true;
    int r = args[1]->type;
    while (c->p->types.v[r].parent != r) r = c->p->types.v[r].parent;
    if (c->p->types.v[r].cdr >= 0)
      lw_unify(c, args[1]->type, c->p->types.v[r].cdr, a->loc, "a list's cdrs");
  }
  ir_stmt *s = lw_emit(c, S_PSET, a->loc);
  s->a[0] = p;
  s->a[1] = args[1];
  s->l1 = cdr;
  return lw_void_expr(c, a->loc);
}

/* Whether e's class may still hold vectors or pairs (its kind is not
 * settled yet, or it is one of those): equal? on two such operands
 * walks them (S_EQUAL); on a scalar it is eqv?, an expression. */
bool lw_may_be_structured(lw *c, const ir_expr *e) {
  if (e->k == X_CONST) return false;
  tkind k = ir_kind(c->p, e->type);
  return k == T_ANY || k == T_DYN || k == T_VEC || k == T_PAIR;
}

/* Whether equal? of x and y is the walk (lw_equal), not eqv?: both may
 * be vectors or lists; or, in the second pass of a program with tagged
 * values, neither is a constant: kinds are not settled while lowering
 * (the element class of (list (f) 3) is of integers until f's is known,
 * then tagged), and the backend makes the walk one eqv? step where the
 * classes settle on no structure (mequal.c).  Without tagged values a
 * class seen holding integers holds nothing else. */
bool lw_equal_walks(lw *c, const ir_expr *x, const ir_expr *y) {
  if (lw_may_be_structured(c, x) && lw_may_be_structured(c, y)) return true;
  return c->conservative && x->k != X_CONST && y->k != X_CONST;
}

/* (equal? x y) on operands that may be vectors or lists: a statement,
 * which the backend expands into loops over both (backend/mequal.c);
 * both operands are computed first, in order, as in the evaluator. */
ir_expr *lw_equal(lw *c, ir_expr **args, srcloc loc) {
  int tmp = lw_new_var(c, -1, VAR_TEMP, loc);
  c->p->vars.v[tmp].type = lw_type_of_kind(c, T_BOOL);
  ir_stmt *s = lw_emit(c, S_EQUAL, loc);
  s->var = tmp;
  s->a[0] = args[0];
  s->a[1] = args[1];
  return lw_retype(c, lw_var_expr(c, tmp, loc), T_BOOL);
}


