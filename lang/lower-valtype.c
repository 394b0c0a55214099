/* lower-valtype.c - the classes of the values the world holds (globals,
 * quoted constants, captured values: lower-types.c lw_type_of_value), one per
 * object.
 *
 * The prompt places an object that two places share once
 * (backend/mtrace.c place_pair), its cells written as its first class
 * says: so an object reached twice must have one class wherever it is
 * reached (its classes unified), or a place whose class tags its values
 * would read another's plain ones.  The map from objects to their
 * classes also ends the walk of a value that refers back to itself (its
 * class then holds itself), which marks the program: a value it prints
 * may be circular (ir_prog.circular_global).
 *
 * Ownership: the map belongs to the lowering (lw), freed by
 * lw_vmemo_free.
 */
#include "config.h"

#include "lower.h"

#include <stdint.h>
#include <stdlib.h>

typedef struct {
  const tvec *k;
  int type;
  bool busy;   /* its parts are being walked */
} vm_slot;

struct lw_vmemo {
  vm_slot *s;
  int cap, n;
};

static size_t hash(const tvec *t, int cap) {
  uintptr_t x = (uintptr_t)t;
  x ^= x >> 17;
  x *= (uintptr_t)0x9E3779B97F4A7C15ull;
  return (size_t)(x >> 7) & (size_t)(cap - 1);
}

static vm_slot *find(struct lw_vmemo *m, const tvec *t) {
  if (!m || !m->cap) return NULL;
  for (size_t i = hash(t, m->cap);; i = (i + 1) & (size_t)(m->cap - 1)) {
    if (m->s[i].k == t) return &m->s[i];
    if (!m->s[i].k) return NULL;
  }
}

int lw_vmemo_get(lw *c, const tvec *t, bool *busy) {
  vm_slot *s = find(c->vmemo, t);
  if (!s) return -1;
  *busy = s->busy;
  return s->type;
}

void lw_vmemo_put(lw *c, const tvec *t, int type, bool busy) {
  struct lw_vmemo *m = c->vmemo;
  if (!m) m = c->vmemo = xcalloc(1, sizeof *m);
  vm_slot *s = find(m, t);
  if (s) {
    s->type = type;
    s->busy = busy;
    return;
  }
  if (2 * (m->n + 1) > m->cap) {
    struct lw_vmemo big = {xcalloc((size_t)(m->cap ? 2 * m->cap : 64), sizeof(vm_slot)),
                           m->cap ? 2 * m->cap : 64, 0};
    for (int i = 0; i < m->cap; i++)
      if (m->s[i].k) {
        size_t j = hash(m->s[i].k, big.cap);
        while (big.s[j].k) j = (j + 1) & (size_t)(big.cap - 1);
        big.s[j] = m->s[i];
        big.n++;
      }
    free(m->s);
    *m = big;
  }
  size_t j = hash(t, m->cap);
  while (m->s[j].k) j = (j + 1) & (size_t)(m->cap - 1);
  m->s[j] = (vm_slot){t, type, busy};
  m->n++;
}

void lw_vmemo_free(lw *c) {
  if (!c->vmemo) return;
  free(c->vmemo->s);
  free(c->vmemo);
  c->vmemo = NULL;
}
