/* lower-build.h - the small IR builders every lowering module uses.
 *
 * Private to lang/lower*.c (included after lower.h): constants, a
 * primitive of one or two operands, a variable's value, new temporaries,
 * a branch and a jump.  They were copied into each lowering module;
 * they live here once.  Each builds in the program being lowered (c->p)
 * and records the result's kind where it is known.
 *
 * Ownership: as in lower.h; everything is allocated in the program.
 */
#ifndef TVL_LOWER_BUILD_H
#define TVL_LOWER_BUILD_H

#include "lower.h"

/* A constant of kind k with payload v (an integer, a boolean 0/1...). */
static inline ir_expr *kconst(lw *c, tkind k, int32_t v, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = v;
  e->type = lw_new_type(c, k);
  e->has_nat = true;
  e->nat = k;
  return e;
}

static inline ir_expr *kint(lw *c, int32_t v, srcloc loc) {
  return kconst(c, T_INT, v, loc);
}

static inline ir_expr *kbool(lw *c, bool v, srcloc loc) {
  return kconst(c, T_BOOL, v, loc);
}

/* The builtin op applied to x (and y unless NULL), of result kind r. */
static inline ir_expr *prim(lw *c, const char *op, ir_expr *x, ir_expr *y, tkind r,
                            srcloc loc) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, y ? 2 : 1);
  e->op = builtin_find(op);
  e->a[0] = x;
  if (y) e->a[1] = y;
  e->type = lw_new_type(c, r);
  e->has_nat = true;
  e->nat = r;
  return e;
}

static inline ir_expr *var(lw *c, int v, srcloc loc) { return lw_var_expr(c, v, loc); }

/* A new temporary whose kind is inferred from what is assigned to it. */
static inline int temp(lw *c, srcloc loc) { return lw_new_var(c, -1, VAR_TEMP, loc); }

/* A new temporary of kind k. */
static inline int temp_of(lw *c, tkind k, srcloc loc) {
  int t = temp(c, loc);
  c->p->vars.v[t].type = lw_type_of_kind(c, k);
  return t;
}

/* if test goto yes else goto no */
static inline void branch(lw *c, ir_expr *test, int yes, int no, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_BRANCH, loc);
  s->a[0] = test;
  s->l1 = yes;
  s->l2 = no;
}

static inline void jump(lw *c, int l, srcloc loc) { lw_emit(c, S_JUMP, loc)->l1 = l; }

/* A new temporary holding e. */
static inline int assign_new(lw *c, ir_expr *e, srcloc loc) {
  int t = temp(c, loc);
  lw_assign(c, t, e, loc);
  return t;
}

/* Where argument i of call a is (the call's own place past its end). */
static inline srcloc arg_loc(const ast *a, int i) {
  return i < a->u.call.n ? a->u.call.args[i]->loc : a->loc;
}

/* The car (cdr true) or cdr of variable v, which holds a pair there; of a
 * value never a pair, no value: its type is one the lowering may leave
 * unspecified (c->fail_types). */
static inline ir_expr *pair_part(lw *c, int v, bool cdr, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CXR, loc, 1);
  e->a[0] = lw_retype(c, var(c, v, loc), T_PAIR);
  e->ival = cdr;
  e->type = lw_pair_part(c, c->p->vars.v[v].type, cdr);
  VEC_PUSH(c->fail_types, e->type);
  return e;
}

/* Element i (a variable) of vector variable v; of a value never a
 * vector, no element: its type one the lowering may leave unspecified. */
static inline ir_expr *vref_var(lw *c, int v, int i, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VREF, loc, 2);
  e->a[0] = var(c, v, loc);
  e->a[1] = var(c, i, loc);
  e->type = lw_elem_of(c, c->p->vars.v[v].type);
  VEC_PUSH(c->fail_types, e->type);
  return e;
}

/* The length of vector variable v. */
static inline ir_expr *vlen_var(lw *c, int v, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VLEN, loc, 1);
  e->a[0] = var(c, v, loc);
  e->type = lw_new_type(c, T_INT);
  e->has_nat = true;
  e->nat = T_INT;
  return e;
}

/* Vector variable out := a new vector of len elements, each stored
 * before it is read: the fill (variable fill, of the elements' class)
 * is never seen. */
static inline void new_vector_of(lw *c, int out, ir_expr *len, int fill, srcloc loc) {
  ir_stmt *mk = lw_emit(c, S_MAKEVEC, loc);
  mk->var = out;
  mk->a[0] = len;
  mk->a[1] = var(c, fill, loc);
  lw_unify(c, ir_elem_type(c->p, c->p->vars.v[out].type), mk->a[1]->type, loc,
           "a vector element");
}

/* t ? x : y, x and y of one type (X_SELECT computes both). */
static inline ir_expr *pick(lw *c, ir_expr *t, ir_expr *x, ir_expr *y, srcloc loc) {
  ir_expr *e = lw_mk(c, X_SELECT, loc, 3);
  e->a[0] = t;
  e->a[1] = x;
  e->a[2] = y;
  lw_unify(c, x->type, y->type, loc, "a value");
  e->type = x->type;
  return e;
}

#endif
