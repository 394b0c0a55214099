/* mopt.c - optimisation of the machine's steps before code generation:
 * jump threading, chains of branches merged into one multiway jump, steps
 * no jump reaches removed and the rest renumbered.  Fewer steps mean a
 * narrower PC one-hot and fewer tokens per executed statement.
 */
#include "config.h"

#include "mbuild.h"

#include <stdlib.h>
#include <string.h>

/* ---- step optimisation ---------------------------------------------- */

/* A step that only decides where to go next, from a pure expression. */
static bool pure_jump(const mstmt *m) {
  return m->k == M_JUMP || m->k == M_BRANCH ||
         (m->k == M_JUMPDYN && m->sp == SP_NONE && m->val && m->val->k == X_SELECT);
}

static int expr_size(const ir_expr *e) {
  int n = 1;
  for (int i = 0; i < e->n; i++) n += expr_size(e->a[i]);
  return n;
}

static ir_expr *target_const(mb *b, int32_t pc) {
  ir_expr *e = mb_int_const(b, pc);
  e->ival = pc;
  return e;
}

/* A private copy of a target tree: its constants are renumbered in place
 * later, so no two steps may share them (conditions stay shared). */
static ir_expr *copy_targets(mb *b, const ir_expr *e) {
  if (e->k == X_CONST) return target_const(b, e->ival);
  if (e->k != X_SELECT) return (ir_expr *)e;
  ir_expr *c = mb_mkx(b, X_SELECT, e->type, 3);
  c->loc = e->loc;
  c->a[0] = e->a[0];
  c->a[1] = copy_targets(b, e->a[1]);
  c->a[2] = copy_targets(b, e->a[2]);
  return c;
}

/* Where step t sends control, as an expression over the same state;
 * follows pure jumps `depth` more levels. */
static ir_expr *target_expr(mb *b, int32_t t, int depth) {
  if (depth <= 0 || t < 0 || t >= b->ms.n || !pure_jump(&b->ms.v[t]))
    return target_const(b, t);
  const mstmt *m = &b->ms.v[t];
  if (m->k == M_JUMP) return target_expr(b, m->konst, depth - 1);
  if (m->k == M_JUMPDYN) return copy_targets(b, m->val);
  ir_expr *sel = mb_mkx(b, X_SELECT, mb_int_type(b), 3);
  sel->a[0] = m->val;
  sel->a[1] = target_expr(b, m->konst, depth - 1);
  sel->a[2] = target_expr(b, m->l2, depth - 1);
  sel->loc = m->loc;
  return sel;
}

static void collect_targets(const ir_expr *e, char *live, int n, int_vec *work) {
  if (e->k == X_CONST) {
    if (e->ival >= 0 && e->ival < n && !live[e->ival]) {
      live[e->ival] = 1;
      VEC_PUSH(*work, e->ival);
    }
    return;
  }
  if (e->k == X_SELECT) {
    collect_targets(e->a[1], live, n, work);
    collect_targets(e->a[2], live, n, work);
  }
}

static void reach(mb *b, int s, char *live, int_vec *work) {
  if (s >= 0 && s < b->ms.n && !live[s]) {
    live[s] = 1;
    VEC_PUSH(*work, s);
  }
}

/* Steps reachable from the entry, from jumps and return addresses. */
static char *reachable(mb *b) {
  int n = b->ms.n;
  char *live = xcalloc((size_t)n + 1, 1);
  int_vec work = {0};
  reach(b, 0, live, &work);
  for (int i = 0; i < n; i++) {
    if (b->ms.v[i].k == M_WRITE && b->ms.v[i].konst_pc) reach(b, b->ms.v[i].konst, live, &work);
    /* a kind error's report: a failed check jumps there (mreport.c) */
    if (b->ms.v[i].report_of) reach(b, i, live, &work);
    /* a landing: a failed check jumps there (mcatch.c) */
    if (b->ms.v[i].landing) reach(b, i, live, &work);
  }
  while (work.n) {
    int s = work.v[--work.n];
    const mstmt *m = &b->ms.v[s];
    switch (m->k) {
    case M_JUMP: reach(b, m->konst, live, &work); break;
    case M_BRANCH: reach(b, m->konst, live, &work); reach(b, m->l2, live, &work); break;
    case M_JUMPDYN: if (m->val) collect_targets(m->val, live, n, &work); break;
    case M_MARK: if (m->mark != R_HALT) reach(b, s + 1, live, &work); break;
    default: reach(b, s + 1, live, &work); break;
    }
    if (m->k == M_WRITE && m->konst_pc) reach(b, m->konst, live, &work);
  }
  VEC_FREE(work);
  return live;
}

static void remap_expr(ir_expr *e, const int *map) {
  if (e->k == X_CONST) {
    e->ival = map[e->ival];
    return;
  }
  if (e->k == X_SELECT) {
    remap_expr(e->a[1], map);
    remap_expr(e->a[2], map);
  }
}

/* Drops unreachable steps and jumps to the next step; renumbers. */
static void compact(mb *b) {
  int n = b->ms.n;
  char *live = reachable(b);
  int *map = xmalloc(((size_t)n + 1) * sizeof(int));
  /* a jump to the following live step is dropped: it goes where that
   * step goes */
  int next_live = n;
  char *drop = xcalloc((size_t)n + 1, 1);
  for (int i = n - 1; i >= 0; i--) {
    if (!live[i]) continue;
    const mstmt *m = &b->ms.v[i];
    if (m->k == M_JUMP && m->konst == next_live && next_live < n) drop[i] = 1;
    else next_live = i;
  }
  int k = 0;
  for (int i = 0; i < n; i++)
    if (live[i] && !drop[i]) map[i] = k++;
  map[n] = k;
  for (int i = n - 1; i >= 0; i--)
    if (!live[i] || drop[i]) map[i] = i + 1 <= n ? map[i + 1 < n ? i + 1 : n] : k;
  /* jumps that were dropped map to their target's new number; a chain of
   * them resolves from the end because targets come later */
  for (int i = n - 1; i >= 0; i--)
    if (drop[i]) map[i] = map[b->ms.v[i].konst];
  /* the dropped jump's fall-through PC: map[i] above */
  int w = 0;
  for (int i = 0; i < n; i++) {
    if (!live[i] || drop[i]) {
      free(b->ms.v[i].what);
      continue;
    }
    mstmt m = b->ms.v[i];
    if (m.konst_pc) m.konst = map[m.konst];
    if (m.k == M_BRANCH) m.l2 = map[m.l2];
    if (m.k == M_JUMPDYN && m.val && m.val->k == X_SELECT) remap_expr(m.val, map);
    b->ms.v[w++] = m;
  }
  b->ms.n = w;
  free(map);
  free(drop);
  free(live);
}

void mb_optimize_steps(mb *b) {
  int n = b->ms.n;
  /* jump threading */
  for (int i = 0; i < n; i++) {
    mstmt *m = &b->ms.v[i];
    if (m->k != M_JUMP) continue;
    for (int hops = 0; hops < 16 && m->konst >= 0 && m->konst < n &&
                       b->ms.v[m->konst].k == M_JUMP && m->konst != i;
         hops++)
      m->konst = b->ms.v[m->konst].konst;
  }
  /* a jump to a decision makes the decision itself; consecutive decisions
   * merge into one jump whose target is a select chain */
  for (int i = 0; i < n; i++) {
    mstmt *m = &b->ms.v[i];
    if (m->k != M_JUMP && m->k != M_BRANCH) continue;
    if (m->k == M_JUMP) {
      int t = m->konst;
      if (t < 0 || t >= n || t == i || !pure_jump(&b->ms.v[t])) continue;
      if (b->ms.v[t].val && expr_size(b->ms.v[t].val) > 64) continue;
    }
    ir_expr *e = target_expr(b, i, 4);
    if (e->k != X_SELECT || expr_size(e) > 256) continue;
    m->k = M_JUMPDYN;
    m->val = e;
    m->konst_pc = false;
    if (!m->what) m->what = mb_describe(b, "branch");
  }
  compact(b);
}

