(define handlers (list (lambda (x) (* x 10)) 'not-a-proc))
(display ((car handlers) 4)) (newline)
(display ((cadr handlers) 4)) (newline)
