(define (check n) (if (< n 0) (raise 'negative) n))
(display (check 5)) (newline)
(check -1)
(display "not here") (newline)
