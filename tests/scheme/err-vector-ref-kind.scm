;;; expect: error
;; vector-ref on a list.
(define v (vector 1 2 3))
(define l (list 1 2 3))
(display (vector-ref v 1)) (newline)
(display (vector-ref l 1)) (newline)
