# make-corpus.py - writes tests/errtext/corpus.scm: one-line programs that
# raise every run-time error the evaluator raises, each with its operands
# constant and computed at run time (a global, a procedure parameter, a
# list element, an element of a mixed vector, whose kind is known only at
# run time).  tests/errtext.sh runs each in both modes.
#   python3 tests/errtext/make-corpus.py > tests/errtext/corpus.scm
import sys
# wrappers: how an operand X reaches the call. Each returns (prelude, expr)
def w_const(x, i): return ("", x)
def w_global(x, i): return (f"(define g{i} {x}) ", f"g{i}")
def w_list(x, i): return ("", f"(car (list {x}))")
def w_mixed(x, i): return (f"(define m{i} (vector {x} 'zz)) ", f"(vector-ref m{i} 0)")
def w_param(x, i): return None  # handled specially
W = [("const", w_const), ("global", w_global), ("list", w_list), ("mixed", w_mixed), ("param", w_param)]

def inst(tmpl, args, wname, wf):
    """tmpl uses {0},{1}...; args are operand texts"""
    if wname == "param":
        params = " ".join(f"p{i}" for i in range(len(args)))
        body = tmpl.format(*[f"p{i}" for i in range(len(args))])
        return f"(define (f {params}) {body}) (display (f {' '.join(args)}))"
    pre = ""; ex = []
    for i, a in enumerate(args):
        p, e = wf(a, i); pre += p; ex.append(e)
    return pre + "(display " + tmpl.format(*ex) + ")"

T = [
 # arithmetic overflow
 ("(+ {0} {1})", ["2147483647", "1"]),
 ("(+ {0} {1} {2})", ["2147483647", "1", "5"]),
 ("(+ {0} {1} {2})", ["2147483647", "1", "-1"]),
 ("(- {0} {1})", ["-2147483648", "1"]),
 ("(- {0} {1} {2})", ["-2147483648", "1", "2"]),
 ("(- {0})", ["-2147483648"]),
 ("(* {0} {1})", ["100000", "100000"]),
 ("(* {0} {1})", ["-65536", "65536"]),
 ("(* {0} {1} {2})", ["100000", "100000", "3"]),
 ("(* {0} {1} {2})", ["3", "100000", "100000"]),
 ("(abs {0})", ["-2147483648"]),
 ("(1+ {0})", ["2147483647"]),
 ("(1- {0})", ["-2147483648"]),
 ("(quotient {0} {1})", ["-2147483648", "-1"]),
 ("(expt {0} {1})", ["2", "40"]),
 ("(expt {0} {1})", ["-3", "33"]),
 ("(expt {0} {1})", ["0", "-1"]),
 ("(expt {0} {1})", ["2", "-1"]),
 ("(ash {0} {1})", ["1", "40"]),
 ("(ash {0} {1})", ["3", "31"]),
 ("(ash {0} {1})", ["-5", "30"]),
 ("(lcm {0} {1})", ["65536", "65537"]),
 ("(gcd {0} {1})", ["-2147483648", "0"]),
 # division
 ("(quotient {0} {1})", ["7", "0"]),
 ("(remainder {0} {1})", ["7", "0"]),
 ("(modulo {0} {1})", ["-7", "0"]),
 ("(floor-quotient {0} {1})", ["7", "0"]),
 ("(floor-remainder {0} {1})", ["7", "0"]),
 ("(truncate-quotient {0} {1})", ["7", "0"]),
 ("(truncate-remainder {0} {1})", ["7", "0"]),
 ("(call-with-values (lambda () (floor/ {0} {1})) list)", ["7", "0"]),
 ("(call-with-values (lambda () (truncate/ {0} {1})) list)", ["7", "0"]),
 # kinds in arithmetic
 ("(+ {0} {1})", ["1", "'a"]),
 ("(+ {0} {1})", ["\"s\"", "1"]),
 ("(- {0} {1})", ["1", "#t"]),
 ("(* {0} {1})", ["2", "(list 1)"]),
 ("(quotient {0} {1})", ["'q", "2"]),
 ("(< {0} {1})", ["1", "'a"]),
 ("(= {0} {1})", ["#\\a", "1"]),
 ("(zero? {0})", ["'a"]),
 ("(even? {0})", ["\"s\""]),
 ("(abs {0})", ["#f"]),
 ("(max {0} {1})", ["1", "'b"]),
 ("(logand {0} {1})", ["1", "'a"]),
 ("(ash {0} {1})", ["'a", "1"]),
 ("(expt {0} {1})", ["2", "'a"]),
 ("(1+ {0})", ["(vector 1)"]),
 # vectors
 ("(vector-ref {0} {1})", ["(vector 1 2)", "5"]),
 ("(vector-ref {0} {1})", ["(vector 1 2)", "-1"]),
 ("(vector-ref {0} {1})", ["'a", "0"]),
 ("(vector-ref {0} {1})", ["1", "0"]),
 ("(vector-ref {0} {1})", ["(vector 1 2)", "'x"]),
 ("(vector-set! {0} {1} 0)", ["(vector 1 2)", "2"]),
 ("(vector-set! {0} {1} 0)", ["\"str\"", "0"]),
 ("(make-vector {0} 0)", ["-3"]),
 ("(make-vector {0} 0)", ["'n"]),
 ("(vector-length {0})", ["5"]),
 ("(vector-fill! {0} 0)", ["'v"]),
 ("(vector->list {0})", ["(list 1)"]),
 ("(list->vector {0})", ["5"]),
 # lists
 ("(car {0})", ["5"]),
 ("(car {0})", ["'()"]),
 ("(cdr {0})", ["\"s\""]),
 ("(cadr {0})", ["(list 1)"]),
 ("(caddr {0})", ["(list 1 2)"]),
 ("(set-car! {0} 1)", ["'()"]),
 ("(length {0})", ["(cons 1 2)"]),
 ("(length {0})", ["5"]),
 ("(list-tail {0} {1})", ["(list 1 2)", "5"]),
 ("(list-ref {0} {1})", ["(list 1 2)", "5"]),
 ("(list-ref {0} {1})", ["(list 1 2)", "-1"]),
 ("(list-head {0} {1})", ["(list 1 2)", "5"]),
 ("(append {0} {1})", ["(cons 1 2)", "(list 3)"]),
 ("(append {0} {1})", ["5", "(list 3)"]),
 ("(reverse {0})", ["5"]),
 ("(reverse {0})", ["(cons 1 2)"]),
 ("(memq {0} {1})", ["1", "5"]),
 ("(assq {0} {1})", ["1", "(list 1 2)"]),
 ("(assoc {0} {1})", ["1", "5"]),
 ("(last-pair {0})", ["'()"]),
 ("(list-copy {0})", ["(cons 1 2)"]),
 ("(map car {0})", ["(list 1 2)"]),
 ("(map + {0} {1})", ["(list 1 2)", "(list 1)"]),
 ("(for-each car {0})", ["5"]),
 ("(apply + {0})", ["5"]),
 ("(apply + {0})", ["(cons 1 2)"]),
 ("(apply car {0})", ["(list 1 2)"]),
 ("(iota {0})", ["-1"]),
 ("(make-list {0} 0)", ["-1"]),
 ("(fold + 0 {0})", ["5"]),
 ("(reduce + 0 {0})", ["(cons 1 2)"]),
 ("(filter odd? {0})", ["(list 1 'a)"]),
 ("(sort {0} <)", ["(list 3 'a 1)"]),
 ("(list-set! {0} {1} 0)", ["(list 1 2)", "7"]),
 ("(assq-ref {0} {1})", ["5", "1"]),
 # calls
 ("({0} 1)", ["5"]),
 ("({0} 1)", ["'f"]),
 ("({0})", ["(list 1)"]),
 ("((lambda (x) x) {0} {1})", ["1", "2"]),
 ("((lambda (x y) x) {0})", ["1"]),
 ("((lambda (x . r) x))", []),
 # chars and strings
 ("(integer->char {0})", ["-1"]),
 ("(integer->char {0})", ["55296"]),
 ("(integer->char {0})", ["1114112"]),
 ("(integer->char {0})", ["'a"]),
 ("(char->integer {0})", ["5"]),
 ("(char-upcase {0})", ["\"a\""]),
 ("(char<? {0} {1})", ["#\\a", "1"]),
 ("(char-alphabetic? {0})", ["'a"]),
 ("(string-ref {0} {1})", ["\"abc\"", "5"]),
 ("(string-ref {0} {1})", ["\"abc\"", "-1"]),
 ("(string-ref {0} {1})", ["'abc", "0"]),
 ("(string-ref {0} {1})", ["\"abc\"", "#\\a"]),
 ("(string-length {0})", ["5"]),
 ("(substring {0} {1} {2})", ["\"abc\"", "2", "1"]),
 ("(substring {0} {1} {2})", ["\"abc\"", "0", "9"]),
 ("(substring {0} {1})", ["\"abc\"", "4"]),
 ("(string-set! {0} 0 #\\x)", ["\"abc\""]),
 ("(string-set! {0} {1} #\\x)", ["(make-string 2 #\\a)", "5"]),
 ("(string-set! {0} 0 {1})", ["(make-string 2 #\\a)", "5"]),
 ("(string-fill! {0} #\\x)", ["\"abc\""]),
 ("(make-string {0} #\\a)", ["-1"]),
 ("(string-append {0} {1})", ["\"a\"", "5"]),
 ("(string=? {0} {1})", ["\"a\"", "'a"]),
 ("(string<? {0} {1})", ["1", "\"a\""]),
 ("(string->number {0} {1})", ["\"12\"", "1"]),
 ("(string->number {0})", ["\"99999999999\""]),
 ("(string->number {0})", ["5"]),
 ("(number->string {0} {1})", ["5", "37"]),
 ("(number->string {0})", ["'a"]),
 ("(string->symbol {0})", ["5"]),
 ("(symbol->string {0})", ["\"a\""]),
 ("(list->string {0})", ["(list 1 2)"]),
 ("(string->list {0})", ["5"]),
 ("(string-upcase {0})", ["'a"]),
 ("(string {0})", ["1"]),
 ("(string-split {0} #\\space)", ["5"]),
 ("(string-join {0})", ["(list 1)"]),
 ("(string-contains {0} {1})", ["\"abc\"", "5"]),
 ("(string-index {0} {1})", ["\"abc\"", "5"]),
 ("(symbol-append {0} 'b)", ["\"a\""]),
 # error, exit
 ("(error {0})", ["\"bad thing\""]),
 ("(error {0} {1})", ["\"bad thing:\"", "42"]),
 ("(error {0} {1} {2})", ["\"bad\"", "'sym", "\"str\""]),
 ("(error {0} {1})", ["\"bad\"", "(list 1 \"a\" #\\b)"]),
 ("(error {0} {1})", ["'my-proc", "\"went wrong\""]),
 ("(error {0} {1} {2})", ["'my-proc", "\"went wrong:\"", "7"]),
 ("(error {0} {1})", ["\"bad\"", "(vector 1 'a)"]),
 ("(error {0})", ["5"]),
 ("(exit {0})", ["3"]),
 ("(exit {0})", ["#f"]),
 ("(exit {0})", ["#t"]),
 ("(exit {0})", ["256"]),
 ("(exit {0})", ["-1"]),
 ("(exit {0})", ["'a"]),
 # Guile's procedures written in tvl (lib/prelude-guile.c, prelude-read.c)
 ("(sqrt {0})", ["2"]),
 ("(sqrt {0})", ["-4"]),
 ("(sqrt {0})", ["'a"]),
 ("(exact->inexact {0})", ["1"]),
 ("(euclidean-quotient {0} {1})", ["7", "0"]),
 ("(centered-remainder {0} {1})", ["-7", "0"]),
 ("(round-quotient {0} {1})", ["7", "'a"]),
 ("(call-with-values (lambda () (euclidean/ {0} {1})) list)", ["7", "0"]),
 ("(call-with-values (lambda () (round/ {0} {1})) list)", ["7", "0"]),
 ("(integer-length {0})", ["'a"]),
 ("(logcount {0})", ["\"s\""]),
 ("(logbit? {0} {1})", ["-1", "5"]),
 ("(logtest {0} {1})", ["1", "#f"]),
 ("(string-copy! {0} 0 {1})", ["(make-string 2 #\\a)", "\"abc\""]),
 ("(vector-copy! {0} 1 {1})", ["(make-vector 2 0)", "(vector 1 2)"]),
 ("(string-rindex {0} #\\a)", ["5"]),
 ("(string-titlecase {0})", ["'a"]),
 ("(merge {0} (list 1) <)", ["5"]),
 ("(delete1! 1 {0})", ["5"]),
 ("(read {0})", ["(open-input-string \"(1\")"]),
 ("(read {0})", ["(open-input-string \")\")"]),
 ("(read {0})", ["(open-input-string \"#\\\\bell\")"]),
 ("((make-parameter 1) {0} {1} 3)", ["1", "2"]),
 # Guile's optional arguments of builtins (lib/prelude-ranges.c)
 ("(string-index {0} #\\a 0 {1})", ["\"abc\"", "9"]),
 ("(string-contains {0} \"b\" {1})", ["\"abc\"", "9"]),
 ("(string-trim {0} #\\a {1})", ["\"abc\"", "-1"]),
 ("(vector-fill! {0} 0 {1})", ["(vector 1 2)", "3"]),
 ("(string-fill! {0} #\\a 0 {1})", ["(make-string 2 #\\b)", "3"]),
 ("(string-upcase {0} {1} 1)", ["\"abc\"", "2"]),
 ("(string-index {0} {1} 1)", ["\"abc\"", "5"]),
 ("(read-char)", []),
 ("(peek-char)", []),
 ("(read)", []),
 ("(with-input-from-string {0} read-char)", ["5"]),
]

out = []
rot = 0
for tmpl, args in T:
    out.append(inst(tmpl, args, "const", w_const))
    if not args: continue
    # one computed form per template, rotating through the others
    wname, wf = W[1 + rot % (len(W) - 1)]
    rot += 1
    out.append(inst(tmpl, args, wname, wf))
    if any(a.lstrip("-").isdigit() for a in args) and wname != "param":
        out.append(inst(tmpl, args, "param", w_param))
# operands that are no plain read: computed in the failing step itself (a
# product, a quotient, an if, a min, a bitwise and, a table lookup, a car
# of a global's list, a vector element, a loop's result), each worth the
# operand exactly, so that a wrong value changes the text
def w_mul(x, i): return (f"(define g{i} {x}) ", f"(* g{i} 1)")
def w_quo(x, i): return (f"(define g{i} {x}) (define h{i} 1) ", f"(quotient g{i} h{i})")
def w_if(x, i): return (f"(define g{i} {x}) (define z{i} 0) ", f"(if (= z{i} 0) g{i} 7)")
def w_min(x, i): return (f"(define g{i} {x}) ", f"(min g{i} g{i})")
def w_and(x, i): return (f"(define g{i} {x}) ", f"(logand g{i} -1)")
def w_table(x, i): return (f"(deftable tt{i} (0 {x}) (1 5)) (define z{i} 0) ", f"(tt{i} z{i})")
def w_car(x, i): return (f"(define l{i} (list {x} 1)) ", f"(car l{i})")
def w_vref(x, i): return (f"(define v{i} (vector 1 {x})) (define j{i} 1) ", f"(vector-ref v{i} j{i})")
def w_loop(x, i): return (f"(define (id{i} x n) (if (= n 0) x (id{i} x (- n 1)))) (define g{i} {x}) ", f"(id{i} g{i} 3)")
def w_case(x, i): return (f"(define g{i} {x}) (define z{i} 2) ", f"(case z{i} ((1) 9) ((2) g{i}) (else 8))")
C = [w_mul, w_quo, w_if, w_min, w_and, w_table, w_car, w_vref, w_loop, w_case]
rot = 0
for tmpl, args in T:
    if not args or not all(a.lstrip("-").isdigit() for a in args): continue
    if tmpl.startswith("(call-with-values") or "floor" in tmpl or "truncate" in tmpl: continue
    for k in range(2):
        wf = C[rot % len(C)]
        rot += 1
        out.append(inst(tmpl, args, wf.__name__, wf))
out += [
 # several computed operands at once, and a table missing a computed key
 "(define a 1000) (define b 3) (display (* (* a b) (quotient 3000000 b)))",
 "(define a 46341) (define v (vector a 2)) (display (* (vector-ref v 0) (car (list a))))",
 "(define (f x) (* (if (> x 2) 2147483647 4) (- x 3))) (display (f 5))",
 "(deftable t (1 'a) (2 'b)) (define k 2) (display (t (* k 2)))",
 "(deftable t (1 'a) (2 'b)) (define k 7) (display (t (quotient k 2)))",
 "(deftable t (a 1) (c 2)) (display (t (cadr (list 'd 'b))))",
 "(define x 100000) (display (+ (* x x) 1))",
 "(define x 3) (display (expt (* x 1000) 4))",
 "(define x 3) (display (ash (max x 1000) 40))",
 "(define x 65536) (display (lcm (* x 1) 65537))",
 "(define x -5) (display (make-vector (- x 1) 0))",
 "(define x 1114) (display (integer->char (* x 1000)))",
]
extra = [
 "(deftable t (1 'a) (2 'b)) (display (t 3))",
 "(deftable t (1 'a) (2 'b)) (define k 3) (display (t k))",
 "(deftable t (1 'a) (2 'b)) (define (f k) (t k)) (display (f 3))",
 "(deftable t (1 'a) (2 'b)) (display (t 'x))",
 "(deftable t (1 'a) (2 'b)) (define k 'x) (display (t k))",
 "(deftable t ('a 1) ('b 2)) (display (t 'c))",
 "(deftable t ('a 1) ('b 2)) (define (f k) (t k)) (display (f 'c))",
 "(deftable t ('a 1) ('b 2)) (display (t 3))",
 "(deftable t ('a 1) ('b 2)) (define (f k) (t k)) (display (f (car (list 5))))",
 "(deftable t (1 'a) (2 'b)) (define v (vector 4 'q)) (display (t (vector-ref v 0)))",
 "(deftable t (1 'a) (2 'b)) (display (t 1 2))",
 "(display 1) (newline) (exit 2)",
 "(display 1) (car '())",
 "(define (loop i) (if (= i 5) (car i) (loop (+ i 1)))) (loop 0)",
 "(define (f n) (if (= n 0) (vector-ref (vector 1 2) n 5) (f (- n 1)))) (f 3)",
 "(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l))))) (display (sum (list 1 2 'x)))",
 "(define (fact n) (if (= n 0) 1 (* n (fact (- n 1))))) (display (fact 20))",
 "(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2))))) (display (fib 'a))",
 "(define x 0) (let loop ((i 0)) (set! x (+ x 1000000000)) (loop (+ i 1)))",
 "(define v (make-vector 3 0)) (do ((i 0 (+ i 1))) ((= i 4)) (vector-set! v i i))",
 "(define s (make-string 3 #\\a)) (do ((i 0 (+ i 1))) ((= i 4)) (string-set! s i #\\b))",
 "(define l (list 1 2 3)) (display (list-ref l (length l)))",
 "(define (g x) (x 1)) (display (g 5))",
 "(define (g x) (x 1)) (display (g car))",
 "(define (h . r) (car r)) (display (h))",
 "(define (k a b) a) (display (apply k (list 1 2 3)))",
 "(display (vector-ref (if #f 'f 1) 0))",
 "(display (let ((v (vector 1 2 3))) (vector-ref v (vector-length v))))",
 "(display (string-ref \"abc\" (string-length \"abc\")))",
 "(define (f x) (integer->char x)) (display (f 1114112))",
 "(display (char->integer (string-ref \"abc\" 3)))",
 "(display (assert #f))",
 # a body's variable read before its define has run (lang/checker-early.c)
 "(define (f n) (define a (* n rate)) (define rate 3) a) (display (f 7))",
 "(define (f) (define a b) (define b 2) a) (display 1) (write (f))",
 "(define (f) (define s (string-append g \"!\")) (define g \"hi\") s) (display (f))",
 "(define (f n) (define a (if (> n 0) (car v) 0)) (define v (list 1)) a) (display (f 1))",
 "(display (letrec ((a b) (b 2)) a))",
 "(display (letrec ((x 1) (y (+ x 1))) y))",
 "(define (f) (define a (g 1)) (define g (car (list -))) a) (display (f))",
]
out += extra
# operands the host computes with what the failing step computed: a
# select on a character's class or case, a string procedure's value
# (symbol->string, string-length, string-ref) and a table procedure run
# as a circuit (a top-level call with constant arguments) whose computed
# key has no entry
out += [
 "(define c #\\a) (define x 100000) (display (* x (if (char-alphabetic? c) x 1)))",
 "(define c #\\a) (define x 100000) (display (+ 2147483647 (cond ((char-upper-case? c) 1) ((char-lower-case? c) x) (else 2))))",
 "(define c #\\space) (define v (vector 1 2 3)) (display (vector-ref v (case (char-whitespace? c) ((#t) 7) (else 0))))",
 "(define (f c x) (make-vector (if (char-numeric? c) (- x) x) 0)) (display (f #\\7 4))",
 "(deftable t (1 'a) (2 'b)) (define c #\\Q) (display (t (if (char-upper-case? c) 9 1)))",
 "(define c #\\a) (define x 100000000) (display (* x (char->integer (char-upcase c))))",
 "(define l (list #\\a 'b)) (define x 100000) (display (* x (if (char-alphabetic? (car l)) x 1)))",
 "(define x 1000000000) (display (* x (string-length (symbol->string 'abc))))",
 "(define x 1000000000) (define y 'abc) (display (* x (string-length (symbol->string y))))",
 "(define x 1000000000) (define y (string->symbol \"abcd\")) (display (* x (string-length (symbol->string y))))",
 "(define x 10000) (display (* x x (char->integer (string-ref (symbol->string 'xyz) 2))))",
 "(deftable t (1 'a)) (define y 'abcd) (display (t (string-length (symbol->string y))))",
 "(define v (vector 1 2)) (define y 'abcd) (display (vector-ref v (string-length (symbol->string y))))",
 "(deftable t (1 10) (2 20)) (define (f k) (t (* k 2))) (f 3)",
 "(deftable t (1 10) (2 20)) (define (g k j) (t (+ k j))) (g 3 4)",
 "(deftable t (1 10) (2 20)) (define (h k) (t (if (> k 3) (- k) (t k)))) (h 5)",
 "(deftable t (1 10) (2 20)) (define (h k) (t (if (> k 3) (- k) (t k)))) (h 2)",
 "(deftable s ('a 1) ('b 2)) (define (u x) (s (if (= x 1) 'c 'a))) (u 1)",
]
# a select on a kind test or on eq? of values of several kinds: the host
# reads the tag the model tests
for test, x in [("string?", '"abc"'), ("char?", "#\\a"), ("symbol?", "'a"), ("boolean?", "#t"),
                ("integer?", "5"), ("pair?", "(list 1)"), ("null?", "'()"),
                ("vector?", "(vector 1)"), ("procedure?", "car")]:
    out.append(f"(define x 10000) (define l (list {x} 'z)) (display (* x x (if ({test} (car l)) x 1)))")
out += [
 "(define x 10000) (define l (list 'a 1)) (display (* x x (if (eq? (car l) 'a) x 1)))",
 "(define x 10000) (define l (list 'b 'a)) (display (* x x (if (eq? (car l) (cadr l)) 1 x)))",
 "(define x 10000) (define b #t) (display (* x x (if (eq? b #t) x 1)))",
 "(define x 10000) (define l (list #f 1)) (display (* x x (if (eq? (car l) #f) x 1)))",
 "(define x 10000) (define l (list #\\a 1)) (display (* x x (if (eqv? (car l) #\\a) x 1)))",
 "(define x 10000) (define l (list \"a\" 1)) (display (* x x (if (eq? (car l) 1) 1 x)))",
 "(define x 10000) (define l (list 'q 1)) (display (* x x (case (car l) ((a b) 1) ((q) x) (else 2))))",
 "(define x 10000) (define l (list #\\q 1)) (display (* x x (case (car l) ((#\\a) 1) ((#\\q) x) (else 2))))",
 # lookups in tables of values of several kinds, and of tagged keys
 "(deftable t (1 'a) (2 7) (else #f)) (define x 100000) (define k 2) (display (* x (t k) 10000))",
 "(deftable t (1 'a) (2 7) (else 5)) (define x 100000) (define k 3) (display (* x (t k) 10000))",
 "(deftable t (1 5) (2 7)) (define x 100000) (define l (list 2 'a)) (display (* x (t (car l)) 10000))",
 "(deftable t ('a 5) ('b 7)) (define x 100000) (define l (list 'b 1)) (display (* x x (t (car l))))",
 "(deftable t (1 5) (2 7)) (define x 100000) (define l (list 1 'b)) (display (* x (if (eq? (t (car l)) 5) x 1)))",
 # eq? and equal? of strings (a literal's number; equal?: by text)
 "(define x 100000) (define l (list \"ab\" 1)) (display (* x (if (eq? (car l) \"ab\") 1 x)))",
 "(define x 100000) (define l (list \"ab\" \"ab\" 1)) (display (* x (if (equal? (car l) (cadr l)) x 1)))",
 "(define x 100000) (define l (list 'ab \"ab\" 1)) (display (* x (if (equal? (car l) (cadr l)) 1 x)))",
]
# with-exception-handler and raise-exception (their errors, and a raise
# that no handler takes); comparisons that check their arguments two by
# two (a later argument of a wrong kind reached)
out += [
 "(display (with-exception-handler (lambda (e) 5) (lambda () (+ 1 (raise-exception 'nc)))))",
 "(define (h e) (* e 2)) (define (f x) (+ 1 (raise-exception x))) (display (with-exception-handler h (lambda () (f 4))))",
 "(display 1) (raise-exception 'x)",
 "(define (f x) (raise-exception x)) (display (f (list 1 \"a\")))",
 "(display (with-exception-handler 5 (lambda () 1)))",
 "(define (f h) (with-exception-handler h (lambda () 1))) (display (f 'h))",
 "(display (with-exception-handler (lambda (e) e) (lambda () 1) #:unwind?))",
 "(display (with-exception-handler (lambda (e) e) (lambda () 1) #:continuable? #t))",
 "(display (raise-exception 1 #:continuable?))",
 "(display (raise-exception 1 #:unwind? #t))",
 "(display (catch 'foo (lambda () (raise-exception 3)) (lambda (k v) v)))",
 "(display (< 1 2 'a))",
 "(define x 'a) (display (< 1 2 x))",
 "(display (= 1 'a 2))",
 "(define (f x) (> 3 x 1)) (display (f 'b))",
 "(define (f x) (string<? \"a\" \"b\" x)) (display (f 5))",
 "(define (f x) (string=? \"a\" x \"b\")) (display (f 5))",
 "(define (f x) (char<? #\\a #\\b x)) (display (f 5))",
 "(define (f x) (string-ci=? \"a\" \"A\" x)) (display (f 5))",
]

# SRFI-9 records: an accessor or modifier applied to a value that is no
# record, or to a record of another type (Guile's texts, lang/records.c)
R = ("(use-modules (srfi srfi-9)) (define-record-type point (make-point x y) point? "
     "(x point-x set-point-x!) (y point-y)) (define-record-type line (make-line a) line? (a line-a)) ")
out += [
 R + "(display (point-x 5))",
 R + "(display (point-y 'a))",
 R + "(display (point-x \"abc\"))",
 R + "(define l (list 1 2)) (display (point-x l))",
 R + "(define v (vector 1 2)) (display (point-x v))",
 R + "(display (point-x (make-line 7)))",
 R + "(define r (make-line \"s\")) (display (point-y r))",
 R + "(set-point-x! 5 1)",
 R + "(set-point-x! (make-line 1) 2)",
 R + "(define (f p) (point-x p)) (display (f (make-point 1 2))) (display (f 3))",
 R + "(define l (list (make-point 1 2) 4)) (display (point-x (car l))) (display (point-x (cadr l)))",
 R + "(define l (list (make-point 1 2) (make-line 4))) (display (map point-x l))",
 R + "(display (line-a (make-point (list 1 2 3) \"a long string that is cut in the message\")))",
]
# define* and lambda* called with bad keyword arguments, keyword->symbol
# and symbol->keyword on the wrong kind (Guile's texts); (ice-9 match)
# with no matching clause (Guile's throw)
K = "(define* (g a #:key b) (list a b)) "
M = "(use-modules (ice-9 match)) "
KM = [
 K + "(display (g 1 #:c 2))",
 K + "(display (g 1 #:b))",
 K + "(display (g 1 2))",
 K + "(display (g))",
 K + "(define k (car (list #:c))) (display (g 1 k 2))",
 "(define* (h a #:optional b) (list a b)) (display (h 1 2 3))",
 "(display ((lambda* (#:key a) a) #:a))",
 "(display (keyword->symbol 'a))",
 "(display (symbol->keyword #:a))",
 "(define (f x) (keyword->symbol x)) (display (f 5))",
 M + "(display (match 5 (1 'one)))",
 M + "(define (f x) (match x ((a b) a))) (display (f '(1 2))) (display (f '(1 2 3)))",
 M + "(display ((match-lambda ((? string? s) s)) 7))",
 M + "(display (match-let (((a b) (list 1))) a))",
]
out += KM
# hash tables and promises: records of built-in types (lib/prelude-lib.c),
# which kind errors name as such; a record in a kind error too
out += [
 "(define h (make-hash-table)) (hash-set! h 'a 1) (display (car h))",
 "(define (f x) (cdr x)) (display (f (make-hash-table)))",
 "(define p (delay 1)) (display (cdr p))",
 "(display (+ 1 (make-hash-table)))",
 "(define p (make-promise (lambda () 2))) (force p) (display (string-length p))",
 "(define l (list (make-hash-table) 1)) (display (symbol->string (car l)))",
 "(define h (make-hash-table)) (display (length h))",
 "(define (f x) (car x)) (display (f (delay 1)))",
 R + "(display (car (make-point 1 2)))",
]
sys.stdout.write("\n".join(out) + "\n")
