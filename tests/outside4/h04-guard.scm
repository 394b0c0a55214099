(define (safe-div a b)
  (with-exception-handler
    (lambda (e) 'div-error)
    (lambda () (if (= b 0) (raise-exception 'zero) (quotient a b)))
    #:unwind? #t))
(display (safe-div 10 2)) (newline)
(display (safe-div 10 0)) (newline)
