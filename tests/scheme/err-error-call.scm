;;; expect: error
;; error stops the program: the output before it is kept
(define (safe-div a b)
  (if (= b 0)
      (error "safe-div: division by zero of" a)
      (quotient a b)))
(display (safe-div 10 2))
(newline)
(display (safe-div 1 0))
(newline)
