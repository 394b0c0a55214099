;; syntax-rules with ellipses: a my-and written recursively, a cond-like
;; dispatch, a macro that builds a vector from its arguments in reverse.
(define-syntax my-and
  (syntax-rules ()
    ((_) #t)
    ((_ e) e)
    ((_ e r ...) (if e (my-and r ...) #f))))
(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(define-syntax rev-vector
  (syntax-rules ()
    ((_ () (acc ...)) (vector acc ...))
    ((_ (x rest ...) (acc ...)) (rev-vector (rest ...) (x acc ...)))
    ((_ x ...) (rev-vector (x ...) ()))))
(define-syntax inc!
  (syntax-rules () ((_ v) (set! v (+ v 1))) ((_ v n) (set! v (+ v n)))))
(display (my-and 1 2 3)) (display (my-and 1 #f 3)) (display (my-and)) (newline)
(define t 5)
(display (my-or #f t)) (display (my-or #f #f)) (newline)
(display (rev-vector 1 2 3 4)) (newline)
(define k 0)
(inc! k) (inc! k 10)
(display k) (newline)
(define (sum-to n) (let ((s 0) (i 0)) (while (< i n) (inc! i) (inc! s i)) s))
(display (sum-to 100)) (newline)
