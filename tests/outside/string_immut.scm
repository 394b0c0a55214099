(define s "literal")
(display (string-ref s 0)) (newline)
(string-set! s 0 #\L)
(display s) (newline)
