;; apply with a non-list last argument
(display (apply + 1 2 '(3))) (newline)
(display (apply + 1 2 3)) (newline)
