/* mreport.c - the report of a kind error: the evaluator's message names
 * the value it found, "vector-ref: argument 1 must be a vector, not a
 * symbol (a)", and in compiled code that value is known only when the
 * step runs.
 *
 * A kind check whose operand is not a constant (a tagged value, or a
 * value of a fixed wrong kind) gets a report: steps at the end of the
 * program that compute the operand again (nothing was written since: the
 * failing step emitted a JUMP, not its value), print it as `write` does,
 * and end in ERR at a site whose message says the kind (a chain of tag
 * tests picks it for a tagged value).  When the check fails, its step
 * jumps to the report instead of emitting ERR; the host sends what the
 * report prints into the error message, not to the output
 * (docs/trace-format.md, "Kind errors").  The check's flag keeps its
 * place among the step's flags: an earlier error still wins.
 *
 * Ownership: the steps and sites belong to the builder and the program,
 * as every other step's.
 */
#include "config.h"

#include "mbuild.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- which checks get one ------------------------------------------- */

/* A check whose message already shows its operand: a constant of a
 * fixed kind (lower-kinds.c wrote it into the text). */
static bool text_complete(mb *b, const ir_expr *x) {
  const ir_expr *e = x->a[0];
  tkind have = ir_kind(b->ir, e->type);
  /* a list error: complete once the lowering wrote the argument in */
  if (x->n == 2) return !b->ir->failures.v[x->var].bare;
  if (have == T_DYN || e->k != X_CONST || !e->has_nat) return false;
  return e->nat == T_INT || e->nat == T_BOOL || e->nat == T_SYM || e->nat == T_STR ||
         e->nat == T_CHAR || e->nat == T_PROC;
}

/* Whether the display steps can print a value of class `type`: not
 * when a vector it may be holds elements of no known kind.  A class
 * that holds itself, or values nested deep, print by routines that call
 * themselves (mprint.c). */
static bool printable(mb *b, int type, int_vec *seen) {
  tkind k = ir_kind(b->ir, type);
  if (k == T_ANY) return false;
  /* lists: the display follows the classes (backend/mlists.c), and
   * refuses the program where they nest too deep */
  if (k == T_PAIR || (k == T_DYN && ir_pair_type(b->ir, type, false) >= 0)) return true;
  if (k != T_VEC && k != T_DYN) return true;
  int el = ir_elem_type(b->ir, type);
  if (el < 0) return k == T_DYN;
  while (b->ir->types.v[el].parent != el) el = b->ir->types.v[el].parent;
  for (int i = 0; i < seen->n; i++)
    if (seen->v[i] == el) return true;
  VEC_PUSH(*seen, el);
  return printable(b, el, seen);
}

static bool shape_known(mb *b, int t, int_vec *seen);

static bool wants_report(mb *b, const ir_expr *x) {
  if (x->k != X_CHECK || x->var < 0) return false;
  tkind have = ir_kind(b->ir, x->a[0]->type), want = (tkind)x->ival;
  if (have == want || have == T_ANY) return false;
  if (text_complete(b, x)) return false;
  /* a value checked for a vector is printed only when it is not one
   * (kind by kind, build_report): its vectors' elements need not print */
  const ir_expr *v = x->a[x->n - 1];
  if (want == T_VEC && x->n == 1 && have == T_DYN) {
    int_vec seen = {0};
    bool whole = shape_known(b, v->type, &seen);
    VEC_FREE(seen);
    if (!whole) return true;
  }
  int_vec seen = {0};
  bool ok = printable(b, v->type, &seen);
  VEC_FREE(seen);
  return ok;
}

/* Nodes seen, by address: expressions are DAGs. */
static void collect(mb *b, const ir_expr *e, int fn, mb_exprset *seen, int_vec *fns) {
  if (!e || !mb_exprset_add(seen, e)) return;
  for (int i = 0; i < e->n; i++) collect(b, e->a[i], fn, seen, fns);
  if (wants_report(b, e)) {
    struct report r = {e, -1, NULL, NULL};
    VEC_PUSH(b->reports, r);
    VEC_PUSH(*fns, fn);
  }
}

/* ---- the steps of a report ------------------------------------------ */

static int report_site(mb *b, const ir_expr *x, const char *kind_name) {
  const ir_failure *f = &b->ir->failures.v[x->var];
  strbuf m;
  sb_init(&m);
  sb_puts(&m, f->msg);
  if (kind_name) sb_printf(&m, ", not %s", kind_name);
  err_site s = {.kind = f->kind, .msg = sb_detach(&m), .loc = x->loc, .value_follows = true, .value_bare = f->bare, .value_slots = false};
  VEC_PUSH(b->p->sites, s);
  return b->p->sites.n - 1;
}

static void fail_step(mb *b, int site, int fn, srcloc loc) {
  mstmt *m = mb_step(b, M_EVAL, fn, loc);
  m->sp = SP_FAIL;
  m->konst = site;
  m->what = mb_describe(b, "kind error: stop");
}

/* The value of kind k inside tagged x (the chain has tested the tag). */
static ir_expr *as_kind(mb *b, ir_expr *x, tkind k) {
  ir_expr *e = mb_mkx(b, X_CHECK, mb_kind_type(b, k), 1);
  e->a[0] = x;
  e->ival = k;
  e->var = -1;
  if (k == T_VEC || k == T_PAIR) ir_share_parts(b->ir, e->type, x->type);
  return e;
}

static ir_expr *kind_test(mb *b, ir_expr *x, tkind k) {
  if (k == T_VOID) {
    ir_expr *u = mb_mkx(b, X_CONST, mb_kind_type(b, T_VOID), 0);
    u->has_nat = true;
    u->nat = T_VOID;
    ir_expr *e = mb_mkx(b, X_PRIM, mb_kind_type(b, T_BOOL), 2);
    e->op = builtin_find("eqv?");
    e->a[0] = x;
    e->a[1] = u;
    return e;
  }
  static const char *const pred[] = {[T_INT] = "integer?", [T_BOOL] = "boolean?",
                                     [T_STR] = "string?", [T_VEC] = "vector?",
                                     [T_NIL] = "null?", [T_PAIR] = "pair?",
                                     [T_CHAR] = "char?", [T_PROC] = "procedure?"};
  ir_expr *e = mb_mkx(b, X_PRIM, mb_kind_type(b, T_BOOL), 1);
  e->op = builtin_find(pred[k]);
  e->a[0] = x;
  return e;
}

/* The name of kind k in the message of check: a vector of a class of
 * records or of string ports is named as that. */
static const char *kname(mb *b, const ir_expr *check, tkind k) {
  const char *n = k == T_VEC ? ir_vec_kind_name(b->ir, check->a[0]->type) : NULL;
  return n ? n : tkind_name(k);
}

/* Print x (of kind k), then stop at a site that names k. */
static void report_kind(mb *b, const ir_expr *check, ir_expr *x, tkind k, int fn,
                        srcloc loc) {
  if (k == T_VOID) {
    mstmt *m = mb_step(b, M_OUTSTR, fn, loc);
    m->konst = mb_str_const(b, "#<unspecified>");
  } else {
    mb_display(b, x, true, fn, loc);
  }
  fail_step(b, report_site(b, check, kname(b, check, k)), fn, loc);
}

/* Whether every class a value of class t can hold (its parts, theirs,
 * and so on) has a known kind: then the display of a tagged value prints
 * it whatever its kind, and a report prints it so, once. */
static bool shape_known(mb *b, int t, int_vec *seen) {
  if (t < 0) return true;
  while (b->ir->types.v[t].parent != t) t = b->ir->types.v[t].parent;
  for (int i = 0; i < seen->n; i++)
    if (seen->v[i] == t) return true;
  VEC_PUSH(*seen, t);
  const ir_type *x = &b->ir->types.v[t];
  if (x->k == T_ANY) return false;
  return shape_known(b, x->elem, seen) && shape_known(b, x->car, seen) &&
         shape_known(b, x->cdr, seen);
}

/* The kinds a tagged operand of check may have but the one checked
 * for, in the order of the chain of tag tests; their count. */
static int chain_kinds(mb *b, const ir_expr *check, tkind *kinds) {
  static const tkind order[] = {T_INT, T_VEC, T_STR, T_CHAR, T_NIL, T_PAIR, T_PROC, T_VOID,
                                T_BOOL, T_SYM};
  const ir_expr *e = check->a[0];
  tkind want = (tkind)check->ival;
  int nk = 0;
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
    tkind k = order[i];
    if (k == T_PROC && !b->ir->procs.n) continue;
    if (k == want || (k == T_VEC && ir_elem_type(b->ir, e->type) < 0)) continue;
    if (k == T_CHAR && !b->ir->has_chars) continue;
    if (k == T_NIL && !b->ir->has_lists) continue;
    if (k == T_PAIR && ir_pair_type(b->ir, e->type, false) < 0) continue;
    kinds[nk++] = k;
  }
  return nk;
}

/* A shared tail: the steps that print a tagged operand (or one of a
 * fixed wrong kind) from a temporary and stop at the site another
 * temporary names, plus the kind's place in the chain.  Every report of
 * the same function, class and chain writes the two temporaries and
 * jumps there: three steps a check instead of the whole display.  The
 * sites of one check are consecutive, one per kind of the chain. */
typedef struct {
  int fn, root, nk;
  tkind want, kinds[16];
  bool chain;        /* a tagged operand: a chain of kind tests */
  int start;         /* its first step */
  int x, site;       /* the temporaries */
} kind_tail;

static VEC(kind_tail) ktails;   /* during one mb_build_reports */
/* per report: whether another report has its shape (only then does a
 * tail pay: alone, the jump and the computed site cost more than they
 * save) */
static VEC(char) kshared;

static int class_root(mb *b, int t) {
  while (b->ir->types.v[t].parent != t) t = b->ir->types.v[t].parent;
  return t;
}

/* The shape of check's report for a shared tail, into key; false when
 * its report is of another form (a list error, or kind by kind). */
static bool tail_key(mb *b, const ir_expr *check, int fn, kind_tail *key) {
  const ir_expr *e = check->a[0];
  if (check->n == 2 && b->ir->failures.v[check->var].bare) return false;
  bool chain = ir_kind(b->ir, e->type) == T_DYN;
  if (chain) {
    int_vec seen = {0};
    bool whole = shape_known(b, e->type, &seen);
    VEC_FREE(seen);
    if (!whole) return false;
  }
  memset(key, 0, sizeof *key);
  key->fn = fn;
  key->root = class_root(b, e->type);
  key->chain = chain;
  key->want = (tkind)check->ival;
  if (chain) key->nk = chain_kinds(b, check, key->kinds);
  key->start = key->x = key->site = -1;
  return true;
}

static bool same_tail(const kind_tail *t, const kind_tail *k) {
  return t->fn == k->fn && t->root == k->root && t->chain == k->chain && t->nk == k->nk &&
         !memcmp(t->kinds, k->kinds, sizeof k->kinds);
}

/* The tail's steps: print x, then the chain picks the site. */
static void build_kind_tail(mb *b, kind_tail *T, srcloc loc) {
  T->start = b->ms.n;
  ir_expr *x = mb_var_ref(b, T->x);
  mb_display(b, x, true, T->fn, loc);
  int n = T->chain ? T->nk : 1;
  for (int i = 0; i < n && !b->failed; i++) {
    int br = -1;
    if (i + 1 < n) {
      mstmt *m = mb_step(b, M_BRANCH, T->fn, loc);
      m->val = kind_test(b, x, T->kinds[i]);
      m->what = mb_describe(b, "kind error: %s?", tkind_name(T->kinds[i]));
      br = b->ms.n - 1;
      b->ms.v[br].l1 = b->ms.n;
      b->ms.v[br].l1_is_pc = true;
    }
    mstmt *m = mb_step(b, M_EVAL, T->fn, loc);
    m->sp = SP_FAILV;
    ir_expr *site = mb_var_ref(b, T->site);
    if (i) {
      ir_expr *sum = mb_mkx(b, X_PRIM, mb_int_type(b), 2);
      sum->op = builtin_find("+");
      sum->a[0] = site;
      sum->a[1] = mb_int_const(b, i);
      site = sum;
    }
    m->val = site;
    m->what = mb_describe(b, "kind error: stop at the site it names");
    if (br >= 0) {
      b->ms.v[br].l2 = b->ms.n;
      b->ms.v[br].l2_is_pc = true;
    }
  }
}

/* The report of a check whose operand prints whole: its sites, the two
 * writes and the jump to the tail of its shape (built on first use). */
static void shared_report(mb *b, const ir_expr *check, int fn, bool chain,
                          const tkind *kinds, int nk) {
  srcloc loc = check->loc;
  ir_expr *e = check->a[0];
  kind_tail key;
  tail_key(b, check, fn, &key);
  (void)kinds;
  (void)nk;
  int ti = -1;
  for (int i = 0; i < ktails.n && ti < 0; i++)
    if (same_tail(&ktails.v[i], &key)) ti = i;
  if (ti < 0) {
    key.x = mb_temp(b, e->type, "error:x");
    key.site = mb_temp(b, mb_int_type(b), "error:site");
    VEC_PUSH(ktails, key);
    ti = ktails.n - 1;
  }
  int first = -1;
  for (int i = 0; i < (chain ? nk : 1); i++) {
    int s = report_site(b, check, chain ? kname(b, check, kinds[i]) : NULL);
    if (first < 0) first = s;
  }
  mstmt *m = mb_step(b, M_WRITE, fn, loc);
  mb_set_target(b, m, ktails.v[ti].x);
  m->val = e;
  m->report_of = check;
  m->what = mb_describe(b, "kind error: the operand again");
  m = mb_step(b, M_WRITE, fn, loc);
  mb_set_target(b, m, ktails.v[ti].site);
  m->val = mb_int_const(b, first);
  m->what = mb_describe(b, "kind error: its site");
  m = mb_step(b, M_JUMP, fn, loc);
  m->what = mb_describe(b, "kind error: print it");
  int jump = b->ms.n - 1;
  if (ktails.v[ti].start < 0) build_kind_tail(b, &ktails.v[ti], loc);
  b->ms.v[jump].l1 = ktails.v[ti].start;
  b->ms.v[jump].l1_is_pc = true;
}

/* The step that computes the failing operand again into a temporary of
 * its class (nothing was written since the failing step); the temp. */
static int operand_again(mb *b, const ir_expr *check, int fn, srcloc loc) {
  ir_expr *e = check->a[0];
  int t = mb_temp(b, e->type, "error:x");
  mstmt *m = mb_step(b, M_WRITE, fn, loc);
  mb_set_target(b, m, t);
  m->val = e;
  m->report_of = check;
  m->what = mb_describe(b, "kind error: the operand again");
  return t;
}

static void build_report(mb *b, const ir_expr *check, int fn, bool shared) {
  int start = b->ms.n;
  srcloc loc = check->loc;
  ir_expr *e = check->a[0];
  tkind have = ir_kind(b->ir, e->type);
  mb_print_errtext(b, true);
  if (check->n == 2 && b->ir->failures.v[check->var].bare) {
    /* a list error names the argument, not the operand checked */
    operand_again(b, check, fn, loc);
    ir_expr *arg = check->a[1];
    int ta = mb_temp(b, arg->type, "error:arg");
    mstmt *m = mb_step(b, M_WRITE, fn, loc);
    mb_set_target(b, m, ta);
    m->val = arg;
    m->what = mb_describe(b, "list error: the argument again");
    mb_display(b, mb_var_ref(b, ta), true, fn, loc);
    fail_step(b, report_site(b, check, NULL), fn, loc);
  } else if (have != T_DYN && shared) {
    /* its message names the kind already (lower-kinds.c) */
    shared_report(b, check, fn, false, NULL, 0);
  } else if (have != T_DYN) {
    int t = operand_again(b, check, fn, loc);
    mb_display(b, mb_var_ref(b, t), true, fn, loc);
    fail_step(b, report_site(b, check, NULL), fn, loc);
  } else {
    /* a chain of tag tests; the last kind needs none */
    tkind kinds[16];
    int nk = chain_kinds(b, check, kinds);
    /* the value first, as `write` prints a tagged value, then the chain
     * picks the site: the same text as printing it kind by kind (a
     * shared tail); kind by kind when a kind the value cannot have here
     * (the one checked for) holds classes of no known kind */
    int_vec seen = {0};
    bool whole = shape_known(b, e->type, &seen);
    VEC_FREE(seen);
    if (whole && shared) {
      shared_report(b, check, fn, true, kinds, nk);
    } else {
      int t = operand_again(b, check, fn, loc);
      mstmt *m;
      ir_expr *x = mb_var_ref(b, t);
      if (whole) mb_display(b, x, true, fn, loc);
      for (int i = 0; i < nk && !b->failed; i++) {
        int br = -1;
        if (i + 1 < nk) {
          m = mb_step(b, M_BRANCH, fn, loc);
          m->val = kind_test(b, x, kinds[i]);
          m->what = mb_describe(b, "kind error: %s?", tkind_name(kinds[i]));
          br = b->ms.n - 1;
          b->ms.v[br].l1 = b->ms.n;
          b->ms.v[br].l1_is_pc = true;
        }
        if (whole)
          fail_step(b, report_site(b, check, kname(b, check, kinds[i])), fn, loc);
        else
          report_kind(b, check, as_kind(b, x, kinds[i]), kinds[i], fn, loc);
        if (br >= 0) {
          b->ms.v[br].l2 = b->ms.n;
          b->ms.v[br].l2_is_pc = true;
        }
      }
    }
  }
  mb_print_errtext(b, false);
  for (int i = start; i < b->ms.n; i++) b->ms.v[i].errval = true;
}

void mb_build_reports(mb *b) {
  mb_exprset seen = {NULL, 0, 0};
  int_vec fns = {0};
  int n = b->ms.n;
  for (int s = 0; s < n; s++) {
    const mstmt *m = &b->ms.v[s];
    collect(b, m->val, m->fn, &seen, &fns);
    collect(b, m->x1, m->fn, &seen, &fns);
    collect(b, m->x2, m->fn, &seen, &fns);
  }
  free(seen.v);
  ktails.n = 0;
  kshared.n = 0;
  int nr = b->reports.n;
  kind_tail *keys = xcalloc((size_t)nr + 1, sizeof *keys);
  char *has = xcalloc((size_t)nr + 1, 1);
  for (int i = 0; i < nr; i++) has[i] = tail_key(b, b->reports.v[i].check, fns.v[i], &keys[i]);
  for (int i = 0; i < nr; i++) {
    bool sh = false;
    for (int j = 0; j < nr && has[i] && !sh; j++) sh = j != i && has[j] && same_tail(&keys[j], &keys[i]);
    VEC_PUSH(kshared, sh);
  }
  free(keys);
  free(has);
  for (int i = 0; i < b->reports.n && !b->failed; i++)
    build_report(b, b->reports.v[i].check, fns.v[i], kshared.v[i]);
  VEC_FREE(fns);
  VEC_FREE(ktails);
  VEC_FREE(kshared);
  if (!b->failed) mb_build_value_reports(b);   /* mvreport.c */
}

void mb_find_reports(mb *b) {
  for (int s = 0; s < b->ms.n; s++) {
    const ir_expr *c = b->ms.v[s].report_of;
    if (!c) continue;
    for (int i = 0; i < b->reports.n; i++)
      if (b->reports.v[i].check == c) b->reports.v[i].pc = s;
  }
}

int mb_report_pc(mb *b, const ir_expr *check) {
  for (int i = 0; i < b->reports.n; i++)
    if (b->reports.v[i].check == check && !b->reports.v[i].vkind) return b->reports.v[i].pc;
  return -1;
}

/* ---- sets of expressions (by address) ------------------------------ */

static size_t phash(const void *p, size_t cap) {
  return (size_t)(((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ull) & (cap - 1);
}

bool mb_exprset_add(mb_exprset *s, const ir_expr *e) {
  if (2 * (s->n + 1) > s->cap) {
    mb_exprset t = {NULL, s->cap ? 2 * s->cap : 256, 0};
    t.v = xcalloc(t.cap, sizeof *t.v);
    for (size_t i = 0; i < s->cap; i++)
      if (s->v[i]) mb_exprset_add(&t, s->v[i]);
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
