;;; expect: error
;; take past the end of the list: an error after the output before it
(use-modules (srfi srfi-1))
(display (take '(1 2 3) 2)) (newline)
(display (take '(1 2 3) 4)) (newline)
(display "not reached") (newline)
