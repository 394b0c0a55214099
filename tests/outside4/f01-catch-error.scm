(define (risky n)
  (if (> n 5) (error "too big:" n) (* n n)))
(define (try n)
  (catch #t
    (lambda () (risky n))
    (lambda (key . args)
      (display "error caught, key=") (display key) (newline)
      -1)))
(display (try 3)) (newline)
(display (try 10)) (newline)
(catch #t
  (lambda () (error "boom" 1 2))
  (lambda (k . args) (write k) (display " ") (write args) (newline)))
(catch 'misc-error
  (lambda () (error "with symbol" 'foo "bar"))
  (lambda (k . args) (write (cadr args)) (write (caddr args)) (newline)))
