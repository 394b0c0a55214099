;;; expect: error
;; taking the car of the empty list at the end of a walk down a list.
(define (nth lst n) (if (= n 0) (car lst) (nth (cdr lst) (- n 1))))
(display (nth '(a b c) 2)) (newline)
(display (nth '(a b c) 3)) (newline)
