;; string-map style transformations written with string->list.
(define (map-string f s) (list->string (map f (string->list s))))
(write (map-string (lambda (c) (if (memv c '(#\a #\e #\i #\o #\u)) #\* c)) "programming language")) (newline)
(write (map-string char-upcase "shout")) (newline)
(write (map-string (lambda (c) (if (char=? c #\space) #\_ c)) "snake case me")) (newline)
(write (string-map char-downcase "QUIET")) (newline)
