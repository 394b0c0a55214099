(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define-syntax my-unless
  (syntax-rules ()
    ((_ cond body ...) (if cond #f (begin body ...)))))
(define-syntax my-while
  (syntax-rules ()
    ((_ test body ...) (let lp () (when test body ... (lp))))))
(define p 1)
(define q 2)
(swap! p q)
(display (list p q)) (newline)
(my-unless (> 1 2) (display "one is not greater") (newline))
(define i 0)
(my-while (< i 4) (display i) (set! i (+ i 1)))
(newline)
(define-syntax inc!
  (syntax-rules ()
    ((_ v) (set! v (+ v 1)))
    ((_ v n) (set! v (+ v n)))))
(inc! i) (inc! i 10)
(display i) (newline)
