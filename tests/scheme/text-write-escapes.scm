;; write shows strings and characters with Guile's escapes; display as they are.
(define s (string #\a #\tab #\b #\newline #\" #\\ #\c))
(write s) (newline)
(display (string-length s)) (newline)
(write (list #\tab #\nul #\x41 #\delete #\space)) (newline)
(write "caf\xe9;") (newline)
(write (string #\x7f #\x1b)) (newline)
(display "plain \"quoted\" text") (newline)
