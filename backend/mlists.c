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
  int loop;                /* the block whose cdr is of its own class, or -1 */
  int stop, back;          /* its circular list's last pair; #N#'s N */
  int pair_type;           /* the loop's class as a pair, untagged */
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

/* (eqv? x y): the same pair */
static ir_expr *same(mb *b, ir_expr *x, ir_expr *y) {
  ir_expr *e = mb_mkx(b, X_PRIM, mb_kind_type(b, T_BOOL), 2);
  e->op = builtin_find("eqv?");
  e->a[0] = x;
  e->a[1] = y;
  return e;
}

static void write_to(mb *b, spine *S, int var, ir_expr *x, const char *what) {
  mstmt *m = mb_step(b, M_WRITE, S->fn, S->loc);
  mb_set_target(b, m, var);
  m->val = x;
  m->what = mb_describe(b, "display: %s", what);
}

static void jump_to(mb *b, spine *S, int_vec *jumps) {
  VEC_PUSH(*jumps, b->ms.n);
  mb_step(b, M_JUMP, S->fn, S->loc);
}

/* The steps of `jumps` go to the next step: a jump (its index), or a
 * branch's false arm (-1 - its index). */
static void land(mb *b, int_vec *jumps) {
  for (int i = 0; i < jumps->n; i++) {
    int j = jumps->v[i];
    if (j >= 0) {
      b->ms.v[j].l1 = b->ms.n;
      b->ms.v[j].l1_is_pc = true;
    } else {
      b->ms.v[-1 - j].l2 = b->ms.n;
      b->ms.v[-1 - j].l2_is_pc = true;
    }
  }
  VEC_FREE(*jumps);
}

/* The pair after variable v's: into variable w, or a jump to `out` when
 * there is none. */
static void step_on(mb *b, spine *S, int v, int w, int_vec *out, const char *what) {
  ir_expr *d = part(b, as_pair(b, mb_var_ref(b, v)), true);
  if (ir_kind(b->ir, d->type) == T_DYN) {
    int br = branch(b, S, pred(b, "pair?", d), "one more pair?");
    VEC_PUSH(*out, -1 - br);
    d = part(b, as_pair(b, mb_var_ref(b, v)), true);
  }
  tkind wk = ir_kind(b->ir, b->ir->vars.v[w].type);
  write_to(b, S, w, wk == T_PAIR ? as_pair(b, d) : d, what);
}

/* The chain of classes along a list's cdrs: a list whose pairs can be
 * circular has a class whose cdr is of its own class (set-cdr! made it
 * so, or it is a list of any length).  The blocks are numbered in this
 * order.  Returns that block, or -1 when the chain ends. */
static int find_loop(mb *b, spine *S, int t) {
  int root[MAX_BLOCKS], n = 0;
  while (holds_pairs(b, t) && n < MAX_BLOCKS) {
    int r = class_root(b, t);
    for (int i = 0; i < n; i++)
      if (root[i] == r) return i == n - 1 ? i : -2;
    root[n++] = r;
    ir_expr *x = mb_mkx(b, X_VAR, t, 0);
    t = ir_pair_type(b->ir, as_pair(b, x)->type, true);
  }
  (void)S;
  return -1;
}

static void jump_back(mb *b, spine *S, int pc) {
  mstmt *m = mb_step(b, M_JUMP, S->fn, S->loc);
  m->l1 = pc;
  m->l1_is_pc = true;
}

static ir_expr *cdr_of(mb *b, int v) {
  return part(b, as_pair(b, mb_var_ref(b, v)), true);
}

/* Variable r := the pair of the cycle whose cdr is variable x's pair
 * (x's class: the loop's). */
static void before_in_cycle(mb *b, spine *S, int r, int x) {
  write_to(b, S, r, mb_var_ref(b, x), "around the cycle");
  int around = b->ms.n;
  int br = branch(b, S, same(b, cdr_of(b, r), mb_var_ref(b, x)), "the pair before?");
  int_vec done = {0};
  jump_to(b, S, &done);
  else_here(b, br);
  write_to(b, S, r, as_pair(b, cdr_of(b, r)), "around the cycle");
  jump_back(b, S, around);
  land(b, &done);
}

/* Before a list whose cdrs may come back (block S->loop's class is its
 * own cdr's) is printed, Floyd's walk from its first pair of that class
 * finds whether they do; when they do, S->stop is the last pair before
 * they come back, and S->back minus the number of pairs after the
 * cycle's first: Guile writes (1 2 3 . #-1#) when the cdr of the third
 * pair is the second, (1 . #0#) when a pair's cdr is itself.  The pairs
 * before the loop's block, of other classes, may be in the cycle too:
 * the one before the loop's first is when it is the cycle's last, and so
 * on backwards. */
static void find_cycle(mb *b, spine *S) {
  int k = S->loop, P = S->pair_type;
  int_vec print = {0};
  for (int i = 0; i < k; i++) step_on(b, S, S->var[i], S->var[i + 1], &print, "the next pair");
  /* untagged: a pair's address is one token where a tagged value is three */
  int h = mb_temp(b, P, "display:hare"), t = mb_temp(b, P, "display:tortoise");
  write_to(b, S, h, as_pair(b, mb_var_ref(b, S->var[k])), "the hare starts");
  write_to(b, S, t, mb_var_ref(b, h), "the tortoise starts");
  int loop = b->ms.n;
  step_on(b, S, h, h, &print, "the hare's first step");
  step_on(b, S, h, h, &print, "the hare's second step");
  write_to(b, S, t, as_pair(b, cdr_of(b, t)), "the tortoise's step");
  int met = branch(b, S, same(b, mb_var_ref(b, h), mb_var_ref(b, t)), "they meet: circular?");
  b->ms.v[met].l2 = loop;
  b->ms.v[met].l2_is_pc = true;
  /* from the first pair and from the meeting place, in step: they meet
   * where the cycle starts (in h) */
  write_to(b, S, h, as_pair(b, mb_var_ref(b, S->var[k])), "find the cycle's start");
  int find = b->ms.n;
  int at = branch(b, S, same(b, mb_var_ref(b, h), mb_var_ref(b, t)), "the cycle's start?");
  int_vec found = {0};
  jump_to(b, S, &found);
  else_here(b, at);
  write_to(b, S, h, as_pair(b, cdr_of(b, h)), "one from the start");
  write_to(b, S, t, as_pair(b, cdr_of(b, t)), "one from the meeting place");
  jump_back(b, S, find);
  land(b, &found);
  /* around the cycle to its last pair, counting */
  write_to(b, S, S->stop, mb_var_ref(b, h), "the cycle's last pair");
  write_to(b, S, S->back, mb_int_const(b, 0), "#N#");
  int around = b->ms.n;
  int last = branch(b, S, same(b, cdr_of(b, S->stop), mb_var_ref(b, h)), "the cycle's last pair?");
  int_vec counted = {0};
  jump_to(b, S, &counted);
  else_here(b, last);
  write_to(b, S, S->stop, as_pair(b, cdr_of(b, S->stop)), "the cycle's last pair");
  ir_expr *dec = mb_mkx(b, X_PRIM, mb_int_type(b), 2);
  dec->op = builtin_find("-");
  dec->a[0] = mb_var_ref(b, S->back);
  dec->a[1] = mb_int_const(b, 1);
  write_to(b, S, S->back, dec, "#N#");
  jump_back(b, S, around);
  land(b, &counted);
  int_vec adjust = {0};
  if (k > 0) {   /* the cycle starts at the loop's first pair? */
    int br = branch(b, S, same(b, mb_var_ref(b, h), mb_var_ref(b, S->var[k])), "the cycle starts there?");
    int skip = b->ms.n;
    mb_step(b, M_JUMP, S->fn, S->loc);
    else_here(b, br);
    jump_to(b, S, &adjust);
    b->ms.v[skip].l1 = b->ms.n;
    b->ms.v[skip].l1_is_pc = true;
  }
  for (int j = k - 1; j >= 0; j--) {   /* pair j in the cycle: its last */
    int br = branch(b, S, same(b, mb_var_ref(b, S->stop), mb_var_ref(b, S->var[j])), "in the cycle too?");
    before_in_cycle(b, S, t, S->stop);
    write_to(b, S, S->stop, mb_var_ref(b, t), "the cycle's last pair");
    int next = b->ms.n;
    mb_step(b, M_JUMP, S->fn, S->loc);
    else_here(b, br);
    jump_to(b, S, &adjust);
    b->ms.v[next].l1 = b->ms.n;
    b->ms.v[next].l1_is_pc = true;
  }
  land(b, &adjust);
  /* a last pair that is its own cdr, after others, is #1#: Guile counts
   * back from the pair before it, which has the same cdr */
  ir_expr *zero = mb_mkx(b, X_PRIM, mb_kind_type(b, T_BOOL), 2);
  zero->op = builtin_find("=");
  zero->a[0] = mb_var_ref(b, S->back);
  zero->a[1] = mb_int_const(b, 0);
  int one = branch(b, S, zero, "a cycle of one pair?");
  int first = branch(b, S, same(b, mb_var_ref(b, S->stop), mb_var_ref(b, S->var[0])), "the list's first pair?");
  jump_to(b, S, &print);
  else_here(b, first);
  write_to(b, S, S->back, mb_int_const(b, 1), "#1#");
  else_here(b, one);
  land(b, &print);
}

/* The steps of block i: its car, then by its cdr. */
static void emit_block(mb *b, spine *S, int i) {
  S->pc[i] = b->ms.n;
  ir_expr *x = mb_var_ref(b, S->var[i]);
  ir_expr *p = as_pair(b, x);
  if (!mb_display_at(b, part(b, p, false), S->write, S->fn, S->loc, S->depth + 1)) return;
  if (S->loop >= 0 && i <= S->loop) {   /* the cycle's last pair: " . #N#)" */
    int br = branch(b, S, same(b, x, mb_var_ref(b, S->stop)), "the cycle's last pair?");
    out_str(b, S, " . #");
    if (!mb_display_at(b, mb_var_ref(b, S->back), false, S->fn, S->loc, S->depth + 1)) return;
    out_str(b, S, "#)");
    jump_end(b, S);
    else_here(b, br);
  }
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

/* The blocks up to the loop, in the chain's order, and the variables of
 * find_cycle; S->stop starts as (), never a pair, for lists that end. */
static bool cycle_setup(mb *b, spine *S, ir_expr *e) {
  int t = e->type;
  bool may_end = false;
  for (int i = 0; i < S->loop; i++) {
    ir_expr *x = mb_mkx(b, X_VAR, t, 0);
    t = ir_pair_type(b->ir, as_pair(b, x)->type, true);
    may_end |= ir_kind(b->ir, t) != T_PAIR;
    if (block_of(b, S, t) != i + 1) return false;
  }
  ir_expr *x = mb_mkx(b, X_VAR, S->cls[S->loop], 0);
  S->pair_type = as_pair(b, x)->type;
  S->stop = mb_temp(b, S->pair_type, "display:stop");
  S->back = mb_temp(b, mb_int_type(b), "display:back");
  /* no pair is at address -1: a list that ends never meets it */
  write_to(b, S, S->stop, mb_int_const(b, -1), "no cycle yet");
  (void)may_end;
  find_cycle(b, S);
  return !b->failed;
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
  S.loop = find_loop(b, &S, e->type);
  /* cons alone makes no cycles: only set-cdr! in this program's code, or
   * a global that holds a circular list, can */
  bool may_cycle = b->ir->sets_cdrs || b->ir->circular_global;
  if (S.loop >= 0 && !may_cycle) S.loop = -1;
  if (S.loop == -2) {
    /* cons alone makes no cycles: only set-cdr! in this program can */
    if (may_cycle) {
      mb_fail(b, "a list that set-cdr! may make circular, whose pairs are of "
                 "several classes, cannot be displayed");
      return false;
    }
    S.loop = -1;
  }
  int first = block_of(b, &S, e->type);
  if (first >= 0) {
    mstmt *m = mb_step(b, M_WRITE, fn, loc);
    mb_set_target(b, m, S.var[first]);
    m->val = e;
    m->what = mb_describe(b, "display: take the list");
    if (S.loop >= 0 && !cycle_setup(b, &S, e)) return false;
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
