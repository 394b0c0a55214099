/* mreport3.c - errors that name integers, in the evaluator's words: an
 * overflowing sum with its operands and exact result, "integer overflow:
 * (+ 2147483647 1) is 2147483648, which does not fit in 32 bits", "(1-
 * -2147483648) is -2147483649".
 *
 * As the index and division routines (mreport2.c), one routine per
 * program, shared by every such check: the failing step hands it, in
 * error registers, the site and four numbers, and jumps to it instead of
 * emitting ERR.  The routine prints registers 1 to 3 and register 4 less
 * 10^9 times register 3, then stops at the site of register 0.  The
 * site's message holds bytes 1 to 4 where the host puts the four printed
 * integers (err_site.value_slots; a message leaves out those it does not
 * name).  A sum (at most 2^32 in magnitude: exact in float64) hands its
 * two operands (or its one, for 1+ and 1-), its billions trunc(R/10^9)
 * (never 0: an overflowing sum is at least 2^31 in magnitude, so they
 * carry the sign) and R itself: the last number printed is R's rest,
 * which the host writes as 9 digits without a sign (mstep_info.digits).
 * The billions are a step unit per billion the sum can reach, computed
 * at the failing step beside its overflow test.
 *
 * The routine's five steps are at the end of the program; a program runs
 * them only when a check fails (no token more otherwise), and pays their
 * slots, the two heads of mreport2.c and a unit per register and check.
 * A sum whose operands are all constants needs none: the compiler writes
 * the whole text (merrtext.c).
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

/* The shape of a sum's message: 0 none, 1 (1+ x)/(1- x), 2 (a b).  A
 * sum of three operands or more keeps the text without its values ("the
 * result of + does not fit in 32 bits"). */
static int sum_shape(mb *b, const ir_expr *e) {
  if (e->k != X_PRIM || e->loc.line <= 0) return 0;
  const char *op = e->op->name;
  if (strcmp(op, "+") && strcmp(op, "-")) return 0;
  if (e->n != 2) return 0;
  bool allk = true;
  for (int i = 0; i < e->n; i++) {
    if (ir_kind(b->ir, e->a[i]->type) != T_INT) return 0;
    allk &= e->a[i]->k == X_CONST;
  }
  if (allk) return 0;   /* merrtext.c */
  if (e->ival == 3 && e->n == 2) return 1;
  return e->n;
}

static const char ROUTINE[] = "values";

/* Measured with --milp 0 on stdlib/examples (procedures with a sum whose
 * operands are not constants): layers and tokens the same; d_model +8%
 * to +58% (fib 67 -> 86, queens free? 60 -> 95, sudoku solve 211 ->
 * 254), FFN units +5% to +40%: the routine's five steps, the two heads,
 * and per check the register units and the billions' steps.  Off (0:
 * the texts without values, "the result of + does not fit in 32 bits")
 * until that width is judged worth it: on, it changes the shapes that 12
 * golden transcripts pin (tests/golden), and tests/errtext/KNOWN loses
 * its sums of run-time operands. */
enum { SUM_ROUTINE = 0 };

static int routine_pc(mb *b, const char *name) {
  for (int i = 0; i < b->eroutines.n; i++)
    if (!strcmp(b->eroutines.v[i].name, name)) {
      for (int r = 0; r < b->reports.n; r++)
        if (b->reports.v[r].check == b->eroutines.v[i].key) return b->reports.v[r].pc;
    }
  return -1;
}

/* ---- which shapes a program has -------------------------------------- */

static void find_sums(mb *b, const ir_expr *e, mb_exprset *seen, srcloc *where) {
  if (!e || !mb_exprset_add(seen, e)) return;
  if (sum_shape(b, e) && where->line <= 0) *where = e->loc;
  for (int i = 0; i < e->n; i++) find_sums(b, e->a[i], seen, where);
}

/* ---- the routines --------------------------------------------------- */

static void out_reg(mb *b, int fn, srcloc loc, int reg, ir_expr *key) {
  mstmt *m = mb_step(b, M_OUTINT, fn, loc);
  if (key) m->report_of = key;
  m->sp = SP_ERRREG;
  m->konst = reg | (reg == 4) << 4;
  m->val = mb_int_const(b, 0);   /* not read: SP_ERRREG */
  m->what = mb_describe(b, "value error: print %s %d, from the failing step",
                        reg == 4 ? "the rest of register" : "register", reg);
}

static void build_routine(mb *b, srcloc loc) {
  int fn = b->ir->main_fn;
  int start = b->ms.n;
  ir_expr *key = mb_mkx(b, X_CONST, mb_int_type(b), 0);
  struct report r = {key, -1, NULL, "routine"};
  VEC_PUSH(b->reports, r);
  struct eroutine er = {ROUTINE, -1, key};
  VEC_PUSH(b->eroutines, er);
  for (int i = 1; i <= 4; i++) out_reg(b, fn, loc, i, i == 1 ? key : NULL);
  mstmt *m = mb_step(b, M_EVAL, fn, loc);
  m->sp = SP_ERRREG;
  m->what = mb_describe(b, "value error: stop at the site of the failing step");
  for (int i = start; i < b->ms.n; i++) b->ms.v[i].errval = true;
}

void mb_build_sum_routines(mb *b) {
  mb_exprset seen = {NULL, 0, 0};
  srcloc where = {0};
  int n = b->ms.n;
  for (int s = 0; s < n; s++) {
    const mstmt *m = &b->ms.v[s];
    if (m->errval) continue;
    find_sums(b, m->val, &seen, &where);
    find_sums(b, m->x1, &seen, &where);
    find_sums(b, m->x2, &seen, &where);
  }
  free(seen.v);
  if (where.line > 0 && !b->failed && SUM_ROUTINE) build_routine(b, where);
}

/* ---- the checks ----------------------------------------------------- */

/* The site of a message with value slots, one per place and text. */
static int slots_site(mb *b, srcloc loc, const char *kind, const char *msg) {
  for (int i = 0; i < b->p->sites.n; i++) {
    const err_site *e = &b->p->sites.v[i];
    if (e->value_slots && !strcmp(e->msg, msg) && !strcmp(e->kind, kind) &&
        same_place(e->loc, loc))
      return i;
  }
  int s = mb_printed_site(b, kind, loc, msg);
  b->p->sites.v[s].value_slots = true;
  return s;
}

bool mx_sum_flag(mb *b, cval r, const cval *a, int n, const ir_expr *e) {
  int shape = sum_shape(b, e);
  if (!shape || n != 2 || !SUM_ROUTINE) return false;
  int pc = routine_pc(b, ROUTINE);
  if (pc < 0) return false;
  gate_graph *gg = b->gg;
  if (r.lo >= INT32_MIN && r.hi <= INT32_MAX) return true;
  /* the overflow test's two steps (mx_in_range's) give the billions'
   * sign: trunc(r / 10^9) is 2 with r's sign, and one more per billion
   * from 3 where r can reach it (not for (+ i 1)) */
  const double G = 1e9;
  gform below = gf_const(gg, 0), above = gf_const(gg, 0);
  if (r.lo < INT32_MIN)
    below = gf_axpy(gg, gf_const(gg, 1), -1,
                    gf_gate(gg, gg_step(gg, ">= lo", gf_addk(gg, r.f, -(double)INT32_MIN + 1))));
  if (r.hi > INT32_MAX)
    above = gf_gate(gg, gg_step(gg, "> hi", gf_addk(gg, r.f, -(double)INT32_MAX)));
  gform out = gf_add(gg, below, above);
  gform k = gf_scale(gg, gf_axpy(gg, above, -1, below), 2);
  for (int j = 3; j * G <= r.hi; j++)
    k = gf_add(gg, k, gf_gate(gg, gg_step(gg, "billions", gf_addk(gg, r.f, 1 - j * G))));
  for (int j = 3; -j * G >= r.lo; j++)
    k = gf_axpy(gg, k, -1,
                gf_gate(gg, gg_step(gg, "billions", gf_addk(gg, gf_scale(gg, r.f, -1), 1 - j * G))));
  char msg[96];
  if (e->ival == 3)
    snprintf(msg, sizeof msg, "integer overflow: (1%c \001) is \003\004, which does not fit in 32 bits",
             e->op->name[0]);
  else
    snprintf(msg, sizeof msg, "integer overflow: (%c \001 \002) is \003\004, which does not fit in 32 bits",
             e->op->name[0]);
  int site = slots_site(b, e->loc, "overflow", msg);
  eflag f = {.flag = out, .site = -1, .guard = b->guard, .nguard = b->nguard,
             .jump = pc + 1, .npay = 5};
  memcpy(f.gpath, b->gpath, sizeof f.gpath);
  f.pay[0] = gf_const(gg, site);
  f.pay[1] = a[0].f;
  f.pay[2] = a[1].f;
  f.pay[3] = k;
  f.pay[4] = r.f;
  VEC_PUSH(b->flags, f);
  return true;
}

/* ---- the routine's last number -------------------------------------- */

/* Register 4 less 10^9 times register 3: the rest of a sum below its
 * billions, in (-10^9, 10^9), which the host prints without its sign. */
gform mb_ereg_rest(mb *b, int reg) {
  gate_graph *gg = b->gg;
  return gf_axpy(gg, gf_gate(gg, gg_hout(gg, reg, 4)), -1e9, gf_gate(gg, gg_hout(gg, reg, 3)));
}
