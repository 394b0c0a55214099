;; An escape out of with-output-to-string: the output goes back to the
;; program's own port.
(define (try n)
  (call/cc
    (lambda (k)
      (with-output-to-string
        (lambda ()
          (display "in")
          (when (> n 3) (k 'out))
          (display n))))))
(display (try 2))
(newline)
(display (try 7))
(display " after")
(newline)
(define (first-big l)
  (call-with-current-continuation
    (lambda (return)
      (with-output-to-string
        (lambda ()
          (for-each (lambda (x) (if (> x 10) (return (number->string x)) (display x))) l))))))
(write (list (first-big '(1 2 3)) (first-big '(1 20 3))))
(newline)
