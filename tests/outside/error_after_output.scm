(define (loop i)
  (display i) (display " ")
  (if (= i 5) (error "limit reached at" i 'stop #\!) (loop (+ i 1))))
(loop 0)
