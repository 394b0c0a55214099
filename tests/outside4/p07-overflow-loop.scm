(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
(for-each (lambda (n) (display n) (display "! = ") (display (fact n)) (newline)) '(10 12 13))
