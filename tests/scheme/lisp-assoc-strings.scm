;; assoc with string keys (equal?) against assq and assv.
(define colors '(("red" . 1) ("green" . 2) ("blue" . 3)))
(display (assoc "green" colors)) (newline)
(display (assoc "purple" colors)) (newline)
(define nums '((1 . one) (2 . two)))
(display (assv 2 nums)) (newline)
(display (assq 'x '((x . 10) (y . 20)))) (newline)
(display (member '(1) '((0) (1) (2)))) (newline)
(display (memq 'c '(a b c d))) (newline)
