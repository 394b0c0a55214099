/* expand-while.c - break and continue in a while, as Guile binds them.
 *
 * Guile's (while TEST BODY ...) binds `break` and `continue` in TEST and
 * BODY: (break) leaves the loop, whose value is then #t, (break X ...)
 * gives the Xs as its values, (continue) starts the next round at TEST,
 * and a loop whose TEST turns false gives #f.  Both are usable from
 * anywhere inside (a lambda passed to for-each, a nested procedure), and
 * the program may rebind the names (a let of its own `break` inside the
 * body means its own).  A while whose TEST and BODY do not mention either
 * name is expanded by expander.c as before and pays nothing; one that
 * does is rewritten here into core syntax, one of two ways:
 *
 * - When every use is a call in a tail position of a statement of the
 *   body (through if, when, unless, cond, begin, let and let*), as in
 *   (if (= i 5) (break)), the loop needs no escape: the rest of the body
 *   follows each other tail of the statement, a (break X) tail becomes
 *   the loop's value and a (continue) tail the next round:
 *     (let L () (if TEST (begin ... (if (= i 5) #t (begin REST ... (L))))
 *                   #f))
 *   The rest is copied after each tail that falls through, so this is
 *   done only when one tail does, the rest is just (L) or small
 *   (MAX_COPIED); it moves into a let only when it does not mention the
 *   let's names (which would capture them).
 * - Otherwise the names are bound to procedures that escape through
 *   continuations (call/cc, which compiles for escapes):
 *     (call/cc (lambda (BK)
 *       (let ((break (lambda (x) (BK x))))
 *         (let LP ()
 *           (if (call/cc (lambda (CK)
 *                 (let ((continue (lambda () (CK #t))))
 *                   (let L () (if TEST (begin BODY ... (L)) #f)))))
 *               (LP) #f)))))
 *   with only the parts for the names used: one call/cc per while run
 *   for break, one per round continued for continue.  `break` takes the
 *   numbers of arguments it is called with (a rest parameter when there
 *   are several, or when it is used as a value).
 *
 * As in Guile, (continue X) is a syntax error.  A while nested in the body
 * binds its own names, so its uses are not this loop's.  Names the
 * rewriting binds hold a space: the program cannot see them.
 */
#include "config.h"

#include "expander.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HIDDEN_LOOP "while loop"       /* as expander.c's while */
#define HIDDEN_ROUND "while round"
#define HIDDEN_BREAK_K "while break"
#define HIDDEN_CONT_K "while continue"
#define HIDDEN_ARG "while value"
#define MAX_BREAK_ARGS 8
#define MAX_COPIED 64        /* syntax nodes of the rest copied, in all */

/* ---- building syntax -------------------------------------------------- */

#define mk ex_mk
#define mk_sym ex_mk_sym
#define mk_list ex_mk_list

static sx *mk_bool(ex *e, bool b, srcloc loc) {
  sx *s = mk(e, SX_BOOL, loc);
  s->u.b = b;
  return s;
}

/* (A B ...) of n forms given as arguments, NULL-free */
static sx *form(ex *e, srcloc loc, int n, ...) {
  sx *s = mk_list(e, n, loc);
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) s->u.list.v[i] = va_arg(ap, sx *);
  va_end(ap);
  return s;
}

static sx *call0(ex *e, const char *name, srcloc loc) {
  return form(e, loc, 1, mk_sym(e, name, loc));
}

/* (let NAME () BODY): a loop of no variables */
static sx *named_let0(ex *e, const char *name, sx *body, srcloc loc) {
  return form(e, loc, 4, mk_sym(e, "let", loc), mk_sym(e, name, loc),
              mk_list(e, 0, loc), body);
}

/* ---- what the loop uses ------------------------------------------------ */

typedef struct {
  int brk, cont;           /* the symbols break and continue */
  unsigned arities;        /* bit n: (break x1 ... xn) is called */
  bool break_value;        /* break used other than as a call's head */
  bool cont_used;
  const sx *cont_args;     /* a (continue X ...): Guile refuses it */
} uses;

static void scan(ex *e, const sx *s, uses *u) {
  if (s->kind == SX_SYM) {
    if (s->u.sym == u->brk) u->break_value = true;
    if (s->u.sym == u->cont) u->cont_used = true;
    return;
  }
  if (s->kind != SX_LIST || s->u.list.n == 0) return;
  const sx *h = s->u.list.v[0];
  int from = 0;
  if (ex_is_sym(e, h, "quote") || ex_is_sym(e, h, "while")) return;
  if (h->kind == SX_SYM && h->u.sym == u->brk) {
    int n = s->u.list.n - 1;
    if (n > MAX_BREAK_ARGS) u->break_value = true;
    else u->arities |= 1u << n;
    from = 1;
  } else if (h->kind == SX_SYM && h->u.sym == u->cont) {
    u->cont_used = true;
    if (s->u.list.n > 1 && !u->cont_args) u->cont_args = s;
    from = 1;
  }
  for (int i = from; i < s->u.list.n; i++) scan(e, s->u.list.v[i], u);
  if (s->u.list.tail) scan(e, s->u.list.tail, u);
}

static uses uses_of(ex *e, const sx *s) {
  uses u = {ex_sym(e, "break"), ex_sym(e, "continue"), 0, false, false, NULL};
  for (int i = 1; i < s->u.list.n; i++) scan(e, s->u.list.v[i], &u);
  return u;
}

static bool used(const uses *u) {
  return u->arities || u->break_value || u->cont_used;
}

static bool mentions(ex *e, const sx *s, const uses *u) {
  uses v = {u->brk, u->cont, 0, false, false, NULL};
  scan(e, s, &v);
  return used(&v);
}

bool ex_while_mentions(ex *e, const sx *s) {
  uses u = uses_of(e, s);
  return used(&u);
}

/* ---- without an escape ------------------------------------------------ */

typedef struct {
  ex *e;
  const uses *u;
  const sx *again;  /* (L): the next round, a rest that binds no name */
  int falls;        /* the tails of the statement that go on to the rest */
  bool fail;        /* a use that is not a tail call: escapes are needed */
} tails;

/* Does symbol sym occur in s (anywhere, quoted or not)? */
static bool has_sym(const sx *s, int sym) {
  if (s->kind == SX_SYM) return s->u.sym == sym;
  if (s->kind != SX_LIST) return false;
  for (int i = 0; i < s->u.list.n; i++)
    if (has_sym(s->u.list.v[i], sym)) return true;
  return s->u.list.tail && has_sym(s->u.list.tail, sym);
}

/* The syntax nodes of s: what a copy of it costs. */
static int size_of(const sx *s) {
  int n = 1;
  if (s->kind == SX_LIST) {
    for (int i = 0; i < s->u.list.n; i++) n += size_of(s->u.list.v[i]);
    if (s->u.list.tail) n += size_of(s->u.list.tail);
  }
  return n;
}

/* Can the rest of the round move into the scope of a local named by
 * name_sx (a let variable, an internal define)?  Not when it is break or
 * continue (the program's own then) or the rest mentions it. */
static bool movable(tails *t, const sx *name_sx, const sx *rest) {
  if (name_sx->kind != SX_SYM || name_sx->u.sym == t->u->brk ||
      name_sx->u.sym == t->u->cont ||
      (rest != t->again && has_sym(rest, name_sx->u.sym)))
    t->fail = true;
  return !t->fail;
}

static bool is_head(ex *e, const sx *s, const char *name) {
  return s->kind == SX_LIST && !s->u.list.tail && s->u.list.n > 0 &&
         ex_is_sym(e, s->u.list.v[0], name);
}

static bool clean(tails *t, const sx *s) {
  if (mentions(t->e, s, t->u)) t->fail = true;
  return !t->fail;
}

/* (begin A ... REST) with the forms of a begin REST spliced */
static sx *then(ex *e, const sx *const *a, int n, sx *rest, srcloc loc) {
  bool splice = is_head(e, rest, "begin");
  int m = splice ? rest->u.list.n - 1 : 1;
  sx *s = mk_list(e, 1 + n + m, loc);
  s->u.list.v[0] = mk_sym(e, "begin", loc);
  for (int i = 0; i < n; i++) s->u.list.v[1 + i] = (sx *)a[i];
  for (int i = 0; i < m; i++)
    s->u.list.v[1 + n + i] = splice ? rest->u.list.v[1 + i] : rest;
  return s;
}

static sx *tail(tails *t, const sx *s, sx *rest);

/* the forms v[0..n-1] of a body, the last in tail position */
static sx *tail_seq(tails *t, const sx *const *v, int n, sx *rest,
                    srcloc loc) {
  for (int i = 0; i < n - 1; i++)
    if (!clean(t, v[i])) return NULL;
  sx *last = tail(t, v[n - 1], rest);
  if (!last) return NULL;
  return n == 1 ? last : then(t->e, v, n - 1, last, loc);
}

static sx *fall(tails *t, sx *rest) {
  t->falls++;
  return rest;
}

/* statement s, then the rest of the round */
static sx *tail(tails *t, const sx *s, sx *rest) {
  ex *e = t->e;
  const uses *u = t->u;
  if (!mentions(e, s, u)) {
    t->falls++;
    return then(e, &s, 1, rest, s->loc);
  }
  if (s->kind != SX_LIST || s->u.list.tail || s->u.list.n == 0)
    return t->fail = true, NULL;
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  srcloc loc = s->loc;
  if (v[0]->kind == SX_SYM && v[0]->u.sym == u->brk) {
    for (int i = 1; i < n; i++)
      if (!clean(t, v[i])) return NULL;
    if (n == 1) return mk_bool(e, true, loc);
    if (n == 2) return (sx *)v[1];
    sx *c = mk_list(e, n, loc);
    c->u.list.v[0] = mk_sym(e, EX_BUILTIN_HEAD "values", v[0]->loc);
    for (int i = 1; i < n; i++) c->u.list.v[i] = (sx *)v[i];
    return c;
  }
  if (v[0]->kind == SX_SYM && v[0]->u.sym == u->cont)
    return n == 1 ? call0(e, HIDDEN_LOOP, loc) : (t->fail = true, NULL);
  if ((is_head(e, s, "if") && (n == 3 || n == 4))) {
    if (!clean(t, v[1])) return NULL;
    sx *a = tail(t, v[2], rest);
    sx *b = a ? (n == 4 ? tail(t, v[3], rest) : fall(t, rest)) : NULL;
    return b ? form(e, loc, 4, (sx *)v[0], (sx *)v[1], a, b) : NULL;
  }
  if ((is_head(e, s, "when") || is_head(e, s, "unless")) && n >= 3) {
    if (!clean(t, v[1])) return NULL;
    sx *a = tail_seq(t, v + 2, n - 2, rest, loc);
    if (!a) return NULL;
    bool when = is_head(e, s, "when");
    return form(e, loc, 4, mk_sym(e, "if", v[0]->loc), (sx *)v[1],
                when ? a : fall(t, rest), when ? fall(t, rest) : a);
  }
  if (is_head(e, s, "begin") && n >= 2)
    return tail_seq(t, v + 1, n - 1, rest, loc);
  if ((is_head(e, s, "let") || is_head(e, s, "let*")) && n >= 3 &&
      v[1]->kind == SX_LIST && !v[1]->u.list.tail) {
    /* the rest moves into the let: it must not see the let's names */
    for (int i = 0; i < v[1]->u.list.n; i++) {
      const sx *b = v[1]->u.list.v[i];
      if (b->kind != SX_LIST || b->u.list.tail || b->u.list.n != 2)
        return t->fail = true, NULL;
      if (!movable(t, b->u.list.v[0], rest) || !clean(t, b->u.list.v[1]))
        return NULL;
    }
    for (int i = 2; i < n; i++) {
      const sx *d = v[i];
      if (is_head(e, d, "begin") || is_head(e, d, "define-values"))
        if (rest != t->again) return t->fail = true, NULL;
      if (is_head(e, d, "define") && d->u.list.n >= 2) {
        const sx *name = d->u.list.v[1];
        if (name->kind == SX_LIST && name->u.list.n > 0) name = name->u.list.v[0];
        if (!movable(t, name, rest)) return NULL;
      }
    }
    sx *body = tail_seq(t, v + 2, n - 2, rest, loc);
    return body ? form(e, loc, 3, (sx *)v[0], (sx *)v[1], body) : NULL;
  }
  if (is_head(e, s, "cond") && n >= 2) {
    sx *chain = NULL;
    int i = n - 1;
    const sx *c = v[i];
    if (is_head(e, c, "else")) {
      if (c->u.list.n < 2) return t->fail = true, NULL;
      chain = tail_seq(t, (const sx *const *)c->u.list.v + 1, c->u.list.n - 1,
                       rest, c->loc);
      if (!chain) return NULL;
      i--;
    } else {
      chain = fall(t, rest);
    }
    for (; i >= 1; i--) {
      c = v[i];
      if (c->kind != SX_LIST || c->u.list.tail || c->u.list.n < 2 ||
          is_head(e, c, "else") || ex_is_sym(e, c->u.list.v[1], "=>"))
        return t->fail = true, NULL;
      if (!clean(t, c->u.list.v[0])) return NULL;
      sx *body = tail_seq(t, (const sx *const *)c->u.list.v + 1,
                          c->u.list.n - 1, rest, c->loc);
      if (!body) return NULL;
      chain = form(e, c->loc, 4, mk_sym(e, "if", c->loc), c->u.list.v[0],
                   body, chain);
    }
    return chain;
  }
  return t->fail = true, NULL;
}

/* the loop without an escape, or NULL when a use needs one */
static sx *direct(ex *e, const sx *s, const uses *u) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  srcloc loc = s->loc;
  if (mentions(e, v[1], u)) return NULL;
  sx *again = call0(e, HIDDEN_LOOP, loc);
  sx *rest = again;
  for (int i = n - 1; i >= 2; i--) {
    tails t = {e, u, again, 0, false};
    sx *r = tail(&t, v[i], rest);
    /* copies of the rest: a few small ones, not a blow-up */
    if (!r || (t.falls > 1 && rest != again &&
               (t.falls - 1) * size_of(rest) > MAX_COPIED))
      return NULL;
    rest = r;
  }
  return named_let0(e, HIDDEN_LOOP,
                    form(e, loc, 4, mk_sym(e, "if", loc), (sx *)v[1], rest,
                         mk_bool(e, false, loc)),
                    loc);
}

/* ---- with escapes ------------------------------------------------------ */

/* (let ((NAME PROC)) BODY) */
static sx *let1(ex *e, int name, sx *proc, sx *body, srcloc loc) {
  sx *b = mk(e, SX_SYM, loc);
  b->u.sym = name;
  return form(e, loc, 3, mk_sym(e, "let", loc),
              form(e, loc, 1, form(e, loc, 2, b, proc)), body);
}

/* (lambda (K) BODY) called by call/cc */
static sx *callcc(ex *e, const char *k, sx *body, srcloc loc) {
  return form(e, loc, 2, mk_sym(e, EX_BUILTIN_HEAD "call/cc", loc),
              form(e, loc, 3, mk_sym(e, "lambda", loc),
                   form(e, loc, 1, mk_sym(e, k, loc)), body));
}

/* (K #t) or (K X1 ... Xn), the Xs given by x(i) */
static sx *break_to(ex *e, int n, sx *(*x)(ex *, int, srcloc), srcloc loc) {
  sx *c = mk_list(e, n ? n + 1 : 2, loc);
  c->u.list.v[0] = mk_sym(e, HIDDEN_BREAK_K, loc);
  if (!n) c->u.list.v[1] = mk_bool(e, true, loc);
  for (int i = 0; i < n; i++) c->u.list.v[i + 1] = x(e, i, loc);
  return c;
}

static sx *param(ex *e, int i, srcloc loc) {
  char name[32];
  snprintf(name, sizeof name, HIDDEN_ARG " %d", i + 1);
  return mk_sym(e, name, loc);
}

static sx *int_sx(ex *e, int i, srcloc loc) {
  sx *k = mk(e, SX_INT, loc);
  k->u.i = i;
  return k;
}

/* (list-ref ARGS i) */
static sx *nth_arg(ex *e, int i, srcloc loc) {
  return form(e, loc, 3, mk_sym(e, EX_BUILTIN_HEAD "list-ref", loc),
              mk_sym(e, HIDDEN_ARG "s", loc), int_sx(e, i, loc));
}

/* break: (lambda (X ...) (K X ...)) when every call gives it the same
 * number of arguments; otherwise a procedure of any number, up to the
 * most it is called with (at least one when it is used as a value), which
 * picks its call of K by their count.  (A rest parameter rather than a
 * case-lambda: the lowering refuses some uses of a case-lambda value.) */
static sx *break_proc(ex *e, const uses *u, srcloc loc) {
  unsigned a = u->arities;
  int top = u->break_value ? 1 : 0, count = 0;
  for (int i = 0; i <= MAX_BREAK_ARGS; i++)
    if (a & (1u << i)) top = top > i ? top : i, count++;
  if (count == 1 && !u->break_value) {
    sx *params = mk_list(e, top, loc);
    for (int i = 0; i < top; i++) params->u.list.v[i] = param(e, i, loc);
    return form(e, loc, 3, mk_sym(e, "lambda", loc), params,
                break_to(e, top, param, loc));
  }
  sx *n = mk_sym(e, HIDDEN_ARG " count", loc);
  sx *msg = mk(e, SX_STR, loc);
  msg->u.str.s = "break: too many arguments:";
  msg->u.str.n = strlen(msg->u.str.s);
  sx *chain = form(e, loc, 3, mk_sym(e, EX_BUILTIN_HEAD "error", loc), msg, n);
  for (int i = top; i >= 0; i--)
    chain = form(e, loc, 4, mk_sym(e, "if", loc),
                 form(e, loc, 3, mk_sym(e, EX_BUILTIN_HEAD "=", loc), n,
                      int_sx(e, i, loc)),
                 break_to(e, i, nth_arg, loc), chain);
  sx *len = form(e, loc, 2, mk_sym(e, EX_BUILTIN_HEAD "length", loc),
                 mk_sym(e, HIDDEN_ARG "s", loc));
  return form(e, loc, 3, mk_sym(e, "lambda", loc), mk_sym(e, HIDDEN_ARG "s", loc),
              let1(e, n->u.sym, len, chain, loc));
}

static sx *escaping(ex *e, const sx *s, const uses *u) {
  const sx *const *v = (const sx *const *)s->u.list.v;
  int n = s->u.list.n;
  srcloc loc = s->loc;
  sx *body = mk_list(e, n, loc);   /* (begin BODY ... (L)) */
  body->u.list.v[0] = mk_sym(e, "begin", loc);
  for (int i = 2; i < n; i++) body->u.list.v[i - 1] = (sx *)v[i];
  body->u.list.v[n - 1] = call0(e, HIDDEN_LOOP, loc);
  sx *loop = named_let0(e, HIDDEN_LOOP,
                        form(e, loc, 4, mk_sym(e, "if", loc), (sx *)v[1],
                             body, mk_bool(e, false, loc)),
                        loc);
  if (u->cont_used) {
    sx *cont = form(e, loc, 3, mk_sym(e, "lambda", loc), mk_list(e, 0, loc),
                    form(e, loc, 2, mk_sym(e, HIDDEN_CONT_K, loc),
                         mk_bool(e, true, loc)));
    sx *round = callcc(e, HIDDEN_CONT_K, let1(e, u->cont, cont, loop, loc), loc);
    loop = named_let0(e, HIDDEN_ROUND,
                      form(e, loc, 4, mk_sym(e, "if", loc), round,
                           call0(e, HIDDEN_ROUND, loc), mk_bool(e, false, loc)),
                      loc);
  }
  if (u->arities || u->break_value)
    loop = callcc(e, HIDDEN_BREAK_K,
                  let1(e, u->brk, break_proc(e, u, loc), loop, loc), loc);
  return loop;
}

ast *ex_while_escapes(ex *e, const sx *s) {
  uses u = uses_of(e, s);
  if (u.cont_args)
    return ex_bad(e, u.cont_args->loc, "continue takes no arguments");
  sx *x = direct(e, s, &u);
  return ex_expand(e, x ? x : escaping(e, s, &u));
}
