/* lower-listlib2.c - more of the list library in the lowering: filter,
 * delete, iota, cons*, acons, vector-copy...; sort and stable-sort
 * are in lower-sort.c.
 *
 * As lower-listlib.c and lower-hof.c: each call becomes statements, loops
 * along the cdrs or over a vector's cells, in the order of the
 * evaluator's work (lang/builtins-more.c, lang/builtins-guile.c): the
 * operands in order, the table's kind checks, the procedure's own
 * checks, then its allocations and calls in the same order, so the first
 * error and the heap error come at the same place.  filter and sort call
 * their procedure through its value (lw_callv), one activation deeper
 * than the call.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <string.h>

static const char *const names[] = {"filter", "delete", "iota", "cons*", "acons",
                                     "sort", "vector-copy", "list-head", "make-list",
                                     "assq-ref", "assoc-ref", "stable-sort", NULL};

bool lw_listlib2_name(const char *name) {
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], name)) return true;
  return false;
}

/* ---- small builders ------------------------------------------------- */

/* Element i (a variable) of vector variable v. */
static ir_expr *elem(lw *c, int v, int i, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VREF, loc, 2);
  e->a[0] = lw_retype(c, var(c, v, loc), T_VEC);
  e->a[1] = var(c, i, loc);
  e->type = lw_elem_of(c, c->p->vars.v[v].type);
  VEC_PUSH(c->fail_types, e->type);
  return e;
}

static ir_expr *vlen(lw *c, int v, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VLEN, loc, 1);
  e->a[0] = lw_retype(c, var(c, v, loc), T_VEC);
  e->type = lw_new_type(c, T_INT);
  e->has_nat = true;
  e->nat = T_INT;
  return e;
}

static void vset(lw *c, int v, int i, ir_expr *x, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_VSET, loc);
  s->a[0] = var(c, v, loc);
  s->a[1] = var(c, i, loc);
  s->a[2] = x;
  lw_unify(c, ir_elem_type(c->p, c->p->vars.v[v].type), x->type, loc, "a vector element");
}

/* A new vector of len (a variable) cells, whose fill is never seen (every
 * cell is stored before it is read), its elements of class like. */
static int new_vec(lw *c, int len, int like, srcloc loc) {
  int out = temp_of(c, T_VEC, loc);
  ir_stmt *s = lw_emit(c, S_MAKEVEC, loc);
  s->var = out;
  s->a[0] = var(c, len, loc);
  s->a[1] = var(c, like, loc);
  lw_unify(c, ir_elem_type(c->p, c->p->vars.v[out].type), s->a[1]->type, loc,
           "a vector element");
  return out;
}

static void add_to(lw *c, int v, int k, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), kconst(c, T_INT, k, loc), T_INT, loc), loc);
}

static const char *fmt2(lw *c, const char *f, const char *s, int i) {
  char text[160];
  snprintf(text, sizeof text, f, s, i);
  return arena_strdup(&c->p->mem, text);
}

/* "op: argument i+1 must be WANT, not VALUE" unless test (a boolean) */
static void check(lw *c, const ast *a, ir_expr *ok_test, int argi, const char *want,
                  ir_expr *got, srcloc loc) {
  int ok = lw_new_label(c), bad = lw_new_label(c);
  branch(c, ok_test, ok, bad, loc);
  lw_label(c, bad, loc);
  char text[160];
  snprintf(text, sizeof text, "%s: argument %d must be %s, not", a->u.call.r.bi->name,
           argi + 1, want);
  lw_ll_err_write(c, got, loc);
  lw_ll_err_raise(c, argi < a->u.call.n ? arg_loc(a, argi) : a->loc, "type", text);
  jump(c, ok, loc);
  lw_label(c, ok, loc);
}

/* The operand i checked a procedure (the table's kind error). */
static void check_proc(lw *c, const ast *a, const int *v, int i) {
  ir_expr *ops[3] = {NULL, NULL, NULL};
  ops[i] = var(c, v[i], arg_loc(a, i));
  lw_emit(c, S_EVAL, a->loc)->a[0] = lw_checked_arg(c, a, a->u.call.r.bi->name, ops, i, T_PROC);
}

/* ---- the procedures ------------------------------------------------- */

/* (filter pred list) and (delete x list): the list proper, then the
 * elements kept, in order. */
static ir_expr *do_filter(lw *c, const ast *a, const int *v, bool del, int depth) {
  srcloc loc = a->loc;
  const char *op = del ? "delete" : "filter";
  lw_ll_length(c, v[1], op, 1, arg_loc(a, 1), loc);
  int t = temp(c, loc), hl[2];
  lw_assign(c, t, var(c, v[1], loc), loc);
  lw_ll_builder(c, hl, loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  int keep = lw_new_label(c), next = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "pair?", var(c, t, loc), NULL, T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  int x = temp(c, loc);
  lw_assign(c, x, pair_part(c, t, false, loc), loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  if (del) {
    ir_expr *args[2] = {var(c, v[0], loc), var(c, x, loc)};
    branch(c, lw_equal(c, args, loc), next, keep, loc);
  } else {
    ir_expr *args[1] = {var(c, x, loc)};
    int r = temp(c, loc);
    lw_assign(c, r, lw_callv(c, a, var(c, v[0], arg_loc(a, 0)), args, 1, depth), loc);
    branch(c, var(c, r, loc), keep, next, loc);
  }
  lw_label(c, keep, loc);
  lw_ll_push_back(c, hl, var(c, x, loc), loc);
  lw_label(c, next, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return var(c, hl[0], loc);
}

/* (iota count [start [step]]): count not negative, the last element in
 * 32 bits, then the pairs from the last. */
static ir_expr *do_iota(lw *c, const ast *a, const int *v, int n) {
  srcloc loc = a->loc;
  /* operands are integers: the table's checks */
  for (int i = 0; i < n; i++) {
    ir_expr *ops[3] = {NULL, NULL, NULL};
    ops[i] = var(c, v[i], arg_loc(a, i));
    lw_emit(c, S_EVAL, loc)->a[0] = lw_checked_arg(c, a, "iota", ops, i, T_INT);
  }
  if (c->failed) return lw_void_expr(c, loc);
  int cnt = v[0];
  int start = temp_of(c, T_INT, loc), step = temp_of(c, T_INT, loc);
  lw_assign(c, start, n > 1 ? lw_retype(c, var(c, v[1], loc), T_INT) : kconst(c, T_INT, 0, loc),
            loc);
  lw_assign(c, step, n > 2 ? lw_retype(c, var(c, v[2], loc), T_INT) : kconst(c, T_INT, 1, loc),
            loc);
  int k = temp_of(c, T_INT, loc);
  lw_assign(c, k, lw_retype(c, var(c, cnt, loc), T_INT), loc);
  {
    int ok = lw_new_label(c), bad = lw_new_label(c);
    branch(c, prim(c, "<", var(c, k, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), bad, ok, loc);
    lw_label(c, bad, loc);
    lw_ll_err_text(c, "iota: argument 1 must be a non-negative integer, not ", loc);
    lw_ll_err_write(c, var(c, k, loc), loc);
    lw_ll_err_raise(c, loc, "type", "");
    jump(c, ok, loc);
    lw_label(c, ok, loc);
  }
  /* the elements from the last: start + i*step, i = count-1 .. 0; the
   * last one (i = count-1) must fit in 32 bits: computed with the
   * checked arithmetic of + and *, whose overflow is refused below */
  int l = temp(c, loc), i = temp_of(c, T_INT, loc);
  lw_assign(c, l, lw_quoted(c, v_nil(), loc), loc);
  lw_assign(c, i, prim(c, "-", var(c, k, loc), kconst(c, T_INT, 1, loc), T_INT, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, i, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), done, body,
         loc);
  lw_label(c, body, loc);
  int x = temp_of(c, T_INT, loc);
  lw_assign(c, x, prim(c, "+", var(c, start, loc),
                       prim(c, "*", var(c, i, loc), var(c, step, loc), T_INT, loc), T_INT, loc),
            loc);
  lw_assign(c, l, lw_cons(c, var(c, x, loc), var(c, l, loc), loc), loc);
  add_to(c, i, -1, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return var(c, l, loc);
}

/* (cons* x ... last) and (acons key value alist) */
static ir_expr *do_cons_star(lw *c, const ast *a, const int *v, int n, bool acons) {
  srcloc loc = a->loc;
  if (acons)
    return lw_cons(c, lw_cons(c, var(c, v[0], loc), var(c, v[1], loc), loc), var(c, v[2], loc),
                   loc);
  int l = temp(c, loc);
  lw_assign(c, l, var(c, v[n - 1], loc), loc);
  for (int i = n - 2; i >= 0; i--) lw_assign(c, l, lw_cons(c, var(c, v[i], loc), var(c, l, loc), loc), loc);
  return var(c, l, loc);
}

/* (vector-copy vec [from [to]]) */
static ir_expr *do_vector_copy(lw *c, const ast *a, const int *v, int n) {
  srcloc loc = a->loc;
  for (int i = 0; i < n; i++) {
    ir_expr *ops[3] = {NULL, NULL, NULL};
    ops[i] = var(c, v[i], arg_loc(a, i));
    lw_emit(c, S_EVAL, loc)->a[0] = lw_checked_arg(c, a, "vector-copy", ops, i, i ? T_INT : T_VEC);
  }
  if (c->failed) return lw_void_expr(c, loc);
  int len = temp_of(c, T_INT, loc), from = temp_of(c, T_INT, loc), to = temp_of(c, T_INT, loc);
  lw_assign(c, len, vlen(c, v[0], loc), loc);
  lw_assign(c, from, n > 1 ? lw_retype(c, var(c, v[1], loc), T_INT) : kconst(c, T_INT, 0, loc),
            loc);
  lw_assign(c, to, n > 2 ? lw_retype(c, var(c, v[2], loc), T_INT) : var(c, len, loc), loc);
  if (n > 1) {
    /* 0 <= from <= len */
    int bad = lw_new_label(c), mid = lw_new_label(c), ok = lw_new_label(c);
    branch(c, prim(c, "<", var(c, from, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), bad, mid,
           loc);
    lw_label(c, mid, loc);
    branch(c, prim(c, ">", var(c, from, loc), var(c, len, loc), T_BOOL, loc), bad, ok, loc);
    lw_label(c, bad, loc);
    lw_ll_err_write(c, var(c, from, loc), loc);
    lw_ll_err_raise(c, arg_loc(a, 1), "type",
                    "vector-copy: argument 2 must be an index of the vector, not");
    jump(c, ok, loc);
    lw_label(c, ok, loc);
  }
  if (n > 2) {
    int bad = lw_new_label(c), mid = lw_new_label(c), ok = lw_new_label(c);
    branch(c, prim(c, "<", var(c, to, loc), var(c, from, loc), T_BOOL, loc), bad, mid, loc);
    lw_label(c, mid, loc);
    branch(c, prim(c, ">", var(c, to, loc), var(c, len, loc), T_BOOL, loc), bad, ok, loc);
    lw_label(c, bad, loc);
    lw_ll_err_write(c, var(c, to, loc), loc);
    lw_ll_err_raise(c, arg_loc(a, 2), "type",
                    "vector-copy: argument 3 must be an index of the vector from the start "
                    "on, not");
    jump(c, ok, loc);
    lw_label(c, ok, loc);
  }
  int cnt = temp_of(c, T_INT, loc), src = temp(c, loc), like = temp(c, loc);
  lw_assign(c, src, lw_retype(c, var(c, v[0], loc), T_VEC), loc);
  lw_unify(c, c->p->vars.v[like].type, ir_elem_type(c->p, c->p->vars.v[src].type), loc,
           "a vector element");
  lw_assign(c, cnt, prim(c, "-", var(c, to, loc), var(c, from, loc), T_INT, loc), loc);
  int out = new_vec(c, cnt, like, loc);
  int i = temp_of(c, T_INT, loc), j = temp_of(c, T_INT, loc);
  lw_assign(c, i, kconst(c, T_INT, 0, loc), loc);
  lw_assign(c, j, var(c, from, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, i, loc), var(c, cnt, loc), T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  vset(c, out, i, elem(c, src, j, loc), loc);
  add_to(c, i, 1, loc);
  add_to(c, j, 1, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return lw_retype(c, var(c, out, loc), T_VEC);
}

/* "op: argument argi+1 must be WANT, not" the value of variable v */
static void fail_arg(lw *c, const ast *a, int argi, const char *want, int v, srcloc loc) {
  char text[160];
  snprintf(text, sizeof text, "%s: argument %d must be %s, not", a->u.call.r.bi->name,
           argi + 1, want);
  lw_ll_err_write(c, var(c, v, loc), loc);
  lw_ll_err_raise(c, argi < a->u.call.n ? arg_loc(a, argi) : a->loc, "type", text);
}

/* (list-head list k): k not negative, then the first k elements, each
 * reached through a pair ("a list long enough" otherwise). */
static ir_expr *do_list_head(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  ir_expr *ops[2] = {NULL, var(c, v[1], arg_loc(a, 1))};
  int k = temp_of(c, T_INT, loc);
  lw_assign(c, k, lw_checked_arg(c, a, "list-head", ops, 1, T_INT), loc);
  if (c->failed) return lw_void_expr(c, loc);
  int ok = lw_new_label(c), bad = lw_new_label(c);
  branch(c, prim(c, "<", var(c, k, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), bad, ok, loc);
  lw_label(c, bad, loc);
  fail_arg(c, a, 1, "a non-negative integer", k, loc);
  jump(c, ok, loc);
  lw_label(c, ok, loc);
  int t = temp(c, loc), hl[2];
  lw_assign(c, t, var(c, v[0], loc), loc);
  lw_ll_builder(c, hl, loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  int isp = lw_new_label(c), notp = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, ">", var(c, k, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), body, done,
         loc);
  lw_label(c, body, loc);
  branch(c, prim(c, "pair?", var(c, t, loc), NULL, T_BOOL, loc), isp, notp, loc);
  lw_label(c, notp, loc);
  fail_arg(c, a, 0, "a list long enough", v[0], loc);
  jump(c, isp, loc);
  lw_label(c, isp, loc);
  lw_ll_push_back(c, hl, pair_part(c, t, false, loc), loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  add_to(c, k, -1, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return var(c, hl[0], loc);
}

/* (make-list n [fill]) */
static ir_expr *do_make_list(lw *c, const ast *a, const int *v, int n) {
  srcloc loc = a->loc;
  tkind have = ir_kind(c->p, c->p->vars.v[v[0]].type);
  int k = temp_of(c, T_INT, loc);
  int ok = lw_new_label(c), bad = lw_new_label(c);
  if (have != T_INT && have != T_ANY && have != T_DYN) {
    fail_arg(c, a, 0, "a non-negative integer", v[0], loc);
    return lw_void_expr(c, loc);
  }
  if (have != T_INT) {
    int isint = lw_new_label(c);
    branch(c, prim(c, "integer?", var(c, v[0], loc), NULL, T_BOOL, loc), isint, bad, loc);
    lw_label(c, isint, loc);
  }
  lw_assign(c, k, lw_retype(c, var(c, v[0], loc), T_INT), loc);
  branch(c, prim(c, "<", var(c, k, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), bad, ok, loc);
  lw_label(c, bad, loc);
  fail_arg(c, a, 0, "a non-negative integer", v[0], loc);
  jump(c, ok, loc);
  lw_label(c, ok, loc);
  int l = temp(c, loc);
  lw_assign(c, l, lw_quoted(c, v_nil(), loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, ">", var(c, k, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), body, done,
         loc);
  lw_label(c, body, loc);
  lw_assign(c, l, lw_cons(c, n > 1 ? var(c, v[1], loc) : lw_quoted(c, v_nil(), loc),
                          var(c, l, loc), loc), loc);
  add_to(c, k, -1, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return var(c, l, loc);
}

/* (assq-ref alist key), (assoc-ref alist key): eqv? or equal? on the
 * keys; an element not a pair: "an association list". */
static ir_expr *do_alist_ref(lw *c, const ast *a, const int *v, bool equal) {
  srcloc loc = a->loc;
  int t = temp(c, loc), r = temp(c, loc);
  lw_assign(c, t, var(c, v[0], loc), loc);
  lw_assign(c, r, kconst(c, T_BOOL, 0, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  int isp = lw_new_label(c), notp = lw_new_label(c), hit = lw_new_label(c);
  int miss = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "pair?", var(c, t, loc), NULL, T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  int p = temp(c, loc);
  lw_assign(c, p, pair_part(c, t, false, loc), loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  branch(c, prim(c, "pair?", var(c, p, loc), NULL, T_BOOL, loc), isp, notp, loc);
  lw_label(c, notp, loc);
  fail_arg(c, a, 0, "an association list", v[0], loc);
  jump(c, isp, loc);
  lw_label(c, isp, loc);
  int key = temp(c, loc);
  lw_assign(c, key, pair_part(c, p, false, loc), loc);
  if (equal) {
    ir_expr *args[2] = {var(c, key, loc), var(c, v[1], loc)};
    branch(c, lw_equal(c, args, loc), hit, miss, loc);
  } else {
    branch(c, prim(c, "eqv?", var(c, key, loc), var(c, v[1], loc), T_BOOL, loc), hit, miss,
           loc);
  }
  lw_label(c, hit, loc);
  lw_assign(c, r, pair_part(c, p, true, loc), loc);
  jump(c, done, loc);
  lw_label(c, miss, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return var(c, r, loc);
}

/* ---- entry point ---------------------------------------------------- */

/* Builtins of lower-listlib.c and this file that compiled code also
 * calls through a value (lower-closure.c call_builtin): those that call
 * no procedure themselves. */
bool lw_listlib_value_ok(const builtin *b) {
  static const char *const ok[] = {"append", "reverse", "list-copy", "vector->list",
                                   "list->vector", "delete", "iota", "cons*", "acons",
                                   "vector-copy", "list-head", "make-list", "assq-ref",
                                   "assoc-ref", NULL};
  for (int i = 0; ok[i]; i++)
    if (!strcmp(ok[i], b->name)) return true;
  return false;
}

static ir_expr *dispatch(lw *c, const ast *a, const char *name, const int *v, int n,
                         int depth);

ir_expr *lw_listlib_value_call(lw *c, const ast *a, const builtin *b, ir_expr **args, int n) {
  if (!lw_listlib2_name(b->name)) return lw_listlib_call(c, a, b->name, args, n);
  int v[64];
  for (int i = 0; i < n; i++) {
    v[i] = temp(c, a->loc);
    lw_assign(c, v[i], args[i], a->loc);
  }
  return dispatch(c, a, b->name, v, n, 0);
}

ir_expr *lw_listlib2_effect(lw *c, const ast *a, frame_map *f) {
  const char *name = a->u.call.r.bi->name;
  if (!lw_listlib2_name(name)) return NULL;
  int n = a->u.call.n;
  if (n > 64) {
    lw_fail(c, a->loc, "%s with more than 64 arguments in compiled code", name);
    return lw_void_expr(c, a->loc);
  }
  ir_expr *args[64];
  int v[64];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, a->loc);
  for (int i = 0; i < n; i++) {
    v[i] = temp(c, a->loc);
    lw_assign(c, v[i], args[i], a->loc);
  }
  return dispatch(c, a, name, v, n, f->edepth + 1);
}

static ir_expr *dispatch(lw *c, const ast *a, const char *name, const int *v, int n,
                         int depth) {
  if (!strcmp(name, "filter")) {
    check_proc(c, a, v, 0);
    if (c->failed) return lw_void_expr(c, a->loc);
    return do_filter(c, a, v, false, depth);
  }
  if (!strcmp(name, "delete")) return do_filter(c, a, v, true, depth);
  if (!strcmp(name, "iota")) return do_iota(c, a, v, n);
  if (!strcmp(name, "cons*")) return do_cons_star(c, a, v, n, false);
  if (!strcmp(name, "acons")) return do_cons_star(c, a, v, n, true);
  if (!strcmp(name, "vector-copy")) return do_vector_copy(c, a, v, n);
  if (!strcmp(name, "list-head")) return do_list_head(c, a, v);
  if (!strcmp(name, "make-list")) return do_make_list(c, a, v, n);
  if (!strcmp(name, "assq-ref")) return do_alist_ref(c, a, v, false);
  if (!strcmp(name, "assoc-ref")) return do_alist_ref(c, a, v, true);
  check_proc(c, a, v, 1);   /* sort, stable-sort: lower-sort.c */
  if (c->failed) return lw_void_expr(c, a->loc);
  return lw_sort_call(c, a, v, depth);
  (void)check;
  (void)fmt2;
}
