(display "start") (newline)
(for-each (lambda (x) (display (* x x)) (display " ")) '(1 2 3))
(newline)
(exit 1)
