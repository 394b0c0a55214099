/* lower-apply2.c - (apply f ... list) of a builtin that takes any number
 * of arguments, with more than lower-apply.c's unrolled cases: a loop
 * over the arguments inside the model, as lang/builtins.c computes them.
 *
 * The evaluator first checks every argument's kind in order (the first
 * that is not an integer: "+: argument 10 must be an integer, not a
 * symbol (a)"), then computes: + and - in 64 bits with only the result
 * checked to fit in 32 (here: a 32-bit low part and a count of 2^31
 * carried out of it), * with a first scan for a zero then the product
 * (the checked * of the model: the generic overflow text), max, min, and
 * the comparisons over the whole chain; list copies its arguments into a
 * new list.  Builtins of other kinds of arguments keep lower-apply.c's
 * stop (not compiled yet).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-apply.h"
#include "lower-build.h"

#include <string.h>

static const char *const folded[] = {"+", "-", "*", "max", "min", "=", "<", ">", "<=", ">=",
                                     "list", "append", NULL};

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

/* The overflow of the folded + and -: the generic text of the model. */
static void overflow(lw *c, const char *op, srcloc loc) {
  char text[80];
  snprintf(text, sizeof text, "integer overflow: the result of %s does not fit in 32 bits", op);
  lw_ll_err_text(c, arena_strdup(&c->p->mem, text), loc);
  lw_ll_err_raise(c, loc, "overflow", "");
}

/* sum := sum + sign*x, as lo (32 bits) and hi (the 2^31s carried). */
static void add_wide(lw *c, int lo, int hi, int x, bool neg, srcloc loc) {
  int carry = lw_new_label(c), plain = lw_new_label(c), done = lw_new_label(c);
  int chk = lw_new_label(c), cpos = lw_new_label(c), cneg = lw_new_label(c);
  /* x >= 0 (adding) or x <= 0 (subtracting): the sum may rise past MAX */
  int up = lw_new_label(c), down = lw_new_label(c);
  branch(c, neg ? prim(c, "<=", var(c, x, loc), kint(c, 0, loc), T_BOOL, loc)
                : prim(c, ">=", var(c, x, loc), kint(c, 0, loc), T_BOOL, loc),
         up, down, loc);
  lw_label(c, up, loc);
  /* rising by |x|: past MAX when lo > MAX - |x| (lo > 0 then) */
  {
    ir_expr *room = neg ? prim(c, "+", kint(c, TVL_INT_MAX, loc), var(c, x, loc), T_INT, loc)
                        : prim(c, "-", kint(c, TVL_INT_MAX, loc), var(c, x, loc), T_INT, loc);
    branch(c, prim(c, ">", var(c, lo, loc), room, T_BOOL, loc), cpos, plain, loc);
    lw_label(c, cpos, loc);
    /* lo := lo - 2^31 + |x| (lo - MAX - 1 first: no overflow) */
    lw_assign(c, lo, prim(c, "-", prim(c, "-", var(c, lo, loc), kint(c, TVL_INT_MAX, loc),
                                       T_INT, loc),
                          kint(c, 1, loc), T_INT, loc), loc);
    lw_assign(c, lo, prim(c, neg ? "-" : "+", var(c, lo, loc), var(c, x, loc), T_INT, loc),
              loc);
    add_to(c, hi, 1, loc);
    jump(c, done, loc);
  }
  lw_label(c, down, loc);
  /* falling by |x|: past MIN when lo < MIN + |x| (lo < 0 then) */
  {
    ir_expr *room = neg ? prim(c, "+", kint(c, TVL_INT_MIN, loc), var(c, x, loc), T_INT, loc)
                        : prim(c, "-", kint(c, TVL_INT_MIN, loc), var(c, x, loc), T_INT, loc);
    branch(c, prim(c, "<", var(c, lo, loc), room, T_BOOL, loc), cneg, plain, loc);
    lw_label(c, cneg, loc);
    /* lo := lo + 2^31 - |x| */
    lw_assign(c, lo, prim(c, "+", prim(c, "+", var(c, lo, loc), kint(c, TVL_INT_MAX, loc),
                                       T_INT, loc),
                          kint(c, 1, loc), T_INT, loc), loc);
    lw_assign(c, lo, prim(c, neg ? "-" : "+", var(c, lo, loc), var(c, x, loc), T_INT, loc),
              loc);
    add_to(c, hi, -1, loc);
    jump(c, done, loc);
  }
  lw_label(c, plain, loc);
  lw_assign(c, lo, prim(c, neg ? "-" : "+", var(c, lo, loc), var(c, x, loc), T_INT, loc), loc);
  lw_label(c, done, loc);
  (void)carry;
  (void)chk;
}

/* The result of the wide sum, or the overflow error. */
static ir_expr *wide_result(lw *c, const char *op, int lo, int hi, srcloc loc) {
  int r = temp_of(c, T_INT, loc);
  int zero = lw_new_label(c), nz = lw_new_label(c), one = lw_new_label(c);
  int n1 = lw_new_label(c), m1 = lw_new_label(c), bad = lw_new_label(c);
  int ok1 = lw_new_label(c), ok2 = lw_new_label(c), done = lw_new_label(c);
  branch(c, prim(c, "=", var(c, hi, loc), kint(c, 0, loc), T_BOOL, loc), zero, nz, loc);
  lw_label(c, zero, loc);
  lw_assign(c, r, var(c, lo, loc), loc);
  jump(c, done, loc);
  lw_label(c, nz, loc);
  branch(c, prim(c, "=", var(c, hi, loc), kint(c, 1, loc), T_BOOL, loc), one, n1, loc);
  lw_label(c, one, loc);
  branch(c, prim(c, "<", var(c, lo, loc), kint(c, 0, loc), T_BOOL, loc), ok1, bad, loc);
  lw_label(c, ok1, loc);
  lw_assign(c, r, prim(c, "+", prim(c, "+", var(c, lo, loc), kint(c, TVL_INT_MAX, loc), T_INT,
                                    loc),
                       kint(c, 1, loc), T_INT, loc), loc);
  jump(c, done, loc);
  lw_label(c, n1, loc);
  branch(c, prim(c, "=", var(c, hi, loc), kint(c, -1, loc), T_BOOL, loc), m1, bad, loc);
  lw_label(c, m1, loc);
  branch(c, prim(c, ">=", var(c, lo, loc), kint(c, 0, loc), T_BOOL, loc), ok2, bad, loc);
  lw_label(c, ok2, loc);
  lw_assign(c, r, prim(c, "-", prim(c, "-", var(c, lo, loc), kint(c, TVL_INT_MAX, loc), T_INT,
                                    loc),
                       kint(c, 1, loc), T_INT, loc), loc);
  jump(c, done, loc);
  lw_label(c, bad, loc);
  overflow(c, op, loc);
  jump(c, done, loc);
  lw_label(c, done, loc);
  return var(c, r, loc);
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
  ir_expr *r;
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
  } else {
    /* every argument an integer, in order */
    int x = temp(c, loc), idx = temp_of(c, T_INT, loc);
    for (int j = 0; j < w.lead; j++) {
      lead_arg(c, &w, j, x, loc);
      lw_assign(c, idx, kint(c, j + 1, loc), loc);
      lw_ap_check_kind(c, op, "integer?", "an integer", x, idx, loc);
    }
    {
      int head = lw_new_label(c), done = lw_new_label(c);
      lw_label(c, head, loc);
      list_next(c, &w, x, done, loc);
      add_to(c, idx, 1, loc);
      lw_ap_check_kind(c, op, "integer?", "an integer", x, idx, loc);
      jump(c, head, loc);
      lw_label(c, done, loc);
    }
    /* again from the first: the computation */
    walk_start(c, &w, s, loc);
    int y = temp_of(c, T_INT, loc), acc = temp_of(c, T_INT, loc);
    bool cmp = strchr("=<>", op[0]) != NULL;
    bool wide = !strcmp(op, "+") || !strcmp(op, "-");
    int hi = temp_of(c, T_INT, loc), res = temp_of(c, cmp ? T_BOOL : T_INT, loc);
    int fin = lw_new_label(c);
    /* the first argument: acc */
    if (w.lead > 0) {
      lw_assign(c, y, lw_retype(c, w.s->args[0], T_INT), loc);
    } else {
      /* no arguments: + 0, * 1, the others' arity error */
      int none = lw_new_label(c), one = lw_new_label(c);
      branch(c, prim(c, "pair?", var(c, w.cur, loc), NULL, T_BOOL, loc), one, none, loc);
      lw_label(c, none, loc);
      if (b->min_args == 0) {
        lw_assign(c, res, kint(c, op[0] == '*' ? 1 : 0, loc), loc);
      } else {
        char text[96];
        snprintf(text, sizeof text, "builtin %s takes at least %d argument%s, but 0 were given",
                 op, b->min_args, b->min_args == 1 ? "" : "s");
        lw_ll_err_text(c, arena_strdup(&c->p->mem, text), loc);
        lw_ll_err_raise(c, loc, "arity", "");
      }
      jump(c, fin, loc);
      lw_label(c, one, loc);
      list_next(c, &w, x, none, loc);
      lw_assign(c, y, lw_retype(c, var(c, x, loc), T_INT), loc);
    }
    if (!strcmp(op, "*")) {
      /* a zero anywhere: 0, before any product */
      lw_assign(c, res, kint(c, 0, loc), loc);
      walk z;
      walk_start(c, &z, s, loc);
      int zx = temp(c, loc);
      for (int j = 0; j < z.lead; j++) {
        int nz = lw_new_label(c);
        lead_arg(c, &z, j, zx, loc);
        branch(c, prim(c, "=", lw_retype(c, var(c, zx, loc), T_INT), kint(c, 0, loc), T_BOOL,
                       loc), fin, nz, loc);
        lw_label(c, nz, loc);
      }
      int head = lw_new_label(c), done = lw_new_label(c), nz = lw_new_label(c);
      lw_label(c, head, loc);
      list_next(c, &z, zx, done, loc);
      branch(c, prim(c, "=", lw_retype(c, var(c, zx, loc), T_INT), kint(c, 0, loc), T_BOOL,
                     loc), fin, nz, loc);
      lw_label(c, nz, loc);
      jump(c, head, loc);
      lw_label(c, done, loc);
    }
    lw_assign(c, hi, kint(c, 0, loc), loc);
    if (cmp) lw_assign(c, res, kbool(c, true, loc), loc);
    if (!strcmp(op, "-")) {
      lw_assign(c, acc, kint(c, 0, loc), loc);
      add_wide(c, acc, hi, y, false, loc);
    } else {
      lw_assign(c, acc, var(c, y, loc), loc);
    }
    /* the others (more: there was one) */
    int body = lw_new_label(c), head = lw_new_label(c), done = lw_new_label(c);
    int more = temp_of(c, T_BOOL, loc);
    lw_assign(c, more, kbool(c, w.lead > 1, loc), loc);
    int k = w.lead > 0 ? 1 : 0;
    for (int j = 1; j < w.lead; j++) {
      lead_arg(c, &w, j, x, loc);
      lw_assign(c, y, lw_retype(c, var(c, x, loc), T_INT), loc);
      /* the same body as the loop's: a jump into it would need a return
       * label; the leading arguments are few, the body is small */
      if (wide) {
        add_wide(c, acc, hi, y, op[0] == '-', loc);
      } else if (cmp) {
        int t = lw_new_label(c), f = lw_new_label(c), nx = lw_new_label(c);
        branch(c, prim(c, op, var(c, acc, loc), var(c, y, loc), T_BOOL, loc), t, f, loc);
        lw_label(c, f, loc);
        lw_assign(c, res, kbool(c, false, loc), loc);
        lw_label(c, t, loc);
        jump(c, nx, loc);
        lw_label(c, nx, loc);
        lw_assign(c, acc, var(c, y, loc), loc);
      } else if (!strcmp(op, "max") || !strcmp(op, "min")) {
        int t = lw_new_label(c), f = lw_new_label(c);
        branch(c, prim(c, op[1] == 'a' ? ">" : "<", var(c, y, loc), var(c, acc, loc), T_BOOL,
                       loc), t, f, loc);
        lw_label(c, t, loc);
        lw_assign(c, acc, var(c, y, loc), loc);
        lw_label(c, f, loc);
      } else {   /* * */
        lw_assign(c, acc, prim(c, "*", var(c, acc, loc), var(c, y, loc), T_INT, loc), loc);
      }
    }
    (void)k;
    lw_label(c, head, loc);
    list_next(c, &w, x, done, loc);
    lw_label(c, body, loc);
    lw_assign(c, y, lw_retype(c, var(c, x, loc), T_INT), loc);
    if (wide) {
      add_wide(c, acc, hi, y, op[0] == '-', loc);
    } else if (cmp) {
      int t = lw_new_label(c), f = lw_new_label(c);
      branch(c, prim(c, op, var(c, acc, loc), var(c, y, loc), T_BOOL, loc), t, f, loc);
      lw_label(c, f, loc);
      lw_assign(c, res, kbool(c, false, loc), loc);
      lw_label(c, t, loc);
      lw_assign(c, acc, var(c, y, loc), loc);
    } else if (!strcmp(op, "max") || !strcmp(op, "min")) {
      int t = lw_new_label(c), f = lw_new_label(c);
      branch(c, prim(c, op[1] == 'a' ? ">" : "<", var(c, y, loc), var(c, acc, loc), T_BOOL, loc),
             t, f, loc);
      lw_label(c, t, loc);
      lw_assign(c, acc, var(c, y, loc), loc);
      lw_label(c, f, loc);
    } else {
      lw_assign(c, acc, prim(c, "*", var(c, acc, loc), var(c, y, loc), T_INT, loc), loc);
    }
    lw_assign(c, more, kbool(c, true, loc), loc);
    jump(c, head, loc);
    lw_label(c, done, loc);
    if (op[0] == '-') {
      /* one argument: its negation */
      int neg1 = lw_new_label(c), many = lw_new_label(c);
      branch(c, var(c, more, loc), many, neg1, loc);
      lw_label(c, neg1, loc);
      lw_assign(c, acc, kint(c, 0, loc), loc);
      lw_assign(c, hi, kint(c, 0, loc), loc);
      add_wide(c, acc, hi, y, true, loc);
      lw_label(c, many, loc);
    }
    if (wide) lw_assign(c, res, wide_result(c, op, acc, hi, loc), loc);
    else if (!cmp) lw_assign(c, res, var(c, acc, loc), loc);
    jump(c, fin, loc);
    lw_label(c, fin, loc);
    r = var(c, res, loc);
  }
  lw_assign(c, s->var, r, loc);
  if (ret) lw_emit(c, S_RETURN, loc)->a[0] = var(c, s->var, loc);
  else jump(c, end, loc);
}
