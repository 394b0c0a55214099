/* lower-callcc.c - call/cc (call-with-current-continuation) for escapes,
 * as the evaluator runs it (lang/eval.c ev_call_cc, cc_throw).
 *
 * (call/cc f) becomes, in the function F where it is lowered:
 *
 *   fv := f                         (its errors; the evaluator's kind check)
 *   k  := closure of K, no values   (2 heap cells, the evaluator's TV_CONT:
 *                                    the heap limit's error at call/cc)
 *   i  := CCN                       (the live continuations: a static cell)
 *   REC[2i] := k; REC[2i+1] := SP;  CCN := i + 1
 *   r  := call fv (k)               (through its value, one level deeper)
 *   CCN := i;  res := r;  goto done
 * resume:                           (an escape jumps here, SP restored)
 *   res := V_K
 * done:
 *
 * K is a procedure of its own (ir_prog.procs, `cc` set: one per call/cc
 * lowered), so k is a procedure value like any other (procedure? is #t,
 * display prints #<continuation>, it can be stored and passed); a call
 * that may reach it (lower-closure.c expand_site) gets this branch:
 *
 *   V_K := the argument
 *   search REC from CCN - 1 down for k's address (the records are in the
 *   order the continuations were made, so the search stops at the first
 *   smaller address): not found is the evaluator's "continuations can
 *   only be used to escape" error, where the call is made;
 *   found at j: CCN := j; SP := REC[2j+1]; goto F's resume label
 *
 * The frames of the procedures called since (and the loops of map,
 * for-each, sort... in them) are abandoned as the evaluator's longjmp
 * abandons its C frames; F's own variables are where they were (static
 * cells of a function that is not re-entered, or its frame below the
 * restored SP), and the depth the evaluator counts follows SP.  Programs
 * without call/cc pay nothing: no region, no cells, no steps.
 *
 * A continuation called with other than one value writes the cells of
 * multiple values (lower-values.c: a program that calls call/cc has
 * them, up to 4 values or as many as its `values` calls give); more is
 * refused, as is apply of a continuation.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower-build.h"
#include "lower-ports.h"

#include <string.h>

#define MAX_PROCS 64   /* as lower-closure.c */

/* the evaluator's error (eval.c cc_throw) */
#define DEAD "continuations can only be used to escape: this one's call/cc has already " \
             "returned (re-entry is not supported)"

/* ---- the region's bookkeeping --------------------------------------- */

static ir_expr *cc_x(lw *c, int op, ir_expr *a, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CC, loc, a ? 1 : 0);
  e->ival = op;
  if (a) e->a[0] = a;
  e->type = lw_new_type(c, T_INT);
  e->has_nat = true;
  e->nat = T_INT;
  return e;
}

/* The static cell of the number of live continuations (a temporary of no
 * function: every function reads and writes the same cell). */
static int ccn(lw *c, srcloc loc) {
  for (int v = 0; v < c->p->vars.n; v++)
    if (c->p->vars.v[v].cls == VAR_TEMP && c->p->vars.v[v].fn == -2) return v;
  int v = temp_of(c, T_INT, loc);
  c->p->vars.v[v].fn = -2;   /* marker; the backend gives it a static cell */
  return v;
}

ir_expr *lw_callcc_n(lw *c, srcloc loc) { return var(c, ccn(c, loc), loc); }

static void rec_set(lw *c, ir_expr *cell, ir_expr *x, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_CCSET, loc);
  s->a[0] = cell;
  s->a[1] = x;
}

/* 2 i + d */
static ir_expr *rec_cell(lw *c, int i, int d, srcloc loc) {
  return prim(c, "+", prim(c, "*", kconst(c, T_INT, 2, loc), var(c, i, loc), T_INT, loc),
              kconst(c, T_INT, d, loc), T_INT, loc);
}

/* ---- (call/cc f) ------------------------------------------------------ */

ir_expr *lw_callcc_effect(lw *c, const ast *a, frame_map *f) {
  const char *name = a->u.call.r.bi->name;
  if (strcmp(name, "call/cc") && strcmp(name, "call-with-current-continuation")) return NULL;
  srcloc loc = a->loc;
  if (a->u.call.n != 1) {
    lw_fail(c, loc, "internal error: %s with %d arguments", name, a->u.call.n);
    return lw_void_expr(c, loc);
  }
  if (c->p->procs.n >= MAX_PROCS) {
    lw_fail(c, loc, "more than %d procedures used as values are not compiled to the "
                    "transformer yet (run with --reference to use the evaluator)", MAX_PROCS);
    return lw_void_expr(c, loc);
  }
  ir_expr *args[1];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, loc);
  srcloc at = a->u.call.args[0]->loc;
  int fv = temp(c, loc);
  lw_assign(c, fv, args[0], loc);
  ir_expr *ops[1] = {var(c, fv, at)};
  lw_emit(c, S_EVAL, loc)->a[0] = lw_checked_arg(c, a, name, ops, 0, T_PROC);
  if (c->failed) return lw_void_expr(c, loc);
  c->p->has_callcc = true;
  c->p->has_closures = true;   /* k is a heap object: an address */
  /* K: the continuation's procedure */
  int resume = lw_new_label(c), done = lw_new_label(c);
  int val = temp(c, loc);
  c->p->vars.v[val].fn = -1;   /* a static cell the escaping function writes */
  struct ir_proc pr;
  memset(&pr, 0, sizeof pr);
  pr.irfn = -1;
  pr.cc = true;
  pr.cc_fn = c->fn;
  pr.cc_label = resume;
  pr.cc_var = val;
  VEC_PUSH(c->p->procs, pr);
  int id = c->p->procs.n;
  int kt = lw_new_type(c, T_PROC);
  c->p->types.v[kt].procs = (uint64_t)1 << (id - 1);
  int k = temp(c, loc);
  lw_unify(c, c->p->vars.v[k].type, kt, loc, "a continuation");
  ir_stmt *s = lw_emit(c, S_CLOSURE, loc);
  s->var = k;
  s->l1 = id;
  s->nargs = 0;
  s->args = arena_alloc(&c->p->mem, sizeof(ir_expr *));
  /* its record */
  int n = ccn(c, loc);
  int i = temp_of(c, T_INT, loc);
  lw_assign(c, i, var(c, n, loc), loc);
  rec_set(c, rec_cell(c, i, 0, loc), cc_x(c, CC_ADDR, var(c, k, loc), loc), loc);
  rec_set(c, rec_cell(c, i, 1, loc), cc_x(c, CC_SP, NULL, loc), loc);
  lw_assign(c, n, prim(c, "+", var(c, i, loc), kconst(c, T_INT, 1, loc), T_INT, loc), loc);
  int port_saved[2];   /* with-output-to-string's port, set back on an escape */
  bool port = lw_port_cc_save(c, port_saved, loc);   /* lower-ports.c */
  /* f's call, one level deeper than call/cc's */
  ir_expr *kv[1] = {lw_retype(c, var(c, k, loc), T_PROC)};
  ir_expr *r = lw_callv(c, a, var(c, fv, at), kv, 1, f->edepth + 1);
  if (c->failed) return lw_void_expr(c, loc);
  int res = temp(c, loc);
  lw_assign(c, n, var(c, i, loc), loc);
  lw_assign(c, res, r, loc);
  jump(c, done, loc);
  lw_label(c, resume, loc);
  lw_assign(c, res, var(c, val, loc), loc);
  if (port) lw_port_cc_restore(c, port_saved, loc);
  lw_wind_resume(c, a, f, i);   /* lower-wind.c: winds and catches left */
  lw_label(c, done, loc);
  return var(c, res, loc);
}

/* A continuation a global holds from an earlier form: dead (its call/cc
 * returned with that form), a procedure of its own whose value is its id. */
int lw_callcc_held(lw *c, tvec *k) {
  int id = 0;
  for (int i = 0; i < c->p->procs.n && !id; i++)
    if (c->p->procs.v[i].cc && c->p->procs.v[i].cc_obj == k) id = i + 1;
  if (!id) {
    if (c->p->procs.n >= MAX_PROCS) {
      srcloc none = {-1, 0, 0};
      lw_fail(c, none, "more than %d procedures used as values are not compiled to the "
                       "transformer yet (run with --reference to use the evaluator)", MAX_PROCS);
      return lw_new_type(c, T_ANY);
    }
    struct ir_proc pr;
    memset(&pr, 0, sizeof pr);
    pr.irfn = -1;
    pr.cc = true;
    pr.cc_fn = -1;
    pr.cc_var = -1;
    pr.cc_obj = k;
    VEC_PUSH(c->p->procs, pr);
    id = c->p->procs.n;
  }
  int t = lw_new_type(c, T_PROC);
  c->p->types.v[t].procs = (uint64_t)1 << (id - 1);
  return t;
}

/* ---- a call that reaches a continuation -------------------------------- */

void lw_callcc_unify(lw *c, const ir_stmt *s, const struct ir_proc *pr) {
  if (s->write || s->nargs != 1 || pr->cc_var < 0) return;
  lw_unify(c, c->p->vars.v[pr->cc_var].type, s->args[0]->type, s->loc,
           "the value passed to a continuation");
}

void lw_callcc_escape(lw *c, const ir_stmt *s, const struct ir_proc *pr, ir_expr *op,
                      bool ret, int end) {
  srcloc loc = s->loc;
  if (s->write) {
    lw_fail(c, loc, "apply of a continuation is not compiled to the transformer yet "
                    "(run with --reference to use the evaluator)");
    return;
  }
  if (pr->cc_fn < 0) {   /* held from an earlier form: dead, after the arguments */
    ir_stmt *e = lw_emit(c, S_EVAL, loc);
    e->a[0] = lw_after_args(c, lw_fail_expr(c, loc, "continuation", DEAD), s->args, s->nargs);
    if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
    else jump(c, end, loc);
    return;
  }
  if (s->nargs != 1 && (!c->mv || s->nargs > lw_mv_kmax(c))) {
    lw_fail(c, loc, "a continuation called with %d values is not compiled to the "
                    "transformer yet (run with --reference to use the evaluator)", s->nargs);
    return;
  }
  int val = pr->cc_var;
  /* several values (or none) go as `values` in tail position sends them:
   * MVX and the cells, the first to val (lower-values.c) */
  ir_expr *first = s->nargs == 1 ? s->args[0] : lw_values_call(c, s->args, s->nargs, loc);
  if (c->failed) return;
  lw_unify(c, c->p->vars.v[val].type, first->type, loc, "the value passed to a continuation");
  lw_assign(c, val, first, loc);
  int ka = temp_of(c, T_INT, loc), i = temp_of(c, T_INT, loc), r = temp_of(c, T_INT, loc);
  int n = ccn(c, loc);
  lw_assign(c, ka, cc_x(c, CC_ADDR, op, loc), loc);
  lw_assign(c, i, prim(c, "-", var(c, n, loc), kconst(c, T_INT, 1, loc), T_INT, loc), loc);
  int head = lw_new_label(c), l2 = lw_new_label(c), l3 = lw_new_label(c),
      l4 = lw_new_label(c), dead = lw_new_label(c), live = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, i, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), dead, l2, loc);
  lw_label(c, l2, loc);
  lw_assign(c, r, cc_x(c, CC_READ, rec_cell(c, i, 0, loc), loc), loc);
  branch(c, prim(c, "=", var(c, r, loc), var(c, ka, loc), T_BOOL, loc), live, l3, loc);
  lw_label(c, l3, loc);
  branch(c, prim(c, "<", var(c, r, loc), var(c, ka, loc), T_BOOL, loc), dead, l4, loc);
  lw_label(c, l4, loc);
  lw_assign(c, i, prim(c, "-", var(c, i, loc), kconst(c, T_INT, 1, loc), T_INT, loc), loc);
  jump(c, head, loc);
  lw_label(c, dead, loc);
  lw_emit(c, S_EVAL, loc)->a[0] =
      lw_fail_expr(c, loc, "continuation", DEAD);
  if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
  else jump(c, end, loc);
  lw_label(c, live, loc);
  lw_assign(c, n, var(c, i, loc), loc);
  ir_stmt *e = lw_emit(c, S_ESCAPE, loc);
  e->a[0] = cc_x(c, CC_READ, rec_cell(c, i, 1, loc), loc);
  e->fn = pr->cc_fn;
  e->l1 = pr->cc_label;
}
