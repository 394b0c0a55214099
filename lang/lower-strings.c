/* lower-strings.c - the procedures that read strings, in compiled code
 * (issue 13, item 2, a first part).
 *
 * A compiled string is the number of its literal (or of a string a
 * global holds), as the STR token numbers it; compiled code makes no new
 * strings yet.  string-length, string-ref, string-null?, the comparisons
 * string=? string<? string>? string<=? string>=? and string->list read
 * them: X_PRIM nodes of the builtins themselves, which the backend
 * computes with lookups in tables of the program's strings that the
 * prompt writes only when the program uses them (backend/mstrings.c).
 * string->list is a loop that conses the characters from the last.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"

#include <string.h>

static const char *const readers[] = {
  "string-length", "string-ref", "string-null?", "string=?", "string<?",
  "string>?", "string<=?", "string>=?", "string->list", NULL};

static ir_expr *prim(lw *c, srcloc loc, const char *op, ir_expr **ops, int n, tkind k) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, n);
  e->op = builtin_find(op);
  for (int i = 0; i < n; i++) e->a[i] = ops[i];
  e->type = lw_new_type(c, k);
  e->has_nat = true;
  e->nat = k;
  return e;
}

static ir_expr *konst(lw *c, srcloc loc, tkind k, int32_t v) {
  ir_expr *e = lw_mk(c, X_CONST, loc, 0);
  e->ival = v;
  e->type = lw_new_type(c, k);
  e->has_nat = true;
  e->nat = k;
  return e;
}

/* (string->list s): i from the length down, acc := (cons (string-ref s
 * i) acc); a new list each time, as in the evaluator. */
static ir_expr *to_list(lw *c, const ast *a, ir_expr *s) {
  srcloc loc = a->loc;
  int sv = lw_new_var(c, -1, VAR_TEMP, loc), iv = lw_new_var(c, -1, VAR_TEMP, loc);
  int acc = lw_new_var(c, -1, VAR_TEMP, loc);
  lw_assign(c, sv, s, loc);
  ir_expr *ops[2] = {lw_var_expr(c, sv, loc)};
  lw_assign(c, iv, prim(c, loc, "string-length", ops, 1, T_INT), loc);
  lw_assign(c, acc, konst(c, loc, T_NIL, 0), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  ops[0] = lw_var_expr(c, iv, loc);
  ops[1] = konst(c, loc, T_INT, 0);
  ir_stmt *br = lw_emit(c, S_BRANCH, loc);
  br->a[0] = prim(c, loc, ">", ops, 2, T_BOOL);
  br->l1 = body;
  br->l2 = done;
  lw_label(c, body, loc);
  ops[0] = lw_var_expr(c, iv, loc);
  ops[1] = konst(c, loc, T_INT, -1);
  lw_assign(c, iv, prim(c, loc, "+", ops, 2, T_INT), loc);
  ops[0] = lw_var_expr(c, sv, loc);
  ops[1] = lw_var_expr(c, iv, loc);
  ir_expr *ch = prim(c, loc, "string-ref", ops, 2, T_CHAR);
  lw_assign(c, acc, lw_cons(c, ch, lw_var_expr(c, acc, loc), loc), loc);
  lw_emit(c, S_JUMP, loc)->l1 = head;
  lw_label(c, done, loc);
  return lw_var_expr(c, acc, loc);
}

ir_expr *lw_string_prim(lw *c, const ast *a, const builtin *b, ir_expr **args, int n) {
  const char *name = b->name;
  int k = 0;
  while (readers[k] && strcmp(readers[k], name)) k++;
  if (!readers[k]) return NULL;
  ir_expr *ops[64];
  if (n > 64) {
    lw_fail(c, a->loc, "too many arguments for %s in compiled code", name);
    return NULL;
  }
  if (!strcmp(name, "string->list") && n > 1) {
    lw_fail(c, a->loc, "string->list with a start or an end is not supported in "
                       "compiled code yet (run it with --reference)");
    return NULL;
  }
  /* the bounds error is at the index as written (inlined or not) */
  if (!strcmp(name, "string-ref") && n == 2)
    args[1] = lw_at_place(c, args[1], a->u.call.args[1]->loc);
  for (int i = 0; i < n; i++)
    ops[i] = lw_checked_arg(c, a, name, args, i, i == 1 && name[7] == 'r' ? T_INT : T_STR);
  if (!strcmp(name, "string-length")) return prim(c, a->loc, name, ops, n, T_INT);
  if (!strcmp(name, "string-ref")) {
    c->p->has_chars = true;
    return prim(c, a->loc, name, ops, n, T_CHAR);
  }
  if (!strcmp(name, "string->list")) {
    c->p->has_chars = true;
    return to_list(c, a, ops[0]);
  }
  return prim(c, a->loc, name, ops, n, T_BOOL);
}
