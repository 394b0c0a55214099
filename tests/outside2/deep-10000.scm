;; non-tail recursion 10,000 deep, and a deep list built recursively
(define (depth n) (if (= n 0) 0 (+ 1 (depth (- n 1)))))
(display (depth 10000)) (newline)
(define (nest n) (if (= n 0) '() (list (nest (- n 1)))))
(define (nest-depth l) (if (null? l) 0 (+ 1 (nest-depth (car l)))))
(display (nest-depth (nest 5000))) (newline)
(define (range n) (if (= n 0) '() (cons n (range (- n 1)))))
(display (apply + (range 10000))) (newline)
