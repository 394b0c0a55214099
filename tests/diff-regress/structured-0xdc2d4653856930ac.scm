;; test-differential --all --structured --run-seed 0xdc2d4653856930ac (soak
;; seed 20261207), reduced: p23 is a vector or 445, of a class whose vectors
;; hold values of that class (g9, stored by vector-set!, is f12's result).
;; The kind report of vector-set! gave up on such a class (mreport.c
;; printable followed elements 4 deep), so the compiled text lacked
;; ", not an integer (445)".
(deftable t2 (a 0))
(define v3 (vector 0 0))
(define g9 0)
(define (gs-lt a b) (string<? (symbol->string a) (symbol->string b)))
(define (f10 p15 p16) (if 0 p16))
(define (f12 p23 p24) (cond ((begin (vector-set! p23 0 g9) (f10 0 lg14)))))
(define lg14 0)
(let ((i39 0)) (while (< i39 1) (vector-set! v3 1 (min 8 (t2 'a))) (set! g9 (f12 (if (gs-lt 'e 'd) (make-vector 2 i39) (cond (#t 445) (#f 6) (else lg14))) 0)) (set! i39 (+ i39 1))))
