;; factorial to 25 (bignums in Guile)
(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
(do ((i 0 (+ i 1))) ((> i 25))
  (display i) (display "! = ") (display (fact i)) (newline))
