/* lower-closure.c - procedures as values in compiled code.
 *
 * A global procedure used as a value (passed, stored, returned) is a
 * value of kind T_PROC: its id, 1 + its index in ir_prog.procs (tagged
 * like the other kinds where a class mixes kinds: TAG_PROC).  Every
 * procedure a program can hold is known when it is compiled (the ones it
 * names, and those the globals it reads hold), so a call through a value
 * is lowered as an S_CALLV placeholder, and when the lowering has seen
 * the whole program it is expanded into a jump on the id (one multiway
 * jump in the model after backend/mopt.c) to an ordinary S_CALL of each
 * procedure: a call through a value then has the frames, tail calls and
 * depth checks of a direct call.  A procedure called with the wrong
 * number of arguments, or a value that is not a procedure, raises the
 * evaluator's error where the call is made, after the arguments.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"

#include <string.h>

/* ---- procedure ids --------------------------------------------------- */

/* The id of global procedure g (registered, and its body lowered, on
 * first use). */
static int proc_id(lw *c, gcell *g, srcloc loc) {
  for (int i = 0; i < c->p->procs.n; i++)
    if (c->p->procs.v[i].cell == g) return i + 1;
  lw_add_dep(c, g);
  int irfn = lw_lower_global_fn(c, g, loc);
  struct ir_proc pr = {g->fn, g, irfn};
  VEC_PUSH(c->p->procs, pr);
  return c->p->procs.n;
}

ir_expr *lw_proc_value(lw *c, gcell *g, srcloc loc) {
  int id = proc_id(c, g, loc);
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = id;
  e->type = lw_new_type(c, T_PROC);
  e->has_nat = true;
  e->nat = T_PROC;
  return e;
}

gcell *ir_proc_cell(world *w, value v) {
  if (v.kind != VK_PROC || !v.vec || !v.vec->fn || v.vec->n != 0) return NULL;
  const fn_def *fn = v.vec->fn;
  if (fn->name < 0 || fn->parent) return NULL;
  gcell *g = world_find(w, fn->name);
  return g && g->kind == G_FUNC && g->fn == fn ? g : NULL;
}

int lw_type_of_proc(lw *c, value v) {
  gcell *g = ir_proc_cell(c->w, v);
  if (!g) {
    srcloc none = {-1, 0, 0};
    lw_fail(c, none, "a global holds a procedure compiled code cannot call");
    return lw_new_type(c, T_ANY);
  }
  proc_id(c, g, g->fn->loc);
  return lw_new_type(c, T_PROC);
}

int ir_proc_id(const ir_prog *p, value v) {
  if (v.kind != VK_PROC || !v.vec) return 0;
  for (int i = 0; i < p->procs.n; i++)
    if (p->procs.v[i].fn == v.vec->fn) return i + 1;
  return 0;
}

/* The evaluator's value of a global procedure: its closure, made once
 * (eval.c self_closure, the same object while it lives). */
value ir_proc_world_value(world *w, const ir_prog *p, int id) {
  if (id < 1 || id > p->procs.n) return v_void();
  gcell *g = p->procs.v[id - 1].cell;
  fn_def *fn = g->fn;
  tvec *t = fn->self;
  if (t && fn->self_id < w->heap.n && w->heap.v[fn->self_id] == t &&
      t->tag == TV_CLOSURE && t->fn == fn && t->n == 0)
    return v_proc(t);
  t = world_new_obj(w, TV_CLOSURE, 0, v_void());
  if (!t) return v_void();
  t->fn = fn;
  t->blk = g->blk;
  world_pin(w, g->blk);
  fn->self = t;
  fn->self_id = t->id;
  return v_proc(t);
}

const char *ir_proc_text(const ir_prog *p, int id, strbuf *out) {
  if (id < 1 || id > p->procs.n) return out->s;
  const fn_def *fn = p->procs.v[id - 1].fn;
  if (fn->name >= 0) sb_printf(out, "#<procedure %s>", sym_name(&p->w->syms, fn->name));
  else sb_puts(out, "#<procedure>");
  return out->s;
}

/* ---- calls through values -------------------------------------------- */

/* A call whose operator is a value: the operator first (into a
 * temporary: the arguments may change the variable), then the
 * arguments, then the placeholder the expansion replaces. */
ir_expr *lw_call_value(lw *c, const ast *a, frame_map *f) {
  int n = a->u.call.n;
  ir_expr *op;
  if (a->kind == E_APPLY) {
    op = lw_lower_value(c, a->u.call.op, f);
  } else {
    ast ref;
    memset(&ref, 0, sizeof ref);
    ref.kind = E_REF;
    ref.loc = a->u.call.name_loc;
    ref.u.ref.name = a->u.call.name;
    ref.u.ref.r = a->u.call.r;
    op = lw_lower_value(c, &ref, f);
  }
  if (c->failed) return lw_void_expr(c, a->loc);
  if (n > 64) {
    lw_fail(c, a->loc, "too many arguments for compiled code");
    return lw_void_expr(c, a->loc);
  }
  int pv = lw_new_var(c, -1, VAR_TEMP, a->loc);
  lw_assign(c, pv, op, a->loc);
  ir_expr *args[64];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, a->loc);
  int tmp = lw_new_var(c, -1, VAR_TEMP, a->loc);
  /* no procedure it may call returns: the unspecified kind */
  VEC_PUSH(c->fail_types, c->p->vars.v[tmp].type);
  ir_stmt *s = lw_emit(c, S_CALLV, a->loc);
  s->var = tmp;
  s->a[0] = lw_var_expr(c, pv, a->u.call.name_loc);
  s->depth = lw_call_depth(f, a);
  s->nargs = n;
  s->args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof(ir_expr *));
  for (int i = 0; i < n; i++) s->args[i] = args[i];
  VEC_PUSH(c->callv_sites, a);
  s->l1 = c->callv_sites.n - 1;
  return lw_var_expr(c, tmp, a->loc);
}

static ir_expr *proc_const(lw *c, int id, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = id;
  e->type = lw_new_type(c, T_PROC);
  e->has_nat = true;
  e->nat = T_PROC;
  return e;
}

static ir_expr *prim2(lw *c, const char *name, ir_expr *x, ir_expr *y, srcloc loc) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, y ? 2 : 1);
  e->op = builtin_find(name);
  e->a[0] = x;
  if (y) e->a[1] = y;
  e->type = lw_new_type(c, T_BOOL);
  e->has_nat = true;
  e->nat = T_BOOL;
  return e;
}

static void branch(lw *c, ir_expr *test, int l1, int l2, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_BRANCH, loc);
  s->a[0] = test;
  s->l1 = l1;
  s->l2 = l2;
}

static void goto_label(lw *c, int l, srcloc loc) { lw_emit(c, S_JUMP, loc)->l1 = l; }

/* An error raised where the call is made, after its arguments' errors. */
static void fail_after_args(lw *c, const ir_stmt *s, ir_expr *fail) {
  ir_stmt *e = lw_emit(c, S_EVAL, s->loc);
  e->a[0] = lw_after_args(c, fail, s->args, s->nargs);
}

/* The dispatch of one call through a value (s, a copy); `ret`: the call
 * is in tail position (s is followed by `return var`). */
static void expand_site(lw *c, const ir_stmt *s, bool ret) {
  const ast *a = c->callv_sites.v[s->l1];
  ir_expr *op = s->a[0];
  srcloc loc = s->loc;
  int end = lw_new_label(c);
  tkind k = ir_kind(c->p, op->type);
  int nprocs = c->p->procs.n;
  if ((k != T_PROC || nprocs == 0) && a->kind == E_APPLY) {
    /* the evaluator's message prints the value: not compiled yet */
    lw_fail(c, loc, "calls of values that may not be procedures are not "
                    "compiled to the transformer yet (run with --reference to "
                    "use the evaluator)");
    return;
  }
  if (k != T_PROC || nprocs == 0) {
    /* not (always) a procedure: the evaluator's error, after the args */
    int ok = lw_new_label(c), bad = lw_new_label(c);
    if (k == T_DYN && nprocs > 0) branch(c, prim2(c, "procedure?", op, NULL, loc), ok, bad, loc);
    else goto_label(c, bad, loc);
    lw_label(c, bad, loc);
    ir_expr *fail;
    if (a->kind == E_CALL)
      fail = lw_fail_expr(c, a->u.call.name_loc, "type", "%s is a variable, not a procedure",
                          lw_nm(c, a->u.call.name));
    else
      fail = lw_fail_expr(c, loc, "type", "the operator of this call is not a procedure");
    fail_after_args(c, s, fail);
    goto_label(c, end, loc);
    lw_label(c, ok, loc);
    if (k != T_DYN || nprocs == 0) {
      lw_label(c, end, loc);
      if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
      return;
    }
  }
  int *lab = arena_alloc(&c->p->mem, (size_t)nprocs * sizeof(int));
  for (int i = 0; i < nprocs; i++) lab[i] = lw_new_label(c);
  for (int i = 0; i + 1 < nprocs; i++) {
    int next = lw_new_label(c);
    branch(c, prim2(c, "eqv?", op, proc_const(c, i + 1, loc), loc), lab[i], next, loc);
    lw_label(c, next, loc);
  }
  goto_label(c, lab[nprocs - 1], loc);
  for (int i = 0; i < nprocs; i++) {
    const struct ir_proc *pr = &c->p->procs.v[i];
    lw_label(c, lab[i], loc);
    int want = pr->fn->nparams, n = s->nargs;
    if (want != n) {
      fail_after_args(c, s, lw_fail_expr(c, loc, "arity",
                      "procedure %s takes %d argument%s, but %d %s given",
                      lw_nm(c, pr->fn->name), want, want == 1 ? "" : "s",
                      n, n == 1 ? "was" : "were"));
      goto_label(c, end, loc);
      continue;
    }
    ir_stmt *call = lw_emit(c, S_CALL, loc);
    call->var = s->var;
    call->fn = pr->irfn;
    call->depth = s->depth;
    call->nargs = n;
    call->args = s->args;
    if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
    else goto_label(c, end, loc);
  }
  lw_label(c, end, loc);
  if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
}

/* Arguments meet the parameters of every procedure the call may reach,
 * its value their values: before any site is expanded, so that a
 * procedure's parameter holds the procedures other sites pass. */
static void unify_sites(lw *c) {
  for (bool again = true; again && !c->failed;) {
    again = false;
    int nt = c->p->types.n;
    for (int f = 0; f < c->p->fns.n; f++) {
      const ir_fn *F = &c->p->fns.v[f];
      for (int i = 0; i < F->body.n; i++) {
        const ir_stmt *s = &F->body.v[i];
        if (s->k != S_CALLV) continue;
        for (int k = 0; k < c->p->procs.n; k++) {
          const struct ir_proc *pr = &c->p->procs.v[k];
          if (pr->fn->nparams != s->nargs) continue;
          const ir_fn *G = &c->p->fns.v[pr->irfn];
          for (int j = 0; j < s->nargs; j++)
            lw_unify(c, c->p->vars.v[G->params[j]].type, s->args[j]->type,
                     s->args[j]->loc, "this argument");
          lw_unify(c, c->p->vars.v[s->var].type, G->ret_type, s->loc, "the call's value");
        }
      }
    }
    again = c->p->types.n != nt;
  }
}

void lw_expand_callv(lw *c) {
  if (!c->callv_sites.n) return;
  unify_sites(c);
  int save = c->fn;
  for (int f = 0; f < c->p->fns.n && !c->failed; f++) {
    ir_fn *F = &c->p->fns.v[f];
    bool has = false;
    for (int i = 0; i < F->body.n; i++) has |= F->body.v[i].k == S_CALLV;
    if (!has) continue;
    /* the body is rebuilt: statements are copied, placeholders expanded */
    ir_stmt *old = F->body.v;
    int n = F->body.n;
    F->body.v = NULL;
    F->body.n = F->body.cap = 0;
    c->fn = f;
    for (int i = 0; i < n; i++) {
      const ir_stmt *s = &old[i];
      if (s->k != S_CALLV) {
        VEC_PUSH(c->p->fns.v[f].body, *s);
        continue;
      }
      bool ret = i + 1 < n && old[i + 1].k == S_RETURN && old[i + 1].a[0]->k == X_VAR &&
                 old[i + 1].a[0]->var == s->var && !c->p->fns.v[f].is_main;
      ir_stmt copy = *s;
      expand_site(c, &copy, ret);
      if (ret) i++;
    }
    free(old);
    F = &c->p->fns.v[f];
  }
  c->fn = save;
}
