/* mreport2.c - an index out of range named in the evaluator's words,
 * "vector-ref: index 6 is out of range for a vector of length 2", at the
 * cost of a few units per check: one report routine per program and
 * procedure name, shared by every check, and values handed to it in the
 * residual stream rather than by steps.
 *
 * The failing step computed the index and the length for its check.  Its
 * first raised flag's unit (1 exactly when that flag is the step's first
 * error, machine.c build_output) times each value is summed into an
 * *error register* (a residual slot: the site, the index, the length),
 * and the step emits `JUMP routine` instead of `ERR`.  The routine reads
 * the registers back from the failing position with two heads that only
 * programs with such checks have:
 *
 *   - the error anchor: all keys equal, the latest `JUMP` whose target
 *     is a routine's first step wins (the mask hides every other token);
 *     its value is the ring place of the position before it, where the
 *     failing step ran (the input feature p-1 mod ring);
 *   - the error registers: keys (2r, -r^2) of the ring place r of every
 *     position, query (that place, 1): the failing position, whose
 *     registers it returns, however many tokens the routine has emitted
 *     since (its own `JUMP`s target other steps).
 *
 * The routine writes the registers to temporaries (three steps), prints
 * the message with the ordinary output steps marked `errval`, and stops
 * at the site the first register names (SP_FAILV), a site whose text is
 * what was printed (docs/trace-format.md, "Kind errors name the value").
 * So the checks cost no step, and a program pays the routine's steps,
 * two heads and three registers once.
 *
 * Measured with --milp 0 on stdlib/examples (the sum of the weights of
 * every program): hungarian +2.6%, sudoku +9.4%, queens +11.3%, sieve
 * +15.2%, insertion-sort +19.8%, the others (no vectors) 0; tokens the
 * same.  Most of it is the routine's four steps (each step a one-hot
 * slot live to the output layer, d_model +5 for sieve); the registers
 * and heads are the rest.  Report steps per check (mvreport.c's way)
 * took queens from 1.6M to 4.5M weights.
 *
 * Ownership: the steps, sites and gates belong to the builder and the
 * program, as every other step's.
 */
#include "config.h"

#include "mbuild.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool same_place(srcloc a, srcloc c) {
  return a.file == c.file && a.line == c.line && a.col == c.col;
}

/* ---- which checks a program has ------------------------------------- */

/* A vector-ref the program wrote (not one of the lowering's loops, whose
 * indexes are in range by construction: placed at the call itself). */
static bool user_vref(const ir_expr *e) {
  return e->k == X_VREF && e->loc.line > 0 && !same_place(e->a[1]->loc, e->loc);
}

/* A quotient, remainder or modulo whose divisor may be 0. */
static bool division(const ir_expr *e) {
  if (e->k != X_PRIM || e->n != 2 || e->loc.line <= 0) return false;
  const char *op = e->op->name;
  if (strcmp(op, "quotient") && strcmp(op, "remainder") && strcmp(op, "modulo")) return false;
  const ir_expr *d = e->a[1];
  return !(d->k == X_CONST && d->has_nat && d->nat == T_INT && d->ival != 0);
}

static void find_checks(const ir_expr *e, mb_exprset *seen, const ir_expr **vref,
                        const ir_expr **div) {
  if (!e || !mb_exprset_add(seen, e)) return;
  if (!*vref && user_vref(e)) *vref = e;
  if (!*div && division(e)) *div = e;
  for (int i = 0; i < e->n; i++) find_checks(e->a[i], seen, vref, div);
}

/* ---- the routines --------------------------------------------------- */

static int routine_pc(mb *b, const char *name) {
  for (int i = 0; i < b->eroutines.n; i++)
    if (!strcmp(b->eroutines.v[i].name, name)) {
      for (int r = 0; r < b->reports.n; r++)
        if (b->reports.v[r].check == b->eroutines.v[i].key) return b->reports.v[r].pc;
    }
  return -1;
}

/* The routine: the index, the text, the length, and the stop at the
 * site in register 0, whose message ("vector-ref: index") the printed
 * text follows.  The integers are printed without the PRINT marker that
 * display puts first (decoding needs none: the step prints), and always
 * written long (HI VAL JUMP, which any value may be): no unit tests
 * whether they fit one token, which would deepen the model. */
static void build_routine(mb *b, srcloc loc) {
  int fn = b->ir->main_fn;
  int start = b->ms.n;
  ir_expr *key = mb_mkx(b, X_CONST, mb_int_type(b), 0);
  struct report r = {key, -1, NULL, "routine"};
  VEC_PUSH(b->reports, r);
  struct eroutine er = {"index", -1, key};
  VEC_PUSH(b->eroutines, er);
  for (int k = 1; k <= 2; k++) {
    mstmt *m = mb_step(b, M_OUTINT, fn, loc);
    if (k == 1) m->report_of = key;
    m->sp = SP_ERRREG;
    m->konst = k;
    m->val = mb_int_const(b, 0);   /* not read: SP_ERRREG */
    m->what = mb_describe(b, "index error: print %s, from the failing step",
                          k == 1 ? "the index" : "the length");
    if (k == 1) {
      m = mb_step(b, M_OUTSTR, fn, loc);
      m->konst = mb_str_const(b, " is out of range for a vector of length ");
      m->what = mb_describe(b, "index error: text");
    }
  }
  mstmt *m = mb_step(b, M_EVAL, fn, loc);
  m->sp = SP_ERRREG;
  m->what = mb_describe(b, "index error: stop at the site of the failing step");
  for (int i = start; i < b->ms.n; i++) b->ms.v[i].errval = true;
}

/* The division routine: the dividend, " 0)", and the stop at the site
 * in register 0, whose message is "division by zero: (quotient". */
static void build_div_routine(mb *b, srcloc loc) {
  int fn = b->ir->main_fn;
  int start = b->ms.n;
  ir_expr *key = mb_mkx(b, X_CONST, mb_int_type(b), 0);
  struct report r = {key, -1, NULL, "routine"};
  VEC_PUSH(b->reports, r);
  struct eroutine er = {"division", -1, key};
  VEC_PUSH(b->eroutines, er);
  mstmt *m = mb_step(b, M_OUTINT, fn, loc);
  m->report_of = key;
  m->sp = SP_ERRREG;
  m->konst = 1;
  m->val = mb_int_const(b, 0);   /* not read: SP_ERRREG */
  m->what = mb_describe(b, "division error: print the dividend, from the failing step");
  m = mb_step(b, M_OUTSTR, fn, loc);
  m->konst = mb_str_const(b, " 0)");
  m->what = mb_describe(b, "division error: text");
  m = mb_step(b, M_EVAL, fn, loc);
  m->sp = SP_ERRREG;
  m->what = mb_describe(b, "division error: stop at the site of the failing step");
  for (int i = start; i < b->ms.n; i++) b->ms.v[i].errval = true;
}

void mb_build_routines(mb *b) {
  mb_exprset seen = {NULL, 0, 0};
  const ir_expr *vref = NULL, *div = NULL;
  const mstmt *vset = NULL;
  int n = b->ms.n;
  for (int s = 0; s < n; s++) {
    const mstmt *m = &b->ms.v[s];
    if (m->errval) continue;
    find_checks(m->val, &seen, &vref, &div);
    find_checks(m->x1, &seen, &vref, &div);
    find_checks(m->x2, &seen, &vref, &div);
    if (!vset && m->sp == SP_VSET_ADDR && m->x1 && !same_place(m->x1->loc, m->loc)) vset = m;
  }
  free(seen.v);
  if (vref || vset) build_routine(b, vref ? vref->loc : vset->loc);
  if (div && !b->failed) build_div_routine(b, div->loc);
  if (!b->failed) mb_build_sum_routines(b);   /* mreport3.c */
}

/* The flag of the routine's last step: an error at the site that
 * register 0 names (its form is set by mb_build_eregs). */
void mx_ereg_fail(mb *b) {
  eflag e = {.flag = gf_const(b->gg, 1), .site = -1, .guard = b->guard, .nguard = b->nguard,
             .sitef = gf_const(b->gg, 0), .has_sitef = true};
  VEC_PUSH(b->flags, e);
}

/* ---- the checks ----------------------------------------------------- */

/* Whether f's arm encloses g's (then when g's guards hold, so do f's,
 * and f's flag is exact), and whether they are in two arms of one
 * select (never both taken). */
static bool encloses(const eflag *f, const eflag *g) {
  if (f->nguard > g->nguard || g->nguard > GPATH_MAX) return false;
  for (int i = 0; i < f->nguard; i++)
    if (f->gpath[i] != g->gpath[i]) return false;
  return true;
}

static bool exclusive(const eflag *f, const eflag *g) {
  for (int i = 0; i < f->nguard && i < g->nguard && i < GPATH_MAX; i++)
    if (f->gpath[i] != g->gpath[i]) return f->gpath[i] / 2 == g->gpath[i] / 2;
  return false;
}

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

void mx_bounds_flag(mb *b, gform bad, const char *op, srcloc loc, cval idx, cval len,
                    const ir_expr *node, const char *vk) {
  double k;
  if (gf_is_const(bad, &k) && k == 0) return;
  if (node->k == X_VREF && mx_catch_flag(b, bad, node)) return;   /* mcatch.c */
  int pc = routine_pc(b, "index");
  bool own = node->k == X_VREF && !user_vref(node);
  if (pc < 0 || own) {
    int site = mb_site(b, "bounds", loc, "%s: the index is out of range", op);
    mx_vflag(b, bad, site, node, vk);
    return;
  }
  char msg[64];
  snprintf(msg, sizeof msg, "%s: index", op);
  int site = printed_site(b, loc, "bounds", msg);
  eflag e = {.flag = bad, .site = -1, .guard = b->guard, .nguard = b->nguard,
             .jump = pc + 1, .npay = 3};
  memcpy(e.gpath, b->gpath, sizeof e.gpath);
  e.pay[0] = gf_const(b->gg, site);
  e.pay[1] = idx.f;
  e.pay[2] = len.f;
  VEC_PUSH(b->flags, e);
}

bool mx_div_flag(mb *b, gform zero, const char *op, srcloc loc, cval dividend) {
  int pc = routine_pc(b, "division");
  if (pc < 0) return false;
  double k;
  if (gf_is_const(zero, &k) && k == 0) return true;
  char msg[64];
  snprintf(msg, sizeof msg, "division by zero: (%s", op);
  int site = printed_site(b, loc, "division", msg);
  eflag e = {.flag = zero, .site = -1, .guard = b->guard, .nguard = b->nguard,
             .jump = pc + 1, .npay = 2};
  memcpy(e.gpath, b->gpath, sizeof e.gpath);
  e.pay[0] = gf_const(b->gg, site);
  e.pay[1] = dividend.f;
  VEC_PUSH(b->flags, e);
  return true;
}

/* ---- the registers and their heads ---------------------------------- */

#define GARBAGE 17592186044416.0   /* 2^44, as machine.c's GARBAGE_GATE */

/* The registers: per flag with values, one unit per register,
 *   relu(flag + 4 (guard - nguard) + G (C - 1) + G (nrm - 1)
 *        - 4 (the flags with values before it in the step))
 * times the value: machine.c's guarded flag, computed in the same layer
 * as it (so reading the registers back deepens nothing), leaving out
 * the earlier flags of other kinds (a step whose first error is another
 * does not jump to the routine: its registers are never read), so that
 * the registers hold the values of the step's first error.  An earlier
 * flag with values in the other arm of a select is 0 here by its own
 * guards and is left out; one whose arm encloses this one's is exact
 * where this one counts; any other (an arm before this one, which may
 * be garbage where this one counts) is guarded by a unit of its own
 * first, a layer deeper. */
void mb_build_eregs(mb *b) {
  gate_graph *gg = b->gg;
  int npc = b->p->npc;
  bool any = false;
  for (int s = 0; s < npc; s++)
    if (b->ms.v[s].sp == SP_ERRREG) any = true;
  if (!any) return;
  gform vals[EREG_MAX];
  double lo[EREG_MAX], hi[EREG_MAX];
  int nunits = 0;
  for (int k = 0; k < EREG_MAX; k++) {
    VEC(gunit) us = {0};
    for (int s = 0; s < npc; s++) {
      gform C = mb_onehot(b, s);
      const eflag *fl = b->step_flags[s].v;
      for (int i = 0; i < b->step_flags[s].n; i++) {
        if (fl[i].npay <= k) continue;
        gform arg = gf_add(gg, fl[i].flag,
                           gf_scale(gg, gf_addk(gg, fl[i].guard, -(double)fl[i].nguard), 4));
        arg = gf_add(gg, arg, gf_scale(gg, gf_addk(gg, gf_add(gg, C, b->nrm), -2), GARBAGE));
        for (int j = 0; j < i; j++) {
          if (!fl[j].npay || exclusive(&fl[j], &fl[i])) continue;
          if (encloses(&fl[j], &fl[i])) {
            arg = gf_axpy(gg, arg, -4, fl[j].flag);
            continue;
          }
          /* its flag may be garbage where this one counts: guarded */
          gform ga = gf_add(gg, fl[j].flag,
                            gf_scale(gg, gf_addk(gg, fl[j].guard, -(double)fl[j].nguard), 4));
          ga = gf_add(gg, ga, gf_scale(gg, gf_addk(gg, C, -1), GARBAGE));
          gunit gu = {1, ga, gf_const(gg, 1)};
          arg = gf_axpy(gg, arg, -4, gf_gate(gg, gg_ffn(gg, "guarded error", &gu, 1, 0, 2)));
        }
        gunit u = {1, arg, fl[i].pay[k]};
        VEC_PUSH(us, u);
      }
    }
    nunits += us.n;
    char name[32];
    snprintf(name, sizeof name, "error register %d", k);
    if (us.n) {
      int g = gg_ffn(gg, name, us.v, us.n, 1, 0);   /* range derived */
      lo[k] = gg->g.v[g].lo;
      hi[k] = gg->g.v[g].hi;
      vals[k] = gf_gate(gg, g);
    } else {
      lo[k] = hi[k] = 0;
      vals[k] = gf_const(gg, 0);
    }
    VEC_FREE(us);
  }
  int reg = -1;
  if (nunits) {
    /* the anchor: the latest JUMP to a routine; mask 1 - sum [target == pc] */
    gform x = gf_gate(gg, b->g_jval);
    VEC(gunit) mu = {0};
    gunit one = {1, gf_const(gg, 1), gf_const(gg, 1)};
    VEC_PUSH(mu, one);
    for (int r = 0; r < b->eroutines.n; r++) {
      int pc = routine_pc(b, b->eroutines.v[r].name);
      if (pc < 0) continue;
      gunit t1 = {-1, gf_addk(gg, x, 1 - (double)pc), gf_const(gg, 1)};
      gunit t2 = {2, gf_addk(gg, x, -(double)pc), gf_const(gg, 1)};
      gunit t3 = {-1, gf_addk(gg, x, -1 - (double)pc), gf_const(gg, 1)};
      VEC_PUSH(mu, t1);
      VEC_PUSH(mu, t2);
      VEC_PUSH(mu, t3);
    }
    /* exact on the integer target (a triangle per routine, which are at
     * least one PC apart): 0 or 1 */
    int mask = gg_ffn_proven(gg, "not a jump to an error routine", mu.v, mu.n, 0, 1);
    VEC_FREE(mu);
    gform av[1] = {gf_gate(gg, b->g_ring1)};
    double alo[1] = {-1}, ahi[1] = {POS_RING_N - 1};
    int anchor = gg_head(gg, "error anchor", gf_const(gg, 0), gf_const(gg, 0), gf_const(gg, 0),
                         gf_const(gg, 0), mask, TIE_LATEST, av, 1, alo, ahi);
    gform kx = gf_scale(gg, gf_gate(gg, b->g_ring), 2);
    gform ky = gf_scale(gg, gf_gate(gg, b->g_ring2), -1);
    reg = gg_head(gg, "error registers", gf_gate(gg, gg_hout(gg, anchor, 0)), gf_const(gg, 1),
                  kx, ky, -1, TIE_LATEST, vals, EREG_MAX, lo, hi);
  }
  for (int s = 0; s < npc; s++) {
    const mstmt *m = &b->ms.v[s];
    if (m->sp != SP_ERRREG) continue;
    int k = m->konst & 15, mode = m->konst >> 4;
    gform v = reg < 0 ? gf_const(gg, 0) : gf_gate(gg, gg_hout(gg, reg, m->k == M_EVAL ? 0 : k));
    if (mode && reg >= 0) v = mb_ereg_rest(b, reg);   /* mreport3.c */
    if (m->k == M_EVAL) {
      for (int i = 0; i < b->step_flags[s].n; i++)
        if (b->step_flags[s].v[i].has_sitef) b->step_flags[s].v[i].sitef = v;
    } else {
      b->step_val[s] = v;
      b->step_short[s] = gf_const(gg, 0);   /* always written long */
    }
  }
}
