(define (row i) (map (lambda (j) (gcd i j)) (iota 8 1)))
(for-each (lambda (i) (for-each (lambda (x) (display x) (display " ")) (row i)) (newline)) (iota 8 1))
(define (coprime-count n) (length (filter (lambda (k) (= 1 (gcd k n))) (iota n 1))))
(display (map coprime-count (iota 12 1))) (newline)
