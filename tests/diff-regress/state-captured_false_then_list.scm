;; outside tester (probe REPORT T1-T4, captured_false_then_list): the transformer answered wrong
;; (or failed to build the prompt) where the evaluator and Guile agree.
(define (make-cache) (let ((c #f)) (cons (lambda () c) (lambda (x) (set! c x)))))
(define k (make-cache))
(write ((car k)))
((cdr k) '(1 2 3))
(write ((car k)))
((cdr k) 42)
(write ((car k)))
(newline)
