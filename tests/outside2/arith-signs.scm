;; quotient, remainder, modulo with all sign combinations
(define pairs '((17 5) (-17 5) (17 -5) (-17 -5) (0 3) (5 17) (-5 17)))
(for-each
 (lambda (p)
   (let ((a (car p)) (b (cadr p)))
     (display (list a b (quotient a b) (remainder a b) (modulo a b)))
     (newline)))
 pairs)
(display (list (abs -5) (abs 5) (min 3 -2 7) (max 3 -2 7))) (newline)
(display (list (- 5) (- 0) (* -3 -4) (+ -1 1) (- -8 -3))) (newline)
(display (list (expt 2 10) (expt -2 3) (expt 7 0) (* 12 12))) (newline)
(display (list (even? -4) (odd? -3) (zero? 0) (negative? -1) (positive? 0))) (newline)
