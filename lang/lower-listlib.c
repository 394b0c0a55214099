/* lower-listlib.c - the list library in the lowering: length, list?,
 * append, reverse, list-tail, list-ref, assq, assv, assoc, list-copy,
 * last-pair, vector->list, list->vector.
 *
 * Each call becomes a loop in statements, as the procedure would be
 * written in Scheme: a walk along the list's cdrs (X_CXR) with tests of
 * the kind (pair?, null?) and new pairs (S_CONS) or stores (S_PSET,
 * S_VSET).  The walk's variables take every cdr, so the list's pairs are
 * of one class (as in lw_member).  The order of the evaluator's work is
 * kept: operands first, in order, then the kind checks of the builtin's
 * table, then the procedure's own checks and allocations in the order of
 * lang/builtins.c, so the first error and the heap error come at the
 * same place.
 *
 * Errors that name a value only known when the program runs (the list
 * that is not proper, the index that is out of range) are written by
 * S_ERRTEXT statements into the error's text, then raised by an X_FAIL
 * whose failure is `bare` (backend/mlistlib.c).  A circular list is
 * written as value_print and Guile write one whose cdrs come back:
 * "(1 2 3 . #-1#)", "(1 . #0#)" (its cars are written plainly: a car
 * that leads back into the list is a class no message can write).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <string.h>

/* ---- small builders ------------------------------------------------- */

/* (pair? v) of variable v */
static ir_expr *is_pair(lw *c, int v, srcloc loc) {
  return prim(c, "pair?", var(c, v, loc), NULL, T_BOOL, loc);
}

/* v := v + d */
static void add_to(lw *c, int v, int d, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), kconst(c, T_INT, d, loc), T_INT, loc), loc);
}

/* the set-cdr! of pair variable p */
static void set_cdr(lw *c, int p, ir_expr *x, srcloc loc) {
  lw_unify(c, lw_pair_part(c, c->p->vars.v[p].type, true), x->type, loc, "the cdr");
  ir_stmt *s = lw_emit(c, S_PSET, loc);
  s->a[0] = lw_retype(c, var(c, p, loc), T_PAIR);
  s->a[1] = x;
  s->l1 = 1;
}

/* The operands in order, each in a temporary of its own (their errors
 * come first, in order, as the evaluator computes them). */
static void pin(lw *c, ir_expr **args, int n, int *vars, srcloc loc) {
  for (int i = 0; i < n && !c->failed; i++) {
    vars[i] = temp(c, loc);
    lw_assign(c, vars[i], args[i], loc);
  }
}

/* Operand i of call a (a pinned variable) as its table's kind k wants
 * it, checked (the evaluator's kind error), in a new variable. */
static int checked(lw *c, const ast *a, const char *name, const int *vars, int i,
                   tkind k) {
  srcloc at = a->u.call.args[i]->loc;
  ir_expr *ops[3];
  for (int j = 0; j <= i; j++) ops[j] = var(c, vars[j], at);
  int v = temp(c, at);
  lw_assign(c, v, lw_checked_arg(c, a, name, ops, i, k), at);
  return v;
}

/* ---- errors whose text is written as the program runs ---------------- */

static void err_text(lw *c, const char *text, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_ERRTEXT, loc);
  s->text = text;
}

static void err_write(lw *c, ir_expr *x, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_ERRTEXT, loc);
  s->a[0] = x;
  s->write = true;
}

/* The error at `at`: msg, then " " and what the S_ERRTEXT statements
 * before printed (all of it when msg is ""). */
static void err_raise(lw *c, srcloc at, const char *kind, const char *msg) {
  ir_failure f = {kind, arena_strdup(&c->p->mem, msg), true};
  VEC_PUSH(c->p->failures, f);
  ir_expr *e = lw_mk(c, X_FAIL, at, 0);
  e->type = lw_new_type(c, T_ANY);
  e->ival = c->p->failures.n - 1;
  VEC_PUSH(c->fail_types, e->type);
  lw_emit(c, S_EVAL, at)->a[0] = e;
}

static const char *fmt(lw *c, const char *f, const char *op, int i) {
  char buf[160];
  snprintf(buf, sizeof buf, f, op, i);
  return arena_strdup(&c->p->mem, buf);
}

/* Writes list variable l, whose cdrs come back to pair variable s (one
 * of the cycle's pairs), as Guile and the evaluator write it: the cars of
 * all its distinct pairs, then " . #N#" where N counts back from the last
 * of them to the pair where the cycle starts: (1 2 3 . #-1#) for a cycle
 * of two pairs, (1 . #0#) for a pair whose cdr is itself.  -N is the
 * cycle's length less one; the loop finds the cycle's last pair as the
 * one whose cdr is where s's cycle, walked from l, is first met. */
static void write_circular(lw *c, int l, int s, srcloc loc) {
  int p = temp(c, loc), q = temp(c, loc), x = temp(c, loc);
  int back = temp_of(c, T_INT, loc), i = temp_of(c, T_INT, loc);
  lw_assign(c, p, var(c, l, loc), loc);
  lw_assign(c, q, var(c, s, loc), loc);
  /* Floyd's second phase: one from the start and one from the meeting
   * place meet at the cycle's start */
  int find = lw_new_label(c), step = lw_new_label(c), start = lw_new_label(c);
  lw_label(c, find, loc);
  branch(c, prim(c, "eqv?", var(c, p, loc), var(c, q, loc), T_BOOL, loc), start, step, loc);
  lw_label(c, step, loc);
  lw_assign(c, p, pair_part(c, p, true, loc), loc);
  lw_assign(c, q, pair_part(c, q, true, loc), loc);
  jump(c, find, loc);
  /* q: the cycle's last pair; back: minus the pairs after its first */
  lw_label(c, start, loc);
  lw_assign(c, back, kconst(c, T_INT, 0, loc), loc);
  int around = lw_new_label(c), more = lw_new_label(c), found = lw_new_label(c);
  lw_label(c, around, loc);
  ir_expr *last = prim(c, "eqv?", pair_part(c, q, true, loc), var(c, p, loc), T_BOOL, loc);
  branch(c, last, found, more, loc);
  lw_label(c, more, loc);
  lw_assign(c, q, pair_part(c, q, true, loc), loc);
  add_to(c, back, -1, loc);
  jump(c, around, loc);
  /* a last pair that is its own cdr, after others, is #1#: Guile counts
   * back from the pair before it, which has the same cdr */
  lw_label(c, found, loc);
  int self = lw_new_label(c), after = lw_new_label(c), cars = lw_new_label(c);
  branch(c, prim(c, "zero?", var(c, back, loc), NULL, T_BOOL, loc), self, cars, loc);
  lw_label(c, self, loc);
  branch(c, prim(c, "eqv?", var(c, q, loc), var(c, l, loc), T_BOOL, loc), cars, after, loc);
  lw_label(c, after, loc);
  lw_assign(c, back, kconst(c, T_INT, 1, loc), loc);
  /* the cars from l to q, then the reference back */
  lw_label(c, cars, loc);
  lw_assign(c, x, var(c, l, loc), loc);
  lw_assign(c, i, kconst(c, T_INT, 0, loc), loc);
  err_text(c, "(", loc);
  int elem = lw_new_label(c), sep = lw_new_label(c), first = lw_new_label(c);
  int next = lw_new_label(c), close = lw_new_label(c);
  lw_label(c, elem, loc);
  branch(c, prim(c, "zero?", var(c, i, loc), NULL, T_BOOL, loc), first, sep, loc);
  lw_label(c, sep, loc);
  err_text(c, " ", loc);
  lw_label(c, first, loc);
  err_write(c, pair_part(c, x, false, loc), loc);
  add_to(c, i, 1, loc);
  branch(c, prim(c, "eqv?", var(c, x, loc), var(c, q, loc), T_BOOL, loc), close, next, loc);
  lw_label(c, next, loc);
  lw_assign(c, x, pair_part(c, x, true, loc), loc);
  jump(c, elem, loc);
  lw_label(c, close, loc);
  err_text(c, " . #", loc);
  err_write(c, var(c, back, loc), loc);
  err_text(c, "#)", loc);
}

/* The length of the list in variable l, in a new variable; where it is
 * not a proper list, the evaluator's error "OP: argument I must be a
 * proper list, not L" at `at` (or, with bad >= 0, a jump there). */
static int proper_length_at(lw *c, int l, const char *op, int argi, int argvar,
                            srcloc at, int bad, srcloc loc) {
  int t = temp(c, loc), s = temp(c, loc), n = temp_of(c, T_INT, loc);
  lw_assign(c, t, var(c, l, loc), loc);
  lw_assign(c, s, var(c, l, loc), loc);
  lw_assign(c, n, kconst(c, T_INT, 0, loc), loc);
  int head = lw_new_label(c), one = lw_new_label(c), two = lw_new_label(c);
  int end = lw_new_label(c), ok = lw_new_label(c), circ = lw_new_label(c);
  int improper = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, is_pair(c, t, loc), one, end, loc);
  lw_label(c, one, loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  add_to(c, n, 1, loc);
  branch(c, is_pair(c, t, loc), two, end, loc);
  lw_label(c, two, loc);
  /* two steps of the hare, one of the tortoise: they meet in a cycle */
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  add_to(c, n, 1, loc);
  lw_assign(c, s, pair_part(c, s, true, loc), loc);
  branch(c, prim(c, "eqv?", var(c, t, loc), var(c, s, loc), T_BOOL, loc), circ, head, loc);
  lw_label(c, end, loc);
  branch(c, prim(c, "null?", var(c, t, loc), NULL, T_BOOL, loc), ok, improper, loc);
  const char *msg = fmt(c, "%s: argument %d must be a proper list, not", op, argi + 1);
  const char *lead = NULL, *tail = NULL;
  if (argvar >= 0) {   /* the number written by the model: the whole text */
    char buf[96];
    snprintf(buf, sizeof buf, "%s: argument ", op);
    lead = arena_strdup(&c->p->mem, buf);
    tail = " must be a proper list, not ";
    msg = "";
  }
  lw_label(c, improper, loc);
  if (bad >= 0) {
    jump(c, bad, loc);
  } else {
    if (tail) {
      err_text(c, lead, loc);
      err_write(c, var(c, argvar, loc), loc);
      err_text(c, tail, loc);
    }
    err_write(c, var(c, l, loc), loc);
    err_raise(c, at, "type", msg);
    jump(c, ok, loc);
  }
  lw_label(c, circ, loc);
  if (bad >= 0) {
    jump(c, bad, loc);
  } else {
    if (tail) {
      err_text(c, lead, loc);
      err_write(c, var(c, argvar, loc), loc);
      err_text(c, tail, loc);
    }
    write_circular(c, l, s, loc);
    err_raise(c, at, "type", msg);
  }
  lw_label(c, ok, loc);
  return n;
}

static int proper_length(lw *c, int l, const char *op, int argi, srcloc at, int bad,
                         srcloc loc) {
  return proper_length_at(c, l, op, argi, -1, at, bad, loc);
}

/* ---- the procedures -------------------------------------------------- */

static ir_expr *do_length(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  return var(c, proper_length(c, v[0], "length", 0, a->u.call.args[0]->loc, -1, loc), loc);
}

static ir_expr *do_is_list(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  int r = temp_of(c, T_BOOL, loc), no = lw_new_label(c), done = lw_new_label(c);
  proper_length(c, v[0], "list?", 0, loc, no, loc);
  lw_assign(c, r, kconst(c, T_BOOL, 1, loc), loc);
  jump(c, done, loc);
  lw_label(c, no, loc);
  lw_assign(c, r, kconst(c, T_BOOL, 0, loc), loc);
  lw_label(c, done, loc);
  return var(c, r, loc);
}

/* A list being built in order: its first pair (or '()), its last. */
typedef struct {
  int head, last;
} builder;

static builder new_builder(lw *c, srcloc loc) {
  builder b = {temp(c, loc), temp(c, loc)};
  c->p->vars.v[b.head].type = lw_new_type(c, T_DYN);
  lw_assign(c, b.head, kconst(c, T_NIL, 0, loc), loc);
  return b;
}

/* Appends a new pair of x (the evaluator's push_back). */
static void push_back(lw *c, builder *b, ir_expr *x, srcloc loc) {
  int p = temp(c, loc);
  lw_assign(c, p, lw_cons(c, x, kconst(c, T_NIL, 0, loc), loc), loc);
  int first = lw_new_label(c), more = lw_new_label(c), done = lw_new_label(c);
  branch(c, prim(c, "null?", var(c, b->head, loc), NULL, T_BOOL, loc), first, more, loc);
  lw_label(c, first, loc);
  lw_assign(c, b->head, var(c, p, loc), loc);
  jump(c, done, loc);
  lw_label(c, more, loc);
  set_cdr(c, b->last, var(c, p, loc), loc);
  lw_label(c, done, loc);
  lw_assign(c, b->last, var(c, p, loc), loc);
}

/* Copies the pairs of list variable l onto b; returns the variable that
 * holds what ends the list (its first non-pair cdr). */
static int copy_onto(lw *c, builder *b, int l, srcloc loc) {
  int t = temp(c, loc);
  lw_assign(c, t, var(c, l, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, is_pair(c, t, loc), body, done, loc);
  lw_label(c, body, loc);
  push_back(c, b, pair_part(c, t, false, loc), loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return t;
}

/* The list built, ending in x: x itself when nothing was copied. */
static ir_expr *finish(lw *c, builder *b, ir_expr *x, srcloc loc) {
  int r = temp(c, loc), none = lw_new_label(c), some = lw_new_label(c);
  int done = lw_new_label(c);
  lw_assign(c, r, var(c, b->head, loc), loc);
  branch(c, prim(c, "null?", var(c, b->head, loc), NULL, T_BOOL, loc), none, some, loc);
  lw_label(c, none, loc);
  lw_assign(c, r, x, loc);
  jump(c, done, loc);
  lw_label(c, some, loc);
  set_cdr(c, b->last, x, loc);
  lw_label(c, done, loc);
  return var(c, r, loc);
}

static ir_expr *do_append(lw *c, const ast *a, const int *v, int n) {
  srcloc loc = a->loc;
  if (n == 0) return kconst(c, T_NIL, 0, loc);
  if (n == 1) return var(c, v[0], loc);
  builder b = new_builder(c, loc);
  for (int i = 0; i + 1 < n && !c->failed; i++) {
    proper_length(c, v[i], "append", i, a->u.call.args[i]->loc, -1, loc);
    copy_onto(c, &b, v[i], loc);
  }
  return finish(c, &b, var(c, v[n - 1], loc), loc);
}

static ir_expr *do_list_copy(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  /* of a proper list only, as the evaluator's and Guile's */
  proper_length(c, v[0], "list-copy", 0, a->u.call.args[0]->loc, -1, loc);
  builder b = new_builder(c, loc);
  int end = copy_onto(c, &b, v[0], loc);
  return finish(c, &b, var(c, end, loc), loc);
}

static ir_expr *do_reverse(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  proper_length(c, v[0], "reverse", 0, a->u.call.args[0]->loc, -1, loc);
  int r = temp(c, loc), t = temp(c, loc);
  c->p->vars.v[r].type = lw_new_type(c, T_DYN);
  lw_assign(c, r, kconst(c, T_NIL, 0, loc), loc);
  lw_assign(c, t, var(c, v[0], loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, is_pair(c, t, loc), body, done, loc);
  lw_label(c, body, loc);
  lw_assign(c, r, lw_cons(c, pair_part(c, t, false, loc), var(c, r, loc), loc), loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return var(c, r, loc);
}

/* list-tail and list-ref: the evaluator's list_tail, then (list-ref)
 * the car.  Its errors are at the index, in the index's words. */
static ir_expr *do_list_index(lw *c, const ast *a, const char *op, const int *v) {
  srcloc loc = a->loc, at = a->u.call.args[1]->loc;
  int k = checked(c, a, op, v, 1, T_INT);
  int x = temp(c, loc), i = temp_of(c, T_INT, loc);
  lw_assign(c, x, var(c, v[0], loc), loc);
  lw_assign(c, i, kconst(c, T_INT, 0, loc), loc);
  int neg = lw_new_label(c), walk = lw_new_label(c), head = lw_new_label(c);
  int body = lw_new_label(c), next = lw_new_label(c), out = lw_new_label(c);
  int done = lw_new_label(c);
  branch(c, prim(c, "<", var(c, k, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), neg, walk, loc);
  lw_label(c, neg, loc);
  err_text(c, fmt(c, "%s: the index must not be negative (", op, 0), loc);
  err_write(c, var(c, k, loc), loc);
  err_text(c, ")", loc);
  err_raise(c, at, "bounds", "");
  lw_label(c, walk, loc);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, i, loc), var(c, k, loc), T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  branch(c, is_pair(c, x, loc), next, out, loc);
  lw_label(c, next, loc);
  lw_assign(c, x, pair_part(c, x, true, loc), loc);
  add_to(c, i, 1, loc);
  jump(c, head, loc);
  lw_label(c, out, loc);
  err_text(c, fmt(c, "%s: index ", op, 0), loc);
  err_write(c, var(c, k, loc), loc);
  err_text(c, " is out of range for this list", loc);
  /* list-tail wants a pair there: Guile's wrong-type-arg (builtins.c) */
  err_raise(c, at, op[5] == 't' ? "type" : "bounds", "");
  lw_label(c, done, loc);
  if (op[5] == 't') return var(c, x, loc);   /* list-tail */
  int got = lw_new_label(c);
  branch(c, is_pair(c, x, loc), got, out, loc);
  lw_label(c, got, loc);
  return pair_part(c, x, false, loc);
}

/* assq, assv, assoc: the first element of the list whose car is eqv?
 * (assoc: equal?) to the key, or #f; an element that is not a pair is
 * the evaluator's error, which names the element. */
/* A walk along list variable l for memq, memv and assoc: `test` emits,
 * for the pair in variable t, a branch to `found` or on to `next`.  The
 * walk is unrolled by two with a tortoise that takes one step for the
 * walk's two, so that a circular list ends it.  A list that ends in
 * anything but () or comes back is the evaluator's and Guile's error,
 * "OP: argument I must be a proper list, not L", at `at`; () ends the
 * walk at `none`. */
typedef void (*elem_test)(lw *c, const ast *a, const char *op, const int *v,
                          int t, int found, int next, srcloc loc);

static void walk_list(lw *c, const ast *a, const char *op, const int *v, int l,
                      int argi, elem_test test, int t, int found, int none,
                      srcloc loc) {
  int s = temp(c, loc);
  lw_assign(c, t, var(c, l, loc), loc);
  lw_assign(c, s, var(c, l, loc), loc);
  int head = lw_new_label(c), end = lw_new_label(c), circ = lw_new_label(c);
  int bad = lw_new_label(c);
  lw_label(c, head, loc);
  for (int half = 0; half < 2; half++) {
    int body = lw_new_label(c), next = lw_new_label(c);
    branch(c, is_pair(c, t, loc), body, end, loc);
    lw_label(c, body, loc);
    test(c, a, op, v, t, found, next, loc);
    lw_label(c, next, loc);
    lw_assign(c, t, pair_part(c, t, true, loc), loc);
  }
  lw_assign(c, s, pair_part(c, s, true, loc), loc);
  branch(c, prim(c, "eqv?", var(c, t, loc), var(c, s, loc), T_BOOL, loc), circ, head, loc);
  lw_label(c, end, loc);
  branch(c, prim(c, "null?", var(c, t, loc), NULL, T_BOOL, loc), none, bad, loc);
  srcloc at = a->u.call.args[argi]->loc;
  const char *msg = fmt(c, "%s: argument %d must be a proper list, not", op, argi + 1);
  lw_label(c, bad, loc);
  err_write(c, var(c, l, loc), loc);
  err_raise(c, at, "type", msg);
  jump(c, none, loc);
  lw_label(c, circ, loc);
  write_circular(c, l, s, loc);
  err_raise(c, at, "type", msg);
  jump(c, none, loc);
}

/* eqv? (equal? for assoc and member) of x and y */
static ir_expr *same_as(lw *c, const char *op, ir_expr *x, ir_expr *y, srcloc loc) {
  ir_expr *ops[2] = {x, y};
  bool equal = !strcmp(op, "assoc") || !strcmp(op, "member");
  if (equal && lw_equal_walks(c, ops[0], ops[1])) return lw_equal(c, ops, loc);
  /* strings made at run time: a walk over their characters (mequal.c) */
  if (equal && lw_may_be_string(c, ops[0]) && lw_may_be_string(c, ops[1])) {
    if (c->p->has_rtstr) return lw_equal(c, ops, loc);
    c->p->str_eqv_early = true;   /* lowered again if it makes strings */
  }
  ir_expr *e = prim(c, "eqv?", ops[0], ops[1], T_BOOL, loc);
  e->ival = equal;   /* equal? compares strings by their text (mstrings.c) */
  return e;
}

static void assoc_test(lw *c, const ast *a, const char *op, const int *v, int t,
                       int found, int next, srcloc loc) {
  int e = v[2], test = lw_new_label(c), bad = lw_new_label(c);
  lw_assign(c, e, pair_part(c, t, false, loc), loc);
  branch(c, is_pair(c, e, loc), test, bad, loc);
  lw_label(c, bad, loc);
  err_write(c, var(c, e, loc), loc);
  err_raise(c, a->u.call.args[1]->loc, "type",
            fmt(c, "%s: argument %d must be a list of pairs, not", op, 2));
  lw_label(c, test, loc);
  branch(c, same_as(c, op, pair_part(c, e, false, loc), var(c, v[0], loc), loc), found, next, loc);
}

static ir_expr *do_assoc(lw *c, const ast *a, const char *op, const int *v) {
  srcloc loc = a->loc;
  int t = temp(c, loc), e = temp(c, loc), r = temp(c, loc);
  c->p->vars.v[r].type = lw_new_type(c, T_DYN);
  int found = lw_new_label(c), none = lw_new_label(c), done = lw_new_label(c);
  int w[3] = {v[0], v[1], e};
  walk_list(c, a, op, w, v[1], 1, assoc_test, t, found, none, loc);
  lw_label(c, found, loc);
  lw_assign(c, r, lw_retype(c, var(c, e, loc), T_PAIR), loc);
  /* of a list that holds no pairs, no pair is found: the unspecified
   * kind for the parts of what is never there */
  VEC_PUSH(c->fail_types, lw_pair_part(c, c->p->vars.v[e].type, false));
  VEC_PUSH(c->fail_types, lw_pair_part(c, c->p->vars.v[e].type, true));
  jump(c, done, loc);
  lw_label(c, none, loc);
  lw_assign(c, r, kconst(c, T_BOOL, 0, loc), loc);
  lw_label(c, done, loc);
  return var(c, r, loc);
}

static void member_test(lw *c, const ast *a, const char *op, const int *v, int t,
                        int found, int next, srcloc loc) {
  (void)a;
  branch(c, same_as(c, op, pair_part(c, t, false, loc), var(c, v[0], loc), loc), found, next, loc);
}

/* (memq x l), (memv x l), (member x l): a walk along l's cdrs to the
 * first pair whose car is eqv? (member: equal?) to x, else #f; as the
 * evaluator's and Guile's, member first checks that l is a proper list,
 * memq and memv fail where the walk finds it is not.  The walk's
 * variable takes every cdr, so the list's pairs are of one class; the
 * result holds a pair or #f: tagged. */
ir_expr *lw_member(lw *c, const ast *a, const char *name, ir_expr **args) {
  srcloc loc = a->loc;
  int v[2];
  pin(c, args, 2, v, loc);
  if (c->failed) return lw_void_expr(c, loc);
  if (!strcmp(name, "member"))
    proper_length(c, v[1], "member", 1, a->u.call.args[1]->loc, -1, loc);
  int t = temp(c, loc), r = temp(c, loc);
  c->p->vars.v[r].type = lw_new_type(c, T_DYN);
  int found = lw_new_label(c), none = lw_new_label(c), done = lw_new_label(c);
  walk_list(c, a, name, v, v[1], 1, member_test, t, found, none, loc);
  lw_label(c, found, loc);
  lw_assign(c, r, lw_retype(c, var(c, t, loc), T_PAIR), loc);
  jump(c, done, loc);
  lw_label(c, none, loc);
  lw_assign(c, r, kconst(c, T_BOOL, 0, loc), loc);
  lw_label(c, done, loc);
  return var(c, r, loc);
}

/* Of () it is (), as the evaluator's and Guile's; of another value that
 * is not a pair, the kind error; a circular list has no last pair (the
 * walk is unrolled by two with a tortoise, as walk_list's). */
static ir_expr *do_last_pair(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  int r = temp(c, loc), nil = lw_new_label(c), pair = lw_new_label(c);
  int done = lw_new_label(c);
  c->p->vars.v[r].type = lw_new_type(c, T_DYN);
  branch(c, prim(c, "null?", var(c, v[0], loc), NULL, T_BOOL, loc), nil, pair, loc);
  lw_label(c, nil, loc);
  lw_assign(c, r, var(c, v[0], loc), loc);
  jump(c, done, loc);
  lw_label(c, pair, loc);
  int t = checked(c, a, "last-pair", v, 0, T_PAIR), d = temp(c, loc), s = temp(c, loc);
  /* of a value never a pair, no pair: the unspecified kind */
  VEC_PUSH(c->fail_types, lw_pair_part(c, c->p->vars.v[t].type, false));
  VEC_PUSH(c->fail_types, lw_pair_part(c, c->p->vars.v[t].type, true));
  lw_assign(c, s, var(c, t, loc), loc);
  int head = lw_new_label(c), last = lw_new_label(c), circ = lw_new_label(c);
  lw_label(c, head, loc);
  for (int half = 0; half < 2; half++) {
    int more = lw_new_label(c);
    lw_assign(c, d, pair_part(c, t, true, loc), loc);
    branch(c, is_pair(c, d, loc), more, last, loc);
    lw_label(c, more, loc);
    lw_assign(c, t, var(c, d, loc), loc);
  }
  lw_assign(c, s, pair_part(c, s, true, loc), loc);
  branch(c, prim(c, "eqv?", var(c, t, loc), var(c, s, loc), T_BOOL, loc), circ, head, loc);
  lw_label(c, circ, loc);
  write_circular(c, v[0], s, loc);
  err_raise(c, a->u.call.args[0]->loc, "type",
            "last-pair: argument 1 must be a list that is not circular, not");
  lw_label(c, last, loc);
  lw_assign(c, r, lw_retype(c, var(c, t, loc), T_PAIR), loc);
  lw_label(c, done, loc);
  return var(c, r, loc);
}

static ir_expr *do_vector_to_list(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  int vec = checked(c, a, "vector->list", v, 0, T_VEC);
  int i = temp_of(c, T_INT, loc), r = temp(c, loc);
  c->p->vars.v[r].type = lw_new_type(c, T_DYN);
  ir_expr *len = lw_mk(c, X_VLEN, loc, 1);
  len->a[0] = var(c, vec, loc);
  len->type = lw_new_type(c, T_INT);
  len->has_nat = true;
  len->nat = T_INT;
  lw_assign(c, i, len, loc);
  lw_assign(c, r, kconst(c, T_NIL, 0, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "positive?", var(c, i, loc), NULL, T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  add_to(c, i, -1, loc);
  ir_expr *el = lw_mk(c, X_VREF, loc, 2);
  el->a[0] = var(c, vec, loc);
  el->a[1] = var(c, i, loc);
  el->type = lw_elem_of(c, c->p->vars.v[vec].type);
  /* of a value never a vector, no element: the unspecified kind */
  VEC_PUSH(c->fail_types, el->type);
  lw_assign(c, r, lw_cons(c, el, var(c, r, loc), loc), loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return var(c, r, loc);
}

static ir_expr *do_list_to_vector(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  int n = proper_length(c, v[0], "list->vector", 0, a->u.call.args[0]->loc, -1, loc);
  int vec = temp(c, loc), t = temp(c, loc), i = temp_of(c, T_INT, loc);
  c->p->vars.v[vec].type = lw_type_of_kind(c, T_VEC);
  lw_assign(c, t, var(c, v[0], loc), loc);
  /* the fill is never seen: every cell is stored before it is read; a
   * variable of the cars' class that is never set keeps the vector's
   * elements of that class */
  int fill = temp(c, loc);
  c->p->vars.v[fill].type = lw_pair_part(c, c->p->vars.v[t].type, false);
  ir_stmt *s = lw_emit(c, S_MAKEVEC, loc);
  s->var = vec;
  s->a[0] = var(c, n, loc);
  s->a[1] = var(c, fill, loc);
  lw_unify(c, ir_elem_type(c->p, c->p->vars.v[vec].type), s->a[1]->type, loc, "a vector element");
  lw_assign(c, i, kconst(c, T_INT, 0, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, is_pair(c, t, loc), body, done, loc);
  lw_label(c, body, loc);
  ir_stmt *vs = lw_emit(c, S_VSET, loc);
  vs->a[0] = var(c, vec, loc);
  vs->a[1] = var(c, i, loc);
  vs->a[2] = pair_part(c, t, false, loc);
  lw_unify(c, ir_elem_type(c->p, c->p->vars.v[vec].type), vs->a[2]->type, loc, "a vector element");
  add_to(c, i, 1, loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return lw_retype(c, var(c, vec, loc), T_VEC);
}

/* ---- entry points ---------------------------------------------------- */

static const char *const allocating[] = {"append", "reverse", "list-copy",
                                         "vector->list", "list->vector", NULL};
static const char *const reading[] = {"length", "list?", "list-tail", "list-ref",
                                      "assq", "assv", "assoc", "last-pair", NULL};

static bool listed(const char *const *names, const char *name) {
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], name)) return true;
  return false;
}

bool lw_listlib_allocates(const char *name) {
  return listed(allocating, name) || lw_listlib2_name(name);   /* lower-listlib2.c */
}

static ir_expr *dispatch(lw *c, const ast *a, const char *name, const int *v, int n) {
  if (!strcmp(name, "length")) return do_length(c, a, v);
  if (!strcmp(name, "list?")) return do_is_list(c, a, v);
  if (!strcmp(name, "append")) return do_append(c, a, v, n);
  if (!strcmp(name, "reverse")) return do_reverse(c, a, v);
  if (!strcmp(name, "list-copy")) return do_list_copy(c, a, v);
  if (!strcmp(name, "list-tail") || !strcmp(name, "list-ref")) return do_list_index(c, a, name, v);
  if (!strcmp(name, "assq") || !strcmp(name, "assv") || !strcmp(name, "assoc"))
    return do_assoc(c, a, name, v);
  if (!strcmp(name, "last-pair")) return do_last_pair(c, a, v);
  if (!strcmp(name, "vector->list")) return do_vector_to_list(c, a, v);
  return do_list_to_vector(c, a, v);
}

ir_expr *lw_listlib_prim(lw *c, const ast *a, const char *name, ir_expr **args, int n) {
  if (!listed(reading, name)) return NULL;
  int v[3];
  pin(c, args, n, v, a->loc);
  if (c->failed) return lw_void_expr(c, a->loc);
  return dispatch(c, a, name, v, n);
}

ir_expr *lw_listlib_effect(lw *c, const ast *a, frame_map *f) {
  const char *name = a->u.call.r.bi->name;
  if (lw_listlib2_name(name)) return lw_listlib2_effect(c, a, f);   /* lower-listlib2.c */
  if (!listed(allocating, name)) return NULL;
  int n = a->u.call.n;
  if (n > 64) {
    lw_fail(c, a->loc, "append with more than 64 arguments in compiled code");
    return lw_void_expr(c, a->loc);
  }
  ir_expr *args[64];
  int v[64];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, a->loc);
  pin(c, args, n, v, a->loc);
  if (c->failed) return lw_void_expr(c, a->loc);
  return dispatch(c, a, name, v, n);
}

/* ---- for lower-hof.c ------------------------------------------------- */

int lw_ll_length(lw *c, int l, const char *op, int argi, srcloc at, srcloc loc) {
  return proper_length(c, l, op, argi, at, -1, loc);
}

/* As lw_ll_length, the argument's number (from 1) in variable argvar. */
int lw_ll_length_dyn(lw *c, int l, const char *op, int argvar, srcloc at, srcloc loc) {
  return proper_length_at(c, l, op, 0, argvar, at, -1, loc);
}

void lw_ll_builder(lw *c, int hl[2], srcloc loc) {
  builder b = new_builder(c, loc);
  hl[0] = b.head;
  hl[1] = b.last;
}

void lw_ll_push_back(lw *c, int hl[2], ir_expr *x, srcloc loc) {
  builder b = {hl[0], hl[1]};
  push_back(c, &b, x, loc);
}

ir_expr *lw_ll_finish(lw *c, int hl[2], ir_expr *x, srcloc loc) {
  builder b = {hl[0], hl[1]};
  return finish(c, &b, x, loc);
}

/* A call through a value (lower-closure.c) of a builtin of this file
 * that makes pairs or vectors, from its arguments' values. */
ir_expr *lw_listlib_call(lw *c, const ast *a, const char *name, ir_expr **args, int n) {
  int v[64];
  if (n > 64) {
    lw_fail(c, a->loc, "%s with more than 64 arguments in compiled code", name);
    return lw_void_expr(c, a->loc);
  }
  pin(c, args, n, v, a->loc);
  if (c->failed) return lw_void_expr(c, a->loc);
  return dispatch(c, a, name, v, n);
}

void lw_ll_err_text(lw *c, const char *text, srcloc loc) { err_text(c, text, loc); }
void lw_ll_err_write(lw *c, ir_expr *x, srcloc loc) { err_write(c, x, loc); }
void lw_ll_err_raise(lw *c, srcloc at, const char *kind, const char *msg) {
  err_raise(c, at, kind, msg);
}
