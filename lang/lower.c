/* lower.c - core AST to IR.
 *
 * Expressions that are pure (no side effects, no loops, no calls to
 * procedures that are not inlined) become expression trees; everything
 * else becomes statements.  Pure procedures are inlined.  Named-let, do and
 * while loops whose calls are all in tail position become labels and jumps
 * inside the function that holds them ("contified"); other local
 * procedures are lifted to procedures of their own, their free variables
 * becoming extra parameters (allowed only for variables never assigned).
 * Kinds are inferred by unification as the lowering goes.
 */
#include "config.h"

#include "ir.h"

#include <string.h>

/* ---- purity --------------------------------------------------------- */

typedef struct purity_memo {
  const fn_def *fn;
  int state;   /* 1 visiting, 2 pure, 3 impure */
} purity_memo;

typedef struct {
  world *w;
  VEC(purity_memo) memo;
} purity;

static bool fn_pure(purity *pu, const fn_def *f);

static bool prim_pure(const builtin *b) {
  static const char *const impure[] = {"display", "write", "newline",
    "vector-set!", "vector-fill!", "make-vector", "vector", NULL};
  for (int i = 0; impure[i]; i++)
    if (!strcmp(b->name, impure[i])) return false;
  return true;
}

static bool ast_pure(purity *pu, const ast *a) {
  switch (a->kind) {
  case E_CONST: case E_REF: return true;
  case E_SET: case E_VECLIT: case E_DEFINE: case E_DEFTABLE: case E_EXTERN:
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
      if (b->fn && (b->fn->is_loop || !fn_pure(pu, b->fn))) return false;
    }
    return ast_pure(pu, a->u.let.body);
  case E_CALL: {
    for (int i = 0; i < a->u.call.n; i++)
      if (!ast_pure(pu, a->u.call.args[i])) return false;
    const ref_info *r = &a->u.call.r;
    switch (r->kind) {
    case REF_BUILTIN: return prim_pure(r->bi);
    case REF_LOCALFN: return !r->fn->is_loop && fn_pure(pu, r->fn);
    case REF_GLOBAL:
      if (r->cell->kind == G_TABLE) return true;
      if (r->cell->kind == G_FUNC) return fn_pure(pu, r->cell->fn);
      return false;
    default: return false;
    }
  }
  }
  return false;
}

static bool fn_pure(purity *pu, const fn_def *f) {
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
  bool p = fn_pure(&pu, f);
  VEC_FREE(pu.memo);
  return p;
}

/* ---- the lowering context ------------------------------------------- */

/* What a frame slot of the AST stands for while lowering. */
typedef struct {
  int var;          /* IR variable, or -1 */
  ir_expr *expr;    /* a pure expression bound by let or inlining */
} slot_binding;

/* One AST function activation: the top level, a procedure being lowered,
 * an inlined body, a contified loop.  `up` is its static parent. */
typedef struct frame_map {
  const fn_def *fn;
  slot_binding *slots;
  int nslots;
  struct frame_map *up;
  struct loop_info *loops;   /* contified loops defined here */
} frame_map;

/* Where the value of an expression in tail position goes. */
typedef struct {
  int id;           /* identity, to recognise jumps to the same place */
  bool ret;         /* return from the IR function */
  int var;          /* else: assign here (-1: discard) ... */
  int label;        /* ... and jump here */
} cont;

typedef struct loop_info {
  const fn_def *fn;
  int head;          /* label at the top of the body */
  int *params;       /* IR vars */
  cont k;            /* where the loop's value goes */
  frame_map *def;    /* frame it was defined in */
  struct loop_info *next;
} loop_info;

/* A lifted local procedure: its IR function and the variables it
 * captures, passed as extra arguments. */
typedef struct {
  const fn_def *fn;
  int irfn;
  int ncap;                    /* captured variables passed as arguments */
  int *cap_depth, *cap_slot;   /* relative to the defining frame */
  bool shared;                 /* reads the enclosing frames directly */
  bool lowered;
  frame_map *def;              /* the frame it was defined in */
} lifted;

typedef struct {
  ir_prog *p;
  world *w;
  lang_error *err;
  bool failed;
  int fn;                  /* IR function being filled */
  int next_cont;
  purity pu;
  VEC(lifted) lift;
  /* global procedures already lowered: cell -> IR function */
  VEC(struct gfn { gcell *cell; int irfn; }) gfns;
  VEC(struct work { gcell *cell; int irfn; }) pending;
  int inline_depth;
  gcell *self_cell;        /* global procedure being lowered */
  bool in_lifted;          /* lowering the body of a lifted procedure */
  loop_info *self_loop;    /* its body as a loop, for tail calls to itself */
} lw;

static ir_expr *lower_value(lw *c, const ast *a, frame_map *f);
static void lower_tail(lw *c, const ast *a, frame_map *f, cont k);
static void lower_effect(lw *c, const ast *a, frame_map *f);

static void fail(lw *c, srcloc loc, const char *fmt, ...) TVL_PRINTF(3, 4);
static void fail(lw *c, srcloc loc, const char *fmt, ...) {
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

static const char *nm(lw *c, int sym) { return sym_name(&c->w->syms, sym); }

/* ---- kinds ---------------------------------------------------------- */

static int new_type(lw *c, tkind k) {
  ir_type t = {c->p->types.n, k, -1, {-1, 0, 0}};
  VEC_PUSH(c->p->types, t);
  return c->p->types.n - 1;
}

static int find(ir_prog *p, int t) {
  while (p->types.v[t].parent != t) {
    p->types.v[t].parent = p->types.v[p->types.v[t].parent].parent;
    t = p->types.v[t].parent;
  }
  return t;
}

tkind ir_kind(const ir_prog *p, int t) {
  return p->types.v[find((ir_prog *)p, t)].k;
}

int ir_elem_type(const ir_prog *p, int t) {
  return p->types.v[find((ir_prog *)p, t)].elem;
}

const char *tkind_name(tkind k) {
  switch (k) {
  case T_VOID: return "the unspecified value";
  case T_INT: return "an integer";
  case T_BOOL: return "a boolean";
  case T_SYM: return "a symbol";
  case T_STR: return "a string";
  case T_VEC: return "a vector";
  default: return "a value of unknown kind";
  }
}

static bool unify(lw *c, int a, int b, srcloc loc, const char *what) {
  ir_prog *p = c->p;
  a = find(p, a);
  b = find(p, b);
  if (a == b) return true;
  ir_type *ta = &p->types.v[a], *tb = &p->types.v[b];
  if (ta->k == T_ANY) {
    ta->parent = b;
    return true;
  }
  if (tb->k == T_ANY) {
    tb->parent = a;
    return true;
  }
  if (ta->k != tb->k) {
    fail(c, loc, "%s is %s here but %s elsewhere: compiled code needs one "
                 "kind per value (run it with --reference to use the "
                 "evaluator)", what, tkind_name(tb->k), tkind_name(ta->k));
    return false;
  }
  if (ta->k == T_VEC) {
    int ea = ta->elem, eb = tb->elem;
    tb->parent = a;
    return unify(c, ea, eb, loc, "a vector element");
  }
  tb->parent = a;
  return true;
}

static int type_of_kind(lw *c, tkind k) {
  if (k == T_VEC) {
    int t = new_type(c, T_VEC);
    int elem = new_type(c, T_ANY);   /* may move the array: assign after */
    c->p->types.v[t].elem = elem;
    return t;
  }
  return new_type(c, k);
}

static bool want(lw *c, const ir_expr *e, tkind k, const char *what) {
  return unify(c, e->type, type_of_kind(c, k), e->loc, what);
}

/* The kind of a value the world holds (a global's current value). */
static int type_of_value(lw *c, value v, int depth) {
  switch ((vkind)v.kind) {
  case VK_INT: return new_type(c, T_INT);
  case VK_BOOL: return new_type(c, T_BOOL);
  case VK_SYM: return new_type(c, T_SYM);
  case VK_STR: return new_type(c, T_STR);
  case VK_VOID: return new_type(c, T_VOID);
  case VK_VEC: {
    int t = type_of_kind(c, T_VEC);
    int elem = c->p->types.v[t].elem;
    for (int32_t i = 0; i < v.vec->n && depth < 8 && !c->failed; i++)
      unify(c, elem, type_of_value(c, v.vec->items[i], depth + 1),
            (srcloc){-1, 0, 0}, "an element of a global vector");
    return t;
  }
  }
  return new_type(c, T_ANY);
}

/* ---- building IR ---------------------------------------------------- */

static ir_expr *mk(lw *c, x_kind k, srcloc loc, int n) {
  ir_expr *e = arena_alloc(&c->p->mem, sizeof *e);
  e->k = k;
  e->loc = loc;
  e->n = n;
  e->a = n ? arena_alloc(&c->p->mem, (size_t)n * sizeof(ir_expr *)) : NULL;
  return e;
}

static ir_expr *konst(lw *c, tkind k, int32_t v, srcloc loc) {
  ir_expr *e = mk(c, X_CONST, loc, 0);
  e->ival = v;
  e->type = new_type(c, k);
  return e;
}

static ir_expr *var_expr(lw *c, int var, srcloc loc) {
  ir_expr *e = mk(c, X_VAR, loc, 0);
  e->var = var;
  e->type = c->p->vars.v[var].type;
  return e;
}

static int new_var(lw *c, int name, var_class cls, srcloc loc) {
  ir_var v = {name, cls, c->fn, NULL, new_type(c, T_ANY), false, loc};
  VEC_PUSH(c->p->vars, v);
  return c->p->vars.n - 1;
}

static ir_fn *cur_fn(lw *c) { return &c->p->fns.v[c->fn]; }

static ir_stmt *emit(lw *c, s_kind k, srcloc loc) {
  ir_stmt s;
  memset(&s, 0, sizeof s);
  s.k = k;
  s.loc = loc;
  s.var = -1;
  s.fn = -1;
  VEC_PUSH(cur_fn(c)->body, s);
  return &cur_fn(c)->body.v[cur_fn(c)->body.n - 1];
}

static int new_label(lw *c) { return cur_fn(c)->nlabels++; }

static void label(lw *c, int l, srcloc loc) { emit(c, S_LABEL, loc)->l1 = l; }

static void jump(lw *c, int l, srcloc loc) { emit(c, S_JUMP, loc)->l1 = l; }

static void assign(lw *c, int var, ir_expr *e, srcloc loc) {
  if (!unify(c, c->p->vars.v[var].type, e->type, loc,
             c->p->vars.v[var].name >= 0 ? nm(c, c->p->vars.v[var].name)
                                         : "this value"))
    return;
  ir_stmt *s = emit(c, S_ASSIGN, loc);
  s->var = var;
  s->a[0] = e;
}

static ir_expr *void_expr(lw *c, srcloc loc) { return konst(c, T_VOID, 0, loc); }

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
                                        "modulo", "abs", "expt", "ash", NULL};
  for (int i = 0; partial[i]; i++)
    if (!strcmp(b->name, partial[i])) return false;
  return true;
}

/* Whether evaluating e can raise an error; *budget bounds the walk over
 * a shared DAG (running out answers yes). */
static bool fails_within(const ir_expr *e, int *budget) {
  if (--*budget < 0) return true;
  switch (e->k) {
  case X_CONST: case X_VAR: return false;
  case X_VREF: return true;
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
    if (fails_within(e->a[i], budget)) return true;
  return false;
}

static bool may_fail(const ir_expr *e) {
  int budget = 4096;
  return fails_within(e, &budget);
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
  return reads_fixed(c, e, &budget) && !may_fail(e);
}

/* Operand `i` emitted statements from index `mark` on: the operands before
 * it that are not fixed are computed into temporaries just before them. */
static void pin_operands(lw *c, int mark, ir_expr **ops, int i) {
  for (int j = 0; j < i; j++) {
    if (!ops[j] || fixed_now(c, ops[j])) continue;
    int t = new_var(c, -1, VAR_TEMP, ops[j]->loc);
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
    ops[j] = var_expr(c, t, ops[j]->loc);
  }
}

/* Operands left to right (NULL asts give NULL). */
static void lower_operands(lw *c, ast *const *v, int n, frame_map *f,
                           ir_expr **out) {
  for (int i = 0; i < n; i++) out[i] = NULL;
  for (int i = 0; i < n && !c->failed; i++) {
    if (!v[i]) continue;
    int mark = cur_fn(c)->body.n;
    out[i] = lower_value(c, v[i], f);
    if (cur_fn(c)->body.n > mark) pin_operands(c, mark, out, i);
  }
}

/* v, after the errors of `forced` (those that may fail). */
static ir_expr *force_errors(lw *c, ir_expr *v, ir_expr **forced, int n) {
  int k = 0;
  for (int i = 0; i < n; i++) k += forced[i] && may_fail(forced[i]);
  if (!k || c->failed) return v;
  ir_expr *e = mk(c, X_SEQ, v->loc, k + 1);
  k = 0;
  for (int i = 0; i < n; i++)
    if (forced[i] && may_fail(forced[i])) e->a[k++] = forced[i];
  e->a[k] = v;
  e->type = v->type;
  return e;
}

/* Delivers a value to a continuation. */
static void deliver(lw *c, ir_expr *v, cont k, srcloc loc) {
  if (c->failed) return;
  if (k.ret) {
    unify(c, cur_fn(c)->ret_type, v->type, loc, "the value returned");
    emit(c, S_RETURN, loc)->a[0] = v;
    return;
  }
  if (k.var >= 0) assign(c, k.var, v, loc);
  else if (v->k != X_CONST && v->k != X_VAR) emit(c, S_EVAL, loc)->a[0] = v;
  jump(c, k.label, loc);
}

/* ---- frames --------------------------------------------------------- */

static frame_map *new_frame(lw *c, const fn_def *fn, int nslots,
                            frame_map *up) {
  frame_map *f = arena_alloc(&c->p->mem, sizeof *f);
  f->fn = fn;
  f->nslots = nslots;
  f->slots = arena_alloc(&c->p->mem, (size_t)(nslots + 1) * sizeof(slot_binding));
  for (int i = 0; i < nslots; i++) f->slots[i].var = -1;
  f->up = up;
  return f;
}

static frame_map *frame_up(frame_map *f, int depth) {
  while (depth-- > 0 && f) f = f->up;
  return f;
}

static slot_binding *slot_of(lw *c, frame_map *f, int depth, int slot,
                             srcloc loc) {
  frame_map *t = frame_up(f, depth);
  if (!t || slot >= t->nslots) {
    fail(c, loc, "internal error: a local variable has no frame");
    return NULL;
  }
  return &t->slots[slot];
}

static loop_info *find_loop(frame_map *f, int depth, const fn_def *fn) {
  frame_map *t = frame_up(f, depth);
  for (loop_info *l = t ? t->loops : NULL; l; l = l->next)
    if (l->fn == fn) return l;
  return NULL;
}

static lifted *find_lifted(lw *c, const fn_def *fn) {
  for (int i = 0; i < c->lift.n; i++)
    if (c->lift.v[i].fn == fn) return &c->lift.v[i];
  return NULL;
}

/* ---- globals -------------------------------------------------------- */

static void add_dep(lw *c, gcell *g) {
  for (int i = 0; i < c->p->deps.n; i++)
    if (c->p->deps.v[i] == g) return;
  VEC_PUSH(c->p->deps, g);
}

static int global_var(lw *c, gcell *g, srcloc loc) {
  add_dep(c, g);
  for (int i = 0; i < c->p->vars.n; i++)
    if (c->p->vars.v[i].cls == VAR_GLOBAL && c->p->vars.v[i].cell == g) return i;
  int save = c->fn;
  c->fn = -1;
  int v = new_var(c, g->name, VAR_GLOBAL, loc);
  c->fn = save;
  c->p->vars.v[v].cell = g;
  if (g->kind == G_VAR)
    unify(c, c->p->vars.v[v].type, type_of_value(c, g->val, 0), loc,
          nm(c, g->name));
  VEC_PUSH(c->p->globals, g);
  return v;
}

static void use_table(lw *c, gcell *g) {
  add_dep(c, g);
  for (int i = 0; i < c->p->tables.n; i++)
    if (c->p->tables.v[i] == g) return;
  VEC_PUSH(c->p->tables, g);
}

/* ---- references ----------------------------------------------------- */

static ir_expr *load(lw *c, const ast *a, frame_map *f) {
  const ref_info *r = &a->u.ref.r;
  if (r->kind == REF_LOCAL) {
    slot_binding *s = slot_of(c, f, r->depth, r->slot, a->loc);
    if (!s) return void_expr(c, a->loc);
    if (s->expr) return s->expr;
    if (s->var < 0) {
      fail(c, a->loc, "%s is used before it is given a value",
           nm(c, a->u.ref.name));
      return void_expr(c, a->loc);
    }
    return var_expr(c, s->var, a->loc);
  }
  if (r->kind == REF_GLOBAL && r->cell->kind == G_VAR)
    return var_expr(c, global_var(c, r->cell, a->loc), a->loc);
  if (r->kind == REF_GLOBAL && r->cell->kind == G_UNDEFINED)
    fail(c, a->loc, "unbound variable %s", nm(c, a->u.ref.name));
  else
    fail(c, a->loc, "%s is not a variable", nm(c, a->u.ref.name));
  return void_expr(c, a->loc);
}

static void store(lw *c, const ast *a, frame_map *f, ir_expr *v) {
  const ref_info *r = &a->u.set.r;
  int var = -1;
  if (r->kind == REF_LOCAL) {
    slot_binding *s = slot_of(c, f, r->depth, r->slot, a->loc);
    if (!s) return;
    if (s->expr || s->var < 0) {
      fail(c, a->loc, "internal error: set! of a variable bound to an "
                      "expression");
      return;
    }
    var = s->var;
  } else if (r->kind == REF_GLOBAL && r->cell->kind == G_VAR) {
    var = global_var(c, r->cell, a->loc);
  } else {
    fail(c, a->loc, "cannot set! %s", nm(c, a->u.set.name));
    return;
  }
  c->p->vars.v[var].assigned = true;
  assign(c, var, v, a->loc);
}

/* Whether a let-bound slot is assigned anywhere in an expression. */
static bool assigns_slot(const ast *a, int depth, int slot) {
  if (!a) return false;
  switch (a->kind) {
  case E_SET:
    if (a->u.set.r.kind == REF_LOCAL && a->u.set.r.depth == depth &&
        a->u.set.r.slot == slot)
      return true;
    return assigns_slot(a->u.set.val, depth, slot);
  case E_IF:
    return assigns_slot(a->u.iff.c, depth, slot) ||
           assigns_slot(a->u.iff.t, depth, slot) ||
           assigns_slot(a->u.iff.e, depth, slot);
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++)
      if (assigns_slot(a->u.seq.v[i], depth, slot)) return true;
    return false;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      if (assigns_slot(a->u.let.v[i].init, depth, slot)) return true;
      if (a->u.let.v[i].fn && assigns_slot(a->u.let.v[i].fn->body, depth + 1, slot))
        return true;
    }
    return assigns_slot(a->u.let.body, depth, slot);
  case E_CALL:
    for (int i = 0; i < a->u.call.n; i++)
      if (assigns_slot(a->u.call.args[i], depth, slot)) return true;
    return false;
  default:
    return false;
  }
}

/* ---- builtins ------------------------------------------------------- */

static ir_expr *prim(lw *c, const ast *a, const builtin *b, ir_expr **args,
                     int n) {
  ir_expr *e = mk(c, X_PRIM, a->loc, n);
  e->op = b;
  for (int i = 0; i < n; i++) e->a[i] = args[i];
  const char *name = b->name;
  if (!strcmp(name, "not")) {
    e->k = X_NOT;
    e->type = new_type(c, T_BOOL);
    return e;
  }
  if (!strcmp(name, "eq?") || !strcmp(name, "eqv?") || !strcmp(name, "equal?")) {
    unify(c, args[0]->type, args[1]->type, a->loc, "the second argument");
    e->type = new_type(c, T_BOOL);
    return e;
  }
  if (!strcmp(name, "integer?") || !strcmp(name, "number?") ||
      !strcmp(name, "boolean?") || !strcmp(name, "symbol?") ||
      !strcmp(name, "vector?") || !strcmp(name, "string?")) {
    e->type = new_type(c, T_BOOL);
    return e;
  }
  if (!strcmp(name, "vector-ref")) {
    e->k = X_VREF;
    want(c, args[0], T_VEC, "the vector");
    want(c, args[1], T_INT, "the index");
    e->type = ir_elem_type(c->p, args[0]->type);
    return e;
  }
  if (!strcmp(name, "vector-length")) {
    e->k = X_VLEN;
    want(c, args[0], T_VEC, "the vector");
    e->type = new_type(c, T_INT);
    return e;
  }
  for (int i = 0; i < n; i++) want(c, args[i], T_INT, "an argument");
  e->type = new_type(c, b->result == VK_BOOL ? T_BOOL : T_INT);
  return e;
}

/* Side-effecting builtins in statement position; returns their value. */
static ir_expr *effect_prim(lw *c, const ast *a, frame_map *f) {
  const builtin *b = a->u.call.r.bi;
  const char *name = b->name;
  int n = a->u.call.n;
  ir_expr *args[3] = {0};
  if (!strcmp(name, "vector")) {
    int tmp = new_var(c, -1, VAR_TEMP, a->loc);
    ir_expr *elems[256];
    if (n > 256) {
      fail(c, a->loc, "vector with more than 256 elements in compiled code");
      return void_expr(c, a->loc);
    }
    lower_operands(c, a->u.call.args, n, f, elems);
    if (c->failed) return void_expr(c, a->loc);
    ir_stmt *s = emit(c, S_MAKEVEC, a->loc);
    s->var = tmp;
    s->a[0] = konst(c, T_INT, n, a->loc);
    s->a[1] = n ? elems[0] : konst(c, T_INT, 0, a->loc);
    int vt = type_of_kind(c, T_VEC);
    c->p->vars.v[tmp].type = vt;
    unify(c, ir_elem_type(c->p, c->p->vars.v[tmp].type), s->a[1]->type,
          a->loc, "a vector element");
    for (int i = 1; i < n; i++) {
      ir_stmt *vs = emit(c, S_VSET, a->loc);
      vs->a[0] = var_expr(c, tmp, a->loc);
      vs->a[1] = konst(c, T_INT, i, a->loc);
      vs->a[2] = elems[i];
      unify(c, ir_elem_type(c->p, c->p->vars.v[tmp].type), elems[i]->type,
            a->loc, "a vector element");
    }
    return var_expr(c, tmp, a->loc);
  }
  lower_operands(c, a->u.call.args, n < 3 ? n : 3, f, args);
  if (c->failed) return void_expr(c, a->loc);
  if (!strcmp(name, "display") || !strcmp(name, "write")) {
    ir_stmt *s = emit(c, S_DISPLAY, a->loc);
    s->a[0] = args[0];
    s->write = name[0] == 'w';
    return void_expr(c, a->loc);
  }
  if (!strcmp(name, "newline")) {
    emit(c, S_NEWLINE, a->loc);
    return void_expr(c, a->loc);
  }
  if (!strcmp(name, "vector-set!")) {
    want(c, args[0], T_VEC, "the vector");
    want(c, args[1], T_INT, "the index");
    unify(c, ir_elem_type(c->p, args[0]->type), args[2]->type, a->loc,
          "the stored value");
    ir_stmt *s = emit(c, S_VSET, a->loc);
    for (int i = 0; i < 3; i++) s->a[i] = args[i];
    return void_expr(c, a->loc);
  }
  if (!strcmp(name, "make-vector")) {
    want(c, args[0], T_INT, "the length");
    int tmp = new_var(c, -1, VAR_TEMP, a->loc);
    int vt = type_of_kind(c, T_VEC);
    c->p->vars.v[tmp].type = vt;
    ir_stmt *s = emit(c, S_MAKEVEC, a->loc);
    s->var = tmp;
    s->a[0] = args[0];
    s->a[1] = n > 1 ? args[1] : konst(c, T_INT, 0, a->loc);
    unify(c, ir_elem_type(c->p, c->p->vars.v[tmp].type), s->a[1]->type,
          a->loc, "the fill value");
    return var_expr(c, tmp, a->loc);
  }
  if (!strcmp(name, "vector-fill!")) {
    /* for i from 0 below (vector-length v): (vector-set! v i x) */
    want(c, args[0], T_VEC, "the vector");
    unify(c, ir_elem_type(c->p, args[0]->type), args[1]->type, a->loc,
          "the fill value");
    int vec = new_var(c, -1, VAR_TEMP, a->loc), x = new_var(c, -1, VAR_TEMP, a->loc);
    int i = new_var(c, -1, VAR_TEMP, a->loc);
    assign(c, vec, args[0], a->loc);
    assign(c, x, args[1], a->loc);
    assign(c, i, konst(c, T_INT, 0, a->loc), a->loc);
    int head = new_label(c), body = new_label(c), done = new_label(c);
    label(c, head, a->loc);
    ir_expr *len = mk(c, X_VLEN, a->loc, 1);
    len->a[0] = var_expr(c, vec, a->loc);
    len->type = new_type(c, T_INT);
    ir_expr *lt = mk(c, X_PRIM, a->loc, 2);
    lt->op = builtin_find("<");
    lt->a[0] = var_expr(c, i, a->loc);
    lt->a[1] = len;
    lt->type = new_type(c, T_BOOL);
    ir_stmt *br = emit(c, S_BRANCH, a->loc);
    br->a[0] = lt;
    br->l1 = body;
    br->l2 = done;
    label(c, body, a->loc);
    ir_stmt *vs = emit(c, S_VSET, a->loc);
    vs->a[0] = var_expr(c, vec, a->loc);
    vs->a[1] = var_expr(c, i, a->loc);
    vs->a[2] = var_expr(c, x, a->loc);
    ir_expr *inc = mk(c, X_PRIM, a->loc, 2);
    inc->op = builtin_find("+");
    inc->a[0] = var_expr(c, i, a->loc);
    inc->a[1] = konst(c, T_INT, 1, a->loc);
    inc->type = new_type(c, T_INT);
    assign(c, i, inc, a->loc);
    jump(c, head, a->loc);
    label(c, done, a->loc);
    return void_expr(c, a->loc);
  }
  fail(c, a->loc, "internal error: builtin %s has no lowering", name);
  return void_expr(c, a->loc);
}

/* ---- calls ---------------------------------------------------------- */

static int lower_global_fn(lw *c, gcell *g, srcloc loc);

/* Inlines a pure procedure: its parameters are bound to the argument
 * expressions, so the body becomes one expression tree. */
static ir_expr *inline_call(lw *c, const fn_def *fn, ir_expr **args,
                            frame_map *up, srcloc loc) {
  if (++c->inline_depth > 64) {
    fail(c, loc, "inlining nested too deeply");
    return void_expr(c, loc);
  }
  frame_map *f = new_frame(c, fn, fn->frame_size, up);
  for (int i = 0; i < fn->nparams; i++) f->slots[i].expr = args[i];
  ir_expr *v = lower_value(c, fn->body, f);
  c->inline_depth--;
  return force_errors(c, v, args, fn->nparams);
}

/* Arguments of a call, each made safe to evaluate before the call. */
static void lower_args(lw *c, const ast *a, frame_map *f, ir_expr **out) {
  lower_operands(c, a->u.call.args, a->u.call.n, f, out);
}

/* Captured variables of a lifted function, as argument expressions. */
static void captured_args(lw *c, const lifted *l, frame_map *def_frame,
                          ir_expr **out, srcloc loc) {
  for (int i = 0; i < l->ncap; i++) {
    slot_binding *s = slot_of(c, def_frame, l->cap_depth[i], l->cap_slot[i], loc);
    if (!s) return;
    out[i] = s->expr ? s->expr : var_expr(c, s->var, loc);
  }
}

static ir_expr *call_stmt(lw *c, int irfn, ir_expr **args, int n,
                          srcloc loc) {
  ir_fn *fn = &c->p->fns.v[irfn];
  if (fn->nparams != n) {
    fail(c, loc, "procedure %s takes %d arguments, but %d were given",
         nm(c, fn->name), fn->nparams, n);
    return void_expr(c, loc);
  }
  for (int i = 0; i < n; i++)
    unify(c, c->p->vars.v[fn->params[i]].type, args[i]->type, args[i]->loc,
          "this argument");
  int tmp = new_var(c, -1, VAR_TEMP, loc);
  unify(c, c->p->vars.v[tmp].type, fn->ret_type, loc, "the call's value");
  ir_stmt *s = emit(c, S_CALL, loc);
  s->var = tmp;
  s->fn = irfn;
  s->nargs = n;
  s->args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof(ir_expr *));
  for (int i = 0; i < n; i++) s->args[i] = args[i];
  return var_expr(c, tmp, loc);
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
static void loop_again(lw *c, loop_info *l, ir_expr **args, int n,
                       srcloc loc) {
  ir_expr *val[64];
  bool pending[64];
  if (n > 64) {
    fail(c, loc, "loops with more than 64 variables are not supported");
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
      assign(c, l->params[i], val[i], loc);
      pending[i] = false;
      left--;
      moved = true;
    }
    if (moved) continue;
    /* every pending target is still read: park one value */
    for (int i = 0; i < n; i++) {
      if (!pending[i]) continue;
      int t = new_var(c, -1, VAR_TEMP, loc);
      assign(c, t, val[i], loc);
      val[i] = var_expr(c, t, loc);
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

/* ---- inlining procedures with side effects ------------------------- */

enum { INLINE_MAX_NODES = 80, INLINE_MAX_DEPTH = 6 };

static int ast_size(const ast *a) {
  if (!a) return 0;
  int n = 1;
  switch (a->kind) {
  case E_SET: return n + ast_size(a->u.set.val);
  case E_IF: return n + ast_size(a->u.iff.c) + ast_size(a->u.iff.t) + ast_size(a->u.iff.e);
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++) n += ast_size(a->u.seq.v[i]);
    return n;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      n += ast_size(a->u.let.v[i].init);
      if (a->u.let.v[i].fn) n += 1000;   /* local procedures: never inline */
    }
    return n + ast_size(a->u.let.body);
  case E_CALL:
    for (int i = 0; i < a->u.call.n; i++) n += ast_size(a->u.call.args[i]);
    return n;
  default:
    return n;
  }
}

typedef VEC(const fn_def *) fn_set;

/* Whether the body of `from` can call `target`, through global calls. */
static bool reaches(const ast *a, const fn_def *target, fn_set *seen);

static bool fn_reaches(const fn_def *f, const fn_def *target, fn_set *seen) {
  for (int i = 0; i < seen->n; i++)
    if (seen->v[i] == f) return false;
  VEC_PUSH(*seen, f);
  return reaches(f->body, target, seen);
}

static bool reaches(const ast *a, const fn_def *target, fn_set *seen) {
  if (!a) return false;
  switch (a->kind) {
  case E_SET: return reaches(a->u.set.val, target, seen);
  case E_IF:
    return reaches(a->u.iff.c, target, seen) || reaches(a->u.iff.t, target, seen) ||
           reaches(a->u.iff.e, target, seen);
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++)
      if (reaches(a->u.seq.v[i], target, seen)) return true;
    return false;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      if (reaches(a->u.let.v[i].init, target, seen)) return true;
      if (a->u.let.v[i].fn && reaches(a->u.let.v[i].fn->body, target, seen)) return true;
    }
    return reaches(a->u.let.body, target, seen);
  case E_CALL:
    for (int i = 0; i < a->u.call.n; i++)
      if (reaches(a->u.call.args[i], target, seen)) return true;
    if (a->u.call.r.kind == REF_GLOBAL && a->u.call.r.cell->kind == G_FUNC) {
      const fn_def *g = a->u.call.r.cell->fn;
      if (g == target) return true;
      return fn_reaches(g, target, seen);
    }
    return false;
  default:
    return false;
  }
}

static bool inlinable(lw *c, const fn_def *g) {
  if (c->inline_depth >= INLINE_MAX_DEPTH || ast_size(g->body) > INLINE_MAX_NODES)
    return false;
  fn_set seen = {0};
  bool rec = fn_reaches(g, g, &seen);
  if (!rec && c->self_cell && c->self_cell->kind == G_FUNC) {
    seen.n = 0;
    rec = fn_reaches(g, c->self_cell->fn, &seen);
  }
  VEC_FREE(seen);
  return !rec;
}

/* Arguments that cannot change while the body runs (constants, and the
 * caller's own variables: only the caller writes them) are bound as
 * expressions; others get a variable of their own. */
static bool stable_arg(lw *c, const ir_expr *e) {
  if (e->k == X_CONST) return true;
  if (e->k != X_VAR) return false;
  const ir_var *v = &c->p->vars.v[e->var];
  return v->cls != VAR_GLOBAL && v->fn == c->fn;
}

static ir_expr *inline_effects(lw *c, const fn_def *g, ir_expr **args,
                               srcloc loc) {
  c->inline_depth++;
  frame_map *f = new_frame(c, g, g->frame_size, NULL);
  for (int i = 0; i < g->nparams && !c->failed; i++) {
    if (stable_arg(c, args[i]) && !assigns_slot(g->body, 0, i)) {
      f->slots[i].expr = args[i];
      continue;
    }
    int v = new_var(c, g->params[i], VAR_LOCAL, g->param_locs[i]);
    if (assigns_slot(g->body, 0, i)) c->p->vars.v[v].assigned = true;
    f->slots[i].var = v;
    assign(c, v, args[i], loc);
  }
  int tmp = new_var(c, -1, VAR_TEMP, loc);
  int done = new_label(c);
  cont k = {c->next_cont++, false, tmp, done};
  gcell *save_cell = c->self_cell;
  loop_info *save_loop = c->self_loop;
  c->self_loop = NULL;   /* g does not call itself: checked */
  lower_tail(c, g->body, f, k);
  c->self_cell = save_cell;
  c->self_loop = save_loop;
  label(c, done, loc);
  c->inline_depth--;
  return var_expr(c, tmp, loc);
}

/* A call of a C function: the host performs it between two steps (a
 * tool call in the trace), so only integers and string constants can
 * cross; its value is an integer or nothing. */
static ir_expr *extern_call(lw *c, const ast *a, frame_map *f, gcell *cell) {
  const extern_def *x = cell->ext;
  int n = a->u.call.n;
  add_dep(c, cell);
  if (x->nargs != n) {
    fail(c, a->loc, "%s takes %d argument%s, but %d %s given",
         nm(c, a->u.call.name), x->nargs, x->nargs == 1 ? "" : "s", n,
         n == 1 ? "was" : "were");
    return void_expr(c, a->loc);
  }
  if (x->ret == XT_STRING) {
    fail(c, a->loc, "%s returns a string, which compiled code cannot hold "
         "(run it with --reference)", nm(c, a->u.call.name));
    return void_expr(c, a->loc);
  }
  ir_expr *args[64];
  if (n > 16) {
    fail(c, a->loc, "a tool call takes at most 16 arguments in compiled code");
    return void_expr(c, a->loc);
  }
  lower_args(c, a, f, args);
  if (c->failed) return void_expr(c, a->loc);
  for (int i = 0; i < n; i++)
    want(c, args[i], x->args[i] == XT_STRING ? T_STR : T_INT, "this argument");
  int tmp = new_var(c, -1, VAR_TEMP, a->loc);
  c->p->vars.v[tmp].type = type_of_kind(c, x->ret == XT_VOID ? T_VOID : T_INT);
  ir_stmt *s = emit(c, S_EXTCALL, a->loc);
  s->var = tmp;
  s->ext = cell;
  s->nargs = n;
  s->args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof(ir_expr *));
  for (int i = 0; i < n; i++) s->args[i] = args[i];
  return var_expr(c, tmp, a->loc);
}

static ir_expr *lower_call(lw *c, const ast *a, frame_map *f, cont *tail) {
  const ref_info *r = &a->u.call.r;
  int n = a->u.call.n;
  if (r->kind == REF_BUILTIN) {
    if (!prim_pure(r->bi)) return effect_prim(c, a, f);
    ir_expr *args[64];
    if (n > 64) {
      fail(c, a->loc, "too many arguments for compiled code");
      return void_expr(c, a->loc);
    }
    lower_args(c, a, f, args);
    if (c->failed) return void_expr(c, a->loc);
    return prim(c, a, r->bi, args, n);
  }
  if (r->kind == REF_GLOBAL && r->cell->kind == G_TABLE) {
    ir_expr *key = lower_value(c, a->u.call.args[0], f);
    ir_expr *e = mk(c, X_TABLE, a->loc, 1);
    e->a[0] = key;
    e->table = r->cell;
    use_table(c, r->cell);
    const table_def *t = r->cell->table;
    unify(c, key->type, type_of_value(c, t->keys[0], 0), key->loc, "the key");
    e->type = type_of_value(c, t->vals[0], 0);
    for (int i = 1; i < t->n; i++)
      unify(c, e->type, type_of_value(c, t->vals[i], 0), a->loc,
            "a value of the table");
    if (t->has_default)
      unify(c, e->type, type_of_value(c, t->dflt, 0), a->loc, "the default");
    return e;
  }
  ir_expr *args[96];
  if (n > 64) {
    fail(c, a->loc, "too many arguments for compiled code");
    return void_expr(c, a->loc);
  }
  if (r->kind == REF_LOCALFN) {
    loop_info *l = find_loop(f, r->depth, r->fn);
    lower_args(c, a, f, args);
    if (c->failed) return void_expr(c, a->loc);
    if (l) {
      if (!tail || tail->id != l->k.id) {
        fail(c, a->loc, "internal error: loop %s called outside tail position",
             nm(c, a->u.call.name));
        return void_expr(c, a->loc);
      }
      loop_again(c, l, args, n, a->loc);
      return NULL;   /* control went elsewhere */
    }
    if (fn_pure(&c->pu, r->fn))
      return inline_call(c, r->fn, args, frame_up(f, r->depth), a->loc);
    lifted *lf = find_lifted(c, r->fn);
    if (!lf) {
      fail(c, a->loc, "internal error: local procedure %s was not prepared",
           nm(c, a->u.call.name));
      return void_expr(c, a->loc);
    }
    captured_args(c, lf, frame_up(f, r->depth), args + n, a->loc);
    return call_stmt(c, lf->irfn, args, n + lf->ncap, a->loc);
  }
  if (r->kind == REF_GLOBAL && r->cell->kind == G_EXTERN)
    return extern_call(c, a, f, r->cell);
  if (r->kind == REF_GLOBAL && r->cell->kind == G_FUNC) {
    const fn_def *fn = r->cell->fn;
    add_dep(c, r->cell);
    if (fn->nparams != n) {
      fail(c, a->loc, "procedure %s takes %d argument%s, but %d %s given",
           nm(c, a->u.call.name), fn->nparams, fn->nparams == 1 ? "" : "s",
           n, n == 1 ? "was" : "were");
      return void_expr(c, a->loc);
    }
    lower_args(c, a, f, args);
    if (c->failed) return void_expr(c, a->loc);
    if (fn_pure(&c->pu, fn)) return inline_call(c, fn, args, NULL, a->loc);
    if (inlinable(c, fn)) return inline_effects(c, fn, args, a->loc);
    return call_stmt(c, lower_global_fn(c, r->cell, a->loc), args, n, a->loc);
  }
  fail(c, a->u.call.name_loc, "%s is not defined",
       nm(c, a->u.call.name));
  c->err->kind = "incomplete";   /* may be defined before it is called */
  return void_expr(c, a->loc);
}

/* ---- local procedures ---------------------------------------------- */

/* Whether every call of `target` inside `a` is in tail position with
 * respect to the continuation of `a` (tail = a is itself in tail
 * position).  Nested loops entered in tail position keep tail-ness. */
static bool tail_calls_only(const ast *a, const fn_def *target, int depth,
                            bool tail) {
  if (!a) return true;
  switch (a->kind) {
  case E_CONST: case E_REF: return true;
  case E_SET: return tail_calls_only(a->u.set.val, target, depth, false);
  case E_IF:
    return tail_calls_only(a->u.iff.c, target, depth, false) &&
           tail_calls_only(a->u.iff.t, target, depth, tail) &&
           tail_calls_only(a->u.iff.e, target, depth, tail);
  case E_BEGIN:
    for (int i = 0; i < a->u.seq.n; i++)
      if (!tail_calls_only(a->u.seq.v[i], target, depth,
                           tail && i == a->u.seq.n - 1))
        return false;
    return true;
  case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++)
      if (!tail_calls_only(a->u.seq.v[i], target, depth, false)) return false;
    return true;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      const let_binding *b = &a->u.let.v[i];
      if (!tail_calls_only(b->init, target, depth, false)) return false;
      if (b->fn) {
        /* A nested loop whose entry is in tail position runs in tail
         * position too; any other nested procedure is another function. */
        bool entered_in_tail = tail && b->fn->is_loop &&
                               a->u.let.body->kind == E_CALL &&
                               a->u.let.body->u.call.r.kind == REF_LOCALFN &&
                               a->u.let.body->u.call.r.fn == b->fn;
        if (!tail_calls_only(b->fn->body, target, depth + 1, entered_in_tail))
          return false;
      }
    }
    return tail_calls_only(a->u.let.body, target, depth, tail);
  case E_CALL:
    for (int i = 0; i < a->u.call.n; i++)
      if (!tail_calls_only(a->u.call.args[i], target, depth, false)) return false;
    if (a->u.call.r.kind == REF_LOCALFN && a->u.call.r.fn == target)
      return tail;
    return true;
  default:
    return true;
  }
}

/* A local procedure bound by letrec becomes a loop when its only entry is
 * the letrec body calling it and it calls itself only in tail position. */
static bool contifiable(const ast *letrec, const let_binding *b) {
  if (!b->fn->is_loop) return false;
  const ast *body = letrec->u.let.body;
  if (body->kind != E_CALL || body->u.call.r.kind != REF_LOCALFN ||
      body->u.call.r.fn != b->fn)
    return false;
  for (int i = 0; i < body->u.call.n; i++)
    if (!tail_calls_only(body->u.call.args[i], b->fn, 0, false)) return false;
  return tail_calls_only(b->fn->body, b->fn, 1, true);
}

/* Free variables of a local procedure: references that climb out of it. */
static void collect_free(const ast *a, int depth, int_vec *dep, int_vec *slot,
                         bool *assigned_free) {
  if (!a) return;
  switch (a->kind) {
  case E_REF:
    if (a->u.ref.r.kind == REF_LOCAL && a->u.ref.r.depth >= depth) {
      int d = a->u.ref.r.depth - depth, s = a->u.ref.r.slot;
      for (int i = 0; i < dep->n; i++)
        if (dep->v[i] == d && slot->v[i] == s) return;
      VEC_PUSH(*dep, d);
      VEC_PUSH(*slot, s);
    }
    return;
  case E_SET:
    if (a->u.set.r.kind == REF_LOCAL && a->u.set.r.depth >= depth)
      *assigned_free = true;
    collect_free(a->u.set.val, depth, dep, slot, assigned_free);
    return;
  case E_IF:
    collect_free(a->u.iff.c, depth, dep, slot, assigned_free);
    collect_free(a->u.iff.t, depth, dep, slot, assigned_free);
    collect_free(a->u.iff.e, depth, dep, slot, assigned_free);
    return;
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++)
      collect_free(a->u.seq.v[i], depth, dep, slot, assigned_free);
    return;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      collect_free(a->u.let.v[i].init, depth, dep, slot, assigned_free);
      if (a->u.let.v[i].fn)
        collect_free(a->u.let.v[i].fn->body, depth + 1, dep, slot, assigned_free);
    }
    collect_free(a->u.let.body, depth, dep, slot, assigned_free);
    return;
  case E_CALL:
    for (int i = 0; i < a->u.call.n; i++)
      collect_free(a->u.call.args[i], depth, dep, slot, assigned_free);
    if (a->u.call.r.kind == REF_LOCALFN && a->u.call.r.depth >= depth) {
      /* calling a procedure of an outer scope: it must be lifted too and
       * its captures become ours; handled by lifting it first */
    }
    return;
  default:
    return;
  }
}

static void lower_fn_body(lw *c, int irfn, const fn_def *fn, frame_map *up,
                          const lifted *l);
static bool fn_reaches(const fn_def *f, const fn_def *target, fn_set *seen);

/* Whether the procedure now being lowered may have several activations at
 * once (then its variables live in stack frames and a lifted procedure
 * cannot reach them directly). */
static bool parent_recursive(lw *c) {
  if (c->in_lifted) return true;
  if (!c->self_cell || c->self_cell->kind != G_FUNC) return false;
  fn_set seen = {0};
  bool r = fn_reaches(c->self_cell->fn, c->self_cell->fn, &seen);
  VEC_FREE(seen);
  return r;
}

/* Lifts a local procedure to a function of its own: first (prepare) its
 * parameters, so that siblings can call it, then its body.  When the
 * enclosing procedure is not recursive its variables are static cells,
 * and the lifted body uses them directly (set! included); otherwise the
 * variables it captures are passed as extra arguments, and must not be
 * assigned. */
static bool lift_local(lw *c, const let_binding *b, frame_map *f, bool prepare) {
  const fn_def *fn = b->fn;
  lifted *have = find_lifted(c, fn);
  if (!prepare) {
    if (!have || have->lowered) return !c->failed;
    have->lowered = true;
    lifted copy = *have;   /* c->lift may move while the body is lowered */
    lower_fn_body(c, copy.irfn, fn, copy.def, &copy);
    return !c->failed;
  }
  if (have) return true;
  bool shared = !parent_recursive(c);
  int_vec dep = {0}, slot = {0};
  bool assigned = false;
  if (!shared) {
    collect_free(fn->body, 1, &dep, &slot, &assigned);
    for (int i = 0; i < dep.n && !assigned; i++) {
      frame_map *t = frame_up(f, dep.v[i]);
      if (t && t->fn && t->slots[slot.v[i]].var >= 0 &&
          c->p->vars.v[t->slots[slot.v[i]].var].assigned)
        assigned = true;
    }
  }
  if (assigned) {
    fail(c, fn->loc, "local procedure %s uses a variable of its enclosing "
                     "procedure that is assigned with set!, and that "
                     "procedure is recursive; compiled code cannot share it "
                     "(pass it as an argument instead)", nm(c, fn->name));
    VEC_FREE(dep);
    VEC_FREE(slot);
    return false;
  }
  lifted l = {fn, c->p->fns.n, dep.n, NULL, NULL, shared, false, f};
  l.cap_depth = arena_alloc(&c->p->mem, (size_t)(dep.n + 1) * sizeof(int));
  l.cap_slot = arena_alloc(&c->p->mem, (size_t)(dep.n + 1) * sizeof(int));
  for (int i = 0; i < dep.n; i++) {
    l.cap_depth[i] = dep.v[i];
    l.cap_slot[i] = slot.v[i];
  }
  VEC_FREE(dep);
  VEC_FREE(slot);
  ir_fn nf;
  memset(&nf, 0, sizeof nf);
  nf.name = fn->name;
  nf.loc = fn->loc;
  nf.ret_type = new_type(c, T_ANY);
  nf.nparams = fn->nparams + l.ncap;
  nf.params = arena_alloc(&c->p->mem, (size_t)(nf.nparams + 1) * sizeof(int));
  VEC_PUSH(c->p->fns, nf);
  int save = c->fn;
  c->fn = l.irfn;
  for (int i = 0; i < nf.nparams; i++) {
    bool own = i < fn->nparams;
    int v = new_var(c, own ? fn->params[i] : -1, VAR_LOCAL,
                    own ? fn->param_locs[i] : fn->loc);
    if (own && assigns_slot(fn->body, 0, i)) c->p->vars.v[v].assigned = true;
    c->p->fns.v[l.irfn].params[i] = v;
  }
  c->fn = save;
  VEC_PUSH(c->lift, l);
  return !c->failed;
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
    fail(c, a->loc, "too many bindings in one let");
    return;
  }
  for (int i = 0; i < n; i++) inits[i] = a->u.let.v[i].init;
  lower_operands(c, inits, n, f, vals);
  for (int i = 0; i < n && !c->failed; i++) {
    const let_binding *b = &a->u.let.v[i];
    if (forced) forced[i] = NULL;
    if (!b->init) continue;
    slot_binding *s = &f->slots[b->slot];
    bool assigned = assigns_slot(a->u.let.body, 0, b->slot);
    bool fails = may_fail(vals[i]);
    if (pure_body && !assigned && (!fails || forced)) {
      if (forced) forced[i] = vals[i];
      s->expr = vals[i];
      s->var = -1;
    } else {
      s->expr = NULL;
      s->var = new_var(c, b->name, VAR_LOCAL, b->loc);
      assign(c, s->var, vals[i], b->loc);
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
    s->var = new_var(c, b->name, VAR_LOCAL, b->loc);
    if (assigns_slot(a->u.let.body, 0, b->slot))
      c->p->vars.v[s->var].assigned = true;
  }
  for (int i = 0; i < a->u.let.n && !c->failed; i++) {
    const let_binding *b = &a->u.let.v[i];
    if (b->fn) continue;
    assign(c, f->slots[b->slot].var, lower_value(c, b->init, f), b->loc);
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
static ir_expr *lower_value(lw *c, const ast *a, frame_map *f) {
  if (c->failed) return void_expr(c, a->loc);
  switch (a->kind) {
  case E_CONST:
    switch ((vkind)a->u.k.kind) {
    case VK_INT: return konst(c, T_INT, a->u.k.i, a->loc);
    case VK_BOOL: return konst(c, T_BOOL, a->u.k.i, a->loc);
    case VK_SYM: return konst(c, T_SYM, a->u.k.i, a->loc);
    case VK_STR: return konst(c, T_STR, a->u.k.i, a->loc);
    default: return void_expr(c, a->loc);
    }
  case E_REF:
    return load(c, a, f);
  case E_SET:
    store(c, a, f, lower_value(c, a->u.set.val, f));
    return void_expr(c, a->loc);
  case E_IF:
    if (is_pure(c, a)) {
      ir_expr *e = mk(c, X_SELECT, a->loc, 3);
      e->a[0] = lower_value(c, a->u.iff.c, f);
      e->a[1] = lower_value(c, a->u.iff.t, f);
      e->a[2] = lower_value(c, a->u.iff.e, f);
      unify(c, e->a[1]->type, e->a[2]->type, a->loc,
            "the value of this if");
      e->type = e->a[1]->type;
      return e;
    }
    /* fall through to control flow */
    break;
  case E_AND:
  case E_OR:
    if (is_pure(c, a)) {
      /* (and x y) = (if x y #f); (or x y) = (if x x y) */
      ir_expr *acc = lower_value(c, a->u.seq.v[a->u.seq.n - 1], f);
      for (int i = a->u.seq.n - 2; i >= 0 && !c->failed; i--) {
        ir_expr *x = lower_value(c, a->u.seq.v[i], f);
        ir_expr *e = mk(c, X_SELECT, a->loc, 3);
        e->a[0] = x;
        if (a->kind == E_AND) {
          e->a[1] = acc;
          e->a[2] = konst(c, T_BOOL, 0, a->loc);
        } else {
          e->a[1] = x;
          e->a[2] = acc;
        }
        unify(c, e->a[1]->type, e->a[2]->type, a->loc,
              a->kind == E_AND ? "the value of this and" : "the value of this or");
        e->type = e->a[1]->type;
        acc = e;
      }
      return acc;
    }
    break;
  case E_BEGIN:
    for (int i = 0; i + 1 < a->u.seq.n; i++) lower_effect(c, a->u.seq.v[i], f);
    return lower_value(c, a->u.seq.v[a->u.seq.n - 1], f);
  case E_LET:
    if (binds_procedure(a) && !is_pure(c, a)) break;
  {
    ir_expr *forced[256];
    bind_let(c, a, f, is_pure(c, a->u.let.body), forced);
    if (c->failed) return void_expr(c, a->loc);
    ir_expr *v = lower_value(c, a->u.let.body, f);
    return force_errors(c, v, forced, a->u.let.n);
  }
  case E_LETREC:
    if (is_pure(c, a)) {
      bind_letrec(c, a, f, NULL);
      return lower_value(c, a->u.let.body, f);
    }
    break;
  case E_CALL: {
    const ref_info *r = &a->u.call.r;
    bool loopish = r->kind == REF_LOCALFN && find_loop(f, r->depth, r->fn);
    if (!loopish) return lower_call(c, a, f, NULL);
    break;
  }
  case E_VECLIT: {
    int n = a->u.seq.n;
    int tmp = new_var(c, -1, VAR_TEMP, a->loc);
    int vt = type_of_kind(c, T_VEC);
    c->p->vars.v[tmp].type = vt;
    ir_expr *first = n ? lower_value(c, a->u.seq.v[0], f) : konst(c, T_INT, 0, a->loc);
    ir_stmt *s = emit(c, S_MAKEVEC, a->loc);
    s->var = tmp;
    s->a[0] = konst(c, T_INT, n, a->loc);
    s->a[1] = first;
    unify(c, ir_elem_type(c->p, c->p->vars.v[tmp].type), first->type, a->loc,
          "a vector element");
    for (int i = 1; i < n; i++) {
      ir_expr *x = lower_value(c, a->u.seq.v[i], f);
      ir_stmt *vs = emit(c, S_VSET, a->loc);
      vs->a[0] = var_expr(c, tmp, a->loc);
      vs->a[1] = konst(c, T_INT, i, a->loc);
      vs->a[2] = x;
      unify(c, ir_elem_type(c->p, c->p->vars.v[tmp].type), x->type, a->loc,
            "a vector element");
    }
    return var_expr(c, tmp, a->loc);
  }
  default:
    fail(c, a->loc, "definitions are only allowed at top level");
    return void_expr(c, a->loc);
  }
  /* Control flow: lower in tail position into a temporary. */
  int tmp = new_var(c, -1, VAR_TEMP, a->loc);
  int done = new_label(c);
  cont k = {c->next_cont++, false, tmp, done};
  lower_tail(c, a, f, k);
  label(c, done, a->loc);
  return var_expr(c, tmp, a->loc);
}

/* An expression whose value is not needed. */
static void lower_effect(lw *c, const ast *a, frame_map *f) {
  if (c->failed) return;
  if (a->kind == E_CONST || a->kind == E_REF) return;
  if (a->kind == E_BEGIN) {
    for (int i = 0; i < a->u.seq.n; i++) lower_effect(c, a->u.seq.v[i], f);
    return;
  }
  if (a->kind == E_LET && !binds_procedure(a)) {
    bind_let(c, a, f, false, NULL);
    lower_effect(c, a->u.let.body, f);
    return;
  }
  if (a->kind == E_IF || a->kind == E_LETREC || a->kind == E_LET ||
      (a->kind == E_CALL && a->u.call.r.kind == REF_LOCALFN) ||
      a->kind == E_AND || a->kind == E_OR) {
    if (!is_pure(c, a) || a->kind == E_LETREC || a->kind == E_LET) {
      int done = new_label(c);
      cont k = {c->next_cont++, false, -1, done};
      lower_tail(c, a, f, k);
      label(c, done, a->loc);
      return;
    }
  }
  ir_expr *v = lower_value(c, a, f);
  if (v && v->k != X_CONST && v->k != X_VAR) emit(c, S_EVAL, a->loc)->a[0] = v;
}

/* An expression in tail position: its value goes to k. */
static void lower_tail(lw *c, const ast *a, frame_map *f, cont k) {
  if (c->failed) return;
  switch (a->kind) {
  case E_IF: {
    if (is_pure(c, a) && !(k.var < 0 && !k.ret)) break;
    ir_expr *cond = lower_value(c, a->u.iff.c, f);
    int lt = new_label(c), le = new_label(c);
    ir_stmt *s = emit(c, S_BRANCH, a->loc);
    s->a[0] = cond;
    s->l1 = lt;
    s->l2 = le;
    label(c, lt, a->loc);
    lower_tail(c, a->u.iff.t, f, k);
    label(c, le, a->loc);
    lower_tail(c, a->u.iff.e, f, k);
    return;
  }
  case E_AND:
  case E_OR: {
    if (is_pure(c, a)) break;
    /* each operand but the last: test it, leave early with its value */
    for (int i = 0; i + 1 < a->u.seq.n && !c->failed; i++) {
      ir_expr *x = lower_value(c, a->u.seq.v[i], f);
      int tmpv = new_var(c, -1, VAR_TEMP, a->loc);
      assign(c, tmpv, x, a->loc);
      int go_on = new_label(c), leave = new_label(c);
      ir_stmt *s = emit(c, S_BRANCH, a->loc);
      s->a[0] = var_expr(c, tmpv, a->loc);
      s->l1 = a->kind == E_AND ? go_on : leave;
      s->l2 = a->kind == E_AND ? leave : go_on;
      label(c, leave, a->loc);
      deliver(c, var_expr(c, tmpv, a->loc), k, a->loc);
      label(c, go_on, a->loc);
    }
    lower_tail(c, a->u.seq.v[a->u.seq.n - 1], f, k);
    return;
  }
  case E_BEGIN:
    for (int i = 0; i + 1 < a->u.seq.n; i++) lower_effect(c, a->u.seq.v[i], f);
    lower_tail(c, a->u.seq.v[a->u.seq.n - 1], f, k);
    return;
  case E_LET:
  case E_LETREC: {
    if (a->kind == E_LET && !binds_procedure(a)) {
      bind_let(c, a, f, false, NULL);
      lower_tail(c, a->u.let.body, f, k);
      return;
    }
    /* a let binding a lambda is lowered as letrec */
    /* loops first (they may be entered from the body), then lifted
     * procedures, then variables */
    for (int i = 0; i < a->u.let.n && !c->failed; i++) {
      const let_binding *b = &a->u.let.v[i];
      if (!b->fn || !contifiable(a, b) || fn_pure(&c->pu, b->fn)) continue;
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
        if (!b->fn || find_loop(f, 0, b->fn) || fn_pure(&c->pu, b->fn)) continue;
        lift_local(c, b, f, pass == 0);
      }
    }
    const ast *body = a->u.let.body;
    if (body->kind == E_CALL && body->u.call.r.kind == REF_LOCALFN &&
        body->u.call.r.depth == 0) {
      loop_info *l = find_loop(f, 0, body->u.call.r.fn);
      if (l) {
        /* enter the loop: its parameters take the initial values */
        const fn_def *fn = l->fn;
        frame_map *lf = new_frame(c, fn, fn->frame_size, f);
        l->params = arena_alloc(&c->p->mem, (size_t)(fn->nparams + 1) * sizeof(int));
        ir_expr *init[64];
        if (fn->nparams > 64) {
          fail(c, fn->loc, "loops with more than 64 variables are not supported");
          return;
        }
        lower_operands(c, body->u.call.args, fn->nparams, f, init);
        for (int i = 0; i < fn->nparams && !c->failed; i++) {
          l->params[i] = new_var(c, fn->params[i], VAR_LOCAL, fn->param_locs[i]);
          lf->slots[i].var = l->params[i];
          if (assigns_slot(fn->body, 0, i)) c->p->vars.v[l->params[i]].assigned = true;
          assign(c, l->params[i], init[i], body->loc);
        }
        l->head = new_label(c);
        label(c, l->head, fn->loc);
        lower_tail(c, fn->body, lf, k);
        return;
      }
    }
    lower_tail(c, body, f, k);
    return;
  }
  case E_CALL: {
    const ref_info *r = &a->u.call.r;
    if (r->kind == REF_LOCALFN && find_loop(f, r->depth, r->fn)) {
      lower_call(c, a, f, &k);
      return;
    }
    /* a procedure calling itself in tail position loops */
    if (r->kind == REF_GLOBAL && r->cell == c->self_cell && c->self_loop &&
        k.id == c->self_loop->k.id && r->cell->kind == G_FUNC &&
        r->cell->fn->nparams == a->u.call.n && !fn_pure(&c->pu, r->cell->fn)) {
      ir_expr *args[64];
      if (a->u.call.n > 64) break;
      lower_args(c, a, f, args);
      if (!c->failed) loop_again(c, c->self_loop, args, a->u.call.n, a->loc);
      return;
    }
    break;
  }
  default:
    break;
  }
  ir_expr *v = lower_value(c, a, f);
  if (!c->failed) deliver(c, v, k, a->loc);
}

/* ---- functions ------------------------------------------------------ */

/* A view of the enclosing frames for a lifted body: their variables, but
 * not their loops (a loop of another function is not a jump target). */
static frame_map *frames_without_loops(lw *c, frame_map *up) {
  if (!up) return NULL;
  frame_map *f = arena_alloc(&c->p->mem, sizeof *f);
  *f = *up;
  f->loops = NULL;
  f->up = frames_without_loops(c, up->up);
  return f;
}

static void lower_fn_body(lw *c, int irfn, const fn_def *fn, frame_map *up,
                          const lifted *l) {
  int save = c->fn;
  bool save_lifted = c->in_lifted;
  gcell *save_cell = c->self_cell;
  loop_info *save_loop = c->self_loop;
  c->fn = irfn;
  c->in_lifted = true;
  c->self_cell = NULL;
  c->self_loop = NULL;
  int ncap = l ? l->ncap : 0;
  const int *params = c->p->fns.v[irfn].params;
  frame_map *f = new_frame(c, fn, fn->frame_size,
                           l && l->shared ? frames_without_loops(c, up) : up);
  for (int i = 0; i < fn->nparams; i++) f->slots[i].var = params[i];
  /* Captured variables are parameters too; inside the body they replace
   * the enclosing frames' slots, so give the body private copies of the
   * frames it reaches into. */
  if (ncap) {
    frame_map *copies[16] = {0};
    for (int i = 0; i < ncap; i++) {
      int d = l->cap_depth[i];
      if (d >= 16) {
        fail(c, fn->loc, "procedures nested more than 16 deep");
        break;
      }
      frame_map *orig = frame_up(up, d);
      if (!copies[d] && orig) {
        copies[d] = new_frame(c, orig->fn, orig->nslots, NULL);
        for (int s = 0; s < orig->nslots; s++) copies[d]->slots[s].var = -1;
      }
      if (copies[d]) copies[d]->slots[l->cap_slot[i]].var = params[fn->nparams + i];
    }
    frame_map *prev = f;
    for (int d = 0; d < 16; d++) {
      frame_map *orig = frame_up(up, d);
      if (!orig) break;
      frame_map *use = copies[d] ? copies[d] : new_frame(c, orig->fn, orig->nslots, NULL);
      prev->up = use;
      prev = use;
    }
  }
  cont k = {c->next_cont++, true, -1, -1};
  lower_tail(c, fn->body, f, k);
  c->fn = save;
  c->in_lifted = save_lifted;
  c->self_cell = save_cell;
  c->self_loop = save_loop;
}

static int lower_global_fn(lw *c, gcell *g, srcloc loc) {
  for (int i = 0; i < c->gfns.n; i++)
    if (c->gfns.v[i].cell == g) return c->gfns.v[i].irfn;
  ir_fn nf;
  memset(&nf, 0, sizeof nf);
  nf.name = g->name;
  nf.loc = g->fn->loc;
  nf.cell = g;
  nf.ret_type = new_type(c, T_ANY);
  nf.nparams = g->fn->nparams;
  VEC_PUSH(c->p->fns, nf);
  int irfn = c->p->fns.n - 1;
  struct gfn e = {g, irfn};
  VEC_PUSH(c->gfns, e);
  /* Parameters must exist before callers unify against them: make them
   * now, lower the body later (it may call this function again). */
  int save = c->fn;
  c->fn = irfn;
  c->p->fns.v[irfn].params = arena_alloc(&c->p->mem, (size_t)(g->fn->nparams + 1) * sizeof(int));
  for (int i = 0; i < g->fn->nparams; i++) {
    int v = new_var(c, g->fn->params[i], VAR_LOCAL, g->fn->param_locs[i]);
    c->p->fns.v[irfn].params[i] = v;
  }
  c->fn = save;
  struct work w = {g, irfn};
  VEC_PUSH(c->pending, w);
  (void)loc;
  return irfn;
}

static void lower_pending(lw *c) {
  while (c->pending.n && !c->failed) {
    struct work w = c->pending.v[--c->pending.n];
    const fn_def *fn = w.cell->fn;
    int save = c->fn;
    c->fn = w.irfn;
    frame_map *f = new_frame(c, fn, fn->frame_size, NULL);
    for (int i = 0; i < fn->nparams; i++) {
      int v = c->p->fns.v[w.irfn].params[i];
      if (assigns_slot(fn->body, 0, i)) c->p->vars.v[v].assigned = true;
      f->slots[i].var = v;
    }
    cont k = {c->next_cont++, true, -1, -1};
    loop_info *self = arena_alloc(&c->p->mem, sizeof *self);
    self->k = k;
    self->params = c->p->fns.v[w.irfn].params;
    self->head = new_label(c);
    label(c, self->head, fn->loc);
    gcell *save_cell = c->self_cell;
    loop_info *save_loop = c->self_loop;
    c->self_cell = w.cell;
    c->self_loop = self;
    lower_tail(c, fn->body, f, k);
    c->self_cell = save_cell;
    c->self_loop = save_loop;
    c->fn = save;
  }
}

/* Marks the functions that are part of a call cycle. */
static void find_recursion(ir_prog *p) {
  int n = p->fns.n;
  char *reach = xcalloc((size_t)n * (size_t)n, 1);
  for (int i = 0; i < n; i++)
    for (int s = 0; s < p->fns.v[i].body.n; s++)
      if (p->fns.v[i].body.v[s].k == S_CALL)
        reach[i * n + p->fns.v[i].body.v[s].fn] = 1;
  for (int k = 0; k < n; k++)
    for (int i = 0; i < n; i++)
      if (reach[i * n + k])
        for (int j = 0; j < n; j++)
          if (reach[k * n + j]) reach[i * n + j] = 1;
  for (int i = 0; i < n; i++) p->fns.v[i].recursive = reach[i * n + i];
  free(reach);
}

static ir_prog *new_prog(world *w) {
  ir_prog *p = xcalloc(1, sizeof *p);
  p->w = w;
  arena_init(&p->mem);
  return p;
}

static ir_prog *finish(lw *c) {
  lower_pending(c);
  VEC_FREE(c->pu.memo);
  VEC_FREE(c->lift);
  VEC_FREE(c->gfns);
  VEC_FREE(c->pending);
  if (c->failed) {
    ir_free(c->p);
    return NULL;
  }
  find_recursion(c->p);
  return c->p;
}

ir_prog *ir_lower_main(world *w, const ast *expr, int frame_size,
                       lang_error *err) {
  lw c;
  memset(&c, 0, sizeof c);
  c.p = new_prog(w);
  c.w = w;
  c.err = err;
  c.pu.w = w;
  ir_fn main;
  memset(&main, 0, sizeof main);
  main.name = sym_intern(&w->syms, "main", 4);
  main.loc = expr->loc;
  main.is_main = true;
  main.ret_type = new_type(&c, T_ANY);
  VEC_PUSH(c.p->fns, main);
  c.p->main_fn = 0;
  c.fn = 0;
  frame_map *f = new_frame(&c, NULL, frame_size, NULL);
  cont k = {c.next_cont++, true, -1, -1};
  lower_tail(&c, expr, f, k);
  c.p->main_type = c.p->fns.v[0].ret_type;
  return finish(&c);
}

ir_prog *ir_lower_function(world *w, gcell *g, lang_error *err) {
  lw c;
  memset(&c, 0, sizeof c);
  c.p = new_prog(w);
  c.w = w;
  c.err = err;
  c.pu.w = w;
  ir_fn main;
  memset(&main, 0, sizeof main);
  main.name = g->name;
  main.loc = g->fn->loc;
  main.is_main = true;
  main.ret_type = new_type(&c, T_ANY);
  VEC_PUSH(c.p->fns, main);
  c.p->main_fn = 0;
  c.fn = 0;
  const fn_def *fn = g->fn;
  ir_fn *M = &c.p->fns.v[0];
  M->nparams = fn->nparams;
  M->params = arena_alloc(&c.p->mem, (size_t)(fn->nparams + 1) * sizeof(int));
  ir_expr *args[64];
  if (fn->nparams > 64) {
    fail(&c, fn->loc, "too many parameters for compiled code");
    return finish(&c);
  }
  for (int i = 0; i < fn->nparams; i++) {
    int v = new_var(&c, fn->params[i], VAR_LOCAL, fn->param_locs[i]);
    c.p->fns.v[0].params[i] = v;
    args[i] = var_expr(&c, v, fn->param_locs[i]);
  }
  ir_expr *v;
  if (fn_pure(&c.pu, fn)) {
    v = inline_call(&c, fn, args, NULL, fn->loc);
  } else {
    v = call_stmt(&c, lower_global_fn(&c, g, fn->loc), args, fn->nparams, fn->loc);
  }
  if (!c.failed) {
    unify(&c, c.p->fns.v[0].ret_type, v->type, fn->loc, "the value returned");
    emit(&c, S_RETURN, fn->loc)->a[0] = v;
  }
  /* a parameter of open kind (a test of it, its display) compiles
   * differently for each kind: such calls are compiled with their
   * arguments, as programs of their own */
  lower_pending(&c);
  for (int i = 0; i < fn->nparams && !c.failed; i++)
    if (ir_kind(c.p, c.p->vars.v[c.p->fns.v[0].params[i]].type) == T_ANY) {
      fail(&c, fn->param_locs[i], "the kind of parameter %s is not fixed by "
           "the body of %s", nm(&c, fn->params[i]), nm(&c, fn->name));
      c.err->kind = "incomplete";
    }
  c.p->main_type = c.p->fns.v[0].ret_type;
  return finish(&c);
}

void ir_free(ir_prog *p) {
  if (!p) return;
  for (int i = 0; i < p->fns.n; i++) VEC_FREE(p->fns.v[i].body);
  VEC_FREE(p->fns);
  VEC_FREE(p->vars);
  VEC_FREE(p->types);
  VEC_FREE(p->tables);
  VEC_FREE(p->globals);
  VEC_FREE(p->deps);
  arena_free(&p->mem);
  free(p);
}

/* ---- listing -------------------------------------------------------- */

static void dump_type(const ir_prog *p, int t, strbuf *out) {
  tkind k = ir_kind(p, t);
  if (k == T_VEC) {
    sb_puts(out, "vec<");
    dump_type(p, ir_elem_type(p, t), out);
    sb_putc(out, '>');
    return;
  }
  static const char *const names[] = {"void", "int", "bool", "sym", "str", "vec"};
  sb_puts(out, k == T_ANY ? "?" : names[k]);
}

static void dump_var(const ir_prog *p, int v, strbuf *out) {
  const ir_var *x = &p->vars.v[v];
  if (x->name >= 0) sb_printf(out, "%s", sym_name(&p->w->syms, x->name));
  else sb_puts(out, "t");
  sb_printf(out, "%s%d", x->cls == VAR_GLOBAL ? "@g" : "@", v);
}

static void dump_expr(const ir_prog *p, const ir_expr *e, strbuf *out) {
  switch (e->k) {
  case X_CONST:
    switch (ir_kind(p, e->type)) {
    case T_BOOL: sb_puts(out, e->ival ? "#t" : "#f"); break;
    case T_SYM: sb_printf(out, "'%s", sym_name(&p->w->syms, e->ival)); break;
    case T_STR: sb_printf(out, "\"%s\"", world_string(p->w, e->ival)); break;
    case T_VOID: sb_puts(out, "#<void>"); break;
    default: sb_printf(out, "%d", (int)e->ival); break;
    }
    return;
  case X_VAR: dump_var(p, e->var, out); return;
  case X_PRIM: sb_printf(out, "(%s", e->op->name); break;
  case X_NOT: sb_puts(out, "(not"); break;
  case X_SEQ: sb_puts(out, "(seq"); break;
  case X_SELECT: sb_puts(out, "(select"); break;
  case X_VREF: sb_puts(out, "(vref"); break;
  case X_VLEN: sb_puts(out, "(vlen"); break;
  case X_TABLE: sb_printf(out, "(table %s", sym_name(&p->w->syms, e->table->name)); break;
  }
  for (int i = 0; i < e->n; i++) {
    sb_putc(out, ' ');
    dump_expr(p, e->a[i], out);
  }
  sb_putc(out, ')');
}

void ir_dump(const ir_prog *p, strbuf *out) {
  for (int f = 0; f < p->fns.n; f++) {
    const ir_fn *F = &p->fns.v[f];
    sb_printf(out, "fn %s%s (", sym_name(&p->w->syms, F->name),
              F->recursive ? " [recursive]" : "");
    for (int i = 0; i < F->nparams; i++) {
      if (i) sb_putc(out, ' ');
      dump_var(p, F->params[i], out);
      sb_putc(out, ':');
      dump_type(p, p->vars.v[F->params[i]].type, out);
    }
    sb_puts(out, ") -> ");
    dump_type(p, F->ret_type, out);
    sb_putc(out, '\n');
    for (int i = 0; i < F->body.n; i++) {
      const ir_stmt *s = &F->body.v[i];
      if (s->k != S_LABEL) sb_puts(out, "    ");
      switch (s->k) {
      case S_ASSIGN:
        dump_var(p, s->var, out);
        sb_puts(out, " := ");
        dump_expr(p, s->a[0], out);
        break;
      case S_EVAL: sb_puts(out, "eval "); dump_expr(p, s->a[0], out); break;
      case S_VSET:
        sb_puts(out, "vset ");
        for (int k = 0; k < 3; k++) { dump_expr(p, s->a[k], out); sb_putc(out, ' '); }
        break;
      case S_MAKEVEC:
        dump_var(p, s->var, out);
        sb_puts(out, " := makevec ");
        dump_expr(p, s->a[0], out);
        sb_putc(out, ' ');
        dump_expr(p, s->a[1], out);
        break;
      case S_CALL:
        if (s->var >= 0) { dump_var(p, s->var, out); sb_puts(out, " := "); }
        sb_printf(out, "call %s", sym_name(&p->w->syms, p->fns.v[s->fn].name));
        for (int k = 0; k < s->nargs; k++) { sb_putc(out, ' '); dump_expr(p, s->args[k], out); }
        break;
      case S_EXTCALL:
        dump_var(p, s->var, out);
        sb_printf(out, " := extern %s", sym_name(&p->w->syms, s->ext->ext->name));
        for (int k = 0; k < s->nargs; k++) { sb_putc(out, ' '); dump_expr(p, s->args[k], out); }
        break;
      case S_RETURN: sb_puts(out, "return "); dump_expr(p, s->a[0], out); break;
      case S_DISPLAY: sb_puts(out, s->write ? "write " : "display "); dump_expr(p, s->a[0], out); break;
      case S_NEWLINE: sb_puts(out, "newline"); break;
      case S_BRANCH:
        sb_puts(out, "if ");
        dump_expr(p, s->a[0], out);
        sb_printf(out, " goto L%d else L%d", s->l1, s->l2);
        break;
      case S_JUMP: sb_printf(out, "goto L%d", s->l1); break;
      case S_LABEL: sb_printf(out, "  L%d:", s->l1); break;
      }
      sb_putc(out, '\n');
    }
  }
}
