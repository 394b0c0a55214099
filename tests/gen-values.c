/* gen-values.c - multiple values and loop variables captured by closures
 * in the random programs of tests/gen.c (flags `mvalues`, GEN_MVALUES,
 * and `captured-loops`, GEN_CAPTURED_LOOPS): values in every position (as
 * arguments, in tail position, through procedures, closures and loops,
 * dropped), call-with-values with lambdas, procedures and builtins as
 * consumers, let-values, let*-values, receive, define-values at top level
 * and in bodies, the two-valued builtins, and the wrong numbers of values
 * (errors); named-let and do loops whose variables a closure captures and
 * then assigns.  Self-contained top-level forms, whose operands are random
 * integer expressions of the program.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

/* A random integer expression (globals in scope). */
static void e(gen *g) {
  g->budget = 10;
  g->lang++;
  g_expr(g, K_INT, 2, C_FIX);
  g->lang--;
}

static void small(gen *g) { out(g, "%d", rn(g, 9) - 2); }

/* (values ...) of n random operands. */
static void vals(gen *g, int n) {
  out(g, "(values");
  for (int i = 0; i < n; i++) {
    out(g, " ");
    if (chance(g, 50)) small(g);
    else e(g);
  }
  out(g, ")");
}

/* A procedure returning two values (or another count, with errors on). */
static void two_proc(gen *g, const char *name) {
  int r = rn(g, 4);
  if (r == 0)
    out(g, "(define (%s a b) (if (< a b) (values a b) (values b a)))\n", name);
  else if (r == 1)
    out(g, "(define (%s a b) (let ((s (+ a b))) (values s (- a b))))\n", name);
  else if (r == 2)
    out(g, "(define (%s a b) (let loop ((i 0) (x a)) (if (>= i 3) (values x b) "
           "(loop (+ i 1) (+ x 1)))))\n", name);
  else
    out(g, "(define (%s a b) (call-with-values (lambda () (values b a)) "
           "(lambda (p q) (values q p))))\n", name);
}

static void mv_form(gen *g) {
  char f[16], h[16], x[16];
  fresh_name(g, "mv", f);
  fresh_name(g, "mw", h);
  fresh_name(g, "mx", x);
  int r = rn(g, 100);
  if (r < 10) {
    two_proc(g, f);
    out(g, "(call-with-values (lambda () (%s ", f);
    e(g);
    out(g, " ");
    small(g);
    out(g, ")) (lambda (x y) (display (list x y))))\n");
  } else if (r < 18) {
    out(g, "(let-values (((a b) ");
    vals(g, 2);
    out(g, ") ((c . d) ");
    vals(g, 1 + rn(g, 3));
    out(g, ") (e ");
    vals(g, rn(g, 3));
    out(g, ")) (display (list a b c d e)))\n");
  } else if (r < 24) {
    out(g, "(let*-values (((a b) ");
    vals(g, 2);
    out(g, ") ((c) (values (+ a b))) ((d e) (values c a))) (display (list a b c d e)))\n");
  } else if (r < 30) {
    two_proc(g, f);
    out(g, "(receive (q . r) (%s ", f);
    e(g);
    out(g, " ");
    e(g);
    out(g, ") (display (cons q r)))\n");
  } else if (r < 38) {
    /* values where one value is needed: the first */
    int k = rn(g, 4);
    if (k == 0) {
      out(g, "(display (+ 1 ");
      vals(g, 2 + rn(g, 2));
      out(g, "))\n");
    } else if (k == 1) {
      out(g, "(display (list ");
      vals(g, 2);
      out(g, " ");
      vals(g, 1);
      out(g, "))\n");
    } else if (k == 2) {
      out(g, "(display (if (values #f #t) 'y 'n))\n");
    } else {
      two_proc(g, f);
      out(g, "(display (* 2 (%s ", f);
      e(g);
      out(g, " 3)))\n");
    }
  } else if (r < 46) {
    out(g, "(define-values (%s %s) ", f, h);
    vals(g, 2);
    out(g, ")\n(display (list %s %s))\n", f, h);
    if (chance(g, 40)) {
      out(g, "(define-values (%s . %s) ", x, f);
      vals(g, 1 + rn(g, 3));
      out(g, ")\n(display (list %s %s))\n", x, f);
    }
  } else if (r < 52) {
    out(g, "(define (%s x) (define-values (p q) (values x (* x 2))) (define s (+ p q)) "
           "(list p q s))\n(display (%s ", f, f);
    e(g);
    out(g, "))\n");
  } else if (r < 60) {
    /* a closure producing values, builtins as consumers */
    static const char *const cons[] = {"list", "+", "cons", "max", "-"};
    out(g, "(define (%s k) (lambda () (values k (+ k 1))))\n", f);
    out(g, "(display (call-with-values (%s ", f);
    e(g);
    out(g, ") %s))\n", cons[rn(g, 5)]);
    if (chance(g, 30)) out(g, "(display (call-with-values values list))\n");
    if (chance(g, 30))
      out(g, "(display (call-with-values (lambda () (apply values (list-tail '(1 2 3 4 5) %d))) "
             "list))\n", rn(g, 6));
    if (chance(g, 30)) out(g, "(display (call-with-values (lambda () 42) list))\n");
  } else if (r < 66) {
    /* a loop returning values, taken by receive */
    out(g, "(define (%s n) (let loop ((i 0) (s 0)) (if (> i n) (values i s) "
           "(loop (+ i 1) (+ s i)))))\n(receive (i s) (%s %d) (display (list i s)))\n",
        f, f, rn(g, 12));
  } else if (r < 71) {
    /* values through recursion */
    out(g, "(define (%s n) (if (= n 0) (values 0 1) (let-values (((a b) (%s (- n 1)))) "
           "(values b (+ a b)))))\n(let-values (((a b) (%s %d))) (display a))\n",
        f, f, f, rn(g, 20));
  } else if (r < 77) {
    /* values dropped */
    two_proc(g, f);
    out(g, "(begin ");
    vals(g, rn(g, 3));
    out(g, " (%s 1 2) (display ", f);
    e(g);
    out(g, "))\n");
  } else if (r < 82) {
    out(g, "(display (if (> ");
    e(g);
    out(g, " 0) ");
    vals(g, 2);
    out(g, " ");
    e(g);
    out(g, "))\n");
    out(g, "(define %s ", f);
    vals(g, 2);
    out(g, ")\n(display %s)\n", f);
  } else if (r < 88) {
    /* the builtins of two values */
    static const char *const two[] = {"floor/", "truncate/"};
    out(g, "(display (call-with-values (lambda () (%s ", two[rn(g, 2)]);
    e(g);
    out(g, " ");
    if (chance(g, 85)) out(g, "%d", chance(g, 50) ? 1 + rn(g, 7) : -1 - rn(g, 7));
    else e(g);
    out(g, ")) list))\n");
    static const char *const one[] = {"floor-quotient", "floor-remainder",
                                      "truncate-quotient", "truncate-remainder"};
    out(g, "(display (%s ", one[rn(g, 4)]);
    e(g);
    out(g, " ");
    if (chance(g, 85)) out(g, "%d", chance(g, 50) ? 1 + rn(g, 7) : -1 - rn(g, 7));
    else e(g);
    out(g, "))\n");
    if (chance(g, 40)) {
      out(g, "(receive (s r) (exact-integer-sqrt (abs ");
      e(g);
      out(g, ")) (display (list s r)))\n");
    }
  } else if (r < 94 && on(g, GEN_ERRORS)) {
    /* errors: no value, wrong counts */
    int k = rn(g, 4);
    if (k == 0)
      out(g, "(define (%s) (values))\n(display (list 1 (%s)))\n", f, f);
    else if (k == 1)
      out(g, "(let-values (((a b) (values 1 2 3))) (display a))\n");
    else if (k == 2)
      out(g, "(call-with-values (lambda () (values 1 2)) (lambda (a) (display a)))\n");
    else
      out(g, "(display (call-with-values (lambda () (values 1 2 3)) cons))\n");
  } else {
    /* values in an argument of a procedure that returns values */
    two_proc(g, f);
    out(g, "(define (%s a) (%s a (values 4 5)))\n", h, f);
    out(g, "(call-with-values (lambda () (%s ", h);
    e(g);
    out(g, ")) (lambda all (display all)))\n");
  }
}

/* Loop variables captured by a closure, then assigned. */
static void loop_form(gen *g) {
  char f[16];
  fresh_name(g, "cl", f);
  int n = rn(g, 5);
  int r = rn(g, 4);
  if (r == 0) {
    out(g, "(define (%s n) (let loop ((i 0) (acc '())) (if (= i n) (map (lambda (p) (p)) acc) "
           "(loop (+ i 1) (cons (lambda () (set! i (+ i 10)) i) acc)))))\n"
           "(display (%s %d))\n", f, f, n);
  } else if (r == 1) {
    out(g, "(display (do ((i 0 (+ i 1)) (ps '() (cons (lambda () (set! i (* i 2)) i) ps))) "
           "((= i %d) (map (lambda (p) (p)) ps))))\n", n);
  } else if (r == 2) {
    /* the closure runs while the loop goes on, and changes it */
    out(g, "(define (%s n) (let loop ((i 0) (s 0)) (let ((bump (lambda () (set! i (+ i 2)))))"
           " (if (>= i n) s (begin (bump) (loop (+ i 1) (+ s i)))))))\n(display (%s ", f, f);
    e(g);
    out(g, "))\n");
  } else {
    out(g, "(define %s '())\n(do ((k %d (- k 1))) ((= k 0)) (set! %s (cons (lambda (d) "
           "(set! k (+ k d)) k) %s)))\n(display (map (lambda (p) (p 5)) %s))\n",
        f, n, f, f, f);
  }
}

bool gv_top(gen *g) {
  bool mv = on(g, GEN_MVALUES), cl = on(g, GEN_CAPTURED_LOOPS);
  if (!mv && !cl) return false;
  if (mv && (!cl || chance(g, 70))) mv_form(g);
  else loop_form(g);
  return true;
}
