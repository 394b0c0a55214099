;;; expect: error
;; a closure called with the wrong number of arguments.
(define add (lambda (a b) (+ a b)))
(display (add 1 2)) (newline)
(display (map add '(1 2) '(3 4))) (newline)
(display (add 1)) (newline)
