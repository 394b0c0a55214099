/* mhostrun.c - the host's side of the values a run-time error names
 * (backend/mhostval.c builds the read programs): runs a site's read
 * programs on what the trace wrote (a machine's decoded memory,
 * backend/mtrace.c) or on a circuit's prompt, and writes the evaluator's
 * text from the values (docs/trace-format.md, "Values the host reads").
 * tools/tvl_run.py does the same in Python: the two must agree.
 *
 * Ownership: nothing kept; the text goes to the caller's strbuf.
 */
#include "config.h"

#include "mbuild.h"

#include <stdlib.h>
#include <string.h>

static bool fits32(int64_t x) { return x >= INT32_MIN && x <= INT32_MAX; }

/* HV_OP f of the n values x (each of them fits in 32 bits); false when
 * the evaluator would have no integer (a division by zero, a result that
 * does not fit: never the value of an operand that did not fail). */
static bool host_op(int f, const int64_t *x, int n, int64_t *r) {
  int64_t a = x[0], c = n > 1 ? x[1] : 0;
  switch (f) {
  case HVF_ADD: case HVF_SUB:
    /* as the evaluator: only the whole sum must fit */
    *r = f == HVF_SUB && n == 1 ? -a : a;
    for (int i = 1; i < n; i++) *r += f == HVF_ADD ? x[i] : -x[i];
    return fits32(*r);
  case HVF_MUL:
    *r = 1;
    for (int i = 0; i < n; i++)
      if (x[i] == 0) return *r = 0, true;
    for (int i = 0; i < n; i++) {
      *r *= x[i];
      if (!fits32(*r)) return false;
    }
    return true;
  case HVF_QUO: case HVF_REM: case HVF_MOD:
    if (c == 0) return false;
    *r = f == HVF_QUO ? a / c : a % c;
    if (f == HVF_MOD && *r != 0 && ((*r < 0) != (c < 0))) *r += c;
    return fits32(*r);
  case HVF_ABS: *r = a < 0 ? -a : a; return fits32(*r);
  case HVF_MIN: case HVF_MAX:
    *r = a;
    for (int i = 1; i < n; i++)
      if (f == HVF_MIN ? x[i] < *r : x[i] > *r) *r = x[i];
    return true;
  case HVF_AND: case HVF_IOR: case HVF_XOR:
    *r = a;
    for (int i = 1; i < n; i++) *r = f == HVF_AND ? *r & x[i] : f == HVF_IOR ? *r | x[i] : *r ^ x[i];
    return true;
  case HVF_LOGNOT: *r = ~a; return true;
  case HVF_EQ: case HVF_LT: case HVF_GT: case HVF_LE: case HVF_GE:
    *r = 1;
    for (int i = 0; i + 1 < n; i++) {
      int64_t u = x[i], v = x[i + 1];
      bool t = f == HVF_EQ ? u == v : f == HVF_LT ? u < v : f == HVF_GT ? u > v
             : f == HVF_LE ? u <= v : u >= v;
      if (!t) *r = 0;
    }
    return true;
  case HVF_ZERO: *r = a == 0; return true;
  case HVF_POS: *r = a > 0; return true;
  case HVF_NEG: *r = a < 0; return true;
  case HVF_EVEN: *r = a % 2 == 0; return true;
  case HVF_ODD: *r = a % 2 != 0; return true;
  case HVF_ASH:
    if (c <= -32) return *r = a < 0 ? -1 : 0, true;
    if (c < 0) {
      /* floor division by 2^-c */
      int64_t d = (int64_t)1 << -c;
      *r = a >= 0 ? a / d : -((-a + d - 1) / d);
      return true;
    }
    if (a == 0) return *r = 0, true;
    if (c > 31) return false;
    *r = a * ((int64_t)1 << c);
    return fits32(*r);
  case HVF_EXPT:
    if (c < 0) {
      if (a != 1 && a != -1) return false;
      *r = a == -1 && c % 2 ? -1 : 1;
      return true;
    }
    if (a == 0 || a == 1 || a == -1) {
      *r = a == 0 ? c == 0 : a == -1 && c % 2 ? -1 : 1;
      return true;
    }
    *r = 1;
    for (int64_t i = 0; i < c; i++) {   /* |a| >= 2: 32 products at most */
      *r *= a;
      if (!fits32(*r)) return false;
    }
    return true;
  /* a character's class or case: what the model's table lookup gives
   * (mchars.c), for a code point */
  case HVF_ALPHA: case HVF_NUMERIC: case HVF_WHITE: case HVF_UPPER: case HVF_LOWER:
  case HVF_UPCASE: case HVF_DOWNCASE: {
    if (a < 0 || a > 0x10FFFF) return false;
    int32_t cp = (int32_t)a;
    *r = f == HVF_ALPHA ? char_alphabetic(cp) : f == HVF_NUMERIC ? char_numeric(cp)
       : f == HVF_WHITE ? char_whitespace(cp) : f == HVF_UPPER ? char_upper_case(cp)
       : f == HVF_LOWER ? char_lower_case(cp) : f == HVF_UPCASE ? char_upcase(cp)
       : char_downcase(cp);
    return true;
  }
  default: return false;
  }
}

/* The operations of HV_OP on a value as it is, tagged or not. */
static bool raw_op(int f) {
  return (f >= HVF_TRUE && f <= HVF_NOTD) || (f >= HVF_ISINT && f <= HVF_SAME);
}

/* Whether a tagged value is in [base(tag), base(tag) + width). */
static bool in_tag(int64_t x, int tag, int64_t from, int64_t width) {
  int64_t base = (int64_t)dyn_base(tag) + from;
  return x >= base && x < base + width;
}

/* Whether a value of a condition is not #f: a boolean (0 or 1) or a
 * tagged value (#f is the tag's base); a tagged value's kind. */
static bool host_cond(int f, int64_t x, int64_t *r) {
  const int64_t f_dyn = (int64_t)1 << 31, span = (int64_t)DYN_SPAN;
  switch (f) {
  case HVF_ISINT: *r = x >= INT32_MIN && x <= INT32_MAX; return true;
  case HVF_ISPAIR: *r = in_tag(x, TAG_PAIR, 0, span); return true;
  case HVF_ISNIL: *r = in_tag(x, TAG_NIL, 0, span); return true;
  case HVF_ISPROC: *r = in_tag(x, TAG_PROC, 0, span); return true;
  case HVF_ISVEC: *r = in_tag(x, TAG_VEC, 0, span); return true;
  case HVF_ISSTR: *r = in_tag(x, TAG_STR, 0, span); return true;
  case HVF_ISBOOL: *r = in_tag(x, TAG_SYM, 0, 2); return true;
  case HVF_ISSYM: *r = in_tag(x, TAG_SYM, 2, span - 2); return true;
  case HVF_ISCHAR: *r = in_tag(x, TAG_CHAR, 0, span); return true;
  case HVF_TRUE: *r = x != 0; return true;
  case HVF_TRUED: *r = x != f_dyn; return true;
  case HVF_NOT: *r = x == 0; return true;
  case HVF_NOTD: *r = x == f_dyn; return true;
  default: return false;
  }
}

/* The operands of a site the host reads (mhostval.c), run on the decoded
 * memory; false when an operand has no value (a read that finds no cell,
 * an operation with no integer result: only the arm a select drops may
 * have none). */
/* Where a read program reads: the decoded trace of a machine, or the
 * prompt of a circuit (flat: the value of each prompt position, HV_CELL
 * and HV_MEM both by position; circuit.c). */
typedef struct {
  const mtrace *t;
  const int64_t *flat;
  const bool *flat_ok;
  int nflat;
} hv_view;

static bool view_cell(const hv_view *w, int64_t a, int64_t *x) {
  if (!w->t) {
    if (a < 0 || a >= w->nflat || !w->flat_ok[a]) return false;
    *x = w->flat[a];
    return true;
  }
  *x = w->t->cells[a];
  return true;
}

static bool view_mem(const hv_view *w, int64_t a, int64_t *x) {
  if (!w->t) return view_cell(w, a, x);
  return fits32(a) && mtrace_mem_read(w->t, (int32_t)a, x);
}

static bool host_values(const hv_view *w, const err_site *e, int64_t *v, bool *sym) {
  enum { DEPTH = 64 };
  int64_t st[DEPTH];
  bool ok[DEPTH];
  int sp = 0, nv = 0;
  for (int i = 0; i < e->nhcode; i++) {
    int32_t op = e->hcode[i];
    int64_t x = 0;
    static const int args[] = {[HV_K] = 1, [HV_CELL] = 1, [HV_FRAME] = 1, [HV_MEM] = 1,
                               [HV_OP] = 2, [HV_TABLE] = 5,
                               [HV_STROBJ] = 2};
    int na = op > 0 && op < (int)(sizeof args / sizeof args[0]) ? args[op] : 0;
    if (i + na >= e->nhcode) return false;
    const int32_t *arg = e->hcode + i + 1;
    i += na;
    switch (op) {
    case HV_K: case HV_CELL: case HV_FRAME:
      if (sp >= DEPTH) return false;
      ok[sp] = true;
      if (op == HV_K) x = arg[0];
      else if (op == HV_CELL) ok[sp] = view_cell(w, arg[0], &x);
      else ok[sp] = w->t && mtrace_mem_read(w->t, (int32_t)(w->t->cells[REG_SP] + arg[0]), &x);
      st[sp++] = x;
      break;
    case HV_STROBJ:
      if (sp < 1) return false;
      if (ok[sp - 1] && st[sp - 1] >= 0 && st[sp - 1] < arg[1]) {
        if (view_mem(w, arg[0] + st[sp - 1], &x)) st[sp - 1] = x;
        else ok[sp - 1] = false;
      }
      break;
    case HV_NONE:
      if (sp >= DEPTH) return false;
      ok[sp] = false;
      st[sp++] = 0;
      break;
    case HV_MEM:
      if (sp < 1) return false;
      if (ok[sp - 1] && view_mem(w, st[sp - 1] + arg[0], &x))
        st[sp - 1] = x;
      else
        ok[sp - 1] = false;
      break;
    case HV_ADD: case HV_SUB:
      if (sp < 2) return false;
      st[sp - 2] = op == HV_ADD ? st[sp - 2] + st[sp - 1] : st[sp - 2] - st[sp - 1];
      ok[sp - 2] = ok[sp - 2] && ok[sp - 1];
      sp--;
      break;
    case HV_OP: {
      int f = arg[0], n = arg[1];
      if (n < 1 || n > sp) return false;
      bool all = true;
      for (int j = sp - n; j < sp; j++)
        all = all && ok[j] && (raw_op(f) || fits32(st[j]));
      int64_t r = 0;
      bool good = all && (f == HVF_SAME ? n == 2 && ((r = st[sp - 2] == st[sp - 1]), true)
                          : raw_op(f)   ? n == 1 && host_cond(f, st[sp - 1], &r)
                                        : host_op(f, st + sp - n, n, &r));
      sp -= n;
      st[sp] = r;
      ok[sp++] = good;
      break;
    }
    case HV_SEL:
      if (sp < 3) return false;
      if (!ok[sp - 3]) {
        ok[sp - 3] = false;
      } else {
        int arm = st[sp - 3] ? sp - 2 : sp - 1;
        st[sp - 3] = st[arm];
        ok[sp - 3] = ok[arm];
      }
      sp -= 2;
      break;
    case HV_TABLE: {
      if (sp < 1) return false;
      int64_t key = st[sp - 1];
      if (!ok[sp - 1]) break;
      if (key >= arg[1] && key <= arg[2] && view_mem(w, arg[0] + key - arg[1], &x))
        st[sp - 1] = x;
      else if (arg[3])   /* 2: a tagged default, 2^31 + arg[4] */
        st[sp - 1] = arg[4] + (arg[3] == 2 ? (int64_t)1 << 31 : 0);
      else
        ok[sp - 1] = false;
      break;
    }
    case HV_END: case HV_ENDSYM:
      if (sp != 1 || nv >= 16 || !ok[0]) return false;
      sym[nv] = op == HV_ENDSYM;
      v[nv++] = st[--sp];
      break;
    default:
      return false;
    }
  }
  return nv == e->hn;
}

/* The message of a site whose values the host reads; false to keep the
 * message as it is. */
static bool host_text(const mprog *p, const hv_view *w, const err_site *e, strbuf *out) {
  int64_t v[16];
  bool sym[16];
  if (!e->hcode || (w->t && e->hpc != w->t->err_pc) || !host_values(w, e, v, sym)) return false;
  if (!e->hop && !e->hmsg) return false;
  if (e->hop) {
    bool one = e->hop[0] == '1';
    for (int i = 0; i < e->hn; i++)
      if (sym[i] || v[i] < INT32_MIN || v[i] > INT32_MAX) return false;
    strbuf m;
    sb_init(&m);
    bool ok = mx_const_overflow_text(one ? e->hop + 1 : e->hop, one, v, e->hn, &m);
    if (ok) sb_putn(out, m.s, m.n);
    sb_free(&m);
    return ok;
  }
  strbuf m;
  sb_init(&m);
  for (const char *s = e->hmsg; *s; s++) {
    int i = (unsigned char)*s - 1;
    if (i < 0 || i >= 4) {
      sb_putc(&m, *s);
      continue;
    }
    if (i >= e->hn) goto bad;
    if (sym[i]) {
      if (v[i] < 2 || v[i] - 2 >= p->syms.n) goto bad;
      sym_write(sym_name(&p->w->syms, p->syms.v[v[i] - 2]), &m);
    } else if (v[i] >= INT32_MIN && v[i] <= INT32_MAX) {
      sb_printf(&m, "%lld", (long long)v[i]);
    } else {
      /* a tagged value: a boolean, a symbol or a character, written */
      int64_t rel = v[i] - ((int64_t)1 << 31), plain = rel % (1 << 24);
      int tag = (int)(rel / (1 << 24)) + 1;
      if (rel < 0 || (tag != 1 && tag != 8)) goto bad;
      if (tag == 8) {
        char_write((int32_t)plain, &m);
      } else if (plain < 2) {
        sb_puts(&m, plain ? "#t" : "#f");
      } else {
        if (plain - 2 >= p->syms.n) goto bad;
        sym_write(sym_name(&p->w->syms, p->syms.v[plain - 2]), &m);
      }
    }
  }
  sb_putn(out, m.s ? m.s : "", m.n);
  sb_free(&m);
  return true;
bad:
  sb_free(&m);
  return false;
}

bool mb_host_text(const mprog *p, const mtrace *t, const err_site *e, strbuf *out) {
  hv_view w = {t, NULL, NULL, 0};
  return host_text(p, &w, e, out);
}

bool machine_flat_error_text(const mprog *p, int site, const int64_t *vals, const bool *ok,
                             int n, strbuf *out) {
  if (site < 0 || site >= p->sites.n) return false;
  const err_site *e = &p->sites.v[site];
  hv_view w = {NULL, vals, ok, n};
  return e->hcode && host_text(p, &w, e, out);
}

