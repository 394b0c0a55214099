;; Converting between vectors and lists, and sorting a vector through a list.
(define v (vector 5 2 8 1))
(display (vector->list v)) (newline)
(display (list->vector '(a b c))) (newline)
(define (insert x l) (if (or (null? l) (<= x (car l))) (cons x l) (cons (car l) (insert x (cdr l)))))
(define (sort-list l) (if (null? l) '() (insert (car l) (sort-list (cdr l)))))
(display (list->vector (sort-list (vector->list v)))) (newline)
(display (vector-length (list->vector '()))) (newline)
(display (vector (list 1 2) (vector 3 '(4)))) (newline)
