;;; expect: error
;; A body must end with an expression: one that ends in a definition is
;; a syntax error, in Guile 3 as in tvl, when the procedure is defined.
(display "before") (newline)
(define (g x)
  (display "computing ")
  (define y (* x 2)))
(display "after") (newline)
(g 1)
