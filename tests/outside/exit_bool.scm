(define (all-even? l) (or (null? l) (and (even? (car l)) (all-even? (cdr l)))))
(display (all-even? '(2 4 6)))
(newline)
(exit (all-even? '(2 4 5)))
