;;; expect: error
;; a receiver that takes two values given three.
(use-modules (srfi srfi-11))
(display "before") (newline)
(let-values (((a b) (values 1 2 3))) (display (+ a b)))
(display "not reached")
