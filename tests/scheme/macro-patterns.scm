;; syntax-rules patterns: nested ellipses, literals, dotted tails, vectors
(define-syntax my-let*
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((x v) rest ...) body ...) (let ((x v)) (my-let* (rest ...) body ...)))))
(write (my-let* ((a 1) (b (+ a 1)) (c (* b 3))) (list a b c))) (newline)
(define-syntax my-cond
  (syntax-rules (else)
    ((_ (else e ...)) (begin e ...))
    ((_ (c e ...) clause ...) (if c (begin e ...) (my-cond clause ...)))))
(write (my-cond (#f 1) ((= 1 2) 2) (else 3))) (newline)
(define-syntax table-of
  (syntax-rules ()
    ((_ (k v ...) ...) (list (cons 'k (list v ...)) ...))))
(write (table-of (x 1 2) (y) (z 3))) (newline)
(define-syntax first-and-rest
  (syntax-rules ()
    ((_ a . rest) (list a 'rest))))
(write (first-and-rest 1 2 3)) (newline)
(define-syntax vec-sum
  (syntax-rules ()
    ((_ #(a ...)) (+ a ...))))
(write (vec-sum #(1 2 3 4))) (newline)
(define-syntax count-args
  (syntax-rules ()
    ((_) 0)
    ((_ x rest ...) (+ 1 (count-args rest ...)))))
(write (count-args a b c d e)) (newline)
(define-syntax with-last
  (syntax-rules ()
    ((_ a ... z) (list 'last z 'before a ...))))
(write (with-last 1 2 3 4)) (newline)
(define-syntax ten
  (syntax-rules ()
    ((_) 10)))
(write (+ (ten) (ten))) (newline)
