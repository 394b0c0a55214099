;;; expect: error
;; An error inside an after thunk while an error unwinds: Guile reports it
;; and the outer after thunks still run; the status is an error's.
(dynamic-wind
  (lambda () (display "a") (newline))
  (lambda ()
    (dynamic-wind
      (lambda () (display "b") (newline))
      (lambda () (error "boom" 1 2))
      (lambda () (display "b-out") (newline) (cdr '()))))
  (lambda () (display "a-out") (newline)))
