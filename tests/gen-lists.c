/* gen-lists.c - the list library in the random programs of tests/gen.c
 * (flag `proc-values`, with `lists`): filter, delete, iota, cons*,
 * acons, sort (lists and vectors, stable: by the car of pairs), vector-
 * copy, list-head, make-list, assq-ref, assoc-ref, apply of + - * max
 * min < list to long lists; their kind, range and arity errors.
 * Self-contained top-level forms.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

/* A list of n small integers, quoted or built. */
static void int_list(gen *g, int n) {
  bool quoted = chance(g, 50);
  out(g, quoted ? "'(" : "(list");
  for (int i = 0; i < n; i++) out(g, quoted && i == 0 ? "%d" : " %d", rn(g, 19) - 9);
  out(g, ")");
}

/* A predicate: a builtin, a lambda, a closure or the global p. */
static void pred(gen *g, const char *p) {
  static const char *const preds[] = {"odd?", "even?", "zero?", "negative?", "positive?"};
  switch (rn(g, 4)) {
  case 0: out(g, "%s", preds[rn(g, N_OF(preds))]); break;
  case 1: out(g, "(lambda (x) (> x %d))", rn(g, 9) - 4); break;
  case 2: out(g, "(let ((k %d)) (lambda (x) (< k x)))", rn(g, 9) - 4); break;
  default: out(g, "%s", p); break;
  }
}

bool glist_top(gen *g) {
  char p[16], v[16];
  fresh_name(g, "lp", p);
  fresh_name(g, "lv", v);
  int n = rn(g, 6), r = rn(g, 100);
  bool err = on(g, GEN_ERRORS) && chance(g, 12);
  if (r < 14) {
    out(g, "(define (%s x) (if (> x %d) x #f))\n", p, rn(g, 9) - 4);
    out(g, "(display (filter ");
    pred(g, p);
    out(g, " ");
    if (err && chance(g, 50)) out(g, "'(1 2 . 3)");
    else int_list(g, n);
    out(g, "))\n");
    if (err) out(g, "(display (filter %d '(1)))\n", rn(g, 9));
  } else if (r < 22) {
    out(g, "(define %s ", v);
    int_list(g, n + 2);
    out(g, ")\n(display (delete (car %s) %s))\n", v, v);
    out(g, "(display (delete '(1 2) (list 3 '(1 2) 'a '(1 2))))\n");
    if (err) out(g, "(display (delete 1 %d))\n", rn(g, 9));
  } else if (r < 32) {
    switch (rn(g, 3)) {
    case 0: out(g, "(display (iota %d))\n", err ? -1 - rn(g, 3) : rn(g, 6)); break;
    case 1: out(g, "(display (iota %d %d))\n", rn(g, 6), rn(g, 19) - 9); break;
    default: out(g, "(display (iota %d %d %d))\n", rn(g, 6), rn(g, 19) - 9, rn(g, 7) - 3); break;
    }
    out(g, "(define (%s k) (map (lambda (i) (* i i)) (iota k)))\n(display (%s %d))\n", p, p,
        rn(g, 5));
  } else if (r < 40) {
    out(g, "(display (cons* %d", rn(g, 9));
    for (int i = rn(g, 3); i > 0; i--) out(g, " %d", rn(g, 9));
    out(g, " ");
    if (chance(g, 25)) out(g, "%d", rn(g, 9));
    else int_list(g, n);
    out(g, "))\n(display (acons 'k%d %d '((a . 1))))\n", rn(g, 3), rn(g, 9));
  } else if (r < 56) {
    if (chance(g, 60)) return gsort_top(g);   /* gen-sort.c: the shapes users build */
    static const char *const less[] = {"<", ">", "(lambda (a b) (< a b))",
                                       "(lambda (a b) (> (abs a) (abs b)))"};
    bool vec = chance(g, 30);
    out(g, "(display (sort ");
    if (vec) {
      out(g, "(vector");
      for (int i = 0; i < n; i++) out(g, " %d", rn(g, 19) - 9);
      out(g, ")");
    } else if (err && chance(g, 40)) {
      out(g, "'(3 1 . 2)");
    } else {
      int_list(g, n + rn(g, 6));
    }
    out(g, " %s))\n", err && chance(g, 30) ? "(lambda (a) a)" : less[rn(g, 4)]);
    /* stability: pairs ordered by their cars */
    out(g, "(display (sort (list");
    for (int i = 0, m = rn(g, 7); i < m; i++) out(g, " (cons %d '%c)", rn(g, 3), 'a' + i);
    out(g, ") (lambda (x y) (< (car x) (car y)))))\n");
    if (chance(g, 30))
      out(g, "(define (%s l) (sort l (lambda (a b) (display a) (< a b))))\n(display (%s "
             "(list 3 1 2 5 4)))\n", p, p);
  } else if (r < 66) {
    int len = rn(g, 5), a = rn(g, len + 1), b = a + rn(g, len - a + 1);
    if (err && chance(g, 50)) b = len + 1;
    else if (err) a = -1;
    out(g, "(define %s (vector", v);
    for (int i = 0; i < len; i++) out(g, " %d", rn(g, 9));
    out(g, "))\n");
    switch (rn(g, 3)) {
    case 0: out(g, "(display (vector-copy %s))\n", v); break;
    case 1: out(g, "(display (vector-copy %s %d))\n", v, a); break;
    default: out(g, "(display (vector-copy %s %d %d))\n", v, a, b); break;
    }
    out(g, "(define %s (vector-copy %s))\n(if (> (vector-length %s) 0) (vector-set! %s 0 "
           "99))\n(display (list %s %s))\n", p, v, p, p, v, p);
  } else if (r < 76) {
    out(g, "(define %s ", v);
    int_list(g, n);
    out(g, ")\n(display (list-head %s %d))\n", v, err ? n + 1 : rn(g, n + 1));
    out(g, "(display (make-list %d '%c))\n", err && chance(g, 30) ? -1 : rn(g, 4),
        'a' + rn(g, 5));
  } else if (r < 84) {
    out(g, "(define %s '((a . 1) (b . 2) (c . 3)))\n", v);
    out(g, "(display (list (assq-ref %s '%c) (assoc-ref %s '%c)))\n", v, 'a' + rn(g, 4), v,
        'a' + rn(g, 4));
    out(g, "(display (assoc-ref '(((1) . x) ((2) . y)) (list %d)))\n", rn(g, 3));
    if (err) out(g, "(display (assq-ref '((a . 1) 2) 'z))\n");
  } else {
    /* apply to a long list: the builtins the model loops over */
    static const char *const fs[] = {"+", "-", "*", "max", "min", "<", "<=", "=", "list"};
    const char *f = fs[rn(g, N_OF(fs))];
    int len = 7 + rn(g, 8);
    out(g, "(define %s (list", v);
    for (int i = 0; i < len; i++) out(g, " %d", f[0] == '<' ? i * rn(g, 3) : rn(g, 9) + 1);
    out(g, "))\n(display (apply %s %s))\n", f, v);
    out(g, "(display (apply %s %d %s))\n", f, rn(g, 9), v);
    if (err) {
      if (chance(g, 50)) out(g, "(display (apply %s (append %s (list 'z))))\n", f, v);
      else out(g, "(display (apply + 2147483647 %s))\n", v);
      /* a list whose length the call shows: the direct call of that
       * many arguments (lower-apply.c), its kind and overflow errors */
      if (chance(g, 50)) out(g, "(display (apply %s (list %d 'z %d)))\n", f, rn(g, 9), rn(g, 9));
      else out(g, "(display (apply + %d (list 2147483647 %d)))\n", rn(g, 3) - 1, rn(g, 3));
    }
  }
  return true;
}
