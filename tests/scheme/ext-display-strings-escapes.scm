;; write of strings with every escape Guile uses, built with make-string
;; and string so that the escapes come from the printer, not the reader.
(write (string #\a (integer->char 9) #\b)) (newline)
(write (string (integer->char 7) (integer->char 8) (integer->char 11) (integer->char 12) (integer->char 13))) (newline)
(write (string #\" #\\ #\')) (newline)
(write (make-string 3 (integer->char 1))) (newline)
(write (string (integer->char 127) (integer->char 955))) (newline)
(write "caf\xe9;") (newline)
(display (string-length "caf\xe9;")) (newline)
(write "\x41;\x42;") (newline)
(write (string-append "line1" (string #\newline) "line2")) (newline)
(write (string (integer->char 0) (integer->char 27) (integer->char 160))) (newline)
