/* lower-values.c - multiple values (values, call-with-values, and the
 * forms the expander makes of them: let-values, let*-values, receive,
 * define-values).
 *
 * The evaluator (eval.c ev_values) lets several values travel only through
 * tail positions, from `values` to the continuation that takes them; every
 * other place takes one value (the first, or the error "zero values
 * returned where one value is needed" where there is none).  Compiled code
 * does the same with a multi-slot return:
 *
 *  - a procedure returns its first value as usual (RV; the unspecified
 *    value for none), and the number of values in a static cell MVX as
 *    count - 1, the values after the first in static cells MV2, MV3, ...
 *    MVX is 0 everywhere except right after a return of several (or no)
 *    values: a procedure that returns one value writes nothing;
 *  - `(values e ...)` in tail position of a procedure writes MV2... and
 *    MVX, then returns e; anywhere else it is its first value (after
 *    every argument's errors), or that error for `(values)`;
 *  - after a call that may return several values (a procedure whose tail
 *    may reach `values`, or a call through a value in a program that uses
 *    values), a place that takes one value tests MVX = -1 (the error, at
 *    the position the evaluator reports) and sets MVX := 0 in the same
 *    step; a place that drops the value sets MVX := 0; a call in tail
 *    position leaves them to its own caller;
 *  - `(call-with-values P C)` calls P's value with no arguments (a
 *    closure, made where the evaluator makes it), reads n = MVX + 1 and
 *    the values (MVX := 0), checks n against C's parameters (the
 *    evaluator's "wrong number of values" text, a branch per count), and
 *    calls C's value with them (a jump on n where C takes several
 *    counts).  Its value is C's, as it is (several values pass through).
 *
 * Programs that never use multiple values are lowered as before: none of
 * this runs (lw->mv stays NULL, or `used` false).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"

#include <string.h>

#define MV_MAX 16   /* values one `values` may return in compiled code */

enum { MV_ONE, MV_DROP, MV_PASS };

struct lw_mv {
  bool used;          /* the program may make several values */
  int kmax;           /* the most values one `values` makes (at least 2) */
  int mvx;            /* static cell: count - 1 (-1 .. kmax - 1) */
  int mv[MV_MAX + 1]; /* static cells of values 2..kmax (-1: not made) */
  struct mv_memo { const fn_def *fn; int state; } *memo;   /* 1 visiting, else counts << 1 */
  int nmemo, capmemo;
  /* the context of the call being lowered (set for one ast) */
  const ast *ctx_ast;
  int ctx;
  /* the position of the place that takes one value, for a tail part */
  const ast *pass_ast;
  srcloc pass_loc;
  struct mv_cont { int id; srcloc loc; } *conts;
  int nconts, capconts;
  int cur_ctx;
  srcloc cur_loc;
  /* the scan's walk */
  const fn_def **seen;
  int nseen, capseen;
  int budget;
};

static bool is_name(const builtin *b, const char *name) { return b && !strcmp(b->name, name); }

static bool two_values(const builtin *b) {
  return is_name(b, "floor/") || is_name(b, "truncate/") || is_name(b, "exact-integer-sqrt");
}

static bool mv_builtin(const builtin *b) {
  return is_name(b, "values") || is_name(b, "call-with-values") || two_values(b);
}

/* ---- which programs and procedures use several values ---------------- */

static void scan_ast(lw *c, const ast *a);

static void scan_fn(lw *c, const fn_def *fn) {
  struct lw_mv *m = c->mv;
  if (!fn) return;
  for (int i = 0; i < m->nseen; i++)
    if (m->seen[i] == fn) return;
  if (m->nseen == m->capseen) {
    int cap = m->capseen ? 2 * m->capseen : 16;
    const fn_def **v = arena_alloc(&c->p->mem, (size_t)cap * sizeof *v);
    if (m->nseen) memcpy(v, m->seen, (size_t)m->nseen * sizeof *v);
    m->seen = v;
    m->capseen = cap;
  }
  m->seen[m->nseen++] = fn;
  scan_ast(c, fn->body);
}

static void scan_value(lw *c, value v, int depth) {
  struct lw_mv *m = c->mv;
  if (--m->budget < 0 || depth > 64) {
    m->used = true;   /* too large to walk: assume the worst */
    return;
  }
  if (v.kind == VK_PROC && v.vec && v.vec->fn) {
    scan_fn(c, v.vec->fn);
    for (int32_t i = 0; i < v.vec->n; i++) scan_value(c, v.vec->items[i], depth + 1);
  } else if (v.kind == VK_PROC && !v.vec) {
    if (mv_builtin(builtin_at((int)v.i))) m->used = true;
  } else if ((v.kind == VK_PAIR || v.kind == VK_VEC || v.kind == VK_BOX) && v.vec) {
    for (int32_t i = 0; i < v.vec->n; i++) scan_value(c, v.vec->items[i], depth + 1);
  }
}

static void scan_ref(lw *c, const ref_info *r, int nargs) {
  struct lw_mv *m = c->mv;
  if (r->kind == REF_BUILTIN && mv_builtin(r->bi)) {
    m->used = true;
    /* (apply values l): as many as apply spreads (lower-apply.c, 8) */
    if (is_name(r->bi, "values") && nargs < 0 && m->kmax < 8) m->kmax = 8;
    if (is_name(r->bi, "values") && nargs > m->kmax) m->kmax = nargs;
  } else if (r->kind == REF_BUILTIN && (is_name(r->bi, "call/cc") ||
                                        is_name(r->bi, "call-with-current-continuation"))) {
    /* its continuation may be called with any number of values
     * (lower-callcc.c: up to kmax, more is refused) */
    m->used = true;
    if (m->kmax < 4) m->kmax = 4;
  } else if (r->kind == REF_BUILTIN && (is_name(r->bi, "dynamic-wind") ||
                                        is_name(r->bi, "catch") ||
                                        is_name(r->bi, "with-exception-handler"))) {
    /* lower-wind.c: in a program that makes several values, the thunk's
     * pass through (apply values l) */
    if (m->kmax < 8) m->kmax = 8;
  } else if (r->kind == REF_GLOBAL && r->cell->kind == G_FUNC) {
    scan_fn(c, r->cell->fn);
  } else if (r->kind == REF_GLOBAL && r->cell->kind == G_VAR) {
    scan_value(c, r->cell->val, 0);
  } else if (r->kind == REF_LOCALFN) {
    scan_fn(c, r->fn);
  }
}

static void scan_ast(lw *c, const ast *a) {
  if (!a) return;
  switch (a->kind) {
  case E_CONST: scan_value(c, a->u.k, 0); return;
  case E_REF: scan_ref(c, &a->u.ref.r, -1); return;
  case E_SET: scan_ast(c, a->u.set.val); return;
  case E_IF:
    scan_ast(c, a->u.iff.c);
    scan_ast(c, a->u.iff.t);
    scan_ast(c, a->u.iff.e);
    return;
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++) scan_ast(c, a->u.seq.v[i]);
    return;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      if (a->u.let.v[i].fn) scan_fn(c, a->u.let.v[i].fn);
      scan_ast(c, a->u.let.v[i].init);
    }
    scan_ast(c, a->u.let.body);
    return;
  case E_LAMBDA: scan_fn(c, a->u.lam.fn); return;
  case E_APPLY:
    scan_ast(c, a->u.call.op);
    for (int i = 0; i < a->u.call.n; i++) scan_ast(c, a->u.call.args[i]);
    return;
  case E_CALL:
    scan_ref(c, &a->u.call.r, a->u.call.n);
    for (int i = 0; i < a->u.call.n; i++) scan_ast(c, a->u.call.args[i]);
    return;
  default:
    return;
  }
}

void lw_mv_scan(lw *c, const ast *root) {
  struct lw_mv *m = arena_alloc(&c->p->mem, sizeof *m);
  memset(m, 0, sizeof *m);
  m->kmax = 2;
  m->mvx = -1;
  for (int i = 0; i <= MV_MAX; i++) m->mv[i] = -1;
  m->budget = 100000;
  m->cur_ctx = MV_ONE;
  c->mv = m;
  scan_ast(c, root);
  if (!m->used) c->mv = NULL;   /* nothing below runs */
}

/* The numbers of values (bit j: j values) fn's body may return: a tail
 * position reaching `values`, call-with-values, a call through a value
 * (any number up to kmax), or a procedure that may.  A cycle counts as
 * any number (safe: it only costs tests). */
typedef uint32_t mvset;
#define MV_ONE_SET ((mvset)1 << 1)

static mvset all_counts(lw *c) { return ((mvset)2 << c->mv->kmax) - 1; }

static mvset tail_counts(lw *c, const ast *a);

static mvset fn_counts(lw *c, const fn_def *fn) {
  struct lw_mv *m = c->mv;
  for (int i = 0; i < m->nmemo; i++)
    if (m->memo[i].fn == fn)
      return m->memo[i].state == 1 ? all_counts(c) : (mvset)m->memo[i].state >> 1;
  if (m->nmemo == m->capmemo) {
    int cap = m->capmemo ? 2 * m->capmemo : 16;
    struct mv_memo *v = arena_alloc(&c->p->mem, (size_t)cap * sizeof *v);
    if (m->nmemo) memcpy(v, m->memo, (size_t)m->nmemo * sizeof *v);
    m->memo = v;
    m->capmemo = cap;
  }
  int at = m->nmemo++;
  m->memo[at].fn = fn;
  m->memo[at].state = 1;
  mvset s = tail_counts(c, fn->body);
  for (int i = 0; i < m->nmemo; i++)
    if (m->memo[i].fn == fn) m->memo[i].state = (int)(s << 1);
  return s;
}

static mvset call_counts(lw *c, const ast *a) {
  const ref_info *r = &a->u.call.r;
  switch (r->kind) {
  case REF_BUILTIN:
    if (is_name(r->bi, "values"))
      return a->u.call.n <= MV_MAX ? (mvset)1 << a->u.call.n : all_counts(c);
    if (is_name(r->bi, "call-with-values") && a->u.call.n == 2) {
      const ast *x = a->u.call.args[1];
      if (x->kind == E_LAMBDA) return fn_counts(c, x->u.lam.fn);
      if (x->kind == E_REF && x->u.ref.r.kind == REF_GLOBAL &&
          x->u.ref.r.cell->kind == G_FUNC)
        return fn_counts(c, x->u.ref.r.cell->fn);
      if (x->kind == E_REF && x->u.ref.r.kind == REF_BUILTIN &&
          !is_name(x->u.ref.r.bi, "values") && !is_name(x->u.ref.r.bi, "apply") &&
          !is_name(x->u.ref.r.bi, "call-with-values"))
        return MV_ONE_SET;
      return all_counts(c);
    }
    if (two_values(r->bi)) return (mvset)1 << 2;   /* lower-division.c */
    if (is_name(r->bi, "call/cc") || is_name(r->bi, "call-with-current-continuation") ||
        is_name(r->bi, "dynamic-wind") || is_name(r->bi, "catch") ||
        is_name(r->bi, "with-exception-handler"))
      return all_counts(c);   /* lower-callcc.c: what its continuation is given;
                                 lower-wind.c: the thunk's or handler's values */
    return is_name(r->bi, "apply") ? all_counts(c) : MV_ONE_SET;
  case REF_GLOBAL:
    if (r->cell->kind == G_FUNC) return fn_counts(c, r->cell->fn);
    return r->cell->kind == G_VAR ? all_counts(c) : MV_ONE_SET;
  case REF_LOCALFN:
    return fn_counts(c, r->fn);
  default:
    return all_counts(c);   /* a call through a variable's value */
  }
}

static mvset tail_counts(lw *c, const ast *a) {
  if (!a) return MV_ONE_SET;
  switch (a->kind) {
  case E_IF: return tail_counts(c, a->u.iff.t) | tail_counts(c, a->u.iff.e);
  case E_BEGIN:
    return a->u.seq.n > 0 ? tail_counts(c, a->u.seq.v[a->u.seq.n - 1]) : MV_ONE_SET;
  case E_AND: case E_OR:
    return a->u.seq.n > 0 ? tail_counts(c, a->u.seq.v[a->u.seq.n - 1]) |
                                (a->u.seq.n > 1 ? MV_ONE_SET : 0)
                          : MV_ONE_SET;
  case E_LET: case E_LETREC: return tail_counts(c, a->u.let.body);
  case E_APPLY: return all_counts(c);
  case E_CALL: return call_counts(c, a);
  default: return MV_ONE_SET;
  }
}

static bool call_mv(lw *c, const ast *a) { return call_counts(c, a) != MV_ONE_SET; }

int lw_mv_kmax(lw *c) { return c->mv ? c->mv->kmax : 1; }

bool lw_fn_mv(lw *c, const fn_def *fn) { return c->mv && fn_counts(c, fn) != MV_ONE_SET; }

/* The numbers of values the producer of a call-with-values may give. */
static mvset producer_counts(lw *c, const ast *p) {
  if (p->kind == E_LAMBDA) return fn_counts(c, p->u.lam.fn);
  if (p->kind == E_REF && p->u.ref.r.kind == REF_GLOBAL && p->u.ref.r.cell->kind == G_FUNC)
    return fn_counts(c, p->u.ref.r.cell->fn);
  if (p->kind == E_REF && p->u.ref.r.kind == REF_BUILTIN)
    return is_name(p->u.ref.r.bi, "values") ? 1 : MV_ONE_SET;
  return all_counts(c);
}

/* ---- the cells ------------------------------------------------------- */

static int static_var(lw *c, tkind k, srcloc loc) {
  int v = lw_new_var(c, -1, VAR_TEMP, loc);
  c->p->vars.v[v].fn = -1;   /* a static cell of no function */
  if (k != T_ANY) c->p->vars.v[v].type = lw_type_of_kind(c, k);
  return v;
}

static int mvx_var(lw *c, srcloc loc) {
  if (c->mv->mvx < 0) c->mv->mvx = static_var(c, T_INT, loc);
  return c->mv->mvx;
}

static int mv_var(lw *c, int i, srcloc loc) {
  if (c->mv->mv[i] < 0) {
    c->mv->mv[i] = static_var(c, T_ANY, loc);
    /* a cell no run writes (a count no call gives: lower-callcc.c's
     * continuations may give up to kmax) is read by no run: void */
    VEC_PUSH(c->fail_types, c->p->vars.v[c->mv->mv[i]].type);
  }
  return c->mv->mv[i];
}

static ir_expr *int_k(lw *c, int64_t v, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = (int32_t)v;
  e->type = lw_new_type(c, T_INT);
  e->has_nat = true;
  e->nat = T_INT;
  return e;
}

static ir_expr *prim2(lw *c, const char *name, ir_expr *x, ir_expr *y, tkind k, srcloc loc) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, 2);
  e->op = builtin_find(name);
  e->a[0] = x;
  e->a[1] = y;
  e->type = lw_new_type(c, k);
  e->has_nat = true;
  e->nat = k;
  return e;
}

static ir_expr *select3(lw *c, ir_expr *test, ir_expr *yes, ir_expr *no, srcloc loc) {
  ir_expr *e = lw_mk(c, X_SELECT, loc, 3);
  e->a[0] = test;
  e->a[1] = yes;
  e->a[2] = no;
  lw_unify(c, yes->type, no->type, loc, "a value");
  e->type = yes->type;
  return e;
}

static ir_expr *zero_values(lw *c, srcloc loc) {
  return lw_fail_expr(c, loc, "arity", "zero values returned where one value is "
                                       "needed: (values) gives none");
}

/* After a call whose value may be several: the place's test and reset. */
static void after_call(lw *c, int ctx, srcloc at) {
  if (c->failed || ctx == MV_PASS) return;
  int x = mvx_var(c, at);
  ir_expr *v = int_k(c, 0, at);
  if (ctx == MV_ONE)
    v = select3(c, prim2(c, "=", lw_var_expr(c, x, at), int_k(c, -1, at), T_BOOL, at),
                zero_values(c, at), v, at);
  lw_assign(c, x, v, at);
}

/* ---- contexts ---------------------------------------------------------- */

/* lower.c, lw_lower_tail: the call a is lowered for continuation k. */
void lw_mv_tail_ctx(lw *c, const ast *a, bool ret, bool drop, int kid) {
  struct lw_mv *m = c->mv;
  if (!m) return;
  m->ctx_ast = a;
  m->ctx = ret ? (c->p->fns.v[c->fn].is_main && c->w->one_value ? MV_ONE : MV_PASS)
               : drop ? MV_DROP : MV_ONE;
  m->pass_ast = a;
  m->pass_loc = a->loc;
  for (int i = m->nconts - 1; i >= 0; i--)
    if (m->conts[i].id == kid) {
      m->pass_loc = m->conts[i].loc;
      break;
    }
}

void lw_mv_drop_ctx(lw *c, const ast *a) {
  if (!c->mv) return;
  c->mv->ctx_ast = a;
  c->mv->ctx = MV_DROP;
}

/* The continuation kid takes one value for the expression a. */
void lw_mv_cont(lw *c, int kid, const ast *a) {
  struct lw_mv *m = c->mv;
  if (!m) return;
  srcloc loc = m->pass_ast == a ? m->pass_loc : a->loc;
  if (m->nconts == m->capconts) {
    int cap = m->capconts ? 2 * m->capconts : 16;
    struct mv_cont *v = arena_alloc(&c->p->mem, (size_t)cap * sizeof *v);
    if (m->nconts) memcpy(v, m->conts, (size_t)m->nconts * sizeof *v);
    m->conts = v;
    m->capconts = cap;
  }
  m->conts[m->nconts].id = kid;
  m->conts[m->nconts++].loc = loc;
}

/* a's value is that of its tail part `part` (a begin's last expression,
 * a let's body): the place that takes one value is a's. */
void lw_mv_pass(lw *c, const ast *a, const ast *part) {
  struct lw_mv *m = c->mv;
  if (!m) return;
  srcloc loc = m->pass_ast == a ? m->pass_loc : a->loc;
  m->pass_ast = part;
  m->pass_loc = loc;
}

/* lower.c, lw_lower_value: a call (E_CALL, E_APPLY) with its context. */
ir_expr *lw_mv_call(lw *c, const ast *a, frame_map *f) {
  struct lw_mv *m = c->mv;
  if (!m) return a->kind == E_APPLY ? lw_call_value(c, a, f) : lw_lower_call(c, a, f, NULL);
  int ctx = m->ctx_ast == a ? m->ctx : MV_ONE;
  srcloc at = m->pass_ast == a ? m->pass_loc : a->loc;
  m->ctx_ast = NULL;
  m->pass_ast = NULL;
  int save_ctx = m->cur_ctx;
  srcloc save_loc = m->cur_loc;
  m->cur_ctx = ctx;
  m->cur_loc = at;
  ir_expr *v = a->kind == E_APPLY ? lw_call_value(c, a, f) : lw_lower_call(c, a, f, NULL);
  m->cur_ctx = save_ctx;
  m->cur_loc = save_loc;
  bool may = a->kind == E_APPLY ||
             (call_mv(c, a) && !(a->u.call.r.kind == REF_BUILTIN && mv_builtin(a->u.call.r.bi)));
  if (may && v && !c->failed) after_call(c, ctx, at);
  return v;
}

/* ---- values and call-with-values ------------------------------------- */

static bool too_many(lw *c, int n, srcloc loc) {
  if (n <= MV_MAX) return false;
  lw_fail(c, loc, "more than %d values are not compiled to the transformer yet "
                  "(run with --reference to use the evaluator)", MV_MAX);
  return true;
}

/* (values e ...) in tail position of a procedure (not the main program):
 * the multi-slot return.  False when a is something else. */
bool lw_mv_tail(lw *c, const ast *a, frame_map *f, bool ret) {
  if (!c->mv || !ret || a->kind != E_CALL || a->u.call.r.kind != REF_BUILTIN ||
      !((is_name(a->u.call.r.bi, "values") && a->u.call.n != 1) || two_values(a->u.call.r.bi)) ||
      a->u.call.bad_arg > 0 || c->p->fns.v[c->fn].is_main)
    return false;
  if (two_values(a->u.call.r.bi)) {   /* lower-division.c: quotient and remainder */
    ir_expr *args[2], *q, *r;
    lw_lower_args(c, a, f, args);
    if (c->failed) return true;
    lw_division(c, a, args, &q, &r);
    if (c->failed) return true;
    lw_assign(c, mv_var(c, 2, a->loc), r, a->loc);
    lw_assign(c, mvx_var(c, a->loc), int_k(c, 1, a->loc), a->loc);
    ir_fn *F = &c->p->fns.v[c->fn];
    lw_unify(c, F->ret_type, q->type, a->loc, "the value returned");
    lw_emit(c, S_RETURN, a->loc)->a[0] = q;
    return true;
  }
  int n = a->u.call.n;
  if (too_many(c, n, a->loc)) return true;
  ir_expr *args[MV_MAX + 1];
  lw_lower_args(c, a, f, args);
  if (c->failed) return true;
  for (int i = 1; i < n; i++) {
    ir_expr *v = args[i];
    /* the first statement raises every argument's errors, in order */
    if (i == 1) v = lw_after_args(c, v, args, n);
    lw_assign(c, mv_var(c, i + 1, a->loc), v, a->loc);
  }
  ir_expr *first = n ? args[0] : lw_void_expr(c, a->loc);
  lw_assign(c, mvx_var(c, a->loc), int_k(c, n - 1, a->loc), a->loc);
  ir_fn *F = &c->p->fns.v[c->fn];
  lw_unify(c, F->ret_type, first->type, a->loc, "the value returned");
  lw_emit(c, S_RETURN, a->loc)->a[0] = first;
  return true;
}

/* The consumer's procedure when it is known (a lambda, a global
 * procedure's name); NULL otherwise. */
static const fn_def *consumer_fn(const ast *x) {
  if (x->kind == E_LAMBDA) return x->u.lam.fn;
  if (x->kind == E_REF && x->u.ref.r.kind == REF_GLOBAL && x->u.ref.r.cell->kind == G_FUNC)
    return x->u.ref.r.cell->fn;
  return NULL;
}

static ir_expr *cwv(lw *c, const ast *a, frame_map *f) {
  struct lw_mv *m = c->mv;
  int ctx = m->cur_ctx;
  srcloc at = m->cur_loc;
  srcloc loc = a->loc;
  const ast *pa = a->u.call.args[0], *ca = a->u.call.args[1];
  const fn_def *cfn = consumer_fn(ca);
  bool cbi = ca->kind == E_REF && ca->u.ref.r.kind == REF_BUILTIN;
  if (!cfn && !cbi) {
    lw_fail(c, ca->loc, "call-with-values whose consumer is not a lambda, a procedure's "
                        "name or a builtin is not compiled to the transformer yet (run "
                        "with --reference to use the evaluator)");
    return lw_void_expr(c, loc);
  }
  if (too_many(c, m->kmax, loc)) return lw_void_expr(c, loc);
  mvset may = producer_counts(c, pa);   /* the counts n may be */
  int hi = 0;
  for (int j = 0; j <= MV_MAX; j++)
    if (may >> j & 1) hi = j;
  bool none = pa->kind == E_REF && pa->u.ref.r.kind == REF_BUILTIN &&
              is_name(pa->u.ref.r.bi, "values");
  ir_expr *ops[2];
  if (none) {
    ops[0] = NULL;
    ops[1] = lw_lower_value(c, ca, f);
  } else {
    lw_lower_args(c, a, f, ops);
  }
  if (c->failed) return lw_void_expr(c, loc);
  if (!none) ops[0] = lw_checked_arg(c, a, "call-with-values", ops, 0, T_PROC);
  ops[1] = lw_checked_arg(c, a, "call-with-values", ops, 1, T_PROC);
  int cv = lw_new_var(c, -1, VAR_TEMP, loc);
  lw_assign(c, cv, ops[1], loc);
  /* the consumer's counts */
  mvset takes = all_counts(c);
  int fixed = 0;
  if (cfn) {
    fixed = lw_fixed_params(cfn);
    takes = 0;
    for (int j = fixed; j <= MV_MAX; j++)
      if (j == fixed || cfn->variadic) takes |= (mvset)1 << j;
  }
  /* the producer: n and the values, read at once */
  int depth = f->edepth + 1;
  int nv = -1, t[MV_MAX + 1];
  if (!none) {
    int pv = lw_new_var(c, -1, VAR_TEMP, loc);
    lw_assign(c, pv, ops[0], loc);
    ir_expr *first = lw_callv(c, a, lw_var_expr(c, pv, loc), NULL, 0, depth);
    if (c->failed) return lw_void_expr(c, loc);
    int x = mvx_var(c, loc);
    if (may != MV_ONE_SET) {
      nv = lw_new_var(c, -1, VAR_TEMP, loc);
      lw_assign(c, nv, prim2(c, "+", lw_var_expr(c, x, loc), int_k(c, 1, loc), T_INT, loc), loc);
      lw_assign(c, x, int_k(c, 0, loc), loc);
    }
    t[1] = lw_new_var(c, -1, VAR_TEMP, loc);
    lw_assign(c, t[1], first, loc);
    int need = hi;
    if (cfn && !cfn->variadic && fixed < need) need = fixed;
    for (int i = 2; i <= need; i++) {
      t[i] = lw_new_var(c, -1, VAR_TEMP, loc);
      lw_assign(c, t[i], lw_var_expr(c, mv_var(c, i, loc), loc), loc);
    }
  }
  /* the evaluator's check of the count against the consumer's */
  if (cfn) {
    ir_expr *chk = NULL;
    for (int j = hi; j >= 0; j--) {
      if (!(may >> j & 1) || (takes >> j & 1)) continue;
      ir_expr *fail = lw_fail_expr(c, loc, "arity", "wrong number of values: %d returned "
                                   "where %s%d %s expected", j, cfn->variadic ? "at least " : "",
                                   fixed, fixed == 1 ? "is" : "are");
      if (nv < 0) {
        chk = fail;
        break;
      }
      ir_expr *test = prim2(c, "=", lw_var_expr(c, nv, loc), int_k(c, j, loc), T_BOOL, loc);
      chk = select3(c, test, fail, chk ? chk : lw_void_expr(c, loc), loc);
    }
    if (chk) lw_emit(c, S_EVAL, loc)->a[0] = chk;
  }
  mvset go = may & takes;
  if (!go) {   /* it never fits: the error above stops the program */
    after_call(c, ctx, at);
    return lw_void_expr(c, loc);
  }
  /* a call of the consumer per count it may take */
  int res = lw_new_var(c, -1, VAR_TEMP, loc);
  VEC_PUSH(c->fail_types, c->p->vars.v[res].type);
  int done = lw_new_label(c);
  int last = 0;
  for (int j = 0; j <= MV_MAX; j++)
    if (go >> j & 1) last = j;
  for (int j = 0; j <= last && !c->failed; j++) {
    if (!(go >> j & 1)) continue;
    int next = -1;
    if (j < last) {
      int here = lw_new_label(c);
      next = lw_new_label(c);
      ir_stmt *s = lw_emit(c, S_BRANCH, loc);
      s->a[0] = prim2(c, "=", lw_var_expr(c, nv, loc), int_k(c, j, loc), T_BOOL, loc);
      s->l1 = here;
      s->l2 = next;
      lw_label(c, here, loc);
    }
    ir_expr *args[MV_MAX + 1];
    for (int i = 0; i < j; i++) args[i] = lw_var_expr(c, t[i + 1], loc);
    /* the consumer: a tail call when the call is one (eval.c ev_tail_defer) */
    ir_expr *v = lw_callv(c, a, lw_var_expr(c, cv, loc), args, j, lw_call_depth(f, a));
    lw_assign(c, res, v, loc);
    if (next >= 0) {
      lw_emit(c, S_JUMP, loc)->l1 = done;
      lw_label(c, next, loc);
    }
  }
  lw_label(c, done, loc);
  after_call(c, ctx, at);
  return lw_var_expr(c, res, loc);
}

/* lower.c, lw_effect_prim: values and call-with-values outside a
 * procedure's tail position; NULL for other builtins. */
ir_expr *lw_values_effect(lw *c, const ast *a, frame_map *f) {
  const builtin *b = a->u.call.r.bi;
  if (!c->mv || !mv_builtin(b)) return NULL;
  if (is_name(b, "call-with-values")) return cwv(c, a, f);
  if (two_values(b)) {   /* the first of two values (lower-division.c) */
    ir_expr *args[2], *q, *r;
    lw_lower_args(c, a, f, args);
    if (c->failed) return lw_void_expr(c, a->loc);
    lw_division(c, a, args, &q, &r);
    return q;
  }
  int n = a->u.call.n;
  if (too_many(c, n, a->loc)) return lw_void_expr(c, a->loc);
  ir_expr *args[MV_MAX + 1];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, a->loc);
  if (n == 0) {
    if (c->mv->cur_ctx == MV_ONE) return zero_values(c, c->mv->cur_loc);
    return lw_void_expr(c, a->loc);
  }
  return lw_after_args(c, args[0], args, n);
}

bool lw_values_producer(const ast *a, int i) {
  if (i != 0 || a->kind != E_CALL || a->u.call.n < 2 || a->u.call.r.kind != REF_BUILTIN ||
      !(is_name(a->u.call.r.bi, "call-with-values") || is_name(a->u.call.r.bi, "apply")))
    return false;
  const ast *p = a->u.call.args[0];
  return p->kind == E_REF && p->u.ref.r.kind == REF_BUILTIN && is_name(p->u.ref.r.bi, "values");
}

/* lower-closure.c: a call of the builtin values through its value (as
 * apply makes it): the multi-slot return's cells, the first value. */
ir_expr *lw_values_call(lw *c, ir_expr **args, int n, srcloc loc) {
  if (!c->mv) {
    lw_fail(c, loc, "internal error: values called in a program without values");
    return lw_void_expr(c, loc);
  }
  if (too_many(c, n, loc)) return lw_void_expr(c, loc);
  for (int i = 1; i < n; i++)
    lw_assign(c, mv_var(c, i + 1, loc), i == 1 ? lw_after_args(c, args[i], args, n) : args[i],
              loc);
  lw_assign(c, mvx_var(c, loc), int_k(c, n - 1, loc), loc);
  return n ? args[0] : lw_void_expr(c, loc);
}

/* lower-wind.c: the thunk (a lambda or a global procedure) returns one
 * value, whatever it calls (false when not known). */
bool lw_mv_thunk_one(lw *c, const ast *x) {
  if (!c->mv) return true;
  if (x->kind == E_LAMBDA) return fn_counts(c, x->u.lam.fn) == MV_ONE_SET;
  if (x->kind == E_REF && x->u.ref.r.kind == REF_GLOBAL && x->u.ref.r.cell->kind == G_FUNC)
    return fn_counts(c, x->u.ref.r.cell->fn) == MV_ONE_SET;
  return false;
}
