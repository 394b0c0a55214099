;; Mutual tail recursion through closures and a loop of 20000 iterations.
(define (my-even? n) (if (= n 0) #t (my-odd? (- n 1))))
(define (my-odd? n) (if (= n 0) #f (my-even? (- n 1))))
(display (my-even? 20000)) (newline)
(define (loop-with f n acc) (if (= n 0) acc (loop-with f (- n 1) (f acc))))
(display (loop-with (lambda (x) (+ x 3)) 20000 0)) (newline)
(define (count-down n) (cond ((= n 0) 'done) (else (count-down (- n 1)))))
(display (count-down 20000)) (newline)
