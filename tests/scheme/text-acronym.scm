;; Acronyms from the first letter of each word.
(define (acronym s)
  (list->string
   (map (lambda (w) (char-upcase (string-ref w 0)))
        (filter (lambda (w) (> (string-length w) 0)) (string-split s #\space)))))
(display (acronym "portable network graphics")) (newline)
(display (acronym "as soon  as possible")) (newline)
(write (acronym "")) (newline)
