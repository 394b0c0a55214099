/* gen-match.c - define*, lambda* and (ice-9 match) in the random programs
 * of tests/gen.c (flags lists and proc-values, from gen-lang.c gl_top):
 * a define* with optional and keyword parameters called with some of
 * them, given twice or with a keyword it does not know; a lambda* applied
 * at once; match, match-lambda, match-lambda*, match-let and match-let*
 * over lists, dotted pairs, vectors, literals, `...`, ?, and, or, not and
 * quasi-patterns, with values that match no clause now and then (Guile's
 * match-error).  lang/expand-keywords.c and lang/expand-match.c rewrite
 * all of them into core forms, which both modes run.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

/* A datum to match: a list, a dotted pair, a vector, a symbol, a number. */
static void datum(gen *g) {
  switch (rn(g, 7)) {
  case 0: out(g, "'(%d %d)", rn(g, 9), rn(g, 9)); break;
  case 1: out(g, "'(%d . s%d)", rn(g, 9), rn(g, 3)); break;
  case 2: out(g, "(vector %d 's%d)", rn(g, 9), rn(g, 3)); break;
  case 3: out(g, "'s%d", rn(g, 3)); break;
  case 4: out(g, "(list %d %d %d)", rn(g, 9), rn(g, 9), rn(g, 9)); break;
  case 5: out(g, "\"t%d\"", rn(g, 2)); break;
  default: out(g, "%d", rn(g, 20) - 5); break;
  }
}

/* The clauses of a match over one value, the last a catch-all unless it
 * is left out (then a value that matches none is Guile's match-error). */
static void clauses(gen *g) {
  out(g, " ((a b) (list 'two a b))");
  if (chance(g, 50)) out(g, " ((a . (? symbol? s)) (list 'dot a s))");
  if (chance(g, 50)) out(g, " (#(n 's%d) (list 'vec n))", rn(g, 3));
  if (chance(g, 50)) out(g, " ((x ...) (apply + x))");
  if (chance(g, 40)) out(g, " ((and (? integer?) (not 0) n) (* n 2))");
  if (chance(g, 40)) out(g, " ((or 's0 's1) 'low)");
  if (chance(g, 30)) out(g, " (`(%d ,y) (list 'q y))", rn(g, 9));
  if (chance(g, 85)) out(g, " (_ 'other)");
}

static void g_define_star(gen *g) {
  char f[16];
  fresh_name(g, "ds", f);
  out(g, "(define* (%s a #:optional (b %d) #:key (c (+ a 1)) d) (list a b c d))\n", f,
      rn(g, 9));
  out(g, "(display (list (%s %d)", f, rn(g, 9));
  out(g, " (%s %d %d)", f, rn(g, 9), rn(g, 9));
  out(g, " (%s %d %d #:d 's%d)", f, rn(g, 9), rn(g, 9), rn(g, 3));
  out(g, " (%s %d %d #:c %d #:c %d)))\n", f, rn(g, 9), rn(g, 9), rn(g, 9), rn(g, 9));
  if (on(g, GEN_ERRORS) && chance(g, 20))   /* Guile's "Unrecognized keyword" */
    out(g, "(display (%s 1 2 #:e 3))\n", f);
  out(g, "(display ((lambda* (x #:optional y #:rest r) (list x y r)) %d", rn(g, 9));
  for (int i = rn(g, 4); i > 0; i--) out(g, " %d", rn(g, 9));
  out(g, "))\n");
}

static void g_match_forms(gen *g) {
  char v[16], f[16];
  fresh_name(g, "mv", v);
  fresh_name(g, "mf", f);
  out(g, "(use-modules (ice-9 match))\n(define %s ", v);
  datum(g);
  out(g, ")\n(display (match %s", v);
  clauses(g);
  out(g, "))\n(define %s (match-lambda", f);
  clauses(g);
  out(g, "))\n(display (map %s (list ", f);
  for (int i = rn(g, 3) + 1; i > 0; i--) {
    datum(g);
    out(g, " ");
  }
  out(g, ")))\n");
  switch (rn(g, 3)) {
  case 0:
    out(g, "(display ((match-lambda* ((a) (list 'one a)) ((a b . r) (list a b r))) %d %d))\n",
        rn(g, 9), rn(g, 9));
    break;
  case 1:
    out(g, "(display (match-let (((a b) (list %d %d)) (#(c) (vector %d))) (+ a b c)))\n",
        rn(g, 9), rn(g, 9), rn(g, 9));
    break;
  default:
    out(g, "(display (match-let* (((a . r) (list %d %d)) ((b) r)) (list a b)))\n", rn(g, 9),
        rn(g, 9));
    break;
  }
}

bool gmatch_top(gen *g) {
  if (chance(g, 40)) g_define_star(g);
  else g_match_forms(g);
  return true;
}
