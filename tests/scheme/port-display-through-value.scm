;; display and write passed as values (to for-each, map, a procedure of
;; the program) inside with-output-to-string: the text of an integer or a
;; symbol is made by a library procedure that nothing else named
(define (csv-ints lst)
  (with-output-to-string (lambda () (for-each display lst))))
(write (csv-ints '(1 2 3))) (newline)
(write (with-output-to-string (lambda () (for-each write '(10 -20))))) (newline)
(write (with-output-to-string (lambda () (for-each display '(a b c))))) (newline)
(define (each f l) (if (pair? l) (begin (f (car l)) (each f (cdr l)))))
(write (with-output-to-string (lambda () (each display '(4 5 6))))) (newline)
(write (call-with-output-string (lambda (p) (display 7 p) (for-each display '(8 9)))))
(newline)
