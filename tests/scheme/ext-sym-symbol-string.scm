;; symbols and their names: symbol->string, string->symbol, interning
;; (the same name gives an eq? symbol), and case-sensitivity.
(define names '(alpha Beta gamma-ray x->y <=?))
(for-each (lambda (s) (write (symbol->string s)) (display " ")) names)
(newline)
(display (eq? 'alpha (string->symbol "alpha"))) (display (eq? 'Beta 'beta)) (newline)
(define (suffix s n) (string->symbol (string-append (symbol->string s) "-" (number->string n))))
(write (map suffix names (iota 5))) (newline)
(display (symbol? (suffix 'a 1))) (display (string? (symbol->string 'a))) (newline)
(display (string<? (symbol->string 'apple) (symbol->string 'banana))) (newline)
(write (string->symbol "UPPER")) (newline)
