; errors of builtins caught by catch, with handlers that ignore the
; error's arguments: compiled code takes them too (lang/lower-wind.c)
(define (show x) (write x) (newline))
(define (try thunk) (catch #t thunk (lambda (key . args) (list 'caught key))))
(define (first x) (car x))
(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))
(show (try (lambda () (first '()))))
(show (try (lambda () (first '(1 2)))))
(show (try (lambda () (sum '(1 2 x 4)))))
(show (try (lambda () (sum '(1 2 3 4)))))
(show (try (lambda () (vector-ref (vector 1 2 3) 3))))
(show (try (lambda () (vector-ref (vector 1 2 3) 2))))
(define vec (vector 1 2 3))
(define (store! i) (vector-set! vec i 'x) vec)
(show (try (lambda () (store! 3))))
(show (try (lambda () (store! 0))))
(show (try (lambda () (quotient 7 0))))
(show (try (lambda () (remainder 7 (- 2 2)))))
(show (try (lambda () (modulo 7 2))))
; only the catch that takes the key: the inner one does not
(show (catch 'wrong-type-arg
        (lambda () (catch 'out-of-range (lambda () (cdr 5)) (lambda (k . a) (list 'inner k))))
        (lambda (k . a) (list 'outer k))))
(show (catch 'out-of-range
        (lambda () (catch 'wrong-type-arg (lambda () (vector-ref (vector) 0)) (lambda (k . a) 'inner)))
        (lambda args 'outer)))
; the after thunks of the winds it leaves run, innermost first
(define log '())
(show (catch #t
        (lambda ()
          (dynamic-wind (lambda () (set! log (cons 'in log)))
                        (lambda () (dynamic-wind (lambda () #f) (lambda () (+ 1 (car '()))) (lambda () (set! log (cons 'inner-out log)))))
                        (lambda () (set! log (cons 'out log)))))
        (lambda args 'failed)))
(show (reverse log))
; a caught error in a loop, then the loop goes on
(define (safe-quotients n d)
  (let loop ((i 0) (acc '()))
    (if (= i n) (reverse acc)
        (loop (+ i 1) (cons (catch 'numerical-overflow (lambda () (quotient 100 (- d i))) (lambda (k . r) k)) acc)))))
(show (safe-quotients 5 2))
; the value of the catch's thunk when nothing fails
(show (catch #t (lambda () (* 6 7)) (lambda (k . r) -1)))
