/* lower-applymap.c - (apply map f lists) and (apply for-each f lists)
 * with more lists than lower-apply.c's unrolled cases: one loop inside
 * the model, as lang/builtins.c map_each runs it (the matrix transpose
 * (apply map list rows)).
 *
 * The evaluator's apply copies its arguments into a scratch vector on
 * the heap (lower-apply.c makes that vector, of the same cells, and
 * never reads it); map then keeps its lists in a C array, outside the
 * heap.  Here the scratch vector holds the lists' cursors, element i
 * list i (from 1; f stays out of it), so that the loop needs no cells of
 * its own for them.  The order of the evaluator's checks is kept: the
 * table's check that f is a procedure, at most 16 lists, then each list
 * proper (its argument number written by the model) and all of one
 * length, in order.  Each call of f is a spread call, as apply's (so a
 * closure, a builtin of any number of arguments, a rest parameter are
 * called as apply calls them), on a list of the lists' cars: that list,
 * of as many new pairs as there are lists, is made once per call of map
 * (cells the evaluator does not use: tvl(1) says so) and its cars set
 * before each call; the callee never holds its pairs (a rest parameter
 * gets a copy, a builtin the elements).  The calls are one deeper than
 * apply's call, in order.
 *
 * Left out: a cheaper way to the exact heap would be a spread call that
 * reads its arguments from the cursors in the vector (lower-apply.c,
 * lower-apply2.c and lower-bval.c walk a list).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-apply.h"
#include "lower-build.h"

#include <string.h>

enum { MAX_LISTS = 16 };   /* builtins.c map_each */

bool lw_apply_map_ok(const builtin *b) {
  static const char *const names[] = {"map", "for-each", "vector-map", "vector-for-each",
                                      "fold", NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], b->name)) return true;
  return false;
}


/* v[i] := x (i a variable). */
static void vset(lw *c, int v, int i, ir_expr *x, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_VSET, loc);
  s->a[0] = var(c, v, loc);
  s->a[1] = var(c, i, loc);
  s->a[2] = x;
  lw_unify(c, ir_elem_type(c->p, c->p->vars.v[v].type), x->type, loc, "a vector element");
}

/* the car of pair variable p := x */
static void pset_car(lw *c, int p, ir_expr *x, srcloc loc) {
  ir_stmt *ps = lw_emit(c, S_PSET, loc);
  ps->a[0] = lw_retype(c, var(c, p, loc), T_PAIR);
  ps->a[1] = x;
  ps->l1 = 0;
  lw_unify(c, lw_pair_part(c, c->p->vars.v[p].type, false), x->type, loc, "a pair's car");
}

static void add_to(lw *c, int v, int k, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), kint(c, k, loc), T_INT, loc), loc);
}

/* The site the evaluator gives map's errors and calls: the call of
 * apply, without arguments (eval.c ev_call_tail). */
static ast *bare_site(lw *c, const builtin *b, int n, srcloc loc) {
  ast *site = arena_alloc(&c->p->mem, sizeof *site);
  memset(site, 0, sizeof *site);
  site->kind = E_CALL;
  site->loc = loc;
  site->u.call.name = sym_intern(&c->w->syms, b->name, (int)strlen(b->name));
  site->u.call.name_loc = loc;
  site->u.call.r.kind = REF_BUILTIN;
  site->u.call.r.bi = b;
  site->u.call.n = n;
  site->u.call.args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof(ast *));
  for (int i = 0; i < n; i++) {
    ast *x = arena_alloc(&c->p->mem, sizeof *x);
    memset(x, 0, sizeof *x);
    x->kind = E_CONST;
    x->loc = loc;
    x->u.k = v_void();
    site->u.call.args[i] = x;
  }
  return site;
}

/* The table's and the evaluator's first checks: f a procedure (into
 * *fp), at most 16 sequences; *total := s->a[1]; *seqs := the list past
 * f.  The lists (of map, for-each, fold) into the scratch vector from
 * element 1 (fold: its start, at 1, into *knil instead).  Vectors stay
 * out of it: the scratch's cells are of its fill's class, and a vector
 * there would make the vectors' class one of mixed kinds after their
 * other uses were lowered as vectors (lower-hof.c reads them so). */
static bool start(lw *c, const ir_stmt *s, const builtin *b, int vec, int *fp, int *total,
                  int *seqs, int *knil, int end) {
  srcloc loc = s->loc;
  const char *op = b->name;
  bool fold = !strcmp(op, "fold"), store = op[0] != 'v';
  int k = s->nargs;
  *total = temp_of(c, T_INT, loc);
  lw_assign(c, *total, s->a[1], loc);
  /* f: the first leading operand, or the list's first element */
  int f = temp(c, loc), cur = temp(c, loc);
  lw_assign(c, cur, s->a[2], loc);
  if (k > 0) {
    lw_assign(c, f, s->args[0], loc);
  } else {
    lw_assign(c, f, pair_part(c, cur, false, loc), loc);
    lw_assign(c, cur, pair_part(c, cur, true, loc), loc);
  }
  *seqs = temp(c, loc);
  lw_assign(c, *seqs, var(c, cur, loc), loc);
  /* the table's check: a procedure (the evaluator's kind error, at the
   * call of apply) */
  ast *site0 = bare_site(c, b, 0, loc);
  ir_expr *ops[1] = {var(c, f, loc)};
  *fp = temp(c, loc);
  lw_assign(c, *fp, lw_checked_arg(c, site0, op, ops, 0, T_PROC), loc);
  /* at most 16 lists or vectors (fold: past its start) */
  {
    int ok = lw_new_label(c), bad = lw_new_label(c);
    branch(c, prim(c, "<=", var(c, *total, loc), kint(c, MAX_LISTS + 1 + fold, loc), T_BOOL,
                   loc), ok, bad, loc);
    lw_label(c, bad, loc);
    char text[64];
    snprintf(text, sizeof text, "%s: at most %d %s", op, MAX_LISTS,
             op[0] == 'v' ? "vectors" : "lists");
    lw_ll_err_text(c, arena_strdup(&c->p->mem, text), loc);
    lw_ll_err_raise(c, loc, "arity", "");
    jump(c, end, loc);
    lw_label(c, ok, loc);
  }
  if (!store) return !c->failed;
  /* the lists into the scratch vector, from element 1 (fold: its start
   * at 1, not stored) */
  int i = temp_of(c, T_INT, loc);
  lw_assign(c, i, kint(c, 1, loc), loc);
  if (fold) *knil = temp(c, loc);
  for (int j = 1; j < k; j++) {
    if (fold && j == 1) lw_assign(c, *knil, s->args[j], loc);
    else vset(c, vec, i, s->args[j], loc);
    add_to(c, i, 1, loc);
  }
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "pair?", var(c, cur, loc), NULL, T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  if (fold && k <= 1) {
    int take = lw_new_label(c), put = lw_new_label(c), next = lw_new_label(c);
    branch(c, prim(c, "=", var(c, i, loc), kint(c, 1, loc), T_BOOL, loc), take, put, loc);
    lw_label(c, take, loc);
    lw_assign(c, *knil, pair_part(c, cur, false, loc), loc);
    jump(c, next, loc);
    lw_label(c, put, loc);
    vset(c, vec, i, pair_part(c, cur, false, loc), loc);
    lw_label(c, next, loc);
  } else {
    vset(c, vec, i, pair_part(c, cur, false, loc), loc);
  }
  lw_assign(c, cur, pair_part(c, cur, true, loc), loc);
  add_to(c, i, 1, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return !c->failed;
}

/* The vectors (the sequences of vector-map, vector-for-each: the leading
 * operands past f, then the list's elements past f), each into a
 * variable of its own (a leading one) or of the list's elements, and
 * its number among apply's arguments (from 1: f is 1) into num: each
 * given to `each`. */
typedef void vec_fn(lw *c, void *st, int v, int num, srcloc loc);

static void each_vector(lw *c, const ir_stmt *s, int seqs, vec_fn *each, void *st,
                        srcloc loc) {
  int num = temp_of(c, T_INT, loc);
  for (int j = 1; j < s->nargs; j++) {
    int v = temp(c, loc);
    lw_assign(c, v, s->args[j], loc);
    lw_assign(c, num, kint(c, j + 1, loc), loc);
    each(c, st, v, num, loc);
  }
  lw_assign(c, num, kint(c, s->nargs > 0 ? s->nargs : 1, loc), loc);
  int cur = temp(c, loc), v = temp(c, loc);
  lw_assign(c, cur, var(c, seqs, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "pair?", var(c, cur, loc), NULL, T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  lw_assign(c, v, pair_part(c, cur, false, loc), loc);
  lw_assign(c, cur, pair_part(c, cur, true, loc), loc);
  add_to(c, num, 1, loc);
  each(c, st, v, num, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
}

/* map, for-each: each list proper (its number in the error: i + 1), all
 * of one length; fold: each proper, from element 2 (its start at 1) */
static void check_lists(lw *c, const char *op, int vec, int total, int from, int end,
                        srcloc loc) {
  int i = temp_of(c, T_INT, loc), first = temp_of(c, T_INT, loc);
  int num = temp_of(c, T_INT, loc), l = temp(c, loc);
  lw_assign(c, i, kint(c, from, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  int next = lw_new_label(c), firstl = lw_new_label(c), later = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, i, loc), var(c, total, loc), T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  lw_assign(c, l, vref_var(c, vec, i, loc), loc);
  lw_assign(c, num, prim(c, "+", var(c, i, loc), kint(c, 1, loc), T_INT, loc), loc);
  int len = lw_ll_length_dyn(c, l, op, num, loc, loc);
  if (from == 1) {
    branch(c, prim(c, "=", var(c, i, loc), kint(c, 1, loc), T_BOOL, loc), firstl, later, loc);
    lw_label(c, firstl, loc);
    lw_assign(c, first, var(c, len, loc), loc);
    jump(c, next, loc);
    lw_label(c, later, loc);
    lw_hof_same_length(c, op, first, len, end, loc);   /* lower-hof.c */
  }
  jump(c, next, loc);
  lw_label(c, next, loc);
  add_to(c, i, 1, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
}

/* vector-map, vector-for-each: each a vector, in order (builtins.c
 * list_error: the value written, cut); the shortest's length in len. */
typedef struct {
  const char *op;
  int len, first, p, j;
} vec_st;

static void check_one(lw *c, void *p, int v, int num, srcloc loc) {
  vec_st *st = p;
  int ok = lw_new_label(c), bad = lw_new_label(c), lv = temp_of(c, T_VEC, loc);
  branch(c, prim(c, "vector?", var(c, v, loc), NULL, T_BOOL, loc), ok, bad, loc);
  lw_label(c, bad, loc);
  char text[64];
  snprintf(text, sizeof text, "%s: argument ", st->op);
  lw_ll_err_text(c, arena_strdup(&c->p->mem, text), loc);
  lw_ll_err_write(c, var(c, num, loc), loc);
  static const char mid[] = {' ', 'm', 'u', 's', 't', ' ', 'b', 'e', ' ', 'a', ' ', 'v', 'e',
                             'c', 't', 'o', 'r', ',', ' ', 'n', 'o', 't', ' ', ERRTEXT_CUT, 0};
  lw_ll_err_text(c, mid, loc);
  lw_ll_err_write(c, var(c, v, loc), loc);
  static const char cut[] = {ERRTEXT_CUT, 0};
  lw_ll_err_text(c, cut, loc);
  lw_ll_err_raise(c, loc, "type", "");
  jump(c, ok, loc);
  lw_label(c, ok, loc);
  lw_assign(c, lv, lw_retype(c, var(c, v, loc), T_VEC), loc);
  int first = lw_new_label(c), later = lw_new_label(c), shorter = lw_new_label(c);
  int next = lw_new_label(c);
  branch(c, var(c, st->first, loc), first, later, loc);
  lw_label(c, later, loc);
  branch(c, prim(c, "<", vlen_var(c, lv, loc), var(c, st->len, loc), T_BOOL, loc), shorter,
         next, loc);
  lw_label(c, first, loc);
  lw_label(c, shorter, loc);
  lw_assign(c, st->len, vlen_var(c, lv, loc), loc);
  lw_assign(c, st->first, kbool(c, false, loc), loc);
  lw_label(c, next, loc);
}

/* the car of the argument list's pair p := element j of vector v, p to
 * its cdr */
static void put_elem(lw *c, void *p, int v, int num, srcloc loc) {
  vec_st *st = p;
  (void)num;
  int lv = temp_of(c, T_VEC, loc);
  lw_assign(c, lv, lw_retype(c, var(c, v, loc), T_VEC), loc);
  pset_car(c, st->p, vref_var(c, lv, st->j, loc), loc);
  lw_assign(c, st->p, pair_part(c, st->p, true, loc), loc);
}

/* To `yes` when another call is due, else to `no`: map's first list a
 * pair (all are of one length), a vector index below the shortest's
 * length, fold's lists all pairs. */
static void more(lw *c, const char *op, int vec, int total, int j, int len, int yes, int no,
                 srcloc loc) {
  int i = temp_of(c, T_INT, loc), l = temp(c, loc);
  if (op[0] == 'v') {
    branch(c, prim(c, "<", var(c, j, loc), var(c, len, loc), T_BOOL, loc), yes, no, loc);
    return;
  }
  bool fold = !strcmp(op, "fold");
  lw_assign(c, i, kint(c, fold ? 2 : 1, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), pair = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, i, loc), var(c, total, loc), T_BOOL, loc), body, yes, loc);
  lw_label(c, body, loc);
  lw_assign(c, l, vref_var(c, vec, i, loc), loc);
  branch(c, prim(c, "pair?", var(c, l, loc), NULL, T_BOOL, loc), pair, no, loc);
  lw_label(c, pair, loc);
  if (!fold) {   /* one is enough */
    jump(c, yes, loc);
    return;
  }
  add_to(c, i, 1, loc);
  jump(c, head, loc);
}

/* The loop for a number of arguments (s->a[1]) over hi (the unrolled
 * cases take those up to hi). */
void lw_apply_map(lw *c, const ir_stmt *s, const ast *a, const builtin *b, int hi, bool ret,
                  int end) {
  (void)a;
  srcloc loc = s->loc;
  const char *op = b->name;
  bool vecs = op[0] == 'v', fold = !strcmp(op, "fold");
  bool keep = op[0] == 'm' || !strcmp(op, "vector-map");
  if (s->scratch <= 0) {
    lw_fail(c, loc, "internal error: apply of %s without its scratch vector", op);
    return;
  }
  int vec = s->scratch - 1;
  if (s->l2 > 0 && s->l2 - 1 <= hi) {   /* never: an unrolled case took it */
    jump(c, end, loc);
    return;
  }
  int fp, total, seqs, knil = -1;
  if (!start(c, s, b, vec, &fp, &total, &seqs, &knil, end)) return;
  int len = -1;
  vec_st vs = {op, -1, -1, -1, -1};
  if (vecs) {
    vs.len = len = temp_of(c, T_INT, loc);
    vs.first = temp_of(c, T_BOOL, loc);
    lw_assign(c, vs.first, kbool(c, true, loc), loc);
    each_vector(c, s, seqs, check_one, &vs, loc);
  } else {
    check_lists(c, op, vec, total, fold ? 2 : 1, end, loc);
  }
  if (c->failed) return;
  /* the calls: a spread call (as apply's) of f on a list of the
   * sequences' elements (fold: then the value so far); that list is made
   * once, before the first call, and its cars set before each (a call
   * never sees its pairs: a rest parameter gets a copy, a builtin the
   * elements) */
  int from = fold ? 2 : 1;   /* the first sequence */
  int hl[2] = {-1, -1}, res = temp(c, loc), al = temp(c, loc), p = temp(c, loc);
  int nl = temp_of(c, T_INT, loc), i = temp_of(c, T_INT, loc), l = temp(c, loc);
  int j = temp_of(c, T_INT, loc), out = -1, acc = -1;
  lw_assign(c, nl, prim(c, "-", var(c, total, loc), kint(c, 1, loc), T_INT, loc), loc);
  lw_assign(c, j, kint(c, 0, loc), loc);
  if (keep && !vecs) lw_ll_builder(c, hl, loc);
  if (keep && vecs) {   /* the new vector before the calls, as the evaluator */
    out = temp_of(c, T_VEC, loc);
    new_vector_of(c, out, var(c, len, loc), temp(c, loc), loc);
  }
  if (fold) {
    acc = temp(c, loc);
    lw_assign(c, acc, var(c, knil, loc), loc);
  }
  int depth = s->depth > 0 ? s->depth : 1;   /* one deeper than apply's call */
  int head = lw_new_label(c), build = lw_new_label(c), done = lw_new_label(c);
  more(c, op, vec, total, j, len, build, done, loc);
  lw_label(c, build, loc);
  {
    /* the list of nl pairs, its cars set below */
    ir_expr *nil = lw_mk(c, X_CONST, loc, 0);
    nil->type = lw_new_type(c, T_NIL);
    nil->has_nat = true;
    nil->nat = T_NIL;
    int unseen = temp(c, loc);
    lw_assign(c, al, nil, loc);
    lw_assign(c, i, var(c, nl, loc), loc);
    int bh = lw_new_label(c), bb = lw_new_label(c), bd = lw_new_label(c);
    lw_label(c, bh, loc);
    branch(c, prim(c, ">=", var(c, i, loc), kint(c, 1, loc), T_BOOL, loc), bb, bd, loc);
    lw_label(c, bb, loc);
    lw_assign(c, al, lw_cons(c, var(c, unseen, loc), var(c, al, loc), loc), loc);
    add_to(c, i, -1, loc);
    jump(c, bh, loc);
    lw_label(c, bd, loc);
  }
  lw_label(c, head, loc);
  {
    /* each sequence's element into the argument list (a list to its
     * cdr, as the evaluator, before the call) */
    lw_assign(c, p, var(c, al, loc), loc);
    if (vecs) {
      vs.p = p;
      vs.j = j;
      each_vector(c, s, seqs, put_elem, &vs, loc);
    } else {
      int fh = lw_new_label(c), fb = lw_new_label(c), fd = lw_new_label(c);
      lw_assign(c, i, kint(c, from, loc), loc);
      lw_label(c, fh, loc);
      branch(c, prim(c, "<", var(c, i, loc), var(c, total, loc), T_BOOL, loc), fb, fd, loc);
      lw_label(c, fb, loc);
      lw_assign(c, l, vref_var(c, vec, i, loc), loc);
      pset_car(c, p, pair_part(c, l, false, loc), loc);
      vset(c, vec, i, pair_part(c, l, true, loc), loc);
      lw_assign(c, p, pair_part(c, p, true, loc), loc);
      add_to(c, i, 1, loc);
      jump(c, fh, loc);
      lw_label(c, fd, loc);
    }
    if (fold) pset_car(c, p, var(c, acc, loc), loc);   /* the last pair */
  }
  {
    ast *site = bare_site(c, b, 0, loc);
    ir_expr *r = lw_callv(c, site, var(c, fp, loc), NULL, 0, depth);
    ir_fn *F = &c->p->fns.v[c->fn];
    ir_stmt *cs = &F->body.v[F->body.n - 1];
    if (cs->k != S_CALLV) {
      lw_fail(c, loc, "internal error: apply of %s without its call", op);
      return;
    }
    cs->write = true;
    cs->l2 = 0;
    cs->a[1] = var(c, nl, loc);
    cs->a[2] = var(c, al, loc);
    lw_assign(c, res, r, loc);
  }
  if (fold) lw_assign(c, acc, var(c, res, loc), loc);
  if (keep && !vecs) lw_ll_push_back(c, hl, var(c, res, loc), loc);
  if (keep && vecs) {
    vset(c, out, j, var(c, res, loc), loc);
  }
  add_to(c, j, 1, loc);
  more(c, op, vec, total, j, len, head, done, loc);
  lw_label(c, done, loc);
  ir_expr *v = fold ? var(c, acc, loc)
             : keep ? (vecs ? lw_retype(c, var(c, out, loc), T_VEC) : var(c, hl[0], loc))
                    : lw_void_expr(c, loc);
  lw_assign(c, s->var, v, loc);
  if (ret) lw_emit(c, S_RETURN, loc)->a[0] = lw_var_expr(c, s->var, loc);
  else jump(c, end, loc);
}
