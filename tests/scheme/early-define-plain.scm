;;; expect: error
;; (define a b) with b defined further down: the variable's value is
;; never seen, even when nothing uses it as a number.
(define (f)
  (define a b)
  (define b 2)
  a)
(define (g) (define c 1) (define d (+ c 1)) d)
(display (g)) (newline)
(write (f)) (newline)
