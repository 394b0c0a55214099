;; Symbols made from strings that need #{...}# to be read back.
(display (string->symbol "hello world")) (newline)
(write (string->symbol "hello world")) (newline)
(display (list (string->symbol "a b") (string->symbol ""))) (newline)
(write (list (string->symbol "a b") (string->symbol ""))) (newline)
(display (string->symbol "12")) (newline)
(display (string->symbol "x;y")) (newline)
(display (string->symbol "plain")) (newline)
(display (symbol->string (string->symbol "two words"))) (newline)
