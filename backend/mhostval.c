/* mhostval.c - run-time errors whose message names values the host reads
 * from the trace: "integer overflow: (* 13 479001600) is 6227020800,
 * which does not fit in 32 bits", "make-vector: the length must not be
 * negative (-3)", "table t has no entry for 5", "integer->char: 55296 is
 * not a Unicode code point ...".
 *
 * The model finds the error and emits ERR at a site, as for every other
 * error; the operands it names were all written in the trace before
 * (a variable's cell, a frame cell, a heap cell: the failing step
 * emitted ERR instead of its value, so nothing changed them), and the
 * decoder already replays every write (backend/mtrace.c).  Such a site
 * carries, for its step only, a small read program per operand (which
 * cell, which heap cell at an address read from a cell plus an index);
 * the host runs them on the decoded memory and writes the message from
 * the values, as it turns output tokens into text (docs/trace-format.md,
 * "Values the host reads").  No step, unit or head is added: a program
 * that never fails pays nothing, and one that fails no token more.
 *
 * An operand that is no such read (a product, a call's value not kept in
 * a cell) keeps the text without values.
 *
 * Ownership: the read programs belong to the site (freed with the
 * program, machine.c).
 */
#include "config.h"

#include "mbuild.h"

#include <stdlib.h>
#include <string.h>

enum { HMAX = 96 };

typedef struct {
  int32_t c[HMAX];
  int n;
} code;

static bool put(code *k, int32_t x) {
  if (k->n >= HMAX) return false;
  k->c[k->n++] = x;
  return true;
}

static bool is_kind(mb *b, const ir_expr *e, tkind k) {
  return ir_kind(b->ir, e->type) == k;
}

/* An integer operand (tagged integers are the integer itself). */
static bool read_of(mb *b, const ir_expr *e, code *k, int depth) {
  if (depth > 6) return false;
  switch (e->k) {
  case X_CONST:
    if (!(e->has_nat ? e->nat == T_INT || e->nat == T_SYM : is_kind(b, e, T_INT))) return false;
    return put(k, HV_K) && put(k, e->ival);
  case X_VAR: {
    if (e->var < 0) return false;
    const var_home *h = &b->home[e->var];
    return h->frame ? put(k, HV_FRAME) && put(k, h->off) : put(k, HV_CELL) && put(k, h->addr);
  }
  case X_CHECK:
    if (e->ival != T_INT) return false;
    return read_of(b, e->a[0], k, depth + 1);
  case X_VREF:
    if (!is_kind(b, e->a[0], T_VEC)) return false;
    return read_of(b, e->a[0], k, depth + 1) && read_of(b, e->a[1], k, depth + 1) &&
           put(k, HV_ADD) && put(k, HV_MEM) && put(k, 2);
  case X_CXR:
    if (!is_kind(b, e->a[0], T_PAIR)) return false;
    return read_of(b, e->a[0], k, depth + 1) && put(k, HV_MEM) && put(k, e->ival);
  case X_PRIM:
    /* an operand (- n 1) that did not overflow itself */
    if (e->n == 2 && (!strcmp(e->op->name, "+") || !strcmp(e->op->name, "-")) &&
        is_kind(b, e->a[0], T_INT) && is_kind(b, e->a[1], T_INT))
      return read_of(b, e->a[0], k, depth + 1) && read_of(b, e->a[1], k, depth + 1) &&
             put(k, e->op->name[0] == '+' ? HV_ADD : HV_SUB);
    return false;
  default:
    return false;
  }
}

static bool same_loc(srcloc a, srcloc c) {
  return a.file == c.file && a.line == c.line && a.col == c.col;
}

int mb_host_site(mb *b, int site, const char *hop, const char *msg,
                 const ir_expr *const *ops, int n) {
  if (site < 0 || b->failed || n < 1 || n > 16) return site;
  code k = {.n = 0};
  for (int i = 0; i < n; i++) {
    const ir_expr *o = ops[i];
    bool sym = o->k == X_CHECK ? false : is_kind(b, o, T_SYM);
    if (!sym && !is_kind(b, o, T_INT) && !is_kind(b, o, T_DYN) &&
        !(o->k == X_CHECK && o->ival == T_INT))
      return site;
    if (!read_of(b, o, &k, 0) || !put(&k, sym ? HV_ENDSYM : HV_END)) return site;
  }
  err_site base = b->p->sites.v[site];
  for (int i = 0; i < b->p->sites.n; i++) {
    const err_site *e = &b->p->sites.v[i];
    if (e->hcode && e->hpc == b->cur_step && e->hn == n && e->nhcode == k.n &&
        (e->hop == hop || (e->hop && hop && !strcmp(e->hop, hop))) &&
        (e->hmsg == msg || (e->hmsg && msg && !strcmp(e->hmsg, msg))) &&
        !strcmp(e->kind, base.kind) && !strcmp(e->msg, base.msg) && same_loc(e->loc, base.loc) &&
        !memcmp(e->hcode, k.c, (size_t)k.n * sizeof *k.c))
      return i;
  }
  err_site e = {.kind = base.kind, .msg = xstrdup(base.msg), .loc = base.loc, .value_follows = false, .value_bare = false, .value_slots = false};
  e.hcode = xmalloc((size_t)k.n * sizeof *k.c);
  memcpy(e.hcode, k.c, (size_t)k.n * sizeof *k.c);
  e.nhcode = k.n;
  e.hn = n;
  e.hpc = b->cur_step;
  e.hop = hop;
  e.hmsg = msg ? xstrdup(msg) : NULL;
  VEC_PUSH(b->p->sites, e);
  return b->p->sites.n - 1;
}

int mb_host_overflow_site(mb *b, int site) {
  const ir_expr *e = b->host_node;
  if (!e || site < 0 || strcmp(b->p->sites.v[site].kind, "overflow")) return site;
  if (!same_loc(b->p->sites.v[site].loc, e->loc)) return site;
  for (int i = 0; i < b->ir->hostops.n; i++)
    if (b->ir->hostops.v[i].node == e)
      return mb_host_site(b, site, b->ir->hostops.v[i].op, NULL,
                          (const ir_expr *const *)b->ir->hostops.v[i].ops,
                          b->ir->hostops.v[i].n);
  const char *op = e->op->name;
  bool sum = !strcmp(op, "+") || !strcmp(op, "-");
  if (!sum && strcmp(op, "*") && !(!strcmp(op, "ash") && e->n == 2)) return site;
  if (sum && e->ival == 3) op = op[0] == '+' ? "1+" : "1-";   /* written (1+ x) */
  return mb_host_site(b, site, op, NULL, (const ir_expr *const *)e->a, e->n);
}
