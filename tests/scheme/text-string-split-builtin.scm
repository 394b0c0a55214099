;; Guile's string-split on a character, and joining the pieces back.
(write (string-split "a,b,,c" #\,)) (newline)
(write (string-split "no commas" #\,)) (newline)
(write (string-split "" #\,)) (newline)
(define (join l sep)
  (if (null? l) "" (let loop ((acc (car l)) (l (cdr l)))
                     (if (null? l) acc (loop (string-append acc sep (car l)) (cdr l))))))
(write (join (string-split "2026-12-06" #\-) "/")) (newline)
(write (join '() "/")) (newline)
