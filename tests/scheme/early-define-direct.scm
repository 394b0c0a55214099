;;; expect: error
;; A body define reads a variable defined further down the same body:
;; Guile reports the unbound variable when the read is reached; the
;; output before it is printed, nothing after.
(define (price n)
  (define total (* n rate))
  (define rate 3)
  total)
(display "before") (newline)
(display (price 7)) (newline)
(display "after") (newline)
