/* msymbols.c - symbols made at run time in the machine (the lowering:
 * lang/lower-symbols.c; docs/trace-format.md, "Symbols made at run
 * time").
 *
 * In a program that makes symbols (ir_prog.has_rtsym) a symbol value is
 * a SYM id (below nsym + 2, the program's own symbols) or the address of
 * a name's block in the *symbol region*, a vector of SYM_REGION cells
 * that the prompt makes past the string tables (two writes: its length
 * and fill); the heap limit does not count it, as the evaluator's
 * symbol table is not in its heap.  The lowering's private operations:
 *
 *   %symbol-region   the region's address (a vector)
 *   %symbol-count    nsym + 2: the SYM ids are below it
 *   %symbol-cast     its operand, as a value of the node's class
 *   %symbol-class    of a code point: 1 digit, 2 + or -, 3 '.', 4 'i',
 *                    5 what `write` cannot leave bare in a symbol
 *                    (white space, brackets, braces, '#', '"', ';',
 *                    controls and the common format characters), 6 a
 *                    quote, quasiquote or comma (braces when first)
 *
 * and %symbol-name (mstrings.c) gives a made symbol's own address: its
 * name's block is a string.  display and write of a symbol that may be
 * made at run time branch: a SYM token, or the name's characters (PRINT
 * and the code point, from a step whose out_kind is T_SYM), between
 * "#{" and "}#" when the record's flag says so; the host shows each
 * character as lang/chars.c sym_write does (\x28; for '(').
 *
 * Ownership: nothing kept; the units belong to the step being built.
 */
#include "config.h"

#include "mbuild.h"

#include <string.h>

int32_t mb_symbols_layout(mb *b, int32_t next) {
  b->p->sym_base = next;
  return next + SYM_REGION + 2;
}

void machine_symbols_prompt(const mprog *p, i64_vec *w) {
  if (!p->sym_base) return;
  VEC_PUSH(*w, (int64_t)p->sym_base);
  VEC_PUSH(*w, (int64_t)SYM_REGION);
  VEC_PUSH(*w, (int64_t)p->sym_base + 1);
  VEC_PUSH(*w, 0);
}

/* [v < nsym + 2]: a symbol of the program's own */
gform mx_symbol_static(mb *b, cval v) {
  gate_graph *gg = b->gg;
  double n = b->p->syms.n + 2;
  if (v.hi < n) return gf_const(gg, 1);
  if (v.lo >= n) return gf_const(gg, 0);
  return gf_gate(gg, gg_step(gg, "a known symbol", gf_addk(gg, gf_scale(gg, v.f, -1), n)));
}

static gform eqk(mb *b, cval v, double k) {
  if (v.hi < k || v.lo > k) return gf_const(b->gg, 0);
  return gf_gate(b->gg, gg_eqk(b->gg, "a character", v.f, k));
}

bool mx_symbol_prim(mb *b, const ir_expr *e, const cval *a, cval *out) {
  const char *op = e->op->name;
  if (strncmp(op, "%symbol-", 8)) return false;
  gate_graph *gg = b->gg;
  if (!strcmp(op, "%symbol-region")) {
    *out = mx_const(b, b->p->sym_base);
    return true;
  }
  if (!strcmp(op, "%symbol-count")) {
    *out = mx_const(b, b->p->syms.n + 2);
    return true;
  }
  if (!strcmp(op, "%symbol-cast")) {
    *out = a[0];
    return true;
  }
  if (!strcmp(op, "%symbol-class")) {
    cval c = a[0];
    gform f = mx_in_range(b, c, '0', '9');
    f = gf_axpy(gg, f, 2, gf_add(gg, eqk(b, c, '+'), eqk(b, c, '-')));
    f = gf_axpy(gg, f, 3, eqk(b, c, '.'));
    f = gf_axpy(gg, f, 4, eqk(b, c, 'i'));
    gform bad = mx_in_range(b, c, 0, ' ');
    for (const char *s = "#()[]{}\";"; *s; s++) bad = gf_add(gg, bad, eqk(b, c, *s));
    /* DEL, the C1 controls and no-break space, the soft hyphen, and the
     * other spaces, separators and format characters in use (see
     * lang/chars.c sym_char_escaped; tvl(1) says what is left out) */
    static const int32_t hidden[][2] = {{0x7f, 0xa0}, {0xad, 0xad}, {0x1680, 0x1680},
                                        {0x180e, 0x180e}, {0x2000, 0x200f}, {0x2028, 0x202f},
                                        {0x205f, 0x2064}, {0x3000, 0x3000}, {0xfeff, 0xfeff}};
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
      bad = gf_add(gg, bad, mx_in_range(b, c, hidden[i][0], hidden[i][1]));
    f = gf_axpy(gg, f, 5, bad);
    /* a quote, quasiquote or comma: braces when it comes first */
    f = gf_axpy(gg, f, 6, gf_add(gg, eqk(b, c, '\''), gf_add(gg, eqk(b, c, '`'), eqk(b, c, ','))));
    *out = (cval){f, 0, 6, false};
    return true;
  }
  return false;
}

/* ---- display and write ------------------------------------------------ */

static int patch_here(mb *b, int br, bool first) {
  if (first) {
    b->ms.v[br].l1 = b->ms.n;
    b->ms.v[br].l1_is_pc = true;
  } else {
    b->ms.v[br].l2 = b->ms.n;
    b->ms.v[br].l2_is_pc = true;
  }
  return b->ms.n;
}

static ir_expr *prim(mb *b, const char *name, tkind k, ir_expr *x, ir_expr *y) {
  ir_expr *e = mb_mkx(b, X_PRIM, mb_kind_type(b, k), y ? 2 : 1);
  e->op = builtin_find(name);
  e->a[0] = x;
  if (y) e->a[1] = y;
  return e;
}

static const builtin static_op = {"%symbol-known", 1, 1, AK_ANY, NULL, VK_BOOL, NULL, "", NULL};
static const builtin made_op = {"%symbol-made", 1, 1, AK_ANY, NULL, VK_BOOL, NULL, "", NULL};
static const builtin clamp_op = {"%symbol-known-id", 1, 1, AK_ANY, NULL, VK_SYM, NULL, "", NULL};
static const builtin string_object_op = {"%string-object", 1, 1, AK_STR, NULL, VK_VEC, NULL, "", NULL};
static const builtin region_op = {"%symbol-region", 0, 0, AK_ANY, NULL, VK_VEC, NULL, "", NULL};

bool mx_symbol_print_prim(mb *b, const ir_expr *e, const cval *a, cval *out) {
  gate_graph *gg = b->gg;
  if (e->op == &static_op) {
    *out = (cval){mx_symbol_static(b, a[0]), 0, 1, true};
    return true;
  }
  if (e->op == &made_op) {   /* an address in the region */
    *out = (cval){mx_in_range(b, a[0], b->p->sym_base, b->p->sym_base + SYM_REGION + 1), 0, 1, true};
    return true;
  }
  if (e->op == &clamp_op) {   /* in the branch of a known symbol */
    double hi = b->p->syms.n + 1;
    cval x = a[0];
    if (x.lo >= 0 && x.hi <= hi) {
      *out = x;
      return true;
    }
    gunit u[2] = {{1, gf_const(gg, 1), x.f}, {-1, gf_addk(gg, x.f, -hi), gf_const(gg, 1)}};
    int g = gg_ffn(gg, "a known symbol's id", u, 2, 0, hi);
    *out = (cval){gf_gate(gg, g), 0, hi, false};
    return true;
  }
  return false;
}

/* The name's characters from block variable v (kind k of each: T_STR
 * plain, T_SYM escaped inside #{...}#). */
static void chars(mb *b, int v, int kind, int fn, srcloc loc) {
  int i = mb_temp(b, mb_int_type(b), "display:i");
  mstmt *m = mb_step(b, M_WRITE, fn, loc);
  mb_set_target(b, m, i);
  m->val = mb_int_const(b, 0);
  m->what = mb_describe(b, "display: i := 0");
  int head = b->ms.n;
  ir_expr *len = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
  len->a[0] = mb_var_ref(b, v);
  m = mb_step(b, M_BRANCH, fn, loc);
  m->val = prim(b, "<", T_BOOL, mb_var_ref(b, i), len);
  m->what = mb_describe(b, "display: more characters?");
  int br = b->ms.n - 1;
  patch_here(b, br, true);
  int vt = b->ir->vars.v[v].type;
  ir_expr *ch = mb_mkx(b, X_VREF, b->ir->types.v[vt].elem, 2);
  ch->a[0] = mb_var_ref(b, v);
  ch->a[1] = mb_var_ref(b, i);
  m = mb_step(b, M_MARK, fn, loc);
  m->mark = R_PRINT;
  m = mb_step(b, M_OUTINT, fn, loc);
  m->val = ch;
  m->out_kind = kind;
  m->write = false;
  m->what = mb_describe(b, "print a symbol's character");
  m = mb_step(b, M_WRITE, fn, loc);
  mb_set_target(b, m, i);
  m->val = prim(b, "+", T_INT, mb_var_ref(b, i), mb_int_const(b, 1));
  m->what = mb_describe(b, "display: i := i + 1");
  m = mb_step(b, M_JUMP, fn, loc);
  m->l1 = head;
  m->l1_is_pc = true;
  patch_here(b, br, false);
}

/* display and write of symbol e (kind T_SYM, not a constant): display
 * and write show a symbol alike (lang/world.c). */
void mb_display_symbol(mb *b, ir_expr *e, int fn, srcloc loc) {
  int sv = mb_temp(b, e->type, "display:sym");
  mstmt *m = mb_step(b, M_WRITE, fn, loc);
  mb_set_target(b, m, sv);
  m->val = e;
  m->what = mb_describe(b, "display: take the symbol");
  ir_expr *known = mb_mkx(b, X_PRIM, mb_kind_type(b, T_BOOL), 1);
  known->op = &static_op;
  known->a[0] = mb_var_ref(b, sv);
  m = mb_step(b, M_BRANCH, fn, loc);
  m->val = known;
  m->what = mb_describe(b, "display: a symbol of the program's own?");
  int br = b->ms.n - 1;
  patch_here(b, br, true);
  ir_expr *id = mb_mkx(b, X_PRIM, mb_kind_type(b, T_SYM), 1);
  id->op = &clamp_op;
  id->a[0] = mb_var_ref(b, sv);
  m = mb_step(b, M_OUTSYM, fn, loc);
  m->val = id;
  m->out_kind = T_SYM;
  m->what = mb_describe(b, "print a symbol");
  int end1 = b->ms.n;
  mb_step(b, M_JUMP, fn, loc);
  patch_here(b, br, false);
  /* a symbol made at run time: its name's block */
  int vt = mb_kind_type(b, T_VEC);
  int ct = mb_kind_type(b, T_CHAR);   /* may grow the types: before indexing them */
  b->ir->types.v[vt].elem = ct;
  int v = mb_temp(b, vt, "display:name");
  ir_expr *obj = mb_mkx(b, X_PRIM, vt, 1);
  obj->op = &string_object_op;
  obj->a[0] = mb_var_ref(b, sv);
  m = mb_step(b, M_WRITE, fn, loc);
  mb_set_target(b, m, v);
  m->val = obj;
  m->what = mb_describe(b, "display: the symbol's name");
  /* its flag, element -4 of the block: 2 cells before it */
  int rt = mb_kind_type(b, T_VEC);
  int it = mb_int_type(b);   /* may grow the types: before indexing them */
  b->ir->types.v[rt].elem = it;
  ir_expr *reg = mb_mkx(b, X_PRIM, rt, 0);
  reg->op = &region_op;
  ir_expr *flag = mb_mkx(b, X_VREF, mb_int_type(b), 2);
  flag->a[0] = reg;
  flag->a[1] = prim(b, "-", T_INT, prim(b, "-", T_INT, mb_var_ref(b, sv), reg), mb_int_const(b, 4));
  m = mb_step(b, M_BRANCH, fn, loc);
  m->val = prim(b, "=", T_BOOL, flag, mb_int_const(b, 1));
  m->what = mb_describe(b, "display: #{...}#?");
  int br2 = b->ms.n - 1;
  patch_here(b, br2, true);
  m = mb_step(b, M_OUTSTR, fn, loc);
  m->konst = mb_str_const(b, "#{");
  chars(b, v, T_SYM, fn, loc);
  m = mb_step(b, M_OUTSTR, fn, loc);
  m->konst = mb_str_const(b, "}#");
  int end2 = b->ms.n;
  mb_step(b, M_JUMP, fn, loc);
  patch_here(b, br2, false);
  chars(b, v, T_STR, fn, loc);
  b->ms.v[end1].l1 = b->ms.n;
  b->ms.v[end1].l1_is_pc = true;
  b->ms.v[end2].l1 = b->ms.n;
  b->ms.v[end2].l1_is_pc = true;
}

/* string-set! of a symbol's name (lang/lower-strings2.c immutable): the
 * text of a literal (%literal-text), or, for the name of a symbol made at
 * run time, the string written.  Steps marked errval by the caller. */
bool mb_symbol_errtext(mb *b, const ir_stmt *s, int fn) {
  ir_expr *t = s->a[0];
  if (!b->ir->has_rtsym || t->k != X_PRIM || !t->op || strcmp(t->op->name, "%literal-text"))
    return false;
  ir_expr *str = t->a[0];
  ir_expr *known = mb_mkx(b, X_PRIM, mb_kind_type(b, T_BOOL), 1);
  known->op = &made_op;
  known->a[0] = str;
  mstmt *m = mb_step(b, M_BRANCH, fn, s->loc);
  m->val = known;
  m->what = mb_describe(b, "a symbol's name?");
  int br = b->ms.n - 1;
  patch_here(b, br, true);
  mb_print_errtext(b, true);
  mb_display(b, str, true, fn, s->loc);
  mb_print_errtext(b, false);
  int end = b->ms.n;
  mb_step(b, M_JUMP, fn, s->loc);
  patch_here(b, br, false);
  mb_print_errtext(b, true);
  mb_display(b, t, false, fn, s->loc);
  mb_print_errtext(b, false);
  b->ms.v[end].l1 = b->ms.n;
  b->ms.v[end].l1_is_pc = true;
  return true;
}
