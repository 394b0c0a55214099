/* prelude-read.c - Guile's read (from a string port), object->string
 * (of one argument: as write writes it), call-with-input-string,
 * with-input-from-string (whose thunk's read, read-char and peek-char
 * without a port read the string: prelude-ranges.c renames those calls
 * of the builtins), make-parameter and parameterize, written in
 * tvl and loaded as prelude.c loads its own (before the first top-level
 * form that names one, compiled like the program's own code).
 *
 * read takes the port of open-input-string (tvl has no other input
 * port: without one, outside with-input-from-string, it is an error
 * that says so) and reads the common
 * part of Guile's syntax: integers, symbols, strings (escapes \n \t \\
 * \"), characters (#\a, #\space, #\newline, #\tab: a name is told by its
 * first letter and length), #t #f #true #false, lists (dotted too, with
 * () or []), vectors, ' ` , ,@ and comments from ; to the end of the
 * line; at the end of the text the end-of-file object.  Anything else
 * (other escapes and character names, #| |# and #; comments, a number
 * with a point) is an error that names it.  The whole reader is one
 * machine in compiled code, and every step of it costs every program
 * that reads: it calls the port builtins in few places, and has its own
 * loops where a builtin would inline checks and error texts (reverse,
 * length, list->vector); it still makes some 17,000 FFN units (about
 * 150 million weights; the limit is 268 million).
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
     "            ((and (eq? (car args) '%tvl-parameter-swap) (null? (cdr (cdr args))))\n"
     "             (let ((old v)) (set! v (car (cdr args))) old))\n"
     "            (else (error \"a parameter takes no argument or one, not\" (length args)))))))\n"},
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
    /* the current input port: the port of with-input-from-string's
       string while its thunk runs (%current-input-depth > 0); none
       outside (tvl has no standard input).  Always a port, so that
       compiled code keeps one kind in the variable */
    {"%current-input", false,
     "(define %current-input (open-input-string \"\"))\n"},
    {"%current-input-depth", false,
     "(define %current-input-depth 0)\n"},
    {"%current-input-port", false,
     "(define (%current-input-port who)\n"
     "  (if (= %current-input-depth 0)\n"
     "      (error (string-append who \": tvl reads only from a string port (open-input-string, with-input-from-string), not from the standard input\")))\n"
     "  %current-input)\n"},
    {"with-input-from-string", false,
     "(define (with-input-from-string s thunk)\n"
     "  (let ((old %current-input))\n"
     "    (set! %current-input (open-input-string s))\n"
     "    (set! %current-input-depth (+ %current-input-depth 1))\n"
     "    (let ((v (thunk)))\n"
     "      (set! %current-input old)\n"
     "      (set! %current-input-depth (- %current-input-depth 1))\n"
     "      v)))\n"},
    {"%read-char/current", false,
     "(define (%read-char/current) (read-char (%current-input-port \"read-char\")))\n"},
    {"%peek-char/current", false,
     "(define (%peek-char/current) (peek-char (%current-input-port \"peek-char\")))\n"},
    {"read", false,
     "(define (read . port)\n"
     "  (%read-datum (if (null? port) (%current-input-port \"read\") (car port)) 0))\n"},
    /* the next character that is not white space or in a comment (1 in
       comment: inside one) */
    {"%read-skip", false,
     "(define (%read-skip p comment)\n"
     "  (let ((c (peek-char p)))\n"
     "    (cond ((eof-object? c) c)\n"
     "          ((or (= comment 1) (char-whitespace? c) (char=? c #\\;))\n"
     "           (read-char p)\n"
     "           (%read-skip p (cond ((char=? c #\\;) 1) ((char=? c #\\newline) 0) (else comment))))\n"
     "          (else c))))\n"},
    /* the characters of a token, last first (first 1: the first is taken
       even if it is a delimiter, as in #\( ) */
    {"%read-token", false,
     "(define (%read-token p acc first)\n"
     "  (let ((c (peek-char p)))\n"
     "    (if (and (= first 0)\n"
     "             (or (eof-object? c) (char-whitespace? c)\n"
     "                 (case c ((#\\( #\\) #\\[ #\\] #\\\" #\\;) #t) (else #f))))\n"
     "        acc\n"
     "        (%read-token p (cons (read-char p) acc) 0))))\n"},
    /* a token's datum: an integer (its digits, with a sign) or a symbol;
       the dot of a dotted list is the symbol %tvl-read-dot */
    {"%read-atom", false,
     "(define (%read-atom r)\n"
     "  (let* ((l (%read-rev r '())) (c (car l))\n"
     "         (digits (if (and (pair? (cdr l)) (or (char=? c #\\-) (char=? c #\\+))) (cdr l) l)))\n"
     "    (let loop ((d digits) (v 0))\n"
     "      (cond ((null? d) (if (char=? c #\\-) (- 0 v) v))\n"
     "            ((char-numeric? (car d)) (loop (cdr d) (+ (* v 10) (- (char->integer (car d)) 48))))\n"
     "            ((and (char=? c #\\.) (null? (cdr l))) '%tvl-read-dot)\n"
     "            (else (string->symbol (list->string l)))))))\n"},
    /* the next datum; inside a list (in 1) a ")" is the symbol
       %tvl-read-close and the end of the text an error.  in is an
       integer, so that its kind is fixed and the procedure compiled once
       rather than into each caller */
    {"%read-datum", false,
     "(define (%read-datum p in)\n"
     "  (let ((c (%read-skip p 0)))\n"
     "    (cond ((eof-object? c) (if (= in 1) (error \"read: end of file inside a datum\") c))\n"
     "          ((case c ((#\\( #\\) #\\[ #\\] #\\\" #\\# #\\' #\\` #\\,) #f) (else #t))\n"
     "           (%read-atom (%read-token p '() 0)))\n"
     "          (else\n"
     "           (read-char p)\n"
     "           (case c\n"
     "             ((#\\) #\\]) (if (= in 1) '%tvl-read-close (error \"read: unexpected close parenthesis\")))\n"
     "             ((#\\( #\\[) (%read-list p '()))\n"
     "             ((#\\\") (%read-string p '() 0))\n"
     "             ((#\\#) (%read-hash p))\n"
     "             (else\n"
     "              (list (case c\n"
     "                      ((#\\') 'quote)\n"
     "                      ((#\\`) 'quasiquote)\n"
     "                      (else (if (eqv? (peek-char p) #\\@)\n"
     "                                (begin (read-char p) 'unquote-splicing)\n"
     "                                'unquote)))\n"
     "                    (%read-datum p 1))))))))\n"},
    {"%read-list", false,
     "(define (%read-list p acc)\n"
     "  (let ((x (%read-datum p 1)))\n"
     "    (cond ((eq? x '%tvl-read-close) (%read-rev acc '()))\n"
     "          ((and (eq? x '%tvl-read-dot) (pair? acc))\n"
     "           (let ((tail (%read-datum p 1)))\n"
     "             (if (eq? (%read-datum p 1) '%tvl-read-close)\n"
     "                 (%read-rev acc tail)\n"
     "                 (error \"read: more than one datum after the dot of a list\"))))\n"
     "          (else (%read-list p (cons x acc))))))\n"},
    {"%read-string", false,
     "(define (%read-string p acc esc)\n"
     "  (let ((c (read-char p)))\n"
     "    (cond ((eof-object? c) (error \"read: end of file inside a string\"))\n"
     "          ((= esc 1)\n"
     "           (%read-string p (cons (case c\n"
     "                                   ((#\\n) #\\newline)\n"
     "                                   ((#\\t) #\\tab)\n"
     "                                   ((#\\\\ #\\\") c)\n"
     "                                   (else (error \"read: an escape tvl does not read in a string:\" c)))\n"
     "                                 acc) 0))\n"
     "          ((char=? c #\\\\) (%read-string p acc 1))\n"
     "          ((char=? c #\\\") (list->string (%read-rev acc '())))\n"
     "          (else (%read-string p (cons c acc) 0)))))\n"},
    {"%read-hash", false,
     "(define (%read-hash p)\n"
     "  (let ((c (read-char p)))\n"
     "    (if (eqv? c #\\()\n"
     "        (let* ((l (%read-list p '())) (v (make-vector (%read-count l 0) #f)))\n"
     "          (let fill ((l l) (i 0)) (if (pair? l) (begin (vector-set! v i (car l)) (fill (cdr l) (+ i 1))) v)))\n"
     "        (let* ((t (%read-token p '() (if (eqv? c #\\\\) 1 0))) (n (%read-count t 0)))\n"
     "          (cond ((eqv? c #\\\\)\n"
     "                 (let ((c (car (%read-rev t '()))))\n"
     "                   (cond ((= n 1) c)\n"
     "                         ((and (char=? c #\\s) (= n 5)) #\\space)\n"
     "                         ((and (char=? c #\\n) (= n 7)) #\\newline)\n"
     "                         ((and (char=? c #\\t) (= n 3)) #\\tab)\n"
     "                         (else (error \"read: a character name tvl does not read:\" (list->string (%read-rev t '())))))))\n"
     "                ((and (eqv? c #\\t) (or (= n 0) (= n 3))) #t)\n"
     "                ((and (eqv? c #\\f) (or (= n 0) (= n 4))) #f)\n"
     "                (else (error \"read: a # syntax tvl does not read:\" c)))))))\n"},
    {"%read-rev", false,
     "(define (%read-rev l acc) (if (pair? l) (%read-rev (cdr l) (cons (car l) acc)) acc))\n"},
    {"%read-count", false,
     "(define (%read-count l n) (if (pair? l) (%read-count (cdr l) (+ n 1)) n))\n"},

};
