/* prelude-read.c - Guile's read (from a string port), object->string
 * (of one argument: as write writes it),
 * call-with-input-string, make-parameter and parameterize, written in
 * tvl and loaded as prelude.c loads its own (before the first top-level
 * form that names one, compiled like the program's own code).
 *
 * read takes the port of open-input-string (tvl has no other input
 * port: without one it is an error that says so) and reads the
 * common part of Guile's syntax: integers, symbols, strings (escapes \n
 * \t \\ \"), characters (#\a, #\space, #\newline, #\tab: a name is told
 * by its first letter and length), #t #f #true #false, lists (dotted too, with () or []), vectors, ' ` , ,@ and
 * comments from ; to the end of the line; at the end of the text the
 * end-of-file object.  Anything else (other escapes and character names,
 * #| |# and #; comments, a number with a point) is an error that names
 * it: the whole reader is one machine in compiled code, and every case
 * costs every program that reads (a reader with all of Guile's cases
 * made models past the size limit).
 *
 * A parameter is a procedure of its value: no argument gives the value,
 * one sets it (as Guile 3.0.8's do), and two, a mark of this file's and
 * a value, are how parameterize converts a value (through the converter
 * given to make-parameter) and swaps it in and out around its body, with
 * dynamic-wind, so that an escape restores the value.
 *
 * Names that start with % are this file's helpers.  The table ends in
 * entries without a name (room for PRELUDE_READ_MAX). */
#include "config.h"

#include "session.h"

const prelude_def prelude_read_defs[PRELUDE_READ_MAX] = {
    /* only Guile's first argument: with a printer procedure the model of
       any program that wrote a list through it passed the size limit */
    {"object->string", false,
     "(define (object->string x) (format #f \"~s\" x))\n"},
    {"call-with-input-string", false,
     "(define (call-with-input-string s proc) (proc (open-input-string s)))\n"},
    {"make-parameter", false,
     "(define (make-parameter value . converter)\n"
     "  (let* ((convert (if (pair? converter) (car converter) (lambda (x) x)))\n"
     "         (v (convert value)))\n"
     "    (lambda args\n"
     "      (cond ((null? args) v)\n"
     "            ((null? (cdr args)) (set! v (car args)))\n"
     "            ((eq? (car args) '%tvl-parameter-convert) (convert (car (cdr args))))\n"
     "            (else (let ((old v)) (set! v (car (cdr args))) old))))))\n"},
    {"parameterize", false,
     "(define-syntax parameterize\n"
     "  (syntax-rules ()\n"
     "    ((_ () body ...) (let () body ...))\n"
     "    ((_ ((p e) more ...) body ...)\n"
     "     (let* ((param p) (v (param '%tvl-parameter-convert e)))\n"
     "       (dynamic-wind\n"
     "        (lambda () (set! v (param '%tvl-parameter-swap v)))\n"
     "        (lambda () (parameterize (more ...) body ...))\n"
     "        (lambda () (set! v (param '%tvl-parameter-swap v))))))))\n"},
    {"read", false,
     "(define (read . port)\n"
     "  (if (null? port)\n"
     "      (error \"read: tvl reads only from a string port (open-input-string), not from the standard input\"))\n"
     "  (%read-datum (car port) 0))\n"},
    /* one place that peeks and one that reads: each call of a port
       builtin is a few hundred FFN units of the model */
    {"%read-peek", false,
     "(define (%read-peek p) (peek-char p))\n"},
    {"%read-next", false,
     "(define (%read-next p) (read-char p))\n"},
    {"%read-chars", false,
     "(define (%read-chars acc) (list->string (reverse acc)))\n"},
    /* the next character that is not white space or in a comment */
    {"%read-skip", false,
     "(define (%read-skip p)\n"
     "  (let ((c (%read-peek p)))\n"
     "    (cond ((eof-object? c) c)\n"
     "          ((char-whitespace? c) (%read-next p) (%read-skip p))\n"
     "          ((char=? c #\\;)\n"
     "           (let line ()\n"
     "             (let ((c (%read-next p)))\n"
     "               (if (or (eof-object? c) (char=? c #\\newline)) (%read-skip p) (line)))))\n"
     "          (else c))))\n"},
    {"%read-token", false,
     "(define (%read-token p acc)\n"
     "  (let ((c (%read-peek p)))\n"
     "    (if (or (eof-object? c) (char-whitespace? c)\n"
     "            (case c ((#\\( #\\) #\\[ #\\] #\\\" #\\;) #t) (else #f)))\n"
     "        (%read-chars acc)\n"
     "        (%read-token p (cons (%read-next p) acc)))))\n"},
    /* a token's datum: an integer (its digits, with a sign) or a symbol;
       the dot of a dotted list is the symbol %tvl-read-dot */
    {"%read-atom", false,
     "(define (%read-atom t)\n"
     "  (let* ((n (string-length t)) (c (string-ref t 0))\n"
     "         (i0 (if (and (> n 1) (or (char=? c #\\-) (char=? c #\\+))) 1 0)))\n"
     "    (let loop ((i i0) (v 0))\n"
     "      (cond ((= i n) (if (char=? c #\\-) (- 0 v) v))\n"
     "            ((char-numeric? (string-ref t i))\n"
     "             (loop (+ i 1) (+ (* v 10) (- (char->integer (string-ref t i)) 48))))\n"
     "            ((string=? t \".\") '%tvl-read-dot)\n"
     "            (else (string->symbol t))))))\n"},
    /* the next datum; inside a list (in 1) a ")" is the symbol
       %tvl-read-close and the end of the text an error (in is an
       integer, so that the procedure is compiled once rather than into
       each caller) */
    {"%read-datum", false,
     "(define (%read-datum p in)\n"
     "  (set! in (= in 1))\n"
     "  (let ((c (%read-skip p)))\n"
     "    (cond ((eof-object? c) (if in (error \"read: end of file inside a datum\") c))\n"
     "          ((case c ((#\\( #\\) #\\[ #\\] #\\\" #\\# #\\' #\\` #\\,) #f) (else #t))\n"
     "           (%read-atom (%read-token p '())))\n"
     "          (else\n"
     "           (%read-next p)\n"
     "           (case c\n"
     "             ((#\\) #\\]) (if in '%tvl-read-close (error \"read: unexpected close parenthesis\")))\n"
     "             ((#\\( #\\[) (%read-list p '()))\n"
     "             ((#\\\") (%read-string p '()))\n"
     "             ((#\\#) (%read-hash p))\n"
     "             (else\n"
     "              (let ((q (case c\n"
     "                         ((#\\') 'quote)\n"
     "                         ((#\\`) 'quasiquote)\n"
     "                         (else (if (eqv? (%read-peek p) #\\@)\n"
     "                                   (begin (%read-next p) 'unquote-splicing)\n"
     "                                   'unquote)))))\n"
     "                (list q (%read-datum p 1)))))))))\n"},
    {"%read-list", false,
     "(define (%read-list p acc)\n"
     "  (let ((x (%read-datum p 1)))\n"
     "    (cond ((eq? x '%tvl-read-close) (reverse acc))\n"
     "          ((and (eq? x '%tvl-read-dot) (pair? acc))\n"
     "           (let ((tail (%read-datum p 1)))\n"
     "             (if (eq? (%read-datum p 1) '%tvl-read-close)\n"
     "                 (let onto ((r acc) (t tail)) (if (null? r) t (onto (cdr r) (cons (car r) t))))\n"
     "                 (error \"read: more than one datum after the dot of a list\"))))\n"
     "          (else (%read-list p (cons x acc))))))\n"},
    {"%read-string", false,
     "(define (%read-string p acc)\n"
     "  (let ((c (%read-next p)))\n"
     "    (cond ((eof-object? c) (error \"read: end of file inside a string\"))\n"
     "          ((char=? c #\\\") (%read-chars acc))\n"
     "          ((char=? c #\\\\)\n"
     "           (let ((e (%read-next p)))\n"
     "             (%read-string p (cons (case e\n"
     "                                     ((#\\n) #\\newline)\n"
     "                                     ((#\\t) #\\tab)\n"
     "                                     ((#\\\\ #\\\") e)\n"
     "                                     (else (error \"read: an escape tvl does not read in a string:\" e)))\n"
     "                                   acc))))\n"
     "          (else (%read-string p (cons c acc))))))\n"},
    /* after #: a vector, a character (a name told by its first letter and
       length), a boolean */
    {"%read-hash", false,
     "(define (%read-hash p)\n"
     "  (let ((c (%read-next p)))\n"
     "    (cond ((eqv? c #\\() (list->vector (%read-list p '())))\n"
     "          ((eqv? c #\\\\)\n"
     "           (let* ((c (%read-next p)) (n (string-length (%read-token p '()))))\n"
     "             (cond ((= n 0) c)\n"
     "                   ((and (char=? c #\\s) (= n 4)) #\\space)\n"
     "                   ((and (char=? c #\\n) (= n 6)) #\\newline)\n"
     "                   ((and (char=? c #\\t) (= n 2)) #\\tab)\n"
     "                   (else (error \"read: a character name tvl does not read, after #\\\\\" c)))))\n"
     "          (else\n"
     "           (let ((n (string-length (%read-token p '()))))\n"
     "             (cond ((and (eqv? c #\\t) (or (= n 0) (= n 3))) #t)\n"
     "                   ((and (eqv? c #\\f) (or (= n 0) (= n 4))) #f)\n"
     "                   (else (error \"read: a # syntax tvl does not read:\" c))))))))\n"},
};
