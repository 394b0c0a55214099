;; 1,000,000 iterations of a loop through a closure in tail position
;; (bench/closure-tail.sh runs it under a depth limit of 100)
(define (make-step k) (lambda (n acc) (if (= n 0) acc (loop-through (- n 1) (+ acc k)))))
(define step (make-step 3))
(define (loop-through n acc) (step n acc))
(display (loop-through 1000000 0))
(newline)
