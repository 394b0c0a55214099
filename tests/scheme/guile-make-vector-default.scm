;; make-vector without a fill: the elements are unspecified, as in Guile.
(write (make-vector 3)) (newline)
(define v (make-vector 2))
(vector-set! v 0 5)
(display v) (newline)
(display (vector-length (make-vector 4))) (newline)
(write (make-vector 2 'x)) (newline)
(write (make-vector 0)) (newline)
