;; Fibonacci numbers past 2^31 and 2^62
(define (fib n)
  (let loop ((a 0) (b 1) (k n))
    (if (= k 0) a (loop b (+ a b) (- k 1)))))
(for-each (lambda (n)
            (display n) (display ": ") (display (fib n)) (newline))
          '(40 46 47 50 60 70 80 90 92 93 100))
