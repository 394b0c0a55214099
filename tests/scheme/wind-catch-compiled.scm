;;; expect: error (an uncaught throw at the end)
; dynamic-wind, catch and throw as programs use them (compiled: lang/lower-wind.c)
(define log '())
(define (note x) (set! log (cons x log)))
(define (show x) (display x) (newline))
(define (flush) (show (reverse log)) (set! log '()))

; nested dynamic-wind, normal exit, values used
(show (+ 1 (dynamic-wind (lambda () (note 'in1))
                         (lambda () (dynamic-wind (lambda () (note 'in2))
                                                  (lambda () (note 'body) 41)
                                                  (lambda () (note 'out2))))
                         (lambda () (note 'out1)))))
(flush)

; escape from a loop inside dynamic-wind by call/cc
(define (first-over n lst)
  (call/cc
   (lambda (return)
     (dynamic-wind
      (lambda () (note 'enter))
      (lambda ()
        (let loop ((l lst))
          (cond ((null? l) #f)
                ((> (car l) n) (return (car l)))
                (else (note (car l)) (loop (cdr l))))))
      (lambda () (note 'leave))))))
(show (first-over 3 (iota 10)))
(show (first-over 30 (map (lambda (x) (* x x)) (iota 5))))
(flush)

; escape from nested calls through two winds
(define (deep k n)
  (if (= n 0)
      (k 'bottom)
      (dynamic-wind (lambda () (note (list 'down n)))
                    (lambda () (deep k (- n 1)))
                    (lambda () (note (list 'up n))))))
(show (call/cc (lambda (k) (deep k 3))))
(flush)

; catch and throw with arguments; handler results as values
(define (safe-div a b)
  (catch 'div-by-zero
         (lambda () (if (= b 0) (throw 'div-by-zero a) (quotient a b)))
         (lambda (key x) (list 'cannot-divide x))))
(show (safe-div 10 2))
(show (safe-div 7 0))
(show (map (lambda (b) (safe-div 12 b)) (list 1 0 3)))
(show (catch #t (lambda () (throw 'oops 1 "two" 'three)) (lambda (k . args) (cons k args))))
(show (catch 'a (lambda () 'no-throw) (lambda (k) 'handled)))

; catch around a deep recursion
(define (find-neg l)
  (cond ((null? l) 'none)
        ((< (car l) 0) (throw 'found (car l)))
        (else (find-neg (cdr l)))))
(define nums (append (iota 2000) (list -5) (iota 10)))
(show (catch 'found (lambda () (find-neg nums)) (lambda (k v) (list 'found v))))
(show (catch 'found (lambda () (find-neg (reverse (iota 50)))) (lambda (k v) v)))

; nested catches: the inner key does not match; rethrow from a handler
(show (catch 'outer
             (lambda ()
               (catch 'inner
                      (lambda () (throw 'outer 'x))
                      (lambda (k . a) (list 'inner-got a))))
             (lambda (k . a) (list 'outer-got a))))
(show (catch 'outer
             (lambda ()
               (catch 'inner
                      (lambda () (throw 'inner 5))
                      (lambda (k v) (throw 'outer (* v 10)))))
             (lambda (k v) (+ v 1))))

; throw through dynamic-wind: the after thunks run, innermost first
(show (catch 'stop
             (lambda ()
               (dynamic-wind (lambda () (note 'a-in))
                             (lambda ()
                               (dynamic-wind (lambda () (note 'b-in))
                                             (lambda () (throw 'stop 'now) (note 'never))
                                             (lambda () (note 'b-out))))
                             (lambda () (note 'a-out))))
             (lambda (k v) (note 'handler) v)))
(flush)

; error caught by catch #t and by its key
(define (try thunk) (catch #t thunk (lambda (key . args) (list 'caught key))))
(show (try (lambda () (+ 1 2))))
(show (try (lambda () (error "boom" 1 2))))
(show (catch 'misc-error (lambda () (error "bad thing:" 'x 42)) (lambda (k . args) args)))
(show (catch #t (lambda () (error "just a message")) (lambda (k . args) (car (cdr args)))))

; catch inside a loop, counting throws
(define count 0)
(do ((i 0 (+ i 1))) ((= i 10))
  (catch 'odd (lambda () (if (odd? i) (throw 'odd i) (note i)))
         (lambda (k v) (set! count (+ count v)))))
(show count)
(flush)

; simple-format to #t
(simple-format #t "~a + ~a = ~s~%" 2 3 "five")
(for-each (lambda (name score) (simple-format #t "~a scored ~a~%" name score))
          '("ann" "bob") '(90 85))

; an uncaught throw stops the program
(show (quote before))
(throw (quote done) 1 2)
(show (quote never))
