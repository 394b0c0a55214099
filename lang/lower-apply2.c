/* lower-apply2.c - (apply list ... l) and (apply append ... l) with more
 * arguments than lower-apply.c's unrolled cases: a loop over the
 * arguments inside the model, as lang/builtins.c computes them: list
 * copies its arguments into a new list; append checks every argument
 * but the last a proper list, in order, then copies them, the last
 * shared.  The other variadic builtins loop in lower-apply3.c and
 * lower-apply4.c (arithmetic) and lower-bval.c (string-append, string).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"

#include <string.h>

static const char *const folded[] = {"list", "append", NULL};

bool lw_apply_fold_ok(const builtin *b) {
  for (int i = 0; folded[i]; i++)
    if (!strcmp(folded[i], b->name)) return true;
  return false;
}

static void add_to(lw *c, int v, int k, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), kint(c, k, loc), T_INT, loc), loc);
}

/* A walk over the arguments: the leading ones (s->args), then the
 * list's elements.  walk_next puts the next in x and returns the label
 * taken when there is none left. */
typedef struct {
  const ir_stmt *s;
  int cur, lead, pos, head, done;
} walk;

static void walk_start(lw *c, walk *w, const ir_stmt *s, srcloc loc) {
  w->s = s;
  w->cur = temp(c, loc);
  lw_assign(c, w->cur, s->a[2], loc);
  w->lead = s->nargs;
}

/* The leading argument j into x (a variable of the elements' class). */
static void lead_arg(lw *c, walk *w, int j, int x, srcloc loc) {
  lw_assign(c, x, w->s->args[j], loc);
}

/* Loop head: if the list has a next element, x := it, cur := its cdr;
 * else to done. */
static void list_next(lw *c, walk *w, int x, int done, srcloc loc) {
  int more = lw_new_label(c);
  branch(c, prim(c, "pair?", var(c, w->cur, loc), NULL, T_BOOL, loc), more, done, loc);
  lw_label(c, more, loc);
  lw_assign(c, x, pair_part(c, w->cur, false, loc), loc);
  lw_assign(c, w->cur, pair_part(c, w->cur, true, loc), loc);
}

/* append: argument number idx (a variable) x, not the last, checked a
 * proper list (a circular one stops: its text is not written here),
 * its elements pushed onto hl. */
static void append_one(lw *c, int x, int idx, int hl[2], srcloc loc) {
  int t = temp(c, loc), sl = temp(c, loc);
  lw_assign(c, t, var(c, x, loc), loc);
  lw_assign(c, sl, var(c, x, loc), loc);
  int head = lw_new_label(c), one = lw_new_label(c), two = lw_new_label(c);
  int end = lw_new_label(c), ok = lw_new_label(c), circ = lw_new_label(c);
  int improper = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "pair?", var(c, t, loc), NULL, T_BOOL, loc), one, end, loc);
  lw_label(c, one, loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  branch(c, prim(c, "pair?", var(c, t, loc), NULL, T_BOOL, loc), two, end, loc);
  lw_label(c, two, loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  lw_assign(c, sl, pair_part(c, sl, true, loc), loc);
  branch(c, prim(c, "eqv?", var(c, t, loc), var(c, sl, loc), T_BOOL, loc), circ, head, loc);
  lw_label(c, end, loc);
  branch(c, prim(c, "null?", var(c, t, loc), NULL, T_BOOL, loc), ok, improper, loc);
  lw_label(c, improper, loc);
  lw_ll_err_text(c, "append: argument ", loc);
  lw_ll_err_write(c, var(c, idx, loc), loc);
  lw_ll_err_text(c, " must be a proper list, not ", loc);
  lw_ll_err_write(c, var(c, x, loc), loc);
  lw_ll_err_raise(c, loc, "type", "");
  jump(c, ok, loc);
  lw_label(c, circ, loc);
  lw_ll_err_text(c, "apply: a circular list for append: not in compiled code", loc);
  lw_ll_err_raise(c, loc, "compile", "");
  jump(c, ok, loc);
  lw_label(c, ok, loc);
  /* the copy */
  lw_assign(c, t, var(c, x, loc), loc);
  int h2 = lw_new_label(c), b2 = lw_new_label(c), d2 = lw_new_label(c);
  lw_label(c, h2, loc);
  branch(c, prim(c, "pair?", var(c, t, loc), NULL, T_BOOL, loc), b2, d2, loc);
  lw_label(c, b2, loc);
  lw_ll_push_back(c, hl, pair_part(c, t, false, loc), loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  jump(c, h2, loc);
  lw_label(c, d2, loc);
}

/* Emits the fold of builtin b over s's arguments (more than lower-apply's
 * unrolled cases); its value into s->var, then return or jump to end. */
void lw_apply_fold(lw *c, const ir_stmt *s, const builtin *b, bool ret, int end) {
  srcloc loc = s->loc;
  const char *op = b->name;
  walk w;
  walk_start(c, &w, s, loc);
  ir_expr *r = NULL;
  if (!strcmp(op, "append")) {
    /* every argument but the last copied (checked proper first), in
     * order; the last shared: one argument behind the walk.  Of any
     * number of arguments: none is the empty list. */
    int fin = lw_new_label(c);
    int res = temp(c, loc);
    if (w.lead == 0) {
      int some = lw_new_label(c);
      lw_assign(c, res, lw_quoted(c, v_nil(), loc), loc);
      branch(c, prim(c, "pair?", var(c, w.cur, loc), NULL, T_BOOL, loc), some, fin, loc);
      lw_label(c, some, loc);
    }
    int hl[2];
    lw_ll_builder(c, hl, loc);
    int prev = temp(c, loc), x = temp(c, loc), idx = temp_of(c, T_INT, loc);
    lw_assign(c, idx, kint(c, 0, loc), loc);
    int start = 0;
    if (w.lead > 0) {
      lead_arg(c, &w, 0, prev, loc);
      start = 1;
    } else {
      int none = lw_new_label(c);
      list_next(c, &w, prev, none, loc);   /* there is one */
      lw_label(c, none, loc);
    }
    for (int j = start; j < w.lead; j++) {
      add_to(c, idx, 1, loc);
      append_one(c, prev, idx, hl, loc);
      lead_arg(c, &w, j, prev, loc);
    }
    int head = lw_new_label(c), done = lw_new_label(c);
    lw_label(c, head, loc);
    list_next(c, &w, x, done, loc);
    add_to(c, idx, 1, loc);
    append_one(c, prev, idx, hl, loc);
    lw_assign(c, prev, var(c, x, loc), loc);
    jump(c, head, loc);
    lw_label(c, done, loc);
    lw_assign(c, res, lw_ll_finish(c, hl, var(c, prev, loc), loc), loc);
    jump(c, fin, loc);
    lw_label(c, fin, loc);
    r = var(c, res, loc);
  } else if (!strcmp(op, "list")) {
    int hl[2];
    lw_ll_builder(c, hl, loc);
    int x = temp(c, loc);
    for (int j = 0; j < w.lead; j++) {
      lead_arg(c, &w, j, x, loc);
      lw_ll_push_back(c, hl, var(c, x, loc), loc);
    }
    int head = lw_new_label(c), done = lw_new_label(c);
    lw_label(c, head, loc);
    list_next(c, &w, x, done, loc);
    lw_ll_push_back(c, hl, var(c, x, loc), loc);
    jump(c, head, loc);
    lw_label(c, done, loc);
    r = var(c, hl[0], loc);
  }
  lw_assign(c, s->var, r, loc);
  if (ret) lw_emit(c, S_RETURN, loc)->a[0] = var(c, s->var, loc);
  else jump(c, end, loc);
}
