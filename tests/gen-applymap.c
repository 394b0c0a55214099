/* gen-applymap.c - apply of map and for-each over a list of 1 to 8 lists
 * (the matrix transpose idiom (apply map list rows)), in the random
 * programs of tests/gen.c (flags lists and proc-values, from gen-lang.c gl_top):
 * past a few lists compiled code runs them in one loop of its own
 * (lang/lower-applymap.c).  The procedure: builtins of any number of
 * arguments, lambdas with a rest parameter or the right (now and then
 * the wrong) number of parameters; leading lists before the list of
 * lists; now and then an error: lists of different lengths, an improper
 * list, a value that is not a procedure.
 */
#include "config.h"

#include "gen-int.h"

/* n lists of w integers, as text: quoted, built by list, or made by a
 * loop at run time; bad > 0: list bad (from 1) is one shorter, bad < 0:
 * list -bad is improper. */
static void rows(gen *g, int n, int w, int bad) {
  int how = rn(g, 3);
  if (how == 2 && bad == 0) {
    out(g, "(let loop ((i 0) (acc '())) (if (= i %d) (reverse acc) (loop (+ i 1) "
           "(cons (iota %d (* i %d)) acc))))", n, w, rn(g, 5) + 1);
    return;
  }
  out(g, how == 0 ? "'(" : "(list ");
  for (int i = 1; i <= n; i++) {
    int len = bad == i ? w - 1 : w;
    out(g, how == 0 ? "(" : "(list ");
    for (int j = 0; j < len; j++) out(g, "%s%d", j ? " " : "", rn(g, 30) - 5);
    if (bad == -i) out(g, how == 0 ? " . %d" : "", rn(g, 9));
    out(g, ")%s", i < n ? " " : "");
  }
  out(g, ")");
}

/* A procedure of n arguments (now and then one of another number). */
static void proc_text(gen *g, int n, bool keep) {
  static const char *const many[] = {"list", "+", "max", "min", "*", "vector", "-"};
  int r = rn(g, 100);
  if (!keep) {
    if (r < 50) out(g, "(lambda xs (display xs) (newline))");
    else if (r < 85) {
      out(g, "(lambda (");
      int m = chance(g, 10) ? n + 1 : n;
      for (int i = 0; i < m; i++) out(g, "%sa%d", i ? " " : "", i);
      out(g, ") (display (list");
      for (int i = 0; i < m; i++) out(g, " a%d", i);
      out(g, ")))");
    } else {
      out(g, "(lambda (a . r) (display (cons a (length r))))");
    }
    return;
  }
  if (r < 55) out(g, "%s", many[rn(g, 7)]);
  else if (r < 70) out(g, "(lambda xs (apply + %d xs))", rn(g, 9));
  else if (r < 80) out(g, "(lambda (a . r) (cons a r))");
  else if (r < 95) {
    out(g, "(lambda (");
    int m = chance(g, 10) ? (n > 1 ? n - 1 : 2) : n;
    for (int i = 0; i < m; i++) out(g, "%sa%d", i ? " " : "", i);
    out(g, ") (- ");
    for (int i = 0; i < m; i++) out(g, "%sa%d", i ? " " : "", i);
    out(g, "))");
  } else {
    out(g, "%d", rn(g, 9));   /* not a procedure */
  }
}

bool gam_top(gen *g) {
  int n = rn(g, 8) + 1, w = rn(g, 4);
  bool keep = chance(g, 65);
  int bad = 0;
  if (chance(g, 8) && w > 0) bad = rn(g, n) + 1;
  else if (chance(g, 5) && w > 0) bad = -(rn(g, n) + 1);
  char f[16];
  fresh_name(g, "am", f);
  int lead = n > 1 && chance(g, 25) ? 1 : 0;
  out(g, "(define (%s m) (apply %s ", f, keep ? "map" : "for-each");
  proc_text(g, n, keep);
  if (lead) {
    out(g, " (list");
    for (int j = 0; j < w; j++) out(g, " %d", rn(g, 20));
    out(g, ")");
  }
  out(g, " m))\n");
  out(g, "(%s (%s ", keep ? "write" : "display", f);
  rows(g, n - lead, w, bad > n - lead || -bad > n - lead ? 0 : bad);
  out(g, "))\n(newline)\n");
  if (keep && chance(g, 30)) {   /* the transpose, twice: the rows again */
    out(g, "(write (apply map list (apply map list ");
    rows(g, n, w, 0);
    out(g, ")))\n(newline)\n");
  }
  return true;
}
