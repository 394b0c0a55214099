;;; expect: error
;; The read is inside a local procedure that an earlier define calls:
;; still an error (compiled code refuses the form: the read happens
;; through a call).
(define (f)
  (define (get) (+ b 1))
  (define a (get))
  (define b 2)
  a)
(display "closure") (newline)
(display (f)) (newline)
