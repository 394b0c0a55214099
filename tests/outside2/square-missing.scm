;; square is not bound in Guile 3.0.8: output up to the error, status 1
(display (list (expt 2 10) (expt -2 3) (expt 7 0))) (newline)
(display (square 12)) (newline)
(display "not reached") (newline)
