/* gen-applycc.c - procedure parameters called through apply, map,
 * for-each and plain calls in procedures that are not inlined (they call
 * call/cc, or recurse), in the random programs of tests/gen.c (flag
 * `escapes`, from gen-escape.c gx_top): the procedures reaching such a
 * parameter come from calls lowered later (a lambda's body that calls the
 * procedure again, a recursive call passing a new lambda), so the
 * compiler must follow every one of them to the call (an apply site once
 * kept only the procedures known when it was lowered: a silent wrong
 * answer).  Also lists and vectors of procedures applied under call/cc.
 * Each is a self-contained top-level form or two.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

static const char *cc(gen *g) {
  return chance(g, 50) ? "call/cc" : "call-with-current-continuation";
}

/* The body of a thunk of one parameter x: a number, maybe through call/cc
 * (escaping or not). */
static void thunk_body(gen *g) {
  switch (rn(g, 4)) {
  case 0: out(g, "%d", rn(g, 20)); break;
  case 1: out(g, "(%s (lambda (k) %d))", cc(g), rn(g, 20)); break;
  case 2: out(g, "(%s (lambda (k) (k (+ x %d)) 0))", cc(g), rn(g, 20)); break;
  default: out(g, "(+ x (%s (lambda (k) (if (> x %d) (k x) %d))))", cc(g), rn(g, 4), rn(g, 9));
  }
}

/* A handler of two parameters t v: a list tagged tag. */
static void handler(gen *g, const char *tag) {
  if (chance(g, 30)) out(g, "(lambda args (cons '%s args))", tag);
  else out(g, "(lambda (t v) (list '%s t v))", tag);
}

/* (m tag thunk handler): the thunk's value, then the handler applied to
 * the tag and it (apply, or a plain call), the thunk's inner calls of m
 * with handlers of their own. */
static void nested(gen *g) {
  char m[16];
  fresh_name(g, "m", m);
  int how = rn(g, 3);
  out(g, "(define (%s tag thunk h) (let ((v (thunk %d))) ", m, rn(g, 5));
  if (how == 0) out(g, "(apply h (list tag v))");
  else if (how == 1) out(g, "(apply h tag (list v))");
  else out(g, "(h tag v)");
  out(g, "))\n");
  int depth = 1 + rn(g, 3);
  out(g, "(write ");
  for (int i = 0; i < depth; i++) {
    char tag[16];
    snprintf(tag, sizeof tag, "t%d", i);
    out(g, "(%s '%s (lambda (x) ", m, tag);
  }
  thunk_body(g);
  for (int i = depth - 1; i >= 0; i--) {
    char tag[16];
    snprintf(tag, sizeof tag, "h%d", i);
    out(g, ") ");
    handler(g, tag);
    out(g, ")");
  }
  out(g, ")\n");
}

/* A recursive procedure passing a new lambda down at each level, the
 * procedures it was given applied (apply, map, for-each, a plain call). */
static void recursive(gen *g) {
  char f[16];
  fresh_name(g, "rw", f);
  int base = rn(g, 3);
  out(g, "(define (%s n p) (if (= n 0) ", f);
  if (chance(g, 50)) out(g, "(apply p (list (%s (lambda (k) (k %d)))))", cc(g), rn(g, 9));
  else out(g, "(p %d)", rn(g, 9));
  out(g, " (let ((r (%s (- n 1) (lambda (x) (list 'l n x))))) (list r ", f);
  switch (rn(g, 4)) {
  case 0: out(g, "(map p (list n %d))", rn(g, 9)); break;
  case 1: out(g, "(apply p (list n))"); break;
  case 2: out(g, "(let ((acc '())) (for-each (lambda (y) (set! acc (cons (p y) acc))) "
                 "(list n %d)) acc)", rn(g, 9)); break;
  default: out(g, "(p (%s (lambda (k) (apply p (list n)))))", cc(g));
  }
  out(g, "))))\n");
  out(g, "(write (%s %d (lambda (x) (list 'top x))))\n", f, base + rn(g, 3));
}

/* A list or a vector of procedures, each applied under call/cc in a
 * recursion; one of them runs the recursion again. */
static void collection(gen *g) {
  char f[16], mk[16];
  fresh_name(g, "run", f);
  fresh_name(g, "mk", mk);
  int lim = rn(g, 5);
  out(g, "(define (%s tag) (lambda (x k) (if (> x %d) (k (list tag 'esc x)) (list tag x))))\n",
      mk, lim);
  if (chance(g, 50)) {
    out(g, "(define (%s ps n) (if (null? ps) '() (cons (%s (lambda (k) (apply (car ps) "
           "(list n k)))) (%s (cdr ps) (+ n 1)))))\n", f, cc(g), f);
    out(g, "(write (%s (list (%s 'a) (lambda (x k) (%s (list (lambda (y k2) (list 'deep y)) "
           "(%s 'in)) %d)) (%s 'b)) %d))\n", f, mk, f, mk, rn(g, 6), mk, rn(g, 3));
  } else {
    out(g, "(define %s-v (vector (%s 'a) #f (%s 'b)))\n", f, mk, mk);
    out(g, "(define (%s i x) (%s (lambda (k) (apply (vector-ref %s-v i) (list x k)))))\n", f,
        cc(g), f);
    out(g, "(vector-set! %s-v 1 (lambda (x k) (list 'v1 (%s 0 (+ x 1)) (%s 2 x))))\n", f, f,
        f);
    out(g, "(write (list (%s 0 %d) (%s 1 %d) (%s 2 %d)))\n", f, rn(g, 6), f, rn(g, 6), f,
        rn(g, 6));
  }
}

bool gac_top(gen *g) {
  int r = rn(g, 100);
  if (r < 45) nested(g);
  else if (r < 75) recursive(g);
  else collection(g);
  return true;
}
