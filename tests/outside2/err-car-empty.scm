;; car of the empty list in the middle of output
(define (firsts lists) (map car lists))
(display (firsts '((1 2) (3 4)))) (newline)
(display "next:") (newline)
(display (firsts '((1 2) () (3 4)))) (newline)
(display "not reached") (newline)
