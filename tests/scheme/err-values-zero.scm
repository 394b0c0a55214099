;;; expect: error
;; no value where one is needed: an error after the output before it.
(display "start") (newline)
(define (nothing) (values))
(display (list 1 (nothing)))
(display "not reached")
