(display (list-ref '(a b c) 2)) (newline)
(display "now out of range") (newline)
(display (list-ref '(a b c) 3)) (newline)
