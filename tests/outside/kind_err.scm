(define (add-all l) (if (null? l) 0 (+ (car l) (add-all (cdr l)))))
(display (add-all '(1 2 3))) (newline)
(display (add-all '(1 two 3))) (newline)
