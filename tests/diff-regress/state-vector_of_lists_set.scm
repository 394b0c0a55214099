;; outside tester (probe REPORT T1-T4, vector_of_lists_set): the transformer answered wrong
;; (or failed to build the prompt) where the evaluator and Guile agree.
(define v (vector (list 1) (list 2)))
(vector-set! v 1 (list 9))
(write v)
(newline)
