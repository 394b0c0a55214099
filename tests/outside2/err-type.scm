;; adding a string to a number
(define (total items) (apply + items))
(display (total '(1 2 3))) (newline)
(display (total '(1 "2" 3))) (newline)
(display "not reached") (newline)
