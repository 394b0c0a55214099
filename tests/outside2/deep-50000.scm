;; non-tail recursion 50,000 deep (Guile's stack grows)
(define (sum-to n) (if (= n 0) 0 (+ n (sum-to (- n 1)))))
(display (sum-to 100)) (newline)
(display (sum-to 50000)) (newline)
