;; computations that must stay inside 32 bits: multiplication modulo m
;; (below 2^30) by doubling, and a linear congruential generator masked to
;; 16 bits.
(define (mulmod a b m)
  (let loop ((a (modulo a m)) (b b) (acc 0))
    (cond ((= b 0) acc)
          ((odd? b) (loop (modulo (* a 2) m) (quotient b 2) (modulo (+ acc a) m)))
          (else (loop (modulo (* a 2) m) (quotient b 2) acc)))))
(display (mulmod 123456789 987654321 1000000007)) (newline)
(display (mulmod 1073741788 1073741788 1073741789)) (newline)
(display (mulmod 1000000 1000000 999983)) (newline)

(define seed 42)
(define (next-random!)
  (set! seed (logand (+ (* seed 25173) 13849) 65535))
  seed)
(do ((i 0 (+ i 1))) ((= i 10))
  (display (next-random!)) (display " "))
(newline)

;; a checksum in the style of Adler-32, kept below 65521
(define (adler v)
  (let loop ((i 0) (a 1) (b 0))
    (if (= i (vector-length v))
        (+ (* b 65536) a)
        (let ((na (modulo (+ a (vector-ref v i)) 65521)))
          (loop (+ i 1) na (modulo (+ b na) 65521))))))
(display (adler (vector 87 105 107 105 112 101 100 105 97))) (newline)
