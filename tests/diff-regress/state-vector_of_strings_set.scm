;; outside tester (probe REPORT T1-T4, vector_of_strings_set): the transformer answered wrong
;; (or failed to build the prompt) where the evaluator and Guile agree.
(define v (vector "a" "b"))
(vector-set! v 1 "q")
(write v)
(newline)
