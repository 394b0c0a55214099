;; tail calls through closures run in constant space: a million
;; iterations through a lambda, and two lambdas calling each other.
(define count
  (lambda (n acc) (if (= n 0) acc (count (- n 1) (+ acc 1)))))
(display (count 1000000 0)) (newline)
(define my-even? (lambda (n) (if (= n 0) #t (my-odd? (- n 1)))))
(define my-odd? (lambda (n) (if (= n 0) #f (my-even? (- n 1)))))
(display (my-even? 100000)) (newline)
(display (my-odd? 100001)) (newline)
(define (make-looper step)
  (lambda (n) (let loop ((i 0)) (if (>= i n) i (loop (+ i step))))))
(display ((make-looper 3) 300000)) (newline)
