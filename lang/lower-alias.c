/* lower-alias.c - one class for one object of the world.
 *
 * The kinds of a program come from the values the globals hold when it
 * is compiled (lw_type_of_value).  An object of the world (a vector, a
 * pair, a closure's captured box) may be reached along several ways: two
 * globals naming one vector, the getter and the setter of a box made by
 * one call, a list and a global naming its tail.  The prompt loads it
 * once (backend/mtrace.c), in the layout of the class it was first
 * reached with, and the run writes it back in that layout; so every way
 * to it must have the same class, or a setter would store a tagged value
 * where the getter reads a bare one.  The lowering gives each object one
 * class, remembered here by address for the length of one lowering.
 *
 * Ownership: the map belongs to the lw context; lw_obj_free frees it.
 */
#include "config.h"

#include "lower.h"

#include <stdint.h>
#include <stdlib.h>

struct lw_objmap {
  const void **k;
  int *v;
  size_t cap, n;
};

static size_t slot(const struct lw_objmap *m, const void *k) {
  size_t i = (size_t)(((uint64_t)(uintptr_t)k * 0x9e3779b97f4a7c15ull) >> 24) & (m->cap - 1);
  while (m->k[i] && m->k[i] != k) i = (i + 1) & (m->cap - 1);
  return i;
}

int lw_obj_type(lw *c, const void *obj) {
  const struct lw_objmap *m = c->objs;
  if (!m || !m->cap || !obj) return -1;
  size_t i = slot(m, obj);
  return m->k[i] ? m->v[i] : -1;
}

static void put(struct lw_objmap *m, const void *k, int v) {
  if (2 * (m->n + 1) > m->cap) {
    struct lw_objmap t = {NULL, NULL, m->cap ? 2 * m->cap : 64, 0};
    t.k = xcalloc(t.cap, sizeof *t.k);
    t.v = xcalloc(t.cap, sizeof *t.v);
    for (size_t i = 0; i < m->cap; i++)
      if (m->k[i]) put(&t, m->k[i], m->v[i]);
    free(m->k);
    free(m->v);
    *m = t;
  }
  size_t i = slot(m, k);
  if (!m->k[i]) m->n++;
  m->k[i] = k;
  m->v[i] = v;
}

void lw_obj_note(lw *c, const void *obj, int type) {
  if (!obj || type < 0) return;
  if (!c->objs) c->objs = xcalloc(1, sizeof *c->objs);
  put(c->objs, obj, type);
}

void lw_obj_free(lw *c) {
  if (!c->objs) return;
  free(c->objs->k);
  free(c->objs->v);
  free(c->objs);
  c->objs = NULL;
}
