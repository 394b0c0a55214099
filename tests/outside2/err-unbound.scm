;; reference to an undefined variable in a procedure body
(define (f x) (+ x undefined-thing))
(display "before") (newline)
(display (f 1)) (newline)
(display "after") (newline)
