(define (square x) (* x x))
(display square) (newline)
(write (list 1 square)) (newline)
