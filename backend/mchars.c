/* mchars.c - characters in the machine (docs/trace-format.md,
 * "Characters"): the Unicode classes and case mappings of the character
 * builtins as lookups in tables the prompt lays out, and `char?`.
 *
 * A character is its code point (lang/lower-chars.c); comparisons and
 * char->integer are integer operations.  A class (char-alphabetic?, ...)
 * is a sorted list of disjoint ranges: the prompt writes its boundaries
 * into memory at base + code point, 1 where a range starts and 0 just
 * after it ends, with a 0 below the first and a 1 past the last, so
 * that the boundaries alternate.  The memory head returns the written
 * address nearest to base + x and its value (docs: "Memory"): when that
 * boundary is at or below x, x is in the class if it holds 1; when it is
 * above x, the one before it (the opposite value) is the one at or below
 * x.  So one read and one unit answer, exactly, for every code point.  A
 * case mapping writes to - from at base + from for each mapped code
 * point; a read that finds its own address adds it, any other leaves x.
 * A table takes 0x110002 addresses; a program that never uses a class
 * or mapping has no table and pays nothing.
 *
 * Ownership: tables belong to the program (mprog.uc_base); nothing here
 * keeps state.
 */
#include "config.h"

#include "mbuild.h"

#include <string.h>

#define UC_SPAN 0x110000   /* code points */

static const char *const uc_names[UC_NTABLES] = {
  "char-alphabetic?", "char-numeric?", "char-whitespace?", "char-upper-case?",
  "char-lower-case?", "char-upcase", "char-downcase"};

static int table_of(const char *op) {
  for (int i = 0; i < UC_NTABLES; i++)
    if (!strcmp(op, uc_names[i])) return i;
  return -1;
}

static bool is_map(int t) { return t >= UC_UPCASE; }

void mb_chars_note(mb *b, const ir_expr *e) {
  if (e->k != X_PRIM || !e->op) return;
  int t = table_of(e->op->name);
  if (t >= 0) b->p->uc_used |= 1u << t;
}

int32_t mb_chars_layout(mb *b, int32_t next) {
  for (int t = 0; t < UC_NTABLES; t++) {
    b->p->uc_base[t] = 0;
    if (!(b->p->uc_used & (1u << t))) continue;
    /* a class has a boundary below its first code point */
    b->p->uc_base[t] = next + (is_map(t) ? 0 : 1);
    next += UC_SPAN + 2;
  }
  return next;
}

static void put(i64_vec *w, int64_t addr, int64_t v) {
  VEC_PUSH(*w, addr);
  VEC_PUSH(*w, v);
}

void machine_chars_prompt(const mprog *p, i64_vec *writes) {
  for (int t = 0; t < UC_NTABLES; t++) {
    if (!(p->uc_used & (1u << t))) continue;
    const int32_t(*r)[2];
    int n = char_table(t, &r);
    int64_t base = p->uc_base[t];
    if (is_map(t)) {
      for (int i = 0; i < n; i++) put(writes, base + r[i][0], r[i][1] - r[i][0]);
      continue;
    }
    put(writes, base - 1, 0);
    int64_t end = -1;   /* the end of the ranges merged so far */
    for (int i = 0; i < n; i++) {
      if (i > 0 && r[i][0] <= end + 1) {
        if (r[i][1] > end) end = r[i][1];
        continue;
      }
      if (i > 0) put(writes, base + end + 1, 0);
      put(writes, base + r[i][0], 1);
      end = r[i][1];
    }
    if (n > 0) put(writes, base + end + 1, 0);
    if (n == 0 || end + 1 < UC_SPAN) put(writes, base + UC_SPAN, 1);
  }
}

/* The table lookup of code point x (in 0..#x10FFFF). */
static cval lookup(mb *b, int t, cval x) {
  gate_graph *gg = b->gg;
  double base = b->p->uc_base[t];
  cval at = {gf_addk(gg, x.f, base), x.lo + base, x.hi + base, false};
  gform w;
  if (is_map(t)) {
    const int32_t(*r)[2];
    int n = char_table(t, &r);
    double lo = 0, hi = 0;
    for (int i = 0; i < n; i++) {
      double d = r[i][1] - r[i][0];
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
    cval d = mx_read_dyn(b, at, &w, lo, hi, uc_names[t]);
    gform hit = gf_gate(gg, gg_eqk(gg, "mapped", gf_axpy(gg, w, -1, at.f), 0));
    cval moved = {gf_add(gg, x.f, d.f), x.lo + lo, x.hi + hi, false};
    cval r2 = mx_select(b, hit, moved, x);
    r2.lo = 0;
    r2.hi = UC_SPAN - 1;
    return r2;
  }
  cval v = mx_read_dyn(b, at, &w, 0, 1, uc_names[t]);
  /* [the boundary found is at or below x] */
  gform le = gf_gate(gg, gg_step(gg, "boundary <= x", gf_addk(gg, gf_axpy(gg, at.f, -1, w), 1)));
  /* in the class: the value found when le, its opposite otherwise */
  gform same = gf_gate(gg, gg_eqk(gg, "in class", gf_add(gg, v.f, le), 1));
  cval r = {gf_addk(gg, gf_scale(gg, same, -1), 1), 0, 1, true};
  return r;
}

bool mx_char_prim(mb *b, const ir_expr *e, const cval *a, cval *out) {
  const char *op = e->op->name;
  if (!strcmp(op, "char?")) {
    tkind k = ir_kind(b->ir, e->a[0]->type);
    if (k == T_DYN) {
      double base = dyn_base(TAG_CHAR);
      cval r = {mx_in_range(b, a[0], base, base + DYN_SPAN - 1), 0, 1, true};
      *out = r;
    } else {
      *out = mx_const(b, k == T_CHAR);
    }
    return true;
  }
  int t = table_of(op);
  if (t < 0) return false;
  double k;
  if (gf_is_const(a[0].f, &k) && k >= 0 && k < UC_SPAN) {
    /* a constant: the compiler looks it up itself */
    int32_t cp = (int32_t)k;
    switch (t) {
    case UC_ALPHA: *out = mx_const(b, char_alphabetic(cp)); break;
    case UC_NUMERIC: *out = mx_const(b, char_numeric(cp)); break;
    case UC_WHITE: *out = mx_const(b, char_whitespace(cp)); break;
    case UC_UPPER: *out = mx_const(b, char_upper_case(cp)); break;
    case UC_LOWER: *out = mx_const(b, char_lower_case(cp)); break;
    case UC_UPCASE: *out = mx_const(b, char_upcase(cp)); break;
    default: *out = mx_const(b, char_downcase(cp)); break;
    }
    return true;
  }
  if (!b->p->uc_base[t]) {
    mb_fail(b, "internal error: %s without its table", op);
    *out = mx_const(b, 0);
    return true;
  }
  /* the operand is a character (a tagged one was untagged and checked) */
  cval x = a[0];
  if (x.lo < 0) x.lo = 0;
  if (x.hi > UC_SPAN - 1) x.hi = UC_SPAN - 1;
  *out = lookup(b, t, x);
  return true;
}

/* display or write of a character: PRINT, then its code point as a
 * value; the host shows it as the character (display) or as #\a,
 * #\space (write), as it shows an integer in decimal. */
void mb_display_char(mb *b, ir_expr *e, bool write, int fn, srcloc loc) {
  mstmt *m = mb_step(b, M_MARK, fn, loc);
  m->mark = R_PRINT;
  m = mb_step(b, M_OUTINT, fn, loc);
  m->val = e;
  m->out_kind = T_CHAR;
  m->write = write;
  m->what = mb_describe(b, write ? "write a character" : "print a character");
}
