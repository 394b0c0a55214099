(display "ok")
(newline)
(exit #t)
