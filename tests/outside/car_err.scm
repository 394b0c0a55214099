(define (second-of l) (car (cdr l)))
(display (second-of '(1 2 3))) (newline)
(display (second-of '(1))) (newline)
