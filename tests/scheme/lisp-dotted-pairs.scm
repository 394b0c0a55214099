;; Dotted pairs and improper lists, printed as Guile prints them.
(display (cons 1 2)) (newline)
(display (cons 1 (cons 2 3))) (newline)
(display '(1 (2 . 3) . 4)) (newline)
(write (list (cons 'a "b") (cons #\c '()))) (newline)
(display (cdr '(1 . (2 . (3 . ()))))) (newline)
(display (pair? '())) (display (list? '(1 . 2))) (display (list? '(1 2))) (newline)
