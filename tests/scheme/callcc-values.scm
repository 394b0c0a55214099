;; continuations as values: kept in a variable and called later while
;; the call/cc runs, passed to other procedures, a call/cc per iteration
;; of a loop, call-with-current-continuation spelled out, several values
(define (sum-until lst limit)
  (call/cc
   (lambda (k)
     (let ((stop k) (total 0))
       (for-each (lambda (x)
                   (set! total (+ total x))
                   (if (> total limit) (stop (list 'over total))))
                 lst)
       (list 'sum total)))))
(write (list (sum-until '(1 2 3) 100) (sum-until (iota 10) 12))) (newline)

(define (check x fail) (if (number? x) x (fail (list 'not-a-number x))))
(define (add-all lst)
  (call-with-current-continuation
   (lambda (fail) (apply + (map (lambda (x) (check x fail)) lst)))))
(write (list (add-all '(1 2 3)) (add-all '(1 two 3)))) (newline)

(define (marks n)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        (reverse acc)
        (loop (+ i 1)
              (cons (call/cc (lambda (k) (if (= 0 (remainder i 3)) (k (* i 10)) i))) acc)))))
(write (marks 8)) (newline)

(define (escape-with-kind x)
  (call/cc (lambda (k) (cond ((> x 10) (k 'big)) ((< x 0) (k "negative")) (else x)))))
(write (map escape-with-kind '(1 20 -3 7))) (newline)

(define (apply-k f) (call/cc (lambda (k) (f k))))
(display (apply-k (lambda (k) (+ 1 (k 41))))) (newline)
(display (apply-k (lambda (k) 5))) (newline)
(display (procedure? (call/cc (lambda (k) k)))) (newline)
(display (call/cc procedure?)) (newline)

(call-with-values
  (lambda () (call/cc (lambda (k) (k 1 2))))
  (lambda (a b) (display (list a b)) (newline)))
(call-with-values
  (lambda () (call/cc (lambda (k) (values 3 4))))
  (lambda (a b) (display (+ a b)) (newline)))
(call-with-values
  (lambda () (call-with-current-continuation (lambda (k) (k))))
  (lambda () (display "no values") (newline)))
(display (+ 1 (call/cc (lambda (k) 41)))) (newline)
