(write (assoc 2 '((1 . a) (2 . b)) =)) (newline)
(write (member 2 '(1 2 3) (lambda (a b) (= (* a 2) b)))) (newline)
(write (assoc "B" '(("a" . 1) ("b" . 2)) (lambda (a b) (string=? (string-downcase a) b)))) (newline)
