/* gen-lang.c - the rest of the language, for the random programs of
 * tests/gen.c: bitwise operations, expt, the type predicates and equal?,
 * strings and write, vector-fill!, lambda, letrec and letrec*, local
 * definitions, quote and literals, values of mixed kinds, unbound names,
 * forward references to globals, mutual tail calls, redefinitions, kind
 * and arity errors, extern and define-syntax.
 *
 * None of these is shaped to what the compiler accepts: a value of mixed
 * kinds or an exponent that is not a constant is refused by compiled
 * code, and test-differential counts the refusal.  tests/gen-coverage.sh
 * fails when a special form or builtin of :help is missing here or in
 * gen.c.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>
#include <string.h>

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- small pieces ------------------------------------------------------ */

static void sub(gen *g, kind k, int d, int ctx) {
  g->lang++;
  g_expr(g, k, d - 1, ctx);
  g->lang--;
}

static kind any_kind(gen *g) {
  int r = rn(g, 100);
  if (r < 45) return K_INT;
  if (r < 65) return K_BOOL;
  if (r < 80) return K_SYM;
  return vec_of((kind)rn(g, 3));
}

void gl_string(gen *g) {
  static const char *const strs[] = {"", "total: ", "a b", "x\\ny", "q\\\"t",
                                     "tab\\tend", "back\\\\slash", "\xc3\xa9t\xc3\xa9"};
  out(g, "\"%s\"", strs[rn(g, N_OF(strs))]);
}

/* An unbound name: never defined anywhere in the program. */
static void out_unbound(gen *g) {
  static const char *const names[] = {"nosuch", "undefined-x", "missing"};
  out(g, "%s%d", names[rn(g, N_OF(names))], rn(g, 3));
}

/* ---- integers ---------------------------------------------------------- */

static void g_bitwise(gen *g, int d) {
  static const char *const ops[] = {"logand", "logior", "logxor"};
  int r = rn(g, 100);
  if (r < 60) {
    int n = chance(g, 5) ? 0 : chance(g, 80) ? 2 : chance(g, 70) ? 3 : 1;
    int op = rn(g, 3);
    if (op == 1 && !on(g, GEN_LOGIOR)) op = 2;
    out(g, "(%s", ops[op]);
    for (int i = 0; i < n; i++) {
      out(g, " ");
      sub(g, K_INT, d, C_FIX);
    }
    out(g, ")");
  } else if (r < 75) {
    out(g, "(lognot ");
    sub(g, K_INT, d, C_FIX);
    out(g, ")");
  } else {
    out(g, "(ash ");
    sub(g, K_INT, d, C_FIX);
    if (chance(g, 85)) out(g, " %d)", rn(g, 63) - 31);
    else if (chance(g, 50)) out(g, " %d)", chance(g, 50) ? 32 + rn(g, 4) : -32 - rn(g, 4));
    else {
      out(g, " ");   /* a count that is not a constant */
      sub(g, K_INT, d, C_FIX);
      out(g, ")");
    }
  }
}

static void g_expt(gen *g, int d) {
  out(g, "(expt ");
  if (chance(g, 50)) out(g, "%d", rn(g, 7) - 3);
  else sub(g, K_INT, d, C_FIX);
  int r = rn(g, 100);
  if (r < 75) out(g, " %d)", rn(g, 6));
  else if (r < 83) out(g, " %d)", 20 + rn(g, 45));
  else if (r < 90) out(g, " %d)", -1 - rn(g, 2));   /* an error but for 1 and -1 */
  else {
    out(g, " ");   /* an exponent that is not a constant */
    sub(g, K_INT, d, C_FIX);
    out(g, ")");
  }
}

/* ((lambda (x ...) body) arg ...): the parameters seen in the body */
static bool g_lambda_app(gen *g, kind k, int d, int ctx) {
  int n = rn(g, 3), mark = g->nv;
  kind pk[2];
  char names[2][16];
  out(g, "((lambda (");
  for (int i = 0; i < n; i++) {
    pk[i] = chance(g, 70) ? K_INT : (kind)rn(g, 3);
    fresh_name(g, "y", names[i]);
    out(g, "%s%s", i ? " " : "", names[i]);
  }
  out(g, ") ");
  for (int i = 0; i < n; i++) {
    var *v = push_var(g, "", pk[i], g->o->structured, false);
    memcpy(v->name, names[i], 16);
  }
  sub(g, k, d, ctx);
  g->nv = mark;
  out(g, ")");
  for (int i = 0; i < n; i++) {
    out(g, " ");
    sub(g, pk[i], d, 0);
  }
  out(g, ")");
  return true;
}

/* (let ((h (lambda (x) body))) (h a) ...) */
static bool g_let_lambda(gen *g, kind k, int d, int ctx) {
  char h[16], x[16];
  fresh_name(g, "h", h);
  fresh_name(g, "y", x);
  int mark = g->nv;
  out(g, "(let ((%s (lambda (%s) ", h, x);
  var *v = push_var(g, "", K_INT, false, true);
  memcpy(v->name, x, 16);
  sub(g, k, d, ctx);
  g->nv = mark;
  out(g, "))) (%s ", h);
  sub(g, K_INT, d, C_FIX);
  out(g, "))");
  return true;
}

/* A count of iterations: mostly small, sometimes past the depth limit of
 * the tests (1000), rarely 100000 (the deep ones with GEN_MUTUAL_TAIL,
 * also in letrec). */
static void out_count(gen *g) {
  int r = on(g, GEN_MUTUAL_TAIL) ? rn(g, 1000) : 0;
  if (r < 700) out(g, "%d", rn(g, 40) - 2);
  else if (r < 990) out(g, "%d", 1000 + rn(g, 3000));
  else out(g, "100000");
}

/* letrec / letrec*: two local procedures calling each other in tail
 * position, or values computed in order. */
static bool g_letrec(gen *g, kind k, int d, int ctx) {
  char a[16], b[16], n[16], acc[16];
  fresh_name(g, "la", a);
  fresh_name(g, "lb", b);
  fresh_name(g, "n", n);
  fresh_name(g, "s", acc);
  bool values = on(g, GEN_LETREC_VALUES);
  if ((k != K_INT || chance(g, 35)) && values) {
    /* (letrec* ((a e) (b (... a ...))) body); letrec runs every init
     * before a has its value (as Guile): b's init does not read a */
    int mark = g->nv;
    bool star = chance(g, 50);
    out(g, "(%s ((%s ", star ? "letrec*" : "letrec", a);
    sub(g, K_INT, d, C_FIX);
    var *v;
    if (star) {
      out(g, ") (%s (+ %s ", b, a);
      v = push_var(g, "", K_INT, false, true);
      memcpy(v->name, a, 16);
      sub(g, K_INT, d, C_FIX);
      out(g, "))) ");
    } else {
      out(g, ") (%s ", b);
      sub(g, K_INT, d, C_FIX);
      out(g, ")) ");
      v = push_var(g, "", K_INT, false, true);
      memcpy(v->name, a, 16);
    }
    v = push_var(g, "", K_INT, false, true);
    memcpy(v->name, b, 16);
    sub(g, k, d, ctx);
    out(g, ")");
    g->nv = mark;
    return true;
  }
  out(g, "(%s ((%s (lambda (%s %s) (if (<= %s 0) %s (%s (- %s 1) (+ %s 1))))) "
         "(%s (lambda (%s %s) (if (<= %s 0) (- %s) (%s (- %s 1) %s))))) (%s ",
      chance(g, 50) ? "letrec" : "letrec*", a, n, acc, n, acc, b, n, acc,
      b, n, acc, n, acc, a, n, acc, a);
  out_count(g);
  out(g, " ");
  sub(g, K_INT, d, C_FIX);
  out(g, "))");
  return true;
}

/* A value of another kind in one of the branches. */
static bool g_mixed(gen *g, kind k, int d, int ctx) {
  kind other = (kind)((k + 1 + rn(g, 2)) % 3);
  if (is_vec(k)) other = K_INT;
  out(g, "(if ");
  g_test(g, d);
  out(g, " ");
  bool first = chance(g, 50);
  sub(g, first ? k : other, d, ctx);
  out(g, " ");
  sub(g, first ? other : k, d, ctx);
  out(g, ")");
  return true;
}

/* An unbound name reached or not: in a branch that is taken or not, or
 * straight away. */
static bool g_unbound(gen *g, kind k, int d, int ctx) {
  int r = rn(g, 100);
  out(g, "(if ");
  if (r < 40) out(g, "#f");
  else if (r < 60) out(g, "#t");
  else g_test(g, d);
  out(g, " ");
  if (chance(g, 50)) out_unbound(g);
  else {
    out(g, "(");
    out_unbound(g);
    out(g, " ");
    sub(g, K_INT, d, C_FIX);
    out(g, ")");
  }
  out(g, " ");
  sub(g, k, d, ctx);
  out(g, ")");
  return true;
}

/* A call with the wrong number of arguments (g->np > 0). */
static bool g_arity_error(gen *g, int d) {
  int pi = rn(g, g->np);
  const proc *p = &g->p[pi];
  /* a redefinition may give p this arity: then the call runs */
  gen_note_call(g, pi);
  int n = p->np + (chance(g, 50) || !p->np ? 1 : -1);
  out(g, "(%s", p->name);
  for (int i = 0; i < n; i++) {
    out(g, " ");
    sub(g, i < p->np ? p->pk[i] : K_INT, d, 0);
  }
  out(g, ")");
  return true;
}

/* (error MSG IRRITANT...) or (exit [STATUS]) when a test holds, else a
 * value of kind k: the irritants and the status are computed. */
static bool g_stop(gen *g, kind k, int d, int ctx) {
  out(g, "(if ");
  g_test(g, d);
  if (chance(g, 70)) {
    static const char *const msgs[] = {"\"bad value:\"", "\"negative\"", "'oops",
                                       "\"too big: \"", "\"a\\nb\""};
    out(g, " (error %s", msgs[rn(g, N_OF(msgs))]);
    int n = rn(g, 4);
    for (int i = 0; i < n; i++) {
      out(g, " ");
      if (chance(g, 20)) gl_string(g);
      else sub(g, i == 0 ? K_INT : any_kind(g), d, 0);
    }
    out(g, ")");
  } else {
    out(g, " (exit");
    int r = rn(g, 100);
    if (r < 45) {
      out(g, " ");
      sub(g, K_INT, d, 0);
    } else if (r < 70) {
      out(g, " ");
      sub(g, K_BOOL, d, 0);
    } else if (r < 85) {
      out(g, " %d", rn(g, 300) - 20);
    }
    out(g, ")");
  }
  out(g, " ");
  sub(g, k, d, ctx);
  out(g, ")");
  return true;
}

/* A kind error, or an error of a builtin. */
static bool g_error(gen *g, kind k, int d, int ctx) {
  if (on(g, GEN_STOPS) && chance(g, 35)) return g_stop(g, k, d, ctx);
  int r = 30 + rn(g, 70);
  if (r < 60) {
    /* a value of another kind, through a variable: found at run time */
    char x[16];
    fresh_name(g, "z", x);
    out(g, "(let ((%s ", x);
    kind other = chance(g, 50) ? K_SYM : K_BOOL;
    if (chance(g, 50)) out_scalar_const(g, other);
    else sub(g, other, d, 0);
    if (k == K_INT) out(g, ")) (+ %s ", x);
    else if (k == K_BOOL) out(g, ")) (< %s ", x);
    else out(g, ")) (vector-ref %s ", x);
    sub(g, K_INT, d, C_FIX);
    out(g, "))");
    return true;
  }
  if (r < 80) {
    static const char *const ops[] = {"+", "abs", "zero?", "vector-length"};
    int i = rn(g, N_OF(ops));
    if (k != K_INT && k != K_BOOL) return g_mixed(g, k, d, ctx);
    out(g, "(if ");
    g_test(g, d);
    out(g, " (%s ", k == K_INT ? (i == 2 ? "+" : ops[i]) : "zero?");
    out_scalar_const(g, chance(g, 50) ? K_SYM : K_BOOL);
    out(g, ") ");
    sub(g, k, d, ctx);
    out(g, ")");
    return true;
  }
  /* run-time errors of the builtins */
  static const char *const ints[] = {"(expt 2 31)", "(ash 1 31)", "(- -2147483648)",
                                     "(abs -2147483648)", "(quotient -2147483648 -1)",
                                     "(vector-ref (vector 1 2) 2)", "(make-vector -1 0)",
                                     "(expt 0 -1)", "(* 65536 32768)"};
  if (k != K_INT) return g_mixed(g, k, d, ctx);
  out(g, "%s", ints[rn(g, N_OF(ints))]);
  return true;
}

/* ---- booleans ---------------------------------------------------------- */

static bool g_predicate(gen *g, int d) {
  static const char *const preds[] = {"integer?", "number?", "boolean?",
                                      "symbol?", "vector?", "string?"};
  if (chance(g, 70)) {
    out(g, "(%s ", preds[rn(g, N_OF(preds))]);
    if (on(g, GEN_STRINGS) && chance(g, 15)) gl_string(g);
    else sub(g, any_kind(g), d, 0);
    out(g, ")");
    return true;
  }
  kind a = any_kind(g), b = chance(g, 80) ? a : any_kind(g);
  out(g, "(equal? ");
  sub(g, a, d, 0);
  out(g, " ");
  sub(g, b, d, 0);
  out(g, ")");
  return true;
}

/* ---- quote and literals ------------------------------------------------ */

static bool g_quote(gen *g, kind k) {
  bool longhand = chance(g, 40);
  out(g, longhand ? "(quote " : "'");
  if (!is_vec(k)) {
    if (k == K_SYM) out_sym(g, rn(g, NSYM), false);
    else out_scalar_const(g, k);
  } else {
    int n = rn(g, 4) + (on(g, GEN_EMPTY_VECTORS) ? 0 : 1);
    out(g, "#(");
    for (int i = 0; i < n; i++) {
      kind e = elem_of(k);
      if (on(g, GEN_MIXED_KINDS) && chance(g, 10)) e = (kind)rn(g, 3);
      if (i) out(g, " ");
      if (e == K_SYM) out_sym(g, rn(g, NSYM), false);
      else out_scalar_const(g, e);
    }
    out(g, ")");
  }
  if (longhand) out(g, ")");
  return true;
}

/* ---- macros -------------------------------------------------------------- */

/* The macros of a program (gl_prelude), fixed text: defining them draws
 * nothing from the PRNG, and only programs that define them use them, so
 * every other program is what it was before macros were generated. */
static const char *const macro_defs[] = {
  "(define-syntax mac-inc (syntax-rules () ((_ x) (+ x 1))))",
  "(define-syntax mac-ifnot (syntax-rules () ((_ c a b) (if c b a))))",
  "(define-syntax mac-sum (syntax-rules () ((_ x ...) (+ 0 x ...))))",
  "(define-syntax mac-pick (syntax-rules (first second) ((_ first a b) a) "
  "((_ second a b) b)))",
  "(define-syntax mac-swap! (syntax-rules () ((_ a b) (let ((tmp a)) "
  "(set! a b) (set! b tmp)))))",
};

static void g_macro_use(gen *g, kind k, int d, int ctx) {
  int r = k == K_INT ? rn(g, 4) : 1 + 2 * rn(g, 2);   /* 1 or 3: any kind */
  if (r == 0) {
    out(g, "(mac-inc ");
    sub(g, K_INT, d, C_FIX);
    out(g, ")");
  } else if (r == 2) {
    out(g, "(mac-sum");
    for (int i = rn(g, 4); i > 0; i--) {
      out(g, " ");
      sub(g, K_INT, d, C_FIX);
    }
    out(g, ")");
  } else {
    out(g, r == 1 ? "(mac-ifnot " : chance(g, 50) ? "(mac-pick first " : "(mac-pick second ");
    if (r == 1) {
      g_test(g, d);
      out(g, " ");
    }
    sub(g, k, d, ctx);
    out(g, " ");
    sub(g, k, d, ctx);
    out(g, ")");
  }
}

/* (mac-swap! a b) on two assignable variables of one kind */
static bool g_macro_stmt(gen *g) {
  kind k = (kind)rn(g, 3);
  var *a = pick_var(g, k, 0, true);
  if (!a) return false;
  var *b = pick_var(g, k, 0, true);
  if (!b) return false;
  out(g, "(mac-swap! %s %s)", a->name, b->name);
  return true;
}

/* ---- pairs and lists ------------------------------------------------------ */

/* Something to fill a list with: an integer, a symbol, the empty list, a
 * boolean or a short list. */
static void g_filler(gen *g, int d) {
  int r = rn(g, 100);
  if (r < 40) sub(g, K_INT, d, C_FIX);
  else if (r < 55) out_sym(g, rn(g, NSYM), true);
  else if (r < 70) out(g, "'()");
  else if (r < 80) out(g, chance(g, 50) ? "#t" : "#f");
  else out(g, "(list %d %d)", rn(g, 10), rn(g, 10));
}

/* A list expression: cons, list, a quoted list (maybe dotted, nested). */
static void g_list(gen *g, int d, int depth) {
  int r = rn(g, 100);
  if (r < 30 || d <= 0 || depth <= 0) {
    out(g, "'(");
    int n = rn(g, 4);
    for (int i = 0; i < n; i++) {
      if (i) out(g, " ");
      int e = rn(g, 10);
      if (e < 5) out(g, "%d", rn(g, 200) - 100);
      else if (e < 7) out_sym(g, rn(g, NSYM), false);
      else if (e < 8) out(g, "(%d %s)", rn(g, 9), sym_pool[rn(g, NSYM)]);
      else if (e < 9) out(g, "()");
      else out(g, "#t");
    }
    if (n && chance(g, 15)) out(g, " . %d", rn(g, 9));
    out(g, ")");
  } else if (r < 60) {
    int n = rn(g, 4);
    out(g, "(list");
    for (int i = 0; i < n; i++) {
      out(g, " ");
      if (chance(g, 20)) g_list(g, d - 1, depth - 1);
      else g_filler(g, d);
    }
    out(g, ")");
  } else {
    out(g, "(cons ");
    if (chance(g, 20)) g_list(g, d - 1, depth - 1);
    else g_filler(g, d);
    out(g, " ");
    if (chance(g, 70)) g_list(g, d - 1, depth - 1);
    else g_filler(g, d);
    out(g, ")");
  }
}

/* ---- the list library ------------------------------------------------------ */

/* A proper list of fillers (or, with depth, one made by the library);
 * returns its length. */
static int g_proper(gen *g, int d, int depth) {
  int r = rn(g, 100);
  if (depth > 0 && d > 0 && r < 30) {
    static const char *const ops[] = {"reverse", "list-copy", "append"};
    int i = rn(g, 3);
    out(g, "(%s ", ops[i]);
    int n = g_proper(g, d - 1, depth - 1);
    if (i == 2) {
      out(g, " ");
      n += g_proper(g, d - 1, depth - 1);
    }
    out(g, ")");
    return n;
  }
  if (depth > 0 && r < 40) {
    out(g, "(vector->list (vector");
    int n = rn(g, 4);
    for (int i = 0; i < n; i++) {
      out(g, " ");
      g_filler(g, d - 1);
    }
    out(g, "))");
    return n;
  }
  int n = rn(g, 5);
  if (r < 65) {
    out(g, "(list");
    for (int i = 0; i < n; i++) {
      out(g, " ");
      g_filler(g, d - 1);
    }
  } else {
    out(g, "'(");
    for (int i = 0; i < n; i++) out(g, i ? " %d" : "%d", rn(g, 200) - 100);
  }
  out(g, ")");
  return n;
}

/* A list for a procedure that wants a proper one: with errors on,
 * sometimes one that is not (improper, circular, not a list). */
static int g_list_arg(gen *g, int d) {
  if (on(g, GEN_ERRORS) && chance(g, 12)) {
    int r = rn(g, 3);
    if (r == 0) g_list(g, d - 1, 2);
    else if (r == 1) g_filler(g, d - 1);
    else out(g, "(let ((c (list 1 'b 3))) (set-cdr! (cdr%s c) c) c)", chance(g, 50) ? "d" : "");
    return 0;
  }
  return g_proper(g, d, 2);
}

/* An association list of n pairs whose keys are small integers or
 * symbols and whose values are fillers. */
static void g_alist(gen *g, int d, bool syms) {
  int n = rn(g, 4);
  out(g, "(list");
  for (int i = 0; i < n; i++) {
    out(g, " (cons ");
    if (syms) out_sym(g, rn(g, NSYM), true);
    else out(g, "%d", rn(g, 6));
    out(g, " ");
    g_filler(g, d - 1);
    out(g, ")");
  }
  if (on(g, GEN_ERRORS) && chance(g, 10)) out(g, " 'x");   /* not a pair */
  out(g, ")");
}

/* (assq KEY ALIST), assv or assoc */
static void g_assoc(gen *g, int d) {
  static const char *const ops[] = {"assq", "assv", "assoc"};
  bool syms = chance(g, 50);
  out(g, "(%s ", ops[rn(g, 3)]);
  if (syms) out_sym(g, rn(g, NSYM), true);
  else out(g, "%d", rn(g, 6));
  out(g, " ");
  g_alist(g, d, syms);
  out(g, ")");
}

/* An index into a list of n elements: in range, or with errors on
 * sometimes past it or negative. */
static void g_index(gen *g, int n) {
  if (on(g, GEN_ERRORS) && chance(g, 10)) out(g, "%d", chance(g, 50) ? n + rn(g, 3) : -1);
  else out(g, "%d", rn(g, n + 1));
}

/* A value of kind k (K_INT, K_BOOL, K_SYM) from a list procedure. */
static void g_listlib_expr(gen *g, kind k, int d) {
  int r = rn(g, 100);
  if (k == K_INT && r < 20) {
    out(g, "(length ");
    g_list_arg(g, d);
    out(g, ")");
  } else if (k == K_INT && r < 30) {
    out(g, "(vector-length (list->vector ");
    g_list_arg(g, d);
    out(g, "))");
  } else if (k == K_INT && r < 40) {
    out(g, "(length (append ");
    g_list_arg(g, d);
    out(g, " ");
    g_list_arg(g, d);
    out(g, "))");
  } else if (k == K_BOOL && r < 15) {
    out(g, "(pair? (list-copy ");
    g_list(g, d - 1, 2);
    out(g, "))");
  } else if (k == K_BOOL && r < 40) {
    out(g, "(list? ");
    if (chance(g, 50)) g_list(g, d - 1, 2);
    else if (chance(g, 20)) out(g, "(let ((c (list 1 2))) (set-cdr! (cdr c) c) c)");
    else g_filler(g, d - 1);
    out(g, ")");
  } else if (k == K_BOOL && r < 70) {
    out(g, "(pair? ");
    g_assoc(g, d);
    out(g, ")");
  } else if (k == K_BOOL) {
    out(g, "(null? (list-tail ");
    int n = g_list_arg(g, d);
    out(g, " ");
    g_index(g, n);
    out(g, "))");
  } else if (r < 70) {
    /* an element by its index */
    int n = 1 + rn(g, 4);
    out(g, "(list-ref (list");
    for (int i = 0; i < n; i++) {
      out(g, " ");
      sub(g, k, d - 1, C_FIX);
    }
    out(g, ") ");
    g_index(g, n - 1);
    out(g, ")");
  } else {
    /* the last element */
    bool rev = chance(g, 50);
    out(g, "(car (last-pair (%s", rev ? "reverse (list" : "list");
    int n = 1 + rn(g, 3);
    for (int i = 0; i < n; i++) {
      out(g, " ");
      sub(g, k, d - 1, C_FIX);
    }
    out(g, rev ? "))))" : ")))");
  }
}

/* A statement that shows what a list procedure made. */
static void g_listlib_stmt(gen *g, int d) {
  int r = rn(g, 9);
  out(g, "(%s ", chance(g, 70) ? "display" : "write");
  switch (r) {
  case 0: case 1: {
    static const char *const ops[] = {"reverse", "list->vector"};
    out(g, "(%s ", ops[r]);
    g_list_arg(g, d);
    out(g, ")");
    break;
  }
  case 2:
    out(g, "(append");
    for (int i = rn(g, 4); i > 0; i--) {
      out(g, " ");
      if (i == 1 && chance(g, 30)) g_filler(g, d - 1);   /* any last */
      else g_list_arg(g, d);
    }
    out(g, ")");
    break;
  case 3:
    out(g, "(list-copy ");
    g_list_arg(g, d);
    out(g, ")");
    break;
  case 4:
    out(g, "(last-pair ");
    if (chance(g, 10)) out(g, "'()");
    else if (on(g, GEN_ERRORS) && chance(g, 10)) g_list_arg(g, d);
    else g_list(g, d - 1, 2);
    out(g, ")");
    break;
  case 5:
    out(g, "(vector->list ");
    if (on(g, GEN_ERRORS) && chance(g, 10)) g_filler(g, d - 1);
    else if (chance(g, 50)) out(g, "(make-vector %d %d)", rn(g, 4), rn(g, 9));
    else {
      out(g, "(vector");
      for (int i = rn(g, 4); i > 0; i--) {
        out(g, " ");
        g_filler(g, d - 1);
      }
      out(g, ")");
    }
    out(g, ")");
    break;
  case 6:
    g_assoc(g, d);
    break;
  default: {
    out(g, "(list-tail ");
    int n = g_list_arg(g, d);
    out(g, " ");
    g_index(g, n);
    out(g, ")");
  }
  }
  out(g, ")");
}

/* An expression whose c<path>r (path[0..n), applied from the right) is
 * of kind k; sometimes one that is too short (the evaluator's list
 * error). */
static void g_list_for(gen *g, const char *path, int n, kind k, int d) {
  if (n == 0) {
    sub(g, k, d, C_FIX);
    return;
  }
  if (on(g, GEN_ERRORS) && chance(g, 6)) {
    g_filler(g, d);
    return;
  }
  if (path[n - 1] == 'a' && chance(g, 50)) {
    out(g, "(list ");
    g_list_for(g, path, n - 1, k, d);
    for (int i = rn(g, 3); i > 0; i--) {
      out(g, " ");
      g_filler(g, d);
    }
    out(g, ")");
    return;
  }
  out(g, "(cons ");
  if (path[n - 1] == 'a') {
    g_list_for(g, path, n - 1, k, d);
    out(g, " ");
    g_filler(g, d);
  } else {
    g_filler(g, d);
    out(g, " ");
    g_list_for(g, path, n - 1, k, d);
  }
  out(g, ")");
}

/* A value of kind k read from a list, or a test of a list. */
static void g_list_expr(gen *g, kind k, int d) {
  static const char *const paths[] = {"a", "d", "aa", "ad", "da", "dd", "aaa", "aad",
                                      "ada", "add", "daa", "dad", "dda", "ddd"};
  g->lang++;
  if ((k == K_INT || k == K_BOOL || k == K_SYM) && chance(g, 45)) {
    g_listlib_expr(g, k, d);
  } else if (k == K_BOOL && chance(g, 30)) {
    /* equal? on lists: half the time on two copies of one list's text */
    out(g, "(equal? ");
    size_t at = g->b.n;
    g_list(g, d - 1, 2);
    char *first = xstrdup(g->b.s + at);
    out(g, " ");
    if (chance(g, 50)) out(g, "%s", first);
    else g_list(g, d - 1, 2);
    free(first);
    out(g, ")");
  } else if (k == K_BOOL && chance(g, 30)) {
    /* a search: the rest of the list from the element found, or #f */
    static const char *const mems[] = {"memq", "memv", "member"};
    out(g, "(pair? (%s ", mems[rn(g, 3)]);
    if (chance(g, 50)) out(g, "%d", rn(g, 10));
    else g_filler(g, d - 1);
    out(g, " ");
    g_list(g, d - 1, 2);
    out(g, "))");
  } else if (k == K_BOOL && chance(g, 50)) {
    out(g, "(%s ", chance(g, 50) ? "null?" : "pair?");
    if (chance(g, 70)) g_list(g, d - 1, 2);
    else g_filler(g, d - 1);
    out(g, ")");
  } else if (k != K_BOOL && chance(g, 25)) {
    /* a quoted list's element */
    int n = 1 + rn(g, 3), at = rn(g, on(g, GEN_ERRORS) ? n + 1 : n);
    static const char *const nth[] = {"car", "cadr", "caddr", "cadddr"};
    out(g, "(%s '(", nth[at]);
    for (int i = 0; i < n; i++) {
      if (i) out(g, " ");
      if (k == K_SYM) out_sym(g, rn(g, NSYM), false);
      else out(g, "%d", rn(g, 2001) - 1000);
    }
    out(g, "))");
  } else if (on(g, GEN_ERRORS) && chance(g, 5)) {
    /* a kind error: car or cdr of what is not a pair */
    out(g, "(%s ", chance(g, 50) ? "car" : "cdr");
    sub(g, (kind)rn(g, 3), d, 0);
    out(g, ")");
  } else {
    const char *p = paths[rn(g, N_OF(paths))];
    char p4[5];
    if (chance(g, 50)) {
      /* c[ad]{4}r: a path of four, each letter at random */
      for (int i = 0; i < 4; i++) p4[i] = chance(g, 50) ? 'a' : 'd';
      p4[4] = '\0';
      p = p4;
    }
    int n = (int)strlen(p);
    out(g, "(c%sr ", p);
    g_list_for(g, p, n, k, d - 1);
    out(g, ")");
  }
  g->lang--;
}

/* Top-level forms with lists: a global list used by the next forms (the
 * prompt loads it, the run writes it back), a procedure that walks a
 * list by recursion, a loop that builds one. */
static bool g_list_top(gen *g) {
  char x[16];
  int r = rn(g, 100);
  g->budget = 12;
  if (r < 40) {
    fresh_name(g, "ls", x);
    out(g, "(define %s ", x);
    g_list(g, 2, 2);
    out(g, ")\n(display %s)\n", x);
    if (chance(g, 60)) {
      out(g, "(set! %s (cons ", x);
      g_filler(g, 1);
      out(g, " %s))\n(display (cdr %s))\n", x, x);
    }
    out(g, "(display (pair? %s))\n", x);
    if (chance(g, 50))   /* library calls that take any list */
      out(g, "(display (list? %s))\n(display (list-copy %s))\n(display (append '(0) %s))\n",
          x, x, x);
  } else if (r < 70) {
    char f[16];
    fresh_name(g, "walk", f);
    static const char *const ops[] = {"+", "max", "-"};
    const char *op = ops[rn(g, 3)];
    out(g, "(define (%s l) (if (pair? l) (%s (car l) (%s (cdr l))) %d))\n", f, op, f,
        rn(g, 5));
    out(g, "(display (%s (list", f);
    for (int i = rn(g, 6); i > 0; i--) out(g, " %d", rn(g, 200) - 100);
    if (on(g, GEN_ERRORS) && chance(g, 10)) out(g, " 'x");   /* a kind error inside */
    out(g, ")))\n");
  } else {
    out(g, "(display (let loop ((i 0) (acc '())) (if (< i %d) (loop (+ i 1) (cons ",
        rn(g, 12));
    out(g, chance(g, 50) ? "(* i i)" : "(if (even? i) i 'odd)");
    out(g, " acc)) acc)))\n");
  }
  return true;
}

/* ---- the dispatcher ------------------------------------------------------ */

bool gl_expr(gen *g, kind k, int d, int ctx, bool *fixed) {
  if (g->safe || g->lang > 3 || d <= 0) return false;
  *fixed = true;
  if (on(g, GEN_LISTS) && !is_vec(k) && !g->pure && chance(g, 10)) {
    g_list_expr(g, k, d);
    g->dirty = true;
    return true;
  }
  if (on(g, GEN_CHARS) && on(g, GEN_STRINGS) && (k == K_INT || k == K_BOOL) &&
      chance(g, 14)) {
    gs_expr(g, k, d);   /* gen-strings.c */
    g->dirty = true;
    return true;
  }
  if (on(g, GEN_CHARS) && (k == K_INT || k == K_BOOL) && chance(g, 6)) {
    gc_expr(g, k, d);   /* gen-chars.c */
    g->dirty = true;
    return true;
  }
  int r = rn(g, 100);
  if (r < 25 && k == K_INT && on(g, GEN_BITWISE)) g_bitwise(g, d);
  else if (r < 33 && k == K_INT && on(g, GEN_EXPT)) g_expt(g, d);
  else if (r < 33 && k == K_BOOL && on(g, GEN_PREDICATES)) g_predicate(g, d);
  else if (r < 40 && on(g, GEN_QUOTE) && (!is_vec(k) || !g->pure)) g_quote(g, k);
  else if (r < 48 && !is_vec(k) && on(g, GEN_LAMBDA))
    chance(g, 60) ? g_lambda_app(g, k, d, ctx) : g_let_lambda(g, k, d, ctx);
  else if (r < 56 && on(g, GEN_LETREC) &&
           (k == K_INT || (!is_vec(k) && on(g, GEN_LETREC_VALUES))))
    g_letrec(g, k, d, ctx);
  else if (r < 64 && on(g, GEN_MIXED_KINDS)) g_mixed(g, k, d, ctx);
  else if (r < 70 && on(g, GEN_UNBOUND) && g->self >= 0) g_unbound(g, k, d, ctx);
  else if (r < 75 && on(g, GEN_ERRORS)) g_error(g, k, d, ctx);
  else if (r < 77 && on(g, GEN_ARITY_ERRORS) && g->np) g_arity_error(g, d);
  else if (r < 83 && k == K_INT && g->ext[0] && !g->pure) {
    out(g, "(%s ", g->ext);
    sub(g, K_INT, d, C_FIX);
    out(g, ")");
  } else if (r >= 83 && g->macros) g_macro_use(g, k, d, ctx);
  else return false;
  g->dirty = true;
  return true;
}

bool gl_stmt(gen *g, int d) {
  if (on(g, GEN_CHARS) && on(g, GEN_STRINGS) && chance(g, 15)) {
    gs_stmt(g, d);   /* gen-strings.c */
    g->impure = true;
    return true;
  }
  if (on(g, GEN_CHARS) && chance(g, 8)) {
    gc_stmt(g, d);   /* gen-chars.c */
    g->impure = true;
    return true;
  }
  if (on(g, GEN_LISTS) && chance(g, 12)) {
    int r = rn(g, 100);
    if (r < 20) {
      /* a pair changed, then shown */
      out(g, "(let ((pr (list 1 2))) (%s pr ", chance(g, 50) ? "set-car!" : "set-cdr!");
      g_filler(g, d - 1);
      out(g, ") (display pr))");
    } else if (r < 28) {
      static const char *const mems[] = {"memq", "memv", "member"};
      out(g, "(display (%s %d ", mems[rn(g, 3)], rn(g, 10));
      if (chance(g, 20)) g_list_arg(g, d);   /* improper or circular too */
      else g_list(g, d - 1, 2);
      out(g, "))");
    } else if (r < 35) {
      out(g, "(display (quasiquote (%d (unquote ", rn(g, 9));
      sub(g, K_INT, d, C_FIX);
      out(g, ") x)))");
    } else if (r < 75) {
      g_listlib_stmt(g, d);
    } else if (r < 82) {
      /* a list of n pairs whose last cdr goes back to pair j, shown */
      int n = 1 + rn(g, 5), j = rn(g, n);
      out(g, "(let ((c (list");
      for (int i = 0; i < n; i++) {
        out(g, " ");
        g_filler(g, 0);
      }
      out(g, "))) (set-cdr! (list-tail c %d) (list-tail c %d)) (%s c))", n - 1, j,
          chance(g, 50) ? "write" : "display");
    } else {
      out(g, "(%s ", chance(g, 50) ? "write" : "display");
      g_list(g, d - 1, 2);
      out(g, ")");
    }
    g->impure = true;
    return true;
  }
  int r = rn(g, 100);
  var *v;
  if (r < 25 && on(g, GEN_VECTOR_FILL) && (v = pick_var(g, vec_of((kind)rn(g, 3)), 0, false))) {
    out(g, "(vector-fill! %s ", v->name);
    sub(g, on(g, GEN_MIXED_KINDS) && chance(g, 10) ? (kind)rn(g, 3) : elem_of(v->k), d, 0);
    out(g, ")");
  } else if (r < 50 && on(g, GEN_STRINGS)) {
    out(g, "(%s ", chance(g, 50) ? "write" : "display");
    if (chance(g, 40)) gl_string(g);
    else sub(g, any_kind(g), d, C_WANT);
    out(g, ")");
  } else if (r < 65 && on(g, GEN_MIXED_KINDS) && (v = pick_var(g, (kind)rn(g, 3), 0, true))) {
    out(g, "(set! %s ", v->name);
    sub(g, (kind)((v->k + 1) % 3), d, 0);
    out(g, ")");
  } else if (r < 75 && on(g, GEN_UNBOUND) && g->self >= 0) {
    out(g, "(when ");
    g_test(g, d);
    out(g, " (");
    out_unbound(g);
    out(g, "))");
  } else if (r >= 75 && r < 85 && g->macros && g->o->structured) {
    if (!g_macro_stmt(g)) return false;
  } else return false;
  g->impure = true;
  return true;
}

/* ---- top-level forms --------------------------------------------------- */

void gl_prelude(gen *g) {
  g->later = -1;
  /* two programs in three define the macros (no PRNG draw: see above) */
  g->macros = on(g, GEN_MACROS) &&
              ((g->seed0 * 0x9E3779B97F4A7C15u) >> 60) % 3 != 0;
  for (int i = 0; g->macros && i < N_OF(macro_defs); i++) out(g, "%s\n", macro_defs[i]);
  if (on(g, GEN_STRINGS) && on(g, GEN_CHARS)) gs_prelude(g);   /* gen-strings.c */
  if (on(g, GEN_EXTERN) && chance(g, 20)) {
    fresh_name(g, "c-abs", g->ext);
    out(g, "(extern %s \"libc\" \"abs\" (int32) int32)\n", g->ext);
  }
  if (on(g, GEN_FORWARD_GLOBALS) && chance(g, 50)) {
    /* read by the procedures, defined after them (see gl_later) */
    var *v = push_var(g, "lg", K_INT, true, true);
    v->wide = true;
    g->later = g->nv - 1;
  }
}

/* The global read before its definition, defined now. */
void gl_later(gen *g) {
  if (g->later < 0) return;
  out(g, "(define %s ", g->v[g->later].name);
  out_scalar_const(g, K_INT);
  out(g, ")\n");
  g->later = -1;
}

/* Two procedures calling each other in tail position, then a call; the
 * pair also as local definitions of a procedure. */
static void g_mutual(gen *g) {
  char a[16], b[16];
  fresh_name(g, "ev", a);
  fresh_name(g, "od", b);
  if (chance(g, 70)) {
    out(g, "(define (%s n acc) (if (<= n 0) acc (%s (- n 1) (+ acc 1))))\n", a, b);
    out(g, "(define (%s n acc) (if (<= n 0) (- acc) (%s (- n 1) (+ acc 2))))\n", b, a);
    out(g, "(display (%s ", a);
    out_count(g);
    out(g, " %d))\n", rn(g, 21) - 10);
    return;
  }
  char o[16];
  fresh_name(g, "outer", o);
  out(g, "(define (%s m) (define (%s n) (if (<= n 0) #t (%s (- n 1)))) "
         "(define (%s n) (if (<= n 0) #f (%s (- n 1)))) (%s m))\n",
      o, a, b, b, a, a);
  out(g, "(display (%s ", o);
  out_count(g);
  out(g, "))\n");
}

/* The definition written from `mark`, "(define (p a b) body)" or
 * "(define p (lambda ...))", rewritten as (set! p (lambda (a b) body)):
 * set! of a global procedure at top level replaces it, as define. */
static void set_instead(gen *g, size_t mark) {
  const char *d = g->b.s + mark;
  if (strncmp(d, "(define ", 8)) return;
  strbuf t;
  sb_init(&t);
  if (d[8] == '(') {
    const char *name = d + 9, *e = name;
    while (*e != ' ' && *e != ')') e++;
    int nlen = (int)(e - name);
    if (*e == ' ') e++;
    size_t len = strlen(e);
    while (len && e[len - 1] == '\n') len--;
    sb_printf(&t, "(set! %.*s (lambda (%.*s)\n", nlen, name, (int)len, e);
  } else {
    sb_printf(&t, "(set! %s", d + 8);
  }
  g->b.n = mark;
  sb_putn(&g->b, t.s, t.n);
  free(t.s);
}

/* A procedure redefined (same signature, a new body; sometimes another
 * number of parameters), then procedures called again. */
static void g_redefine(gen *g) {
  int done[MAXPROC], n = 0;
  for (int i = 0; i < g->np; i++)
    if (g->p[i].done) done[n++] = i;
  if (!n) return;
  int pi = done[rn(g, n)];
  proc save = g->p[pi];
  if (on(g, GEN_ARITY_ERRORS) && chance(g, 15) && g->p[pi].rec == REC_NONE &&
      g->p[pi].np < MAXPARAM) {
    /* another arity: callers compiled before fail when they call it */
    g->p[pi].pk[g->p[pi].np++] = K_INT;
  }
  size_t mark = g->b.n;
  g_proc_def(g, pi);
  if (chance(g, 30)) set_instead(g, mark);
  /* its callers are mostly defined after it: call those again */
  int later[MAXPROC], nl = 0;
  for (int i = 0; i < n; i++)
    if (done[i] > pi) later[nl++] = done[i];
  for (int i = 1 + rn(g, 2); i > 0; i--) {
    g_top_call(g, nl && chance(g, 75) ? later[rn(g, nl)] : pi);
    out(g, "\n");
  }
  if (g->p[pi].np != save.np) {
    g->p[pi] = save;   /* back to the old arity for later calls */
    g_proc_def(g, pi);
  }
}

/* A builtin predicate redefined (once per program) after a use of it at
 * top level and after a procedure that calls it: the use before sees the
 * builtin, the procedure (called after) and later forms the new one. */
static bool g_shadow_builtin(gen *g) {
  static const char *const preds[] = {"even?", "odd?", "zero?", "negative?", "positive?"};
  const char *p = preds[rn(g, N_OF(preds))];
  char def[32], h[16], o[16];
  snprintf(def, sizeof def, "(define (%s ", p);
  if (g->b.s && strstr(g->b.s, def)) return false;
  fresh_name(g, "hb", h);
  fresh_name(g, "ob", o);
  out(g, "(display (%s %d))\n", p, rn(g, 9) - 4);
  out(g, "(define (%s x) (%s x))\n", h, p);
  if (chance(g, 50)) {   /* the wrapper idiom */
    out(g, "(define %s %s)\n", o, p);
    out(g, "(define (%s x) (not (%s x)))\n", p, o);
  } else {
    out(g, "(define (%s x) (= x %d))\n", p, rn(g, 5) - 2);
  }
  out(g, "(display (%s %d)) (display (%s %d))\n", h, rn(g, 9) - 4, p, rn(g, 9) - 4);
  return true;
}

/* A one-parameter procedure of its own, defined here; its name in f. */
static void g_unary(gen *g, char *f) {
  fresh_name(g, "pf", f);
  int k = rn(g, 20) - 5;
  switch (rn(g, 5)) {
  case 0: out(g, "(define (%s x) (+ x %d))\n", f, k); break;
  case 1: out(g, "(define (%s x) (* x %d))\n", f, k); break;
  case 2: out(g, "(define (%s x) (- %d x))\n", f, k); break;
  case 3: out(g, "(define (%s x) (if (< x %d) x 'big))\n", f, k); break;
  default: out(g, "(define (%s x) (display x) (newline) (+ x 1))\n", f); break;
  }
}

static void g_small_int(gen *g) {
  g->budget = 8;
  sub(g, K_INT, 2, C_FIX);
}

/* A list of n small integers, quoted or built. */
static void g_int_list(gen *g, int n) {
  bool quoted = chance(g, 50);
  out(g, quoted ? "'(" : "(list");
  for (int i = 0; i < n; i++) out(g, quoted && i == 0 ? "%d" : " %d", rn(g, 19) - 9);
  out(g, ")");
}

/* A one-parameter procedure value: f, a lambda, or a closure. */
static void g_unary_value(gen *g, const char *f) {
  static const char *const builtins[] = {"-", "abs", "even?", "zero?", "1+", "odd?",
                                         "display", "negative?"};
  int r = rn(g, 4);
  if (r == 3) out(g, "%s", builtins[rn(g, 8)]);   /* a builtin as a value */
  else if (r == 0) out(g, "%s", f);
  else if (r == 1 && chance(g, 20))   /* one clause taken by its arity */
    out(g, "(case-lambda ((x) (%s x %d)) ((x y) (+ x y)))", chance(g, 50) ? "*" : "-", rn(g, 9));
  else if (r == 1) out(g, "(lambda (x) (%s x %d))", chance(g, 50) ? "*" : "-", rn(g, 9));
  else out(g, "(let ((k %d)) (lambda (x) (%s k x)))", rn(g, 9), chance(g, 50) ? "+" : "-");
}

/* map, for-each, vector-map, vector-for-each and fold (GEN_PROC_VALUES):
 * with procedures, lambdas and closures, over one or two lists or
 * vectors, and their errors. */
static bool g_hof_top(gen *g, const char *f) {
  int n = rn(g, 5), r = rn(g, 100);
  if (r < 22) {
    out(g, "(display (map ");
    g_unary_value(g, f);
    out(g, " ");
    g_int_list(g, n);
    out(g, "))\n");
  } else if (r < 34) {
    bool differ = on(g, GEN_ERRORS) && chance(g, 15);
    static const char *const two[] = {"(lambda (x y) (+ x y))", "(lambda (x y) (list x y))",
                                      "+", "cons", "max", "*"};
    out(g, "(display (map %s ", two[rn(g, 6)]);
    g_int_list(g, n);
    out(g, " ");
    g_int_list(g, differ ? n + 1 : n);
    out(g, "))\n");
  } else if (r < 46) {
    out(g, "(for-each (lambda (x) (display x) (display \" \")) ");
    g_int_list(g, n);
    out(g, ")\n(for-each %s ", chance(g, 30) ? "display" : f);
    g_int_list(g, n < 3 ? n : 2);
    out(g, ")\n");
  } else if (r < 58) {
    out(g, "(display (vector-map ");
    g_unary_value(g, f);
    out(g, " (vector");
    for (int i = 0; i < n; i++) out(g, " %d", rn(g, 19) - 9);
    out(g, ")))\n");
  } else if (r < 66) {
    out(g, "(vector-for-each (lambda (x y) (display (* x y))) #(");
    for (int i = 0; i < n; i++) out(g, i ? " %d" : "%d", rn(g, 9));
    out(g, ") (vector");
    for (int i = 0, m = rn(g, 5); i < m; i++) out(g, " %d", rn(g, 9));
    out(g, "))\n");
  } else if (r < 80) {
    static const char *const kons[] = {"(lambda (x acc) (cons x acc))",
                                       "(lambda (x acc) (+ x acc))", "cons", "+", "max"};
    out(g, "(display (fold %s ", kons[rn(g, 5)]);
    out(g, chance(g, 50) ? "'() " : "0 ");
    g_int_list(g, n);
    out(g, "))\n");
  } else if (r < 86) {
    out(g, "(display (fold (lambda (x y acc) (+ (* x y) acc)) 0 ");
    g_int_list(g, n);
    out(g, " ");
    g_int_list(g, rn(g, 5));
    out(g, "))\n");
  } else if (on(g, GEN_ARITY_ERRORS) && r < 92) {
    bool map = chance(g, 50);
    out(g, map ? "(display (map (lambda (x y) x) " : "(display (fold (lambda (x) x) 0 ");
    g_int_list(g, n + 1);
    out(g, "))\n");
  } else if (on(g, GEN_ERRORS)) {
    switch (rn(g, 4)) {
    case 0: out(g, "(display (map %d '(1 2)))\n", rn(g, 9)); break;
    case 1: out(g, "(for-each %s %d)\n", f, rn(g, 9)); break;
    case 2: out(g, "(display (vector-map %s '(1 2)))\n", f); break;
    default: out(g, "(display (fold %s 0 '(1 . 2)))\n", f); break;
    }
  } else {
    out(g, "(display (map %s '(1 2 3)))\n", f);
  }
  return true;
}

/* Closures that set! captured variables (one closure, two sharing the
 * variable, closures made in a loop, a parameter, an internal define),
 * message-passing objects, procedures with a rest parameter called with
 * 0..n extra arguments (directly and through values) and apply, with
 * their errors (GEN_PROC_VALUES). */
static bool g_closure_top(gen *g) {
  char a[16], b[16], m[16];
  fresh_name(g, "cl", a);
  fresh_name(g, "cl", b);
  fresh_name(g, "mk", m);
  int r = rn(g, 100), k = rn(g, 9), d = rn(g, 5) + 1;
  if (r < 12) {   /* counters: each its own variable */
    out(g, "(define (%s) (let ((n %d)) (lambda () (set! n (+ n %d)) n)))\n", m, k, d);
    out(g, "(define %s (%s))\n(define %s (%s))\n", a, m, b, m);
    for (int i = rn(g, 3); i > 0; i--) out(g, "(%s)\n", a);
    out(g, "(display (list (%s) (%s) (%s)))\n", a, b, a);
  } else if (r < 22) {   /* two closures and a reader sharing one variable */
    out(g, "(define (%s k) (let ((n k)) (list (lambda () (set! n (+ n %d)) n) "
           "(lambda (x) (set! n (- n x)) n) (lambda () n))))\n", m, d);
    out(g, "(define %s (%s %d))\n", a, m, k);
    out(g, "(display (list ((car %s)) ((cadr %s) %d) ((caddr %s)) ((car %s))))\n", a, a,
        rn(g, 9), a, a);
  } else if (r < 30) {   /* a parameter, and an internal define */
    if (chance(g, 50))
      out(g, "(define (%s total) (lambda (x) (set! total (+ total x)) total))\n", m);
    else
      out(g, "(define (%s k) (define total k) (lambda (x) (set! total (+ total x)) total))\n",
          m);
    out(g, "(define %s (%s %d))\n(%s %d)\n(display (%s %d))\n", a, m, k, a, d, a, rn(g, 9));
  } else if (r < 40) {   /* closures made in a loop, each with its own variable */
    out(g, "(define (%s n) (let loop ((i 0) (acc '())) (if (= i n) (reverse acc) "
           "(loop (+ i 1) (cons (let ((j i)) (lambda () (set! j (+ j %d)) j)) acc)))))\n",
        m, d);
    out(g, "(define %s (%s %d))\n(display (map (lambda (p) (p)) %s))\n", a, m, rn(g, 5), a);
    out(g, "(display (map (lambda (p) (p)) %s))\n", a);
  } else if (r < 50) {   /* a message-passing object */
    out(g, "(define (%s b) (lambda (msg . args) (cond ((eq? msg 'add) (set! b (+ b (car args))) "
           "b) ((eq? msg 'sub) (set! b (- b (apply + args))) b) ((eq? msg 'get) b) "
           "(else 'unknown))))\n", m);
    out(g, "(define %s (%s %d))\n(%s 'add %d)\n(display (list (%s 'sub", a, m, k, a, d, a);
    for (int i = rn(g, 4); i > 0; i--) out(g, " %d", rn(g, 9));
    out(g, ") (%s 'get) (%s '%s)))\n", a, a, chance(g, 80) ? "get" : "fly");
  } else if (r < 62) {   /* a rest parameter: 0..n extra arguments */
    int fixed = rn(g, 3);
    out(g, "(define (%s", m);
    for (int i = 0; i < fixed; i++) out(g, " p%d", i);
    out(g, " . rest) (list");
    for (int i = 0; i < fixed; i++) out(g, " p%d", i);
    out(g, " (length rest) rest))\n");
    int n = fixed + rn(g, 4);
    if (on(g, GEN_ARITY_ERRORS) && fixed > 0 && chance(g, 10)) n = fixed - 1;
    out(g, "(display (%s", m);
    for (int i = 0; i < n; i++) out(g, " %d", rn(g, 9));
    out(g, "))\n");
    out(g, "(display ((lambda args (cons %d args))", k);
    for (int i = rn(g, 4); i > 0; i--) out(g, " %d", rn(g, 9));
    out(g, "))\n");
    if (chance(g, 50))
      out(g, "(display (map (lambda (x . r) (cons x r)) '(1 2) '(%d %d)))\n", k, d);
  } else if (r < 80) {   /* apply: leading arguments and a list */
    static const char *const fs[] = {"+", "max", "list", "*", "(lambda (x y) (- x y))",
                                     "(lambda args (length args))", "(lambda (x . r) r)",
                                     "cons", "-"};
    const char *f = fs[rn(g, 9)];
    out(g, "(display (apply %s", f);
    int lead = rn(g, 3), len = chance(g, 10) ? 6 + rn(g, 6) : rn(g, 4);
    for (int i = 0; i < lead; i++) out(g, " %d", rn(g, 9) + 1);
    out(g, " (list");
    for (int i = 0; i < len; i++) out(g, " %d", rn(g, 9) + 1);
    out(g, ")))\n");
  } else if (r < 88) {   /* SRFI-1 fold-right and reduce */
    static const char *const kons[] = {"cons", "+", "max", "(lambda (x acc) (cons x acc))",
                                       "(lambda (x acc) (- x acc))", "list"};
    out(g, "(display (%s %s ", chance(g, 50) ? "fold-right" : "reduce", kons[rn(g, 6)]);
    out(g, chance(g, 50) ? "'() " : "%d ", k);
    g_int_list(g, rn(g, 5));
    out(g, "))\n");
  } else if (on(g, GEN_ERRORS)) {
    switch (rn(g, 4)) {
    case 3: out(g, "(display (%s + 0 '(1 . 2)))\n", chance(g, 50) ? "reduce" : "fold-right"); break;
    case 0: out(g, "(display (apply + 1 %d))\n", k); break;
    case 1: out(g, "(display (apply (lambda (x y) x) '(%d)))\n", k); break;
    default: out(g, "(define %s (lambda (x) (* x 2)))\n(display (apply %s '(1 2)))\n", a, a);
    }
  } else {
    out(g, "(display (apply list %d '(%d)))\n", k, d);
  }
  return true;
}

/* Global procedures as values (GEN_PROC_VALUES), self-contained forms. */
static bool g_proc_top(gen *g) {
  char f[16], h[16], a[16];
  g_unary(g, f);
  g_unary(g, h);
  fresh_name(g, "pv", a);
  if (chance(g, 30)) return g_closure_top(g);
  if (chance(g, 30)) return g_hof_top(g, f);
  if (on(g, GEN_LISTS) && chance(g, 25)) return glist_top(g);   /* gen-lists.c */
  int r = rn(g, 100);
  if (r < 20) {
    out(g, "(define (%s p x) (p x))\n(display (%s %s ", a, a, chance(g, 80) ? f : h);
    if (on(g, GEN_ERRORS) && chance(g, 10)) out(g, "'a");
    else g_small_int(g);
    out(g, "))\n");
  } else if (r < 35) {
    out(g, "(define %s %s)\n(%s %s)\n(display (%s ", a, f, chance(g, 50) ? "display" : "write",
        a, a);
    g_small_int(g);
    out(g, "))\n");
    if (chance(g, 50)) out(g, "(set! %s %s)\n(display (%s 3))\n", a, h, a);
  } else if (r < 50) {
    out(g, "(display ((vector-ref (vector %s %s) %d) ", f, h, rn(g, 2));
    g_small_int(g);
    out(g, "))\n");
  } else if (r < 60) {
    out(g, "(display (list (procedure? %s) (procedure? ", f);
    g_small_int(g);
    out(g, ") %s))\n", h);
  } else if (r < 72) {
    /* a loop calling the value in tail position */
    out(g, "(define (%s p n acc) (if (= n 0) acc (%s p (- n 1) (p acc))))\n", a, a);
    out(g, "(display (%s %s %d %d))\n", a, f, rn(g, 12), rn(g, 10));
  } else if (r < 78) {
    out(g, "(define (%s n) (if (> n %d) %s %s))\n(display ((%s ", a, rn(g, 10), f, h, a);
    g_small_int(g);
    out(g, ") %d))\n", rn(g, 9));
  } else if (r < 84) {
    /* lambda values capturing a parameter, kept in a global, composed */
    char m[16];
    fresh_name(g, "mk", m);
    out(g, "(define (%s k) (lambda (x) (%s (%s x) k)))\n", m, chance(g, 50) ? "+" : "*", f);
    out(g, "(define %s (%s ", a, m);
    g_small_int(g);
    out(g, "))\n(display (list (%s %d) ((%s %d) %d) %s))\n", a, rn(g, 9), m, rn(g, 9),
        rn(g, 9), chance(g, 50) ? a : "(lambda (y) y)");
    if (chance(g, 50))
      out(g, "(display ((lambda (p q) (p (q %d))) %s (lambda (z) (%s z %d))))\n", rn(g, 9), a,
          chance(g, 50) ? "-" : "+", rn(g, 9));
  } else if (on(g, GEN_ARITY_ERRORS) && r < 92) {
    out(g, "(define (%s p) (p 1 2))\n(display (%s %s))\n", a, a, f);
  } else if (on(g, GEN_ERRORS)) {
    out(g, "(define (%s p x) (p x))\n(display (%s %d 1))\n", a, a, rn(g, 9));
  } else {
    out(g, "(display (%s (%s 1)))\n", f, h);
  }
  return true;
}

bool gl_top(gen *g) {
  if (on(g, GEN_ESCAPES) && chance(g, 15)) return gx_top(g);   /* gen-escape.c */
  if (on(g, GEN_ESCAPES) && chance(g, 5)) return gwh_top(g);   /* gen-while.c */
  if (on(g, GEN_LISTS) && chance(g, 15)) return g_list_top(g);
  if (on(g, GEN_LISTS) && chance(g, 12)) return gsrfi_top(g);   /* gen-srfi.c */
  if (on(g, GEN_LISTS) && chance(g, 8)) return glib_top(g);   /* gen-lib.c */
  if (on(g, GEN_LISTS) && chance(g, 5)) return gmut_top(g);   /* gen-mutlist.c */
  if (on(g, GEN_LISTS) && chance(g, 6)) return gn_top(g);   /* gen-nest.c */
  if (on(g, GEN_LISTS) && chance(g, 4)) return gk_top(g);   /* gen-kinds.c */
  if (on(g, GEN_LISTS) && on(g, GEN_PROC_VALUES) && chance(g, 5))
    return gsort_top(g);   /* gen-sort.c */
  if (on(g, GEN_LISTS) && on(g, GEN_PROC_VALUES) && chance(g, 4))
    return gam_top(g);   /* gen-applymap.c */
  if (on(g, GEN_LISTS) && on(g, GEN_PROC_VALUES) && chance(g, 4))
    return grec_top(g);   /* gen-records.c */
  if (on(g, GEN_LISTS) && on(g, GEN_PROC_VALUES) && chance(g, 4))
    return gmatch_top(g);   /* gen-match.c */
  if (on(g, GEN_LISTS) && on(g, GEN_PROC_VALUES) && chance(g, 12))
    return gal_top(g);   /* gen-applylong.c */
  if ((on(g, GEN_MVALUES) || on(g, GEN_CAPTURED_LOOPS)) && chance(g, 12) && gv_top(g))
    return true;   /* tests/gen-values.c */
  if (on(g, GEN_PROC_VALUES) && chance(g, 6)) return gt_top(g);   /* tests/gen-tail.c */
  if (on(g, GEN_LOCAL_DEFINES) && chance(g, 10)) return ge_top(g);   /* tests/gen-early.c */

  int r = rn(g, 100);
  if (r < 12) {   /* deep only with GEN_MUTUAL_TAIL (out_count) */
    g_mutual(g);
  } else if (r < 24 && on(g, GEN_REDEFINE)) {
    g_redefine(g);
  } else if (r < 30 && on(g, GEN_REDEFINE) && chance(g, 25)) {
    return g_shadow_builtin(g);
  } else if (r < 30 && on(g, GEN_REDEFINE)) {
    /* a global redefined, maybe with a value of another kind */
    var *v = pick_var(g, (kind)rn(g, 3), 0, true);
    if (!v) return false;
    out(g, "(define %s ", v->name);
    out_scalar_const(g, on(g, GEN_MIXED_KINDS) && chance(g, 30) ? (kind)rn(g, 3) : v->k);
    out(g, ")\n");
  } else if (r < 36 && on(g, GEN_ERRORS)) {
    out(g, "(display ");   /* at top level: an error before running */
    out_unbound(g);
    out(g, ")\n");
  } else if (r < 44 && on(g, GEN_LAMBDA)) {
    /* a begin of definitions at top level, then a use */
    char x[16];
    fresh_name(g, "bx", x);
    g->budget = 12;
    out(g, "(begin (define %s ", x);
    g_expr(g, K_INT, 2, C_FIX);
    out(g, ") (display (+ %s 1)))\n", x);
  } else if (r < 52 && on(g, GEN_PROC_VALUES)) {
    return g_proc_top(g);
  } else if (r < 58 && on(g, GEN_PROC_VALUES)) {
    return g_closure_top(g);
  } else if (r < 66 && on(g, GEN_PROC_VALUES)) {
    return gl_state_top(g);
  } else return false;
  return true;
}
