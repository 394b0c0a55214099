;; make-parameter and parameterize: a value with dynamic extent, set back
;; on a normal return and on an escape.
(define (show . xs) (for-each display xs) (newline))
(define indent (make-parameter 0))
(define (line text) (display (make-string (indent) #\space)) (display text) (newline))
(define (tree t)
  (if (pair? t)
      (begin (line (car t))
             (parameterize ((indent (+ (indent) 2)))
               (for-each tree (cdr t))))
      (line t)))
(tree '(root (left a b) (right (deep c)) d))
(show "after: " (indent))

(define radix (make-parameter 10 (lambda (x) (if (and (integer? x) (<= 2 x 16)) x (error "bad radix" x)))))
(define (fmt n) (number->string n (radix)))
(show (fmt 255) " " (parameterize ((radix 16)) (fmt 255)) " " (parameterize ((radix 2)) (fmt 5)) " " (fmt 255))

(define doubled (make-parameter 10 (lambda (x) (* x 2))))
(show (doubled) " " (parameterize ((doubled 20) (radix 8)) (list (doubled) (fmt 8))) " " (doubled))

(define p (make-parameter 'outer))
(show (call-with-current-continuation
       (lambda (k) (parameterize ((p 'inner)) (k (p)))))
      " " (p))
(p 'set-directly)
(show (p))
(define (with-p v thunk) (parameterize ((p v)) (thunk)))
(show (with-p 1 (lambda () (with-p 2 (lambda () (p))))) " " (p))
