;;; expect: error
(define (f x y) (/ x y))
(display (f 10 5)) (newline)
(display (f 3 0)) (newline)
