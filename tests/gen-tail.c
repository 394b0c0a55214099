/* gen-tail.c - apply and call-with-values in tail position (loops deeper
 * than the depth limit, which only a tail call survives, and non-tail ones
 * that hit it), and procedures printed by display and write: named ones of
 * every arity, rest parameters, anonymous lambdas, builtins, inside lists
 * and vectors, and named in an error (flag proc-values).
 */
#include "config.h"

#include "gen-int.h"

static const char *const letters = "pqstuvwxyz";

/* A loop of n steps whose step is a tail call through apply or the
 * consumer of call-with-values. */
static void tail_loop(gen *g) {
  char f[16];
  fresh_name(g, "tl", f);
  /* deeper than the default depth limit (20,000) now and then */
  int n = chance(g, 15) ? 20001 + rn(g, 3000) : rn(g, 40);
  int k = rn(g, 9) + 1;
  switch (rn(g, 6)) {
  case 0:
    out(g, "(define (%s n acc) (if (= n 0) acc (apply %s (list (- n 1) (+ acc %d)))))\n", f, f,
        k);
    break;
  case 1:
    out(g, "(define (%s n acc) (if (= n 0) acc (apply %s (- n 1) (list (+ acc %d)))))\n", f, f,
        k);
    break;
  case 2:
    out(g, "(define (%s n acc) (cond ((= n 0) acc) (else (let ((g %s)) (apply g (list (- n 1) "
           "(+ acc %d)))))))\n", f, f, k);
    break;
  case 3:
    out(g, "(define (%s n acc) (if (= n 0) acc (call-with-values (lambda () (values (- n 1) "
           "(+ acc %d))) %s)))\n", f, k, f);
    break;
  case 4:
    out(g, "(define (%s n acc) (if (= n 0) acc (call-with-values (lambda () (values n acc)) "
           "(lambda (m a) (%s (- m 1) (+ a %d))))))\n", f, f, k);
    break;
  default:   /* rest parameter */
    out(g, "(define (%s n . acc) (if (= n 0) acc (apply %s (- n 1) %d acc)))\n", f, f, k % 3);
    if (n > 100) n = rn(g, 8);   /* the list grows */
    out(g, "(display (%s %d))\n(newline)\n", f, n);
    return;
  }
  out(g, "(display (%s %d %d))\n(newline)\n", f, n, rn(g, 5));
  if (on(g, GEN_DEEP_RECURSION) && chance(g, 20)) {   /* not a tail call: too deep */
    char h[16];
    fresh_name(g, "ntl", h);
    out(g, "(define (%s n) (if (= n 0) 0 (+ 1 (apply %s (list (- n 1))))))\n", h, h);
    out(g, "(display (%s %d))\n", h, chance(g, 50) ? 20001 + rn(g, 100) : rn(g, 50));
  }
}

/* One procedure value, as text: named (defined before), a builtin or an
 * anonymous lambda. */
static void proc_value(gen *g, char names[][16], int nn) {
  static const char *const builtins[] = {"car",     "+",      "list", "apply",  "map",
                                         "display", "length", "cons", "vector-ref", "not",
                                         "-",       "max",    "append", "values", "1+"};
  int r = rn(g, 10);
  if (r < 5 && nn > 0) {
    out(g, "%s", names[rn(g, nn)]);
  } else if (r < 8) {
    out(g, "%s", builtins[rn(g, (int)(sizeof builtins / sizeof builtins[0]))]);
  } else {
    int np = rn(g, 4);
    out(g, "(lambda (");
    for (int i = 0; i < np; i++) out(g, "%s%c", i ? " " : "", letters[i]);
    out(g, ") %d)", rn(g, 9));
  }
}

static void print_procs(gen *g) {
  char names[4][16];
  int nn = 1 + rn(g, 3);
  for (int i = 0; i < nn; i++) {
    fresh_name(g, "pv", names[i]);
    int fixed = rn(g, 10);
    bool rest = chance(g, 30);
    if (rest) fixed = rn(g, 6);
    bool plain = !chance(g, 20);   /* else (define name (lambda ...)) */
    out(g, plain ? "(define (%s" : "(define %s (lambda ", names[i]);
    if (plain) {
      for (int j = 0; j < fixed; j++) out(g, " %c", letters[j % 10]);
      if (rest) out(g, " . rr");
      out(g, ") %d)\n", i);
    } else {
      if (rest && fixed == 0) {
        out(g, "rr");
      } else {
        out(g, "(");
        for (int j = 0; j < fixed; j++) out(g, "%s%c", j ? " " : "", letters[j % 10]);
        if (rest) out(g, " . rr");
        out(g, ")");
      }
      out(g, " %d))\n", i);
    }
  }
  if (chance(g, 30)) {   /* a case-lambda: Guile's (and tvl's) args */
    out(g, "(define %s (case-lambda ((p) 1) ((p q) 2) ((p . rr) 3)))\n", names[0]);
    out(g, "(display (list (%s 0) (%s 0 1) (%s 0 1 2)))\n", names[0], names[0], names[0]);
  }
  const char *how = chance(g, 50) ? "write" : "display";
  switch (rn(g, 5)) {
  case 0:
    out(g, "(%s ", how);
    proc_value(g, names, nn);
    out(g, ")\n");
    break;
  case 1:
    out(g, "(%s (list ", how);
    for (int i = rn(g, 3) + 1; i > 0; i--) {
      proc_value(g, names, nn);
      out(g, " ");
    }
    out(g, "%d))\n", rn(g, 9));
    break;
  case 2:
    out(g, "(%s (vector ", how);
    proc_value(g, names, nn);
    out(g, " 'a))\n");
    break;
  case 3:
    out(g, "(let ((lp (lambda (x y) x))) (%s lp) (%s (cons lp ", how, how);
    proc_value(g, names, nn);
    out(g, ")))\n");
    break;
  default:
    if (on(g, GEN_ERRORS)) {   /* the error names the procedure */
      out(g, "(display (+ 1 ");
      proc_value(g, names, nn);
      out(g, "))\n");
    } else {
      out(g, "(%s %s)\n", how, names[0]);
    }
    break;
  }
  out(g, "(newline)\n");
}

bool gt_top(gen *g) {
  if (chance(g, 50)) tail_loop(g);
  else print_procs(g);
  return true;
}
