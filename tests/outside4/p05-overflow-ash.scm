(define (shift x k) (ash x k))
(display (shift 1 31))
(newline)
