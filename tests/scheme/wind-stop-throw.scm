;;; expect: error
;; An uncaught throw and raise-exception inside winds: the after thunks
;; run (the first form's throw is caught and runs its after thunk too).
(catch 'k
  (lambda ()
    (dynamic-wind (lambda () (display "a") (newline))
                  (lambda () (throw 'k 1))
                  (lambda () (display "a-out") (newline))))
  (lambda (key . args) (display (cons key args)) (newline)))
(dynamic-wind (lambda () (display "b") (newline))
              (lambda ()
                (dynamic-wind (lambda () (display "c") (newline))
                              (lambda () (throw 'nobody 'here 2))
                              (lambda () (display "c-out") (newline))))
              (lambda () (display "b-out") (newline)))
