(define (average lst) (quotient (apply + lst) (lenght lst)))
(display "start") (newline)
(display (average '(1 2 3))) (newline)
