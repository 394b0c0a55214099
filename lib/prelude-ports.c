/* prelude-ports.c - the text of a value as display and write show it,
 * written in tvl: what compiled code runs for (format #f ...) and for
 * output into string ports (lang/lower-ports.c), instead of the output
 * tokens the model emits for the program's own output.
 *
 * (%tvl-text x w d) is a new string of x's text under display (w #f) or
 * write (w #t), as the evaluator's value_print shows it (lang/world.c,
 * lang/chars.c): integers by number->string, symbols as #{...}# where
 * Guile writes them so (under display too, as Guile), strings and
 * characters escaped under write, lists (dotted too) and vectors walked,
 * the unspecified value; and the text of one kind (%tvl-int-text,
 * %tvl-symbol-display, %tvl-symbol-write, %tvl-write-string,
 * %tvl-char-name), which compiled code calls where the lowering found the
 * kind of the value written.
 *
 * Every statement of these procedures is a step of the model of each
 * program that writes into a string, and a model's weights grow with the
 * square of its steps: the texts are made small.  Every kind's text is
 * pushed, character by character, onto one list (newest first), which
 * one list->string turns into the string at the end; the characters of
 * a string, a symbol's name and a number's digits go through one loop
 * (%tvl-put-chars), whose escapes under write are computed from the
 * character code (no tables: a quoted vector is built by one statement
 * per element), and builtins that check their operands (string-ref,
 * reverse, string-join, memv) appear once each or not at all.
 *
 * They are loaded (lib/prelude.c) only before a form that names format
 * with other than #t, a string port procedure or an output call with a
 * port, and only compiled code calls them: the evaluator keeps its own
 * printer, and the differential tests compare the two.  What they cannot
 * show as the evaluator does (a procedure, a character past ASCII under
 * write, a value nested more than 100 deep or inside itself, a list
 * longer than 10000) stops the compiled program with %tvl-cannot, which
 * compiled code raises as a refusal ("compiled code ...",
 * lang/lower-ports.c), never a wrong text.  %tvl-port-join makes the
 * string of a port's pieces (newest first). */
#include "config.h"

#include "session.h"

const prelude_def prelude_ports_defs[PRELUDE_PORTS_MAX] = {
    {"%tvl-cannot", false,
     "(define (%tvl-cannot what) (error \"compiled code cannot write this into a string:\" what))\n"},
    {"%tvl-text", false,
     "(define (%tvl-text x w d) (%tvl-string-of (%tvl-put x w d '()) #f))\n"},
    {"%tvl-string-of", false,
     "(define (%tvl-string-of l fwd)\n"
     "  (let loop ((l l) (acc '()))\n"
     "    (if (or fwd (null? l))\n"
     "        (list->string (if fwd l acc))\n"
     "        (loop (cdr l) (cons (car l) acc)))))\n"},
    {"%tvl-put", false,
     "(define (%tvl-put x w d acc)\n"
     "  (cond ((> d 100) (%tvl-cannot \"a value nested more than 100 deep, or inside itself\"))\n"
     "        ((string? x) (if w (cons #\\\" (%tvl-put-chars x 1 (cons #\\\" acc))) (%tvl-put-chars x 0 acc)))\n"
     "        ((integer? x) (%tvl-put-chars (number->string x) 0 acc))\n"
     "        ((symbol? x) (%tvl-put-symbol (symbol->string x) acc))\n"
     "        ((char? x) (if w (%tvl-put-chars (%tvl-char-name x) 0 acc) (cons x acc)))\n"
     "        ((boolean? x) (cons (if x #\\t #\\f) (cons #\\# acc)))\n"
     "        ((null? x) (cons #\\) (cons #\\( acc)))\n"
     "        ((pair? x) (%tvl-put-list x w (+ d 1) acc))\n"
     "        ((record? x) (%tvl-cannot \"a record\"))\n"
     "        ((vector? x) (%tvl-put-vector x w (+ d 1) acc))\n"
     "        ((procedure? x) (%tvl-cannot \"a procedure\"))\n"
     "        (else (%tvl-put-chars \"#<unspecified>\" 0 acc))))\n"},
    {"%tvl-put-list", false,
     "(define (%tvl-put-list x w d acc)\n"
     "  (let loop ((p (cdr x)) (k 0) (acc (%tvl-put (car x) w d (cons #\\( acc))))\n"
     "    (cond ((null? p) (cons #\\) acc))\n"
     "          ((> k 10000) (%tvl-cannot \"a list longer than 10000, or circular\"))\n"
     "          ((pair? p) (loop (cdr p) (+ k 1) (%tvl-put (car p) w d (cons #\\space acc))))\n"
     "          (else (cons #\\) (%tvl-put p w d (cons #\\space (cons #\\. (cons #\\space acc)))))))))\n"},
    {"%tvl-put-vector", false,
     "(define (%tvl-put-vector x w d acc)\n"
     "  (let ((n (vector-length x)))\n"
     "    (let loop ((i 0) (acc (cons #\\( (cons #\\# acc))))\n"
     "      (if (= i n)\n"
     "          (cons #\\) acc)\n"
     "          (loop (+ i 1) (%tvl-put (vector-ref x i) w d (if (= i 0) acc (cons #\\space acc))))))))\n"},
    {"%tvl-put-chars", false,
     "(define (%tvl-put-chars s m acc)\n"
     "  (let ((n (string-length s)))\n"
     "    (let loop ((i 0) (acc acc))\n"
     "      (if (= i n)\n"
     "          acc\n"
     "          (loop (+ i 1) (%tvl-put-char (string-ref s i) m acc))))))\n"},
    {"%tvl-put-char", false,
     "(define (%tvl-put-char c m acc)\n"
     "  (let ((k (char->integer c)))\n"
     "    (cond ((= m 0) (cons c acc))\n"
     "          ((> k 127) (if (= m 1) (%tvl-cannot \"a character past ASCII\") (cons c acc)))\n"
     "          ((and (= m 1) (or (= k 34) (= k 92))) (cons c (cons #\\\\ acc)))\n"
     "          ((and (= m 1) (<= 7 k) (<= k 13))\n"
     "           (cons (integer->char (cond ((= k 7) 97) ((= k 8) 98) ((= k 9) 116) ((= k 10) 110)\n"
     "                                      ((= k 11) 118) ((= k 12) 102) (else 114)))\n"
     "                 (cons #\\\\ acc)))\n"
     "          ((or (< k 32) (= k 127)\n"
     "               (and (= m 2) (or (= k 40) (= k 41) (= k 91) (= k 93) (= k 123) (= k 125))))\n"
     "           (let* ((hi (quotient k 16)) (lo (remainder k 16))\n"
     "                  (acc (cons #\\x (cons #\\\\ acc)))\n"
     "                  (acc (if (or (= m 1) (> hi 0)) (cons (integer->char (+ hi 48)) acc) acc))\n"
     "                  (acc (cons (integer->char (+ lo (if (< lo 10) 48 87))) acc)))\n"
     "             (if (= m 2) (cons #\\; acc) acc)))\n"
     "          (else (cons c acc)))))\n"},
    /* a keyword (#:name) is bare when its name holds nothing write must
     * escape: "a" put before the name leaves only that test */
    {"%tvl-put-symbol", false,
     "(define (%tvl-put-symbol s acc)\n"
     "  (if (or (%tvl-symbol-plain? s)\n"
     "          (and (> (string-length s) 2) (char=? (string-ref s 0) #\\#) (char=? (string-ref s 1) #\\:)\n"
     "               (%tvl-symbol-plain? (string-append \"a\" (substring s 2 (string-length s))))))\n"
     "      (%tvl-put-chars s 0 acc)\n"
     "      (cons #\\# (cons #\\} (%tvl-put-chars s 2 (cons #\\{ (cons #\\# acc)))))))\n"},
    {"%tvl-symbol-plain?", false,
     "(define (%tvl-symbol-plain? s)\n"
     "  (let ((n (string-length s)))\n"
     "    (let loop ((i 0) (p 0))\n"
     "      (if (= i n)\n"
     "          (not (or (= n 0) (= p 5) (and (= p 2) (= n 1))))\n"
     "          (let ((k (char->integer (string-ref s i))))\n"
     "            (and (not (or (<= k 32) (= k 127) (= k 35) (= k 40) (= k 41) (= k 91) (= k 93)\n"
     "                          (= k 123) (= k 125) (= k 34) (= k 59)))\n"
     "                 (not (and (< p 3) (<= 48 k) (<= k 57)))\n"
     "                 (not (and (= p 0) (or (= k 39) (= k 96) (= k 44))))\n"
     "                 (loop (+ i 1)\n"
     "                       (cond ((and (= p 0) (or (= k 43) (= k 45))) 1)\n"
     "                             ((and (< p 2) (= k 46)) 2)\n"
     "                             ((and (= p 1) (= k 105)) 5)\n"
     "                             (else 3)))))))))\n"},
    {"%tvl-write-string", false,
     "(define (%tvl-write-string s) (%tvl-string-of (cons #\\\" (%tvl-put-chars s 1 (list #\\\"))) #f))\n"},
    {"%tvl-char-name", false,
     "(define (%tvl-char-name c)\n"
     "  (let ((k (char->integer c)))\n"
     "    (cond ((> k 127) (%tvl-cannot \"a character past ASCII\"))\n"
     "          ((or (< k 33) (= k 127))\n"
     "           (string-append \"#\\\\\" (list-ref '(\"nul\" \"soh\" \"stx\" \"etx\" \"eot\" \"enq\" \"ack\" \"alarm\" \"backspace\"\n"
     "                                            \"tab\" \"newline\" \"vtab\" \"page\" \"return\" \"so\" \"si\" \"dle\" \"dc1\"\n"
     "                                            \"dc2\" \"dc3\" \"dc4\" \"nak\" \"syn\" \"etb\" \"can\" \"em\" \"sub\" \"esc\" \"fs\"\n"
     "                                            \"gs\" \"rs\" \"us\" \"space\" \"delete\")\n"
     "                                          (if (= k 127) 33 k))))\n"
     "          (else (string #\\# #\\\\ c)))))\n"},
    {"%tvl-int-text", false,
     "(define (%tvl-int-text n) (number->string n))\n"},
    {"%tvl-symbol-display", false,
     "(define (%tvl-symbol-display s) (%tvl-symbol-write s))\n"},
    {"%tvl-symbol-write", false,
     "(define (%tvl-symbol-write s) (%tvl-string-of (%tvl-put-symbol (symbol->string s) '()) #f))\n"},
    {"%tvl-port-join", false,
     "(define (%tvl-port-join l)\n"
     "  (string-join (reverse l) \"\"))\n"},
};
