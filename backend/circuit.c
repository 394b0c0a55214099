/* circuit.c - a procedure without loops, recursion, mutation or output
 * as one forward pass (circuit.h, docs/circuits.md).
 *
 * The IR of such a procedure is one return of a pure expression tree.
 * Each node becomes a linear form (free) or a gate: a head for a table
 * lookup or a parameter read from its prompt position, FFN units for a
 * product, a comparison, a select; a let-bound value and the result are
 * materialised by one unit per term ("copy y", "+1"), so that each has a
 * slot of its own and each term a unit a person can ablate.  Anything
 * else (loops, calls that stay calls, vectors, strings, checked
 * overflow, errors inside a branch, more than one error site) is not a
 * circuit: compiling fails with the reason and the caller builds the
 * machine instead.
 */
#include "config.h"

#include "circuit.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { KEY_SPAN_MAX = 4096, SETM_SPAN_MAX = 65536, PROMPT_MAX = 60000 };
/* The VAL tokens of a circuit cover its value's range (at least the
 * short integers the arguments are): one token, however long the value,
 * within this many tokens. */
#define VAL_SPAN_MAX 1048576.0

/* A compiled node: its form, and its range when no error happened. */
typedef struct {
  gform f;
  double lo, hi;
} cv;

typedef struct {
  mprog *p;
  ir_prog *ir;
  gate_graph *gg;
  world *w;
  circuit *c;
  char *why;
  size_t whylen;
  bool failed;
  gform *param;         /* per parameter */
  int g_tok, g_r, g_r2, g_mask;   /* inputs, -1 until needed */
  double setm_lo, setm_hi;
  double val_lo, val_hi;  /* the VAL range */
  bool long_mode;       /* compiling a long value (circuit.long_value) */
  bool too_long;        /* failed only because the value may be long */
  double hi_lo, hi_hi;  /* the HI range, long_mode */
  /* the conditions (0 or 1) under which the node being compiled is
   * evaluated: the arms of the selects around it; and a signature of
   * them, so that a node is shared only under the same conditions */
  VEC(gform) guards;
  char ctx[256];
  int nctx;
  int narms;            /* arms compiled so far: each one's id in ctx */
  VEC(struct memo { char *key; cv v; }) memo;
  VEC(struct lname { srcloc loc; int sym; }) lets;
  /* places that can fail, in the order the evaluator reaches them: d = 0
   * exactly when the lookup found its key; valid under its guards */
  VEC(struct csite { gform d; double dmax; int site; gform *guards; int nguards; }) errs;
  VEC(struct cname) names;
} cb;

static void cfail(cb *b, const char *fmt, ...) TVL_PRINTF(2, 3);
static void cfail(cb *b, const char *fmt, ...) {
  if (b->failed) return;
  b->failed = true;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->why, b->whylen, fmt, ap);
  va_end(ap);
}

static cv mk(gform f, double lo, double hi) {
  cv v = {f, lo, hi};
  return v;
}

/* ---- names ----------------------------------------------------------- */

/* The source text of the expression at loc: a balanced list, the lines
 * of one that spans lines joined by a space (indentation and comments
 * left out), or one atom; "" when there is none. */
static void src_text(world *w, srcloc loc, char *buf, size_t n) {
  buf[0] = 0;
  size_t len;
  const char *line = loc.line > 0 ? src_line(&w->src, loc.file, loc.line, &len) : NULL;
  if (!line || loc.col <= 0 || (size_t)loc.col > len || n < 8) return;
  const char *q = line + loc.col - 1, *end = line + len;
  size_t k = 0;
  if (*q != '(') {
    while (q < end && *q != ' ' && *q != ')' && k + 1 < n) buf[k++] = *q++;
    buf[k] = 0;
    return;
  }
  int depth = 0, at = loc.line;
  bool str = false;
  do {
    if (q >= end || (*q == ';' && !str)) {    /* the next line, if any */
      line = src_line(&w->src, loc.file, ++at, &len);
      if (!line) {
        buf[0] = 0;
        return;
      }
      q = line;
      end = line + len;
      while (q < end && (*q == ' ' || *q == '\t')) q++;
      if (k && buf[k - 1] != ' ' && buf[k - 1] != '(' && q < end && *q != ')' && k + 1 < n)
        buf[k++] = ' ';
      continue;
    }
    if (*q == '"' && (q == line || q[-1] != '\\')) str = !str;
    if (!str) depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
    if (k + 1 < n) buf[k++] = *q;
    q++;
  } while (depth > 0);
  if (k + 1 >= n) snprintf(buf + n - 4, 4, "...");
  else buf[k] = 0;
}

static void collect_lets(cb *b, const ast *a) {
  if (!a) return;
  switch (a->kind) {
  case E_SET: collect_lets(b, a->u.set.val); break;
  case E_IF:
    collect_lets(b, a->u.iff.c);
    collect_lets(b, a->u.iff.t);
    collect_lets(b, a->u.iff.e);
    break;
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++) collect_lets(b, a->u.seq.v[i]);
    break;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      const let_binding *l = &a->u.let.v[i];
      if (!l->init) continue;
      struct lname x = {l->init->loc, l->name};
      VEC_PUSH(b->lets, x);
      collect_lets(b, l->init);
    }
    collect_lets(b, a->u.let.body);
    break;
  case E_CALL: case E_APPLY:
    for (int i = 0; i < a->u.call.n; i++) collect_lets(b, a->u.call.args[i]);
    break;
  default: break;
  }
}

static int let_name(cb *b, srcloc loc) {
  for (int i = 0; i < b->lets.n; i++) {
    srcloc l = b->lets.v[i].loc;
    if (l.file == loc.file && l.line == loc.line && l.col == loc.col) return b->lets.v[i].sym;
  }
  return -1;
}

/* "y=(lookup x)" for a let-bound value, "(lookup x)" otherwise. */
static void node_name(cb *b, const ir_expr *e, char *buf, size_t n) {
  char text[64];
  src_text(b->w, e->loc, text, sizeof text);
  int s = let_name(b, e->loc);
  if (s >= 0) snprintf(buf, n, "%s=%s", sym_name(&b->w->syms, s), text);
  else snprintf(buf, n, "%s", text[0] ? text : "value");
}

static void add_name(cb *b, const char *name, int g, bool param, bool result,
                     srcloc loc) {
  struct cname x = {arena_strdup(&b->gg->mem, name), g, param, result, loc};
  VEC_PUSH(b->names, x);
}

static void rename_gate(cb *b, int g, const char *name) {
  b->gg->g.v[g].name = arena_strdup(&b->gg->mem, name);
}

/* ---- inputs ---------------------------------------------------------- */

static int input_tok(cb *b) {
  if (b->g_tok < 0) {
    double val[R_NROLES] = {0};
    val[R_VAL] = val[R_SYM] = val[R_SETM] = 1;
    b->g_tok = gg_token_input(b->gg, "token value", NULL, val,
                              fmin(SHORT_MIN, b->setm_lo),
                              fmax(fmax(SHORT_MAX, b->c->nsyms + 2), b->setm_hi));
  }
  return b->g_tok;
}

static void position_inputs(cb *b) {
  if (b->g_r >= 0) return;
  b->g_r = gg_input(b->gg, IN_RING, "position", 0, b->c->nprompt);
  b->g_r2 = gg_input(b->gg, IN_RING2, "position^2", 0,
                     (double)b->c->nprompt * b->c->nprompt);
}

static int entry_mask(cb *b) {
  if (b->g_mask < 0) {
    double ind[R_NROLES];
    for (int r = 0; r < R_NROLES; r++) ind[r] = r != R_SETM;
    b->g_mask = gg_token_input(b->gg, "not an entry", ind, NULL, 0, 1);
  }
  return b->g_mask;
}

/* A head that reads the token value at the position `at` (a form): the
 * nearest position, among entries only when masked; its outputs are the
 * value and the winner's position. */
static int read_head(cb *b, const char *name, gform at, bool masked, double vlo,
                     double vhi) {
  gate_graph *gg = b->gg;
  position_inputs(b);
  gform vals[2] = {gf_gate(gg, input_tok(b)), gf_gate(gg, b->g_r)};
  double lo[2] = {vlo, 0}, hi[2] = {vhi, b->c->nprompt};
  return gg_head(gg, name, at, gf_const(gg, 1), gf_scale(gg, gf_gate(gg, b->g_r), 2),
                 gf_scale(gg, gf_gate(gg, b->g_r2), -1), masked ? entry_mask(b) : -1,
                 TIE_LATEST, vals, 2, lo, hi);
}

static double kind_lo(cb *b, int k) {
  (void)b;
  return k == T_INT || k == T_ANY ? SHORT_MIN : 0;
}

static double kind_hi(cb *b, int k) {
  if (k == T_BOOL) return 1;
  if (k == T_SYM) return b->c->nsyms + 1;
  return k == T_ANY ? fmax(SHORT_MAX, b->c->nsyms + 1) : SHORT_MAX;
}

static void params(cb *b) {
  const ir_fn *m = &b->ir->fns.v[b->ir->main_fn];
  circuit *c = b->c;
  b->param = xcalloc((size_t)m->nparams + 1, sizeof(gform));
  for (int i = 0; i < m->nparams && !b->failed; i++) {
    const ir_var *v = &b->ir->vars.v[m->params[i]];
    int k = ir_kind(b->ir, v->type);
    c->param_kind[i] = k;
    if (k != T_INT && k != T_BOOL && k != T_SYM && k != T_ANY) {
      cfail(b, "parameter %s is a %s", sym_name(&b->w->syms, v->name), tkind_name(k));
      return;
    }
    const char *name = sym_name(&b->w->syms, v->name);
    int g;
    if (i == m->nparams - 1 && !b->long_mode) {
      g = input_tok(b);   /* the current token */
    } else {
      int h = read_head(b, name, gf_const(b->gg, c->param_pos[i]), false,
                        fmin(SHORT_MIN, b->setm_lo), fmax(SHORT_MAX, b->setm_hi));
      g = gg_hout(b->gg, h, 0);
      char buf[80];
      snprintf(buf, sizeof buf, "%s: position", name);
      rename_gate(b, gg_hout(b->gg, h, 1), buf);
    }
    b->param[i] = gf_gate(b->gg, g);
    rename_gate(b, g, name);
    add_name(b, name, g, true, false, m->loc);
  }
}

/* ---- tables ---------------------------------------------------------- */

/* A value as the circuit's tokens carry it (symbols offset by 2, as the
 * machine's SYM tokens); false for other kinds. */
static bool mval(value v, int64_t *out) {
  switch (v.kind) {
  case VK_INT: case VK_BOOL: *out = v.i; return true;
  case VK_SYM: *out = (int64_t)v.i + 2; return true;
  default: return false;
  }
}

static void layout_tables(cb *b, int *pos) {
  circuit *c = b->c;
  c->ntables = b->ir->tables.n;
  /* a key outside one table's keys could land on another table's entry
   * and look found: one table per circuit */
  if (c->ntables > 1) {
    cfail(b, "it reads %d tables", c->ntables);
    return;
  }
  c->tables = arena_alloc(&b->gg->mem, (size_t)(c->ntables + 1) * sizeof *c->tables);
  b->setm_lo = INFINITY;
  b->setm_hi = -INFINITY;
  for (int t = 0; t < c->ntables && !b->failed; t++) {
    gcell *g = b->ir->tables.v[t];
    const table_def *td = g->table;
    const char *name = sym_name(&b->w->syms, g->name);
    if (td->n == 0) {
      cfail(b, "table %s is empty", name);
      return;
    }
    int64_t kmin = INT64_MAX, kmax = INT64_MIN;
    for (int i = 0; i < td->n; i++) {
      int64_t k, v;
      if (!mval(td->keys[i], &k) || !mval(td->vals[i], &v) ||
          td->keys[i].kind != td->keys[0].kind) {
        cfail(b, "table %s has keys or values of other kinds", name);
        return;
      }
      kmin = k < kmin ? k : kmin;
      kmax = k > kmax ? k : kmax;
      b->setm_lo = fmin(b->setm_lo, (double)v);
      b->setm_hi = fmax(b->setm_hi, (double)v);
    }
    if (kmax - kmin >= KEY_SPAN_MAX || b->setm_hi - b->setm_lo >= SETM_SPAN_MAX) {
      cfail(b, "table %s spans too many keys or values", name);
      return;
    }
    struct ctable x = {g, *pos, kmin, kmax};
    c->tables[t] = x;
    table_layout tl = {g, *pos, (int32_t)kmin, (int32_t)kmax};
    VEC_PUSH(b->p->tables, tl);
    *pos += (int)(kmax - kmin + 1);
  }
  if (c->ntables == 0) b->setm_lo = b->setm_hi = 0;
}

static cv compile(cb *b, const ir_expr *e);

/* The site of a lookup with no entry; a constant key (kind k, value x as
 * the circuit computes it) is named as the evaluator names it, a
 * computed one by the host, which reads it from the prompt (mhostval.c).
 * A key it could not read is left to the machine, which names it. */
static int site(cb *b, srcloc loc, const char *name, int k, const cv *key, const ir_expr *kx) {
  strbuf s;
  sb_init(&s);
  bool named = true;
  if (key && key->lo == key->hi && k == T_INT)
    sb_printf(&s, "table %s has no entry for %lld", name, (long long)key->lo);
  else if (key && key->lo == key->hi && k == T_SYM && key->lo >= 2) {
    sb_printf(&s, "table %s has no entry for ", name);
    sym_write(sym_name(&b->w->syms, (int)key->lo - 2), &s);
  } else {
    sb_printf(&s, "table %s has no entry for this key", name);
    named = false;
  }
  err_site e = {.kind = "table", .msg = sb_detach(&s), .loc = loc, .value_follows = false, .value_bare = false, .value_slots = false};
  if (!named && !mb_circuit_key_site(b->ir, b->c, kx, name, &e))
    cfail(b, "a missing key the host cannot name");
  VEC_PUSH(b->p->sites, e);
  return b->p->sites.n - 1;
}

/* c ? x : y as one gate: relu(c) (x - y), then relu(1) times each term
 * of y; c exactly 0 or 1. */
static int select_gate(cb *b, const char *name, gform c, gform x, gform y) {
  gate_graph *gg = b->gg;
  gunit *u = xcalloc((size_t)y.n + 2, sizeof *u);
  gunit sel = {1, c, gf_axpy(gg, x, -1, y)};
  int n = 0;
  u[n++] = sel;
  for (int i = 0; i < y.n; i++) {
    gunit t = {y.t[i].c, gf_const(gg, 1), gf_gate(gg, y.t[i].g)};
    u[n++] = t;
  }
  if (y.k != 0) {
    gunit t = {y.k, gf_const(gg, 1), gf_const(gg, 1)};
    u[n++] = t;
  }
  int g = gg_ffn(gg, name, u, n, 1, 0);
  free(u);
  return g;
}

/* A table with a default: the entry read when the key was found, the
 * default otherwise. */
static cv with_default(cb *b, const ir_expr *e, gform d, cv v) {
  gate_graph *gg = b->gg;
  int64_t k = 0;
  if (!mval(e->table->table->dflt, &k)) {
    cfail(b, "a default of another kind");
    return v;
  }
  char text[64], name[128];
  src_text(b->w, e->loc, text, sizeof text);
  snprintf(name, sizeof name, "%s: key found", text);
  int hit = gg_eqk(gg, name, d, 0);
  snprintf(name, sizeof name, "%s or the default", text);
  int g = select_gate(b, name, gf_gate(gg, hit), v.f, gf_const(gg, (double)k));
  return mk(gf_gate(gg, g), fmin(v.lo, (double)k), fmax(v.hi, (double)k));
}

static cv table_read(cb *b, const ir_expr *e) {
  gate_graph *gg = b->gg;
  const struct ctable *t = NULL;
  for (int i = 0; i < b->c->ntables; i++)
    if (b->c->tables[i].table == e->table) t = &b->c->tables[i];
  if (!t) {
    cfail(b, "a table without a layout");
    return mk(gf_const(gg, 0), 0, 0);
  }
  cv key = compile(b, e->a[0]);
  if (b->failed) return key;
  int kk = ir_kind(b->ir, e->a[0]->type);
  vkind want = t->table->table->keys[0].kind;
  if (kk != (want == VK_SYM ? T_SYM : want == VK_BOOL ? T_BOOL : T_INT)) {
    cfail(b, "a key of kind %s", tkind_name(kk));
    return key;
  }
  double off = (double)t->base - (double)t->kmin;
  /* A key far outside the table (a constant near 2^31) would put the
   * query past what a head may ask; the machine tests the key's range
   * before it reads, so such a lookup is left to it. */
  if (key.lo + off < -(double)QUERY_MAX || key.hi + off > (double)QUERY_MAX) {
    cfail(b, "a key beyond the range a head can query");
    return key;
  }
  gform at = gf_addk(gg, key.f, off);
  char name[96], text[64];
  node_name(b, e, name, sizeof name);
  src_text(b->w, e->loc, text, sizeof text);
  double vlo = INFINITY, vhi = -INFINITY;
  const table_def *td = t->table->table;
  for (int i = 0; i < td->n; i++) {
    int64_t v = 0;
    mval(td->vals[i], &v);
    vlo = fmin(vlo, (double)v);
    vhi = fmax(vhi, (double)v);
  }
  int h = read_head(b, text, at, true, b->setm_lo, b->setm_hi);
  int gv = gg_hout(gg, h, 0), gp = gg_hout(gg, h, 1);
  rename_gate(b, gv, name);
  char pname[128];
  snprintf(pname, sizeof pname, "%s found at", text);
  rename_gate(b, gp, pname);
  add_name(b, name, gv, false, false, e->loc);
  /* d = 0 exactly when the entry found is the key's */
  gform d = gf_axpy(gg, gf_gate(gg, gp), -1, at);
  double dmax = fmax(fabs(key.lo + off), fabs(key.hi + off)) + b->c->nprompt;
  if (td->has_default) return with_default(b, e, d, mk(gf_gate(gg, gv), vlo, vhi));
  struct csite s = {d, dmax, site(b, e->loc, sym_name(&b->w->syms, t->table->name),
                                      ir_kind(b->ir, e->a[0]->type), &key, e->a[0]),
                    NULL, b->guards.n};
  s.guards = arena_alloc(&gg->mem, (size_t)(b->guards.n + 1) * sizeof(gform));
  memcpy(s.guards, b->guards.v, (size_t)b->guards.n * sizeof(gform));
  VEC_PUSH(b->errs, s);
  return mk(gf_gate(gg, gv), vlo, vhi);
}

/* ---- arithmetic ------------------------------------------------------ */

static bool fits32(cb *b, double lo, double hi, const char *op) {
  if (lo >= INT32_MIN && hi <= INT32_MAX) return true;
  cfail(b, "%s may overflow (the machine checks it)", op);
  return false;
}

static cv linear(cb *b, const ir_expr *e, bool minus) {
  gate_graph *gg = b->gg;
  cv acc = mk(gf_const(gg, 0), 0, 0);
  for (int i = 0; i < e->n && !b->failed; i++) {
    cv x = compile(b, e->a[i]);
    double s = minus && (i > 0 || e->n == 1) ? -1 : 1;
    acc.f = gf_axpy(gg, acc.f, s, x.f);
    acc.lo += s > 0 ? x.lo : -x.hi;
    acc.hi += s > 0 ? x.hi : -x.lo;
  }
  fits32(b, acc.lo, acc.hi, minus ? "-" : "+");
  return acc;
}

static cv product(cb *b, const ir_expr *e) {
  gate_graph *gg = b->gg;
  cv acc = mk(gf_const(gg, 1), 1, 1);
  double k;
  for (int i = 0; i < e->n && !b->failed; i++) {
    cv x = compile(b, e->a[i]);
    double p[4] = {acc.lo * x.lo, acc.lo * x.hi, acc.hi * x.lo, acc.hi * x.hi};
    double lo = fmin(fmin(p[0], p[1]), fmin(p[2], p[3]));
    double hi = fmax(fmax(p[0], p[1]), fmax(p[2], p[3]));
    if (!fits32(b, lo, hi, "*")) break;
    if (gf_is_const(x.f, &k)) acc.f = gf_scale(gg, acc.f, k);
    else if (gf_is_const(acc.f, &k)) acc.f = gf_scale(gg, x.f, k);
    else {
      char name[96];
      node_name(b, e, name, sizeof name);
      int g = gg_mul(gg, name, acc.f, x.f);
      acc.f = gf_gate(gg, g);
      add_name(b, name, g, false, false, e->loc);
    }
    acc.lo = lo;
    acc.hi = hi;
  }
  return acc;
}

/* A 0/1 test as an FFN gate. */
static cv test(cb *b, const ir_expr *e, bool eq, gform x, double k) {
  char name[96];
  node_name(b, e, name, sizeof name);
  int g = eq ? gg_eqk(b->gg, name, x, k) : gg_step(b->gg, name, gf_addk(b->gg, x, -k + 1));
  add_name(b, name, g, false, false, e->loc);
  return mk(gf_gate(b->gg, g), 0, 1);
}

static cv compare(cb *b, const ir_expr *e, const char *op) {
  gate_graph *gg = b->gg;
  bool unary = !strcmp(op, "zero?") || !strcmp(op, "positive?") || !strcmp(op, "negative?");
  if (e->n != (unary ? 1 : 2)) {
    cfail(b, "%s with %d operands", op, e->n);
    return mk(gf_const(gg, 0), 0, 1);
  }
  cv x = compile(b, e->a[0]);
  cv y = unary ? mk(gf_const(gg, 0), 0, 0) : compile(b, e->a[1]);
  if (b->failed) return x;
  gform d = gf_axpy(gg, x.f, -1, y.f);   /* x - y, integral */
  if (!strcmp(op, "<") || !strcmp(op, "negative?")) return test(b, e, false, gf_scale(gg, d, -1), 1);
  if (!strcmp(op, ">") || !strcmp(op, "positive?")) return test(b, e, false, d, 1);
  if (!strcmp(op, "<=")) return test(b, e, false, gf_scale(gg, d, -1), 0);
  if (!strcmp(op, ">=")) return test(b, e, false, d, 0);
  return test(b, e, true, d, 0);
}

static bool same_kinds(cb *b, const ir_expr *e) {
  for (int i = 0; i < e->n; i++) {
    int k = ir_kind(b->ir, e->a[i]->type);
    if ((k != T_INT && k != T_SYM && k != T_BOOL) || k != ir_kind(b->ir, e->a[0]->type))
      return false;
  }
  return true;
}

static cv prim(cb *b, const ir_expr *e) {
  const char *op = e->op->name;
  if (!strcmp(op, "+")) return linear(b, e, false);
  if (!strcmp(op, "-")) return linear(b, e, true);
  if (!strcmp(op, "*")) return product(b, e);
  static const char *const tests[] = {"<", ">", "<=", ">=", "=", "eq?", "eqv?",
                                      "equal?", "zero?", "positive?", "negative?"};
  for (size_t i = 0; i < sizeof tests / sizeof *tests; i++)
    if (!strcmp(op, tests[i])) {
      /* values of different (or unknown) kinds are not told apart by
       * a difference of numbers */
      if (!same_kinds(b, e)) break;
      return compare(b, e, op);
    }
  cfail(b, "the builtin %s", op);
  return mk(gf_const(b->gg, 0), 0, 0);
}

/* c ? x : y = y + relu(c) (x - y), c exactly 0 or 1. */
/* An arm compiled under the condition g (0 or 1): its failures count
 * only when g is 1. */
static cv arm(cb *b, const ir_expr *e, gform g) {
  int save = b->nctx;
  VEC_PUSH(b->guards, g);
  b->nctx += snprintf(b->ctx + b->nctx, sizeof b->ctx - (size_t)b->nctx, "/%d", ++b->narms);
  if (b->nctx >= (int)sizeof b->ctx - 1) cfail(b, "branches nested too deep");
  cv v = compile(b, e);
  b->guards.n--;
  b->nctx = save;
  b->ctx[save] = 0;
  return v;
}

static cv select_(cb *b, const ir_expr *e) {
  gate_graph *gg = b->gg;
  cv c = compile(b, e->a[0]);
  int ck = ir_kind(b->ir, e->a[0]->type);
  double k;
  if (b->failed) return c;
  /* anything but #f is true; the arm not taken is not evaluated */
  if (ck == T_INT || ck == T_SYM) return compile(b, e->a[1]);
  if (ck != T_BOOL) {
    cfail(b, "a condition of kind %s", tkind_name(ck));
    return c;
  }
  if (gf_is_const(c.f, &k)) return compile(b, e->a[k != 0 ? 1 : 2]);
  cv x = arm(b, e->a[1], c.f);
  cv y = arm(b, e->a[2], gf_addk(gg, gf_scale(gg, c.f, -1), 1));
  if (b->failed) return x;
  char name[96];
  node_name(b, e, name, sizeof name);
  int g = select_gate(b, name, c.f, x.f, y.f);
  add_name(b, name, g, false, false, e->loc);
  return mk(gf_gate(gg, g), fmin(x.lo, y.lo), fmax(x.hi, y.hi));
}

/* ---- nodes ----------------------------------------------------------- */

/* A key equal for nodes that compute the same value (within one
 * expression, whose nodes are pure): kinds count, the symbol 'a and the
 * integer 7 may both be 7. */
static void shape(const cb *b, const ir_expr *e, strbuf *out) {
  switch (e->k) {
  case X_CONST: sb_printf(out, "c%d:%d", (int)e->ival, (int)ir_kind(b->ir, e->type)); return;
  case X_VAR: sb_printf(out, "v%d", e->var); return;
  case X_PRIM: sb_printf(out, "(%s", e->op->name); break;
  case X_TABLE: sb_printf(out, "(T%p", (void *)e->table); break;
  default: sb_printf(out, "(%d", (int)e->k); break;
  }
  for (int i = 0; i < e->n; i++) {
    sb_putc(out, ' ');
    shape(b, e->a[i], out);
  }
  sb_putc(out, ')');
}

static cv node(cb *b, const ir_expr *e) {
  gate_graph *gg = b->gg;
  int k = ir_kind(b->ir, e->type);
  switch (e->k) {
  case X_CONST:
    if (k == T_SYM) return mk(gf_const(gg, e->ival + 2.0), e->ival + 2.0, e->ival + 2.0);
    if (k == T_INT || k == T_BOOL) return mk(gf_const(gg, e->ival), e->ival, e->ival);
    break;
  case X_VAR: {
    const ir_fn *m = &b->ir->fns.v[b->ir->main_fn];
    for (int i = 0; i < m->nparams; i++)
      if (m->params[i] == e->var) {
        int pk = b->c->param_kind[i];
        return mk(b->param[i], kind_lo(b, pk), kind_hi(b, pk));
      }
    cfail(b, "a variable that is not a parameter");
    return mk(gf_const(gg, 0), 0, 0);
  }
  case X_PRIM: return prim(b, e);
  case X_SELECT: return select_(b, e);
  case X_TABLE: return table_read(b, e);
  case X_NOT: {
    cv x = compile(b, e->a[0]);
    int xk = ir_kind(b->ir, e->a[0]->type);
    if (xk == T_ANY) cfail(b, "not of a value of unknown kind");
    if (xk != T_BOOL) return mk(gf_const(gg, 0), 0, 0);
    return mk(gf_addk(gg, gf_scale(gg, x.f, -1), 1), 1 - x.hi, 1 - x.lo);
  }
  case X_SEQ: {
    cv x = mk(gf_const(gg, 0), 0, 0);
    for (int i = 0; i < e->n && !b->failed; i++) x = compile(b, e->a[i]);
    return x;
  }
  default: break;
  }
  static const char *const what[] = {"constant", "variable", "builtin", "select",
                                     "vector-ref", "vector-length", "table",
                                     "not", "sequence", "failing call", "kind check",
                                     "depth check", "car or cdr"};
  _Static_assert(sizeof what / sizeof *what == X_CXR + 1, "one name per x_kind");
  cfail(b, "a %s of kind %s", e->k <= X_CXR ? what[e->k] : "node", tkind_name(k));
  return mk(gf_const(gg, 0), 0, 0);
}

/* A form as a gate of its own, one unit per term: relu(1) * term. */
static int materialise(cb *b, gform f, const char *name) {
  gate_graph *gg = b->gg;
  gunit *u = xcalloc((size_t)f.n + 2, sizeof *u);
  int n = 0;
  for (int i = 0; i < f.n; i++) {
    gunit x = {f.t[i].c, gf_const(gg, 1), gf_gate(gg, f.t[i].g)};
    u[n++] = x;
  }
  if (f.k != 0 || n == 0) {
    gunit x = {f.k, gf_const(gg, 1), gf_const(gg, 1)};
    u[n++] = x;
  }
  int g = gg_ffn(gg, name, u, n, 1, 0);
  free(u);
  return g;
}

/* A let-bound value (or the result) computed by this node gets a slot of
 * its own under its name. */
static cv named(cb *b, const ir_expr *e, cv v, int first_gate, bool result) {
  if (b->failed || (!result && let_name(b, e->loc) < 0)) return v;
  char name[96];
  node_name(b, e, name, sizeof name);
  bool one = v.f.n == 1 && v.f.k == 0 && v.f.t[0].c == 1;
  int g = one ? v.f.t[0].g : -1;
  struct cname *had = NULL;
  for (int i = 0; i < b->names.n; i++)
    if (b->names.v[i].gate == g && !b->names.v[i].param) had = &b->names.v[i];
  if (had && result && let_name(b, e->loc) < 0) {
    had->result = true;   /* the value of a named node: keep its name */
    return v;
  }
  if (one && g >= first_gate) {
    rename_gate(b, g, name);
    if (had) {
      had->name = arena_strdup(&b->gg->mem, name);
      had->result |= result;
    } else {
      add_name(b, name, g, false, result, e->loc);
    }
    return v;
  }
  if (one && !result) return v;   /* another name for an existing value */
  int m = materialise(b, v.f, name);
  add_name(b, name, m, false, result, e->loc);
  return mk(gf_gate(b->gg, m), v.lo, v.hi);
}

/* The value of the node whose key is `key`, computed before, or -1. */
static int memo_find(const cb *b, const char *key) {
  for (int i = 0; i < b->memo.n; i++)
    if (!strcmp(b->memo.v[i].key, key)) return i;
  return -1;
}

static cv compile_at(cb *b, const ir_expr *e, bool result) {
  if (b->failed) return mk(gf_const(b->gg, 0), 0, 0);
  strbuf key;
  sb_init(&key);
  shape(b, e, &key);
  sb_puts(&key, "@");
  /* the same node under the same conditions, or computed unconditionally
   * before: then its failure, if any, came first, and an arm needs no
   * place of its own (the machine's rule, backend/mexpr.c) */
  int hit = memo_find(b, key.s);
  sb_puts(&key, b->ctx);
  if (hit < 0 && b->ctx[0]) hit = memo_find(b, key.s);
  if (hit >= 0) {
    sb_free(&key);
    return result ? named(b, e, b->memo.v[hit].v, b->gg->g.n, true) : b->memo.v[hit].v;
  }
  int first = b->gg->g.n;
  cv v = named(b, e, node(b, e), first, result);
  struct memo m = {sb_detach(&key), v};
  VEC_PUSH(b->memo, m);
  return v;
}

static cv compile(cb *b, const ir_expr *e) { return compile_at(b, e, false); }

/* ---- output ---------------------------------------------------------- */

/* Logits: the value's role gets 1 + 2 z v - v^2, highest at v = z; ERR
 * gets K d s for s = -1, 0, 1, which is K |d| > 1 + z^2 at s = sign(d)
 * exactly when the lookup found another key's entry (d != 0). */
/* Many places that can fail, or one inside a branch: each an exact 0/1
 * flag (the key not found, and its guards all 1), then the first of them
 * in the evaluator's order, S = sum (i + 1) relu(e_i - sum_{j<i} e_j);
 * ERR gets B (e_1 + ... + e_n) + 2 S s - s^2, highest at s = S, above
 * the value's 1 + z^2 whenever a flag is up. */
static void errors_in_order(cb *b, double B, bool exact_any) {
  gate_graph *gg = b->gg;
  int n = b->errs.n;
  gform *e = xcalloc((size_t)n + 1, sizeof *e);
  gform any = gf_const(gg, 0);
  gunit *u = xcalloc((size_t)n + 1, sizeof *u);
  for (int i = 0; i < n; i++) {
    const struct csite *s = &b->errs.v[i];
    char name[160], text[64];
    src_text(b->w, b->p->sites.v[s->site].loc, text, sizeof text);
    snprintf(name, sizeof name, "%s: key found", text);
    gform miss = gf_addk(gg, gf_scale(gg, gf_gate(gg, gg_eqk(gg, name, s->d, 0)), -1), 1);
    e[i] = miss;
    if (s->nguards) {
      gform arg = gf_addk(gg, miss, -(double)s->nguards);
      for (int k = 0; k < s->nguards; k++) arg = gf_add(gg, arg, s->guards[k]);
      gunit x = {1, arg, gf_const(gg, 1)};
      snprintf(name, sizeof name, "%s: fails here", text);
      e[i] = gf_gate(gg, gg_ffn(gg, name, &x, 1, 0, 1));
    }
    gform prior = gf_const(gg, 0);
    for (int j = 0; j < i; j++) prior = gf_add(gg, prior, e[j]);
    gunit f = {(double)(s->site + 1), gf_axpy(gg, e[i], -1, prior), gf_const(gg, 1)};
    u[i] = f;
    any = gf_add(gg, any, e[i]);
  }
  int sg = gg_ffn(gg, "the first failure", u, n, 0, b->p->sites.n);
  /* a long value's scores reach 2^49: ERR's bonus B must not be
   * multiplied by the number of flags up */
  if (exact_any && n > 1) any = gf_gate(gg, gg_step(gg, "some place fails", any));
  gg->out[3 * R_ERR] = gf_scale(gg, any, B);
  gg->out[3 * R_ERR + 1] = gf_scale(gg, gf_gate(gg, sg), 2);
  gg->out[3 * R_ERR + 2] = gf_const(gg, -1);
  free(e);
  free(u);
}

/* A value that may need two tokens, as the machine emits it: VAL v when
 * v is short, else HI h = floor(v / 65536) and then VAL lo = v - 65536 h
 * - 32768.  Every pass computes v from the prompt (the last argument is
 * read by a head too), and the token it runs on says which chunk is due:
 *   VAL: B ([v short] + 2 [token is HI]) + 2 r x - x^2, highest at x = r,
 *        r = v - [token is HI] (65536 h + 32768), h the HI token's value;
 *   HI:  B (1 - [v short]) + (2 v - 65535) x - 65536 x^2, highest at
 *        x = floor(v / 65536) (no tie: the vertex is never half-way);
 *   ERR: E [a place fails] + 2 S x - x^2, as errors_in_order says.
 * With B = 2^49 the due role wins by more than |2 r x| <= 2^47 and the
 * other's quadratic part (<= 2^46); E = 2^51 beats all of them, and every
 * score stays below 2^53. */
static void output_long(cb *b, int zg, cv z) {
  gate_graph *gg = b->gg;
  const double B = 562949953421312.0, E = 2251799813685248.0;
  b->val_lo = SHORT_MIN;
  b->val_hi = SHORT_MAX;
  b->hi_lo = floor(z.lo / 65536);
  b->hi_hi = floor(z.hi / 65536);
  double ind[R_NROLES] = {0}, val[R_NROLES] = {0};
  ind[R_HI] = val[R_HI] = 1;
  gform hi = gf_gate(gg, gg_token_input(gg, "token is HI", ind, NULL, 0, 1));
  gform h = gf_gate(gg, gg_token_input(gg, "its high chunk", NULL, val, fmin(0, b->hi_lo),
                                       fmax(0, b->hi_hi)));
  gform v = gf_gate(gg, zg);
  gform ge = gf_gate(gg, gg_step(gg, "value >= -32768", gf_addk(gg, v, 1.0 - SHORT_MIN)));
  gform le = gf_gate(gg, gg_step(gg, "value <= 32767",
                                 gf_addk(gg, gf_scale(gg, v, -1), 1.0 + SHORT_MAX)));
  gform shortv = gf_addk(gg, gf_add(gg, ge, le), -1);
  for (int r = 0; r < 3 * R_NROLES; r++) gg->out[r] = gf_const(gg, 0);
  gg->out[3 * R_VAL] = gf_scale(gg, gf_axpy(gg, shortv, 2, hi), B);
  gform r = gf_axpy(gg, gf_axpy(gg, v, -65536, h), -32768, hi);
  gg->out[3 * R_VAL + 1] = gf_scale(gg, r, 2);
  gg->out[3 * R_VAL + 2] = gf_const(gg, -1);
  gg->out[3 * R_HI] = gf_scale(gg, gf_axpy(gg, gf_const(gg, 1), -1, shortv), B);
  gg->out[3 * R_HI + 1] = gf_addk(gg, gf_scale(gg, v, 2), -65535);
  gg->out[3 * R_HI + 2] = gf_const(gg, -65536);
  if (b->errs.n) errors_in_order(b, E, true);
}

static void output(cb *b, int zg, cv z) {
  gate_graph *gg = b->gg;
  circuit *c = b->c;
  int rl = c->result_kind == T_INT ? R_VAL : R_SYM;
  if (b->long_mode) {
    output_long(b, zg, z);
    return;
  }
  b->val_lo = fmin(SHORT_MIN, rl == R_VAL ? z.lo : 0);
  b->val_hi = fmax(SHORT_MAX, rl == R_VAL ? z.hi : 0);
  if (b->val_hi - b->val_lo >= VAL_SPAN_MAX) {
    b->too_long = rl == R_VAL && !b->failed;
    cfail(b, "the value may not fit one token");
    return;
  }
  double lo = gg->g.v[zg].lo, hi = gg->g.v[zg].hi;
  double zmax = fmax(fabs(lo), fabs(hi));
  for (int r = 0; r < 3 * R_NROLES; r++) gg->out[r] = gf_const(gg, 0);
  gg->out[3 * rl] = gf_const(gg, 1);
  gg->out[3 * rl + 1] = gf_scale(gg, gf_gate(gg, zg), 2);
  gg->out[3 * rl + 2] = gf_const(gg, -1);
  if (b->errs.n > 1 || (b->errs.n == 1 && b->errs.v[0].nguards)) {
    errors_in_order(b, 2 + zmax * zmax, false);
    return;
  }
  if (b->errs.n == 1) {
    double K = 2 + zmax * zmax;
    if (!(K * b->errs.v[0].dmax < 4503599627370496.0)) {
      cfail(b, "an error test beyond 2^52");
      return;
    }
    gg->out[3 * R_ERR + 1] = gf_scale(gg, b->errs.v[0].d, K);
  }
}

static void make_vocab(cb *b) {
  mprog *p = b->p;
  int span = (int)(b->setm_hi - b->setm_lo) + 1;
  struct { int count; int64_t v0; bool stop; } spec[R_NROLES] = {
    [R_VAL] = {(int)(b->val_hi - b->val_lo) + 1, (int64_t)b->val_lo, true},
    [R_HI] = {b->long_mode ? (int)(b->hi_hi - b->hi_lo) + 1 : 1,
              b->long_mode ? (int64_t)b->hi_lo : 0, false},
    [R_SYM] = {b->c->nsyms + 2, 0, true}, [R_HALT] = {1, 0, true},
    [R_ERR] = {b->p->sites.n + 2 > 3 ? b->p->sites.n + 2 : 3, -1, true}, [R_SETM] = {span, (int64_t)b->setm_lo, false}};
  int first = 0;
  for (int k = 0; k < R_NROLES; k++) {
    vocab_range *v = &p->ranges[k];
    memset(v, 0, sizeof *v);
    snprintf(v->role, sizeof v->role, "%s", role_names[k]);
    v->first = first;
    v->count = spec[k].count ? spec[k].count : 1;
    v->value0 = spec[k].v0;
    v->stop = spec[k].stop;
    first += v->count;
  }
}

/* ---- driver ---------------------------------------------------------- */

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Whether the IR is one return of an expression, with nothing else. */
static const ir_expr *the_return(cb *b) {
  const ir_prog *ir = b->ir;
  if (ir->fns.n != 1) {
    cfail(b, "calls that stay calls");
    return NULL;
  }
  if (ir->globals.n) {
    cfail(b, "it reads global variables");
    return NULL;
  }
  const ir_fn *m = &ir->fns.v[ir->main_fn];
  const ir_expr *ret = NULL;
  for (int i = 0; i < m->body.n; i++) {
    const ir_stmt *s = &m->body.v[i];
    if (s->k == S_LABEL) continue;
    if (s->k != S_RETURN || ret) {
      cfail(b, "statements");
      return NULL;
    }
    ret = s->a[0];
  }
  if (!ret) cfail(b, "no value");
  return ret;
}

static void layout(cb *b) {
  circuit *c = b->c;
  const ir_fn *m = &b->ir->fns.v[b->ir->main_fn];
  c->nsyms = b->w->syms.names.n;
  for (int i = 0; i < c->nsyms; i++) VEC_PUSH(b->p->syms, i);
  int pos = 1;
  layout_tables(b, &pos);
  c->nparams = m->nparams;
  c->param_kind = arena_alloc(&b->gg->mem, (size_t)(m->nparams + 1) * sizeof(int));
  c->param_pos = arena_alloc(&b->gg->mem, (size_t)(m->nparams + 1) * sizeof(int));
  for (int i = 0; i < m->nparams; i++) c->param_pos[i] = pos + i;
  c->nprompt = pos + m->nparams;
  if (c->nprompt > PROMPT_MAX) cfail(b, "a prompt of %d tokens", c->nprompt);
}

static void build(cb *b, const gcell *fn, const ir_expr *ret) {
  circuit *c = b->c;
  c->result_kind = ir_kind(b->ir, b->ir->main_type);
  if (c->result_kind != T_INT && c->result_kind != T_BOOL && c->result_kind != T_SYM) {
    cfail(b, "a value of kind %s", tkind_name(c->result_kind));
    return;
  }
  c->long_value = b->long_mode;
  if (fn && fn->kind == G_FUNC && fn->fn) collect_lets(b, fn->fn->body);
  layout(b);
  if (!b->failed) params(b);
  if (b->failed) return;
  cv z = compile_at(b, ret, true);
  if (b->failed || b->gg->failed) return;
  output(b, z.f.t[0].g, z);
}

static void finish(cb *b, double t0) {
  mprog *p = b->p;
  circuit *c = b->c;
  c->nnames = b->names.n;
  c->names = arena_alloc(&b->gg->mem, (size_t)(b->names.n + 1) * sizeof *c->names);
  for (int i = 0; i < b->names.n; i++) {
    c->names[i] = b->names.v[i];
    int g = c->names[i].gate;
    if (p->pl.slot[g] < 0) continue;
    int t = p->pl.time[g];
    struct slotref r = {xstrdup(c->names[i].name), p->pl.slot[g], t < 0 ? 0 : t / 2, 0};
    VEC_PUSH(p->slotmap, r);
  }
  for (int l = 0; l < p->pl.n_layers; l++) {
    p->n_heads += p->pl.heads_per_layer[l];
    p->n_units += p->pl.ffn_units[l];
  }
  p->steps = xcalloc(1, sizeof(mstep_info));
  for (int i = 0; i < c->nparams; i++) VEC_PUSH(p->main_params, c->param_pos[i]);
  p->main_type_kind = c->result_kind;
  p->main_elem_kind = T_ANY;
  strbuf s;
  sb_init(&s);
  ir_dump(b->ir, &s);
  p->ir_text = sb_detach(&s);
  p->compile_ms = now_ms() - t0;
}

static void cb_free(cb *b) {
  for (int i = 0; i < b->memo.n; i++) free(b->memo.v[i].key);
  VEC_FREE(b->memo);
  VEC_FREE(b->lets);
  VEC_FREE(b->errs);
  VEC_FREE(b->guards);
  VEC_FREE(b->names);
  free(b->param);
}

/* One attempt, for a value of one token or (long_mode) of two. */
static mprog *compile_as(ir_prog *ir, const gcell *fn, char *why, size_t whylen,
                         bool long_mode, bool *too_long) {
  double t0 = now_ms();
  mprog *p = xcalloc(1, sizeof *p);
  p->w = ir->w;
  cb b;
  memset(&b, 0, sizeof b);
  b.p = p;
  b.ir = ir;
  b.w = ir->w;
  b.gg = &p->gg;
  b.why = why;
  b.whylen = whylen;
  b.g_tok = b.g_r = b.g_r2 = b.g_mask = -1;
  b.long_mode = long_mode;
  gg_init(b.gg, R_NROLES);
  b.gg->fresh_slots = true;
  b.gg->g.v[b.gg->one].name = arena_strdup(&b.gg->mem, "constant 1");
  b.c = p->circ = arena_alloc(&b.gg->mem, sizeof(circuit));
  const ir_expr *ret = the_return(&b);
  if (ret) build(&b, fn, ret);
  if (!b.failed && b.gg->failed) cfail(&b, "%s", b.gg->err);
  if (!b.failed) {
    make_vocab(&b);
    if (!sched_list(b.gg, &p->pl)) cfail(&b, "%s", b.gg->err);
  }
  if (!b.failed) {
    p->m = weights_build(b.gg, &p->pl, p->ranges, R_NROLES, why, whylen);
    if (!p->m) b.failed = true;
  }
  if (!b.failed) {
    p->ir = ir;
    finish(&b, t0);
  }
  cb_free(&b);
  *too_long = b.too_long;
  if (b.failed) {
    mprog_free(p);
    return NULL;
  }
  return p;
}

mprog *circuit_compile(ir_prog *ir, const gcell *fn, char *why, size_t whylen) {
  bool too_long = false;
  mprog *p = compile_as(ir, fn, why, whylen, false, &too_long);
  /* a value that may not fit one token: two passes, HI then VAL */
  if (!p && too_long) p = compile_as(ir, fn, why, whylen, true, &too_long);
  if (!p && getenv("TVL_CIRCUIT_WHY")) fprintf(stderr, "not a circuit: %s\n", why);
  return p;
}

/* ---- running --------------------------------------------------------- */

static int tok(const mprog *p, int rl, int64_t v) {
  const vocab_range *r = &p->ranges[rl];
  if (v < r->value0 || v >= r->value0 + r->count) return -1;
  return r->first + (int)(v - r->value0);
}

/* The token of an argument of kind k, or -1. */
static int arg_token(const mprog *p, int k, value v) {
  /* the circuit's ranges assume short integer arguments */
  if (v.kind == VK_INT && (k == T_INT || k == T_ANY))
    return v.i >= SHORT_MIN && v.i <= SHORT_MAX ? tok(p, R_VAL, v.i) : -1;
  if (v.kind == VK_BOOL && (k == T_BOOL || k == T_ANY)) return tok(p, R_SYM, v.i);
  if (v.kind == VK_SYM && (k == T_SYM || k == T_ANY)) return tok(p, R_SYM, (int64_t)v.i + 2);
  return -1;
}

bool circuit_args_fit(const mprog *p, const value *args, int nargs, char *err,
                      size_t errlen) {
  const circuit *c = p->circ;
  if (nargs != c->nparams) {
    snprintf(err, errlen, "%d arguments for %d parameters", nargs, c->nparams);
    return false;
  }
  for (int i = 0; i < nargs; i++)
    if (arg_token(p, c->param_kind[i], args[i]) < 0) {
      snprintf(err, errlen, "argument %d does not fit the circuit's vocabulary", i + 1);
      return false;
    }
  return true;
}

bool circuit_prompt(const mprog *p, const value *args, int nargs, int_vec *prompt,
                    char *err, size_t errlen) {
  const circuit *c = p->circ;
  if (!circuit_args_fit(p, args, nargs, err, errlen)) return false;
  prompt->n = 0;
  VEC_PUSH(*prompt, tok(p, R_BOS, 0));
  for (int t = 0; t < c->ntables; t++) {
    const struct ctable *ct = &c->tables[t];
    const table_def *td = ct->table->table;
    for (int64_t k = ct->kmin; k <= ct->kmax; k++) {
      int token = tok(p, R_BOS, 0);
      for (int i = 0; i < td->n; i++) {
        int64_t key, v;
        if (mval(td->keys[i], &key) && key == k && mval(td->vals[i], &v))
          token = tok(p, R_SETM, v);
      }
      if (token < 0) {
        snprintf(err, errlen, "table %s changed since it was compiled",
                 sym_name(&p->w->syms, ct->table->name));
        return false;
      }
      VEC_PUSH(*prompt, token);
    }
  }
  for (int i = 0; i < nargs; i++) VEC_PUSH(*prompt, arg_token(p, c->param_kind[i], args[i]));
  return true;
}

int circuit_decode(const mprog *p, const int *gen, int ngen, value *out,
                   strbuf *text, int *site, char *err, size_t errlen) {
  const circuit *c = p->circ;
  *site = -1;
  if (ngen < 1) return 0;
  int r = model_token_range(p->m, gen[0]);
  int64_t v = model_token_value(p->m, gen[0]);
  /* ERR -1 and 1: the one lookup failed; ERR k: site k - 1 */
  int64_t s = v < 0 ? -v : v;
  if (r == R_ERR && s >= 1 && s <= p->sites.n) {
    *site = (int)(s - 1);
    return 1;
  }
  if (r == R_HI && c->long_value && c->result_kind == T_INT) {
    /* the high chunk; the low one follows */
    if (ngen < 2) return 0;
    if (model_token_range(p->m, gen[1]) != R_VAL) {
      snprintf(err, errlen, "malformed circuit output: token %d after HI", gen[1]);
      return -1;
    }
    *out = v_int((int32_t)(65536 * v + model_token_value(p->m, gen[1]) + 32768));
  } else if (r == R_VAL && c->result_kind == T_INT) *out = v_int((int32_t)v);
  else if (r == R_SYM && c->result_kind == T_BOOL && v < 2) *out = v_bool(v != 0);
  else if (r == R_SYM && c->result_kind == T_SYM && v >= 2 && v - 2 < c->nsyms)
    *out = v_sym((int)(v - 2));
  else {
    snprintf(err, errlen, "malformed circuit output: token %d", gen[0]);
    return -1;
  }
  value_print(p->w, *out, text, true);
  return 1;
}

void circuit_error_text(const mprog *p, int site, const int *prompt, int nprompt,
                        strbuf *out) {
  if (site < 0 || site >= p->sites.n) return;
  /* the value each prompt token carries: a table entry (SETM), an
   * argument (VAL, SYM); BOS, no entry, carries none */
  int64_t *vals = xcalloc((size_t)nprompt + 1, sizeof *vals);
  bool *ok = xcalloc((size_t)nprompt + 1, sizeof *ok);
  for (int i = 0; i < nprompt; i++) {
    int r = model_token_range(p->m, prompt[i]);
    ok[i] = r == R_SETM || r == R_VAL || r == R_SYM;
    if (ok[i]) vals[i] = model_token_value(p->m, prompt[i]);
  }
  if (!machine_flat_error_text(p, site, vals, ok, nprompt, out)) sb_puts(out, p->sites.v[site].msg);
  free(vals);
  free(ok);
}

/* ---- for people ------------------------------------------------------ */

static int gate_slot(const mprog *p, int g) { return g >= 0 ? p->pl.slot[g] : -1; }

void circuit_slot_names(const mprog *p, const char *sep, strbuf *out) {
  const circuit *c = p->circ;
  bool first = true;
  for (int i = 0; i < c->nnames; i++) {
    int s = gate_slot(p, c->names[i].gate);
    if (s < 0) continue;
    sb_printf(out, "%s%s\xe2\x86\x92%d", first ? "" : sep, c->names[i].name, s);
    first = false;
  }
}

void circuit_plumbing(const mprog *p, strbuf *out) {
  const gate_graph *gg = &p->gg;
  bool first = true;
  for (int g = 0; g < gg->g.n; g++) {
    int s = gate_slot(p, g);
    if (s < 0 || p->pl.time[g] == -3) continue;
    bool named = false;
    for (int i = 0; i < p->circ->nnames; i++) named |= p->circ->names[i].gate == g;
    if (named) continue;
    sb_printf(out, "%s%s %d", first ? "" : " \xc2\xb7 ", gg->g.v[g].name, s);
    first = false;
  }
}

bool circuit_token_text(const mprog *p, int64_t pos, int token, strbuf *out) {
  const circuit *c = p->circ;
  if (!c) return false;
  int r = model_token_range(p->m, token);
  int64_t v = model_token_value(p->m, token);
  for (int t = 0; t < c->ntables; t++) {
    const struct ctable *ct = &c->tables[t];
    if (pos < ct->base || pos > ct->base + (ct->kmax - ct->kmin)) continue;
    int64_t k = ct->kmin + (pos - ct->base);
    const table_def *td = ct->table->table;
    value key = td->keys[0].kind == VK_SYM ? v_sym((int)(k - 2))
                : td->keys[0].kind == VK_BOOL ? v_bool(k != 0) : v_int((int32_t)k);
    sb_printf(out, "%s[", sym_name(&p->w->syms, ct->table->name));
    if (key.kind == VK_SYM) sb_putc(out, '\'');
    value_print(p->w, key, out, true);
    if (r != R_SETM) {
      sb_puts(out, "]: no entry");
      return true;
    }
    sb_puts(out, "] = ");
    value vv = td->vals[0];
    for (int i = 0; i < td->n; i++) {
      int64_t kk;
      if (mval(td->keys[i], &kk) && kk == k) vv = td->vals[i];
    }
    if (vv.kind == VK_SYM) sb_putc(out, '\'');
    value_print(p->w, vv, out, true);
    (void)v;
    return true;
  }
  for (int i = 0; i < c->nparams; i++)
    if (pos == c->param_pos[i] && i < c->nnames && c->names[i].param) {
      sb_printf(out, "%s = ", c->names[i].name);
      if (r == R_SYM && c->param_kind[i] != T_BOOL && v >= 2) {
        sb_printf(out, "'%s", sym_name(&p->w->syms, (int)(v - 2)));
        return true;
      }
      if (r == R_SYM) sb_puts(out, v ? "#t" : "#f");
      else sb_printf(out, "%lld", (long long)v);
      return true;
    }
  return false;
}
