;; memq, memv and member return the tail starting at the element.
(define l '(a b c d))
(display (memq 'c l)) (newline)
(display (memq 'z l)) (newline)
(display (memv 3 '(1 2 3 4))) (newline)
(display (member '(2) '((1) (2) (3)))) (newline)
(display (memq '(2) '((1) (2) (3)))) (newline)
(display (if (memq 'b l) 'yes 'no)) (newline)
