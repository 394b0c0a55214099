/* gen-wind.c - dynamic-wind, catch and throw in the random programs of
 * tests/gen.c (with the escapes, flag `escapes`: tests/gen-escape.c
 * calls gw_top for a share of its forms), in the shapes programs write
 * them: nested dynamic-winds logging their before and after thunks,
 * the value of dynamic-wind used, escapes out of them by call/cc from a
 * loop, for-each, map or a recursion several calls deep; catch with a
 * key or #t around a throw with arguments, a recursion over a list made
 * by iota, map, reverse or append, an error (misc-error), in a loop;
 * nested catches whose inner key does not match; a handler that throws
 * again; throws through dynamic-winds (their after thunks run); the
 * handler's value used in arithmetic and lists; and the errors: an
 * uncaught throw, a key that is not a symbol, a builtin's error inside
 * a catch whose handler reads its arguments (compiled code refuses that
 * one at run time); the errors of builtins caught (builtin_errors).
 * with-exception-handler and raise-exception (handlers).  Each is a
 * self-contained form or few. */
#include "config.h"

#include "gen-int.h"

#include <stdio.h>

static const char *keys[] = {"'oops", "'stop", "'found", "'my-tag"};

static void a_list(gen *g) {
  switch (rn(g, 5)) {
  case 0: out(g, "(iota %d)", rn(g, 8)); break;
  case 1: out(g, "(map (lambda (x) (* x %d)) (iota %d))", 1 + rn(g, 3), rn(g, 8)); break;
  case 2: out(g, "(reverse (iota %d %d))", rn(g, 8), rn(g, 5)); break;
  case 3: out(g, "(append (iota %d) (list %d %d))", rn(g, 5), rn(g, 12), rn(g, 12)); break;
  default: out(g, "(list %d %d %d)", rn(g, 12), rn(g, 12), rn(g, 12)); break;
  }
}

static void winds(gen *g, const char *lg, const char *note) {
  char f[16], k[16];
  fresh_name(g, "dw", f);
  fresh_name(g, "k", k);
  int lim = rn(g, 9);
  switch (rn(g, 5)) {
  case 0:   /* nested, the value used */
    out(g, "(write (+ %d (dynamic-wind (lambda () (%s 'in1)) (lambda () (dynamic-wind "
           "(lambda () (%s 'in2)) (lambda () (%s 'body) %d) (lambda () (%s 'out2)))) "
           "(lambda () (%s 'out1)))))\n",
        rn(g, 9), note, note, note, rn(g, 50), note, note);
    break;
  case 1:   /* escape from a loop */
    out(g, "(define (%s n lst) (call/cc (lambda (%s) (dynamic-wind (lambda () (%s 'enter)) "
           "(lambda () (let loop ((l lst)) (cond ((null? l) #f) ((> (car l) n) (%s (car l))) "
           "(else (%s (car l)) (loop (cdr l)))))) (lambda () (%s 'leave))))))\n",
        f, k, note, k, note, note);
    out(g, "(write (list (%s %d ", f, lim);
    a_list(g);
    out(g, ") (%s %d ", f, lim);
    a_list(g);
    out(g, ")))\n");
    break;
  case 2:   /* escape from a recursion through winds */
    out(g, "(define (%s %s n) (if (= n 0) (%s 'bottom) (dynamic-wind (lambda () (%s (list 'down "
           "n))) (lambda () (%s %s (- n 1))) (lambda () (%s (list 'up n))))))\n",
        f, k, k, note, f, k, note);
    out(g, "(write (call/cc (lambda (%s) (%s %s %d))))\n", k, f, k, rn(g, 4));
    break;
  case 3:   /* out of for-each or map, the thunk's value otherwise */
    out(g, "(write (call/cc (lambda (%s) (dynamic-wind (lambda () (%s 'a)) (lambda () "
           "(%s (lambda (x) (if (= x %d) (%s (list 'esc x)) x)) ",
        k, note, chance(g, 50) ? "map" : "for-each", lim, k);
    a_list(g);
    out(g, ")) (lambda () (%s 'b))))))\n", note);
    break;
  default:   /* in a loop: each iteration's winds */
    out(g, "(do ((i 0 (+ i 1))) ((= i %d)) (dynamic-wind (lambda () (%s (list 'i i))) "
           "(lambda () (when (= i %d) (%s 'mid))) (lambda () (%s 'o))))\n",
        rn(g, 4), note, rn(g, 3), note, note);
    break;
  }
  out(g, "(write (reverse %s))\n", lg);
}

/* The errors of builtins inside a catch: a kind error in a recursion over
 * a list that may hold a symbol, an index out of range, a division by
 * zero; by catches of #t or of the error's key, nested with one of
 * another key, mostly with handlers that ignore the error's arguments
 * (compiled code takes those: lang/lower-wind.c), sometimes one that
 * reads them (compiled code refuses it at run time). */
static void builtin_errors(gen *g, const char *f) {
  static const char *const blind[] = {"(lambda (k . a) (list 'caught k))", "(lambda args 'failed)",
                                      "(lambda (k . r) k)"};
  const char *h = chance(g, 15) ? "(lambda (k . a) (list k (length a)))" : blind[rn(g, N_OF(blind))];
  switch (rn(g, 4)) {
  case 0:   /* a kind error deep in a recursion */
    out(g, "(define (%s l) (if (null? l) 0 (+ (car l) (%s (cdr l)))))\n", f, f);
    out(g, "(write (list (catch %s (lambda () (%s (list %d %s %d))) %s) ",
        chance(g, 50) ? "#t" : "'wrong-type-arg", f, rn(g, 9), chance(g, 60) ? "'x" : "2",
        rn(g, 9), h);
    out(g, "(catch #t (lambda () (%s ", f);
    a_list(g);
    out(g, ")) %s)))\n", h);
    break;
  case 1:   /* an index out of range (vector-ref, vector-set!), from a list */
    out(g, "(define %s (vector %d %d %d))\n", f, rn(g, 9), rn(g, 9), rn(g, 9));
    if (chance(g, 50))
      out(g, "(write (map (lambda (i) (catch %s (lambda () (* 2 (vector-ref %s i))) %s)) (list %d "
             "%d %d)))\n",
          chance(g, 50) ? "#t" : "'out-of-range", f, h, rn(g, 5), rn(g, 4), rn(g, 3));
    else
      out(g, "(write (map (lambda (i) (catch %s (lambda () (vector-set! %s i i) (vector-ref %s 0)) "
             "%s)) (list %d %d %d)))\n",
          chance(g, 50) ? "#t" : "'out-of-range", f, f, h, rn(g, 5), rn(g, 4), rn(g, 3));
    break;
  case 2:   /* a division by zero, in a loop */
    out(g, "(write (let loop ((i 0) (acc '())) (if (= i %d) (reverse acc) (loop (+ i 1) (cons "
           "(catch %s (lambda () (%s %d (- i %d))) %s) acc)))))\n",
        1 + rn(g, 5), chance(g, 50) ? "#t" : "'numerical-overflow",
        chance(g, 50) ? "quotient" : chance(g, 50) ? "remainder" : "modulo", rn(g, 50), rn(g, 4),
        h);
    break;
  default:   /* nested: the inner catch's key does not take it */
    out(g, "(write (catch %s (lambda () (catch '%s (lambda () (%s)) (lambda (k . a) 'inner))) %s))\n",
        chance(g, 50) ? "#t" : "'wrong-type-arg", chance(g, 50) ? "out-of-range" : "other",
        chance(g, 50) ? "cdr 5" : "car (list)", h);
    break;
  }
}

static void catches(gen *g, const char *lg, const char *note) {
  char f[16];
  fresh_name(g, "ct", f);
  const char *key = keys[rn(g, N_OF(keys))];
  int lim = rn(g, 9);
  switch (rn(g, 9)) {
  case 0:   /* a throw with arguments, the handler's value used */
    out(g, "(define (%s a b) (catch %s (lambda () (if (= b 0) (throw %s a b) (quotient a b))) "
           "(lambda (k x y) (list 'cannot x y))))\n",
        f, chance(g, 30) ? "#t" : key, key);
    out(g, "(write (map (lambda (b) (%s %d b)) ", f, rn(g, 50));
    a_list(g);
    out(g, "))\n");
    break;
  case 1:   /* around a recursion over a list */
    out(g, "(define (%s l) (cond ((null? l) 'none) ((> (car l) %d) (throw %s (car l))) (else "
           "(%s (cdr l)))))\n",
        f, lim, key, f);
    out(g, "(write (catch %s (lambda () (%s ", key, f);
    a_list(g);
    out(g, ")) (lambda (k v) (+ v %d))))\n", rn(g, 9));
    break;
  case 2:   /* nested: the inner key does not match */
    out(g, "(write (catch 'outer (lambda () (catch 'inner (lambda () (throw '%s %d)) "
           "(lambda (k . a) (list 'inner a)))) (lambda (k . a) (list 'outer k a))))\n",
        chance(g, 50) ? "outer" : "inner", rn(g, 9));
    break;
  case 3:   /* the handler throws again */
    out(g, "(write (catch 'outer (lambda () (catch 'inner (lambda () (throw 'inner %d)) "
           "(lambda (k v) (throw 'outer (* v 10))))) (lambda (k v) (+ v 1))))\n",
        rn(g, 9));
    break;
  case 4:   /* through dynamic-winds */
    out(g, "(write (catch %s (lambda () (dynamic-wind (lambda () (%s 'a-in)) (lambda () "
           "(dynamic-wind (lambda () (%s 'b-in)) (lambda () (throw %s 'now) (%s 'never)) "
           "(lambda () (%s 'b-out)))) (lambda () (%s 'a-out)))) (lambda (k v) (%s 'h) v)))\n",
        key, note, note, key, note, note, note, note);
    out(g, "(write (reverse %s))\n", lg);
    break;
  case 5:   /* an error, caught */
    out(g, "(write (catch %s (lambda () (error \"bad\" %d '%s)) (lambda (k . args) (list k "
           "args))))\n",
        chance(g, 50) ? "#t" : "'misc-error", rn(g, 9), sym_pool[rn(g, NSYM)]);
    out(g, "(write (catch #t (lambda () (+ 1 %d)) (lambda (k . a) 'no)))\n", rn(g, 9));
    break;
  case 6:   /* in a loop, counting */
    out(g, "(define %s 0)\n(do ((i 0 (+ i 1))) ((= i %d)) (catch 'odd (lambda () (if (odd? i) "
           "(throw 'odd i) (%s i))) (lambda (k v) (set! %s (+ %s v)))))\n(write (list %s "
           "(reverse %s)))\n",
        f, rn(g, 8), note, f, f, f, lg);
    break;
  case 7:   /* a builtin's error, caught */
    builtin_errors(g, f);
    break;
  default:   /* errors */
    if (!on(g, GEN_ERRORS)) {
      out(g, "(write (catch #t (lambda () (throw %s)) (lambda (k) k)))\n", key);
      break;
    }
    switch (rn(g, 4)) {
    case 0: out(g, "(write 'before)\n(throw %s %d \"s\")\n", key, rn(g, 9)); break;
    case 1: out(g, "(catch %d (lambda () 1) (lambda (k) 2))\n", rn(g, 9)); break;
    case 2:
      out(g, "(write (catch #t (lambda () (car (list))) (lambda (k . a) k)))\n");
      break;
    default:
      out(g, "(catch 'other (lambda () (throw %s 1)) (lambda (k v) v))\n", key);
      break;
    }
    break;
  }
}

/* with-exception-handler and raise-exception: a handler called where
 * the raise is (its value used by raise-exception #:continuable? #t,
 * once or in a loop), one escaped to (#:unwind? #t, or call/cc), nested
 * handlers where the inner one raises again, a raise from a recursion
 * several calls deep or through dynamic-winds, a catch of #t around a
 * raise (its key %exception), the handler's value where nothing is
 * raised; errors, throws and builtins' errors to a handler of
 * #:unwind? #t that ignores its argument; and the errors: a handler
 * returning from a raise that is not continuable, a raise no handler
 * takes. */
static void handlers(gen *g, const char *lg, const char *note) {
  char f[16], k[16];
  fresh_name(g, "eh", f);
  fresh_name(g, "k", k);
  int v = rn(g, 20);
  switch (rn(g, 12)) {
  case 10:   /* an error, a throw or a builtin's error, to a handler that ignores it:
              * unwound to, or (v odd) called where the error is, escaping */
    if (v & 1)
      out(g, "(define (%s x) (call/cc (lambda (%s) (with-exception-handler (lambda (_) (%s "
             "'failed)) (lambda () ", f, k, k);
    else
      out(g, "(define (%s x) (with-exception-handler (lambda (_) 'failed) (lambda () ", f);
    switch (rn(g, 4)) {
    case 0: out(g, "(if (> x %d) (error \"too big\" x) x)", rn(g, 8)); break;
    case 1: out(g, "(if (> x %d) (throw '%s x) (* x 3))", rn(g, 8), sym_pool[rn(g, NSYM)]); break;
    case 2: out(g, "(quotient %d (- x %d))", 10 + rn(g, 30), rn(g, 8)); break;
    default: out(g, "(vector-ref (vector 1 2 3) x)"); break;
    }
    out(g, v & 1 ? ")))))\n(write (map %s " : ") #:unwind? #t))\n(write (map %s ", f);
    a_list(g);
    out(g, "))\n");
    break;
  case 11:   /* ... through dynamic-winds, the log written; (v odd) the handler
              * logs where the error is, before the after thunk, and escapes */
    if (v & 1) {
      out(g, "(write (call/cc (lambda (%s) (with-exception-handler (lambda (e) (%s 'handled) "
             "(%s 'handled)) (lambda () (dynamic-wind (lambda () (%s 'in)) (lambda () (car "
             "(list-tail (list 1 2) %d))) (lambda () (%s 'out))))))))\n(write (reverse %s))\n",
          k, note, k, note, rn(g, 4), note, lg);
      break;
    }
    out(g, "(write (with-exception-handler (lambda (e) 'handled) (lambda () (dynamic-wind "
           "(lambda () (%s 'in)) (lambda () (car (list-tail (list 1 2) %d))) (lambda () (%s "
           "'out)))) #:unwind? #t))\n(write (reverse %s))\n",
        note, rn(g, 4), note, lg);
    break;
  case 0:   /* continuable, the handler's value used */
    out(g, "(write (with-exception-handler (lambda (e) (* e %d)) (lambda () (+ %d "
           "(raise-exception %d #:continuable? #t)))))\n",
        1 + rn(g, 4), rn(g, 9), v);
    break;
  case 1:   /* continuable in a loop, the handler logging */
    out(g, "(write (with-exception-handler (lambda (e) (%s e) (+ e %d)) (lambda () (let loop "
           "((i 0) (acc '())) (if (= i %d) (reverse acc) (loop (+ i 1) (cons "
           "(raise-exception i #:continuable? #t) acc)))))))\n(write (reverse %s))\n",
        note, rn(g, 5), rn(g, 6), lg);
    break;
  case 2:   /* unwound to */
    out(g, "(define (%s x) (with-exception-handler (lambda (e) (list 'bad e)) (lambda () (if "
           "(> x %d) (raise-exception (list 'big x)) (* x 2))) #:unwind? #t))\n",
        f, rn(g, 8));
    out(g, "(write (map %s ", f);
    a_list(g);
    out(g, "))\n");
    break;
  case 3:   /* escaped from by call/cc */
    out(g, "(write (call/cc (lambda (%s) (with-exception-handler (lambda (e) (%s (cons 'esc e))) "
           "(lambda () (for-each (lambda (x) (if (> x %d) (raise-exception x) (%s x))) ",
        k, k, rn(g, 6), note);
    a_list(g);
    out(g, ") 'done)))))\n(write (reverse %s))\n", lg);
    break;
  case 4:   /* nested: the inner handler raises again */
    out(g, "(write (with-exception-handler (lambda (e) (list 'outer e)) (lambda () "
           "(with-exception-handler (lambda (e) (raise-exception (list 'inner e))) (lambda () "
           "(raise-exception '%s)))) #:unwind? #t))\n",
        sym_pool[rn(g, NSYM)]);
    break;
  case 5:   /* from a recursion, through dynamic-winds */
    out(g, "(define (%s n) (if (= n 0) (raise-exception 'bottom) (dynamic-wind (lambda () (%s "
           "(list 'in n))) (lambda () (+ 1 (%s (- n 1)))) (lambda () (%s (list 'out n))))))\n",
        f, note, f, note);
    out(g, "(write (with-exception-handler (lambda (e) (list 'caught e)) (lambda () (%s %d)) "
           "#:unwind? #t))\n(write (reverse %s))\n",
        f, 1 + rn(g, 4), lg);
    break;
  case 6:   /* a catch of #t takes it */
    out(g, "(write (catch #t (lambda () (raise-exception %d)) (lambda (key . args) (list key "
           "args))))\n",
        v);
    break;
  case 7:   /* nothing raised; the handler's value where one is */
    out(g, "(write (list (with-exception-handler (lambda (e) 'h) (lambda () %d)) "
           "(with-exception-handler (lambda (e) (+ e 1)) (lambda () (raise-exception %d)) "
           "#:unwind? #t)))\n",
        v, rn(g, 9));
    break;
  case 8:   /* continuable, nested: the outer handler's value to the inner one */
    out(g, "(write (with-exception-handler (lambda (e) (* e 2)) (lambda () "
           "(with-exception-handler (lambda (e) (+ 1 (raise-exception e #:continuable? #t))) "
           "(lambda () (list (raise-exception %d #:continuable? #t)))))))\n",
        v);
    break;
  default:   /* errors */
    if (!on(g, GEN_ERRORS)) {
      out(g, "(write (with-exception-handler (lambda (e) e) (lambda () (raise-exception %d)) "
             "#:unwind? #t))\n",
          v);
      break;
    }
    if (chance(g, 50))
      out(g, "(write 'before)\n(write (with-exception-handler (lambda (e) %d) (lambda () (+ 1 "
             "(raise-exception %d)))))\n",
          v, rn(g, 9));
    else
      out(g, "(write 'before)\n(raise-exception '%s)\n", sym_pool[rn(g, NSYM)]);
    break;
  }
}

bool gw_top(gen *g) {
  char lg[16], note[16];
  fresh_name(g, "log", lg);
  fresh_name(g, "note", note);
  out(g, "(define %s '())\n(define (%s x) (set! %s (cons x %s)))\n", lg, note, lg, lg);
  int r = rn(g, 100);
  if (r < 40) winds(g, lg, note);
  else if (r < 75) catches(g, lg, note);
  else handlers(g, lg, note);   /* with-exception-handler, raise-exception */
  return true;
}
