;; non-tail recursion over a long list: Guile's stack grows as needed
(define (build n) (let loop ((i n) (acc '())) (if (= i 0) acc (loop (- i 1) (cons (modulo i 10) acc)))))
(define l (build 120000))
(define (len l) (if (null? l) 0 (+ 1 (len (cdr l)))))
(display (len l)) (newline)
(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))
(display (sum l)) (newline)
