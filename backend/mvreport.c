/* mvreport.c - run-time errors that name values, in the evaluator's
 * words: "division by zero: (quotient 7 0)", "vector-ref: index 6 is out
 * of range for a vector of length 2", "make-vector: the length must not
 * be negative (-4)", "table lookup has no entry for 11", "integer
 * overflow: (+ 1 2147483647) is 2147483648, which does not fit in 32
 * bits".
 *
 * As a kind error's report (mreport.c): the operation's flag, instead of
 * ERR, jumps to steps at the end of the program that compute the
 * operands again into temporaries (nothing was written since the
 * failing step: it emitted a JUMP), print the message's text and values
 * with the ordinary output steps marked `errval`, and stop with ERR at a
 * site whose text is what they printed (value_follows, value_bare, an
 * empty message: the whole text).  The host only turns the printed
 * tokens into characters (docs/trace-format.md, "Kind errors").
 *
 * A report is keyed by the expression (or step operand) that fails and
 * the kind of its error; mx_vflag raises a flag through it when it
 * exists.  A sum's overflowing result is printed by the model as its
 * quotient by 10 and its last digit, both of which fit in 32 bits.
 *
 * Ownership: the steps and sites belong to the builder and the program.
 */
#include "config.h"

#include "mbuild.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Measured with --milp 0 on stdlib/examples (the sum of the weights of
 * every program, reports of division, expt, ash, make-vector and tables
 * only: queens +6%, sieve +9%, gcd +50%, sudoku and hungarian +0-1%, no
 * layer more), these two are off:
 * - an index out of range (vector-ref, vector-set!) named with the
 *   vector's length: queens 1.5M -> 4.5M weights (d_model 232 -> 453),
 *   its per-token time x3 (mreport2.c does it without steps per check);
 * - the exact result of an overflowing + or -: its quotient by 10 is a
 *   long division, 19 layers deep, which every step then pays for (all
 *   steps are computed in parallel).
 * A value that is costly to compute again (a memory read, a division, a
 * product: not `shallow`) gets no report either. */
enum { BOUNDS_REPORTS = 0, SUM_REPORTS = 0 };

/* ---- small IR builders ---------------------------------------------- */

static ir_expr *prim2(mb *b, const char *op, ir_expr *x, ir_expr *y, tkind r) {
  ir_expr *e = mb_mkx(b, X_PRIM, mb_kind_type(b, r), y ? 2 : 1);
  e->op = builtin_find(op);
  e->a[0] = x;
  if (y) e->a[1] = y;
  e->has_nat = true;
  e->nat = r;
  return e;
}

static ir_expr *k(mb *b, int32_t v) { return mb_int_const(b, v); }

static ir_expr *sel(mb *b, ir_expr *c, ir_expr *x, ir_expr *y) {
  ir_expr *e = mb_mkx(b, X_SELECT, x->type, 3);
  e->a[0] = c;
  e->a[1] = x;
  e->a[2] = y;
  return e;
}

/* Whether computing e again in a report is cheap: a few nodes, no
 * memory read but variables', no division (which would deepen the model
 * for every step: all steps are computed in parallel). */
static bool shallow_n(const ir_expr *e, int *budget) {
  if (--*budget < 0) return false;
  switch (e->k) {
  case X_VREF: case X_TABLE: case X_CXR: return false;
  case X_PRIM: {
    const char *op = e->op->name;
    if (!strcmp(op, "quotient") || !strcmp(op, "remainder") || !strcmp(op, "modulo") ||
        !strcmp(op, "expt") || !strcmp(op, "ash") || !strcmp(op, "*") ||
        !strcmp(op, "logand") || !strcmp(op, "logior") || !strcmp(op, "logxor"))
      return false;
    break;
  }
  default: break;
  }
  for (int i = 0; i < e->n; i++)
    if (e->a[i] && !shallow_n(e->a[i], budget)) return false;
  return true;
}

static bool shallow(const ir_expr *e) {
  int budget = 8;
  return shallow_n(e, &budget);
}

/* ---- the report's pieces -------------------------------------------- */

typedef struct {
  const char *text;   /* printed as it is, or */
  ir_expr *x;         /* written (computed into a temporary first) */
} piece;

enum { MAXP = 24 };

typedef struct {
  piece p[MAXP];
  int n;
} pieces;

/* Texts made for a report (call_text, a table's name): freed with the
 * tails when mb_build_value_reports ends, since the steps copy them
 * into string constants. */
static VEC(char *) owned;

static const char *own(char *s) {
  VEC_PUSH(owned, s);
  return s;
}

static void txt(pieces *ps, const char *t) {
  if (ps->n < MAXP) ps->p[ps->n++] = (piece){t, NULL};
}

static void val(pieces *ps, ir_expr *x) {
  if (ps->n < MAXP) ps->p[ps->n++] = (piece){NULL, x};
}

/* A tail: the steps that print the message of one shape (its texts and
 * the kinds of its values) in one function, from its temporaries, then
 * stop at the site in its `site` temporary.  Every report of that shape
 * writes the temporaries and jumps there: a report costs a step per
 * value and two, whatever its text. */
typedef struct {
  char *sig;
  int fn;
  int start;        /* its first step */
  int temps[MAXP];
  int site;         /* the temporary holding the site */
} tail;

static VEC(tail) tails;   /* during one mb_build_value_reports */

static int tail_of(mb *b, pieces *ps, int fn, srcloc loc, const char *site_kind,
                   const char *sig, int *start_out) {
  for (int i = 0; i < tails.n; i++)
    if (tails.v[i].fn == fn && !strcmp(tails.v[i].sig, sig)) {
      *start_out = tails.v[i].start;
      return i;
    }
  tail t = {xstrdup(sig), fn, -1, {0}, -1};
  for (int i = 0; i < ps->n; i++)
    if (ps->p[i].x) t.temps[i] = mb_temp(b, ps->p[i].x->type, "error:value");
  t.site = mb_temp(b, mb_int_type(b), "error:site");
  *start_out = -1;   /* built by the caller's build_tail, after its jump */
  VEC_PUSH(tails, t);
  (void)loc;
  (void)site_kind;
  return tails.n - 1;
}

static void build_tail(mb *b, tail *t, pieces *ps, int fn, srcloc loc, const char *site_kind) {
  t->start = b->ms.n;
  for (int i = 0; i < ps->n && !b->failed; i++) {
    if (ps->p[i].x) {
      mb_display(b, mb_var_ref(b, t->temps[i]), true, fn, loc);
    } else {
      mstmt *m = mb_step(b, M_OUTSTR, fn, loc);
      m->konst = mb_str_const(b, ps->p[i].text);
      m->what = mb_describe(b, "%s error: text", site_kind);
    }
  }
  mstmt *m = mb_step(b, M_EVAL, fn, loc);
  m->sp = SP_FAILV;
  m->val = mb_var_ref(b, t->site);
  m->what = mb_describe(b, "%s error: stop at the site it names", site_kind);
}

static void build(mb *b, const ir_expr *node, const char *vk, int fn, srcloc loc,
                  const char *site_kind, pieces *ps) {
  if (ps->n >= MAXP) return;
  for (int i = 0; i < ps->n; i++)
    if (ps->p[i].x && !shallow(ps->p[i].x)) return;
  int start = b->ms.n;
  /* the signature of the message's shape */
  strbuf sig;
  sb_init(&sig);
  sb_printf(&sig, "%s|", site_kind);
  for (int i = 0; i < ps->n; i++) {
    if (ps->p[i].x) sb_printf(&sig, "\x01%d\x01", ps->p[i].x->type);
    else sb_puts(&sig, ps->p[i].text);
  }
  int tstart;
  int ti = tail_of(b, ps, fn, loc, site_kind, sig.s, &tstart);
  sb_free(&sig);
  /* the key the first step carries (mb_find_reports) */
  ir_expr *key = mb_mkx(b, X_CONST, mb_int_type(b), 0);
  struct report r = {key, -1, node, vk};
  VEC_PUSH(b->reports, r);
  int site = mb_printed_site(b, site_kind, loc, "");
  bool first = true;
  for (int i = 0; i <= ps->n; i++) {
    if (i < ps->n && !ps->p[i].x) continue;
    mstmt *m = mb_step(b, M_WRITE, fn, loc);
    if (i < ps->n) {
      mb_set_target(b, m, tails.v[ti].temps[i]);
      m->val = ps->p[i].x;
      m->what = mb_describe(b, "%s error: a value it names", site_kind);
    } else {
      mb_set_target(b, m, tails.v[ti].site);
      m->val = mb_int_const(b, site);
      m->what = mb_describe(b, "%s error: its site", site_kind);
    }
    if (first) m->report_of = key;
    first = false;
  }
  mstmt *m = mb_step(b, M_JUMP, fn, loc);
  m->what = mb_describe(b, "%s error: print it", site_kind);
  int jump = b->ms.n - 1;
  if (tstart < 0) build_tail(b, &tails.v[ti], ps, fn, loc, site_kind);
  b->ms.v[jump].l1 = tails.v[ti].start;
  b->ms.v[jump].l1_is_pc = true;
  for (int i = start; i < b->ms.n; i++) b->ms.v[i].errval = true;
}

/* The flag of an SP_FAILV step: an error at the site its value names. */
void mx_fail_at(mb *b, const ir_expr *site) {
  cval v = mx_expr(b, site);
  eflag e = {.flag = gf_const(b->gg, 1), .site = -1, .guard = b->guard, .nguard = b->nguard,
             .sitef = v.f, .has_sitef = true};
  VEC_PUSH(b->flags, e);
}

/* ---- the errors ----------------------------------------------------- */

static bool is_const_int(const ir_expr *e, int64_t *v) {
  if (e->k != X_CONST || !e->has_nat || e->nat != T_INT) return false;
  *v = e->ival;
  return true;
}

static bool is_int(mb *b, const ir_expr *e) { return ir_kind(b->ir, e->type) == T_INT; }

static bool same_place(srcloc a, srcloc c) {
  return a.file == c.file && a.line == c.line && a.col == c.col;
}

/* The call as the evaluator writes it, "(op a b)", into ps. */
static void call_text(mb *b, pieces *ps, const char *op, ir_expr *const *a, int n) {
  txt(ps, own(mb_describe(b, "(%s", op)));
  for (int i = 0; i < n; i++) {
    txt(ps, " ");
    val(ps, (ir_expr *)a[i]);
  }
  txt(ps, ")");
  (void)b;
}

/* (op a b ...) of +/-: its exact value as q * 10 + d (d a digit of the
 * value's sign), q and d computed by the model in 32 bits. */
static void sum_text(mb *b, pieces *ps, const ir_expr *e) {
  bool minus = e->op->name[0] == '-';
  ir_expr *q = NULL, *s = NULL;
  for (int i = 0; i < e->n; i++) {
    ir_expr *qi = prim2(b, "quotient", e->a[i], k(b, 10), T_INT);
    ir_expr *ri = prim2(b, "remainder", e->a[i], k(b, 10), T_INT);
    const char *op = minus && i > 0 ? "-" : "+";
    q = q ? prim2(b, op, q, qi, T_INT) : qi;
    s = s ? prim2(b, op, s, ri, T_INT) : ri;
  }
  /* r = 10 q + s, |s| <= 9n: carry s's tens into q */
  q = prim2(b, "+", q, prim2(b, "quotient", s, k(b, 10), T_INT), T_INT);
  s = prim2(b, "remainder", s, k(b, 10), T_INT);
  /* q and s of one sign: borrow one ten where they differ */
  ir_expr *qpos = prim2(b, ">", q, k(b, 0), T_BOOL);
  ir_expr *qneg = prim2(b, "<", q, k(b, 0), T_BOOL);
  ir_expr *sneg = prim2(b, "<", s, k(b, 0), T_BOOL);
  ir_expr *spos = prim2(b, ">", s, k(b, 0), T_BOOL);
  ir_expr *adj = sel(b, qpos, sel(b, sneg, k(b, -1), k(b, 0)),
                     sel(b, qneg, sel(b, spos, k(b, 1), k(b, 0)), k(b, 0)));
  val(ps, prim2(b, "+", q, adj, T_INT));
  val(ps, prim2(b, "abs", prim2(b, "-", s, prim2(b, "*", k(b, 10), adj, T_INT), T_INT),
                NULL, T_INT));
}

static void expr_reports(mb *b, const ir_expr *e, int fn) {
  pieces ps = {.n = 0};
  if (e->loc.line <= 0) return;   /* the backend's own (a display loop's) */
  /* the lowering's own indexes, in range by construction (the loops of
   * vector, vector-fill!, list->vector...): placed at the call itself */
  if (e->k == X_VREF && same_place(e->a[1]->loc, e->loc)) return;
  if (e->k == X_VREF && !(shallow(e->a[0]) && shallow(e->a[1]))) return;
  if (e->k == X_VREF && !BOUNDS_REPORTS) return;
  int64_t kv, kb;
  if (e->k == X_PRIM && !strcmp(e->op->name, "expt") && e->n == 2 &&
      !(is_const_int(e->a[0], &kb) && is_const_int(e->a[1], &kv)) &&
      !(is_const_int(e->a[1], &kv) && kv >= 0)) {
    /* a negative power of a base other than 0 and +-1 */
    txt(&ps, "expt: ");
    call_text(b, &ps, "expt", e->a, 2);
    txt(&ps, " is a fraction, and tvl has only integers");
    build(b, e, "fraction", fn, e->a[1]->loc, "type", &ps);
    ps.n = 0;
  }
  if (e->k == X_PRIM) {
    const char *op = e->op->name;
    if ((!strcmp(op, "quotient") || !strcmp(op, "remainder") || !strcmp(op, "modulo")) &&
        e->n == 2 && !(is_const_int(e->a[1], &kv) && kv != 0)) {
      /* a division by zero: mreport2.c's routine, shared */
    } else if ((!strcmp(op, "+") || (!strcmp(op, "-") && e->n > 1)) && e->n >= 2 &&
               e->n <= 8) {
      bool ints = true;
      for (int i = 0; i < e->n; i++) ints &= is_int(b, e->a[i]);
      if (!ints || !SUM_REPORTS) return;
      txt(&ps, "integer overflow: ");
      call_text(b, &ps, op, e->a, e->n);
      txt(&ps, " is ");
      sum_text(b, &ps, e);
      txt(&ps, ", which does not fit in 32 bits");
      build(b, e, "overflow", fn, e->loc, "overflow", &ps);
    } else if (!strcmp(op, "expt") && e->n == 2 && is_const_int(e->a[0], &kv) && kv == 0 &&
               !is_const_int(e->a[1], &kv)) {
      txt(&ps, "division by zero: (expt 0 ");
      val(&ps, e->a[1]);
      txt(&ps, ")");
      build(b, e, "division", fn, e->loc, "division", &ps);
    } else if (!strcmp(op, "ash") && e->n == 2 && !is_const_int(e->a[0], &kv)) {
      /* a shift past 31 (an overflow within 31 is a product's) */
      txt(&ps, "integer overflow: ");
      call_text(b, &ps, op, e->a, 2);
      txt(&ps, " does not fit in 32 bits");
      build(b, e, "ash", fn, e->loc, "overflow", &ps);
    }
  } else if (e->k == X_VREF) {
    ir_expr *len = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
    len->a[0] = e->a[0];
    txt(&ps, "vector-ref: index ");
    val(&ps, e->a[1]);
    txt(&ps, " is out of range for a vector of length ");
    val(&ps, len);
    build(b, e, "bounds", fn, e->a[1]->loc, "bounds", &ps);
  } else if (e->k == X_TABLE && !e->table->table->has_default) {
    txt(&ps, own(mb_describe(b, "table %s has no entry for ",
                             sym_name(&b->p->w->syms, e->table->name))));
    val(&ps, e->a[0]);
    build(b, e, "table", fn, e->loc, "table", &ps);
  }
}

/* Nodes seen, by address (expressions are DAGs): a sorted-free list is
 * enough for the few nodes that get a report. */
typedef struct {
  const ir_expr *e;
  int fn;
} found;
typedef VEC(found) found_vec;

static void collect(mb *b, const ir_expr *e, int fn, mb_exprset *seen, found_vec *out) {
  if (!e || !mb_exprset_add(seen, e)) return;
  for (int i = 0; i < e->n; i++) collect(b, e->a[i], fn, seen, out);
  found f = {e, fn};
  VEC_PUSH(*out, f);
}

void mb_build_value_reports(mb *b) {
  mb_exprset seen = {NULL, 0, 0};
  found_vec nodes = {0};
  int n = b->ms.n;
  for (int s = 0; s < n; s++) {
    const mstmt *m = &b->ms.v[s];
    if (m->errval) continue;   /* a kind error's report */
    collect(b, m->val, m->fn, &seen, &nodes);
    collect(b, m->x1, m->fn, &seen, &nodes);
    collect(b, m->x2, m->fn, &seen, &nodes);
  }
  free(seen.v);
  tails.n = 0;
  for (int i = 0; i < nodes.n && !b->failed; i++)
    expr_reports(b, nodes.v[i].e, nodes.v[i].fn);
  VEC_FREE(nodes);
  /* the steps' own: vector-set! and make-vector */
  for (int s = 0; s < n && !b->failed; s++) {
    mstmt m = b->ms.v[s];
    pieces ps = {.n = 0};
    if (m.sp == SP_VSET_ADDR && m.x1 && !same_place(m.x1->loc, m.loc) && shallow(m.x1) &&
        shallow(m.val) && BOUNDS_REPORTS) {
      ir_expr *len = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
      len->a[0] = m.val;
      txt(&ps, "vector-set!: index ");
      val(&ps, m.x1);
      txt(&ps, " is out of range for a vector of length ");
      val(&ps, len);
      build(b, m.x1, "vset", m.fn, m.x1->loc, "bounds", &ps);
    } else if (m.sp == SP_MAKEVEC_HDR && m.val) {
      int64_t kv;
      if (is_const_int(m.val, &kv)) continue;
      txt(&ps, "make-vector: the length must not be negative (");
      val(&ps, m.val);
      txt(&ps, ")");
      build(b, m.val, "makevec", m.fn, m.val->loc, "bounds", &ps);
    }
  }
  for (int i = 0; i < tails.n; i++) free(tails.v[i].sig);
  VEC_FREE(tails);
  for (int i = 0; i < owned.n; i++) free(owned.v[i]);
  VEC_FREE(owned);
  if (!b->failed) mb_build_routines(b);   /* mreport2.c */
}

static int value_report_pc(mb *b, const ir_expr *node, const char *vk) {
  for (int i = 0; i < b->reports.n; i++)
    if (b->reports.v[i].node == node && b->reports.v[i].vkind &&
        !strcmp(b->reports.v[i].vkind, vk))
      return b->reports.v[i].pc;
  return -1;
}

void mx_vflag(mb *b, gform flag, int site, const ir_expr *node, const char *vk) {
  int pc = node ? value_report_pc(b, node, vk) : -1;
  if (pc < 0) {
    mx_flag(b, flag, site);
    return;
  }
  double kk;
  if (gf_is_const(flag, &kk) && kk == 0) return;
  eflag e = {.flag = flag, .site = -1, .guard = b->guard, .nguard = b->nguard, .jump = pc + 1};
  VEC_PUSH(b->flags, e);
}
