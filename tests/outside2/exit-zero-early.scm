(display "partial")
(newline)
(exit 0)
(display "never")
