;; A backslash at the end of a line inside a string: the line break goes,
;; the next line's leading blanks stay (Guile 3's default).
(write "line\
       continued") (newline)
(display "no\
blanks") (newline)
(write (string-length "ab\
  cd")) (newline)
(display "tab\
	kept") (newline)
