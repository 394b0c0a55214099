;; a program whose output is long: the first 1500 triangular numbers mod
;; 997, twenty to a line.
(do ((i 1 (+ i 1)) (t 1 (+ t i 1))) ((> i 1500))
  (display (modulo t 997))
  (display (if (= 0 (remainder i 20)) "\n" " ")))
(newline)
