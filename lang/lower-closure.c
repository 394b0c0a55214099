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
#include "lower-build.h"
#include "lower-ports.h"

#include <string.h>

/* ---- procedure ids --------------------------------------------------- */

/* At most 64 procedures: a class's set of them is one word. */
#define MAX_PROCS 64

/* A new class of procedure values that are procedure id. */
static int proc_type(lw *c, int id) {
  int t = lw_new_type(c, T_PROC);
  if (id >= 1 && id <= MAX_PROCS) c->p->types.v[t].procs = (uint64_t)1 << (id - 1);
  return t;
}

static bool too_many(lw *c, srcloc loc) {
  if (c->p->procs.n < MAX_PROCS) return false;
  lw_fail(c, loc, "more than %d procedures used as values are not compiled to the "
                  "transformer yet (run with --reference to use the evaluator)", MAX_PROCS);
  return true;
}

/* The id of global procedure g (registered, and its body lowered, on
 * first use). */
static int proc_id(lw *c, gcell *g, srcloc loc) {
  for (int i = 0; i < c->p->procs.n; i++)
    if (c->p->procs.v[i].cell == g) return i + 1;
  lw_add_dep(c, g);
  if (too_many(c, loc)) return 1;
  int irfn = lw_lower_global_fn(c, g, loc);
  struct ir_proc pr = {g->fn, g, irfn, 0, NULL, 0, false, 0, 0, 0, NULL};
  VEC_PUSH(c->p->procs, pr);
  return c->p->procs.n;
}

/* Builtins compiled code calls through a value: every one it calls
 * directly (lower-bval.c), but values and call-with-values. */
bool lw_builtin_value_ok(const builtin *b) {
  return lw_bval_ok(b);   /* lower-bval.c: the others through their direct calls */
}

static int builtin_id(lw *c, const builtin *b, srcloc loc) {
  for (int i = 0; i < c->p->procs.n; i++)
    if (c->p->procs.v[i].bi == b) return i + 1;
  if (too_many(c, loc)) return 1;
  struct ir_proc pr = {NULL, NULL, -1, 0, b, 0, false, 0, 0, 0, NULL};
  VEC_PUSH(c->p->procs, pr);
  return c->p->procs.n;
}

ir_expr *lw_builtin_value(lw *c, const builtin *b, srcloc loc) {
  /* values only where the checker lets it be (lower-values.c) */
  if (!lw_builtin_value_ok(b) && strcmp(b->name, "values")) {
    lw_fail(c, loc, "the builtin %s as a value is not compiled to the transformer yet "
                    "(run with --reference to use the evaluator)", b->name);
    return lw_void_expr(c, loc);
  }
  int id = builtin_id(c, b, loc);
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = id;
  e->type = proc_type(c, id);
  e->has_nat = true;
  e->nat = T_PROC;
  return e;
}

ir_expr *lw_proc_value(lw *c, gcell *g, srcloc loc) {
  int id = proc_id(c, g, loc);
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = id;
  e->type = proc_type(c, id);
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

static int lambda_id(lw *c, const fn_def *fn);

int lw_type_of_proc(lw *c, value v) {
  if (v.vec && v.vec->tag == TV_CONT) return lw_callcc_held(c, v.vec);   /* lower-callcc.c */
  if (!v.vec) {   /* a builtin */
    const builtin *b = builtin_at((int)v.i);
    srcloc none = {-1, 0, 0};
    if (b && lw_builtin_value_ok(b)) return proc_type(c, builtin_id(c, b, none));
    lw_fail(c, none, "a global holds a builtin compiled code cannot call");
    return lw_new_type(c, T_ANY);
  }
  gcell *g = ir_proc_cell(c->w, v);
  if (!g && v.vec && v.vec->fn && v.vec->fn->closure &&
      v.vec->n == v.vec->fn->ncaps) {
    /* a lambda's closure: its captured values, as its parameters */
    const fn_def *fn = v.vec->fn;
    int id = lambda_id(c, fn);
    /* a closure that holds itself (a local procedure returned, which
     * captures its own name): typed once */
    static _Thread_local const tvec *open[16];
    static _Thread_local int nopen;
    for (int q = 0; q < nopen; q++)
      if (open[q] == v.vec) return proc_type(c, id);
    if (nopen >= 16) {
      lw_fail(c, fn->loc, "closures nested too deeply in a global's value");
      return proc_type(c, id);
    }
    open[nopen++] = v.vec;
    for (int j = 0; j < fn->ncaps && j < 64; j++)   /* lower-box.c */
      if (v.vec->items[j].kind == VK_BOX) c->p->procs.v[id - 1].cap_boxed |= (uint64_t)1 << j;
    const ir_fn *G = &c->p->fns.v[c->p->procs.v[id - 1].irfn];
    srcloc none = {-1, 0, 0};
    for (int j = 0; j < fn->ncaps && !c->failed; j++) {
      int t = lw_type_of_value(c, v.vec->items[j], 1);
      G = &c->p->fns.v[c->p->procs.v[id - 1].irfn];
      lw_unify(c, c->p->vars.v[G->params[fn->nparams + j]].type, t, none,
               "a captured value");
    }
    nopen--;
    return proc_type(c, id);
  }
  if (!g) {
    srcloc none = {-1, 0, 0};
    lw_fail(c, none, "a global holds a procedure compiled code cannot call");
    return lw_new_type(c, T_ANY);
  }
  return proc_type(c, proc_id(c, g, g->fn->loc));
}

int ir_proc_id(const ir_prog *p, value v) {
  if (v.kind != VK_PROC) return 0;
  if (v.vec && v.vec->tag == TV_CONT) {   /* lower-callcc.c */
    for (int i = 0; i < p->procs.n; i++)
      if (p->procs.v[i].cc && p->procs.v[i].cc_obj == v.vec) return i + 1;
    return 0;
  }
  for (int i = 0; i < p->procs.n; i++)
    if (!p->procs.v[i].cc &&
        (v.vec ? p->procs.v[i].fn == v.vec->fn
               : p->procs.v[i].bi && builtin_index(p->procs.v[i].bi) == v.i))
      return i + 1;
  return 0;
}

/* The definition whose code holds fn: the global procedure it is in, or
 * the top-level form compiled code runs (world.form_blk). */
static defblock *owner_blk(world *w, const fn_def *fn) {
  const fn_def *t = fn;
  while (t->parent) t = t->parent;
  gcell *g = t->name >= 0 ? world_find(w, t->name) : NULL;
  if (g && g->kind == G_FUNC && g->fn == t) return g->blk;
  return w->form_blk;
}

/* The evaluator's value of a procedure without captured values: its
 * closure, made once (eval.c self_closure, the same object while it
 * lives). */
value ir_proc_world_value(world *w, const ir_prog *p, int id) {
  if (id < 1 || id > p->procs.n) return v_void();
  if (p->procs.v[id - 1].cc)   /* lower-callcc.c: a continuation held by a global */
    return p->procs.v[id - 1].cc_obj ? v_proc(p->procs.v[id - 1].cc_obj) : v_void();
  if (p->procs.v[id - 1].bi) {   /* the evaluator's builtin value */
    value b = {VK_PROC, builtin_index(p->procs.v[id - 1].bi), NULL};
    return b;
  }
  fn_def *fn = (fn_def *)p->procs.v[id - 1].fn;
  defblock *blk = p->procs.v[id - 1].cell ? p->procs.v[id - 1].cell->blk : owner_blk(w, fn);
  tvec *t = fn->self;
  if (t && fn->self_id < w->heap.n && w->heap.v[fn->self_id] == t &&
      t->tag == TV_CLOSURE && t->fn == fn && t->n == 0)
    return v_proc(t);
  if (!blk) return v_void();
  t = world_new_obj(w, TV_CLOSURE, 0, v_void());
  if (!t) return v_void();
  t->fn = fn;
  t->blk = blk;
  world_pin(w, blk);
  fn->self = t;
  fn->self_id = t->id;
  return v_proc(t);
}

tvec *ir_closure_new(world *w, const ir_prog *p, int id, int n) {
  if (id >= 1 && id <= p->procs.n && p->procs.v[id - 1].cc && n == 0)
    return world_new_obj(w, TV_CONT, 0, v_void());   /* lower-callcc.c: dead now */
  if (id < 1 || id > p->procs.n || p->procs.v[id - 1].ncaps != n || !p->procs.v[id - 1].fn)
    return NULL;
  const fn_def *fn = p->procs.v[id - 1].fn;
  defblock *blk = owner_blk(w, fn);
  if (!blk) return NULL;
  tvec *t = world_new_obj(w, TV_CLOSURE, n, v_void());
  if (!t) return NULL;
  t->fn = fn;
  t->blk = blk;
  world_pin(w, blk);
  return t;
}

int ir_closure_cap_type(const ir_prog *p, int id, int j) {
  if (id < 1 || id > p->procs.n) return -1;
  const struct ir_proc *pr = &p->procs.v[id - 1];
  if (j < 0 || j >= pr->ncaps || !pr->fn) return -1;
  return p->vars.v[p->fns.v[pr->irfn].params[pr->fn->nparams + j]].type;
}

const char *ir_proc_text(const ir_prog *p, int id, strbuf *out) {
  if (id < 1 || id > p->procs.n) return out->s;
  if (p->procs.v[id - 1].cc) {   /* as world.c prints a continuation */
    sb_puts(out, "#<continuation>");
    return out->s;
  }
  proc_text(&p->w->syms, &p->w->src, p->procs.v[id - 1].bi, p->procs.v[id - 1].fn, out);   /* proctext.c */
  return out->s;
}

/* ---- lambda values ---------------------------------------------------- */

static ir_expr *proc_const(lw *c, int id, srcloc loc);

/* The id of lambda fn: an IR function whose parameters are the lambda's,
 * then its captured values; its body is lowered later (lw_lower_lambdas). */
static int lambda_id(lw *c, const fn_def *fn) {
  for (int i = 0; i < c->p->procs.n; i++)
    if (c->p->procs.v[i].fn == fn) return i + 1;
  if (too_many(c, fn->loc)) return 1;
  ir_fn nf;
  memset(&nf, 0, sizeof nf);
  nf.name = fn->name >= 0 ? fn->name : sym_intern(&c->w->syms, "lambda", 6);
  nf.loc = fn->loc;
  nf.ret_type = lw_new_type(c, T_ANY);
  nf.nparams = fn->nparams + fn->ncaps;
  nf.params = arena_alloc(&c->p->mem, (size_t)(nf.nparams + 1) * sizeof(int));
  VEC_PUSH(c->p->fns, nf);
  int irfn = c->p->fns.n - 1;
  int save = c->fn;
  c->fn = irfn;
  for (int i = 0; i < nf.nparams; i++) {
    bool own = i < fn->nparams;
    int v = lw_new_var(c, own ? fn->params[i] : fn->cap_names[i - fn->nparams], VAR_LOCAL,
                       own ? fn->param_locs[i] : fn->loc);
    if (own && lw_assigns_slot(fn->body, 0, i)) c->p->vars.v[v].assigned = true;
    c->p->fns.v[irfn].params[i] = v;
  }
  c->fn = save;
  struct ir_proc pr = {fn, NULL, irfn, fn->ncaps, NULL, 0, false, 0, 0, 0, NULL};
  VEC_PUSH(c->p->procs, pr);
  if (fn->ncaps) c->p->has_closures = true;
  VEC_PUSH(c->lam_pending, c->p->procs.n - 1);
  return c->p->procs.n;
}

ir_expr *lw_lambda_value(lw *c, const ast *a, frame_map *f) {
  const fn_def *fn = a->u.lam.fn;
  if (fn->ncaps > 60) {
    lw_fail(c, a->loc, "lambdas capturing more than 60 variables are not compiled to "
                       "the transformer yet (run with --reference to use the evaluator)");
    return lw_void_expr(c, a->loc);
  }
  int id = lambda_id(c, fn);
  if (!fn->ncaps) return proc_const(c, id, a->loc);
  /* the captured values, where the lambda is evaluated */
  ir_expr *caps[64];
  for (int i = 0; i < fn->ncaps && !c->failed; i++) {
    ast ref;
    memset(&ref, 0, sizeof ref);
    ref.kind = E_REF;
    ref.loc = a->loc;
    ref.u.ref.name = fn->cap_names[i];
    ref.u.ref.r = fn->cap_src[i];
    bool boxed;   /* a variable assigned after capture: its box (lower-box.c) */
    caps[i] = lw_captured_raw(c, &ref, f, &boxed);
    if (boxed) c->p->procs.v[id - 1].cap_boxed |= (uint64_t)1 << i;
  }
  if (c->failed) return lw_void_expr(c, a->loc);
  const ir_fn *G = &c->p->fns.v[c->p->procs.v[id - 1].irfn];
  for (int i = 0; i < fn->ncaps; i++)
    lw_unify(c, c->p->vars.v[G->params[fn->nparams + i]].type, caps[i]->type, a->loc,
             "a captured variable");
  int tmp = lw_new_var(c, -1, VAR_TEMP, a->loc);
  lw_unify(c, c->p->vars.v[tmp].type, proc_type(c, id), a->loc, "a closure");
  ir_stmt *s = lw_emit(c, S_CLOSURE, a->loc);
  s->var = tmp;
  s->l1 = id;
  s->nargs = fn->ncaps;
  s->args = arena_alloc(&c->p->mem, (size_t)(fn->ncaps + 1) * sizeof(ir_expr *));
  for (int i = 0; i < fn->ncaps; i++) s->args[i] = caps[i];
  return lw_retype(c, lw_var_expr(c, tmp, a->loc), T_PROC);
}

/* A captured variable, inside the lambda: its parameter. */
ir_expr *lw_captured_load(lw *c, const ast *a, frame_map *f) {
  const ref_info *r = &a->u.ref.r;
  frame_map *t = lw_frame_up(f, r->depth);
  if (!t || !t->cap_vars || !t->fn || r->slot >= t->fn->ncaps || t->cap_vars[r->slot] < 0) {
    lw_fail(c, a->loc, "a local procedure inside a lambda uses a variable the "
                       "lambda captured: not compiled to the transformer yet "
                       "(run with --reference to use the evaluator)");
    return lw_void_expr(c, a->loc);
  }
  if (lw_cap_boxed(c, t->fn, r->slot)) return lw_box_get(c, t->cap_vars[r->slot], a->loc);
  return lw_var_expr(c, t->cap_vars[r->slot], a->loc);
}

bool lw_lower_lambdas(lw *c) {
  bool any = false;
  while (c->lam_pending.n && !c->failed) {
    int k = c->lam_pending.v[--c->lam_pending.n];
    const fn_def *fn = c->p->procs.v[k].fn;
    int irfn = c->p->procs.v[k].irfn;
    any = true;
    int save = c->fn;
    bool save_lifted = c->in_lifted;
    gcell *save_cell = c->self_cell;
    loop_info *save_loop = c->self_loop;
    c->fn = irfn;
    c->in_lifted = true;   /* its locals: never shared with lifted procedures */
    c->self_cell = NULL;
    c->self_loop = NULL;
    int *params = c->p->fns.v[irfn].params;
    frame_map *f = lw_new_frame(c, fn, fn->frame_size, NULL);
    for (int i = 0; i < fn->nparams; i++) f->slots[i].var = params[i];
    f->cap_vars = params + fn->nparams;
    lw_box_params(c, fn, f, fn->loc);
    cont k2 = {c->next_cont++, true, -1, -1};
    lw_lower_tail(c, fn->body, f, k2);
    c->fn = save;
    c->in_lifted = save_lifted;
    c->self_cell = save_cell;
    c->self_loop = save_loop;
  }
  return any;
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
  return lw_callv(c, a, lw_var_expr(c, pv, a->u.call.name_loc), args, n,
                  lw_call_depth(f, a));
}

ir_expr *lw_callv(lw *c, const ast *site, ir_expr *op, ir_expr **args, int n, int depth) {
  int tmp = lw_new_var(c, -1, VAR_TEMP, site->loc);
  /* no procedure it may call returns: the unspecified kind */
  VEC_PUSH(c->fail_types, c->p->vars.v[tmp].type);
  ir_stmt *s = lw_emit(c, S_CALLV, site->loc);
  s->var = tmp;
  s->a[0] = op;
  s->depth = depth;
  s->nargs = n;
  s->args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof(ir_expr *));
  for (int i = 0; i < n; i++) s->args[i] = args[i];
  VEC_PUSH(c->callv_sites, site);
  s->l1 = c->callv_sites.n - 1;
  return lw_var_expr(c, tmp, site->loc);
}

static ir_expr *proc_const(lw *c, int id, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = id;
  e->type = proc_type(c, id);
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

static void goto_label(lw *c, int l, srcloc loc) { lw_emit(c, S_JUMP, loc)->l1 = l; }

/* An error raised where the call is made, after its arguments' errors. */
static void fail_after_args(lw *c, const ir_stmt *s, ir_expr *fail) {
  ir_stmt *e = lw_emit(c, S_EVAL, s->loc);
  e->a[0] = lw_after_args(c, fail, s->args, s->nargs);
}

/* The procedures a call through op may reach: those of op's class. */
static int candidates(lw *c, const ir_expr *op, int *out) {
  uint64_t set = ir_proc_set(c->p, op->type);
  int n = 0;
  for (int i = 0; i < c->p->procs.n && i < MAX_PROCS; i++)
    if (set >> i & 1) out[n++] = i;
  return n;
}

static void call_builtin(lw *c, const ir_stmt *s, const ast *a, const builtin *b);

/* The dispatch of one call through a value (s, a copy); `ret`: the call
 * is in tail position (s is followed by `return var`). */
static void expand_site(lw *c, const ir_stmt *s, bool ret) {
  const ast *a = c->callv_sites.v[s->l1];
  ir_expr *op = s->a[0];
  srcloc loc = s->loc;
  int end = lw_new_label(c);
  tkind k = ir_kind(c->p, op->type);
  int cand[MAX_PROCS];
  int nc = candidates(c, op, cand);
  if (k != T_PROC || nc == 0) {
    /* not (always) a procedure: the evaluator's error, after the args */
    int ok = lw_new_label(c), bad = lw_new_label(c);
    if (k == T_DYN && nc > 0) branch(c, prim2(c, "procedure?", op, NULL, loc), ok, bad, loc);
    else goto_label(c, bad, loc);
    lw_label(c, bad, loc);
    if (a->kind == E_APPLY) {   /* the value, written (lower-apply.c) */
      lw_not_procedure(c, s, op, end);
    } else {
      ir_expr *fail;
      if (a->kind == E_CALL)
        fail = lw_fail_expr(c, a->u.call.name_loc, "type", "%s is a variable, not a procedure",
                            lw_nm(c, a->u.call.name));
      else
        fail = lw_fail_expr(c, loc, "type", "the operator of this call is not a procedure");
      fail_after_args(c, s, fail);
      goto_label(c, end, loc);
    }
    lw_label(c, ok, loc);
    if (nc == 0) {
      lw_label(c, end, loc);
      if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
      return;
    }
  }
  int lab[MAX_PROCS] = {0};
  for (int i = 0; i < nc; i++) lab[i] = lw_new_label(c);
  /* with closures, a value is an id or a closure's address: its id */
  ir_expr *idx = NULL;
  if (c->p->has_closures) {
    idx = lw_mk(c, X_PROCID, loc, 1);
    idx->a[0] = op;
    idx->ival = -1;
    idx->type = lw_new_type(c, T_INT);
    idx->has_nat = true;
    idx->nat = T_INT;
  }
  for (int i = 0; i + 1 < nc; i++) {
    int next = lw_new_label(c);
    ir_expr *test;
    if (idx) {
      ir_expr *kc = lw_mk(c, X_CONST, loc, 0);
      kc->ival = cand[i] + 1;
      kc->type = lw_new_type(c, T_INT);
      kc->has_nat = true;
      kc->nat = T_INT;
      test = prim2(c, "=", idx, kc, loc);
    } else {
      test = prim2(c, "eqv?", op, proc_const(c, cand[i] + 1, loc), loc);
    }
    branch(c, test, lab[i], next, loc);
    lw_label(c, next, loc);
  }
  goto_label(c, lab[nc - 1], loc);
  for (int i = 0; i < nc; i++) {
    const struct ir_proc *pr = &c->p->procs.v[cand[i]];
    lw_label(c, lab[i], loc);
    if (pr->cc) {   /* a continuation: an escape (lower-callcc.c) */
      lw_callcc_escape(c, s, pr, op, ret, end);
      continue;
    }
    if (s->write) {   /* apply: the arguments' number is the list's (lower-apply.c) */
      lw_apply_expand(c, s, a, pr, op, ret, end);
      continue;
    }
    if (pr->bi) {
      call_builtin(c, s, a, pr->bi);
      if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
      else goto_label(c, end, loc);
      continue;
    }
    int want = pr->fn->nparams, n = s->nargs;
    ir_expr **args = s->args;
    if (pr->fn->variadic && lw_arity_ok(pr->fn, n)) {   /* lower-rest.c */
      args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof(ir_expr *));
      for (int j = 0; j < n; j++) args[j] = s->args[j];
      n = lw_pack_rest(c, pr->fn, args, n, loc);
      const ir_fn *G = &c->p->fns.v[pr->irfn];
      lw_unify(c, c->p->vars.v[G->params[n - 1]].type, args[n - 1]->type, loc,
               "the rest parameter");
    } else if (pr->fn->variadic) {
      fail_after_args(c, s, lw_arity_fail(c, pr->fn, n, loc));
      goto_label(c, end, loc);
      continue;
    }
    if (want != n) {
      bool named = pr->fn->name >= 0;
      fail_after_args(c, s, lw_fail_expr(c, loc, "arity",
                      "%s%s takes %d argument%s, but %d %s given",
                      named ? "procedure " : "", named ? lw_nm(c, pr->fn->name) : "this lambda",
                      want, want == 1 ? "" : "s", n, n == 1 ? "was" : "were"));
      goto_label(c, end, loc);
      continue;
    }
    lw_callv_proc(c, s, pr, op, args, n, ret, end);
  }
  lw_label(c, end, loc);
  if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
}

/* The call of procedure pr (args, its own parameters) for the call
 * through value op (s), then the return or the jump to end. */
void lw_callv_proc(lw *c, const ir_stmt *s, const struct ir_proc *pr, ir_expr *op,
                   ir_expr **args, int n, bool ret, int end) {
  srcloc loc = s->loc;
  {
    if (pr->ncaps) {   /* the captured values, from the closure */
      const ir_fn *G = &c->p->fns.v[pr->irfn];
      ir_expr **own = args;
      args = arena_alloc(&c->p->mem, (size_t)(n + pr->ncaps + 1) * sizeof(ir_expr *));
      for (int j = 0; j < n; j++) args[j] = own[j];
      for (int j = 0; j < pr->ncaps; j++) {
        ir_expr *x = lw_mk(c, X_PROCID, loc, 1);
        x->a[0] = op;
        x->ival = j;
        x->type = c->p->vars.v[G->params[n + j]].type;
        args[n + j] = x;
      }
    }
    ir_stmt *call = lw_emit(c, S_CALL, loc);
    call->var = s->var;
    call->fn = pr->irfn;
    call->depth = s->depth;
    call->nargs = n + pr->ncaps;
    call->args = args;
    if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
    else goto_label(c, end, loc);
  }
}

void lw_callv_builtin(lw *c, const ir_stmt *s, const ast *a, const builtin *b) {
  call_builtin(c, s, a, b);
}

/* A builtin called through a value by s (site a): the evaluator's arity
 * error, or its call lowered from the arguments' values.  Its errors are
 * at the site's arguments (a call through a variable) or at the call of
 * map and the others (lower-hof.c), where the evaluator's site has no
 * arguments. */
static void call_builtin(lw *c, const ir_stmt *s, const ast *a, const builtin *b) {
  srcloc loc = s->loc;
  int n = s->nargs;
  if (n < b->min_args || (b->max_args >= 0 && n > b->max_args)) {
    char want[40];
    snprintf(want, sizeof want, "%s%d", b->min_args != b->max_args && b->max_args < 0
                                            ? "at least " : "", b->min_args);
    fail_after_args(c, s, lw_fail_expr(c, loc, "arity",
                    "builtin %s takes %s argument%s, but %d %s given", b->name, want,
                    b->min_args == 1 ? "" : "s", n, n == 1 ? "was" : "were"));
    return;
  }
  bool hof = a->kind == E_CALL && a->u.call.r.kind == REF_BUILTIN;
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
    if (!hof && i < a->u.call.n) {
      site->u.call.args[i] = a->u.call.args[i];
      continue;
    }
    ast *x = arena_alloc(&c->p->mem, sizeof *x);
    memset(x, 0, sizeof *x);
    x->kind = E_CONST;
    x->loc = loc;
    x->u.k = v_void();
    site->u.call.args[i] = x;
  }
  ir_expr *args[64];
  for (int i = 0; i < n; i++) args[i] = s->args[i];
  ir_expr *r;
  if (!strcmp(b->name, "cons")) {
    r = lw_cons(c, args[0], args[1], loc);
  } else if (!strcmp(b->name, "list")) {   /* as lower-lists.c lw_list */
    if (n > 1) args[n - 1] = lw_after_args(c, args[n - 1], args, n - 1);
    r = lw_mk(c, X_CONST, loc, 0);
    r->type = lw_new_type(c, T_NIL);
    r->has_nat = true;
    r->nat = T_NIL;
    for (int i = n - 1; i >= 0 && !c->failed; i--) r = lw_cons(c, args[i], r, loc);
  } else if (lw_listlib_value_ok(b)) {   /* lower-listlib2.c */
    r = lw_listlib_value_call(c, site, b, args, n);
  } else if (!strcmp(b->name, "display") || !strcmp(b->name, "write")) {
    if (n > 1) {
      /* a refusal where the call is reached (often never: an empty vector) */
      r = lw_fail_expr(c, loc, "compile", "%s to a port is not compiled to the "
                       "transformer yet (run with --reference to use the evaluator)",
                       b->name);
    } else {
      lw_out_display(c, args[0], b->name[0] == 'w', loc, s->depth);   /* lower-ports.c */
      r = lw_void_expr(c, loc);
    }
  } else if (!strcmp(b->name, "values")) {   /* lower-values.c */
    r = lw_values_call(c, args, n, loc);
  } else if (!strcmp(b->name, "newline")) {
    if (n > 0) {   /* as display above */
      r = lw_fail_expr(c, loc, "compile", "newline to a port is not compiled to the "
                       "transformer yet (run with --reference to use the evaluator)");
    } else {
      lw_out_newline(c, loc, s->depth);
      r = lw_void_expr(c, loc);
    }
  } else if (!lw_prim_pure(b)) {   /* lower-bval.c: as its direct call */
    r = lw_bval_call(c, a, site, b, args, n, s->depth);
  } else {
    if (n == 2 && (!strcmp(b->name, "vector-ref") || !strcmp(b->name, "expt")))
      args[1] = lw_at_place(c, args[1], site->u.call.args[1]->loc);
    r = lw_pairwise(c, site, b, args, n);   /* lower-pairwise.c */
    if (!r) r = lw_prim(c, site, b, args, n);
  }
  if (c->failed) return;
  lw_assign(c, s->var, r, loc);
}

/* Arguments meet the parameters of every procedure the call may reach,
 * its value their values; a procedure passed that way may reach more
 * calls: until nothing changes. */
static void unify_sites(lw *c) {
  int ns = c->callv_sites.n;
  uint64_t *done = xcalloc((size_t)ns + 1, sizeof(uint64_t));
  for (bool again = true; again && !c->failed;) {
    again = lw_proc_flow(c);   /* checked operands' classes (lower-kinds.c) */
    for (int f = 0; f < c->p->fns.n; f++) {
      for (int i = 0; i < c->p->fns.v[f].body.n; i++) {
        const ir_stmt *s = &c->p->fns.v[f].body.v[i];
        if (s->k != S_CALLV) continue;
        int cand[MAX_PROCS];
        int nc = candidates(c, s->a[0], cand);
        for (int q = 0; q < nc; q++) {
          int kk = cand[q];
          if (done[s->l1] >> kk & 1) continue;
          done[s->l1] |= (uint64_t)1 << kk;
          again = true;
          const struct ir_proc *pr = &c->p->procs.v[kk];
          if (pr->cc) {   /* lower-callcc.c */
            lw_callcc_unify(c, s, pr);
            continue;
          }
          if (s->write) {   /* apply (lower-apply.c) */
            if (!pr->bi) lw_apply_unify(c, s, pr);
            continue;
          }
          if (pr->bi || !lw_arity_ok(pr->fn, s->nargs)) continue;   /* builtins: expand_site */
          const ir_fn *G = &c->p->fns.v[pr->irfn];
          /* a rest parameter: its list, where the call is expanded */
          for (int j = 0; j < lw_fixed_params(pr->fn); j++)
            lw_unify(c, c->p->vars.v[G->params[j]].type, s->args[j]->type,
                     s->args[j]->loc, "this argument");
          lw_unify(c, c->p->vars.v[s->var].type, G->ret_type, s->loc, "the call's value");
        }
      }
    }
  }
  free(done);
}

/* Whether the statements from body[i] on only return the value of var
 * (copies, jumps and labels on the way: the continuation of an inlined
 * body in tail position): then a call that sets var is a tail call. */
static bool returns_var(const ir_stmt *body, int n, int i, int var) {
  for (int steps = 0; i < n && steps < 64; steps++) {
    const ir_stmt *s = &body[i];
    if (s->k == S_LABEL) {
      i++;
    } else if (s->k == S_JUMP) {
      int j = 0;
      while (j < n && !(body[j].k == S_LABEL && body[j].l1 == s->l1)) j++;
      i = j;
    } else if (s->k == S_ASSIGN && s->a[0]->k == X_VAR && s->a[0]->var == var) {
      var = s->var;
      i++;
    } else {
      return s->k == S_RETURN && s->a[0]->k == X_VAR && s->a[0]->var == var;
    }
  }
  return false;
}

void lw_expand_callv(lw *c) {
  /* the parameters of a procedure value no call reaches with its number
   * of arguments are of no kind: never read, void (as fail_types) */
  for (int k = 0; k < c->p->procs.n; k++) {
    const struct ir_proc *pr = &c->p->procs.v[k];
    if (pr->bi || pr->cc) continue;
    const ir_fn *G = &c->p->fns.v[pr->irfn];
    for (int j = 0; j < pr->fn->nparams && j < G->nparams; j++)
      VEC_PUSH(c->fail_types, c->p->vars.v[G->params[j]].type);
  }
  if (!c->callv_sites.n) return;
  /* a builtin that calls procedures (map...) called through a value makes
   * calls through values while they are expanded (lower-bval.c): more
   * passes; the classes the expanded calls dispatched on must not grow */
  VEC(int) types = {0};
  VEC(uint64_t) sets = {0};
  for (int pass = 0; pass < 6 && !c->failed; pass++) {
  bool any = false;
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
      bool next = i + 1 < n && old[i + 1].k == S_RETURN && old[i + 1].a[0]->k == X_VAR &&
                  old[i + 1].a[0]->var == s->var;
      bool ret = !c->p->fns.v[f].is_main && returns_var(old, n, i + 1, s->var);
      ir_stmt copy = *s;
      VEC_PUSH(types, s->a[0]->type);
      VEC_PUSH(sets, ir_proc_set(c->p, s->a[0]->type));
      any = true;
      expand_site(c, &copy, ret);
      if (ret && next) i++;
    }
    free(old);
    F = &c->p->fns.v[f];
  }
  c->fn = save;
  if (!any) break;
  }
  for (int f = 0; f < c->p->fns.n && !c->failed; f++)
    for (int i = 0; i < c->p->fns.v[f].body.n; i++)
      if (c->p->fns.v[f].body.v[i].k == S_CALLV) {
        lw_fail(c, c->p->fns.v[f].body.v[i].loc, "builtins that call procedures nested "
                "this deep through values are not compiled to the transformer yet (run "
                "with --reference to use the evaluator)");
        break;
      }
  for (int i = 0; i < types.n && !c->failed; i++)
    if (ir_proc_set(c->p, types.v[i]) != sets.v[i]) {
      srcloc none = {-1, 0, 0};
      lw_fail(c, none, "a builtin that calls procedures, used as a value, passes them "
                       "procedures of a kind compiled code does not follow yet (run with "
                       "--reference to use the evaluator)");
    }
  VEC_FREE(types);
  VEC_FREE(sets);
}
