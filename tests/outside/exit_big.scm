(display "exit 256") (newline)
(exit 256)
