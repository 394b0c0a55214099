/* gshare.c - one gate for equal FFN gates of a machine.
 *
 * A machine's steps are built one by one, each with its own memo of
 * expressions (mexpr.c), so two steps that compute the same function of
 * the same inputs, such as a tag test of the value a shared memory head
 * read, or the same overflow test, would each get a gate: a residual slot
 * and units apiece, although the two gates always hold the same value.
 * When the builder asks for it (gate_graph.share), an FFN gate whose
 * name, units (output coefficients, gate and linear forms, term by term)
 * and range equal an earlier gate's is that gate: its value is the same
 * number at every position, whichever step reads it, so nothing that
 * reads it can tell.  The name is part of the key, so the slot map's
 * label for the slot stays that of every reader's value.  A unit gated
 * by a step's one-hot (a step's own unit) has that one-hot among its
 * inputs: only gates of the same step are equal.
 *
 * Only the machine builder asks: the circuit builder renames its gates
 * after making them (circuit.c), which a shared gate must not be.
 *
 * Ownership: the table belongs to the gate graph (gg_free frees it).
 */
#include "config.h"

#include "gates.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct gshare {
  int *slot;     /* gate id or -1, open addressing */
  size_t cap, n;
};

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 1099511628211ull; }

static uint64_t mixd(uint64_t h, double d) {
  uint64_t v;
  if (d == 0) d = 0;   /* -0 and +0 are equal */
  memcpy(&v, &d, sizeof v);
  return mix(h, v);
}

static uint64_t mixf(uint64_t h, gform f) {
  h = mixd(mix(h, (uint64_t)f.n), f.k);
  for (int i = 0; i < f.n; i++) h = mixd(mix(h, (uint64_t)f.t[i].g), f.t[i].c);
  return h;
}

static uint64_t key_hash(const char *name, const gunit *u, int n, double lo, double hi) {
  uint64_t h = 1469598103934665603ull;
  for (const char *c = name; *c; c++) h = mix(h, (unsigned char)*c);
  h = mixd(mixd(mix(h, (uint64_t)n), lo), hi);
  for (int i = 0; i < n; i++) h = mixf(mixf(mixd(h, u[i].c), u[i].b), u[i].a);
  return h;
}

static bool same_form(gform x, gform y) {
  if (x.n != y.n || x.k != y.k) return false;
  for (int i = 0; i < x.n; i++)
    if (x.t[i].g != y.t[i].g || x.t[i].c != y.t[i].c) return false;
  return true;
}

static bool equal(const gate *g, const char *name, const gunit *u, int n, double lo,
                  double hi) {
  if (g->type != GT_FFN || g->nunits != n || g->lo != lo || g->hi != hi ||
      strcmp(g->name, name))
    return false;
  for (int i = 0; i < n; i++)
    if (g->units[i].c != u[i].c || !same_form(g->units[i].b, u[i].b) ||
        !same_form(g->units[i].a, u[i].a))
      return false;
  return true;
}

static void grow(gate_graph *gg);

static size_t find(const gate_graph *gg, const char *name, const gunit *u, int n,
                   double lo, double hi, int *found) {
  struct gshare *s = gg->share;
  size_t i = key_hash(name, u, n, lo, hi) & (s->cap - 1);
  *found = -1;
  for (; s->slot[i] >= 0; i = (i + 1) & (s->cap - 1))
    if (equal(&gg->g.v[s->slot[i]], name, u, n, lo, hi)) {
      *found = s->slot[i];
      break;
    }
  return i;
}

int gg_share_find(const gate_graph *gg, const char *name, const gunit *u, int n,
                  double lo, double hi) {
  if (!gg->share || !gg->share->n) return -1;
  int found;
  find(gg, name ? name : "", u, n, lo, hi, &found);
  return found;
}

void gg_share_add(gate_graph *gg, int g) {
  if (!gg->share) return;
  struct gshare *s = gg->share;
  if (2 * (s->n + 1) > s->cap) grow(gg);
  const gate *x = &gg->g.v[g];
  int found;
  size_t i = find(gg, x->name, x->units, x->nunits, x->lo, x->hi, &found);
  if (found >= 0) return;
  s->slot[i] = g;
  s->n++;
}

static void grow(gate_graph *gg) {
  struct gshare *s = gg->share;
  struct gshare old = *s;
  s->cap = old.cap ? 2 * old.cap : 1024;
  s->slot = xmalloc(s->cap * sizeof *s->slot);
  for (size_t i = 0; i < s->cap; i++) s->slot[i] = -1;
  s->n = 0;
  for (size_t i = 0; i < old.cap; i++)
    if (old.slot[i] >= 0) {
      const gate *x = &gg->g.v[old.slot[i]];
      int found;
      size_t j = find(gg, x->name, x->units, x->nunits, x->lo, x->hi, &found);
      s->slot[j] = old.slot[i];
      s->n++;
    }
  free(old.slot);
}

void gg_share_on(gate_graph *gg) {
  if (!gg->share) gg->share = xcalloc(1, sizeof *gg->share);
}

void gg_share_free(gate_graph *gg) {
  if (!gg->share) return;
  free(gg->share->slot);
  free(gg->share);
  gg->share = NULL;
}
