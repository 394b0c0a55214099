/* expand-more.c - the derived forms that are rewritten into core syntax
 * before being expanded: quasiquote, the multiple-value forms
 * (define-values, let-values, let*-values, receive) and case-lambda; and
 * the begins holding definitions that a body splices.
 *
 * A rewriting builds new syntax objects in the form's arena, positioned at
 * the source they come from (so that errors point there), and calls
 * builtins through EX_BUILTIN_HEAD, so that a program's own `list` or
 * `call-with-values` cannot change what these forms mean.  Names the
 * rewritings bind hold a space: the program cannot see them.
 */
#include "config.h"

#include "expander.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- building syntax -------------------------------------------------- */

#define mk ex_mk
#define mk_sym ex_mk_sym
#define mk_list ex_mk_list

sx *ex_mk(ex *e, sx_kind k, srcloc loc) {
  sx *s = arena_alloc(e->mem, sizeof *s);
  memset(s, 0, sizeof *s);   /* the arena does not clear: no tail, no flags */
  s->kind = k;
  s->loc = loc;
  return s;
}

sx *ex_mk_sym(ex *e, const char *name, srcloc loc) {
  sx *s = mk(e, SX_SYM, loc);
  s->u.sym = ex_sym(e, name);
  return s;
}

/* A list of n items (filled in by the caller), with a dotted tail or NULL. */
sx *ex_mk_list(ex *e, int n, srcloc loc) {
  sx *s = mk(e, SX_LIST, loc);
  s->u.list.n = n;
  s->u.list.v = arena_alloc(e->mem, (size_t)(n ? n : 1) * sizeof(sx *));
  return s;
}

static sx *list2(ex *e, sx *a, sx *b, srcloc loc) {
  sx *s = mk_list(e, 2, loc);
  s->u.list.v[0] = a;
  s->u.list.v[1] = b;
  return s;
}

static sx *list3(ex *e, sx *a, sx *b, sx *c, srcloc loc) {
  sx *s = mk_list(e, 3, loc);
  s->u.list.v[0] = a;
  s->u.list.v[1] = b;
  s->u.list.v[2] = c;
  return s;
}

static sx *quote_of(ex *e, const sx *d) {
  return list2(e, mk_sym(e, "quote", d->loc), (sx *)d, d->loc);
}

sx *ex_mk_builtin(ex *e, const char *name, srcloc loc) {
  char buf[64];
  snprintf(buf, sizeof buf, "%s%s", EX_BUILTIN_HEAD, name);
  return mk_sym(e, buf, loc);
}
#define builtin_head ex_mk_builtin

sx *ex_mk_items(ex *e, srcloc loc, int n, ...) {
  sx *s = ex_mk_list(e, n, loc);
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) s->u.list.v[i] = va_arg(ap, sx *);
  va_end(ap);
  return s;
}

sx *ex_mk_int(ex *e, int64_t i, srcloc loc) {
  sx *s = ex_mk(e, SX_INT, loc);
  s->u.i = i;
  return s;
}

sx *ex_mk_str(ex *e, const char *text, size_t n, srcloc loc) {
  sx *s = ex_mk(e, SX_STR, loc);
  char *t = arena_alloc(e->mem, n + 1);
  memcpy(t, text, n);
  t[n] = 0;
  s->u.str.s = t;
  s->u.str.n = n;
  return s;
}

sx *ex_mk_fresh(ex *e, const char *prefix, const char *what, srcloc loc) {
  char buf[96];
  snprintf(buf, sizeof buf, "%s %s %d", prefix, what, e->gensym++);
  return ex_mk_sym(e, buf, loc);
}

/* (lambda PARAMS BODY ...) */
static sx *lambda_of(ex *e, sx *params, sx *const *body, int nbody, srcloc loc) {
  sx *s = mk_list(e, nbody + 2, loc);
  s->u.list.v[0] = mk_sym(e, "lambda", loc);
  s->u.list.v[1] = params;
  for (int i = 0; i < nbody; i++) s->u.list.v[2 + i] = body[i];
  return s;
}

/* A hidden name: "WHAT N". */
static sx *hidden(ex *e, const char *what, int i, srcloc loc) {
  char buf[64];
  snprintf(buf, sizeof buf, "%s %d", what, i);
  return mk_sym(e, buf, loc);
}

/* ---- quasiquote --------------------------------------------------------- */

/* As Guile (psyntax's quasi) reads a template: (unquote x) at level 0 is
 * x's value, deeper it stays a list whose level goes down by one;
 * (quasiquote x) inside goes one level deeper; in a list or a vector, an
 * element (unquote x ...) puts the values of the xs in its place at level
 * 0, and (unquote-splicing x ...) the elements of the lists.  Anything
 * else is a constant.  A part of a template that holds nothing to
 * evaluate stays one quoted constant (shared, as in Guile); the rest is
 * built with list, append, cons and list->vector, left to right. */
typedef struct {
  const sx *k;   /* a constant: this datum */
  sx *x;         /* else an expression that builds the part */
} qq_part;

static qq_part qq(ex *e, const sx *d, int lev);

static bool qq_form(ex *e, const sx *d, const char *head, int n) {
  return d->kind == SX_LIST && !d->u.list.tail && d->u.list.n >= 1 &&
         (n < 0 || d->u.list.n == n) && ex_is_sym(e, d->u.list.v[0], head);
}

static sx *qq_expr(ex *e, qq_part p) { return p.k ? quote_of(e, p.k) : p.x; }

/* (HEAD . rest), where `whole` is that template as written. */
static qq_part qq_cons_head(ex *e, const sx *whole, const char *head,
                            qq_part rest) {
  qq_part r = {whole, NULL};
  if (rest.k || e->failed) return r;
  r.k = NULL;
  r.x = list3(e, builtin_head(e, "cons", whole->loc),
              quote_of(e, mk_sym(e, head, whole->loc)), rest.x, whole->loc);
  return r;
}

typedef struct {
  const sx *k;    /* a constant element, or NULL */
  sx *x;          /* an expression */
  bool splice;    /* x's value is a list whose elements go in */
} qq_piece;
typedef VEC(qq_piece) qq_pieces;

/* The pieces p[from..to) as one constant list ending in `tail` (NULL: the
 * empty list). */
static sx *qq_const_list(ex *e, const qq_pieces *p, int from, int to,
                         const sx *tail, srcloc loc) {
  if (from == to && tail) return (sx *)tail;
  sx *l = mk_list(e, to - from, loc);
  for (int i = from; i < to; i++) l->u.list.v[i - from] = (sx *)p->v[i].k;
  l->u.list.tail = (sx *)tail;
  return l;
}

/* (append (list a b) xs (list c) ... tail) from the pieces. */
static sx *qq_join(ex *e, const qq_pieces *p, int n, sx *tail, srcloc loc) {
  VEC(sx *) args = {0};
  for (int i = 0; i < n;) {
    if (p->v[i].splice) {
      VEC_PUSH(args, p->v[i].x);
      i++;
      continue;
    }
    int j = i;
    while (j < n && !p->v[j].splice) j++;
    sx *l = mk_list(e, j - i + 1, p->v[i].k ? p->v[i].k->loc : p->v[i].x->loc);
    l->u.list.v[0] = builtin_head(e, "list", l->loc);
    for (int k = i; k < j; k++)
      l->u.list.v[k - i + 1] = p->v[k].k ? quote_of(e, p->v[k].k) : p->v[k].x;
    VEC_PUSH(args, l);
    i = j;
  }
  if (tail) VEC_PUSH(args, tail);
  sx *r;
  if (args.n == 1) {
    r = args.v[0];   /* `(,@x) is x itself, as in Guile */
  } else {
    r = mk_list(e, args.n + 1, loc);
    r->u.list.v[0] = builtin_head(e, "append", loc);
    for (int i = 0; i < args.n; i++) r->u.list.v[i + 1] = args.v[i];
  }
  VEC_FREE(args);
  return r;
}

/* The items of a list (or vector) template from `from` on, then its tail. */
static qq_part qq_items(ex *e, const sx *d, int from, int lev) {
  int n = d->u.list.n;
  bool vec = d->kind == SX_VEC;
  qq_pieces p = {0};
  qq_part tail = {NULL, NULL};   /* neither set: the empty list */
  bool dotted_form = false;
  for (int j = from; j < n && !e->failed; j++) {
    const sx *it = d->u.list.v[j];
    /* (a . ,b) is (a unquote b): the rest of the list is a template */
    if (!vec && j > 0 && n - j == 2 && !d->u.list.tail &&
        (ex_is_sym(e, it, "unquote") || ex_is_sym(e, it, "quasiquote"))) {
      sx *rest = mk(e, SX_LIST, it->loc);
      rest->u.list.v = d->u.list.v + j;
      rest->u.list.n = 2;
      tail = qq(e, rest, lev);
      dotted_form = true;
      break;
    }
    bool unq = qq_form(e, it, "unquote", -1);
    bool spl = qq_form(e, it, "unquote-splicing", -1);
    if ((unq || spl) && lev == 0) {
      for (int i = 1; i < it->u.list.n; i++) {
        qq_piece q = {NULL, it->u.list.v[i], spl};
        VEC_PUSH(p, q);
      }
      continue;
    }
    qq_part r = unq || spl ? qq_cons_head(e, it, unq ? "unquote" : "unquote-splicing",
                                          qq_items(e, it, 1, lev - 1))
                           : qq(e, it, lev);
    qq_piece q = {r.k, r.x, false};
    VEC_PUSH(p, q);
  }
  if (!dotted_form && !vec && d->u.list.tail) tail = qq(e, d->u.list.tail, lev);
  qq_part out = {NULL, NULL};
  if (e->failed) {
    VEC_FREE(p);
    return out;
  }
  /* the constant pieces at the end go with a constant tail */
  int c = p.n;
  if (!tail.x)
    while (c > 0 && p.v[c - 1].k) c--;
  srcloc loc = from < n ? d->u.list.v[from]->loc : d->loc;
  if (c == 0 && !tail.x) {
    out.k = vec && from == 0 ? d : qq_const_list(e, &p, 0, p.n, tail.k, loc);
  } else {
    sx *t = tail.x;
    if (!t && (c < p.n || tail.k))
      t = quote_of(e, qq_const_list(e, &p, c, p.n, tail.k, loc));
    out.x = qq_join(e, &p, c, t, loc);
    if (vec) out.x = list2(e, builtin_head(e, "list->vector", d->loc), out.x, d->loc);
  }
  VEC_FREE(p);
  return out;
}

static qq_part qq(ex *e, const sx *d, int lev) {
  qq_part k = {d, NULL};
  if (e->failed) return k;
  if (d->kind == SX_VEC) return qq_items(e, d, 0, lev);
  if (d->kind != SX_LIST) return k;
  if (qq_form(e, d, "unquote", 2)) {
    if (lev > 0) return qq_cons_head(e, d, "unquote", qq_items(e, d, 1, lev - 1));
    k.k = NULL;
    k.x = d->u.list.v[1];
    return k;
  }
  if (qq_form(e, d, "quasiquote", 2))
    return qq_cons_head(e, d, "quasiquote", qq_items(e, d, 1, lev + 1));
  return qq_items(e, d, 0, lev);
}

ast *ex_quasiquote(ex *e, const sx *s) {
  if (s->u.list.n != 2)
    return ex_bad(e, s->loc, "malformed quasiquote: expected (quasiquote "
                             "datum) or `datum");
  qq_part r = qq(e, s->u.list.v[1], 0);
  if (e->failed) return NULL;
  return ex_expand(e, qq_expr(e, r));
}

/* ---- multiple values -------------------------------------------------- */

/* FORMALS of a multiple-value binding: (a b), (a b . rest) or rest. */
static bool formals_ok(ex *e, const sx *f, const char *form) {
  if (f->kind == SX_SYM) return true;
  if (f->kind != SX_LIST || (f->u.list.tail && f->u.list.tail->kind != SX_SYM)) {
    ex_bad(e, f->loc, "malformed %s: the variables must be (name ...), "
                      "(name ... . rest) or one name", form);
    return false;
  }
  for (int i = 0; i < f->u.list.n; i++)
    if (f->u.list.v[i]->kind != SX_SYM) {
      ex_bad(e, f->u.list.v[i]->loc, "malformed %s: a variable must be a "
                                     "symbol", form);
      return false;
    }
  return true;
}

/* The names of FORMALS, in order (the rest name last). */
static int formals_names(const sx *f, const sx **out, int max) {
  if (f->kind == SX_SYM) {
    if (max > 0) out[0] = f;
    return 1;
  }
  int n = 0;
  for (int i = 0; i < f->u.list.n; i++, n++)
    if (n < max) out[n] = f->u.list.v[i];
  if (f->u.list.tail) {
    if (n < max) out[n] = f->u.list.tail;
    n++;
  }
  return n;
}

/* FORMALS with each name replaced by a hidden one, numbered from *next. */
static sx *formals_hidden(ex *e, const sx *f, const char *what, int *next) {
  if (f->kind == SX_SYM) return hidden(e, what, (*next)++, f->loc);
  sx *l = mk_list(e, f->u.list.n, f->loc);
  for (int i = 0; i < f->u.list.n; i++)
    l->u.list.v[i] = hidden(e, what, (*next)++, f->u.list.v[i]->loc);
  if (f->u.list.tail) l->u.list.tail = hidden(e, what, (*next)++, f->u.list.tail->loc);
  return l;
}

/* (call-with-values (lambda () PRODUCER) (lambda FORMALS BODY ...)) */
static sx *cwv(ex *e, sx *producer, sx *formals, sx *const *body, int nbody,
               srcloc loc) {
  sx *none = mk_list(e, 0, producer->loc);
  return list3(e, builtin_head(e, "call-with-values", loc),
               lambda_of(e, none, &producer, 1, producer->loc),
               lambda_of(e, formals, body, nbody, loc), loc);
}

/* (define-values FORMALS EXPR), at top level: each name defined (as
 * unspecified), then set to its value. */
ast *ex_define_values(ex *e, const sx *s) {
  if (e->depth > 0)
    return ex_bad(e, s->loc, "define-values must be at top level or directly "
                             "in a body");
  if (s->u.list.n != 3)
    return ex_bad(e, s->loc, "malformed define-values: expected "
                             "(define-values (name ...) expr)");
  const sx *f = s->u.list.v[1];
  if (!formals_ok(e, f, "define-values")) return NULL;
  int n = formals_names(f, NULL, 0);
  const sx **names = arena_alloc(e->mem, (size_t)(n + 1) * sizeof *names);
  formals_names(f, names, n);
  int next = 0;
  sx *tf = formals_hidden(e, f, "define-values", &next);
  const sx **tnames = arena_alloc(e->mem, (size_t)(n + 1) * sizeof *tnames);
  formals_names(tf, tnames, n);
  sx **sets = arena_alloc(e->mem, (size_t)(n + 1) * sizeof *sets);
  sx *out = mk_list(e, n + 2, s->loc);
  out->u.list.v[0] = mk_sym(e, "begin", s->loc);
  for (int i = 0; i < n; i++) {
    srcloc at = names[i]->loc;
    sx *unspec = list3(e, mk_sym(e, "if", at), mk(e, SX_BOOL, at),
                       mk(e, SX_BOOL, at), at);
    out->u.list.v[1 + i] = list3(e, mk_sym(e, "define", at), (sx *)names[i],
                                 unspec, at);
    sets[i] = list3(e, mk_sym(e, "set!", at), (sx *)names[i], (sx *)tnames[i], at);
  }
  if (n == 0) sets[n++] = list3(e, mk_sym(e, "if", s->loc), mk(e, SX_BOOL, s->loc),
                                mk(e, SX_BOOL, s->loc), s->loc);
  out->u.list.v[out->u.list.n - 1] = cwv(e, s->u.list.v[2], tf, sets, n, s->loc);
  return ex_expand(e, out);
}

/* Does (begin ...) s hold a definition, directly or in a begin inside? */
static bool begin_defines(ex *e, const sx *s) {
  if (!qq_form(e, s, "begin", -1)) return false;
  for (int i = 1; i < s->u.list.n; i++) {
    const sx *c = s->u.list.v[i];
    if (qq_form(e, c, "define", -1) || qq_form(e, c, "define-values", -1) ||
        qq_form(e, c, "define-record-type", -1) ||
        begin_defines(e, c))
      return true;
  }
  return false;
}

static void splice_into(ex *e, const sx *s, const sx **out, int *k) {
  if (!begin_defines(e, s)) {
    if (out) out[*k] = s;
    ++*k;
    return;
  }
  for (int i = 1; i < s->u.list.n; i++) splice_into(e, s->u.list.v[i], out, k);
}

/* The forms of a body with each begin that holds a definition replaced by
 * its forms, as Guile splices them (the forms themselves when there is
 * none, so other bodies do not change). */
const sx *const *ex_body_splice_begins(ex *e, const sx *const *forms, int *n) {
  int k = 0;
  bool any = false;
  for (int i = 0; i < *n; i++) {
    any |= begin_defines(e, forms[i]);
    splice_into(e, forms[i], NULL, &k);
  }
  if (!any) return forms;
  const sx **out = arena_alloc(e->mem, (size_t)(k + 1) * sizeof *out);
  k = 0;
  for (int i = 0; i < *n; i++) splice_into(e, forms[i], out, &k);
  *n = k;
  return out;
}

/* In a body, (define-values (a b . c) EXPR) is
 *   (define hidden (call-with-values (lambda () EXPR)
 *                    (lambda (a b . c) (list a b c))))
 *   (define a (list-ref hidden 0)) (define b (list-ref hidden 1)) ...
 * internal defines like the others, computed in order. */
const sx *const *ex_body_define_values(ex *e, const sx *const *forms, int *n) {
  int extra = 0;
  bool any = false;
  for (int i = 0; i < *n; i++)
    if (qq_form(e, forms[i], "define-values", -1)) {
      const sx *s = forms[i];
      if (s->u.list.n != 3)
        return ex_bad(e, s->loc, "malformed define-values: expected "
                                 "(define-values (name ...) expr)"), NULL;
      if (!formals_ok(e, s->u.list.v[1], "define-values")) return NULL;
      extra += formals_names(s->u.list.v[1], NULL, 0);
      any = true;
    }
  if (!any) return forms;
  const sx **out = arena_alloc(e->mem, (size_t)(*n + extra + 1) * sizeof *out);
  int k = 0, tmp = 0;
  for (int i = 0; i < *n; i++) {
    const sx *s = forms[i];
    if (!qq_form(e, s, "define-values", -1)) {
      out[k++] = s;
      continue;
    }
    const sx *f = s->u.list.v[1];
    int m = formals_names(f, NULL, 0);
    const sx **names = arena_alloc(e->mem, (size_t)(m + 1) * sizeof *names);
    formals_names(f, names, m);
    srcloc at = s->loc;
    sx *list = mk_list(e, m + 1, at);
    list->u.list.v[0] = builtin_head(e, "list", at);
    for (int j = 0; j < m; j++) list->u.list.v[j + 1] = (sx *)names[j];
    sx *h = hidden(e, "define-values", tmp++, at);
    out[k++] = list3(e, mk_sym(e, "define", at), h,
                     cwv(e, s->u.list.v[2], (sx *)f, &list, 1, at), at);
    for (int j = 0; j < m; j++) {
      sx *idx = mk(e, SX_INT, names[j]->loc);
      idx->u.i = j;
      sx *ref = list3(e, builtin_head(e, "list-ref", names[j]->loc), h, idx,
                      names[j]->loc);
      out[k++] = list3(e, mk_sym(e, "define", names[j]->loc), (sx *)names[j],
                       ref, names[j]->loc);
    }
  }
  *n = k;
  return out;
}

/* (let-values (((FORMALS) EXPR) ...) BODY ...): the expressions see none
 * of the new names (they are received into hidden names, then bound);
 * let*-values binds them one after the other. */
ast *ex_let_values(ex *e, const sx *s, bool star) {
  const char *form = star ? "let*-values" : "let-values";
  const sx *bl = s->u.list.n >= 3 ? s->u.list.v[1] : NULL;
  if (!bl || bl->kind != SX_LIST || bl->u.list.tail)
    return ex_bad(e, s->loc, "malformed %s: expected (%s (((name ...) expr) "
                             "...) body ...)", form, form);
  int nb = bl->u.list.n;
  for (int i = 0; i < nb; i++) {
    const sx *b = bl->u.list.v[i];
    if (b->kind != SX_LIST || b->u.list.n != 2 || b->u.list.tail)
      return ex_bad(e, b->loc, "malformed %s binding: expected ((name ...) "
                               "expr)", form);
    if (!formals_ok(e, b->u.list.v[0], form)) return NULL;
  }
  /* the innermost body: (let ((name hidden) ...) BODY ...) */
  int next = 0, nlet = 0;
  sx **tfs = arena_alloc(e->mem, (size_t)(nb + 1) * sizeof *tfs);
  for (int i = 0; i < nb; i++) {
    const sx *f = bl->u.list.v[i]->u.list.v[0];
    tfs[i] = star ? (sx *)f : formals_hidden(e, f, "let-values", &next);
    nlet += star ? 0 : formals_names(f, NULL, 0);
  }
  sx *binds = mk_list(e, nlet, bl->loc);
  for (int i = 0, k = 0; i < nb && !star; i++) {
    const sx *f = bl->u.list.v[i]->u.list.v[0];
    int m = formals_names(f, NULL, 0);
    const sx **a = arena_alloc(e->mem, (size_t)m * sizeof *a);
    const sx **t = arena_alloc(e->mem, (size_t)m * sizeof *t);
    formals_names(f, a, m);
    formals_names(tfs[i], t, m);
    for (int j = 0; j < m; j++)
      binds->u.list.v[k++] = list2(e, (sx *)a[j], (sx *)t[j], a[j]->loc);
  }
  int nbody = s->u.list.n - 2;
  sx *inner = mk_list(e, nbody + 2, s->loc);
  inner->u.list.v[0] = mk_sym(e, "let", s->loc);
  inner->u.list.v[1] = binds;
  for (int i = 0; i < nbody; i++) inner->u.list.v[2 + i] = s->u.list.v[2 + i];
  for (int i = nb - 1; i >= 0; i--) {
    const sx *b = bl->u.list.v[i];
    inner = cwv(e, b->u.list.v[1], tfs[i], &inner, 1, b->loc);
  }
  return ex_expand(e, inner);
}

/* (receive FORMALS EXPR BODY ...), SRFI 8 */
ast *ex_receive(ex *e, const sx *s) {
  if (s->u.list.n < 4)
    return ex_bad(e, s->loc, "malformed receive: expected (receive (name ...) "
                             "expr body ...)");
  if (!formals_ok(e, s->u.list.v[1], "receive")) return NULL;
  return ex_expand(e, cwv(e, s->u.list.v[2], s->u.list.v[1], s->u.list.v + 3,
                          s->u.list.n - 3, s->loc));
}

/* ---- case-lambda ------------------------------------------------------- */

/* (case-lambda (FORMALS BODY ...) ...) is
 *   (let ((c0 (lambda FORMALS BODY ...)) ...)
 *     (lambda args
 *       (let ((n (length args)))
 *         (cond ((= n 2) (apply c0 args)) ((>= n 1) (apply c1 args)) ...
 *               (else (error "...")))))) */
/* A case-lambda of one clause is that lambda, as in Guile (written
 * #<procedure (a b)>, named by a define): the lambda, or NULL. */
sx *ex_case_lambda_single(ex *e, const sx *s) {
  const sx *c = s->u.list.n == 2 ? s->u.list.v[1] : NULL;
  if (!c || c->kind != SX_LIST || c->u.list.n < 2 || c->u.list.tail) return NULL;
  return lambda_of(e, c->u.list.v[0], c->u.list.v + 1, c->u.list.n - 1, c->loc);
}

ast *ex_case_lambda(ex *e, const sx *s) {
  sx *one = ex_case_lambda_single(e, s);
  if (one) return ex_expand(e, one);
  int nc = s->u.list.n - 1;
  srcloc at = s->loc;
  sx *args = mk_sym(e, "case-lambda args", at), *n = mk_sym(e, "case-lambda n", at);
  sx *binds = mk_list(e, nc, at);
  sx *cond = mk_list(e, nc + 2, at);
  cond->u.list.v[0] = mk_sym(e, "cond", at);
  for (int i = 0; i < nc; i++) {
    const sx *c = s->u.list.v[i + 1];
    if (c->kind != SX_LIST || c->u.list.n < 2 || c->u.list.tail)
      return ex_bad(e, c->loc, "malformed case-lambda clause: expected "
                               "((name ...) body ...)");
    const sx *f = c->u.list.v[0];
    if (!formals_ok(e, f, "case-lambda")) return NULL;
    sx *ci = hidden(e, "case-lambda", i, c->loc);
    binds->u.list.v[i] = list2(e, ci, lambda_of(e, (sx *)f, c->u.list.v + 1,
                                                 c->u.list.n - 1, c->loc), c->loc);
    bool rest = f->kind == SX_SYM || f->u.list.tail;
    int fixed = f->kind == SX_LIST ? f->u.list.n : 0;
    sx *k = mk(e, SX_INT, c->loc);
    k->u.i = fixed;
    sx *test = list3(e, builtin_head(e, rest ? ">=" : "=", c->loc), n, k, c->loc);
    sx *call = list3(e, builtin_head(e, "apply", c->loc), ci, args, c->loc);
    cond->u.list.v[1 + i] = list2(e, test, call, c->loc);
  }
  sx *msg = mk(e, SX_STR, at);
  msg->u.str.s = "case-lambda: no clause takes this number of arguments:";
  msg->u.str.n = strlen(msg->u.str.s);
  cond->u.list.v[nc + 1] =
      list2(e, mk_sym(e, "else", at),
            list3(e, builtin_head(e, "error", at), msg, n, at), at);
  sx *count = list2(e, builtin_head(e, "length", at), args, at);
  sx *nlet = list3(e, mk_sym(e, "let", at),
                   list2(e, list2(e, n, count, at), NULL, at), cond, at);
  nlet->u.list.v[1]->u.list.n = 1;
  sx *lam = lambda_of(e, args, &nlet, 1, at);
  return ex_expand(e, list3(e, mk_sym(e, "let", at), binds, lam, at));
}
