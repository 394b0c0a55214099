;; square of sums versus sum of squares, and cube sums, for n up to 100
(define (sum-sq n) (let loop ((i 1) (s 0)) (if (> i n) s (loop (+ i 1) (+ s (* i i))))))
(define (sq-sum n) (let ((s (quotient (* n (+ n 1)) 2))) (* s s)))
(define (cube-sum n) (do ((i 1 (+ i 1)) (s 0 (+ s (* i i i)))) ((> i n) s)))
(for-each (lambda (n) (display (list n (sum-sq n) (sq-sum n) (- (sq-sum n) (sum-sq n)) (cube-sum n))) (newline))
          '(1 2 10 50 100))
