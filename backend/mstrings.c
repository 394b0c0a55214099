/* mstrings.c - equal? on strings in compiled code.
 *
 * A compiled string is the number of its literal (its STR token), and
 * each literal is its own object, as in the evaluator and Guile: eq? and
 * eqv? compare those numbers.  equal? compares characters, so two
 * literals of the same text must be equal?: before comparing, each
 * operand that may be a string goes to the first literal of its text
 * (the program's strings are known when it is compiled): v + sum over the
 * literals i that repeat an earlier text c of [v = i] (c - i), one
 * equality unit per such literal, for a tagged value the same on the
 * string tag's numbers (other kinds never equal them).  A program whose
 * strings are all different pays nothing.
 *
 * Ownership: nothing kept; the units belong to the step being built.
 */
#include "config.h"

#include "mbuild.h"

#include <string.h>

cval mx_string_canon(mb *b, const ir_expr *x, cval v) {
  tkind k = ir_kind(b->ir, x->type);
  if (k != T_STR && k != T_DYN) return v;
  if (b->ir->has_rtstr) {
    mb_fail(b, "equal? on strings made at run time is not compiled to the "
               "transformer yet (run it with --reference)");
    return v;
  }
  gate_graph *gg = b->gg;
  double base = k == T_DYN ? dyn_base(TAG_STR) : 0;
  const mprog *p = b->p;
  gform f = v.f;
  for (int i = 1; i < p->strs.n; i++) {
    const char *s = world_string(p->w, p->strs.v[i]);
    int c = i;
    for (int j = 0; j < i && c == i; j++)
      if (!strcmp(s, world_string(p->w, p->strs.v[j]))) c = j;
    if (c == i) continue;
    double at = base + i;
    if (v.hi < at || v.lo > at) continue;
    gform eq = gf_gate(gg, gg_eqk(gg, "the same text", v.f, at));
    f = gf_axpy(gg, f, (double)(c - i), eq);
  }
  cval r = v;
  r.f = f;
  r.clean = false;
  return r;
}

/* ---- strings in memory (docs/trace-format.md, "Strings") ------------- */

/* A string value is the number i of a literal (i < n, the program's n
 * strings) or the heap address of a string made at run time, laid out as
 * a vector: [length, 0, characters...].  The prompt writes the literals
 * the same way, from base B: MEM[B + i] = the address of literal i's
 * block, the blocks from B + n; then, for symbol->string, MEM[S + k] =
 * the literal of symbol k's name.  %string-object turns a string value
 * into the address of its block: one read and one select, after which
 * every string is read as a vector (lang/lower-strings2.c). */

void mb_strings_note(mb *b, const ir_expr *e) {
  if (e->k != X_PRIM || !e->op) return;
  const char *op = e->op->name;
  if (op[0] == '%' && strstr(op, "string")) b->p->str_tables = true;
  if (!strcmp(op, "%symbol-name") || !strcmp(op, "%literal?")) b->p->str_tables = true;
  if (!strcmp(op, "%literal-text")) b->p->str_cuts = true;
  if (!strcmp(op, "%symbol-name")) b->p->str_syms = true;
}

static int32_t total_chars(const mprog *p, int n) {
  int64_t t = 0;
  for (int i = 0; i < n; i++) {
    const char *s = world_string(p->w, p->strs.v[i]);
    size_t len = strlen(s), k = 0;
    while (k < len) {
      utf8_get(s, len, &k);
      t++;
    }
  }
  return (int32_t)(t < ADDR_MAX ? t : ADDR_MAX);
}

void mb_strings_syms(mb *b, int (*prog_str)(mb *, int)) {
  mprog *p = b->p;
  if (b->ir->has_rtstr || p->str_cuts) p->str_tables = true;   /* display reads blocks */
  for (int k = 0; p->str_syms && k < p->syms.n; k++) {
    const char *name = sym_name(&p->w->syms, p->syms.v[k]);
    prog_str(b, world_intern_string(p->w, name, strlen(name)));
  }
  if (p->str_cuts) {
    /* each literal as the evaluator writes it into a message: cut to 56
     * bytes and ..." when its written form is longer than 60 */
    int n = p->strs.n;
    p->str_ncut = n;
    for (int i = 0; i < n; i++) {
      strbuf t;
      sb_init(&t);
      str_write(p->w, v_str(p->strs.v[i]), &t);
      if (t.n > 60) {
        t.n = 56;
        sb_puts(&t, "...\"");
      }
      prog_str(b, world_intern_string(p->w, t.s ? t.s : "", t.n));
      sb_free(&t);
    }
  }
}

int32_t mb_strings_layout(mb *b, int32_t next) {
  mprog *p = b->p;
  p->str_base = next;
  p->str_n = p->strs.n;
  int64_t end = (int64_t)next + p->str_n + 2 * (int64_t)p->str_n + total_chars(p, p->str_n);
  p->str_symbase = (int32_t)end;
  if (p->str_syms) end += p->syms.n + 2;
  p->str_cutbase = (int32_t)end;
  if (p->str_cuts) end += p->str_ncut;
  return (int32_t)(end < ADDR_MAX ? end : ADDR_MAX);
}

void machine_strings_prompt(const mprog *p, i64_vec *w) {
  int n = p->str_n;
  int64_t B = p->str_base, at = B + n;
  for (int i = 0; i < n; i++) {
    const char *s = world_string(p->w, p->strs.v[i]);
    size_t len = strlen(s), k = 0;
    int64_t count = 0;
    VEC_PUSH(*w, B + i);
    VEC_PUSH(*w, at);
    while (k < len) {
      int32_t cp = utf8_get(s, len, &k);
      VEC_PUSH(*w, at + 2 + count);
      VEC_PUSH(*w, cp);
      count++;
    }
    VEC_PUSH(*w, at);
    VEC_PUSH(*w, count);
    at += count + 2;
  }
  for (int i = 0; p->str_cuts && i < p->str_ncut; i++) {
    strbuf t;
    sb_init(&t);
    str_write(p->w, v_str(p->strs.v[i]), &t);
    if (t.n > 60) {
      t.n = 56;
      sb_puts(&t, "...\"");
    }
    int wid = world_intern_string(p->w, t.s ? t.s : "", t.n), id = 0;
    for (int j = 0; j < n; j++)
      if (p->strs.v[j] == wid) id = j;
    sb_free(&t);
    VEC_PUSH(*w, (int64_t)p->str_cutbase + i);
    VEC_PUSH(*w, id);
  }
  if (!p->str_syms) return;
  for (int k = 0; k < p->syms.n; k++) {
    const char *name = sym_name(&p->w->syms, p->syms.v[k]);
    /* the interned name (mb_strings_syms), not a literal of that text:
     * symbol->string is not eq? to a literal, as in the evaluator */
    int wid = world_intern_string(p->w, name, strlen(name)), id = -1;
    for (int i = 0; i < n && id < 0; i++)
      if (p->strs.v[i] == wid) id = i;
    VEC_PUSH(*w, (int64_t)p->str_symbase + k + 2);
    VEC_PUSH(*w, id < 0 ? 0 : id);
  }
}

static cval read_at(mb *b, cval s, double off, double lo, double hi, const char *label) {
  gate_graph *gg = b->gg;
  cval at = {gf_addk(gg, s.f, off), s.lo + off, s.hi + off, false};
  if (at.lo < 0) at.lo = 0;
  if (at.hi > ADDR_MAX) at.hi = ADDR_MAX;
  gform w;
  return mx_read_dyn(b, at, &w, lo, hi, label);
}

bool mx_string_prim(mb *b, const ir_expr *e, const cval *a, cval *out) {
  const char *op = e->op->name;
  if (op[0] != '%') return false;
  mprog *p = b->p;
  gate_graph *gg = b->gg;
  if (!strcmp(op, "%string-of-vector")) {
    *out = a[0];
    return true;
  }
  if (!strcmp(op, "%symbol-name")) {
    *out = read_at(b, a[0], p->str_symbase, 0, p->str_n > 0 ? p->str_n - 1 : 0, "symbol name");
    if (b->ir->has_rtsym)   /* a symbol made at run time: its name's block (msymbols.c) */
      *out = mx_select(b, mx_symbol_static(b, a[0]), *out, a[0]);
    return true;
  }
  if (!strcmp(op, "%literal?")) {   /* a literal: its number, below n */
    *out = (cval){gf_gate(gg, gg_step(gg, "a literal", gf_addk(gg, gf_scale(gg, a[0].f, -1), p->str_n))), 0, 1, true};
    if (b->ir->has_rtsym && p->sym_base)   /* or the name of a symbol made at run time */
      out->f = gf_add(gg, out->f, mx_in_range(b, a[0], p->sym_base, p->sym_base + SYM_REGION + 1));
    return true;
  }
  if (!strcmp(op, "%literal-text")) {   /* a literal: its text in a message */
    *out = read_at(b, a[0], p->str_cutbase, 0, p->str_n > 0 ? p->str_n - 1 : 0, "literal text");
    return true;
  }
  if (strcmp(op, "%string-object")) return false;
  cval s = a[0];
  if (s.lo < 0) s.lo = 0;
  if (s.hi > ADDR_MAX) s.hi = ADDR_MAX;
  int n = p->str_n;
  if (n <= 0 || s.lo >= n) {
    *out = s;
    return true;
  }
  cval blk = read_at(b, s, p->str_base, 0, ADDR_MAX, "string block");
  if (s.hi < n) {
    *out = blk;
    return true;
  }
  gform lit = gf_gate(gg, gg_step(gg, "a literal", gf_addk(gg, gf_scale(gg, s.f, -1), n)));
  *out = mx_select(b, lit, blk, s);
  if (out->lo < 0) out->lo = 0;
  if (out->hi > ADDR_MAX) out->hi = ADDR_MAX;
  return true;
}

/* ---- display and write of a string that may be made at run time ------ */

static ir_expr *bin(mb *b, const char *op, ir_expr *x, ir_expr *y, tkind k) {
  ir_expr *e = mb_mkx(b, X_PRIM, mb_kind_type(b, k), 2);
  e->op = builtin_find(op);
  e->a[0] = x;
  e->a[1] = y;
  return e;
}

static const builtin string_object_op = {"%string-object", 1, 1, AK_STR, NULL, VK_VEC, NULL, "", NULL};

/* A loop over its block's characters, each a PRINT and its code point
 * from a step whose out_kind is T_STR: the host shows it as the
 * character, escaped as `write` escapes it in a string. */
void mb_display_string(mb *b, ir_expr *e, bool write, int fn, srcloc loc) {
  int vt = mb_kind_type(b, T_VEC);
  int ct = mb_kind_type(b, T_CHAR);   /* may grow the types: before taking vt's */
  b->ir->types.v[vt].elem = ct;
  int v = mb_temp(b, vt, "display:s");
  int i = mb_temp(b, mb_int_type(b), "display:i");
  ir_expr *obj = mb_mkx(b, X_PRIM, vt, 1);
  obj->op = &string_object_op;
  obj->a[0] = e;
  mstmt *m = mb_step(b, M_WRITE, fn, loc);
  mb_set_target(b, m, v);
  m->val = obj;
  m->what = mb_describe(b, "display: take the string");
  m = mb_step(b, M_WRITE, fn, loc);
  mb_set_target(b, m, i);
  m->val = mb_int_const(b, 0);
  m->what = mb_describe(b, "display: i := 0");
  if (write) {
    m = mb_step(b, M_OUTSTR, fn, loc);
    m->konst = mb_str_const(b, "\"");
  }
  int head = b->ms.n;
  ir_expr *len = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
  len->a[0] = mb_var_ref(b, v);
  m = mb_step(b, M_BRANCH, fn, loc);
  m->val = bin(b, "<", mb_var_ref(b, i), len, T_BOOL);
  m->what = mb_describe(b, "display: more characters?");
  int branch = b->ms.n - 1;
  b->ms.v[branch].l1 = b->ms.n;
  b->ms.v[branch].l1_is_pc = true;
  ir_expr *ch = mb_mkx(b, X_VREF, b->ir->types.v[vt].elem, 2);
  ch->a[0] = mb_var_ref(b, v);
  ch->a[1] = mb_var_ref(b, i);
  m = mb_step(b, M_MARK, fn, loc);
  m->mark = R_PRINT;
  m = mb_step(b, M_OUTINT, fn, loc);
  m->val = ch;
  m->out_kind = T_STR;
  m->write = write;
  m->what = mb_describe(b, write ? "write a string's character" : "print a string's character");
  m = mb_step(b, M_WRITE, fn, loc);
  mb_set_target(b, m, i);
  m->val = bin(b, "+", mb_var_ref(b, i), mb_int_const(b, 1), T_INT);
  m->what = mb_describe(b, "display: i := i + 1");
  m = mb_step(b, M_JUMP, fn, loc);
  m->l1 = head;
  m->l1_is_pc = true;
  b->ms.v[branch].l2 = b->ms.n;
  b->ms.v[branch].l2_is_pc = true;
  if (write) {
    m = mb_step(b, M_OUTSTR, fn, loc);
    m->konst = mb_str_const(b, "\"");
  }
}
