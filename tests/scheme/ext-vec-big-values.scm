;; a vector of values far outside the 16-bit range, summed in halves so
;; the total stays in 32 bits, and searched for its extremes.
(define v (make-vector 40 0))
(do ((i 0 (+ i 1))) ((= i 40))
  (vector-set! v i (* (if (even? i) 1 -1) (+ 50000000 (* i 1234567)))))
(define (sum-range lo hi) (let loop ((i lo) (s 0)) (if (= i hi) s (loop (+ i 1) (+ s (vector-ref v i))))))
(display (sum-range 0 20)) (display " ") (display (sum-range 20 40)) (newline)
(define (extremes)
  (let loop ((i 1) (lo (vector-ref v 0)) (hi (vector-ref v 0)))
    (if (= i 40) (begin (display lo) (display " ") (display hi) (newline))
        (loop (+ i 1) (min lo (vector-ref v i)) (max hi (vector-ref v i))))))
(extremes)
(display (vector-ref v 39)) (display " ") (display (vector-ref v 38)) (newline)
(display (- (vector-ref v 38) (vector-ref v 39))) (newline)
