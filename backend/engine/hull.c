/* hull.c - the hull KV cache: hard-max attention over 2-D integer keys in
 * O(log t) per insert (amortised) and per query.
 *
 * The maximiser of q.k over a set of points lies on its convex hull:
 *   qy > 0  on the upper hull,  qy < 0  on the lower hull,
 *   qy == 0 among the points of extreme x (all of them tie),
 *   q == 0  everywhere (everything ties).
 * So a cache keeps two chains (the lower one stores (x, -y) and is
 * queried with (qx, -qy), so one upper-chain routine serves both), plus
 * aggregates of the leftmost and rightmost x and of everything.
 *
 * A chain is the upper hull with its collinear boundary points (they can
 * tie), at most one point per x (the highest; a lower one never wins when
 * qy > 0).  Points strictly below it are dropped for good: the hull only
 * grows, so they can never win again.  A chain is a treap ordered by x
 * whose nodes carry subtree aggregates (count, latest position, value
 * sums) so that a tied run of points is summed in O(log t).  Each node
 * also carries a copy of its successor on the chain, so that a query can
 * descend by edge direction without looking anything up.
 *
 * Duplicate keys share a node: its count, latest position and the value
 * at that position (LATEST), or its value sums (AVERAGE).
 *
 * All geometry is exact, in __int128: |x| <= 2^31 and |y| <= 2^62, so
 * differences stay within 2^32 and 2^63 and every cross product (< 2^96)
 * or score (< 2^94) fits.
 *
 * kvcache.c checks every argument before it calls in here.
 */
#include "config.h"

#include "backend/engine/engine.h"

#include <math.h>
#include <string.h>

typedef struct hull_cache hull_cache;
hull_cache *hull_new(tie_rule tie, int dv);
void hull_free(hull_cache *h);
void hull_insert(hull_cache *h, int64_t kx, int64_t ky, int64_t pos,
                 const double *value);
void hull_insert_n(hull_cache *h, int64_t kx, int64_t ky, int64_t pos,
                   int64_t n, const double *value);
void hull_query(hull_cache *h, int64_t qx, int64_t qy, kv_result *r,
                double *value);

typedef __int128 i128;

enum { NIL = 0 }; /* node 0: the empty tree, with empty aggregates */

typedef struct {
  int64_t x, y;       /* the key (y negated in the lower chain) */
  int64_t nx, ny;     /* the successor on the chain, if has_next */
  int64_t cnt, pos;   /* this key: how often inserted, latest position */
  int64_t acnt, apos; /* subtree: total count, latest position */
  int32_t l, r;
  int32_t anode;      /* the node holding apos */
  uint32_t prio;
  int32_t has_next;
} hnode;

typedef struct {
  hnode *nd;
  int32_t n, cap, free_list, root;
  double *val;    /* LATEST: dv per node, the value at pos */
  int64_t *sum;   /* AVERAGE: dv per node, this key's value sums */
  int64_t *asum;  /* AVERAGE: dv per node, the subtree's value sums */
} chain;

/* A set of tied points: how many, the latest, and (AVERAGE) value sums. */
typedef struct {
  int64_t cnt, pos, kx, ky;
  double *val;    /* LATEST */
  int64_t *sum;   /* AVERAGE */
} group;

struct hull_cache {
  tie_rule tie;
  int dv;
  chain up, lo;
  group gmin, gmax, gall;   /* leftmost x, rightmost x, everything */
  int64_t xmin, xmax;
  uint64_t rng;
  int64_t *scratch;         /* dv sums for a query */
};

/* ---- nodes ----------------------------------------------------------- */

static void chain_init(chain *c, tie_rule tie, int dv) {
  c->cap = 16;
  c->nd = xcalloc((size_t)c->cap, sizeof *c->nd);
  if (tie == TIE_LATEST) {
    c->val = xcalloc((size_t)c->cap * (size_t)dv, sizeof *c->val);
  } else {
    c->sum = xcalloc((size_t)c->cap * (size_t)dv, sizeof *c->sum);
    c->asum = xcalloc((size_t)c->cap * (size_t)dv, sizeof *c->asum);
  }
  c->n = 1; /* NIL */
  c->nd[NIL].apos = -1;
  c->nd[NIL].anode = NIL;
  c->root = NIL;
  c->free_list = NIL;
}

static void chain_free(chain *c) {
  free(c->nd);
  free(c->val);
  free(c->sum);
  free(c->asum);
}

static void chain_grow(chain *c, int dv) {
  c->cap *= 2;
  size_t n = (size_t)c->cap, vn = n * (size_t)dv;
  c->nd = xrealloc(c->nd, n * sizeof *c->nd);
  if (c->val) c->val = xrealloc(c->val, vn * sizeof *c->val);
  if (c->sum) {
    c->sum = xrealloc(c->sum, vn * sizeof *c->sum);
    c->asum = xrealloc(c->asum, vn * sizeof *c->asum);
  }
}

static uint32_t next_prio(hull_cache *h) {
  h->rng ^= h->rng << 13;
  h->rng ^= h->rng >> 7;
  h->rng ^= h->rng << 17;
  return (uint32_t)(h->rng >> 16);
}

static int32_t node_new(hull_cache *h, chain *c, int64_t x, int64_t y,
                        int64_t pos, int64_t cnt, const double *v) {
  int dv = h->dv;
  int32_t n;
  if (c->free_list != NIL) {
    n = c->free_list;
    c->free_list = c->nd[n].l;
  } else {
    if (c->n == c->cap) chain_grow(c, dv);
    n = c->n++;
  }
  hnode *t = &c->nd[n];
  memset(t, 0, sizeof *t);
  t->x = x;
  t->y = y;
  t->cnt = t->acnt = cnt;
  t->pos = t->apos = pos;
  t->anode = n;
  t->prio = next_prio(h);
  size_t o = (size_t)n * (size_t)dv;
  for (int k = 0; k < dv; k++) {
    double vk = v ? v[k] : 0.0;
    if (c->val) c->val[o + k] = vk;
    else c->sum[o + k] = c->asum[o + k] = cnt * (int64_t)vk;
  }
  return n;
}

static void node_release(chain *c, int32_t n) {
  c->nd[n].l = c->free_list;
  c->free_list = n;
}

/* Recomputes n's aggregates from its own key and its children. */
static void pull(chain *c, int dv, int32_t n) {
  hnode *t = &c->nd[n];
  const hnode *a = &c->nd[t->l], *b = &c->nd[t->r];
  t->acnt = t->cnt + a->acnt + b->acnt;
  t->apos = t->pos;
  t->anode = n;
  if (a->apos > t->apos) {
    t->apos = a->apos;
    t->anode = a->anode;
  }
  if (b->apos > t->apos) {
    t->apos = b->apos;
    t->anode = b->anode;
  }
  if (c->asum) {
    int64_t *s = c->asum + (size_t)n * dv;
    const int64_t *own = c->sum + (size_t)n * dv;
    const int64_t *sa = c->asum + (size_t)t->l * dv;
    const int64_t *sb = c->asum + (size_t)t->r * dv;
    for (int k = 0; k < dv; k++) s[k] = own[k] + sa[k] + sb[k];
  }
}

/* ---- treap ------------------------------------------------------------ */

/* Splits t into keys < x and keys > x (x itself is not in t). */
static void split(chain *c, int dv, int32_t t, int64_t x, int32_t *a,
                  int32_t *b) {
  if (t == NIL) {
    *a = *b = NIL;
    return;
  }
  if (c->nd[t].x < x) {
    split(c, dv, c->nd[t].r, x, &c->nd[t].r, b);
    *a = t;
  } else {
    split(c, dv, c->nd[t].l, x, a, &c->nd[t].l);
    *b = t;
  }
  pull(c, dv, t);
}

static int32_t merge(chain *c, int dv, int32_t a, int32_t b) {
  if (a == NIL) return b;
  if (b == NIL) return a;
  if (c->nd[a].prio > c->nd[b].prio) {
    c->nd[a].r = merge(c, dv, c->nd[a].r, b);
    pull(c, dv, a);
    return a;
  }
  c->nd[b].l = merge(c, dv, a, c->nd[b].l);
  pull(c, dv, b);
  return b;
}

static int32_t insert_node(chain *c, int dv, int32_t t, int32_t n) {
  if (t == NIL) return n;
  if (c->nd[n].prio > c->nd[t].prio) {
    split(c, dv, t, c->nd[n].x, &c->nd[n].l, &c->nd[n].r);
    pull(c, dv, n);
    return n;
  }
  if (c->nd[n].x < c->nd[t].x) c->nd[t].l = insert_node(c, dv, c->nd[t].l, n);
  else c->nd[t].r = insert_node(c, dv, c->nd[t].r, n);
  pull(c, dv, t);
  return t;
}

static int32_t delete_key(chain *c, int dv, int32_t t, int64_t x) {
  if (t == NIL) return NIL;
  if (c->nd[t].x == x) {
    int32_t m = merge(c, dv, c->nd[t].l, c->nd[t].r);
    node_release(c, t);
    return m;
  }
  if (x < c->nd[t].x) c->nd[t].l = delete_key(c, dv, c->nd[t].l, x);
  else c->nd[t].r = delete_key(c, dv, c->nd[t].r, x);
  pull(c, dv, t);
  return t;
}

/* One descent for x: the node with key x (or NIL), and the nearest keys
 * below and above it. */
static void locate(const chain *c, int64_t x, int32_t *at, int32_t *below_x,
                   int32_t *above_x) {
  int32_t t = c->root, lo = NIL, hi = NIL;
  *at = NIL;
  while (t != NIL) {
    if (c->nd[t].x < x) {
      lo = t;
      t = c->nd[t].r;
    } else if (c->nd[t].x > x) {
      hi = t;
      t = c->nd[t].l;
    } else {
      *at = t;
      /* the neighbours are the extremes of its subtrees, if any */
      int32_t u = c->nd[t].l;
      if (u != NIL) {
        while (c->nd[u].r != NIL) u = c->nd[u].r;
        lo = u;
      }
      u = c->nd[t].r;
      if (u != NIL) {
        while (c->nd[u].l != NIL) u = c->nd[u].l;
        hi = u;
      }
      break;
    }
  }
  *below_x = lo;
  *above_x = hi;
}

static int32_t pred(const chain *c, int64_t x) { /* largest key < x */
  int32_t t = c->root, best = NIL;
  while (t != NIL) {
    if (c->nd[t].x < x) {
      best = t;
      t = c->nd[t].r;
    } else {
      t = c->nd[t].l;
    }
  }
  return best;
}

static int32_t succ(const chain *c, int64_t x) { /* smallest key > x */
  int32_t t = c->root, best = NIL;
  while (t != NIL) {
    if (c->nd[t].x > x) {
      best = t;
      t = c->nd[t].l;
    } else {
      t = c->nd[t].r;
    }
  }
  return best;
}

static void set_next(chain *c, int32_t a, int32_t b) {
  if (a == NIL) return;
  c->nd[a].has_next = b != NIL;
  c->nd[a].nx = b != NIL ? c->nd[b].x : 0;
  c->nd[a].ny = b != NIL ? c->nd[b].y : 0;
}

/* A repeated key (node f): the newest position is the latest anywhere, so
 * every aggregate on the way down to f simply takes it. */
static void add_duplicate(chain *c, int dv, int32_t f, int64_t pos,
                          int64_t cnt, const double *v) {
  int64_t x = c->nd[f].x;
  for (int32_t t = c->root;; t = x < c->nd[t].x ? c->nd[t].l : c->nd[t].r) {
    hnode *n = &c->nd[t];
    n->acnt += cnt;
    n->apos = pos;
    n->anode = f;
    if (c->asum)
      for (int k = 0; k < dv; k++)
        c->asum[(size_t)t * dv + k] += v ? cnt * (int64_t)v[k] : 0;
    if (t == f) break;
  }
  c->nd[f].cnt += cnt;
  c->nd[f].pos = pos;
  size_t o = (size_t)f * dv;
  for (int k = 0; k < dv; k++) {
    if (c->val) c->val[o + k] = v ? v[k] : 0.0;
    else c->sum[o + k] += v ? cnt * (int64_t)v[k] : 0;
  }
}

/* ---- the chain --------------------------------------------------------- */

/* (p - o) x (q - o): negative when q is strictly below the line from o to
 * p, for o.x < p.x. */
static i128 cross(int64_t ox, int64_t oy, int64_t px, int64_t py, int64_t qx,
                  int64_t qy) {
  return ((i128)px - ox) * ((i128)qy - oy) - ((i128)py - oy) * ((i128)qx - ox);
}

static bool below(const chain *c, int32_t o, int32_t p, int32_t q) {
  const hnode *a = &c->nd[o], *b = &c->nd[p], *m = &c->nd[q];
  return cross(a->x, a->y, b->x, b->y, m->x, m->y) < 0;
}

static void chain_add(hull_cache *h, chain *c, int64_t x, int64_t y,
                      int64_t pos, int64_t cnt, const double *v) {
  int dv = h->dv;
  int32_t f, a, b;
  locate(c, x, &f, &a, &b);
  if (f != NIL) {
    if (c->nd[f].y > y) return;
    if (c->nd[f].y == y) {
      add_duplicate(c, dv, f, pos, cnt, v);
      return;
    }
    c->root = delete_key(c, dv, c->root, x); /* now strictly below p */
    set_next(c, a, b);
  }
  if (a != NIL && b != NIL) {
    const hnode *na = &c->nd[a], *nb = &c->nd[b];
    if (cross(na->x, na->y, nb->x, nb->y, x, y) < 0) return;
  }
  int32_t n = node_new(h, c, x, y, pos, cnt, v);
  c->root = insert_node(c, dv, c->root, n);
  set_next(c, a, n);
  set_next(c, n, b);
  /* Neighbours now strictly below the chain can never win again. */
  while (a != NIL) {
    int32_t aa = pred(c, c->nd[a].x);
    if (aa == NIL || !below(c, aa, n, a)) break;
    c->root = delete_key(c, dv, c->root, c->nd[a].x);
    set_next(c, aa, n);
    a = aa;
  }
  while (b != NIL) {
    int32_t bb = succ(c, c->nd[b].x);
    if (bb == NIL || !below(c, n, bb, b)) break;
    c->root = delete_key(c, dv, c->root, c->nd[b].x);
    set_next(c, n, bb);
    b = bb;
  }
}

/* The score change along n's edge to its successor; the last node has no
 * edge and counts as falling. */
static i128 edge_gain(const hnode *n, int64_t qx, int64_t qy) {
  if (!n->has_next) return -1;
  return (i128)qx * ((i128)n->nx - n->x) + (i128)qy * ((i128)n->ny - n->y);
}

/* Along a concave chain and for qy > 0 the gains fall monotonically, so
 * the first node whose gain is <= 0 (or < 0) is found by descent. */
static int32_t first_falling(const chain *c, int64_t qx, int64_t qy,
                             bool strict) {
  int32_t t = c->root, ans = NIL;
  while (t != NIL) {
    i128 g = edge_gain(&c->nd[t], qx, qy);
    if (strict ? g < 0 : g <= 0) {
      ans = t;
      t = c->nd[t].l;
    } else {
      t = c->nd[t].r;
    }
  }
  return ans;
}

typedef struct {
  int64_t cnt, pos;
  int32_t node;
} acc;

static void acc_node(const chain *c, int dv, acc *a, int32_t n, bool subtree,
                     int64_t *sum) {
  const hnode *t = &c->nd[n];
  a->cnt += subtree ? t->acnt : t->cnt;
  int64_t p = subtree ? t->apos : t->pos;
  if (p > a->pos) {
    a->pos = p;
    a->node = subtree ? t->anode : n;
  }
  if (sum) {
    const int64_t *s = (subtree ? c->asum : c->sum) + (size_t)n * dv;
    for (int k = 0; k < dv; k++) sum[k] += s[k];
  }
}

/* Aggregates every node with lo <= x <= hi. */
static acc range_acc(const chain *c, int dv, int64_t lo, int64_t hi,
                     int64_t *sum) {
  acc a = {0, -1, NIL};
  int32_t t = c->root;
  while (t != NIL && (c->nd[t].x < lo || c->nd[t].x > hi))
    t = c->nd[t].x < lo ? c->nd[t].r : c->nd[t].l;
  if (t == NIL) return a;
  acc_node(c, dv, &a, t, false, sum);
  for (int32_t u = c->nd[t].l; u != NIL;) {
    if (c->nd[u].x >= lo) {
      acc_node(c, dv, &a, u, false, sum);
      if (c->nd[u].r != NIL) acc_node(c, dv, &a, c->nd[u].r, true, sum);
      u = c->nd[u].l;
    } else {
      u = c->nd[u].r;
    }
  }
  for (int32_t u = c->nd[t].r; u != NIL;) {
    if (c->nd[u].x <= hi) {
      acc_node(c, dv, &a, u, false, sum);
      if (c->nd[u].l != NIL) acc_node(c, dv, &a, c->nd[u].l, true, sum);
      u = c->nd[u].r;
    } else {
      u = c->nd[u].l;
    }
  }
  return a;
}

/* ---- groups (extreme x, everything) ------------------------------------ */

static void group_init(group *g, tie_rule tie, int dv) {
  memset(g, 0, sizeof *g);
  g->pos = -1;
  if (tie == TIE_LATEST) g->val = xcalloc((size_t)dv, sizeof *g->val);
  else g->sum = xcalloc((size_t)dv, sizeof *g->sum);
}

static void group_reset(group *g, int dv) {
  g->cnt = 0;
  if (g->sum) memset(g->sum, 0, (size_t)dv * sizeof *g->sum);
}

static void group_add(group *g, int dv, int64_t kx, int64_t ky, int64_t pos,
                      int64_t cnt, const double *v) {
  g->cnt += cnt;
  g->pos = pos;
  g->kx = kx;
  g->ky = ky;
  for (int k = 0; k < dv; k++) {
    double vk = v ? v[k] : 0.0;
    if (g->val) g->val[k] = vk;
    else g->sum[k] += cnt * (int64_t)vk;
  }
}

/* ---- the interface ----------------------------------------------------- */

hull_cache *hull_new(tie_rule tie, int dv) {
  hull_cache *h = xcalloc(1, sizeof *h);
  h->tie = tie;
  h->dv = dv;
  h->rng = 0x9e3779b97f4a7c15ull;
  chain_init(&h->up, tie, dv);
  chain_init(&h->lo, tie, dv);
  group_init(&h->gmin, tie, dv);
  group_init(&h->gmax, tie, dv);
  group_init(&h->gall, tie, dv);
  h->scratch = xcalloc((size_t)dv, sizeof *h->scratch);
  return h;
}

static void group_free(group *g) {
  free(g->val);
  free(g->sum);
}

void hull_free(hull_cache *h) {
  if (!h) return;
  chain_free(&h->up);
  chain_free(&h->lo);
  group_free(&h->gmin);
  group_free(&h->gmax);
  group_free(&h->gall);
  free(h->scratch);
  free(h);
}

/* n inserts of one key at once, the latest at pos (a cache handing its
 * keys over: addr.c). */
void hull_insert_n(hull_cache *h, int64_t kx, int64_t ky, int64_t pos,
                   int64_t n, const double *value) {
  int dv = h->dv;
  bool first = h->gall.cnt == 0;
  group_add(&h->gall, dv, kx, ky, pos, n, value);
  if (first || kx < h->xmin) {
    group_reset(&h->gmin, dv);
    h->xmin = kx;
  }
  if (kx == h->xmin) group_add(&h->gmin, dv, kx, ky, pos, n, value);
  if (first || kx > h->xmax) {
    group_reset(&h->gmax, dv);
    h->xmax = kx;
  }
  if (kx == h->xmax) group_add(&h->gmax, dv, kx, ky, pos, n, value);
  chain_add(h, &h->up, kx, ky, pos, n, value);
  chain_add(h, &h->lo, kx, -ky, pos, n, value);
}

void hull_insert(hull_cache *h, int64_t kx, int64_t ky, int64_t pos,
                 const double *value) {
  hull_insert_n(h, kx, ky, pos, 1, value);
}

static void finish(const hull_cache *h, int64_t cnt, const double *val,
                   const int64_t *sum, kv_result *r, double *value) {
  r->found = true;
  r->count = cnt;
  r->margin = NAN; /* the hull does not look at the runner-up */
  for (int k = 0; k < h->dv; k++)
    value[k] = h->tie == TIE_LATEST ? val[k] : (double)sum[k] / (double)cnt;
}

static void query_group(const hull_cache *h, const group *g, kv_result *r,
                        double *value) {
  r->pos = g->pos;
  r->kx = g->kx;
  r->ky = g->ky;
  finish(h, g->cnt, g->val, g->sum, r, value);
}

static void query_chain(hull_cache *h, const chain *c, int64_t qx, int64_t qy,
                        int ysign, kv_result *r, double *value) {
  int dv = h->dv;
  int32_t lo = first_falling(c, qx, qy, false);
  /* the tied run ends at the first node whose edge strictly falls: lo
   * itself unless lo's edge is flat */
  int32_t hi = edge_gain(&c->nd[lo], qx, qy) < 0 ? lo
               : first_falling(c, qx, qy, true);
  acc a;
  int64_t *sum = NULL;
  if (lo == hi) { /* no tie along the chain: the common case */
    a.cnt = c->nd[lo].cnt;
    a.pos = c->nd[lo].pos;
    a.node = lo;
    if (c->sum) sum = c->sum + (size_t)lo * dv;
  } else {
    if (c->sum) {
      sum = h->scratch;
      memset(sum, 0, (size_t)dv * sizeof *sum);
    }
    a = range_acc(c, dv, c->nd[lo].x, c->nd[hi].x, sum);
  }
  r->pos = a.pos;
  r->kx = c->nd[a.node].x;
  r->ky = ysign * c->nd[a.node].y;
  finish(h, a.cnt, c->val ? c->val + (size_t)a.node * dv : NULL, sum, r,
         value);
}

void hull_query(hull_cache *h, int64_t qx, int64_t qy, kv_result *r,
                double *value) {
  if (qy == 0 && qx == 0) query_group(h, &h->gall, r, value);
  else if (qy == 0) query_group(h, qx > 0 ? &h->gmax : &h->gmin, r, value);
  else if (qy > 0) query_chain(h, &h->up, qx, qy, 1, r, value);
  else query_chain(h, &h->lo, qx, -qy, -1, r, value);
}
