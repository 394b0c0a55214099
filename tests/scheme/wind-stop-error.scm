;;; expect: error
;; `error` inside dynamic-wind, through a procedure, with a catch of
;; another key around it: nothing takes it, the after thunks run.
(define (check n)
  (if (> n 2) (error "too big:" n) n))
(catch 'other
  (lambda ()
    (dynamic-wind
      (lambda () (display "open") (newline))
      (lambda () (for-each (lambda (i) (display (check i)) (newline)) '(1 2 3 4)))
      (lambda () (display "close") (newline))))
  (lambda (k . args) (display "wrong handler") (newline)))
