/* lower-symbols.c - symbols made as the program runs, in compiled code:
 * string->symbol of any string and symbol-append of any symbols
 * (docs/trace-format.md, "Symbols made at run time").
 *
 * A symbol is interned, so eq?, eqv?, memq, assq and case compare
 * numbers, as for the program's own symbols.  A symbol the program knows
 * when it is compiled is its SYM id (2 .. nsym+1); a new one is the
 * address of its name's block in the *symbol region*, a vector the
 * prompt makes past the string tables (backend/msymbols.c), never
 * counted against the heap limit (the evaluator interns names outside
 * its heap).  A record at element offset `at` of the region:
 *
 *   R[at]     1 when `write` shows the name as #{...}#, else 0
 *   R[at+1]   the symbol made before it (0: none): the interning list
 *   R[at+2]   the name's length      <- the symbol is this cell's address
 *   R[at+3]   0                         (a string block: symbol->string
 *   R[at+4..] the name's characters      of it is that address)
 *
 * Two static cells hold the region's next free offset and the latest
 * symbol.  Interning compares the name with every known symbol's name
 * (the symbol->string table), then along the list; a name met nowhere
 * gets a new record.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower-strings3.h"
#include "lower-build.h"

#include <string.h>

static const builtin region_op = {"%symbol-region", 0, 0, AK_ANY, NULL, VK_VEC, NULL, "", NULL};
static const builtin count_op = {"%symbol-count", 0, 0, AK_ANY, NULL, VK_INT, NULL, "", NULL};
static const builtin cast_op = {"%symbol-cast", 1, 1, AK_ANY, NULL, VK_INT, NULL, "", NULL};
static const builtin class_op = {"%symbol-class", 1, 1, AK_ANY, NULL, VK_INT, NULL, "", NULL};
static const builtin string_object_op = {"%string-object", 1, 1, AK_STR, NULL, VK_VEC, NULL, "", NULL};

bool lsym_name(const char *name) {
  return !strcmp(name, "string->symbol") || !strcmp(name, "symbol-append");
}

/* ---- small builders (the others: lower-build.h) ------------------------ */

static int block_type(lw *c) {
  int t = lw_type_of_kind(c, T_VEC);
  lw_unify(c, lw_elem_of(c, t), lw_new_type(c, T_CHAR), (srcloc){-1, 0, 0}, "a character");
  return t;
}

static int region_type(lw *c) {
  int t = lw_type_of_kind(c, T_VEC);
  lw_unify(c, lw_elem_of(c, t), lw_new_type(c, T_INT), (srcloc){-1, 0, 0}, "an integer");
  return t;
}

/* x seen as a value of class `type` (the same number) */
static ir_expr *cast(lw *c, ir_expr *x, int type, tkind k, srcloc loc) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, 1);
  e->op = &cast_op;
  e->a[0] = x;
  e->type = type;
  if (k != T_VEC) {
    e->has_nat = true;
    e->nat = k;
  }
  return e;
}

static ir_expr *prim0(lw *c, const builtin *op, int type, srcloc loc) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, 0);
  e->op = op;
  e->type = type;
  return e;
}

/* a new temporary of class type holding e */
static int assign_typed(lw *c, ir_expr *e, int type, srcloc loc) {
  int t = temp(c, loc);
  c->p->vars.v[t].type = type;
  lw_assign(c, t, e, loc);
  return t;
}

static void add_to(lw *c, int v, ir_expr *d, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), d, T_INT, loc), loc);
}

static ir_expr *vlen(lw *c, int o, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VLEN, loc, 1);
  e->a[0] = var(c, o, loc);
  e->type = lw_new_type(c, T_INT);
  return e;
}

/* element i of vector variable o, an integer (a character's code point) */
static ir_expr *elem(lw *c, int o, ir_expr *i, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VREF, loc, 2);
  e->a[0] = var(c, o, loc);
  e->a[1] = i;
  e->type = lw_new_type(c, T_INT);
  e->has_nat = true;
  e->nat = T_INT;
  return e;
}

static void store(lw *c, int o, ir_expr *i, ir_expr *x, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_VSET, loc);
  s->a[0] = var(c, o, loc);
  s->a[1] = i;
  s->a[2] = x;
}

/* the two static cells: the region's next free offset, the latest symbol */
static int cell(lw *c, int *slot, srcloc loc) {
  if (!*slot) {
    int v = lw_new_var(c, -1, VAR_TEMP, loc);
    c->p->vars.v[v].fn = -1;   /* a static cell of no function */
    c->p->vars.v[v].type = lw_type_of_kind(c, T_INT);
    *slot = v + 1;
  }
  return *slot - 1;
}

/* Jumps to yes when block x's first len characters are block y's. */
static void same_chars(lw *c, int x, int y, int len, int yes, int no, srcloc loc) {
  int k = assign_typed(c, kint(c, 0, loc), lw_type_of_kind(c, T_INT), loc);
  int head = lw_new_label(c), cmp = lw_new_label(c), next = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, k, loc), var(c, len, loc), T_BOOL, loc), cmp, yes, loc);
  lw_label(c, cmp, loc);
  branch(c, prim(c, "=", elem(c, x, var(c, k, loc), loc), elem(c, y, var(c, k, loc), loc), T_BOOL, loc),
         next, no, loc);
  lw_label(c, next, loc);
  add_to(c, k, kint(c, 1, loc), loc);
  jump(c, head, loc);
}

/* flag := 1 when test holds */
static void flag_if(lw *c, ir_expr *test, int flag, srcloc loc) {
  int yes = lw_new_label(c), no = lw_new_label(c);
  branch(c, test, yes, no, loc);
  lw_label(c, yes, loc);
  lw_assign(c, flag, kint(c, 1, loc), loc);
  lw_label(c, no, loc);
}

static ir_expr *is(lw *c, int v, int32_t k, srcloc loc) {
  return prim(c, "=", var(c, v, loc), kint(c, k, loc), T_BOOL, loc);
}

/* Whether `write` shows the name (block o, length len) as #{...}#, as
 * lang/chars.c sym_needs_braces says: %symbol-class is 1 for a digit, 2
 * for + and -, 3 for '.', 4 for 'i', 5 for white space, a bracket, a
 * brace, '#', '"', ';' or a control or format character, 6 for a quote,
 * quasiquote or comma, else 0.  (Left out: the rarer format and the
 * unassigned characters: tvl(1).) */
/* A variable holding the %symbol-class of character i of the name, or 0
 * where the name is no longer than i. */
static int class_at(lw *c, int o, int len, int i, int ti, srcloc loc) {
  int ci = assign_typed(c, kint(c, 0, loc), ti, loc);
  int has = lw_new_label(c), on = lw_new_label(c);
  branch(c, prim(c, ">", var(c, len, loc), kint(c, i, loc), T_BOOL, loc), has, on, loc);
  lw_label(c, has, loc);
  ir_expr *cl = lw_mk(c, X_PRIM, loc, 1);
  cl->op = &class_op;
  cl->a[0] = elem(c, o, kint(c, i, loc), loc);
  cl->type = lw_new_type(c, T_INT);
  lw_assign(c, ci, cl, loc);
  lw_label(c, on, loc);
  return ci;
}

static int needs_braces(lw *c, int o, int len, srcloc loc) {
  int ti = lw_type_of_kind(c, T_INT);
  int flag = assign_typed(c, kint(c, 0, loc), ti, loc);
  flag_if(c, is(c, len, 0, loc), flag, loc);
  int some = lw_new_label(c), done = lw_new_label(c);
  branch(c, prim(c, ">", var(c, len, loc), kint(c, 0, loc), T_BOOL, loc), some, done, loc);
  lw_label(c, some, loc);
  ir_expr *cl0 = lw_mk(c, X_PRIM, loc, 1);
  cl0->op = &class_op;
  cl0->a[0] = elem(c, o, kint(c, 0, loc), loc);
  cl0->type = lw_new_type(c, T_INT);
  int c0 = assign_typed(c, cl0, ti, loc);
  int c1 = class_at(c, o, len, 1, ti, loc);
  int c2 = class_at(c, o, len, 2, ti, loc);
  /* a digit first, or + - . then a digit; a quote first */
  flag_if(c, is(c, c0, 1, loc), flag, loc);
  flag_if(c, is(c, c0, 6, loc), flag, loc);
  int sign = assign_typed(c, kint(c, 0, loc), ti, loc);
  flag_if(c, is(c, c0, 2, loc), sign, loc);
  flag_if(c, is(c, c0, 3, loc), sign, loc);
  int sd = lw_new_label(c), sd2 = lw_new_label(c);
  branch(c, is(c, sign, 1, loc), sd, sd2, loc);
  lw_label(c, sd, loc);
  flag_if(c, is(c, c1, 1, loc), flag, loc);
  lw_label(c, sd2, loc);
  /* + or - then '.' then a digit */
  int sg = lw_new_label(c), sg2 = lw_new_label(c), sg3 = lw_new_label(c);
  branch(c, is(c, c0, 2, loc), sg, sg3, loc);
  lw_label(c, sg, loc);
  branch(c, is(c, c1, 3, loc), sg2, sg3, loc);
  lw_label(c, sg2, loc);
  flag_if(c, is(c, c2, 1, loc), flag, loc);
  lw_label(c, sg3, loc);
  /* ".", "+i", "-i" */
  int one = lw_new_label(c), one2 = lw_new_label(c);
  branch(c, is(c, len, 1, loc), one, one2, loc);
  lw_label(c, one, loc);
  flag_if(c, is(c, c0, 3, loc), flag, loc);
  lw_label(c, one2, loc);
  int pm = lw_new_label(c), pm2 = lw_new_label(c), pm3 = lw_new_label(c);
  branch(c, is(c, len, 2, loc), pm, pm3, loc);
  lw_label(c, pm, loc);
  branch(c, is(c, c0, 2, loc), pm2, pm3, loc);
  lw_label(c, pm2, loc);
  flag_if(c, is(c, c1, 4, loc), flag, loc);
  lw_label(c, pm3, loc);
  /* any character that must not be read as part of a symbol; in a
   * keyword (#:name, longer than 2: lang/expand-keywords.c, as
   * lang/chars.c sym_write) from its third on.  (No rule above holds
   * for a name starting with '#' and longer than 2.) */
  int k = assign_typed(c, kint(c, 0, loc), ti, loc);
  int kw1 = lw_new_label(c), kw2 = lw_new_label(c), kw3 = lw_new_label(c), kwno = lw_new_label(c);
  branch(c, prim(c, ">", var(c, len, loc), kint(c, 2, loc), T_BOOL, loc), kw1, kwno, loc);
  lw_label(c, kw1, loc);
  branch(c, prim(c, "=", elem(c, o, kint(c, 0, loc), loc), kint(c, '#', loc), T_BOOL, loc), kw2, kwno, loc);
  lw_label(c, kw2, loc);
  branch(c, prim(c, "=", elem(c, o, kint(c, 1, loc), loc), kint(c, ':', loc), T_BOOL, loc), kw3, kwno, loc);
  lw_label(c, kw3, loc);
  lw_assign(c, k, kint(c, 2, loc), loc);
  lw_label(c, kwno, loc);
  int head = lw_new_label(c), body = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, k, loc), var(c, len, loc), T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  ir_expr *cl = lw_mk(c, X_PRIM, loc, 1);
  cl->op = &class_op;
  cl->a[0] = elem(c, o, var(c, k, loc), loc);
  cl->type = lw_new_type(c, T_INT);
  int found = lw_new_label(c), more = lw_new_label(c);
  branch(c, prim(c, "=", cl, kint(c, 5, loc), T_BOOL, loc), found, more, loc);
  lw_label(c, found, loc);
  lw_assign(c, flag, kint(c, 1, loc), loc);
  jump(c, done, loc);
  lw_label(c, more, loc);
  add_to(c, k, kint(c, 1, loc), loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  return flag;
}

/* The room check: `need` more cells of the region, else the error. */
static void room(lw *c, int hp, ir_expr *need, srcloc loc) {
  int ok = lw_new_label(c), full = lw_new_label(c);
  ir_expr *end = prim(c, "+", var(c, hp, loc), need, T_INT, loc);
  ir_expr *size = lw_mk(c, X_VLEN, loc, 1);
  size->a[0] = prim0(c, &region_op, region_type(c), loc);
  size->type = lw_new_type(c, T_INT);
  branch(c, prim(c, "<=", end, size, T_BOOL, loc), ok, full, loc);
  lw_label(c, full, loc);
  lw_ll_err_text(c, "compiled code has no more room for the names of symbols made "
                    "at run time (run it with --reference)", loc);
  lw_ll_err_raise(c, loc, "memory", "");
  lw_label(c, ok, loc);
}

/* The symbol whose name is block o's first len characters; `placed`:
 * those characters are already at their place in a new record at the
 * region's free offset (symbol-append). */
static ir_expr *intern(lw *c, int o, int len, bool placed, srcloc loc) {
  int ti = lw_type_of_kind(c, T_INT), tb = block_type(c), tr = region_type(c);
  int hp = cell(c, &c->p->sym_hp, loc), list = cell(c, &c->p->sym_list, loc);
  c->p->has_rtsym = true;
  c->p->has_rtstr = true;   /* a symbol's name is a block: display reads blocks */
  int res = temp_of(c, T_SYM, loc);
  int done = lw_new_label(c), rt = lw_new_label(c), fresh = lw_new_label(c);
  /* the symbols known when compiling: their names' literals */
  int k = assign_typed(c, kint(c, 2, loc), ti, loc);
  int n = assign_typed(c, prim0(c, &count_op, lw_new_type(c, T_INT), loc), ti, loc);
  int head = lw_new_label(c), body = lw_new_label(c), cmp = lw_new_label(c),
      hit = lw_new_label(c), next = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, k, loc), var(c, n, loc), T_BOOL, loc), body, rt, loc);
  lw_label(c, body, loc);
  ir_expr *sym = cast(c, var(c, k, loc), lw_type_of_kind(c, T_SYM), T_SYM, loc);
  ir_expr *obj = lw_mk(c, X_PRIM, loc, 1);
  obj->op = &string_object_op;
  obj->a[0] = lw_symbol_name(c, sym, loc);
  obj->type = tb;
  int nm = assign_typed(c, obj, tb, loc);
  branch(c, prim(c, "=", vlen(c, nm, loc), var(c, len, loc), T_BOOL, loc), cmp, next, loc);
  lw_label(c, cmp, loc);
  same_chars(c, o, nm, len, hit, next, loc);
  lw_label(c, hit, loc);
  lw_assign(c, res, cast(c, var(c, k, loc), lw_type_of_kind(c, T_SYM), T_SYM, loc), loc);
  jump(c, done, loc);
  lw_label(c, next, loc);
  add_to(c, k, kint(c, 1, loc), loc);
  jump(c, head, loc);
  /* those made as the program runs, the latest first */
  lw_label(c, rt, loc);
  int r = assign_typed(c, var(c, list, loc), ti, loc);
  int region = assign_typed(c, prim0(c, &region_op, tr, loc), tr, loc);
  int h2 = lw_new_label(c), b2 = lw_new_label(c), cmp2 = lw_new_label(c),
      hit2 = lw_new_label(c), next2 = lw_new_label(c);
  lw_label(c, h2, loc);
  branch(c, is(c, r, 0, loc), fresh, b2, loc);
  lw_label(c, b2, loc);
  int rb = assign_typed(c, cast(c, var(c, r, loc), tb, T_VEC, loc), tb, loc);
  branch(c, prim(c, "=", vlen(c, rb, loc), var(c, len, loc), T_BOOL, loc), cmp2, next2, loc);
  lw_label(c, cmp2, loc);
  same_chars(c, o, rb, len, hit2, next2, loc);
  lw_label(c, hit2, loc);
  lw_assign(c, res, cast(c, var(c, r, loc), lw_type_of_kind(c, T_SYM), T_SYM, loc), loc);
  jump(c, done, loc);
  lw_label(c, next2, loc);
  /* the link: element (r - region) - 3 of the region */
  ir_expr *off = prim(c, "-", prim(c, "-", var(c, r, loc), cast(c, var(c, region, loc), ti, T_INT, loc),
                                 T_INT, loc), kint(c, 3, loc), T_INT, loc);
  lw_assign(c, r, elem(c, region, off, loc), loc);
  jump(c, h2, loc);
  /* a new record */
  lw_label(c, fresh, loc);
  int at = assign_typed(c, var(c, hp, loc), ti, loc);
  if (!placed) {
    room(c, hp, prim(c, "+", var(c, len, loc), kint(c, 4, loc), T_INT, loc), loc);
    int i = assign_typed(c, kint(c, 0, loc), ti, loc);
    int h3 = lw_new_label(c), b3 = lw_new_label(c), d3 = lw_new_label(c);
    lw_label(c, h3, loc);
    branch(c, prim(c, "<", var(c, i, loc), var(c, len, loc), T_BOOL, loc), b3, d3, loc);
    lw_label(c, b3, loc);
    store(c, region,
          prim(c, "+", prim(c, "+", var(c, at, loc), var(c, i, loc), T_INT, loc), kint(c, 4, loc), T_INT, loc),
          elem(c, o, var(c, i, loc), loc), loc);
    add_to(c, i, kint(c, 1, loc), loc);
    jump(c, h3, loc);
    lw_label(c, d3, loc);
  }
  ir_expr *at1 = prim(c, "+", var(c, at, loc), kint(c, 1, loc), T_INT, loc);
  store(c, region, at1, var(c, list, loc), loc);
  store(c, region, prim(c, "+", var(c, at, loc), kint(c, 2, loc), T_INT, loc), var(c, len, loc), loc);
  store(c, region, prim(c, "+", var(c, at, loc), kint(c, 3, loc), T_INT, loc), kint(c, 0, loc), loc);
  /* the new symbol: the address of element at + 2 */
  ir_expr *addr = prim(c, "+", prim(c, "+", cast(c, var(c, region, loc), ti, T_INT, loc), var(c, at, loc),
                                  T_INT, loc), kint(c, 4, loc), T_INT, loc);
  int v = assign_typed(c, addr, ti, loc);
  int nb = assign_typed(c, cast(c, var(c, v, loc), tb, T_VEC, loc), tb, loc);
  int flag = needs_braces(c, nb, len, loc);
  store(c, region, var(c, at, loc), var(c, flag, loc), loc);
  lw_assign(c, list, var(c, v, loc), loc);
  lw_assign(c, hp, prim(c, "+", prim(c, "+", var(c, at, loc), var(c, len, loc), T_INT, loc),
                       kint(c, 4, loc), T_INT, loc), loc);
  lw_assign(c, res, cast(c, var(c, v, loc), lw_type_of_kind(c, T_SYM), T_SYM, loc), loc);
  lw_label(c, done, loc);
  return var(c, res, loc);
}

/* (symbol-append s ...): the names copied into a new record's place,
 * then interned as they lie there. */
static ir_expr *append(lw *c, const int *v, int n, srcloc loc) {
  int ti = lw_type_of_kind(c, T_INT), tb = block_type(c), tr = region_type(c);
  int hp = cell(c, &c->p->sym_hp, loc);
  int region = assign_typed(c, prim0(c, &region_op, tr, loc), tr, loc);
  int *blk = arena_alloc(&c->p->mem, (size_t)(n ? n : 1) * sizeof(int));
  int len = assign_typed(c, kint(c, 0, loc), ti, loc);
  for (int j = 0; j < n; j++) {
    ir_expr *obj = lw_mk(c, X_PRIM, loc, 1);
    obj->op = &string_object_op;
    obj->a[0] = lw_symbol_name(c, var(c, v[j], loc), loc);
    obj->type = tb;
    blk[j] = assign_typed(c, obj, tb, loc);
    add_to(c, len, vlen(c, blk[j], loc), loc);
  }
  room(c, hp, prim(c, "+", var(c, len, loc), kint(c, 4, loc), T_INT, loc), loc);
  int to = assign_typed(c, prim(c, "+", var(c, hp, loc), kint(c, 4, loc), T_INT, loc), ti, loc);
  for (int j = 0; j < n; j++) {
    int i = assign_typed(c, kint(c, 0, loc), ti, loc);
    int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
    lw_label(c, head, loc);
    branch(c, prim(c, "<", var(c, i, loc), vlen(c, blk[j], loc), T_BOOL, loc), body, done, loc);
    lw_label(c, body, loc);
    store(c, region, var(c, to, loc), elem(c, blk[j], var(c, i, loc), loc), loc);
    add_to(c, i, kint(c, 1, loc), loc);
    add_to(c, to, kint(c, 1, loc), loc);
    jump(c, head, loc);
    lw_label(c, done, loc);
  }
  /* the characters as a block: its length cell is written only if the
   * symbol is new, so compare them in place through a block of the
   * region's own cells: element hp + 4 onwards */
  store(c, region, prim(c, "+", var(c, hp, loc), kint(c, 2, loc), T_INT, loc), var(c, len, loc), loc);
  ir_expr *addr = prim(c, "+", prim(c, "+", cast(c, var(c, region, loc), ti, T_INT, loc), var(c, hp, loc),
                                  T_INT, loc), kint(c, 4, loc), T_INT, loc);
  int o = assign_typed(c, cast(c, addr, tb, T_VEC, loc), tb, loc);
  return intern(c, o, len, true, loc);
}

ir_expr *lsym_effect(lw *c, const ast *a, frame_map *f) {
  const builtin *b = a->u.call.r.bi;
  int n = a->u.call.n;
  if (n > 64) {
    lw_fail(c, a->loc, "%s with more than 64 arguments in compiled code", b->name);
    return lw_void_expr(c, a->loc);
  }
  bool app = !strcmp(b->name, "symbol-append");
  tkind kinds[64];
  for (int i = 0; i < n; i++) kinds[i] = app ? T_SYM : T_STR;
  int v[64];
  if (!ls_operands(c, a, f, kinds, v)) return lw_void_expr(c, a->loc);
  c->p->has_chars = true;
  if (app) return append(c, v, n, a->loc);
  int o = ls_object(c, v[0], a->loc);
  int len = assign_typed(c, ls_length(c, o, a->loc), lw_type_of_kind(c, T_INT), a->loc);
  return intern(c, o, len, false, a->loc);
}
