(display "checking") (newline)
(define ok (= (length '(1 2 3)) 4))
(exit ok)
