(define s "abc")
(display (string-ref s 2)) (newline)
(display (string-ref s 3)) (newline)
