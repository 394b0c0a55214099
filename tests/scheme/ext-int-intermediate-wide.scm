;; only the final result must fit in 32 bits: intermediate sums and
;; products may pass 2^31 (they do in Guile, whose integers have no limit).
(define (mul3 a b c) (* a b c))
(define (sum4 a b c d) (+ a b c d))
(display (mul3 65536 65536 0)) (newline)
(display (sum4 2147483647 2147483647 -2147483647 -2147483647)) (newline)
(display (mul3 2147483647 2147483647 0)) (newline)
(display (sum4 -2147483648 -2147483648 2147483647 2147483647)) (newline)
