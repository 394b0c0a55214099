;;; expect: error
;; probe3 (outside-style): the program stops with a run-time error after its first output
(define (second lst) (car (cdr lst)))
(display (second '(1 2 3))) (newline)
(display (second '(1))) (newline)
(display "unreachable") (newline)
