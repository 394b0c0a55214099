;; local procedures sharing state across loops: a bank of accounts kept in
;; a vector, updated through local helpers.
(define (simulate)
  (define accounts (make-vector 4 100))
  (define failures 0)
  (define (balance i) (vector-ref accounts i))
  (define (transfer! from to amount)
    (if (> amount (balance from))
        (set! failures (+ failures 1))
        (begin
          (vector-set! accounts from (- (balance from) amount))
          (vector-set! accounts to (+ (balance to) amount)))))
  (do ((round 0 (+ round 1))) ((= round 20))
    (transfer! (modulo round 4) (modulo (+ round 1) 4) (* round 7)))
  (display accounts) (newline)
  (display failures) (newline)
  (let total ((i 0) (s 0))
    (if (= i 4) s (total (+ i 1) (+ s (balance i))))))
(display (simulate)) (newline)
