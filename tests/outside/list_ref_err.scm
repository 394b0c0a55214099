(define l '(a b c))
(display (list-ref l 2)) (newline)
(display (list-ref l 5)) (newline)
