(display "before") (newline)
(catch #t
  (lambda () (display "in thunk") (newline) (exit 4))
  (lambda (k . args) (display "handler: ") (write k) (newline)))
(display "after") (newline)
