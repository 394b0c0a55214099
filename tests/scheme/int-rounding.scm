;;; expect: error
; floor, ceiling, round, truncate and inexact->exact on exact integers
; are the identity, as Guile.
(display (list (floor -7) (ceiling 7) (round -3) (truncate 0) (inexact->exact -2)))
(newline)
(define (avg a b) (floor (quotient (+ a b) 2)))
(display (avg 3 8)) (newline)
(display (map round '(1 -2 3))) (newline)
(display (truncate 2147483647)) (newline)
(display (ceiling (* 6 7))) (newline)
(display (floor 'a)) (newline)
