;; probe3: logcount (Guile core) in a popcount exercise, and force-output
;; after progress output, as scripts write it
(define (hamming a b) (logcount (logxor a b)))
(display (map logcount '(0 1 7 8 255 1023 -1 -2 -256 2147483647 -2147483648))) (newline)
(display (hamming 1 4)) (newline)
(display (hamming 93 73)) (newline)
(define (progress i n)
  (display "step ") (display i) (display "/") (display n) (newline)
  (force-output))
(do ((i 1 (+ i 1))) ((> i 3)) (progress i 3))
(display (map (lambda (n) (if (= 1 (logcount n)) 'pow2 'no)) '(1 2 3 64 96))) (newline)
