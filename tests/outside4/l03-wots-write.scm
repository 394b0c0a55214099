(define (to-string x) (with-output-to-string (lambda () (write x))))
(write (map to-string (list 1 "a" #\b 'c))) (newline)
(write (to-string '(1 (2 "x") #(3)))) (newline)
(display (string-length (to-string "hello"))) (newline)
