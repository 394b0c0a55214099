(display "negative") (newline)
(exit -1)
