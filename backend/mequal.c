/* mequal.c - equal? on vectors and lists in the machine.
 *
 * (equal? x y) on two operands that may be vectors or pairs (S_EQUAL)
 * is a walk over both in steps, as display is: a vector is a loop over
 * its indices, a list a loop along its cdrs with one block per pair of
 * classes met (a cdr of classes met before jumps back to that block, as
 * in mlists.c's display), and the elements and cars are compared by
 * the same steps one level deeper.  Every level has its own
 * temporaries, so there is no stack: values nested more than
 * EQ_MAX_DEPTH deep (a tree whose car class is its own class) are
 * refused at compile time.  A difference jumps to the end, where the
 * result is #f; a walk that finds none ends with #t.  Where one operand
 * cannot hold vectors or pairs, equal? is eqv? (mexpr.c).
 *
 * Ownership: steps, temporaries and IR nodes belong to the builder and
 * the program, as every other step's.
 */
#include "config.h"

#include "mbuild.h"

#include <string.h>

enum { EQ_MAX_DEPTH = 6, EQ_ROUTINE_DEPTH = 1, EQ_MAX_BLOCKS = 32, EQ_BUDGET = 256 };

typedef struct {
  int fn;
  srcloc loc;
  int budget;        /* comparisons left to expand: bounds the code */
  int_vec to_false;  /* (step, arm): arm 1 = l1, 2 = l2, goes to "false" */
  int chain[2 * (EQ_MAX_DEPTH + 1)];   /* the classes compared around */
} eqc;

static ir_expr *prim(mb *b, const char *op, int type, ir_expr *x, ir_expr *y) {
  ir_expr *e = mb_mkx(b, X_PRIM, type, y ? 2 : 1);
  e->op = builtin_find(op);
  e->a[0] = x;
  if (y) e->a[1] = y;
  return e;
}

static ir_expr *test(mb *b, const char *op, ir_expr *x, ir_expr *y) {
  return prim(b, op, mb_kind_type(b, T_BOOL), x, y);
}

/* x seen as kind k (T_VEC, T_PAIR): unchecked, a branch has tested it. */
static ir_expr *as_kind(mb *b, ir_expr *x, tkind k) {
  if (ir_kind(b->ir, x->type) == k) return x;
  ir_expr *e = mb_mkx(b, X_CHECK, mb_kind_type(b, k), 1);
  e->a[0] = x;
  e->ival = k;
  e->var = -1;
  ir_share_parts(b->ir, e->type, x->type);
  return e;
}

static bool holds_vectors(mb *b, int t) {
  tkind k = ir_kind(b->ir, t);
  return k == T_VEC || (k == T_DYN && ir_elem_type(b->ir, t) >= 0);
}

static bool holds_pairs(mb *b, int t) {
  tkind k = ir_kind(b->ir, t);
  return k == T_PAIR || (k == T_DYN && ir_pair_type(b->ir, t, false) >= 0);
}

static void set_pc(mb *b, int step, int arm, int pc) {
  mstmt *m = &b->ms.v[step];
  if (arm == 1) {
    m->l1 = pc;
    m->l1_is_pc = true;
  } else {
    m->l2 = pc;
    m->l2_is_pc = true;
  }
}

/* A branch on t: true goes on to the next step; returns the step. */
static int branch(mb *b, eqc *E, ir_expr *t, const char *what) {
  mstmt *m = mb_step(b, M_BRANCH, E->fn, E->loc);
  m->val = t;
  m->what = mb_describe(b, "equal?: %s", what);
  int br = b->ms.n - 1;
  set_pc(b, br, 1, b->ms.n);
  return br;
}

/* Goes on when t holds, else the result is #f. */
static void or_false(mb *b, eqc *E, ir_expr *t, const char *what) {
  int br = branch(b, E, t, what);
  VEC_PUSH(E->to_false, br);
  VEC_PUSH(E->to_false, 2);
}

static int jump(mb *b, eqc *E) {
  mb_step(b, M_JUMP, E->fn, E->loc);
  return b->ms.n - 1;
}

static void assign(mb *b, eqc *E, int var, ir_expr *v, const char *what) {
  mstmt *m = mb_step(b, M_WRITE, E->fn, E->loc);
  mb_set_target(b, m, var);
  m->val = v;
  m->what = mb_describe(b, "equal?: %s", what);
}

/* x itself when it is a variable or a constant, else a temporary that
 * holds it (it is read more than once). */
static ir_expr *held(mb *b, eqc *E, ir_expr *x, const char *what) {
  if (x->k == X_VAR || x->k == X_CONST) return x;
  int t = mb_temp(b, x->type, "equal?:x");
  assign(b, E, t, x, what);
  return mb_var_ref(b, t);
}

static void compare(mb *b, eqc *E, ir_expr *x, ir_expr *y, int depth, bool no_pairs);

/* Two vectors: the lengths, then the elements in order. */
static void compare_vectors(mb *b, eqc *E, ir_expr *x, ir_expr *y, int depth) {
  int va = mb_temp(b, x->type, "equal?:v"), vb = mb_temp(b, y->type, "equal?:w");
  int i = mb_temp(b, mb_int_type(b), "equal?:i");
  assign(b, E, va, x, "take the vectors");
  assign(b, E, vb, y, "take the vectors");
  ir_expr *la = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
  la->a[0] = mb_var_ref(b, va);
  ir_expr *lb = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
  lb->a[0] = mb_var_ref(b, vb);
  or_false(b, E, test(b, "=", la, lb), "the same length?");
  assign(b, E, i, mb_int_const(b, 0), "i := 0");
  int head = b->ms.n;
  ir_expr *len = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
  len->a[0] = mb_var_ref(b, va);
  int more = branch(b, E, test(b, "<", mb_var_ref(b, i), len), "more elements?");
  ir_expr *ea = mb_mkx(b, X_VREF, ir_elem_type(b->ir, x->type), 2);
  ea->a[0] = mb_var_ref(b, va);
  ea->a[1] = mb_var_ref(b, i);
  ir_expr *eb = mb_mkx(b, X_VREF, ir_elem_type(b->ir, y->type), 2);
  eb->a[0] = mb_var_ref(b, vb);
  eb->a[1] = mb_var_ref(b, i);
  compare(b, E, ea, eb, depth + 1, false);
  if (b->failed) return;
  assign(b, E, i, prim(b, "+", mb_int_type(b), mb_var_ref(b, i), mb_int_const(b, 1)),
         "i := i + 1");
  set_pc(b, jump(b, E), 1, head);
  set_pc(b, more, 2, b->ms.n);
}

/* Two lists, walked together along their cdrs. */
typedef struct {
  int cx[EQ_MAX_BLOCKS], cy[EQ_MAX_BLOCKS];   /* classes (roots) */
  int vx[EQ_MAX_BLOCKS], vy[EQ_MAX_BLOCKS];   /* temporaries: the pairs */
  int pc[EQ_MAX_BLOCKS];
  int n;
  int_vec to_block;   /* (jump step, block) */
  int_vec to_end;     /* jump steps */
} spine;

static int root(mb *b, int t) {
  while (b->ir->types.v[t].parent != t) t = b->ir->types.v[t].parent;
  return t;
}

static int block_of(mb *b, spine *S, int tx, int ty) {
  int rx = root(b, tx), ry = root(b, ty);
  for (int i = 0; i < S->n; i++)
    if (S->cx[i] == rx && S->cy[i] == ry) return i;
  if (S->n == EQ_MAX_BLOCKS) {
    mb_fail(b, "equal? on lists whose pairs are of more than %d classes is "
               "not supported in compiled code", EQ_MAX_BLOCKS);
    return -1;
  }
  S->cx[S->n] = rx;
  S->cy[S->n] = ry;
  S->vx[S->n] = mb_temp(b, rx, "equal?:p");
  S->vy[S->n] = mb_temp(b, ry, "equal?:q");
  S->pc[S->n] = -1;
  return S->n++;
}

static ir_expr *part(mb *b, ir_expr *pair, bool cdr) {
  ir_expr *e = mb_mkx(b, X_CXR, ir_pair_type(b->ir, pair->type, cdr), 1);
  e->a[0] = pair;
  e->ival = cdr;
  return e;
}

/* Block i: the cars, then by the cdrs: both pairs go on to their block,
 * anything else is compared (not as pairs) and ends the walk. */
static void emit_block(mb *b, eqc *E, spine *S, int i, int depth) {
  S->pc[i] = b->ms.n;
  ir_expr *px = as_kind(b, mb_var_ref(b, S->vx[i]), T_PAIR);
  ir_expr *py = as_kind(b, mb_var_ref(b, S->vy[i]), T_PAIR);
  compare(b, E, part(b, px, false), part(b, py, false), depth + 1, false);
  if (b->failed) return;
  ir_expr *dx = part(b, px, true), *dy = part(b, py, true);
  if (!holds_pairs(b, dx->type) || !holds_pairs(b, dy->type)) {
    compare(b, E, dx, dy, depth + 1, false);
    VEC_PUSH(S->to_end, jump(b, E));
    return;
  }
  int next = block_of(b, S, dx->type, dy->type);
  if (next < 0) return;
  assign(b, E, S->vx[next], dx, "the cdrs");
  assign(b, E, S->vy[next], dy, "the cdrs");
  int brs[2], nbr = 0;
  if (ir_kind(b->ir, dx->type) == T_DYN)
    brs[nbr++] = branch(b, E, test(b, "pair?", mb_var_ref(b, S->vx[next]), NULL), "one more pair?");
  if (ir_kind(b->ir, dy->type) == T_DYN)
    brs[nbr++] = branch(b, E, test(b, "pair?", mb_var_ref(b, S->vy[next]), NULL), "one more pair?");
  VEC_PUSH(S->to_block, jump(b, E));
  VEC_PUSH(S->to_block, next);
  if (!nbr) return;
  for (int k = 0; k < nbr; k++) set_pc(b, brs[k], 2, b->ms.n);
  compare(b, E, mb_var_ref(b, S->vx[next]), mb_var_ref(b, S->vy[next]), depth + 1, true);
  VEC_PUSH(S->to_end, jump(b, E));
}

static void compare_lists(mb *b, eqc *E, ir_expr *x, ir_expr *y, int depth) {
  spine S;
  memset(&S, 0, sizeof S);
  int first = block_of(b, &S, x->type, y->type);
  if (first < 0) return;
  assign(b, E, S.vx[first], x, "take the lists");
  assign(b, E, S.vy[first], y, "take the lists");
  /* blocks in the order they are first needed; the first falls through */
  for (int i = 0; i < S.n && !b->failed; i++) emit_block(b, E, &S, i, depth);
  for (int i = 0; i + 1 < S.to_block.n && !b->failed; i += 2)
    set_pc(b, S.to_block.v[i], 1, S.pc[S.to_block.v[i + 1]]);
  for (int i = 0; i < S.to_end.n; i++) set_pc(b, S.to_end.v[i], 1, b->ms.n);
  VEC_FREE(S.to_block);
  VEC_FREE(S.to_end);
}

/* One alternative: when both x and y are of kind k (tested where they
 * are tagged), compared by `walk`, then on to the end (*ends).  x not of
 * kind k tries the next alternative; x of kind k and y not is #f. */
static void alternative(mb *b, eqc *E, ir_expr *x, ir_expr *y, int depth, tkind k,
                        void (*walk)(mb *, eqc *, ir_expr *, ir_expr *, int),
                        int_vec *ends) {
  const char *pred = k == T_VEC ? "vector?" : "pair?";
  int next = -1;
  if (ir_kind(b->ir, x->type) == T_DYN)
    next = branch(b, E, test(b, pred, x, NULL), k == T_VEC ? "vectors?" : "pairs?");
  if (ir_kind(b->ir, y->type) == T_DYN)
    or_false(b, E, test(b, pred, y, NULL), k == T_VEC ? "vectors?" : "pairs?");
  walk(b, E, as_kind(b, x, k), as_kind(b, y, k), depth);
  VEC_PUSH(*ends, jump(b, E));
  if (next >= 0) set_pc(b, next, 2, b->ms.n);
}

/* Whether x and y may be two strings: equal? compares their characters,
 * and compiled strings are literal numbers (mstrings.c). */
static bool strings_compared(mb *b, const ir_expr *x, const ir_expr *y) {
  tkind kx = ir_kind(b->ir, x->type), ky = ir_kind(b->ir, y->type);
  if (kx == T_STR || ky == T_STR) return true;
  bool dyn = kx == T_DYN || kx == T_ANY || ky == T_DYN || ky == T_ANY;
  return dyn && world_has_literal_strings(b->p->w);
}

/* eqv?, but strings by their text (mexpr.c, ival 1). */
static ir_expr *leaf_test(mb *b, ir_expr *x, ir_expr *y) {
  ir_expr *e = test(b, "eqv?", x, y);
  e->ival = strings_compared(b, x, y);
  /* with strings made at run time, two strings are compared by
   * compare_strings; here at most one operand can be a string */
  if (e->ival && b->ir->has_rtstr) e->ival = 2;
  return e;
}

/* Whether x's class may hold strings made at run time: equal? on two
 * such values is a walk over their characters. */
static bool may_be_rt_string(mb *b, const ir_expr *x) {
  tkind k = ir_kind(b->ir, x->type);
  return b->ir->has_rtstr && (k == T_STR || k == T_DYN);
}

static const builtin string_object_op = {"%string-object", 1, 1, AK_STR, NULL, VK_VEC, NULL, "", NULL};

/* The block of string x (docs/trace-format.md, "Strings"), in a new
 * temporary. */
static int string_block(mb *b, eqc *E, ir_expr *x) {
  int vt = mb_kind_type(b, T_VEC);
  int ct = mb_kind_type(b, T_CHAR);   /* may grow the types: before indexing them */
  b->ir->types.v[vt].elem = ct;
  int v = mb_temp(b, vt, "equal?:s");
  ir_expr *obj = mb_mkx(b, X_PRIM, vt, 1);
  obj->op = &string_object_op;
  obj->a[0] = as_kind(b, x, T_STR);
  assign(b, E, v, obj, "take the string's characters");
  return v;
}

/* x and y that may be strings made at run time: when x is a string, y
 * must be one of the same characters (the lengths, then a loop); else
 * the ordinary eqv? (never on two strings: mexpr.c, ival 2). */
static void compare_strings(mb *b, eqc *E, ir_expr *x, ir_expr *y) {
  int other = -1;
  if (ir_kind(b->ir, x->type) == T_DYN)
    other = branch(b, E, test(b, "string?", x, NULL), "strings?");
  if (ir_kind(b->ir, y->type) == T_DYN)
    or_false(b, E, test(b, "string?", y, NULL), "strings?");
  int va = string_block(b, E, x), vb = string_block(b, E, y);
  ir_expr *la = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
  la->a[0] = mb_var_ref(b, va);
  ir_expr *lb = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
  lb->a[0] = mb_var_ref(b, vb);
  or_false(b, E, test(b, "=", la, lb), "the same length?");
  int i = mb_temp(b, mb_int_type(b), "equal?:k");
  assign(b, E, i, mb_int_const(b, 0), "k := 0");
  int head = b->ms.n;
  ir_expr *len = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
  len->a[0] = mb_var_ref(b, va);
  int more = branch(b, E, test(b, "<", mb_var_ref(b, i), len), "more characters?");
  ir_expr *ca = mb_mkx(b, X_VREF, b->ir->types.v[b->ir->vars.v[va].type].elem, 2);
  ca->a[0] = mb_var_ref(b, va);
  ca->a[1] = mb_var_ref(b, i);
  ir_expr *cb = mb_mkx(b, X_VREF, b->ir->types.v[b->ir->vars.v[vb].type].elem, 2);
  cb->a[0] = mb_var_ref(b, vb);
  cb->a[1] = mb_var_ref(b, i);
  or_false(b, E, test(b, "=", ca, cb), "the same character?");
  assign(b, E, i, prim(b, "+", mb_int_type(b), mb_var_ref(b, i), mb_int_const(b, 1)),
         "k := k + 1");
  set_pc(b, jump(b, E), 1, head);
  if (other < 0) {
    set_pc(b, more, 2, b->ms.n);
    return;
  }
  int out = jump(b, E);
  set_pc(b, more, 2, out);
  set_pc(b, other, 2, b->ms.n);
  ir_expr *e = test(b, "eqv?", x, y);
  e->ival = 2;
  or_false(b, E, e, "the same value?");
  set_pc(b, out, 1, b->ms.n);
}

/* Goes on when x and y are equal?, else to "false". */
static void compare(mb *b, eqc *E, ir_expr *x, ir_expr *y, int depth, bool no_pairs) {
  if (b->failed) return;
  /* deeper, or of more shapes: a call of the routine of x's and y's
   * classes (mprint.c), which calls itself for a tree */
  int limit = mb_in_routine(b) ? EQ_ROUTINE_DEPTH : EQ_MAX_DEPTH;
  bool again = false;
  int rx = root(b, x->type), ry = root(b, y->type);
  for (int i = 0; i < depth && i <= EQ_MAX_DEPTH; i++)
    again |= E->chain[2 * i] == rx && E->chain[2 * i + 1] == ry;
  if (depth > 0 && (again || depth > limit || --E->budget < 0)) {
    mb_equal_call(b, x, y, E->fn, E->loc);
    or_false(b, E, mb_var_ref(b, mb_equal_result(b)), "equal values inside?");
    return;
  }
  E->chain[2 * depth] = rx;
  E->chain[2 * depth + 1] = ry;
  bool vecs = holds_vectors(b, x->type) && holds_vectors(b, y->type);
  bool pairs = !no_pairs && holds_pairs(b, x->type) && holds_pairs(b, y->type);
  if (vecs || pairs) {
    x = held(b, E, x, "take the values");
    y = held(b, E, y, "take the values");
  }
  int_vec ends = {0};
  if (vecs) alternative(b, E, x, y, depth, T_VEC, compare_vectors, &ends);
  if (pairs && !b->failed) alternative(b, E, x, y, depth, T_PAIR, compare_lists, &ends);
  /* anything else: the same value (a pair or vector here was tested);
   * strings by their text (mstrings.c) */
  if (!b->failed && may_be_rt_string(b, x) && may_be_rt_string(b, y)) {
    x = held(b, E, x, "take the values");
    y = held(b, E, y, "take the values");
    compare_strings(b, E, x, y);
  } else if (!b->failed) {
    or_false(b, E, leaf_test(b, x, y), "the same value?");
  }
  for (int i = 0; i < ends.n; i++) set_pc(b, ends.v[i], 1, b->ms.n);
  VEC_FREE(ends);
}

static ir_expr *bool_const(mb *b, int type, int v) {
  ir_expr *e = mb_mkx(b, X_CONST, type, 0);
  e->ival = v;
  e->has_nat = true;
  e->nat = T_BOOL;
  return e;
}

void mb_expand_equal(mb *b, const ir_stmt *s, int f) {
  int rt = b->ir->vars.v[s->var].type;
  ir_expr *x = s->a[0], *y = s->a[1];
  bool deep = (holds_vectors(b, x->type) && holds_vectors(b, y->type)) ||
              (holds_pairs(b, x->type) && holds_pairs(b, y->type));
  if (!deep && !(may_be_rt_string(b, x) && may_be_rt_string(b, y))) {
    /* the classes settled on no structure: one step, as eqv? */
    mstmt *m = mb_step(b, M_WRITE, f, s->loc);
    mb_set_target(b, m, s->var);
    ir_expr *e = prim(b, "eqv?", rt, x, y);
    e->ival = strings_compared(b, x, y);   /* strings by their text */
    if (e->ival && b->ir->has_rtstr) e->ival = 2;   /* not two strings */
    e->has_nat = true;
    e->nat = T_BOOL;
    m->val = e;
    m->what = mb_describe(b, "equal? on values that are not vectors or lists");
    return;
  }
  eqc E = {f, s->loc, EQ_BUDGET, {0}, {0}};
  /* both operands first, in order: their errors come before the walk */
  x = held(b, &E, x, "the first operand");
  y = held(b, &E, y, "the second operand");
  compare(b, &E, x, y, 0, false);
  if (!b->failed) {
    assign(b, &E, s->var, bool_const(b, rt, 1), "no difference: #t");
    int out = jump(b, &E);
    for (int i = 0; i + 1 < E.to_false.n; i += 2)
      set_pc(b, E.to_false.v[i], E.to_false.v[i + 1], b->ms.n);
    assign(b, &E, s->var, bool_const(b, rt, 0), "a difference: #f");
    set_pc(b, out, 1, b->ms.n);
  }
  VEC_FREE(E.to_false);
}

/* The body of a routine of equal? (mprint.c's gen_routine): x and y in
 * its frame, the result in mb_equal_result's cell. */
void mb_equal_body(mb *b, ir_expr *x, ir_expr *y, int fn, srcloc loc) {
  int res = mb_equal_result(b);
  int rt = b->ir->vars.v[res].type;
  eqc E = {fn, loc, EQ_BUDGET, {0}, {0}};
  compare(b, &E, x, y, 0, false);
  if (!b->failed) {
    assign(b, &E, res, bool_const(b, rt, 1), "no difference: #t");
    int out = jump(b, &E);
    for (int i = 0; i + 1 < E.to_false.n; i += 2)
      set_pc(b, E.to_false.v[i], E.to_false.v[i + 1], b->ms.n);
    assign(b, &E, res, bool_const(b, rt, 0), "a difference: #f");
    set_pc(b, out, 1, b->ms.n);
  }
  VEC_FREE(E.to_false);
}
