/* expand-keywords.c - Guile's define* and lambda*: #:optional, #:key,
 * #:allow-other-keys and #:rest, rewritten into a procedure of variable
 * arguments that binds its parameters from the list of them, as Guile's
 * evaluator (ice-9/eval.scm) does:
 *
 *   (lambda* (a #:optional (b INIT) #:key c #:rest r) BODY ...)
 *   => (lambda ARGS
 *        (if (< (length ARGS) 1) (error "Wrong number of arguments"))
 *        (let* ((a (car ARGS)) (p1 (cdr ARGS))
 *               (b (if OPT? (car p1) INIT)) (p2 (if OPT? (cdr p1) p1))
 *               (r p2)
 *               (check <the keyword arguments of p2, or Guile's error>)
 *               (c (let ((f <the last value given for #:c in p2>))
 *                    (if f (car f) #f))))
 *          (let () BODY ...)))
 *
 * An optional parameter takes the next argument unless there is none or
 * (when the procedure has keys) it is a keyword; an init is evaluated
 * only when the argument is missing, and sees the parameters before it.
 * The keyword arguments are read in pairs; a non-keyword among them is
 * skipped when there is a rest parameter, else "Invalid keyword"; an
 * unknown keyword is skipped with #:allow-other-keys, else
 * "Unrecognized keyword"; a known one without a value is "Keyword
 * argument has no value"; the last value given for a key wins.
 *
 * Keywords are symbols whose names start with "#:" (the reader reads
 * #:name so; they evaluate to themselves): keyword? tests the name.
 * Hidden names hold a space, and builtins are called through
 * EX_BUILTIN_HEAD, as in expand-more.c.
 */
#include "config.h"

#include "expander.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define L ex_mk_items

static sx *S(ex *e, const char *name, srcloc at) { return ex_mk_sym(e, name, at); }

#define B ex_mk_builtin

static sx *Q(ex *e, sx *d, srcloc at) { return L(e, at, 2, S(e, "quote", at), d); }

#define I ex_mk_int

static sx *F(ex *e, srcloc at) { return ex_mk(e, SX_BOOL, at); }   /* #f */

static sx *CH(ex *e, int c, srcloc at) {
  sx *s = ex_mk(e, SX_CHAR, at);
  s->u.i = c;
  return s;
}

static sx *STR(ex *e, const char *text, srcloc at) { return ex_mk_str(e, text, strlen(text), at); }

static sx *fresh(ex *e, const char *what, srcloc at) { return ex_mk_fresh(e, "lambda*", what, at); }

static sx *if3(ex *e, sx *test, sx *yes, sx *no, srcloc at) {
  return L(e, at, 4, S(e, "if", at), test, yes, no);
}

static sx *car_of(ex *e, sx *x, srcloc at) { return L(e, at, 2, B(e, "car", at), x); }
static sx *cdr_of(ex *e, sx *x, srcloc at) { return L(e, at, 2, B(e, "cdr", at), x); }
static sx *pair_p(ex *e, sx *x, srcloc at) { return L(e, at, 2, B(e, "pair?", at), x); }

/* Is x (a variable) a keyword: a symbol whose name starts with "#:"? */
static sx *kw_p(ex *e, sx *x, srcloc at) {
  sx *s = fresh(e, "name", at);
  sx *test = L(e, at, 4, S(e, "and", at),
               L(e, at, 3, B(e, ">", at), L(e, at, 2, B(e, "string-length", at), s), I(e, 2, at)),
               L(e, at, 3, B(e, "char=?", at), L(e, at, 3, B(e, "string-ref", at), s, I(e, 0, at)),
                 CH(e, '#', at)),
               L(e, at, 3, B(e, "char=?", at), L(e, at, 3, B(e, "string-ref", at), s, I(e, 1, at)),
                 CH(e, ':', at)));
  sx *let = L(e, at, 3, S(e, "let", at),
              L(e, at, 1, L(e, at, 2, s, L(e, at, 2, B(e, "symbol->string", at), x))), test);
  return L(e, at, 3, S(e, "and", at), L(e, at, 2, B(e, "symbol?", at), x), let);
}

static sx *err(ex *e, const char *msg, sx *irritant, srcloc at) {
  return irritant ? L(e, at, 3, B(e, "error", at), STR(e, msg, at), irritant)
                  : L(e, at, 2, B(e, "error", at), STR(e, msg, at));
}

static bool kw_is(ex *e, const sx *s, const char *kw) {
  return s->kind == SX_SYM && !strcmp(sym_name(&e->w->syms, s->u.sym), kw);
}

static bool is_kw(ex *e, const sx *s) {
  const char *n = s->kind == SX_SYM ? sym_name(&e->w->syms, s->u.sym) : "";
  return n[0] == '#' && n[1] == ':';
}

typedef struct {
  const sx *name;
  const sx *init;   /* NULL: #f */
} param;

typedef struct {
  const sx **req;
  param *opt, *key;
  int nreq, nopt, nkey;
  const sx *rest;
  bool aok;   /* #:allow-other-keys */
  bool has_key;
} formals;

static bool bad_formals(ex *e, const sx *s, const char *form, const char *why) {
  ex_bad(e, s->loc, "malformed %s parameters: %s", form, why);
  return false;
}

static bool param_of(ex *e, const sx *p, param *out, const char *form) {
  if (p->kind == SX_SYM && !is_kw(e, p)) {
    out->name = p;
    out->init = NULL;
    return true;
  }
  if (p->kind == SX_LIST && !p->u.list.tail && p->u.list.n == 2 &&
      p->u.list.v[0]->kind == SX_SYM && !is_kw(e, p->u.list.v[0])) {
    out->name = p->u.list.v[0];
    out->init = p->u.list.v[1];
    return true;
  }
  return bad_formals(e, p, form, "expected name or (name init)");
}

static bool parse_formals(ex *e, const sx *f, formals *o, const char *form) {
  memset(o, 0, sizeof *o);
  if (f->kind == SX_SYM) {   /* (lambda* args ...) */
    o->rest = f;
    return true;
  }
  if (f->kind != SX_LIST) return bad_formals(e, f, form, "expected a list");
  int n = f->u.list.n;
  o->req = arena_alloc(e->mem, (size_t)(n + 1) * sizeof *o->req);
  o->opt = arena_alloc(e->mem, (size_t)(n + 1) * sizeof *o->opt);
  o->key = arena_alloc(e->mem, (size_t)(n + 1) * sizeof *o->key);
  enum { REQ, OPT, KEY, AOK, REST, DONE } st = REQ;
  for (int i = 0; i < n; i++) {
    const sx *p = f->u.list.v[i];
    if (kw_is(e, p, "#:optional")) {
      if (st != REQ) return bad_formals(e, p, form, "#:optional after #:key or #:rest");
      st = OPT;
    } else if (kw_is(e, p, "#:key")) {
      if (st > OPT) return bad_formals(e, p, form, "#:key after #:rest");
      st = KEY;
      o->has_key = true;
    } else if (kw_is(e, p, "#:allow-other-keys")) {
      if (st != KEY) return bad_formals(e, p, form, "#:allow-other-keys outside #:key");
      o->aok = true;
      st = AOK;
    } else if (kw_is(e, p, "#:rest")) {
      if (st == REST || st == DONE) return bad_formals(e, p, form, "#:rest twice");
      st = REST;
    } else if (st == REST) {
      if (p->kind != SX_SYM || is_kw(e, p)) return bad_formals(e, p, form, "#:rest takes a name");
      o->rest = p;
      st = DONE;
    } else if (st == REQ) {
      if (p->kind != SX_SYM || is_kw(e, p)) return bad_formals(e, p, form, "a required parameter is a name");
      o->req[o->nreq++] = p;
    } else if (st == OPT) {
      if (!param_of(e, p, &o->opt[o->nopt++], form)) return false;
    } else if (st == KEY) {
      if (!param_of(e, p, &o->key[o->nkey++], form)) return false;
    } else {
      return bad_formals(e, p, form, "nothing may follow #:allow-other-keys but #:rest");
    }
  }
  if (st == REST) return bad_formals(e, f, form, "#:rest takes a name");
  if (f->u.list.tail) {
    if (o->rest) return bad_formals(e, f->u.list.tail, form, "two rest parameters");
    if (f->u.list.tail->kind != SX_SYM) return bad_formals(e, f->u.list.tail, form, "the rest is a name");
    o->rest = f->u.list.tail;
  }
  return true;
}

/* The keyword whose name is "#:" and the parameter's name. */
static sx *key_of(ex *e, const sx *name, srcloc at) {
  const char *n = sym_name(&e->w->syms, name->u.sym);
  size_t len = strlen(n);
  char *buf = arena_alloc(e->mem, len + 3);
  memcpy(buf, "#:", 2);
  memcpy(buf + 2, n, len + 1);
  return S(e, buf, at);
}

/* The checks of the keyword arguments in list p, Guile's errors. */
static sx *kw_check(ex *e, const formals *o, sx *p, srcloc at) {
  sx *lp = fresh(e, "check", at), *l = fresh(e, "list", at), *k = fresh(e, "key", at);
  sx *known = ex_mk_list(e, o->nkey, at);
  for (int i = 0; i < o->nkey; i++) known->u.list.v[i] = key_of(e, o->key[i].name, at);
  sx *after = cdr_of(e, l, at);
  /* a keyword: known, with a value; unknown: skipped or an error */
  sx *known_case = if3(e, pair_p(e, after, at), L(e, at, 2, lp, cdr_of(e, after, at)),
                       err(e, "Keyword argument has no value:", k, at), at);
  sx *unknown_case =
      o->aok ? L(e, at, 2, lp, if3(e, pair_p(e, after, at), cdr_of(e, after, at), after, at))
             : err(e, "Unrecognized keyword:", k, at);
  sx *on_kw = if3(e, L(e, at, 3, B(e, "memq", at), k, Q(e, known, at)), known_case, unknown_case, at);
  sx *on_other = o->rest ? L(e, at, 2, lp, after) : err(e, "Invalid keyword:", k, at);
  sx *each = L(e, at, 3, S(e, "let", at), L(e, at, 1, L(e, at, 2, k, car_of(e, l, at))),
               if3(e, kw_p(e, k, at), on_kw, on_other, at));
  sx *t = ex_mk(e, SX_BOOL, at);
  t->u.b = true;
  return L(e, at, 4, S(e, "let", at), lp, L(e, at, 1, L(e, at, 2, l, p)),
           if3(e, pair_p(e, l, at), each, t, at));
}

/* The tail of list p from the last value of keyword kw (#f if none),
 * walking p as kw_check did. */
static sx *kw_find(ex *e, sx *kw, sx *p, srcloc at) {
  sx *lp = fresh(e, "find", at), *l = fresh(e, "list", at), *v = fresh(e, "found", at);
  sx *k = fresh(e, "key", at);
  sx *after = cdr_of(e, l, at);
  sx *skip = if3(e, pair_p(e, after, at), cdr_of(e, after, at), after, at);
  sx *on_kw = if3(e, L(e, at, 3, B(e, "eq?", at), k, Q(e, kw, at)),
                  L(e, at, 3, lp, cdr_of(e, after, at), after), L(e, at, 3, lp, skip, v), at);
  sx *each = L(e, at, 3, S(e, "let", at), L(e, at, 1, L(e, at, 2, k, car_of(e, l, at))),
               if3(e, kw_p(e, k, at), on_kw, L(e, at, 3, lp, after, v), at));
  return L(e, at, 4, S(e, "let", at), lp,
           L(e, at, 2, L(e, at, 2, l, p), L(e, at, 2, v, F(e, at))),
           if3(e, pair_p(e, l, at), each, v, at));
}

/* (lambda ARGS ...) for formals f and body forms body[0..nbody).  ARGS
 * is named "lambda* args": such a procedure is written #<procedure NAME
 * args>, as Guile writes one made by lambda*. */
static sx *lambda_star(ex *e, const sx *f, sx *const *body, int nbody, const sx *name,
                       srcloc at) {
  formals o;
  if (!parse_formals(e, f, &o, name ? "define*" : "lambda*")) return NULL;
  if (!o.nopt && !o.has_key && f->kind == SX_LIST) {
    /* only required parameters (and a rest): a plain lambda, as in Guile */
    sx *ps = ex_mk_list(e, o.nreq, f->loc);
    for (int i = 0; i < o.nreq; i++) ps->u.list.v[i] = (sx *)o.req[i];
    ps->u.list.tail = (sx *)o.rest;
    sx *l = ex_mk_list(e, nbody + 2, at);
    l->u.list.v[0] = S(e, "lambda", at);
    l->u.list.v[1] = ps;
    for (int i = 0; i < nbody; i++) l->u.list.v[2 + i] = body[i];
    return l;
  }
  sx *args = S(e, "lambda* args", at);
  char msgbuf[160];
  const char *msg = "Wrong number of arguments";
  if (name) {
    snprintf(msgbuf, sizeof msgbuf, "Wrong number of arguments to %s",
             sym_name(&e->w->syms, name->u.sym));
    size_t len = strlen(msgbuf);
    char *m = arena_alloc(e->mem, len + 1);
    memcpy(m, msgbuf, len + 1);
    msg = m;
  }
  int nb = o.nreq * 2 + o.nopt * 3 + (o.rest ? 1 : 0) + (o.has_key ? 1 + o.nkey : 0);
  sx *binds = ex_mk_list(e, nb, at);
  int k = 0;
  sx *p = args;
  for (int i = 0; i < o.nreq; i++) {
    sx *np = fresh(e, "rest", at);
    binds->u.list.v[k++] = L(e, at, 2, (sx *)o.req[i], car_of(e, p, at));
    binds->u.list.v[k++] = L(e, at, 2, np, cdr_of(e, p, at));
    p = np;
  }
  for (int i = 0; i < o.nopt; i++) {
    /* (given TEST) (name (if given (car p) INIT)) (p' (if given (cdr p) p)) */
    sx *given = o.has_key
                    ? L(e, at, 3, S(e, "and", at), pair_p(e, p, at),
                        L(e, at, 2, B(e, "not", at), kw_p(e, car_of(e, p, at), at)))
                    : pair_p(e, p, at);
    sx *has = fresh(e, "given", at), *np = fresh(e, "rest", at);
    sx *init = o.opt[i].init ? (sx *)o.opt[i].init : F(e, at);
    binds->u.list.v[k++] = L(e, at, 2, has, given);
    binds->u.list.v[k++] = L(e, at, 2, (sx *)o.opt[i].name, if3(e, has, car_of(e, p, at), init, at));
    binds->u.list.v[k++] = L(e, at, 2, np, if3(e, has, cdr_of(e, p, at), p, at));
    p = np;
  }
  if (o.rest) binds->u.list.v[k++] = L(e, at, 2, (sx *)o.rest, p);
  if (o.has_key) {
    binds->u.list.v[k++] = L(e, at, 2, fresh(e, "checked", at), kw_check(e, &o, p, at));
    for (int i = 0; i < o.nkey; i++) {
      sx *fd = fresh(e, "found", at);
      sx *init = o.key[i].init ? (sx *)o.key[i].init : F(e, at);
      sx *val = L(e, at, 3, S(e, "let", at),
                  L(e, at, 1, L(e, at, 2, fd, kw_find(e, key_of(e, o.key[i].name, at), p, at))),
                  if3(e, fd, car_of(e, fd, at), init, at));
      binds->u.list.v[k++] = L(e, at, 2, (sx *)o.key[i].name, val);
    }
  }
  binds->u.list.n = k;
  sx *inner = ex_mk_list(e, nbody + 2, at);
  inner->u.list.v[0] = S(e, "let", at);
  inner->u.list.v[1] = ex_mk_list(e, 0, at);
  for (int i = 0; i < nbody; i++) inner->u.list.v[2 + i] = body[i];
  sx *lets = L(e, at, 3, S(e, "let*", at), binds, inner);
  /* the count of arguments: at least the required; at most required and
   * optional when there are neither keys nor a rest */
  sx *len = L(e, at, 2, B(e, "length", at), args);
  sx *few = L(e, at, 3, B(e, "<", at), len, I(e, o.nreq, at));
  sx *test = few;
  if (!o.rest && !o.has_key)
    test = L(e, at, 3, S(e, "or", at), few,
             L(e, at, 3, B(e, ">", at), len, I(e, o.nreq + o.nopt, at)));
  sx *whole = (o.nreq > 0 || (!o.rest && !o.has_key))
                  ? if3(e, test, err(e, msg, NULL, at), lets, at)
                  : lets;
  return L(e, at, 3, S(e, "lambda", at), args, whole);
}

sx *ex_lambda_star_sx(ex *e, const sx *s) {
  if (s->u.list.n < 3)
    return ex_bad(e, s->loc, "malformed lambda*: expected (lambda* (parameter ...) body ...)"), NULL;
  return lambda_star(e, s->u.list.v[1], s->u.list.v + 2, s->u.list.n - 2, NULL, s->loc);
}

ast *ex_lambda_star(ex *e, const sx *s) {
  sx *l = ex_lambda_star_sx(e, s);
  return l ? ex_expand(e, l) : NULL;
}

/* (define* (NAME PARAMETER ...) BODY ...) is (define NAME (lambda* ...)),
 * written as (define (NAME . ARGS) ...) so that the procedure keeps its
 * name; (define* NAME EXPR) is a plain define. */
static sx *define_star(ex *e, const sx *s) {
  srcloc at = s->loc;
  if (s->u.list.n >= 2 && s->u.list.v[1]->kind == SX_SYM) {
    sx *d = ex_mk_list(e, s->u.list.n, at);
    d->u.list.v[0] = S(e, "define", at);
    for (int i = 1; i < s->u.list.n; i++) d->u.list.v[i] = s->u.list.v[i];
    return d;
  }
  const sx *h = s->u.list.n >= 3 ? s->u.list.v[1] : NULL;
  if (!h || h->kind != SX_LIST || h->u.list.n < 1 || h->u.list.v[0]->kind != SX_SYM)
    return ex_bad(e, at, "malformed define*: expected (define* (name parameter ...) body ...)"), NULL;
  sx *f = ex_mk_list(e, h->u.list.n - 1, h->loc);
  for (int i = 1; i < h->u.list.n; i++) f->u.list.v[i - 1] = h->u.list.v[i];
  f->u.list.tail = h->u.list.tail;
  sx *l = lambda_star(e, f, s->u.list.v + 2, s->u.list.n - 2, h->u.list.v[0], at);
  if (!l) return NULL;
  /* (define (NAME . ARGS) BODY) from (lambda ARGS BODY), or (define
   * (NAME a b) BODY) from a plain (lambda (a b) BODY) */
  sx *ps = l->u.list.v[1];
  int np = ps->kind == SX_LIST ? ps->u.list.n : 0;
  sx *head = ex_mk_list(e, 1 + np, h->loc);
  head->u.list.v[0] = h->u.list.v[0];
  for (int i = 0; i < np; i++) head->u.list.v[1 + i] = ps->u.list.v[i];
  head->u.list.tail = ps->kind == SX_LIST ? ps->u.list.tail : ps;
  sx *d = ex_mk_list(e, l->u.list.n, at);
  d->u.list.v[0] = S(e, "define", at);
  d->u.list.v[1] = head;
  for (int i = 2; i < l->u.list.n; i++) d->u.list.v[i] = l->u.list.v[i];
  return d;
}

ast *ex_define_star(ex *e, const sx *s) {
  sx *d = define_star(e, s);
  return d ? ex_expand(e, d) : NULL;
}

const sx *const *ex_body_define_star(ex *e, const sx *const *forms, int n) {
  const sx **out = NULL;
  for (int i = 0; i < n; i++) {
    const sx *f = forms[i];
    if (f->kind != SX_LIST || f->u.list.n < 1 || !kw_is(e, f->u.list.v[0], "define*")) continue;
    if (!out) {
      out = arena_alloc(e->mem, (size_t)n * sizeof *out);
      memcpy(out, forms, (size_t)n * sizeof *out);
    }
    if (!(out[i] = define_star(e, f))) return NULL;
  }
  return out ? out : forms;
}
