(define x 5)
(display "calling") (newline)
(display (x 1)) (newline)
