;; message passing: an account is a closure over its balance that
;; answers symbols; two accounts share nothing, a transfer touches both.
(define (make-account balance)
  (define (withdraw amount)
    (if (> amount balance) 'insufficient
        (begin (set! balance (- balance amount)) balance)))
  (define (deposit amount) (set! balance (+ balance amount)) balance)
  (lambda (msg . args)
    (case msg
      ((balance) balance)
      ((withdraw) (withdraw (car args)))
      ((deposit) (deposit (car args)))
      (else 'unknown))))
(define a (make-account 100))
(define b (make-account 5))
(display (a 'withdraw 30)) (display " ") (display (a 'withdraw 100)) (display " ")
(display (b 'deposit 20)) (display " ") (display (a 'fly)) (newline)
(define (transfer from to amount)
  (let ((r (from 'withdraw amount)))
    (if (eq? r 'insufficient) r (begin (to 'deposit amount) 'ok))))
(display (transfer a b 50)) (display " ") (display (transfer b a 500)) (newline)
(display (list (a 'balance) (b 'balance))) (newline)
