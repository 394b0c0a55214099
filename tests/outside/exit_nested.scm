(define (validate-all xs)
  (map (lambda (x) (if (negative? x) (begin (display "bad: ") (write x) (newline) (exit 2)) (* x 2))) xs))
(display (validate-all '(1 2 3))) (newline)
(display (validate-all '(4 -5 6))) (newline)
