/* gen-nest.c - deeply nested values in the random programs of tests/gen.c
 * (flag `lists`, GEN_LISTS): trees built by recursive procedures (binary
 * search trees as (key left right), lists nested by a loop, vectors of
 * vectors), quoted literals nested up to 9 deep, written and displayed
 * by procedures defined in an earlier form, walked by recursion
 * (flatten, depth), and their kind errors, whose messages write the
 * value; mutation (set-car!, set-cdr!, vector-set!) of such values, so
 * that their cycles are written #N#.  Compiled code prints them with
 * shared routines (backend/mprint.c).
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

static void leaf(gen *g) {
  static const char *const leaves[] = {"1", "-7", "a", "\"s\"", "#\\x", "#t", "()", "#(1 2)",
                                       "\"q\\\"\"", "40000"};
  out(g, "%s", leaves[rn(g, on(g, GEN_STRINGS) && on(g, GEN_CHARS) ? 10 : 3)]);
}

/* A quoted datum nested about `d` deep. */
static void datum(gen *g, int d) {
  if (d <= 0) {
    leaf(g);
    return;
  }
  bool vec = chance(g, 20);
  out(g, vec ? "#(" : "(");
  int n = 1 + rn(g, 3), at = rn(g, n);
  for (int i = 0; i < n; i++) {
    if (i) out(g, " ");
    if (i == at) datum(g, d - 1);
    else leaf(g);
  }
  if (!vec && chance(g, 15)) {
    out(g, " . ");
    leaf(g);
  }
  out(g, ")");
}

/* A tree procedure and a tree in a global, in two forms. */
static void bst(gen *g, const char *ins, const char *t) {
  out(g, "(define (%s t k) (cond ((null? t) (list k '() '())) "
         "((< k (car t)) (list (car t) (%s (cadr t) k) (caddr t))) "
         "((> k (car t)) (list (car t) (cadr t) (%s (caddr t) k))) (else t)))\n",
      ins, ins, ins);
  out(g, "(define %s (let loop ((ks '(", t);
  for (int i = 0, n = 2 + rn(g, 10); i < n; i++) out(g, i ? " %d" : "%d", rn(g, 60));
  out(g, ")) (t '())) (if (null? ks) t (loop (cdr ks) (%s t (car ks))))))\n", ins);
}

bool gn_top(gen *g) {
  char show[16], a[16], b[16];
  fresh_name(g, "show", show);
  fresh_name(g, "nv", a);
  fresh_name(g, "nf", b);
  bool wr = chance(g, 50);
  out(g, "(define (%s x) (%s x) (newline))\n", show, wr ? "write" : "display");
  int r = rn(g, 100);
  if (r < 20) {
    out(g, "(%s '", show);
    datum(g, 2 + rn(g, 8));
    out(g, ")\n");
    if (chance(g, 40)) {   /* equal? of two literals nested deep */
      int d = 2 + rn(g, 8);
      uint64_t at = g->s;
      out(g, "(display (equal? '");
      datum(g, d);
      out(g, " '");
      if (chance(g, 50)) g->s = at;   /* the same datum again */
      datum(g, d);
      out(g, "))\n");
    }
    if (chance(g, 50)) {
      out(g, "(%s (list '", wr ? "write" : "display");
      datum(g, 1 + rn(g, 7));
      out(g, " (vector '");
      datum(g, 1 + rn(g, 6));
      out(g, ")))\n");
    }
  } else if (r < 40) {
    bst(g, b, a);
    out(g, "(%s %s)\n", show, a);
    if (chance(g, 50)) out(g, "(%s (cadr %s))\n", show, a);
    if (chance(g, 40))   /* equal? of trees: a copy, a subtree, a member */
      out(g, "(define (%s-copy t) (if (pair? t) (cons (%s-copy (car t)) (%s-copy (cdr t))) t))\n"
             "(display (list (equal? (%s-copy %s) %s) (equal? (cadr %s) %s) "
             "(equal? (%s %s %d) %s) (if (member (%s-copy (caddr %s)) (list 1 (cadr %s) "
             "(caddr %s) 'x)) #t #f)))\n",
          b, b, b, b, a, a, a, a, b, a, rn(g, 60), a, b, a, a, a);
    if (chance(g, 40))
      out(g, "(define (%s-depth t) (if (null? t) 0 (+ 1 (max (%s-depth (cadr t)) "
             "(%s-depth (caddr t))))))\n(display (list (%s-depth %s) %s))\n",
          b, b, b, b, a, a);
    if (on(g, GEN_ERRORS) && chance(g, 20))   /* the message writes the tree */
      out(g, "(display (vector-ref %s 0))\n", a);
  } else if (r < 55) {
    /* lists nested by a loop: ((((() 0) 1) 2) 3) */
    out(g, "(define %s (let loop ((i 0) (acc '())) (if (< i %d) (loop (+ i 1) (%s acc %s)) "
           "acc)))\n",
        a, rn(g, 14), chance(g, 50) ? "list" : "cons", chance(g, 50) ? "i" : "'(i)");
    out(g, "(%s %s)\n", show, a);
    if (chance(g, 40))
      out(g, "(display (equal? %s (let loop ((i 0) (acc '())) (if (< i %d) (loop (+ i 1) "
             "(list acc i)) acc))))\n",
          a, rn(g, 14));
    if (chance(g, 50))
      out(g, "(define (%s x) (cond ((null? x) '()) ((pair? x) (append (%s (car x)) (%s (cdr "
             "x)))) (else (list x))))\n(display (%s %s))\n",
          b, b, b, b, a);
  } else if (r < 68) {
    /* vectors of vectors */
    out(g, "(%s (let loop ((i 0) (v %s)) (if (< i %d) (loop (+ i 1) (vector i v)) v)))\n", show,
        chance(g, 50) ? "0" : "'()", rn(g, 12));
    if (chance(g, 40))
      out(g, "(define (%s n) (let loop ((i 0) (v '())) (if (< i n) (loop (+ i 1) (vector i v)) "
             "v)))\n(display (list (equal? (%s %d) (%s %d)) (equal? (list (%s 9)) (list (%s "
             "9)))))\n",
          b, b, rn(g, 12), b, rn(g, 12), b, b);
  } else if (r < 80) {
    /* a tree with its elements of several kinds, and walked */
    out(g, "(define (%s n) (if (= n 0) '%s (list n (%s (- n 1)) %s)))\n", b,
        chance(g, 50) ? "leaf" : "()", b, chance(g, 50) ? "\"x\"" : "(vector n)");
    out(g, "(%s (%s %d))\n", show, b, rn(g, 9));
    if (chance(g, 50))   /* equal? of trees of mixed kinds, and member */
      out(g, "(display (list (equal? (%s %d) (%s %d)) (member (%s %d) (list 0 (%s %d) 'leaf))))\n",
          b, rn(g, 9), b, rn(g, 9), b, rn(g, 4), b, rn(g, 4));
    if (on(g, GEN_ERRORS) && chance(g, 25)) out(g, "(display (+ 1 (%s 3)))\n", b);
  } else if (r < 90) {
    /* cycles: through a cdr, a car, a vector's element */
    out(g, "(define %s (list 1 (list 2 3) 4))\n", a);
    switch (rn(g, 4)) {
    case 0: out(g, "(set-car! (cdr (cadr %s)) %s)\n", a, a); break;
    case 1: out(g, "(set-cdr! (cddr %s) %s)\n", a, a); break;
    case 2: out(g, "(set-cdr! (cdr (cadr %s)) (cddr %s))\n", a, a); break;
    default: out(g, "(set-car! %s (vector 0 (cadr %s)))\n", a, a); break;
    }
    out(g, "(%s %s)\n(%s (list %s %s))\n", show, a, show, a, a);
  } else {
    /* a tree mutated in place, then printed */
    bst(g, b, a);
    out(g, "(set-car! (cdr %s) (list 99 '() '()))\n(%s %s)\n", a, show, a);
  }
  return true;
}
