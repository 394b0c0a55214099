;;; expect: error
;; raise-exception that no handler takes, inside dynamic-wind.
(define (f x) (if (symbol? x) (raise-exception x) x))
(display (f 1))
(newline)
(dynamic-wind (lambda () (display "in") (newline))
              (lambda () (f 'oops))
              (lambda () (display "out") (newline)))
