/* prelude-lists.c - Guile's core list mutators written in tvl, loaded as
 * prelude.c loads its own (before the first top-level form that names
 * one, compiled like the program's own code, so that the evaluator and
 * compiled code agree by construction; programs that never name one pay
 * nothing): append!, reverse! (with its optional new tail), list-set!
 * and Guile's core list-index (list first, then the element compared
 * with eq?, boot-9's definition: SRFI-1's, predicate first, replaces it
 * after (use-modules (srfi srfi-1)), prelude.c).
 *
 * Guile's errors, in tvl's words: append! wants each argument but the
 * last to be a proper list (Guile: "expecting pair", "expecting empty
 * list"), reverse! a proper list (its new tail may be anything),
 * list-set! an index of the list ("out of range").  They print as Guile
 * prints its own (lang/proctext.c). */
#include "config.h"

#include "session.h"

const prelude_def prelude_lists_defs[PRELUDE_LISTS_MAX] = {
    {"append!", false,
     "(define (append! . ls)\n"
     "  (define (end l)\n"
     "    (let loop ((p l))\n"
     "      (cond ((pair? (cdr p)) (loop (cdr p)))\n"
     "            ((null? (cdr p)) p)\n"
     "            (else (error \"append!: argument must be a proper list:\" l)))))\n"
     "  (let skip ((ls ls))\n"
     "    (cond ((null? ls) '())\n"
     "          ((null? (cdr ls)) (car ls))\n"
     "          ((null? (car ls)) (skip (cdr ls)))\n"
     "          ((not (pair? (car ls))) (error \"append!: argument must be a proper list:\" (car ls)))\n"
     "          (else\n"
     "           (let loop ((last (end (car ls))) (ls (cdr ls)))\n"
     "             (cond ((null? (cdr ls)) (set-cdr! last (car ls)))\n"
     "                   ((null? (car ls)) (loop last (cdr ls)))\n"
     "                   ((pair? (car ls)) (set-cdr! last (car ls)) (loop (end (car ls)) (cdr ls)))\n"
     "                   (else (error \"append!: argument must be a proper list:\" (car ls)))))\n"
     "           (car ls)))))\n"},
    {"reverse!", false,
     "(define (reverse! l . tail)\n"
     "  (let loop ((p l) (acc (if (pair? tail) (car tail) '())))\n"
     "    (cond ((pair? p) (let ((next (cdr p))) (set-cdr! p acc) (loop next p)))\n"
     "          ((null? p) acc)\n"
     "          (else (error \"reverse!: argument must be a proper list:\" l)))))\n"},
    {"list-set!", false,
     "(define (list-set! l k v)\n"
     "  (if (not (and (integer? k) (>= k 0)))\n"
     "      (error \"list-set!: the index must be a non-negative integer:\" k))\n"
     "  (let loop ((p l) (i k))\n"
     "    (cond ((not (pair? p)) (error \"list-set!: index out of range:\" k))\n"
     "          ((= i 0) (set-car! p v) v)\n"
     "          (else (loop (cdr p) (- i 1))))))\n"},
    /* output is written as it is made: nothing waits to be flushed */
    {"force-output", false,
     "(define (force-output . port) (if #f #f))\n"},
    {"list-index", false,
     "(define (list-index l k)\n"
     "  (let loop ((n 0) (l l))\n"
     "    (and (not (null? l))\n"
     "         (if (eq? (car l) k) n (loop (+ n 1) (cdr l))))))\n"},
};
