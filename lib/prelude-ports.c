/* prelude-ports.c - the text of a value as display and write show it,
 * written in tvl: what compiled code runs for (format #f ...) and for
 * output into string ports (lang/lower-ports.c), instead of the output
 * tokens the model emits for the program's own output.
 *
 * (%tvl-text x w d) is a new string of x's text under display (w #f) or
 * write (w #t), as the evaluator's value_print shows it (lang/world.c,
 * lang/chars.c): integers by number->string, symbols as #{...}# where
 * Guile writes them so, strings and characters escaped under write,
 * lists (dotted too) and vectors walked, the unspecified value; and the
 * text of one kind (%tvl-int-text, %tvl-symbol-display,
 * %tvl-symbol-write), which compiled code calls where the lowering found
 * the kind of the value written.  They are loaded (lib/prelude.c) only
 * before a form that names format with other than #t, a string port
 * procedure or an output call with a port, and only compiled code calls
 * them: the
 * evaluator keeps its own printer, and the differential tests compare
 * the two.  What they cannot show as the evaluator does (a procedure, a
 * character past ASCII under write, a value nested more than 100 deep or
 * inside itself, a list longer than 10000) stops the compiled program with
 * %tvl-cannot, which compiled code raises as a refusal ("compiled code
 * ...", lang/lower-ports.c), never a wrong text.  %tvl-port-join makes
 * the string of a port's pieces (newest first). */
#include "config.h"

#include "session.h"

const prelude_def prelude_ports_defs[PRELUDE_PORTS_MAX] = {
    {"%tvl-cannot", false,
     "(define (%tvl-cannot what) (error \"compiled code cannot write this into a string:\" what))\n"},
    {"%tvl-text", false,
     "(define (%tvl-text x w d)\n"
     "  (cond ((> d 100) (%tvl-cannot \"a value nested more than 100 deep, or inside itself\")) ((string? x) (if w (%tvl-write-string x) (string-copy x)))\n"
     "        ((integer? x) (number->string x))\n"
     "        ((symbol? x) (%tvl-symbol-text (symbol->string x)))\n"
     "        ((char? x) (if w (%tvl-char-name x) (string x)))\n"
     "        ((boolean? x) (if x \"#t\" \"#f\"))\n"
     "        ((null? x) \"()\")\n"
     "        ((pair? x) (%tvl-list-text x w (+ d 1)))\n"
     "        ((record? x) (%tvl-cannot \"a record\"))\n"
     "        ((vector? x) (%tvl-vector-text x w (+ d 1)))\n"
     "        ((procedure? x) (%tvl-cannot \"a procedure\"))\n"
     "        (else \"#<unspecified>\")))\n"},
    {"%tvl-list-text", false,
     "(define (%tvl-list-text x w d)\n"
     "  (let loop ((p (cdr x)) (k 0) (acc (list (%tvl-text (car x) w d) \"(\")))\n"
     "    (cond ((null? p) (string-join (reverse (cons \")\" acc)) \"\"))\n"
     "          ((> k 10000) (%tvl-cannot \"a list longer than 10000, or circular\"))\n"
     "          ((pair? p) (loop (cdr p) (+ k 1) (cons (%tvl-text (car p) w d) (cons \" \" acc))))\n"
     "          (else (string-join (reverse (cons \")\" (cons (%tvl-text p w d) (cons \" . \" acc)))) \"\")))))\n"},
    {"%tvl-vector-text", false,
     "(define (%tvl-vector-text x w d)\n"
     "  (let ((n (vector-length x)))\n"
     "    (let loop ((i (- n 1)) (acc (list \")\")))\n"
     "      (if (< i 0)\n"
     "          (string-join (cons \"#(\" acc) \"\")\n"
     "          (loop (- i 1) (cons (%tvl-text (vector-ref x i) w d) (if (= i (- n 1)) acc (cons \" \" acc))))))))\n"},
    {"%tvl-write-string", false,
     "(define (%tvl-write-string s)\n"
     "  (let loop ((i (- (string-length s) 1)) (acc (list \"\\\"\")))\n"
     "    (if (< i 0)\n"
     "        (string-join (cons \"\\\"\" acc) \"\")\n"
     "        (loop (- i 1) (cons (%tvl-string-char (string-ref s i)) acc)))))\n"},
    {"%tvl-string-char", false,
     "(define (%tvl-string-char c)\n"
     "  (let ((n (char->integer c)))\n"
     "    (cond ((= n 34) \"\\\\\\\"\")\n"
     "          ((= n 92) \"\\\\\\\\\")\n"
     "          ((= n 10) \"\\\\n\")\n"
     "          ((= n 9) \"\\\\t\")\n"
     "          ((= n 13) \"\\\\r\")\n"
     "          ((= n 7) \"\\\\a\")\n"
     "          ((= n 8) \"\\\\b\")\n"
     "          ((= n 11) \"\\\\v\")\n"
     "          ((= n 12) \"\\\\f\")\n"
     "          ((or (< n 32) (= n 127)) (string-append (if (< n 16) \"\\\\x0\" \"\\\\x\") (number->string n 16)))\n"
     "          ((< n 127) (string c))\n"
     "          (else (%tvl-cannot \"a character past ASCII\")))))\n"},
    {"%tvl-char-name", false,
     "(define (%tvl-char-name c)\n"
     "  (let ((n (char->integer c)))\n"
     "    (cond ((< n 33) (string-append \"#\\\\\" (vector-ref '#(\"nul\" \"soh\" \"stx\" \"etx\" \"eot\" \"enq\" \"ack\" \"alarm\" \"backspace\" \"tab\" \"newline\" \"vtab\" \"page\" \"return\" \"so\" \"si\" \"dle\" \"dc1\" \"dc2\" \"dc3\" \"dc4\" \"nak\" \"syn\" \"etb\" \"can\" \"em\" \"sub\" \"esc\" \"fs\" \"gs\" \"rs\" \"us\" \"space\") n)))\n"
     "          ((= n 127) \"#\\\\delete\")\n"
     "          ((< n 127) (string #\\# #\\\\ c))\n"
     "          (else (%tvl-cannot \"a character past ASCII\")))))\n"},
    {"%tvl-symbol-text", false,
     "(define (%tvl-symbol-text s)\n"
     "  (if (%tvl-symbol-plain? s)\n"
     "      s\n"
     "      (let loop ((i (- (string-length s) 1)) (acc (list \"}#\")))\n"
     "        (if (< i 0)\n"
     "            (string-join (cons \"#{\" acc) \"\")\n"
     "            (loop (- i 1) (cons (%tvl-symbol-char (char->integer (string-ref s i))) acc))))))\n"},
    {"%tvl-symbol-char", false,
     "(define (%tvl-symbol-char n)\n"
     "  (if (or (< n 32) (memv n '(40 41 91 93 123 125)))\n"
     "      (string-append \"\\\\x\" (number->string n 16) \";\")\n"
     "      (string (integer->char n))))\n"},
    {"%tvl-symbol-plain?", false,
     "(define (%tvl-symbol-plain? s)\n"
     "  (let ((n (string-length s)))\n"
     "    (define (digit? i) (and (< i n) (<= 48 (char->integer (string-ref s i)) 57)))\n"
     "    (cond ((= n 0) #f)\n"
     "          ((or (string=? s \".\") (string=? s \"+i\") (string=? s \"-i\")) #f)\n"
     "          ((digit? 0) #f)\n"
     "          ((and (memv (char->integer (string-ref s 0)) '(43 45 46)) (digit? 1)) #f)\n"
     "          (else\n"
     "           (let loop ((i 0))\n"
     "             (cond ((= i n) #t)\n"
     "                   ((let ((k (char->integer (string-ref s i))))\n"
     "                      (or (<= k 32) (memv k '(35 40 41 91 93 123 125 34 59))))\n"
     "                    #f)\n"
     "                   (else (loop (+ i 1)))))))))\n"},
    {"%tvl-int-text", false, "(define (%tvl-int-text n) (number->string n))\n"},
    {"%tvl-symbol-display", false, "(define (%tvl-symbol-display s) (symbol->string s))\n"},
    {"%tvl-symbol-write", false,
     "(define (%tvl-symbol-write s) (%tvl-symbol-text (symbol->string s)))\n"},
    {"%tvl-port-join", false,
     "(define (%tvl-port-join l)\n"
     "  (string-join (reverse l) \"\"))\n"},
};
