;;; expect: error
;; with-exception-handler and raise-exception, as Guile 3.0 has them without modules
(define r1 (call/cc (lambda (k) (with-exception-handler (lambda (e) (k (list 'caught e))) (lambda () (+ 1 (raise-exception 'oops)))))))
(display r1) (newline)
(define r2 (with-exception-handler (lambda (e) (list 'unwound e)) (lambda () (raise-exception (list 1 "two"))) #:unwind? #t))
(write r2) (newline)
(define r3 (with-exception-handler (lambda (e) 10) (lambda () (+ 1 (raise-exception 'c #:continuable? #t)))))
(display r3) (newline)
(define r10 (with-exception-handler (lambda (e) (list 'outer e)) (lambda () (with-exception-handler (lambda (e) (raise-exception (list 'inner e))) (lambda () (raise-exception 'x)))) #:unwind? #t))
(write r10) (newline)
(write (with-exception-handler (lambda (e) 'h) (lambda () 'normal))) (newline)
(write (call-with-values (lambda () (with-exception-handler (lambda (e) 'h) (lambda () (values 1 2)) #:unwind? #t)) list)) (newline)
(define (safe-div a b)
  (with-exception-handler
   (lambda (e) (if (eq? e 'div-by-zero) 0 (raise-exception e)))
   (lambda () (if (= b 0) (raise-exception 'div-by-zero) (quotient a b)))
   #:unwind? #t))
(display (map (lambda (b) (safe-div 12 b)) (list 1 0 5))) (newline)
(define log '())
(define (note x) (set! log (cons x log)))
(define r11
  (with-exception-handler
   (lambda (e) (note (list 'handled e)) (* e 2))
   (lambda ()
     (let loop ((i 0) (acc 0))
       (if (= i 4) acc
           (loop (+ i 1) (+ acc (raise-exception i #:continuable? #t))))))))
(display (list r11 (reverse log))) (newline)
(define r12
  (catch #t
    (lambda () (raise-exception 'to-catch))
    (lambda (key . args) (list key args))))
(write r12) (newline)
(define r13
  (with-exception-handler
   (lambda (e) (list 'outer-got e))
   (lambda ()
     (dynamic-wind
      (lambda () (display "[in]"))
      (lambda () (raise-exception 'w))
      (lambda () (display "[out]"))))
   #:unwind? #t))
(write r13) (newline)
(define r14
  (call/cc
   (lambda (k)
     (with-exception-handler
      (lambda (e) (k (string-append "bad: " e)))
      (lambda () (for-each (lambda (s) (if (string=? s "") (raise-exception "empty") (display s))) '("a" "b" "" "c")) 'done)))))
(newline) (display r14) (newline)
(display (with-exception-handler (lambda (e) (display "in handler ") 5) (lambda () (+ 1 (raise-exception 'nc)))))
(display "after")
