;; a script that stops itself with (exit) at top level once its work is
;; done: status 0, the output before it kept, nothing after it run.
(define (report n) (display "checked ") (display n) (display " values") (newline))
(define v (vector 3 1 2))
(report (vector-length v))
(exit)
(display "never printed") (newline)
