/* lower-strings2.c - strings made at run time, in compiled code (issue
 * 13, item 2).
 *
 * A string value is the number of a literal (its STR token) or the heap
 * address of a string made at run time, laid out as a vector of
 * characters: [length, 0, characters] (docs/trace-format.md, "Strings").
 * %string-object turns either into the address of such a block (the
 * prompt writes every literal as one: backend/mstrings.c), so every
 * procedure here reads strings with the vector reads (X_VLEN, X_VREF),
 * makes them with S_MAKEVEC (the heap cells the evaluator counts for a
 * string of that length) and stores with S_VSET; %string-of-vector gives
 * the new block's address as a string.  Each call is a loop in
 * statements, as the procedure would be written in Scheme; the order of
 * the evaluator's work is kept (operands, their kinds, then the
 * procedure's own checks in the order of lang/builtins-text.c), and the
 * errors that name values write them as the program runs (S_ERRTEXT).
 *
 * Literals stay immutable: string-set! and string-fill! of a value below
 * the number of literals raise the evaluator's error.
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower-strings3.h"
#include "lower-build.h"

#include <string.h>

static const builtin string_object_op = {"%string-object", 1, 1, AK_STR, NULL, VK_VEC, NULL, "", NULL};
static const builtin string_of_vector_op = {"%string-of-vector", 1, 1, AK_ANY, NULL, VK_STR, NULL, "", NULL};
static const builtin symbol_name_op = {"%symbol-name", 1, 1, AK_SYM, NULL, VK_STR, NULL, "", NULL};
static const builtin literal_count_op = {"%literal?", 1, 1, AK_STR, NULL, VK_BOOL, NULL, "", NULL};
static const builtin literal_text_op = {"%literal-text", 1, 1, AK_STR, NULL, VK_STR, NULL, "", NULL};

static const char *const makers[] = {
  "string-append", "substring", "string-copy", "make-string", "string",
  "list->string", "number->string", "string-upcase", "string-downcase",
  "string-set!", "string-fill!", "string-ref",
  "string=?", "string<?", "string>?", "string<=?", "string>=?",
  "string->list", "list->string", "string->number", NULL};

static bool listed(const char *name) {
  for (int i = 0; makers[i]; i++)
    if (!strcmp(makers[i], name)) return true;
  return ls3_name(name) || lsym_name(name);   /* lower-strings3.c, lower-symbols.c */
}

bool lw_strings_allocates(const char *name) { return listed(name); }

/* ---- small builders ------------------------------------------------- */

static void add_to(lw *c, int v, ir_expr *d, srcloc loc) {
  lw_assign(c, v, prim(c, "+", var(c, v, loc), d, T_INT, loc), loc);
}

/* A class of vectors of characters: a string's block. */
static int block_type(lw *c) {
  int t = lw_type_of_kind(c, T_VEC);
  lw_unify(c, lw_elem_of(c, t), lw_new_type(c, T_CHAR), (srcloc){-1, 0, 0}, "a character");
  return t;
}

/* The block of string variable s, in a new variable. */
static int object(lw *c, int s, srcloc loc) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, 1);
  e->op = &string_object_op;
  e->a[0] = var(c, s, loc);
  e->type = block_type(c);
  int o = temp(c, loc);
  c->p->vars.v[o].type = e->type;
  lw_assign(c, o, e, loc);
  return o;
}

static ir_expr *length_of(lw *c, int o, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VLEN, loc, 1);
  e->a[0] = var(c, o, loc);
  e->type = lw_new_type(c, T_INT);
  return e;
}

static ir_expr *char_at(lw *c, int o, ir_expr *i, srcloc loc) {
  ir_expr *e = lw_mk(c, X_VREF, loc, 2);
  e->a[0] = var(c, o, loc);
  e->a[1] = i;
  /* a string's cells are plain characters: the value read gets a type of
   * its own (tagged where it meets other kinds), not the block's, which
   * a procedure returning it or #f would otherwise make a class of tagged
   * values */
  lw_elem_of(c, c->p->vars.v[o].type);
  e->type = lw_new_type(c, T_CHAR);
  e->has_nat = true;
  e->nat = T_CHAR;
  return e;
}

static void store(lw *c, int o, ir_expr *i, ir_expr *x, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_VSET, loc);
  s->a[0] = var(c, o, loc);
  s->a[1] = i;
  s->a[2] = x;
}

/* A new block of len characters (NUL), in a new variable. */
static int new_block(lw *c, ir_expr *len, ir_expr *fill, srcloc loc) {
  int o = temp(c, loc);
  c->p->vars.v[o].type = block_type(c);
  ir_stmt *s = lw_emit(c, S_MAKEVEC, loc);
  s->var = o;
  s->nofill = c->block_nofill;
  c->block_nofill = false;
  s->a[0] = len;
  s->a[1] = fill ? fill : kconst(c, T_CHAR, 0, loc);
  lw_unify(c, lw_elem_of(c, c->p->vars.v[o].type), s->a[1]->type, loc, "a character");
  c->p->has_rtstr = true;
  return o;
}

static ir_expr *as_string(lw *c, int o, srcloc loc) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, 1);
  e->op = &string_of_vector_op;
  e->a[0] = var(c, o, loc);
  e->type = lw_new_type(c, T_STR);
  e->has_nat = true;
  e->nat = T_STR;
  return e;
}

/* for i from `from` below `to` (variables): body(i) */
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
  add_to(c, l->i, kconst(c, T_INT, 1, loc), loc);
  jump(c, l->head, loc);
  lw_label(c, l->done, loc);
}

/* A block whose every character the code that follows writes before
 * anything reads it (a copy of whole ranges, a loop over the length):
 * the next new_block skips make-vector's fill loop, 4 tokens a
 * character (backend/machine.c). */
static int new_full_block(lw *c, ir_expr *len, srcloc loc) {
  c->block_nofill = true;
  return new_block(c, len, NULL, loc);
}

/* Characters copied per round of copy_chars: one address step, then a
 * store per character at WADDR + j (S_VSET's chain), then the index and
 * the test.  Rounds of 8 (11 tokens for 8 characters) or 4 (7 for 4)
 * take fewer tokens, but every copy site's stores widen the model: with
 * 4, tests/outside3/json-printer (d_model 4301) and nested-quasi (3773)
 * went past the weight limit, and with 8 tests/scheme/ice9-format too;
 * with 2, json-printer still did (4001).  Programs that compiled must
 * not be refused (BENCHMARKS.md "Strings built in loops"). */
enum { COPY_UNROLL = 1 };

/* dst[k + j] := src[from + j] for from + j below to (variables; k
 * advances).  Rounds of COPY_UNROLL characters while that many remain,
 * then one at a time; i runs over the source, d = k - from places it in
 * the destination.  Every index is in range: the callers made dst long
 * enough and [from, to) lies in src. */
static void copy_chars(lw *c, int dst, int k, int src, int from, int to, srcloc loc) {
  int i = temp_of(c, T_INT, loc), d = temp_of(c, T_INT, loc);
  lw_assign(c, i, var(c, from, loc), loc);
  lw_assign(c, d, prim(c, "-", var(c, k, loc), var(c, from, loc), T_INT, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), rest = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<=", prim(c, "+", var(c, i, loc), kconst(c, T_INT, COPY_UNROLL, loc), T_INT, loc),
                 var(c, to, loc), T_BOOL, loc),
         body, rest, loc);
  lw_label(c, body, loc);
  for (int j = 0; j < COPY_UNROLL; j++) {
    ir_expr *si = j ? prim(c, "+", var(c, i, loc), kconst(c, T_INT, j, loc), T_INT, loc) : var(c, i, loc);
    ir_expr *di = prim(c, "+", var(c, i, loc), var(c, d, loc), T_INT, loc);
    if (j) di = prim(c, "+", di, kconst(c, T_INT, j, loc), T_INT, loc);
    ir_stmt *s = lw_emit(c, S_VSET, loc);
    s->a[0] = var(c, dst, loc);
    s->a[1] = di;
    s->a[2] = char_at(c, src, si, loc);
    s->chain = j;
  }
  add_to(c, i, kconst(c, T_INT, COPY_UNROLL, loc), loc);
  jump(c, head, loc);
  lw_label(c, rest, loc);
  loop l = loop_open(c, var(c, i, loc), to, loc);
  store(c, dst, prim(c, "+", var(c, l.i, loc), var(c, d, loc), T_INT, loc),
        char_at(c, src, var(c, l.i, loc), loc), loc);
  loop_close(c, &l, loc);
  lw_assign(c, k, prim(c, "+", var(c, l.i, loc), var(c, d, loc), T_INT, loc), loc);
}

/* ---- errors whose text is written as the program runs ---------------- */

/* if test: the error "<pre>X<mid>Y<post>" at `at` (X, Y written) */
static void fail_if(lw *c, ir_expr *test, srcloc at, const char *kind,
                    const char *pre, ir_expr *x, const char *mid, ir_expr *y,
                    const char *post, srcloc loc) {
  int bad = lw_new_label(c), ok = lw_new_label(c);
  branch(c, test, bad, ok, loc);
  lw_label(c, bad, loc);
  lw_ll_err_text(c, pre, loc);
  if (x) lw_ll_err_write(c, x, loc);
  if (mid) lw_ll_err_text(c, mid, loc);
  if (y) lw_ll_err_write(c, y, loc);
  if (post) lw_ll_err_text(c, post, loc);
  lw_ll_err_raise(c, at, kind, "");
  jump(c, ok, loc);
  lw_label(c, ok, loc);
}

/* The evaluator's index_ok: k within [0, len) ([0, len] for an end). */
static void index_ok(lw *c, const ast *a, int argi, const char *op, int k,
                     int len, bool end, srcloc loc) {
  ir_expr *below = prim(c, "<", var(c, k, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc);
  ir_expr *past = prim(c, end ? ">" : ">=", var(c, k, loc), var(c, len, loc), T_BOOL, loc);
  ir_expr *either = lw_mk(c, X_SELECT, loc, 3);
  either->a[0] = below;
  either->a[1] = kconst(c, T_BOOL, 1, loc);
  either->a[2] = past;
  either->type = lw_new_type(c, T_BOOL);
  char pre[96];
  snprintf(pre, sizeof pre, "%s: index ", op);
  fail_if(c, either, arg_loc(a, argi), "bounds", arena_strdup(&c->p->mem, pre),
          var(c, k, loc), " is out of range for a string of length ", var(c, len, loc),
          NULL, loc);
}

/* ---- operands -------------------------------------------------------- */

/* The operands, each in a temporary (their errors first, in order), then
 * each checked for its kind (kinds[i], T_ANY: none), in new variables. */
static bool operands(lw *c, const ast *a, frame_map *f, const tkind *kinds, int *v) {
  int n = a->u.call.n;
  ir_expr *args[64];
  int raw[64];
  lw_lower_args(c, a, f, args);
  if (c->failed) return false;
  for (int i = 0; i < n; i++) {
    raw[i] = temp(c, a->loc);
    lw_assign(c, raw[i], args[i], a->loc);
  }
  for (int i = 0; i < n; i++) {
    if (kinds[i] == T_ANY) {
      v[i] = raw[i];
      continue;
    }
    ir_expr *ops[64];
    for (int j = 0; j <= i; j++) ops[j] = var(c, raw[j], arg_loc(a, j));
    v[i] = temp(c, a->loc);
    lw_assign(c, v[i], lw_checked_arg(c, a, a->u.call.r.bi->name, ops, i, kinds[i]), a->loc);
  }
  return !c->failed;
}

/* ---- the procedures -------------------------------------------------- */

/* string-append: the total length, one block, the characters of each. */
static ir_expr *append(lw *c, const ast *a, const int *v, int n) {
  srcloc loc = a->loc;
  int obj[64], len[64];
  int total = temp_of(c, T_INT, loc);
  lw_assign(c, total, kconst(c, T_INT, 0, loc), loc);
  for (int i = 0; i < n; i++) {
    obj[i] = object(c, v[i], loc);
    len[i] = assign_new(c, length_of(c, obj[i], loc), loc);
    add_to(c, total, var(c, len[i], loc), loc);
  }
  int out = new_full_block(c, var(c, total, loc), loc);
  int k = temp_of(c, T_INT, loc), zero = temp_of(c, T_INT, loc);
  lw_assign(c, k, kconst(c, T_INT, 0, loc), loc);
  lw_assign(c, zero, kconst(c, T_INT, 0, loc), loc);
  for (int i = 0; i < n; i++) copy_chars(c, out, k, obj[i], zero, len[i], loc);
  return as_string(c, out, loc);
}

/* substring, string-copy: the evaluator's range(), then a copy. */
static ir_expr *copy_range(lw *c, const ast *a, const char *op, const int *v, int n) {
  srcloc loc = a->loc;
  int o = object(c, v[0], loc);
  int len = assign_new(c, length_of(c, o, loc), loc);
  int s = n > 1 ? v[1] : assign_new(c, kconst(c, T_INT, 0, loc), loc);
  int e = n > 2 ? v[2] : len;
  if (n > 1) index_ok(c, a, 1, op, s, len, true, loc);
  if (n > 2) {
    index_ok(c, a, 2, op, e, len, true, loc);
    char pre[96];
    snprintf(pre, sizeof pre, "%s: the end ", op);
    fail_if(c, prim(c, "<", var(c, e, loc), var(c, s, loc), T_BOOL, loc), arg_loc(a, 2),
            "bounds", arena_strdup(&c->p->mem, pre), var(c, e, loc), " is before the start ",
            var(c, s, loc), NULL, loc);
  }
  int out = new_full_block(c, prim(c, "-", var(c, e, loc), var(c, s, loc), T_INT, loc), loc);
  int k = temp_of(c, T_INT, loc);
  lw_assign(c, k, kconst(c, T_INT, 0, loc), loc);
  copy_chars(c, out, k, o, s, e, loc);
  return as_string(c, out, loc);
}

static ir_expr *make_string(lw *c, const ast *a, const int *v, int n) {
  srcloc loc = a->loc;
  fail_if(c, prim(c, "<", var(c, v[0], loc), kconst(c, T_INT, 0, loc), T_BOOL, loc),
          arg_loc(a, 0), "bounds", "make-string: the length must not be negative (",
          var(c, v[0], loc), ")", NULL, NULL, loc);
  int out = new_block(c, var(c, v[0], loc), n > 1 ? var(c, v[1], loc) : NULL, loc);
  return as_string(c, out, loc);
}

static ir_expr *string_of(lw *c, const ast *a, const int *v, int n) {
  srcloc loc = a->loc;
  int out = new_full_block(c, kconst(c, T_INT, n, loc), loc);
  for (int i = 0; i < n; i++) store(c, out, kconst(c, T_INT, i, loc), var(c, v[i], loc), loc);
  return as_string(c, out, loc);
}

/* string-upcase, string-downcase: the character mappings of
 * lang/lower-chars.c on each character. */
static ir_expr *change_case(lw *c, const ast *a, const int *v, bool up) {
  srcloc loc = a->loc;
  int o = object(c, v[0], loc);
  int len = assign_new(c, length_of(c, o, loc), loc);
  int out = new_full_block(c, var(c, len, loc), loc);
  c->p->has_chars = true;
  loop l = loop_open(c, kconst(c, T_INT, 0, loc), len, loc);
  ir_expr *ch = prim(c, up ? "char-upcase" : "char-downcase",
                    char_at(c, o, var(c, l.i, loc), loc), NULL, T_CHAR, loc);
  store(c, out, var(c, l.i, loc), ch, loc);
  loop_close(c, &l, loc);
  return as_string(c, out, loc);
}

/* number->string: the digits from the last (quotients of the negative
 * value: no overflow at -2^31), into a buffer of 33, then a block of
 * their number. */
static ir_expr *number_to_string(lw *c, const ast *a, const int *v, int n) {
  srcloc loc = a->loc;
  int x = v[0];
  int radix;
  if (n > 1) {
    radix = v[1];
    ir_expr *out = lw_mk(c, X_SELECT, loc, 3);
    out->a[0] = prim(c, "<", var(c, radix, loc), kconst(c, T_INT, 2, loc), T_BOOL, loc);
    out->a[1] = kconst(c, T_BOOL, 1, loc);
    out->a[2] = prim(c, ">", var(c, radix, loc), kconst(c, T_INT, 36, loc), T_BOOL, loc);
    out->type = lw_new_type(c, T_BOOL);
    fail_if(c, out, arg_loc(a, 1), "bounds", "number->string: the radix must be from 2 to 36, not ",
            var(c, radix, loc), NULL, NULL, NULL, loc);
  } else {
    radix = assign_new(c, kconst(c, T_INT, 10, loc), loc);
  }
  int u = temp_of(c, T_INT, loc), neg = temp_of(c, T_BOOL, loc);
  int buf = new_full_block(c, kconst(c, T_INT, 33, loc), loc);
  int k = temp_of(c, T_INT, loc), d = temp_of(c, T_INT, loc);
  lw_assign(c, neg, prim(c, "<", var(c, x, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), loc);
  lw_assign(c, k, kconst(c, T_INT, 33, loc), loc);
  ir_expr *nx = lw_mk(c, X_SELECT, loc, 3);
  nx->a[0] = var(c, neg, loc);
  nx->a[1] = var(c, x, loc);
  nx->a[2] = prim(c, "-", kconst(c, T_INT, 0, loc), var(c, x, loc), T_INT, loc);
  nx->type = lw_new_type(c, T_INT);
  lw_assign(c, u, nx, loc);
  int head = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  add_to(c, k, kconst(c, T_INT, -1, loc), loc);
  ir_expr *r = lw_mk(c, X_PRIM, loc, 2);
  r->op = builtin_find("remainder");
  r->a[0] = var(c, u, loc);
  r->a[1] = var(c, radix, loc);
  r->type = lw_new_type(c, T_INT);
  r->has_nat = true;
  r->nat = T_INT;
  lw_assign(c, d, prim(c, "-", kconst(c, T_INT, 0, loc), r, T_INT, loc), loc);
  /* the digit's character: 0-9, then a-z */
  ir_expr *dc = lw_mk(c, X_SELECT, loc, 3);
  dc->a[0] = prim(c, "<", var(c, d, loc), kconst(c, T_INT, 10, loc), T_BOOL, loc);
  dc->a[1] = prim(c, "+", var(c, d, loc), kconst(c, T_INT, '0', loc), T_CHAR, loc);
  dc->a[2] = prim(c, "+", var(c, d, loc), kconst(c, T_INT, 'a' - 10, loc), T_CHAR, loc);
  dc->type = lw_new_type(c, T_CHAR);
  store(c, buf, var(c, k, loc), dc, loc);
  ir_expr *q = lw_mk(c, X_PRIM, loc, 2);
  q->op = builtin_find("quotient");
  q->a[0] = var(c, u, loc);
  q->a[1] = var(c, radix, loc);
  q->type = lw_new_type(c, T_INT);
  q->has_nat = true;
  q->nat = T_INT;
  lw_assign(c, u, q, loc);
  branch(c, prim(c, "=", var(c, u, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), done, head, loc);
  lw_label(c, done, loc);
  int sign = lw_new_label(c), go = lw_new_label(c);
  branch(c, var(c, neg, loc), sign, go, loc);
  lw_label(c, sign, loc);
  add_to(c, k, kconst(c, T_INT, -1, loc), loc);
  store(c, buf, var(c, k, loc), kconst(c, T_CHAR, '-', loc), loc);
  lw_label(c, go, loc);
  int end = assign_new(c, kconst(c, T_INT, 33, loc), loc);
  int out = new_full_block(c, prim(c, "-", kconst(c, T_INT, 33, loc), var(c, k, loc), T_INT, loc), loc);
  int j = temp_of(c, T_INT, loc);
  lw_assign(c, j, kconst(c, T_INT, 0, loc), loc);
  copy_chars(c, out, j, buf, k, end, loc);
  return as_string(c, out, loc);
}


/* e as an operand of kind k, else the evaluator's kind error "msg, not
 * KIND (VALUE)" at `at` (an X_CHECK whose failure is msg). */
static ir_expr *check_with(lw *c, ir_expr *e, tkind k, srcloc at, const char *msg) {
  tkind have = ir_kind(c->p, e->type);
  if (have == T_ANY || have == k || have == T_DYN) lw_want(c, e, k, "an argument");
  ir_expr *x = lw_mk(c, X_CHECK, at, 1);
  x->a[0] = e;
  x->ival = k;
  x->has_nat = true;
  x->nat = k;
  x->type = lw_type_of_kind(c, k);
  ir_failure f = {"type", arena_strdup(&c->p->mem, msg), false};
  VEC_PUSH(c->p->failures, f);
  x->var = c->p->failures.n - 1;
  return x;
}

static ir_expr *part(lw *c, int l, bool cdr, srcloc loc) {
  ir_expr *e = lw_mk(c, X_CXR, loc, 1);
  e->a[0] = lw_retype(c, var(c, l, loc), T_PAIR);
  e->ival = cdr;
  e->type = lw_pair_part(c, c->p->vars.v[l].type, cdr);
  return e;
}

/* list->string: a walk checks each car (the evaluator's "an element must
 * be a character") and counts; then the end of the list; then a block of
 * the count, filled by a second walk. */
static ir_expr *list_to_string(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  int l = temp(c, loc), n = temp_of(c, T_INT, loc);
  c->p->vars.v[l].type = c->p->vars.v[v[0]].type;
  lw_assign(c, l, var(c, v[0], loc), loc);
  lw_assign(c, n, kconst(c, T_INT, 0, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "pair?", var(c, l, loc), NULL, T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  ir_stmt *ev = lw_emit(c, S_EVAL, loc);
  ev->a[0] = check_with(c, part(c, l, false, loc), T_CHAR, loc,
                        "list->string: an element must be a character");
  lw_assign(c, l, part(c, l, true, loc), loc);
  add_to(c, n, kconst(c, T_INT, 1, loc), loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  /* the end: the empty list, else the argument is not a proper list */
  int bad = lw_new_label(c), ok = lw_new_label(c), pairs = lw_new_label(c), other = lw_new_label(c);
  branch(c, prim(c, "null?", var(c, l, loc), NULL, T_BOOL, loc), ok, bad, loc);
  lw_label(c, bad, loc);
  branch(c, prim(c, "pair?", var(c, v[0], loc), NULL, T_BOOL, loc), pairs, other, loc);
  lw_label(c, pairs, loc);
  lw_ll_err_text(c, "list->string: the argument must be a proper list, not a pair (", loc);
  lw_ll_err_write(c, var(c, v[0], loc), loc);
  lw_ll_err_text(c, ")", loc);
  lw_ll_err_raise(c, arg_loc(a, 0), "type", "");
  jump(c, ok, loc);
  lw_label(c, other, loc);
  ev = lw_emit(c, S_EVAL, loc);
  ev->a[0] = check_with(c, var(c, v[0], loc), T_PAIR, arg_loc(a, 0),
                        "list->string: the argument must be a proper list");
  lw_label(c, ok, loc);
  int out = new_full_block(c, var(c, n, loc), loc);
  int i = temp_of(c, T_INT, loc);
  lw_assign(c, l, var(c, v[0], loc), loc);
  lw_assign(c, i, kconst(c, T_INT, 0, loc), loc);
  int h2 = lw_new_label(c), b2 = lw_new_label(c), d2 = lw_new_label(c);
  lw_label(c, h2, loc);
  branch(c, prim(c, "<", var(c, i, loc), var(c, n, loc), T_BOOL, loc), b2, d2, loc);
  lw_label(c, b2, loc);
  store(c, out, var(c, i, loc), lw_retype(c, part(c, l, false, loc), T_CHAR), loc);
  lw_assign(c, l, part(c, l, true, loc), loc);
  add_to(c, i, kconst(c, T_INT, 1, loc), loc);
  jump(c, h2, loc);
  lw_label(c, d2, loc);
  return as_string(c, out, loc);
}

static const char *const compares[] = {"string=?", "string<?", "string>?", "string<=?", "string>=?", NULL};

/* r := -1, 0, 1 as string x sorts before, with or after y */
static int compare(lw *c, int x, int y, srcloc loc) {
  int ox = object(c, x, loc), oy = object(c, y, loc);
  int nx = assign_new(c, length_of(c, ox, loc), loc);
  int ny = assign_new(c, length_of(c, oy, loc), loc);
  int r = temp_of(c, T_INT, loc), i = temp_of(c, T_INT, loc);
  int p = temp_of(c, T_CHAR, loc), q = temp_of(c, T_CHAR, loc);
  lw_assign(c, i, kconst(c, T_INT, 0, loc), loc);
  int head = lw_new_label(c), in = lw_new_label(c), body = lw_new_label(c);
  int differ = lw_new_label(c), next = lw_new_label(c), ended = lw_new_label(c);
  int done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, i, loc), var(c, nx, loc), T_BOOL, loc), in, ended, loc);
  lw_label(c, in, loc);
  branch(c, prim(c, "<", var(c, i, loc), var(c, ny, loc), T_BOOL, loc), body, ended, loc);
  lw_label(c, body, loc);
  lw_assign(c, p, char_at(c, ox, var(c, i, loc), loc), loc);
  lw_assign(c, q, char_at(c, oy, var(c, i, loc), loc), loc);
  branch(c, prim(c, "=", var(c, p, loc), var(c, q, loc), T_BOOL, loc), next, differ, loc);
  lw_label(c, next, loc);
  add_to(c, i, kconst(c, T_INT, 1, loc), loc);
  jump(c, head, loc);
  lw_label(c, differ, loc);
  ir_expr *lt = lw_mk(c, X_SELECT, loc, 3);
  lt->a[0] = prim(c, "<", var(c, p, loc), var(c, q, loc), T_BOOL, loc);
  lt->a[1] = kconst(c, T_INT, -1, loc);
  lt->a[2] = kconst(c, T_INT, 1, loc);
  lt->type = lw_new_type(c, T_INT);
  lw_assign(c, r, lt, loc);
  jump(c, done, loc);
  lw_label(c, ended, loc);
  /* (nx > ny) - (nx < ny) */
  ir_expr *gt = lw_mk(c, X_SELECT, loc, 3);
  gt->a[0] = prim(c, ">", var(c, nx, loc), var(c, ny, loc), T_BOOL, loc);
  gt->a[1] = kconst(c, T_INT, 1, loc);
  gt->a[2] = kconst(c, T_INT, 0, loc);
  gt->type = lw_new_type(c, T_INT);
  ir_expr *ls = lw_mk(c, X_SELECT, loc, 3);
  ls->a[0] = prim(c, "<", var(c, nx, loc), var(c, ny, loc), T_BOOL, loc);
  ls->a[1] = kconst(c, T_INT, -1, loc);
  ls->a[2] = gt;
  ls->type = lw_new_type(c, T_INT);
  lw_assign(c, r, ls, loc);
  lw_label(c, done, loc);
  return r;
}

static ir_expr *comparison(lw *c, const ast *a, const char *name, const int *v, int n) {
  srcloc loc = a->loc;
  int res = temp_of(c, T_BOOL, loc);
  lw_assign(c, res, kconst(c, T_BOOL, 1, loc), loc);
  int end = lw_new_label(c);
  const char *test = name[6] == '=' ? "=" : name[6] == '<' ? (name[7] == '?' ? "<" : "<=")
                                                           : (name[7] == '?' ? ">" : ">=");
  int w[64];
  memcpy(w, v, (size_t)n * sizeof *w);
  for (int i = 0; i + 1 < n; i++) {
    if (i + 1 >= 2) w[i + 1] = lw_pairwise_operand(c, a, w[i + 1], i + 1);
    int r = compare(c, w[i], w[i + 1], loc);
    int ok = lw_new_label(c), bad = lw_new_label(c);
    branch(c, prim(c, test, var(c, r, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), ok, bad, loc);
    lw_label(c, bad, loc);
    lw_assign(c, res, kconst(c, T_BOOL, 0, loc), loc);
    jump(c, end, loc);
    lw_label(c, ok, loc);
  }
  jump(c, end, loc);
  lw_label(c, end, loc);
  return var(c, res, loc);
}

static ir_expr *string_ref(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  int o = object(c, v[0], loc);
  int len = assign_new(c, length_of(c, o, loc), loc);
  index_ok(c, a, 1, "string-ref", v[1], len, false, loc);
  c->p->has_chars = true;
  return char_at(c, o, var(c, v[1], loc), loc);
}

/* (string->list s [start [end]]): the evaluator's range(), then i from
 * the end down to the start, acc := (cons s[i] acc). */
static ir_expr *to_list(lw *c, const ast *a, const int *v, int n) {
  srcloc loc = a->loc;
  int o = object(c, v[0], loc);
  int len = assign_new(c, length_of(c, o, loc), loc);
  int s = n > 1 ? v[1] : assign_new(c, kconst(c, T_INT, 0, loc), loc);
  if (n > 1) index_ok(c, a, 1, "string->list", s, len, true, loc);
  if (n > 2) {
    index_ok(c, a, 2, "string->list", v[2], len, true, loc);
    fail_if(c, prim(c, "<", var(c, v[2], loc), var(c, s, loc), T_BOOL, loc), arg_loc(a, 2),
            "bounds", "string->list: the end ", var(c, v[2], loc), " is before the start ",
            var(c, s, loc), NULL, loc);
  }
  int i = assign_new(c, var(c, n > 2 ? v[2] : len, loc), loc);
  c->p->vars.v[i].type = lw_type_of_kind(c, T_INT);
  int acc = temp(c, loc);
  lw_assign(c, acc, kconst(c, T_NIL, 0, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, ">", var(c, i, loc), var(c, s, loc), T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  add_to(c, i, kconst(c, T_INT, -1, loc), loc);
  lw_assign(c, acc, lw_cons(c, char_at(c, o, var(c, i, loc), loc), var(c, acc, loc), loc), loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  c->p->has_chars = true;
  return var(c, acc, loc);
}

/* string-set!, string-fill!: a literal is immutable (its number is below
 * the program's count of literals: %literal?), as the evaluator says. */
static void immutable(lw *c, const ast *a, const char *op, int s, srcloc loc) {
  ir_expr *lit = lw_mk(c, X_PRIM, loc, 1);
  lit->op = &literal_count_op;
  lit->a[0] = var(c, s, loc);
  lit->type = lw_new_type(c, T_BOOL);
  lit->has_nat = true;
  lit->nat = T_BOOL;
  /* the message names the literal as written, cut as the evaluator cuts
   * it: a literal of that text (%literal-text), displayed */
  int bad = lw_new_label(c), ok = lw_new_label(c);
  branch(c, lit, bad, ok, loc);
  lw_label(c, bad, loc);
  char pre[64];
  snprintf(pre, sizeof pre, "%s: ", op);
  lw_ll_err_text(c, arena_strdup(&c->p->mem, pre), loc);
  ir_expr *t = lw_mk(c, X_PRIM, loc, 1);
  t->op = &literal_text_op;
  t->a[0] = var(c, s, loc);
  t->type = lw_new_type(c, T_STR);
  t->has_nat = true;
  t->nat = T_STR;
  ir_stmt *w = lw_emit(c, S_ERRTEXT, loc);
  w->a[0] = t;
  w->write = false;   /* displayed, not written */
  lw_ll_err_text(c, " is a literal constant, which cannot be changed (string-copy "
                    "makes a string that can)", loc);
  lw_ll_err_raise(c, arg_loc(a, 0), "type", "");
  jump(c, ok, loc);
  lw_label(c, ok, loc);
}

static ir_expr *string_set(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  int o = object(c, v[0], loc);
  int len = assign_new(c, length_of(c, o, loc), loc);
  index_ok(c, a, 1, "string-set!", v[1], len, false, loc);
  immutable(c, a, "string-set!", v[0], loc);
  store(c, o, var(c, v[1], loc), var(c, v[2], loc), loc);
  return lw_void_expr(c, loc);
}

static ir_expr *string_fill(lw *c, const ast *a, const int *v) {
  srcloc loc = a->loc;
  immutable(c, a, "string-fill!", v[0], loc);
  int o = object(c, v[0], loc);
  int len = assign_new(c, length_of(c, o, loc), loc);
  loop l = loop_open(c, kconst(c, T_INT, 0, loc), len, loc);
  store(c, o, var(c, l.i, loc), var(c, v[1], loc), loc);
  loop_close(c, &l, loc);
  return lw_void_expr(c, loc);
}


/* ---- string->number ------------------------------------------------- */

static ir_expr *sel(lw *c, ir_expr *t, ir_expr *x, ir_expr *y, tkind k, srcloc loc) {
  ir_expr *e = lw_mk(c, X_SELECT, loc, 3);
  e->a[0] = t;
  e->a[1] = x;
  e->a[2] = y;
  e->type = lw_new_type(c, k);
  return e;
}

/* [lo <= ch <= hi] of variable ch */
static ir_expr *within(lw *c, int ch, int lo, int hi, srcloc loc) {
  return sel(c, prim(c, "<", var(c, ch, loc), kint(c, lo, loc), T_BOOL, loc), kconst(c, T_BOOL, 0, loc),
             prim(c, "<=", var(c, ch, loc), kint(c, hi, loc), T_BOOL, loc), T_BOOL, loc);
}

static ir_expr *is(lw *c, int ch, int x, srcloc loc) {
  return prim(c, "=", var(c, ch, loc), kint(c, x, loc), T_BOOL, loc);
}

/* ch := o[i] (i < n known) */
static int char_var(lw *c, int o, int i, srcloc loc) {
  int ch = temp_of(c, T_INT, loc);
  ir_expr *x = char_at(c, o, var(c, i, loc), loc);
  ir_expr *as_int = prim(c, "+", x, kint(c, 0, loc), T_INT, loc);
  lw_assign(c, ch, as_int, loc);
  return ch;
}

/* while i < n and test(o[i]): body; the test's character in *ch */
static void scan_digits(lw *c, int o, int i, int n, int count, srcloc loc) {
  int head = lw_new_label(c), more = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, i, loc), var(c, n, loc), T_BOOL, loc), more, done, loc);
  lw_label(c, more, loc);
  int ch = char_var(c, o, i, loc);
  branch(c, within(c, ch, '0', '9', loc), body, done, loc);
  lw_label(c, body, loc);
  add_to(c, count, kint(c, 1, loc), loc);
  add_to(c, i, kint(c, 1, loc), loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
}

/* The evaluator's inexact_number: whether the text is a number Guile
 * reads that is not an integer (1.5, 1e3, 1/2, .5); into variable r. */
static void inexact(lw *c, int o, int n, int r, srcloc loc) {
  int i = temp_of(c, T_INT, loc), digits = temp_of(c, T_INT, loc), dots = temp_of(c, T_INT, loc);
  int no = lw_new_label(c), yes = lw_new_label(c), end = lw_new_label(c);
  int z = assign_new(c, kint(c, 0, loc), loc);
  int c0 = char_var(c, o, z, loc);
  lw_assign(c, i, sel(c, sel(c, is(c, c0, '+', loc), kconst(c, T_BOOL, 1, loc), is(c, c0, '-', loc), T_BOOL, loc),
                      kint(c, 1, loc), kint(c, 0, loc), T_INT, loc), loc);
  lw_assign(c, digits, kint(c, 0, loc), loc);
  lw_assign(c, dots, kint(c, 0, loc), loc);
  /* digits and dots */
  int head = lw_new_label(c), more = lw_new_label(c), dig = lw_new_label(c), notdig = lw_new_label(c);
  int dot = lw_new_label(c), step = lw_new_label(c), out = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, i, loc), var(c, n, loc), T_BOOL, loc), more, out, loc);
  lw_label(c, more, loc);
  int ch = char_var(c, o, i, loc);
  branch(c, within(c, ch, '0', '9', loc), dig, notdig, loc);
  lw_label(c, dig, loc);
  add_to(c, digits, kint(c, 1, loc), loc);
  jump(c, step, loc);
  lw_label(c, notdig, loc);
  branch(c, is(c, ch, '.', loc), dot, out, loc);
  lw_label(c, dot, loc);
  add_to(c, dots, kint(c, 1, loc), loc);
  lw_label(c, step, loc);
  add_to(c, i, kint(c, 1, loc), loc);
  jump(c, head, loc);
  lw_label(c, out, loc);
  int l1 = lw_new_label(c), l2 = lw_new_label(c), l3 = lw_new_label(c);
  branch(c, sel(c, prim(c, "=", var(c, digits, loc), kint(c, 0, loc), T_BOOL, loc), kconst(c, T_BOOL, 1, loc),
                prim(c, ">", var(c, dots, loc), kint(c, 1, loc), T_BOOL, loc), T_BOOL, loc), no, l1, loc);
  lw_label(c, l1, loc);
  int whole = lw_new_label(c);
  branch(c, prim(c, "=", var(c, i, loc), var(c, n, loc), T_BOOL, loc), whole, l2, loc);
  lw_label(c, whole, loc);
  lw_assign(c, r, prim(c, "=", var(c, dots, loc), kint(c, 1, loc), T_BOOL, loc), loc);
  jump(c, end, loc);
  lw_label(c, l2, loc);
  int ch2 = char_var(c, o, i, loc);
  int slash = lw_new_label(c), expo = lw_new_label(c);
  branch(c, sel(c, is(c, ch2, '/', loc), prim(c, "=", var(c, dots, loc), kint(c, 0, loc), T_BOOL, loc),
                kconst(c, T_BOOL, 0, loc), T_BOOL, loc), slash, l3, loc);
  lw_label(c, slash, loc);
  add_to(c, i, kint(c, 1, loc), loc);
  int den = assign_new(c, kint(c, 0, loc), loc);
  c->p->vars.v[den].type = lw_type_of_kind(c, T_INT);
  scan_digits(c, o, i, n, den, loc);
  lw_assign(c, r, sel(c, prim(c, ">", var(c, den, loc), kint(c, 0, loc), T_BOOL, loc),
                      prim(c, "=", var(c, i, loc), var(c, n, loc), T_BOOL, loc), kconst(c, T_BOOL, 0, loc),
                      T_BOOL, loc), loc);
  jump(c, end, loc);
  lw_label(c, l3, loc);
  branch(c, sel(c, is(c, ch2, 'e', loc), kconst(c, T_BOOL, 1, loc), is(c, ch2, 'E', loc), T_BOOL, loc),
         expo, no, loc);
  lw_label(c, expo, loc);
  add_to(c, i, kint(c, 1, loc), loc);
  int sg = lw_new_label(c), nosg = lw_new_label(c), skip = lw_new_label(c);
  branch(c, prim(c, "<", var(c, i, loc), var(c, n, loc), T_BOOL, loc), sg, nosg, loc);
  lw_label(c, sg, loc);
  int ch3 = char_var(c, o, i, loc);
  branch(c, sel(c, is(c, ch3, '+', loc), kconst(c, T_BOOL, 1, loc), is(c, ch3, '-', loc), T_BOOL, loc),
         skip, nosg, loc);
  lw_label(c, skip, loc);
  add_to(c, i, kint(c, 1, loc), loc);
  lw_label(c, nosg, loc);
  int ex = assign_new(c, kint(c, 0, loc), loc);
  c->p->vars.v[ex].type = lw_type_of_kind(c, T_INT);
  scan_digits(c, o, i, n, ex, loc);
  lw_assign(c, r, sel(c, prim(c, ">", var(c, ex, loc), kint(c, 0, loc), T_BOOL, loc),
                      prim(c, "=", var(c, i, loc), var(c, n, loc), T_BOOL, loc), kconst(c, T_BOOL, 0, loc),
                      T_BOOL, loc), loc);
  jump(c, end, loc);
  lw_label(c, no, loc);
  lw_assign(c, r, kconst(c, T_BOOL, 0, loc), loc);
  jump(c, yes, loc);
  lw_label(c, yes, loc);
  lw_label(c, end, loc);
}

/* string->number: the evaluator's parse (bi_string_to_number): a radix
 * prefix, a sign, digits accumulated negated (w <= 0, so -2^31 needs no
 * 33 bits), the overflow and "not an integer" errors, else #f. */
/* The body of the shared function (string, radix): the integer, #f, or
 * a character for an error its callers raise at their own positions:
 * #\o the number does not fit, #\i it is not an integer. */
static void string_to_number_body(lw *c, int sv, int rv, srcloc loc) {
  int radix = temp_of(c, T_INT, loc);
  lw_assign(c, radix, var(c, rv, loc), loc);
  int o = object(c, sv, loc);
  int n = assign_new(c, length_of(c, o, loc), loc);
  int res = temp(c, loc);
  int i = temp_of(c, T_INT, loc), w = temp_of(c, T_INT, loc), neg = temp_of(c, T_BOOL, loc);
  int d = temp_of(c, T_INT, loc);
  int fals = lw_new_label(c), end = lw_new_label(c);
  lw_assign(c, i, kint(c, 0, loc), loc);
  int l1 = lw_new_label(c), l2 = lw_new_label(c);
  branch(c, prim(c, ">", var(c, n, loc), kint(c, 60, loc), T_BOOL, loc), fals, l1, loc);
  lw_label(c, l1, loc);
  /* #x #b #o #d */
  int pre = lw_new_label(c), nopre = lw_new_label(c);
  branch(c, prim(c, ">=", var(c, n, loc), kint(c, 2, loc), T_BOOL, loc), l2, nopre, loc);
  lw_label(c, l2, loc);
  int z = assign_new(c, kint(c, 0, loc), loc);
  int c0 = char_var(c, o, z, loc);
  branch(c, is(c, c0, '#', loc), pre, nopre, loc);
  lw_label(c, pre, loc);
  int one = assign_new(c, kint(c, 1, loc), loc);
  int c1 = char_var(c, o, one, loc);
  ir_expr *low = lw_mk(c, X_PRIM, loc, 2);
  low->op = builtin_find("logior");
  low->a[0] = var(c, c1, loc);
  low->a[1] = kint(c, 0x20, loc);
  low->type = lw_new_type(c, T_INT);
  low->has_nat = true;
  low->nat = T_INT;
  int p = assign_new(c, low, loc);
  c->p->vars.v[p].type = lw_type_of_kind(c, T_INT);
  lw_assign(c, radix, sel(c, is(c, p, 'x', loc), kint(c, 16, loc),
                          sel(c, is(c, p, 'b', loc), kint(c, 2, loc),
                              sel(c, is(c, p, 'o', loc), kint(c, 8, loc),
                                  sel(c, is(c, p, 'd', loc), kint(c, 10, loc), kint(c, 0, loc), T_INT, loc),
                                  T_INT, loc), T_INT, loc), T_INT, loc), loc);
  int okp = lw_new_label(c);
  branch(c, prim(c, "=", var(c, radix, loc), kint(c, 0, loc), T_BOOL, loc), fals, okp, loc);
  lw_label(c, okp, loc);
  lw_assign(c, i, kint(c, 2, loc), loc);
  lw_label(c, nopre, loc);
  /* the sign */
  lw_assign(c, neg, kconst(c, T_BOOL, 0, loc), loc);
  int s1 = lw_new_label(c), s2 = lw_new_label(c), s3 = lw_new_label(c), digits = lw_new_label(c);
  branch(c, prim(c, "<", var(c, i, loc), var(c, n, loc), T_BOOL, loc), s1, digits, loc);
  lw_label(c, s1, loc);
  int cs = char_var(c, o, i, loc);
  lw_assign(c, neg, is(c, cs, '-', loc), loc);
  branch(c, sel(c, is(c, cs, '+', loc), kconst(c, T_BOOL, 1, loc), is(c, cs, '-', loc), T_BOOL, loc), s2, digits, loc);
  lw_label(c, s2, loc);
  add_to(c, i, kint(c, 1, loc), loc);
  lw_label(c, digits, loc);
  branch(c, prim(c, "=", var(c, i, loc), var(c, n, loc), T_BOOL, loc), fals, s3, loc);
  lw_label(c, s3, loc);
  lw_assign(c, w, kint(c, 0, loc), loc);
  int head = lw_new_label(c), body = lw_new_label(c), done = lw_new_label(c);
  int good = lw_new_label(c), bad = lw_new_label(c);
  lw_label(c, head, loc);
  branch(c, prim(c, "<", var(c, i, loc), var(c, n, loc), T_BOOL, loc), body, done, loc);
  lw_label(c, body, loc);
  int ch = char_var(c, o, i, loc);
  ir_expr *dv = sel(c, within(c, ch, '0', '9', loc), prim(c, "-", var(c, ch, loc), kint(c, '0', loc), T_INT, loc),
                    sel(c, within(c, ch, 'a', 'z', loc), prim(c, "-", var(c, ch, loc), kint(c, 'a' - 10, loc), T_INT, loc),
                        sel(c, within(c, ch, 'A', 'Z', loc), prim(c, "-", var(c, ch, loc), kint(c, 'A' - 10, loc), T_INT, loc),
                            kint(c, 99, loc), T_INT, loc), T_INT, loc), T_INT, loc);
  lw_assign(c, d, dv, loc);
  branch(c, prim(c, "<", var(c, d, loc), var(c, radix, loc), T_BOOL, loc), good, bad, loc);
  lw_label(c, bad, loc);
  {
    int ten = lw_new_label(c), inx = lw_new_label(c);
    branch(c, prim(c, "=", var(c, radix, loc), kint(c, 10, loc), T_BOOL, loc), ten, fals, loc);
    lw_label(c, ten, loc);
    int r = temp_of(c, T_BOOL, loc);
    inexact(c, o, n, r, loc);
    branch(c, var(c, r, loc), inx, fals, loc);
    lw_label(c, inx, loc);
    ir_stmt *rs = lw_emit(c, S_RETURN, loc);
    rs->a[0] = kconst(c, T_CHAR, 'i', loc);
  }
  lw_label(c, good, loc);
  /* w*radix - d < -2^31 <=> w < quotient(d - 2^31, radix) */
  ir_expr *q = lw_mk(c, X_PRIM, loc, 2);
  q->op = builtin_find("quotient");
  q->a[0] = prim(c, "-", prim(c, "-", var(c, d, loc), kint(c, 2147483647, loc), T_INT, loc), kint(c, 1, loc), T_INT, loc);
  q->a[1] = var(c, radix, loc);
  q->type = lw_new_type(c, T_INT);
  q->has_nat = true;
  q->nat = T_INT;
  int fits = lw_new_label(c), over = lw_new_label(c);
  branch(c, prim(c, "<", var(c, w, loc), q, T_BOOL, loc), over, fits, loc);
  lw_label(c, over, loc);
  lw_emit(c, S_RETURN, loc)->a[0] = kconst(c, T_CHAR, 'o', loc);
  lw_label(c, fits, loc);
  lw_assign(c, w, prim(c, "-", prim(c, "*", var(c, w, loc), var(c, radix, loc), T_INT, loc), var(c, d, loc), T_INT, loc), loc);
  add_to(c, i, kint(c, 1, loc), loc);
  jump(c, head, loc);
  lw_label(c, done, loc);
  int fits2 = lw_new_label(c), over2 = lw_new_label(c);
  branch(c, sel(c, var(c, neg, loc), kconst(c, T_BOOL, 0, loc),
                prim(c, "=", var(c, w, loc), kint(c, INT32_MIN, loc), T_BOOL, loc), T_BOOL, loc),
         over2, fits2, loc);
  lw_label(c, over2, loc);
  lw_emit(c, S_RETURN, loc)->a[0] = kconst(c, T_CHAR, 'o', loc);
  lw_label(c, fits2, loc);
  lw_assign(c, res, sel(c, var(c, neg, loc), var(c, w, loc),
                        prim(c, "-", kint(c, 0, loc), var(c, w, loc), T_INT, loc), T_INT, loc), loc);
  jump(c, end, loc);
  lw_label(c, fals, loc);
  lw_assign(c, res, kconst(c, T_BOOL, 0, loc), loc);
  lw_label(c, end, loc);
  lw_emit(c, S_RETURN, loc)->a[0] = var(c, res, loc);
}

/* One function per program, shared by every call (code size: a call
 * costs its arguments, a jump, the return and the tests of its status). */
static int string_to_number_fn(lw *c, srcloc loc) {
  if (c->p->stn_fn) return c->p->stn_fn - 1;
  ir_fn nf;
  memset(&nf, 0, sizeof nf);
  nf.name = sym_intern(&c->w->syms, "string->number", strlen("string->number"));
  nf.loc = loc;
  nf.ret_type = lw_new_type(c, T_ANY);
  nf.nparams = 2;
  nf.params = arena_alloc(&c->p->mem, 3 * sizeof(int));
  VEC_PUSH(c->p->fns, nf);
  int f = c->p->fns.n - 1;
  int save = c->fn;
  c->fn = f;
  for (int i = 0; i < 2; i++) {
    int pv = lw_new_var(c, -1, VAR_LOCAL, loc);
    c->p->vars.v[pv].type = lw_type_of_kind(c, i == 0 ? T_STR : T_INT);
    c->p->fns.v[f].params[i] = pv;
  }
  string_to_number_body(c, c->p->fns.v[f].params[0], c->p->fns.v[f].params[1], loc);
  /* the return values' class: integers, #f, the status characters */
  ir_fn *F = &c->p->fns.v[f];
  for (int i = 0; i < F->body.n; i++)
    if (F->body.v[i].k == S_RETURN)
      lw_unify(c, F->ret_type, F->body.v[i].a[0]->type, loc, "the value of string->number");
  c->fn = save;
  c->p->stn_fn = f + 1;
  return f;
}

static ir_expr *string_to_number(lw *c, const ast *a, const int *v, int nargs) {
  srcloc loc = a->loc;
  int radix = temp_of(c, T_INT, loc);
  if (nargs > 1) {
    lw_assign(c, radix, var(c, v[1], loc), loc);
    fail_if(c, sel(c, prim(c, "<", var(c, radix, loc), kint(c, 2, loc), T_BOOL, loc), kconst(c, T_BOOL, 1, loc),
                   prim(c, ">", var(c, radix, loc), kint(c, 36, loc), T_BOOL, loc), T_BOOL, loc),
            arg_loc(a, 1), "bounds", "string->number: the radix must be from 2 to 36, not ",
            var(c, radix, loc), NULL, NULL, NULL, loc);
  } else {
    lw_assign(c, radix, kint(c, 10, loc), loc);
  }
  int f = string_to_number_fn(c, loc);
  ir_expr *args[2] = {var(c, v[0], loc), var(c, radix, loc)};
  int r = assign_new(c, lw_call_stmt_at(c, f, args, 2, loc, 0), loc);
  int err = lw_new_label(c), ok = lw_new_label(c), over = lw_new_label(c), inx = lw_new_label(c);
  branch(c, prim(c, "char?", var(c, r, loc), NULL, T_BOOL, loc), err, ok, loc);
  lw_label(c, err, loc);
  branch(c, prim(c, "=", lw_retype(c, var(c, r, loc), T_CHAR), kint(c, 'o', loc), T_BOOL, loc), over, inx, loc);
  lw_label(c, over, loc);
  lw_ll_err_text(c, "string->number: the number in this string does not fit in 32 bits", loc);
  lw_ll_err_raise(c, loc, "overflow", "");
  jump(c, ok, loc);
  lw_label(c, inx, loc);
  lw_ll_err_text(c, "string->number: the number in this string is not an integer, and "
                    "tvl has only integers", loc);
  lw_ll_err_raise(c, loc, "type", "");
  lw_label(c, ok, loc);
  return var(c, r, loc);
}

ir_expr *lw_strings_effect(lw *c, const ast *a, frame_map *f) {
  const builtin *b = a->u.call.r.bi;
  const char *name = b->name;
  if (!listed(name)) return NULL;
  if (ls3_name(name)) return ls3_effect(c, a, f);
  if (lsym_name(name)) return lsym_effect(c, a, f);
  int n = a->u.call.n;
  if (n > 64) {
    lw_fail(c, a->loc, "%s with more than 64 arguments in compiled code", name);
    return lw_void_expr(c, a->loc);
  }
  tkind kinds[64];
  for (int i = 0; i < n; i++) {
    kinds[i] = b->arg == AK_STR ? T_STR : T_ANY;
    if (b->per_arg) kinds[i] = b->per_arg[i] == AK_INT ? T_INT : b->per_arg[i] == AK_CHAR ? T_CHAR
                              : b->per_arg[i] == AK_STR ? T_STR : T_ANY;
    else if (b->arg == AK_CHAR) kinds[i] = T_CHAR;
    else if (b->arg == AK_INT) kinds[i] = T_INT;
    else if (b->arg == AK_SYM) kinds[i] = T_SYM;
  }
  if (!strcmp(name, "string-ref") || !strcmp(name, "substring") || !strcmp(name, "string-copy") ||
      !strcmp(name, "make-string") || !strcmp(name, "string-set!") || !strcmp(name, "string-fill!")) {
    /* per_arg tables: string, then integers, then a character */
    for (int i = 0; i < n; i++) kinds[i] = i == 0 ? T_STR : T_INT;
    if (!strcmp(name, "make-string")) {
      kinds[0] = T_INT;
      if (n > 1) kinds[1] = T_CHAR;
    }
    if (!strcmp(name, "string-set!")) kinds[2] = T_CHAR;
    if (!strcmp(name, "string-fill!")) kinds[1] = T_CHAR;
  }
  /* a comparison checks its operands pair by pair (lower-pairwise.c) */
  for (int i = builtin_pairwise(b) ? 2 : n; i < n; i++) kinds[i] = T_ANY;
  if (builtin_pairwise(b) && n < 2) kinds[0] = T_ANY;
  int v[64];
  if (!operands(c, a, f, kinds, v)) return lw_void_expr(c, a->loc);
  if (builtin_pairwise(b) && n < 2) return kconst(c, T_BOOL, 1, a->loc);
  c->p->has_chars = true;
  if (!strcmp(name, "string-append")) return append(c, a, v, n);
  if (!strcmp(name, "list->string")) return list_to_string(c, a, v);
  if (!strcmp(name, "string->number")) return string_to_number(c, a, v, n);
  if (!strcmp(name, "substring") || !strcmp(name, "string-copy"))
    return copy_range(c, a, name, v, n);
  if (!strcmp(name, "make-string")) return make_string(c, a, v, n);
  if (!strcmp(name, "string")) return string_of(c, a, v, n);
  if (!strcmp(name, "string-upcase")) return change_case(c, a, v, true);
  if (!strcmp(name, "string-downcase")) return change_case(c, a, v, false);
  if (!strcmp(name, "number->string")) return number_to_string(c, a, v, n);
  if (!strcmp(name, "string-ref")) return string_ref(c, a, v);
  if (!strcmp(name, "string->list")) return to_list(c, a, v, n);
  if (!strcmp(name, "string-set!")) return string_set(c, a, v);
  if (!strcmp(name, "string-fill!")) return string_fill(c, a, v);
  for (int i = 0; compares[i]; i++)
    if (!strcmp(name, compares[i])) return comparison(c, a, name, v, n);
  lw_fail(c, a->loc, "internal error: %s has no lowering", name);
  return lw_void_expr(c, a->loc);
}

/* string-length and string-null? stay pure: a read of the block. */
ir_expr *lw_string_length(lw *c, ir_expr *s, bool null, srcloc loc) {
  ir_expr *o = lw_mk(c, X_PRIM, loc, 1);
  o->op = &string_object_op;
  o->a[0] = s;
  o->type = block_type(c);
  ir_expr *len = lw_mk(c, X_VLEN, loc, 1);
  len->a[0] = o;
  len->type = lw_new_type(c, T_INT);
  len->has_nat = true;
  len->nat = T_INT;
  if (!null) return len;
  return prim(c, "=", len, kconst(c, T_INT, 0, loc), T_BOOL, loc);
}

/* equal? where both operands may be strings (their classes are not known
 * to hold other kinds when the call is lowered): when both are strings
 * as the program runs, their characters are compared (a loop); else the
 * ordinary equal? (lw_prim), marked (ival 2) as never on two strings.
 * NULL: one operand is of another kind. */
static bool in_equal;

static bool may_be_string(lw *c, const ir_expr *e) {
  tkind k = ir_kind(c->p, e->type);
  return k == T_ANY || k == T_STR || k == T_DYN;
}

bool lw_may_be_string(lw *c, const ir_expr *e) { return may_be_string(c, e); }

ir_expr *lw_string_equal(lw *c, const ast *a, const builtin *b, ir_expr **args, srcloc loc) {
  if (in_equal || !may_be_string(c, args[0]) || !may_be_string(c, args[1])) return NULL;
  int x = assign_new(c, args[0], loc), y = assign_new(c, args[1], loc);
  int res = temp(c, loc);
  int l1 = lw_new_label(c), l2 = lw_new_label(c), other = lw_new_label(c), end = lw_new_label(c);
  branch(c, prim(c, "string?", var(c, x, loc), NULL, T_BOOL, loc), l1, other, loc);
  lw_label(c, l1, loc);
  branch(c, prim(c, "string?", var(c, y, loc), NULL, T_BOOL, loc), l2, other, loc);
  lw_label(c, l2, loc);
  int ux = assign_new(c, lw_retype(c, var(c, x, loc), T_STR), loc);
  int uy = assign_new(c, lw_retype(c, var(c, y, loc), T_STR), loc);
  c->p->has_chars = true;
  int r = compare(c, ux, uy, loc);
  lw_assign(c, res, prim(c, "=", var(c, r, loc), kconst(c, T_INT, 0, loc), T_BOOL, loc), loc);
  jump(c, end, loc);
  lw_label(c, other, loc);
  ir_expr *ops[2] = {var(c, x, loc), var(c, y, loc)};
  in_equal = true;
  ir_expr *e = lw_prim(c, a, b, ops, 2);
  in_equal = false;
  if (e->k == X_PRIM && e->op && !strcmp(e->op->name, "equal?")) e->ival = 2;
  lw_assign(c, res, e, loc);
  lw_label(c, end, loc);
  return var(c, res, loc);
}

/* symbol->string: the interned name's literal, from a table the prompt
 * writes (backend/mstrings.c): pure, one read. */
ir_expr *lw_symbol_name(lw *c, ir_expr *sym, srcloc loc) {
  ir_expr *e = lw_mk(c, X_PRIM, loc, 1);
  e->op = &symbol_name_op;
  e->a[0] = sym;
  e->type = lw_new_type(c, T_STR);
  e->has_nat = true;
  e->nat = T_STR;
  return e;
}

/* ---- for lang/lower-strings3.c (the SRFI-13 procedures) -------------- */

int ls_object(lw *c, int s, srcloc loc) { return object(c, s, loc); }
ir_expr *ls_length(lw *c, int o, srcloc loc) { return length_of(c, o, loc); }
ir_expr *ls_char_at(lw *c, int o, ir_expr *i, srcloc loc) { return char_at(c, o, i, loc); }
void ls_store(lw *c, int o, ir_expr *i, ir_expr *x, srcloc loc) { store(c, o, i, x, loc); }
int ls_new_block(lw *c, ir_expr *len, srcloc loc) { return new_block(c, len, NULL, loc); }
int ls_new_full_block(lw *c, ir_expr *len, srcloc loc) { return new_full_block(c, len, loc); }
ir_expr *ls_as_string(lw *c, int o, srcloc loc) { return as_string(c, o, loc); }
bool ls_operands(lw *c, const ast *a, frame_map *f, const tkind *kinds, int *v) {
  return operands(c, a, f, kinds, v);
}
ir_expr *ls_check_with(lw *c, ir_expr *e, tkind k, srcloc at, const char *msg) {
  return check_with(c, e, k, at, msg);
}
void ls_copy_chars(lw *c, int dst, int k, int src, int from, int to, srcloc loc) {
  copy_chars(c, dst, k, src, from, to, loc);
}
