;; sieve of Eratosthenes.
(define limit 2000)
(define composite (make-vector (+ limit 1) #f))
(do ((i 2 (+ i 1))) ((> (* i i) limit))
  (unless (vector-ref composite i)
    (do ((j (* i i) (+ j i))) ((> j limit))
      (vector-set! composite j #t))))

(define (prime? n) (and (>= n 2) (not (vector-ref composite n))))

(define count 0)
(do ((n 2 (+ n 1))) ((> n limit))
  (when (prime? n) (set! count (+ count 1))))
(display count) (newline)

(let loop ((n 2) (shown 0))
  (when (< shown 25)
    (if (prime? n)
        (begin (display n) (display " ") (loop (+ n 1) (+ shown 1)))
        (loop (+ n 1) shown))))
(newline)

;; twin primes below the limit
(define twins 0)
(do ((n 3 (+ n 2))) ((> (+ n 2) limit))
  (when (and (prime? n) (prime? (+ n 2))) (set! twins (+ twins 1))))
(display twins) (newline)
(display (prime? 1999)) (display (prime? 1997)) (display (prime? 1995)) (newline)
