/* gen-kinds.c - values whose kind is known only when the program runs,
 * and deep trees printed in programs that mutate, in the random programs
 * of tests/gen.c (flag `lists`):
 *
 *   - values of no kind at all: the cars of (map car '()), a call that
 *     always fails, reaching display, write, equal?, car, length;
 *   - a procedure whose result is of a kind that its argument decides
 *     (the empty list, a symbol, a list, a vector, an integer), its
 *     results printed, compared, taken apart, collected in a list;
 *   - a message-passing object whose answers are of several kinds;
 *   - Floyd's cycle test on the empty list and on lists made circular;
 *   - lists and vectors nested up to 60 deep, changed by set-car!,
 *     set-cdr! or vector-set! and then printed (now and then made
 *     circular: compiled code refuses to print those at run time).
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

/* Forms that print values of no kind. */
static void no_kind(gen *g) {
  static const char *const forms[] = {
      "(write (map car '()))",
      "(display (map cdr (list)))",
      "(write (list (map car '()) 1))",
      "(display (equal? (map car '()) '()))",
      "(display (null? (map car '())))",
      "(write (reverse (map car '())))",
      "(write (append (map car '()) (list 1)))",
      "(display (length (map car '())))",
      "(write (list-copy (map cadr '())))",
      "(write (vector (map car '()) (reverse '())))",
      "(display (equal? (map car '()) (list 1)))",
      "(write (cons (map car '()) (map cdr '())))",
  };
  int n = 1 + rn(g, 3);
  for (int i = 0; i < n; i++) out(g, "%s\n", forms[rn(g, N_OF(forms))]);
  if (on(g, GEN_ERRORS) && chance(g, 30)) {
    char bad[16];
    fresh_name(g, "bad", bad);
    out(g, "(define (%s x) (error \"bad value:\" x))\n", bad);
    int k = rn(g, 10);
    out(g, "(%s (if (> %d 5) (%s %d) (list %d)))\n", chance(g, 50) ? "write" : "display", k,
        bad, k, k);
  }
  if (on(g, GEN_ERRORS) && chance(g, 15)) out(g, "(display (car (map car '())))\n");
}

/* A procedure whose results are of several kinds. */
static void run_time_kinds(gen *g) {
  char f[16], x[16];
  fresh_name(g, "kf", f);
  fresh_name(g, "kx", x);
  out(g, "(define (%s n) (case (modulo n 6) ((0) '()) ((1) 'sym) ((2) (list n (- n))) "
         "((3) (vector n 'v)) ((4) (list (list n) \"s\")) (else n)))\n",
      f);
  int a = rn(g, 12), b = rn(g, 12);
  switch (rn(g, 7)) {
  case 0: out(g, "(display (%s %d))\n(write (%s %d))\n", f, a, f, b); break;
  case 1: out(g, "(write (list (%s %d) (%s %d)))\n", f, a, f, b); break;
  case 2: out(g, "(display (equal? (%s %d) (%s %d)))\n", f, a, f, b); break;
  case 3:
    out(g, "(define %s (%s %d))\n(display (if (pair? %s) (car %s) %s))\n", x, f, a, x, x, x);
    break;
  case 4: out(g, "(write (map %s (list %d %d %d)))\n", f, a, b, rn(g, 12)); break;
  case 5:
    out(g, "(let loop ((i 0) (acc '())) (if (< i %d) (loop (+ i 1) (cons (%s i) acc)) "
           "(write acc)))\n",
        rn(g, 8), f);
    break;
  default:
    out(g, "(display (let ((v (%s %d))) (cond ((null? v) 'empty) ((symbol? v) v) "
           "((vector? v) (vector-ref v 0)) ((pair? v) (length v)) (else (+ v 1)))))\n",
        f, a);
    break;
  }
  out(g, "(newline)\n");
  if (on(g, GEN_ERRORS) && chance(g, 20)) out(g, "(display (car (%s %d)))\n", f, a);
}

/* A message-passing object with answers of several kinds. */
static void object(gen *g) {
  char mk[16], p[16];
  fresh_name(g, "mkobj", mk);
  fresh_name(g, "obj", p);
  out(g, "(define (%s x y) (define (self msg . args) (case msg ((x) x) ((y) y) "
         "((move!) (set! x (+ x (car args))) self) ((to-list) (list 'pt x y)) "
         "((pair) (cons x y)) ((none) '()) (else #f))) self)\n",
      mk);
  out(g, "(define %s (%s %d %d))\n", p, mk, rn(g, 9), rn(g, 9));
  out(g, "(display (%s 'to-list))\n", p);
  if (chance(g, 50)) out(g, "((%s 'move! %d) 'x)\n", p, rn(g, 5));
  out(g, "(write (list (%s 'x) (%s 'pair) (%s 'none) (%s 'other)))\n(newline)\n", p, p, p, p);
}

/* Floyd's test, on the empty list and on a list that may be circular. */
static void floyd(gen *g) {
  char cy[16], a[16];
  fresh_name(g, "cyclic", cy);
  fresh_name(g, "cl", a);
  out(g, "(define (%s l) (let loop ((slow l) (fast l)) (cond ((or (null? fast) (null? (cdr "
         "fast))) #f) ((eq? (cdr slow) (cddr fast)) #t) (else (loop (cdr slow) (cddr "
         "fast))))))\n",
      cy);
  out(g, "(display (%s '()))\n", cy);
  int n = 2 + rn(g, 5);
  out(g, "(define %s (iota %d))\n(display (%s %s))\n", a, n, cy, a);
  if (chance(g, 60)) {
    out(g, "(set-cdr! (last-pair %s) (list-tail %s %d))\n", a, a, rn(g, n));
    out(g, "(display (list (%s %s) (list-ref %s %d)))\n", cy, a, a, rn(g, 3 * n));
  }
  out(g, "(newline)\n");
}

/* A tree nested `d` deep, changed in place, then printed. */
static void deep_mutated(gen *g) {
  char a[16], show[16];
  fresh_name(g, "dm", a);
  fresh_name(g, "dshow", show);
  int d = 2 + rn(g, chance(g, 30) ? 60 : 12);
  bool vec = chance(g, 30);
  out(g, "(define (%s x) (%s x) (newline))\n", show, chance(g, 50) ? "write" : "display");
  out(g, "(define %s (let loop ((i 0) (acc %s)) (if (< i %d) (loop (+ i 1) (%s acc i)) "
         "acc)))\n",
      a, vec ? "0" : "'()", d, vec ? "vector" : "list");
  int r = rn(g, 100);
  if (vec) {
    if (r < 70) out(g, "(vector-set! %s 1 '%s)\n", a, chance(g, 50) ? "y" : "(1 2)");
    else if (r < 90) out(g, "(vector-set! (vector-ref %s 0) 1 (list %d))\n", a, rn(g, 9));
    else out(g, "(vector-set! (vector-ref %s 0) 0 %s)\n", a, a);   /* a cycle */
  } else {
    if (r < 40) out(g, "(set-car! (cdr %s) 'x)\n", a);
    else if (r < 65) out(g, "(set-cdr! (cdr %s) (list %d (list 1 2)))\n", a, rn(g, 9));
    else if (r < 90) out(g, "(set-car! (car %s) (list 'n))\n", a);
    else out(g, "(set-car! (cdr (car %s)) %s)\n", a, a);   /* a cycle */
  }
  out(g, "(%s %s)\n", show, a);
  if (chance(g, 40)) out(g, "(%s (list %s 'end))\n", show, a);
  if (chance(g, 30)) {
    /* the same, made and changed inside a procedure */
    char f[16];
    fresh_name(g, "dmf", f);
    out(g, "(define (%s n) (let ((t (let loop ((i 0) (acc '())) (if (< i n) (loop (+ i 1) "
           "(list acc i)) acc)))) (if (pair? t) (set-car! (cdr t) (list 'z (car t)))) (write t) "
           "(newline) (length t)))\n",
        f);
    out(g, "(display (%s %d))\n", f, rn(g, 20));
  }
}

bool gk_top(gen *g) {
  int r = rn(g, 100);
  if (r < 20) no_kind(g);
  else if (r < 45) run_time_kinds(g);
  else if (r < 60) object(g);
  else if (r < 72) floyd(g);
  else deep_mutated(g);
  return true;
}
