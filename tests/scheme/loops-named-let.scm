;; named let loops: iteration with accumulators.
(define (fib n)
  (let loop ((i 0) (a 0) (b 1))
    (if (= i n) a (loop (+ i 1) b (+ a b)))))

(define (digit-sum n)
  (let loop ((n n) (s 0))
    (if (= n 0) s (loop (quotient n 10) (+ s (remainder n 10))))))

(define (reverse-digits n)
  (let loop ((n n) (r 0))
    (if (= n 0) r (loop (quotient n 10) (+ (* r 10) (remainder n 10))))))

(let loop ((i 0))
  (when (<= i 20)
    (display (fib i))
    (display " ")
    (loop (+ i 1))))
(newline)
(display (fib 45)) (newline)
(display (digit-sum 987654321)) (newline)
(display (reverse-digits 123456789)) (newline)

;; a loop that counts down and builds nothing but output
(let countdown ((k 5))
  (display k)
  (if (> k 0)
      (begin (display ",") (countdown (- k 1)))
      (newline)))

;; a long loop: constant space in both Schemes
(display (let loop ((i 0) (acc 0))
           (if (= i 100000) acc (loop (+ i 1) (+ acc (modulo i 7))))))
(newline)
