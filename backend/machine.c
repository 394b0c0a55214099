/* machine.c - IR program -> steps -> gates -> model.
 *
 * Every PC is one step that emits one token (a long value: HI, VAL, then a
 * resync JUMP).  All steps are computed in parallel at every position;
 * the PC one-hot selects what is emitted.  State is never carried from
 * position to position: the PC comes from the latest JUMP token plus the
 * tokens since it, variables from the latest write to their address,
 * found by attention with parabolic keys.  docs/trace-format.md has the
 * whole design.
 */
#include "config.h"

#include "mbuild.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const role_names[R_NROLES] = {
  "VAL", "HI", "JUMP", "SYM", "STR", "NL", "PRINT", "RESULT", "HALT",
  "ERR", "BOS", "SETR", "SETM", "CALL"};

void mb_fail(mb *b, const char *fmt, ...) {
  if (b->failed) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->err, b->errlen, fmt, ap);
  va_end(ap);
  b->failed = true;
}

int mb_site(mb *b, const char *kind, srcloc loc, const char *fmt, ...) {
  strbuf s;
  sb_init(&s);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&s, fmt, ap);
  va_end(ap);
  for (int i = 0; i < b->p->sites.n; i++) {
    err_site *e = &b->p->sites.v[i];
    if (!e->value_follows && !strcmp(e->kind, kind) && !strcmp(e->msg, s.s) && e->loc.file == loc.file &&
        e->loc.line == loc.line && e->loc.col == loc.col) {
      sb_free(&s);
      return i;
    }
  }
  err_site e = {.kind = kind, .msg = sb_detach(&s), .loc = loc, .value_follows = false, .value_bare = false, .value_slots = false};
  VEC_PUSH(b->p->sites, e);
  return b->p->sites.n - 1;
}


/* ---- steps ---------------------------------------------------------- */

static mstmt *step(mb *b, mkind k, int fn, srcloc loc) {
  mstmt m;
  memset(&m, 0, sizeof m);
  m.k = k;
  m.fn = fn;
  m.loc = loc;
  m.l1 = m.l2 = -1;
  VEC_PUSH(b->ms, m);
  return &b->ms.v[b->ms.n - 1];
}

static void set_target(mb *b, mstmt *m, int var) {
  if (b->home[var].frame) {
    m->tgt = TGT_FRAME;
    m->off = b->home[var].off;
  } else {
    m->tgt = TGT_STATIC;
    m->addr = b->home[var].addr;
  }
}

ir_expr *mb_mkx(mb *b, x_kind k, int type, int n) {
  ir_expr *e = arena_alloc(&b->ir->mem, sizeof *e);
  e->k = k;
  e->type = type;
  e->n = n;
  e->a = n ? arena_alloc(&b->ir->mem, (size_t)n * sizeof(ir_expr *)) : NULL;
  return e;
}

int mb_int_type(mb *b) {
  ir_type t = {b->ir->types.n, T_INT, -1, -1, -1, {-1, 0, 0}, 0, false, false, 0};
  VEC_PUSH(b->ir->types, t);
  return b->ir->types.n - 1;
}

static int new_temp(mb *b, int type, const char *name) {
  ir_var v = {-1, VAR_TEMP, -1, NULL, type, true, {-1, 0, 0}, NULL};
  VEC_PUSH(b->ir->vars, v);
  int id = b->ir->vars.n - 1;
  b->home = xrealloc(b->home, (size_t)(id + 1) * sizeof(var_home));
  if (mb_print_frame_temp(b, id)) return id;   /* in a print routine */
  b->home[id].frame = false;
  b->home[id].addr = mb_new_cell(b, name, id, NULL, type);
  return id;
}

static ir_expr *var_ref(mb *b, int var) {
  ir_expr *e = mb_mkx(b, X_VAR, b->ir->vars.v[var].type, 0);
  e->var = var;
  return e;
}

ir_expr *mb_int_const(mb *b, int32_t k) {
  ir_expr *e = mb_mkx(b, X_CONST, mb_int_type(b), 0);
  e->ival = k;
  return e;
}

static ir_expr *binop(mb *b, const char *op, ir_expr *x, ir_expr *y) {
  ir_expr *e = mb_mkx(b, X_PRIM, mb_int_type(b), 2);
  e->op = builtin_find(op);
  e->a[0] = x;
  e->a[1] = y;
  if (e->op->result == VK_BOOL) {
    ir_type t = {b->ir->types.n, T_BOOL, -1, -1, -1, {-1, 0, 0}, 0, false, false, 0};
    VEC_PUSH(b->ir->types, t);
    e->type = b->ir->types.n - 1;
  }
  return e;
}

char *mb_describe(mb *b, const char *fmt, ...) TVL_PRINTF(2, 3);
char *mb_describe(mb *b, const char *fmt, ...) {
  (void)b;
  strbuf s;
  sb_init(&s);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&s, fmt, ap);
  va_end(ap);
  return sb_detach(&s);
}

static void display_value(mb *b, ir_expr *e, bool write, int fn, srcloc loc,
                          int depth);

static void display_vector(mb *b, ir_expr *e, bool write, int fn, srcloc loc,
                           int depth) {
  if (ir_is_rec(b->ir, e->type)) {   /* a record (mrecords.c) */
    mb_display_record(b, e, write, fn, loc, depth);
    return;
  }
  if (depth > 4) {
    mb_fail(b, "vectors nested more than 4 deep cannot be displayed");
    return;
  }
  int vt = e->type;
  if (ir_kind(b->ir, ir_elem_type(b->ir, vt)) == T_ANY) {
    /* no element of any kind ever goes into a vector of this class (a
     * literal #() in a list): every one is empty */
    mstmt *m = step(b, M_EVAL, fn, loc);
    m->val = e;
    m->what = mb_describe(b, "evaluate for errors");
    m = step(b, M_OUTSTR, fn, loc);
    m->konst = mb_str_const(b, "#()");
    return;
  }
  int v = new_temp(b, vt, "display:v");
  int i = new_temp(b, mb_int_type(b), "display:i");
  mstmt *m = step(b, M_WRITE, fn, loc);
  set_target(b, m, v);
  m->val = e;
  m->what = mb_describe(b, "display: take the vector");
  m = step(b, M_WRITE, fn, loc);
  set_target(b, m, i);
  m->val = mb_int_const(b, 0);
  m->what = mb_describe(b, "display: i := 0");
  m = step(b, M_OUTSTR, fn, loc);
  m->konst = mb_str_const(b, "#(");
  int head = b->ms.n;
  ir_expr *len = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
  len->a[0] = var_ref(b, v);
  m = step(b, M_BRANCH, fn, loc);
  m->val = binop(b, "<", var_ref(b, i), len);
  m->what = mb_describe(b, "display: more elements?");
  int branch = b->ms.n - 1;
  b->ms.v[branch].l1 = b->ms.n;
  b->ms.v[branch].l1_is_pc = true;
  /* a space before every element but the first */
  m = step(b, M_BRANCH, fn, loc);
  m->val = binop(b, ">", var_ref(b, i), mb_int_const(b, 0));
  int sp_branch = b->ms.n - 1;
  b->ms.v[sp_branch].l1 = b->ms.n;
  b->ms.v[sp_branch].l1_is_pc = true;
  m = step(b, M_OUTSTR, fn, loc);
  m->konst = mb_str_const(b, " ");
  b->ms.v[sp_branch].l2 = b->ms.n;
  b->ms.v[sp_branch].l2_is_pc = true;
  ir_expr *elem = mb_mkx(b, X_VREF, ir_elem_type(b->ir, vt), 2);
  elem->a[0] = var_ref(b, v);
  elem->a[1] = var_ref(b, i);
  display_value(b, elem, write, fn, loc, depth + 1);
  m = step(b, M_WRITE, fn, loc);
  set_target(b, m, i);
  m->val = binop(b, "+", var_ref(b, i), mb_int_const(b, 1));
  m->what = mb_describe(b, "display: i := i + 1");
  m = step(b, M_JUMP, fn, loc);
  m->l1 = head;
  m->l1_is_pc = true;
  b->ms.v[branch].l2 = b->ms.n;
  b->ms.v[branch].l2_is_pc = true;
  m = step(b, M_OUTSTR, fn, loc);
  m->konst = mb_str_const(b, ")");
}

static int kind_type(mb *b, tkind k) {
  ir_type t = {b->ir->types.n, k, -1, -1, -1, {-1, 0, 0}, 0, false, false, 0};
  VEC_PUSH(b->ir->types, t);
  return b->ir->types.n - 1;
}

/* The value of kind k inside tagged e, unchecked (the display's branches
 * have tested the tag). */
static ir_expr *untag(mb *b, ir_expr *e, tkind k) {
  ir_expr *x = mb_mkx(b, X_CHECK, kind_type(b, k), 1);
  x->a[0] = e;
  x->ival = k;
  x->var = -1;
  if (k == T_VEC || k == T_PAIR) ir_share_parts(b->ir, x->type, e->type);
  return x;
}

/* A branch to the next step when `test` holds; returns the step, whose
 * other target (l2) the caller fills in. */
static int branch_here(mb *b, ir_expr *test, int fn, srcloc loc, const char *what) {
  mstmt *m = step(b, M_BRANCH, fn, loc);
  m->val = test;
  m->what = mb_describe(b, "%s", what);
  int br = b->ms.n - 1;
  b->ms.v[br].l1 = b->ms.n;
  b->ms.v[br].l1_is_pc = true;
  return br;
}

static ir_expr *kind_pred(mb *b, const char *op, ir_expr *x) {
  ir_expr *e = mb_mkx(b, X_PRIM, kind_type(b, T_BOOL), 1);
  e->op = builtin_find(op);
  e->a[0] = x;
  return e;
}

/* for mreport.c */
mstmt *mb_step(mb *b, mkind k, int fn, srcloc loc) { return step(b, k, fn, loc); }
int mb_temp(mb *b, int type, const char *name) { return new_temp(b, type, name); }
ir_expr *mb_var_ref(mb *b, int var) { return var_ref(b, var); }
void mb_set_target(mb *b, mstmt *m, int var) { set_target(b, m, var); }
int mb_kind_type(mb *b, tkind k) { return kind_type(b, k); }

/* The empty list and pairs in the chain of display_tagged. */
static void display_tagged_lists(mb *b, ir_expr *e, bool write, int fn, srcloc loc,
                                 int depth, int *ends, int *nend) {
  int br = branch_here(b, kind_pred(b, "null?", e), fn, loc, "display: which kind?");
  mstmt *m = step(b, M_OUTSTR, fn, loc);
  m->konst = mb_str_const(b, "()");
  ends[(*nend)++] = b->ms.n;
  step(b, M_JUMP, fn, loc);
  b->ms.v[br].l2 = b->ms.n;
  b->ms.v[br].l2_is_pc = true;
  if (ir_pair_type(b->ir, e->type, false) < 0) return;
  br = branch_here(b, kind_pred(b, "pair?", e), fn, loc, "display: which kind?");
  display_value(b, untag(b, e, T_PAIR), write, fn, loc, depth);
  ends[(*nend)++] = b->ms.n;
  step(b, M_JUMP, fn, loc);
  b->ms.v[br].l2 = b->ms.n;
  b->ms.v[br].l2_is_pc = true;
}

/* display/write of a tagged value: a chain of tests of its tag, each
 * leading to the display of that kind, then a jump to the end. */
static void display_tagged(mb *b, ir_expr *e, bool write, int fn, srcloc loc,
                           int depth, bool lists) {
  if (e->k != X_VAR && e->k != X_CONST) {
    int t = new_temp(b, e->type, "display:x");
    mstmt *m = step(b, M_WRITE, fn, loc);
    set_target(b, m, t);
    m->val = e;
    m->what = mb_describe(b, "display: take the value");
    e = var_ref(b, t);
  }
  static const char *const pred[] = {"integer?", "vector?", "string?", "char?", NULL};
  static const tkind kinds[] = {T_INT, T_VEC, T_STR, T_CHAR};
  int ends[16], nend = 0;
  for (int i = 0; pred[i]; i++) {
    if (kinds[i] == T_VEC && ir_elem_type(b->ir, e->type) < 0) continue;
    if (kinds[i] == T_STR && !b->p->strs.n && !b->ir->has_rtstr) continue;
    if (kinds[i] == T_CHAR && !b->ir->has_chars) continue;
    int br = branch_here(b, kind_pred(b, pred[i], e), fn, loc, "display: which kind?");
    display_value(b, untag(b, e, kinds[i]), write, fn, loc, depth);
    ends[nend++] = b->ms.n;
    step(b, M_JUMP, fn, loc);
    b->ms.v[br].l2 = b->ms.n;
    b->ms.v[br].l2_is_pc = true;
  }
  if (b->ir->has_lists && lists) display_tagged_lists(b, e, write, fn, loc, depth, ends, &nend);
  if (b->ir->procs.n) {   /* procedures as values (mclosure.c) */
    int br = branch_here(b, kind_pred(b, "procedure?", e), fn, loc, "display: which kind?");
    display_value(b, untag(b, e, T_PROC), write, fn, loc, depth);
    ends[nend++] = b->ms.n;
    step(b, M_JUMP, fn, loc);
    b->ms.v[br].l2 = b->ms.n;
    b->ms.v[br].l2_is_pc = true;
  }
  if (b->ir->has_eof) {   /* the end-of-file object: the void tag's 1 (lang/lower-ports.c) */
    ir_expr *eof = mb_mkx(b, X_CONST, kind_type(b, T_VOID), 0);
    eof->has_nat = true;
    eof->nat = T_VOID;
    eof->ival = 1;
    ir_expr *is = mb_mkx(b, X_PRIM, kind_type(b, T_BOOL), 2);
    is->op = builtin_find("eqv?");
    is->a[0] = e;
    is->a[1] = eof;
    int bre = branch_here(b, is, fn, loc, "display: end of file?");
    mstmt *me = step(b, M_OUTSTR, fn, loc);
    me->konst = mb_str_const(b, "#<eof>");
    ends[nend++] = b->ms.n;
    step(b, M_JUMP, fn, loc);
    b->ms.v[bre].l2 = b->ms.n;
    b->ms.v[bre].l2_is_pc = true;
  }
  /* the unspecified value, else a boolean or a symbol */
  ir_expr *unspec = mb_mkx(b, X_CONST, kind_type(b, T_VOID), 0);
  unspec->has_nat = true;
  unspec->nat = T_VOID;
  ir_expr *eqv = mb_mkx(b, X_PRIM, kind_type(b, T_BOOL), 2);
  eqv->op = builtin_find("eqv?");
  eqv->a[0] = e;
  eqv->a[1] = unspec;
  int br = branch_here(b, eqv, fn, loc, "display: unspecified?");
  mstmt *m = step(b, M_OUTSTR, fn, loc);
  m->konst = mb_str_const(b, "#<unspecified>");
  ends[nend++] = b->ms.n;
  step(b, M_JUMP, fn, loc);
  b->ms.v[br].l2 = b->ms.n;
  b->ms.v[br].l2_is_pc = true;
  if (b->ir->has_rtsym) {   /* or a symbol made at run time (msymbols.c) */
    mb_display_symbol(b, untag(b, e, T_SYM), fn, loc);
  } else {
    m = step(b, M_OUTSYM, fn, loc);
    m->val = untag(b, e, T_SYM);
    m->out_kind = T_SYM;
    m->what = mb_describe(b, "print a boolean or a symbol");
  }
  for (int i = 0; i < nend; i++) {
    b->ms.v[ends[i]].l1 = b->ms.n;
    b->ms.v[ends[i]].l1_is_pc = true;
  }
}

/* A list, vector or tagged value nested deep, or of a class that holds
 * itself, is printed by a routine (mprint.c). */
static void display_value(mb *b, ir_expr *e, bool write, int fn, srcloc loc,
                          int depth) {
  int r = mb_print_enter(b, e, write, fn, loc, depth);
  if (r == 1) return;
  mb_display_inline(b, e, write, fn, loc, depth);
  if (r == 0) mb_print_leave(b);
}

void mb_display_inline(mb *b, ir_expr *e, bool write, int fn, srcloc loc,
                       int depth) {
  tkind k = ir_kind(b->ir, e->type);
  mstmt *m;
  switch (k) {
  case T_DYN:
    /* depth counts the vectors and lists around e (their display steps
     * are repeated for every level: a bound on the program's size) */
    if (depth > 6) {
      mb_fail(b, "values nested more than 6 deep cannot be displayed");
      return;
    }
    display_tagged(b, e, write, fn, loc, depth, true);
    return;
  case T_INT:
    m = step(b, M_MARK, fn, loc);
    m->mark = R_PRINT;
    m = step(b, M_OUTINT, fn, loc);
    m->val = e;
    m->what = mb_describe(b, "print an integer");
    return;
  case T_BOOL:
  case T_SYM:
    if (k == T_SYM && b->ir->has_rtsym && e->k != X_CONST) {   /* msymbols.c */
      mb_display_symbol(b, e, fn, loc);
      return;
    }
    m = step(b, M_OUTSYM, fn, loc);
    m->val = e;
    m->out_kind = k;
    m->what = mb_describe(b, "print %s", k == T_BOOL ? "a boolean" : "a symbol");
    return;
  case T_STR:
    if (e->k != X_CONST && b->ir->has_rtstr) {   /* mstrings.c */
      mb_display_string(b, e, write, fn, loc);
      return;
    }
    /* `write` quotes and escapes it when the host decodes the token */
    m = step(b, M_OUTSTR, fn, loc);
    m->val = e;
    m->write = write;
    m->what = mb_describe(b, write ? "write a string" : "print a string");
    return;
  case T_VEC:
    display_vector(b, e, write, fn, loc, depth);
    return;
  case T_CHAR:
    mb_display_char(b, e, write, fn, loc);
    return;
  case T_PAIR:
    mb_display_list(b, e, write, fn, loc, depth);
    return;
  case T_PROC:
    mb_display_proc(b, e, fn, loc);   /* mclosure.c */
    return;
  case T_NIL:
    if (e->k != X_CONST && e->k != X_VAR) {   /* its errors still count */
      m = step(b, M_EVAL, fn, loc);
      m->val = e;
      m->what = mb_describe(b, "evaluate for errors");
    }
    m = step(b, M_OUTSTR, fn, loc);
    m->konst = mb_str_const(b, "()");
    return;
  case T_VOID:
    if (e->k != X_CONST && e->k != X_VAR) {   /* its errors still count */
      m = step(b, M_EVAL, fn, loc);
      m->val = e;
      m->what = mb_describe(b, "evaluate for errors");
    }
    m = step(b, M_OUTSTR, fn, loc);
    m->konst = mb_str_const(b, "#<unspecified>");
    return;
  default:
    mb_display_unknown(b, e, fn, loc);   /* mprint.c */
  }
}

bool mb_display(mb *b, ir_expr *e, bool write, int fn, srcloc loc) {
  display_value(b, e, write, fn, loc, 0);
  return !b->failed;
}

bool mb_display_at(mb *b, ir_expr *e, bool write, int fn, srcloc loc, int depth) {
  display_value(b, e, write, fn, loc, depth);
  return !b->failed;
}

void mb_display_tail(mb *b, ir_expr *e, bool write, int fn, srcloc loc, int depth) {
  if (ir_kind(b->ir, e->type) == T_DYN) display_tagged(b, e, write, fn, loc, depth, false);
  else display_value(b, e, write, fn, loc, depth);
}

/* How many levels deeper than the caller's SP depth the callee of a call
 * (not a tail call) runs: at least one, so that a frame has room. */
static int call_rise(mb *b, const ir_stmt *s, int f) {
  int r = b->gap[f] + s->depth;
  return r < 1 ? 1 : r;
}

static void expand_call(mb *b, const ir_stmt *s, int f) {
  ir_prog *ir = b->ir;
  const ir_fn *G = &ir->fns.v[s->fn];
  const char *gname = sym_name(&b->p->w->syms, G->name);
  char buf[96];
  int32_t push = 0;
  if (!b->framed[s->fn]) {
    for (int i = 0; i < s->nargs; i++) {
      mstmt *m = step(b, M_WRITE, f, s->loc);
      set_target(b, m, G->params[i]);
      m->val = s->args[i];
      m->what = mb_describe(b, "call %s: argument %s", gname,
                         mb_var_name(b, G->params[i], buf, sizeof buf));
    }
    mstmt *m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_STATIC;
    m->addr = b->fn_ret_cell[s->fn];
    m->dcheck = call_rise(b, s, f);
    m->konst = b->ms.n + 1;   /* the step after the jump */
    m->l1 = b->ms.n + 1;      /* resolved like a PC constant */
    m->l1_is_pc = true;
    m->what = mb_describe(b, "call %s: return address", gname);
  } else {
    /* the frame goes `rise` frames up: SP then tells the callee's depth */
    int rise = call_rise(b, s, f);
    if (rise > b->max_push) b->max_push = rise;
    push = rise * b->frame_cells;
    for (int i = 0; i < s->nargs; i++) {
      mstmt *m = step(b, M_WRITE, f, s->loc);
      m->tgt = TGT_FRAME;
      m->off = push - b->frame_cells + 1 + i;
      m->val = s->args[i];
      m->what = mb_describe(b, "call %s: argument %s", gname,
                         mb_var_name(b, G->params[i], buf, sizeof buf));
    }
    mstmt *m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_FRAME;
    m->off = push - b->frame_cells;
    m->l1 = b->ms.n + 2;      /* after SP += and the jump */
    m->l1_is_pc = true;
    m->what = mb_describe(b, "call %s: return address", gname);
    m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_STATIC;
    m->addr = REG_SP;
    m->sp = SP_SP_ADD;
    m->konst = push;
    m->what = mb_describe(b, "call %s: push its frame", gname);
  }
  mstmt *m = step(b, M_JUMP, f, s->loc);
  m->l1 = -(s->fn + 1);       /* function entry, resolved later */
  m->what = mb_describe(b, "call %s", gname);
  if (b->framed[s->fn]) {
    m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_STATIC;
    m->addr = REG_SP;
    m->sp = SP_SP_ADD;
    m->konst = -push;
    m->what = mb_describe(b, "return from %s: pop its frame", gname);
  }
  if (s->var >= 0 && (b->var_reads[s->var] || ir->vars.v[s->var].cls != VAR_TEMP)) {
    m = step(b, M_WRITE, f, s->loc);
    set_target(b, m, s->var);
    ir_expr *rv = mb_mkx(b, X_VAR, ir->vars.v[s->var].type, 0);
    rv->var = -REG_RV;   /* the RV register */
    m->val = rv;
    m->what = mb_describe(b, "%s := value of %s",
                       mb_var_name(b, s->var, buf, sizeof buf), gname);
  }
}

/* Whether expression e reads the frame cell at offset `off` (from SP) of
 * function f's frame. */
static bool reads_frame_off(mb *b, const ir_expr *e, int32_t off) {
  if (!e) return false;
  if (e->k == X_VAR && e->var >= 0 && b->home[e->var].frame && b->home[e->var].off == off)
    return true;
  for (int i = 0; i < e->n; i++)
    if (reads_frame_off(b, e->a[i], off)) return true;
  return false;
}

/* Whether `t := call G(...)` followed by `ret` is a call in tail position
 * that can run without a new frame: the callee returns straight to the
 * caller's caller, so a chain of tail calls needs no depth, as in the
 * evaluator.  A frame can be reused when both have frames (every frame
 * has the same size); a callee without a frame needs only its return
 * cell set.  A caller without a frame calling one with a frame cannot
 * (its own caller would not pop the callee's frame). */
static bool is_tail_call(mb *b, const ir_stmt *s, const ir_stmt *ret, int f) {
  const ir_fn *F = &b->ir->fns.v[f];
  if (F->is_main || s->var < 0 || s->depth != 0 || ret->k != S_RETURN) return false;
  if (ret->a[0]->k != X_VAR || ret->a[0]->var != s->var) return false;
  return !b->framed[s->fn] || b->framed[f];
}

static void expand_tail_call(mb *b, const ir_stmt *s, int f) {
  ir_prog *ir = b->ir;
  const ir_fn *G = &ir->fns.v[s->fn];
  const char *gname = sym_name(&b->p->w->syms, G->name);
  char buf[96];
  mstmt *m;
  if (b->framed[s->fn]) {
    /* the arguments replace the caller's frame cells 1..n; if a later
     * argument reads a cell an earlier one overwrites, every argument goes
     * through a temporary first (in order: errors keep their order) */
    int32_t base = 1 - b->fn_frame[f];
    bool hazard = false;
    for (int k = 1; k < s->nargs && !hazard; k++)
      for (int j = 0; j < k && !hazard; j++)
        hazard = reads_frame_off(b, s->args[k], base + j);
    ir_expr *src[64];
    for (int i = 0; i < s->nargs; i++) {
      src[i] = s->args[i];
      if (!hazard) continue;
      int t = new_temp(b, s->args[i]->type, "tail call:arg");
      m = step(b, M_WRITE, f, s->loc);
      set_target(b, m, t);
      m->val = s->args[i];
      m->what = mb_describe(b, "tail call %s: argument %d", gname, i + 1);
      src[i] = var_ref(b, t);
    }
    for (int i = 0; i < s->nargs; i++) {
      m = step(b, M_WRITE, f, s->loc);
      m->tgt = TGT_FRAME;
      m->off = base + i;
      m->val = src[i];
      m->what = mb_describe(b, "tail call %s: argument %s", gname,
                            mb_var_name(b, G->params[i], buf, sizeof buf));
    }
  } else {
    for (int i = 0; i < s->nargs; i++) {
      m = step(b, M_WRITE, f, s->loc);
      set_target(b, m, G->params[i]);
      m->val = s->args[i];
      m->what = mb_describe(b, "tail call %s: argument %s", gname,
                            mb_var_name(b, G->params[i], buf, sizeof buf));
    }
    /* the callee returns where the caller would have */
    ir_expr *ret = mb_mkx(b, X_VAR, mb_int_type(b), 0);
    ret->var = b->framed[f] ? -1000000 - f : -b->fn_ret_cell[f];
    m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_STATIC;
    m->addr = b->fn_ret_cell[s->fn];
    m->val = ret;
    m->what = mb_describe(b, "tail call %s: return address", gname);
  }
  m = step(b, M_JUMP, f, s->loc);
  m->l1 = -(s->fn + 1);
  m->what = mb_describe(b, "tail call %s", gname);
}

/* A tool call: CALL k, one write per argument (the argument tokens),
 * then the result's write, whose tokens the host supplies after calling
 * the C function (docs/trace-format.md, "Tool calls"). */
static void expand_extcall(mb *b, const ir_stmt *s, int f) {
  mprog *p = b->p;
  int k = 0;
  while (k < p->externs.n && p->externs.v[k] != s->ext) k++;
  if (k == p->externs.n) VEC_PUSH(p->externs, s->ext);
  const char *name = sym_name(&p->w->syms, s->ext->ext->name);
  mstmt *m = step(b, M_CALL, f, s->loc);
  m->konst = k;
  m->tool = k + 1;
  m->what = mb_describe(b, "tool call %s", name);
  for (int i = 0; i < s->nargs; i++) {
    int a = new_temp(b, s->args[i]->type, "tool:arg");
    m = step(b, M_WRITE, f, s->loc);
    set_target(b, m, a);
    m->val = s->args[i];
    m->tool = k + 1;
    m->tool_arg = i;
    m->what = mb_describe(b, "tool call %s: argument %d", name, i + 1);
  }
  int site = mb_site(b, "extern", s->loc, "the call of %s failed", name);
  m = step(b, M_WRITE, f, s->loc);
  set_target(b, m, s->var);
  m->val = mb_int_const(b, 0);   /* never emitted: the host supplies it */
  m->tool = k + 1;
  m->tool_arg = -1;
  m->tool_site = site;
  m->what = mb_describe(b, "tool call %s: result (from the host)", name);
}

static void expand_stmt(mb *b, const ir_stmt *s, int f) {
  ir_prog *ir = b->ir;
  const ir_fn *F = &ir->fns.v[f];
  char buf[96];
  mstmt *m;
  switch (s->k) {
  case S_LABEL:
    b->fn_labels[f][s->l1] = b->ms.n;
    return;
  case S_ASSIGN:
    m = step(b, M_WRITE, f, s->loc);
    set_target(b, m, s->var);
    m->val = s->a[0];
    m->what = mb_describe(b, "%s := ...", mb_var_name(b, s->var, buf, sizeof buf));
    return;
  case S_EVAL:
    m = step(b, M_EVAL, f, s->loc);
    m->val = s->a[0];
    m->what = mb_describe(b, "evaluate for errors");
    return;
  case S_VSET:
    if (s->chain > 0) {   /* WADDR still holds the element s->chain back */
      m = step(b, M_WRITE, f, s->loc);
      m->tgt = TGT_WADDR;
      m->off = s->chain;
      m->val = s->a[2];
      m->what = mb_describe(b, "vector-set!: store at +%d", s->chain);
      return;
    }
    m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_STATIC;
    m->addr = REG_WADDR;
    m->sp = SP_VSET_ADDR;
    m->val = s->a[0];
    m->x1 = s->a[1];
    m->x2 = s->a[2];
    m->what = mb_describe(b, "vector-set!: element address");
    m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_WADDR;
    m->off = 0;
    m->val = s->a[2];
    m->what = mb_describe(b, "vector-set!: store");
    return;
  case S_MAKEVEC: {
    /* header (length, fill), then every element written, so that a read
     * never meets an unwritten cell: reads then need no fill value */
    int vt = ir->vars.v[s->var].type;
    int ft = s->nofill ? -1 : new_temp(b, s->a[1]->type, "make-vector:fill");
    int it = s->nofill ? -1 : new_temp(b, mb_int_type(b), "make-vector:i");
    m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_HP;
    m->off = 0;
    m->sp = SP_MAKEVEC_HDR;
    m->val = s->a[0];
    m->x1 = s->a[1];
    m->what = mb_describe(b, "make-vector: length");
    if (!s->nofill) {
      m = step(b, M_WRITE, f, s->loc);
      set_target(b, m, ft);
      m->val = s->a[1];
      m->what = mb_describe(b, "make-vector: fill value");
    }
    m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_HP;
    m->off = 1;
    m->val = s->nofill ? s->a[1] : var_ref(b, ft);
    m->what = mb_describe(b, "make-vector: fill");
    m = step(b, M_WRITE, f, s->loc);
    set_target(b, m, s->var);
    {
      ir_expr *hp = mb_mkx(b, X_VAR, vt, 0);
      hp->var = -REG_HP;
      m->val = hp;
    }
    m->what = mb_describe(b, "%s := new vector", mb_var_name(b, s->var, buf, sizeof buf));
    m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_STATIC;
    m->addr = REG_HP;
    m->sp = SP_HP_BUMP;
    m->val = s->a[0];
    m->what = mb_describe(b, "make-vector: allocate");
    if (s->nofill) return;   /* the lowering writes every element */
    m = step(b, M_WRITE, f, s->loc);
    set_target(b, m, it);
    m->val = mb_int_const(b, 0);
    m->what = mb_describe(b, "make-vector: i := 0");
    int head = b->ms.n;
    ir_expr *len = mb_mkx(b, X_VLEN, mb_int_type(b), 1);
    len->a[0] = var_ref(b, s->var);
    m = step(b, M_BRANCH, f, s->loc);
    m->val = binop(b, "<", var_ref(b, it), len);
    m->what = mb_describe(b, "make-vector: more elements?");
    int br = b->ms.n - 1;
    b->ms.v[br].l1 = b->ms.n;
    b->ms.v[br].l1_is_pc = true;
    m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_STATIC;
    m->addr = REG_WADDR;
    m->val = binop(b, "+", var_ref(b, s->var), binop(b, "+", var_ref(b, it), mb_int_const(b, 2)));
    m->what = mb_describe(b, "make-vector: element address");
    m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_WADDR;
    m->off = 0;
    m->val = var_ref(b, ft);
    m->what = mb_describe(b, "make-vector: store");
    m = step(b, M_WRITE, f, s->loc);
    set_target(b, m, it);
    m->val = binop(b, "+", var_ref(b, it), mb_int_const(b, 1));
    m->what = mb_describe(b, "make-vector: i := i + 1");
    m = step(b, M_JUMP, f, s->loc);
    m->l1 = head;
    m->l1_is_pc = true;
    b->ms.v[br].l2 = b->ms.n;
    b->ms.v[br].l2_is_pc = true;
    return;
  }
  case S_CALL:
    expand_call(b, s, f);
    return;
  case S_EXTCALL:
    expand_extcall(b, s, f);
    return;
  case S_RETURN:
    if (F->is_main && ir_kind(b->ir, s->a[0]->type) == T_ANY) {
      /* a value of no kind: no run reaches this return (an error or an
       * exit always comes first, lang/lower-error.c); its errors count */
      if (s->a[0]->k != X_CONST && s->a[0]->k != X_VAR) {
        m = step(b, M_EVAL, f, s->loc);
        m->val = s->a[0];
        m->what = mb_describe(b, "evaluate for errors");
      }
      m = step(b, M_MARK, f, s->loc);
      m->mark = R_HALT;
      return;
    }
    if (F->is_main) {
      /* one result cell for every return: the decoder reads it at HALT */
      if (!b->result_tmp) b->result_tmp = new_temp(b, s->a[0]->type, "result") + 1;
      int rc = b->result_tmp - 1;
      b->p->result_cell = b->home[rc].addr;
      m = step(b, M_WRITE, f, s->loc);
      set_target(b, m, rc);
      m->val = s->a[0];
      m->what = mb_describe(b, "result := ...");
      m = step(b, M_MARK, f, s->loc);
      m->mark = R_RESULT;
      display_value(b, var_ref(b, rc), true, f, s->loc, 0);
      m = step(b, M_MARK, f, s->loc);
      m->mark = R_HALT;
      return;
    }
    m = step(b, M_WRITE, f, s->loc);
    m->tgt = TGT_STATIC;
    m->addr = REG_RV;
    m->val = s->a[0];
    m->what = mb_describe(b, "return value");
    m = step(b, M_JUMPDYN, f, s->loc);
    if (b->framed[f]) {
      ir_expr *ret = mb_mkx(b, X_VAR, mb_int_type(b), 0);
      ret->var = -1000000 - f;   /* frame slot 0 of f */
      m->val = ret;
    } else {
      ir_expr *ret = mb_mkx(b, X_VAR, mb_int_type(b), 0);
      ret->var = -b->fn_ret_cell[f];
      m->val = ret;
    }
    m->what = mb_describe(b, "return");
    return;
  case S_DISPLAY: {
    ir_expr *x = s->a[0];
    if (mb_print_needs_walk(b, x)) {   /* mprint.c: a tree that may be cyclic */
      if (x->k != X_VAR && x->k != X_CONST) {
        int t = new_temp(b, x->type, "display:x");
        m = step(b, M_WRITE, f, s->loc);
        set_target(b, m, t);
        m->val = x;
        m->what = mb_describe(b, "display: take the value");
        x = var_ref(b, t);
      }
      int start = mb_print_silent(b, true);
      display_value(b, x, s->write, f, s->loc, 0);
      mb_print_silence(b, start);
    }
    display_value(b, x, s->write, f, s->loc, 0);
    return;
  }
  case S_NEWLINE:
    m = step(b, M_MARK, f, s->loc);
    m->mark = R_NL;
    return;
  case S_BRANCH:
    if (ir_kind(ir, s->a[0]->type) == T_DYN) {
      /* if (not c) goto l2 else l1 */
      ir_expr *nc = mb_mkx(b, X_NOT, kind_type(b, T_BOOL), 1);
      nc->a[0] = s->a[0];
      m = step(b, M_BRANCH, f, s->loc);
      m->val = nc;
      m->l1 = s->l2;
      m->l2 = s->l1;
      m->what = mb_describe(b, "branch");
      return;
    }
    if (ir_kind(ir, s->a[0]->type) != T_BOOL) {
      /* a test that is never #f still runs for its errors (an unbound
       * name, a division by zero) before the branch it always takes */
      if (s->a[0]->k != X_CONST && s->a[0]->k != X_VAR) {
        m = step(b, M_EVAL, f, s->loc);
        m->val = s->a[0];
        m->what = mb_describe(b, "evaluate the test for errors");
      }
      m = step(b, M_JUMP, f, s->loc);
      m->l1 = s->l1;
      return;
    }
    m = step(b, M_BRANCH, f, s->loc);
    m->val = s->a[0];
    m->l1 = s->l1;
    m->l2 = s->l2;
    m->what = mb_describe(b, "branch");
    return;
  case S_JUMP:
    m = step(b, M_JUMP, f, s->loc);
    m->l1 = s->l1;
    return;
  case S_CONS:
    mb_expand_cons(b, s, f);
    return;
  case S_PSET:
    mb_expand_pset(b, s, f);
    return;
  case S_EQUAL:
    mb_expand_equal(b, s, f);
    return;
  case S_ERRTEXT:
    mb_expand_errtext(b, s, f);
    return;
  case S_CLOSURE:
    mb_expand_closure(b, s, f);   /* mclosure.c */
    return;
  case S_CCSET: case S_ESCAPE:
    mb_expand_callcc(b, s, f);   /* mcallcc.c */
    return;
  case S_CALLV:   /* expanded by the lowering (lang/lower-closure.c) */
    mb_fail(b, "internal error: a call through a value was not expanded");
    return;
  }
}

/* Turns label references into PCs. */
static int32_t resolve(mb *b, const mstmt *m, int label, bool is_pc) {
  if (is_pc) return label;
  if (label < 0) return b->fn_entry_label[-label - 1];
  return b->fn_labels[m->fn][label];
}

static void count_reads(mb *b, const ir_expr *e) {
  if (!e) return;
  if (e->k == X_VAR && e->var >= 0) b->var_reads[e->var]++;
  for (int i = 0; i < e->n; i++) count_reads(b, e->a[i]);
}

static void expand_program(mb *b) {
  ir_prog *ir = b->ir;
  b->var_reads = xcalloc((size_t)ir->vars.n + 1, sizeof(int));
  for (int f = 0; f < ir->fns.n; f++)
    for (int i = 0; i < ir->fns.v[f].body.n; i++) {
      const ir_stmt *st = &ir->fns.v[f].body.v[i];
      for (int k = 0; k < 3; k++) count_reads(b, st->a[k]);
      for (int k = 0; k < st->nargs; k++) count_reads(b, st->args[k]);
    }
  b->fn_entry_label = xcalloc((size_t)ir->fns.n, sizeof(int));
  b->fn_labels = xcalloc((size_t)ir->fns.n, sizeof(int *));
  for (int f = 0; f < ir->fns.n; f++)
    b->fn_labels[f] = xcalloc((size_t)ir->fns.v[f].nlabels + 1, sizeof(int));
  /* main first: its entry is PC 0 */
  for (int pass = 0; pass < ir->fns.n; pass++) {
    int f = pass == 0 ? ir->main_fn : (pass <= ir->main_fn ? pass - 1 : pass);
    b->fn_entry_label[f] = b->ms.n;
    const ir_fn *F = &ir->fns.v[f];
    for (int i = 0; i < F->body.n && !b->failed; i++) {
      const ir_stmt *st = &F->body.v[i];
      if (st->k == S_CALL && i + 1 < F->body.n && mb_tail_shape(ir, st, st + 1, f) &&
          is_tail_call(b, st, st + 1, f)) {
        expand_tail_call(b, st, f);
        i++;   /* the return: the callee's own return does it */
        continue;
      }
      expand_stmt(b, st, f);
    }
  }
  if (!b->failed) mb_build_reports(b);
  if (!b->failed) mb_print_routines(b);   /* mprint.c */
  for (int i = 0; i < b->ms.n; i++) {
    mstmt *m = &b->ms.v[i];
    if (m->l1 != -1 || m->l1_is_pc) {
      m->konst = resolve(b, m, m->l1, m->l1_is_pc);
      m->konst_pc = true;
    }
    if (m->k == M_BRANCH) {
      m->konst = resolve(b, m, m->l1, m->l1_is_pc);
      m->l2 = resolve(b, m, m->l2, m->l2_is_pc);
      m->konst_pc = true;
    }
  }
  mb_mark_landings(b);   /* mcatch.c */
  mb_optimize_steps(b);
  mb_find_reports(b);
  mb_find_landings(b);
  b->p->npc = b->ms.n;
  b->p->entry_pc = 0;
}

/* ---- per-step code -------------------------------------------------- */

static cval step_value(mb *b, const mstmt *m, int s) {
  gate_graph *gg = b->gg;
  if (m->dcheck > 0) {
    int site = mb_depth_site(b, m->loc);
    mx_flag(b, mb_depth_flag(b, m->fn, m->dcheck), site);
  }
  switch (m->sp) {
  case SP_ERRREG:   /* set in build_output (mreport2.c) */
    return mx_const(b, 0);
  case SP_VSET_ADDR: {
    mx_operands(b, (const ir_expr *const[]){m->val, m->x1, m->x2}, 3);
    cval v = mx_expr(b, m->val);
    cval i = mx_expr(b, m->x1);
    (void)mx_expr(b, m->x2);   /* its errors come before the bounds check */
    gform waddr;
    cval len = mx_read_dyn(b, v, &waddr, 0, ADDR_MAX, "vector length");
    gform bad = gf_add(gg, gf_gate(gg, gg_step(gg, "index < 0", gf_scale(gg, i.f, -1))),
                       gf_gate(gg, gg_step(gg, "index >= length",
                                           gf_addk(gg, gf_axpy(gg, i.f, -1, len.f), 1))));
    if (!mx_catch_vset_flag(b, bad, m->x1))   /* a catch may take it: mcatch.c */
      mx_bounds_flag(b, bad, "vector-set!", m->x1->loc, i, len, m->x1, "vset");
    cval a = {gf_addk(gg, gf_add(gg, v.f, i.f), 2), v.lo + i.lo + 2, v.hi + i.hi + 2, false};
    if (a.lo < 0) a.lo = 0;
    if (a.hi > ADDR_MAX) a.hi = ADDR_MAX;
    return a;
  }
  case SP_MAKEVEC_HDR: {
    mx_operands(b, (const ir_expr *const[]){m->val, m->x1}, 2);
    cval n = mx_expr(b, m->val);
    (void)mx_expr(b, m->x1);
    double nk;
    int neg = gf_is_const(n.f, &nk)
                  ? mb_site(b, "bounds", m->val->loc,
                            "make-vector: the length must not be negative (%.0f)", nk)
                  : mb_host_site(b, mb_site(b, "bounds", m->val->loc,
                                            "make-vector: the length must not be negative"),
                                 NULL, "make-vector: the length must not be negative (\001)",
                                 (const ir_expr *const[]){m->val}, 1);   /* mhostval.c */
    mx_vflag(b, gf_gate(gg, gg_step(gg, "length < 0", gf_scale(gg, n.f, -1))), neg, m->val,
             "makevec");
    int mem = b->p->heap_capped
                  ? mb_site(b, "memory", m->loc,
                            "out of memory: the vectors need more than the %d "
                            "cells compiled code can address",
                            (int)(b->p->heap_end - b->p->heap_base))
                  : mb_site(b, "memory", m->loc,
                            "out of memory: vectors would need more than %lld "
                            "cells (raise the limit with --max-heap or :limit heap)",
                            (long long)b->p->max_heap);
    gform room = gf_addk(gg, gf_axpy(gg, gf_add(gg, b->hp, n.f), 1, gf_const(gg, 0)),
                         2 - (double)b->p->heap_end);
    mx_flag(b, gf_gate(gg, gg_step(gg, "heap full", room)), mem);
    return n;
  }
  case SP_HP_BUMP: {
    cval n = mx_expr(b, m->val);
    cval r = {gf_addk(gg, gf_add(gg, b->hp, n.f), 2), 0, ADDR_MAX, false};
    return r;
  }
  case SP_CONS:
    return mb_cons_value(b, m);
  case SP_PSET_ADDR:
    return mb_pset_addr(b, m);
  case SP_PRINT_PUSH:
    return mb_print_push(b, m);
  case SP_SP_ADD: {
    cval r = {gf_addk(gg, b->sp, m->konst), 0, ADDR_MAX, false};
    if (m->konst > 0) {
      int site = mb_depth_site(b, m->loc);
      mx_flag(b, mb_depth_flag(b, m->fn, m->konst / b->frame_cells), site);
    }
    return r;
  }
  default:
    break;
  }
  if (m->val) return mx_expr(b, m->val);
  (void)s;
  return mx_const(b, m->konst);
}

static void gen_step(mb *b, int s) {
  gate_graph *gg = b->gg;
  mstmt *m = &b->ms.v[s];
  b->cur_step = s;
  mx_step_begin(b);
  b->flags.n = 0;
  b->guard = gf_const(gg, 0);
  b->nguard = 0;
  gform v = gf_const(gg, 0);
  double lo = 0, hi = 0;
  switch (m->k) {
  case M_WRITE:
  case M_OUTINT:
  case M_JUMPDYN:
  case M_OUTSYM:
  case M_OUTSTR:
  case M_CALL: {
    if ((m->k == M_OUTSTR || m->k == M_CALL) && !m->val) {
      v = gf_const(gg, m->konst);
      lo = hi = m->konst;
      break;
    }
    cval c = step_value(b, m, s);
    v = c.f;
    lo = c.lo;
    hi = c.hi;
    if (m->k == M_OUTSYM) v = gf_addk(gg, v, m->sym_offset);
    break;
  }
  case M_EVAL:
    if (m->sp == SP_FAIL) mx_flag(b, gf_const(gg, 1), m->konst);
    else if (m->sp == SP_FAILV) mx_fail_at(b, m->val);   /* mvreport.c */
    else if (m->sp == SP_ERRREG) mx_ereg_fail(b);        /* mreport2.c */
    else (void)mx_expr(b, m->val);
    v = gf_const(gg, s + 1);
    lo = hi = s + 1;
    break;
  case M_JUMP:
    v = gf_const(gg, m->konst);
    lo = hi = m->konst;
    break;
  case M_BRANCH: {
    cval c = mx_expr(b, m->val);
    v = gf_add(gg, gf_const(gg, m->l2), gf_scale(gg, c.f, (double)m->konst - m->l2));
    lo = fmin(m->konst, m->l2);
    hi = fmax(m->konst, m->l2);
    break;
  }
  case M_MARK:
    break;
  }
  b->step_val[s] = v;
  /* [value fits one token] for steps that may emit HI */
  if (m->k == M_WRITE || m->k == M_OUTINT) {
    if (lo >= SHORT_MIN && hi <= SHORT_MAX) {
      b->step_short[s] = gf_const(gg, 1);
    } else {
      cval c = {v, lo, hi, false};
      b->step_short[s] = mx_in_range(b, c, SHORT_MIN, SHORT_MAX);
    }
    /* a written value must be a 32-bit integer of its kind: it is */
  }
  for (int i = 0; i < b->flags.n; i++) VEC_PUSH(b->step_flags[s], b->flags.v[i]);
}

/* ---- output --------------------------------------------------------- */

/* A flag that counts: raised, all its guards hold, and its step is the
 * running one.  Only the running step computes on the values it meant to
 * read; any other step sees whatever the shared heads returned, so its
 * "booleans" may be any 32-bit integer.  One unit, with the step gate
 * weighted by GARBAGE_GATE (more than any such value can add), turns all
 * of that into an exact 0 and keeps the running step's flag exact. */
#define GARBAGE_GATE 17592186044416.0   /* 2^44 */

static gform guarded(mb *b, const eflag *f, gform C, const char *name) {
  gate_graph *gg = b->gg;
  /* a flag is at most 2 (two exclusive steps that garbage made both
   * true); a missing guard takes away 4 */
  gform arg = gf_add(gg, f->flag, gf_scale(gg, gf_addk(gg, f->guard, -(double)f->nguard), 4));
  arg = gf_add(gg, arg, gf_scale(gg, gf_addk(gg, C, -1), GARBAGE_GATE));
  gunit u = {1, arg, gf_const(gg, 1)};
  return gf_gate(gg, gg_ffn(gg, name, &u, 1, 0, 1));
}

static void build_output(mb *b) {
  gate_graph *gg = b->gg;
  int npc = b->p->npc;
  VEC(gunit) rv = {0}, sel[R_NROLES], eu = {0}, ev = {0};
  memset(sel, 0, sizeof sel);
  gform hi = gf_gate(gg, b->g_hi);
  mb_build_eregs(b);   /* mreport2.c */
  /* the one-hots of the steps that run at a LO position (after_long) */
  gform merged = gf_const(gg, 0);
  b->after_long = xcalloc((size_t)npc + 1, sizeof *b->after_long);
  for (int s = 0; s < npc && !gg->failed; s++) {
    const mstmt *m = &b->ms.v[s];
    gform C = mb_onehot(b, s);
    /* guarded flags of this step, and their sum: every one of them (a
     * step may raise many, e.g. the 64 checked products of an expt) */
    int nf = b->step_flags[s].n;
    gform *gflag = xmalloc((size_t)(nf + 1) * sizeof *gflag);
    gform any = gf_const(gg, 0);
    for (int i = 0; i < nf; i++) {
      gflag[i] = guarded(b, &b->step_flags[s].v[i], C, "guarded error");
      any = gf_add(gg, any, gflag[i]);
    }
    /* first error in order wins.  A guarded flag is 0/1 until an earlier
     * flag of the step is raised: after a failed kind check the step
     * computes on a value of the wrong kind, and a flag that sums
     * exclusive tests (index < 0, index >= length) may then be 2; so an
     * earlier raised flag weighs more than any later flag can. */
    double wprior = 1;
    for (int i = 0; i < nf; i++) {
      double flo, fhi;
      gf_range(gg, b->step_flags[s].v[i].flag, &flo, &fhi);
      if (fhi > wprior) wprior = fhi;
    }
    gform prior = gf_const(gg, 0);
    for (int i = 0; i < nf; i++) {
      gform arg = gf_addk(gg, gf_add(gg, gf_axpy(gg, gflag[i], -wprior, prior),
                                     gf_add(gg, C, b->nrm)), -2);
      gunit u = {1, arg, gf_const(gg, 1)};
      int jump = b->step_flags[s].v[i].jump;
      if (jump > 0) {
        /* a kind error with a report: the step jumps to it */
        VEC_PUSH(sel[R_JUMP], u);
        gunit w = {(double)(jump - 1), arg, gf_const(gg, 1)};
        VEC_PUSH(rv, w);
      } else {
        VEC_PUSH(eu, u);
        const eflag *fl = &b->step_flags[s].v[i];
        gunit w = fl->has_sitef ? (gunit){1, arg, fl->sitef}
                                : (gunit){(double)fl->site, arg, gf_const(gg, 1)};
        VEC_PUSH(ev, w);
      }
      prior = gf_add(gg, prior, gflag[i]);
    }
    free(gflag);
    /* A jump that can raise no error also runs at a LO position (the
     * last token of the long value the step before it wrote, where the
     * PC is already its own): its JUMP re-anchors the PC as the resync
     * would, one token fewer.  The LO position chooses the JUMP role
     * (its bonus); the value is this step's target instead of cur. */
    bool after_long = nf == 0 && (m->k == M_JUMP || m->k == M_BRANCH || m->k == M_JUMPDYN ||
                                  m->k == M_EVAL);
    b->after_long[s] = after_long;
    if (after_long) merged = gf_add(gg, merged, C);
    /* the emitted value, when this step runs, is not a LO (unless it
     * runs there) and no error */
    double vlo, vhi;
    gf_range(gg, b->step_val[s], &vlo, &vhi);
    if (vlo != 0 || vhi != 0) {
      gform g = after_long ? C : gf_axpy(gg, C, -1, b->lo);
      gunit u = {1, gf_axpy(gg, g, -1, any), b->step_val[s]};
      VEC_PUSH(rv, u);
    }
    gform base = gf_addk(gg, gf_axpy(gg, gf_add(gg, C, b->nrm), -1, any), -1);
    switch (m->k) {
    case M_WRITE:
    case M_OUTINT: {
      gunit us = {1, gf_addk(gg, gf_add(gg, base, b->step_short[s]), -1), gf_const(gg, 1)};
      VEC_PUSH(sel[R_VAL], us);
      /* C counted twice: where the step does not run, the gate's upper
       * bound is <= 0 although [fits one token] ranges over [-1, 1] by
       * interval bounds (it is 0 or 1), so the routing proof owns it */
      gunit uh = {1, gf_addk(gg, gf_axpy(gg, gf_add(gg, base, C), -1, b->step_short[s]), -1),
                  gf_const(gg, 1)};
      VEC_PUSH(sel[R_HI], uh);
      break;
    }
    case M_EVAL:
    case M_JUMP:
    case M_BRANCH:
    case M_JUMPDYN: {
      gunit u = {1, base, gf_const(gg, 1)};
      VEC_PUSH(sel[R_JUMP], u);
      break;
    }
    case M_OUTSYM: {
      gunit u = {1, base, gf_const(gg, 1)};
      VEC_PUSH(sel[R_SYM], u);
      break;
    }
    case M_OUTSTR:
    case M_CALL: {
      gunit u = {1, base, gf_const(gg, 1)};
      VEC_PUSH(sel[m->k == M_CALL ? R_CALL : R_STR], u);
      break;
    }
    case M_MARK: {
      gunit u = {1, base, gf_const(gg, 1)};
      VEC_PUSH(sel[m->mark], u);
      break;
    }
    }
  }
  /* LO positions emit the resync JUMP(cur), unless the step at cur runs
   * there; HI positions the low chunk */
  gunit lo_cur = {1, gf_axpy(gg, b->lo, -1, merged), b->cur};
  VEC_PUSH(rv, lo_cur);
  int rgate = gg_ffn(gg, "emitted value", rv.v, rv.n, -4294967296.0, 4294967296.0);
  gform r = gf_add(gg, gf_gate(gg, rgate),
                   gf_axpy(gg, gf_scale(gg, gf_gate(gg, b->g_hival), -65536), -32768, hi));
  int selg[R_NROLES];
  for (int k = 0; k < R_NROLES; k++) selg[k] = -1;
  for (int k = 0; k < R_NROLES; k++) {
    if (!sel[k].n) continue;
    char name[32];
    snprintf(name, sizeof name, "emit %s", role_names[k]);
    selg[k] = gg_ffn(gg, name, sel[k].v, sel[k].n, 0, 1);
  }
  int errg = eu.n ? gg_ffn(gg, "emit ERR", eu.v, eu.n, 0, 1) : -1;
  int errv = ev.n ? gg_ffn(gg, "error site", ev.v, ev.n, 0, b->p->sites.n + 1) : -1;
  for (int k = 0; k < R_NROLES; k++) VEC_FREE(sel[k]);
  VEC_FREE(rv);
  VEC_FREE(eu);
  VEC_FREE(ev);
  /* output columns: bonus, linear, quadratic per role */
  gform one = gf_const(gg, 1);
  for (int k = 0; k < R_NROLES; k++) {
    gform bonus = gf_const(gg, 0);
    if (selg[k] >= 0) bonus = gf_scale(gg, gf_gate(gg, selg[k]), BONUS);
    if (k == R_VAL) bonus = gf_axpy(gg, bonus, BONUS, hi);
    if (k == R_JUMP) bonus = gf_axpy(gg, bonus, BONUS, b->lo);
    if (k == R_ERR && errg >= 0) bonus = gf_scale(gg, gf_gate(gg, errg), BONUS);
    gform lin = gf_const(gg, 0), quad = gf_const(gg, 0);
    switch (k) {
    case R_VAL: case R_SYM: case R_STR: case R_JUMP: case R_CALL:
      lin = gf_scale(gg, r, 2);
      quad = gf_scale(gg, one, -1);
      break;
    case R_HI:
      lin = gf_addk(gg, gf_scale(gg, r, 2), -65535);
      quad = gf_scale(gg, one, -65536);
      break;
    case R_ERR:
      if (errv >= 0) {
        lin = gf_scale(gg, gf_gate(gg, errv), 2);
        quad = gf_scale(gg, one, -1);
      }
      break;
    default:
      break;
    }
    gg->out[3 * k] = bonus;
    gg->out[3 * k + 1] = lin;
    gg->out[3 * k + 2] = quad;
  }
}

/* ---- vocabulary ----------------------------------------------------- */

/* The largest high chunk: tagged values lie above 32 bits' range. */
double machine_hi_max(const mprog *p) {
  return p->dyn ? floor(DYN_MAX / 65536.0) : SHORT_MAX;
}

static void make_vocab(mprog *p) {
  struct { role r; int count; int64_t v0; bool stop; } spec[R_NROLES] = {
    {R_VAL, 65536, SHORT_MIN, false},
    {R_HI, (int)(machine_hi_max(p) - SHORT_MIN + 1), SHORT_MIN, false},
    {R_JUMP, p->npc + 1, 0, false},   {R_SYM, p->syms.n + 2, 0, false},
    {R_STR, p->strs.n ? p->strs.n : 1, 0, false},
    {R_NL, 1, 0, false},              {R_PRINT, 1, 0, false},
    {R_RESULT, 1, 0, false},          {R_HALT, 1, 0, true},
    {R_ERR, p->sites.n ? p->sites.n : 1, 0, true},
    {R_BOS, 1, 0, false},             {R_SETR, p->cells.n + 1, 0, false},
    {R_SETM, 1, 0, false},
    {R_CALL, p->externs.n ? p->externs.n : 1, 0, false}};
  int first = 0;
  for (int k = 0; k < R_NROLES; k++) {
    vocab_range *v = &p->ranges[k];
    memset(v, 0, sizeof *v);
    snprintf(v->role, sizeof v->role, "%s", role_names[k]);
    v->first = first;
    v->count = spec[k].count;
    v->value0 = spec[k].v0;
    v->stop = spec[k].stop;
    first += v->count;
  }
}

/* ---- driver --------------------------------------------------------- */

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void fill_step_info(mb *b) {
  mprog *p = b->p;
  p->steps = xcalloc((size_t)p->npc + 1, sizeof(mstep_info));
  for (int s = 0; s < p->npc; s++) {
    const mstmt *m = &b->ms.v[s];
    mstep_info *i = &p->steps[s];
    i->k = m->k;
    i->mark = m->mark;
    i->tgt = m->tgt;
    i->addr = m->addr;
    i->off = m->off;
    i->target = m->konst;
    i->target2 = m->l2;
    i->out_kind = m->out_kind;
    i->what = m->what ? m->what : NULL;
    i->loc = m->loc;
    if (m->k == M_OUTSYM && m->val) i->out_kind = ir_kind(b->ir, m->val->type);
    i->val_kind = m->val ? ir_kind(b->ir, m->val->type) : T_ANY;
    i->write = m->write;
    i->tool = m->tool;
    i->tool_arg = m->tool_arg;
    i->tool_site = m->tool_site;
    i->errval = m->errval;
    i->after_long = b->after_long && b->after_long[s];
    if (m->k == M_OUTINT && m->sp == SP_ERRREG && m->konst >> 4 == 1) i->digits = 9;   /* mreport3.c */
  }
}

/* The residual slots where read values appear, named by what they read. */
static void build_slotmap(mb *b) {
  mprog *p = b->p;
  for (int i = 0; i < b->heads.n; i++) {
    const phys_head *h = &b->heads.v[i];
    int out = gg_hout(b->gg, h->head, 0);
    int slot = p->pl.slot[out];
    if (slot < 0) continue;
    for (int u = 0; u < h->users.n; u++) {
      const char *label = h->users.v[u].label;
      if (!label[0] || !strncmp(label, "display:", 8) || !strcmp(label, "result") ||
          !strncmp(label, "ret:", 4))
        continue;
      int pc = h->users.v[u].step;
      bool seen = false;
      for (int k = 0; k < p->slotmap.n; k++)
        seen |= !strcmp(p->slotmap.v[k].label, label) && p->slotmap.v[k].slot == slot &&
                p->slotmap.v[k].pc == pc;
      if (seen) continue;
      struct slotref r = {xstrdup(label), slot, p->pl.time[h->head] / 2, pc};
      VEC_PUSH(p->slotmap, r);
    }
  }
}

static void mb_free(mb *b) {
  mb_print_free(b);
  free(b->sym_rev);
  for (int i = 0; i < b->ms.n; i++)
    if (b->p && b->p->steps == NULL) free(b->ms.v[i].what);
  VEC_FREE(b->ms);
  free(b->home);
  free(b->fn_frame);
  free(b->framed);
  free(b->gap);
  free(b->fn_entry_label);
  free(b->landing_pc);
  free(b->fn_ret_cell);
  free(b->var_reads);
  if (b->fn_labels)
    for (int f = 0; f < b->ir->fns.n; f++) free(b->fn_labels[f]);
  free(b->fn_labels);
  if (b->gg) b->gg->n_route = 0;   /* its families are freed here */
  free(b->cstep);
  free(b->ostep);
  for (int i = 0; i < b->heads.n; i++) VEC_FREE(b->heads.v[i].users);
  VEC_FREE(b->heads);
  VEC_FREE(b->flags);
  VEC_FREE(b->reports);
  mx_step_begin(b);
  VEC_FREE(b->memo);
  VEC_FREE(b->divs);
  VEC_FREE(b->eroutines);
  if (b->step_flags)
    for (int s = 0; s < b->p->npc; s++) VEC_FREE(b->step_flags[s]);
  free(b->step_flags);
  free(b->step_val);
  free(b->step_short);
  free(b->after_long);
}

mprog *machine_compile(ir_prog *ir, const sched_opts *opts, char *err,
                       size_t errlen) {
  double t0 = now_ms();
  mprog *p = xcalloc(1, sizeof *p);
  p->w = ir->w;
  p->ir = ir;
  p->dyn = ir->has_dyn;
  mb b;
  memset(&b, 0, sizeof b);
  b.p = p;
  b.ir = ir;
  b.err = err;
  b.errlen = errlen;
  b.gg = &p->gg;
  /* the listing first: the build renumbers symbol and string constants
   * in place (collect_constants) */
  strbuf listing;
  sb_init(&listing);
  ir_dump(ir, &listing);
  p->ir_text = sb_detach(&listing);
  mb_collect_constants(&b);
  mb_analyse_depth(&b);
  mb_layout_vars(&b);
  if (!b.failed) expand_program(&b);
  /* after the steps, which add temporaries */
  if (!b.failed) mb_layout_memory(&b);
  tkind mk = ir_kind(ir, ir->main_type);
  p->main_type_kind = mk;
  p->main_elem_kind = mk == T_VEC ? ir_kind(ir, ir_elem_type(ir, ir->main_type)) : T_ANY;
  for (int i = 0; i < ir->fns.v[ir->main_fn].nparams; i++)
    VEC_PUSH(p->main_params, b.home[ir->fns.v[ir->main_fn].params[i]].addr);
  if (b.failed) goto fail;
  gg_init(b.gg, R_NROLES);
  gg_share_on(b.gg);   /* gshare.c */
  mb_build_pc(&b);
  /* the SETM indicator of the token two back, for memory keys */
  int setm_gate = -1;
  for (int g = 0; g < b.gg->g.n; g++)
    if (b.gg->g.v[g].type == GT_HOUT && !strcmp(b.gg->g.v[g].name, "token 2 back.2"))
      setm_gate = g;
  mb_build_memory_keys(&b, setm_gate);
  b.step_val = xcalloc((size_t)p->npc + 1, sizeof(gform));
  b.step_short = xcalloc((size_t)p->npc + 1, sizeof(gform));
  b.step_flags = xcalloc((size_t)p->npc + 1, sizeof(*b.step_flags));
  for (int s = 0; s < p->npc && !b.failed && !b.gg->failed; s++) gen_step(&b, s);
  if (!b.failed && !b.gg->failed) mx_finish_heads(&b);
  if (!b.failed && !b.gg->failed) mx_src_finish(&b);
  if (!b.failed && !b.gg->failed) build_output(&b);
  if (b.gg->failed) mb_fail(&b, "%s", b.gg->err);
  if (b.failed) goto fail;
  make_vocab(p);
  sched_opts so;
  if (opts) so = *opts;
  bool ok = opts && opts->time_limit > 0 ? sched_milp(b.gg, &p->pl, &so)
                                         : sched_list(b.gg, &p->pl);
  if (opts && opts->time_limit > 0) snprintf(p->sched_note, sizeof p->sched_note, "%s", so.note);
  if (!ok) {
    mb_fail(&b, "%s", b.gg->err[0] ? b.gg->err : "scheduling failed");
    goto fail;
  }
  p->m = weights_build(b.gg, &p->pl, p->ranges, R_NROLES, err, errlen);
  if (!p->m) {
    b.failed = true;
    goto fail;
  }
  fill_step_info(&b);
  build_slotmap(&b);
  for (int l = 0; l < p->pl.n_layers; l++) {
    p->n_heads += p->pl.heads_per_layer[l];
    p->n_units += p->pl.ffn_units[l];
  }
  mb_free(&b);
  p->compile_ms = now_ms() - t0;
  return p;
fail:
  mb_free(&b);
  p->ir = NULL;
  mprog_free(p);
  return NULL;
}

void mprog_free(mprog *p) {
  if (!p) return;
  model_free(p->m);
  placement_free(&p->pl);
  gg_free(&p->gg);
  if (p->steps)
    for (int s = 0; s < p->npc; s++) free(p->steps[s].what);
  free(p->steps);
  for (int i = 0; i < p->sites.n; i++) {
    free(p->sites.v[i].msg);
    free(p->sites.v[i].hcode);
    free(p->sites.v[i].hmsg);
  }
  VEC_FREE(p->sites);
  VEC_FREE(p->syms);
  VEC_FREE(p->strs);
  VEC_FREE(p->externs);
  for (int i = 0; i < p->cells.n; i++) free(p->cells.v[i].name);
  VEC_FREE(p->cells);
  VEC_FREE(p->tables);
  VEC_FREE(p->main_params);
  for (int i = 0; i < p->slotmap.n; i++) free(p->slotmap.v[i].label);
  VEC_FREE(p->slotmap);
  msrc_free(p);
  free(p->ir_text);
  ir_free(p->ir);
  free(p);
}
