/* gen-sort.c - sort and stable-sort in the random programs of tests/gen.c (with
 * `lists` and `proc-values`, from gen-lists.c): sort of the lists users
 * build (reverse, map, iota, string->list, append, cons loops,
 * list-copy, filter, delete, cdr, vector->list, quoted and list
 * literals) held by globals, locals and parameters, by builtins and by
 * lambdas (ties: stable order), of pairs by their cars, of characters
 * and strings, of vectors; the sorted lists used again (car, length,
 * equal?, map, a second sort) in later top-level forms; comparators that
 * print (the order of the calls); the kind errors of sort.
 * Self-contained top-level forms.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

/* A literal list of n small integers (ties likely), quoted or built. */
static void lit(gen *g, int n) {
  bool quoted = chance(g, 40);
  out(g, quoted ? "'(" : "(list");
  for (int i = 0; i < n; i++) out(g, quoted && i == 0 ? "%d" : " %d", rn(g, 13) - 6);
  out(g, ")");
}

/* A list of integers of one of the shapes users write, from src (a
 * list expression: a name or a literal) or from nothing. */
static void shape(gen *g, const char *src) {
  int k = rn(g, 13);
  switch (k) {
  case 0: out(g, "(reverse %s)", src); break;
  case 1: out(g, "(map (lambda (x) (- %d x)) %s)", rn(g, 7) - 3, src); break;
  case 2:
    if (chance(g, 50)) out(g, "(iota %d)", rn(g, 7));
    else out(g, "(iota %d %d %d)", rn(g, 7), rn(g, 9) - 4, rn(g, 5) - 2);
    break;
  case 3:
    out(g, "(append %s ", src);
    lit(g, rn(g, 4));
    out(g, ")");
    break;
  case 4:
    out(g, "(let loop ((i 0) (acc '())) (if (= i %d) acc (loop (+ i 1) (cons (modulo (* i %d) "
           "%d) acc))))", rn(g, 8), 1 + rn(g, 7), 2 + rn(g, 5));
    break;
  case 5: out(g, "(list-copy %s)", src); break;
  case 6: out(g, "(filter %s %s)", chance(g, 50) ? "odd?" : "(lambda (x) (> x 0))", src); break;
  case 7: out(g, "(delete %d %s)", rn(g, 5) - 2, src); break;
  case 8: out(g, "(if (pair? %s) (cdr %s) '())", src, src); break;
  case 9:
    out(g, "(vector->list (vector");
    for (int i = rn(g, 5); i > 0; i--) out(g, " %d", rn(g, 9) - 4);
    out(g, "))");
    break;
  case 10: out(g, "(cons %d %s)", rn(g, 9) - 4, src); break;
  case 11: out(g, "(map (lambda (x y) (+ x y)) %s (reverse %s))", src, src); break;
  default: out(g, "%s", src); break;
  }
}

/* A comparator of integers: builtins, lambdas, ties by abs or modulo. */
static void less(gen *g) {
  static const char *const ls[] = {
    "<", ">", "(lambda (a b) (< a b))", "(lambda (a b) (> a b))",
    "(lambda (a b) (< (abs a) (abs b)))", "(lambda (a b) (< (modulo a 3) (modulo b 3)))",
    "(lambda (a b) (> (quotient a 2) (quotient b 2)))"};
  out(g, "%s", ls[rn(g, N_OF(ls))]);
}

/* The source of a shape: a literal, or a global defined here. */
static void source(gen *g, char *name) {
  if (chance(g, 40)) {
    snprintf(name, 16, "%s", "'()");
    int n = rn(g, 6);
    if (n == 0) return;
    fresh_name(g, "sl", name);
    out(g, "(define %s ", name);
    lit(g, n);
    out(g, ")\n");
    return;
  }
  fresh_name(g, "sl", name);
  out(g, "(define %s ", name);
  if (chance(g, 50)) lit(g, rn(g, 7));
  else shape(g, "(list 3 1 2 1)");
  out(g, ")\n");
}

bool gsort_top(gen *g) {
  char src[16], s[16], f[16];
  source(g, src);
  fresh_name(g, "ss", s);
  fresh_name(g, "sf", f);
  bool err = on(g, GEN_ERRORS) && chance(g, 10);
  int r = rn(g, 100);
  if (err) {
    static const char *const bad[] = {
      "(sort (cons 1 2) <)", "(sort (append (list 1 2) 3) <)", "(sort 5 <)",
      "(sort (list 1 2) 5)", "(sort (list 2 'a 1) <)", "(sort (reverse (list 1 2)) car)",
      "(sort (iota 3) (lambda (a) a))"};
    out(g, "(display %s)\n", bad[rn(g, N_OF(bad))]);
  } else if (r < 25) {
    /* at top level, of a shape */
    out(g, "(display (%s ", chance(g, 25) ? "stable-sort" : "sort");
    shape(g, src);
    out(g, " ");
    less(g);
    out(g, "))\n");
  } else if (r < 45) {
    /* held by a global, used in later forms */
    out(g, "(define %s (sort ", s);
    shape(g, src);
    out(g, " ");
    less(g);
    out(g, "))\n(display %s)\n", s);
    switch (rn(g, 5)) {
    case 0: out(g, "(display (list (length %s) (if (pair? %s) (car %s) 'none)))\n", s, s, s); break;
    case 1: out(g, "(display (equal? %s (sort %s <)))\n", s, s); break;
    case 2: out(g, "(display (map (lambda (x) (* x 2)) %s))\n", s); break;
    case 3: out(g, "(display (sort (reverse %s) >))\n", s); break;
    default: out(g, "(display (apply + %s))\n", s); break;
    }
  } else if (r < 60) {
    /* in a procedure, of its parameter, called on two shapes */
    out(g, "(define (%s l) (let ((s (sort ", f);
    shape(g, "l");
    out(g, " ");
    less(g);
    out(g, "))) (list (length s) s)))\n(display (%s ", f);
    shape(g, src);
    out(g, "))\n(display (%s ", f);
    lit(g, rn(g, 5));
    out(g, "))\n");
  } else if (r < 70) {
    /* pairs by their cars: equal cars keep their order */
    int n = rn(g, 8);
    bool rev = chance(g, 50);
    out(g, "(define %s (map (lambda (i) (cons (modulo (* i %d) 3) i)) %s(iota %d)%s))\n", s,
        1 + rn(g, 5), rev ? "(reverse " : "", n, rev ? ")" : "");
    out(g, "(display (map cdr (sort %s (lambda (a b) (%s (car a) (car b))))))\n", s,
        chance(g, 50) ? "<" : ">");
    out(g, "(display (assv 1 (sort %s (lambda (a b) (< (car a) (car b))))))\n", s);
  } else if (r < 78 && on(g, GEN_CHARS)) {
    static const char *const words[] = {"\"banana\"", "\"\"", "\"x\"", "\"hello world\"",
                                        "\"abcabc\""};
    static const char *const cl[] = {"char<?", "char>?", "(lambda (a b) (char<? a b))",
                                     "(lambda (a b) (char-ci<? a b))"};
    out(g, "(write (sort (string->list %s) %s))\n", words[rn(g, N_OF(words))],
        cl[rn(g, N_OF(cl))]);
  } else if (r < 84 && on(g, GEN_STRINGS)) {
    out(g, "(write (sort (list \"pear\" \"fig\" \"apple\" \"fig\"%s) (lambda (a b) (string%s? a "
           "b))))\n", chance(g, 50) ? " \"\"" : "", chance(g, 50) ? "<" : ">");
  } else if (r < 92) {
    /* vectors: of a shape, or of a literal; the vector itself unchanged */
    out(g, "(define %s (list->vector ", s);
    shape(g, src);
    out(g, "))\n(display (%s %s ", chance(g, 25) ? "stable-sort" : "sort", s);
    less(g);
    out(g, "))\n(display %s)\n", s);
  } else {
    /* a comparator that prints: the calls, in order (Guile's: a merge
     * sort for lists and stable-sort, a quicksort for vectors) */
    bool vec = chance(g, 50);
    out(g, "(display (%s %s", chance(g, 25) ? "stable-sort" : "sort", vec ? "(list->vector " : "");
    shape(g, src);
    out(g, "%s (lambda (a b) (display (list a b)) (< a b))))\n", vec ? ")" : "");
  }
  if (chance(g, 15)) {
    /* a vector of pairs by their cars: equal cars move (sort of a vector
     * is not stable) */
    int n = 3 + rn(g, 14);
    out(g, "(display (%s (list->vector (map (lambda (i) (cons (modulo (* i %d) %d) i)) (iota "
           "%d))) (lambda (a b) (< (car a) (car b)))))\n", chance(g, 25) ? "stable-sort" : "sort",
        1 + rn(g, 7), 2 + rn(g, 3), n);
  }
  return true;
}
