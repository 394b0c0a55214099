/* gen-bval.c - builtins as values in the random programs of tests/gen.c
 * (flags `strings`, `chars` and `proc-values`): string and character
 * builtins passed to map, for-each, vector-map, fold, apply and lambdas,
 * chosen by if, held by let, lists and vectors; apply of string-append
 * and string to lists of any length (made by map, reverse, string->list,
 * list); apply of map (a transpose); and their errors through the value
 * (kinds, arity).  String, integer and boolean expressions inside the
 * generator's (tests/gen-strings.c calls these).
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

static void str(gen *g, int d) { gs_str(g, d - 1); }

static void chr(gen *g, int d) { gs_chr(g, d - 1); }

static void num(gen *g, int d) {
  g->lang++;
  g_expr(g, K_INT, d - 1, 0);
  g->lang--;
}

static void boolean(gen *g, int d) {
  g->lang++;
  g_expr(g, K_BOOL, d - 1, 0);
  g->lang--;
}

static bool err(gen *g) { return on(g, GEN_ERRORS) && chance(g, 8); }

/* A list of strings: (list ...), map of a builtin, string-split. */
static void str_list(gen *g, int d) {
  int r = rn(g, 100);
  if (r < 40) {
    out(g, "(list");
    for (int i = rn(g, 4); i > 0; i--) {
      out(g, " ");
      if (err(g)) num(g, d);
      else str(g, d);
    }
    out(g, ")");
  } else if (r < 60) {
    static const char *const f[] = {"number->string", "(lambda (n) (number->string n 2))"};
    out(g, "(map %s (list", f[rn(g, 2)]);
    for (int i = rn(g, 4); i > 0; i--) {
      out(g, " ");
      num(g, d);
    }
    out(g, "))");
  } else if (r < 75) {
    out(g, "(map symbol->string '(");
    for (int i = rn(g, 3); i > 0; i--) out(g, "%c%s", 'a' + rn(g, 5), i > 1 ? " " : "");
    out(g, "))");
  } else if (r < 88) {
    static const char *const f[] = {"string-upcase", "string-downcase", "string-copy",
                                    "string-reverse", "string-trim-both"};
    out(g, "(map %s ", f[rn(g, N_OF(f))]);
    str_list(g, d - 1);
    out(g, ")");
  } else {
    out(g, "(map string (string->list ");
    str(g, d);
    out(g, "))");
  }
}

/* A list of characters. */
static void chr_list(gen *g, int d) {
  int r = rn(g, 100);
  if (r < 40) {
    out(g, "(string->list ");
    str(g, d);
    out(g, ")");
  } else if (r < 60) {
    out(g, "(reverse (string->list ");
    str(g, d);
    out(g, "))");
  } else if (r < 80) {
    static const char *const f[] = {"char-upcase", "char-downcase",
                                    "(lambda (c) (integer->char (+ 1 (char->integer c))))"};
    out(g, "(map %s (string->list ", f[rn(g, N_OF(f))]);
    str(g, d);
    out(g, "))");
  } else {
    out(g, "(list");
    for (int i = rn(g, 4); i > 0; i--) {
      out(g, " ");
      if (err(g)) str(g, d);
      else chr(g, d);
    }
    out(g, ")");
  }
}

/* A procedure of one string giving a string, as a value. */
static void str_fn(gen *g, int d) {
  static const char *const f[] = {"string-upcase", "string-downcase", "string-copy",
                                  "string-reverse", "string-trim"};
  int r = rn(g, 100);
  if (r < 50) {
    int k = rn(g, 5);
    out(g, "%s", f[k]);
  } else if (r < 70) {
    out(g, "(if ");
    boolean(g, d);
    out(g, " %s %s)", f[rn(g, 5)], f[rn(g, 5)]);
  } else if (r < 85) {
    out(g, "(vector-ref (vector %s %s %s) (modulo ", f[rn(g, 5)], f[rn(g, 5)], f[rn(g, 5)]);
    num(g, d);
    out(g, " 3))");
  } else {
    out(g, "(car (list %s))", f[rn(g, 5)]);
  }
}

void gb_str(gen *g, int d) {
  int r = rn(g, 100);
  if (r < 20) {
    out(g, "(apply string-append ");
    if (chance(g, 30)) {
      str(g, d);
      out(g, " ");
    }
    str_list(g, d);
    out(g, ")");
  } else if (r < 32) {
    out(g, "(apply string ");
    if (chance(g, 25)) {
      chr(g, d);
      out(g, " ");
    }
    chr_list(g, d);
    out(g, ")");
  } else if (r < 47) {
    out(g, "(");
    str_fn(g, d);
    out(g, " ");
    if (err(g)) num(g, d);
    else str(g, d);
    if (err(g)) out(g, " \"x\"");
    out(g, ")");
  } else if (r < 57) {
    out(g, "((lambda (f x y) (f x y)) %s ",
        chance(g, 50) ? "string-append" : "(lambda (a b) (string-append b a))");
    str(g, d);
    out(g, " ");
    str(g, d);
    out(g, ")");
  } else if (r < 67) {
    out(g, "(list->string (map %s ", chance(g, 50) ? "char-upcase" : "char-downcase");
    chr_list(g, d);
    out(g, "))");
  } else if (r < 75) {
    out(g, "(fold string-append \"\" ");
    str_list(g, d);
    out(g, ")");
  } else if (r < 83) {
    /* apply of map: the transpose of two lists of strings */
    out(g, "(apply string-append (apply map string-append (list (list ");
    str(g, d);
    out(g, " ");
    str(g, d);
    out(g, ") (list ");
    str(g, d);
    out(g, " ");
    str(g, d);
    out(g, "))))");
  } else if (r < 90) {
    out(g, "(let ((f number->string)) (f ");
    num(g, d);
    out(g, "%s))", chance(g, 40) ? " 16" : "");
  } else {
    out(g, "(apply substring ");
    str(g, d);
    out(g, " '(0))");
  }
}

void gb_int(gen *g, int d) {
  int r = rn(g, 100);
  if (r < 25) {
    out(g, "(apply + (map string-length ");
    str_list(g, d);
    out(g, "))");
  } else if (r < 45) {
    out(g, "(apply + 0 (map char->integer ");
    chr_list(g, d);
    out(g, "))");
  } else if (r < 60) {
    static const char *const p[] = {"char-alphabetic?", "char-numeric?", "char-whitespace?",
                                    "char-upper-case?"};
    out(g, "(length (filter %s ", p[rn(g, N_OF(p))]);
    chr_list(g, d);
    out(g, "))");
  } else if (r < 75) {
    out(g, "(length (filter (lambda (x) x) (map string->number ");
    str_list(g, d);
    out(g, ")))");
  } else if (r < 85) {
    out(g, "(let ((v (vector-map string-length (vector ");
    str(g, d);
    out(g, " ");
    str(g, d);
    out(g, ")))) (+ (vector-ref v 0) (vector-ref v 1)))");
  } else {
    out(g, "(let ((n 0)) (for-each (lambda (f) (set! n (+ n (f ");
    str(g, d);
    out(g, ")))) (list string-length (lambda (s) 1))) n)");
  }
}

void gb_bool(gen *g, int d) {
  int r = rn(g, 100);
  static const char *const cmp[] = {"string<?", "string>?", "string=?", "string<=?",
                                    "string>=?", "string-ci=?"};
  if (r < 35) {
    out(g, "((if ");
    boolean(g, d);
    out(g, " %s %s) ", cmp[rn(g, N_OF(cmp))], cmp[rn(g, N_OF(cmp))]);
    str(g, d);
    out(g, " ");
    if (err(g)) chr(g, d);
    else str(g, d);
    out(g, ")");
  } else if (r < 55) {
    out(g, "(apply %s ", cmp[rn(g, N_OF(cmp) - 1)]);
    str(g, d);
    out(g, " ");
    str_list(g, d);
    out(g, ")");
  } else if (r < 75) {
    static const char *const cc[] = {"char<?", "char=?", "char>?", "char-ci=?"};
    out(g, "(apply %s #\\m ", cc[rn(g, N_OF(cc))]);
    chr_list(g, d);
    out(g, ")");
  } else {
    out(g, "(let* ((a ");
    str_list(g, d);
    out(g, ") (l (map %s a (reverse a)))) (and (pair? l) (car l)))", cmp[rn(g, N_OF(cmp))]);
  }
}
