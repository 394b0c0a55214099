; Non-tail recursion 10,000 and 50,000 calls deep (the depth limit is
; 100,000 nested calls by default).
(define (sum-to n) (if (= n 0) 0 (+ n (sum-to (- n 1)))))
(display (sum-to 10000)) (newline)
(define (len l) (if (null? l) 0 (+ 1 (len (cdr l)))))
(define (build n acc) (if (= n 0) acc (build (- n 1) (cons n acc))))
(display (len (build 50000 '()))) (newline)
