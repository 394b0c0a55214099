/* lower-exn.c - with-exception-handler and raise-exception in compiled
 * code, as the evaluator runs them (lang/eval.c ev_with_handler,
 * ev_raise_exception; lang/builtins-wind.c checks the arguments).
 *
 * A call of either becomes a call of the procedures written in tvl that
 * lib/prelude-wind.c loads with them (%with-handler, %raise...), after
 * the evaluator's checks of the arguments:
 *
 *   (with-exception-handler H T [#:unwind? U])
 *       -> (%with-handler-finish H (%with-handler H T U B CCN))
 *          (%with-handler-mv H T U B CCN where T may return several values)
 *          B: whether H is a lambda that never looks at its argument
 *          (ast_blind_handler): with U, errors and throws reach it too;
 *          without U (not the constant #t) they reach it where they are:
 *          (%with-here-finish H (%with-here H T U CCN)) (with_here)
 *   (raise-exception OBJ [#:continuable? C])
 *       -> v = (%raise OBJ C); st = (%raise-status)
 *          st 1: no handler or catch takes it: the evaluator's error,
 *                "Throw to key `%exception' with args `(OBJ)'."
 *          st 2: the handler returned from a raise that is not
 *                continuable: the evaluator's error
 *          else v
 *
 * CCN is the number of live call/cc records (lower-callcc.c), as for
 * catch (lower-wind.c): a handler is a record of the prelude's %catches,
 * so that escapes by continuations and throws leave it as they leave a
 * catch.  The keywords are symbol constants the expander passes on
 * (expander.c); anything else where a keyword should be is the
 * evaluator's error.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <string.h>

/* eval.c ev_with_handler's error, where with-exception-handler is */
#define HANDLER_RETURNED "with-exception-handler: the handler returned from an error or " \
  "throw, which is not continuable (Guile raises a &non-continuable there)"

/* The global procedure NAME of the prelude, or NULL when not loaded. */
static gcell *prelude_proc(lw *c, const char *name) {
  int sym = sym_lookup(&c->w->syms, name, strlen(name));
  if (sym < 0) return NULL;
  gcell *g = world_find(c->w, sym);
  return g && g->kind == G_FUNC ? g : NULL;
}

static ir_expr *call_named(lw *c, const char *name, ir_expr **args, int n, int depth,
                           srcloc loc) {
  gcell *g = prelude_proc(c, name);
  if (!g) {
    lw_fail(c, loc, "internal error: %s without its prelude", name);
    return lw_void_expr(c, loc);
  }
  lw_add_dep(c, g);
  int fn = lw_lower_global_fn(c, g, loc);
  if (c->failed) return lw_void_expr(c, loc);
  return lw_call_stmt_at(c, fn, args, n, loc, depth);
}

/* Whether argument i of call a is the keyword kw (a symbol constant). */
static bool is_keyword(lw *c, const ast *a, int i, const char *kw) {
  const ast *x = a->u.call.args[i];
  return x->kind == E_CONST && x->u.k.kind == VK_SYM &&
         !strcmp(sym_name(&c->w->syms, (int)x->u.k.i), kw);
}

/* The error of the evaluator where the keyword is missing or wrong
 * (builtins-wind.c keyword_flag), reached when the call runs. */
static ir_expr *keyword_error(lw *c, const ast *a, const char *op, const char *kw,
                              const char *after) {
  return lw_fail_expr(c, a->loc, "type", "%s: expected %s and a value after the %s", op, kw,
                      after);
}

/* Whether argument i of call a is the boolean constant b. */
static bool is_bool(const ast *a, int i, bool b) {
  const ast *x = a->u.call.args[i];
  return x->kind == E_CONST && x->u.k.kind == VK_BOOL && (x->u.k.i != 0) == b;
}

/* The %catch-raise landings call: %catch-raise-here in a world with
 * handlers that errors reach where they are (world.here_handlers). */
const char *lw_catch_raise_name(lw *c) {
  return c->w->here_handlers ? "%catch-raise-here" : "%catch-raise";
}

/* with-exception-handler H T [#:unwind? U], H blind, U not the constant
 * #t: (%with-here-finish H (%with-here H T U CCN)), then the evaluator's
 * error when the handler returned from an error or throw (%raise-status
 * 3: eval.c ev_with_handler). */
static ir_expr *with_here(lw *c, const ast *a, const int *v, ir_expr *unwind, int depth) {
  srcloc loc = a->loc;
  if (!c->w->here_handlers) {   /* checker.c sets it for this call */
    lw_fail(c, loc, "internal error: with-exception-handler unseen by the checker");
    return lw_void_expr(c, loc);
  }
  ir_expr *x[4] = {var(c, v[0], loc), var(c, v[1], loc), unwind, lw_callcc_n(c, loc)};
  if (c->failed) return lw_void_expr(c, loc);
  ir_expr *fin;
  if (!lw_mv_thunk_one(c, a->u.call.args[1])) {
    /* the thunk's values pass through %with-here-mv; the status read
     * below returns one value, which leaves them (lower-values.c) */
    fin = call_named(c, "%with-here-mv", x, 4, depth, loc);
  } else {
    ir_expr *r = call_named(c, "%with-here", x, 4, depth, loc);
    if (c->failed) return lw_void_expr(c, loc);
    int rv = assign_new(c, r, loc);
    ir_expr *y[2] = {var(c, v[0], loc), var(c, rv, loc)};
    fin = call_named(c, "%with-here-finish", y, 2, depth, loc);
  }
  if (c->failed) return lw_void_expr(c, loc);
  int fv = assign_new(c, fin, loc);
  ir_expr *st = call_named(c, "%raise-status", NULL, 0, depth, loc);
  if (c->failed) return lw_void_expr(c, loc);
  int sv = assign_new(c, st, loc);
  int done = lw_new_label(c), back = lw_new_label(c);
  branch(c, prim(c, "=", var(c, sv, loc), kint(c, 3, loc), T_BOOL, loc), back, done, loc);
  lw_label(c, back, loc);
  lw_emit(c, S_EVAL, loc)->a[0] = lw_fail_expr(c, loc, "unsupported", HANDLER_RETURNED);
  jump(c, done, loc);
  lw_label(c, done, loc);
  return var(c, fv, loc);
}

static ir_expr *with_handler(lw *c, const ast *a, frame_map *f, int *v, int depth) {
  srcloc loc = a->loc;
  int n = a->u.call.n;
  if (n > 2 && !(n == 4 && is_keyword(c, a, 2, "#:unwind?")))
    return keyword_error(c, a, "with-exception-handler", "#:unwind?", "handler and the thunk");
  /* the handler and the thunk must be procedures */
  int ok = lw_new_label(c), bad = lw_new_label(c), one = lw_new_label(c);
  branch(c, prim(c, "procedure?", var(c, v[0], loc), NULL, T_BOOL, loc), one, bad, loc);
  lw_label(c, one, loc);
  branch(c, prim(c, "procedure?", var(c, v[1], loc), NULL, T_BOOL, loc), ok, bad, loc);
  lw_label(c, bad, loc);
  lw_emit(c, S_EVAL, loc)->a[0] =
      lw_fail_expr(c, loc, "type", "with-exception-handler: the handler and the thunk must be "
                   "procedures");
  jump(c, ok, loc);
  lw_label(c, ok, loc);
  ir_expr *unwind = n == 4 ? var(c, v[3], loc) : kbool(c, false, loc);
  /* a handler that never looks at its argument: errors and throws reach
   * it too (#:unwind? #t), and the errors of builtins land there as in a
   * catch of #t (lower-wind.c lw_wind_landings) */
  bool blind = ast_blind_handler(a->u.call.args[0]);
  if (blind) {
    c->catch_takes |= IR_CK_WTA | IR_CK_OOR | IR_CK_NUM | IR_CK_ARITY | IR_CK_UNBOUND;
    gcell *cr = c->catch_raise ? prelude_proc(c, lw_catch_raise_name(c)) : NULL;
    if (cr && !c->p->catch_raise) {
      lw_add_dep(c, cr);
      int fn = lw_lower_global_fn(c, cr, loc);
      if (c->failed) return lw_void_expr(c, loc);
      c->p->catch_raise = fn + 1;
    }
  }
  /* a blind handler without #:unwind? #t: errors and throws may reach
   * it where they are (prelude-wind.c THROW_HERE) */
  if (blind && !(n == 4 && is_bool(a, 3, true))) return with_here(c, a, v, unwind, depth);
  ir_expr *x[5] = {var(c, v[0], loc), var(c, v[1], loc), unwind, kbool(c, blind, loc),
                   lw_callcc_n(c, loc)};
  if (c->failed) return lw_void_expr(c, loc);
  if (!lw_mv_thunk_one(c, a->u.call.args[1]))
    return call_named(c, "%with-handler-mv", x, 5, depth, loc);
  ir_expr *r = call_named(c, "%with-handler", x, 5, depth, loc);
  if (c->failed) return lw_void_expr(c, loc);
  int rv = assign_new(c, r, loc);
  ir_expr *y[2] = {var(c, v[0], loc), var(c, rv, loc)};
  (void)f;
  return call_named(c, "%with-handler-finish", y, 2, depth, loc);
}

static ir_expr *raise_exception(lw *c, const ast *a, int *v, int depth) {
  srcloc loc = a->loc;
  int n = a->u.call.n;
  if (n > 1 && !(n == 3 && is_keyword(c, a, 1, "#:continuable?")))
    return keyword_error(c, a, "raise-exception", "#:continuable?", "object");
  ir_expr *go_on = n == 3 ? var(c, v[2], loc) : kbool(c, false, loc);
  ir_expr *x[2] = {var(c, v[0], loc), go_on};
  ir_expr *r = call_named(c, "%raise", x, 2, depth, loc);
  if (c->failed) return lw_void_expr(c, loc);
  int rv = assign_new(c, r, loc);
  ir_expr *st = call_named(c, "%raise-status", NULL, 0, depth, loc);
  if (c->failed) return lw_void_expr(c, loc);
  int sv = assign_new(c, st, loc);
  int done = lw_new_label(c), err = lw_new_label(c), thrown = lw_new_label(c),
      nc = lw_new_label(c);
  branch(c, prim(c, "=", var(c, sv, loc), kint(c, 0, loc), T_BOOL, loc), done, err, loc);
  lw_label(c, err, loc);
  branch(c, prim(c, "=", var(c, sv, loc), kint(c, 1, loc), T_BOOL, loc), thrown, nc, loc);
  lw_label(c, thrown, loc);
  /* no handler nor catch: the throw's error (eval.c ev_throw) */
  lw_wind_stop(c, loc, depth);
  ir_expr *l = lw_cons(c, var(c, v[0], loc), kconst(c, T_NIL, 0, loc), loc);
  lw_ll_err_text(c, "Throw to key `%exception' with args `", loc);
  lw_ll_err_write(c, l, loc);
  lw_ll_err_text(c, "'.", loc);
  lw_ll_err_raise(c, loc, "throw", "");
  jump(c, done, loc);
  lw_label(c, nc, loc);
  /* Guile raises a &non-continuable, which tvl has not */
  lw_emit(c, S_EVAL, loc)->a[0] =
      lw_fail_expr(c, loc, "unsupported", "raise-exception: the handler returned from a "
                   "non-continuable exception (raise it with #:continuable? #t)");
  jump(c, done, loc);
  lw_label(c, done, loc);
  return var(c, rv, loc);
}

ir_expr *lw_exn_call(lw *c, const ast *a, frame_map *f) {
  const char *name = a->u.call.r.bi->name;
  bool wh = !strcmp(name, "with-exception-handler");
  if (!wh && strcmp(name, "raise-exception")) return NULL;
  srcloc loc = a->loc;
  int n = a->u.call.n;
  if (n > 4) {
    lw_fail(c, loc, "internal error: %s with %d arguments", name, n);
    return lw_void_expr(c, loc);
  }
  ir_expr *args[4];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, loc);
  int v[4];
  for (int i = 0; i < n; i++) v[i] = assign_new(c, args[i], arg_loc(a, i));
  int depth = lw_call_depth(f, a);
  return wh ? with_handler(c, a, f, v, depth) : raise_exception(c, a, v, depth);
}
