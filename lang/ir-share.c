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
 * Ownership: an ir_share owns its vectors (ir_share_free).
 */
#include "config.h"

#include "lower.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  char *key;          /* the expression's shape */
  char *path;         /* the select arms that guard it ("" for none) */
  int label;          /* > 0 once a reuse was found */
} shared_val;

struct ir_share {
  const ir_prog *p;
  VEC(shared_val) vals;
  /* per compound node visited, in order: the value it computes (its
   * index in vals) and whether it is a reuse */
  VEC(struct ir_visit { int val; bool reuse; }) visits;
  int cursor;
  int labels;
};

static bool compound(const ir_expr *e) { return e->k != X_CONST && e->k != X_VAR; }

/* The shape of an expression, as equal values have equal shapes within a
 * statement (expressions have no side effects). */
static void shape(const ir_prog *p, const ir_expr *e, strbuf *out) {
  /* a tagged node computes another value than an untagged one */
  if (e->type >= 0 && ir_kind(p, e->type) == T_DYN) sb_putc(out, 'D');
  switch (e->k) {
  case X_CONST: sb_printf(out, "c%d:%d", (int)e->ival, e->has_nat ? (int)e->nat : -2); return;
  case X_VAR: sb_printf(out, "v%d", e->var); return;
  case X_PRIM: sb_printf(out, "(%s", e->op->name); break;
  case X_TABLE: sb_printf(out, "(T%p", (void *)e->table); break;
  default: sb_printf(out, "(%d:%d", (int)e->k, (int)e->ival); break;
  }
  for (int i = 0; i < e->n; i++) {
    sb_putc(out, ' ');
    shape(p, e->a[i], out);
  }
  sb_putc(out, ')');
}

static void visit(ir_share *s, const ir_expr *e, strbuf *path) {
  if (!compound(e)) return;
  strbuf key;
  sb_init(&key);
  shape(s->p, e, &key);
  const char *here = path->s ? path->s : "";
  for (int i = 0; i < s->vals.n; i++) {
    shared_val *v = &s->vals.v[i];
    if (strcmp(v->key, key.s) || (v->path[0] && strcmp(v->path, here))) continue;
    if (!v->label) v->label = ++s->labels;
    struct ir_visit x = {i, true};
    VEC_PUSH(s->visits, x);
    sb_free(&key);
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
  /* mexpr.c remembers a value once its subexpressions are built */
  shared_val v = {sb_detach(&key), xstrdup(here), 0};
  VEC_PUSH(s->vals, v);
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
  for (int i = 0; i < s->vals.n; i++) {
    free(s->vals.v[i].key);
    free(s->vals.v[i].path);
  }
  VEC_FREE(s->vals);
  VEC_FREE(s->visits);
  free(s);
}
