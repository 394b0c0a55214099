;;; expect: error
;; A kind error whose text writes a tree, in a program that calls set-cdr!:
;; compiled code prints it into the error's text (it was refused).
(define t (list 'root (list 'a (list 'b))))
(set-cdr! (cadr t) (list (list 'c (list 'd))))
(define (f x) (vector-ref x 0))
(display "start") (newline)
(f t)
