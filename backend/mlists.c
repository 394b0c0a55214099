/* mlists.c - pairs in the machine (docs/trace-format.md, "Pairs").
 *
 * A pair is two heap cells, [car, cdr], at the address HP had when it
 * was made; it takes 4 cells of the heap limit, as the evaluator counts
 * a pair (two items and a header), so that a program runs out of memory
 * at the same cons in both.  Each cell holds a value of its class: the
 * car class and the cdr class of the pair's class (lang/ir.h); a tagged
 * pair is the address plus the tag's base.
 *
 * display/write of a pair is a loop in steps, not a recursion: the pairs
 * along a list's cdrs are of classes (each the cdr class of the one
 * before), a class gets one block of steps that prints its car and
 * decides by the cdr, and a cdr of a class met before jumps back to that
 * block.  The model emits every token; the host never walks the heap.
 *
 * Ownership: steps, temporaries and IR nodes belong to the builder and
 * the program, as every other step's.
 */
#include "config.h"

#include "mbuild.h"

#include <string.h>

/* ---- cons ----------------------------------------------------------- */

void mb_expand_cons(mb *b, const ir_stmt *s, int f) {
  /* the car, after both operands' errors and the heap check */
  mstmt *m = mb_step(b, M_WRITE, f, s->loc);
  m->tgt = TGT_HP;
  m->off = 0;
  m->sp = SP_CONS;
  m->val = s->a[0];
  m->x1 = s->a[1];
  m->what = mb_describe(b, "cons: car");
  m = mb_step(b, M_WRITE, f, s->loc);
  m->tgt = TGT_HP;
  m->off = 1;
  m->val = s->a[1];
  m->what = mb_describe(b, "cons: cdr");
  m = mb_step(b, M_WRITE, f, s->loc);
  mb_set_target(b, m, s->var);
  ir_expr *hp = mb_mkx(b, X_VAR, b->ir->vars.v[s->var].type, 0);
  hp->var = -REG_HP;
  m->val = hp;
  m->what = mb_describe(b, "cons: the new pair");
  m = mb_step(b, M_WRITE, f, s->loc);
  m->tgt = TGT_STATIC;
  m->addr = REG_HP;
  m->sp = SP_HP_BUMP;
  m->val = mb_int_const(b, PAIR_CELLS - 2);   /* SP_HP_BUMP adds 2 */
  m->what = mb_describe(b, "cons: allocate");
}

/* The value of the first step of a cons: its car; the cdr's errors and
 * then the heap's come before the write. */
cval mb_cons_value(mb *b, const mstmt *m) {
  gate_graph *gg = b->gg;
  mx_operands(b, (const ir_expr *const[]){m->val, m->x1}, 2);
  cval car = mx_expr(b, m->val);
  (void)mx_expr(b, m->x1);
  int site = b->p->heap_capped
                 ? mb_site(b, "memory", m->loc,
                           "out of memory: the vectors need more than the %d "
                           "cells compiled code can address",
                           (int)(b->p->heap_end - b->p->heap_base))
                 : mb_site(b, "memory", m->loc,
                           "out of memory: vectors would need more than %lld "
                           "cells (raise the limit with --max-heap or :limit heap)",
                           (long long)b->p->max_heap);
  gform room = gf_addk(gg, b->hp, PAIR_CELLS - (double)b->p->heap_end);
  mx_flag(b, gf_gate(gg, gg_step(gg, "heap full", room)), site);
  return car;
}

/* ---- display -------------------------------------------------------- */

static ir_expr *as_pair(mb *b, ir_expr *x) {
  if (ir_kind(b->ir, x->type) == T_PAIR) return x;
  ir_expr *e = mb_mkx(b, X_CHECK, mb_kind_type(b, T_PAIR), 1);
  e->a[0] = x;
  e->ival = T_PAIR;
  e->var = -1;
  ir_share_parts(b->ir, e->type, x->type);
  return e;
}

static ir_expr *part(mb *b, ir_expr *pair, bool cdr) {
  ir_expr *e = mb_mkx(b, X_CXR, ir_pair_type(b->ir, pair->type, cdr), 1);
  e->a[0] = pair;
  e->ival = cdr;
  return e;
}

static ir_expr *pred(mb *b, const char *op, ir_expr *x) {
  ir_expr *e = mb_mkx(b, X_PRIM, mb_kind_type(b, T_BOOL), 1);
  e->op = builtin_find(op);
  e->a[0] = x;
  return e;
}

static bool holds_pairs(mb *b, int t) {
  tkind k = ir_kind(b->ir, t);
  return k == T_PAIR || (k == T_DYN && ir_pair_type(b->ir, t, false) >= 0);
}

enum { MAX_BLOCKS = 32 };

typedef struct {
  int cls[MAX_BLOCKS];     /* class (root) of each block */
  int var[MAX_BLOCKS];     /* the temporary holding its pair */
  int pc[MAX_BLOCKS];      /* its first step, -1 until emitted */
  int n;
  int_vec to_block;        /* jumps: step, block */
  int_vec to_end;          /* jumps to after the list */
  bool write;
  int fn, depth;
  srcloc loc;
} spine;

static int class_root(mb *b, int t) {
  /* the representative: ir_kind and the parts read through it */
  int r = t;
  while (b->ir->types.v[r].parent != r) r = b->ir->types.v[r].parent;
  return r;
}

static int block_of(mb *b, spine *S, int cls) {
  int r = class_root(b, cls);
  for (int i = 0; i < S->n; i++)
    if (S->cls[i] == r) return i;
  if (S->n == MAX_BLOCKS) {
    mb_fail(b, "a list whose pairs are of more than %d classes cannot be "
               "displayed", MAX_BLOCKS);
    return -1;
  }
  S->cls[S->n] = r;
  S->var[S->n] = mb_temp(b, r, "display:pair");
  S->pc[S->n] = -1;
  return S->n++;
}

static mstmt *out_str(mb *b, spine *S, const char *text) {
  mstmt *m = mb_step(b, M_OUTSTR, S->fn, S->loc);
  m->konst = mb_str_const(b, text);
  return m;
}

static void jump_end(mb *b, spine *S) {
  VEC_PUSH(S->to_end, b->ms.n);
  mb_step(b, M_JUMP, S->fn, S->loc);
}

/* A branch on `test` whose true arm follows; returns the step. */
static int branch(mb *b, spine *S, ir_expr *test, const char *what) {
  mstmt *m = mb_step(b, M_BRANCH, S->fn, S->loc);
  m->val = test;
  m->what = mb_describe(b, "display: %s", what);
  int br = b->ms.n - 1;
  b->ms.v[br].l1 = b->ms.n;
  b->ms.v[br].l1_is_pc = true;
  return br;
}

static void else_here(mb *b, int br) {
  b->ms.v[br].l2 = b->ms.n;
  b->ms.v[br].l2_is_pc = true;
}

/* The end of a list whose last cdr is x (not a pair): ")" or " . x)". */
static void list_end(mb *b, spine *S, ir_expr *x) {
  tkind k = ir_kind(b->ir, x->type);
  int br = -1;
  if (k == T_DYN) {
    br = branch(b, S, pred(b, "null?", x), "the empty list?");
    out_str(b, S, ")");
    jump_end(b, S);
    else_here(b, br);
  } else if (k == T_NIL) {
    out_str(b, S, ")");
    jump_end(b, S);
    return;
  }
  out_str(b, S, " . ");
  mb_display_tail(b, x, S->write, S->fn, S->loc, S->depth + 1);
  if (b->failed) return;
  out_str(b, S, ")");
  jump_end(b, S);
}

/* The steps of block i: its car, then by its cdr. */
static void emit_block(mb *b, spine *S, int i) {
  S->pc[i] = b->ms.n;
  ir_expr *x = mb_var_ref(b, S->var[i]);
  ir_expr *p = as_pair(b, x);
  if (!mb_display_at(b, part(b, p, false), S->write, S->fn, S->loc, S->depth + 1)) return;
  ir_expr *d = part(b, p, true);
  if (!holds_pairs(b, d->type)) {
    list_end(b, S, d);
    return;
  }
  int next = block_of(b, S, d->type);
  if (next < 0) return;
  mstmt *m = mb_step(b, M_WRITE, S->fn, S->loc);
  mb_set_target(b, m, S->var[next]);
  m->val = d;
  m->what = mb_describe(b, "display: the cdr");
  ir_expr *y = mb_var_ref(b, S->var[next]);
  int br = -1;
  if (ir_kind(b->ir, d->type) == T_DYN)
    br = branch(b, S, pred(b, "pair?", y), "one more pair?");
  out_str(b, S, " ");
  VEC_PUSH(S->to_block, b->ms.n);
  VEC_PUSH(S->to_block, next);
  mb_step(b, M_JUMP, S->fn, S->loc);
  if (br < 0) return;
  else_here(b, br);
  list_end(b, S, y);
}

bool mb_display_list(mb *b, ir_expr *e, bool write, int fn, srcloc loc, int depth) {
  if (depth > 6) {
    mb_fail(b, "lists nested more than 6 deep cannot be displayed");
    return false;
  }
  spine S;
  memset(&S, 0, sizeof S);
  S.write = write;
  S.fn = fn;
  S.depth = depth;
  S.loc = loc;
  int first = block_of(b, &S, e->type);
  if (first >= 0) {
    mstmt *m = mb_step(b, M_WRITE, fn, loc);
    mb_set_target(b, m, S.var[first]);
    m->val = e;
    m->what = mb_describe(b, "display: take the list");
    out_str(b, &S, "(");
  }
  /* blocks in the order they are first needed; the first falls through */
  for (int i = 0; i < S.n && !b->failed; i++) emit_block(b, &S, i);
  for (int i = 0; i + 1 < S.to_block.n; i += 2) {
    mstmt *m = &b->ms.v[S.to_block.v[i]];
    m->l1 = S.pc[S.to_block.v[i + 1]];
    m->l1_is_pc = true;
  }
  for (int i = 0; i < S.to_end.n; i++) {
    mstmt *m = &b->ms.v[S.to_end.v[i]];
    m->l1 = b->ms.n;
    m->l1_is_pc = true;
  }
  VEC_FREE(S.to_block);
  VEC_FREE(S.to_end);
  return !b->failed;
}

/* ---- set-car!, set-cdr! ------------------------------------------------ */

void mb_expand_pset(mb *b, const ir_stmt *s, int f) {
  mstmt *m = mb_step(b, M_WRITE, f, s->loc);
  m->tgt = TGT_STATIC;
  m->addr = REG_WADDR;
  m->sp = SP_PSET_ADDR;
  m->val = s->a[0];
  m->x1 = s->a[1];
  m->konst = s->l1;
  m->what = mb_describe(b, "%s: cell address", s->l1 ? "set-cdr!" : "set-car!");
  m = mb_step(b, M_WRITE, f, s->loc);
  m->tgt = TGT_WADDR;
  m->off = 0;
  m->val = s->a[1];
  m->what = mb_describe(b, "%s: store", s->l1 ? "set-cdr!" : "set-car!");
}

cval mb_pset_addr(mb *b, const mstmt *m) {
  mx_operands(b, (const ir_expr *const[]){m->val, m->x1}, 2);
  cval p = mx_expr(b, m->val);
  (void)mx_expr(b, m->x1);   /* its errors were raised with the operands */
  cval a = {gf_addk(b->gg, p.f, m->konst), p.lo + m->konst, p.hi + m->konst, false};
  if (a.lo < 0) a.lo = 0;
  if (a.hi > ADDR_MAX) a.hi = ADDR_MAX;
  return a;
}
