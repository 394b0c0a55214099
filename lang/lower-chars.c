/* lower-chars.c - characters in compiled code (issue 13, item 1).
 *
 * A character is its code point, of kind T_CHAR (tagged with TAG_CHAR
 * where it meets other kinds: ir.h, docs/trace-format.md).  So
 * char->integer is the value itself under another kind, the comparisons
 * are the integer comparisons, and integer->char is the integer once the
 * evaluator's check that it is a Unicode code point passes.  The
 * Unicode classes and case mappings stay the builtins' own X_PRIM nodes:
 * the backend (backend/mchars.c) computes them with a lookup in a table
 * that the prompt lays out only for programs that use it.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"

#include <string.h>

/* Whether name is a character builtin this file lowers. */
static bool char_builtin(const char *name) {
  return !strncmp(name, "char", 4) || !strcmp(name, "integer->char");
}

/* An X_PRIM of builtin `op` (by name) on n operands, of kind k. */
static ir_expr *prim(lw *c, srcloc loc, const char *op, ir_expr **ops, int n, tkind k) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, n);
  e->op = builtin_find(op);
  for (int i = 0; i < n; i++) e->a[i] = ops[i];
  e->type = lw_new_type(c, k);
  e->has_nat = true;
  e->nat = k;
  return e;
}

static ir_expr *int_const(lw *c, srcloc loc, int32_t v) {
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = v;
  e->type = lw_new_type(c, T_INT);
  e->has_nat = true;
  e->nat = T_INT;
  return e;
}

/* (integer->char x): x when it is a code point (0 to #x10FFFF, without
 * the surrogates), else the evaluator's error at the argument.  A
 * constant's message names it, as the evaluator's does; a computed
 * value's is known only when the program runs (tests/divergences.md,
 * D18: the texts agree up to the first colon). */
static ir_expr *int_to_char(lw *c, const ast *a, ir_expr *x) {
  srcloc at = a->u.call.n ? a->u.call.args[0]->loc : a->loc;
  ir_expr *ops[2];
  ops[0] = int_const(c, at, 0);
  ops[1] = x;
  ir_expr *ge0 = prim(c, at, "<=", ops, 2, T_BOOL);
  ops[0] = x;
  ops[1] = int_const(c, at, 0x10FFFF);
  ir_expr *le = prim(c, at, "<=", ops, 2, T_BOOL);
  ops[0] = x;
  ops[1] = int_const(c, at, 0xD7FF);
  ir_expr *below = prim(c, at, "<=", ops, 2, T_BOOL);
  ops[0] = x;
  ops[1] = int_const(c, at, 0xE000);
  ir_expr *above = prim(c, at, ">=", ops, 2, T_BOOL);
  /* valid = ge0 and le and (below or above), as 0/1 sums */
  ir_expr *sur = lw_mk(c, X_SELECT, at, 3);
  sur->a[0] = below;
  sur->a[1] = below;
  sur->a[2] = above;
  sur->type = below->type;
  lw_unify(c, below->type, above->type, at, "a code point test");
  ops[0] = ge0;
  ops[1] = le;
  ir_expr *ok = lw_mk(c, X_SELECT, at, 3);
  ok->a[0] = ge0;
  ok->a[1] = le;
  ok->a[2] = ge0;
  ok->type = le->type;
  lw_unify(c, ge0->type, le->type, at, "a code point test");
  ir_expr *all = lw_mk(c, X_SELECT, at, 3);
  all->a[0] = ok;
  all->a[1] = sur;
  all->a[2] = ok;
  all->type = ok->type;
  lw_unify(c, ok->type, sur->type, at, "a code point test");
  ir_expr *fail;
  const ir_expr *k = x->k == X_CHECK ? x->a[0] : x;
  if (k->k == X_CONST && k->has_nat && k->nat == T_INT)
    fail = lw_fail_expr(c, at, "bounds", "integer->char: %d is not a Unicode code point "
                        "(0 to #x10FFFF, without #xD800 to #xDFFF)", (int)k->ival);
  else {
    fail = lw_fail_expr(c, at, "bounds", "integer->char: the argument is not a Unicode "
                        "code point (0 to #x10FFFF, without #xD800 to #xDFFF)");
    struct ir_failval fv = {fail->ival, x, "integer->char: \001 is not a Unicode code point "
                            "(0 to #x10FFFF, without #xD800 to #xDFFF)"};
    VEC_PUSH(c->p->failvals, fv);
  }
  ops[0] = x;
  ir_expr *ch = prim(c, a->loc, "+", ops, 1, T_CHAR);   /* the same value */
  ir_expr *e = lw_mk(c, X_SELECT, a->loc, 3);
  e->a[0] = all;
  e->a[1] = ch;
  e->a[2] = fail;
  lw_unify(c, fail->type, ch->type, a->loc, "integer->char");
  e->type = ch->type;
  return e;
}

ir_expr *lw_char_prim(lw *c, const ast *a, const builtin *b, ir_expr **args, int n) {
  const char *name = b->name;
  if (!char_builtin(name)) return NULL;
  c->p->has_chars = true;
  if (!strcmp(name, "char?")) return prim(c, a->loc, name, args, n, T_BOOL);
  if (!strcmp(name, "integer->char")) {
    ir_expr *x = lw_checked_arg(c, a, name, args, 0, T_INT);
    return int_to_char(c, a, x);
  }
  ir_expr *ops[64];
  if (n > 64) {
    lw_fail(c, a->loc, "too many arguments for %s in compiled code", name);
    return NULL;
  }
  for (int i = 0; i < n; i++) ops[i] = lw_checked_arg(c, a, name, args, i, T_CHAR);
  if (!strcmp(name, "char->integer")) return prim(c, a->loc, "+", ops, 1, T_INT);
  static const struct { const char *name, *op; } cmp[] = {
    {"char=?", "="}, {"char<?", "<"}, {"char>?", ">"}, {"char<=?", "<="}, {"char>=?", ">="}};
  for (size_t i = 0; i < sizeof cmp / sizeof cmp[0]; i++)
    if (!strcmp(name, cmp[i].name)) return prim(c, a->loc, cmp[i].op, ops, n, T_BOOL);
  if (!strcmp(name, "char-ci=?")) {
    /* Guile compares the upper cases (lang/chars.c char_ci_key) */
    for (int i = 0; i < n; i++)
      ops[i] = prim(c, ops[i]->loc, "char-upcase", &ops[i], 1, T_CHAR);
    return prim(c, a->loc, "=", ops, n, T_BOOL);
  }
  if (!strcmp(name, "char-upcase") || !strcmp(name, "char-downcase"))
    return prim(c, a->loc, name, ops, n, T_CHAR);
  /* char-alphabetic?, char-numeric?, char-whitespace?, char-upper-case?,
   * char-lower-case?: a class lookup (backend/mchars.c) */
  if (name[strlen(name) - 1] == '?' && b->result == VK_BOOL && n == 1)
    return prim(c, a->loc, name, ops, n, T_BOOL);
  lw_fail(c, a->loc, "%s is not supported in compiled code yet (run it with "
                     "--reference)", name);
  return NULL;
}
