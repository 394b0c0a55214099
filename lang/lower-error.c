/* lower-error.c - `error` and `exit` in compiled code.
 *
 * (error MSG IRRITANT...) stops the program with the evaluator's text:
 * MSG displayed, then each irritant written after a space.  The
 * operands are run-time values: S_ERRTEXT statements print them into
 * the error's text (the steps' errval flag, docs/trace-format.md "Kind
 * errors"), then an X_FAIL whose failure is `bare` with an empty
 * message raises the error at the call, of kind "error".  The host only
 * turns the printed tokens into the message (backend/mtrace.c does not
 * cut the text of an "error" site).
 *
 * (exit [STATUS]) stops the program as an error of kind "exit" whose
 * text is the evaluator's, "exit with status N": N is the integer
 * modulo 256 (written into the text by the model), 1 for #f, 0 for
 * anything else or no argument, as in Guile.  The
 * runner reads N back from that text as the process's status
 * (lib/runner.c), as it reads output tokens.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <string.h>

bool lw_is_stop_name(const char *name) {
  return !strcmp(name, "error") || !strcmp(name, "exit");
}

/* x printed into the error's text (displayed, or written). */
static void err_print(lw *c, ir_expr *x, bool write, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_ERRTEXT, loc);
  s->a[0] = x;
  s->write = write;
}

static void err_text(lw *c, const char *text, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_ERRTEXT, loc);
  s->text = text;
}

/* An X_FAIL of failure (kind, msg, bare), evaluated here. */
static ir_expr *raise(lw *c, srcloc at, const char *kind, const char *msg, bool bare) {
  ir_failure f = {kind, arena_strdup(&c->p->mem, msg), bare};
  VEC_PUSH(c->p->failures, f);
  ir_expr *e = lw_mk(c, X_FAIL, at, 0);
  e->type = lw_new_type(c, T_ANY);
  e->ival = c->p->failures.n - 1;
  VEC_PUSH(c->fail_types, e->type);
  lw_emit(c, S_EVAL, at)->a[0] = e;
  return e;
}

/* The operands, in order, each pinned in a temporary. */
static bool operands(lw *c, const ast *a, frame_map *f, int *vars) {
  int n = a->u.call.n;
  for (int i = 0; i < n && !c->failed; i++) {
    ir_expr *x = lw_lower_value(c, a->u.call.args[i], f);
    if (c->failed) return false;
    vars[i] = temp(c, a->u.call.args[i]->loc);
    lw_assign(c, vars[i], x, a->u.call.args[i]->loc);
  }
  return !c->failed;
}

static ir_expr *lower_error(lw *c, const ast *a, frame_map *f) {
  int n = a->u.call.n;
  int vars[64];
  if (n > 64) {
    lw_fail(c, a->loc, "error with more than 63 irritants in compiled code");
    return lw_void_expr(c, a->loc);
  }
  if (!operands(c, a, f, vars)) return lw_void_expr(c, a->loc);
  lw_wind_error(c, a, f, vars, n);   /* lower-wind.c: a catch may take it */
  lw_wind_stop(c, a->loc, lw_call_depth(f, a));
  if (c->failed) return lw_void_expr(c, a->loc);
  for (int i = 0; i < n; i++) {
    if (i) err_text(c, " ", a->loc);
    err_print(c, var(c, vars[i], a->loc), i > 0, a->loc);
  }
  return raise(c, a->loc, "error", "", true);
}

/* (eqv? variable t, #f or #t) */
static ir_expr *is_bool(lw *c, int t, bool v, srcloc loc) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, 2);
  e->op = builtin_find("eqv?");
  e->a[0] = var(c, t, loc);
  e->a[1] = kbool(c, v, loc);
  e->type = lw_new_type(c, T_BOOL);
  e->has_nat = true;
  e->nat = T_BOOL;
  return e;
}

static ir_expr *is_int(lw *c, int t, srcloc loc) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, 1);
  e->op = builtin_find("integer?");
  e->a[0] = var(c, t, loc);
  e->type = lw_new_type(c, T_BOOL);
  e->has_nat = true;
  e->nat = T_BOOL;
  return e;
}

static ir_expr *lower_exit(lw *c, const ast *a, frame_map *f) {
  srcloc loc = a->loc;
  if (a->u.call.n == 0) {
    lw_wind_exit(c, a, f, NULL, 0);   /* lower-wind.c: a catch may take it */
    if (c->failed) return lw_void_expr(c, loc);
    return raise(c, loc, "exit", "exit with status 0", false);
  }
  int t;
  if (!operands(c, a, f, &t)) return lw_void_expr(c, loc);
  lw_wind_exit(c, a, f, &t, 1);
  if (c->failed) return lw_void_expr(c, loc);
  tkind k = ir_kind(c->p, c->p->vars.v[t].type);
  bool may_int = k == T_INT || k == T_ANY || k == T_DYN;
  if (k != T_INT) {
    /* #f: 1; kinds settle when the lowering ends, so the tests are
     * those any kind may take (eqv?, integer?) */
    int one = lw_new_label(c), other = lw_new_label(c);
    branch(c, is_bool(c, t, false, loc), one, other, loc);
    lw_label(c, one, loc);
    raise(c, loc, "exit", "exit with status 1", false);
    lw_label(c, other, loc);
    if (!may_int) return raise(c, loc, "exit", "exit with status 0", false);
    int zero = lw_new_label(c), num = lw_new_label(c);
    branch(c, is_int(c, t, loc), num, zero, loc);
    lw_label(c, zero, loc);
    raise(c, loc, "exit", "exit with status 0", false);
    lw_label(c, num, loc);
  }
  /* an integer, modulo 256 */
  ir_expr *args[1] = {var(c, t, loc)};
  ir_expr *x = lw_checked_arg(c, a, "exit", args, 0, T_INT);
  ir_expr *m = lw_mk(c, X_PRIM, loc, 2);
  m->op = builtin_find("modulo");
  m->a[0] = x;
  m->a[1] = kint(c, 256, loc);
  m->type = lw_new_type(c, T_INT);
  m->has_nat = true;
  m->nat = T_INT;
  err_print(c, m, true, loc);
  return raise(c, loc, "exit", "exit with status", true);
}

/* A call of error or exit (lw_is_stop_name), or NULL. */
ir_expr *lw_stop_effect(lw *c, const ast *a, frame_map *f) {
  const char *name = a->u.call.r.bi->name;
  if (!strcmp(name, "error")) return lower_error(c, a, f);
  if (!strcmp(name, "exit")) return lower_exit(c, a, f);
  return NULL;
}
