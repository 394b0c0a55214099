;;; expect: error
;; A letrec init calls a procedure of the same letrec that reads a
;; variable whose init comes later.
(display (letrec* ((x 1) (y (+ x 1))) (* x y)))
(newline)
(display (letrec ((a (lambda () (+ c 1))) (b (a)) (c 5)) b))
(newline)
