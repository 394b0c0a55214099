;; vector index out of range after some output
(define v (vector 10 20 30))
(let loop ((i 0))
  (display (vector-ref v i)) (newline)
  (loop (+ i 1)))
