;;; expect: error
;; Reads of a later body define by builtins of other kinds.
(define (size)
  (define n (vector-length v))
  (define v (vector 1 2 3))
  n)
(display "size") (newline)
(display (size)) (newline)
