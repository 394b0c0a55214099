;;; expect: error
;; a modulo by zero reached only on the fourth call.
(define (f d) (modulo 100 d))
(display (f 7)) (newline)
(display (f -7)) (newline)
(display (f 1)) (newline)
(display (f 0)) (newline)
