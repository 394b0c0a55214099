/* lower.c - core AST to IR.
 *
 * Expressions that are pure (no side effects, no loops, no calls to
 * procedures that are not inlined) become expression trees; everything
 * else becomes statements.  Pure procedures are inlined.  Named-let, do and
 * while loops whose calls are all in tail position become labels and jumps
 * inside the function that holds them ("contified"); other local
 * procedures are lifted to procedures of their own, their free variables
 * becoming extra parameters (allowed only for variables never assigned).
 * Kinds are inferred by unification as the lowering goes (lower-types.c).
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"
#include "lower-ports.h"

#include <string.h>

/* ---- purity --------------------------------------------------------- */

bool lw_fn_pure(purity *pu, const fn_def *f);

bool lw_prim_pure(const builtin *b) {
  static const char *const impure[] = {"display", "write", "newline",
    "vector-set!", "vector-fill!", "make-vector", "vector", "cons", "list",
    "set-car!", "set-cdr!", "gcd", "lcm", "values", "call-with-values", "floor/", "truncate/",
    "exact-integer-sqrt", "call/cc", "call-with-current-continuation",
    "call-with-output-string", "with-output-to-string", "open-output-string",
    "get-output-string", "open-input-string", "read-char", "peek-char", "char-ready?", "eof-object?", "port?", "input-port?", "output-port?", NULL};
  for (int i = 0; impure[i]; i++)
    if (!strcmp(b->name, impure[i])) return false;
  return !lw_listlib_allocates(b->name) && !lw_hof_name(b->name) &&
         !lw_record_effect_name(b->name) &&
         !lw_is_stop_name(b->name) && !lw_strings_allocates(b->name);
}

static bool ast_pure(purity *pu, const ast *a) {
  switch (a->kind) {
  case E_CONST: case E_REF: return true;
  case E_SET: case E_VECLIT: case E_DEFINE: case E_DEFTABLE: case E_EXTERN:
  case E_LAMBDA: case E_APPLY:   /* refused before lowering (ck_compilable) */
    return false;
  case E_IF:
    return ast_pure(pu, a->u.iff.c) && ast_pure(pu, a->u.iff.t) &&
           ast_pure(pu, a->u.iff.e);
  case E_BEGIN: case E_AND: case E_OR:
    for (int i = 0; i < a->u.seq.n; i++)
      if (!ast_pure(pu, a->u.seq.v[i])) return false;
    return true;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      const let_binding *b = &a->u.let.v[i];
      if (b->init && !ast_pure(pu, b->init)) return false;
      if (b->fn && (b->fn->is_loop || !lw_fn_pure(pu, b->fn))) return false;
    }
    return ast_pure(pu, a->u.let.body);
  case E_CALL: {
    for (int i = 0; i < a->u.call.n; i++)
      if (!ast_pure(pu, a->u.call.args[i])) return false;
    const ref_info *r = &a->u.call.r;
    switch (r->kind) {
    case REF_BUILTIN: return lw_prim_pure(r->bi);
    case REF_LOCALFN: return !r->fn->is_loop && lw_fn_pure(pu, r->fn);
    case REF_GLOBAL:
      if (r->cell->kind == G_TABLE) return true;
      if (r->cell->kind == G_FUNC) return lw_fn_pure(pu, r->cell->fn);
      return false;
    default: return false;
    }
  }
  }
  return false;
}

bool lw_fn_pure(purity *pu, const fn_def *f) {
  for (int i = 0; i < pu->memo.n; i++)
    if (pu->memo.v[i].fn == f) return pu->memo.v[i].state == 2;
  purity_memo m = {f, 1};
  VEC_PUSH(pu->memo, m);
  int idx = pu->memo.n - 1;
  bool p = ast_pure(pu, f->body);
  /* A function met again while it was being visited is recursive, and a
   * recursive function is never pure (it could not be inlined). */
  if (pu->memo.v[idx].state == 3) p = false;
  pu->memo.v[idx].state = p ? 2 : 3;
  return p;
}

bool ir_fn_is_pure(world *w, const fn_def *f) {
  purity pu = {w, {0}};
  bool p = lw_fn_pure(&pu, f);
  VEC_FREE(pu.memo);
  return p;
}

/* ---- the lowering context ------------------------------------------- */


ir_expr *lw_lower_value(lw *c, const ast *a, frame_map *f);
void lw_lower_tail(lw *c, const ast *a, frame_map *f, cont k);

void lw_fail(lw *c, srcloc loc, const char *fmt, ...) TVL_PRINTF(3, 4);
void lw_fail(lw *c, srcloc loc, const char *fmt, ...) {
  if (c->failed) return;
  strbuf b;
  sb_init(&b);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  lang_error_set(c->err, loc, "compile", "%s", b.s);
  sb_free(&b);
  c->failed = true;
}

const char *lw_nm(lw *c, int sym) { return sym_name(&c->w->syms, sym); }

/* ---- building IR ---------------------------------------------------- */

ir_expr *lw_mk(lw *c, x_kind k, srcloc loc, int n) {
  ir_expr *e = arena_alloc(&c->p->mem, sizeof *e);
  e->k = k;
  e->loc = loc;
  e->n = n;
  e->a = n ? arena_alloc(&c->p->mem, (size_t)n * sizeof(ir_expr *)) : NULL;
  return e;
}

/* e as an operand whose errors the evaluator reports at loc (an index,
 * a length, an exponent written as a let or begin, whose value's own
 * place is inside): a leaf is copied with that place, anything else is
 * wrapped in a one-element X_SEQ that carries it (its own errors keep
 * theirs). */
ir_expr *lw_at_place(lw *c, ir_expr *e, srcloc loc) {
  if (!e || (e->loc.line == loc.line && e->loc.col == loc.col &&
             e->loc.file == loc.file))
    return e;
  if (e->k == X_CONST || e->k == X_VAR) {
    ir_expr *x = lw_mk(c, e->k, loc, 0);
    *x = *e;
    x->loc = loc;
    return x;
  }
  ir_expr *x = lw_mk(c, X_SEQ, loc, 1);
  x->a[0] = e;
  x->type = e->type;
  return x;
}

static ir_expr *konst(lw *c, tkind k, int32_t v, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = v;
  e->type = lw_new_type(c, k);
  e->has_nat = true;
  e->nat = k;
  return e;
}

ir_expr *lw_var_expr(lw *c, int var, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VAR, loc, 0);
  e->var = var;
  e->type = c->p->vars.v[var].type;
  return e;
}

int lw_new_var(lw *c, int name, var_class cls, srcloc loc) {
  ir_var v = {name, cls, c->fn, NULL, lw_new_type(c, T_ANY), false, loc, NULL};
  VEC_PUSH(c->p->vars, v);
  return c->p->vars.n - 1;
}

static ir_fn *cur_fn(lw *c) { return &c->p->fns.v[c->fn]; }

ir_stmt *lw_emit(lw *c, s_kind k, srcloc loc) {
  ir_stmt s;
  memset(&s, 0, sizeof s);
  s.k = k;
  s.loc = loc;
  s.var = -1;
  s.fn = -1;
  VEC_PUSH(cur_fn(c)->body, s);
  return &cur_fn(c)->body.v[cur_fn(c)->body.n - 1];
}

int lw_new_label(lw *c) { return cur_fn(c)->nlabels++; }

void lw_label(lw *c, int l, srcloc loc) { lw_emit(c, S_LABEL, loc)->l1 = l; }

void lw_assign(lw *c, int var, ir_expr *e, srcloc loc) {
  if (!lw_unify(c, c->p->vars.v[var].type, e->type, loc,
             c->p->vars.v[var].name >= 0 ? lw_nm(c, c->p->vars.v[var].name)
                                         : "this value"))
    return;
  ir_stmt *s = lw_emit(c, S_ASSIGN, loc);
  s->var = var;
  s->a[0] = e;
}

ir_expr *lw_void_expr(lw *c, srcloc loc) { return konst(c, T_VOID, 0, loc); }

/* ---- evaluation order ----------------------------------------------- */

/* Expressions are evaluated when the statement that uses them runs, which
 * is later than Scheme evaluates them when a later operand has effects
 * (statements), and never when an inlined body ignores an argument.  These
 * helpers restore the order: operands are pinned into temporaries before
 * the statements of a later operand, and the errors of ignored arguments
 * are forced (X_SEQ). */

/* Builtins that cannot fail once their operands have the right kinds. */
static bool op_total(const builtin *b) {
  static const char *const partial[] = {"+", "-", "*", "quotient", "remainder",
                                        "modulo", "abs", "expt", "ash",
                                        "string-ref", NULL};
  for (int i = 0; partial[i]; i++)
    if (!strcmp(b->name, partial[i])) return false;
  return true;
}

/* Whether evaluating e can raise an error; *budget bounds the walk over
 * a shared DAG (running out answers yes). */
static bool fails_within(lw *c, const ir_expr *e, int *budget) {
  if (--*budget < 0) return true;
  switch (e->k) {
  case X_CONST: case X_VAR: return false;
  case X_CHECK:
    /* a class may become T_DYN later in the lowering: the second pass of
     * a program with tagged values counts every check (conservative) */
    if (c->conservative || ir_kind(c->p, e->a[0]->type) != (tkind)e->ival) return true;
    break;
  case X_VREF: case X_FAIL: case X_DEPTH: return true;
  case X_TABLE:
    if (!e->table->table->has_default) return true;
    break;
  case X_PRIM:
    if (!op_total(e->op)) return true;
    break;
  default:
    break;
  }
  for (int i = 0; i < e->n; i++)
    if (fails_within(c, e->a[i], budget)) return true;
  return false;
}

bool lw_may_fail(lw *c, const ir_expr *e) {
  int budget = 4096;
  return fails_within(c, e, &budget);
}

/* Whether e reads only what no statement can change meanwhile:
 * constants, temporaries, locals never assigned, vector lengths. */
static bool reads_fixed(lw *c, const ir_expr *e, int *budget) {
  if (--*budget < 0) return false;
  switch (e->k) {
  case X_CONST: return true;
  case X_VAR: {
    if (e->var < 0) return false;
    const ir_var *v = &c->p->vars.v[e->var];
    return v->cls == VAR_TEMP || (v->cls == VAR_LOCAL && !v->assigned);
  }
  case X_VREF: return false;
  default:
    break;
  }
  for (int i = 0; i < e->n; i++)
    if (!reads_fixed(c, e->a[i], budget)) return false;
  return true;
}

static bool fixed_now(lw *c, const ir_expr *e) {
  int budget = 4096;
  return reads_fixed(c, e, &budget) && !lw_may_fail(c, e);
}

/* Operand `i` emitted statements from index `mark` on: the operands before
 * it that are not fixed are computed into temporaries just before them. */
static void pin_operands(lw *c, int mark, ir_expr **ops, int i) {
  for (int j = 0; j < i; j++) {
    if (!ops[j] || fixed_now(c, ops[j])) continue;
    int t = lw_new_var(c, -1, VAR_TEMP, ops[j]->loc);
    c->p->vars.v[t].type = ops[j]->type;
    ir_stmt st;
    memset(&st, 0, sizeof st);
    st.k = S_ASSIGN;
    st.loc = ops[j]->loc;
    st.var = t;
    st.fn = -1;
    st.a[0] = ops[j];
    ir_fn *F = cur_fn(c);
    VEC_PUSH(F->body, st);
    memmove(&F->body.v[mark + 1], &F->body.v[mark],
            (size_t)(F->body.n - 1 - mark) * sizeof st);
    F->body.v[mark++] = st;
    ops[j] = lw_var_expr(c, t, ops[j]->loc);
  }
}

/* Statements evaluating each of e[0..n-1] for its errors, inserted at
 * index `mark` of the body, before what was emitted from there on. */
static void insert_evals(lw *c, int mark, ir_expr **e, int n) {
  ir_fn *F = cur_fn(c);
  for (int j = 0; j < n; j++) {
    ir_stmt st;
    memset(&st, 0, sizeof st);
    st.k = S_EVAL;
    st.loc = e[j]->loc;
    st.var = -1;
    st.fn = -1;
    st.a[0] = e[j];
    VEC_PUSH(F->body, st);
    memmove(&F->body.v[mark + 1], &F->body.v[mark],
            (size_t)(F->body.n - 1 - mark) * sizeof st);
    F->body.v[mark++] = st;
  }
}

/* The errors of pre[0..k) raised before the statements emitted from index
 * `mark` on (an inlined body's or a let body's local define, ...): in
 * the first statement's expression when it has one (no step of its
 * own), else in statements of their own. */
static void errors_before(lw *c, int mark, ir_expr **pre, int k, srcloc loc) {
  if (!k) return;
  ir_stmt *first = &cur_fn(c)->body.v[mark];
  if ((first->k == S_ASSIGN || first->k == S_EVAL) && first->a[0]) {
    ir_expr *e = lw_mk(c, X_SEQ, loc, k + 1);
    for (int i = 0; i < k; i++) e->a[i] = pre[i];
    e->a[k] = first->a[0];
    e->type = first->a[0]->type;
    first->a[0] = e;
  } else {
    insert_evals(c, mark, pre, k);
  }
}

/* Operands left to right (NULL asts give NULL). */
static void lower_operands(lw *c, ast *const *v, int n, frame_map *f,
                           ir_expr **out) {
  for (int i = 0; i < n; i++) out[i] = NULL;
  for (int i = 0; i < n && !c->failed; i++) {
    if (!v[i]) continue;
    int mark = cur_fn(c)->body.n;
    out[i] = lw_lower_value(c, v[i], f);
    if (cur_fn(c)->body.n > mark) pin_operands(c, mark, out, i);
  }
}

/* v, after the errors of `forced` (those that may fail). */
static ir_expr *force_errors(lw *c, ir_expr *v, ir_expr **forced, int n) {
  int k = 0;
  for (int i = 0; i < n; i++) k += forced[i] && lw_may_fail(c, forced[i]);
  if (!k || c->failed) return v;
  ir_expr *e = lw_mk(c, X_SEQ, v->loc, k + 1);
  k = 0;
  for (int i = 0; i < n; i++)
    if (forced[i] && lw_may_fail(c, forced[i])) e->a[k++] = forced[i];
  e->a[k] = v;
  e->type = v->type;
  return e;
}

/* v, reached after the arguments args[0..n) (the errors of those that
 * may fail come first). */
ir_expr *lw_after_args(lw *c, ir_expr *v, ir_expr **args, int n) {
  return force_errors(c, v, args, n);
}

/* A value with nothing to evaluate: a constant, a variable (seen through
 * a change of class, lw_retype). */
static bool trivial(const ir_expr *v) {
  while (v->k == X_CHECK && v->var < 0) v = v->a[0];
  return v->k == X_CONST || v->k == X_VAR;
}

/* Delivers a value to a continuation. */
static void deliver(lw *c, ir_expr *v, cont k, srcloc loc) {
  if (c->failed) return;
  if (k.ret) {
    lw_unify(c, cur_fn(c)->ret_type, v->type, loc, "the value returned");
    lw_emit(c, S_RETURN, loc)->a[0] = v;
    return;
  }
  if (k.var >= 0) lw_assign(c, k.var, v, loc);
  else if (!trivial(v)) lw_emit(c, S_EVAL, loc)->a[0] = v;
  jump(c, k.label, loc);
}

/* ---- frames --------------------------------------------------------- */

frame_map *lw_new_frame(lw *c, const fn_def *fn, int nslots,
                            frame_map *up) {
  frame_map *f = arena_alloc(&c->p->mem, sizeof *f);
  f->fn = fn;
  f->nslots = nslots;
  f->slots = arena_alloc(&c->p->mem, (size_t)(nslots + 1) * sizeof(slot_binding));
  for (int i = 0; i < nslots; i++) {
    f->slots[i].var = -1;
    f->slots[i].expr = NULL;
    f->slots[i].boxed = false;
  }
  f->up = up;
  f->edepth = 0;
  return f;
}

int lw_call_depth(const frame_map *f, const ast *call) {
  return f->edepth + (call->u.call.tail ? 0 : 1);
}

ir_expr *lw_depth_check(lw *c, int edepth, srcloc loc) {
  ir_expr *e = lw_mk(c, X_DEPTH, loc, 0);
  e->ival = edepth;
  e->type = lw_new_type(c, T_VOID);
  e->has_nat = true;
  e->nat = T_VOID;
  return e;
}

frame_map *lw_frame_up(frame_map *f, int depth) {
  while (depth-- > 0 && f) f = f->up;
  return f;
}

static slot_binding *slot_of(lw *c, frame_map *f, int depth, int slot,
                             srcloc loc) {
  frame_map *t = lw_frame_up(f, depth);
  if (!t || slot >= t->nslots) {
    lw_fail(c, loc, "internal error: a local variable has no frame");
    return NULL;
  }
  return &t->slots[slot];
}

loop_info *lw_find_loop(frame_map *f, int depth, const fn_def *fn) {
  frame_map *t = lw_frame_up(f, depth);
  for (loop_info *l = t ? t->loops : NULL; l; l = l->next)
    if (l->fn == fn) return l;
  return NULL;
}

lifted *lw_find_lifted(lw *c, const fn_def *fn) {
  for (int i = 0; i < c->lift.n; i++)
    if (c->lift.v[i].fn == fn) return &c->lift.v[i];
  return NULL;
}

/* ---- globals -------------------------------------------------------- */

void lw_add_dep(lw *c, gcell *g) {
  for (int i = 0; i < c->p->deps.n; i++)
    if (c->p->deps.v[i] == g) return;
  VEC_PUSH(c->p->deps, g);
}

static int global_var(lw *c, gcell *g, srcloc loc) {
  lw_add_dep(c, g);
  for (int i = 0; i < c->p->vars.n; i++)
    if (c->p->vars.v[i].cls == VAR_GLOBAL && c->p->vars.v[i].cell == g) return i;
  int save = c->fn;
  c->fn = -1;
  int v = lw_new_var(c, g->name, VAR_GLOBAL, loc);
  c->fn = save;
  c->p->vars.v[v].cell = g;
  if (g->kind == G_VAR)
    lw_unify(c, c->p->vars.v[v].type, lw_type_of_value(c, g->val, 0), loc,
          lw_nm(c, g->name));
  VEC_PUSH(c->p->globals, g);
  return v;
}

void lw_use_table(lw *c, gcell *g) {
  lw_add_dep(c, g);
  for (int i = 0; i < c->p->tables.n; i++)
    if (c->p->tables.v[i] == g) return;
  VEC_PUSH(c->p->tables, g);
}

/* ---- references ----------------------------------------------------- */

static ir_expr *load(lw *c, const ast *a, frame_map *f) {
  const ref_info *r = &a->u.ref.r;
  if (r->early == REF_EARLY_ALWAYS)   /* checker-early.c; the evaluator's error */
    return lw_fail_expr(c, a->loc, "unbound", "%s is used before its definition",
                        lw_nm(c, a->u.ref.name));
  if (ref_is_builtin_now(r)) {
    lw_add_dep(c, r->cell);   /* defining the name recompiles this program */
    return lw_builtin_value(c, r->bi, a->loc);
  }
  if (r->kind == REF_LOCAL) {
    slot_binding *s = slot_of(c, f, r->depth, r->slot, a->loc);
    if (!s) return lw_void_expr(c, a->loc);
    if (s->expr) return s->expr;
    if (s->var < 0) {
      lw_fail(c, a->loc, "%s is used before it is given a value",
           lw_nm(c, a->u.ref.name));
      return lw_void_expr(c, a->loc);
    }
    if (s->boxed) return lw_box_get(c, s->var, a->loc);   /* lower-box.c */
    return lw_var_expr(c, s->var, a->loc);
  }
  if (r->kind == REF_GLOBAL && r->cell->kind == G_VAR)
    return lw_var_expr(c, global_var(c, r->cell, a->loc), a->loc);
  if (r->kind == REF_GLOBAL && r->cell->kind == G_FUNC)
    return lw_proc_value(c, r->cell, a->loc);
  if (r->kind == REF_CAPTURED) return lw_captured_load(c, a, f);
  if (r->kind == REF_BUILTIN) return lw_builtin_value(c, r->bi, a->loc);   /* lower-closure.c */
  if (r->kind == REF_GLOBAL) {
    /* the evaluator's error where it is reached; defining the name later
     * recompiles this program (a dependency) */
    lw_add_dep(c, r->cell);
    if (r->cell->kind == G_UNDEFINED)
      return lw_fail_expr(c, a->loc, "unbound", "unbound variable %s",
                          lw_nm(c, a->u.ref.name));
    return lw_fail_expr(c, a->loc, "type", "%s is a %s, not a value",
                        lw_nm(c, a->u.ref.name), gkind_text(r->cell->kind));
  }
  lw_fail(c, a->loc, "%s is not a variable", lw_nm(c, a->u.ref.name));
  return lw_void_expr(c, a->loc);
}

static void store(lw *c, const ast *a, frame_map *f, ir_expr *v) {
  const ref_info *r = &a->u.set.r;
  int var = -1;
  if (r->kind == REF_LOCAL) {
    slot_binding *s = slot_of(c, f, r->depth, r->slot, a->loc);
    if (!s) return;
    if (s->expr || s->var < 0) {
      lw_fail(c, a->loc, "internal error: set! of a variable bound to an "
                      "expression");
      return;
    }
    if (s->boxed) {   /* lower-box.c */
      lw_box_set(c, s->var, v, a->loc);
      return;
    }
    var = s->var;
  } else if (r->kind == REF_CAPTURED) {
    frame_map *t = lw_frame_up(f, r->depth);
    if (!t || !t->cap_vars || !t->fn || r->slot >= t->fn->ncaps || t->cap_vars[r->slot] < 0 ||
        !lw_cap_boxed(c, t->fn, r->slot)) {
      lw_fail(c, a->loc, "cannot set! %s here in compiled code", lw_nm(c, a->u.set.name));
      return;
    }
    lw_box_set(c, t->cap_vars[r->slot], v, a->loc);
    return;
  } else if (r->kind == REF_GLOBAL && r->cell->kind == G_VAR) {
    var = global_var(c, r->cell, a->loc);
  } else if (r->kind == REF_GLOBAL) {
    /* the value runs first, then the evaluator's error */
    lw_add_dep(c, r->cell);
    ir_stmt *s = lw_emit(c, S_EVAL, a->loc);
    s->a[0] = v;
    s = lw_emit(c, S_EVAL, a->loc);
    if (r->cell->kind == G_UNDEFINED)
      s->a[0] = lw_fail_expr(c, a->loc, "unbound", "cannot set! %s: it is not defined",
                             lw_nm(c, a->u.set.name));
    else
      s->a[0] = lw_fail_expr(c, a->loc, "type", "cannot set! %s: it is a %s; use "
                             "define to replace it", lw_nm(c, a->u.set.name),
                             gkind_text(r->cell->kind));
    return;
  } else {
    lw_fail(c, a->loc, "cannot set! %s", lw_nm(c, a->u.set.name));
    return;
  }
  c->p->vars.v[var].assigned = true;
  lw_assign(c, var, v, a->loc);
}

/* Whether a let-bound slot is assigned anywhere in an expression. */
bool lw_assigns_slot(const ast *a, int depth, int slot) {
  if (!a) return false;
  switch (a->kind) {
  case E_SET:
    if (a->u.set.r.kind == REF_LOCAL && a->u.set.r.depth == depth &&
        a->u.set.r.slot == slot)
      return true;
    return lw_assigns_slot(a->u.set.val, depth, slot);
  case E_IF:
    return lw_assigns_slot(a->u.iff.c, depth, slot) ||
           lw_assigns_slot(a->u.iff.t, depth, slot) ||
           lw_assigns_slot(a->u.iff.e, depth, slot);
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++)
      if (lw_assigns_slot(a->u.seq.v[i], depth, slot)) return true;
    return false;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      if (lw_assigns_slot(a->u.let.v[i].init, depth, slot)) return true;
      if (a->u.let.v[i].fn && lw_assigns_slot(a->u.let.v[i].fn->body, depth + 1, slot))
        return true;
    }
    return lw_assigns_slot(a->u.let.body, depth, slot);
  case E_CALL:
    for (int i = 0; i < a->u.call.n; i++)
      if (lw_assigns_slot(a->u.call.args[i], depth, slot)) return true;
    return false;
  default:
    return false;
  }
}

/* ---- builtins ------------------------------------------------------- */

static ir_expr *natural(ir_expr *e, tkind k) {
  e->has_nat = true;
  e->nat = k;
  return e;
}

ir_expr *lw_prim(lw *c, const ast *a, const builtin *b, ir_expr **args,
                     int n) {
  ir_expr *e = lw_listlib_prim(c, a, b->name, args, n);
  if (e) return e;
  e = lw_mk(c, X_PRIM, a->loc, n);
  e->op = b;
  for (int i = 0; i < n; i++) e->a[i] = args[i];
  const char *name = b->name;
  ir_expr *arith = lw_arith_prim(c, a, b, args);
  if (arith) return arith;
  if (!strcmp(name, "not")) {
    e->k = X_NOT;
    e->type = lw_new_type(c, T_BOOL);
    return natural(e, T_BOOL);
  }
  ir_expr *streq = !strcmp(name, "equal?") ? lw_string_equal(c, a, b, args, a->loc) : NULL;
  if (streq) return streq;   /* lower-strings2.c */
  if (!strcmp(name, "eq?") || !strcmp(name, "eqv?") || !strcmp(name, "equal?")) {
    /* operands of fixed kinds keep them: the backend compares a tagged
     * one with the other's tagged value, and different kinds never match */
    e->type = lw_new_type(c, T_BOOL);
    if (ir_kind(c->p, args[0]->type) == T_ANY || ir_kind(c->p, args[1]->type) == T_ANY)
      lw_unify(c, args[0]->type, args[1]->type, a->loc, "the second argument");
    if (name[2] == 'u' && lw_equal_walks(c, args[0], args[1]))
      return lw_equal(c, args, a->loc);   /* a walk: a statement */
    return natural(e, T_BOOL);
  }
  ir_expr *ch = lw_char_prim(c, a, b, args, n);
  if (!ch) ch = lw_string_prim(c, a, b, args, n);
  if (!ch) ch = lw_record_prim(c, a, b, args, n);   /* lower-records.c */
  if (ch) return ch;
  if (!strcmp(name, "integer?") || !strcmp(name, "number?") ||
      !strcmp(name, "boolean?") || !strcmp(name, "symbol?") ||
      !strcmp(name, "vector?") || !strcmp(name, "string?") ||
      !strcmp(name, "pair?") || !strcmp(name, "null?") ||
      !strcmp(name, "procedure?")) {
    e->type = lw_new_type(c, T_BOOL);
    return natural(e, T_BOOL);
  }
  if (name[0] == 'c' && name[strlen(name) - 1] == 'r' && strlen(name) >= 4 &&
      strspn(name + 1, "ad") == strlen(name) - 2)
    return lw_cxr(c, a, name, args);
  if (!strcmp(name, "car") || !strcmp(name, "cdr")) {
    e->k = X_CXR;
    e->ival = name[1] == 'd';
    e->a[0] = lw_checked_arg(c, a, name, args, 0, T_PAIR);
    e->type = lw_pair_part(c, args[0]->type, e->ival);
    /* of a value never a pair, no value: the unspecified kind */
    VEC_PUSH(c->fail_types, e->type);
    return e;
  }
  if (!strcmp(name, "memq") || !strcmp(name, "memv") || !strcmp(name, "member"))
    return lw_member(c, a, name, args);
  if (!strcmp(name, "vector-ref")) {
    e->k = X_VREF;
    e->a[0] = lw_checked_arg(c, a, name, args, 0, T_VEC);
    e->a[1] = lw_checked_arg(c, a, name, args, 1, T_INT);
    e->type = lw_elem_of(c, args[0]->type);
    return e;
  }
  if (!strcmp(name, "vector-length")) {
    e->k = X_VLEN;
    e->a[0] = lw_checked_arg(c, a, name, args, 0, T_VEC);
    e->type = lw_new_type(c, T_INT);
    return natural(e, T_INT);
  }
  for (int i = 0; i < n; i++) e->a[i] = lw_checked_arg(c, a, name, args, i, T_INT);
  tkind r = b->result == VK_BOOL ? T_BOOL : T_INT;
  e->type = lw_new_type(c, r);
  return natural(e, r);
}

/* Side-effecting builtins in statement position; returns their value. */
ir_expr *lw_effect_prim(lw *c, const ast *a, frame_map *f) {
  const builtin *b = a->u.call.r.bi;
  const char *name = b->name;
  int n = a->u.call.n;
  ir_expr *args[3] = {0};
  ir_expr *ll = lw_port_effect(c, a, f);   /* lower-ports.c */
  if (!ll) ll = lw_listlib_effect(c, a, f);
  if (!ll) ll = lw_values_effect(c, a, f);   /* lower-values.c */
  if (!ll) ll = lw_stop_effect(c, a, f);   /* lower-error.c */
  if (!ll) ll = lw_hof_effect(c, a, f);   /* lower-hof.c */
  if (!ll) ll = lw_callcc_effect(c, a, f);   /* lower-callcc.c */
  if (!ll) ll = lw_strings_effect(c, a, f);   /* lower-strings2.c */
  if (!ll) ll = lw_record_effect(c, a, f);   /* lower-records.c */
  if (ll) return ll;
  if (!strcmp(name, "list")) return lw_list(c, a, f);
  if (!strcmp(name, "vector")) {
    int tmp = lw_new_var(c, -1, VAR_TEMP, a->loc);
    ir_expr *elems[256];
    if (n > 256) {
      lw_fail(c, a->loc, "vector with more than 256 elements in compiled code");
      return lw_void_expr(c, a->loc);
    }
    lower_operands(c, a->u.call.args, n, f, elems);
    if (c->failed) return lw_void_expr(c, a->loc);
    ir_stmt *s = lw_emit(c, S_MAKEVEC, a->loc);
    s->var = tmp;
    s->a[0] = konst(c, T_INT, n, a->loc);
    s->a[1] = n ? elems[0] : konst(c, T_INT, 0, a->loc);
    int vt = lw_type_of_kind(c, T_VEC);
    c->p->vars.v[tmp].type = vt;
    lw_unify(c, ir_elem_type(c->p, c->p->vars.v[tmp].type), s->a[1]->type,
          a->loc, "a vector element");
    for (int i = 1; i < n; i++) {
      ir_stmt *vs = lw_emit(c, S_VSET, a->loc);
      vs->a[0] = lw_var_expr(c, tmp, a->loc);
      vs->a[1] = konst(c, T_INT, i, a->loc);
      vs->a[2] = elems[i];
      lw_unify(c, ir_elem_type(c->p, c->p->vars.v[tmp].type), elems[i]->type,
            a->loc, "a vector element");
    }
    return lw_retype(c, lw_var_expr(c, tmp, a->loc), T_VEC);
  }
  if (!strcmp(name, "gcd") || !strcmp(name, "lcm")) return lw_gcd_lcm(c, a, f);
  lower_operands(c, a->u.call.args, n < 3 ? n : 3, f, args);
  if (c->failed) return lw_void_expr(c, a->loc);
  if (!strcmp(name, "cons")) return lw_cons(c, args[0], args[1], a->loc);
  if (!strcmp(name, "set-car!") || !strcmp(name, "set-cdr!"))
    return lw_set_part(c, a, name, args);
  if (!strcmp(name, "display") || !strcmp(name, "write")) {
    lw_out_display(c, args[0], name[0] == 'w', a->loc, lw_call_depth(f, a));   /* lower-ports.c */
    return lw_void_expr(c, a->loc);
  }
  if (!strcmp(name, "newline")) {
    lw_out_newline(c, a->loc, lw_call_depth(f, a));
    return lw_void_expr(c, a->loc);
  }
  if (!strcmp(name, "vector-set!")) {
    args[1] = lw_at_place(c, args[1], a->u.call.args[1]->loc);
    ir_expr *v = lw_checked_arg(c, a, name, args, 0, T_VEC);
    ir_expr *i = lw_checked_arg(c, a, name, args, 1, T_INT);
    lw_unify(c, lw_elem_of(c, args[0]->type), args[2]->type, a->loc,
          "the stored value");
    c->p->sets_parts = true;
    ir_stmt *s = lw_emit(c, S_VSET, a->loc);
    s->a[0] = v;
    s->a[1] = i;
    s->a[2] = args[2];
    return lw_void_expr(c, a->loc);
  }
  if (!strcmp(name, "make-vector")) {
    args[0] = lw_at_place(c, args[0], a->u.call.args[0]->loc);
    args[0] = lw_checked_arg(c, a, name, args, 0, T_INT);
    int tmp = lw_new_var(c, -1, VAR_TEMP, a->loc);
    int vt = lw_type_of_kind(c, T_VEC);
    c->p->vars.v[tmp].type = vt;
    ir_stmt *s = lw_emit(c, S_MAKEVEC, a->loc);
    s->var = tmp;
    s->a[0] = args[0];
    s->a[1] = n > 1 ? args[1] : lw_void_expr(c, a->loc);   /* as in Guile */
    lw_unify(c, ir_elem_type(c->p, c->p->vars.v[tmp].type), s->a[1]->type,
          a->loc, "the fill value");
    return lw_retype(c, lw_var_expr(c, tmp, a->loc), T_VEC);
  }
  if (!strcmp(name, "vector-fill!")) {
    /* for i from 0 below (vector-length v): (vector-set! v i x) */
    lw_unify(c, lw_elem_of(c, args[0]->type), args[1]->type, a->loc,
          "the fill value");
    args[0] = lw_checked_arg(c, a, name, args, 0, T_VEC);
    int vec = lw_new_var(c, -1, VAR_TEMP, a->loc), x = lw_new_var(c, -1, VAR_TEMP, a->loc);
    int i = lw_new_var(c, -1, VAR_TEMP, a->loc);
    /* the fill value's own errors come before the vector's kind check,
     * as every operand is evaluated before the evaluator checks them */
    lw_assign(c, x, args[1], a->loc);
    lw_assign(c, vec, args[0], a->loc);
    lw_assign(c, i, konst(c, T_INT, 0, a->loc), a->loc);
    int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
    lw_label(c, head, a->loc);
    ir_expr *len = lw_mk(c, X_VLEN, a->loc, 1);
    len->a[0] = lw_var_expr(c, vec, a->loc);
    len->type = lw_new_type(c, T_INT);
    ir_expr *lt = lw_mk(c, X_PRIM, a->loc, 2);
    lt->op = builtin_find("<");
    lt->a[0] = lw_var_expr(c, i, a->loc);
    lt->a[1] = len;
    lt->type = lw_new_type(c, T_BOOL);
    ir_stmt *br = lw_emit(c, S_BRANCH, a->loc);
    br->a[0] = lt;
    br->l1 = body;
    br->l2 = done;
    lw_label(c, body, a->loc);
    ir_stmt *vs = lw_emit(c, S_VSET, a->loc);
    vs->a[0] = lw_var_expr(c, vec, a->loc);
    vs->a[1] = lw_var_expr(c, i, a->loc);
    vs->a[2] = lw_var_expr(c, x, a->loc);
    ir_expr *inc = lw_mk(c, X_PRIM, a->loc, 2);
    inc->op = builtin_find("+");
    inc->a[0] = lw_var_expr(c, i, a->loc);
    inc->a[1] = konst(c, T_INT, 1, a->loc);
    inc->type = lw_new_type(c, T_INT);
    lw_assign(c, i, inc, a->loc);
    jump(c, head, a->loc);
    lw_label(c, done, a->loc);
    return lw_void_expr(c, a->loc);
  }
  lw_fail(c, a->loc, "internal error: builtin %s has no lowering", name);
  return lw_void_expr(c, a->loc);
}

/* ---- calls ---------------------------------------------------------- */

int lw_lower_global_fn(lw *c, gcell *g, srcloc loc);

/* Inlines a pure procedure: its parameters are bound to the argument
 * expressions, so the body becomes one expression tree. */
ir_expr *lw_inline_call(lw *c, const fn_def *fn, ir_expr **args,
                        frame_map *up, srcloc loc, int edepth, bool check) {
  if (++c->inline_depth > 64) {
    lw_fail(c, loc, "inlining nested too deeply");
    return lw_void_expr(c, loc);
  }
  frame_map *f = lw_new_frame(c, fn, fn->frame_size, up);
  f->edepth = edepth;
  for (int i = 0; i < fn->nparams; i++) f->slots[i].expr = args[i];
  int mark = cur_fn(c)->body.n;
  lw_box_params(c, fn, f, loc);   /* lower-box.c */
  ir_expr *v = lw_lower_value(c, fn->body, f);
  c->inline_depth--;
  /* the main program runs at depth 0 and the limit is at least 1 */
  if (c->fn == c->p->main_fn && edepth <= 1) check = false;
  if (!c->failed && cur_fn(c)->body.n > mark) {
    /* the body emitted statements (a local define, ...): the arguments'
     * errors and the depth check come before them, as in the evaluator */
    ir_expr **pre = arena_alloc(&c->p->mem, (size_t)(fn->nparams + 2) * sizeof *pre);
    int k = 0;
    for (int i = 0; i < fn->nparams; i++)
      if (args[i] && lw_may_fail(c, args[i])) pre[k++] = args[i];
    if (check) pre[k++] = lw_depth_check(c, edepth, loc);
    errors_before(c, mark, pre, k, loc);
    return v;
  }
  if (check && !c->failed) {
    /* the arguments' errors, then the depth, then the body's */
    ir_expr *s = lw_mk(c, X_SEQ, loc, 2);
    s->a[0] = lw_depth_check(c, edepth, loc);
    s->a[1] = v;
    s->type = v->type;
    v = s;
  }
  return force_errors(c, v, args, fn->nparams);
}

/* Arguments of a call, each made safe to evaluate before the call. */
void lw_lower_args(lw *c, const ast *a, frame_map *f, ir_expr **out) {
  lower_operands(c, a->u.call.args, a->u.call.n, f, out);
}

/* Captured variables of a lifted function, as argument expressions. */
void lw_captured_args(lw *c, const lifted *l, frame_map *def_frame,
                          ir_expr **out, srcloc loc) {
  for (int i = 0; i < l->ncap; i++) {
    if (l->cap_slot[i] < 0) {   /* an item of a lambda's closure: as held */
      frame_map *t = lw_frame_up(def_frame, l->cap_depth[i]);
      int item = -1 - l->cap_slot[i];
      if (!t || !t->cap_vars || !t->fn || item >= t->fn->ncaps || t->cap_vars[item] < 0) {
        lw_fail(c, loc, "a local procedure inside a lambda uses a variable the "
                        "lambda captured: not compiled to the transformer yet "
                        "(run with --reference to use the evaluator)");
        return;
      }
      out[i] = lw_var_expr(c, t->cap_vars[item], loc);
      continue;
    }
    slot_binding *s = slot_of(c, def_frame, l->cap_depth[i], l->cap_slot[i], loc);
    if (!s) return;
    if (!s->expr && s->var < 0) {   /* not in this view of the frames */
      lw_fail(c, loc, "a call of local procedure %s from here is not compiled to the "
                      "transformer yet (run with --reference to use the evaluator)",
              lw_nm(c, l->fn->name));
      return;
    }
    out[i] = s->expr ? s->expr : lw_var_expr(c, s->var, loc);
  }
}

ir_expr *lw_call_stmt(lw *c, int irfn, ir_expr **args, int n,
                          srcloc loc) {
  return lw_call_stmt_at(c, irfn, args, n, loc, 1);
}

ir_expr *lw_call_stmt_at(lw *c, int irfn, ir_expr **args, int n, srcloc loc,
                         int depth) {
  ir_fn *fn = &c->p->fns.v[irfn];
  if (fn->nparams != n) {
    lw_fail(c, loc, "procedure %s takes %d arguments, but %d were given",
         lw_nm(c, fn->name), fn->nparams, n);
    return lw_void_expr(c, loc);
  }
  for (int i = 0; i < n; i++)
    lw_unify(c, c->p->vars.v[fn->params[i]].type, args[i]->type, args[i]->loc,
          "this argument");
  int tmp = lw_new_var(c, -1, VAR_TEMP, loc);
  lw_unify(c, c->p->vars.v[tmp].type, fn->ret_type, loc, "the call's value");
  ir_stmt *s = lw_emit(c, S_CALL, loc);
  s->var = tmp;
  s->fn = irfn;
  s->depth = depth;
  s->nargs = n;
  s->args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof(ir_expr *));
  for (int i = 0; i < n; i++) s->args[i] = args[i];
  return lw_var_expr(c, tmp, loc);
}

static bool reads_var(const ir_expr *e, int var) {
  if (e->k == X_VAR) return e->var == var;
  for (int i = 0; i < e->n; i++)
    if (reads_var(e->a[i], var)) return true;
  return false;
}

/* Parallel assignment to loop parameters, sequentialised: a move is done
 * once no pending move still reads its target; a cycle is broken by one
 * temporary.  (fib's a, b := b, a+b takes 3 steps, not 4.) */
void lw_loop_again(lw *c, loop_info *l, ir_expr **args, int n,
                       srcloc loc) {
  ir_expr *val[64];
  bool pending[64];
  if (n > 64) {
    lw_fail(c, loc, "loops with more than 64 variables are not supported");
    return;
  }
  int left = 0;
  for (int i = 0; i < n; i++) {
    val[i] = args[i];
    pending[i] = !(args[i]->k == X_VAR && args[i]->var == l->params[i]);
    left += pending[i];
  }
  while (left > 0 && !c->failed) {
    bool moved = false;
    for (int i = 0; i < n; i++) {
      if (!pending[i]) continue;
      bool blocked = false;
      for (int j = 0; j < n && !blocked; j++)
        blocked = j != i && pending[j] && reads_var(val[j], l->params[i]);
      if (blocked) continue;
      lw_assign(c, l->params[i], val[i], loc);
      pending[i] = false;
      left--;
      moved = true;
    }
    if (moved) continue;
    /* every pending target is still read: park one value */
    for (int i = 0; i < n; i++) {
      if (!pending[i]) continue;
      int t = lw_new_var(c, -1, VAR_TEMP, loc);
      lw_assign(c, t, val[i], loc);
      val[i] = lw_var_expr(c, t, loc);
      /* val[i] no longer reads anything pending; others may now move */
      bool any = false;
      for (int j = 0; j < n; j++) {
        if (!pending[j] || j == i) continue;
        bool blocked = false;
        for (int k = 0; k < n && !blocked; k++)
          blocked = k != j && pending[k] && reads_var(val[k], l->params[j]);
        any |= !blocked;
      }
      if (any || left == 1) break;
    }
  }
  jump(c, l->head, loc);
}

/* ---- let forms ------------------------------------------------------ */

/* Binds a let's variables.  With a pure body, an init is substituted for
 * its variable; one that may fail only when `forced` is given, which
 * receives it (the caller forces its errors), else it gets a variable. */
static void bind_let(lw *c, const ast *a, frame_map *f, bool pure_body,
                     ir_expr **forced) {
  /* Parallel let: every init is evaluated before any binding. */
  ir_expr *vals[256];
  ast *inits[256] = {0};
  int n = a->u.let.n;
  if (n > 256) {
    lw_fail(c, a->loc, "too many bindings in one let");
    return;
  }
  bool any_boxed = false;
  for (int i = 0; i < n; i++) any_boxed |= a->u.let.v[i].boxed;
  if (any_boxed) {
    /* as the evaluator: each value, then its box (lower-box.c) */
    for (int i = 0; i < n && !c->failed; i++) {
      const let_binding *b = &a->u.let.v[i];
      if (forced) forced[i] = NULL;
      if (!b->init) continue;
      ir_expr *v = lw_lower_value(c, b->init, f);
      slot_binding *s = &f->slots[b->slot];
      s->expr = NULL;
      s->boxed = false;
      if (b->boxed) {
        s->var = lw_box_new(c, b->name, v, b->loc);
        s->boxed = true;
        continue;
      }
      s->var = lw_new_var(c, b->name, VAR_LOCAL, b->loc);
      lw_assign(c, s->var, v, b->loc);
      if (lw_assigns_slot(a->u.let.body, 0, b->slot)) c->p->vars.v[s->var].assigned = true;
    }
    return;
  }
  for (int i = 0; i < n; i++) inits[i] = a->u.let.v[i].init;
  lower_operands(c, inits, n, f, vals);
  for (int i = 0; i < n && !c->failed; i++) {
    const let_binding *b = &a->u.let.v[i];
    if (forced) forced[i] = NULL;
    if (!b->init) continue;
    slot_binding *s = &f->slots[b->slot];
    s->boxed = false;
    bool assigned = lw_assigns_slot(a->u.let.body, 0, b->slot);
    bool fails = lw_may_fail(c, vals[i]);
    if (pure_body && !assigned && (!fails || forced)) {
      if (forced) forced[i] = vals[i];
      s->expr = vals[i];
      s->var = -1;
    } else {
      s->expr = NULL;
      s->var = lw_new_var(c, b->name, VAR_LOCAL, b->loc);
      lw_assign(c, s->var, vals[i], b->loc);
      if (assigned) c->p->vars.v[s->var].assigned = true;
    }
  }
}

static void bind_letrec(lw *c, const ast *a, frame_map *f, cont *k) {
  for (int i = 0; i < a->u.let.n && !c->failed; i++) {
    const let_binding *b = &a->u.let.v[i];
    if (b->fn) continue;
    slot_binding *s = &f->slots[b->slot];
    s->expr = NULL;
    s->boxed = false;
    if (b->boxed) {   /* the boxes first, as the evaluator (lower-box.c) */
      s->var = lw_box_new(c, b->name, lw_void_expr(c, b->loc), b->loc);
      s->boxed = true;
      continue;
    }
    s->var = lw_new_var(c, b->name, VAR_LOCAL, b->loc);
    if (lw_assigns_slot(a->u.let.body, 0, b->slot))
      c->p->vars.v[s->var].assigned = true;
  }
  for (int i = 0; i < a->u.let.n && !c->failed; i++) {
    const let_binding *b = &a->u.let.v[i];
    if (b->fn) continue;
    ir_expr *v = lw_lower_value(c, b->init, f);
    if (b->boxed) lw_box_set(c, f->slots[b->slot].var, v, b->loc);
    else lw_assign(c, f->slots[b->slot].var, v, b->loc);
  }
  (void)k;
}

/* ---- expressions ---------------------------------------------------- */

static bool is_pure(lw *c, const ast *a) { return ast_pure(&c->pu, a); }

/* A let that binds a lambda: lowered like letrec (the checker already
 * resolved every name, so only the bindings' order matters). */
static bool binds_procedure(const ast *a) {
  for (int i = 0; i < a->u.let.n; i++)
    if (a->u.let.v[i].fn) return true;
  return false;
}

/* The value of an expression, emitting statements for its side effects. */
ir_expr *lw_lower_value(lw *c, const ast *a, frame_map *f) {
  if (c->failed) return lw_void_expr(c, a->loc);
  switch (a->kind) {
  case E_CONST:
    switch ((vkind)a->u.k.kind) {
    case VK_INT: return konst(c, T_INT, a->u.k.i, a->loc);
    case VK_BOOL: return konst(c, T_BOOL, a->u.k.i, a->loc);
    case VK_SYM: return konst(c, T_SYM, a->u.k.i, a->loc);
    case VK_STR: return konst(c, T_STR, a->u.k.i, a->loc);
    case VK_CHAR:
      c->p->has_chars = true;
      return konst(c, T_CHAR, a->u.k.i, a->loc);
    case VK_NIL: return konst(c, T_NIL, 0, a->loc);
    case VK_PAIR: return lw_quoted(c, a->u.k, a->loc);
    case VK_BIG:   /* --bignum (docs/bignum.md) */
      lw_fail(c, a->loc, "integers past 32 bits are not compiled yet "
                         "(--bignum gives them to the reference evaluator only)");
      return lw_void_expr(c, a->loc);
    default: return lw_void_expr(c, a->loc);
    }
  case E_REF:
    return load(c, a, f);
  case E_SET:
    store(c, a, f, lw_lower_value(c, a->u.set.val, f));
    return lw_void_expr(c, a->loc);
  case E_IF:
    if (is_pure(c, a)) {
      /* both arms are computed and the select's errors gated; an arm
       * whose lowering needs statements (a letrec, a failing statement of
       * an inlined body) would run them unconditionally: then branch */
      int mark = cur_fn(c)->body.n;
      ir_expr *e = lw_mk(c, X_SELECT, a->loc, 3);
      e->a[0] = lw_lower_value(c, a->u.iff.c, f);
      int arms = cur_fn(c)->body.n;
      e->a[1] = lw_lower_value(c, a->u.iff.t, f);
      e->a[2] = lw_lower_value(c, a->u.iff.e, f);
      if (cur_fn(c)->body.n != arms) {
        cur_fn(c)->body.n = mark;
        c->no_select = a;
        break;
      }
      lw_unify(c, e->a[1]->type, e->a[2]->type, a->loc,
            "the value of this if");
      e->type = e->a[1]->type;
      return e;
    }
    /* fall through to control flow */
    break;
  case E_AND:
  case E_OR:
    if (is_pure(c, a)) {
      /* (and x y) = (if x y #f); (or x y) = (if x x y); as for if, only
       * the first operand may need statements */
      int mark = cur_fn(c)->body.n;
      ir_expr *acc = lw_lower_value(c, a->u.seq.v[a->u.seq.n - 1], f);
      bool stmts = cur_fn(c)->body.n != mark;
      for (int i = a->u.seq.n - 2; i >= 0 && !c->failed && !stmts; i--) {
        int before = cur_fn(c)->body.n;
        ir_expr *x = lw_lower_value(c, a->u.seq.v[i], f);
        if (i > 0 && cur_fn(c)->body.n != before) stmts = true;
        ir_expr *e = lw_mk(c, X_SELECT, a->loc, 3);
        e->a[0] = x;
        if (a->kind == E_AND) {
          e->a[1] = acc;
          e->a[2] = konst(c, T_BOOL, 0, a->loc);
        } else {
          e->a[1] = x;
          e->a[2] = acc;
        }
        lw_unify(c, e->a[1]->type, e->a[2]->type, a->loc,
              a->kind == E_AND ? "the value of this and" : "the value of this or");
        e->type = e->a[1]->type;
        acc = e;
      }
      if (!stmts) return acc;
      cur_fn(c)->body.n = mark;
      c->no_select = a;
    }
    break;
  case E_BEGIN:
    for (int i = 0; i + 1 < a->u.seq.n; i++) lw_lower_effect(c, a->u.seq.v[i], f);
    lw_mv_pass(c, a, a->u.seq.v[a->u.seq.n - 1]);
    return lw_lower_value(c, a->u.seq.v[a->u.seq.n - 1], f);
  case E_LET:
    if (binds_procedure(a) && !is_pure(c, a)) break;
  {
    ir_expr *forced[256];
    bind_let(c, a, f, is_pure(c, a->u.let.body), forced);
    if (c->failed) return lw_void_expr(c, a->loc);
    int mark = cur_fn(c)->body.n;
    lw_mv_pass(c, a, a->u.let.body);
    ir_expr *v = lw_lower_value(c, a->u.let.body, f);
    if (c->failed || cur_fn(c)->body.n == mark)
      return force_errors(c, v, forced, a->u.let.n);
    /* the body emitted statements (an inlined local define): the
     * bindings' errors come first, as in the evaluator */
    int k = 0;
    for (int i = 0; i < a->u.let.n; i++)
      if (forced[i] && lw_may_fail(c, forced[i])) forced[k++] = forced[i];
    errors_before(c, mark, forced, k, a->loc);
    return v;
  }
  case E_LETREC:
    if (is_pure(c, a)) {
      bind_letrec(c, a, f, NULL);
      lw_mv_pass(c, a, a->u.let.body);
      return lw_lower_value(c, a->u.let.body, f);
    }
    break;
  case E_CALL: {
    const ref_info *r = &a->u.call.r;
    int sym;
    if (port_symbol_literal(c->w, a, &sym)) return konst(c, T_SYM, sym, a->loc);
    bool loopish = r->kind == REF_LOCALFN && lw_find_loop(f, r->depth, r->fn);
    if (!loopish) return lw_mv_call(c, a, f);   /* lower-values.c */
    break;
  }
  case E_APPLY:
    return lw_mv_call(c, a, f);   /* lower-closure.c, through lower-values.c */
  case E_LAMBDA:
    return lw_lambda_value(c, a, f);
  case E_VECLIT: {
    int n = a->u.seq.n;
    int tmp = lw_new_var(c, -1, VAR_TEMP, a->loc);
    int vt = lw_type_of_kind(c, T_VEC);
    c->p->vars.v[tmp].type = vt;
    ir_expr *first = n ? lw_lower_value(c, a->u.seq.v[0], f) : konst(c, T_INT, 0, a->loc);
    ir_stmt *s = lw_emit(c, S_MAKEVEC, a->loc);
    s->var = tmp;
    s->a[0] = konst(c, T_INT, n, a->loc);
    s->a[1] = first;
    lw_unify(c, ir_elem_type(c->p, c->p->vars.v[tmp].type), first->type, a->loc,
          "a vector element");
    for (int i = 1; i < n; i++) {
      ir_expr *x = lw_lower_value(c, a->u.seq.v[i], f);
      ir_stmt *vs = lw_emit(c, S_VSET, a->loc);
      vs->a[0] = lw_var_expr(c, tmp, a->loc);
      vs->a[1] = konst(c, T_INT, i, a->loc);
      vs->a[2] = x;
      lw_unify(c, ir_elem_type(c->p, c->p->vars.v[tmp].type), x->type, a->loc,
            "a vector element");
    }
    return lw_retype(c, lw_var_expr(c, tmp, a->loc), T_VEC);
  }
  default:
    lw_fail(c, a->loc, "definitions are only allowed at top level");
    return lw_void_expr(c, a->loc);
  }
  /* Control flow: lower in tail position into a temporary. */
  int tmp = lw_new_var(c, -1, VAR_TEMP, a->loc);
  int done = lw_new_label(c);
  cont k = {c->next_cont++, false, tmp, done};
  lw_mv_cont(c, k.id, a);
  lw_lower_tail(c, a, f, k);
  lw_label(c, done, a->loc);
  return lw_var_expr(c, tmp, a->loc);
}

/* An expression whose value is not needed. */
void lw_lower_effect(lw *c, const ast *a, frame_map *f) {
  if (c->failed) return;
  if (a->kind == E_CONST || a->kind == E_REF) return;
  if (a->kind == E_BEGIN) {
    for (int i = 0; i < a->u.seq.n; i++) lw_lower_effect(c, a->u.seq.v[i], f);
    return;
  }
  if (a->kind == E_LET && !binds_procedure(a)) {
    bind_let(c, a, f, false, NULL);
    lw_lower_effect(c, a->u.let.body, f);
    return;
  }
  if (a->kind == E_IF || a->kind == E_LETREC || a->kind == E_LET ||
      (a->kind == E_CALL && a->u.call.r.kind == REF_LOCALFN) ||
      a->kind == E_AND || a->kind == E_OR) {
    /* an if whose value is dropped branches, so that its arms need not
     * agree in kind */
    if (!is_pure(c, a) || a->kind == E_LETREC || a->kind == E_LET || a->kind == E_IF) {
      int done = lw_new_label(c);
      cont k = {c->next_cont++, false, -1, done};
      lw_lower_tail(c, a, f, k);
      lw_label(c, done, a->loc);
      return;
    }
  }
  lw_mv_drop_ctx(c, a);   /* lower-values.c */
  ir_expr *v = lw_lower_value(c, a, f);
  if (v && !trivial(v)) lw_emit(c, S_EVAL, a->loc)->a[0] = v;
}

/* An expression in tail position: its value goes to k. */
void lw_lower_tail(lw *c, const ast *a, frame_map *f, cont k) {
  if (c->failed) return;
  switch (a->kind) {
  case E_IF: {
    if (is_pure(c, a) && a != c->no_select && !(k.var < 0 && !k.ret)) break;
    ir_expr *cond = lw_lower_value(c, a->u.iff.c, f);
    int lt = lw_new_label(c), le = lw_new_label(c);
    ir_stmt *s = lw_emit(c, S_BRANCH, a->loc);
    s->a[0] = cond;
    s->l1 = lt;
    s->l2 = le;
    lw_narrowed nw;
    lw_label(c, lt, a->loc);
    lw_narrow_begin(c, a->u.iff.c, true, a->u.iff.t, f, &nw);
    lw_lower_tail(c, a->u.iff.t, f, k);
    lw_narrow_end(&nw);
    lw_label(c, le, a->loc);
    lw_narrow_begin(c, a->u.iff.c, false, a->u.iff.e, f, &nw);
    lw_lower_tail(c, a->u.iff.e, f, k);
    lw_narrow_end(&nw);
    return;
  }
  case E_AND:
  case E_OR: {
    if (is_pure(c, a) && a != c->no_select) break;
    /* each operand but the last: test it, leave early with its value */
    for (int i = 0; i + 1 < a->u.seq.n && !c->failed; i++) {
      ir_expr *x = lw_lower_value(c, a->u.seq.v[i], f);
      int tmpv = lw_new_var(c, -1, VAR_TEMP, a->loc);
      lw_assign(c, tmpv, x, a->loc);
      int go_on = lw_new_label(c), leave = lw_new_label(c);
      ir_stmt *s = lw_emit(c, S_BRANCH, a->loc);
      s->a[0] = lw_var_expr(c, tmpv, a->loc);
      s->l1 = a->kind == E_AND ? go_on : leave;
      s->l2 = a->kind == E_AND ? leave : go_on;
      lw_label(c, leave, a->loc);
      deliver(c, lw_var_expr(c, tmpv, a->loc), k, a->loc);
      lw_label(c, go_on, a->loc);
    }
    lw_lower_tail(c, a->u.seq.v[a->u.seq.n - 1], f, k);
    return;
  }
  case E_BEGIN:
    for (int i = 0; i + 1 < a->u.seq.n; i++) lw_lower_effect(c, a->u.seq.v[i], f);
    lw_lower_tail(c, a->u.seq.v[a->u.seq.n - 1], f, k);
    return;
  case E_LET:
  case E_LETREC: {
    if (a->kind == E_LET && !binds_procedure(a)) {
      bind_let(c, a, f, false, NULL);
      lw_lower_tail(c, a->u.let.body, f, k);
      return;
    }
    /* a let binding a lambda is lowered as letrec */
    /* loops first (they may be entered from the body), then lifted
     * procedures, then variables */
    for (int i = 0; i < a->u.let.n && !c->failed; i++) {
      const let_binding *b = &a->u.let.v[i];
      if (!b->fn || !lw_contifiable(a, b) || lw_fn_pure(&c->pu, b->fn)) continue;
      loop_info *l = arena_alloc(&c->p->mem, sizeof *l);
      l->fn = b->fn;
      l->k = k;
      l->def = f;
      l->next = f->loops;
      f->loops = l;
    }
    /* stubs first (siblings call each other), then the variables (the
     * bodies use them), then the bodies */
    for (int pass = 0; pass < 2; pass++) {
      if (pass == 1) bind_letrec(c, a, f, &k);
      for (int i = 0; i < a->u.let.n && !c->failed; i++) {
        const let_binding *b = &a->u.let.v[i];
        if (!b->fn || lw_find_loop(f, 0, b->fn) || lw_fn_pure(&c->pu, b->fn)) continue;
        lw_lift_local(c, b, f, pass == 0);
      }
    }
    const ast *body = a->u.let.body;
    if (body->kind == E_CALL && body->u.call.r.kind == REF_LOCALFN &&
        body->u.call.r.depth == 0) {
      loop_info *l = lw_find_loop(f, 0, body->u.call.r.fn);
      if (l) {
        /* enter the loop: its parameters take the initial values */
        const fn_def *fn = l->fn;
        frame_map *lf = lw_new_frame(c, fn, fn->frame_size, f);
        lf->edepth = lw_call_depth(f, body);
        l->params = arena_alloc(&c->p->mem, (size_t)(fn->nparams + 1) * sizeof(int));
        ir_expr *init[64];
        if (fn->nparams > 64) {
          lw_fail(c, fn->loc, "loops with more than 64 variables are not supported");
          return;
        }
        lower_operands(c, body->u.call.args, fn->nparams, f, init);
        for (int i = 0; i < fn->nparams && !c->failed; i++) {
          l->params[i] = lw_new_var(c, fn->params[i], VAR_LOCAL, fn->param_locs[i]);
          lf->slots[i].var = l->params[i];
          if (lw_assigns_slot(fn->body, 0, i)) c->p->vars.v[l->params[i]].assigned = true;
          lw_assign(c, l->params[i], init[i], body->loc);
        }
        if (lf->edepth > f->edepth && !c->failed)
          lw_emit(c, S_EVAL, body->loc)->a[0] = lw_depth_check(c, lf->edepth, body->loc);
        l->head = lw_new_label(c);
        lw_label(c, l->head, fn->loc);
        lw_box_params(c, fn, lf, fn->loc);   /* each iteration's own boxes (lower-box.c) */
        lw_lower_tail(c, fn->body, lf, k);
        return;
      }
    }
    lw_lower_tail(c, body, f, k);
    return;
  }
  case E_CALL: {
    const ref_info *r = &a->u.call.r;
    if (lw_mv_tail(c, a, f, k.ret)) return;   /* lower-values.c */
    if (r->kind == REF_LOCALFN && lw_find_loop(f, r->depth, r->fn)) {
      lw_lower_call(c, a, f, &k);
      return;
    }
    /* a procedure calling itself in tail position loops */
    if (r->kind == REF_GLOBAL && r->cell == c->self_cell && c->self_loop &&
        k.id == c->self_loop->k.id && r->cell->kind == G_FUNC &&
        r->cell->fn->nparams == a->u.call.n && !lw_fn_pure(&c->pu, r->cell->fn)) {
      ir_expr *args[64];
      if (a->u.call.n > 64) break;
      lw_lower_args(c, a, f, args);
      if (!c->failed) lw_loop_again(c, c->self_loop, args, a->u.call.n, a->loc);
      return;
    }
    break;
  }
  default:
    break;
  }
  lw_mv_tail_ctx(c, a, k.ret, k.var < 0 && !k.ret, k.id);   /* lower-values.c */
  ir_expr *v = lw_lower_value(c, a, f);
  if (!c->failed) deliver(c, v, k, a->loc);
}
