;; how write names characters: the control characters Guile knows by
;; name, printable ASCII, and code points beyond it.
(define (w c) (write c) (display " "))
(w #\nul) (w #\alarm) (w #\backspace) (w #\tab) (w #\newline) (w #\return)
(w #\escape) (w #\delete) (w #\space) (newline)
(w (integer->char 1)) (w (integer->char 31)) (w (integer->char 127)) (newline)
(w #\x41) (w #\101) (w #\() (w #\;) (w #\\) (w #\") (newline)
(w (integer->char 955)) (w (integer->char 233)) (w (integer->char 8364)) (newline)
(display (char->integer #\tab)) (display " ") (display (char->integer #\delete)) (newline)
(display (list #\a #\space #\b)) (newline)
(write (list #\a #\space #\b)) (newline)
(w (integer->char 160)) (w (integer->char 173)) (w (integer->char 8203)) (w (integer->char 12288)) (newline)
