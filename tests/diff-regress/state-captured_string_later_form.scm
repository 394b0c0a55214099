;; outside tester (probe REPORT T1-T4, captured_string_later_form): the transformer answered wrong
;; (or failed to build the prompt) where the evaluator and Guile agree.
(define c (let ((v "str")) (lambda () v)))
(write (c))
