/* prelude-guile.c - more of the procedures GNU Guile 3.0.8 binds without
 * a module, written in tvl and loaded as prelude.c loads its own (before
 * the first top-level form that names one, compiled like the program's
 * own code, so that the evaluator and compiled code agree by
 * construction; programs that never name one pay nothing):
 *
 * - procedures: noop (Guile's returns its first argument, #f without
 *   one), and=>, compose (of one or more procedures; the value of each
 *   but the last is passed on as one argument);
 * - strings: string-concatenate, string-rindex and string-index-right
 *   (a character or a predicate, optional start and end), string-delete
 *   and string-filter (Guile's order: the character or predicate first),
 *   string-titlecase (a letter after a letter is downcased, any other
 *   letter upcased: "a1b2" is "A1B2" in Guile), string-contains-ci,
 *   reverse-list->string, string-copy! and vector-copy! (R7RS: target,
 *   at, source, optional start and end; overlapping ranges of one string
 *   or vector copy as if through a temporary);
 * - lists: sort-list, merge, merge! (relinks the pairs of both lists, as
 *   Guile's), filter! (relinks the kept pairs), delete1!, delq1!, delv1!
 *   (the first match only, in place);
 * - integers: integer-length, logcount, logbit?, logtest, the
 *   euclidean, centered and round divisions (euclidean/ with its
 *   quotient and remainder procedures ...); sqrt of a perfect square
 *   (tvl has only exact integers: any other argument is an error that
 *   says so, as / says it has no rationals), and exact->inexact, which
 *   is always that error;
 * - gensym: a new symbol, " g" (as Guile's) or the prefix given followed
 *   by a counter (Guile's counter depends on what ran before; tvl's
 *   starts at 0).
 *
 * Errors of wrong kinds and ranges are the builtins' these call (string-ref,
 * vector-set!, car ...), pointing into "ice-9/boot-9.scm", as the other
 * library procedures' are.  Names that start with % are this file's
 * helpers.  The table ends in entries without a name (room for
 * PRELUDE_GUILE_MAX). */
#include "config.h"

#include "session.h"

const prelude_def prelude_guile_defs[PRELUDE_GUILE_MAX] = {
    {"noop", false,
     "(define (noop . args) (if (pair? args) (car args) #f))\n"},
    {"and=>", false,
     "(define (and=> value procedure) (if value (procedure value) #f))\n"},
    {"compose", false,
     "(define (compose proc . rest)\n"
     "  (if (null? rest) proc\n"
     "      (let ((g (apply compose rest)))\n"
     "        (lambda args (proc (apply g args))))))\n"},
    /* strings */
    {"string-concatenate", false,
     "(define (string-concatenate ls) (string-join ls \"\"))\n"},
    {"%string-match?", false,
     "(define (%string-match? p c) (if (char? p) (char=? p c) (p c)))\n"},
    {"string-rindex", false,
     "(define (string-rindex s p . r)\n"
     "  (let ((start (if (pair? r) (car r) 0))\n"
     "        (end (if (and (pair? r) (pair? (cdr r))) (car (cdr r)) (string-length s))))\n"
     "    (let loop ((i (- end 1)))\n"
     "      (cond ((< i start) #f)\n"
     "            ((%string-match? p (string-ref s i)) i)\n"
     "            (else (loop (- i 1)))))))\n"},
    {"string-index-right", false,
     "(define (string-index-right s p . r)\n"
     "  (let ((start (if (pair? r) (car r) 0))\n"
     "        (end (if (and (pair? r) (pair? (cdr r))) (car (cdr r)) (string-length s))))\n"
     "    (let loop ((i (- end 1)))\n"
     "      (cond ((< i start) #f)\n"
     "            ((%string-match? p (string-ref s i)) i)\n"
     "            (else (loop (- i 1)))))))\n"},
    {"%string-keep", false,
     "(define (%string-keep p s keep r)\n"
     "  (let ((start (if (pair? r) (car r) 0))\n"
     "        (end (if (and (pair? r) (pair? (cdr r))) (car (cdr r)) (string-length s))))\n"
     "    (let loop ((i (- end 1)) (acc '()))\n"
     "      (if (< i start) (list->string acc)\n"
     "          (let ((c (string-ref s i)))\n"
     "            (loop (- i 1) (if (eq? (if (%string-match? p c) #t #f) keep) (cons c acc) acc)))))))\n"},
    {"string-delete", false,
     "(define (string-delete p s . r) (%string-keep p s #f r))\n"},
    {"string-filter", false,
     "(define (string-filter p s . r) (%string-keep p s #t r))\n"},
    {"string-titlecase", false,
     "(define (string-titlecase s . r)\n"
     "  (let* ((n (string-length s))\n"
     "         (start (if (pair? r) (car r) 0))\n"
     "         (end (if (and (pair? r) (pair? (cdr r))) (car (cdr r)) n))\n"
     "         (out (string-copy s)))\n"
     "    (let loop ((i start) (in-word #f))\n"
     "      (if (>= i end) out\n"
     "          (let ((c (string-ref s i)))\n"
     "            (if (char-alphabetic? c)\n"
     "                (begin (string-set! out i (if in-word (char-downcase c) (char-upcase c)))\n"
     "                       (loop (+ i 1) #t))\n"
     "                (loop (+ i 1) #f)))))))\n"},
    {"string-contains-ci", false,
     "(define (string-contains-ci s1 s2)\n"
     "  (string-contains (string-downcase s1) (string-downcase s2)))\n"},
    {"reverse-list->string", false,
     "(define (reverse-list->string l) (list->string (reverse l)))\n"},
    {"string-copy!", false,
     "(define (string-copy! to at from . r)\n"
     "  (let* ((start (if (pair? r) (car r) 0))\n"
     "         (end (if (and (pair? r) (pair? (cdr r))) (car (cdr r)) (string-length from))))\n"
     "    (if (> start end) (error \"string-copy!: the end is before the start:\" end))\n"
     "    (if (> (+ at (- end start)) (string-length to))\n"
     "        (error \"string-copy!: the copy does not fit in the target string:\" (+ at (- end start))))\n"
     "    (if (<= at start)\n"
     "        (let loop ((i start) (j at))\n"
     "          (if (< i end) (begin (string-set! to j (string-ref from i)) (loop (+ i 1) (+ j 1)))))\n"
     "        (let loop ((i (- end 1)) (j (+ at (- end start 1))))\n"
     "          (if (>= i start) (begin (string-set! to j (string-ref from i)) (loop (- i 1) (- j 1))))))\n"
     "    (if #f #f)))\n"},
    {"vector-copy!", false,
     "(define (vector-copy! to at from . r)\n"
     "  (let* ((start (if (pair? r) (car r) 0))\n"
     "         (end (if (and (pair? r) (pair? (cdr r))) (car (cdr r)) (vector-length from))))\n"
     "    (if (> start end) (error \"vector-copy!: the end is before the start:\" end))\n"
     "    (if (> (+ at (- end start)) (vector-length to))\n"
     "        (error \"vector-copy!: the copy does not fit in the target vector:\" (+ at (- end start))))\n"
     "    (if (<= at start)\n"
     "        (let loop ((i start) (j at))\n"
     "          (if (< i end) (begin (vector-set! to j (vector-ref from i)) (loop (+ i 1) (+ j 1)))))\n"
     "        (let loop ((i (- end 1)) (j (+ at (- end start 1))))\n"
     "          (if (>= i start) (begin (vector-set! to j (vector-ref from i)) (loop (- i 1) (- j 1))))))\n"
     "    (if #f #f)))\n"},
    /* lists */
    {"sort-list", false,
     "(define (sort-list l less) (sort l less))\n"},
    {"merge", false,
     "(define (merge a b less)\n"
     "  (let loop ((a a) (b b) (acc '()))\n"
     "    (cond ((null? a) (let onto ((r acc) (t b)) (if (null? r) t (onto (cdr r) (cons (car r) t)))))\n"
     "          ((null? b) (let onto ((r acc) (t a)) (if (null? r) t (onto (cdr r) (cons (car r) t)))))\n"
     "          ((less (car b) (car a)) (loop a (cdr b) (cons (car b) acc)))\n"
     "          (else (loop (cdr a) b (cons (car a) acc))))))\n"},
    {"merge!", false,
     "(define (merge! a b less)\n"
     "  (cond ((null? a) b)\n"
     "        ((null? b) a)\n"
     "        (else\n"
     "         (let ((head (if (less (car b) (car a)) b a)))\n"
     "           (let loop ((last head) (a (if (eq? head a) (cdr a) a)) (b (if (eq? head b) (cdr b) b)))\n"
     "             (cond ((null? a) (set-cdr! last b) head)\n"
     "                   ((null? b) (set-cdr! last a) head)\n"
     "                   ((less (car b) (car a)) (set-cdr! last b) (loop b a (cdr b)))\n"
     "                   (else (set-cdr! last a) (loop a (cdr a) b))))))))\n"},
    {"filter!", false,
     "(define (filter! pred l)\n"
     "  (let skip ((l l))\n"
     "    (cond ((null? l) l)\n"
     "          ((pred (car l))\n"
     "           (let loop ((last l) (p (cdr l)))\n"
     "             (cond ((null? p) (set-cdr! last '()) l)\n"
     "                   ((pred (car p)) (set-cdr! last p) (loop p (cdr p)))\n"
     "                   (else (loop last (cdr p))))))\n"
     "          (else (skip (cdr l))))))\n"},
    {"%delete1!", false,
     "(define (%delete1! same? x l)\n"
     "  (cond ((null? l) l)\n"
     "        ((same? x (car l)) (cdr l))\n"
     "        (else (let loop ((p l))\n"
     "                (cond ((null? (cdr p)) l)\n"
     "                      ((same? x (car (cdr p))) (set-cdr! p (cdr (cdr p))) l)\n"
     "                      (else (loop (cdr p))))))))\n"},
    {"delete1!", false,
     "(define (delete1! x l) (%delete1! equal? x l))\n"},
    {"delq1!", false,
     "(define (delq1! x l) (%delete1! eq? x l))\n"},
    {"delv1!", false,
     "(define (delv1! x l) (%delete1! eqv? x l))\n"},
    /* integers */
    {"integer-length", false,
     "(define (integer-length n)\n"
     "  (if (not (integer? n)) (error \"integer-length: argument 1 must be an integer:\" n))\n"
     "  (let loop ((n (if (< n 0) (lognot n) n)) (k 0))\n"
     "    (if (= n 0) k (loop (ash n -1) (+ k 1)))))\n"},
    {"logcount", false,
     "(define (logcount n)\n"
     "  (if (not (integer? n)) (error \"logcount: argument 1 must be an integer:\" n))\n"
     "  (let loop ((n (if (< n 0) (lognot n) n)) (k 0))\n"
     "    (if (= n 0) k (loop (ash n -1) (+ k (logand n 1))))))\n"},
    {"logbit?", false,
     "(define (logbit? index n)\n"
     "  (if (not (and (integer? index) (>= index 0))) (error \"logbit?: argument 1 must be a non-negative integer:\" index))\n"
     "  (if (not (integer? n)) (error \"logbit?: argument 2 must be an integer:\" n))\n"
     "  (odd? (ash n (- 0 (min index 31)))))\n"},
    {"logtest", false,
     "(define (logtest a b)\n"
     "  (if (not (integer? a)) (error \"logtest: argument 1 must be an integer:\" a))\n"
     "  (if (not (integer? b)) (error \"logtest: argument 2 must be an integer:\" b))\n"
     "  (not (= (logand a b) 0)))\n"},
    {"%division-check", false,
     "(define (%division-check op n d)\n"
     "  (if (not (and (integer? n) (integer? d)))\n"
     "      (error \"integer division: the arguments must be integers:\" (list op n d)))\n"
     "  (if (= d 0) (error \"division by zero:\" (list op n d))))\n"},
    /* the euclidean quotient: the remainder is never negative */
    {"%euclidean-q", false,
     "(define (%euclidean-q op n d)\n"
     "  (%division-check op n d)\n"
     "  (let ((q (floor-quotient n d)))\n"
     "    (if (or (> d 0) (= (- n (* q d)) 0)) q (+ q 1))))\n"},
    {"euclidean-quotient", false,
     "(define (euclidean-quotient n d) (%euclidean-q 'euclidean-quotient n d))\n"},
    {"euclidean-remainder", false,
     "(define (euclidean-remainder n d) (- n (* d (%euclidean-q 'euclidean-remainder n d))))\n"},
    {"euclidean/", false,
     "(define (euclidean/ n d)\n"
     "  (let ((q (%euclidean-q 'euclidean/ n d))) (values q (- n (* q d)))))\n"},
    /* the centered quotient: -|d|/2 <= remainder < |d|/2 */
    {"%centered-q", false,
     "(define (%centered-q op n d)\n"
     "  (let* ((q (%euclidean-q op n d)) (r (- n (* q d))) (ad (if (< d 0) (- 0 d) d)))\n"
     "    (if (>= r (- ad r)) (if (< d 0) (- q 1) (+ q 1)) q)))\n"},
    {"centered-quotient", false,
     "(define (centered-quotient n d) (%centered-q 'centered-quotient n d))\n"},
    {"centered-remainder", false,
     "(define (centered-remainder n d) (- n (* d (%centered-q 'centered-remainder n d))))\n"},
    {"centered/", false,
     "(define (centered/ n d)\n"
     "  (let ((q (%centered-q 'centered/ n d))) (values q (- n (* q d)))))\n"},
    /* the rounded quotient, halves to the even one */
    {"%round-q", false,
     "(define (%round-q op n d)\n"
     "  (%division-check op n d)\n"
     "  (let* ((q (floor-quotient n d)) (r (- n (* q d)))\n"
     "         (ar (if (< r 0) (- 0 r) r)) (ad (if (< d 0) (- 0 d) d)))\n"
     "    (cond ((> ar (- ad ar)) (+ q 1))\n"
     "          ((and (= ar (- ad ar)) (odd? q)) (+ q 1))\n"
     "          (else q))))\n"},
    {"round-quotient", false,
     "(define (round-quotient n d) (%round-q 'round-quotient n d))\n"},
    {"round-remainder", false,
     "(define (round-remainder n d) (- n (* d (%round-q 'round-remainder n d))))\n"},
    {"round/", false,
     "(define (round/ n d)\n"
     "  (let ((q (%round-q 'round/ n d))) (values q (- n (* q d)))))\n"},
    {"%only-integers", false,
     "(define (%only-integers op x)\n"
     "  (error (string-append op \": (\" op \" \" (number->string x)\n"
     "                        \") is not an integer; tvl has only exact integers\")))\n"},
    {"sqrt", false,
     "(define (sqrt x)\n"
     "  (if (not (integer? x)) (error \"sqrt: argument 1 must be an integer:\" x))\n"
     "  (if (< x 0) (%only-integers \"sqrt\" x)\n"
     "      (call-with-values (lambda () (exact-integer-sqrt x))\n"
     "        (lambda (s r) (if (= r 0) s (%only-integers \"sqrt\" x))))))\n"},
    {"exact->inexact", false,
     "(define (exact->inexact x)\n"
     "  (if (not (integer? x)) (error \"exact->inexact: argument 1 must be an integer:\" x))\n"
     "  (%only-integers \"exact->inexact\" x))\n"},
    {"%gensym-counter", false,
     "(define %gensym-counter 0)\n"},
    {"gensym", false,
     "(define (gensym . prefix)\n"
     "  (let ((n %gensym-counter))\n"
     "    (set! %gensym-counter (+ n 1))\n"
     "    (string->symbol (string-append (if (pair? prefix) (car prefix) \" g\") (number->string n)))))\n"},
};
