/* sched_milp.c - the MILP scheduler: the fewest layers, then the narrowest
 * residual stream, solved with GLPK within a time limit and never worse
 * than the list schedule.  docs/milp.md has the formulation; in short:
 *
 *   the layers are fixed first: the list schedule (earliest times, the
 *   longest path) already has the fewest, so every gate must run by the
 *   last half-layer of that many layers (its latest time, ALAP);
 *   z[e][s] = 1 when gate e runs at time s or earlier ("step" variables,
 *   one per time between its earliest and latest time but the last);
 *   a gate runs strictly after what it reads:  z[v][s] <= z[u][s-1];
 *   W >= the values live at t, for every time t, which is exactly the
 *   d_model that interval colouring (slots_assign) will need;
 *   minimise W.
 *
 * Large graphs make that model too slow for GLPK within seconds, so the
 * search goes: the list schedule; a small live-range model (total live
 * length, integer layers); then the exact model asked for a narrower
 * schedule than the best so far, on neighbourhoods of the best (each
 * gate within r layers of its time there; r = 1, 2, 4, ...) up to the
 * whole problem, whose infeasibility proves the best optimal.  Every
 * candidate is placed with sched_place and kept only if it is better.
 *
 * Entities are the gates that get a time of their own: FFN gates and
 * heads (a head's outputs are written at the head's time; inputs are at
 * -1).
 */
#include "config.h"

#include "gates.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Larger models are not handed to GLPK: building and presolving them
 * alone would take longer than any sensible time limit. */
#define MAX_NNZ 3000000

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool is_entity(const gate *g) {
  return g->type == GT_FFN || g->type == GT_HEAD;
}

/* The first FFN (odd) or attention (even) time after `after`, as gates.c
 * computes earliest times; and the last one at or before `at`. */
static int next_time(int after, bool ffn) {
  int t = after + 1;
  if (t < 0) t = 0;
  if (((t & 1) != 0) != ffn) t++;
  return t;
}

static int prev_time(int at, bool ffn) {
  return ((at & 1) != 0) != ffn ? at - 1 : at;
}

/* ---- the graph as the model sees it ---------------------------------- */

typedef struct {
  gate_graph *gg;
  int n;
  int *rs, *rv;      /* what each gate reads: rv[rs[i] .. rs[i+1]), once each */
  int *ws, *wv;      /* the live entities that read each gate, likewise */
  int *order;        /* topological: what a gate reads comes before it */
  bool *live;
  bool *out;         /* read by the output, i.e. live until the end */
  int *lo, *hi;      /* earliest and latest time of each live entity */
  int L;             /* layers: the fewest possible */
  const int *center; /* when set, each entity stays within radius layers */
  int radius;        /* of its time there (a neighbourhood of a schedule) */
  int end;           /* 2L, when the output reads */
  int *col;          /* first step column of an entity with slack, else 0 */
  /* reachability between live entities, when there are few enough:
   * bit k of desc[idx[e] * words ..] says entity k runs after e */
  int *idx;
  uint64_t *desc;
  int words;
  int nslack;        /* entities with slack */
  char why[120];     /* why the model is infeasible */
} sm;

static void sm_free(sm *m) {
  free(m->rs);
  free(m->rv);
  free(m->ws);
  free(m->wv);
  free(m->order);
  free(m->idx);
  free(m->desc);
  free(m->live);
  free(m->out);
  free(m->lo);
  free(m->hi);
  free(m->col);
}

/* The entity whose time a gate has: a head output's is its head's. */
static int ent(const sm *m, int g) {
  const gate *x = &m->gg->g.v[g];
  return x->type == GT_HOUT ? x->head : g;
}

static void push_gate(int_vec *v, int g, int *stamp, int mark) {
  if (stamp[g] == mark) return;
  stamp[g] = mark;
  VEC_PUSH(*v, g);
}

static void push_form(int_vec *v, gform f, int *stamp, int mark) {
  for (int k = 0; k < f.n; k++) push_gate(v, f.t[k].g, stamp, mark);
}

/* Everything a gate reads: unit forms; query, key and value forms and the
 * mask of a head (sched.c's valid_schedule checks fewer, gates.c's
 * earliest times all of them). */
static void gate_reads(const gate *g, int_vec *v, int *stamp, int mark) {
  if (g->type == GT_FFN)
    for (int u = 0; u < g->nunits; u++) {
      push_form(v, g->units[u].b, stamp, mark);
      push_form(v, g->units[u].a, stamp, mark);
    }
  if (g->type != GT_HEAD) return;
  for (int k = 0; k < 2; k++) {
    push_form(v, g->q[k], stamp, mark);
    push_form(v, g->k[k], stamp, mark);
  }
  for (int k = 0; k < g->dv; k++) push_form(v, g->vals[k], stamp, mark);
  if (g->mask >= 0) push_gate(v, g->mask, stamp, mark);
}

static void collect_reads(sm *m) {
  int n = m->n;
  int *stamp = xmalloc((size_t)(n ? n : 1) * sizeof(int));
  for (int i = 0; i < n; i++) stamp[i] = -1;
  int_vec v = {0};
  m->rs = xmalloc((size_t)(n + 1) * sizeof(int));
  for (int i = 0; i < n; i++) {
    m->rs[i] = v.n;
    gate_reads(&m->gg->g.v[i], &v, stamp, i);
  }
  m->rs[n] = v.n;
  m->rv = v.v;   /* may be NULL when nothing reads anything */
  free(stamp);
}

/* What gate v depends on: what it reads, or a head output's head. */
static int npred(const sm *m, int v) {
  return m->gg->g.v[v].type == GT_HOUT ? 1 : m->rs[v + 1] - m->rs[v];
}

static int pred(const sm *m, int v, int k) {
  return m->gg->g.v[v].type == GT_HOUT ? m->gg->g.v[v].head : m->rv[m->rs[v] + k];
}

/* A topological order by depth-first search.  Gate ids are not one: the
 * machine fills in the query of a shared head after the head was made. */
static bool topo_order(sm *m) {
  int n = m->n, no = 0;
  char *st = xcalloc((size_t)(n ? n : 1), 1);   /* 1 on the stack, 2 done */
  int *stack = xmalloc((size_t)(n ? n : 1) * sizeof(int));
  int *next = xmalloc((size_t)(n ? n : 1) * sizeof(int));
  m->order = xmalloc((size_t)(n ? n : 1) * sizeof(int));
  bool ok = true;
  for (int root = 0; root < n && ok; root++) {
    if (st[root]) continue;
    int sp = 0;
    stack[sp++] = root;
    st[root] = 1;
    next[root] = 0;
    while (sp && ok) {
      int v = stack[sp - 1];
      if (next[v] == npred(m, v)) {
        st[v] = 2;
        m->order[no++] = v;
        sp--;
        continue;
      }
      int u = pred(m, v, next[v]++);
      ok = st[u] != 1;   /* a cycle */
      if (st[u] == 0) {
        st[u] = 1;
        next[u] = 0;
        stack[sp++] = u;
      }
    }
  }
  free(st);
  free(stack);
  free(next);
  return ok;
}

/* Liveness as sched.c computes it (reachability from the output), in one
 * pass from the last gate in topological order down. */
static void find_live(sm *m) {
  const gate_graph *gg = m->gg;
  int n = m->n;
  bool *read = xcalloc((size_t)(n ? n : 1), sizeof(bool));
  m->live = xcalloc((size_t)(n ? n : 1), sizeof(bool));
  m->out = xcalloc((size_t)(n ? n : 1), sizeof(bool));
  for (int r = 0; r < 3 * gg->n_roles; r++)
    for (int k = 0; k < gg->out[r].n; k++) read[gg->out[r].t[k].g] = m->out[gg->out[r].t[k].g] = true;
  read[gg->one] = m->out[gg->one] = true;
  for (int o = n - 1; o >= 0; o--) {
    int i = m->order[o];
    const gate *g = &gg->g.v[i];
    if (g->type == GT_HOUT) continue;
    bool live = read[i];
    if (g->type == GT_HEAD) {
      live = false;
      for (int k = 0; k < g->dv; k++) live |= read[g->outs[k]];
    }
    m->live[i] = live;
    if (live)
      for (int k = m->rs[i]; k < m->rs[i + 1]; k++) read[m->rv[k]] = true;
  }
  for (int i = 0; i < n; i++)
    if (gg->g.v[i].type == GT_HOUT) m->live[i] = m->live[gg->g.v[i].head];
  free(read);
}

/* ws/wv: the live entities that read each gate. */
static void collect_readers(sm *m) {
  int n = m->n;
  m->ws = xcalloc((size_t)n + 1, sizeof(int));
  for (int i = 0; i < n; i++)
    if (m->live[i] && is_entity(&m->gg->g.v[i]))
      for (int k = m->rs[i]; k < m->rs[i + 1]; k++) m->ws[m->rv[k] + 1]++;
  for (int i = 0; i < n; i++) m->ws[i + 1] += m->ws[i];
  m->wv = xmalloc((size_t)(m->ws[n] ? m->ws[n] : 1) * sizeof(int));
  int *fill = xmalloc((size_t)(n ? n : 1) * sizeof(int));
  memcpy(fill, m->ws, (size_t)n * sizeof(int));
  for (int i = 0; i < n; i++)
    if (m->live[i] && is_entity(&m->gg->g.v[i]))
      for (int k = m->rs[i]; k < m->rs[i + 1]; k++) m->wv[fill[m->rv[k]]++] = i;
  free(fill);
}

/* A value that occupies a slot: materialised, live and read. */
static bool slotted(const sm *m, int i) {
  const gate *g = &m->gg->g.v[i];
  if (!m->live[i] || g->type == GT_HEAD) return false;
  return m->out[i] || m->ws[i + 1] > m->ws[i];
}

/* ---- time domains ----------------------------------------------------- */

static int time_lo(const sm *m, int g) {
  return m->gg->g.v[g].type == GT_INPUT ? -1 : m->lo[ent(m, g)];
}

/* Earliest times (pins and neighbourhood included) and from them, over
 * the whole graph, the fewest layers. */
static bool earliest(sm *m) {
  const gate_graph *gg = m->gg;
  int maxt = -1;
  for (int o = 0; o < m->n; o++) {
    int i = m->order[o];
    const gate *g = &gg->g.v[i];
    if (!m->live[i] || !is_entity(g)) continue;
    int ready = -1, from = -1;
    for (int k = m->rs[i]; k < m->rs[i + 1]; k++)
      if (time_lo(m, m->rv[k]) > ready) {
        ready = time_lo(m, m->rv[k]);
        from = m->rv[k];
      }
    int t = next_time(ready, g->type == GT_FFN);
    if (g->pinned >= 0 && next_time(g->pinned - 1, g->type == GT_FFN) != g->pinned) {
      snprintf(m->why, sizeof m->why, "%s is pinned at time %d, in the wrong half-layer",
               g->name, g->pinned);
      return false;
    }
    if (g->pinned >= 0 && g->pinned < t) {
      snprintf(m->why, sizeof m->why, "%s is pinned at time %d, before its input %s (time %d)",
               g->name, g->pinned, gg->g.v[from].name, ready);
      return false;
    }
    m->lo[i] = g->pinned >= 0 ? g->pinned : t;
    if (m->center && m->center[i] - 2 * m->radius > m->lo[i]) m->lo[i] = m->center[i] - 2 * m->radius;
    if (m->lo[i] > maxt) maxt = m->lo[i];
  }
  if (m->center) return true;
  m->L = maxt < 0 ? 1 : maxt / 2 + 1;
  m->end = 2 * m->L;
  return true;
}

/* Latest times within L layers, from the last gate down. */
static bool latest(sm *m) {
  const gate_graph *gg = m->gg;
  for (int i = 0; i < m->n; i++)
    m->hi[i] = gg->g.v[i].type == GT_FFN ? 2 * m->L - 1 : 2 * m->L - 2;
  for (int o = m->n - 1; o >= 0; o--) {
    int i = m->order[o];
    const gate *g = &gg->g.v[i];
    if (!m->live[i] || !is_entity(g)) continue;
    if (g->pinned >= 0 && g->pinned < m->hi[i]) m->hi[i] = g->pinned;
    if (m->center && m->center[i] + 2 * m->radius < m->hi[i]) m->hi[i] = m->center[i] + 2 * m->radius;
    if (m->lo[i] > m->hi[i]) {
      snprintf(m->why, sizeof m->why, "%s cannot run after time %d (earliest %d)",
               g->name, m->hi[i], m->lo[i]);
      return false;
    }
    for (int k = m->rs[i]; k < m->rs[i + 1]; k++) {
      const gate *s = &gg->g.v[m->rv[k]];
      if (s->type == GT_INPUT) continue;
      int e = ent(m, m->rv[k]);
      int t = prev_time(m->hi[i] - 1, gg->g.v[e].type == GT_FFN);
      if (t < m->hi[e]) m->hi[e] = t;
    }
  }
  return true;
}

/* Inputs sit at -1; step columns for entities with slack. */
static void domains_finish(sm *m) {
  int next = 1;
  m->nslack = 0;
  for (int i = 0; i < m->n; i++) {
    const gate *g = &m->gg->g.v[i];
    m->col[i] = 0;
    if (g->type == GT_INPUT) m->lo[i] = m->hi[i] = -1;
    if (!m->live[i] || !is_entity(g) || m->lo[i] == m->hi[i]) continue;
    m->col[i] = next;
    next += (m->hi[i] - m->lo[i]) / 2;
    m->nslack++;
  }
}

/* ---- reachability ----------------------------------------------------- */

/* Beyond this many entities the bit matrix would cost too much memory;
 * the models are then only larger, not wrong. */
#define MAX_REACH 12000

static bool after(const sm *m, int e, int later) {
  if (!m->desc) return false;
  int k = m->idx[later];
  return m->desc[(size_t)m->idx[e] * m->words + k / 64] >> (k % 64) & 1;
}

/* desc: everything that runs after each entity, from the last down. */
static void reach(sm *m) {
  int ne = 0;
  m->idx = xmalloc((size_t)(m->n ? m->n : 1) * sizeof(int));
  for (int i = 0; i < m->n; i++)
    m->idx[i] = m->live[i] && is_entity(&m->gg->g.v[i]) ? ne++ : -1;
  if (ne > MAX_REACH) return;
  m->words = (ne + 63) / 64;
  m->desc = xcalloc((size_t)ne * m->words + 1, sizeof(uint64_t));
  for (int o = m->n - 1; o >= 0; o--) {
    int g = m->order[o], e = ent(m, g);
    if (m->idx[e] < 0 || m->gg->g.v[g].type == GT_HEAD) continue;
    uint64_t *d = m->desc + (size_t)m->idx[e] * m->words;
    for (int r = m->ws[g]; r < m->ws[g + 1]; r++) {   /* readers of what e writes */
      int s = m->wv[r], k = m->idx[s];
      const uint64_t *ds = m->desc + (size_t)k * m->words;
      d[k / 64] |= (uint64_t)1 << (k % 64);
      for (int w = 0; w < m->words; w++) d[w] |= ds[w];
    }
  }
}

/* Keeps, of the readers of each value, those that no other reader of it
 * must follow: the last read is always one of them. */
static void prune_readers(sm *m) {
  int n = m->n, out = 0;
  for (int i = 0; i < n; i++) {
    int from = m->ws[i], to = m->ws[i + 1];
    m->ws[i] = out;
    for (int a = from; a < to; a++) {
      bool dominated = false;
      for (int b = from; b < to && !dominated; b++)
        dominated = b != a && after(m, m->wv[a], m->wv[b]);
      if (!dominated) m->wv[out++] = m->wv[a];
    }
  }
  m->ws[n] = out;
}

static bool sm_init(sm *m, gate_graph *gg, char *err, size_t errlen) {
  memset(m, 0, sizeof *m);
  m->gg = gg;
  m->n = gg->g.n;
  size_t sz = (size_t)(m->n ? m->n : 1) * sizeof(int);
  m->lo = xmalloc(sz);
  m->hi = xmalloc(sz);
  m->col = xmalloc(sz);
  collect_reads(m);
  if (!topo_order(m)) {
    snprintf(err, errlen, "the gate graph has a cycle");
    return false;
  }
  find_live(m);
  collect_readers(m);
  if (!earliest(m) || !latest(m)) {
    snprintf(err, errlen, "%s", m->why);
    return false;
  }
  domains_finish(m);
  reach(m);
  prune_readers(m);
  return true;
}

/* The domains of the whole problem (center NULL), or of the neighbourhood
 * of a valid schedule, which is never empty: it holds that schedule. */
static bool set_window(sm *m, const int *center, int radius) {
  m->center = center;
  m->radius = radius;
  bool ok = earliest(m) && latest(m);
  domains_finish(m);
  return ok;
}

/* ---- width ------------------------------------------------------------ */

/* The widest point of the live ranges for the given entity times: what
 * slots_assign will need (greedy colouring of intervals is optimal). */
static int width_of(const sm *m, const int *t) {
  int span = m->end + 3;
  int *d = xcalloc((size_t)span, sizeof(int));
  for (int i = 0; i < m->n; i++) {
    if (!slotted(m, i)) continue;
    int from = m->gg->g.v[i].type == GT_INPUT ? -1 : t[ent(m, i)];
    int to = m->out[i] ? m->end : from;
    for (int k = m->ws[i]; k < m->ws[i + 1]; k++)
      if (t[m->wv[k]] > to) to = t[m->wv[k]];
    d[from + 1]++;
    d[to + 2]--;
  }
  int w = 0, cur = 0;
  for (int k = 0; k < span; k++) {
    cur += d[k];
    if (cur > w) w = cur;
  }
  free(d);
  return w;
}

/* ---- linear programs --------------------------------------------------- */

typedef struct {
  int j;
  double a;
} term;

typedef VEC(term) termv;

typedef struct {
  VEC(int) ia;
  VEC(int) ja;
  VEC(double) ar;
  VEC(struct lrow { int type; double lo, hi; }) rows;
  VEC(struct lcol { int kind, type; double lo, hi, obj; }) cols;
} lpm;

static void lpm_init(lpm *p) {
  memset(p, 0, sizeof *p);
  VEC_PUSH(p->ia, 0);   /* GLPK's arrays start at 1 */
  VEC_PUSH(p->ja, 0);
  VEC_PUSH(p->ar, 0);
}

static void lpm_free(lpm *p) {
  VEC_FREE(p->ia);
  VEC_FREE(p->ja);
  VEC_FREE(p->ar);
  VEC_FREE(p->rows);
  VEC_FREE(p->cols);
}

static int nnz(const lpm *p) { return p->ia.n - 1; }

static int add_col(lpm *p, int kind, int type, double lo, double hi) {
  struct lcol c = {kind, type, lo, hi, 0};
  VEC_PUSH(p->cols, c);
  return p->cols.n;
}

static int by_col(const void *a, const void *b) {
  const term *x = a, *y = b;
  return x->j - y->j;
}

/* Adds the row lo <= v <= hi (as `type` says) and empties v; terms on the
 * same column are merged, since GLPK refuses duplicates. */
static void add_row(lpm *p, termv *v, int type, double lo, double hi) {
  qsort(v->v, (size_t)v->n, sizeof(term), by_col);
  int n = 0;
  for (int k = 0; k < v->n; k++) {
    if (n && v->v[n - 1].j == v->v[k].j)
      v->v[n - 1].a += v->v[k].a;
    else
      v->v[n++] = v->v[k];
  }
  int row = p->rows.n + 1, kept = 0;
  for (int k = 0; k < n; k++) {
    if (v->v[k].a == 0) continue;
    VEC_PUSH(p->ia, row);
    VEC_PUSH(p->ja, v->v[k].j);
    VEC_PUSH(p->ar, v->v[k].a);
    kept++;
  }
  v->n = 0;
  if (!kept) return;   /* constant rows hold by construction */
  struct lrow r = {type, lo, hi};
  VEC_PUSH(p->rows, r);
}

static void put(termv *v, int j, double a) {
  term t = {j, a};
  VEC_PUSH(*v, t);
}

/* ---- the exact model: step variables and W ---------------------------- */

/* S_e(t) = [e runs at time t or earlier]: a constant k (col 0) or the
 * column of z[e][s], s the last time e may run at that is <= t. */
typedef struct {
  int col, k;
} stepv;

static stepv step(const sm *m, int e, int t) {
  stepv s = {0, 0};
  if (e < 0 || t >= m->hi[e]) s.k = 1;
  else if (t >= m->lo[e]) s.col = m->col[e] + (t - m->lo[e]) / 2;
  return s;
}

/* v += c * S, constants to *k. */
static void put_step(termv *v, int *k, stepv s, int c) {
  if (s.col) put(v, s.col, c);
  else *k += c * s.k;
}

/* z[e][s] <= z[e][s+2]: once run, run. */
static void monotone_rows(const sm *m, lpm *p, termv *v) {
  for (int e = 0; e < m->n; e++)
    for (int s = m->lo[e]; m->col[e] && s + 2 < m->hi[e]; s += 2) {
      put(v, step(m, e, s).col, 1);
      put(v, step(m, e, s + 2).col, -1);
      add_row(p, v, GLP_UP, 0, 0);
    }
}

/* The entities with slack that e must run after, into u (for both
 * models): what it reads, once each, less those that another of them
 * must follow anyway. */
static void slack_sources(const sm *m, int e, int *stamp, int_vec *u) {
  int_vec all = {0};
  for (int k = m->rs[e]; k < m->rs[e + 1]; k++) {
    int s = ent(m, m->rv[k]);
    if (m->gg->g.v[s].type == GT_INPUT || stamp[s] == e) continue;
    stamp[s] = e;
    VEC_PUSH(all, s);
  }
  u->n = 0;
  for (int a = 0; a < all.n; a++) {
    bool implied = !m->col[all.v[a]];
    for (int b = 0; b < all.n && !implied; b++) implied = after(m, all.v[a], all.v[b]);
    if (!implied) VEC_PUSH(*u, all.v[a]);
  }
  VEC_FREE(all);
}

/* v runs after u:  S_v(s) <= S_u(s-1) at every time v may run at.  (The
 * pairs with a fixed side hold through the domains.) */
static void precedence_rows(const sm *m, lpm *p, termv *v) {
  int *stamp = xmalloc((size_t)(m->n ? m->n : 1) * sizeof(int));
  for (int i = 0; i < m->n; i++) stamp[i] = -1;
  int_vec src = {0};
  for (int e = 0; e < m->n; e++) {
    if (!m->col[e]) continue;
    slack_sources(m, e, stamp, &src);
    for (int k = 0; k < src.n; k++)
      for (int s = m->lo[e]; s < m->hi[e]; s += 2) {
        stepv a = step(m, e, s), b = step(m, src.v[k], s - 1);
        if (b.k == 1) break;   /* surely run by then, and later too */
        put(v, a.col, 1);
        if (b.col) put(v, b.col, -1);
        add_row(p, v, GLP_UP, 0, 0);
      }
  }
  VEC_FREE(src);
  free(stamp);
}

/* Adds value i's liveness at time t to the W row (w, *k): written by t
 * and some reader still to run at t or later.  With one uncertain reader
 * r that is S_b(t) - S_r(t-1) exactly (r runs after b); with several, a
 * variable l >= S_b(t) - S_r(t-1) for each, which minimising W pulls
 * down to their maximum. */
static void live_share(const sm *m, lpm *p, int i, int t, termv *w, int *k,
                       termv *tmp) {
  const gate *g = &m->gg->g.v[i];
  stepv b = step(m, g->type == GT_INPUT ? -1 : ent(m, i), t);
  if (!b.col && !b.k) return;
  bool later = m->out[i];
  int_vec u = {0};
  for (int r = m->ws[i]; r < m->ws[i + 1] && !later; r++) {
    int e = m->wv[r];
    if (t - 1 < m->lo[e]) later = true;
    else if (t - 1 < m->hi[e]) VEC_PUSH(u, step(m, e, t - 1).col);
  }
  if (later || u.n == 1) put_step(w, k, b, 1);
  if (!later && u.n == 1) put(w, u.v[0], -1);
  if (!later && u.n > 1) {
    int l = add_col(p, GLP_CV, GLP_LO, 0, 0);
    put(w, l, 1);
    for (int r = 0; r < u.n; r++) {   /* l - S_b(t) + S_r(t-1) >= 0 */
      int kk = 0;
      put(tmp, l, 1);
      put(tmp, u.v[r], 1);
      put_step(tmp, &kk, b, -1);
      add_row(p, tmp, GLP_LO, (double)-kk, 0);
    }
  }
  VEC_FREE(u);
}

/* W >= the values live at t, for every t; rows of constants only raise
 * W's lower bound (with variable terms, which may be negative, the
 * constant alone bounds nothing). */
static void width_rows(const sm *m, lpm *p, int wcol, termv *v) {
  termv tmp = {0};
  double wlo = 0;
  for (int t = -1; t <= m->end; t++) {
    int k = 0;
    for (int i = 0; i < m->n; i++)
      if (slotted(m, i)) live_share(m, p, i, t, v, &k, &tmp);
    if (!v->n) {
      if (k > wlo) wlo = k;
      continue;
    }
    for (int j = 0; j < v->n; j++) v->v[j].a = -v->v[j].a;
    put(v, wcol, 1);
    add_row(p, v, GLP_LO, (double)k, 0);
  }
  p->cols.v[wcol - 1].lo = wlo;
  VEC_FREE(tmp);
}

/* Columns: the step variables of each entity with slack (m->col), then W
 * (at most w_ub), then the l variables.  False when W's bounds already
 * cross (no schedule that narrow). */
static bool build_exact(const sm *m, lpm *p, int w_ub) {
  lpm_init(p);
  for (int e = 0; e < m->n; e++)
    for (int s = m->lo[e]; m->col[e] && s < m->hi[e]; s += 2)
      add_col(p, GLP_BV, GLP_DB, 0, 1);
  int wcol = add_col(p, GLP_IV, GLP_DB, 0, w_ub);
  p->cols.v[wcol - 1].obj = 1;
  termv v = {0};
  monotone_rows(m, p, &v);
  precedence_rows(m, p, &v);
  width_rows(m, p, wcol, &v);
  VEC_FREE(v);
  struct lcol *w = &p->cols.v[wcol - 1];
  if (w->hi == w->lo) w->type = GLP_FX;
  return w->lo <= w->hi;
}

/* Times without slack (and of dead gates, as the list has them); the
 * models fill in the others. */
static int *times_base(const sm *m) {
  int *t = xmalloc((size_t)(m->n ? m->n : 1) * sizeof(int));
  for (int i = 0; i < m->n; i++) {
    const gate *g = &m->gg->g.v[i];
    t[i] = g->pinned >= 0 ? g->pinned : g->earliest;
    if (m->live[i] && is_entity(g)) t[i] = m->lo[i];
  }
  return t;
}

static void times_houts(const sm *m, int *t) {
  for (int i = 0; i < m->n; i++)
    if (m->gg->g.v[i].type == GT_HOUT) t[i] = t[m->gg->g.v[i].head];
}

/* An entity runs at the first time its step variable is 1. */
static int *times_exact(const sm *m, const double *x) {
  int *t = times_base(m);
  for (int i = 0; i < m->n; i++) {
    if (!m->col[i]) continue;
    t[i] = m->hi[i];
    for (int s = m->lo[i]; s < m->hi[i]; s += 2)
      if (x[step(m, i, s).col] > 0.5) {
        t[i] = s;
        break;
      }
  }
  times_houts(m, t);
  return t;
}

/* ---- the live-range model: integer layers, total live length ---------- */

/* The half-layer of an entity: time = 2 u + half, u its layer. */
static int half(const sm *m, int e) { return m->gg->g.v[e].type == GT_FFN; }

/* last(i) >= each reader's time: f[i] - 2 u[r] >= half(r) for readers
 * with slack; fixed readers bound f[i] from below. */
static void last_read(const sm *m, lpm *p, const int *ucol, int i, termv *v) {
  double fixed = m->gg->g.v[i].type == GT_INPUT ? -1 : m->lo[ent(m, i)];
  int nvar = 0;
  for (int r = m->ws[i]; r < m->ws[i + 1]; r++) {
    int e = m->wv[r];
    if (ucol[e]) nvar++;
    else if (m->lo[e] > fixed) fixed = m->lo[e];
  }
  if (!nvar) return;
  int f = add_col(p, GLP_CV, GLP_LO, fixed, 0);
  p->cols.v[f - 1].obj += 1;
  for (int r = m->ws[i]; r < m->ws[i + 1]; r++) {
    int e = m->wv[r];
    if (!ucol[e] || m->hi[e] <= fixed) continue;
    put(v, f, 1);
    put(v, ucol[e], -2);
    add_row(p, v, GLP_LO, half(m, e), 0);
  }
}

/* Minimises the total of (last read - write) over the values: a linear
 * proxy for W with a network-like LP, for graphs too large for the exact
 * model in the time given.  u[v] - u[u] >= 1, or 0 when an FFN gate reads
 * the head of the same layer. */
static void build_proxy(const sm *m, lpm *p, int *ucol) {
  lpm_init(p);
  for (int e = 0; e < m->n; e++)
    ucol[e] = m->col[e] ? add_col(p, GLP_IV, GLP_DB, m->lo[e] / 2, m->hi[e] / 2) : 0;
  termv v = {0};
  for (int i = 0; i < m->n; i++) {
    if (!slotted(m, i)) continue;
    int b = m->gg->g.v[i].type == GT_INPUT ? -1 : ent(m, i);
    if (b >= 0 && ucol[b]) p->cols.v[ucol[b] - 1].obj -= 2;
    if (!m->out[i]) last_read(m, p, ucol, i, &v);
  }
  int *stamp = xmalloc((size_t)(m->n ? m->n : 1) * sizeof(int));
  for (int i = 0; i < m->n; i++) stamp[i] = -1;
  int_vec src = {0};
  for (int e = 0; e < m->n; e++) {
    if (!ucol[e]) continue;
    slack_sources(m, e, stamp, &src);
    for (int k = 0; k < src.n; k++) {
      put(&v, ucol[e], 1);
      put(&v, ucol[src.v[k]], -1);
      add_row(p, &v, GLP_LO, half(m, e) && !half(m, src.v[k]) ? 0 : 1, 0);
    }
  }
  VEC_FREE(src);
  VEC_FREE(v);
  free(stamp);
}

static int *times_proxy(const sm *m, const double *x, const int *ucol) {
  int *t = times_base(m);
  for (int e = 0; e < m->n; e++)
    if (ucol[e]) t[e] = 2 * (int)(x[ucol[e]] + 0.5) + half(m, e);
  times_houts(m, t);
  return t;
}

/* ---- GLPK ------------------------------------------------------------- */

typedef struct {
  jmp_buf jb;
  bool verbose;
  int test_error;
  double deadline;   /* now_s() time to stop at; 0: none */
  bool stopped;      /* the callback stopped the search at the deadline */
  char err[120];     /* first line of GLPK's error message */
} gctx;

/* All GLPK output comes here: never to stdout, which carries the TAP
 * stream of the tests and the output of programs; on stderr if verbose. */
static int term_hook(void *info, const char *s) {
  gctx *c = info;
  if (glp_at_error() && !c->err[0]) {
    snprintf(c->err, sizeof c->err, "%s", s);
    c->err[strcspn(c->err, "\n")] = 0;
  }
  if (c->verbose) fputs(s, stderr);
  return 1;
}

/* glp_error must not abort the compiler.  GLPK's state is undefined after
 * an error, so all of it is dropped (glp_free_env, as the GLPK manual
 * requires before going on) and the solve is abandoned. */
static void error_hook(void *info) {
  gctx *c = info;
  glp_free_env();
  longjmp(c->jb, 1);
}

/* GLPK checks tm_lim itself only between nodes of its own choosing; the
 * callback enforces the deadline at every event of the search. */
static void callback(glp_tree *T, void *info) {
  gctx *c = info;
  if (c->test_error == 2) glp_ios_select_node(T, 0);   /* there is no node 0 */
  if (c->deadline > 0 && now_s() >= c->deadline) {
    c->stopped = true;
    glp_ios_terminate(T);
  }
  /* Ctrl-C, the memory or the time limit (base/guard.c): the compiler
   * abandons the form once the search has stopped */
  if (guard_poll()) {
    c->stopped = true;
    glp_ios_terminate(T);
  }
}

static glp_prob *load(const lpm *p) {
  glp_prob *P = glp_create_prob();
  glp_set_obj_dir(P, GLP_MIN);
  glp_add_cols(P, p->cols.n);
  for (int j = 1; j <= p->cols.n; j++) {
    const struct lcol *c = &p->cols.v[j - 1];
    glp_set_col_bnds(P, j, c->type, c->lo, c->hi);
    if (c->kind != GLP_CV) glp_set_col_kind(P, j, c->kind);
    glp_set_obj_coef(P, j, c->obj);
  }
  if (p->rows.n) glp_add_rows(P, p->rows.n);
  for (int i = 1; i <= p->rows.n; i++) {
    const struct lrow *r = &p->rows.v[i - 1];
    glp_set_row_bnds(P, i, r->type, r->lo, r->hi);
  }
  if (nnz(p)) glp_load_matrix(P, nnz(p), p->ia.v, p->ja.v, p->ar.v);
  return P;
}

typedef struct {
  int ret;           /* glp_intopt's return code, -1 on a GLPK error */
  int status;        /* glp_mip_status */
  double *x;         /* column values (1-based) when there is a solution */
} gresult;

/* Solves with presolve, the time left to c->deadline as tm_lim, all
 * output through term_hook; a GLPK error comes back as ret -1 with
 * c->err set.  Nothing here lives in a local variable across the
 * longjmp: the error path only returns. */
static void solve(gctx *c, const lpm *p, gresult *r) {
  r->ret = -1;
  r->status = GLP_UNDEF;
  if (setjmp(c->jb)) return;
  glp_term_hook(term_hook, c);
  glp_error_hook(error_hook, c);
  glp_prob *P = load(p);
  if (c->test_error == 1) glp_set_col_kind(P, p->cols.n + 1, GLP_BV);   /* no such column */
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.msg_lev = c->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  parm.cb_func = callback;
  parm.cb_info = c;
  if (c->deadline > 0) {
    double ms = (c->deadline - now_s()) * 1e3;
    parm.tm_lim = ms < 1 ? 1 : ms > INT_MAX / 2 ? INT_MAX / 2 : (int)ms;
  }
  r->ret = glp_intopt(P, &parm);
  r->status = glp_mip_status(P);
  if (r->status == GLP_OPT || r->status == GLP_FEAS)
    for (int j = 1; j <= p->cols.n; j++) r->x[j] = glp_mip_col_val(P, j);
  glp_delete_prob(P);
  glp_free_env();   /* no GLPK state (or hooks) left behind */
}

/* ---- candidates --------------------------------------------------------- */

/* Every read strictly earlier, right half-layers, pins kept, within the
 * layers: the whole rule, stricter than what sched_place checks. */
static bool times_valid(const sm *m, const int *t) {
  for (int i = 0; i < m->n; i++) {
    const gate *g = &m->gg->g.v[i];
    if (!m->live[i] || !is_entity(g)) continue;
    if (t[i] < 0 || ((t[i] & 1) != 0) != (g->type == GT_FFN) || t[i] >= m->end) return false;
    if (g->pinned >= 0 && t[i] != g->pinned) return false;
    for (int k = m->rs[i]; k < m->rs[i + 1]; k++) {
      int s = m->rv[k];
      if ((m->gg->g.v[s].type == GT_INPUT ? -1 : t[ent(m, s)]) >= t[i]) return false;
    }
  }
  return true;
}

static int total_units(const placement *p) {
  int u = 0;
  for (int l = 0; l < p->n_layers; l++) u += p->ffn_units[l];
  return u;
}

/* Fewer layers, then narrower, then fewer FFN units (slot clears). */
static bool better(const placement *a, const placement *b) {
  if (a->n_layers != b->n_layers) return a->n_layers < b->n_layers;
  if (a->d_model != b->d_model) return a->d_model < b->d_model;
  return total_units(a) < total_units(b);
}

typedef enum { FROM_LIST, FROM_PROXY, FROM_EXACT } source;

typedef struct {
  gate_graph *gg;
  sched_opts *o;
  const sm *m;
  double t0, deadline;   /* deadline 0: no time limit */
  placement best;
  bool have_best;
  source from;
  char list_err[256];    /* why the list schedule failed, if it did */
  char why[160];         /* why the best was not proven optimal, if it failed */
  bool glp_failed;
  bool timed_out;
  bool stalled;          /* stopped by sched_opts.patience */
  double improved_at;    /* when the best schedule was found */
  bool proven;           /* the best schedule is optimal */
} run;

static void say(const run *r, const char *fmt, ...) TVL_PRINTF(2, 3);
static void say(const run *r, const char *fmt, ...) {
  if (!r->o->verbose) return;
  va_list ap;
  va_start(ap, fmt);
  fputs("milp: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

/* Places t (taken over) and keeps it if it beats the best so far. */
static void consider(run *r, int *t, source from) {
  if (!times_valid(r->m, t)) {
    say(r, "a solution breaks a dependency; dropped");
    free(t);
    return;
  }
  placement p;
  if (!sched_place(r->gg, &p, t)) {
    say(r, "a solution was refused: %s", r->gg->err);
    r->gg->failed = false;
    r->gg->err[0] = 0;
    return;
  }
  say(r, "%s: %d layers, d_model %d (%.3f s)", from == FROM_EXACT ? "exact model" : "live-range model",
      p.n_layers, p.d_model, now_s() - r->t0);
  if (r->have_best && !better(&p, &r->best)) {
    placement_free(&p);
    return;
  }
  if (r->have_best) placement_free(&r->best);
  r->best = p;
  r->have_best = true;
  r->improved_at = now_s();
  r->from = from;
}

static const char *failure(int ret) {
  switch (ret) {
  case GLP_ENODFS: return "unbounded";
  case GLP_EFAIL: return "solver failure";
  case GLP_EBOUND: return "bad bounds";
  case GLP_EROOT: return "no root basis";
  default: return "no solution";
  }
}

/* SOLVED: optimal; FEAS: a solution, the search cut short by the time
 * limit; NOBETTER: infeasible, which for the exact model (asked for a
 * narrower schedule than the best so far) means the best is optimal. */
typedef enum { ST_SOLVED, ST_FEAS, ST_NOBETTER, ST_TIME, ST_FAILED } outcome;

/* Solves one model until `until`: its column values, or NULL; *out says
 * how it went, r->why why it failed. */
static double *stage(run *r, const lpm *p, double until, const char *what, outcome *out) {
  sched_opts *o = r->o;
  double left = until > 0 ? until - now_s() : 1e9;
  say(r, "%s: %d columns, %d rows, %d nonzeros; %.3f s left", what, p->cols.n,
      p->rows.n, nnz(p), left);
  if (nnz(p) > MAX_NNZ) {
    *out = ST_FAILED;
    snprintf(r->why, sizeof r->why, "model too large (%d nonzeros)", nnz(p));
    return NULL;
  }
  /* presolve alone takes about a microsecond a nonzero: not worth
   * starting without several times that left */
  *out = ST_TIME;
  if (left <= 0 || nnz(p) > 250000 * left) return NULL;
  gctx c;
  memset(&c, 0, sizeof c);
  c.verbose = o->verbose;
  c.test_error = o->test_glp_error;
  c.deadline = until;
  gresult g = {0, 0, xcalloc((size_t)p->cols.n + 1, sizeof(double))};
  solve(&c, p, &g);
  o->milp_status = g.status;
  if (g.ret == -1) {
    snprintf(r->why, sizeof r->why, "GLPK error (%s)", c.err[0] ? c.err : "unknown");
    r->glp_failed = true;
  } else if (g.status == GLP_OPT || g.status == GLP_FEAS) {
    *out = g.status == GLP_OPT ? ST_SOLVED : ST_FEAS;
    r->timed_out |= *out == ST_FEAS;
    return g.x;
  } else if (g.status == GLP_NOFEAS || g.ret == GLP_ENOPFS) {
    *out = ST_NOBETTER;
  } else if (g.ret == GLP_ETMLIM || g.ret == GLP_ESTOP) {
    *out = ST_TIME;
  } else {
    snprintf(r->why, sizeof r->why, "%s (glp_intopt %d, status %d)", failure(g.ret), g.ret,
             g.status);
  }
  free(g.x);
  return NULL;
}

/* The live-range model: quick, half the time at most. */
static void proxy_stage(run *r, const sm *m) {
  lpm p;
  int *ucol = xmalloc((size_t)(m->n ? m->n : 1) * sizeof(int));
  build_proxy(m, &p, ucol);
  double until = r->deadline > 0 ? (now_s() + r->deadline) / 2 : 0;
  outcome out;
  double *x = stage(r, &p, until, "live-range model", &out);
  if (x) consider(r, times_proxy(m, x, ucol), FROM_PROXY);
  r->timed_out |= out == ST_TIME;
  free(x);
  free(ucol);
  lpm_free(&p);
}

/* The end of the next stage: the deadline, or earlier when the search
 * has gone on too long without a better schedule (sched_opts.patience). */
static double stage_end(run *r, bool *by_patience) {
  *by_patience = false;
  double p = r->o->patience;
  if (p <= 0) return r->deadline;
  double cut = r->improved_at + fmax(p, 2 * (r->improved_at - r->t0));
  if (r->deadline > 0 && r->deadline <= cut) return r->deadline;
  *by_patience = true;
  return cut;
}

/* The exact model asks for a narrower schedule than the best so far;
 * first in neighbourhoods of the best (every gate within `radius` layers
 * of its time there), which are small and quick, again around each
 * better schedule found, wider when there is none, up to the whole
 * problem: its infeasibility proves the best optimal. */
static void exact_stages(run *r, sm *m) {
  for (int radius = 1; !r->glp_failed;) {
    bool full = !r->have_best || radius >= m->L;
    if (!set_window(m, full ? NULL : r->best.time, radius)) break;   /* cannot happen */
    lpm p;
    outcome out = ST_NOBETTER;
    double *x = NULL;
    bool by_patience = false;
    double until = stage_end(r, &by_patience);
    if (build_exact(m, &p, r->have_best ? width_of(m, r->best.time) - 1 : INT_MAX / 2))
      x = stage(r, &p, until, full ? "exact model" : "neighbourhood", &out);
    lpm_free(&p);
    if (x) consider(r, times_exact(m, x), FROM_EXACT);
    free(x);
    if ((out == ST_TIME || out == ST_FEAS) && by_patience) r->stalled = true;
    else r->timed_out |= out == ST_TIME;
    if (out == ST_SOLVED && !full) continue;   /* again around the better one */
    r->proven = full && (out == ST_NOBETTER || out == ST_SOLVED);
    if (out != ST_NOBETTER || full) break;
    radius *= 2;
  }
  if (r->proven) r->o->milp_status = GLP_OPT;
}

/* The note: empty when the best schedule is proven optimal, else why
 * not and what is used instead. */
static void finish_note(run *r) {
  if (r->proven) return;
  const char *used = !r->have_best || r->from == FROM_LIST ? "list schedule"
                     : r->from == FROM_PROXY ? "live-range model's schedule"
                                             : "best schedule found";
  /* stopping for patience is the normal end of a definition's search,
   * not worth a note on every definition */
  if (!r->why[0] && r->stalled && !r->timed_out) return;
  if (!r->why[0] && r->timed_out)
    snprintf(r->why, sizeof r->why, "time limit %g s reached before %s", r->o->time_limit,
             r->from == FROM_LIST ? "a solution" : "optimality was proven");
  if (!r->why[0]) snprintf(r->why, sizeof r->why, "no better schedule proven");
  snprintf(r->o->note, sizeof r->o->note, "MILP: %s; %s used", r->why, used);
}

bool sched_milp(gate_graph *gg, placement *pl, sched_opts *o) {
  run r;
  memset(&r, 0, sizeof r);
  r.gg = gg;
  r.o = o;
  r.t0 = now_s();
  r.deadline = o->time_limit > 0 ? r.t0 + o->time_limit : 0;
  r.improved_at = r.t0;
  o->note[0] = 0;
  o->milp_status = GLP_UNDEF;
  memset(pl, 0, sizeof *pl);
  if (gg->failed) return false;
  r.have_best = sched_list(gg, &r.best);
  if (!r.have_best) {   /* pins can break the list schedule but not the MILP */
    snprintf(r.list_err, sizeof r.list_err, "%s", gg->err);
    gg->failed = false;
    gg->err[0] = 0;
  }
  r.from = FROM_LIST;
  sm m;
  char why[120];
  if (!sm_init(&m, gg, why, sizeof why)) {
    o->milp_status = GLP_NOFEAS;
    snprintf(r.why, sizeof r.why, "infeasible: %s", why);
  } else if (m.nslack == 0) {   /* one schedule only: the earliest times */
    o->milp_status = GLP_OPT;
    r.proven = true;
    r.m = &m;
    int *t = times_base(&m);
    times_houts(&m, t);
    consider(&r, t, FROM_EXACT);
  } else {
    r.m = &m;
    proxy_stage(&r, &m);
    exact_stages(&r, &m);
  }
  sm_free(&m);
  if (r.glp_failed && r.from != FROM_LIST) {   /* any GLPK error: the list */
    placement_free(&r.best);
    r.have_best = sched_list(gg, &r.best);
    r.from = FROM_LIST;
  }
  finish_note(&r);
  if (!r.have_best) {
    snprintf(gg->err, sizeof gg->err, "%s", r.list_err);
    gg->failed = true;
    return false;
  }
  *pl = r.best;
  return true;
}
