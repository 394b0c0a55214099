;;; expect: error
;; car of a non-pair is a run-time error, reached after some output.
(define (first x) (car x))
(display (first '(1 2))) (newline)
(display (first 5)) (newline)
(display "not reached") (newline)
