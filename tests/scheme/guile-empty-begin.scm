;;; expect: error
;; An empty (begin) stands for nothing at top level and among the forms
;; of a body before the last; as an expression it is an error, as in Guile.
(begin)
(begin (begin))
(define (f) (begin) (begin (begin)) 2)
(display (f)) (newline)
(define (g x) (begin) (define y (* x 2)) (+ y 1))
(display (g 3)) (newline)
(let loop ((i 0)) (begin) (when (< i 2) (display i) (loop (+ i 1))))
(newline)
(define x (begin))
(display "not reached") (newline)
