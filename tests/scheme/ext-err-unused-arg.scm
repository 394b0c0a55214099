;;; expect: error
;; an argument that the callee ignores, whose computation divides by
;; zero: the error must still happen.
(define (const-7 x) 7)
(define (f d) (const-7 (quotient 1 d)))
(display (f 1)) (newline)
(display (f 0)) (newline)
