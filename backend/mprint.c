/* mprint.c - display/write of nested values by shared routines
 * (docs/trace-format.md, "Printing nested values").
 *
 * machine.c prints a value by inlining the steps of its kind: a list's
 * blocks (mlists.c), a vector's loop, the chain of tag tests of a tagged
 * value, and inside them the steps of each element.  A value whose class
 * holds itself (a tree: a list whose cars are lists of the same class),
 * or one nested deeper than ROUTINE_DEPTH, is printed instead by a call of
 * a routine: the same steps, generated once per class and kind (and per
 * write/display, and per destination: output or an error's text), at the
 * end of the program.  A routine's temporaries live in a frame on the
 * machine's stack (above the frames of recursive procedures, room for
 * PRINT_LEVELS nested routines), so that a routine that prints a car of
 * its own class calls itself.
 *
 * A call is five steps and a routine's return two:
 *
 *     MEM[SP + 1] := the value       the argument, in the new frame
 *     MEM[SP + 0] := return PC
 *     SP := SP + PRINT_FRAME         (checks the room)
 *     JUMP routine
 *     ...                            the routine: its steps
 *     SP := SP - PRINT_FRAME
 *     JUMP MEM[SP + 0]
 *
 * The model emits every token: the host still only maps tokens to text.
 *
 * A routine that calls itself would not end on a value that refers back
 * to itself through a car or an element (Guile writes those #N#): such a
 * value can only be made by set-car!, set-cdr! or vector-set! of a list
 * or vector, so a program that stores one and prints a class that holds
 * itself is refused.
 *
 * Ownership: the builder's mprint state is freed by mb_print_free; steps
 * and temporaries belong to the builder, as every other step's.
 */
#include "config.h"

#include "mbuild.h"

#include <stdlib.h>
#include <string.h>

enum {
  ROUTINE_DEPTH = 4,     /* nested deeper than this: a routine */
  ROUTINE_DEPTH_IN = 2,  /* the same inside a routine */
  ROUTINE_DEPTH_ERR = 0, /* the same inside a routine of an error's text */
  PRINT_LEVELS = 10000,  /* routines nested at least (the stack's room) */
  PRINT_LEVELS_MAX = 100000,   /* and at most, where there is room */
};

typedef struct {
  int kind;               /* T_PAIR, T_VEC or T_DYN */
  int a, c;               /* class roots: car and cdr, element, or the
                             tagged class itself */
  bool write;
  bool silent;            /* the walk before a print (below) */
  bool eq;                /* a routine of equal? (mequal.c): a, c are
                             the classes of its two operands */
} pkey;

typedef struct {
  pkey key;
  bool errval;
  int type;               /* its argument's type */
  int type2;              /* equal?'s second operand's type, or -1 */
  int entry;              /* first step, -1 until generated */
  int fn;
  srcloc loc;
} routine;

typedef struct {
  pkey key;
  int type, type2;
  int argw, retw, push, jump, pop;   /* its steps (push, pop: -1 for
                                        a call from outside a routine) */
  int owner;              /* the routine that calls, or -1 */
  int bw[4];              /* the silent walk's cycle check: writes of the
                             callee's cells 2..5, or -1 */
} pcall;

struct mprint {
  VEC(routine) r;
  VEC(pkey) chain;        /* the values being inlined around this one */
  VEC(pcall) calls;
  int cur;                /* routine being generated, or -1 */
  int ntemp;              /* its frame cells in use (0: return address,
                             1: the argument) */
  int maxf;               /* the largest frame */
  int errtext;            /* > 0: printing an error's text (below) */
  int silent;             /* > 0: generating the silent walk */
  int levels;             /* routines nested at most (mb_print_grow) */
  int bv[4];              /* the silent routine being generated: its cycle
                             check's variables (cells 2..5) */
  int eqres;              /* equal?'s routines' result (a static cell), or -1 */
};

static struct mprint *state(mb *b) {
  if (!b->print) {
    b->print = xcalloc(1, sizeof *b->print);
    b->print->cur = -1;
    b->print->levels = PRINT_LEVELS;
    b->print->eqres = -1;
  }
  return b->print;
}

static int root(mb *b, int t) {
  if (t < 0) return -1;
  while (b->ir->types.v[t].parent != t) t = b->ir->types.v[t].parent;
  return t;
}

static bool key_of(mb *b, const ir_expr *e, bool write, pkey *k) {
  memset(k, 0, sizeof *k);
  k->kind = ir_kind(b->ir, e->type);
  k->write = write;
  k->silent = b->print && b->print->silent > 0;
  switch (k->kind) {
  case T_PAIR:
    k->a = root(b, ir_pair_type(b->ir, e->type, false));
    k->c = root(b, ir_pair_type(b->ir, e->type, true));
    return true;
  case T_VEC:
    k->a = root(b, ir_elem_type(b->ir, e->type));
    k->c = -1;
    return true;
  case T_DYN:
    k->a = root(b, e->type);
    k->c = -1;
    return true;
  default:
    return false;
  }
}

static bool same_key(const pkey *x, const pkey *y) {
  return x->kind == y->kind && x->a == y->a && x->c == y->c && x->write == y->write &&
         x->silent == y->silent && x->eq == y->eq;
}

/* Whether classes x and y (or -1) hold values of the same shape, which
 * the same steps print: the same kind and procedures, and, pairwise,
 * classes of the same shape as cars, cdrs and elements (or none on both
 * sides).  Coinductive, for the cyclic graph of a list's classes: a pair
 * met again is taken as equal, as the printing steps of x and y then
 * are the same at every depth. */
static bool same_shape(mb *b, int x, int y) {
  VEC(struct spair { int x, y; }) todo = {0}, seen = {0};
  struct spair p0 = {x, y};
  VEC_PUSH(todo, p0);
  bool same = true;
  while (todo.n && same) {
    struct spair p = todo.v[--todo.n];
    if (p.x < 0 || p.y < 0) {
      same = p.x == p.y;
      continue;
    }
    int rx = root(b, p.x), ry = root(b, p.y);
    if (rx == ry) continue;
    bool met = false;
    for (int i = 0; i < seen.n && !met; i++) met = seen.v[i].x == rx && seen.v[i].y == ry;
    if (met) continue;
    struct spair r = {rx, ry};
    VEC_PUSH(seen, r);
    const ir_type *tx = &b->ir->types.v[rx], *ty = &b->ir->types.v[ry];
    if (tx->k != ty->k || tx->procs != ty->procs) {
      same = false;
      continue;
    }
    struct spair kids[3] = {{tx->elem, ty->elem}, {tx->car, ty->car}, {tx->cdr, ty->cdr}};
    for (int i = 0; i < 3; i++) VEC_PUSH(todo, kids[i]);
  }
  VEC_FREE(todo);
  VEC_FREE(seen);
  return same;
}

/* A routine that prints an error's text serves every call of a key of
 * the same shape (an error's text is what `write` prints of the value,
 * and values of classes of the same shape are held alike). */
static bool serves(mb *b, const routine *r, const pkey *k, bool errval) {
  if (r->errval != errval) return false;
  if (same_key(&r->key, k)) return true;
  return errval && !k->eq && r->key.kind == k->kind && r->key.write == k->write &&
         r->key.silent == k->silent &&
         same_shape(b, r->key.a, k->a) && same_shape(b, r->key.c, k->c);
}

/* A value that refers back to itself can only be made by set-car!,
 * set-cdr! or vector-set! in the program's own code (the list library's
 * stores fill new pairs), or be held by a global it reads. */
static bool program_mutates(mb *b) {
  return b->ir->sets_parts || b->ir->circular_global;
}

int mb_print_enter(mb *b, ir_expr *e, bool write, int fn, srcloc loc, int depth) {
  pkey k;
  if (!key_of(b, e, write, &k)) return -1;
  struct mprint *P = state(b);
  bool again = false;
  for (int i = 0; i < P->chain.n; i++) again |= same_key(&P->chain.v[i], &k);
  /* inside a routine, values nested in its value get routines sooner:
   * its frame holds the temporaries of what it inlines */
  int limit = P->cur >= 0 ? ROUTINE_DEPTH_IN : ROUTINE_DEPTH;
  /* an error's text: a list, vector or tagged value is printed by a
   * routine however shallow it is (mb_print_errtext) */
  if (P->cur < 0 && P->errtext > 0) limit = -1;
  /* and a routine of an error's text calls routines for what it holds:
   * shared by more texts, and its own steps fewer */
  if (P->cur >= 0 && P->r.v[P->cur].errval) limit = ROUTINE_DEPTH_ERR;
  if (!again && depth <= limit) {
    VEC_PUSH(P->chain, k);
    return 0;
  }
  /* a value that may refer back to itself: printed after a silent walk
   * (mb_print_needs_walk), except in an error's text, where a cyclic
   * value fills the print stack instead: the push below is then a
   * refusal at run time (the error's text is not shown yet) */
  bool errtext = P->errtext > 0 || (P->cur >= 0 && P->r.v[P->cur].errval);
  /* the call: the callee's frame starts past the caller's (a routine's;
   * other code's frames end at SP) */
  bool nested = P->cur >= 0;
  pcall c = {k, e->type, -1, -1, -1, -1, -1, -1, nested ? P->cur : -1, {-1, -1, -1, -1}};
  c.argw = b->ms.n;
  mstmt *m = mb_step(b, M_WRITE, fn, loc);
  m->tgt = TGT_FRAME;
  m->off = 1;
  m->val = e;
  m->what = mb_describe(b, "display: the value to print");
  c.retw = b->ms.n;
  m = mb_step(b, M_WRITE, fn, loc);
  m->tgt = TGT_FRAME;
  m->off = 0;
  m->l1 = b->ms.n + (nested ? 2 : 1) + (k.silent ? 4 : 0);   /* after the jump */
  m->l1_is_pc = true;
  m->what = mb_describe(b, "display: return address");
  if (k.silent) {
    /* the cycle check's state (gen_routine): the caller's, or none yet */
    static const int32_t init[4] = {0, -1, 1, 0};
    bool from = nested && P->r.v[P->cur].key.silent;
    for (int i = 0; i < 4; i++) {
      c.bw[i] = b->ms.n;
      m = mb_step(b, M_WRITE, fn, loc);
      m->tgt = TGT_FRAME;
      m->off = 2 + i;
      m->val = from ? mb_var_ref(b, P->bv[i]) : mb_int_const(b, init[i]);
      m->what = mb_describe(b, "display: the walk's cycle check");
    }
  }
  if (nested) {
    c.push = b->ms.n;
    m = mb_step(b, M_WRITE, fn, loc);
    m->tgt = TGT_STATIC;
    m->addr = REG_SP;
    m->sp = SP_PRINT_PUSH;
    /* a cyclic value would fill the stack: in the silent walk, or in an
     * error's text of a program that mutates, a refusal */
    m->write = k.silent || (errtext && program_mutates(b));
    m->what = mb_describe(b, "display: push the frame");
  }
  c.jump = b->ms.n;
  m = mb_step(b, M_JUMP, fn, loc);
  m->l1 = 0;
  m->l1_is_pc = true;
  m->what = mb_describe(b, "display: call the printer");
  if (nested) {
    c.pop = b->ms.n;
    m = mb_step(b, M_WRITE, fn, loc);
    m->tgt = TGT_STATIC;
    m->addr = REG_SP;
    m->sp = SP_SP_ADD;
    m->what = mb_describe(b, "display: pop the frame");
  }
  VEC_PUSH(P->calls, c);
  return 1;
}

/* A call of the routine of equal? on x and y (mequal.c), whose
 * result is then in variable mb_equal_result: as mb_print_enter's
 * calls, with y in frame cell 2.  A cyclic value nested through cars or
 * elements fills the stack: a refusal at run time. */
void mb_equal_call(mb *b, ir_expr *x, ir_expr *y, int fn, srcloc loc) {
  struct mprint *P = state(b);
  if (P->eqres < 0) {
    int cur = P->cur;
    P->cur = -1;   /* a static cell, not one of a frame */
    P->eqres = mb_temp(b, mb_kind_type(b, T_BOOL), "equal?:r");
    P->cur = cur;
  }
  pkey k;
  memset(&k, 0, sizeof k);
  k.kind = T_PAIR;
  k.a = root(b, x->type);
  k.c = root(b, y->type);
  k.eq = true;
  bool nested = P->cur >= 0;
  pcall c = {k, x->type, y->type, -1, -1, -1, -1, -1, nested ? P->cur : -1, {-1, -1, -1, -1}};
  c.argw = b->ms.n;
  mstmt *m = mb_step(b, M_WRITE, fn, loc);
  m->tgt = TGT_FRAME;
  m->off = 1;
  m->val = x;
  m->what = mb_describe(b, "equal?: the first value");
  c.bw[0] = b->ms.n;
  m = mb_step(b, M_WRITE, fn, loc);
  m->tgt = TGT_FRAME;
  m->off = 2;
  m->val = y;
  m->what = mb_describe(b, "equal?: the second value");
  c.retw = b->ms.n;
  m = mb_step(b, M_WRITE, fn, loc);
  m->tgt = TGT_FRAME;
  m->off = 0;
  m->l1 = b->ms.n + (nested ? 2 : 1);   /* after the jump */
  m->l1_is_pc = true;
  m->what = mb_describe(b, "equal?: return address");
  if (nested) {
    c.push = b->ms.n;
    m = mb_step(b, M_WRITE, fn, loc);
    m->tgt = TGT_STATIC;
    m->addr = REG_SP;
    m->sp = SP_PRINT_PUSH;
    m->what = mb_describe(b, "equal?: push the frame");
  }
  c.jump = b->ms.n;
  m = mb_step(b, M_JUMP, fn, loc);
  m->l1 = 0;
  m->l1_is_pc = true;
  m->what = mb_describe(b, "equal?: call the comparison");
  if (nested) {
    c.pop = b->ms.n;
    m = mb_step(b, M_WRITE, fn, loc);
    m->tgt = TGT_STATIC;
    m->addr = REG_SP;
    m->sp = SP_SP_ADD;
    m->what = mb_describe(b, "equal?: pop the frame");
  }
  VEC_PUSH(P->calls, c);
}

int mb_equal_result(mb *b) { return b->print ? b->print->eqres : -1; }

bool mb_in_routine(mb *b) { return b->print && b->print->cur >= 0; }

void mb_print_errtext(mb *b, bool on) {
  struct mprint *P = state(b);
  P->errtext += on ? 1 : -1;
}

void mb_print_leave(mb *b) {
  if (b->print && b->print->chain.n) b->print->chain.n--;
}

bool mb_print_frame_temp(mb *b, int id) {
  struct mprint *P = b->print;
  if (!P || P->cur < 0) return false;
  b->home[id].frame = true;
  b->home[id].off = P->ntemp++;
  return true;
}

/* A variable in frame cell off of the routine being generated. */
static int frame_var(mb *b, int type, int off) {
  ir_var v = {-1, VAR_TEMP, -1, NULL, type, true, {-1, 0, 0}, NULL};
  VEC_PUSH(b->ir->vars, v);
  int id = b->ir->vars.n - 1;
  b->home = xrealloc(b->home, (size_t)(id + 1) * sizeof(var_home));
  b->home[id].frame = true;
  b->home[id].off = off;
  return id;
}

static ir_expr *op2(mb *b, const char *op, tkind k, ir_expr *x, ir_expr *y) {
  ir_expr *e = mb_mkx(b, X_PRIM, mb_kind_type(b, k), 2);
  e->op = builtin_find(op);
  e->a[0] = x;
  e->a[1] = y;
  return e;
}

static void set_var(mb *b, const routine *R, int var, ir_expr *x) {
  mstmt *m = mb_step(b, M_WRITE, R->fn, R->loc);
  mb_set_target(b, m, var);
  m->val = x;
  m->what = mb_describe(b, "display: the walk's cycle check");
}

static int branch_on(mb *b, const routine *R, ir_expr *test) {
  mstmt *m = mb_step(b, M_BRANCH, R->fn, R->loc);
  m->val = test;
  m->what = mb_describe(b, "display: the walk's cycle check");
  int br = b->ms.n - 1;
  b->ms.v[br].l1 = b->ms.n;
  b->ms.v[br].l1_is_pc = true;
  return br;
}

static void else_at(mb *b, int br) {
  b->ms.v[br].l2 = b->ms.n;
  b->ms.v[br].l2_is_pc = true;
}

/* The silent walk's cycle check, at the entry of one of its routines
 * (Brent's): the frame carries down the path of nested routines a saved
 * argument and its routine (cells 2, 3), a window (4) and the calls made
 * since it was saved (5).  An argument equal to the saved one of the
 * same routine is an object inside itself: a cycle, refused.  When the
 * calls fill the window, this argument is saved and the window doubles;
 * a cyclic value repeats its arguments along the path, so the check
 * finds it within a few times the cycle's length. */
static void cycle_check(mb *b, int ri, int arg, int type) {
  struct mprint *P = b->print;
  const routine *R = &P->r.v[ri];
  routine Rc = *R;
  int it = mb_int_type(b);
  int sv = frame_var(b, type, 2), sk = frame_var(b, it, 3), pw = frame_var(b, it, 4),
      ct = frame_var(b, it, 5);
  P->bv[0] = sv, P->bv[1] = sk, P->bv[2] = pw, P->bv[3] = ct;
  P->ntemp = 6;
  int br = branch_on(b, &Rc, op2(b, "=", T_BOOL, mb_var_ref(b, sk), mb_int_const(b, ri)));
  int br2 = branch_on(b, &Rc, op2(b, "eqv?", T_BOOL, mb_var_ref(b, arg), mb_var_ref(b, sv)));
  ir_failure f = {"compile",
                  "display: compiled code prints no value that refers back to itself "
                  "(run it with --reference)",
                  false};
  VEC_PUSH(b->ir->failures, f);
  ir_expr *x = mb_mkx(b, X_FAIL, mb_kind_type(b, T_VOID), 0);
  x->ival = b->ir->failures.n - 1;
  x->loc = Rc.loc;
  mstmt *m = mb_step(b, M_EVAL, Rc.fn, Rc.loc);
  m->val = x;
  m->what = mb_describe(b, "display: a value inside itself");
  else_at(b, br);
  else_at(b, br2);
  set_var(b, &Rc, ct, op2(b, "+", T_INT, mb_var_ref(b, ct), mb_int_const(b, 1)));
  int br3 = branch_on(b, &Rc, op2(b, ">=", T_BOOL, mb_var_ref(b, ct), mb_var_ref(b, pw)));
  set_var(b, &Rc, sv, mb_var_ref(b, arg));
  set_var(b, &Rc, sk, mb_int_const(b, ri));
  set_var(b, &Rc, pw, op2(b, "+", T_INT, mb_var_ref(b, pw), mb_var_ref(b, pw)));
  set_var(b, &Rc, ct, mb_int_const(b, 0));
  else_at(b, br3);
}

static void gen_routine(mb *b, int ri) {
  struct mprint *P = b->print;
  routine R = P->r.v[ri];
  P->r.v[ri].entry = b->ms.n;
  P->cur = ri;
  P->ntemp = 2;
  int start = b->ms.n;
  /* the argument: frame cell 1 */
  ir_var v = {-1, VAR_TEMP, -1, NULL, R.type, true, {-1, 0, 0}, NULL};
  VEC_PUSH(b->ir->vars, v);
  int id = b->ir->vars.n - 1;
  b->home = xrealloc(b->home, (size_t)(id + 1) * sizeof(var_home));
  b->home[id].frame = true;
  b->home[id].off = 1;
  if (R.key.eq) {
    /* equal?: the second operand in cell 2 */
    int y = frame_var(b, R.type2, 2);
    P->ntemp = 3;
    P->chain.n = 0;
    mb_equal_body(b, mb_var_ref(b, id), mb_var_ref(b, y), R.fn, R.loc);
  } else {
    if (R.key.silent) cycle_check(b, ri, id, R.type);
    P->chain.n = 0;
    VEC_PUSH(P->chain, R.key);
    int was = P->silent;
    P->silent = R.key.silent;
    mb_display_inline(b, mb_var_ref(b, id), R.key.write, R.fn, R.loc, 1);
    P->silent = was;
    P->chain.n = 0;
  }
  mstmt *m = mb_step(b, M_JUMPDYN, R.fn, R.loc);
  ir_expr *ret = mb_mkx(b, X_VAR, mb_int_type(b), 0);
  ret->var = MB_PRINT_RET;
  m->val = ret;
  m->what = mb_describe(b, "display: return");
  for (int i = start; i < b->ms.n; i++) b->ms.v[i].errval = R.errval;
  if (R.key.silent) mb_print_silence(b, start);
  /* its calls: the callee's frame is past this one's */
  int size = P->ntemp;
  if (size > P->maxf) P->maxf = size;
  for (int i = 0; i < P->calls.n; i++) {
    pcall *c = &P->calls.v[i];
    if (c->owner != ri) continue;
    b->ms.v[c->argw].off += size;
    b->ms.v[c->retw].off += size;
    for (int j = 0; j < 4; j++)
      if (c->bw[j] >= 0) b->ms.v[c->bw[j]].off += size;
    b->ms.v[c->push].konst = size;
    b->ms.v[c->pop].konst = -size;
  }
  P->cur = -1;
}

void mb_print_routines(mb *b) {
  struct mprint *P = b->print;
  if (!P) return;
  for (int ci = 0; ci < P->calls.n && !b->failed; ci++) {
    pcall *c = &P->calls.v[ci];
    bool errval = b->ms.v[c->jump].errval;
    int ri = -1;
    for (int i = 0; i < P->r.n && ri < 0; i++)
      if (serves(b, &P->r.v[i], &c->key, errval)) ri = i;
    if (ri < 0) {
      routine R = {c->key, errval, c->type, c->type2, -1, b->ms.v[c->jump].fn,
                   b->ms.v[c->jump].loc};
      VEC_PUSH(P->r, R);
      ri = P->r.n - 1;
      gen_routine(b, ri);   /* may add calls: this loop reaches them */
      c = &P->calls.v[ci];
    }
    b->ms.v[c->jump].l1 = P->r.v[ri].entry;
    b->ms.v[c->jump].l1_is_pc = true;
  }
}

int64_t mb_print_stack(mb *b) {
  if (!b->print || !b->print->calls.n) return 0;
  return (int64_t)(b->print->levels + 1) * b->print->maxf;
}

/* The print stack, grown to the room left above the procedures' frames
 * (at most PRINT_LEVELS_MAX routines: Guile itself prints no deeper). */
int64_t mb_print_grow(mb *b, int64_t room) {
  if (!b->print || !b->print->calls.n || b->print->maxf <= 0) return 0;
  int64_t fit = room / b->print->maxf - 1;
  if (fit > PRINT_LEVELS_MAX) fit = PRINT_LEVELS_MAX;
  if (fit > b->print->levels) b->print->levels = (int)fit;
  return mb_print_stack(b);
}

cval mb_print_push(mb *b, const mstmt *m) {
  gate_graph *gg = b->gg;
  cval r = {gf_addk(gg, b->sp, m->konst), 0, ADDR_MAX, false};
  bool silent = m->write;   /* a push of the silent walk (mb_print_enter) */
  bool eq = m->what && !strncmp(m->what, "equal?", 6);   /* mb_equal_call */
  int site = eq ? mb_site(b, "depth", m->loc,
                          "equal?: compiled code compares values nested at most %d deep",
                          b->print->levels)
           : silent ? mb_site(b, "compile", m->loc,
                              "display: compiled code prints no value nested more than "
                              "%d deep or that refers back to itself (run it with "
                              "--reference)", PRINT_LEVELS)
                    : mb_site(b, "depth", m->loc,
                              "display: compiled code prints values nested at most %d deep",
                              b->print->levels);
  /* [SP + push + the largest frame > the stack's end] */
  /* the silent walk stops at PRINT_LEVELS: a cycle is found sooner */
  double end = (double)b->p->stack_end;
  if (silent) end -= (double)(b->print->levels - PRINT_LEVELS) * b->print->maxf;
  gform over = gf_addk(gg, b->sp, (double)m->konst + b->print->maxf - end);
  mx_flag(b, gf_gate(gg, gg_step(gg, "display too deep", over)), site);
  return r;
}

void mb_print_free(mb *b) {
  if (!b->print) return;
  VEC_FREE(b->print->r);
  VEC_FREE(b->print->chain);
  VEC_FREE(b->print->calls);
  free(b->print);
  b->print = NULL;
}

/* Whether class t is (a part of) the class of a value that comes into
 * the program from outside: a parameter of its main function (a
 * procedure compiled alone).  A global variable's value is not: the
 * lowering gave each of its parts then a class of its kind, and a value
 * it holds since in a class of no kind makes the program compiled again
 * before it runs (lib/runner.c globals_fit). */
static bool from_outside(mb *b, int t) {
  const ir_prog *ir = b->ir;
  VEC(int) todo = {0}, seen = {0};
  const ir_fn *m = &ir->fns.v[ir->main_fn];
  for (int i = 0; i < m->nparams; i++) VEC_PUSH(todo, ir->vars.v[m->params[i]].type);
  int want = root(b, t);
  bool found = false;
  while (todo.n && !found) {
    int r = root(b, todo.v[--todo.n]);
    if (r < 0) continue;
    bool met = false;
    for (int i = 0; i < seen.n && !met; i++) met = seen.v[i] == r;
    if (met) continue;
    VEC_PUSH(seen, r);
    found = r == want;
    const ir_type *ty = &ir->types.v[r];
    VEC_PUSH(todo, ty->elem);
    VEC_PUSH(todo, ty->car);
    VEC_PUSH(todo, ty->cdr);
  }
  VEC_FREE(todo);
  VEC_FREE(seen);
  return found;
}

/* display/write of a value whose class no value of any kind ever enters
 * (the car of a list that map made of the empty list, the result of a
 * call that always fails): it is never printed, as reaching it means
 * its computation failed first.  Its errors are kept; past them, a
 * refusal where it is reached, never a wrong answer.  A value that comes
 * from outside (a parameter of a procedure compiled alone) is of the
 * kind its callers give it: such a program is incomplete. */
void mb_display_unknown(mb *b, ir_expr *e, int fn, srcloc loc) {
  if (from_outside(b, e->type)) {
    mb_fail(b, "cannot print a value whose kind is not known when compiling");
    return;
  }
  mstmt *m;
  if (e->k != X_CONST && e->k != X_VAR) {
    m = mb_step(b, M_EVAL, fn, loc);
    m->val = e;
    m->what = mb_describe(b, "evaluate for errors");
  }
  ir_failure f = {"compile", "cannot print a value whose kind is not known when compiling",
                  false};
  VEC_PUSH(b->ir->failures, f);
  ir_expr *x = mb_mkx(b, X_FAIL, mb_kind_type(b, T_VOID), 0);
  x->ival = b->ir->failures.n - 1;
  x->loc = loc;
  m = mb_step(b, M_EVAL, fn, loc);
  m->val = x;
  m->what = mb_describe(b, "display: a value of no kind (never reached)");
}

/* ---- the silent walk ------------------------------------------------
 *
 * In a program that stores into pairs or vectors (or reads a global that
 * refers back to itself), a value whose class holds itself through a car
 * or an element may be cyclic: printing it by routines that call
 * themselves would not end.  Such a value is first walked by the same
 * steps with every output turned into an evaluation (its routines are
 * the silent ones, of keys of their own): a cyclic value makes the walk
 * nest deeper and deeper until the print stack is full, which is a
 * refusal at run time before anything of the value is printed; an
 * acyclic one, of any depth the stack holds, is then printed. */

/* Whether class t reaches class u (through elements, cars and cdrs). */
static bool reaches(mb *b, int t, int u) {
  VEC(int) todo = {0}, seen = {0};
  VEC_PUSH(todo, t);
  bool found = false;
  while (todo.n && !found) {
    int r = root(b, todo.v[--todo.n]);
    if (r < 0) continue;
    if (r == u) found = true;
    bool met = false;
    for (int i = 0; i < seen.n && !met; i++) met = seen.v[i] == r;
    if (met) continue;
    VEC_PUSH(seen, r);
    const ir_type *ty = &b->ir->types.v[r];
    VEC_PUSH(todo, ty->elem);
    VEC_PUSH(todo, ty->car);
    VEC_PUSH(todo, ty->cdr);
  }
  VEC_FREE(todo);
  VEC_FREE(seen);
  return found;
}

bool mb_print_needs_walk(mb *b, const ir_expr *e) {
  if (!program_mutates(b)) return false;
  if (b->print && (b->print->errtext > 0 || b->print->cur >= 0)) return false;
  tkind k = ir_kind(b->ir, e->type);
  if (k != T_PAIR && k != T_VEC && k != T_DYN) return false;
  /* a class reachable from e's whose car or element class reaches it
   * back: a tree (a list's cdrs coming back are its spine's, mlists.c) */
  VEC(int) todo = {0}, seen = {0};
  VEC_PUSH(todo, e->type);
  bool tree = false;
  while (todo.n && !tree) {
    int r = root(b, todo.v[--todo.n]);
    if (r < 0) continue;
    bool met = false;
    for (int i = 0; i < seen.n && !met; i++) met = seen.v[i] == r;
    if (met) continue;
    VEC_PUSH(seen, r);
    const ir_type *ty = &b->ir->types.v[r];
    if ((ty->elem >= 0 && reaches(b, ty->elem, r)) || (ty->car >= 0 && reaches(b, ty->car, r)))
      tree = true;
    VEC_PUSH(todo, ty->elem);
    VEC_PUSH(todo, ty->car);
    VEC_PUSH(todo, ty->cdr);
  }
  VEC_FREE(todo);
  VEC_FREE(seen);
  return tree;
}

int mb_print_silent(mb *b, bool on) {
  struct mprint *P = state(b);
  P->silent += on ? 1 : -1;
  return b->ms.n;
}

/* The steps from start on print nothing: every output evaluates its
 * value instead (and the silent walk ends). */
void mb_print_silence(mb *b, int start) {
  struct mprint *P = state(b);
  if (P->cur < 0 && P->silent > 0) P->silent--;
  for (int i = start; i < b->ms.n; i++) {
    mstmt *m = &b->ms.v[i];
    if (m->k != M_OUTINT && m->k != M_OUTSYM && m->k != M_OUTSTR && m->k != M_MARK) continue;
    m->k = M_EVAL;
    if (!m->val) m->val = mb_int_const(b, 0);
    m->konst = 0;
    m->sp = 0;
    m->write = false;
    free(m->what);
    m->what = mb_describe(b, "display: the walk before printing");
  }
}
