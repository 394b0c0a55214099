;;; expect: error
;; a kind error inside a procedure called by map, after partial output.
(for-each (lambda (x) (display (* x x)) (newline)) '(1 2 3))
(for-each (lambda (x) (display (* x x)) (newline)) '(4 five 6))
