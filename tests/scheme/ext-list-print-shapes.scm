;; how pairs print when written in their dotted form, mixed with vectors,
;; strings and characters, and the empty list in odd places.
(write '(a . (b . (c)))) (newline)
(write '(1 . (2 . 3))) (newline)
(write (cons 1 (vector 2 3))) (newline)
(write (vector '(1 . 2) '() (list))) (newline)
(write (cons '() '())) (newline)
(write (list (list) (list (list)))) (newline)
(write (cons "s" #\c)) (display " ") (display (cons "s" #\c)) (newline)
(write (append '(1) 2)) (display " ") (write (append '() 'x)) (newline)
(write (list 'quote 'x)) (display " ") (write '(quote)) (display " ") (write '(quote x . y)) (newline)
(write (cons 1 (cons 2 '()))) (display " ") (write (cons* 1 2 3)) (newline)
(display (list #t #f -0 'nil)) (newline)
(write (reverse '())) (write (list-copy '())) (write (map car '())) (newline)
