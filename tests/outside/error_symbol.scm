(define (check-positive n)
  (if (< n 0) (error 'check-positive "negative number:" n) n))
(display (check-positive 5)) (newline)
(display (check-positive -3)) (newline)
