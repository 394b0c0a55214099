;;; expect: error
;; an unquote outside a quasiquote is a syntax error of its form only.
(display "first") (newline)
(define x 1)
(display (list ,x))
(display "not reached")
