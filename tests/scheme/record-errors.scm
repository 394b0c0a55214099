;;; expect: error
;; an accessor applied to a value of another kind
(use-modules (srfi srfi-9))
(define-record-type point (make-point x y) point? (x point-x) (y point-y))
(define-record-type line (make-line a b) line? (a line-a) (b line-b))
(define p (make-point 1 2))
(display (point-x p)) (newline)
(display (line? p)) (newline)
(display (point-y (make-line 1 2)))
