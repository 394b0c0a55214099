;; wrong number of arguments to a user procedure
(define (add a b) (+ a b))
(display (add 1 2)) (newline)
(display (add 1 2 3)) (newline)
(display "not reached") (newline)
