;; two closures calling each other in tail position, 100,000 deep
;; (bench/closure-tail.sh runs it under a depth limit of 100)
(define (make-ev k) (lambda (n) (if (= n 0) k (od (- n 1)))))
(define (make-od k) (lambda (n) (if (= n 0) k (ev (- n 1)))))
(define ev (make-ev 'even))
(define od (make-od 'odd))
(display (ev 100000))
(newline)
