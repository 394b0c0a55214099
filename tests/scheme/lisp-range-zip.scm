;; Ranges, zip and unzip with lists of pairs.
(define (range a b) (if (>= a b) '() (cons a (range (+ a 1) b))))
(define (zip a b) (map cons a b))
(define (unzip l) (cons (map car l) (map cdr l)))
(display (range 0 6)) (newline)
(display (zip '(1 2 3) '(a b c))) (newline)
(display (unzip '((1 . a) (2 . b)))) (newline)
(display (range 5 5)) (newline)
