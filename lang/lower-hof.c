/* lower-hof.c - map, for-each, vector-map, vector-for-each and SRFI-1
 * fold in the lowering.
 *
 * Each call becomes a loop in statements, as lang/builtins.c runs it,
 * whose body calls the procedure through its value (lw_callv, expanded
 * by lower-closure.c into a jump on the procedure's id): so a lambda, a
 * closure or a global procedure passed to map is called as any call
 * through a value, with its frame, its arity error and its depth (one
 * more than the call of map: a builtin's calls are not tail calls).  The
 * order of the evaluator's work is kept: the operands in order, the
 * table's check that the first is a procedure, the lists' checks (each
 * proper, in order; map and for-each: all of one length) or the
 * vectors', then the calls in order.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-apply.h"
#include "lower-build.h"

#include <string.h>

enum { MAX_SEQS = 16 };   /* lists or vectors (builtins.c MAX_LISTS) */

static const char *const names[] = {"map", "for-each", "vector-map", "vector-for-each",
                                     "fold", "fold-right", "reduce", "apply", NULL};

bool lw_hof_name(const char *name) {
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], name)) return true;
  return false;
}

/* ---- small builders ------------------------------------------------- */



/* v := v + 1 */
static void step(lw *c, int v, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), kconst(c, T_INT, 1, loc), T_INT, loc), loc);
}

/* ---- the checks ----------------------------------------------------- */

/* map, for-each: each list proper, in order, and all of one length
 * (builtins.c same_lengths: "the lists have different lengths"). */
static void check_lists(lw *c, const ast *a, const char *op, const int *v, int n) {
  srcloc loc = a->loc;
  int first = -1;
  for (int i = 1; i < n && !c->failed; i++) {
    int len = lw_ll_length(c, v[i], op, i, arg_loc(a, i), loc);
    if (first < 0) {
      first = len;
      continue;
    }
    int same = lw_new_label(c);
    lw_hof_same_length(c, op, first, len, same, loc);
    jump(c, same, loc);
    lw_label(c, same, loc);
  }
}

void lw_hof_same_length(lw *c, const char *op, int first, int len, int end, srcloc loc) {
  int same = lw_new_label(c), differ = lw_new_label(c);
  branch(c, prim(c, "=", var(c, first, loc), var(c, len, loc), T_BOOL, loc), same, differ,
         loc);
  lw_label(c, differ, loc);
  char text[64];
  snprintf(text, sizeof text, "%s: the lists have different lengths (", op);
  lw_ll_err_text(c, arena_strdup(&c->p->mem, text), loc);
  lw_ll_err_write(c, var(c, first, loc), loc);
  lw_ll_err_text(c, " and ", loc);
  lw_ll_err_write(c, var(c, len, loc), loc);
  lw_ll_err_text(c, ")", loc);
  lw_ll_err_raise(c, loc, "type", "");
  jump(c, end, loc);
  lw_label(c, same, loc);
}

/* vector-map, vector-for-each: operand i a vector (builtins.c
 * list_error's text, which writes the value); the vector, in a new
 * variable. */
static int check_vector(lw *c, const ast *a, const char *op, const int *v, int i) {
  srcloc loc = a->loc, at = arg_loc(a, i);
  tkind have = ir_kind(c->p, c->p->vars.v[v[i]].type);
  int out = temp(c, loc);
  if (have == T_VEC) {
    lw_assign(c, out, var(c, v[i], loc), loc);
    return out;
  }
  int ok = lw_new_label(c), bad = lw_new_label(c);
  bool may = have == T_ANY || have == T_DYN;
  if (may) branch(c, prim(c, "vector?", var(c, v[i], loc), NULL, T_BOOL, loc), ok, bad, loc);
  lw_label(c, bad, loc);
  char text[96];
  snprintf(text, sizeof text, "%s: argument %d must be a vector, not", op, i + 1);
  lw_ll_err_write(c, var(c, v[i], loc), loc);
  lw_ll_err_raise(c, at, "type", arena_strdup(&c->p->mem, text));
  c->p->vars.v[out].type = lw_type_of_kind(c, T_VEC);
  if (may) {
    jump(c, ok, loc);
    lw_label(c, ok, loc);
    lw_assign(c, out, lw_retype(c, var(c, v[i], loc), T_VEC), loc);
  }
  return out;
}

/* ---- the loops ------------------------------------------------------ */

/* The call of the procedure (operand 0) on args. */
static ir_expr *call(lw *c, const ast *a, const int *v, ir_expr **args, int n, int depth) {
  return lw_callv(c, a, var(c, v[0], arg_loc(a, 0)), args, n, depth);
}

static ir_expr *do_map(lw *c, const ast *a, const char *op, const int *v, int n,
                       int depth) {
  srcloc loc = a->loc;
  bool keep = op[0] == 'm';
  check_lists(c, a, op, v, n);
  int t[MAX_SEQS + 1], hl[2] = {-1, -1};
  for (int i = 1; i < n; i++) {
    t[i] = temp(c, loc);
    lw_assign(c, t[i], var(c, v[i], loc), loc);
  }
  if (keep) lw_ll_builder(c, hl, loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "pair?", var(c, t[1], loc), NULL, T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  ir_expr *args[MAX_SEQS];
  for (int i = 1; i < n; i++) {
    int x = temp(c, loc);
    lw_assign(c, x, pair_part(c, t[i], false, loc), loc);
    lw_assign(c, t[i], pair_part(c, t[i], true, loc), loc);
    args[i - 1] = var(c, x, loc);
  }
  ir_expr *r = call(c, a, v, args, n - 1, depth);
  if (keep) lw_ll_push_back(c, hl, r, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return keep ? var(c, hl[0], loc) : lw_void_expr(c, loc);
}

static ir_expr *do_vector_map(lw *c, const ast *a, const char *op, const int *v, int n,
                              int depth) {
  srcloc loc = a->loc;
  bool keep = op[7] == 'm';
  int vec[MAX_SEQS + 1];
  for (int i = 1; i < n && !c->failed; i++) vec[i] = check_vector(c, a, op, v, i);
  if (c->failed) return lw_void_expr(c, loc);
  /* over the shortest */
  int len = temp_of(c, T_INT, loc);
  lw_assign(c, len, vlen_var(c, vec[1], loc), loc);
  for (int i = 2; i < n; i++) {
    int shorter = lw_new_label(c), no = lw_new_label(c);
    branch(c, prim(c, "<", vlen_var(c, vec[i], loc), var(c, len, loc), T_BOOL, loc), shorter, no,
           loc);
    lw_label(c, shorter, loc);
    lw_assign(c, len, vlen_var(c, vec[i], loc), loc);
    lw_label(c, no, loc);
  }
  int out = -1, j = temp_of(c, T_INT, loc);
  ir_expr *r = NULL;
  int res = temp(c, loc);   /* the results' class: every call's value */
  if (keep) {
    out = temp_of(c, T_VEC, loc);
    new_vector_of(c, out, var(c, len, loc), res, loc);
  }
  lw_assign(c, j, kconst(c, T_INT, 0, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, j, loc), var(c, len, loc), T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  ir_expr *args[MAX_SEQS];
  for (int i = 1; i < n; i++) {
    int x = temp(c, loc);
    lw_assign(c, x, vref_var(c, vec[i], j, loc), loc);
    args[i - 1] = var(c, x, loc);
  }
  r = call(c, a, v, args, n - 1, depth);
  if (keep) {
    lw_assign(c, res, r, loc);
    ir_stmt *vs = lw_emit(c, S_VSET, loc);
    vs->a[0] = var(c, out, loc);
    vs->a[1] = var(c, j, loc);
    vs->a[2] = var(c, res, loc);
  }
  step(c, j, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return keep ? lw_retype(c, var(c, out, loc), T_VEC) : lw_void_expr(c, loc);
}

/* SRFI-1 fold: (kons e1 ... en acc) from the left, up to the shortest
 * list (each checked proper first, no length check). */
static ir_expr *do_fold(lw *c, const ast *a, const int *v, int n, int depth) {
  srcloc loc = a->loc;
  for (int i = 2; i < n && !c->failed; i++)
    lw_ll_length(c, v[i], "fold", i, arg_loc(a, i), loc);
  int t[MAX_SEQS + 2], acc = temp(c, loc);
  lw_assign(c, acc, var(c, v[1], loc), loc);
  for (int i = 2; i < n; i++) {
    t[i] = temp(c, loc);
    lw_assign(c, t[i], var(c, v[i], loc), loc);
  }
  int head = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  ir_expr *args[MAX_SEQS + 1];
  for (int i = 2; i < n; i++) {
    int more = lw_new_label(c);
    branch(c, prim(c, "pair?", var(c, t[i], loc), NULL, T_BOOL, loc), more, done, loc);
    lw_label(c, more, loc);
    int x = temp(c, loc);
    lw_assign(c, x, pair_part(c, t[i], false, loc), loc);
    lw_assign(c, t[i], pair_part(c, t[i], true, loc), loc);
    args[i - 2] = var(c, x, loc);
  }
  args[n - 2] = var(c, acc, loc);
  lw_assign(c, acc, call(c, a, v, args, n - 1, depth), loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return var(c, acc, loc);
}

/* SRFI-1 fold-right, one list, as builtins.c: the list proper, its
 * elements into the evaluator's scratch vector (its heap cells), then
 * (kons e acc) from the last. */
static ir_expr *do_fold_right(lw *c, const ast *a, const int *v, int depth) {
  srcloc loc = a->loc;
  int len = lw_ll_length(c, v[2], "fold-right", 2, arg_loc(a, 2), loc);
  int items = temp_of(c, T_VEC, loc), unseen = temp(c, loc);
  new_vector_of(c, items, var(c, len, loc), unseen, loc);
  int t = temp(c, loc), i = temp_of(c, T_INT, loc), acc = temp(c, loc);
  lw_assign(c, acc, var(c, v[1], loc), loc);
  lw_assign(c, t, var(c, v[2], loc), loc);
  lw_assign(c, i, kconst(c, T_INT, 0, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "pair?", var(c, t, loc), NULL, T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  ir_stmt *vs = lw_emit(c, S_VSET, loc);
  vs->a[0] = var(c, items, loc);
  vs->a[1] = var(c, i, loc);
  vs->a[2] = pair_part(c, t, false, loc);
  lw_unify(c, ir_elem_type(c->p, c->p->vars.v[items].type), vs->a[2]->type, loc,
           "a vector element");
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  step(c, i, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  int back = lw_new_label(c), call_l = lw_new_label(c), out = lw_new_label(c);
  lw_label(c, back, loc);
  branch(c, prim(c, ">", var(c, i, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), call_l, out,
         loc);
  lw_label(c, call_l, loc);
  lw_assign(c, i, prim(c, "-", var(c, i, loc), kconst(c, T_INT, 1, loc), T_INT, loc), loc);
  int x = temp(c, loc);
  lw_assign(c, x, vref_var(c, items, i, loc), loc);
  ir_expr *args[2] = {var(c, x, loc), var(c, acc, loc)};
  lw_assign(c, acc, call(c, a, v, args, 2, depth), loc);
  jump(c, back, loc);
  lw_label(c, out, loc);
  return var(c, acc, loc);
}

/* SRFI-1 reduce: the list proper; empty: ridentity; else (f e acc) over
 * the others, the first element the start. */
static ir_expr *do_reduce(lw *c, const ast *a, const int *v, int depth) {
  srcloc loc = a->loc;
  lw_ll_length(c, v[2], "reduce", 2, arg_loc(a, 2), loc);
  int t = temp(c, loc), acc = temp(c, loc);
  lw_assign(c, acc, var(c, v[1], loc), loc);
  lw_assign(c, t, var(c, v[2], loc), loc);
  int first = lw_new_label(c), head = lw_new_label(c), body = lw_new_label(c);
  int done = lw_new_label(c);
  branch(c, prim(c, "pair?", var(c, t, loc), NULL, T_BOOL, loc), first, done, loc);
  lw_label(c, first, loc);
  lw_assign(c, acc, pair_part(c, t, false, loc), loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  lw_label(c, head, loc);
  branch(c, prim(c, "pair?", var(c, t, loc), NULL, T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  int x = temp(c, loc);
  lw_assign(c, x, pair_part(c, t, false, loc), loc);
  lw_assign(c, t, pair_part(c, t, true, loc), loc);
  ir_expr *args[2] = {var(c, x, loc), var(c, acc, loc)};
  lw_assign(c, acc, call(c, a, v, args, 2, depth), loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return var(c, acc, loc);
}

/* ---- entry point ---------------------------------------------------- */

ir_expr *lw_hof_effect(lw *c, const ast *a, frame_map *f) {
  const char *name = a->u.call.r.bi->name;
  if (!lw_hof_name(name)) return NULL;
  if (!strcmp(name, "apply")) return lw_apply(c, a, f);   /* lower-apply.c */
  int n = a->u.call.n, fixed = name[0] == 'f' && name[1] == 'o' && name[2] == 'l' ? 2 : 1;
  if (n - fixed > MAX_SEQS) {
    lw_fail(c, a->loc, "%s with more than %d lists or vectors is not compiled to the "
                       "transformer (run with --reference to use the evaluator)",
            name, MAX_SEQS);
    return lw_void_expr(c, a->loc);
  }
  ir_expr *args[MAX_SEQS + 2];
  int v[MAX_SEQS + 2];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, a->loc);
  for (int i = 0; i < n; i++) {
    v[i] = temp(c, a->loc);
    lw_assign(c, v[i], args[i], a->loc);
  }
  /* the table's check: a procedure (the evaluator's kind error) */
  ir_expr *ops[1] = {var(c, v[0], arg_loc(a, 0))};
  lw_emit(c, S_EVAL, a->loc)->a[0] = lw_checked_arg(c, a, name, ops, 0, T_PROC);
  if (c->failed) return lw_void_expr(c, a->loc);
  /* the procedure's activation: one deeper than this call's */
  int depth = f->edepth + 1;
  if (!strcmp(name, "fold")) return do_fold(c, a, v, n, depth);
  if (!strcmp(name, "fold-right")) return do_fold_right(c, a, v, depth);
  if (!strcmp(name, "reduce")) return do_reduce(c, a, v, depth);
  if (name[0] == 'v') return do_vector_map(c, a, name, v, n, depth);
  return do_map(c, a, name, v, n, depth);
}
