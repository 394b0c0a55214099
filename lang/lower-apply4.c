/* lower-apply4.c - (apply f ... list) of + - * gcd lcm over a list of any
 * length: one loop inside the model whose overflow says what the
 * evaluator says, "integer overflow: (* 10 10 10 10 10 10 10 10 10 10)
 * does not fit in 32 bits", "(+ 1000000000 ... 1000000000) is
 * 12000000000, which does not fit in 32 bits": the model writes the
 * operands (lang/builtins.c overflow(): while the text is shorter than
 * 150 bytes, then " ..."; int_result() of gcd and lcm: 120, no "...")
 * and the exact result, of up to 20 digits, from 32-bit pieces.
 *
 * As the evaluator (lang/builtins.c, builtins-more.c):
 *  - + and -: a 64-bit sum, only the result checked (here a 32-bit low
 *    part and a count of 2^31s carried out of it);
 *  - *: a zero anywhere makes 0 before any product; then the products
 *    in order, an overflow as soon as one is past 2^31 in magnitude (its
 *    value named when it is the last factor), 2^31 itself carried on
 *    (times -1 it is -2^31 again);
 *  - gcd: of magnitudes, 2^31 itself (of -2^31 and zeros) an error at
 *    the end only;
 *  - lcm: |x| over the gcd, stopping at a zero, an error as soon as it
 *    is past 2^31 - 1.
 * The kinds are checked first, in order (lower-apply3.c).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower-apply.h"
#include "lower-build.h"

#include <string.h>

bool lw_apply_arith_ok(const builtin *b) {
  static const char *const names[] = {"+", "-", "*", "gcd", "lcm", NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], b->name)) return true;
  return false;
}

static void add_to(lw *c, int v, int k, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), kint(c, k, loc), T_INT, loc), loc);
}

static ir_expr *iv(lw *c, int v, srcloc loc) { return lw_retype(c, var(c, v, loc), T_INT); }

static int new_int(lw *c, int32_t k, srcloc loc) {
  int v = temp_of(c, T_INT, loc);
  lw_assign(c, v, kint(c, k, loc), loc);
  return v;
}

static ir_expr *p2(lw *c, const char *op, ir_expr *x, ir_expr *y, srcloc loc) {
  bool test = strchr("=<>", op[0]) != NULL;
  return prim(c, op, x, y, test ? T_BOOL : T_INT, loc);
}

/* ---- numbers past 32 bits, written ----------------------------------- */

enum { LIMBS = 5, BASE = 10000 };   /* 10^20 > 2^64 */

/* The limbs (base 10^4, from the lowest) of |u|, u a 32-bit variable:
 * signed remainders, so that -2^31 needs no negation. */
static void limbs_of(lw *c, int u, int l[3], srcloc loc) {
  int t = temp_of(c, T_INT, loc);
  lw_assign(c, t, var(c, u, loc), loc);
  for (int i = 0; i < 3; i++) {
    l[i] = temp_of(c, T_INT, loc);
    ir_expr *part = i < 2 ? p2(c, "remainder", var(c, t, loc), kint(c, BASE, loc), loc)
                          : var(c, t, loc);
    lw_assign(c, l[i], prim(c, "abs", part, NULL, T_INT, loc), loc);
    if (i < 2) lw_assign(c, t, p2(c, "quotient", var(c, t, loc), kint(c, BASE, loc), loc), loc);
  }
}

/* r[k] += carry from r[k-1], each limb in [0, BASE) (all non-negative) */
static void normalize(lw *c, int r[LIMBS], srcloc loc) {
  for (int k = 0; k + 1 < LIMBS; k++) {
    lw_assign(c, r[k + 1], p2(c, "+", var(c, r[k + 1], loc),
                              p2(c, "quotient", var(c, r[k], loc), kint(c, BASE, loc), loc), loc),
              loc);
    lw_assign(c, r[k], p2(c, "remainder", var(c, r[k], loc), kint(c, BASE, loc), loc), loc);
  }
}

/* r := |u| * |v| in limbs */
static void product(lw *c, int u, int v, int r[LIMBS], srcloc loc) {
  int a[3], b[3];
  limbs_of(c, u, a, loc);
  limbs_of(c, v, b, loc);
  for (int k = 0; k < LIMBS; k++) {
    r[k] = new_int(c, 0, loc);
    for (int i = 0; i < 3; i++) {
      int j = k - i;
      if (j < 0 || j > 2) continue;
      lw_assign(c, r[k], p2(c, "+", var(c, r[k], loc),
                            p2(c, "*", var(c, a[i], loc), var(c, b[j], loc), loc), loc), loc);
    }
  }
  normalize(c, r, loc);
}

/* Writes the limbs as a decimal number, "-" first when neg (a variable
 * of kind boolean). */
static void write_limbs(lw *c, int r[LIMBS], int neg, srcloc loc) {
  int minus = lw_new_label(c), plus = lw_new_label(c);
  branch(c, var(c, neg, loc), minus, plus, loc);
  lw_label(c, minus, loc);
  lw_ll_err_text(c, "-", loc);
  lw_label(c, plus, loc);
  int started = temp_of(c, T_BOOL, loc);
  lw_assign(c, started, kbool(c, false, loc), loc);
  for (int k = LIMBS - 1; k >= 0; k--) {
    int padded = lw_new_label(c), first = lw_new_label(c), skip = lw_new_label(c);
    int write = lw_new_label(c);
    branch(c, var(c, started, loc), padded, first, loc);
    lw_label(c, padded, loc);
    for (int z = 1000; z > 1; z /= 10) {
      int pad = lw_new_label(c), no = lw_new_label(c);
      branch(c, p2(c, "<", var(c, r[k], loc), kint(c, z, loc), loc), pad, no, loc);
      lw_label(c, pad, loc);
      lw_ll_err_text(c, "0", loc);
      lw_label(c, no, loc);
    }
    jump(c, write, loc);
    lw_label(c, first, loc);
    if (k > 0)
      branch(c, p2(c, "=", var(c, r[k], loc), kint(c, 0, loc), loc), skip, write, loc);
    lw_label(c, write, loc);
    lw_ll_err_write(c, var(c, r[k], loc), loc);
    lw_assign(c, started, kbool(c, true, loc), loc);
    lw_label(c, skip, loc);
  }
}

/* Writes u * v (u, v 32-bit variables, neither 0; negated when the
 * boolean variable flip is true). */
static void write_product(lw *c, int u, int v, int flip, srcloc loc) {
  int r[LIMBS];
  product(c, u, v, r, loc);
  int neg = temp_of(c, T_BOOL, loc);
  ir_expr *un = p2(c, "<", var(c, u, loc), kint(c, 0, loc), loc);
  ir_expr *vn = p2(c, "<", var(c, v, loc), kint(c, 0, loc), loc);
  ir_expr *vp = p2(c, ">", var(c, v, loc), kint(c, 0, loc), loc);
  lw_assign(c, neg, pick(c, un, vp, vn, loc), loc);
  lw_assign(c, neg, pick(c, var(c, flip, loc),
                         pick(c, var(c, neg, loc), kbool(c, false, loc), kbool(c, true, loc), loc),
                         var(c, neg, loc), loc), loc);
  write_limbs(c, r, neg, loc);
}

/* Writes hi * 2^31 + lo, whose magnitude is at least 2^31 (hi is not 0
 * and gives the sign). */
static void write_wide(lw *c, int hi, int lo, srcloc loc) {
  int r[LIMBS], half = new_int(c, 1 << 30, loc);
  product(c, hi, half, r, loc);   /* |hi| 2^30 */
  for (int k = 0; k < LIMBS; k++)
    lw_assign(c, r[k], p2(c, "*", var(c, r[k], loc), kint(c, 2, loc), loc), loc);
  normalize(c, r, loc);
  /* |N| = |hi| 2^31 + lo * sign(hi): lo's limbs added with that sign,
   * then the borrows (each limb then in (-BASE, 2 BASE)) */
  int neg = temp_of(c, T_BOOL, loc), l[3], s = temp_of(c, T_INT, loc);
  lw_assign(c, neg, p2(c, "<", var(c, hi, loc), kint(c, 0, loc), loc), loc);
  lw_assign(c, s, pick(c, var(c, neg, loc), kint(c, -1, loc), kint(c, 1, loc), loc), loc);
  limbs_of(c, lo, l, loc);
  int sl = temp_of(c, T_INT, loc);   /* lo's sign times hi's */
  lw_assign(c, sl, p2(c, "*", var(c, s, loc),
                      pick(c, p2(c, "<", var(c, lo, loc), kint(c, 0, loc), loc), kint(c, -1, loc),
                           kint(c, 1, loc), loc), loc), loc);
  for (int k = 0; k < 3; k++)
    lw_assign(c, r[k], p2(c, "+", var(c, r[k], loc),
                          p2(c, "*", var(c, sl, loc), var(c, l[k], loc), loc), loc), loc);
  for (int k = 0; k + 1 < LIMBS; k++) {
    int low = lw_new_label(c), high = lw_new_label(c), ok = lw_new_label(c);
    int test = lw_new_label(c);
    branch(c, p2(c, "<", var(c, r[k], loc), kint(c, 0, loc), loc), low, test, loc);
    lw_label(c, low, loc);
    add_to(c, r[k], BASE, loc);
    add_to(c, r[k + 1], -1, loc);
    jump(c, ok, loc);
    lw_label(c, test, loc);
    branch(c, p2(c, ">=", var(c, r[k], loc), kint(c, BASE, loc), loc), high, ok, loc);
    lw_label(c, high, loc);
    add_to(c, r[k], -BASE, loc);
    add_to(c, r[k + 1], 1, loc);
    lw_label(c, ok, loc);
  }
  write_limbs(c, r, neg, loc);
}

/* ---- the text of an overflow ------------------------------------------ */

typedef struct {
  lw *c;
  const ir_stmt *s;
  const ast *a;
  const builtin *b;
  bool sum, mul, gcd;
  int lo, hi, acc, big, total, zero;
  int len, limit;
  /* the overflow of a product, its steps once per call of apply: u * v
   * (negated when flip), named when known */
  int ovf, ou, ov, oflip, oknown;
} ar_st;

/* the number of characters of " x" */
static ir_expr *width(lw *c, int x, srcloc loc) {
  int w = temp_of(c, T_INT, loc);
  lw_assign(c, w, pick(c, p2(c, "<", iv(c, x, loc), kint(c, 0, loc), loc), kint(c, 3, loc),
                       kint(c, 2, loc), loc), loc);
  int64_t p = 10;   /* 10^k; 10^10 after the last is past int32_t */
  for (int k = 1; k <= 9; k++, p *= 10) {
    ir_expr *big = pick(c, p2(c, ">=", iv(c, x, loc), kint(c, (int32_t)p, loc), loc),
                        kbool(c, true, loc),
                        p2(c, "<=", iv(c, x, loc), kint(c, (int32_t)-p, loc), loc), loc);
    lw_assign(c, w, p2(c, "+", var(c, w, loc),
                       pick(c, big, kint(c, 1, loc), kint(c, 0, loc), loc), loc), loc);
  }
  return var(c, w, loc);
}

static void text_each(lw *c, void *p, int x, int idx, srcloc loc) {
  ar_st *st = p;
  (void)idx;
  int go = lw_new_label(c), skip = lw_new_label(c);
  branch(c, p2(c, "<", var(c, st->len, loc), kint(c, st->limit, loc), loc), go, skip, loc);
  lw_label(c, go, loc);
  lw_ll_err_text(c, " ", loc);
  lw_ll_err_write(c, iv(c, x, loc), loc);
  lw_assign(c, st->len, p2(c, "+", var(c, st->len, loc), width(c, x, loc), loc), loc);
  lw_label(c, skip, loc);
}

/* "integer overflow: (op x y ...)" */
static void call_text(ar_st *st, srcloc loc) {
  lw *c = st->c;
  const char *op = st->b->name;
  char head[48];
  snprintf(head, sizeof head, "integer overflow: (%s", op);
  lw_ll_err_text(c, arena_strdup(&c->p->mem, head), loc);
  st->limit = st->sum || st->mul ? 150 : 120;
  st->len = new_int(c, 1 + (int)strlen(op), loc);
  int x = temp(c, loc), idx = temp_of(c, T_INT, loc);
  lw_ap_walk(c, st->s, x, idx, text_each, st, loc);
  if (st->limit == 150) {
    int more = lw_new_label(c), no = lw_new_label(c);
    branch(c, p2(c, ">=", var(c, st->len, loc), kint(c, 150, loc), loc), more, no, loc);
    lw_label(c, more, loc);
    lw_ll_err_text(c, " ...", loc);
    lw_label(c, no, loc);
  }
}

static const char fits_not[] = ", which does not fit in 32 bits";

static void stop(lw *c, srcloc loc) { lw_ll_err_raise(c, loc, "overflow", ""); }

/* ---- the loops ---------------------------------------------------------- */

/* + and -: lo += sign * x, the 2^31s carried into hi */
static void add_wide(lw *c, int lo, int hi, int x, bool neg, srcloc loc) {
  int up = lw_new_label(c), down = lw_new_label(c), carry = lw_new_label(c);
  int borrow = lw_new_label(c), plain = lw_new_label(c), done = lw_new_label(c);
  const char *op = neg ? "-" : "+";
  /* rising by |x| (x >= 0 added, x <= 0 taken): past MAX when lo > MAX - |x| */
  branch(c, p2(c, neg ? "<=" : ">=", iv(c, x, loc), kint(c, 0, loc), loc), up, down, loc);
  lw_label(c, up, loc);
  branch(c, p2(c, ">", var(c, lo, loc),
               p2(c, neg ? "+" : "-", kint(c, TVL_INT_MAX, loc), iv(c, x, loc), loc), loc),
         carry, plain, loc);
  lw_label(c, carry, loc);
  /* lo := lo - 2^31 +- x (lo - MAX - 1 first: no overflow) */
  lw_assign(c, lo, p2(c, "-", p2(c, "-", var(c, lo, loc), kint(c, TVL_INT_MAX, loc), loc),
                      kint(c, 1, loc), loc), loc);
  lw_assign(c, lo, p2(c, op, var(c, lo, loc), iv(c, x, loc), loc), loc);
  add_to(c, hi, 1, loc);
  jump(c, done, loc);
  lw_label(c, down, loc);
  /* falling by |x|: past MIN when lo < MIN + |x| */
  branch(c, p2(c, "<", var(c, lo, loc),
               p2(c, neg ? "+" : "-", kint(c, TVL_INT_MIN, loc), iv(c, x, loc), loc), loc),
         borrow, plain, loc);
  lw_label(c, borrow, loc);
  lw_assign(c, lo, p2(c, "+", p2(c, "+", var(c, lo, loc), kint(c, TVL_INT_MAX, loc), loc),
                      kint(c, 1, loc), loc), loc);
  lw_assign(c, lo, p2(c, op, var(c, lo, loc), iv(c, x, loc), loc), loc);
  add_to(c, hi, -1, loc);
  jump(c, done, loc);
  lw_label(c, plain, loc);
  lw_assign(c, lo, p2(c, op, var(c, lo, loc), iv(c, x, loc), loc), loc);
  lw_label(c, done, loc);
}

static void sum_each(lw *c, void *p, int x, int idx, srcloc loc) {
  ar_st *st = p;
  if (st->b->name[0] == '+') {
    add_wide(c, st->lo, st->hi, x, false, loc);
    return;
  }
  /* -: the first added (of one argument: negated, after the loop) */
  int first = lw_new_label(c), later = lw_new_label(c), done = lw_new_label(c);
  branch(c, p2(c, "=", var(c, idx, loc), kint(c, 1, loc), loc), first, later, loc);
  lw_label(c, first, loc);
  add_wide(c, st->lo, st->hi, x, false, loc);
  jump(c, done, loc);
  lw_label(c, later, loc);
  add_wide(c, st->lo, st->hi, x, true, loc);
  lw_label(c, done, loc);
}

/* The sum hi 2^31 + lo as 32 bits, or the overflow. */
static ir_expr *sum_result(ar_st *st, srcloc loc) {
  lw *c = st->c;
  int lo = st->lo, hi = st->hi, r = temp_of(c, T_INT, loc);
  int zero = lw_new_label(c), nz = lw_new_label(c), one = lw_new_label(c);
  int n1 = lw_new_label(c), m1 = lw_new_label(c), bad = lw_new_label(c);
  int ok1 = lw_new_label(c), ok2 = lw_new_label(c), done = lw_new_label(c);
  branch(c, p2(c, "=", var(c, hi, loc), kint(c, 0, loc), loc), zero, nz, loc);
  lw_label(c, zero, loc);
  lw_assign(c, r, var(c, lo, loc), loc);
  jump(c, done, loc);
  lw_label(c, nz, loc);
  branch(c, p2(c, "=", var(c, hi, loc), kint(c, 1, loc), loc), one, n1, loc);
  lw_label(c, one, loc);
  branch(c, p2(c, "<", var(c, lo, loc), kint(c, 0, loc), loc), ok1, bad, loc);
  lw_label(c, ok1, loc);
  lw_assign(c, r, p2(c, "+", p2(c, "+", var(c, lo, loc), kint(c, TVL_INT_MAX, loc), loc),
                     kint(c, 1, loc), loc), loc);
  jump(c, done, loc);
  lw_label(c, n1, loc);
  branch(c, p2(c, "=", var(c, hi, loc), kint(c, -1, loc), loc), m1, bad, loc);
  lw_label(c, m1, loc);
  branch(c, p2(c, ">=", var(c, lo, loc), kint(c, 0, loc), loc), ok2, bad, loc);
  lw_label(c, ok2, loc);
  lw_assign(c, r, p2(c, "-", p2(c, "-", var(c, lo, loc), kint(c, TVL_INT_MAX, loc), loc),
                     kint(c, 1, loc), loc), loc);
  jump(c, done, loc);
  lw_label(c, bad, loc);
  call_text(st, loc);
  lw_ll_err_text(c, ") is ", loc);
  write_wide(c, hi, lo, loc);
  lw_ll_err_text(c, fits_not, loc);
  stop(c, loc);
  jump(c, done, loc);
  lw_label(c, done, loc);
  return var(c, r, loc);
}

/* To the overflow of the product u * v (negated when flip), its value
 * named when known (each an expression). */
static void overflow(ar_st *st, ir_expr *u, ir_expr *v, ir_expr *flip, ir_expr *known,
                     srcloc loc) {
  lw *c = st->c;
  lw_assign(c, st->ou, u, loc);
  lw_assign(c, st->ov, v, loc);
  lw_assign(c, st->oflip, flip, loc);
  lw_assign(c, st->oknown, known, loc);
  jump(c, st->ovf, loc);
}

/* ... as the factor number idx (the last: named) */
static void mul_overflow(ar_st *st, int idx, int u, int v, bool flip, srcloc loc) {
  lw *c = st->c;
  overflow(st, var(c, u, loc), var(c, v, loc), kbool(c, flip, loc),
           p2(c, "=", var(c, idx, loc), var(c, st->total, loc), loc), loc);
}

/* The overflow's steps (reached by jumps only), then to fin. */
static void overflow_steps(ar_st *st, int fin, srcloc loc) {
  lw *c = st->c;
  int known = lw_new_label(c), unknown = lw_new_label(c);
  lw_label(c, st->ovf, loc);
  call_text(st, loc);
  branch(c, var(c, st->oknown, loc), known, unknown, loc);
  lw_label(c, known, loc);
  lw_ll_err_text(c, ") is ", loc);
  write_product(c, st->ou, st->ov, st->oflip, loc);
  lw_ll_err_text(c, fits_not, loc);
  stop(c, loc);
  jump(c, fin, loc);
  lw_label(c, unknown, loc);
  lw_ll_err_text(c, ") does not fit in 32 bits", loc);
  stop(c, loc);
  jump(c, fin, loc);
}

static void zero_each(lw *c, void *p, int x, int idx, srcloc loc) {
  ar_st *st = p;
  (void)idx;
  int z = lw_new_label(c), nz = lw_new_label(c);
  branch(c, p2(c, "=", iv(c, x, loc), kint(c, 0, loc), loc), z, nz, loc);
  lw_label(c, z, loc);
  lw_assign(c, st->zero, kbool(c, true, loc), loc);
  lw_label(c, nz, loc);
}

/* acc := acc * x where acc * x is 2^31: big (acc unused) */
static void mul_each(lw *c, void *p, int x, int idx, srcloc loc) {
  ar_st *st = p;
  int acc = st->acc, y = temp_of(c, T_INT, loc), done = lw_new_label(c);
  lw_assign(c, y, iv(c, x, loc), loc);
  int first = lw_new_label(c), later = lw_new_label(c);
  branch(c, p2(c, "=", var(c, idx, loc), kint(c, 1, loc), loc), first, later, loc);
  lw_label(c, first, loc);
  lw_assign(c, acc, var(c, y, loc), loc);
  jump(c, done, loc);
  lw_label(c, later, loc);
  int isbig = lw_new_label(c), small = lw_new_label(c);
  branch(c, var(c, st->big, loc), isbig, small, loc);
  {
    /* 2^31 times y: itself (1), -2^31 (-1), else past 2^31 */
    lw_label(c, isbig, loc);
    int m1 = lw_new_label(c), other = lw_new_label(c), over = lw_new_label(c);
    branch(c, p2(c, "=", var(c, y, loc), kint(c, 1, loc), loc), done, other, loc);
    lw_label(c, other, loc);
    branch(c, p2(c, "=", var(c, y, loc), kint(c, -1, loc), loc), m1, over, loc);
    lw_label(c, m1, loc);
    lw_assign(c, st->big, kbool(c, false, loc), loc);
    lw_assign(c, acc, kint(c, TVL_INT_MIN, loc), loc);
    jump(c, done, loc);
    lw_label(c, over, loc);
    int m = new_int(c, TVL_INT_MIN, loc);
    mul_overflow(st, idx, m, y, true, loc);
    jump(c, done, loc);
  }
  lw_label(c, small, loc);
  {
    /* times -1: -acc, or 2^31 of -2^31 */
    int m1 = lw_new_label(c), other = lw_new_label(c), mn = lw_new_label(c);
    int neg = lw_new_label(c);
    branch(c, p2(c, "=", var(c, y, loc), kint(c, -1, loc), loc), m1, other, loc);
    lw_label(c, m1, loc);
    branch(c, p2(c, "=", var(c, acc, loc), kint(c, TVL_INT_MIN, loc), loc), mn, neg, loc);
    lw_label(c, mn, loc);
    lw_assign(c, st->big, kbool(c, true, loc), loc);
    jump(c, done, loc);
    lw_label(c, neg, loc);
    lw_assign(c, acc, p2(c, "-", kint(c, 0, loc), var(c, acc, loc), loc), loc);
    jump(c, done, loc);
    lw_label(c, other, loc);
  }
  /* in 32 bits when lo <= acc <= hi, the bounds by y's sign (quotients
   * truncate: the right side for each) */
  int lo = temp_of(c, T_INT, loc), hi = temp_of(c, T_INT, loc);
  int pos = lw_new_label(c), neg = lw_new_label(c);
  int test = lw_new_label(c);
  branch(c, p2(c, ">", var(c, y, loc), kint(c, 0, loc), loc), pos, neg, loc);
  lw_label(c, pos, loc);
  lw_assign(c, lo, p2(c, "quotient", kint(c, TVL_INT_MIN, loc), var(c, y, loc), loc), loc);
  lw_assign(c, hi, p2(c, "quotient", kint(c, TVL_INT_MAX, loc), var(c, y, loc), loc), loc);
  jump(c, test, loc);
  lw_label(c, neg, loc);
  lw_assign(c, lo, p2(c, "quotient", kint(c, TVL_INT_MAX, loc), var(c, y, loc), loc), loc);
  lw_assign(c, hi, p2(c, "quotient", kint(c, TVL_INT_MIN, loc), var(c, y, loc), loc), loc);
  lw_label(c, test, loc);
  int fits = lw_new_label(c), out = lw_new_label(c), out2 = lw_new_label(c);
  branch(c, p2(c, "<", var(c, acc, loc), var(c, lo, loc), loc), out, out2, loc);
  lw_label(c, out2, loc);
  branch(c, p2(c, ">", var(c, acc, loc), var(c, hi, loc), loc), out, fits, loc);
  lw_label(c, fits, loc);
  lw_assign(c, acc, p2(c, "*", var(c, acc, loc), var(c, y, loc), loc), loc);
  jump(c, done, loc);
  lw_label(c, out, loc);
  {
    /* 2^31 exactly: acc = 2^31 / y, the division exact; of y = -2^31,
     * acc = -1 */
    int to_big = lw_new_label(c), over = lw_new_label(c);
    int t2 = lw_new_label(c), t3 = lw_new_label(c), t4 = lw_new_label(c);
    int t5 = lw_new_label(c);
    branch(c, p2(c, "=", var(c, y, loc), kint(c, TVL_INT_MIN, loc), loc), t2, t3, loc);
    lw_label(c, t2, loc);
    branch(c, p2(c, "=", var(c, acc, loc), kint(c, -1, loc), loc), to_big, over, loc);
    lw_label(c, t3, loc);
    /* 2^31 = acc y: -2^31 = (-acc) y, so y divides -2^31 and acc is
     * -(-2^31 / y) = (-2^31 / -y) (y is neither -1 nor -2^31 here) */
    branch(c, p2(c, "=", p2(c, "remainder", kint(c, TVL_INT_MIN, loc), var(c, y, loc), loc),
                 kint(c, 0, loc), loc), t4, over, loc);
    lw_label(c, t4, loc);
    branch(c, p2(c, "=", var(c, acc, loc),
                 p2(c, "quotient", kint(c, TVL_INT_MIN, loc),
                    p2(c, "-", kint(c, 0, loc), var(c, y, loc), loc), loc), loc),
           t5, over, loc);
    lw_label(c, t5, loc);
    jump(c, to_big, loc);
    lw_label(c, to_big, loc);
    lw_assign(c, st->big, kbool(c, true, loc), loc);
    jump(c, done, loc);
    lw_label(c, over, loc);
    mul_overflow(st, idx, acc, y, false, loc);
    jump(c, done, loc);
  }
  lw_label(c, done, loc);
}

/* r := (gcd x y), the builtin's call of two arguments (its direct
 * lowering) */
static void gcd2(ar_st *st, int r, int x, int y, srcloc loc) {
  lw *c = st->c;
  ir_stmt one = *st->s;
  one.write = false;
  one.nargs = 2;
  one.args = arena_alloc(&c->p->mem, 3 * sizeof(ir_expr *));
  one.args[0] = var(c, x, loc);
  one.args[1] = var(c, y, loc);
  one.var = r;
  lw_callv_builtin(c, &one, st->a, builtin_find("gcd"));
}

/* gcd: magnitudes; 2^31 (of -2^31 and zeros so far) carried in big */
static void gcd_each(lw *c, void *p, int x, int idx, srcloc loc) {
  ar_st *st = p;
  (void)idx;
  int y = temp_of(c, T_INT, loc), done = lw_new_label(c);
  lw_assign(c, y, iv(c, x, loc), loc);
  int ym = lw_new_label(c), other = lw_new_label(c), set = lw_new_label(c);
  int isbig = lw_new_label(c), plain = lw_new_label(c), r0 = lw_new_label(c);
  branch(c, p2(c, "=", var(c, y, loc), kint(c, TVL_INT_MIN, loc), loc), ym, other, loc);
  lw_label(c, ym, loc);
  /* gcd(r, 2^31): 2^31 of r = 0 or 2^31 */
  branch(c, var(c, st->big, loc), done, r0, loc);
  lw_label(c, r0, loc);
  branch(c, p2(c, "=", var(c, st->acc, loc), kint(c, 0, loc), loc), set, plain, loc);
  lw_label(c, set, loc);
  lw_assign(c, st->big, kbool(c, true, loc), loc);
  jump(c, done, loc);
  lw_label(c, other, loc);
  /* gcd(2^31, y): y = 0 keeps it, else gcd(-2^31, y) */
  branch(c, var(c, st->big, loc), isbig, plain, loc);
  lw_label(c, isbig, loc);
  int keep = lw_new_label(c), from = lw_new_label(c);
  branch(c, p2(c, "=", var(c, y, loc), kint(c, 0, loc), loc), keep, from, loc);
  lw_label(c, keep, loc);
  jump(c, done, loc);
  lw_label(c, from, loc);
  lw_assign(c, st->big, kbool(c, false, loc), loc);
  lw_assign(c, st->acc, kint(c, TVL_INT_MIN, loc), loc);
  lw_label(c, plain, loc);
  gcd2(st, st->acc, st->acc, y, loc);   /* in 32 bits */
  lw_label(c, done, loc);
}

/* lcm: r := r / gcd(r, |x|) * |x|, 0 from a zero on */
static void lcm_each(lw *c, void *p, int x, int idx, srcloc loc) {
  ar_st *st = p;
  (void)idx;
  int y = temp_of(c, T_INT, loc), done = lw_new_label(c), go = lw_new_label(c);
  lw_assign(c, y, iv(c, x, loc), loc);
  branch(c, p2(c, "=", var(c, st->acc, loc), kint(c, 0, loc), loc), done, go, loc);
  lw_label(c, go, loc);
  int z = lw_new_label(c), nz = lw_new_label(c);
  branch(c, p2(c, "=", var(c, y, loc), kint(c, 0, loc), loc), z, nz, loc);
  lw_label(c, z, loc);
  lw_assign(c, st->acc, kint(c, 0, loc), loc);
  jump(c, done, loc);
  lw_label(c, nz, loc);
  /* g = gcd(r, |y|) (the 2-argument gcd of r and y: r > 0, so it fits) */
  int g = temp_of(c, T_INT, loc), q = temp_of(c, T_INT, loc);
  gcd2(st, g, st->acc, y, loc);
  lw_assign(c, q, p2(c, "quotient", var(c, st->acc, loc), var(c, g, loc), loc), loc);
  /* |y| q past 2^31 - 1: y = -2^31 always (q >= 1), else q > MAX / |y| */
  int ym = lw_new_label(c), yo = lw_new_label(c), over = lw_new_label(c);
  int fits = lw_new_label(c);
  branch(c, p2(c, "=", var(c, y, loc), kint(c, TVL_INT_MIN, loc), loc), ym, yo, loc);
  lw_label(c, ym, loc);
  jump(c, over, loc);
  lw_label(c, yo, loc);
  lw_assign(c, y, prim(c, "abs", var(c, y, loc), NULL, T_INT, loc), loc);
  branch(c, p2(c, ">", var(c, q, loc),
               p2(c, "quotient", kint(c, TVL_INT_MAX, loc), var(c, y, loc), loc), loc),
         over, fits, loc);
  lw_label(c, fits, loc);
  lw_assign(c, st->acc, p2(c, "*", var(c, q, loc), var(c, y, loc), loc), loc);
  jump(c, done, loc);
  lw_label(c, over, loc);
  /* q |y|, and of y = -2^31, q 2^31 = -(q y) */
  overflow(st, var(c, q, loc), var(c, y, loc),
           p2(c, "<", var(c, y, loc), kint(c, 0, loc), loc), kbool(c, true, loc), loc);
  lw_label(c, done, loc);
}

/* A result of 2^31 (st->big) at the end: the overflow (2^31 = -2^31 *
 * -1). */
static void big_result(ar_st *st, srcloc loc) {
  lw *c = st->c;
  int big = lw_new_label(c), small = lw_new_label(c);
  branch(c, var(c, st->big, loc), big, small, loc);
  lw_label(c, big, loc);
  overflow(st, kint(c, TVL_INT_MIN, loc), kint(c, -1, loc), kbool(c, false, loc),
           kbool(c, true, loc), loc);
  lw_label(c, small, loc);
}

static void check_each(lw *c, void *p, int x, int idx, srcloc loc) {
  ar_st *st = p;
  lw_ap_check_kind(c, st->b->name, "integer?", "an integer", x, idx, loc);
}

void lw_apply_arith(lw *c, const ir_stmt *s, const ast *a, const builtin *b, bool ret,
                    int end) {
  srcloc loc = s->loc;
  const char *op = b->name;
  ar_st st = {c, s, a, b, op[0] == '+' || op[0] == '-', op[0] == '*', op[0] == 'g', -1, -1,
              -1, -1, -1, -1, -1, 0, -1, -1, -1, -1, -1};
  if (b->min_args > s->nargs) {   /* -: one at least */
    int ok = lw_new_label(c), bad = lw_new_label(c);
    branch(c, p2(c, ">=", s->a[1], kint(c, b->min_args, loc), loc), ok, bad, loc);
    lw_label(c, bad, loc);
    char text[96];
    snprintf(text, sizeof text, "builtin %s takes at least %d argument, but 0 were given", op,
             b->min_args);
    lw_ll_err_text(c, arena_strdup(&c->p->mem, text), loc);
    lw_ll_err_raise(c, loc, "arity", "");
    jump(c, end, loc);
    lw_label(c, ok, loc);
  }
  int x = temp(c, loc), idx = temp_of(c, T_INT, loc);
  st.ovf = lw_new_label(c);
  st.ou = temp_of(c, T_INT, loc);
  st.ov = temp_of(c, T_INT, loc);
  st.oflip = temp_of(c, T_BOOL, loc);
  st.oknown = temp_of(c, T_BOOL, loc);
  lw_ap_walk(c, s, x, idx, check_each, &st, loc);
  st.total = temp_of(c, T_INT, loc);
  lw_assign(c, st.total, s->a[1], loc);
  int res = temp_of(c, T_INT, loc), fin = lw_new_label(c);
  if (st.sum) {
    st.lo = new_int(c, 0, loc);
    st.hi = new_int(c, 0, loc);
    lw_ap_walk(c, s, x, idx, sum_each, &st, loc);
    if (op[0] == '-') {   /* of one argument: its negation */
      int one = lw_new_label(c), many = lw_new_label(c);
      branch(c, p2(c, "=", var(c, st.total, loc), kint(c, 1, loc), loc), one, many, loc);
      lw_label(c, one, loc);
      int y = temp_of(c, T_INT, loc);
      lw_assign(c, y, var(c, st.lo, loc), loc);
      lw_assign(c, st.lo, kint(c, 0, loc), loc);
      add_wide(c, st.lo, st.hi, y, true, loc);
      lw_label(c, many, loc);
    }
    lw_assign(c, res, sum_result(&st, loc), loc);
  } else if (st.mul) {
    st.zero = temp_of(c, T_BOOL, loc);
    lw_assign(c, st.zero, kbool(c, false, loc), loc);
    lw_ap_walk(c, s, x, idx, zero_each, &st, loc);
    int z = lw_new_label(c), nz = lw_new_label(c);
    lw_assign(c, res, kint(c, 0, loc), loc);
    branch(c, var(c, st.zero, loc), z, nz, loc);
    lw_label(c, nz, loc);
    st.acc = new_int(c, 1, loc);
    st.big = temp_of(c, T_BOOL, loc);
    lw_assign(c, st.big, kbool(c, false, loc), loc);
    lw_ap_walk(c, s, x, idx, mul_each, &st, loc);
    big_result(&st, loc);
    lw_assign(c, res, var(c, st.acc, loc), loc);
    jump(c, fin, loc);
    lw_label(c, z, loc);
  } else {
    st.acc = new_int(c, st.gcd ? 0 : 1, loc);
    st.big = temp_of(c, T_BOOL, loc);
    lw_assign(c, st.big, kbool(c, false, loc), loc);
    lw_ap_walk(c, s, x, idx, st.gcd ? gcd_each : lcm_each, &st, loc);
    if (st.gcd) big_result(&st, loc);
    lw_assign(c, res, var(c, st.acc, loc), loc);
  }
  jump(c, fin, loc);
  if (!st.sum) overflow_steps(&st, fin, loc);
  lw_label(c, fin, loc);
  if (c->failed) return;
  lw_assign(c, s->var, var(c, res, loc), loc);
  if (ret) lw_emit(c, S_RETURN, loc)->a[0] = var(c, s->var, loc);
  else jump(c, end, loc);
}
