;; a procedure with a wrong-arity call that is never run: Guile runs the
;; program (the bad call is never reached).
(define (f x) (* x 2))
(define (never-called) (f 1 2))
(display (f 21)) (newline)
