/* expander.c - special forms to core AST.
 *
 * Derived forms are rewritten into the small core of lang.h: let* nests
 * lets, cond/case/when/unless become ifs, named let, do and while become a
 * local loop function called in tail position.  Every error names the
 * offending piece of syntax and says what shape was expected.
 */
#include "bigint.h"
#include "config.h"

#include "expander.h"

#include <stdio.h>
#include <string.h>

enum { EX_MAX_MACRO_DEPTH = 1000 };

/* Names the user cannot type (they contain spaces), for expansions. */
#define HIDDEN_DO "do loop"
#define HIDDEN_WHILE "while loop"
#define HIDDEN_CASE "case key"
#define HIDDEN_COND "cond value"

static ast *expand(ex *e, const sx *s);
static ast *expand_body(ex *e, const sx *const *forms, int n, srcloc loc);
static ast *expand_body_defs(ex *e, const sx *const *forms, int n, int nb);

static int sym(ex *e, const char *name) {
  return sym_intern(&e->w->syms, name, strlen(name));
}

static bool is_sym(ex *e, const sx *s, const char *name) {
  return s->kind == SX_SYM && !strcmp(sym_name(&e->w->syms, s->u.sym), name);
}

static bool is_special(const char *n);

/* ---- local names that shadow syntax --------------------------------- */

bool ex_shadowed(ex *e, int symbol) {
  for (int i = e->shadow.n - 1; i >= 0; i--)
    if (e->shadow.v[i] == symbol) return true;
  return false;
}

/* `symbol` is bound locally from here on (until the scope's mark is
 * restored): only names that are syntax need remembering. */
static void bind_local(ex *e, int symbol) {
  if (is_special(sym_name(&e->w->syms, symbol)) || mac_find(e->w, symbol))
    VEC_PUSH(e->shadow, symbol);
}

/* The head's name when the form is syntax or a call by name; a head
 * that is a local variable shadowing syntax gives NULL here (list_form
 * makes such a form a call). */
static const char *head_name(ex *e, const sx *s) {
  if (s->kind == SX_LIST && s->u.list.n > 0 && s->u.list.v[0]->kind == SX_SYM &&
      !(e->shadow.n && ex_shadowed(e, s->u.list.v[0]->u.sym)))
    return sym_name(&e->w->syms, s->u.list.v[0]->u.sym);
  return NULL;
}

/* (begin) with nothing in it (but such begins): allowed only where it can
 * stand for no form at all (a top-level form, a form of a body before its
 * last), as in Guile; as an expression it is an error. */
static bool empty_begin(ex *e, const sx *s) {
  const char *h = head_name(e, s);
  if (!h || strcmp(h, "begin")) return false;
  for (int i = 1; i < s->u.list.n; i++)
    if (!empty_begin(e, s->u.list.v[i])) return false;
  return true;
}

ast *ex_bad(ex *e, srcloc loc, const char *fmt, ...) {
  if (!e->failed) {
    strbuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    lang_error_set(e->err, loc, "syntax", "%s", b.s);
    sb_free(&b);
    e->failed = true;
  }
  return NULL;
}
#define bad ex_bad
#define node ex_node

ast *ex_node(ex *e, ast_kind k, srcloc loc) {
  ast *a = arena_alloc(e->mem, sizeof *a);
  a->kind = k;
  a->loc = loc;
  return a;
}

static ast *constant(ex *e, value v, srcloc loc) {
  ast *a = node(e, E_CONST, loc);
  a->u.k = v;
  return a;
}

/* A literal past 32 bits (--bignum): one big integer on the world's heap,
 * made once, as a quoted list is. */
static bool big_value(ex *e, const sx *d, value *out) {
  if (bn_literal(e->w, d->u.str.s, d->u.str.n, out)) return true;
  bad(e, d->loc, "out of memory: this integer does not fit in the heap "
                 "(raise the limit with --max-heap or :limit heap)");
  return false;
}

static ast *big_constant(ex *e, const sx *d) {
  value v;
  return big_value(e, d, &v) ? constant(e, v, d->loc) : NULL;
}

static ast **alloc_asts(ex *e, int n) {
  return arena_alloc(e->mem, (size_t)(n ? n : 1) * sizeof(ast *));
}

static bool is_special(const char *n) {
  static const char *const names[] = {
    "quote", "define", "deftable", "lambda", "let", "let*", "letrec",
    "letrec*", "if", "cond", "case", "when", "unless", "and", "or", "begin",
    "set!", "do", "while", "else", "=>", "extern", "use-modules",
    "quasiquote", "unquote", "unquote-splicing", "define-values",
    "let-values", "let*-values", "receive", "case-lambda", "define*", "lambda*", NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(n, names[i])) return true;
  return false;
}

static const char *sx_kind_text(const sx *s) {
  switch (s->kind) {
  case SX_INT: case SX_BIG: return "an integer";
  case SX_SYM: return "a symbol";
  case SX_STR: return "a string";
  case SX_BOOL: return "a boolean";
  case SX_LIST: return s->u.list.n ? "a list" : "()";
  case SX_VEC: return "a vector";
  case SX_CHAR: return "a character";
  }
  return "something else";
}

/* A name being bound or assigned; `local` when the binding is lexical
 * (a parameter, a let, a body's definition), where Guile lets any name,
 * even `if`, be a variable; elsewhere a special form's name is refused
 * unless a local binding already shadows it. */
static bool check_name_in(ex *e, const sx *s, const char *what, bool local) {
  if (s->kind != SX_SYM) {
    bad(e, s->loc, "%s must be a symbol, not %s", what, sx_kind_text(s));
    return false;
  }
  if (!local && is_special(sym_name(&e->w->syms, s->u.sym)) &&
      !ex_shadowed(e, s->u.sym)) {
    bad(e, s->loc, "'%s' is a special form and cannot be used as %s",
        sym_name(&e->w->syms, s->u.sym), what);
    return false;
  }
  return true;
}

static bool check_name(ex *e, const sx *s, const char *what) {
  return check_name_in(e, s, what, false);
}

static bool check_local(ex *e, const sx *s, const char *what) {
  return check_name_in(e, s, what, true);
}

/* ---- quote ---------------------------------------------------------- */

/* A quoted list is one constant, built once on the world's heap (as in
 * Scheme, evaluating it twice gives the same object); the vectors inside
 * it are part of that constant.  Lists are built from the end, so a long
 * one does not recurse along its length. */
static bool datum_value(ex *e, const sx *d, value *out) {
  switch (d->kind) {
  case SX_INT: *out = v_int((int32_t)d->u.i); return true;
  case SX_BIG: return big_value(e, d, out);
  case SX_BOOL: *out = v_bool(d->u.b); return true;
  case SX_CHAR: *out = v_char((int32_t)d->u.i); return true;
  case SX_SYM:   /* a keyword (#:name) too: a symbol of that name */
    *out = v_sym(d->u.sym);
    return true;
  case SX_STR:
    *out = v_str(world_literal_string(e->w, d->u.str.s, d->u.str.n));
    return true;
  case SX_VEC: {
    tvec *t = world_new_vec(e->w, d->u.list.n, v_int(0));
    if (!t) break;
    for (int i = 0; i < d->u.list.n; i++)
      if (!datum_value(e, d->u.list.v[i], &t->items[i])) return false;
    *out = v_vec(t);
    return true;
  }
  case SX_LIST: {
    value acc = v_nil();
    if (d->u.list.tail && !datum_value(e, d->u.list.tail, &acc)) return false;
    for (int i = d->u.list.n - 1; i >= 0; i--) {
      tvec *t = world_new_obj(e->w, TV_PAIR, 2, v_nil());
      if (!t) goto full;
      if (!datum_value(e, d->u.list.v[i], &t->items[0])) return false;
      t->items[1] = acc;
      acc = v_pair(t);
    }
    *out = acc;
    return true;
  }
  }
full:
  bad(e, d->loc, "out of memory: this quoted constant does not fit in the "
                 "heap (raise the limit with --max-heap or :limit heap)");
  return false;
}

static ast *quoted(ex *e, const sx *d) {
  switch (d->kind) {
  case SX_INT: return constant(e, v_int((int32_t)d->u.i), d->loc);
  case SX_BIG: return big_constant(e, d);
  case SX_BOOL: return constant(e, v_bool(d->u.b), d->loc);
  case SX_CHAR: return constant(e, v_char((int32_t)d->u.i), d->loc);
  case SX_SYM: return constant(e, v_sym(d->u.sym), d->loc);
  case SX_STR:
    return constant(e, v_str(world_literal_string(e->w, d->u.str.s, d->u.str.n)),
                    d->loc);
  case SX_VEC: {
    ast *a = node(e, E_VECLIT, d->loc);
    a->u.seq.n = d->u.list.n;
    a->u.seq.v = alloc_asts(e, d->u.list.n);
    for (int i = 0; i < d->u.list.n; i++)
      if (!(a->u.seq.v[i] = quoted(e, d->u.list.v[i]))) return NULL;
    return a;
  }
  case SX_LIST: {
    value v;
    if (!datum_value(e, d, &v)) return NULL;
    return constant(e, v, d->loc);
  }
  }
  return NULL;
}

/* ---- functions ------------------------------------------------------ */

static fn_def *make_fn(ex *e, int name, srcloc loc, const sx *params,
                       const sx *const *body, int nbody, srcloc body_loc) {
  /* (a b), (a b . rest) or args: the rest parameter takes a list */
  const sx *rest = params->kind == SX_SYM ? params
                   : params->kind == SX_LIST ? params->u.list.tail : NULL;
  if ((params->kind != SX_LIST && params->kind != SX_SYM) ||
      (rest && rest->kind != SX_SYM))
    return bad(e, params->loc, "the parameters must be a list of names, "
                               "(name ... . rest) or one name for all the "
                               "arguments"),
           NULL;
  int nfixed = params->kind == SX_LIST ? params->u.list.n : 0;
  fn_def *f = arena_alloc(e->mem, sizeof *f);
  f->name = name;
  f->loc = loc;
  f->nparams = nfixed + (rest ? 1 : 0);
  f->variadic = rest != NULL;
  f->params = arena_alloc(e->mem, (size_t)(f->nparams + 1) * sizeof(int));
  f->param_locs = arena_alloc(e->mem, (size_t)(f->nparams + 1) * sizeof(srcloc));
  f->param_boxed = arena_alloc(e->mem, (size_t)(f->nparams + 1) * sizeof(bool));
  for (int i = 0; i < f->nparams; i++) {
    const sx *p = i < nfixed ? params->u.list.v[i] : rest;
    if (!check_local(e, p, "a parameter")) return NULL;
    for (int j = 0; j < i; j++)
      if (f->params[j] == p->u.sym)
        return bad(e, p->loc, "parameter '%s' appears twice",
                   sym_name(&e->w->syms, p->u.sym)),
               NULL;
    f->params[i] = p->u.sym;
    f->param_locs[i] = p->loc;
  }
  if (nbody == 0)
    return bad(e, body_loc, "the body of '%s' is empty",
               name >= 0 ? sym_name(&e->w->syms, name) : "lambda"),
           NULL;
  int mark = e->shadow.n;
  for (int i = 0; i < f->nparams; i++) bind_local(e, f->params[i]);
  e->depth++;
  f->body = expand_body(e, body, nbody, body_loc);
  e->depth--;
  e->shadow.n = mark;
  return f->body ? f : NULL;
}

/* (lambda (params) body...) bound to `name`. */
static fn_def *lambda_fn(ex *e, int name, const sx *lam) {
  const sx *const *v = (const sx *const *)lam->u.list.v;
  if (lam->u.list.n < 3)
    return bad(e, lam->loc, "malformed lambda: expected (lambda (name ...) "
                            "body ...)"),
           NULL;
  return make_fn(e, name, lam->loc, v[1], v + 2, lam->u.list.n - 2, lam->loc);
}

static bool is_lambda(ex *e, const sx *s) {
  const char *h = head_name(e, s);
  return h && !strcmp(h, "lambda");
}

/* ---- bodies with internal definitions -------------------------------- */

static bool is_define(ex *e, const sx *s) {
  const char *h = head_name(e, s);
  return h && !strcmp(h, "define");
}

/* (define name e) or (define (name params) body...) inside a body. */
static bool internal_define(ex *e, const sx *s, let_binding *b, bool local) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  if (n < 2)
    return bad(e, s->loc, "malformed define: expected (define name value) or "
                          "(define (name param ...) body ...)"),
           false;
  b->loc = v[1]->loc;
  if (v[1]->kind == SX_LIST) {
    if (v[1]->u.list.n == 0 ||
        !check_name_in(e, v[1]->u.list.v[0], "the procedure name", local))
      return bad(e, v[1]->loc, "malformed define: expected (define (name "
                               "param ...) body ...)"),
             false;
    sx params = *v[1];
    params.u.list.v++;
    params.u.list.n--;
    b->name = v[1]->u.list.v[0]->u.sym;
    b->fn = make_fn(e, b->name, s->loc, &params, v + 2, n - 2, s->loc);
    return b->fn != NULL;
  }
  if (!check_name_in(e, v[1], "the defined name", local)) return false;
  b->name = v[1]->u.sym;
  if (n != 3)
    return bad(e, s->loc, "malformed define: expected (define name value)"),
           false;
  if (is_lambda(e, v[2])) {
    b->fn = lambda_fn(e, b->name, v[2]);
    return b->fn != NULL;
  }
  const char *h = head_name(e, v[2]);
  if (h && (!strcmp(h, "lambda*") ||
            (!strcmp(h, "case-lambda") && ex_case_lambda_single(e, v[2])))) {
    /* named by the define, as a lambda is */
    const sx *lam = h[0] == 'l' ? ex_lambda_star_sx(e, v[2]) : ex_case_lambda_single(e, v[2]);
    b->fn = lam ? lambda_fn(e, b->name, lam) : NULL;
    return b->fn != NULL;
  }
  b->init = expand(e, v[2]);
  return b->init != NULL;
}

/* The forms of a body without the empty (begin)s before its last. */
static const sx *const *drop_empty_begins(ex *e, const sx *const *forms, int *n) {
  int keep = 0;
  for (int i = 0; i < *n; i++) keep += i == *n - 1 || !empty_begin(e, forms[i]);
  if (keep == *n) return forms;
  const sx **out = arena_alloc(e->mem, (size_t)keep * sizeof *out);
  int k = 0;
  for (int i = 0; i < *n; i++)
    if (i == *n - 1 || !empty_begin(e, forms[i])) out[k++] = forms[i];
  *n = k;
  return out;
}

/* A body is its definitions, then its expressions, as a letrec* of the
 * definitions around the expressions.  As in Guile 3, an expression may
 * also come before a definition: everything up to the last definition
 * becomes the bindings, in order, each such expression the init of a
 * hidden variable of its own (so it runs where it stands, between the
 * inits around it); only the forms after the last definition are the
 * body's expressions, and there must be at least one.  A body whose
 * definitions all come first is expanded as before, at no cost. */
/* The forms of a body with each define-record-type replaced by the
 * begin of its definitions (spliced next, as Guile splices them). */
static const sx *const *body_records(ex *e, const sx *const *forms, int n) {
  const sx **out = NULL;
  for (int i = 0; i < n; i++) {
    const char *h = head_name(e, forms[i]);
    if (!h || strcmp(h, "define-record-type")) continue;
    if (!out) {
      out = arena_alloc(e->mem, (size_t)n * sizeof *out);
      memcpy(out, forms, (size_t)n * sizeof *out);
    }
    if (!(out[i] = ex_record_defs(e, forms[i]))) return NULL;
  }
  return out ? out : forms;
}

static ast *expand_body(ex *e, const sx *const *forms, int n, srcloc loc) {
  forms = body_records(e, forms, n);
  if (!forms) return NULL;
  forms = ex_body_splice_begins(e, forms, &n);
  forms = drop_empty_begins(e, forms, &n);
  forms = ex_body_define_values(e, forms, &n);
  if (forms) forms = ex_body_define_star(e, forms, n);   /* expand-keywords.c */
  if (!forms) return NULL;
  int nb = 0;   /* the bindings: the forms up to the last definition */
  for (int i = 0; i < n; i++)
    if (is_define(e, forms[i])) nb = i + 1;
  if (nb == n)
    return bad(e, n ? forms[n - 1]->loc : loc,
               "a body needs an expression after its definitions");
  int mark = e->shadow.n;   /* letrec*: the defined names cover the body */
  for (int i = 0; i < nb; i++) {
    if (!is_define(e, forms[i]) || forms[i]->u.list.n < 2) continue;
    const sx *t = forms[i]->u.list.v[1];
    if (t->kind == SX_LIST && t->u.list.n > 0) t = t->u.list.v[0];
    if (t->kind == SX_SYM) bind_local(e, t->u.sym);
  }
  ast *a = expand_body_defs(e, forms, n, nb);
  e->shadow.n = mark;
  return a;
}

static ast *expand_body_defs(ex *e, const sx *const *forms, int n, int nb) {
  ast *seq;
  if (n - nb == 1) {
    seq = expand(e, forms[nb]);
  } else {
    seq = node(e, E_BEGIN, forms[nb]->loc);
    seq->u.seq.n = n - nb;
    seq->u.seq.v = alloc_asts(e, n - nb);
    for (int i = nb; i < n; i++)
      if (!(seq->u.seq.v[i - nb] = expand(e, forms[i]))) return NULL;
  }
  if (!seq || nb == 0) return seq;
  ast *a = node(e, E_LETREC, forms[0]->loc);
  a->u.let.n = nb;
  a->u.let.v = arena_alloc(e->mem, (size_t)nb * sizeof(let_binding));
  int nexpr = 0;
  for (int i = 0; i < nb; i++) {
    let_binding *b = &a->u.let.v[i];
    if (!is_define(e, forms[i])) {
      /* a name per expression: no two bindings of a letrec share one */
      char name[40];
      snprintf(name, sizeof name, "body expression %d", ++nexpr);
      b->name = sym(e, name);
      b->loc = forms[i]->loc;
      if (!(b->init = expand(e, forms[i]))) return NULL;
      continue;
    }
    if (!internal_define(e, forms[i], b, true)) return NULL;
    for (int j = 0; j < i; j++)
      if (a->u.let.v[j].name == b->name)
        return bad(e, b->loc, "'%s' is defined twice in this body",
                   sym_name(&e->w->syms, b->name));
  }
  a->u.let.body = seq;
  return a;
}

/* ---- let forms ------------------------------------------------------ */

static bool parse_bindings(ex *e, const sx *list, const char *form,
                           let_binding **out, int *nout, bool allow_dups) {
  if (list->kind != SX_LIST)
    return bad(e, list->loc, "malformed %s: expected a list of (name value) "
                             "bindings", form),
           false;
  int n = list->u.list.n;
  let_binding *b = arena_alloc(e->mem, (size_t)(n ? n : 1) * sizeof *b);
  for (int i = 0; i < n; i++) {
    const sx *p = list->u.list.v[i];
    if (p->kind != SX_LIST || p->u.list.n != 2)
      return bad(e, p->loc, "malformed %s binding: expected (name value)",
                 form),
             false;
    if (!check_local(e, p->u.list.v[0], "a bound name")) return false;
    b[i].name = p->u.list.v[0]->u.sym;
    b[i].loc = p->u.list.v[0]->loc;
    for (int j = 0; j < i && !allow_dups; j++)
      if (b[j].name == b[i].name)
        return bad(e, b[i].loc, "'%s' is bound twice in this %s",
                   sym_name(&e->w->syms, b[i].name), form),
               false;
  }
  /* the names cover the inits of a letrec, each later init of a let*,
   * and the body (the caller restores the scope after it) */
  bool rec = !strncmp(form, "letrec", 6), star = !strcmp(form, "let*");
  int mark = e->shadow.n;
  if (rec)
    for (int i = 0; i < n; i++) bind_local(e, b[i].name);
  for (int i = 0; i < n; i++) {
    const sx *p = list->u.list.v[i];
    if (is_lambda(e, p->u.list.v[1])) {
      if (!(b[i].fn = lambda_fn(e, b[i].name, p->u.list.v[1]))) return false;
    } else if (!(b[i].init = expand(e, p->u.list.v[1]))) {
      return false;
    }
    if (star) bind_local(e, b[i].name);
  }
  e->shadow.n = mark;
  for (int i = 0; i < n; i++) bind_local(e, b[i].name);
  *out = b;
  *nout = n;
  return true;
}

static ast *make_call(ex *e, int name, srcloc loc, ast **args, int n) {
  ast *c = node(e, E_CALL, loc);
  c->u.call.name = name;
  c->u.call.name_loc = loc;
  c->u.call.args = args;
  c->u.call.n = n;
  return c;
}

/* A loop: (letrec ((name (lambda params body))) (name inits...)). */
static ast *loop_form(ex *e, int name, srcloc loc, fn_def *fn, ast **inits,
                      int n) {
  fn->is_loop = true;
  ast *a = node(e, E_LETREC, loc);
  a->u.let.n = 1;
  a->u.let.v = arena_alloc(e->mem, sizeof(let_binding));
  a->u.let.v[0].name = name;
  a->u.let.v[0].loc = loc;
  a->u.let.v[0].fn = fn;
  a->u.let.body = make_call(e, name, loc, inits, n);
  return a;
}

static fn_def *bare_fn(ex *e, int name, srcloc loc, int nparams) {
  fn_def *f = arena_alloc(e->mem, sizeof *f);
  f->name = name;
  f->loc = loc;
  f->nparams = nparams;
  f->params = arena_alloc(e->mem, (size_t)(nparams + 1) * sizeof(int));
  f->param_locs = arena_alloc(e->mem, (size_t)(nparams + 1) * sizeof(srcloc));
  f->param_boxed = arena_alloc(e->mem, (size_t)(nparams + 1) * sizeof(bool));
  return f;
}

static ast *named_let(ex *e, const sx *s) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  if (n < 4)
    return bad(e, s->loc, "malformed named let: expected (let name ((var "
                          "init) ...) body ...)");
  if (!check_local(e, v[1], "a loop name")) return NULL;
  const sx *bl = v[2];
  if (bl->kind != SX_LIST)
    return bad(e, bl->loc, "malformed named let: expected a list of (var "
                           "init) bindings");
  int nb = bl->u.list.n;
  fn_def *fn = bare_fn(e, v[1]->u.sym, s->loc, nb);
  ast **inits = alloc_asts(e, nb);
  for (int i = 0; i < nb; i++) {
    const sx *p = bl->u.list.v[i];
    if (p->kind != SX_LIST || p->u.list.n != 2 ||
        !check_local(e, p->u.list.v[0], "a loop variable"))
      return bad(e, p->loc, "malformed named let binding: expected (name "
                            "value)");
    fn->params[i] = p->u.list.v[0]->u.sym;
    fn->param_locs[i] = p->u.list.v[0]->loc;
    for (int j = 0; j < i; j++)
      if (fn->params[j] == fn->params[i])
        return bad(e, p->loc, "'%s' is bound twice in this let",
                   sym_name(&e->w->syms, fn->params[i]));
    if (!(inits[i] = expand(e, p->u.list.v[1]))) return NULL;
  }
  int mark = e->shadow.n;
  bind_local(e, v[1]->u.sym);
  for (int i = 0; i < nb; i++) bind_local(e, fn->params[i]);
  e->depth++;
  fn->body = expand_body(e, v + 3, n - 3, s->loc);
  e->depth--;
  e->shadow.n = mark;
  if (!fn->body) return NULL;
  return loop_form(e, v[1]->u.sym, s->loc, fn, inits, nb);
}

static ast *let_form(ex *e, const sx *s, const char *form) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  if (!strcmp(form, "let") && n >= 2 && v[1]->kind == SX_SYM)
    return named_let(e, s);
  if (n < 3)
    return bad(e, s->loc, "malformed %s: expected (%s ((name value) ...) "
                          "body ...)", form, form);
  bool star = !strcmp(form, "let*");
  bool rec = !strncmp(form, "letrec", 6);
  let_binding *b;
  int nb;
  int mark = e->shadow.n;
  if (!parse_bindings(e, v[1], form, &b, &nb, star)) return NULL;
  ast *body = expand_body(e, v + 2, n - 2, s->loc);
  e->shadow.n = mark;
  if (!body) return NULL;
  if (!star || nb <= 1) {
    ast *a = node(e, rec ? E_LETREC : E_LET, s->loc);
    a->u.let.parallel = rec && !strcmp(form, "letrec");
    a->u.let.v = b;
    a->u.let.n = nb;
    a->u.let.body = body;
    return a;
  }
  for (int i = nb - 1; i >= 0; i--) {
    ast *a = node(e, E_LET, b[i].loc);
    a->u.let.v = &b[i];
    a->u.let.n = 1;
    a->u.let.body = body;
    body = a;
  }
  return body;
}

/* ---- conditionals --------------------------------------------------- */

static ast *seq_of(ex *e, const sx *const *v, int n, srcloc loc) {
  if (n == 1) return expand(e, v[0]);
  ast *a = node(e, E_BEGIN, loc);
  a->u.seq.n = n;
  a->u.seq.v = alloc_asts(e, n);
  for (int i = 0; i < n; i++)
    if (!(a->u.seq.v[i] = expand(e, v[i]))) return NULL;
  return a;
}

static ast *make_if(ex *e, srcloc loc, ast *c, ast *t, ast *f) {
  ast *a = node(e, E_IF, loc);
  a->u.iff.c = c;
  a->u.iff.t = t;
  a->u.iff.e = f ? f : constant(e, v_void(), loc);
  return a;
}

/* One cond clause, expanded; `rest` is filled in when the chain is linked. */
typedef struct {
  ast *test, *body;   /* body NULL: a test-only clause */
  const sx *arrow;    /* (test => receiver): the receiver */
  srcloc loc;
} cond_part;

/* (receiver name): a call by name when the receiver is a name (so that
 * a builtin or a global procedure stays a direct call), else a call of
 * the receiver's value. */
/* (lambda (x) body ...) called with the value named `name`: the let
 * (let ((x name)) body ...), as ((lambda (x) body ...) v) is one, so that
 * compiled code runs a receiver written in place (it calls no procedure
 * values). */
static ast *receiver_let(ex *e, const sx *lam, int name) {
  const sx *p = lam->u.list.v[1]->u.list.v[0];
  if (!check_local(e, p, "a parameter")) return NULL;
  ast *a = node(e, E_LET, lam->loc);
  a->u.let.n = 1;
  a->u.let.v = arena_alloc(e->mem, sizeof(let_binding));
  a->u.let.v[0].name = p->u.sym;
  a->u.let.v[0].loc = p->loc;
  ast *ref = node(e, E_REF, lam->loc);
  ref->u.ref.name = name;
  a->u.let.v[0].init = ref;
  int mark = e->shadow.n;
  bind_local(e, p->u.sym);
  a->u.let.body = expand_body(e, (const sx *const *)lam->u.list.v + 2,
                              lam->u.list.n - 2, lam->loc);
  e->shadow.n = mark;
  return a->u.let.body ? a : NULL;
}

static ast *call_receiver(ex *e, const sx *recv, int name, srcloc loc) {
  ast **args = alloc_asts(e, 1);
  args[0] = node(e, E_REF, loc);
  args[0]->u.ref.name = name;
  if (recv->kind == SX_SYM && (!is_special(sym_name(&e->w->syms, recv->u.sym)) ||
                               ex_shadowed(e, recv->u.sym))) {
    ast *c = make_call(e, recv->u.sym, recv->loc, args, 1);
    c->loc = loc;
    return c;
  }
  if (is_lambda(e, recv) && recv->u.list.n >= 3 &&
      recv->u.list.v[1]->kind == SX_LIST && !recv->u.list.v[1]->u.list.tail &&
      recv->u.list.v[1]->u.list.n == 1)
    return receiver_let(e, recv, name);
  ast *op = expand(e, recv);
  if (!op) return NULL;
  ast *c = make_call(e, -1, loc, args, 1);
  c->kind = E_APPLY;
  c->u.call.op = op;
  c->u.call.name_loc = recv->loc;
  return c;
}

/* (let ((value test)) (if value (receiver value) rest)) */
static ast *cond_arrow(ex *e, const cond_part *p, ast *rest) {
  int name = sym(e, HIDDEN_COND);
  ast *call = call_receiver(e, p->arrow, name, p->loc);
  if (!call) return NULL;
  ast *ref = node(e, E_REF, p->loc);
  ref->u.ref.name = name;
  ast *a = node(e, E_LET, p->loc);
  a->u.let.n = 1;
  a->u.let.v = arena_alloc(e->mem, sizeof(let_binding));
  a->u.let.v[0].name = name;
  a->u.let.v[0].loc = p->loc;
  a->u.let.v[0].init = p->test;
  a->u.let.body = make_if(e, p->loc, ref, call, rest);
  return a;
}

static bool cond_clause(ex *e, const sx *c, bool last, cond_part *out,
                        ast **else_body) {
  if (c->kind != SX_LIST || c->u.list.n == 0)
    return bad(e, c->loc, "malformed cond clause: expected (test expr ...)"),
           false;
  const sx *const *v = (const sx *const *)c->u.list.v;
  out->loc = c->loc;
  if (is_sym(e, v[0], "else")) {
    if (!last) return bad(e, c->loc, "else must be the last cond clause"), false;
    if (c->u.list.n < 2)
      return bad(e, c->loc, "else clause without a body"), false;
    *else_body = seq_of(e, v + 1, c->u.list.n - 1, c->loc);
    return *else_body != NULL;
  }
  if (c->u.list.n >= 2 && is_sym(e, v[1], "=>")) {
    if (c->u.list.n != 3)
      return bad(e, c->loc, "malformed cond clause: expected (test => "
                            "receiver)"), false;
    out->arrow = v[2];
    out->body = NULL;
    return (out->test = expand(e, v[0])) != NULL;
  }
  out->arrow = NULL;
  if (!(out->test = expand(e, v[0]))) return false;
  if (c->u.list.n == 1) return true;
  out->body = seq_of(e, v + 1, c->u.list.n - 1, c->loc);
  return out->body != NULL;
}

/* Clauses are expanded in order (so that the first error is the one
 * reported), then linked from the last one back: a cond of thousands of
 * clauses must not recurse once per clause. */
static ast *cond_clauses(ex *e, const sx *const *cl, int n, srcloc loc) {
  cond_part *parts = arena_alloc(e->mem, (size_t)n * sizeof *parts);
  ast *chain = NULL;
  int nparts = 0;
  for (int i = 0; i < n; i++) {
    if (!cond_clause(e, cl[i], i == n - 1, &parts[nparts], &chain))
      return NULL;
    if (!chain) nparts++;
  }
  if (!chain) chain = constant(e, v_void(), loc);
  for (int i = nparts - 1; i >= 0; i--) {
    cond_part *p = &parts[i];
    if (p->arrow) {
      if (!(chain = cond_arrow(e, p, chain))) return NULL;
      continue;
    }
    if (p->body) {
      chain = make_if(e, p->loc, p->test, p->body, chain);
      continue;
    }
    ast *o = node(e, E_OR, p->loc);
    o->u.seq.n = 2;
    o->u.seq.v = alloc_asts(e, 2);
    o->u.seq.v[0] = p->test;
    o->u.seq.v[1] = chain;
    chain = o;
  }
  return chain;
}

/* (eqv? key datum), bound to the builtin itself so that a user's own eqv?
 * (global or local) cannot change what case means. */
static ast *case_test(ex *e, int key, const sx *d) {
  ast *datum = quoted(e, d);
  if (!datum) return NULL;
  ast **args = alloc_asts(e, 2);
  args[0] = node(e, E_REF, d->loc);
  args[0]->u.ref.name = key;
  args[1] = datum;
  ast *call = make_call(e, sym(e, "eqv?"), d->loc, args, 2);
  call->u.call.r.kind = REF_BUILTIN;
  call->u.call.r.bi = builtin_find("eqv?");
  return call;
}

/* The test of one clause: whether the key is one of its data. */
static ast *case_data(ex *e, int key, const sx *data) {
  if (data->kind != SX_LIST)
    return bad(e, data->loc, "case data must be a list: ((datum ...) "
                             "expr ...)");
  int nd = data->u.list.n;
  if (nd == 0) return constant(e, v_bool(false), data->loc);
  ast *test = node(e, E_OR, data->loc);
  test->u.seq.n = nd;
  test->u.seq.v = alloc_asts(e, nd);
  for (int j = 0; j < nd; j++)
    if (!(test->u.seq.v[j] = case_test(e, key, data->u.list.v[j]))) return NULL;
  return test;
}

/* The expressions of a clause, or (R7RS) => and a receiver called with
 * the key. */
static ast *case_body(ex *e, const sx *c, int key) {
  const sx *const *cv = (const sx *const *)c->u.list.v;
  if (is_sym(e, cv[1], "=>")) {
    if (c->u.list.n != 3)
      return bad(e, c->loc, "malformed case clause: expected ((datum ...) "
                            "=> receiver)");
    return call_receiver(e, cv[2], key, c->loc);
  }
  return seq_of(e, cv + 1, c->u.list.n - 1, c->loc);
}

/* Clauses are expanded in order, so that the first error is reported,
 * then linked into a chain of ifs from the last one back. */
static ast *case_form(ex *e, const sx *s) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  if (n < 2) return bad(e, s->loc, "malformed case: expected (case key "
                                   "((datum ...) expr ...) ...)");
  int key = sym(e, HIDDEN_CASE);
  ast *key_init = expand(e, v[1]);
  if (!key_init) return NULL;
  ast **tests = alloc_asts(e, n), **bodies = alloc_asts(e, n);
  ast *chain = NULL;
  for (int i = 2; i < n; i++) {
    const sx *c = v[i];
    if (c->kind != SX_LIST || c->u.list.n < 2)
      return bad(e, c->loc, "malformed case clause: expected ((datum ...) "
                            "expr ...)");
    const sx *const *cv = (const sx *const *)c->u.list.v;
    if (is_sym(e, cv[0], "else")) {
      if (i != n - 1) return bad(e, c->loc, "else must be the last case clause");
      if (!(chain = case_body(e, c, key))) return NULL;
      continue;
    }
    if (!(tests[i] = case_data(e, key, cv[0]))) return NULL;
    if (!(bodies[i] = case_body(e, c, key))) return NULL;
  }
  if (!chain) chain = constant(e, v_void(), s->loc);
  for (int i = n - 1; i >= 2; i--)
    if (tests[i]) chain = make_if(e, v[i]->loc, tests[i], bodies[i], chain);
  ast *a = node(e, E_LET, s->loc);
  a->u.let.n = 1;
  a->u.let.v = arena_alloc(e->mem, sizeof(let_binding));
  a->u.let.v[0].name = key;
  a->u.let.v[0].loc = v[1]->loc;
  a->u.let.v[0].init = key_init;
  a->u.let.body = chain;
  return a;
}

/* ---- loops ---------------------------------------------------------- */

static ast *do_form(ex *e, const sx *s) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  if (n < 3 || v[1]->kind != SX_LIST || v[2]->kind != SX_LIST ||
      v[2]->u.list.n < 1)
    return bad(e, s->loc, "malformed do: expected (do ((var init step) ...) "
                          "(test result ...) body ...)");
  int nv = v[1]->u.list.n;
  int name = sym(e, HIDDEN_DO);
  fn_def *fn = bare_fn(e, name, s->loc, nv);
  ast **inits = alloc_asts(e, nv);
  ast **steps = alloc_asts(e, nv);
  for (int i = 0; i < nv; i++) {
    const sx *b = v[1]->u.list.v[i];
    if (b->kind != SX_LIST || b->u.list.n < 2 || b->u.list.n > 3 ||
        !check_local(e, b->u.list.v[0], "a do variable"))
      return bad(e, b->loc, "malformed do binding: expected (var init step) "
                            "or (var init)");
    fn->params[i] = b->u.list.v[0]->u.sym;
    fn->param_locs[i] = b->u.list.v[0]->loc;
    for (int j = 0; j < i; j++)
      if (fn->params[j] == fn->params[i])
        return bad(e, b->loc, "'%s' is bound twice in this do",
                   sym_name(&e->w->syms, fn->params[i]));
    if (!(inits[i] = expand(e, b->u.list.v[1]))) return NULL;
  }
  int mark = e->shadow.n;
  for (int i = 0; i < nv; i++) bind_local(e, fn->params[i]);
  e->depth++;
  for (int i = 0; i < nv; i++) {
    const sx *b = v[1]->u.list.v[i];
    if (b->u.list.n == 3) {
      if (!(steps[i] = expand(e, b->u.list.v[2]))) return NULL;
    } else {
      steps[i] = node(e, E_REF, b->loc);
      steps[i]->u.ref.name = fn->params[i];
    }
  }
  const sx *const *tv = (const sx *const *)v[2]->u.list.v;
  ast *test = expand(e, tv[0]);
  if (!test) return NULL;
  ast *result = v[2]->u.list.n > 1
                    ? seq_of(e, tv + 1, v[2]->u.list.n - 1, v[2]->loc)
                    : constant(e, v_void(), v[2]->loc);
  if (!result) return NULL;
  int nbody = n - 3;
  ast *again = make_call(e, name, s->loc, steps, nv);
  ast *loop_body = node(e, E_BEGIN, s->loc);
  loop_body->u.seq.n = nbody + 1;
  loop_body->u.seq.v = alloc_asts(e, nbody + 1);
  for (int i = 0; i < nbody; i++)
    if (!(loop_body->u.seq.v[i] = expand(e, v[3 + i]))) return NULL;
  loop_body->u.seq.v[nbody] = again;
  fn->body = make_if(e, s->loc, test, result, loop_body);
  e->depth--;
  e->shadow.n = mark;
  return loop_form(e, name, s->loc, fn, inits, nv);
}

static ast *while_form(ex *e, const sx *s) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  if (n < 2) return bad(e, s->loc, "malformed while: expected (while test "
                                   "body ...)");
  if (ex_while_mentions(e, s)) return ex_while_escapes(e, s);
  int name = sym(e, HIDDEN_WHILE);
  fn_def *fn = bare_fn(e, name, s->loc, 0);
  e->depth++;
  ast *test = expand(e, v[1]);
  if (!test) return NULL;
  ast *body = node(e, E_BEGIN, s->loc);
  body->u.seq.n = n - 1;
  body->u.seq.v = alloc_asts(e, n - 1);
  for (int i = 2; i < n; i++)
    if (!(body->u.seq.v[i - 2] = expand(e, v[i]))) return NULL;
  body->u.seq.v[n - 2] = make_call(e, name, s->loc, NULL, 0);
  /* a loop whose test turns false gives #f, as in Guile */
  fn->body = make_if(e, s->loc, test, body, constant(e, v_bool(false), s->loc));
  e->depth--;
  return loop_form(e, name, s->loc, fn, NULL, 0);
}

/* ---- top-level definitions ------------------------------------------ */

static ast *define_form(ex *e, const sx *s) {
  if (e->depth > 0)
    return bad(e, s->loc, "definitions are only allowed at top level or "
                          "directly in a body");
  let_binding b = {0};
  if (!internal_define(e, s, &b, false)) return NULL;
  mac_forget(e->w, b.name);   /* a global of that name replaces a macro */
  ast *a = node(e, E_DEFINE, s->loc);
  a->u.def.name = b.name;
  a->u.def.name_loc = b.loc;
  a->u.def.val = b.init;
  a->u.def.fn = b.fn;
  return a;
}

static bool table_datum(ex *e, const sx *d, value *out, bool key) {
  switch (d->kind) {
  case SX_INT: *out = v_int((int32_t)d->u.i); return true;
  case SX_SYM: *out = v_sym(d->u.sym); return true;
  case SX_BOOL:
    if (!key) { *out = v_bool(d->u.b); return true; }
    break;
  case SX_LIST:
    if (d->u.list.n == 2 && is_sym(e, d->u.list.v[0], "quote") &&
        d->u.list.v[1]->kind == SX_SYM) {
      *out = v_sym(d->u.list.v[1]->u.sym);
      return true;
    }
    break;
  default:
    break;
  }
  bad(e, d->loc, key ? "a table key must be a symbol or an integer"
                     : "a table value must be an integer, a symbol or a "
                       "boolean");
  return false;
}

static ast *deftable_form(ex *e, const sx *s) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  if (e->depth > 0) return bad(e, s->loc, "deftable is only allowed at top level");
  if (n < 2 || !check_name(e, v[1], "a table name"))
    return bad(e, s->loc, "malformed deftable: expected (deftable name (key "
                          "value) ... [(else default)])");
  ast *a = node(e, E_DEFTABLE, s->loc);
  a->u.table.name = v[1]->u.sym;
  a->u.table.keys = arena_alloc(e->mem, (size_t)n * sizeof(value));
  a->u.table.vals = arena_alloc(e->mem, (size_t)n * sizeof(value));
  a->u.table.locs = arena_alloc(e->mem, (size_t)n * sizeof(srcloc));
  for (int i = 2; i < n; i++) {
    const sx *p = v[i];
    if (p->kind != SX_LIST || p->u.list.n != 2)
      return bad(e, p->loc, "malformed table entry: expected (key value)");
    if (is_sym(e, p->u.list.v[0], "else")) {
      if (i != n - 1) return bad(e, p->loc, "else must be the last table entry");
      if (!table_datum(e, p->u.list.v[1], &a->u.table.dflt, false)) return NULL;
      a->u.table.has_default = true;
      continue;
    }
    int k = a->u.table.n;
    if (!table_datum(e, p->u.list.v[0], &a->u.table.keys[k], true) ||
        !table_datum(e, p->u.list.v[1], &a->u.table.vals[k], false))
      return NULL;
    a->u.table.locs[k] = p->loc;
    for (int j = 0; j < k; j++) {
      value x = a->u.table.keys[j], y = a->u.table.keys[k];
      if (x.kind != y.kind)
        return bad(e, p->u.list.v[0]->loc, "table keys must all be symbols "
                                           "or all be integers");
      if (x.i == y.i)
        return bad(e, p->u.list.v[0]->loc, "duplicate table key (first at "
                                           "%d:%d)", a->u.table.locs[j].line,
                   a->u.table.locs[j].col);
    }
    a->u.table.n++;
  }
  if (a->u.table.n == 0) return bad(e, s->loc, "a table needs at least one entry");
  return a;
}

/* ---- extern: a C function ------------------------------------------- */

static bool c_type(ex *e, const sx *s, bool result, xtype *out) {
  static const struct { const char *name; xtype t; } types[] = {
    {"int32", XT_INT32}, {"int64", XT_INT64}, {"double", XT_DOUBLE},
    {"string", XT_STRING}, {"void", XT_VOID}};
  for (size_t i = 0; s->kind == SX_SYM && i < sizeof types / sizeof *types; i++)
    if (is_sym(e, s, types[i].name)) {
      if (types[i].t == XT_VOID && !result)
        return bad(e, s->loc, "void is only a result type (a C function "
                              "without arguments is declared with ())"),
               false;
      *out = types[i].t;
      return true;
    }
  const char *known = result ? "int32, int64, double, string or void"
                             : "int32, int64, double or string";
  if (s->kind == SX_SYM)
    bad(e, s->loc, "unknown C type '%s': expected %s",
        sym_name(&e->w->syms, s->u.sym), known);
  else
    bad(e, s->loc, "a C type must be a name (%s), not %s", known,
        sx_kind_text(s));
  return false;
}

static char *c_string(ex *e, const sx *s, const char *what) {
  if (s->kind != SX_STR)
    return bad(e, s->loc, "%s must be a string, not %s", what, sx_kind_text(s)),
           NULL;
  if (memchr(s->u.str.s, 0, s->u.str.n))
    return bad(e, s->loc, "%s cannot contain a NUL character", what), NULL;
  return arena_strndup(e->mem, s->u.str.s, s->u.str.n);
}

static bool extern_types(ex *e, const sx *list, extern_def *x) {
  if (list->kind != SX_LIST)
    return bad(e, list->loc, "the argument types must be a list, such as "
                             "(int32 double) or ()"),
           false;
  x->nargs = list->u.list.n;
  x->args = arena_alloc(e->mem, (size_t)(x->nargs + 1) * sizeof(xtype));
  for (int i = 0; i < x->nargs; i++)
    if (!c_type(e, list->u.list.v[i], false, &x->args[i])) return false;
  return true;
}

/* (extern name "library" "symbol" (type ...) type): the C function is
 * resolved now, so that a missing library or symbol is an error of the
 * declaration, which then defines nothing. */
static ast *extern_form(ex *e, const sx *s) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  if (e->w->no_extern)
    return bad(e, s->loc, "extern is switched off in this session (--no-extern, "
                          "TVL_NO_EXTERN=1 or tvl_disable_extern): it runs no "
                          "C functions");
  if (e->depth > 0) return bad(e, s->loc, "extern is only allowed at top level");
  if (s->u.list.n != 6)
    return bad(e, s->loc, "malformed extern: expected (extern name "
                          "\"library\" \"symbol\" (argument-type ...) "
                          "result-type)");
  if (!check_name(e, v[1], "the name of a C function")) return NULL;
  extern_def *x = arena_alloc(e->mem, sizeof *x);
  x->name = v[1]->u.sym;
  if (!(x->library = c_string(e, v[2], "the library (\"\" for the process, "
                                       "\"libc\", \"libm\" or a file name)")) ||
      !(x->symbol = c_string(e, v[3], "the C symbol")) ||
      !extern_types(e, v[4], x) || !c_type(e, v[5], true, &x->ret))
    return NULL;
  char why[512];
  if (!ffi_prepare(x, e->mem, why, sizeof why)) {
    lang_error_set(e->err, s->loc, "ffi", "extern %s: %s",
                   sym_name(&e->w->syms, x->name), why);
    e->failed = true;
    return NULL;
  }
  ast *a = node(e, E_EXTERN, s->loc);
  a->u.ext.name = x->name;
  a->u.ext.name_loc = v[1]->loc;
  a->u.ext.x = x;
  return a;
}

/* (use-modules (srfi srfi-1)) binds the SRFI-1 names from then on (fold,
 * fold-right, reduce, and lib/prelude.c's take, any, ...), as in Guile;
 * (srfi srfi-11) for let-values and let*-values, (srfi srfi-8) or (ice-9
 * receive) for receive: tvl always has these, and accepts the modules so
 * that one program runs in both.  Any other module is refused. */
static bool known_module(ex *e, const sx *m) {
  static const char *const mods[][2] = {
    {"srfi", "srfi-1"}, {"srfi", "srfi-8"}, {"srfi", "srfi-11"},
    {"ice-9", "receive"}, {"ice-9", "match"}};
  if (ex_records_module(e, m)) return true;   /* expand-records.c */
  if (ex_format_module(e, m)) return true;    /* expand-format.c */
  if (m->kind != SX_LIST || m->u.list.n != 2 || m->u.list.tail) return false;
  for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
    if (is_sym(e, m->u.list.v[0], mods[i][0]) && is_sym(e, m->u.list.v[1], mods[i][1]))
      return true;
  return false;
}

static ast *use_modules(ex *e, const sx *s) {
  if (e->depth > 0) return bad(e, s->loc, "use-modules is only allowed at top level");
  for (int i = 1; i < s->u.list.n; i++) {
    const sx *m = s->u.list.v[i];
    if (!known_module(e, m))
      return bad(e, m->loc, "tvl has no modules: only (srfi srfi-1), (srfi "
                 "srfi-8), (srfi srfi-9), (srfi srfi-11), (ice-9 receive), (ice-9 "
                 "format) and (ice-9 match) are accepted");
    if (is_sym(e, m->u.list.v[1], "srfi-1")) e->w->srfi1 = true;
    if (ex_format_module(e, m)) e->w->ice9_format = true;
    if (is_sym(e, m->u.list.v[1], "match")) e->w->ice9_match = true;
  }
  return constant(e, v_void(), s->loc);
}

/* ---- dispatch ------------------------------------------------------- */

/* A top-level begin may hold definitions, also inside nested begins: it
 * is kept as one flat sequence, which the checker and evaluator treat as
 * top-level forms. */
static ast *toplevel_begin(ex *e, const sx *s, bool form) {
  VEC(ast *) items = {0};
  for (int i = 1; i < s->u.list.n && !e->failed; i++) {
    if (form && empty_begin(e, s->u.list.v[i])) continue;
    const char *h0 = head_name(e, s->u.list.v[i]);
    ast *x = form && h0 && !strcmp(h0, "begin")
                 ? toplevel_begin(e, s->u.list.v[i], true)
                 : expand(e, s->u.list.v[i]);
    if (!x) break;
    const char *h = head_name(e, s->u.list.v[i]);
    if (x->kind == E_BEGIN && h &&
        (!strcmp(h, "begin") || !strcmp(h, "define-values") ||
         !strcmp(h, "define-record-type"))) {
      for (int j = 0; j < x->u.seq.n; j++) VEC_PUSH(items, x->u.seq.v[j]);
    } else {
      VEC_PUSH(items, x);
    }
  }
  ast *a = NULL;
  if (!e->failed) {
    a = node(e, E_BEGIN, s->loc);
    a->u.seq.n = items.n;
    a->u.seq.v = alloc_asts(e, items.n);
    if (items.n) memcpy(a->u.seq.v, items.v, (size_t)items.n * sizeof(ast *));
  }
  VEC_FREE(items);
  return a;
}

/* A use of a define-syntax macro: rewritten, then expanded. */
static ast *macro_use(ex *e, const sx *s, const struct macro *m) {
  if (e->macro_depth >= EX_MAX_MACRO_DEPTH)
    return bad(e, s->loc, "macro uses nested deeper than %d levels (does a "
                          "macro expand into itself forever?)", EX_MAX_MACRO_DEPTH);
  sx *r = mac_expand(e->w, m, s, e->mem, e->err);
  if (!r) {
    e->failed = true;
    return NULL;
  }
  e->macro_depth++;
  ast *a = expand(e, r);
  e->macro_depth--;
  return a;
}

static ast *syntax_form(ex *e, const sx *s, const char *h) {
  if (strcmp(h, "define-syntax"))
    return bad(e, s->loc, "%s: macros are not supported, except (define-syntax "
                          "NAME (syntax-rules ...)) at top level", h);
  if (e->depth > 0)
    return bad(e, s->loc, "define-syntax is supported only at top level");
  if (!mac_define(e->w, s, e->err)) {
    e->failed = true;
    return NULL;
  }
  return constant(e, v_void(), s->loc);
}

static bool is_syntax_form(const char *h) {
  return !strcmp(h, "define-syntax") || !strcmp(h, "let-syntax") ||
         !strcmp(h, "letrec-syntax") || !strcmp(h, "syntax-rules") ||
         !strcmp(h, "syntax-case") || !strcmp(h, "define-macro");
}

static ast *named_call(ex *e, const sx *s);

/* Is s the call (NAME) of no arguments? */
static bool is_call_of(ex *e, const sx *s, const char *name) {
  return s->kind == SX_LIST && s->u.list.n == 1 && !s->u.list.tail &&
         is_sym(e, s->u.list.v[0], name) && !ex_shadowed(e, s->u.list.v[0]->u.sym);
}

static ast *list_form(ex *e, const sx *s) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  if (n == 0)
    return bad(e, s->loc, "() is not an expression: write '() for the "
                          "empty list");
  if (s->u.list.tail)
    return bad(e, s->loc, "a dotted list is not an expression (quote it "
                          "for a constant: '(1 . 2))");
  if (v[0]->kind == SX_SYM && e->shadow.n && ex_shadowed(e, v[0]->u.sym))
    return named_call(e, s);
  const char *h = head_name(e, s);
  if (h && h[0] == '#' && h[1] == ':') h = NULL;   /* (#:key ...): a keyword called */
  if (h && !is_special(h)) {
    const struct macro *m = mac_find(e->w, v[0]->u.sym);
    if (m) return macro_use(e, s, m);
    if (is_syntax_form(h)) return syntax_form(e, s, h);
    if (ex_is_match_form(e, h)) return ex_match(e, s);   /* expand-match.c */
  }
  if (!h) {
    if (is_lambda(e, v[0]) && v[0]->u.list.n >= 3 &&
        v[0]->u.list.v[1]->kind == SX_LIST && !v[0]->u.list.v[1]->u.list.tail &&
        v[0]->u.list.v[1]->u.list.n == n - 1) {
      /* ((lambda (x ...) body ...) args ...) is a let. */
      const sx *lam = v[0];
      if (lam->u.list.n < 3)
        return bad(e, lam->loc, "malformed lambda: expected (lambda (name ...) "
                                "body ...)");
      const sx *ps = lam->u.list.v[1];
      if (ps->kind != SX_LIST)
        return bad(e, ps->loc, "the parameters must be a list of names "
                               "(variable arguments are not supported)");
      if (ps->u.list.n != n - 1)
        return bad(e, s->loc, "this lambda takes %d argument%s but is given %d",
                   ps->u.list.n, ps->u.list.n == 1 ? "" : "s", n - 1);
      ast *a = node(e, E_LET, s->loc);
      a->u.let.n = n - 1;
      a->u.let.v = arena_alloc(e->mem, (size_t)n * sizeof(let_binding));
      for (int i = 0; i < n - 1; i++) {
        if (!check_local(e, ps->u.list.v[i], "a parameter")) return NULL;
        for (int j = 0; j < i; j++)
          if (a->u.let.v[j].name == ps->u.list.v[i]->u.sym)
            return bad(e, ps->u.list.v[i]->loc, "parameter '%s' appears twice",
                       sym_name(&e->w->syms, ps->u.list.v[i]->u.sym));
        a->u.let.v[i].name = ps->u.list.v[i]->u.sym;
        a->u.let.v[i].loc = ps->u.list.v[i]->loc;
        if (!(a->u.let.v[i].init = expand(e, v[i + 1]))) return NULL;
      }
      int mark = e->shadow.n;
      for (int i = 0; i < n - 1; i++) bind_local(e, a->u.let.v[i].name);
      a->u.let.body = expand_body(e, (const sx *const *)lam->u.list.v + 2,
                                  lam->u.list.n - 2, lam->loc);
      e->shadow.n = mark;
      return a->u.let.body ? a : NULL;
    }
    /* any other operator is an expression whose value is called */
    ast *op = expand(e, v[0]);
    if (!op) return NULL;
    ast **args = alloc_asts(e, n - 1);
    for (int i = 1; i < n; i++)
      if (!(args[i - 1] = expand(e, v[i]))) return NULL;
    ast *c = make_call(e, -1, s->loc, args, n - 1);
    c->kind = E_APPLY;
    c->u.call.op = op;
    c->u.call.name_loc = v[0]->loc;
    return c;
  }
  if (!strcmp(h, "quote")) {
    if (n != 2) return bad(e, s->loc, "malformed quote: expected (quote datum)");
    return quoted(e, v[1]);
  }
  if (!strcmp(h, "quasiquote")) return ex_quasiquote(e, s);
  if (!strcmp(h, "unquote") || !strcmp(h, "unquote-splicing"))
    return bad(e, s->loc, "%s ('%s') is only valid inside a quasiquote (`)",
               h, h[7] ? ",@" : ",");
  if (!strcmp(h, "define-values")) return ex_define_values(e, s);
  if (!strcmp(h, "define-record-type")) return ex_define_record_type(e, s);
  if (!strcmp(h, "let-values") || !strcmp(h, "let*-values"))
    return ex_let_values(e, s, h[3] == '*');
  if (!strcmp(h, "receive")) return ex_receive(e, s);
  if (!strcmp(h, "case-lambda")) return ex_case_lambda(e, s);
  if (!strcmp(h, "define*")) return ex_define_star(e, s);    /* expand-keywords.c */
  if (!strcmp(h, "lambda*")) return ex_lambda_star(e, s);
  if (!strncmp(h, EX_BUILTIN_HEAD, strlen(EX_BUILTIN_HEAD))) {
    ast **args = alloc_asts(e, n - 1);
    for (int i = 1; i < n; i++)
      if (!(args[i - 1] = expand(e, v[i]))) return NULL;
    const char *name = h + strlen(EX_BUILTIN_HEAD);
    ast *c = make_call(e, sym(e, name), s->loc, args, n - 1);
    c->u.call.name_loc = v[0]->loc;
    c->u.call.r.kind = REF_BUILTIN;
    c->u.call.r.bi = builtin_find(name);
    return c;
  }
  if (!strcmp(h, "define")) return define_form(e, s);
  if (!strcmp(h, "deftable")) return deftable_form(e, s);
  if (!strcmp(h, "extern")) return extern_form(e, s);
  if (!strcmp(h, "lambda")) {
    fn_def *fn = lambda_fn(e, -1, s);
    if (!fn) return NULL;
    fn->closure = true;
    ast *a = node(e, E_LAMBDA, s->loc);
    a->u.lam.fn = fn;
    return a;
  }
  if (!strcmp(h, "use-modules")) return use_modules(e, s);
  if (!strcmp(h, "let") || !strcmp(h, "let*") || !strcmp(h, "letrec") ||
      !strcmp(h, "letrec*"))
    return let_form(e, s, h);
  if (!strcmp(h, "if")) {
    if (n != 3 && n != 4)
      return bad(e, s->loc, "malformed if: expected (if test then [else])");
    ast *c = expand(e, v[1]), *t = c ? expand(e, v[2]) : NULL;
    ast *f = t && n == 4 ? expand(e, v[3]) : NULL;
    if (!t || (n == 4 && !f)) return NULL;
    return make_if(e, s->loc, c, t, f);
  }
  if (!strcmp(h, "cond")) {
    if (n < 2) return bad(e, s->loc, "cond needs at least one clause");
    return cond_clauses(e, v + 1, n - 1, s->loc);
  }
  if (!strcmp(h, "case")) return case_form(e, s);
  if (!strcmp(h, "when") || !strcmp(h, "unless")) {
    if (n < 3) return bad(e, s->loc, "malformed %s: expected (%s test body ...)", h, h);
    ast *c = expand(e, v[1]);
    ast *body = c ? seq_of(e, v + 2, n - 2, s->loc) : NULL;
    if (!body) return NULL;
    if (h[0] == 'w') return make_if(e, s->loc, c, body, NULL);
    return make_if(e, s->loc, c, constant(e, v_void(), s->loc), body);
  }
  if (!strcmp(h, "and") || !strcmp(h, "or")) {
    if (n == 1) return constant(e, v_bool(h[0] == 'a'), s->loc);
    if (n == 2) return expand(e, v[1]);
    ast *a = node(e, h[0] == 'a' ? E_AND : E_OR, s->loc);
    a->u.seq.n = n - 1;
    a->u.seq.v = alloc_asts(e, n - 1);
    for (int i = 1; i < n; i++)
      if (!(a->u.seq.v[i - 1] = expand(e, v[i]))) return NULL;
    return a;
  }
  if (!strcmp(h, "begin")) {
    if (n == 1)
      return bad(e, s->loc, "an empty (begin) is not an expression: it may "
                            "stand only at top level or among the forms of "
                            "a body, before the last");
    if (e->depth == 0) return toplevel_begin(e, s, false);
    return seq_of(e, v + 1, n - 1, s->loc);
  }
  if (!strcmp(h, "set!")) {
    if (n != 3 || !check_name(e, v[1], "the target of set!"))
      return bad(e, s->loc, "malformed set!: expected (set! name value)");
    ast *a = node(e, E_SET, s->loc);
    a->u.set.name = v[1]->u.sym;
    a->u.set.val = expand(e, v[2]);
    return a->u.set.val ? a : NULL;
  }
  if (!strcmp(h, "do")) return do_form(e, s);
  if (!strcmp(h, "while")) return while_form(e, s);
  if (!strcmp(h, "else") || !strcmp(h, "=>"))
    return bad(e, s->loc, "'%s' is only meaningful inside cond or case", h);
  return named_call(e, s);
}

/* (NAME arg ...): a call of whatever NAME names (a local, a global, a
 * builtin). */
static ast *named_call(ex *e, const sx *s) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  const char *h = sym_name(&e->w->syms, v[0]->u.sym);
  if (!strcmp(h, "format") && !ex_shadowed(e, v[0]->u.sym)) {
    sx *r = ex_format_call(e, s);   /* expand-format.c: (ice-9 format) */
    if (r) return expand(e, r);
  }
  if (!strcmp(h, "throw") && (n == 2 || n == 3) && !ex_shadowed(e, v[0]->u.sym) &&
      v[1]->kind == SX_LIST && v[1]->u.list.n == 2 && is_sym(e, v[1]->u.list.v[0], "quote") &&
      is_sym(e, v[1]->u.list.v[1], "quit")) {
    /* Guile's exit is this throw, and the top level exits for it: the
     * same call (a catch takes both alike) */
    sx *x = ex_mk_list(e, n - 1, s->loc);
    x->u.list.v[0] = ex_mk_sym(e, EX_BUILTIN_HEAD "exit", v[0]->loc);
    if (n == 3) x->u.list.v[1] = (sx *)v[2];
    return expand(e, x);
  }
  if (!strcmp(h, "force-output") && n == 2 && !ex_shadowed(e, v[0]->u.sym) &&
      (is_call_of(e, v[1], "current-output-port") || is_call_of(e, v[1], "current-error-port")))
    n = 1;   /* the port of tvl's force-output, which has nothing to do */
  ast **args = alloc_asts(e, n - 1);
  bool kw = !strcmp(h, "with-exception-handler") || !strcmp(h, "raise-exception");
  for (int i = 1; i < n; i++)
    if (kw && v[i]->kind == SX_SYM && sym_name(&e->w->syms, v[i]->u.sym)[0] == '#')
      args[i - 1] = constant(e, v_sym(v[i]->u.sym), v[i]->loc);   /* #:unwind? */
    else if (!(args[i - 1] = expand(e, v[i])))
      return NULL;
  ast *c = make_call(e, v[0]->u.sym, s->loc, args, n - 1);
  c->u.call.name_loc = v[0]->loc;
  return c;
}

static ast *expand(ex *e, const sx *s) {
  if (e->failed) return NULL;
  switch (s->kind) {
  case SX_INT: return constant(e, v_int((int32_t)s->u.i), s->loc);
  case SX_BIG: return big_constant(e, s);
  case SX_BOOL: return constant(e, v_bool(s->u.b), s->loc);
  case SX_CHAR: return constant(e, v_char((int32_t)s->u.i), s->loc);
  case SX_STR:
    return constant(e, v_str(world_literal_string(e->w, s->u.str.s, s->u.str.n)),
                    s->loc);
  case SX_VEC: return quoted(e, s);
  case SX_SYM: {
    const char *n = sym_name(&e->w->syms, s->u.sym);
    if (n[0] == '#')   /* a keyword (#:name) evaluates to itself */
      return constant(e, v_sym(s->u.sym), s->loc);
    if (is_special(n) && !ex_shadowed(e, s->u.sym))
      return bad(e, s->loc, "'%s' is a special form, not a value", n);
    ast *a = node(e, E_REF, s->loc);
    a->u.ref.name = s->u.sym;
    return a;
  }
  case SX_LIST: return list_form(e, s);
  }
  return NULL;
}

ast *ex_expand_toplevel(world *w, const sx *form, arena *mem, lang_error *err) {
  ex e = {w, mem, err, false, 0, 0, {NULL, 0, 0}, 0};
  const char *h = head_name(&e, form);
  ast *a = h && !strcmp(h, "begin")
               ? (form->u.list.n == 1 ? constant(&e, v_void(), form->loc)
                                      : toplevel_begin(&e, form, true))
               : expand(&e, form);
  VEC_FREE(e.shadow);
  if (e.failed) return NULL;
  ex_convert_local_fns(&e, a);
  return a;
}

/* ---- for expand-more.c ---------------------------------------------- */

ast *ex_expand(ex *e, const sx *s) { return expand(e, s); }
int ex_sym(ex *e, const char *name) { return sym(e, name); }
bool ex_is_sym(ex *e, const sx *s, const char *name) { return is_sym(e, s, name); }
