;; applying a non-procedure
(define lst '(1 2 3))
(display (length lst)) (newline)
(display (lst 0)) (newline)
(display "not reached") (newline)
