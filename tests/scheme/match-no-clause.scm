;;; expect: error
;; a value no clause matches: Guile's match-error throw
(use-modules (ice-9 match))
(define (head l) (match l ((h . _) h)))
(write (head '(1 2))) (newline)
(write (head '())) (newline)
