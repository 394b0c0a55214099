;; a kind error on a path that is never taken.
(define (g flag x) (if flag (+ x 1) (vector-ref x 0)))
(display (g #t 41)) (newline)
(define (h) (+ 1 'a))
(display "end") (newline)
