(define (checked-div a b) (if (= b 0) (error "division by zero:" a) (quotient a b)))
(display (map (lambda (b) (checked-div 100 b)) '(1 2 5))) (newline)
(display (map (lambda (b) (checked-div 100 b)) '(1 0 5))) (newline)
