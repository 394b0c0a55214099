;; Hofstadter's female and male sequences: mutual recursion where each
;; calls the other on a value the other computed.
(define (F n) (if (= n 0) 1 (- n (M (F (- n 1))))))
(define (M n) (if (= n 0) 0 (- n (F (M (- n 1))))))
(do ((i 0 (+ i 1))) ((= i 21) (newline)) (display (F i)) (display " "))
(do ((i 0 (+ i 1))) ((= i 21) (newline)) (display (M i)) (display " "))
