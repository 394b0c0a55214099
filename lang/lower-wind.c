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
 * - in a program that has dynamic-wind, an error or exit that stops it
 *   runs (%unwind-cc 0) first: the after thunks of the open winds run,
 *   as in Guile (lw_wind_stop; a builtin's error through a landing).
 * Some kind errors of builtins go to the catch too (lw_wind_landings,
 * below); other errors inside a catch that may take them cannot be
 * caught by compiled code: the host refuses them at run time
 * (lib/runner.c, %catch-n).  A program that never names dynamic-wind,
 * catch or throw has none of this.
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

/* The keys of the builtins' errors a compiled catch may take (eval.c
 * error_key): bits of lw.catch_takes, catch_sees (lang/ir.h). */
enum { CK_WTA = IR_CK_WTA, CK_OOR = IR_CK_OOR, CK_NUM = IR_CK_NUM, CK_ALL = 31 };

/* The keys of key expression e (catch's first argument) among them: a
 * symbol its own, #t or an expression all. */
static unsigned catch_keys(lw *c, const ast *e) {
  if (e->kind != E_CONST) return CK_ALL;
  if (e->u.k.kind == VK_BOOL) return e->u.k.i ? CK_ALL : 0;
  if (e->u.k.kind != VK_SYM) return 0;
  const char *n = sym_name(&c->w->syms, (int)e->u.k.i);
  return !strcmp(n, "wrong-type-arg") ? CK_WTA : !strcmp(n, "out-of-range") ? CK_OOR
         : !strcmp(n, "numerical-overflow") ? CK_NUM
         : !strcmp(n, "wrong-number-of-args") ? IR_CK_ARITY
         : !strcmp(n, "unbound-variable") ? IR_CK_UNBOUND : 0;
}

/* A catch's handler that takes any number of arguments after the key and
 * never looks at them: (lambda (key . rest) ...) or (lambda args ...),
 * rest and args not named in its body.  A builtin's error goes to such
 * a catch in compiled code (lw_wind_landings) with no arguments, which
 * it cannot tell from the evaluator's. */
static bool blind_handler(const ast *h) {
  if (h->kind != E_LAMBDA) return false;
  const fn_def *fn = h->u.lam.fn;
  if (!fn->variadic || fn->nparams < 1 || fn->nparams > 2) return false;
  return !ast_fn_names_any(fn, fn->params + fn->nparams - 1, 1);
}

ir_expr *lw_wind_call(lw *c, const ast *a, frame_map *f) {
  ir_expr *exn = lw_exn_call(c, a, f);   /* lower-exn.c */
  if (exn) return exn;
  const char *name = a->u.call.r.bi->name;
  bool dw = !strcmp(name, "dynamic-wind"), ca = !strcmp(name, "catch"),
       th = !strcmp(name, "throw");
  if (!dw && !ca && !th) return NULL;
  srcloc loc = a->loc;
  char pname[32];
  /* the thunk's values passed on where the program makes several */
  snprintf(pname, sizeof pname, "%%%s%s", name,
           c->mv && dw ? "-mv" : th && c->w->here_handlers ? "-here" : "");
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
    /* a builtin's error that stops the program runs the after thunks
     * first: lw_wind_landings, with %unwind-cc lowered in the pass that
     * makes the landings */
    c->winds = true;
    gcell *uc = c->catch_raise && !c->p->wind_stop ? prelude_proc(c, "%unwind-cc") : NULL;
    if (uc) {
      lw_add_dep(c, uc);
      int fn = lw_lower_global_fn(c, uc, loc);
      if (c->failed) return lw_void_expr(c, loc);
      c->p->wind_stop = fn + 1;
    }
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
    /* which builtins' errors it may take (lw_wind_landings) */
    unsigned keys = catch_keys(c, a->u.call.args[0]);
    c->catch_takes |= keys;
    if (!blind_handler(a->u.call.args[2])) c->catch_sees |= keys;
    gcell *cr = keys && c->catch_raise ? prelude_proc(c, lw_catch_raise_name(c)) : NULL;
    if (cr && !c->p->catch_raise) {
      lw_add_dep(c, cr);
      int fn = lw_lower_global_fn(c, cr, loc);
      if (c->failed) return lw_void_expr(c, loc);
      c->p->catch_raise = fn + 1;
    }
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
  lw_wind_stop(c, loc, depth);
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
  /* %throw-here where errors may reach handlers where they are (lower-exn.c) */
  gcell *g = prelude_proc(c, c->w->here_handlers ? "%throw-here" : "%throw");
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

/* (exit [ARG]) as Guile's: a throw of quit with (ARG) or () as its
 * arguments, which a catch of #t or quit takes (the evaluator: bi_exit);
 * when none does, the after thunks of the winds that run are called,
 * innermost first, before the program stops (eval.c unwind_at_stop). */
void lw_wind_exit(lw *c, const ast *a, frame_map *f, const int *vars, int n) {
  gcell *g = prelude_proc(c, "%throw");
  gcell *u = prelude_proc(c, "%unwind-cc");
  srcloc loc = a->loc;
  int depth = lw_call_depth(f, a);
  if (g) {
    ir_expr *items[1];
    if (n == 1) items[0] = var(c, vars[0], loc);
    ir_expr *x[2] = {sym_const(c, "quit", loc), list_of(c, items, n, loc)};
    if (c->failed) return;
    eval_here(c, call_prelude(c, a, g, x, 2, depth, loc), loc);
  }
  if (u && !c->failed) {
    ir_expr *x[1] = {kint(c, 0, loc)};
    eval_here(c, call_prelude(c, a, u, x, 1, depth, loc), loc);
  }
}

/* Guile runs the after thunks of the winds that are open when an error
 * or exit stops the program ((%unwind-cc 0): all of them, innermost
 * first, and no catch is left).  Only where dynamic-wind's prelude is
 * loaded: other programs are as before.  An after thunk that stops
 * stops the program there (the evaluator runs the others: eval.c
 * unwind_at_stop). */
void lw_wind_stop(lw *c, srcloc loc, int depth) {
  if (c->failed || !prelude_proc(c, "%dynamic-wind")) return;
  gcell *g = prelude_proc(c, "%unwind-cc");
  if (!g) return;
  ir_expr *x[1] = {kint(c, 0, loc)};
  eval_here(c, call_prelude(c, NULL, g, x, 1, depth, loc), loc);
}

void lw_wind_resume(lw *c, const ast *a, frame_map *f, int i) {
  gcell *g = prelude_proc(c, "%unwind-cc");
  if (!g) return;
  srcloc loc = a->loc;
  ir_expr *x[1] = {prim(c, "+", var(c, i, loc), kint(c, 1, loc), T_INT, loc)};
  eval_here(c, call_prelude(c, a, g, x, 1, f->edepth + 1, loc), loc);
}

/* ---- a builtin's error that a catch takes ------------------------------
 *
 * The evaluator gives a catch the error of a builtin with its key
 * (wrong-type-arg for a kind error, eval.c error_key) and Guile's
 * arguments (lang/guile-args.c).  In compiled code a kind check that
 * fails stops the machine (backend/mexpr.c); in a program whose catches
 * may take its key, none of them with a handler that looks at the
 * arguments (blind_handler: compiled code gives none), each check that
 * may fail gets a landing at the end of its function, where the failed
 * check's step jumps instead (backend/mcatch.c):
 *
 *   L:     call %catch-raise (K)      (K the key's code: %throw to the
 *                                     catch that takes it; returns where
 *                                     none does)
 *          the check again            (its report or error, as before)
 *
 * The same for a vector-ref or vector-set! whose index is out of range
 * (out-of-range; a vector-set!'s landing stores again)
 * and for quotient, remainder and modulo by zero (numerical-overflow):
 * their nodes' error flags jump to the landing (backend/mcatch.c).
 * %catch-raise sets %catch-miss before it returns: the host then knows
 * the error that stops the machine is the program's (lib/runner.c).
 * In a program with dynamic-wind every key gets landings (but those a
 * catch whose handler looks at the arguments may take), which then call
 * (%unwind-cc 0): the error that stops the program runs the after
 * thunks first; %unwind-cc is lowered in the same pass as %catch-raise
 * (ir_prog.wind_stop).
 * Where a catch whose handler looks at the arguments may take the key,
 * there are no landings: the host refuses the error when a catch runs,
 * as for the errors of other kinds.  Landings are looked for after the
 * kinds settle: a program that has some is lowered again with
 * %catch-raise (lower-proc.c), so that programs whose checks cannot fail
 * do not pay for it, nor for %throw. */

typedef VEC(ir_expr *) xvec;

static bool same_place(srcloc a, srcloc b) {
  return a.file == b.file && a.line == b.line && a.col == b.col;
}

/* The key (CK_*) of an error of this kind (eval.c error_key), 0 for none
 * a landing sends. */
static unsigned fail_key(const char *kind) {
  return !strcmp(kind, "type") ? CK_WTA : !strcmp(kind, "bounds") ? CK_OOR
         : !strcmp(kind, "division") ? CK_NUM : !strcmp(kind, "arity") ? IR_CK_ARITY
         : !strcmp(kind, "unbound") ? IR_CK_UNBOUND : 0;
}

/* %catch-raise's code of key k (lib/prelude-wind.c). */
static int key_code(unsigned k) {
  return k == CK_WTA ? 0 : k == CK_OOR ? 1 : k == CK_NUM ? 2 : k == IR_CK_ARITY ? 3 : 4;
}

/* Every node reachable has `mark` set by the settling (lower-kinds.c),
 * which is its last user: cleared here once a node is seen. */
static void find_checks(lw *c, ir_expr *e, xvec *out) {
  if (!e || !e->mark) return;
  e->mark = false;
  for (int i = 0; i < e->n; i++) find_checks(c, e->a[i], out);
  if (e->k == X_FAIL) {
    /* an error the lowering knows will happen there (not a list error,
     * whose text statements before it print: bare_run) */
    const ir_failure *f = &c->p->failures.v[e->ival];
    if (!f->bare && fail_key(f->kind)) VEC_PUSH(*out, e);
    return;
  }
  if (e->k == X_VREF) {
    /* its index out of range, in a vector-ref the program wrote (the
     * lowering's own loops place theirs at the call: backend/mreport2.c
     * user_vref) */
    if (e->loc.line > 0 && !same_place(e->a[1]->loc, e->loc)) VEC_PUSH(*out, e);
    return;
  }
  if (e->k == X_PRIM && e->op && e->n == 2 &&
      (!strcmp(e->op->name, "quotient") || !strcmp(e->op->name, "remainder") ||
       !strcmp(e->op->name, "modulo"))) {
    /* division by zero, where the divisor may be 0 */
    const ir_expr *d = e->a[1];
    if (!(d->k == X_CONST && d->has_nat && d->nat == T_INT && d->ival != 0)) VEC_PUSH(*out, e);
    return;
  }
  if (e->k != X_CHECK || e->var < 0) return;
  const ir_failure *f = &c->p->failures.v[e->var];
  if (strcmp(f->kind, "type")) return;
  tkind have = ir_kind(c->p, e->a[0]->type);
  if (have == (tkind)e->ival || have == T_ANY) return;
  VEC_PUSH(*out, e);
}

/* The key (CK_*) of check x's error. */
static unsigned check_key(const lw *c, const ir_expr *x) {
  if (x->k == X_FAIL) return fail_key(c->p->failures.v[x->ival].kind);
  return x->k == X_VREF ? CK_OOR : x->k == X_PRIM ? CK_NUM : CK_WTA;
}

/* A landing for check x, or for vector-set! statement vset (x its
 * index). */
/* Function fn+1 (0: none) takes one integer. */
static bool int_fn(const lw *c, int fn1) {
  if (!fn1) return true;
  const ir_fn *R = &c->p->fns.v[fn1 - 1];
  return R->nparams == 1 && ir_kind(c->p, c->p->vars.v[R->params[0]].type) == T_INT;
}

/* A call of function fn1 - 1 with the integer arg. */
static void call_int(lw *c, int fn1, int arg, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_CALL, loc);
  s->fn = fn1 - 1;
  s->depth = 1;
  s->nargs = 1;
  s->args = arena_alloc(&c->p->mem, sizeof(ir_expr *));
  s->args[0] = kint(c, arg, loc);
}

/* What a landing calls for an error of key k: %catch-raise where a
 * catch may take it (ck), which returns only where none does; then
 * (%unwind-cc 0) in a program with winds: the error stops the program. */
static void landing_calls(lw *c, unsigned k, unsigned ck, srcloc loc) {
  if ((k & ck) && c->p->catch_raise) call_int(c, c->p->catch_raise, key_code(k), loc);
  if (c->p->wind_stop) call_int(c, c->p->wind_stop, 0, loc);
}

static void landing(lw *c, int fn, ir_expr *x, const ir_stmt *vset, unsigned ck) {
  srcloc loc = vset ? vset->loc : x->loc;
  unsigned k = vset ? CK_OOR : check_key(c, x);
  if (!int_fn(c, c->p->catch_raise) || !int_fn(c, c->p->wind_stop)) return;
  int l = lw_new_label(c), stop = lw_new_label(c);
  struct ir_landing d = {x, fn, l, vset != NULL};
  VEC_PUSH(c->p->landings, d);
  lw_label(c, l, loc);
  landing_calls(c, k, ck, loc);
  lw_label(c, stop, loc);
  /* the check (or the store) again, with a node of its own, which has
   * no landing: its step stops as before */
  ir_expr *again = lw_mk(c, x->k, x->loc, x->n);
  ir_expr **args = again->a;
  *again = *x;
  again->a = args;
  for (int i = 0; i < x->n; i++) again->a[i] = x->a[i];
  if (vset) {
    ir_stmt *v = lw_emit(c, S_VSET, loc);
    v->a[0] = vset->a[0];
    v->a[1] = again;
    v->a[2] = vset->a[2];
  } else {
    lw_emit(c, S_EVAL, loc)->a[0] = again;
  }
  jump(c, stop, loc);
}

/* An error whose text statements print before it stops (err_raise of
 * lower-listlib.c: S_ERRTEXT statements, then S_EVAL of a bare X_FAIL):
 * statements first..last of function fn's body.  The first becomes a
 * jump to a landing at the end of the body, which calls %catch-raise
 * then runs the statements again (their copies) and stops as before;
 * where an escape leaves, no text has been printed. */
static void bare_landing(lw *c, int fn, int first, int last, unsigned k, unsigned ck) {
  srcloc loc = c->p->fns.v[fn].body.v[last].loc;
  if (!int_fn(c, c->p->catch_raise) || !int_fn(c, c->p->wind_stop)) return;
  int l = lw_new_label(c), stop = lw_new_label(c);
  lw_label(c, l, loc);
  landing_calls(c, k, ck, loc);
  lw_label(c, stop, loc);
  for (int i = first; i <= last; i++) {
    ir_stmt copy = c->p->fns.v[fn].body.v[i];
    if (i == last) {
      /* the stop with a node of its own, as landing()'s check again */
      ir_expr *again = lw_mk(c, X_FAIL, copy.a[0]->loc, 0);
      *again = *copy.a[0];
      copy.a[0] = again;
    }
    *lw_emit(c, copy.k, copy.loc) = copy;
  }
  jump(c, stop, loc);
  ir_stmt *j = &c->p->fns.v[fn].body.v[first];
  srcloc at = j->loc;
  memset(j, 0, sizeof *j);
  j->k = S_JUMP;
  j->loc = at;
  j->l1 = l;
}

/* Whether statement st stops with a bare error a landing sends (key *k). */
static bool bare_stop(lw *c, const ir_stmt *st, unsigned keys, unsigned *k) {
  if (st->k != S_EVAL || !st->a[0] || st->a[0]->k != X_FAIL || !st->a[0]->mark) return false;
  const ir_failure *f = &c->p->failures.v[st->a[0]->ival];
  *k = fail_key(f->kind);
  return f->bare && (*k & keys);
}

void lw_wind_landings(lw *c) {
  /* the keys a catch may take, none of whose handlers looks at the
   * arguments */
  c->p->catch_keys = c->catch_takes;
  const unsigned all = CK_WTA | CK_OOR | CK_NUM | IR_CK_ARITY | IR_CK_UNBOUND;
  unsigned ck = c->catch_takes & ~c->catch_sees & all;
  /* with winds, every key no catch sees the arguments of: the error
   * that stops the program runs the after thunks first */
  unsigned wk = c->winds ? all & ~c->catch_sees : 0;
  unsigned keys = ck | wk;
  if (!keys || c->w->no_landings) return;
  bool ready = (!ck || c->p->catch_raise) && (!wk || c->p->wind_stop);
  int save = c->fn;
  for (int fn = 0; fn < c->p->fns.n && !c->failed; fn++) {
    const ir_fn *F = &c->p->fns.v[fn];
    /* not in the prelude's own procedures (%throw, %catch...) */
    if (sym_name(&c->w->syms, F->name)[0] == '%' ||
        (F->loc.file >= 0 && !strcmp(src_name(&c->w->src, F->loc.file), "ice-9/boot-9.scm")))
      continue;
    xvec checks = {0};
    VEC(int) vsets = {0};
    VEC(int) bares = {0};   /* first, last, key of each bare error */
    int nbody = F->body.n;
    for (int i = 0; i < nbody; i++) {
      ir_stmt *st = &c->p->fns.v[fn].body.v[i];
      unsigned bk;
      if (bare_stop(c, st, keys, &bk)) {
        int first = i;
        while (first > 0 && c->p->fns.v[fn].body.v[first - 1].k == S_ERRTEXT) first--;
        VEC_PUSH(bares, first);
        VEC_PUSH(bares, i);
        VEC_PUSH(bares, (int)bk);
      }
      for (int k = 0; k < 3; k++) find_checks(c, st->a[k], &checks);
      for (int k = 0; k < st->nargs; k++) find_checks(c, st->args[k], &checks);
      /* a vector-set! the program wrote: its index placed apart from
       * the call (lower.c) */
      if (st->k == S_VSET && (keys & CK_OOR) && st->loc.line > 0 && st->a[1] &&
          !same_place(st->a[1]->loc, st->loc))
        VEC_PUSH(vsets, i);
    }
    c->fn = fn;
    bool any = vsets.n > 0 || bares.n > 0;
    for (int i = 0; i < checks.n; i++) any |= (check_key(c, checks.v[i]) & keys) != 0;
    if (any && !ready) {
      /* lowered again with %catch-raise (lower-proc.c) */
      c->p->wants_raise = true;
    } else {
      for (int i = 0; i < checks.n && !c->failed; i++)
        if (check_key(c, checks.v[i]) & keys) landing(c, fn, checks.v[i], NULL, ck);
      for (int i = 0; i + 2 < bares.n && !c->failed; i += 3)
        bare_landing(c, fn, bares.v[i], bares.v[i + 1], (unsigned)bares.v[i + 2], ck);
      for (int i = 0; i < vsets.n && !c->failed; i++) {
        /* the statement is copied: landing() emits into this body */
        ir_stmt st = c->p->fns.v[fn].body.v[vsets.v[i]];
        landing(c, fn, st.a[1], &st, ck);
      }
    }
    VEC_FREE(checks);
    VEC_FREE(vsets);
    VEC_FREE(bares);
    if (c->p->wants_raise) break;
  }
  c->fn = save;
}
