/* gen-while.c - while with break and continue, and bodies with
 * expressions between their definitions, in the random programs of
 * tests/gen.c (flag `escapes`, GEN_ESCAPES, as they may expand to call/cc
 * escapes; bodies also under `local-defines`).
 *
 * A while loop is a procedure of n whose loop counts i up in its first
 * statement (so that continue cannot skip it) and stops by its test or a
 * break the second statement guards; the other statements are random:
 * (break), (break X), (break X Y), (continue) as the last call of a
 * statement through if, when, unless, cond, begin, let and let* (the
 * expansion without escapes), or in an operand, from a lambda passed to
 * for-each, from a local procedure, passed as a value, shadowed by a let
 * of the program's own break, in the test, or in a while nested in the
 * body (which has its own).  The loop's values and what it collected are
 * written through call-with-values, so any number of values shows.
 *
 * A body is a procedure's, a let's, a let*'s or a lambda's, with
 * definitions of values and procedures and expressions (displays, set!s,
 * calls of procedures defined so far) in any order, begins of definitions
 * spliced among them, and an expression at the end; now and then it ends
 * in a definition, a syntax error.
 */
#include "config.h"

#include "gen-int.h"

/* ---- while -------------------------------------------------------------- */

typedef struct {
  int depth;       /* statements nested */
  bool inner;      /* inside a nested while: its i is j */
  const char *i;   /* the counter of the innermost loop */
} wctx;

static void cond_of(gen *g, const char *i) {
  switch (rn(g, 5)) {
  case 0: out(g, "(= %s %d)", i, rn(g, 8)); break;
  case 1: out(g, "(> %s %d)", i, rn(g, 8)); break;
  case 2: out(g, "(%s %s)", chance(g, 50) ? "even?" : "odd?", i); break;
  case 3: out(g, "(= 0 (modulo %s %d))", i, 2 + rn(g, 3)); break;
  default: out(g, "(memv %s '(%d %d))", i, rn(g, 8), rn(g, 8)); break;
  }
}

static void break_call(gen *g, const wctx *w) {
  switch (rn(g, 7)) {
  case 0: case 1: out(g, "(break)"); break;
  case 2: out(g, "(break %s)", w->i); break;
  case 3: out(g, "(break (reverse acc))"); break;
  case 4: out(g, "(break '%s)", sym_pool[rn(g, NSYM)]); break;
  case 5: out(g, "(break %s (length acc))", w->i); break;
  default: out(g, "(break (* %s %d))", w->i, rn(g, 9)); break;
  }
}

static void jump(gen *g, const wctx *w) {
  if (chance(g, 55)) break_call(g, w);
  else out(g, "(continue)");
}

static void w_stmt(gen *g, wctx *w);

static void w_stmts(gen *g, wctx *w, int n) {
  for (int k = 0; k < n; k++) {
    out(g, " ");
    w_stmt(g, w);
  }
}

/* a statement that ends in a jump, in tail position */
static void w_tail(gen *g, wctx *w) {
  w->depth++;
  const char *i = w->i;
  switch (w->depth > 3 ? 0 : rn(g, 7)) {
  case 0:
    out(g, "(if ");
    cond_of(g, i);
    out(g, " ");
    jump(g, w);
    if (chance(g, 40)) {
      out(g, " ");
      w_stmt(g, w);
    }
    out(g, ")");
    break;
  case 1:
    out(g, chance(g, 50) ? "(when " : "(unless ");
    cond_of(g, i);
    w_stmts(g, w, rn(g, 2));
    out(g, " ");
    jump(g, w);
    out(g, ")");
    break;
  case 2:
    out(g, "(cond (");
    cond_of(g, i);
    w_stmts(g, w, rn(g, 2));
    out(g, " ");
    jump(g, w);
    out(g, ") (");
    cond_of(g, i);
    out(g, " ");
    if (chance(g, 50)) jump(g, w);
    else w_stmt(g, w);
    out(g, ")");
    if (chance(g, 50)) {
      out(g, " (else ");
      w_stmt(g, w);
      out(g, ")");
    }
    out(g, ")");
    break;
  case 3:
    out(g, "(begin");
    w_stmts(g, w, rn(g, 2));
    out(g, " ");
    w_tail(g, w);
    out(g, ")");
    break;
  case 4: {   /* a let: x, or the counter shadowed */
    bool shadow = chance(g, 30);
    out(g, "(%s ((%s (* %s %d)))", chance(g, 50) ? "let" : "let*", shadow ? i : "x", i,
        1 + rn(g, 3));
    if (chance(g, 30)) out(g, " (define y (+ %s 1))", shadow ? i : "x");
    out(g, " (set! acc (cons %s acc)) ", shadow ? i : "x");
    w_tail(g, w);
    out(g, ")");
    break;
  }
  case 5:   /* the jump in an operand: an escape */
    out(g, "(set! acc (cons (if ");
    cond_of(g, i);
    out(g, " ");
    jump(g, w);
    out(g, " %s) acc))", i);
    break;
  default:   /* from a procedure */
    switch (rn(g, 4)) {
    case 0:
      out(g, "(for-each (lambda (y) (if (= y %s) ", i);
      jump(g, w);
      out(g, ")) '(%d %d %d))", rn(g, 8), rn(g, 8), rn(g, 8));
      break;
    case 1:
      out(g, "(let ((stop (lambda () (if ");
      cond_of(g, i);
      out(g, " ");
      jump(g, w);
      out(g, ") 0))) (stop))");
      break;
    case 2:
      out(g, "((lambda (k) (if ");
      cond_of(g, i);
      out(g, " (k %s))) break)", i);
      break;
    default:
      out(g, "(set! acc (map (lambda (y) (if (and (number? y) (> y %d)) ", 5 + rn(g, 20));
      jump(g, w);
      out(g, " y)) acc))");
      break;
    }
    break;
  }
  w->depth--;
}

static void w_while(gen *g, wctx *w, const char *i, bool inner);

static void w_stmt(gen *g, wctx *w) {
  const char *i = w->i;
  int r = rn(g, 100);
  if (r < 35 || w->depth > 3) {
    switch (rn(g, 3)) {
    case 0: out(g, "(set! acc (cons %s acc))", i); break;
    case 1: out(g, "(set! acc (cons (* %s %d) acc))", i, rn(g, 9)); break;
    default: out(g, "(display %s)", i); break;
    }
  } else if (r < 75) {
    w_tail(g, w);
  } else if (r < 85 && !w->inner) {
    w->depth++;
    out(g, "(let ((j 0)) ");
    w_while(g, w, "j", true);
    out(g, ")");
    w->depth--;
  } else if (r < 92) {   /* the program's own break */
    out(g, "(let ((break (lambda (v) (* v 10)))) (set! acc (cons (break %s) acc)))", i);
  } else {
    out(g, "(if ");
    cond_of(g, i);
    out(g, " (set! acc (cons 'odd acc)) (display 'x))");
  }
}

/* (while TEST (set! i (+ i 1)) GUARD STMT ...) */
static void w_while(gen *g, wctx *w, const char *i, bool inner) {
  const char *save = w->i;
  bool save_inner = w->inner;
  w->i = i;
  w->inner = inner;
  int lim = inner ? 1 + rn(g, 4) : 2 + rn(g, 8);
  int test = rn(g, 4);
  if (test == 0) out(g, "(while #t (set! %s (+ %s 1)) (if (> %s %d) (break))", i, i, i, lim);
  else if (test == 1)
    out(g, "(while (begin (if (> %s %d) (break '%s)) #t) (set! %s (+ %s 1))", i, lim,
        sym_pool[rn(g, NSYM)], i, i);
  else out(g, "(while (< %s %s) (set! %s (+ %s 1))", i, inner ? "i" : "n", i, i);
  w_stmts(g, w, 1 + rn(g, 3));
  out(g, ")");
  w->i = save;
  w->inner = save_inner;
}

static void while_top(gen *g) {
  char f[16];
  fresh_name(g, "wh", f);
  wctx w = {0, false, "i"};
  out(g, "(define (%s n)\n  (let ((i 0) (acc '()))\n    (call-with-values (lambda () ", f);
  w_while(g, &w, "i", false);
  out(g, ")\n      (lambda vals (list vals (reverse acc))))))\n");
  out(g, "(write (%s %d))\n(newline)\n(write (%s %d))\n(newline)\n", f, rn(g, 10), f,
      rn(g, 10));
}

/* ---- bodies ------------------------------------------------------------- */

enum { MAXB = 6 };

/* A body: definitions of v1.. (values) and p1.. (procedures of one
 * argument reading values defined before them), and expressions reading
 * what is defined so far, in a random order; then the last expression. */
static void body_of(gen *g, const char *arg) {
  int nv = 0, np = 0, nforms = 2 + rn(g, 6);
  bool any_expr_before_def = false;
  for (int k = 0; k < nforms; k++) {
    int r = rn(g, 100);
    out(g, "\n   ");
    if (r < 30 && nv < MAXB) {
      out(g, "(define v%d ", ++nv);
      if (nv > 1 && chance(g, 60)) out(g, "(+ v%d %d))", 1 + rn(g, nv - 1), rn(g, 9));
      else out(g, "(* %s %d))", arg, 1 + rn(g, 5));
    } else if (r < 45 && nv > 0 && np < MAXB) {
      out(g, "(define (p%d z) (+ z v%d))", ++np, 1 + rn(g, nv));
    } else if (r < 55 && nv < MAXB) {   /* a begin of definitions, spliced */
      out(g, "(begin (define v%d (- %s %d))", ++nv, arg, rn(g, 9));
      if (chance(g, 50)) out(g, " (display v%d)", nv);
      out(g, ")");
      any_expr_before_def = true;
    } else {
      any_expr_before_def = true;
      switch (nv ? rn(g, 4) : 0) {
      case 0: out(g, "(display '%s)", sym_pool[rn(g, NSYM)]); break;
      case 1: out(g, "(display v%d)", 1 + rn(g, nv)); break;
      case 2: {
        int v = 1 + rn(g, nv);
        out(g, "(set! v%d (+ v%d %d))", v, v, rn(g, 9));
        break;
      }
      default:
        if (np) out(g, "(display (p%d %d))", 1 + rn(g, np), rn(g, 9));
        else out(g, "(newline)");
        break;
      }
    }
  }
  (void)any_expr_before_def;
  if (on(g, GEN_ERRORS) && chance(g, 4)) {   /* ends in a definition */
    out(g, "\n   (define w %s)", arg);
    return;
  }
  out(g, "\n   (list %s", arg);
  for (int k = 1; k <= nv; k++) out(g, " v%d", k);
  for (int k = 1; k <= np; k++) out(g, " (p%d %d)", k, k);
  out(g, ")");
}

static void bodies_top(gen *g) {
  char f[16];
  fresh_name(g, "bd", f);
  int a = rn(g, 9);
  switch (rn(g, 4)) {
  case 0:
    out(g, "(define (%s a)", f);
    body_of(g, "a");
    out(g, ")\n(write (%s %d))\n(newline)\n", f, a);
    break;
  case 1:
    out(g, "(write (let ((a %d))", a);
    body_of(g, "a");
    out(g, "))\n(newline)\n");
    break;
  case 2:
    out(g, "(write (let* ((a %d) (b (+ a 1)))", a);
    body_of(g, "b");
    out(g, "))\n(newline)\n");
    break;
  default:
    out(g, "(write (map (lambda (a)");
    body_of(g, "a");
    out(g, ") '(%d %d)))\n(newline)\n", a, rn(g, 9));
    break;
  }
}

bool gwh_top(gen *g) {
  bool bodies = on(g, GEN_LOCAL_DEFINES) && chance(g, 35);
  if (bodies) bodies_top(g);
  else while_top(g);
  return true;
}
