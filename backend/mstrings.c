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

/* ---- the procedures that read strings -------------------------------- */

/* The program's strings as tables in memory, written by the prompt when
 * the program reads strings (lang/lower-strings.c): from base B, with n
 * strings, MEM[B + i] = the length of string i, MEM[B + n + i] = its
 * rank in code-point order (equal texts, equal ranks), MEM[B + 2n + i] =
 * where its characters start, from B + 3n: MEM[B + 3n + start + j] = its
 * character j.  string-ref is two reads (where, then the character);
 * the comparisons compare ranks. */

static const char *const readers[] = {
  "string-length", "string-ref", "string-null?", "string=?", "string<?",
  "string>?", "string<=?", "string>=?", NULL};

static int reader_of(const char *op) {
  for (int i = 0; readers[i]; i++)
    if (!strcmp(op, readers[i])) return i;
  return -1;
}

void mb_strings_note(mb *b, const ir_expr *e) {
  if (e->k == X_PRIM && e->op && reader_of(e->op->name) >= 0) b->p->str_tables = true;
}

static int32_t total_chars(const mprog *p) {
  int64_t t = 0;
  for (int i = 0; i < p->strs.n; i++) {
    const char *s = world_string(p->w, p->strs.v[i]);
    size_t n = strlen(s), k = 0;
    while (k < n) {
      utf8_get(s, n, &k);
      t++;
    }
  }
  return (int32_t)(t < ADDR_MAX ? t : ADDR_MAX);
}

int32_t mb_strings_layout(mb *b, int32_t next) {
  mprog *p = b->p;
  p->str_base = next;
  p->str_n = p->strs.n;
  return next + 3 * p->str_n + total_chars(p);
}

static int by_text(const void *x, const void *y, void *w) {
  const mprog *p = w;
  return strcmp(world_string(p->w, p->strs.v[*(const int *)x]),
                world_string(p->w, p->strs.v[*(const int *)y]));
}

void machine_strings_prompt(const mprog *p, i64_vec *w) {
  int n = p->str_n;
  if (n <= 0) return;
  int *order = xcalloc((size_t)n, sizeof(int));
  for (int i = 0; i < n; i++) {   /* by text (few strings: insertion) */
    int j = i;
    while (j > 0 && by_text(&order[j - 1], &i, (void *)p) > 0) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  int64_t B = p->str_base, start = 0;
  for (int r = 0, rank = 0; r < n; r++) {
    if (r > 0 && by_text(&order[r - 1], &order[r], (void *)p) != 0) rank++;
    VEC_PUSH(*w, B + n + order[r]);
    VEC_PUSH(*w, rank);
  }
  for (int i = 0; i < n; i++) {
    const char *s = world_string(p->w, p->strs.v[i]);
    size_t len = strlen(s), k = 0;
    int64_t count = 0;
    VEC_PUSH(*w, B + 2 * n + i);
    VEC_PUSH(*w, start);
    while (k < len) {
      int32_t cp = utf8_get(s, len, &k);
      VEC_PUSH(*w, B + 3 * n + start + count);
      VEC_PUSH(*w, cp);
      count++;
    }
    VEC_PUSH(*w, B + i);
    VEC_PUSH(*w, count);
    start += count;
  }
  free(order);
}

static cval read_at(mb *b, cval s, double off, double hi, const char *label) {
  gate_graph *gg = b->gg;
  cval at = {gf_addk(gg, s.f, off), s.lo + off, s.hi + off, false};
  gform w;
  return mx_read_dyn(b, at, &w, 0, hi, label);
}

/* A string operand: its number, within the program's strings. */
static cval string_num(mb *b, cval s) {
  if (s.lo < 0) s.lo = 0;
  if (s.hi > b->p->str_n - 1) s.hi = b->p->str_n - 1;
  return s;
}

bool mx_string_prim(mb *b, const ir_expr *e, const cval *a, cval *out) {
  int r = reader_of(e->op->name);
  if (r < 0) return false;
  mprog *p = b->p;
  gate_graph *gg = b->gg;
  if (p->str_n <= 0) {
    /* no strings at all: the operands' kind checks fail first */
    *out = mx_const(b, 0);
    return true;
  }
  int n = p->str_n;
  double maxlen = total_chars(p);
  if (r <= 2) {
    cval s = string_num(b, a[0]);
    cval len = read_at(b, s, p->str_base, maxlen, "string length");
    if (r == 0) {
      *out = len;
    } else if (r == 2) {
      cval z = {gf_gate(gg, gg_eqk(gg, "empty", len.f, 0)), 0, 1, true};
      *out = z;
    } else {
      /* string-ref: the index within the length, else the evaluator's
       * error at the index (the values known only when it runs: D18) */
      cval k = a[1];
      gform below = gf_gate(gg, gg_step(gg, "index < 0", gf_scale(gg, k.f, -1)));
      gform past = gf_gate(gg, gg_step(gg, "index >= length", gf_addk(gg, gf_axpy(gg, k.f, -1, len.f), 1)));
      int site = mb_site(b, "bounds", e->a[1]->loc,
                         "string-ref: the index is out of range for the string");
      mx_flag(b, gf_add(gg, below, past), site);
      cval start = read_at(b, s, p->str_base + 2.0 * n, maxlen, "string start");
      cval at = {gf_add(gg, start.f, k.f), 0, maxlen, false};
      *out = read_at(b, at, p->str_base + 3.0 * n, 0x10FFFF, "string char");
    }
    return true;
  }
  /* comparisons: ranks */
  const char *op = e->op->name;
  int m = e->n;
  if (m < 2) {
    *out = mx_const(b, 1);
    return true;
  }
  cval rk[64];
  for (int i = 0; i < m && i < 64; i++)
    rk[i] = read_at(b, string_num(b, a[i]), p->str_base + (double)n, n, "string rank");
  gform sum = gf_const(gg, 0);
  for (int i = 0; i + 1 < m && i + 1 < 64; i++) {
    gform d = gf_axpy(gg, rk[i + 1].f, -1, rk[i].f);   /* next - this */
    gform f;
    if (op[6] == '=') f = gf_gate(gg, gg_eqk(gg, "=", d, 0));
    else if (op[6] == '<' && op[7] == '?') f = gf_gate(gg, gg_step(gg, "<", d));
    else if (op[6] == '>' && op[7] == '?') f = gf_gate(gg, gg_step(gg, ">", gf_scale(gg, d, -1)));
    else if (op[6] == '<') f = gf_gate(gg, gg_step(gg, "<=", gf_addk(gg, d, 1)));
    else f = gf_gate(gg, gg_step(gg, ">=", gf_addk(gg, gf_scale(gg, d, -1), 1)));
    sum = gf_add(gg, sum, f);
  }
  cval all = {gf_gate(gg, gg_eqk(gg, "all", sum, m - 1)), 0, 1, true};
  *out = all;
  return true;
}
