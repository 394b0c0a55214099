;;; expect: error
;; letrec (unlike letrec*) runs every init before any variable gets its
;; value: y's init reads x too early.
(display (letrec* ((x 1) (y (+ x 1))) (* x y)))
(newline)
(display (letrec ((x 1) (y (+ x 1))) (* x y)))
(newline)
