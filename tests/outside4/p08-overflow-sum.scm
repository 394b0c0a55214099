(define (sum-squares n) (let loop ((i 1) (s 0)) (if (> i n) s (loop (+ i 1) (+ s (* i i))))))
(display (sum-squares 1000)) (newline)
(display (sum-squares 2000)) (newline)
