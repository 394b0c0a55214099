;;; expect: error
; a builtin's error that no catch takes stops the program, compiled too:
; the catches that run take other keys (lang/lower-wind.c, lib/runner.c)
(define (show x) (write x) (newline))
(define (head l) (car l))
(show (catch 'out-of-range (lambda () (head '(1 2))) (lambda (k . a) 'no)))
(show (catch 'wrong-type-arg (lambda () (head '())) (lambda (k . a) k)))
(show (catch 'my-key (lambda () (head '(3))) (lambda (k . a) a)))
(catch 'my-key (lambda () (show 'inside) (head '())) (lambda (k . a) a))
(show 'never)
