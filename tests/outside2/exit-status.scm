;; exit with a status code after output
(define (check x)
  (if (< x 0)
      (begin (display "negative, exiting") (newline) (exit 3))
      (begin (display x) (newline))))
(for-each check '(1 2 -1 4))
(display "unreachable") (newline)
