/* gen-escape.c - escapes, string ports and symbols made at run time in
 * the random programs of tests/gen.c (flag `escapes`, GEN_ESCAPES):
 * call/cc and call-with-current-continuation whose continuation is
 * called while the call runs (from for-each and map, vector-for-each,
 * sort's comparator, a loop with a call/cc per iteration, a recursive
 * procedure, mutual recursion, a local variable holding it, from a named
 * let's non-tail recursion, from a procedure the continuation is passed to,
 * with one value, none or two for call-with-values), or never, or after
 * the call returned (the run-time error of an escape-only call/cc);
 * escapes out of with-output-to-string; string ports: open-output-string
 * and get-output-string, call-with-output-string, with-output-to-string,
 * display, write, newline, write-char and format to a port,
 * current-output-port, open-input-string with read-char, peek-char,
 * char-ready? and eof-object?, port? input-port? output-port?;
 * string->symbol of strings made as the program runs, compared with eq?
 * to literal symbols, symbol->string of them, symbol-append; and the
 * kind errors of these.  Each is a self-contained top-level form or two.
 */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

static void int_list(gen *g, int n) {
  out(g, "'(");
  for (int i = 0; i < n; i++) out(g, i ? " %d" : "%d", rn(g, 12) - 2);
  out(g, ")");
}

static const char *cc_name(gen *g) {
  return chance(g, 50) ? "call/cc" : "call-with-current-continuation";
}

/* call/cc escapes */
static void escapes(gen *g) {
  char f[16], k[16];
  fresh_name(g, "esc", f);
  fresh_name(g, "k", k);
  int lim = rn(g, 10);
  switch (rn(g, 15)) {
  case 9:   /* out of vector-for-each, sort's comparator */
    out(g, "(define (%s v) (%s (lambda (%s) (vector-for-each (lambda (x) (when (> x %d) "
           "(%s (list 'big x)))) v) 'small)))\n",
        f, cc_name(g), k, lim, k);
    out(g, "(write (list (%s (vector %d %d %d)) (%s (make-vector %d %d))))\n", f, rn(g, 12),
        rn(g, 12), rn(g, 12), f, rn(g, 4), rn(g, 12));
    out(g, "(write (%s (lambda (%s) (sort ", cc_name(g), k);
    out(g, chance(g, 50) ? "(list %d %d %d %d)" : "(reverse (iota %d %d))", rn(g, 6), rn(g, 6),
        rn(g, 6), rn(g, 6));
    out(g, " (lambda (a b) (if (= a b) (%s (list 'same a)) (< a b)))))))\n", k);
    break;
  case 10:   /* in a loop: a call/cc per iteration, some escaping */
    out(g, "(define (%s n) (let loop ((i 0) (acc '())) (if (= i n) (reverse acc) (loop (+ i 1) "
           "(cons (%s (lambda (%s) (if (= 0 (remainder i %d)) (%s (* i 10)) i))) acc)))))\n",
        f, cc_name(g), k, 2 + rn(g, 3), k);
    out(g, "(write (%s %d))\n", f, rn(g, 9));
    break;
  case 11:   /* in a recursive procedure: each level its own continuation */
    out(g, "(define (%s n) (if (= n 0) 0 (+ 1 (%s (lambda (%s) (if (= n %d) (%s (* 100 "
           "(%s (- n 1)))) (%s (- n 1))))))))\n",
        f, cc_name(g), k, 1 + rn(g, 6), k, f, f);
    out(g, "(display (list (%s %d) (%s %d)))\n", f, rn(g, 8), f, rn(g, 8));
    break;
  case 12:   /* kept in a local variable, called later while its call runs */
    out(g, "(define (%s lst) (%s (lambda (%s) (let ((stop %s) (n 0)) (for-each (lambda (x) "
           "(set! n (+ n x)) (when (> n %d) (stop n))) lst) (list 'sum n)))))\n",
        f, cc_name(g), k, k, lim * 3);
    out(g, "(write (list (%s ", f);
    int_list(g, rn(g, 6));
    out(g, ") (%s (map (lambda (x) (* x 2)) (iota %d)))))\n", f, rn(g, 7));
    break;
  case 13:   /* out of mutual recursion, with the value passed up */
    out(g, "(define (%s-a n %s) (if (= n %d) (%s (list 'at n)) (if (> n 0) (+ 1 (%s-b (- n 1) "
           "%s)) 0)))\n(define (%s-b n %s) (* 2 (%s-a n %s)))\n",
        f, k, rn(g, 6), k, f, k, f, k, f, k);
    out(g, "(write (%s (lambda (%s) (%s-a %d %s))))\n", cc_name(g), k, f, rn(g, 8), k);
    break;
  case 14:   /* written, or called after its call/cc returned (an error) */
    if (on(g, GEN_ERRORS) && chance(g, 50)) {
      out(g, "(define (%s) (let ((%s (%s (lambda (c) c)))) (if (procedure? %s) (%s %d) "
             "%s)))\n(display (%s))\n",
          f, k, cc_name(g), k, k, lim, k, f);
    } else {
      out(g, "(write (%s (lambda (%s) %s)))\n(display (procedure? (%s (lambda (%s) %s))))\n",
          cc_name(g), k, k, cc_name(g), k, k);
    }
    break;
  case 0:   /* out of for-each */
    out(g, "(define (%s pred lst) (%s (lambda (%s) (for-each (lambda (x) (when (pred x) "
           "(%s x))) lst) #f)))\n",
        f, cc_name(g), k, k);
    out(g, "(display (%s (lambda (x) (> x %d)) ", f, lim);
    int_list(g, rn(g, 7));
    out(g, "))\n(newline)\n");
    out(g, "(write (%s even? (list %d %d %d)))\n", f, rn(g, 9), rn(g, 9), rn(g, 9));
    break;
  case 1:   /* out of a non-tail recursion */
    out(g, "(define (%s lst) (%s (lambda (%s) (let loop ((l lst)) (cond ((null? l) 1) "
           "((= %d (car l)) (%s 0)) (else (* (car l) (loop (cdr l)))))))))\n",
        f, cc_name(g), k, lim, k);
    out(g, "(display (list (%s ", f);
    int_list(g, rn(g, 6));
    out(g, ") (%s (iota %d))))\n", f, rn(g, 8));
    break;
  case 2:   /* out of map, the value of another kind */
    out(g, "(write (%s (lambda (%s) (map (lambda (x) (if (= x %d) (%s '%s) (* x 2))) ",
        cc_name(g), k, lim, k, sym_pool[rn(g, NSYM)]);
    int_list(g, rn(g, 7));
    out(g, "))))\n");
    break;
  case 3:   /* passed to a procedure, called two calls deeper */
    out(g, "(define (%s-in n %s) (if (> n %d) (%s (* n 10)) (+ n 1)))\n", f, k, lim, k);
    out(g, "(define (%s n) (+ 1000 (%s (lambda (%s) (* 2 (%s-in (+ n 1) %s))))))\n", f,
        cc_name(g), k, f, k);
    out(g, "(display (%s %d)) (display \" \") (display (%s %d))\n", f, rn(g, 12), f,
        rn(g, 12));
    break;
  case 4:   /* several values, or none */
    if (chance(g, 60))
      out(g, "(call-with-values (lambda () (%s (lambda (%s) (%s %d %d) 0))) "
             "(lambda (a b) (display (list a b))))\n",
          cc_name(g), k, k, rn(g, 9), rn(g, 9));
    else
      out(g, "(call-with-values (lambda () (%s (lambda (%s) (%s)))) "
             "(lambda () (display 'none)))\n",
          cc_name(g), k, k);
    break;
  case 5:   /* never called; called in tail position; by a case-lambda */
    out(g, "(display (+ %d (%s (lambda (%s) %d))))\n", rn(g, 9), cc_name(g), k, rn(g, 9));
    out(g, "(display (%s (lambda (%s) (%s %d))))\n", cc_name(g), k, k, rn(g, 9));
    out(g, "(display (%s (case-lambda ((%s) (* 2 (%s %d))) ((%s x) x))))\n", cc_name(g), k, k,
        rn(g, 9), k);
    break;
  case 6:   /* the continuation as a value: written, procedure?, re-entered */
    out(g, "(define %s #f)\n(display (+ 1 (%s (lambda (%s) (set! %s %s) %d))))\n", f,
        cc_name(g), k, f, k, lim);
    out(g, "(display (procedure? %s))\n", f);
    if (on(g, GEN_ERRORS) && chance(g, 50)) out(g, "(%s %d)\n(display 'after)\n", f, lim);
    break;
  case 7:   /* out of with-output-to-string: the output goes back */
    out(g, "(display (%s (lambda (%s) (with-output-to-string (lambda () (display \"in\") "
           "(when (> %d 3) (%s 'out)) (display %d))))))\n(display \" after\")\n",
        cc_name(g), k, lim, k, lim);
    break;
  default:   /* nested: the inner escape, then the outer */
    out(g, "(display (%s (lambda (outer) (+ 1 (%s (lambda (inner) (for-each (lambda (x) "
           "(if (> x %d) (outer x) (when (= x %d) (inner (* x 100))))) ",
        cc_name(g), cc_name(g), lim, rn(g, 6));
    int_list(g, rn(g, 7));
    out(g, ") -1))))))\n");
    break;
  }
}

static void some_value(gen *g) {
  static const char *const vs[] = {"12", "-3", "'sym", "\"str\"", "#\\c", "#t", "'(1 \"a\" #\\b)",
                                   "(vector 1 'x)", "'()", "\"q\\\"\""};
  out(g, "%s", vs[rn(g, N_OF(vs))]);
}

/* a list or vector made at run time, of values of every kind */
static void made_value(gen *g) {
  int n = rn(g, 5);
  switch (rn(g, 8)) {
  case 0: out(g, "(map (lambda (i) (* i i)) (iota %d))", n); break;
  case 1: out(g, "(reverse (iota %d))", n); break;
  case 2:
    out(g, "(let loop ((i 0) (acc '())) (if (= i %d) acc (loop (+ i 1) (cons (list i \"s\") "
           "acc))))", n);
    break;
  case 3: out(g, "(append '(a b) (list \"c\" #\\d) (iota %d))", n); break;
  case 4: out(g, "(string->list \"a\\\"b c\")"); break;
  case 5: out(g, "(vector %d (list 2 'x (vector)) \"y\" #\\z '(1 . 2))", n); break;
  case 6: out(g, "(list (if #f #f) #t #f '() (cons 1 (cons 2 3)))"); break;
  default: some_value(g); break;
  }
}

/* format to #f and call-with-output-string as compiled code runs them:
 * values of every kind, in procedures, across top-level forms */
static void text_ports(gen *g) {
  char v[16], f[16], p[16];
  fresh_name(g, "tv", v);
  fresh_name(g, "tf", f);
  fresh_name(g, "tp", p);
  out(g, "(define %s ", v);
  made_value(g);
  out(g, ")\n");
  switch (rn(g, 4)) {
  case 0:
    out(g, "(define (%s x) (format #f \"[~a|~s]~%%\" x x))\n(write (%s %s))\n", f, f, v);
    out(g, "(display (%s ", f);
    made_value(g);
    out(g, "))\n");
    break;
  case 1:
    out(g, "(display (string-length (format #f \"~s ~a ~~\" %s ", v);
    made_value(g);
    out(g, ")))\n(write (simple-format #f \"~a\" (list %s %s)))\n", v, v);
    break;
  case 2:
    out(g, "(write (call-with-output-string (lambda (%s) (write %s %s) (newline %s) "
           "(display ", p, v, p, p);
    made_value(g);
    out(g, " %s) (write-char #\\%c %s) (format %s \"~a/~s\" %s 'k))))\n", p,
        'a' + rn(g, 26), p, p, v);
    break;
  default:
    out(g, "(define (%s l) (call-with-output-string (lambda (%s) (let loop ((l l)) "
           "(when (pair? l) (display (car l) %s) (display \",\" %s) (loop (cdr l)))))))\n",
        f, p, p, p);
    out(g, "(write (%s (map (lambda (i) (+ i %d)) (iota %d))))\n", f, rn(g, 9), rn(g, 5));
    break;
  }
}

/* output string ports */
static void out_ports(gen *g) {
  char p[16], f[16];
  fresh_name(g, "port", p);
  fresh_name(g, "pf", f);
  if (chance(g, 40)) {
    text_ports(g);
    return;
  }
  switch (rn(g, 6)) {
  case 0:
    out(g, "(write (call-with-output-string (lambda (%s) (let loop ((l ", p);
    int_list(g, rn(g, 6));
    out(g, ") (first #t)) (unless (null? l) (unless first (display \",\" %s)) (%s (car l) %s) "
           "(loop (cdr l) #f))))))\n",
        p, chance(g, 50) ? "write" : "display", p);
    break;
  case 1:
    out(g, "(define %s (open-output-string))\n", p);
    for (int i = 0, n = 1 + rn(g, 4); i < n; i++) {
      switch (rn(g, 5)) {
      case 0: out(g, "(display "); some_value(g); out(g, " %s)\n", p); break;
      case 1: out(g, "(write "); some_value(g); out(g, " %s)\n", p); break;
      case 2: out(g, "(newline %s)\n", p); break;
      case 3: out(g, "(write-char #\\%c %s)\n", 'a' + rn(g, 26), p); break;
      default:
        out(g, "(format %s \"~a-~s~%%~~\" ", p);
        some_value(g);
        out(g, " ");
        some_value(g);
        out(g, ")\n");
        break;
      }
    }
    out(g, "(write (get-output-string %s))\n", p);
    if (chance(g, 40)) out(g, "(display \"more\" %s)\n(write (get-output-string %s))\n", p, p);
    break;
  case 2:
    out(g, "(define (%s x) (display \"<\") (write x) (display \">\"))\n", f);
    out(g, "(write (with-output-to-string (lambda () (%s ", f);
    some_value(g);
    out(g, ") (newline) (display (+ %d %d)) (write-char #\\z) (format #t \"~s\" ", rn(g, 9),
        rn(g, 9));
    some_value(g);
    out(g, "))))\n");
    break;
  case 3:   /* format to #f and #t, current-output-port */
    out(g, "(write (format #f \"~a and ~s~%%\" ");
    some_value(g);
    out(g, " ");
    some_value(g);
    out(g, "))\n(display ");
    some_value(g);
    out(g, " (current-output-port))\n(newline (current-output-port))\n");
    out(g, "(display (with-output-to-string (lambda () (write 'w (current-output-port)))))\n");
    break;
  case 4:   /* predicates */
    out(g, "(define %s (open-output-string))\n", p);
    out(g, "(display (list (port? %s) (output-port? %s) (input-port? %s) (port? ", p, p, p);
    some_value(g);
    out(g, ") (input-port? (open-input-string \"x\")) (output-port? (current-output-port)) "
           "(eof-object? ");
    some_value(g);
    out(g, ")))\n");
    break;
  default:   /* errors */
    if (!on(g, GEN_ERRORS)) {
      out(g, "(display (string-length (call-with-output-string (lambda (p) (write %d p)))))\n",
          rn(g, 1000));
      break;
    }
    switch (rn(g, 5)) {
    case 0: out(g, "(display 1 "); some_value(g); out(g, ")\n"); break;
    case 1: out(g, "(get-output-string "); some_value(g); out(g, ")\n"); break;
    case 2: out(g, "(read-char (open-output-string))\n"); break;
    case 3: out(g, "(newline (open-input-string \"a\"))\n"); break;
    default: out(g, "(format "); some_value(g); out(g, " \"x\")\n"); break;
    }
    break;
  }
}

/* input string ports */
static void in_ports(gen *g) {
  static const char *const texts[] = {"\"\"", "\"abc\"", "\"a b\\nc\"", "\"h\\xe9;!\"",
                                      "\"12 34\""};
  char p[16], f[16];
  fresh_name(g, "in", p);
  fresh_name(g, "rd", f);
  const char *t = texts[rn(g, N_OF(texts))];
  if (chance(g, 50)) {
    out(g, "(define (%s port) (let loop ((acc '())) (let ((c (read-char port))) (if "
           "(eof-object? c) (reverse acc) (loop (cons c acc))))))\n",
        f);
    out(g, "(write (%s (open-input-string %s)))\n", f, t);
  } else {
    out(g, "(define %s (open-input-string %s))\n", p, t);
    out(g, "(write (list (peek-char %s) (char-ready? %s) (read-char %s) (peek-char %s)))\n", p,
        p, p, p);
    out(g, "(write (eof-object? (read-char %s)))\n", p);
  }
}

/* symbols made as the program runs */
static void symbols(gen *g) {
  static const char *const strs[] = {"\"a\"", "\"hello world\"", "\"\"", "\"12\"", "\"Abc\"",
                                     "\"x-y\"", "\"#foo\"", "\"a.b\""};
  char f[16], s[16];
  fresh_name(g, "mk", f);
  fresh_name(g, "sy", s);
  switch (rn(g, 9)) {
  case 4:   /* a list of made symbols, built by recursion: memq, assq, equal?, case */
    out(g, "(define (%s n) (if (= n 0) '() (cons (string->symbol (string-append \"%s\" "
           "(number->string (modulo n %d)))) (%s (- n 1)))))\n",
        f, sym_pool[rn(g, NSYM)], 1 + rn(g, 4), f);
    out(g, "(define %s (%s %d))\n(write %s)\n", s, f, rn(g, 7), s);
    out(g, "(write (memq '%s%d %s))\n(write (assq (string->symbol \"%s%d\") (map cons %s %s)))\n",
        sym_pool[rn(g, NSYM)], rn(g, 3), s, sym_pool[rn(g, NSYM)], rn(g, 3), s, s);
    out(g, "(write (equal? %s (reverse (reverse %s))))\n", s, s);
    out(g, "(write (map (lambda (x) (case x ((%s0 %s1) 'low) (else x))) %s))\n",
        sym_pool[rn(g, NSYM)], sym_pool[rn(g, NSYM)], s);
    break;
  case 5:   /* names that write shows as #{...}#, made at run time */
    out(g, "(write (list (string->symbol (string #\\%s)) (string->symbol (make-string %d #\\%s)) "
           "(string->symbol (list->string (list #\\%s #\\%s)))))\n",
        (const char *[]){"a", "(", "space", "#", "1", ".", "tab", "x3bb"}[rn(g, 8)], rn(g, 3),
        (const char *[]){"a", "{", "-", ";", "\""}[rn(g, 5)],
        (const char *[]){"+", "-", ".", "a", "9"}[rn(g, 5)],
        (const char *[]){"i", "1", "a", ".", "]"}[rn(g, 5)]);
    out(g, "(display (string->symbol (string-append %s %s)))\n", strs[rn(g, N_OF(strs))],
        strs[rn(g, N_OF(strs))]);
    break;
  case 6:   /* made symbols in vectors, tagged places, globals; symbol-append of them */
    out(g, "(define (%s n) (if (> n %d) (string->symbol (number->string n %d)) #f))\n", f,
        rn(g, 5), 2 + rn(g, 15));
    out(g, "(define %s (vector (%s %d) (%s %d) '%s))\n(write %s)\n", s, f, rn(g, 12), f,
        rn(g, 12), sym_pool[rn(g, NSYM)], s);
    out(g, "(write (map symbol? (vector->list %s)))\n", s);
    out(g, "(write (symbol-append '%s (string->symbol (symbol->string '%s)) (string->symbol "
           "(string #\\%c))))\n",
        sym_pool[rn(g, NSYM)], sym_pool[rn(g, NSYM)], 'a' + rn(g, 26));
    break;
  case 7:   /* errors */
    if (!on(g, GEN_ERRORS)) {
      out(g, "(write (symbol->string (string->symbol (string-upcase \"%s\"))))\n",
          sym_pool[rn(g, NSYM)]);
      break;
    }
    switch (rn(g, 4)) {
    case 0: out(g, "(string->symbol %d)\n", rn(g, 9)); break;
    case 1: out(g, "(symbol-append 'a (string->symbol \"b\") %d)\n", rn(g, 9)); break;
    case 2:
      out(g, "(string-set! (symbol->string (string->symbol (string-append \"%s\" \"q\"))) 0 #\\z)\n",
          sym_pool[rn(g, NSYM)]);
      break;
    default: out(g, "(vector-ref (string->symbol (string #\\%c)) 0)\n", 'a' + rn(g, 26)); break;
    }
    break;
  case 8:   /* the same name made many times: interned once */
    out(g, "(define (%s k) (let loop ((i 0) (acc '())) (if (= i k) acc (loop (+ i 1) (cons "
           "(string->symbol (string-append \"%s\" (number->string (modulo i 3)))) acc)))))\n",
        f, sym_pool[rn(g, NSYM)]);
    out(g, "(write (%s %d))\n(write (eq? (car (%s 2)) (cadr (%s 4))))\n", f, rn(g, 8), f, f);
    break;
  case 0:
    out(g, "(define (%s n) (string->symbol (string-append \"%s\" (number->string n))))\n", f,
        sym_pool[rn(g, NSYM)]);
    out(g, "(define %s (%s %d))\n(write %s)\n(display (eq? %s '%s%d))\n", s, f, rn(g, 4), s, s,
        sym_pool[rn(g, NSYM)], rn(g, 4));
    out(g, "(write (symbol->string (%s %d)))\n", f, rn(g, 20));
    break;
  case 1:
    out(g, "(write (string->symbol %s))\n(display (string->symbol %s))\n",
        strs[rn(g, N_OF(strs))], strs[rn(g, N_OF(strs))]);
    out(g, "(display (eq? '%s (string->symbol (symbol->string '%s))))\n",
        sym_pool[rn(g, NSYM)], sym_pool[rn(g, NSYM)]);
    break;
  case 2:
    out(g, "(write (symbol-append '%s '%s))\n(write (symbol-append))\n", sym_pool[rn(g, NSYM)],
        sym_pool[rn(g, NSYM)]);
    out(g, "(display (eq? (symbol-append 'a 'b) 'ab))\n");
    if (on(g, GEN_ERRORS) && chance(g, 40)) out(g, "(symbol-append 'a \"b\")\n");
    break;
  default:
    out(g, "(write (map (lambda (c) (string->symbol (string c))) (string->list %s)))\n",
        strs[rn(g, N_OF(strs))]);
    out(g, "(write (case (string->symbol (list->string (list #\\%s))) ((a b c) 'abc) "
           "(else 'other)))\n",
        sym_pool[rn(g, NSYM)]);
    break;
  }
}

bool gx_top(gen *g) {
  int r = rn(g, 100);
  if (r < 12) gac_top(g);   /* gen-applycc.c */
  else if (r < 30) escapes(g);
  else if (r < 45) gw_top(g);   /* gen-wind.c */
  else if (r < 70) out_ports(g);
  else if (r < 80) in_ports(g);
  else symbols(g);
  out(g, "(newline)\n");
  return true;
}
