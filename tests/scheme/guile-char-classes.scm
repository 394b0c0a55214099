;; Character classes and cases beyond ASCII are Guile's (Unicode), for
;; characters where the C library's C.UTF-8 locale answers otherwise.
(define (row cp)
  (let ((c (integer->char cp)))
    (display cp)
    (for-each (lambda (b) (display (if b " 1" " 0")))
              (list (char-alphabetic? c) (char-numeric? c) (char-whitespace? c)
                    (char-upper-case? c) (char-lower-case? c)))
    (display " ")
    (display (char->integer (char-upcase c)))
    (display " ")
    (display (char->integer (char-downcase c)))
    (newline)))
(for-each row
  '(65 97 48 32 133 160 170 181 186 223 255 304 305 383 453 454 455 837
    880 912 962 1012 1013 1633 1776 2406 4160 5760 6618 7838 8125 8126
    8232 8233 8239 8287 8304 8305 8319 8450 8486 8490 8491 8544 8560 9398
    9424 12288 12295 42802 43360 65296 65313 65345 66720 69734 120782
    125184 125218 127280 194560))
(display (char-ci=? (integer->char 962) (integer->char 931))) (newline)
(display (char-ci=? (integer->char 223) (integer->char 7838))) (newline)
(display (char-ci=? (integer->char 181) (integer->char 956))) (newline)
(display (string-ci=? (string (integer->char 181)) (string (integer->char 924)))) (newline)
(display (string-ci=? (string (integer->char 304)) "i")) (newline)
(display (string-ci=? "STRASSE" (string #\s #\t #\r #\a (integer->char 223) #\e))) (newline)
(write (string-upcase (string #\a (integer->char 223) (integer->char 454)))) (newline)
(write (string-downcase (string (integer->char 931) #\A (integer->char 304)))) (newline)
