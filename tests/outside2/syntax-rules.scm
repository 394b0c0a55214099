;; simple macros with define-syntax and syntax-rules
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define-syntax my-unless
  (syntax-rules ()
    ((_ c body ...) (if c #f (begin body ...)))))
(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(define x 1)
(define y 2)
(swap! x y)
(display (list x y)) (newline)
(my-unless (> x 5) (display "x small") (newline))
(display (my-or #f #f 7)) (newline)
(display (my-or)) (newline)
(define-syntax while-loop
  (syntax-rules ()
    ((_ cond body ...) (let lp () (when cond body ... (lp))))))
(define i 0)
(while-loop (< i 3) (display i) (set! i (+ i 1)))
(newline)
