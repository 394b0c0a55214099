;; a bit set of small integers kept in a vector of 30-bit words, with the
;; shift computed from the element (a shift count not known in advance).
(define (make-bitset n) (make-vector (+ 1 (quotient n 30)) 0))
(define (bit k) (ash 1 (remainder k 30)))
(define (add! s k) (vector-set! s (quotient k 30) (logior (vector-ref s (quotient k 30)) (bit k))))
(define (has? s k) (not (= 0 (logand (vector-ref s (quotient k 30)) (bit k)))))
(define s (make-bitset 100))
(do ((k 0 (+ k 7))) ((> k 100)) (add! s k))
(do ((k 0 (+ k 1))) ((> k 30)) (when (has? s k) (display k) (display " ")))
(newline)
(display s) (newline)
