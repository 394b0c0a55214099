;;; expect: error
;; A kind error inside dynamic-wind that no catch takes: Guile runs the
;; after thunk before the program stops.
(display "start")
(newline)
(dynamic-wind
  (lambda () (display "in") (newline))
  (lambda () (car 5))
  (lambda () (display "out") (newline)))
(display "never")
(newline)
