;;; expect: error
;; A global of the same name does not stand in for the body's own
;; variable before its define has run.
(define rate 10)
(define (price n)
  (define total (* n rate))
  (define rate 3)
  total)
(display rate) (newline)
(display (price 7)) (newline)
