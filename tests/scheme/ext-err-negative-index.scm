;;; expect: error
;; a vector-set! with an index computed to be negative.
(define v (make-vector 4 0))
(define (put! i x) (vector-set! v (- i 1) x))
(put! 1 'a)
(put! 4 'd)
(display v) (newline)
(put! 0 'z)
(display v) (newline)
