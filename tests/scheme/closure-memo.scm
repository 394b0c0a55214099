;; memoization with a closure over an association list.
(define (memoize f)
  (let ((cache '()))
    (lambda (n)
      (let ((hit (assv n cache)))
        (if hit
            (cdr hit)
            (let ((v (f n)))
              (set! cache (cons (cons n v) cache))
              v))))))
(define calls 0)
(define slow-square (lambda (n) (set! calls (+ calls 1)) (* n n)))
(define fast-square (memoize slow-square))
(display (map fast-square '(3 4 3 3 4 5))) (newline)
(display calls) (newline)
(define memo-fib
  (memoize (lambda (n) (if (< n 2) n (+ (memo-fib (- n 1)) (memo-fib (- n 2)))))))
(display (memo-fib 45)) (newline)
