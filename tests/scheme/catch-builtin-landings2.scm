;;; expect: error
;; more errors of builtins a catch takes in compiled code (its handler ignoring
;; the arguments): arity, unbound variables, list and string procedures
(define (show x) (write x) (newline))
(define (f x) x)
(show (catch #t (lambda () (f 1 2)) (lambda a 'arity)))
(show (catch #t (lambda () (+ 1 nowhere)) (lambda a 'unbound)))
(show (catch #t (lambda () ((lambda (a b) a) 1)) (lambda a 'lam)))
(show (catch #t (lambda () (apply f '(1 2 3))) (lambda a 'apply)))
(show (catch #t (lambda () (list-ref '(1 2) -1)) (lambda a 'neg)))
(show (catch #t (lambda () (vector-set! (vector) 0 1)) (lambda a 'vs)))
(show (catch #t (lambda () (symbol->string 5)) (lambda a 'sym)))
(show (catch #t (lambda () (string-append "a" 5)) (lambda a 'sa)))
(show (catch #t (lambda () (exact->inexact 'a)) (lambda a 'ei)))
(show (catch #t (lambda () (map car '(1 2))) (lambda a 'map)))
(show (catch #t (lambda () (length 5)) (lambda a 'len)))
(car '())
