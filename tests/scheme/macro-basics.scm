;; define-syntax with syntax-rules: swap!, my-or, while-style loops, unless2
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define x 1)
(define y 2)
(swap! x y)
(write (list x y)) (newline)
(define tmp 10)
(define other 20)
(swap! tmp other)
(write (list tmp other)) (newline)
(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(write (list (my-or) (my-or #f 3) (my-or #f #f) (let ((t 5)) (my-or #f t)))) (newline)
(define-syntax repeat
  (syntax-rules (times)
    ((_ n times body ...) (let loop ((i 0)) (when (< i n) body ... (loop (+ i 1)))))))
(repeat 3 times (display "hi ") (display "there "))
(newline)
(define-syntax my-let
  (syntax-rules ()
    ((_ ((name val) ...) body1 body2 ...) ((lambda (name ...) body1 body2 ...) val ...))))
(write (my-let ((a 1) (b 2)) (+ a b))) (newline)
(define-syntax inc!
  (syntax-rules ()
    ((_ v) (set! v (+ v 1)))
    ((_ v n) (set! v (+ v n)))))
(define counter 0)
(inc! counter)
(inc! counter 10)
(write counter) (newline)
(define-syntax my-list-of-pairs
  (syntax-rules ()
    ((_ (a b) ...) (list (cons a b) ...))))
(write (my-list-of-pairs (1 2) (3 4) (5 6))) (newline)
(define-syntax unless2
  (syntax-rules ()
    ((_ c body ...) (if c #f (begin body ...)))))
(write (unless2 #f 'ran)) (newline)
