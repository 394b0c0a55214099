/* gen.c - random tvl programs for the differential test (see gen.h).
 *
 * Every generating function writes one expression (or statement) to the
 * output buffer in prefix order and returns whether its kind is "fixed":
 * known to the compiler's kind inference whatever the caller does.  A
 * parameter starts open and becomes fixed where it is used as an operand
 * of arithmetic or a comparison; values that are displayed or returned
 * from a procedure must be fixed (C_WANT), or compiled code rejects them.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- randomness: splitmix64 ------------------------------------------ */

uint64_t rnd(gen *g) {
  uint64_t z = (g->s += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

int rn(gen *g, int n) { return n > 0 ? (int)(rnd(g) % (uint64_t)n) : 0; }
bool chance(gen *g, int pct) { return rn(g, 100) < pct; }
bool on(const gen *g, uint64_t flag) { return (g->o->enable & flag) != 0; }

uint64_t gen_seed_at(uint64_t base, uint64_t k) {
  gen g;
  g.s = base ^ (k * 0xd1342543de82ef95u);
  return rnd(&g);
}

/* ---- output ------------------------------------------------------------ */

void out(gen *g, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&g->b, fmt, ap);
  va_end(ap);
}

void fresh_name(gen *g, const char *prefix, char *dst) {
  snprintf(dst, 16, "%s%d", prefix, ++g->fresh);
}


/* ---- scope -------------------------------------------------------------- */

var *push_var(gen *g, const char *prefix, kind k, bool mut, bool fixed) {
  if (g->nv == MAXV) g->nv--;   /* never happens with the budgets used */
  var *v = &g->v[g->nv++];
  fresh_name(g, prefix, v->name);
  v->k = k;
  v->mut = mut;
  v->fixed = fixed;
  v->wide = false;
  return v;
}

var *pick_var(gen *g, kind k, int ctx, bool want_mut) {
  int idx[MAXV], n = 0;
  bool open_ok = !(ctx & C_WANT) || on(g, GEN_OPEN_KINDS);
  for (int i = 0; i < g->nv; i++) {
    const var *v = &g->v[i];
    if (v->k == k && (v->fixed || open_ok) && (!want_mut || v->mut)) idx[n++] = i;
  }
  return n ? &g->v[idx[rn(g, n)]] : NULL;
}

/* ---- constants ------------------------------------------------------- */

int32_t int_const(gen *g) {
  static const int32_t edge[] = {
      2147483647, -2147483647 - 1, 2147483646, -2147483647, 46340, 46341,
      -46341, 65536, -65536, 1073741824, -1073741824, 1000000, 99999};
  int r = rn(g, 100);
  if (g->small) r %= 85;
  if (r < 65) return rn(g, 21) - 10;
  if (r < 85) return rn(g, 2001) - 1000;
  return edge[rn(g, N_OF(edge))];
}

static int32_t divisor_const(gen *g) {
  static const int32_t d[] = {0, 1, -1, 2, -2, 3, -3, 7, -7, 10, 100,
                              65536, 2147483647, -2147483647 - 1};
  return d[rn(g, N_OF(d))];
}

void out_sym(gen *g, int s, bool quote) {
  out(g, "%s%s", quote ? "'" : "", sym_pool[s]);
}

void out_scalar_const(gen *g, kind k) {
  switch (k) {
  case K_INT: out(g, "%d", (int)int_const(g)); break;
  case K_BOOL: out(g, chance(g, 50) ? "#t" : "#f"); break;
  default: out_sym(g, rn(g, NSYM), true); break;
  }
}

/* ---- expressions ------------------------------------------------------ */

bool g_expr(gen *g, kind k, int d, int ctx);
void g_stmt(gen *g, int d);
void g_stmts(gen *g, int d, int n);

static int leaf_depth(gen *g, int d) { return g->budget <= 0 ? 0 : d; }

static bool g_var_or_const(gen *g, kind k, int ctx) {
  bool no_var = k == K_SYM && g->sym_arms;
  var *v = chance(g, 50) && !no_var ? pick_var(g, k, ctx, false) : NULL;
  if (!v) {
    out_scalar_const(g, k);
    return true;
  }
  out(g, "%s", v->name);
  if (ctx & C_FIX) v->fixed = true;
  g->dirty |= v->mut;
  return v->fixed;
}

/* Without GEN_EMPTY_VECTORS no empty vectors: the compiler cannot print
 * one (the kind of its elements is unknown). */
static int vec_len_const(gen *g) {
  if (chance(g, 5)) return -1;
  return on(g, GEN_EMPTY_VECTORS) ? rn(g, 6) : 1 + rn(g, 5);
}

/* A new vector, (vector e ...) or (make-vector n fill).  Making one is
 * an effect: where effects are not allowed (see g_expr), a variable. */
bool g_vec_new(gen *g, kind k, int d) {
  kind e = elem_of(k);
  var *v = g->pure ? pick_var(g, k, C_WANT, false) : NULL;
  if (v) {
    out(g, "%s", v->name);
    g->dirty = true;
    return v->fixed;
  }
  g->impure = true;
  if (chance(g, 50) || g->safe) {
    out(g, "(vector");
    int n = 1 + rn(g, 4);
    for (int i = 0; i < n; i++) {
      out(g, " ");
      bool mixed = on(g, GEN_MIXED_KINDS) && !g->safe && chance(g, 4);
      g_expr(g, mixed ? (kind)rn(g, 3) : e, d - 1, C_WANT);
    }
    out(g, ")");
  } else {
    out(g, "(make-vector ");
    if (chance(g, 80)) out(g, "%d", vec_len_const(g));
    else {
      out(g, on(g, GEN_EMPTY_VECTORS) ? "(min 5 " : "(max 1 (min 5 ");
      g_expr(g, K_INT, d - 1, C_FIX);
      out(g, on(g, GEN_EMPTY_VECTORS) ? ")" : "))");
    }
    out(g, " ");
    /* without a fill the elements would be unspecified (as in Guile):
     * an integer vector gets the constant 0 instead of an expression */
    if (e != K_INT || chance(g, 80)) g_expr(g, e, d - 1, C_WANT);
    else out(g, "0");
    out(g, ")");
  }
  g->dirty = true;
  return true;
}

bool g_leaf(gen *g, kind k, int ctx) {
  if (!is_vec(k)) return g_var_or_const(g, k, ctx);
  var *v = pick_var(g, k, ctx, false);
  if (v && chance(g, 85)) {
    out(g, "%s", v->name);
    g->dirty = true;
    return v->fixed;
  }
  return g_vec_new(g, k, 1);
}

/* A branch runs after its test: it may have effects if whatever came
 * before the whole conditional allowed them. */
static void branch(gen *g, bool before) { g->dirty = before; }

/* Without GEN_SAME_ARMS, symbol-valued conditionals have no variables
 * in their arms: when arms end up the same variable (also after folding
 * (if #t x 'a) to x) the compiler gives the symbol of the variable's
 * name, (let ((x 'f)) (if c x x)) is x. */
static void sym_arms(gen *g, kind k, int step) {
  if (k == K_SYM && !on(g, GEN_SAME_ARMS)) g->sym_arms += step;
}

/* A test: a value that decides a branch. */
void g_test(gen *g, int d) {
  g->test++;
  g_expr(g, K_BOOL, d - 1, 0);
  g->test--;
}

static bool g_if(gen *g, kind k, int d, int ctx) {
  bool before = g->dirty;
  out(g, "(if ");
  g_test(g, d);
  out(g, " ");
  branch(g, before);
  sym_arms(g, k, 1);
  bool a = g_expr(g, k, d - 1, ctx);
  out(g, " ");
  branch(g, before);
  bool b = g_expr(g, k, d - 1, ctx);
  sym_arms(g, k, -1);
  out(g, ")");
  g->dirty = true;
  return a || b;
}

static bool g_cond(gen *g, kind k, int d, int ctx) {
  bool before = g->dirty;
  out(g, "(cond");
  int n = 1 + rn(g, 3);
  bool fixed = false;
  for (int i = 0; i < n; i++) {
    out(g, " (");
    branch(g, before);
    g_test(g, d);
    if (k == K_BOOL && chance(g, 25)) {  /* a test alone gives its value */
      out(g, ")");
      fixed = true;
      continue;
    }
    out(g, " ");
    branch(g, before);
    sym_arms(g, k, 1);
    fixed |= g_expr(g, k, d - 1, ctx);
    sym_arms(g, k, -1);
    out(g, ")");
  }
  out(g, " (else ");
  branch(g, before);
  sym_arms(g, k, 1);
  fixed |= g_expr(g, k, d - 1, ctx);
  sym_arms(g, k, -1);
  out(g, "))");
  g->dirty = true;
  return fixed;
}

/* Without GEN_CASE_LISTS one datum per clause: with several, the compiler
 * loses errors of the else clause and reports present table keys
 * missing. */
static bool g_case(gen *g, kind k, int d, int ctx) {
  bool before = g->dirty;
  out(g, "(case ");
  g->andor++;   /* the key is compared by an or */
  g->test++;
  g_expr(g, K_INT, d - 1, C_FIX);
  g->test--;
  g->andor--;
  int n = 1 + rn(g, 3);
  bool fixed = false;
  for (int i = 0; i < n; i++) {
    out(g, " ((%d", rn(g, 11) - 5);
    for (int j = on(g, GEN_CASE_LISTS) ? rn(g, 3) : 0; j > 0; j--)
      out(g, " %d", rn(g, 11) - 5);
    out(g, ") ");
    branch(g, before);
    sym_arms(g, k, 1);
    fixed |= g_expr(g, k, d - 1, ctx);
    sym_arms(g, k, -1);
    out(g, ")");
  }
  out(g, " (else ");
  branch(g, before);
  sym_arms(g, k, 1);
  fixed |= g_expr(g, k, d - 1, ctx);
  sym_arms(g, k, -1);
  out(g, "))");
  g->dirty = true;
  return fixed;
}

static kind local_kind(gen *g) {
  int r = rn(g, 100);
  if (g->o->structured && r < 15) return vec_of((kind)rn(g, 3));
  if (r < 65) return K_INT;
  return r < 82 ? K_BOOL : K_SYM;
}

/* (let ((x e) ...) body) and let*: the new names are visible in the body
 * (and, for let*, in the later bindings). */
/* The compiler evaluates a let's binding only where it is used: unless
 * GEN_LAZY_LETS, bindings cannot fail. */
static bool g_let(gen *g, kind k, int d, int ctx) {
  bool star = chance(g, 40);
  int lazy = !on(g, GEN_LAZY_LETS);
  int n = 1 + rn(g, star ? 3 : 2), mark = g->nv;
  var news[3];
  out(g, "(%s (", star ? "let*" : "let");
  for (int i = 0; i < n; i++) {
    kind lk = local_kind(g);
    char name[16];
    fresh_name(g, "x", name);
    out(g, "%s(%s ", i ? " " : "", name);
    g->safe += lazy;
    /* without GEN_LET_IN_LET no let right inside: the compiler gives
     * the symbol x for (let ((r (let ((x 'a)) (if #f x x)))) r) */
    g->let_init = !on(g, GEN_LET_IN_LET);
    bool fixed = g_expr(g, lk, d - 1, 0);
    g->safe -= lazy;
    out(g, ")");
    var nv = {{0}, lk, g->o->structured, fixed, false};
    memcpy(nv.name, name, sizeof name);
    if (star) g->v[g->nv++] = nv;
    else news[i] = nv;
  }
  if (!star)
    for (int i = 0; i < n; i++) g->v[g->nv++] = news[i];
  out(g, ") ");
  bool fixed = g_expr(g, k, d - 1, ctx);
  out(g, ")");
  g->nv = mark;
  return fixed;
}

/* (let ((r e0)) (when|unless test (set! r e1)) r) */
static bool g_when_set(gen *g, kind k, int d, int ctx) {
  int mark = g->nv;
  g->impure = true;
  char name[16];
  fresh_name(g, "r", name);
  out(g, "(let ((%s ", name);
  g->let_init = !on(g, GEN_LET_IN_LET);
  bool fixed = g_expr(g, k, d - 1, ctx);
  out(g, ")) (%s ", chance(g, 50) ? "when" : "unless");
  g_test(g, d);
  out(g, " (set! %s ", name);
  fixed |= g_expr(g, k, d - 1, ctx);
  out(g, ")) %s)", name);
  g->nv = mark;
  g->dirty = true;
  return fixed;
}

/* ---- calls ------------------------------------------------------------ */


/* Calls of procedures with effects only where effects are allowed (see
 * g_expr); of procedures with lookups only where lookups are. */
static bool lookup_ok(const gen *g);

static bool call_ok(const gen *g, const proc *p) {
  return (p->pure || !g->pure) && (!p->lookups || lookup_ok(g)) &&
         (!p->eqs || !g->andor || on(g, GEN_ANDOR_EQ));
}

/* Whether p[from]'s body calls p[to], maybe through other procedures. */
static bool reaches(const gen *g, int from, int to) {
  uint64_t seen = 0, todo = (uint64_t)1 << from;
  while (todo) {
    int i = __builtin_ctzll(todo);
    todo &= todo - 1;
    if (i == to) return true;
    seen |= (uint64_t)1 << i;
    todo |= g->p[i].calls & ~seen;
  }
  return false;
}

/* Calls never form a cycle: with forward calls (and redefinitions) two
 * procedures could otherwise call each other in tail position forever,
 * a program that runs until the step limit (minutes) in both modes. */
static bool callable(const gen *g, int i) {
  if (i == g->self) return false;
  if (i > g->self && g->self >= 0 && !on(g, GEN_FORWARD_CALLS)) return false;
  if (g->self >= 0 && reaches(g, i, g->self)) return false;
  return g->p[i].done || (g->self >= 0 && on(g, GEN_FORWARD_CALLS));
}

void gen_note_call(gen *g, int i) {
  if (g->self >= 0) g->p[g->self].calls |= (uint64_t)1 << i;
}

int pick_proc(gen *g, kind ret) {
  int idx[MAXPROC], n = 0;
  for (int i = 0; i < g->np; i++)
    if (g->p[i].ret == ret && !g->p[i].is_void && callable(g, i) &&
        call_ok(g, &g->p[i]))
      idx[n++] = i;
  return n ? idx[rn(g, n)] : -1;
}

/* The recursion bound of a call: small, or past the depth limit. */
static void g_rec_bound(gen *g, const proc *p, int d) {
  if (p->rec == REC_BODY && on(g, GEN_DEEP_RECURSION) && chance(g, 10)) {
    out(g, "%d", 990 + rn(g, 30));
    return;
  }
  int lim = p->rec == REC_TAIL ? 40 : 8;
  if (chance(g, 60)) out(g, "%d", rn(g, lim + 2) - 1);
  else {
    out(g, "(min %d ", lim);
    g_expr(g, K_INT, d - 1, C_FIX);
    out(g, ")");
  }
}

/* Arguments.  A pure procedure is inlined, and the compiler then
 * evaluates an argument only where the body uses it: unless
 * GEN_LAZY_ARGS, the arguments of such calls cannot fail. */
void g_args(gen *g, const proc *p, int d) {
  bool safe = p->pure && !on(g, GEN_LAZY_ARGS);
  if (!p->pure) g->impure = true;
  g->safe += safe;
  for (int i = 0; i < p->np; i++) {
    out(g, " ");
    if (i == 0 && (p->rec == REC_BODY || p->rec == REC_TAIL)) g_rec_bound(g, p, d);
    else if (i == 1 && p->rec == REC_VEC) out(g, "%d", rn(g, 10) - 1);
    else g_expr(g, p->pk[i], d - 1, 0);
  }
  g->safe -= safe;
}

static bool g_call(gen *g, kind k, int d, int ctx, bool top) {
  int i = pick_proc(g, k);
  if (i < 0) return g_leaf(g, k, ctx);
  if (top) {
    g_top_call(g, i);
    return true;
  }
  const proc *p = &g->p[i];
  g->lookups |= p->lookups;
  g->eqs |= p->eqs;
  gen_note_call(g, i);
  out(g, "(%s", p->name);
  g_args(g, p, d);
  out(g, ")");
  g->dirty = true;
  return true;
}

static int pick_table(gen *g, kind vk) {
  int idx[MAXTAB], n = 0;
  for (int i = 0; i < g->nt; i++)
    if (g->t[i].vk == vk) idx[n++] = i;
  return n ? idx[rn(g, n)] : -1;
}

/* In a value that decides a branch the compiler loses the errors of
 * lookups, lets those of untaken branches through and reports present
 * keys missing: no lookups there without GEN_TEST_LOOKUPS. */
static bool lookup_ok(const gen *g) {
  return !g->test || on(g, GEN_TEST_LOOKUPS);
}

static bool g_table(gen *g, kind k, int d, int ctx) {
  int i = lookup_ok(g) ? pick_table(g, k) : -1;
  if (i < 0) return g_leaf(g, k, ctx);
  g->lookups = true;
  const table *t = &g->t[i];
  out(g, "(%s ", t->name);
  if (t->symkeys) g_expr(g, K_SYM, d - 1, 0);
  else if (chance(g, 60)) out(g, "%d", t->keys[rn(g, t->n)]);
  else g_expr(g, K_INT, d - 1, C_FIX);
  out(g, ")");
  g->dirty |= !t->dflt;
  return true;
}

/* ---- vectors ---------------------------------------------------------- */

/* An index: mostly in range of the short vectors made here. */
static void g_index(gen *g, int d) {
  int r = rn(g, 100);
  if (r < 60) out(g, "%d", rn(g, 2));
  else if (r < 75) out(g, "%d", 2 + rn(g, 2));
  else if (r < 82) out(g, "%d", chance(g, 50) ? -1 : 5 + rn(g, 3));
  else if (r < 92) {
    out(g, "(modulo ");
    g_expr(g, K_INT, d - 1, C_FIX);
    out(g, " %d)", 1 + rn(g, 3));
  } else {
    g_expr(g, K_INT, d - 1, C_FIX);
  }
}

/* A vector of kind k for vector-ref and friends; *v is the variable when
 * it is one. */
static bool g_vec_operand(gen *g, kind k, int d, int ctx, var **v) {
  *v = chance(g, 80) ? pick_var(g, k, ctx & C_WANT, false) : NULL;
  if (*v) {
    out(g, "%s", (*v)->name);
    g->dirty = true;
    return (*v)->fixed;
  }
  return g_expr(g, k, d - 1, ctx & C_WANT);
}

static bool g_vector_ref(gen *g, kind k, int d, int ctx) {
  var *v;
  if (!lookup_ok(g)) return g_leaf(g, k, ctx);
  g->lookups = true;
  out(g, "(vector-ref ");
  bool fixed = g_vec_operand(g, vec_of(k), d, ctx, &v);
  out(g, " ");
  g_index(g, d);
  out(g, ")");
  g->dirty = true;
  if (v && (ctx & C_FIX)) v->fixed = fixed = true;
  return fixed;
}

static bool g_vector_length(gen *g, int d) {
  var *v;
  out(g, "(vector-length ");
  g_vec_operand(g, vec_of((kind)rn(g, 3)), d, 0, &v);
  out(g, ")");
  return true;
}

/* ---- integers --------------------------------------------------------- */

void g_operands(gen *g, kind k, int d, int n) {
  for (int i = 0; i < n; i++) {
    out(g, " ");
    g_expr(g, k, d - 1, C_FIX);
  }
}

static var *pick_wide(gen *g);

static void g_division(gen *g, int d) {
  static const char *const ops[] = {"quotient", "remainder", "modulo"};
  out(g, "(%s", ops[rn(g, 3)]);
  int r = rn(g, 100);
  if (r < 45) {
    g_operands(g, K_INT, d, 1);
    out(g, " %d", (int)divisor_const(g));
  } else if (r < 65) {
    /* a constant dividend: of at most 2^20 without GEN_VAR_DIVISION */
    /* and a divisor of unbounded range: narrow ones (an argument
     * (remainder x 10) of an inlined call) make its range too wide */
    int32_t c = int_const(g);
    var *v = on(g, GEN_VAR_DIVISION) ? NULL : pick_wide(g);
    if (!on(g, GEN_VAR_DIVISION) && (c > 1 << 20 || c < -(1 << 20))) c /= 4096;
    out(g, " %d", (int)c);
    if (v) out(g, " %s", v->name);
    else if (on(g, GEN_VAR_DIVISION)) g_operands(g, K_INT, d, 1);
    else out(g, " %d", (int)divisor_const(g));
  } else if (r < 85 || !on(g, GEN_VAR_DIVISION)) {
    /* a variable divisor clamped to a bounded range, zero and negative
     * included; min and max of constants make the compiler's range of
     * the divisor unbounded, so the variable is one that inlining cannot
     * replace by a constant (a global or a loop's) */
    int m = chance(g, 50) ? 9 : 1000;
    var *v = pick_wide(g);
    g_operands(g, K_INT, d, 1);
    if (v) {
      out(g, " (max -%d (min %d %s))", m, m, v->name);
      v->fixed = true;
    } else {
      out(g, " %d", (int)divisor_const(g));
    }
  } else {
    g_operands(g, K_INT, d, 2);
  }
  out(g, ")");
}

static bool g_int_op(gen *g, int d, int ctx);

static var *pick_wide(gen *g) {
  int idx[MAXV], n = 0;
  for (int i = 0; i < g->nv; i++)
    if (g->v[i].k == K_INT && g->v[i].wide) idx[n++] = i;
  return n ? &g->v[idx[rn(g, n)]] : NULL;
}

/* Products.  Without GEN_GENERAL_MUL, one factor is a constant or both
 * are variables of unknown range (globals, loop variables). */
static void g_mul(gen *g, int d) {
  out(g, "(*");
  var *a = pick_wide(g), *b = pick_wide(g);
  if (on(g, GEN_GENERAL_MUL)) {
    g_operands(g, K_INT, d, 2 + (chance(g, 20) ? 1 : 0));
  } else if (a && b && chance(g, 50)) {
    out(g, " %s %s", a->name, b->name);
  } else {
    static const int32_t k[] = {0, 1, -1, 2, 3, -7, 10, 100, 1000, 46341, -65536};
    int nk = on(g, GEN_GENERAL_MUL) ? N_OF(k) : 7;
    /* a constant that overflowed makes the compiler's ranges too wide
     * for a product: keep constants small under it */
    bool first = chance(g, 30);
    int small = !on(g, GEN_GENERAL_MUL);
    if (first) out(g, " %d", (int)k[rn(g, nk)]);
    g->small += small;
    g_operands(g, K_INT, d, 1);
    g->small -= small;
    if (!first) out(g, " %d", (int)k[rn(g, nk)]);
  }
  out(g, ")");
}

static bool g_int_special(gen *g, int d, int ctx) {
  bool fixed = g_int_op(g, d, ctx);
  g->dirty = true;
  return fixed;
}

static bool g_int_op(gen *g, int d, int ctx) {
  int r = rn(g, 100);
  if (r < 10) {
    g_mul(g, d);
  } else if (r < 30) {
    static const char *const ops[] = {"+", "-"};
    const char *op = ops[rn(g, 2)];
    int n = 1 + rn(g, on(g, GEN_NARY_ARITH) ? 3 : 2);
    if (op[0] == '+' && n == 1) n = 2;
    out(g, "(%s", op);
    g_operands(g, K_INT, d, n);
    out(g, ")");
  } else if (r < 48) {
    g_division(g, d);
  } else if (r < 62) {
    /* abs, 1+, 1- of one operand; min, max of one to three; gcd, lcm of
     * none to three (lcm overflows easily: rarer) */
    static const char *const ops[] = {"abs", "min", "max", "abs", "min",
                                      "max", "1+", "1-", "gcd", "lcm"};
    static const char *const same[] = {"abs", "floor", "ceiling", "round", "truncate",
                                       "inexact->exact"};
    int i = rn(g, 10);
    /* the second abs: sometimes a rounding, the identity on integers (no
     * draw of its own: the programs of other seeds stay the same) */
    out(g, "(%s", i == 3 ? same[g->fresh % 6] : ops[i]);
    g_operands(g, K_INT, d, i == 0 || i == 3 || i == 6 || i == 7 ? 1
                            : i >= 8 ? rn(g, 4) : 1 + rn(g, 3));
    out(g, ")");
  } else if (r < 80 && g->o->structured) {
    return g_vector_ref(g, K_INT, d, ctx);
  } else if (r < 86 && g->o->structured) {
    return g_vector_length(g, d);
  } else {
    out(g, "(- ");
    g_expr(g, K_INT, d - 1, C_FIX);
    out(g, " %d)", (int)int_const(g));
  }
  return true;
}

/* ---- booleans --------------------------------------------------------- */

static bool g_bool_special(gen *g, int d, int ctx) {
  int r = rn(g, 100);
  if (r < 30) {
    static const char *const ops[] = {"<", ">", "=", "<=", ">="};
    out(g, "(%s", ops[rn(g, 5)]);
    g_operands(g, K_INT, d, chance(g, 80) ? 2 : 3);
    out(g, ")");
  } else if (r < 42) {
    static const char *const ops[] = {"zero?", "positive?", "negative?",
                                      "even?", "odd?", "exact?",
                                      "exact-integer?"};
    out(g, "(%s", ops[rn(g, 7)]);
    g_operands(g, K_INT, d, 1);
    out(g, ")");
  } else if (r < 54) {
    out(g, "(not ");
    g_expr(g, chance(g, 90) ? K_BOOL : K_INT, d - 1, 0);
    out(g, ")");
  } else if (r < 72) {
    /* (and x ...) is one of its operands: of their kind, maybe open */
    int n = 1 + rn(g, 3);
    bool fixed = false;
    out(g, "(%s", chance(g, 50) ? "and" : "or");
    g->andor++;
    g->test++;
    for (int i = 0; i < n; i++) {
      out(g, " ");
      fixed |= g_expr(g, K_BOOL, d - 1, 0);
    }
    g->test--;
    g->andor--;
    if (!fixed && (ctx & C_WANT)) out(g, " #f");   /* fixes the kind */
    out(g, ")");
    return fixed || (ctx & C_WANT);
  } else if (r < 84 && (!g->andor || on(g, GEN_ANDOR_EQ))) {
    /* (let ((x 'c)) (or (eq? 'c x) #f)) is #f after other symbols */
    g->eqs = true;
    out(g, "(eq? ");
    kind k = chance(g, 75) ? K_SYM : K_BOOL;
    g_expr(g, k, d - 1, 0);
    out(g, " ");
    g_expr(g, k, d - 1, 0);
    out(g, ")");
  } else if (r < 90) {
    out(g, "(eqv?");   /* fixes no kind */
    for (int i = 0; i < 2; i++) {
      out(g, " ");
      g_expr(g, K_INT, d - 1, 0);
    }
    out(g, ")");
  } else if (g->o->structured) {
    return g_vector_ref(g, K_BOOL, d, ctx);
  } else {
    out(g, "(not (< ");
    g_expr(g, K_INT, d - 1, C_FIX);
    out(g, " 0))");
  }
  return true;
}

static bool g_sym_special(gen *g, int d, int ctx) {
  if (g->o->structured && chance(g, 40)) return g_vector_ref(g, K_SYM, d, ctx);
  out_sym(g, rn(g, NSYM), true);
  return true;
}

/* ---- loops ------------------------------------------------------------ */

/* A trip count: at most `lim`, and never more. */
static void g_trip_at(gen *g, int d, int lim);

/* A trip count (the loop's test compares with it). */
static void g_trip(gen *g, int d, int lim) {
  g->test++;
  g_trip_at(g, d, lim);
  g->test--;
}

static void g_trip_at(gen *g, int d, int lim) {
  int r = rn(g, 100);
  var *v = NULL;
  if (r < 55) {
    out(g, "%d", rn(g, lim + 1));
  } else if (r < 75 && (v = pick_var(g, vec_of((kind)rn(g, 3)), 0, false))) {
    out(g, "(min %d (vector-length %s))", lim, v->name);
  } else {
    out(g, "(min %d ", lim);
    g_expr(g, K_INT, d - 1, C_FIX);
    out(g, ")");
  }
}

static int trip_limit(gen *g) {
  if (g->loops >= 2 || g->trips > 40) return 0;
  int lim = g->loops ? 4 : (chance(g, 20) ? 12 : 6);
  return g->self >= 0 ? (lim > 5 ? 5 : lim) : lim;
}

static void loop_body(gen *g, int d, int lim) {
  int save = g->trips;
  g->loops++;
  g->trips *= lim ? lim : 1;
  g_stmts(g, d - 1, 1 + rn(g, 2));
  g->loops--;
  g->trips = save;
}

/* the accumulator's next value: (op acc e) or an expression */
static void g_step(gen *g, const var *acc, int d) {
  static const char *const ops[] = {"+", "-", "*", "max", "min"};
  int op = rn(g, 5);
  out(g, "(%s %s ", ops[op], acc->name);
  if (op == 2 && !on(g, GEN_GENERAL_MUL)) out(g, "%d", rn(g, 7) - 3);
  else g_expr(g, K_INT, d - 1, C_FIX);
  out(g, ")");
}

static void g_loop_stmt(gen *g, int d, int lim) {
  int mark = g->nv;
  var *i = push_var(g, "i", K_INT, false, true);
  i->wide = true;
  int r = rn(g, 3);
  if (r == 0) {
    out(g, "(do ((%s 0 (+ %s 1))) ((>= %s ", i->name, i->name, i->name);
    g_trip(g, d, lim);
    out(g, "))");
    loop_body(g, d, lim);
    out(g, ")");
  } else if (r == 1) {
    out(g, "(let ((%s 0)) (while (< %s ", i->name, i->name);
    g_trip(g, d, lim);
    out(g, ")");
    loop_body(g, d, lim);
    out(g, " (set! %s (+ %s 1))))", i->name, i->name);
  } else {
    char lp[16];
    fresh_name(g, "lp", lp);
    out(g, "(let %s ((%s 0)) (when (< %s ", lp, i->name, i->name);
    g_trip(g, d, lim);
    out(g, ")");
    loop_body(g, d, lim);
    out(g, " (%s (+ %s 1))))", lp, i->name);
  }
  g->nv = mark;
}

static bool g_loop_value(gen *g, int d, int lim) {
  int mark = g->nv;
  g->impure = true;
  char in[16], an[16], lp[16];
  fresh_name(g, "i", in);
  fresh_name(g, "a", an);
  fresh_name(g, "lp", lp);
  int r = rn(g, 3);
  if (r == 0) out(g, "(do ((%s 0 (+ %s 1)) (%s ", in, in, an);
  else if (r == 1) out(g, "(let ((%s 0) (%s ", in, an);
  else out(g, "(let %s ((%s 0) (%s ", lp, in, an);
  g_expr(g, K_INT, d - 1, C_FIX);
  var *i = push_var(g, "", K_INT, false, true);
  memcpy(i->name, in, 16);
  var *a = push_var(g, "", K_INT, false, true);
  memcpy(a->name, an, 16);
  i->wide = a->wide = true;
  if (r == 0) {
    out(g, " ");
    g_step(g, a, d);
    out(g, ")) ((>= %s ", in);
    g_trip(g, d, lim);
    out(g, ") %s)", an);
    loop_body(g, d, lim);
    out(g, ")");
  } else if (r == 1) {
    out(g, ")) (while (< %s ", in);
    g_trip(g, d, lim);
    out(g, ")");
    loop_body(g, d, lim);
    out(g, " (set! %s ", an);
    g_step(g, a, d);
    out(g, ") (set! %s (+ %s 1))) %s)", in, in, an);
  } else {
    out(g, ")) (if (>= %s ", in);
    g_trip(g, d, lim);
    out(g, ") %s (begin", an);
    loop_body(g, d, lim);
    out(g, " (%s (+ %s 1) ", lp, in);
    g_step(g, a, d);
    out(g, "))))");
  }
  g->nv = mark;
  g->dirty = true;
  return true;
}

/* (begin statement ... value) */
static bool g_begin(gen *g, kind k, int d, int ctx) {
  out(g, "(begin");
  g_stmts(g, d - 1, 1 + rn(g, 2));
  out(g, " ");
  bool fixed = g_expr(g, k, d - 1, ctx);
  out(g, ")");
  g->dirty = true;
  return fixed;
}

/* ---- the expression dispatcher ----------------------------------------- */

static bool g_special(gen *g, kind k, int d, int ctx) {
  switch (k) {
  case K_INT: return g_int_special(g, d, ctx);
  case K_BOOL: return g_bool_special(g, d, ctx);
  case K_SYM: return g_sym_special(g, d, ctx);
  default: return g_vec_new(g, k, d);
  }
}

/* Expressions that cannot fail, for the arguments of inlined calls. */
static bool g_safe_special(gen *g, kind k, int d) {
  int r = rn(g, 100);
  if (k == K_INT && r < 50) {
    out(g, "(%s", chance(g, 50) ? "min" : "max");
    g_operands(g, K_INT, d, 1 + rn(g, 2));
    out(g, ")");
  } else if (k == K_INT) {
    static const char *const ops[] = {"quotient", "remainder", "modulo"};
    static const int32_t ks[] = {2, 3, -3, 7, 10, 100, -65536};
    out(g, "(%s", ops[rn(g, 3)]);
    g_operands(g, K_INT, d, 1);
    out(g, " %d)", (int)ks[rn(g, N_OF(ks))]);
  } else if (k == K_BOOL && r < 40) {
    static const char *const ops[] = {"<", ">", "=", "<=", ">="};
    out(g, "(%s", ops[rn(g, 5)]);
    g_operands(g, K_INT, d, 2);
    out(g, ")");
  } else if (k == K_BOOL) {
    out(g, "(%s", r < 60 ? "not" : r < 80 ? "and" : "or");
    for (int i = r < 60 ? 1 : 2; i > 0; i--) {   /* these fix no kind */
      out(g, " ");
      g_expr(g, K_BOOL, d - 1, 0);
    }
    out(g, ")");
  } else {
    return g_leaf(g, k, 0);
  }
  return true;
}

static bool g_safe_expr(gen *g, kind k, int d, int ctx, bool let_init) {
  if (d <= 0 || is_vec(k) || chance(g, 30)) {
    if (!is_vec(k)) return g_var_or_const(g, k, ctx);
    var *v = pick_var(g, k, ctx, false);
    if (!v) return g_vec_new(g, k, 1);
    out(g, "%s", v->name);
    return v->fixed;
  }
  int r = rn(g, 100);
  if (r < 20) return g_if(g, k, d, ctx);
  if (r < 30) return g_cond(g, k, d, ctx);
  if (r < 40 && !let_init) return g_let(g, k, d, ctx);
  return g_safe_special(g, k, d);
}

static bool g_expr_at(gen *g, kind k, int d, int ctx);

/* The compiler runs an expression with effects (a call of a procedure
 * with effects, a set!, a loop, a new vector) before the expression
 * around it, the tests and branches of a conditional holding it
 * included: unless GEN_HOISTED_CALLS, an expression that starts after
 * something that could fail or that read what a statement can change
 * (g->dirty) has no effects anywhere inside. */
bool g_expr(gen *g, kind k, int d, int ctx) {
  int pure = g->dirty && !on(g, GEN_HOISTED_CALLS);
  g->pure += pure;
  bool fixed = g_expr_at(g, k, d, ctx);
  g->pure -= pure;
  return fixed;
}

static bool g_expr_at(gen *g, kind k, int d, int ctx) {
  d = leaf_depth(g, d);
  g->budget--;
  bool top = g->top, let_init = g->let_init;
  g->top = g->let_init = false;
  if (g->safe) return g_safe_expr(g, k, d, ctx, let_init);
  if (d <= 0 || chance(g, 15)) return g_leaf(g, k, ctx);
  bool fixed;
  if (chance(g, 14) && gl_expr(g, k, d, ctx, &fixed)) return fixed;
  int r = rn(g, 100);
  bool st = g->o->structured;
  if (r < 10) return g_if(g, k, d, ctx);
  if (r < 16) return g_cond(g, k, d, ctx);
  if (r < 19) return g_case(g, k, d, ctx);
  if (r < 26 && !let_init) return g_let(g, k, d, ctx);
  if (r < 36) return g_call(g, k, d, ctx, top);
  if (r < 42) return g_table(g, k, d, ctx);
  if (r < 46 && !g->pure) return g_when_set(g, k, d, ctx);
  if (st && r < 52 && !g->pure) return g_begin(g, k, d, ctx);
  int lim = trip_limit(g);
  if (st && r < 58 && k == K_INT && lim && !g->pure) return g_loop_value(g, d, lim);
  return g_special(g, k, d, ctx);
}

/* ---- statements ------------------------------------------------------- */

static void g_set(gen *g, int d) {
  kind k = local_kind(g);
  var *v = pick_var(g, k, 0, true);
  if (!v) {
    out(g, "(newline)");
    return;
  }
  out(g, "(set! %s ", v->name);
  if (g_expr(g, k, d - 1, 0)) v->fixed = true;
  out(g, ")");
}

static void g_vector_set(gen *g, int d) {
  kind k = vec_of((kind)(chance(g, 70) ? K_INT : rn(g, 3)));
  var *v = pick_var(g, k, 0, false);
  if (!v) {
    g_set(g, d);
    return;
  }
  out(g, "(vector-set! %s ", v->name);
  g->dirty = true;
  g_index(g, d);
  out(g, " ");
  if (g_expr(g, elem_of(k), d - 1, 0)) v->fixed = true;
  out(g, ")");
}

static void g_display(gen *g, int d) {
  kind k = chance(g, 80) ? (kind)rn(g, 3) : vec_of((kind)rn(g, 3));
  out(g, "(display ");
  g_expr(g, k, d - 1, C_WANT);
  out(g, ")");
}

/* A call as a statement, its value assigned to a variable.  Without
 * GEN_CALL_STMTS never a bare call: the compiler wants one kind for the
 * value of a one-armed if even where nothing uses it, so (when c (f))
 * with f pure would be refused. */
static int pick_void(gen *g) {
  int idx[MAXPROC], n = 0;
  for (int i = 0; i < g->np; i++)
    if (g->p[i].is_void && callable(g, i) && call_ok(g, &g->p[i])) idx[n++] = i;
  return n ? idx[rn(g, n)] : -1;
}

static void g_call_stmt(gen *g, int d) {
  kind k = (kind)rn(g, 3);
  int i = pick_proc(g, k), vi = pick_void(g);
  var *v = i >= 0 ? pick_var(g, k, 0, true) : NULL;
  if (vi >= 0 && chance(g, 40)) i = vi, v = NULL;
  else if (vi >= 0 && i < 0) i = vi;
  if (i < 0 || (!v && !g->p[i].is_void && !on(g, GEN_CALL_STMTS))) {
    g_set(g, d);
    return;
  }
  if (!v && g->self < 0) {
    /* a statement of a top-level begin is a top-level form */
    g_top_call(g, i);
    return;
  }
  g->lookups |= g->p[i].lookups;
  g->eqs |= g->p[i].eqs;
  gen_note_call(g, i);
  if (v) out(g, "(set! %s ", v->name);
  out(g, "(%s", g->p[i].name);
  g_args(g, &g->p[i], d);
  out(g, ")");
  if (v) {
    out(g, ")");
    v->fixed = true;
  }
}

void g_stmt(gen *g, int d) {
  d = leaf_depth(g, d);
  g->budget--;
  g->impure = true;
  g->dirty = false;
  if (chance(g, 15) && gl_stmt(g, d)) return;
  int r = rn(g, 100), lim = trip_limit(g);
  if (r < 22) g_set(g, d);
  else if (r < 40) g_vector_set(g, d);
  else if (r < 52) g_display(g, d);
  else if (r < 56) out(g, "(newline)");
  else if (r < 66 && d > 0) {
    out(g, "(%s ", chance(g, 50) ? "when" : "unless");
    g_test(g, d);
    g_stmts(g, d - 1, 1 + rn(g, 2));
    out(g, ")");
  } else if (r < 72 && d > 0) {
    out(g, "(if ");
    g_test(g, d);
    g_stmts(g, d - 1, 2);
    out(g, ")");
  } else if (r < 86 && d > 0 && lim) {
    g_loop_stmt(g, d, lim);
  } else {
    g_call_stmt(g, d);
  }
}

void g_stmts(gen *g, int d, int n) {
  for (int i = 0; i < n; i++) {
    out(g, " ");
    g_stmt(g, d);
  }
}

/* ---- definitions ------------------------------------------------------- */

static void g_table_def(gen *g) {
  table *t = &g->t[g->nt++];
  fresh_name(g, "t", t->name);
  t->symkeys = chance(g, 60);
  t->vk = (kind)rn(g, 3);
  t->n = 2 + rn(g, 3);
  int perm[NSYM] = {0, 1, 2, 3, 4, 5};
  for (int i = NSYM - 1; i > 0; i--) {
    int j = rn(g, i + 1), x = perm[i];
    perm[i] = perm[j];
    perm[j] = x;
  }
  int key = rn(g, 11) - 8;
  for (int i = 0; i < t->n; i++) {
    key += 1 + rn(g, 3);
    t->keys[i] = t->symkeys ? perm[i] : key;
    t->vals[i] = t->vk == K_INT ? int_const(g) : rn(g, t->vk == K_BOOL ? 2 : NSYM);
  }
  t->dflt = chance(g, 50);
  t->dval = t->vk == K_INT ? int_const(g) : rn(g, t->vk == K_BOOL ? 2 : NSYM);
  out(g, "(deftable %s", t->name);
  for (int i = 0; i <= t->n; i++) {
    if (i == t->n && !t->dflt) break;
    int val = i < t->n ? t->vals[i] : t->dval;
    if (i == t->n) out(g, " (else ");
    else if (t->symkeys) out(g, " (%s ", sym_pool[t->keys[i]]);
    else out(g, " (%d ", t->keys[i]);
    if (t->vk == K_INT) out(g, "%d)", val);
    else if (t->vk == K_BOOL) out(g, "%s)", val ? "#t" : "#f");
    else out(g, "'%s)", sym_pool[val]);
  }
  out(g, ")\n");
}

/* A global of kind k (random when k < 0). */
static void g_global(gen *g, int want) {
  kind k = (kind)(chance(g, 60) ? K_INT : rn(g, 3));
  if (g->o->structured && chance(g, 40)) k = vec_of((kind)(chance(g, 70) ? K_INT : rn(g, 3)));
  if (want >= 0) k = (kind)want;
  var *v = push_var(g, is_vec(k) ? "v" : "g", k, true, true);
  v->wide = true;
  out(g, "(define %s ", v->name);
  if (!is_vec(k)) out_scalar_const(g, k);
  else {
    int n = 1 + rn(g, 6);
    if (chance(g, 50)) {
      out(g, "(make-vector %d ", n);
      out_scalar_const(g, elem_of(k));
    } else {
      out(g, "(vector");
      for (int i = 0; i < n; i++) {
        out(g, " ");
        out_scalar_const(g, elem_of(k));
      }
    }
    out(g, ")");
  }
  out(g, ")\n");
}

static kind param_kind(gen *g) {
  int r = rn(g, 100);
  if (g->o->structured && r < 20) return vec_of((kind)(chance(g, 70) ? K_INT : rn(g, 3)));
  if (r < 70) return K_INT;
  return r < 85 ? K_BOOL : K_SYM;
}

static void new_signature(gen *g, proc *p) {
  fresh_name(g, "f", p->name);
  int r = rn(g, 100);
  p->rec = !g->o->structured || r < 70 ? REC_NONE
           : r < 82                     ? REC_BODY
           : r < 94                     ? REC_TAIL
                                        : REC_VEC;
  p->np = p->rec == REC_NONE ? rn(g, MAXPARAM + 1) : 1 + rn(g, 2);
  for (int i = 0; i < p->np; i++) p->pk[i] = param_kind(g);
  p->ret = chance(g, 60) ? K_INT : (kind)rn(g, 3);
  if (p->rec != REC_NONE) {
    p->pk[0] = p->rec == REC_VEC ? vec_of(K_INT) : K_INT;
    p->ret = K_INT;
    if (p->rec == REC_VEC) p->np = 2, p->pk[1] = K_INT;
    if (p->rec == REC_TAIL) p->np = 2, p->pk[1] = K_INT;
  } else if (g->o->structured && chance(g, 10)) {
    p->ret = vec_of((kind)rn(g, 3));
  }
  p->is_void = p->rec == REC_NONE && g->o->structured && chance(g, 15);
  p->done = false;
}

/* The parameters; those of a recursive procedure are fixed and never
 * assigned (the first one bounds the recursion). */
static void open_params(gen *g, const proc *p, bool lam) {
  bool rec = p->rec != REC_NONE;
  out(g, lam ? "(define %s (lambda (" : "(define (%s", p->name);
  for (int i = 0; i < p->np; i++) {
    var *v = push_var(g, "p", p->pk[i], g->o->structured && !rec, rec);
    out(g, lam && !i ? "%s" : " %s", v->name);
  }
  out(g, ")");
}

/* (f n x): (if (<= n 0) base (op (f (- n 1) x') e)) */
static void g_rec_body(gen *g, proc *p, int d) {
  const char *n = g->v[g->nv - p->np].name;
  static const char *const ops[] = {"+", "-", "max", "min", "*"};
  out(g, " (if (<= %s 0) ", n);
  g_expr(g, K_INT, d - 1, C_WANT);
  int op = rn(g, 5);
  out(g, " (%s (%s (- %s 1)", ops[op], p->name, n);
  for (int i = 1; i < p->np; i++) {
    out(g, " ");
    g_expr(g, p->pk[i], d - 1, 0);
  }
  out(g, ") ");
  if (op == 4 && !on(g, GEN_GENERAL_MUL)) out(g, "%d", rn(g, 7) - 3);
  else g_expr(g, K_INT, d - 1, C_FIX);
  out(g, ")))");
}

/* (f n acc): (if (<= n 0) acc (f (- n 1) e)) */
static void g_rec_tail(gen *g, proc *p, int d) {
  const char *n = g->v[g->nv - 2].name, *acc = g->v[g->nv - 1].name;
  out(g, " (if (<= %s 0) %s (%s (- %s 1) ", n, acc, p->name, n);
  g_step(g, &g->v[g->nv - 1], d);
  out(g, ")))");
}

/* (f v i): the sum of v from i, by recursion */
static void g_rec_vec(gen *g, proc *p, int d) {
  const char *v = g->v[g->nv - 2].name, *i = g->v[g->nv - 1].name;
  out(g, " (if (>= %s (vector-length %s)) ", i, v);
  g_expr(g, K_INT, d - 1, C_WANT);
  out(g, " (+ (%s %s (+ %s 1)) (vector-ref %s %s))))", p->name, v, i, v, i);
}

void g_proc_def(gen *g, int pi) {
  proc *p = &g->p[pi];
  int mark = g->nv, d = g->o->max_depth;
  g->self = pi;
  p->calls = 0;   /* a redefinition's old body is called no more */
  g->dirty = false;
  g->impure = p->rec != REC_NONE;
  g->lookups = g->eqs = false;
  g->budget = 40;
  g->loops = 0;
  g->trips = 1;
  bool lam = on(g, GEN_LAMBDA) && chance(g, 15);
  open_params(g, p, lam);
  if (p->rec == REC_BODY) g_rec_body(g, p, d);
  else if (p->rec == REC_TAIL) g_rec_tail(g, p, d);
  else if (p->rec == REC_VEC) g_rec_vec(g, p, d);
  else {
    if (on(g, GEN_LOCAL_DEFINES) && chance(g, 20)) {
      /* a local definition at the start of the body */
      char w[16];
      fresh_name(g, "w", w);
      out(g, " (define %s ", w);
      g_expr(g, K_INT, d - 1, C_FIX);   /* w is not seen in its own value */
      out(g, ")");
      var *v = push_var(g, "", K_INT, g->o->structured, true);
      memcpy(v->name, w, sizeof w);
    }
    if (g->o->structured && chance(g, 60)) g_stmts(g, d, 1 + rn(g, 2));
    out(g, " ");
    if (p->is_void) g_stmt(g, d);
    else g_expr(g, p->ret, d, C_WANT);
    out(g, ")");
  }
  out(g, lam ? ")\n" : "\n");
  p->pure = !g->impure;
  p->lookups = g->lookups;
  p->eqs = g->eqs;
  p->done = true;
  g->nv = mark;
  g->self = -1;
}

/* ---- top-level forms --------------------------------------------------- */

/* A call with constant arguments, which the session runs as the
 * procedure's own program with the arguments in its prompt.  Arguments
 * that would be refused there (see GEN_FOREIGN_SYMBOLS, GEN_BOOL_ARGS) are
 * bound by a let around the call instead. */
void g_top_call(gen *g, int pi) {
  const proc *p = &g->p[pi];
  strbuf args;
  sb_init(&args);
  bool wrap = false;
  char bound[16] = "";
  for (int i = 0; i < p->np; i++) {
    kind k = p->pk[i];
    int s = rn(g, NSYM);
    /* the symbols a procedure keeps after dead code is removed are not
     * known here: without GEN_FOREIGN_SYMBOLS, no symbol constants */
    bool foreign = k == K_SYM && !on(g, GEN_FOREIGN_SYMBOLS);
    bool boolean = k == K_BOOL && !on(g, GEN_BOOL_ARGS);
    if ((foreign || boolean) && !wrap) {
      wrap = true;
      fresh_name(g, "x", bound);
      if (k == K_SYM) out(g, "(let ((%s '%s)) ", bound, sym_pool[s]);
      else out(g, "(let ((%s %s)) ", bound, chance(g, 50) ? "#t" : "#f");
      sb_printf(&args, " %s", bound);
      continue;
    }
    if (k == K_INT && i == 1 && p->rec == REC_VEC) {
      sb_printf(&args, " %d", rn(g, 10) - 1);
    } else if (k == K_INT && i == 0 && p->rec != REC_NONE && p->rec != REC_VEC) {
      int deep = p->rec == REC_BODY && on(g, GEN_DEEP_RECURSION) && chance(g, 10);
      sb_printf(&args, " %d", deep ? 990 + rn(g, 30) : rn(g, 12) - 1);
    } else if (k == K_INT) sb_printf(&args, " %d", (int)int_const(g));
    else if (k == K_BOOL) sb_printf(&args, " %s", chance(g, 50) ? "#t" : "#f");
    else if (k == K_SYM) sb_printf(&args, " '%s", sym_pool[s]);
    else {
      /* vectors are never constants: write the expression in place */
      size_t at = g->b.n;
      g->budget = 8;
      g_vec_new(g, k, 2);
      sb_putc(&args, ' ');
      sb_putn(&args, g->b.s + at, g->b.n - at);
      g->b.n = at;
      g->b.s[at] = 0;
    }
  }
  out(g, "(%s%s)%s", p->name, args.s ? args.s : "", wrap ? ")" : "");
  sb_free(&args);
}

static void g_top_expr(gen *g) {
  g->self = -1;
  g->budget = 30;
  g->loops = 0;
  g->trips = 1;
  g->dirty = false;
  if (chance(g, 15) && gl_top(g)) return;
  int r = rn(g, 100);
  bool st = g->o->structured;
  int pi = g->np ? rn(g, g->np) : -1;
  if (r < 35 && pi >= 0 && g->p[pi].done) {
    g_top_call(g, pi);
    out(g, "\n");
  } else if (st && r < 50) {
    out(g, "(begin");
    g_stmts(g, g->o->max_depth, 1 + rn(g, 3));
    out(g, ")\n");
  } else if (st && r < 58) {
    g_loop_stmt(g, g->o->max_depth, 12);
    out(g, "\n");
  } else if (st && r < 64) {
    var *v = pick_var(g, (kind)rn(g, 6), 0, false);
    if (v) out(g, "%s\n", v->name);
    else out(g, "(newline)\n");
  } else {
    kind k = st && chance(g, 10) ? vec_of((kind)rn(g, 3)) : (kind)(chance(g, 60) ? K_INT : rn(g, 3));
    size_t mark = g->b.n;
    g->top = true;
    g->impure = false;
    if (is_vec(k) && !on(g, GEN_VECTOR_SELECT)) g_leaf(g, k, C_WANT);
    else g_expr(g, k, g->o->max_depth, C_WANT);
    if (k == K_SYM && g->impure && !on(g, GEN_SYM_EFFECTS)) {
      /* a symbol from an expression with effects: write another */
      g->b.n = mark;
      g->b.s[mark] = 0;
      g->top = true;
      g_expr(g, K_INT, g->o->max_depth, C_WANT);
    }
    out(g, "\n");
  }
}

void gen_opts_default(gen_opts *o, bool structured) {
  o->structured = structured;
  o->enable = 0;
  o->max_depth = structured ? 4 : 4;
  o->nprocs = structured ? 4 : 3;
  o->nexprs = structured ? 6 : 6;
}

char *gen_program(uint64_t seed, const gen_opts *o) {
  gen g;
  memset(&g, 0, sizeof g);
  g.s = seed;
  g.seed0 = seed;
  g.o = o;
  g.self = -1;
  sb_init(&g.b);
  /* fold, take, any...: SRFI-1's, bound by the module as in Guile */
  out(&g, "(use-modules (srfi srfi-1))\n");
  for (int i = 1 + rn(&g, 2); i > 0; i--) g_table_def(&g);
  /* structured programs: a vector of each kind, for where new vectors
   * are not allowed (g_vec_new) */
  for (int k = K_VINT; o->structured && k <= K_VSYM; k++) g_global(&g, k);
  for (int i = rn(&g, 3) + (o->structured ? 2 : 0); i > 0; i--) g_global(&g, -1);
  g.np = o->nprocs + rn(&g, 3);
  if (g.np > MAXPROC) g.np = MAXPROC;
  for (int i = 0; i < g.np; i++) new_signature(&g, &g.p[i]);
  gl_prelude(&g);
  for (int i = 0; i < g.np; i++) {
    g_proc_def(&g, i);
    if (chance(&g, 40)) g_top_expr(&g);
    if (i == g.np / 2) gl_later(&g);
  }
  gl_later(&g);
  for (int i = o->nexprs + rn(&g, 3); i > 0; i--) g_top_expr(&g);
  return sb_detach(&g.b);
}

/* ---- flags ------------------------------------------------------------- */

static const struct {
  const char *name;
  uint64_t bit;
} flag_names[] = {
    {"var-division", GEN_VAR_DIVISION},     {"deep-recursion", GEN_DEEP_RECURSION},
    {"forward-calls", GEN_FORWARD_CALLS},   {"foreign-symbols", GEN_FOREIGN_SYMBOLS},
    {"bool-args", GEN_BOOL_ARGS},           {"open-kinds", GEN_OPEN_KINDS},
    {"general-mul", GEN_GENERAL_MUL},       {"lazy-args", GEN_LAZY_ARGS},
    {"hoisted-calls", GEN_HOISTED_CALLS},   {"nary-arith", GEN_NARY_ARITH},
    {"lazy-lets", GEN_LAZY_LETS},           {"sym-effects", GEN_SYM_EFFECTS},
    {"test-lookups", GEN_TEST_LOOKUPS},     {"call-stmts", GEN_CALL_STMTS},
    {"andor-eq", GEN_ANDOR_EQ},             {"same-arms", GEN_SAME_ARMS},
    {"empty-vectors", GEN_EMPTY_VECTORS},   {"vector-select", GEN_VECTOR_SELECT},
    {"case-lists", GEN_CASE_LISTS},         {"let-in-let", GEN_LET_IN_LET},
    {"bitwise", GEN_BITWISE},               {"expt", GEN_EXPT},
    {"predicates", GEN_PREDICATES},         {"strings", GEN_STRINGS},
    {"vector-fill", GEN_VECTOR_FILL},       {"lambda", GEN_LAMBDA},
    {"letrec", GEN_LETREC},                 {"quote", GEN_QUOTE},
    {"mixed-kinds", GEN_MIXED_KINDS},       {"unbound", GEN_UNBOUND},
    {"forward-globals", GEN_FORWARD_GLOBALS}, {"mutual-tail", GEN_MUTUAL_TAIL},
    {"redefine", GEN_REDEFINE},             {"errors", GEN_ERRORS},
    {"extern", GEN_EXTERN},                 {"logior", GEN_LOGIOR},
    {"arity-errors", GEN_ARITY_ERRORS},     {"local-defines", GEN_LOCAL_DEFINES},
    {"letrec-values", GEN_LETREC_VALUES},   {"macros", GEN_MACROS},
    {"lists", GEN_LISTS},                   {"chars", GEN_CHARS},
    {"proc-values", GEN_PROC_VALUES},       {"stops", GEN_STOPS},
    {"mvalues", GEN_MVALUES},               {"captured-loops", GEN_CAPTURED_LOOPS},
    {"escapes", GEN_ESCAPES},
    {"all", GEN_ALL},
};

const char *gen_flag_names(void) {
  static char names[1024];
  if (!names[0])
    for (int i = 0; i < N_OF(flag_names); i++)
      snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
               i ? " " : "", flag_names[i].name);
  return names;
}

bool gen_parse_flags(const char *list, uint64_t *flags) {
  const char *p = list;
  while (*p) {
    size_t n = strcspn(p, ", ");
    bool found = false;
    for (int i = 0; i < N_OF(flag_names) && n; i++)
      if (strlen(flag_names[i].name) == n && !strncmp(p, flag_names[i].name, n)) {
        *flags |= flag_names[i].bit;
        found = true;
      }
    if (n && !found) {
      fprintf(stderr, "unknown generator flag '%.*s' (known: %s)\n", (int)n, p,
              gen_flag_names());
      return false;
    }
    p += n;
    p += strspn(p, ", ");
  }
  return true;
}
