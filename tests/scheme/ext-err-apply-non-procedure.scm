;;; expect: error
;; calling the result of a computation that is not a procedure.
(define table (vector (lambda (x) (* x 2)) (lambda (x) (+ x 1)) 42))
(display ((vector-ref table 0) 5)) (newline)
(display ((vector-ref table 1) 5)) (newline)
(display ((vector-ref table 2) 5)) (newline)
