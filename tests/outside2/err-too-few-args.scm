;; calling a lambda with too few arguments
(define f (lambda (a b c) (list a b c)))
(display (f 1 2 3)) (newline)
(display (map f '(1 2) '(3 4))) (newline)
