/* gen-srfi.c - the SRFI-1 list library and Guile's association-list
 * mutators (lib/prelude.c) in the random programs of tests/gen.c (flag
 * `lists`; every program starts with (use-modules (srfi srfi-1))): take,
 * drop, any, every, find, count, filter-map, append-map, span, partition,
 * delete-duplicates, lset-union, assq-set!... on lists of every shape
 * (quoted, list, reverse, map, iota, string->list, cons loops, append,
 * globals made by an earlier form), with procedures, lambdas and
 * closures, one or two lists, and their errors.  Self-contained
 * top-level forms.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

/* A list of about n small integers, made in one of the ways programs
 * make lists. */
static void shape(gen *g, int n) {
  switch (rn(g, 8)) {
  case 0:
    out(g, "'(");
    for (int i = 0; i < n; i++) out(g, i ? " %d" : "%d", rn(g, 11) - 5);
    out(g, ")");
    break;
  case 1:
    out(g, "(list");
    for (int i = 0; i < n; i++) out(g, " %d", rn(g, 11) - 5);
    out(g, ")");
    break;
  case 2:
    out(g, "(reverse (list");
    for (int i = 0; i < n; i++) out(g, " %d", rn(g, 11) - 5);
    out(g, "))");
    break;
  case 3: out(g, "(map (lambda (x) (- (* x %d) %d)) (iota %d))", rn(g, 3) + 1, rn(g, 5), n); break;
  case 4: out(g, "(iota %d %d)", n, rn(g, 7) - 3); break;
  case 5:
    out(g, "(let loop ((i 0) (acc '())) (if (= i %d) acc (loop (+ i 1) (cons (modulo (* i "
           "%d) 7) acc))))", n, rn(g, 5) + 1);
    break;
  case 6:
    out(g, "(append (list %d) (iota %d))", rn(g, 9) - 4, n > 0 ? n - 1 : 0);
    break;
  default:
    out(g, "(map char->integer (string->list \"");
    for (int i = 0; i < n; i++) out(g, "%c", 'a' + rn(g, 5));
    out(g, "\"))");
    break;
  }
}

/* A one-argument predicate. */
static void pred1(gen *g) {
  static const char *const preds[] = {"odd?", "even?", "zero?", "negative?", "positive?"};
  switch (rn(g, 5)) {
  case 0: out(g, "%s", preds[rn(g, N_OF(preds))]); break;
  case 4: out(g, "(case-lambda ((x) (> x %d)) ((x y) (< x y)))", rn(g, 9) - 4); break;
  case 1: out(g, "(lambda (x) (> x %d))", rn(g, 9) - 4); break;
  case 2: out(g, "(let ((k %d)) (lambda (x) (< k x)))", rn(g, 9) - 4); break;
  default: out(g, "(lambda (x) (and (odd? x) (* x %d)))", rn(g, 4) + 1); break;
  }
}

static void pred2(gen *g) {
  static const char *const preds[] = {"<", "=", ">", "(lambda (a b) (and (< a b) (+ a b)))",
                                      "(lambda (a b) (= (modulo a 2) (modulo b 2)))"};
  out(g, "%s", preds[rn(g, N_OF(preds))]);
}

/* A list argument: a fresh shape or the global v (when there is one). */
static void arg(gen *g, const char *v, int n) {
  if (v && chance(g, 40)) out(g, "%s", v);
  else shape(g, n);
}

static void values_of(gen *g, const char *call) {
  out(g, "(call-with-values (lambda () %s) (lambda (a b) (display a) (display b)))\n",
      call);
}

bool gsrfi_top(gen *g) {
  char v[16], p[16];
  fresh_name(g, "sv", v);
  fresh_name(g, "sp", p);
  int n = rn(g, 7);
  bool err = on(g, GEN_ERRORS) && chance(g, 10);
  const char *gv = NULL;
  if (chance(g, 40)) {   /* a global list, made by an earlier form */
    out(g, "(define %s ", v);
    shape(g, n);
    out(g, ")\n");
    gv = v;
  }
  int r = rn(g, 22);
  static const char *const one[] = {"remove", "find", "find-tail", "any", "every", "count",
                                    "filter-map", "take-while", "drop-while", "list-index"};
  static const char *const two[] = {"any", "every", "count", "filter-map", "list-index",
                                    "append-map"};
  static const char *const kth[] = {"take", "drop", "take-right", "drop-right", "list-tail"};
  static const char *const nth[] = {"first", "second", "third", "last", "fourth", "fifth"};
  static const char *const sets[] = {"lset-union", "lset-intersection", "lset-difference"};
  switch (r) {
  case 0: case 1: case 2: case 3:
    out(g, "(display (%s ", one[rn(g, N_OF(one))]);
    if (err) out(g, "%d", rn(g, 9));
    else pred1(g);
    out(g, " ");
    arg(g, gv, n);
    out(g, "))\n");
    break;
  case 4:
    out(g, "(display (%s ", two[rn(g, N_OF(two))]);
    pred2(g);
    out(g, " ");
    arg(g, gv, n);
    out(g, " ");
    shape(g, rn(g, 6));
    out(g, "))\n");
    break;
  case 5: case 6: {
    /* k within the list, or past its end */
    out(g, "(define %s ", p);
    arg(g, gv, n);
    out(g, ")\n(display (%s %s (min %d (length %s))))\n", kth[rn(g, N_OF(kth))], p,
        rn(g, 7), p);
    if (err) out(g, "(display (%s %s (+ (length %s) 1)))\n", kth[rn(g, 2)], p, p);
    break;
  }
  case 7:
    out(g, "(display (%s ", nth[rn(g, err ? N_OF(nth) : 4)]);
    out(g, "(cons %d (cons %d ", rn(g, 9), rn(g, 9));
    arg(g, gv, n + 1);
    out(g, "))))\n");
    if (err) out(g, "(display (first '()))\n");
    break;
  case 8: {
    static const char *const fs[] = {"(lambda (x) (list x x))", "(lambda (x) (iota (abs x)))",
                                     "list", "(lambda (x) (if (odd? x) '() (list x)))"};
    out(g, "(display (append-map %s ", fs[rn(g, N_OF(fs))]);
    arg(g, gv, n);
    out(g, "))\n");
    break;
  }
  case 9:
    out(g, "(display (delete-duplicates ");
    arg(g, gv, n + 3);
    out(g, chance(g, 30) ? " =))\n" : "))\n");
    break;
  case 10:
    out(g, "(display (zip ");
    arg(g, gv, n);
    out(g, " ");
    shape(g, rn(g, 6));
    if (chance(g, 30)) out(g, " '(a b c d)");
    out(g, "))\n");
    break;
  case 11: {
    static const char *const vs[] = {"span", "break", "partition", "split-at"};
    int w = rn(g, N_OF(vs));
    char call[128];
    out(g, "(define %s ", p);
    arg(g, gv, n);
    out(g, ")\n");
    if (w == 3) snprintf(call, sizeof call, "(split-at %s (quotient (length %s) 2))", p, p);
    else snprintf(call, sizeof call, "(%s %s %s)", vs[w], rn(g, 2) ? "odd?" : "positive?", p);
    values_of(g, call);
    break;
  }
  case 12:
    out(g, "(display (list-tabulate %d (lambda (i) (* i %d))))\n", err ? -1 : n,
        rn(g, 5) - 2);
    break;
  case 13:
    out(g, "(display (list (reduce + 0 ");
    arg(g, gv, n);
    out(g, ") (reduce-right %s 0 ", chance(g, 50) ? "list" : "-");
    shape(g, n);
    out(g, ") (fold-right cons '() ");
    shape(g, n);
    out(g, ")))\n");
    break;
  case 14:
    out(g, "(display (append-reverse ");
    arg(g, gv, n);
    out(g, " ");
    shape(g, rn(g, 4));
    out(g, "))\n(display (concatenate (list ");
    shape(g, rn(g, 3));
    out(g, " '() ");
    shape(g, n);
    out(g, ")))\n");
    break;
  case 15: case 16:
    out(g, "(display (%s %s ", sets[rn(g, N_OF(sets))], chance(g, 50) ? "eqv?" : "=");
    arg(g, gv, n);
    out(g, " ");
    shape(g, rn(g, 5));
    out(g, "))\n(display (lset-adjoin eq? ");
    shape(g, rn(g, 4));
    out(g, " %d %d))\n", rn(g, 5), rn(g, 5));
    break;
  case 17:
    out(g, "(display (unfold (lambda (x) (> x %d)) (lambda (x) (* x x)) (lambda (x) (+ x 1)) "
           "%d))\n", rn(g, 8), rn(g, 3));
    out(g, "(display (unfold-right zero? (lambda (x) (* x 2)) (lambda (x) (- x 1)) %d))\n",
        rn(g, 5));
    break;
  case 18: case 19: {
    /* the association-list mutators on a list made at run time */
    static const char *const set[] = {"assq-set!", "assv-set!", "assoc-set!"};
    static const char *const rm[] = {"assq-remove!", "assv-remove!", "assoc-remove!"};
    int k = rn(g, 3);
    out(g, "(define %s (list (cons 'a 1) (cons 'b %d) (cons 'c 3)))\n", p, rn(g, 9));
    out(g, "(set! %s (%s %s '%c %d))\n", p, set[k], p, 'a' + rn(g, 4), rn(g, 9));
    out(g, "(display %s)\n(set! %s (%s %s '%c))\n(display %s)\n", p, p, rm[rn(g, 3)], p,
        'a' + rn(g, 4), p);
    out(g, "(display (assv-ref (%s (list (cons 1 'x)) %d 'y) %d))\n", set[1], rn(g, 3),
        rn(g, 3));
    break;
  }
  case 20:
    /* a procedure of the program that uses them, called later */
    out(g, "(define (%s l) (if (any even? l) (count even? l) (length (remove odd? l))))\n", p);
    out(g, "(display (%s ", p);
    arg(g, gv, n);
    out(g, "))\n(display (map %s (list ", p);
    shape(g, n);
    out(g, " ");
    shape(g, rn(g, 4));
    out(g, ")))\n");
    break;
  default:
    /* characters read from a string, returned as themselves or #f */
    out(g, "(display (find char-alphabetic? (string->list \"%d%c%d\")))\n", rn(g, 9),
        'a' + rn(g, 5), rn(g, 9));
    out(g, "(display (find-tail (lambda (c) (char=? c #\\l)) (string->list \"hello\")))\n");
    out(g, "(display (take (string->list \"hello\") %d))\n", err ? 6 : rn(g, 6));
    break;
  }
  return true;
}
