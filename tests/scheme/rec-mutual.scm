;; mutual recursion: parity, and Hofstadter's Female and Male sequences.
(define (my-even? n) (if (= n 0) #t (my-odd? (- n 1))))
(define (my-odd? n) (if (= n 0) #f (my-even? (- n 1))))
(display (my-even? 1000)) (display " ") (display (my-odd? 777)) (newline)

(define (F n) (if (= n 0) 1 (- n (M (F (- n 1))))))
(define (M n) (if (= n 0) 0 (- n (F (M (- n 1))))))
(do ((i 0 (+ i 1))) ((= i 20))
  (display (F i)) (display " "))
(newline)
(do ((i 0 (+ i 1))) ((= i 20))
  (display (M i)) (display " "))
(newline)

;; mutual recursion between local procedures
(define (count-down-by-twos n)
  (define (ping k acc) (if (<= k 0) acc (pong (- k 1) (+ acc 1))))
  (define (pong k acc) (if (<= k 0) acc (ping (- k 1) (+ acc 10))))
  (ping n 0))
(display (count-down-by-twos 7)) (newline)
