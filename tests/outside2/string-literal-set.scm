;; string-set! on a fresh copy works; on a literal Guile raises an error
(define s (string-copy "hello"))
(string-set! s 0 #\j)
(display s) (newline)
(define t "literal")
(string-set! t 0 #\L)
(display t) (newline)
