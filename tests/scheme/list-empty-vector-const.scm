;; a literal #() inside a quoted list prints in compiled code too
(write '(() (()) #())) (newline)
(display '(1 #() (#()) #(2))) (newline)
(define l '(#() a))
(write (car l)) (newline)
(write (list (car l) (vector) (vector 1))) (newline)
