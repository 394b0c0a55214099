;; Between symbols and strings.
(define names '(apple banana cherry))
(write (map symbol->string names)) (newline)
(display (map (lambda (s) (string-length (symbol->string s))) names)) (newline)
(display (string->symbol "grape")) (newline)
(display (eq? (string->symbol "apple") 'apple)) (newline)
(display (symbol->string (string->symbol (string-append "ki" "wi")))) (newline)
(write (string-append (symbol->string 'foo) "-" (symbol->string 'bar))) (newline)
