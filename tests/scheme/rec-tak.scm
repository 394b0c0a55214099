;; the Takeuchi function, a classic recursion benchmark (small here).
(define (tak x y z)
  (if (not (< y x))
      z
      (tak (tak (- x 1) y z)
           (tak (- y 1) z x)
           (tak (- z 1) x y))))
(display (tak 18 12 6)) (newline)
(display (tak 12 8 4)) (newline)
(display (tak 3 2 1)) (newline)
