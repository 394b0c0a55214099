;; digits of negative numbers: quotient and remainder truncate, so the
;; digits come out negative; digit sums, reversals and a digital root.
(define (digit-sum n)
  (let loop ((n n) (s 0))
    (if (= n 0) s (loop (quotient n 10) (+ s (remainder n 10))))))
(define (reverse-digits n)
  (let loop ((n n) (r 0))
    (if (= n 0) r (loop (quotient n 10) (+ (* r 10) (remainder n 10))))))
(define (digital-root n)
  (if (< (abs n) 10) n (digital-root (digit-sum n))))
(define (row n)
  (display n) (display " ") (display (digit-sum n)) (display " ")
  (display (reverse-digits n)) (display " ") (display (digital-root n)) (newline))
(row 12345) (row -12345) (row 1000) (row -7) (row 0) (row 1463847412) (row -1463847412)
