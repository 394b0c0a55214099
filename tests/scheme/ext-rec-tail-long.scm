;; tail calls that run long: a counting loop of 40000 iterations through
;; two procedures, and an accumulator kept inside 32 bits with modulo.
(define (even-steps n acc) (if (= n 0) acc (odd-steps (- n 1) (modulo (+ (* acc 31) n) 1000003))))
(define (odd-steps n acc) (if (= n 0) acc (even-steps (- n 1) (modulo (+ (* acc 17) n) 1000003))))
(display (even-steps 40000 7)) (newline)
(define (count-down n) (cond ((= n 0) 'done) (else (count-down (- n 1)))))
(display (count-down 60000)) (newline)
