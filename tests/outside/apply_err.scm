(display (apply max '(3 1 2))) (newline)
(display (apply max '())) (newline)
