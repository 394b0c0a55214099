/* gen-mutlist.c - Guile's core list mutators written in tvl
 * (lib/prelude-lists.c: append!, reverse!, list-set!, Guile's list-index)
 * and string-join's grammars in the random programs of tests/gen.c (flag
 * `lists`): on lists made the ways programs make them (literals, list,
 * map, iota, reverse, cons loops, append, string->list), held by globals
 * and locals, changed in one top-level form and looked at in the next
 * (the original variable shows the relinked pairs), with their errors
 * under `errors`.  Self-contained top-level forms. */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

static int small(gen *g) { return rn(g, 13) - 6; }

/* A fresh list of n small integers (new pairs: safe to change). */
static void ints(gen *g, int n) {
  switch (rn(g, 6)) {
  case 0:
    out(g, "(list");
    for (int i = 0; i < n; i++) out(g, " %d", small(g));
    out(g, ")");
    break;
  case 1: out(g, "(map (lambda (x) (- (* x %d) %d)) (iota %d))", rn(g, 3) + 1, rn(g, 5), n); break;
  case 2: out(g, "(reverse (iota %d %d))", n, small(g)); break;
  case 3:
    out(g, "(let loop ((i 0) (acc '())) (if (= i %d) acc (loop (+ i 1) (cons (modulo (* i %d) 7) "
           "acc))))", n, rn(g, 5) + 1);
    break;
  case 4:
    out(g, "(append (list");
    for (int i = 0; i < n / 2; i++) out(g, " %d", small(g));
    out(g, ") (iota %d))", n - n / 2);
    break;
  default: out(g, "(list-copy '(");
    for (int i = 0; i < n; i++) out(g, i ? " %d" : "%d", small(g));
    out(g, "))");
    break;
  }
}

/* A list of strings (new pairs). */
static void strs(gen *g, int n) {
  static const char *const w[] = {"ab", "", "c", "de f", "xyz", "Q"};
  switch (rn(g, 3)) {
  case 0:
    out(g, "(list");
    for (int i = 0; i < n; i++) out(g, " \"%s\"", w[rn(g, 6)]);
    out(g, ")");
    break;
  case 1: out(g, "(map number->string (iota %d %d))", n, small(g)); break;
  default:
    out(g, "(map symbol->string (reverse '(");
    for (int i = 0; i < n; i++) out(g, " %s%d", sym_pool[rn(g, NSYM)], i);
    out(g, ")))");
    break;
  }
}

static void joins(gen *g, bool err) {
  static const char *const grammar[] = {"'infix", "'prefix", "'suffix"};
  static const char *const seps[] = {"\", \"", "\"\"", "\"/\"", "(string #\\-)"};
  char p[16];
  fresh_name(g, "sj", p);
  int n = rn(g, 5);
  out(g, "(define %s ", p);
  strs(g, n);
  out(g, ")\n(write (list (string-join %s) (string-join %s %s %s)", p, p, seps[rn(g, 4)],
      grammar[rn(g, 3)]);
  out(g, " (string-join (cons \"h\" %s) %s 'strict-infix)))\n", p, seps[rn(g, 4)]);
  out(g, "(define (%s-line l) (string-join (map (lambda (s) (string-append \"<\" s \">\")) l) "
         "%s %s))\n", p, seps[rn(g, 4)], grammar[rn(g, 3)]);
  out(g, "(display (%s-line %s))\n", p, p);
  if (err) out(g, "(display (string-join (cdr (list \"a\")) \"-\" 'strict-infix))\n");
}

static void mutators(gen *g, bool err) {
  char a[16], b[16];
  fresh_name(g, "ma", a);
  fresh_name(g, "mb", b);
  int n = rn(g, 6), m = rn(g, 4);
  out(g, "(define %s ", a);
  ints(g, n);
  out(g, ")\n(define %s ", b);
  ints(g, m);
  out(g, ")\n");
  switch (rn(g, 5)) {
  case 0:   /* append! of globals: the first list shows the join */
    out(g, "(define %s-ab (append! %s '() %s%s))\n", a, a, b, chance(g, 30) ? " 'end" : "");
    out(g, "(display (list %s-ab %s %s))\n", a, a, b);
    break;
  case 1:   /* reverse!, then the old head is the last pair */
    out(g, "(define %s-r (reverse! %s%s))\n(display (list %s-r %s))\n", a, a,
        chance(g, 40) ? " (list 'tail)" : "", a, a);
    break;
  case 2:   /* list-set! in a loop over the indices */
    out(g, "(do ((i 0 (+ i 1))) ((>= i (length %s))) (if (even? i) (list-set! %s i (* i %d))))\n",
        a, a, rn(g, 4) + 1);
    out(g, "(display %s)\n", a);
    break;
  case 3:   /* list-index (Guile's: list, then element) */
    out(g, "(display (list (list-index %s %d) (list-index %s (car (append %s '(0))))"
           " (list-index '(a b c) '%s) (list-index '() 1)))\n", a, small(g), a, a,
        chance(g, 50) ? "c" : "z");
    break;
  default:   /* locals, a procedure that uses them all */
    out(g, "(define (%s-f l k)\n  (let ((c (list-copy l)))\n    (if (pair? c) (list-set! c 0 k))\n"
           "    (list (list-index c k) (reverse! c) (append! (list k) (reverse l)))))\n", a);
    out(g, "(display (%s-f %s %d))\n(display (map (lambda (l) (%s-f l 1)) (list %s (list 1 2))))\n",
        a, a, small(g), a, b);
    break;
  }
  if (err) {
    switch (rn(g, 4)) {
    case 0: out(g, "(display (list-set! %s (+ (length %s) %d) 0))\n", a, a, rn(g, 3)); break;
    case 1: out(g, "(display (append! (list 1) 5 (list 2)))\n"); break;
    case 2: out(g, "(display (reverse! (cons 1 2)))\n"); break;
    default: out(g, "(display (list-index (cons 1 2) 3))\n"); break;
    }
  }
}

bool gmut_top(gen *g) {
  bool err = on(g, GEN_ERRORS) && chance(g, 10);
  if (chance(g, 40)) joins(g, err);
  else mutators(g, err);
  return true;
}
