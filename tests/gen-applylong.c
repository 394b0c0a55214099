/* gen-applylong.c - apply of every variadic builtin to a list made at run
 * time, of 0 to 40 elements (its length unknown to the compiler, often
 * past lower-apply.c's unrolled cases), in the random programs of
 * tests/gen.c (flags lists and proc-values, from gen-lang.c gl_top):
 * compiled code loops over the list (lang/lower-apply2.c to
 * lower-apply4.c, lower-bval.c) and must give the evaluator's results
 * and errors.  Also apply of vector-map, vector-for-each and fold to 2
 * to 17 sequences (lower-applymap.c).  With errors on: an element of
 * another kind somewhere, sums and products past 32 bits (the overflow
 * names every operand), divisions that are not exact or by zero.
 */
#include "config.h"

#include "gen-int.h"

#include <string.h>

typedef enum { E_INT, E_CHAR, E_STR, E_SYM, E_ANY, E_LIST } ekind;

static const struct {
  const char *name;
  ekind k;
} ops[] = {
    {"+", E_INT},         {"-", E_INT},          {"*", E_INT},          {"max", E_INT},
    {"min", E_INT},       {"gcd", E_INT},        {"lcm", E_INT},        {"logand", E_INT},
    {"logior", E_INT},    {"logxor", E_INT},     {"/", E_INT},          {"=", E_INT},
    {"<", E_INT},         {">", E_INT},          {"<=", E_INT},         {">=", E_INT},
    {"char=?", E_CHAR},   {"char<?", E_CHAR},    {"char>?", E_CHAR},    {"char<=?", E_CHAR},
    {"char>=?", E_CHAR},  {"char-ci=?", E_CHAR}, {"string", E_CHAR},    {"string=?", E_STR},
    {"string<?", E_STR},  {"string>?", E_STR},   {"string<=?", E_STR},  {"string>=?", E_STR},
    {"string-ci=?", E_STR}, {"string-append", E_STR}, {"symbol-append", E_SYM},
    {"list", E_ANY},      {"vector", E_ANY},     {"cons*", E_ANY},      {"append", E_LIST},
};

/* An element of kind k as an expression of i (the element's number from
 * 0); up: rising with i (for <, char<?...), down: falling, neither: any. */
static void elem(gen *g, ekind k, const char *op, bool big) {
  bool up = strchr(op, '<') != NULL, down = strchr(op, '>') != NULL;
  bool eq = strchr(op, '=') != NULL && !up && !down;
  bool shuffle = chance(g, 15);   /* a comparison that fails somewhere */
  switch (k) {
  case E_INT:
    if (!strcmp(op, "/") && big) out(g, "(+ 1 (remainder i 3))");
    else if (!strcmp(op, "/")) out(g, "(if (= i %d) 2 1)", rn(g, 12));
    else if (big) out(g, "(* (+ i 1) %d)", 50000000 + rn(g, 100000000));
    else if (shuffle) out(g, "(remainder (* i %d) 7)", rn(g, 5) + 1);
    else if (up) out(g, "(+ i %d)", rn(g, 20) - 10);
    else if (down) out(g, "(- %d i)", rn(g, 20));
    else if (eq) out(g, "%d", rn(g, 9));
    else if (!strcmp(op, "*")) out(g, "(- (remainder i 3) %d)", rn(g, 2));
    else if (!strcmp(op, "lcm")) out(g, "(+ 1 (remainder i %d))", rn(g, 6) + 2);
    else out(g, "(* (- i %d) %d)", rn(g, 10), rn(g, 40) + 1);
    return;
  case E_CHAR:
    if (shuffle) out(g, "(integer->char (+ 97 (remainder (* i 7) 26)))");
    else if (up) out(g, "(integer->char (+ 65 i))");
    else if (down) out(g, "(integer->char (- 120 i))");
    else if (!strcmp(op, "char-ci=?")) out(g, "(if (odd? i) #\\q #\\Q)");
    else if (eq) out(g, "#\\%c", 'a' + rn(g, 26));
    else out(g, "(integer->char (+ 97 (remainder i 26)))");
    return;
  case E_STR:
    if (shuffle) out(g, "(number->string (remainder (* i 7) 10))");
    else if (up) out(g, "(make-string (+ i 1) #\\b)");
    else if (down) out(g, "(make-string (- 41 i) #\\b)");
    else if (!strcmp(op, "string-ci=?")) out(g, "(if (odd? i) \"Ab\" \"aB\")");
    else if (eq) out(g, "\"s%d\"", rn(g, 9));
    else out(g, "(number->string i)");
    return;
  case E_SYM:
    out(g, "(if (odd? i) 'ab 'c)");
    return;
  case E_ANY:
    out(g, chance(g, 50) ? "i" : "(if (odd? i) (list i) 'x)");
    return;
  case E_LIST:
    out(g, chance(g, 70) ? "(list i (- i))" : "(if (odd? i) '() (list i))");
    return;
  }
}

/* A value of another kind (an error's argument). */
static void stranger(gen *g, ekind k) {
  static const char *const others[] = {"'oops", "\"str\"", "#\\z", "(list 1 2)", "(vector 3)",
                                       "#t", "'()", "car"};
  const char *o;
  do {
    o = others[rn(g, 8)];
  } while ((k == E_CHAR && o[1] == '\\') || (k == E_STR && o[0] == '"') ||
           (k == E_SYM && o[0] == '\'' && o[1] == 'o') || (k == E_LIST && o[1] == 'l'));
  out(g, "%s", o);
}

/* A leading operand of kind k. */
static void lead(gen *g, ekind k, const char *op) {
  switch (k) {
  case E_INT:
    out(g, " %d", !strcmp(op, "/") ? 3628800 : strchr(op, '<') ? -20 : strchr(op, '>') ? 60
                                                                     : rn(g, 30) + 1);
    return;
  case E_CHAR: out(g, " #\\%c", strchr(op, '>') ? 'z' : strchr(op, '<') ? '0' : 'q'); return;
  case E_STR: out(g, " \"%s\"", strchr(op, '<') ? "a" : strchr(op, '>') ? "zz" : "s"); return;
  case E_SYM: out(g, " 'lead"); return;
  case E_ANY: out(g, " %d", rn(g, 9)); return;
  case E_LIST: out(g, " (list 'l)"); return;
  }
}

/* (apply vector-map / vector-for-each / fold f seqs...) of n sequences */
static void hof(gen *g) {
  int n = on(g, GEN_ERRORS) ? rn(g, 16) + 2 : rn(g, 15) + 2, w = rn(g, 5);
  int which = rn(g, 3);
  char f[16];
  fresh_name(g, "ah", f);
  bool bad = on(g, GEN_ERRORS) && chance(g, 10);
  out(g, "(define (%s n) (let loop ((i 0) (acc '())) (if (= i n) acc (loop (+ i 1) (cons ", f);
  if (which == 2) out(g, bad ? "(if (= i %d) 7 (iota (+ %d (remainder i 2)) i))"
                              : "(iota (+ %d (remainder i 2)) i)", rn(g, n), w);
  else out(g, bad ? "(if (= i %d) 'v (make-vector (+ %d (remainder i 2)) i))"
                  : "(make-vector (+ %d (remainder i 2)) i)", rn(g, n), w);
  out(g, " acc)))))\n");
  const char *fn = chance(g, 60) ? "(lambda xs (apply + xs))" : "list";
  if (which == 0) out(g, "(write (apply vector-map %s (%s %d)))\n", fn, f, n);
  else if (which == 1)
    out(g, "(apply vector-for-each (lambda xs (display (length xs))) (%s %d))\n", f, n);
  else out(g, "(write (apply fold %s 0 (%s %d)))\n", fn, f, n);
  out(g, "(newline)\n");
}

bool gal_top(gen *g) {
  if (chance(g, 20)) {
    hof(g);
    return true;
  }
  int o = rn(g, (int)(sizeof ops / sizeof ops[0]));
  const char *op = ops[o].name;
  ekind k = ops[o].k;
  int len = chance(g, 20) ? rn(g, 9) : 9 + rn(g, 32);
  bool errors = on(g, GEN_ERRORS);
  bool big = errors && k == E_INT && chance(g, 25) &&
             (!strcmp(op, "+") || !strcmp(op, "-") || !strcmp(op, "*") || !strcmp(op, "/"));
  int wrong = errors && len > 0 && chance(g, 15) ? rn(g, len) : -1;
  char f[16];
  fresh_name(g, "al", f);
  out(g, "(define (%s n) (let loop ((i (- n 1)) (acc '())) (if (< i 0) acc (loop (- i 1) "
         "(cons ", f);
  if (wrong >= 0) {
    out(g, "(if (= i %d) ", wrong);
    stranger(g, k);
    out(g, " ");
  }
  elem(g, k, op, big);
  if (wrong >= 0) out(g, ")");
  out(g, " acc)))))\n");
  out(g, "(write (apply %s", op);
  /* / of a leading dividend: of the list's first element, a fraction */
  for (int j = rn(g, 3) + !strcmp(op, "/"); j > 0; j--) lead(g, k, op);
  out(g, " (%s %d)))\n(newline)\n", f, len);
  return true;
}
