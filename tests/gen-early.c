/* gen-early.c - bodies whose defines read other defines of the same body,
 * before or after those have run: directly, through a local procedure an
 * earlier define calls, through a lambda passed to map, in letrec and
 * letrec* (flag local-defines).  A read before the definition is an error
 * in Guile ("Unbound variable"), the evaluator's "used before its
 * definition"; compiled code raises the same or refuses the form, never
 * reads a value the variable does not have yet.  Most reads are of
 * earlier defines, or from procedures called once everything is defined,
 * which must keep working.
 */
#include "config.h"

#include "gen-int.h"

enum { NDEF = 5 };

typedef struct {
  char name[16];
  bool proc;   /* (define (name) ...) rather than a value */
} edef;

/* A read of one of the body's names (a call of a procedure one), or of n
 * or a constant; `upto`: the defines it may name (an early read when one
 * of index >= the define being written is named). */
static void early_leaf(gen *g, const edef *d, int upto, int calls, const char *n) {
  int r = rn(g, 10);
  if (upto > 0 && r < 6) {
    int i = rn(g, upto);
    if (d[i].proc && i >= calls) out(g, "%s", n);   /* no recursion */
    else out(g, d[i].proc ? "(%s)" : "%s", d[i].name);
  } else if (r < 8) {
    out(g, "%s", n);
  } else {
    out(g, "%d", rn(g, 20));
  }
}

/* An integer expression over the leaves; procedures of index >= calls
 * are not called. */
static void early_expr(gen *g, const edef *d, int upto, int calls, const char *n,
                       int depth) {
  if (depth <= 0 || chance(g, 35)) {
    early_leaf(g, d, upto, calls, n);
    return;
  }
  switch (rn(g, 5)) {
  case 0: case 1:
    out(g, "(%s ", chance(g, 50) ? "+" : "-");
    early_expr(g, d, upto, calls, n, depth - 1);
    out(g, " ");
    early_expr(g, d, upto, calls, n, depth - 1);
    out(g, ")");
    return;
  case 2:   /* the read only on one branch */
    out(g, "(if (> %s %d) ", n, rn(g, 6));
    early_expr(g, d, upto, calls, n, depth - 1);
    out(g, " ");
    early_expr(g, d, upto, calls, n, depth - 1);
    out(g, ")");
    return;
  case 3:   /* through a lambda that map calls */
    out(g, "(apply + (map (lambda (x) (* x ");
    early_expr(g, d, upto, calls, n, depth - 1);
    out(g, ")) (list 1 %d)))", rn(g, 5));
    return;
  default:   /* a let in between */
    out(g, "(let ((y ");
    early_expr(g, d, upto, calls, n, depth - 1);
    out(g, ")) (* y 2))");
    return;
  }
}

/* (define (P n) (define ...) ... body), then calls of it. */
static void early_body(gen *g) {
  char p[16], n[16];
  fresh_name(g, "eb", p);
  fresh_name(g, "n", n);
  edef d[NDEF];
  int nd = 2 + rn(g, NDEF - 1);
  for (int i = 0; i < nd; i++) {
    d[i].proc = chance(g, 35);
    fresh_name(g, d[i].proc ? "ep" : "ev", d[i].name);
  }
  /* how far the defines read: mostly earlier ones (and every one from
   * procedures), now and then a later one */
  bool late = chance(g, 40);
  out(g, "(define (%s %s)", p, n);
  for (int i = 0; i < nd; i++) {
    int upto = d[i].proc ? nd : (late && chance(g, 50) ? nd : i);
    out(g, d[i].proc ? "\n  (define (%s) " : "\n  (define %s ", d[i].name);
    early_expr(g, d, upto, d[i].proc ? i : nd, n, 2);
    out(g, ")");
  }
  out(g, "\n  ");
  early_expr(g, d, nd, nd, n, 2);
  out(g, ")\n");
  int calls = 1 + rn(g, 3);
  for (int i = 0; i < calls; i++) out(g, "(display (%s %d))\n(newline)\n", p, rn(g, 9));
}

/* letrec / letrec* of values and procedures, read in the inits. */
static void early_letrec(gen *g) {
  bool star = chance(g, 50);
  char a[16], b[16], f[16];
  fresh_name(g, "la", a);
  fresh_name(g, "lb", b);
  fresh_name(g, "lf", f);
  out(g, "(display (%s ((%s (lambda () (+ %s 1))) ", star ? "letrec*" : "letrec", f,
      chance(g, 50) ? a : b);
  switch (rn(g, 4)) {
  case 0: out(g, "(%s %d) (%s (+ %s 1))", a, rn(g, 9), b, a); break;   /* reads a */
  case 1: out(g, "(%s (%s)) (%s %d)", a, f, b, rn(g, 9)); break;   /* calls f first */
  case 2: out(g, "(%s %d) (%s (%s))", a, rn(g, 9), b, f); break;
  default: out(g, "(%s %d) (%s %d)", a, rn(g, 9), b, rn(g, 9)); break;
  }
  out(g, ") (+ %s %s (%s))))\n(newline)\n", a, b, f);
}

bool ge_top(gen *g) {
  if (chance(g, 70)) early_body(g);
  else early_letrec(g);
  return true;
}
