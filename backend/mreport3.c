/* mreport3.c - an overflowing sum named in the evaluator's words, with
 * its operands and its exact result: "integer overflow: (+ 2147483647 1)
 * is 2147483648, which does not fit in 32 bits", "(1- -2147483648) is
 * -2147483649", "(- a b c) is ...".
 *
 * As the index and division routines (mreport2.c): one routine per shape
 * of sum (1+ or 1-, two operands, three), shared by every sum of that
 * shape in the program; the failing step hands it, in error registers,
 * the site, the operands and the exact sum (at most 3 * 2^31 in
 * magnitude: exact in float64), and jumps to it instead of emitting ERR.
 * The routine prints the operands, then the sum in two numbers that fit
 * in 32 bits: its billions, trunc(R / 10^9) (never 0: an overflowing sum
 * is at least 2^31 in magnitude, so it carries the sign), and the rest,
 * |R| mod 10^9, which the host writes with 9 digits (the step's
 * `digits`).  Both are computed from the register by the routine's own
 * steps: a step unit per billion the sum can reach, and two ReLUs.
 *
 * The routine's steps are at the end of the program; a program runs them
 * only when a sum overflows (no token more otherwise).  A program whose
 * sums have operands that are all constants needs none: the compiler
 * writes the whole text (merrtext.c).
 *
 * Ownership: the steps, sites and gates belong to the builder and the
 * program, as every other step's.
 */
#include "config.h"

#include "mbuild.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static bool same_place(srcloc a, srcloc c) {
  return a.file == c.file && a.line == c.line && a.col == c.col;
}

/* The shape of a sum's message: 0 none, 1 (1+ x)/(1- x), 2 or 3
 * operands; its routine (routine_of) is per shape and operator, and
 * prints the whole text (a site with an empty message: the host does not
 * cut it as it cuts a value named in a message). */
static int sum_shape(mb *b, const ir_expr *e) {
  if (e->k != X_PRIM || e->loc.line <= 0) return 0;
  const char *op = e->op->name;
  if (strcmp(op, "+") && strcmp(op, "-")) return 0;
  if (e->n < 2 || e->n > 3) return 0;
  bool allk = true;
  for (int i = 0; i < e->n; i++) {
    if (ir_kind(b->ir, e->a[i]->type) != T_INT) return 0;
    allk &= e->a[i]->k == X_CONST;
  }
  if (allk) return 0;   /* merrtext.c */
  if (e->ival == 3 && e->n == 2) return 1;
  return e->n;
}

static const char *const routine_name[] = {NULL, NULL, "1+", "1-", "+2", "-2", "+3", "-3"};

static int routine_of(const ir_expr *e, int shape) {
  return 2 * shape + (e->op->name[0] == '-');
}

static int routine_pc(mb *b, const char *name) {
  for (int i = 0; i < b->eroutines.n; i++)
    if (!strcmp(b->eroutines.v[i].name, name)) {
      for (int r = 0; r < b->reports.n; r++)
        if (b->reports.v[r].check == b->eroutines.v[i].key) return b->reports.v[r].pc;
    }
  return -1;
}

/* ---- which shapes a program has -------------------------------------- */

typedef struct {
  const ir_expr **v;
  size_t cap, n;
} pset;

static size_t phash(const void *p, size_t cap) {
  return (size_t)(((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ull) & (cap - 1);
}

static bool pset_add(pset *s, const ir_expr *e) {
  if (2 * (s->n + 1) > s->cap) {
    pset t = {NULL, s->cap ? 2 * s->cap : 256, 0};
    t.v = xcalloc(t.cap, sizeof *t.v);
    for (size_t i = 0; i < s->cap; i++)
      if (s->v[i]) pset_add(&t, s->v[i]);
    free(s->v);
    *s = t;
  }
  size_t i = phash(e, s->cap);
  while (s->v[i]) {
    if (s->v[i] == e) return false;
    i = (i + 1) & (s->cap - 1);
  }
  s->v[i] = e;
  s->n++;
  return true;
}

static void find_sums(mb *b, const ir_expr *e, pset *seen, srcloc *where) {
  if (!e || !pset_add(seen, e)) return;
  int s = sum_shape(b, e);
  if (s && where[routine_of(e, s)].line <= 0) where[routine_of(e, s)] = e->loc;
  for (int i = 0; i < e->n; i++) find_sums(b, e->a[i], seen, where);
}

/* ---- the routines --------------------------------------------------- */

static void out_reg(mb *b, int fn, srcloc loc, int reg, int mode, ir_expr *key) {
  mstmt *m = mb_step(b, M_OUTINT, fn, loc);
  if (key) m->report_of = key;
  m->sp = SP_ERRREG;
  m->konst = reg | mode << 4;
  m->val = mb_int_const(b, 0);   /* not read: SP_ERRREG */
  m->what = mb_describe(b, "overflow error: print %s of register %d, from the failing step",
                        mode == 1 ? "the billions" : mode == 2 ? "the rest" : "the value", reg);
}

static void out_text(mb *b, int fn, srcloc loc, const char *s) {
  mstmt *m = mb_step(b, M_OUTSTR, fn, loc);
  m->konst = mb_str_const(b, s);
  m->what = mb_describe(b, "overflow error: text");
}

static void build_sum_routine(mb *b, int ri, srcloc loc) {
  int shape = ri / 2;
  const char *op = routine_name[ri];
  int fn = b->ir->main_fn;
  int start = b->ms.n;
  ir_expr *key = mb_mkx(b, X_CONST, mb_int_type(b), 0);
  struct report r = {key, -1, NULL, "routine"};
  VEC_PUSH(b->reports, r);
  struct eroutine er = {op, -1, key};
  VEC_PUSH(b->eroutines, er);
  int nops = shape == 1 ? 1 : shape;
  mstmt *m = mb_step(b, M_OUTSTR, fn, loc);
  m->report_of = key;
  m->konst = mb_str_const(b, mb_describe(b, "integer overflow: (%s", shape == 1 ? op : (op[0] == '+' ? "+" : "-")));
  m->what = mb_describe(b, "overflow error: text");
  for (int i = 1; i <= nops; i++) {
    out_text(b, fn, loc, " ");
    out_reg(b, fn, loc, i, 0, NULL);
  }
  out_text(b, fn, loc, ") is ");
  out_reg(b, fn, loc, nops + 1, 1, NULL);
  out_reg(b, fn, loc, nops + 1, 2, NULL);
  out_text(b, fn, loc, ", which does not fit in 32 bits");
  m = mb_step(b, M_EVAL, fn, loc);
  m->sp = SP_ERRREG;
  m->what = mb_describe(b, "overflow error: stop at the site of the failing step");
  for (int i = start; i < b->ms.n; i++) b->ms.v[i].errval = true;
}

void mb_build_sum_routines(mb *b) {
  pset seen = {NULL, 0, 0};
  srcloc where[8] = {{0}};
  int n = b->ms.n;
  for (int s = 0; s < n; s++) {
    const mstmt *m = &b->ms.v[s];
    if (m->errval) continue;
    find_sums(b, m->val, &seen, where);
    find_sums(b, m->x1, &seen, where);
    find_sums(b, m->x2, &seen, where);
  }
  free(seen.v);
  for (int r = 2; r < 8 && !b->failed; r++)
    if (where[r].line > 0) build_sum_routine(b, r, where[r]);
}

/* ---- the checks ----------------------------------------------------- */

/* The site of a message a routine's text follows, one per place. */
static int printed_site(mb *b, srcloc loc, const char *kind, const char *msg) {
  for (int i = 0; i < b->p->sites.n; i++) {
    const err_site *e = &b->p->sites.v[i];
    if (e->value_follows && e->value_bare && !strcmp(e->msg, msg) && !strcmp(e->kind, kind) &&
        same_place(e->loc, loc))
      return i;
  }
  return mb_printed_site(b, kind, loc, msg);
}

bool mx_sum_flag(mb *b, cval r, const cval *a, int n, const ir_expr *e) {
  int shape = sum_shape(b, e);
  if (!shape) return false;
  int pc = routine_pc(b, routine_name[routine_of(e, shape)]);
  if (pc < 0) return false;
  gate_graph *gg = b->gg;
  if (r.lo >= INT32_MIN && r.hi <= INT32_MAX) return true;
  gform out = gf_axpy(gg, gf_const(gg, 1), -1, mx_in_range(b, r, INT32_MIN, INT32_MAX));
  int site = printed_site(b, e->loc, "overflow", "");
  int nops = shape == 1 ? 1 : n;
  eflag f = {.flag = out, .site = -1, .guard = b->guard, .nguard = b->nguard,
             .jump = pc + 1, .npay = nops + 2};
  memcpy(f.gpath, b->gpath, sizeof f.gpath);
  f.pay[0] = gf_const(gg, site);
  for (int i = 0; i < nops; i++) f.pay[1 + i] = a[i].f;
  f.pay[nops + 1] = r.f;
  VEC_PUSH(b->flags, f);
  return true;
}

/* ---- the routine's numbers ------------------------------------------ */

/* A register's value v (in [lo, hi], an integer) as the routine prints
 * it: mode 1 its billions trunc(v / 10^9), mode 2 |v| mod 10^9. */
gform mb_ereg_digits(mb *b, gform v, int mode, double lo, double hi) {
  gate_graph *gg = b->gg;
  const double G = 1e9;
  int J = (int)ceil(fmax(fabs(lo), fabs(hi)) / G);
  if (J > 64) J = 64;
  gform k = gf_const(gg, 0);
  for (int j = 1; j <= J; j++) {
    /* [v >= j 10^9] - [v <= -j 10^9] */
    k = gf_add(gg, k, gf_gate(gg, gg_step(gg, "billions", gf_addk(gg, v, 1 - j * G))));
    k = gf_axpy(gg, k, -1,
                gf_gate(gg, gg_step(gg, "billions", gf_addk(gg, gf_scale(gg, v, -1), 1 - j * G))));
  }
  if (mode == 1) return k;
  gform d = gf_axpy(gg, v, -G, k);   /* v - 10^9 k, in (-10^9, 10^9) */
  return gf_add(gg, gf_gate(gg, gg_relu(gg, "rest", d)),
                gf_gate(gg, gg_relu(gg, "rest", gf_scale(gg, d, -1))));
}
