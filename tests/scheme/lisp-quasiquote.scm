;; Building lists with quasiquote, unquote and splicing.
(define x 5)
(define xs '(1 2 3))
(display `(x is ,x)) (newline)
(display `(a ,@xs b)) (newline)
(display `(nested (,x ,@xs) ,(+ x 1))) (newline)
(display `(1 . ,x)) (newline)
(define (make-adder-expr n) `(lambda (y) (+ y ,n)))
(display (make-adder-expr 7)) (newline)
