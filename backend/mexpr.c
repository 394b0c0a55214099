/* mexpr.c - expression trees of one step -> gates.
 *
 * Values are linear forms with a range.  Integers are 32-bit: an operation
 * whose range can leave 32 bits raises an overflow flag (an exact test on
 * an exact value, because every form stays below 2^53).  Flags raised in
 * an arm of a select carry the arm's condition as a guard.  Memory reads
 * ask for a slot in a shared head; heads are built once every step has
 * asked (mx_finish_heads, mreads.c).
 */
#include "config.h"

#include "mbuild.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define I32_MIN (-2147483648.0)
#define I32_MAX 2147483647.0

static gate_graph *G(mb *b) { return b->gg; }

cval mx_const(mb *b, double k) {
  cval c = {gf_const(G(b), k), k, k, k == 0 || k == 1};
  return c;
}

static cval cv(gform f, double lo, double hi) {
  cval c = {f, lo, hi, false};
  return c;
}

/* A 0/1 value from step functions: exact whatever its inputs were. */
static cval cv01(gform f) {
  cval c = {f, 0, 1, true};
  return c;
}

/* A condition used to select or to guard errors must be exactly 0 or 1;
 * a boolean that may be garbage becomes [x >= 1] (reads are integers). */
static cval clean01(mb *b, cval c) {
  if (c.clean) return c;
  return cv01(gf_gate(G(b), gg_step(G(b), "is true", c.f)));
}

static cval cv_gate(mb *b, int g) {
  const gate *x = &G(b)->g.v[g];
  return cv(gf_gate(G(b), g), x->lo, x->hi);
}

static bool is_const(cval c, double *k) { return gf_is_const(c.f, k); }

void mx_flag(mb *b, gform flag, int site) {
  double k;
  if (gf_is_const(flag, &k) && k == 0) return;
  if (b->host_node) site = mb_host_overflow_site(b, site);   /* mhostval.c */
  eflag e = {.flag = flag, .site = site, .guard = b->guard, .nguard = b->nguard};
  VEC_PUSH(b->flags, e);
}

/* A failed kind check whose step jumps to its report (mreport.c). */
static void flag_report(mb *b, gform flag, int pc) {
  eflag e = {.flag = flag, .site = -1, .guard = b->guard, .nguard = b->nguard, .jump = pc + 1};
  VEC_PUSH(b->flags, e);
}

double mx_kind_lo(mb *b, int type) {
  switch (ir_kind(b->ir, type)) {
  case T_INT: case T_DYN: return I32_MIN;
  case T_VEC: return 0;
  default: return 0;   /* T_PAIR: an address; T_NIL: 0 */
  }
}

double mx_kind_hi(mb *b, int type) {
  switch (ir_kind(b->ir, type)) {
  case T_INT: return I32_MAX;
  case T_BOOL: return 1;
  case T_SYM: return b->ir->has_rtsym ? ADDR_MAX : b->p->syms.n + 2;
  case T_STR: return b->ir->has_rtstr ? ADDR_MAX : b->p->strs.n + 1;
  case T_VEC: case T_PAIR: return ADDR_MAX;
  case T_PROC: return b->ir->has_closures ? ADDR_MAX : b->ir->procs.n;
  case T_VOID: case T_NIL: return 0;
  case T_CHAR: return 0x10FFFF;
  case T_DYN: return DYN_MAX;
  default: return I32_MAX;
  }
}

/* The largest value a memory cell holds: tagged values lie above 2^31. */
double mx_val_hi(mb *b) { return b->ir->has_dyn ? DYN_MAX : I32_MAX; }

/* ---- small pieces ---------------------------------------------------- */

static gform step_of(mb *b, const char *name, gform x) {
  return gf_gate(G(b), gg_step(G(b), name, x));
}

gform mx_in_range(mb *b, cval x, double lo, double hi) {
  gate_graph *gg = G(b);
  if (x.lo >= lo && x.hi <= hi) return gf_const(gg, 1);
  if (x.hi < lo || x.lo > hi) return gf_const(gg, 0);
  gform r = gf_const(gg, 1);
  if (x.lo < lo) r = step_of(b, ">= lo", gf_addk(gg, x.f, -lo + 1));
  if (x.hi > hi)
    r = gf_axpy(gg, r, -1, step_of(b, "> hi", gf_addk(gg, x.f, -hi)));
  return r;
}

static gform and2(mb *b, gform x, gform y);

/* Where a product may leave its range: the bounds, and a 0/1 form that
 * lets the overflow count (a later factor of zero excuses a partial
 * product of an n-ary *, as in the evaluator). */
typedef struct {
  double lo, hi;
  gform counts;
} fit_rule;

static fit_rule int_rule(mb *b) {
  fit_rule r = {I32_MIN, I32_MAX, gf_const(G(b), 1)};
  return r;
}

static void check_fit_at(mb *b, cval x, srcloc loc, const char *op, fit_rule fr,
                         const ir_expr *node) {
  if (x.lo >= fr.lo && x.hi <= fr.hi) return;
  /* an op written as its call: the one call that overflows, whose
   * result is 2^31 ((abs -2147483648), the evaluator's text) */
  int site = op[0] == '('
                 ? mb_site(b, "overflow", loc, "integer overflow: %s is 2147483648, "
                                               "which does not fit in 32 bits", op)
                 : mb_site(b, "overflow", loc, "integer overflow: the result of %s "
                                               "does not fit in 32 bits", op);
  gform out = gf_axpy(G(b), gf_const(G(b), 1), -1, mx_in_range(b, x, fr.lo, fr.hi));
  mx_vflag(b, and2(b, out, fr.counts), site, node, "overflow");   /* mvreport.c */
}

static void check_fit(mb *b, cval x, srcloc loc, const char *op, fit_rule fr) {
  check_fit_at(b, x, loc, op, fr, NULL);
}

static void check_int(mb *b, cval x, srcloc loc, const char *op) {
  check_fit(b, x, loc, op, int_rule(b));
}

/* Clamps to [lo, hi]: exact for values inside, bounded otherwise.  One
 * gate holds the clamped value itself, so that later forms only see its
 * range. */
static cval clamp_to(mb *b, cval x, double lo, double hi, const char *what) {
  gate_graph *gg = G(b);
  if (x.lo >= lo && x.hi <= hi) return x;
  gunit u[3] = {{1, gf_const(gg, 1), x.f},
                {-1, gf_addk(gg, x.f, -hi), gf_const(gg, 1)},
                {1, gf_addk(gg, gf_scale(gg, x.f, -1), lo), gf_const(gg, 1)}};
  /* a form wholly outside [lo, hi] (a constant that overflowed, whose
   * error is flagged) clamps to the nearer end, not to an empty range */
  int g = gg_ffn(gg, what, u, 3, fmin(fmax(x.lo, lo), hi), fmax(fmin(x.hi, hi), lo));
  return cv_gate(b, g);
}

static cval clamp_int(mb *b, cval x) {
  return clamp_to(b, x, I32_MIN, I32_MAX, "clamp to 32 bits");
}

/* A form can range wider than its values do (a sum of division digits
 * bounded digit by digit): one gate clamps it to the values' range, so
 * that a product with it is provably exact. */
static cval tighten(mb *b, cval x) {
  gate_graph *gg = G(b);
  double l, h;
  gf_range(gg, x.f, &l, &h);
  if (l >= x.lo && h <= x.hi) return x;
  gunit u[3] = {{1, gf_addk(gg, x.f, -x.lo), gf_const(gg, 1)},
                {-1, gf_addk(gg, x.f, -x.hi), gf_const(gg, 1)},
                {x.lo, gf_const(gg, 1), gf_const(gg, 1)}};
  int g = gg_ffn(gg, "tighten", u, x.lo != 0 ? 3 : 2, x.lo, x.hi);
  cval r = cv_gate(b, g);
  r.clean = x.clean;
  return r;
}

/* Whether a product of two forms is exact whatever their inputs. */
static bool product_exact(mb *b, gform a, gform c) {
  double al, ah, cl, ch;
  gf_range(G(b), a, &al, &ah);
  gf_range(G(b), c, &cl, &ch);
  return fmax(fabs(al), fabs(ah)) * fmax(fabs(cl), fabs(ch)) < 4.0e15;
}

static gform tight01(mb *b, gform f);

static cval select_val(mb *b, gform c, cval t, cval e) {
  gate_graph *gg = G(b);
  double k;
  if (gf_is_const(c, &k)) return k ? t : e;
  cval d = cv(gf_axpy(gg, t.f, -1, e.f), t.lo - e.hi, t.hi - e.lo);
  if (!product_exact(b, c, d.f)) {
    c = tight01(b, c);
    if (!product_exact(b, c, d.f)) d = tighten(b, d);
  }
  gunit u = {1, c, d.f};
  int g = gg_ffn(gg, "select", &u, 1, fmin(0, d.lo), fmax(0, d.hi));
  return cv(gf_add(gg, e.f, gf_gate(gg, g)), fmin(t.lo, e.lo), fmax(t.hi, e.hi));
}

cval mx_select(mb *b, gform c, cval t, cval e) { return select_val(b, c, t, e); }

static gform and2(mb *b, gform x, gform y) {
  gate_graph *gg = G(b);
  double k;
  if (gf_is_const(x, &k)) return k ? y : gf_const(gg, 0);
  if (gf_is_const(y, &k)) return k ? x : gf_const(gg, 0);
  return gf_gate(gg, gg_relu(gg, "and", gf_addk(gg, gf_add(gg, x, y), -1)));
}

static gform not1(mb *b, gform x) {
  return gf_axpy(G(b), gf_const(G(b), 1), -1, x);
}

/* ---- arithmetic ----------------------------------------------------- */

cval mx_add(mb *b, cval a, cval c, srcloc loc, const char *op) {
  cval r = cv(gf_add(G(b), a.f, c.f), a.lo + c.lo, a.hi + c.hi);
  check_int(b, r, loc, op);
  return r;
}

static cval sub(mb *b, cval a, cval c, srcloc loc) {
  cval r = cv(gf_axpy(G(b), a.f, -1, c.f), a.lo - c.hi, a.hi - c.lo);
  check_int(b, r, loc, "(- -2147483648)");
  return r;
}

static void range_mul(double alo, double ahi, double blo, double bhi,
                      double *lo, double *hi) {
  double p[4] = {alo * blo, alo * bhi, ahi * blo, ahi * bhi};
  *lo = *hi = p[0];
  for (int i = 1; i < 4; i++) {
    *lo = fmin(*lo, p[i]);
    *hi = fmax(*hi, p[i]);
  }
}

static cval mul_fit(mb *b, cval a, cval c, srcloc loc, fit_rule fr) {
  gate_graph *gg = G(b);
  double k;
  if (is_const(c, &k) || is_const(a, &k)) {
    cval x = is_const(c, &k) ? a : c;
    if (k == 0) return mx_const(b, 0);
    double lo, hi;
    range_mul(x.lo, x.hi, k, k, &lo, &hi);
    if (lo < fr.lo || hi > fr.hi) {
      /* test the operand, not the product, which could leave the exact
       * range of float64; then multiply a copy clamped to the operands
       * whose product fits */
      fit_rule xr = {k > 0 ? ceil(fr.lo / k) : ceil(fr.hi / k),
                     k > 0 ? floor(fr.hi / k) : floor(fr.lo / k), fr.counts};
      check_fit(b, x, loc, "*", xr);
      x = clamp_to(b, x, xr.lo, xr.hi, "clamp a factor");
      range_mul(x.lo, x.hi, k, k, &lo, &hi);
    }
    /* the form may range wider than the value (digit sums): scaled, it
     * must stay exact */
    if (!product_exact(b, x.f, gf_const(gg, k))) x = tighten(b, x);
    return cv(gf_scale(gg, x.f, k), lo, hi);
  }
  /* operands are 32-bit values or partial products of at most 2^31 */
  a = clamp_to(b, a, -2147483648.0, 2147483648.0, "clamp a factor");
  c = clamp_to(b, c, -2147483648.0, 2147483648.0, "clamp a factor");
  double lo, hi;
  range_mul(a.lo, a.hi, c.lo, c.hi, &lo, &hi);
  if (fmax(fabs(lo), fabs(hi)) < 4.0e15) {
    if (!product_exact(b, a.f, c.f)) {
      a = tighten(b, a);
      c = tighten(b, c);
    }
    cval r = cv_gate(b, gg_mul(gg, "*", a.f, c.f));
    check_fit(b, r, loc, "*", fr);
    return clamp_to(b, r, fr.lo, fr.hi, "clamp to 32 bits");
  }
  /* Both operands may be large: multiply by a clamped copy of whichever
   * is small (exact), and flag when both are large (certain overflow). */
  const double C = 2097152.0, K = 4294967296.0;
  gform sa = mx_in_range(b, a, -C, C), sc = mx_in_range(b, c, -C, C);
  /* the clamped copies are gates of their own, so that their small range
   * is known to whatever multiplies them */
  gunit ca[3] = {{1, gf_const(gg, 1), a.f},
                 {-1, gf_addk(gg, a.f, -C), gf_const(gg, 1)},
                 {1, gf_addk(gg, gf_scale(gg, a.f, -1), -C), gf_const(gg, 1)}};
  gunit cc[3] = {{1, gf_const(gg, 1), c.f},
                 {-1, gf_addk(gg, c.f, -C), gf_const(gg, 1)},
                 {1, gf_addk(gg, gf_scale(gg, c.f, -1), -C), gf_const(gg, 1)}};
  gform a_c = gf_gate(gg, gg_ffn(gg, "clamp", ca, 3, -C, C));
  gform c_c = gf_gate(gg, gg_ffn(gg, "clamp", cc, 3, -C, C));
  gform off_c = gf_scale(gg, gf_axpy(gg, gf_const(gg, 1), -1, sc), K);
  gform off_a = gf_scale(gg, sc, K);
  gunit u[4] = {{1, gf_axpy(gg, a.f, -1, off_c), c_c},
                {-1, gf_axpy(gg, gf_scale(gg, a.f, -1), -1, off_c), c_c},
                {1, gf_axpy(gg, a_c, -1, off_a), c.f},
                {-1, gf_axpy(gg, gf_scale(gg, a_c, -1), -1, off_a), c.f}};
  /* sa, sc are in_range indicators, exactly 0 or 1 (a difference of two
   * steps of the same value), so each unit multiplies a value of at most
   * 2^31 by one of at most C = 2^21: below 2^53.  Range analysis sees the
   * difference as -1..1 and cannot show it. */
  int p = gg_ffn_proven(gg, "*", u, 4, -4.6e15, 4.6e15);
  int site = mb_site(b, "overflow", loc, "integer overflow: the result of * "
                                         "does not fit in 32 bits");
  gform both = gf_gate(gg, gg_relu(gg, "both large",
                                   gf_axpy(gg, gf_axpy(gg, gf_const(gg, 1), -1, sa), -1, sc)));
  mx_flag(b, and2(b, both, fr.counts), site);
  cval r = cv(gf_gate(gg, p), -4.6e15, 4.6e15);
  check_fit(b, r, loc, "*", fr);
  return clamp_to(b, r, fr.lo, fr.hi, "clamp to 32 bits");
}

static cval mul(mb *b, cval a, cval c, srcloc loc) {
  return mul_fit(b, a, c, loc, int_rule(b));
}

/* An n-ary product: as in the evaluator, a factor of zero makes it zero
 * whatever the others, and a partial product may reach 2^31 in magnitude
 * (a later -1 can still bring it into range); past that, no non-zero
 * factor brings it back. */
static cval mul_nary(mb *b, const cval *a, int n, srcloc loc) {
  gate_graph *gg = G(b);
  if (n == 0) return mx_const(b, 1);
  gform *later_nonzero = xcalloc((size_t)n + 1, sizeof *later_nonzero);
  later_nonzero[n] = gf_const(gg, 1);
  for (int i = n - 1; i >= 2; i--) {   /* only partial products are excused */
    gform nz = gf_axpy(gg, gf_const(gg, 1), -1, mx_in_range(b, a[i], 0, 0));
    later_nonzero[i] = and2(b, nz, later_nonzero[i + 1]);
  }
  cval r = a[0];
  for (int i = 1; i < n; i++) {
    fit_rule fr = int_rule(b);
    if (i < n - 1) {
      fr.lo = -2147483648.0;
      fr.hi = 2147483648.0;
      fr.counts = later_nonzero[i + 1];
    }
    r = mul_fit(b, r, a[i], loc, fr);
  }
  free(later_nonzero);
  return r;
}

/* |x| and [x < 0]. */
static void abs_sign(mb *b, cval x, cval *ax, gform *neg) {
  gate_graph *gg = G(b);
  if (x.lo >= 0) {
    *ax = x;
    *neg = gf_const(gg, 0);
    return;
  }
  if (x.hi <= 0) {
    *ax = cv(gf_scale(gg, x.f, -1), -x.hi, -x.lo);
    *neg = x.hi < 0 ? gf_const(gg, 1) : step_of(b, "< 0", gf_scale(gg, x.f, -1));
    return;
  }
  gunit u[2] = {{1, x.f, gf_const(gg, 1)}, {1, gf_scale(gg, x.f, -1), gf_const(gg, 1)}};
  *ax = cv(gf_gate(gg, gg_ffn(gg, "abs", u, 2, 0, fmax(-x.lo, x.hi))), 0, fmax(-x.lo, x.hi));
  *neg = step_of(b, "< 0", gf_scale(gg, x.f, -1));
}

/* floor(x / d) and x mod d for x in [0, X], d >= 1 (d == 0 gives garbage
 * that stays bounded): radix-4 long division, one FFN layer per digit.
 * With a constant divisor a digit is one gate (two units per threshold)
 * and the remainder is linear in it; a variable divisor needs the product
 * digit * d, made by units that gate d with each threshold's step. */
#define DIV_RADIX_BITS 2

static void udiv(mb *b, cval x, cval d, cval *q, cval *r) {
  gate_graph *gg = G(b);
  const int R = 1 << DIV_RADIX_BITS;
  double X = fmax(x.hi, 0), kd;
  bool constd = is_const(d, &kd);
  double dmin = constd ? kd : fmax(1, d.lo);
  if (dmin < 1) dmin = 1;
  int digits = 0;
  for (double m = floor(X / dmin); m >= 1; m = floor(m / R)) digits++;
  if (digits == 0) {
    *q = mx_const(b, 0);
    *r = x;
    return;
  }
  gform rem = x.f, qf = gf_const(gg, 0);
  for (int j = digits - 1; j >= 0; j--) {
    double pj = ldexp(1, DIV_RADIX_BITS * j);
    VEC(gunit) du = {0}, ru = {0};
    gform dj = d.f;
    if (!constd) {
      /* thresholds beyond X never fire: clamp d so forms stay small */
      double M = ceil((X + 1) / pj) + 1;
      /* a gate holding min(d, M) itself, so that its range is small */
      gunit cu[2] = {{1, gf_const(gg, 1), d.f}, {-1, gf_addk(gg, d.f, -M), gf_const(gg, 1)}};
      dj = gf_gate(gg, gg_ffn(gg, "clamp divisor", cu, 2, fmin(d.lo, M), fmin(d.hi, M)));
    }
    for (int delta = 1; delta < R; delta++) {
      double c = delta * pj;
      if (constd && c * kd > X) break;
      /* [rem >= c d] = relu(y + 1) - relu(y), y = rem - c d */
      gform y = gf_axpy(gg, rem, -c, constd ? gf_const(gg, kd) : dj);
      gunit a1 = {1, gf_addk(gg, y, 1), gf_const(gg, 1)}, a2 = {-1, y, gf_const(gg, 1)};
      VEC_PUSH(du, a1);
      VEC_PUSH(du, a2);
    }
    if (du.n) {
      int gd = gg_ffn(gg, "division: digit", du.v, du.n, 0, R - 1);
      qf = gf_axpy(gg, qf, pj, gf_gate(gg, gd));
      if (constd) {
        rem = gf_axpy(gg, rem, -pj * kd, gf_gate(gg, gd));
      } else {
        /* digit * d, exact: the digit is 0..R-1, so the unit's gate
         * input is small (a step times a 32-bit d would not be) */
        gunit pu = {-pj, gf_gate(gg, gd), dj};
        int gr = gg_ffn(gg, "division: remainder", &pu, 1, -X, 0);
        rem = gf_add(gg, rem, gf_gate(gg, gr));
      }
    }
    VEC_FREE(du);
    VEC_FREE(ru);
  }
  *q = cv(qf, 0, floor(X / dmin));
  *r = cv(rem, 0, constd ? fmin(X, kd - 1) : fmin(X, fmax(d.hi - 1, 0)));
}

typedef enum { DIV_QUOTIENT, DIV_REMAINDER, DIV_MODULO } div_kind;

/* A division's site whose text names both operands as the host reads
 * them (mhostval.c), where the report of mreport2.c is not made. */
static int div_host_site(mb *b, int site, const char *op, const ir_expr *node) {
  if (!node || node->n != 2 || node->k != X_PRIM) return site;
  char msg[64];
  snprintf(msg, sizeof msg, "division by zero: (%s \001 \002)", op);
  return mb_host_site(b, site, NULL, msg, (const ir_expr *const *)node->a, 2);
}

static cval divide(mb *b, cval a, cval d, div_kind kind, srcloc loc,
                   const char *op, const char *key, const ir_expr *node) {
  gate_graph *gg = G(b);
  a = clamp_int(b, a);
  d = clamp_int(b, d);
  double kd;
  if (is_const(d, &kd) && kd == 0) {
    if (mx_catch_flag(b, gf_const(gg, 1), node)) return mx_const(b, 0);   /* mcatch.c */
    if (!node || !mx_div_flag(b, gf_const(gg, 1), op, loc, a)) {   /* mreport2.c */
      int site = mb_site(b, "division", loc, "division by zero: (%s x 0)", op);
      site = div_host_site(b, site, op, node);
      mx_vflag(b, gf_const(gg, 1), site, node, "division");
    }
    return mx_const(b, 0);
  }
  if (!is_const(d, &kd) && d.lo <= 0 && d.hi >= 0) {
    gform zero = gf_gate(gg, gg_eqk(gg, "divisor is 0", d.f, 0));
    if (mx_catch_flag(b, zero, node)) {   /* mcatch.c */
    } else if (!node || !mx_div_flag(b, zero, op, loc, a)) {
      int site = mb_site(b, "division", loc, "division by zero in %s", op);
      site = div_host_site(b, site, op, node);
      mx_vflag(b, zero, site, node, "division");
    }
  }
  cval aa, ad, uq, ur;
  gform na, nd;
  struct divmemo *dm = NULL;
  for (int i = 0; key && i < b->divs.n; i++)
    if (!strcmp(b->divs.v[i].key, key)) dm = &b->divs.v[i];
  if (dm) {
    aa = dm->aa; ad = dm->ad; uq = dm->uq; ur = dm->ur; na = dm->na; nd = dm->nd;
  } else {
    abs_sign(b, a, &aa, &na);
    abs_sign(b, d, &ad, &nd);
    udiv(b, aa, ad, &uq, &ur);
    if (key) {
      struct divmemo m = {xstrdup(key), aa, ad, uq, ur, na, nd};
      VEC_PUSH(b->divs, m);
    }
  }
  double k;
  if (kind == DIV_QUOTIENT) {
    /* negative when exactly one of a, d is */
    gform neg = gf_axpy(gg, gf_add(gg, na, nd), -2, and2(b, na, nd));
    cval q = uq;
    if (!gf_is_const(neg, &k) || k != 0) {
      cval nq = cv(gf_scale(gg, uq.f, -1), -uq.hi, -uq.lo);
      q = select_val(b, neg, nq, uq);
    }
    check_int(b, q, loc, strcmp(op, "quotient") ? op : "(quotient -2147483648 -1)");
    return q;
  }
  cval r = ur;
  if (!gf_is_const(na, &k) || k != 0)
    r = select_val(b, na, cv(gf_scale(gg, ur.f, -1), -ur.hi, -ur.lo), ur);
  if (kind == DIV_REMAINDER) return r;
  /* modulo: add d when r is not 0 and its sign differs from d's */
  gform nz = not1(b, gf_gate(gg, gg_eqk(gg, "remainder is 0", ur.f, 0)));
  gform differ = gf_axpy(gg, gf_add(gg, na, nd), -2, and2(b, na, nd));
  gform fix = and2(b, nz, differ);
  if (gf_is_const(fix, &k) && k == 0) return r;
  cval rd = cv(gf_add(gg, r.f, d.f), r.lo + d.lo, r.hi + d.hi);
  return select_val(b, fix, rd, r);
}

/* ---- comparisons ---------------------------------------------------- */

static gform compare(mb *b, const char *op, cval x, cval y) {
  gate_graph *gg = G(b);
  gform d = gf_axpy(gg, y.f, -1, x.f);   /* y - x */
  if (!strcmp(op, "<")) return step_of(b, "<", d);
  if (!strcmp(op, ">")) return step_of(b, ">", gf_scale(gg, d, -1));
  if (!strcmp(op, "<=")) return step_of(b, "<=", gf_addk(gg, d, 1));
  if (!strcmp(op, ">=")) return step_of(b, ">=", gf_addk(gg, gf_scale(gg, d, -1), 1));
  return gf_gate(gg, gg_eqk(gg, "=", d, 0));
}

static gform all_of(mb *b, gform *f, int n) {
  gate_graph *gg = G(b);
  if (n == 1) return f[0];
  gform s = gf_const(gg, -(double)(n - 1));
  for (int i = 0; i < n; i++) s = gf_add(gg, s, f[i]);
  return gf_gate(gg, gg_relu(gg, "all", s));
}

static void shape(mb *b, const ir_expr *e, strbuf *out);

/* ---- builtins ------------------------------------------------------- */

static cval bool_val(gform f) { return cv01(f); }

/* A 0/1 value whose form's bounds are looser than 0..1 (a linear form
 * over digits): clamped by one gate, so that products with it stay
 * provably small. */
static gform tight01(mb *b, gform f) {
  gate_graph *gg = G(b);
  double lo, hi;
  gf_range(gg, f, &lo, &hi);
  if (lo >= 0 && hi <= 1) return f;
  gunit u[2] = {{1, f, gf_const(gg, 1)}, {-1, gf_addk(gg, f, -1), gf_const(gg, 1)}};
  return gf_gate(gg, gg_ffn(gg, "0/1", u, 2, 0, 1));
}

/* The 32 bits of a 32-bit integer, bit 31 being the sign: x = sum over
 * j < 31 of 2^j bit_j - 2^31 bit_31.  One step per bit, from the top; the
 * remainder is a linear form (powers of two: exact). */
static void bits_of(mb *b, cval x, gform bits[32]) {
  gate_graph *gg = G(b);
  x = clamp_int(b, x);
  bits[31] = step_of(b, "sign bit", gf_scale(gg, x.f, -1));
  gform rem = gf_axpy(gg, x.f, 2147483648.0, bits[31]);   /* in [0, 2^31) */
  for (int j = 30; j >= 0; j--) {
    double p = ldexp(1, j);
    bits[j] = step_of(b, "bit", gf_addk(gg, rem, 1 - p));
    rem = gf_axpy(gg, rem, -p, bits[j]);
  }
}

/* logand ('a'), logior ('o'), logxor ('x') of two integers. */
static cval bitwise(mb *b, char kind, cval x, cval y) {
  gate_graph *gg = G(b);
  gform bx[32], by[32];
  bits_of(b, x, bx);
  bits_of(b, y, by);
  gform r = gf_const(gg, 0);
  for (int j = 0; j < 32; j++) {
    gform both = gf_gate(gg, gg_relu(gg, "bit and", gf_addk(gg, gf_add(gg, bx[j], by[j]), -1)));
    gform bit = kind == 'a' ? both
              : kind == 'o' ? gf_axpy(gg, gf_add(gg, bx[j], by[j]), -1, both)
                            : gf_axpy(gg, gf_add(gg, bx[j], by[j]), -2, both);
    r = gf_axpy(gg, r, j == 31 ? -2147483648.0 : ldexp(1, j), bit);
  }
  return cv(r, I32_MIN, I32_MAX);
}

/* Arithmetic on constants, done now; false when an argument is not
 * constant or the operation would fail (the circuit then raises the
 * error at run time, where the evaluator does). */
static bool fold_const(const char *op, const cval *a, int n, int64_t *out) {
  int64_t k[64];
  for (int i = 0; i < n; i++) {
    double d;
    if (!is_const(a[i], &d)) return false;
    k[i] = (int64_t)d;
  }
  int64_t r;
  if (!strcmp(op, "+") || !strcmp(op, "*")) {
    r = op[0] == '*';
    for (int i = 0; i < n; i++) {
      r = op[0] == '+' ? r + k[i] : r * k[i];
      if (r > INT32_MAX * 4LL || r < INT32_MIN * 4LL) return false;
    }
  } else if (!strcmp(op, "-") && n >= 1) {
    r = n == 1 ? -k[0] : k[0];
    for (int i = 1; i < n; i++) r -= k[i];
  } else if ((!strcmp(op, "quotient") || !strcmp(op, "remainder") ||
              !strcmp(op, "modulo")) && n == 2) {
    if (k[1] == 0) return false;
    if (op[0] == 'q') r = k[0] / k[1];
    else if (op[0] == 'r') r = k[0] % k[1];
    else r = ((k[0] % k[1]) + k[1]) % k[1];
  } else if (!strcmp(op, "abs") && n == 1) {
    r = k[0] < 0 ? -k[0] : k[0];
  } else {
    return false;
  }
  if (r < INT32_MIN || r > INT32_MAX) return false;
  *out = r;
  return true;
}

/* The site of expt's negative power: the evaluator's text names the
 * operands, which the host reads where it can (mhostval.c). */
static int fraction_site(mb *b, srcloc kloc, const ir_expr *node) {
  int site = mb_site(b, "type", kloc, "expt: the power is a fraction, and tvl has only integers");
  if (!node || node->n != 2) return site;
  return mb_host_site(b, site, NULL,
                      "expt: (expt \001 \002) is a fraction, and tvl has only integers",
                      (const ir_expr *const *)node->a, 2);
}

/* expt with a constant exponent k < 0 or k > 64: only bases 0, 1 and -1
 * have an integer power that fits (0 to a negative power divides by 0). */
static cval expt_far(mb *b, cval x, int64_t k, srcloc loc, srcloc kloc,
                     const ir_expr *node) {
  gate_graph *gg = G(b);
  gform z = gf_gate(gg, gg_eqk(gg, "base 0", x.f, 0));
  gform one = gf_gate(gg, gg_eqk(gg, "base 1", x.f, 1));
  gform mone = gf_gate(gg, gg_eqk(gg, "base -1", x.f, -1));
  gform other = gf_axpy(gg, gf_axpy(gg, gf_axpy(gg, gf_const(gg, 1), -1, z), -1, one), -1, mone);
  if (k < 0) {
    mx_flag(b, z, mb_site(b, "division", loc, "division by zero: (expt 0 %lld)", (long long)k));
    mx_vflag(b, other, fraction_site(b, kloc, node), node, "fraction");
  } else {
    mx_flag(b, other, mb_site(b, "overflow", loc, "integer overflow: the result of "
                                                  "expt does not fit in 32 bits"));
  }
  /* 1 for base 1, (-1)^k for base -1, 0 for base 0 */
  double m1 = k % 2 ? -1 : 1;
  return cv(gf_axpy(gg, one, m1, mone), -1, 1);
}

/* [e is odd] for an integer e, as even?/odd? compute it. */
static gform odd_of(mb *b, cval e, srcloc loc) {
  cval r = divide(b, e, mx_const(b, 2), DIV_REMAINDER, loc, "remainder", "odd", NULL);
  cval ar;
  gform ng;
  abs_sign(b, r, &ar, &ng);
  return tight01(b, ar.f);
}

/* expt with a constant base c and an exponent known only at run time: c^k
 * for each k whose power fits, picked by the exponent's one-hot, and the
 * evaluator's errors past them (a negative exponent is a fraction, or a
 * division by zero for base 0). */
static cval expt_const_base(mb *b, int64_t c, cval e, srcloc loc, srcloc kloc,
                            const ir_expr *node) {
  gate_graph *gg = G(b);
  e = clamp_int(b, e);
  if (c == 1) return mx_const(b, 1);
  if (c == -1) return cv(gf_addk(gg, gf_scale(gg, odd_of(b, e, kloc), -2), 1), -1, 1);
  gform neg = step_of(b, "exponent < 0", gf_scale(gg, e.f, -1));
  if (c == 0) {
    int site = mb_site(b, "division", loc, "division by zero: (expt 0 x)");
    if (node && node->n == 2)   /* the exponent as the host reads it (mhostval.c) */
      site = mb_host_site(b, site, NULL, "division by zero: (expt 0 \001)",
                          (const ir_expr *const *)node->a + 1, 1);
    mx_vflag(b, neg, site, node, "division");
    return cv(gf_gate(gg, gg_eqk(gg, "exponent 0", e.f, 0)), 0, 1);
  }
  mx_vflag(b, neg, fraction_site(b, kloc, node), node, "fraction");
  int64_t p = 1;
  int kmax = 0;
  gform r = gf_const(gg, 0);
  double lo = 1, hi = 1;
  for (int k = 0; p >= INT32_MIN && p <= INT32_MAX; k++, p *= c) {
    kmax = k;
    if (k < e.lo || k > e.hi) continue;
    char name[32];
    snprintf(name, sizeof name, "exponent=%d", k);
    r = gf_axpy(gg, r, (double)p, gf_gate(gg, gg_eqk(gg, name, e.f, k)));
    lo = fmin(lo, (double)p);
    hi = fmax(hi, (double)p);
  }
  gform far = step_of(b, "exponent too large", gf_addk(gg, e.f, -kmax));
  mx_flag(b, far, mb_site(b, "overflow", loc, "integer overflow: the result of "
                                              "expt does not fit in 32 bits"));
  return cv(r, fmin(lo, 0), fmax(hi, 0));
}

/* ash with a shift n known only at run time: the factor 2^n (n in 0..31)
 * or the divisor 2^-n (n in -31..-1) picked by n's one-hot, then the
 * arithmetic of a constant shift with it; past 31 only 0 fits, past -31
 * only the sign is left. */
static cval ash_var(mb *b, cval x, cval n, srcloc loc, const ir_expr *node) {
  gate_graph *gg = G(b);
  x = clamp_int(b, x);
  n = clamp_int(b, n);
  gform pl = gf_const(gg, 0), pr = gf_const(gg, 0), inr = gf_const(gg, 0);
  char name[32];
  for (int k = -31; k <= 31; k++) {
    if (k < n.lo || k > n.hi) continue;
    snprintf(name, sizeof name, "shift=%d", k);
    gform one = gf_gate(gg, gg_eqk(gg, name, n.f, k));
    if (k >= 0) {
      pl = gf_axpy(gg, pl, ldexp(1, k), one);
    } else {
      pr = gf_axpy(gg, pr, ldexp(1, -k), one);
      inr = gf_add(gg, inr, one);
    }
  }
  cval left = mul(b, x, cv(pl, 0, 2147483648.0), loc);
  gform far_left = step_of(b, "shift > 31", gf_addk(gg, n.f, -31));
  gform nonzero = not1(b, gf_gate(gg, gg_eqk(gg, "ash of 0", x.f, 0)));
  mx_vflag(b, and2(b, far_left, nonzero),
           mb_site(b, "overflow", loc, "integer overflow: the result of ash "
                                       "does not fit in 32 bits"), node, "ash");
  /* floor division by d = 2^-n (1 where n is not a right shift): shift
   * |x| + (d - 1) for negatives */
  cval d = cv(gf_add(gg, pr, not1(b, inr)), 1, 2147483648.0);
  cval ax, uq, ur;
  gform ng;
  abs_sign(b, x, &ax, &ng);
  cval bump = select_val(b, ng, cv(gf_addk(gg, d.f, -1), 0, 2147483647.0), mx_const(b, 0));
  cval y = cv(gf_add(gg, ax.f, bump.f), ax.lo, ax.hi + bump.hi);
  udiv(b, y, d, &uq, &ur);
  cval right = select_val(b, ng, cv(gf_scale(gg, uq.f, -1), -uq.hi, -uq.lo), uq);
  right = select_val(b, inr, right, mx_const(b, 0));
  gform far_right = step_of(b, "shift < -31", gf_scale(gg, gf_addk(gg, n.f, 31), -1));
  gform minus1 = and2(b, far_right, ng);
  return cv(gf_axpy(gg, gf_add(gg, left.f, right.f), -1, minus1),
            fmin(left.lo + right.lo, 0) - 1, fmax(left.hi + right.hi, 0));
}

/* ---- tagged values (docs/trace-format.md) ---------------------------- */

/* [v carries tag t]; v is a tagged value. */
static gform is_tag(mb *b, cval v, int t) {
  if (t == TAG_INT) return mx_in_range(b, v, I32_MIN, I32_MAX);
  return mx_in_range(b, v, dyn_base(t), dyn_base(t) + DYN_SPAN - 1);
}

/* The untagged value of kind k inside tagged v (garbage, but bounded,
 * when v holds another kind: a check says so). */
static cval unbox(mb *b, cval v, tkind k) {
  if (k == T_INT) return clamp_int(b, v);
  double base = dyn_base(dyn_tag(k));
  cval p = cv(gf_addk(G(b), v.f, -base), v.lo - base, v.hi - base);
  double hi = k == T_VEC || k == T_PAIR ? ADDR_MAX : k == T_STR ? (b->ir->has_rtstr ? ADDR_MAX : b->p->strs.n + 1)
            : k == T_CHAR ? 0x10FFFF
            : k == T_PROC ? (b->ir->has_closures ? ADDR_MAX : b->ir->procs.n)
            : k == T_NIL || k == T_VOID ? 0 : b->ir->has_rtsym ? ADDR_MAX : b->p->syms.n + 2;
  return clamp_to(b, p, 0, hi, "untag");
}

/* for mclosure.c */
cval mx_unbox(mb *b, cval v, tkind k) { return unbox(b, v, k); }

/* The tagged value of v, of static kind k. */
static cval box(mb *b, cval v, tkind k) {
  double base = dyn_base(dyn_tag(k));
  if (base == 0) return v;
  return cv(gf_addk(G(b), v.f, base), v.lo + base, v.hi + base);
}

/* [x is not #f], as a 0/1 form, for a value of any kind. */
static gform truth(mb *b, const ir_expr *e, cval x) {
  switch (ir_kind(b->ir, e->type)) {
  case T_BOOL: return clean01(b, x).f;
  case T_DYN:
    return not1(b, gf_gate(G(b), gg_eqk(G(b), "is not #f", x.f, DYN_BASE)));
  default: return gf_const(G(b), 1);
  }
}

/* An operand that must be of kind k (X_CHECK). */
static cval checked(mb *b, const ir_expr *e) {
  tkind k = (tkind)e->ival, have = ir_kind(b->ir, e->a[0]->type);
  cval v = mx_expr(b, e->a[0]);
  if (have == k || have == T_ANY) return v;
  const char *msg = e->var >= 0 ? b->ir->failures.v[e->var].msg : NULL;
  if (msg) {
    /* a catch may take it: the landing decides (mcatch.c) */
    int report = mb_landing_pc(b, e);
    if (report < 0) report = mb_report_pc(b, e);
    /* booleans and symbols share a tag: a symbol is from 2 */
    gform bad = have != T_DYN ? gf_const(G(b), 1)
                : k == T_SYM ? not1(b, mx_in_range(b, v, dyn_base(TAG_SYM) + 2,
                                                   dyn_base(TAG_SYM) + DYN_SPAN - 1))
                : not1(b, is_tag(b, v, dyn_tag(k)));
    if (report >= 0) flag_report(b, bad, report);
    else mx_flag(b, bad, mb_site(b, "type", e->loc, "%s", msg));
  }
  if (have != T_DYN) return mx_const(b, 0);
  return unbox(b, v, k);
}

void mx_operands(mb *b, const ir_expr *const *ops, int n) {
  for (int i = 0; i < n; i++)
    if (ops[i]) (void)mx_expr(b, ops[i]->k == X_CHECK ? ops[i]->a[0] : ops[i]);
}

/* The operands of a builtin are all evaluated before their kinds are
 * checked, as in the evaluator. */
static void operands_first(mb *b, const ir_expr *e) {
  bool any = false;
  for (int i = 0; i < e->n; i++) any |= e->a[i]->k == X_CHECK;
  for (int i = 0; i < e->n && any; i++)
    (void)mx_expr(b, e->a[i]->k == X_CHECK ? e->a[i]->a[0] : e->a[i]);
}

/* eq?, eqv?, equal? on operands of which one or both carry tags. */
static bool kinds_meet(mb *b, const ir_expr *e, cval *a, cval *r) {
  tkind k0 = ir_kind(b->ir, e->a[0]->type), k1 = ir_kind(b->ir, e->a[1]->type);
  if (k0 == k1 || k0 == T_ANY || k1 == T_ANY) return false;
  if (k0 != T_DYN && k1 != T_DYN) {
    *r = mx_const(b, 0);   /* different kinds are never the same */
    return true;
  }
  if (k0 != T_DYN) a[0] = box(b, a[0], k0);
  if (k1 != T_DYN) a[1] = box(b, a[1], k1);
  return false;
}

/* Whether equal? may compare two strings here.  A compiled string is
 * the number of its literal, and each literal is its own object (as in
 * the evaluator and Guile, so eq? compares those numbers), but equal?
 * compares characters: two literals of the same text differ in number.
 * A value of several kinds may be a string when the program has any. */
static bool strings_compared(mb *b, const ir_expr *e) {
  bool dyn = false;
  for (int i = 0; i < 2; i++) {
    tkind k = ir_kind(b->ir, e->a[i]->type);
    if (k == T_STR) return true;
    dyn |= k == T_DYN || k == T_ANY;
  }
  return dyn && world_has_literal_strings(b->p->w);
}

/* Whether a class may hold vectors or pairs. */
static bool structured(mb *b, int t) {
  tkind k = ir_kind(b->ir, t);
  return k == T_VEC || k == T_PAIR ||
         (k == T_DYN && (ir_elem_type(b->ir, t) >= 0 || ir_pair_type(b->ir, t, false) >= 0));
}

/* equal? needs more than eqv? only where both operands may be vectors,
 * or both pairs. */
static bool deep_equal(mb *b, const ir_expr *e) {
  /* a constant is a number, boolean, symbol or string, whatever class
   * it shares (lang/lower-lists.c lw_may_be_structured) */
  if (e->a[0]->k == X_CONST || e->a[1]->k == X_CONST) return false;
  return structured(b, e->a[0]->type) && structured(b, e->a[1]->type);
}

/* car or cdr: cell 0 or 1 of the pair (a cons wrote both). */
static cval cxr(mb *b, const ir_expr *e) {
  cval p = mx_expr(b, e->a[0]);
  cval at = cv(gf_addk(G(b), p.f, e->ival), p.lo + e->ival, p.hi + e->ival);
  gform w;
  return mx_read_dyn(b, at, &w, mx_kind_lo(b, e->type), mx_kind_hi(b, e->type),
                     e->ival ? "cdr" : "car");
}

/* integer?, boolean?, ... of a tagged value. */
static cval kind_test(mb *b, const char *op, cval v) {
  if (!strcmp(op, "pair?")) return bool_val(is_tag(b, v, TAG_PAIR));
  if (!strcmp(op, "null?")) return bool_val(is_tag(b, v, TAG_NIL));
  if (!strcmp(op, "procedure?")) return bool_val(is_tag(b, v, TAG_PROC));
  if (op[0] == 'i' || op[0] == 'n') return bool_val(is_tag(b, v, TAG_INT));
  if (op[0] == 'v') return bool_val(is_tag(b, v, TAG_VEC));
  if (op[0] == 's' && op[1] == 't') return bool_val(is_tag(b, v, TAG_STR));
  double base = dyn_base(TAG_SYM);
  if (op[0] == 'b') return bool_val(mx_in_range(b, v, base, base + 1));
  return bool_val(mx_in_range(b, v, base + 2, base + DYN_SPAN - 1));
}

/* An overflow of constants: the evaluator's whole text in the site
 * (merrtext.c), raised where the step runs. */
static bool const_overflow(mb *b, const ir_expr *e, const cval *a, int n) {
  int64_t k[16];
  if (n > 16) return false;
  for (int i = 0; i < n; i++) {
    double d;
    if (!is_const(a[i], &d) || d != (double)(int64_t)d) return false;
    k[i] = (int64_t)d;
  }
  if (!strcmp(e->op->name, "expt") && n == 2 && k[1] < 0 && k[0] != 0 && k[0] != 1 &&
      k[0] != -1) {
    /* a fraction, named at the power as the evaluator does */
    mx_flag(b, gf_const(G(b), 1),
            mb_site(b, "type", e->a[1]->loc, "expt: (expt %lld %lld) is a fraction, and tvl "
                                             "has only integers", (long long)k[0], (long long)k[1]));
    return true;
  }
  strbuf m;
  sb_init(&m);
  bool over = mx_const_overflow_text(e->op->name, e->ival == 3, k, n, &m);
  if (over) mx_flag(b, gf_const(G(b), 1), mb_site(b, "overflow", e->loc, "%s", m.s));
  sb_free(&m);
  return over;
}

static cval prim_ops(mb *b, const ir_expr *e, cval *a, int n);

static cval prim(mb *b, const ir_expr *e) {
  const char *op = e->op->name;
  int n = e->n;
  cval a[64];
  if (n > 64) {
    mb_fail(b, "too many arguments for %s", op);
    return mx_const(b, 0);
  }
  operands_first(b, e);
  for (int i = 0; i < n; i++) a[i] = mx_expr(b, e->a[i]);
  int64_t folded;
  if (fold_const(op, a, n, &folded)) return mx_const(b, (double)folded);
  if (const_overflow(b, e, a, n)) return mx_const(b, 0);
  const ir_expr *host_save = b->host_node;
  b->host_node = e;   /* its overflow names its operands (mhostval.c) */
  cval r = prim_ops(b, e, a, n);
  b->host_node = host_save;
  return r;
}

static cval prim_ops(mb *b, const ir_expr *e, cval *a, int n) {
  gate_graph *gg = G(b);
  const char *op = e->op->name;
  cval ch;
  if (b->ir->has_rtsym && (mx_symbol_prim(b, e, a, &ch) || mx_symbol_print_prim(b, e, a, &ch)))
    return ch;   /* msymbols.c */
  if (b->ir->has_chars && mx_char_prim(b, e, a, &ch)) return ch;
  if (b->p->str_tables && mx_string_prim(b, e, a, &ch)) return ch;
  /* as in the evaluator, only the final sum must fit in 32 bits */
  if (!strcmp(op, "+") || (!strcmp(op, "-") && n > 1)) {
    if (n == 0) return mx_const(b, 0);
    cval r = a[0];
    double s = op[0] == '+' ? 1 : -1;
    for (int i = 1; i < n; i++)
      r = cv(gf_axpy(gg, r.f, s, a[i].f), s > 0 ? r.lo + a[i].lo : r.lo - a[i].hi,
             s > 0 ? r.hi + a[i].hi : r.hi - a[i].lo);
    if (!mx_sum_flag(b, r, a, n, e)) check_fit_at(b, r, e->loc, op, int_rule(b), e);
    return r;
  }
  if (!strcmp(op, "-")) return sub(b, mx_const(b, 0), a[0], e->loc);
  if (!strcmp(op, "*")) {
    return mul_nary(b, a, n, e->loc);
  }
  if (!strcmp(op, "quotient") || !strcmp(op, "remainder") || !strcmp(op, "modulo")) {
    strbuf key;
    sb_init(&key);
    shape(b, e->a[0], &key);
    sb_putc(&key, '/');
    shape(b, e->a[1], &key);
    div_kind k = op[0] == 'q' ? DIV_QUOTIENT : op[0] == 'r' ? DIV_REMAINDER : DIV_MODULO;
    cval v = divide(b, a[0], a[1], k, e->loc, op, key.s, e);
    sb_free(&key);
    return v;
  }
  if (!strcmp(op, "abs")) {
    cval ax;
    gform ng;
    abs_sign(b, a[0], &ax, &ng);
    /* a user's abs overflows at one value; gcd's and lcm's (ival 2) name
     * their own call, which the text does not show */
    check_int(b, ax, e->loc, e->ival == 2 ? "abs" : "(abs -2147483648)");
    return ax;
  }
  if (!strcmp(op, "min") || !strcmp(op, "max")) {
    cval r = a[0];
    for (int i = 1; i < n; i++) {
      cval x = r, y = a[i];
      double kx, ky;
      if (is_const(x, &kx) && is_const(y, &ky)) {
        r = mx_const(b, !strcmp(op, "min") ? fmin(kx, ky) : fmax(kx, ky));
        continue;
      }
      gform d = !strcmp(op, "min") ? gf_axpy(gg, x.f, -1, y.f) : gf_axpy(gg, y.f, -1, x.f);
      gunit u = {!strcmp(op, "min") ? -1.0 : 1.0, d, gf_const(gg, 1)};
      int g = gg_ffn(gg, op, &u, 1, 1, 0);   /* range derived from d's */
      r = cv(gf_add(gg, x.f, gf_gate(gg, g)),
             !strcmp(op, "min") ? fmin(x.lo, y.lo) : fmax(x.lo, y.lo),
             !strcmp(op, "min") ? fmin(x.hi, y.hi) : fmax(x.hi, y.hi));
    }
    return r;
  }
  if (!strcmp(op, "expt")) {
    double k;
    if (is_const(a[1], &k) && (k < 0 || k > 64)) return expt_far(b, a[0], (int64_t)k, e->loc, e->a[1]->loc, e);
    double base0;
    if (!is_const(a[1], &k) && is_const(a[0], &base0))
      return expt_const_base(b, (int64_t)base0, a[1], e->loc, e->a[1]->loc, e);
    if (!is_const(a[1], &k) || k < 0 || k > 64) {
      mb_fail(b, "expt needs a constant base or a constant exponent in compiled code");
      return mx_const(b, 0);
    }
    double base;
    if (is_const(a[0], &base)) {
      /* both constant: the power, or (past 32 bits, where multiplying out
       * would take the constant beyond float64's range) the error */
      int64_t p = 1;
      for (int i = 0; i < (int)k && p >= INT32_MIN && p <= INT32_MAX; i++)
        p *= (int64_t)base;
      if (p >= INT32_MIN && p <= INT32_MAX) return mx_const(b, (double)p);
      int site = mb_site(b, "overflow", e->loc, "integer overflow: the result of "
                                                "expt does not fit in 32 bits");
      mx_flag(b, gf_const(gg, 1), site);
      return mx_const(b, 0);
    }
    cval r = mx_const(b, 1);
    for (int i = 0; i < (int)k; i++) r = mul(b, r, a[0], e->loc);
    return r;
  }
  if (!strcmp(op, "=") || !strcmp(op, "<") || !strcmp(op, ">") ||
      !strcmp(op, "<=") || !strcmp(op, ">=")) {
    if (n == 1) return mx_const(b, 1);
    gform f[64];
    for (int i = 0; i + 1 < n; i++) f[i] = compare(b, op, a[i], a[i + 1]);
    return bool_val(all_of(b, f, n - 1));
  }
  if (!strcmp(op, "zero?")) return bool_val(gf_gate(gg, gg_eqk(gg, "zero?", a[0].f, 0)));
  if (!strcmp(op, "positive?")) return bool_val(step_of(b, "positive?", a[0].f));
  if (!strcmp(op, "negative?")) return bool_val(step_of(b, "negative?", gf_scale(gg, a[0].f, -1)));
  if (!strcmp(op, "even?") || !strcmp(op, "odd?")) {
    strbuf key;
    sb_init(&key);
    shape(b, e->a[0], &key);
    sb_puts(&key, "/c2");
    cval r = divide(b, a[0], mx_const(b, 2), DIV_REMAINDER, e->loc, "remainder", key.s, NULL);
    sb_free(&key);
    cval ar;
    gform ng;
    abs_sign(b, r, &ar, &ng);
    gform odd = tight01(b, ar.f);
    return bool_val(op[0] == 'o' ? odd : not1(b, odd));
  }
  if (!strcmp(op, "eq?") || !strcmp(op, "eqv?") || !strcmp(op, "equal?")) {
    if (op[1] == 'q' && op[2] == 'u' && deep_equal(b, e)) {
      mb_fail(b, "equal? on vectors and lists is not supported in compiled code yet");
      return mx_const(b, 0);
    }
    /* equal? (or mequal.c's eqv? on leaves, ival 1): strings by text */
    /* (ival 2: never on two strings, lang/lower-strings2.c) */
    if (e->ival != 2 && (e->ival == 1 || (op[1] == 'q' && op[2] == 'u')) &&
        strings_compared(b, e)) {
      a[0] = mx_string_canon(b, e->a[0], a[0]);
      a[1] = mx_string_canon(b, e->a[1], a[1]);
    }
    cval r;
    if (kinds_meet(b, e, a, &r)) return r;
    return bool_val(gf_gate(gg, gg_eqk(gg, op, gf_axpy(gg, a[0].f, -1, a[1].f), 0)));
  }
  if (!strcmp(op, "integer?") || !strcmp(op, "number?") ||
      !strcmp(op, "boolean?") || !strcmp(op, "symbol?") ||
      !strcmp(op, "vector?") || !strcmp(op, "string?") ||
      !strcmp(op, "pair?") || !strcmp(op, "null?") || !strcmp(op, "procedure?")) {
    tkind k = ir_kind(b->ir, e->a[0]->type);
    if (k == T_DYN) return kind_test(b, op, a[0]);
    tkind want = !strcmp(op, "pair?") ? T_PAIR : !strcmp(op, "null?") ? T_NIL
               : !strcmp(op, "procedure?") ? T_PROC
               : op[0] == 'i' || op[0] == 'n' ? T_INT : op[0] == 'b' ? T_BOOL
               : op[1] == 'y' ? T_SYM : op[0] == 'v' ? T_VEC : T_STR;
    return mx_const(b, k == want);
  }
  if (!strcmp(op, "logand") || !strcmp(op, "logior") || !strcmp(op, "logxor")) {
    /* 'a', 'o' or 'x' as bitwise() names them (op[3] of "logior" is 'i') */
    char kind = op[3] == 'a' ? 'a' : op[3] == 'i' ? 'o' : 'x';
    if (n == 0) return mx_const(b, kind == 'a' ? -1 : 0);
    cval r = a[0];
    for (int i = 1; i < n; i++) r = bitwise(b, kind, r, a[i]);
    return r;
  }
  if (!strcmp(op, "lognot")) {
    return cv(gf_addk(gg, gf_scale(gg, a[0].f, -1), -1), -a[0].hi - 1, -a[0].lo - 1);
  }
  if (!strcmp(op, "ash")) {
    double k;
    if (is_const(a[1], &k) && k > 31) {
      /* only 0 fits shifted that far */
      int site = mb_site(b, "overflow", e->loc, "integer overflow: the result of ash "
                                                "does not fit in 32 bits");
      mx_vflag(b, not1(b, gf_gate(gg, gg_eqk(gg, "ash of 0", a[0].f, 0))), site, e, "ash");
      return mx_const(b, 0);
    }
    if (is_const(a[1], &k) && k < -31) {
      gform ng = step_of(b, "negative", gf_scale(gg, clamp_int(b, a[0]).f, -1));
      return cv(gf_scale(gg, ng, -1), -1, 0);
    }
    if (!is_const(a[1], &k)) return ash_var(b, a[0], a[1], e->loc, e);
    if (k >= 0) return mul(b, a[0], mx_const(b, ldexp(1, (int)k)), e->loc);
    /* floor division by 2^-k: shift |x| + (2^-k - 1) for negatives */
    double p = ldexp(1, (int)-k);
    cval ax, uq, ur;
    gform ng;
    abs_sign(b, clamp_int(b, a[0]), &ax, &ng);
    cval y = cv(gf_axpy(gg, ax.f, p - 1, ng), ax.lo, ax.hi + p - 1);
    udiv(b, y, mx_const(b, p), &uq, &ur);
    return select_val(b, ng, cv(gf_scale(gg, uq.f, -1), -uq.hi, -uq.lo), uq);
  }
  mb_fail(b, "%s is not supported in compiled code yet (run it with "
             "--reference)", op);
  return mx_const(b, 0);
}

/* ---- vectors and tables --------------------------------------------- */

/* Every element of a vector has been written (make-vector fills them, the
 * prompt writes them all), so a read is its length, for the bounds
 * check, and the element itself. */
static cval vref(mb *b, const ir_expr *e) {
  gate_graph *gg = G(b);
  operands_first(b, e);
  cval v = mx_expr(b, e->a[0]);
  cval i = clamp_int(b, mx_expr(b, e->a[1]));
  gform w0, w2;
  cval len = mx_read_dyn(b, v, &w0, 0, ADDR_MAX, "vector length");
  double lo = mx_kind_lo(b, e->type), hi = mx_kind_hi(b, e->type);
  cval at = cv(gf_addk(gg, gf_add(gg, v.f, i.f), 2), v.lo + i.lo + 2, v.hi + i.hi + 2);
  cval elem = mx_read_dyn(b, at, &w2, lo, hi, "vector element");
  gform bad = gf_add(gg, step_of(b, "index < 0", gf_scale(gg, i.f, -1)),
                     step_of(b, "index >= length", gf_addk(gg, gf_axpy(gg, i.f, -1, len.f), 1)));
  mx_bounds_flag(b, bad, "vector-ref", e->a[1]->loc, i, len, e, "bounds");
  return elem;
}

static cval table(mb *b, const ir_expr *e) {
  gate_graph *gg = G(b);
  const table_layout *tl = NULL;
  for (int t = 0; t < b->p->tables.n; t++)
    if (b->p->tables.v[t].table == e->table) tl = &b->p->tables.v[t];
  if (!tl) {
    mb_fail(b, "internal error: table without a layout");
    return mx_const(b, 0);
  }
  const table_def *td = e->table->table;
  bool tagged = machine_table_tagged(td);
  bool vecs = false, mixed_keys = false;
  for (int i = 0; i < td->n; i++) {
    vecs |= td->vals[i].kind == VK_VEC;
    mixed_keys |= td->keys[i].kind != td->keys[0].kind;
  }
  bool dyn_key = ir_kind(b->ir, e->a[0]->type) == T_DYN;
  if ((dyn_key && (mixed_keys || td->n == 0)) || (tagged && vecs)) {
    mb_fail(b, "a table whose keys, or values with vectors among them, are of "
               "several kinds is not compiled yet");
    return mx_const(b, 0);
  }
  /* cells of a table whose values are of one kind hold plain values:
   * where the lookup meets other kinds, the value gets its tag */
  tkind boxed = ir_kind(b->ir, e->type) == T_DYN && !tagged && td->n > 0
                    ? machine_value_kind(td->vals[0]) : T_ANY;
  cval key = mx_expr(b, e->a[0]);
  gform keyok = gf_const(gg, 1);
  if (dyn_key) {
    /* a tagged key of another kind than the table's keys is no key of it */
    tkind kk = machine_value_kind(td->keys[0]);
    keyok = is_tag(b, key, dyn_tag(kk));
    key = unbox(b, key, kk);
  }
  gform inr = and2(b, keyok, mx_in_range(b, key, tl->kmin, tl->kmax));
  cval at = cv(gf_addk(gg, key.f, tl->base - (double)tl->kmin),
               key.lo + tl->base - tl->kmin, key.hi + tl->base - tl->kmin);
  gform w;
  double lo = mx_kind_lo(b, e->type), hi = mx_kind_hi(b, e->type);
  char label[80];
  snprintf(label, sizeof label, "%s[key]", sym_name(&b->p->w->syms, e->table->name));
  cval v = mx_read_dyn(b, at, &w, lo, hi, label);
  gform hit = gf_gate(gg, gg_eqk(gg, "key present", gf_axpy(gg, w, -1, at.f), 0));
  gform found = and2(b, inr, hit);
  if (td->has_default) {
    value d = td->dflt;
    double dv = d.kind == VK_SYM ? 0 : d.i;
    if (d.kind == VK_SYM)
      for (int s = 0; s < b->p->syms.n; s++)
        if (b->p->syms.v[s] == d.i) dv = s + 2;
    if (tagged) dv += dyn_base(dyn_tag(machine_value_kind(d)));
    v = select_val(b, found, v, mx_const(b, dv));
  } else {
    const char *tn = sym_name(&b->p->w->syms, e->table->name);
    int site = mb_site(b, "table", e->loc, "table %s has no entry for this key", tn);
    char *hm = mb_describe(b, "table %s has no entry for \001", tn);
    site = mb_host_site(b, site, NULL, hm, (const ir_expr *const *)e->a, 1);   /* mhostval.c */
    free(hm);   /* the site keeps its own copy */
    mx_vflag(b, not1(b, found), site, e, "table");
  }
  return boxed != T_ANY ? box(b, v, boxed) : v;
}

/* ---- dispatch ------------------------------------------------------- */

/* The most work the memo may do for one program (see mb.shape_work). */
#define SHAPE_WORK_MAX ((int64_t)1 << 24)

static void shape_too_large(mb *b) {
  mb_fail(b, "its expressions are too large: values shared by many nested "
             "conditions expand past %lld units of work; split it into "
             "smaller procedures", (long long)SHAPE_WORK_MAX);
}

/* The shape of an expression: equal shapes compute equal values within a
 * step (expressions have no side effects). */
static void shape(mb *b, const ir_expr *e, strbuf *out) {
  /* a tagged node, or a constant of another kind, computes another value */
  if (e->type >= 0 && ir_kind(b->ir, e->type) == T_DYN) sb_putc(out, 'D');
  switch (e->k) {
  case X_CONST:
    sb_printf(out, "c%d%c", (int)e->ival, e->has_nat ? "vibysvdnpcf"[e->nat] : '?');
    return;
  case X_VAR: sb_printf(out, "v%d", e->var); return;
  case X_PRIM: sb_printf(out, "(%s%s", e->op->name, e->ival ? "#" : ""); break;
  case X_TABLE: sb_printf(out, "(T%p", (void *)e->table); break;
  case X_FAIL: case X_DEPTH: case X_CHECK: case X_CXR: case X_CC: sb_printf(out, "(%d:%d", (int)e->k, (int)e->ival); break;
  default: sb_printf(out, "(%d", (int)e->k); break;
  }
  for (int i = 0; i < e->n; i++) {
    /* a value shared by the arms of many nested selects makes shapes
     * that grow exponentially: refuse the program (a truncated shape
     * could equal another one) */
    if ((int64_t)out->n > SHAPE_WORK_MAX) {
      if (!b->failed) shape_too_large(b);
      return;
    }
    sb_putc(out, ' ');
    shape(b, e->a[i], out);
  }
  sb_putc(out, ')');
}

static bool same_form(gform a, gform c) {
  if (a.n != c.n || a.k != c.k) return false;
  for (int i = 0; i < a.n; i++)
    if (a.t[i].g != c.t[i].g || a.t[i].c != c.t[i].c) return false;
  return true;
}

static cval mx_expr_raw(mb *b, const ir_expr *e);

/* A value computed unconditionally, or under the same guards, can be
 * reused: its error flags already count where they must. */
static cval mx_expr_memo(mb *b, const ir_expr *e);

/* A node of static kind in a class of tagged values gets its tag. */
cval mx_expr(mb *b, const ir_expr *e) {
  int src = mx_src_enter(b, e);
  cval v = mx_expr_memo(b, e);
  if (e->has_nat && e->nat != T_INT && ir_kind(b->ir, e->type) == T_DYN)
    v = box(b, v, e->nat);
  mx_src_leave(b, src, v);
  return v;
}

static cval mx_expr_memo(mb *b, const ir_expr *e) {
  if (e->k == X_CONST) return mx_const(b, e->ival);
  /* Ctrl-C, the memory and the time limit (base/guard.c) */
  if (!b->failed && guard_poll()) mb_fail(b, "%s", guard_message());
  if (b->failed) return mx_const(b, 0);
  strbuf key;
  sb_init(&key);
  shape(b, e, &key);
  b->shape_work += (int64_t)key.n + b->memo.n;
  if (b->shape_work > SHAPE_WORK_MAX && !b->failed) shape_too_large(b);
  if (b->failed) {
    sb_free(&key);
    return mx_const(b, 0);
  }
  for (int i = 0; i < b->memo.n; i++) {
    struct memo *m = &b->memo.v[i];
    if (strcmp(m->key, key.s)) continue;
    if (m->nguard == 0 || (m->nguard == b->nguard && same_form(m->guard, b->guard))) {
      sb_free(&key);
      mx_src_shared(b);
      return m->v;
    }
  }
  cval v = mx_expr_raw(b, e);
  struct memo m = {sb_detach(&key), v, b->nguard, b->guard};
  VEC_PUSH(b->memo, m);
  return v;
}

void mx_step_begin(mb *b) {
  for (int i = 0; i < b->memo.n; i++) free(b->memo.v[i].key);
  b->memo.n = 0;
  for (int i = 0; i < b->divs.n; i++) free(b->divs.v[i].key);
  b->divs.n = 0;
}

static cval mx_expr_raw(mb *b, const ir_expr *e) {
  gate_graph *gg = G(b);
  if (b->failed || gg->failed) return mx_const(b, 0);
  switch (e->k) {
  case X_CONST:
    return mx_const(b, e->ival);
  case X_VAR:
    return mx_read_var(b, e->var);
  case X_CHECK:
    return checked(b, e);
  case X_NOT: {
    if (ir_kind(b->ir, e->a[0]->type) == T_DYN) {
      cval x = mx_expr(b, e->a[0]);
      return cv01(not1(b, truth(b, e->a[0], x)));
    }
    if (ir_kind(b->ir, e->a[0]->type) != T_BOOL) {
      (void)mx_expr(b, e->a[0]);
      return mx_const(b, 0);
    }
    cval x = mx_expr(b, e->a[0]);
    cval r = cv(not1(b, x.f), 0, 1);
    r.clean = x.clean;
    return r;
  }
  case X_SELECT: {
    tkind ck = ir_kind(b->ir, e->a[0]->type);
    if (ck != T_BOOL && ck != T_DYN) {
      (void)mx_expr(b, e->a[0]);
      return mx_expr(b, e->a[1]);
    }
    cval c = cv01(truth(b, e->a[0], mx_expr(b, e->a[0])));
    gform save = b->guard;
    int nsave = b->nguard;
    b->guard = gf_add(gg, save, c.f);
    b->nguard = nsave + 1;
    int sel = 2 * b->nsel++;   /* the arms' path (mreport2.c) */
    if (nsave < GPATH_MAX) b->gpath[nsave] = sel;
    cval t = mx_expr(b, e->a[1]);
    b->guard = gf_add(gg, save, not1(b, c.f));
    if (nsave < GPATH_MAX) b->gpath[nsave] = sel + 1;
    cval f = mx_expr(b, e->a[2]);
    b->guard = save;
    b->nguard = nsave;
    cval r = select_val(b, c.f, t, f);
    r.clean = t.clean && f.clean;
    return r;
  }
  case X_PRIM:
    return prim(b, e);
  case X_VREF:
    return vref(b, e);
  case X_CXR:
    return cxr(b, e);
  case X_PROCID:
    return mb_proc_id(b, e);   /* mclosure.c */
  case X_CC:
    return mb_callcc_expr(b, e);   /* mcallcc.c */
  case X_VLEN: {
    cval v = mx_expr(b, e->a[0]);
    gform w;
    return mx_read_dyn(b, v, &w, 0, ADDR_MAX, "vector length");
  }
  case X_TABLE:
    return table(b, e);
  case X_SEQ:
    for (int i = 0; i + 1 < e->n; i++) (void)mx_expr(b, e->a[i]);
    return mx_expr(b, e->a[e->n - 1]);
  case X_DEPTH: {
    int fn = b->ms.v[b->cur_step].fn;
    int site = mb_depth_site(b, e->loc);
    mx_flag(b, mb_depth_flag(b, fn, b->gap[fn] + e->ival), site);
    return mx_const(b, 0);
  }
  case X_FAIL: {
    const ir_failure *x = &b->ir->failures.v[e->ival];
    int site = x->bare ? mb_printed_site(b, x->kind, e->loc, x->msg)
                       : mb_site(b, x->kind, e->loc, "%s", x->msg);
    for (int i = 0; i < b->ir->failvals.n && !x->bare; i++)   /* mhostval.c */
      if (b->ir->failvals.v[i].failure == e->ival)
        site = mb_host_site(b, site, NULL, b->ir->failvals.v[i].hmsg,
                            &b->ir->failvals.v[i].operand, 1);
    int land = mb_landing_pc(b, e);   /* a catch may take it (mcatch.c) */
    if (land >= 0) flag_report(b, gf_const(G(b), 1), land);
    else mx_flag(b, gf_const(G(b), 1), site);
    return mx_const(b, 0);
  }
  }
  return mx_const(b, 0);
}
