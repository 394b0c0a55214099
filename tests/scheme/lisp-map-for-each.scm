;; map over one and several lists, for-each for effects, in order.
(display (map (lambda (x) (* x x)) '(1 2 3 4))) (newline)
(display (map + '(1 2 3) '(10 20 30))) (newline)
(display (map list '(a b c) '(1 2 3))) (newline)
(for-each (lambda (x y) (display x) (display "=") (display y) (display ";"))
          '(a b) '(1 2))
(newline)
(display (map (lambda (x) (if (even? x) 'even 'odd)) '(1 2 3))) (newline)
(display (map car '((1 . 2) (3 . 4)))) (newline)
