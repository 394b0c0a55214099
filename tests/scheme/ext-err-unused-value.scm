;;; expect: error
;; an error in a value that is never used still happens: a division whose
;; result is thrown away, in a procedure simple enough to inline.
(define (g x) (quotient 100 x) 5)
(display (g 4)) (newline)
(display (g 0)) (newline)
(display "not reached") (newline)
