;; integer square roots by Newton's method and by binary search.
(define (isqrt-newton n)
  (if (< n 2)
      n
      ;; 46341 squared is above every 32-bit integer: Newton's method
      ;; descends from there without leaving the range.
      (let loop ((x 46341))
        (let ((y (quotient (+ x (quotient n x)) 2)))
          (if (>= y x) x (loop y))))))
(define (isqrt-bisect n)
  (let loop ((lo 0) (hi 46341))
    (if (= (+ lo 1) hi)
        lo
        (let ((mid (quotient (+ lo hi) 2)))
          (if (<= (* mid mid) n) (loop mid hi) (loop lo mid))))))
(define (check n)
  (display n) (display " ") (display (isqrt-newton n)) (display " ")
  (display (= (isqrt-newton n) (isqrt-bisect n))) (newline))
(check 0)
(check 1)
(check 15)
(check 16)
(check 17)
(check 1000000)
(check 999999999)
(check 2147395600)
(check 2147483647)
