;; (current-error-port): text written to it goes to the standard error,
;; never to the program's output (which this test compares); force-output
;; does nothing; list-set! gives the value it stores.
(define (warn . xs)
  (for-each (lambda (x) (display x (current-error-port))) xs)
  (newline (current-error-port)))
(display "out 1") (newline)
(warn "a warning " 42)
(force-output)
(display "out 2") (newline)
(force-output (current-output-port))
(write (current-error-port)) (newline)
(write (list-set! (list 1 2 3) 1 'x)) (newline)
(display force-output) (newline)
