(display (length '(1 2 3))) (newline)
(display (length '(1 2 . 3))) (newline)
