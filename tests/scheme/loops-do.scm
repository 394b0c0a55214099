;; do loops: sums, products, a step-less variable, an empty body.
(define (sum-squares n)
  (do ((i 1 (+ i 1))
       (acc 0 (+ acc (* i i))))
      ((> i n) acc)))

(define (factorial n)
  (do ((i n (- i 1))
       (acc 1 (* acc i)))
      ((= i 0) acc)))

(display (sum-squares 10)) (newline)
(display (sum-squares 100)) (newline)
(display (factorial 10)) (newline)
(display (factorial 12)) (newline)

;; A variable without a step keeps what the body set! it to.
(define (last-odd-below n)
  (do ((i 0 (+ i 1))
       (last -1))
      ((= i n) last)
    (when (odd? i) (set! last i))))
(display (last-odd-below 10)) (newline)

;; Body only, result list empty: the loop runs for its effect.
(do ((i 0 (+ i 1))) ((= i 5))
  (display i)
  (display " "))
(newline)

;; Two variables stepping at once (a swap each round).
(do ((a 0 b) (b 1 (+ a b)) (k 0 (+ k 1)))
    ((= k 15) (display a) (newline)))
