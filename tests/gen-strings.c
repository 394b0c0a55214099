/* gen-strings.c - strings made at run time in the random programs of
 * tests/gen.c (flags `strings` and `chars` together): string-append,
 * substring, string-copy, make-string, string, list->string,
 * number->string (with a radix too), string->number, symbol->string of symbols known
 * only when the program runs (parameters, calls) compared with string<?
 * and string=?, string-upcase, string-downcase, string-set!,
 * string-fill!, equal?, string?, strings passed through procedures,
 * held by globals, stored in lists and vectors, displayed and written;
 * and their errors (indices out of range, a literal changed); Guile's
 * string library: string-reverse, string-trim (-right, -both),
 * string-map, string-for-each, string-index (a character or a
 * predicate), string-contains, string-prefix?, string-suffix?,
 * string-ci=?, string-split, string-join, string->list with a start and
 * an end, format and simple-format to #t, write-char, with their
 * errors.  Strings
 * are not a kind of the generator's variables: they appear inside
 * expressions of integer or boolean kind and in statements.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

static void sub(gen *g, kind k, int d) {
  g->lang++;
  g_expr(g, k, d - 1, 0);
  g->lang--;
}

static const char *const lits[] = {
  "\"\"", "\"a\"", "\"abc\"", "\"h\\xe9;llo\"", "\"a b\"", "\"\\\"q\\\"\"",
  "\"x\\\\y\"", "\"tab\\tz\"", "\"Zebra\"", "\"apple\"", "\"new\\nline\""};

static void g_chr(gen *g, int d) {
  static const char *const cs[] = {"#\\a", "#\\Z", "#\\space", "#\\\"", "#\\\\",
                                   "#\\newline", "#\\x3bb", "#\\0"};
  if (d <= 0 || chance(g, 60)) {
    out(g, "%s", cs[rn(g, N_OF(cs))]);
    return;
  }
  out(g, "(integer->char (+ 97 (modulo ");
  sub(g, K_INT, d);
  out(g, " 26)))");
}

static void g_str(gen *g, int d);

static void g_str_sub(gen *g, int d) { g_str(g, d - 1); }

static void g_str_lib(gen *g, int d);

/* A string expression. */
static void g_str(gen *g, int d) {
  if (d > 0 && on(g, GEN_PROC_VALUES) && on(g, GEN_LISTS) && chance(g, 14)) {
    gb_str(g, d);   /* gen-bval.c */
    return;
  }
  if (d > 0 && chance(g, 18)) {
    g_str_lib(g, d);
    return;
  }
  int r = d <= 0 ? rn(g, 12) : rn(g, 100);
  if (r < 12) {
    if (chance(g, 25)) out(g, "%s", chance(g, 50) ? "gs-glob" : "gs-mut");
    else out(g, "%s", lits[rn(g, N_OF(lits))]);
  } else if (r < 22) {
    out(g, "(string-append");
    for (int i = rn(g, 4); i > 0; i--) {
      out(g, " ");
      g_str_sub(g, d);
    }
    out(g, ")");
  } else if (r < 30) {
    if (on(g, GEN_ERRORS) && chance(g, 15)) {
      out(g, "(substring ");
      g_str_sub(g, d);
      out(g, " ");
      sub(g, K_INT, d);
      out(g, ")");
    } else {
      out(g, "(let ((s ");
      g_str_sub(g, d);
      out(g, ")) (substring s (quotient (string-length s) 3) (string-length s)))");
    }
  } else if (r < 35) {
    out(g, "(string-copy ");
    g_str_sub(g, d);
    out(g, ")");
  } else if (r < 40) {
    out(g, "(make-string (modulo ");
    sub(g, K_INT, d);
    out(g, " 4) ");
    g_chr(g, d - 1);
    out(g, ")");
  } else if (r < 45) {
    out(g, "(string");
    for (int i = rn(g, 3); i > 0; i--) {
      out(g, " ");
      g_chr(g, d - 1);
    }
    out(g, ")");
  } else if (r < 50 && on(g, GEN_LISTS)) {
    out(g, "(list->string (list ");
    g_chr(g, d - 1);
    out(g, " ");
    g_chr(g, d - 1);
    out(g, "))");
  } else if (r < 57) {
    static const char *const radix[] = {"", " 2", " 8", " 16", " 36"};
    out(g, "(number->string ");
    sub(g, K_INT, d);
    out(g, "%s)", radix[rn(g, N_OF(radix))]);
  } else if (r < 66) {
    out(g, "(%s ", chance(g, 50) ? "symbol->string" : "gs-name");
    sub(g, K_SYM, d);
    out(g, ")");
  } else if (r < 71) {
    out(g, "(%s ", chance(g, 50) ? "string-upcase" : "string-downcase");
    g_str_sub(g, d);
    out(g, ")");
  } else if (r < 80) {
    static const char *const fns[] = {"gs-id", "gs-twice", "gs-rev"};
    int k = rn(g, on(g, GEN_LISTS) ? 3 : 2);
    out(g, "(%s ", fns[k]);
    g_str_sub(g, d);
    out(g, ")");
  } else if (r < 85) {
    out(g, "(gs-set ");
    g_str_sub(g, d);
    out(g, " (modulo ");
    sub(g, K_INT, d);
    out(g, " 3) ");
    g_chr(g, d - 1);
    out(g, ")");
  } else if (r < 90 && on(g, GEN_LISTS)) {
    out(g, "(car (list ");
    g_str_sub(g, d);
    out(g, " ");
    g_str_sub(g, d);
    out(g, "))");
  } else if (r < 94) {
    out(g, "(vector-ref (vector ");
    g_str_sub(g, d);
    out(g, " ");
    g_str_sub(g, d);
    out(g, ") (modulo ");
    sub(g, K_INT, d);
    out(g, " 2))");
  } else {
    out(g, "(if ");
    sub(g, K_BOOL, d);
    out(g, " ");
    g_str_sub(g, d);
    out(g, " ");
    g_str_sub(g, d);
    out(g, ")");
  }
}


/* A string operand of Guile's string library: often one with white
 * space or the delimiters at its ends. */
static void g_str_or_lit(gen *g, int d) {
  static const char *const spaced[] = {"\"  a b \\t\"", "\"\\t\\n\"", "\" x\"", "\"a,,b,\"",
                                       "\",\"", "\"a b  c\"", "\"abcabc\""};
  if (chance(g, 40)) out(g, "%s", spaced[rn(g, N_OF(spaced))]);
  else g_str_sub(g, d);
}

static void g_delim(gen *g) {
  static const char *const ds[] = {"#\\space", "#\\,", "#\\a", "#\\b"};
  out(g, "%s", ds[rn(g, N_OF(ds))]);
}

/* Guile's string library, making strings. */
static void g_str_lib(gen *g, int d) {
  int r = rn(g, 100);
  if (r < 15) {
    out(g, "(string-reverse ");
    g_str_or_lit(g, d);
    out(g, ")");
  } else if (r < 35) {
    static const char *const trims[] = {"string-trim", "string-trim-right", "string-trim-both"};
    out(g, "(%s ", trims[rn(g, 3)]);
    g_str_or_lit(g, d);
    out(g, ")");
  } else if (r < 52 && on(g, GEN_PROC_VALUES)) {
    static const char *const fs[] = {"(lambda (c) (char-upcase c))",
                                     "(lambda (c) (if (char=? c #\\a) #\\- c))",
                                     "(lambda (c) (integer->char (+ 1 (char->integer c))))"};
    bool bad = on(g, GEN_ERRORS) && chance(g, 12);
    out(g, "(string-map %s ", bad ? "(lambda (c) (char->integer c))" : fs[rn(g, N_OF(fs))]);
    g_str_or_lit(g, d);
    out(g, ")");
  } else if (r < 72 && on(g, GEN_LISTS)) {
    if (on(g, GEN_ERRORS) && chance(g, 12)) {
      static const char *const bad[] = {"(string-join (list \"a\" 1))", "(string-join 5)",
                                        "(string-join (cons \"a\" \"b\"))",
                                        "(string-join (list \"a\" \"b\") #\\,)",
                                        "(string-join (list) \"-\" 'strict-infix)",
                                        "(string-join (list \"a\") \"-\" 'postfix)"};
      out(g, "%s", bad[rn(g, N_OF(bad))]);
      return;
    }
    static const char *const grammar[] = {"'infix", "'strict-infix", "'prefix", "'suffix"};
    int shape = rn(g, 4);
    if (shape == 3) {   /* the pieces of a split string */
      out(g, "(string-join (string-split ");
      g_str_or_lit(g, d);
      out(g, " ");
      g_delim(g);
      out(g, ")");
    } else {
      out(g, shape == 0 ? "(string-join (list" : shape == 1 ? "(string-join (reverse (list"
                                                            : "(string-join (map string-upcase (list");
      for (int i = rn(g, 4) + (shape == 0 ? 0 : 1); i > 0; i--) {
        out(g, " ");
        g_str_sub(g, d);
      }
      out(g, shape == 0 ? ")" : "))");
    }
    if (chance(g, 60)) {
      out(g, " ");
      g_str_or_lit(g, d);
      /* not strict-infix on a list that may be empty */
      static const int maybe_empty[] = {0, 2, 3};
      if (chance(g, 50)) out(g, " %s", grammar[shape == 0 ? maybe_empty[rn(g, 3)] : rn(g, 4)]);
    }
    out(g, ")");
  } else if (r < 88 && on(g, GEN_LISTS)) {
    out(g, "(let ((l (string-split ");
    g_str_or_lit(g, d);
    out(g, " ");
    g_delim(g);
    out(g, "))) (if (%s) (car l) (cadr l)))", chance(g, 50) ? "null? (cdr l)" : "pair? l");
  } else {
    out(g, "(string-reverse (string-trim-both ");
    g_str_sub(g, d);
    out(g, "))");
  }
}

/* Guile's string library, of integer kind. */
static void g_int_lib(gen *g, int d) {
  int r = rn(g, 100);
  if (r < 30) {
    out(g, "(let ((i (string-index ");
    g_str_or_lit(g, d);
    out(g, " ");
    int q = rn(g, 100);
    if (q < 50 || !on(g, GEN_PROC_VALUES)) g_delim(g);
    else if (q < 85) out(g, "(lambda (c) (char=? c #\\b))");
    else if (on(g, GEN_ERRORS)) sub(g, K_INT, d);
    else out(g, "(lambda (c) (char>? c #\\a))");
    out(g, "))) (if i i -1))");
  } else if (r < 50) {
    out(g, "(let ((i (string-contains ");
    g_str_or_lit(g, d);
    out(g, " ");
    g_str_or_lit(g, d);
    out(g, "))) (if i i -1))");
  } else if (r < 65 && on(g, GEN_LISTS)) {
    out(g, "(length (string-split ");
    g_str_or_lit(g, d);
    out(g, " ");
    g_delim(g);
    out(g, "))");
  } else if (r < 80 && on(g, GEN_LISTS)) {
    if (on(g, GEN_ERRORS) && chance(g, 20)) {
      out(g, "(length (string->list ");
      g_str_sub(g, d);
      out(g, " ");
      sub(g, K_INT, d);
      out(g, " ");
      sub(g, K_INT, d);
      out(g, "))");
    } else {
      out(g, "(let ((s ");
      g_str_sub(g, d);
      out(g, ")) (length (string->list s (quotient (string-length s) 2)%s)))",
          chance(g, 50) ? " (string-length s)" : "");
    }
  } else if (on(g, GEN_PROC_VALUES)) {
    out(g, "(let ((n 0)) (string-for-each (lambda (c) (set! n (+ (* n 3) (char->integer c)))) ");
    g_str_or_lit(g, d);
    out(g, ") (modulo n 1000))");
  } else {
    out(g, "(string-length (string-trim ");
    g_str_or_lit(g, d);
    out(g, "))");
  }
}

/* Guile's string library, of boolean kind. */
static void g_bool_lib(gen *g, int d) {
  int r = rn(g, 100);
  if (r < 60) {
    out(g, "(%s ", chance(g, 50) ? "string-prefix?" : "string-suffix?");
    g_str_or_lit(g, d);
    out(g, " ");
    g_str_or_lit(g, d);
    out(g, ")");
  } else {
    out(g, "(string-ci=?");
    for (int i = 1 + rn(g, 3); i > 0; i--) {
      out(g, " ");
      if (chance(g, 30)) out(g, "%s", chance(g, 50) ? "\"ABC\"" : "\"aBc\"");
      else g_str_sub(g, d);
    }
    out(g, ")");
  }
}

void gs_str(gen *g, int d) { g_str(g, d); }

void gs_chr(gen *g, int d) { g_chr(g, d); }

bool gs_expr(gen *g, kind k, int d) {
  if ((k == K_INT || k == K_BOOL) && d > 0 && on(g, GEN_PROC_VALUES) && on(g, GEN_LISTS) &&
      chance(g, 15)) {
    if (k == K_INT) gb_int(g, d);   /* gen-bval.c */
    else gb_bool(g, d);
    return true;
  }
  if ((k == K_INT || k == K_BOOL) && d > 0 && chance(g, 25)) {
    if (k == K_INT) g_int_lib(g, d);
    else g_bool_lib(g, d);
    return true;
  }
  if (k == K_INT) {
    int r = rn(g, 100);
    if (r < 25) {
      /* string->number: an integer, #f, or its errors ("1.5", too long) */
      static const char *const nums[] = {"\"12\"", "\"-7\"", "\"#x1f\"", "\"1.5\"",
                                         "\"abc\"", "\"99999999999\"", "\"+\"", "\"1e3\""};
      out(g, "(let ((n (string->number ");
      int q = rn(g, 100);
      if (q < 40) out(g, "%s", nums[rn(g, N_OF(nums))]);
      else if (q < 70) {
        out(g, "(number->string ");
        sub(g, K_INT, d);
        out(g, ")");
      } else g_str(g, d - 1);
      if (chance(g, 20)) out(g, " %d", chance(g, 80) ? 16 : 1);
      out(g, "))) (if n n -1))");
    } else if (r < 60) {
      out(g, "(string-length ");
      g_str(g, d - 1);
      out(g, ")");
    } else {
      out(g, "(let ((s ");
      g_str(g, d - 1);
      out(g, ")) (if (> (string-length s) 0) (char->integer (string-ref s (modulo ");
      sub(g, K_INT, d);
      out(g, " (string-length s)))) -1))");
    }
    return true;
  }
  if (k != K_BOOL) return false;
  static const char *const cmps[] = {"string=?", "string<?", "string>?", "string<=?",
                                     "string>=?", "equal?"};
  int r = rn(g, 100);
  if (r < 45) {
    out(g, "(%s ", cmps[rn(g, N_OF(cmps))]);
    g_str(g, d - 1);
    out(g, " ");
    g_str(g, d - 1);
    out(g, ")");
  } else if (r < 75) {
    /* the names of symbols known only when the program runs */
    if (chance(g, 50)) {
      out(g, "(gs-lt ");
      sub(g, K_SYM, d);
      out(g, " ");
      sub(g, K_SYM, d);
      out(g, ")");
    } else {
      out(g, "(%s (symbol->string ", chance(g, 50) ? "string<?" : "string=?");
      sub(g, K_SYM, d);
      out(g, ") (symbol->string ");
      sub(g, K_SYM, d);
      out(g, "))");
    }
  } else if (r < 85) {
    out(g, "(string? ");
    if (chance(g, 70)) g_str(g, d - 1);
    else sub(g, K_INT, d);
    out(g, ")");
  } else {
    out(g, "(string-null? ");
    g_str(g, d - 1);
    out(g, ")");
  }
  return true;
}

void gs_stmt(gen *g, int d) {
  const char *how = chance(g, 50) ? "write" : "display";
  int r = rn(g, 100);
  if (r < 45) {
    out(g, "(%s ", how);
    g_str(g, d - 1);
    out(g, ")");
  } else if (r < 55 && on(g, GEN_LISTS)) {
    out(g, "(%s (list ", how);
    g_str(g, d - 1);
    out(g, " ");
    g_str(g, d - 1);
    out(g, "))");
  } else if (r < 65) {
    out(g, "(%s (vector ", how);
    g_str(g, d - 1);
    out(g, " ");
    sub(g, K_INT, d);
    out(g, "))");
  } else if (r < 80) {
    /* string-set! of the global string, its index maybe out of range */
    out(g, "(string-set! gs-mut ");
    if (on(g, GEN_ERRORS) && chance(g, 20)) sub(g, K_INT, d);
    else {
      out(g, "(modulo ");
      sub(g, K_INT, d);
      out(g, " 3)");
    }
    out(g, " ");
    g_chr(g, d - 1);
    out(g, ")");
  } else if (r < 85 && on(g, GEN_ERRORS)) {
    out(g, "(string-set! %s 0 #\\z)", chance(g, 50) ? "\"abc\"" : "(symbol->string 'a)");
  } else if (r < 92) {
    out(g, "(let ((m (make-string 2 #\\a))) (string-fill! m ");
    g_chr(g, d - 1);
    out(g, ") (%s m))", how);
  } else if (r < 95 && on(g, GEN_LISTS)) {
    out(g, "(%s (string-split ", how);
    g_str_or_lit(g, d);
    out(g, " ");
    g_delim(g);
    out(g, "))");
  } else if (r < 96) {
    /* format to #t with a literal format string, write-char */
    static const char *const fmts[] = {"\"~a|~s~%\"", "\"[~A] ~~ ~S\"", "\"~s~a\"",
                                       "\"\\x3bb;~a ~s ~\""};
    static const char *const bad[] = {"\"~a ~a\"", "\"~a ~d\"", "\"~a\" 1"};
    if (on(g, GEN_ERRORS) && chance(g, 10)) {
      out(g, "(format #t %s ", bad[rn(g, N_OF(bad))]);
      g_str(g, d - 1);
      out(g, ")");
    } else if (chance(g, 25)) {
      out(g, "(write-char ");
      g_chr(g, d - 1);
      out(g, ")");
    } else {
      out(g, "(%s #t %s ", chance(g, 50) ? "format" : "simple-format",
          fmts[rn(g, N_OF(fmts))]);
      g_str(g, d - 1);
      out(g, " ");
      if (chance(g, 50)) sub(g, K_INT, d);
      else g_chr(g, d - 1);
      out(g, ")");
    }
  } else if (r < 97 && on(g, GEN_PROC_VALUES)) {
    out(g, "(string-for-each (lambda (c) (%s c)) ", how);
    g_str_or_lit(g, d);
    out(g, ")");
  } else {
    out(g, "(set! gs-glob ");
    g_str(g, d - 1);
    out(g, ")");
  }
}

/* The procedures and globals the expressions use (fixed text). */
void gs_prelude(gen *g) {
  out(g, "(define (gs-id s) s)\n"
         "(define (gs-twice s) (string-append s s))\n"
         "(define (gs-rev s) (list->string (reverse (string->list s))))\n"
         "(define (gs-lt a b) (string<? (symbol->string a) (symbol->string b)))\n"
         "(define (gs-name a) (string-append \"<\" (symbol->string a) \">\"))\n"
         "(define (gs-set s i c) (let ((m (string-copy s))) "
         "(if (< i (string-length m)) (string-set! m i c)) m))\n"
         "(define gs-glob (string-append \"g\" \"lob\"))\n"
         "(define gs-mut (make-string 3 #\\m))\n");
}
