(display "a") (newline)
(set! undefined-thing 5)
(display undefined-thing) (newline)
