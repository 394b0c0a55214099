/* lower-narrow.c - a kind test narrows its variable in the arm it guards.
 *
 * In (if (pair? x) A B), A runs only when x holds a pair: while A is
 * lowered, x reads as its value retyped to a pair (an X_CHECK without a
 * failure, lw_retype), so that the operations of A on x need no kind
 * check of their own, and no report (backend/mreport.c: some twenty
 * steps each, the width of programs with tagged values).  (if (not
 * (pair? x)) A B) narrows x in B.  Only where the branch is a branch
 * (lw_lower_tail): the select of a pure if computes both arms whatever
 * the test, and an arm must not read a value as a kind it may not have.
 *
 * Sound when x keeps its value through the arm: a local variable that is
 * never assigned (set!) and not boxed, or an expression bound by let or
 * inlining (stable where it is bound); a loop's parameter is assigned
 * only by the jump that leaves the arm.  A class that settles on another
 * kind leaves the arm dead: the check then gives 0 (backend/mexpr.c
 * checked), as a report's casts do.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"

#include <string.h>

static tkind pred_kind(const char *name) {
  static const struct { const char *name; tkind k; } preds[] = {
    {"pair?", T_PAIR}, {"string?", T_STR}, {"integer?", T_INT}, {"vector?", T_VEC},
    {"char?", T_CHAR}, {"symbol?", T_SYM}};
  for (size_t i = 0; i < sizeof preds / sizeof preds[0]; i++)
    if (!strcmp(name, preds[i].name)) return preds[i].k;
  return T_ANY;
}

/* The builtin a call names, or NULL. */
static const builtin *called_builtin(const ast *a) {
  if (a->kind != E_CALL) return NULL;
  const ref_info *r = &a->u.call.r;
  if (r->kind == REF_BUILTIN || ref_is_builtin_now(r)) return r->bi;
  return NULL;
}

bool lw_narrow_begin(lw *c, const ast *test, bool then_arm, const ast *arm,
                     frame_map *f, lw_narrowed *sv) {
  sv->s = NULL;
  if (c->failed) return false;
  const builtin *bi = called_builtin(test);
  if (bi && !strcmp(bi->name, "not") && test->u.call.n == 1) {
    test = test->u.call.args[0];
    then_arm = !then_arm;
    bi = called_builtin(test);
  }
  if (!then_arm || !bi || test->u.call.n != 1) return false;
  tkind k = pred_kind(bi->name);
  const ast *x = test->u.call.args[0];
  if (k == T_ANY || x->kind != E_REF || x->u.ref.r.kind != REF_LOCAL) return false;
  const ref_info *r = &x->u.ref.r;
  frame_map *t = lw_frame_up(f, r->depth);
  if (!t || r->slot >= t->nslots) return false;
  slot_binding *s = &t->slots[r->slot];
  if (s->boxed || lw_assigns_slot(arm, r->depth, r->slot)) return false;
  ir_expr *v;
  if (s->expr) {
    v = s->expr;
  } else {
    if (s->var < 0 || c->p->vars.v[s->var].assigned) return false;
    v = lw_var_expr(c, s->var, x->loc);
  }
  if (ir_kind(c->p, v->type) == k) return false;
  sv->s = s;
  sv->old = s->expr;
  sv->now = lw_retype(c, v, k);
  s->expr = sv->now;
  return true;
}

void lw_narrow_end(lw_narrowed *sv) {
  /* a slot boxed in the arm keeps its box */
  if (sv->s && sv->s->expr == sv->now) sv->s->expr = sv->old;
  sv->s = NULL;
}
