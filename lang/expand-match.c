/* expand-match.c - (ice-9 match): match, match-lambda, match-lambda*,
 * match-let and match-let*, rewritten into core syntax (let, if, lambda,
 * named let and builtin calls), so that compiled code needs nothing new.
 *
 * (match EXPR (PAT BODY ...) ...) becomes
 *   (let* ((v EXPR)
 *          (kN (lambda () (throw 'match-error "match" "no matching pattern" v)))
 *          (kN-1 (lambda () <clause N-1: PAT tested on v, else (kN)>))
 *          ...)
 *     (k0))
 * Each clause is a chain of tests of the value and its parts; a pattern
 * variable is bound by a let as soon as its part is reached, and the
 * clause's body is the innermost expression.  A failed test calls the
 * thunk of the next clause (in tail position, so that matching is a loop
 * of jumps, not a stack).  As in Guile's match (Wright's patterns, Shinn's
 * implementation), an `or` alternative that matched is not tried again
 * when a later part of the clause fails: the clause fails.
 *
 * Every name the rewriting binds holds a space: the program cannot see
 * them; builtins are called through EX_BUILTIN_HEAD, so that a program's
 * own car or equal? does not change what a pattern means.
 */
#include "config.h"

#include "expander.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- building syntax -------------------------------------------------- */

#define L ex_mk_items

static sx *S(ex *e, const char *name, srcloc at) { return ex_mk_sym(e, name, at); }

#define B ex_mk_builtin

static sx *Q(ex *e, const sx *d, srcloc at) { return L(e, at, 2, S(e, "quote", at), (sx *)d); }

#define I ex_mk_int

static sx *STR(ex *e, const char *text, srcloc at) { return ex_mk_str(e, text, strlen(text), at); }

static sx *fresh(ex *e, const char *what, srcloc at) { return ex_mk_fresh(e, "match", what, at); }

/* (let ((name init)) body) */
static sx *let1(ex *e, sx *name, sx *init, sx *body, srcloc at) {
  return L(e, at, 3, S(e, "let", at), L(e, at, 1, L(e, at, 2, name, init)), body);
}

static sx *if3(ex *e, sx *test, sx *yes, sx *no, srcloc at) {
  return L(e, at, 4, S(e, "if", at), test, yes, no);
}

/* (lambda () body) */
static sx *thunk(ex *e, sx *body, srcloc at) {
  return L(e, at, 3, S(e, "lambda", at), ex_mk_list(e, 0, at), body);
}

/* ---- patterns ----------------------------------------------------------- */

static bool is_kw(ex *e, const sx *s) {
  const char *n = s->kind == SX_SYM ? sym_name(&e->w->syms, s->u.sym) : "";
  return n[0] == '#' && n[1] == ':';
}

static bool is_ellipsis(ex *e, const sx *s) {
  return ex_is_sym(e, s, "...") || ex_is_sym(e, s, "___");
}

static bool head_is(ex *e, const sx *p, const char *h) {
  return p->kind == SX_LIST && !p->u.list.tail && p->u.list.n >= 1 &&
         ex_is_sym(e, p->u.list.v[0], h);
}

/* Is p a pattern variable (a symbol that binds)? */
static bool is_var(ex *e, const sx *p) {
  return p->kind == SX_SYM && !ex_is_sym(e, p, "_") && !is_ellipsis(e, p) &&
         !is_kw(e, p);
}

typedef VEC(const sx *) sx_list;

/* The pattern variables of p, in order, each once. */
static void pat_vars(ex *e, const sx *p, sx_list *out) {
  if (is_var(e, p)) {
    for (int i = 0; i < out->n; i++)
      if (out->v[i]->u.sym == p->u.sym) return;
    VEC_PUSH(*out, p);
    return;
  }
  if (p->kind != SX_LIST && p->kind != SX_VEC) return;
  int from = 0;
  if (p->kind == SX_LIST && p->u.list.n >= 1 && p->u.list.v[0]->kind == SX_SYM) {
    if (head_is(e, p, "quote")) return;
    if (head_is(e, p, "?") || head_is(e, p, "=")) from = 2;   /* skip the expression */
    else if (head_is(e, p, "and") || head_is(e, p, "or") || head_is(e, p, "not")) from = 1;
    else if (head_is(e, p, "set!") || head_is(e, p, "get!")) from = 1;
  }
  for (int i = from; i < p->u.list.n; i++) pat_vars(e, p->u.list.v[i], out);
  if (p->kind == SX_LIST && p->u.list.tail) pat_vars(e, p->u.list.tail, out);
}

/* One thing left to test: pattern pat on the value of variable var. */
typedef struct {
  const sx *pat;
  sx *var;
} task;

/* The pattern variables bound so far on the way to a test: a name met
 * again must be equal? to the first value, as in Guile. */
typedef struct bnd {
  int sym;
  const struct bnd *next;
} bnd;

static bool bound(const bnd *b, int sym) {
  for (; b; b = b->next)
    if (b->sym == sym) return true;
  return false;
}

/* b with the names vars[0..n) */
static const bnd *bind_all(ex *e, const bnd *b, const sx_list *vars) {
  for (int i = 0; i < vars->n; i++) {
    bnd *x = arena_alloc(e->mem, sizeof *x);
    x->sym = vars->v[i]->u.sym;
    x->next = b;
    b = x;
  }
  return b;
}

static sx *gen(ex *e, const bnd *b, const task *t, int n, sx *ok, sx *fail);

/* The tasks t[0..n) after `first` ones pushed in front. */
static task *push(ex *e, const task *first, int k, const task *t, int n) {
  task *r = arena_alloc(e->mem, (size_t)(k + n + 1) * sizeof *r);
  for (int i = 0; i < k; i++) r[i] = first[i];
  for (int i = 0; i < n; i++) r[k + i] = t[i];
  return r;
}

static sx *bad_pat(ex *e, const sx *p, const char *why) {
  ex_bad(e, p->loc, "malformed match pattern: %s", why);
  return NULL;
}

/* A quasi-pattern `QP as the plain pattern it stands for: a symbol is
 * 'SYMBOL, ,P is P, lists and vectors are walked, anything else is
 * itself. */
static sx *unquasi(ex *e, const sx *q) {
  if (e->failed) return NULL;
  if (q->kind == SX_SYM) {
    /* Guile 3.0.8's match never matches a quasi-pattern with ... in it */
    if (is_ellipsis(e, q)) return bad_pat(e, q, "tvl's match has no ... inside `");
    return L(e, q->loc, 2, S(e, "quote", q->loc), (sx *)q);
  }
  if (q->kind != SX_LIST && q->kind != SX_VEC) return (sx *)q;
  if (head_is(e, q, "unquote")) {
    if (q->u.list.n != 2) return bad_pat(e, q, "expected (unquote pattern)");
    return q->u.list.v[1];
  }
  if (head_is(e, q, "unquote-splicing") || head_is(e, q, "quasiquote"))
    return bad_pat(e, q, "tvl's match has no ,@ or nested ` in quasi-patterns");
  sx *r = ex_mk(e, q->kind, q->loc);
  r->u.list.n = q->u.list.n;
  r->u.list.v = arena_alloc(e->mem, (size_t)(q->u.list.n + 1) * sizeof(sx *));
  for (int i = 0; i < q->u.list.n; i++)
    if (!(r->u.list.v[i] = unquasi(e, q->u.list.v[i]))) return NULL;
  if (q->kind == SX_LIST && q->u.list.tail && !(r->u.list.tail = unquasi(e, q->u.list.tail)))
    return NULL;
  return r;
}

/* A list pattern (items..., maybe one `p ...`, maybe a dotted tail) on
 * var, then the tasks t[0..n). */
static sx *gen_list(ex *e, const bnd *b, const sx *p, sx *var, const task *t, int n,
                    sx *ok, sx *fail) {
  srcloc at = p->loc;
  int np = p->u.list.n, ell = -1;
  for (int i = 0; i < np; i++)
    if (is_ellipsis(e, p->u.list.v[i])) {
      if (i == 0 || ell >= 0) return bad_pat(e, p->u.list.v[i], "'...' must follow a pattern, once in a list");
      ell = i - 1;
    }
  if (ell < 0) {
    /* (p1 p2 ... . tail): pair by pair */
    if (np == 0) {
      if (p->u.list.tail) return gen(e, b, push(e, &(task){p->u.list.tail, var}, 1, t, n), n + 1, ok, fail);
      return if3(e, L(e, at, 2, B(e, "null?", at), var), gen(e, b, t, n, ok, fail), fail, at);
    }
    sx *a = fresh(e, "car", at), *d = fresh(e, "cdr", at);
    sx *rest = ex_mk_list(e, np - 1, at);
    for (int i = 1; i < np; i++) rest->u.list.v[i - 1] = p->u.list.v[i];
    rest->u.list.tail = p->u.list.tail;
    task two[2] = {{p->u.list.v[0], a}, {rest, d}};
    sx *inner = gen(e, b, push(e, two, 2, t, n), n + 2, ok, fail);
    if (!inner) return NULL;
    sx *binds = L(e, at, 2, L(e, at, 2, a, L(e, at, 2, B(e, "car", at), var)),
                  L(e, at, 2, d, L(e, at, 2, B(e, "cdr", at), var)));
    return if3(e, L(e, at, 2, B(e, "pair?", at), var),
               L(e, at, 3, S(e, "let", at), binds, inner), fail, at);
  }
  if (p->u.list.tail) return bad_pat(e, p, "a list with '...' cannot have a dotted tail");
  /* (p1 ... pk q ... r1 ... rm): the k fixed items first, pair by pair,
   * then the repeated q over all but the last m elements, then r1...rm */
  if (ell > 0) {
    sx *a = fresh(e, "car", at), *d = fresh(e, "cdr", at);
    sx *rest = ex_mk_list(e, np - 1, at);
    for (int i = 1; i < np; i++) rest->u.list.v[i - 1] = p->u.list.v[i];
    task two[2] = {{p->u.list.v[0], a}, {rest, d}};
    sx *inner = gen(e, b, push(e, two, 2, t, n), n + 2, ok, fail);
    if (!inner) return NULL;
    sx *binds = L(e, at, 2, L(e, at, 2, a, L(e, at, 2, B(e, "car", at), var)),
                  L(e, at, 2, d, L(e, at, 2, B(e, "cdr", at), var)));
    return if3(e, L(e, at, 2, B(e, "pair?", at), var),
               L(e, at, 3, S(e, "let", at), binds, inner), fail, at);
  }
  const sx *q = p->u.list.v[0];
  int m = np - 2;   /* the patterns after the ellipsis */
  sx *after = ex_mk_list(e, m, at);
  for (int i = 0; i < m; i++) after->u.list.v[i] = p->u.list.v[2 + i];
  sx_list vars = {0};
  pat_vars(e, q, &vars);
  int nv = (int)vars.n;
  /* (let loop ((l var) (i (- (length var) m)) (acc '()) ...)
   *   (if (= i 0)
   *       (let ((x (reverse acc)) ...) <after on l, then t>)
   *       (let ((el (car l))) <q on el, then (loop (cdr l) (- i 1) (cons x acc) ...)>))) */
  sx *loop = fresh(e, "loop", at), *l = fresh(e, "list", at), *i = fresh(e, "count", at);
  sx *el = fresh(e, "item", at), *len = fresh(e, "length", at);
  sx **acc = arena_alloc(e->mem, (size_t)(nv + 1) * sizeof *acc);
  for (int j = 0; j < nv; j++) acc[j] = fresh(e, "acc", at);
  sx *init = ex_mk_list(e, 2 + nv, at);
  init->u.list.v[0] = L(e, at, 2, l, var);
  init->u.list.v[1] = L(e, at, 2, i, L(e, at, 3, B(e, "-", at), len, I(e, m, at)));
  for (int j = 0; j < nv; j++)
    init->u.list.v[2 + j] = L(e, at, 2, acc[j], Q(e, ex_mk_list(e, 0, at), at));
  sx *again = ex_mk_list(e, 3 + nv, at);
  again->u.list.v[0] = loop;
  again->u.list.v[1] = L(e, at, 2, B(e, "cdr", at), l);
  again->u.list.v[2] = L(e, at, 3, B(e, "-", at), i, I(e, 1, at));
  for (int j = 0; j < nv; j++)
    again->u.list.v[3 + j] = L(e, at, 3, B(e, "cons", at), (sx *)vars.v[j], acc[j]);
  sx *each = gen(e, b, &(task){q, el}, 1, again, fail);
  sx *done_binds = ex_mk_list(e, nv, at);
  for (int j = 0; j < nv; j++)
    done_binds->u.list.v[j] =
        L(e, at, 2, (sx *)vars.v[j], L(e, at, 2, B(e, "reverse", at), acc[j]));
  sx *done = gen(e, bind_all(e, b, &vars), push(e, &(task){after, l}, 1, t, n), n + 1, ok, fail);
  free(vars.v);
  if (!each || !done) return NULL;
  sx *body = if3(e, L(e, at, 3, B(e, "=", at), i, I(e, 0, at)),
                 L(e, at, 3, S(e, "let", at), done_binds, done),
                 let1(e, el, L(e, at, 2, B(e, "car", at), l), each, at), at);
  sx *named = L(e, at, 4, S(e, "let", at), loop, init, body);
  sx *check = if3(e, L(e, at, 3, B(e, ">=", at), len, I(e, m, at)), named, fail, at);
  return if3(e, L(e, at, 2, B(e, "list?", at), var),
             let1(e, len, L(e, at, 2, B(e, "length", at), var), check, at), fail, at);
}

/* The code that tests t[0..n) in order and then is ok; fail where one
 * does not match.  ok and fail may be copied: they are small (a call of
 * a thunk, or a body written once under the last test). */
static sx *gen(ex *e, const bnd *b, const task *t, int n, sx *ok, sx *fail) {
  if (e->failed) return NULL;
  if (n == 0) return ok;
  const sx *p = t[0].pat;
  sx *var = t[0].var;
  srcloc at = p->loc;
  const task *rest = t + 1;
  int nr = n - 1;
  switch (p->kind) {
  case SX_INT: case SX_BIG: case SX_STR: case SX_CHAR: case SX_BOOL: {
    sx *next = gen(e, b, rest, nr, ok, fail);
    if (!next) return NULL;
    return if3(e, L(e, at, 3, B(e, "equal?", at), var, (sx *)p), next, fail, at);
  }
  case SX_SYM: {
    if (ex_is_sym(e, p, "_")) return gen(e, b, rest, nr, ok, fail);
    if (is_ellipsis(e, p)) return bad_pat(e, p, "'...' must follow a pattern in a list");
    const char *nm = sym_name(&e->w->syms, p->u.sym);
    if ((!strncmp(nm, "..", 2) || !strncmp(nm, "__", 2)) && nm[2] >= '0' && nm[2] <= '9')
      return bad_pat(e, p, "tvl's match has no ..k (at least k) repetitions");
    if (is_kw(e, p)) {
      sx *next = gen(e, b, rest, nr, ok, fail);
      if (!next) return NULL;
      return if3(e, L(e, at, 3, B(e, "equal?", at), var, Q(e, p, at)), next, fail, at);
    }
    if (bound(b, p->u.sym)) {   /* a name met again: the same value */
      sx *next = gen(e, b, rest, nr, ok, fail);
      if (!next) return NULL;
      return if3(e, L(e, at, 3, B(e, "equal?", at), (sx *)p, var), next, fail, at);
    }
    bnd *x = arena_alloc(e->mem, sizeof *x);
    x->sym = p->u.sym;
    x->next = b;
    sx *next = gen(e, x, rest, nr, ok, fail);
    if (!next) return NULL;
    return let1(e, (sx *)p, var, next, at);
  }
  case SX_VEC: {
    /* #(p ...): the vector's elements as a list, matched as (p ...) */
    sx *lp = ex_mk_list(e, p->u.list.n, at);
    for (int i = 0; i < p->u.list.n; i++) lp->u.list.v[i] = p->u.list.v[i];
    sx *l = fresh(e, "vector", at);
    sx *inner = gen(e, b, push(e, &(task){lp, l}, 1, rest, nr), n, ok, fail);
    if (!inner) return NULL;
    return if3(e, L(e, at, 2, B(e, "vector?", at), var),
               let1(e, l, L(e, at, 2, B(e, "vector->list", at), var), inner, at),
               fail, at);
  }
  case SX_LIST:
    break;
  }
  int np = p->u.list.n;
  if (np >= 1 && !p->u.list.tail && p->u.list.v[0]->kind == SX_SYM) {
    if (head_is(e, p, "quote")) {
      if (np != 2) return bad_pat(e, p, "expected (quote datum)");
      sx *next = gen(e, b, rest, nr, ok, fail);
      if (!next) return NULL;
      return if3(e, L(e, at, 3, B(e, "equal?", at), var, (sx *)p), next, fail, at);
    }
    if (head_is(e, p, "?")) {
      if (np < 2) return bad_pat(e, p, "expected (? predicate pattern ...)");
      task *more = arena_alloc(e->mem, (size_t)(np - 2 + 1) * sizeof *more);
      for (int i = 2; i < np; i++) more[i - 2] = (task){p->u.list.v[i], var};
      sx *next = gen(e, b, push(e, more, np - 2, rest, nr), np - 2 + nr, ok, fail);
      if (!next) return NULL;
      return if3(e, L(e, at, 2, p->u.list.v[1], var), next, fail, at);
    }
    if (head_is(e, p, "and")) {
      task *more = arena_alloc(e->mem, (size_t)np * sizeof *more);
      for (int i = 1; i < np; i++) more[i - 1] = (task){p->u.list.v[i], var};
      return gen(e, b, push(e, more, np - 1, rest, nr), np - 1 + nr, ok, fail);
    }
    if (head_is(e, p, "=")) {
      if (np != 3) return bad_pat(e, p, "expected (= procedure pattern)");
      sx *r = fresh(e, "result", at);
      sx *next = gen(e, b, push(e, &(task){p->u.list.v[2], r}, 1, rest, nr), n, ok, fail);
      if (!next) return NULL;
      return let1(e, r, L(e, at, 2, p->u.list.v[1], var), next, at);
    }
    if (head_is(e, p, "not")) {
      if (np != 2) return bad_pat(e, p, "expected (not pattern)");
      sx *k = fresh(e, "not", at);
      sx *next = gen(e, b, rest, nr, ok, fail);
      if (!next) return NULL;
      sx *test = gen(e, b, &(task){p->u.list.v[1], var}, 1, fail, L(e, at, 1, k));
      if (!test) return NULL;
      return let1(e, k, thunk(e, next, at), test, at);
    }
    if (head_is(e, p, "or")) {
      if (np == 1) return fail;
      if (np == 2) return gen(e, b, push(e, &(task){p->u.list.v[1], var}, 1, rest, nr), n, ok, fail);
      /* the rest once, in a procedure of the or's variables; each
       * alternative, when it matches, calls it; else tries the next */
      sx_list vars = {0};
      pat_vars(e, p, &vars);
      int nv = (int)vars.n;
      sx *k = fresh(e, "or", at);
      sx *params = ex_mk_list(e, nv, at), *call = ex_mk_list(e, nv + 1, at);
      call->u.list.v[0] = k;
      for (int j = 0; j < nv; j++) params->u.list.v[j] = call->u.list.v[j + 1] = (sx *)vars.v[j];
      sx *next = gen(e, bind_all(e, b, &vars), rest, nr, ok, fail);
      /* from the last alternative to the first: each fails into a thunk
       * that tries the one after it */
      sx **names = arena_alloc(e->mem, (size_t)np * sizeof *names);
      sx **thunks = arena_alloc(e->mem, (size_t)np * sizeof *thunks);
      sx *failnext = fail, *chain = NULL;
      for (int i = np - 1; i >= 1; i--) {
        /* an alternative that binds fewer of the names gives #f for the others */
        sx_list own = {0};
        pat_vars(e, p->u.list.v[i], &own);
        sx *c = ex_mk_list(e, nv + 1, at);
        c->u.list.v[0] = k;
        for (int j = 0; j < nv; j++) {
          bool has = false;
          for (int h = 0; h < own.n; h++) has |= own.v[h]->u.sym == vars.v[j]->u.sym;
          sx *f = ex_mk(e, SX_BOOL, at);
          f->u.b = false;
          c->u.list.v[j + 1] = has ? (sx *)vars.v[j] : f;
        }
        free(own.v);
        sx *try = gen(e, b, &(task){p->u.list.v[i], var}, 1, c, failnext);
        if (!try) break;
        if (i == 1) {
          chain = try;
        } else {
          names[i] = fresh(e, "alternative", at);
          thunks[i] = thunk(e, try, at);
          failnext = L(e, at, 1, names[i]);
        }
      }
      for (int i = 2; i < np && chain; i++) chain = let1(e, names[i], thunks[i], chain, at);
      free(vars.v);
      if (!next || !chain) return NULL;
      return let1(e, k, L(e, at, 3, S(e, "lambda", at), params, next), chain, at);
    }
    if (head_is(e, p, "quasiquote")) {
      if (np != 2) return bad_pat(e, p, "expected (quasiquote pattern)");
      sx *plain = unquasi(e, p->u.list.v[1]);
      if (!plain) return NULL;
      return gen(e, b, push(e, &(task){plain, var}, 1, rest, nr), n, ok, fail);
    }
    if (head_is(e, p, "set!") || head_is(e, p, "get!"))
      return bad_pat(e, p, "tvl's match has no set! or get! patterns");
    if (head_is(e, p, "$") || head_is(e, p, "struct") || head_is(e, p, "object") ||
        head_is(e, p, "unquote") || head_is(e, p, "unquote-splicing"))
      return bad_pat(e, p, "tvl's match has no record or object patterns, and , only inside `");
  }
  return gen_list(e, b, p, var, rest, nr, ok, fail);
}

/* ---- the forms -------------------------------------------------------- */

/* (match EXPR CLAUSE ...) with EXPR's value already in variable v. */
static sx *match_on(ex *e, sx *v, const sx *const *cl, int nc, srcloc at) {
  for (int i = 0; i < nc; i++) {
    const sx *c = cl[i];
    if (c->kind != SX_LIST || c->u.list.tail || c->u.list.n < 2)
      return ex_bad(e, c->loc, "malformed match clause: expected (pattern body ...)"), NULL;
    const sx *f = c->u.list.v[1];
    if (f->kind == SX_LIST && head_is(e, f, "=>") &&
        (f->u.list.n != 2 || f->u.list.v[1]->kind != SX_SYM || c->u.list.n < 3))
      return ex_bad(e, f->loc, "malformed match clause: expected (pattern (=> name) body ...)"), NULL;
  }
  /* the last failure: Guile's error */
  sx *k = fresh(e, "clause", at);
  sx *err = L(e, at, 5, B(e, "throw", at), Q(e, S(e, "match-error", at), at),
              STR(e, "match", at), STR(e, "no matching pattern", at), v);
  sx *binds = ex_mk_list(e, nc + 1, at);
  binds->u.list.v[0] = L(e, at, 2, k, thunk(e, err, at));
  for (int i = nc - 1; i >= 0; i--) {
    const sx *c = cl[i];
    /* (pattern (=> name) body ...): name is the thunk of the clauses after */
    const sx *f = c->u.list.v[1];
    bool esc = f->kind == SX_LIST && head_is(e, f, "=>");
    int from = esc ? 2 : 1;
    sx *body = ex_mk_list(e, c->u.list.n - from + 2, c->loc);
    body->u.list.v[0] = S(e, "let", c->loc);
    body->u.list.v[1] = ex_mk_list(e, 0, c->loc);
    for (int j = from; j < c->u.list.n; j++) body->u.list.v[j - from + 2] = c->u.list.v[j];
    if (esc) body = let1(e, f->u.list.v[1], k, body, c->loc);
    sx *test = gen(e, NULL, &(task){c->u.list.v[0], v}, 1, body, L(e, at, 1, k));
    if (!test) return NULL;
    k = fresh(e, "clause", c->loc);
    binds->u.list.v[nc - i] = L(e, c->loc, 2, k, thunk(e, test, c->loc));
  }
  return L(e, at, 3, S(e, "let*", at), binds, L(e, at, 1, k));
}

static sx *match_form(ex *e, const sx *s) {
  srcloc at = s->loc;
  if (s->u.list.n < 2)
    return ex_bad(e, at, "malformed match: expected (match expr (pattern body ...) ...)"), NULL;
  sx *v = fresh(e, "value", at);
  sx *m = match_on(e, v, (const sx *const *)s->u.list.v + 2, s->u.list.n - 2, at);
  return m ? let1(e, v, s->u.list.v[1], m, at) : NULL;
}

/* (match-lambda CLAUSE ...): (lambda (x) (match x CLAUSE ...));
 * match-lambda* matches the list of all the arguments. */
static sx *match_lambda(ex *e, const sx *s, bool star) {
  srcloc at = s->loc;
  sx *v = fresh(e, "argument", at);
  sx *m = match_on(e, v, (const sx *const *)s->u.list.v + 1, s->u.list.n - 1, at);
  if (!m) return NULL;
  return L(e, at, 3, S(e, "lambda", at), star ? v : L(e, at, 1, v), m);
}

/* (match-let ((PAT EXPR) ...) BODY ...): the expressions first (none sees
 * the patterns' names), then each pattern on its value; match-let*
 * nests, each binding seeing the names before it. */
static sx *match_let(ex *e, const sx *s, bool star) {
  srcloc at = s->loc;
  const char *form = star ? "match-let*" : "match-let";
  const sx *bl = s->u.list.n >= 3 ? s->u.list.v[1] : NULL;
  if (!bl || bl->kind != SX_LIST || bl->u.list.tail)
    return ex_bad(e, at, "malformed %s: expected (%s ((pattern expr) ...) body ...)",
                  form, form), NULL;
  int nb = bl->u.list.n;
  for (int i = 0; i < nb; i++) {
    const sx *b = bl->u.list.v[i];
    if (b->kind != SX_LIST || b->u.list.tail || b->u.list.n != 2)
      return ex_bad(e, b->loc, "malformed %s binding: expected (pattern expr)", form), NULL;
  }
  sx *body = ex_mk_list(e, s->u.list.n, at);
  body->u.list.v[0] = S(e, "let", at);
  body->u.list.v[1] = ex_mk_list(e, 0, at);
  for (int j = 2; j < s->u.list.n; j++) body->u.list.v[j] = s->u.list.v[j];
  if (star) {
    for (int i = nb - 1; i >= 0; i--) {
      const sx *b = bl->u.list.v[i];
      sx *v = fresh(e, "value", b->loc);
      sx *clause = L(e, b->loc, 2, b->u.list.v[0], body);
      sx *m = match_on(e, v, (const sx *const *)&clause, 1, b->loc);
      if (!m) return NULL;
      body = let1(e, v, b->u.list.v[1], m, b->loc);
    }
    return body;
  }
  sx *vals = ex_mk_list(e, nb, at), *binds = ex_mk_list(e, nb, at);
  for (int i = 0; i < nb; i++) {
    const sx *b = bl->u.list.v[i];
    vals->u.list.v[i] = fresh(e, "value", b->loc);
    binds->u.list.v[i] = L(e, b->loc, 2, vals->u.list.v[i], b->u.list.v[1]);
  }
  /* the patterns in turn, on the values in hidden names */
  for (int i = nb - 1; i >= 0; i--) {
    const sx *b = bl->u.list.v[i];
    sx *clause = L(e, b->loc, 2, b->u.list.v[0], body);
    sx *m = match_on(e, vals->u.list.v[i], (const sx *const *)&clause, 1, b->loc);
    if (!m) return NULL;
    body = m;
  }
  return L(e, at, 3, S(e, "let", at), binds, body);
}

bool ex_is_match_form(ex *e, const char *h) {
  if (!e->w->ice9_match ||
      (strcmp(h, "match") && strcmp(h, "match-lambda") && strcmp(h, "match-lambda*") &&
       strcmp(h, "match-let") && strcmp(h, "match-let*")))
    return false;
  /* a global the program defined with that name replaces the form */
  const gcell *g = world_find(e->w, ex_sym(e, h));
  return !g || g->kind == G_UNDEFINED;
}

ast *ex_match(ex *e, const sx *s) {
  const char *h = sym_name(&e->w->syms, s->u.list.v[0]->u.sym);
  sx *r = !strcmp(h, "match")           ? match_form(e, s)
          : !strcmp(h, "match-lambda")  ? match_lambda(e, s, false)
          : !strcmp(h, "match-lambda*") ? match_lambda(e, s, true)
          : !strcmp(h, "match-let")     ? match_let(e, s, false)
                                        : match_let(e, s, true);
  return r ? ex_expand(e, r) : NULL;
}
