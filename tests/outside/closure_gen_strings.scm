(define (make-gen lst)
  (lambda ()
    (if (null? lst) 'done
        (let ((x (car lst))) (set! lst (cdr lst)) x))))
(define g (make-gen '(a "b" #\c 4)))
(write (g)) (write (g)) (write (g)) (write (g)) (write (g)) (newline)
(define (make-greeter greeting) (lambda (name) (string-append greeting ", " name "!")))
(define hi (make-greeter "Hello"))
(display (hi "world")) (newline)
