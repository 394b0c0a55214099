;; the applicative-order Y combinator: recursion without define, only
;; lambdas passing themselves along.
(define Y
  (lambda (f)
    ((lambda (x) (f (lambda (n) ((x x) n))))
     (lambda (x) (f (lambda (n) ((x x) n)))))))
(define fact (Y (lambda (self) (lambda (n) (if (= n 0) 1 (* n (self (- n 1))))))))
(define fib (Y (lambda (self) (lambda (n) (if (< n 2) n (+ (self (- n 1)) (self (- n 2))))))))
(display (fact 10)) (display " ") (display (fact 12)) (newline)
(display (fib 20)) (newline)
(display (((lambda (f) (f f)) (lambda (self) (lambda (n) (if (= n 0) 'done ((self self) (- n 1)))))) 1000)) (newline)
