/* gen-state.c - top-level forms that keep state across forms, for the
 * random programs of tests/gen.c (called from gen-lang.c's gl_top): a
 * global set to values of every kind, then shown, changed and compared
 * by later forms, so that values written by one compiled form are read
 * back by the next.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>
#include <string.h>

/* A value of kind k of the state shapes: 0 an integer, 1 a boolean, 2 a
 * symbol, 3 a string literal, 4 a character, 5 a list, 6 a vector, 7 the
 * empty list, 8 a string made at run time, 9 a procedure. */
static void out_state_value(gen *g, int k) {
  switch (k) {
  case 0: out(g, "%d", rn(g, 200) - 50); break;
  case 1: out(g, chance(g, 50) ? "#t" : "#f"); break;
  case 2: out_sym(g, rn(g, 4), true); break;
  case 3: gl_string(g); break;
  case 4: out(g, "#\\%c", "abzQ"[rn(g, 4)]); break;
  case 5:
    if (chance(g, 50)) out(g, "'(%d %d)", rn(g, 9), rn(g, 9));
    else out(g, "(list %d \"e%d\")", rn(g, 9), rn(g, 3));
    break;
  case 6: out(g, "(vector %d %d)", rn(g, 9), rn(g, 9)); break;
  case 7: out(g, "'()"); break;
  case 8: out(g, "(string-append \"s\" \"%d\")", rn(g, 9)); break;
  default: out(g, "(lambda () %d)", rn(g, 9)); break;
  }
}

/* A kind of out_state_value the flags allow (procedures: `with_proc`). */
static int state_kind(gen *g, bool with_proc) {
  for (;;) {
    int k = rn(g, with_proc ? 10 : 9);
    if ((k == 3 || k == 8) && !on(g, GEN_STRINGS)) continue;
    if (k == 4 && !on(g, GEN_CHARS)) continue;
    if ((k == 5 || k == 7) && !on(g, GEN_LISTS)) continue;
    return k;
  }
}

/* How a value of kind k is shown: a procedure is called. */
static void out_state_show(gen *g, int k, const char *expr, const char *end) {
  if (k == 9) out(g, "(display (%s))%s", expr, end);
  else out(g, "(write %s)%s", expr, end);
}

/* State that outlives the form that made it (GEN_PROC_VALUES): a
 * variable captured by a getter and a setter (made by a procedure, by a
 * let, or inside a message-passing object), set in later forms to values
 * of other kinds (GEN_MIXED_KINDS) and read back; strings captured by
 * closures of earlier forms; vector-set! and vector-fill! of strings,
 * lists, vectors and procedures into a global vector in later forms,
 * also through a second global naming the same vector. */
bool gl_state_top(gen *g) {
  char a[16], m[16], b[16];
  fresh_name(g, "st", a);
  fresh_name(g, "mk", m);
  fresh_name(g, "st", b);
  int r = rn(g, 100);
  if (r < 45) {   /* a getter and a setter sharing one variable */
    int k = state_kind(g, false), shape = rn(g, 3);
    if (shape == 0) {
      out(g, "(define (%s v) (cons (lambda () v) (lambda (n) (set! v n))))\n", m);
      out(g, "(define %s (%s ", a, m);
      out_state_value(g, k);
      out(g, "))\n");
    } else if (shape == 1) {
      out(g, "(define %s (let ((v ", a);
      out_state_value(g, k);
      out(g, ")) (cons (lambda () v) (lambda (n) (set! v n)))))\n");
    } else {
      out(g, "(define (%s) (let ((v ", m);
      out_state_value(g, k);
      out(g, ")) (define (get) v) (define (put x) (set! v x)) "
             "(lambda (msg) (if (eq? msg 'get) get put))))\n(define %s (%s))\n", a, m);
    }
    const char *get = shape == 2 ? "((%s 'get))" : "((car %s))";
    const char *put = shape == 2 ? "((%s 'put) " : "((cdr %s) ";
    char gx[64];
    snprintf(gx, sizeof gx, get, a);
    if (chance(g, 50)) out_state_show(g, k, gx, "\n");
    for (int i = 1 + rn(g, 3); i > 0; i--) {
      if (on(g, GEN_MIXED_KINDS) && chance(g, 70)) k = state_kind(g, false);
      bool one = chance(g, 25);   /* set and read in one form */
      if (one) out(g, "(begin ");
      out(g, put, a);
      out_state_value(g, k);
      out(g, one ? ") " : ")\n");
      out_state_show(g, k, gx, one ? ")\n" : "\n");
    }
  } else if (r < 60 && on(g, GEN_STRINGS)) {   /* strings captured by closures */
    if (chance(g, 50)) {
      out(g, "(define %s (let ((v ", a);
      gl_string(g);
      out(g, ")) (lambda () v)))\n(write (%s))\n", a);
      if (chance(g, 50)) out(g, "(display (string-length (%s)))\n", a);
    } else {
      out(g, "(define (%s) (let ((es '())) (lambda (msg . args) (if (eq? msg 'add) "
             "(set! es (cons (car args) es)) es))))\n(define %s (%s))\n", m, a, m);
      for (int i = 1 + rn(g, 3); i > 0; i--) {
        out(g, "(%s 'add ", a);
        if (chance(g, 70)) gl_string(g);
        else out_state_value(g, state_kind(g, false));
        out(g, ")\n");
      }
      out(g, "(write (%s 'get))\n", a);
    }
  } else {   /* heap values stored into a global vector in later forms */
    int k = state_kind(g, true), n = 2 + rn(g, 2);
    if (k < 3 || k == 4) k = on(g, GEN_STRINGS) ? 3 : 6;
    if (chance(g, 30)) {
      out(g, "(define %s (make-vector %d ", a, n);
      out_state_value(g, k);
      out(g, "))\n");
    } else {
      out(g, "(define %s (vector", a);
      for (int i = 0; i < n; i++) {
        out(g, " ");
        out_state_value(g, k);
      }
      out(g, "))\n");
    }
    const char *target = a;
    if (chance(g, 25)) {   /* a second name for the same vector */
      out(g, "(define %s %s)\n", b, a);
      target = b;
    }
    bool via = chance(g, 30);
    if (via) out(g, "(define (%s i x) (vector-set! %s i x))\n", m, target);
    for (int i = 1 + rn(g, 3); i > 0; i--) {
      int k2 = on(g, GEN_MIXED_KINDS) && chance(g, 20) ? state_kind(g, true) : k;
      if (k2 != k && k == 9) k2 = k;   /* procedures stay callable */
      if (via) out(g, "(%s %d ", m, rn(g, n));
      else out(g, "(vector-set! %s %d ", target, rn(g, n));
      out_state_value(g, k2);
      out(g, ")\n");
      k = k2 == k ? k : -1;
    }
    if (on(g, GEN_VECTOR_FILL) && k >= 0 && chance(g, 20)) {
      out(g, "(vector-fill! %s ", target);
      out_state_value(g, k);
      out(g, ")\n");
    }
    if (k == 9) {
      out(g, "(display ((vector-ref %s %d)))\n", a, rn(g, n));
    } else {
      out(g, "(write %s)\n", a);
    }
  }
  return true;
}
