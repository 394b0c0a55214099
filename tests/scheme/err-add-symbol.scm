;;; expect: error
;; adding a symbol: an error only when the call is reached.
(define (f x) (+ x 1))
(define (g) (+ 1 'a))
(display (f 1)) (newline)
(display (g))
(newline)
