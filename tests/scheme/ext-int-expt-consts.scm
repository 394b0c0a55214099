;; expt with constant exponents: powers that just fit in 32 bits, odd
;; powers of negative bases, and the zero cases.
(define (p b) (display (expt b 0)) (display " ") (display (expt b 1)) (display " ")
  (display (expt b 2)) (display " ") (display (expt b 3)) (newline))
(p 0) (p 1) (p -1) (p 7) (p -9) (p 1290)
(display (expt 3 19)) (newline)
(display (expt -3 19)) (newline)
(display (expt -2 31)) (newline)
(display (expt 10 9)) (newline)
(display (expt -46340 2)) (newline)
