;; an uncaught error after some output: status 1, message on stderr
(define (safe-div a b)
  (if (= b 0)
      (error "division by zero:" a)
      (quotient a b)))
(display (safe-div 10 2)) (newline)
(display "about to fail") (newline)
(display (safe-div 1 0))
(display "never printed") (newline)
