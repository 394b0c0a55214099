;;; expect: error
;; apply of map over rows of different lengths: an error in Guile and in
;; tvl (compiled: the loop of lang/lower-applymap.c), after the output of
;; the rows that are fine.
(define (transpose m) (apply map list m))
(display (transpose '((1 2) (3 4) (5 6) (7 8) (9 10)))) (newline)
(apply for-each (lambda xs (display xs)) '((1 2) (3 4) (5 6) (7 8) (9 10)))
(newline)
(display (transpose '((1 2) (3 4) (5 6) (7 8) (9 10 11)))) (newline)
(display "not reached") (newline)
