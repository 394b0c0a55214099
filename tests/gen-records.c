/* gen-records.c - SRFI-9 records in the random programs of tests/gen.c
 * (flags lists and proc-values, from gen-lang.c gl_top): a
 * define-record-type of 1 to 3 fields (a constructor taking some of them,
 * in any order; a modifier for some), records made with integers,
 * symbols, strings, lists and other records as fields, read and changed,
 * kept in lists and globals, tested by every kind predicate, compared by
 * eq? and equal?, displayed and written; with errors, now and then an
 * accessor applied to a value of another kind or a record of another
 * type (lang/records.c, lang/lower-records.c).
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

/* A field value: an integer, a symbol, a string, a list, #f. */
static void field_value(gen *g) {
  switch (rn(g, 6)) {
  case 0: out(g, "'s%d", rn(g, 4)); break;
  case 1: out(g, "\"t%d\"", rn(g, 4)); break;
  case 2: out(g, "(list %d %d)", rn(g, 9), rn(g, 9)); break;
  case 3: out(g, "#f"); break;
  default: out(g, "%d", rn(g, 40) - 10); break;
  }
}

bool grec_top(gen *g) {
  char t[16], mk[40], pr[40], acc[3][48], set[3][48], r[16], r2[16];
  fresh_name(g, "rt", t);
  snprintf(mk, sizeof mk, "make-%s", t);
  snprintf(pr, sizeof pr, "%s?", t);
  int nf = rn(g, 3) + 1;
  bool angle = chance(g, 40);
  out(g, "(use-modules (srfi srfi-9))\n(define-record-type %s%s%s (%s", angle ? "<" : "", t,
      angle ? ">" : "", mk);
  /* the constructor: the fields in an order, now and then one left out */
  int order[3] = {0, 1, 2}, nc = nf;
  if (nf > 1 && chance(g, 40)) {
    int a = rn(g, nf), b = rn(g, nf), x = order[a];
    order[a] = order[b];
    order[b] = x;
  }
  if (nf > 1 && chance(g, 25)) nc = nf - 1;
  for (int i = 0; i < nc; i++) out(g, " f%d", order[i]);
  out(g, ") %s", pr);
  for (int i = 0; i < nf; i++) {
    snprintf(acc[i], sizeof acc[i], "%s-f%d", t, i);
    snprintf(set[i], sizeof set[i], "set-%s-f%d!", t, i);
    bool mod = chance(g, 60);
    if (!mod) set[i][0] = 0;
    out(g, " (f%d %s%s%s)", i, acc[i], mod ? " " : "", set[i]);
  }
  out(g, ")\n");
  fresh_name(g, "rv", r);
  fresh_name(g, "rv", r2);
  /* two records; the second may hold the first */
  out(g, "(define %s (%s", r, mk);
  for (int i = 0; i < nc; i++) {
    out(g, " ");
    field_value(g);
  }
  out(g, "))\n(define %s (%s", r2, mk);
  for (int i = 0; i < nc; i++) {
    out(g, " ");
    if (i == 0 && chance(g, 30)) out(g, "%s", r);
    else field_value(g);
  }
  out(g, "))\n");
  int steps = rn(g, 4) + 2;
  for (int s = 0; s < steps; s++) {
    int f = rn(g, nf), k = rn(g, 100);
    const char *x = chance(g, 50) ? r : r2;
    if (k < 20) {
      out(g, "(%s (%s %s))\n(newline)\n", chance(g, 50) ? "display" : "write", acc[f], x);
    } else if (k < 35 && set[f][0]) {
      out(g, "(%s %s ", set[f], x);
      field_value(g);
      out(g, ")\n");
    } else if (k < 50) {
      out(g, "(%s %s)\n(newline)\n", chance(g, 50) ? "display" : "write", x);
    } else if (k < 60) {
      out(g, "(display (list %s %s))\n(newline)\n", r, r2);
    } else if (k < 70) {
      out(g, "(display (list (%s %s) (%s %d) (vector? %s) (pair? %s) (procedure? %s) "
             "(record? %s)))\n(newline)\n",
          pr, x, pr, rn(g, 5), x, x, x, x);
    } else if (k < 78) {
      out(g, "(display (list (eq? %s %s) (equal? %s %s) (eqv? %s %s)))\n(newline)\n", r, r2,
          r, r2, x, x);
    } else if (k < 86 && on(g, GEN_PROC_VALUES)) {
      out(g, "(display (map %s (list %s %s)))\n(newline)\n", acc[f], r, r2);
    } else if (k < 92 && on(g, GEN_ERRORS) && chance(g, 40)) {
      out(g, "(display (%s %s))\n", acc[f], chance(g, 50) ? "5" : "'(1 2)");
    } else {
      out(g, "(define (%s-sum p) (if (%s p) (list (%s p)) '()))\n(display (%s-sum %s))\n"
             "(newline)\n", r, pr, acc[f], r, x);
    }
  }
  return true;
}
