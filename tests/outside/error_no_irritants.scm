(define (check x) (if (< x 0) (error "negative value encountered") x))
(display (check 1)) (newline)
(check -1)
