/* expand-closures.c - local procedures that become closures.
 *
 * After a top-level form is expanded, one walk decides which procedures
 * bound in a body, a let or a named let stay plain local procedures
 * (called directly) and which become variables holding a closure, and
 * sizes each lambda's captures.  Called by expander.c once per form.
 *
 * Ownership: as the expander's: everything in the form's arena (ex.mem);
 * the walk's own scope vectors are freed before it returns.
 */
#include "config.h"

#include "expander.h"

/* ---- local procedures that become closures -------------------------- */

/* A procedure bound by an internal define, a let or a named let is called
 * through a static link while it stays inside its scope.  One that is
 * used as a value, assigned, or called from inside a lambda (which may
 * run after the scope is gone) becomes a variable holding a closure.
 * Converting one puts its body inside a closure, which may require
 * converting others: the walk repeats until nothing changes. */
typedef struct {
  int name;
  let_binding *b;   /* a procedure binding, or NULL: a variable */
  int clo;          /* closure nesting where it is bound */
} lf_entry;

typedef struct {
  ex *e;
  VEC(lf_entry) scope;
  VEC(let_binding *) converted;
  int clo;
  bool changed;
} lf_walk;

static void lf_ast(lf_walk *L, ast *a);

static bool lf_is_converted(lf_walk *L, const let_binding *b) {
  for (int i = 0; i < L->converted.n; i++)
    if (L->converted.v[i] == b) return true;
  return false;
}

static lf_entry *lf_find(lf_walk *L, int name) {
  for (int i = L->scope.n - 1; i >= 0; i--)
    if (L->scope.v[i].name == name) return &L->scope.v[i];
  return NULL;
}

static void lf_convert(lf_walk *L, let_binding *b) {
  if (lf_is_converted(L, b)) return;
  VEC_PUSH(L->converted, b);
  L->changed = true;
}

static void lf_push(lf_walk *L, int name, let_binding *b) {
  lf_entry x = {name, b, L->clo};
  VEC_PUSH(L->scope, x);
}

static void lf_fn(lf_walk *L, fn_def *f, bool closure) {
  int save = L->scope.n;
  if (closure) L->clo++;
  for (int i = 0; i < f->nparams; i++) lf_push(L, f->params[i], NULL);
  lf_ast(L, f->body);
  if (closure) L->clo--;
  L->scope.n = save;
}

static void lf_binding_fn(lf_walk *L, let_binding *b) {
  lf_fn(L, b->fn, lf_is_converted(L, b));
}

static void lf_name_use(lf_walk *L, int name, bool call) {
  lf_entry *x = lf_find(L, name);
  if (x && x->b && (!call || x->clo < L->clo)) lf_convert(L, x->b);
}

static void lf_ast(lf_walk *L, ast *a) {
  for (;;) {
    switch (a->kind) {
    case E_CONST: case E_DEFTABLE: case E_EXTERN:
      return;
    case E_REF:
      lf_name_use(L, a->u.ref.name, false);
      return;
    case E_SET:
      lf_name_use(L, a->u.set.name, false);
      a = a->u.set.val;
      continue;
    case E_IF:
      lf_ast(L, a->u.iff.c);
      lf_ast(L, a->u.iff.t);
      a = a->u.iff.e;
      continue;
    case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
      if (a->u.seq.n == 0) return;
      for (int i = 0; i + 1 < a->u.seq.n; i++) lf_ast(L, a->u.seq.v[i]);
      a = a->u.seq.v[a->u.seq.n - 1];
      continue;
    case E_CALL:
    case E_APPLY:
      if (a->kind == E_APPLY) lf_ast(L, a->u.call.op);
      else if (a->u.call.r.kind != REF_BUILTIN)
        lf_name_use(L, a->u.call.name, true);
      for (int i = 0; i < a->u.call.n; i++) lf_ast(L, a->u.call.args[i]);
      return;
    case E_LAMBDA:
      lf_fn(L, a->u.lam.fn, true);
      return;
    case E_DEFINE:
      if (a->u.def.fn) lf_fn(L, a->u.def.fn, false);
      else lf_ast(L, a->u.def.val);
      return;
    case E_LET: {
      int save = L->scope.n;
      for (int i = 0; i < a->u.let.n; i++) {
        let_binding *b = &a->u.let.v[i];
        if (b->fn) lf_binding_fn(L, b);
        else lf_ast(L, b->init);
      }
      for (int i = 0; i < a->u.let.n; i++)
        lf_push(L, a->u.let.v[i].name, a->u.let.v[i].fn ? &a->u.let.v[i] : NULL);
      lf_ast(L, a->u.let.body);
      L->scope.n = save;
      return;
    }
    case E_LETREC: {
      int save = L->scope.n;
      for (int i = 0; i < a->u.let.n; i++)
        lf_push(L, a->u.let.v[i].name, a->u.let.v[i].fn ? &a->u.let.v[i] : NULL);
      for (int i = 0; i < a->u.let.n; i++) {
        let_binding *b = &a->u.let.v[i];
        if (b->fn) lf_binding_fn(L, b);
        else lf_ast(L, b->init);
      }
      lf_ast(L, a->u.let.body);
      L->scope.n = save;
      return;
    }
    }
    return;
  }
}

/* Room for the captured variables of a closure: at most one per name
 * used in its body. */
static int count_names(const ast *a) {
  int n = 0;
  for (;;) {
    switch (a->kind) {
    case E_REF: return n + 1;
    case E_SET: n++; a = a->u.set.val; continue;
    case E_IF:
      n += count_names(a->u.iff.c) + count_names(a->u.iff.t);
      a = a->u.iff.e;
      continue;
    case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
      for (int i = 0; i < a->u.seq.n; i++) n += count_names(a->u.seq.v[i]);
      return n;
    case E_CALL: case E_APPLY:
      n += a->kind == E_APPLY ? count_names(a->u.call.op) : 1;
      for (int i = 0; i < a->u.call.n; i++) n += count_names(a->u.call.args[i]);
      return n;
    case E_LAMBDA: a = a->u.lam.fn->body; continue;
    case E_LET: case E_LETREC:
      for (int i = 0; i < a->u.let.n; i++)
        n += a->u.let.v[i].fn ? count_names(a->u.let.v[i].fn->body)
                              : count_names(a->u.let.v[i].init);
      a = a->u.let.body;
      continue;
    default: return n;
    }
  }
}

static void size_captures(ex *e, fn_def *f) {
  f->closure = true;
  f->cap_max = count_names(f->body);
  f->cap_names = arena_alloc(e->mem, (size_t)(f->cap_max + 1) * sizeof(int));
  f->cap_src = arena_alloc(e->mem, (size_t)(f->cap_max + 1) * sizeof(ref_info));
}

/* Every lambda value gets its capture arrays (found by a last walk). */
static void lf_size_all(ex *e, ast *a) {
  for (;;) {
    switch (a->kind) {
    case E_SET: a = a->u.set.val; continue;
    case E_IF:
      lf_size_all(e, a->u.iff.c);
      lf_size_all(e, a->u.iff.t);
      a = a->u.iff.e;
      continue;
    case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
      for (int i = 0; i < a->u.seq.n; i++) lf_size_all(e, a->u.seq.v[i]);
      return;
    case E_CALL: case E_APPLY:
      if (a->kind == E_APPLY) lf_size_all(e, a->u.call.op);
      for (int i = 0; i < a->u.call.n; i++) lf_size_all(e, a->u.call.args[i]);
      return;
    case E_LAMBDA:
      size_captures(e, a->u.lam.fn);
      a = a->u.lam.fn->body;
      continue;
    case E_DEFINE:
      if (a->u.def.fn) a = a->u.def.fn->body;
      else a = a->u.def.val;
      continue;
    case E_LET: case E_LETREC:
      for (int i = 0; i < a->u.let.n; i++)
        if (a->u.let.v[i].fn) lf_size_all(e, a->u.let.v[i].fn->body);
        else lf_size_all(e, a->u.let.v[i].init);
      a = a->u.let.body;
      continue;
    default: return;
    }
  }
}

void ex_convert_local_fns(ex *e, ast *a) {
  lf_walk L = {0};
  L.e = e;
  do {
    L.changed = false;
    L.scope.n = 0;
    lf_ast(&L, a);
  } while (L.changed);
  for (int i = 0; i < L.converted.n; i++) {
    let_binding *b = L.converted.v[i];
    ast *lam = ex_node(e, E_LAMBDA, b->fn->loc);
    lam->u.lam.fn = b->fn;
    b->fn->is_loop = false;
    b->init = lam;
    b->fn = NULL;
  }
  VEC_FREE(L.scope);
  VEC_FREE(L.converted);
  lf_size_all(e, a);
}
