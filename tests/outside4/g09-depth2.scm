(define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
(define l (build 200000))
(display (length l)) (newline)
(display (apply + (map (lambda (x) 1) l))) (newline)
