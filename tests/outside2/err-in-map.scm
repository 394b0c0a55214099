;; an error raised inside map's procedure
(define (check x) (if (> x 3) (error "too big:" x) (* x 10)))
(display (map check '(1 2 3))) (newline)
(display (map check '(1 2 3 4 5))) (newline)
