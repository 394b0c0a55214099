;; quoted data: lists, dotted pairs, nested vectors, symbols, the empty list.
(display '(1 (2 3) . 4)) (newline)
(display '(a . (b . (c . ())))) (newline)
(display '((1 . 2) (3 . 4))) (newline)
(display '#(1 (2 #(3)) ())) (newline)
(write '(quote x)) (newline)
(display (car '((a b) c))) (newline)
(display (length '(() () ()))) (newline)
(write '("s" #t #f 0 -7 sym)) (newline)
