;;; expect: error
;; a symbol deep in a long list given to + through apply: an error after
;; what came before is printed.
(define (range a b) (if (> a b) '() (cons a (range (+ a 1) b))))
(define xs (append (range 1 20) (list 'oops) (range 21 30)))
(display (apply + (range 1 30))) (newline)
(display (apply max xs)) (newline)
(display "not reached") (newline)
