(define (total l) (apply + l))
(display (total '(1 2 3))) (newline)
(display (total '())) (newline)
(display (total '(1 "2" 3))) (newline)
