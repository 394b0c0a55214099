;; Memoised Fibonacci with an association list in a closure.
(define (make-memo-fib)
  (let ((memo '()))
    (define (fib n)
      (if (< n 2) n
          (let ((hit (assv n memo)))
            (if hit (cdr hit)
                (let ((v (+ (fib (- n 1)) (fib (- n 2)))))
                  (set! memo (cons (cons n v) memo))
                  v)))))
    fib))
(define fib (make-memo-fib))
(display (fib 30)) (newline)
(display (map fib '(0 1 2 3 4 5 10 20))) (newline)
