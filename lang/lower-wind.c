/* lower-wind.c - dynamic-wind, catch and throw in compiled code, as the
 * evaluator runs them (lang/eval.c ev_dynamic_wind, ev_catch, ev_throw).
 *
 * A call of one of them becomes a call of the procedure written in tvl
 * that lib/prelude-wind.c loads with it (%dynamic-wind, %catch, %throw),
 * after the evaluator's checks of the arguments (dynamic-wind's
 * procedures, catch's key, throw's symbol), with the number of live
 * call/cc records (lower-callcc.c's CCN) as one more argument of the
 * first two: a wind or catch remembers it, as the evaluator's records
 * remember c->ccs.n.  A throw that no catch takes (%throw returns #f)
 * stops the program with the evaluator's error, "Throw to key `K' with
 * args `ARGS'.", the values written by the model (S_ERRTEXT).
 *
 * In a program that has them loaded:
 * - `error` first offers the catches Guile's misc-error, with the
 *   arguments (#f "~A ~S..." (MSG IRRITANT...) #f) the evaluator gives
 *   (builtins-wind.c wind_error_thrown), lw_wind_error;
 * - the place where a call/cc resumes after an escape runs
 *   (%unwind-cc (+ i 1)), i its record: the catches begun inside it
 *   leave and the after thunks of the winds begun inside it run,
 *   lw_wind_resume.
 * Other errors inside a catch cannot be caught by compiled code: the
 * host refuses them at run time (lib/runner.c, %catch-n).  A program
 * that never names dynamic-wind, catch or throw has none of this.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <string.h>

/* The global procedure NAME of the prelude, or NULL when not loaded. */
static gcell *prelude_proc(lw *c, const char *name) {
  int sym = sym_lookup(&c->w->syms, name, strlen(name));
  if (sym < 0) return NULL;
  gcell *g = world_find(c->w, sym);
  return g && g->kind == G_FUNC ? g : NULL;
}

static ir_expr *call_prelude(lw *c, const ast *site, gcell *g, ir_expr **args, int n,
                             int depth, srcloc loc) {
  (void)site;
  lw_add_dep(c, g);
  int fn = lw_lower_global_fn(c, g, loc);
  if (c->failed) return lw_void_expr(c, loc);
  return lw_call_stmt_at(c, fn, args, n, loc, depth);
}

/* e evaluated here (made before the statement: it may emit its own) */
static void eval_here(lw *c, ir_expr *e, srcloc loc) {
  if (c->failed) return;
  lw_emit(c, S_EVAL, loc)->a[0] = e;
}

static ir_expr *list_of(lw *c, ir_expr **x, int n, srcloc loc) {
  ir_expr *l = kconst(c, T_NIL, 0, loc);
  for (int i = n - 1; i >= 0 && !c->failed; i--) l = lw_cons(c, x[i], l, loc);
  return l;
}

static ir_expr *sym_const(lw *c, const char *name, srcloc loc) {
  return kconst(c, T_SYM, sym_intern(&c->w->syms, name, strlen(name)), loc);
}

ir_expr *lw_wind_call(lw *c, const ast *a, frame_map *f) {
  const char *name = a->u.call.r.bi->name;
  bool dw = !strcmp(name, "dynamic-wind"), ca = !strcmp(name, "catch"),
       th = !strcmp(name, "throw");
  if (!dw && !ca && !th) return NULL;
  srcloc loc = a->loc;
  char pname[32];
  /* the thunk's values passed on where the program makes several */
  snprintf(pname, sizeof pname, "%%%s%s", name, c->mv && dw ? "-mv" : "");
  /* a thunk whose values may be several: %catch-mv passes them on */
  bool cmv = ca && a->u.call.n == 3 && !lw_mv_thunk_one(c, a->u.call.args[1]);
  if (cmv) snprintf(pname, sizeof pname, "%%catch-mv");
  gcell *g = prelude_proc(c, pname);
  int n = a->u.call.n;
  if (!g || n > 60) {
    lw_fail(c, loc, "internal error: %s without its prelude", name);
    return lw_void_expr(c, loc);
  }
  ir_expr *args[64];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, loc);
  int v[64];
  for (int i = 0; i < n; i++) v[i] = assign_new(c, args[i], arg_loc(a, i));
  ir_expr *ops[64];
  for (int i = 0; i < n; i++) ops[i] = var(c, v[i], arg_loc(a, i));
  int depth = lw_call_depth(f, a);
  if (dw) {
    ir_expr *x[4];
    for (int i = 0; i < 3; i++) x[i] = lw_checked_arg(c, a, name, ops, i, T_PROC);
    x[3] = lw_callcc_n(c, loc);
    if (c->failed) return lw_void_expr(c, loc);
    return call_prelude(c, a, g, x, 4, depth, loc);
  }
  if (ca) {
    /* the key: a symbol or #t (eval.c ev_catch) */
    int ok = lw_new_label(c), no = lw_new_label(c), bad = lw_new_label(c);
    branch(c, prim(c, "symbol?", ops[0], NULL, T_BOOL, loc), ok, no, loc);
    lw_label(c, no, loc);
    branch(c, prim(c, "eqv?", var(c, v[0], loc), kbool(c, true, loc), T_BOOL, loc), ok, bad,
           loc);
    lw_label(c, bad, loc);
    eval_here(c, lw_fail_expr(c, loc, "type", "catch: the key must be a symbol or #t"), loc);
    jump(c, ok, loc);
    lw_label(c, ok, loc);
    if (cmv) {
      ir_expr *x[4] = {var(c, v[0], loc), var(c, v[1], loc), var(c, v[2], loc),
                       lw_callcc_n(c, loc)};
      return call_prelude(c, a, g, x, 4, depth, loc);
    }
    ir_expr *x[3] = {var(c, v[0], loc), var(c, v[1], loc), lw_callcc_n(c, loc)};
    ir_expr *r = call_prelude(c, a, g, x, 3, depth, loc);
    gcell *fin = prelude_proc(c, "%catch-finish");
    if (!fin) {
      lw_fail(c, loc, "internal error: catch without its prelude");
      return lw_void_expr(c, loc);
    }
    int rv = assign_new(c, r, loc);
    ir_expr *y[2] = {var(c, v[2], loc), var(c, rv, loc)};
    return call_prelude(c, a, fin, y, 2, depth, loc);
  }
  /* throw */
  ir_expr *key = lw_checked_arg(c, a, name, ops, 0, T_SYM);
  if (c->failed) return lw_void_expr(c, loc);
  int k = assign_new(c, key, loc);
  ir_expr *rest[64];
  for (int i = 1; i < n; i++) rest[i - 1] = var(c, v[i], loc);
  int l = assign_new(c, list_of(c, rest, n - 1, loc), loc);
  ir_expr *x[2] = {var(c, k, loc), var(c, l, loc)};
  eval_here(c, call_prelude(c, a, g, x, 2, depth, loc), loc);
  if (c->failed) return lw_void_expr(c, loc);
  lw_ll_err_text(c, "Throw to key `", loc);
  lw_ll_err_write(c, var(c, k, loc), loc);
  lw_ll_err_text(c, "' with args `", loc);
  lw_ll_err_write(c, var(c, l, loc), loc);
  lw_ll_err_text(c, "'.", loc);
  lw_ll_err_raise(c, loc, "throw", "");
  return lw_void_expr(c, loc);
}

void lw_wind_error(lw *c, const ast *a, frame_map *f, const int *vars, int n) {
  gcell *g = prelude_proc(c, "%throw");
  if (!g) return;
  srcloc loc = a->loc;
  char fmt[64 * 3 + 4];
  size_t m = 0;
  fmt[m++] = '~';
  fmt[m++] = 'A';
  for (int i = 1; i < n && m + 4 < sizeof fmt; i++) {
    memcpy(fmt + m, " ~S", 3);
    m += 3;
  }
  fmt[m] = 0;
  ir_expr *items[64];
  for (int i = 0; i < n; i++) items[i] = var(c, vars[i], loc);
  ir_expr *el[4] = {kbool(c, false, loc),
                    kconst(c, T_STR, world_intern_string(c->w, fmt, m), loc),
                    list_of(c, items, n, loc), kbool(c, false, loc)};
  if (c->failed) return;
  ir_expr *x[2] = {sym_const(c, "misc-error", loc), list_of(c, el, 4, loc)};
  if (c->failed) return;
  eval_here(c, call_prelude(c, a, g, x, 2, lw_call_depth(f, a), loc), loc);
}

void lw_wind_resume(lw *c, const ast *a, frame_map *f, int i) {
  gcell *g = prelude_proc(c, "%unwind-cc");
  if (!g) return;
  srcloc loc = a->loc;
  ir_expr *x[1] = {prim(c, "+", var(c, i, loc), kint(c, 1, loc), T_INT, loc)};
  eval_here(c, call_prelude(c, a, g, x, 1, f->edepth + 1, loc), loc);
}
