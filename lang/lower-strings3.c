/* lower-strings3.c - Guile's string library (SRFI-13 names) in compiled
 * code: string-for-each, string-map, string-index, string-contains,
 * string-prefix?, string-suffix?, string-reverse, string-trim,
 * string-trim-right, string-trim-both, string-split, string-join,
 * string-ci=?; and format (simple-format) to #t with a literal format
 * string, and write-char.
 *
 * Each call is a loop in statements over the strings' blocks, as
 * lang/lower-strings2.c lowers the other string procedures (the builders
 * it shares: lower-strings3.h), and in the order of lang/builtins-text.c:
 * the operands and the table's kind checks, then the procedure's own
 * checks, its allocations (string-split: each piece, then its pair, from
 * the last piece), then the characters.  A procedure argument
 * (string-for-each, string-map, a predicate of string-index) is called
 * through its value (lw_callv), one call deeper than this one, as
 * lang/lower-hof.c calls map's.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower-strings3.h"
#include "lower-build.h"
#include "lower-ports.h"

#include <string.h>

static const char *const names[] = {
  "string-for-each", "string-map", "string-index", "string-contains",
  "string-prefix?", "string-suffix?", "string-reverse", "string-trim",
  "string-trim-right", "string-trim-both", "string-split", "string-join",
  "string-ci=?", "format", "simple-format", "write-char", NULL};

bool ls3_name(const char *name) {
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], name)) return true;
  return false;
}

/* ---- small builders ------------------------------------------------- */

static void add_to(lw *c, int v, int32_t d, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), kint(c, d, loc), T_INT, loc), loc);
}

/* for i from `from` below variable `to`: the body follows */
typedef struct {
  int i, head, body, done;
} loop;

static loop loop_open(lw *c, ir_expr *from, int to, srcloc loc) {
  loop l = {temp_of(c, T_INT, loc), lw_new_label(c), lw_new_label(c), lw_new_label(c)};
  lw_assign(c, l.i, from, loc);
  lw_label(c, l.head, loc);
  branch(c, prim(c, "<", var(c, l.i, loc), var(c, to, loc), T_BOOL, loc), l.body, l.done, loc);
  lw_label(c, l.body, loc);
  return l;
}

static void loop_close(lw *c, loop *l, srcloc loc) {
  add_to(c, l->i, 1, loc);
  jump(c, l->head, loc);
  lw_label(c, l->done, loc);
}

/* the block of string variable s and its length, in new variables */
static int block(lw *c, int s, int *len, srcloc loc) {
  int o = ls_object(c, s, loc);
  *len = assign_new(c, ls_length(c, o, loc), loc);
  return o;
}

/* character o[i] (i an expression), in a new variable */
static int char_in(lw *c, int o, ir_expr *i, srcloc loc) {
  return assign_new(c, ls_char_at(c, o, i, loc), loc);
}

/* a new string of the characters o[from..to) (variables) */
static ir_expr *piece(lw *c, int o, int from, int to, srcloc loc) {
  int out = ls_new_full_block(c, prim(c, "-", var(c, to, loc), var(c, from, loc), T_INT, loc), loc);
  int k = assign_new(c, kint(c, 0, loc), loc);
  c->p->vars.v[k].type = lw_type_of_kind(c, T_INT);
  ls_copy_chars(c, out, k, o, from, to, loc);
  return ls_as_string(c, out, loc);
}

/* ---- the procedures -------------------------------------------------- */

static ir_expr *reverse(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  int len, o = block(c, v[0], &len, loc);
  int out = ls_new_full_block(c, var(c, len, loc), loc);
  loop l = loop_open(c, kint(c, 0, loc), len, loc);
  ir_expr *from = prim(c, "-", prim(c, "-", var(c, len, loc), kint(c, 1, loc), T_INT, loc),
                      var(c, l.i, loc), T_INT, loc);
  ls_store(c, out, var(c, l.i, loc), ls_char_at(c, o, from, loc), loc);
  loop_close(c, &l, loc);
  return ls_as_string(c, out, loc);
}

/* string-trim, -right, -both: the white space off the ends (the
 * evaluator's char_whitespace: the class of backend/mchars.c). */
static ir_expr *trim(lw *c, const ast *a, const int *v, bool left, bool right) {
  srcloc loc = a->loc;
  int len, o = block(c, v[0], &len, loc);
  int from = assign_new(c, kint(c, 0, loc), loc), to = assign_new(c, var(c, len, loc), loc);
  c->p->vars.v[from].type = lw_type_of_kind(c, T_INT);
  c->p->vars.v[to].type = lw_type_of_kind(c, T_INT);
  if (left) {
    int head = lw_new_label(c), more = lw_new_label(c), on = lw_new_label(c), done = lw_new_label(c);
    lw_label(c, head, loc);
    branch(c, prim(c, "<", var(c, from, loc), var(c, to, loc), T_BOOL, loc), more, done, loc);
    lw_label(c, more, loc);
    branch(c, prim(c, "char-whitespace?", ls_char_at(c, o, var(c, from, loc), loc), NULL, T_BOOL, loc),
           on, done, loc);
    lw_label(c, on, loc);
    add_to(c, from, 1, loc);
    jump(c, head, loc);
    lw_label(c, done, loc);
  }
  if (right) {
    int head = lw_new_label(c), more = lw_new_label(c), on = lw_new_label(c), done = lw_new_label(c);
    lw_label(c, head, loc);
    branch(c, prim(c, ">", var(c, to, loc), var(c, from, loc), T_BOOL, loc), more, done, loc);
    lw_label(c, more, loc);
    ir_expr *last = prim(c, "-", var(c, to, loc), kint(c, 1, loc), T_INT, loc);
    branch(c, prim(c, "char-whitespace?", ls_char_at(c, o, last, loc), NULL, T_BOOL, loc), on, done,
           loc);
    lw_label(c, on, loc);
    add_to(c, to, -1, loc);
    jump(c, head, loc);
    lw_label(c, done, loc);
  }
  return piece(c, o, from, to, loc);
}

/* Whether p's characters are s's from variable at (at + |p| <= |s|
 * known): jumps to yes or no. */
static void match_at(lw *c, int s, int p, int plen, int at, int yes, int no, srcloc loc) {
  int k = assign_new(c, kint(c, 0, loc), loc);
  c->p->vars.v[k].type = lw_type_of_kind(c, T_INT);
  int head = lw_new_label(c), cmp = lw_new_label(c), next = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, k, loc), var(c, plen, loc), T_BOOL, loc), cmp, yes, loc);
  lw_label(c, cmp, loc);
  ir_expr *x = ls_char_at(c, s, prim(c, "+", var(c, at, loc), var(c, k, loc), T_INT, loc), loc);
  ir_expr *y = ls_char_at(c, p, var(c, k, loc), loc);
  branch(c, prim(c, "=", x, y, T_BOOL, loc), next, no, loc);
  lw_label(c, next, loc);
  add_to(c, k, 1, loc);
  jump(c, head, loc);
}

/* string-contains s needle: the first index where needle occurs, or #f */
static ir_expr *contains(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  int n, m, o = block(c, v[0], &n, loc), p = block(c, v[1], &m, loc);
  int res = temp(c, loc);
  int i = assign_new(c, kint(c, 0, loc), loc);
  c->p->vars.v[i].type = lw_type_of_kind(c, T_INT);
  int head = lw_new_label(c), body = lw_new_label(c), found = lw_new_label(c);
  int miss = lw_new_label(c), none = lw_new_label(c), end = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<=", prim(c, "+", var(c, i, loc), var(c, m, loc), T_INT, loc), var(c, n, loc),
                T_BOOL, loc), body, none, loc);
  lw_label(c, body, loc);
  match_at(c, o, p, m, i, found, miss, loc);
  lw_label(c, miss, loc);
  add_to(c, i, 1, loc);
  jump(c, head, loc);
  lw_label(c, found, loc);
  lw_assign(c, res, var(c, i, loc), loc);
  jump(c, end, loc);
  lw_label(c, none, loc);
  lw_assign(c, res, kconst(c, T_BOOL, 0, loc), loc);
  lw_label(c, end, loc);
  return var(c, res, loc);
}

/* string-prefix? p s, string-suffix? p s */
static ir_expr *prefix(lw *c, const ast *a, const int *v, bool suffix) {
  srcloc loc = a->loc;
  int m, n, p = block(c, v[0], &m, loc), o = block(c, v[1], &n, loc);
  int res = temp_of(c, T_BOOL, loc);
  int at = assign_new(c, suffix ? prim(c, "-", var(c, n, loc), var(c, m, loc), T_INT, loc)
                                : kint(c, 0, loc), loc);
  c->p->vars.v[at].type = lw_type_of_kind(c, T_INT);
  int fits = lw_new_label(c), yes = lw_new_label(c), no = lw_new_label(c), end = lw_new_label(c);
  branch(c, prim(c, ">", var(c, m, loc), var(c, n, loc), T_BOOL, loc), no, fits, loc);
  lw_label(c, fits, loc);
  match_at(c, o, p, m, at, yes, no, loc);
  lw_label(c, yes, loc);
  lw_assign(c, res, kconst(c, T_BOOL, 1, loc), loc);
  jump(c, end, loc);
  lw_label(c, no, loc);
  lw_assign(c, res, kconst(c, T_BOOL, 0, loc), loc);
  lw_label(c, end, loc);
  return var(c, res, loc);
}

/* string-index s test: a character to equal or a predicate to call (the
 * evaluator's char_test); a test of another kind is its error. */
static ir_expr *index_of(lw *c, const ast *a, const int *v, int depth) {
  srcloc loc = a->loc;
  tkind k = ir_kind(c->p, c->p->vars.v[v[1]].type);
  const ast *t = a->u.call.args[1];
  /* the kinds the test may have: a character literal or a lambda says
   * (the class of a variable may still grow after this call) */
  if (t->kind == E_CONST && t->u.k.kind == VK_CHAR) k = T_CHAR;
  else if (t->kind == E_LAMBDA) k = T_PROC;
  else if (k == T_CHAR || k == T_PROC) k = T_DYN;
  bool chars = k == T_CHAR || k == T_DYN || k == T_ANY;
  bool procs = k == T_PROC || k == T_DYN || k == T_ANY;
  if (!chars && !procs) {
    /* the evaluator's error, then nothing (the kind cannot change) */
    lw_emit(c, S_EVAL, loc)->a[0] =
        ls_check_with(c, var(c, v[1], loc), T_CHAR, arg_loc(a, 1),
                      "string-index: the argument must be a character or a predicate");
    return kconst(c, T_BOOL, 0, loc);
  }
  int isch = temp_of(c, T_BOOL, loc);
  if (chars && procs) {
    lw_assign(c, isch, prim(c, "char?", var(c, v[1], loc), NULL, T_BOOL, loc), loc);
    int ok = lw_new_label(c), bad = lw_new_label(c), fine = lw_new_label(c);
    branch(c, var(c, isch, loc), ok, bad, loc);
    lw_label(c, bad, loc);
    branch(c, prim(c, "procedure?", var(c, v[1], loc), NULL, T_BOOL, loc), ok, fine, loc);
    lw_label(c, fine, loc);
    lw_emit(c, S_EVAL, loc)->a[0] =
        ls_check_with(c, var(c, v[1], loc), T_PROC, arg_loc(a, 1),
                      "string-index: the argument must be a character or a predicate");
    lw_label(c, ok, loc);
  } else {
    lw_assign(c, isch, kconst(c, T_BOOL, chars, loc), loc);
  }
  int len, o = block(c, v[0], &len, loc);
  int res = temp(c, loc);
  int found = lw_new_label(c), end = lw_new_label(c);
  loop l = loop_open(c, kint(c, 0, loc), len, loc);
  int ch = char_in(c, o, var(c, l.i, loc), loc);
  int next = lw_new_label(c);
  if (chars && procs) {
    int byc = lw_new_label(c), byp = lw_new_label(c);
    branch(c, var(c, isch, loc), byc, byp, loc);
    lw_label(c, byc, loc);
    branch(c, prim(c, "=", var(c, ch, loc), lw_retype(c, var(c, v[1], loc), T_CHAR), T_BOOL, loc),
           found, next, loc);
    lw_label(c, byp, loc);
  } else if (chars) {
    branch(c, prim(c, "=", var(c, ch, loc), var(c, v[1], loc), T_BOOL, loc), found, next, loc);
  }
  if (procs) {
    ir_expr *arg = var(c, ch, loc);
    ir_expr *r = lw_callv(c, a, procs && chars ? lw_retype(c, var(c, v[1], loc), T_PROC)
                                                : var(c, v[1], loc), &arg, 1, depth);
    int rv = assign_new(c, r, loc);
    branch(c, var(c, rv, loc), found, next, loc);
  }
  lw_label(c, next, loc);
  loop_close(c, &l, loc);
  lw_assign(c, res, kconst(c, T_BOOL, 0, loc), loc);
  jump(c, end, loc);
  lw_label(c, found, loc);
  lw_assign(c, res, var(c, l.i, loc), loc);
  lw_label(c, end, loc);
  return var(c, res, loc);
}

/* string-for-each f s, string-map f s: f on each character in order
 * (string-map: the new string made first, each result a character). */
static ir_expr *for_each(lw *c, const ast *a, const int *v, bool keep, int depth) {
  srcloc loc = a->loc;
  int len, o = block(c, v[1], &len, loc);
  int out = keep ? ls_new_block(c, var(c, len, loc), loc) : -1;
  loop l = loop_open(c, kint(c, 0, loc), len, loc);
  ir_expr *arg = var(c, char_in(c, o, var(c, l.i, loc), loc), loc);
  ir_expr *r = lw_callv(c, a, var(c, v[0], arg_loc(a, 0)), &arg, 1, depth);
  if (keep) {
    int rv = assign_new(c, r, loc);
    ir_expr *ch = ls_check_with(c, var(c, rv, loc), T_CHAR, arg_loc(a, 0),
                                "string-map: the argument must be a procedure returning characters");
    ls_store(c, out, var(c, l.i, loc), ch, loc);
  }
  loop_close(c, &l, loc);
  return keep ? ls_as_string(c, out, loc) : lw_void_expr(c, loc);
}

/* string-split s ch: the pieces between the delimiters, from the last
 * (the evaluator's order of allocation), consed onto the list. */
static ir_expr *split(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  int len, o = block(c, v[0], &len, loc);
  int end = assign_new(c, var(c, len, loc), loc);
  c->p->vars.v[end].type = lw_type_of_kind(c, T_INT);
  int l = assign_new(c, kconst(c, T_NIL, 0, loc), loc);
  int i = assign_new(c, prim(c, "-", var(c, len, loc), kint(c, 1, loc), T_INT, loc), loc);
  c->p->vars.v[i].type = lw_type_of_kind(c, T_INT);
  int head = lw_new_label(c), body = lw_new_label(c), test = lw_new_label(c);
  int cut = lw_new_label(c), next = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, ">=", var(c, i, loc), kint(c, -1, loc), T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  branch(c, prim(c, "<", var(c, i, loc), kint(c, 0, loc), T_BOOL, loc), cut, test, loc);
  lw_label(c, test, loc);
  branch(c, prim(c, "=", ls_char_at(c, o, var(c, i, loc), loc), var(c, v[1], loc), T_BOOL, loc), cut,
         next, loc);
  lw_label(c, cut, loc);
  int from = assign_new(c, prim(c, "+", var(c, i, loc), kint(c, 1, loc), T_INT, loc), loc);
  ir_expr *s = piece(c, o, from, end, loc);
  lw_assign(c, l, lw_cons(c, s, var(c, l, loc), loc), loc);
  lw_assign(c, end, var(c, i, loc), loc);
  lw_label(c, next, loc);
  add_to(c, i, -1, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return var(c, l, loc);
}

static ir_expr *part(lw *c, int l, bool cdr, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CXR, loc, 1);
  e->a[0] = lw_retype(c, var(c, l, loc), T_PAIR);
  e->ival = cdr;
  e->type = lw_pair_part(c, c->p->vars.v[l].type, cdr);
  return e;
}

/* the separator (block sep of seplen characters, or a space when sep < 0)
 * stored at k of block out */
static void put_sep(lw *c, int out, int k, int sep, int zero, int seplen, srcloc loc) {
  if (sep >= 0) {
    ls_copy_chars(c, out, k, sep, zero, seplen, loc);
  } else {
    ls_store(c, out, var(c, k, loc), kconst(c, T_CHAR, ' ', loc), loc);
    add_to(c, k, 1, loc);
  }
}

/* string-join l [sep [grammar]]: the grammar (a quoted symbol, known when
 * compiling), the separator's kind, then a walk that checks
 * each element is a string and adds up the lengths, then the list's end
 * (the evaluator's "a proper list"), then one block, filled. */
static ir_expr *join(lw *c, const ast *a, const int *v, int n) {
  srcloc loc = a->loc;
  int sep = -1, seplen = -1, gr = 0;
  if (n > 2) {   /* the grammar: a quoted symbol */
    const ast *g = a->u.call.args[2];
    gr = g->kind == E_CONST && g->u.k.kind == VK_SYM
             ? string_join_grammar(sym_name(&c->p->w->syms, (int)g->u.k.i)) : -1;
    if (gr < 0) {
      lw_fail(c, g->loc, "string-join with a grammar that is not 'infix, 'strict-infix, 'prefix "
              "or 'suffix written in the call is not compiled to the transformer yet (run with "
              "--reference to use the evaluator)");
      return lw_void_expr(c, loc);
    }
  }
  if (n > 1) {
    int s = assign_new(c, ls_check_with(c, var(c, v[1], loc), T_STR, arg_loc(a, 1),
                                        "string-join: the argument must be a string"), loc);
    sep = block(c, s, &seplen, loc);
  } else {
    seplen = assign_new(c, kint(c, 1, loc), loc);   /* a space */
  }
  int x = temp(c, loc), count = temp_of(c, T_INT, loc), total = temp_of(c, T_INT, loc);
  c->p->vars.v[x].type = c->p->vars.v[v[0]].type;
  lw_assign(c, x, var(c, v[0], loc), loc);
  lw_assign(c, count, kint(c, 0, loc), loc);
  lw_assign(c, total, kint(c, 0, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "pair?", var(c, x, loc), NULL, T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  int e = assign_new(c, ls_check_with(c, part(c, x, false, loc), T_STR, loc,
                                      "string-join: an element must be a string"), loc);
  int elen;
  block(c, e, &elen, loc);
  lw_assign(c, total, prim(c, "+", var(c, total, loc), var(c, elen, loc), T_INT, loc), loc);
  lw_assign(c, x, part(c, x, true, loc), loc);
  add_to(c, count, 1, loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  /* the end: the empty list, else the argument is not a proper list */
  int bad = lw_new_label(c), ok = lw_new_label(c), pairs = lw_new_label(c), other = lw_new_label(c);
  branch(c, prim(c, "null?", var(c, x, loc), NULL, T_BOOL, loc), ok, bad, loc);
  lw_label(c, bad, loc);
  branch(c, prim(c, "pair?", var(c, v[0], loc), NULL, T_BOOL, loc), pairs, other, loc);
  lw_label(c, pairs, loc);
  lw_ll_err_text(c, "string-join: the argument must be a proper list, not a pair (", loc);
  lw_ll_err_write(c, var(c, v[0], loc), loc);
  lw_ll_err_text(c, ")", loc);
  lw_ll_err_raise(c, arg_loc(a, 0), "type", "");
  jump(c, ok, loc);
  lw_label(c, other, loc);
  lw_emit(c, S_EVAL, loc)->a[0] = ls_check_with(c, var(c, v[0], loc), T_PAIR, arg_loc(a, 0),
                                                "string-join: the argument must be a proper list");
  lw_label(c, ok, loc);
  if (gr == 1) {   /* strict-infix: not the empty list */
    int empty = lw_new_label(c), some = lw_new_label(c);
    branch(c, prim(c, "=", var(c, count, loc), kint(c, 0, loc), T_BOOL, loc), empty, some, loc);
    lw_label(c, empty, loc);
    lw_ll_err_text(c, "string-join: strict-infix grammar requires non-empty list", loc);
    lw_ll_err_raise(c, loc, "type", "");
    lw_label(c, some, loc);
  }
  /* total + (count - 1) * |sep| when count > 1 (prefix, suffix: count * |sep|) */
  int many = lw_new_label(c), few = lw_new_label(c);
  branch(c, prim(c, ">", var(c, count, loc), kint(c, 1, loc), T_BOOL, loc), many, few, loc);
  lw_label(c, many, loc);
  lw_assign(c, total, prim(c, "+", var(c, total, loc),
                          prim(c, "*", prim(c, "-", var(c, count, loc), kint(c, 1, loc), T_INT, loc),
                              var(c, seplen, loc), T_INT, loc), T_INT, loc), loc);
  lw_label(c, few, loc);
  if (gr >= 2) {
    int one = lw_new_label(c), none = lw_new_label(c);
    branch(c, prim(c, ">", var(c, count, loc), kint(c, 0, loc), T_BOOL, loc), one, none, loc);
    lw_label(c, one, loc);
    lw_assign(c, total, prim(c, "+", var(c, total, loc), var(c, seplen, loc), T_INT, loc), loc);
    lw_label(c, none, loc);
  }
  int out = ls_new_full_block(c, var(c, total, loc), loc);
  int k = assign_new(c, kint(c, 0, loc), loc), zero = assign_new(c, kint(c, 0, loc), loc);
  c->p->vars.v[k].type = lw_type_of_kind(c, T_INT);
  int first = assign_new(c, kconst(c, T_BOOL, 1, loc), loc);
  lw_assign(c, x, var(c, v[0], loc), loc);
  int h2 = lw_new_label(c), b2 = lw_new_label(c), d2 = lw_new_label(c);
  int between = lw_new_label(c), skip = lw_new_label(c);
  lw_label(c, h2, loc);
  branch(c, prim(c, "pair?", var(c, x, loc), NULL, T_BOOL, loc), b2, d2, loc);
  lw_label(c, b2, loc);
  if (gr < 2) branch(c, var(c, first, loc), skip, between, loc);   /* prefix: before each */
  lw_label(c, between, loc);
  if (gr != 3) put_sep(c, out, k, sep, zero, seplen, loc);
  lw_label(c, skip, loc);
  lw_assign(c, first, kconst(c, T_BOOL, 0, loc), loc);
  int s = assign_new(c, lw_retype(c, part(c, x, false, loc), T_STR), loc);
  int slen, os = block(c, s, &slen, loc);
  ls_copy_chars(c, out, k, os, zero, slen, loc);
  if (gr == 3) put_sep(c, out, k, sep, zero, seplen, loc);   /* suffix: after each */
  lw_assign(c, x, part(c, x, true, loc), loc);
  jump(c, h2, loc);
  lw_label(c, d2, loc);
  return ls_as_string(c, out, loc);
}

/* Guile's string-ci=? key of a character: its upper case's lower case
 * (lang/chars.c string_ci_key). */
static ir_expr *ci_key(lw *c, ir_expr *ch, srcloc loc) {
  return prim(c, "char-downcase", prim(c, "char-upcase", ch, NULL, T_CHAR, loc), NULL, T_CHAR, loc);
}

static ir_expr *ci_equal(lw *c, const ast *a, const int *v, int n) {
  srcloc loc = a->loc;
  int res = temp_of(c, T_BOOL, loc);
  int no = lw_new_label(c), end = lw_new_label(c);
  int w[64];
  memcpy(w, v, (size_t)n * sizeof *w);
  for (int i = 0; i + 1 < n; i++) {
    if (i + 1 >= 2) w[i + 1] = lw_pairwise_operand(c, a, w[i + 1], i + 1);
    int lx, ly, ox = block(c, w[i], &lx, loc), oy = block(c, w[i + 1], &ly, loc);
    int same = lw_new_label(c);
    branch(c, prim(c, "=", var(c, lx, loc), var(c, ly, loc), T_BOOL, loc), same, no, loc);
    lw_label(c, same, loc);
    loop l = loop_open(c, kint(c, 0, loc), lx, loc);
    int on = lw_new_label(c);
    ir_expr *p = ci_key(c, ls_char_at(c, ox, var(c, l.i, loc), loc), loc);
    ir_expr *q = ci_key(c, ls_char_at(c, oy, var(c, l.i, loc), loc), loc);
    branch(c, prim(c, "=", p, q, T_BOOL, loc), on, no, loc);
    lw_label(c, on, loc);
    loop_close(c, &l, loc);
  }
  lw_assign(c, res, kconst(c, T_BOOL, 1, loc), loc);
  jump(c, end, loc);
  lw_label(c, no, loc);
  lw_assign(c, res, kconst(c, T_BOOL, 0, loc), loc);
  lw_label(c, end, loc);
  return var(c, res, loc);
}

/* ---- format ---------------------------------------------------------- */

/* (format #t "literal" arg ...): the evaluator's do_format, whose text
 * is known when the program is compiled: each run of plain text (with
 * ~% and ~~) a string constant displayed, each ~a a display and each ~s
 * a write of its argument (every argument computed first, in order).  A
 * directive that fails is known too: the text up to the last directive
 * that worked, then the error, as the evaluator prints them.  A new
 * string (#f) or a format string computed as the program runs is
 * refused. */
static void show_text(lw *c, strbuf *text, srcloc loc, int depth) {
  if (!text->n) return;
  int id = world_intern_string(c->w, text->s, text->n);
  lw_out_display(c, kconst(c, T_STR, id, loc), false, loc, depth);   /* lower-ports.c */
  text->n = 0;
}

static ir_expr *format(lw *c, const ast *a, const int *v, int n, int depth) {
  srcloc loc = a->loc;
  const char *op = a->u.call.r.bi->name;
  const ast *dest = a->u.call.args[0], *fa = a->u.call.args[1];
  if (dest->kind != E_CONST || dest->u.k.kind != VK_BOOL || !dest->u.k.i ||
      fa->kind != E_CONST || fa->u.k.kind != VK_STR) {
    lw_fail(c, loc, "calls of %s other than to #t with a literal format string are not "
                    "compiled to the transformer yet (run with --reference to use the "
                    "evaluator)", op);
    return lw_void_expr(c, loc);
  }
  const char *f = world_string(c->w, (int)fa->u.k.i);
  size_t len = strlen(f);
  strbuf text;
  sb_init(&text);
  int next = 2;
  char problem = 0, directive = 0;
  for (size_t i = 0; i < len && !problem; i++) {
    if (f[i] != '~' || i + 1 >= len) {   /* a last lone ~ is itself */
      sb_putc(&text, f[i]);
      continue;
    }
    directive = f[++i];
    switch (directive) {
    case 'a': case 'A': case 's': case 'S':
      if (next >= n) {
        problem = 'm';
        break;
      }
      show_text(c, &text, loc, depth);
      lw_out_display(c, var(c, v[next++], loc), directive == 's' || directive == 'S', loc, depth);
      break;
    case '%': sb_putc(&text, '\n'); break;
    case '~': sb_putc(&text, '~'); break;
    default: problem = 'u'; break;
    }
  }
  if (!problem && next < n) problem = 's';
  if (!problem || problem == 's') show_text(c, &text, loc, depth);
  sb_free(&text);
  if (problem) {
    char msg[160];
    srcloc at = loc;
    const char *kind = "arity";
    if (problem == 'm') {
      snprintf(msg, sizeof msg, "%s: no argument left for ~%c", op, directive);
    } else if (problem == 'u') {
      snprintf(msg, sizeof msg, "%s: ~%c is not a directive of simple-format (~a ~s ~%% ~~)",
               op, directive);
      at = fa->loc;
      kind = "type";
    } else {
      snprintf(msg, sizeof msg, "%s: %d argument%s left over", op, n - next,
               n - next == 1 ? "" : "s");
    }
    lw_ll_err_text(c, arena_strdup(&c->p->mem, msg), loc);
    lw_ll_err_raise(c, at, kind, "");
  }
  return lw_void_expr(c, loc);
}

/* (write-char ch): the character displayed. */
static ir_expr *write_char(lw *c, const ast *a, const int *v, int depth) {
  lw_out_display(c, var(c, v[0], a->loc), false, a->loc, depth);
  return lw_void_expr(c, a->loc);
}

static tkind kind_of(arg_kind k) {
  switch (k) {
  case AK_INT: return T_INT;
  case AK_CHAR: return T_CHAR;
  case AK_STR: return T_STR;
  case AK_SYM: return T_SYM;
  case AK_PROC: return T_PROC;
  default: return T_ANY;
  }
}

ir_expr *ls3_effect(lw *c, const ast *a, frame_map *f) {
  const builtin *b = a->u.call.r.bi;
  const char *name = b->name;
  int n = a->u.call.n;
  if (n > 64) {
    lw_fail(c, a->loc, "%s with more than 64 arguments in compiled code", name);
    return lw_void_expr(c, a->loc);
  }
  tkind kinds[64];
  bool fmt = !strcmp(name, "format") || !strcmp(name, "simple-format");
  if (fmt && lw_port_format_ok(c, a)) return lw_port_format(c, a, f);   /* to #f */
  for (int i = 0; i < n; i++)
    kinds[i] = fmt ? T_ANY : kind_of(b->per_arg ? b->per_arg[i] : b->arg);
  /* string-ci=? checks its operands pair by pair (lower-pairwise.c) */
  for (int i = builtin_pairwise(b) ? (n < 2 ? 0 : 2) : n; i < n; i++) kinds[i] = T_ANY;
  int v[64];
  if (!ls_operands(c, a, f, kinds, v)) return lw_void_expr(c, a->loc);
  if (builtin_pairwise(b) && n < 2) return kconst(c, T_BOOL, 1, a->loc);
  c->p->has_chars = true;
  int depth = f->edepth + 1;   /* a procedure argument's activation */
  if (!strcmp(name, "string-for-each")) return for_each(c, a, v, false, depth);
  if (!strcmp(name, "string-map")) return for_each(c, a, v, true, depth);
  if (!strcmp(name, "string-index")) return index_of(c, a, v, depth);
  if (!strcmp(name, "string-contains")) return contains(c, a, v);
  if (!strcmp(name, "string-prefix?")) return prefix(c, a, v, false);
  if (!strcmp(name, "string-suffix?")) return prefix(c, a, v, true);
  if (!strcmp(name, "string-reverse")) return reverse(c, a, v);
  if (!strcmp(name, "string-trim")) return trim(c, a, v, true, false);
  if (!strcmp(name, "string-trim-right")) return trim(c, a, v, false, true);
  if (!strcmp(name, "string-trim-both")) return trim(c, a, v, true, true);
  if (!strcmp(name, "string-split")) return split(c, a, v);
  if (!strcmp(name, "string-join")) return join(c, a, v, n);
  if (!strcmp(name, "string-ci=?")) return ci_equal(c, a, v, n);
  if (fmt) return format(c, a, v, n, lw_call_depth(f, a));
  if (!strcmp(name, "write-char")) return write_char(c, a, v, lw_call_depth(f, a));
  lw_fail(c, a->loc, "internal error: %s has no lowering", name);
  return lw_void_expr(c, a->loc);
}
