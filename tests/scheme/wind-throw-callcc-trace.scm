;; probe3 (outside-style program, written without looking at tests/scheme)
(define trace '())
(define (log! x) (set! trace (cons x trace)))
(catch 'oops
  (lambda ()
    (dynamic-wind
      (lambda () (log! 'enter))
      (lambda () (log! 'body) (throw 'oops 1) (log! 'never))
      (lambda () (log! 'exit))))
  (lambda (k . args) (log! (list 'caught k args))))
(write (reverse trace)) (newline)
(set! trace '())
(define k2 #f)
(define r (call/cc (lambda (k)
  (dynamic-wind
    (lambda () (log! 'a))
    (lambda () (dynamic-wind (lambda () (log! 'b)) (lambda () (k 'out)) (lambda () (log! 'c))))
    (lambda () (log! 'd))))))
(write (list r (reverse trace))) (newline)
