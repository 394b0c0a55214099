/* lower-box.c - variables assigned after a lambda captured them.
 *
 * The checker marks a variable that a lambda captures and some code
 * assigns (let_binding.boxed, fn_def.param_boxed); the evaluator keeps
 * such a variable in a box on the heap (eval.c make_box, 3 cells of the
 * heap limit) and every closure that captures it holds the box, so they
 * all see one variable.  Compiled code does the same: the box is a
 * vector of one cell (its 3 heap cells, made where the evaluator makes
 * the box: a let binding after its value, a letrec's before the values,
 * a parameter on entry, a loop's variables at the loop's head: each
 * iteration its own boxes, as each call of the loop's procedure in the
 * evaluator), the variable's slot holds the box, a reference
 * reads cell 0 and set! writes it; a lambda captures the box itself
 * (ir_proc.cap_boxed says which captured values are boxes, so a
 * reference to one inside the lambda reads through it).  Programs
 * without such variables are lowered exactly as before.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"

static ir_expr *int_const(lw *c, int64_t v, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = v;
  e->type = lw_new_type(c, T_INT);
  e->has_nat = true;
  e->nat = T_INT;
  return e;
}

int lw_box_new(lw *c, int name, ir_expr *v, srcloc loc) {
  int box = lw_new_var(c, name, name >= 0 ? VAR_LOCAL : VAR_TEMP, loc);
  c->p->vars.v[box].type = lw_type_of_kind(c, T_VEC);
  ir_stmt *s = lw_emit(c, S_MAKEVEC, loc);
  s->var = box;
  s->a[0] = int_const(c, 1, loc);
  s->a[1] = v;
  lw_unify(c, ir_elem_type(c->p, c->p->vars.v[box].type), v->type, loc,
           "a variable captured by a lambda and assigned");
  return box;
}

ir_expr *lw_box_get(lw *c, int box, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VREF, loc, 2);
  e->a[0] = lw_var_expr(c, box, loc);
  e->a[1] = int_const(c, 0, loc);
  e->type = lw_elem_of(c, c->p->vars.v[box].type);
  return e;
}

void lw_box_set(lw *c, int box, ir_expr *v, srcloc loc) {
  lw_unify(c, lw_elem_of(c, c->p->vars.v[box].type), v->type, loc,
           "a variable captured by a lambda and assigned");
  ir_stmt *s = lw_emit(c, S_VSET, loc);
  s->a[0] = lw_var_expr(c, box, loc);
  s->a[1] = int_const(c, 0, loc);
  s->a[2] = v;
}

/* The slot's variable moves into a new box holding its value. */
void lw_box_slot(lw *c, slot_binding *s, int name, srcloc loc) {
  if (s->boxed) return;
  ir_expr *v = s->expr ? s->expr : s->var >= 0 ? lw_var_expr(c, s->var, loc) : NULL;
  if (!v) {
    lw_fail(c, loc, "internal error: a boxed variable without a value");
    return;
  }
  s->var = lw_box_new(c, name, v, loc);
  s->expr = NULL;
  s->boxed = true;
}

/* On entry: the boxed parameters, in order (eval.c box_params). */
void lw_box_params(lw *c, const fn_def *fn, frame_map *f, srcloc loc) {
  for (int i = 0; fn->param_boxed && i < fn->nparams && !c->failed; i++)
    if (fn->param_boxed[i]) lw_box_slot(c, &f->slots[i], fn->params[i], loc);
}

bool lw_cap_boxed(lw *c, const fn_def *fn, int j) {
  for (int i = 0; i < c->p->procs.n; i++)
    if (c->p->procs.v[i].fn == fn) return j < 64 && (c->p->procs.v[i].cap_boxed >> j & 1);
  return false;
}

/* What a lambda captures for variable `ref` where it is made: the box of
 * a boxed variable, else the variable's value. */
ir_expr *lw_captured_raw(lw *c, const ast *ref, frame_map *f, bool *boxed) {
  const ref_info *r = &ref->u.ref.r;
  *boxed = false;
  frame_map *t = lw_frame_up(f, r->depth);
  if (r->kind == REF_LOCAL && t && r->slot < t->nslots && t->slots[r->slot].boxed) {
    *boxed = true;
    return lw_var_expr(c, t->slots[r->slot].var, ref->loc);
  }
  if (r->kind == REF_CAPTURED && t && t->cap_vars && t->fn && r->slot < t->fn->ncaps &&
      lw_cap_boxed(c, t->fn, r->slot)) {
    *boxed = true;
    return lw_var_expr(c, t->cap_vars[r->slot], ref->loc);
  }
  return lw_lower_value(c, ref, f);
}
