;;; expect: error
;; a definition needs one value: (values) gives none.
(define (nothing) (values))
(define ok (values 1 2))
(display ok) (newline)
(define bad (nothing))
(display "not reached")
