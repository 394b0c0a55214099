;; (exit) inside winds, from a procedure: the after thunks run, innermost
;; first, and the status is 0.
(define (finish) (display "finishing") (newline) (exit))
(dynamic-wind
  (lambda () (display "outer") (newline))
  (lambda ()
    (dynamic-wind (lambda () (display "inner") (newline))
                  (lambda () (finish) (display "never") (newline))
                  (lambda () (display "inner-out") (newline))))
  (lambda () (display "outer-out") (newline)))
(display "never")
(newline)
