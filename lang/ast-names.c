/* ast-names.c - whether code may name some symbols, by name (whatever
 * binds them: a name shadowed counts as used).  A procedure that never
 * names its parameters ignores its arguments: a catch's handler
 * (lang/lower-wind.c) or an exception handler (eval.c, lower-exn.c) of
 * that kind may be given any arguments, which compiled code uses where
 * it cannot make Guile's.
 */
#include "config.h"

#include "lang.h"

/* Whether expression e may name one of the n symbols names (by name,
 * whatever binds it: a name shadowed counts as used). */
bool ast_fn_names_any(const fn_def *fn, const int *names, int n) {
  return ast_names_any(fn->body, names, n);
}

bool ast_names_any(const ast *e, const int *names, int n) {
  if (!e) return false;
  switch (e->kind) {
  case E_CONST:
    return false;
  case E_REF:
  case E_SET:
    for (int i = 0; i < n; i++)
      if ((e->kind == E_REF ? e->u.ref.name : e->u.set.name) == names[i]) return true;
    return e->kind == E_SET && ast_names_any(e->u.set.val, names, n);
  case E_IF:
    return ast_names_any(e->u.iff.c, names, n) || ast_names_any(e->u.iff.t, names, n) ||
           ast_names_any(e->u.iff.e, names, n);
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < e->u.seq.n; i++)
      if (ast_names_any(e->u.seq.v[i], names, n)) return true;
    return false;
  case E_LET: case E_LETREC:
    for (int i = 0; i < e->u.let.n; i++) {
      const let_binding *b = &e->u.let.v[i];
      if (b->init && ast_names_any(b->init, names, n)) return true;
      if (b->fn && ast_fn_names_any(b->fn, names, n)) return true;
    }
    return ast_names_any(e->u.let.body, names, n);
  case E_CALL: case E_APPLY:
    for (int i = 0; i < n; i++)
      if (e->kind == E_CALL && e->u.call.name == names[i]) return true;
    if (e->kind == E_APPLY && ast_names_any(e->u.call.op, names, n)) return true;
    for (int i = 0; i < e->u.call.n; i++)
      if (ast_names_any(e->u.call.args[i], names, n)) return true;
    return false;
  case E_LAMBDA:
    return ast_fn_names_any(e->u.lam.fn, names, n);
  default:
    return true;
  }
}

bool ast_fn_ignores_params(const fn_def *fn) {
  return !ast_fn_names_any(fn, fn->params, fn->nparams);
}

bool ast_blind_handler(const ast *h) {
  return h->kind == E_LAMBDA && ast_fn_ignores_params(h->u.lam.fn);
}
