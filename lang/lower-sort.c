/* lower-sort.c - sort and stable-sort in the lowering: statements that
 * make the calls of less the evaluator makes (lang/builtins-more.c
 * sort_as), in the same order: Guile's top-down merge sort for lists
 * (and stable-sort of a vector), Guile's quicksort for sort of a vector.
 *
 * The recursion of the merge sort becomes a loop over a stack of
 * (start, count, stage) frames kept in a heap vector of SORT_STACK
 * cells, which the quicksort uses for its (lo, hi) pairs; the elements
 * are copied into a vector of the list's length first, a second one
 * takes the merges, as in the evaluator, which allocates the same three
 * vectors in the same order (so that the heap fills at the same call).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <stdio.h>
#include <string.h>

enum { SORT_STACK = 192, SORT_THRESH = 4 };

/* ---- small builders (as in lower-listlib2.c) ------------------------- */

static ir_expr *k(lw *c, int32_t v, srcloc loc) { return kconst(c, T_INT, v, loc); }

static ir_expr *add(lw *c, ir_expr *x, ir_expr *y, srcloc loc) {
  return prim(c, "+", x, y, T_INT, loc);
}

static ir_expr *sub(lw *c, ir_expr *x, ir_expr *y, srcloc loc) {
  return prim(c, "-", x, y, T_INT, loc);
}


static ir_expr *cmp(lw *c, const char *op, ir_expr *x, ir_expr *y, srcloc loc) {
  return prim(c, op, x, y, T_BOOL, loc);
}

/* if test: on at a new label; otherwise to no */
static void when(lw *c, ir_expr *test, int no, srcloc loc) {
  int yes = lw_new_label(c);
  branch(c, test, yes, no, loc);
  lw_label(c, yes, loc);
}

static void set(lw *c, int v, ir_expr *e, srcloc loc) { lw_assign(c, v, e, loc); }

/* dst := x / 2 (x not negative) by counting up: a division would cost
 * the model some twenty layers, the loop as many steps as the merge or
 * the partition that follows it */
static void half_into(lw *c, int dst, ir_expr *x, srcloc loc) {
  int h = temp_of(c, T_INT, loc), top = lw_new_label(c), done = lw_new_label(c);
  set(c, h, x, loc);
  set(c, dst, k(c, 0, loc), loc);
  lw_label(c, top, loc);
  when(c, cmp(c, "<=", add(c, add(c, var(c, dst, loc), var(c, dst, loc), loc), k(c, 2, loc), loc),
              var(c, h, loc), loc), done, loc);
  set(c, dst, add(c, var(c, dst, loc), k(c, 1, loc), loc), loc);
  jump(c, top, loc);
  lw_label(c, done, loc);
}

/* Element i (an expression) of vector variable v. */
static ir_expr *elem(lw *c, int v, ir_expr *i, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VREF, loc, 2);
  e->a[0] = lw_retype(c, var(c, v, loc), T_VEC);
  e->a[1] = i;
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

/* v[i] := x, v a variable holding a plain vector, i an expression */
static void vset(lw *c, int v, ir_expr *i, ir_expr *x, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_VSET, loc);
  s->a[0] = var(c, v, loc);
  s->a[1] = i;
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

/* less called on elements a and b of items (expressions): its truth in a
 * new variable */
static int call_less(lw *c, const ast *a, int less, ir_expr *x, ir_expr *y, int depth,
                     srcloc loc) {
  ir_expr *args[2] = {x, y};
  int r = temp(c, loc);
  set(c, r, lw_callv(c, a, var(c, less, a->u.call.args[1]->loc), args, 2, depth), loc);
  return r;
}

/* items[x] and items[y] exchanged */
static void swap(lw *c, int items, int x, int y, srcloc loc) {
  int t = temp(c, loc);
  set(c, t, elem(c, items, var(c, x, loc), loc), loc);
  vset(c, items, var(c, x, loc), elem(c, items, var(c, y, loc), loc), loc);
  vset(c, items, var(c, y, loc), var(c, t, loc), loc);
}

static void buggy(lw *c, const ast *a) {
  char text[120];
  snprintf(text, sizeof text, "%s: buggy less predicate used when sorting",
           a->u.call.r.bi->name);
  lw_ll_err_text(c, arena_strdup(&c->p->mem, text), a->loc);
  lw_ll_err_raise(c, a->loc, "type", "");
}

/* ---- Guile's merge sort --------------------------------------------- */

/* push (x, y, z) on stack st at sp */
static void push3(lw *c, int st, int sp, ir_expr *x, ir_expr *y, ir_expr *z, srcloc loc) {
  vset(c, st, var(c, sp, loc), x, loc);
  vset(c, st, add(c, var(c, sp, loc), k(c, 1, loc), loc), y, loc);
  vset(c, st, add(c, var(c, sp, loc), k(c, 2, loc), loc), z, loc);
  set(c, sp, add(c, var(c, sp, loc), k(c, 3, loc), loc), loc);
}

/* up: a variable, 1 when the first half is the larger (stable-sort of a
 * vector), else 0 */
static void merge_sort(lw *c, const ast *a, int less, int items, int tmp, int st, int len,
                       int up, int depth, srcloc loc) {
  int sp = temp_of(c, T_INT, loc), lo = temp_of(c, T_INT, loc), n = temp_of(c, T_INT, loc);
  int stage = temp_of(c, T_INT, loc), m = temp_of(c, T_INT, loc);
  int i = temp_of(c, T_INT, loc), j = temp_of(c, T_INT, loc), kk = temp_of(c, T_INT, loc);
  int ae = temp_of(c, T_INT, loc), be = temp_of(c, T_INT, loc);
  int head = lw_new_label(c), done = lw_new_label(c);
  set(c, sp, k(c, 0, loc), loc);
  push3(c, st, sp, k(c, 0, loc), var(c, len, loc), k(c, 0, loc), loc);
  lw_label(c, head, loc);
  when(c, cmp(c, ">", var(c, sp, loc), k(c, 0, loc), loc), done, loc);
  set(c, sp, sub(c, var(c, sp, loc), k(c, 3, loc), loc), loc);
  set(c, lo, lw_retype(c, elem(c, st, var(c, sp, loc), loc), T_INT), loc);
  set(c, n, lw_retype(c, elem(c, st, add(c, var(c, sp, loc), k(c, 1, loc), loc), loc), T_INT),
      loc);
  set(c, stage,
      lw_retype(c, elem(c, st, add(c, var(c, sp, loc), k(c, 2, loc), loc), loc), T_INT), loc);
  {
    /* two elements: exchanged when less says the second comes first */
    int not2 = lw_new_label(c);
    when(c, cmp(c, "=", var(c, n, loc), k(c, 2, loc), loc), not2, loc);
    int x1 = temp_of(c, T_INT, loc);
    set(c, x1, add(c, var(c, lo, loc), k(c, 1, loc), loc), loc);
    int r = call_less(c, a, less, elem(c, items, var(c, x1, loc), loc),
                      elem(c, items, var(c, lo, loc), loc), depth, loc);
    when(c, var(c, r, loc), head, loc);
    swap(c, items, lo, x1, loc);
    jump(c, head, loc);
    lw_label(c, not2, loc);
  }
  when(c, cmp(c, ">", var(c, n, loc), k(c, 2, loc), loc), head, loc);
  half_into(c, m, add(c, var(c, n, loc), var(c, up, loc), loc), loc);
  {
    /* first time: the merge after both halves, the second half, the first */
    int merge = lw_new_label(c);
    when(c, cmp(c, "=", var(c, stage, loc), k(c, 0, loc), loc), merge, loc);
    push3(c, st, sp, var(c, lo, loc), var(c, n, loc), k(c, 1, loc), loc);
    push3(c, st, sp, add(c, var(c, lo, loc), var(c, m, loc), loc),
          sub(c, var(c, n, loc), var(c, m, loc), loc), k(c, 0, loc), loc);
    push3(c, st, sp, var(c, lo, loc), var(c, m, loc), k(c, 0, loc), loc);
    jump(c, head, loc);
    lw_label(c, merge, loc);
  }
  /* merge items[lo..lo+m) and items[lo+m..lo+n) into tmp, then back */
  set(c, i, var(c, lo, loc), loc);
  set(c, j, add(c, var(c, lo, loc), var(c, m, loc), loc), loc);
  set(c, kk, var(c, lo, loc), loc);
  set(c, ae, var(c, j, loc), loc);
  set(c, be, add(c, var(c, lo, loc), var(c, n, loc), loc), loc);
  {
    int mh = lw_new_label(c), md = lw_new_label(c), takei = lw_new_label(c);
    lw_label(c, mh, loc);
    when(c, cmp(c, "<", var(c, i, loc), var(c, ae, loc), loc), md, loc);
    when(c, cmp(c, "<", var(c, j, loc), var(c, be, loc), loc), md, loc);
    int xj = temp(c, loc), xi = temp(c, loc);
    set(c, xj, elem(c, items, var(c, j, loc), loc), loc);
    set(c, xi, elem(c, items, var(c, i, loc), loc), loc);
    int r = call_less(c, a, less, var(c, xj, loc), var(c, xi, loc), depth, loc);
    when(c, var(c, r, loc), takei, loc);
    vset(c, tmp, var(c, kk, loc), var(c, xj, loc), loc);
    set(c, j, add(c, var(c, j, loc), k(c, 1, loc), loc), loc);
    set(c, kk, add(c, var(c, kk, loc), k(c, 1, loc), loc), loc);
    jump(c, mh, loc);
    lw_label(c, takei, loc);
    vset(c, tmp, var(c, kk, loc), var(c, xi, loc), loc);
    set(c, i, add(c, var(c, i, loc), k(c, 1, loc), loc), loc);
    set(c, kk, add(c, var(c, kk, loc), k(c, 1, loc), loc), loc);
    jump(c, mh, loc);
    lw_label(c, md, loc);
  }
  for (int p = 0; p < 2; p++) {
    int idx = p ? j : i, lim = p ? be : ae;
    int h = lw_new_label(c), d = lw_new_label(c);
    lw_label(c, h, loc);
    when(c, cmp(c, "<", var(c, idx, loc), var(c, lim, loc), loc), d, loc);
    vset(c, tmp, var(c, kk, loc), elem(c, items, var(c, idx, loc), loc), loc);
    set(c, idx, add(c, var(c, idx, loc), k(c, 1, loc), loc), loc);
    set(c, kk, add(c, var(c, kk, loc), k(c, 1, loc), loc), loc);
    jump(c, h, loc);
    lw_label(c, d, loc);
  }
  {
    int h = lw_new_label(c);
    set(c, i, var(c, lo, loc), loc);
    lw_label(c, h, loc);
    when(c, cmp(c, "<", var(c, i, loc), var(c, be, loc), loc), head, loc);
    vset(c, items, var(c, i, loc), elem(c, tmp, var(c, i, loc), loc), loc);
    set(c, i, add(c, var(c, i, loc), k(c, 1, loc), loc), loc);
    jump(c, h, loc);
  }
  lw_label(c, done, loc);
}

/* ---- Guile's quicksort ---------------------------------------------- */

static void quick_sort(lw *c, const ast *a, int less, int items, int st, int len, int depth,
                       srcloc loc) {
  int lo = temp_of(c, T_INT, loc), hi = temp_of(c, T_INT, loc), top = temp_of(c, T_INT, loc);
  int mid = temp_of(c, T_INT, loc), left = temp_of(c, T_INT, loc);
  int right = temp_of(c, T_INT, loc), t = temp_of(c, T_INT, loc), run = temp_of(c, T_INT, loc);
  int thresh = temp_of(c, T_INT, loc);
  int ins = lw_new_label(c), end = lw_new_label(c);
  when(c, cmp(c, ">", var(c, len, loc), k(c, 0, loc), loc), end, loc);
  set(c, lo, k(c, 0, loc), loc);
  set(c, hi, sub(c, var(c, len, loc), k(c, 1, loc), loc), loc);
  set(c, top, k(c, 0, loc), loc);
  when(c, cmp(c, ">", var(c, len, loc), k(c, SORT_THRESH, loc), loc), ins, loc);
  vset(c, st, k(c, 0, loc), k(c, 0, loc), loc);
  vset(c, st, k(c, 1, loc), k(c, 0, loc), loc);
  set(c, top, k(c, 2, loc), loc);
  int qh = lw_new_label(c), qd = lw_new_label(c);
  lw_label(c, qh, loc);
  when(c, cmp(c, ">", var(c, top, loc), k(c, 0, loc), loc), qd, loc);
  half_into(c, mid, sub(c, var(c, hi, loc), var(c, lo, loc), loc), loc);
  set(c, mid, add(c, var(c, lo, loc), var(c, mid, loc), loc), loc);
  {
    /* the median of three */
    int n1 = lw_new_label(c), n2 = lw_new_label(c), n3 = lw_new_label(c);
    int r = call_less(c, a, less, elem(c, items, var(c, mid, loc), loc),
                      elem(c, items, var(c, lo, loc), loc), depth, loc);
    when(c, var(c, r, loc), n1, loc);
    swap(c, items, mid, lo, loc);
    lw_label(c, n1, loc);
    r = call_less(c, a, less, elem(c, items, var(c, hi, loc), loc),
                  elem(c, items, var(c, mid, loc), loc), depth, loc);
    when(c, var(c, r, loc), n2, loc);
    swap(c, items, mid, hi, loc);
    r = call_less(c, a, less, elem(c, items, var(c, mid, loc), loc),
                  elem(c, items, var(c, lo, loc), loc), depth, loc);
    when(c, var(c, r, loc), n3, loc);
    swap(c, items, mid, lo, loc);
    lw_label(c, n3, loc);
    lw_label(c, n2, loc);
  }
  set(c, left, add(c, var(c, lo, loc), k(c, 1, loc), loc), loc);
  set(c, right, sub(c, var(c, hi, loc), k(c, 1, loc), loc), loc);
  {
    /* do { ... } while (left <= right) */
    int body = lw_new_label(c), pdone = lw_new_label(c);
    lw_label(c, body, loc);
    {
      int h = lw_new_label(c), d = lw_new_label(c), ok = lw_new_label(c);
      lw_label(c, h, loc);
      int r = call_less(c, a, less, elem(c, items, var(c, left, loc), loc),
                        elem(c, items, var(c, mid, loc), loc), depth, loc);
      when(c, var(c, r, loc), d, loc);
      set(c, left, add(c, var(c, left, loc), k(c, 1, loc), loc), loc);
      int bad = lw_new_label(c);
      branch(c, cmp(c, ">", var(c, left, loc), var(c, hi, loc), loc), bad, ok, loc);
      lw_label(c, bad, loc);
      buggy(c, a);
      jump(c, ok, loc);
      lw_label(c, ok, loc);
      jump(c, h, loc);
      lw_label(c, d, loc);
    }
    {
      int h = lw_new_label(c), d = lw_new_label(c), ok = lw_new_label(c);
      lw_label(c, h, loc);
      int r = call_less(c, a, less, elem(c, items, var(c, mid, loc), loc),
                        elem(c, items, var(c, right, loc), loc), depth, loc);
      when(c, var(c, r, loc), d, loc);
      set(c, right, sub(c, var(c, right, loc), k(c, 1, loc), loc), loc);
      int bad = lw_new_label(c);
      branch(c, cmp(c, "<", var(c, right, loc), var(c, lo, loc), loc), bad, ok, loc);
      lw_label(c, bad, loc);
      buggy(c, a);
      jump(c, ok, loc);
      lw_label(c, ok, loc);
      jump(c, h, loc);
      lw_label(c, d, loc);
    }
    {
      int notlt = lw_new_label(c), next = lw_new_label(c), m1 = lw_new_label(c);
      int m2 = lw_new_label(c), mdone = lw_new_label(c);
      when(c, cmp(c, "<", var(c, left, loc), var(c, right, loc), loc), notlt, loc);
      swap(c, items, left, right, loc);
      branch(c, cmp(c, "=", var(c, mid, loc), var(c, left, loc), loc), m1, m2, loc);
      lw_label(c, m1, loc);
      set(c, mid, var(c, right, loc), loc);
      jump(c, mdone, loc);
      lw_label(c, m2, loc);
      {
        int m3 = lw_new_label(c);
        when(c, cmp(c, "=", var(c, mid, loc), var(c, right, loc), loc), mdone, loc);
        set(c, mid, var(c, left, loc), loc);
        jump(c, m3, loc);
        lw_label(c, m3, loc);
      }
      lw_label(c, mdone, loc);
      set(c, left, add(c, var(c, left, loc), k(c, 1, loc), loc), loc);
      set(c, right, sub(c, var(c, right, loc), k(c, 1, loc), loc), loc);
      jump(c, next, loc);
      lw_label(c, notlt, loc);
      when(c, cmp(c, "=", var(c, left, loc), var(c, right, loc), loc), next, loc);
      set(c, left, add(c, var(c, left, loc), k(c, 1, loc), loc), loc);
      set(c, right, sub(c, var(c, right, loc), k(c, 1, loc), loc), loc);
      jump(c, pdone, loc);
      lw_label(c, next, loc);
      branch(c, cmp(c, "<=", var(c, left, loc), var(c, right, loc), loc), body, pdone, loc);
    }
    lw_label(c, pdone, loc);
  }
  {
    /* the next partition: the smaller one now, the larger one's bounds
     * pushed; one of at most SORT_THRESH elements left to the insertion
     * sort */
    int a1 = lw_new_label(c), a2 = lw_new_label(c), a3 = lw_new_label(c);
    ir_expr *lsmall = cmp(c, "<=", sub(c, var(c, right, loc), var(c, lo, loc), loc),
                          k(c, SORT_THRESH, loc), loc);
    when(c, lsmall, a1, loc);
    {
      int pop = lw_new_label(c), keep = lw_new_label(c);
      branch(c, cmp(c, "<=", sub(c, var(c, hi, loc), var(c, left, loc), loc),
                    k(c, SORT_THRESH, loc), loc), pop, keep, loc);
      lw_label(c, pop, loc);
      set(c, top, sub(c, var(c, top, loc), k(c, 2, loc), loc), loc);
      set(c, lo, lw_retype(c, elem(c, st, var(c, top, loc), loc), T_INT), loc);
      set(c, hi, lw_retype(c, elem(c, st, add(c, var(c, top, loc), k(c, 1, loc), loc), loc),
                           T_INT), loc);
      jump(c, qh, loc);
      lw_label(c, keep, loc);
      set(c, lo, var(c, left, loc), loc);
      jump(c, qh, loc);
    }
    lw_label(c, a1, loc);
    when(c, cmp(c, "<=", sub(c, var(c, hi, loc), var(c, left, loc), loc), k(c, SORT_THRESH, loc),
                loc), a2, loc);
    set(c, hi, var(c, right, loc), loc);
    jump(c, qh, loc);
    lw_label(c, a2, loc);
    when(c, cmp(c, ">", sub(c, var(c, right, loc), var(c, lo, loc), loc),
                sub(c, var(c, hi, loc), var(c, left, loc), loc), loc), a3, loc);
    vset(c, st, var(c, top, loc), var(c, lo, loc), loc);
    vset(c, st, add(c, var(c, top, loc), k(c, 1, loc), loc), var(c, right, loc), loc);
    set(c, top, add(c, var(c, top, loc), k(c, 2, loc), loc), loc);
    set(c, lo, var(c, left, loc), loc);
    jump(c, qh, loc);
    lw_label(c, a3, loc);
    vset(c, st, var(c, top, loc), var(c, left, loc), loc);
    vset(c, st, add(c, var(c, top, loc), k(c, 1, loc), loc), var(c, hi, loc), loc);
    set(c, top, add(c, var(c, top, loc), k(c, 2, loc), loc), loc);
    set(c, hi, var(c, right, loc), loc);
    jump(c, qh, loc);
  }
  lw_label(c, qd, loc);
  set(c, lo, k(c, 0, loc), loc);
  set(c, hi, sub(c, var(c, len, loc), k(c, 1, loc), loc), loc);
  lw_label(c, ins, loc);
  {
    /* the smallest of the first SORT_THRESH + 1 to the front */
    int small = lw_new_label(c), h = lw_new_label(c), d = lw_new_label(c), nx = lw_new_label(c);
    set(c, thresh, var(c, hi, loc), loc);
    when(c, cmp(c, ">", var(c, hi, loc), k(c, SORT_THRESH, loc), loc), small, loc);
    set(c, thresh, k(c, SORT_THRESH, loc), loc);
    lw_label(c, small, loc);
    set(c, t, var(c, lo, loc), loc);
    set(c, run, add(c, var(c, t, loc), k(c, 1, loc), loc), loc);
    lw_label(c, h, loc);
    when(c, cmp(c, "<=", var(c, run, loc), var(c, thresh, loc), loc), d, loc);
    int r = call_less(c, a, less, elem(c, items, var(c, run, loc), loc),
                      elem(c, items, var(c, t, loc), loc), depth, loc);
    when(c, var(c, r, loc), nx, loc);
    set(c, t, var(c, run, loc), loc);
    lw_label(c, nx, loc);
    set(c, run, add(c, var(c, run, loc), k(c, 1, loc), loc), loc);
    jump(c, h, loc);
    lw_label(c, d, loc);
    int same = lw_new_label(c), diff = lw_new_label(c);
    branch(c, cmp(c, "=", var(c, t, loc), var(c, lo, loc), loc), same, diff, loc);
    lw_label(c, diff, loc);
    swap(c, items, t, lo, loc);
    lw_label(c, same, loc);
  }
  {
    /* the insertion sort */
    int h = lw_new_label(c), body = lw_new_label(c), wh = lw_new_label(c);
    int wd = lw_new_label(c), next = lw_new_label(c);
    set(c, run, add(c, var(c, lo, loc), k(c, 2, loc), loc), loc);
    lw_label(c, h, loc);
    branch(c, cmp(c, "<=", var(c, run, loc), var(c, hi, loc), loc), body, end, loc);
    lw_label(c, body, loc);
    set(c, t, sub(c, var(c, run, loc), k(c, 1, loc), loc), loc);
    lw_label(c, wh, loc);
    int r = call_less(c, a, less, elem(c, items, var(c, run, loc), loc),
                      elem(c, items, var(c, t, loc), loc), depth, loc);
    when(c, var(c, r, loc), wd, loc);
    {
      int ok = lw_new_label(c), bad = lw_new_label(c);
      branch(c, cmp(c, "=", var(c, t, loc), var(c, lo, loc), loc), bad, ok, loc);
      lw_label(c, bad, loc);
      buggy(c, a);
      jump(c, ok, loc);
      lw_label(c, ok, loc);
    }
    set(c, t, sub(c, var(c, t, loc), k(c, 1, loc), loc), loc);
    jump(c, wh, loc);
    lw_label(c, wd, loc);
    set(c, t, add(c, var(c, t, loc), k(c, 1, loc), loc), loc);
    when(c, cmp(c, "<", var(c, t, loc), var(c, run, loc), loc), next, loc);
    {
      /* items[t..run] rotated: items[run] to t */
      int x = temp(c, loc), o = temp_of(c, T_INT, loc), rh = lw_new_label(c);
      int rd = lw_new_label(c);
      set(c, x, elem(c, items, var(c, run, loc), loc), loc);
      set(c, o, var(c, run, loc), loc);
      lw_label(c, rh, loc);
      when(c, cmp(c, ">", var(c, o, loc), var(c, t, loc), loc), rd, loc);
      vset(c, items, var(c, o, loc),
           elem(c, items, sub(c, var(c, o, loc), k(c, 1, loc), loc), loc), loc);
      set(c, o, sub(c, var(c, o, loc), k(c, 1, loc), loc), loc);
      jump(c, rh, loc);
      lw_label(c, rd, loc);
      vset(c, items, var(c, t, loc), var(c, x, loc), loc);
    }
    lw_label(c, next, loc);
    set(c, run, add(c, var(c, run, loc), k(c, 1, loc), loc), loc);
    jump(c, h, loc);
  }
  lw_label(c, end, loc);
}

/* ---- the call ------------------------------------------------------- */

/* (sort seq less) or (stable-sort seq less), less already checked a
 * procedure: a list proper (a vector as it is), its elements into a new
 * vector, the scratch vectors, the sort, then the vector or a new list
 * of it. */
ir_expr *lw_sort_call(lw *c, const ast *a, const int *v, int depth) {
  srcloc loc = a->loc;
  bool stable = !strcmp(a->u.call.r.bi->name, "stable-sort");
  tkind have = ir_kind(c->p, c->p->vars.v[v[0]].type);
  bool may_vec = have == T_VEC || have == T_ANY || have == T_DYN;
  int isvec = temp_of(c, T_BOOL, loc);
  if (have == T_VEC) set(c, isvec, kconst(c, T_BOOL, 1, loc), loc);
  else if (may_vec) set(c, isvec, prim(c, "vector?", var(c, v[0], loc), NULL, T_BOOL, loc), loc);
  else set(c, isvec, kconst(c, T_BOOL, 0, loc), loc);
  int len = temp_of(c, T_INT, loc), like = temp(c, loc);
  int lv = lw_new_label(c), ll = lw_new_label(c), alloc = lw_new_label(c);
  branch(c, var(c, isvec, loc), lv, ll, loc);
  lw_label(c, lv, loc);
  if (may_vec) {
    set(c, len, vlen(c, v[0], loc), loc);
    lw_unify(c, c->p->vars.v[like].type, lw_elem_of(c, c->p->vars.v[v[0]].type), loc,
             "a vector element");
  }
  jump(c, alloc, loc);
  lw_label(c, ll, loc);
  if (have != T_VEC) {
    int n = lw_ll_length(c, v[0], a->u.call.r.bi->name, 0, a->u.call.args[0]->loc, loc);
    set(c, len, var(c, n, loc), loc);
    lw_unify(c, c->p->vars.v[like].type, lw_pair_part(c, c->p->vars.v[v[0]].type, false), loc,
             "a list element");
  }
  lw_label(c, alloc, loc);
  int items = new_vec(c, len, like, loc), tmp = new_vec(c, len, like, loc);
  lw_unify(c, c->p->vars.v[items].type, c->p->vars.v[tmp].type, loc, "a vector");
  int slen = temp_of(c, T_INT, loc), zero = temp_of(c, T_INT, loc);
  set(c, slen, k(c, SORT_STACK, loc), loc);
  set(c, zero, k(c, 0, loc), loc);
  int st = new_vec(c, slen, zero, loc);
  int i = temp_of(c, T_INT, loc);
  /* fill items */
  {
    int fv = lw_new_label(c), fl = lw_new_label(c), filled = lw_new_label(c);
    set(c, i, k(c, 0, loc), loc);
    branch(c, var(c, isvec, loc), fv, fl, loc);
    lw_label(c, fv, loc);
    if (may_vec) {
      int src = temp(c, loc);
      set(c, src, lw_retype(c, var(c, v[0], loc), T_VEC), loc);
      int head = lw_new_label(c);
      lw_label(c, head, loc);
      when(c, cmp(c, "<", var(c, i, loc), var(c, len, loc), loc), filled, loc);
      vset(c, items, var(c, i, loc), elem(c, src, var(c, i, loc), loc), loc);
      set(c, i, add(c, var(c, i, loc), k(c, 1, loc), loc), loc);
      jump(c, head, loc);
    } else {
      jump(c, filled, loc);
    }
    lw_label(c, fl, loc);
    if (have != T_VEC) {
      int t = temp(c, loc);
      set(c, t, var(c, v[0], loc), loc);
      int head = lw_new_label(c);
      lw_label(c, head, loc);
      when(c, prim(c, "pair?", var(c, t, loc), NULL, T_BOOL, loc), filled, loc);
      vset(c, items, var(c, i, loc), pair_part(c, t, false, loc), loc);
      set(c, t, pair_part(c, t, true, loc), loc);
      set(c, i, add(c, var(c, i, loc), k(c, 1, loc), loc), loc);
      jump(c, head, loc);
    }
    lw_label(c, filled, loc);
  }
  /* sort: a vector by sort, Guile's quicksort; else the merge sort */
  {
    int qs = lw_new_label(c), ms = lw_new_label(c), sorted = lw_new_label(c);
    if (!stable && may_vec) {
      branch(c, var(c, isvec, loc), qs, ms, loc);
      lw_label(c, qs, loc);
      quick_sort(c, a, v[1], items, st, len, depth, loc);
      jump(c, sorted, loc);
    }
    lw_label(c, ms, loc);
    if (stable || have != T_VEC) {
      int up = temp_of(c, T_INT, loc);
      if (stable && may_vec) {
        int y = lw_new_label(c), no = lw_new_label(c), d = lw_new_label(c);
        branch(c, var(c, isvec, loc), y, no, loc);
        lw_label(c, y, loc);
        set(c, up, k(c, 1, loc), loc);
        jump(c, d, loc);
        lw_label(c, no, loc);
        set(c, up, k(c, 0, loc), loc);
        lw_label(c, d, loc);
      } else {
        set(c, up, k(c, 0, loc), loc);
      }
      merge_sort(c, a, v[1], items, tmp, st, len, up, depth, loc);
    }
    lw_label(c, sorted, loc);
  }
  /* the result */
  if (have == T_VEC) return lw_retype(c, var(c, items, loc), T_VEC);
  int res = temp(c, loc);
  int rv = lw_new_label(c), rl = lw_new_label(c), rd = lw_new_label(c);
  if (may_vec) branch(c, var(c, isvec, loc), rv, rl, loc);
  else jump(c, rl, loc);
  lw_label(c, rv, loc);
  /* through a check: res's class holds lists too (the kind of its values
   * is carried), while items' cells are a plain vector's */
  if (may_vec) set(c, res, lw_retype(c, var(c, items, loc), T_VEC), loc);
  jump(c, rd, loc);
  lw_label(c, rl, loc);
  {
    int l = temp(c, loc);
    set(c, l, lw_quoted(c, v_nil(), loc), loc);
    set(c, i, sub(c, var(c, len, loc), k(c, 1, loc), loc), loc);
    int h = lw_new_label(c), e = lw_new_label(c);
    lw_label(c, h, loc);
    when(c, cmp(c, ">=", var(c, i, loc), k(c, 0, loc), loc), e, loc);
    set(c, l, lw_cons(c, elem(c, items, var(c, i, loc), loc), var(c, l, loc), loc), loc);
    set(c, i, sub(c, var(c, i, loc), k(c, 1, loc), loc), loc);
    jump(c, h, loc);
    lw_label(c, e, loc);
    set(c, res, var(c, l, loc), loc);
  }
  lw_label(c, rd, loc);
  return var(c, res, loc);
}
