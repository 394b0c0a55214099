;; Procedures taking and returning procedures.
(define (twice f) (lambda (x) (f (f x))))
(define (iterate f n) (if (= n 0) (lambda (x) x) (lambda (x) (f ((iterate f (- n 1)) x)))))
(define (add n) (lambda (x) (+ x n)))
(display ((twice (add 3)) 10)) (newline)
(display ((iterate (add 2) 5) 0)) (newline)

(display (((twice twice) (add 1)) 0)) (newline)
(display (map (lambda (f) (f 10)) (list (add 1) (twice (add 1)) (iterate (add 1) 3)))) (newline)
