;; integer square roots by Newton's method and by bisection
(define (isqrt-newton n)
  (if (< n 2) n
      (let loop ((x n))
        (let ((y (quotient (+ x (quotient n x)) 2)))
          (if (>= y x) x (loop y))))))
(define (isqrt-bisect n)
  (let loop ((lo 0) (hi (+ n 1)))
    (if (<= (- hi lo) 1) lo
        (let ((mid (quotient (+ lo hi) 2)))
          (if (<= (* mid mid) n) (loop mid hi) (loop lo mid))))))
(for-each (lambda (n) (display (list n (isqrt-newton n) (isqrt-bisect n))) (newline))
          '(0 1 2 3 4 15 16 17 99 100 1000000 2000000000))
