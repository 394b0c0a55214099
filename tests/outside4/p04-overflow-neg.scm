(define (negate x) (- x))
(display (negate -2147483648))
(newline)
