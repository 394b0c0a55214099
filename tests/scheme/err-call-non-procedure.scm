;;; expect: error
;; calling a value that is not a procedure.
(define ops (list (lambda (x) (* x 2)) 5))
(display ((car ops) 21)) (newline)
(display ((cadr ops) 21)) (newline)
