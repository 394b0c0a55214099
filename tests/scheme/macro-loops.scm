;; macros that the transformer runs too: loops and updates on integers
(define-syntax inc!
  (syntax-rules ()
    ((_ v) (set! v (+ v 1)))
    ((_ v n) (set! v (+ v n)))))
(define-syntax for
  (syntax-rules (from to)
    ((_ i from a to b body ...)
     (let loop ((i a))
       (when (<= i b)
         body ...
         (loop (+ i 1)))))))
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define total 0)
(for k from 1 to 10 (inc! total k))
(display total) (newline)
(for i from 1 to 3
  (for j from 1 to 3
    (display (* i j)) (display " "))
  (newline))
(define p 3)
(define q 4)
(swap! p q)
(display p) (display " ") (display q) (newline)
(define (fib n)
  (let ((a 0) (b 1))
    (for i from 1 to n (swap! a b) (inc! b a))
    a))
(display (fib 20)) (newline)
