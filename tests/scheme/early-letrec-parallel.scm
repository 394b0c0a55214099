;;; expect: error
;; letrec (unlike letrec* and a body's defines) runs every init before
;; any variable gets its value: an init that reads an earlier variable,
;; through a procedure, reads it too early.
(display (letrec* ((a (lambda () x)) (x 1) (y (a))) y))
(newline)
(display (letrec ((a (lambda () x)) (x 1) (y (a))) y))
(newline)
