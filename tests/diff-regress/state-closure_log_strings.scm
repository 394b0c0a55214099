;; outside tester (probe REPORT T1-T4, closure_log_strings): the transformer answered wrong
;; (or failed to build the prompt) where the evaluator and Guile agree.
(define (make-log) (let ((entries '())) (lambda (msg . args) (if (eq? msg 'add) (set! entries (cons (car args) entries)) entries))))
(define lg (make-log))
(lg 'add "first")
(lg 'add "second")
(write (lg 'list))
(newline)
