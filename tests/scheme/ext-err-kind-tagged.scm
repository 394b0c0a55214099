;;; expect: error
;; a symbol taken from a vector that also holds integers reaches +.
(define data (vector 1 2 'three 4))
(define (total n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (vector-ref data i))))))
(display (total 2)) (newline)
(display (total 4)) (newline)
