;; do in its less common shapes: no step, no body, several result
;; expressions, a variable stepped from another, and an empty vector loop.
(display (do ((i 0 (+ i 1)) (fixed 7)) ((= i 3) (* fixed i)))) (newline)
(display (do ((i 1 (* i 2))) ((> i 1000) i))) (newline)
(display (do ((i 0 (+ i 1)) (j 10 (- j i))) ((< j 0) (display "j went below at ") (display i) (newline) j))) (newline)
(do ((v (vector 1 2 3)) (i 0 (+ i 1))) ((= i 3) (display v) (newline))
  (vector-set! v i (* (vector-ref v i) (vector-ref v i))))
(define e (vector))
(do ((i 0 (+ i 1))) ((= i (vector-length e)) (display "empty loop done") (newline))
  (display "never"))
(display (do ((a 0 b) (b 1 (+ a b)) (k 0 (+ k 1))) ((= k 20) a))) (newline)
