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
 * The host runs them in backend/mhostrun.c (tools/tvl_run.py in Python,
 * from the exported sites).  An operand that is no such read (an
 * operation not followed here) keeps the site's text without values; a
 * circuit's computed key that is none makes the procedure a machine.
 *
 * Ownership: the read programs belong to the site (freed with the
 * program, machine.c).
 */
#include "config.h"

#include "circuit.h"
#include "mbuild.h"

#include <stdlib.h>
#include <string.h>

enum { HMAX = 8192 };

typedef struct {
  int32_t c[HMAX];
  int n;
} code;

static bool put(code *k, int32_t x) {
  if (k->n >= HMAX) return false;
  k->c[k->n++] = x;
  return true;
}

static bool op_n(code *k, int f, int n) { return put(k, HV_OP) && put(k, f) && put(k, n); }

static bool is_kind(mb *b, const ir_expr *e, tkind k) {
  return ir_kind(b->ir, e->type) == k;
}

static bool read_of(mb *b, const ir_expr *e, code *k, int depth);

/* The operations on integers a read program computes (HV_OP): the name
 * of the builtin, its HVF_ code, how many operands it takes (-1: any). */
static const struct {
  const char *name;
  int f, n;
} hv_ops[] = {
    {"+", HVF_ADD, -1},        {"-", HVF_SUB, -1},         {"*", HVF_MUL, -1},
    {"quotient", HVF_QUO, 2},  {"remainder", HVF_REM, 2},  {"modulo", HVF_MOD, 2},
    {"abs", HVF_ABS, 1},       {"min", HVF_MIN, -1},       {"max", HVF_MAX, -1},
    {"logand", HVF_AND, -1},   {"logior", HVF_IOR, -1},    {"logxor", HVF_XOR, -1},
    {"lognot", HVF_LOGNOT, 1}, {"=", HVF_EQ, -1},          {"<", HVF_LT, -1},
    {">", HVF_GT, -1},         {"<=", HVF_LE, -1},         {">=", HVF_GE, -1},
    {"zero?", HVF_ZERO, 1},    {"positive?", HVF_POS, 1},  {"negative?", HVF_NEG, 1},
    {"even?", HVF_EVEN, 1},    {"odd?", HVF_ODD, 1},       {"ash", HVF_ASH, 2},
    {"expt", HVF_EXPT, 2},
    {"char-alphabetic?", HVF_ALPHA, 1}, {"char-numeric?", HVF_NUMERIC, 1},
    {"char-whitespace?", HVF_WHITE, 1}, {"char-upper-case?", HVF_UPPER, 1},
    {"char-lower-case?", HVF_LOWER, 1}, {"char-upcase", HVF_UPCASE, 1},
    {"char-downcase", HVF_DOWNCASE, 1},
};

/* The tag a value of static kind gets where it meets tagged values (as
 * mexpr.c's box()): + its tag's base. */
static bool tag_of(code *k, tkind kind) {
  double base = dyn_base(dyn_tag(kind));
  if (base == 0) return true;
  return put(k, HV_K) && put(k, (int32_t)(base - DYN_BASE)) && put(k, HV_K) && put(k, INT32_MAX) &&
         put(k, HV_ADD) && put(k, HV_K) && put(k, 1) && put(k, HV_ADD) && put(k, HV_ADD);
}

/* A number that may be past 32 bits (a tagged value): 2^31 + (x - 2^31). */
static bool big_k(code *k, double x) {
  if (x < DYN_BASE) return put(k, HV_K) && put(k, (int32_t)x);
  return put(k, HV_K) && put(k, (int32_t)(x - DYN_BASE)) && put(k, HV_K) && put(k, INT32_MAX) &&
         put(k, HV_ADD) && put(k, HV_K) && put(k, 1) && put(k, HV_ADD) && put(k, HV_ADD);
}

/* An operand of equal? that may be a string, as mstrings.c's
 * mx_string_canon() compares it: a literal that repeats an earlier
 * literal's text is that earlier one, v + sum over them of [v = i] (c -
 * i) (each term reads v again: the programs have no copy). */
static bool canon_of(mb *b, const ir_expr *x, code *k, int depth) {
  if (!read_of(b, x, k, depth + 1)) return false;
  tkind kx = ir_kind(b->ir, x->type);
  if (kx != T_STR && kx != T_DYN) return true;
  const mprog *p = b->p;
  double base = kx == T_DYN ? dyn_base(TAG_STR) : 0;
  for (int i = 1; i < p->strs.n; i++) {
    const char *s = world_string(p->w, p->strs.v[i]);
    int c = i;
    for (int j = 0; j < i && c == i; j++)
      if (!strcmp(s, world_string(p->w, p->strs.v[j]))) c = j;
    if (c == i) continue;
    if (!(read_of(b, x, k, depth + 1) && big_k(k, base + i) && op_n(k, HVF_SAME, 2) &&
          put(k, HV_K) && put(k, c - i) && op_n(k, HVF_MUL, 2) && put(k, HV_ADD)))
      return false;
  }
  return true;
}

/* eq?, eqv? or equal? of two values of one kind, or of a tagged value
 * and another (mexpr.c: the same number, the static one tagged; two
 * kinds that differ are never the same); where equal? may compare
 * strings by text, each operand's canonical literal. */
static bool same_of(mb *b, const ir_expr *e, code *k, int depth) {
  tkind k0 = ir_kind(b->ir, e->a[0]->type), k1 = ir_kind(b->ir, e->a[1]->type);
  bool text = e->ival == 1 || (e->ival != 2 && !strcmp(e->op->name, "equal?"));
  text = text && (k0 == T_STR || k1 == T_STR ||
                  ((k0 == T_DYN || k1 == T_DYN || k0 == T_ANY || k1 == T_ANY) &&
                   world_has_literal_strings(b->p->w)));
  if (text && b->ir->has_rtstr) return false;   /* not compiled (mstrings.c) */
  /* a kind not known (an element of an empty vector): the numbers as
   * they are, as mexpr.c compares them */
  bool any = k0 == T_ANY || k1 == T_ANY;
  if (!any && k0 != k1 && k0 != T_DYN && k1 != T_DYN) return put(k, HV_K) && put(k, 0);
  for (int j = 0; j < 2; j++) {
    tkind kj = j ? k1 : k0, other = j ? k0 : k1;
    if (!(text ? canon_of(b, e->a[j], k, depth) : read_of(b, e->a[j], k, depth + 1)))
      return false;
    if (!any && kj != T_DYN && other == T_DYN && !tag_of(k, kj)) return false;
  }
  return op_n(k, HVF_SAME, 2);
}

/* An operation of integers, each operand an integer as the model reads it
 * (a tagged integer is the integer itself). */
static bool prim_of(mb *b, const ir_expr *e, code *k, int depth) {
  const char *name = e->op->name;
  if (!strcmp(name, "%string-object") && e->n == 1 && b->p->str_tables) {
    if (b->p->str_n <= 0) return read_of(b, e->a[0], k, depth + 1);
    return read_of(b, e->a[0], k, depth + 1) && put(k, HV_STROBJ) && put(k, b->p->str_base) &&
           put(k, b->p->str_n);
  }
  /* a symbol's number as an integer, the symbol region, the number of
   * known symbols (msymbols.c) */
  if (!strcmp(name, "%symbol-cast") && e->n == 1) return read_of(b, e->a[0], k, depth + 1);
  if (!strcmp(name, "%symbol-region") && e->n == 0) return put(k, HV_K) && put(k, b->p->sym_base);
  if (!strcmp(name, "%symbol-count") && e->n == 0) return put(k, HV_K) && put(k, b->p->syms.n + 2);
  /* a string that is a vector's block: the same address (mstrings.c) */
  if (!strcmp(name, "%string-of-vector") && e->n == 1) return read_of(b, e->a[0], k, depth + 1);
  /* symbol->string: the literal of a known symbol's name, at symbase +
   * the symbol; a symbol made at run time is its name's block already
   * (mstrings.c, msymbols.c) */
  if (!strcmp(name, "%symbol-name") && e->n == 1 && b->p->str_tables) {
    if (!b->ir->has_rtsym)
      return read_of(b, e->a[0], k, depth + 1) && put(k, HV_MEM) && put(k, b->p->str_symbase);
    return read_of(b, e->a[0], k, depth + 1) && put(k, HV_K) && put(k, b->p->syms.n + 2) &&
           op_n(k, HVF_LT, 2) && read_of(b, e->a[0], k, depth + 1) && put(k, HV_MEM) &&
           put(k, b->p->str_symbase) && read_of(b, e->a[0], k, depth + 1) && put(k, HV_SEL);
  }
  for (size_t i = 0; i < sizeof hv_ops / sizeof hv_ops[0]; i++) {
    if (strcmp(hv_ops[i].name, name) || (hv_ops[i].n >= 0 && hv_ops[i].n != e->n)) continue;
    if (e->n == 0) {   /* (+), (*), (logior), (logxor), (logand): the identity */
      int f = hv_ops[i].f;
      if (f == HVF_ADD || f == HVF_IOR || f == HVF_XOR) return put(k, HV_K) && put(k, 0);
      if (f == HVF_MUL) return put(k, HV_K) && put(k, 1);
      if (f == HVF_AND) return put(k, HV_K) && put(k, -1);
      return false;
    }
    if (e->n > 16) return false;
    /* the character, string and symbol forms of these names are not the
     * integers' (mchars.c, mstrings.c, msymbols.c) */
    for (int j = 0; j < e->n; j++) {
      const ir_expr *a = e->a[j];
      /* a character's code point is the integer (char->integer is (+ c)) */
      bool intish = is_kind(b, a, T_INT) || is_kind(b, a, T_CHAR) ||
                    (a->k == X_CHECK && (a->ival == T_INT || a->ival == T_CHAR));
      /* an address is a number to + and - (the lowered string and
       * vector procedures' offsets) */
      /* ... and so is a tagged value the lowering adds to unchecked (an
       * integer there: a tagged integer is the integer itself) */
      if ((hv_ops[i].f == HVF_ADD || hv_ops[i].f == HVF_SUB) &&
          (is_kind(b, a, T_VEC) || is_kind(b, a, T_PAIR) || is_kind(b, a, T_DYN) ||
           (a->k == X_CHECK && (a->ival == T_VEC || a->ival == T_PAIR))))
        intish = true;
      if (!intish) return false;
      if (!read_of(b, a, k, depth + 1)) return false;
    }
    return op_n(k, hv_ops[i].f, e->n);
  }
  /* a kind test: of a tagged value, by its tag (mexpr.c's kind_test,
   * mchars.c's char?); of a value of one kind, a constant */
  static const struct {
    const char *name;
    int f;
    tkind k;
  } kinds[] = {{"integer?", HVF_ISINT, T_INT},   {"number?", HVF_ISINT, T_INT},
               {"pair?", HVF_ISPAIR, T_PAIR},    {"null?", HVF_ISNIL, T_NIL},
               {"procedure?", HVF_ISPROC, T_PROC}, {"vector?", HVF_ISVEC, T_VEC},
               {"string?", HVF_ISSTR, T_STR},    {"boolean?", HVF_ISBOOL, T_BOOL},
               {"symbol?", HVF_ISSYM, T_SYM},    {"char?", HVF_ISCHAR, T_CHAR}};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && e->n == 1; i++) {
    if (strcmp(kinds[i].name, name)) continue;
    tkind ak = ir_kind(b->ir, e->a[0]->type);
    if (ak != T_DYN) return put(k, HV_K) && put(k, ak == kinds[i].k);
    return read_of(b, e->a[0], k, depth + 1) && op_n(k, kinds[i].f, 1);
  }
  /* eq? and eqv? of two integers */
  bool eq = !strcmp(name, "eq?") || !strcmp(name, "eqv?") || !strcmp(name, "equal?");
  if (eq && e->n == 2 && is_kind(b, e->a[0], T_INT) && is_kind(b, e->a[1], T_INT))
    return read_of(b, e->a[0], k, depth + 1) && read_of(b, e->a[1], k, depth + 1) &&
           op_n(k, HVF_EQ, 2);
  if (eq && e->n == 2) return same_of(b, e, k, depth);
  return false;
}

/* [x is not #f] of a condition, 0 or 1, as mexpr.c's truth() */
static bool truth_of(mb *b, const ir_expr *c, code *k, int depth) {
  tkind ck = ir_kind(b->ir, c->type);
  if (ck != T_BOOL && ck != T_DYN) return false;
  return read_of(b, c, k, depth + 1) && op_n(k, ck == T_BOOL ? HVF_TRUE : HVF_TRUED, 1);
}

/* A table lookup as mexpr.c's table() computes it: the key (a tagged
 * one untagged to the table's keys' kind: one of another kind falls
 * outside the keys), the cell at base + key - kmin, or the default where
 * that cell was never written; a tagged table's cells and default hold
 * tagged values, a plain table's value meeting other kinds gets its tag. */
static bool table_of(mb *b, const ir_expr *e, code *k, int depth) {
  const table_layout *tl = NULL;
  for (int t = 0; t < b->p->tables.n; t++)
    if (b->p->tables.v[t].table == e->table) tl = &b->p->tables.v[t];
  if (!tl) return false;
  const table_def *td = e->table->table;
  if (td->n == 0) return false;
  for (int i = 0; i < td->n; i++)
    if (td->keys[i].kind != td->keys[0].kind) return false;
  bool tagged = machine_table_tagged(td);
  tkind rk = ir_kind(b->ir, e->type);
  tkind boxed = rk == T_DYN && !tagged ? machine_value_kind(td->vals[0]) : T_ANY;
  int32_t dv = 0, has = 0;
  if (td->has_default) {
    value d = td->dflt;
    if (d.kind != VK_INT && d.kind != VK_SYM && d.kind != VK_BOOL) return false;
    dv = d.i;
    if (d.kind == VK_SYM) {
      dv = 0;
      for (int s = 0; s < b->p->syms.n; s++)
        if (b->p->syms.v[s] == d.i) dv = s + 2;
    }
    has = 1;
    double base = tagged ? dyn_base(dyn_tag(machine_value_kind(d))) : 0;
    if (base != 0) {   /* a tagged default: 2^31 + dv (HV_TABLE) */
      dv += (int32_t)(base - DYN_BASE);
      has = 2;
    }
  }
  if (!read_of(b, e->a[0], k, depth + 1)) return false;
  if (is_kind(b, e->a[0], T_DYN)) {
    double base = dyn_base(dyn_tag(machine_value_kind(td->keys[0])));
    if (base != 0 &&
        !(put(k, HV_K) && put(k, (int32_t)(base - DYN_BASE)) && put(k, HV_K) &&
          put(k, INT32_MAX) && put(k, HV_ADD) && put(k, HV_K) && put(k, 1) && put(k, HV_ADD) &&
          put(k, HV_SUB)))
      return false;
  }
  if (!(put(k, HV_TABLE) && put(k, tl->base) && put(k, tl->kmin) && put(k, tl->kmax) &&
        put(k, has) && put(k, dv)))
    return false;
  return boxed == T_ANY || tag_of(k, boxed);
}

static bool arm_of(mb *b, const ir_expr *e, code *k, int depth) {
  int n = k->n;
  if (read_of(b, e, k, depth)) return true;
  k->n = n;
  return put(k, HV_NONE);
}

static bool read_raw(mb *b, const ir_expr *e, code *k, int depth) {
  switch (e->k) {
  case X_CONST:
    /* the model's value is the constant's number, whatever its kind (an
     * integer, a boolean, a symbol's or a literal string's number, a
     * character's code point: mexpr.c mx_const(ival)) */
    return put(k, HV_K) && put(k, e->ival);
  case X_FAIL:
    return put(k, HV_NONE);   /* a value never reached */
  case X_VAR: {
    if (e->var < 0) return false;
    const var_home *h = &b->home[e->var];
    return h->frame ? put(k, HV_FRAME) && put(k, h->off) : put(k, HV_CELL) && put(k, h->addr);
  }
  case X_CHECK: {
    /* an operand of kind ival: the value itself, or untagged (mexpr.c's
     * checked(); a tagged integer is the integer itself) */
    tkind have = ir_kind(b->ir, e->a[0]->type), want = (tkind)e->ival;
    if (have != want && have != T_DYN) return false;
    if (!read_of(b, e->a[0], k, depth + 1)) return false;
    double base = have == T_DYN ? dyn_base(dyn_tag(want)) : 0;
    if (base == 0) return true;
    return put(k, HV_K) && put(k, (int32_t)(base - DYN_BASE)) && put(k, HV_K) &&
           put(k, INT32_MAX) && put(k, HV_ADD) && put(k, HV_K) && put(k, 1) && put(k, HV_ADD) &&
           put(k, HV_SUB);
  }
  /* a vector's element or length, a car or cdr: the cell at the
   * address the model computes (mexpr.c vref(), cxr()), whatever the
   * operand's kind (a value the lowering knows to be a vector or a pair
   * there) */
  case X_VREF:
    return read_of(b, e->a[0], k, depth + 1) && read_of(b, e->a[1], k, depth + 1) &&
           put(k, HV_ADD) && put(k, HV_MEM) && put(k, 2);
  case X_VLEN:
    return read_of(b, e->a[0], k, depth + 1) && put(k, HV_MEM) && put(k, 0);
  case X_CXR:
    return read_of(b, e->a[0], k, depth + 1) && put(k, HV_MEM) && put(k, e->ival);
  case X_PRIM:
    return prim_of(b, e, k, depth);
  case X_SELECT:
    /* both arms are computed; the select keeps the one the condition
     * takes.  An arm that is no read (a failure, a string) is no value:
     * the host keeps the text without values where it is taken */
    if (!is_kind(b, e->a[0], T_BOOL) && !is_kind(b, e->a[0], T_DYN))
      return read_of(b, e->a[1], k, depth + 1);   /* never #f */
    return truth_of(b, e->a[0], k, depth) && arm_of(b, e->a[1], k, depth + 1) &&
           arm_of(b, e->a[2], k, depth + 1) && put(k, HV_SEL);
  case X_NOT: {
    tkind ck = ir_kind(b->ir, e->a[0]->type);
    if (ck != T_BOOL && ck != T_DYN) return put(k, HV_K) && put(k, 0);
    return read_of(b, e->a[0], k, depth + 1) && op_n(k, ck == T_BOOL ? HVF_NOT : HVF_NOTD, 1);
  }
  case X_SEQ:
    return e->n > 0 && read_of(b, e->a[e->n - 1], k, depth + 1);
  case X_TABLE:
    return table_of(b, e, k, depth);
  default:
    return false;
  }
}

/* A value as the model computes it, in the representation of its node's
 * class (a node of static kind among tagged values gets its tag, as
 * mx_expr() gives it). */
static bool read_of(mb *b, const ir_expr *e, code *k, int depth) {
  if (depth > 24) return false;
  if (!read_raw(b, e, k, depth)) return false;
  if (e->has_nat && e->nat != T_INT && is_kind(b, e, T_DYN)) {
    double base = dyn_base(dyn_tag(e->nat));
    if (base != 0) return put(k, HV_K) && put(k, (int32_t)(base - DYN_BASE)) && put(k, HV_K) &&
                          put(k, INT32_MAX) && put(k, HV_ADD) && put(k, HV_K) && put(k, 1) &&
                          put(k, HV_ADD) && put(k, HV_ADD);
  }
  return true;
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
  if (!sum && strcmp(op, "*") && !((!strcmp(op, "ash") || !strcmp(op, "expt")) && e->n == 2))
    return site;
  if (sum && e->ival == 3) op = op[0] == '+' ? "1+" : "1-";   /* written (1+ x) */
  return mb_host_site(b, site, op, NULL, (const ir_expr *const *)e->a, e->n);
}

/* ---- circuits ------------------------------------------------------- */

/* A circuit (circuit.c) reads its arguments and its table's entries from
 * the prompt, and its key is a pure tree of them: the read program of a
 * computed key reads prompt positions (HV_CELL a: the token at position
 * a; the table's block by HV_TABLE, as a machine's), so the host names
 * the key the circuit looked up from the prompt it ran on.  Values are
 * as the circuit's tokens carry them: integers and booleans themselves,
 * a symbol its number + 2. */
static bool cread(const ir_prog *ir, const circuit *c, const ir_expr *e, code *k, int depth);

static bool carm(const ir_prog *ir, const circuit *c, const ir_expr *e, code *k, int depth) {
  int n = k->n;
  if (cread(ir, c, e, k, depth)) return true;
  k->n = n;
  return put(k, HV_NONE);
}

static bool cprim(const ir_prog *ir, const circuit *c, const ir_expr *e, code *k, int depth) {
  static const struct {
    const char *name;
    int f, n;
  } ops[] = {{"+", HVF_ADD, -1},       {"-", HVF_SUB, -1},         {"*", HVF_MUL, -1},
             {"<", HVF_LT, 2},         {">", HVF_GT, 2},           {"<=", HVF_LE, 2},
             {">=", HVF_GE, 2},        {"=", HVF_EQ, 2},           {"eq?", HVF_EQ, 2},
             {"eqv?", HVF_EQ, 2},      {"equal?", HVF_EQ, 2},      {"zero?", HVF_ZERO, 1},
             {"positive?", HVF_POS, 1}, {"negative?", HVF_NEG, 1}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    if (strcmp(ops[i].name, e->op->name) || (ops[i].n >= 0 && ops[i].n != e->n)) continue;
    if (e->n == 0) return put(k, HV_K) && put(k, ops[i].f == HVF_MUL ? 1 : 0);
    if (e->n > 16) return false;
    for (int j = 0; j < e->n; j++)
      if (!cread(ir, c, e->a[j], k, depth + 1)) return false;
    return op_n(k, ops[i].f, e->n);
  }
  return false;
}

static bool cread(const ir_prog *ir, const circuit *c, const ir_expr *e, code *k, int depth) {
  if (depth > 24) return false;
  tkind kind = ir_kind(ir, e->type);
  switch (e->k) {
  case X_CONST:
    if (kind == T_SYM) return put(k, HV_K) && put(k, (int32_t)e->ival + 2);
    if (kind == T_INT || kind == T_BOOL) return put(k, HV_K) && put(k, (int32_t)e->ival);
    return false;
  case X_VAR: {
    const ir_fn *m = &ir->fns.v[ir->main_fn];
    for (int i = 0; i < m->nparams && i < c->nparams; i++)
      if (m->params[i] == e->var) return put(k, HV_CELL) && put(k, c->param_pos[i]);
    return false;
  }
  case X_PRIM:
    return cprim(ir, c, e, k, depth);
  case X_SELECT: {
    tkind ck = ir_kind(ir, e->a[0]->type);
    if (ck == T_INT || ck == T_SYM) return cread(ir, c, e->a[1], k, depth + 1);
    if (ck != T_BOOL) return false;
    return cread(ir, c, e->a[0], k, depth + 1) && op_n(k, HVF_TRUE, 1) &&
           carm(ir, c, e->a[1], k, depth + 1) && carm(ir, c, e->a[2], k, depth + 1) &&
           put(k, HV_SEL);
  }
  case X_NOT:
    if (ir_kind(ir, e->a[0]->type) != T_BOOL) return put(k, HV_K) && put(k, 0);
    return cread(ir, c, e->a[0], k, depth + 1) && op_n(k, HVF_NOT, 1);
  case X_SEQ:
    return e->n > 0 && cread(ir, c, e->a[e->n - 1], k, depth + 1);
  case X_TABLE: {
    const struct ctable *t = NULL;
    for (int i = 0; i < c->ntables; i++)
      if (c->tables[i].table == e->table) t = &c->tables[i];
    if (!t) return false;
    const table_def *td = e->table->table;
    int32_t dv = 0;
    if (td->has_default) {
      value d = td->dflt;
      if (d.kind != VK_INT && d.kind != VK_SYM && d.kind != VK_BOOL) return false;
      dv = d.kind == VK_SYM ? d.i + 2 : d.i;
    }
    return cread(ir, c, e->a[0], k, depth + 1) && put(k, HV_TABLE) && put(k, t->base) &&
           put(k, (int32_t)t->kmin) && put(k, (int32_t)t->kmax) && put(k, td->has_default) &&
           put(k, dv);
  }
  default:
    return false;
  }
}

bool mb_circuit_key_site(const ir_prog *ir, const circuit *c, const ir_expr *key,
                         const char *table, err_site *site) {
  code k = {.n = 0};
  tkind kind = ir_kind(ir, key->type);
  /* table keys are integers or symbols (lang: deftable) */
  if (kind != T_INT && kind != T_SYM) return false;
  if (!cread(ir, c, key, &k, 0)) return false;
  if (!put(&k, kind == T_SYM ? HV_ENDSYM : HV_END)) return false;
  site->hcode = xmalloc((size_t)k.n * sizeof *k.c);
  memcpy(site->hcode, k.c, (size_t)k.n * sizeof *k.c);
  site->nhcode = k.n;
  site->hn = 1;
  site->hpc = -1;
  site->hop = NULL;
  site->hmsg = mb_describe(NULL, "table %s has no entry for \001", table);
  return true;
}
