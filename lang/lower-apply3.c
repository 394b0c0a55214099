/* lower-apply3.c - (apply f ... list) of the variadic builtins that
 * lower-apply2.c (list, append) and lower-bval.c (string-append,
 * string) do not loop over: logand,
 * logior, logxor, /, max, min, the integer, character and string
 * comparisons, vector, cons* and symbol-append, with a list of any
 * length: one loop inside the model, as lang/builtins.c computes them
 * (+ - * gcd lcm: lower-apply4.c).
 *
 * The evaluator first checks every argument's kind in order (the
 * table's check: "logand: argument 10 must be an integer, not a symbol
 * (a)"), then computes; the comparisons check each argument when its
 * pair is reached, as Guile (builtin_pairwise).  Here the same: a first walk over the arguments
 * checks them, a second computes, each step the builtin's own call of
 * two arguments (its direct lowering, whose checks then pass): logand
 * and the others of an accumulator and the next argument, the
 * comparisons of each argument and the next, stopping at the first that
 * fails as the evaluator's loop does.  /, whose errors name all the
 * operands ("division by zero: (/ 8 2 0)"), has its own steps: the
 * model writes the operands into the error's text.
 *
 * Also here, shared with lower-apply2.c and lower-bval.c: the walk over
 * apply's arguments and the kind error of one of them.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower-apply.h"
#include "lower-build.h"

#include <string.h>

/* ---- shared: the walk, the kind error ---------------------------------- */

static void add_to(lw *c, int v, int k, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), kint(c, k, loc), T_INT, loc), loc);
}

void lw_ap_walk(lw *c, const ir_stmt *s, int x, int idx, lw_ap_each_fn *each, void *st,
                srcloc loc) {
  lw_assign(c, idx, kint(c, 0, loc), loc);
  /* a leading operand in a variable of its own: its class stays its own
   * (the list's elements' may be of mixed kinds) */
  for (int j = 0; j < s->nargs; j++) {
    int xj = temp(c, loc);
    lw_assign(c, xj, s->args[j], loc);
    add_to(c, idx, 1, loc);
    each(c, st, xj, idx, loc);
  }
  int cur = temp(c, loc);
  lw_assign(c, cur, s->a[2], loc);
  int head = lw_new_label(c), more = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "pair?", var(c, cur, loc), NULL, T_BOOL, loc), more, done, loc);
  lw_label(c, more, loc);
  lw_assign(c, x, pair_part(c, cur, false, loc), loc);
  lw_assign(c, cur, pair_part(c, cur, true, loc), loc);
  add_to(c, idx, 1, loc);
  each(c, st, x, idx, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
}

/* "op: argument IDX must be WANT, not KIND (X)", X cut at 60 bytes as
 * the evaluator cuts it (between two ERRTEXT_CUT bytes: lang/ir.h). */
static void kind_text(lw *c, const char *op, const char *want, const char *kind, int x,
                      int idx, srcloc loc) {
  char head[64];
  snprintf(head, sizeof head, "%s: argument ", op);
  lw_ll_err_text(c, arena_strdup(&c->p->mem, head), loc);
  lw_ll_err_write(c, var(c, idx, loc), loc);
  char mid[96];
  snprintf(mid, sizeof mid, " must be %s, not %s (%c", want, kind, ERRTEXT_CUT);
  lw_ll_err_text(c, arena_strdup(&c->p->mem, mid), loc);
  lw_ll_err_write(c, var(c, x, loc), loc);
  static const char tail[] = {ERRTEXT_CUT, ')', 0};
  lw_ll_err_text(c, tail, loc);
  lw_ll_err_raise(c, loc, "type", "");
}

void lw_ap_check_kind(lw *c, const char *op, const char *pred, const char *want, int x,
                      int idx, srcloc loc) {
  int ok = lw_new_label(c), bad = lw_new_label(c);
  branch(c, prim(c, pred, var(c, x, loc), NULL, T_BOOL, loc), ok, bad, loc);
  lw_label(c, bad, loc);
  static const struct {
    const char *pred, *name;
  } kinds[] = {{"integer?", "an integer"}, {"boolean?", "a boolean"}, {"symbol?", "a symbol"},
               {"null?", "the empty list"}, {"char?", "a character"}, {"string?", "a string"},
               {"pair?", "a pair"}, {"vector?", "a vector"}, {"procedure?", "a procedure"},
               {NULL, "the unspecified value"}};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && !c->failed; i++) {
    if (kinds[i].pred && !strcmp(kinds[i].pred, pred)) continue;
    /* no characters without a character in the program */
    if (kinds[i].pred && !strcmp(kinds[i].pred, "char?") && !c->p->has_chars) continue;
    int no = lw_new_label(c);
    if (kinds[i].pred) {
      int yes = lw_new_label(c);
      branch(c, prim(c, kinds[i].pred, var(c, x, loc), NULL, T_BOOL, loc), yes, no, loc);
      lw_label(c, yes, loc);
    }
    kind_text(c, op, want, kinds[i].name, x, idx, loc);
    jump(c, ok, loc);
    lw_label(c, no, loc);
  }
  jump(c, ok, loc);
  lw_label(c, ok, loc);
}

/* ---- the builtins -------------------------------------------------------- */

typedef enum { L_FOLD, L_FOLD1, L_CMP, L_DIV, L_VECTOR, L_CONS_STAR, L_ERROR } loop_kind;

static const struct {
  const char *name;
  loop_kind k;
  tkind arg;     /* each argument's kind (T_ANY: any) */
  int start;     /* a fold's value of no arguments */
} loops[] = {
    {"logand", L_FOLD, T_INT, -1},      {"logior", L_FOLD, T_INT, 0},
    {"logxor", L_FOLD, T_INT, 0},       {"/", L_DIV, T_INT, 0},
    {"max", L_FOLD1, T_INT, 0},         {"min", L_FOLD1, T_INT, 0},
    {"=", L_CMP, T_INT, 0},             {"<", L_CMP, T_INT, 0},
    {">", L_CMP, T_INT, 0},             {"<=", L_CMP, T_INT, 0},
    {">=", L_CMP, T_INT, 0},
    {"symbol-append", L_FOLD, T_SYM, 0}, {"vector", L_VECTOR, T_ANY, 0},
    {"cons*", L_CONS_STAR, T_ANY, 0},   {"char=?", L_CMP, T_CHAR, 0},
    {"char<?", L_CMP, T_CHAR, 0},       {"char>?", L_CMP, T_CHAR, 0},
    {"char<=?", L_CMP, T_CHAR, 0},      {"char>=?", L_CMP, T_CHAR, 0},
    {"char-ci=?", L_CMP, T_CHAR, 0},    {"string=?", L_CMP, T_STR, 0},
    {"string<?", L_CMP, T_STR, 0},      {"string>?", L_CMP, T_STR, 0},
    {"string<=?", L_CMP, T_STR, 0},     {"string>=?", L_CMP, T_STR, 0},
    {"string-ci=?", L_CMP, T_STR, 0},    {"error", L_ERROR, T_ANY, 0},
};

static int find(const builtin *b) {
  for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++)
    if (!strcmp(loops[i].name, b->name)) return (int)i;
  return -1;
}

/* Where the program has catch, dynamic-wind or throw (the prelude's
 * %throw), error first offers the catches its arguments
 * (lower-wind.c lw_wind_error): not from a list here. */
static bool has_catches(lw *c) {
  int sym = sym_lookup(&c->w->syms, "%throw", 6);
  if (sym < 0) return false;
  gcell *g = world_find(c->w, sym);
  return g && g->kind == G_FUNC;
}

bool lw_apply_loop_ok(lw *c, const builtin *b) {
  int i = find(b);
  return i >= 0 && (loops[i].k != L_ERROR || !has_catches(c));
}

typedef struct {
  lw *c;
  const ir_stmt *s;
  const ast *a;
  const builtin *b;
  int which;
  int acc, prev, res, out, k, hl[2], fin, first;
} loop_st;

static const char *pred_of(tkind k) {
  return k == T_INT ? "integer?" : k == T_CHAR ? "char?" : k == T_STR ? "string?" : "symbol?";
}

static const char *want_of(tkind k) {
  return k == T_INT ? "an integer" : k == T_CHAR ? "a character" : k == T_STR ? "a string"
                                                                             : "a symbol";
}

static void check_each(lw *c, void *p, int x, int idx, srcloc loc) {
  loop_st *st = p;
  tkind k = loops[st->which].arg;
  lw_ap_check_kind(c, st->b->name, pred_of(k), want_of(k), x, idx, loc);
}

/* The builtin's own call of n arguments (its direct lowering). */
static ir_expr *call_n(loop_st *st, ir_expr **args, int n, srcloc loc) {
  lw *c = st->c;
  ir_stmt one = *st->s;
  one.write = false;
  one.nargs = n;
  one.args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof(ir_expr *));
  for (int i = 0; i < n; i++) one.args[i] = args[i];
  one.var = temp(c, loc);
  lw_callv_builtin(c, &one, st->a, st->b);
  return var(c, one.var, loc);
}

/* x, checked of the arguments' kind, as that kind */
static ir_expr *as_arg(loop_st *st, int x, srcloc loc) {
  tkind k = loops[st->which].arg;
  ir_expr *e = var(st->c, x, loc);
  return k == T_ANY ? e : lw_retype(st->c, e, k);
}

static void fold_each(lw *c, void *p, int x, int idx, srcloc loc) {
  loop_st *st = p;
  if (loops[st->which].k == L_FOLD1) {   /* from the first argument */
    int first = lw_new_label(c), later = lw_new_label(c), done = lw_new_label(c);
    branch(c, prim(c, "=", var(c, idx, loc), kint(c, 1, loc), T_BOOL, loc), first, later, loc);
    lw_label(c, first, loc);
    lw_assign(c, st->acc, as_arg(st, x, loc), loc);
    jump(c, done, loc);
    lw_label(c, later, loc);
    ir_expr *args[2] = {var(c, st->acc, loc), as_arg(st, x, loc)};
    lw_assign(c, st->acc, call_n(st, args, 2, loc), loc);
    lw_label(c, done, loc);
    return;
  }
  ir_expr *args[2] = {var(c, st->acc, loc), as_arg(st, x, loc)};
  lw_assign(c, st->acc, call_n(st, args, 2, loc), loc);
}

/* the comparisons: each argument with the one before; the first that
 * fails ends the walk (#f) */
static void cmp_each(lw *c, void *p, int x, int idx, srcloc loc) {
  loop_st *st = p;
  int first = lw_new_label(c), later = lw_new_label(c), next = lw_new_label(c);
  branch(c, prim(c, "=", var(c, idx, loc), kint(c, 1, loc), T_BOOL, loc), first, later, loc);
  lw_label(c, later, loc);
  /* each argument's kind checked when its pair is reached, as Guile
   * (lang/builtins.c builtin_pairwise): a lone argument is never checked,
   * an argument after the first pair that fails never */
  tkind k = loops[st->which].arg;
  if (k != T_ANY) {
    int pair1 = lw_new_label(c), on = lw_new_label(c);
    branch(c, prim(c, "=", var(c, idx, loc), kint(c, 2, loc), T_BOOL, loc), pair1, on, loc);
    lw_label(c, pair1, loc);
    int one = temp_of(c, T_INT, loc);
    lw_assign(c, one, kint(c, 1, loc), loc);
    lw_ap_check_kind(c, st->b->name, pred_of(k), want_of(k), st->prev, one, loc);
    lw_label(c, on, loc);
    lw_ap_check_kind(c, st->b->name, pred_of(k), want_of(k), x, idx, loc);
  }
  ir_expr *args[2] = {as_arg(st, st->prev, loc), as_arg(st, x, loc)};
  int holds = lw_new_label(c), fails = lw_new_label(c);
  branch(c, call_n(st, args, 2, loc), holds, fails, loc);
  lw_label(c, fails, loc);
  lw_assign(c, st->res, kbool(c, false, loc), loc);
  jump(c, st->fin, loc);
  lw_label(c, holds, loc);
  lw_label(c, first, loc);
  lw_assign(c, st->prev, var(c, x, loc), loc);
  jump(c, next, loc);
  lw_label(c, next, loc);
}

static void vector_each(lw *c, void *p, int x, int idx, srcloc loc) {
  loop_st *st = p;
  (void)idx;
  ir_stmt *vs = lw_emit(c, S_VSET, loc);
  vs->a[0] = var(c, st->out, loc);
  vs->a[1] = var(c, st->k, loc);
  vs->a[2] = var(c, x, loc);
  lw_unify(c, ir_elem_type(c->p, c->p->vars.v[st->out].type), vs->a[2]->type, loc,
           "a vector element");
  add_to(c, st->k, 1, loc);
}

/* cons*: every argument but the last onto a new list, the last its
 * tail: one behind the walk */
static void cons_star_each(lw *c, void *p, int x, int idx, srcloc loc) {
  loop_st *st = p;
  int first = lw_new_label(c), later = lw_new_label(c);
  branch(c, prim(c, "=", var(c, idx, loc), kint(c, 1, loc), T_BOOL, loc), first, later, loc);
  lw_label(c, later, loc);
  lw_ll_push_back(c, st->hl, var(c, st->prev, loc), loc);
  lw_label(c, first, loc);
  lw_assign(c, st->prev, var(c, x, loc), loc);
}

/* error: the message displayed, then each irritant written after a
 * space (builtins-text.c bi_error; lower-error.c) */
static void error_each(lw *c, void *p, int x, int idx, srcloc loc) {
  (void)p;
  int first = lw_new_label(c), later = lw_new_label(c), done = lw_new_label(c);
  branch(c, prim(c, "=", var(c, idx, loc), kint(c, 1, loc), T_BOOL, loc), first, later, loc);
  lw_label(c, first, loc);
  ir_stmt *m = lw_emit(c, S_ERRTEXT, loc);
  m->a[0] = var(c, x, loc);
  m->write = false;
  jump(c, done, loc);
  lw_label(c, later, loc);
  lw_ll_err_text(c, " ", loc);
  lw_ll_err_write(c, var(c, x, loc), loc);
  lw_label(c, done, loc);
}

/* ---- / and lcm: errors that name every operand ------------------------- */

/* " x" for every argument (integers, checked) */
static void write_each(lw *c, void *p, int x, int idx, srcloc loc) {
  (void)p;
  (void)idx;
  lw_ll_err_text(c, " ", loc);
  lw_ll_err_write(c, lw_retype(c, var(c, x, loc), T_INT), loc);
}

/* "(/ a b c)": the call as the evaluator writes it in /'s errors */
static void write_call(loop_st *st, srcloc loc) {
  lw *c = st->c;
  char head[32];
  snprintf(head, sizeof head, "(%s", st->b->name);
  lw_ll_err_text(c, arena_strdup(&c->p->mem, head), loc);
  int x = temp(c, loc), idx = temp_of(c, T_INT, loc);
  lw_ap_walk(c, st->s, x, idx, write_each, st, loc);
  lw_ll_err_text(c, ")", loc);
}

/* /: the divisors (every argument but the first; of one, it) checked
 * not zero first, then divided in order, each division exact */
static void zero_each(lw *c, void *p, int x, int idx, srcloc loc) {
  loop_st *st = p;
  int skip = lw_new_label(c), test = lw_new_label(c), zero = lw_new_label(c);
  branch(c, prim(c, "<", var(c, idx, loc), var(c, st->first, loc), T_BOOL, loc), skip, test,
         loc);
  lw_label(c, test, loc);
  branch(c, prim(c, "=", lw_retype(c, var(c, x, loc), T_INT), kint(c, 0, loc), T_BOOL, loc),
         zero, skip, loc);
  lw_label(c, zero, loc);
  lw_ll_err_text(c, "division by zero: ", loc);
  write_call(st, loc);
  lw_ll_err_raise(c, loc, "division", "");
  jump(c, skip, loc);
  lw_label(c, skip, loc);
}

static void div_each(lw *c, void *p, int x, int idx, srcloc loc) {
  loop_st *st = p;
  int skip = lw_new_label(c), go = lw_new_label(c), exact = lw_new_label(c);
  int frac = lw_new_label(c), big = lw_new_label(c), fine = lw_new_label(c);
  branch(c, prim(c, "<", var(c, idx, loc), var(c, st->first, loc), T_BOOL, loc), skip, go,
         loc);
  lw_label(c, go, loc);
  int y = temp_of(c, T_INT, loc);
  lw_assign(c, y, lw_retype(c, var(c, x, loc), T_INT), loc);
  branch(c, prim(c, "=", prim(c, "remainder", var(c, st->acc, loc), var(c, y, loc), T_INT, loc),
                 kint(c, 0, loc), T_BOOL, loc),
         exact, frac, loc);
  lw_label(c, frac, loc);
  lw_ll_err_text(c, "/: ", loc);
  write_call(st, loc);
  lw_ll_err_text(c, " is not an integer; tvl has no rationals", loc);
  lw_ll_err_raise(c, loc, "division", "");
  jump(c, skip, loc);
  lw_label(c, exact, loc);
  /* the one quotient past 32 bits */
  int m1 = lw_new_label(c);
  branch(c, prim(c, "=", var(c, y, loc), kint(c, -1, loc), T_BOOL, loc), m1, fine, loc);
  lw_label(c, m1, loc);
  branch(c, prim(c, "=", var(c, st->acc, loc), kint(c, TVL_INT_MIN, loc), T_BOOL, loc), big,
         fine, loc);
  lw_label(c, big, loc);
  lw_ll_err_text(c, "integer overflow: (/ -2147483648 -1) is 2147483648, which does not fit "
                    "in 32 bits", loc);
  lw_ll_err_raise(c, loc, "overflow", "");
  jump(c, skip, loc);
  lw_label(c, fine, loc);
  lw_assign(c, st->acc, prim(c, "quotient", var(c, st->acc, loc), var(c, y, loc), T_INT, loc),
            loc);
  lw_label(c, skip, loc);
}

/* The first argument (there is one: the arity was checked) into x. */
static void first_arg(lw *c, const ir_stmt *s, int x, srcloc loc) {
  if (s->nargs > 0) {
    lw_assign(c, x, s->args[0], loc);
    return;
  }
  int cur = temp(c, loc);
  lw_assign(c, cur, s->a[2], loc);
  lw_assign(c, x, pair_part(c, cur, false, loc), loc);
}

/* ---- the loop ------------------------------------------------------------- */

void lw_apply_loop(lw *c, const ir_stmt *s, const ast *a, const builtin *b, bool ret, int end) {
  srcloc loc = s->loc;
  int which = find(b);
  if (which < 0) {
    lw_fail(c, loc, "internal error: apply of %s without its loop", b->name);
    return;
  }
  loop_st st = {c, s, a, b, which, -1, -1, -1, -1, -1, {-1, -1}, lw_new_label(c), -1};
  loop_kind k = loops[which].k;
  if (loops[which].arg == T_CHAR) c->p->has_chars = true;
  /* fewer than it takes: the evaluator's arity error */
  if (b->min_args > s->nargs) {
    int ok = lw_new_label(c), bad = lw_new_label(c);
    branch(c, prim(c, ">=", s->a[1], kint(c, b->min_args, loc), T_BOOL, loc), ok, bad, loc);
    lw_label(c, bad, loc);
    char text[96];
    snprintf(text, sizeof text, "builtin %s takes at least %d argument%s, but 0 were given",
             b->name, b->min_args, b->min_args == 1 ? "" : "s");
    lw_ll_err_text(c, arena_strdup(&c->p->mem, text), loc);
    lw_ll_err_raise(c, loc, "arity", "");
    jump(c, end, loc);
    lw_label(c, ok, loc);
  }
  int x = temp(c, loc), idx = temp_of(c, T_INT, loc);
  if (loops[which].arg != T_ANY && k != L_CMP)   /* comparisons: cmp_each */
    lw_ap_walk(c, s, x, idx, check_each, &st, loc);
  if (c->failed) return;
  ir_expr *r = NULL;
  switch (k) {
  case L_FOLD:
  case L_FOLD1: {
    st.acc = temp(c, loc);
    if (k == L_FOLD) lw_assign(c, st.acc, call_n(&st, NULL, 0, loc), loc);
    lw_ap_walk(c, s, x, idx, fold_each, &st, loc);
    r = var(c, st.acc, loc);
    break;
  }
  case L_CMP:
    st.prev = temp(c, loc);
    st.res = temp_of(c, T_BOOL, loc);
    lw_assign(c, st.res, kbool(c, true, loc), loc);
    lw_ap_walk(c, s, x, idx, cmp_each, &st, loc);
    r = var(c, st.res, loc);
    break;
  case L_DIV: {
    /* of one argument: 1 divided by it */
    st.first = temp_of(c, T_INT, loc);
    st.acc = temp_of(c, T_INT, loc);
    int one = lw_new_label(c), many = lw_new_label(c), go = lw_new_label(c);
    branch(c, prim(c, "=", s->a[1], kint(c, 1, loc), T_BOOL, loc), one, many, loc);
    lw_label(c, one, loc);
    lw_assign(c, st.first, kint(c, 1, loc), loc);
    lw_assign(c, st.acc, kint(c, 1, loc), loc);
    jump(c, go, loc);
    lw_label(c, many, loc);
    lw_assign(c, st.first, kint(c, 2, loc), loc);
    first_arg(c, s, x, loc);
    lw_assign(c, st.acc, lw_retype(c, var(c, x, loc), T_INT), loc);
    lw_label(c, go, loc);
    lw_ap_walk(c, s, x, idx, zero_each, &st, loc);
    lw_ap_walk(c, s, x, idx, div_each, &st, loc);
    r = var(c, st.acc, loc);
    break;
  }
  case L_VECTOR: {
    st.out = temp_of(c, T_VEC, loc);
    new_vector_of(c, st.out, s->a[1], temp(c, loc), loc);
    st.k = temp_of(c, T_INT, loc);
    lw_assign(c, st.k, kint(c, 0, loc), loc);
    lw_ap_walk(c, s, x, idx, vector_each, &st, loc);
    r = lw_retype(c, var(c, st.out, loc), T_VEC);
    break;
  }
  case L_ERROR:
    lw_ap_walk(c, s, x, idx, error_each, &st, loc);
    lw_ll_err_raise(c, loc, "error", "");
    r = lw_void_expr(c, loc);
    break;
  case L_CONS_STAR:
    st.prev = temp(c, loc);
    lw_ll_builder(c, st.hl, loc);
    lw_ap_walk(c, s, x, idx, cons_star_each, &st, loc);
    r = lw_ll_finish(c, st.hl, var(c, st.prev, loc), loc);
    break;
  }
  jump(c, st.fin, loc);
  lw_label(c, st.fin, loc);
  if (c->failed) return;
  lw_assign(c, s->var, r, loc);
  if (ret) lw_emit(c, S_RETURN, loc)->a[0] = var(c, s->var, loc);
  else jump(c, end, loc);
}
