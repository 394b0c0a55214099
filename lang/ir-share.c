/* ir-share.c - which repeated subexpressions of a statement the compiled
 * code computes once, for the IR listing (:ir).
 *
 * Inlining copies an argument or a let-bound value into every place that
 * uses it, so the IR is a tree (or a DAG) in which one lookup may appear
 * three times.  The machine's compiler computes a subexpression once per
 * step: backend/mexpr.c remembers every value it computed by the shape of
 * its expression and reuses it where the same shape comes again, computed
 * unconditionally or under the same guards (the arms of a select that
 * led to it); a circuit (backend/circuit.c) by the same rule.  This file
 * replays that rule over a statement's expressions
 * in the order mexpr.c visits them, so that the listing can label the
 * first computation "#1=(...)" and every reuse "#1#", as Scheme's datum
 * labels do.  A reused value's subexpressions are not visited (mexpr.c
 * does not build them again).  Constants and variables are not labelled:
 * they are free or one read.
 *
 * Ownership: an ir_share owns its vectors and tables (ir_share_free).
 */
#include "config.h"

#include "lower.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  int shape;          /* the expression's shape (its number, see shape_of) */
  char *path;         /* the select arms that guard it ("" for none) */
  int label;          /* > 0 once a reuse was found */
} shared_val;

/* Open-addressing tables: a node's shape number by its address, and a
 * shape's number by its text.  A shape's text names its children by
 * their numbers, so equal numbers mean equal expressions (as equal texts
 * of the whole tree did) and a DAG that inlining made from a tree costs
 * its size, not the size of the tree it stands for. */
typedef struct { const ir_expr *e; int shape; } node_shape;
typedef struct { char *text; int shape; } shape_text;

struct ir_share {
  const ir_prog *p;
  VEC(shared_val) vals;
  /* per compound node visited, in order: the value it computes (its
   * index in vals) and whether it is a reuse */
  VEC(struct ir_visit { int val; bool reuse; }) visits;
  int cursor;
  int labels;
  node_shape *nodes;  /* capacity ncap, a power of two */
  size_t ncap, nn;
  shape_text *texts;  /* capacity tcap, a power of two */
  size_t tcap, nt;
  VEC(int) bare;      /* per shape: its first value in vals computed
                         unguarded (path ""), or -1 */
  struct guarded { int shape, val; } *guarded;  /* (shape, path): the first
                         value of that shape under that path; capacity gcap */
  size_t gcap, ng;
};

static bool compound(const ir_expr *e) { return e->k != X_CONST && e->k != X_VAR; }

static size_t hash_ptr(const void *p) {
  return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull);
}

static size_t hash_text(const char *t) {
  size_t h = 1469598103934665603ull;
  for (; *t; t++) h = (h ^ (unsigned char)*t) * 1099511628211ull;
  return h;
}

static void nodes_grow(ir_share *s) {
  size_t cap = s->ncap ? 2 * s->ncap : 64;
  node_shape *t = xcalloc(cap, sizeof *t);
  for (size_t i = 0; i < s->ncap; i++) {
    if (!s->nodes[i].e) continue;
    size_t h = hash_ptr(s->nodes[i].e) & (cap - 1);
    while (t[h].e) h = (h + 1) & (cap - 1);
    t[h] = s->nodes[i];
  }
  free(s->nodes);
  s->nodes = t;
  s->ncap = cap;
}

static void texts_grow(ir_share *s) {
  size_t cap = s->tcap ? 2 * s->tcap : 64;
  shape_text *t = xcalloc(cap, sizeof *t);
  for (size_t i = 0; i < s->tcap; i++) {
    if (!s->texts[i].text) continue;
    size_t h = hash_text(s->texts[i].text) & (cap - 1);
    while (t[h].text) h = (h + 1) & (cap - 1);
    t[h] = s->texts[i];
  }
  free(s->texts);
  s->texts = t;
  s->tcap = cap;
}

/* The number of a shape's text, a new one for a text not seen before;
 * takes the text. */
static int intern(ir_share *s, char *text) {
  if (2 * (s->nt + 1) > s->tcap) texts_grow(s);
  size_t h = hash_text(text) & (s->tcap - 1);
  for (; s->texts[h].text; h = (h + 1) & (s->tcap - 1))
    if (!strcmp(s->texts[h].text, text)) {
      free(text);
      return s->texts[h].shape;
    }
  s->texts[h].text = text;
  s->texts[h].shape = (int)s->nt++;
  return s->texts[h].shape;
}

static size_t hash_guarded(int shape, const char *path) {
  return hash_text(path) ^ ((size_t)shape * 0x9E3779B97F4A7C15ull);
}

static void guarded_grow(ir_share *s) {
  size_t cap = s->gcap ? 2 * s->gcap : 64;
  struct guarded *t = xmalloc(cap * sizeof *t);
  for (size_t i = 0; i < cap; i++) t[i].val = -1;
  for (size_t i = 0; i < s->gcap; i++) {
    struct guarded g = s->guarded[i];
    if (g.val < 0) continue;
    size_t h = hash_guarded(g.shape, s->vals.v[g.val].path) & (cap - 1);
    while (t[h].val >= 0) h = (h + 1) & (cap - 1);
    t[h] = g;
  }
  free(s->guarded);
  s->guarded = t;
  s->gcap = cap;
}

/* The slot of (shape, path) in the table: its entry, or the empty slot
 * where it goes. */
static struct guarded *guarded_at(ir_share *s, int shape, const char *path) {
  if (2 * (s->ng + 1) > s->gcap) guarded_grow(s);
  size_t h = hash_guarded(shape, path) & (s->gcap - 1);
  for (; s->guarded[h].val >= 0; h = (h + 1) & (s->gcap - 1))
    if (s->guarded[h].shape == shape && !strcmp(s->vals.v[s->guarded[h].val].path, path))
      break;
  return &s->guarded[h];
}

/* The shape of an expression, as equal values have equal shapes within a
 * statement (expressions have no side effects), as a number. */
static int shape_of(ir_share *s, const ir_expr *e) {
  if (2 * (s->nn + 1) > s->ncap) nodes_grow(s);
  size_t h = hash_ptr(e) & (s->ncap - 1);
  for (; s->nodes[h].e; h = (h + 1) & (s->ncap - 1))
    if (s->nodes[h].e == e) return s->nodes[h].shape;
  strbuf out;
  sb_init(&out);
  /* a tagged node computes another value than an untagged one */
  if (e->type >= 0 && ir_kind(s->p, e->type) == T_DYN) sb_putc(&out, 'D');
  switch (e->k) {
  case X_CONST: sb_printf(&out, "c%d:%d", (int)e->ival, e->has_nat ? (int)e->nat : -2); break;
  case X_VAR: sb_printf(&out, "v%d", e->var); break;
  case X_PRIM: sb_printf(&out, "(%s", e->op->name); break;
  case X_TABLE: sb_printf(&out, "(T%p", (void *)e->table); break;
  default: sb_printf(&out, "(%d:%d", (int)e->k, (int)e->ival); break;
  }
  if (compound(e)) {
    for (int i = 0; i < e->n; i++) sb_printf(&out, " %d", shape_of(s, e->a[i]));
    sb_putc(&out, ')');
  }
  int id = intern(s, sb_detach(&out));
  /* the children's entries may have grown the table: look again */
  if (2 * (s->nn + 1) > s->ncap) nodes_grow(s);
  h = hash_ptr(e) & (s->ncap - 1);
  while (s->nodes[h].e) h = (h + 1) & (s->ncap - 1);
  s->nodes[h].e = e;
  s->nodes[h].shape = id;
  s->nn++;
  return id;
}

/* Visits past which the listing stops labelling: a value shared by the
 * arms of many nested selects is visited once per arm, so a DAG can make
 * their number grow exponentially.  The machine compiler's own budget
 * (mexpr.c) refuses such a statement; its listing is then only read in
 * the error, without labels. */
enum { VISITS_MAX = 1 << 16 };

static void visit(ir_share *s, const ir_expr *e, strbuf *path) {
  if (!compound(e) || s->visits.n >= VISITS_MAX) return;
  int key = shape_of(s, e);
  const char *here = path->s ? path->s : "";
  while (s->bare.n <= key) VEC_PUSH(s->bare, -1);
  /* the first value that matches, as mexpr.c's memo finds it: computed
   * unguarded, or under the same guards */
  int found = s->bare.v[key];
  if (here[0]) {
    int g = guarded_at(s, key, here)->val;
    if (g >= 0 && (found < 0 || g < found)) found = g;
  }
  if (found >= 0) {
    shared_val *v = &s->vals.v[found];
    int i = found;
    if (!v->label) v->label = ++s->labels;
    struct ir_visit x = {i, true};
    VEC_PUSH(s->visits, x);
    return;
  }
  int me = s->visits.n;
  struct ir_visit x = {-1, false};
  VEC_PUSH(s->visits, x);
  size_t len = path->n;
  tkind ck = e->k == X_SELECT ? ir_kind(s->p, e->a[0]->type) : T_ANY;
  if (e->k == X_SELECT && ck != T_BOOL && ck != T_DYN) {
    /* a condition that is never #f: the first arm, unguarded */
    visit(s, e->a[0], path);
    visit(s, e->a[1], path);
  } else if (e->k == X_SELECT) {
    /* the condition under the current guards, each arm under its own */
    visit(s, e->a[0], path);
    for (int arm = 1; arm < e->n; arm++) {
      sb_printf(path, "%p/%d;", (const void *)e, arm);
      visit(s, e->a[arm], path);
      path->n = len;
      if (path->s) path->s[len] = '\0';
    }
  } else {
    for (int i = 0; i < e->n; i++) visit(s, e->a[i], path);
  }
  /* the arms' guards grew path (sb_printf may move its buffer) and were
   * cut off again: the same text, perhaps at a new address */
  here = path->s ? path->s : "";
  /* mexpr.c remembers a value once its subexpressions are built */
  shared_val v = {key, xstrdup(here), 0};
  VEC_PUSH(s->vals, v);
  int at = s->vals.n - 1;
  if (!here[0]) {
    if (s->bare.v[key] < 0) s->bare.v[key] = at;
  } else {
    struct guarded *g = guarded_at(s, key, here);
    if (g->val < 0) {
      g->shape = key;
      g->val = at;
      s->ng++;
    }
  }
  s->visits.v[me].val = s->vals.n - 1;
}

ir_share *ir_share_new(const ir_prog *p, const ir_expr *const *roots, int n) {
  ir_share *s = xcalloc(1, sizeof *s);
  s->p = p;
  strbuf path;
  sb_init(&path);
  for (int i = 0; i < n; i++)
    if (roots[i]) visit(s, roots[i], &path);
  sb_free(&path);
  return s;
}

int ir_share_next(ir_share *s, const ir_expr *e, int *def) {
  *def = 0;
  if (!s || !compound(e) || s->cursor >= s->visits.n) return 0;
  struct ir_visit x = s->visits.v[s->cursor++];
  int label = s->vals.v[x.val].label;
  if (x.reuse) return label;
  *def = label;
  return 0;
}

void ir_share_free(ir_share *s) {
  if (!s) return;
  for (int i = 0; i < s->vals.n; i++) free(s->vals.v[i].path);
  for (size_t i = 0; i < s->tcap; i++) free(s->texts[i].text);
  free(s->texts);
  free(s->nodes);
  VEC_FREE(s->bare);
  free(s->guarded);
  VEC_FREE(s->vals);
  VEC_FREE(s->visits);
  free(s);
}
