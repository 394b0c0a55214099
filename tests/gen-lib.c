/* gen-lib.c - exact division (/) and the procedures of lib/prelude-lib.c
 * (Guile's hash tables, string-pad/take/drop/count, string-ci and char-ci
 * orders, delq/delv/delete!, identity/const/negate, delay/force,
 * sorted?/sort!/stable-sort!, string-any/every/tokenize) in the
 * random programs of tests/gen.c (flag `lists`): on integers, lists and
 * strings made in the ways programs make them (literals, loops, map,
 * iota, string-append, substring), from globals and locals, across
 * top-level forms, with their errors under `errors`.  Self-contained
 * top-level forms.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

static int small(gen *g) { return rn(g, 13) - 6; }
static int nonzero(gen *g) {
  int k = rn(g, 9) + 1;
  return chance(g, 30) ? -k : k;
}

/* A list of n small integers. */
static void ints(gen *g, int n) {
  switch (rn(g, 4)) {
  case 0:
    out(g, "'(");
    for (int i = 0; i < n; i++) out(g, i ? " %d" : "%d", small(g));
    out(g, ")");
    break;
  case 1:
    out(g, "(list");
    for (int i = 0; i < n; i++) out(g, " %d", small(g));
    out(g, ")");
    break;
  case 2: out(g, "(map (lambda (x) (- (* x %d) %d)) (iota %d))", rn(g, 3) + 1, rn(g, 5), n); break;
  default:
    out(g, "(let loop ((i 0) (acc '())) (if (= i %d) acc (loop (+ i 1) (cons (modulo (* i %d) 7) "
           "acc))))", n, rn(g, 5) + 1);
    break;
  }
}

/* A string of about n letters, literal or made at run time. */
static void str(gen *g, int n) {
  char s[16];
  if (n > 12) n = 12;
  for (int i = 0; i < n; i++) s[i] = (char)((chance(g, 25) ? 'A' : 'a') + rn(g, 5));
  s[n] = 0;
  switch (rn(g, 4)) {
  case 0: out(g, "\"%s\"", s); break;
  case 1: out(g, "(string-append \"%.*s\" \"%s\")", n / 2, s, s + n / 2); break;
  case 2: out(g, "(list->string (reverse (string->list \"%s\")))", s); break;
  default: out(g, "(substring \"xx%syy\" 2 %d)", s, n + 2); break;
  }
}

static void division(gen *g, bool err) {
  char p[16];
  fresh_name(g, "dv", p);
  int a = small(g), b = nonzero(g), c = nonzero(g);
  switch (rn(g, 5)) {
  case 0:
    out(g, "(define (%s x y) (/ (* x y) y))\n(display (list (%s %d %d) (%s %d %d)))\n", p, p, a, b,
        p, small(g), nonzero(g));
    break;
  case 1:
    out(g, "(display (map (lambda (x) (/ (* x %d) %d)) ", b * c, c);
    ints(g, rn(g, 6));
    out(g, "))\n");
    break;
  case 2:
    out(g, "(display (list (/ %d %d %d) (/ %d) (/ %d)", a * b * c, b, c, rn(g, 2) ? 1 : -1,
        rn(g, 2) ? -1 : 1);
    out(g, " (apply / (list %d %d))))\n", a * b, b);
    break;
  case 3:
    out(g, "(define %s (let loop ((i 1) (acc %d)) (if (> i 4) acc (loop (+ i 1) (* acc i)))))\n",
        p, b);
    out(g, "(display (/ %s 24))\n(display (/ %s %d))\n", p, p, b);
    break;
  default:
    out(g, "(define %s /)\n(display (%s %d %d))\n", p, p, a * c, c);
    break;
  }
  if (err) {
    switch (rn(g, 4)) {
    case 0: out(g, "(display (/ %d %d))\n", 2 * rn(g, 50) + 1, 2); break;
    case 1: out(g, "(display (/ %d 0))\n", a); break;
    case 2: out(g, "(display (/ %d))\n", rn(g, 5) + 2); break;
    default: out(g, "(display (/ -2147483648 -1))\n"); break;
    }
  }
}

/* A list of keys for a count, made as programs make them. */
static void count_keys(gen *g) {
  switch (rn(g, 6)) {
  case 0:
    out(g, "(list");
    for (int i = 0, n = rn(g, 8) + 1; i < n; i++) {
      out(g, " ");
      str(g, rn(g, 3) + 1);
    }
    out(g, ")");
    break;
  case 1:
    out(g, "'(");
    for (int i = 0, n = rn(g, 8) + 1; i < n; i++) out(g, " %s", sym_pool[rn(g, 3)]);
    out(g, ")");
    break;
  case 2: out(g, "(map (lambda (i) (modulo (* i %d) %d)) (iota %d))", rn(g, 7) + 1, rn(g, 5) + 1,
              rn(g, 30)); break;
  case 3: out(g, "(reverse (map symbol->string '(a b a c b a)))"); break;
  case 4: out(g, "(append (list %d %d) (list -2147483648 2147483647 %d))", small(g), small(g),
              small(g)); break;
  default: ints(g, rn(g, 9)); break;
  }
}

/* The shapes programs write with tables: a count (hash-set! of hash-ref
 * plus 1) in a lambda or a procedure, a memo with list keys, keys of
 * every kind and depth. */
static void patterns(gen *g, const char *h) {
  char f[16];
  switch (rn(g, 3)) {
  case 0:
    if (chance(g, 50)) {
      out(g, "(for-each (lambda (w) (hash-set! %s w (+ 1 (hash-ref %s w 0)))) ", h, h);
      count_keys(g);
      out(g, ")\n");
    } else {
      fresh_name(g, "cnt", f);
      out(g, "(define (%s l) (if (pair? l) (begin (hash-set! %s (car l) (+ (hash-ref %s (car l) 0) "
             "1)) (%s (cdr l)))))\n(%s ", f, h, h, f, f);
      count_keys(g);
      out(g, ")\n");
    }
    out(g, "(display (hash-fold (lambda (k v acc) (+ v acc)) 0 %s))\n", h);
    out(g, "(display (hash-count (lambda (k v) (> v 1)) %s))\n", h);
    out(g, "(display (list (hash-ref %s \"a\" 0) (hash-ref %s 'b 0) (hash-ref %s %d 0)))\n", h, h,
        h, rn(g, 5));
    if (chance(g, 50)) out(g, "(display (hash-remove! %s %d))\n", h, rn(g, 5));
    out(g, "(display (sort (hash-map->list (lambda (k v) v) %s) <))\n", h);
    break;
  case 1:
    fresh_name(g, "memo", f);
    out(g, "(define (%s r c)\n  (cond ((or (= r 0) (= c 0)) 1)\n        ((hash-ref %s (list r c)) => "
           "(lambda (v) v))\n        (else (let ((v (+ (%s (- r 1) c) (%s r (- c 1))))) (hash-set! "
           "%s (list r c) v) v))))\n", f, h, f, f, h);
    out(g, "(display (list (%s %d %d) (hash-count (lambda (k v) #t) %s)))\n", f, rn(g, 7),
        rn(g, 7), h);
    break;
  default:
    out(g, "(hash-set! %s (list %d (list %d \"x\")) 'deep)\n", h, small(g), small(g));
    out(g, "(hash-set! %s (vector %d 2) 'vec)\n(hash-set! %s -2147483648 'min)\n", h, small(g), h);
    out(g, "(hash-set! %s '() 'nil)\n(hash-set! %s #\\%c 'ch)\n(hash-set! %s #t 'yes)\n", h, h,
        'a' + rn(g, 5), h);
    out(g, "(display (list (hash-ref %s (list %d (list %d (string-append \"\" \"x\")))) (hash-ref "
           "%s -2147483648) (hash-ref %s '()) (hash-ref %s #\\c) (hash-ref %s #t) (hash-ref %s "
           "#f 'none)))\n", h, small(g), small(g), h, h, h, h, h);
    out(g, "(display (hash-count (lambda (k v) #t) %s))\n", h);
    break;
  }
}

static void tables(gen *g, bool err) {
  char h[16];
  fresh_name(g, "ht", h);
  static const char *const kinds[] = {"hash", "hashq", "hashv"};
  const char *v = kinds[rn(g, 3)];
  int n = rn(g, 40);
  out(g, "(define %s (make-hash-table%s))\n", h, chance(g, 30) ? " 7" : "");
  switch (rn(g, 4)) {
  case 0:   /* integer keys from a loop: grows past 31 buckets */
    out(g, "(do ((i 0 (+ i 1))) ((= i %d)) (%s-set! %s (- (* i %d) %d) i))\n", n, v, h,
        rn(g, 5) + 1, rn(g, 20));
    break;
  case 1:   /* symbols */
    out(g, "(for-each (lambda (k) (%s-set! %s k (string-length (symbol->string k)))) '(", v, h);
    for (int i = 0; i < 6; i++) out(g, " %s%d", sym_pool[rn(g, NSYM)], rn(g, 3));
    out(g, "))\n");
    break;
  case 2:   /* characters counted */
    out(g, "(string-for-each (lambda (c) (hashv-set! %s c 1)) ", h);
    str(g, rn(g, 10));
    out(g, ")\n");
    v = "hashv";
    break;
  default:   /* strings and lists of integers: equal? keys */
    out(g, "(hash-set! %s ", h);
    str(g, rn(g, 4));
    out(g, " 1)\n(hash-set! %s (list %d %d) 2)\n(hash-set! %s \"ab\" 3)\n", h, small(g),
        small(g), h);
    out(g, "(display (list (hash-ref %s \"ab\") (hash-ref %s (list %d %d) 'no)))\n", h, h,
        small(g), small(g));
    v = "hash";
    break;
  }
  if (chance(g, 50)) {
    patterns(g, h);
    return;
  }
  out(g, "(display (%s-ref %s %d))\n", v, h, rn(g, 10));
  out(g, "(display (%s-ref %s 'b1 -1))\n", v, h);
  out(g, "(display (hash-count (lambda (k v) #t) %s))\n", h);
  out(g, "(display (hash-fold (lambda (k v acc) (+ acc 1)) 0 %s))\n", h);
  switch (rn(g, 5)) {
  case 0: out(g, "(display (hash-map->list (lambda (k v) k) %s))\n", h); break;
  case 1: out(g, "(hash-for-each (lambda (k v) (display k) (display \" \")) %s)\n", h); break;
  case 2:
    out(g, "(display (%s-remove! %s %d))\n(display (%s-get-handle %s %d))\n", v, h, rn(g, 5), v,
        h, rn(g, 5));
    break;
  case 3: out(g, "(hash-clear! %s)\n(display (hash-count (lambda (k v) #t) %s))\n", h, h); break;
  default:
    out(g, "(display (%s-create-handle! %s 'zz 9))\n(display (hash-table? %s))\n", v, h, h);
    break;
  }
  if (err) out(g, "(display (hash-ref (list 1) 1))\n");
}

static void strings(gen *g, bool err) {
  static const char *const td[] = {"string-take", "string-drop", "string-take-right",
                                   "string-drop-right"};
  static const char *const ci[] = {"string-ci<?", "string-ci>?", "string-ci<=?", "string-ci>=?"};
  static const char *const cc[] = {"char-ci<?", "char-ci>?", "char-ci<=?", "char-ci>=?"};
  char p[16];
  fresh_name(g, "sx", p);
  int n = rn(g, 8);
  out(g, "(define %s ", p);
  str(g, n);
  out(g, ")\n");
  out(g, "(write (list (string-pad %s %d) (string-pad-right %s %d #\\*)", p, rn(g, 10), p,
      rn(g, 10));
  out(g, " (%s %s (min %d (string-length %s)))))\n", td[rn(g, 4)], p, rn(g, 8), p);
  out(g, "(display (list (string-count %s #\\a) (string-count %s char-upper-case?)", p, p);
  out(g, " (%s %s ", ci[rn(g, 4)], p);
  str(g, rn(g, 6));
  out(g, ")");
  out(g, " (%s #\\%c #\\%c%s)))\n", cc[rn(g, 4)], 'a' + rn(g, 4), 'A' + rn(g, 4),
      chance(g, 30) ? " #\\c" : "");
  if (err) out(g, "(display (%s %s (+ (string-length %s) 1)))\n", td[rn(g, 4)], p, p);
}

static void lists(gen *g, bool err) {
  static const char *const del[] = {"delq", "delv", "delq!", "delv!", "delete!"};
  out(g, "(display (%s %d ", del[rn(g, 5)], small(g) / 2);
  ints(g, rn(g, 7));
  out(g, "))\n");
  out(g, "(display (map identity ");
  ints(g, rn(g, 4));
  out(g, "))\n(display (map (const %d) ", small(g));
  ints(g, rn(g, 4));
  out(g, "))\n(display (filter (negate %s) ", chance(g, 50) ? "odd?" : "(lambda (x) (> x 0))");
  ints(g, rn(g, 6));
  out(g, "))\n");
  if (err) out(g, "(display (delq 1 5))\n");
}

static void promises(gen *g, bool err) {
  char p[16];
  fresh_name(g, "pr", p);
  out(g, "(define %s (delay (begin (display \"[run]\") (* %d %d))))\n", p, small(g), small(g));
  out(g, "(display (promise? %s))\n(display (force %s))\n(display (force %s))\n", p, p, p);
  out(g, "(display (force (make-promise (lambda () %d))))\n", small(g));
  if (err) out(g, "(display (force %d))\n", small(g));
}

/* sorted?, sort! and stable-sort! (a list and its original variable, a
 * vector through its original variable, pairs compared by their cars to
 * see the order of equal keys), string-any, string-every,
 * string-tokenize. */
static void sorting(gen *g, bool err) {
  /* <= (not a strict order) only on lists: Guile's vector quicksort may
   * call it buggy */
  static const char *const less[] = {"<", ">", "(lambda (a b) (< (abs a) (abs b)))", "<="};
  const char *bang = chance(g, 50) ? "sort!" : "stable-sort!";
  int shape = rn(g, 4);
  const char *lt = less[rn(g, shape < 2 ? 4 : 3)];
  char p[16];
  fresh_name(g, "srt", p);
  switch (shape) {
  case 0:   /* a global list */
    out(g, "(define %s ", p);
    ints(g, rn(g, 9));
    out(g, ")\n(define %s-r (%s %s %s))\n(display (list %s-r %s (sorted? %s-r %s)))\n", p, bang,
        p, lt, p, p, p, lt);
    break;
  case 1:   /* a local list */
    out(g, "(display (let* ((l ");
    ints(g, rn(g, 9));
    out(g, ") (r (%s l %s))) (list r l (sorted? l %s))))\n", bang, lt, lt);
    break;
  case 2:   /* a vector, through its variable */
    out(g, "(define %s (list->vector ", p);
    ints(g, rn(g, 9));
    out(g, "))\n(display (sorted? %s %s))\n(%s %s %s)\n(display (list %s (sorted? %s %s)))\n", p,
        lt, bang, p, lt, p, p, lt);
    break;
  default:   /* pairs: which of equal keys comes first */
    out(g, "(define %s (%s (map (lambda (x i) (cons (modulo x 3) i)) ", p,
        chance(g, 50) ? "list->vector" : "reverse");
    ints(g, 6);
    out(g, " (iota 6))))\n(display (%s %s (lambda (a b) (< (car a) (car b)))))\n(display %s)\n",
        bang, p, p);
    break;
  }
  char q[16];
  fresh_name(g, "tok", q);
  out(g, "(define %s ", q);
  str(g, rn(g, 8));
  out(g, ")\n(display (list (string-any char-upper-case? %s) (string-any #\\a %s)", q, q);
  out(g, " (string-every (lambda (c) (and (char-lower-case? c) (char->integer c))) %s)", q);
  out(g, " (string-every #\\b %s 0 (min %d (string-length %s)))", q, rn(g, 3), q);
  out(g, " (string-any (lambda (c) (and (char=? c #\\c) c)) %s (min %d (string-length %s)))))\n",
      q, rn(g, 4), q);
  out(g, "(write (string-tokenize (string-append \" \" %s \"  x,y\\t\" %s)))\n", q, q);
  if (err) out(g, "(display (sort! %d <))\n", small(g));
}

bool glib_top(gen *g) {
  bool err = on(g, GEN_ERRORS) && chance(g, 10);
  switch (rn(g, 7)) {
  case 0: case 1: division(g, err); break;
  case 2: tables(g, err); break;
  case 3: strings(g, err); break;
  case 4: lists(g, err); break;
  case 5: sorting(g, err); break;
  default: promises(g, err); break;
  }
  return true;
}
