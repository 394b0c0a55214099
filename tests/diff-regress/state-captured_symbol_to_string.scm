;; outside tester (probe REPORT T1-T4, captured_symbol_to_string): the transformer answered wrong
;; (or failed to build the prompt) where the evaluator and Guile agree.
(define bx (let ((v 'empty)) (cons (lambda () v) (lambda (n) (set! v n)))))
((cdr bx) "full")
(write ((car bx)))
