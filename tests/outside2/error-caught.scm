;; errors caught with guard-free Guile core: catch and with-exception-handler
(define result
  (catch #t
    (lambda () (error "boom" 1 2) 'not-here)
    (lambda (key . args) (list 'caught key))))
(display result) (newline)
(define r2
  (with-exception-handler
   (lambda (e) 'handled)
   (lambda () (raise-exception 'oops))
   #:unwind? #t))
(display r2) (newline)
(display "after") (newline)
