(define (pow b e) (expt b e))
(display (pow 2 31))
(newline)
