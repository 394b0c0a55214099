;; non-tail recursion a few thousand calls deep: the sum, the length of
;; a countdown and a depth-first count, each returning through every frame.
(define (sum-to n) (if (= n 0) 0 (+ n (sum-to (- n 1)))))
(define (depth n) (if (= n 0) 0 (+ 1 (depth (- n 1)))))
(define (alt n) (if (= n 0) 0 (- n (alt (- n 1)))))
(display (sum-to 5000)) (newline)
(display (depth 9000)) (newline)
(display (alt 4001)) (newline)
(display (alt 4000)) (newline)
