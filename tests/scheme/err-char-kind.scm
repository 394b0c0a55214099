;;; expect: error
;; a string where a character is needed
(display (char-upcase #\a))
(newline)
(display (char-upcase "a"))
