(define-syntax for
  (syntax-rules (in from to)
    ((_ x in lst body ...) (for-each (lambda (x) body ...) lst))
    ((_ x from a to b body ...) (do ((x a (+ x 1))) ((> x b)) body ...))))
(for x in '(a b c) (display x) (display " "))
(newline)
(for i from 1 to 5 (display (* i i)) (display " "))
(newline)
(define-syntax my-and
  (syntax-rules ()
    ((_) #t) ((_ e) e) ((_ e1 e2 ...) (if e1 (my-and e2 ...) #f))))
(display (list (my-and) (my-and 1 2 3) (my-and 1 #f 3))) (newline)
(define-syntax my-let
  (syntax-rules ()
    ((_ ((name val) ...) body1 body2 ...) ((lambda (name ...) body1 body2 ...) val ...))))
(display (my-let ((a 1) (b 2)) (+ a b))) (newline)
;; hygiene: the macro's tmp does not capture the user's tmp
(define-syntax swap!
  (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define tmp 1) (define other 2)
(swap! tmp other)
(display (list tmp other)) (newline)
(define-syntax unless2
  (syntax-rules () ((_ c e ...) (if (not c) (begin e ...)))))
(define-syntax while
  (syntax-rules () ((_ c body ...) (let loop () (when c body ... (loop))))))
(define n 3)
(while (> n 0) (display n) (set! n (- n 1)))
(newline)
