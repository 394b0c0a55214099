/* lower-bval.c - builtins as values: every builtin compiled code calls
 * directly, called through a value (passed to map or apply, stored in a
 * variable, list or vector, returned).
 *
 * lower-closure.c gives a builtin value its procedure id and, where a
 * call through a value may reach it, lowers its call from the arguments'
 * values (call_builtin).  The builtins it lowers itself there are the
 * pure ones (lw_prim) and a few with effects; every other builtin is
 * lowered here as its direct call is: a call whose operands are
 * references to a frame whose slots are bound to the arguments' values
 * (already computed, in order, by the site), lowered by lw_lower_call,
 * so that its kind checks, errors and results are those of the direct
 * call (the evaluator's).  The builtins that call procedures (map,
 * for-each, apply...) make calls through values while the calls through
 * values are being expanded: lower-closure.c expands those too, and
 * refuses the program if a class of procedures grew after its calls
 * were expanded.
 *
 * apply of string-append and string over a list of any length: one
 * loop (as lower-apply2.c's fold of +), checks then the copy.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower-strings3.h"
#include "lower-apply.h"
#include "lower-build.h"

#include <string.h>

/* Builtins as values compiled code does not call (the checker refuses
 * the program, naming the builtin). */
static const char *const refused[] = {"call-with-values", "values", "dynamic-wind", "catch",
                                      "throw", "with-exception-handler",
                                      "raise-exception", NULL};

bool lw_bval_ok(const builtin *b) {
  if (b->evaluator_only) return false;
  for (int i = 0; refused[i]; i++)
    if (!strcmp(refused[i], b->name)) return false;
  return true;
}

bool lw_bval_calls_procs(const builtin *b) {
  static const char *const hof[] = {"map", "for-each", "vector-map", "vector-for-each", "fold",
                                    "fold-right", "reduce", "apply", "filter", "string-map",
                                    "string-for-each", "call/cc",
                                    "call-with-current-continuation", NULL};
  for (int i = 0; hof[i]; i++)
    if (!strcmp(hof[i], b->name)) return true;
  return false;
}

ir_expr *lw_bval_call(lw *c, const ast *a, const ast *site, const builtin *b, ir_expr **args,
                      int n, int depth) {
  srcloc loc = site->loc;
  frame_map *f = lw_new_frame(c, NULL, n, NULL);
  f->edepth = depth > 0 ? depth - 1 : 0;
  ast *call = arena_alloc(&c->p->mem, sizeof *call);
  *call = *site;
  call->u.call.tail = false;
  call->u.call.bad_arg = 0;
  call->u.call.args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof(ast *));
  for (int i = 0; i < n; i++) {
    f->slots[i].expr = args[i];
    ast *x = arena_alloc(&c->p->mem, sizeof *x);
    memset(x, 0, sizeof *x);
    x->kind = E_REF;
    x->loc = site->u.call.args[i]->loc;
    x->u.ref.name = sym_intern(&c->w->syms, "x", 1);
    x->u.ref.r.kind = REF_LOCAL;
    x->u.ref.r.depth = 0;
    x->u.ref.r.slot = i;
    call->u.call.args[i] = x;
  }
  (void)a;
  (void)loc;
  return lw_lower_call(c, call, f, NULL);
}

/* The number of arguments of (apply f a ... '(x ...)), 1 + it, when the
 * list is a quoted proper list or a call of the builtin list; else 0. */
int lw_bval_static_total(const ast *a) {
  int n = a->u.call.n;
  if (n < 2) return 0;
  const ast *l1 = a->u.call.args[n - 1];
  if (l1->kind == E_CALL && l1->u.call.r.kind == REF_BUILTIN &&
      !strcmp(l1->u.call.r.bi->name, "list"))   /* (list x ...) */
    return n - 2 + l1->u.call.n + 1;
  if (l1->kind != E_CONST) return 0;
  value l = a->u.call.args[n - 1]->u.k;
  int len = 0;
  for (; l.kind == VK_PAIR && len < 64; l = V_CDR(l)) len++;
  if (l.kind != VK_NIL) return 0;
  return n - 2 + len + 1;
}

/* ---- apply of string-append and string ---------------------------------- */

bool lw_bval_fold_ok(const builtin *b) {
  return !strcmp(b->name, "string-append") || !strcmp(b->name, "string");
}

static void add_to(lw *c, int v, ir_expr *d, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), d, T_INT, loc), loc);
}

typedef struct {
  const builtin *b;
  bool chars;
  int total, out, k;
} fold_st;

/* string variable x's block (x checked a string) */
static int object_of(lw *c, int x, srcloc loc) {
  int xs = temp_of(c, T_STR, loc);
  lw_assign(c, xs, lw_retype(c, var(c, x, loc), T_STR), loc);
  return ls_object(c, xs, loc);
}

static void check_each(lw *c, void *st, int x, int idx, srcloc loc) {
  fold_st *f = st;
  if (f->chars) {
    lw_ap_check_kind(c, f->b->name, "char?", "a character", x, idx, loc);
    return;
  }
  lw_ap_check_kind(c, f->b->name, "string?", "a string", x, idx, loc);
  int o = object_of(c, x, loc);
  add_to(c, f->total, ls_length(c, o, loc), loc);
}

static void copy_each(lw *c, void *st, int x, int idx, srcloc loc) {
  fold_st *f = st;
  (void)idx;
  if (f->chars) {
    ls_store(c, f->out, var(c, f->k, loc), lw_retype(c, var(c, x, loc), T_CHAR), loc);
    add_to(c, f->k, kint(c, 1, loc), loc);
    return;
  }
  int o = object_of(c, x, loc);
  int len = temp_of(c, T_INT, loc), zero = temp_of(c, T_INT, loc);
  lw_assign(c, len, ls_length(c, o, loc), loc);
  lw_assign(c, zero, kint(c, 0, loc), loc);
  ls_copy_chars(c, f->out, f->k, o, zero, len, loc);
}

/* (apply string-append ...) and (apply string ...) of any number of
 * arguments: their kinds in order (the table's check), the length, one
 * new string, the characters. */
void lw_bval_apply_fold(lw *c, const ir_stmt *s, const builtin *b, bool ret, int end) {
  srcloc loc = s->loc;
  fold_st st = {b, !strcmp(b->name, "string"), -1, -1, -1};
  c->p->has_chars = true;
  int x = temp(c, loc), idx = temp_of(c, T_INT, loc);
  st.total = temp_of(c, T_INT, loc);
  if (st.chars) lw_assign(c, st.total, s->a[1], loc);
  else lw_assign(c, st.total, kint(c, 0, loc), loc);
  lw_ap_walk(c, s, x, idx, check_each, &st, loc);
  st.out = ls_new_block(c, var(c, st.total, loc), loc);
  st.k = temp_of(c, T_INT, loc);
  lw_assign(c, st.k, kint(c, 0, loc), loc);
  lw_ap_walk(c, s, x, idx, copy_each, &st, loc);
  lw_assign(c, s->var, ls_as_string(c, st.out, loc), loc);
  if (ret) lw_emit(c, S_RETURN, loc)->a[0] = var(c, s->var, loc);
  else jump(c, end, loc);
}
