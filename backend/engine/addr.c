/* addr.c - the address cache: hard-max attention over parabolic keys
 * (2a, -a^2), the keys of memory writes (docs/trace-format.md), with the
 * LATEST rule, in O(1) per insert and per query and memory that grows
 * with the distinct addresses written, not with the positions.
 *
 * Every key on the parabola is a vertex of the keys' convex hull, and two
 * writes to one address have one key: for LATEST only the latest write
 * of each address can win.  So the cache keeps, per distinct address, its
 * latest position, the value written there and how often it was written
 * (the ties a scan would count), in a hash table, and the set of
 * addresses in a 64-ary bit tree of fixed depth (predecessor and
 * successor in at most 2 * ADDR_LEVELS table lookups).  The score
 * s(a) = 2a qx - a^2 qy is, for
 *   qy > 0  concave in a, largest at the addresses next to qx / qy: a read
 *           of an address written (qy = 1, qx = a) is one table lookup;
 *           a read of one never written compares its two neighbours;
 *   qy = 0  monotone: the largest or smallest address (qx = 0: every
 *           position ties, the latest write wins);
 *   qy < 0  convex: the largest or smallest address.
 * Two distinct addresses can tie (equally far from qx / qy); the later
 * write wins and both counts add up, as in the scan.  Scores are exact,
 * in __int128.  Margins are not computed (NAN, as the hull).
 *
 * kvcache.c checks every argument and that each key lies on the parabola
 * before it calls in here (addr_fits); it moves the cache to the hull on
 * the first key that does not (addr_drain gives the entries for that).
 *
 * Ownership: the cache owns copies of the values inserted.
 */
#include "config.h"

#include "backend/engine/engine.h"

#include <math.h>
#include <string.h>

typedef struct addr_cache addr_cache;
addr_cache *addr_new(int dv);
void addr_free(addr_cache *c);
bool addr_fits(int64_t kx, int64_t ky);
void addr_insert(addr_cache *c, int64_t kx, int64_t pos, const double *value);
void addr_query(const addr_cache *c, int64_t qx, int64_t qy, kv_result *r,
                double *value);
int64_t addr_distinct(const addr_cache *c);
typedef void (*addr_sink)(void *ctx, int64_t kx, int64_t ky, int64_t pos,
                          int64_t count, const double *value);
void addr_drain(const addr_cache *c, addr_sink sink, void *ctx);

typedef __int128 i128;

/* ---- a hash table from int64 keys to int32 indices ------------------- */

typedef struct {
  int64_t *key;
  int32_t *idx;     /* -1: empty */
  uint32_t mask;    /* capacity - 1 (a power of two) */
  int32_t n;
} table;

static void table_init(table *t, uint32_t cap) {
  t->mask = cap - 1;
  t->n = 0;
  t->key = xmalloc((size_t)cap * sizeof *t->key);
  t->idx = xmalloc((size_t)cap * sizeof *t->idx);
  memset(t->idx, 0xff, (size_t)cap * sizeof *t->idx);
}

static void table_free(table *t) {
  free(t->key);
  free(t->idx);
}

static uint32_t hash64(int64_t k) {
  uint64_t z = (uint64_t)k * 0x9e3779b97f4a7c15ull;
  return (uint32_t)(z >> 32);
}

static int32_t table_get(const table *t, int64_t k) {
  for (uint32_t i = hash64(k) & t->mask;; i = (i + 1) & t->mask) {
    if (t->idx[i] < 0) return -1;
    if (t->key[i] == k) return t->idx[i];
  }
}

static void table_put(table *t, int64_t k, int32_t v);

static void table_grow(table *t) {
  table old = *t;
  table_init(t, 2 * (old.mask + 1));
  for (uint32_t i = 0; i <= old.mask; i++)
    if (old.idx[i] >= 0) table_put(t, old.key[i], old.idx[i]);
  table_free(&old);
}

/* k must not be in the table yet. */
static void table_put(table *t, int64_t k, int32_t v) {
  if (2 * (uint32_t)(t->n + 1) > t->mask + 1) table_grow(t);
  uint32_t i = hash64(k) & t->mask;
  while (t->idx[i] >= 0) i = (i + 1) & t->mask;
  t->key[i] = k;
  t->idx[i] = v;
  t->n++;
}

/* ---- the set of addresses: a 64-ary bit tree ---------------------------
 *
 * An address a is kept as u = a + ADDR_BIAS, in [0, 2^36).  Level l holds,
 * for each prefix u >> 6(l+1), a 64-bit mask of which children u >> 6l
 * (below it) are non-empty; level 0's children are the addresses
 * themselves.  The masks live in one table keyed by (l, prefix). */

enum { ADDR_LEVELS = 6 };
#define ADDR_BIAS ((int64_t)1 << 32)

typedef struct {
  table at;          /* (level, prefix) -> index in m */
  uint64_t *m;
  int32_t n, cap;
} bittree;

static int64_t node_key(int l, int64_t prefix) {
  return ((int64_t)l << 40) | prefix;
}

static uint64_t node_mask(const bittree *b, int l, int64_t prefix) {
  int32_t i = table_get(&b->at, node_key(l, prefix));
  return i < 0 ? 0 : b->m[i];
}

static void tree_add(bittree *b, int64_t u) {
  for (int l = 0; l < ADDR_LEVELS; l++) {
    int64_t prefix = u >> (6 * (l + 1));
    int bit = (int)((u >> (6 * l)) & 63);
    int64_t k = node_key(l, prefix);
    int32_t i = table_get(&b->at, k);
    if (i < 0) {
      if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        b->m = xrealloc(b->m, (size_t)b->cap * sizeof *b->m);
      }
      i = b->n++;
      b->m[i] = 0;
      table_put(&b->at, k, i);
    }
    bool had = b->m[i] != 0;
    b->m[i] |= (uint64_t)1 << bit;
    if (had) return; /* the levels above already know this node */
  }
}

static int low_bit(uint64_t m) { return __builtin_ctzll(m); }
static int high_bit(uint64_t m) { return 63 - __builtin_clzll(m); }

/* From a non-empty node (level l, prefix p) down to its smallest (or
 * largest) element. */
static int64_t tree_descend(const bittree *b, int l, int64_t p, bool low) {
  for (; l >= 0; l--) {
    uint64_t m = node_mask(b, l, p);
    p = (p << 6) | (low ? low_bit(m) : high_bit(m));
  }
  return p;
}

/* The smallest element >= u (up) or the largest <= u (!up); -1 if none. */
static int64_t tree_next(const bittree *b, int64_t u, bool up) {
  for (int l = 0; l < ADDR_LEVELS; l++) {
    int64_t prefix = u >> (6 * (l + 1));
    int bit = (int)((u >> (6 * l)) & 63);
    uint64_t m = node_mask(b, l, prefix);
    /* level 0 may take u itself; above it, u's own child is searched */
    int from = up ? bit + (l > 0) : bit - (l > 0);
    if (from < 0 || from > 63) continue;
    m &= up ? ~(uint64_t)0 << from : ~(uint64_t)0 >> (63 - from);
    if (!m) continue;
    int64_t child = (prefix << 6) | (up ? low_bit(m) : high_bit(m));
    return l == 0 ? child : tree_descend(b, l - 1, child, up);
  }
  return -1;
}

/* ---- the cache --------------------------------------------------------- */

struct addr_cache {
  int dv;
  table where;       /* address -> entry */
  int64_t *addr, *pos, *cnt;
  double *val;       /* dv per entry: the latest value written */
  int32_t n, cap;
  int32_t latest;    /* the entry written last */
  int64_t amin, amax, total;
  bittree set;
};

addr_cache *addr_new(int dv) {
  addr_cache *c = xcalloc(1, sizeof *c);
  c->dv = dv;
  c->latest = -1;
  table_init(&c->where, 16);
  table_init(&c->set.at, 16);
  return c;
}

void addr_free(addr_cache *c) {
  if (!c) return;
  table_free(&c->where);
  table_free(&c->set.at);
  free(c->set.m);
  free(c->addr);
  free(c->pos);
  free(c->cnt);
  free(c->val);
  free(c);
}

int64_t addr_distinct(const addr_cache *c) { return c->n; }

/* On the parabola: kx = 2a and ky = -a^2 (|kx| <= 2^31 checked before). */
bool addr_fits(int64_t kx, int64_t ky) {
  if (kx % 2 != 0) return false;
  int64_t a = kx / 2;
  return ky == -a * a;
}

static int32_t entry_new(addr_cache *c, int64_t a) {
  if (c->n == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 16;
    size_t n = (size_t)c->cap;
    c->addr = xrealloc(c->addr, n * sizeof *c->addr);
    c->pos = xrealloc(c->pos, n * sizeof *c->pos);
    c->cnt = xrealloc(c->cnt, n * sizeof *c->cnt);
    c->val = xrealloc(c->val, n * (size_t)c->dv * sizeof *c->val);
  }
  int32_t e = c->n++;
  c->addr[e] = a;
  c->cnt[e] = 0;
  table_put(&c->where, a, e);
  tree_add(&c->set, a + ADDR_BIAS);
  if (e == 0 || a < c->amin) c->amin = a;
  if (e == 0 || a > c->amax) c->amax = a;
  return e;
}

void addr_insert(addr_cache *c, int64_t kx, int64_t pos, const double *value) {
  int64_t a = kx / 2;
  int32_t e = table_get(&c->where, a);
  if (e < 0) e = entry_new(c, a);
  c->pos[e] = pos;
  c->cnt[e]++;
  c->total++;
  c->latest = e;
  double *dst = c->val + (size_t)e * c->dv;
  if (value) memcpy(dst, value, (size_t)c->dv * sizeof *dst);
  else memset(dst, 0, (size_t)c->dv * sizeof *dst);
}

static i128 score(int64_t a, int64_t qx, int64_t qy) {
  return 2 * (i128)a * qx - (i128)a * a * qy;
}

static void answer(const addr_cache *c, int32_t e, int64_t count,
                   kv_result *r, double *value) {
  int64_t a = c->addr[e];
  r->found = true;
  r->pos = c->pos[e];
  r->kx = 2 * a;
  r->ky = -a * a;
  r->count = count;
  r->margin = NAN;
  memcpy(value, c->val + (size_t)e * c->dv, (size_t)c->dv * sizeof *value);
}

/* The better of two addresses (either may be absent: INT64_MIN); equal
 * scores of two distinct addresses tie, and the later write wins. */
static void best_of(const addr_cache *c, int64_t a, int64_t b, int64_t qx,
                    int64_t qy, kv_result *r, double *value) {
  int32_t ea = a == INT64_MIN ? -1 : table_get(&c->where, a);
  int32_t eb = b == INT64_MIN || b == a ? -1 : table_get(&c->where, b);
  if (ea < 0 || eb < 0) {
    int32_t e = ea < 0 ? eb : ea;
    answer(c, e, c->cnt[e], r, value);
    return;
  }
  i128 sa = score(a, qx, qy), sb = score(b, qx, qy);
  if (sa != sb) {
    int32_t e = sa > sb ? ea : eb;
    answer(c, e, c->cnt[e], r, value);
    return;
  }
  answer(c, c->pos[ea] > c->pos[eb] ? ea : eb, c->cnt[ea] + c->cnt[eb], r,
         value);
}

static int64_t floor_div(int64_t x, int64_t y) { /* y > 0 */
  int64_t q = x / y;
  return q - (x % y != 0 && x < 0);
}

/* The address nearest below (or at) u - bias, and the one above. */
static int64_t neighbour(const addr_cache *c, int64_t a, bool up) {
  int64_t u = tree_next(&c->set, a + ADDR_BIAS, up);
  return u < 0 ? INT64_MIN : u - ADDR_BIAS;
}

void addr_query(const addr_cache *c, int64_t qx, int64_t qy, kv_result *r,
                double *value) {
  if (qy > 0) {
    int64_t f = floor_div(qx, qy);
    int32_t e = qx % qy == 0 ? table_get(&c->where, f) : -1;
    if (e >= 0) { /* the read of an address written: the unique best */
      answer(c, e, c->cnt[e], r, value);
      return;
    }
    /* below every address written (a step that does not run reads 0) or
     * above: the nearest end, the unique best, with no search */
    if (f < c->amin || f >= c->amax) {
      e = table_get(&c->where, f < c->amin ? c->amin : c->amax);
      answer(c, e, c->cnt[e], r, value);
      return;
    }
    best_of(c, neighbour(c, f, false), neighbour(c, f + 1, true), qx, qy, r,
            value);
  } else if (qy == 0 && qx == 0) {
    answer(c, c->latest, c->total, r, value);
  } else if (qy == 0) {
    best_of(c, qx > 0 ? c->amax : c->amin, INT64_MIN, qx, qy, r, value);
  } else {
    best_of(c, c->amin, c->amax, qx, qy, r, value);
  }
}

/* Every entry, by increasing position: what a hull needs to take over. */
typedef struct {
  int64_t pos;
  int32_t e;
} by_pos;

static int by_pos_cmp(const void *x, const void *y) {
  int64_t a = ((const by_pos *)x)->pos, b = ((const by_pos *)y)->pos;
  return (a > b) - (a < b);
}

void addr_drain(const addr_cache *c, addr_sink sink, void *ctx) {
  by_pos *order = xmalloc(((size_t)c->n + 1) * sizeof *order);
  for (int32_t i = 0; i < c->n; i++) order[i] = (by_pos){c->pos[i], i};
  qsort(order, (size_t)c->n, sizeof *order, by_pos_cmp);
  for (int32_t k = 0; k < c->n; k++) {
    int32_t e = order[k].e;
    int64_t a = c->addr[e];
    sink(ctx, 2 * a, -a * a, c->pos[e], c->cnt[e], c->val + (size_t)e * c->dv);
  }
  free(order);
}
