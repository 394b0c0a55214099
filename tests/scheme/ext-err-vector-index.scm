;;; expect: error
;; reading one past the end of a vector inside a loop: the output before
;; the error is printed, then the program stops.
(define v (vector 10 20 30))
(define (sum-to k)
  (let loop ((i 0) (s 0))
    (if (> i k) s (loop (+ i 1) (+ s (vector-ref v i))))))
(display (sum-to 2)) (newline)
(display (sum-to 3)) (newline)
(display "not reached") (newline)
