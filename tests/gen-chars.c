/* gen-chars.c - characters in the random programs of tests/gen.c (flag
 * `chars`, GEN_CHARS): literals, char->integer and integer->char (out of
 * range too), the comparisons, the cases and classes, char?, characters
 * displayed and written, in lists and vectors, and kind errors of the
 * character procedures; also equal? and member on string literals.  Characters are not a kind of the generator's
 * variables (gen-int.h kind): they appear inside expressions of integer
 * or boolean kind, and in statements that print them.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void sub(gen *g, kind k, int d) {
  g->lang++;
  g_expr(g, k, d - 1, 0);
  g->lang--;
}

/* A character expression. */
static void g_char(gen *g, int d) {
  static const char *const lits[] = {
    "#\\a", "#\\Z", "#\\space", "#\\newline", "#\\0", "#\\9", "#\\tab", "#\\x",
    "#\\A", "#\\z", "#\\(", "#\\;", "#\\nul", "#\\delete", "#\\x3bb", "#\\xe9",
    "#\\xc9", "#\\x41", "#\\xdf", "#\\x1f600", "#\\x2028", "#\\x660", "#\\xff21"};
  int r = d <= 0 ? 0 : rn(g, 100);
  if (r < 45 && on(g, GEN_STRINGS) && chance(g, 25)) {
    /* a character of a string: the index maybe out of range */
    static const char *const strs[] = {"\"abc\"", "\"h\\xe9;llo\"", "\"a b\"", "\"x\""};
    int k = rn(g, N_OF(strs));
    out(g, "(string-ref %s ", strs[k]);
    if (chance(g, 80)) {
      out(g, "(modulo ");
      sub(g, K_INT, d);
      out(g, " (string-length %s)))", strs[k]);
    } else {
      sub(g, K_INT, d);
      out(g, ")");
    }
  } else if (r < 45) {
    out(g, "%s", lits[rn(g, N_OF(lits))]);
  } else if (r < 70) {
    /* mostly printable ASCII; sometimes any integer (an error) */
    if (chance(g, 85)) {
      out(g, "(integer->char (+ %d (modulo ", chance(g, 70) ? 32 : 0);
      sub(g, K_INT, d);
      out(g, " %d)))", chance(g, 70) ? 95 : 1200);
    } else {
      out(g, "(integer->char ");
      sub(g, K_INT, d);
      out(g, ")");
    }
  } else if (r < 90) {
    out(g, "(%s ", chance(g, 50) ? "char-upcase" : "char-downcase");
    g_char(g, d - 1);
    out(g, ")");
  } else {
    /* a character where another kind may come (a kind error) */
    out(g, "(if ");
    g_test(g, d - 1);
    out(g, " ");
    g_char(g, d - 1);
    out(g, " ");
    if (on(g, GEN_ERRORS) && chance(g, 30)) sub(g, K_INT, d);
    else g_char(g, d - 1);
    out(g, ")");
  }
}

/* An integer or a boolean made with characters; false for other kinds. */
bool gc_expr(gen *g, kind k, int d) {
  if (on(g, GEN_STRINGS) && chance(g, 40)) return gs_expr(g, k, d);   /* gen-strings.c */
  if (k == K_INT && on(g, GEN_STRINGS) && chance(g, 15)) {
    static const char *const strs[] = {"\"\"", "\"abc\"", "\"\\xe9;t\\xe9;\"", "\"a\\nb\""};
    out(g, "(string-length %s)", strs[rn(g, N_OF(strs))]);
    return true;
  }
  if (k == K_INT) {
    out(g, "(char->integer ");
    g_char(g, d - 1);
    out(g, ")");
    return true;
  }
  if (k != K_BOOL) return false;
  static const char *const cmps[] = {"char=?", "char<?", "char>?", "char<=?",
                                     "char>=?", "char-ci=?"};
  static const char *const classes[] = {"char-alphabetic?", "char-numeric?",
                                        "char-whitespace?", "char-upper-case?",
                                        "char-lower-case?"};
  int r = rn(g, 100);
  if (r < 55 && on(g, GEN_STRINGS)) {
    /* equal? on strings: literals of the same text are equal? */
    static const char *const strs[] = {"\"\"", "\"a\"", "\"ab\"", "\"a b\""};
    static const char *const scmps[] = {"string=?", "string<?", "string>?",
                                       "string<=?", "string>=?"};
    int q = rn(g, 100);
    if (on(g, GEN_LISTS) && q < 15)
      out(g, "(pair? (member %s (list %s %s)))", strs[rn(g, 4)], strs[rn(g, 4)], strs[rn(g, 4)]);
    else if (q < 75)
      out(g, "(%s %s %s)", scmps[rn(g, N_OF(scmps))], strs[rn(g, 4)], strs[rn(g, 4)]);
    else if (q < 82)
      out(g, "(string-null? %s)", strs[rn(g, 4)]);
    else
      out(g, "(equal? %s %s)", strs[rn(g, 4)], chance(g, 80) ? strs[rn(g, 4)] : "'a");
    return true;
  }
  if (r < 70) {
    out(g, "(%s", cmps[rn(g, N_OF(cmps))]);
    for (int i = 1 + rn(g, 3); i > 0; i--) {
      out(g, " ");
      g_char(g, d - 1);
    }
    out(g, ")");
  } else if (r < 88) {
    out(g, "(%s ", classes[rn(g, N_OF(classes))]);
    g_char(g, d - 1);
    out(g, ")");
  } else {
    out(g, "(char? ");
    if (chance(g, 50)) g_char(g, d - 1);
    else sub(g, (kind)rn(g, 3), d);
    out(g, ")");
  }
  return true;
}

/* A statement that prints characters. */
void gc_stmt(gen *g, int d) {
  if (on(g, GEN_STRINGS) && chance(g, 40)) {   /* gen-strings.c */
    gs_stmt(g, d);
    return;
  }
  const char *how = chance(g, 50) ? "write" : "display";
  int r = rn(g, 100);
  if (r < 60) {
    out(g, "(%s ", how);
    g_char(g, d - 1);
    out(g, ")");
  } else if (r < 70 && on(g, GEN_LISTS) && on(g, GEN_STRINGS)) {
    static const char *const strs[] = {"\"\"", "\"ab c\"", "\"\\\"q\\\"\""};
    out(g, "(%s (string->list %s))", how, strs[rn(g, N_OF(strs))]);
  } else if (r < 80 && on(g, GEN_LISTS)) {
    out(g, "(%s (list ", how);
    g_char(g, d - 1);
    out(g, " ");
    sub(g, (kind)rn(g, 3), d);
    out(g, "))");
  } else {
    out(g, "(%s (vector ", how);
    g_char(g, d - 1);
    out(g, " ");
    g_char(g, d - 1);
    out(g, "))");
  }
}
