;; member and assoc compare with equal?: two strings of the same text are
;; equal (compiled code printed #f here: it compared them with eqv?).
(display (member "x" (list "y" "x"))) (newline)
(display (assoc "b" (list (cons "a" 1) (cons "b" 2)))) (newline)
(display (member "z" (list "y" "x"))) (newline)
