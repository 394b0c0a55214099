(display "x") (newline)
(exit 300)
