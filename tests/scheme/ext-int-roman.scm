;; integers to Roman numerals, printed piece by piece from two parallel
;; vectors of values and numeral symbols.
(define values-v (vector 1000 900 500 400 100 90 50 40 10 9 5 4 1))
(define numerals (vector 'M 'CM 'D 'CD 'C 'XC 'L 'XL 'X 'IX 'V 'IV 'I))
(define (roman n)
  (let loop ((n n) (k 0))
    (when (> n 0)
      (if (>= n (vector-ref values-v k))
          (begin (display (vector-ref numerals k)) (loop (- n (vector-ref values-v k)) k))
          (loop n (+ k 1))))))
(define (show n) (display n) (display " = ") (roman n) (newline))
(show 1) (show 4) (show 9) (show 14) (show 40) (show 90) (show 400) (show 1994) (show 2024) (show 3999)
