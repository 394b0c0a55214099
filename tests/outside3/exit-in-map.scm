(define (check x) (if (> x 3) (begin (display "stopping at ") (display x) (newline) (exit 4)) (* x x)))
(display (map check '(1 2 3))) (newline)
(for-each (lambda (x) (display (check x)) (newline)) '(1 2 3 4 5))
