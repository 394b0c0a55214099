;; while loops over globals and locals.
(define n 0)
(define total 0)
(while (< n 10)
  (set! n (+ n 1))
  (set! total (+ total n)))
(display total) (newline)

;; gcd by repeated subtraction
(define (sub-gcd a b)
  (while (not (= a b))
    (if (> a b)
        (set! a (- a b))
        (set! b (- b a))))
  a)
(display (sub-gcd 1071 462)) (newline)
(display (sub-gcd 17 5)) (newline)

;; number of binary digits
(define (bit-length x)
  (let ((count 0))
    (while (> x 0)
      (set! x (quotient x 2))
      (set! count (+ count 1)))
    count))
(display (bit-length 1)) (display " ")
(display (bit-length 255)) (display " ")
(display (bit-length 256)) (display " ")
(display (bit-length 2147483647)) (newline)

;; a while whose test is false at once
(define untouched 'yes)
(while #f (set! untouched 'no))
(display untouched) (newline)
