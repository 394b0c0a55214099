;; Polynomials as coefficient lists (lowest degree first): add, multiply, evaluate.
(define (poly+ a b)
  (cond ((null? a) b) ((null? b) a) (else (cons (+ (car a) (car b)) (poly+ (cdr a) (cdr b))))))
(define (scale p k) (map (lambda (c) (* c k)) p))
(define (poly* a b)
  (if (null? a) '() (poly+ (scale b (car a)) (cons 0 (poly* (cdr a) b)))))
(define (poly-eval p x) (if (null? p) 0 (+ (car p) (* x (poly-eval (cdr p) x)))))
(define p '(1 2))        ; 1 + 2x
(define q '(-1 0 3))     ; -1 + 3x^2
(display (poly+ p q)) (newline)
(display (poly* p q)) (newline)
(display (poly* p p)) (newline)
(display (map (lambda (x) (poly-eval (poly* p q) x)) '(0 1 2 -1))) (newline)
