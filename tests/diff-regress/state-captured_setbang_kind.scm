;; outside tester (probe REPORT T1-T4, captured_setbang_kind): the transformer answered wrong
;; (or failed to build the prompt) where the evaluator and Guile agree.
(define (make-box v) (cons (lambda () v) (lambda (n) (set! v n))))
(define bx (make-box 0))
((cdr bx) 'sym)
(write ((car bx)))
((cdr bx) #\a)
(write ((car bx)))
((cdr bx) #t)
(write ((car bx)))
((cdr bx) '(1 2))
(write ((car bx)))
