/* macro.c - define-syntax with syntax-rules (R7RS), on syntax objects.
 *
 * A macro is kept by the world (its rules copied into the world's macro
 * arena, since the form that defined it is freed); a use of it is
 * rewritten here into a new syntax object, in the caller's arena, which
 * the expander then expands as if it had been written.  Patterns: pattern
 * variables, _, literals, lists (proper or dotted), vectors, data, and an
 * ellipsis after one element of a list, at any depth.
 *
 * Hygiene is partial: a name a template binds itself (a let, let*,
 * letrec, do or named-let variable, a lambda parameter) is renamed at each
 * use, so that it cannot capture the user's variables, as in swap!'s tmp.
 * Other names of a template mean what they mean where the macro is used.
 */
#include "config.h"

#include "lang.h"

#include <string.h>

struct macro {
  int name;
  int ellipsis;          /* the symbol ... */
  int underscore;        /* the symbol _ */
  int nlits;
  int *lits;
  int nrules;
  sx **pats, **tmpls;
};

/* ---- copying syntax into the world ---------------------------------- */

static sx *copy_sx(arena *m, const sx *s) {
  sx *d = arena_alloc(m, sizeof *d);
  *d = *s;
  if (s->kind == SX_STR || s->kind == SX_BIG) {
    d->u.str.s = arena_strndup(m, s->u.str.s, s->u.str.n);
  } else if (s->kind == SX_LIST || s->kind == SX_VEC) {
    d->u.list.v = arena_alloc(m, (size_t)(s->u.list.n ? s->u.list.n : 1) * sizeof(sx *));
    for (int i = 0; i < s->u.list.n; i++) d->u.list.v[i] = copy_sx(m, s->u.list.v[i]);
    d->u.list.tail = s->u.list.tail ? copy_sx(m, s->u.list.tail) : NULL;
  }
  return d;
}

static bool is_symbol(const sx *s, int sym) { return s->kind == SX_SYM && s->u.sym == sym; }

const struct macro *mac_find(const world *w, int sym) {
  for (int i = w->macros.n - 1; i >= 0; i--)
    if (w->macros.v[i]->name == sym) return w->macros.v[i];
  return NULL;
}

void mac_forget(world *w, int sym) {
  for (int i = 0; i < w->macros.n; i++)
    if (w->macros.v[i]->name == sym) {
      w->macros.v[i] = w->macros.v[--w->macros.n];
      i--;
    }
}

static bool fail(lang_error *err, srcloc loc, const char *msg) {
  lang_error_set(err, loc, "syntax", "%s", msg);
  return false;
}

/* (define-syntax NAME (syntax-rules (LITERAL ...) (PATTERN TEMPLATE) ...)) */
bool mac_define(world *w, const sx *form, lang_error *err) {
  const sx *const *v = (const sx *const *)form->u.list.v;
  if (form->u.list.n != 3 || v[1]->kind != SX_SYM)
    return fail(err, form->loc, "malformed define-syntax: expected (define-syntax "
                "name (syntax-rules (literal ...) (pattern template) ...))");
  const sx *sr = v[2];
  if (sr->kind != SX_LIST || sr->u.list.n < 2 || sr->u.list.tail ||
      sr->u.list.v[0]->kind != SX_SYM ||
      strcmp(sym_name(&w->syms, sr->u.list.v[0]->u.sym), "syntax-rules"))
    return fail(err, sr->loc, "macros are not supported except as (syntax-rules "
                "(literal ...) (pattern template) ...)");
  const sx *const *r = (const sx *const *)sr->u.list.v;
  int first = 1;
  int ellipsis = sym_intern(&w->syms, "...", 3);
  if (r[1]->kind == SX_SYM) {   /* R7RS: (syntax-rules ELLIPSIS (lit ...) ...) */
    ellipsis = r[1]->u.sym;
    first = 2;
  }
  if (first >= sr->u.list.n || r[first]->kind != SX_LIST || r[first]->u.list.tail)
    return fail(err, sr->loc, "malformed syntax-rules: expected a list of literals");
  for (int i = 0; i < r[first]->u.list.n; i++)
    if (r[first]->u.list.v[i]->kind != SX_SYM)
      return fail(err, r[first]->u.list.v[i]->loc, "a syntax-rules literal must be a symbol");
  for (int i = first + 1; i < sr->u.list.n; i++) {
    const sx *rule = r[i];
    if (rule->kind != SX_LIST || rule->u.list.n != 2 || rule->u.list.tail ||
        rule->u.list.v[0]->kind != SX_LIST || rule->u.list.v[0]->u.list.n < 1)
      return fail(err, rule->loc, "malformed syntax-rules rule: expected "
                  "((name pattern ...) template)");
  }
  arena *m = &w->macro_mem;
  struct macro *mac = arena_alloc(m, sizeof *mac);
  mac->name = v[1]->u.sym;
  mac->ellipsis = ellipsis;
  mac->underscore = sym_intern(&w->syms, "_", 1);
  mac->nlits = r[first]->u.list.n;
  mac->lits = arena_alloc(m, (size_t)(mac->nlits + 1) * sizeof(int));
  for (int i = 0; i < mac->nlits; i++) mac->lits[i] = r[first]->u.list.v[i]->u.sym;
  mac->nrules = sr->u.list.n - first - 1;
  mac->pats = arena_alloc(m, (size_t)(mac->nrules + 1) * sizeof(sx *));
  mac->tmpls = arena_alloc(m, (size_t)(mac->nrules + 1) * sizeof(sx *));
  for (int i = 0; i < mac->nrules; i++) {
    mac->pats[i] = copy_sx(m, r[first + 1 + i]->u.list.v[0]);
    mac->tmpls[i] = copy_sx(m, r[first + 1 + i]->u.list.v[1]);
  }
  mac_forget(w, mac->name);
  VEC_PUSH(w->macros, mac);
  return true;
}

/* ---- matching ------------------------------------------------------- */

/* What a pattern variable matched: one datum, or (under an ellipsis) a
 * sequence of matches. */
typedef struct mnode {
  const sx *leaf;
  struct mnode **items;
  int n;
} mnode;

/* Bindings, newest first; an ellipsis' iteration pushes the item of
 * each sequence variable over its sequence. */
typedef struct bind {
  int sym;
  mnode *m;
  struct bind *next;
} bind;

typedef struct {
  world *w;
  const struct macro *mac;
  arena *tmp;       /* matches and bindings */
  arena *out;       /* the expansion */
  srcloc use;       /* where the macro is used */
  VEC(int) renames; /* template names bound by the template, and their */
  int *fresh;       /* fresh names for this use */
  const char *error;
} mx;

static bool is_literal(const mx *x, int sym) {
  for (int i = 0; i < x->mac->nlits; i++)
    if (x->mac->lits[i] == sym) return true;
  return false;
}

static bool is_ellipsis(const mx *x, const sx *s) { return is_symbol(s, x->mac->ellipsis); }

static bind *push_bind(mx *x, bind *env, int sym, mnode *m) {
  bind *b = arena_alloc(x->tmp, sizeof *b);
  b->sym = sym;
  b->m = m;
  b->next = env;
  return b;
}

static mnode *leaf(mx *x, const sx *s) {
  mnode *m = arena_alloc(x->tmp, sizeof *m);
  m->leaf = s;
  return m;
}

/* The pattern variables of a pattern, bound to empty sequences (an
 * ellipsis that matched nothing). */
static bind *bind_empty(mx *x, const sx *p, bind *env) {
  if (p->kind == SX_SYM) {
    if (p->u.sym == x->mac->underscore || is_literal(x, p->u.sym) || is_ellipsis(x, p))
      return env;
    mnode *m = arena_alloc(x->tmp, sizeof *m);
    return push_bind(x, env, p->u.sym, m);
  }
  if (p->kind == SX_LIST || p->kind == SX_VEC) {
    for (int i = 0; i < p->u.list.n; i++) env = bind_empty(x, p->u.list.v[i], env);
    if (p->u.list.tail) env = bind_empty(x, p->u.list.tail, env);
  }
  return env;
}

static bool match(mx *x, const sx *p, const sx *f, bind **env);

/* The rest of a list from item k: a new list node (or its tail), in the
 * expansion's arena, as a variable may be bound to it. */
static const sx *rest_of(mx *x, const sx *f, int k) {
  if (k == f->u.list.n && f->u.list.tail) return f->u.list.tail;
  sx *r = arena_alloc(x->out, sizeof *r);
  *r = *f;
  r->u.list.v = f->u.list.v + k;
  r->u.list.n = f->u.list.n - k;
  return r;
}

/* A sequence matched by an ellipsis: each item's bindings, gathered per
 * variable into sequence nodes. */
static bool match_seq(mx *x, const sx *p, const sx *const *items, int n,
                      bind **env) {
  bind *vars = bind_empty(x, p, NULL);
  for (bind *b = vars; b; b = b->next) {
    b->m->items = arena_alloc(x->tmp, (size_t)(n ? n : 1) * sizeof(mnode *));
    b->m->n = n;
  }
  for (int j = 0; j < n; j++) {
    bind *one = NULL;
    if (!match(x, p, items[j], &one)) return false;
    for (bind *b = vars; b; b = b->next)
      for (bind *o = one; o; o = o->next)
        if (o->sym == b->sym) b->m->items[j] = o->m;
  }
  for (bind *b = vars; b; b = b->next) *env = push_bind(x, *env, b->sym, b->m);
  return true;
}

static bool match_list(mx *x, const sx *p, const sx *f, bind **env) {
  int pn = p->u.list.n, fn = f->u.list.n, dots = -1;
  for (int i = 0; i + 1 < pn; i++)
    if (is_ellipsis(x, p->u.list.v[i + 1])) dots = i;
  if (dots < 0) {
    if (fn < pn || (!p->u.list.tail && (fn != pn || f->u.list.tail))) return false;
    for (int i = 0; i < pn; i++)
      if (!match(x, p->u.list.v[i], f->u.list.v[i], env)) return false;
    return !p->u.list.tail || match(x, p->u.list.tail, rest_of(x, f, pn), env);
  }
  int after = pn - dots - 2;
  if (fn < dots + after || (!p->u.list.tail && f->u.list.tail)) return false;
  for (int i = 0; i < dots; i++)
    if (!match(x, p->u.list.v[i], f->u.list.v[i], env)) return false;
  int nseq = fn - dots - after;
  if (!match_seq(x, p->u.list.v[dots], (const sx *const *)f->u.list.v + dots, nseq, env))
    return false;
  for (int i = 0; i < after; i++)
    if (!match(x, p->u.list.v[dots + 2 + i], f->u.list.v[dots + nseq + i], env))
      return false;
  return !p->u.list.tail || match(x, p->u.list.tail, rest_of(x, f, fn), env);
}

static bool same_datum(const sx *p, const sx *f) {
  if (p->kind != f->kind) return false;
  switch (p->kind) {
  case SX_INT: case SX_CHAR: return p->u.i == f->u.i;
  case SX_BOOL: return p->u.b == f->u.b;
  case SX_STR: case SX_BIG:
    return p->u.str.n == f->u.str.n && !memcmp(p->u.str.s, f->u.str.s, p->u.str.n);
  default: return false;
  }
}

static bool match(mx *x, const sx *p, const sx *f, bind **env) {
  switch (p->kind) {
  case SX_SYM:
    if (p->u.sym == x->mac->underscore) return true;
    if (is_literal(x, p->u.sym)) return is_symbol(f, p->u.sym);
    *env = push_bind(x, *env, p->u.sym, leaf(x, f));
    return true;
  case SX_LIST:
    if (f->kind != SX_LIST) return false;
    return match_list(x, p, f, env);
  case SX_VEC:
    if (f->kind != SX_VEC) return false;
    return match_list(x, p, f, env);
  default:
    return same_datum(p, f);
  }
}

/* ---- templates ------------------------------------------------------ */

static mnode *lookup(bind *env, int sym) {
  for (; env; env = env->next)
    if (env->sym == sym) return env->m;
  return NULL;
}

static sx *instantiate(mx *x, const sx *t, bind *env, int depth);

static sx *new_sx(mx *x, const sx *like) {
  sx *d = arena_alloc(x->out, sizeof *d);
  *d = *like;
  d->loc = x->use;
  return d;
}

/* The variables of t bound to sequences: how many times t... repeats.
 * -1 when none; -2 when they differ in length. */
static int seq_len(mx *x, const sx *t, bind *env) {
  if (t->kind == SX_SYM) {
    mnode *m = lookup(env, t->u.sym);
    return m && !m->leaf ? m->n : -1;
  }
  if (t->kind != SX_LIST && t->kind != SX_VEC) return -1;
  int len = -1;
  for (int i = 0; i <= t->u.list.n; i++) {
    const sx *e = i < t->u.list.n ? t->u.list.v[i] : t->u.list.tail;
    if (!e) continue;
    int k = seq_len(x, e, env);
    if (k == -2 || (k >= 0 && len >= 0 && k != len)) return -2;
    if (k >= 0) len = k;
  }
  return len;
}

/* Binds the sequence variables of t to their j-th items. */
static bind *nth_env(mx *x, const sx *t, bind *env, bind *base, int j) {
  if (t->kind == SX_SYM) {
    mnode *m = lookup(base, t->u.sym);
    return m && !m->leaf && j < m->n ? push_bind(x, env, t->u.sym, m->items[j]) : env;
  }
  if (t->kind == SX_LIST || t->kind == SX_VEC) {
    for (int i = 0; i < t->u.list.n; i++) env = nth_env(x, t->u.list.v[i], env, base, j);
    if (t->u.list.tail) env = nth_env(x, t->u.list.tail, env, base, j);
  }
  return env;
}

static sx *inst_list(mx *x, const sx *t, bind *env, int depth) {
  VEC(sx *) items = {0};
  int n = t->u.list.n;
  for (int i = 0; i < n && !x->error; i++) {
    const sx *e = t->u.list.v[i];
    if (is_ellipsis(x, e) && i + 1 < n) {   /* (... ...): a literal ... */
      VEC_PUSH(items, new_sx(x, t->u.list.v[++i]));
      continue;
    }
    if (i + 1 < n && is_ellipsis(x, t->u.list.v[i + 1])) {
      int len = seq_len(x, e, env);
      if (len < 0) {
        x->error = len == -1 ? "no pattern variable under an ellipsis before "
                               "this ... in the template"
                             : "pattern variables under one ellipsis matched "
                               "sequences of different lengths";
        break;
      }
      for (int j = 0; j < len && !x->error; j++) {
        sx *d = instantiate(x, e, nth_env(x, e, env, env, j), depth + 1);
        if (d) VEC_PUSH(items, d);
      }
      i++;
      continue;
    }
    sx *d = instantiate(x, e, env, depth);
    if (d) VEC_PUSH(items, d);
  }
  sx *d = new_sx(x, t);
  d->u.list.n = items.n;
  d->u.list.v = arena_alloc(x->out, (size_t)(items.n ? items.n : 1) * sizeof(sx *));
  if (items.n) memcpy(d->u.list.v, items.v, (size_t)items.n * sizeof(sx *));
  d->u.list.tail = t->u.list.tail ? instantiate(x, t->u.list.tail, env, depth) : NULL;
  VEC_FREE(items);
  return d;
}

static sx *instantiate(mx *x, const sx *t, bind *env, int depth) {
  if (x->error) return NULL;
  if (t->kind == SX_SYM) {
    mnode *m = lookup(env, t->u.sym);
    if (m && m->leaf) return (sx *)m->leaf;
    if (m) {
      x->error = "a pattern variable matched under an ellipsis must be "
                 "followed by ... in the template";
      return NULL;
    }
    sx *d = new_sx(x, t);
    for (int i = 0; i < x->renames.n; i++)
      if (x->renames.v[i] == t->u.sym) d->u.sym = x->fresh[i];
    return d;
  }
  if (t->kind == SX_LIST || t->kind == SX_VEC) return inst_list(x, t, env, depth);
  return new_sx(x, t);
}

/* ---- renaming what a template binds --------------------------------- */

static void add_rename(mx *x, const sx *s, bind *env) {
  if (s->kind != SX_SYM || lookup(env, s->u.sym) || is_ellipsis(x, s)) return;
  for (int i = 0; i < x->renames.n; i++)
    if (x->renames.v[i] == s->u.sym) return;
  VEC_PUSH(x->renames, s->u.sym);
}

static void add_bindings(mx *x, const sx *list, bind *env) {
  if (list->kind != SX_LIST) return;
  for (int i = 0; i < list->u.list.n; i++) {
    const sx *b = list->u.list.v[i];
    add_rename(x, b->kind == SX_LIST && b->u.list.n ? b->u.list.v[0] : b, env);
  }
  if (list->u.list.tail) add_rename(x, list->u.list.tail, env);
}

static void find_binders(mx *x, const sx *t, bind *env) {
  if (t->kind != SX_LIST) return;
  const sx *const *v = (const sx *const *)t->u.list.v;
  int n = t->u.list.n;
  const char *h = n && v[0]->kind == SX_SYM ? sym_name(&x->w->syms, v[0]->u.sym) : "";
  if (n >= 2 && (!strcmp(h, "let") || !strcmp(h, "let*") || !strcmp(h, "letrec") ||
                 !strcmp(h, "letrec*") || !strcmp(h, "do"))) {
    if (v[1]->kind == SX_SYM && n >= 3) {   /* named let */
      add_rename(x, v[1], env);
      add_bindings(x, v[2], env);
    } else {
      add_bindings(x, v[1], env);
    }
  } else if (n >= 2 && !strcmp(h, "lambda")) {
    if (v[1]->kind == SX_SYM) add_rename(x, v[1], env);
    else add_bindings(x, v[1], env);
  }
  for (int i = 0; i < n; i++) find_binders(x, v[i], env);
}

/* ---- a use ---------------------------------------------------------- */

sx *mac_expand(world *w, const struct macro *mac, const sx *form, arena *out,
               lang_error *err) {
  arena tmp;
  arena_init(&tmp);
  mx x = {w, mac, &tmp, out, form->loc, {NULL, 0, 0}, NULL, NULL};
  sx *result = NULL;
  int rule = -1;
  bind *env = NULL;
  for (int i = 0; i < mac->nrules && rule < 0; i++) {
    env = NULL;
    /* the macro's own name in the pattern matches anything */
    const sx *p = mac->pats[i];
    sx head = *p;
    head.u.list.v = p->u.list.v + 1;
    head.u.list.n = p->u.list.n - 1;
    sx use = *form;
    use.u.list.v = form->u.list.v + 1;
    use.u.list.n = form->u.list.n - 1;
    if (match(&x, &head, &use, &env)) rule = i;
  }
  if (rule < 0) {
    lang_error_set(err, form->loc, "syntax", "no syntax-rules pattern of %s "
                   "matches this use", sym_name(&w->syms, mac->name));
  } else {
    find_binders(&x, mac->tmpls[rule], env);
    x.fresh = arena_alloc(&tmp, (size_t)(x.renames.n + 1) * sizeof(int));
    for (int i = 0; i < x.renames.n; i++) {
      char name[160];
      snprintf(name, sizeof name, "%s %s-%lld", sym_name(&w->syms, x.renames.v[i]),
               sym_name(&w->syms, mac->name), (long long)++w->macro_uses);
      x.fresh[i] = sym_intern(&w->syms, name, strlen(name));
    }
    result = instantiate(&x, mac->tmpls[rule], env, 0);
    if (x.error) {
      lang_error_set(err, form->loc, "syntax", "in the expansion of %s: %s",
                     sym_name(&w->syms, mac->name), x.error);
      result = NULL;
    }
  }
  VEC_FREE(x.renames);
  arena_free(&tmp);
  return result;
}
