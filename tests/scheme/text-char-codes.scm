;; Characters and their codes, comparisons and case.
(display (map char->integer (string->list "AZaz09 "))) (newline)
(write (map integer->char '(72 105 33))) (newline)
(display (list (char<? #\a #\b) (char>? #\a #\b) (char=? #\x #\x) (char<=? #\a #\a #\b))) (newline)
(write (list (char-upcase #\q) (char-downcase #\Q) (char-upcase #\1))) (newline)
(write #\space) (write #\newline) (write #\a) (newline)
(display #\a) (display #\space) (display #\b) (newline)
