(display "done")
(newline)
(exit 0)
(display "after")
