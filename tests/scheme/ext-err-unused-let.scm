;;; expect: error
;; a let binding that the body never reads, whose value is out of range.
(define v (vector 1 2 3))
(define (h i) (let ((unused (vector-ref v i))) 'ok))
(display (h 2)) (newline)
(display (h 3)) (newline)
