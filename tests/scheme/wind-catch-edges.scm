; dynamic-wind, catch and throw: escapes across catches, throws from after thunks, many arguments, values (compiled: lang/lower-wind.c)
(define log '())
(define (note x) (set! log (cons x log)))
(define (show x) (write x) (newline))
; escape by k out of a catch, then a throw must find the outer catch
(show (catch 'a (lambda ()
  (let ((r (call/cc (lambda (k) (catch 'a (lambda () (k 'escaped)) (lambda (key) 'inner))))))
    (throw 'a r)))
  (lambda (key v) (list 'outer v))))
; throw from inside an after thunk during an unwind
(show (catch 'x (lambda ()
  (catch 'y (lambda ()
     (dynamic-wind (lambda () (note 'in)) (lambda () (throw 'y 1)) (lambda () (note 'out) (throw 'x 2))))
   (lambda (k v) (list 'y v))))
  (lambda (k v) (list 'x v))))
(show (reverse log))
(set! log '())
; many arguments (apply path), zero arguments
(show (catch #t (lambda () (throw 'm 1 2 3 4 5)) (lambda (k . r) (list k r))))
(show (catch #t (lambda () (throw 'z)) (lambda (k . r) (list k r))))
; error with a symbol first
(show (catch #t (lambda () (error 'my-proc "went wrong" 3)) (lambda (k . r) (list k r))))
; throw from map inside catch, inside for-each
(for-each (lambda (n)
  (show (catch 'neg (lambda () (map (lambda (x) (if (< x 0) (throw 'neg x) (* x n))) (list 1 2 (- n 3) 4)))
               (lambda (k v) (list 'neg v)))))
  (iota 5))
; escape from the before thunk
(show (call/cc (lambda (k) (dynamic-wind (lambda () (note 'b) (k 'from-before)) (lambda () (note 'body)) (lambda () (note 'a))))))
(show (reverse log))
; catch in a recursive procedure: each level its own catch
(define (depth n) (if (= n 0) (throw 'bottom 0) (+ 1 (catch (if (odd? n) 'odd 'bottom) (lambda () (depth (- n 1))) (lambda (k v) (* 100 (+ v 1)))))))
(show (depth 6))
(show (catch #t (lambda () (depth 5)) (lambda (k v) (list k v))))
; values through dynamic-wind and catch
(call-with-values (lambda () (dynamic-wind (lambda () #f) (lambda () (values 1 2)) (lambda () #f))) (lambda (a b) (show (list a b))))
(call-with-values (lambda () (catch #t (lambda () (values 3 4)) (lambda (k) 0))) (lambda (a b) (show (list a b))))
(show (dynamic-wind (lambda () #f) (lambda () 'x) (lambda () 'ignored)))
