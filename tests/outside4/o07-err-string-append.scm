(define (greet name) (string-append "Hello, " name "!"))
(display (greet "Ann")) (newline)
(display (greet 42)) (newline)
