(define (count-up n) (if (= n 0) 0 (+ 1 (count-up (- n 1)))))
(display (count-up 100000)) (newline)
