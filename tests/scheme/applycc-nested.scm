; apply of a procedure parameter: a lambda reaches it from a call lowered later
(define (m2 tag thunk handler) (let ((v (thunk 1))) (apply handler (list tag v))))
(display (m2 'outer (lambda (ko) (m2 'inner (lambda (ki) (call/cc (lambda (k) 6))) (lambda (t v) (list 'ih t v)))) (lambda (t v) (list 'oh t v))))
(newline)
(display (m2 'outer (lambda (ko) (m2 'inner (lambda (ki) (call/cc (lambda (k) (k 7) 8))) (lambda (t v) (list 'ih t v)))) (lambda (t v) (list 'oh t v))))
(newline)
